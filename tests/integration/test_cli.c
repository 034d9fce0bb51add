/*
 * The real binary against local servers (cli.md).  Everything talks to
 * 127.0.0.1 only: IP literals, --resolve, or fakedns via --dns-servers.
 * No timing asserts: results, request bytes and exit codes only.
 */
#include <sys/types.h>

#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "asserts.h"
#include "harness.h"

#define RUN(...)	h_run(NULL, __VA_ARGS__, (const char *)NULL)
#define RUNIN(in, ...)	h_run(in, __VA_ARGS__, (const char *)NULL)

static const struct h_server	*srv;

static void		 setup(void);
static void		 teardown(void);
static char		*plain(const char *);
static char		*secure(int, const char *);
static char		*dns_opt(void);
static const char	*dns_log(void);
static char		*cacert(void);
static void		 assert_status(const char *, long, const char *);
static void		 assert_usage(const struct h_run *, const char *,
			    const char *);
static struct h_run	*both(const char *, const char *);
static void		 interrupted(int, int);
static bool		 starts(const char *, const char *);
static void		 misbehaving_closed(const char *);

/* Whether s begins with prefix. */
static bool
starts(const char *s, const char *prefix)
{
	return (strncmp(s, prefix, strlen(prefix)) == 0);
}

/* Each test: its own directory and test server. */
static void
setup(void)
{
	h_setup();
	srv = h_server();
}

/* Stop the servers, remove the directory. */
static void
teardown(void)
{
	h_teardown();
}

/*
 * One suite only: with a second one, libcriterion 2.4 leaks 48 bytes in
 * the runner and LeakSanitizer fails the sanitizer build.
 */
TestSuite(cli, .init = setup, .fini = teardown, .timeout = 240);

/* A URL on the plain HTTP port. */
static char *
plain(const char *path)
{
	return (h_strf("http://127.0.0.1:%d%s", srv->plain, path));
}

/* A URL on one of the TLS ports. */
static char *
secure(int port, const char *path)
{
	return (h_strf("https://127.0.0.1:%d%s", port, path));
}

/* The --dns-servers value for fakedns (started on first use). */
static char *
dns_opt(void)
{
	return (h_strf("127.0.0.1:%d", h_dns()->port));
}

/* The questions fakedns was asked. */
static const char *
dns_log(void)
{
	return (h_slurp(h_path("dns.log")));
}

/* The test CA. */
static char *
cacert(void)
{
	return (h_path("ca.pem"));
}

/* A final status with this reason, no error. */
static void
assert_status(const char *l, long status, const char *reason)
{
	cr_assert(jnull(l, "error"), "%s", l);
	cr_assert_eq(jint(l, "status"), status, "%s", l);
	if (reason != NULL)
		cr_assert_str_eq(jstr(l, "reason"), reason, "%s", l);
}

/* A usage error naming the option (either spelling), nothing sent. */
static void
assert_usage(const struct h_run *r, const char *name, const char *alt)
{
	cr_assert(!r->timed_out, "timed out");
	assert_code(r, 2);
	cr_assert_eq(r->outlen, 0, "stdout: %s", r->out);
	cr_assert_eq(h_count(r->err, "\n"), 1, "not one line: %s", r->err);
	cr_assert(r->errlen > 0);
	cr_assert_eq(r->err[r->errlen - 1], '\n', "%s", r->err);
	cr_assert(strstr(r->err, name) != NULL ||
	    (alt != NULL && strstr(r->err, alt) != NULL),
	    "does not name %s: %s", name, r->err);
	cr_assert_eq(h_nrequests(), 0, "sent:\n%s", h_requests());
}

/* Check path on the plain and the good TLS port (-k) in one run. */
static struct h_run *
both(const char *path, const char *timeout)
{
	struct h_run	*r;

	r = RUN("--json", "-k", "-t", timeout, plain(path),
	    secure(srv->tls, path));
	assert_jsonl(r, 2);
	assert_code(r, 1);
	return (r);
}

/* Paths whose server hangs up before a complete head: closed. */
static void
misbehaving_closed(const char *path)
{
	struct h_run	*r = both(path, "20");

	assert_err(r->lines[0], "closed", "head");
	assert_err(r->lines[1], "closed", "head");
}

Test(cli, ok_200_plain)
{
	static const char *const keys[] = {
		"\"url\":", "\"ok\":", "\"status\":", "\"reason\":",
		"\"http_version\":", "\"error\":", "\"source\":", "\"line\":",
		"\"index\":", "\"addr\":", "\"time_ms\":", "\"timings\":",
		"\"redirects\":", "\"attempts\":", "\"connect_attempts\":",
		"\"tls\":",
	};
	char		*url = plain("/ok");
	const char	*l, *prev, *p;
	size_t		 i;

	l = single(RUN("--json", url), 0);
	cr_assert_str_eq(jstr(l, "url"), url);
	cr_assert_str_eq(jstr(l, "ok"), "true");
	assert_status(l, 200, "OK");
	cr_assert_str_eq(jstr(l, "http_version"), "HTTP/1.1");
	cr_assert(jnull(l, "source"), "%s", l);
	cr_assert(jnull(l, "line"), "%s", l);
	cr_assert_eq(jint(l, "index"), 1, "%s", l);
	cr_assert_str_eq(jstr(l, "addr"), "127.0.0.1");
	cr_assert(jnull(l, "tls"), "%s", l);
	cr_assert_eq(jint(l, "attempts"), 1, "%s", l);
	cr_assert_eq(jlen(l, "redirects"), 0, "%s", l);
	cr_assert_eq(jlen(l, "connect_attempts"), 1, "%s", l);
	cr_assert_str_eq(jstr(l, "connect_attempts.0.addr"), "127.0.0.1");
	cr_assert_str_eq(jstr(l, "connect_attempts.0.outcome"), "connected");
	cr_assert(jnull(l, "timings.dns_ms"), "IP literal: %s", l);
	cr_assert(jnull(l, "timings.tls_ms"), "plain: %s", l);
	cr_assert(!jnull(l, "timings.connect_ms"), "%s", l);
	cr_assert(!jnull(l, "timings.ttfb_ms"), "%s", l);
	cr_assert(!jnull(l, "time_ms"), "%s", l);
	prev = l;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		p = strstr(l, keys[i]);
		cr_assert(p != NULL && p >= prev, "key %s out of order: %s",
		    keys[i], l);
		prev = p;
	}
	cr_assert_eq(h_nrequests(), 1);
}

Test(cli, status_404_is_not_ok)
{
	const char	*l;

	l = single(RUN("--json", plain("/status/404")), 1);
	cr_assert_str_eq(jstr(l, "ok"), "false");
	assert_status(l, 404, "Not Found");
}

Test(cli, expect_option_makes_404_ok)
{
	const char	*l;

	l = single(RUN("--json", "--expect", "404", plain("/status/404")), 0);
	cr_assert_str_eq(jstr(l, "ok"), "true");
	assert_status(l, 404, NULL);
	l = single(RUN("--json", "--expect", "404", plain("/ok")), 1);
	cr_assert_str_eq(jstr(l, "ok"), "false", "200 not expected: %s", l);
}

