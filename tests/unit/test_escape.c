/*
 * Unit tests for escape.c: every format, every kind of invalid UTF-8.
 * Inputs sit at the end of a page followed by an inaccessible one, so a
 * decoder that reads past a truncated sequence crashes.
 */
#include "httpstat/escape.h"

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"

#define FFFD	"\xef\xbf\xbd"

/* A literal with its length, NUL bytes inside included. */
#define LIT(s)	(s), (sizeof(s) - 1)

struct bad_utf8 {
	char	in[8];		/* bytes; never '?' */
	size_t	inlen;
	char	subst[16];	/* the input decoded, '?' for each U+FFFD */
	char	text[48];	/* what escape_text writes */
};

#define BAD(in, subst, text)	{ in, sizeof(in) - 1, subst, text }

/* Every class of ill-formed UTF-8, one U+FFFD per maximal subpart. */
static const struct bad_utf8 bad[] = {
	BAD("\xc0\x80", "??", "\\xc0\\x80"),		/* overlong NUL */
	BAD("\xc1\xbf", "??", "\\xc1\\xbf"),			/* overlong */
	BAD("\xe0\x80\xaf", "???", "\\xe0\\x80\\xaf"),		/* overlong */
	BAD("\xe0\x9f\xbf", "???", "\\xe0\\x9f\\xbf"),		/* overlong */
	BAD("\xf0\x80\x80\xaf", "????", "\\xf0\\x80\\x80\\xaf"),
	BAD("\xf0\x8f\xbf\xbf", "????", "\\xf0\\x8f\\xbf\\xbf"),
	BAD("\xed\xa0\x80", "???", "\\xed\\xa0\\x80"),		/* D800 */
	BAD("\xed\xbf\xbf", "???", "\\xed\\xbf\\xbf"),		/* DFFF */
	BAD("\xed\xa0\xbd\xed\xb8\x80", "??????",		/* CESU pair */
	    "\\xed\\xa0\\xbd\\xed\\xb8\\x80"),
	BAD("\xf4\x90\x80\x80", "????",			/* U+110000 */
	    "\\xf4\\x90\\x80\\x80"),
	BAD("\xf5\x80\x80\x80", "????", "\\xf5\\x80\\x80\\x80"),
	BAD("\xf7\xbf\xbf\xbf", "????", "\\xf7\\xbf\\xbf\\xbf"),
	BAD("\xf8\x88\x80\x80\x80", "?????",			/* 5 bytes */
	    "\\xf8\\x88\\x80\\x80\\x80"),
	BAD("\xfe", "?", "\\xfe"),
	BAD("\xff", "?", "\\xff"),
	BAD("\x80", "?", "\\x80"),				/* stray */
	BAD("\xbf", "?", "\\xbf"),
	BAD("\x80\xbf\x80", "???", "\\x80\\xbf\\x80"),
	BAD("a\x80" "b", "a?b", "a\\x80b"),
	BAD("\xc3", "?", "\\xc3"),				/* truncated */
	BAD("\xe2\x82", "?", "\\xe2\\x82"),
	BAD("\xf0\x9f\x98", "?", "\\xf0\\x9f\\x98"),
	BAD("\xf0\x9f", "?", "\\xf0\\x9f"),
	BAD("\xe2\x82x", "?x", "\\xe2\\x82x"),
	BAD("\xf0\x9f\x98" "A", "?A", "\\xf0\\x9f\\x98A"),
	BAD("a\xc3(", "a?(", "a\\xc3("),
	BAD("\xe2(\xa1", "?(?", "\\xe2(\\xa1"),
	BAD("\xc3\xc3\xa9", "?\xc3\xa9", "\\xc3\xc3\xa9"),
	BAD("\xc3\xa9\xff\xc3\xa9", "\xc3\xa9?\xc3\xa9",
	    "\xc3\xa9\\xff\xc3\xa9"),
	BAD("\xe2\x82\xe2\x82\xac", "?\xe2\x82\xac", "\\xe2\\x82\xe2\x82\xac"),
};

