/* test_match.c - verdicts of the built-in KB on both sides of every
 * boundary of the seed entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "judge.h"

struct row {
	const char *spec;
	enum verdict want;
	const char *missing; /* for unknown: a fact that must be named */
};

static void run(const char *id, const struct row *rows, size_t n)
{
	struct kb *kb;
	struct diag d = {""};

	assert_int_equal(kb_open(&kb, NULL, &d), STATUS_OK);
	for (size_t i = 0; i < n; i++) {
		char missing[1024];
		enum verdict v = judge(kb, id, rows[i].spec, missing);
		if (v != rows[i].want)
			fail_msg("%s: %s\n  got %s, want %s", id, rows[i].spec, verdict_name(v),
				 verdict_name(rows[i].want));
		if (rows[i].missing && !strstr(missing, rows[i].missing))
			fail_msg("%s: %s\n  missing \"%s\" lacks %s", id, rows[i].spec, missing, rows[i].missing);
	}
	kb_close(kb);
}

#define RUN(id, rows) run(id, rows, sizeof(rows) / sizeof(rows[0]))

#define X86 "os.name=Linux;cpu.arch=x86_64;cpu.flags=[sse2,avx,avx2];os.kernel.compiler=gcc;"
#define VANILLA "os.kernel.distro=null;"

static void sigframe(void **state)
{
	static const struct row rows[] = {
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.3.14", VERDICT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.3.15", VERDICT_NOT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.1-arch1-1", VERDICT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.2-arch1-1", VERDICT_NOT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.2.0", VERDICT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.1.21", VERDICT_NOT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.0-rc3", VERDICT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.5.0", VERDICT_NOT_AFFECTED, NULL},
		/* GCC 8 / GCC 9 boundary */
		{X86 VANILLA "os.kernel.compiler_version=8.3.0;os.kernel.release=5.4.1", VERDICT_NOT_AFFECTED, NULL},
		{X86 VANILLA "os.kernel.compiler_version=9.1.0;os.kernel.release=5.4.1", VERDICT_AFFECTED, NULL},
		{"os.name=Linux;cpu.arch=x86_64;cpu.flags=[avx];os.kernel.compiler=clang;"
		 "os.kernel.compiler_version=10.0.0;os.kernel.release=5.4.1;os.kernel.distro=null", VERDICT_NOT_AFFECTED, NULL},
		/* x86_64 / arm64, AVX / no AVX */
		{"os.name=Linux;cpu.arch=arm64;cpu.flags=[fp,asimd];os.kernel.compiler=gcc;"
		 "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.1;os.kernel.distro=null", VERDICT_NOT_AFFECTED, NULL},
		{"os.name=Linux;cpu.arch=x86_64;cpu.flags=[sse2,sse4_2];os.kernel.compiler=gcc;"
		 "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.1;os.kernel.distro=null", VERDICT_NOT_AFFECTED, NULL},
		/* Ubuntu focal: every 5.4 package from 5.4.0-8.11 on is patched. */
		{X86 "os.kernel.compiler_version=9.3.0;os.kernel.release=5.4.0-26-generic;"
		 "os.kernel.version=#30-Ubuntu SMP Mon Apr 20 16:58:30 UTC 2020", VERDICT_NOT_AFFECTED, NULL},
		{X86 "os.kernel.compiler_version=9.2.1;os.kernel.release=5.4.0-7-generic;"
		 "os.kernel.version=#8-Ubuntu SMP Sat Nov 30 00:00:00 UTC 2019", VERDICT_AFFECTED, NULL},
		/* Ubuntu 19.10's 5.3: in range, no known Ubuntu fix -> unknown, never a false affected. */
		{X86 "os.kernel.compiler_version=9.2.1;os.kernel.release=5.3.0-40-generic;"
		 "os.kernel.version=#32-Ubuntu SMP Fri Jan 31 20:24:34 UTC 2020", VERDICT_UNKNOWN, NULL},
		{X86 "os.kernel.compiler_version=11.4.0;os.kernel.release=5.15.0-130-generic;"
		 "os.kernel.version=#140-Ubuntu SMP Wed Dec 18 17:59:53 UTC 2024", VERDICT_NOT_AFFECTED, NULL},
		/* Debian names the stable release it carries: 5.4.13 is past 5.4.2. */
		{X86 "os.kernel.compiler_version=9.2.1;os.kernel.release=5.4.0-3-amd64;"
		 "os.kernel.version=#1 SMP Debian 5.4.13-1 (2020-01-19)", VERDICT_NOT_AFFECTED, NULL},
		/* Facts that cannot decide */
		{X86 "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.1", VERDICT_UNKNOWN, "os.kernel.distro"},
		{X86 VANILLA "os.kernel.release=5.4.1", VERDICT_UNKNOWN, "os.kernel.compiler_version"},
		{X86 VANILLA "os.kernel.compiler_version=9.2.0", VERDICT_UNKNOWN, "os.kernel.release"},
		{"os.name=Darwin;cpu.arch=arm64", VERDICT_NOT_AFFECTED, NULL},
	};
	(void)state;
	RUN("linux-sigframe-avx-corruption", rows);
}

