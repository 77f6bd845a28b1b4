/* toolelf.h - facts read from the ELF headers of programs on PATH: the glibc release node needs. */
#ifndef QUIRK_TOOLELF_H
#define QUIRK_TOOLELF_H

#include "facts.h"
#include "host.h"

/* Sets tool.node.glibc_required to the highest GLIBC_x.y version in the
 * version needs of node on ctx->path (symbolic links resolved): null when
 * node is not on PATH, is not ELF (macOS) or needs no numbered glibc
 * version (musl, static); left unknown when the file cannot be read or
 * its headers are damaged. Does nothing if ctx->path is NULL. Returns
 * STATUS_ERR_NOMEM only. */
enum status toolelf_collect(const struct host_ctx *ctx, struct facts *f);

/* The same reading for the program at path, into key. */
enum status toolelf_glibc_required(const char *path, const char *key, struct facts *f);

#endif
