/* sysparse.c - host description parsers. */
#include "sysparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies the leading run of digits and dots of s (a version token). */
static bool take_version(const char *s, char *out, size_t size)
{
	size_t n = 0;

	while (s[n] && (isdigit((unsigned char)s[n]) || s[n] == '.'))
		n++;
	while (n && s[n - 1] == '.')
		n--;
	if (n == 0 || !isdigit((unsigned char)s[0]) || n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* Returns a pointer just past the parenthesized group starting at p
 * (which must point at '('), or NULL if unbalanced. */
static const char *skip_group(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return NULL;
}

bool sysparse_proc_version(const char *line, char *compiler, size_t csize,
			   char *version, size_t vsize)
{
	const char *p, *grp, *end;
	char group[1024];
	size_t n;

	/* "Linux version R (user@host) (COMPILER) #N ...": the compiler is
	 * the second top-level group. */
	p = strstr(line, "Linux version ");
	if (!p)
		return false;
	p = strchr(p, '(');
	if (!p || !(p = skip_group(p)))
		return false;
	while (*p == ' ')
		p++;
	if (*p != '(' || !(end = skip_group(p)))
		return false;
	grp = p + 1;
	n = (size_t)(end - 1 - grp);
	if (n >= sizeof(group))
		n = sizeof(group) - 1;
	memcpy(group, grp, n);
	group[n] = '\0';

	if ((p = strstr(group, "clang version "))) {
		snprintf(compiler, csize, "clang");
		return take_version(p + strlen("clang version "), version, vsize);
	}
	if ((p = strstr(group, "rustc "))) {
		/* Asterinas: "(rustc 1.8x.0-nightly ...)". */
		snprintf(compiler, csize, "rustc");
		return take_version(p + strlen("rustc "), version, vsize);
	}
	if ((p = strstr(group, "gcc version "))) {
		snprintf(compiler, csize, "gcc");
		return take_version(p + strlen("gcc version "), version, vsize);
	}
	/* Newer kernels: "gcc (GCC) 15.3.0, GNU ld ..." or
	 * "x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14) 12.2.0, ...": the
	 * version follows the vendor group of the first word. */
	p = group + strcspn(group, " ");
	if (*p)
		*(char *)p++ = '\0'; /* group is our copy */
	if (!strstr(group, "gcc"))
		return false;
	while (*p == ' ')
		p++;
	if (*p == '(' && !(p = skip_group(p)))
		return false;
	while (*p == ' ')
		p++;
	snprintf(compiler, csize, "gcc");
	return take_version(p, version, vsize);
}

/* Unquotes an os-release value in place (shell-like quoting). */
static void unquote(char *v)
{
	char q = *v, *w = v;

	if (q != '"' && q != '\'') {
		/* Unquoted values end at the first space. */
		v[strcspn(v, " \t")] = '\0';
		return;
	}
	for (char *r = v + 1; *r && *r != q; r++) {
		if (q == '"' && *r == '\\' && r[1] && strchr("\"\\$`", r[1]))
			r++;
		*w++ = *r;
	}
	*w = '\0';
}

enum status sysparse_os_release(const char *text, struct facts *f)
{
	static const struct {
		const char *var, *key;
	} map[] = {
		{"ID", "os.distro.id"},
		{"VERSION_ID", "os.distro.version_id"},
		{"PRETTY_NAME", "os.distro.name"},
	};
	bool seen[3] = {false, false, false};
	char *copy = strdup(text), *save = NULL;

	if (!copy)
		return STATUS_ERR_NOMEM;
	for (char *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		while (isspace((unsigned char)*line))
			line++;
		if (*line == '#' || !eq)
			continue;
		*eq = '\0';
		for (size_t i = 0; i < 3; i++) {
			if (strcmp(line, map[i].var) != 0)
				continue;
			unquote(eq + 1);
			if (facts_set_str(f, map[i].key, eq + 1) != STATUS_OK) {
				free(copy);
				return STATUS_ERR_NOMEM;
			}
			seen[i] = true;
		}
	}
	free(copy);
	for (size_t i = 0; i < 3; i++)
		if (!seen[i] && facts_set_null(f, map[i].key) != STATUS_OK)
			return STATUS_ERR_NOMEM;
	return STATUS_OK;
}

/* Finds "name<spaces>: value" for the first processor; copies value. */
static bool cpuinfo_field(const char *text, const char *name, char *out,
			  size_t size)
{
	size_t nl = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *q;
		size_t n;
		if (*p == '\n')
			return false; /* blank line: end of the first processor */
		if (strncmp(p, name, nl) != 0)
			continue;
		q = p + nl;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != ':')
			continue;
		q++;
		while (*q == ' ' || *q == '\t')
			q++;
		n = strcspn(q, "\n");
		while (n && isspace((unsigned char)q[n - 1]))
			n--;
		if (n >= size)
			n = size - 1;
		memcpy(out, q, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

const char *sysparse_cpuinfo_arch(const char *text)
{
	char buf[64];

	if (cpuinfo_field(text, "vendor_id", buf, sizeof(buf)) ||
	    cpuinfo_field(text, "flags", buf, 2))
		return "x86_64";
	if (cpuinfo_field(text, "CPU implementer", buf, sizeof(buf)) ||
	    cpuinfo_field(text, "Features", buf, 2))
		return "arm64";
	return NULL;
}

enum status sysparse_cpuinfo(const char *text, bool ids, struct facts *f)
{
	char *buf = malloc(16384);
	enum status st = STATUS_OK;

	if (!buf)
		return STATUS_ERR_NOMEM;
	if (cpuinfo_field(text, "flags", buf, 16384) ||
	    cpuinfo_field(text, "Features", buf, 16384)) {
		char *save = NULL;
		st = facts_set_list(f, "cpu.flags", NULL, 0);
		for (char *w = strtok_r(buf, " \t", &save); w && st == STATUS_OK;
		     w = strtok_r(NULL, " \t", &save))
			st = facts_list_add(f, "cpu.flags", w);
	}
	if (st == STATUS_OK && cpuinfo_field(text, "microcode", buf, 64))
		st = facts_set_str(f, "cpu.microcode", buf);
	if (st == STATUS_OK && ids) {
		static const struct {
			const char *field, *key;
			bool num;
		} map[] = {
			{"vendor_id", "cpu.vendor", false},
			{"model name", "cpu.brand", false},
			{"cpu family", "cpu.family", true},
			{"model", "cpu.model", true},
			{"stepping", "cpu.stepping", true},
		};
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]) && st == STATUS_OK; i++) {
			char *end;
			long v;
			if (!cpuinfo_field(text, map[i].field, buf, 256))
				continue;
			if (!map[i].num) {
				st = facts_set_str(f, map[i].key, buf);
				continue;
			}
			v = strtol(buf, &end, 10);
			if (end != buf && *end == '\0')
				st = facts_set_num(f, map[i].key, (double)v);
		}
	}
	free(buf);
	return st;
}

