/* probe_registry.c - the probes built into quirk. */
#include "probe_impl.h"

#include <string.h>

static const struct probe_def probes[] = {
	{
		.name = "ymm-signal",
		.summary = "AVX (YMM) registers survive signal delivery onto released signal-stack pages",
		.detects = {"linux-sigframe-avx-corruption"},
		.risk = PROBE_RISK_SAFE,
		.default_s = 5,
		.has_self_test = true,
		.as_limit_mb = 1024,
		.run = probe_ymm_signal,
	},
	{
		.name = "jit-fork",
		.summary = "JIT code generation works: W^X and RWX code, icache flush, fork, rewrite",
		.detects = {"macos-m4-sptm-jit-panic"},
		.risk = PROBE_RISK_MACHINE,
		.default_s = 2,
		.has_self_test = true,
		.as_limit_mb = 1024,
		.run = probe_jit_fork,
	},
	{
		.name = "codesign",
		.summary = "code signatures of JIT and Wasm tools on PATH allow code generation",
		.detects = {"spin-hardened-runtime-sigkill"},
		.risk = PROBE_RISK_SAFE,
		.default_s = 5,
		.has_self_test = false,
		.as_limit_mb = 2048,
		.run = probe_codesign,
	},
	{
		.name = "mmap-fixed",
		.summary = "the kernel refuses tiny MAP_FIXED mappings outside user space and keeps working",
		.detects = {"asterinas-vmar-alloc-assert"},
		.risk = PROBE_RISK_MACHINE,
		.default_s = 1,
		.has_self_test = false,
		.as_limit_mb = 1024,
		.run = probe_mmap_fixed,
	},
	{
		.name = "rdrand",
		.summary = "RDRAND and RDSEED give varying output: not constant, all ones or 0 too often",
		.detects = {"amd-rdrand-suspend-family-15h-16h", "amd-zen-rdrand-all-ones", "amd-zen5-rdseed-zero"},
		.risk = PROBE_RISK_SAFE,
		.default_s = 1,
		.has_self_test = true,
		.as_limit_mb = 1024,
		.run = probe_rdrand,
	},
	{
		.name = "clone3",
		.summary = "clone3() is allowed, or answers ENOSYS so libc falls back; not EPERM",
		.detects = {"docker-seccomp-clone3-eperm"},
		.risk = PROBE_RISK_SAFE,
		.default_s = 1,
		.has_self_test = true,
		.as_limit_mb = 1024,
		.run = probe_clone3,
	},
	{
		.name = "vsyscall",
		.summary = "legacy vsyscalls (fixed-address time, gettimeofday) work, not vsyscall=none",
		.detects = {"linux-vsyscall-none-legacy-binaries"},
		.risk = PROBE_RISK_SAFE,
		.default_s = 1,
		.has_self_test = true,
		.as_limit_mb = 1024,
		.run = probe_vsyscall,
	},
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

const struct probe_def *probe_at(size_t i)
{
	return i < NPROBES ? &probes[i] : NULL;
}

const struct probe_def *probe_find(const char *name)
{
	for (size_t i = 0; i < NPROBES; i++)
		if (!strcmp(probes[i].name, name))
			return &probes[i];
	return NULL;
}
