/*
 * The run: reads entries only as fast as slots and the --order window
 * allow (memory bounded by --concurrency, cli.md), starts checks under
 * --per-host and --rate, retries, and writes results as soon as the order
 * allows.
 */
#include "httpstat/run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "httpstat/check.h"
#include "httpstat/clock.h"
#include "httpstat/expect.h"
#include "httpstat/hosts.h"
#include "httpstat/options.h"
#include "httpstat/output.h"
#include "httpstat/progress.h"
#include "httpstat/result.h"
#include "httpstat/retry.h"
#include "httpstat/shard.h"
#include "httpstat/url.h"
#include "httpstat/urllist.h"
#include "httpstat/xmalloc.h"

#define WINDOW_FACTOR		4	/* cli.md: 4 x --concurrency */
#define COMPLETION_FACTOR	64	/* --order completion: no head wait */
#define COMPLETION_MAX		(1UL << 20)	/* places (8 bytes each) */

struct source {
	const char	*name;		/* borrowed: NULL for a URL argument */
	const char	*url;		/* borrowed: the URL argument */
	struct urllist	*list;		/* owned: a list, or NULL */
	bool		 regular;	/* a regular file: reads never wait */
	bool		 used;		/* the URL argument was taken */
};

enum job_state {
	JOB_READY,		/* valid, waiting for a slot */
	JOB_HOST_WAIT,		/* --per-host: its host is full */
	JOB_PACED,		/* has a slot, waits for --rate */
	JOB_RUNNING,		/* a check is in flight */
	JOB_RETRY_WAIT,		/* --retries: backing off, no slot held */
	JOB_DONE,		/* result final, not written yet */
	JOB_WRITTEN,		/* --order completion: written early */
};

/* One entry of the window, from reading to writing. */
struct job {
	struct run	*run;		/* borrowed */
	size_t		 seq;
	enum job_state	 st;
	struct result	 res;
	struct target	 tgt;		/* owned until the check takes it */
	struct expect	 exp;
	char		*raw;		/* owned with --retries: re-parsed */
	size_t		 rawlen;
	char		*host;		/* owned with --per-host */
	struct check	*check;		/* borrowed: in flight, or NULL */
	struct event	*timer;		/* owned: --rate or retry wait */
	struct job	*next_ready;	/* ready queue or host queue */
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
	struct job		**ring;		/* owned: window of jobs */
	size_t			 window;
	size_t			 head;		/* first unwritten entry */
	size_t			 next;		/* entries taken so far */
	size_t			 index;		/* entries read, all shards */
	size_t			 inflight;	/* slots held */
	struct job		*ready;		/* FIFO of JOB_READY */
	struct job		*ready_tail;
	struct hosts		*hosts;		/* owned with --per-host */
	double			 pace_next;	/* --rate: next start, ms */
	uint64_t		 rng;		/* retry jitter */
	struct event		*read_ev;	/* owned: current source */
	struct event		*deadline_ev;	/* owned */
	struct event		*flush_ev;	/* owned: end of a loop pass */
	struct event		*sig_ev[2];	/* owned: SIGINT, SIGTERM */
	struct progress		*progress;	/* owned or NULL */
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
static double		 run_pace_cb(void *);
static void		 run_feed(struct run *);
static enum run_next	 run_next_entry(struct run *, struct entry *,
			    struct source **);
static enum run_next	 run_wait_readable(struct run *, struct source *);
static void		 run_read_cb(evutil_socket_t, short, void *);
static void		 run_take(struct run *, struct entry *,
			    const struct source *);
static bool		 run_validate(struct run *, struct job *,
			    struct entry *);
static void		 run_try_start(struct run *, struct job *);
static void		 run_begin(struct run *, struct job *);
static void		 run_job_timer_cb(evutil_socket_t, short, void *);
static void		 run_release(struct run *, struct job *);
static void		 run_start_ready(struct run *);
static bool		 run_want_retry(struct run *, struct job *, double *);
static void		 run_job_done(struct run *, struct job *);
static void		 run_job_end(struct run *, struct job *, enum err_kind,
			    enum phase, const char *);
static void		 run_job_free(struct job *);
static size_t		 run_flush(struct run *);
static void		 run_flush_later(struct run *);
static void		 run_flush_cb(evutil_socket_t, short, void *);
static void		 run_flush_now(struct run *);
static void		 run_write(struct run *, struct job *);
static void		 run_write_error(struct run *);
static void		 run_maybe_end(struct run *);
static void		 run_stop(struct run *, enum err_kind);
static void		 run_deadline_cb(evutil_socket_t, short, void *);
static void		 run_signal_cb(evutil_socket_t, short, void *);
static double		 run_random(struct run *);

/* A run over the options; sources are added next. */
struct run *
run_new(struct event_base *base, const struct options *opt,
    struct resolver *resolver, struct tlsctx *tls, struct proxy_conf *proxy,
    struct output *out, struct progress *progress)
{
	struct run	*r;

