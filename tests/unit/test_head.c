/* Unit tests for the response-head parser (src/head.c, cli.md step 5). */
#include "httpstat/head.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"

/* A head that must parse, and what it must give. */
struct good {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	int		 status;
	const char	*version;
	const char	*reason;
	const char	*location;	/* NULL: none */
	const char	*retry_after;	/* NULL: none */
};

/* A head that must fail at byte `at` (parameterized: no pointers). */
struct bad {
	char	in[64];
	size_t	len;
	size_t	at;		/* index of the byte that gives HEAD_BAD */
	char	why[48];
};

static enum head_rc	parse_once(struct head *, const void *, size_t);
static enum head_rc	feed(struct head *, const char *, size_t, size_t,
			    size_t *);
static size_t		good_len(const struct good *);
static void		check_good(const struct head *, const struct good *,
			    size_t);
static char		*make_big(size_t, const char *, char, const char *);
static char		*repeat(const char *, size_t);
static const char	*why(const struct head *);

#define BAD(s, at, why)	{ s, sizeof(s) - 1, at, why }
#define NOT_HTTP	"not an HTTP/1.x status line"
#define BAD_CODE	"bad status code in status line"
#define NO_LF		"CR without LF in response head"
#define OVER		"response head over 64 KiB"

static const struct good goods[] = {
	{ "HTTP/1.1 200 OK\r\n\r\n", 0, 200, "HTTP/1.1", "OK", NULL, NULL },
	{ "HTTP/1.1 200\r\n\r\n", 0, 200, "HTTP/1.1", "", NULL, NULL },
	{ "HTTP/1.1 200 \r\n\r\n", 0, 200, "HTTP/1.1", "", NULL, NULL },
	{ "HTTP/1.1 200\n\n", 0, 200, "HTTP/1.1", "", NULL, NULL },
	{ "HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\n", 0, 404, "HTTP/1.0",
	    "Not Found", NULL, NULL },
	{ "HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n", 0, 301, "HTTP/1.1",
	    "Moved", "/x", NULL },
	{ "HTTP/1.1 302 Found\nlocation:\t http://a/b \t\nX: y\n\n", 0, 302,
	    "HTTP/1.1", "Found", "http://a/b", NULL },
	{ "HTTP/1.1 200 OK\nA: b\r\n\n", 0, 200, "HTTP/1.1", "OK", NULL,
	    NULL },
	{ "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 0, 200,
	    "HTTP/1.1", "OK", NULL, NULL },
	{ "HTTP/1.1 102 Processing\r\n\r\n"
	  "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n"
	  "Location: /early\r\n\r\n"
	  "HTTP/1.1 100 Continue\r\n\r\n"
	  "HTTP/1.0 204 No Content\r\n\r\n", 0, 204, "HTTP/1.0",
	    "No Content", NULL, NULL },
	{ "HTTP/1.1 199 Odd\n\nHTTP/1.1 200 OK\n\n", 0, 200, "HTTP/1.1",
	    "OK", NULL, NULL },
	{ "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	  "Connection: Upgrade\r\n\r\n", 0, 101, "HTTP/1.1",
	    "Switching Protocols", NULL, NULL },
	{ "HTTP/1.1 100 Continue\r\nLocation: /interim\r\nRetry-After: 5\r\n"
	  "\r\nHTTP/1.1 200 OK\r\n\r\n", 0, 200, "HTTP/1.1", "OK", NULL,
	    NULL },
	{ "HTTP/1.1 103 Early\r\nLocation: /a\r\n\r\n"
	  "HTTP/1.1 301 Moved\r\nLocation: /b\r\n\r\n", 0, 301, "HTTP/1.1",
	    "Moved", "/b", NULL },
	{ "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n\r\n", 0,
	    503, "HTTP/1.1", "Service Unavailable", NULL, "120" },
	{ "HTTP/1.1 429 Too Many\r\nRETRY-AFTER:  Fri, 31 Dec 1999 "
	  "23:59:59 GMT \t\r\nLOCATION:/l\r\n\r\n", 0, 429, "HTTP/1.1",
	    "Too Many", "/l", "Fri, 31 Dec 1999 23:59:59 GMT" },
	{ "HTTP/1.1 200 OK\r\nlOcAtIoN: /yes\r\n\r\n", 0, 200, "HTTP/1.1",
	    "OK", "/yes", NULL },
	{ "HTTP/1.1 200 OK\r\nLocations: /no\r\nX-Location: /no\r\n"
	  "Locatio: /no\r\nRetry-After-X: 1\r\n\r\n", 0, 200, "HTTP/1.1",
	    "OK", NULL, NULL },
	{ "HTTP/1.1 302 x\r\nLocation: /first\r\nLocation: /second\r\n"
	  "Retry-After: 1\r\nRetry-After: 2\r\n\r\n", 0, 302, "HTTP/1.1",
	    "x", "/first", "1" },
	{ "HTTP/1.1 302 x\r\nLocation:\r\n\r\n", 0, 302, "HTTP/1.1", "x",
	    "", NULL },
	{ "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\tc\r\nY: d\r\n\r\n", 0, 200,
	    "HTTP/1.1", "OK", NULL, NULL },
	{ "HTTP/1.1 308 Perm\r\nLocation: /a\r\n  /b \r\nX: y\r\n\r\n", 0,
	    308, "HTTP/1.1", "Perm", "/a  /b", NULL },
	{ "HTTP/1.1 308 Perm\r\nLocation:\r\n /c\r\n\r\n", 0, 308,
	    "HTTP/1.1", "Perm", "/c", NULL },
	{ "HTTP/1.1 200 OK\r\n folded\r\n\r\n", 0, 200, "HTTP/1.1", "OK",
	    NULL, NULL },
	{ "HTTP/1.1 200 Ok \t caf\xc3\xa9\r\n\r\n", 0, 200, "HTTP/1.1",
	    "Ok \t caf\xc3\xa9", NULL, NULL },
	{ "HTTP/1.1 200 OK\r\nX:\r\nY:y\r\nZ: caf\xc3\xa9\xff\t\r\n\r\n", 0,
	    200, "HTTP/1.1", "OK", NULL, NULL },
	{ "HTTP/1.1 200 OK\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n", 0, 200,
	    "HTTP/1.1", "OK", NULL, NULL },
	{ "HTTP/1.1 599 Max\r\n\r\n", 0, 599, "HTTP/1.1", "Max", NULL,
	    NULL },
	{ "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n"
	  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 E\r\n\r\n", 0, 500,
	    "HTTP/1.1", "E", NULL, NULL },
};

