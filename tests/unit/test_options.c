/* options.c: defaults, every option's forms, refusals that name the option. */
#include "httpstat/options.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <string.h>

#include "version.h"

/* An argv for options_parse: program name, the arguments, NULL. */
#define ARGV(...)	((char *[]){ "httpstat-async", __VA_ARGS__, NULL })

struct bad {
	char	opt[24];
	char	val[80];
	char	name[24];	/* the option as err must name it */
	char	why[40];	/* a piece of the reason, or "" */
};

struct refused {
	char	arg[24];
	char	msg[48];	/* a piece err must hold */
};

static int		argc_of(char **);
static enum options_rc	parse(struct options *, char **);
static void		assert_one_line(void);

static char	err[512];

/* Count an argv up to its NULL. */
static int
argc_of(char **argv)
{
	int	n = 0;

	while (argv[n] != NULL)
		n++;
	return (n);
}

/* options_parse with the shared err buffer. */
static enum options_rc
parse(struct options *o, char **argv)
{
	return (options_parse(argc_of(argv), argv, o, err, sizeof(err)));
}

/* cli.md: exactly one line, ours, no raw control characters. */
static void
assert_one_line(void)
{
	size_t	i;

	cr_assert(strncmp(err, "httpstat-async: ", 16) == 0, "err: %s", err);
	for (i = 0; err[i] != '\0'; i++)
		cr_assert((unsigned char)err[i] >= 0x20 &&
		    (unsigned char)err[i] < 0x7f, "byte %zu of: %s", i, err);
}

Test(options, defaults)
{
	struct options	o;

	cr_assert_eq(parse(&o, (char *[]){ "httpstat-async", NULL }),
	    OPTIONS_RUN);
	cr_assert_str_empty(err);
	cr_assert_eq(o.concurrency, 100);
	cr_assert_eq(o.timeout, 10.0);
	cr_assert_eq(o.deadline, 0.0);
	cr_assert_str_eq(o.method, "GET");
	cr_assert_eq(o.nheaders, 0);
	cr_assert_str_eq(o.user_agent, "httpstat-async/" HTTPSTAT_VERSION);
	cr_assert_not(o.insecure);
	cr_assert_null(o.cacert);
	cr_assert_eq(o.npins, 0);
	cr_assert_eq(o.ndns_servers, 0);
	cr_assert_eq(o.family, FAMILY_ANY);
	cr_assert(expect_match(&o.expect, 200));
	cr_assert(expect_match(&o.expect, 301));
	cr_assert_not(expect_match(&o.expect, 404));
	cr_assert_eq(o.format, FORMAT_TEXT);
	cr_assert_null(o.output);
	cr_assert_not(o.quiet);
	cr_assert_eq(o.color, WHEN_AUTO);
	cr_assert_eq(o.nsources, 0);
	options_free(&o);
	options_free(&o);
}

Test(options, defaults_of_the_later_options)
{
	struct options	o;

	cr_assert_eq(parse(&o, (char *[]){ "httpstat-async", NULL }),
	    OPTIONS_RUN);
	cr_assert_not(o.location);
	cr_assert_eq(o.max_redirs, 10);
	cr_assert_null(o.proxy, "NULL: main falls back on the environment");
	cr_assert_null(o.noproxy);
	cr_assert_eq(o.retries, 0);
	cr_assert_eq(o.retry_on.n, 4);
	cr_assert(expect_match(&o.retry_on, 429));
	cr_assert(expect_match(&o.retry_on, 502));
	cr_assert(expect_match(&o.retry_on, 503));
	cr_assert(expect_match(&o.retry_on, 504));
	cr_assert_not(expect_match(&o.retry_on, 500));
	cr_assert_not(expect_match(&o.retry_on, 501));
	cr_assert_eq(o.per_host, 0);
	cr_assert_eq(o.rate, 0.0);
	cr_assert_eq(o.cert_min_days, -1);
	cr_assert_eq(o.shard_k, 0);
	cr_assert_eq(o.shard_n, 0);
	cr_assert_eq(o.order, ORDER_INPUT);
	cr_assert_eq(o.progress, WHEN_AUTO);
	cr_assert(o.tls_resume);
	options_free(&o);
}

Test(options, no_argv_at_all)
{
	struct options	o;

	cr_assert_eq(options_parse(0, NULL, &o, err, sizeof(err)),
	    OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 100);
	options_free(&o);
}

Test(options, concurrency_forms)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-c", "1")), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 1);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-c1000000")), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 1000000);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--concurrency=007")), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 7);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--conc", "5", "-c", "6")), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 6, "the last one wins");
	options_free(&o);
}

Test(options, seconds_forms)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-t", "2.5", "-d", "30")), OPTIONS_RUN);
	cr_assert_eq(o.timeout, 2.5);
	cr_assert_eq(o.deadline, 30.0);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--timeout=.25", "--deadline", "1.")),
	    OPTIONS_RUN);
	cr_assert_eq(o.timeout, 0.25);
	cr_assert_eq(o.deadline, 1.0);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-t", "86400", "-d", "604800")),
	    OPTIONS_RUN);
	cr_assert_eq(o.timeout, 86400.0);
	cr_assert_eq(o.deadline, 604800.0);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-t", "0.001")), OPTIONS_RUN);
	cr_assert_eq(o.timeout, 0.001);
	options_free(&o);
}

