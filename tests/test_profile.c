/* test_profile.c - profiles: what a malformed one is told, and checklist
 * verdicts on both sides of each kind of check, judged like KB entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "db/checklist.h"
#include "db/profile.h"
#include "helpers.h"
#include "probes/sysparse.h"

static char path[64];

/* The built-in KB with facts from spec, judged; a profile file written
 * with text (NULL: none). */
static struct kb *open_with(const char *spec, const char *text)
{
	struct kb *kb;
	struct facts f;
	struct diag d = {""};
	int fd;

	assert_int_equal(kb_open(&kb, NULL, &d), STATUS_OK);
	facts_init(&f);
	facts_from_spec(&f, spec);
	if (!facts_get(&f, "os.kernel.distro") && facts_get(&f, "os.kernel.version"))
		sysparse_kernel_identity(&f, NULL);
	assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
	assert_int_equal(match_run(kb, &d), STATUS_OK);
	facts_free(&f);
	if (text) {
		snprintf(path, sizeof(path), "/tmp/quirk-profile-XXXXXX");
		assert_true((fd = mkstemp(path)) >= 0);
		assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
		close(fd);
	}
	return kb;
}

static void done(struct kb *kb, struct check *v, size_t n)
{
	checklist_free(v, n);
	kb_close(kb);
	if (path[0])
		unlink(path);
	path[0] = '\0';
}

/* Loads text as a profile against spec and judges it. */
static struct kb *judge(const char *spec, const char *text, struct check **v, size_t *n)
{
	struct kb *kb = open_with(spec, text);
	struct profile_meta meta;
	struct diag d = {""};

	if (profile_load(kb, path, &meta, &d) != STATUS_OK)
		fail_msg("profile %s: %s", text, d.msg);
	assert_int_equal(checklist_judge(kb, v, n, &d), STATUS_OK);
	assert_int_equal(*n, meta.nitems);
	return kb;
}

struct row {
	const char *spec, *check;
	enum check_outcome want;
	const char *state; /* what the item says of the fact here */
};

static const char *outcome_name(enum check_outcome o)
{
	return o == CHECK_PASS ? "pass" : o == CHECK_FAIL ? "fail" : "undecided";
}

static void check_rows(const struct row *rows, size_t nrows)
{
	for (size_t i = 0; i < nrows; i++) {
		char text[512];
		struct check *v;
		size_t n;
		struct kb *kb;
		snprintf(text, sizeof(text), "{\"require\": [\"%s\"]}", rows[i].check);
		kb = judge(rows[i].spec, text, &v, &n);
		assert_int_equal(n, 1);
		if (v[0].outcome != rows[i].want || (rows[i].state && strcmp(v[0].state, rows[i].state)))
			fail_msg("%s with %s: %s (\"%s\"), want %s (\"%s\")", rows[i].check, rows[i].spec,
				 outcome_name(v[0].outcome), v[0].state, outcome_name(rows[i].want),
				 rows[i].state ? rows[i].state : "");
		done(kb, v, n);
	}
}

#define ROWS(r) check_rows(r, sizeof(r) / sizeof(r[0]))