#define MAC "os.name=Darwin;cpu.arch=arm64;"

static void m4_panic(void **state)
{
	static const struct row rows[] = {
		{MAC "cpu.brand=Apple M4 Pro;os.product_version=15.1.1;runtime.ruby.yjit=true", VERDICT_AFFECTED, NULL},
		{MAC "cpu.brand=Apple M4;os.product_version=15.1;runtime.ruby.yjit=true", VERDICT_AFFECTED, NULL},
		{MAC "cpu.brand=Apple M4 Max;os.product_version=15.2;runtime.ruby.yjit=true", VERDICT_NOT_AFFECTED, NULL},
		{MAC "cpu.brand=Apple M3 Max;os.product_version=15.1.1;runtime.ruby.yjit=true", VERDICT_NOT_AFFECTED, NULL},
		{MAC "cpu.brand=Apple M4;os.product_version=15.1;runtime.ruby.yjit=false", VERDICT_NOT_AFFECTED, NULL},
		{MAC "cpu.brand=Apple M4;os.product_version=15.1;runtime.ruby.yjit=null", VERDICT_NOT_AFFECTED, NULL},
		{MAC "cpu.brand=Apple M4;os.product_version=15.1", VERDICT_UNKNOWN, "runtime.ruby.yjit"},
		{MAC "cpu.brand=Apple M4;runtime.ruby.yjit=true", VERDICT_UNKNOWN, "os.product_version"},
		{"os.name=Linux;cpu.brand=Apple M4", VERDICT_NOT_AFFECTED, NULL},
	};
	(void)state;
	RUN("macos-m4-sptm-jit-panic", rows);
}

static void rustler(void **state)
{
	static const struct row rows[] = {
		{"project.packages=[pkg:cargo/rustler@0.21.1]", VERDICT_NOT_AFFECTED, NULL},
		{"project.packages=[pkg:cargo/rustler@0.22.0]", VERDICT_AFFECTED, NULL},
		{"project.packages=[pkg:cargo/rustler@0.22.0-rc.0]", VERDICT_AFFECTED, NULL},
		{"project.packages=[pkg:cargo/rustler@0.34.2]", VERDICT_AFFECTED, NULL},
		{"project.packages=[pkg:cargo/rustler@0.35.0]", VERDICT_NOT_AFFECTED, NULL},
		{"project.packages=[pkg:cargo/rustler_codegen@0.30.0,pkg:cargo/rustler@0.36.1]", VERDICT_NOT_AFFECTED, NULL},
		{"project.packages=[pkg:cargo/rustler@0.21.0,pkg:cargo/rustler@0.34.0]", VERDICT_AFFECTED, NULL},
		{"project.packages=[pkg:hex/rustler@0.34.0]", VERDICT_NOT_AFFECTED, NULL},
		{"project.packages=[]", VERDICT_NOT_AFFECTED, NULL},
		{"os.name=Linux", VERDICT_UNKNOWN, "project.packages"},
	};
	(void)state;
	RUN("rustler-encode-panic-aborts-beam", rows);
}

#define UNSIGNED_MEM "com.apple.security.cs.allow-unsigned-executable-memory"

