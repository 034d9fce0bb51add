/*
 * libFuzzer target for the response-head parser.  The first byte picks
 * how the rest is cut into chunks; the chunked parse must agree with a
 * parse of the whole input in one call, and both must keep the promises
 * of head.h.  Every chunk is copied to a buffer of its exact size, so
 * AddressSanitizer sees any read past len.
 */
#include "httpstat/head.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a parse ended: its answer and the bytes of the input it used. */
struct fuzz_end {
	enum head_rc	 rc;
	size_t		 off;
};

int			LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void		fuzz_check(int, const char *);
static enum head_rc	fuzz_parse(struct head *, const uint8_t *, size_t);
static struct fuzz_end	fuzz_whole(struct head *, const uint8_t *, size_t);
static struct fuzz_end	fuzz_chunked(struct head *, const uint8_t *, size_t,
			    uint8_t);
static size_t		fuzz_next_len(uint32_t *, uint8_t, size_t);
static void		fuzz_invariants(const struct head *, struct fuzz_end,
			    const uint8_t *, size_t);
static void		fuzz_value_ok(const char *, size_t);
static void		fuzz_same(const struct head *, struct fuzz_end,
			    const struct head *, struct fuzz_end);
static int		fuzz_streq(const char *, const char *);

/* Parse the whole input, then in chunks; compare; check invariants. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct head	 one, many;
	struct fuzz_end	 e1, e2;
	uint8_t		 mode;

	if (size == 0)
		return (0);
	mode = data[0];
	data++;
	size--;

	e1 = fuzz_whole(&one, data, size);
	fuzz_invariants(&one, e1, data, size);
	e2 = fuzz_chunked(&many, data, size, mode);
	fuzz_invariants(&many, e2, data, size);
	fuzz_same(&one, e1, &many, e2);

	head_free(&one);
	head_free(&one);
	head_free(&many);
	return (0);
}

/* abort() with a message: libFuzzer reports it as a crash. */
static void
fuzz_check(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_head: broken promise: %s\n", what);
	abort();
}

/* head_parse() on a copy of exactly n bytes. */
static enum head_rc
fuzz_parse(struct head *h, const uint8_t *p, size_t n)
{
	enum head_rc	 rc;
	char		*buf;

	buf = malloc(n == 0 ? 1 : n);
	fuzz_check(buf != NULL, "malloc");
	if (n > 0)
		memcpy(buf, p, n);
	rc = head_parse(h, n == 0 ? NULL : buf, n);
	free(buf);
	fuzz_check(h->used <= n, "used within len");
	return (rc);
}

/* One call with everything. */
static struct fuzz_end
fuzz_whole(struct head *h, const uint8_t *p, size_t n)
{
	struct fuzz_end	 e;

	head_init(h);
	e.rc = fuzz_parse(h, p, n);
	e.off = h->used;
	fuzz_check(e.rc != HEAD_MORE || e.off == n, "MORE uses it all");
	return (e);
}

/* Chunks whose sizes mode decides; empty calls now and then. */
static struct fuzz_end
fuzz_chunked(struct head *h, const uint8_t *p, size_t n, uint8_t mode)
{
	struct fuzz_end	 e = { HEAD_MORE, 0 };
	uint32_t	 rnd = 0x9e3779b9u ^ mode;
	size_t		 k;

	head_init(h);
	while (e.off < n) {
		k = fuzz_next_len(&rnd, mode, n - e.off);
		e.rc = fuzz_parse(h, p + e.off, k);
		if (e.rc != HEAD_MORE) {
			fuzz_check(h->used >= 1, "an answer uses a byte");
			e.off += h->used;
			break;
		}
		fuzz_check(h->used == k, "MORE uses the whole chunk");
		e.off += k;
		if ((rnd & 0x700) == 0)
			fuzz_check(fuzz_parse(h, p, 0) == HEAD_MORE &&
			    h->used == 0, "an empty call changes nothing");
	}
	if (e.rc != HEAD_MORE) {
		/* The answer is final and takes no more bytes. */
		fuzz_check(fuzz_parse(h, p + e.off, n - e.off) == e.rc,
		    "answer repeats");
		fuzz_check(h->used == 0, "nothing used after the answer");
	}
	return (e);
}

