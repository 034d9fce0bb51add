/*
 * urllist: the line rules of cli.md ("URL-list format") through the pure
 * urllist_line(), then the streaming reader from files and pipes, checked
 * against a reference that holds the whole input: split at "\n", drop one
 * "\r" before it, give each piece to urllist_line().
 */
#include "httpstat/urllist.h"

#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "guard.h"

#define MAX		URLLIST_ENTRY_MAX
#define BIG		(50L * 1024 * 1024)	/* the 50 MB lines */
#define BUF_GUESS	(64 * 1024)		/* the reader's buffer size */

struct list {
	struct entry	*e;		/* owned */
	size_t		 n;
	size_t		 cap;
};

/* A run of one byte (times > 0) or a string (times == 0). */
struct seg {
	const char	*s;
	size_t		 len;
	size_t		 times;
};

static uint32_t	 rnd(uint32_t *);
static void	 list_add(struct list *, struct entry *);
static void	 list_free(struct list *);
static void	 list_same(const struct list *, const struct list *);
static void	 expect_entry(const struct entry *, const char *, size_t,
		    const char *, const char *, long);
static void	 reference(const char *, size_t, struct list *);
static void	 read_fd(int, struct list *);
static void	 read_file(const char *, size_t, struct list *);
static void	 read_chunks(const char *, size_t, size_t, uint32_t,
		    struct list *);
static void	 write_all(int, const char *, size_t);
static void	 write_segs(int, const struct seg *, size_t);
static pid_t	 spawn_writer(const struct seg *, size_t, int *);
static long	 maxrss_kib(void);
static void	 check_all_ways(const char *, size_t);
static size_t	 gen_input(char *, size_t, bool, uint32_t *);

/* xorshift32: the same inputs every run. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

/* Move e into l. */
static void
list_add(struct list *l, struct entry *e)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->e = realloc(l->e, l->cap * sizeof(*l->e));
		cr_assert_not_null(l->e);
	}
	l->e[l->n++] = *e;
	memset(e, 0, sizeof(*e));
}

/* Free every entry and the list. */
static void
list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		entry_free(&l->e[i]);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

/* Two lists hold the same entries, byte for byte. */
static void
list_same(const struct list *a, const struct list *b)
{
	cr_assert_eq(a->n, b->n, "%zu entries, expected %zu", a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct entry	*x = &a->e[i], *y = &b->e[i];

		cr_assert_eq(x->line, y->line, "entry %zu: line %ld != %ld",
		    i, x->line, y->line);
		cr_assert_eq(x->url_len, y->url_len, "entry %zu (line %ld)",
		    i, x->line);
		cr_assert(memcmp(x->url, y->url, x->url_len) == 0,
		    "entry %zu (line %ld): url differs", i, x->line);
		cr_assert((x->expect == NULL) == (y->expect == NULL),
		    "entry %zu", i);
		if (x->expect != NULL)
			cr_assert_str_eq(x->expect, y->expect, "entry %zu", i);
		cr_assert((x->why == NULL) == (y->why == NULL), "entry %zu",
		    i);
		if (x->why != NULL)
			cr_assert_str_eq(x->why, y->why, "entry %zu", i);
	}
}

/* e is url (of ulen bytes) with expect and why (NULL: none) at line. */
static void
expect_entry(const struct entry *e, const char *url, size_t ulen,
    const char *expect, const char *why, long line)
{
	cr_assert_not_null(e->url);
	cr_assert_eq(e->url_len, ulen, "url_len %zu, expected %zu",
	    e->url_len, ulen);
	cr_assert(memcmp(e->url, url, ulen) == 0, "url \"%s\"", e->url);
	cr_assert_eq(e->url[ulen], '\0', "url is NUL-terminated");
	if (expect == NULL)
		cr_assert_null(e->expect, "expect \"%s\"", e->expect);
	else
		cr_assert_str_eq(e->expect, expect);
	if (why == NULL)
		cr_assert_null(e->why, "why \"%s\"", e->why);
	else
		cr_assert_str_eq(e->why, why);
	if (line > 0)
		cr_assert_eq(e->line, line, "line %ld, expected %ld", e->line,
		    line);
}

