/*
 * SOURCE reader: streams entries from a file or standard input in bounded
 * memory, whatever the length of the input or of one line.
 *
 * cli.md, "URL-list format": one entry per line, "\n" or "\r\n" line ends,
 * a BOM at the start ignored, blanks (SP, HTAB) stripped, empty lines and
 * '#' comments skipped, an entry is "URL [EXPECT]", more than two fields
 * is invalid, an entry over 8 KiB is cut to its first 8 KiB and invalid.
 *
 * The reader's result is defined as: split the input (without its BOM)
 * at every "\n", drop one "\r" before each "\n", and give every piece to
 * urllist_line() with cut false; a last piece without "\n" counts when it
 * is not empty.  The reader never holds a whole long line to do that: see
 * urllist_squeeze().
 */
#include "httpstat/urllist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpstat/xmalloc.h"

#define URLLIST_BUFSZ	(64 * 1024)	/* must exceed URLLIST_ENTRY_MAX + 1 */

#define URLLIST_CUT	"entry longer than 8 KiB"
#define URLLIST_FIELDS	"more than two fields"
#define URLLIST_NUL	"NUL byte in EXPECT"

struct urllist {
	int		 fd;		/* owned unless 0 */
	size_t		 off;		/* start of the unread part of buf */
	size_t		 len;		/* end of the data in buf */
	size_t		 seen;		/* bytes after off without a \n */
	long		 line;		/* physical lines finished */
	bool		 bom_done;	/* the start of input was checked */
	bool		 eof;		/* read(2) returned 0 */
	bool		 skipping;	/* dropping the rest of a line */
	unsigned char	 buf[URLLIST_BUFSZ];
};

static int		 urllist_blank(unsigned char);
static size_t		 urllist_field(const unsigned char *, size_t, size_t);
static size_t		 urllist_blanks(const unsigned char *, size_t, size_t);
static void		 urllist_fields(const unsigned char *, size_t,
			    struct entry *);
static void		 urllist_whole(const unsigned char *, size_t,
			    const char *, struct entry *);
static enum urllist_rc	 urllist_bom(struct urllist *);
static int		 urllist_skip(struct urllist *);
static int		 urllist_take(struct urllist *, struct entry *);
static int		 urllist_last(struct urllist *, struct entry *);
static int		 urllist_squeeze(struct urllist *, struct entry *);

/* cli.md: the blanks are space and horizontal tab, nothing else. */
static int
urllist_blank(unsigned char c)
{
	return (c == ' ' || c == '\t');
}

/* The end of the run of non-blanks at p[i], at most p[n]. */
static size_t
urllist_field(const unsigned char *p, size_t i, size_t n)
{
	while (i < n && !urllist_blank(p[i]))
		i++;
	return (i);
}

/* The end of the run of blanks at p[i], at most p[n]. */
static size_t
urllist_blanks(const unsigned char *p, size_t i, size_t n)
{
	while (i < n && urllist_blank(p[i]))
		i++;
	return (i);
}

/*
 * One line without its line end: blank or comment (SKIP), or an entry.
 * e is overwritten (its old contents are not freed), e->line excepted.
 * The line may hold any bytes, NUL included.  A stripped line over
 * URLLIST_ENTRY_MAX bytes is cut here too, so cut only says that the
 * caller already cut it; either way it is not split into fields.
 */
enum urllist_line
urllist_line(const char *line, size_t len, bool cut, struct entry *e)
{
	const unsigned char	*p = (const unsigned char *)line;
	size_t			 a, z;

	e->url = NULL;
	e->url_len = 0;
	e->expect = NULL;
	e->why = NULL;
	a = urllist_blanks(p, 0, len);
	z = len;
	while (z > a && urllist_blank(p[z - 1]))
		z--;
	if (a == z || p[a] == '#')
		return (URLLIST_SKIP);
	if (cut || z - a > URLLIST_ENTRY_MAX) {
		/* cli.md: cut to the first 8 KiB, and strip what is left. */
		if (z - a > URLLIST_ENTRY_MAX)
			z = a + URLLIST_ENTRY_MAX;
		while (z > a && urllist_blank(p[z - 1]))
			z--;
		urllist_whole(p + a, z - a, URLLIST_CUT, e);
		return (URLLIST_ENTRY);
	}
	urllist_fields(p + a, z - a, e);
	return (URLLIST_ENTRY);
}

