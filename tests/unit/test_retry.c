/*
 * retry.c: backoff bounds with full jitter, and Retry-After in its
 * delay-seconds form and the three HTTP-date formats of RFC 9110.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "httpstat/retry.h"

#include "guard.h"

/* 1994-11-06 08:49:37 UTC, the date of RFC 9110's examples. */
#define T_1994		((time_t)784111777)
/* 2024-06-10 00:00:00 UTC: "now" for the two-digit years. */
#define T_2024		((time_t)1717977600)

static double		 parse(const char *, time_t);
static void		 expect_bad(const char *);

/* retry_after_parse() with nothing readable after the value. */
static double
parse(const char *s, time_t now)
{
	char	*p;
	double	 d;

	p = guard_copy(s, strlen(s) + 1);
	d = retry_after_parse(p, now);
	guard_free(p);
	return (d);
}

/* s is not a Retry-After value, whatever the time. */
static void
expect_bad(const char *s)
{
	cr_assert_eq(parse(s, T_1994 - 100), -1, "in=\"%s\"", s);
	cr_assert_eq(parse(s, T_1994 + 100), -1, "in=\"%s\"", s);
}

Test(backoff, bounds_and_growth)
{
	static const double	 us[] = { 0, 0.5, 0.999 };
	double			 ceil_n, got;
	unsigned		 n;
	size_t			 i;

	for (i = 0; i < sizeof(us) / sizeof(us[0]); i++) {
		ceil_n = RETRY_BASE;
		for (n = 0; n <= 100; n++) {
			got = retry_backoff(n, us[i]);
			cr_assert(isfinite(got), "n=%u u=%g", n, us[i]);
			cr_assert(got >= 0 && got <= RETRY_CAP, "n=%u u=%g",
			    n, us[i]);
			cr_assert_float_eq(got, us[i] * (ceil_n < RETRY_CAP ?
			    ceil_n : RETRY_CAP), 1e-9, "n=%u u=%g got=%g", n,
			    us[i], got);
			ceil_n *= 2;
		}
	}
}

Test(backoff, first_steps)
{
	cr_assert_float_eq(retry_backoff(0, 0.5), 0.1, 1e-12);
	cr_assert_float_eq(retry_backoff(1, 0.5), 0.2, 1e-12);
	cr_assert_float_eq(retry_backoff(2, 0.5), 0.4, 1e-12);
	cr_assert_float_eq(retry_backoff(3, 0.5), 0.8, 1e-12);
	cr_assert_float_eq(retry_backoff(4, 0.5), 1.6, 1e-12);
	cr_assert_float_eq(retry_backoff(5, 0.5), 2.5, 1e-12);
	cr_assert_float_eq(retry_backoff(4, 0.999), 3.2 * 0.999, 1e-12);
	cr_assert_float_eq(retry_backoff(5, 0.999), 5.0 * 0.999, 1e-12);
}

Test(backoff, huge_n_is_the_cap)
{
	unsigned	 ns[] = {
		1000, 65536, INT_MAX, UINT_MAX - 1, UINT_MAX
	};
	size_t		 i;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		cr_assert_float_eq(retry_backoff(ns[i], 0.5), RETRY_CAP / 2,
		    1e-12, "n=%u", ns[i]);
		cr_assert_eq(retry_backoff(ns[i], 0), 0.0, "n=%u", ns[i]);
	}
}

Test(backoff, u_out_of_range_is_clamped)
{
	cr_assert_eq(retry_backoff(3, -1), 0.0);
	cr_assert_eq(retry_backoff(3, NAN), 0.0);
	cr_assert_float_eq(retry_backoff(3, 7), 1.6, 1e-12);
	cr_assert_float_eq(retry_backoff(30, INFINITY), RETRY_CAP, 1e-12);
}

Test(retry_after, delay_seconds)
{
	cr_assert_eq(parse("0", T_1994), 0);
	cr_assert_eq(parse("1", T_1994), 1);
	cr_assert_eq(parse("120", T_1994), 120);
	cr_assert_eq(parse("007", T_1994), 7);
	cr_assert_eq(parse("3600", 0), 3600);
}

Test(retry_after, delay_seconds_huge_clamps)
{
	double	 v;

	v = parse("99999999999999999999999999999999999999999999999999", 0);
	cr_assert(isfinite(v) && v >= 1e9, "got %g", v);
	cr_assert_gt(v, RETRY_AFTER_MAX);
	cr_assert_eq(parse("18446744073709551616", 0), v);
	cr_assert_eq(parse("4294967296", 0), v);
	cr_assert_eq(parse("2147483646", 0), 2147483646.0);
}

