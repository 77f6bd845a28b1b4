/* test_osv.c - foreign OSV records (real GitHub and Ubuntu advisories):
 * CVSS scores, ecosystems, the translation into quirk's tables, verdicts
 * through the overlay, and imports that must fail or change nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <unistd.h>

#include "db/kb_compile.h"
#include "db/osv.h"
#include "db/overlay.h"
#include "judge.h"

#define REGEX "osv/GHSA-m5pq-gvj9-9vr8.json"   /* crates.io regex < 1.5.5 */
#define RACK "osv/GHSA-22f2-v57c-j9cx.json"    /* RubyGems rack, two lines */
#define XNET "osv/GHSA-2wrh-6pvc-2jm9.json"    /* Go golang.org/x/net < 0.13.0 */
#define GRPC "osv/GHSA-m425-mq94-257g.json"    /* Go grpc, three lines */
#define USN "osv/USN-6450-1.json"              /* Ubuntu 22.04 openssl */

static void cvss_scores(void **state)
{
	static const struct {
		const char *vector;
		double score;
	} rows[] = {
		/* The records' own vectors, against GitHub's rating of them. */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5}, /* GHSA-m5pq: HIGH */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3}, /* GHSA-22f2: MODERATE */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1}, /* GHSA-2wrh: MODERATE */
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N", 5.9}, /* CVE-2023-48795 (Terrapin) */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:P/RL:O", 7.5}, /* temporal metrics: base only */
	};
	static const char *const bad[] = {
		"CVSS:2.0/AV:N/AC:L/Au:N/C:N/I:N/A:P", "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
		"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", NULL,
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double s = -1;
		if (!osv_cvss3_score(rows[i].vector, &s) || s < rows[i].score - 1e-9 || s > rows[i].score + 1e-9)
			fail_msg("%s: %.1f, want %.1f", rows[i].vector, s, rows[i].score);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double s;
		if (osv_cvss3_score(bad[i], &s))
			fail_msg("%s: scored %.1f", bad[i] ? bad[i] : "NULL", s);
	}
}

static char *sql1(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	char *out = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		out = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return out ? out : strdup("(null)");
}

#define ASSERT_SQL(db, sql, want)                                                  \
	do {                                                                       \
		char *got_ = sql1(db, sql);                                        \
		if (strcmp(got_, want))                                            \
			fail_msg("%s\n  got  %s\n  want %s", sql, got_, want);    \
		free(got_);                                                        \
	} while (0)

static void ecosystems(void **state)
{
	sqlite3 *db;
	struct diag d = {""};

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(kb_schema_create(db, &d), STATUS_OK);
	ASSERT_SQL(db, "SELECT osv_eco('crates.io', 'purl') || osv_eco('RubyGems', 'scheme')", "pkg:cargo/gem");
	ASSERT_SQL(db, "SELECT osv_eco('Go', 'purl') || ' ' || osv_eco('Hex', 'purl')", "pkg:golang/ pkg:hex/");
	ASSERT_SQL(db, "SELECT osv_eco('Debian:12', 'release') || ' ' || osv_eco('Debian:12', 'scheme')", "12 dpkg");
	ASSERT_SQL(db, "SELECT osv_eco('Ubuntu:22.04:LTS', 'release')", "22.04");
	ASSERT_SQL(db, "SELECT osv_eco('Ubuntu:Pro:18.04:LTS', 'release')", "18.04");
	ASSERT_SQL(db, "SELECT osv_eco('Ubuntu:24.10', 'when')",
		   "[{\"fact\":\"os.distro.id\",\"value\":\"ubuntu\"},{\"fact\":\"os.distro.version_id\",\"value\":\"24.10\"}]");
	/* Not matchable: no release, other ecosystems, other spellings. */
	ASSERT_SQL(db, "SELECT quote(osv_eco('Debian', 'purl')) || quote(osv_eco('PyPI', 'purl'))"
		       " || quote(osv_eco('crates', 'purl')) || quote(osv_eco('Ubuntu:Pro', 'purl'))", "NULLNULLNULLNULL");
	sqlite3_close(db);
}

