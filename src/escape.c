/*
 * JSON, CSV, XML, Prometheus-label and terminal escaping of arbitrary bytes.
 *
 * Every function walks the input one code point at a time.  A byte sequence
 * that is not valid UTF-8 (overlong, surrogate, above U+10FFFF, truncated,
 * stray continuation byte) is taken one maximal subpart at a time, as
 * Unicode and the WHATWG decoder do, and each subpart becomes one U+FFFD,
 * written raw (EF BF BD) in every format but text, where its bytes are
 * shown as \xHH.  Valid code points keep their input bytes, which are then
 * the one shortest encoding.
 */
#include "httpstat/escape.h"

#include <stdbool.h>
#include <string.h>

#define ESCAPE_BAD	(-1L)		/* a maximal invalid subpart */
#define ESCAPE_FFFD	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

struct escape_range {
	long	lo;
	long	hi;
};

static void	escape_each(FILE *, const char *, size_t,
		    void (*)(FILE *, long, const unsigned char *, size_t),
		    const char *);
static size_t	escape_decode(const unsigned char *, size_t, long *);
static void	escape_json_cp(FILE *, long, const unsigned char *, size_t);
static char	escape_json_short(long);
static bool	escape_csv_needs_quotes(const unsigned char *, size_t);
static void	escape_csv_cp(FILE *, long, const unsigned char *, size_t);
static void	escape_xml_cp(FILE *, long, const unsigned char *, size_t);
static void	escape_prom_cp(FILE *, long, const unsigned char *, size_t);
static void	escape_text_cp(FILE *, long, const unsigned char *, size_t);
static bool	escape_text_hidden(long);
static size_t	escape_text_cp_width(long);
static bool	escape_in(const struct escape_range *, size_t, long);

/* East Asian Wide and Fullwidth blocks, and the common emoji: 2 columns. */
static const struct escape_range escape_wide[] = {
	{ 0x1100, 0x115f },	{ 0x2e80, 0x303e },	{ 0x3041, 0x33ff },
	{ 0x3400, 0x4dbf },	{ 0x4e00, 0x9fff },	{ 0xa000, 0xa4cf },
	{ 0xa960, 0xa97f },	{ 0xac00, 0xd7a3 },	{ 0xf900, 0xfaff },
	{ 0xfe10, 0xfe19 },	{ 0xfe30, 0xfe6f },	{ 0xff00, 0xff60 },
	{ 0xffe0, 0xffe6 },	{ 0x1f300, 0x1f64f },	{ 0x1f680, 0x1f6ff },
	{ 0x1f900, 0x1f9ff },	{ 0x20000, 0x2fffd },	{ 0x30000, 0x3fffd },
};

/* Combining marks and zero-width characters: 0 columns. */
static const struct escape_range escape_zero[] = {
	{ 0x0300, 0x036f },	{ 0x1ab0, 0x1aff },	{ 0x1dc0, 0x1dff },
	{ 0x200b, 0x200d },	{ 0x20d0, 0x20ff },	{ 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f },	{ 0xfeff, 0xfeff },
};

/*
 * Feed each code point (or ESCAPE_BAD) of s and its bytes to fn.  Runs of
 * printable ASCII not in special are written as they are, in one call:
 * most URLs are nothing else.
 */
static void
escape_each(FILE *fp, const char *s, size_t len,
    void (*fn)(FILE *, long, const unsigned char *, size_t),
    const char *special)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n;
	long			 cp;

	for (i = 0; i < len; i += n) {
		for (n = 0; i + n < len && p[i + n] >= 0x20 &&
		    p[i + n] < 0x7f && strchr(special, p[i + n]) == NULL; n++)
			;
		if (n > 0) {
			fwrite(p + i, 1, n, fp);
			continue;
		}
		n = escape_decode(p + i, len - i, &cp);
		fn(fp, cp, p + i, n);
	}
}

