/* fuzz_lockfile.c - libFuzzer entry for the line-based lockfile readers: Cargo.lock, Gemfile.lock, mix.lock, go.mod, yarn.lock (built by .ci/fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "probes/lockfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first byte picks the reader (its value modulo the number of
 * readers), so one corpus carries every format and a mutation of that
 * byte feeds one format's text to another reader. package-lock.json has
 * a target of its own (npmlock): JSON is slow next to these. */
static const struct {
	enum lock_kind kind;
	const char *type; /* the purl type its packages carry */
} readers[] = {
	{LOCK_CARGO, "cargo"}, {LOCK_GEMFILE, "gem"}, {LOCK_MIX, "hex"}, {LOCK_GOMOD, "golang"}, {LOCK_YARN, "npm"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = "fuzz/Lockfile";
	char prefix[16];
	struct facts f;
	struct diag d = {""};
	enum status st;
	char *text;
	size_t r;

	if (size < 1)
		return 0;
	r = data[0] % (sizeof(readers) / sizeof(readers[0]));
	text = fuzz_cstr(data + 1, size - 1);
	facts_init(&f);
	st = lockfile_parse(readers[r].kind, path, text, &f, &d);
	if (st != STATUS_OK) {
		/* The contract: a lockfile error, with a message naming the file. */
		if (st != STATUS_ERR_LOCKFILE && st != STATUS_ERR_NOMEM)
			abort();
		if (strncmp(d.msg, path, strlen(path)) != 0)
			abort();
	}
	/* Packages added before an error stay; each one well formed. */
	snprintf(prefix, sizeof(prefix), "pkg:%s/", readers[r].type);
	fuzz_check_purls(&f, "project.packages", prefix);
	fuzz_touch_facts(&f);
	facts_free(&f);
	free(text);
	return 0;
}