#define NGOODS	(sizeof(goods) / sizeof(goods[0]))

/* Parse n bytes in one call, from the end of a page. */
static enum head_rc
parse_once(struct head *h, const void *in, size_t n)
{
	char		*p;
	enum head_rc	 rc;

	p = guard_copy(in, n);
	rc = head_parse(h, p, n);
	guard_free(p);
	return (rc);
}

/*
 * Feed n bytes in chunks of step, each at the end of a page, until an
 * answer other than HEAD_MORE; *end is how many bytes of in were used.
 */
static enum head_rc
feed(struct head *h, const char *in, size_t n, size_t step, size_t *end)
{
	char		*p;
	enum head_rc	 rc = HEAD_MORE;
	size_t		 off = 0, k;

	while (off < n) {
		k = n - off < step ? n - off : step;
		p = guard_copy(in + off, k);
		rc = head_parse(h, p, k);
		guard_free(p);
		if (rc != HEAD_MORE) {
			cr_assert(h->used >= 1 && h->used <= k,
			    "used=%zu k=%zu", h->used, k);
			off += h->used;
			break;
		}
		cr_assert_eq(h->used, k);
		off += k;
	}
	*end = off;
	return (rc);
}

/* Length of a good head's input. */
static size_t
good_len(const struct good *t)
{
	return (t->len != 0 ? t->len : strlen(t->in));
}

/* A finished head holds what the table says (case i, for messages). */
static void
check_good(const struct head *h, const struct good *t, size_t i)
{
	cr_assert_eq(h->status, t->status, "case %zu", i);
	cr_assert(h->status_line_done, "case %zu", i);
	cr_assert_str_eq(h->version, t->version, "case %zu", i);
	cr_assert_str_eq(h->reason, t->reason, "case %zu", i);
	cr_assert_eq(h->reason_len, strlen(t->reason), "case %zu", i);
	if (t->location == NULL)
		cr_assert_null(h->location, "case %zu", i);
	else {
		cr_assert_not_null(h->location, "case %zu", i);
		cr_assert_str_eq(h->location, t->location, "case %zu", i);
	}
	if (t->retry_after == NULL)
		cr_assert_null(h->retry_after, "case %zu", i);
	else {
		cr_assert_not_null(h->retry_after, "case %zu", i);
		cr_assert_str_eq(h->retry_after, t->retry_after, "case %zu",
		    i);
	}
	cr_assert_null(h->why, "case %zu", i);
}

/* pre, then fill bytes of c, then post: total bytes in all (malloc'd). */
static char *
make_big(size_t total, const char *pre, char c, const char *post)
{
	size_t	 a = strlen(pre), b = strlen(post);
	char	*s;

	cr_assert(total >= a + b);
	s = malloc(total);
	cr_assert_not_null(s);
	memcpy(s, pre, a);
	memset(s + a, c, total - a - b);
	memcpy(s + total - b, post, b);
	return (s);
}

