/* progress_format: the bar's one line, from counts alone. */
#include "httpstat/progress.h"

#include <string.h>

#include <criterion/criterion.h>

/* Total known: bar, done/total, counts, rate, elapsed and ETA. */
Test(progress, known_total)
{
	char	line[256];

	progress_format(line, sizeof(line), 50, 100, 40, 2.0, 200);
	cr_assert_str_eq(line, "[==========>         ] 50/100  40 ok  "
	    "10 not ok  25/s  0:00:02  ETA 0:00:02");
}

/* Total not known yet: no bar, no ETA. */
Test(progress, unknown_total)
{
	char	line[256];

	progress_format(line, sizeof(line), 7, 0, 7, 1.0, 200);
	cr_assert_str_eq(line, "7/?  7 ok  0 not ok  7/s  0:00:01");
}

/* Never wider than the terminal: one line, never wrapped. */
Test(progress, cut_to_the_terminal)
{
	char	line[256];

	progress_format(line, sizeof(line), 1, 3, 1, 0.5, 30);
	cr_assert_eq(strlen(line), 29, "%s", line);
}

/* Done, and nothing at all yet: no division by zero, no garbage. */
Test(progress, edges)
{
	char	line[256];

	progress_format(line, sizeof(line), 3, 3, 3, 1.0, 200);
	cr_assert(strstr(line, "[====================] 3/3") == line, "%s",
	    line);
	progress_format(line, sizeof(line), 0, 0, 0, 0.0, 200);
	cr_assert_str_eq(line, "0/?  0 ok  0 not ok  0/s  0:00:00");
}