static char		*run(void (*)(FILE *, const char *, size_t),
			    const char *, size_t, size_t *);
static void		 check(void (*)(FILE *, const char *, size_t),
			    const char *, size_t, const char *, size_t);
static char		*subst(const char *, const char *, const char *,
			    size_t *);
static bool		 utf8_valid(const unsigned char *, size_t);
static size_t		 utf8_put(unsigned long, char *);
static bool		 json_unquote(const char *, size_t, char *, size_t *);
static int		 hexval(char);
static bool		 csv_unquote(const char *, size_t, char *, size_t *);

/* What fn writes for s[0..n), NUL-terminated, its length in *outlen. */
static char *
run(void (*fn)(FILE *, const char *, size_t), const char *s, size_t n,
    size_t *outlen)
{
	FILE	*fp;
	char	*buf = NULL, *p;
	size_t	 len = 0;

	fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	p = guard_copy(s, n);
	fn(fp, p, n);
	guard_free(p);
	cr_assert_eq(fclose(fp), 0);
	*outlen = len;
	return (buf);
}

/* fn must write exactly want[0..wlen) for s[0..n). */
static void
check(void (*fn)(FILE *, const char *, size_t), const char *s, size_t n,
    const char *want, size_t wlen)
{
	char	*got;
	size_t	 glen;

	got = run(fn, s, n, &glen);
	cr_assert(glen == wlen && memcmp(got, want, wlen) == 0,
	    "got %zu bytes [%.*s], want %zu bytes [%.*s]",
	    glen, (int)glen, got, wlen, (int)wlen, want);
	free(got);
}

/* pre + tmpl with each '?' made U+FFFD + post, in a new string. */
static char *
subst(const char *pre, const char *tmpl, const char *post, size_t *outlen)
{
	char	*out, *p;
	size_t	 i;

	out = malloc(strlen(pre) + 3 * strlen(tmpl) + strlen(post) + 1);
	cr_assert_not_null(out);
	p = stpcpy(out, pre);
	for (i = 0; tmpl[i] != '\0'; i++) {
		if (tmpl[i] == '?')
			p = stpcpy(p, FFFD);
		else
			*p++ = tmpl[i];
	}
	p = stpcpy(p, post);
	*outlen = (size_t)(p - out);
	return (out);
}

/*
 * An independent strict UTF-8 check: decode by the lead byte's bit
 * pattern, then refuse overlongs, surrogates and code points > U+10FFFF.
 */
