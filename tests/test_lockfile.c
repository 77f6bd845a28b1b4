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

static size_t npackages(const struct facts *f)
{
	const struct fact *x = facts_get(f, "project.packages");

	return x ? x->nlist : 0;
}

static void npm_lockfiles(void **state)
{
	struct facts f;

	(void)state;
	/* lockfileVersion 3: every copy, nested ones too; the root left out. */
	parse("../projects/ctrl-lang-ts/package-lock.json", LOCK_NPM, &f);
	assert_int_equal(npackages(&f), 190);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/semver@7.5.0"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/semver@7.0.0"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/semver@5.7.1"));
	assert_true(facts_list_has(&f, "project.packages",
				   "pkg:npm/%40typescript-eslint/scope-manager@5.59.0"));
	assert_false(facts_list_has(&f, "project.packages", "pkg:npm/ctrl-lang-ts@1.0.0"));
	facts_free(&f);
	/* lockfileVersion 1: nested "dependencies". */
	parse("package-lock-v1-p2pchat.json", LOCK_NPM, &f);
	assert_int_equal(npackages(&f), 171);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/readable-stream@1.1.14"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/readable-stream@2.3.7"));
	facts_free(&f);
	/* A shrinkwrap from before lockfileVersion existed nests the same way. */
	parse("npm-shrinkwrap-2014-json_index.json", LOCK_NPM, &f);
	assert_int_equal(npackages(&f), 10);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/sigmund@1.0.0"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/mootools-more@1.5.1"));
	facts_free(&f);
}

