/* Command line: getopt_long table, value parsing, usage -> struct options. */
#include "httpstat/options.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <idn2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "httpstat/expect.h"
#include "httpstat/xmalloc.h"
#include "version.h"

#define OPTIONS_STR(x)		#x
#define OPTIONS_XSTR(x)		OPTIONS_STR(x)

#define OPTIONS_CONCURRENCY_MAX	1000000
#define OPTIONS_TIMEOUT_MAX	86400		/* one day */
#define OPTIONS_DEADLINE_MAX	604800		/* one week */
#define OPTIONS_REDIRS_MAX	1000
#define OPTIONS_RETRIES_MAX	100
#define OPTIONS_PER_HOST_MAX	1000000
#define OPTIONS_RATE_MAX	1000000		/* checks a second */
#define OPTIONS_DAYS_MAX	100000
#define OPTIONS_SHARD_MAX	1000000
#define OPTIONS_RETRY_ON	"429,502,503,504"
#define OPTIONS_SHOW_MAX	64		/* bytes of a bad value shown */
#define OPTIONS_SHOW_LEN	(OPTIONS_SHOW_MAX * 4 + 4)
#define OPTIONS_NAME_LEN	40
#define OPTIONS_DNS_PORT	53
#define OPTIONS_ADDR_LEN	(INET6_ADDRSTRLEN + 8)	/* "[v6]:65535" */

#define OPTIONS_TCHARS		"!#$%&'*+-.^_`|~"
#define OPTIONS_SECONDS_WHY(max) \
	"is not a number of seconds above 0 and up to " OPTIONS_XSTR(max)
#define OPTIONS_WHOLE_WHY(lo, hi) \
	"is not a whole number from " OPTIONS_XSTR(lo) " to " OPTIONS_XSTR(hi)
#define OPTIONS_LIST_WHY \
	"is not a list of codes (200), classes (2xx) or ranges (200-204)"
#define OPTIONS_PROXY_FORM	"http://HOST[:PORT]"

/* Long-only options: values outside any char. */
enum {
	OPT_CACERT = 256,
	OPT_RESOLVE,
	OPT_DNS,
	OPT_EXPECT,
	OPT_FORMAT,
	OPT_JSON,
	OPT_COLOR,
	OPT_MIN_DAYS,
	OPT_NO_RESUME,
	OPT_REDIRS,
	OPT_SHARD,
	OPT_PROXY,
	OPT_NOPROXY,
	OPT_RETRIES,
	OPT_RETRY_ON,
	OPT_PER_HOST,
	OPT_RATE,
	OPT_ORDER,
	OPT_PROGRESS,
};

/* ':' first: getopt reports a missing value as ':' and prints nothing. */
static const char options_short[] = ":c:t:d:X:H:A:kL46o:qVh";

static const struct option options_long[] = {
	{ "concurrency",	required_argument,	NULL,	'c' },
	{ "timeout",		required_argument,	NULL,	't' },
	{ "deadline",		required_argument,	NULL,	'd' },
	{ "method",		required_argument,	NULL,	'X' },
	{ "header",		required_argument,	NULL,	'H' },
	{ "user-agent",		required_argument,	NULL,	'A' },
	{ "insecure",		no_argument,		NULL,	'k' },
	{ "cacert",		required_argument,	NULL,	OPT_CACERT },
	{ "cert-min-days",	required_argument,	NULL,	OPT_MIN_DAYS },
	{ "no-tls-resume",	no_argument,		NULL,	OPT_NO_RESUME },
	{ "location",		no_argument,		NULL,	'L' },
	{ "max-redirs",		required_argument,	NULL,	OPT_REDIRS },
	{ "resolve",		required_argument,	NULL,	OPT_RESOLVE },
	{ "shard",		required_argument,	NULL,	OPT_SHARD },
	{ "dns-servers",	required_argument,	NULL,	OPT_DNS },
	{ "proxy",		required_argument,	NULL,	OPT_PROXY },
	{ "noproxy",		required_argument,	NULL,	OPT_NOPROXY },
	{ "retries",		required_argument,	NULL,	OPT_RETRIES },
	{ "retry-on",		required_argument,	NULL,	OPT_RETRY_ON },
	{ "per-host",		required_argument,	NULL,	OPT_PER_HOST },
	{ "rate",		required_argument,	NULL,	OPT_RATE },
	{ "expect",		required_argument,	NULL,	OPT_EXPECT },
	{ "format",		required_argument,	NULL,	OPT_FORMAT },
	{ "json",		no_argument,		NULL,	OPT_JSON },
	{ "output",		required_argument,	NULL,	'o' },
	{ "order",		required_argument,	NULL,	OPT_ORDER },
	{ "quiet",		no_argument,		NULL,	'q' },
	{ "color",		required_argument,	NULL,	OPT_COLOR },
	{ "progress",		required_argument,	NULL,	OPT_PROGRESS },
	{ "version",		no_argument,		NULL,	'V' },
	{ "help",		no_argument,		NULL,	'h' },
	{ NULL,			0,			NULL,	0 },
};