Test(cli, expect_per_entry_in_list)
{
	struct h_run	*r;
	char		*list;

	list = h_write("list.txt", h_strf(
	    "# per-entry expectations\n"
	    "\n"
	    "%s 404\n"
	    "%s 5xx\n"
	    "%s 200-204,404\n"
	    "%s 201\n"
	    "%s\n",
	    plain("/status/404"), plain("/status/503"), plain("/status/204"),
	    plain("/ok"), plain("/status/500")));
	r = RUN("--json", "--expect", "200", list);
	assert_jsonl(r, 5);
	assert_code(r, 1);
	cr_assert_eq(jint(r->lines[0], "line"), 3, "%s", r->lines[0]);
	cr_assert_str_eq(jstr(r->lines[0], "ok"), "true", "%s", r->lines[0]);
	cr_assert_str_eq(jstr(r->lines[1], "ok"), "true", "%s", r->lines[1]);
	cr_assert_str_eq(jstr(r->lines[2], "ok"), "true", "%s", r->lines[2]);
	cr_assert_str_eq(jstr(r->lines[3], "ok"), "false", "%s", r->lines[3]);
	cr_assert_eq(jint(r->lines[3], "status"), 200);
	cr_assert_str_eq(jstr(r->lines[4], "ok"), "false", "--expect 200");
	cr_assert_eq(jint(r->lines[4], "line"), 7, "%s", r->lines[4]);
	cr_assert_str_eq(jstr(r->lines[0], "source"), list);
	cr_assert_str_eq(jstr(r->lines[0], "url"), plain("/status/404"),
	    "the EXPECT field is not part of the URL");
}

Test(cli, input_order_kept_with_slow_first_entry)
{
	struct h_run	*r;
	char		*list;
	size_t		 i;

	list = h_write("list.txt", h_strf("%s\n%s\n%s\n# c\n%s\n%s\n",
	    plain("/delay/800/first"), plain("/ok?n=2"), plain("/ok?n=3"),
	    plain("/ok?n=5"), plain("/ok?n=6")));
	r = RUN("--json", "-c", "10", list);
	assert_jsonl(r, 5);
	assert_code(r, 0);
	cr_assert_str_eq(jstr(r->lines[0], "url"), plain("/delay/800/first"));
	for (i = 0; i < 5; i++) {
		cr_assert_eq(jint(r->lines[i], "index"), (long)i + 1, "%s",
		    r->lines[i]);
		cr_assert_eq(jint(r->lines[i], "line"), (long)(i < 3 ? i + 1 :
		    i + 2), "%s", r->lines[i]);
		cr_assert_eq(jint(r->lines[i], "status"), 200);
	}
	cr_assert_str_eq(jstr(r->lines[3], "url"), plain("/ok?n=5"));
}

Test(cli, order_completion_writes_fast_first)
{
	struct h_run	*r;

	r = RUN("--json", "--order", "completion", plain("/delay/2500/slow"),
	    plain("/ok"));
	assert_jsonl(r, 2);
	assert_code(r, 0);
	cr_assert_str_eq(jstr(r->lines[0], "url"), plain("/ok"));
	cr_assert_eq(jint(r->lines[0], "index"), 2);
	cr_assert_eq(jint(r->lines[1], "index"), 1);
}

Test(cli, deadline_gives_every_entry_a_result)
{
	struct h_run	*r;
	const char	*l;
	char		*list;
	size_t		 i, started = 0;

	list = h_write("list.txt", h_strf("%s\n%s\n%s\n%s\n%s\n",
	    plain("/silent?n=1"), plain("/silent?n=2"), plain("/silent?n=3"),
	    plain("/silent?n=4"), plain("/silent?n=5")));
	r = RUN("--json", "-c", "2", "-t", "30", "--deadline", "1", list);
	assert_jsonl(r, 5);
	assert_code(r, 1);
	for (i = 0; i < 5; i++) {
		l = r->lines[i];
		cr_assert_eq(jint(l, "line"), (long)i + 1, "%s", l);
		assert_err(l, "deadline", NULL);
		if (jint(l, "attempts") == 0)
			cr_assert(jnull(l, "error.phase"), "unstarted: %s", l);
		else {
			started++;
			cr_assert(!jnull(l, "error.phase"), "started: %s", l);
		}
	}
	cr_assert_eq(started, 2, "-c 2: two checks start\n%s", r->out);
	cr_assert(jint(r->lines[0], "attempts") >= 1, "%s", r->lines[0]);
	cr_assert_eq(jint(r->lines[4], "attempts"), 0, "%s", r->lines[4]);
	cr_assert_leq(h_nrequests(), 2);
}

Test(cli, timeout_on_silent_server)
{
	const char	*l;

	l = single(RUN("--json", "-t", "1", plain("/silent")), 1);
	assert_err(l, "timeout", "head");
	cr_assert_eq(jint(l, "attempts"), 1, "%s", l);
	cr_assert_eq(h_nrequests(), 1, "the request was sent");
}

Test(cli, refused_port_is_connect)
{
	const char	*l;

	l = single(RUN("--json", h_strf("http://127.0.0.1:%d/ok",
	    h_free_port())), 1);
	assert_err(l, "connect", "connect");
	cr_assert_str_eq(jstr(l, "addr"), "127.0.0.1");
	cr_assert_str_eq(jstr(l, "connect_attempts.0.outcome"), "refused",
	    "%s", l);
}

Test(cli, connect_timeout)
{
	const char	*l;

	l = single(RUN("--json", "-t", "1", h_strf("http://127.0.0.1:%d/ok",
	    h_blackhole_port())), 1);
	assert_err(l, "timeout", "connect");
	cr_assert_str_eq(jstr(l, "addr"), "127.0.0.1");
}

Test(cli, deadline_while_connecting)
{
	struct h_run	*r;

	r = RUN("--json", "-t", "30", "--deadline", "1", h_strf(
	    "http://127.0.0.1:%d/ok", h_blackhole_port()), plain("/silent"));
	assert_jsonl(r, 2);
	assert_code(r, 1);
	assert_err(r->lines[0], "deadline", "connect");
	assert_err(r->lines[1], "deadline", "head");
}

Test(cli, sigint_while_connecting)
{
	struct h_opts	 o;
	const char	*argv[6];
	struct h_run	*r;
	long		 ms = 1000;

	argv[0] = "httpstat-async";
	argv[1] = "--json";
	argv[2] = "-t";
	argv[3] = "30";
	argv[4] = h_strf("http://127.0.0.1:%d/ok", h_blackhole_port());
	argv[5] = NULL;
	memset(&o, 0, sizeof(o));
	o.trigger = h_after_ms;		/* a trigger, not an assert */
	o.arg = &ms;
	o.sig = SIGINT;
	r = h_runv(&o, argv);
	assert_jsonl(r, 1);
	assert_code(r, 130);
	assert_err(r->lines[0], "cancelled", "connect");
}

Test(cli, nxdomain_is_dns)
{
	char		*dns = dns_opt();
	struct h_run	*r;

	r = RUN("--json", "--dns-servers", dns,
	    h_strf("http://nx.test:%d/ok", srv->plain),
	    h_strf("http://www.nx.test:%d/ok", srv->plain));
	assert_jsonl(r, 2);
	assert_code(r, 1);
	assert_err(r->lines[0], "dns", "resolve");
	assert_err(r->lines[1], "dns", "resolve");
	cr_assert(strstr(dns_log(), "www.nx.test") != NULL, "asked: %s",
	    dns_log());
	cr_assert_eq(h_nrequests(), 0);
}

Test(cli, servfail_is_dns)
{
	const char	*l;

	l = single(RUN("--json", "--dns-servers", dns_opt(),
	    h_strf("http://servfail.test:%d/ok", srv->plain)), 1);
	assert_err(l, "dns", "resolve");
}

Test(cli, silent_resolver_is_timeout_in_resolve)
{
	const char	*l;

	l = single(RUN("--json", "-t", "1", "--dns-servers", dns_opt(),
	    h_strf("http://x.silent.test:%d/ok", srv->plain)), 1);
	assert_err(l, "timeout", "resolve");
}

