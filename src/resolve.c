/*
 * Name resolution on the loop.  evdns quirks stay here: it may call back
 * before evdns_getaddrinfo() returns, and a cancelled request still calls
 * back; callers see neither.
 */
#include "httpstat/resolve.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "httpstat/options.h"
#include "httpstat/result.h"
#include "httpstat/xmalloc.h"

struct resolver {
	struct event_base	*base;		/* borrowed */
	struct evdns_base	*dns;		/* owned */
	const struct options	*opt;		/* borrowed */
	struct addrs		 localhost;	/* cli.md: RFC 6761 */
	int			 af;		/* AF_UNSPEC, or -4/-6 */
};

struct lookup {
	struct resolver		*r;		/* borrowed */
	resolve_cb		 cb;
	void			*arg;
	struct event		*ev;		/* owned: deferred delivery */
	struct evdns_getaddrinfo_request *req;	/* pending evdns request */
	unsigned short		 port;
	bool			 in_start;
	bool			 cancelled;
	bool			 delivering;
	bool			 finished;
	enum resolve_status	 status;
	const char		*why;
	char			 whybuf[128];
	struct addrs		 addrs;
};

static int	 resolver_dns_init(struct resolver *, char *, size_t);
static void	 resolver_load_localhost(struct resolver *);
static void	 addrs_add(struct addrs *, const struct sockaddr *, socklen_t,
		    unsigned short);
static int	 addrs_add_numeric(struct addrs *, const char *,
		    unsigned short);
static void	 addrs_interleave(struct addrs *);
static bool	 host_is_under(const char *, const char *);
static bool	 lookup_pinned(struct lookup *, const char *);
static void	 lookup_finish(struct lookup *, enum resolve_status,
		    const char *);
static void	 lookup_evdns_cb(int, struct evutil_addrinfo *, void *);
static void	 lookup_deliver_cb(evutil_socket_t, short, void *);
static void	 lookup_free(struct lookup *);

/* A resolver for the run: evdns set up from the options. */
struct resolver *
resolver_new(struct event_base *base, const struct options *opt, char *err,
    size_t errlen)
{
	struct resolver	*r;

	r = xcalloc(1, sizeof(*r));
	r->base = base;
	r->opt = opt;
	r->af = opt->family == FAMILY_V4 ? AF_INET :
	    opt->family == FAMILY_V6 ? AF_INET6 : AF_UNSPEC;
	if (resolver_dns_init(r, err, errlen) == -1) {
		resolver_free(r);
		return (NULL);
	}
	resolver_load_localhost(r);
	return (r);
}

/* evdns: /etc/hosts always; resolv.conf unless --dns-servers. */
static int
resolver_dns_init(struct resolver *r, char *err, size_t errlen)
{
	const struct options	*opt = r->opt;
	int			 flags = EVDNS_BASE_DISABLE_WHEN_INACTIVE;
	size_t			 i;

	if (opt->ndns_servers == 0)
		flags |= EVDNS_BASE_INITIALIZE_NAMESERVERS;
	if ((r->dns = evdns_base_new(r->base, flags)) == NULL) {
		snprintf(err, errlen, "cannot set up the DNS resolver");
		return (-1);
	}
	if (opt->ndns_servers > 0) {
		evdns_base_load_hosts(r->dns, NULL);
		for (i = 0; i < opt->ndns_servers; i++) {
			if (evdns_base_nameserver_ip_add(r->dns,
			    opt->dns_servers[i]) != 0) {
				snprintf(err, errlen, "--dns-servers: cannot "
				    "use '%s'", opt->dns_servers[i]);
				return (-1);
			}
		}
	}
	evdns_base_set_option(r->dns, "max-inflight:", "1024");
	return (0);
}

/* cli.md: localhost is what the hosts file says, else 127.0.0.1 and ::1. */
static void
resolver_load_localhost(struct resolver *r)
{
	FILE	*fp;
	char	 line[512], *tok, *addr, *save;

	if ((fp = fopen("/etc/hosts", "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL) {
			line[strcspn(line, "#\r\n")] = '\0';
			if ((addr = strtok_r(line, " \t", &save)) == NULL)
				continue;
			while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
				if (strcasecmp(tok, "localhost") == 0) {
					addrs_add_numeric(&r->localhost, addr,
					    0);
					break;
				}
			}
		}
		fclose(fp);
	}
	if (r->localhost.n == 0) {
		addrs_add_numeric(&r->localhost, "::1", 0);
		addrs_add_numeric(&r->localhost, "127.0.0.1", 0);
	}
}

