/*
 * Feature server for test_features.c: plain HTTP on 127.0.0.1 with the
 * routes redirects, retries and politeness need, an HTTP proxy, and a
 * black-holed twin listener for Happy Eyeballs.
 * Usage: featserver DIR LIFETIME_SEC.
 *
 * It prints one line, "HTTP=p PROXY=p BH=p":
 *   HTTP   the routes below;
 *   PROXY  an HTTP proxy: absolute-form requests are forwarded, CONNECT is
 *          tunnelled, both to 127.0.0.1 (same port) only, and only for the
 *          hosts 127.0.0.1, localhost and names under .test; any other
 *          host gets 403;
 *   BH     the routes below on 127.0.0.1:BH, while 127.0.0.2:BH is a
 *          listener that never accepts and whose queue the server filled
 *          itself, so that further SYNs are dropped (checked at start);
 *          0 when no such pair could be made.
 *
 * Every request head received is appended to DIR/feat.log as the line
 * "@@ port=NAME host=HOST inflight=N", the head, then FEAT_MARK.  inflight
 * counts the requests for that Host (this one included) whose head has
 * arrived and whose reply has not yet been sent.  The server exits 0 after
 * LIFETIME_SEC, or at SIGTERM or SIGINT.
 *
 * Routes: /ok, /status/NNN, /delay/MS, /silent (never answers),
 * /flaky/KEY/N/CODE (the first N requests for KEY: CODE with Retry-After:
 * 1; then 200), /retry-after-long (503, Retry-After: 120), /redir/abs/N
 * (302 to the absolute URL of /redir/abs/N-1; 0: 200), /redir/rel/N
 * (relative references: "../rel/N-1", then "1", then "../../ok?from=rel"),
 * /loop (302 to itself), /303 and /307 (to /ok), /nolocation (302 without
 * Location), /goto?TARGET (302, Location TARGET), /weird (200 with a hostile
 * reason phrase); anything else is 404.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "srvutil.h"

#define FEAT_MARK	"#### end of feat request ####\n"
#define HEAD_LIMIT	(64 * 1024)
#define BH_TRIES	20		/* port pairs to try */
#define BH_FILL		64		/* connections to queue at most */
#define BH_PROBE_MS	300		/* a connect this slow: dropped */

enum port_kind {
	PORT_HTTP,
	PORT_PROXY,
	PORT_BH,
	PORT_COUNT,
};

enum conn_state {
	CONN_READING,		/* waiting for the request head */
	CONN_SILENT,		/* read and discard, never answer */
	CONN_DELAYING,		/* timer, then 200 */
	CONN_CLOSING,		/* close once the output is written */
	CONN_RELAY,		/* proxy: bytes to and from c->peer */
};

struct server;

struct port {
	struct server		*srv;		/* borrowed */
	enum port_kind		 kind;
	struct evconnlistener	*lev;		/* owned */
	int			 num;
};

/* A Host: requests in flight now and at most. */
struct host {
	char		*name;		/* owned */
	int		 cur;
	int		 max;
	struct host	*next;
};

/* A /flaky key: requests seen. */
struct flaky {
	char		*key;		/* owned */
	long		 count;
	struct flaky	*next;
};

struct conn {
	struct server		*srv;		/* borrowed */
	struct port		*port;		/* borrowed */
	struct bufferevent	*bev;		/* owned: owns the fd */
	struct bufferevent	*peer;		/* owned: proxy's origin */
	struct event		*timer;		/* owned */
	struct host		*host;		/* borrowed: in flight */
	char			*hosthdr;	/* owned: Host, or NULL */
	enum conn_state		 state;
	bool			 head_only;	/* HEAD: no body */
	bool			 peer_up;	/* proxy: origin connected */
	bool			 tunnel;	/* proxy: CONNECT */
	struct conn		*prev, *next;
};

struct server {
	struct event_base	*base;		/* owned */
	FILE			*log;		/* owned: feat.log */
	struct port		 ports[PORT_COUNT];
	struct conn		*conns;		/* owned: list */
	struct host		*hosts;		/* owned: list */
	struct flaky		*flakies;	/* owned: list */
	int			 bh_fd;		/* owned: 127.0.0.2 listener */
	int			 bh_held[BH_FILL];	/* owned: its queue */
	int			 bh_nheld;
	struct event		*stop[3];	/* owned */
};

