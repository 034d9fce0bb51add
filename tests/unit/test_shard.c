/*
 * shard.c: the frozen FNV-1a hash, an even spread, exactly one shard per
 * host, and the host an entry hashes by.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "httpstat/shard.h"

#include "guard.h"

/* A host and its 64-bit FNV-1a, checked with a Python reference. */
struct hash_case {
	char		 host[24];
	uint64_t	 hash;
	unsigned long	 in4;		/* (hash % 4) + 1 */
	unsigned long	 in1000;	/* (hash % 1000) + 1 */
};

#define HOST(s, want)	expect_host((s), sizeof(s) - 1, (want))

static uint64_t	 ref_fnv1a(const char *, size_t);
static void	 expect_host(const char *, size_t, const char *);
static unsigned long	 shard_str(const char *, unsigned long);
static unsigned long	 entry_shard(const char *, unsigned long);

static const struct hash_case	 hash_cases[] = {
	/* The first three are the published FNV-1a 64 test vectors. */
	{ "", UINT64_C(0xcbf29ce484222325), 2, 38 },
	{ "a", UINT64_C(0xaf63dc4c8601ec8c), 1, 997 },
	{ "foobar", UINT64_C(0x85944171f73967e8), 1, 969 },
	{ "example.com", UINT64_C(0x576846634e2714c6), 3, 351 },
	{ "www.example.org", UINT64_C(0x123dddb8f063a358), 1, 545 },
	{ "xn--bcher-kva.de", UINT64_C(0x2fa15ee594b7adad), 2, 854 },
	{ "2001:db8::1", UINT64_C(0xee44bdf00577f2e7), 4, 128 },
	{ "127.0.0.1", UINT64_C(0xaabafe7104d914be), 3, 175 },
	{ "localhost", UINT64_C(0xdb3f053403ad937a), 3, 715 },
};

/* An independent 64-bit FNV-1a, written from the published definition. */
static uint64_t
ref_fnv1a(const char *s, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (h);
}

/* shard_host() of n bytes, with nothing readable after them, is want. */
static void
expect_host(const char *s, size_t n, const char *want)
{
	char	*p, *got;

	p = guard_copy(s, n);
	got = shard_host(p, n);
	guard_free(p);
	cr_assert_str_eq(got, want, "in=%.*s", (int)n, s);
	free(got);
}

/* shard_of() a C string. */
static unsigned long
shard_str(const char *s, unsigned long n)
{
	return (shard_of(s, strlen(s), n));
}

/* The shard of an entry, as the run would find it. */
static unsigned long
entry_shard(const char *entry, unsigned long n)
{
	unsigned long	 k;
	char		*h;

	h = shard_host(entry, strlen(entry));
	k = shard_str(h, n);
	free(h);
	return (k);
}

Test(shard, known_values)
{
	const struct hash_case	*c;
	size_t			 i;

	for (i = 0; i < sizeof(hash_cases) / sizeof(hash_cases[0]); i++) {
		c = &hash_cases[i];
		cr_assert_eq(ref_fnv1a(c->host, strlen(c->host)), c->hash,
		    "host=%s", c->host);
		cr_assert_eq(shard_str(c->host, 4), c->in4, "host=%s",
		    c->host);
		cr_assert_eq(shard_str(c->host, 1000), c->in1000, "host=%s",
		    c->host);
		cr_assert_eq(shard_str(c->host, 1), 1);
	}
}

Test(shard, whole_hash_through_a_huge_n)
{
	const struct hash_case	*c;
	size_t			 i;

	if (ULONG_MAX < UINT64_MAX)
		cr_skip_test("unsigned long is narrower than 64 bits");
	/* (h % (2^64 - 1)) + 1 is h + 1 for every h here. */
	for (i = 0; i < sizeof(hash_cases) / sizeof(hash_cases[0]); i++) {
		c = &hash_cases[i];
		cr_assert_eq((uint64_t)shard_str(c->host, ULONG_MAX),
		    c->hash + 1, "host=%s", c->host);
	}
}