/* What the reader must yield for the whole input in[0..n). */
static void
reference(const char *in, size_t n, struct list *l)
{
	struct entry	e;
	size_t		start = 0, len;
	long		line = 0;

	if (n >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	for (size_t i = start; i < n; i++) {
		if (in[i] != '\n')
			continue;
		line++;
		len = i - start;
		if (len > 0 && in[i - 1] == '\r')
			len--;
		if (urllist_line(in + start, len, false, &e) ==
		    URLLIST_ENTRY) {
			e.line = line;
			list_add(l, &e);
		}
		start = i + 1;
	}
	if (start < n && urllist_line(in + start, n - start, false, &e) ==
	    URLLIST_ENTRY) {
		e.line = line + 1;
		list_add(l, &e);
	}
}

/* Every entry of a blocking fd (the reader takes it). */
static void
read_fd(int fd, struct list *l)
{
	struct urllist	*ul;
	struct entry	 e;
	long		 r;
	size_t		 guard;

	ul = urllist_new(fd);
	cr_assert_not_null(ul);
	cr_assert_eq(urllist_fd(ul), fd);
	for (guard = 0; guard < 100000000; guard++) {
		switch (urllist_next(ul, &e)) {
		case URLLIST_OK:
			cr_assert_not_null(e.url);
			cr_assert(e.url_len <= MAX);
			cr_assert(l->n == 0 || e.line > l->e[l->n - 1].line);
			list_add(l, &e);
			continue;
		case URLLIST_NEED:
			cr_assert_null(e.url);
			r = urllist_fill(ul);
			cr_assert(r >= 0 || errno == EINTR, "fill: %s",
			    strerror(errno));
			continue;
		case URLLIST_EOF:
			cr_assert_null(e.url);
			break;
		}
		break;
	}
	cr_assert(guard < 100000000, "reader never ended");
	cr_assert_eq(urllist_next(ul, &e), URLLIST_EOF, "EOF stays");
	cr_assert_eq(urllist_fill(ul), 0, "EOF is remembered");
	urllist_free(ul);
}

/* Every entry of in[0..n) read from a regular file. */
static void
read_file(const char *in, size_t n, struct list *l)
{
	FILE	*f;
	int	 fd;

	cr_assert_not_null(f = tmpfile());
	write_all(fileno(f), in, n);
	cr_assert_eq(lseek(fileno(f), 0, SEEK_SET), 0);
	cr_assert((fd = dup(fileno(f))) > 0);
	fclose(f);
	read_fd(fd, l);
}

/*
 * Every entry of in[0..n) read from a non-blocking pipe that gets chunk
 * bytes at a time (0: random sizes from seed), only when the reader has
 * drained it: each read(2) sees exactly one chunk.
 */
static void
read_chunks(const char *in, size_t n, size_t chunk, uint32_t seed,
    struct list *l)
{
	struct urllist	*ul;
	struct entry	 e;
	enum urllist_rc	 rc;
	size_t		 at = 0, k, guard, limit = 20 * n + 10000;
	long		 r;
	int		 p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	ul = urllist_new(p[0]);
	for (guard = 0; guard < limit; guard++) {
		if ((rc = urllist_next(ul, &e)) == URLLIST_OK) {
			cr_assert(e.url_len <= MAX);
			list_add(l, &e);
			continue;
		}
		if (rc == URLLIST_EOF)
			break;
		if ((r = urllist_fill(ul)) >= 0)
			continue;
		cr_assert_eq(errno, EAGAIN, "fill: %s", strerror(errno));
		if (at == n) {
			cr_assert(p[1] >= 0, "EAGAIN after the end");
			close(p[1]);
			p[1] = -1;
			continue;
		}
		k = chunk != 0 ? chunk : 1 + rnd(&seed) % 5000;
		if (k > n - at)
			k = n - at;
		write_all(p[1], in + at, k);
		at += k;
	}
	cr_assert(guard < limit, "reader never ended");
	cr_assert_eq(at, n);
	urllist_free(ul);
}

/* Write all of s, or fail. */
static void
write_all(int fd, const char *s, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		cr_assert(w > 0, "write: %s", strerror(errno));
		s += w;
		n -= (size_t)w;
	}
}

/* Write the segments, runs in 64 KiB blocks. */
static void
write_segs(int fd, const struct seg *sg, size_t nseg)
{
	static char	block[64 * 1024];
	size_t		left, k;

	for (size_t i = 0; i < nseg; i++) {
		if (sg[i].times == 0) {
			write_all(fd, sg[i].s, sg[i].len);
			continue;
		}
		memset(block, sg[i].s[0], sizeof(block));
		for (left = sg[i].times; left > 0; left -= k) {
			k = left < sizeof(block) ? left : sizeof(block);
			write_all(fd, block, k);
		}
	}
}

/* A child writing the segments to a pipe; *rfd is its read end. */
static pid_t
spawn_writer(const struct seg *sg, size_t nseg, int *rfd)
{
	int	p[2];
	pid_t	pid;

	cr_assert_eq(pipe(p), 0);
	cr_assert((pid = fork()) >= 0);
	if (pid == 0) {
		close(p[0]);
		write_segs(p[1], sg, nseg);
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return (pid);
}

/* The peak resident size of this process so far. */
static long
maxrss_kib(void)
{
	struct rusage	ru;

	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return (ru.ru_maxrss);
}

/* File, pipe byte by byte, odd and random chunks: all as the reference. */
static void
check_all_ways(const char *in, size_t n)
{
	static const size_t	chunks[] = { 1, 2, 3, 7, 64, 4093 };
	struct list		ref = { 0 }, got = { 0 };

	reference(in, n, &ref);
	read_file(in, n, &got);
	list_same(&got, &ref);
	list_free(&got);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		if (chunks[i] < 4 && n > 200000)
			continue;
		read_chunks(in, n, chunks[i], 0, &got);
		list_same(&got, &ref);
		list_free(&got);
	}
	read_chunks(in, n, 0, (uint32_t)n | 1, &got);
	list_same(&got, &ref);
	list_free(&got);
	list_free(&ref);
}

/*
 * Random lines made of the pieces that matter: blanks (a few, or with big
 * more than the reader's buffer), '#', lone and paired CR, NUL, BOM
 * bytes, invalid UTF-8, words near 8 KiB (or far over it), fields.
 */
static size_t
gen_input(char *out, size_t cap, bool big, uint32_t *s)
{
	static const char *const	words[] = { "http://a/", "b.example",
	    "200", "2xx,3xx", "#", "\r", "\r\r", "\t", " ", "\xef\xbb\xbf",
	    "\xff\xfe", "\xc3\x28", "x\0y", "\n", "\r\n", "\n\n" };
	size_t				n = 0, k, w;
	int				pieces = big ? 200 : 30;

	for (int i = 0; i < pieces && n + 100000 < cap; i++) {
		switch (rnd(s) % (big ? 8 : 16)) {
		case 0:		/* blanks, maybe more than a buffer */
			k = big && rnd(s) % 3 == 0 ? 60000 + rnd(s) % 20000 :
			    rnd(s) % 40;
			memset(out + n, rnd(s) % 2 ? ' ' : '\t', k);
			n += k;
			break;
		case 1:		/* a word near the limit, or far over it */
			k = big && rnd(s) % 4 == 0 ? 60000 + rnd(s) % 30000 :
			    MAX - 3 + rnd(s) % 7;
			memset(out + n, 'a' + (int)(rnd(s) % 26), k);
			n += k;
			break;
		default:
			w = rnd(s) % (sizeof(words) / sizeof(words[0]));
			k = strlen(words[w]);
			if (strcmp(words[w], "x") == 0)
				k = 3;
			memcpy(out + n, words[w], k);
			n += k;
			break;
		}
	}
	return (n);
}

