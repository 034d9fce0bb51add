/* Monotonic time in milliseconds, for timings that stay true. */
#ifndef HTTPSTAT_CLOCK_H
#define HTTPSTAT_CLOCK_H

#include <sys/time.h>

double	clock_ms(void);
/* Seconds (decimals allowed) as a struct timeval. */
struct timeval	clock_tv(double);

#endif