Test(shard, matches_reference_on_many_hosts)
{
	char		 host[64];
	unsigned long	 ns[] = { 2, 3, 4, 7, 16, 100, 12345 };
	uint64_t	 h;
	size_t		 i, j;
	int		 len;

	for (i = 0; i < 2000; i++) {
		len = snprintf(host, sizeof(host), "host-%zu.shard%zu.test",
		    i * 7919, i % 13);
		h = ref_fnv1a(host, (size_t)len);
		for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++)
			cr_assert_eq(shard_of(host, (size_t)len, ns[j]),
			    (unsigned long)(h % ns[j]) + 1, "host=%s", host);
	}
}

Test(shard, every_byte_counts)
{
	static const char	 bytes[] = "a\0b\xff";

	/* Embedded NUL and high bytes are hashed, not skipped. */
	cr_assert_eq(shard_of(bytes, 4, 1000),
	    (unsigned long)(ref_fnv1a(bytes, 4) % 1000) + 1);
	cr_assert_neq(shard_of(bytes, 4, 1000), shard_of(bytes, 1, 1000));
}

Test(shard, zero_shards_is_zero)
{
	cr_assert_eq(shard_str("example.com", 0), 0);
	cr_assert_eq(shard_of(NULL, 0, 0), 0);
}

Test(shard, empty_host_hashes)
{
	cr_assert_eq(shard_of("", 0, 4), 2);
	cr_assert_eq(shard_of(NULL, 0, 4), 2);
	cr_assert_eq(entry_shard("", 4), 2);
	cr_assert_eq(entry_shard("http:///path", 4), 2);
	cr_assert_eq(entry_shard("https://user@:443/", 4), 2);
}

Test(shard, even_spread_over_four)
{
	unsigned long	 count[5] = { 0 };
	unsigned long	 k;
	char		 host[64];
	int		 i, len;

	for (i = 0; i < 10000; i++) {
		len = snprintf(host, sizeof(host), "h%d.example.com", i);
		k = shard_of(host, (size_t)len, 4);
		cr_assert(k >= 1 && k <= 4, "host=%s k=%lu", host, k);
		count[k]++;
	}
	cr_assert_eq(count[0], 0);
	/* 2500 expected each; sigma is about 43, so 2300..2700 is safe. */
	for (k = 1; k <= 4; k++)
		cr_assert(count[k] > 2300 && count[k] < 2700,
		    "shard %lu has %lu of 10000", k, count[k]);
}

Test(shard, each_host_in_exactly_one_shard)
{
	unsigned long	 n, k, in;
	char		 host[64];
	int		 i, len;

	for (n = 1; n <= 9; n++) {
		for (i = 0; i < 500; i++) {
			len = snprintf(host, sizeof(host), "site%d.test", i);
			in = 0;
			for (k = 1; k <= n; k++)
				if (shard_of(host, (size_t)len, n) == k)
					in++;
			cr_assert_eq(in, 1, "host=%s n=%lu", host, n);
		}
	}
}

Test(shard, same_host_same_shard)
{
	static const char *const	 v[] = {
		"example.com",
		"EXAMPLE.com",
		"example.com.",
		"example.com:8080",
		"Example.COM.:443/path?q#f",
		"http://example.com",
		"https://example.com/",
		"HTTPS://Example.Com./x",
		"https://user:pw@example.com:8443/a",
		"user@example.com",
		"http://a@b:c@example.com",
		"example.com?x=http://other.test/",
		"example.com#frag",
	};
	unsigned long	 n, k;
	size_t		 i;

	for (n = 2; n <= 64; n++) {
		k = entry_shard(v[0], n);
		for (i = 1; i < sizeof(v) / sizeof(v[0]); i++)
			cr_assert_eq(entry_shard(v[i], n), k, "in=%s n=%lu",
			    v[i], n);
	}
}