Test(options, method_forms)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-X", "HEAD")), OPTIONS_RUN);
	cr_assert_str_eq(o.method, "HEAD");
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--method", "M-SEARCH", "-X", "x~!#")),
	    OPTIONS_RUN);
	cr_assert_str_eq(o.method, "x~!#", "kept as given, last one wins");
	options_free(&o);
}

Test(options, headers_accumulate)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-H", "X-A: 1", "--header", "X-B:",
	    "-HAccept: text/plain", "--header=X-C:\tv \x01 \xc3\xa9")),
	    OPTIONS_RUN);
	cr_assert_eq(o.nheaders, 4);
	cr_assert_str_eq(o.headers[0], "X-A: 1");
	cr_assert_str_eq(o.headers[1], "X-B:");
	cr_assert_str_eq(o.headers[2], "Accept: text/plain");
	cr_assert_str_eq(o.headers[3], "X-C:\tv \x01 \xc3\xa9");
	options_free(&o);
}

Test(options, user_agent_insecure_cacert_output)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-A", "probe 1.0", "-k", "--cacert",
	    "ca.pem", "-o", "out.jsonl", "--cacert", "ca2.pem")), OPTIONS_RUN);
	cr_assert_str_eq(o.user_agent, "probe 1.0");
	cr_assert(o.insecure);
	cr_assert_str_eq(o.cacert, "ca2.pem");
	cr_assert_str_eq(o.output, "out.jsonl");
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--user-agent", "", "--insecure",
	    "--output=-")), OPTIONS_RUN);
	cr_assert_str_eq(o.user_agent, "");
	cr_assert_str_eq(o.output, "-");
	options_free(&o);
}

Test(options, resolve_forms)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--resolve", "example.com:443:127.0.0.1",
	    "--resolve=EXAMPLE.Org.:80:[::1],10.0.0.1,0:0::1",
	    "--resolve", "*:443:::1")), OPTIONS_RUN);
	cr_assert_eq(o.npins, 3);
	cr_assert_str_eq(o.pins[0].host, "example.com");
	cr_assert_eq(o.pins[0].port, 443);
	cr_assert_eq(o.pins[0].naddrs, 1);
	cr_assert_str_eq(o.pins[0].addrs[0], "127.0.0.1");
	cr_assert_str_eq(o.pins[1].host, "example.org");
	cr_assert_eq(o.pins[1].port, 80);
	cr_assert_eq(o.pins[1].naddrs, 3);
	cr_assert_str_eq(o.pins[1].addrs[0], "::1");
	cr_assert_str_eq(o.pins[1].addrs[1], "10.0.0.1");
	cr_assert_str_eq(o.pins[1].addrs[2], "::1");
	cr_assert_str_eq(o.pins[2].host, "*");
	cr_assert_str_eq(o.pins[2].addrs[0], "::1");
	options_free(&o);
}

Test(options, resolve_idna_and_underscore)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--resolve",
	    "B\xc3\xbc" "cher.Example:443:1.2.3.4",
	    "--resolve", "_srv.example:53:1.1.1.1")), OPTIONS_RUN);
	cr_assert_eq(o.npins, 2);
	cr_assert_str_eq(o.pins[0].host, "xn--bcher-kva.example");
	cr_assert_str_eq(o.pins[1].host, "_srv.example");
	options_free(&o);
}

Test(options, resolve_same_host_port_replaces)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--resolve", "a.test:443:1.1.1.1",
	    "--resolve", "a.test:80:2.2.2.2",
	    "--resolve", "A.TEST:443:3.3.3.3,4.4.4.4")), OPTIONS_RUN);
	cr_assert_eq(o.npins, 2);
	cr_assert_eq(o.pins[0].port, 443);
	cr_assert_eq(o.pins[0].naddrs, 2);
	cr_assert_str_eq(o.pins[0].addrs[0], "3.3.3.3");
	cr_assert_str_eq(o.pins[1].addrs[0], "2.2.2.2");
	options_free(&o);
}

Test(options, dns_servers_normalised)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--dns-servers", "127.0.0.1,"
	    "127.0.0.1:5353,::1,[::1],[::1]:5353,[2001:DB8::1]:53")),
	    OPTIONS_RUN);
	cr_assert_eq(o.ndns_servers, 6);
	cr_assert_str_eq(o.dns_servers[0], "127.0.0.1:53");
	cr_assert_str_eq(o.dns_servers[1], "127.0.0.1:5353");
	cr_assert_str_eq(o.dns_servers[2], "[::1]:53");
	cr_assert_str_eq(o.dns_servers[3], "[::1]:53");
	cr_assert_str_eq(o.dns_servers[4], "[::1]:5353");
	cr_assert_str_eq(o.dns_servers[5], "[2001:db8::1]:53");
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--dns-servers", "1.1.1.1,9.9.9.9",
	    "--dns-servers=8.8.8.8")), OPTIONS_RUN);
	cr_assert_eq(o.ndns_servers, 1, "the last list wins");
	cr_assert_str_eq(o.dns_servers[0], "8.8.8.8:53");
	options_free(&o);
}

