/*
 * Unit tests for the writers behind output.h: csv, junit, prom, and the
 * parts of jsonl and text they share.  The outputs are read back by
 * strict readers written here (RFC 4180, the Prometheus text format) and,
 * for JUnit, by xmllint against a schema as strict as the CI readers.
 */
#include "httpstat/output.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpstat/result.h"
#include "httpstat/xmalloc.h"

#define FFFD		"\xef\xbf\xbd"
#define XMLLINT		"/usr/bin/xmllint"
#define NOT_AFTER	1798761600LL	/* 2027-01-01T00:00:00Z */

/* Total, resolve, connect and TLS times in ms; -1: null. */
#define T(a, b, c, d)	.time_ms = (a), .dns = (b), .conn = (c), .tls = (d)

#define HOSTILE_URL	"http://h/a\"b,c\r\nd\0e<>&\\f\xff'g\tz"

/* One result to build, and what each format must show of it. */
struct fix {
	char		 url[64];
	size_t		 url_len;	/* 0: strlen(url) */
	int		 status;	/* 0: none */
	char		 reason[40];
	enum err_kind	 kind;
	enum phase	 phase;
	char		 msg[48];
	double		 time_ms, dns, conn, tls;
	bool		 ok;
	bool		 cert;		/* a leaf certificate was seen */
	bool		 expiring;	/* --cert-min-days not met */

	char		 x_url[80];	/* CSV and XML, decoded */
	char		 x_reason[48];
	char		 x_msg[64];
	char		 p_url[80];	/* Prometheus label, unescaped */
	char		 x_time[16];	/* CSV time_ms field */
	char		 j_type[16];	/* JUnit failure type, "" none */
};

static const struct fix fixtures[] = {
	{ .url = "https://ok.example/", .status = 200, .reason = "OK",
	  T(123.4567, 1.5, 10.25, 30), .ok = true, .cert = true,
	  .x_url = "https://ok.example/", .x_reason = "OK",
	  .p_url = "https://ok.example/", .x_time = "123.457" },
	{ .url = "http://nf.example/x", .status = 404,
	  .reason = "Not Found", T(5, 0.5, 1, -1),
	  .x_url = "http://nf.example/x", .x_reason = "Not Found",
	  .p_url = "http://nf.example/x", .x_time = "5.000",
	  .j_type = "status" },
	{ .url = "http://[::1]:8080/", .status = 204, .reason = "",
	  T(2, -1, -1, -1), .ok = true,
	  .x_url = "http://[::1]:8080/", .p_url = "http://[::1]:8080/",
	  .x_time = "2.000" },
	{ .url = "https://old.example/", .status = 200, .reason = "OK",
	  T(40, 1, 2, 3), .cert = true, .expiring = true,
	  .x_url = "https://old.example/", .x_reason = "OK",
	  .p_url = "https://old.example/", .x_time = "40.000",
	  .j_type = "cert" },
	{ .url = "ftp://x/", .kind = ERR_INVALID_URL,
	  .msg = "scheme is not http or https", T(-1, -1, -1, -1),
	  .x_url = "ftp://x/", .x_msg = "scheme is not http or https",
	  .p_url = "ftp://x/", .j_type = "invalid-url" },
	{ .url = "http://nx.invalid/", .kind = ERR_DNS, .phase = PHASE_RESOLVE,
	  .msg = "no such host, NXDOMAIN", T(0.0004, -1, -1, -1),
	  .x_url = "http://nx.invalid/", .x_msg = "no such host, NXDOMAIN",
	  .p_url = "http://nx.invalid/", .x_time = "0.000",
	  .j_type = "dns" },
	{ .url = "http://127.0.0.1:1/", .kind = ERR_CONNECT,
	  .phase = PHASE_CONNECT, .msg = "Connection refused",
	  T(0.75, -1, 0.7, -1),
	  .x_url = "http://127.0.0.1:1/", .x_msg = "Connection refused",
	  .p_url = "http://127.0.0.1:1/", .x_time = "0.750",
	  .j_type = "connect" },
	{ .url = "https://self.example/", .kind = ERR_TLS, .phase = PHASE_TLS,
	  .msg = "certificate verify failed", T(20, 1, 2, 15), .cert = true,
	  .x_url = "https://self.example/",
	  .x_msg = "certificate verify failed",
	  .p_url = "https://self.example/", .x_time = "20.000",
	  .j_type = "tls" },
	{ .url = "http://slow.example/", .kind = ERR_TIMEOUT,
	  .phase = PHASE_HEAD, .msg = "no status after 10 s",
	  T(10000, 1, 2, -1),
	  .x_url = "http://slow.example/", .x_msg = "no status after 10 s",
	  .p_url = "http://slow.example/", .x_time = "10000.000",
	  .j_type = "timeout" },
	{ .url = "http://late.example/", .kind = ERR_DEADLINE,
	  .msg = "deadline before start", T(-1, -1, -1, -1),
	  .x_url = "http://late.example/", .x_msg = "deadline before start",
	  .p_url = "http://late.example/", .j_type = "deadline" },
	{ .url = "http://rst.example/", .kind = ERR_CLOSED, .phase = PHASE_HEAD,
	  .msg = "", T(3, 1, 1, -1),
	  .x_url = "http://rst.example/", .p_url = "http://rst.example/",
	  .x_time = "3.000", .j_type = "closed" },
	{ .url = "http://junk.example/", .kind = ERR_PROTOCOL,
	  .phase = PHASE_HEAD, .msg = "not an HTTP/1.x status line",
	  T(4, 1, 1, -1),
	  .x_url = "http://junk.example/",
	  .x_msg = "not an HTTP/1.x status line",
	  .p_url = "http://junk.example/", .x_time = "4.000",
	  .j_type = "protocol" },
	{ .url = "http://loop.example/", .kind = ERR_REDIRECT,
	  .phase = PHASE_HEAD, .msg = "more than 10 redirects",
	  T(50, 1, 1, -1),
	  .x_url = "http://loop.example/", .x_msg = "more than 10 redirects",
	  .p_url = "http://loop.example/", .x_time = "50.000",
	  .j_type = "redirect" },
	{ .url = "http://int.example/", .kind = ERR_CANCELLED,
	  .phase = PHASE_CONNECT, .msg = "interrupted", T(6, 1, -1, -1),
	  .x_url = "http://int.example/", .x_msg = "interrupted",
	  .p_url = "http://int.example/", .x_time = "6.000",
	  .j_type = "cancelled" },
	{ .url = "http://fd.example/", .kind = ERR_IO, .phase = PHASE_CONNECT,
	  .msg = "Too many open files", T(1, 1, -1, -1),
	  .x_url = "http://fd.example/", .x_msg = "Too many open files",
	  .p_url = "http://fd.example/", .x_time = "1.000",
	  .j_type = "io" },
	{ .url = HOSTILE_URL, .url_len = sizeof(HOSTILE_URL) - 1,
	  .status = 599, .reason = "We \"love\", <you>\r\n&\\ \xc3",
	  T(7, 1, 2, -1),
	  .x_url = "http://h/a\"b,c\r\nd" FFFD "e<>&\\f" FFFD "'g\tz",
	  .x_reason = "We \"love\", <you>\r\n&\\ " FFFD,
	  .p_url = "http://h/a\"b,c" FFFD "\nd" FFFD "e<>&\\f" FFFD "'g"
	      FFFD "z",
	  .x_time = "7.000", .j_type = "status" },
	{ .url = "http://h/\xe2\x82", .kind = ERR_PROTOCOL,
	  .phase = PHASE_HEAD, .msg = "bad \"x\", <y>\r\n\\ \x80 z\x01",
	  T(8, 1, 2, -1),
	  .x_url = "http://h/" FFFD,
	  .x_msg = "bad \"x\", <y>\r\n\\ " FFFD " z" FFFD,
	  .p_url = "http://h/" FFFD, .x_time = "8.000",
	  .j_type = "protocol" },
	{ .url = " http://sp/a b ", .status = 200, .reason = "OK",
	  T(9, 1, 2, -1), .ok = true,
	  .x_url = " http://sp/a b ", .x_reason = "OK",
	  .p_url = " http://sp/a b ", .x_time = "9.000" },
	{ .url = "http://e/]]>\xf0\x9f\x98\x80?q=1&r=2", .status = 301,
	  .reason = "Moved Permanently", T(10, 1, 2, -1), .ok = true,
	  .x_url = "http://e/]]>\xf0\x9f\x98\x80?q=1&r=2",
	  .x_reason = "Moved Permanently",
	  .p_url = "http://e/]]>\xf0\x9f\x98\x80?q=1&r=2",
	  .x_time = "10.000" },
};

