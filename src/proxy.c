/*
 * Proxy choice as curl makes it (cli.md, "What a check does", step 2).
 *
 * Which variables: --proxy wins, "" meaning no proxy at all.  Otherwise
 * http uses http_proxy, lower case only: a CGI program gets the request's
 * "Proxy:" header as HTTP_PROXY (httpoxy), so curl ignores that name, and
 * so do we.  https uses https_proxy, then HTTPS_PROXY.  Both fall back to
 * all_proxy, then ALL_PROXY.  An empty value is no value.  Bypass: the
 * --noproxy list if given (even ""), else no_proxy, then NO_PROXY.
 *
 * Only http:// proxies: a URL without a scheme is taken as http://, as
 * curl does; https://, socks*:// and others are refused, so a check never
 * goes direct when the user meant it to go through a proxy.
 */
#include "httpstat/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "httpstat/url.h"
#include "httpstat/xmalloc.h"

#define PROXY_DEFAULT_PORT	1080	/* curl's, for a proxy URL */
#define PROXY_USERINFO_MAX	4096	/* longer is refused; <= URL_MAX */

/* An IP address in network order; family 0: not one. */
struct proxy_ip {
	int		 family;	/* AF_INET, AF_INET6 or 0 */
	unsigned	 bits;		/* 32 or 128 */
	unsigned char	 a[16];
};

static int	 proxy_conf_set(struct proxy_url *, const char *,
		    const char *, char *, size_t);
static const char *proxy_env(const char *const *, const char **);
static const char *proxy_check_bytes(const char *);
static const char *proxy_userinfo(struct proxy_url *, const char *,
		    const char *);
static bool	 proxy_pct_ok(const char *, size_t);
static const char *proxy_hostport(struct proxy_url *, const char *,
		    const char *);
static const char *proxy_port(const char *, const char *,
		    unsigned short *);
static bool	 proxy_ip_parse(const char *, size_t, struct proxy_ip *);
static void	 proxy_trim(const char **, const char **);
static bool	 proxy_match_name(const char *, size_t, const char *,
		    size_t);
static bool	 proxy_match_ip(const struct proxy_ip *, const char *,
		    size_t);

/*
 * Builds the choice from --proxy and --noproxy (NULL: not given) and the
 * environment.  -1 with one line naming the option or variable if a
 * proxy URL is bad; conf is then empty (proxy_conf_free() is harmless).
 */
int
proxy_conf_init(struct proxy_conf *conf, const char *opt_proxy,
    const char *opt_noproxy, char *err, size_t errlen)
{
	static const char *const	 http_env[] = {
		"http_proxy", "all_proxy", "ALL_PROXY", NULL
	};
	static const char *const	 https_env[] = {
		"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", NULL
	};
	static const char *const	 no_env[] = {
		"no_proxy", "NO_PROXY", NULL
	};
	const char			*name, *val;

	memset(conf, 0, sizeof(*conf));
	if (opt_proxy != NULL) {
		if (proxy_conf_set(&conf->http, "--proxy", opt_proxy, err,
		    errlen) == -1 || proxy_conf_set(&conf->https, "--proxy",
		    opt_proxy, err, errlen) == -1)
			goto fail;
	} else {
		val = proxy_env(http_env, &name);
		if (proxy_conf_set(&conf->http, name, val, err, errlen) == -1)
			goto fail;
		val = proxy_env(https_env, &name);
		if (proxy_conf_set(&conf->https, name, val, err, errlen) == -1)
			goto fail;
	}
	if (opt_noproxy != NULL)
		conf->noproxy = xstrdup(opt_noproxy);
	else if ((val = proxy_env(no_env, &name)) != NULL)
		conf->noproxy = xstrdup(val);
	return (0);
fail:
	proxy_conf_free(conf);
	return (-1);
}

/* Frees what proxy_conf_init() built; takes NULL and an empty conf. */
void
proxy_conf_free(struct proxy_conf *conf)
{
	if (conf == NULL)
		return;
	proxy_url_free(&conf->http);
	proxy_url_free(&conf->https);
	free(conf->noproxy);
	conf->noproxy = NULL;
}

/* u from value val of the option or variable name; none if NULL or "". */
static int
proxy_conf_set(struct proxy_url *u, const char *name, const char *val,
    char *err, size_t errlen)
{
	const char	*why = "bad proxy URL";

	if (val == NULL || *val == '\0')
		return (0);
	if (proxy_url_parse(val, u, &why) == 0)
		return (0);
	/* The URL itself is not quoted: it may hold a password. */
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", name, why);
	return (-1);
}

/* The first of names set to a non-empty value, and which one it was. */
static const char *
proxy_env(const char *const *names, const char **name)
{
	const char	*v;

	*name = NULL;
	for (; *names != NULL; names++) {
		if ((v = getenv(*names)) != NULL && *v != '\0') {
			*name = *names;
			return (v);
		}
	}
	return (NULL);
}

/*
 * The proxy for a URL of this scheme and host (A-label, no port), or
 * NULL: go direct.
 */