static _Noreturn void die(const char *);
static void	 port_open(struct server *, enum port_kind, int);
static void	 bh_make(struct server *);
static int	 bh_fill(struct server *, int);
static void	 accept_cb(struct evconnlistener *, evutil_socket_t,
		    struct sockaddr *, int, void *);
static void	 conn_free(struct conn *);
static void	 conn_done(struct conn *);
static void	 read_cb(struct bufferevent *, void *);
static void	 write_cb(struct bufferevent *, void *);
static void	 event_cb(struct bufferevent *, short, void *);
static void	 timer_cb(evutil_socket_t, short, void *);
static void	 conn_head(struct conn *, size_t);
static char	*head_field(const char *, const char *);
static struct host *host_get(struct server *, const char *);
static void	 host_release(struct conn *);
static void	 conn_route(struct conn *, const char *, const char *);
static void	 conn_route_redir(struct conn *, const char *);
static void	 conn_flaky(struct conn *, const char *);
static void	 conn_reply(struct conn *, int, const char *, const char *);
static void	 conn_redirect(struct conn *, int, const char *);
static void	 proxy_head(struct conn *, char *, const char *);
static bool	 proxy_allowed(const char *, size_t);
static bool	 proxy_connect(struct conn *, long);
static void	 peer_read_cb(struct bufferevent *, void *);
static void	 peer_event_cb(struct bufferevent *, short, void *);

/* Report and exit: the test sees no port line and fails. */
static void
die(const char *what)
{
	fprintf(stderr, "featserver: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Listen on 127.0.0.1:num (0: an ephemeral port); num -1: fail quietly. */
static void
port_open(struct server *srv, enum port_kind kind, int num)
{
	struct port		*p = &srv->ports[kind];
	struct sockaddr_in	 sin;
	socklen_t		 len;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)num);
	p->srv = srv;
	p->kind = kind;
	p->num = 0;
	p->lev = evconnlistener_new_bind(srv->base, accept_cb, p,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 1024,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (p->lev == NULL) {
		if (num != 0)
			return;
		die("listen");
	}
	len = sizeof(sin);
	if (getsockname(evconnlistener_get_fd(p->lev),
	    (struct sockaddr *)&sin, &len) == -1)
		die("getsockname");
	p->num = ntohs(sin.sin_port);
}

/*
 * The Happy Eyeballs pair: 127.0.0.2:P never accepts and drops SYNs,
 * 127.0.0.1:P serves.  ports[PORT_BH].num stays 0 when it cannot be made.
 */
static void
bh_make(struct server *srv)
{
	struct sockaddr_in	sin;
	socklen_t		len;
	int			fd, i, port;

	for (i = 0; i < BH_TRIES; i++) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
		len = sizeof(sin);
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
		    -1)
			die("socket");
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
		    listen(fd, 0) == -1 ||
		    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
			close(fd);
			return;		/* no 127.0.0.2 here */
		}
		port = ntohs(sin.sin_port);
		port_open(srv, PORT_BH, port);
		if (srv->ports[PORT_BH].lev == NULL) {
			close(fd);
			continue;
		}
		srv->bh_fd = fd;
		if (bh_fill(srv, port) == 0)
			return;
		/* It never dropped: no black hole, no pair. */
		evconnlistener_free(srv->ports[PORT_BH].lev);
		srv->ports[PORT_BH].lev = NULL;
		srv->ports[PORT_BH].num = 0;
		while (srv->bh_nheld > 0)
			close(srv->bh_held[--srv->bh_nheld]);
		close(fd);
		srv->bh_fd = -1;
		return;
	}
}

/*
 * Connect to 127.0.0.2:port until a connect does not complete: the queue
 * is full and SYNs are dropped.  0 when that was seen, -1 otherwise.
 */
static int
bh_fill(struct server *srv, int port)
{
	struct sockaddr_in	sin;
	struct pollfd		pfd;
	socklen_t		len;
	int			fd, err, n;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
	sin.sin_port = htons((unsigned short)port);
	while (srv->bh_nheld < BH_FILL) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
		if (fd == -1)
			die("socket");
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
		    errno != EINPROGRESS) {
			close(fd);
			return (-1);
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		n = poll(&pfd, 1, BH_PROBE_MS);
		if (n == 0) {
			/* Dropped: this is what the tests need.  The probe
			 * goes; the queue stays full. */
			close(fd);
			return (0);
		}
		err = 0;
		len = sizeof(err);
		if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
		    &len) == -1 || err != 0) {
			close(fd);
			return (-1);
		}
		srv->bh_held[srv->bh_nheld++] = fd;
	}
	return (-1);
}

