/* Integration test harness: servers, runs of the binary, a JSONL reader. */
#include "harness.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#define H_START_TIMEOUT	30.0	/* seconds for a server's port line */
#define H_STOP_TIMEOUT	5.0	/* seconds after SIGTERM before SIGKILL */
#define H_MAX_PIDS	8
#define H_MAX_ARGS	256
#define H_MAX_FDS	16

extern char	**environ;

/* A growable byte buffer, NUL-terminated. */
struct h_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static char		 h_tmp[PATH_MAX];	/* "" before h_setup() */
static void		**h_arena;		/* owned: every allocation */
static size_t		 h_narena;
static pid_t		 h_pids[H_MAX_PIDS];	/* servers to stop */
static size_t		 h_npids;
static int		 h_fds[H_MAX_FDS];	/* black hole sockets */
static size_t		 h_nfds;
static struct h_server	 h_srv;
static struct h_dns	 h_dnssrv;

static double	 h_now(void);
static void	*h_alloc(size_t);
static char	*h_adopt(char *);
static void	 h_buf_add(struct h_buf *, const char *, size_t);
static void	 h_keep_fd(int);
static pid_t	 h_spawn(const char *, const char *const *, char *, size_t);
static void	 h_stop(pid_t);
static int	 h_rm(const char *, const struct stat *, int, struct FTW *);
static char	**h_env(const char **);
static bool	 h_proxy_var(const char *);
static void	 h_child(const char *, const char *const *, char **, int,
		    int, int);
static bool	 h_read(int *, struct h_buf *);
static void	 h_write_in(int *, const char *, size_t, size_t *, bool);
static void	 h_split(struct h_run *);
static pid_t	 h_start(const struct h_opts *, const char *const *, int *,
		    int *);
static int	 h_pump(struct h_run *, const struct h_opts *, pid_t, int *,
		    struct h_buf *, struct h_buf *);
static const char *j_ws(const char *);
static const char *j_string(const char *);
static const char *j_value(const char *, int);
static const char *j_member(const char *, const char *, size_t);
static const char *j_element(const char *, long);
static bool	 j_utf8(const char *);
static char	*j_unescape(const char *);
static void	 j_put_utf8(struct h_buf *, unsigned long);

/* Monotonic seconds. */
static double
h_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Memory that lives until h_teardown(). */
static void *
h_alloc(size_t n)
{
	void	*p;

	if ((p = calloc(1, n == 0 ? 1 : n)) == NULL)
		cr_assert_fail("out of memory");
	return (h_adopt(p));
}

/* Take malloc'd p into the arena. */
static char *
h_adopt(char *p)
{
	void	**a;

	a = realloc(h_arena, (h_narena + 1) * sizeof(*a));
	if (a == NULL)
		cr_assert_fail("out of memory");
	h_arena = a;
	h_arena[h_narena++] = p;
	return (p);
}

/* Append n bytes to b, keeping it NUL-terminated. */
static void
h_buf_add(struct h_buf *b, const char *s, size_t n)
{
	char	*p;
	size_t	 cap;

	if (b->len + n + 1 > b->cap) {
		cap = b->cap == 0 ? 4096 : b->cap;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			cr_assert_fail("out of memory");
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* A fresh temporary directory; SIGPIPE ignored (we write to pipes). */
void
h_setup(void)
{
	const char	*tmp;

	signal(SIGPIPE, SIG_IGN);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(h_tmp, sizeof(h_tmp), "%s/httpstat-it.XXXXXX", tmp);
	if (mkdtemp(h_tmp) == NULL)
		cr_assert_fail("mkdtemp %s: %s", h_tmp, strerror(errno));
}

/* Stop the servers, remove the directory, free everything. */
void
h_teardown(void)
{
	size_t	i;

	for (i = 0; i < h_npids; i++)
		h_stop(h_pids[i]);
	h_npids = 0;
	for (i = 0; i < h_nfds; i++)
		close(h_fds[i]);
	h_nfds = 0;
	if (h_tmp[0] != '\0' && getenv("HTTPSTAT_KEEP_TMP") == NULL)
		(void)nftw(h_tmp, h_rm, 16, FTW_DEPTH | FTW_PHYS);
	h_tmp[0] = '\0';
	for (i = 0; i < h_narena; i++)
		free(h_arena[i]);
	free(h_arena);
	h_arena = NULL;
	h_narena = 0;
	memset(&h_srv, 0, sizeof(h_srv));
	memset(&h_dnssrv, 0, sizeof(h_dnssrv));
}

/* nftw() callback: remove one entry. */
static int
h_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path);
	return (0);
}

