/* collect.c - the fact collection pipeline. */
#include "collect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpu_x86.h"
#include "dpkg.h"
#include "execstack.h"
#include "gobuildinfo.h"
#include "lockfile.h"
#include "sysparse.h"
#include "toolelf.h"
#include "tools.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return false;
		}
		*p = '/';
	}
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

const char *collect_cache_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n = -1;

	if (getenv("QUIRK_NO_CACHE"))
		return NULL;
	/* The XDG spec says relative values are to be ignored. */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/quirk", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.cache/quirk", home);
	return n > 0 && (size_t)n < size && mkdir_p(buf) ? buf : NULL;
}

void collect_ctx_live(struct host_ctx *ctx, const char *project_dir,
		      char *cache_buf, size_t cache_size)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->proc_root = ctx->sys_root = ctx->etc_root = "";
	ctx->live = true;
	ctx->path = getenv("PATH");
	ctx->project_dir = project_dir;
	ctx->cache_dir = collect_cache_dir(cache_buf, cache_size);
}

/* A root (--root) that is not a directory, or holds none of the trees
 * quirk reads, is a mistyped path, not a host without facts. */
static enum status check_root(const char *root, struct diag *d)
{
	static const char *const trees[] = {"proc", "sys", "etc", "usr", "var"};
	char sub[4096];
	struct stat sb;

	if (!root || !*root)
		return STATUS_OK;
	if (stat(root, &sb) != 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", root, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return diag_set(d, STATUS_ERR_IO, "%s: not a directory (a root holds the proc/, sys/, etc/ of a system)",
				root);
	if (access(root, R_OK | X_OK) != 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", root, strerror(errno));
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		snprintf(sub, sizeof(sub), "%s/%s", root, trees[i]);
		if (stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			return STATUS_OK;
	}
	return diag_set(d, STATUS_ERR_IO, "%s: holds none of proc/, sys/, etc/, usr/, var/ (not the root of a system)",
			root);
}

enum status collect_facts(const struct host_ctx *ctx, struct facts *f,
			  struct diag *d)
{
	enum status st = check_root(ctx->proc_root, d);

	if (st == STATUS_OK && ctx->sys_root != ctx->proc_root)
		st = check_root(ctx->sys_root, d);
	if (st == STATUS_OK && ctx->etc_root != ctx->proc_root && ctx->etc_root != ctx->sys_root)
		st = check_root(ctx->etc_root, d);
	if (st == STATUS_OK)
		st = host_os_collect(ctx, f, d);

	if (st == STATUS_OK)
		st = cpu_x86_collect(ctx, f, d);
	if (st == STATUS_OK)
		st = sysparse_signature_microcode(f);
	if (st == STATUS_OK)
		st = host_libc_collect(ctx, f);
	if (st == STATUS_OK)
		st = tools_collect(ctx, f);
	if (st == STATUS_OK)
		st = toolelf_collect(ctx, f);
	if (st == STATUS_OK)
		st = dpkg_collect(ctx, f);
	if (st == STATUS_OK && ctx->project_dir)
		st = lockfile_scan_dir(ctx->project_dir, f, d);
	if (st == STATUS_OK && ctx->project_dir)
		st = gobuildinfo_scan_dir(ctx->project_dir, f, d);
	if (st == STATUS_OK && ctx->project_dir)
		st = execstack_scan_dir(ctx->project_dir, f, d);
	if (st != STATUS_OK)
		return st;
	/* Stable output: keys and list items in order. */
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].type == FACT_LIST && f->v[i].nlist > 1 &&
		    strcmp(f->v[i].key, "cpu.flags") != 0)
			qsort(f->v[i].list, f->v[i].nlist, sizeof(char *), cmp_str);
	facts_sort(f);
	return STATUS_OK;
}