Test(cli, names_resolve_via_dns_servers)
{
	struct h_run	*r;
	const char	*l;

	r = RUN("--json", "--dns-servers", dns_opt(),
	    h_strf("http://a.ok.test:%d/ok", srv->plain),
	    h_strf("http://good.test:%d/ok", srv->plain));
	assert_jsonl(r, 2);
	assert_code(r, 0);
	l = r->lines[0];
	assert_status(l, 200, "OK");
	cr_assert_str_eq(jstr(l, "addr"), "127.0.0.1");
	cr_assert(!jnull(l, "timings.dns_ms"), "%s", l);
	cr_assert(strstr(dns_log(), "a.ok.test 1\n") != NULL, "%s",
	    dns_log());
	cr_assert(strstr(h_requests(), h_strf("\r\nHost: a.ok.test:%d\r\n",
	    srv->plain)) != NULL, "%s", h_requests());
	cr_assert(strstr(h_requests(), h_strf("\r\nHost: good.test:%d\r\n",
	    srv->plain)) != NULL, "%s", h_requests());
}

Test(cli, resolve_pin_needs_no_dns)
{
	const char	*l;

	/* fakedns says NXDOMAIN for this name: only the pin can work. */
	l = single(RUN("--json", "--dns-servers", dns_opt(), "--resolve",
	    h_strf("pinned.nx.test:%d:127.0.0.1", srv->plain),
	    h_strf("http://pinned.nx.test:%d/ok", srv->plain)), 0);
	assert_status(l, 200, "OK");
	cr_assert(strstr(dns_log(), "pinned") == NULL, "asked: %s",
	    dns_log());
	cr_assert(strstr(h_requests(), h_strf("\r\nHost: pinned.nx.test:%d"
	    "\r\n", srv->plain)) != NULL, "%s", h_requests());
}

Test(cli, resolve_pin_with_tls_name)
{
	const char	*l;

	l = single(RUN("--json", "--cacert", cacert(), "--dns-servers",
	    dns_opt(), "--resolve", h_strf("good.test:%d:127.0.0.1", srv->tls),
	    h_strf("https://good.test:%d/ok", srv->tls)), 0);
	assert_status(l, 200, "OK");
	cr_assert(strstr(dns_log(), "good.test") == NULL, "asked: %s",
	    dns_log());
}

Test(cli, localhost_needs_no_dns)
{
	struct h_run	*r;

	r = RUN("--json", "--cacert", cacert(), "--dns-servers", dns_opt(),
	    h_strf("http://localhost:%d/ok", srv->plain),
	    h_strf("https://localhost:%d/ok", srv->tls));
	assert_jsonl(r, 2);
	assert_code(r, 0);
	assert_status(r->lines[0], 200, "OK");
	cr_assert_str_eq(jstr(r->lines[0], "addr"), "127.0.0.1");
	assert_status(r->lines[1], 200, "OK");
	cr_assert(strstr(dns_log(), "localhost") == NULL, "asked: %s",
	    dns_log());
}

Test(cli, invalid_tld_fails_without_query)
{
	const char	*l;

	l = single(RUN("--json", "--dns-servers", dns_opt(),
	    h_strf("http://foo.invalid:%d/ok", srv->plain)), 1);
	assert_err(l, "dns", "resolve");
	cr_assert(strstr(dns_log(), "invalid") == NULL, "asked: %s",
	    dns_log());
}

Test(cli, idna_host_is_sent_as_a_label)
{
	const char	*l;

	l = single(RUN("--json", "--dns-servers", dns_opt(),
	    h_strf("http://b\xc3\xbc" "cher.ok.test:%d/ok", srv->plain)), 0);
	assert_status(l, 200, "OK");
	cr_assert(strstr(dns_log(), "xn--bcher-kva.ok.test") != NULL, "%s",
	    dns_log());
	cr_assert(strstr(h_requests(), h_strf("\r\nHost: xn--bcher-kva.ok.test"
	    ":%d\r\n", srv->plain)) != NULL, "%s", h_requests());
}

Test(cli, https_good_certificate)
{
	const char	*l;
	long		 days;

	l = single(RUN("--json", "--cacert", cacert(), secure(srv->tls, "/ok")),
	    0);
	assert_status(l, 200, "OK");
	cr_assert(starts(jstr(l, "tls.version"), "TLSv1."), "%s", l);
	cr_assert(strlen(jstr(l, "tls.cipher")) > 0 &&
	    jstr(l, "tls.cipher")[0] != '<', "%s", l);
	cr_assert_str_eq(jstr(l, "tls.cert_not_after"), h_certdate("good"));
	days = jint(l, "tls.cert_days_left");
	cr_assert(days >= 29 && days <= 30, "30 days left: %s", l);
	cr_assert(!jnull(l, "timings.tls_ms"), "%s", l);
}

Test(cli, https_expired_is_tls_with_date)
{
	const char	*l;

	l = single(RUN("--json", "--cacert", cacert(),
	    secure(srv->expired, "/ok")), 1);
	assert_err(l, "tls", "tls");
	cr_assert(jfind(l, "tls") != NULL && *jfind(l, "tls") == '{',
	    "tls object kept: %s", l);
	cr_assert_str_eq(jstr(l, "tls.cert_not_after"), h_certdate("expired"));
	cr_assert(jint(l, "tls.cert_days_left") < 0, "%s", l);
	cr_assert_eq(h_nrequests(), 0, "no request after a failed handshake");
}

Test(cli, https_wrong_name_is_tls)
{
	const char	*l;

	l = single(RUN("--json", "--cacert", cacert(),
	    secure(srv->wrongname, "/ok")), 1);
	assert_err(l, "tls", "tls");
	cr_assert_str_eq(jstr(l, "tls.cert_not_after"),
	    h_certdate("wrongname"), "%s", l);
	cr_assert_eq(h_nrequests(), 0);
}

Test(cli, https_self_signed_is_tls)
{
	const char	*l;

	l = single(RUN("--json", "--cacert", cacert(),
	    secure(srv->selfsigned, "/ok")), 1);
	assert_err(l, "tls", "tls");
	cr_assert_eq(h_nrequests(), 0);
}

Test(cli, insecure_accepts_bad_certificates)
{
	struct h_run	*r;
	size_t		 i;

	r = RUN("--json", "-k", secure(srv->expired, "/ok"),
	    secure(srv->wrongname, "/ok"), secure(srv->selfsigned, "/ok"));
	assert_jsonl(r, 3);
	assert_code(r, 0);
	for (i = 0; i < 3; i++)
		assert_status(r->lines[i], 200, "OK");
	cr_assert_str_eq(jstr(r->lines[0], "tls.cert_not_after"),
	    h_certdate("expired"));
	cr_assert_eq(h_nrequests(), 3);
}

Test(cli, test_ca_not_trusted_without_cacert)
{
	const char	*l;

	l = single(RUN("--json", secure(srv->tls, "/ok")), 1);
	assert_err(l, "tls", "tls");
}

Test(cli, stalled_handshake_is_timeout_in_tls)
{
	const char	*l;

	l = single(RUN("--json", "-t", "1", secure(srv->stalltls, "/ok")), 1);
	assert_err(l, "timeout", "tls");
}

Test(cli, garbage_is_protocol)
{
	struct h_run	*r = both("/garbage", "20");

	assert_err(r->lines[0], "protocol", "head");
	assert_err(r->lines[1], "protocol", "head");
}

Test(cli, huge_head_is_protocol)
{
	struct h_run	*r = both("/huge", "20");

	assert_err(r->lines[0], "protocol", "head");
	assert_err(r->lines[1], "protocol", "head");
}

Test(cli, endless_head_is_protocol)
{
	struct h_run	*r = both("/endless", "30");

	assert_err(r->lines[0], "protocol", "head");
	assert_err(r->lines[1], "protocol", "head");
}