const struct proxy_url *
proxy_for(const struct proxy_conf *conf, bool https, const char *host)
{
	const struct proxy_url	*u;

	if (conf == NULL)
		return (NULL);
	u = https ? &conf->https : &conf->http;
	if (u->host == NULL || proxy_bypass(conf->noproxy, host))
		return (NULL);
	return (u);
}

/*
 * "[http://][user[:pass]@]host[:port][/]" into u.  The user info is
 * percent-decoded and kept only as base64 "user:pass" for
 * Proxy-Authorization: Basic.  -1 with why (a static string), u empty.
 */
int
proxy_url_parse(const char *s, struct proxy_url *u, const char **why)
{
	const char	*msg, *a, *e, *at;
	size_t		 len, n;

	memset(u, 0, sizeof(*u));
	if (s == NULL || *s == '\0') {
		msg = "empty proxy URL";
		goto fail;
	}
	if ((msg = proxy_check_bytes(s)) != NULL)
		goto fail;
	len = strlen(s);
	a = s;
	if ((n = url_scheme_len(s, len)) > 0) {
		if (!url_caseeq(s, n, "http", 4)) {
			msg = "only http:// proxies are supported";
			goto fail;
		}
		a = s + n + 3;
	}
	e = s + url_authority_end(s, len, (size_t)(a - s));
	if (*e != '\0' && strcmp(e, "/") != 0) {
		msg = "a proxy URL has no path, query or fragment";
		goto fail;
	}
	for (at = e; at > a && at[-1] != '@'; at--)
		;
	if (at > a && (msg = proxy_userinfo(u, a, at - 1)) != NULL)
		goto fail;
	if ((msg = proxy_hostport(u, at, e)) != NULL)
		goto fail;
	return (0);
fail:
	proxy_url_free(u);
	if (why != NULL)
		*why = msg;
	return (-1);
}

/* Frees u's strings, wiping the credentials; takes NULL. */
void
proxy_url_free(struct proxy_url *u)
{
	if (u == NULL)
		return;
	if (u->auth != NULL)
		OPENSSL_cleanse(u->auth, strlen(u->auth));
	free(u->auth);
	free(u->host);
	free(u->hostport);
	memset(u, 0, sizeof(*u));
}

/* No control characters or spaces anywhere: NULL, else why. */
static const char *
proxy_check_bytes(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return ("control character or space in proxy URL");
	return (NULL);
}

/*
 * The user info [a, e) to base64 "user:pass" (no ':': an empty password,
 * as curl).  Empty user info ("@host") is no credentials.
 */
static const char *
proxy_userinfo(struct proxy_url *u, const char *a, const char *e)
{
	size_t	 n;

	if ((n = (size_t)(e - a)) == 0)
		return (NULL);
	if (n > PROXY_USERINFO_MAX)
		return ("proxy user info is too long");
	if (!proxy_pct_ok(a, n))
		return ("bad percent-encoding in proxy user info");
	u->auth = url_basic_auth(a, n);
	return (NULL);
}

/*
 * Whether each '%' in the n bytes at s starts a %XX escape.  Stricter
 * than url.c, which keeps a stray '%': a proxy URL with one is refused.
 * ':' is no hex digit, so no escape spans the user and password halves.
 */
static bool
proxy_pct_ok(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] == '%' && (n - i < 3 || url_hexval(s[i + 1]) < 0 ||
		    url_hexval(s[i + 2]) < 0))
			return (false);
	return (true);
}

/*
 * "host[:port]" or "[v6][:port]" in [h, e) into u: host lower case, a
 * name of letters, digits, '.', '-', '_' (no IDN for a proxy), a v6
 * literal checked with inet_pton(); an absent or empty port is 1080.
 */
static const char *
proxy_hostport(struct proxy_url *u, const char *h, const char *e)
{
	struct in6_addr	 a6;
	const char	*p, *he, *msg;
	unsigned short	 port;
	size_t		 i, n;
	bool		 v6 = false;
	char		*host;

	if (h < e && *h == '[') {
		if ((he = memchr(h, ']', (size_t)(e - h))) == NULL)
			return ("unclosed '[' in proxy host");
		h++;
		p = he + 1;
		v6 = true;
	} else {
		if ((he = memchr(h, ':', (size_t)(e - h))) == NULL)
			he = e;
		p = he;
	}
	if (h == he)
		return ("proxy URL has no host");
	if ((msg = proxy_port(p, e, &port)) != NULL)
		return (msg);
	n = (size_t)(he - h);
	host = xstrndup(h, n);
	for (i = 0; i < n; i++) {
		if (host[i] >= 'A' && host[i] <= 'Z')
			host[i] = (char)(host[i] - 'A' + 'a');
		else if (!v6 && !((host[i] >= 'a' && host[i] <= 'z') ||
		    (host[i] >= '0' && host[i] <= '9') || host[i] == '.' ||
		    host[i] == '-' || host[i] == '_'))
			break;
	}
	if (i < n || (v6 && inet_pton(AF_INET6, host, &a6) != 1)) {
		free(host);
		return (v6 ? "bad IPv6 address in proxy URL" :
		    "bad proxy host name");
	}
	u->host = host;
	u->port = port;
	n = strlen(host) + sizeof("[]:65535");
	u->hostport = xmalloc(n);
	snprintf(u->hostport, n, v6 ? "[%s]:%u" : "%s:%u", host,
	    (unsigned)port);
	return (NULL);
}