/* Compiles a fixture record into a fresh KB; the caller closes db. */
static sqlite3 *compiled(const char *rel, char **notes)
{
	sqlite3 *db;
	struct diag d = {""};
	char *text = fixture(rel);
	struct kb_record r = {.doc = text, .name = rel, .where = rel};

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	struct kb_compiler *c;

	assert_int_equal(kb_schema_create(db, &d), STATUS_OK);
	assert_int_equal(kb_compiler_new(db, &c, &d), STATUS_OK);
	if (kb_compile_record(c, &r, notes, &d) != STATUS_OK)
		fail_msg("%s: %s", rel, d.msg);
	kb_compiler_free(c);
	free(text);
	return db;
}

static void translations(void **state)
{
	sqlite3 *db;
	char *notes = NULL;

	(void)state;
	db = compiled(REGEX, &notes);
	ASSERT_SQL(db, "SELECT id || ' ' || severity || ' ' || component || ' ' || quote(inactive) FROM entry",
		   "GHSA-m5pq-gvj9-9vr8 high library NULL");
	ASSERT_SQL(db, "SELECT group_concat(fact || ' ' || scheme || ' ' || purl, '; ') FROM vgroup",
		   "project.packages semver pkg:cargo/regex");
	ASSERT_SQL(db, "SELECT group_concat(quote(lo) || '..' || hi, '; ') FROM vrange", "NULL..1.5.5");
	ASSERT_SQL(db, "SELECT text || ' ' || commands FROM workaround",
		   "Upgrade regex to 1.5.5 or later. [\"cargo update -p regex\"]");
	ASSERT_SQL(db, "SELECT count(*) || ' ' || min(url) FROM ref", "7 https://github.com/rust-lang/regex/");
	/* The record as it came is what export writes back. */
	ASSERT_SQL(db, "SELECT doc->>'$.database_specific.cwe_ids[0]' FROM entry", "CWE-400");
	ASSERT_SQL(db, "SELECT instr(details, 'Aliases: CVE-2022-24713.') > 0 AND instr(details,"
		       " 'Severity: high, from the record''s database_specific.severity (HIGH).') > 0 FROM entry", "1");
	assert_string_equal(notes, "[]");
	free(notes);
	sqlite3_close(db);

	db = compiled(RACK, NULL);
	ASSERT_SQL(db, "SELECT severity FROM entry", "medium");
	ASSERT_SQL(db, "SELECT group_concat(scheme || ' ' || purl, '; ') FROM vgroup", "gem pkg:gem/rack; gem pkg:gem/rack");
	ASSERT_SQL(db, "SELECT group_concat(grp || ':' || lo || '..' || hi, '; ') FROM vrange",
		   "0:3.0.0..3.0.9.1; 1:0.4..2.2.8.1");
	ASSERT_SQL(db, "SELECT text FROM workaround",
		   "Upgrade rack to a fixed version (3.0.9.1, 2.2.8.1, each fixing its own release line).");
	sqlite3_close(db);

	db = compiled(XNET, NULL);
	ASSERT_SQL(db, "SELECT severity || ' ' || (SELECT purl FROM vgroup) FROM entry", "medium pkg:golang/golang.org/x/net");
	ASSERT_SQL(db, "SELECT commands FROM workaround", "[\"go get golang.org/x/net@v0.13.0\"]");
	sqlite3_close(db);

	/* Ubuntu: a release precondition, the dpkg scheme, the listed
	 * versions as single-version intervals, no severity of its own. */
	db = compiled(USN, NULL);
	ASSERT_SQL(db, "SELECT severity || ' ' || component FROM entry", "unrated package");
	ASSERT_SQL(db, "SELECT group_concat(grp || ' ' || scheme || ' ' || purl, '; ') FROM vgroup",
		   "0 dpkg pkg:deb/ubuntu/openssl; 1 dpkg pkg:deb/ubuntu/openssl");
	ASSERT_SQL(db, "SELECT group_concat(fact || ' ' || op || ' ' || (value ->> '$'), ', ') FROM vgroup_when WHERE grp = 0",
		   "os.distro.id eq ubuntu, os.distro.version_id eq 22.04");
	ASSERT_SQL(db, "SELECT count(*) FROM vrange WHERE grp = 1 AND lo = hi AND hi_incl", "13");
	ASSERT_SQL(db, "SELECT instr(details, 'Severity: unrated, from none') > 0 FROM entry", "1");
	ASSERT_SQL(db, "SELECT text FROM workaround", "Upgrade the packages built from the openssl source package"
		   " (Ubuntu 22.04 LTS) to 3.0.2-0ubuntu1.12 or later.");
	sqlite3_close(db);
}