Test(retry_after, blanks_trimmed)
{
	cr_assert_eq(parse(" 5", T_1994), 5);
	cr_assert_eq(parse("5 ", T_1994), 5);
	cr_assert_eq(parse("\t 42 \t", T_1994), 42);
	cr_assert_eq(parse("  Sun, 06 Nov 1994 08:49:37 GMT\t ",
	    T_1994 - 10), 10);
	cr_assert_eq(parse("\tSun Nov  6 08:49:37 1994 ", T_1994 - 10), 10);
}

Test(retry_after, imf_fixdate)
{
	cr_assert_eq(parse("Sun, 06 Nov 1994 08:49:37 GMT", T_1994 - 100),
	    100);
	cr_assert_eq(parse("Sun, 06 Nov 1994 08:49:37 GMT", T_1994), 0);
	cr_assert_eq(parse("Mon, 10 Jun 2024 00:01:00 GMT", T_2024), 60);
}

Test(retry_after, rfc850_date)
{
	cr_assert_eq(parse("Sunday, 06-Nov-94 08:49:37 GMT", T_1994 - 100),
	    100);
	/* RFC 9110 5.6.7: not more than 50 years ahead, so 2074... */
	cr_assert_eq(parse("Monday, 01-Jan-74 00:00:00 GMT", T_2024),
	    1564012800.0);
	/* ...but 2075 would be, so it is 1975, in the past. */
	cr_assert_eq(parse("Wednesday, 01-Jan-75 00:00:00 GMT", T_2024), 0);
	cr_assert_eq(parse("Monday, 10-Jun-24 00:00:30 GMT", T_2024), 30);
}

Test(retry_after, asctime_date)
{
	cr_assert_eq(parse("Sun Nov  6 08:49:37 1994", T_1994 - 100), 100);
	cr_assert_eq(parse("Sun Nov 06 08:49:37 1994", T_1994 - 100), 100);
	cr_assert_eq(parse("Mon Jun 10 00:00:05 2024", T_2024), 5);
}

Test(retry_after, past_dates_are_zero)
{
	cr_assert_eq(parse("Sun, 06 Nov 1994 08:49:37 GMT", T_2024), 0);
	cr_assert_eq(parse("Sunday, 06-Nov-94 08:49:37 GMT", T_2024), 0);
	cr_assert_eq(parse("Sun Nov  6 08:49:37 1994", T_2024), 0);
	cr_assert_eq(parse("Thu, 01 Jan 1970 00:00:00 GMT", T_2024), 0);
	cr_assert_eq(parse("Wed, 31 Dec 1969 23:59:59 GMT", T_2024), 0);
	cr_assert_eq(parse("Sat, 01 Jan 0000 00:00:00 GMT", T_2024), 0);
}

Test(retry_after, every_month)
{
	static const char *const	 mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		"Sep", "Oct", "Nov", "Dec"
	};
	struct tm	 tm;
	char		 buf[64];
	time_t		 want;
	int		 i;

	for (i = 0; i < 12; i++) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 2030 - 1900;
		tm.tm_mon = i;
		tm.tm_mday = 28;
		tm.tm_hour = 12;
		want = timegm(&tm);
		snprintf(buf, sizeof(buf), "Mon, 28 %s 2030 12:00:00 GMT",
		    mon[i]);
		cr_assert_eq(parse(buf, T_2024), difftime(want, T_2024),
		    "in=%s", buf);
		snprintf(buf, sizeof(buf), "Mon %s 28 12:00:00 2030", mon[i]);
		cr_assert_eq(parse(buf, T_2024), difftime(want, T_2024),
		    "in=%s", buf);
	}
}

Test(retry_after, calendar_checked)
{
	/* 2000 is a leap year, 1900 and 2001 are not. */
	cr_assert_eq(parse("Tue, 29 Feb 2000 00:00:00 GMT",
	    (time_t)951782400 - 10), 10);
	expect_bad("Thu, 29 Feb 2001 00:00:00 GMT");
	expect_bad("Thu, 29 Feb 1900 00:00:00 GMT");
	expect_bad("Sun, 31 Apr 1994 08:49:37 GMT");
	expect_bad("Sun, 32 Jan 1994 08:49:37 GMT");
	expect_bad("Sun, 00 Nov 1994 08:49:37 GMT");
	expect_bad("Sun, 06 Nov 1994 24:00:00 GMT");
	expect_bad("Sun, 06 Nov 1994 08:60:00 GMT");
	expect_bad("Sun, 06 Nov 1994 08:49:61 GMT");
	/* A leap second is a second. */
	cr_assert_eq(parse("Sat, 31 Dec 2016 23:59:60 GMT",
	    (time_t)1483228800 - 1), 1);
}

