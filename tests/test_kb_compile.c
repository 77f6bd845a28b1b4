/* test_kb_compile.c - the KB build rejects bad entries, naming the file
 * and the reason; a good entry's ranges fold into intervals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <unistd.h>

#include "db/kb_compile.h"
#include "helpers.h"

/* A valid entry; cases below break one thing in it. */
#define GOOD_HEAD "{\"id\": \"x-entry\", \"modified\": \"2026-11-23T00:00:00Z\", \"summary\": \"s\", \"details\": \"d\","
#define GOOD_REFS "\"references\": [{\"type\": \"FIX\", \"url\": \"https://example.org/fix\"}],"
#define GOOD_DS(conds) "\"database_specific\": {\"component\": \"kernel\", \"severity\": \"high\", \"verified\": \"2026-11-23\"," \
	" \"conditions\": " conds ", \"symptoms\": [\"boom\"], \"workarounds\": [{\"text\": \"upgrade\", \"commands\": [\"true\"]}]}"
#define COND_OK "[{\"fact\": \"os.name\", \"op\": \"eq\", \"value\": \"Linux\"}]"
#define AFF(events, ds) "\"affected\": [{\"package\": {\"ecosystem\": \"Linux\", \"name\": \"k\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\"," \
	" \"events\": " events "}], \"database_specific\": " ds "}],"
#define KERNEL_DS "{\"fact\": \"os.kernel.release\", \"scheme\": \"linux\"}"

static enum status compile_text(const char *name, const char *text, struct diag *d, sqlite3 **keep)
{
	char dir[] = "/tmp/quirk-kb-XXXXXX", path[4200];
	const char *files[1] = {path};
	sqlite3 *db;
	enum status st;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	st = kb_compile(db, files, 1, d);
	unlink(path);
	rmdir(dir);
	if (keep)
		*keep = db;
	else
		sqlite3_close(db);
	return st;
}

