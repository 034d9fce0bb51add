/* TLS context, per-connection SSL set-up, certificate facts. */
#include "httpstat/tlsctx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "httpstat/result.h"
#include "httpstat/xmalloc.h"

#define SESSIONS_MAX	4096	/* hosts whose session is kept */

/* A session kept for one host:port (chained hash). */
struct tls_session {
	char			*key;		/* owned: "host:port" */
	SSL_SESSION		*sess;		/* owned reference */
	struct tls_session	*next;
};

/*
 * The tls_info a connection fills is its SSL's app data; its session key
 * ("host:port") is ex_data at key_idx.  The context's app data is this.
 */
struct tlsctx {
	SSL_CTX			*ctx;		/* owned */
	int			 key_idx;
	bool			 resume;
	bool			 insecure;	/* -k */
	char			*cacert;	/* owned: --cacert or NULL */
	char			*failed;	/* owned: why no context */
	struct tls_session	*bucket[1024];	/* owned */
	size_t			 nsessions;
};

static int	tlsctx_ensure(struct tlsctx *, char *, size_t);
static int	tlsctx_load_store(struct tlsctx *);
static int	tlsctx_verify_cb(int, X509_STORE_CTX *);
static int	tlsctx_new_session_cb(SSL *, SSL_SESSION *);
static void	tlsctx_key_free(void *, void *, CRYPTO_EX_DATA *, int, long,
		    void *);
static struct tls_session **tlsctx_slot(struct tlsctx *, const char *);
static void	tlsctx_cert_facts(X509 *, struct tls_info *);
static void	tlsctx_drain(char *, size_t);

/* The shared context: system store or --cacert; -k turns checks off. */
struct tlsctx *
tlsctx_new(const char *cacert, bool insecure, bool resume, char *err,
    size_t errlen)
{
	struct tlsctx	*t;
	FILE		*fp;
	char		 line[128];
	bool		 pem = false;

	/*
	 * OpenSSL is set up on the first https check (it costs megabytes
	 * and milliseconds a plain-http run does not need); a --cacert that
	 * cannot be read, or holds no certificate, is refused now.
	 */
	if (cacert != NULL) {
		if ((fp = fopen(cacert, "r")) == NULL) {
			snprintf(err, errlen, "--cacert: cannot read '%s': %s",
			    cacert, strerror(errno));
			return (NULL);
		}
		while (!pem && fgets(line, sizeof(line), fp) != NULL)
			pem = strncmp(line, "-----BEGIN ", 11) == 0;
		fclose(fp);
		if (!pem) {
			snprintf(err, errlen, "--cacert: '%s' holds no PEM "
			    "certificate", cacert);
			return (NULL);
		}
	}
	t = xcalloc(1, sizeof(*t));
	t->resume = resume;
	t->insecure = insecure;
	t->cacert = cacert != NULL ? xstrdup(cacert) : NULL;
	(void)err;
	(void)errlen;
	return (t);
}

