/* replay_macho.c - runs the Mach-O reader over fuzzing seeds and their prefixes; no fuzzer needed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "probes/fileio.h"
#include "probes/macho.h"

static unsigned long parses, ok, rejected;

/* One parse; false if the reader broke its contract. */
static bool replay_one(const unsigned char *buf, size_t len, const char *path)
{
	struct macho_info mi;
	struct diag d = {""};
	enum status st = macho_parse(buf, len, path, &mi, &d);

	parses++;
	if (st == STATUS_OK) {
		ok++;
		macho_info_free(&mi);
		return true;
	}
	rejected++;
	if ((st != STATUS_ERR_NOT_MACHO && st != STATUS_ERR_MACHO) || mi.slices || mi.nslices) {
		fprintf(stderr, "replay_macho_prefixes: %s (%zu bytes): status %d, %s\n", path, len, st, d.msg);
		return false;
	}
	return true;
}

/* A prefix in an allocation of its own, so ASan catches a read past it. */
static bool replay_prefix(const char *buf, size_t cut, const char *path)
{
	unsigned char *copy = malloc(cut ? cut : 1);
	bool good;

	if (!copy)
		return false;
	memcpy(copy, buf, cut);
	good = replay_one(copy, cut, path);
	free(copy);
	return good;
}

/* The whole file, through memory and through the file reader, then
 * prefixes: every length up to 4 KiB, 256 spread over the rest, and the
 * last 64 (where signatures end). */
static bool replay_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	struct macho_info mi;
	struct diag d = {""};
	enum status whole, from_file;
	bool good;

	if (fileio_read(path, (size_t)1 << 28, &buf, &len, &d) != STATUS_OK) {
		fprintf(stderr, "replay_macho_prefixes: %s\n", d.msg);
		return false;
	}
	good = replay_one((unsigned char *)buf, len, path);
	whole = macho_parse((unsigned char *)buf, len, path, &mi, &d);
	if (whole == STATUS_OK)
		macho_info_free(&mi);
	from_file = macho_read_file(path, &mi, &d);
	if (from_file == STATUS_OK)
		macho_info_free(&mi);
	if (whole != from_file) {
		fprintf(stderr, "replay_macho_prefixes: %s: memory %d, file %d\n", path, whole, from_file);
		good = false;
	}
	for (size_t cut = 0; cut < len && cut < 4096 && good; cut++)
		good = replay_prefix(buf, cut, path);
	for (size_t k = 0; len > 4096 && k < 256 && good; k++)
		good = replay_prefix(buf, 4096 + (len - 4096) / 256 * k, path);
	for (size_t k = 1; k <= 64 && len > 4096 + k && good; k++)
		good = replay_prefix(buf, len - k, path);
	free(buf);
	return good;
}

static bool replay_path(const char *path)
{
	struct stat sb;
	DIR *dir;
	struct dirent *e;
	bool good = true;

	if (stat(path, &sb) != 0) {
		perror(path);
		return false;
	}
	if (!S_ISDIR(sb.st_mode))
		return replay_file(path);
	dir = opendir(path);
	if (!dir) {
		perror(path);
		return false;
	}
	while ((e = readdir(dir))) {
		char child[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		good = replay_path(child) && good;
	}
	closedir(dir);
	return good;
}

int main(int argc, char **argv)
{
	bool good = true;

	if (argc < 2) {
		fprintf(stderr, "usage: replay_macho_prefixes FILE|DIR...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		good = replay_path(argv[i]) && good;
	printf("replay_macho_prefixes: %lu parses (%lu accepted, %lu rejected as expected)%s\n", parses, ok,
	       rejected, good ? "" : ", FAILED");
	return good ? 0 : 1;
}