bool sysparse_limits_memlock(const char *text, struct facts *f)
{
	const char *p = strstr(text, "Max locked memory");
	char soft[32];

	if (!p)
		return false;
	if (sscanf(p + strlen("Max locked memory"), " %31s", soft) != 1)
		return false;
	if (strcmp(soft, "unlimited") == 0)
		return facts_set_str(f, "limits.memlock", "unlimited") == STATUS_OK;
	for (const char *c = soft; *c; c++)
		if (!isdigit((unsigned char)*c))
			return false;
	return facts_set_num(f, "limits.memlock", strtod(soft, NULL)) == STATUS_OK;
}

/* Ubuntu: release "5.4.0-26-generic", version "#30-Ubuntu SMP ..." or
 * "#30~18.04.1-Ubuntu SMP ..." -> package version "5.4.0-26.30[~18.04.1]". */
static bool ubuntu_version(const char *rel, const char *ver, char *out,
			   size_t size)
{
	const char *u = strstr(ver, "-Ubuntu"), *hash = strchr(ver, '#');
	size_t abi = 0;
	int dashes = 0;

	if (!u || !hash || hash > u || u - hash - 1 <= 0)
		return false;
	/* upstream "X.Y.Z" then "-ABI": keep through the ABI number. */
	while (rel[abi] && (isdigit((unsigned char)rel[abi]) || rel[abi] == '.' ||
			    (rel[abi] == '-' && dashes++ == 0)))
		abi++;
	if (dashes == 0 || !isdigit((unsigned char)rel[abi - 1]))
		return false;
	return snprintf(out, size, "%.*s.%.*s", (int)abi, rel,
			(int)(u - hash - 1), hash + 1) < (int)size;
}