/* unit repeated to fill n bytes, the last copy cut (malloc'd). */
static char *
repeat(const char *unit, size_t n)
{
	size_t	 u = strlen(unit);
	char	*s;

	s = malloc(n);
	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = unit[i % u];
	return (s);
}

/* h->why for messages: "" when unset. */
static const char *
why(const struct head *h)
{
	return (h->why != NULL ? h->why : "");
}

Test(head, every_prefix_needs_more)
{
	static const char in[] = "HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
	struct head	h;

	for (size_t n = 0; n <= sizeof(in) - 1; n++) {
		head_init(&h);
		cr_assert_eq(parse_once(&h, in, n),
		    n < sizeof(in) - 1 ? HEAD_MORE : HEAD_DONE, "n=%zu", n);
		head_free(&h);
	}
}

Test(head, every_prefix_of_every_good_head)
{
	struct head	h;

	for (size_t i = 0; i < NGOODS; i++) {
		size_t	n = good_len(&goods[i]);

		for (size_t k = 0; k < n; k++) {
			head_init(&h);
			cr_assert_eq(parse_once(&h, goods[i].in, k), HEAD_MORE,
			    "case %zu k=%zu: %s", i, k, why(&h));
			cr_assert_eq(h.used, k);
			head_free(&h);
		}
		head_init(&h);
		cr_assert_eq(parse_once(&h, goods[i].in, n), HEAD_DONE,
		    "case %zu: %s", i, why(&h));
		cr_assert_eq(h.used, n, "case %zu", i);
		check_good(&h, &goods[i], i);
		head_free(&h);
	}
}

Test(head, every_chunk_size_same_result)
{
	struct head	h;
	size_t		end;

	for (size_t i = 0; i < NGOODS; i++) {
		size_t	n = good_len(&goods[i]);

		for (size_t step = 1; step <= n; step++) {
			head_init(&h);
			cr_assert_eq(feed(&h, goods[i].in, n, step, &end),
			    HEAD_DONE, "case %zu step %zu", i, step);
			cr_assert_eq(end, n, "case %zu step %zu", i, step);
			check_good(&h, &goods[i], i);
			head_free(&h);
		}
	}
}

Test(head, split_anywhere_same_result)
{
	struct head	h;

	for (size_t i = 0; i < NGOODS; i++) {
		size_t	n = good_len(&goods[i]);

		for (size_t k = 0; k < n; k++) {
			head_init(&h);
			cr_assert_eq(parse_once(&h, goods[i].in, k), HEAD_MORE);
			cr_assert_eq(parse_once(&h, goods[i].in + k, n - k),
			    HEAD_DONE, "case %zu k=%zu", i, k);
			cr_assert_eq(h.used, n - k);
			check_good(&h, &goods[i], i);
			head_free(&h);
		}
	}
}

Test(head, used_stops_at_the_empty_line)
{
	static const char body[] = "HTTP/1.1 200 OK\r\nBody: no\r\n\r\n"
	    "HTTP/1.1 500 not a head\r\n\r\n";
	struct head	h;
	char		buf[1024];
	size_t		end;

	for (size_t i = 0; i < NGOODS; i++) {
		size_t	n = good_len(&goods[i]);

		cr_assert(n + sizeof(body) <= sizeof(buf));
		memcpy(buf, goods[i].in, n);
		memcpy(buf + n, body, sizeof(body) - 1);
		head_init(&h);
		cr_assert_eq(parse_once(&h, buf, n + sizeof(body) - 1),
		    HEAD_DONE);
		cr_assert_eq(h.used, n, "case %zu: used %zu", i, h.used);
		check_good(&h, &goods[i], i);
		head_free(&h);
		for (size_t step = 1; step < 9; step++) {
			head_init(&h);
			cr_assert_eq(feed(&h, buf, n + sizeof(body) - 1, step,
			    &end), HEAD_DONE);
			cr_assert_eq(end, n, "case %zu step %zu", i, step);
			head_free(&h);
		}
	}
}

Test(head, body_bytes_after_head_in_one_call)
{
	static const char in[] = "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
	struct head	h;

	head_init(&h);
	cr_assert_eq(parse_once(&h, in, sizeof(in) - 1), HEAD_DONE);
	cr_assert_eq(h.used, sizeof(in) - 1 - 5);
	cr_assert_eq(h.status, 200);
	head_free(&h);

	/* The head ends in the second call: used counts only that call. */
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, 30), HEAD_MORE);
	cr_assert_eq(parse_once(&h, in + 30, sizeof(in) - 1 - 30), HEAD_DONE);
	cr_assert_eq(h.used, sizeof(in) - 1 - 5 - 30);
	head_free(&h);
}