Test(options, family_last_wins)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-4")), OPTIONS_RUN);
	cr_assert_eq(o.family, FAMILY_V4);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-6")), OPTIONS_RUN);
	cr_assert_eq(o.family, FAMILY_V6);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-4", "-6")), OPTIONS_RUN);
	cr_assert_eq(o.family, FAMILY_V6);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-64")), OPTIONS_RUN);
	cr_assert_eq(o.family, FAMILY_V4);
	options_free(&o);
}

Test(options, expect_list)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--expect", "200")), OPTIONS_RUN);
	cr_assert(expect_match(&o.expect, 200));
	cr_assert_not(expect_match(&o.expect, 301));
	options_free(&o);
}

Test(options, format_json_quiet_color)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--format", "jsonl")), OPTIONS_RUN);
	cr_assert_eq(o.format, FORMAT_JSONL);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--json")), OPTIONS_RUN);
	cr_assert_eq(o.format, FORMAT_JSONL);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--json", "--format=text", "-q",
	    "--color", "never")), OPTIONS_RUN);
	cr_assert_eq(o.format, FORMAT_TEXT);
	cr_assert(o.quiet);
	cr_assert_eq(o.color, WHEN_NEVER);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--quiet", "--color=always")),
	    OPTIONS_RUN);
	cr_assert(o.quiet);
	cr_assert_eq(o.color, WHEN_ALWAYS);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--color=never", "--color", "auto")),
	    OPTIONS_RUN);
	cr_assert_eq(o.color, WHEN_AUTO);
	options_free(&o);
}

Test(options, format_csv_junit_prom)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--format", "csv")), OPTIONS_RUN);
	cr_assert_eq(o.format, FORMAT_CSV);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--format=junit")), OPTIONS_RUN);
	cr_assert_eq(o.format, FORMAT_JUNIT);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--format", "prom")), OPTIONS_RUN);
	cr_assert_eq(o.format, FORMAT_PROM);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--format", "prom", "--json")),
	    OPTIONS_RUN);
	cr_assert_eq(o.format, FORMAT_JSONL, "the last one wins");
	options_free(&o);
}

Test(options, order_and_progress)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--order", "completion", "--progress",
	    "never")), OPTIONS_RUN);
	cr_assert_eq(o.order, ORDER_COMPLETION);
	cr_assert_eq(o.progress, WHEN_NEVER);
	cr_assert_eq(o.color, WHEN_AUTO, "--progress is not --color");
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--order=completion", "--order=input",
	    "--progress=always")), OPTIONS_RUN);
	cr_assert_eq(o.order, ORDER_INPUT);
	cr_assert_eq(o.progress, WHEN_ALWAYS);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--progress", "always", "--progress",
	    "auto", "--color", "never")), OPTIONS_RUN);
	cr_assert_eq(o.progress, WHEN_AUTO);
	cr_assert_eq(o.color, WHEN_NEVER);
	options_free(&o);
}

Test(options, location_and_max_redirs)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-L", "--max-redirs", "0")), OPTIONS_RUN);
	cr_assert(o.location);
	cr_assert_eq(o.max_redirs, 0, "0: no redirect is followed");
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--location", "--max-redirs=1000")),
	    OPTIONS_RUN);
	cr_assert(o.location);
	cr_assert_eq(o.max_redirs, 1000);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-kLq", "--max-redirs", "3")),
	    OPTIONS_RUN);
	cr_assert(o.insecure);
	cr_assert(o.location);
	cr_assert(o.quiet);
	cr_assert_eq(o.max_redirs, 3);
	options_free(&o);
}

Test(options, proxy_forms)
{
	static const char	*ok[] = { "http://proxy:3128",
	    "HTTP://Proxy.Example.COM", "Http://proxy.example.com.:8080/",
	    "http://10.0.0.1:1", "http://[::1]:65535/", "http://[::1]",
	    "http://user:p%40ss@proxy:3128", "http://user@proxy/",
	    "http://_p-1.test" };
	struct options		 o;
	char			 val[80];
	size_t			 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(val, sizeof(val), "%s", ok[i]);
		cr_assert_eq(parse(&o, ARGV("--proxy", val)), OPTIONS_RUN,
		    "%s: %s", val, err);
		cr_assert_str_eq(o.proxy, ok[i], "kept as given");
		options_free(&o);
	}
	cr_assert_eq(parse(&o, ARGV("--proxy", "http://a:1", "--proxy=")),
	    OPTIONS_RUN);
	cr_assert_str_eq(o.proxy, "", "\"\": no proxy, as in curl");
	options_free(&o);
}

Test(options, proxy_password_not_shown)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--proxy", "http://u:s3cret@h:0")),
	    OPTIONS_ERROR);
	assert_one_line();
	cr_assert_null(strstr(err, "s3cret"), "err: %s", err);
	cr_assert_not_null(strstr(err, "'http://u:***@h:0' has a port"),
	    "err: %s", err);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--proxy", "socks5://u:pw@h/x@y")),
	    OPTIONS_ERROR);
	cr_assert_null(strstr(err, "pw"), "err: %s", err);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--proxy", "http://u:a/b@h")),
	    OPTIONS_ERROR);
	cr_assert_not_null(strstr(err, "'http://u:***@h'"), "err: %s", err);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--proxy", "http://h:0")), OPTIONS_ERROR);
	cr_assert_not_null(strstr(err, "'http://h:0'"), "err: %s", err);
	options_free(&o);
}

