/* test_match.c - what a finding carries (evidence, probe) and when a host
 * fact rules a machine-risk probe's bug out. The verdicts of every entry
 * on both sides of its bounds are in tests/kb-cases (kb_cases.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "judge.h"

#define X86 "os.name=Linux;cpu.arch=x86_64;cpu.flags=[sse2,avx,avx2];os.kernel.compiler=gcc;"
#define VANILLA "os.kernel.distro=null;"

#define MAC "os.name=Darwin;cpu.arch=arm64;"

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

/* Numbers beyond long long's range (memlock 1e30 from a damaged
 * /proc/self/limits) are stored as the doubles they are. */
static void huge_numbers(void **state)
{
	struct kb *kb;
	struct facts f;
	struct diag d = {""};
	char *out = NULL;

	(void)state;
	assert_int_equal(kb_open(&kb, NULL, &d), STATUS_OK);
	facts_init(&f);
	facts_from_spec(&f, "limits.memlock=#1000000000000000000000000000000;cpu.family=#9223372036854775808");
	assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
	assert_int_equal(kb_query_text(kb, "SELECT group_concat(value, ' ') FROM (SELECT value FROM temp.facts ORDER BY key)",
				       NULL, &out, &d), STATUS_OK);
	assert_string_equal(out, "9.22337203685478e+18 1.0e+30");
	free(out);
	facts_free(&f);
	kb_close(kb);
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
		cmocka_unit_test(evidence_names_facts), cmocka_unit_test(host_ruled_out), cmocka_unit_test(huge_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
