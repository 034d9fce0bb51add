/*
 * url.c: parsing (cli.md, "URL-list format"), Host, Basic credentials,
 * masking, RFC 3986 reference resolution, and the small pieces proxy.c
 * and shard.c use too.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "httpstat/url.h"

#include "guard.h"

/* One input and what url_parse() should make of it. */
struct ok_case {
	char	 in[64];
	bool	 https;
	char	 host[32];
	bool	 ip;
	int	 port;
	char	 hostport[40];
	char	 target[40];
	char	 absolute[64];
};

/* One input url_parse() must refuse, and why. */
struct bad_case {
	char	 in[48];
	char	 why[40];
};

/* A reference, and what it resolves to against the RFC 3986 base. */
struct ref_case {
	char	 ref[24];
	char	 want[32];
};

#define BAD(s, why)	expect_bad((s), sizeof(s) - 1, (why))
#define MASK(s, want)	expect_mask((s), sizeof(s) - 1, (want), \
			    sizeof(want) - 1)

static int	 parse_n(const char *, size_t, struct target *,
		    const char **);
static int	 parse(const char *, struct target *, const char **);
static void	 expect_bad(const char *, size_t, const char *);
static void	 expect_target(const char *, const char *);
static void	 expect_auth(const char *, const char *);
static void	 expect_mask(const char *, size_t, const char *, size_t);
static void	 expect_ref(const char *, const struct ref_case *, size_t);
static void	 expect_scheme_len(const char *, size_t);
static void	 expect_authority_end(const char *, size_t, size_t, size_t);
static void	 expect_basic_auth(const char *, size_t, const char *);
static void	 expect_idna(const char *, const char *);

/* url_parse() on n bytes with nothing readable after them. */
static int
parse_n(const char *s, size_t n, struct target *t, const char **why)
{
	char	*p;
	int	 rc;

	p = guard_copy(s, n);
	rc = url_parse(p, n, t, why);
	guard_free(p);
	return (rc);
}

/* url_parse() on a string. */
static int
parse(const char *s, struct target *t, const char **why)
{
	return (parse_n(s, strlen(s), t, why));
}

/* n bytes of s are invalid for reason why, and t is left empty. */
static void
expect_bad(const char *s, size_t n, const char *why)
{
	struct target	 t;
	const char	*got = NULL;

	memset(&t, 0xa5, sizeof(t));
	cr_assert_eq(parse_n(s, n, &t, &got), -1, "in=%.*s", (int)n, s);
	cr_assert_str_eq(got, why, "in=%.*s", (int)n, s);
	cr_assert_null(t.host);
	cr_assert_null(t.hostport);
	cr_assert_null(t.target);
	cr_assert_null(t.auth);
	cr_assert_null(t.absolute);
	url_free(&t);
}

/* s parses and its request target is want. */
static void
expect_target(const char *s, const char *want)
{
	struct target	 t;
	const char	*why = NULL;

	cr_assert_eq(parse(s, &t, &why), 0, "in=%s why=%s", s, why);
	cr_assert_str_eq(t.target, want, "in=%s", s);
	url_free(&t);
}

/* s parses with Basic credentials want (NULL: none). */
static void
expect_auth(const char *s, const char *want)
{
	struct target	 t;
	const char	*why = NULL;

	cr_assert_eq(parse(s, &t, &why), 0, "in=%s why=%s", s, why);
	if (want == NULL)
		cr_assert_null(t.auth, "in=%s", s);
	else
		cr_assert_str_eq(t.auth, want, "in=%s", s);
	cr_assert(strchr(t.absolute, '@') == NULL, "in=%s", s);
	url_free(&t);
}

/* url_mask() of n bytes of s is wn bytes of want. */
static void
expect_mask(const char *s, size_t n, const char *want, size_t wn)
{
	size_t	 outlen;
	char	*p, *out;

	p = guard_copy(s, n);
	outlen = (size_t)-1;
	out = url_mask(p, n, &outlen);
	guard_free(p);
	cr_assert_eq(outlen, wn, "in=%.*s out=%.*s", (int)n, s, (int)outlen,
	    out);
	cr_assert_eq(memcmp(out, want, wn), 0, "in=%.*s out=%.*s", (int)n, s,
	    (int)outlen, out);
	cr_assert_eq(out[wn], '\0');
	free(out);
}