/* A new connection. */
static void
accept_cb(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct port	*p = arg;
	struct conn	*c;

	(void)lev;
	(void)sa;
	(void)salen;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	c->srv = p->srv;
	c->port = p;
	c->state = CONN_READING;
	c->bev = bufferevent_socket_new(p->srv->base, fd,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (c->bev == NULL) {
		evutil_closesocket(fd);
		free(c);
		return;
	}
	if ((c->timer = evtimer_new(p->srv->base, timer_cb, c)) == NULL) {
		bufferevent_free(c->bev);
		free(c);
		return;
	}
	c->next = p->srv->conns;
	if (c->next != NULL)
		c->next->prev = c;
	p->srv->conns = c;
	bufferevent_setcb(c->bev, read_cb, write_cb, event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/* Unlink and free a connection; it no longer counts in flight. */
static void
conn_free(struct conn *c)
{
	host_release(c);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		c->srv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	event_free(c->timer);
	if (c->peer != NULL)
		bufferevent_free(c->peer);
	bufferevent_free(c->bev);
	free(c->hosthdr);
	free(c);
}

/* Close once what is queued has been written. */
static void
conn_done(struct conn *c)
{
	c->state = CONN_CLOSING;
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		conn_free(c);
}

/* Input: a request head while reading; relayed or discarded after it. */
static void
read_cb(struct bufferevent *bev, void *arg)
{
	struct conn		*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 end;

	if (c->state == CONN_RELAY) {
		if (c->peer_up)
			bufferevent_write_buffer(c->peer, in);
		return;
	}
	if (c->state != CONN_READING) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos == -1) {
		if (evbuffer_get_length(in) > HEAD_LIMIT)
			conn_free(c);
		return;
	}
	conn_head(c, (size_t)end.pos + 4);
}

/* Output written: close if that was the last of it. */
static void
write_cb(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	if (c->state == CONN_CLOSING &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		conn_free(c);
}

/* The client went away. */
static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		conn_free(arg);
}

/* A delayed reply is due. */
static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	(void)what;
	if (c->state == CONN_DELAYING)
		conn_reply(c, 200, NULL, NULL);
}

/* A complete head of len bytes: count, log, route. */
static void
conn_head(struct conn *c, size_t len)
{
	struct evbuffer	*in = bufferevent_get_input(c->bev);
	const char	*name = "http";
	char		*head, *sp, *target, *hostname, *q;

	if ((head = malloc(len + 1)) == NULL) {
		conn_free(c);
		return;
	}
	evbuffer_remove(in, head, len);
	head[len] = '\0';
	c->state = CONN_SILENT;
	hostname = head_field(head, "Host");
	if (c->port->kind == PORT_PROXY)
		name = "proxy";
	else {
		if (c->port->kind == PORT_BH)
			name = "bh";
		c->host = host_get(c->srv, hostname != NULL ? hostname : "");
		if (c->host != NULL && ++c->host->cur > c->host->max)
			c->host->max = c->host->cur;
	}
	fprintf(c->srv->log, "@@ port=%s host=%s inflight=%d\n", name,
	    hostname != NULL ? hostname : "", c->host != NULL ?
	    c->host->cur : 0);
	fwrite(head, 1, len, c->srv->log);
	fputs(FEAT_MARK, c->srv->log);
	fflush(c->srv->log);
	c->hosthdr = hostname;
	if ((sp = strchr(head, ' ')) == NULL) {
		conn_reply(c, 400, NULL, NULL);
		free(head);
		return;
	}
	*sp = '\0';
	c->head_only = strcmp(head, "HEAD") == 0;
	target = sp + 1;
	target[strcspn(target, " \r\n")] = '\0';
	if (c->port->kind == PORT_PROXY) {
		proxy_head(c, head, target);
		free(head);
		return;
	}
	q = strchr(target, '?');
	conn_route(c, target, q != NULL ? q + 1 : "");
	free(head);
}

/* The value of header field name in head (malloc'd), or NULL. */
static char *
head_field(const char *head, const char *name)
{
	const char	*p, *v;
	size_t		 n = strlen(name), vlen;
	char		*s;

	for (p = strstr(head, "\r\n"); p != NULL; p = strstr(p, "\r\n")) {
		p += 2;
		if (strncasecmp(p, name, n) != 0 || p[n] != ':')
			continue;
		for (v = p + n + 1; *v == ' ' || *v == '\t'; v++)
			;
		vlen = strcspn(v, "\r\n");
		while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		if ((s = malloc(vlen + 1)) == NULL)
			return (NULL);
		memcpy(s, v, vlen);
		s[vlen] = '\0';
		return (s);
	}
	return (NULL);
}

/* The counter for a Host, made on first use (NULL when out of memory). */
static struct host *
host_get(struct server *srv, const char *name)
{
	struct host	*h;

	for (h = srv->hosts; h != NULL; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return (h);
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->name = strdup(name)) == NULL) {
		free(h);
		return (NULL);
	}
	h->next = srv->hosts;
	srv->hosts = h;
	return (h);
}