Test(cli, close_without_reply_is_closed)
{
	misbehaving_closed("/close");
}

Test(cli, half_status_line_is_closed)
{
	misbehaving_closed("/halfline");
}

Test(cli, partial_head_is_closed)
{
	misbehaving_closed("/partialhead");
}

Test(cli, reset_is_closed)
{
	misbehaving_closed("/reset");
}

Test(cli, interim_responses_are_skipped)
{
	struct h_run	*r;

	r = RUN("--json", "-k", plain("/interim"), secure(srv->tls,
	    "/interim"));
	assert_jsonl(r, 2);
	assert_code(r, 0);
	assert_status(r->lines[0], 204, "No Content");
	assert_status(r->lines[1], 204, "No Content");
}

Test(cli, missing_reason_is_empty_string)
{
	const char	*l;

	l = single(RUN("--json", plain("/noreason")), 0);
	assert_status(l, 200, "");
	cr_assert(strstr(l, "\"reason\":\"\"") != NULL, "%s", l);
}

Test(cli, http10_version_reported)
{
	const char	*l;

	l = single(RUN("--json", plain("/http10")), 0);
	assert_status(l, 200, "OK");
	cr_assert_str_eq(jstr(l, "http_version"), "HTTP/1.0");
}

Test(cli, slow_drip_completes)
{
	const char	*l;

	l = single(RUN("--json", "-t", "30", plain("/drip")), 0);
	assert_status(l, 200, "OK");
}

Test(cli, odd_reason_bytes_stay_valid_json)
{
	const char	*l;

	l = single(RUN("--json", plain("/weirdreason")), 0);
	assert_status(l, 200, NULL);
	cr_assert(starts(jstr(l, "reason"), "A \"q\" \\ "), "%s", l);
}

Test(cli, request_bytes)
{
	const char	*req;

	single(RUN("--json", plain("/ok")), 0);
	cr_assert_eq(h_nrequests(), 1);
	req = h_request(0);
	cr_assert(starts(req, "GET /ok HTTP/1.1\r\n"), "%s", req);
	cr_assert(strstr(req, h_strf("\r\nHost: 127.0.0.1:%d\r\n",
	    srv->plain)) != NULL, "%s", req);
	cr_assert(strstr(req, "\r\nUser-Agent: httpstat-async/") != NULL,
	    "%s", req);
	cr_assert(strstr(req, "\r\nAccept: */*\r\n") != NULL, "%s", req);
	cr_assert(strstr(req, "\r\nConnection: close\r\n") != NULL, "%s", req);
	cr_assert_eq(h_count(req, "\r\n\r\n"), 1, "%s", req);
}

Test(cli, query_sent_fragment_not)
{
	const char	*l, *req;

	l = single(RUN("--json", plain("/ok?a=1&b=two#frag")), 0);
	cr_assert_str_eq(jstr(l, "url"), plain("/ok?a=1&b=two#frag"));
	req = h_request(0);
	cr_assert(starts(req, "GET /ok?a=1&b=two HTTP/1.1\r\n"),
	    "%s", req);
	cr_assert(strstr(req, "frag") == NULL, "%s", req);
}

Test(cli, header_option_sent)
{
	const char	*req;

	single(RUN("--json", "-H", "X-Test: yes", "--header", "X-Other: 2",
	    plain("/ok")), 0);
	req = h_request(0);
	cr_assert(strstr(req, "\r\nX-Test: yes\r\n") != NULL, "%s", req);
	cr_assert(strstr(req, "\r\nX-Other: 2\r\n") != NULL, "%s", req);
}

Test(cli, user_agent_option_sent)
{
	const char	*req;

	single(RUN("--json", "-A", "probe/1.0", plain("/ok")), 0);
	req = h_request(0);
	cr_assert(strstr(req, "\r\nUser-Agent: probe/1.0\r\n") != NULL, "%s",
	    req);
	cr_assert_eq(h_count(req, "User-Agent:"), 1, "%s", req);
}

Test(cli, method_option_sent)
{
	const char	*l, *req;

	l = single(RUN("--json", "-X", "HEAD", plain("/ok")), 0);
	assert_status(l, 200, "OK");
	req = h_request(0);
	cr_assert(starts(req, "HEAD /ok HTTP/1.1\r\n"), "%s", req);
}

Test(cli, user_info_is_basic_auth_and_masked)
{
	char		*url;
	const char	*l, *req;
	struct h_run	*r;

	url = h_strf("http://u:p%%40ss@127.0.0.1:%d/ok", srv->plain);
	r = RUN("--json", url);
	l = single(r, 0);
	req = h_request(0);
	cr_assert(strstr(req, "\r\nAuthorization: Basic dTpwQHNz\r\n") != NULL,
	    "%s", req);
	cr_assert_str_eq(jstr(l, "url"), h_strf("http://u:***@127.0.0.1:%d/ok",
	    srv->plain));
	cr_assert(strstr(r->out, "p%40ss") == NULL, "%s", r->out);
	cr_assert(strstr(r->out, "p@ss") == NULL, "%s", r->out);
	r = RUN("--format", "text", url);
	assert_code(r, 0);
	cr_assert(strstr(r->out, "u:***@") != NULL, "%s", r->out);
	cr_assert(strstr(r->out, "p%40ss") == NULL, "%s", r->out);
}

Test(cli, user_info_not_sent_to_other_host)
{
	const char	*l;

	l = single(RUN("--json", "-L", "--dns-servers", dns_opt(),
	    h_strf("http://u:pw@127.0.0.1:%d/redir/302/http://localhost:%d/ok",
	    srv->plain, srv->plain)), 0);
	assert_status(l, 200, "OK");
	cr_assert_eq(h_nrequests(), 2);
	cr_assert(strstr(h_request(0), "\r\nAuthorization: Basic dTpwdw==\r\n")
	    != NULL, "%s", h_request(0));
	cr_assert(strstr(h_request(1), h_strf("\r\nHost: localhost:%d\r\n",
	    srv->plain)) != NULL, "%s", h_request(1));
	cr_assert(strstr(h_request(1), "Authorization") == NULL, "%s",
	    h_request(1));
}

Test(cli, non_ascii_path_is_percent_encoded)
{
	char		*url;
	const char	*l, *req;

	url = plain("/ok/\xc3\xa9?q=\xc3\xbc");
	l = single(RUN("--json", url), 0);
	cr_assert_str_eq(jstr(l, "url"), url);
	req = h_request(0);
	cr_assert(starts(req, "GET /ok/%C3%A9?q=%C3%BC HTTP/1.1\r\n"), "%s",
	    req);
	/* Not UTF-8: still sent encoded, still valid JSON out (cli.md). */
	single(RUN("--json", plain("/ok/\xff\xfe")), 0);
	req = h_request(1);
	cr_assert(starts(req, "GET /ok/%FF%FE HTTP/1.1\r\n"), "%s", req);
}