static void fact_checks(void **state)
{
	static const struct row rows[] = {
		/* sizes: bytes as /proc/self/limits gives them, units as people write */
		{"limits.memlock=#8388608", "limits.memlock >= 64 MiB", CHECK_FAIL, "8 MiB"},
		{"limits.memlock=#67108864", "limits.memlock >= 64 MiB", CHECK_PASS, "64 MiB"},
		{"limits.memlock=#67108864", "limits.memlock > 64 MiB", CHECK_FAIL, "64 MiB"},
		{"limits.memlock=unlimited", "limits.memlock >= 64 MiB", CHECK_PASS, "unlimited"},
		{"limits.memlock=unlimited", "limits.memlock == unlimited", CHECK_PASS, NULL},
		{"limits.memlock=#65536", "limits.memlock >= 65536", CHECK_PASS, "64 KiB"},
		/* versions, in the fact's default scheme */
		{"compiler.gcc=12.2.0", "compiler.gcc >= 12", CHECK_PASS, "12.2.0"},
		{"compiler.gcc=11.4.0", "compiler.gcc >= 12", CHECK_FAIL, "11.4.0"},
		{"compiler.gcc=null", "compiler.gcc >= 12", CHECK_FAIL, "absent"},
		{"compiler.gcc=null", "compiler.gcc absent", CHECK_PASS, NULL},
		{"compiler.gcc=12.2.0", "compiler.gcc present", CHECK_PASS, NULL},
		{"os.name=Linux", "compiler.gcc >= 12", CHECK_UNDECIDED, "not known"},
		{"compiler.gcc=12.2.0", "compiler.gcc>=12", CHECK_PASS, NULL},
		{"runtime.go=go1.22.1", "runtime.go < go1.23", CHECK_PASS, NULL},
		{"runtime.go=go1.22.1", "runtime.go >= 1.23", CHECK_FAIL, NULL},
		/* == with a scheme compares versions: the local version is not part of it */
		{"os.kernel.release=5.4.1-arch1-1", "os.kernel.release == 5.4.1", CHECK_PASS, NULL},
		{"os.kernel.release=5.4.1-arch1-1", "os.kernel.release >= 5.10", CHECK_FAIL, NULL},
		{"os.kernel.release=garbage", "os.kernel.release >= 5.10", CHECK_UNDECIDED, "garbage"},
		/* bools, numbers, lists, text */
		{"runtime.ruby.yjit=true", "runtime.ruby.yjit == true", CHECK_PASS, "true"},
		{"runtime.ruby.yjit=false", "runtime.ruby.yjit == true", CHECK_FAIL, "false"},
		{"runtime.ruby.yjit=false", "runtime.ruby.yjit != true", CHECK_PASS, NULL},
		{"cpu.family=#6", "cpu.family == 6", CHECK_PASS, "6"},
		{"cpu.model=#158", "cpu.model >= 142", CHECK_PASS, NULL},
		{"cpu.model=#158", "cpu.model < 142", CHECK_FAIL, NULL},
		{"cpu.flags=[sse2,avx]", "cpu.flags contains avx2", CHECK_FAIL, "no avx2"},
		{"cpu.flags=[sse2,avx2]", "cpu.flags contains avx2", CHECK_PASS, "has avx2"},
		{"cpu.flags=[sse2,avx2]", "cpu.flags !contains avx512f", CHECK_PASS, NULL},
		{"os.distro.id=arch", "os.distro.id in debian, ubuntu", CHECK_FAIL, "arch"},
		{"os.distro.id=ubuntu", "os.distro.id in debian, ubuntu", CHECK_PASS, NULL},
		{"os.distro.name=Arch Linux", "os.distro.name == \\\"Arch Linux\\\"", CHECK_PASS, NULL},
		{"os.distro.name=Arch Linux", "os.distro.name matches Arch*", CHECK_PASS, NULL},
		{"os.distro.name=Arch Linux", "os.distro.id == arch", CHECK_UNDECIDED, NULL},
		{"os.distro.version_id=20.04", "os.distro.version_id >= 22.04", CHECK_FAIL, NULL},
	};
	(void)state;
	ROWS(rows);
}

/* A profile check and a KB condition on the same fact agree, because
 * both are the one SQL expression (MATCH_COND_OUTCOME_SQL). */
static void same_logic_as_kb(void **state)
{
	static const char *const versions[] = {"8.3.0", "9", "9.2.0", "10.1", "x"};

	(void)state;
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		char spec[256];
		struct check *v;
		size_t n;
		struct finding *f;
		size_t nf;
		const char *kb_outcome = NULL;
		snprintf(spec, sizeof(spec), "os.name=Linux;cpu.arch=x86_64;os.kernel.compiler_version=%s", versions[i]);
		struct kb *kb = judge(spec, "{\"require\": [\"os.kernel.compiler_version >= 9\"]}", &v, &n);
		assert_int_equal(match_findings(kb, "linux-sigframe-avx-corruption", &f, &nf, NULL), STATUS_OK);
		for (size_t k = 0; k < f[0].nev; k++)
			if (!strcmp(f[0].ev[k].fact, "os.kernel.compiler_version"))
				kb_outcome = f[0].ev[k].outcome;
		assert_non_null(kb_outcome);
		assert_string_equal(kb_outcome, v[0].outcome == CHECK_PASS   ? "met"
						: v[0].outcome == CHECK_FAIL ? "not_met"
									     : "unknown");
		match_findings_free(f, nf);
		done(kb, v, n);
	}
}

