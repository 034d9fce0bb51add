/*
 * Test server for the integration tests: plain HTTP and TLS on loopback,
 * misbehaving on request.  Usage: testserver DIR LIFETIME_SEC.
 *
 * At start it makes a throwaway CA and leaf certificates, writes DIR/ca.pem
 * and DIR/certs.txt ("NAME NOT_AFTER" lines), listens on ephemeral ports of
 * 127.0.0.1 and prints one line:
 *   PLAIN=p TLS=p EXPIRED=p WRONGNAME=p SELFSIGNED=p STALLTLS=p
 * Every request head received is appended to DIR/requests.log, followed by
 * the line TESTSERVER_MARK.  The server exits 0 after LIFETIME_SEC, or at
 * SIGTERM or SIGINT.
 *
 * Paths: /ok, /status/NNN, /delay/MS, /silent, /close, /garbage, /interim,
 * /noreason, /http10, /weirdreason, /huge, /drip, /endless, /reset,
 * /halfline, /partialhead, /redirect/N (302 to N-1; 0: 200),
 * /redir/NNN/TARGET (NNN, Location TARGET or /TARGET), /retry-after/N (503
 * with Retry-After: N); anything else is 404.  CONNECT host:port relays
 * to 127.0.0.1:port.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "srvutil.h"

#define TESTSERVER_MARK		"#### end of request ####\n"
#define HEAD_LIMIT		(64 * 1024)	/* larger heads: hang up */
#define DAY			(24L * 60 * 60)
#define DRIP_MS			200
#define ENDLESS_MS		10
#define ENDLESS_BACKLOG		(256 * 1024)	/* unread output kept */
#define HUGE_HEAD		(70 * 1024)
#define RESET_MS		20

enum conn_state {
	CONN_READING,		/* waiting for the request head */
	CONN_SILENT,		/* read and discard, never answer */
	CONN_DELAYING,		/* timer, then 200 */
	CONN_DRIPPING,		/* status line byte by byte */
	CONN_ENDLESS,		/* header lines forever */
	CONN_CLOSING,		/* close once the output is written */
	CONN_RESETTING,		/* RST once the output is written */
	CONN_TUNNEL,		/* CONNECT: relay to and from c->peer */
};

enum port_kind {
	PORT_PLAIN,
	PORT_TLS,
	PORT_EXPIRED,
	PORT_WRONGNAME,
	PORT_SELFSIGNED,
	PORT_STALLTLS,
	PORT_COUNT,
};

struct server;

struct port {
	struct server		*srv;		/* borrowed */
	enum port_kind		 kind;
	SSL_CTX			*ctx;		/* owned, NULL for plain */
	struct evconnlistener	*lev;		/* owned */
	int			 num;		/* the port number */
};

struct conn {
	struct server		*srv;		/* borrowed */
	struct port		*port;		/* borrowed */
	struct bufferevent	*bev;		/* owned: owns fd and SSL */
	struct event		*timer;		/* owned */
	struct bufferevent	*peer;		/* owned: CONNECT target */
	bool			 peer_up;	/* connected, 200 sent */
	enum conn_state		 state;
	bool			 head_only;	/* HEAD request: no body */
	size_t			 pos;		/* drip offset, endless count */
	struct conn		*prev, *next;	/* the server's list */
};

struct server {
	struct event_base	*base;		/* owned */
	FILE			*log;		/* owned: requests.log */
	struct port		 ports[PORT_COUNT];
	struct conn		*conns;		/* owned: list */
	struct event		*stop[3];	/* owned: lifetime, signals */
};

/* A leaf certificate to make. */
struct leaf {
	const char	*name;
	const char	*san;
	long		 from_days;	/* notBefore, from now */
	long		 to_days;	/* notAfter, from now */
	bool		 self_signed;
};

static const struct leaf leaves[] = {
	{ "good", "DNS:localhost,DNS:good.test,IP:127.0.0.1,IP:::1",
	    -1, 30, false },
	{ "expired", "DNS:localhost,DNS:good.test,IP:127.0.0.1,IP:::1",
	    -60, -30, false },
	{ "wrongname", "DNS:other.test", -1, 30, false },
	{ "selfsigned", "DNS:localhost,DNS:good.test,IP:127.0.0.1,IP:::1",
	    -1, 30, true },
};

