/* tools.h - versions of the compilers, runtimes and tools on PATH. */
#ifndef QUIRK_TOOLS_H
#define QUIRK_TOOLS_H

#include "facts.h"
#include "host.h"

/* Sets compiler.*, runtime.* and tool.* facts: null for a program that is
 * not on ctx->path, its version otherwise. Version commands run in
 * parallel with a deadline; their output is cached in ctx->cache_dir,
 * keyed by the program's path, size and mtime. A program that times out
 * or prints nothing recognisable leaves its keys unknown. Does nothing if
 * ctx->path is NULL. Returns STATUS_ERR_NOMEM only; cache problems are
 * not errors (the cache is an accelerator). */
enum status tools_collect(const struct host_ctx *ctx, struct facts *f);

/* Parses one program's version output into facts; exposed for tests.
 * prog is the table name ("cc", "gcc", "ruby", ...). False if the output
 * was not recognised. */
bool tools_parse(const char *prog, const char *output, struct facts *f);

/* Sets libc.name and libc.version from what a C library says of itself:
 * confstr(_CS_GNU_LIBC_VERSION) ("glibc 2.36") or `ldd --version` output
 * (glibc's or musl's). False, setting nothing, if the text was not
 * recognised; an old musl ldd that names no version sets libc.name only. */
bool tools_parse_libc(const char *text, struct facts *f);

/* The programs whose Mach-O code signature decides whether they may
 * generate code; their tool.<prog>.hardened_runtime and .entitlements are
 * collected. wasmtime: the program generates code as Wasmtime does (no
 * MAP_JIT), so it needs allow-unsigned-executable-memory. */
struct tool_signed {
	const char *prog;
	bool wasmtime;
};
extern const struct tool_signed tools_signed[];
extern const size_t tools_nsigned;

/* Finds prog in the colon-separated path: an executable regular file.
 * Writes its path to out and its stat to *sb; false if not found. */
struct stat;
bool tools_find(const char *path, const char *prog, char *out, size_t size, struct stat *sb);

#endif