	r = xcalloc(1, sizeof(*r));
	r->base = base;
	r->opt = opt;
	r->out = out;
	r->progress = progress;
	r->env.base = base;
	r->env.resolver = resolver;
	r->env.tls = tls;
	r->env.proxy = proxy;
	r->env.opt = opt;
	r->env.done = run_done_cb;
	r->env.drained = run_drained_cb;
	r->env.pace = opt->rate > 0 ? run_pace_cb : NULL;
	r->env.arg = r;
	check_env_init(&r->env);
	r->window = opt->concurrency * WINDOW_FACTOR;
	if (opt->order == ORDER_COMPLETION &&
	    opt->concurrency * COMPLETION_FACTOR <= COMPLETION_MAX)
		r->window = opt->concurrency * COMPLETION_FACTOR;
	else if (opt->order == ORDER_COMPLETION && r->window < COMPLETION_MAX)
		r->window = COMPLETION_MAX;
	r->ring = xcalloc(r->window, sizeof(*r->ring));
	if (opt->per_host > 0)
		r->hosts = hosts_new();
	r->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
	    (uint64_t)(uintptr_t)r;
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
	r->flush_ev = event_new(r->base, -1, 0, run_flush_cb, r);
	progress_start(r->progress, r->base);
	run_feed(r);
	if (!r->ended)
		event_base_dispatch(r->base);
	run_flush_now(r);
	check_env_drain_all(&r->env);
	progress_stop(r->progress);
	memset(&sum, 0, sizeof(sum));
	sum.checked = r->checked;
	sum.ok = r->ok;
	sum.seconds = (clock_ms() - r->t0) / 1000.0;
	if (!r->write_failed) {
		if (output_end(r->out, &sum) == -1 ||
		    fflush(r->out->fp) != 0 || ferror(r->out->fp))
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
	for (i = 0; i < r->window; i++)
		run_job_free(r->ring[i]);
	for (i = 0; i < r->nsrc; i++)
		urllist_free(r->src[i].list);
	if (r->read_ev != NULL)
		event_free(r->read_ev);
	if (r->deadline_ev != NULL)
		event_free(r->deadline_ev);
	if (r->flush_ev != NULL)
		event_free(r->flush_ev);
	for (i = 0; i < 2; i++)
		if (r->sig_ev[i] != NULL)
			event_free(r->sig_ev[i]);
	hosts_free(r->hosts);
	check_env_free(&r->env);
	free(r->ring);
	free(r->src);
	free(r);
}

/*
 * Starts what waits for a slot, then reads and starts entries while a
 * slot and the window allow; then writes what is ready.  Re-entered from
 * a check's end: loops instead.
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
		run_start_ready(r);
		while (!r->input_done && r->next - r->head < r->window &&
		    r->ready == NULL && (r->stop != ERR_NONE ||
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
				progress_total_known(r->progress);
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
		if (urllist_fill(s->list) == -1 && errno != EINTR) {
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

/* One entry: its shard, a place in the window, then a start or a result. */
static void
run_take(struct run *r, struct entry *e, const struct source *s)
{
	struct job	*j;
	size_t		 index = ++r->index, len;
	char		*host;

	if (r->opt->shard_n > 0) {	/* cli.md: --shard K/N */
		host = shard_host(e->url, e->url_len);
		len = strlen(host);
		if (shard_of(host, len, r->opt->shard_n) != r->opt->shard_k) {
			free(host);
			return;
		}
		free(host);
	}
	j = xcalloc(1, sizeof(*j));
	j->run = r;
	j->seq = r->next++;
	r->ring[j->seq % r->window] = j;
	result_init(&j->res);
	j->res.url = url_mask(e->url, e->url_len, &len);
	j->res.url_len = len;
	j->res.source = s->name;
	j->res.line = s->list != NULL ? e->line : 0;
	j->res.index = index;
	if (!run_validate(r, j, e)) {
		run_job_done(r, j);
		return;
	}
	if (r->progress != NULL)
		progress_add(r->progress);
	run_try_start(r, j);
}

/* An invalid entry is invalid-url whatever else happens (cli.md). */
static bool
run_validate(struct run *r, struct job *j, struct entry *e)
{
	const char	*why = e->why;

	j->exp = r->opt->expect;
	if (why == NULL && e->expect != NULL && expect_parse(e->expect,
	    &j->exp) == -1)
		why = "EXPECT is not a list of codes, classes or ranges";
	if (why != NULL || url_parse(e->url, e->url_len, &j->tgt,
	    &why) == -1) {
		result_set_error(&j->res, ERR_INVALID_URL, PHASE_NONE, why);
		return (false);
	}
	if (r->opt->retries > 0) {
		j->raw = xstrndup(e->url, e->url_len);
		j->rawlen = e->url_len;
	}
	if (r->hosts != NULL)
		j->host = xstrdup(j->tgt.host);
	return (true);
}

/* A valid job wants to start: --per-host, a slot, then --rate. */
static void
run_try_start(struct run *r, struct job *j)
{
	struct timeval	tv;
	double		wait;

	if (r->stop != ERR_NONE) {
		run_job_end(r, j, r->stop, j->res.attempts > 0 ?
		    j->res.phase : PHASE_NONE, r->stop == ERR_DEADLINE ?
		    "--deadline reached before the check started" :
		    "interrupted before the check started");
		return;
	}
	if (j->host != NULL && !hosts_acquire(r->hosts, j->host,
	    r->opt->per_host)) {
		j->st = JOB_HOST_WAIT;
		hosts_wait(r->hosts, j->host, j);
		return;
	}
	if (r->inflight >= r->opt->concurrency) {
		if (j->host != NULL)
			hosts_release(r->hosts, j->host);
		j->st = JOB_READY;
		j->next_ready = NULL;
		if (r->ready_tail != NULL)
			r->ready_tail->next_ready = j;
		else
			r->ready = j;
		r->ready_tail = j;
		return;
	}
	r->inflight++;
	wait = r->env.pace != NULL ? run_pace_cb(r) : 0;
	if (wait > 0) {
		j->st = JOB_PACED;
		if (j->timer == NULL)
			j->timer = evtimer_new(r->base, run_job_timer_cb, j);
		tv = clock_tv(wait);
		if (j->timer != NULL && evtimer_add(j->timer, &tv) == 0)
			return;
	}
	run_begin(r, j);
}

/* The check itself: its time starts now (cli.md). */
static void
run_begin(struct run *r, struct job *j)
{
	const char	*why;

	if (j->tgt.host == NULL && (j->raw == NULL ||
	    url_parse(j->raw, j->rawlen, &j->tgt, &why) == -1)) {
		run_release(r, j);
		run_job_end(r, j, ERR_IO, PHASE_NONE, "cannot parse again");
		return;
	}
	j->st = JOB_RUNNING;
	j->check = check_start(&r->env, &j->tgt, &j->exp, &j->res, j);
	url_free(&j->tgt);
	if (j->check == NULL) {
		run_release(r, j);
		run_job_end(r, j, ERR_IO, PHASE_NONE,
		    "cannot start the check");
	}
}

/* --rate's turn came, or a retry's wait is over. */
static void
run_job_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct job	*j = arg;
	struct run	*r = j->run;

