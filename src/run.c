/*
 * The run: reads entries only as fast as slots and the --order window
 * allow (memory bounded by --concurrency, cli.md), starts checks, and
 * writes results in input order as soon as the order allows.
 */
#include "httpstat/run.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "httpstat/check.h"
#include "httpstat/clock.h"
#include "httpstat/expect.h"
#include "httpstat/options.h"
#include "httpstat/output.h"
#include "httpstat/result.h"
#include "httpstat/url.h"
#include "httpstat/urllist.h"
#include "httpstat/xmalloc.h"

#define WINDOW_FACTOR	4	/* cli.md: window of 4 x --concurrency */

struct source {
	const char	*name;		/* borrowed: NULL for a URL argument */
	const char	*url;		/* borrowed: the URL argument */
	struct urllist	*list;		/* owned: a list, or NULL */
	bool		 regular;	/* a regular file: reads never wait */
	bool		 used;		/* the URL argument was taken */
};

struct slot {
	struct result	*res;		/* owned: NULL when free */
	struct check	*check;		/* borrowed: in flight, or NULL */
	bool		 done;
};

enum run_next {
	RUN_ENTRY,
	RUN_WAIT,		/* a read event is armed */
	RUN_END,		/* every source is read */
};

struct run {
	struct event_base	*base;		/* borrowed */
	const struct options	*opt;		/* borrowed */
	struct output		*out;		/* borrowed */
	struct check_env	 env;
	struct source		*src;		/* owned: nsrc of them */
	size_t			 nsrc;
	size_t			 cur;		/* source being read */
	struct slot		*ring;		/* owned: window slots */
	size_t			 window;
	size_t			 head;		/* first unwritten entry */
	size_t			 next;		/* entries read so far */
	size_t			 inflight;
	struct event		*read_ev;	/* owned: current source */
	struct event		*deadline_ev;	/* owned */
	struct event		*sig_ev[2];	/* owned: SIGINT, SIGTERM */
	enum err_kind		 stop;		/* DEADLINE, CANCELLED, NONE */
	int			 signo;
	bool			 input_done;
	bool			 feeding;	/* run_feed is on the stack */
	bool			 refeed;
	bool			 ended;
	bool			 write_failed;
	unsigned long		 checked;
	unsigned long		 ok;
	double			 t0;
};

static void		 run_done_cb(void *, struct result *, void *);
static void		 run_drained_cb(void *);
static void		 run_feed(struct run *);
static enum run_next	 run_next_entry(struct run *, struct entry *,
			    struct source **);
static enum run_next	 run_wait_readable(struct run *, struct source *);
static void		 run_read_cb(evutil_socket_t, short, void *);
static void		 run_take(struct run *, struct entry *,
			    const struct source *);
static void		 run_start(struct run *, struct entry *, size_t);
static size_t		 run_flush(struct run *);
static void		 run_write_error(struct run *);
static void		 run_maybe_end(struct run *);
static void		 run_stop(struct run *, enum err_kind);
static void		 run_deadline_cb(evutil_socket_t, short, void *);
static void		 run_signal_cb(evutil_socket_t, short, void *);

/* A run over the options; sources are added next. */
struct run *
run_new(struct event_base *base, const struct options *opt,
    struct resolver *resolver, struct tlsctx *tls, struct output *out)
{
	struct run	*r;

	r = xcalloc(1, sizeof(*r));
	r->base = base;
	r->opt = opt;
	r->out = out;
	r->env.base = base;
	r->env.resolver = resolver;
	r->env.tls = tls;
	r->env.opt = opt;
	r->env.done = run_done_cb;
	r->env.drained = run_drained_cb;
	r->env.arg = r;
	check_env_init(&r->env);
	r->window = opt->concurrency * WINDOW_FACTOR;
	r->ring = xcalloc(r->window, sizeof(*r->ring));
	return (r);
}

