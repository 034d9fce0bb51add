/* --shard K/N: a stable hash of the host puts each entry in one shard. */
#ifndef HTTPSTAT_SHARD_H
#define HTTPSTAT_SHARD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The shard (1..n) of a host: lower case A-label, without trailing dot or
 * port; "" for an entry with no host.  Stable across machines and runs.
 */
unsigned long	shard_of(const char *, size_t, unsigned long);
/*
 * The host an entry hashes by, best effort on any bytes (also for invalid
 * entries): xmalloc'd, lower case, no userinfo/port/brackets/trailing dot.
 */
char		*shard_host(const char *, size_t);

#endif
