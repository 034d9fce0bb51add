/*
 * URL handling: evhttp_uri_parse_with_flags plus the contract's checks;
 * the pieces a check needs (host A-label, port, request target, Host,
 * Basic credentials) and the masked form shown in results.  proxy.c and
 * shard.c share the small pieces at the end (scheme, authority end, user
 * info to Basic credentials, IDNA).
 *
 * What url_parse() accepts (cli.md, "URL-list format"), where the contract
 * leaves room:
 * - A URL that does not start with "scheme://" gets "http://", as curl
 *   does; "host:8080/x" is host "host", port 8080.  Only http and https
 *   (any case) are checked.
 * - The user info ends at the last '@' of the authority; the password
 *   starts at its first ':'.  Both halves are percent-decoded (a '%' not
 *   followed by two hex digits stays as it is).  An empty user info
 *   ("http://@host/") sends no credentials.
 * - The host is lower-cased; a non-ASCII one must be UTF-8 and becomes its
 *   IDNA A-label (UTS #46 non-transitional, else transitional, as curl).
 *   After that it may hold only letters, digits, '-', '.' and '_'; so a
 *   percent-encoded host is invalid.  A trailing dot is kept: it is a
 *   valid fully qualified name and the server sees it in Host.  IPv6
 *   literals must parse (no zone IDs) and are kept in inet_ntop form;
 *   an IPv4 literal is what inet_pton takes (dotted quad).
 * - An empty port ("host:/") is the scheme's default, as in curl and
 *   RFC 3986 3.2.3; otherwise 1 to 65535 in decimal digits.
 * - Bytes >= 0x80 in the path, query and fragment are sent percent-encoded
 *   (%XX, upper case); everything else is sent as given (no other
 *   re-encoding), except that "." and ".." segments are removed from the
 *   path (RFC 3986 5.2.4), as curl does.  The fragment is dropped.
 */
#ifndef HTTPSTAT_URL_H
#define HTTPSTAT_URL_H

#include <stdbool.h>
#include <stddef.h>

#define URL_MAX		8192	/* cli.md: over 8 KiB is invalid-url */

struct target {
	bool		 https;
	char		*host;		/* owned: A-label, lower case, no [] */
	bool		 host_is_ip;	/* an IPv4 or IPv6 literal */
	unsigned short	 port;
	char		*hostport;	/* owned: Host header value */
	char		*target;	/* owned: "/path?query", encoded */
	char		*auth;		/* owned: base64 "user:pass" or NULL */
	char		*absolute;	/* owned: normalised absolute URL */
};

/*
 * Parse an entry's URL (len bytes, any bytes); -1 with *why set (a static
 * message) if invalid.  *t is overwritten; on failure it owns nothing.
 */
int	 url_parse(const char *, size_t, struct target *, const char **);
/* Free what *t owns and zero it; safe on a zeroed or freed target. */
void	 url_free(struct target *);
/*
 * The URL as given with any password replaced by "***"; xmalloc'd and
 * NUL-terminated, its length in *outlen (if not NULL).  Never fails.
 */
char	*url_mask(const char *, size_t, size_t *);
/*
 * Resolve a reference (a Location value) against an absolute URL
 * (RFC 3986, 5.2); xmalloc'd absolute URL (with the reference's fragment,
 * if any), or NULL if it cannot be: the result is not http or https, or
 * has no host.  Like browsers, "http:g" against an http base is relative.
 */
char	*url_resolve_ref(const char *, const char *);

/* Length of the scheme if s starts with "scheme://" (RFC 3986), else 0. */
size_t	 url_scheme_len(const char *, size_t);
/* Index of the first '/', '?' or '#' at or after from, or len. */
size_t	 url_authority_end(const char *, size_t, size_t);
/* Whether two byte strings are equal, ignoring ASCII case. */
bool	 url_caseeq(const char *, size_t, const char *, size_t);
/* The value of a hex digit, or -1. */
int	 url_hexval(int);
/* User info (n <= URL_MAX), each half %XX-decoded, as base64 "u:p". */
char	*url_basic_auth(const char *, size_t);
/* UTF-8 host to a lower-case A-label, unchecked; xmalloc'd or NULL. */
char	*url_idna(const char *, size_t);
/* ASCII lower case in place, whatever the locale. */
void	 url_lower(char *);

#endif
