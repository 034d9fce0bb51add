/*
 * httpstat-async: wires options, sources, resolver, TLS, output and the
 * run together.  The only file that exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/opensslv.h>

#include "httpstat/options.h"
#include "httpstat/output.h"
#include "httpstat/progress.h"
#include "httpstat/proxy.h"
#include "httpstat/resolve.h"
#include "httpstat/run.h"
#include "httpstat/tlsctx.h"
#include "version.h"

#define FD_RESERVE	32	/* descriptors kept for DNS, sources, output */

struct app;

static int	 main_options(int, char **, struct options *);
static int	 main_setup(struct app *, const struct options *);
static int	 main_teardown(struct app *, const struct options *, int);
static int	 main_sources(struct run *, const struct options *);
static bool	 main_color(const struct options *, FILE *);
static void	 main_rlimit(struct options *, size_t);
static void	 main_usage_error(const char *);
static void	 main_event_log(int, const char *);
static int	 main_columns(FILE *);
static FILE	*main_open_output(const struct options *, char **);
static void	 main_close_output(const struct options *, char *, int);

/* What main wires together for one run; torn down in main_teardown. */
struct app {
	struct event_base	*base;		/* owned */
	struct resolver		*resolver;	/* owned */
	struct tlsctx		*tls;		/* owned */
	struct proxy_conf	 proxy;		/* owned */
	struct output		 out;		/* owned once out_ready */
	bool			 out_ready;
	FILE			*fp;		/* owned unless stdout */
	char			*tmp;		/* owned: prom's temporary */
	struct progress		*progress;	/* owned or NULL */
	struct run		*run;		/* owned */
};

int
main(int argc, char **argv)
{
	struct options	opt;
	struct app	app;
	int		rc;

	signal(SIGPIPE, SIG_IGN);	/* sockets; stdout handled by run.c */
	event_set_log_callback(main_event_log);
	memset(&opt, 0, sizeof(opt));
	if ((rc = main_options(argc, argv, &opt)) >= 0) {
		options_free(&opt);
		return (rc);
	}
	main_rlimit(&opt, opt.nsources);
	memset(&app, 0, sizeof(app));
	app.fp = stdout;
	rc = main_setup(&app, &opt) == 0 ? run_exec(app.run) : 2;
	rc = main_teardown(&app, &opt, rc);
	options_free(&opt);
	return (rc);
}

/* -h, -V, usage errors and a terminal on stdin: the exit status, or -1. */
static int
main_options(int argc, char **argv, struct options *opt)
{
	char	err[512];

	switch (options_parse(argc, argv, opt, err, sizeof(err))) {
	case OPTIONS_RUN:
		break;
	case OPTIONS_HELP:
		fputs(options_usage(), stdout);
		return (0);
	case OPTIONS_VERSION:
		printf("httpstat-async %s (libevent %s, %s)\n",
		    HTTPSTAT_VERSION, event_get_version(),
		    OPENSSL_VERSION_TEXT);
		return (0);
	case OPTIONS_ERROR:
		main_usage_error(err);
		return (2);
	}
	if (opt->nsources == 0 && isatty(STDIN_FILENO)) {
		/* cli.md: no SOURCE and a terminal on stdin: usage. */
		fputs(options_usage(), stderr);
		return (2);
	}
	return (-1);
}

/* Loop, resolver, TLS, proxies, output, sources; -1 after a message. */
static int
main_setup(struct app *a, const struct options *opt)
{
	struct event_config	*cfg;
	char			 err[512];

	/*
	 * epoll changelist: the connect watch's removal and the bufferevent's
	 * add on the same descriptor, in one callback, become one epoll_ctl.
	 * Nothing here dup()s a descriptor, which is what it must not see.
	 */
	if ((cfg = event_config_new()) != NULL) {
		event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
		a->base = event_base_new_with_config(cfg);
		event_config_free(cfg);
	}
	if (a->base == NULL && (a->base = event_base_new()) == NULL) {
		fputs("httpstat-async: cannot set up the event loop\n", stderr);
		return (-1);
	}
	if ((a->resolver = resolver_new(a->base, opt, err,
	    sizeof(err))) == NULL ||
	    (a->tls = tlsctx_new(opt->cacert, opt->insecure, opt->tls_resume,
	    err, sizeof(err))) == NULL ||
	    proxy_conf_init(&a->proxy, opt->proxy, opt->noproxy, err,
	    sizeof(err)) == -1) {
		main_usage_error(err);
		return (-1);
	}
	if (opt->output != NULL &&
	    (a->fp = main_open_output(opt, &a->tmp)) == NULL)
		return (-1);
	output_init(&a->out, opt->format, a->fp, stderr,
	    main_color(opt, a->fp), opt->quiet);
	a->out_ready = true;
	a->out.columns = main_columns(a->fp);
	if (output_begin(&a->out) == -1) {
		fprintf(stderr, "httpstat-async: cannot set up the %s output: "
		    "%s\n", opt->output != NULL ? opt->output : "standard",
		    strerror(errno));
		return (-1);
	}
	/* cli.md: --progress auto only when stderr is a terminal. */
	if (opt->progress == WHEN_ALWAYS || (opt->progress == WHEN_AUTO &&
	    isatty(STDERR_FILENO)))
		a->progress = progress_new(stderr);
	a->run = run_new(a->base, opt, a->resolver, a->tls,
	    a->proxy.http.host != NULL || a->proxy.https.host != NULL ?
	    &a->proxy : NULL, &a->out, a->progress);
	return (main_sources(a->run, opt));
}

