/* fuzz_gobuildinfo.c - libFuzzer entry for the ELF / Mach-O Go build info reader (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/gobuildinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gobuildinfo bi;
	struct diag d;
	enum status st = gobuildinfo_parse(data, size, "fuzz", &bi, &d);
	volatile size_t n = 0;

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