/* Next chunk size, 1..left: bytes, small, any, or fixed by mode. */
static size_t
fuzz_next_len(uint32_t *rnd, uint8_t mode, size_t left)
{
	size_t	 k;

	*rnd ^= *rnd << 13;
	*rnd ^= *rnd >> 17;
	*rnd ^= *rnd << 5;
	switch (mode & 3) {
	case 0:
		k = 1;
		break;
	case 1:
		k = 1 + *rnd % 16;
		break;
	case 2:
		k = 1 + *rnd % left;
		break;
	default:
		k = 1 + (size_t)(mode >> 2);
		break;
	}
	return (k < left ? k : left);
}

/* What head.h promises for each answer. */
static void
fuzz_invariants(const struct head *h, struct fuzz_end e, const uint8_t *p,
    size_t n)
{
	struct head	 pre;

	fuzz_check(e.off <= HEAD_LIMIT, "at most 64 KiB read");
	switch (e.rc) {
	case HEAD_MORE:
		fuzz_check(n < HEAD_LIMIT, "MORE only under the limit");
		fuzz_check(h->why == NULL, "MORE has no why");
		return;
	case HEAD_BAD:
		fuzz_check(h->why != NULL, "BAD has a why");
		fuzz_check(h->location == NULL && h->retry_after == NULL,
		    "BAD keeps no fields");
		break;
	case HEAD_DONE:
		fuzz_check(h->why == NULL, "DONE has no why");
		fuzz_check(p[e.off - 1] == '\n', "DONE at an LF");
		fuzz_check(h->status >= 100 && h->status <= 599, "status");
		fuzz_check(h->status >= 200 || h->status == 101, "final");
		fuzz_check(h->status_line_done, "status line done");
		fuzz_check(strcmp(h->version, "HTTP/1.0") == 0 ||
		    strcmp(h->version, "HTTP/1.1") == 0, "version");
		fuzz_check(h->reason_len <= HEAD_REASON_MAX &&
		    strlen(h->reason) == h->reason_len, "reason length");
		for (size_t i = 0; i < h->reason_len; i++)
			fuzz_check(h->reason[i] == '\t' ||
			    (unsigned char)h->reason[i] >= 0x20, "reason");
		if (h->location != NULL)
			fuzz_value_ok(h->location, HEAD_LOCATION_MAX);
		if (h->retry_after != NULL)
			fuzz_value_ok(h->retry_after, HEAD_RETRY_AFTER_MAX);
		break;
	}
	/* The answer came at the first byte that could give it. */
	head_init(&pre);
	fuzz_check(fuzz_parse(&pre, p, e.off - 1) == HEAD_MORE,
	    "no answer one byte earlier");
	head_free(&pre);
}

/* A kept field value: capped, trimmed, no CR, LF or NUL. */
static void
fuzz_value_ok(const char *v, size_t max)
{
	size_t	 n = strlen(v);

	fuzz_check(n <= max, "value within its cap");
	if (n == 0)
		return;
	fuzz_check(v[0] != ' ' && v[0] != '\t', "value trimmed left");
	fuzz_check(v[n - 1] != ' ' && v[n - 1] != '\t', "value trimmed right");
	for (size_t i = 0; i < n; i++)
		fuzz_check(v[i] == '\t' || (unsigned char)v[i] >= 0x20,
		    "value has no control bytes");
}

/* Chunking must not change the answer or what it holds. */
static void
fuzz_same(const struct head *a, struct fuzz_end ea, const struct head *b,
    struct fuzz_end eb)
{
	fuzz_check(ea.rc == eb.rc, "same answer chunked");
	fuzz_check(ea.off == eb.off, "same bytes used chunked");
	fuzz_check(a->status == b->status, "same status chunked");
	fuzz_check(a->status_line_done == b->status_line_done,
	    "same status_line_done chunked");
	fuzz_check(fuzz_streq(a->why, b->why), "same why chunked");
	if (ea.rc != HEAD_DONE)
		return;
	fuzz_check(strcmp(a->version, b->version) == 0, "same version");
	fuzz_check(a->reason_len == b->reason_len &&
	    memcmp(a->reason, b->reason, a->reason_len) == 0, "same reason");
	fuzz_check(fuzz_streq(a->location, b->location), "same Location");
	fuzz_check(fuzz_streq(a->retry_after, b->retry_after),
	    "same Retry-After");
}

/* Equal strings, NULL equal only to NULL. */
static int
fuzz_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}
