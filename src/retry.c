/*
 * --retries: how long to wait before the next attempt.
 *
 * cli.md: waits grow as 0.2 s x 2^n, at most 5 s, with full jitter; a
 * Retry-After (delay-seconds or an HTTP-date, RFC 9110 10.2.3) is honoured
 * up to 60 s.  Dates are parsed by hand, never with strptime(): day and
 * month names must not depend on the locale.
 */
#include "httpstat/retry.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

/* A delay-seconds this large or larger is taken as this. */
#define RETRY_SECONDS_CLAMP	2147483647.0

/* A cursor over the trimmed value: p moves, end stays. */
struct retry_in {
	const char	*p;
	const char	*end;
};

static const char *const	 retry_days[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};
static const char *const	 retry_days_long[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};
static const char *const	 retry_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
	"Oct", "Nov", "Dec"
};

static bool	 retry_blank(char);
static double	 retry_delay_seconds(struct retry_in *);
static double	 retry_date(struct retry_in *, time_t);
static size_t	 retry_letters(const struct retry_in *);
static bool	 retry_lit(struct retry_in *, const char *);
static bool	 retry_word(struct retry_in *, const char *const *, int,
		    int *);
static bool	 retry_num(struct retry_in *, int, int *);
static bool	 retry_imf(struct retry_in *, struct tm *);
static bool	 retry_rfc850(struct retry_in *, struct tm *, time_t);
static bool	 retry_asctime(struct retry_in *, struct tm *);
static bool	 retry_time(struct retry_in *, struct tm *);
static bool	 retry_tm_ok(const struct tm *);

/*
 * Full jitter: u x min(RETRY_CAP, RETRY_BASE x 2^n).  Doubling stops at
 * the cap, so any n is safe (no overflow, no inf); u outside [0, 1] (or
 * NaN) is taken as the nearest end.
 */
double
retry_backoff(unsigned n, double u)
{
	double		 d = RETRY_BASE;
	unsigned	 i;

	for (i = 0; i < n && d < RETRY_CAP; i++)
		d *= 2;
	if (d > RETRY_CAP)
		d = RETRY_CAP;
	if (!(u >= 0))
		u = 0;
	if (u > 1)
		u = 1;
	return (d * u);
}

/*
 * A Retry-After value as seconds from now, >= 0; -1 if it is neither
 * delay-seconds (1*DIGIT) nor an HTTP-date.  Blanks around it are
 * ignored; nothing else may follow.  A date in the past is 0.
 */
double
retry_after_parse(const char *value, time_t now)
{
	struct retry_in	 in;

	if (value == NULL)
		return (-1);
	in.p = value;
	in.end = value + strlen(value);
	while (in.p < in.end && retry_blank(*in.p))
		in.p++;
	while (in.end > in.p && retry_blank(in.end[-1]))
		in.end--;
	if (in.p == in.end)
		return (-1);
	if (*in.p >= '0' && *in.p <= '9')
		return (retry_delay_seconds(&in));
	return (retry_date(&in, now));
}

/* RFC 9110 5.6.1.1: optional whitespace is SP and HTAB. */
static bool
retry_blank(char c)
{
	return (c == ' ' || c == '\t');
}

/* 1*DIGIT and nothing more; huge values are clamped, never overflow. */
static double
retry_delay_seconds(struct retry_in *in)
{
	double	 v = 0;

	for (; in->p < in->end; in->p++) {
		if (*in->p < '0' || *in->p > '9')
			return (-1);
		if (v < RETRY_SECONDS_CLAMP)
			v = v * 10 + (*in->p - '0');
	}
	return (v < RETRY_SECONDS_CLAMP ? v : RETRY_SECONDS_CLAMP);
}

/*
 * RFC 9110 5.6.7: an IMF-fixdate, or one of the two obsolete formats a
 * recipient must also accept.  Which one it is shows in the day name: a
 * short one then ',' (IMF-fixdate), a long one then ',' (RFC 850), a
 * short one then SP (asctime).  The day name is not checked against the
 * date, as other clients do not either.
 */
static double
retry_date(struct retry_in *in, time_t now)
{
	struct tm	 tm;
	time_t		 t;
	size_t		 n;
	bool		 ok;

	memset(&tm, 0, sizeof(tm));
	n = retry_letters(in);
	if (n == 3 && in->p + 3 < in->end && in->p[3] == ',')
		ok = retry_imf(in, &tm);
	else if (n > 3 && in->p + n < in->end && in->p[n] == ',')
		ok = retry_rfc850(in, &tm, now);
	else if (n == 3)
		ok = retry_asctime(in, &tm);
	else
		ok = false;
	if (!ok || in->p != in->end || !retry_tm_ok(&tm))
		return (-1);
	/* Only a time_t too narrow for the year fails: far future or past. */
	if ((t = timegm(&tm)) == (time_t)-1 && tm.tm_year >= 70)
		return (RETRY_SECONDS_CLAMP);
	return (t > now ? difftime(t, now) : 0);
}

