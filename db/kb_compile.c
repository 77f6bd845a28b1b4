/* kb_compile.c - JSON entries -> KB tables. Validation is a table of SQL
 * queries over the entry (SQLite's JSON functions); each returns the
 * reason for rejecting it, so adding a rule is adding a row. */
#include "kb_compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/fileio.h"
#include "kb.h"
#include "kb_schema.h"
#include "version.h"

#define ENTRY_MAX (1u << 20)

/* ?1 is the entry's JSON text, ?2 its file name. */
static const char *const checks[] = {
	"SELECT 'not a JSON object' WHERE json_type(?1) IS NOT 'object'",
	"SELECT 'unknown field \"' || key || '\"' FROM json_each(?1) WHERE key NOT IN"
	" ('schema_version','id','modified','published','withdrawn','aliases','related',"
	"'summary','details','severity','affected','references','credits','database_specific')",
	"SELECT 'id: must be lowercase letters, digits and dashes' WHERE"
	" json_type(?1,'$.id') IS NOT 'text' OR ?1->>'$.id' = '' OR ?1->>'$.id' GLOB '*[^a-z0-9-]*'",
	"SELECT 'id \"' || (?1->>'$.id') || '\" does not match the file name' WHERE (?1->>'$.id') || '.json' IS NOT ?2",
	"SELECT 'summary: required text' WHERE json_type(?1,'$.summary') IS NOT 'text' OR trim(?1->>'$.summary') = ''",
	"SELECT 'details: required text' WHERE json_type(?1,'$.details') IS NOT 'text' OR trim(?1->>'$.details') = ''",
	"SELECT 'modified: required RFC 3339 time' WHERE json_type(?1,'$.modified') IS NOT 'text'"
	" OR NOT (?1->>'$.modified') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'",
	"SELECT 'aliases: must be a list of strings' WHERE json_type(?1,'$.aliases') NOT IN ('array')"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.aliases') WHERE type <> 'text')",
	"SELECT 'references: at least one primary source is required' WHERE"
	" json_type(?1,'$.references') IS NOT 'array' OR json_array_length(?1,'$.references') = 0",
	"SELECT 'references[' || key || ']: needs an OSV \"type\" and an https \"url\"'"
	" FROM json_each(?1,'$.references') WHERE json_type(value,'$.url') IS NOT 'text'"
	" OR value->>'$.url' NOT LIKE 'https://_%' OR value->>'$.type' IS NULL OR value->>'$.type' NOT IN"
	" ('ADVISORY','ARTICLE','DETECTION','DISCUSSION','REPORT','FIX','INTRODUCED','GIT','PACKAGE','EVIDENCE','WEB')",
	"SELECT 'database_specific: required object' WHERE json_type(?1,'$.database_specific') IS NOT 'object'",
	"SELECT 'database_specific: unknown field \"' || key || '\"' FROM json_each(?1,'$.database_specific')"
	" WHERE key NOT IN ('component','severity','verified','conditions','symptoms','symptom_patterns','workarounds','probe','probe_decides','notes')",
	"SELECT 'database_specific.severity: one of critical, high, medium, low' WHERE"
	" ?1->>'$.database_specific.severity' IS NULL OR ?1->>'$.database_specific.severity' NOT IN ('critical','high','medium','low')",
	"SELECT 'database_specific.component: required text' WHERE json_type(?1,'$.database_specific.component') IS NOT 'text'",
	"SELECT 'database_specific.verified: required date YYYY-MM-DD' WHERE"
	" json_type(?1,'$.database_specific.verified') IS NOT 'text' OR NOT"
	" (?1->>'$.database_specific.verified') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'",
	"SELECT 'database_specific.symptoms: at least one exact symptom string' WHERE"
	" json_type(?1,'$.database_specific.symptoms') IS NOT 'array' OR json_array_length(?1,'$.database_specific.symptoms') = 0"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.database_specific.symptoms') WHERE type <> 'text' OR trim(value) = '')",
	"SELECT 'database_specific.symptom_patterns: must be a list of non-empty strings' WHERE"
	" json_type(?1,'$.database_specific.symptom_patterns') NOT IN ('array') OR EXISTS (SELECT 1 FROM"
	" json_each(?1,'$.database_specific.symptom_patterns') WHERE type <> 'text' OR value = '')",
	"SELECT 'database_specific.symptom_patterns[' || p.key || ']: \"' || p.value || '\" ' || pattern_check(p.value,"
	" (SELECT group_concat(s.value, char(10)) FROM json_each(?1,'$.database_specific.symptoms') s))"
	" FROM json_each(?1,'$.database_specific.symptom_patterns') p WHERE pattern_check(p.value,"
	" (SELECT group_concat(s.value, char(10)) FROM json_each(?1,'$.database_specific.symptoms') s)) IS NOT NULL",
	"SELECT 'database_specific.workarounds: at least one {\"text\", \"commands\"}' WHERE"
	" json_type(?1,'$.database_specific.workarounds') IS NOT 'array' OR json_array_length(?1,'$.database_specific.workarounds') = 0",
	"SELECT 'database_specific.workarounds[' || key || ']: needs \"text\"; \"commands\" must be a list of strings'"
	" FROM json_each(?1,'$.database_specific.workarounds') WHERE json_type(value,'$.text') IS NOT 'text'"
	" OR (json_type(value,'$.commands') IS NOT NULL AND (json_type(value,'$.commands') <> 'array'"
	" OR EXISTS (SELECT 1 FROM json_each(value,'$.commands') c WHERE c.type <> 'text')))"
	" OR EXISTS (SELECT 1 FROM json_each(value) k WHERE k.key NOT IN ('text','commands'))",
	"SELECT 'database_specific.probe: must be a probe name' WHERE json_type(?1,'$.database_specific.probe') NOT IN ('text','null')"
	" OR (?1->>'$.database_specific.probe') GLOB '*[^a-z0-9-]*'",
	"SELECT 'database_specific.probe_decides: a list of the probe results that decide the verdict (\"pass\", \"fail\"), with a probe'"
	" WHERE json_type(?1,'$.database_specific.probe_decides') IS NOT NULL AND"
	" (json_type(?1,'$.database_specific.probe_decides') <> 'array' OR json_type(?1,'$.database_specific.probe') IS NOT 'text'"
	" OR EXISTS (SELECT 1 FROM json_each(?1,'$.database_specific.probe_decides') WHERE value NOT IN ('pass','fail')))",
	"SELECT 'database_specific.conditions: must be a list' WHERE json_type(?1,'$.database_specific.conditions') IS NOT 'array'",
	"SELECT 'conditions[' || key || ']: unknown fact \"' || ifnull(value->>'$.fact','') || '\" (see quirk facts --keys)'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE NOT fact_known(value->>'$.fact')",
	"SELECT 'conditions[' || key || ']: unknown op \"' || ifnull(value->>'$.op','') || '\"'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE value->>'$.op' IS NULL OR value->>'$.op' NOT IN"
	" ('eq','ne','in','contains','not_contains','glob','lt','le','gt','ge','present','absent')",
	"SELECT 'conditions[' || c.key || ']: unknown field \"' || k.key || '\"' FROM json_each(?1,'$.database_specific.conditions') c,"
	" json_each(c.value) k WHERE k.key NOT IN ('fact','op','value','scheme','why')",
	"SELECT 'conditions[' || key || ']: \"' || (value->>'$.op') || '\" needs a \"value\"'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE value->>'$.op' NOT IN ('present','absent')"
	" AND json_type(value,'$.value') IS NULL",
	"SELECT 'conditions[' || key || ']: \"in\" needs a list value' FROM json_each(?1,'$.database_specific.conditions')"
	" WHERE value->>'$.op' = 'in' AND json_type(value,'$.value') IS NOT 'array'",
	"SELECT 'conditions[' || key || ']: \"' || (value->>'$.op') || '\" needs a string value'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE value->>'$.op' IN"
	" ('contains','not_contains','glob','lt','le','gt','ge') AND json_type(value,'$.value') IS NOT 'text'",
	"SELECT 'conditions[' || key || ']: version comparison needs a \"scheme\" (' || ?3 || ')'"
	" FROM json_each(?1,'$.database_specific.conditions') WHERE (value->>'$.op' IN ('lt','le','gt','ge')"
	" AND value->>'$.scheme' IS NULL) OR (value->>'$.scheme' IS NOT NULL AND NOT ver_scheme_known(value->>'$.scheme'))",
	"SELECT 'conditions[' || key || ']: \"' || (value->>'$.value') || '\" is not a valid '"
	" || (value->>'$.scheme') || ' version' FROM json_each(?1,'$.database_specific.conditions')"
	" WHERE (value->>'$.op' IN ('lt','le','gt','ge') OR (value->>'$.op' IN ('eq','ne') AND value->>'$.scheme' IS NOT NULL))"
	" AND NOT ver_valid(value->>'$.scheme', value->>'$.value')",
	"SELECT 'affected: must be a list' WHERE json_type(?1,'$.affected') NOT IN ('array')",
	"SELECT 'affected[' || a.key || ']: needs package.ecosystem, package.name and a list of ranges'"
	" FROM json_each(?1,'$.affected') a WHERE json_type(a.value,'$.package.ecosystem') IS NOT 'text'"
	" OR json_type(a.value,'$.package.name') IS NOT 'text' OR json_type(a.value,'$.ranges') IS NOT 'array'"
	" OR json_array_length(a.value,'$.ranges') = 0",
	"SELECT 'affected[' || a.key || ']: database_specific.fact \"' || ifnull(a.value->>'$.database_specific.fact','')"
	" || '\" is not a known fact' FROM json_each(?1,'$.affected') a WHERE NOT fact_known(a.value->>'$.database_specific.fact')",
	"SELECT 'affected[' || a.key || ']: project.packages ranges need package.purl' FROM json_each(?1,'$.affected') a"
	" WHERE a.value->>'$.database_specific.fact' = 'project.packages' AND (a.value->>'$.package.purl' IS NULL"
	" OR a.value->>'$.package.purl' NOT LIKE 'pkg:%/%' OR a.value->>'$.package.purl' LIKE '%@%')",
	"SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: type must be SEMVER or ECOSYSTEM'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r WHERE r.value->>'$.type' IS NULL"
	" OR r.value->>'$.type' NOT IN ('SEMVER','ECOSYSTEM')",
	"SELECT 'affected[' || a.key || ']: ECOSYSTEM ranges need database_specific.scheme (' || ?3 || ')'"
	" FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r WHERE r.value->>'$.type' = 'ECOSYSTEM'"
	" AND NOT ver_scheme_known(a.value->>'$.database_specific.scheme')",
	"SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: events must be a non-empty list of"
	" {introduced|fixed|last_affected: version}' FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r"
	" WHERE json_type(r.value,'$.events') IS NOT 'array' OR json_array_length(r.value,'$.events') = 0"
	" OR EXISTS (SELECT 1 FROM json_each(r.value,'$.events') e WHERE json_type(e.value) <> 'object'"
	" OR (SELECT count(*) FROM json_each(e.value)) <> 1 OR EXISTS (SELECT 1 FROM json_each(e.value) k"
	" WHERE k.key NOT IN ('introduced','fixed','last_affected') OR k.type <> 'text'))",
	"SELECT 'affected[' || a.key || '].ranges[' || r.key || ']: \"' || ev.value || '\" is not a valid '"
	" || CASE r.value->>'$.type' WHEN 'SEMVER' THEN 'semver' ELSE a.value->>'$.database_specific.scheme' END"
	" || ' version' FROM json_each(?1,'$.affected') a, json_each(a.value,'$.ranges') r,"
	" json_each(r.value,'$.events') e, json_each(e.value) ev WHERE NOT (ev.key = 'introduced' AND ev.value = '0')"
	" AND NOT ver_valid(CASE r.value->>'$.type' WHEN 'SEMVER' THEN 'semver'"
	" ELSE a.value->>'$.database_specific.scheme' END, ev.value)",
	"SELECT 'affected[' || a.key || ']: database_specific.distro_fixed[' || x.key || '] needs distro, series,"
	" a valid fixed version in its scheme, and an https url' FROM json_each(?1,'$.affected') a,"
	" json_each(a.value,'$.database_specific.distro_fixed') x WHERE json_type(x.value,'$.distro') IS NOT 'text'"
	" OR json_type(x.value,'$.series') IS NOT 'text' OR NOT ver_valid(x.value->>'$.scheme', x.value->>'$.fixed')"
	" OR x.value->>'$.url' IS NULL OR x.value->>'$.url' NOT LIKE 'https://_%'",
	"SELECT 'no conditions and no affected ranges: every host would be affected' WHERE"
	" json_array_length(?1,'$.database_specific.conditions') = 0 AND ifnull(json_array_length(?1,'$.affected'), 0) = 0",
};

