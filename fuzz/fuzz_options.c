/* libFuzzer: the input split on NUL bytes is an argv for options_parse. */
#include "httpstat/options.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "httpstat/xmalloc.h"

#define FUZZ_ARGS_MAX	256

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	fuzz_check(enum options_rc, const struct options *,
		    const char *);
static void	fuzz_check_run(const struct options *);
static void	fuzz_check_later(const struct options *);

/* Split, parse, check what the contract promises, free. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options	 o;
	char		*buf, *argv[FUZZ_ARGS_MAX + 2], err[256];
	char		 name[] = "httpstat-async";
	size_t		 i;
	int		 argc = 1;

	buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = name;
	argv[argc++] = buf;
	for (i = 0; i < size && argc <= FUZZ_ARGS_MAX; i++)
		if (buf[i] == '\0')
			argv[argc++] = buf + i + 1;
	argv[argc] = NULL;
	fuzz_check(options_parse(argc, argv, &o, err, sizeof(err)), &o, err);
	options_free(&o);
	options_free(&o);
	free(buf);
	return (0);
}

/* One line on error; values in range on success. */
static void
fuzz_check(enum options_rc rc, const struct options *o, const char *err)
{
	switch (rc) {
	case OPTIONS_ERROR:
		if (strncmp(err, "httpstat-async: ", 16) != 0 ||
		    strpbrk(err, "\r\n") != NULL)
			abort();
		break;
	case OPTIONS_RUN:
		if (err[0] != '\0')
			abort();
		fuzz_check_run(o);
		fuzz_check_later(o);
		break;
	case OPTIONS_HELP:
	case OPTIONS_VERSION:
		break;
	}
}

/* The request and connection options. */
static void
fuzz_check_run(const struct options *o)
{
	size_t	i;

	if (o->concurrency < 1 || o->concurrency > 1000000 ||
	    !(o->timeout > 0) || !(o->deadline >= 0) || o->method == NULL ||
	    o->method[0] == '\0' || strpbrk(o->method, " \r\n") ||
	    o->user_agent == NULL || strpbrk(o->user_agent, "\r\n"))
		abort();
	for (i = 0; i < o->nheaders; i++)
		if (strpbrk(o->headers[i], "\r\n") != NULL ||
		    strchr(o->headers[i], ':') == NULL)
			abort();
	for (i = 0; i < o->npins; i++)
		if (o->pins[i].port == 0 || o->pins[i].naddrs == 0)
			abort();
}

/* Redirects, proxy, retries, pacing, sharding, output. */
static void
fuzz_check_later(const struct options *o)
{
	if (o->max_redirs > 1000 || o->retries > 100 ||
	    o->retry_on.n < 1 || o->per_host > 1000000 ||
	    !isfinite(o->rate) || o->rate < 0 || o->rate > 1e6 ||
	    o->cert_min_days < -1 || o->cert_min_days > 100000)
		abort();
	if ((o->shard_k == 0) != (o->shard_n == 0) ||
	    o->shard_k > o->shard_n || o->shard_n > 1000000)
		abort();
	if (o->proxy != NULL && (strpbrk(o->proxy, " \r\n") != NULL ||
	    (o->proxy[0] != '\0' && strncasecmp(o->proxy, "http://", 7) != 0)))
		abort();
	if (o->noproxy != NULL && strpbrk(o->noproxy, "\r\n") != NULL)
		abort();
	if ((unsigned)o->format > FORMAT_PROM || (unsigned)o->order >
	    ORDER_COMPLETION || (unsigned)o->progress > WHEN_NEVER)
		abort();
}