static const char options_usage_text[] =
"usage: httpstat-async [OPTIONS] [--] [SOURCE ...]\n"
"A SOURCE is a URL, a file with one URL per line, or - for standard input\n"
"(the default).\n"
"\n"
"  -c, --concurrency N      checks in flight at once (default 100)\n"
"  -t, --timeout SEC        limit for one check (default 10)\n"
"  -d, --deadline SEC       limit for the whole run (default none)\n"
"  -X, --method M           request method (default GET)\n"
"  -H, --header 'N: v'      extra request header, repeatable\n"
"  -A, --user-agent S       User-Agent (default httpstat-async/"
    HTTPSTAT_VERSION ")\n"
"  -k, --insecure           do not verify TLS certificates\n"
"      --cacert FILE        PEM trust anchors instead of the system store\n"
"      --cert-min-days N    not ok if the certificate has under N days left\n"
"      --no-tls-resume      do not resume TLS sessions with a host\n"
"  -L, --location           follow redirects\n"
"      --max-redirs N       with -L, follow at most N redirects (default 10)\n"
"      --resolve H:P:A[,A]  use addresses A for host H, port P; repeatable\n"
"      --shard K/N          check only the hosts in shard K of N\n"
"      --dns-servers LIST   comma list of IP[:PORT] resolvers to use\n"
"  -4, -6                   IPv4 only / IPv6 only (the last one wins)\n"
"      --proxy URL          use this HTTP proxy, " OPTIONS_PROXY_FORM "\n"
"      --noproxy LIST       hosts that bypass the proxy (curl's syntax)\n"
"      --retries N          retry a failed attempt up to N times (default 0)\n"
"      --retry-on LIST      statuses retried (default " OPTIONS_RETRY_ON ")\n"
"      --per-host N         checks in flight to one host (0: no limit)\n"
"      --rate R             start at most R checks a second (0: no limit)\n"
"      --expect LIST        statuses that count as success (default 2xx,3xx)\n"
"      --format F           text, jsonl, csv, junit or prom (default text)\n"
"      --json               same as --format jsonl\n"
"  -o, --output FILE        write results to FILE instead of stdout\n"
"      --order O            input or completion (default input)\n"
"  -q, --quiet              text format: print only entries that are not ok\n"
"      --color WHEN         auto, always or never (default auto)\n"
"      --progress WHEN      progress bar on stderr: auto, always or never\n"
"  -V, --version            print the version and exit\n"
"  -h, --help               print this help and exit\n";

static void		 options_defaults(struct options *);
static void		 options_getopt_reset(void);
static const char	*options_apply(struct options *, int, const char *);
static const char	*options_apply_check(struct options *, int,
			    const char *);
static const char	*options_apply_run(struct options *, int,
			    const char *);
static const char	*options_concurrency(struct options *, const char *);
static const char	*options_method(struct options *, const char *);
static const char	*options_header(struct options *, const char *);
static const char	*options_user_agent(struct options *, const char *);
static const char	*options_file(char **, const char *);
static const char	*options_resolve(struct options *, const char *);
static const char	*options_pin_host(const char *, char **);
static const char	*options_pin_addrs(char *, struct pin *);
static void		 options_pin_add(struct options *, struct pin *);
static const char	*options_dns_servers(struct options *, const char *);
static const char	*options_dns_server(const char *, char **);
static const char	*options_proxy(struct options *, const char *);
static const char	*options_proxy_rest(const char *);
static const char	*options_proxy_host(char *, char **);
static const char	*options_noproxy(struct options *, const char *);
static const char	*options_shard(struct options *, const char *);
static const char	*options_format(struct options *, const char *);
static const char	*options_order(struct options *, const char *);
static const char	*options_when(enum when *, const char *);
static int		 options_number(const char *, unsigned long long,
			    unsigned long long, unsigned long long *);
static int		 options_decimal(const char *, bool, double, double *);
static bool		 options_is_token(const char *, size_t);
static bool		 options_has_crlf(const char *);
static bool		 options_hostname_ok(const char *);
static int		 options_inet(const char *, char *, size_t);
static void		 options_push(char ***, size_t *, char *);
static void		 options_strings_free(char **, size_t);
static void		 options_pin_free(struct pin *);
static void		 options_fail(char *, size_t, int, const char *,
			    const char *);
static void		 options_fail_missing(char *, size_t);
static void		 options_fail_unknown(char **, int, char *, size_t);
static bool		 options_ambiguous(const char *, size_t);
static const char	*options_name(int, char *, size_t);
static const char	*options_show(const char *, size_t, char *, size_t);
static char		*options_hide_userinfo(const char *);

/*
 * Parse argv into o (overwritten: defaults first). cli.md: a bad value or
 * an unknown option is one line in err naming the option; o is then freed.
 */
