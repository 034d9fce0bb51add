/*
 * One check: the state machine of cli.md's "What a check does".  One
 * struct, one explicit state, one way out (check_finish).
 */
#include "httpstat/check.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/ssl.h>

#include "httpstat/clock.h"
#include "httpstat/expect.h"
#include "httpstat/head.h"
#include "httpstat/options.h"
#include "httpstat/proxy.h"
#include "httpstat/resolve.h"
#include "httpstat/retry.h"
#include "httpstat/tlsctx.h"
#include "httpstat/url.h"
#include "httpstat/xmalloc.h"

#define BEV_FLAGS	(BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS)
#define DRAIN_MAX	(64 * 1024)	/* cli.md: body read after the head */
#define DRAIN_GRACE	0.5		/* seconds the peer gets to close */
#define STAGGER		0.25		/* RFC 8305: next attempt after */

enum check_state {
	CHECK_PACING,		/* --rate: a redirect waits for its turn */
	CHECK_RESOLVING,	/* waiting for resolve.c */
	CHECK_CONNECTING,	/* TCP to addrs.a[next - 1] */
	CHECK_FD_WAIT,		/* out of descriptors, others in flight */
	CHECK_TUNNEL,		/* CONNECT sent to the proxy, https only */
	CHECK_HANDSHAKE,	/* TLS, https only */
	CHECK_SENDING,		/* request queued, not all written */
	CHECK_READING_HEAD,	/* request written, head incomplete */
	CHECK_DRAINING,		/* result delivered; letting the peer close */
};

/* Default request headers a -H of the same name replaces. */
enum {
	SKIP_HOST = 1,
	SKIP_UA = 2,
	SKIP_ACCEPT = 4,
	SKIP_CONNECTION = 8,
	SKIP_AUTH = 16,
};

/* One connect attempt (RFC 8305: several may be in flight). */
struct conn_try {
	int			 fd;		/* owned, or -1 */
	struct event		*ev;		/* owned: writable, or NULL */
	int			 rec;		/* index in res.conn, or -1 */
	double			 t;		/* started */
};

struct check {
	enum check_state	 state;
	struct check_env	*env;		/* borrowed */
	void			*token;		/* borrowed: the run's */
	struct target		 tgt;		/* owned: the current hop */
	char			*auth0;		/* owned: the entry's Basic */
	char			*origin0;	/* owned: the entry's origin */
	const char		*method;	/* borrowed: -X, or GET */
	const struct proxy_url	*proxy;		/* borrowed: this hop's, or NULL */
	struct expect		 expect;
	struct lookup		*lookup;	/* owned: pending DNS or NULL */
	struct addrs		 addrs;
	size_t			 next;		/* next address to try */
	struct conn_try		 tries[RESOLVE_MAX_ADDRS];	/* next used */
	size_t			 nopen;		/* attempts in progress */
	int			 last_errno;	/* of the last failed attempt */
	struct event		*stagger;	/* owned: RFC 8305 250 ms */
	struct event		*kick;		/* owned: deferred work */
	int			 tunnel_fd;	/* owned in CHECK_TUNNEL */
	struct bufferevent	*bev;		/* owned: owns fd and SSL */
	SSL			*ssl;		/* borrowed from bev */
	struct event		*timer;		/* owned: --timeout, grace */
	struct head		 head;
	struct result		 res;		/* moved to the run at end */
	double			 t0;		/* start of own work */
	double			 t_phase;	/* start of the current phase */
	size_t			 drained;
	enum err_kind		 kick_kind;	/* ERR_NONE: retry connect */
	const char		*kick_why;
	bool			 parked;	/* on env->parked */
	struct check		*prev;		/* parked or draining list */
	struct check		*next_in_list;
};

static void	check_resolve(struct check *);
static void	check_resolved(enum resolve_status, const struct addrs *,
		    const char *, void *);
static void	check_connect_next(struct check *);
static void	check_fd_short(struct check *);
static void	check_stagger_cb(evutil_socket_t, short, void *);
static void	check_connect_cb(evutil_socket_t, short, void *);
static void	check_try_failed(struct check *, struct conn_try *, int);
static void	check_try_close(struct check *, struct conn_try *,
		    enum attempt_outcome);
