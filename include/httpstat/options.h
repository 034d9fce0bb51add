/* Command line: getopt_long table, value parsing, usage. */
#ifndef HTTPSTAT_OPTIONS_H
#define HTTPSTAT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "httpstat/expect.h"

enum out_format {
	FORMAT_TEXT,
	FORMAT_JSONL,
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

/* One --dns-servers entry. */
struct dns_server {
	char		*addr;		/* owned: "IP" or "[IPv6]:port"... */
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
