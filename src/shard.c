/*
 * --shard K/N: which shard an entry's host falls in.
 *
 * cli.md: the N shards together yield every entry exactly once, so the
 * host an entry hashes by must be found for any bytes, valid URL or not,
 * and the hash must never change.  The hash is a compatibility promise:
 * lists split by one version or machine must split the same way on any
 * other, so shard_of() below is frozen.
 */
#include "httpstat/shard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpstat/url.h"
#include "httpstat/xmalloc.h"

/* 64-bit FNV-1a (Fowler, Noll, Vo), as published: never change these. */
#define SHARD_FNV_OFFSET	UINT64_C(0xcbf29ce484222325)
#define SHARD_FNV_PRIME		UINT64_C(0x00000100000001b3)

static void	 shard_strip_dot(char *);
static char	*shard_idna(char *);

/*
 * The shard of a host, 1..n (0 if n is 0).  The hash is 64-bit FNV-1a
 * over the len bytes of host, exactly:
 *
 *	h = 0xcbf29ce484222325
 *	for each byte b (unsigned, 0..255): h = (h XOR b) * 0x100000001b3
 *	    (arithmetic modulo 2^64)
 *	shard = (h mod n) + 1
 *
 * The empty host ("") hashes to 0xcbf29ce484222325.
 */
unsigned long
shard_of(const char *host, size_t len, unsigned long n)
{
	const unsigned char	*p = (const unsigned char *)host;
	uint64_t		 h = SHARD_FNV_OFFSET;
	size_t			 i;

	if (n == 0)
		return (0);
	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= SHARD_FNV_PRIME;
	}
	return ((unsigned long)(h % (uint64_t)n) + 1);
}

/* Remove one trailing '.', in place. */
static void
shard_strip_dot(char *s)
{
	size_t	 n;

	if ((n = strlen(s)) > 0 && s[n - 1] == '.')
		s[n - 1] = '\0';
}

/*
 * A host with bytes >= 0x80 to its A-label, as url.c makes it (the flags
 * curl uses: UTS #46 non-transitional, NFC; transitional if that fails).
 * If neither works (not UTF-8, disallowed code points) the lower-cased
 * bytes are kept: such an entry is invalid-url, but it still needs a
 * shard.  An A-label url.c would refuse (empty, or a byte no host name
 * has) is kept as it is.  Takes s.
 */
static char *
shard_idna(char *s)
{
	char	*p, *ret;

	for (p = s; *p != '\0' && (unsigned char)*p < 0x80; p++)
		;
	if (*p == '\0' || (ret = url_idna(s, strlen(s))) == NULL)
		return (s);
	free(s);
	/* UTS #46 maps ideographic full stops to '.': one may now trail. */
	shard_strip_dot(ret);
	return (ret);
}

/*
 * The host an entry hashes by, for any bytes: skip "scheme://" (none:
 * http:// is implied, as curl does; url.c's rule, so a "://" later in a
 * scheme-less entry's query is not taken for a scheme); the authority
 * ends at '/', '?', '#' or NUL (the host is returned as a C string); drop
 * user info up to its last '@'; "[v6]" gives what is inside the brackets,
 * a name drops ":port"; ASCII lower case; one trailing '.' removed;
 * non-ASCII to an A-label when possible.  No host is "".
 */
char *
shard_host(const char *entry, size_t len)
{
	const char	*nul;
	size_t		 a, e, at, hs, he;
	char		*host;

	if (entry == NULL)
		len = 0;
	if ((a = len == 0 ? 0 : url_scheme_len(entry, len)) > 0)
		a += 3;			/* "://" */
	e = len == 0 ? 0 : url_authority_end(entry, len, a);
	if (e > a && (nul = memchr(entry + a, '\0', e - a)) != NULL)
		e = (size_t)(nul - entry);
	for (at = e; at > a && entry[at - 1] != '@'; at--)
		;
	hs = at;		/* after the last '@', or a */
	if (hs < e && entry[hs] == '[') {
		hs++;
		for (he = hs; he < e && entry[he] != ']'; he++)
			;
	} else {
		for (he = hs; he < e && entry[he] != ':'; he++)
			;
	}
	host = xstrndup(len == 0 ? "" : entry + hs, he - hs);
	url_lower(host);
	shard_strip_dot(host);
	return (shard_idna(host));
}