/* An overlay in a scratch directory, merged over the built-in KB. */
struct env {
	char dir[64], path[128];
	struct kb *kb;
};

static enum status import(struct env *e, const char *const *rels, size_t n, struct overlay_report *rep,
			  struct diag *d)
{
	char paths[8][4096];
	const char *files[8];
	struct kb *base;
	enum status st;

	assert_true(n <= 8);
	for (size_t i = 0; i < n; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s%s%s", rels[i][0] == '/' ? "" : FIXTURES,
			 rels[i][0] == '/' ? "" : "/", rels[i]);
		files[i] = paths[i];
	}
	assert_int_equal(kb_open(&base, NULL, d), STATUS_OK);
	st = overlay_import(e->path, base, "built-in", files, n, rep, d);
	kb_close(base);
	return st;
}

static void env_open(struct env *e)
{
	struct diag d = {""};

	snprintf(e->dir, sizeof(e->dir), "/tmp/quirk-osv-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->path, sizeof(e->path), "%s/quirk/overlay.sqlite", e->dir);
	e->kb = NULL;
	(void)d;
}

static void env_merge(struct env *e)
{
	struct diag d = {""};

	kb_close(e->kb);
	assert_int_equal(kb_open(&e->kb, NULL, &d), STATUS_OK);
	if (overlay_attach(e->kb, e->path, "built-in", &d) != STATUS_OK)
		fail_msg("attach: %s", d.msg);
}

static void env_close(struct env *e)
{
	char cmd[200];

	kb_close(e->kb);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
}

static void verdicts(void **state)
{
	static const char *const all[] = {REGEX, RACK, XNET, GRPC, USN};
	static const struct {
		const char *id, *spec;
		enum verdict want;
	} rows[] = {
		{"GHSA-m5pq-gvj9-9vr8", "project.packages=[pkg:cargo/regex@1.5.4]", VERDICT_AFFECTED},
		{"GHSA-m5pq-gvj9-9vr8", "project.packages=[pkg:cargo/regex@1.5.5]", VERDICT_NOT_AFFECTED},
		{"GHSA-m5pq-gvj9-9vr8", "project.packages=[pkg:cargo/regex-syntax@0.6.25]", VERDICT_NOT_AFFECTED},
		{"GHSA-m5pq-gvj9-9vr8", "os.name=Linux", VERDICT_UNKNOWN},
		{"GHSA-22f2-v57c-j9cx", "project.packages=[pkg:gem/rack@2.2.6.3]", VERDICT_AFFECTED},
		{"GHSA-22f2-v57c-j9cx", "project.packages=[pkg:gem/rack@2.2.8.1]", VERDICT_NOT_AFFECTED},
		{"GHSA-22f2-v57c-j9cx", "project.packages=[pkg:gem/rack@3.0.9]", VERDICT_AFFECTED},
		{"GHSA-22f2-v57c-j9cx", "project.packages=[pkg:gem/rack@3.0.9.1]", VERDICT_NOT_AFFECTED},
		{"GHSA-22f2-v57c-j9cx", "project.packages=[pkg:gem/rack@3.2.4]", VERDICT_NOT_AFFECTED},
		{"GHSA-22f2-v57c-j9cx", "project.packages=[pkg:gem/rack@0.3]", VERDICT_NOT_AFFECTED},
		{"GHSA-2wrh-6pvc-2jm9", "project.packages=[pkg:golang/golang.org/x/net@v0.10.0]", VERDICT_AFFECTED},
		{"GHSA-2wrh-6pvc-2jm9", "project.packages=[pkg:golang/golang.org/x/net@v0.13.0]", VERDICT_NOT_AFFECTED},
		{"GHSA-m425-mq94-257g", "project.packages=[pkg:golang/google.golang.org/grpc@v1.56.3]", VERDICT_NOT_AFFECTED},
		{"GHSA-m425-mq94-257g", "project.packages=[pkg:golang/google.golang.org/grpc@v1.57.0]", VERDICT_AFFECTED},
		{"GHSA-m425-mq94-257g", "project.packages=[pkg:golang/google.golang.org/grpc@v1.58.3]", VERDICT_NOT_AFFECTED},
		{"USN-6450-1", "os.distro.id=ubuntu;os.distro.version_id=22.04;"
			       "os.packages=[pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10]", VERDICT_AFFECTED},
		{"USN-6450-1", "os.distro.id=ubuntu;os.distro.version_id=22.04;"
			       "os.packages=[pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.12]", VERDICT_NOT_AFFECTED},
		/* Another release, or another distribution: the record does not apply. */
		{"USN-6450-1", "os.distro.id=ubuntu;os.distro.version_id=20.04;"
			       "os.packages=[pkg:deb/ubuntu/openssl@1.1.1f-1ubuntu2]", VERDICT_NOT_AFFECTED},
		{"USN-6450-1", "os.distro.id=debian;os.distro.version_id=12;"
			       "os.packages=[pkg:deb/debian/openssl@3.0.2-0ubuntu1.10]", VERDICT_NOT_AFFECTED},
		{"USN-6450-1", "os.distro.id=ubuntu;os.distro.version_id=22.04", VERDICT_UNKNOWN},
		{"USN-6450-1", "os.packages=[pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10]", VERDICT_UNKNOWN},
	};
	struct env e;
	struct overlay_report rep;
	struct diag d = {""};

	(void)state;
	env_open(&e);
	if (import(&e, all, 5, &rep, &d) != STATUS_OK)
		fail_msg("import: %s", d.msg);
	assert_int_equal(rep.added, 5);
	assert_true(rep.written);
	overlay_report_free(&rep);
	env_merge(&e);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum verdict v = judge(e.kb, rows[i].id, rows[i].spec, NULL);
		if (v != rows[i].want)
			fail_msg("%s: %s\n  got %s, want %s", rows[i].id, rows[i].spec, verdict_name(v),
				 verdict_name(rows[i].want));
	}
	env_close(&e);
}