	(void)fd;
	(void)what;
	if (j->st == JOB_PACED)
		run_begin(r, j);
	else if (j->st == JOB_RETRY_WAIT)
		run_try_start(r, j);
	run_feed(r);
}

/* Gives back the slot and the host's place; wakes a host waiter. */
static void
run_release(struct run *r, struct job *j)
{
	struct job	*w;

	r->inflight--;
	if (j->host == NULL)
		return;
	hosts_release(r->hosts, j->host);
	if ((w = hosts_next(r->hosts, j->host)) != NULL) {
		w->st = JOB_READY;
		w->next_ready = r->ready;	/* older than new reads */
		r->ready = w;
		if (r->ready_tail == NULL)
			r->ready_tail = w;
	}
}

/* Jobs waiting for a slot go first, oldest first. */
static void
run_start_ready(struct run *r)
{
	struct job	*j;

	while (r->ready != NULL && (r->stop != ERR_NONE ||
	    r->inflight < r->opt->concurrency)) {
		j = r->ready;
		r->ready = j->next_ready;
		if (r->ready == NULL)
			r->ready_tail = NULL;
		j->next_ready = NULL;
		run_try_start(r, j);
	}
}

/* A check ended: retry it, or its result is final. */
static void
run_done_cb(void *arg, struct result *res, void *token)
{
	struct job	*j = token;
	struct run	*r = arg;
	struct timeval	 tv;
	double		 wait;

	j->res = *res;			/* moved */
	j->check = NULL;
	run_release(r, j);
	if (run_want_retry(r, j, &wait)) {
		j->st = JOB_RETRY_WAIT;	/* cli.md: no slot while waiting */
		if (j->timer == NULL)
			j->timer = evtimer_new(r->base, run_job_timer_cb, j);
		tv = clock_tv(wait);
		if (j->timer != NULL && evtimer_add(j->timer, &tv) == 0) {
			run_feed(r);
			return;
		}
	}
	run_job_done(r, j);
	run_feed(r);
}

/* cli.md --retries: which outcomes, and how long to wait. */
static bool
run_want_retry(struct run *r, struct job *j, double *wait)
{
	const struct result	*res = &j->res;
	bool			 again;

	if (r->stop != ERR_NONE || j->raw == NULL ||
	    (unsigned long)res->attempts > r->opt->retries)
		return (false);
	if (res->kind != ERR_NONE)
		again = res->retryable;
	else
		again = !res->ok && expect_match(&r->opt->retry_on,
		    res->status);
	if (!again)
		return (false);
	if (res->retry_after > RETRY_AFTER_MAX)
		return (false);		/* ends with the last outcome */
	*wait = res->retry_after >= 0 ? res->retry_after :
	    retry_backoff((unsigned)res->attempts - 1, run_random(r));
	return (true);
}

/* --rate: reserves the next start; seconds to wait for it. */
static double
run_pace_cb(void *arg)
{
	struct run	*r = arg;
	double		 now = clock_ms(), at;

	at = r->pace_next > now ? r->pace_next : now;
	r->pace_next = at + 1000.0 / r->opt->rate;
	return ((at - now) / 1000.0);
}

/* A result is final: written now, or when the order allows. */
static void
run_job_done(struct run *r, struct job *j)
{
	j->st = JOB_DONE;
	if (j->timer != NULL) {
		event_free(j->timer);
		j->timer = NULL;
	}
	if (r->progress != NULL && j->res.kind != ERR_INVALID_URL)
		progress_done(r->progress, j->res.ok);
	if (r->opt->order == ORDER_COMPLETION)
		run_write(r, j);
}

/* Ends a job that is not running with kind (deadline, cancelled, io). */
static void
run_job_end(struct run *r, struct job *j, enum err_kind kind,
    enum phase phase, const char *why)
{
	result_set_error(&j->res, kind, phase, why);
	if (j->res.started > 0)
		j->res.time_ms = clock_ms() - j->res.started;
	run_job_done(r, j);
}

/* Frees a job and what it still owns. */
static void
run_job_free(struct job *j)
{
	if (j == NULL)
		return;
	if (j->timer != NULL)
		event_free(j->timer);
	result_free(&j->res);
	url_free(&j->tgt);
	free(j->raw);
	free(j->host);
	free(j);
}

/* The last lingering connection closed. */
static void
run_drained_cb(void *arg)
{
	run_maybe_end(arg);
}

/*
 * cli.md: each result is written (flushed) as soon as the order allows.
 * Returns how many places of the window were freed.
 */
static size_t
run_flush(struct run *r)
{
	struct job	*j;
	size_t		 first = r->head;

	while (r->head < r->next) {
		j = r->ring[r->head % r->window];
		if (j->st == JOB_DONE)
			run_write(r, j);
		if (j->st != JOB_WRITTEN)
			break;
		run_job_free(j);
		r->ring[r->head % r->window] = NULL;
		r->head++;
	}
	return (r->head - first);
}

/*
 * cli.md: results are flushed as soon as the order allows: at the end of
 * this pass over the loop's active events, not once per result.
 */
static void
run_flush_later(struct run *r)
{
	if (r->flush_ev == NULL)
		run_flush_now(r);
	else
		event_active(r->flush_ev, EV_TIMEOUT, 0);
}

/* Every result written in this pass of the loop goes out now. */
static void
run_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	run_flush_now(arg);
}