#define ARCH_KERNEL                                                            \
	"os.name=Linux;cpu.arch=x86_64;cpu.flags=[sse2,avx,avx2];os.kernel.compiler=gcc;"           \
	"os.kernel.compiler_version=9.2.0;os.kernel.release=5.4.1-arch1-1;os.kernel.distro=null;" \
	"project.packages=[]"
#define ARCH ARCH_KERNEL ";os.kernel.implementation=linux"

static void entries_and_probes(void **state)
{
	struct check *v;
	size_t n;
	/* Which kernel answers as Linux is not known: Asterinas stays possible. */
	struct kb *kb = judge(ARCH_KERNEL ";probe.mmap-fixed.status=crashed",
			      "{\"require\": [{\"entry\": \"linux-sigframe-avx-corruption\"},"
			      " {\"entry\": \"macos-m4-sptm-jit-panic\"},"
			      " {\"entry\": \"asterinas-vmar-alloc-assert\", \"fix\": [\"echo ours\"]},"
			      " {\"probe\": \"ymm-signal\"}, {\"probe\": \"mmap-fixed\", \"required\": false}]}",
			      &v, &n);

	(void)state;
	assert_int_equal(n, 5);
	assert_int_equal(v[0].outcome, CHECK_FAIL);
	assert_int_equal(check_mark(&v[0]), MARK_FAIL);
	assert_string_equal(v[0].state, "affected");
	assert_string_equal(v[0].fix_source, "kb");
	assert_true(v[0].nfix >= 2);
	assert_string_equal(v[0].fix[1].commands[0], "ulimit -l 65536");
	assert_non_null(strstr(v[0].detail, "5.4.1-arch1-1 is in the affected range"));
	assert_int_equal(v[1].outcome, CHECK_PASS);
	assert_string_equal(v[1].state, "not affected");
	assert_non_null(v[1].why); /* the KB summary */
	/* Asterinas' version is never known on Linux: unknown, the probe decides. */
	assert_int_equal(v[2].outcome, CHECK_UNDECIDED);
	assert_int_equal(check_mark(&v[2]), MARK_WARN);
	assert_string_equal(v[2].fix_source, "profile");
	assert_string_equal(v[2].fix[0].commands[0], "echo ours");
	assert_non_null(strstr(v[2].decide, "mmap-fixed"));
	assert_int_equal(v[3].outcome, CHECK_UNDECIDED);
	assert_string_equal(v[3].state, "not run");
	assert_int_equal(v[4].outcome, CHECK_UNDECIDED);
	assert_string_equal(v[4].state, "crashed");
	assert_int_equal(checklist_status(v, n), CHECKS_NOT_READY);
	done(kb, v, n);
}

static void probe_results(void **state)
{
	static const char profile[] = "{\"require\": [{\"probe\": \"ymm-signal\"}]}";
	static const struct {
		const char *status;
		enum check_outcome want;
	} rows[] = {
		{"pass", CHECK_PASS}, {"not_applicable", CHECK_PASS}, {"fail", CHECK_FAIL},
		{"refused", CHECK_UNDECIDED}, {"timeout", CHECK_UNDECIDED},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char spec[256];
		struct check *v;
		size_t n;
		snprintf(spec, sizeof(spec), "os.name=Linux;probe.ymm-signal.status=%s;probe.ymm-signal.summary=words",
			 rows[i].status);
		struct kb *kb = judge(spec, profile, &v, &n);
		assert_int_equal(v[0].outcome, rows[i].want);
		assert_string_equal(v[0].detail, "words");
		/* The fix of a failing probe: the workarounds of the bug it reproduces. */
		assert_string_equal(v[0].fix_source, "kb");
		done(kb, v, n);
	}
}