#define NFIX	(sizeof(fixtures) / sizeof(fixtures[0]))

/* What a writer wrote: results to out, the summary to err. */
struct cap {
	char	*out;
	size_t	 outlen;
	char	*err;
	size_t	 errlen;
};

/* One CSV field as read back. */
struct csv_field {
	char	*s;
	size_t	 len;
	bool	 quoted;
};

/* One CSV record. */
struct csv_rec {
	struct csv_field	 f[16];
	size_t			 n;
};

/* One Prometheus sample as read back. */
struct psample {
	char	 name[64];
	char	 labels[64];		/* label names: "url,index,phase" */
	char	 url[128];
	size_t	 urllen;
	char	 index[24];
	char	 phase[16];
	double	 value;
};

/* A metric family seen by the checker. */
struct pfamily {
	char	 name[64];
	bool	 help, type, samples, closed;
};

struct pcheck {
	struct psample	 s[256];
	size_t		 n;
	struct pfamily	 fam[16];
	size_t		 nfam;
	int		 cur;		/* family of the last line, -1 */
	char		 err[200];
};

static void	fix_result(struct result *, const struct fix *, size_t);
static void	cap_run(enum out_format, const struct fix *, size_t,
		    bool, struct cap *);
static void	cap_free(struct cap *);
static bool	utf8_valid(const char *, size_t);
static size_t	csv_parse(const char *, size_t, struct csv_rec *, size_t,
		    char *, size_t);
static bool	csv_field(const char *, size_t, size_t *,
		    struct csv_field *);
static void	csv_expect(const struct csv_field *, bool, const char *,
		    const char *);
static bool	prom_check(const char *, size_t, struct pcheck *);
static bool	prom_line(const char *, size_t, struct pcheck *);
static bool	prom_comment(const char *, size_t, struct pcheck *);
static bool	prom_sample(const char *, size_t, struct pcheck *);
static size_t	prom_name(const char *, size_t, bool);
static bool	prom_labels(const char *, size_t, size_t *,
		    struct psample *, char *, size_t);
static bool	label_seen(const char *, const char *);
static bool	prom_value(const char *, size_t, double *);
static int	prom_family(struct pcheck *, const char *, size_t);
static bool	prom_fail(struct pcheck *, const char *);
static const struct psample *prom_find(const struct pcheck *,
		    const char *, size_t, const char *);
static char	*write_tmp(const char *, size_t);
static char	*xpath(const char *, const char *);
static size_t	count_str(const char *, const char *);
static bool	near(double, double);
static void	free_redirects(struct result *);

/* A result as the fixture describes it; index is 1-based. */
static void
fix_result(struct result *r, const struct fix *f, size_t index)
{
	result_init(r);
	result_set_url(r, f->url, f->url_len != 0 ? f->url_len :
	    strlen(f->url));
	r->index = index;
	if (f->status != 0)
		result_set_status(r, f->status, f->reason, strlen(f->reason),
		    "HTTP/1.1");
	if (f->kind != ERR_NONE)
		result_set_error(r, f->kind, f->phase, f->msg);
	r->ok = f->ok;
	r->time_ms = f->time_ms;
	r->timings.dns_ms = f->dns;
	r->timings.connect_ms = f->conn;
	r->timings.tls_ms = f->tls;
	r->timings.ttfb_ms = f->time_ms;
	if (f->cert) {
		r->tls.present = true;
		r->tls.has_cert = true;
		strcpy(r->tls.version, "TLSv1.3");
		strcpy(r->tls.not_after, "2027-01-01T00:00:00Z");
		r->tls.not_after_unix = NOT_AFTER;
		r->tls.days_left = f->expiring ? 3 : 400;
		r->tls.expiring = f->expiring;
	}
}

/*
 * Writes n fixtures through the writer for f, one result alive at a
 * time as in a run, then the end and output_free (twice: it must be
 * safe).  begin: call output_begin first, as main may.
 */