enum options_rc
options_parse(int argc, char **argv, struct options *o, char *err,
    size_t errlen)
{
	const char	*why;
	int		 ch;

	options_defaults(o);
	if (errlen > 0)
		err[0] = '\0';
	if (argc < 1 || argv == NULL)
		return (OPTIONS_RUN);
	options_getopt_reset();
	while ((ch = getopt_long(argc, argv, options_short, options_long,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			return (OPTIONS_HELP);
		case 'V':
			return (OPTIONS_VERSION);
		case ':':
			options_fail_missing(err, errlen);
			goto fail;
		case '?':
			options_fail_unknown(argv, argc, err, errlen);
			goto fail;
		default:
			break;
		}
		if ((why = options_apply(o, ch, optarg)) != NULL) {
			options_fail(err, errlen, ch, optarg, why);
			goto fail;
		}
	}
	if (optind < argc) {
		o->sources = argv + optind;	/* "--" ends options */
		o->nsources = (size_t)(argc - optind);
	}
	return (OPTIONS_RUN);
fail:
	options_free(o);
	return (OPTIONS_ERROR);
}

/* Free what o owns and leave it zeroed, so a second call does nothing. */
void
options_free(struct options *o)
{
	size_t	i;

	free(o->method);
	options_strings_free(o->headers, o->nheaders);
	free(o->user_agent);
	free(o->cacert);
	for (i = 0; i < o->npins; i++)
		options_pin_free(&o->pins[i]);
	free(o->pins);
	options_strings_free(o->dns_servers, o->ndns_servers);
	free(o->output);
	free(o->proxy);
	free(o->noproxy);
	memset(o, 0, sizeof(*o));
}

/* The --help text; main also prints it as the short usage on stderr. */
const char *
options_usage(void)
{
	return (options_usage_text);
}

/* cli.md "Options": the default column. */
static void
options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->concurrency = 100;
	o->timeout = 10.0;
	o->deadline = 0.0;
	o->method = xstrdup("GET");
	o->user_agent = xstrdup("httpstat-async/" HTTPSTAT_VERSION);
	o->family = FAMILY_ANY;
	expect_default(&o->expect);
	o->format = FORMAT_TEXT;
	o->color = WHEN_AUTO;
	o->progress = WHEN_AUTO;
	o->order = ORDER_INPUT;
	o->location = false;
	o->max_redirs = 10;
	o->proxy = NULL;		/* main falls back on the environment */
	o->noproxy = NULL;
	o->retries = 0;
	(void)expect_parse(OPTIONS_RETRY_ON, &o->retry_on);	/* a constant */
	o->per_host = 0;
	o->rate = 0.0;
	o->cert_min_days = -1;
	o->shard_k = o->shard_n = 0;
	o->tls_resume = true;
}

/* Start getopt afresh, silent, so options_parse can run more than once. */
static void
options_getopt_reset(void)
{
	opterr = 0;
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
	optreset = 1;
	optind = 1;
#else
	optind = 0;	/* glibc and musl: 0 re-initialises everything */
#endif
}

/*
 * One option with its value: NULL, or why the value is refused. This one
 * takes the request and connection options; the rest are passed on.
 */
static const char *
options_apply(struct options *o, int ch, const char *arg)
{
	switch (ch) {
	case 'c':
		return (options_concurrency(o, arg));
	case 't':
		if (options_decimal(arg, false, OPTIONS_TIMEOUT_MAX,
		    &o->timeout) == -1)
			return (OPTIONS_SECONDS_WHY(OPTIONS_TIMEOUT_MAX));
		return (NULL);
	case 'd':
		if (options_decimal(arg, false, OPTIONS_DEADLINE_MAX,
		    &o->deadline) == -1)
			return (OPTIONS_SECONDS_WHY(OPTIONS_DEADLINE_MAX));
		return (NULL);
	case 'X':
		return (options_method(o, arg));
	case 'H':
		return (options_header(o, arg));
	case 'A':
		return (options_user_agent(o, arg));
	case 'k':
		o->insecure = true;
		return (NULL);
	case OPT_CACERT:
		return (options_file(&o->cacert, arg));
	case OPT_RESOLVE:
		return (options_resolve(o, arg));
	case OPT_DNS:
		return (options_dns_servers(o, arg));
	case '4':
		o->family = FAMILY_V4;	/* as in curl, the last one wins */
		return (NULL);
	case '6':
		o->family = FAMILY_V6;
		return (NULL);
	case OPT_PROXY:
		return (options_proxy(o, arg));
	case OPT_NOPROXY:
		return (options_noproxy(o, arg));
	default:
		return (options_apply_check(o, ch, arg));
	}
}

