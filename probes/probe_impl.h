/* probe_impl.h - platform interface: the bodies of the built-in probes.
 * Each runs in the probe's child process (see probe.h) and ends with
 * probe_finish(); each platform implements them or reports that they do
 * not apply there. */
#ifndef QUIRK_PROBE_IMPL_H
#define QUIRK_PROBE_IMPL_H

#include "probe.h"

/* Linux x86-64 with AVX: YMM state across signal delivery onto released
 * signal-stack pages (linux-sigframe-avx-corruption). */
enum probe_status probe_ymm_signal(struct probe_ctx *c);

/* What JITs do: writable -> executable code, call, fork, call again. */
enum probe_status probe_jit_fork(struct probe_ctx *c);

/* Tiny MAP_FIXED mmaps outside user space (asterinas-vmar-alloc-assert). */
enum probe_status probe_mmap_fixed(struct probe_ctx *c);

/* Code signatures of JIT and Wasm tools on PATH (Mach-O, any OS). */
enum probe_status probe_codesign(struct probe_ctx *c);

/* RDRAND and RDSEED give varying output (x86-64; amd-rdrand-suspend-
 * family-15h-16h, amd-zen5-rdseed-zero). Any OS: probe_rdrand.c. */
enum probe_status probe_rdrand(struct probe_ctx *c);

/* clone3() is allowed or answers ENOSYS, not EPERM (Linux;
 * docker-seccomp-clone3-eperm). */
enum probe_status probe_clone3(struct probe_ctx *c);

/* Legacy vsyscalls work (Linux x86-64;
 * linux-vsyscall-none-legacy-binaries). */
enum probe_status probe_vsyscall(struct probe_ctx *c);

#endif