/* Each reference resolves against the RFC 3986 5.4 base as the RFC says. */
static void
expect_ref(const char *base, const struct ref_case *c, size_t n)
{
	char	*got;
	size_t	 i;

	for (i = 0; i < n; i++) {
		got = url_resolve_ref(base, c[i].ref);
		cr_assert_not_null(got, "ref=\"%s\"", c[i].ref);
		cr_expect_str_eq(got, c[i].want, "ref=\"%s\"", c[i].ref);
		free(got);
	}
}

/* url_scheme_len() of s, with nothing readable after it, is want. */
static void
expect_scheme_len(const char *s, size_t want)
{
	size_t	 n;
	char	*p;

	n = strlen(s);
	p = guard_copy(s, n);
	cr_expect_eq(url_scheme_len(p, n), want, "in=%s", s);
	guard_free(p);
}

/* url_authority_end() of n bytes of s from from is want. */
static void
expect_authority_end(const char *s, size_t n, size_t from, size_t want)
{
	char	*p;

	p = guard_copy(s, n);
	cr_expect_eq(url_authority_end(p, n, from), want, "in=%.*s from=%zu",
	    (int)n, s, from);
	guard_free(p);
}

/* url_basic_auth() of n bytes of user info s is want. */
static void
expect_basic_auth(const char *s, size_t n, const char *want)
{
	char	*p, *got;

	p = guard_copy(s, n);
	got = url_basic_auth(p, n);
	guard_free(p);
	cr_expect_str_eq(got, want, "in=%.*s", (int)n, s);
	free(got);
}

/* url_idna() of host s, with nothing readable after it, is want. */
static void
expect_idna(const char *s, const char *want)
{
	size_t	 n;
	char	*p, *got;

	n = strlen(s);
	p = guard_copy(s, n);
	got = url_idna(p, n);
	guard_free(p);
	if (want == NULL)
		cr_expect_null(got, "in=%s got=%s", s, got);
	else
		cr_expect_str_eq(got, want, "in=%s", s);
	free(got);
}