static bool
utf8_valid(const unsigned char *s, size_t n)
{
	static const unsigned long	min[] = { 0, 0x80, 0x800, 0x10000 };
	unsigned long			cp;
	size_t				i, k, more;

	for (i = 0; i < n; i += more + 1) {
		if (s[i] < 0x80)
			more = 0;
		else if ((s[i] & 0xe0) == 0xc0)
			more = 1;
		else if ((s[i] & 0xf0) == 0xe0)
			more = 2;
		else if ((s[i] & 0xf8) == 0xf0)
			more = 3;
		else
			return (false);
		if (n - i <= more)
			return (false);
		cp = s[i] & (0x7f >> more);
		for (k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (false);
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min[more] || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (false);
	}
	return (true);
}

/* cp in UTF-8 at out; its length. */
static size_t
utf8_put(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

/* A hex digit's value, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * A tiny RFC 8259 string decoder: false unless s[0..n) is exactly one
 * valid JSON string of valid UTF-8; its value into out (n bytes suffice).
 */
static bool
json_unquote(const char *s, size_t n, char *out, size_t *outlen)
{
	static const char	from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char		*e;
	unsigned long		 cp;
	size_t			 i, o, k;
	int			 h;

	if (!utf8_valid((const unsigned char *)s, n) || n < 2 ||
	    s[0] != '"' || s[n - 1] != '"')
		return (false);
	for (i = 1, o = 0; i < n - 1; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == '"')
			return (false);
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (++i >= n - 1)
			return (false);
		if (s[i] != 'u') {
			if (s[i] == '\0' || (e = strchr(from, s[i])) == NULL)
				return (false);
			out[o++] = to[e - from];
			continue;
		}
		if (i + 4 >= n - 1)
			return (false);
		for (cp = 0, k = 1; k <= 4; k++) {
			if ((h = hexval(s[i + k])) < 0)
				return (false);
			cp = cp << 4 | (unsigned long)h;
		}
		if (cp >= 0xd800 && cp <= 0xdfff)
			return (false);	/* we never write surrogates */
		i += 4;
		o += utf8_put(cp, out + o);
	}
	*outlen = o;
	return (true);
}

/*
 * A tiny RFC 4180 field reader: false unless s[0..n) is exactly one field
 * (quoted with inner quotes doubled, or bare without , " CR LF).
 */
static bool
csv_unquote(const char *s, size_t n, char *out, size_t *outlen)
{
	size_t	i, o;

	if (n == 0 || s[0] != '"') {
		for (i = 0; i < n; i++)
			if (strchr(",\"\r\n", s[i]) != NULL && s[i] != '\0')
				return (false);
		memcpy(out, s, n);
		*outlen = n;
		return (true);
	}
	if (n < 2 || s[n - 1] != '"')
		return (false);
	for (i = 1, o = 0; i < n - 1; i++) {
		if (s[i] == '"') {
			if (i + 1 >= n - 1 || s[i + 1] != '"')
				return (false);
			i++;
		}
		out[o++] = s[i];
	}
	*outlen = o;
	return (true);
}

/* ---- JSON ---- */

Test(json, plain)
{
	check(escape_json, LIT("https://example.com/a?b=c"),
	    LIT("\"https://example.com/a?b=c\""));
	check(escape_json, LIT("OK"), LIT("\"OK\""));
}

Test(json, empty)
{
	check(escape_json, LIT(""), LIT("\"\""));
}

Test(json, quote_and_backslash)
{
	check(escape_json, LIT("a\"b\\c"), LIT("\"a\\\"b\\\\c\""));
	check(escape_json, LIT("\\\""), LIT("\"\\\\\\\"\""));
	check(escape_json, LIT("/"), LIT("\"/\""));
}

Test(json, short_escapes)
{
	check(escape_json, LIT("\b\f\n\r\t"), LIT("\"\\b\\f\\n\\r\\t\""));
}

Test(json, other_controls_as_u00xx)
{
	check(escape_json, LIT("\x01"), LIT("\"\\u0001\""));
	check(escape_json, LIT("\x1b[31m"), LIT("\"\\u001b[31m\""));
	check(escape_json, LIT("\x1f"), LIT("\"\\u001f\""));
	check(escape_json, LIT("\x0b"), LIT("\"\\u000b\""));
	check(escape_json, LIT("\x7f"), LIT("\"\\u007f\""));
}

Test(json, nul_in_the_middle)
{
	check(escape_json, LIT("a\0b"), LIT("\"a\\u0000b\""));
	check(escape_json, LIT("\0"), LIT("\"\\u0000\""));
	check(escape_json, LIT("\0\0"), LIT("\"\\u0000\\u0000\""));
}

Test(json, c1_controls_escaped)
{
	check(escape_json, LIT("\xc2\x80"), LIT("\"\\u0080\""));
	check(escape_json, LIT("\xc2\x85"), LIT("\"\\u0085\""));
	check(escape_json, LIT("\xc2\x9b" "1m"), LIT("\"\\u009b1m\""));
	check(escape_json, LIT("\xc2\x9f"), LIT("\"\\u009f\""));
	check(escape_json, LIT("\xc2\xa0"), LIT("\"\xc2\xa0\""));
}

Test(json, line_separators_for_javascript)
{
	check(escape_json, LIT("a\xe2\x80\xa8" "b\xe2\x80\xa9"),
	    LIT("\"a\\u2028b\\u2029\""));
	check(escape_json, LIT("\xe2\x80\xa7\xe2\x80\xaa"),
	    LIT("\"\xe2\x80\xa7\xe2\x80\xaa\""));
}

Test(json, valid_utf8_kept)
{
	check(escape_json, LIT("caf\xc3\xa9"), LIT("\"caf\xc3\xa9\""));
	check(escape_json, LIT("\xe2\x82\xac"), LIT("\"\xe2\x82\xac\""));
	check(escape_json, LIT("\xe6\x97\xa5\xe6\x9c\xac"),
	    LIT("\"\xe6\x97\xa5\xe6\x9c\xac\""));
	check(escape_json, LIT("\xf0\x9f\x98\x80"),
	    LIT("\"\xf0\x9f\x98\x80\""));
	check(escape_json, LIT(FFFD), LIT("\"" FFFD "\""));
}

Test(json, boundary_code_points_kept)
{
	check(escape_json, LIT("\xc2\xa1"), LIT("\"\xc2\xa1\""));
	check(escape_json, LIT("\xdf\xbf"), LIT("\"\xdf\xbf\""));
	check(escape_json, LIT("\xe0\xa0\x80"), LIT("\"\xe0\xa0\x80\""));
	check(escape_json, LIT("\xed\x9f\xbf"), LIT("\"\xed\x9f\xbf\""));
	check(escape_json, LIT("\xee\x80\x80"), LIT("\"\xee\x80\x80\""));
	check(escape_json, LIT("\xef\xbf\xbf"), LIT("\"\xef\xbf\xbf\""));
	check(escape_json, LIT("\xf0\x90\x80\x80"),
	    LIT("\"\xf0\x90\x80\x80\""));
	check(escape_json, LIT("\xf4\x8f\xbf\xbf"),
	    LIT("\"\xf4\x8f\xbf\xbf\""));
}

Test(json, named_invalid_sequences)
{
	check(escape_json, LIT("\xc0\x80"), LIT("\"" FFFD FFFD "\""));
	check(escape_json, LIT("\xed\xa0\x80"),
	    LIT("\"" FFFD FFFD FFFD "\""));
	check(escape_json, LIT("\xf4\x90\x80\x80"),
	    LIT("\"" FFFD FFFD FFFD FFFD "\""));
	check(escape_json, LIT("\xe2\x82"), LIT("\"" FFFD "\""));
	check(escape_json, LIT("ab\xe2\x82"), LIT("\"ab" FFFD "\""));
}

Test(json, every_invalid_class)
{
	char	*want;
	size_t	 i, wlen;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		want = subst("\"", bad[i].subst, "\"", &wlen);
		check(escape_json, bad[i].in, bad[i].inlen, want, wlen);
		free(want);
	}
}

