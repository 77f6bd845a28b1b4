/* test_version.c - version ordering tables for every scheme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/version.h"

struct row {
	const char *a, *b;
	int want; /* sign of compare(a, b) */
};

static void check(enum ver_scheme s, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int c = 99, back = 99;
		if (ver_compare(s, rows[i].a, rows[i].b, &c) != STATUS_OK)
			fail_msg("%s: cannot compare %s and %s", ver_scheme_name(s), rows[i].a, rows[i].b);
		ver_compare(s, rows[i].b, rows[i].a, &back);
		if ((c > 0) - (c < 0) != rows[i].want || (back > 0) - (back < 0) != -rows[i].want)
			fail_msg("%s: compare(%s, %s) = %d, want %d", ver_scheme_name(s), rows[i].a,
				 rows[i].b, c, rows[i].want);
	}
}

#define CHECK(s, rows) check(s, rows, sizeof(rows) / sizeof(rows[0]))

static void linux_releases(void **state)
{
	static const struct row rows[] = {
		{"5.3.14", "5.3.15", -1},   {"5.4.1", "5.4.2", -1},
		{"5.4", "5.4.0", 0},        {"5.4.0-26-generic", "5.4.0", 0},
		{"5.4.0-rc3", "5.4.0", -1}, {"5.4.0-rc3", "5.4.0-rc10", -1},
		{"5.3.15", "5.4.0-rc1", -1}, {"5.10.1", "5.9.16", 1},
		{"6.18.44-fc-v669", "5.4.2", 1}, {"4.4.0-19041-Microsoft", "5.2.0-rc1", -1},
		{"5.2.0-rc1", "5.2", -1},   {"4.18.0-193.el8.x86_64", "4.18.0", 0},
	};
	(void)state;
	CHECK(VER_LINUX, rows);
	assert_false(ver_valid(VER_LINUX, "5"));
	assert_false(ver_valid(VER_LINUX, "generic"));
	assert_true(ver_valid(VER_LINUX, "5.13.0"));
}

static void dpkg_versions(void **state)
{
	/* Orderings from Debian Policy 5.6.12 and dpkg's own test suite. */
	static const struct row rows[] = {
		{"5.4.0-26.30", "5.4.0-8.11", 1},   {"5.4.0-7.8", "5.4.0-8.11", -1},
		{"5.4.0-26.30~18.04.1", "5.4.0-26.30", -1},
		{"1.0~rc1", "1.0", -1},             {"1.0", "1.0+b1", -1},
		{"1:1.0", "2.0", 1},                {"1.0-1", "1.0-1", 0},
		{"1.0a", "1.0", 1},                 {"1.0.0", "1.0", 1},
		{"2.30-1ubuntu1", "2.30-1", 1},     {"0:1.0", "1.0", 0},
		{"1.0~~", "1.0~", -1},              {"4.19.118-2+deb10u1", "4.19.118-2", 1},
	};
	(void)state;
	CHECK(VER_DPKG, rows);
	assert_false(ver_valid(VER_DPKG, ""));
	assert_false(ver_valid(VER_DPKG, "a1.0"));
	assert_false(ver_valid(VER_DPKG, ":1.0"));
	assert_false(ver_valid(VER_DPKG, "1.0-"));
}