Test(retry_after, weekday_not_checked)
{
	/* 1994-11-06 was a Sunday; other clients take a wrong name too. */
	cr_assert_eq(parse("Mon, 06 Nov 1994 08:49:37 GMT", T_1994 - 1), 1);
}

Test(retry_after, garbage)
{
	cr_assert_eq(retry_after_parse(NULL, T_1994), -1);
	expect_bad("");
	expect_bad(" ");
	expect_bad(" \t ");
	expect_bad("-1");
	expect_bad("+5");
	expect_bad("1.5");
	expect_bad("1e3");
	expect_bad("5s");
	expect_bad("5 5");
	expect_bad("0x10");
	expect_bad("abc");
	expect_bad("\x01");
	expect_bad("5\r\n");
	expect_bad("Sun");
	expect_bad("Sun,");
	expect_bad("Sunday");
	expect_bad("Sun, 06 Nov 1994 08:49:37");
	expect_bad("Sun, 06 Nov 1994 08:49:37 GMT junk");
	expect_bad("Sun, 06 Nov 1994 08:49:37 GMTX");
	expect_bad("Sun, 06 Nov 1994 08:49:37 UTC");
	expect_bad("Sun, 06 Nov 1994 08:49:37 +0000");
	expect_bad("Sun, 06 Nov 1994 8:49:37 GMT");
	expect_bad("Sun, 6 Nov 1994 08:49:37 GMT");
	expect_bad("Sun, 06 Nov 94 08:49:37 GMT");
	expect_bad("Sun, 06 nov 1994 08:49:37 GMT");
	expect_bad("sun, 06 Nov 1994 08:49:37 GMT");
	expect_bad("Sun, 06 Nov 1994 08:49:37 gmt");
	expect_bad("Sun, 06 November 1994 08:49:37 GMT");
	expect_bad("Sun, 06 Xyz 1994 08:49:37 GMT");
	expect_bad("Sun,06 Nov 1994 08:49:37 GMT");
	expect_bad("Sun,  06 Nov 1994 08:49:37 GMT");
	expect_bad("Sun, 06 Nov 1994  08:49:37 GMT");
	expect_bad("Xyz, 06 Nov 1994 08:49:37 GMT");
	expect_bad("Sunday, 06 Nov 1994 08:49:37 GMT");
	expect_bad("Sun, 06-Nov-94 08:49:37 GMT");
	expect_bad("Sunday, 06-Nov-1994 08:49:37 GMT");
	expect_bad("Sunday, 6-Nov-94 08:49:37 GMT");
	expect_bad("Sundays, 06-Nov-94 08:49:37 GMT");
	expect_bad("Sun Nov 6 08:49:37 1994");
	expect_bad("Sun Nov   6 08:49:37 1994");
	expect_bad("Sun Nov  6 08:49:37 94");
	expect_bad("Sun Nov  6 08:49:37 1994 GMT");
	expect_bad("Sunday Nov  6 08:49:37 1994");
	expect_bad("Sun, 06 Nov 1994 08:49:37 GMT, 5");
	expect_bad("2024-06-10T00:00:00Z");
}

Test(retry_after, every_prefix_of_a_date)
{
	static const char	 imf[] = "Sun, 06 Nov 1994 08:49:37 GMT";
	static const char	 rfc850[] = "Sunday, 06-Nov-94 08:49:37 GMT";
	static const char	 asc[] = "Sun Nov  6 08:49:37 1994";
	char			 buf[64];
	size_t			 n;

	/* Cut anywhere (blanks at the end are trimmed), never a date. */
	for (n = 0; n < sizeof(imf) - 1; n++) {
		snprintf(buf, sizeof(buf), "%.*s", (int)n, imf);
		cr_assert_eq(parse(buf, T_1994), -1, "in=\"%s\"", buf);
	}
	for (n = 0; n < sizeof(rfc850) - 1; n++) {
		snprintf(buf, sizeof(buf), "%.*s", (int)n, rfc850);
		cr_assert_eq(parse(buf, T_1994), -1, "in=\"%s\"", buf);
	}
	for (n = 0; n < sizeof(asc) - 1; n++) {
		snprintf(buf, sizeof(buf), "%.*s", (int)n, asc);
		cr_assert_eq(parse(buf, T_1994), -1, "in=\"%s\"", buf);
	}
}
