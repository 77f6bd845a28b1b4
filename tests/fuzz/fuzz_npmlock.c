/* fuzz_npmlock.c - libFuzzer entry for npm's package-lock.json / npm-shrinkwrap.json reader (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "probes/lockfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = "fuzz/package-lock.json";
	const struct fact *pkgs;
	struct facts f;
	struct diag d = {""};
	char *text = fuzz_cstr(data, size);
	enum status st;

	facts_init(&f);
	st = lockfile_parse(lockfile_kind("package-lock.json"), path, text, &f, &d);
	if (st != STATUS_OK) {
		/* The contract: a lockfile error, with a message naming the file. */
		if (st != STATUS_ERR_LOCKFILE && st != STATUS_ERR_NOMEM)
			abort();
		if (strncmp(d.msg, path, strlen(path)) != 0)
			abort();
	}
	/* Packages added before an error stay: pkg:npm/NAME@VERSION, a scope's
	 * '@' written %40, a registry version (no ':', '/' or space). */
	pkgs = fuzz_check_purls(&f, "project.packages", "pkg:npm/");
	for (size_t i = 0; pkgs && i < pkgs->nlist; i++)
		if (strpbrk(strchr(pkgs->list[i] + 8, '@'), ":/ "))
			abort();
	fuzz_touch_facts(&f);
	facts_free(&f);
	free(text);
	return 0;
}
