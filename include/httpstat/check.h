/*
 * One check of one URL: resolve, connect, TLS, request, response head.
 * A check ends exactly once, through env->done; after the head it may
 * linger a little to let the server close first (cli.md, step 7).
 */
#ifndef HTTPSTAT_CHECK_H
#define HTTPSTAT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "httpstat/result.h"

struct event_base;
struct expect;
struct options;
struct proxy_conf;
struct resolver;
struct target;
struct tlsctx;
struct check;

/* What every check borrows; owned by the run. */
struct check_env {
	struct event_base	*base;
	struct resolver		*resolver;
	struct tlsctx		*tls;		/* NULL: https unavailable */
	struct proxy_conf	*proxy;		/* NULL: always direct */
	const struct options	*opt;
	/* The result is moved to the callee; token is check_start's. */
	void			(*done)(void *, struct result *, void *);
	/* The last lingering connection closed. */
	void			(*drained)(void *);
	/* --rate: seconds to wait before a redirect's request may start. */
	double			(*pace)(void *);
	void			*arg;

	/* kept by check.c */
	char			*extra;		/* owned: -H lines, CRLF each */
	unsigned		 skip;		/* defaults -H replaces */
	size_t			 active;	/* checks not yet done */
	struct check		*parked;	/* waiting for a descriptor */
	size_t			 nparked;
	struct check		*draining;	/* done, letting the peer close */
	size_t			 ndraining;
};

void		 check_env_init(struct check_env *);
void		 check_env_free(struct check_env *);
/* Ends every lingering connection now. */
void		 check_env_drain_all(struct check_env *);

/* Takes tgt and res (moved); never calls back before it returns. */
struct check	*check_start(struct check_env *, struct target *,
		    const struct expect *, struct result *, void *);
/* Ends the check now as kind (deadline, cancelled); calls back. */
void		 check_abort(struct check *, enum err_kind);

#endif