Test(cli, invalid_entries_do_not_stop_the_run)
{
	struct h_run	*r;
	char		*list;
	size_t		 i;

	list = h_write("list.txt", h_strf(
	    "%s\n"
	    "ftp://x/\n"
	    "http://\n"
	    "http://a b/\n"
	    "%s 200 extra\n"
	    "%s notalist\n"
	    "%s\n"
	    "%s 404\n",
	    plain("/ok?n=1"), plain("/ok?n=5"), plain("/ok?n=6"),
	    plain("/o\x01k"), plain("/status/404")));
	r = RUN("--json", list);
	assert_jsonl(r, 8);
	assert_code(r, 1);
	assert_status(r->lines[0], 200, "OK");
	for (i = 1; i < 7; i++) {
		assert_err(r->lines[i], "invalid-url", NULL);
		cr_assert(jnull(r->lines[i], "error.phase"), "%s",
		    r->lines[i]);
		cr_assert_eq(jint(r->lines[i], "attempts"), 0, "%s",
		    r->lines[i]);
		cr_assert_eq(jint(r->lines[i], "line"), (long)i + 1, "%s",
		    r->lines[i]);
	}
	cr_assert_str_eq(jstr(r->lines[1], "url"), "ftp://x/");
	cr_assert_str_eq(jstr(r->lines[2], "url"), "http://");
	cr_assert_str_eq(jstr(r->lines[7], "ok"), "true", "%s", r->lines[7]);
	cr_assert_eq(h_nrequests(), 2, "%s", h_requests());
}

Test(cli, invalid_url_argument)
{
	struct h_run	*r;

	r = RUN("--json", "ftp://x/", plain("/ok"));
	assert_jsonl(r, 2);
	assert_code(r, 1);
	assert_err(r->lines[0], "invalid-url", NULL);
	cr_assert(jnull(r->lines[0], "source"));
	assert_status(r->lines[1], 200, "OK");
}

Test(cli, overlong_entry_is_cut_and_invalid)
{
	char		*big, *list;
	const char	*l;

	big = h_strf("%s%09000d", plain("/"), 0);
	list = h_write("list.txt", h_strf("%s\n", big));
	l = single(RUN("--json", list), 1);
	assert_err(l, "invalid-url", NULL);
	cr_assert_eq(strlen(jstr(l, "url")), 8192);
	cr_assert_eq(strncmp(jstr(l, "url"), big, 8192), 0);
	cr_assert_eq(h_nrequests(), 0);
}

Test(cli, entry_without_scheme_gets_http)
{
	char		*list, *entry;
	const char	*l;

	entry = h_strf("127.0.0.1:%d/ok", srv->plain);
	list = h_write("list.txt", h_strf("  %s  \n", entry));
	l = single(RUN("--json", list), 0);
	assert_status(l, 200, "OK");
	cr_assert_str_eq(jstr(l, "url"), entry);
	cr_assert(starts(h_request(0), "GET /ok HTTP/1.1\r\n"));
}

Test(cli, bom_and_crlf_list)
{
	struct h_run	*r;
	char		*list;

	list = h_write("list.txt", h_strf("\xef\xbb\xbf%s\r\n# c\r\n%s 404\r\n",
	    plain("/ok"), plain("/status/404")));
	r = RUN("--json", list);
	assert_jsonl(r, 2);
	assert_code(r, 0);
	cr_assert_str_eq(jstr(r->lines[0], "url"), plain("/ok"));
	cr_assert_eq(jint(r->lines[0], "line"), 1);
	cr_assert_str_eq(jstr(r->lines[1], "url"), plain("/status/404"));
	cr_assert_eq(jint(r->lines[1], "line"), 3);
}

Test(cli, same_url_twice_checked_twice)
{
	struct h_run	*r;

	r = RUN("--json", plain("/ok"), plain("/ok"));
	assert_jsonl(r, 2);
	assert_code(r, 0);
	cr_assert_eq(jint(r->lines[0], "index"), 1);
	cr_assert_eq(jint(r->lines[1], "index"), 2);
	cr_assert_eq(h_nrequests(), 2);
}

Test(cli, stdin_dash)
{
	struct h_run	*r;

	r = RUNIN(h_strf("%s\n# c\n%s 404\n", plain("/ok"),
	    plain("/status/404")), "--json", "-");
	assert_jsonl(r, 2);
	assert_code(r, 0);
	cr_assert_str_eq(jstr(r->lines[0], "source"), "-");
	cr_assert_eq(jint(r->lines[0], "line"), 1);
	cr_assert_eq(jint(r->lines[1], "line"), 3);
	cr_assert_eq(jint(r->lines[1], "status"), 404);
}

Test(cli, stdin_without_source)
{
	struct h_run	*r;

	r = RUNIN(h_strf("%s\n%s\n", plain("/ok"), plain("/status/500")),
	    "--json");
	assert_jsonl(r, 2);
	assert_code(r, 1);
	cr_assert_str_eq(jstr(r->lines[0], "source"), "-");
	cr_assert_eq(jint(r->lines[1], "status"), 500);
	cr_assert_eq(h_nrequests(), 2);
}

Test(cli, terminal_stdin_without_source_is_usage)
{
	struct h_opts	 o;
	const char	*argv[] = { "httpstat-async", "--json", NULL };
	struct h_run	*r;

	memset(&o, 0, sizeof(o));
	o.in_tty = true;
	o.timeout = 20;
	r = h_runv(&o, argv);
	cr_assert(!r->timed_out, "waited on the terminal");
	assert_code(r, 2);
	cr_assert(r->errlen > 0);
	cr_assert_eq(r->outlen, 0, "%s", r->out);
}

Test(cli, two_thousand_urls)
{
	struct h_run	*r;
	FILE		*f;
	char		*list;
	size_t		 i, ok = 0;

	list = h_path("many.txt");
	cr_assert((f = fopen(list, "w")) != NULL);
	for (i = 1; i <= 2000; i++)
		fprintf(f, "%s\n", i % 2 ? plain(h_strf("/ok?n=%zu", i)) :
		    plain(h_strf("/status/500?n=%zu", i)));
	cr_assert_eq(fclose(f), 0);
	r = RUN("--json", "-c", "200", list);
	assert_jsonl(r, 2000);
	assert_code(r, 1);
	for (i = 0; i < 2000; i++) {
		cr_assert_eq(jint(r->lines[i], "line"), (long)i + 1, "%s",
		    r->lines[i]);
		cr_assert_eq(jint(r->lines[i], "status"), i % 2 ? 500 : 200,
		    "%s", r->lines[i]);
		if (strcmp(jstr(r->lines[i], "ok"), "true") == 0)
			ok++;
	}
	cr_assert_eq(ok, 1000);
	cr_assert_eq(h_nrequests(), 2000);
}

/* Interrupt a run whose three first checks hang; five entries. */
static void
interrupted(int sig, int code)
{
	struct h_opts	 o;
	const char	*argv[8], *l;
	struct h_run	*r;
	size_t		 want = 3, i;

	argv[0] = "httpstat-async";
	argv[1] = "--json";
	argv[2] = "-c";
	argv[3] = "3";
	argv[4] = "-t";
	argv[5] = "60";
	argv[6] = h_write("list.txt", h_strf("%s\n%s\n%s\n%s\n%s\n",
	    plain("/silent?n=1"), plain("/silent?n=2"), plain("/silent?n=3"),
	    plain("/silent?n=4"), plain("/silent?n=5")));
	argv[7] = NULL;
	memset(&o, 0, sizeof(o));
	o.trigger = h_requests_at_least;
	o.arg = &want;
	o.sig = sig;
	r = h_runv(&o, argv);
	cr_assert(r->fired, "the checks never reached the server");
	assert_jsonl(r, 5);
	cr_assert_eq(r->code, code, "exit %d; stderr: %s", r->code, r->err);
	for (i = 0; i < 5; i++) {
		l = r->lines[i];
		cr_assert_eq(jint(l, "line"), (long)i + 1, "%s", l);
		assert_err(l, "cancelled", NULL);
		if (i < 3) {
			cr_assert_eq(jint(l, "attempts"), 1, "%s", l);
			cr_assert_str_eq(jstr(l, "error.phase"), "head");
		} else {
			cr_assert_eq(jint(l, "attempts"), 0, "%s", l);
			cr_assert(jnull(l, "error.phase"), "%s", l);
		}
	}
}