static void
cap_run(enum out_format f, const struct fix *fx, size_t n, bool begin,
    struct cap *c)
{
	struct output	 o;
	struct result	 r;
	struct summary	 s;
	FILE		*fp, *err;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	memset(&s, 0, sizeof(s));
	fp = open_memstream(&c->out, &c->outlen);
	err = open_memstream(&c->err, &c->errlen);
	cr_assert(fp != NULL && err != NULL);
	output_init(&o, f, fp, err, false, false);
	if (begin)
		cr_assert_eq(output_begin(&o), 0);
	for (i = 0; i < n; i++) {
		fix_result(&r, &fx[i], i + 1);
		output_result(&o, &r);
		s.checked++;
		s.ok += r.ok;
		result_free(&r);
	}
	s.seconds = 1.25;
	cr_assert_eq(output_end(&o, &s), 0);
	output_free(&o);
	output_free(&o);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(fclose(err), 0);
}

/* Frees what cap_run captured. */
static void
cap_free(struct cap *c)
{
	free(c->out);
	free(c->err);
}

/* Whether s is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
static bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, need, k;
	unsigned long		 cp, min;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			need = 1;
			cp = p[i] & 0x1f;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			need = 2;
			cp = p[i] & 0x0f;
			min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			need = 3;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else
			return (false);
		for (k = 1; k <= need; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				return (false);
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (false);
		i += need + 1;
	}
	return (true);
}

/*
 * A strict RFC 4180 reader: every record ends in CRLF (the last one
 * too); a field is either quoted (quotes doubled inside, then a comma
 * or CRLF) or holds no quote, CR or LF.  Returns the number of records,
 * or 0 with a reason in err.  Field bytes are copied (NUL-terminated).
 */
static size_t
csv_parse(const char *b, size_t len, struct csv_rec *recs, size_t max,
    char *err, size_t errsz)
{
	size_t		 i = 0, nrec = 0;
	struct csv_rec	*rec;

	while (i < len) {
		if (nrec == max) {
			snprintf(err, errsz, "too many records");
			return (0);
		}
		rec = &recs[nrec++];
		for (rec->n = 0;;) {
			if (rec->n == 16 ||
			    !csv_field(b, len, &i, &rec->f[rec->n++])) {
				snprintf(err, errsz, "record %zu field %zu: "
				    "bad field", nrec, rec->n);
				return (0);
			}
			if (i < len && b[i] == ',') {
				i++;
				continue;
			}
			if (i + 1 < len && b[i] == '\r' && b[i + 1] == '\n') {
				i += 2;
				break;
			}
			snprintf(err, errsz, "record %zu field %zu: byte %zu "
			    "is not a comma or CRLF", nrec, rec->n, i);
			return (0);
		}
	}
	if (nrec == 0)
		snprintf(err, errsz, "no records");
	return (nrec);
}

/* One field from b[*ip]; *ip ends on what follows it.  false: bad. */
static bool
csv_field(const char *b, size_t len, size_t *ip, struct csv_field *f)
{
	size_t	i = *ip;

	f->s = xcalloc(1, len + 1);
	f->len = 0;
	f->quoted = i < len && b[i] == '"';
	if (!f->quoted) {
		for (; i < len && b[i] != ',' && b[i] != '\r' &&
		    b[i] != '\n' && b[i] != '"'; i++)
			f->s[f->len++] = b[i];
		*ip = i;
		return (true);
	}
	for (i++; i < len; i++) {
		if (b[i] != '"')
			f->s[f->len++] = b[i];
		else if (i + 1 < len && b[i + 1] == '"')
			f->s[f->len++] = b[i++];
		else {
			*ip = i + 1;
			return (true);
		}
	}
	return (false);			/* an open quote */
}

/* A field is null (unquoted, empty) or the expected string. */
static void
csv_expect(const struct csv_field *f, bool null, const char *want,
    const char *what)
{
	size_t	wantlen = strlen(want);

	if (null) {
		cr_assert(!f->quoted && f->len == 0, "%s: want null", what);
		return;
	}
	cr_assert_eq(f->len, wantlen, "%s: length %zu, want %zu", what,
	    f->len, wantlen);
	cr_assert(memcmp(f->s, want, wantlen) == 0, "%s: [%.*s] want [%s]",
	    what, (int)f->len, f->s, want);
	if (wantlen == 0)
		cr_assert(f->quoted, "%s: an empty string must be quoted",
		    what);
}

/*
 * The Prometheus text format, strictly: lines end in LF; comments are
 * "# HELP name text" or "# TYPE name type", each at most once and before
 * the family's samples; a family's lines are contiguous; a sample is a
 * metric name, optional labels with valid names, no repeats and only the
 * \\, \" and \n escapes in valid UTF-8 values, one space, a float, and
 * no timestamp; no series twice.
 */
static bool
prom_check(const char *b, size_t len, struct pcheck *pc)
{
	size_t	 i, eol, j, k;

	memset(pc, 0, sizeof(*pc));
	pc->cur = -1;
	if (len > 0 && b[len - 1] != '\n')
		return (prom_fail(pc, "no LF at the end"));
	for (i = 0; i < len; i = eol + 1) {
		for (eol = i; b[eol] != '\n'; eol++)
			continue;
		if (!prom_line(b + i, eol - i, pc))
			return (false);
	}
	for (j = 0; j < pc->n; j++)
		for (k = j + 1; k < pc->n; k++)
			if (strcmp(pc->s[j].name, pc->s[k].name) == 0 &&
			    strcmp(pc->s[j].index, pc->s[k].index) == 0 &&
			    strcmp(pc->s[j].phase, pc->s[k].phase) == 0 &&
			    pc->s[j].urllen == pc->s[k].urllen &&
			    memcmp(pc->s[j].url, pc->s[k].url,
			    pc->s[j].urllen) == 0)
				return (prom_fail(pc, "a series twice"));
	return (true);
}

/* One line without its LF. */
static bool
prom_line(const char *l, size_t len, struct pcheck *pc)
{
	if (len == 0)
		return (prom_fail(pc, "empty line"));
	if (memchr(l, '\r', len) != NULL)
		return (prom_fail(pc, "CR in a line"));
	if (!utf8_valid(l, len))
		return (prom_fail(pc, "line is not UTF-8"));
	if (l[0] == '#')
		return (prom_comment(l, len, pc));
	return (prom_sample(l, len, pc));
}