static void	check_tries_cancel(struct check *);
static void	check_connected(struct check *, struct conn_try *);
static void	check_tunnel(struct check *, int);
static void	check_tunnel_head(struct check *);
static void	check_io(struct check *, int);
static void	check_send(struct check *);
static void	check_read_cb(struct bufferevent *, void *);
static bool	check_feed(struct check *);
static void	check_write_cb(struct bufferevent *, void *);
static void	check_event_cb(struct bufferevent *, short, void *);
static void	check_on_head(struct check *);
static bool	check_is_redirect(const struct check *);
static void	check_redirect(struct check *);
static void	check_follow(struct check *);
static char	*check_origin(const struct target *);
static void	check_cert_days(struct check *);
static void	check_on_close(struct check *, short, int);
static void	check_timer_cb(evutil_socket_t, short, void *);
static void	check_kick_cb(evutil_socket_t, short, void *);
static void	check_fail_later(struct check *, enum err_kind, const char *);
static void	check_deliver(struct check *, enum err_kind, const char *);
static void	check_finish(struct check *, enum err_kind, const char *);
static void	check_drain_start(struct check *);
static void	check_drain_end(struct check *);
static void	check_free(struct check *);
static enum phase check_phase(const struct check *);
static void	list_add(struct check **, struct check *);
static void	list_del(struct check **, struct check *);
static void	check_fd_freed(struct check_env *);

/* Zero state; the -H block is built once for every check. */
void
check_env_init(struct check_env *env)
{
	const struct options	*opt = env->opt;
	static const struct {
		const char	*name;
		unsigned	 bit;
	} defaults[] = {
		{ "Host", SKIP_HOST }, { "User-Agent", SKIP_UA },
		{ "Accept", SKIP_ACCEPT }, { "Connection", SKIP_CONNECTION },
		{ "Authorization", SKIP_AUTH },
	};
	size_t			 i, j, len = 0, nl, vl;
	const char		*h, *colon, *v;

	env->extra = xmalloc(1);
	env->extra[0] = '\0';
	for (i = 0; i < opt->nheaders; i++) {
		h = opt->headers[i];
		if ((colon = strchr(h, ':')) == NULL)
			continue;
		nl = (size_t)(colon - h);
		for (j = 0; j < sizeof(defaults) / sizeof(defaults[0]); j++)
			if (strlen(defaults[j].name) == nl &&
			    strncasecmp(defaults[j].name, h, nl) == 0)
				env->skip |= defaults[j].bit;
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		if ((vl = strlen(v)) == 0)	/* curl: "Name:" removes */
			continue;
		env->extra = xrealloc(env->extra, len + nl + vl + 5);
		len += (size_t)sprintf(env->extra + len, "%.*s: %s\r\n",
		    (int)nl, h, v);
	}
}

/* Frees what check_env_init built. */
void
check_env_free(struct check_env *env)
{
	free(env->extra);
	env->extra = NULL;
}

/* Starts a check: its timer runs from now (cli.md: its own work). */
struct check *
check_start(struct check_env *env, struct target *tgt,
    const struct expect *expect, struct result *res, void *token)
{
	struct check	*c;
	struct timeval	 tv;

	c = xcalloc(1, sizeof(*c));
	c->timer = evtimer_new(env->base, check_timer_cb, c);
	c->kick = event_new(env->base, -1, 0, check_kick_cb, c);
	c->stagger = evtimer_new(env->base, check_stagger_cb, c);
	if (c->timer == NULL || c->kick == NULL || c->stagger == NULL) {
		/* tgt and res stay the caller's. */
		if (c->timer != NULL)
			event_free(c->timer);
		if (c->kick != NULL)
			event_free(c->kick);
		if (c->stagger != NULL)
			event_free(c->stagger);
		free(c);
		return (NULL);
	}
	c->env = env;
	c->token = token;
	c->tgt = *tgt;
	memset(tgt, 0, sizeof(*tgt));
	c->expect = *expect;
	c->res = *res;
	result_init(res);
	result_reset_outcome(&c->res);
	c->method = env->opt->method;
	c->origin0 = check_origin(&c->tgt);
	if (c->tgt.auth != NULL)
		c->auth0 = xstrdup(c->tgt.auth);
	c->tunnel_fd = -1;
	c->t0 = c->t_phase = clock_ms();
	if (c->res.started <= 0)	/* cli.md: from the first attempt */
		c->res.started = c->t0;
	c->res.attempts++;
	c->state = CHECK_RESOLVING;
	head_init(&c->head);
	env->active++;
	tv = clock_tv(env->opt->timeout);
	evtimer_add(c->timer, &tv);
	check_resolve(c);
	return (c);
}

/* The first step of every hop: look the host up (never calls back now). */
static void
check_resolve(struct check *c)
{
	const char	*host = c->tgt.host;
	unsigned short	 port = c->tgt.port;

	c->state = CHECK_RESOLVING;
	c->t_phase = clock_ms();
	/* cli.md: through a proxy, the proxy resolves the origin. */
	c->proxy = proxy_for(c->env->proxy, c->tgt.https, c->tgt.host);
	if (c->proxy != NULL) {
		host = c->proxy->host;
		port = c->proxy->port;
	}
	if (c->tgt.https && c->env->tls == NULL)
		check_fail_later(c, ERR_TLS, "TLS is not available");
	else if ((c->lookup = resolve_start(c->env->resolver, host, port,
	    check_resolved, c)) == NULL)
		check_fail_later(c, ERR_IO, "cannot start the lookup");
}