/* The SSL_CTX, made on first use; -1 with err set if it cannot be. */
static int
tlsctx_ensure(struct tlsctx *t, char *err, size_t errlen)
{
	if (t->ctx != NULL)
		return (0);
	if (t->failed != NULL) {
		snprintf(err, errlen, "%s", t->failed);
		return (-1);
	}
	t->key_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL,
	    tlsctx_key_free);
	if (t->key_idx < 0 ||
	    (t->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	SSL_CTX_set_app_data(t->ctx, t);
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_VERSION);
	/* Sessions are kept here, per host:port, not in OpenSSL's cache. */
	SSL_CTX_set_session_cache_mode(t->ctx, t->resume ?
	    SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE :
	    SSL_SESS_CACHE_OFF);
	if (t->resume)
		SSL_CTX_sess_set_new_cb(t->ctx, tlsctx_new_session_cb);
	SSL_CTX_set_mode(t->ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_verify(t->ctx, t->insecure ? SSL_VERIFY_NONE :
	    SSL_VERIFY_PEER, tlsctx_verify_cb);
	if (t->cacert != NULL) {
		if (SSL_CTX_load_verify_locations(t->ctx, t->cacert,
		    NULL) != 1) {
			snprintf(err, errlen, "--cacert: cannot load '%s': ",
			    t->cacert);
			goto fail_msg;
		}
	} else if (!t->insecure && tlsctx_load_store(t) == -1)
		goto fail;
	return (0);
fail:
	snprintf(err, errlen, "cannot set up TLS: ");
fail_msg:
	tlsctx_drain(err + strlen(err), errlen - strlen(err));
	t->failed = xstrdup(err);	/* every later check says the same */
	SSL_CTX_free(t->ctx);
	t->ctx = NULL;
	return (-1);
}

/*
 * The system trust store, on the first https check.  The hashed
 * directory is read lazily, one issuer file when a chain needs it, instead
 * of parsing the whole bundle (about 150 certificates) at every start;
 * without such a directory, or with SSL_CERT_FILE set, the default paths.
 */
static int
tlsctx_load_store(struct tlsctx *t)
{
	const char	*dir = getenv(X509_get_default_cert_dir_env());
	struct stat	 st;

	if (dir == NULL)
		dir = X509_get_default_cert_dir();
	if (getenv(X509_get_default_cert_file_env()) == NULL &&
	    stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    SSL_CTX_load_verify_dir(t->ctx, dir) == 1)
		return (0);
	return (SSL_CTX_set_default_verify_paths(t->ctx) == 1 ? 0 : -1);
}

/* Frees the context (SSL objects hold their own reference). */
void
tlsctx_free(struct tlsctx *t)
{
	struct tls_session	*e, *next;
	size_t			 i;

	if (t == NULL)
		return;
	for (i = 0; i < sizeof(t->bucket) / sizeof(t->bucket[0]); i++) {
		for (e = t->bucket[i]; e != NULL; e = next) {
			next = e->next;
			SSL_SESSION_free(e->sess);
			free(e->key);
			free(e);
		}
	}
	SSL_CTX_free(t->ctx);
	free(t->cacert);
	free(t->failed);
	free(t);
}

/* The bucket link where key is, or would go. */
static struct tls_session **
tlsctx_slot(struct tlsctx *t, const char *key)
{
	struct tls_session	**p;
	unsigned long		  h = 5381;
	const char		 *k;

	for (k = key; *k != '\0'; k++)
		h = h * 33 + (unsigned char)*k;
	p = &t->bucket[h % (sizeof(t->bucket) / sizeof(t->bucket[0]))];
	while (*p != NULL && strcmp((*p)->key, key) != 0)
		p = &(*p)->next;
	return (p);
}

/* A new session from a server: kept for the next check of that host. */
static int
tlsctx_new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
	struct tlsctx		*t = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	struct tls_session	**p, *e;
	const char		 *key;

	if (t == NULL || (key = SSL_get_ex_data(ssl, t->key_idx)) == NULL ||
	    SSL_get_verify_result(ssl) != X509_V_OK)
		return (0);
	p = tlsctx_slot(t, key);
	if ((e = *p) != NULL) {
		SSL_SESSION_free(e->sess);
		e->sess = sess;
		return (1);		/* we keep the reference */
	}
	if (t->nsessions >= SESSIONS_MAX)
		return (0);
	e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->sess = sess;
	*p = e;
	t->nsessions++;
	return (1);
}

/* Frees an SSL's session key with the SSL. */
static void
tlsctx_key_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
    long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	free(ptr);
}

/* cli.md: SNI for names (not IP literals), chain and host name checked. */
SSL *
tlsctx_ssl_new(struct tlsctx *t, const char *host, unsigned short port,
    bool is_ip, struct tls_info *info, char *err, size_t errlen)
{
	SSL			*ssl = NULL;
	char			 name[256], key[300];
	size_t			 n = strlen(host);
	struct tls_session	*e;

	if (tlsctx_ensure(t, err, errlen) == -1)
		return (NULL);
	if ((ssl = SSL_new(t->ctx)) == NULL)
		goto fail;
	if (n > 0 && host[n - 1] == '.')	/* FQDN: not in SNI or SANs */
		n--;
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, host, n);
	name[n] = '\0';
	SSL_set_app_data(ssl, info);
	if (is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
		    name) != 1)
			goto fail;
	} else {
		if (SSL_set_tlsext_host_name(ssl, name) != 1 ||
		    SSL_set1_host(ssl, name) != 1)
			goto fail;
	}
	X509_VERIFY_PARAM_set_hostflags(SSL_get0_param(ssl),
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (t->resume) {
		/* One session per host:port: resumed when the server agrees. */
		snprintf(key, sizeof(key), "%s:%u", name, port);
		if ((e = *tlsctx_slot(t, key)) != NULL)
			SSL_set_session(ssl, e->sess);
		SSL_set_ex_data(ssl, t->key_idx, xstrdup(key));
	}
	SSL_set_connect_state(ssl);
	return (ssl);
fail:
	snprintf(err, errlen, "cannot set up TLS for '%s': ", host);
	tlsctx_drain(err + strlen(err), errlen - strlen(err));
	SSL_free(ssl);
	return (NULL);
}