/* "# HELP name text" or "# TYPE name gauge". */
static bool
prom_comment(const char *l, size_t len, struct pcheck *pc)
{
	struct pfamily	*fam;
	size_t		 n, i;
	bool		 help;
	int		 f;

	if (len > 7 && memcmp(l, "# HELP ", 7) == 0)
		help = true;
	else if (len > 7 && memcmp(l, "# TYPE ", 7) == 0)
		help = false;
	else
		return (prom_fail(pc, "a comment that is not HELP or TYPE"));
	if ((n = prom_name(l + 7, len - 7, true)) == 0)
		return (prom_fail(pc, "bad metric name in a comment"));
	if ((f = prom_family(pc, l + 7, n)) == -1)
		return (false);
	fam = &pc->fam[f];
	if (fam->samples)
		return (prom_fail(pc, "HELP or TYPE after samples"));
	if (7 + n >= len || l[7 + n] != ' ')
		return (prom_fail(pc, "HELP or TYPE without text"));
	i = 7 + n + 1;
	if (help) {
		if (fam->help)
			return (prom_fail(pc, "HELP twice"));
		fam->help = true;
		for (; i < len; i++)
			if (l[i] == '\\' && (i + 1 >= len ||
			    (l[++i] != '\\' && l[i] != 'n')))
				return (prom_fail(pc, "bad escape in HELP"));
		return (true);
	}
	if (fam->type)
		return (prom_fail(pc, "TYPE twice"));
	fam->type = true;
	if (len - i == 5 && memcmp(l + i, "gauge", 5) == 0)
		return (true);
	if (len - i == 7 && memcmp(l + i, "counter", 7) == 0)
		return (true);
	return (prom_fail(pc, "unknown TYPE"));
}

/* name{label="value",...} value: no timestamp. */
static bool
prom_sample(const char *l, size_t len, struct pcheck *pc)
{
	struct psample	*s;
	size_t		 n, i;
	int		 f;

	if (pc->n == sizeof(pc->s) / sizeof(pc->s[0]))
		return (prom_fail(pc, "too many samples"));
	s = &pc->s[pc->n];
	memset(s, 0, sizeof(*s));
	if ((n = prom_name(l, len, true)) == 0 || n >= sizeof(s->name))
		return (prom_fail(pc, "bad metric name"));
	memcpy(s->name, l, n);
	if ((f = prom_family(pc, l, n)) == -1)
		return (false);
	if (!pc->fam[f].type)
		return (prom_fail(pc, "sample before its TYPE"));
	pc->fam[f].samples = true;
	i = n;
	if (i < len && l[i] == '{' && !prom_labels(l, len, &i, s, pc->err,
	    sizeof(pc->err)))
		return (false);
	if (i >= len || l[i] != ' ')
		return (prom_fail(pc, "no space before the value"));
	if (!prom_value(l + i + 1, len - i - 1, &s->value))
		return (prom_fail(pc, "value is not one float (or has a "
		    "timestamp)"));
	pc->n++;
	return (true);
}

/* Length of the metric (colons) or label name at s, 0 if none. */
static size_t
prom_name(const char *s, size_t len, bool metric)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		    (metric && s[i] == ':'))
			continue;
		if (i > 0 && s[i] >= '0' && s[i] <= '9')
			continue;
		break;
	}
	return (i);
}

/* {name="value",...} from l[*ip]; *ip ends after the brace. */
static bool
prom_labels(const char *l, size_t len, size_t *ip, struct psample *s,
    char *err, size_t errsz)
{
	char	 val[sizeof(s->url)], name[32];
	size_t	 i = *ip + 1, n, vl;

	for (;;) {
		if ((n = prom_name(l + i, len - i, false)) == 0 ||
		    n >= sizeof(name)) {
			snprintf(err, errsz, "bad label name at %zu", i);
			return (false);
		}
		memcpy(name, l + i, n);
		name[n] = '\0';
		if (strncmp(name, "__", 2) == 0 ||
		    label_seen(s->labels, name)) {
			snprintf(err, errsz, "label %s reserved or twice",
			    name);
			return (false);
		}
		snprintf(s->labels + strlen(s->labels),
		    sizeof(s->labels) - strlen(s->labels), "%s%s",
		    s->labels[0] != '\0' ? "," : "", name);
		i += n;
		if (i + 1 >= len || l[i] != '=' || l[i + 1] != '"') {
			snprintf(err, errsz, "no =\" after label %s", name);
			return (false);
		}
		for (i += 2, vl = 0; i < len && l[i] != '"'; i++) {
			if (vl + 1 >= sizeof(val)) {
				snprintf(err, errsz, "label value too long");
				return (false);
			}
			if (l[i] != '\\') {
				val[vl++] = l[i];
				continue;
			}
			if (++i >= len || (l[i] != '\\' && l[i] != '"' &&
			    l[i] != 'n')) {
				snprintf(err, errsz, "bad escape in %s", name);
				return (false);
			}
			val[vl++] = l[i] == 'n' ? '\n' : l[i];
		}
		if (i >= len) {
			snprintf(err, errsz, "unterminated value of %s", name);
			return (false);
		}
		if (!utf8_valid(val, vl)) {
			snprintf(err, errsz, "value of %s is not UTF-8", name);
			return (false);
		}
		val[vl] = '\0';
		if (strcmp(name, "url") == 0) {
			memcpy(s->url, val, vl + 1);
			s->urllen = vl;
		} else if (strcmp(name, "index") == 0 &&
		    vl < sizeof(s->index))
			memcpy(s->index, val, vl + 1);
		else if (strcmp(name, "phase") == 0 && vl < sizeof(s->phase))
			memcpy(s->phase, val, vl + 1);
		i++;
		if (i < len && l[i] == '}') {
			*ip = i + 1;
			return (true);
		}
		if (i >= len || l[i] != ',') {
			snprintf(err, errsz, "no , or } after %s", name);
			return (false);
		}
		i++;
	}
}

/* Whether name is one of the comma-separated names. */
static bool
label_seen(const char *names, const char *name)
{
	size_t	n = strlen(name), k;

	while (*names != '\0') {
		k = strcspn(names, ",");
		if (k == n && strncmp(names, name, n) == 0)
			return (true);
		names += k;
		if (*names == ',')
			names++;
	}
	return (false);
}

/* A Go float: decimal digits, sign, point, exponent, or NaN, +Inf, -Inf. */
static bool
prom_value(const char *v, size_t len, double *d)
{
	char	 buf[64], *end;
	size_t	 i;

	if (len == 0 || len >= sizeof(buf))
		return (false);
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (strcmp(buf, "NaN") == 0 || strcmp(buf, "+Inf") == 0 ||
	    strcmp(buf, "-Inf") == 0)
		return (true);
	for (i = 0; i < len; i++)
		if (strchr("0123456789+-.eE", buf[i]) == NULL)
			return (false);
	*d = strtod(buf, &end);
	return (*end == '\0');
}