static void required_advisory_unknown(void **state)
{
	struct check *v;
	size_t n;
	struct kb *kb;

	(void)state;
	/* An advisory failure warns; the list is ready. */
	kb = judge("compiler.gcc=11.1.0", "{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"required\": false}]}",
		   &v, &n);
	assert_int_equal(check_mark(&v[0]), MARK_WARN);
	assert_int_equal(checklist_status(v, n), CHECKS_READY);
	done(kb, v, n);
	/* A required item not decided: the list is undecided. */
	kb = judge("os.name=Linux", "{\"require\": [\"compiler.gcc >= 12\"]}", &v, &n);
	assert_int_equal(checklist_status(v, n), CHECKS_UNDECIDED);
	assert_non_null(strstr(v[0].decide, "compiler.gcc"));
	done(kb, v, n);
	/* "unknown": "fail" makes an undecided entry a failure. */
	kb = judge("os.name=Linux;cpu.arch=x86_64",
		   "{\"require\": [{\"entry\": \"linux-sigframe-avx-corruption\", \"unknown\": \"fail\"}]}", &v, &n);
	assert_int_equal(v[0].outcome, CHECK_FAIL);
	assert_string_equal(v[0].state, "unknown");
	assert_int_equal(checklist_status(v, n), CHECKS_NOT_READY);
	done(kb, v, n);
}

static void fixes(void **state)
{
	struct check *v;
	size_t n;
	struct kb *kb;

	(void)state;
	kb = judge("limits.memlock=#8388608", "{\"require\": [\"limits.memlock >= 64 MiB\", \"limits.memlock >= 100000\","
		   " \"limits.memlock == unlimited\", {\"check\": \"compiler.gcc >= 12\", \"fix\": \"apt-get install gcc-12\"},"
		   " \"runtime.ruby.yjit == true\"]}", &v, &n);
	assert_string_equal(v[0].fix_source, "builtin");
	assert_string_equal(v[0].fix[0].commands[0], "ulimit -Sl 65536");
	assert_string_equal(v[1].fix[0].commands[0], "ulimit -Sl 98"); /* 100000 bytes, rounded up to KiB */
	assert_string_equal(v[2].fix[0].commands[0], "ulimit -Sl unlimited");
	assert_string_equal(v[3].fix_source, "profile");
	assert_int_equal(v[3].fix[0].ncommands, 1);
	assert_string_equal(v[3].fix[0].commands[0], "apt-get install gcc-12");
	assert_string_equal(v[4].fix_source, "none");
	assert_int_equal(v[4].nfix, 0);
	done(kb, v, n);
}

/* The checklist without a profile, for facts from spec. */
static struct kb *judge_default(const char *spec, struct check **v, size_t *n)
{
	struct profile_meta meta;
	struct diag d = {""};
	struct kb *kb = open_with(spec, NULL);

	assert_int_equal(profile_default(kb, &meta, &d), STATUS_OK);
	assert_int_equal(checklist_judge(kb, v, n, &d), STATUS_OK);
	assert_int_equal(*n, meta.nitems);
	return kb;
}

/* Index of the check on subject in v, or -1. */
static int subject_at(const struct check *v, size_t n, const char *subject)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].subject, subject))
			return (int)i;
	return -1;
}

/* None of the checks is on an entry whose id starts with one of prefixes. */
static void none_of(const struct check *v, size_t n, const char *const *prefixes)
{
	for (size_t i = 0; i < n; i++)
		for (const char *const *p = prefixes; *p; p++)
			if (!strncmp(v[i].subject, *p, strlen(*p)))
				fail_msg("%s is listed, but the host rules it out", v[i].subject);
}

static void default_list(void **state)
{
	static const char *const not_arch[] = {"macos-", "spin-", "asterinas-", "jdk-sve-",
					       "ruby-330-aarch64", "rustler-", NULL};
	static const char *const not_arm[] = {"linux-sigframe", "glibc-x86-64", NULL};
	struct check *v;
	size_t n, n_arch;
	struct kb *kb;
	int at;

	(void)state;
	/* Arch's 5.4.1: the Linux entries not ruled out; no Darwin entry, none
	 * for another CPU, no package entry for a project without the package. */
	kb = judge_default(ARCH, &v, &n);
	at = subject_at(v, n, "linux-sigframe-avx-corruption");
	assert_true(at >= 0);
	assert_int_equal(v[at].outcome, CHECK_FAIL);
	assert_true(v[at].required);
	none_of(v, n, not_arch);
	n_arch = n;
	done(kb, v, n);
	/* The package joins the list, failing. */
	kb = judge_default(ARCH ";project.packages=[pkg:cargo/rustler@0.30.0]", &v, &n);
	assert_int_equal(n, n_arch + 1);
	at = subject_at(v, n, "rustler-encode-panic-aborts-beam");
	assert_true(at >= 0);
	assert_int_equal(v[at].outcome, CHECK_FAIL);
	done(kb, v, n);
	/* Little known about the host: only what the architecture rules out
	 * is left out, and nothing is decided. */
	kb = judge_default("cpu.arch=arm64", &v, &n);
	assert_true(n > n_arch);
	none_of(v, n, not_arm);
	assert_true(subject_at(v, n, "macos-m4-sptm-jit-panic") >= 0);
	assert_int_equal(checklist_status(v, n), CHECKS_UNDECIDED);
	done(kb, v, n);
}