Test(json, each_ascii_byte_round_trips)
{
	char	in[1], out[8], *got;
	size_t	glen, olen;
	int	c;

	for (c = 0; c < 0x80; c++) {
		in[0] = (char)c;
		got = run(escape_json, in, 1, &glen);
		cr_assert(json_unquote(got, glen, out, &olen),
		    "byte 0x%02x: not a JSON string: %.*s", c, (int)glen, got);
		cr_assert(olen == 1 && out[0] == in[0], "byte 0x%02x", c);
		free(got);
	}
}

Test(json, all_ascii_at_once_round_trips)
{
	char	in[0x80], out[0x80], *got;
	size_t	glen, olen;
	int	c;

	for (c = 0; c < 0x80; c++)
		in[c] = (char)c;
	got = run(escape_json, in, sizeof(in), &glen);
	cr_assert(json_unquote(got, glen, out, &olen));
	cr_assert_eq(olen, sizeof(in));
	cr_assert_eq(memcmp(out, in, sizeof(in)), 0);
	free(got);
}

Test(json, random_valid_utf8_round_trips)
{
	char		 in[256], *out, *got;
	size_t		 n, glen, olen;
	unsigned long	 cp;
	int		 iter;

	srand(12345);
	for (iter = 0; iter < 2000; iter++) {
		n = 0;
		while (n < sizeof(in) - 4) {
			switch (rand() % 4) {
			case 0:
				cp = (unsigned long)(rand() % 0x80);
				break;
			case 1:
				cp = 0x80 + (unsigned long)(rand() % 0x780);
				break;
			case 2:
				cp = 0x800 + (unsigned long)(rand() % 0xf800);
				break;
			default:
				cp = 0x10000 +
				    (unsigned long)(rand() % 0x100000);
				break;
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				continue;
			n += utf8_put(cp, in + n);
			if (rand() % 16 == 0)
				break;
		}
		got = run(escape_json, in, n, &glen);
		out = malloc(glen);
		cr_assert(json_unquote(got, glen, out, &olen), "iter %d", iter);
		cr_assert(olen == n && memcmp(out, in, n) == 0, "iter %d",
		    iter);
		free(out);
		free(got);
	}
}

Test(json, random_bytes_give_valid_json)
{
	char	in[64], *out, *got;
	size_t	n, i, glen, olen;
	int	iter;

	srand(54321);
	for (iter = 0; iter < 5000; iter++) {
		n = (size_t)(rand() % (int)sizeof(in));
		for (i = 0; i < n; i++)
			in[i] = (char)(rand() % 256);
		got = run(escape_json, in, n, &glen);
		out = malloc(glen);
		cr_assert(json_unquote(got, glen, out, &olen),
		    "iter %d: not a valid JSON string", iter);
		if (utf8_valid((unsigned char *)in, n))
			cr_assert(olen == n && memcmp(out, in, n) == 0);
		free(out);
		free(got);
	}
}

/* ---- CSV ---- */

Test(csv, plain_unquoted)
{
	check(escape_csv, LIT("https://example.com/"),
	    LIT("https://example.com/"));
	check(escape_csv, LIT("in side"), LIT("in side"));
	check(escape_csv, LIT("a\tb"), LIT("a\tb"));
	check(escape_csv, LIT("caf\xc3\xa9 \xf0\x9f\x98\x80"),
	    LIT("caf\xc3\xa9 \xf0\x9f\x98\x80"));
}

Test(csv, empty_string_quoted)
{
	check(escape_csv, LIT(""), LIT("\"\""));
}

Test(csv, comma_quoted)
{
	check(escape_csv, LIT("a,b"), LIT("\"a,b\""));
	check(escape_csv, LIT(","), LIT("\",\""));
}

Test(csv, quotes_doubled)
{
	check(escape_csv, LIT("say \"hi\""), LIT("\"say \"\"hi\"\"\""));
	check(escape_csv, LIT("\""), LIT("\"\"\"\""));
	check(escape_csv, LIT("a\"\"b"), LIT("\"a\"\"\"\"b\""));
}

Test(csv, line_ends_quoted)
{
	check(escape_csv, LIT("a\r\nb"), LIT("\"a\r\nb\""));
	check(escape_csv, LIT("a\nb"), LIT("\"a\nb\""));
	check(escape_csv, LIT("a\rb"), LIT("\"a\rb\""));
	check(escape_csv, LIT("\n"), LIT("\"\n\""));
}

Test(csv, edge_blanks_quoted)
{
	check(escape_csv, LIT(" lead"), LIT("\" lead\""));
	check(escape_csv, LIT("trail "), LIT("\"trail \""));
	check(escape_csv, LIT("\tx"), LIT("\"\tx\""));
	check(escape_csv, LIT("x\t"), LIT("\"x\t\""));
	check(escape_csv, LIT(" "), LIT("\" \""));
}

Test(csv, nul_and_controls_replaced)
{
	check(escape_csv, LIT("a\0b"), LIT("a" FFFD "b"));
	check(escape_csv, LIT("\x1b[2J"), LIT(FFFD "[2J"));
	check(escape_csv, LIT("\x01\x1f\x7f"), LIT(FFFD FFFD FFFD));
	check(escape_csv, LIT("\xc2\x85"), LIT(FFFD));
	check(escape_csv, LIT("a\0,b"), LIT("\"a" FFFD ",b\""));
}

Test(csv, every_invalid_class)
{
	char	*want;
	size_t	 i, wlen;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		want = subst("", bad[i].subst, "", &wlen);
		check(escape_csv, bad[i].in, bad[i].inlen, want, wlen);
		free(want);
	}
}

