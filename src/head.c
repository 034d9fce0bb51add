/* Response-head parser: pure, incremental, bounded (cli.md step 5). */
#include "httpstat/head.h"

#include <stdlib.h>
#include <string.h>

#include "httpstat/xmalloc.h"

enum head_state {
	HEAD_ST_VERSION = 0,	/* "HTTP/1.x" and the SP after it */
	HEAD_ST_CODE,		/* three digits */
	HEAD_ST_CODE_END,	/* SP, CR or LF after them */
	HEAD_ST_REASON,		/* reason phrase up to CR or LF */
	HEAD_ST_STATUS_LF,	/* LF after the status line's CR */
	HEAD_ST_LINE,		/* start of a field line or the empty line */
	HEAD_ST_NAME,		/* field name up to ':' */
	HEAD_ST_VALUE,		/* field value up to CR or LF */
	HEAD_ST_FIELD_LF,	/* LF after a field line's CR */
	HEAD_ST_END_LF,		/* LF after the empty line's CR */
	HEAD_ST_DONE,		/* a final head is complete */
	HEAD_ST_BAD,		/* gave up: why is set */
};

enum head_field {
	HEAD_F_NONE = 0,	/* a field we do not keep */
	HEAD_F_LOCATION,
	HEAD_F_RETRY_AFTER,
};

static enum head_rc	head_step(struct head *, unsigned char);
static enum head_rc	head_version(struct head *, unsigned char);
static enum head_rc	head_code(struct head *, unsigned char);
static enum head_rc	head_code_end(struct head *, unsigned char);
static enum head_rc	head_reason(struct head *, unsigned char);
static enum head_rc	head_status_end(struct head *);
static enum head_rc	head_lf(struct head *, unsigned char);
static enum head_rc	head_line(struct head *, unsigned char);
static enum head_rc	head_name(struct head *, unsigned char);
static int		head_which(const struct head *);
static enum head_rc	head_value(struct head *, unsigned char);
static enum head_rc	head_capture(struct head *, unsigned char);
static void		head_keep(struct head *);
static enum head_rc	head_end(struct head *);
static void		head_next(struct head *);
static enum head_rc	head_bad(struct head *, const char *);
static void		head_drop(struct head *);
static void		head_drop_val(struct head *);
static bool		head_is_tchar(unsigned char);
static bool		head_is_text(unsigned char);
static bool		head_is_ws(unsigned char);

/* Start parsing a new response; head_free() undoes it. */
void
head_init(struct head *h)
{
	memset(h, 0, sizeof(*h));
	h->st = HEAD_ST_VERSION;
	h->field = HEAD_F_NONE;
}

/* Free what the parser owns; safe after head_init() and twice. */
void
head_free(struct head *h)
{
	head_drop(h);
	head_drop_val(h);
}

/*
 * Consume len new bytes.  h->used is how many of them were used: all on
 * HEAD_MORE, up to and including the final empty line's LF on HEAD_DONE,
 * up to the offending byte on HEAD_BAD, none once either was returned.
 */
enum head_rc
head_parse(struct head *h, const char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)buf;
	enum head_rc		 rc;
	size_t			 i;

	h->used = 0;
	if (h->st == HEAD_ST_DONE)
		return (HEAD_DONE);
	if (h->st == HEAD_ST_BAD)
		return (HEAD_BAD);
	for (i = 0; i < len; i++) {
		rc = head_step(h, p[i]);
		h->total++;
		/* cli.md: incomplete after 64 KiB, interim heads included. */
		if (rc == HEAD_MORE && h->total >= HEAD_LIMIT)
			rc = head_bad(h, "response head over 64 KiB");
		if (rc != HEAD_MORE) {
			h->used = i + 1;
			return (rc);
		}
	}
	h->used = len;
	return (HEAD_MORE);
}

/* One byte: what it means depends on the state. */
static enum head_rc
head_step(struct head *h, unsigned char c)
{
	switch ((enum head_state)h->st) {
	case HEAD_ST_VERSION:
		return (head_version(h, c));
	case HEAD_ST_CODE:
		return (head_code(h, c));
	case HEAD_ST_CODE_END:
		return (head_code_end(h, c));
	case HEAD_ST_REASON:
		return (head_reason(h, c));
	case HEAD_ST_STATUS_LF:
	case HEAD_ST_FIELD_LF:
	case HEAD_ST_END_LF:
		return (head_lf(h, c));
	case HEAD_ST_LINE:
		return (head_line(h, c));
	case HEAD_ST_NAME:
		return (head_name(h, c));
	case HEAD_ST_VALUE:
		return (head_value(h, c));
	case HEAD_ST_DONE:
		return (HEAD_DONE);
	case HEAD_ST_BAD:
		return (HEAD_BAD);
	}
	return (head_bad(h, "response-head parser in an unknown state"));
}