/* Writes text to DIR/name; returns the path (static buffer). */
static const char *scratch(const struct env *e, const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", e->dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len;

	assert_int_equal(fileio_read(path, 1 << 26, &text, &len, NULL), STATUS_OK);
	return text;
}

static void rejects(void **state)
{
	static const struct {
		const char *text, *why;
	} rows[] = {
		{"{not json", "bad.json: not valid JSON"},
		{"42", "not an OSV record, a list of records"},
		{"[{\"modified\": \"2024-01-01T00:00:00Z\"}]", "bad.json: record 0: id: required text"},
		{"{\"id\": \"X-1\", \"modified\": \"yesterday\"}", "bad.json: X-1: modified: required RFC 3339 time"},
		{"{\"vulns\": [{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\":"
		 " {\"ecosystem\": \"crates.io\", \"name\": \"x\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": []}]}]}]}",
		 "record 0 X-1: affected[0].ranges[0]: events must be a non-empty list"},
		{"[{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\":"
		 " {\"ecosystem\": \"RubyGems\", \"name\": \"x\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\":"
		 " [{\"introduced\": \"0\"}, {\"fixed\": \"v1.0\"}]}]}]}]",
		 "record 0 X-1: affected[0].ranges[0]: \"v1.0\" is not a valid gem version (RubyGems)"},
		{"{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\":"
		 " {\"ecosystem\": \"Go\", \"name\": \"x\"}, \"ranges\": [{\"type\": \"SEMVER\", \"events\":"
		 " [{\"introduced\": \"0\"}, {\"limit\": \"1.0.0\"}]}]}]}", "\"limit\" events are only understood in GIT ranges"},
		{"{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\":"
		 " {\"ecosystem\": \"Debian:12\", \"name\": \"x\"}, \"versions\": [\"1.0-1\", 2]}]}", "versions[1]: must be a string"},
		{"{\"id\": \"X 1\", \"modified\": \"2024-01-01T00:00:00Z\"}", "id: required text of letters"},
	};
	static const char *const regex[] = {REGEX};
	struct env e;
	struct overlay_report rep;
	struct diag d = {""};
	char *before, *after;

	(void)state;
	env_open(&e);
	assert_int_equal(import(&e, regex, 1, &rep, &d), STATUS_OK);
	overlay_report_free(&rep);
	before = slurp(e.path);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		/* A valid record first: it must not be kept either. */
		const char *files[] = {RACK, scratch(&e, "bad.json", rows[i].text)};
		d.msg[0] = '\0';
		enum status st = import(&e, files, 2, &rep, &d);
		overlay_report_free(&rep);
		if ((st != STATUS_ERR_KB_INVALID && st != STATUS_ERR_DB) || !strstr(d.msg, rows[i].why))
			fail_msg("case %zu: status %d, \"%s\", want \"%s\"", i, st, d.msg, rows[i].why);
		after = slurp(e.path);
		assert_memory_equal(before, after, strlen(before) + 1);
		free(after);
	}
	free(before);
	env_close(&e);
}

