/* Command line: getopt_long table, value parsing, usage. */
#ifndef HTTPSTAT_OPTIONS_H
#define HTTPSTAT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "httpstat/expect.h"

enum out_format {
	FORMAT_TEXT,
	FORMAT_JSONL,
	FORMAT_CSV,
	FORMAT_JUNIT,
	FORMAT_PROM,
};

enum order {
	ORDER_INPUT,
	ORDER_COMPLETION,
};

enum when {
	WHEN_AUTO,
	WHEN_ALWAYS,
	WHEN_NEVER,
};

enum family {
	FAMILY_ANY,
	FAMILY_V4,
	FAMILY_V6,
};

/* One --resolve H:P:A[,A...]; host "*" matches any. */
struct pin {
	char		*host;		/* owned: lower case A-label or "*" */
	unsigned short	 port;
	char		**addrs;	/* owned: numeric addresses */
	size_t		 naddrs;
};

struct options {
	unsigned long	 concurrency;	/* -c, >= 1 */
	double		 timeout;	/* -t seconds, > 0 */
	double		 deadline;	/* -d seconds, 0: none */
	char		*method;	/* -X, owned */
	char		**headers;	/* -H, owned, "Name: value" */
	size_t		 nheaders;
	char		*user_agent;	/* -A, owned */
	bool		 insecure;	/* -k */
	char		*cacert;	/* owned or NULL */
	struct pin	*pins;		/* --resolve, owned */
	size_t		 npins;
	char		**dns_servers;	/* owned: "IP" or "IP:PORT" forms */
	size_t		 ndns_servers;
	enum family	 family;	/* -4 / -6 */
	struct expect	 expect;	/* --expect */
	enum out_format	 format;
	char		*output;	/* -o, owned or NULL */
	bool		 quiet;		/* -q */
	enum when	 color;
	enum when	 progress;	/* --progress */
	enum order	 order;		/* --order */
	bool		 location;	/* -L */
	unsigned long	 max_redirs;	/* --max-redirs, default 10 */
	char		*proxy;		/* --proxy URL, owned or NULL */
	char		*noproxy;	/* --noproxy LIST, owned or NULL */
	unsigned long	 retries;	/* --retries, default 0 */
	struct expect	 retry_on;	/* --retry-on, 429,502,503,504 */
	unsigned long	 per_host;	/* --per-host, 0: no limit */
	double		 rate;		/* --rate per second, 0: none */
	long		 cert_min_days;	/* --cert-min-days, -1: off */
	unsigned long	 shard_k;	/* --shard K/N, 0/0: off */
	unsigned long	 shard_n;
	bool		 tls_resume;	/* off with --no-tls-resume */
	char		**sources;	/* borrowed from argv */
	size_t		 nsources;
};

enum options_rc {
	OPTIONS_RUN,
	OPTIONS_HELP,		/* -h: print options_usage() to stdout, exit 0 */
	OPTIONS_VERSION,	/* -V */
	OPTIONS_ERROR,		/* err holds one line naming the option */
};

enum options_rc	options_parse(int, char **, struct options *, char *, size_t);
void		options_free(struct options *);
const char	*options_usage(void);

#endif
