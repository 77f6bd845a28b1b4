/* fuzz_gobuildinfo.c - libFuzzer entry for the ELF / Mach-O Go build info reader and the ELF version needs (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/elf.h"
#include "probes/gobuildinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The ELF headers, stack flags and version needs of the same input. */
static void elf_needs(const uint8_t *data, size_t size)
{
	struct elf_info ei;
	struct elf_verneed *v;
	struct binsrc src;
	struct diag d;
	size_t n;
	char glibc[64];
	volatile size_t touched = 0;

	if (elf_parse(data, size, "fuzz", &ei, &d) != STATUS_OK)
		return;
	touched += elf_wants_exec_stack(&ei);
	binsrc_mem(&src, data, size, "fuzz");
	if (elf_verneed_read(&src, &ei, &v, &n, &d) == STATUS_OK) {
		for (size_t i = 0; i < n; i++)
			touched += strlen(v[i].file) + strlen(v[i].version);
		touched += elf_glibc_required(v, n, glibc, sizeof(glibc));
		elf_verneed_free(v, n);
	} else if (v || n) {
		abort(); /* an error leaves nothing behind */
	}
	(void)touched;
	elf_info_free(&ei);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gobuildinfo bi;
	struct diag d;
	enum status st = gobuildinfo_parse(data, size, "fuzz", &bi, &d);
	volatile size_t n = 0;

	elf_needs(data, size);

	if (st != STATUS_OK) {
		/* The contract: an error leaves nothing behind. */
		if (bi.version || bi.path || bi.mod_path || bi.settings || bi.nsettings)
			abort();
		if (st != STATUS_ERR_NOT_GO && st != STATUS_ERR_ELF && st != STATUS_ERR_MACHO &&
		    st != STATUS_ERR_NOMEM)
			abort();
		return 0;
	}
	/* Touch what the front ends read, so ASan sees every byte. */
	n += strlen(bi.version) + strlen(bi.format) + strlen(bi.arch) + strlen(bi.goos);
	n += bi.path ? strlen(bi.path) : 0;
	n += bi.mod_path ? strlen(bi.mod_path) + strlen(bi.mod_version) : 0;
	for (size_t i = 0; i < bi.nsettings; i++)
		n += strlen(bi.settings[i]);
	(void)n;
	gobuildinfo_free(&bi);
	return 0;
}