static const char drip_line[] = "HTTP/1.1 200 OK\r\n";
static const char drip_rest[] =
    "Content-Length: 0\r\nConnection: close\r\n\r\n";

static _Noreturn void die(const char *);
static _Noreturn void die_ssl(const char *);
static EVP_PKEY	*key_new(void);
static void	 cert_ext(X509 *, X509 *, int, const char *);
static X509	*cert_new(EVP_PKEY *, const char *, X509 *, EVP_PKEY *,
		    long, long, time_t);
static void	 cert_date(FILE *, const char *, long, time_t);
static SSL_CTX	*ctx_new(X509 *, EVP_PKEY *);
static void	 pki_make(struct server *, const char *);
static void	 port_open(struct server *, enum port_kind);
static void	 accept_cb(struct evconnlistener *, evutil_socket_t,
		    struct sockaddr *, int, void *);
static void	 conn_free(struct conn *);
static void	 read_cb(struct bufferevent *, void *);
static void	 write_cb(struct bufferevent *, void *);
static void	 event_cb(struct bufferevent *, short, void *);
static void	 timer_cb(evutil_socket_t, short, void *);
static void	 conn_head(struct conn *, size_t);
static void	 conn_tunnel(struct conn *, const char *);
static void	 peer_read_cb(struct bufferevent *, void *);
static void	 peer_event_cb(struct bufferevent *, short, void *);
static void	 conn_route(struct conn *, const char *, const char *);
static void	 conn_route_more(struct conn *, const char *, const char *);
static void	 conn_reply(struct conn *, int, const char *);
static void	 conn_redirect(struct conn *, int, const char *);
static void	 conn_send(struct conn *, const char *, enum conn_state);
static void	 conn_later(struct conn *, enum conn_state, long);
static void	 conn_huge(struct conn *);
static void	 conn_endless(struct conn *);
static void	 conn_reset(struct conn *);

/* Report and exit: the test sees no port line and fails. */
static void
die(const char *what)
{
	fprintf(stderr, "testserver: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Report an OpenSSL failure with its queue and exit. */
static void
die_ssl(const char *what)
{
	fprintf(stderr, "testserver: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* An EC P-256 key: quick to make. */
static EVP_PKEY *
key_new(void)
{
	EVP_PKEY	*k;

	if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL)
		die_ssl("EC key");
	return (k);
}

/* Add one X509v3 extension in OpenSSL's config syntax. */
static void
cert_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		die_ssl(value);
	if (!X509_add_ext(x, ext, -1))
		die_ssl("X509_add_ext");
	X509_EXTENSION_free(ext);
}

/*
 * A certificate for key k named cn; issuer NULL: self-signed.  san NULL
 * makes a CA.  Validity runs from now + from_days to now + to_days.
 */
static X509 *
cert_new(EVP_PKEY *k, const char *san, X509 *issuer, EVP_PKEY *ikey,
    long from_days, long to_days, time_t now)
{
	X509		*x;
	X509_NAME	*name;
	BIGNUM		*bn;
	unsigned char	 serial[16];
	static int	 n;
	char		 cn[64];

	if ((x = X509_new()) == NULL || (bn = BN_new()) == NULL)
		die_ssl("X509_new");
	if (RAND_bytes(serial, sizeof(serial)) != 1)
		die_ssl("RAND_bytes");
	serial[0] &= 0x7f;
	if (BN_bin2bn(serial, sizeof(serial), bn) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		die_ssl("serial");
	BN_free(bn);
	snprintf(cn, sizeof(cn), "httpstat-async test %d", n++);
	name = X509_get_subject_name(x);
	if (!X509_set_version(x, X509_VERSION_3) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0) ||
	    X509_time_adj_ex(X509_getm_notBefore(x), from_days, 0,
	    &now) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), to_days, 0, &now) == NULL ||
	    !X509_set_pubkey(x, k) ||
	    !X509_set_issuer_name(x, X509_get_subject_name(issuer != NULL ?
	    issuer : x)))
		die_ssl("certificate fields");
	if (issuer == NULL)
		issuer = x;
	cert_ext(x, issuer, NID_subject_key_identifier, "hash");
	if (san == NULL) {
		cert_ext(x, issuer, NID_basic_constraints, "critical,CA:TRUE");
		cert_ext(x, issuer, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	} else {
		cert_ext(x, issuer, NID_basic_constraints, "CA:FALSE");
		cert_ext(x, issuer, NID_key_usage, "digitalSignature");
		cert_ext(x, issuer, NID_ext_key_usage, "serverAuth");
		cert_ext(x, issuer, NID_subject_alt_name, san);
		if (issuer != x)
			cert_ext(x, issuer, NID_authority_key_identifier,
			    "keyid:always");
	}
	if (!X509_sign(x, ikey != NULL ? ikey : k, EVP_sha256()))
		die_ssl("X509_sign");
	return (x);
}

/* One certs.txt line: the name and notAfter as the JSON shows it. */
static void
cert_date(FILE *f, const char *name, long days, time_t now)
{
	struct tm	tm;
	time_t		t;
	char		buf[32];

	t = now + days * DAY;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		die("gmtime");
	fprintf(f, "%s %s\n", name, buf);
}

/* A server context presenting cert x with key k. */
static SSL_CTX *
ctx_new(X509 *x, EVP_PKEY *k)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_use_certificate(ctx, x) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, k) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		die_ssl("SSL_CTX");
	return (ctx);
}