/* The reply is sent (or never will be): no longer in flight. */
static void
host_release(struct conn *c)
{
	if (c->host != NULL) {
		c->host->cur--;
		c->host = NULL;
	}
}

/* Routes of the HTTP and BH ports. */
static void
conn_route(struct conn *c, const char *target, const char *query)
{
	char	*end;
	long	 n;

	if (srv_path_is(target, "/ok"))
		conn_reply(c, 200, NULL, NULL);
	else if (strncmp(target, "/status/", 8) == 0) {
		n = strtol(target + 8, &end, 10);
		conn_reply(c, n >= 100 && n <= 599 ? (int)n : 400, NULL, NULL);
	} else if (strncmp(target, "/delay/", 7) == 0) {
		struct timeval	tv;

		n = strtol(target + 7, &end, 10);
		if (n < 0 || n > 60000)
			n = 0;
		tv.tv_sec = n / 1000;
		tv.tv_usec = (n % 1000) * 1000;
		c->state = CONN_DELAYING;
		evtimer_add(c->timer, &tv);
	} else if (srv_path_is(target, "/silent"))
		c->state = CONN_SILENT;
	else if (strncmp(target, "/flaky/", 7) == 0)
		conn_flaky(c, target + 7);
	else if (srv_path_is(target, "/retry-after-long"))
		conn_reply(c, 503, "Retry-After: 120\r\n", NULL);
	else if (srv_path_is(target, "/loop"))
		conn_redirect(c, 302, "/loop");
	else if (srv_path_is(target, "/303"))
		conn_redirect(c, 303, "/ok");
	else if (srv_path_is(target, "/307"))
		conn_redirect(c, 307, "/ok");
	else if (srv_path_is(target, "/nolocation"))
		conn_reply(c, 302, NULL, NULL);
	else if (srv_path_is(target, "/goto"))
		conn_redirect(c, 302, query);
	else if (srv_path_is(target, "/weird"))
		conn_reply(c, 200, NULL,
		    "He said \"hi\", <b>&amp; 'x' \\ \xff\xfe \xc3\xa9\tz");
	else
		conn_route_redir(c, target);
}

/* /redir/abs/N and /redir/rel/N; anything else is 404. */
static void
conn_route_redir(struct conn *c, const char *target)
{
	char	 loc[512], *end;
	long	 n;

	if (strncmp(target, "/redir/abs/", 11) == 0) {
		n = strtol(target + 11, &end, 10);
		if (n <= 0) {
			conn_reply(c, 200, NULL, NULL);
			return;
		}
		snprintf(loc, sizeof(loc), "http://%s/redir/abs/%ld",
		    c->hosthdr != NULL ? c->hosthdr : "127.0.0.1", n - 1);
		conn_redirect(c, 302, loc);
		return;
	}
	if (strncmp(target, "/redir/rel/", 11) == 0) {
		n = strtol(target + 11, &end, 10);
		if (n <= 0)
			conn_reply(c, 200, NULL, NULL);
		else if (n == 1)
			conn_redirect(c, 302, "../../ok?from=rel");
		else if (n == 2)
			conn_redirect(c, 302, "1");
		else {
			snprintf(loc, sizeof(loc), "../rel/%ld", n - 1);
			conn_redirect(c, 302, loc);
		}
		return;
	}
	conn_reply(c, 404, NULL, NULL);
}