Test(cli, sigint_cancels_and_keeps_every_entry)
{
	interrupted(SIGINT, 130);
}

Test(cli, sigterm_cancels_and_keeps_every_entry)
{
	interrupted(SIGTERM, 143);
}

Test(cli, sigint_does_not_wait_for_stdin)
{
	struct h_opts	 o;
	const char	*argv[] = { "httpstat-async", "--json", "-t", "60", "-",
			    NULL };
	struct h_run	*r;
	size_t		 want = 2;

	memset(&o, 0, sizeof(o));
	o.in = h_strf("%s\n%s\n", plain("/silent?n=1"), plain("/silent?n=2"));
	o.in_hold = true;
	o.trigger = h_requests_at_least;
	o.arg = &want;
	o.sig = SIGINT;
	r = h_runv(&o, argv);
	cr_assert(r->fired);
	assert_jsonl(r, 2);
	assert_code(r, 130);
	assert_err(r->lines[0], "cancelled", "head");
	assert_err(r->lines[1], "cancelled", "head");
}

Test(cli, zero_concurrency_is_usage)
{
	assert_usage(RUN("-c", "0", plain("/ok")), "-c", "concurrency");
}

Test(cli, unknown_option_is_usage)
{
	assert_usage(RUN("--bogus-option", plain("/ok")), "bogus-option",
	    NULL);
}

Test(cli, bad_values_are_usage)
{
	assert_usage(RUN("--timeout", "abc", plain("/ok")), "timeout", "-t");
	assert_usage(RUN("-c", "-3", plain("/ok")), "-c", "concurrency");
	assert_usage(RUN("--format", "yaml", plain("/ok")), "format", NULL);
	assert_usage(RUN("-H", "X-A: 1\r\nX-B: 2", plain("/ok")), "-H",
	    "header");
	assert_usage(RUN("-X", "GET\r\n", plain("/ok")), "-X", "method");
}

Test(cli, unreadable_source_is_exit_2)
{
	struct h_run	*r;

	r = RUN("--json", plain("/ok"), h_path("missing.txt"));
	assert_code(r, 2);
	cr_assert_eq(r->outlen, 0, "%s", r->out);
	cr_assert(strstr(r->err, "missing.txt") != NULL, "%s", r->err);
	cr_assert_eq(h_nrequests(), 0, "nothing is checked");
	r = RUN("--json", h_dir());
	assert_code(r, 2);
}

Test(cli, text_format_and_summary)
{
	struct h_run	*r;
	regex_t		 re;
	char		*url = plain("/ok"), *refused;

	r = RUN("--format", "text", url);
	assert_code(r, 0);
	cr_assert_eq(r->nlines, 1, "%s", r->out);
	cr_assert(strstr(r->lines[0], url) != NULL, "%s", r->out);
	cr_assert(strstr(r->lines[0], "200 OK") != NULL, "%s", r->out);
	cr_assert(strchr(r->out, '\033') == NULL, "no colour on a pipe");
	cr_assert_eq(regcomp(&re, "^1 checked: 1 ok, 0 not ok in "
	    "[0-9]+([.][0-9]+)? s [(]2xx: 1[)]\n$", REG_EXTENDED | REG_NOSUB),
	    0);
	cr_assert_eq(regexec(&re, r->err, 0, NULL, 0), 0, "summary: %s",
	    r->err);
	regfree(&re);

	refused = h_strf("http://127.0.0.1:%d/", h_free_port());
	r = RUN(url, plain("/status/404"), refused);
	assert_code(r, 1);
	cr_assert_eq(r->nlines, 3, "text is the default: %s", r->out);
	cr_assert(r->lines[0][0] != '{', "%s", r->out);
	cr_assert(strstr(r->lines[1], "404 Not Found") != NULL, "%s", r->out);
	cr_assert(strstr(r->lines[2], refused) != NULL, "%s", r->out);
	cr_assert(strstr(r->lines[2], "ERROR connect: ") != NULL, "%s",
	    r->out);
	cr_assert_eq(regcomp(&re, "^3 checked: 1 ok, 2 not ok in "
	    "[0-9]+([.][0-9]+)? s [(]2xx: 1, 4xx: 1, connect: 1[)]\n$",
	    REG_EXTENDED | REG_NOSUB), 0);
	cr_assert_eq(regexec(&re, r->err, 0, NULL, 0), 0, "summary: %s",
	    r->err);
	regfree(&re);
}

Test(cli, quiet_prints_only_failures)
{
	struct h_run	*r;

	r = RUN("-q", plain("/ok"), plain("/status/404"), plain("/ok?n=3"));
	assert_code(r, 1);
	cr_assert_eq(r->nlines, 1, "%s", r->out);
	cr_assert(strstr(r->lines[0], "/status/404") != NULL, "%s", r->out);
	r = RUN("-q", plain("/ok"));
	assert_code(r, 0);
	cr_assert_eq(r->outlen, 0, "%s", r->out);
}

Test(cli, output_file)
{
	struct h_run	*r;
	char		*out = h_path("out.jsonl");
	const char	*text;

	r = RUN("--json", "-o", out, plain("/ok"));
	assert_code(r, 0);
	cr_assert_eq(r->outlen, 0, "%s", r->out);
	text = h_slurp(out);
	cr_assert_eq(h_count(text, "\n"), 1, "%s", text);
	cr_assert_eq(jint(text, "status"), 200, "%s", text);
}

Test(cli, closed_stdout_ends_the_run)
{
	struct h_opts	 o;
	const char	*argv[6];
	struct h_run	*r;
	FILE		*f;
	char		*list;
	size_t		 i;

	list = h_path("many.txt");
	cr_assert((f = fopen(list, "w")) != NULL);
	for (i = 1; i <= 3000; i++)
		fprintf(f, "%s\n", plain(h_strf("/delay/5?n=%zu", i)));
	cr_assert_eq(fclose(f), 0);
	argv[0] = "httpstat-async";
	argv[1] = "--json";
	argv[2] = "-c";
	argv[3] = "20";
	argv[4] = list;
	argv[5] = NULL;
	memset(&o, 0, sizeof(o));
	o.close_out_after = 1;
	r = h_runv(&o, argv);
	cr_assert(!r->timed_out, "still running after the harness timeout");
	cr_assert(r->sig == SIGPIPE || r->code == 128 + SIGPIPE,
	    "exit %d signal %d; stderr: %s", r->code, r->sig, r->err);
	cr_assert_eq(r->errlen, 0, "no message: %s", r->err);
}

Test(cli, redirects_followed)
{
	const char	*l;

	l = single(RUN("--json", "-L", plain("/redirect/3")), 0);
	assert_status(l, 200, "OK");
	cr_assert_str_eq(jstr(l, "url"), plain("/redirect/3"));
	cr_assert_eq(jlen(l, "redirects"), 3, "%s", l);
	cr_assert_str_eq(jstr(l, "redirects.0.url"), plain("/redirect/3"));
	cr_assert_eq(jint(l, "redirects.0.status"), 302, "%s", l);
	cr_assert_str_eq(jstr(l, "redirects.0.location"),
	    plain("/redirect/2"));
	cr_assert_str_eq(jstr(l, "redirects.2.location"),
	    plain("/redirect/0"));
	cr_assert_eq(h_nrequests(), 4);
}

Test(cli, redirects_not_followed_without_L)
{
	const char	*l;

	l = single(RUN("--json", plain("/redirect/3")), 0);
	assert_status(l, 302, "Found");
	cr_assert_eq(jlen(l, "redirects"), 0, "%s", l);
	cr_assert_eq(h_nrequests(), 1);
}