/* Debian: version "#1 SMP Debian 4.19.67-2+deb10u2 (2019-11-11)". */
static bool debian_version(const char *ver, char *out, size_t size)
{
	const char *p = strstr(ver, " Debian ");
	size_t n;

	if (!p)
		return false;
	p += strlen(" Debian ");
	n = strcspn(p, " ");
	if (n == 0 || n >= size || !isdigit((unsigned char)*p))
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* RHEL family: release "4.18.0-348.el8.x86_64" -> "4.18.0-348.el8". */
static bool rhel_version(const char *rel, char *out, size_t size)
{
	const char *el = strstr(rel, ".el");
	size_t n;

	if (!el || !isdigit((unsigned char)el[3]))
		return false;
	n = (size_t)(el - rel) + 3;
	while (rel[n] && rel[n] != '.' && rel[n] != '+')
		n++;
	if (n >= size)
		return false;
	memcpy(out, rel, n);
	out[n] = '\0';
	return true;
}

/* SUSE: release "5.3.18-57-default", compiler "(SUSE Linux)". */
static bool suse_version(const char *rel, const char *procver, char *out,
			 size_t size)
{
	const char *flavour;

	if (!procver || !strstr(procver, "SUSE Linux"))
		return false;
	flavour = strrchr(rel, '-');
	if (!flavour || flavour == rel || (size_t)(flavour - rel) >= size)
		return false;
	memcpy(out, rel, (size_t)(flavour - rel));
	out[flavour - rel] = '\0';
	return true;
}

/* Which kernel answers as "Linux": Asterinas poses as Linux 5.13.0 (its
 * uname version was the bare "5.13.0" through v0.16.1, later "#1 ..."
 * with a rustc-built /proc/version); WSL1 names Microsoft in its release. */
static enum status set_implementation(struct facts *f, const char *rel,
				      const char *ver)
{
	const char *os = facts_str(f, "os.name");
	const char *comp = facts_str(f, "os.kernel.compiler");
	const char *impl = "linux";

	if (!os || strcmp(os, "Linux") != 0)
		return STATUS_OK;
	if ((strcmp(rel, "5.13.0") == 0 && strcmp(ver, "5.13.0") == 0) ||
	    (comp && strcmp(comp, "rustc") == 0))
		impl = "asterinas";
	else if (strstr(rel, "Microsoft"))
		impl = "wsl1";
	if (strcmp(impl, "wsl1") == 0) {
		long build;
		if (sysparse_wsl_build(rel, &build) &&
		    facts_set_num(f, "os.wsl.windows_build", (double)build) != STATUS_OK)
			return STATUS_ERR_NOMEM;
	}
	return facts_set_str(f, "os.kernel.implementation", impl);
}

enum status sysparse_kernel_identity(struct facts *f, const char *proc_version)
{
	const char *rel = facts_str(f, "os.kernel.release");
	const char *ver = facts_str(f, "os.kernel.version");
	const char *distro = NULL;
	char pkg[128], up[64];
	enum status st;

	if (!rel)
		return STATUS_OK;
	if (!ver)
		ver = "";
	if (ubuntu_version(rel, ver, pkg, sizeof(pkg)))
		distro = "ubuntu";
	else if (debian_version(ver, pkg, sizeof(pkg)))
		distro = "debian";
	else if (rhel_version(rel, pkg, sizeof(pkg)))
		distro = "rhel";
	else if (suse_version(rel, proc_version, pkg, sizeof(pkg)))
		distro = "suse";

	st = set_implementation(f, rel, ver);
	if (st != STATUS_OK)
		return st;
	if (!distro) {
		st = facts_set_null(f, "os.kernel.distro");
		if (st == STATUS_OK)
			st = facts_set_null(f, "os.kernel.distro_version");
		return st;
	}
	st = facts_set_str(f, "os.kernel.distro", distro);
	if (st == STATUS_OK)
		st = facts_set_str(f, "os.kernel.distro_version", pkg);
	/* Debian's package version names the upstream stable release it
	 * carries; the others keep the base release and backport. */
	if (st == STATUS_OK && strcmp(distro, "debian") == 0 &&
	    take_version(pkg, up, sizeof(up)))
		st = facts_set_str(f, "os.kernel.upstream_version", up);
	return st;
}

bool sysparse_status_field(const char *status, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	out[0] = '\0';
	for (const char *line = status; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			const char *v = line + klen + 1 + strspn(line + klen + 1, " \t");
			snprintf(out, size, "%.*s", (int)strcspn(v, "\n"), v);
			return true;
		}
	}
	return false;
}