/* /flaky/KEY/N/CODE: CODE with Retry-After: 1 for the first N of KEY. */
static void
conn_flaky(struct conn *c, const char *rest)
{
	struct flaky	*f;
	const char	*slash;
	char		*end;
	size_t		 klen;
	long		 n, code;

	if ((slash = strchr(rest, '/')) == NULL) {
		conn_reply(c, 400, NULL, NULL);
		return;
	}
	klen = (size_t)(slash - rest);
	n = strtol(slash + 1, &end, 10);
	code = *end == '/' ? strtol(end + 1, &end, 10) : 0;
	if (code < 100 || code > 599) {
		conn_reply(c, 400, NULL, NULL);
		return;
	}
	for (f = c->srv->flakies; f != NULL; f = f->next)
		if (strlen(f->key) == klen && strncmp(f->key, rest, klen) == 0)
			break;
	if (f == NULL) {
		if ((f = calloc(1, sizeof(*f))) == NULL ||
		    (f->key = strndup(rest, klen)) == NULL) {
			free(f);
			conn_free(c);
			return;
		}
		f->next = c->srv->flakies;
		c->srv->flakies = f;
	}
	if (++f->count <= n)
		conn_reply(c, (int)code, "Retry-After: 1\r\n", NULL);
	else
		conn_reply(c, 200, NULL, NULL);
}

/* A complete reply (extra: header lines), then close. */
static void
conn_reply(struct conn *c, int status, const char *extra, const char *reason)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	const char	*body = status == 200 ? "ok\n" : "";

	host_release(c);
	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\n%s"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s", status, reason != NULL ? reason :
	    srv_reason(status), extra != NULL ? extra : "", strlen(body),
	    c->head_only ? "" : body);
	conn_done(c);
}

/* A redirect to loc. */
static void
conn_redirect(struct conn *c, int status, const char *loc)
{
	char	*extra;
	size_t	 len;

	len = strlen(loc) + sizeof("Location: \r\n");
	if ((extra = malloc(len)) == NULL) {
		conn_free(c);
		return;
	}
	snprintf(extra, len, "Location: %s\r\n", loc);
	conn_reply(c, status, extra, NULL);
	free(extra);
}

/*
 * The proxy: CONNECT host:port is tunnelled; METHOD http://host[:port]/...
 * is forwarded in origin form without the Proxy-* fields.  Both go to
 * 127.0.0.1:port, and only for the hosts proxy_allowed() names.
 */
static void
proxy_head(struct conn *c, char *method, const char *target)
{
	const char	*host, *colon, *path, *line, *rest;
	char		*end;
	size_t		 hlen;
	long		 port;

	if (strcmp(method, "CONNECT") == 0) {
		colon = strrchr(target, ':');
		port = colon != NULL ? strtol(colon + 1, &end, 10) : 0;
		if (colon == NULL || port <= 0 || port > 65535 ||
		    *end != '\0') {
			conn_reply(c, 400, NULL, NULL);
			return;
		}
		if (!proxy_allowed(target, (size_t)(colon - target))) {
			conn_reply(c, 403, NULL, NULL);
			return;
		}
		c->tunnel = true;
		(void)proxy_connect(c, port);
		return;
	}
	if (strncmp(target, "http://", 7) != 0) {
		conn_reply(c, 400, NULL, NULL);
		return;
	}
	host = target + 7;
	hlen = strcspn(host, "/?");
	path = host + hlen;
	colon = memchr(host, ':', hlen);
	port = 80;
	if (colon != NULL) {
		port = strtol(colon + 1, &end, 10);
		if (end != path || port <= 0 || port > 65535) {
			conn_reply(c, 400, NULL, NULL);
			return;
		}
		hlen = (size_t)(colon - host);
	}
	if (!proxy_allowed(host, hlen)) {
		conn_reply(c, 403, NULL, NULL);
		return;
	}
	if (!proxy_connect(c, port))
		return;
	/* The head is still whole after method and target: the request
	 * line's end, then the fields. */
	line = target + strlen(target) + 1;
	line += strcspn(line, "\n");
	evbuffer_add_printf(bufferevent_get_output(c->peer), "%s %s%s "
	    "HTTP/1.1\r\n", method, *path == '\0' ? "/" : "", path);
	for (rest = line + 1; *rest != '\0' && strncmp(rest, "\r\n", 2) != 0;
	    rest += strcspn(rest, "\n") + 1)
		if (strncasecmp(rest, "Proxy-", 6) != 0)
			bufferevent_write(c->peer, rest,
			    strcspn(rest, "\n") + 1);
	bufferevent_write(c->peer, "\r\n", 2);
}

/* Whether the proxy serves host (len bytes). */
static bool
proxy_allowed(const char *host, size_t len)
{
	if ((len == 9 && strncmp(host, "127.0.0.1", 9) == 0) ||
	    (len == 9 && strncasecmp(host, "localhost", 9) == 0))
		return (true);
	return (len > 5 && strncasecmp(host + len - 5, ".test", 5) == 0);
}