Test(cli, redirect_limit)
{
	const char	*l;

	l = single(RUN("--json", "-L", "--max-redirs", "2",
	    plain("/redirect/3")), 1);
	assert_err(l, "redirect", NULL);
	cr_assert_eq(h_nrequests(), 3, "N redirects: N+1 requests");
	l = single(RUN("--json", "-L", "--max-redirs", "3",
	    plain("/redirect/3")), 0);
	assert_status(l, 200, "OK");
}

Test(cli, redirect_methods)
{
	single(RUN("--json", "-L", "-X", "POST", plain("/redir/302/ok")), 0);
	cr_assert(starts(h_request(0), "POST /redir/302/ok HTTP/1.1\r\n"),
	    "%s", h_request(0));
	cr_assert(starts(h_request(1), "GET /ok HTTP/1.1\r\n"),
	    "302 turns POST into GET: %s", h_request(1));
	single(RUN("--json", "-L", "-X", "POST", plain("/redir/307/ok")), 0);
	cr_assert(starts(h_request(3), "POST /ok HTTP/1.1\r\n"),
	    "307 keeps the method: %s", h_request(3));
	single(RUN("--json", "-L", "-X", "HEAD", plain("/redir/303/ok")), 0);
	cr_assert(starts(h_request(5), "HEAD /ok HTTP/1.1\r\n"),
	    "303 keeps HEAD: %s", h_request(5));
}

Test(cli, retries_on_503_not_on_404)
{
	const char	*l;

	l = single(RUN("--json", "--retries", "2", plain("/status/503")), 1);
	assert_status(l, 503, NULL);
	cr_assert_eq(jint(l, "attempts"), 3, "%s", l);
	cr_assert_eq(h_nrequests(), 3);
	l = single(RUN("--json", "--retries", "2", plain("/status/404")), 1);
	cr_assert_eq(jint(l, "attempts"), 1, "%s", l);
	cr_assert_eq(h_nrequests(), 4);
}

Test(cli, retry_on_list_and_long_retry_after)
{
	const char	*l;

	l = single(RUN("--json", "--retries", "1", "--retry-on", "500",
	    plain("/status/500")), 1);
	cr_assert_eq(jint(l, "attempts"), 2, "%s", l);
	cr_assert_eq(h_nrequests(), 2);
	/* cli.md: a Retry-After over 60 s ends the retries. */
	l = single(RUN("--json", "--retries", "3", plain("/retry-after/120")),
	    1);
	assert_status(l, 503, NULL);
	cr_assert_eq(jint(l, "attempts"), 1, "%s", l);
	cr_assert_eq(h_nrequests(), 3);
}

Test(cli, retries_on_refused_connect)
{
	const char	*l;

	l = single(RUN("--json", "--retries", "2", h_strf(
	    "http://127.0.0.1:%d/", h_free_port())), 1);
	assert_err(l, "connect", "connect");
	cr_assert_eq(jint(l, "attempts"), 3, "%s", l);
}

Test(cli, per_host_limit)
{
	struct h_run	*r;
	size_t		 i;

	/* Two hanging checks to one host, one slot for it: one request. */
	r = RUN("--json", "--per-host", "1", "-c", "10", "-t", "30",
	    "--deadline", "1", plain("/silent?n=1"), plain("/silent?n=2"));
	assert_jsonl(r, 2);
	for (i = 0; i < 2; i++)
		assert_err(r->lines[i], "deadline", NULL);
	cr_assert_eq(jint(r->lines[1], "attempts"), 0, "%s", r->lines[1]);
	cr_assert_eq(h_nrequests(), 1, "%s", h_requests());
}

Test(cli, redirect_without_location_is_final)
{
	const char	*l;

	l = single(RUN("--json", "-L", plain("/status/302")), 0);
	assert_status(l, 302, "Found");
	cr_assert_eq(jlen(l, "redirects"), 0, "%s", l);
}

Test(cli, redirect_to_bad_location)
{
	const char	*l;

	l = single(RUN("--json", "-L", plain("/redir/302/http://[::1")), 1);
	assert_err(l, "redirect", NULL);
	cr_assert_eq(h_nrequests(), 1);
}

Test(cli, color_always)
{
	struct h_run	*r;

	r = RUN("--color", "always", "--format", "text", plain("/ok"));
	assert_code(r, 0);
	cr_assert(strchr(r->out, '\033') != NULL, "%s", r->out);
	r = RUN("--color", "never", "--format", "text", plain("/ok"));
	cr_assert(strchr(r->out, '\033') == NULL, "%s", r->out);
}

Test(cli, cert_min_days)
{
	const char	*l;

	l = single(RUN("--json", "--cacert", cacert(), "--cert-min-days", "60",
	    secure(srv->tls, "/ok")), 1);
	assert_status(l, 200, "OK");
	cr_assert_str_eq(jstr(l, "ok"), "false", "%s", l);
	cr_assert_str_eq(jstr(l, "tls.cert_expiring"), "true", "%s", l);
	l = single(RUN("--json", "--cacert", cacert(), "--cert-min-days", "10",
	    secure(srv->tls, "/ok")), 0);
	cr_assert_str_eq(jstr(l, "ok"), "true", "%s", l);
}

Test(cli, proxy_gets_absolute_form)
{
	const char	*l, *req;

	/* The origin does not resolve: only the proxy can answer. */
	l = single(RUN("--json", "--dns-servers", dns_opt(), "--proxy",
	    h_strf("http://127.0.0.1:%d", srv->plain),
	    "http://origin.nx.test/ok"), 0);
	assert_status(l, 200, "OK");
	req = h_request(0);
	cr_assert(starts(req, "GET http://origin.nx.test/ok HTTP/1.1\r\n"),
	    "%s", req);
	cr_assert(strstr(req, "\r\nHost: origin.nx.test\r\n") != NULL, "%s",
	    req);
	cr_assert(strstr(dns_log(), "origin") == NULL, "%s", dns_log());
}

Test(cli, https_through_proxy_tunnel)
{
	const char	*l;

	/* The proxy relays CONNECT to 127.0.0.1; TLS is verified as usual. */
	l = single(RUN("--json", "--cacert", cacert(), "--dns-servers",
	    dns_opt(), "--proxy", h_strf("http://127.0.0.1:%d", srv->plain),
	    h_strf("https://good.test:%d/ok", srv->tls)), 0);
	assert_status(l, 200, "OK");
	cr_assert(starts(jstr(l, "tls.version"), "TLSv1."), "%s", l);
	cr_assert(starts(h_request(0), h_strf("CONNECT good.test:%d HTTP/1.1"
	    "\r\n", srv->tls)), "%s", h_requests());
	cr_assert(starts(h_request(1), "GET /ok HTTP/1.1\r\n"), "%s",
	    h_requests());
	cr_assert(strstr(dns_log(), "good.test") == NULL, "%s", dns_log());
	/* A tunnel to a name the certificate does not cover: tls. */
	l = single(RUN("--json", "--cacert", cacert(), "--dns-servers",
	    dns_opt(), "--proxy", h_strf("http://127.0.0.1:%d", srv->plain),
	    h_strf("https://other.nx.test:%d/ok", srv->tls)), 1);
	assert_err(l, "tls", "tls");
}

