/* Unit tests for expect.c: parsing lists, refusing bad ones, matching. */
#include "httpstat/expect.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"

struct bad_case {
	char	in[64];
};

static int		 parse(const char *, struct expect *);
static void		 parse_ok(const char *, struct expect *);
static void		 fill_sentinel(struct expect *);

/* expect_parse() of s, NUL included, with nothing readable after it. */
static int
parse(const char *s, struct expect *e)
{
	char	*p;
	int	 rc;

	p = guard_copy(s, strlen(s) + 1);
	rc = expect_parse(p, e);
	guard_free(p);
	return (rc);
}

/* Parse s, which must be a valid list. */
static void
parse_ok(const char *s, struct expect *e)
{
	cr_assert_eq(parse(s, e), 0, "\"%s\" refused", s);
}

/* A struct no parse would produce, to see that a failure leaves it alone. */
static void
fill_sentinel(struct expect *e)
{
	memset(e, 0x5a, sizeof(*e));
	e->n = 3;
}

Test(expect, default_is_2xx_3xx)
{
	struct expect	e;

	fill_sentinel(&e);
	expect_default(&e);
	cr_assert_eq(e.n, 2);
	cr_assert(expect_match(&e, 200));
	cr_assert(expect_match(&e, 204));
	cr_assert(expect_match(&e, 299));
	cr_assert(expect_match(&e, 301));
	cr_assert(expect_match(&e, 399));
	cr_assert_not(expect_match(&e, 100));
	cr_assert_not(expect_match(&e, 199));
	cr_assert_not(expect_match(&e, 400));
	cr_assert_not(expect_match(&e, 404));
	cr_assert_not(expect_match(&e, 500));
	cr_assert_not(expect_match(&e, 0));
	cr_assert_not(expect_match(&e, -1));
}

Test(expect, class_2xx)
{
	struct expect	e;

	parse_ok("2xx", &e);
	cr_assert_eq(e.n, 1);
	cr_assert(expect_match(&e, 200));
	cr_assert(expect_match(&e, 250));
	cr_assert(expect_match(&e, 299));
	cr_assert_not(expect_match(&e, 199));
	cr_assert_not(expect_match(&e, 300));
	cr_assert_not(expect_match(&e, 20));
	cr_assert_not(expect_match(&e, 2000));
}

Test(expect, class_x_any_case)
{
	static const char *const	in[] = { "2XX", "2xX", "2Xx", "2xx" };
	struct expect			e;
	size_t				i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		parse_ok(in[i], &e);
		cr_assert(expect_match(&e, 200), "%s", in[i]);
		cr_assert(expect_match(&e, 299), "%s", in[i]);
		cr_assert_not(expect_match(&e, 300), "%s", in[i]);
	}
}

Test(expect, every_class)
{
	struct expect	e;
	char		s[4];
	int		d, st;

	for (d = 1; d <= 5; d++) {
		snprintf(s, sizeof(s), "%dxx", d);
		parse_ok(s, &e);
		for (st = 0; st < 700; st++)
			cr_assert_eq(expect_match(&e, st), st / 100 == d,
			    "%s %d", s, st);
	}
}

Test(expect, single_code)
{
	struct expect	e;

	parse_ok("404", &e);
	cr_assert_eq(e.n, 1);
	cr_assert(expect_match(&e, 404));
	cr_assert_not(expect_match(&e, 403));
	cr_assert_not(expect_match(&e, 405));
	cr_assert_not(expect_match(&e, 200));
}

Test(expect, bounds_100_and_599)
{
	struct expect	e;

	parse_ok("100,599", &e);
	cr_assert(expect_match(&e, 100));
	cr_assert(expect_match(&e, 599));
	cr_assert_not(expect_match(&e, 101));
	cr_assert_not(expect_match(&e, 598));
	parse_ok("100-599", &e);
	cr_assert(expect_match(&e, 100));
	cr_assert(expect_match(&e, 350));
	cr_assert(expect_match(&e, 599));
	cr_assert_not(expect_match(&e, 99));
	cr_assert_not(expect_match(&e, 600));
}

Test(expect, range_inclusive)
{
	struct expect	e;

	parse_ok("200-204", &e);
	cr_assert_eq(e.n, 1);
	cr_assert_eq(e.r[0].lo, 200);
	cr_assert_eq(e.r[0].hi, 204);
	cr_assert(expect_match(&e, 200));
	cr_assert(expect_match(&e, 202));
	cr_assert(expect_match(&e, 204));
	cr_assert_not(expect_match(&e, 199));
	cr_assert_not(expect_match(&e, 205));
}

Test(expect, range_of_one)
{
	struct expect	e;

	parse_ok("301-301", &e);
	cr_assert(expect_match(&e, 301));
	cr_assert_not(expect_match(&e, 300));
	cr_assert_not(expect_match(&e, 302));
}

