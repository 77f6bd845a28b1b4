/* replay_main.c - runs a libFuzzer entry over seed files and directories with any compiler; no fuzzer needed. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Seeds are small; this only bounds a stray huge file. */
#define REPLAY_MAX_INPUT ((size_t)64 << 20)

static unsigned long inputs;
/* --unpack: *.gz seeds are gunzipped (binaries are kept compressed in the tree). */
static int unpack;

static long read_gz(void *f, unsigned char *buf, size_t n)
{
	return gzread(f, buf, (unsigned)n);
}

static long read_raw(void *f, unsigned char *buf, size_t n)
{
	size_t got = fread(buf, 1, n, f);

	return ferror((FILE *)f) ? -1 : (long)got;
}

/* Reads up to REPLAY_MAX_INPUT bytes with rd; NULL on error. */
static unsigned char *slurp(void *f, long (*rd)(void *, unsigned char *, size_t), size_t *out)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	long got = 0;

	while (buf && (got = rd(f, buf + n, cap - n)) > 0) {
		unsigned char *more;
		n += (size_t)got;
		if (n < cap)
			continue;
		if (cap >= REPLAY_MAX_INPUT || !(more = realloc(buf, cap * 2)))
			break;
		buf = more;
		cap *= 2;
	}
	if (got < 0) {
		free(buf);
		buf = NULL;
	}
	*out = n;
	return buf;
}

/* The file's bytes, gunzipped when gz; NULL on error. */
static unsigned char *slurp_path(const char *path, int gz, size_t *out)
{
	unsigned char *buf = NULL;

	if (gz) {
		gzFile f = gzopen(path, "rb");
		if (f) {
			buf = slurp(f, read_gz, out);
			gzclose(f);
		}
	} else {
		FILE *f = fopen(path, "rb");
		if (f) {
			buf = slurp(f, read_raw, out);
			fclose(f);
		}
	}
	return buf;
}

/* One input, in an allocation of exactly its size so ASan sees a read past the end. */
static int replay_file(const char *path)
{
	size_t len = strlen(path), n = 0;
	int gz = unpack && len > 3 && strcmp(path + len - 3, ".gz") == 0;
	unsigned char *buf = slurp_path(path, gz, &n), *exact;

	if (!buf) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		return 0;
	}
	exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return 0;
	}
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	inputs++;
	return 1;
}

static int replay_path(const char *path)
{
	struct stat sb;
	struct dirent **names;
	int count, good = 1;

	if (stat(path, &sb) != 0) {
		perror(path);
		return 0;
	}
	if (!S_ISDIR(sb.st_mode))
		return replay_file(path);
	/* Sorted, so a failure names the same input every run. */
	count = scandir(path, &names, NULL, alphasort);
	if (count < 0) {
		perror(path);
		return 0;
	}
	for (int i = 0; i < count; i++) {
		char child[4096];
		if (names[i]->d_name[0] != '.') {
			snprintf(child, sizeof(child), "%s/%s", path, names[i]->d_name);
			good = replay_path(child) && good;
		}
		free(names[i]);
	}
	free(names);
	return good;
}

int main(int argc, char **argv)
{
	int good = 1, first = 1;

	if (argc > 1 && strcmp(argv[1], "--unpack") == 0) {
		unpack = 1;
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: %s [--unpack] FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = first; i < argc; i++)
		good = replay_path(argv[i]) && good;
	printf("%s: %lu inputs%s\n", argv[0], inputs, good ? "" : ", some unreadable");
	/* An input that breaks a target's contract aborts before this point. */
	return good && inputs > 0 ? 0 : 1;
}
