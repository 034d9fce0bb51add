/* Result writers behind one small vtable: text, jsonl. */
#ifndef HTTPSTAT_OUTPUT_H
#define HTTPSTAT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "httpstat/options.h"

struct result;

/* Counts for the end of the run. */
struct summary {
	unsigned long	 checked;
	unsigned long	 ok;
	double		 seconds;
};

struct output;

struct output_ops {
	void	(*result)(struct output *, const struct result *);
	void	(*end)(struct output *, const struct summary *);
};

struct output {
	const struct output_ops	*ops;
	FILE			*fp;		/* borrowed: stdout or -o */
	FILE			*err;		/* borrowed: stderr */
	bool			 color;
	bool			 quiet;
	int			 url_width;	/* text: widest URL so far */
};

/* Sets up the writer for the format; fp and err borrowed. */
void	output_init(struct output *, enum out_format, FILE *, FILE *, bool,
	    bool);
void	output_result(struct output *, const struct result *);
void	output_end(struct output *, const struct summary *);

extern const struct output_ops	out_text_ops;
extern const struct output_ops	out_jsonl_ops;

#endif
