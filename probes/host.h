/* host.h - the platform interface for describing a host: one
 * implementation per OS under probes/<os>/, picked by CMake. */
#ifndef QUIRK_HOST_H
#define QUIRK_HOST_H

#include <stdbool.h>

#include "facts.h"
#include "status.h"

/* Where facts come from. The roots let tests (and support engineers with
 * a mounted image) point collection at a fixture tree. */
struct host_ctx {
	const char *proc_root;   /* directory holding /proc; "" = live */
	const char *sys_root;    /* directory holding /sys; "" = live */
	const char *etc_root;    /* directory holding /etc and /usr/lib; "" = live */
	const char *cpuid_dump;  /* libcpuid raw dump instead of CPUID; NULL = live */
	const char *project_dir; /* lockfiles are read here; NULL = none */
	const char *cache_dir;   /* tool version cache; NULL = no cache */
	const char *path;        /* PATH searched for tools; NULL = no tools */
	bool live;               /* the running host (uname, sysctl, rlimits) */
};

/* Fills the OS-specific facts: os.*, cpu.arch, cpu.microcode, cpu.flags
 * (kernel view), limits.*, and on non-x86 hosts the CPU identity. Missing
 * files leave their keys unknown; only STATUS_ERR_NOMEM is fatal. */
enum status host_os_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d);

/* Sets libc.name and libc.version where the platform can tell without
 * running anything (Linux: confstr of the C library quirk runs on, when
 * it is linked dynamically; macOS: null, there is no glibc or musl).
 * Leaves them unknown otherwise (tools_collect then asks ldd) and when
 * ctx is not the live host. Returns STATUS_ERR_NOMEM only. */
enum status host_libc_collect(const struct host_ctx *ctx, struct facts *f);

/* Sets os.name, os.kernel.release and os.kernel.version from uname(2)
 * (POSIX, shared by every platform); copies the result to *u if u is not
 * NULL. STATUS_ERR_UNSUPPORTED if uname fails, STATUS_ERR_NOMEM. */
struct utsname;
enum status host_uname(struct facts *f, struct utsname *u);

#endif