/* cli.md: the status line starts "HTTP/1.0" or "HTTP/1.1", then one SP. */
static enum head_rc
head_version(struct head *h, unsigned char c)
{
	static const char	 want[] = "HTTP/1.";
	const size_t		 n = sizeof(want) - 1;

	if (h->pos < n) {
		if (c != (unsigned char)want[h->pos])
			return (head_bad(h, "not an HTTP/1.x status line"));
	} else if (h->pos == n) {
		if (c != '0' && c != '1')
			return (head_bad(h, "not an HTTP/1.x status line"));
		memcpy(h->version, want, n);
		h->version[n] = (char)c;
		h->version[n + 1] = '\0';
	} else {
		if (c != ' ')
			return (head_bad(h, "not an HTTP/1.x status line"));
		h->st = HEAD_ST_CODE;
		h->pos = 0;
		h->code = 0;
		return (HEAD_MORE);
	}
	h->pos++;
	return (HEAD_MORE);
}

/* cli.md: three digits forming a code from 100 to 599. */
static enum head_rc
head_code(struct head *h, unsigned char c)
{
	if (c < (h->pos == 0 ? '1' : '0') || c > (h->pos == 0 ? '5' : '9'))
		return (head_bad(h, "bad status code in status line"));
	h->code = h->code * 10 + (c - '0');
	if (++h->pos == 3)
		h->st = HEAD_ST_CODE_END;
	return (HEAD_MORE);
}

/* After the code: the line ends, or one SP comes before the reason. */
static enum head_rc
head_code_end(struct head *h, unsigned char c)
{
	switch (c) {
	case ' ':
		h->status = h->code;
		h->st = HEAD_ST_REASON;
		return (HEAD_MORE);
	case '\r':
		h->status = h->code;
		h->st = HEAD_ST_STATUS_LF;
		return (HEAD_MORE);
	case '\n':
		h->status = h->code;
		return (head_status_end(h));
	default:
		return (head_bad(h, "bad status code in status line"));
	}
}

/* Reason phrase: kept up to HEAD_REASON_MAX bytes, the rest dropped. */
static enum head_rc
head_reason(struct head *h, unsigned char c)
{
	if (c == '\r') {
		h->st = HEAD_ST_STATUS_LF;
		return (HEAD_MORE);
	}
	if (c == '\n')
		return (head_status_end(h));
	if (!head_is_text(c))
		return (head_bad(h, "control byte in reason phrase"));
	if (h->reason_len < HEAD_REASON_MAX) {
		h->reason[h->reason_len++] = (char)c;
		h->reason[h->reason_len] = '\0';
	}
	return (HEAD_MORE);
}

/* The status line is complete: field lines follow. */
static enum head_rc
head_status_end(struct head *h)
{
	h->status_line_done = true;
	h->st = HEAD_ST_LINE;
	return (HEAD_MORE);
}

/* The byte after a CR must be LF; then the line ends as it would on LF. */
static enum head_rc
head_lf(struct head *h, unsigned char c)
{
	if (c != '\n')
		return (head_bad(h, "CR without LF in response head"));
	switch ((enum head_state)h->st) {
	case HEAD_ST_STATUS_LF:
		return (head_status_end(h));
	case HEAD_ST_FIELD_LF:
		h->st = HEAD_ST_LINE;
		return (HEAD_MORE);
	case HEAD_ST_END_LF:
		return (head_end(h));
	case HEAD_ST_VERSION:
	case HEAD_ST_CODE:
	case HEAD_ST_CODE_END:
	case HEAD_ST_REASON:
	case HEAD_ST_LINE:
	case HEAD_ST_NAME:
	case HEAD_ST_VALUE:
	case HEAD_ST_DONE:
	case HEAD_ST_BAD:
		break;
	}
	return (head_bad(h, "response-head parser in an unknown state"));
}

/* Start of a line: obs-fold, the empty line or a new field name. */
static enum head_rc
head_line(struct head *h, unsigned char c)
{
	if (head_is_ws(c)) {
		/* obs-fold: the previous value goes on (after the status
		 * line there is none, and the line is ignored). */
		h->st = HEAD_ST_VALUE;
		return (head_value(h, c));
	}
	head_keep(h);
	if (c == '\r') {
		h->st = HEAD_ST_END_LF;
		return (HEAD_MORE);
	}
	if (c == '\n')
		return (head_end(h));
	if (c == ':')
		return (head_bad(h, "empty header field name"));
	if (!head_is_tchar(c))
		return (head_bad(h, "bad byte in header field name"));
	h->namelen = 0;
	h->st = HEAD_ST_NAME;
	return (head_name(h, c));
}

/* Field name: tchars up to ':', kept in lower case to match it. */
static enum head_rc
head_name(struct head *h, unsigned char c)
{
	if (c == ':') {
		h->field = head_which(h);
		h->vallen = h->valend = 0;
		h->st = HEAD_ST_VALUE;
		return (HEAD_MORE);
	}
	if (head_is_ws(c))
		return (head_bad(h, "whitespace in header field name"));
	if (c == '\r' || c == '\n')
		return (head_bad(h, "header line without colon"));
	if (!head_is_tchar(c))
		return (head_bad(h, "bad byte in header field name"));
	if (h->namelen < sizeof(h->name))
		h->name[h->namelen] = (char)(c >= 'A' && c <= 'Z' ?
		    c - 'A' + 'a' : c);
	h->namelen++;
	return (HEAD_MORE);
}