/* What decides a check's outcome: redirects, retries, certificates. */
static const char *
options_apply_check(struct options *o, int ch, const char *arg)
{
	unsigned long long	n;

	switch (ch) {
	case OPT_EXPECT:
		if (expect_parse(arg, &o->expect) == -1)
			return (OPTIONS_LIST_WHY);
		return (NULL);
	case 'L':
		o->location = true;
		return (NULL);
	case OPT_REDIRS:
		if (options_number(arg, 0, OPTIONS_REDIRS_MAX, &n) == -1)
			return (OPTIONS_WHOLE_WHY(0, OPTIONS_REDIRS_MAX));
		o->max_redirs = (unsigned long)n;
		return (NULL);
	case OPT_RETRIES:
		if (options_number(arg, 0, OPTIONS_RETRIES_MAX, &n) == -1)
			return (OPTIONS_WHOLE_WHY(0, OPTIONS_RETRIES_MAX));
		o->retries = (unsigned long)n;
		return (NULL);
	case OPT_RETRY_ON:
		if (expect_parse(arg, &o->retry_on) == -1)
			return (OPTIONS_LIST_WHY);
		return (NULL);
	case OPT_MIN_DAYS:
		if (options_number(arg, 0, OPTIONS_DAYS_MAX, &n) == -1)
			return (OPTIONS_WHOLE_WHY(0, OPTIONS_DAYS_MAX));
		o->cert_min_days = (long)n;
		return (NULL);
	case OPT_NO_RESUME:
		o->tls_resume = false;
		return (NULL);
	default:
		return (options_apply_run(o, ch, arg));
	}
}

/* What shapes the whole run: pacing, sharding, output. */
static const char *
options_apply_run(struct options *o, int ch, const char *arg)
{
	unsigned long long	n;

	switch (ch) {
	case OPT_PER_HOST:
		if (options_number(arg, 0, OPTIONS_PER_HOST_MAX, &n) == -1)
			return (OPTIONS_WHOLE_WHY(0, OPTIONS_PER_HOST_MAX));
		o->per_host = (unsigned long)n;
		return (NULL);
	case OPT_RATE:
		if (options_decimal(arg, true, OPTIONS_RATE_MAX,
		    &o->rate) == -1)
			return ("is not a number of checks a second from 0 "
			    "to " OPTIONS_XSTR(OPTIONS_RATE_MAX));
		return (NULL);
	case OPT_SHARD:
		return (options_shard(o, arg));
	case OPT_FORMAT:
		return (options_format(o, arg));
	case OPT_JSON:
		o->format = FORMAT_JSONL;
		return (NULL);
	case 'o':
		return (options_file(&o->output, arg));
	case OPT_ORDER:
		return (options_order(o, arg));
	case 'q':
		o->quiet = true;
		return (NULL);
	case OPT_COLOR:
		return (options_when(&o->color, arg));
	case OPT_PROGRESS:
		return (options_when(&o->progress, arg));
	default:
		return ("is not handled (internal error)");
	}
}

/* -c N: a whole number from 1 to OPTIONS_CONCURRENCY_MAX. */
static const char *
options_concurrency(struct options *o, const char *arg)
{
	unsigned long long	n;

	if (options_number(arg, 1, OPTIONS_CONCURRENCY_MAX, &n) == -1)
		return (OPTIONS_WHOLE_WHY(1, OPTIONS_CONCURRENCY_MAX));
	o->concurrency = (unsigned long)n;
	return (NULL);
}

/* -X: RFC 9110 method = token, so no blanks, CR, LF or controls. */
static const char *
options_method(struct options *o, const char *arg)
{
	if (!options_is_token(arg, strlen(arg)))
		return ("is not an HTTP method (letters, digits and "
		    OPTIONS_TCHARS " only)");
	free(o->method);
	o->method = xstrdup(arg);
	return (NULL);
}

/* -H 'Name: value': a token, ':', then anything but CR and LF. */
static const char *
options_header(struct options *o, const char *arg)
{
	const char	*colon;

	if (options_has_crlf(arg))
		return ("contains CR or LF");
	if ((colon = strchr(arg, ':')) == NULL ||
	    !options_is_token(arg, (size_t)(colon - arg)))
		return ("is not 'Name: value' with a token as the name");
	options_push(&o->headers, &o->nheaders, xstrdup(arg));
	return (NULL);
}

/* -A: any text but CR and LF; empty is allowed. */
static const char *
options_user_agent(struct options *o, const char *arg)
{
	if (options_has_crlf(arg))
		return ("contains CR or LF");
	free(o->user_agent);
	o->user_agent = xstrdup(arg);
	return (NULL);
}

/* --cacert, -o: a non-empty name; main opens it. */
static const char *
options_file(char **out, const char *arg)
{
	if (*arg == '\0')
		return ("is not a file name");
	free(*out);
	*out = xstrdup(arg);
	return (NULL);
}