/* The name resolved, or did not. */
static void
check_resolved(enum resolve_status st, const struct addrs *as,
    const char *why, void *arg)
{
	struct check	*c = arg;
	double		 now = clock_ms();

	c->lookup = NULL;
	if (!c->tgt.host_is_ip)
		c->res.timings.dns_ms = now - c->t_phase;
	if (st != RESOLVE_OK && c->proxy != NULL) {
		check_finish(c, ERR_CONNECT, why);	/* phase proxy */
		return;
	}
	if (st != RESOLVE_OK) {
		/* cli.md: temporary DNS failures are retried, NXDOMAIN not. */
		c->res.retryable = st == RESOLVE_TEMPORARY;
		check_finish(c, ERR_DNS, why);
		return;
	}
	c->addrs = *as;
	c->state = CHECK_CONNECTING;
	c->t_phase = now;
	check_connect_next(c);
}

/*
 * cli.md step 2, RFC 8305: attempts staggered 250 ms apart, the next one
 * at once when one fails; the first to connect wins.
 */
static void
check_connect_next(struct check *c)
{
	const struct sockaddr	*sa;
	struct conn_try		*t;
	struct connect_attempt	*rec;
	struct timeval		 tv = clock_tv(STAGGER);
	char			 addr[RESULT_ADDR_MAX];
	int			 fd, e;

	c->state = CHECK_CONNECTING;
	while (c->next < c->addrs.n) {
		sa = (const struct sockaddr *)&c->addrs.a[c->next];
		fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd == -1 && (errno == EMFILE || errno == ENFILE)) {
			check_fd_short(c);
			return;
		}
		t = &c->tries[c->next++];
		resolve_addr_str(sa, addr, sizeof(addr));
		snprintf(c->res.addr, sizeof(c->res.addr), "%s", addr);
		rec = result_add_attempt(&c->res, addr);
		t->rec = rec != NULL ? c->res.nconn - 1 : -1;
		t->t = clock_ms();
		t->fd = fd;
		if (fd == -1) {
			check_try_failed(c, t, errno);
			continue;
		}
		if (connect(fd, sa, c->addrs.len[c->next - 1]) == 0) {
			check_connected(c, t);
			return;
		}
		if ((e = errno) != EINPROGRESS) {
			check_try_failed(c, t, e);
			continue;
		}
		t->ev = event_new(c->env->base, fd, EV_WRITE,
		    check_connect_cb, c);
		if (t->ev == NULL || event_add(t->ev, NULL) == -1) {
			check_finish(c, ERR_IO, "cannot watch the connection");
			return;
		}
		c->nopen++;
		if (c->next < c->addrs.n)
			evtimer_add(c->stagger, &tv);
		return;
	}
	if (c->nopen == 0)
		check_finish(c, ERR_CONNECT, c->last_errno != 0 ?
		    strerror(c->last_errno) : "no address to connect to");
}

/* cli.md: out of descriptors, wait while other checks are in flight. */
static void
check_fd_short(struct check *c)
{
	if (c->nopen > 0)
		return;		/* one of ours will end and free one */
	if (c->env->active > c->env->nparked + 1 || c->env->ndraining > 0) {
		c->state = CHECK_FD_WAIT;
		list_add(&c->env->parked, c);
		c->env->nparked++;
		c->parked = true;
		return;
	}
	check_finish(c, ERR_IO, "out of file descriptors");
}

/* 250 ms passed without a connection: start the next attempt too. */
static void
check_stagger_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	check_connect_next(arg);
}

/* A socket became writable: connected, or that attempt failed. */
static void
check_connect_cb(evutil_socket_t fd, short what, void *arg)
{
	struct check	*c = arg;
	struct conn_try	*t = NULL;
	int		 err = 0;
	size_t		 i;
	socklen_t	 len = sizeof(err);

	(void)what;
	for (i = 0; i < c->next; i++)
		if (c->tries[i].fd == fd && c->tries[i].ev != NULL)
			t = &c->tries[i];
	if (t == NULL) {
		check_finish(c, ERR_IO, "event for an unknown connection");
		return;
	}
	event_free(t->ev);
	t->ev = NULL;
	c->nopen--;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == 0) {
		check_connected(c, t);
		return;
	}
	check_try_failed(c, t, err);
	evtimer_del(c->stagger);
	if (c->next < c->addrs.n)
		check_connect_next(c);	/* at once, not after 250 ms */
	else if (c->nopen == 0)
		check_finish(c, ERR_CONNECT, strerror(err));
}

/* Records a failed attempt and closes its socket. */
static void
check_try_failed(struct check *c, struct conn_try *t, int err)
{
	check_try_close(c, t, err == ECONNREFUSED ? ATTEMPT_REFUSED :
	    ATTEMPT_FAILED);
	c->last_errno = err;
}

