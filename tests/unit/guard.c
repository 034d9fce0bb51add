/*
 * Guard pages for unit tests. The bytes must end where the PROT_NONE page
 * begins, so nothing can sit after them: live mappings are kept in a small
 * table instead, looked up by the pointer guard_copy() returned.
 */
#include "guard.h"

#include <sys/mman.h>

#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#define GUARD_MAX	8		/* live copies at once */

struct guard {
	char	*p;			/* what guard_copy() returned */
	char	*map;			/* owned: data pages, then PROT_NONE */
	size_t	 len;			/* of map, the guard page included */
};

static struct guard	 guards[GUARD_MAX];

/* n bytes of s at the very end of fresh pages before an inaccessible one. */
char *
guard_copy(const void *s, size_t n)
{
	size_t	 pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t	 body = (n + pg - 1) / pg * pg;
	size_t	 i;
	char	*map;

	if (body == 0)
		body = pg;
	for (i = 0; i < GUARD_MAX && guards[i].map != NULL; i++)
		continue;
	cr_assert_lt(i, GUARD_MAX, "more than %d guarded copies", GUARD_MAX);
	map = mmap(NULL, body + pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(map, MAP_FAILED);
	cr_assert_eq(mprotect(map + body, pg, PROT_NONE), 0);
	if (n > 0)
		memcpy(map + body - n, s, n);
	guards[i].p = map + body - n;
	guards[i].map = map;
	guards[i].len = body + pg;
	return (guards[i].p);
}

/* Unmap what guard_copy() returned p for; NULL is ignored. */
void
guard_free(char *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < GUARD_MAX; i++)
		if (guards[i].map != NULL && guards[i].p == p)
			break;
	cr_assert_lt(i, GUARD_MAX, "%p is not a guarded copy", (void *)p);
	cr_assert_eq(munmap(guards[i].map, guards[i].len), 0);
	memset(&guards[i], 0, sizeof(guards[i]));
}
