/* test_sysparse.c - /proc/version, os-release, cpuinfo, limits and
 * distribution-kernel identity, on real samples (tests/fixtures). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "probes/sysparse.h"

static void proc_version_compilers(void **state)
{
	static const struct {
		const char *file, *comp, *ver;
	} rows[] = {
		{"ubuntu-5.4.0-26.txt", "gcc", "9.3.0"},
		{"arch-5.4.1-arch1-1.txt", "gcc", "9.2.0"},
		{"debian-10-4.19.0-9-amd64.txt", "gcc", "8.3.0"},
		{"aptosid-5.8.0-gcc10-binutils.txt", "gcc", "10.2.0"},
		{"centos-8-4.18.0-80.el8.txt", "gcc", "8.2.1"},
		{"rhel-8-4.18.0-193.el8.txt", "gcc", "8.3.1"},
		{"rhel-9-5.14.0-427.47.1.el9_4.txt", "gcc", "11.4.1"},
		{"fedora-31-5.3.13-300.fc31.txt", "gcc", "9.2.1"},
		{"ubuntu-22.04-5.15.0-130.txt", "gcc", "11.4.0"},
		{"ubuntu-24.04-6.8.0-50.txt", "gcc", "13.3.0"},
		{"android-5.10.157-clang-12.0.5.txt", "clang", "12.0.5"},
		{"clang-10-5.8.3-lld.txt", "clang", "10.0.0"},
		{"wsl1-4.4.0-19041-Microsoft.txt", "gcc", "5.4.0"},
		{"wsl1-3.4.0-Microsoft.txt", "gcc", "4.7"},
		{"this-machine.txt", "gcc", "15.3.0"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char rel[256], comp[16] = "", ver[64] = "", *text;
		snprintf(rel, sizeof(rel), "proc_version/%s", rows[i].file);
		text = fixture(rel);
		if (!sysparse_proc_version(text, comp, sizeof(comp), ver, sizeof(ver)))
			fail_msg("%s: not parsed", rows[i].file);
		if (strcmp(comp, rows[i].comp) || strcmp(ver, rows[i].ver))
			fail_msg("%s: got %s %s, want %s %s", rows[i].file, comp, ver, rows[i].comp, rows[i].ver);
		free(text);
	}
	char c[16], v[16];
	assert_false(sysparse_proc_version("garbage", c, sizeof(c), v, sizeof(v)));
	assert_false(sysparse_proc_version("Linux version 5.4 (x@y) (unbalanced", c, sizeof(c), v, sizeof(v)));
}

static void os_release_files(void **state)
{
	static const struct {
		const char *file, *id, *version_id;
	} rows[] = {
		{"ubuntu-20.04.6", "ubuntu", "20.04"}, {"ubuntu-22.04.2", "ubuntu", "22.04"},
		{"debian-12-this-machine", "debian", "12"}, {"fedora-38-server", "fedora", "38"},
		{"rocky-9.5", "rocky", "9.5"}, {"rhel-8.0-beta", "rhel", "8.0"},
		{"alpine-3.19.8", "alpine", "3.19.8"}, {"arch", "arch", "TEMPLATE_VERSION_ID"},
		{"opensuse-tumbleweed", "opensuse-tumbleweed", "20240823"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char rel[256], *text;
		struct facts f;
		facts_init(&f);
		snprintf(rel, sizeof(rel), "os_release/%s", rows[i].file);
		text = fixture(rel);
		assert_int_equal(sysparse_os_release(text, &f), STATUS_OK);
		assert_string_equal(facts_str(&f, "os.distro.id"), rows[i].id);
		assert_string_equal(facts_str(&f, "os.distro.version_id"), rows[i].version_id);
		assert_non_null(facts_str(&f, "os.distro.name"));
		free(text);
		facts_free(&f);
	}
	struct facts f;
	facts_init(&f);
	assert_int_equal(sysparse_os_release("# nothing here\n", &f), STATUS_OK);
	assert_int_equal(facts_get(&f, "os.distro.id")->type, FACT_NULL);
	facts_free(&f);
}

static void cpuinfo_files(void **state)
{
	struct facts f;
	char *text;

	(void)state;
	facts_init(&f);
	text = fixture("cpuinfo/intel-i7-8705g-kabylake-g-cpu0.txt");
	assert_string_equal(sysparse_cpuinfo_arch(text), "x86_64");
	assert_int_equal(sysparse_cpuinfo(text, true, &f), STATUS_OK);
	assert_true(facts_list_has(&f, "cpu.flags", "avx2"));
	assert_false(facts_list_has(&f, "cpu.flags", "asimd"));
	assert_string_equal(facts_str(&f, "cpu.microcode"), "0xca");
	assert_string_equal(facts_str(&f, "cpu.vendor"), "GenuineIntel");
	assert_true(facts_get(&f, "cpu.family")->num == 6);
	assert_true(facts_get(&f, "cpu.model")->num == 158);
	free(text);
	facts_free(&f);

	facts_init(&f);
	text = fixture("cpuinfo/arm64-cortex-a57-kata-testdata.txt");
	assert_string_equal(sysparse_cpuinfo_arch(text), "arm64");
	assert_int_equal(sysparse_cpuinfo(text, true, &f), STATUS_OK);
	assert_true(facts_list_has(&f, "cpu.flags", "asimd"));
	assert_false(facts_list_has(&f, "cpu.flags", "avx"));
	assert_null(facts_get(&f, "cpu.microcode"));
	free(text);
	facts_free(&f);

	facts_init(&f);
	text = fixture("cpuinfo/arm64-rpi3bplus-cortex-a53.txt");
	assert_string_equal(sysparse_cpuinfo_arch(text), "arm64");
	assert_int_equal(sysparse_cpuinfo(text, true, &f), STATUS_OK);
	assert_true(facts_list_has(&f, "cpu.flags", "fp"));
	free(text);
	facts_free(&f);

	facts_init(&f);
	text = fixture("cpuinfo/this-machine-amd-epyc.txt");
	assert_int_equal(sysparse_cpuinfo(text, false, &f), STATUS_OK);
	assert_true(facts_list_has(&f, "cpu.flags", "avx"));
	assert_true(facts_list_has(&f, "cpu.flags", "avx512f"));
	assert_null(facts_get(&f, "cpu.vendor")); /* ids come from CPUID on x86 */
	free(text);
	facts_free(&f);
}