Test(csv, random_fields_round_trip)
{
	static const char	alpha[] = "ab ,\"\r\n\t\xc3\xa9";
	char			in[32], *out, *got;
	size_t			n, i, glen, olen;
	int			iter;

	srand(777);
	for (iter = 0; iter < 3000; iter++) {
		n = (size_t)(rand() % (int)sizeof(in));
		for (i = 0; i < n; i++)
			in[i] = alpha[rand() % (int)(sizeof(alpha) - 1)];
		if (!utf8_valid((unsigned char *)in, n))
			continue;
		got = run(escape_csv, in, n, &glen);
		out = malloc(glen + 1);
		cr_assert(csv_unquote(got, glen, out, &olen),
		    "iter %d: [%.*s]", iter, (int)glen, got);
		cr_assert(olen == n && memcmp(out, in, n) == 0, "iter %d",
		    iter);
		free(out);
		free(got);
	}
}

/* ---- XML ---- */

Test(xml, plain)
{
	check(escape_xml, LIT("https://example.com/a"),
	    LIT("https://example.com/a"));
	check(escape_xml, LIT(""), LIT(""));
}

Test(xml, entities)
{
	check(escape_xml, LIT("<a href=\"x\">&'"),
	    LIT("&lt;a href=&quot;x&quot;&gt;&amp;&apos;"));
	check(escape_xml, LIT("]]>"), LIT("]]&gt;"));
	check(escape_xml, LIT("&amp;"), LIT("&amp;amp;"));
}

