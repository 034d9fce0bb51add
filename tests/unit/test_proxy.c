/*
 * proxy.c: proxy URLs, which variable wins (Criterion runs each test in
 * its own process, so setenv() here stays here), and curl's no_proxy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "httpstat/proxy.h"

#include "guard.h"

static void		 clear_env(void);
static void		 expect_url(const char *, const char *, unsigned,
			    const char *, const char *);
static void		 expect_bad_url(const char *, const char *);
static void		 conf_ok(struct proxy_conf *, const char *,
			    const char *);
static const char	*chosen(const struct proxy_conf *, bool,
			    const char *);
static bool		 bypass(const char *, const char *);

/* No proxy variable from the environment the tests were started in. */
static void
clear_env(void)
{
	static const char *const	 names[] = {
		"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"
	};
	size_t				 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert_eq(unsetenv(names[i]), 0);
}

/* s parses to host, port, hostport and Basic credentials auth (or NULL). */
static void
expect_url(const char *s, const char *host, unsigned port,
    const char *hostport, const char *auth)
{
	struct proxy_url	 u;
	const char		*why = NULL;
	char			*p;

	memset(&u, 0xa5, sizeof(u));
	p = guard_copy(s, strlen(s) + 1);
	cr_assert_eq(proxy_url_parse(p, &u, &why), 0,
	    "in=%s why=%s", s, why);
	guard_free(p);
	cr_assert_str_eq(u.host, host, "in=%s", s);
	cr_assert_eq(u.port, port, "in=%s", s);
	cr_assert_str_eq(u.hostport, hostport, "in=%s", s);
	if (auth == NULL)
		cr_assert_null(u.auth, "in=%s", s);
	else
		cr_assert_str_eq(u.auth, auth, "in=%s", s);
	proxy_url_free(&u);
	cr_assert_null(u.host);
	proxy_url_free(&u);
}

/* s is refused for reason why, and u is left empty. */
static void
expect_bad_url(const char *s, const char *why)
{
	struct proxy_url	 u;
	const char		*got = NULL;
	char			*p;

	memset(&u, 0xa5, sizeof(u));
	p = s == NULL ? NULL : guard_copy(s, strlen(s) + 1);
	cr_assert_eq(proxy_url_parse(p, &u, &got), -1, "in=%s", s);
	guard_free(p);
	cr_assert_str_eq(got, why, "in=%s", s);
	cr_assert_null(u.host);
	cr_assert_null(u.hostport);
	cr_assert_null(u.auth);
	proxy_url_free(&u);
}

/* proxy_conf_init() must work. */
static void
conf_ok(struct proxy_conf *c, const char *proxy, const char *noproxy)
{
	char	 err[128] = "";

	cr_assert_eq(proxy_conf_init(c, proxy, noproxy, err, sizeof(err)), 0,
	    "err=%s", err);
}

/* The hostport of the proxy chosen, or "" for direct. */
static const char *
chosen(const struct proxy_conf *c, bool https, const char *host)
{
	const struct proxy_url	*u;

	u = proxy_for(c, https, host);
	return (u == NULL ? "" : u->hostport);
}

/* proxy_bypass() with both strings guarded. */
static bool
bypass(const char *list, const char *host)
{
	char	*l, *h;
	bool	 rc;

	l = list == NULL ? NULL : guard_copy(list, strlen(list) + 1);
	h = host == NULL ? NULL : guard_copy(host, strlen(host) + 1);
	rc = proxy_bypass(l, h);
	guard_free(l);
	guard_free(h);
	return (rc);
}

Test(proxy_url, plain)
{
	expect_url("http://proxy.test:3128", "proxy.test", 3128,
	    "proxy.test:3128", NULL);
	expect_url("http://proxy.test:3128/", "proxy.test", 3128,
	    "proxy.test:3128", NULL);
	expect_url("HTTP://Proxy.TEST:8080/", "proxy.test", 8080,
	    "proxy.test:8080", NULL);
	expect_url("hTtP://p", "p", 1080, "p:1080", NULL);
	expect_url("http://10.0.0.1:1", "10.0.0.1", 1, "10.0.0.1:1", NULL);
	expect_url("http://my_proxy-1.corp.:65535", "my_proxy-1.corp.",
	    65535, "my_proxy-1.corp.:65535", NULL);
}

