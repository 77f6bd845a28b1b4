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

/* Reads up to REPLAY_MAX_INPUT bytes through zlib (gzip'd or as they are); NULL on error. */
static unsigned char *slurp_gz(const char *path, size_t *out)
{
	gzFile f = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	int got = 0;

	while (f && buf && (got = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
		unsigned char *more;
		n += (size_t)got;
		if (n < cap)
			continue;
		if (cap >= REPLAY_MAX_INPUT || !(more = realloc(buf, cap * 2)))
			break;
		buf = more;
		cap *= 2;
	}
	if (!f || !buf || got < 0) {
		free(buf);
		buf = NULL;
	}
	if (f)
		gzclose(f);
	*out = n;
	return buf;
}

/* Reads the file as it is; NULL on error. */
static unsigned char *slurp_raw(const char *path, size_t *out)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got = 0;
	unsigned char *buf = malloc(cap);

	while (f && buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		unsigned char *more;
		n += got;
		if (n < cap)
			continue;
		if (cap >= REPLAY_MAX_INPUT || !(more = realloc(buf, cap * 2)))
			break;
		buf = more;
		cap *= 2;
	}
	if (!f || !buf || ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	*out = n;
	return buf;
}

/* One input, in an allocation of exactly its size so ASan sees a read past the end. */
static int replay_file(const char *path)
{
	size_t len = strlen(path), n = 0;
	int gz = unpack && len > 3 && strcmp(path + len - 3, ".gz") == 0;
	unsigned char *buf = gz ? slurp_gz(path, &n) : slurp_raw(path, &n), *exact;

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
