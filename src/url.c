/*
 * URL handling: our own checks around evhttp_uri_parse_with_flags().
 *
 * libevent 2.1's parser decides less than it seems.  Its host check
 * (regname_ok) takes no byte >= 0x80, so an IDN host must be an A-label
 * before libevent sees it; its user info check takes no raw '@' or
 * non-ASCII byte and splits at the first '@'; it takes port 0 and cannot
 * say why it refused a URL; in conformant mode it refuses '|', '{', '['
 * and bytes >= 0x80 in the path and query, which real URLs have.  So the
 * authority is split and checked here, the rest gets its bytes >= 0x80
 * percent-encoded, and libevent, with EVHTTP_URI_NONCONFORMANT, parses the
 * rebuilt URL (A-label host, no user info) into path, query and fragment.
 * Its strings are NUL-terminated: NUL (a control character) is refused
 * before it is called.
 */
#include "httpstat/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <idn2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "httpstat/xmalloc.h"

/* A growing NUL-terminated string. */
struct url_buf {
	char	*p;		/* owned */
	size_t	 len;
	size_t	 cap;
};

/* A piece of a string, not NUL-terminated; set: present (maybe empty). */
struct url_span {
	const char	*p;		/* borrowed */
	size_t		 len;
	bool		 set;
};

/* The five components of a URI reference (RFC 3986, 3 and appendix B). */
struct url_parts {
	struct url_span	 scheme;
	struct url_span	 authority;
	struct url_span	 path;
	struct url_span	 query;
	struct url_span	 fragment;
};

static const char	*url_check_bytes(const char *, size_t);
static size_t		 url_scheme_end(const char *, size_t);
static const char	*url_set_scheme(struct target *, const char *,
			    size_t);
static const char	*url_parse_authority(struct target *, const char *,
			    size_t);
static void		 url_pct_decode(struct url_buf *, const char *,
			    size_t);
static const char	*url_set_ipv6(struct target *, const char *, size_t);
static const char	*url_set_host(struct target *, const char *, size_t);
static bool		 url_utf8_ok(const unsigned char *, size_t);
static bool		 url_ldh_ok(const char *);
static const char	*url_set_port(struct target *, const char *, size_t,
			    bool);
static const char	*url_parse_rest(struct target *, const char *,
			    size_t);
static void		 url_encode_high(struct url_buf *, const char *,
			    size_t);
static void		 url_set_hostport(struct target *);
static char		*url_remove_dots(const char *, size_t);
static size_t		 url_pop_segment(const char *, size_t);
static bool		 url_prefix(const char *, size_t, const char *);
static void		 url_split(const char *, size_t, struct url_parts *);
static char		*url_merge(const struct url_parts *,
			    const struct url_parts *);
static void		 url_buf_span(struct url_buf *, const char *,
			    const struct url_span *);
static void		 url_buf_add(struct url_buf *, const char *, size_t);
static void		 url_buf_str(struct url_buf *, const char *);

/* cli.md: control characters, spaces, CR/LF and over 8 KiB are invalid. */
static const char *
url_check_bytes(const char *s, size_t len)
{
	size_t	 i;

	if (len > URL_MAX)
		return ("URL longer than 8 KiB");
	for (i = 0; i < len; i++) {
		if (s[i] == ' ')
			return ("space in URL");
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return ("control character in URL");
	}
	return (NULL);
}

/* Length of a leading RFC 3986 scheme followed by ':', or 0. */
static size_t
url_scheme_end(const char *s, size_t len)
{
	size_t	 i;
	char	 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if (i > 0 && ((c >= '0' && c <= '9') || c == '+' ||
		    c == '-' || c == '.'))
			continue;
		return (c == ':' && i > 0 ? i : 0);
	}
	return (0);
}

/* Length of the scheme if s starts with "scheme://", else 0. */
size_t
url_scheme_len(const char *s, size_t len)
{
	size_t	 n;

	if ((n = url_scheme_end(s, len)) == 0 || len - n < 3 ||
	    s[n + 1] != '/' || s[n + 2] != '/')
		return (0);
	return (n);
}

/* Index of the first '/', '?' or '#' at or after from, or len. */
size_t
url_authority_end(const char *s, size_t len, size_t from)
{
	while (from < len && s[from] != '/' && s[from] != '?' &&
	    s[from] != '#')
		from++;
	return (from);
}