/* Ends one attempt with an outcome; frees its descriptor. */
static void
check_try_close(struct check *c, struct conn_try *t,
    enum attempt_outcome outcome)
{
	if (t->rec >= 0 && t->rec < c->res.nconn) {
		c->res.conn[t->rec].ms = clock_ms() - t->t;
		c->res.conn[t->rec].outcome = outcome;
	}
	t->rec = -1;
	if (t->ev != NULL) {
		event_free(t->ev);
		t->ev = NULL;
		c->nopen--;
	}
	if (t->fd != -1) {
		close(t->fd);
		t->fd = -1;
		check_fd_freed(c->env);
	}
}

/* Every attempt still open ends as cancelled (one won, or the end). */
static void
check_tries_cancel(struct check *c)
{
	size_t	i;

	for (i = 0; i < c->next; i++)
		if (c->tries[i].fd != -1)
			check_try_close(c, &c->tries[i], ATTEMPT_CANCELLED);
	if (c->stagger != NULL)
		evtimer_del(c->stagger);
}

/* TCP is up: https starts TLS, http sends the request. */
static void
check_connected(struct check *c, struct conn_try *t)
{
	double			 now = clock_ms();
	int			 fd = t->fd;
	char			 addr[RESULT_ADDR_MAX];

	resolve_addr_str((const struct sockaddr *)&c->addrs.a[t - c->tries],
	    addr, sizeof(addr));
	snprintf(c->res.addr, sizeof(c->res.addr), "%s", addr);
	if (t->rec >= 0) {
		c->res.conn[t->rec].ms = now - t->t;
		c->res.conn[t->rec].outcome = ATTEMPT_CONNECTED;
		t->rec = -1;
	}
	t->fd = -1;			/* the bufferevent owns it now */
	check_tries_cancel(c);
	c->res.timings.connect_ms = now - c->t_phase;
	c->t_phase = now;
	if (c->tgt.https && c->proxy != NULL) {
		check_tunnel(c, fd);
		return;
	}
	check_io(c, fd);
}

/* I/O on the connected fd: TLS first for https, else the request. */
static void
check_io(struct check *c, int fd)
{
	struct check_env	*env = c->env;
	char			 err[256];

	if (c->tgt.https) {
		c->ssl = tlsctx_ssl_new(env->tls, c->tgt.host, c->tgt.port,
		    c->tgt.host_is_ip, &c->res.tls, err, sizeof(err));
		if (c->ssl == NULL) {
			close(fd);
			check_finish(c, ERR_TLS, err);
			return;
		}
		c->bev = bufferevent_openssl_socket_new(env->base, fd, c->ssl,
		    BUFFEREVENT_SSL_CONNECTING, BEV_FLAGS);
		if (c->bev == NULL) {	/* it owned c->ssl, and fd too */
			c->ssl = NULL;
			check_finish(c, ERR_IO, "cannot set up TLS I/O");
			return;
		}
		bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
		c->state = CHECK_HANDSHAKE;
	} else {
		if ((c->bev = bufferevent_socket_new(env->base, fd,
		    BEV_FLAGS)) == NULL) {
			close(fd);
			check_finish(c, ERR_IO, "cannot set up I/O");
			return;
		}
	}
	bufferevent_setcb(c->bev, check_read_cb, check_write_cb,
	    check_event_cb, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, HEAD_LIMIT);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	if (!c->tgt.https)
		check_send(c);
}

/* cli.md: https through a proxy goes through a CONNECT tunnel. */
static void
check_tunnel(struct check *c, int fd)
{
	struct evbuffer	*out;
	bool		 ip6;
	int		 i;

	/* Not CLOSE_ON_FREE: the fd goes on to TLS once the tunnel is up. */
	if ((c->bev = bufferevent_socket_new(c->env->base, fd,
	    BEV_OPT_DEFER_CALLBACKS)) == NULL) {
		close(fd);
		check_finish(c, ERR_IO, "cannot set up I/O");
		return;
	}
	c->tunnel_fd = fd;
	c->state = CHECK_TUNNEL;
	bufferevent_setcb(c->bev, check_read_cb, NULL, check_event_cb, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, HEAD_LIMIT);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	out = bufferevent_get_output(c->bev);
	/* RFC 9110 9.3.6: authority-form, always with the port. */
	ip6 = strchr(c->tgt.host, ':') != NULL;
	for (i = 0; i < 2; i++)
		evbuffer_add_printf(out, "%s%s%s%s:%u%s", i == 0 ? "CONNECT " :
		    "Host: ", ip6 ? "[" : "", c->tgt.host, ip6 ? "]" : "",
		    c->tgt.port, i == 0 ? " HTTP/1.1\r\n" : "\r\n");
	if (c->proxy->auth != NULL)
		evbuffer_add_printf(out, "Proxy-Authorization: Basic %s\r\n",
		    c->proxy->auth);
	evbuffer_add(out, "\r\n", 2);
}

