/* Monotonic time in milliseconds. */
#include "httpstat/clock.h"

#include <time.h>

/* Now, on the monotonic clock, in milliseconds. */
double
clock_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6);
}

/* Seconds as a timeval, for libevent timers. */
struct timeval
clock_tv(double sec)
{
	struct timeval	tv;

	if (sec < 0)
		sec = 0;
	tv.tv_sec = (time_t)sec;
	tv.tv_usec = (suseconds_t)((sec - (double)tv.tv_sec) * 1e6);
	if (tv.tv_usec >= 1000000) {
		tv.tv_sec++;
		tv.tv_usec -= 1000000;
	}
	return (tv);
}
