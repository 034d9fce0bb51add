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

#include <idn2.h>

#include "httpstat/xmalloc.h"

/* 64-bit FNV-1a (Fowler, Noll, Vo), as published: never change these. */
#define SHARD_FNV_OFFSET	UINT64_C(0xcbf29ce484222325)
#define SHARD_FNV_PRIME		UINT64_C(0x00000100000001b3)

static size_t	 shard_scheme_len(const char *, size_t);
static size_t	 shard_authority_end(const char *, size_t, size_t);
static char	*shard_lower(const char *, size_t, int *);
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

/*
 * Length of "scheme://" if the entry starts with one (RFC 3986 scheme:
 * a letter, then letters, digits, '+', '-', '.'), else 0.  The same rule
 * as url.c, so a "://" later in a scheme-less entry's query is not taken
 * for a scheme, and the host is the one the check would use.
 */
static size_t
shard_scheme_len(const char *s, size_t len)
{
	size_t	 i;
	char	 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if (i > 0 && ((c >= '0' && c <= '9') || c == '+' ||
		    c == '-' || c == '.'))
			continue;
		break;
	}
	if (i == 0 || len - i < 3 || s[i] != ':' || s[i + 1] != '/' ||
	    s[i + 2] != '/')
		return (0);
	return (i + 3);
}

/*
 * Index of the first '/', '?', '#' at or after from, or len.  A NUL ends
 * it too: the host is returned as a C string.
 */
static size_t
shard_authority_end(const char *s, size_t len, size_t from)
{
	while (from < len && s[from] != '/' && s[from] != '?' &&
	    s[from] != '#' && s[from] != '\0')
		from++;
	return (from);
}

/* n bytes, ASCII lower case, as a new string; *nonascii: any byte >= 0x80. */
static char *
shard_lower(const char *s, size_t n, int *nonascii)
{
	char	*out;
	size_t	 i;

	out = xmalloc(n + 1);
	*nonascii = 0;
	for (i = 0; i < n; i++) {
		out[i] = s[i];
		if (s[i] >= 'A' && s[i] <= 'Z')
			out[i] = (char)(s[i] - 'A' + 'a');
		else if ((unsigned char)s[i] >= 0x80)
			*nonascii = 1;
	}
	out[n] = '\0';
	return (out);
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
 * A non-ASCII host to its A-label, with the flags curl uses (UTS #46
 * non-transitional, NFC), transitional if that fails.  If neither works
 * (not UTF-8, disallowed code points) the lower-cased bytes are kept:
 * such an entry is invalid-url, but it still needs a shard.  Takes s.
 */
static char *
shard_idna(char *s)
{
	char	*out = NULL;
	char	*ret;

	if (idn2_to_ascii_8z(s, &out, IDN2_NFC_INPUT |
	    IDN2_NONTRANSITIONAL) != IDN2_OK) {
		out = NULL;
		if (idn2_to_ascii_8z(s, &out, IDN2_NFC_INPUT |
		    IDN2_TRANSITIONAL) != IDN2_OK)
			out = NULL;
	}
	if (out == NULL)
		return (s);
	free(s);
	ret = xstrdup(out);
	idn2_free(out);
	/* UTS #46 maps ideographic full stops to '.': one may now trail. */
	shard_strip_dot(ret);
	return (ret);
}

/*
 * The host an entry hashes by, for any bytes: skip "scheme://" (none:
 * http:// is implied, as curl does); the authority ends at '/', '?',
 * '#'; drop user info up to its last '@'; "[v6]" gives what is inside
 * the brackets, a name drops ":port"; ASCII lower case; one trailing '.'
 * removed; non-ASCII to an A-label when possible.  No host is "".
 */
char *
shard_host(const char *entry, size_t len)
{
	size_t	 a, e, at, hs, he;
	char	*host;
	int	 nonascii;

	if (entry == NULL)
		len = 0;
	a = len == 0 ? 0 : shard_scheme_len(entry, len);
	e = len == 0 ? 0 : shard_authority_end(entry, len, a);
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
	host = shard_lower(len == 0 ? "" : entry + hs, he - hs, &nonascii);
	shard_strip_dot(host);
	if (nonascii)
		host = shard_idna(host);
	return (host);
}