/* Whether two byte strings are equal, ignoring ASCII case. */
bool
url_caseeq(const char *p, size_t n, const char *q, size_t m)
{
	size_t	 i;
	char	 c, d;

	if (n != m)
		return (false);
	for (i = 0; i < n; i++) {
		c = p[i];
		d = q[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (d >= 'A' && d <= 'Z')
			d = (char)(d - 'A' + 'a');
		if (c != d)
			return (false);
	}
	return (true);
}

/* cli.md, "URL-list format": an entry's URL to the pieces a check sends. */
int
url_parse(const char *s, size_t len, struct target *t, const char **why)
{
	const char	*msg;
	size_t		 n, a, e;

	memset(t, 0, sizeof(*t));
	if ((msg = url_check_bytes(s, len)) != NULL)
		goto fail;
	/* cli.md: no scheme gets http://, as curl does. */
	n = url_scheme_len(s, len);
	if ((msg = url_set_scheme(t, s, n)) != NULL)
		goto fail;
	a = n == 0 ? 0 : n + 3;
	e = url_authority_end(s, len, a);
	if ((msg = url_parse_authority(t, s + a, e - a)) != NULL)
		goto fail;
	if ((msg = url_parse_rest(t, s + e, len - e)) != NULL)
		goto fail;
	return (0);
fail:
	url_free(t);
	if (why != NULL)
		*why = msg;
	return (-1);
}

/* http or https, in any case; n == 0: none given, so http. */
static const char *
url_set_scheme(struct target *t, const char *s, size_t n)
{
	if (n == 0 || url_caseeq(s, n, "http", 4))
		t->https = false;
	else if (url_caseeq(s, n, "https", 5))
		t->https = true;
	else
		return ("unsupported scheme");
	return (NULL);
}

/* [userinfo@]host[:port]; the user info ends at the last '@'. */
static const char *
url_parse_authority(struct target *t, const char *s, size_t n)
{
	const char	*hp, *he, *end, *colon;
	const char	*msg;
	size_t		 i;

	hp = s;
	for (i = n; i > 0; i--) {
		if (s[i - 1] == '@') {
			if (i > 1)
				t->auth = url_basic_auth(s, i - 1);
			hp = s + i;
			break;
		}
	}
	he = s + n;
	if (hp < he && *hp == '[') {
		if ((end = memchr(hp, ']', (size_t)(he - hp))) == NULL ||
		    (end + 1 < he && end[1] != ':'))
			return ("bad IPv6 literal");
		if ((msg = url_set_ipv6(t, hp + 1,
		    (size_t)(end - hp - 1))) != NULL)
			return (msg);
		colon = end + 1 < he ? end + 1 : NULL;
	} else {
		colon = memchr(hp, ':', (size_t)(he - hp));
		end = colon != NULL ? colon : he;
		if ((msg = url_set_host(t, hp, (size_t)(end - hp))) != NULL)
			return (msg);
	}
	if (colon == NULL)
		return (url_set_port(t, NULL, 0, false));
	return (url_set_port(t, colon + 1, (size_t)(he - colon - 1), true));
}

/*
 * cli.md: user info, percent-decoded, as Basic credentials (base64).
 * Both halves are decoded leniently: a '%' not followed by two hex digits
 * stays as it is (proxy.c refuses one before it calls this).
 */
char *
url_basic_auth(const char *s, size_t n)
{
	struct url_buf	 b = { NULL, 0, 0 };
	const char	*colon;
	char		*out;

	colon = memchr(s, ':', n);
	url_pct_decode(&b, s, colon != NULL ? (size_t)(colon - s) : n);
	url_buf_add(&b, ":", 1);
	if (colon != NULL)
		url_pct_decode(&b, colon + 1, n - (size_t)(colon - s) - 1);
	out = xmalloc(4 * ((b.len + 2) / 3) + 1);
	/* n <= URL_MAX (url.h), so b.len <= n + 1 fits an int. */
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)b.p,
	    (int)b.len);
	OPENSSL_cleanse(b.p, b.len);
	free(b.p);
	return (out);
}

/* Append n bytes with %XX decoded; a stray '%' stays as it is. */
static void
url_pct_decode(struct url_buf *b, const char *s, size_t n)
{
	size_t	 i;
	int	 hi, lo;
	char	 c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '%' && n - i > 2 && (hi = url_hexval(s[i + 1])) >= 0 &&
		    (lo = url_hexval(s[i + 2])) >= 0) {
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		url_buf_add(b, &c, 1);
	}
}