/* Writes out what stdio holds. */
static void
run_flush_now(struct run *r)
{
	if (!r->write_failed && (fflush(r->out->fp) != 0 ||
	    ferror(r->out->fp)))
		run_write_error(r);
}

/* One result out; counted for the summary and the exit status. */
static void
run_write(struct run *r, struct job *j)
{
	j->st = JOB_WRITTEN;
	r->checked++;
	if (j->res.ok)
		r->ok++;
	if (r->write_failed)
		return;
	progress_clear(r->progress);
	output_result(r->out, &j->res);
	if (ferror(r->out->fp))
		run_write_error(r);
	else
		run_flush_later(r);
}

/*
 * cli.md: a closed pipe ends the program as if killed by SIGPIPE; any
 * other write error is said once and ends the run.
 */
static void
run_write_error(struct run *r)
{
	struct pollfd	pfd;

	/* stdio may have met EPIPE earlier; errno has moved on since. */
	pfd.fd = fileno(r->out->fp);
	pfd.events = POLLOUT;
	pfd.revents = 0;
	if (errno == EPIPE || (poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & POLLERR) != 0)) {
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
	if (r->feeding || !r->input_done || r->head != r->next)
		return;
	if (r->env.ndraining > 0 && r->stop != ERR_CANCELLED)
		return;
	r->ended = true;
	event_base_loopbreak(r->base);
}

