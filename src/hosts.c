/* --per-host: a small chained hash of host name -> places taken, waiters. */
#include "httpstat/hosts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpstat/xmalloc.h"

struct waiter {
	void		*token;		/* borrowed */
	struct waiter	*next;
};

struct host {
	char		*name;		/* owned */
	unsigned long	 taken;
	struct waiter	*first;		/* owned: FIFO */
	struct waiter	*last;
	struct host	*next;		/* bucket chain */
};

struct hosts {
	struct host	**bucket;	/* owned */
	size_t		 nbucket;	/* a power of two */
	size_t		 n;
};

static struct host	*hosts_find(struct hosts *, const char *, bool);
static void		 hosts_grow(struct hosts *);
static void		 hosts_forget(struct hosts *, struct host *);
static uint64_t		 hosts_hash(const char *);

/* An empty table. */
struct hosts *
hosts_new(void)
{
	struct hosts	*h;

	h = xcalloc(1, sizeof(*h));
	h->nbucket = 256;
	h->bucket = xcalloc(h->nbucket, sizeof(*h->bucket));
	return (h);
}

/* Frees the table and its waiters (not their tokens). */
void
hosts_free(struct hosts *h)
{
	size_t	i;

	if (h == NULL)
		return;
	hosts_drop_waiters(h);
	for (i = 0; i < h->nbucket; i++)
		while (h->bucket[i] != NULL)
			hosts_forget(h, h->bucket[i]);
	free(h->bucket);
	free(h);
}

/* A place for host, if fewer than limit are taken. */
bool
hosts_acquire(struct hosts *h, const char *name, unsigned long limit)
{
	struct host	*e = hosts_find(h, name, true);

	if (e->taken >= limit)
		return (false);
	e->taken++;
	return (true);
}

/* Gives a place back; an entry with nothing left goes away. */
void
hosts_release(struct hosts *h, const char *name)
{
	struct host	*e = hosts_find(h, name, false);

	if (e == NULL)
		return;
	if (e->taken > 0)
		e->taken--;
	if (e->taken == 0 && e->first == NULL)
		hosts_forget(h, e);
}

/* token waits for a place for host. */
void
hosts_wait(struct hosts *h, const char *name, void *token)
{
	struct host	*e = hosts_find(h, name, true);
	struct waiter	*w;

	w = xmalloc(sizeof(*w));
	w->token = token;
	w->next = NULL;
	if (e->last != NULL)
		e->last->next = w;
	else
		e->first = w;
	e->last = w;
}

/* The oldest waiter for host, or NULL. */
void *
hosts_next(struct hosts *h, const char *name)
{
	struct host	*e = hosts_find(h, name, false);
	struct waiter	*w;
	void		*token;

	if (e == NULL || (w = e->first) == NULL)
		return (NULL);
	if ((e->first = w->next) == NULL)
		e->last = NULL;
	token = w->token;
	free(w);
	if (e->taken == 0 && e->first == NULL)
		hosts_forget(h, e);
	return (token);
}

/* Every waiter is forgotten; hosts with no place taken go away. */
void
hosts_drop_waiters(struct hosts *h)
{
	struct host	*e, *next;
	struct waiter	*w;
	size_t		 i;

	for (i = 0; i < h->nbucket; i++) {
		for (e = h->bucket[i]; e != NULL; e = next) {
			next = e->next;
			while ((w = e->first) != NULL) {
				e->first = w->next;
				free(w);
			}
			e->last = NULL;
			if (e->taken == 0)
				hosts_forget(h, e);
		}
	}
}

/* The entry for name, made if asked to. */
static struct host *
hosts_find(struct hosts *h, const char *name, bool make)
{
	struct host	*e;
	size_t		 b = hosts_hash(name) & (h->nbucket - 1);

	for (e = h->bucket[b]; e != NULL; e = e->next)
		if (strcmp(e->name, name) == 0)
			return (e);
	if (!make)
		return (NULL);
	if (h->n >= h->nbucket) {
		hosts_grow(h);
		b = hosts_hash(name) & (h->nbucket - 1);
	}
	e = xcalloc(1, sizeof(*e));
	e->name = xstrdup(name);
	e->next = h->bucket[b];
	h->bucket[b] = e;
	h->n++;
	return (e);
}

/* Twice the buckets, entries rehashed. */
static void
hosts_grow(struct hosts *h)
{
	struct host	**old = h->bucket, *e, *next;
	size_t		  i, n = h->nbucket, b;

	h->nbucket *= 2;
	h->bucket = xcalloc(h->nbucket, sizeof(*h->bucket));
	for (i = 0; i < n; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			b = hosts_hash(e->name) & (h->nbucket - 1);
			e->next = h->bucket[b];
			h->bucket[b] = e;
		}
	}
	free(old);
}

/* Unlinks and frees one entry (it has no waiters). */
static void
hosts_forget(struct hosts *h, struct host *e)
{
	struct host	**p = &h->bucket[hosts_hash(e->name) &
			    (h->nbucket - 1)];

	while (*p != e)
		p = &(*p)->next;
	*p = e->next;
	free(e->name);
	free(e);
	h->n--;
}

/* FNV-1a, 64 bits. */
static uint64_t
hosts_hash(const char *s)
{
	uint64_t	x = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ULL;
	return (x);
}
