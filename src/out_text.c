/* --format text: aligned lines for people, a summary on stderr. */
#include "httpstat/output.h"

#include <string.h>

#include "httpstat/escape.h"
#include "httpstat/result.h"

#define URL_COL_MIN	24	/* columns the URL gets at least */
#define URL_COL_MAX	64	/* longer URLs push their line out */
#define STATUS_COL	16

#define C_RESET		"\033[0m"
#define C_GREEN		"\033[32m"
#define C_CYAN		"\033[36m"
#define C_YELLOW	"\033[33m"
#define C_RED		"\033[31m"
#define C_BOLD_RED	"\033[1;31m"

static void		 text_result(struct output *, const struct result *);
static void		 text_end(struct output *, const struct summary *);
static const char	*text_color(const struct result *);
static void		 text_pad(FILE *, size_t);
static size_t		 text_url(struct output *, const struct result *);

const struct output_ops out_text_ops = { text_result, text_end, NULL, NULL };

/* "URL  200 OK  12.3 ms" or "URL  ERROR kind: message  12.3 ms". */
static void
text_result(struct output *o, const struct result *r)
{
	FILE		*fp = o->fp;
	const char	*col = o->color ? text_color(r) : NULL;
	size_t		 w, sw;
	char		 status[16];

	if (r->kind != ERR_NONE)
		o->by_kind[r->kind]++;
	else if (r->status >= 100 && r->status <= 599)
		o->by_class[r->status / 100]++;
	if (o->quiet && r->ok)
		return;
	w = text_url(o, r);
	text_pad(fp, (w < (size_t)o->url_width ? (size_t)o->url_width - w :
	    0) + 2);
	if (col != NULL)
		fputs(col, fp);
	if (r->kind == ERR_NONE) {
		sw = (size_t)snprintf(status, sizeof(status), "%d", r->status);
		fputs(status, fp);
		if (r->reason != NULL && r->reason[0] != '\0') {
			fputc(' ', fp);
			escape_text(fp, r->reason, strlen(r->reason));
			sw += 1 + escape_text_width(r->reason,
			    strlen(r->reason));
		}
		if (r->tls.expiring)	/* cli.md: --cert-min-days */
			sw += (size_t)fprintf(fp, " (certificate: %ld days "
			    "left)", r->tls.days_left);
	} else {
		fprintf(fp, "ERROR %s: ", result_kind_name(r->kind));
		sw = 8 + strlen(result_kind_name(r->kind));
		if (r->message != NULL) {
			escape_text(fp, r->message, strlen(r->message));
			sw += escape_text_width(r->message,
			    strlen(r->message));
		}
	}
	if (col != NULL)
		fputs(C_RESET, fp);
	text_pad(fp, (sw < STATUS_COL ? STATUS_COL - sw : 0) + 2);
	if (r->time_ms >= 0)
		fprintf(fp, "%8.1f ms\n", r->time_ms);
	else
		fputs("       - ms\n", fp);
}

/*
 * The URL, padded to the column; on a terminal a URL too long for it is
 * shortened in the middle.  Returns the columns written.
 */
static size_t
text_url(struct output *o, const struct result *r)
{
	size_t	w, max, i, half;
	bool	ascii = true;

	w = escape_text_width(r->url, r->url_len);
	max = URL_COL_MAX;
	if (o->columns > 0 && (size_t)o->columns > 40 + URL_COL_MIN)
		max = (size_t)o->columns - 40;
	else if (o->columns > 0)
		max = URL_COL_MIN;
	if (w > (size_t)o->url_width && w <= max)
		o->url_width = (int)w;
	if (o->url_width < URL_COL_MIN)
		o->url_width = URL_COL_MIN;
	for (i = 0; i < r->url_len && ascii; i++)
		ascii = r->url[i] >= 0x20 && r->url[i] < 0x7f;
	if (o->columns > 0 && w > max && ascii) {
		half = (max - 3) / 2;
		fwrite(r->url, 1, half, o->fp);
		fputs("...", o->fp);
		fwrite(r->url + r->url_len - (max - 3 - half), 1,
		    max - 3 - half, o->fp);
		return (max);
	}
	escape_text(o->fp, r->url, r->url_len);
	return (w);
}

/*
 * cli.md: "N checked: A ok, B not ok in T s" on stderr, then the counts
 * per status class and per error kind in brackets.
 */
static void
text_end(struct output *o, const struct summary *s)
{
	const char	*sep = " (";
	int		 i;

	fprintf(o->err, "%lu checked: %lu ok, %lu not ok in %.2f s",
	    s->checked, s->ok, s->checked - s->ok, s->seconds);
	for (i = 1; i <= 5; i++) {
		if (o->by_class[i] == 0)
			continue;
		fprintf(o->err, "%s%dxx: %lu", sep, i, o->by_class[i]);
		sep = ", ";
	}
	for (i = ERR_INVALID_URL; i <= ERR_IO; i++) {
		if (o->by_kind[i] == 0)
			continue;
		fprintf(o->err, "%s%s: %lu", sep, result_kind_name(i),
		    o->by_kind[i]);
		sep = ", ";
	}
	fprintf(o->err, "%s\n", sep[0] == ',' ? ")" : "");
	fflush(o->err);
}

/* Colour by class: 2xx green, 3xx cyan, 4xx yellow, 5xx red. */
static const char *
text_color(const struct result *r)
{
	if (r->kind != ERR_NONE || r->tls.expiring)
		return (C_BOLD_RED);
	if (r->status >= 500)
		return (C_RED);
	if (r->status >= 400)
		return (C_YELLOW);
	if (r->status >= 300)
		return (C_CYAN);
	if (r->status >= 200)
		return (C_GREEN);
	return (NULL);
}

/* n spaces. */
static void
text_pad(FILE *fp, size_t n)
{
	static const char	spaces[] = "                                ";
	size_t			k;

	for (; n > 0; n -= k) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		fwrite(spaces, 1, k, fp);
	}
}