Test(shard, host_of_urls)
{
	HOST("http://example.com/", "example.com");
	HOST("https://WWW.Example.COM:443/path", "www.example.com");
	HOST("example.com", "example.com");
	HOST("example.com/path", "example.com");
	HOST("example.com:8080", "example.com");
	HOST("example.com.", "example.com");
	HOST("example.com..", "example.com.");
	HOST("https://user:pass@host.test/", "host.test");
	HOST("https://u@x:p@w@host.test:1/", "host.test");
	HOST("http://host.test?q=1", "host.test");
	HOST("http://host.test#top", "host.test");
	HOST("http://host.test/a@b", "host.test");
	HOST("ftp://Files.test/", "files.test");
	HOST("svn+ssh://Repo.test/", "repo.test");
}

Test(shard, host_of_ip_literals)
{
	HOST("http://[2001:DB8::1]:8080/", "2001:db8::1");
	HOST("http://[::1]/", "::1");
	HOST("[::1]:443", "::1");
	HOST("http://user@[fe80::1%25eth0]/", "fe80::1%25eth0");
	HOST("http://127.0.0.1:80/", "127.0.0.1");
	HOST("http://[::1", "::1");
}

Test(shard, host_of_odd_entries)
{
	HOST("", "");
	HOST("http://", "");
	HOST("http:///x", "");
	HOST("http://:80/", "");
	HOST("http://@/", "");
	HOST("/just/a/path", "");
	HOST("?q", "");
	HOST("http:example.com", "http");
	HOST("://host.test/", "");
	HOST("1http://host.test/", "1http");
	HOST("http://exa mple.com/", "exa mple.com");
	HOST("http://ex\tample\r/", "ex\tample\r");
	HOST("http://host.test\0evil/", "host.test");
	HOST("mailto:someone@Example.com", "example.com");
}

Test(shard, host_idna)
{
	HOST("http://B\xc3\xbc" "cher.de/", "xn--bcher-kva.de");
	HOST("b\xc3\xbc" "cher.de.", "xn--bcher-kva.de");
	HOST("https://user@B\xc3\xbc" "cher.DE:443/", "xn--bcher-kva.de");
	/* NFC: u + combining diaeresis is the same host. */
	HOST("http://bu\xcc\x88" "cher.de/", "xn--bcher-kva.de");
	/* Non-transitional: sharp s stays, as curl. */
	HOST("http://fa\xc3\x9f.de/", "xn--fa-hia.de");
	/* A symbol: refused non-transitional, taken transitional, as curl. */
	HOST("http://\xe2\x98\x83.test/", "xn--n3h.test");
	/* An ideographic full stop ends the name like '.'. */
	HOST("http://b\xc3\xbc" "cher\xe3\x80\x82" "de/", "xn--bcher-kva.de");
}

Test(shard, host_raw_when_idna_fails)
{
	HOST("http://\xff\xfe.TEST/", "\xff\xfe.test");
	HOST("http://A\xc3/", "a\xc3");
	/* A label may not start with a combining mark. */
	HOST("http://\xcc\x88" "ABC.test:80/", "\xcc\x88" "abc.test");
	HOST("http://X\xef\xbf\xbd.test/", "x\xef\xbf\xbd.test");
}

Test(shard, host_never_reads_past_len)
{
	static const char	 s[] = "https://user:pw@Example.com:443/x";
	char			*h;
	size_t			 n;

	/* Every prefix is some host, and none reads beyond its length. */
	for (n = 0; n <= sizeof(s) - 1; n++) {
		char	*p;

		p = guard_copy(s, n);
		h = shard_host(p, n);
		guard_free(p);
		cr_assert_not_null(h);
		free(h);
	}
	h = shard_host(NULL, 0);
	cr_assert_str_eq(h, "");
	free(h);
}