/* --resolve H:P:A[,A...] as in curl (without its '+' and '-' forms). */
static const char *
options_resolve(struct options *o, const char *arg)
{
	struct pin		 p;
	unsigned long long	 port;
	const char		*why;
	char			*s, *colon1, *colon2;

	memset(&p, 0, sizeof(p));
	s = xstrdup(arg);
	if ((colon1 = strchr(s, ':')) == NULL ||
	    (colon2 = strchr(colon1 + 1, ':')) == NULL) {
		why = "is not HOST:PORT:ADDR[,ADDR...]";
		goto fail;
	}
	*colon1 = *colon2 = '\0';
	if ((why = options_pin_host(s, &p.host)) != NULL)
		goto fail;
	if (options_number(colon1 + 1, 1, 65535, &port) == -1) {
		why = "has a port that is not from 1 to 65535";
		goto fail;
	}
	p.port = (unsigned short)port;
	if ((why = options_pin_addrs(colon2 + 1, &p)) != NULL)
		goto fail;
	options_pin_add(o, &p);
	free(s);
	return (NULL);
fail:
	options_pin_free(&p);
	free(s);
	return (why);
}

/*
 * The H of --resolve: "*", or a host name kept as a lower-case A-label
 * without a trailing dot (cli.md: H is compared after IDNA conversion).
 * IP literals are never resolved, so pinning one would do nothing.
 */
