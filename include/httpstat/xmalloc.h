/* Allocation that never returns NULL: out of memory is fatal. */
#ifndef HTTPSTAT_XMALLOC_H
#define HTTPSTAT_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

#endif
