/* test_lockfile.c - package URLs from real lockfiles; malformed ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "probes/lockfile.h"

static void parse(const char *file, enum lock_kind kind, struct facts *f)
{
	char rel[256], *text;
	struct diag d = {""};

	snprintf(rel, sizeof(rel), "lockfiles/%s", file);
	text = fixture(rel);
	facts_init(f);
	if (lockfile_parse(kind, file, text, f, &d) != STATUS_OK)
		fail_msg("%s: %s", file, d.msg);
	free(text);
}

static void real_lockfiles(void **state)
{
	struct facts f;

	(void)state;
	parse("Cargo.lock", LOCK_CARGO, &f);
	assert_true(facts_list_has(&f, "project.packages", "pkg:cargo/rustler@0.22.0-rc.0"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:cargo/rustler_codegen@0.22.0-rc.0"));
	facts_free(&f);
	parse("mix.lock", LOCK_MIX, &f);
	assert_true(facts_list_has(&f, "project.packages", "pkg:hex/rustler@0.26.0"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:hex/jason@1.4.0"));
	facts_free(&f);
	parse("Gemfile.lock", LOCK_GEMFILE, &f);
	assert_true(facts_list_has(&f, "project.packages", "pkg:gem/puma@6.6.1"));
	assert_false(facts_list_has(&f, "project.packages", "pkg:gem/nio4r@~> 2.0"));
	facts_free(&f);
	/* A git dependency has no version: no purl for it. */
	parse("mix-git-rustler.lock", LOCK_MIX, &f);
	const struct fact *x = facts_get(&f, "project.packages");
	for (size_t i = 0; x && i < x->nlist; i++)
		assert_null(strstr(x->list[i], "pkg:hex/rustler@"));
	facts_free(&f);
}

static void go_mod(void **state)
{
	char *text = fixture("projects/go-auth-server/go.mod");
	struct facts f;
	struct diag d = {""};
	const struct fact *x;

	(void)state;
	facts_init(&f);
	assert_int_equal(lockfile_kind("go.mod"), LOCK_GOMOD);
	if (lockfile_parse(LOCK_GOMOD, "go.mod", text, &f, &d) != STATUS_OK)
		fail_msg("go.mod: %s", d.msg);
	/* Direct and indirect requires, both blocks, versions as written. */
	assert_true(facts_list_has(&f, "project.packages", "pkg:golang/golang.org/x/crypto@v0.14.0"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:golang/google.golang.org/grpc@v1.56.3"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:golang/golang.org/x/net@v0.10.0"));
	assert_true(facts_list_has(&f, "project.packages",
				   "pkg:golang/github.com/patrickmn/go-cache@v2.1.0+incompatible"));
	/* Replaced by local directories: no version says what they are. */
	x = facts_get(&f, "project.packages");
	assert_non_null(x);
	assert_int_equal(x->nlist, 34);
	for (size_t i = 0; i < x->nlist; i++)
		assert_null(strstr(x->list[i], "ttuser/"));
	facts_free(&f);
	/* A replacement by another module at a version takes its place. */
	facts_init(&f);
	assert_int_equal(lockfile_parse(LOCK_GOMOD, "go.mod",
					"module m\nrequire (\n\tgolang.org/x/net v0.10.0\n)\n"
					"replace golang.org/x/net v0.10.0 => golang.org/x/net v0.17.0 // fixed\n",
					&f, &d), STATUS_OK);
	assert_true(facts_list_has(&f, "project.packages", "pkg:golang/golang.org/x/net@v0.17.0"));
	assert_false(facts_list_has(&f, "project.packages", "pkg:golang/golang.org/x/net@v0.10.0"));
	facts_free(&f);
	free(text);
}

static void malformed(void **state)
{
	static const struct {
		enum lock_kind kind;
		const char *text, *why;
	} rows[] = {
		{LOCK_CARGO, "this is not toml\n", "not a Cargo.lock line"},
		{LOCK_CARGO, "[[package]]\nname = \"rustler\"\n", "without name and version"},
		{LOCK_CARGO, "", "no [[package]]"},
		{LOCK_GEMFILE, "GEM\n  specs:\n    puma 6.6.1\n", "expected \"name (version)\""},
		{LOCK_GEMFILE, "\x7f" "ELF\x02\x01\n", "not a Gemfile.lock line"},
		{LOCK_MIX, "{\"rustler\": 1}\n", "does not start with %{"},
		{LOCK_GOMOD, "module m\nrequire golang.org/x/net\n", ":2: expected \"module version\""},
		{LOCK_GOMOD, "require golang.org/x/net v0.1.0\n", "no module directive"},
		{LOCK_GOMOD, "module m\nreplace a b\n", "expected \"=>\""},
		{LOCK_MIX, "%{\n  \"rustler\": {:hex, :rustler},\n}\n", "without a version"},
		{LOCK_MIX, "%{\n  \"rustler\" {:hex}\n}\n", "expected \"name\": {...}"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		struct diag d = {""};
		facts_init(&f);
		assert_int_equal(lockfile_parse(rows[i].kind, "X.lock", rows[i].text, &f, &d), STATUS_ERR_LOCKFILE);
		if (!strstr(d.msg, rows[i].why) || !strstr(d.msg, "X.lock"))
			fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, d.msg, rows[i].why);
		facts_free(&f);
	}
}

static void scan_dir(void **state)
{
	struct facts f;
	struct diag d = {""};
	char dir[4096];

	(void)state;
	facts_init(&f);
	snprintf(dir, sizeof(dir), "%s/lockfiles", FIXTURES);
	assert_int_equal(lockfile_scan_dir(dir, &f, &d), STATUS_OK);
	assert_true(facts_list_has(&f, "project.packages", "pkg:cargo/rustler@0.22.0-rc.0"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:gem/puma@6.6.1"));
	facts_free(&f);
	/* No lockfiles: an empty list, not an unknown. */
	facts_init(&f);
	snprintf(dir, sizeof(dir), "%s/os_release", FIXTURES);
	assert_int_equal(lockfile_scan_dir(dir, &f, &d), STATUS_OK);
	assert_int_equal(facts_get(&f, "project.packages")->nlist, 0);
	facts_free(&f);
	facts_init(&f);
	assert_int_equal(lockfile_scan_dir("/nonexistent/quirk", &f, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "/nonexistent/quirk"));
	facts_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_lockfiles), cmocka_unit_test(malformed), cmocka_unit_test(go_mod), cmocka_unit_test(scan_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