Test(url, parts)
{
	static const struct ok_case	 cases[] = {
		{ "http://example.com/path", false, "example.com", false, 80,
		    "example.com", "/path", "http://example.com/path" },
		{ "https://example.com", true, "example.com", false, 443,
		    "example.com", "/", "https://example.com/" },
		{ "HTTP://EXAMPLE.COM", false, "example.com", false, 80,
		    "example.com", "/", "http://example.com/" },
		{ "HtTpS://Example.Com:8443/A", true, "example.com", false,
		    8443, "example.com:8443", "/A",
		    "https://example.com:8443/A" },
		{ "http://example.com:80/", false, "example.com", false, 80,
		    "example.com", "/", "http://example.com/" },
		{ "https://example.com:443/x", true, "example.com", false, 443,
		    "example.com", "/x", "https://example.com/x" },
		{ "https://example.com:80/", true, "example.com", false, 80,
		    "example.com:80", "/", "https://example.com:80/" },
		{ "http://example.com:443/", false, "example.com", false, 443,
		    "example.com:443", "/", "http://example.com:443/" },
		{ "example.com/path", false, "example.com", false, 80,
		    "example.com", "/path", "http://example.com/path" },
		{ "localhost:8080/x", false, "localhost", false, 8080,
		    "localhost:8080", "/x", "http://localhost:8080/x" },
		{ "example.com/?u=http://x/", false, "example.com", false, 80,
		    "example.com", "/?u=http://x/",
		    "http://example.com/?u=http://x/" },
		{ "http://[::1]:8080/", false, "::1", true, 8080,
		    "[::1]:8080", "/", "http://[::1]:8080/" },
		{ "https://[::1]/h", true, "::1", true, 443, "[::1]", "/h",
		    "https://[::1]/h" },
		{ "http://[2001:DB8:0::1]/", false, "2001:db8::1", true, 80,
		    "[2001:db8::1]", "/", "http://[2001:db8::1]/" },
		{ "http://127.0.0.1:8080/ok", false, "127.0.0.1", true, 8080,
		    "127.0.0.1:8080", "/ok", "http://127.0.0.1:8080/ok" },
		{ "http://256.0.0.1/", false, "256.0.0.1", false, 80,
		    "256.0.0.1", "/", "http://256.0.0.1/" },
		{ "http://example.com./", false, "example.com.", false, 80,
		    "example.com.", "/", "http://example.com./" },
		{ "http://host:/", false, "host", false, 80, "host", "/",
		    "http://host/" },
		{ "http://host:0080/", false, "host", false, 80, "host", "/",
		    "http://host/" },
		{ "http://u:p@host:81/p?q#f", false, "host", false, 81,
		    "host:81", "/p?q", "http://host:81/p?q" },
		{ "http://under_score.example/", false, "under_score.example",
		    false, 80, "under_score.example", "/",
		    "http://under_score.example/" },
	};
	struct target	 t;
	const char	*why;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ok_case	*c = &cases[i];

		why = NULL;
		cr_assert_eq(parse(c->in, &t, &why), 0, "in=%s why=%s", c->in,
		    why);
		cr_expect_eq(t.https, c->https, "in=%s", c->in);
		cr_expect_str_eq(t.host, c->host, "in=%s", c->in);
		cr_expect_eq(t.host_is_ip, c->ip, "in=%s", c->in);
		cr_expect_eq(t.port, c->port, "in=%s", c->in);
		cr_expect_str_eq(t.hostport, c->hostport, "in=%s", c->in);
		cr_expect_str_eq(t.target, c->target, "in=%s", c->in);
		cr_expect_str_eq(t.absolute, c->absolute, "in=%s", c->in);
		url_free(&t);
	}
}

Test(url, scheme)
{
	BAD("ftp://example.com/", "unsupported scheme");
	BAD("FTP://example.com/", "unsupported scheme");
	BAD("httpx://example.com/", "unsupported scheme");
	BAD("file:///etc/passwd", "unsupported scheme");
	BAD("ws://h/", "unsupported scheme");
}

Test(url, empty_host)
{
	BAD("http://", "empty host");
	BAD("http:///x", "empty host");
	BAD("https://?q", "empty host");
	BAD("http://#f", "empty host");
	BAD("http://user:pass@/", "empty host");
	BAD("http://:80/", "empty host");
	BAD("", "empty host");
	BAD("/path", "empty host");
}

Test(url, bytes)
{
	BAD("http://example.com/a b", "space in URL");
	BAD(" http://example.com/", "space in URL");
	BAD("http://example.com/\r\n",
	    "control character in URL");
	BAD("http://example.com/\t", "control character in URL");
	BAD("http://example.com/\x7f",
	    "control character in URL");
	BAD("http://exa\x01mple.com/",
	    "control character in URL");
	BAD("http://example.com/a\0b", "control character in URL");
	BAD("http://example.com/\0", "control character in URL");
	BAD("\0", "control character in URL");
}

Test(url, length)
{
	static const char	 pre[] = "http://example.com/";
	struct target		 t;
	const char		*why = NULL;
	char			*s;

	s = malloc(URL_MAX + 2);
	memcpy(s, pre, sizeof(pre) - 1);
	memset(s + sizeof(pre) - 1, 'a', URL_MAX + 1 - (sizeof(pre) - 1));
	cr_assert_eq(parse_n(s, URL_MAX, &t, &why), 0, "why=%s", why);
	cr_assert_eq(strlen(t.target), URL_MAX - (sizeof(pre) - 2));
	url_free(&t);
	expect_bad(s, URL_MAX + 1, "URL longer than 8 KiB");
	free(s);
}

