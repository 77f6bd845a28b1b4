/* kb_functions.c - the SQL functions KB building and matching rely on. */
#include "kb.h"

#include "logscan.h"
#include "osv.h"
#include "version.h"

static void fn_vercmp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *scheme = (const char *)sqlite3_value_text(argv[0]);
	const char *a = (const char *)sqlite3_value_text(argv[1]);
	const char *b = (const char *)sqlite3_value_text(argv[2]);
	enum ver_scheme s;
	int cmp;

	(void)argc;
	if (ver_scheme_from_name(scheme, &s) != STATUS_OK) {
		sqlite3_result_error(ctx, "vercmp: unknown version scheme", -1);
		return;
	}
	/* NULL = cannot be ordered: matching turns it into "unknown". */
	if (ver_compare(s, a, b, &cmp) != STATUS_OK)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int(ctx, cmp < 0 ? -1 : cmp > 0);
}

static void fn_ver_valid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	enum ver_scheme s;

	(void)argc;
	if (ver_scheme_from_name((const char *)sqlite3_value_text(argv[0]), &s) != STATUS_OK) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, ver_valid(s, (const char *)sqlite3_value_text(argv[1])));
}

static void fn_scheme_known(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	enum ver_scheme s;

	(void)argc;
	sqlite3_result_int(ctx, ver_scheme_from_name((const char *)sqlite3_value_text(argv[0]), &s) == STATUS_OK);
}

static void fn_fact_known(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *k = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	sqlite3_result_int(ctx, k && facts_key_known(k));
}

/* pattern_check(pattern, text): NULL if the symptom pattern compiles and
 * matches text, else why not. */
static void fn_pattern_check(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *pattern = (const char *)sqlite3_value_text(argv[0]);
	const char *text = (const char *)sqlite3_value_text(argv[1]);
	const char *why;

	(void)argc;
	why = pattern ? logscan_pattern_check(pattern, text ? text : "") : "is not text";
	if (why)
		sqlite3_result_text(ctx, why, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

int kb_register_functions(sqlite3 *db)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	int rc = sqlite3_create_function(db, "vercmp", 3, flags, NULL, fn_vercmp, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "ver_valid", 2, flags, NULL, fn_ver_valid, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "ver_scheme_known", 1, flags, NULL, fn_scheme_known, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "fact_known", 1, flags, NULL, fn_fact_known, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "pattern_check", 2, flags, NULL, fn_pattern_check, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = osv_register_functions(db);
	return rc;
}
