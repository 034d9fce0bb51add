/* --format csv: RFC 4180, CRLF line ends, a header row (cli.md). */
#include "httpstat/output.h"

#include <string.h>

#include "httpstat/escape.h"
#include "httpstat/result.h"

static void	csv_begin(struct output *);
static void	csv_result(struct output *, const struct result *);
static void	csv_str(FILE *, const char *);

const struct output_ops out_csv_ops = { csv_result, NULL, csv_begin, NULL };

/* The header row: written even when no result follows. */
static void
csv_begin(struct output *o)
{
	fputs("url,ok,status,reason,error_kind,error_message,time_ms\r\n",
	    o->fp);
}

/* One row; a null is an empty field, "" a quoted empty string. */
static void
csv_result(struct output *o, const struct result *r)
{
	FILE	*fp = o->fp;

	escape_csv(fp, r->url != NULL ? r->url : "", r->url_len);
	fprintf(fp, ",%s,", r->ok ? "true" : "false");
	if (r->status != 0)
		fprintf(fp, "%d", r->status);
	putc(',', fp);
	csv_str(fp, r->status != 0 ? r->reason : NULL);
	putc(',', fp);
	if (r->kind != ERR_NONE) {
		csv_str(fp, result_kind_name(r->kind));
		putc(',', fp);
		csv_str(fp, r->message != NULL ? r->message : "");
	} else
		putc(',', fp);
	putc(',', fp);
	if (r->time_ms >= 0)
		fprintf(fp, "%.3f", r->time_ms);
	fputs("\r\n", fp);
}

/* A field, or nothing for a null. */
static void
csv_str(FILE *fp, const char *s)
{
	if (s != NULL)
		escape_csv(fp, s, strlen(s));
}