/* The CA, ca.pem, certs.txt and one context per TLS port. */
static void
pki_make(struct server *srv, const char *dir)
{
	static const enum port_kind kinds[] = {
		PORT_TLS, PORT_EXPIRED, PORT_WRONGNAME, PORT_SELFSIGNED,
	};
	EVP_PKEY	*cakey, *k;
	X509		*ca, *x;
	FILE		*f, *dates;
	char		 path[PATH_MAX];
	time_t		 now;
	size_t		 i;

	now = time(NULL);
	cakey = key_new();
	ca = cert_new(cakey, NULL, NULL, NULL, -1, 3650, now);
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	if ((f = fopen(path, "w")) == NULL)
		die(path);
	if (!PEM_write_X509(f, ca))
		die_ssl("PEM_write_X509");
	if (fclose(f) != 0)
		die(path);
	snprintf(path, sizeof(path), "%s/certs.txt", dir);
	if ((dates = fopen(path, "w")) == NULL)
		die(path);
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		k = key_new();
		x = cert_new(k, leaves[i].san,
		    leaves[i].self_signed ? NULL : ca,
		    leaves[i].self_signed ? NULL : cakey,
		    leaves[i].from_days, leaves[i].to_days, now);
		srv->ports[kinds[i]].ctx = ctx_new(x, k);
		cert_date(dates, leaves[i].name, leaves[i].to_days, now);
		X509_free(x);
		EVP_PKEY_free(k);
	}
	if (fclose(dates) != 0)
		die(path);
	X509_free(ca);
	EVP_PKEY_free(cakey);
}

/* Listen on an ephemeral port of 127.0.0.1. */
static void
port_open(struct server *srv, enum port_kind kind)
{
	struct port		*p = &srv->ports[kind];
	struct sockaddr_in	 sin;
	socklen_t		 len;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->srv = srv;
	p->kind = kind;
	p->lev = evconnlistener_new_bind(srv->base, accept_cb, p,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    1024, (struct sockaddr *)&sin, sizeof(sin));
	if (p->lev == NULL)
		die("listen");
	len = sizeof(sin);
	if (getsockname(evconnlistener_get_fd(p->lev),
	    (struct sockaddr *)&sin, &len) == -1)
		die("getsockname");
	p->num = ntohs(sin.sin_port);
}

