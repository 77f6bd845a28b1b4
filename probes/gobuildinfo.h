/* gobuildinfo.h - which Go release and module built an ELF or Mach-O binary (the linker's build info blob). */
#ifndef QUIRK_GOBUILDINFO_H
#define QUIRK_GOBUILDINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "binsrc.h"
#include "facts.h"
#include "status.h"

/* Bounds on what a hostile file can make us read: the blob is searched
 * for in at most this much data, and real version strings are short and
 * module lists some kilobytes. */
#define GOBUILDINFO_MAX_SEARCH (64u << 20)
#define GOBUILDINFO_MAX_VERSION 256u
#define GOBUILDINFO_MAX_MODINFO (4u << 20)
#define GOBUILDINFO_MAX_SETTINGS 128u
/* The project scan looks at no more executable files than this. */
#define GOBUILDINFO_SCAN_MAX_FILES 64u

struct gobuildinfo {
	char format[8];       /* "ELF" or "Mach-O" */
	char arch[16];        /* from the headers: "x86_64", "i386", "arm64", ... */
	char goos[16];        /* GOOS from the build settings, else from the headers */
	bool goos_inferred;   /* goos read from the headers (ELF without a BSD mark: linux) */
	bool inline_strings;  /* the Go 1.18+ blob with the strings inline; else pointers */
	char *version;        /* "go1.15.2"; never NULL after a successful parse */
	char *path;           /* main package path; NULL if the binary has no module info */
	char *mod_path;       /* main module path and version; NULL if absent */
	char *mod_version;
	char **settings;      /* "KEY=VALUE" build settings (Go 1.18+), in order */
	size_t nsettings;
};

/* Reads the build info of the ELF or Mach-O binary in src (a universal
 * Mach-O: its first slice, as the Go tools do). The blob is found in the
 * .go.buildinfo / __go_buildinfo section; with search, binaries without
 * that section have their first writable data segment searched as well.
 * STATUS_ERR_NOT_GO when src is neither ELF nor Mach-O or carries no
 * readable build info (d says which, and where the blob broke),
 * STATUS_ERR_ELF / STATUS_ERR_MACHO for malformed headers, STATUS_ERR_IO,
 * STATUS_ERR_NOMEM; d always names the file. On error *out is empty. */
enum status gobuildinfo_parse_src(const struct binsrc *src, bool search, struct gobuildinfo *out,
				  struct diag *d);
/* The same for len bytes at buf (with search). */
enum status gobuildinfo_parse(const unsigned char *buf, size_t len, const char *name,
			      struct gobuildinfo *out, struct diag *d);
/* The same for the file at path (with search): reads headers and the
 * blob, not the whole file. STATUS_ERR_IO if it cannot be opened. */
enum status gobuildinfo_read_file(const char *path, struct gobuildinfo *out, struct diag *d);

void gobuildinfo_free(struct gobuildinfo *bi);

/* The value of build setting key ("GOOS"), or NULL. */
const char *gobuildinfo_setting(const struct gobuildinfo *bi, const char *key);

/* Sets project.go.binaries to "REL go1.x.y" for each Go binary among the
 * first GOBUILDINFO_SCAN_MAX_FILES executable regular files (by name) at
 * the top of dir and in dir/bin. Files that are not ELF or Mach-O, carry
 * no build info section, or are damaged are left out; only headers and
 * the blob are read. STATUS_ERR_IO if dir cannot be read, STATUS_ERR_NOMEM. */
enum status gobuildinfo_scan_dir(const char *dir, struct facts *f, struct diag *d);

#endif
