/* --per-host: checks in flight per host name, and who waits for one. */
#ifndef HTTPSTAT_HOSTS_H
#define HTTPSTAT_HOSTS_H

#include <stdbool.h>

struct hosts;

struct hosts	*hosts_new(void);
void		 hosts_free(struct hosts *);
/* Takes a place for host if fewer than limit are taken. */
bool		 hosts_acquire(struct hosts *, const char *, unsigned long);
void		 hosts_release(struct hosts *, const char *);
/* Queues token (FIFO) until hosts_next hands it back. */
void		 hosts_wait(struct hosts *, const char *, void *);
void		*hosts_next(struct hosts *, const char *);
/* Forgets every waiter (they were ended otherwise). */
void		 hosts_drop_waiters(struct hosts *);

#endif