/* Which field to capture; the first of each in a head counts. */
static int
head_which(const struct head *h)
{
	if (h->namelen == 8 && memcmp(h->name, "location", 8) == 0 &&
	    h->location == NULL)
		return (HEAD_F_LOCATION);
	if (h->namelen == 11 && memcmp(h->name, "retry-after", 11) == 0 &&
	    h->retry_after == NULL)
		return (HEAD_F_RETRY_AFTER);
	return (HEAD_F_NONE);
}

/* Field value up to the line end: HTAB, SP, VCHAR and obs-text. */
static enum head_rc
head_value(struct head *h, unsigned char c)
{
	if (c == '\r') {
		h->st = HEAD_ST_FIELD_LF;
		return (HEAD_MORE);
	}
	if (c == '\n') {
		h->st = HEAD_ST_LINE;
		return (HEAD_MORE);
	}
	if (!head_is_text(c))
		return (head_bad(h, "control byte in header field value"));
	if (h->field == HEAD_F_NONE)
		return (HEAD_MORE);
	return (head_capture(h, c));
}

/*
 * Keep a byte of a captured value.  Leading OWS is skipped and valend
 * leaves trailing OWS out.  Whitespace past the cap is dropped: should
 * anything but whitespace follow, the value is over the cap anyway.
 */
static enum head_rc
head_capture(struct head *h, unsigned char c)
{
	size_t	max;

	max = h->field == HEAD_F_LOCATION ? HEAD_LOCATION_MAX :
	    HEAD_RETRY_AFTER_MAX;
	if (head_is_ws(c) && h->vallen == 0)
		return (HEAD_MORE);
	if (h->vallen == max) {
		if (head_is_ws(c) || h->field != HEAD_F_LOCATION)
			return (HEAD_MORE);
		return (head_bad(h, "Location header over 8 KiB"));
	}
	if (h->vallen == h->valcap) {
		h->valcap = h->valcap == 0 ? 64 : h->valcap * 2;
		if (h->valcap > HEAD_LOCATION_MAX)
			h->valcap = HEAD_LOCATION_MAX;
		h->val = xrealloc(h->val, h->valcap);
	}
	h->val[h->vallen++] = (char)c;
	if (!head_is_ws(c))
		h->valend = h->vallen;
	return (HEAD_MORE);
}

/* A captured field's line (with any obs-fold) is over: store its value. */
static void
head_keep(struct head *h)
{
	char	*s;

	if (h->field == HEAD_F_NONE)
		return;
	s = xmalloc(h->valend + 1);
	if (h->valend > 0)
		memcpy(s, h->val, h->valend);
	s[h->valend] = '\0';
	if (h->field == HEAD_F_LOCATION)
		h->location = s;
	else
		h->retry_after = s;
	h->field = HEAD_F_NONE;
}

/* cli.md: 1xx other than 101 are skipped; the first final head counts. */
static enum head_rc
head_end(struct head *h)
{
	if (h->status >= 100 && h->status < 200 && h->status != 101) {
		head_next(h);
		return (HEAD_MORE);
	}
	h->st = HEAD_ST_DONE;
	head_drop_val(h);
	return (HEAD_DONE);
}

/* An interim head is over: forget it, keep the byte count. */
static void
head_next(struct head *h)
{
	head_drop(h);
	h->st = HEAD_ST_VERSION;
	h->pos = 0;
	h->code = 0;
	h->field = HEAD_F_NONE;
	h->status = 0;
	h->version[0] = '\0';
	h->reason[0] = '\0';
	h->reason_len = 0;
	h->status_line_done = false;
}

/* Give up for good: no head, no fields. */
static enum head_rc
head_bad(struct head *h, const char *why)
{
	h->why = why;
	h->st = HEAD_ST_BAD;
	head_drop(h);
	head_drop_val(h);
	return (HEAD_BAD);
}

/* Free the captured fields of the current head. */
static void
head_drop(struct head *h)
{
	free(h->location);
	h->location = NULL;
	free(h->retry_after);
	h->retry_after = NULL;
}

/* Free the buffer values are captured in. */
static void
head_drop_val(struct head *h)
{
	free(h->val);
	h->val = NULL;
	h->vallen = h->valcap = h->valend = 0;
}

/* RFC 9110 tchar: the bytes a field name is made of. */
static bool
head_is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z'))
		return (true);
	return (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* HTAB, SP, VCHAR, obs-text: what reasons and field values may hold. */
static bool
head_is_text(unsigned char c)
{
	return (c == '\t' || (c >= 0x20 && c != 0x7f));
}

/* SP or HTAB. */
static bool
head_is_ws(unsigned char c)
{
	return (c == ' ' || c == '\t');
}