static void probes_asked_for(void **state)
{
	char **names;
	size_t n;
	struct profile_meta meta;
	struct diag d = {""};
	struct kb *kb = open_with("os.name=Linux;cpu.arch=x86_64",
				  "{\"run_probes\": true, \"name\": \"team\", \"require\": [{\"probe\": \"jit-fork\"},"
				  " {\"entry\": \"linux-sigframe-avx-corruption\"}, \"probe.codesign.status == pass\","
				  " {\"probe\": \"jit-fork\", \"required\": false}]}");

	(void)state;
	assert_int_equal(profile_load(kb, path, &meta, &d), STATUS_OK);
	assert_true(meta.run_probes);
	assert_string_equal(meta.name, "team");
	assert_int_equal(profile_probes(kb, &names, &n, &d), STATUS_OK);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "jit-fork");
	assert_string_equal(names[1], "ymm-signal"); /* linux-sigframe is unknown: its probe decides */
	assert_string_equal(names[2], "codesign");
	profile_names_free(names, n);
	done(kb, NULL, 0);
}

static void malformed(void **state)
{
	static const struct {
		const char *text, *why;
	} rows[] = {
		{"{\"require\": [", "not valid JSON"},
		{"[\"compiler.gcc >= 12\"]", "not a JSON object"},
		{"{}", "require: must be a non-empty list"},
		{"{\"require\": \"compiler.gcc >= 12\"}", "require: must be a non-empty list"},
		{"{\"requires\": []}", "unknown field \"requires\""},
		{"{\"name\": 1, \"require\": [\"compiler.gcc >= 12\"]}", "name: must be text"},
		{"{\"run_probes\": 1, \"require\": [\"compiler.gcc >= 12\"]}", "run_probes: must be true or false"},
		{"{\"require\": [\"compiler.gcc >= 12\", 7]}", "require[1]: must be a string"},
		{"{\"require\": [\"compiler.gcc >= 12\", \"x.y >= 1\"]}", "require[1]: unknown fact \"x.y\""},
		{"{\"require\": [\"os.name == Linux\", \"cpu.arch == x86_64\", \"compiler.gcc >> 12\"]}",
		 "require[2]: unknown op \">>\""},
		{"{\"require\": [\"compiler.gcc = 12\"]}", "require[0]: unknown op \"=\""},
		{"{\"require\": [\"limits.memlock >= 64 MB\"]}", "\"64 MB\" is not a valid size"},
		{"{\"require\": [\"limits.memlock >= lots\"]}", "\"lots\" is not a valid size"},
		{"{\"require\": [\"compiler.gcc >= 12.x\"]}", "\"12.x\" is not a valid dotted version"},
		{"{\"require\": [\"os.kernel.release >= 5\"]}", "\"5\" is not a valid linux version"},
		{"{\"require\": [\"cpu.model >= x\"]}", "\"x\" is not a whole number"},
		{"{\"require\": [\"runtime.ruby.yjit == yes\"]}", "\"yes\" is not true or false"},
		{"{\"require\": [\"runtime.ruby.yjit >= true\"]}", "\">=\" does not apply to runtime.ruby.yjit"},
		{"{\"require\": [\"cpu.flags == avx\"]}", "\"==\" does not apply to cpu.flags, a list"},
		{"{\"require\": [\"os.distro.id contains a\"]}", "\"contains\" does not apply to os.distro.id"},
		{"{\"require\": [\"os.distro.id >= 12\"]}", "needs a \"scheme\""},
		{"{\"require\": [\"compiler.gcc\"]}", "no op after \"compiler.gcc\""},
		{"{\"require\": [\"compiler.gcc >=\"]}", "\">=\" needs a value"},
		{"{\"require\": [\"compiler.gcc present yes\"]}", "\"present\" takes no value"},
		{"{\"require\": [\"  \"]}", "empty check"},
		{"{\"require\": [\"os.distro.id in a,,b\"]}", "comma-separated list"},
		{"{\"require\": [{\"entry\": \"no-such-entry\"}]}", "require[0]: unknown entry \"no-such-entry\""},
		{"{\"require\": [{\"probe\": \"no-such-probe\"}]}", "require[0]: unknown probe \"no-such-probe\""},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"required\": \"yes\"}]}",
		 "\"required\" must be true or false"},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"fix\": 12}]}", "\"fix\" must be a command"},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"fix\": []}]}", "\"fix\" must be a command"},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"why\": 1}]}", "\"why\" must be text"},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"wyh\": \"x\"}]}", "unknown field \"wyh\""},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"probe\": \"ymm-signal\"}]}", "exactly one of"},
		{"{\"require\": [{\"why\": \"x\"}]}", "exactly one of"},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"unknown\": \"fail\"}]}", "\"unknown\" goes with \"entry\""},
		{"{\"require\": [{\"entry\": \"linux-sigframe-avx-corruption\", \"unknown\": \"maybe\"}]}",
		 "\"unknown\" goes with \"entry\" and is \"fail\" or \"warn\""},
		{"{\"require\": [{\"check\": \"compiler.gcc >= 12\", \"scheme\": \"rpm\"}]}", "unknown scheme \"rpm\""},
		{"{\"require\": [{\"entry\": \"linux-sigframe-avx-corruption\", \"scheme\": \"linux\"}]}",
		 "\"scheme\" goes with \"check\""},
		{"{\"require\": [{\"check\": \"cpu.flags contains avx\", \"scheme\": \"dotted\"}]}",
		 "\"scheme\" does not apply to cpu.flags"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct profile_meta meta;
		struct diag d = {""};
		struct check *v;
		size_t n;
		struct kb *kb = open_with("os.name=Linux", rows[i].text);
		assert_int_equal(profile_load(kb, path, &meta, &d), STATUS_ERR_PROFILE_INVALID);
		if (strncmp(d.msg, path, strlen(path)) != 0 || !strstr(d.msg, rows[i].why))
			fail_msg("%s: \"%s\", want \"%s\"", rows[i].text, d.msg, rows[i].why);
		/* Nothing half-loaded is left behind. */
		assert_int_equal(checklist_judge(kb, &v, &n, &d), STATUS_OK);
		assert_int_equal(n, 0);
		done(kb, v, n);
	}
}