/* A new connection: TLS ports wrap it, the stall port only swallows. */
static void
accept_cb(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct port	*p = arg;
	struct conn	*c;
	SSL		*ssl;
	int		 flags;

	(void)lev;
	(void)sa;
	(void)salen;
	flags = BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	c->srv = p->srv;
	c->port = p;
	c->state = p->kind == PORT_STALLTLS ? CONN_SILENT : CONN_READING;
	if (p->ctx != NULL) {
		if ((ssl = SSL_new(p->ctx)) == NULL) {
			evutil_closesocket(fd);
			free(c);
			return;
		}
		c->bev = bufferevent_openssl_socket_new(p->srv->base, fd, ssl,
		    BUFFEREVENT_SSL_ACCEPTING, flags);
		if (c->bev != NULL)
			bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	} else
		c->bev = bufferevent_socket_new(p->srv->base, fd, flags);
	if (c->bev == NULL) {
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

/* Unlink and free a connection; closes its socket. */
static void
conn_free(struct conn *c)
{
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
	free(c);
}

/* Input: a request head while reading, discarded after it. */
static void
read_cb(struct bufferevent *bev, void *arg)
{
	struct conn		*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 end;

	if (c->state == CONN_TUNNEL) {
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

/* Output written: finish what the state asks for. */
static void
write_cb(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	if (evbuffer_get_length(bufferevent_get_output(bev)) != 0)
		return;
	if (c->state == CONN_CLOSING) {
		if (c->port->ctx != NULL)
			(void)SSL_shutdown(bufferevent_openssl_get_ssl(bev));
		conn_free(c);
	} else if (c->state == CONN_RESETTING)
		conn_later(c, CONN_RESETTING, RESET_MS);
}

/* The peer went away, or the handshake failed. */
static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;

	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		conn_free(c);
}

/* Time for the next step of a slow reply. */
static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;
	struct evbuffer	*out = bufferevent_get_output(c->bev);

	(void)fd;
	(void)what;
	switch (c->state) {
	case CONN_DELAYING:
		conn_reply(c, 200, NULL);
		break;
	case CONN_DRIPPING:
		if (c->pos < sizeof(drip_line) - 1) {
			bufferevent_write(c->bev, &drip_line[c->pos++], 1);
			conn_later(c, CONN_DRIPPING, DRIP_MS);
		} else
			conn_send(c, drip_rest, CONN_CLOSING);
		break;
	case CONN_ENDLESS:
		if (evbuffer_get_length(out) < ENDLESS_BACKLOG)
			conn_endless(c);
		conn_later(c, CONN_ENDLESS, ENDLESS_MS);
		break;
	case CONN_RESETTING:
		conn_reset(c);
		break;
	case CONN_READING:
	case CONN_SILENT:
	case CONN_CLOSING:
	case CONN_TUNNEL:
		break;
	}
}

/* A complete head of len bytes: log it, parse the request line, route. */
static void
conn_head(struct conn *c, size_t len)
{
	struct evbuffer	*in = bufferevent_get_input(c->bev);
	char		*head, *sp, *target, *q;

	if ((head = malloc(len + 1)) == NULL) {
		conn_free(c);
		return;
	}
	evbuffer_remove(in, head, len);
	head[len] = '\0';
	fwrite(head, 1, len, c->srv->log);
	fputs(TESTSERVER_MARK, c->srv->log);
	fflush(c->srv->log);
	evbuffer_drain(in, evbuffer_get_length(in));
	c->state = CONN_SILENT;
	if ((sp = strchr(head, ' ')) == NULL) {
		conn_reply(c, 400, NULL);
		free(head);
		return;
	}
	*sp = '\0';
	c->head_only = strcmp(head, "HEAD") == 0;
	target = sp + 1;
	target[strcspn(target, " \r\n")] = '\0';
	if (strcmp(head, "CONNECT") == 0) {
		conn_tunnel(c, target);
		free(head);
		return;
	}
	/* Absolute form, as sent to a proxy: keep the path. */
	if (strncmp(target, "http://", 7) == 0 ||
	    strncmp(target, "https://", 8) == 0) {
		target = strstr(target, "://") + 3;
		target += strcspn(target, "/");
	}
	q = strchr(target, '?');
	conn_route(c, target, q != NULL ? q + 1 : "");
	free(head);
}

/*
 * CONNECT host:port, as a proxy sees it: whatever the host, relay to
 * 127.0.0.1:port (tests talk to loopback only).
 */
static void
conn_tunnel(struct conn *c, const char *target)
{
	struct sockaddr_in	 sin;
	const char		*colon;
	char			*end;
	long			 port;

	if ((colon = strrchr(target, ':')) == NULL ||
	    (port = strtol(colon + 1, &end, 10)) <= 0 || port > 65535 ||
	    *end != '\0') {
		conn_reply(c, 400, NULL);
		return;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)port);
	c->peer = bufferevent_socket_new(c->srv->base, -1,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (c->peer == NULL) {
		conn_reply(c, 502, NULL);
		return;
	}
	bufferevent_setcb(c->peer, peer_read_cb, NULL, peer_event_cb, c);
	c->state = CONN_TUNNEL;
	if (bufferevent_socket_connect(c->peer, (struct sockaddr *)&sin,
	    sizeof(sin)) == -1)
		conn_reply(c, 502, NULL);
}

/* Tunnel: bytes from the target go to the client. */
static void
peer_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	bufferevent_write_buffer(c->bev, bufferevent_get_input(bev));
}

/* Tunnel: connected (say 200), or closed or failed (hang up). */
static void
peer_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;

	if (what & BEV_EVENT_CONNECTED) {
		c->peer_up = true;
		bufferevent_enable(bev, EV_READ | EV_WRITE);
		evbuffer_add_printf(bufferevent_get_output(c->bev),
		    "HTTP/1.1 200 Connection established\r\n\r\n");
		return;
	}
	if (!c->peer_up)
		conn_reply(c, 502, NULL);
	else if (evbuffer_get_length(bufferevent_get_output(c->bev)) != 0)
		c->state = CONN_CLOSING;	/* write_cb closes */
	else
		conn_free(c);
}