/* What follows the host, [p, e): nothing, ":" or ":1".."65535". */
static const char *
proxy_port(const char *p, const char *e, unsigned short *port)
{
	unsigned long	 v = 0;

	*port = PROXY_DEFAULT_PORT;
	if (p == e)
		return (NULL);
	if (*p != ':')
		return ("bad proxy host");
	if (++p == e)
		return (NULL);
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return ("bad proxy port");
		if ((v = v * 10 + (unsigned long)(*p - '0')) > 65535)
			return ("proxy port out of range (1-65535)");
	}
	if (v == 0)
		return ("proxy port out of range (1-65535)");
	*port = (unsigned short)v;
	return (NULL);
}

/*
 * curl's no_proxy matching.  The whole list "*" (blanks aside) matches
 * every host; otherwise entries are separated by commas and trimmed of
 * blanks.  For a name, an entry (one leading and one trailing '.'
 * ignored) matches the name itself or any name under it, ignoring case
 * and a trailing '.' on the host: "example.com" and ".example.com" match
 * "example.com" and "www.example.com", not "badexample.com".  For an IP
 * literal host (brackets allowed), an entry matches if it is the same
 * address or a CIDR block holding it ("10.0.0.0/8", "::1/128"); a name
 * never matches an IP literal.  Unlike curl, "/0" matches every address
 * of its family (curl takes it as no prefix).  No host, no match.
 */
bool
proxy_bypass(const char *list, const char *host)
{
	struct proxy_ip	 hip;
	const char	*p, *q, *s, *e;
	size_t		 hlen;
	bool		 ip;

	if (list == NULL || host == NULL)
		return (false);
	s = list;
	e = list + strlen(list);
	proxy_trim(&s, &e);
	if (e - s == 1 && *s == '*')
		return (true);
	if ((hlen = strlen(host)) == 0)
		return (false);
	if (!(ip = proxy_ip_parse(host, hlen, &hip)) && host[hlen - 1] == '.')
		hlen--;
	for (p = list;; p = q + 1) {
		if ((q = strchr(p, ',')) == NULL)
			q = p + strlen(p);
		s = p;
		e = q;
		proxy_trim(&s, &e);
		if (ip ? proxy_match_ip(&hip, s, (size_t)(e - s)) :
		    proxy_match_name(host, hlen, s, (size_t)(e - s)))
			return (true);
		if (*q == '\0')
			break;
	}
	return (false);
}

/* [*s, *e) without the blanks (space, tab) at either end. */
static void
proxy_trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* A name host (hlen bytes, trailing '.' already gone) against entry t. */
static bool
proxy_match_name(const char *host, size_t hlen, const char *t, size_t tlen)
{
	if (tlen > 0 && t[tlen - 1] == '.')
		tlen--;
	if (tlen > 0 && t[0] == '.') {
		t++;
		tlen--;
	}
	if (tlen == 0 || tlen > hlen)
		return (false);
	if (tlen == hlen)
		return (url_caseeq(host, hlen, t, tlen));
	return (host[hlen - tlen - 1] == '.' &&
	    url_caseeq(host + hlen - tlen, tlen, t, tlen));
}

/* n bytes of s as an IPv4 or IPv6 address ("[v6]" too) into ip. */
static bool
proxy_ip_parse(const char *s, size_t n, struct proxy_ip *ip)
{
	char	 buf[INET6_ADDRSTRLEN + 1];

	memset(ip, 0, sizeof(*ip));
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return (false);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, ip->a) == 1) {
		ip->family = AF_INET;
		ip->bits = 32;
	} else if (inet_pton(AF_INET6, buf, ip->a) == 1) {
		ip->family = AF_INET6;
		ip->bits = 128;
	} else
		return (false);
	return (true);
}

/* An IP host against entry t: "ADDR" or "ADDR/BITS", same family. */
static bool
proxy_match_ip(const struct proxy_ip *hip, const char *t, size_t tlen)
{
	struct proxy_ip	 net;
	const char	*slash, *d;
	unsigned	 bits, nb, rest;

	if ((slash = memchr(t, '/', tlen)) == NULL)
		slash = t + tlen;
	if (!proxy_ip_parse(t, (size_t)(slash - t), &net) ||
	    net.family != hip->family)
		return (false);
	bits = net.bits;
	if (slash < t + tlen) {
		d = slash + 1;
		if (d == t + tlen || t + tlen - d > 3)
			return (false);
		for (bits = 0; d < t + tlen; d++) {
			if (*d < '0' || *d > '9')
				return (false);
			bits = bits * 10 + (unsigned)(*d - '0');
		}
		if (bits > net.bits)
			return (false);
	}
	nb = bits / 8;
	rest = bits % 8;
	if (memcmp(hip->a, net.a, nb) != 0)
		return (false);
	return (rest == 0 ||
	    ((hip->a[nb] ^ net.a[nb]) & (0xff << (8 - rest)) & 0xff) == 0);
}