static void semver_versions(void **state)
{
	/* The precedence example of semver.org section 11, plus ours. */
	static const struct row rows[] = {
		{"1.0.0-alpha", "1.0.0-alpha.1", -1}, {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
		{"1.0.0-alpha.beta", "1.0.0-beta", -1}, {"1.0.0-beta", "1.0.0-beta.2", -1},
		{"1.0.0-beta.2", "1.0.0-beta.11", -1}, {"1.0.0-beta.11", "1.0.0-rc.1", -1},
		{"1.0.0-rc.1", "1.0.0", -1},          {"0.21.0", "0.22.0-rc.0", -1},
		{"0.22.0-rc.0", "0.22.0", -1},        {"0.34.2", "0.35.0", -1},
		{"v0.11.0", "0.11.0", 0},             {"1.0.0+build.5", "1.0.0", 0},
		{"0.10.3", "0.11.0", -1},
	};
	(void)state;
	CHECK(VER_SEMVER, rows);
	assert_false(ver_valid(VER_SEMVER, "1.0.0-"));
	assert_false(ver_valid(VER_SEMVER, "1.0.0-a..b"));
	assert_false(ver_valid(VER_SEMVER, "one"));
}

static void macos_versions(void **state)
{
	static const struct row rows[] = {
		{"15.1", "15.2", -1}, {"15.1.1", "15.2", -1}, {"15.2", "15.2.0", 0},
		{"15.0", "15.1", -1}, {"14.7.2", "15.0", -1}, {"26.0", "15.6", 1},
	};
	(void)state;
	CHECK(VER_MACOS, rows);
	assert_false(ver_valid(VER_MACOS, "15.1 beta"));
}

static void go_versions(void **state)
{
	static const struct row rows[] = {
		{"go1.14", "go1.14.0", 0},     {"go1.14beta1", "go1.14rc1", -1},
		{"go1.14rc1", "go1.14", -1},   {"go1.14.1", "go1.14.15", -1},
		{"go1.9", "go1.10", -1},       {"1.21.6", "go1.21.6", 0},
	};
	(void)state;
	CHECK(VER_GO, rows);
	assert_false(ver_valid(VER_GO, "devel go1.22-abc"));
	assert_false(ver_valid(VER_GO, "go1.14rc"));
}

static void dotted_versions(void **state)
{
	static const struct row rows[] = {
		{"8.3.0", "9", -1}, {"9", "9.0.0", 0}, {"9.3.0", "9", 1},
		{"12.2.0", "9.3.0", 1}, {"1.8.0_292", "1.8.0", 0}, {"10.0.0", "9.9.9", 1},
	};
	(void)state;
	CHECK(VER_DOTTED, rows);
}

static void gem_versions(void **state)
{
	/* Gem::Version#<=>: the orderings asserted by rubygems'
	 * test/rubygems/test_gem_version.rb (test_spaceship), and the rack
	 * releases of GHSA-22f2-v57c-j9cx. */
	static const struct row rows[] = {
		{"1.0", "1.0.0", 0},          {"1.0", "1.0.a", 1},
		{"1.8.2", "0.0.0", 1},        {"1.8.2", "1.8.2.a", 1},
		{"1.8.2.b", "1.8.2.a", 1},    {"1.8.2.a", "1.8.2", -1},
		{"1.8.2.a10", "1.8.2.a9", 1}, {"0.beta.1", "0.0.beta.1", 0},
		{"0.0.beta", "0.0.beta.1", -1}, {"0.0.beta", "0.beta.1", -1},
		{"5.a", "5.0.0.rc2", -1},     {"5.x", "5.0.0.rc2", 1},
		{"1.0.0-rc1", "1.0.0", -1},   {"1.0.0-rc1", "1.0.0.pre.rc1", 0},
		{"3.0.9.1", "3.0.9", 1},      {"3.2.4", "3.0.9.1", 1},
		{"2.2.8.1", "2.2.10", -1},    {"0.4", "0.10", -1},
		{"10000000000000000000001", "10000000000000000000000", 1},
	};
	(void)state;
	CHECK(VER_GEM, rows);
	assert_true(ver_valid(VER_GEM, "1.16.0.rc1"));
	assert_true(ver_valid(VER_GEM, "2.0.0-beta.2"));
	assert_false(ver_valid(VER_GEM, "v1.0"));
	assert_false(ver_valid(VER_GEM, "1..0"));
	assert_false(ver_valid(VER_GEM, "1.0_1"));
	assert_false(ver_valid(VER_GEM, ""));
}

static void size_values(void **state)
{
	/* RLIMIT_MEMLOCK as /proc/self/limits gives it (bytes), and as people
	 * write it in a profile. */
	static const struct row rows[] = {
		{"8388608", "64 MiB", -1},      {"67108864", "64 MiB", 0},   {"64MiB", "65536 KiB", 0},
		{"unlimited", "1 TiB", 1},      {"unlimited", "unlimited", 0}, {"1 GiB", "1023 MiB", 1},
		{"0", "1 B", -1},               {"16777216", "16 MiB", 0},
	};
	(void)state;
	CHECK(VER_SIZE, rows);
	assert_false(ver_valid(VER_SIZE, "64 MB"));
	assert_false(ver_valid(VER_SIZE, "1.5 GiB"));
	assert_false(ver_valid(VER_SIZE, "-1"));
	assert_false(ver_valid(VER_SIZE, "64  MiB"));
	assert_false(ver_valid(VER_SIZE, "lots"));
	assert_false(ver_valid(VER_SIZE, "99999999999 TiB")); /* past 2^64 */
	assert_true(ver_valid(VER_SIZE, "16 TiB"));
}

static void x86sig_values(void **state)
{
	/* Raptor Lake-S 06-b7-01 at the 0x129/0x12b microcode updates; the
	 * signature orders before the revision, so no two CPUs interleave. */
	static const struct row rows[] = {
		{"06-b7-01:129", "06-b7-01:12b", -1}, {"06-b7-01:12b", "06-b7-01:12b", 0},
		{"06-b7-01:12b", "06-B7-01:12B", 0},  {"06-b7-01:fff", "06-ba-02:0", -1},
		{"06-bf-02:12c", "06-b7-01:12b", 1},  {"1a-44-00:b404035", "1a-44-00:b404034", 1},
		{"19-01-01:800126e", "1a-44-00:0", -1}, {"06-b7-01:0", "06-b7-01:1", -1},
	};
	(void)state;
	CHECK(VER_X86SIG, rows);
	assert_false(ver_valid(VER_X86SIG, "06-b7-01"));
	assert_false(ver_valid(VER_X86SIG, "6-183-1:0x12b"));
	assert_false(ver_valid(VER_X86SIG, "06-b7-01:0x12b"));
	assert_false(ver_valid(VER_X86SIG, "006-b7-01:12b"));
	assert_false(ver_valid(VER_X86SIG, "06-b7-01:123456789"));
	assert_false(ver_valid(VER_X86SIG, "06-b7-01:12b "));
	assert_false(ver_valid(VER_X86SIG, ""));
	assert_true(ver_valid(VER_X86SIG, "06-b7-01:ffffffff"));
}

static void java_versions(void **state)
{
	/* As java -version prints them: 8u before 9, 8u builds in order. */
	static const struct row rows[] = {
		{"1.8.0_362", "1.8.0_372", -1}, {"1.8.0_372", "1.8.0_372", 0}, {"1.8.0_382-b05", "1.8.0_372", 1},
		{"1.8.0_482", "9", -1},         {"1.7.0_80", "1.8.0", -1},     {"1.8.0", "1.8.0_0", 0},
		{"11.0.16", "11.0.15", 1},      {"11.0.16.1", "11.0.16", 1},   {"17", "11.0.28", 1},
		{"0", "1.6.0_45", -1},
	};
	(void)state;
	CHECK(VER_JAVA, rows);
	assert_false(ver_valid(VER_JAVA, "1.8.0_"));
	assert_false(ver_valid(VER_JAVA, "1.9.0"));
	assert_false(ver_valid(VER_JAVA, "java"));
}

static void schemes_by_name(void **state)
{
	enum ver_scheme s;

	(void)state;
	for (int i = 0; i < VER__COUNT; i++) {
		assert_int_equal(ver_scheme_from_name(ver_scheme_name((enum ver_scheme)i), &s), STATUS_OK);
		assert_int_equal(s, i);
	}
	assert_int_equal(ver_scheme_from_name("rpm", &s), STATUS_ERR_SCHEME);
	int c = 7;
	assert_int_equal(ver_compare(VER_SEMVER, "x", "1.0.0", &c), STATUS_ERR_VERSION);
	assert_int_equal(c, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(linux_releases), cmocka_unit_test(dpkg_versions),
		cmocka_unit_test(semver_versions), cmocka_unit_test(macos_versions),
		cmocka_unit_test(go_versions), cmocka_unit_test(dotted_versions),
		cmocka_unit_test(size_values), cmocka_unit_test(schemes_by_name),
		cmocka_unit_test(gem_versions), cmocka_unit_test(x86sig_values),
		cmocka_unit_test(java_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
