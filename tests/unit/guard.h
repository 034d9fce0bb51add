/*
 * Test inputs at the very end of a mapping followed by an inaccessible
 * page, so a parser that reads one byte too far crashes (STYLE.md, Tests).
 */
#ifndef HTTPSTAT_TEST_GUARD_H
#define HTTPSTAT_TEST_GUARD_H

#include <stddef.h>

char	*guard_copy(const void *, size_t);
void	 guard_free(char *);

#endif