/* The proxy answered CONNECT: 2xx opens the tunnel, else it is refused. */
static void
check_tunnel_head(struct check *c)
{
	char	why[HEAD_REASON_MAX + 64];
	int	fd = c->tunnel_fd;

	if (c->head.status < 200 || c->head.status > 299) {
		snprintf(why, sizeof(why), "proxy refused CONNECT: %d %.*s",
		    c->head.status, (int)c->head.reason_len, c->head.reason);
		check_finish(c, ERR_CONNECT, why);
		return;
	}
	if (evbuffer_get_length(bufferevent_get_input(c->bev)) > 0) {
		check_finish(c, ERR_CONNECT,
		    "proxy sent bytes before the TLS handshake");
		return;
	}
	bufferevent_free(c->bev);	/* keeps fd open */
	c->bev = NULL;
	c->tunnel_fd = -1;
	head_free(&c->head);
	head_init(&c->head);
	c->t_phase = clock_ms();
	check_io(c, fd);
}

/* cli.md step 4: one request, defaults unless -H replaces them. */
static void
check_send(struct check *c)
{
	struct check_env	*env = c->env;
	const struct options	*opt = env->opt;
	struct evbuffer		*out = bufferevent_get_output(c->bev);

	/* cli.md: http through a proxy goes in absolute form. */
	if (c->proxy != NULL && !c->tgt.https) {
		evbuffer_add_printf(out, "%s %s HTTP/1.1\r\n", c->method,
		    c->tgt.absolute);
		if (c->proxy->auth != NULL)
			evbuffer_add_printf(out,
			    "Proxy-Authorization: Basic %s\r\n",
			    c->proxy->auth);
	} else
		evbuffer_add_printf(out, "%s %s HTTP/1.1\r\n", c->method,
		    c->tgt.target);
	if (!(env->skip & SKIP_HOST))
		evbuffer_add_printf(out, "Host: %s\r\n", c->tgt.hostport);
	if (!(env->skip & SKIP_UA))
		evbuffer_add_printf(out, "User-Agent: %s\r\n",
		    opt->user_agent);
	if (!(env->skip & SKIP_ACCEPT))
		evbuffer_add(out, "Accept: */*\r\n", 13);
	if (!(env->skip & SKIP_CONNECTION))
		evbuffer_add(out, "Connection: close\r\n", 19);
	if (c->tgt.auth != NULL && !(env->skip & SKIP_AUTH))
		evbuffer_add_printf(out, "Authorization: Basic %s\r\n",
		    c->tgt.auth);
	evbuffer_add(out, env->extra, strlen(env->extra));
	evbuffer_add(out, "\r\n", 2);
	c->state = CHECK_SENDING;
	c->t_phase = clock_ms();
	/*
	 * Plain http: the socket has just connected and is writable, so the
	 * request goes now instead of after one more turn of the loop.
	 */
	if (c->ssl == NULL && evbuffer_write(out, bufferevent_getfd(c->bev)) >
	    0 && evbuffer_get_length(out) == 0) {
		c->state = CHECK_READING_HEAD;
		c->t_phase = clock_ms();
	}
}

/* Bytes arrived: feed the head parser, or drain after the head. */
static void
check_read_cb(struct bufferevent *bev, void *arg)
{
	struct check	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);

	if (c->state == CHECK_DRAINING) {
		c->drained += evbuffer_get_length(in);
		evbuffer_drain(in, evbuffer_get_length(in));
		if (c->drained >= DRAIN_MAX)
			check_drain_end(c);
		return;
	}
	(void)check_feed(c);
}

/* Feeds what arrived to the parser; false once the check moved on. */
static bool
check_feed(struct check *c)
{
	struct evbuffer		*in = bufferevent_get_input(c->bev);
	struct evbuffer_iovec	 v[4];
	enum head_rc		 rc = HEAD_MORE;
	int			 i, n;
	size_t			 used;

	if (c->res.timings.ttfb_ms < 0 && evbuffer_get_length(in) > 0)
		c->res.timings.ttfb_ms = clock_ms() - c->t0;
	if (c->state == CHECK_SENDING && evbuffer_get_length(in) > 0)
		c->state = CHECK_READING_HEAD;	/* the reply has begun */
	while (rc == HEAD_MORE && evbuffer_get_length(in) > 0) {
		n = evbuffer_peek(in, -1, NULL, v, 4);
		if (n > 4)
			n = 4;
		used = 0;
		for (i = 0; i < n && rc == HEAD_MORE; i++) {
			rc = head_parse(&c->head, v[i].iov_base, v[i].iov_len);
			used += rc == HEAD_DONE ? c->head.used : v[i].iov_len;
		}
		evbuffer_drain(in, used);
	}
	if (rc == HEAD_DONE && c->state == CHECK_TUNNEL)
		check_tunnel_head(c);
	else if (rc == HEAD_DONE)
		check_on_head(c);
	else if (rc == HEAD_BAD && c->state == CHECK_TUNNEL)
		check_finish(c, ERR_CONNECT, "the proxy's reply is not HTTP");
	else if (rc == HEAD_BAD)
		check_finish(c, ERR_PROTOCOL, c->head.why);
	return (rc == HEAD_MORE);
}