/* The value of a hex digit, or -1. */
int
url_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* An IPv6 literal without its brackets; kept in inet_ntop form. */
static const char *
url_set_ipv6(struct target *t, const char *s, size_t n)
{
	struct in6_addr	 in6;
	char		 buf[INET6_ADDRSTRLEN + 1];

	if (n == 0 || n >= sizeof(buf))
		return ("bad IPv6 literal");
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, &in6) != 1 ||
	    inet_ntop(AF_INET6, &in6, buf, sizeof(buf)) == NULL)
		return ("bad IPv6 literal");
	t->host = xstrdup(buf);
	t->host_is_ip = true;
	return (NULL);
}

/* cli.md: a host name, as an A-label in lower case; or an IPv4 literal. */
static const char *
url_set_host(struct target *t, const char *s, size_t n)
{
	struct in_addr	 in4;
	size_t		 i;

	if (n == 0)
		return ("empty host");
	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == n)
		t->host = xstrndup(s, n);
	else if (!url_utf8_ok((const unsigned char *)s, n))
		return ("host is not valid UTF-8");
	else if ((t->host = url_idna(s, n)) == NULL ||
	    t->host[0] == '\0' || !url_ldh_ok(t->host))
		return ("host cannot be converted to IDNA");
	url_lower(t->host);
	if (!url_ldh_ok(t->host))
		return ("bad character in host");
	t->host_is_ip = inet_pton(AF_INET, t->host, &in4) == 1;
	return (NULL);
}

/* Strict UTF-8: no overlong forms, surrogates or values over U+10FFFF. */
static bool
url_utf8_ok(const unsigned char *s, size_t n)
{
	size_t		 i, k, more;
	uint32_t	 cp, min;

	for (i = 0; i < n; i += more + 1) {
		if (s[i] < 0x80) {
			more = 0;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			more = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			more = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			more = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return (false);
		if (n - i <= more)
			return (false);
		for (k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (false);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (false);
	}
	return (true);
}

/*
 * UTF-8 host to A-label, lower case: UTS #46 non-transitional first,
 * transitional if that fails (as curl does, so names with symbols still
 * work).  UTS #46 normalises to NFC, so IDN2_NFC_INPUT would change
 * nothing.  NULL if neither works.  The result may be empty or hold bytes
 * a host name may not (STD3 rules are off): the caller decides.
 */
char *
url_idna(const char *s, size_t n)
{
	char	*in, *out, *ret;

	in = xstrndup(s, n);
	out = NULL;
	if (idn2_to_ascii_8z(in, &out, IDN2_NONTRANSITIONAL) != IDN2_OK) {
		out = NULL;
		if (idn2_to_ascii_8z(in, &out, IDN2_TRANSITIONAL) != IDN2_OK)
			out = NULL;
	}
	free(in);
	if (out == NULL)
		return (NULL);
	ret = xstrdup(out);
	idn2_free(out);
	url_lower(ret);
	return (ret);
}

/* ASCII lower case in place, whatever the locale. */
void
url_lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* A host name holds letters, digits, '-', '.' and '_' only. */
static bool
url_ldh_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ||
		    *s == '_')
			continue;
		return (false);
	}
	return (true);
}

/* 1 to 65535 in decimal; none or empty (as curl): the scheme's default. */
static const char *
url_set_port(struct target *t, const char *s, size_t n, bool given)
{
	unsigned long	 v;
	size_t		 i;

	t->port = t->https ? 443 : 80;
	if (!given || n == 0)
		return (NULL);
	v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return ("bad port");
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > 65535)
			return ("bad port");
	}
	if (v == 0)
		return ("bad port");
	t->port = (unsigned short)v;
	return (NULL);
}

/* Path, query, fragment: encoded, split by libevent; target, absolute. */
static const char *
url_parse_rest(struct target *t, const char *s, size_t n)
{
	struct url_buf		 b = { NULL, 0, 0 };
	struct evhttp_uri	*uri;
	const char		*path, *query;
	char			*clean;

	url_set_hostport(t);
	url_buf_str(&b, t->https ? "https://" : "http://");
	url_buf_str(&b, t->hostport);
	/* cli.md: non-ASCII bytes are sent percent-encoded, as curl does. */
	url_encode_high(&b, s, n);
	uri = evhttp_uri_parse_with_flags(b.p, EVHTTP_URI_NONCONFORMANT);
	free(b.p);
	if (uri == NULL)
		return ("malformed URL");
	if ((path = evhttp_uri_get_path(uri)) == NULL)
		path = "";
	query = evhttp_uri_get_query(uri);
	clean = url_remove_dots(path, strlen(path));
	b = (struct url_buf){ NULL, 0, 0 };
	url_buf_str(&b, clean[0] == '\0' ? "/" : clean);
	free(clean);
	if (query != NULL) {
		url_buf_add(&b, "?", 1);
		url_buf_str(&b, query);
	}
	evhttp_uri_free(uri);
	t->target = b.p;
	/* The fragment stays behind: cli.md, it is never sent. */
	b = (struct url_buf){ NULL, 0, 0 };
	url_buf_str(&b, t->https ? "https://" : "http://");
	url_buf_str(&b, t->hostport);
	url_buf_str(&b, t->target);
	t->absolute = b.p;
	return (NULL);
}

