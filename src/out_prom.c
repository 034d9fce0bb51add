/*
 * --format prom: Prometheus text exposition for node_exporter's textfile
 * collector (cli.md).  The format wants each family's samples together
 * after its HELP and TYPE, but results come one at a time and memory must
 * not grow with the input: each family is buffered in its own temporary
 * file and the families are written one after another at the end.
 */
#include "httpstat/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "httpstat/escape.h"
#include "httpstat/result.h"
#include "httpstat/xmalloc.h"

enum prom_family {
	PROM_UP,
	PROM_STATUS,
	PROM_DURATION,
	PROM_CERT,
	PROM_NFAMILIES,
};

struct prom {
	FILE		*tmp[PROM_NFAMILIES];	/* owned: samples so far */
	unsigned long	 n[PROM_NFAMILIES];	/* samples in each */
};

static void		 prom_begin(struct output *);
static void		 prom_result(struct output *, const struct result *);
static void		 prom_durations(struct prom *, const struct result *);
static FILE		*prom_sample(struct prom *, enum prom_family,
			    const struct result *, const char *);
static void		 prom_end(struct output *, const struct summary *);
static const char	*prom_name(enum prom_family);
static const char	*prom_help(enum prom_family);
static void		 prom_free(struct output *);

const struct output_ops out_prom_ops = {
	prom_result, prom_end, prom_begin, prom_free
};

/* The writer's state: one temporary file per family. */
static void
prom_begin(struct output *o)
{
	struct prom	*p;
	int		 i;

	p = xcalloc(1, sizeof(*p));
	o->priv = p;
	for (i = 0; i < PROM_NFAMILIES; i++)
		if ((p->tmp[i] = tmpfile()) == NULL) {
			o->error = errno != 0 ? errno : EIO;
			return;
		}
}

/* cli.md: up always; status code unless an error; cert expiry if any. */
static void
prom_result(struct output *o, const struct result *r)
{
	struct prom	*p = o->priv;

	fprintf(prom_sample(p, PROM_UP, r, NULL), " %d\n", r->ok ? 1 : 0);
	if (r->status != 0)
		fprintf(prom_sample(p, PROM_STATUS, r, NULL), " %d\n",
		    r->status);
	prom_durations(p, r);
	if (r->tls.has_cert)
		fprintf(prom_sample(p, PROM_CERT, r, NULL), " %lld\n",
		    r->tls.not_after_unix);
}

/*
 * One sample per phase that happened.  "head" is what the total leaves
 * after the phases before it: from the end of TLS (or connect) to the
 * complete head, so only a result with a status has one.
 */
static void
prom_durations(struct prom *p, const struct result *r)
{
	const double	 ms[3] = { r->timings.dns_ms, r->timings.connect_ms,
	    r->timings.tls_ms };
	const char	*phase[3] = { "resolve", "connect", "tls" };
	double		 head;
	int		 i;

	head = r->time_ms;
	for (i = 0; i < 3; i++) {
		if (ms[i] < 0)
			continue;
		fprintf(prom_sample(p, PROM_DURATION, r, phase[i]), " %.9g\n",
		    ms[i] / 1000.0);
		head -= ms[i];
	}
	if (r->time_ms < 0)
		return;
	if (r->status != 0)
		fprintf(prom_sample(p, PROM_DURATION, r, "head"), " %.9g\n",
		    head > 0 ? head / 1000.0 : 0.0);
	fprintf(prom_sample(p, PROM_DURATION, r, "total"), " %.9g\n",
	    r->time_ms / 1000.0);
}

/* Starts a sample, name{url="...",index="N"}: the value comes next. */
static FILE *
prom_sample(struct prom *p, enum prom_family f, const struct result *r,
    const char *phase)
{
	FILE	*fp = p->tmp[f];

	p->n[f]++;
	fprintf(fp, "%s{url=\"", prom_name(f));
	escape_prom(fp, r->url != NULL ? r->url : "", r->url_len);
	fprintf(fp, "\",index=\"%zu\"", r->index);
	if (phase != NULL)
		fprintf(fp, ",phase=\"%s\"", phase);
	putc('}', fp);
	return (fp);
}

/* Each family that has samples: HELP, TYPE, then all of its samples. */
static void
prom_end(struct output *o, const struct summary *s)
{
	struct prom		*p = o->priv;
	enum prom_family	 f;

	(void)s;
	if (p == NULL || o->error != 0)
		return;
	for (f = 0; f < PROM_NFAMILIES; f++) {
		if (p->n[f] == 0)
			continue;
		fprintf(o->fp, "# HELP %s %s\n# TYPE %s gauge\n",
		    prom_name(f), prom_help(f), prom_name(f));
		if (output_copy(o, p->tmp[f]) == -1)
			break;
	}
	prom_free(o);
}

/* The metric name of a family. */
static const char *
prom_name(enum prom_family f)
{
	switch (f) {
	case PROM_UP:
		return ("httpstat_up");
	case PROM_STATUS:
		return ("httpstat_status_code");
	case PROM_DURATION:
		return ("httpstat_duration_seconds");
	case PROM_CERT:
		return ("httpstat_cert_expiry_seconds");
	case PROM_NFAMILIES:
		break;
	}
	return ("httpstat_invalid");
}

/* The HELP text of a family: no backslash, no newline. */
static const char *
prom_help(enum prom_family f)
{
	switch (f) {
	case PROM_UP:
		return ("Whether the check was ok (1) or not (0).");
	case PROM_STATUS:
		return ("HTTP status code of the final response.");
	case PROM_DURATION:
		return ("Duration of each phase of the check in seconds.");
	case PROM_CERT:
		return ("Unix time when the leaf certificate expires.");
	case PROM_NFAMILIES:
		break;
	}
	return ("");
}


/* Closes the temporary files and frees the state. */
static void
prom_free(struct output *o)
{
	struct prom	*p = o->priv;
	int		 i;

	if (p == NULL)
		return;
	for (i = 0; i < PROM_NFAMILIES; i++)
		if (p->tmp[i] != NULL)
			fclose(p->tmp[i]);
	free(p);
	o->priv = NULL;
}