/* A urllist_line() case: input, and the entry (or SKIP) it gives. */
struct line_case {
	char	in[80];
	size_t	len;
	int	skip;
	char	url[80];
	size_t	url_len;
	char	expect[24];
	int	has_expect;
	char	why[32];
};

#define IN(s)	.in = s, .len = sizeof(s) - 1
#define URL(s)	.url = s, .url_len = sizeof(s) - 1
#define EXP(s)	.expect = s, .has_expect = 1
#define SKIP	.skip = 1

ParameterizedTestParameters(urllist_line, cases)
{
	static struct line_case	cases[] = {
		{ IN(""), SKIP },
		{ IN(" "), SKIP },
		{ IN("\t"), SKIP },
		{ IN(" \t \t  "), SKIP },
		{ IN("#"), SKIP },
		{ IN("# a comment"), SKIP },
		{ IN("#http://a/"), SKIP },
		{ IN("   # indented comment"), SKIP },
		{ IN("\t\t#tab-indented"), SKIP },
		{ IN(" \t#\x00\xff odd bytes"), SKIP },
		{ IN("http://a/"), URL("http://a/") },
		{ IN("  http://a/  "), URL("http://a/") },
		{ IN("\thttp://a/\t"), URL("http://a/") },
		{ IN(" \t http://a/ \t "), URL("http://a/") },
		{ IN("example.com/path"), URL("example.com/path") },
		{ IN("http://a/#frag"), URL("http://a/#frag") },
		{ IN("http://a/ 200"), URL("http://a/"), EXP("200") },
		{ IN("http://a/\t200"), URL("http://a/"), EXP("200") },
		{ IN("http://a/ \t \t2xx,200-204"), URL("http://a/"),
		    EXP("2xx,200-204") },
		{ IN("  http://a/   404  "), URL("http://a/"), EXP("404") },
		{ IN("http://a/ # not a comment"),
		    URL("http://a/ # not a comment"),
		    .why = "more than two fields" },
		{ IN("http://a/ #x"), URL("http://a/"), EXP("#x") },
		{ IN("http://a/ 200 extra"), URL("http://a/ 200 extra"),
		    .why = "more than two fields" },
		{ IN(" a\tb\tc "), URL("a\tb\tc"),
		    .why = "more than two fields" },
		{ IN("a  b   c    d"), URL("a  b   c    d"),
		    .why = "more than two fields" },
		{ IN("http://a/ garbage"), URL("http://a/"),
		    EXP("garbage") },
		{ IN("http://a/\r"), URL("http://a/\r") },
		{ IN("http://a/\rb"), URL("http://a/\rb") },
		{ IN("\r"), URL("\r") },
		{ IN("\rhttp://a/"), URL("\rhttp://a/") },
		{ IN("\vhttp://a/\f"), URL("\vhttp://a/\f") },
		{ IN("http://a/\x00x"), URL("http://a/\x00x") },
		{ IN("\x00"), URL("\x00") },
		{ IN(" \x00 "), URL("\x00") },
		{ IN("http://a/ 2\x00""00"), URL("http://a/ 2\x00""00"),
		    .why = "NUL byte in EXPECT" },
		{ IN("http://a/\x00 200"), URL("http://a/\x00"), EXP("200") },
		{ IN("http://\xff\xfe/\xc3\x28"),
		    URL("http://\xff\xfe/\xc3\x28") },
		{ IN("http://h\xc3\xa9.example/ 2xx"),
		    URL("http://h\xc3\xa9.example/"), EXP("2xx") },
		{ IN("\xef\xbb\xbfhttp://a/"), URL("\xef\xbb\xbfhttp://a/") },
		{ IN("http://a/\xc2\xa0"), URL("http://a/\xc2\xa0") },
	};

	return (cr_make_param_array(struct line_case, cases,
	    sizeof(cases) / sizeof(cases[0])));
}

ParameterizedTest(struct line_case *c, urllist_line, cases)
{
	struct entry	 e;
	char		*in;

	in = guard_copy(c->in, c->len);
	memset(&e, 0xa5, sizeof(e));
	e.line = 42;
	if (c->skip) {
		cr_assert_eq(urllist_line(in, c->len, false, &e),
		    URLLIST_SKIP, "\"%s\"", c->in);
		cr_assert_null(e.url);
		cr_assert_null(e.expect);
	} else {
		cr_assert_eq(urllist_line(in, c->len, false, &e),
		    URLLIST_ENTRY, "\"%s\"", c->in);
		expect_entry(&e, c->url, c->url_len,
		    c->has_expect ? c->expect : NULL,
		    c->why[0] != '\0' ? c->why : NULL, 0);
	}
	cr_assert_eq(e.line, 42, "e->line is the caller's");
	entry_free(&e);
	guard_free(in);
}

Test(urllist_line, every_prefix_reads_only_its_bytes)
{
	static const char	in[] = " \thttp://a/ 2xx,200 x \t# y\r";
	struct entry		e;
	char			*p;

	for (size_t n = 0; n <= sizeof(in) - 1; n++) {
		p = guard_copy(in, n);
		if (urllist_line(p, n, n % 2 == 0, &e) == URLLIST_ENTRY) {
			cr_assert(e.url_len <= n, "n=%zu", n);
			cr_assert_eq(e.url[e.url_len], '\0');
		}
		entry_free(&e);
		guard_free(p);
	}
}

Test(urllist_line, exactly_8192_bytes_is_an_entry)
{
	static char	in[MAX];
	struct entry	e;
	char		*p;

	memset(in, 'a', sizeof(in));
	memcpy(in, "http://a/", 9);
	p = guard_copy(in, sizeof(in));
	cr_assert_eq(urllist_line(p, MAX, false, &e), URLLIST_ENTRY);
	expect_entry(&e, in, MAX, NULL, NULL, 0);
	entry_free(&e);
	guard_free(p);
}

