/*
 * TLS: one shared client context (trust store, verification), and per
 * connection SSL objects with SNI and host name checks; certificate facts
 * for results, also when verification failed.
 */
#ifndef HTTPSTAT_TLSCTX_H
#define HTTPSTAT_TLSCTX_H

#include <stdbool.h>
#include <stddef.h>

struct ssl_st;
struct tls_info;
struct tlsctx;

/* cacert (NULL: system store), insecure (-k), resume sessions per host. */
struct tlsctx	*tlsctx_new(const char *, bool, bool, char *, size_t);
void		 tlsctx_free(struct tlsctx *);
/* An SSL for host:port (a name or an IP literal) that fills info. */
struct ssl_st	*tlsctx_ssl_new(struct tlsctx *, const char *, unsigned short,
		    bool, struct tls_info *, char *, size_t);
/* Version, cipher and (if not already known) leaf facts after handshake. */
void		 tlsctx_info(struct ssl_st *, struct tls_info *);
/* Why the handshake failed: verification result or the error queue. */
void		 tlsctx_error(struct ssl_st *, unsigned long, char *, size_t);
/* Detaches the info pointer (the check owning it is going away). */
void		 tlsctx_forget(struct ssl_st *);

#endif
