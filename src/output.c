/* The output vtable: picks a writer for the format. */
#include "httpstat/output.h"

#include <errno.h>
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
	case FORMAT_CSV:
		o->ops = &out_csv_ops;
		break;
	case FORMAT_JUNIT:
		o->ops = &out_junit_ops;
		break;
	case FORMAT_PROM:
		o->ops = &out_prom_ops;
		break;
	}
}

/*
 * The header, or the writer's storage: once, before the first result.
 * Calling it is optional (the first result or the end does it), but lets
 * a failure (no tmpfile) show before anything is checked.  Returns 0, or
 * -1 with errno set.
 */
int
output_begin(struct output *o)
{
	if (!o->begun) {
		o->begun = true;
		if (o->ops->begin != NULL)
			o->ops->begin(o);
	}
	if (o->error != 0) {
		errno = o->error;
		return (-1);
	}
	return (0);
}

/* One result, in the writer's format. */
void
output_result(struct output *o, const struct result *r)
{
	if (output_begin(o) == -1)
		return;
	o->ops->result(o, r);
}

/*
 * The end of the run: summary or trailer, and the buffered families or
 * test cases.  Returns 0, or -1 with errno set when the writer's own
 * storage failed: the results written to o->fp are then incomplete.
 */
int
output_end(struct output *o, const struct summary *s)
{
	if (output_begin(o) == -1)
		return (-1);
	if (!o->ended) {
		o->ended = true;
		if (o->ops->end != NULL)
			o->ops->end(o, s);
	}
	if (o->error != 0) {
		errno = o->error;
		return (-1);
	}
	return (0);
}

/* Releases the writer's state; safe to call more than once. */
void
output_free(struct output *o)
{
	if (o->ops != NULL && o->ops->free != NULL)
		o->ops->free(o);
	o->priv = NULL;
}

/*
 * Appends what a writer buffered in tmp to o->fp.  A failure of tmp (a
 * full disk under the temporary directory) is recorded in o->error for
 * output_end() to return; one of o->fp is the caller's to see (ferror).
 */
int
output_copy(struct output *o, FILE *tmp)
{
	char	buf[8192];
	size_t	n;

	errno = 0;
	if (fflush(tmp) != 0 || ferror(tmp) || fseek(tmp, 0, SEEK_SET) != 0)
		goto fail;
	while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
		if (fwrite(buf, 1, n, o->fp) != n)
			return (-1);
	if (ferror(tmp))
		goto fail;
	return (0);
fail:
	if (o->error == 0)
		o->error = errno != 0 ? errno : EIO;
	return (-1);
}
