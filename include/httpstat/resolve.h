/*
 * Name resolution without blocking the loop: evdns (hosts file,
 * resolv.conf or --dns-servers), --resolve pins, IP literals, and the
 * special names of RFC 6761.  The callback is never called from inside
 * resolve_start() and never after resolve_cancel().
 */
#ifndef HTTPSTAT_RESOLVE_H
#define HTTPSTAT_RESOLVE_H

#include <stddef.h>
#include <sys/socket.h>

struct event_base;
struct options;
struct resolver;
struct lookup;

#define RESOLVE_MAX_ADDRS	16

/* Addresses found, in the order to try them. */
struct addrs {
	size_t			 n;
	struct sockaddr_storage	 a[RESOLVE_MAX_ADDRS];
	socklen_t		 len[RESOLVE_MAX_ADDRS];
};

enum resolve_status {
	RESOLVE_OK,
	RESOLVE_NONAME,		/* NXDOMAIN or no address of the family */
	RESOLVE_TEMPORARY,	/* SERVFAIL, no answer, ...: may be retried */
};

/* why is a message for the result when status is not RESOLVE_OK. */
typedef void	(*resolve_cb)(enum resolve_status, const struct addrs *,
		    const char *, void *);

struct resolver	*resolver_new(struct event_base *, const struct options *,
		    char *, size_t);
void		 resolver_free(struct resolver *);
struct lookup	*resolve_start(struct resolver *, const char *,
		    unsigned short, resolve_cb, void *);
void		 resolve_cancel(struct lookup *);
/* "1.2.3.4" or "::1" for an address; buf of RESULT_ADDR_MAX bytes. */
void		 resolve_addr_str(const struct sockaddr *, char *, size_t);

#endif