/* A URL given as an argument: source null, line null (cli.md). */
void
run_add_url(struct run *r, const char *url)
{
	r->src = xrealloc(r->src, (r->nsrc + 1) * sizeof(*r->src));
	memset(&r->src[r->nsrc], 0, sizeof(r->src[0]));
	r->src[r->nsrc++].url = url;
}

/* A URL list on fd, named as the SOURCE argument was given. */
void
run_add_list(struct run *r, int fd, const char *name)
{
	struct source	*s;
	struct stat	 st;

	r->src = xrealloc(r->src, (r->nsrc + 1) * sizeof(*r->src));
	s = &r->src[r->nsrc++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->list = urllist_new(fd);
	s->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* Runs the loop until every entry has its result written. */
int
run_exec(struct run *r)
{
	struct timeval	tv;
	struct summary	sum;
	int		i;
	const int	sigs[2] = { SIGINT, SIGTERM };

	r->t0 = clock_ms();
	for (i = 0; i < 2; i++) {
		r->sig_ev[i] = evsignal_new(r->base, sigs[i], run_signal_cb,
		    r);
		if (r->sig_ev[i] != NULL)
			evsignal_add(r->sig_ev[i], NULL);
	}
	if (r->opt->deadline > 0) {
		r->deadline_ev = evtimer_new(r->base, run_deadline_cb, r);
		tv = clock_tv(r->opt->deadline);
		if (r->deadline_ev != NULL)
			evtimer_add(r->deadline_ev, &tv);
	}
	run_feed(r);
	if (!r->ended)
		event_base_dispatch(r->base);
	check_env_drain_all(&r->env);
	memset(&sum, 0, sizeof(sum));
	sum.checked = r->checked;
	sum.ok = r->ok;
	sum.seconds = (clock_ms() - r->t0) / 1000.0;
	if (!r->write_failed) {
		output_end(r->out, &sum);
		if (fflush(r->out->fp) != 0 || ferror(r->out->fp))
			run_write_error(r);
	}
	if (r->signo != 0)
		return (128 + r->signo);
	if (r->write_failed)
		return (2);
	return (r->ok == r->checked ? 0 : 1);
}

/* Frees the run; every check has ended by now. */
void
run_free(struct run *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->window; i++) {
		if (r->ring[i].res != NULL) {
			result_free(r->ring[i].res);
			free(r->ring[i].res);
		}
	}
	for (i = 0; i < r->nsrc; i++)
		urllist_free(r->src[i].list);
	if (r->read_ev != NULL)
		event_free(r->read_ev);
	if (r->deadline_ev != NULL)
		event_free(r->deadline_ev);
	for (i = 0; i < 2; i++)
		if (r->sig_ev[i] != NULL)
			event_free(r->sig_ev[i]);
	check_env_free(&r->env);
	free(r->ring);
	free(r->src);
	free(r);
}

/*
 * Reads and starts entries while a slot and the window allow; then
 * writes what is ready.  Re-entered from a check's end: loops instead.
 */
static void
run_feed(struct run *r)
{
	struct entry	 e;
	struct source	*s;

	if (r->feeding) {
		r->refeed = true;
		return;
	}
	r->feeding = true;
	do {
		r->refeed = false;
		while (!r->input_done && r->next - r->head < r->window &&
		    (r->stop != ERR_NONE ||
		    r->inflight < r->opt->concurrency)) {
			memset(&e, 0, sizeof(e));
			switch (run_next_entry(r, &e, &s)) {
			case RUN_ENTRY:
				run_take(r, &e, s);
				entry_free(&e);
				continue;
			case RUN_WAIT:
				break;
			case RUN_END:
				r->input_done = true;
				break;
			}
			break;
		}
		if (run_flush(r) > 0 && !r->input_done)
			r->refeed = true;	/* the window has room again */
	} while (r->refeed);
	r->feeding = false;
	run_maybe_end(r);
}

/* The next entry of the sources, in order. */
static enum run_next
run_next_entry(struct run *r, struct entry *e, struct source **sp)
{
	struct source	*s;
	long		 n;

	while (r->cur < r->nsrc) {
		s = *sp = &r->src[r->cur];
		if (s->list == NULL) {
			if (s->used) {
				r->cur++;
				continue;
			}
			s->used = true;
			e->url = xstrdup(s->url);
			e->url_len = strlen(s->url);
			return (RUN_ENTRY);
		}
		switch (urllist_next(s->list, e)) {
		case URLLIST_OK:
			return (RUN_ENTRY);
		case URLLIST_EOF:
			r->cur++;
			continue;
		case URLLIST_NEED:
			break;
		}
		/* cli.md: on a signal, standard input is not waited for. */
		if (r->stop == ERR_CANCELLED && !s->regular) {
			r->cur++;
			continue;
		}
		if (!s->regular && run_wait_readable(r, s) == RUN_WAIT)
			return (RUN_WAIT);
		if ((n = urllist_fill(s->list)) == -1 && errno != EINTR) {
			fprintf(stderr, "httpstat-async: %s: read error: %s\n",
			    s->name, strerror(errno));
			r->cur++;
		}
	}
	return (RUN_END);
}

/* Waits for a pipe or terminal; RUN_ENTRY: cannot be polled, read now. */
static enum run_next
run_wait_readable(struct run *r, struct source *s)
{
	if (r->read_ev == NULL) {
		r->read_ev = event_new(r->base, urllist_fd(s->list), EV_READ,
		    run_read_cb, r);
	}
	if (r->read_ev != NULL && event_add(r->read_ev, NULL) == 0)
		return (RUN_WAIT);
	s->regular = true;	/* e.g. /dev/null: epoll refuses it */
	return (RUN_ENTRY);
}

/* Standard input (or a pipe) is readable: one read, then feed. */
static void
run_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct run	*r = arg;
	struct source	*s = &r->src[r->cur];

	(void)fd;
	(void)what;
	event_free(r->read_ev);
	r->read_ev = NULL;
	if (urllist_fill(s->list) == -1 && errno != EINTR &&
	    errno != EAGAIN) {
		fprintf(stderr, "httpstat-async: %s: read error: %s\n",
		    s->name, strerror(errno));
		r->cur++;
	}
	run_feed(r);
}