Test(urllist_line, 8193_bytes_is_cut_and_invalid)
{
	static char	in[MAX + 1];
	struct entry	e;
	char		*p;

	memset(in, 'a', sizeof(in));
	p = guard_copy(in, sizeof(in));
	cr_assert_eq(urllist_line(p, MAX + 1, false, &e), URLLIST_ENTRY);
	expect_entry(&e, in, MAX, NULL, "entry longer than 8 KiB", 0);
	entry_free(&e);
	guard_free(p);
}

Test(urllist_line, blanks_around_do_not_count_toward_8_kib)
{
	static char	in[3 + MAX + 2];
	struct entry	e;

	memset(in, 'a', sizeof(in));
	memcpy(in, " \t ", 3);
	memcpy(in + 3 + MAX, "\t ", 2);
	cr_assert_eq(urllist_line(in, sizeof(in), false, &e),
	    URLLIST_ENTRY);
	expect_entry(&e, in + 3, MAX, NULL, NULL, 0);
	entry_free(&e);
}

Test(urllist_line, a_long_entry_is_not_split_into_fields)
{
	static char	in[MAX + 100];
	struct entry	e;

	memset(in, 'a', sizeof(in));
	in[10] = ' ';
	in[MAX - 2] = '\t';
	cr_assert_eq(urllist_line(in, sizeof(in), false, &e),
	    URLLIST_ENTRY);
	expect_entry(&e, in, MAX, NULL, "entry longer than 8 KiB", 0);
	entry_free(&e);
}

Test(urllist_line, blanks_at_the_cut_are_stripped)
{
	static char	in[MAX + 10];
	struct entry	e;

	memset(in, 'a', sizeof(in));
	in[MAX - 1] = ' ';
	in[MAX - 2] = '\t';
	cr_assert_eq(urllist_line(in, sizeof(in), false, &e),
	    URLLIST_ENTRY);
	expect_entry(&e, in, MAX - 2, NULL, "entry longer than 8 KiB", 0);
	entry_free(&e);
}

Test(urllist_line, cut_flag_marks_a_short_line_invalid)
{
	struct entry	e;

	cr_assert_eq(urllist_line("  http://a/ 200 x ", 18, true, &e),
	    URLLIST_ENTRY);
	expect_entry(&e, "http://a/ 200 x", 15, NULL,
	    "entry longer than 8 KiB", 0);
	entry_free(&e);
	cr_assert_eq(urllist_line(" # c", 4, true, &e), URLLIST_SKIP);
	cr_assert_eq(urllist_line("   ", 3, true, &e), URLLIST_SKIP);
}

Test(urllist_line, a_comment_of_any_length_is_skipped)
{
	static char	in[3 * MAX];
	struct entry	e;

	memset(in, 'a', sizeof(in));
	memcpy(in, "  #", 3);
	cr_assert_eq(urllist_line(in, sizeof(in), false, &e), URLLIST_SKIP);
}

Test(entry, free_zeroes_and_is_safe_twice)
{
	struct entry	e = { 0 };

	entry_free(&e);
	entry_free(NULL);
	cr_assert_eq(urllist_line("http://a/ 200", 13, false, &e),
	    URLLIST_ENTRY);
	e.line = 7;
	entry_free(&e);
	cr_assert_null(e.url);
	cr_assert_null(e.expect);
	cr_assert_null(e.why);
	cr_assert_eq(e.url_len, 0);
	cr_assert_eq(e.line, 0);
	entry_free(&e);
}

Test(urllist, lf_lines_with_numbers)
{
	static const char	in[] = "http://a/\nhttp://b/ 200\n"
	    "http://c/ 2xx,3xx\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 3);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 1);
	expect_entry(&l.e[1], "http://b/", 9, "200", NULL, 2);
	expect_entry(&l.e[2], "http://c/", 9, "2xx,3xx", NULL, 3);
	list_free(&l);
	check_all_ways(in, sizeof(in) - 1);
}

Test(urllist, crlf_and_mixed_line_ends)
{
	static const char	in[] = "http://a/\r\nhttp://b/ 200\n"
	    "http://c/\t404\r\n\r\n\nhttp://d/";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 4);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 1);
	expect_entry(&l.e[1], "http://b/", 9, "200", NULL, 2);
	expect_entry(&l.e[2], "http://c/", 9, "404", NULL, 3);
	expect_entry(&l.e[3], "http://d/", 9, NULL, NULL, 6);
	list_free(&l);
	check_all_ways(in, sizeof(in) - 1);
}

Test(urllist, comments_and_blank_lines_count_as_lines)
{
	static const char	in[] = "# header\n\n   \n\t\n"
	    "  # indented\n http://a/ \n\t#tab\n \t \r\nhttp://b/\n#\n"
	    "http://c/ 200";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 3);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 6);
	expect_entry(&l.e[1], "http://b/", 9, NULL, NULL, 9);
	expect_entry(&l.e[2], "http://c/", 9, "200", NULL, 11);
	list_free(&l);
	check_all_ways(in, sizeof(in) - 1);
}

Test(urllist, three_fields_stay_one_invalid_entry)
{
	static const char	in[] = "http://a/ 200 x\nhttp://b/\t2xx\tq r\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 2);
	expect_entry(&l.e[0], "http://a/ 200 x", 15, NULL,
	    "more than two fields", 1);
	expect_entry(&l.e[1], "http://b/\t2xx\tq r", 17, NULL,
	    "more than two fields", 2);
	list_free(&l);
}

Test(urllist, duplicates_are_not_merged)
{
	static const char	in[] = "http://a/\nhttp://a/\nhttp://a/\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 3);
	for (size_t i = 0; i < 3; i++)
		expect_entry(&l.e[i], "http://a/", 9, NULL, NULL,
		    (long)i + 1);
	list_free(&l);
}