/* Frees the resolver; pending evdns requests fail (their lookups too). */
void
resolver_free(struct resolver *r)
{
	if (r == NULL)
		return;
	if (r->dns != NULL)
		evdns_base_free(r->dns, 1);
	free(r);
}

/* Starts a lookup of host (lower case, no brackets) for port. */
struct lookup *
resolve_start(struct resolver *r, const char *host, unsigned short port,
    resolve_cb cb, void *arg)
{
	struct lookup			*l;
	struct evutil_addrinfo		 hints;
	size_t				 i;

	l = xcalloc(1, sizeof(*l));
	l->r = r;
	l->cb = cb;
	l->arg = arg;
	l->port = port;
	l->in_start = true;
	if ((l->ev = event_new(r->base, -1, 0, lookup_deliver_cb, l)) == NULL) {
		free(l);
		return (NULL);
	}
	if (lookup_pinned(l, host))
		;
	else if (addrs_add_numeric(&l->addrs, host, port) == 0) {
		/* An IP literal is not resolved. */
		lookup_finish(l, RESOLVE_OK, NULL);
	} else if (host_is_under(host, "invalid")) {
		lookup_finish(l, RESOLVE_NONAME,
		    "reserved name, never resolved (RFC 6761)");
	} else if (host_is_under(host, "localhost")) {
		for (i = 0; i < r->localhost.n; i++)
			addrs_add(&l->addrs,
			    (const struct sockaddr *)&r->localhost.a[i],
			    r->localhost.len[i], port);
		lookup_finish(l, RESOLVE_OK, NULL);
	} else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = r->af;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_protocol = IPPROTO_TCP;
		l->status = RESOLVE_TEMPORARY;
		l->req = evdns_getaddrinfo(r->dns, host, NULL, &hints,
		    lookup_evdns_cb, l);
		if (l->req == NULL && !l->finished)
			lookup_finish(l, RESOLVE_TEMPORARY,
			    "cannot start the DNS lookup");
	}
	l->in_start = false;
	return (l);
}

/* --resolve: a pin for this host (or "*") and port wins over DNS. */
static bool
lookup_pinned(struct lookup *l, const char *host)
{
	const struct options	*opt = l->r->opt;
	size_t			 i, j, hl;

	hl = strlen(host);
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	for (i = 0; i < opt->npins; i++) {
		const struct pin *p = &opt->pins[i];

		if (p->port != l->port)
			continue;
		if (strcmp(p->host, "*") != 0 && (strlen(p->host) != hl ||
		    strncasecmp(p->host, host, hl) != 0))
			continue;
		for (j = 0; j < p->naddrs; j++)
			addrs_add_numeric(&l->addrs, p->addrs[j], l->port);
		lookup_finish(l, RESOLVE_OK, NULL);
		return (true);
	}
	return (false);
}

/* name is label or under it ("x.invalid", "invalid."). */
static bool
host_is_under(const char *host, const char *label)
{
	size_t	hl = strlen(host), ll = strlen(label);

	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (hl < ll || strncasecmp(host + hl - ll, label, ll) != 0)
		return (false);
	return (hl == ll || host[hl - ll - 1] == '.');
}

/* evdns answered (or failed, or was cancelled). */
static void
lookup_evdns_cb(int err, struct evutil_addrinfo *ai, void *arg)
{
	struct lookup		*l = arg;
	struct evutil_addrinfo	*p;

	l->req = NULL;
	if (l->cancelled) {
		if (ai != NULL)
			evutil_freeaddrinfo(ai);
		lookup_free(l);
		return;
	}
	for (p = ai; p != NULL; p = p->ai_next)
		addrs_add(&l->addrs, p->ai_addr, (socklen_t)p->ai_addrlen,
		    l->port);
	if (ai != NULL)
		evutil_freeaddrinfo(ai);
	addrs_interleave(&l->addrs);
	if (err == 0 && l->addrs.n > 0)
		lookup_finish(l, RESOLVE_OK, NULL);
	else if (err == 0 || err == EVUTIL_EAI_NONAME ||
	    err == EVUTIL_EAI_NODATA || err == EVUTIL_EAI_ADDRFAMILY) {
		snprintf(l->whybuf, sizeof(l->whybuf), "name does not "
		    "resolve: %s", err == 0 ? "no address" :
		    evutil_gai_strerror(err));
		lookup_finish(l, RESOLVE_NONAME, l->whybuf);
	} else {
		snprintf(l->whybuf, sizeof(l->whybuf), "DNS lookup failed: %s",
		    evutil_gai_strerror(err));
		lookup_finish(l, RESOLVE_TEMPORARY, l->whybuf);
	}
	if (!l->in_start)
		lookup_deliver_cb(-1, 0, l);
}