/* The whole request is written: now only the head is awaited. */
static void
check_write_cb(struct bufferevent *bev, void *arg)
{
	struct check	*c = arg;

	(void)bev;
	if (c->state == CHECK_SENDING) {
		c->state = CHECK_READING_HEAD;
		c->t_phase = clock_ms();
	}
}

/* Connected, closed or failed: what it means depends on the state. */
static void
check_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct check	*c = arg;
	char		 why[300];
	int		 e = errno;	/* libevent restores it for us */

	if (what & BEV_EVENT_CONNECTED) {
		if (c->state == CHECK_HANDSHAKE) {
			c->res.timings.tls_ms = clock_ms() - c->t_phase;
			tlsctx_info(c->ssl, &c->res.tls);
			check_send(c);
		}
		return;
	}
	switch (c->state) {
	case CHECK_HANDSHAKE:
		if (what & BEV_EVENT_EOF && bufferevent_get_openssl_error(bev)
		    == 0 && SSL_get_verify_result(c->ssl) == X509_V_OK) {
			check_finish(c, ERR_TLS,
			    "connection closed during the TLS handshake");
			return;
		}
		if (c->res.tls.has_cert)	/* cli.md: also when it failed */
			tlsctx_info(c->ssl, &c->res.tls);
		tlsctx_error(c->ssl, bufferevent_get_openssl_error(bev), why,
		    sizeof(why));
		check_finish(c, ERR_TLS, why);
		return;
	case CHECK_SENDING:
	case CHECK_READING_HEAD:
		if (check_feed(c))	/* bytes that came with the close */
			check_on_close(c, what, e);
		return;
	case CHECK_DRAINING:
		check_drain_end(c);
		return;
	case CHECK_TUNNEL:
		if (check_feed(c))
			check_finish(c, ERR_CONNECT,
			    "the proxy closed before the tunnel was up");
		return;
	case CHECK_PACING:
	case CHECK_RESOLVING:
	case CHECK_CONNECTING:
	case CHECK_FD_WAIT:
		check_finish(c, ERR_IO, "socket event in a state without one");
		return;
	}
}

/* cli.md: a close before the end of the head is `closed`. */
static void
check_on_close(struct check *c, short what, int e)
{
	char		 why[200];
	const char	*when;

	when = c->head.status_line_done ?
	    "after the status line, before the end of the head" :
	    "before a complete status line";
	if ((what & BEV_EVENT_ERROR) && e != 0)
		snprintf(why, sizeof(why), "%s %s", e == ECONNRESET ?
		    "connection reset" : strerror(e), when);
	else
		snprintf(why, sizeof(why), "connection closed %s", when);
	check_finish(c, ERR_CLOSED, why);
}

/* The final head is complete: the result is final (cli.md step 7). */
static void
check_on_head(struct check *c)
{
	struct head	*h = &c->head;

	if (c->env->opt->location && check_is_redirect(c)) {
		check_redirect(c);
		return;
	}
	result_set_status(&c->res, h->status, h->reason, h->reason_len,
	    h->version);
	c->res.ok = expect_match(&c->expect, h->status);
	if (h->retry_after != NULL)
		c->res.retry_after = retry_after_parse(h->retry_after,
		    time(NULL));
	check_cert_days(c);
	check_deliver(c, ERR_NONE, NULL);
	check_drain_start(c);
}

/* cli.md step 6: 301, 302, 303, 307, 308 with a Location. */
static bool
check_is_redirect(const struct check *c)
{
	int	s = c->head.status;

	return ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) &&
	    c->head.location != NULL);
}

/* cli.md: --cert-min-days; the status stays, ok does not. */
static void
check_cert_days(struct check *c)
{
	long	min = c->env->opt->cert_min_days;

	if (min < 0 || !c->res.tls.has_cert)
		return;
	if (c->res.tls.days_left < min) {
		c->res.tls.expiring = true;
		c->res.ok = false;
	}
}

/*
 * -L: record the hop, check the limit and the target, then start over
 * with the new URL under the same --timeout.
 */
