/*
 * --format junit: JUnit XML, one testcase per result (cli.md).  The counts
 * belong in the opening tags, but memory must not grow with the input, so
 * test cases go to a temporary file as they come and are copied after the
 * header at the end.
 */
#include "httpstat/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "httpstat/escape.h"
#include "httpstat/result.h"
#include "httpstat/xmalloc.h"

#define JUNIT_NAME	"httpstat-async"

struct junit {
	FILE		*tmp;		/* owned: test cases so far */
	unsigned long	 tests;
	unsigned long	 failures;
};

static void	junit_begin(struct output *);
static void	junit_result(struct output *, const struct result *);
static void	junit_failure(FILE *, const struct result *);
static void	junit_fail_error(FILE *, const struct result *);
static void	junit_fail_cert(FILE *, const struct result *);
static void	junit_fail_status(FILE *, const struct result *);
static void	junit_status(FILE *, const struct result *);
static void	junit_code(FILE *, const struct result *);
static void	junit_str(FILE *, const char *);
static void	junit_end(struct output *, const struct summary *);
static void	junit_counts(FILE *, const char *, const struct junit *,
		    const struct summary *);
static void	junit_free(struct output *);

const struct output_ops out_junit_ops = {
	junit_result, junit_end, junit_begin, junit_free
};

/* The writer's state and its temporary file. */
static void
junit_begin(struct output *o)
{
	struct junit	*j;

	j = xcalloc(1, sizeof(*j));
	o->priv = j;
	if ((j->tmp = tmpfile()) == NULL)
		o->error = errno != 0 ? errno : EIO;
}

/* One <testcase>, with a <failure> when the result is not ok. */
static void
junit_result(struct output *o, const struct result *r)
{
	struct junit	*j = o->priv;
	FILE		*fp = j->tmp;

	j->tests++;
	fputs("    <testcase name=\"", fp);
	escape_xml(fp, r->url != NULL ? r->url : "", r->url_len);
	fputs("\" classname=\"" JUNIT_NAME "\"", fp);
	if (r->time_ms >= 0)
		fprintf(fp, " time=\"%.3f\"", r->time_ms / 1000.0);
	if (r->ok) {
		fputs("/>\n", fp);
		return;
	}
	j->failures++;
	fputs(">\n", fp);
	junit_failure(fp, r);
	fputs("    </testcase>\n", fp);
}

/* cli.md: the type is the error kind, or "status"; "cert" is ours. */
static void
junit_failure(FILE *fp, const struct result *r)
{
	fputs("      <failure type=\"", fp);
	if (r->kind != ERR_NONE)
		junit_fail_error(fp, r);
	else if (r->tls.expiring)
		junit_fail_cert(fp, r);
	else
		junit_fail_status(fp, r);
	fputs("</failure>\n", fp);
}

/* type="dns" message="..." and the phase and message as text. */
static void
junit_fail_error(FILE *fp, const struct result *r)
{
	const char	*msg = r->message != NULL ? r->message : "";
	const char	*phase = result_phase_name(r->phase);

	fprintf(fp, "%s\" message=\"", result_kind_name(r->kind));
	junit_str(fp, msg);
	fprintf(fp, "\">%s error", result_kind_name(r->kind));
	if (phase != NULL)
		fprintf(fp, " in phase %s", phase);
	fputs(": ", fp);
	junit_str(fp, msg);
}

/* cli.md: --cert-min-days not met; the status is kept. */
static void
junit_fail_cert(FILE *fp, const struct result *r)
{
	fprintf(fp, "cert\" message=\"certificate has %ld days left\">",
	    r->tls.days_left);
	fputs("certificate not after ", fp);
	junit_str(fp, r->tls.not_after[0] != '\0' ? r->tls.not_after :
	    "unknown");
	fprintf(fp, ", %ld days left; ", r->tls.days_left);
	junit_status(fp, r);
}

/* type="status" message="status 404 Not Found not expected". */
static void
junit_fail_status(FILE *fp, const struct result *r)
{
	fputs("status\" message=\"", fp);
	junit_status(fp, r);
	fputs(" not expected\">got ", fp);
	if (r->http_version[0] != '\0') {
		junit_str(fp, r->http_version);
		putc(' ', fp);
	}
	junit_code(fp, r);
}

/* "status 404 Not Found", escaped. */
static void
junit_status(FILE *fp, const struct result *r)
{
	fputs("status ", fp);
	junit_code(fp, r);
}

/* "404 Not Found", escaped. */
static void
junit_code(FILE *fp, const struct result *r)
{
	fprintf(fp, "%d", r->status);
	if (r->reason != NULL && r->reason[0] != '\0') {
		putc(' ', fp);
		junit_str(fp, r->reason);
	}
}

/* A NUL-terminated string, escaped for XML. */
static void
junit_str(FILE *fp, const char *s)
{
	escape_xml(fp, s, strlen(s));
}

/* The header with the counts, the test cases, the closing tags. */
static void
junit_end(struct output *o, const struct summary *s)
{
	struct junit	*j = o->priv;
	FILE		*fp = o->fp;

	if (j == NULL || j->tmp == NULL)
		return;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	junit_counts(fp, "<testsuites", j, s);
	junit_counts(fp, "  <testsuite", j, s);
	output_copy(o, j->tmp);
	fputs("  </testsuite>\n</testsuites>\n", fp);
	junit_free(o);
}

/* An opening tag with the name and the counts. */
static void
junit_counts(FILE *fp, const char *tag, const struct junit *j,
    const struct summary *s)
{
	fprintf(fp, "%s name=\"" JUNIT_NAME "\" tests=\"%lu\" "
	    "failures=\"%lu\" errors=\"0\" time=\"%.3f\">\n", tag,
	    j->tests, j->failures, s->seconds);
}


/* Closes the temporary file and frees the state. */
static void
junit_free(struct output *o)
{
	struct junit	*j = o->priv;

	if (j == NULL)
		return;
	if (j->tmp != NULL)
		fclose(j->tmp);
	free(j);
	o->priv = NULL;
}
