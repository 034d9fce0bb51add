/*
 * SOURCE reader: streams entries from a file or standard input without
 * holding the whole input.  The line rules (BOM, CR/LF, blanks, comments,
 * "URL EXPECT") are in urllist_line(), which is pure.
 */
#ifndef HTTPSTAT_URLLIST_H
#define HTTPSTAT_URLLIST_H

#include <stdbool.h>
#include <stddef.h>

#define URLLIST_ENTRY_MAX	8192	/* longer entries are cut, invalid */

struct entry {
	char		*url;		/* owned: URL field (or whole entry) */
	size_t		 url_len;
	char		*expect;	/* owned: EXPECT field or NULL */
	long		 line;		/* physical line number, 1-based */
	const char	*why;		/* static: set when invalid as written */
};

enum urllist_line {
	URLLIST_SKIP,		/* blank or comment */
	URLLIST_ENTRY,		/* e filled (maybe with e->why set) */
};

/*
 * One physical line without its line end (a trailing CR already removed
 * by the reader is not part of it), any bytes, NUL included; fills e
 * (line number excluded; old contents not freed; owned fields NULL on
 * SKIP).  cut says the caller cut a longer line: the entry is invalid and
 * not split into fields.  A stripped line over URLLIST_ENTRY_MAX is cut
 * here too, so e->url_len <= URLLIST_ENTRY_MAX always.
 */
enum urllist_line urllist_line(const char *, size_t, bool, struct entry *);
void	entry_free(struct entry *);

struct urllist;

enum urllist_rc {
	URLLIST_OK,		/* an entry (a cut one maybe before its \n) */
	URLLIST_NEED,		/* no complete line buffered: fill first */
	URLLIST_EOF,
};

/* Reads from fd (owned: closed by urllist_free unless it is 0). */
struct urllist	*urllist_new(int);
enum urllist_rc	 urllist_next(struct urllist *, struct entry *);
/*
 * One read(2), after urllist_next() said NEED: > 0 bytes read, 0 end of
 * file (remembered), -1 error with errno (EINTR, EAGAIN: try again).
 */
long		 urllist_fill(struct urllist *);
int		 urllist_fd(const struct urllist *);
void		 urllist_free(struct urllist *);

#endif