static void
check_redirect(struct check *c)
{
	const struct options	*opt = c->env->opt;
	struct redirect_hop	*hop;
	struct target		 next;
	char			*abs, *origin, why[120];
	const char		*bad = NULL;
	int			 i, status = c->head.status;

	abs = url_resolve_ref(c->tgt.absolute, c->head.location);
	hop = result_add_redirect(&c->res, c->tgt.absolute, status, abs);
	if (abs == NULL) {
		check_finish(c, ERR_REDIRECT, "Location cannot be followed");
		return;
	}
	if ((unsigned long)c->res.nredirects > opt->max_redirs) {
		free(abs);
		snprintf(why, sizeof(why), "more than %lu redirects",
		    opt->max_redirs);
		check_finish(c, ERR_REDIRECT, why);
		return;
	}
	for (i = 0; i < c->res.nredirects; i++)
		if (strcmp(c->res.redirects[i].url, abs) == 0)
			bad = "redirect loop";
	memset(&next, 0, sizeof(next));
	if (bad == NULL && url_parse(abs, strlen(abs), &next, &bad) == -1)
		bad = bad != NULL ? bad : "bad Location";
	free(abs);
	if (bad != NULL) {
		snprintf(why, sizeof(why), "Location cannot be followed: %s",
		    bad);
		check_finish(c, ERR_REDIRECT, why);
		return;
	}
	hop->downgrade = c->tgt.https && !next.https;
	/* cli.md: 303 becomes GET (HEAD stays); 301/302 turn POST to GET. */
	if ((status == 303 && strcmp(c->method, "HEAD") != 0) ||
	    ((status == 301 || status == 302) &&
	    strcmp(c->method, "POST") == 0))
		c->method = "GET";
	/* cli.md: credentials only to the entry's origin. */
	origin = check_origin(&next);
	if (next.auth == NULL && c->auth0 != NULL &&
	    strcmp(origin, c->origin0) == 0)
		next.auth = xstrdup(c->auth0);
	free(origin);
	url_free(&c->tgt);
	c->tgt = next;
	check_follow(c);
}

/* Drops the connection and starts the next hop, after --rate's turn. */
static void
check_follow(struct check *c)
{
	struct timeval	tv;
	double		wait;

	if (c->bev != NULL) {
		if (c->ssl != NULL)
			tlsctx_forget(c->ssl);
		bufferevent_free(c->bev);
		c->bev = NULL;
		c->ssl = NULL;
		check_fd_freed(c->env);
	}
	head_free(&c->head);
	head_init(&c->head);
	result_reset_hop(&c->res);
	c->next = 0;
	c->nopen = 0;
	c->last_errno = 0;
	wait = c->env->pace != NULL ? c->env->pace(c->env->arg) : 0;
	if (wait > 0) {
		c->state = CHECK_PACING;
		c->kick_kind = ERR_NONE;
		tv = clock_tv(wait);
		event_add(c->kick, &tv);
		return;
	}
	check_resolve(c);
}

/* scheme://host:port, to compare origins. */
static char *
check_origin(const struct target *t)
{
	char	*s;
	size_t	 n = strlen(t->host) + 16;

	s = xmalloc(n);
	snprintf(s, n, "%s://%s:%u", t->https ? "https" : "http", t->host,
	    t->port);
	return (s);
}

/* --timeout ran out, or the drain grace did. */
static void
check_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct check	*c = arg;
	char		 why[100];

	(void)fd;
	(void)what;
	if (c->state == CHECK_DRAINING) {
		check_drain_end(c);
		return;
	}
	snprintf(why, sizeof(why), "no final status within %g s",
	    c->env->opt->timeout);
	check_finish(c, ERR_TIMEOUT, why);
}

/* Deferred work: an early failure, or a descriptor may be free. */
static void
check_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct check	*c = arg;

	(void)fd;
	(void)what;
	if (c->kick_kind != ERR_NONE) {
		check_finish(c, c->kick_kind, c->kick_why);
		return;
	}
	if (c->state == CHECK_FD_WAIT)
		check_connect_next(c);
	else if (c->state == CHECK_PACING)
		check_resolve(c);
}

/* Fails from the loop's next turn: check_start never calls back. */
static void
check_fail_later(struct check *c, enum err_kind kind, const char *why)
{
	c->kick_kind = kind;
	c->kick_why = why;
	event_active(c->kick, EV_TIMEOUT, 0);
}

/* cli.md: deadline and cancel end a check at once, in its phase. */
void
check_abort(struct check *c, enum err_kind kind)
{
	char	why[100];

	snprintf(why, sizeof(why), "%s while in phase %s",
	    kind == ERR_DEADLINE ? "--deadline reached" : "interrupted",
	    result_phase_name(check_phase(c)));
	check_finish(c, kind, why);
}