/* How many ASCII letters start the input. */
static size_t
retry_letters(const struct retry_in *in)
{
	const char	*q;

	for (q = in->p; q < in->end; q++)
		if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
			break;
	return ((size_t)(q - in->p));
}

/* Take exactly s (case-sensitive, RFC 9110 5.6.7) if it comes next. */
static bool
retry_lit(struct retry_in *in, const char *s)
{
	size_t	 n = strlen(s);

	if ((size_t)(in->end - in->p) < n || memcmp(in->p, s, n) != 0)
		return (false);
	in->p += n;
	return (true);
}

/* Take one of the n words of tab, and no more letters; its index. */
static bool
retry_word(struct retry_in *in, const char *const *tab, int n, int *idx)
{
	size_t	 len;
	int	 i;

	len = retry_letters(in);
	for (i = 0; i < n; i++) {
		if (strlen(tab[i]) == len && memcmp(in->p, tab[i], len) == 0) {
			in->p += len;
			*idx = i;
			return (true);
		}
	}
	return (false);
}

/* Exactly ndig digits. */
static bool
retry_num(struct retry_in *in, int ndig, int *v)
{
	int	 i;

	if (in->end - in->p < ndig)
		return (false);
	*v = 0;
	for (i = 0; i < ndig; i++) {
		if (in->p[i] < '0' || in->p[i] > '9')
			return (false);
		*v = *v * 10 + (in->p[i] - '0');
	}
	in->p += ndig;
	return (true);
}

/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". */
static bool
retry_imf(struct retry_in *in, struct tm *tm)
{
	int	 wday, year;

	if (!retry_word(in, retry_days, 7, &wday) || !retry_lit(in, ", ") ||
	    !retry_num(in, 2, &tm->tm_mday) || !retry_lit(in, " ") ||
	    !retry_word(in, retry_months, 12, &tm->tm_mon) ||
	    !retry_lit(in, " ") || !retry_num(in, 4, &year) ||
	    !retry_lit(in, " ") || !retry_time(in, tm) ||
	    !retry_lit(in, " GMT"))
		return (false);
	tm->tm_year = year - 1900;
	return (true);
}

/*
 * RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT".  RFC 9110 5.6.7: a two-digit
 * year more than 50 years in the future is the most recent past year with
 * those last two digits.
 */
static bool
retry_rfc850(struct retry_in *in, struct tm *tm, time_t now)
{
	struct tm	 cur;
	int		 wday, yy, year;

	if (!retry_word(in, retry_days_long, 7, &wday) ||
	    !retry_lit(in, ", ") || !retry_num(in, 2, &tm->tm_mday) ||
	    !retry_lit(in, "-") ||
	    !retry_word(in, retry_months, 12, &tm->tm_mon) ||
	    !retry_lit(in, "-") || !retry_num(in, 2, &yy) ||
	    !retry_lit(in, " ") || !retry_time(in, tm) ||
	    !retry_lit(in, " GMT"))
		return (false);
	if (gmtime_r(&now, &cur) == NULL)
		return (false);
	year = (cur.tm_year + 1900) / 100 * 100 + yy;
	if (year > cur.tm_year + 1900 + 50)
		year -= 100;
	tm->tm_year = year - 1900;
	return (true);
}

/* asctime: "Sun Nov  6 08:49:37 1994" (the day: 2DIGIT or SP DIGIT). */
static bool
retry_asctime(struct retry_in *in, struct tm *tm)
{
	int	 wday, tens, ones, year;

	if (!retry_word(in, retry_days, 7, &wday) || !retry_lit(in, " ") ||
	    !retry_word(in, retry_months, 12, &tm->tm_mon) ||
	    !retry_lit(in, " "))
		return (false);
	if (retry_lit(in, " "))
		tens = 0;
	else if (!retry_num(in, 1, &tens))
		return (false);
	if (!retry_num(in, 1, &ones))
		return (false);
	tm->tm_mday = tens * 10 + ones;
	if (!retry_lit(in, " ") || !retry_time(in, tm) ||
	    !retry_lit(in, " ") || !retry_num(in, 4, &year))
		return (false);
	tm->tm_year = year - 1900;
	return (true);
}

/* time-of-day: "08:49:37". */
static bool
retry_time(struct retry_in *in, struct tm *tm)
{
	return (retry_num(in, 2, &tm->tm_hour) && retry_lit(in, ":") &&
	    retry_num(in, 2, &tm->tm_min) && retry_lit(in, ":") &&
	    retry_num(in, 2, &tm->tm_sec));
}

/*
 * Fields in range, and a day the month has: timegm() would quietly move
 * "31 Feb" into March.  Second 60 is a leap second (RFC 9110 5.6.7).
 */
static bool
retry_tm_ok(const struct tm *tm)
{
	static const int	 mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 y = tm->tm_year + 1900;
	bool			 leap;

	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
		return (false);
	if (tm->tm_mday < 1 || tm->tm_mday > mdays[tm->tm_mon])
		return (false);
	return (tm->tm_mon != 1 || tm->tm_mday <= 28 || leap);
}
