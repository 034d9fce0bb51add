/*
 * url.c under libFuzzer: url_parse(), url_mask() and url_free() on the
 * input as it is, url_resolve_ref() with the input as a reference against
 * a fixed base and as a base for a fixed reference.  Invariants of a
 * parsed URL: a host, a target starting with '/', nothing in the request
 * line or Host that needs escaping, and an absolute URL that parses back
 * to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "httpstat/url.h"

#define FUZZ_BASE	"http://a/b/c/d;p?q"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	 fuzz_check_target(const struct target *);
static void	 fuzz_check_clean(const char *);
static void	 fuzz_check_round_trip(const struct target *);
static void	 fuzz_check_mask(const uint8_t *, size_t);
static void	 fuzz_resolve(const char *, const char *);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target	 t;
	const char	*why;
	char		*ref;

	why = NULL;
	if (url_parse((const char *)data, size, &t, &why) == 0) {
		fuzz_check_target(&t);
		fuzz_check_round_trip(&t);
		fuzz_resolve(t.absolute, "../x/./y?z#f");
	} else if (why == NULL || t.host != NULL || t.target != NULL ||
	    t.auth != NULL || t.hostport != NULL || t.absolute != NULL)
		abort();
	url_free(&t);
	url_free(&t);
	fuzz_check_mask(data, size);
	/* A Location value is a C string: it ends at the first NUL. */
	ref = malloc(size + 1);
	if (ref == NULL)
		return (0);
	memcpy(ref, data, size);
	ref[size] = '\0';
	fuzz_resolve(FUZZ_BASE, ref);
	fuzz_resolve(ref, "g");
	free(ref);
	return (0);
}

/* What a check relies on after a successful parse. */
static void
fuzz_check_target(const struct target *t)
{
	if (t->host == NULL || t->host[0] == '\0' || t->target == NULL ||
	    t->target[0] != '/' || t->hostport == NULL ||
	    t->absolute == NULL || t->port == 0)
		abort();
	if (strncmp(t->absolute, t->https ? "https://" : "http://",
	    t->https ? 8 : 7) != 0)
		abort();
	if (strstr(t->hostport, t->host) == NULL)
		abort();
	fuzz_check_clean(t->target);
	fuzz_check_clean(t->hostport);
	fuzz_check_clean(t->absolute);
	if (t->auth != NULL)
		fuzz_check_clean(t->auth);
}

/* Nothing that would break a request line or a header. */
static void
fuzz_check_clean(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p >= 0x7f || *p <= 0x20)
			abort();
}

/* The normalised absolute URL parses back to the same pieces. */
static void
fuzz_check_round_trip(const struct target *t)
{
	struct target	 u;
	const char	*why;

	if (strlen(t->absolute) > URL_MAX)
		return;
	if (url_parse(t->absolute, strlen(t->absolute), &u, &why) != 0)
		abort();
	if (strcmp(u.absolute, t->absolute) != 0 ||
	    strcmp(u.hostport, t->hostport) != 0 ||
	    strcmp(u.target, t->target) != 0 ||
	    strcmp(u.host, t->host) != 0 || u.port != t->port ||
	    u.https != t->https || u.host_is_ip != t->host_is_ip ||
	    u.auth != NULL)
		abort();
	url_free(&u);
}

/* The mask is the input, or the input with one non-empty span as "***". */
static void
fuzz_check_mask(const uint8_t *data, size_t size)
{
	char	*m;
	size_t	 n, i, tail;
	int	 ok;

	m = url_mask((const char *)data, size, &n);
	if (m[n] != '\0')
		abort();
	ok = n == size && memcmp(m, data, size) == 0;
	for (i = 0; !ok && i + 3 <= n && n - 3 < size; i++) {
		tail = n - i - 3;
		ok = memcmp(m + i, "***", 3) == 0 && i > 0 && m[i - 1] == ':' &&
		    tail > 0 && m[i + 3] == '@' &&
		    memcmp(m + i + 3, data + size - tail, tail) == 0 &&
		    size - tail > i;
		if (m[i] != (char)data[i])
			break;
	}
	if (!ok)
		abort();
	free(m);
}

/* A resolved reference is an http(s) URL with an authority. */
static void
fuzz_resolve(const char *base, const char *ref)
{
	struct target	 t;
	const char	*why;
	char		*r;

	if ((r = url_resolve_ref(base, ref)) == NULL)
		return;
	if (strncasecmp(r, "http://", 7) != 0 &&
	    strncasecmp(r, "https://", 8) != 0)
		abort();
	if (url_parse(r, strlen(r), &t, &why) == 0)
		fuzz_check_target(&t);
	url_free(&t);
	free(r);
}
