/*
 * --progress: one line on stderr, redrawn at most ten times a second,
 * erased before anything else is written to the same terminal.  Every
 * function takes NULL (no progress bar) and does nothing then.
 */
#ifndef HTTPSTAT_PROGRESS_H
#define HTTPSTAT_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct event_base;
struct progress;

struct progress	*progress_new(FILE *);
void		 progress_free(struct progress *);
void		 progress_start(struct progress *, struct event_base *);
void		 progress_stop(struct progress *);
/* One more entry to check; the total is known once input ends. */
void		 progress_add(struct progress *);
void		 progress_total_known(struct progress *);
void		 progress_done(struct progress *, bool);
/* Erases the line (before results or messages go to the terminal). */
void		 progress_clear(struct progress *);
/* The line for these counts, for tests: done, total (0: unknown). */
void		 progress_format(char *, size_t, unsigned long, unsigned long,
		    unsigned long, double, int);

#endif
