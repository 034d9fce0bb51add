/* Assertions the integration tests share about one run of the binary. */
#include "asserts.h"

#include <stddef.h>

#include <criterion/criterion.h>

#include "harness.h"

/* Not killed by the harness, and this exit code. */
void
assert_code(const struct h_run *r, int code)
{
	cr_assert(!r->timed_out, "the run was killed after the harness "
	    "timeout; stdout:\n%.4000s\nstderr:\n%.4000s", r->out, r->err);
	cr_assert_eq(r->code, code, "exit %d, expected %d; stdout:\n%.4000s\n"
	    "stderr:\n%.4000s", r->code, code, r->out, r->err);
}

/* Not killed by the harness, exactly n stdout lines, each valid JSON. */
void
assert_jsonl(const struct h_run *r, size_t n)
{
	size_t	i;

	cr_assert(!r->timed_out, "the run was killed after the harness "
	    "timeout; stdout:\n%.4000s\nstderr:\n%.4000s", r->out, r->err);
	cr_assert_eq(r->nlines, n, "expected %zu lines, got %zu:\n%.4000s\n"
	    "stderr:\n%.4000s", n, r->nlines, r->out, r->err);
	for (i = 0; i < r->nlines; i++)
		cr_assert(jvalid(r->lines[i]), "line %zu is not valid JSON: "
		    "%.4000s", i + 1, r->lines[i]);
}

/* Exit code code and one valid JSON line, which is returned. */
const char *
single(const struct h_run *r, int code)
{
	assert_jsonl(r, 1);
	assert_code(r, code);
	return (r->lines[0]);
}

/* A failed check of this kind, in this phase (NULL: not checked). */
void
assert_err(const char *l, const char *kind, const char *phase)
{
	const char	*msg;

	cr_assert_str_eq(jerrkind(l), kind, "%s", l);
	if (phase != NULL)
		cr_assert_str_eq(jstr(l, "error.phase"), phase, "%s", l);
	cr_assert_str_eq(jstr(l, "ok"), "false", "%s", l);
	cr_assert(jnull(l, "status"), "%s", l);
	cr_assert(jnull(l, "reason"), "%s", l);
	cr_assert(jnull(l, "http_version"), "%s", l);
	msg = jfind(l, "error.message");
	cr_assert(msg != NULL && *msg == '"', "no message: %s", l);
}
