/* Assertions the integration tests share about one run of the binary. */
#ifndef HTTPSTAT_TEST_ASSERTS_H
#define HTTPSTAT_TEST_ASSERTS_H

#include <stddef.h>

struct h_run;

void		 assert_code(const struct h_run *, int);
void		 assert_jsonl(const struct h_run *, size_t);
const char	*single(const struct h_run *, int);
void		 assert_err(const char *, const char *, const char *);

#endif
