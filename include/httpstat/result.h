/* One check's outcome: error kinds, phases, timings, TLS facts. */
#ifndef HTTPSTAT_RESULT_H
#define HTTPSTAT_RESULT_H

#include <stdbool.h>
#include <stddef.h>

enum err_kind {
	ERR_NONE,
	ERR_INVALID_URL,
	ERR_DNS,
	ERR_CONNECT,
	ERR_TLS,
	ERR_TIMEOUT,
	ERR_DEADLINE,
	ERR_CLOSED,
	ERR_PROTOCOL,
	ERR_REDIRECT,
	ERR_CANCELLED,
	ERR_IO,
};

enum phase {
	PHASE_NONE,		/* never started its own work: JSON null */
	PHASE_PROXY,
	PHASE_RESOLVE,
	PHASE_CONNECT,
	PHASE_TLS,
	PHASE_SEND,
	PHASE_HEAD,
};

#define RESULT_ADDR_MAX		48	/* "ffff:...:255.255.255.255" + NUL */
#define RESULT_MAX_ATTEMPTS	16	/* connect attempts recorded, at most */

enum attempt_outcome {
	ATTEMPT_CONNECTED,
	ATTEMPT_REFUSED,
	ATTEMPT_FAILED,
	ATTEMPT_TIMEOUT,
	ATTEMPT_CANCELLED,
};

struct connect_attempt {
	char			 addr[RESULT_ADDR_MAX];
	double			 ms;
	enum attempt_outcome	 outcome;
};

/* Facts about the leaf certificate and the session; present=false: null. */
struct tls_info {
	bool	 present;
	char	 version[16];		/* "TLSv1.3" */
	char	 cipher[64];
	char	 not_after[32];		/* "2027-01-01T00:00:00Z", "" unknown */
	long	 days_left;
	long long not_after_unix;	/* seconds since the epoch */
	bool	 has_cert;
	bool	 expiring;		/* --cert-min-days not met */
	bool	 resumed;		/* the session was resumed */
};

/* One followed redirect (cli.md: redirects). */
struct redirect_hop {
	char	*url;			/* owned: the URL requested (masked) */
	int	 status;
	char	*location;		/* owned: absolute target */
	bool	 downgrade;		/* https to http */
};

/* Negative time values mean "did not happen": JSON null. */
struct timings {
	double	 dns_ms;
	double	 connect_ms;
	double	 tls_ms;
	double	 ttfb_ms;
};

struct result {
	char			*url;		/* owned: as given (masked) */
	size_t			 url_len;
	const char		*source;	/* borrowed: NULL for an arg */
	long			 line;		/* 0 when source is NULL */
	size_t			 index;		/* 1-based position in input */

	bool			 ok;
	int			 status;	/* 0: none */
	char			*reason;	/* owned, NULL when no status */
	char			 http_version[9];

	enum err_kind		 kind;
	enum phase		 phase;
	char			*message;	/* owned, NULL when no error */

	char			 addr[RESULT_ADDR_MAX];	/* "" : null */
	double			 time_ms;	/* < 0: null */
	struct timings		 timings;
	int			 attempts;
	struct connect_attempt	*conn;		/* owned: nconn of them */
	int			 nconn;
	struct redirect_hop	*redirects;	/* owned: nredirects */
	int			 nredirects;

	/* for the run, not written out */
	double			 started;	/* first attempt's start, or 0 */
	bool			 retryable;	/* an outcome --retries retries */
	double			 retry_after;	/* seconds, or < 0: none */
	struct tls_info		 tls;
};

void		 result_init(struct result *);
void		 result_free(struct result *);
void		 result_set_error(struct result *, enum err_kind, enum phase,
		    const char *);
void		 result_set_url(struct result *, const char *, size_t);
void		 result_set_status(struct result *, int, const char *, size_t,
		    const char *);
struct connect_attempt	*result_add_attempt(struct result *, const char *);
struct redirect_hop	*result_add_redirect(struct result *, const char *,
			    int, const char *);
/* Forgets the outcome of an attempt; URL, source and counts stay. */
void		 result_reset_outcome(struct result *);
/* Forgets one hop's connection (a redirect): attempts, addr, timings, TLS. */
void		 result_reset_hop(struct result *);
const char	*result_kind_name(enum err_kind);
const char	*result_phase_name(enum phase);
const char	*result_outcome_name(enum attempt_outcome);

#endif