static void unreadable(void **state)
{
	struct profile_meta meta;
	struct diag d = {""};
	struct kb *kb = open_with("os.name=Linux", NULL);

	(void)state;
	assert_int_equal(profile_load(kb, "/nonexistent/.quirk.json", &meta, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "/nonexistent/.quirk.json"));
	kb_close(kb);
}

static void example_profile(void **state)
{
	struct profile_meta meta;
	struct diag d = {""};
	struct check *v;
	size_t n;
	struct kb *kb = open_with(ARCH ";limits.memlock=#8388608;compiler.gcc=12.2.0;runtime.ruby.yjit=false", NULL);

	(void)state;
	if (profile_load(kb, EXAMPLE_PROFILE, &meta, &d) != STATUS_OK)
		fail_msg("%s", d.msg);
	assert_int_equal(checklist_judge(kb, &v, &n, &d), STATUS_OK);
	assert_int_equal(n, meta.nitems);
	assert_true(n >= 5);
	assert_int_equal(checklist_status(v, n), CHECKS_NOT_READY);
	checklist_free(v, n);
	kb_close(kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fact_checks),     cmocka_unit_test(same_logic_as_kb),
		cmocka_unit_test(entries_and_probes), cmocka_unit_test(probe_results),
		cmocka_unit_test(required_advisory_unknown), cmocka_unit_test(fixes),
		cmocka_unit_test(default_list),    cmocka_unit_test(probes_asked_for),
		cmocka_unit_test(malformed),       cmocka_unit_test(unreadable),
		cmocka_unit_test(example_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
