/*
 * libFuzzer target for the SOURCE reader.  The first byte is a mode: the
 * seed of the chunk sizes, and (bit 0) whether "\x01 C L" in the rest
 * stands for a run of 4096 + 512 * L bytes C, so that lines longer than
 * the reader's buffer (64 KiB) come from small inputs.  The input goes
 * through a pipe, chunk by chunk, into urllist_next()/urllist_fill():
 * what comes out must be exactly what urllist_line() gives for each line
 * of the whole input (split at "\n", one "\r" before it dropped, BOM
 * ignored), and keep the promises of urllist.h.  urllist_line() also gets
 * the raw input, with and without cut.
 */
#include "httpstat/urllist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_RUN(l)	(4096 + 512 * (size_t)(l))	/* up to 132 KiB */
#define FUZZ_RUNS	300000		/* bytes of runs per input */

struct fuzz_list {
	struct entry	*e;		/* owned */
	size_t		 n;
	size_t		 cap;
};

int		LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	fuzz_check(int, const char *);
static char	*fuzz_expand(const uint8_t *, size_t, int, size_t *);
static void	fuzz_line(const char *, size_t, bool, long,
		    struct fuzz_list *);
static void	fuzz_entry_ok(const struct entry *, size_t);
static void	fuzz_reference(const char *, size_t, struct fuzz_list *);
static void	fuzz_read(const char *, size_t, uint32_t, size_t,
		    const struct fuzz_list *);
static size_t	fuzz_write(int, const char *, size_t);
static void	fuzz_same(const struct entry *, const struct entry *);
static uint32_t	fuzz_rnd(uint32_t *);
static void	fuzz_list_free(struct fuzz_list *);

/* Reference first, then the reader with small and large chunks. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_list	 ref = { 0 }, raw = { 0 };
	char			*in;
	size_t			 n;
	uint8_t			 mode;

	if (size == 0)
		return (0);
	mode = data[0];
	in = fuzz_expand(data + 1, size - 1, mode & 1, &n);
	fuzz_line((const char *)data + 1, size - 1, false, 0, &raw);
	fuzz_line((const char *)data + 1, size - 1, true, 0, &raw);
	fuzz_list_free(&raw);
	fuzz_reference(in, n, &ref);
	fuzz_read(in, n, 0x9e3779b9u ^ mode, n < 20000 ? 64 : 4096, &ref);
	fuzz_read(in, n, 0x85ebca6bu ^ mode, 65536, &ref);
	fuzz_list_free(&ref);
	free(in);
	return (0);
}

/* abort() with a message: libFuzzer reports it as a crash. */
static void
fuzz_check(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_urllist: broken promise: %s\n", what);
	abort();
}

/* The input, with "\x01 C L" made a run of C if runs (within limits). */
static char *
fuzz_expand(const uint8_t *p, size_t size, int runs, size_t *np)
{
	char	*out;
	size_t	 n = 0, i, left = runs ? FUZZ_RUNS : 0;

	out = malloc(size + FUZZ_RUNS + 1);
	fuzz_check(out != NULL, "malloc");
	for (i = 0; i < size; i++) {
		if (p[i] == 0x01 && i + 2 < size &&
		    FUZZ_RUN(p[i + 2]) <= left) {
			memset(out + n, p[i + 1], FUZZ_RUN(p[i + 2]));
			n += FUZZ_RUN(p[i + 2]);
			left -= FUZZ_RUN(p[i + 2]);
			i += 2;
			continue;
		}
		out[n++] = (char)p[i];
	}
	*np = n;
	return (out);
}

/* urllist_line() on a copy of exactly n bytes; an entry goes to l. */
static void
fuzz_line(const char *p, size_t n, bool cut, long line,
    struct fuzz_list *l)
{
	struct entry	 e;
	char		*buf;

	buf = malloc(n == 0 ? 1 : n);
	fuzz_check(buf != NULL, "malloc");
	memcpy(buf, p, n);
	e.line = -7;
	if (urllist_line(buf, n, cut, &e) == URLLIST_SKIP) {
		fuzz_check(e.url == NULL && e.expect == NULL, "SKIP is empty");
		free(buf);
		return;
	}
	free(buf);
	fuzz_check(e.line == -7, "urllist_line sets no line");
	fuzz_entry_ok(&e, n);
	fuzz_check(!cut || e.why != NULL, "a cut entry is invalid");
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->e = realloc(l->e, l->cap * sizeof(*l->e));
		fuzz_check(l->e != NULL, "realloc");
	}
	e.line = line;
	l->e[l->n++] = e;
}

