/* fuzz_sysparse.c - libFuzzer entry for the parsers of the files a --root tree holds: os-release,
 * /proc/version, cpuinfo, PID/limits, maps and status, mountinfo, PID/cgroup, /proc/cgroups, the
 * cgroup memory limit and dpkg's status file (built by .ci/fuzz). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "probes/cgroupparse.h"
#include "probes/dpkg.h"
#include "probes/sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every parser reads every input: each looks for its own lines and skips
 * the rest, as it must with a file of the wrong kind, so the real files of
 * every kind seed them all. */

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (s && !strcmp(s, *set))
			return 1;
	return 0;
}

/* A version token: digits and dots, starting with a digit. */
static int version_token(const char *s)
{
	if (!isdigit((unsigned char)*s))
		return 0;
	return s[strspn(s, "0123456789.")] == '\0';
}

/* A string fact that is set holds no newline. */
static void one_line(const struct facts *f, const char *key)
{
	const char *s = facts_str(f, key);

	if (s && strchr(s, '\n'))
		abort();
}

static void os_release(const char *text, struct facts *f)
{
	static const char *const keys[] = {"os.distro.id", "os.distro.version_id", "os.distro.name"};

	if (sysparse_os_release(text, f) != STATUS_OK)
		abort();
	/* Each key set: to the value, or to null when the file has none. */
	for (size_t i = 0; i < 3; i++) {
		if (!facts_get(f, keys[i]))
			abort();
		one_line(f, keys[i]);
	}
}

static void cpuinfo(const char *text, struct facts *f)
{
	static const char *const arches[] = {"x86_64", "arm64", NULL};
	const char *arch = sysparse_cpuinfo_arch(text), *sig;
	const struct fact *flags;

	if (arch && !one_of(arch, arches))
		abort();
	if (sysparse_cpuinfo(text, true, f) != STATUS_OK)
		abort();
	flags = facts_get(f, "cpu.flags");
	for (size_t i = 0; flags && i < flags->nlist; i++)
		if (!*flags->list[i] || strpbrk(flags->list[i], " \t\n"))
			abort();
	one_line(f, "cpu.microcode");
	one_line(f, "cpu.vendor");
	one_line(f, "cpu.brand");
	/* As on an x86 host without CPUID, the signature from cpuinfo alone. */
	if (facts_set_str(f, "cpu.arch", "x86_64") != STATUS_OK || sysparse_signature_microcode(f) != STATUS_OK)
		abort();
	sig = facts_str(f, "cpu.signature_microcode");
	if (sig && (strlen(sig) < 10 || !strchr(sig, ':')))
		abort();
}

/* What the kernel writes into /proc/version: "Linux version RELEASE
 * (user@host) (COMPILER) VERSION", RELEASE and VERSION as uname -r and -v
 * give them; a host's facts carry them from there. */
static void kernel(const char *text, struct facts *f)
{
	static const char *const compilers[] = {"gcc", "clang", "rustc", NULL};
	static const char *const distros[] = {"ubuntu", "debian", "rhel", "suse", NULL};
	static const char *const impls[] = {"linux", "asterinas", "wsl1", NULL};
	char comp[16], ver[64], rel[128] = "", uver[256];
	const char *p = strstr(text, "Linux version "), *v = p;
	int depth = 0, groups = 0;
	long build;

	if (sysparse_proc_version(text, comp, sizeof(comp), ver, sizeof(ver))) {
		if (!one_of(comp, compilers) || !version_token(ver))
			abort();
		if (facts_set_str(f, "os.kernel.compiler", comp) != STATUS_OK ||
		    facts_set_str(f, "os.kernel.compiler_version", ver) != STATUS_OK)
			abort();
	}
	if (facts_set_str(f, "os.name", "Linux") != STATUS_OK)
		abort();
	if (p) {
		p += strlen("Linux version ");
		snprintf(rel, sizeof(rel), "%.*s", (int)strcspn(p, " \n"), p);
		for (v = p; *v && groups < 2; v++) {
			if (*v == '(')
				depth++;
			else if (*v == ')' && --depth == 0)
				groups++;
		}
		v += strspn(v, " ");
		snprintf(uver, sizeof(uver), "%.*s", (int)strcspn(v, "\n"), v);
		/* Unset when the file has none, as for a host that lacks the file. */
		if (*rel && facts_set_str(f, "os.kernel.release", rel) != STATUS_OK)
			abort();
		if (facts_set_str(f, "os.kernel.version", uver) != STATUS_OK)
			abort();
	}
	if (sysparse_kernel_identity(f, text) != STATUS_OK)
		abort();
	one_line(f, "os.kernel.distro_version");
	one_line(f, "os.kernel.upstream_version");
	if (facts_str(f, "os.kernel.distro") &&
	    (!one_of(facts_str(f, "os.kernel.distro"), distros) || !facts_str(f, "os.kernel.distro_version") ||
	     !*facts_str(f, "os.kernel.distro_version")))
		abort();
	if (facts_get(f, "os.kernel.implementation") && !one_of(facts_str(f, "os.kernel.implementation"), impls))
		abort();
	if (sysparse_wsl_build(rel, &build) && build < 10000)
		abort();
}

