/* execstack.c - a bounded walk of the project for shared objects wanting an executable stack. */
#include "execstack.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "binsrc.h"
#include "elf.h"

struct walk {
	const char *root;
	unsigned dirs, files;
	bool truncated;
	dev_t dev;
	struct facts *f;
};

bool execstack_is_shared_name(const char *name)
{
	size_t n = strlen(name);
	const char *so;

	if (n > 5 && !strcmp(name + n - 5, ".node"))
		return true;
	for (so = strstr(name + 1, ".so"); so; so = strstr(so + 1, ".so")) {
		const char *p = so + 3;
		if (!*p)
			return true;
		/* libfoo.so.1.2.3: only digits and dots after ".so." */
		if (*p == '.' && p[1]) {
			while (*p == '.' || isdigit((unsigned char)*p))
				p++;
			if (!*p)
				return true;
		}
	}
	return false;
}

static bool skip_dir(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git") ||
	       !strcmp(name, ".hg") || !strcmp(name, ".svn");
}

/* rel is the path under the root; damaged or foreign files are skipped. */
static enum status check_file(const char *path, const char *rel, struct facts *f)
{
	struct binsrc src;
	struct elf_info ei;
	enum status st;
	bool wants;

	if (binsrc_open(&src, path, NULL) != STATUS_OK)
		return STATUS_OK;
	st = elf_parse_src(&src, &ei, NULL);
	binsrc_close(&src);
	if (st != STATUS_OK)
		return st == STATUS_ERR_NOMEM ? st : STATUS_OK;
	wants = ei.type == ELF_ET_DYN && elf_wants_exec_stack(&ei);
	elf_info_free(&ei);
	return wants ? facts_list_add(f, "project.execstack_libs", rel) : STATUS_OK;
}

static enum status walk_dir(struct walk *w, const char *rel, int depth, struct diag *d)
{
	char path[4096];
	DIR *dh;
	struct dirent *e;
	enum status st = STATUS_OK;

	snprintf(path, sizeof(path), "%s%s%s", w->root, *rel ? "/" : "", rel);
	dh = opendir(path);
	if (!dh)
		return depth == 0 ? diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(errno)) : STATUS_OK;
	while (st == STATUS_OK && (e = readdir(dh))) {
		char sub[4096], full[4096];
		struct stat sb;
		bool is_dir = e->d_type == DT_DIR, is_reg = e->d_type == DT_REG;
		/* d_type spares a stat per file in a large node_modules. */
		if (skip_dir(e->d_name) || (is_reg && !execstack_is_shared_name(e->d_name)) ||
		    (!is_dir && !is_reg && e->d_type != DT_UNKNOWN))
			continue;
		if (snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= (int)sizeof(sub) ||
		    snprintf(full, sizeof(full), "%s/%s", w->root, sub) >= (int)sizeof(full))
			continue;
		if (e->d_type == DT_UNKNOWN || is_dir) {
			if (lstat(full, &sb) != 0)
				continue;
			is_dir = S_ISDIR(sb.st_mode) && sb.st_dev == w->dev;
			is_reg = S_ISREG(sb.st_mode);
		}
		if (is_dir && (depth >= EXECSTACK_MAX_DEPTH || w->dirs >= EXECSTACK_MAX_DIRS)) {
			w->truncated = true;
		} else if (is_dir) {
			w->dirs++;
			st = walk_dir(w, sub, depth + 1, d);
		} else if (is_reg && w->files >= EXECSTACK_MAX_FILES && execstack_is_shared_name(e->d_name)) {
			w->truncated = true;
		} else if (is_reg && execstack_is_shared_name(e->d_name)) {
			w->files++;
			st = check_file(full, sub, w->f);
			if (st != STATUS_OK)
				st = diag_set(d, st, "%s: out of memory", full);
		}
	}
	closedir(dh);
	return st;
}

enum status execstack_scan_dir(const char *dir, struct facts *f, struct diag *d)
{
	struct walk w = {dir, 0, 0, false, 0, f};
	struct stat sb;
	enum status st;

	if (stat(dir, &sb) != 0)
		return diag_set(d, STATUS_ERR_IO, "%s: %s", dir, strerror(errno));
	w.dev = sb.st_dev;
	st = facts_set_list(f, "project.execstack_libs", NULL, 0);
	if (st == STATUS_OK)
		st = walk_dir(&w, "", 0, d);
	if (st == STATUS_OK && w.truncated)
		facts_remove(f, "project.execstack_libs");
	return st;
}
