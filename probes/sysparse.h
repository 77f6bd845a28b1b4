/* sysparse.h - parsers for the text files that describe a Unix host:
 * /proc/version, os-release, /proc/cpuinfo, /proc/PID/limits and maps, the
 * identity of distribution kernels. Pure string work, so they build and
 * are tested on every platform. */
#ifndef QUIRK_SYSPARSE_H
#define QUIRK_SYSPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "facts.h"

/* From a /proc/version line, the compiler that built the kernel ("gcc"
 * , "clang" or "rustc") and its version ("9.3.0"). False if the line names neither. */
bool sysparse_proc_version(const char *line, char *compiler, size_t csize,
			   char *version, size_t vsize);

/* Sets os.distro.id, os.distro.version_id and os.distro.name from the
 * text of an os-release file; absent keys are set to null. Returns
 * STATUS_ERR_NOMEM only. */
enum status sysparse_os_release(const char *text, struct facts *f);

/* Sets cpu.flags and cpu.microcode from /proc/cpuinfo (first processor);
 * with ids, also cpu.vendor, cpu.brand, cpu.family, cpu.model and
 * cpu.stepping where the file has them (for hosts without CPUID). */
enum status sysparse_cpuinfo(const char *text, bool ids, struct facts *f);

/* The architecture a /proc/cpuinfo describes: "x86_64", "arm64" or NULL. */
const char *sysparse_cpuinfo_arch(const char *text);

/* Sets limits.memlock from the "Max locked memory" row of
 * /proc/PID/limits. False if the row is missing or malformed. */
bool sysparse_limits_memlock(const char *text, struct facts *f);

/* Derives os.kernel.distro, os.kernel.distro_version and
 * os.kernel.upstream_version from os.kernel.release, os.kernel.version
 * and the /proc/version compiler text already in f. Distribution kernels
 * (Ubuntu, Debian, RHEL family, SUSE) backport fixes without changing
 * their upstream-looking numbers, so matching must know. Leaves the keys
 * unknown when os.kernel.release is unknown. */
enum status sysparse_kernel_identity(struct facts *f, const char *proc_version);

/* The value of the "key:" line of a /proc/PID/status text ("TracerPid",
 * "Seccomp"), without the blanks before it, into out (cut to fit size).
 * False, out empty, if there is no such line. */
bool sysparse_status_field(const char *status, const char *key, char *out, size_t size);

/* How /proc/PID/maps shows x86_64's vsyscall page: "xonly" (--xp),
 * "emulate" (r-xp), "none" (no [vsyscall] line), or NULL for a line with
 * other permissions. */
const char *sysparse_vsyscall(const char *maps);

/* The Windows build a WSL 1 kernel release carries ("4.4.0-19041-Microsoft"
 * -> 19041). False if the release has none. */
bool sysparse_wsl_build(const char *release, long *build);

/* Sets cpu.signature_microcode ("06-b7-01:12b") from cpu.family,
 * cpu.model, cpu.stepping and cpu.microcode on x86 hosts; leaves it
 * unknown when any of them is. Returns STATUS_ERR_NOMEM only. */
enum status sysparse_signature_microcode(struct facts *f);

#endif