static const char *
options_pin_host(const char *h, char **out)
{
	struct in_addr	 a4;
	char		*lower, *alabel, *p;
	size_t		 len;
	bool		 ascii = true;

	if (strcmp(h, "*") == 0) {
		*out = xstrdup(h);
		return (NULL);
	}
	if (*h == '[' || inet_pton(AF_INET, h, &a4) == 1)
		return ("has an IP address as host; those are not resolved");
	lower = xstrdup(h);
	for (p = lower; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if ((unsigned char)*p >= 0x80)
			ascii = false;
	}
	if (!ascii) {
		/* Same flags as curl: UTS #46 non-transitional, NFC. */
		if (idn2_to_ascii_8z(lower, &alabel,
		    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK) {
			free(lower);
			return ("has a host that is not a valid IDNA name");
		}
		free(lower);
		lower = xstrdup(alabel);
		idn2_free(alabel);
	}
	if ((len = strlen(lower)) > 1 && lower[len - 1] == '.')
		lower[len - 1] = '\0';
	if (!options_hostname_ok(lower)) {
		free(lower);
		return ("has a host that is not a host name or '*'");
	}
	*out = lower;
	return (NULL);
}

/* The A[,A...] of --resolve: numeric IPv4 or IPv6, the latter maybe [..]. */
static const char *
options_pin_addrs(char *list, struct pin *p)
{
	char	 buf[OPTIONS_ADDR_LEN], *a, *next, *end;

	for (a = list; a != NULL; a = next) {
		if ((next = strchr(a, ',')) != NULL)
			*next++ = '\0';
		if (*a == '[') {
			if ((end = strchr(a, ']')) == NULL || end[1] != '\0')
				return ("has an address that is not IPv4 or "
				    "IPv6");
			*end = '\0';
			if (options_inet(a + 1, buf, sizeof(buf)) != AF_INET6)
				return ("has an address that is not IPv4 or "
				    "IPv6");
		} else if (options_inet(a, buf, sizeof(buf)) == -1)
			return ("has an address that is not IPv4 or IPv6");
		options_push(&p->addrs, &p->naddrs, xstrdup(buf));
	}
	return (NULL);
}

/* Keep p (moved in); a later pin for the same host and port replaces one. */
static void
options_pin_add(struct options *o, struct pin *p)
{
	size_t	i;

	for (i = 0; i < o->npins; i++) {
		if (o->pins[i].port == p->port &&
		    strcmp(o->pins[i].host, p->host) == 0) {
			options_pin_free(&o->pins[i]);
			o->pins[i] = *p;
			return;
		}
	}
	o->pins = xrealloc(o->pins, (o->npins + 1) * sizeof(*o->pins));
	o->pins[o->npins++] = *p;
}

/* --dns-servers LIST: replaces any earlier list (the last one wins). */
static const char *
options_dns_servers(struct options *o, const char *arg)
{
	const char	*why = NULL;
	char		*s, *item, *next, **list = NULL, *one;
	size_t		 n = 0;

	s = xstrdup(arg);
	for (item = s; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if ((why = options_dns_server(item, &one)) != NULL)
			break;
		options_push(&list, &n, one);
	}
	free(s);
	if (why != NULL) {
		options_strings_free(list, n);
		return (why);
	}
	options_strings_free(o->dns_servers, o->ndns_servers);
	o->dns_servers = list;
	o->ndns_servers = n;
	return (NULL);
}

/*
 * One resolver as "IPv4:PORT" or "[IPv6]:PORT" (port 53 if not given).
 * Accepted: 1.2.3.4, 1.2.3.4:53, ::1 (no port: its colons are the
 * address), [::1], [::1]:53.
 */
static const char *
options_dns_server(const char *item, char **out)
{
	unsigned long long	 port = OPTIONS_DNS_PORT;
	const char		*why = "is not a comma list of IP[:PORT] "
				    "(IPv6 as [IP]:PORT)";
	char			 buf[OPTIONS_ADDR_LEN + 16], addr[OPTIONS_ADDR_LEN];
	char			*s, *ip, *end, *colon;
	int			 want = AF_INET;

	ip = s = xstrdup(item);
	if (*s == '[') {
		ip = s + 1;
		want = AF_INET6;
		if ((end = strchr(ip, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':'))
			goto fail;
		colon = end[1] == ':' ? end + 1 : NULL;
		*end = '\0';
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL) {
		colon = NULL;		/* bare IPv6: no port */
		want = AF_INET6;
	}
	if (colon != NULL)
		*colon++ = '\0';
	if (options_inet(ip, addr, sizeof(addr)) != want)
		goto fail;
	if (colon != NULL && options_number(colon, 1, 65535, &port) == -1) {
		why = "has a port that is not from 1 to 65535";
		goto fail;
	}
	free(s);
	snprintf(buf, sizeof(buf), want == AF_INET6 ? "[%s]:%llu" : "%s:%llu",
	    addr, port);
	*out = xstrdup(buf);
	return (NULL);
fail:
	free(s);
	return (why);
}

/*
 * --proxy URL, kept as given for proxy.c: "" means no proxy (as in curl),
 * else http://[USER[:PASS]@]HOST[:PORT][/]. cli.md: only HTTP proxies.
 */
static const char *
options_proxy(struct options *o, const char *arg)
{
	const char	*p, *sep, *why;

	if (*arg != '\0') {
		for (p = arg; *p != '\0'; p++)
			if ((unsigned char)*p <= ' ' || *p == 0x7f)
				return ("contains a blank or a control "
				    "character");
		if ((sep = strstr(arg, "://")) == NULL)
			return ("is not " OPTIONS_PROXY_FORM);
		if (sep - arg != 4 || strncasecmp(arg, "http", 4) != 0)
			return ("is not an HTTP proxy; only "
			    OPTIONS_PROXY_FORM " proxies are supported");
		if ((why = options_proxy_rest(sep + 3)) != NULL)
			return (why);
	}
	free(o->proxy);
	o->proxy = xstrdup(arg);
	return (NULL);
}

/* What follows "http://": [USERINFO@]HOST[:PORT], maybe one '/'. */
static const char *
options_proxy_rest(const char *rest)
{
	unsigned long long	 port;
	const char		*why = NULL;
	char			*s, *host, *at, *colon;
	size_t			 len;

	s = xstrdup(rest);
	if ((len = strlen(s)) > 0 && s[len - 1] == '/')
		s[len - 1] = '\0';
	if (strchr(s, '/') != NULL) {
		why = "has more than " OPTIONS_PROXY_FORM "[/]";
		goto done;
	}
	host = (at = strrchr(s, '@')) != NULL ? at + 1 : s;
	if ((why = options_proxy_host(host, &colon)) != NULL)
		goto done;
	if (colon != NULL && options_number(colon, 1, 65535, &port) == -1)
		why = "has a port that is not from 1 to 65535";
done:
	free(s);
	return (why);
}

/*
 * The HOST[:PORT] of a --proxy URL (changed in place): a host name, an
 * IPv4 address or a bracketed IPv6 one; *port is what follows ':', or NULL.
 */
static const char *
options_proxy_host(char *host, char **port)
{
	char	buf[OPTIONS_ADDR_LEN], *end, *p;
	size_t	len;

	*port = NULL;
	if (*host == '[') {
		if ((end = strchr(host, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':'))
			return ("has a host that is not a host name or IP "
			    "address");
		*port = end[1] == ':' ? end + 2 : NULL;
		*end = '\0';
		if (options_inet(host + 1, buf, sizeof(buf)) != AF_INET6)
			return ("has a host that is not a host name or IP "
			    "address");
		return (NULL);
	}
	if ((p = strchr(host, ':')) != NULL) {
		*p = '\0';
		*port = p + 1;
	}
	if (*host == '\0')
		return ("has no host");
	for (p = host; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if ((len = strlen(host)) > 1 && host[len - 1] == '.')
		host[len - 1] = '\0';
	if (!options_hostname_ok(host))
		return ("has a host that is not a host name or IP address");
	return (NULL);
}

/* --noproxy LIST: kept as given for proxy.c; "" bypasses nothing. */
static const char *
options_noproxy(struct options *o, const char *arg)
{
	if (options_has_crlf(arg))
		return ("contains CR or LF");
	free(o->noproxy);
	o->noproxy = xstrdup(arg);
	return (NULL);
}

/* --shard K/N: whole numbers, 1 <= K <= N <= OPTIONS_SHARD_MAX. */
static const char *
options_shard(struct options *o, const char *arg)
{
	unsigned long long	 k = 0, n = 0;
	char			*s, *slash;
	bool			 ok = false;

	s = xstrdup(arg);
	if ((slash = strchr(s, '/')) != NULL) {
		*slash = '\0';
		ok = options_number(s, 1, OPTIONS_SHARD_MAX, &k) == 0 &&
		    options_number(slash + 1, 1, OPTIONS_SHARD_MAX, &n) == 0 &&
		    k <= n;
	}
	free(s);
	if (!ok)
		return ("is not K/N with 1 <= K <= N <= "
		    OPTIONS_XSTR(OPTIONS_SHARD_MAX));
	o->shard_k = (unsigned long)k;
	o->shard_n = (unsigned long)n;
	return (NULL);
}

/* --format F. */
static const char *
options_format(struct options *o, const char *arg)
{
	if (strcmp(arg, "text") == 0)
		o->format = FORMAT_TEXT;
	else if (strcmp(arg, "jsonl") == 0)
		o->format = FORMAT_JSONL;
	else if (strcmp(arg, "csv") == 0)
		o->format = FORMAT_CSV;
	else if (strcmp(arg, "junit") == 0)
		o->format = FORMAT_JUNIT;
	else if (strcmp(arg, "prom") == 0)
		o->format = FORMAT_PROM;
	else
		return ("is not text, jsonl, csv, junit or prom");
	return (NULL);
}

/* --order O. */
static const char *
options_order(struct options *o, const char *arg)
{
	if (strcmp(arg, "input") == 0)
		o->order = ORDER_INPUT;
	else if (strcmp(arg, "completion") == 0)
		o->order = ORDER_COMPLETION;
	else
		return ("is not input or completion");
	return (NULL);
}

/* --color WHEN, --progress WHEN. */
static const char *
options_when(enum when *w, const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		*w = WHEN_AUTO;
	else if (strcmp(arg, "always") == 0)
		*w = WHEN_ALWAYS;
	else if (strcmp(arg, "never") == 0)
		*w = WHEN_NEVER;
	else
		return ("is not auto, always or never");
	return (NULL);
}

/*
 * The one whole-number parser: decimal digits only (strtoull would take
 * blanks, '+' and a negating '-'), no overflow, lo <= n <= hi.
 */
static int
options_number(const char *s, unsigned long long lo, unsigned long long hi,
    unsigned long long *out)
{
	unsigned long long	 n;
	char			*end;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < lo || n > hi)
		return (-1);
	*out = n;
	return (0);
}

/*
 * The one decimal parser (seconds, --rate): digits with at most one '.',
 * finite, above 0 (or 0 too if zero_ok), at most max. The check before
 * strtod keeps out blanks, signs, exponents, hex, "inf" and "nan". strtod
 * reads '.' in the C locale (LC_NUMERIC).
 */
static int
options_decimal(const char *s, bool zero_ok, double max, double *out)
{
	const char	*p;
	char		*end;
	double		 d;
	int		 digits = 0, dots = 0;

	for (p = s; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && dots++ == 0)
			continue;
		else
			return (-1);
	}
	if (digits == 0)
		return (-1);
	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d) ||
	    !(zero_ok ? d >= 0.0 : d > 0.0) || d > max)
		return (-1);
	*out = d;
	return (0);
}