Test(urllist, no_trailing_newline)
{
	struct list	l = { 0 };

	read_file("http://a/\nhttp://b/ 200", 23, &l);
	cr_assert_eq(l.n, 2);
	expect_entry(&l.e[1], "http://b/", 9, "200", NULL, 2);
	list_free(&l);
	read_file("http://a/", 9, &l);
	cr_assert_eq(l.n, 1);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 1);
	list_free(&l);
	read_file("http://a/\n# last", 16, &l);
	cr_assert_eq(l.n, 1);
	list_free(&l);
	read_file("http://a/\n  \t", 13, &l);
	cr_assert_eq(l.n, 1);
	list_free(&l);
}

Test(urllist, empty_inputs_give_no_entry)
{
	static const char *const	ins[] = { "", "\n", "\n\n\n", "\r\n",
	    "  \t\n# c\n", "\xef\xbb\xbf", "\xef\xbb\xbf\n",
	    "\xef\xbb\xbf# c\r\n" };
	struct list			l = { 0 };

	for (size_t i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		read_file(ins[i], strlen(ins[i]), &l);
		cr_assert_eq(l.n, 0, "input %zu", i);
		read_chunks(ins[i], strlen(ins[i]), 1, 0, &l);
		cr_assert_eq(l.n, 0, "input %zu", i);
	}
}

Test(urllist, bom_at_start_is_ignored)
{
	static const char	in[] = "\xef\xbb\xbfhttp://a/\n"
	    "\xef\xbb\xbfhttp://b/\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 2);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 1);
	expect_entry(&l.e[1], "\xef\xbb\xbfhttp://b/", 12, NULL, NULL, 2);
	list_free(&l);
	check_all_ways(in, sizeof(in) - 1);
}

Test(urllist, bom_before_a_comment_or_blanks)
{
	static const char	in[] = "\xef\xbb\xbf# list\n  http://a/\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 1);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 2);
	list_free(&l);
}

Test(urllist, only_one_bom_is_ignored)
{
	static const char	in[] = "\xef\xbb\xbf\xef\xbb\xbfhttp://a/\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 1);
	expect_entry(&l.e[0], "\xef\xbb\xbfhttp://a/", 12, NULL, NULL, 1);
	list_free(&l);
	check_all_ways(in, sizeof(in) - 1);
}

Test(urllist, bom_prefix_is_kept)
{
	static const char *const	ins[] = { "\xef", "\xef\xbb",
	    "\xef\xbbx\n", "\xefhttp://a/\n", "\xbb\xbf\n" };
	struct list			l = { 0 };

	for (size_t i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		size_t	n = strlen(ins[i]);
		size_t	u = strcspn(ins[i], "\n");

		read_file(ins[i], n, &l);
		cr_assert_eq(l.n, 1, "input %zu", i);
		expect_entry(&l.e[0], ins[i], u, NULL, NULL, 1);
		list_free(&l);
		check_all_ways(ins[i], n);
	}
}

Test(urllist, bom_split_across_reads_one_byte_at_a_time)
{
	static const char	in[] = "\xef\xbb\xbfhttp://a/ 200\r\n";
	struct urllist		*ul;
	struct entry		 e;
	int			 p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	ul = urllist_new(p[0]);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	for (size_t i = 0; i < sizeof(in) - 2; i++) {
		write_all(p[1], in + i, 1);
		cr_assert_eq(urllist_fill(ul), 1);
		cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED, "i=%zu", i);
		cr_assert_eq(urllist_fill(ul), -1);
		cr_assert_eq(errno, EAGAIN);
	}
	write_all(p[1], "\n", 1);
	cr_assert_eq(urllist_fill(ul), 1);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_OK);
	expect_entry(&e, "http://a/", 9, "200", NULL, 1);
	entry_free(&e);
	close(p[1]);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	cr_assert_eq(urllist_fill(ul), 0);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_EOF);
	urllist_free(ul);
}

Test(urllist, bom_split_across_reads_in_every_chunk_size)
{
	static const char	in[] = "\xef\xbb\xbfhttp://a/\n";
	struct list		l = { 0 };

	for (size_t chunk = 1; chunk <= 4; chunk++) {
		read_chunks(in, sizeof(in) - 1, chunk, 0, &l);
		cr_assert_eq(l.n, 1, "chunk %zu", chunk);
		expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 1);
		list_free(&l);
	}
}

Test(urllist, nul_bytes_inside_lines)
{
	static const char	in[] = "http://a/\0x\n\0\nhttp://b/\0 200\n"
	    "# \0 comment\nhttp://c/ 2\0""00\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 4);
	expect_entry(&l.e[0], "http://a/\0x", 11, NULL, NULL, 1);
	expect_entry(&l.e[1], "\0", 1, NULL, NULL, 2);
	expect_entry(&l.e[2], "http://b/\0", 10, "200", NULL, 3);
	expect_entry(&l.e[3], "http://c/ 2\0""00", 14, NULL,
	    "NUL byte in EXPECT", 5);
	list_free(&l);
	check_all_ways(in, sizeof(in) - 1);
}

Test(urllist, invalid_utf8_is_passed_through)
{
	static const char	in[] = "http://\xff\xfe/\xc3\x28\n"
	    "\xc0\xaf\xed\xa0\x80 200\n";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 2);
	expect_entry(&l.e[0], "http://\xff\xfe/\xc3\x28", 12, NULL, NULL, 1);
	expect_entry(&l.e[1], "\xc0\xaf\xed\xa0\x80", 5, "200", NULL, 2);
	list_free(&l);
}