Test(url, ports)
{
	struct target	 t;
	const char	*why = NULL;

	cr_assert_eq(parse("http://h:1/", &t, &why), 0);
	cr_assert_eq(t.port, 1);
	cr_assert_str_eq(t.hostport, "h:1");
	url_free(&t);
	cr_assert_eq(parse("http://h:65535/", &t, &why), 0);
	cr_assert_eq(t.port, 65535);
	cr_assert_str_eq(t.hostport, "h:65535");
	url_free(&t);
	BAD("http://h:0/", "bad port");
	BAD("http://h:00/", "bad port");
	BAD("http://h:65536/", "bad port");
	BAD("http://h:99999999999999999999999/", "bad port");
	BAD("http://h:abc/", "bad port");
	BAD("http://h:8a/", "bad port");
	BAD("http://h:-1/", "bad port");
	BAD("http://h:+80/", "bad port");
	BAD("http://h:80:80/", "bad port");
	BAD("http://[::1]:x/", "bad port");
	BAD("h:0", "bad port");
}

Test(url, ipv6)
{
	BAD("http://[::1/", "bad IPv6 literal");
	BAD("http://[:::1]/", "bad IPv6 literal");
	BAD("http://[::1]x/", "bad IPv6 literal");
	BAD("http://[]/", "bad IPv6 literal");
	BAD("http://[127.0.0.1]/", "bad IPv6 literal");
	BAD("http://[fe80::1%25eth0]/", "bad IPv6 literal");
	BAD("http://[v1.x]/", "bad IPv6 literal");
	BAD("http://[::g]/", "bad IPv6 literal");
	BAD("http://[1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16]/",
	    "bad IPv6 literal");
	BAD("http://a[::1]/", "bad character in host");
}

Test(url, host_chars)
{
	BAD("http://exa%6dple.com/", "bad character in host");
	BAD("http://a<b/", "bad character in host");
	BAD("http://a,b/", "bad character in host");
	BAD("http://a\"b/", "bad character in host");
	BAD("http://a]b/", "bad character in host");
}

Test(url, idna)
{
	struct target	 t;
	const char	*why = NULL;

	cr_assert_eq(parse("http://bücher.example/", &t, &why), 0, "%s", why);
	cr_assert_str_eq(t.host, "xn--bcher-kva.example");
	cr_assert_str_eq(t.hostport, "xn--bcher-kva.example");
	cr_assert_str_eq(t.absolute, "http://xn--bcher-kva.example/");
	cr_assert_not(t.host_is_ip);
	url_free(&t);
	cr_assert_eq(parse("https://例え.jp:8443/", &t, &why), 0, "%s", why);
	cr_assert_str_eq(t.host, "xn--r8jz45g.jp");
	cr_assert_str_eq(t.hostport, "xn--r8jz45g.jp:8443");
	url_free(&t);
	cr_assert_eq(parse("http://BÜCHER.Example/", &t, &why), 0, "%s", why);
	cr_assert_str_eq(t.host, "xn--bcher-kva.example");
	url_free(&t);
	cr_assert_eq(parse("bücher.example./p", &t, &why), 0, "%s", why);
	cr_assert_str_eq(t.absolute, "http://xn--bcher-kva.example./p");
	url_free(&t);
	cr_assert_eq(parse("http://u:p@bücher.example/", &t, &why), 0);
	cr_assert_str_eq(t.host, "xn--bcher-kva.example");
	url_free(&t);
	BAD("http://-\xc3\xbc.com/",
	    "host cannot be converted to IDNA");
	BAD("http://\xe2\x80\x8b/",
	    "host cannot be converted to IDNA");
}

Test(url, host_not_utf8)
{
	BAD("http://b\xfc" "cher.example/",
	    "host is not valid UTF-8");
	BAD("http://\xc0\xaf.example/", "host is not valid UTF-8");
	BAD("http://\xed\xa0\x80.example/",
	    "host is not valid UTF-8");
	BAD("http://\xf4\x90\x80\x80.example/",
	    "host is not valid UTF-8");
	BAD("http://a\xc3", "host is not valid UTF-8");
	BAD("http://\xff/", "host is not valid UTF-8");
}