static void spin(void **state)
{
	static const struct row rows[] = {
		{"os.name=Darwin;tool.spin=2.5.1", VERDICT_UNKNOWN, "tool.spin.hardened_runtime"},
		{"os.name=Darwin;tool.spin=2.5.1;tool.spin.hardened_runtime=true;"
		 "tool.spin.entitlements=[com.apple.security.cs.allow-jit]", VERDICT_AFFECTED, NULL},
		{"os.name=Darwin;tool.spin=2.5.1;tool.spin.hardened_runtime=true;"
		 "tool.spin.entitlements=[" UNSIGNED_MEM "]", VERDICT_NOT_AFFECTED, NULL},
		{"os.name=Darwin;tool.spin=2.5.1;tool.spin.hardened_runtime=false", VERDICT_NOT_AFFECTED, NULL},
		{"os.name=Darwin;tool.spin=null", VERDICT_NOT_AFFECTED, NULL},
		{"os.name=Linux;tool.spin=2.5.1", VERDICT_NOT_AFFECTED, NULL},
	};
	(void)state;
	RUN("spin-hardened-runtime-sigkill", rows);
}

static void asterinas(void **state)
{
	static const struct row rows[] = {
		/* Asterinas up to v0.16.1 identifies itself, not its release. */
		{"os.name=Linux;os.kernel.release=5.13.0;os.kernel.version=5.13.0", VERDICT_UNKNOWN,
		 "os.kernel.asterinas_version"},
		{"os.name=Linux;os.kernel.release=5.13.0;os.kernel.version=5.13.0;os.kernel.asterinas_version=0.10.3",
		 VERDICT_AFFECTED, NULL},
		{"os.name=Linux;os.kernel.release=5.13.0;os.kernel.version=5.13.0;os.kernel.asterinas_version=0.11.0",
		 VERDICT_NOT_AFFECTED, NULL},
		/* Real Linux 5.13.0 */
		{"os.name=Linux;os.kernel.release=5.13.0;os.kernel.version=#1 SMP Mon Jun 28 00:00:00 UTC 2021",
		 VERDICT_NOT_AFFECTED, NULL},
		/* Asterinas from v0.16.2: rustc-built, "#1 ..." version, past the fix. */
		{"os.name=Linux;os.kernel.release=5.13.0;os.kernel.compiler=rustc;"
		 "os.kernel.version=#1 SMP Thu Jan  1 00:00:00 UTC 1970", VERDICT_NOT_AFFECTED, NULL},
	};
	(void)state;
	RUN("asterinas-vmar-alloc-assert", rows);
}