Test(urllist, lone_cr_is_not_a_line_end)
{
	static const char	in[] = "http://a/\rhttp://b/\n"
	    "http://c/\r\r\n\r\nhttp://d/\r";
	struct list		l = { 0 };

	read_file(in, sizeof(in) - 1, &l);
	cr_assert_eq(l.n, 3);
	expect_entry(&l.e[0], "http://a/\rhttp://b/", 19, NULL, NULL, 1);
	expect_entry(&l.e[1], "http://c/\r", 10, NULL, NULL, 2);
	expect_entry(&l.e[2], "http://d/\r", 10, NULL, NULL, 4);
	list_free(&l);
	check_all_ways(in, sizeof(in) - 1);
}

Test(urllist, line_of_8192_bytes_is_ok_8193_is_cut)
{
	static char	in[3 * MAX + 100];
	struct list	l = { 0 };
	size_t		n = 0;

	memset(in, 'a', sizeof(in));
	n += MAX;
	in[n++] = '\n';
	n += MAX;
	in[n++] = '\r';
	in[n++] = '\n';
	n += MAX + 1;
	in[n++] = '\n';
	memcpy(in + n, "http://z/\n", 10);
	n += 10;
	read_file(in, n, &l);
	cr_assert_eq(l.n, 4);
	expect_entry(&l.e[0], in, MAX, NULL, NULL, 1);
	expect_entry(&l.e[1], in, MAX, NULL, NULL, 2);
	expect_entry(&l.e[2], in, MAX, NULL, "entry longer than 8 KiB", 3);
	expect_entry(&l.e[3], "http://z/", 9, NULL, NULL, 4);
	list_free(&l);
	check_all_ways(in, n);
}

Test(urllist, line_of_8193_bytes_at_the_end_of_input)
{
	static char	in[MAX + 1];
	struct list	l = { 0 };

	memset(in, 'b', sizeof(in));
	read_file(in, sizeof(in), &l);
	cr_assert_eq(l.n, 1);
	expect_entry(&l.e[0], in, MAX, NULL, "entry longer than 8 KiB", 1);
	list_free(&l);
	check_all_ways(in, sizeof(in));
}

Test(urllist, lines_longer_than_the_buffer)
{
	static char	in[8 * BUF_GUESS];
	struct list	l = { 0 };
	size_t		n = 0;

	memset(in, 'c', sizeof(in));
	n += 3 * BUF_GUESS + 17;		/* cut, in the middle */
	in[n++] = '\n';
	memcpy(in + n, "http://y/ 200\n", 14);
	n += 14;
	n += BUF_GUESS - 1;			/* exactly a buffer, CRLF */
	in[n++] = '\r';
	in[n++] = '\n';
	n += BUF_GUESS;				/* cut, at the end */
	read_file(in, n, &l);
	cr_assert_eq(l.n, 4);
	expect_entry(&l.e[0], in, MAX, NULL, "entry longer than 8 KiB", 1);
	expect_entry(&l.e[1], "http://y/", 9, "200", NULL, 2);
	expect_entry(&l.e[2], in, MAX, NULL, "entry longer than 8 KiB", 3);
	expect_entry(&l.e[3], in, MAX, NULL, "entry longer than 8 KiB", 4);
	list_free(&l);
	check_all_ways(in, n);
}

Test(urllist, blanks_longer_than_the_buffer_are_only_blanks)
{
	static char	in[12 * BUF_GUESS];
	struct list	l = { 0 };
	size_t		n = 0;

	/* Leading blanks, then a URL: the URL is the entry. */
	memset(in + n, ' ', 3 * BUF_GUESS);
	n += 3 * BUF_GUESS;
	memcpy(in + n, "http://a/ 200\n", 14);
	n += 14;
	/* Trailing blanks (and a CRLF): not over 8 KiB. */
	memcpy(in + n, "http://b/", 9);
	n += 9;
	memset(in + n, '\t', 3 * BUF_GUESS);
	n += 3 * BUF_GUESS;
	memcpy(in + n, "\r\n", 2);
	n += 2;
	/* Blanks, then something: over 8 KiB, cut. */
	memcpy(in + n, "http://c/", 9);
	n += 9;
	memset(in + n, ' ', 2 * BUF_GUESS);
	n += 2 * BUF_GUESS;
	memcpy(in + n, "x\n", 2);
	n += 2;
	/* Blanks, then a lone CR: it is a byte of the entry. */
	memcpy(in + n, "http://d/", 9);
	n += 9;
	memset(in + n, ' ', 2 * BUF_GUESS);
	n += 2 * BUF_GUESS;
	memcpy(in + n, "\r \n", 3);
	n += 3;
	/* A line of blanks only. */
	memset(in + n, ' ', BUF_GUESS + 5);
	n += BUF_GUESS + 5;
	memcpy(in + n, "\nhttp://e/", 10);
	n += 10;
	read_file(in, n, &l);
	cr_assert_eq(l.n, 5);
	expect_entry(&l.e[0], "http://a/", 9, "200", NULL, 1);
	expect_entry(&l.e[1], "http://b/", 9, NULL, NULL, 2);
	cr_assert_eq(l.e[2].url_len, 9, "blanks at the cut are stripped");
	expect_entry(&l.e[2], "http://c/", 9, NULL,
	    "entry longer than 8 KiB", 3);
	expect_entry(&l.e[3], "http://d/", 9, NULL,
	    "entry longer than 8 KiB", 4);
	expect_entry(&l.e[4], "http://e/", 9, NULL, NULL, 6);
	list_free(&l);
	check_all_ways(in, n);
}