/* Routes with a number in the path; the rest go on. */
static void
conn_route(struct conn *c, const char *target, const char *query)
{
	char	*end;
	long	 n;

	if (strncmp(target, "/status/", 8) == 0) {
		n = strtol(target + 8, &end, 10);
		conn_reply(c, n >= 100 && n <= 999 ? (int)n : 400, NULL);
	} else if (strncmp(target, "/delay/", 7) == 0) {
		n = strtol(target + 7, &end, 10);
		conn_later(c, CONN_DELAYING, n < 0 || n > 60000 ? 0 : n);
	} else if (strncmp(target, "/retry-after/", 13) == 0) {
		char	extra[64];

		n = strtol(target + 13, &end, 10);
		snprintf(extra, sizeof(extra), "Retry-After: %ld\r\n", n);
		conn_reply(c, 503, extra);
	} else if (strncmp(target, "/redirect/", 10) == 0) {
		n = strtol(target + 10, &end, 10);
		if (n <= 0)
			conn_reply(c, 200, NULL);
		else {
			char	loc[64];

			snprintf(loc, sizeof(loc), "/redirect/%ld", n - 1);
			conn_redirect(c, 302, loc);
		}
	} else if (strncmp(target, "/redir/", 7) == 0) {
		/* /redir/NNN/TARGET: Location TARGET, or /TARGET. */
		n = strtol(target + 7, &end, 10);
		if (*end != '/')
			conn_reply(c, 400, NULL);
		else if (strstr(end, "://") != NULL)
			conn_redirect(c, (int)n, end + 1);
		else
			conn_redirect(c, (int)n, end);
	} else
		conn_route_more(c, target, query);
}

/* Routes that answer or misbehave in a fixed way (query ignored). */
static void
conn_route_more(struct conn *c, const char *target, const char *query)
{
	(void)query;
	if (srv_path_is(target, "/ok"))
		conn_reply(c, 200, NULL);
	else if (srv_path_is(target, "/silent"))
		c->state = CONN_SILENT;
	else if (srv_path_is(target, "/close"))
		conn_free(c);
	else if (srv_path_is(target, "/garbage"))
		conn_send(c, "SSH-2.0-OpenSSH_9.0\r\n", CONN_CLOSING);
	else if (srv_path_is(target, "/interim"))
		conn_send(c, "HTTP/1.1 100 Continue\r\n\r\n"
		    "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
		    "HTTP/1.1 204 No Content\r\n\r\n", CONN_CLOSING);
	else if (srv_path_is(target, "/noreason"))
		conn_send(c, "HTTP/1.1 200\r\n\r\n", CONN_CLOSING);
	else if (srv_path_is(target, "/http10"))
		conn_send(c, "HTTP/1.0 200 OK\r\n\r\n", CONN_CLOSING);
	else if (srv_path_is(target, "/weirdreason"))
		conn_send(c, "HTTP/1.1 200 A \"q\" \\ \xff\xfe\tz\r\n"
		    "Content-Length: 0\r\n\r\n", CONN_CLOSING);
	else if (srv_path_is(target, "/huge"))
		conn_huge(c);
	else if (srv_path_is(target, "/drip"))
		conn_later(c, CONN_DRIPPING, DRIP_MS);
	else if (srv_path_is(target, "/endless")) {
		conn_send(c, "HTTP/1.1 200 OK\r\n", CONN_ENDLESS);
		conn_later(c, CONN_ENDLESS, ENDLESS_MS);
	} else if (srv_path_is(target, "/reset"))
		conn_send(c, "HTTP/1.1 2", CONN_RESETTING);
	else if (srv_path_is(target, "/halfline"))
		conn_send(c, "HTTP/1.1 2", CONN_CLOSING);
	else if (srv_path_is(target, "/partialhead"))
		conn_send(c, "HTTP/1.1 200 OK\r\nServer: testserver\r\n",
		    CONN_CLOSING);
	else
		conn_reply(c, 404, NULL);
}

