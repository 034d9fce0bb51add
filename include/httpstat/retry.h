/* --retries: which outcomes are retried, and how long to wait. */
#ifndef HTTPSTAT_RETRY_H
#define HTTPSTAT_RETRY_H

#include <stdbool.h>
#include <time.h>

#define RETRY_BASE		0.2	/* seconds: 0.2 x 2^n */
#define RETRY_CAP		5.0	/* seconds, at most */
#define RETRY_AFTER_MAX		60.0	/* a longer Retry-After ends retries */

/*
 * Full jitter: a wait in [0, min(RETRY_CAP, RETRY_BASE x 2^n)] for retry
 * number n (0-based); u is a uniform random number in [0, 1).
 */
double	retry_backoff(unsigned, double);
/*
 * A Retry-After value (delay-seconds or an HTTP-date, RFC 9110 10.2.3) as
 * seconds from now; -1 if it does not parse.  A date in the past is 0.
 */
double	retry_after_parse(const char *, time_t);

#endif