static void npm_entries(void **state)
{
	static const struct {
		const char *json, *want; /* want NULL: nothing added */
	} rows[] = {
		/* Links and the root are not installed copies. */
		{"{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\",\"version\":\"1.0.0\"},"
		 "\"node_modules/a\":{\"resolved\":\"packages/a\",\"link\":true}}}", NULL},
		/* A workspace folder is the project's own code. */
		{"{\"lockfileVersion\":3,\"packages\":{\"packages/a\":{\"name\":\"a\",\"version\":\"1.0.0\"}}}", NULL},
		/* An alias installs the real package under another name. */
		{"{\"lockfileVersion\":2,\"packages\":{\"node_modules/sw\":{\"name\":\"string-width\",\"version\":\"4.2.3\"}}}",
		 "pkg:npm/string-width@4.2.3"},
		{"{\"lockfileVersion\":1,\"dependencies\":{\"sw\":{\"version\":\"npm:@scope/string-width@4.2.3\"}}}",
		 "pkg:npm/%40scope/string-width@4.2.3"},
		/* Git and file: "versions" name no registry release. */
		{"{\"lockfileVersion\":1,\"dependencies\":{\"x\":{\"version\":\"git+https://github.com/a/x.git#0123\"}}}", NULL},
		{"{\"lockfileVersion\":1,\"dependencies\":{\"x\":{\"version\":\"file:../x\"}}}", NULL},
		/* A package called "dependencies" is still a package. */
		{"{\"lockfileVersion\":1,\"dependencies\":{\"dependencies\":{\"version\":\"0.0.1\",\"requires\":{\"a\":\"1\"}}}}",
		 "pkg:npm/dependencies@0.0.1"},
		{"{\"lockfileVersion\":1}", NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		struct diag d = {""};
		facts_init(&f);
		if (lockfile_parse(LOCK_NPM, "package-lock.json", rows[i].json, &f, &d) != STATUS_OK)
			fail_msg("case %zu: %s", i, d.msg);
		assert_int_equal(npackages(&f), rows[i].want ? 1 : 0);
		if (rows[i].want && !facts_list_has(&f, "project.packages", rows[i].want))
			fail_msg("case %zu: %s missing", i, rows[i].want);
		facts_free(&f);
	}
}

static void yarn_lockfiles(void **state)
{
	struct facts f;

	(void)state;
	parse("yarn-v1-gray-dispatcher.lock", LOCK_YARN, &f);
	assert_int_equal(npackages(&f), 14);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/http-proxy@1.17.0"));
	facts_free(&f);
	/* Several ranges to one entry, quoted headers with spaces. */
	parse("yarn-v1-chardet.lock", LOCK_YARN, &f);
	assert_int_equal(npackages(&f), 64);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/debug@2.6.9"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/debug@2.6.8"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/graceful-readlink@1.0.1"));
	facts_free(&f);
	parse("yarn-v1-egg-mysql-trimmed.lock", LOCK_YARN, &f);
	assert_int_equal(npackages(&f), 18);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/%40types/accepts@1.3.5"));
	facts_free(&f);
	/* Yarn 2+: npm resolutions only; the workspace package is left out. */
	parse("yarn-berry-ichiban-sdk-trimmed.lock", LOCK_YARN, &f);
	assert_int_equal(npackages(&f), 4);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/%40babel/code-frame@7.18.6"));
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/%40ampproject/remapping@2.2.0"));
	facts_free(&f);
	/* Yarn 1 aliases and git sources. */
	facts_init(&f);
	struct diag d = {""};
	assert_int_equal(lockfile_parse(LOCK_YARN, "yarn.lock",
					"\"string-width-cjs@npm:string-width@^4.2.0\":\n  version \"4.2.3\"\n\n"
					"\"x@git+https://github.com/a/x.git\":\n  version \"1.0.0\"\n",
					&f, &d), STATUS_OK);
	assert_int_equal(npackages(&f), 1);
	assert_true(facts_list_has(&f, "project.packages", "pkg:npm/string-width@4.2.3"));
	facts_free(&f);
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
		{LOCK_NPM, "{\"lockfileVersion\": 3, \"packages\": {", "not valid JSON"},
		{LOCK_NPM, "[1, 2]", "expected a JSON object"},
		{LOCK_NPM, "{\"lockfileVersion\": 4, \"packages\": {}}", "unknown lockfileVersion 4"},
		{LOCK_NPM, "{\"lockfileVersion\": null, \"packages\": {}}", "unknown lockfileVersion null"},
		{LOCK_NPM, "{\"lockfileVersion\": 3}", "\"packages\" is missing"},
		{LOCK_NPM, "{\"lockfileVersion\": 1, \"dependencies\": []}", "\"dependencies\" is array"},
		{LOCK_NPM, "{\"lockfileVersion\": 2, \"packages\": {\"node_modules/a\": 1}}",
		 "package \"node_modules/a\" is integer"},
		{LOCK_NPM, "{\"lockfileVersion\": 2, \"packages\": {\"node_modules/a\": {\"version\": 1}}}",
		 "version is integer"},
		{LOCK_YARN, "# yarn lockfile v1\n\nleft-pad@^1.3.0:\n  resolved \"x\"\n", ":3: entry without a version"},
		{LOCK_YARN, "left-pad@^1.3.0\n  version \"1.3.0\"\n", ":1: expected \"name@range:\""},
		{LOCK_YARN, "left-pad@^1.3.0:\n  version 1.3.0\n", ":2: expected version \"x\""},
		{LOCK_YARN, "{\"lockfileVersion\": 3}\n", ":1: expected \"name@range:\""},
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

/* A damaged line names no package: an empty name, a control character
 * (which would reach the facts and the terminal), bytes that are not
 * UTF-8, an '@' that would move the purl's NAME@VERSION split. The
 * well-formed packages beside it stay. */
static void damaged_names(void **state)
{
	static const struct {
		enum lock_kind kind;
		const char *text;
	} rows[] = {
		{LOCK_CARGO, "[[package]]\nname = \"lazy_stat\x19" "ic\"\nversion = \"1.4.0\"\n"
			     "[[package]]\nname = \"\"\nversion = \"1.0.0\"\n"
			     "[[package]]\nname = \"ok\"\nversion = \"1.0.0\"\n"},
		{LOCK_GOMOD, "module m\nrequire (\n\t@types/accepts@* v1.0.0\n\tok v1.0.0\n)\n"},
		{LOCK_GOMOD, "module m\nrequire (\n\tcaf\xe9 v1.0.0\n\tok v1.0.0\n)\n"}, /* Latin-1, not UTF-8 */
		{LOCK_GEMFILE, "GEM\n  specs:\n    puma (6.6.\x1b" "[1m)\n    ok (1.0.0)\n"},
		{LOCK_YARN, "left-pad@^1:\n  version \"1.3.\x7f" "0\"\n\nok@^1:\n  version \"1.0.0\"\n"},
		{LOCK_NPM, "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\\u001b\": {\"version\": \"1.0.0\"},"
			   " \"node_modules/ok\": {\"version\": \"1.0.0\"}}}"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		struct diag d = {""};
		const struct fact *x;
		facts_init(&f);
		if (lockfile_parse(rows[i].kind, "X.lock", rows[i].text, &f, &d) != STATUS_OK)
			fail_msg("case %zu: %s", i, d.msg);
		x = facts_get(&f, "project.packages");
		if (!x || x->nlist != 1 || !strstr(x->list[0], "/ok@"))
			fail_msg("case %zu: %zu packages, first %s", i, x ? x->nlist : 0, x && x->nlist ? x->list[0] : "-");
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
		cmocka_unit_test(npm_lockfiles), cmocka_unit_test(npm_entries), cmocka_unit_test(yarn_lockfiles),
		cmocka_unit_test(damaged_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