/*
 * The family of a line (created when new).  A family's lines must be
 * contiguous: coming back to one that another family followed is an error.
 */
static int
prom_family(struct pcheck *pc, const char *name, size_t n)
{
	size_t	f;

	for (f = 0; f < pc->nfam; f++)
		if (strlen(pc->fam[f].name) == n &&
		    memcmp(pc->fam[f].name, name, n) == 0)
			break;
	if (f == pc->nfam) {
		if (f == sizeof(pc->fam) / sizeof(pc->fam[0]) ||
		    n >= sizeof(pc->fam[f].name)) {
			prom_fail(pc, "too many families");
			return (-1);
		}
		memcpy(pc->fam[f].name, name, n);
		pc->nfam++;
	}
	if ((int)f != pc->cur) {
		if (pc->fam[f].closed) {
			prom_fail(pc, "family not contiguous");
			return (-1);
		}
		if (pc->cur != -1)
			pc->fam[pc->cur].closed = true;
		pc->cur = (int)f;
	}
	return ((int)f);
}

/* Records why the checker refused; false. */
static bool
prom_fail(struct pcheck *pc, const char *why)
{
	snprintf(pc->err, sizeof(pc->err), "%s (sample %zu)", why, pc->n);
	return (false);
}

/* The sample of name for index (and phase, or NULL), or NULL. */
static const struct psample *
prom_find(const struct pcheck *pc, const char *name, size_t index,
    const char *phase)
{
	char	idx[24];
	size_t	i;

	snprintf(idx, sizeof(idx), "%zu", index);
	for (i = 0; i < pc->n; i++)
		if (strcmp(pc->s[i].name, name) == 0 &&
		    strcmp(pc->s[i].index, idx) == 0 &&
		    strcmp(pc->s[i].phase, phase != NULL ? phase : "") == 0)
			return (&pc->s[i]);
	return (NULL);
}

/* b into a new temporary file; its path, to free and unlink. */
static char *
write_tmp(const char *b, size_t len)
{
	char	*path = xstrdup("/tmp/test_output.XXXXXX");
	FILE	*fp;
	int	 fd;

	cr_assert((fd = mkstemp(path)) != -1);
	cr_assert((fp = fdopen(fd, "w")) != NULL);
	cr_assert_eq(fwrite(b, 1, len, fp), len);
	cr_assert_eq(fclose(fp), 0);
	return (path);
}

/* What xmllint --xpath says about the file, without its final LF. */
static char *
xpath(const char *path, const char *expr)
{
	char	 cmd[512], *out = NULL;
	size_t	 len = 0, n;
	char	 buf[1024];
	FILE	*p, *m;

	snprintf(cmd, sizeof(cmd), XMLLINT " --xpath '%s' %s", expr, path);
	cr_assert((p = popen(cmd, "r")) != NULL);
	cr_assert((m = open_memstream(&out, &len)) != NULL);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		fwrite(buf, 1, n, m);
	cr_assert_eq(pclose(p), 0, "%s", cmd);
	cr_assert_eq(fclose(m), 0);
	if (len > 0 && out[len - 1] == '\n')
		out[len - 1] = '\0';
	return (out);
}

/* Occurrences of needle in the NUL-terminated s. */
static size_t
count_str(const char *s, const char *needle)
{
	size_t	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return (n);
}

/* Equal but for what 9 significant digits lose. */
static bool
near(double got, double want)
{
	return (fabs(got - want) <= 1e-8 * (fabs(want) > 1 ? fabs(want) : 1));
}

/* Frees the hops a test added itself, whatever result_free() does. */
static void
free_redirects(struct result *r)
{
	int	i;

	for (i = 0; i < r->nredirects; i++) {
		free(r->redirects[i].url);
		free(r->redirects[i].location);
	}
	free(r->redirects);
	r->redirects = NULL;
	r->nredirects = 0;
}

Test(csv, every_field)
{
	static struct csv_rec	 recs[NFIX + 2];
	static const char	*hdr[] = { "url", "ok", "status", "reason",
	    "error_kind", "error_message", "time_ms" };
	const struct fix	*f;
	struct cap		 c;
	char			 err[128] = "", st[16];
	size_t			 n, i, j;

	cap_run(FORMAT_CSV, fixtures, NFIX, false, &c);
	cr_assert(utf8_valid(c.out, c.outlen), "CSV is not UTF-8");
	n = csv_parse(c.out, c.outlen, recs, NFIX + 2, err, sizeof(err));
	cr_assert_eq(n, NFIX + 1, "%zu records: %s", n, err);
	cr_assert_eq(recs[0].n, 7);
	for (j = 0; j < 7; j++)
		csv_expect(&recs[0].f[j], false, hdr[j], "header");
	for (i = 0; i < NFIX; i++) {
		f = &fixtures[i];
		cr_assert_eq(recs[i + 1].n, 7, "row %zu: %zu fields", i,
		    recs[i + 1].n);
		csv_expect(&recs[i + 1].f[0], false, f->x_url, "url");
		csv_expect(&recs[i + 1].f[1], false, f->ok ? "true" : "false",
		    "ok");
		snprintf(st, sizeof(st), "%d", f->status);
		csv_expect(&recs[i + 1].f[2], f->kind != ERR_NONE, st,
		    "status");
		csv_expect(&recs[i + 1].f[3], f->kind != ERR_NONE,
		    f->x_reason, "reason");
		csv_expect(&recs[i + 1].f[4], f->kind == ERR_NONE,
		    result_kind_name(f->kind), "error_kind");
		csv_expect(&recs[i + 1].f[5], f->kind == ERR_NONE, f->x_msg,
		    "error_message");
		csv_expect(&recs[i + 1].f[6], f->time_ms < 0, f->x_time,
		    "time_ms");
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < recs[i].n; j++)
			free(recs[i].f[j].s);
	cap_free(&c);
}

Test(csv, header_alone_without_results)
{
	static const char	 want[] =
	    "url,ok,status,reason,error_kind,error_message,time_ms\r\n";
	struct cap		 c;
	int			 begin;

	for (begin = 0; begin < 2; begin++) {
		cap_run(FORMAT_CSV, fixtures, 0, begin, &c);
		cr_assert_eq(c.outlen, sizeof(want) - 1);
		cr_assert(memcmp(c.out, want, c.outlen) == 0);
		cap_free(&c);
	}
}