Test(url, target)
{
	expect_target("http://h/\xc3\xa4", "/%C3%A4");
	expect_target("http://h/ä?q=é#ü", "/%C3%A4?q=%C3%A9");
	expect_target("http://h/\xff\xfe?\x80", "/%FF%FE?%80");
	expect_target("http://h/%c3%a4%2F%zz%", "/%c3%a4%2F%zz%");
	expect_target("http://h/p?a=1&b=2", "/p?a=1&b=2");
	expect_target("http://h?x", "/?x");
	expect_target("http://h/?", "/?");
	expect_target("http://h/p?q#frag", "/p?q");
	expect_target("http://h#f", "/");
	expect_target("http://h/p#f?x", "/p");
	expect_target("http://h/a|b{c}[d]?e[]=1^`\\", "/a|b{c}[d]?e[]=1^`\\");
	expect_target("http://h/a/b/../c/./d", "/a/c/d");
	expect_target("http://h/..", "/");
	expect_target("http://h/a/..?x/../y", "/?x/../y");
	expect_target("http://h//x//", "//x//");
	expect_target("http://h/a@b:c", "/a@b:c");
}

Test(url, auth)
{
	expect_auth("http://user:pass@host/", "dXNlcjpwYXNz");
	expect_auth("http://us%40er:p%40ss@host/", "dXNAZXI6cEBzcw==");
	expect_auth("http://user@host/", "dXNlcjo=");
	expect_auth("http://user:@host/", "dXNlcjo=");
	expect_auth("http://:@host/", "Og==");
	expect_auth("http://@host/", NULL);
	expect_auth("http://host/", NULL);
	expect_auth("http://user:p@ss@host/", "dXNlcjpwQHNz");
	expect_auth("http://Aladdin:open%20sesame@host/",
	    "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
	expect_auth("http://a%zz:b@host/", "YSV6ejpi");
	expect_auth("http://%C3%a4:%00%ff@host/", "w6Q6AP8=");
	expect_auth("http://u:p%3aq@host/", "dTpwOnE=");
	expect_auth("https://u:p:q@[::1]:8443/", "dTpwOnE=");
	expect_auth("user:pass@host/", "dXNlcjpwYXNz");
}

Test(url, free_is_safe)
{
	struct target	 t;
	const char	*why = NULL;

	memset(&t, 0, sizeof(t));
	url_free(&t);
	url_free(&t);
	cr_assert_eq(parse("http://u:p@h/", &t, &why), 0);
	url_free(&t);
	url_free(&t);
	cr_assert_null(t.host);
	cr_assert_null(t.auth);
	cr_assert_eq(parse("ftp://u:p@h/", &t, &why), -1);
	url_free(&t);
	cr_assert_eq(parse("http://u:p@h:0/", &t, &why), -1);
	cr_assert_null(t.auth);
	url_free(&t);
	cr_assert_eq(url_parse("http://h/", 9, &t, NULL), 0);
	url_free(&t);
	cr_assert_eq(url_parse("http://h:0/", 11, &t, NULL), -1);
}

Test(url, mask)
{
	static const char	 nul_in[] = "http://u:p\0w@h/\0x";
	static const char	 nul_out[] = "http://u:***@h/\0x";
	char			*out;

	MASK("http://user:pass@host/", "http://user:***@host/");
	MASK("http://user@host/", "http://user@host/");
	MASK("http://host/", "http://host/");
	MASK("http://user:@host/", "http://user:@host/");
	MASK("user:pass@host/x", "user:***@host/x");
	MASK("http://u:p@ss@host/", "http://u:***@host/");
	MASK("http://a:b:c@h", "http://a:***@h");
	MASK("http://u:p@host/a@b", "http://u:***@host/a@b");
	MASK("http://host/?a:b@c", "http://host/?a:b@c");
	MASK("http://host/#a:b@c", "http://host/#a:b@c");
	MASK("http://u:p#x@h/", "http://u:p#x@h/");
	MASK("HTTPS://u:s3cr%40t@h:1?q", "HTTPS://u:***@h:1?q");
	MASK("ftp://u:p@h/", "ftp://u:***@h/");
	MASK("http://u:p a@h x", "http://u:***@h x");
	MASK("http://:p@[::1/", "http://:***@[::1/");
	expect_mask(nul_in, sizeof(nul_in) - 1, nul_out, sizeof(nul_out) - 1);
	MASK("", "");
	MASK("@", "@");
	MASK(":@", ":@");
	MASK("http://", "http://");
	MASK("http://:x@", "http://:***@");
	out = url_mask("http://u:p@h/", 13, NULL);
	cr_assert_str_eq(out, "http://u:***@h/");
	free(out);
}

Test(url, resolve_rfc3986_normal)
{
	static const struct ref_case	 cases[] = {
		{ "g", "http://a/b/c/g" },
		{ "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" },
		{ "/g", "http://a/g" },
		{ "//g", "http://g" },
		{ "?y", "http://a/b/c/d;p?y" },
		{ "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q#s" },
		{ "g#s", "http://a/b/c/g#s" },
		{ "g?y#s", "http://a/b/c/g?y#s" },
		{ ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" },
		{ "g;x?y#s", "http://a/b/c/g;x?y#s" },
		{ "", "http://a/b/c/d;p?q" },
		{ ".", "http://a/b/c/" },
		{ "./", "http://a/b/c/" },
		{ "..", "http://a/b/" },
		{ "../", "http://a/b/" },
		{ "../g", "http://a/b/g" },
		{ "../..", "http://a/" },
		{ "../../", "http://a/" },
		{ "../../g", "http://a/g" },
	};

	expect_ref("http://a/b/c/d;p?q", cases, sizeof(cases) /
	    sizeof(cases[0]));
	/* "g:h" resolves to "g:h", which is not http(s): unusable here. */
	cr_assert_null(url_resolve_ref("http://a/b/c/d;p?q", "g:h"));
}

Test(url, resolve_rfc3986_abnormal)
{
	static const struct ref_case	 cases[] = {
		{ "../../../g", "http://a/g" },
		{ "../../../../g", "http://a/g" },
		{ "/./g", "http://a/g" },
		{ "/../g", "http://a/g" },
		{ "g.", "http://a/b/c/g." },
		{ ".g", "http://a/b/c/.g" },
		{ "g..", "http://a/b/c/g.." },
		{ "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" },
		{ "./g/.", "http://a/b/c/g/" },
		{ "g/./h", "http://a/b/c/g/h" },
		{ "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
		{ "g;x=1/../y", "http://a/b/c/y" },
		{ "g?y/./x", "http://a/b/c/g?y/./x" },
		{ "g?y/../x", "http://a/b/c/g?y/../x" },
		{ "g#s/./x", "http://a/b/c/g#s/./x" },
		{ "g#s/../x", "http://a/b/c/g#s/../x" },
		/* The RFC's "backward compatibility" reading, as browsers. */
		{ "http:g", "http://a/b/c/g" },
		{ "HTTP:g", "http://a/b/c/g" },
	};

	expect_ref("http://a/b/c/d;p?q", cases, sizeof(cases) /
	    sizeof(cases[0]));
}

Test(url, resolve_other)
{
	static const struct ref_case	 cases[] = {
		{ "https://x/", "https://x/" },
		{ "HTTPS://X/a/../b", "HTTPS://X/b" },
		{ "//x/y/./z", "http://x/y/z" },
		{ "http://u:p@x:81/", "http://u:p@x:81/" },
		{ "?", "http://a/b/c/d;p?" },
		{ "#", "http://a/b/c/d;p?q#" },
		{ "ä", "http://a/b/c/ä" },
	};
	char	*got;

	expect_ref("http://a/b/c/d;p?q", cases, sizeof(cases) /
	    sizeof(cases[0]));
	cr_assert_null(url_resolve_ref("http://a/b", "ftp://x/"));
	cr_assert_null(url_resolve_ref("http://a/b", "mailto:x@y"));
	cr_assert_null(url_resolve_ref("http://a/b", "https:g"));
	cr_assert_null(url_resolve_ref("http://a/b", "///x"));
	cr_assert_null(url_resolve_ref("http://a/b", "http:///x"));
	cr_assert_null(url_resolve_ref("/relative", "g"));
	cr_assert_null(url_resolve_ref("http:/a", "g"));
	cr_assert_null(url_resolve_ref("", ""));
	got = url_resolve_ref("https://h:8443", "x");
	cr_assert_str_eq(got, "https://h:8443/x");
	free(got);
	got = url_resolve_ref("https://h:8443", "");
	cr_assert_str_eq(got, "https://h:8443");
	free(got);
	got = url_resolve_ref("https://[::1]:8443/a/b?c", "../d?e");
	cr_assert_str_eq(got, "https://[::1]:8443/d?e");
	free(got);
}

Test(url, absolute_round_trip)
{
	static const char	*in[] = {
		"HTTPS://u:p@Bücher.example:443/a/../%zz/\xff?\xfe#x",
		"example.com:8080?q",
		"http://[::FFFF:1.2.3.4]:81/",
	};
	struct target	 t, u;
	const char	*why = NULL;
	size_t		 i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		cr_assert_eq(parse(in[i], &t, &why), 0, "in=%s why=%s", in[i],
		    why);
		cr_assert_eq(parse(t.absolute, &u, &why), 0, "%s", t.absolute);
		cr_assert_str_eq(u.absolute, t.absolute);
		cr_assert_str_eq(u.hostport, t.hostport);
		cr_assert_str_eq(u.target, t.target);
		url_free(&t);
		url_free(&u);
	}
}

Test(url, scheme_len)
{
	expect_scheme_len("http://h/", 4);
	expect_scheme_len("HTTPS://h", 5);
	expect_scheme_len("socks5://h", 6);
	expect_scheme_len("a+b-c.d9://", 8);
	expect_scheme_len("x://", 1);
	expect_scheme_len("host:8080/x", 0);
	expect_scheme_len("http:g", 0);
	expect_scheme_len("http:/x", 0);
	expect_scheme_len("http:/", 0);
	expect_scheme_len("http:", 0);
	expect_scheme_len("http", 0);
	expect_scheme_len("://h", 0);
	expect_scheme_len("1http://h", 0);
	expect_scheme_len("+a://h", 0);
	expect_scheme_len("ht tp://h", 0);
	expect_scheme_len("h/?u=http://x", 0);
	expect_scheme_len("", 0);
}

Test(url, authority_end)
{
	static const char	 nul[] = "h\0x/";

	expect_authority_end("http://u@h:1/p?q#f", 18, 7, 12);
	expect_authority_end("h?q", 3, 0, 1);
	expect_authority_end("h#f", 3, 0, 1);
	expect_authority_end("/p", 2, 0, 0);
	expect_authority_end("host", 4, 0, 4);
	expect_authority_end("host", 4, 4, 4);
	expect_authority_end("a/b/c", 5, 2, 3);
	/* A NUL does not end it (shard.c stops there itself). */
	expect_authority_end(nul, sizeof(nul) - 1, 0, 3);
}

Test(url, caseeq)
{
	cr_assert(url_caseeq("HTTP", 4, "http", 4));
	cr_assert(url_caseeq("hTtPs", 5, "HtTpS", 5));
	cr_assert(url_caseeq("a-Z.0_", 6, "A-z.0_", 6));
	cr_assert(url_caseeq("", 0, "", 0));
	cr_assert(url_caseeq("abX", 2, "ABY", 2));
	cr_assert_not(url_caseeq("http", 4, "https", 5));
	cr_assert_not(url_caseeq("http", 4, "htto", 4));
	/* Only letters fold: these differ by 0x20 too. */
	cr_assert_not(url_caseeq("@", 1, "`", 1));
	cr_assert_not(url_caseeq("[", 1, "{", 1));
	cr_assert_not(url_caseeq("\xc3\x9c", 2, "\xc3\xbc", 2));
	cr_assert_not(url_caseeq("\xc0", 1, "\xe0", 1));
}

Test(url, hexval)
{
	static const char	 lower[] = "0123456789abcdef";
	static const char	 upper[] = "0123456789ABCDEF";
	size_t			 i;
	int			 c, want;

	for (c = -128; c < 256; c++) {
		want = -1;
		for (i = 0; i < 16; i++)
			if (c == lower[i] || c == upper[i])
				want = (int)i;
		cr_expect_eq(url_hexval(c), want, "c=%d", c);
	}
	cr_assert_eq(url_hexval((char)0xc1), -1);
}

Test(url, basic_auth)
{
	static const char	 nul[] = "x:y%00z";

	expect_basic_auth("user:pass", 9, "dXNlcjpwYXNz");
	expect_basic_auth("user", 4, "dXNlcjo=");
	expect_basic_auth("user:", 5, "dXNlcjo=");
	expect_basic_auth(":", 1, "Og==");
	expect_basic_auth("us%40er:p%40ss", 14, "dXNAZXI6cEBzcw==");
	expect_basic_auth("u:p%3aq", 7, "dTpwOnE=");
	expect_basic_auth("u%3a:p", 6, "dTo6cA==");
	expect_basic_auth("u:p:q", 5, "dTpwOnE=");
	expect_basic_auth("%C3%a4:%00%ff", 13, "w6Q6AP8=");
	expect_basic_auth(nul, sizeof(nul) - 1, "eDp5AHo=");
	/* A stray '%' stays, even at the end of a half. */
	expect_basic_auth("a%zz:b", 6, "YSV6ejpi");
	expect_basic_auth("a%4:b", 5, "YSU0OmI=");
	expect_basic_auth("ab%:", 4, "YWIlOg==");
	expect_basic_auth("u:p%", 4, "dTpwJQ==");
	/* Only n bytes count. */
	expect_basic_auth("user:passXYZ", 9, "dXNlcjpwYXNz");
}

Test(url, idna_alabel)
{
	expect_idna("b\xc3\xbc" "cher.example", "xn--bcher-kva.example");
	expect_idna("B\xc3\x9c" "CHER.Example", "xn--bcher-kva.example");
	expect_idna("\xe4\xbe\x8b\xe3\x81\x88.jp", "xn--r8jz45g.jp");
	/* NFC: u + combining diaeresis is the same host. */
	expect_idna("bu\xcc\x88" "cher.de", "xn--bcher-kva.de");
	/* Non-transitional: sharp s stays, as curl. */
	expect_idna("fa\xc3\x9f.de", "xn--fa-hia.de");
	/* A symbol: refused non-transitional, taken transitional, as curl. */
	expect_idna("\xe2\x98\x83.test", "xn--n3h.test");
	expect_idna("b\xc3\xbc" "cher\xe3\x80\x82" "de", "xn--bcher-kva.de");
	expect_idna("A.\xc3\xbc", "a.xn--tda");
	expect_idna("-\xc3\xbc.com", NULL);
	expect_idna("\xcc\x88" "abc.test", NULL);
	expect_idna("b\xfc" "cher.example", NULL);
	expect_idna("\xff\xfe.test", NULL);
}

Test(url, idna_unchecked)
{
	char	*got;

	/* Not checked for host-name bytes: url_parse() refuses these. */
	expect_idna("\xc3\xbc.A<b", "xn--tda.a<b");
	expect_idna("\xc2\xad", "");
	BAD("http://\xc3\xbc.A<b/", "host cannot be converted to IDNA");
	BAD("http://\xc2\xad/", "host cannot be converted to IDNA");
	/* Only n bytes count. */
	got = url_idna("\xc3\xbc.test!", 7);
	cr_assert_str_eq(got, "xn--tda.test");
	free(got);
}

Test(url, lower)
{
	char	 s[] = "AbC-Z.09_\xc3\x9c@[`{";
	char	 e[] = "";

	url_lower(s);
	cr_assert_str_eq(s, "abc-z.09_\xc3\x9c@[`{");
	url_lower(e);
	cr_assert_str_eq(e, "");
}