static void evidence_names_facts(void **state)
{
	struct kb *kb;
	struct facts f;
	struct finding *v;
	size_t n;
	struct diag d = {""};
	bool saw_release = false;

	(void)state;
	assert_int_equal(kb_open(&kb, NULL, &d), STATUS_OK);
	facts_init(&f);
	facts_from_spec(&f, X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.1");
	assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
	assert_int_equal(match_run(kb, &d), STATUS_OK);
	assert_int_equal(match_findings(kb, "linux-sigframe-avx-corruption", &v, &n, &d), STATUS_OK);
	/* Five conditions and one range, each with fact, expectation, value, outcome. */
	assert_int_equal(v[0].nev, 6);
	for (size_t i = 0; i < v[0].nev; i++) {
		assert_string_equal(v[0].ev[i].outcome, "met");
		assert_non_null(v[0].ev[i].actual);
		if (!strcmp(v[0].ev[i].fact, "os.kernel.release")) {
			saw_release = true;
			assert_non_null(strstr(v[0].ev[i].expected, "5.4.0-rc1 <= v < 5.4.2"));
			assert_string_equal(v[0].ev[i].actual, "\"5.4.1\"");
		}
	}
	assert_true(saw_release);
	assert_true(v[0].nsymptoms >= 3);
	assert_true(v[0].nrefs >= 3);
	assert_string_equal(v[0].probe, "ymm-signal");
	match_findings_free(v, n);
	facts_free(&f);
	kb_close(kb);
}

/* Probe results among the facts: a fail decides, a pass decides only
 * what the facts left open. */
static void probe_results(void **state)
{
	static const struct row rows[] = {
		/* undecided distro kernel (Ubuntu 5.3, no known fix) */
		{X86 "os.kernel.compiler_version=9.2.1;os.kernel.release=5.3.0-40-generic;"
		 "os.kernel.version=#32-Ubuntu SMP Fri Jan 31 20:24:34 UTC 2020;probe.ymm-signal.status=pass",
		 VERDICT_NOT_AFFECTED, NULL},
		{X86 "os.kernel.compiler_version=9.2.1;os.kernel.release=5.3.0-40-generic;"
		 "os.kernel.version=#32-Ubuntu SMP Fri Jan 31 20:24:34 UTC 2020;probe.ymm-signal.status=fail",
		 VERDICT_AFFECTED, NULL},
		/* a result that decides nothing leaves it open */
		{X86 "os.kernel.compiler_version=9.2.1;os.kernel.release=5.3.0-40-generic;"
		 "os.kernel.version=#32-Ubuntu SMP Fri Jan 31 20:24:34 UTC 2020;probe.ymm-signal.status=timeout",
		 VERDICT_UNKNOWN, NULL},
		/* a pass does not overrule a vanilla 5.4.1 built by GCC 9 */
		{X86 VANILLA "os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.1;probe.ymm-signal.status=pass",
		 VERDICT_AFFECTED, NULL},
		/* corruption seen is affected even where the facts rule the bug out */
		{X86 VANILLA "os.kernel.compiler_version=12.2.0;os.kernel.release=6.1.0;probe.ymm-signal.status=fail",
		 VERDICT_AFFECTED, NULL},
	};
	(void)state;
	RUN("linux-sigframe-avx-corruption", rows);
}

/* jit-fork and mmap-fixed run only where a host fact rules out their bug. */
static void host_ruled_out(void **state)
{
	static const struct {
		const char *id, *spec;
		bool out;
		const char *why;
	} rows[] = {
		{"macos-m4-sptm-jit-panic", MAC "cpu.brand=Apple M4 Pro;os.product_version=15.1", false,
		 "cpu.brand matches, os.product_version matches"},
		{"macos-m4-sptm-jit-panic", MAC "cpu.brand=Apple M4 Pro", false, "os.product_version is not known"},
		{"macos-m4-sptm-jit-panic", MAC "cpu.brand=Apple M1;os.product_version=15.1", true,
		 "cpu.brand is \"Apple M1\""},
		{"macos-m4-sptm-jit-panic", MAC "cpu.brand=Apple M4;os.product_version=15.2", true,
		 "os.product_version is \"15.2\""},
		/* Ruby is software: without YJIT the M4 is still at risk from the probe. */
		{"macos-m4-sptm-jit-panic", MAC "cpu.brand=Apple M4;os.product_version=15.1;runtime.ruby.yjit=false",
		 false, "cpu.brand matches"},
		{"macos-m4-sptm-jit-panic", "os.name=Linux", true, "os.name is \"Linux\""},
		{"asterinas-vmar-alloc-assert", "os.name=Linux;os.kernel.implementation=linux", true,
		 "os.kernel.implementation is \"linux\""},
		{"asterinas-vmar-alloc-assert", "os.name=Linux;os.kernel.implementation=asterinas;"
		 "os.kernel.version=5.13.0", false, "os.kernel.asterinas_version is not known"},
	};
	struct kb *kb;
	struct diag d = {""};

	(void)state;
	assert_int_equal(kb_open(&kb, NULL, &d), STATUS_OK);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		char why[512];
		bool out;
		facts_init(&f);
		facts_from_spec(&f, rows[i].spec);
		assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
		assert_int_equal(match_run(kb, &d), STATUS_OK);
		assert_int_equal(match_rules_out_host(kb, rows[i].id, &out, why, sizeof(why), &d), STATUS_OK);
		if (out != rows[i].out || !strstr(why, rows[i].why))
			fail_msg("%s: %s\n  got %s \"%s\", want %s \"%s\"", rows[i].id, rows[i].spec,
				 out ? "ruled out" : "not ruled out", why, rows[i].out ? "ruled out" : "not ruled out",
				 rows[i].why);
		facts_free(&f);
	}
	kb_close(kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sigframe), cmocka_unit_test(m4_panic), cmocka_unit_test(rustler),
		cmocka_unit_test(spin), cmocka_unit_test(asterinas), cmocka_unit_test(evidence_names_facts),
		cmocka_unit_test(probe_results), cmocka_unit_test(host_ruled_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