Test(urllist, cr_at_the_end_of_a_full_buffer)
{
	static char	in[2 * BUF_GUESS + 100];
	struct list	l = { 0 };
	size_t		n;

	/* The first read ends on the CR; the LF comes with the next. */
	memset(in, ' ', sizeof(in));
	memset(in, 'u', MAX);
	in[BUF_GUESS - 1] = '\r';
	in[BUF_GUESS] = '\n';
	memcpy(in + BUF_GUESS + 1, "http://a/", 9);
	n = BUF_GUESS + 10;
	read_file(in, n, &l);
	cr_assert_eq(l.n, 2);
	expect_entry(&l.e[0], in, MAX, NULL, NULL, 1);
	expect_entry(&l.e[1], "http://a/", 9, NULL, NULL, 2);
	list_free(&l);
	check_all_ways(in, n);
	/* Same, but the CR is followed by a byte: cut. */
	in[BUF_GUESS] = 'z';
	in[BUF_GUESS + 1] = '\n';
	n = BUF_GUESS + 2;
	read_file(in, n, &l);
	cr_assert_eq(l.n, 1);
	expect_entry(&l.e[0], in, MAX, NULL, "entry longer than 8 KiB", 1);
	list_free(&l);
	check_all_ways(in, n);
	/* Same, but a blank follows the CR: still a byte, still cut. */
	in[BUF_GUESS] = ' ';
	read_file(in, n, &l);
	cr_assert_eq(l.n, 1);
	expect_entry(&l.e[0], in, MAX, NULL, "entry longer than 8 KiB", 1);
	list_free(&l);
	check_all_ways(in, n);
}

Test(urllist, comment_longer_than_the_buffer)
{
	static char	in[4 * BUF_GUESS];
	struct list	l = { 0 };
	size_t		n;

	memset(in, '#', sizeof(in));
	memcpy(in, "  ", 2);
	n = 3 * BUF_GUESS;
	memcpy(in + n, "\nhttp://a/", 10);
	n += 10;
	read_file(in, n, &l);
	cr_assert_eq(l.n, 1);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 2);
	list_free(&l);
	check_all_ways(in, n);
}

Test(urllist, fifty_mb_line_then_a_valid_line, .timeout = 120)
{
	static const struct seg	sg[] = { { "a", 1, BIG },
	    { "\nhttp://ok/ 200\n", 16, 0 } };
	struct list		l = { 0 };
	long			before;
	pid_t			pid;
	int			fd, st;

	before = maxrss_kib();
	pid = spawn_writer(sg, 2, &fd);
	read_fd(fd, &l);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.e[0].url_len, MAX);
	cr_assert_eq(l.e[0].line, 1);
	cr_assert_str_eq(l.e[0].why, "entry longer than 8 KiB");
	cr_assert_eq(strspn(l.e[0].url, "a"), MAX);
	expect_entry(&l.e[1], "http://ok/", 10, "200", NULL, 2);
	cr_assert(maxrss_kib() - before < 16 * 1024,
	    "grew by %ld KiB", maxrss_kib() - before);
	list_free(&l);
}

Test(urllist, fifty_mb_of_blanks_comment_or_tail, .timeout = 120)
{
	static const struct seg	sg[] = {
		{ " ", 1, BIG }, { "http://a/\n", 10, 0 },
		{ "http://b/ 200", 13, 0 }, { "\t", 1, BIG }, { "\r\n", 2, 0 },
		{ "#", 1, BIG }, { "\n", 1, 0 },
		{ "http://c/", 9, 0 }, { " ", 1, BIG }, { "x", 1, 0 },
		{ "y", 1, BIG }, { "\r\n", 2, 0 },
		{ "http://d/", 9, 0 },
	};
	struct list		l = { 0 };
	long			before;
	pid_t			pid;
	int			fd, st;

	before = maxrss_kib();
	pid = spawn_writer(sg, sizeof(sg) / sizeof(sg[0]), &fd);
	read_fd(fd, &l);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert_eq(l.n, 4);
	expect_entry(&l.e[0], "http://a/", 9, NULL, NULL, 1);
	expect_entry(&l.e[1], "http://b/", 9, "200", NULL, 2);
	expect_entry(&l.e[2], "http://c/", 9, NULL,
	    "entry longer than 8 KiB", 4);
	expect_entry(&l.e[3], "http://d/", 9, NULL, NULL, 5);
	cr_assert(maxrss_kib() - before < 16 * 1024,
	    "grew by %ld KiB", maxrss_kib() - before);
	list_free(&l);
}

Test(urllist, hundred_thousand_lines, .timeout = 120)
{
	const size_t	 lines = 100000;
	char		*in, want[32];
	struct list	 l = { 0 };
	size_t		 n = 0;
	int		 k;

	cr_assert_not_null(in = malloc(lines * 24));
	for (size_t i = 0; i < lines; i++)
		n += (size_t)sprintf(in + n, "http://h/%zu\n", i);
	read_file(in, n, &l);
	cr_assert_eq(l.n, lines);
	for (size_t i = 0; i < lines; i++) {
		k = snprintf(want, sizeof(want), "http://h/%zu", i);
		expect_entry(&l.e[i], want, (size_t)k, NULL, NULL,
		    (long)i + 1);
	}
	list_free(&l);
	read_chunks(in, n, 0, 12345, &l);
	cr_assert_eq(l.n, lines);
	cr_assert_eq(l.e[lines - 1].line, (long)lines);
	list_free(&l);
	free(in);
}

Test(urllist, hundred_thousand_lines_with_comments_crlf, .timeout = 120)
{
	const size_t	 lines = 100000;
	char		*in;
	struct list	 l = { 0 };
	size_t		 n = 0;

	cr_assert_not_null(in = malloc(lines * 24));
	for (size_t i = 0; i < lines; i++) {
		if (i % 3 == 0)
			n += (size_t)sprintf(in + n, "# %zu\r\n", i);
		else if (i % 3 == 1)
			n += (size_t)sprintf(in + n, " h%zu 200 \r\n", i);
		else
			n += (size_t)sprintf(in + n, "\t\r\n");
	}
	read_file(in, n, &l);
	cr_assert_eq(l.n, lines / 3);
	for (size_t i = 0; i < l.n; i++) {
		cr_assert_eq(l.e[i].line, (long)(3 * i + 2));
		cr_assert_str_eq(l.e[i].expect, "200");
	}
	list_free(&l);
	check_all_ways(in, n);
	free(in);
}

