/* macho.h - Mach-O files (thin and universal): layout and code-signature facts, every offset bounds-checked. */
#ifndef QUIRK_MACHO_H
#define QUIRK_MACHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binsrc.h"
#include "facts.h"
#include "status.h"

/* Limits that keep a hostile file from making us allocate or loop much.
 * Real binaries stay far below them: load commands take kilobytes, and
 * the signature of a 1 GB binary is about 8 MB of page hashes. */
#define MACHO_MAX_FAT_ARCH 30        /* more is a Java class file's version */
#define MACHO_MAX_CMDS_SIZE (16u << 20)
#define MACHO_MAX_SIG_SIZE (64u << 20)
#define MACHO_MAX_BLOBS 64           /* SuperBlob index entries */
/* Entitlements plists past these are flagged malformed, not parsed:
 * real ones are a few kilobytes with a handful of arrays. */
#define MACHO_MAX_ENTITLEMENTS_XML (1u << 20)
#define MACHO_MAX_PLIST_CONTAINERS 1024 /* <array> and <dict> tags */
/* Real binaries have a handful of segments and some dozens of sections. */
#define MACHO_MAX_SEGMENTS 256
#define MACHO_MAX_SECTIONS 4096

/* Code signature flags in the CodeDirectory (xnu osfmk/kern/cs_blobs.h). */
#define MACHO_CS_ADHOC 0x2u
#define MACHO_CS_RUNTIME 0x10000u
#define MACHO_CS_LINKER_SIGNED 0x20000u

/* LC_SEGMENT(_64) and its sections; fileoff is relative to the slice,
 * section names are NUL-terminated copies of the 16-byte fields. */
struct macho_segment {
	char name[17];
	uint64_t vmaddr, vmsize, fileoff, filesize;
	uint32_t maxprot, initprot;
};

struct macho_section {
	char sectname[17], segname[17];
	uint64_t addr, size;
	uint32_t offset;
};

struct macho_slice {
	char arch[16];            /* "x86_64", "arm64", "arm64e", "i386", "arm", "ppc", or "cpu-<n>" */
	bool is64, big_endian;
	uint32_t cputype, cpusubtype, filetype;
	uint64_t offset, size;    /* where the slice lies in the file */
	bool is_signed;           /* LC_CODE_SIGNATURE present with a CodeDirectory */
	bool adhoc;               /* CodeDirectory flag CS_ADHOC 0x2 */
	bool linker_signed;       /* CS_LINKER_SIGNED 0x20000 */
	bool hardened_runtime;    /* CS_RUNTIME 0x10000 */
	uint32_t cd_flags, cd_version;
	char identifier[256];
	char team_id[64];         /* "" when absent */
	bool has_cms;             /* CSSLOT_SIGNATUREBLOB (0x10000) holding a non-empty CMS blob */
	bool has_entitlements_der;/* CSSLOT_DER_ENTITLEMENTS (7) present */
	char *entitlements_xml;   /* CSSLOT_ENTITLEMENTS (5) XML plist text, NUL-terminated, malloc'd; NULL if none */
	bool entitlements_malformed; /* entitlements_xml is not a plist dictionary (or is too large or
				      * deep to parse safely); the list is empty */
	char **entitlements;      /* keys of the XML entitlements whose value is boolean true, sorted */
	size_t nentitlements;
	struct macho_segment *segments; /* in load-command order */
	size_t nsegments;
	struct macho_section *sections;
	size_t nsections;
};

struct macho_info {
	bool fat;
	struct macho_slice *slices;
	size_t nslices;
};

/* Parses a Mach-O image held in memory. name is used only in messages.
 * STATUS_ERR_NOT_MACHO if buf does not start with a Mach-O or fat magic
 * (or is a Java class file with the same 0xcafebabe magic),
 * STATUS_ERR_MACHO with d naming the file, the slice and the structure
 * that is truncated/overlapping/looping/too large, STATUS_ERR_NOMEM.
 * On error *out is left empty. */
enum status macho_parse(const unsigned char *buf, size_t len, const char *name,
			struct macho_info *out, struct diag *d);

/* Reads path without loading the whole file (headers, load commands and
 * the signature blob, each with the caps above) and parses it.
 * STATUS_ERR_IO naming the file and errno (or "is a directory", "not a
 * regular file"); otherwise as macho_parse. */
enum status macho_read_file(const char *path, struct macho_info *out, struct diag *d);

/* Parses the Mach-O in src: headers, load commands, segments and
 * sections, and with want_sig the code signature too. As macho_parse. */
enum status macho_parse_src(const struct binsrc *src, bool want_sig, struct macho_info *out,
			    struct diag *d);

/* Where virtual address addr lies in the file: the offset (from the start
 * of the file) and how many bytes of its segment's file data follow it.
 * false if no segment's file data (within the slice; __PAGEZERO aside)
 * holds addr. */
bool macho_slice_addr(const struct macho_slice *s, uint64_t addr, uint64_t *off, uint64_t *avail);

/* Frees what a successful parse allocated and empties *mi; safe on an
 * empty or already freed info. */
void macho_info_free(struct macho_info *mi);

/* Whether the XML entitlements set key to boolean true. */
bool macho_slice_has_entitlement(const struct macho_slice *s, const char *key);

/* The consequence for JIT / Wasm code generation, one sentence. *jit_ok:
 * a JIT that maps its code with MAP_JIT (V8, JavaScriptCore) may run;
 * *wasmtime_ok: Wasmtime (Spin) may, which does not use MAP_JIT and so
 * needs allow-unsigned-executable-memory (or disable-executable-page-
 * protection) under the hardened runtime: allow-jit alone is not enough.
 * Either pointer may be NULL. Never returns NULL. */
const char *macho_jit_verdict(const struct macho_slice *s, bool *jit_ok, bool *wasmtime_ok);

/* Sets tool.<tool>.hardened_runtime (bool) and tool.<tool>.entitlements
 * (list, possibly empty) for the Mach-O at path, from the slice whose
 * arch is host_arch ("arm64", "x86_64"; the first slice if none is).
 * STATUS_ERR_NOT_MACHO (facts untouched) for a file that is not Mach-O,
 * STATUS_ERR_ARGS if tool makes a key longer than facts allow, otherwise
 * as macho_read_file; STATUS_ERR_NOMEM from the facts setters. */
enum status macho_tool_facts(struct facts *f, const char *tool, const char *path,
			     const char *host_arch, struct diag *d);

/* Internal to probes/macho*.c: parses the signature blob sig (sig_len
 * bytes, the LC_CODE_SIGNATURE data of one slice) into s. where names the
 * file and slice for messages. STATUS_ERR_MACHO or STATUS_ERR_NOMEM; on
 * error s may hold allocations that macho_slice_clear frees. */
enum status macho_sig_parse(const unsigned char *sig, size_t sig_len, const char *where,
			    struct macho_slice *s, struct diag *d);
void macho_slice_clear(struct macho_slice *s);
/* Internal: a big-endian 32-bit value; and STATUS_ERR_MACHO with
 * "where: detail" in d. */
uint32_t macho_be32(const unsigned char *p);
enum status macho_bad(struct diag *d, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
