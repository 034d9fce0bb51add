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
	    "--insecure", "--cacert", "--resolve", "--dns-servers", "-4",
	    "-6", "--expect", "--format", "--json", "--output", "--quiet",
	    "--color", "--version", "--help" };
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
	    "--cacert", "c", "-o", "o", "-c", "0")), OPTIONS_ERROR);
	cr_assert_null(o.method);
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
		{ "--format", "xml", "--format", "text or jsonl" },
		{ "--format", "", "--format", "" },
		{ "--format", "JSONL", "--format", "" },
		{ "--color", "sometimes", "--color", "auto, always or never" },
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