static const char *const inserts[] = {
	"INSERT INTO entry SELECT ?1->>'$.id', ?2, ?1->>'$.summary', ?1->>'$.details',"
	" ?1->>'$.database_specific.component', ?1->>'$.database_specific.severity',"
	" CASE ?1->>'$.database_specific.severity' WHEN 'critical' THEN 0 WHEN 'high' THEN 1"
	" WHEN 'medium' THEN 2 ELSE 3 END, ?1->>'$.database_specific.probe',"
	" ifnull(?1->'$.database_specific.probe_decides', '[]'),"
	" ?1->>'$.database_specific.verified', ?1->>'$.modified', json(?1)",
	"INSERT INTO cond SELECT ?1->>'$.id', key, value->>'$.fact', value->>'$.op', value->>'$.scheme',"
	" value->'$.value', value->>'$.why' FROM json_each(?1,'$.database_specific.conditions')",
	"INSERT INTO vgroup SELECT ?1->>'$.id', key, value->>'$.database_specific.fact',"
	" CASE WHEN value->>'$.ranges[0].type' = 'SEMVER' THEN 'semver' ELSE value->>'$.database_specific.scheme' END,"
	" value->>'$.package.purl', value->>'$.package.name' FROM json_each(?1,'$.affected')",
	"INSERT INTO distro_fix SELECT ?1->>'$.id', a.key, x.value->>'$.distro', x.value->>'$.series',"
	" x.value->>'$.fixed', x.value->>'$.scheme', x.value->>'$.url' FROM json_each(?1,'$.affected') a,"
	" json_each(a.value,'$.database_specific.distro_fixed') x",
	"INSERT INTO symptom SELECT ?1->>'$.id', key, value FROM json_each(?1,'$.database_specific.symptoms')",
	"INSERT INTO symptom_pattern SELECT ?1->>'$.id', key, value"
	" FROM json_each(?1,'$.database_specific.symptom_patterns')",
	"INSERT INTO workaround SELECT ?1->>'$.id', key, value->>'$.text', ifnull(value->'$.commands', '[]')"
	" FROM json_each(?1,'$.database_specific.workarounds')",
	"INSERT INTO ref SELECT ?1->>'$.id', key, value->>'$.type', value->>'$.url' FROM json_each(?1,'$.references')",
	"INSERT INTO entry_fts SELECT id, summary, details, (SELECT group_concat(text, char(10))"
	" FROM symptom WHERE entry_id = id) FROM entry WHERE id = ?1->>'$.id'",
};