Test(csv, streamed_one_line_per_result)
{
	struct output	 o;
	struct result	 r;
	struct summary	 s;
	char		*buf = NULL;
	size_t		 len = 0, i;
	FILE		*fp;

	cr_assert((fp = open_memstream(&buf, &len)) != NULL);
	output_init(&o, FORMAT_CSV, fp, stderr, false, false);
	for (i = 0; i < 4; i++) {
		fix_result(&r, &fixtures[i], i + 1);
		output_result(&o, &r);
		result_free(&r);
		cr_assert_eq(fflush(fp), 0);
		cr_assert_eq(count_str(buf, "\r\n"), i + 2,
		    "after result %zu", i);
		cr_assert(strncmp(buf, "url,ok,", 7) == 0);
	}
	memset(&s, 0, sizeof(s));
	cr_assert_eq(output_end(&o, &s), 0);
	output_free(&o);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(count_str(buf, "\r\n"), 5);
	free(buf);
}

Test(junit, counts_and_structure)
{
	struct cap	 c;
	char		 want[160];
	size_t		 i, fails = 0;

	for (i = 0; i < NFIX; i++)
		fails += !fixtures[i].ok;
	cap_run(FORMAT_JUNIT, fixtures, NFIX, true, &c);
	cr_assert(utf8_valid(c.out, c.outlen));
	cr_assert_eq(strlen(c.out), c.outlen, "NUL in the XML");
	cr_assert(strncmp(c.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\n<testsuites ", 51) == 0, "%s", c.out);
	snprintf(want, sizeof(want), "<testsuite name=\"httpstat-async\" "
	    "tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"1.250\">",
	    NFIX, fails);
	cr_assert_eq(count_str(c.out, want), 1, "%s", c.out);
	cr_assert_eq(count_str(c.out, "<testsuite "), 1);
	cr_assert_eq(count_str(c.out, "<testcase "), NFIX);
	cr_assert_eq(count_str(c.out, "classname=\"httpstat-async\""), NFIX);
	cr_assert_eq(count_str(c.out, "<failure "), fails);
	cr_assert_eq(count_str(c.out, "type=\"status\""), 2);
	cr_assert_eq(count_str(c.out, "type=\"cert\""), 1);
	cr_assert_eq(count_str(c.out, "message=\"status 404 Not Found not "
	    "expected\""), 1);
	cr_assert_eq(count_str(c.out, "</testsuite>\n</testsuites>\n"), 1);
	cr_assert(c.out[c.outlen - 1] == '\n');
	cap_free(&c);
}

Test(junit, nothing_reaches_the_output_before_the_end)
{
	struct output	 o;
	struct result	 r;
	struct summary	 s;
	char		*buf = NULL;
	size_t		 len = 0, i;
	FILE		*fp;

	cr_assert((fp = open_memstream(&buf, &len)) != NULL);
	output_init(&o, FORMAT_JUNIT, fp, stderr, false, false);
	for (i = 0; i < NFIX; i++) {
		fix_result(&r, &fixtures[i], i + 1);
		output_result(&o, &r);
		result_free(&r);
	}
	cr_assert_eq(fflush(fp), 0);
	cr_assert_eq(len, 0);
	memset(&s, 0, sizeof(s));
	cr_assert_eq(output_end(&o, &s), 0);
	cr_assert_null(o.priv, "end releases the temporary file");
	output_free(&o);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(count_str(buf, "<testcase "), NFIX);
	free(buf);
}

/* A schema as strict as the CI readers: the shape, required attributes,
 * counts as integers and times with at most 3 decimals. */
static const char junit_xsd[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
    " <xs:simpleType name=\"secs\"><xs:restriction base=\"xs:string\">\n"
    "  <xs:pattern value=\"[0-9]+(\\.[0-9]{1,3})?\"/>\n"
    " </xs:restriction></xs:simpleType>\n"
    " <xs:attributeGroup name=\"counts\">\n"
    "  <xs:attribute name=\"name\" type=\"xs:string\" use=\"required\"/>\n"
    "  <xs:attribute name=\"tests\" type=\"xs:nonNegativeInteger\""
    " use=\"required\"/>\n"
    "  <xs:attribute name=\"failures\" type=\"xs:nonNegativeInteger\""
    " use=\"required\"/>\n"
    "  <xs:attribute name=\"errors\" type=\"xs:nonNegativeInteger\""
    " use=\"required\"/>\n"
    "  <xs:attribute name=\"time\" type=\"secs\" use=\"required\"/>\n"
    " </xs:attributeGroup>\n"
    " <xs:element name=\"testsuites\"><xs:complexType>\n"
    "  <xs:sequence><xs:element name=\"testsuite\"><xs:complexType>\n"
    "   <xs:sequence><xs:element name=\"testcase\" minOccurs=\"0\""
    " maxOccurs=\"unbounded\"><xs:complexType>\n"
    "    <xs:sequence><xs:element name=\"failure\" minOccurs=\"0\">\n"
    "     <xs:complexType><xs:simpleContent>\n"
    "      <xs:extension base=\"xs:string\">\n"
    "       <xs:attribute name=\"type\" type=\"xs:string\""
    " use=\"required\"/>\n"
    "       <xs:attribute name=\"message\" type=\"xs:string\""
    " use=\"required\"/>\n"
    "      </xs:extension>\n"
    "     </xs:simpleContent></xs:complexType>\n"
    "    </xs:element></xs:sequence>\n"
    "    <xs:attribute name=\"name\" type=\"xs:string\""
    " use=\"required\"/>\n"
    "    <xs:attribute name=\"classname\" type=\"xs:string\""
    " use=\"required\"/>\n"
    "    <xs:attribute name=\"time\" type=\"secs\"/>\n"
    "   </xs:complexType></xs:element></xs:sequence>\n"
    "   <xs:attributeGroup ref=\"counts\"/>\n"
    "  </xs:complexType></xs:element></xs:sequence>\n"
    "  <xs:attributeGroup ref=\"counts\"/>\n"
    " </xs:complexType></xs:element>\n"
    "</xs:schema>\n";

Test(junit, xmllint_valid_and_read_back)
{
	const struct fix	*f;
	struct cap		 c;
	char			*xml, *xsd, *got, expr[128], cmd[512];
	char			 want[160];
	size_t			 i;

	if (access(XMLLINT, X_OK) != 0)
		cr_skip_test("no " XMLLINT);
	cap_run(FORMAT_JUNIT, fixtures, NFIX, false, &c);
	xml = write_tmp(c.out, c.outlen);
	xsd = write_tmp(junit_xsd, sizeof(junit_xsd) - 1);
	snprintf(cmd, sizeof(cmd), XMLLINT " --noout %s", xml);
	cr_assert_eq(system(cmd), 0, "not well-formed:\n%s", c.out);
	snprintf(cmd, sizeof(cmd), XMLLINT " --noout --schema %s %s "
	    "2>/dev/null", xsd, xml);
	cr_assert_eq(system(cmd), 0, "not valid:\n%s", c.out);
	got = xpath(xml, "count(//testcase)");
	cr_assert_str_eq(got, "19");
	free(got);
	for (i = 0; i < NFIX; i++) {
		f = &fixtures[i];
		snprintf(expr, sizeof(expr), "string(//testcase[%zu]/@name)",
		    i + 1);
		got = xpath(xml, expr);
		cr_assert_str_eq(got, f->x_url, "testcase %zu", i + 1);
		free(got);
		snprintf(expr, sizeof(expr),
		    "string(//testcase[%zu]/failure/@type)", i + 1);
		got = xpath(xml, expr);
		cr_assert_str_eq(got, f->j_type, "testcase %zu", i + 1);
		free(got);
		snprintf(expr, sizeof(expr),
		    "string(//testcase[%zu]/failure/@message)", i + 1);
		got = xpath(xml, expr);
		if (f->kind != ERR_NONE)
			cr_assert_str_eq(got, f->x_msg, "testcase %zu", i + 1);
		else if (!f->ok && !f->expiring) {
			snprintf(want, sizeof(want), "status %d %s%snot "
			    "expected", f->status, f->x_reason,
			    f->x_reason[0] != '\0' ? " " : "");
			cr_assert_str_eq(got, want, "testcase %zu", i + 1);
		}
		free(got);
	}
	got = xpath(xml, "string(//testcase[5]/@time)");
	cr_assert_str_eq(got, "", "a null time has no attribute");
	free(got);
	unlink(xml);
	unlink(xsd);
	free(xml);
	free(xsd);
	cap_free(&c);
}

Test(junit, empty_run_is_valid)
{
	struct cap	 c;
	char		*xml, cmd[256];

	cap_run(FORMAT_JUNIT, fixtures, 0, false, &c);
	cr_assert_eq(count_str(c.out, "tests=\"0\" failures=\"0\""), 2);
	cr_assert_eq(count_str(c.out, "<testcase"), 0);
	if (access(XMLLINT, X_OK) != 0)
		cr_skip_test("no " XMLLINT);
	xml = write_tmp(c.out, c.outlen);
	snprintf(cmd, sizeof(cmd), XMLLINT " --noout %s", xml);
	cr_assert_eq(system(cmd), 0, "%s", c.out);
	unlink(xml);
	free(xml);
	cap_free(&c);
}

Test(prom, strict_format_and_every_series)
{
	static struct pcheck	 pc;
	static const char	*fams[] = { "httpstat_up",
	    "httpstat_status_code", "httpstat_duration_seconds",
	    "httpstat_cert_expiry_seconds" };
	const struct fix	*f;
	const struct psample	*s;
	struct cap		 c;
	double			 ms[3], head;
	const char		*ph[3] = { "resolve", "connect", "tls" };
	size_t			 i, j, want = 0;

	cap_run(FORMAT_PROM, fixtures, NFIX, false, &c);
	cr_assert(prom_check(c.out, c.outlen, &pc), "%s\n%s", pc.err, c.out);
	cr_assert_eq(pc.nfam, 4);
	for (j = 0; j < 4; j++)
		cr_assert(strcmp(pc.fam[j].name, fams[j]) == 0 &&
		    pc.fam[j].help && pc.fam[j].type);
	for (i = 0; i < NFIX; i++) {
		f = &fixtures[i];
		cr_assert((s = prom_find(&pc, "httpstat_up", i + 1, NULL)) !=
		    NULL, "up %zu", i + 1);
		cr_assert_str_eq(s->labels, "url,index");
		cr_assert_eq(s->urllen, strlen(f->p_url), "url %zu", i + 1);
		cr_assert(memcmp(s->url, f->p_url, s->urllen) == 0,
		    "url %zu: %s", i + 1, s->url);
		cr_assert_eq(s->value, f->ok ? 1 : 0);
		want++;
		s = prom_find(&pc, "httpstat_status_code", i + 1, NULL);
		cr_assert_eq(s != NULL, f->status != 0 && f->kind == ERR_NONE,
		    "status %zu", i + 1);
		if (s != NULL) {
			cr_assert_eq(s->value, f->status);
			want++;
		}
		s = prom_find(&pc, "httpstat_cert_expiry_seconds", i + 1,
		    NULL);
		cr_assert_eq(s != NULL, f->cert, "cert %zu", i + 1);
		if (s != NULL) {
			cr_assert_eq(s->value, (double)NOT_AFTER);
			want++;
		}
		ms[0] = f->dns;
		ms[1] = f->conn;
		ms[2] = f->tls;
		head = f->time_ms;
		for (j = 0; j < 3; j++) {
			s = prom_find(&pc, "httpstat_duration_seconds", i + 1,
			    ph[j]);
			cr_assert_eq(s != NULL, ms[j] >= 0, "%s %zu", ph[j],
			    i + 1);
			if (s == NULL)
				continue;
			cr_assert_str_eq(s->labels, "url,index,phase");
			cr_assert(near(s->value, ms[j] / 1000), "%s %zu",
			    ph[j], i + 1);
			head -= ms[j];
			want++;
		}
		s = prom_find(&pc, "httpstat_duration_seconds", i + 1, "total");
		cr_assert_eq(s != NULL, f->time_ms >= 0, "total %zu", i + 1);
		if (s != NULL) {
			cr_assert(near(s->value, f->time_ms / 1000),
			    "total %zu", i + 1);
			want++;
		}
		s = prom_find(&pc, "httpstat_duration_seconds", i + 1, "head");
		cr_assert_eq(s != NULL, f->time_ms >= 0 && f->kind == ERR_NONE,
		    "head %zu", i + 1);
		if (s != NULL) {
			cr_assert(near(s->value, head > 0 ? head / 1000 : 0),
			    "head %zu", i + 1);
			cr_assert_geq(s->value, 0);
			want++;
		}
	}
	cr_assert_eq(pc.n, want, "%zu samples, want %zu", pc.n, want);
	cap_free(&c);
}

Test(prom, promtool_if_installed)
{
	struct cap	 c;
	char		*path, cmd[256];

	if (access("/usr/bin/promtool", X_OK) != 0)
		cr_skip_test("no promtool");
	cap_run(FORMAT_PROM, fixtures, NFIX, false, &c);
	path = write_tmp(c.out, c.outlen);
	snprintf(cmd, sizeof(cmd), "/usr/bin/promtool check metrics < %s",
	    path);
	cr_assert_eq(system(cmd), 0, "%s", c.out);
	unlink(path);
	free(path);
	cap_free(&c);
}

Test(prom, empty_run_writes_nothing)
{
	struct cap	c;

	cap_run(FORMAT_PROM, fixtures, 0, true, &c);
	cr_assert_eq(c.outlen, 0, "%s", c.out);
	cap_free(&c);
}

/* The checker itself must refuse what Prometheus refuses. */
Test(prom, checker_refuses_bad_input)
{
	static struct pcheck	pc;
	static const char	*bad[] = {
		"a 1",						/* no LF */
		"a 1\n",					/* no TYPE */
		"# TYPE a gauge\na 1 1700000000\n",		/* stamp */
		"# TYPE a gauge\na{x=\"\\t\"} 1\n",		/* escape */
		"# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n",	/* twice */
		"# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n",	/* series */
		"# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na 2\n",
		"# TYPE a gauge\na 1\n# HELP a late\n",
		"# TYPE a gauge\na{x=\"\xff\"} 1\n",		/* UTF-8 */
		"# TYPE a gauge\na{x=\"1\"}  1\n",
		"# TYPE a gauge\na{1x=\"1\"} 1\n",
		"# TYPE a gauge\na{x=\"1\"} 0x1p3\n",
		"# TYPE a gauge\na 1\r\n",
		"# TYPE a gauge\n\na 1\n",
		"# TYPE a summary\na 1\n",
		"# TYPE a gauge\na{index=\"1\",x=\"1\",x=\"2\"} 1\n",
	};
	static const char	good[] = "# HELP a x\\\\y\n# TYPE a gauge\n"
	    "a{x=\"q\\\"\\n\\\\\"} -1.5e3\na{x=\"r\",index=\"x\"} +Inf\n";
	size_t			i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!prom_check(bad[i], strlen(bad[i]), &pc),
		    "accepted %zu", i);
	cr_assert(prom_check(good, sizeof(good) - 1, &pc), "%s", pc.err);
}

Test(jsonl, redirects_and_cert_expiring)
{
	struct output	 o;
	struct result	 r;
	struct summary	 s;
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*fp;

	cr_assert((fp = open_memstream(&buf, &len)) != NULL);
	output_init(&o, FORMAT_JSONL, fp, stderr, false, false);
	cr_assert_eq(output_begin(&o), 0);
	fix_result(&r, &fixtures[3], 4);
	r.redirects = xcalloc(2, sizeof(*r.redirects));
	r.nredirects = 2;
	r.redirects[0].url = xstrdup("http://a/\"");
	r.redirects[0].status = 301;
	r.redirects[0].location = xstrdup("https://b/");
	r.redirects[1].url = xstrdup("https://b/");
	r.redirects[1].status = 302;
	r.redirects[1].location = xstrdup("http://c/");
	r.redirects[1].downgrade = true;
	output_result(&o, &r);
	free_redirects(&r);
	result_free(&r);
	fix_result(&r, &fixtures[0], 1);
	output_result(&o, &r);
	result_free(&r);
	fix_result(&r, &fixtures[1], 2);
	output_result(&o, &r);
	result_free(&r);
	memset(&s, 0, sizeof(s));
	cr_assert_eq(output_end(&o, &s), 0);
	output_free(&o);
	cr_assert_eq(fclose(fp), 0);
	cr_assert(strstr(buf, "\"redirects\":[{\"url\":\"http://a/\\\"\","
	    "\"status\":301,\"location\":\"https://b/\"},{\"url\":"
	    "\"https://b/\",\"status\":302,\"location\":\"http://c/\","
	    "\"downgrade\":true}],\"attempts\":0") != NULL, "%s", buf);
	cr_assert(strstr(buf, "\"cert_days_left\":3,\"cert_expiring\":true,"
	    "\"resumed\":false}}\n") != NULL, "%s", buf);
	cr_assert(strstr(buf, "\"cert_days_left\":400,\"cert_expiring\":"
	    "false,\"resumed\":false}}\n") != NULL, "%s", buf);
	cr_assert(strstr(buf, "\"redirects\":[],\"attempts\":0,"
	    "\"connect_attempts\":[],\"tls\":null}\n") != NULL, "%s", buf);
	cr_assert_eq(count_str(buf, "\n"), 3);
	free(buf);
}

Test(text, unchanged_with_the_new_ops)
{
	struct cap	c;

	cap_run(FORMAT_TEXT, fixtures, 2, true, &c);
	cr_assert(strstr(c.out, "404 Not Found") != NULL, "%s", c.out);
	cr_assert_eq(count_str(c.out, "\n"), 2);
	/* cli.md's summary, then the counts per class (issue 6). */
	cr_assert_str_eq(c.err,
	    "2 checked: 1 ok, 1 not ok in 1.25 s (2xx: 1, 4xx: 1)\n");
	cap_free(&c);
}

/* A run that stops before its end (a write error) still frees it all. */
Test(output, free_without_end)
{
	static const enum out_format	fmts[] = { FORMAT_TEXT, FORMAT_JSONL,
	    FORMAT_CSV, FORMAT_JUNIT, FORMAT_PROM };
	struct output			o;
	struct result			r;
	FILE				*fp;
	size_t				i;

	cr_assert((fp = fopen("/dev/null", "w")) != NULL);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		output_init(&o, fmts[i], fp, fp, false, false);
		output_free(&o);
		output_init(&o, fmts[i], fp, fp, false, false);
		fix_result(&r, &fixtures[0], 1);
		output_result(&o, &r);
		result_free(&r);
		output_free(&o);
		cr_assert_null(o.priv);
		output_free(&o);
	}
	fclose(fp);
}