/* One entry: a slot in the window, then a check or a result at once. */
static void
run_take(struct run *r, struct entry *e, const struct source *s)
{
	size_t		 seq = r->next++;
	struct slot	*sl = &r->ring[seq % r->window];
	struct result	*res;
	size_t		 len;
	char		*shown;

	res = sl->res = xmalloc(sizeof(*res));
	sl->done = false;
	sl->check = NULL;
	result_init(res);
	shown = url_mask(e->url, e->url_len, &len);
	res->url = shown;
	res->url_len = len;
	res->source = s->name;
	res->line = s->list != NULL ? e->line : 0;
	res->index = seq + 1;
	run_start(r, e, seq);
}

/*
 * Parses the entry and starts its check.  An invalid entry is
 * invalid-url whatever else happens; after --deadline or a signal a valid
 * one ends unstarted.
 */
static void
run_start(struct run *r, struct entry *e, size_t seq)
{
	struct slot	*sl = &r->ring[seq % r->window];
	struct target	 tgt;
	struct expect	 exp = r->opt->expect;
	const char	*why = e->why;

	memset(&tgt, 0, sizeof(tgt));
	sl->done = true;
	if (why == NULL && e->expect != NULL && expect_parse(e->expect,
	    &exp) == -1)
		why = "EXPECT is not a list of codes, classes or ranges";
	if (why != NULL || url_parse(e->url, e->url_len, &tgt, &why) == -1) {
		result_set_error(sl->res, ERR_INVALID_URL, PHASE_NONE, why);
		return;
	}
	if (r->stop != ERR_NONE) {
		result_set_error(sl->res, r->stop, PHASE_NONE, r->stop ==
		    ERR_DEADLINE ? "--deadline reached before the check started"
		    : "interrupted before the check started");
	} else if ((sl->check = check_start(&r->env, &tgt, &exp, sl->res,
	    (void *)(uintptr_t)seq)) != NULL) {
		sl->done = false;
		r->inflight++;
	} else
		result_set_error(sl->res, ERR_IO, PHASE_NONE,
		    "cannot start the check");
	url_free(&tgt);
}

