/* Expectation lists ("2xx,200-204,404") and matching. */
#ifndef HTTPSTAT_EXPECT_H
#define HTTPSTAT_EXPECT_H

#include <stdbool.h>

#define EXPECT_MAX	32	/* ranges in one list */

struct expect {
	int		 n;
	struct {
		short	 lo;
		short	 hi;
	}		 r[EXPECT_MAX];
};

/* 0 on success; -1 when the text is not a valid list (nothing is kept). */
int	expect_parse(const char *, struct expect *);
bool	expect_match(const struct expect *, int);
void	expect_default(struct expect *);	/* 2xx,3xx */

#endif
