/* --progress: a one-line bar on stderr, driven by a 100 ms timer. */
#include "httpstat/progress.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "httpstat/clock.h"
#include "httpstat/xmalloc.h"

#define PROGRESS_TICK	0.1	/* seconds: at most ten redraws a second */
#define BAR_WIDTH	20

struct progress {
	FILE		*fp;		/* borrowed: stderr */
	struct event	*tick;		/* owned */
	unsigned long	 total;
	unsigned long	 done;
	unsigned long	 ok;
	bool		 total_known;
	bool		 shown;		/* a line is on the screen */
	bool		 dirty;
	double		 t0;
};

static void	progress_tick_cb(evutil_socket_t, short, void *);
static void	progress_draw(struct progress *);
static int	progress_columns(FILE *);
static void	progress_hms(char *, size_t, double);

/* A bar on fp. */
struct progress *
progress_new(FILE *fp)
{
	struct progress	*p;

	p = xcalloc(1, sizeof(*p));
	p->fp = fp;
	return (p);
}

/* Frees the bar (stop it first). */
void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->tick != NULL)
		event_free(p->tick);
	free(p);
}

/* Starts the redraw timer. */
void
progress_start(struct progress *p, struct event_base *base)
{
	struct timeval	tv = clock_tv(PROGRESS_TICK);

	if (p == NULL)
		return;
	p->t0 = clock_ms();
	p->tick = event_new(base, -1, EV_PERSIST, progress_tick_cb, p);
	if (p->tick != NULL)
		event_add(p->tick, &tv);
}

/* Stops redrawing and erases the line (before the summary). */
void
progress_stop(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->tick != NULL) {
		event_free(p->tick);
		p->tick = NULL;
	}
	progress_clear(p);
}

void
progress_add(struct progress *p)
{
	if (p != NULL) {
		p->total++;
		p->dirty = true;
	}
}

void
progress_total_known(struct progress *p)
{
	if (p != NULL)
		p->total_known = true;
}

void
progress_done(struct progress *p, bool ok)
{
	if (p == NULL)
		return;
	p->done++;
	if (ok)
		p->ok++;
	p->dirty = true;
}

/* Erases the line if one is shown. */
void
progress_clear(struct progress *p)
{
	if (p == NULL || !p->shown)
		return;
	fputs("\r\033[K", p->fp);
	fflush(p->fp);
	p->shown = false;
}

/* Redraws when something changed, or the clock moved on. */
static void
progress_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	progress_draw(arg);
}

/* "[=====>    ] 120/500  118 ok  2 not ok  812/s  0:00:01  ETA 0:00:01" */
void
progress_format(char *buf, size_t len, unsigned long done,
    unsigned long total, unsigned long ok, double sec, int cols)
{
	char	el[32], eta[40], bar[BAR_WIDTH + 1];
	double	rate = sec > 0 ? (double)done / sec : 0;
	size_t	fill, i;
	int	n;

	progress_hms(el, sizeof(el), sec);
	if (total > 0 && rate > 0 && done <= total) {
		progress_hms(eta + 6, sizeof(eta) - 6,
		    (double)(total - done) / rate);
		memcpy(eta, "  ETA ", 6);
	} else
		eta[0] = '\0';
	if (total > 0) {
		fill = (size_t)((double)BAR_WIDTH * (double)done /
		    (double)total);
		for (i = 0; i < BAR_WIDTH; i++)
			bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
		bar[BAR_WIDTH] = '\0';
		n = snprintf(buf, len, "[%s] %lu/%lu", bar, done, total);
	} else
		n = snprintf(buf, len, "%lu/?", done);
	if (n < 0 || (size_t)n >= len)
		return;
	snprintf(buf + n, len - (size_t)n, "  %lu ok  %lu not ok  %.0f/s  %s%s",
	    ok, done - ok, rate, el, eta);
	if (cols > 1 && strlen(buf) >= (size_t)cols)
		buf[cols - 1] = '\0';	/* one line, never wrapped */
}

/* Writes the line in place. */
static void
progress_draw(struct progress *p)
{
	char	line[256];

	progress_format(line, sizeof(line), p->done, p->total_known ?
	    p->total : 0, p->ok, (clock_ms() - p->t0) / 1000.0,
	    progress_columns(p->fp));
	fprintf(p->fp, "\r%s\033[K", line);
	fflush(p->fp);
	p->shown = true;
	p->dirty = false;
}

/* The terminal's width, or 80. */
static int
progress_columns(FILE *fp)
{
	struct winsize	ws;

	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return (ws.ws_col);
	return (80);
}

/* h:mm:ss */
static void
progress_hms(char *buf, size_t len, double sec)
{
	unsigned	s = sec > 0 && sec < 3600.0 * 9999 ? (unsigned)sec : 0;

	snprintf(buf, len, "%u:%02u:%02u", s / 3600 % 10000, s / 60 % 60,
	    s % 60);
}