/*
 * The code point at s (len > 0) into *cp and its length in bytes, or
 * ESCAPE_BAD and the length of the maximal subpart: the lead byte and the
 * continuation bytes that could still have made a valid sequence.  The
 * second byte's range is what rules out overlongs (E0, F0), surrogates
 * (ED) and code points above U+10FFFF (F4).
 */
static size_t
escape_decode(const unsigned char *s, size_t len, long *cp)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		need, i;
	long		v;

	*cp = ESCAPE_BAD;
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		v = s[0] & 0x0f;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		v = s[0] & 0x07;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return (1);	/* 80..C1, F5..FF never start a sequence */
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return (i);
		v = (v << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return (need + 1);
}

/* Whether cp is in one of the n sorted ranges. */
static bool
escape_in(const struct escape_range *r, size_t n, long cp)
{
	size_t	i;

	for (i = 0; i < n && r[i].lo <= cp; i++)
		if (cp <= r[i].hi)
			return (true);
	return (false);
}

/* A JSON string literal, quotes included. */
void
escape_json(FILE *fp, const char *s, size_t len)
{
	putc('"', fp);
	escape_each(fp, s, len, escape_json_cp, "\"\\");
	putc('"', fp);
}

/*
 * One code point inside a JSON string.  Besides what RFC 8259 requires,
 * DEL and the C1 controls are written as \u00XX so a raw JSONL file is safe
 * to show on a terminal, and U+2028/U+2029 so it is valid JavaScript.
 */
static void
escape_json_cp(FILE *fp, long cp, const unsigned char *raw, size_t n)
{
	char	c;

	if (cp == ESCAPE_BAD)
		fputs(ESCAPE_FFFD, fp);
	else if ((c = escape_json_short(cp)) != '\0') {
		putc('\\', fp);
		putc(c, fp);
	} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029)
		fprintf(fp, "\\u%04lx", cp);
	else
		fwrite(raw, 1, n, fp);
}

/* The letter of JSON's two-character escape for cp, or NUL if none. */
static char
escape_json_short(long cp)
{
	switch (cp) {
	case '"':
		return ('"');
	case '\\':
		return ('\\');
	case '\b':
		return ('b');
	case '\f':
		return ('f');
	case '\n':
		return ('n');
	case '\r':
		return ('r');
	case '\t':
		return ('t');
	default:
		return ('\0');
	}
}

/*
 * A CSV field (RFC 4180).  It is quoted when it holds a comma, a quote, CR
 * or LF, or starts or ends with a blank (readers that trim would lose it),
 * and when it is empty, so "" (an empty string) stays apart from a null
 * (cli.md: an empty field).
 */
void
escape_csv(FILE *fp, const char *s, size_t len)
{
	bool	quote;

	quote = escape_csv_needs_quotes((const unsigned char *)s, len);
	if (quote)
		putc('"', fp);
	escape_each(fp, s, len, escape_csv_cp, "\"");
	if (quote)
		putc('"', fp);
}

