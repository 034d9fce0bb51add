/* The output vtable: picks a writer for the format. */
#include "httpstat/output.h"

#include <string.h>

/* A writer for the format; fp gets results, err the summary. */
void
output_init(struct output *o, enum out_format f, FILE *fp, FILE *err,
    bool color, bool quiet)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->err = err;
	o->color = color;
	o->quiet = quiet;
	switch (f) {
	case FORMAT_TEXT:
		o->ops = &out_text_ops;
		break;
	case FORMAT_JSONL:
		o->ops = &out_jsonl_ops;
		break;
	}
}

/* One result, in the writer's format. */
void
output_result(struct output *o, const struct result *r)
{
	o->ops->result(o, r);
}

/* The end of the run: summary or trailer. */
void
output_end(struct output *o, const struct summary *s)
{
	if (o->ops->end != NULL)
		o->ops->end(o, s);
}
