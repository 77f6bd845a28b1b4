/* toolelf.c - the glibc release a program on PATH was linked against, from its ELF version needs. */
#include "toolelf.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "binsrc.h"
#include "elf.h"
#include "tools.h"

enum status toolelf_glibc_required(const char *path, const char *key, struct facts *f)
{
	struct binsrc src;
	struct elf_info ei;
	struct elf_verneed *v = NULL;
	size_t n = 0;
	char ver[64];
	enum status st;

	if (binsrc_open(&src, path, NULL) != STATUS_OK)
		return STATUS_OK;
	st = elf_parse_src(&src, &ei, NULL);
	if (st == STATUS_OK) {
		st = elf_verneed_read(&src, &ei, &v, &n, NULL);
		elf_info_free(&ei);
	}
	binsrc_close(&src);
	if (st == STATUS_ERR_NOT_ELF)
		return facts_set_null(f, key);
	if (st != STATUS_OK) /* damaged or unreadable: unknown */
		return st == STATUS_ERR_NOMEM ? st : STATUS_OK;
	st = elf_glibc_required(v, n, ver, sizeof(ver)) ? facts_set_str(f, key, ver) : facts_set_null(f, key);
	elf_verneed_free(v, n);
	return st;
}

enum status toolelf_collect(const struct host_ctx *ctx, struct facts *f)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat sb;

	if (!ctx->path)
		return STATUS_OK;
	if (!tools_find(ctx->path, "node", path, sizeof(path), &sb))
		return facts_set_null(f, "tool.node.glibc_required");
	/* /usr/bin/node is often a link into a version manager's tree. */
	return toolelf_glibc_required(realpath(path, real) ? real : path, "tool.node.glibc_required", f);
}