Test(xml, whitespace_as_references)
{
	check(escape_xml, LIT("a\tb\nc\rd"), LIT("a&#9;b&#10;c&#13;d"));
	check(escape_xml, LIT("\r\n"), LIT("&#13;&#10;"));
	check(escape_xml, LIT("a b"), LIT("a b"));
}

Test(xml, forbidden_controls_replaced)
{
	check(escape_xml, LIT("a\0b"), LIT("a" FFFD "b"));
	check(escape_xml, LIT("\x01\x08\x0b\x0c\x1b\x1f"),
	    LIT(FFFD FFFD FFFD FFFD FFFD FFFD));
}

Test(xml, del_and_c1_as_references)
{
	check(escape_xml, LIT("\x7f"), LIT("&#127;"));
	check(escape_xml, LIT("\xc2\x80\xc2\x85\xc2\x9f"),
	    LIT("&#128;&#133;&#159;"));
	check(escape_xml, LIT("\xc2\xa0"), LIT("\xc2\xa0"));
}

Test(xml, nonchars_fffe_ffff_replaced)
{
	check(escape_xml, LIT("\xef\xbf\xbe"), LIT(FFFD));
	check(escape_xml, LIT("\xef\xbf\xbf"), LIT(FFFD));
	check(escape_xml, LIT("\xef\xbf\xbd\xef\xbf\xbc"),
	    LIT("\xef\xbf\xbd\xef\xbf\xbc"));
	check(escape_xml, LIT("\xf0\x9f\xbf\xbe"), LIT("\xf0\x9f\xbf\xbe"));
}

Test(xml, valid_utf8_kept)
{
	check(escape_xml, LIT("\xe6\x97\xa5 \xf0\x9f\x98\x80 caf\xc3\xa9"),
	    LIT("\xe6\x97\xa5 \xf0\x9f\x98\x80 caf\xc3\xa9"));
	check(escape_xml, LIT("\xf4\x8f\xbf\xbf"), LIT("\xf4\x8f\xbf\xbf"));
}

Test(xml, every_invalid_class)
{
	char	*want;
	size_t	 i, wlen;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		want = subst("", bad[i].subst, "", &wlen);
		check(escape_xml, bad[i].in, bad[i].inlen, want, wlen);
		free(want);
	}
}