/* Whether the field must be written between quotes. */
static bool
escape_csv_needs_quotes(const unsigned char *s, size_t len)
{
	size_t	i;

	if (len == 0 || s[0] == ' ' || s[0] == '\t' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t')
		return (true);
	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			return (true);
	return (false);
}

/*
 * One code point inside a CSV field: quotes doubled.  CSV has no escapes,
 * so control characters other than TAB, CR and LF (NUL included, which
 * Python's csv module before 3.11 refuses), DEL and C1 become U+FFFD.
 */
static void
escape_csv_cp(FILE *fp, long cp, const unsigned char *raw, size_t n)
{
	if (cp == '"')
		fputs("\"\"", fp);
	else if (cp == '\t' || cp == '\r' || cp == '\n')
		putc((int)cp, fp);
	else if (cp == ESCAPE_BAD || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		fputs(ESCAPE_FFFD, fp);
	else
		fwrite(raw, 1, n, fp);
}

/* XML attribute or text content (no quotes added). */
void
escape_xml(FILE *fp, const char *s, size_t len)
{
	escape_each(fp, s, len, escape_xml_cp, "&<>\"'");
}

/*
 * One code point in XML 1.0 content or an attribute value.  TAB, LF and CR
 * are character references so attribute-value normalisation keeps them;
 * DEL and C1 too, which XML 1.1 requires.  What XML 1.0 does not allow at
 * all (other C0 controls, U+FFFE, U+FFFF) becomes U+FFFD.
 */
static void
escape_xml_cp(FILE *fp, long cp, const unsigned char *raw, size_t n)
{
	switch (cp) {
	case '&':
		fputs("&amp;", fp);
		return;
	case '<':
		fputs("&lt;", fp);
		return;
	case '>':
		fputs("&gt;", fp);
		return;
	case '"':
		fputs("&quot;", fp);
		return;
	case '\'':
		fputs("&apos;", fp);
		return;
	case '\t':
	case '\n':
	case '\r':
		fprintf(fp, "&#%ld;", cp);
		return;
	default:
		break;
	}
	if (cp == ESCAPE_BAD || cp < 0x20 || cp == 0xfffe || cp == 0xffff)
		fputs(ESCAPE_FFFD, fp);
	else if (cp >= 0x7f && cp <= 0x9f)
		fprintf(fp, "&#%ld;", cp);
	else
		fwrite(raw, 1, n, fp);
}

/* A Prometheus label value (no quotes added). */
void
escape_prom(FILE *fp, const char *s, size_t len)
{
	escape_each(fp, s, len, escape_prom_cp, "\\\"");
}

/*
 * One code point of a label value: the exposition format's three escapes
 * (\\, \", \n); other controls (C0, DEL, C1) become U+FFFD.
 */
static void
escape_prom_cp(FILE *fp, long cp, const unsigned char *raw, size_t n)
{
	if (cp == '\\')
		fputs("\\\\", fp);
	else if (cp == '"')
		fputs("\\\"", fp);
	else if (cp == '\n')
		fputs("\\n", fp);
	else if (cp == ESCAPE_BAD || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		fputs(ESCAPE_FFFD, fp);
	else
		fwrite(raw, 1, n, fp);
}

/* Text for a terminal: control bytes and invalid UTF-8 made visible. */
void
escape_text(FILE *fp, const char *s, size_t len)
{
	escape_each(fp, s, len, escape_text_cp, "");
}

/* Display width (columns) escape_text would use. */
size_t
escape_text_width(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n, w;
	long			 cp;

	w = 0;
	for (i = 0; i < len; i += n) {
		n = escape_decode(p + i, len - i, &cp);
		w += escape_text_hidden(cp) ? 4 * n : escape_text_cp_width(cp);
	}
	return (w);
}

/*
 * One code point for a terminal: shown as is, or, when the terminal would
 * act on it instead of showing it, each of its bytes as \xHH.  Backslashes
 * are left alone: this output is for people, not for parsing.
 */
static void
escape_text_cp(FILE *fp, long cp, const unsigned char *raw, size_t n)
{
	size_t	i;

	if (!escape_text_hidden(cp)) {
		fwrite(raw, 1, n, fp);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(fp, "\\x%02x", raw[i]);
}

/*
 * Whether cp must not reach a terminal raw: invalid bytes, C0 (ESC starts
 * escape sequences), DEL, C1 (CSI is U+009B), the line and paragraph
 * separators and the bidirectional controls, which reorder the line shown.
 */
static bool
escape_text_hidden(long cp)
{
	return (cp == ESCAPE_BAD || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069));
}

/* Columns of a code point shown as is: 0, 1 or 2, without the locale. */
static size_t
escape_text_cp_width(long cp)
{
	if (escape_in(escape_zero, sizeof(escape_zero) /
	    sizeof(escape_zero[0]), cp))
		return (0);
	if (escape_in(escape_wide, sizeof(escape_wide) /
	    sizeof(escape_wide[0]), cp))
		return (2);
	return (1);
}