/* A stripped, non-empty line of at most URLLIST_ENTRY_MAX: URL [EXPECT]. */
static void
urllist_fields(const unsigned char *p, size_t n, struct entry *e)
{
	size_t	url_end, exp, exp_end;

	url_end = urllist_field(p, 0, n);
	if (url_end == n) {
		urllist_whole(p, n, NULL, e);
		return;
	}
	exp = urllist_blanks(p, url_end, n);
	exp_end = urllist_field(p, exp, n);
	if (exp_end != n) {
		urllist_whole(p, n, URLLIST_FIELDS, e);
		return;
	}
	/* A C string cannot carry a NUL: the caller would see less. */
	if (memchr(p + exp, '\0', exp_end - exp) != NULL) {
		urllist_whole(p, n, URLLIST_NUL, e);
		return;
	}
	e->url = xstrndup((const char *)p, url_end);
	e->url_len = url_end;
	e->expect = xstrndup((const char *)p + exp, exp_end - exp);
}

/* The entry is p[0..n) as one URL, invalid for why unless why is NULL. */
static void
urllist_whole(const unsigned char *p, size_t n, const char *why,
    struct entry *e)
{
	e->url = xstrndup((const char *)p, n);
	e->url_len = n;
	e->expect = NULL;
	e->why = why;
}

/* Free what an entry owns and zero it; a zeroed entry is fine. */
void
entry_free(struct entry *e)
{
	if (e == NULL)
		return;
	free(e->url);
	free(e->expect);
	memset(e, 0, sizeof(*e));
}

/* A reader of fd, which it owns from now on (0 is never closed). */
struct urllist *
urllist_new(int fd)
{
	struct urllist	*ul;

	ul = xcalloc(1, sizeof(*ul));
	ul->fd = fd;
	return (ul);
}

/*
 * The next entry (OK), or NEED when no complete line is buffered and the
 * input has not ended (call urllist_fill() when fd is readable), or EOF.
 * Blank lines and comments are skipped here.  An entry cut at 8 KiB may
 * come before its line has ended: the rest of it is then read and
 * dropped by later calls.  e is overwritten; it is zeroed unless OK.
 */
enum urllist_rc
urllist_next(struct urllist *ul, struct entry *e)
{
	enum urllist_rc	rc;

	memset(e, 0, sizeof(*e));
	if (!ul->bom_done && (rc = urllist_bom(ul)) != URLLIST_OK)
		return (rc);
	for (;;) {
		if (ul->skipping && !urllist_skip(ul))
			return (ul->eof ? URLLIST_EOF : URLLIST_NEED);
		if (urllist_take(ul, e))
			return (URLLIST_OK);
		if (ul->off < ul->len && ul->eof)
			return (urllist_last(ul, e) ? URLLIST_OK : URLLIST_EOF);
		if (ul->off == ul->len && ul->eof)
			return (URLLIST_EOF);
		if (ul->len - ul->off < URLLIST_BUFSZ)
			return (URLLIST_NEED);
		if (urllist_squeeze(ul, e))
			return (URLLIST_OK);
	}
}

/* cli.md: a UTF-8 BOM at the very start is ignored, even if it trickles. */
static enum urllist_rc
urllist_bom(struct urllist *ul)
{
	static const unsigned char	bom[] = { 0xef, 0xbb, 0xbf };
	size_t				n;

	n = ul->len - ul->off;
	if (n > sizeof(bom))
		n = sizeof(bom);
	if (memcmp(ul->buf + ul->off, bom, n) == 0) {
		if (n < sizeof(bom) && !ul->eof)
			return (URLLIST_NEED);
		if (n == sizeof(bom))
			ul->off += n;
	}
	ul->bom_done = true;
	return (URLLIST_OK);
}

/* Drop the rest of a line up to its "\n": 0 if that is not buffered. */
static int
urllist_skip(struct urllist *ul)
{
	unsigned char	*nl;

	nl = memchr(ul->buf + ul->off, '\n', ul->len - ul->off);
	if (nl == NULL) {
		ul->off = ul->len;
		ul->seen = 0;
		return (0);
	}
	ul->off = (size_t)(nl - ul->buf) + 1;
	ul->seen = 0;
	ul->line++;
	ul->skipping = false;
	return (1);
}

