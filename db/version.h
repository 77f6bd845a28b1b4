/* version.h - ordering of version strings, one scheme per ecosystem. */
#ifndef QUIRK_VERSION_H
#define QUIRK_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "../probes/status.h"

#define VER_SCHEME_TABLE(X)                                                    \
	X(LINUX, "linux", "Linux kernel release: 5.4.0-26-generic, 5.4.0-rc3") \
	X(DPKG, "dpkg", "Debian/Ubuntu package version: 1:2.3-4ubuntu1~20.04")  \
	X(SEMVER, "semver", "semantic version: 0.35.0, v1.2.3-rc.1")            \
	X(MACOS, "macos", "macOS product version: 15.1.1")                      \
	X(GO, "go", "Go release: go1.14.1, go1.21rc2")                          \
	X(DOTTED, "dotted", "dotted numbers, rest ignored: 9.3.0, 1.8.0_292")   \
	X(GEM, "gem", "RubyGems version (Gem::Version): 3.0.9.1, 1.16.0.rc1, 2.0.0-beta.2")   \
	X(SIZE, "size", "byte count: 65536, 64 MiB (KiB MiB GiB TiB), unlimited") \
	X(X86SIG, "x86sig", "x86 family-model-stepping:microcode in hex: 06-b7-01:12b") \
	X(JAVA, "java", "Java version as java -version prints it: 1.8.0_372 (= 8.0.372), 11.0.16, 17")

enum ver_scheme {
#define VER_ENUM(e, name, desc) VER_##e,
	VER_SCHEME_TABLE(VER_ENUM)
#undef VER_ENUM
	VER__COUNT
};

/* STATUS_ERR_SCHEME if name is not a scheme of the table. */
enum status ver_scheme_from_name(const char *name, enum ver_scheme *out);
const char *ver_scheme_name(enum ver_scheme s);

/* Whether v is a well-formed version of scheme s. */
bool ver_valid(enum ver_scheme s, const char *v);

/* The byte count of a "size" value ("64 MiB" -> 67108864; "unlimited" ->
 * UINT64_MAX). False if s is not a valid size. */
bool ver_size_bytes(const char *s, uint64_t *out);

/* Sets *cmp to <0, 0 or >0 as a orders before, with or after b.
 * STATUS_ERR_VERSION (and *cmp untouched) if either is not well formed. */
enum status ver_compare(enum ver_scheme s, const char *a, const char *b,
			int *cmp);

#endif
