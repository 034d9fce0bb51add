/*
 * Replays a corpus through a fuzz target without libFuzzer, so that the
 * fuzz-replay suite runs with any compiler.  Each argument is a file or a
 * directory whose regular files (one level, sorted by name) are inputs;
 * each input is one TAP test case.  An input is handed over in a buffer
 * of its exact size, so a sanitizer sees any read past its end.  A broken
 * promise aborts the process: meson reports that as a failure, and the
 * name of the input is on stderr.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
/* Optional in a target, as with libFuzzer: NULL when it has none. */
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

struct replay {
	unsigned	 n;		/* test cases so far */
	unsigned	 failed;	/* of those, not ok */
};

static void	replay_arg(struct replay *, const char *);
static void	replay_dir(struct replay *, const char *);
static void	replay_file(struct replay *, const char *);
static int	replay_read(const char *, uint8_t **, size_t *);
static void	replay_result(struct replay *, const char *, const char *);

/* Every input of every argument, then the plan; 1 if any was not ok. */
int
main(int argc, char *argv[])
{
	struct replay	 r = { 0, 0 };
	int		 i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
		return (2);
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		replay_arg(&r, argv[i]);
	if (r.n == 0)
		printf("1..0 # SKIP no inputs\n");
	else
		printf("1..%u\n", r.n);
	return (r.failed != 0);
}

/* A directory's files, or the file itself. */
static void
replay_arg(struct replay *r, const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1)
		replay_result(r, path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		replay_dir(r, path);
	else
		replay_file(r, path);
}

/* The regular files directly in dir, sorted; subdirectories are skipped. */
static void
replay_dir(struct replay *r, const char *dir)
{
	struct dirent	**names;
	struct stat	  st;
	char		 *path;
	size_t		  len;
	int		  n, i;

	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		replay_result(r, dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		len = strlen(dir) + strlen(names[i]->d_name) + 2;
		if ((path = malloc(len)) == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			abort();
		}
		snprintf(path, len, "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			replay_file(r, path);
		free(path);
		free(names[i]);
	}
	free(names);
}

/* One input: read it whole, run it, report it. */
static void
replay_file(struct replay *r, const char *path)
{
	uint8_t		*buf;
	size_t		 size;

	if (replay_read(path, &buf, &size) == -1) {
		replay_result(r, path, strerror(errno));
		return;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
	LLVMFuzzerTestOneInput(buf, size);
	free(buf);
	replay_result(r, path, NULL);
}

/* The file's bytes in a buffer of exactly their size (1 when empty). */
static int
replay_read(const char *path, uint8_t **bufp, size_t *sizep)
{
	FILE		*f;
	uint8_t		*buf = NULL, *nbuf;
	size_t		 size = 0, got;
	uint8_t		 chunk[4096];
	int		 saved;

	if ((f = fopen(path, "rb")) == NULL)
		return (-1);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if ((nbuf = realloc(buf, size + got)) == NULL)
			goto fail;
		buf = nbuf;
		memcpy(buf + size, chunk, got);
		size += got;
	}
	if (ferror(f))
		goto fail;
	if (buf == NULL && (buf = malloc(1)) == NULL)
		goto fail;
	fclose(f);
	*bufp = buf;
	*sizep = size;
	return (0);
fail:
	saved = errno != 0 ? errno : EIO;
	free(buf);
	fclose(f);
	errno = saved;
	return (-1);
}

/* One TAP line; why is NULL for ok.  Flushed, in case the next crashes. */
static void
replay_result(struct replay *r, const char *path, const char *why)
{
	r->n++;
	if (why == NULL)
		printf("ok %u - %s\n", r->n, path);
	else {
		r->failed++;
		printf("not ok %u - %s: %s\n", r->n, path, why);
	}
	fflush(stdout);
}