/* Start the connection to 127.0.0.1:port; false if it failed (replied). */
static bool
proxy_connect(struct conn *c, long port)
{
	struct sockaddr_in	sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)port);
	c->peer = bufferevent_socket_new(c->srv->base, -1,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (c->peer == NULL) {
		conn_reply(c, 502, NULL, NULL);
		return (false);
	}
	bufferevent_setcb(c->peer, peer_read_cb, NULL, peer_event_cb, c);
	bufferevent_enable(c->peer, EV_READ | EV_WRITE);
	c->state = CONN_RELAY;
	if (bufferevent_socket_connect(c->peer, (struct sockaddr *)&sin,
	    sizeof(sin)) == -1) {
		conn_reply(c, 502, NULL, NULL);
		return (false);
	}
	return (true);
}

/* Relay: bytes from the origin go to the client. */
static void
peer_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	bufferevent_write_buffer(c->bev, bufferevent_get_input(bev));
}

/* Relay: connected (CONNECT: say 200), or the origin closed or failed. */
static void
peer_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;

	if (what & BEV_EVENT_CONNECTED) {
		c->peer_up = true;
		if (c->tunnel)
			evbuffer_add_printf(bufferevent_get_output(c->bev),
			    "HTTP/1.1 200 Connection established\r\n\r\n");
		bufferevent_write_buffer(bev,
		    bufferevent_get_input(c->bev));
		return;
	}
	if (!c->peer_up) {
		conn_reply(c, 502, NULL, NULL);
		return;
	}
	bufferevent_write_buffer(c->bev, bufferevent_get_input(bev));
	conn_done(c);
}

int
main(int argc, char **argv)
{
	struct server	 srv;
	struct timeval	 tv;
	struct host	*h;
	struct flaky	*f;
	char		 path[PATH_MAX], *end;
	long		 lifetime;
	int		 i;

	if (argc != 3) {
		fprintf(stderr, "usage: featserver DIR LIFETIME_SEC\n");
		return (2);
	}
	errno = 0;
	lifetime = strtol(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || lifetime <= 0 || lifetime > 3600) {
		fprintf(stderr, "featserver: bad lifetime %s\n", argv[2]);
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&srv, 0, sizeof(srv));
	srv.bh_fd = -1;
	if ((srv.base = event_base_new()) == NULL)
		die("event_base_new");
	snprintf(path, sizeof(path), "%s/feat.log", argv[1]);
	if ((srv.log = fopen(path, "a")) == NULL)
		die(path);
	port_open(&srv, PORT_HTTP, 0);
	port_open(&srv, PORT_PROXY, 0);
	bh_make(&srv);
	srv.stop[0] = evtimer_new(srv.base, srv_stop_cb, srv.base);
	srv.stop[1] = evsignal_new(srv.base, SIGTERM, srv_stop_cb, srv.base);
	srv.stop[2] = evsignal_new(srv.base, SIGINT, srv_stop_cb, srv.base);
	tv.tv_sec = lifetime;
	tv.tv_usec = 0;
	if (srv.stop[0] == NULL || srv.stop[1] == NULL || srv.stop[2] == NULL ||
	    evtimer_add(srv.stop[0], &tv) == -1 ||
	    evsignal_add(srv.stop[1], NULL) == -1 ||
	    evsignal_add(srv.stop[2], NULL) == -1)
		die("events");
	printf("HTTP=%d PROXY=%d BH=%d\n", srv.ports[PORT_HTTP].num,
	    srv.ports[PORT_PROXY].num, srv.ports[PORT_BH].num);
	if (fflush(stdout) != 0)
		die("stdout");
	event_base_dispatch(srv.base);
	while (srv.conns != NULL)
		conn_free(srv.conns);
	for (i = 0; i < PORT_COUNT; i++)
		if (srv.ports[i].lev != NULL)
			evconnlistener_free(srv.ports[i].lev);
	while (srv.bh_nheld > 0)
		close(srv.bh_held[--srv.bh_nheld]);
	if (srv.bh_fd != -1)
		close(srv.bh_fd);
	while ((h = srv.hosts) != NULL) {
		srv.hosts = h->next;
		free(h->name);
		free(h);
	}
	while ((f = srv.flakies) != NULL) {
		srv.flakies = f->next;
		free(f->key);
		free(f);
	}
	for (i = 0; i < 3; i++)
		event_free(srv.stop[i]);
	event_base_free(srv.base);
	fclose(srv.log);
	return (0);
}