Test(head, interim_heads_are_skipped)
{
	static const int	codes[] = { 100, 102, 103 };
	struct head		h;
	char			in[128];
	int			n;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		n = snprintf(in, sizeof(in), "HTTP/1.1 %d Interim\r\n"
		    "Location: /interim\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
		    codes[i]);
		cr_assert(n > 0 && (size_t)n < sizeof(in));
		head_init(&h);
		cr_assert_eq(parse_once(&h, in, (size_t)n), HEAD_DONE);
		cr_assert_eq(h.status, 200, "code %d", codes[i]);
		cr_assert_str_eq(h.reason, "OK");
		cr_assert_null(h.location);
		cr_assert_eq(h.used, (size_t)n);
		head_free(&h);
	}
}

Test(head, switching_protocols_is_final)
{
	static const char in[] = "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: h2c\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
	struct head	h;

	head_init(&h);
	cr_assert_eq(parse_once(&h, in, sizeof(in) - 1), HEAD_DONE);
	cr_assert_eq(h.status, 101);
	cr_assert_eq(h.used, sizeof(in) - 1 - 19);
	head_free(&h);
}

Test(head, status_known_before_the_line_ends)
{
	static const char in[] = "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 404 Nope\r\nX: y\r\n\r\n";
	struct head	h;

	head_init(&h);
	cr_assert_eq(head_parse(&h, in, 12), HEAD_MORE);
	cr_assert_eq(h.status, 0);
	cr_assert_not(h.status_line_done);
	cr_assert_eq(head_parse(&h, in + 12, 1), HEAD_MORE);
	cr_assert_eq(h.status, 100);
	cr_assert_not(h.status_line_done);
	cr_assert_eq(head_parse(&h, in + 13, 10), HEAD_MORE);
	cr_assert(h.status_line_done);
	cr_assert_str_eq(h.reason, "Continue");
	/* The interim head ends: its status line is forgotten. */
	cr_assert_eq(head_parse(&h, in + 23, 2), HEAD_MORE);
	cr_assert_not(h.status_line_done);
	cr_assert_eq(h.status, 0);
	cr_assert_eq(head_parse(&h, in + 25, 13), HEAD_MORE);
	cr_assert_eq(h.status, 404);
	cr_assert_not(h.status_line_done);
	cr_assert_eq(head_parse(&h, in + 38, 5), HEAD_MORE);
	cr_assert_str_eq(h.reason, "Nope");
	cr_assert_not(h.status_line_done);
	cr_assert_eq(head_parse(&h, in + 43, 1), HEAD_MORE);
	cr_assert(h.status_line_done);
	cr_assert_eq(head_parse(&h, in + 44, sizeof(in) - 1 - 44), HEAD_DONE);
	head_free(&h);
}

Test(head, status_line_done_with_bare_lf)
{
	struct head	h;

	head_init(&h);
	cr_assert_eq(head_parse(&h, "HTTP/1.0 200", 12), HEAD_MORE);
	cr_assert_not(h.status_line_done);
	cr_assert_eq(head_parse(&h, "\n", 1), HEAD_MORE);
	cr_assert(h.status_line_done);
	cr_assert_eq(h.status, 200);
	cr_assert_str_eq(h.version, "HTTP/1.0");
	head_free(&h);
}