/* RFC 9110 5.6.2: token = 1*tchar. */
static bool
options_is_token(const char *s, size_t len)
{
	size_t	i;
	int	c;

	if (len == 0)
		return (false);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z'))
			continue;
		if (c == '\0' || strchr(OPTIONS_TCHARS, c) == NULL)
			return (false);
	}
	return (true);
}

/* cli.md: CR and LF are refused in -H, -X and -A (NUL cannot occur). */
static bool
options_has_crlf(const char *s)
{
	return (strpbrk(s, "\r\n") != NULL);
}

/* Lower-case labels of letters, digits, '-' and '_', as DNS allows. */
static bool
options_hostname_ok(const char *h)
{
	const char	*p, *label = h;
	size_t		 n;

	if (strlen(h) > 253)
		return (false);
	for (p = h;; p++) {
		if (*p == '.' || *p == '\0') {
			n = (size_t)(p - label);
			if (n == 0 || n > 63 || *label == '-' || p[-1] == '-')
				return (false);
			if (*p == '\0')
				return (true);
			label = p + 1;
		} else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return (false);
	}
}

/* A numeric address in its canonical form: AF_INET, AF_INET6 or -1. */
static int
options_inet(const char *s, char *buf, size_t len)
{
	struct in6_addr	a6;
	struct in_addr	a4;

	if (inet_pton(AF_INET, s, &a4) == 1 &&
	    inet_ntop(AF_INET, &a4, buf, (socklen_t)len) != NULL)
		return (AF_INET);
	if (inet_pton(AF_INET6, s, &a6) == 1 &&
	    inet_ntop(AF_INET6, &a6, buf, (socklen_t)len) != NULL)
		return (AF_INET6);
	return (-1);
}

/* Append s (moved in) to a growing array of strings. */
static void
options_push(char ***arr, size_t *n, char *s)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = s;
}

/* Free an array of owned strings. */
static void
options_strings_free(char **arr, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(arr[i]);
	free(arr);
}

/* Free what a pin owns; takes a half-built one. */
static void
options_pin_free(struct pin *p)
{
	free(p->host);
	options_strings_free(p->addrs, p->naddrs);
	memset(p, 0, sizeof(*p));
}