Test(proxy_url, default_port_1080)
{
	expect_url("http://proxy.test", "proxy.test", 1080,
	    "proxy.test:1080", NULL);
	expect_url("http://proxy.test/", "proxy.test", 1080,
	    "proxy.test:1080", NULL);
	expect_url("http://proxy.test:", "proxy.test", 1080,
	    "proxy.test:1080", NULL);
	expect_url("http://[::1]", "::1", 1080, "[::1]:1080", NULL);
}

Test(proxy_url, without_scheme_is_http)
{
	expect_url("proxy.test:3128", "proxy.test", 3128, "proxy.test:3128",
	    NULL);
	expect_url("proxy.test", "proxy.test", 1080, "proxy.test:1080", NULL);
	expect_url("u:p@proxy.test:3128/", "proxy.test", 3128,
	    "proxy.test:3128", "dTpw");
	expect_url("[2001:db8::1]:3128", "2001:db8::1", 3128,
	    "[2001:db8::1]:3128", NULL);
}

Test(proxy_url, ipv6)
{
	expect_url("http://[2001:DB8::1]:3128/", "2001:db8::1", 3128,
	    "[2001:db8::1]:3128", NULL);
	expect_url("http://[::ffff:10.0.0.1]:8", "::ffff:10.0.0.1", 8,
	    "[::ffff:10.0.0.1]:8", NULL);
}