/* Append n bytes with each byte >= 0x80 as %XX (upper case). */
static void
url_encode_high(struct url_buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	char			 enc[3];
	size_t			 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c < 0x80) {
			url_buf_add(b, s + i, 1);
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 0x0f];
		url_buf_add(b, enc, 3);
	}
}

/* cli.md: Host is the host, IPv6 bracketed, ":port" when not default. */
static void
url_set_hostport(struct target *t)
{
	struct url_buf	 b = { NULL, 0, 0 };
	char		 port[8];
	bool		 v6;

	v6 = strchr(t->host, ':') != NULL;
	if (v6)
		url_buf_add(&b, "[", 1);
	url_buf_str(&b, t->host);
	if (v6)
		url_buf_add(&b, "]", 1);
	if (t->port != (t->https ? 443 : 80)) {
		snprintf(port, sizeof(port), ":%u", (unsigned)t->port);
		url_buf_str(&b, port);
	}
	t->hostport = b.p;
}

/* RFC 3986 5.2.4: remove "." and ".." segments from n bytes; xmalloc'd. */
static char *
url_remove_dots(const char *s, size_t n)
{
	char	*in, *out;
	size_t	 i, o, k, left;

	in = xstrndup(s, n);	/* steps B and C rewrite the input */
	out = xmalloc(n + 1);
	for (i = o = 0; i < n; ) {
		left = n - i;
		if (url_prefix(in + i, left, "../"))
			i += 3;
		else if (url_prefix(in + i, left, "./"))
			i += 2;
		else if (url_prefix(in + i, left, "/./"))
			i += 2;
		else if (left == 2 && url_prefix(in + i, left, "/."))
			in[++i] = '/';
		else if (url_prefix(in + i, left, "/../")) {
			i += 3;
			o = url_pop_segment(out, o);
		} else if (left == 3 && url_prefix(in + i, left, "/..")) {
			i += 2;
			in[i] = '/';
			o = url_pop_segment(out, o);
		} else if ((left == 1 && in[i] == '.') ||
		    (left == 2 && url_prefix(in + i, left, "..")))
			i = n;
		else {
			for (k = 1; k < left && in[i + k] != '/'; k++)
				;
			memcpy(out + o, in + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	free(in);
	return (out);
}

/* Output length after removing its last segment and the '/' before it. */
static size_t
url_pop_segment(const char *out, size_t o)
{
	while (o > 0 && out[o - 1] != '/')
		o--;
	return (o > 0 ? o - 1 : 0);
}

/* Whether the n bytes at s start with the string p. */
static bool
url_prefix(const char *s, size_t n, const char *p)
{
	size_t	 m;

	m = strlen(p);
	return (n >= m && memcmp(s, p, m) == 0);
}

/* Free what t owns (wiping the credentials) and zero it. */
void
url_free(struct target *t)
{
	free(t->host);
	free(t->hostport);
	free(t->target);
	if (t->auth != NULL) {
		OPENSSL_cleanse(t->auth, strlen(t->auth));
		free(t->auth);
	}
	free(t->absolute);
	memset(t, 0, sizeof(*t));
}

/*
 * cli.md: results never show a password.  It runs from the first ':' after
 * "scheme://" (or the start, as url_parse() adds http://) to the last '@'
 * before the authority ends at '/', '?' or '#'.
 */
char *
url_mask(const char *s, size_t len, size_t *outlen)
{
	struct url_buf	 b = { NULL, 0, 0 };
	const char	*colon;
	size_t		 a, e, at;

	a = url_scheme_len(s, len);
	a = a == 0 ? 0 : a + 3;
	e = url_authority_end(s, len, a);
	for (at = e; at > a && s[at - 1] != '@'; at--)
		;
	/* at > a: the last '@' is s[at - 1]; an empty password stays. */
	colon = at > a ? memchr(s + a, ':', at - 1 - a) : NULL;
	if (colon == NULL || (size_t)(colon - s) + 2 == at)
		url_buf_add(&b, s, len);
	else {
		url_buf_add(&b, s, (size_t)(colon - s) + 1);
		url_buf_add(&b, "***", 3);
		url_buf_add(&b, s + at - 1, len - at + 1);
	}
	if (outlen != NULL)
		*outlen = b.len;
	return (b.p);
}

/*
 * RFC 3986 5.2.2, with the non-strict rule of 5.2.2 (as browsers): a
 * reference with the base's scheme and no authority is relative.
 */
char *
url_resolve_ref(const char *base, const char *ref)
{
	struct url_parts	 b, r, t;
	struct url_buf		 out = { NULL, 0, 0 };
	char			*path;

	url_split(base, strlen(base), &b);
	url_split(ref, strlen(ref), &r);
	if (!b.scheme.set || !b.authority.set)
		return (NULL);
	if (r.scheme.set && url_caseeq(r.scheme.p, r.scheme.len, b.scheme.p,
	    b.scheme.len))
		r.scheme.set = false;
	t = r;
	if (r.scheme.set || r.authority.set)
		path = url_remove_dots(r.path.p, r.path.len);
	else if (r.path.len == 0) {
		path = xstrndup(b.path.p, b.path.len);
		if (!r.query.set)
			t.query = b.query;
	} else if (r.path.p[0] == '/')
		path = url_remove_dots(r.path.p, r.path.len);
	else
		path = url_merge(&b, &r);
	if (!r.scheme.set) {
		t.scheme = b.scheme;
		if (!r.authority.set)
			t.authority = b.authority;
	}
	if ((!url_caseeq(t.scheme.p, t.scheme.len, "http", 4) &&
	    !url_caseeq(t.scheme.p, t.scheme.len, "https", 5)) ||
	    !t.authority.set || t.authority.len == 0) {
		free(path);
		return (NULL);
	}
	url_buf_span(&out, "", &t.scheme);
	url_buf_span(&out, "://", &t.authority);
	url_buf_str(&out, path);
	url_buf_span(&out, "?", &t.query);
	url_buf_span(&out, "#", &t.fragment);
	free(path);
	return (out.p);
}

/* RFC 3986 appendix B, with a scheme only where 3.1 allows one. */
static void
url_split(const char *s, size_t n, struct url_parts *u)
{
	size_t	 i, j;

	memset(u, 0, sizeof(*u));
	i = 0;
	if ((j = url_scheme_end(s, n)) > 0) {
		u->scheme = (struct url_span){ s, j, true };
		i = j + 1;
	}
	if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		j = url_authority_end(s, n, i + 2);
		u->authority = (struct url_span){ s + i + 2, j - i - 2, true };
		i = j;
	}
	for (j = i; j < n && s[j] != '?' && s[j] != '#'; j++)
		;
	u->path = (struct url_span){ s + i, j - i, true };
	i = j;
	if (i < n && s[i] == '?') {
		for (j = ++i; j < n && s[j] != '#'; j++)
			;
		u->query = (struct url_span){ s + i, j - i, true };
		i = j;
	}
	if (i < n && s[i] == '#')
		u->fragment = (struct url_span){ s + i + 1, n - i - 1, true };
}

/* RFC 3986 5.2.3 and 5.2.4: the base's directory plus a relative path. */
static char *
url_merge(const struct url_parts *b, const struct url_parts *r)
{
	struct url_buf	 m = { NULL, 0, 0 };
	size_t		 k;
	char		*path;

	if (b->authority.set && b->path.len == 0)
		url_buf_add(&m, "/", 1);
	else {
		for (k = b->path.len; k > 0 && b->path.p[k - 1] != '/'; k--)
			;
		url_buf_add(&m, b->path.p, k);
	}
	url_buf_add(&m, r->path.p, r->path.len);
	path = url_remove_dots(m.p, m.len);
	free(m.p);
	return (path);
}

/* Append a present span after its delimiter; an absent one adds nothing. */
static void
url_buf_span(struct url_buf *b, const char *delim, const struct url_span *sp)
{
	if (!sp->set)
		return;
	url_buf_str(b, delim);
	url_buf_add(b, sp->p, sp->len);
}

/* Append n bytes, keeping the buffer NUL-terminated. */
static void
url_buf_add(struct url_buf *b, const char *s, size_t n)
{
	if (b->p == NULL || b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1);
		b->p = xrealloc(b->p, b->cap);
	}
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append a NUL-terminated string. */
static void
url_buf_str(struct url_buf *b, const char *s)
{
	url_buf_add(b, s, strlen(s));
}
