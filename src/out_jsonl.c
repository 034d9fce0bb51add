/* --format jsonl: one compact JSON object per result (cli.md). */
#include "httpstat/output.h"

#include <string.h>

#include "httpstat/escape.h"
#include "httpstat/result.h"

static void	jsonl_result(struct output *, const struct result *);
static void	jsonl_str(FILE *, const char *);
static void	jsonl_ms(FILE *, const char *, double);
static void	jsonl_error(FILE *, const struct result *);
static void	jsonl_redirects(FILE *, const struct result *);
static void	jsonl_attempts(FILE *, const struct result *);
static void	jsonl_tls(FILE *, const struct tls_info *);

const struct output_ops out_jsonl_ops = { jsonl_result, NULL, NULL, NULL };

/* One line: fields in a fixed order, null where they do not apply. */
static void
jsonl_result(struct output *o, const struct result *r)
{
	FILE	*fp = o->fp;

	fputs("{\"url\":", fp);
	escape_json(fp, r->url != NULL ? r->url : "", r->url_len);
	fprintf(fp, ",\"ok\":%s,\"status\":", r->ok ? "true" : "false");
	if (r->status != 0)
		fprintf(fp, "%d", r->status);
	else
		fputs("null", fp);
	fputs(",\"reason\":", fp);
	jsonl_str(fp, r->status != 0 ? r->reason : NULL);
	fputs(",\"http_version\":", fp);
	jsonl_str(fp, r->status != 0 ? r->http_version : NULL);
	fputs(",\"error\":", fp);
	jsonl_error(fp, r);
	fputs(",\"source\":", fp);
	jsonl_str(fp, r->source);
	if (r->source != NULL)
		fprintf(fp, ",\"line\":%ld", r->line);
	else
		fputs(",\"line\":null", fp);
	fprintf(fp, ",\"index\":%zu,\"addr\":", r->index);
	jsonl_str(fp, r->addr[0] != '\0' ? r->addr : NULL);
	jsonl_ms(fp, ",\"time_ms\":", r->time_ms);
	jsonl_ms(fp, ",\"timings\":{\"dns_ms\":", r->timings.dns_ms);
	jsonl_ms(fp, ",\"connect_ms\":", r->timings.connect_ms);
	jsonl_ms(fp, ",\"tls_ms\":", r->timings.tls_ms);
	jsonl_ms(fp, ",\"ttfb_ms\":", r->timings.ttfb_ms);
	fputc('}', fp);
	jsonl_redirects(fp, r);
	fprintf(fp, ",\"attempts\":%d", r->attempts);
	jsonl_attempts(fp, r);
	fputs(",\"tls\":", fp);
	jsonl_tls(fp, &r->tls);
	fputs("}\n", fp);
}

/* A string or null. */
static void
jsonl_str(FILE *fp, const char *s)
{
	if (s == NULL)
		fputs("null", fp);
	else
		escape_json(fp, s, strlen(s));
}

/* A key and milliseconds with microsecond precision, or null. */
static void
jsonl_ms(FILE *fp, const char *key, double ms)
{
	fputs(key, fp);
	if (ms < 0)
		fputs("null", fp);
	else
		fprintf(fp, "%.3f", ms);
}

/* {"kind", "phase", "message"} or null. */
static void
jsonl_error(FILE *fp, const struct result *r)
{
	if (r->kind == ERR_NONE) {
		fputs("null", fp);
		return;
	}
	fprintf(fp, "{\"kind\":\"%s\",\"phase\":", result_kind_name(r->kind));
	jsonl_str(fp, result_phase_name(r->phase));
	fputs(",\"message\":", fp);
	jsonl_str(fp, r->message != NULL ? r->message : "");
	fputc('}', fp);
}

/* cli.md: each followed hop: URL requested, status, absolute target. */
static void
jsonl_redirects(FILE *fp, const struct result *r)
{
	int	i;

	fputs(",\"redirects\":[", fp);
	for (i = 0; i < r->nredirects; i++) {
		fprintf(fp, "%s{\"url\":", i > 0 ? "," : "");
		jsonl_str(fp, r->redirects[i].url);
		fprintf(fp, ",\"status\":%d,\"location\":",
		    r->redirects[i].status);
		jsonl_str(fp, r->redirects[i].location);
		if (r->redirects[i].downgrade)
			fputs(",\"downgrade\":true", fp);
		fputc('}', fp);
	}
	fputc(']', fp);
}

/* cli.md: every connect attempt, its address, time and outcome. */
static void
jsonl_attempts(FILE *fp, const struct result *r)
{
	int	i;

	fputs(",\"connect_attempts\":[", fp);
	for (i = 0; i < r->nconn; i++) {
		fprintf(fp, "%s{\"addr\":", i > 0 ? "," : "");
		jsonl_str(fp, r->conn[i].addr);
		jsonl_ms(fp, ",\"ms\":", r->conn[i].ms);
		fprintf(fp, ",\"outcome\":\"%s\"}",
		    result_outcome_name(r->conn[i].outcome));
	}
	fputc(']', fp);
}

/* The leaf certificate and session, or null on plain http. */
static void
jsonl_tls(FILE *fp, const struct tls_info *t)
{
	if (!t->present) {
		fputs("null", fp);
		return;
	}
	fputs("{\"version\":", fp);
	jsonl_str(fp, t->version[0] != '\0' ? t->version : NULL);
	fputs(",\"cipher\":", fp);
	jsonl_str(fp, t->cipher[0] != '\0' ? t->cipher : NULL);
	fputs(",\"cert_not_after\":", fp);
	jsonl_str(fp, t->not_after[0] != '\0' ? t->not_after : NULL);
	if (t->has_cert && t->not_after[0] != '\0')
		fprintf(fp, ",\"cert_days_left\":%ld", t->days_left);
	else
		fputs(",\"cert_days_left\":null", fp);
	fprintf(fp, ",\"cert_expiring\":%s,\"resumed\":%s}",
	    t->expiring ? "true" : "false", t->resumed ? "true" : "false");
}