/* Frees what main_setup built, in reverse; the final exit status. */
static int
main_teardown(struct app *a, const struct options *opt, int rc)
{
	int	i;

	run_free(a->run);
	progress_free(a->progress);
	/* Lookups cancelled at the end call back from the loop: let them. */
	for (i = 0; a->base != NULL && i < 4; i++)
		event_base_loop(a->base, EVLOOP_NONBLOCK);
	if (a->out_ready)
		output_free(&a->out);
	if (a->fp != stdout && a->fp != NULL && fclose(a->fp) != 0 &&
	    rc != 2) {
		fprintf(stderr, "httpstat-async: %s: %s\n", opt->output,
		    strerror(errno));
		rc = 2;
	}
	main_close_output(opt, a->tmp, rc);
	proxy_conf_free(&a->proxy);
	tlsctx_free(a->tls);
	resolver_free(a->resolver);
	if (a->base != NULL)
		event_base_free(a->base);
	return (rc);
}

/*
 * cli.md: a SOURCE with "://" is a URL, "-" is standard input, anything
 * else a list file; every file is opened before anything is checked.
 */
static int
main_sources(struct run *run, const struct options *opt)
{
	struct stat	 st;
	const char	*s;
	size_t		 i;
	int		 fd;

	if (opt->nsources == 0) {
		run_add_list(run, STDIN_FILENO, "-");
		return (0);
	}
	for (i = 0; i < opt->nsources; i++) {
		s = opt->sources[i];
		if (strstr(s, "://") != NULL) {
			run_add_url(run, s);
			continue;
		}
		if (strcmp(s, "-") == 0) {
			run_add_list(run, STDIN_FILENO, "-");
			continue;
		}
		if ((fd = open(s, O_RDONLY | O_CLOEXEC)) == -1) {
			fprintf(stderr, "httpstat-async: cannot read '%s': "
			    "%s\n", s, strerror(errno));
			return (-1);
		}
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			fprintf(stderr, "httpstat-async: cannot read '%s': "
			    "%s\n", s, strerror(EISDIR));
			close(fd);
			return (-1);
		}
		run_add_list(run, fd, s);
	}
	return (0);
}

/* cli.md: --color auto honours NO_COLOR and a terminal. */
static bool
main_color(const struct options *opt, FILE *fp)
{
	const char	*nc = getenv("NO_COLOR"), *term = getenv("TERM");

	switch (opt->color) {
	case WHEN_ALWAYS:
		return (true);
	case WHEN_NEVER:
		return (false);
	case WHEN_AUTO:
		break;
	}
	if (nc != NULL && nc[0] != '\0')
		return (false);
	if (term != NULL && strcmp(term, "dumb") == 0)
		return (false);
	return (isatty(fileno(fp)) == 1);
}

/*
 * cli.md: raise the soft RLIMIT_NOFILE to the hard limit; if it is still
 * too low for --concurrency, lower the concurrency with one warning.
 */
static void
main_rlimit(struct options *opt, size_t nsources)
{
	struct rlimit	rl;
	rlim_t		need, avail;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return;
	need = (rlim_t)opt->concurrency + FD_RESERVE + nsources;
	if (rl.rlim_cur >= need)
		return;
	avail = rl.rlim_cur > FD_RESERVE + nsources + 1 ?
	    rl.rlim_cur - FD_RESERVE - nsources : 1;
	fprintf(stderr, "httpstat-async: warning: only %llu file descriptors"
	    " allowed; --concurrency lowered from %lu to %llu\n",
	    (unsigned long long)rl.rlim_cur, opt->concurrency,
	    (unsigned long long)avail);
	opt->concurrency = (unsigned long)avail;
}

/* One line on stderr; the caller exits 2. */
static void
main_usage_error(const char *msg)
{
	if (strncmp(msg, "httpstat-async: ", 16) == 0)
		fprintf(stderr, "%s\n", msg);
	else
		fprintf(stderr, "httpstat-async: %s\n", msg);
}

/* libevent's own warnings: every failure they describe is a result. */
static void
main_event_log(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
}

/*
 * -o FILE; for prom a temporary file renamed at the end, so that
 * node_exporter's textfile collector never reads half a file.
 */
static FILE *
main_open_output(const struct options *opt, char **tmp)
{
	FILE		*fp;
	struct stat	 st;
	size_t		 n;

	/* Only a regular file (or a new one) is replaced by rename(2). */
	if (opt->format == FORMAT_PROM && (stat(opt->output, &st) == -1 ||
	    S_ISREG(st.st_mode))) {
		n = strlen(opt->output) + 32;
		*tmp = malloc(n);
		if (*tmp == NULL)
			return (NULL);
		snprintf(*tmp, n, "%s.tmp.%ld", opt->output, (long)getpid());
	}
	if ((fp = fopen(*tmp != NULL ? *tmp : opt->output, "w")) == NULL)
		fprintf(stderr, "httpstat-async: -o/--output: cannot write "
		    "'%s': %s\n", opt->output, strerror(errno));
	return (fp);
}

/* The prom temporary file: renamed into place if all went well. */
static void
main_close_output(const struct options *opt, char *tmp, int rc)
{
	if (tmp == NULL)
		return;
	if ((rc == 0 || rc == 1) && rename(tmp, opt->output) == -1)
		fprintf(stderr, "httpstat-async: -o/--output: cannot rename "
		    "'%s' to '%s': %s\n", tmp, opt->output, strerror(errno));
	else if (rc != 0 && rc != 1)
		unlink(tmp);
	free(tmp);
}

/* The width of the terminal fp writes to, or 0 if it is not one. */
static int
main_columns(FILE *fp)
{
	struct winsize	ws;

	if (isatty(fileno(fp)) != 1)
		return (0);
	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return (ws.ws_col);
	return (80);
}