/* A complete reply with a small body (none for HEAD), then close. */
static void
conn_reply(struct conn *c, int status, const char *extra)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	const char	*body = status == 200 ? "ok\n" : "";

	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\n%s"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s", status, srv_reason(status),
	    extra != NULL ? extra : "", strlen(body), c->head_only ? "" : body);
	c->state = CONN_CLOSING;
}

/* A redirect to loc with the given status. */
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
	conn_reply(c, status, extra);
	free(extra);
}

/* Queue s, then do what next says once it is written. */
static void
conn_send(struct conn *c, const char *s, enum conn_state next)
{
	c->state = next;
	bufferevent_write(c->bev, s, strlen(s));
}

/* Enter state s and come back in ms milliseconds. */
static void
conn_later(struct conn *c, enum conn_state s, long ms)
{
	struct timeval	tv;

	c->state = s;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->timer, &tv);
}

/* A head of HUGE_HEAD bytes of headers. */
static void
conn_huge(struct conn *c)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	char		 pad[101];
	int		 i;

	memset(pad, 'h', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\n");
	for (i = 0; evbuffer_get_length(out) < HUGE_HEAD; i++)
		evbuffer_add_printf(out, "X-Huge-%04d: %s\r\n", i, pad);
	evbuffer_add_printf(out, "\r\n");
	c->state = CONN_CLOSING;
}

/* One more header line of about 1 KiB. */
static void
conn_endless(struct conn *c)
{
	char	pad[1001];

	memset(pad, 'e', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	evbuffer_add_printf(bufferevent_get_output(c->bev),
	    "X-Endless-%06zu: %s\r\n", c->pos++, pad);
}

/* Abortive close: SO_LINGER 0 makes close() send a RST. */
static void
conn_reset(struct conn *c)
{
	struct linger	l;

	l.l_onoff = 1;
	l.l_linger = 0;
	(void)setsockopt(bufferevent_getfd(c->bev), SOL_SOCKET, SO_LINGER,
	    &l, sizeof(l));
	conn_free(c);
}

int
main(int argc, char **argv)
{
	struct server	 srv;
	struct timeval	 tv;
	char		 path[PATH_MAX], *end;
	long		 lifetime;
	int		 i;

	if (argc != 3) {
		fprintf(stderr, "usage: testserver DIR LIFETIME_SEC\n");
		return (2);
	}
	errno = 0;
	lifetime = strtol(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || lifetime <= 0 || lifetime > 3600) {
		fprintf(stderr, "testserver: bad lifetime %s\n", argv[2]);
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&srv, 0, sizeof(srv));
	if ((srv.base = event_base_new()) == NULL)
		die("event_base_new");
	snprintf(path, sizeof(path), "%s/requests.log", argv[1]);
	if ((srv.log = fopen(path, "a")) == NULL)
		die(path);
	pki_make(&srv, argv[1]);
	for (i = 0; i < PORT_COUNT; i++)
		port_open(&srv, (enum port_kind)i);
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
	printf("PLAIN=%d TLS=%d EXPIRED=%d WRONGNAME=%d SELFSIGNED=%d "
	    "STALLTLS=%d\n", srv.ports[PORT_PLAIN].num,
	    srv.ports[PORT_TLS].num, srv.ports[PORT_EXPIRED].num,
	    srv.ports[PORT_WRONGNAME].num, srv.ports[PORT_SELFSIGNED].num,
	    srv.ports[PORT_STALLTLS].num);
	if (fflush(stdout) != 0)
		die("stdout");
	event_base_dispatch(srv.base);
	while (srv.conns != NULL)
		conn_free(srv.conns);
	for (i = 0; i < PORT_COUNT; i++) {
		evconnlistener_free(srv.ports[i].lev);
		SSL_CTX_free(srv.ports[i].ctx);
	}
	for (i = 0; i < 3; i++)
		event_free(srv.stop[i]);
	event_base_free(srv.base);
	fclose(srv.log);
	return (0);
}
