/* fuzz_host.h - the built-in KB judged on one real host's facts, for targets that read the KB after a scan. */
#ifndef QUIRK_FUZZ_HOST_H
#define QUIRK_FUZZ_HOST_H

#include <stdlib.h>

#include "db/match.h"

/* Facts of tests/fixtures/roots/this-machine (Debian 12 on an AMD EPYC) as
 * `quirk facts` reads them, one of each kind of value, plus a gcc. */
static inline struct kb *fuzz_host_kb(void)
{
	static const char *const flags[] = {"sse2", "sse4_2", "avx", "avx2", "avx512f", "rdrand", "rdseed"};
	struct kb *kb;
	struct facts f;
	struct diag d;
	bool ok;

	if (kb_open(&kb, NULL, &d) != STATUS_OK)
		abort();
	facts_init(&f);
	ok = facts_set_str(&f, "os.name", "Linux") == STATUS_OK && facts_set_str(&f, "cpu.arch", "x86_64") == STATUS_OK &&
	     facts_set_str(&f, "cpu.vendor", "AuthenticAMD") == STATUS_OK && facts_set_num(&f, "cpu.family", 25) == STATUS_OK &&
	     facts_set_list(&f, "cpu.flags", flags, sizeof(flags) / sizeof(flags[0])) == STATUS_OK &&
	     facts_set_str(&f, "cpu.signature_microcode", "19-11-01:1000065") == STATUS_OK &&
	     facts_set_num(&f, "limits.memlock", 8388608) == STATUS_OK &&
	     facts_set_str(&f, "os.cgroup.memory_max", "unlimited") == STATUS_OK &&
	     facts_set_str(&f, "os.kernel.release", "6.18.44-fc-v669") == STATUS_OK &&
	     facts_set_str(&f, "os.distro.id", "debian") == STATUS_OK &&
	     facts_set_str(&f, "os.distro.version_id", "12") == STATUS_OK &&
	     facts_set_str(&f, "compiler.gcc", "12.2.0") == STATUS_OK &&
	     facts_set_bool(&f, "runtime.ruby.yjit", false) == STATUS_OK && facts_set_null(&f, "runtime.go") == STATUS_OK &&
	     kb_set_facts(kb, &f, &d) == STATUS_OK && match_run(kb, &d) == STATUS_OK;
	facts_free(&f);
	if (!ok)
		abort();
	return kb;
}

#endif