Test(xml, random_bytes_stay_well_formed)
{
	char	in[64], *got;
	size_t	n, i, k, glen;
	int	iter;

	srand(999);
	for (iter = 0; iter < 5000; iter++) {
		n = (size_t)(rand() % (int)sizeof(in));
		for (i = 0; i < n; i++)
			in[i] = (char)(rand() % 256);
		got = run(escape_xml, in, n, &glen);
		cr_assert(utf8_valid((unsigned char *)got, glen));
		for (k = 0; k < glen; k++) {
			cr_assert((unsigned char)got[k] >= 0x20 &&
			    got[k] != '<' && got[k] != '>' && got[k] != '"' &&
			    got[k] != '\'' && got[k] != 0x7f, "iter %d", iter);
			if (got[k] == '&')
				cr_assert(strchr(got + k, ';') != NULL);
		}
		cr_assert_null(strstr(got, "\xef\xbf\xbe"));
		cr_assert_null(strstr(got, "\xef\xbf\xbf"));
		cr_assert_null(strstr(got, "\xc2\x80"));
		free(got);
	}
}

/* ---- Prometheus label values ---- */

Test(prom, plain)
{
	check(escape_prom, LIT("https://example.com/"),
	    LIT("https://example.com/"));
	check(escape_prom, LIT(""), LIT(""));
	check(escape_prom, LIT("a'b c"), LIT("a'b c"));
}

Test(prom, the_three_escapes)
{
	check(escape_prom, LIT("a\\b\"c\n"), LIT("a\\\\b\\\"c\\n"));
	check(escape_prom, LIT("\\n"), LIT("\\\\n"));
	check(escape_prom, LIT("\"\""), LIT("\\\"\\\""));
}

Test(prom, other_controls_replaced)
{
	check(escape_prom, LIT("a\rb"), LIT("a" FFFD "b"));
	check(escape_prom, LIT("a\tb"), LIT("a" FFFD "b"));
	check(escape_prom, LIT("a\0b"), LIT("a" FFFD "b"));
	check(escape_prom, LIT("\x1b\x7f"), LIT(FFFD FFFD));
	check(escape_prom, LIT("\xc2\x9b"), LIT(FFFD));
}

Test(prom, valid_utf8_kept)
{
	check(escape_prom, LIT("\xe6\x97\xa5\xf0\x9f\x98\x80\xc2\xa0"),
	    LIT("\xe6\x97\xa5\xf0\x9f\x98\x80\xc2\xa0"));
	check(escape_prom, LIT("\xe2\x80\xa8"), LIT("\xe2\x80\xa8"));
}

Test(prom, every_invalid_class)
{
	char	*want;
	size_t	 i, wlen;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		want = subst("", bad[i].subst, "", &wlen);
		check(escape_prom, bad[i].in, bad[i].inlen, want, wlen);
		free(want);
	}
}

/* ---- terminal text ---- */

Test(text, plain_kept)
{
	check(escape_text, LIT("https://example.com/ 200 OK"),
	    LIT("https://example.com/ 200 OK"));
	check(escape_text, LIT(""), LIT(""));
	check(escape_text, LIT("C:\\x1b"), LIT("C:\\x1b"));
}

Test(text, escape_sequences_made_visible)
{
	check(escape_text, LIT("\x1b[31mred\x1b[0m"),
	    LIT("\\x1b[31mred\\x1b[0m"));
	check(escape_text, LIT("\x1b]0;title\x07"),
	    LIT("\\x1b]0;title\\x07"));
}

Test(text, c0_and_del)
{
	check(escape_text, LIT("a\0b"), LIT("a\\x00b"));
	check(escape_text, LIT("\t\n\r"), LIT("\\x09\\x0a\\x0d"));
	check(escape_text, LIT("\x08\x7f"), LIT("\\x08\\x7f"));
	check(escape_text, LIT("\x1f "), LIT("\\x1f "));
}

Test(text, c1_bytes_made_visible)
{
	check(escape_text, LIT("\xc2\x9b" "2J"), LIT("\\xc2\\x9b2J"));
	check(escape_text, LIT("\xc2\x80\xc2\x9f"),
	    LIT("\\xc2\\x80\\xc2\\x9f"));
	check(escape_text, LIT("\xc2\xa0"), LIT("\xc2\xa0"));
}

