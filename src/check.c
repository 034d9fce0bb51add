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
#include "httpstat/resolve.h"
#include "httpstat/tlsctx.h"
#include "httpstat/url.h"
#include "httpstat/xmalloc.h"

#define BEV_FLAGS	(BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS)
#define DRAIN_MAX	(64 * 1024)	/* cli.md: body read after the head */
#define DRAIN_GRACE	0.5		/* seconds the peer gets to close */

enum check_state {
	CHECK_RESOLVING,	/* waiting for resolve.c */
	CHECK_CONNECTING,	/* TCP to addrs.a[next - 1] */
	CHECK_FD_WAIT,		/* out of descriptors, others in flight */
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

struct check {
	enum check_state	 state;
	struct check_env	*env;		/* borrowed */
	void			*token;		/* borrowed: the run's */
	struct target		 tgt;		/* owned */
	struct expect		 expect;
	struct lookup		*lookup;	/* owned: pending DNS or NULL */
	struct addrs		 addrs;
	size_t			 next;		/* next address to try */
	int			 fd;		/* owned while connecting */
	int			 last_errno;	/* of the last failed attempt */
	struct connect_attempt	*attempt;	/* in res.conn, or NULL */
	struct event		*conn_ev;	/* owned: connect finished */
	struct event		*kick;		/* owned: deferred work */
	struct bufferevent	*bev;		/* owned: owns fd and SSL */
	SSL			*ssl;		/* borrowed from bev */
	struct event		*timer;		/* owned: --timeout, grace */
	struct head		 head;
	struct result		 res;		/* moved to the run at end */
	double			 t0;		/* start of own work */
	double			 t_phase;	/* start of the current phase */
	double			 t_attempt;
	size_t			 drained;
	enum err_kind		 kick_kind;	/* ERR_NONE: retry connect */
	const char		*kick_why;
	struct check		*prev;		/* parked or draining list */
	struct check		*next_in_list;
};

static void	check_resolved(enum resolve_status, const struct addrs *,
		    const char *, void *);
static void	check_connect_next(struct check *);
static void	check_connect_cb(evutil_socket_t, short, void *);
static void	check_attempt_failed(struct check *, int);
static void	check_connected(struct check *);
static void	check_send(struct check *);
static void	check_read_cb(struct bufferevent *, void *);
static bool	check_feed(struct check *);
static void	check_write_cb(struct bufferevent *, void *);
static void	check_event_cb(struct bufferevent *, short, void *);
static void	check_on_head(struct check *);
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
	if (c->timer == NULL || c->kick == NULL) {
		/* tgt and res stay the caller's. */
		if (c->timer != NULL)
			event_free(c->timer);
		if (c->kick != NULL)
			event_free(c->kick);
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
	c->fd = -1;
	c->t0 = c->t_phase = clock_ms();
	c->res.attempts = 1;
	c->state = CHECK_RESOLVING;
	head_init(&c->head);
	env->active++;
	tv = clock_tv(env->opt->timeout);
	evtimer_add(c->timer, &tv);
	if (c->tgt.https && env->tls == NULL)
		check_fail_later(c, ERR_TLS, "TLS is not available");
	else if ((c->lookup = resolve_start(env->resolver, c->tgt.host,
	    c->tgt.port, check_resolved, c)) == NULL)
		check_fail_later(c, ERR_IO, "cannot start the lookup");
	return (c);
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
	if (st != RESOLVE_OK) {
		check_finish(c, ERR_DNS, why);
		return;
	}
	c->addrs = *as;
	c->state = CHECK_CONNECTING;
	c->t_phase = now;
	check_connect_next(c);
}

/* cli.md: try every address in turn until one connects. */
static void
check_connect_next(struct check *c)
{
	const struct sockaddr	*sa;
	char			 addr[RESULT_ADDR_MAX];
	int			 fd, e;

	c->state = CHECK_CONNECTING;
	while (c->next < c->addrs.n) {
		sa = (const struct sockaddr *)&c->addrs.a[c->next];
		fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd == -1 && (errno == EMFILE || errno == ENFILE)) {
			/* cli.md: wait while other checks are in flight. */
			if (c->env->active > c->env->nparked + 1 ||
			    c->env->ndraining > 0) {
				c->state = CHECK_FD_WAIT;
				list_add(&c->env->parked, c);
				c->env->nparked++;
				return;
			}
			check_finish(c, ERR_IO, "out of file descriptors");
			return;
		}
		c->next++;
		resolve_addr_str(sa, addr, sizeof(addr));
		snprintf(c->res.addr, sizeof(c->res.addr), "%s", addr);
		c->attempt = result_add_attempt(&c->res, addr);
		c->t_attempt = clock_ms();
		if (fd == -1) {
			check_attempt_failed(c, errno);
			continue;
		}
		c->fd = fd;
		if (connect(fd, sa, c->addrs.len[c->next - 1]) == 0) {
			check_connected(c);
			return;
		}
		if ((e = errno) != EINPROGRESS) {
			check_attempt_failed(c, e);
			continue;
		}
		c->conn_ev = event_new(c->env->base, fd, EV_WRITE,
		    check_connect_cb, c);
		if (c->conn_ev == NULL || event_add(c->conn_ev, NULL) == -1) {
			check_finish(c, ERR_IO, "cannot watch the connection");
			return;
		}
		return;
	}
	check_finish(c, ERR_CONNECT, c->last_errno != 0 ?
	    strerror(c->last_errno) : "no address to connect to");
}

