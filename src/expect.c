/*
 * Expectation lists ("2xx,200-204,404") and matching.
 *
 * cli.md: a list is a comma list of codes ("200"), classes ("2xx", the x
 * in either case) and inclusive ranges ("200-204"), every code 100..599.
 * Blanks (space, tab) may surround an item, so `--expect ' 200, 3xx '`
 * works from a shell; none may appear inside one ("200 - 204" is refused).
 * An empty list or item, anything else, or more than EXPECT_MAX items is
 * not a list, and the caller's struct is left as it was.
 */
#include "httpstat/expect.h"

#include <stddef.h>
#include <string.h>

#define EXPECT_LOWEST	100
#define EXPECT_HIGHEST	599

static const char	*expect_blanks(const char *);
static const char	*expect_item(const char *, short *, short *);
static const char	*expect_class(const char *, short *, short *);
static const char	*expect_code(const char *, short *);

/* Skip the blanks allowed around an item. */
static const char *
expect_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return (p);
}

/* One item at p into [lo, hi]: the end of it, or NULL if it is not one. */
static const char *
expect_item(const char *p, short *lo, short *hi)
{
	const char	*end;

	if ((end = expect_class(p, lo, hi)) != NULL)
		return (end);
	if ((p = expect_code(p, lo)) == NULL)
		return (NULL);
	if (*p != '-') {
		*hi = *lo;
		return (p);
	}
	if ((p = expect_code(p + 1, hi)) == NULL || *hi < *lo)
		return (NULL);
	return (p);
}

/* A class "1xx".."5xx" at p: the end of it, or NULL. */
static const char *
expect_class(const char *p, short *lo, short *hi)
{
	if (p[0] < '1' || p[0] > '5')
		return (NULL);
	if ((p[1] != 'x' && p[1] != 'X') || (p[2] != 'x' && p[2] != 'X'))
		return (NULL);
	*lo = (short)((p[0] - '0') * 100);
	*hi = (short)(*lo + 99);
	return (p + 3);
}

/*
 * Exactly three digits making 100..599 at p: the end of them, or NULL.
 * A sign, a fourth digit or a short code never gets through: the caller
 * only accepts a blank, a comma, '-' or the end after them.
 */
static const char *
expect_code(const char *p, short *code)
{
	int	v, i;

	v = 0;
	for (i = 0; i < 3; i++) {
		if (p[i] < '0' || p[i] > '9')
			return (NULL);
		v = v * 10 + (p[i] - '0');
	}
	if (v < EXPECT_LOWEST || v > EXPECT_HIGHEST)
		return (NULL);
	*code = (short)v;
	return (p + 3);
}

/* Parse a list into e; on any error -1 and e untouched. */
int
expect_parse(const char *text, struct expect *e)
{
	struct expect	 tmp;
	const char	*p;
	short		 lo, hi;

	if (text == NULL || e == NULL)
		return (-1);
	memset(&tmp, 0, sizeof(tmp));
	p = text;
	for (;;) {
		if (tmp.n == EXPECT_MAX)
			return (-1);
		p = expect_blanks(p);
		if ((p = expect_item(p, &lo, &hi)) == NULL)
			return (-1);
		tmp.r[tmp.n].lo = lo;
		tmp.r[tmp.n].hi = hi;
		tmp.n++;
		p = expect_blanks(p);
		if (*p == '\0')
			break;
		if (*p != ',')
			return (-1);
		p++;
	}
	*e = tmp;
	return (0);
}

/* Whether status falls in any range of the list. */
bool
expect_match(const struct expect *e, int status)
{
	int	i;

	for (i = 0; i < e->n; i++)
		if (status >= e->r[i].lo && status <= e->r[i].hi)
			return (true);
	return (false);
}

/* cli.md: without --expect, 2xx and 3xx count as success. */
void
expect_default(struct expect *e)
{
	memset(e, 0, sizeof(*e));
	e->r[0].lo = 200;
	e->r[0].hi = 299;
	e->r[1].lo = 300;
	e->r[1].hi = 399;
	e->n = 2;
}