/* A check ended: its result goes into its slot, then more work. */
static void
run_done_cb(void *arg, struct result *res, void *token)
{
	struct run	*r = arg;
	size_t		 seq = (size_t)(uintptr_t)token;
	struct slot	*sl = &r->ring[seq % r->window];

	*sl->res = *res;		/* moved */
	sl->done = true;
	sl->check = NULL;
	r->inflight--;
	run_feed(r);
}

/* The last lingering connection closed. */
static void
run_drained_cb(void *arg)
{
	run_maybe_end(arg);
}

/*
 * cli.md: each result is written (flushed) as soon as the order allows.
 * Returns how many slots of the window were freed.
 */
static size_t
run_flush(struct run *r)
{
	struct slot	*sl;
	bool		 wrote = false;
	size_t		 first = r->head;

	while (r->head < r->next) {
		sl = &r->ring[r->head % r->window];
		if (!sl->done)
			break;
		r->checked++;
		if (sl->res->ok)
			r->ok++;
		if (!r->write_failed) {
			output_result(r->out, sl->res);
			wrote = true;
		}
		result_free(sl->res);
		free(sl->res);
		sl->res = NULL;
		r->head++;
	}
	if (wrote && (fflush(r->out->fp) != 0 || ferror(r->out->fp)))
		run_write_error(r);
	return (r->head - first);
}

/*
 * cli.md: a closed pipe ends the program as if killed by SIGPIPE; any
 * other write error is said once and ends the run.
 */
static void
run_write_error(struct run *r)
{
	if (errno == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		_exit(141);
	}
	if (!r->write_failed)
		fprintf(stderr, "httpstat-async: cannot write results: %s\n",
		    strerror(errno));
	r->write_failed = true;
	if (r->stop == ERR_NONE)
		run_stop(r, ERR_CANCELLED);
}

/* Ends the loop once everything is written and no connection lingers. */
static void
run_maybe_end(struct run *r)
{
	if (r->feeding || !r->input_done || r->inflight > 0 ||
	    r->head != r->next)
		return;
	if (r->env.ndraining > 0 && r->stop != ERR_CANCELLED)
		return;
	r->ended = true;
	event_base_loopbreak(r->base);
}

/* --deadline or a signal: end what runs, the rest ends unstarted. */
static void
run_stop(struct run *r, enum err_kind kind)
{
	size_t	seq;
	bool	was_feeding = r->feeding;

	if (r->stop == kind || r->stop == ERR_CANCELLED)
		return;		/* a signal after --deadline still cancels */
	r->stop = kind;
	r->feeding = true;
	for (seq = r->head; seq < r->next; seq++)
		if (r->ring[seq % r->window].check != NULL)
			check_abort(r->ring[seq % r->window].check, kind);
	r->feeding = was_feeding;
	if (kind == ERR_CANCELLED) {
		check_env_drain_all(&r->env);
		if (r->read_ev != NULL) {
			event_free(r->read_ev);
			r->read_ev = NULL;
		}
	}
	run_feed(r);
}

/* cli.md: --deadline ran out for the whole run. */
static void
run_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	run_stop(arg, ERR_DEADLINE);
}

/* SIGINT/SIGTERM: results so far, `cancelled` for the rest read. */
static void
run_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct run	*r = arg;

	(void)what;
	if (r->signo != 0) {		/* a second one: go now */
		signal((int)sig, SIG_DFL);
		raise((int)sig);
	}
	r->signo = (int)sig;
	run_stop(r, ERR_CANCELLED);
}