/* --deadline or a signal: end what runs or waits; the rest unstarted. */
static void
run_stop(struct run *r, enum err_kind kind)
{
	struct job	*j;
	size_t		 seq;
	bool		 was_feeding = r->feeding;
	const char	*why = kind == ERR_DEADLINE ?
	    "--deadline reached while waiting" : "interrupted while waiting";

	if (r->stop == kind || r->stop == ERR_CANCELLED)
		return;		/* a signal after --deadline still cancels */
	r->stop = kind;
	r->feeding = true;
	r->ready = r->ready_tail = NULL;	/* ended below */
	if (r->hosts != NULL)
		hosts_drop_waiters(r->hosts);
	for (seq = r->head; seq < r->next; seq++) {
		if ((j = r->ring[seq % r->window]) == NULL)
			continue;
		switch (j->st) {
		case JOB_RUNNING:
			check_abort(j->check, kind);
			break;
		case JOB_PACED:
			run_release(r, j);
			run_job_end(r, j, kind, PHASE_NONE, why);
			break;
		case JOB_READY:
		case JOB_HOST_WAIT:
			run_job_end(r, j, kind, PHASE_NONE, why);
			break;
		case JOB_RETRY_WAIT:
			run_job_end(r, j, kind, j->res.phase != PHASE_NONE ?
			    j->res.phase : PHASE_HEAD, why);
			break;
		case JOB_DONE:
		case JOB_WRITTEN:
			break;
		}
	}
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

/* A uniform number in [0, 1) for retry jitter (xorshift64*). */
static double
run_random(struct run *r)
{
	r->rng ^= r->rng >> 12;
	r->rng ^= r->rng << 25;
	r->rng ^= r->rng >> 27;
	return ((double)((r->rng * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0);
}