struct event {
	char kind; /* 'i' introduced, 'f' fixed, 'l' last_affected */
	char *ver;
};

static enum ver_scheme sort_scheme;

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	int c = 0;

	if (!strcmp(x->ver, "0") || !strcmp(y->ver, "0"))
		return strcmp(x->ver, "0") ? 1 : strcmp(y->ver, "0") ? -1 : 0;
	ver_compare(sort_scheme, x->ver, y->ver, &c);
	return c;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static enum status sql_fail(sqlite3 *db, struct diag *d, const char *file)
{
	return diag_set(d, STATUS_ERR_DB, "%s: %s", file, sqlite3_errmsg(db));
}

/* Folds each affected[] element's range events into intervals (OSV
 * semantics: events in version order open and close affected spans). */
static enum status fold_ranges(sqlite3 *db, const char *doc, const char *id,
			       const char *file, struct diag *d)
{
	sqlite3_stmt *grp = NULL, *ev = NULL, *ins = NULL;
	enum status st = STATUS_OK;

	if (sqlite3_prepare_v2(db, "SELECT key, value FROM json_each(?1,'$.affected')", -1, &grp, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT ev.key, ev.value, CASE r.value->>'$.type' WHEN 'SEMVER'"
			       " THEN 'semver' ELSE ?1->>'$.database_specific.scheme' END"
			       " FROM json_each(?1,'$.ranges') r, json_each(r.value,'$.events') e,"
			       " json_each(e.value) ev", -1, &ev, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO vrange VALUES(?1, ?2, ?3, ?4, ?5)", -1, &ins, NULL)) {
		st = sql_fail(db, d, file);
		goto out;
	}
	sqlite3_bind_text(grp, 1, doc, -1, SQLITE_STATIC);
	while (st == STATUS_OK && sqlite3_step(grp) == SQLITE_ROW) {
		struct event evs[64];
		size_t n = 0;
		const char *lo = NULL;
		bool open = false;
		int g = sqlite3_column_int(grp, 0);

		sqlite3_bind_text(ev, 1, (const char *)sqlite3_column_text(grp, 1), -1, SQLITE_TRANSIENT);
		while (sqlite3_step(ev) == SQLITE_ROW) {
			if (n == 64) {
				st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: affected[%d]: more than 64 events", file, g);
				break;
			}
			ver_scheme_from_name((const char *)sqlite3_column_text(ev, 2), &sort_scheme);
			evs[n].kind = ((const char *)sqlite3_column_text(ev, 0))[0];
			evs[n].ver = strdup((const char *)sqlite3_column_text(ev, 1));
			if (!evs[n++].ver)
				st = STATUS_ERR_NOMEM;
		}
		sqlite3_reset(ev);
		if (st == STATUS_OK)
			qsort(evs, n, sizeof(evs[0]), cmp_event);
		for (size_t i = 0; i <= n && st == STATUS_OK; i++) {
			bool end = i == n;
			if (!end && evs[i].kind == 'i') {
				if (!open)
					lo = strcmp(evs[i].ver, "0") ? evs[i].ver : NULL;
				open = true;
				continue;
			}
			if (!open)
				continue;
			sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
			sqlite3_bind_int(ins, 2, g);
			if (lo)
				sqlite3_bind_text(ins, 3, lo, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(ins, 3);
			if (end)
				sqlite3_bind_null(ins, 4);
			else
				sqlite3_bind_text(ins, 4, evs[i].ver, -1, SQLITE_STATIC);
			sqlite3_bind_int(ins, 5, !end && evs[i].kind == 'l');
			if (sqlite3_step(ins) != SQLITE_DONE)
				st = sql_fail(db, d, file);
			sqlite3_reset(ins);
			sqlite3_clear_bindings(ins);
			open = false;
		}
		for (size_t i = 0; i < n; i++)
			free(evs[i].ver);
	}
out:
	sqlite3_finalize(grp);
	sqlite3_finalize(ev);
	sqlite3_finalize(ins);
	return st;
}

static enum status compile_one(sqlite3 *db, const char *path, struct diag *d)
{
	char *doc = NULL, schemes[160] = "";
	const char *name = basename_of(path);
	enum status st;
	sqlite3_stmt *q;

	for (int s = 0; s < VER__COUNT; s++)
		snprintf(schemes + strlen(schemes), sizeof(schemes) - strlen(schemes), "%s%s",
			 s ? ", " : "", ver_scheme_name((enum ver_scheme)s));
	st = fileio_read(path, ENTRY_MAX, &doc, NULL, d);
	if (st != STATUS_OK)
		return st;
	if (sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &q, NULL) != SQLITE_OK) {
		free(doc);
		return sql_fail(db, d, path);
	}
	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW || !sqlite3_column_int(q, 0))
		st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: not valid JSON", path);
	sqlite3_finalize(q);

	for (size_t i = 0; st == STATUS_OK && i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (sqlite3_prepare_v2(db, checks[i], -1, &q, NULL) != SQLITE_OK) {
			st = sql_fail(db, d, path);
			break;
		}
		sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(q) >= 3)
			sqlite3_bind_text(q, 3, schemes, -1, SQLITE_STATIC);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: %s", path,
				      (const char *)sqlite3_column_text(q, 0));
		else if (rc != SQLITE_DONE)
			st = diag_set(d, STATUS_ERR_KB_INVALID, "%s: %s", path, sqlite3_errmsg(db));
		sqlite3_finalize(q);
	}
	for (size_t i = 0; st == STATUS_OK && i < sizeof(inserts) / sizeof(inserts[0]); i++) {
		if (sqlite3_prepare_v2(db, inserts[i], -1, &q, NULL) != SQLITE_OK) {
			st = sql_fail(db, d, path);
			break;
		}
		sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			st = sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY
				     ? diag_set(d, STATUS_ERR_KB_INVALID, "%s: duplicate id", path)
				     : sql_fail(db, d, path);
		sqlite3_finalize(q);
	}
	if (st == STATUS_OK) {
		/* The checks made the id the file name less ".json". */
		char *id = strndup(name, strlen(name) - 5);
		st = id ? fold_ranges(db, doc, id, path, d) : STATUS_ERR_NOMEM;
		free(id);
	}
	free(doc);
	return st;
}

enum status kb_compile(sqlite3 *db, const char *const *files, size_t nfiles,
		       struct diag *d)
{
	enum status st = STATUS_OK;

	if (kb_register_functions(db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN;" KB_SCHEMA_SQL, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(db, d, "schema");
	for (size_t i = 0; i < nfiles && st == STATUS_OK; i++)
		st = compile_one(db, files[i], d);
	if (st == STATUS_OK &&
	    sqlite3_exec(db,
			 "INSERT INTO meta VALUES('schema_version', 1);"
			 "INSERT INTO meta SELECT 'kb_version', ifnull(max(substr(modified, 1, 10)), 'empty')"
			 " || '.' || count(*) FROM entry;"
			 "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
		st = sql_fail(db, d, "meta");
	if (st != STATUS_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return st;
}