/*
 * "httpstat-async: -c/--concurrency: '0' is not ..." A --proxy value is
 * shown without its password, which CI logs must not keep.
 */
static void
options_fail(char *err, size_t errlen, int ch, const char *arg,
    const char *why)
{
	char	name[OPTIONS_NAME_LEN], shown[OPTIONS_SHOW_LEN], *hidden;

	hidden = ch == OPT_PROXY && arg != NULL ?
	    options_hide_userinfo(arg) : NULL;
	if (hidden != NULL)
		arg = hidden;
	snprintf(err, errlen, "httpstat-async: %s: '%s' %s",
	    options_name(ch, name, sizeof(name)),
	    options_show(arg, arg != NULL ? strlen(arg) : 0, shown,
	    sizeof(shown)), why);
	free(hidden);
}

/* getopt returned ':': optopt is the option that lacks its value. */
static void
options_fail_missing(char *err, size_t errlen)
{
	char	name[OPTIONS_NAME_LEN];

	snprintf(err, errlen, "httpstat-async: %s: missing value",
	    options_name(optopt, name, sizeof(name)));
}

/*
 * getopt returned '?'. optopt is 0 for an unknown or ambiguous long
 * option (the argument just passed names it), a known option's value for
 * "--quiet=x", else the unknown short option's character.
 */
static void
options_fail_unknown(char **argv, int argc, char *err, size_t errlen)
{
	char		 name[OPTIONS_NAME_LEN], shown[OPTIONS_SHOW_LEN];
	char		 one[3];
	const char	*arg;
	size_t		 len;

	if (optopt != 0 && options_name(optopt, name, sizeof(name)) != NULL) {
		snprintf(err, errlen, "httpstat-async: %s: takes no value",
		    name);
		return;
	}
	if (optopt != 0 || optind < 2 || optind > argc) {
		one[0] = '-';
		one[1] = (char)optopt;
		one[2] = '\0';
		snprintf(err, errlen, "httpstat-async: unknown option '%s'",
		    options_show(one, optopt != 0 ? 2 : 1, shown,
		    sizeof(shown)));
		return;
	}
	arg = argv[optind - 1];
	len = strcspn(arg, "=");
	snprintf(err, errlen, "httpstat-async: %s option '%s'",
	    len > 2 && options_ambiguous(arg + 2, len - 2) ? "ambiguous" :
	    "unknown", options_show(arg, len, shown, sizeof(shown)));
}

/* Is s a prefix of more than one long option (glibc's abbreviations)? */
static bool
options_ambiguous(const char *s, size_t len)
{
	const struct option	*lo;
	int			 n = 0;

	for (lo = options_long; lo->name != NULL; lo++) {
		if (strlen(lo->name) == len && strncmp(lo->name, s, len) == 0)
			return (false);
		if (strncmp(lo->name, s, len) == 0)
			n++;
	}
	return (n > 1);
}

/* "-c/--concurrency", "--cacert" or "-4"; NULL if ch is no option. */
static const char *
options_name(int ch, char *buf, size_t len)
{
	const struct option	*lo;

	for (lo = options_long; lo->name != NULL; lo++) {
		if (lo->val != ch)
			continue;
		if (ch < 256)
			snprintf(buf, len, "-%c/--%s", ch, lo->name);
		else
			snprintf(buf, len, "--%s", lo->name);
		return (buf);
	}
	if (ch > 0 && ch < 256 && ch != ':' && strchr(options_short, ch)) {
		snprintf(buf, len, "-%c", ch);
		return (buf);
	}
	return (NULL);
}

/* A value fit for one line: controls and non-ASCII as \xHH, cut short. */
static const char *
options_show(const char *s, size_t n, char *buf, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, o = 0;
	unsigned char		 c;

	for (i = 0; i < n && i < OPTIONS_SHOW_MAX && o + 5 < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			buf[o++] = (char)c;
			continue;
		}
		buf[o++] = '\\';
		buf[o++] = 'x';
		buf[o++] = hex[c >> 4];
		buf[o++] = hex[c & 0xf];
	}
	if (i < n && o + 4 <= len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return (buf);
}

/*
 * A URL with the password of its user info ("user:pass@") as "***",
 * best effort on any text (up to the last '@', so a bad URL with '/' in
 * the password hides it too): xmalloc'd, or NULL when there is none.
 */
static char *
options_hide_userinfo(const char *url)
{
	const char	*start, *sep, *at, *colon;
	char		*out;
	size_t		 head;

	start = (sep = strstr(url, "://")) != NULL ? sep + 3 : url;
	if ((at = strrchr(start, '@')) == NULL ||
	    (colon = memchr(start, ':', (size_t)(at - start))) == NULL)
		return (NULL);
	head = (size_t)(colon + 1 - url);
	out = xmalloc(head + 3 + strlen(at) + 1);
	memcpy(out, url, head);
	memcpy(out + head, "***", 3);
	strcpy(out + head + 3, at);
	return (out);
}