Test(options, noproxy_forms)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--noproxy", "localhost,.example.com")),
	    OPTIONS_RUN);
	cr_assert_str_eq(o.noproxy, "localhost,.example.com");
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--noproxy", "*", "--noproxy=")),
	    OPTIONS_RUN);
	cr_assert_str_eq(o.noproxy, "", "\"\": bypass nothing");
	options_free(&o);
}

Test(options, retries_and_retry_on)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--retries", "3", "--retry-on",
	    "500-504, 429")), OPTIONS_RUN);
	cr_assert_eq(o.retries, 3);
	cr_assert_eq(o.retry_on.n, 2);
	cr_assert(expect_match(&o.retry_on, 500));
	cr_assert(expect_match(&o.retry_on, 429));
	cr_assert_not(expect_match(&o.retry_on, 505));
	cr_assert(expect_match(&o.expect, 200), "--expect is untouched");
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--retries=100", "--retries", "0",
	    "--retry-on=5xx")), OPTIONS_RUN);
	cr_assert_eq(o.retries, 0);
	cr_assert(expect_match(&o.retry_on, 599));
	cr_assert_not(expect_match(&o.retry_on, 429));
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--retries", "100")), OPTIONS_RUN);
	cr_assert_eq(o.retries, 100);
	options_free(&o);
}

Test(options, per_host_and_rate)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--per-host", "2", "--rate", "2.5")),
	    OPTIONS_RUN);
	cr_assert_eq(o.per_host, 2);
	cr_assert_eq(o.rate, 2.5);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--per-host=0", "--rate=0")),
	    OPTIONS_RUN);
	cr_assert_eq(o.per_host, 0);
	cr_assert_eq(o.rate, 0.0);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--per-host", "1000000", "--rate",
	    "1000000", "--rate", "0.000", "--rate", ".5")), OPTIONS_RUN);
	cr_assert_eq(o.per_host, 1000000);
	cr_assert_eq(o.rate, 0.5);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--rate", "1000000.0")), OPTIONS_RUN);
	cr_assert_eq(o.rate, 1e6);
	options_free(&o);
}

Test(options, cert_min_days_and_tls_resume)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--cert-min-days", "30",
	    "--no-tls-resume")), OPTIONS_RUN);
	cr_assert_eq(o.cert_min_days, 30);
	cr_assert_not(o.tls_resume);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--cert-min-days=0")), OPTIONS_RUN);
	cr_assert_eq(o.cert_min_days, 0);
	cr_assert(o.tls_resume);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--cert-min-days", "100000")),
	    OPTIONS_RUN);
	cr_assert_eq(o.cert_min_days, 100000);
	options_free(&o);
}

Test(options, shard_forms)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("--shard", "1/1")), OPTIONS_RUN);
	cr_assert_eq(o.shard_k, 1);
	cr_assert_eq(o.shard_n, 1);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--shard=3/3")), OPTIONS_RUN);
	cr_assert_eq(o.shard_k, 3);
	cr_assert_eq(o.shard_n, 3);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--shard", "2/7", "--shard", "1/1000000")),
	    OPTIONS_RUN);
	cr_assert_eq(o.shard_k, 1, "the last one wins");
	cr_assert_eq(o.shard_n, 1000000);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--shard", "1000000/1000000")),
	    OPTIONS_RUN);
	cr_assert_eq(o.shard_k, 1000000);
	options_free(&o);
}

/* o.sources borrows argv: it must outlive them, so no ARGV in cr_assert. */
Test(options, sources_in_order)
{
	struct options	o;
	char		**argv = ARGV("a.txt", "-q", "https://x/", "-c", "3",
			    "-", "b.txt");

	cr_assert_eq(parse(&o, argv), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 3);
	cr_assert_eq(o.nsources, 4);
	cr_assert_str_eq(o.sources[0], "a.txt");
	cr_assert_str_eq(o.sources[1], "https://x/");
	cr_assert_str_eq(o.sources[2], "-");
	cr_assert_str_eq(o.sources[3], "b.txt");
	options_free(&o);
}

Test(options, double_dash_ends_options)
{
	struct options	o;
	char		**argv = ARGV("-q", "first", "--", "-c", "0", "--json",
			    "--");

	cr_assert_eq(parse(&o, argv), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 100);
	cr_assert_eq(o.format, FORMAT_TEXT);
	cr_assert_eq(o.nsources, 5);
	cr_assert_str_eq(o.sources[0], "first");
	cr_assert_str_eq(o.sources[1], "-c");
	cr_assert_str_eq(o.sources[2], "0");
	cr_assert_str_eq(o.sources[3], "--json");
	cr_assert_str_eq(o.sources[4], "--");
	options_free(&o);
}

Test(options, version_and_help)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-V")), OPTIONS_VERSION);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--version")), OPTIONS_VERSION);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-h")), OPTIONS_HELP);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("--help", "-c", "0")), OPTIONS_HELP);
	options_free(&o);
	cr_assert_eq(parse(&o, ARGV("-c", "0", "--help")), OPTIONS_ERROR,
	    "options are read in order");
	options_free(&o);
}

