/*
 * Integration test harness: local servers, runs of the real binary with
 * captured output, and a small reader for our compact JSONL.
 *
 * Everything the harness hands out (strings, runs) lives until
 * h_teardown(); tests never free.  Every process it starts is bounded in
 * time and is killed at teardown.
 */
#ifndef HTTPSTAT_HARNESS_H
#define HTTPSTAT_HARNESS_H

#include <sys/types.h>

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define H_RUN_TIMEOUT	60.0	/* seconds before a run is killed */
#define H_SERVER_LIFE	300	/* seconds a server lives at most */
#define H_MARK		"#### end of request ####\n"	/* testserver */

#define JNULL		LONG_MIN	/* jint(): the value is null */
#define JMISSING	(LONG_MIN + 1)	/* jint(): no such field */
#define JNOTINT		(LONG_MIN + 2)	/* jint(): not an integer */

/* The ports testserver printed. */
struct h_server {
	pid_t	 pid;
	int	 plain;
	int	 tls;
	int	 expired;
	int	 wrongname;
	int	 selfsigned;
	int	 stalltls;
};

/* The port fakedns printed; its questions go to h_path("dns.log"). */
struct h_dns {
	pid_t	 pid;
	int	 port;
};

/* How to run the binary; all zero: no stdin, default timeout. */
struct h_opts {
	const char	 *in;		/* stdin content, NULL: /dev/null */
	size_t		  inlen;	/* 0: strlen(in) */
	bool		  in_hold;	/* keep stdin open after writing */
	bool		  in_tty;	/* stdin is a terminal (a pty) */
	double		  timeout;	/* 0: H_RUN_TIMEOUT */
	bool		(*trigger)(void *);	/* polled; true: send sig */
	void		 *arg;		/* for trigger */
	int		  sig;		/* sent once trigger is true */
	size_t		  close_out_after;	/* close stdout after N lines */
	const char	**env;		/* extra NAME=value, NULL-ended */
};

/* One run of the binary. */
struct h_run {
	int	 code;		/* exit status, or 128 + signal */
	bool	 signaled;
	int	 sig;		/* the signal that ended it */
	bool	 timed_out;	/* killed by the harness */
	bool	 fired;		/* trigger was true, sig sent */
	char	*out;		/* stdout, NUL-terminated */
	size_t	 outlen;
	char	*err;		/* stderr, NUL-terminated */
	size_t	 errlen;
	char	**lines;	/* stdout lines without '\n' */
	size_t	 nlines;
};

void		 h_setup(void);
void		 h_teardown(void);
const char	*h_dir(void);
char		*h_path(const char *);
char		*h_strf(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
char		*h_write(const char *, const char *);
char		*h_slurp(const char *);
size_t		 h_count(const char *, const char *);
size_t		 h_lines_count(const char *);
int		 h_free_port(void);
int		 h_blackhole_port(void);
bool		 h_after_ms(void *);

const struct h_server *h_server(void);
const struct h_dns *h_dns(void);
char		*h_certdate(const char *);
const char	*h_requests(void);
size_t		 h_nrequests(void);
const char	*h_request(size_t);
bool		 h_requests_at_least(void *);

struct h_run	*h_runv(const struct h_opts *, const char *const *);
struct h_run	*h_run(const char *, ...)
		    __attribute__((sentinel));

const char	*jfind(const char *, const char *);
const char	*jstr(const char *, const char *);
long		 jint(const char *, const char *);
bool		 jnull(const char *, const char *);
long		 jlen(const char *, const char *);
const char	*jerrkind(const char *);
bool		 jvalid(const char *);

#endif