Test(urllist, pipe_in_small_chunks_is_the_same_as_a_file, .timeout = 120)
{
	char		*in;
	size_t		 cap = 2 * 1024 * 1024, n;
	uint32_t	 s = 2463534242u;

	cr_assert_not_null(in = malloc(cap));
	for (int round = 0; round < 12; round++) {
		n = gen_input(in, cap, true, &s);
		check_all_ways(in, n);
	}
	free(in);
}

Test(urllist, short_random_inputs_in_every_chunk_size, .timeout = 120)
{
	char		*in;
	size_t		 cap = 1024 * 1024, n;
	uint32_t	 s = 88675123u;

	cr_assert_not_null(in = malloc(cap));
	for (int round = 0; round < 80; round++) {
		n = gen_input(in, cap, false, &s);
		check_all_ways(in, n);
	}
	free(in);
}

Test(urllist, need_when_a_pipe_holds_a_partial_line)
{
	struct urllist	*ul;
	struct entry	 e;
	int		 p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	ul = urllist_new(p[0]);
	cr_assert_eq(urllist_fd(ul), p[0]);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	cr_assert_eq(urllist_fill(ul), -1);
	cr_assert_eq(errno, EAGAIN);
	write_all(p[1], "http://a/\nhttp://b", 18);
	cr_assert_eq(urllist_fill(ul), 18);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_OK);
	expect_entry(&e, "http://a/", 9, NULL, NULL, 1);
	entry_free(&e);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
		cr_assert_null(e.url);
	}
	write_all(p[1], "/ 20", 4);
	cr_assert_eq(urllist_fill(ul), 4);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	write_all(p[1], "0\r", 2);
	cr_assert_eq(urllist_fill(ul), 2);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	write_all(p[1], "\n# c\n\nhttp://c/", 15);
	cr_assert_eq(urllist_fill(ul), 15);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_OK);
	expect_entry(&e, "http://b/", 9, "200", NULL, 2);
	entry_free(&e);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	close(p[1]);
	cr_assert_eq(urllist_fill(ul), 0);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_OK);
	expect_entry(&e, "http://c/", 9, NULL, NULL, 5);
	entry_free(&e);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_EOF);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_EOF);
	cr_assert_eq(urllist_fill(ul), 0);
	urllist_free(ul);
}

Test(urllist, a_long_line_needs_bounded_data_before_its_entry)
{
	static char	chunk[MAX];
	struct urllist	*ul;
	struct entry	 e;
	int		 p[2], got = 0;

	/* A cut entry comes before its "\n", after at most a buffer. */
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	memset(chunk, 'k', sizeof(chunk));
	ul = urllist_new(p[0]);
	for (int i = 0; i < 64 && !got; i++) {
		write_all(p[1], chunk, sizeof(chunk));
		cr_assert_eq(urllist_fill(ul), (long)sizeof(chunk));
		switch (urllist_next(ul, &e)) {
		case URLLIST_OK:
			got = i + 1;
			break;
		case URLLIST_NEED:
			break;
		case URLLIST_EOF:
			cr_assert_fail("EOF");
		}
	}
	cr_assert(got > 0 && got <= BUF_GUESS / MAX + 1,
	    "entry after %d chunks", got);
	expect_entry(&e, chunk, MAX, NULL, "entry longer than 8 KiB", 1);
	entry_free(&e);
	for (int i = 0; i < 64; i++) {
		write_all(p[1], chunk, sizeof(chunk));
		cr_assert_eq(urllist_fill(ul), (long)sizeof(chunk));
		cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	}
	write_all(p[1], "\nhttp://n/\n", 11);
	cr_assert_eq(urllist_fill(ul), 11);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_OK);
	expect_entry(&e, "http://n/", 9, NULL, NULL, 2);
	entry_free(&e);
	close(p[1]);
	urllist_free(ul);
}

Test(urllist, fill_on_a_full_buffer_is_enobufs)
{
	static char	in[BUF_GUESS + 10];
	struct urllist	*ul;
	struct entry	 e;
	FILE		*f;
	int		 fd;

	memset(in, 'a', sizeof(in));
	in[sizeof(in) - 1] = '\n';
	cr_assert_not_null(f = tmpfile());
	write_all(fileno(f), in, sizeof(in));
	cr_assert_eq(lseek(fileno(f), 0, SEEK_SET), 0);
	cr_assert((fd = dup(fileno(f))) > 0);
	fclose(f);
	ul = urllist_new(fd);
	cr_assert_eq(urllist_fill(ul), BUF_GUESS);
	cr_assert_eq(urllist_fill(ul), -1);
	cr_assert_eq(errno, ENOBUFS);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_OK);
	expect_entry(&e, in, MAX, NULL, "entry longer than 8 KiB", 1);
	entry_free(&e);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	cr_assert_eq(urllist_fill(ul), 10);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	cr_assert_eq(urllist_fill(ul), 0);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_EOF);
	urllist_free(ul);
}

Test(urllist, fill_reports_read_errors)
{
	struct urllist	*ul;
	struct entry	 e;

	ul = urllist_new(-1);		/* read(2) fails */
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED);
	errno = 0;
	cr_assert_eq(urllist_fill(ul), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(urllist_next(ul, &e), URLLIST_NEED, "not EOF");
	urllist_free(ul);
}

Test(urllist, free_closes_the_fd_but_not_stdin)
{
	struct urllist	*ul;
	int		 p[2], devnull;

	cr_assert_eq(pipe(p), 0);
	ul = urllist_new(p[0]);
	urllist_free(ul);
	cr_assert_eq(fcntl(p[0], F_GETFD), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert((devnull = open("/dev/null", O_RDONLY)) >= 0);
	cr_assert_eq(dup2(devnull, 0), 0);
	ul = urllist_new(0);
	cr_assert_eq(urllist_fd(ul), 0);
	urllist_free(ul);
	cr_assert(fcntl(0, F_GETFD) != -1, "stdin stays open");
	urllist_free(NULL);
	close(p[1]);
}