/* Stops writing into a result that is going away. */
void
tlsctx_forget(SSL *ssl)
{
	if (ssl != NULL)
		SSL_set_app_data(ssl, NULL);
}

/*
 * Called for each certificate of the chain.  The leaf's facts are kept
 * whatever the verdict, so an expired certificate is reported with its
 * date; the verdict itself stays OpenSSL's.
 */
static int
tlsctx_verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL		*ssl;
	struct tls_info	*info;
	X509		*leaf;

	ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl == NULL || (info = SSL_get_app_data(ssl)) == NULL)
		return (ok);
	if (!info->has_cert && (leaf = X509_STORE_CTX_get0_cert(xs)) != NULL)
		tlsctx_cert_facts(leaf, info);
	return (ok);
}

/* After the handshake: protocol, cipher, and the leaf if not yet seen. */
void
tlsctx_info(SSL *ssl, struct tls_info *info)
{
	const SSL_CIPHER	*cipher;
	X509			*leaf;

	info->present = true;
	info->resumed = SSL_session_reused(ssl) == 1;
	snprintf(info->version, sizeof(info->version), "%s",
	    SSL_get_version(ssl));
	if ((cipher = SSL_get_current_cipher(ssl)) != NULL)
		snprintf(info->cipher, sizeof(info->cipher), "%s",
		    SSL_CIPHER_get_name(cipher));
	if (!info->has_cert && (leaf = SSL_get0_peer_certificate(ssl)) != NULL)
		tlsctx_cert_facts(leaf, info);
}

/* notAfter as ISO 8601 UTC and whole days left from now. */
static void
tlsctx_cert_facts(X509 *leaf, struct tls_info *info)
{
	const ASN1_TIME	*na;
	struct tm	 tm;
	int		 days, secs;

	info->present = true;
	info->has_cert = true;
	if ((na = X509_get0_notAfter(leaf)) == NULL ||
	    ASN1_TIME_to_tm(na, &tm) != 1)
		return;
	strftime(info->not_after, sizeof(info->not_after),
	    "%Y-%m-%dT%H:%M:%SZ", &tm);
	info->not_after_unix = (long long)timegm(&tm);
	if (ASN1_TIME_diff(&days, &secs, NULL, na) == 1)
		info->days_left = days;
}

/* Why a handshake failed, in words. */
void
tlsctx_error(SSL *ssl, unsigned long sslerr, char *buf, size_t len)
{
	long	 vr;
	char	 lib[200];

	vr = ssl != NULL ? SSL_get_verify_result(ssl) : X509_V_OK;
	if (vr != X509_V_OK) {
		snprintf(buf, len, "certificate verify failed: %s",
		    X509_verify_cert_error_string(vr));
		ERR_clear_error();
		return;
	}
	if (sslerr != 0) {
		ERR_error_string_n(sslerr, lib, sizeof(lib));
		snprintf(buf, len, "TLS handshake failed: %s", lib);
		ERR_clear_error();
		return;
	}
	lib[0] = '\0';
	tlsctx_drain(lib, sizeof(lib));
	snprintf(buf, len, "TLS handshake failed%s%s", lib[0] ? ": " : "",
	    lib);
}

/* The OpenSSL error queue, emptied into buf ("" if empty). */
static void
tlsctx_drain(char *buf, size_t len)
{
	unsigned long	 e;
	size_t		 n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	while ((e = ERR_get_error()) != 0) {
		if (n == 0 && len > 1) {
			ERR_error_string_n(e, buf, len);
			n = strlen(buf);
		}
	}
}
