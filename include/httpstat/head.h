/*
 * Response-head parser: pure, incremental, bounded.
 *
 * Feed bytes as they arrive; the parser keeps its own state between calls
 * and never looks at a byte twice.  Interim 1xx heads (other than 101) are
 * skipped; the first final head is the result.  Every byte fed counts
 * against HEAD_LIMIT (64 KiB), interim heads included: a head still
 * incomplete when byte 65536 has been read is HEAD_BAD.
 *
 * Line ends are CRLF or a bare LF (as curl); a CR not followed by LF is
 * HEAD_BAD.  obs-fold lines continue the previous field's value.  Location
 * and Retry-After are kept with surrounding OWS trimmed; when a head has
 * several, the first one counts (as curl).  A longer Location than
 * HEAD_LOCATION_MAX is HEAD_BAD; a longer Retry-After is cut to
 * HEAD_RETRY_AFTER_MAX bytes (no valid one comes close).
 */
#ifndef HTTPSTAT_HEAD_H
#define HTTPSTAT_HEAD_H

#include <stdbool.h>
#include <stddef.h>

#define HEAD_LIMIT		(64 * 1024)
#define HEAD_REASON_MAX		256	/* longer reasons are cut */
#define HEAD_LOCATION_MAX	8192	/* longer Location: HEAD_BAD */
#define HEAD_RETRY_AFTER_MAX	128	/* longer Retry-After: cut */

enum head_rc {
	HEAD_MORE,	/* need more bytes */
	HEAD_DONE,	/* a final head is complete */
	HEAD_BAD,	/* not an HTTP/1.x head, or over the limits: why set */
};

struct head {
	/* private parser state */
	int		 st;		/* where in the head we are */
	size_t		 total;		/* bytes consumed, all heads */
	size_t		 pos;		/* bytes into the current token */
	int		 code;		/* status code being read */
	char		 name[16];	/* field name, lower case, cut */
	size_t		 namelen;	/* its full length */
	int		 field;		/* which field we are capturing */
	char		*val;		/* owned: field value being captured */
	size_t		 vallen;	/* bytes in val */
	size_t		 valcap;	/* bytes allocated for val */
	size_t		 valend;	/* vallen less trailing OWS */

	/* results, valid once HEAD_DONE (status also during parse) */
	int		 status;
	char		 version[9];	/* "HTTP/1.1" */
	char		 reason[HEAD_REASON_MAX + 1];
	size_t		 reason_len;
	bool		 status_line_done;	/* a full status line seen */
	char		*location;	/* owned: Location value or NULL */
	char		*retry_after;	/* owned: Retry-After value or NULL */
	size_t		 used;		/* bytes of the last call used */
	const char	*why;		/* on BAD: a static message */
};

void		head_init(struct head *);
void		head_free(struct head *);
enum head_rc	head_parse(struct head *, const char *, size_t);

#endif