Test(proxy_url, credentials)
{
	expect_url("http://user:pass@proxy.test:3128", "proxy.test", 3128,
	    "proxy.test:3128", "dXNlcjpwYXNz");
	expect_url("http://Aladdin:open%20sesame@p:1", "p", 1, "p:1",
	    "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
	/* No ':': an empty password, as curl. */
	expect_url("http://user@p", "p", 1080, "p:1080", "dXNlcjo=");
	expect_url("http://:secret@p", "p", 1080, "p:1080", "OnNlY3JldA==");
	expect_url("http://:@p", "p", 1080, "p:1080", "Og==");
	/* "@host": no user info at all. */
	expect_url("http://@p", "p", 1080, "p:1080", NULL);
	/* The last '@' ends the user info; the first ':' splits it. */
	expect_url("http://user:p@ss@p", "p", 1080, "p:1080",
	    "dXNlcjpwQHNz");
	expect_url("http://us%40er:p%40ss%3Aw%2Frd@p", "p", 1080, "p:1080",
	    "dXNAZXI6cEBzczp3L3Jk");
	expect_url("http://%C3%a9:%00x@p", "p", 1080, "p:1080", "w6k6AHg=");
	expect_url("http://[::1]:3128", "::1", 3128, "[::1]:3128", NULL);
	expect_url("http://u:p@[::1]:3128/", "::1", 3128, "[::1]:3128",
	    "dTpw");
}

Test(proxy_url, bad_scheme)
{
	expect_bad_url("https://proxy.test:3128",
	    "only http:// proxies are supported");
	expect_bad_url("socks5://proxy.test:1080",
	    "only http:// proxies are supported");
	expect_bad_url("socks5h://proxy.test",
	    "only http:// proxies are supported");
	expect_bad_url("HTTPS://proxy.test",
	    "only http:// proxies are supported");
	expect_bad_url("httpx://proxy.test",
	    "only http:// proxies are supported");
}

Test(proxy_url, bad_host)
{
	expect_bad_url(NULL, "empty proxy URL");
	expect_bad_url("", "empty proxy URL");
	expect_bad_url("http://", "proxy URL has no host");
	expect_bad_url("http:///", "proxy URL has no host");
	expect_bad_url("http://:3128", "proxy URL has no host");
	expect_bad_url("http://user:pw@:3128", "proxy URL has no host");
	expect_bad_url("http://user:pw@", "proxy URL has no host");
	expect_bad_url("http://[]:3128", "proxy URL has no host");
	expect_bad_url(":3128", "proxy URL has no host");
	expect_bad_url("http://[::1:3128", "unclosed '[' in proxy host");
	expect_bad_url("http://[not-v6]:3128", "bad IPv6 address in proxy URL");
	expect_bad_url("http://[10.0.0.1]:3128",
	    "bad IPv6 address in proxy URL");
	expect_bad_url("http://[::1]x:3128", "bad proxy host");
	expect_bad_url("http://pr*xy:3128", "bad proxy host name");
	expect_bad_url("http://pr\xc3\xb6xy:3128", "bad proxy host name");
	expect_bad_url("http://a:1:2", "bad proxy port");
	expect_bad_url("http://pro xy:3128",
	    "control character or space in proxy URL");
	expect_bad_url("http://proxy\r\n:3128",
	    "control character or space in proxy URL");
	expect_bad_url("http://proxy.test:3128/path",
	    "a proxy URL has no path, query or fragment");
	expect_bad_url("http://proxy.test:3128//",
	    "a proxy URL has no path, query or fragment");
	expect_bad_url("http://proxy.test?x",
	    "a proxy URL has no path, query or fragment");
	expect_bad_url("http://proxy.test#x",
	    "a proxy URL has no path, query or fragment");
}

Test(proxy_url, bad_port)
{
	expect_bad_url("http://proxy.test:0",
	    "proxy port out of range (1-65535)");
	expect_bad_url("http://proxy.test:00000",
	    "proxy port out of range (1-65535)");
	expect_bad_url("http://proxy.test:65536",
	    "proxy port out of range (1-65535)");
	expect_bad_url("http://proxy.test:99999999999999999999999",
	    "proxy port out of range (1-65535)");
	expect_bad_url("http://proxy.test:-1", "bad proxy port");
	expect_bad_url("http://proxy.test:+80", "bad proxy port");
	expect_bad_url("http://proxy.test:80a", "bad proxy port");
	expect_bad_url("http://[::1]:0", "proxy port out of range (1-65535)");
}

Test(proxy_url, bad_credentials)
{
	expect_bad_url("http://us%4:pw@p",
	    "bad percent-encoding in proxy user info");
	expect_bad_url("http://user:pw%@p",
	    "bad percent-encoding in proxy user info");
	expect_bad_url("http://user:pw%zz@p",
	    "bad percent-encoding in proxy user info");
}

Test(proxy_url, huge_credentials_refused)
{
	struct proxy_url	 u;
	const char		*why = NULL;
	char			*s;

	/* Longer than a guard page: no guard here. */
	s = malloc(5000 + 16);
	cr_assert_not_null(s);
	memcpy(s, "http://", 7);
	memset(s + 7, 'a', 5000);
	memcpy(s + 7 + 5000, "@p", 3);
	cr_assert_eq(proxy_url_parse(s, &u, &why), -1);
	cr_assert_str_eq(why, "proxy user info is too long");
	cr_assert_null(u.host);
	cr_assert_null(u.auth);
	free(s);
}

Test(proxy_conf, option_wins_for_both)
{
	struct proxy_conf	 c;

	clear_env();
	cr_assert_eq(setenv("http_proxy", "http://env-http:1", 1), 0);
	cr_assert_eq(setenv("https_proxy", "http://env-https:2", 1), 0);
	cr_assert_eq(setenv("all_proxy", "http://env-all:3", 1), 0);
	conf_ok(&c, "http://opt:3128", NULL);
	cr_assert_str_eq(chosen(&c, false, "example.com"), "opt:3128");
	cr_assert_str_eq(chosen(&c, true, "example.com"), "opt:3128");
	proxy_conf_free(&c);
}

Test(proxy_conf, empty_option_is_no_proxy)
{
	struct proxy_conf	 c;

	clear_env();
	cr_assert_eq(setenv("http_proxy", "http://env-http:1", 1), 0);
	cr_assert_eq(setenv("https_proxy", "http://env-https:2", 1), 0);
	cr_assert_eq(setenv("ALL_PROXY", "http://env-all:3", 1), 0);
	conf_ok(&c, "", NULL);
	cr_assert_null(c.http.host);
	cr_assert_null(c.https.host);
	cr_assert_null(proxy_for(&c, false, "example.com"));
	cr_assert_null(proxy_for(&c, true, "example.com"));
	proxy_conf_free(&c);
}

Test(proxy_conf, nothing_set_is_direct)
{
	struct proxy_conf	 c;

	clear_env();
	conf_ok(&c, NULL, NULL);
	cr_assert_null(c.http.host);
	cr_assert_null(c.https.host);
	cr_assert_null(c.noproxy);
	cr_assert_null(proxy_for(&c, false, "example.com"));
	cr_assert_null(proxy_for(&c, true, "example.com"));
	proxy_conf_free(&c);
	proxy_conf_free(&c);
	proxy_conf_free(NULL);
}

Test(proxy_conf, http_uses_lower_case_only)
{
	struct proxy_conf	 c;

	clear_env();
	/* httpoxy: HTTP_PROXY may come from a request's "Proxy:" header. */
	cr_assert_eq(setenv("HTTP_PROXY", "http://upper:1", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "example.com"), "");
	cr_assert_str_eq(chosen(&c, true, "example.com"), "");
	proxy_conf_free(&c);
	cr_assert_eq(setenv("http_proxy", "http://lower:2", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "example.com"), "lower:2");
	cr_assert_str_eq(chosen(&c, true, "example.com"), "");
	proxy_conf_free(&c);
}

Test(proxy_conf, https_lower_then_upper)
{
	struct proxy_conf	 c;

	clear_env();
	cr_assert_eq(setenv("HTTPS_PROXY", "http://upper:1", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, true, "example.com"), "upper:1");
	cr_assert_str_eq(chosen(&c, false, "example.com"), "");
	proxy_conf_free(&c);
	cr_assert_eq(setenv("https_proxy", "http://lower:2", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, true, "example.com"), "lower:2");
	proxy_conf_free(&c);
}

Test(proxy_conf, all_proxy_fallback)
{
	struct proxy_conf	 c;

	clear_env();
	cr_assert_eq(setenv("ALL_PROXY", "http://upper-all:1", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "example.com"), "upper-all:1");
	cr_assert_str_eq(chosen(&c, true, "example.com"), "upper-all:1");
	proxy_conf_free(&c);
	cr_assert_eq(setenv("all_proxy", "http://lower-all:2", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "example.com"), "lower-all:2");
	cr_assert_str_eq(chosen(&c, true, "example.com"), "lower-all:2");
	proxy_conf_free(&c);
	cr_assert_eq(setenv("http_proxy", "http://h:3", 1), 0);
	cr_assert_eq(setenv("HTTPS_PROXY", "http://s:4", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "example.com"), "h:3");
	cr_assert_str_eq(chosen(&c, true, "example.com"), "s:4");
	proxy_conf_free(&c);
}

Test(proxy_conf, empty_env_is_unset)
{
	struct proxy_conf	 c;

	clear_env();
	cr_assert_eq(setenv("http_proxy", "", 1), 0);
	cr_assert_eq(setenv("https_proxy", "", 1), 0);
	cr_assert_eq(setenv("HTTPS_PROXY", "http://s:1", 1), 0);
	cr_assert_eq(setenv("all_proxy", "", 1), 0);
	cr_assert_eq(setenv("ALL_PROXY", "http://a:2", 1), 0);
	cr_assert_eq(setenv("no_proxy", "", 1), 0);
	cr_assert_eq(setenv("NO_PROXY", "example.com", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "other.test"), "a:2");
	cr_assert_str_eq(chosen(&c, true, "other.test"), "s:1");
	cr_assert_str_eq(c.noproxy, "example.com");
	cr_assert_str_eq(chosen(&c, true, "www.example.com"), "");
	proxy_conf_free(&c);
}

Test(proxy_conf, env_without_scheme)
{
	struct proxy_conf	 c;

	clear_env();
	cr_assert_eq(setenv("http_proxy", "proxy.corp:3128", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "example.com"), "proxy.corp:3128");
	proxy_conf_free(&c);
}

Test(proxy_conf, noproxy_precedence)
{
	struct proxy_conf	 c;

	clear_env();
	cr_assert_eq(setenv("http_proxy", "http://p:1", 1), 0);
	cr_assert_eq(setenv("NO_PROXY", "upper.test", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "upper.test"), "");
	proxy_conf_free(&c);
	cr_assert_eq(setenv("no_proxy", "lower.test", 1), 0);
	conf_ok(&c, NULL, NULL);
	cr_assert_str_eq(chosen(&c, false, "lower.test"), "");
	cr_assert_str_eq(chosen(&c, false, "upper.test"), "p:1");
	proxy_conf_free(&c);
	conf_ok(&c, NULL, "opt.test");
	cr_assert_str_eq(chosen(&c, false, "opt.test"), "");
	cr_assert_str_eq(chosen(&c, false, "lower.test"), "p:1");
	proxy_conf_free(&c);
	/* --noproxy "" overrides no_proxy: nothing bypasses. */
	conf_ok(&c, NULL, "");
	cr_assert_str_eq(c.noproxy, "");
	cr_assert_str_eq(chosen(&c, false, "lower.test"), "p:1");
	proxy_conf_free(&c);
	conf_ok(&c, "http://o:2", "*");
	cr_assert_str_eq(chosen(&c, false, "lower.test"), "");
	cr_assert_str_eq(chosen(&c, true, "any.test"), "");
	proxy_conf_free(&c);
}

Test(proxy_conf, bad_urls_name_their_source)
{
	struct proxy_conf	 c;
	char			 err[128];

	clear_env();
	cr_assert_eq(proxy_conf_init(&c, "socks5://p:1080", NULL, err,
	    sizeof(err)), -1);
	cr_assert_str_eq(err, "--proxy: only http:// proxies are supported");
	cr_assert_null(c.http.host);
	cr_assert_null(c.https.host);
	cr_assert_null(c.noproxy);
	proxy_conf_free(&c);

	cr_assert_eq(setenv("https_proxy", "https://user:secret@p:1", 1), 0);
	cr_assert_eq(proxy_conf_init(&c, NULL, "x", err, sizeof(err)), -1);
	cr_assert_str_eq(err,
	    "https_proxy: only http:// proxies are supported");
	cr_assert_null(strstr(err, "secret"));
	cr_assert_null(c.noproxy);
	proxy_conf_free(&c);

	cr_assert_eq(unsetenv("https_proxy"), 0);
	cr_assert_eq(setenv("ALL_PROXY", "http://p:0", 1), 0);
	cr_assert_eq(proxy_conf_init(&c, NULL, NULL, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "ALL_PROXY: proxy port out of range (1-65535)");
	proxy_conf_free(&c);

	cr_assert_eq(setenv("http_proxy", "http://:3128", 1), 0);
	cr_assert_eq(proxy_conf_init(&c, NULL, NULL, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "http_proxy: proxy URL has no host");
	proxy_conf_free(&c);

	/* A bad variable does not matter when --proxy is given. */
	conf_ok(&c, "p:1", NULL);
	proxy_conf_free(&c);
	/* No room for a message is fine too. */
	cr_assert_eq(proxy_conf_init(&c, "https://p", NULL, NULL, 0), -1);
	cr_assert_eq(proxy_conf_init(&c, "https://p", NULL, err, 1), -1);
	cr_assert_str_eq(err, "");
}

Test(proxy_for, bypass_applies_to_both_schemes)
{
	struct proxy_conf	 c;

	clear_env();
	conf_ok(&c, "http://p:1", "example.com, 10.0.0.0/8");
	cr_assert_str_eq(chosen(&c, false, "example.com"), "");
	cr_assert_str_eq(chosen(&c, true, "www.example.com"), "");
	cr_assert_str_eq(chosen(&c, false, "10.1.2.3"), "");
	cr_assert_str_eq(chosen(&c, true, "example.org"), "p:1");
	cr_assert_str_eq(chosen(&c, false, "11.0.0.1"), "p:1");
	cr_assert_null(proxy_for(NULL, false, "x"));
	proxy_conf_free(&c);
}

Test(no_proxy, star_alone_matches_all)
{
	cr_assert(bypass("*", "example.com"));
	cr_assert(bypass("*", "10.0.0.1"));
	cr_assert(bypass("*", "::1"));
	cr_assert(bypass(" * ", "example.com"));
	cr_assert(bypass("*", ""));
	/* As curl: "*" is a wildcard only as the whole list. */
	cr_assert_not(bypass("localhost,*", "example.com"));
	cr_assert_not(bypass("*.example.com", "www.example.com"));
	cr_assert_not(bypass("**", "example.com"));
}

Test(no_proxy, exact_and_domain_suffix)
{
	cr_assert(bypass("example.com", "example.com"));
	cr_assert(bypass("example.com", "www.example.com"));
	cr_assert(bypass("example.com", "a.b.example.com"));
	cr_assert_not(bypass("example.com", "badexample.com"));
	cr_assert_not(bypass("example.com", "example.com.evil"));
	cr_assert_not(bypass("example.com", "example.co"));
	cr_assert_not(bypass("www.example.com", "example.com"));
	cr_assert_not(bypass("example.com", "com"));
}

Test(no_proxy, leading_dot)
{
	cr_assert(bypass(".example.com", "example.com"));
	cr_assert(bypass(".example.com", "www.example.com"));
	cr_assert_not(bypass(".example.com", "badexample.com"));
	cr_assert_not(bypass(".", "example.com"));
}

Test(no_proxy, case_insensitive)
{
	cr_assert(bypass("EXAMPLE.com", "www.Example.COM"));
	cr_assert(bypass("example.com", "EXAMPLE.COM"));
}

Test(no_proxy, trailing_dots_ignored)
{
	cr_assert(bypass("example.com.", "example.com"));
	cr_assert(bypass("example.com", "example.com."));
	cr_assert(bypass(".example.com.", "www.example.com."));
	cr_assert_not(bypass("example.com.", "badexample.com."));
}

Test(no_proxy, lists_and_blanks)
{
	cr_assert(bypass("a.test,b.test,c.test", "b.test"));
	cr_assert(bypass(" a.test , \tb.test\t, c.test ", "b.test"));
	cr_assert(bypass("a.test,,,c.test", "c.test"));
	cr_assert(bypass(",c.test,", "x.c.test"));
	cr_assert_not(bypass("a.test,b.test", "c.test"));
	cr_assert_not(bypass("a.test b.test", "b.test"));
	cr_assert_not(bypass("", "example.com"));
	cr_assert_not(bypass(" , ,", "example.com"));
	cr_assert_not(bypass(NULL, "example.com"));
	cr_assert_not(bypass("example.com", NULL));
	cr_assert_not(bypass("example.com", ""));
}

Test(no_proxy, ip_literals)
{
	cr_assert(bypass("127.0.0.1", "127.0.0.1"));
	cr_assert(bypass("localhost,127.0.0.1,::1", "::1"));
	cr_assert(bypass("::1", "[::1]"));
	cr_assert(bypass("[::1]", "::1"));
	cr_assert(bypass("2001:DB8::1", "2001:db8:0::1"));
	cr_assert_not(bypass("127.0.0.1", "127.0.0.2"));
	cr_assert_not(bypass("127.0.0.1", "::ffff:127.0.0.1"));
	/* An IP literal is not a name: no suffix match. */
	cr_assert_not(bypass("0.0.1", "127.0.0.1"));
	cr_assert_not(bypass(".1", "127.0.0.1"));
	cr_assert_not(bypass("localhost", "127.0.0.1"));
}

Test(no_proxy, cidr_v4)
{
	cr_assert(bypass("10.0.0.0/8", "10.255.1.2"));
	cr_assert(bypass("192.168.0.0/16", "192.168.44.1"));
	cr_assert(bypass("192.168.1.128/25", "192.168.1.200"));
	cr_assert_not(bypass("192.168.1.128/25", "192.168.1.127"));
	cr_assert(bypass("10.1.2.3/32", "10.1.2.3"));
	cr_assert_not(bypass("10.1.2.3/32", "10.1.2.4"));
	cr_assert(bypass("172.16.0.0/12", "172.31.255.255"));
	cr_assert_not(bypass("172.16.0.0/12", "172.32.0.0"));
	cr_assert(bypass("0.0.0.0/0", "8.8.8.8"));
	cr_assert_not(bypass("0.0.0.0/0", "::1"));
	cr_assert_not(bypass("10.0.0.0/8", "11.0.0.1"));
	cr_assert_not(bypass("10.0.0.0/33", "10.0.0.1"));
	cr_assert_not(bypass("10.0.0.0/", "10.0.0.1"));
	cr_assert_not(bypass("10.0.0.0/x", "10.0.0.1"));
	cr_assert_not(bypass("10.0.0.0/-8", "10.0.0.1"));
	cr_assert_not(bypass("10.0.0.0/0008", "10.0.0.1"));
	cr_assert_not(bypass("10.0.0.0/8", "example.com"));
	cr_assert(bypass(" example.com , 10.0.0.0/8 ", "10.0.0.9"));
}

Test(no_proxy, cidr_v6)
{
	cr_assert(bypass("::1/128", "::1"));
	cr_assert_not(bypass("::1/128", "::2"));
	cr_assert(bypass("2001:db8::/32", "2001:db8:ffff::1"));
	cr_assert(bypass("2001:db8::/32", "[2001:DB8::abcd]"));
	cr_assert_not(bypass("2001:db8::/32", "2001:db9::1"));
	cr_assert(bypass("fe80::/10", "febf::1"));
	cr_assert_not(bypass("fe80::/10", "fec0::1"));
	cr_assert(bypass("::/0", "2001:db8::1"));
	cr_assert_not(bypass("::/0", "10.0.0.1"));
	cr_assert_not(bypass("::1/129", "::1"));
	cr_assert_not(bypass("fe80::/10", "fe80.example"));
}
