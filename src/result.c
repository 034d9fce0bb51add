/* struct result: construction, outcome, error kinds and their names. */
#include "httpstat/result.h"

#include <stdlib.h>
#include <string.h>

#include "httpstat/xmalloc.h"

/* A result with nothing known yet: every time null. */
void
result_init(struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->time_ms = -1;
	r->timings.dns_ms = -1;
	r->timings.connect_ms = -1;
	r->timings.tls_ms = -1;
	r->timings.ttfb_ms = -1;
	r->retry_after = -1;
}

/* Frees what the result owns; it can be initialised again. */
void
result_free(struct result *r)
{
	result_reset_outcome(r);
	free(r->url);
	result_init(r);
}

/* Forgets what an attempt found, for the next attempt or redirect. */
void
result_reset_outcome(struct result *r)
{
	int	i;

	free(r->reason);
	free(r->message);
	for (i = 0; i < r->nredirects; i++) {
		free(r->redirects[i].url);
		free(r->redirects[i].location);
	}
	free(r->redirects);
	r->reason = r->message = NULL;
	r->redirects = NULL;
	r->nredirects = 0;
	r->ok = r->retryable = false;
	r->status = 0;
	r->http_version[0] = '\0';
	r->kind = ERR_NONE;
	r->phase = PHASE_NONE;
	r->retry_after = -1;
	result_reset_hop(r);
}

/* Forgets one hop's connection: attempts, address, timings, TLS. */
void
result_reset_hop(struct result *r)
{
	free(r->conn);
	r->conn = NULL;
	r->nconn = 0;
	r->addr[0] = '\0';
	r->timings.dns_ms = r->timings.connect_ms = -1;
	r->timings.tls_ms = r->timings.ttfb_ms = -1;
	memset(&r->tls, 0, sizeof(r->tls));
}

/* Records one followed (or refused) redirect. */
struct redirect_hop *
result_add_redirect(struct result *r, const char *url, int status,
    const char *location)
{
	struct redirect_hop	*h;

	r->redirects = xrealloc(r->redirects, (size_t)(r->nredirects + 1) *
	    sizeof(*r->redirects));
	h = &r->redirects[r->nredirects++];
	h->url = xstrdup(url);
	h->status = status;
	h->location = location != NULL ? xstrdup(location) : NULL;
	h->downgrade = false;
	return (h);
}

/* The URL as shown (already masked), copied. */
void
result_set_url(struct result *r, const char *url, size_t len)
{
	free(r->url);
	r->url = xstrndup(url, len);
	r->url_len = len;
}

/* A final status: code, reason phrase and version; no error. */
void
result_set_status(struct result *r, int status, const char *reason,
    size_t reason_len, const char *version)
{
	r->status = status;
	free(r->reason);
	r->reason = xstrndup(reason, reason_len);
	strncpy(r->http_version, version, sizeof(r->http_version) - 1);
	r->http_version[sizeof(r->http_version) - 1] = '\0';
}

/* An error: replaces any status; ERR_NONE keeps the status as it is. */
void
result_set_error(struct result *r, enum err_kind kind, enum phase phase,
    const char *why)
{
	if (kind == ERR_NONE)
		return;
	r->kind = kind;
	r->phase = phase;
	r->ok = false;
	r->status = 0;
	free(r->reason);
	r->reason = NULL;
	r->http_version[0] = '\0';
	free(r->message);
	r->message = xstrdup(why != NULL ? why : result_kind_name(kind));
}

/* Records one more connect attempt; NULL once RESULT_MAX_ATTEMPTS are. */
struct connect_attempt *
result_add_attempt(struct result *r, const char *addr)
{
	struct connect_attempt	*a;

	if (r->nconn >= RESULT_MAX_ATTEMPTS)
		return (NULL);
	r->conn = xrealloc(r->conn, (size_t)(r->nconn + 1) * sizeof(*r->conn));
	a = &r->conn[r->nconn++];
	memset(a, 0, sizeof(*a));
	strncpy(a->addr, addr, sizeof(a->addr) - 1);
	a->ms = -1;
	a->outcome = ATTEMPT_FAILED;
	return (a);
}

/* cli.md: error kinds are stable, lower-case names. */
const char *
result_kind_name(enum err_kind kind)
{
	switch (kind) {
	case ERR_NONE:
		return ("none");
	case ERR_INVALID_URL:
		return ("invalid-url");
	case ERR_DNS:
		return ("dns");
	case ERR_CONNECT:
		return ("connect");
	case ERR_TLS:
		return ("tls");
	case ERR_TIMEOUT:
		return ("timeout");
	case ERR_DEADLINE:
		return ("deadline");
	case ERR_CLOSED:
		return ("closed");
	case ERR_PROTOCOL:
		return ("protocol");
	case ERR_REDIRECT:
		return ("redirect");
	case ERR_CANCELLED:
		return ("cancelled");
	case ERR_IO:
		return ("io");
	}
	return ("io");
}

/* cli.md: the phase an error happened in; NULL for none (JSON null). */
const char *
result_phase_name(enum phase phase)
{
	switch (phase) {
	case PHASE_NONE:
		return (NULL);
	case PHASE_PROXY:
		return ("proxy");
	case PHASE_RESOLVE:
		return ("resolve");
	case PHASE_CONNECT:
		return ("connect");
	case PHASE_TLS:
		return ("tls");
	case PHASE_SEND:
		return ("send");
	case PHASE_HEAD:
		return ("head");
	}
	return (NULL);
}

/* How one connect attempt ended. */
const char *
result_outcome_name(enum attempt_outcome o)
{
	switch (o) {
	case ATTEMPT_CONNECTED:
		return ("connected");
	case ATTEMPT_REFUSED:
		return ("refused");
	case ATTEMPT_FAILED:
		return ("failed");
	case ATTEMPT_TIMEOUT:
		return ("timeout");
	case ATTEMPT_CANCELLED:
		return ("cancelled");
	}
	return ("failed");
}