/* The test's temporary directory. */
const char *
h_dir(void)
{
	return (h_tmp);
}

/* A path in the test's directory. */
char *
h_path(const char *name)
{
	return (h_strf("%s/%s", h_tmp, name));
}

/* printf into memory that lives until teardown. */
char *
h_strf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		cr_assert_fail("vsnprintf");
	s = h_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return (s);
}

/* Write content to a file in the test's directory; returns its path. */
char *
h_write(const char *name, const char *content)
{
	char	*path = h_path(name);
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		cr_assert_fail("%s: %s", path, strerror(errno));
	fwrite(content, 1, strlen(content), f);
	if (fclose(f) != 0)
		cr_assert_fail("%s: %s", path, strerror(errno));
	return (path);
}

/* A whole file, or "" when it cannot be read. */
char *
h_slurp(const char *path)
{
	struct h_buf	 b;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f;

	memset(&b, 0, sizeof(b));
	h_buf_add(&b, "", 0);
	if ((f = fopen(path, "r")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			h_buf_add(&b, chunk, n);
		fclose(f);
	}
	return (h_adopt(b.p));
}

/* Occurrences of needle in hay (not overlapping). */
size_t
h_count(const char *hay, const char *needle)
{
	size_t	n = 0, len = strlen(needle);

	if (len == 0)
		return (0);
	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += len;
	}
	return (n);
}

/* Lines in s: '\n' characters, plus one for an unterminated tail. */
size_t
h_lines_count(const char *s)
{
	size_t	n = h_count(s, "\n");

	if (*s != '\0' && s[strlen(s) - 1] != '\n')
		n++;
	return (n);
}

/* A loopback port nobody listens on (bound, then closed). */
int
h_free_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd, port;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		cr_assert_fail("free port: %s", strerror(errno));
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

/* Keep fd open until teardown. */
static void
h_keep_fd(int fd)
{
	if (h_nfds == H_MAX_FDS)
		cr_assert_fail("too many sockets");
	h_fds[h_nfds++] = fd;
}

/*
 * A loopback port where connect() hangs: a listener with backlog 0 that
 * never accepts, its queue filled by us, so the kernel drops further SYNs.
 */
int
h_blackhole_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd, i;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1 ||
	    listen(fd, 0) == -1)
		cr_assert_fail("black hole: %s", strerror(errno));
	h_keep_fd(fd);
	for (i = 0; i < 3; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
		if (fd == -1)
			cr_assert_fail("socket: %s", strerror(errno));
		(void)connect(fd, (struct sockaddr *)&sin, sizeof(sin));
		h_keep_fd(fd);
	}
	usleep(100000);		/* let the handshakes that can finish */
	return (ntohs(sin.sin_port));
}

/* Trigger for h_opts: *(long *)arg ms after its first call (one use a test). */
bool
h_after_ms(void *arg)
{
	static double	start;

	if (start == 0)
		start = h_now();
	return ((h_now() - start) * 1000 >= (double)*(long *)arg);
}

/*
 * Start a server from the binary named by environment variable envvar;
 * wait (bounded) for its first stdout line, which goes to line.
 */