static void decisions(void **state)
{
	static const char *const regex[] = {REGEX};
	struct env e;
	struct overlay_report rep;
	struct diag d = {""};
	char *text = fixture(REGEX), *older, *newer, *gone, *p;
	const char *files[1];

	(void)state;
	env_open(&e);
	assert_int_equal(import(&e, regex, 1, &rep, &d), STATUS_OK);
	overlay_report_free(&rep);
	/* The same record again: unchanged, the file not rewritten. */
	assert_int_equal(import(&e, regex, 1, &rep, &d), STATUS_OK);
	assert_int_equal(rep.unchanged, 1);
	assert_false(rep.written);
	assert_non_null(strstr(rep.lines[0], "unchanged"));
	overlay_report_free(&rep);
	/* Older: kept; newer: replaced; newer and withdrawn: no finding. */
	older = strdup(text);
	memcpy(strstr(older, "2022-03-11T19:58:44Z"), "2022-03-10", 10);
	files[0] = scratch(&e, "older.json", older);
	assert_int_equal(import(&e, files, 1, &rep, &d), STATUS_OK);
	assert_int_equal(rep.kept, 1);
	assert_non_null(strstr(rep.lines[0], "the stored record is newer (modified 2022-03-11T19:58:44Z)"));
	overlay_report_free(&rep);
	newer = strdup(text);
	memcpy(strstr(newer, "2022-03-11T19:58:44Z"), "2023-01-01", 10);
	files[0] = scratch(&e, "newer.json", newer);
	assert_int_equal(import(&e, files, 1, &rep, &d), STATUS_OK);
	assert_int_equal(rep.replaced, 1);
	overlay_report_free(&rep);
	gone = malloc(strlen(newer) + 64);
	p = strstr(newer, "\"published\"");
	sprintf(gone, "%.*s\"withdrawn\": \"2023-06-01T00:00:00Z\",\n  %s", (int)(p - newer), newer, p);
	memcpy(strstr(gone, "2023-01-01T"), "2023-06-01", 10);
	files[0] = scratch(&e, "withdrawn.json", gone);
	assert_int_equal(import(&e, files, 1, &rep, &d), STATUS_OK);
	assert_int_equal(rep.replaced, 1);
	assert_int_equal(rep.inactive, 1);
	overlay_report_free(&rep);
	env_merge(&e);
	{
		struct facts f;
		struct finding *v;
		size_t n;
		facts_init(&f);
		facts_from_spec(&f, "project.packages=[pkg:cargo/regex@1.5.4]");
		assert_int_equal(kb_set_facts(e.kb, &f, &d), STATUS_OK);
		assert_int_equal(match_run(e.kb, &d), STATUS_OK);
		assert_int_equal(match_findings(e.kb, "GHSA-m5pq-gvj9-9vr8", &v, &n, &d), STATUS_OK);
		assert_int_equal(n, 0);
		facts_free(&f);
	}
	free(text);
	free(older);
	free(newer);
	free(gone);
	env_close(&e);
}

static void corrupt_overlay(void **state)
{
	static const char *const regex[] = {REGEX};
	struct env e;
	struct overlay_report rep;
	struct diag d = {""};
	struct kb *kb;

	(void)state;
	env_open(&e);
	assert_int_equal(import(&e, regex, 1, &rep, &d), STATUS_OK);
	overlay_report_free(&rep);
	scratch(&e, "quirk/overlay.sqlite", "SQLite format 3\nthis is not a database at all, just text\n");
	assert_int_equal(kb_open(&kb, NULL, &d), STATUS_OK);
	assert_int_not_equal(overlay_attach(kb, e.path, "built-in", &d), STATUS_OK);
	assert_non_null(strstr(d.msg, e.path));
	kb_close(kb);
	d.msg[0] = '\0';
	assert_int_equal(import(&e, regex, 1, &rep, &d), STATUS_ERR_DB);
	assert_non_null(strstr(d.msg, e.path));
	overlay_report_free(&rep);
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cvss_scores), cmocka_unit_test(ecosystems), cmocka_unit_test(translations),
		cmocka_unit_test(verdicts),    cmocka_unit_test(rejects),    cmocka_unit_test(decisions),
		cmocka_unit_test(corrupt_overlay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