Test(expect, mixed_list)
{
	struct expect	e;

	parse_ok("2xx,404,500-503", &e);
	cr_assert_eq(e.n, 3);
	cr_assert(expect_match(&e, 201));
	cr_assert(expect_match(&e, 404));
	cr_assert(expect_match(&e, 500));
	cr_assert(expect_match(&e, 503));
	cr_assert_not(expect_match(&e, 301));
	cr_assert_not(expect_match(&e, 403));
	cr_assert_not(expect_match(&e, 504));
}

Test(expect, overlaps_and_repeats_allowed)
{
	struct expect	e;

	parse_ok("200,200,2xx,250-260", &e);
	cr_assert_eq(e.n, 4);
	cr_assert(expect_match(&e, 255));
	cr_assert_not(expect_match(&e, 300));
}

Test(expect, blanks_around_items)
{
	static const char *const	in[] = { " 200, 3xx ", "200 ,3xx",
	    "\t200,\t3xx\t", "200 , 3xx", "  200  ,  3xx  " };
	struct expect			e;
	size_t				i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		parse_ok(in[i], &e);
		cr_assert_eq(e.n, 2, "\"%s\"", in[i]);
		cr_assert(expect_match(&e, 200), "\"%s\"", in[i]);
		cr_assert(expect_match(&e, 302), "\"%s\"", in[i]);
		cr_assert_not(expect_match(&e, 201), "\"%s\"", in[i]);
	}
}

Test(expect, max_items)
{
	struct expect	e;
	char		s[EXPECT_MAX * 4 + 8];
	size_t		len;
	int		i;

	len = 0;
	for (i = 0; i < EXPECT_MAX; i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len, "%s%d",
		    i == 0 ? "" : ",", 200 + i);
	parse_ok(s, &e);
	cr_assert_eq(e.n, EXPECT_MAX);
	for (i = 0; i < EXPECT_MAX; i++)
		cr_assert(expect_match(&e, 200 + i));
	cr_assert_not(expect_match(&e, 200 + EXPECT_MAX));

	snprintf(s + len, sizeof(s) - len, ",%d", 200 + EXPECT_MAX);
	fill_sentinel(&e);
	cr_assert_eq(parse(s, &e), -1);
	cr_assert_eq(e.n, 3, "a refused list changed the struct");
}

Test(expect, success_replaces_old_list)
{
	struct expect	e;

	parse_ok("2xx,3xx,4xx", &e);
	parse_ok("503", &e);
	cr_assert_eq(e.n, 1);
	cr_assert(expect_match(&e, 503));
	cr_assert_not(expect_match(&e, 200));
}

Test(expect, failure_keeps_previous_list)
{
	struct expect	e;

	parse_ok("2xx,404", &e);
	cr_assert_eq(parse("2xx,404,600", &e), -1);
	cr_assert_eq(e.n, 2);
	cr_assert(expect_match(&e, 404));
	cr_assert_not(expect_match(&e, 600));
}

Test(expect, null_text_refused)
{
	struct expect	e, before;

	fill_sentinel(&e);
	before = e;
	cr_assert_eq(expect_parse(NULL, &e), -1);
	cr_assert_eq(memcmp(&e, &before, sizeof(e)), 0);
}

ParameterizedTestParameters(expect, bad_lists)
{
	static struct bad_case	cases[] = {
		{ "" }, { " " }, { "\t" }, { "," }, { ", " }, { "200," },
		{ ",200" }, { "200,,300" }, { "200, ,300" }, { "200,300," },
		{ "abc" }, { "2x" }, { "x" }, { "xx" }, { "2xxx" }, { "x2x" },
		{ "2yx" }, { "0xx" }, { "6xx" }, { "9xx" }, { "99" },
		{ "099" }, { "0" }, { "600" }, { "999" }, { "1000" },
		{ "2000" }, { "20" }, { "2" }, { "204-200" }, { "+200" },
		{ "-5" }, { "-200" }, { "200-" }, { "200--204" },
		{ "200-204-206" }, { "2xx-3xx" }, { "200-2xx" },
		{ "2xx-299" }, { "200-600" }, { "099-200" }, { "20 0" },
		{ "200 - 204" }, { "200 -204" }, { "200- 204" },
		{ "200;300" }, { "200 300" }, { "2xx 3xx" }, { "200\n" },
		{ "\n200" }, { "200\r" }, { "1e2" }, { "0x1F" }, { "2OO" },
		{ "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x90" }, { "200\xc2\xa0" },
		{ "2xx,abc" }, { "404,6xx" }, { "200.0" }, { "200x" },
	};

	return (cr_make_param_array(struct bad_case, cases,
	    sizeof(cases) / sizeof(cases[0])));
}

ParameterizedTest(struct bad_case *c, expect, bad_lists)
{
	struct expect	e, before;

	fill_sentinel(&e);
	before = e;
	cr_assert_eq(parse(c->in, &e), -1,
	    "\"%s\" accepted", c->in);
	cr_assert_eq(memcmp(&e, &before, sizeof(e)), 0,
	    "\"%s\" changed the struct", c->in);
}