const char *sysparse_vsyscall(const char *maps)
{
	for (const char *line = maps; line && *line;) {
		size_t n = strcspn(line, "\n");
		const char *perms;
		while (n && line[n - 1] == ' ')
			n--;
		if (n >= 10 && memcmp(line + n - 10, "[vsyscall]", 10) == 0 &&
		    (perms = memchr(line, ' ', n))) {
			if (strncmp(perms + 1, "--xp ", 5) == 0)
				return "xonly";
			return strncmp(perms + 1, "r-xp ", 5) == 0 ? "emulate" : NULL;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return "none";
}

bool sysparse_wsl_build(const char *release, long *build)
{
	/* "4.4.0-19041-Microsoft": the number after the upstream version;
	 * WSL 1's first releases ("3.4.0-Microsoft") had none. Builds of
	 * Windows 10 and later are five-digit. */
	const char *dash = strchr(release, '-');
	char *end;
	long v;

	if (!dash || !isdigit((unsigned char)dash[1]))
		return false;
	v = strtol(dash + 1, &end, 10);
	if (*end != '-' || v < 10000)
		return false;
	*build = v;
	return true;
}

enum status sysparse_signature_microcode(struct facts *f)
{
	const struct fact *fam = facts_get(f, "cpu.family"), *mod = facts_get(f, "cpu.model");
	const struct fact *step = facts_get(f, "cpu.stepping");
	const char *arch = facts_str(f, "cpu.arch"), *ucode = facts_str(f, "cpu.microcode");
	char sig[64], *end;
	unsigned long rev;

	if (!arch || strcmp(arch, "x86_64") != 0 || !ucode || !fam || !mod || !step ||
	    fam->type != FACT_NUM || mod->type != FACT_NUM || step->type != FACT_NUM)
		return STATUS_OK;
	errno = 0;
	rev = strtoul(ucode, &end, 16); /* "0xca"; strtoul takes the 0x */
	/* CPUID's fields bound a real signature: family 0xf plus an extended
	 * 0xff, model 0xff, stepping 0xf. A damaged cpuinfo names no CPU. */
	if (end == ucode || *end || errno || !(fam->num >= 0 && fam->num <= 0x10e) ||
	    !(mod->num >= 0 && mod->num <= 0xff) || !(step->num >= 0 && step->num <= 0xf))
		return STATUS_OK;
	snprintf(sig, sizeof(sig), "%02x-%02x-%02x:%lx", (unsigned)fam->num, (unsigned)mod->num,
		 (unsigned)step->num, rev);
	return facts_set_str(f, "cpu.signature_microcode", sig);
}
