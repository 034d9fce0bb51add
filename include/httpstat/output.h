/* Result writers behind one small vtable: text, jsonl, csv, junit, prom. */
#ifndef HTTPSTAT_OUTPUT_H
#define HTTPSTAT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "httpstat/options.h"
#include "httpstat/result.h"

struct result;

/* Counts for the end of the run. */
struct summary {
	unsigned long	 checked;
	unsigned long	 ok;
	double		 seconds;
};

struct output;

/*
 * A writer.  Only result is required.  begin runs once, before the first
 * result (or at the end when there was none); end once, after the last;
 * free releases o->priv and may run without begin or end.  A writer that
 * cannot use its own storage (a tmpfile) sets o->error to the errno.
 */
struct output_ops {
	void	(*result)(struct output *, const struct result *);
	void	(*end)(struct output *, const struct summary *);
	void	(*begin)(struct output *);
	void	(*free)(struct output *);
};

struct output {
	const struct output_ops	*ops;
	FILE			*fp;		/* borrowed: stdout or -o */
	FILE			*err;		/* borrowed: stderr */
	bool			 color;
	bool			 quiet;
	int			 url_width;	/* text: widest URL so far */
	int			 columns;	/* text: terminal width, or 0 */
	unsigned long		 by_class[6];	/* text: 1xx..5xx counts */
	unsigned long		 by_kind[ERR_IO + 1];	/* text: errors */
	void			*priv;		/* owned: the writer's state */
	bool			 begun;		/* begin has run */
	bool			 ended;		/* end has run */
	int			 error;		/* errno of a failure, or 0 */
};

/* Sets up the writer for the format; fp and err borrowed. */
void	output_init(struct output *, enum out_format, FILE *, FILE *, bool,
	    bool);
int	output_begin(struct output *);
void	output_result(struct output *, const struct result *);
int	output_end(struct output *, const struct summary *);
void	output_free(struct output *);
/* For writers: appends a temporary file to o->fp; sets o->error. */
int	output_copy(struct output *, FILE *);

extern const struct output_ops	out_text_ops;
extern const struct output_ops	out_jsonl_ops;
extern const struct output_ops	out_csv_ops;
extern const struct output_ops	out_junit_ops;
extern const struct output_ops	out_prom_ops;

#endif