/* The socket became writable: connected, or the attempt failed. */
static void
check_connect_cb(evutil_socket_t fd, short what, void *arg)
{
	struct check	*c = arg;
	int		 err = 0;
	socklen_t	 len = sizeof(err);

	(void)what;
	event_free(c->conn_ev);
	c->conn_ev = NULL;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		check_attempt_failed(c, err);
		check_connect_next(c);
		return;
	}
	check_connected(c);
}

/* Records a failed attempt and closes its socket. */
static void
check_attempt_failed(struct check *c, int err)
{
	if (c->attempt != NULL) {
		c->attempt->ms = clock_ms() - c->t_attempt;
		c->attempt->outcome = err == ECONNREFUSED ? ATTEMPT_REFUSED :
		    ATTEMPT_FAILED;
		c->attempt = NULL;
	}
	if (c->fd != -1) {
		close(c->fd);
		c->fd = -1;
		check_fd_freed(c->env);
	}
	c->last_errno = err;
}

/* TCP is up: https starts TLS, http sends the request. */
static void
check_connected(struct check *c)
{
	struct check_env	*env = c->env;
	char			 err[256];
	double			 now = clock_ms();
	int			 fd = c->fd;

	if (c->attempt != NULL) {
		c->attempt->ms = now - c->t_attempt;
		c->attempt->outcome = ATTEMPT_CONNECTED;
		c->attempt = NULL;
	}
	c->res.timings.connect_ms = now - c->t_phase;
	c->t_phase = now;
	c->fd = -1;			/* the bufferevent owns it now */
	if (c->tgt.https) {
		c->ssl = tlsctx_ssl_new(env->tls, c->tgt.host,
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

/* cli.md step 4: one request, defaults unless -H replaces them. */
static void
check_send(struct check *c)
{
	struct check_env	*env = c->env;
	const struct options	*opt = env->opt;
	struct evbuffer		*out = bufferevent_get_output(c->bev);

	evbuffer_add_printf(out, "%s %s HTTP/1.1\r\n", opt->method,
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
	if (rc == HEAD_DONE)
		check_on_head(c);
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

	result_set_status(&c->res, h->status, h->reason, h->reason_len,
	    h->version);
	c->res.ok = expect_match(&c->expect, h->status);
	check_deliver(c, ERR_NONE, NULL);
	check_drain_start(c);
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
	case CHECK_RESOLVING:
		return (PHASE_RESOLVE);
	case CHECK_CONNECTING:
	case CHECK_FD_WAIT:
		return (PHASE_CONNECT);
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

	if (kind != ERR_NONE)
		result_set_error(&c->res, kind, check_phase(c), why);
	c->res.time_ms = clock_ms() - c->t0;
	if (c->ssl != NULL)
		tlsctx_forget(c->ssl);	/* res.tls moves out */
	if (c->state == CHECK_FD_WAIT) {
		list_del(&env->parked, c);
		env->nparked--;
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
	bool	had_fd = c->fd != -1 || c->bev != NULL;

	if (c->state == CHECK_DRAINING) {
		list_del(&c->env->draining, c);
		c->env->ndraining--;
	}
	resolve_cancel(c->lookup);
	if (c->conn_ev != NULL)
		event_free(c->conn_ev);
	if (c->fd != -1)
		close(c->fd);
	if (c->bev != NULL) {
		if (c->ssl != NULL)
			tlsctx_forget(c->ssl);
		bufferevent_free(c->bev);
	}
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->kick != NULL)
		event_free(c->kick);
	head_free(&c->head);
	url_free(&c->tgt);
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
	p->state = CHECK_CONNECTING;
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