Test(head, long_reason_is_cut)
{
	struct head	 h;
	char		*in;
	size_t		 n = 13 + 1000 + 4;

	in = make_big(n, "HTTP/1.1 200 ", 'r', "\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_DONE);
	cr_assert_eq(h.reason_len, HEAD_REASON_MAX);
	cr_assert_eq(strlen(h.reason), HEAD_REASON_MAX);
	cr_assert_eq(h.reason[0], 'r');
	head_free(&h);
	free(in);
}

Test(head, location_at_the_cap)
{
	struct head	 h;
	char		*in;
	size_t		 n;

	/* Exactly HEAD_LOCATION_MAX bytes, trailing OWS beyond it. */
	n = 16 + 10 + HEAD_LOCATION_MAX + 4;
	in = make_big(n, "HTTP/1.1 302 x\r\nLocation: ", 'a', "\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_DONE, "%s", why(&h));
	cr_assert_eq(strlen(h.location), HEAD_LOCATION_MAX);
	head_free(&h);
	free(in);

	n = 16 + 10 + HEAD_LOCATION_MAX + 8;
	in = make_big(n, "HTTP/1.1 302 x\r\nLocation: ", 'a',
	    " \t  \r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_DONE, "%s", why(&h));
	cr_assert_eq(strlen(h.location), HEAD_LOCATION_MAX);
	head_free(&h);
	free(in);
}

Test(head, location_over_the_cap_is_bad)
{
	struct head	 h;
	char		*in;
	size_t		 n;

	n = 16 + 10 + HEAD_LOCATION_MAX + 1 + 4;
	in = make_big(n, "HTTP/1.1 302 x\r\nLocation: ", 'a', "\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_BAD);
	cr_assert_str_eq(h.why, "Location header over 8 KiB");
	cr_assert_eq(h.used, 16 + 10 + HEAD_LOCATION_MAX + 1);
	cr_assert_null(h.location);
	head_free(&h);
	free(in);

	/* Spaces at the cap, then more: over it all the same. */
	n = 16 + 10 + HEAD_LOCATION_MAX - 1 + 3 + 1 + 4;
	in = make_big(n, "HTTP/1.1 302 x\r\nLocation: ", 'a', "   b\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_BAD);
	cr_assert_str_eq(h.why, "Location header over 8 KiB");
	head_free(&h);
	free(in);

	/* A Location we ignore (not the first) has no cap of its own. */
	n = 16 + 14 + 10 + HEAD_LOCATION_MAX + 1 + 4;
	in = make_big(n, "HTTP/1.1 302 x\r\nLocation: /a\r\nLocation: ",
	    'a', "\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_DONE);
	cr_assert_str_eq(h.location, "/a");
	head_free(&h);
	free(in);
}

Test(head, long_retry_after_is_cut)
{
	struct head	 h;
	char		*in;
	size_t		 n = 16 + 14 + 1000 + 4;

	in = make_big(n, "HTTP/1.1 503 x\r\nRetry-After:  ", '9', "\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_DONE);
	cr_assert_not_null(h.retry_after);
	cr_assert_eq(strlen(h.retry_after), HEAD_RETRY_AFTER_MAX);
	cr_assert_eq(h.retry_after[0], '9');
	head_free(&h);
	free(in);

	/* Cut right after a space: the kept part is trimmed too. */
	n = 16 + 13 + HEAD_RETRY_AFTER_MAX - 1 + 3 + 4;
	in = make_big(n, "HTTP/1.1 503 x\r\nRetry-After: ", '1', " 23\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_DONE);
	cr_assert_eq(strlen(h.retry_after), HEAD_RETRY_AFTER_MAX - 1);
	head_free(&h);
	free(in);
}

ParameterizedTestParameters(head, bad_input)
{
	static struct bad	params[] = {
		BAD("HTTP/2 200 OK\r\n\r\n", 5, NOT_HTTP),
		BAD("HTTP/2.0 200 OK\r\n\r\n", 5, NOT_HTTP),
		BAD("HTTP/1.2 200 OK\r\n\r\n", 7, NOT_HTTP),
		BAD("HTTP/1.10 200 OK\r\n\r\n", 8, NOT_HTTP),
		BAD("HTTP/1.1\t200 OK\r\n\r\n", 8, NOT_HTTP),
		BAD("HTTP/1.1\r\n\r\n", 8, NOT_HTTP),
		BAD("HTTP/1.1 99 Low\r\n\r\n", 9, BAD_CODE),
		BAD("HTTP/1.1 099 Low\r\n\r\n", 9, BAD_CODE),
		BAD("HTTP/1.1 600 High\r\n\r\n", 9, BAD_CODE),
		BAD("HTTP/1.1 999 High\r\n\r\n", 9, BAD_CODE),
		BAD("HTTP/1.1 2000 OK\r\n\r\n", 12, BAD_CODE),
		BAD("HTTP/1.1 20\r\n\r\n", 11, BAD_CODE),
		BAD("HTTP/1.1 20 OK\r\n\r\n", 11, BAD_CODE),
		BAD("HTTP/1.1 2x0 OK\r\n\r\n", 10, BAD_CODE),
		BAD("HTTP/1.1 -200 OK\r\n\r\n", 9, BAD_CODE),
		BAD("HTTP/1.1  200 OK\r\n\r\n", 9, BAD_CODE),
		BAD("HTTP/1.1 \r\n\r\n", 9, BAD_CODE),
		BAD("HTTP/1.1 200\tOK\r\n\r\n", 12, BAD_CODE),
		BAD("HTTP/1.1 200x\r\n\r\n", 12, BAD_CODE),
		BAD("http/1.1 200 OK\r\n\r\n", 0, NOT_HTTP),
		BAD("Http/1.1 200 OK\r\n\r\n", 1, NOT_HTTP),
		BAD(" HTTP/1.1 200 OK\r\n\r\n", 0, NOT_HTTP),
		BAD("\tHTTP/1.1 200 OK\r\n\r\n", 0, NOT_HTTP),
		BAD("\r\nHTTP/1.1 200 OK\r\n\r\n", 0, NOT_HTTP),
		BAD("\nHTTP/1.1 200 OK\r\n\r\n", 0, NOT_HTTP),
		BAD("\0HTTP/1.1 200 OK\r\n\r\n", 0, NOT_HTTP),
		BAD("SSH-2.0-OpenSSH_9.6p1 Debian-3\r\n", 0, NOT_HTTP),
		BAD("\x16\x03\x03\x00\x5a\x02\x00\x00\x56\x03\x03", 0,
		    NOT_HTTP),
		BAD("\x15\x03\x01\x00\x02\x02\x46", 0, NOT_HTTP),
		BAD("<html><body>hello</body></html>\n", 0, NOT_HTTP),
		BAD("ICY 200 OK\r\n\r\n", 0, NOT_HTTP),
		BAD("HTTP/1.1 200 OK\r\r\n\r\n", 16, NO_LF),
		BAD("HTTP/1.1 200\rOK\r\n\r\n", 13, NO_LF),
		BAD("HTTP/1.1 200 O\0K\r\n\r\n", 14,
		    "control byte in reason phrase"),
		BAD("HTTP/1.1 200 O\x01K\r\n\r\n", 14,
		    "control byte in reason phrase"),
		BAD("HTTP/1.1 200 O\x1f\r\n\r\n", 14,
		    "control byte in reason phrase"),
		BAD("HTTP/1.1 200 O\x7f\r\n\r\n", 14,
		    "control byte in reason phrase"),
		BAD("HTTP/1.1 200 OK\x1b[0m\r\n\r\n", 15,
		    "control byte in reason phrase"),
		BAD("HTTP/1.1 200 OK\r\nX\r\n\r\n", 18,
		    "header line without colon"),
		BAD("HTTP/1.1 200 OK\r\nX-Foo\n\n", 22,
		    "header line without colon"),
		BAD("HTTP/1.1 200 OK\r\nX : y\r\n\r\n", 18,
		    "whitespace in header field name"),
		BAD("HTTP/1.1 200 OK\r\nX\t: y\r\n\r\n", 18,
		    "whitespace in header field name"),
		BAD("HTTP/1.1 200 OK\r\nLocation /x\r\n\r\n", 25,
		    "whitespace in header field name"),
		BAD("HTTP/1.1 200 OK\r\n: y\r\n\r\n", 17,
		    "empty header field name"),
		BAD("HTTP/1.1 200 OK\r\nX(y): z\r\n\r\n", 18,
		    "bad byte in header field name"),
		BAD("HTTP/1.1 200 OK\r\nX\0: z\r\n\r\n", 18,
		    "bad byte in header field name"),
		BAD("HTTP/1.1 200 OK\r\n\x80X: y\r\n\r\n", 17,
		    "bad byte in header field name"),
		BAD("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 21,
		    "control byte in header field value"),
		BAD("HTTP/1.1 200 OK\r\nX: a\x7f\r\n\r\n", 21,
		    "control byte in header field value"),
		BAD("HTTP/1.1 200 OK\r\nX: \x0b\r\n\r\n", 20,
		    "control byte in header field value"),
		BAD("HTTP/1.1 200 OK\r\n \x01\r\n\r\n", 18,
		    "control byte in header field value"),
		BAD("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", 22, NO_LF),
		BAD("HTTP/1.1 200 OK\r\nX: a\r\n\rx", 24, NO_LF),
		BAD("HTTP/1.1 200 OK\r\n\r\r\n", 18, NO_LF),
		BAD("HTTP/1.1 200 OK\nX: y\r\r\n\n", 21, NO_LF),
		BAD("HTTP/1.1 100 Continue\r\n\r\nHTTP/2 200\r\n\r\n", 30,
		    NOT_HTTP),
		BAD("HTTP/1.1 100 Continue\r\n\r\n\r\n", 25, NOT_HTTP),
	};

	return (cr_make_param_array(struct bad, params,
	    sizeof(params) / sizeof(params[0])));
}

ParameterizedTest(struct bad *p, head, bad_input)
{
	struct head	h;

	for (size_t k = 0; k <= p->at; k++) {
		head_init(&h);
		cr_assert_eq(parse_once(&h, p->in, k), HEAD_MORE,
		    "k=%zu at=%zu: %s", k, p->at, why(&h));
		head_free(&h);
	}
	head_init(&h);
	cr_assert_eq(parse_once(&h, p->in, p->at + 1), HEAD_BAD,
	    "at=%zu", p->at);
	cr_assert_eq(h.used, p->at + 1);
	cr_assert_str_eq(h.why, p->why);
	cr_assert_null(h.location);
	cr_assert_null(h.retry_after);
	head_free(&h);

	/* The whole input, and byte by byte: the same verdict. */
	head_init(&h);
	cr_assert_eq(parse_once(&h, p->in, p->len), HEAD_BAD);
	cr_assert_eq(h.used, p->at + 1);
	cr_assert_str_eq(h.why, p->why);
	head_free(&h);
	for (size_t step = 1; step <= 3; step++) {
		size_t	end;

		head_init(&h);
		cr_assert_eq(feed(&h, p->in, p->len, step, &end), HEAD_BAD);
		cr_assert_eq(end, p->at + 1);
		cr_assert_str_eq(h.why, p->why);
		head_free(&h);
	}
}

Test(head, nothing_fed_needs_more)
{
	struct head	h;

	head_init(&h);
	cr_assert_eq(head_parse(&h, NULL, 0), HEAD_MORE);
	cr_assert_eq(parse_once(&h, "", 0), HEAD_MORE);
	cr_assert_eq(h.used, 0);
	cr_assert_not(h.status_line_done);
	cr_assert_null(h.why);
	head_free(&h);
}

Test(head, done_is_final)
{
	static const char in[] = "HTTP/1.1 302 x\r\nLocation: /a\r\n\r\n";
	struct head	h;

	head_init(&h);
	cr_assert_eq(parse_once(&h, in, sizeof(in) - 1), HEAD_DONE);
	cr_assert_eq(parse_once(&h, "garbage\0", 8), HEAD_DONE);
	cr_assert_eq(h.used, 0);
	cr_assert_eq(parse_once(&h, in, sizeof(in) - 1), HEAD_DONE);
	cr_assert_eq(h.used, 0);
	cr_assert_eq(h.status, 302);
	cr_assert_str_eq(h.location, "/a");
	cr_assert_eq(head_parse(&h, NULL, 0), HEAD_DONE);
	head_free(&h);
}

Test(head, bad_is_final)
{
	struct head	h;

	head_init(&h);
	cr_assert_eq(parse_once(&h, "HTTP/1.1 2000", 13), HEAD_BAD);
	cr_assert_str_eq(h.why, BAD_CODE);
	cr_assert_eq(parse_once(&h, "HTTP/1.1 200 OK\r\n\r\n", 19), HEAD_BAD);
	cr_assert_eq(h.used, 0);
	cr_assert_str_eq(h.why, BAD_CODE);
	head_free(&h);
}

Test(head, free_twice_and_after_init)
{
	static const char in[] = "HTTP/1.1 503 x\r\nLocation: /a\r\n"
	    "Retry-After: 1\r\n\r\n";
	struct head	h;

	head_init(&h);
	head_free(&h);
	head_free(&h);

	head_init(&h);
	cr_assert_eq(parse_once(&h, in, sizeof(in) - 1), HEAD_DONE);
	cr_assert_not_null(h.location);
	cr_assert_not_null(h.retry_after);
	head_free(&h);
	cr_assert_null(h.location);
	cr_assert_null(h.retry_after);
	head_free(&h);

	/* Half-way through a captured value. */
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, 28), HEAD_MORE);
	head_free(&h);
	head_free(&h);
}

Test(head, bad_forgets_fields)
{
	static const char in[] = "HTTP/1.1 302 x\r\nLocation: /a\r\n"
	    "Retry-After: 1\r\nX\r\n";
	struct head	h;

	head_init(&h);
	cr_assert_eq(parse_once(&h, in, sizeof(in) - 1), HEAD_BAD);
	cr_assert_null(h.location);
	cr_assert_null(h.retry_after);
	head_free(&h);
}

Test(head, complete_at_the_limit_is_done)
{
	struct head	 h;
	char		*in;
	size_t		 end;

	in = make_big(HEAD_LIMIT, "HTTP/1.1 200 OK\r\nX: ", 'a', "\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, HEAD_LIMIT), HEAD_DONE, "%s", why(&h));
	cr_assert_eq(h.used, HEAD_LIMIT);
	head_free(&h);
	for (size_t step = 1; step <= 4096; step *= 8) {
		head_init(&h);
		cr_assert_eq(feed(&h, in, HEAD_LIMIT, step, &end), HEAD_DONE);
		cr_assert_eq(end, HEAD_LIMIT);
		head_free(&h);
	}
	free(in);

	in = make_big(HEAD_LIMIT, "HTTP/1.1 200 OK\nX: ", 'a', "\n\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, HEAD_LIMIT), HEAD_DONE);
	head_free(&h);
	free(in);
}

Test(head, one_byte_over_the_limit_is_bad)
{
	struct head	 h;
	char		*in;
	size_t		 end;

	in = make_big(HEAD_LIMIT + 1, "HTTP/1.1 200 OK\r\nX: ", 'a',
	    "\r\n\r\n");
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, HEAD_LIMIT + 1), HEAD_BAD);
	cr_assert_eq(h.used, HEAD_LIMIT);
	cr_assert_str_eq(h.why, OVER);
	head_free(&h);

	/* Bad as soon as byte 65536 is read, not when the next comes. */
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, HEAD_LIMIT - 1), HEAD_MORE);
	cr_assert_eq(parse_once(&h, in + HEAD_LIMIT - 1, 1), HEAD_BAD);
	cr_assert_str_eq(h.why, OVER);
	head_free(&h);

	head_init(&h);
	cr_assert_eq(feed(&h, in, HEAD_LIMIT + 1, 1, &end), HEAD_BAD);
	cr_assert_eq(end, HEAD_LIMIT);
	head_free(&h);
	free(in);
}

Test(head, limit_counts_interim_heads)
{
	static const char	 interim[] = "HTTP/1.1 103 Early Hints\r\n"
	    "Link: </a.css>\r\n\r\n";
	const size_t		 ni = sizeof(interim) - 1;
	struct head		 h;
	char			*in;

	/* Three interim heads and a final one: 65536 bytes in all. */
	in = make_big(HEAD_LIMIT - 3 * ni, "HTTP/1.1 200 OK\r\nX: ", 'a',
	    "\r\n\r\n");
	head_init(&h);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(parse_once(&h, interim, ni), HEAD_MORE);
	cr_assert_eq(parse_once(&h, in, HEAD_LIMIT - 3 * ni), HEAD_DONE);
	cr_assert_eq(h.used, HEAD_LIMIT - 3 * ni);
	head_free(&h);
	free(in);

	/* One byte more: the final head alone is under, the total is not. */
	in = make_big(HEAD_LIMIT - 3 * ni + 1, "HTTP/1.1 200 OK\r\nX: ", 'a',
	    "\r\n\r\n");
	head_init(&h);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(parse_once(&h, interim, ni), HEAD_MORE);
	cr_assert_eq(parse_once(&h, in, HEAD_LIMIT - 3 * ni + 1), HEAD_BAD);
	cr_assert_eq(h.used, HEAD_LIMIT - 3 * ni);
	cr_assert_str_eq(h.why, OVER);
	head_free(&h);
	free(in);
}

Test(head, endless_continue_is_bad_at_the_limit)
{
	static const char	 unit[] = "HTTP/1.1 100 Continue\r\n\r\n";
	const size_t		 nu = sizeof(unit) - 1;
	struct head		 h;
	char			*in;
	size_t			 n = 4 * HEAD_LIMIT, end;

	in = repeat(unit, n);
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, n), HEAD_BAD);
	cr_assert_eq(h.used, HEAD_LIMIT);
	cr_assert_str_eq(h.why, OVER);
	head_free(&h);

	head_init(&h);
	cr_assert_eq(feed(&h, in, n, nu, &end), HEAD_BAD);
	cr_assert_eq(end, HEAD_LIMIT);
	head_free(&h);

	/* A final head that would fit by itself, but comes too late. */
	head_init(&h);
	cr_assert_eq(parse_once(&h, in, HEAD_LIMIT / nu * nu), HEAD_MORE);
	cr_assert_eq(parse_once(&h, "HTTP/1.1 200 OK\r\n\r\n", 19), HEAD_BAD);
	cr_assert_str_eq(h.why, OVER);
	head_free(&h);
	free(in);
}

Test(head, endless_line_is_bad_by_the_limit)
{
	static const char	*pre[] = {
		"HTTP/1.1 200 OK\r\nX: ",	/* a field value */
		"HTTP/1.1 200 ",		/* a reason phrase */
		"HTTP/1.1 200 OK\r\nX-",	/* a field name */
		"HTTP/1.1 200 OK\r\n ",		/* an obs-fold */
	};
	const size_t		 n = 1024 * 1024;
	struct head		 h;
	char			*in;
	size_t			 end;

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		in = make_big(n, pre[i], 'a', "");
		head_init(&h);
		cr_assert_eq(parse_once(&h, in, n), HEAD_BAD);
		cr_assert_eq(h.used, HEAD_LIMIT, "case %zu", i);
		cr_assert_str_eq(h.why, OVER);
		head_free(&h);
		head_init(&h);
		cr_assert_eq(feed(&h, in, n, 1000, &end), HEAD_BAD);
		cr_assert_eq(end, HEAD_LIMIT);
		head_free(&h);
		free(in);
	}
}

Test(head, many_short_fields_hit_the_limit)
{
	struct head	 h;
	char		*in, *all;
	size_t		 n = 2 * HEAD_LIMIT;

	in = repeat("A: b\r\n", n - 17);
	all = malloc(n);
	cr_assert_not_null(all);
	memcpy(all, "HTTP/1.1 200 OK\r\n", 17);
	memcpy(all + 17, in, n - 17);
	head_init(&h);
	cr_assert_eq(parse_once(&h, all, n), HEAD_BAD);
	cr_assert_eq(h.used, HEAD_LIMIT);
	cr_assert_str_eq(h.why, OVER);
	head_free(&h);
	free(all);
	free(in);
}