Test(options, usage_text)
{
	static const char	*names[] = { "--concurrency", "--timeout",
	    "--deadline", "--method", "--header", "--user-agent",
	    "--insecure", "--cacert", "--cert-min-days", "--no-tls-resume",
	    "-L, --location", "--max-redirs", "--resolve", "--shard",
	    "--dns-servers", "-4", "-6", "--proxy", "--noproxy", "--retries",
	    "--retry-on", "429,502,503,504", "--per-host", "--rate",
	    "--expect", "--format", "csv, junit or prom", "--json",
	    "--output", "--order", "--quiet", "--color", "--progress",
	    "--version", "--help" };
	const char		*u = options_usage(), *nl;
	size_t			 i;

	cr_assert(strncmp(u, "usage: httpstat-async ", 22) == 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert_not_null(strstr(u, names[i]), "%s", names[i]);
	for (; *u != '\0'; u = nl + 1) {
		cr_assert_not_null(nl = strchr(u, '\n'), "ends in a newline");
		cr_assert_lt(nl - u, 80, "%.*s", (int)(nl - u), u);
		cr_assert_null(memchr(u, '\t', (size_t)(nl - u)));
	}
}

Test(options, parse_twice)
{
	struct options	o;
	char		**one = ARGV("src", "-c", "5");
	char		**two = ARGV("-c", "7", "other");

	cr_assert_eq(parse(&o, ARGV("-qz", "x")), OPTIONS_ERROR);
	options_free(&o);
	cr_assert_eq(parse(&o, one), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 5);
	cr_assert_eq(o.nsources, 1);
	cr_assert_str_eq(o.sources[0], "src");
	options_free(&o);
	cr_assert_eq(parse(&o, two), OPTIONS_RUN);
	cr_assert_eq(o.concurrency, 7);
	cr_assert_eq(o.nsources, 1);
	cr_assert_str_eq(o.sources[0], "other");
	options_free(&o);
}

Test(options, error_frees_what_was_built)
{
	struct options	o;

	cr_assert_eq(parse(&o, ARGV("-H", "X-A: 1", "--resolve",
	    "a.test:1:1.1.1.1", "--dns-servers", "1.1.1.1", "-X", "PUT",
	    "--cacert", "c", "-o", "o", "--proxy", "http://p:1",
	    "--noproxy", "a,b", "-c", "0")), OPTIONS_ERROR);
	cr_assert_null(o.method);
	cr_assert_null(o.proxy);
	cr_assert_null(o.noproxy);
	cr_assert_eq(o.nheaders, 0);
	cr_assert_eq(o.npins, 0);
	options_free(&o);
	options_free(&o);
}

Test(options, long_value_is_cut_in_err)
{
	struct options	o;
	char		val[400];

	memset(val, 'a', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	cr_assert_eq(parse(&o, ARGV("-c", val)), OPTIONS_ERROR);
	assert_one_line();
	cr_assert_not_null(strstr(err, "...' is not"), "err: %s", err);
	options_free(&o);
}

Test(options, err_may_be_small)
{
	struct options	o;
	char		small[8];

	cr_assert_eq(options_parse(3, ARGV("-c", "0"), &o, small,
	    sizeof(small)), OPTIONS_ERROR);
	cr_assert_str_eq(small, "httpsta");
	options_free(&o);
	cr_assert_eq(options_parse(3, ARGV("-c", "0"), &o, NULL, 0),
	    OPTIONS_ERROR);
	options_free(&o);
}

ParameterizedTestParameters(options, bad_value)
{
	static struct bad	bad[] = {
		{ "-c", "0", "-c/--concurrency", "whole number from 1" },
		{ "-c", "-1", "-c/--concurrency", "" },
		{ "-c", "abc", "-c/--concurrency", "" },
		{ "-c", "1x", "-c/--concurrency", "" },
		{ "-c", "99999999999999999999", "-c/--concurrency", "" },
		{ "-c", "18446744073709551616", "-c/--concurrency", "" },
		{ "-c", "1000001", "-c/--concurrency", "1000000" },
		{ "-c", "", "-c/--concurrency", "" },
		{ "-c", " 5", "-c/--concurrency", "" },
		{ "-c", "+5", "-c/--concurrency", "" },
		{ "-c", "5 ", "-c/--concurrency", "" },
		{ "--concurrency", "0x10", "-c/--concurrency", "" },
		{ "-t", "abc", "-t/--timeout", "seconds" },
		{ "-t", "0", "-t/--timeout", "" },
		{ "-t", "0.000", "-t/--timeout", "" },
		{ "-t", "-1", "-t/--timeout", "" },
		{ "-t", "nan", "-t/--timeout", "" },
		{ "-t", "inf", "-t/--timeout", "" },
		{ "-t", "infinity", "-t/--timeout", "" },
		{ "-t", "1e3", "-t/--timeout", "" },
		{ "-t", "0x10", "-t/--timeout", "" },
		{ "-t", "86400.001", "-t/--timeout", "86400" },
		{ "-t", "1.2.3", "-t/--timeout", "" },
		{ "-t", ".", "-t/--timeout", "" },
		{ "-t", "", "-t/--timeout", "" },
		{ "-t", " 1", "-t/--timeout", "" },
		{ "--timeout", "+1", "-t/--timeout", "" },
		{ "-d", "0", "-d/--deadline", "seconds" },
		{ "-d", "-5", "-d/--deadline", "" },
		{ "-d", "abc", "-d/--deadline", "" },
		{ "-d", "604801", "-d/--deadline", "604800" },
		{ "--format", "xml", "--format",
		    "text, jsonl, csv, junit or prom" },
		{ "--format", "Prom", "--format", "" },
		{ "--format", "junit ", "--format", "" },
		{ "--format", "", "--format", "" },
		{ "--format", "JSONL", "--format", "" },
		{ "--color", "sometimes", "--color", "auto, always or never" },
		{ "--progress", "maybe", "--progress",
		    "auto, always or never" },
		{ "--progress", "", "--progress", "" },
		{ "--progress", "ALWAYS", "--progress", "" },
		{ "--order", "random", "--order", "input or completion" },
		{ "--order", "", "--order", "" },
		{ "--order", "Input", "--order", "" },
		{ "--max-redirs", "-1", "--max-redirs", "from 0 to 1000" },
		{ "--max-redirs", "1001", "--max-redirs", "from 0 to 1000" },
		{ "--max-redirs", "", "--max-redirs", "" },
		{ "--max-redirs", "ten", "--max-redirs", "" },
		{ "--max-redirs", "1.5", "--max-redirs", "" },
		{ "--retries", "101", "--retries", "from 0 to 100" },
		{ "--retries", "-1", "--retries", "" },
		{ "--retries", "x", "--retries", "" },
		{ "--retry-on", "999", "--retry-on", "list of codes" },
		{ "--retry-on", "", "--retry-on", "" },
		{ "--retry-on", "5xx,", "--retry-on", "" },
		{ "--retry-on", "abc", "--retry-on", "" },
		{ "--per-host", "-1", "--per-host", "from 0 to 1000000" },
		{ "--per-host", "1000001", "--per-host", "" },
		{ "--per-host", "1e3", "--per-host", "" },
		{ "--rate", "abc", "--rate", "checks a second from 0" },
		{ "--rate", "-1", "--rate", "" },
		{ "--rate", "nan", "--rate", "" },
		{ "--rate", "inf", "--rate", "" },
		{ "--rate", "1e3", "--rate", "" },
		{ "--rate", "0x10", "--rate", "" },
		{ "--rate", "", "--rate", "" },
		{ "--rate", ".", "--rate", "" },
		{ "--rate", "1000000.5", "--rate", "1000000" },
		{ "--rate", "-0", "--rate", "" },
		{ "--cert-min-days", "-1", "--cert-min-days",
		    "from 0 to 100000" },
		{ "--cert-min-days", "100001", "--cert-min-days", "" },
		{ "--cert-min-days", "30d", "--cert-min-days", "" },
		{ "--shard", "0/3", "--shard", "1 <= K <= N <= 1000000" },
		{ "--shard", "4/3", "--shard", "K/N" },
		{ "--shard", "1/0", "--shard", "" },
		{ "--shard", "0/0", "--shard", "" },
		{ "--shard", "a/b", "--shard", "" },
		{ "--shard", "1/", "--shard", "" },
		{ "--shard", "/2", "--shard", "" },
		{ "--shard", "/", "--shard", "" },
		{ "--shard", "1/2/3", "--shard", "" },
		{ "--shard", "1", "--shard", "" },
		{ "--shard", "", "--shard", "" },
		{ "--shard", "-1/2", "--shard", "" },
		{ "--shard", "1/-2", "--shard", "" },
		{ "--shard", " 1/2", "--shard", "" },
		{ "--shard", "1 /2", "--shard", "" },
		{ "--shard", "1/1000001", "--shard", "" },
		{ "--shard", "1/18446744073709551617", "--shard", "" },
		{ "--proxy", "socks5://x", "--proxy", "not an HTTP proxy" },
		{ "--proxy", "https://proxy:443", "--proxy",
		    "not an HTTP proxy" },
		{ "--proxy", "socks5h://x:1080", "--proxy",
		    "not an HTTP proxy" },
		{ "--proxy", "httpx://x", "--proxy", "not an HTTP proxy" },
		{ "--proxy", "proxy:3128", "--proxy", "is not http://HOST" },
		{ "--proxy", "http:/proxy", "--proxy", "is not http://HOST" },
		{ "--proxy", "http://", "--proxy", "no host" },
		{ "--proxy", "http:///", "--proxy", "no host" },
		{ "--proxy", "http://:3128", "--proxy", "no host" },
		{ "--proxy", "http://u:p@", "--proxy", "no host" },
		{ "--proxy", "http://h:0", "--proxy", "port" },
		{ "--proxy", "http://h:65536", "--proxy", "port" },
		{ "--proxy", "http://h:", "--proxy", "port" },
		{ "--proxy", "http://h:-1", "--proxy", "port" },
		{ "--proxy", "http://h:80x", "--proxy", "port" },
		{ "--proxy", "http://h:1:2", "--proxy", "port" },
		{ "--proxy", "http://[::1]:", "--proxy", "port" },
		{ "--proxy", "http://[::1]x", "--proxy", "host" },
		{ "--proxy", "http://[::1", "--proxy", "host" },
		{ "--proxy", "http://[1.2.3.4]", "--proxy", "host" },
		{ "--proxy", "http://[]", "--proxy", "host" },
		{ "--proxy", "http://h/path", "--proxy", "more than" },
		{ "--proxy", "http://h//", "--proxy", "more than" },
		{ "--proxy", "http://h?x", "--proxy", "host" },
		{ "--proxy", "http://h#x", "--proxy", "host" },
		{ "--proxy", "http://a..b", "--proxy", "host" },
		{ "--proxy", "http://-a", "--proxy", "host" },
		{ "--proxy", "http://b\xc3\xbc" "cher.test", "--proxy",
		    "host" },
		{ "--proxy", "http://h\r\nX: 1", "--proxy", "control" },
		{ "--proxy", "http://h x", "--proxy", "blank" },
		{ "--proxy", "http://h\t", "--proxy", "" },
		{ "--noproxy", "a,b\r\nX: 1", "--noproxy", "CR or LF" },
		{ "--noproxy", "a\n", "--noproxy", "CR or LF" },
		{ "-H", "NoColon", "-H/--header", "Name: value" },
		{ "-H", ": v", "-H/--header", "Name: value" },
		{ "-H", "Bad Name: v", "-H/--header", "Name: value" },
		{ "-H", "X-A : v", "-H/--header", "Name: value" },
		{ "-H", "X-A: b\r\nX-B: c", "-H/--header", "CR or LF" },
		{ "-H", "X-A: b\nc", "-H/--header", "CR or LF" },
		{ "-H", "X-A: b\r", "-H/--header", "CR or LF" },
		{ "--header", "", "-H/--header", "" },
		{ "-X", "GE T", "-X/--method", "HTTP method" },
		{ "-X", "GET\r\n", "-X/--method", "" },
		{ "-X", "G\nET", "-X/--method", "" },
		{ "-X", "", "-X/--method", "" },
		{ "-X", "G\xc3\x89T", "-X/--method", "" },
		{ "-X", "GET/1", "-X/--method", "" },
		{ "-A", "a\r\nX-Evil: 1", "-A/--user-agent", "CR or LF" },
		{ "-A", "a\n", "-A/--user-agent", "CR or LF" },
		{ "--cacert", "", "--cacert", "file name" },
		{ "-o", "", "-o/--output", "file name" },
		{ "--expect", "abc", "--expect", "" },
		{ "--resolve", "example.com:443", "--resolve", "HOST:PORT" },
		{ "--resolve", "example.com", "--resolve", "HOST:PORT" },
		{ "--resolve", "example.com::1.2.3.4", "--resolve", "port" },
		{ "--resolve", "example.com:0:1.2.3.4", "--resolve", "port" },
		{ "--resolve", "example.com:65536:1.2.3.4", "--resolve",
		    "port" },
		{ "--resolve", "example.com:-1:1.2.3.4", "--resolve", "port" },
		{ "--resolve", "example.com:https:1.2.3.4", "--resolve",
		    "port" },
		{ "--resolve", "example.com:443:999.1.1.1", "--resolve",
		    "address" },
		{ "--resolve", "example.com:443:", "--resolve", "address" },
		{ "--resolve", "example.com:443:1.2.3.4,", "--resolve",
		    "address" },
		{ "--resolve", "example.com:443:localhost", "--resolve",
		    "address" },
		{ "--resolve", "example.com:443:[::1", "--resolve", "address" },
		{ "--resolve", "example.com:443:[::1]x", "--resolve",
		    "address" },
		{ "--resolve", "example.com:443:[1.2.3.4]", "--resolve",
		    "address" },
		{ "--resolve", "example.com:443:fe80::1%eth0", "--resolve",
		    "address" },
		{ "--resolve", ":443:1.2.3.4", "--resolve", "host" },
		{ "--resolve", "[::1]:443:1.2.3.4", "--resolve", "IP address" },
		{ "--resolve", "10.0.0.1:443:1.2.3.4", "--resolve",
		    "IP address" },
		{ "--resolve", "exa mple.com:443:1.2.3.4", "--resolve",
		    "host" },
		{ "--resolve", "a..b:443:1.2.3.4", "--resolve", "host" },
		{ "--resolve", ".:443:1.2.3.4", "--resolve", "host" },
		{ "--resolve", "-a.test:443:1.2.3.4", "--resolve", "host" },
		{ "--resolve", "+a.test:443:1.2.3.4", "--resolve", "host" },
		{ "--resolve", "a-.test:443:1.2.3.4", "--resolve", "host" },
		{ "--resolve", "**:443:1.2.3.4", "--resolve", "host" },
		{ "--resolve", "\xff:443:1.2.3.4", "--resolve", "IDNA" },
		{ "--dns-servers", "", "--dns-servers", "IP[:PORT]" },
		{ "--dns-servers", ",", "--dns-servers", "" },
		{ "--dns-servers", "1.2.3.4:0", "--dns-servers", "port" },
		{ "--dns-servers", "1.2.3.4:65536", "--dns-servers", "port" },
		{ "--dns-servers", "1.2.3.4:", "--dns-servers", "port" },
		{ "--dns-servers", "[::1]:", "--dns-servers", "port" },
		{ "--dns-servers", "1.2.3", "--dns-servers", "" },
		{ "--dns-servers", "[::1", "--dns-servers", "" },
		{ "--dns-servers", "[::1]x", "--dns-servers", "" },
		{ "--dns-servers", "1.2.3.4,,5.6.7.8", "--dns-servers", "" },
		{ "--dns-servers", "1.2.3.4,", "--dns-servers", "" },
		{ "--dns-servers", "localhost", "--dns-servers", "" },
		{ "--dns-servers", "[1.2.3.4]:53", "--dns-servers", "" },
		{ "--dns-servers", "[]:53", "--dns-servers", "" },
		{ "--dns-servers", "1.2.3.4:53:53", "--dns-servers", "" },
	};

	return (cr_make_param_array(struct bad, bad,
	    sizeof(bad) / sizeof(bad[0])));
}

ParameterizedTest(struct bad *b, options, bad_value)
{
	struct options	o;
	char		opt[24], val[80], want[64];
	char		*argv[] = { "httpstat-async", opt, val, NULL };

	memcpy(opt, b->opt, sizeof(opt));
	memcpy(val, b->val, sizeof(val));
	cr_assert_eq(options_parse(3, argv, &o, err, sizeof(err)),
	    OPTIONS_ERROR, "%s '%s' was taken", b->opt, b->val);
	assert_one_line();
	snprintf(want, sizeof(want), ": %s: '", b->name);
	cr_assert_not_null(strstr(err, want), "err: %s", err);
	cr_assert_not_null(strstr(err, b->why), "err: %s", err);
	options_free(&o);
	options_free(&o);
}

ParameterizedTestParameters(options, missing_value)
{
	static struct refused	r[] = {
		{ "-c", "-c/--concurrency: missing value" },
		{ "--concurrency", "-c/--concurrency: missing value" },
		{ "-t", "-t/--timeout: missing value" },
		{ "-d", "-d/--deadline: missing value" },
		{ "-X", "-X/--method: missing value" },
		{ "-H", "-H/--header: missing value" },
		{ "-A", "-A/--user-agent: missing value" },
		{ "--cacert", "--cacert: missing value" },
		{ "--resolve", "--resolve: missing value" },
		{ "--dns-servers", "--dns-servers: missing value" },
		{ "--expect", "--expect: missing value" },
		{ "--format", "--format: missing value" },
		{ "-o", "-o/--output: missing value" },
		{ "--color", "--color: missing value" },
		{ "--cert-min-days", "--cert-min-days: missing value" },
		{ "--max-redirs", "--max-redirs: missing value" },
		{ "--shard", "--shard: missing value" },
		{ "--proxy", "--proxy: missing value" },
		{ "--noproxy", "--noproxy: missing value" },
		{ "--retries", "--retries: missing value" },
		{ "--retry-on", "--retry-on: missing value" },
		{ "--per-host", "--per-host: missing value" },
		{ "--rate", "--rate: missing value" },
		{ "--order", "--order: missing value" },
		{ "--progress", "--progress: missing value" },
	};

	return (cr_make_param_array(struct refused, r,
	    sizeof(r) / sizeof(r[0])));
}

ParameterizedTest(struct refused *r, options, missing_value)
{
	struct options	o;
	char		arg[24];
	char		*argv[] = { "httpstat-async", "src", arg, NULL };

	memcpy(arg, r->arg, sizeof(arg));
	cr_assert_eq(options_parse(3, argv, &o, err, sizeof(err)),
	    OPTIONS_ERROR);
	assert_one_line();
	cr_assert_not_null(strstr(err, r->msg), "err: %s", err);
	options_free(&o);
}

ParameterizedTestParameters(options, unknown_option)
{
	static struct refused	r[] = {
		{ "--foo", "unknown option '--foo'" },
		{ "--foo=bar", "unknown option '--foo'" },
		{ "-z", "unknown option '-z'" },
		{ "-qz", "unknown option '-z'" },
		{ "-:", "unknown option '-:'" },
		{ "-\x01", "unknown option '-\\x01'" },
		{ "-\xff", "unknown option '-\\xff'" },
		{ "--co", "ambiguous option '--co'" },
		{ "--co=1", "ambiguous option '--co'" },
		{ "--quiet=1", "-q/--quiet: takes no value" },
		{ "--qui=1", "-q/--quiet: takes no value" },
		{ "--json=x", "--json: takes no value" },
		{ "--help=x", "-h/--help: takes no value" },
		{ "---", "unknown option '---'" },
		{ "--location=1", "-L/--location: takes no value" },
		{ "--no-tls-resume=0", "--no-tls-resume: takes no value" },
		{ "--tls-resume", "unknown option '--tls-resume'" },
		{ "--pro", "ambiguous option '--pro'" },
		{ "--no", "ambiguous option '--no'" },
		{ "--retr=1", "ambiguous option '--retr'" },
	};

	return (cr_make_param_array(struct refused, r,
	    sizeof(r) / sizeof(r[0])));
}

ParameterizedTest(struct refused *r, options, unknown_option)
{
	struct options	o;
	char		arg[24];
	char		*argv[] = { "httpstat-async", arg, "src", NULL };

	memcpy(arg, r->arg, sizeof(arg));
	cr_assert_eq(options_parse(3, argv, &o, err, sizeof(err)),
	    OPTIONS_ERROR);
	assert_one_line();
	cr_assert_not_null(strstr(err, r->msg), "err: %s", err);
	options_free(&o);
}