/* What urllist.h promises of an entry made from n bytes. */
static void
fuzz_entry_ok(const struct entry *e, size_t n)
{
	fuzz_check(e->url != NULL, "an entry has a url");
	fuzz_check(e->url_len <= URLLIST_ENTRY_MAX, "url_len <= 8 KiB");
	fuzz_check(e->url_len <= n, "url_len <= line length");
	fuzz_check(e->url[e->url_len] == '\0', "url NUL-terminated");
	fuzz_check(e->url_len > 0, "url not empty");
	fuzz_check(e->url[0] != ' ' && e->url[0] != '\t' &&
	    e->url[e->url_len - 1] != ' ' && e->url[e->url_len - 1] != '\t',
	    "url stripped");
	fuzz_check(e->url[0] != '#', "a comment is no entry");
	fuzz_check(e->expect == NULL || e->why == NULL,
	    "no EXPECT on an invalid entry");
	if (e->expect != NULL) {
		fuzz_check(e->expect[0] != '\0', "EXPECT not empty");
		fuzz_check(strpbrk(e->expect, " \t") == NULL,
		    "EXPECT one field");
		fuzz_check(memchr(e->url, ' ', e->url_len) == NULL &&
		    memchr(e->url, '\t', e->url_len) == NULL, "URL one field");
	}
}

/* Every entry of the whole input, from urllist_line() alone. */
static void
fuzz_reference(const char *in, size_t n, struct fuzz_list *l)
{
	size_t	start = 0, len, i;
	long	line = 0;

	if (n >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	for (i = start; i < n; i++) {
		if (in[i] != '\n')
			continue;
		line++;
		len = i - start;
		if (len > 0 && in[i - 1] == '\r')
			len--;
		fuzz_line(in + start, len, false, line, l);
		start = i + 1;
	}
	if (start < n)
		fuzz_line(in + start, n - start, false, line + 1, l);
}

/*
 * The reader over a non-blocking pipe fed chunks of 1..most bytes (what
 * fits) only when drained; its entries must be ref's, in order.
 */
static void
fuzz_read(const char *in, size_t n, uint32_t seed, size_t most,
    const struct fuzz_list *ref)
{
	struct urllist	*ul;
	struct entry	 e;
	enum urllist_rc	 rc = URLLIST_NEED;
	size_t		 at = 0, got = 0, k, guard;
	long		 r, last = 0;
	int		 p[2];

	fuzz_check(pipe(p) == 0, "pipe");
	fuzz_check(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 &&
	    fcntl(p[1], F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK");
	ul = urllist_new(p[0]);
	fuzz_check(urllist_fd(ul) == p[0], "urllist_fd");
	for (guard = 0; guard < 8 * n + 1000; guard++) {
		if ((rc = urllist_next(ul, &e)) == URLLIST_OK) {
			fuzz_check(got < ref->n, "no more entries than lines");
			fuzz_check(e.line > last, "line numbers increase");
			last = e.line;
			fuzz_same(&e, &ref->e[got++]);
			entry_free(&e);
			continue;
		}
		fuzz_check(e.url == NULL && e.expect == NULL, "zeroed");
		if (rc == URLLIST_EOF)
			break;
		if ((r = urllist_fill(ul)) >= 0)
			continue;
		fuzz_check(errno == EAGAIN, "fill fails only with EAGAIN");
		fuzz_check(p[1] >= 0, "EAGAIN after the end");
		if (at == n) {
			close(p[1]);
			p[1] = -1;
			continue;
		}
		k = 1 + fuzz_rnd(&seed) % most;
		if (k > n - at)
			k = n - at;
		at += fuzz_write(p[1], in + at, k);
	}
	fuzz_check(rc == URLLIST_EOF, "the reader ends");
	fuzz_check(got == ref->n, "every entry is read");
	fuzz_check(urllist_next(ul, &e) == URLLIST_EOF, "EOF stays");
	fuzz_check(urllist_fill(ul) == 0, "EOF is remembered");
	urllist_free(ul);
}

/* What of s fits into the drained pipe (some of it always does). */
static size_t
fuzz_write(int fd, const char *s, size_t n)
{
	ssize_t	w;

	w = write(fd, s, n);
	fuzz_check(w > 0, "write");
	return ((size_t)w);
}

/* The reader's entry is the reference's, byte for byte. */
static void
fuzz_same(const struct entry *a, const struct entry *b)
{
	fuzz_check(a->line == b->line, "same line");
	fuzz_check(a->url_len == b->url_len, "same url_len");
	fuzz_check(memcmp(a->url, b->url, a->url_len) == 0, "same url");
	fuzz_check((a->expect == NULL) == (b->expect == NULL), "same EXPECT");
	fuzz_check(a->expect == NULL || strcmp(a->expect, b->expect) == 0,
	    "same EXPECT");
	fuzz_check(a->why == b->why, "same why");
}

/* xorshift32. */
static uint32_t
fuzz_rnd(uint32_t *s)
{
	if (*s == 0)
		*s = 1;
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

/* Free every entry and the list. */
static void
fuzz_list_free(struct fuzz_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		entry_free(&l->e[i]);
	free(l->e);
	memset(l, 0, sizeof(*l));
}