static pid_t
h_spawn(const char *envvar, const char *const *args, char *line, size_t size)
{
	const char	*bin;
	const char	*argv[8];
	struct pollfd	 pfd;
	double		 end;
	size_t		 len = 0, i;
	ssize_t		 n;
	pid_t		 pid;
	int		 fds[2], devnull;

	if ((bin = getenv(envvar)) == NULL || *bin == '\0')
		cr_assert_fail("%s is not set", envvar);
	argv[0] = bin;
	for (i = 0; args[i] != NULL && i + 2 < 8; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1 ||
	    (devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		cr_assert_fail("pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		cr_assert_fail("fork: %s", strerror(errno));
	if (pid == 0)
		h_child(bin, argv, environ, devnull, fds[1], 2);
	close(fds[1]);
	close(devnull);
	if (h_npids < H_MAX_PIDS)
		h_pids[h_npids++] = pid;
	end = h_now() + H_START_TIMEOUT;
	while (len + 1 < size && memchr(line, '\n', len) == NULL &&
	    h_now() < end) {
		pfd.fd = fds[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((n = read(fds[0], line + len, size - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	line[len] = '\0';
	if (memchr(line, '\n', len) == NULL)
		cr_assert_fail("%s printed no port line (got \"%s\")", bin,
		    line);
	return (pid);
}

/* SIGTERM, a bounded wait, then SIGKILL; always reaped. */
static void
h_stop(pid_t pid)
{
	double	end;
	int	st;

	if (kill(pid, SIGTERM) == -1)
		return;
	end = h_now() + H_STOP_TIMEOUT;
	while (h_now() < end) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* The test server, started on first use. */
const struct h_server *
h_server(void)
{
	const char	*args[3];
	char		 line[256], life[16];

	if (h_srv.pid != 0)
		return (&h_srv);
	snprintf(life, sizeof(life), "%d", H_SERVER_LIFE);
	args[0] = h_tmp;
	args[1] = life;
	args[2] = NULL;
	h_srv.pid = h_spawn("TESTSERVER_BIN", args, line, sizeof(line));
	if (sscanf(line, "PLAIN=%d TLS=%d EXPIRED=%d WRONGNAME=%d "
	    "SELFSIGNED=%d STALLTLS=%d", &h_srv.plain, &h_srv.tls,
	    &h_srv.expired, &h_srv.wrongname, &h_srv.selfsigned,
	    &h_srv.stalltls) != 6)
		cr_assert_fail("testserver port line: %s", line);
	return (&h_srv);
}

/* The fake DNS server, started on first use. */
const struct h_dns *
h_dns(void)
{
	const char	*args[3];
	char		 line[64], life[16];

	if (h_dnssrv.pid != 0)
		return (&h_dnssrv);
	snprintf(life, sizeof(life), "%d", H_SERVER_LIFE);
	args[0] = life;
	args[1] = h_path("dns.log");
	args[2] = NULL;
	h_dnssrv.pid = h_spawn("FAKEDNS_BIN", args, line, sizeof(line));
	if (sscanf(line, "DNS=%d", &h_dnssrv.port) != 1)
		cr_assert_fail("fakedns port line: %s", line);
	return (&h_dnssrv);
}

/* notAfter of testserver's certificate name, as the JSON writes it. */
char *
h_certdate(const char *name)
{
	const char	*certs, *p;
	size_t		 n = strlen(name);

	certs = h_slurp(h_path("certs.txt"));
	for (p = certs; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return (h_strf("%.*s", (int)strcspn(p + n + 1, "\n"),
			    p + n + 1));
	}
	cr_assert_fail("no certificate %s in certs.txt", name);
	return (NULL);
}

/* What testserver logged: request heads, each followed by H_MARK. */
const char *
h_requests(void)
{
	return (h_slurp(h_path("requests.log")));
}

/* How many requests testserver logged. */
size_t
h_nrequests(void)
{
	return (h_count(h_requests(), H_MARK));
}

/* The i-th (0-based) request head logged, or "" when there is none. */
const char *
h_request(size_t i)
{
	const char	*p = h_requests(), *end;

	for (; i > 0 && p != NULL; i--)
		if ((p = strstr(p, H_MARK)) != NULL)
			p += strlen(H_MARK);
	if (p == NULL || (end = strstr(p, H_MARK)) == NULL)
		return ("");
	return (h_strf("%.*s", (int)(end - p), p));
}

/* Trigger for h_opts: at least *(size_t *)arg requests logged. */
bool
h_requests_at_least(void *arg)
{
	return (h_nrequests() >= *(size_t *)arg);
}

/* Proxy settings of the caller must not leak into the binary. */
static bool
h_proxy_var(const char *kv)
{
	static const char *const names[] = {
		"http_proxy=", "https_proxy=", "HTTPS_PROXY=", "HTTP_PROXY=",
		"all_proxy=", "ALL_PROXY=", "no_proxy=", "NO_PROXY=",
		"NO_COLOR=",
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(kv, names[i], strlen(names[i])) == 0)
			return (true);
	return (false);
}

/* The child's environment: ours (sanitizer settings kept) plus extra. */
static char **
h_env(const char **extra)
{
	char	**env;
	size_t	  n = 0, i, m = 0;

	while (environ[n] != NULL)
		n++;
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		m++;
	env = h_alloc((n + m + 1) * sizeof(*env));
	m = 0;
	for (i = 0; i < n; i++)
		if (!h_proxy_var(environ[i]))
			env[m++] = environ[i];
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		env[m++] = (char *)(uintptr_t)extra[i];
	env[m] = NULL;
	return (env);
}

/* In the child: plumb fds, restore signals, exec.  Never returns. */
static void
h_child(const char *bin, const char *const *argv, char **env, int in,
    int out, int err)
{
	sigset_t	set;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	execve(bin, (char *const *)(uintptr_t)argv, env);
	_exit(127);
}

/* Read what is there from *fd into b; false and *fd = -1 at EOF. */
static bool
h_read(int *fd, struct h_buf *b)
{
	char	chunk[16384];
	ssize_t	n;

	n = read(*fd, chunk, sizeof(chunk));
	if (n > 0) {
		h_buf_add(b, chunk, (size_t)n);
		return (true);
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return (true);
	close(*fd);
	*fd = -1;
	return (false);
}

/* Feed stdin; close it when all is written (unless held) or on error. */
static void
h_write_in(int *fd, const char *in, size_t len, size_t *off, bool hold)
{
	ssize_t	n;

	if (*off < len) {
		n = write(*fd, in + *off, len - *off);
		if (n > 0)
			*off += (size_t)n;
		else if (n == -1 && errno != EAGAIN && errno != EINTR) {
			close(*fd);
			*fd = -1;
			return;
		}
	}
	if (*off == len && !hold) {
		close(*fd);
		*fd = -1;
	}
}

/* Split r->out into r->lines (a copy; r->out stays whole). */
static void
h_split(struct h_run *r)
{
	char	*copy, *p, *nl;
	size_t	 n;

	n = h_lines_count(r->out);
	r->lines = h_alloc((n + 1) * sizeof(*r->lines));
	copy = h_strf("%s", r->out);
	r->nlines = 0;
	for (p = copy; *p != '\0'; p = nl + 1) {
		r->lines[r->nlines++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
	}
}

/*
 * Fork and exec the binary (HTTPSTAT_BIN); fds gets the parent's ends:
 * stdout, stderr and stdin (-1 unless o->in), *tty the pty master or -1.
 */
static pid_t
h_start(const struct h_opts *o, const char *const *argv, int *fds, int *tty)
{
	const char	*bin;
	char		**env;
	pid_t		 pid;
	int		 ofd[2], efd[2], ifd[2], i;

	if ((bin = getenv("HTTPSTAT_BIN")) == NULL || *bin == '\0')
		cr_assert_fail("HTTPSTAT_BIN is not set");
	env = h_env(o->env);
	*tty = -1;
	ifd[1] = -1;
	if (pipe2(ofd, O_CLOEXEC) == -1 || pipe2(efd, O_CLOEXEC) == -1)
		cr_assert_fail("pipe: %s", strerror(errno));
	if (o->in_tty) {
		*tty = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (*tty == -1 || grantpt(*tty) == -1 || unlockpt(*tty) == -1 ||
		    (ifd[0] = open(ptsname(*tty), O_RDWR | O_NOCTTY |
		    O_CLOEXEC)) == -1)
			cr_assert_fail("pty: %s", strerror(errno));
	} else if (o->in != NULL) {
		if (pipe2(ifd, O_CLOEXEC) == -1)
			cr_assert_fail("pipe: %s", strerror(errno));
	} else if ((ifd[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		cr_assert_fail("/dev/null: %s", strerror(errno));
	if ((pid = fork()) == -1)
		cr_assert_fail("fork: %s", strerror(errno));
	if (pid == 0)
		h_child(bin, argv, env, ifd[0], ofd[1], efd[1]);
	close(ofd[1]);
	close(efd[1]);
	close(ifd[0]);
	fds[0] = ofd[0];
	fds[1] = efd[0];
	fds[2] = ifd[1];
	for (i = 0; i < 3; i++)
		if (fds[i] != -1)
			fcntl(fds[i], F_SETFL, O_NONBLOCK);
	return (pid);
}

/*
 * Move bytes until the child has exited and its output is read: feed
 * stdin, send o->sig once o->trigger says so, SIGKILL at the timeout.
 * Returns the wait status.
 */
static int
h_pump(struct h_run *r, const struct h_opts *o, pid_t pid, int *fds,
    struct h_buf *out, struct h_buf *err)
{
	struct pollfd	 pfd[3];
	double		 end;
	size_t		 inlen, off = 0, np;
	int		 st = 0;
	bool		 exited = false;

	inlen = o->in == NULL ? 0 : o->inlen != 0 ? o->inlen : strlen(o->in);
	end = h_now() + (o->timeout > 0 ? o->timeout : H_RUN_TIMEOUT);
	while (!exited || fds[0] != -1 || fds[1] != -1) {
		np = 0;
		if (fds[0] != -1)
			pfd[np++] = (struct pollfd){ fds[0], POLLIN, 0 };
		if (fds[1] != -1)
			pfd[np++] = (struct pollfd){ fds[1], POLLIN, 0 };
		if (fds[2] != -1 && off < inlen)
			pfd[np++] = (struct pollfd){ fds[2], POLLOUT, 0 };
		(void)poll(pfd, (nfds_t)np, 20);
		if (fds[0] != -1)
			h_read(&fds[0], out);
		if (fds[1] != -1)
			h_read(&fds[1], err);
		if (fds[2] != -1)
			h_write_in(&fds[2], o->in, inlen, &off, o->in_hold);
		if (o->close_out_after > 0 && fds[0] != -1 &&
		    h_count(out->p, "\n") >= o->close_out_after) {
			close(fds[0]);
			fds[0] = -1;
		}
		if (!exited && waitpid(pid, &st, WNOHANG) == pid)
			exited = true;
		if (!exited && o->trigger != NULL && !r->fired &&
		    o->trigger(o->arg)) {
			kill(pid, o->sig);
			r->fired = true;
		}
		if (!exited && !r->timed_out && h_now() > end) {
			kill(pid, SIGKILL);
			r->timed_out = true;
		}
	}
	if (fds[2] != -1)
		close(fds[2]);
	return (st);
}

/* Run the binary (HTTPSTAT_BIN) with argv (argv[0] included). */
struct h_run *
h_runv(const struct h_opts *o, const char *const *argv)
{
	static const struct h_opts	 none;
	struct h_run			*r;
	struct h_buf			 out, err;
	pid_t				 pid;
	int				 fds[3], st, tty;

	if (o == NULL)
		o = &none;
	r = h_alloc(sizeof(*r));
	memset(&out, 0, sizeof(out));
	memset(&err, 0, sizeof(err));
	h_buf_add(&out, "", 0);
	h_buf_add(&err, "", 0);
	pid = h_start(o, argv, fds, &tty);
	st = h_pump(r, o, pid, fds, &out, &err);
	if (tty != -1)
		close(tty);
	r->signaled = WIFSIGNALED(st);
	r->sig = r->signaled ? WTERMSIG(st) : 0;
	r->code = r->signaled ? 128 + r->sig : WEXITSTATUS(st);
	r->out = h_adopt(out.p);
	r->outlen = out.len;
	r->err = h_adopt(err.p);
	r->errlen = err.len;
	h_split(r);
	return (r);
}

/* Run the binary with stdin content in (or NULL) and NULL-ended args. */
struct h_run *
h_run(const char *in, ...)
{
	struct h_opts	 o;
	const char	*argv[H_MAX_ARGS];
	va_list		 ap;
	size_t		 n = 0;

	memset(&o, 0, sizeof(o));
	o.in = in;
	argv[n++] = "httpstat-async";
	va_start(ap, in);
	while ((argv[n] = va_arg(ap, const char *)) != NULL)
		if (++n == H_MAX_ARGS - 1)
			cr_assert_fail("too many arguments");
	va_end(ap);
	return (h_runv(&o, argv));
}

/* Skip JSON white space. */
static const char *
j_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return (p);
}

/* p at '"': the end of the string, or NULL if it is malformed. */
static const char *
j_string(const char *p)
{
	int	i;

	for (p++; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return (NULL);
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			for (i = 1; i <= 4; i++)
				if (strchr("0123456789abcdefABCDEF",
				    p[i]) == NULL || p[i] == '\0')
					return (NULL);
			p += 4;
		} else if (*p == '\0' || strchr("\"\\/bfnrt", *p) == NULL)
			return (NULL);
	}
	return (p + 1);
}

/* The end of the JSON value at p, or NULL if it is malformed. */
static const char *
j_value(const char *p, int depth)
{
	const char	*q;
	char		 close;

	p = j_ws(p);
	if (depth > 32)
		return (NULL);
	switch (*p) {
	case '"':
		return (j_string(p));
	case '{':
	case '[':
		close = *p == '{' ? '}' : ']';
		p = j_ws(p + 1);
		if (*p == close)
			return (p + 1);
		for (;;) {
			if (close == '}') {
				if (*p != '"' || (p = j_string(p)) == NULL)
					return (NULL);
				if (*(p = j_ws(p)) != ':')
					return (NULL);
				p++;
			}
			if ((p = j_value(p, depth + 1)) == NULL)
				return (NULL);
			p = j_ws(p);
			if (*p == close)
				return (p + 1);
			if (*p != ',')
				return (NULL);
			p = j_ws(p + 1);
		}
	case 't':
		return (strncmp(p, "true", 4) == 0 ? p + 4 : NULL);
	case 'f':
		return (strncmp(p, "false", 5) == 0 ? p + 5 : NULL);
	case 'n':
		return (strncmp(p, "null", 4) == 0 ? p + 4 : NULL);
	default:
		q = p;
		if (*q == '-')
			q++;
		if (*q < '0' || *q > '9')
			return (NULL);
		if (*q == '0')
			q++;
		else
			while (*q >= '0' && *q <= '9')
				q++;
		if (*q == '.') {
			if (*++q < '0' || *q > '9')
				return (NULL);
			while (*q >= '0' && *q <= '9')
				q++;
		}
		if (*q == 'e' || *q == 'E') {
			q++;
			if (*q == '+' || *q == '-')
				q++;
			if (*q < '0' || *q > '9')
				return (NULL);
			while (*q >= '0' && *q <= '9')
				q++;
		}
		return (q);
	}
}

/* obj at '{': the value of member key (len bytes), or NULL. */
static const char *
j_member(const char *obj, const char *key, size_t len)
{
	const char	*p = j_ws(obj + 1), *k;

	while (*p == '"') {
		k = p + 1;
		if ((p = j_string(p)) == NULL)
			return (NULL);
		if ((size_t)(p - k) == len + 1 && strncmp(k, key, len) == 0) {
			p = j_ws(p);
			return (*p == ':' ? j_ws(p + 1) : NULL);
		}
		if (*(p = j_ws(p)) != ':')
			return (NULL);
		if ((p = j_value(p + 1, 0)) == NULL)
			return (NULL);
		if (*(p = j_ws(p)) != ',')
			return (NULL);
		p = j_ws(p + 1);
	}
	return (NULL);
}

/* arr at '[': element idx (0-based), or NULL. */
static const char *
j_element(const char *arr, long idx)
{
	const char	*p = j_ws(arr + 1);

	if (*p == ']')
		return (NULL);
	for (; idx > 0; idx--) {
		if ((p = j_value(p, 0)) == NULL)
			return (NULL);
		if (*(p = j_ws(p)) != ',')
			return (NULL);
		p = j_ws(p + 1);
	}
	return (p);
}

/*
 * The value at a dotted path ("error.kind", "redirects.0.status") in the
 * JSON text, or NULL when it is not there.
 */
const char *
jfind(const char *json, const char *path)
{
	const char	*p = j_ws(json), *dot;
	char		*end;
	size_t		 len;
	long		 idx;

	while (p != NULL && *path != '\0') {
		dot = strchr(path, '.');
		len = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (*p == '{')
			p = j_member(p, path, len);
		else if (*p == '[') {
			idx = strtol(path, &end, 10);
			p = end == path + len ? j_element(p, idx) : NULL;
		} else
			p = NULL;
		path += len;
		if (*path == '.')
			path++;
		if (p != NULL)
			p = j_ws(p);
	}
	return (p);
}

/*
 * A field as a string: strings unescaped, "<null>" for null, "<missing>"
 * when absent, the JSON text for anything else ("200", "true", "{...}").
 */
const char *
jstr(const char *line, const char *path)
{
	const char	*v, *e;

	if ((v = jfind(line, path)) == NULL)
		return ("<missing>");
	if (strncmp(v, "null", 4) == 0)
		return ("<null>");
	if (*v == '"')
		return (j_unescape(v));
	if ((e = j_value(v, 0)) == NULL)
		return ("<malformed>");
	return (h_strf("%.*s", (int)(e - v), v));
}

/* An integer field; JNULL, JMISSING or JNOTINT otherwise. */
long
jint(const char *line, const char *path)
{
	const char	*v;
	char		*end;
	long		 n;

	if ((v = jfind(line, path)) == NULL)
		return (JMISSING);
	if (strncmp(v, "null", 4) == 0)
		return (JNULL);
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || errno != 0 || *end == '.' || *end == 'e' ||
	    *end == 'E')
		return (JNOTINT);
	return (n);
}

/* Whether a field is present and null. */
bool
jnull(const char *line, const char *path)
{
	const char	*v = jfind(line, path);

	return (v != NULL && strncmp(v, "null", 4) == 0);
}

/* Elements of an array field; -1 when it is not an array. */
long
jlen(const char *line, const char *path)
{
	const char	*v = jfind(line, path);
	long		 n = 0;

	if (v == NULL || *v != '[')
		return (-1);
	while (j_element(v, n) != NULL)
		n++;
	return (n);
}

/* The error kind, or "<null>" when there is no error. */
const char *
jerrkind(const char *line)
{
	if (jnull(line, "error"))
		return ("<null>");
	return (jstr(line, "error.kind"));
}

/* Whether line is one valid JSON object in valid UTF-8, and nothing more. */
bool
jvalid(const char *line)
{
	const char	*end;

	if (!j_utf8(line) || *j_ws(line) != '{')
		return (false);
	if ((end = j_value(line, 0)) == NULL)
		return (false);
	return (*j_ws(end) == '\0');
}

/* Whether s is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
static bool
j_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			cp = *p & 0x07;
		} else
			return (false);
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (false);
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (false);
		p += n + 1;
	}
	return (true);
}

/* Append code point cp to b as UTF-8. */
static void
j_put_utf8(struct h_buf *b, unsigned long cp)
{
	char	u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		h_buf_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		h_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		h_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		h_buf_add(b, u, 4);
	}
}

/* The JSON string at p, unescaped ("<malformed>" if it is not one). */
static char *
j_unescape(const char *p)
{
	static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
	struct h_buf	 b;
	const char	*end, *esc;
	unsigned long	 cp, lo;
	char		 c, hex[5];

	if ((end = j_string(p)) == NULL)
		return (h_strf("<malformed>"));
	memset(&b, 0, sizeof(b));
	h_buf_add(&b, "", 0);
	for (p++; p < end - 1; p++) {
		if (*p != '\\') {
			h_buf_add(&b, p, 1);
			continue;
		}
		p++;
		if (*p != 'u') {
			esc = strchr(from, *p);
			c = esc != NULL ? to[esc - from] : *p;
			h_buf_add(&b, &c, 1);
			continue;
		}
		memcpy(hex, p + 1, 4);
		hex[4] = '\0';
		cp = strtoul(hex, NULL, 16);
		p += 4;
		if (cp >= 0xd800 && cp <= 0xdbff && p[1] == '\\' &&
		    p[2] == 'u') {
			memcpy(hex, p + 3, 4);
			lo = strtoul(hex, NULL, 16);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			}
		}
		j_put_utf8(&b, cp);
	}
	return (h_adopt(b.p));
}
