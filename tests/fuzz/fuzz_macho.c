/* fuzz_macho.c - libFuzzer entry for the Mach-O code signature reader (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/macho.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct macho_info mi;
	struct diag d;
	enum status st = macho_parse(data, size, "fuzz", &mi, &d);

	if (st != STATUS_OK) {
		/* The contract: an error leaves nothing behind. */
		if (mi.slices || mi.nslices || mi.fat)
			abort();
		if (st != STATUS_ERR_NOT_MACHO && st != STATUS_ERR_MACHO && st != STATUS_ERR_NOMEM)
			abort();
		return 0;
	}
	/* Touch what the front ends read, so ASan sees every byte. */
	for (size_t i = 0; i < mi.nslices; i++) {
		const struct macho_slice *s = &mi.slices[i];
		volatile size_t n = 0;
		bool jit, wasm;

		n += strlen(s->arch) + strlen(s->identifier) + strlen(s->team_id);
		if (s->entitlements_xml)
			n += strlen(s->entitlements_xml);
		for (size_t k = 0; k < s->nentitlements; k++)
			n += strlen(s->entitlements[k]);
		n += strlen(macho_jit_verdict(s, &jit, &wasm));
		(void)n;
	}
	macho_info_free(&mi);
	return 0;
}
