/* probe_codesign.c - the codesign probe: do the code signatures of the JIT
 * and Wasm tools on PATH let them generate code? Parsing happens in the
 * probe's child, so a hostile binary cannot hurt the caller. */
#include "probe_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "macho.h"
#include "tools.h"

enum probe_status probe_codesign(struct probe_ctx *c)
{
	const char *path = getenv("PATH"), *arch = c->facts ? facts_str(c->facts, "cpu.arch") : NULL;
	const size_t n = tools_nsigned;
	unsigned machos = 0, blocked = 0;
	char first[160] = "";

	for (size_t i = 0; i < n; i++) {
		char file[4096];
		struct stat sb;
		struct macho_info mi = {0};
		struct diag d = {""};
		const struct macho_slice *s = NULL;
		enum status st;
		bool jit_ok, wasm_ok, ok;
		const char *verdict;

		probe_progress(c, (double)i / (double)n, "%s", tools_signed[i].prog);
		if (!tools_find(path, tools_signed[i].prog, file, sizeof(file), &sb))
			continue;
		st = macho_read_file(file, &mi, &d);
		if (st == STATUS_ERR_NOT_MACHO) {
			probe_detail(c, "%s (%s): not a Mach-O file; no code signature applies", tools_signed[i].prog, file);
			continue;
		}
		if (st != STATUS_OK) {
			probe_detail(c, "%s: %s", tools_signed[i].prog, d.msg);
			continue;
		}
		machos++;
		for (size_t k = 0; k < mi.nslices && !s; k++)
			if (arch && !strcmp(mi.slices[k].arch, arch))
				s = &mi.slices[k];
		if (!s)
			s = &mi.slices[0];
		verdict = macho_jit_verdict(s, &jit_ok, &wasm_ok);
		ok = tools_signed[i].wasmtime ? wasm_ok : jit_ok;
		probe_detail(c, "%s (%s, %s): %s", tools_signed[i].prog, file, s->arch, verdict);
		if (!ok && !blocked++)
			snprintf(first, sizeof(first), "%s: %s", tools_signed[i].prog, verdict);
		macho_info_free(&mi);
	}
	probe_count(c, "mach_o_tools", machos);
	if (!machos)
		return probe_finish(c, PROBE_NOT_APPLICABLE, "no Mach-O JIT or Wasm tools on PATH");
	if (blocked)
		return probe_finish(c, PROBE_FAIL, "%s", first);
	return probe_finish(c, PROBE_PASS, "the signatures of %u tool(s) allow their code generation", machos);
}
