/* host_linux.c - Linux host facts, read from /proc and /etc files so a
 * fixture tree can stand in for the running host. */
#include "host_linux.h"

#include <string.h>
#include <stdlib.h>
#include <sys/utsname.h>

#include "../fileio.h"
#include "../sysparse.h"

#define SMALL_FILE (8 << 20) /* cpuinfo of a many-core host */

char *host_linux_slurp(const char *root, const char *path, size_t *len)
{
	char p[4096], *buf = NULL;

	if (fileio_read(fileio_join(p, sizeof(p), root, path), SMALL_FILE, &buf,
			len, NULL) != STATUS_OK)
		return NULL;
	return buf;
}

static char *slurp(const char *root, const char *path)
{
	return host_linux_slurp(root, path, NULL);
}

static enum status set_trimmed(struct facts *f, const char *key, char *val)
{
	size_t n = strlen(val);

	while (n && (val[n - 1] == '\n' || val[n - 1] == ' '))
		val[--n] = '\0';
	return facts_set_str(f, key, val);
}

static enum status collect_kernel(const struct host_ctx *ctx, struct facts *f)
{
	static const struct {
		const char *path, *key;
	} files[] = {
		{"/proc/sys/kernel/ostype", "os.name"},
		{"/proc/sys/kernel/osrelease", "os.kernel.release"},
		{"/proc/sys/kernel/version", "os.kernel.version"},
		{"/proc/cmdline", "os.kernel.cmdline"},
	};
	enum status st = STATUS_OK;
	char *pv, comp[16], ver[64];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && st == STATUS_OK; i++) {
		char *v = slurp(ctx->proc_root, files[i].path);
		if (v)
			st = set_trimmed(f, files[i].key, v);
		free(v);
	}
	/* Kernels that pose as Linux may lack these files (Asterinas before
	 * v0.18.1 has no osrelease); the live host can still answer uname. */
	if (st == STATUS_OK && ctx->live && !facts_get(f, "os.kernel.release") &&
	    host_uname(f, NULL) == STATUS_ERR_NOMEM)
		st = STATUS_ERR_NOMEM;
	pv = slurp(ctx->proc_root, "/proc/version");
	if (st == STATUS_OK && pv &&
	    sysparse_proc_version(pv, comp, sizeof(comp), ver, sizeof(ver))) {
		st = facts_set_str(f, "os.kernel.compiler", comp);
		if (st == STATUS_OK)
			st = facts_set_str(f, "os.kernel.compiler_version", ver);
	}
	if (st == STATUS_OK)
		st = sysparse_kernel_identity(f, pv);
	free(pv);
	return st;
}

enum status host_os_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d)
{
	enum status st;
	char *text;
	const char *arch = NULL;
	struct utsname u;

	(void)d;
	st = collect_kernel(ctx, f);
	if (st != STATUS_OK)
		return st;

	text = slurp(ctx->etc_root, "/etc/os-release");
	if (!text)
		text = slurp(ctx->etc_root, "/usr/lib/os-release");
	if (text)
		st = sysparse_os_release(text, f);
	free(text);
	if (st != STATUS_OK)
		return st;

	text = slurp(ctx->proc_root, "/proc/cpuinfo");
	if (text) {
		arch = sysparse_cpuinfo_arch(text);
		/* On x86, CPUID (cpu_x86.c) later replaces the identity with
		 * its own, which also names the codename. */
		st = sysparse_cpuinfo(text, true, f);
	}
	free(text);
	if (st != STATUS_OK)
		return st;

	if (ctx->live && uname(&u) == 0)
		arch = strcmp(u.machine, "aarch64") == 0 ? "arm64" : u.machine;
	if (arch && (st = facts_set_str(f, "cpu.arch", arch)) != STATUS_OK)
		return st;

	text = slurp(ctx->proc_root, "/proc/self/limits");
	if (text)
		sysparse_limits_memlock(text, f);
	free(text);
	return host_linux_env(ctx, f);
}
