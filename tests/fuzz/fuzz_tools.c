/* fuzz_tools.c - libFuzzer entry for the readers of what compilers, runtimes and tools print about their version, and of the C library's own word (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "probes/tools.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first byte picks the program (its value modulo the table's size);
 * the rest is what the program printed. NULL: confstr's answer, read by
 * tools_parse_libc. */
static const char *const progs[] = {"cc",   "gcc",      "clang",  "go",   "ruby",  "erl",   "java", "node",
				    "spin", "wasmtime", "docker", "criu", "mongod", "ldd", NULL};
#define NPROGS (sizeof(progs) / sizeof(progs[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *prog;
	struct facts f;
	char *text;
	bool ok;

	if (size < 1)
		return 0;
	prog = progs[data[0] % NPROGS];
	text = fuzz_cstr(data + 1, size - 1);
	facts_init(&f);
	ok = prog ? tools_parse(prog, text, &f) : tools_parse_libc(text, &f);
	/* Output not recognised sets nothing. */
	if (!ok && f.n)
		abort();
	/* A version is one word of the output: nothing empty, no line breaks. */
	for (size_t i = 0; i < f.n; i++)
		if (f.v[i].type == FACT_STR && (!*f.v[i].str || strchr(f.v[i].str, '\n')))
			abort();
	fuzz_touch_facts(&f);
	facts_free(&f);
	free(text);
	return 0;
}