static void rejects(void **state)
{
	static const struct {
		const char *name, *text, *why;
	} rows[] = {
		{"x-entry.json", "{not json", "not valid JSON"},
		{"x-entry.json", "[1, 2]", "not a JSON object"},
		{"other.json", GOOD_HEAD GOOD_REFS GOOD_DS(COND_OK) "}", "does not match the file name"},
		{"x-entry.json", GOOD_HEAD "\"references\": []," GOOD_DS(COND_OK) "}", "at least one primary source"},
		{"x-entry.json", GOOD_HEAD GOOD_DS(COND_OK) "}", "at least one primary source"},
		{"x-entry.json", GOOD_HEAD "\"references\": [{\"type\": \"FIX\", \"url\": \"http://insecure\"}]," GOOD_DS(COND_OK) "}",
		 "https"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS GOOD_DS("[{\"fact\": \"os.nmae\", \"op\": \"eq\", \"value\": \"Linux\"}]") "}",
		 "unknown fact \"os.nmae\""},
		{"x-entry.json", GOOD_HEAD GOOD_REFS GOOD_DS("[{\"fact\": \"os.name\", \"op\": \"equals\", \"value\": \"Linux\"}]") "}",
		 "unknown op"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS GOOD_DS("[{\"fact\": \"compiler.gcc\", \"op\": \"ge\", \"value\": \"9\"}]") "}",
		 "needs a \"scheme\""},
		{"x-entry.json", GOOD_HEAD GOOD_REFS GOOD_DS("[{\"fact\": \"compiler.gcc\", \"op\": \"ge\", \"value\": \"nine\", \"scheme\": \"dotted\"}]") "}",
		 "\"nine\" is not a valid dotted version"},
		/* With a scheme eq compares versions: the value must be one. */
		{"x-entry.json", GOOD_HEAD GOOD_REFS GOOD_DS("[{\"fact\": \"compiler.gcc\", \"op\": \"eq\", \"value\": \"nine\", \"scheme\": \"dotted\"}]") "}",
		 "\"nine\" is not a valid dotted version"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS GOOD_DS("[{\"fact\": \"compiler.gcc\", \"op\": \"ne\", \"value\": \"9\", \"scheme\": \"rpm\"}]") "}",
		 "needs a \"scheme\""},
		{"x-entry.json", GOOD_HEAD GOOD_REFS AFF("[{\"introduced\": \"5.2\"}, {\"fixed\": \"five\"}]", KERNEL_DS) GOOD_DS(COND_OK) "}",
		 "\"five\" is not a valid linux version"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS AFF("[{\"introduced\": \"5.2\"}]", "{\"fact\": \"os.kernel.release\"}") GOOD_DS(COND_OK) "}",
		 "need database_specific.scheme"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS AFF("[{\"introduced\": \"5.2\"}]", "{\"fact\": \"kernel\", \"scheme\": \"linux\"}") GOOD_DS(COND_OK) "}",
		 "is not a known fact"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS GOOD_DS("[]") "}", "every host would be affected"},
		/* The group's bounds would be ordered as semver, the second
		 * range's as Linux releases. */
		{"x-entry.json", GOOD_HEAD GOOD_REFS "\"affected\": [{\"package\": {\"ecosystem\": \"Linux\", \"name\": \"k\"},"
		 " \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"5.2.0\"}]}, {\"type\": \"ECOSYSTEM\","
		 " \"events\": [{\"introduced\": \"5.4.0-rc1\"}]}], \"database_specific\": " KERNEL_DS "}]," GOOD_DS(COND_OK) "}",
		 "SEMVER ranges cannot share a package"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS "\"database_specific\": {\"component\": \"k\", \"severity\": \"urgent\"}}",
		 "severity"},
		{"x-entry.json", GOOD_HEAD GOOD_REFS "\"databse_specific\": {}}", "unknown field \"databse_specific\""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct diag d = {""};
		enum status st = compile_text(rows[i].name, rows[i].text, &d, NULL);
		if (st != STATUS_ERR_KB_INVALID || !strstr(d.msg, rows[i].why) || !strstr(d.msg, rows[i].name))
			fail_msg("case %zu: status %d, message \"%s\", want \"%s\"", i, st, d.msg, rows[i].why);
	}
}

/* The folded intervals "lo..hi" in order ("-" for none, "]" after a hi
 * that is affected itself); closes db. */
static void intervals(sqlite3 *db, char *got, size_t n)
{
	sqlite3_stmt *q;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(ifnull(lo,'-') || '..' || ifnull(hi,'-')"
					    " || CASE WHEN hi_incl THEN ']' ELSE '' END, ' ')"
					    " FROM (SELECT * FROM vrange ORDER BY rowid)", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	snprintf(got, n, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
}

#define DOTTED_DS "{\"fact\": \"tool.criu\", \"scheme\": \"dotted\"}"

static void folds_ranges(void **state)
{
	static const struct {
		const char *affected, *want;
	} rows[] = {
		/* Events out of order, as OSV allows: sorted by version before folding. */
		{AFF("[{\"fixed\": \"5.4.2\"}, {\"introduced\": \"5.4\"}, {\"introduced\": \"5.2\"},"
		     " {\"fixed\": \"5.3.15\"}, {\"introduced\": \"6.1\"}]", KERNEL_DS),
		 "5.2..5.3.15 5.4..5.4.2 6.1..-"},
		/* Two ranges of one package affect what either affects: each is
		 * folded on its own, so the fix of the first does not end the
		 * second's span. */
		{"\"affected\": [{\"package\": {\"ecosystem\": \"Linux\", \"name\": \"k\"}, \"ranges\": ["
		 "{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"5.2\"}, {\"fixed\": \"5.5\"}]},"
		 " {\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"5.4\"}, {\"fixed\": \"6.1\"}]}],"
		 " \"database_specific\": " KERNEL_DS "}],",
		 "5.2..5.5 5.4..6.1"},
		/* Only "introduced": "0" means from the first version; a fix at 0
		 * is a version (0.0 in dotted), so it closes what 0.0 opens. */
		{AFF("[{\"introduced\": \"0.0\"}, {\"fixed\": \"0\"}, {\"introduced\": \"1.0\"}]", DOTTED_DS),
		 "0.0..0 1.0..-"},
		/* A fix and a last affected version at one version: the fix decides
		 * (OSV reads 1.5 as not affected), in either order; found by
		 * fuzzing. A last affected version alone is affected itself. */
		{AFF("[{\"introduced\": \"1.0\"}, {\"last_affected\": \"1.5\"}, {\"fixed\": \"1.5\"}]", DOTTED_DS),
		 "1.0..1.5"},
		{AFF("[{\"fixed\": \"1.5\"}, {\"introduced\": \"1.0\"}, {\"last_affected\": \"1.5\"}]", DOTTED_DS),
		 "1.0..1.5"},
		{AFF("[{\"introduced\": \"1.0\"}, {\"last_affected\": \"1.5\"}]", DOTTED_DS), "1.0..1.5]"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct diag d = {""};
		sqlite3 *db;
		char text[4096], got[512] = "";

		snprintf(text, sizeof(text), "%s%s%s%s}", GOOD_HEAD, GOOD_REFS, rows[i].affected, GOOD_DS(COND_OK));
		assert_int_equal(compile_text("x-entry.json", text, &d, &db), STATUS_OK);
		intervals(db, got, sizeof(got));
		if (strcmp(got, rows[i].want))
			fail_msg("row %zu: folded into \"%s\", want \"%s\"", i, got, rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rejects), cmocka_unit_test(folds_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