/* Records the outcome; delivered from the loop, never from inside start. */
static void
lookup_finish(struct lookup *l, enum resolve_status st, const char *why)
{
	struct addrs	*as = &l->addrs;
	int		 af = l->r->af;
	size_t		 i, n = 0;

	for (i = 0; i < as->n; i++) {	/* cli.md: -4/-6 restrict */
		if (af != AF_UNSPEC && as->a[i].ss_family != af)
			continue;
		as->a[n] = as->a[i];
		as->len[n++] = as->len[i];
	}
	as->n = n;
	if (st == RESOLVE_OK && n == 0) {
		st = RESOLVE_NONAME;
		why = "no address of the family allowed by -4/-6";
	}
	l->finished = true;
	l->status = st;
	l->why = st == RESOLVE_OK ? NULL : why;
	if (l->in_start)
		event_active(l->ev, EV_TIMEOUT, 0);
}

/* Calls back once, then the lookup is gone. */
static void
lookup_deliver_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lookup	*l = arg;

	(void)fd;
	(void)what;
	l->delivering = true;
	l->cb(l->status, &l->addrs, l->why, l->arg);
	lookup_free(l);
}

/* No callback after this; evdns may still call ours, which frees. */
void
resolve_cancel(struct lookup *l)
{
	if (l == NULL || l->delivering)
		return;
	if (l->req != NULL) {
		l->cancelled = true;
		evdns_getaddrinfo_cancel(l->req);
		return;
	}
	lookup_free(l);
}

/* Frees a lookup that has no evdns request left. */
static void
lookup_free(struct lookup *l)
{
	if (l->ev != NULL)
		event_free(l->ev);
	free(l);
}

/* Appends one address with the port set (up to RESOLVE_MAX_ADDRS). */
static void
addrs_add(struct addrs *as, const struct sockaddr *sa, socklen_t len,
    unsigned short port)
{
	struct sockaddr_storage	*ss;
	size_t			 i;

	if (as->n >= RESOLVE_MAX_ADDRS || len > sizeof(*ss) ||
	    (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
		return;
	for (i = 0; i < as->n; i++)
		if (as->len[i] == len && memcmp(&as->a[i], sa, len) == 0)
			return;
	ss = &as->a[as->n];
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, sa, len);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	as->len[as->n++] = len;
}

/* Adds a numeric address (brackets allowed); -1 if it is not one. */
static int
addrs_add_numeric(struct addrs *as, const char *s, unsigned short port)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	char			 buf[64];
	size_t			 n = strlen(s);

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']' && n - 2 < sizeof(buf)) {
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = '\0';
		s = buf;
	}
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, s, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		addrs_add(as, (struct sockaddr *)&sin, sizeof(sin), port);
		return (0);
	}
	if (inet_pton(AF_INET6, s, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		addrs_add(as, (struct sockaddr *)&sin6, sizeof(sin6), port);
		return (0);
	}
	return (-1);
}

/* RFC 8305 4: alternate families, starting with the first one found. */
static void
addrs_interleave(struct addrs *as)
{
	struct addrs	 out;
	size_t		 i, pick;
	bool		 used[RESOLVE_MAX_ADDRS] = { false };
	int		 want;

	if (as->n < 3)
		return;
	memset(&out, 0, sizeof(out));
	want = as->a[0].ss_family;
	while (out.n < as->n) {
		pick = as->n;
		for (i = 0; i < as->n; i++)
			if (!used[i] && as->a[i].ss_family == want) {
				pick = i;
				break;
			}
		for (i = 0; pick == as->n && i < as->n; i++)
			if (!used[i])
				pick = i;
		used[pick] = true;
		out.a[out.n] = as->a[pick];
		out.len[out.n++] = as->len[pick];
		want = want == AF_INET ? AF_INET6 : AF_INET;
	}
	*as = out;
}

/* The numeric form of an address, without the port. */
void
resolve_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const void	*src;

	if (sa->sa_family == AF_INET)
		src = &((const struct sockaddr_in *)sa)->sin_addr;
	else
		src = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (inet_ntop(sa->sa_family, src, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}