static void limits_memlock(void **state)
{
	struct facts f;

	(void)state;
	facts_init(&f);
	assert_true(sysparse_limits_memlock(
		"Limit                     Soft Limit           Hard Limit           Units     \n"
		"Max locked memory         8388608              8388608              bytes     \n", &f));
	assert_true(facts_get(&f, "limits.memlock")->num == 8388608);
	assert_true(sysparse_limits_memlock("Max locked memory         unlimited            unlimited            bytes\n", &f));
	assert_string_equal(facts_str(&f, "limits.memlock"), "unlimited");
	assert_false(sysparse_limits_memlock("Max locked memory  lots\n", &f));
	assert_false(sysparse_limits_memlock("Max open files 1024 1024 files\n", &f));
	facts_free(&f);
}

/* uname -r is the third word of /proc/version; uname -v is what follows
 * the compiler group. Splits a real line into both. */
/* Fields of /proc/PID/status: TracerPid (proot), Seccomp (the JIT's
 * explanation of a refusal). */
static void status_fields(void **state)
{
	char *text = fixture("roots/this-machine/proc/self/status"), v[32], small[4];

	(void)state;
	assert_true(sysparse_status_field(text, "TracerPid", v, sizeof(v)));
	assert_string_equal(v, "0");
	assert_true(sysparse_status_field(text, "Name", v, sizeof(v)));
	assert_string_equal(v, "cat");
	/* "Seccomp" is not "Seccomp_filters". */
	assert_true(sysparse_status_field(text, "Seccomp_filters", v, sizeof(v)));
	assert_string_equal(v, "0");
	assert_true(sysparse_status_field(text, "Speculation_Store_Bypass", small, sizeof(small)));
	assert_string_equal(small, "vul"); /* cut to fit */
	assert_false(sysparse_status_field(text, "PaX", v, sizeof(v)));
	assert_string_equal(v, "");
	assert_false(sysparse_status_field(text, "Tracer", v, sizeof(v)));
	free(text);
}