/* A limit the parser said it set: bytes, or "unlimited". */
static void bytes_or_unlimited(const struct facts *f, const char *key, bool set)
{
	const struct fact *x = facts_get(f, key);

	if (set != (x != NULL))
		abort();
	if (x && (x->type == FACT_NUM ? x->num < 0 : x->type != FACT_STR || strcmp(x->str, "unlimited")))
		abort();
}

static void proc_self(const char *text, struct facts *f)
{
	static const char *const vsyscall[] = {"xonly", "emulate", "none", NULL};
	const char *v = sysparse_vsyscall(text);
	char field[32];

	if (v && !one_of(v, vsyscall))
		abort();
	bytes_or_unlimited(f, "limits.memlock", sysparse_limits_memlock(text, f));
	/* A field cut to fit its buffer; empty when there is none. */
	if (!sysparse_status_field(text, "TracerPid", field, sizeof(field)) && *field)
		abort();
	if (strchr(field, '\n'))
		abort();
}

static void cgroups(const char *text, struct facts *f)
{
	static const char *const versions[] = {"v1", "v2", "hybrid", NULL};
	const char *v = cgroup_version(text);
	const struct fact *ctrls;
	char file[4096], tight[48];

	if (v && !one_of(v, versions))
		abort();
	/* The input serves as both files: mountinfo lines and PID/cgroup
	 * lines do not look alike. */
	if (cgroup_memory_file(text, text, file, sizeof(file))) {
		size_t n = strlen(file);
		if (!(n >= 10 && !strcmp(file + n - 10, "memory.max")) &&
		    !(n >= 21 && !strcmp(file + n - 21, "memory.limit_in_bytes")))
			abort();
		/* Where it does not fit, false or cut, never past the buffer. */
		memset(tight, 'x', sizeof(tight));
		if (cgroup_memory_file(text, text, tight, sizeof(tight)) && !memchr(tight, '\0', sizeof(tight)))
			abort();
	}
	bytes_or_unlimited(f, "os.cgroup.memory_max", cgroup_memory_value(text, f));
	if (cgroup_proc_cgroups(text, f) != STATUS_OK)
		abort();
	ctrls = facts_get(f, "os.cgroup.proc_cgroups");
	if (!ctrls || ctrls->type != FACT_LIST)
		abort();
	for (size_t i = 0; i < ctrls->nlist; i++)
		if (!*ctrls->list[i] || strpbrk(ctrls->list[i], " \t\n"))
			abort();
}

/* "pkg:deb/debian/NAME@VERSION", each once, sorted. */
static void dpkg(const char *text, struct facts *f)
{
	const struct fact *pkgs;

	if (dpkg_status_parse(text, "debian", f) != STATUS_OK)
		abort();
	if (!(pkgs = fuzz_check_purls(f, "os.packages", "pkg:deb/debian/")))
		abort();
	for (size_t i = 1; i < pkgs->nlist; i++)
		if (strcmp(pkgs->list[i - 1], pkgs->list[i]) >= 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct facts f;

	facts_init(&f);
	os_release(text, &f);
	cpuinfo(text, &f);
	kernel(text, &f);
	proc_self(text, &f);
	cgroups(text, &f);
	dpkg(text, &f);
	fuzz_touch_facts(&f);
	facts_free(&f);
	free(text);
	return 0;
}