/* The next buffered complete line into e: 0 if there is none. */
static int
urllist_take(struct urllist *ul, struct entry *e)
{
	unsigned char	*p, *nl;
	size_t		 n;

	for (;;) {
		p = ul->buf + ul->off;
		n = ul->len - ul->off;
		if ((nl = memchr(p + ul->seen, '\n', n - ul->seen)) == NULL) {
			ul->seen = n;
			return (0);
		}
		n = (size_t)(nl - p);
		ul->off += n + 1;
		ul->seen = 0;
		ul->line++;
		/* cli.md: "\r\n" ends a line too; a lone "\r" is a byte. */
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (urllist_line((const char *)p, n, false, e) ==
		    URLLIST_ENTRY) {
			e->line = ul->line;
			return (1);
		}
	}
}

/* The last line, which has no "\n": 0 if it is blank or a comment. */
static int
urllist_last(struct urllist *ul, struct entry *e)
{
	const char	*p = (const char *)ul->buf + ul->off;
	size_t		 n = ul->len - ul->off;

	ul->off = ul->len;
	ul->seen = 0;
	ul->line++;
	if (urllist_line(p, n, false, e) != URLLIST_ENTRY)
		return (0);
	e->line = ul->line;
	return (1);
}

/*
 * The buffer is full of one unfinished line: make room without changing
 * what the line will yield.  Leading blanks go.  A comment is dropped up
 * to its "\n".  Past the first URLLIST_ENTRY_MAX bytes of the line only
 * one thing matters, whether a byte other than a blank (or a "\r" that a
 * "\n" may still follow) comes there: if one does, the entry is cut, made
 * now (1) and the rest dropped; if not, those blanks go.
 */
static int
urllist_squeeze(struct urllist *ul, struct entry *e)
{
	unsigned char	*p = ul->buf;
	size_t		 i, keep;

	ul->off = urllist_blanks(p, ul->off, ul->len);
	ul->seen = 0;
	if (ul->off == ul->len)
		return (0);
	if (p[ul->off] == '#') {
		ul->skipping = true;
		return (0);
	}
	keep = ul->off + URLLIST_ENTRY_MAX;
	if (ul->len <= keep)
		return (0);
	i = urllist_blanks(p, keep, ul->len);
	if (i == ul->len || (i == ul->len - 1 && p[i] == '\r')) {
		if (i < ul->len)
			p[keep++] = '\r';
		ul->len = keep;
		return (0);
	}
	urllist_line((const char *)p + ul->off, URLLIST_ENTRY_MAX, true, e);
	e->line = ul->line + 1;
	ul->off = ul->len;
	ul->skipping = true;
	return (1);
}

/*
 * One read(2) into the free space: > 0 bytes read, 0 at end of input
 * (remembered), -1 with errno (EINTR and EAGAIN included: retry later).
 * Call it only after urllist_next() said NEED: otherwise the buffer may
 * be full, and that is -1 with ENOBUFS.
 */
long
urllist_fill(struct urllist *ul)
{
	ssize_t	n;

	if (ul->eof)
		return (0);
	if (ul->off > 0) {
		memmove(ul->buf, ul->buf + ul->off, ul->len - ul->off);
		ul->len -= ul->off;
		ul->off = 0;
	}
	if (ul->len == sizeof(ul->buf)) {
		errno = ENOBUFS;
		return (-1);
	}
	n = read(ul->fd, ul->buf + ul->len, sizeof(ul->buf) - ul->len);
	if (n < 0)
		return (-1);
	if (n == 0)
		ul->eof = true;
	ul->len += (size_t)n;
	return ((long)n);
}

/* The descriptor read, for the caller's event loop. */
int
urllist_fd(const struct urllist *ul)
{
	return (ul->fd);
}

/* Free the reader and close its descriptor (never standard input). */
void
urllist_free(struct urllist *ul)
{
	if (ul == NULL)
		return;
	if (ul->fd > 0)
		close(ul->fd);
	free(ul);
}