Test(text, layout_controls_made_visible)
{
	check(escape_text, LIT("a\xe2\x80\xae" "b"), LIT("a\\xe2\\x80\\xaeb"));
	check(escape_text, LIT("\xe2\x80\xa8"), LIT("\\xe2\\x80\\xa8"));
	check(escape_text, LIT("\xe2\x81\xa6"), LIT("\\xe2\\x81\\xa6"));
	check(escape_text, LIT("\xe2\x80\x8f"), LIT("\\xe2\\x80\\x8f"));
}

Test(text, valid_utf8_kept)
{
	check(escape_text, LIT("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac"),
	    LIT("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac"));
	check(escape_text, LIT("\xf0\x9f\x98\x80"), LIT("\xf0\x9f\x98\x80"));
}

Test(text, every_invalid_class)
{
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(escape_text, bad[i].in, bad[i].inlen, bad[i].text,
		    strlen(bad[i].text));
}

Test(text, width_ascii_and_escapes)
{
	cr_assert_eq(escape_text_width(LIT("")), 0);
	cr_assert_eq(escape_text_width(LIT("abc")), 3);
	cr_assert_eq(escape_text_width(LIT("\x1b[0m")), 7);
	cr_assert_eq(escape_text_width(LIT("a\0b")), 6);
	cr_assert_eq(escape_text_width(LIT("\xff")), 4);
	cr_assert_eq(escape_text_width(LIT("\xe2\x82")), 8);
	cr_assert_eq(escape_text_width(LIT("\xc2\x9b")), 8);
}

Test(text, width_unicode)
{
	cr_assert_eq(escape_text_width(LIT("caf\xc3\xa9")), 4);
	cr_assert_eq(escape_text_width(LIT("\xe2\x82\xac")), 1);
	cr_assert_eq(escape_text_width(LIT("\xe6\x97\xa5\xe6\x9c\xac")), 4);
	cr_assert_eq(escape_text_width(LIT("\xed\x95\x9c")), 2);
	cr_assert_eq(escape_text_width(LIT("\xef\xbc\xa1")), 2);
	cr_assert_eq(escape_text_width(LIT("\xf0\x9f\x98\x80")), 2);
	cr_assert_eq(escape_text_width(LIT("e\xcc\x81")), 1);
	cr_assert_eq(escape_text_width(LIT("a\xe2\x80\x8b" "b")), 2);
}

Test(text, width_matches_output_for_ascii_output)
{
	char	in[48], *got;
	size_t	n, i, glen;
	int	iter;

	srand(4242);
	for (iter = 0; iter < 3000; iter++) {
		n = (size_t)(rand() % (int)sizeof(in));
		for (i = 0; i < n; i++) {
			in[i] = (char)(rand() % 256);
			if ((unsigned char)in[i] >= 0xc2 &&
			    (unsigned char)in[i] <= 0xf4)
				in[i] = (char)(rand() % 0x80);	/* no leads */
		}
		got = run(escape_text, in, n, &glen);
		for (i = 0; i < glen; i++)
			cr_assert((unsigned char)got[i] >= 0x20 &&
			    (unsigned char)got[i] < 0x7f, "iter %d", iter);
		cr_assert_eq(escape_text_width(in, n), glen, "iter %d", iter);
		free(got);
	}
}

Test(text, random_bytes_no_raw_controls)
{
	char	in[64], *got;
	size_t	n, i, glen;
	int	iter;

	srand(31337);
	for (iter = 0; iter < 5000; iter++) {
		n = (size_t)(rand() % (int)sizeof(in));
		for (i = 0; i < n; i++)
			in[i] = (char)(rand() % 256);
		got = run(escape_text, in, n, &glen);
		cr_assert(utf8_valid((unsigned char *)got, glen));
		for (i = 0; i < glen; i++)
			cr_assert((unsigned char)got[i] >= 0x20 &&
			    got[i] != 0x7f, "iter %d", iter);
		cr_assert_null(strstr(got, "\xc2\x9b"));
		cr_assert_leq(escape_text_width(in, n), glen);
		free(got);
	}
}