Test(cli, proxy_from_environment_and_noproxy)
{
	struct h_opts	 o;
	const char	*argv[6], *env[2];
	struct h_run	*r;

	env[0] = h_strf("http_proxy=http://127.0.0.1:%d", srv->plain);
	env[1] = NULL;
	argv[0] = "httpstat-async";
	argv[1] = "--json";
	argv[2] = "--dns-servers";
	argv[3] = dns_opt();
	argv[4] = "http://origin.nx.test/ok";
	argv[5] = NULL;
	memset(&o, 0, sizeof(o));
	o.env = env;
	r = h_runv(&o, argv);
	assert_jsonl(r, 1);
	assert_code(r, 0);
	cr_assert(starts(h_request(0), "GET http://origin.nx.test/ok "
	    "HTTP/1.1\r\n"), "%s", h_request(0));

	env[0] = h_strf("http_proxy=http://127.0.0.1:%d", h_free_port());
	argv[4] = h_strf("http://a.ok.test:%d/ok", srv->plain);
	o.env = (const char *[]){ env[0], "no_proxy=ok.test", NULL };
	r = h_runv(&o, argv);
	assert_jsonl(r, 1);
	assert_code(r, 0);
}

Test(cli, unreachable_proxy_is_connect_in_proxy)
{
	const char	*l;

	l = single(RUN("--json", "--dns-servers", dns_opt(), "--proxy",
	    h_strf("http://127.0.0.1:%d", h_free_port()),
	    "http://origin.nx.test/ok"), 1);
	assert_err(l, "connect", "proxy");
}

Test(cli, shards_partition_the_entries)
{
	struct h_run	*r1, *r2;
	char		*list, *text = "";
	size_t		 i, j;

	for (i = 1; i <= 12; i++)
		text = h_strf("%shttp://h%zu.ok.test:%d/ok\n", text, i,
		    srv->plain);
	list = h_write("list.txt", text);
	r1 = RUN("--json", "--dns-servers", dns_opt(), "--shard", "1/2", list);
	assert_code(r1, 0);
	r2 = RUN("--json", "--dns-servers", dns_opt(), "--shard", "2/2", list);
	assert_code(r2, 0);
	cr_assert_eq(r1->nlines + r2->nlines, 12, "%s---\n%s", r1->out,
	    r2->out);
	for (i = 0; i < r1->nlines; i++)
		for (j = 0; j < r2->nlines; j++)
			cr_assert_neq(jint(r1->lines[i], "line"),
			    jint(r2->lines[j], "line"));
	cr_assert_eq(h_nrequests(), 12);
}

Test(cli, csv_format)
{
	struct h_run	*r;
	char		*refused;

	refused = h_strf("http://127.0.0.1:%d/", h_free_port());
	r = RUN("--format", "csv", plain("/ok"), refused);
	assert_code(r, 1);
	cr_assert(starts(r->out, "url,ok,status,reason,error_kind,"
	    "error_message,time_ms\r\n"), "%s", r->out);
	cr_assert_eq(h_count(r->out, "\r\n"), 3, "%s", r->out);
	cr_assert(strstr(r->out, h_strf("\r\n%s,true,200,OK,,,",
	    plain("/ok"))) != NULL, "%s", r->out);
	cr_assert(strstr(r->out, h_strf("\r\n%s,false,,,connect,", refused))
	    != NULL, "%s", r->out);
}

Test(cli, junit_format)
{
	struct h_run	*r;

	r = RUN("--format", "junit", plain("/ok"), plain("/status/404"),
	    h_strf("http://127.0.0.1:%d/", h_free_port()));
	assert_code(r, 1);
	cr_assert(strstr(r->out, "<testsuites") != NULL, "%s", r->out);
	cr_assert(strstr(r->out, "<testsuite name=\"httpstat-async\"") != NULL,
	    "%s", r->out);
	cr_assert_eq(h_count(r->out, "<testcase "), 3, "%s", r->out);
	cr_assert_eq(h_count(r->out, "<failure "), 2, "%s", r->out);
	cr_assert(strstr(r->out, "type=\"connect\"") != NULL, "%s", r->out);
	cr_assert(strstr(r->out, "type=\"status\"") != NULL, "%s", r->out);
}

Test(cli, prom_format)
{
	struct h_run	*r;

	r = RUN("--format", "prom", plain("/ok"), plain("/ok"));
	assert_code(r, 0);
	cr_assert_eq(h_count(r->out, "httpstat_up{"), 2, "%s", r->out);
	cr_assert(strstr(r->out, "index=\"2\"") != NULL, "%s", r->out);
	cr_assert(strstr(r->out, "httpstat_status_code{") != NULL, "%s",
	    r->out);
}

Test(cli, version_and_help)
{
	struct h_run	*r;
	const char	*v = getenv("HTTPSTAT_VERSION");

	r = RUN("--version");
	assert_code(r, 0);
	if (v != NULL)
		cr_assert(strstr(r->out, v) != NULL, "%s", r->out);
	cr_assert(r->outlen > 0);
	r = RUN("-h");
	assert_code(r, 0);
	cr_assert(strstr(r->out, "--concurrency") != NULL, "%s", r->out);
	cr_assert_eq(h_nrequests(), 0);
}

/* The JSON reader the cases rely on: it must be able to say no. */
Test(cli, harness_json_reader)
{
	static const char	l[] =
	    "{\"a\":\"x\\\"y\\u00e9\\ud83d\\ude00\","
	    "\"b\":{\"c\":[1,{\"d\":null}],\"e\":-2.5e3},"
	    "\"ok\":true,\"n\":42}";
	static const char	m[] =
	    "{\"url\":\"\\\"status\\\":1\",\"status\":2}";
	static const char *const bad[] = {
		"{\"a\":1,}", "{\"a\":01}", "{\"a\":\"\x01\"}",
		"{\"a\":\"\xff\"}",
		"{\"a\":1} x", "{\"a\":\"\\x\"}", "[1]", "{\"a\":\"\xc0\xaf\"}",
		"{\"a\":tru}", "{\"a\" 1}", "",
	};
	size_t			i;

	cr_assert(jvalid(l));
	cr_assert_str_eq(jstr(l, "a"), "x\"y\xc3\xa9\xf0\x9f\x98\x80");
	cr_assert_eq(jint(l, "b.c.0"), 1);
	cr_assert(jnull(l, "b.c.1.d"));
	cr_assert_str_eq(jstr(l, "b.c.1.d"), "<null>");
	cr_assert_eq(jint(l, "n"), 42);
	cr_assert_eq(jint(l, "b.e"), JNOTINT);
	cr_assert_eq(jint(l, "zz"), JMISSING);
	cr_assert_str_eq(jstr(l, "zz"), "<missing>");
	cr_assert_eq(jlen(l, "b.c"), 2);
	cr_assert_eq(jlen(l, "n"), -1);
	cr_assert_str_eq(jstr(l, "ok"), "true");
	cr_assert_eq(jint(m, "status"), 2, "a key inside a string is no key");
	cr_assert_str_eq(jerrkind("{\"error\":null}"), "<null>");
	cr_assert_str_eq(jerrkind("{\"error\":{\"kind\":\"dns\"}}"), "dns");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!jvalid(bad[i]), "accepted: %s", bad[i]);
}

/* The harness itself: the kill timeout and line counting. */
Test(cli, harness_kills_at_timeout)
{
	struct h_opts	 o;
	const char	*argv[] = { "httpstat-async", "--json", "-", NULL };
	struct h_run	*r;

	/* Standard input that never ends: the harness kills, and says so. */
	memset(&o, 0, sizeof(o));
	o.in = "";
	o.in_hold = true;
	o.timeout = 1;
	r = h_runv(&o, argv);
	cr_assert(r->timed_out, "exit %d", r->code);
	cr_assert(r->signaled && r->sig == SIGKILL);
	cr_assert_eq(r->code, 128 + SIGKILL);
	cr_assert_eq(r->nlines, 0, "%s", r->out);
	cr_assert_eq(h_lines_count("a\nb"), 2);
	cr_assert_eq(h_lines_count("a\nb\n"), 2);
	cr_assert_eq(h_count("aXaXa", "aXa"), 1);
}
