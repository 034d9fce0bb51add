/*
 * Proxy choice as curl makes it: --proxy, else http_proxy (http) or
 * https_proxy / HTTPS_PROXY (https), then all_proxy / ALL_PROXY; and
 * --noproxy or no_proxy / NO_PROXY (comma list, domain suffixes, "*").
 */
#ifndef HTTPSTAT_PROXY_H
#define HTTPSTAT_PROXY_H

#include <stdbool.h>
#include <stddef.h>

struct proxy_url {
	char		*host;		/* owned: lower case, no brackets */
	unsigned short	 port;		/* default 1080 */
	char		*hostport;	/* owned: "host:port", [v6]:port */
	char		*auth;		/* owned: base64 "user:pass" or NULL */
};

struct proxy_conf {
	struct proxy_url	 http;		/* host NULL: none */
	struct proxy_url	 https;
	char			*noproxy;	/* owned: the list or NULL */
};

/*
 * Builds the choice from --proxy/--noproxy (NULL: not given) and the
 * environment (getenv); -1 with a one-line message if a proxy URL is bad.
 */
int	proxy_conf_init(struct proxy_conf *, const char *, const char *,
	    char *, size_t);
void	proxy_conf_free(struct proxy_conf *);
/* The proxy for a URL of this scheme and host, or NULL: go direct. */
const struct proxy_url *proxy_for(const struct proxy_conf *, bool,
	    const char *);
/* curl's no_proxy matching: "*", exact host, or a domain suffix. */
bool	proxy_bypass(const char *, const char *);
/* Parses "http://[user:pass@]host[:port][/]"; -1 with why if not. */
int	proxy_url_parse(const char *, struct proxy_url *, const char **);
void	proxy_url_free(struct proxy_url *);

#endif