static void facts_from_proc_version(struct facts *f, const char *line)
{
	char rel[128];
	const char *v = line;
	int depth = 0, groups = 0;

	sscanf(line, "Linux version %127s", rel);
	for (; *v && groups < 2; v++) {
		if (*v == '(')
			depth++;
		else if (*v == ')' && --depth == 0)
			groups++;
	}
	while (*v == ' ')
		v++;
	char *ver = strdup(v);
	ver[strcspn(ver, "\n")] = '\0';
	facts_set_str(f, "os.name", "Linux");
	facts_set_str(f, "os.kernel.release", rel);
	facts_set_str(f, "os.kernel.version", ver);
	free(ver);
}

static void kernel_identity(void **state)
{
	static const struct {
		const char *file, *distro, *pkg, *upstream, *impl;
	} rows[] = {
		{"ubuntu-5.4.0-26.txt", "ubuntu", "5.4.0-26.30", NULL, "linux"},
		{"ubuntu-22.04-5.15.0-130.txt", "ubuntu", "5.15.0-130.140", NULL, "linux"},
		{"ubuntu-24.04-6.8.0-50.txt", "ubuntu", "6.8.0-50.51", NULL, "linux"},
		{"debian-10-4.19.0-9-amd64.txt", "debian", "4.19.118-2+deb10u1", "4.19.118", "linux"},
		{"centos-8-4.18.0-80.el8.txt", "rhel", "4.18.0-80.el8", NULL, "linux"},
		{"rhel-9-5.14.0-427.47.1.el9_4.txt", "rhel", "5.14.0-427.47.1.el9_4", NULL, "linux"},
		{"fedora-31-5.3.13-300.fc31.txt", NULL, NULL, NULL, "linux"},
		{"arch-5.4.1-arch1-1.txt", NULL, NULL, NULL, "linux"},
		{"wsl1-4.4.0-19041-Microsoft.txt", NULL, NULL, NULL, "wsl1"},
		{"this-machine.txt", NULL, NULL, NULL, "linux"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char rel[256], *text;
		struct facts f;
		facts_init(&f);
		snprintf(rel, sizeof(rel), "proc_version/%s", rows[i].file);
		text = fixture(rel);
		facts_from_proc_version(&f, text);
		assert_int_equal(sysparse_kernel_identity(&f, text), STATUS_OK);
		const struct fact *d = facts_get(&f, "os.kernel.distro");
		assert_non_null(d);
		if (rows[i].distro) {
			if (!facts_str(&f, "os.kernel.distro") || strcmp(facts_str(&f, "os.kernel.distro"), rows[i].distro) ||
			    strcmp(facts_str(&f, "os.kernel.distro_version"), rows[i].pkg))
				fail_msg("%s: got %s %s", rows[i].file, facts_str(&f, "os.kernel.distro"),
					 facts_str(&f, "os.kernel.distro_version"));
		} else if (d->type != FACT_NULL) {
			fail_msg("%s: not a distribution kernel, got %s", rows[i].file, d->str);
		}
		if (rows[i].upstream)
			assert_string_equal(facts_str(&f, "os.kernel.upstream_version"), rows[i].upstream);
		assert_string_equal(facts_str(&f, "os.kernel.implementation"), rows[i].impl);
		free(text);
		facts_free(&f);
	}
	/* Asterinas up to v0.16.1: uname says Linux 5.13.0 / 5.13.0. */
	struct facts f;
	facts_init(&f);
	facts_from_spec(&f, "os.name=Linux;os.kernel.release=5.13.0;os.kernel.version=5.13.0");
	assert_int_equal(sysparse_kernel_identity(&f, NULL), STATUS_OK);
	assert_string_equal(facts_str(&f, "os.kernel.implementation"), "asterinas");
	facts_free(&f);
	/* Real Linux 5.13.0 has a "#N ..." version. */
	facts_init(&f);
	facts_from_spec(&f, "os.name=Linux;os.kernel.release=5.13.0;os.kernel.version=#1 SMP Mon Jun 28 2021");
	assert_int_equal(sysparse_kernel_identity(&f, NULL), STATUS_OK);
	assert_string_equal(facts_str(&f, "os.kernel.implementation"), "linux");
	facts_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proc_version_compilers), cmocka_unit_test(os_release_files),
		cmocka_unit_test(cpuinfo_files), cmocka_unit_test(limits_memlock),
		cmocka_unit_test(kernel_identity), cmocka_unit_test(status_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
