/*
 * Fake DNS server for the integration tests, UDP on 127.0.0.1.
 * Usage: fakedns LIFETIME_SEC [LOGFILE].  Prints "DNS=port", then answers:
 *   ok.test, good.test and names under them: A 127.0.0.1 (AAAA: no data)
 *   servfail.test and names under it: SERVFAIL
 *   silent.test and names under it: no answer at all
 *   nx.test, names under it and anything else: NXDOMAIN
 * Each question is appended to LOGFILE as "NAME TYPE", NAME in lower
 * case.  Exits 0 after LIFETIME_SEC, or at SIGTERM or SIGINT.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/dns_struct.h>
#include <event2/event.h>

#define FAKEDNS_TTL	60

enum answer {
	ANSWER_LOCAL,
	ANSWER_NXDOMAIN,
	ANSWER_SERVFAIL,
	ANSWER_SILENT,
};

struct fakedns {
	struct event_base	*base;		/* owned */
	FILE			*log;		/* owned or NULL */
};

static _Noreturn void	 die(const char *);
static bool		 name_under(const char *, const char *);
static enum answer	 classify(const char *);
static void		 log_question(FILE *, const char *, int);
static void		 dns_cb(struct evdns_server_request *, void *);
static void		 stop_cb(evutil_socket_t, short, void *);

/* Report and exit: the test sees no port line and fails. */
static void
die(const char *what)
{
	fprintf(stderr, "fakedns: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Whether name is zone or a name under it, ignoring case and a final dot. */
static bool
name_under(const char *name, const char *zone)
{
	size_t	n = strlen(name), z = strlen(zone);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == z)
		return (strncasecmp(name, zone, z) == 0);
	return (n > z && name[n - z - 1] == '.' &&
	    strncasecmp(name + n - z, zone, z) == 0);
}

/* What to answer for a name. */
static enum answer
classify(const char *name)
{
	if (name_under(name, "ok.test") || name_under(name, "good.test"))
		return (ANSWER_LOCAL);
	if (name_under(name, "servfail.test"))
		return (ANSWER_SERVFAIL);
	if (name_under(name, "silent.test"))
		return (ANSWER_SILENT);
	return (ANSWER_NXDOMAIN);
}

/*
 * One line per question, the name in lower case: evdns clients randomize
 * the case of the names they ask (the "0x20" trick).
 */
static void
log_question(FILE *f, const char *name, int type)
{
	for (; *name != '\0'; name++)
		fputc(tolower((unsigned char)*name), f);
	fprintf(f, " %d\n", type);
	fflush(f);
}

/* One query: log its questions and answer by the first one's name. */
static void
dns_cb(struct evdns_server_request *req, void *arg)
{
	struct fakedns	*d = arg;
	struct in_addr	 lo;
	char		 name[256];
	int		 i, type;

	if (req->nquestions < 1) {
		evdns_server_request_respond(req, DNS_ERR_FORMAT);
		return;
	}
	for (i = 0; i < req->nquestions && d->log != NULL; i++)
		log_question(d->log, req->questions[i]->name,
		    req->questions[i]->type);
	snprintf(name, sizeof(name), "%s", req->questions[0]->name);
	type = req->questions[0]->type;
	switch (classify(name)) {
	case ANSWER_LOCAL:
		lo.s_addr = htonl(INADDR_LOOPBACK);
		if (type == EVDNS_TYPE_A)
			evdns_server_request_add_a_reply(req, name, 1, &lo,
			    FAKEDNS_TTL);
		evdns_server_request_respond(req, DNS_ERR_NONE);
		break;
	case ANSWER_NXDOMAIN:
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
		break;
	case ANSWER_SERVFAIL:
		evdns_server_request_respond(req, DNS_ERR_SERVERFAILED);
		break;
	case ANSWER_SILENT:
		evdns_server_request_drop(req);
		break;
	}
}

/* Lifetime over or signalled: leave the loop. */
static void
stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fakedns	*d = arg;

	(void)fd;
	(void)what;
	event_base_loopbreak(d->base);
}

int
main(int argc, char **argv)
{
	struct fakedns			 d;
	struct evdns_server_port	*port;
	struct event			*stop[3];
	struct sockaddr_in		 sin;
	struct timeval			 tv;
	socklen_t			 len;
	char				*end;
	long				 lifetime;
	int				 fd, i;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: fakedns LIFETIME_SEC [LOGFILE]\n");
		return (2);
	}
	errno = 0;
	lifetime = strtol(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || lifetime <= 0 || lifetime > 3600) {
		fprintf(stderr, "fakedns: bad lifetime %s\n", argv[1]);
		return (2);
	}
	memset(&d, 0, sizeof(d));
	if (argc == 3 && (d.log = fopen(argv[2], "a")) == NULL)
		die(argv[2]);
	if ((d.base = event_base_new()) == NULL)
		die("event_base_new");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	len = sizeof(sin);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1 ||
	    evutil_make_socket_nonblocking(fd) == -1)
		die("socket");
	port = evdns_add_server_port_with_base(d.base, fd, 0, dns_cb, &d);
	stop[0] = evtimer_new(d.base, stop_cb, &d);
	stop[1] = evsignal_new(d.base, SIGTERM, stop_cb, &d);
	stop[2] = evsignal_new(d.base, SIGINT, stop_cb, &d);
	tv.tv_sec = lifetime;
	tv.tv_usec = 0;
	if (port == NULL || stop[0] == NULL || stop[1] == NULL ||
	    stop[2] == NULL || evtimer_add(stop[0], &tv) == -1 ||
	    evsignal_add(stop[1], NULL) == -1 ||
	    evsignal_add(stop[2], NULL) == -1)
		die("events");
	printf("DNS=%d\n", ntohs(sin.sin_port));
	if (fflush(stdout) != 0)
		die("stdout");
	event_base_dispatch(d.base);
	evdns_close_server_port(port);
	for (i = 0; i < 3; i++)
		event_free(stop[i]);
	event_base_free(d.base);
	if (d.log != NULL)
		fclose(d.log);
	return (0);
}
