/*
 * The run: sources in order, concurrency slots, the --order input window,
 * --deadline, signals, and the results handed to the output in order.
 */
#ifndef HTTPSTAT_RUN_H
#define HTTPSTAT_RUN_H

#include <stdbool.h>

struct event_base;
struct options;
struct output;
struct progress;
struct proxy_conf;
struct resolver;
struct tlsctx;
struct run;

/* proxy and progress may be NULL; all borrowed. */
struct run	*run_new(struct event_base *, const struct options *,
		    struct resolver *, struct tlsctx *, struct proxy_conf *,
		    struct output *, struct progress *);
/* Sources, in order: a URL argument, or an open list (fd owned). */
void		 run_add_url(struct run *, const char *);
void		 run_add_list(struct run *, int, const char *);
/* Runs to the end; the exit status of cli.md. */
int		 run_exec(struct run *);
void		 run_free(struct run *);

#endif