/* The phase an error in the current state belongs to. */
static enum phase
check_phase(const struct check *c)
{
	switch (c->state) {
	case CHECK_PACING:
	case CHECK_RESOLVING:
		return (c->proxy != NULL ? PHASE_PROXY : PHASE_RESOLVE);
	case CHECK_CONNECTING:
	case CHECK_FD_WAIT:
		return (c->proxy != NULL ? PHASE_PROXY : PHASE_CONNECT);
	case CHECK_TUNNEL:
		return (PHASE_PROXY);
	case CHECK_HANDSHAKE:
		return (PHASE_TLS);
	case CHECK_SENDING:
		return (PHASE_SEND);
	case CHECK_READING_HEAD:
	case CHECK_DRAINING:
		return (PHASE_HEAD);
	}
	return (PHASE_HEAD);
}

/* Hands the result to the run; the check itself may live on. */
static void
check_deliver(struct check *c, enum err_kind kind, const char *why)
{
	struct check_env	*env = c->env;

	if (kind != ERR_NONE) {
		result_set_error(&c->res, kind, check_phase(c), why);
		if (kind == ERR_CONNECT || kind == ERR_CLOSED ||
		    kind == ERR_TIMEOUT)
			c->res.retryable = true;
	}
	c->res.time_ms = clock_ms() - c->res.started;
	check_tries_cancel(c);		/* recorded in res before it moves */
	if (c->ssl != NULL)
		tlsctx_forget(c->ssl);	/* res.tls moves out */
	if (c->parked) {
		list_del(&env->parked, c);
		env->nparked--;
		c->parked = false;
	}
	env->active--;
	env->done(env->arg, &c->res, c->token);
	result_init(&c->res);
}

/* The one way out: record, hand over, free.  Callers return at once. */
static void
check_finish(struct check *c, enum err_kind kind, const char *why)
{
	check_deliver(c, kind, why);
	check_free(c);
}

/* cli.md step 7: read a little body so the server closes first. */
static void
check_drain_start(struct check *c)
{
	struct timeval	tv = clock_tv(DRAIN_GRACE);

	c->drained = evbuffer_get_length(bufferevent_get_input(c->bev));
	evbuffer_drain(bufferevent_get_input(c->bev), c->drained);
	if (c->drained >= DRAIN_MAX) {
		check_free(c);
		return;
	}
	c->state = CHECK_DRAINING;
	bufferevent_disable(c->bev, EV_WRITE);
	list_add(&c->env->draining, c);
	c->env->ndraining++;
	evtimer_add(c->timer, &tv);
}

/* The peer closed, the grace ran out, or enough body was read. */
static void
check_drain_end(struct check *c)
{
	struct check_env	*env = c->env;

	list_del(&env->draining, c);
	env->ndraining--;
	c->state = CHECK_READING_HEAD;	/* not on a list any more */
	check_free(c);
	if (env->ndraining == 0 && env->drained != NULL)
		env->drained(env->arg);
}

/* Ends every lingering connection now (end of run, signals). */
void
check_env_drain_all(struct check_env *env)
{
	while (env->draining != NULL)
		check_drain_end(env->draining);
}

/* Undoes what was built; takes a half-built check. */
static void
check_free(struct check *c)
{
	bool	had_fd = c->bev != NULL;

	if (c->state == CHECK_DRAINING) {
		list_del(&c->env->draining, c);
		c->env->ndraining--;
	}
	resolve_cancel(c->lookup);
	check_tries_cancel(c);
	if (c->stagger != NULL)
		event_free(c->stagger);
	if (c->bev != NULL) {
		if (c->ssl != NULL)
			tlsctx_forget(c->ssl);
		bufferevent_free(c->bev);
	}
	if (c->tunnel_fd != -1)
		close(c->tunnel_fd);
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->kick != NULL)
		event_free(c->kick);
	head_free(&c->head);
	url_free(&c->tgt);
	free(c->auth0);
	free(c->origin0);
	result_free(&c->res);
	if (had_fd)
		check_fd_freed(c->env);
	free(c);
}

/* A descriptor was closed: one parked check may try again. */
static void
check_fd_freed(struct check_env *env)
{
	struct check	*p = env->parked;

	if (p == NULL)
		return;
	list_del(&env->parked, p);
	env->nparked--;
	p->parked = false;		/* still CHECK_FD_WAIT: kick retries */
	p->kick_kind = ERR_NONE;
	event_active(p->kick, EV_TIMEOUT, 0);
}

/* Doubly linked lists of parked or draining checks. */
static void
list_add(struct check **head, struct check *c)
{
	c->prev = NULL;
	c->next_in_list = *head;
	if (*head != NULL)
		(*head)->prev = c;
	*head = c;
}

static void
list_del(struct check **head, struct check *c)
{
	if (c->prev != NULL)
		c->prev->next_in_list = c->next_in_list;
	else
		*head = c->next_in_list;
	if (c->next_in_list != NULL)
		c->next_in_list->prev = c->prev;
	c->prev = c->next_in_list = NULL;
}
