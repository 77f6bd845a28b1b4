/* profile.c - profiles -> checklist items. Validation is a table of SQL
 * queries over the profile (SQLite's JSON functions), each returning the
 * reason for rejecting it, as kb_compile.c does for KB entries. A fact
 * check ("limits.memlock >= 64 MiB") becomes a condition row of the same
 * shape as a KB entry's, judged by the same SQL (MATCH_COND_OUTCOME_SQL). */
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/fileio.h"
#include "../probes/probe.h"
#include "../probes/text.h"
#include "match.h"
#include "version.h"

#define PROFILE_MAX (1u << 20)

/* Schemes for ordering a fact's values when the profile names none. */
static const struct {
	const char *fact, *scheme;
} default_schemes[] = {
	{"os.kernel.release", "linux"},         {"os.kernel.upstream_version", "linux"},
	{"os.kernel.compiler_version", "dotted"}, {"os.kernel.distro_version", "dpkg"},
	{"os.kernel.asterinas_version", "dotted"}, {"os.distro.version_id", "dotted"},
	{"os.product_version", "macos"},        {"cpu.family", "dotted"},
	{"cpu.model", "dotted"},                {"cpu.stepping", "dotted"},
	{"compiler.cc", "dotted"},              {"compiler.gcc", "dotted"},
	{"compiler.clang", "dotted"},           {"runtime.go", "go"},
	{"runtime.ruby", "dotted"},             {"runtime.erlang", "dotted"},
	{"runtime.java", "dotted"},             {"runtime.node", "dotted"},
	{"tool.spin", "dotted"},                {"tool.wasmtime", "dotted"},
	{"libc.version", "dotted"},             {"tool.docker.server", "dotted"},
	{"tool.criu", "dotted"},                {"tool.mongod", "dotted"},
	{"limits.memlock", "size"},
};

static const char schema[] =
	"CREATE TEMP TABLE IF NOT EXISTS profile_item(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
	" text TEXT NOT NULL, label TEXT, fact TEXT, op TEXT, scheme TEXT, value TEXT, entry TEXT,"
	" unknown_fails INT NOT NULL DEFAULT 0, probe TEXT, why TEXT, fix TEXT,"
	" required INT NOT NULL DEFAULT 1);";
/* Made together with the functions: its presence says they are there. */
static const char registered_sql[] = "SELECT count(*) FROM temp.sqlite_master WHERE name = 'profile_item'";
static const char empty_sql[] = "DELETE FROM temp.profile_item";
static const char json_sql[] = "SELECT 'not valid JSON' WHERE NOT json_valid(?1)";
static const char meta_sql[] = "SELECT ifnull(?1 ->> '$.name', ''), ifnull(?1 ->> '$.run_probes', 0),"
			       " (SELECT count(*) FROM temp.profile_item)";

/* The require[] items as objects (a string is {"check": STRING}), and the
 * checks among them split into fact, op and value. ?1 is the profile. */
#define ITEMS                                                                  \
	"WITH it(i, v) AS (SELECT key, CASE type WHEN 'text' THEN json_object('check', value)" \
	" ELSE value END FROM json_each(?1, '$.require') WHERE type IN ('text', 'object')),"  \
	" ck(i, v, fact, op, val, ftype, scheme) AS (SELECT i, v, check_part(t, 0), check_part(t, 1),"    \
	" check_part(t, 2), fact_type(check_part(t, 0)),"                                     \
	" coalesce(v ->> '$.scheme', fact_scheme(check_part(t, 0)))"                          \
	" FROM (SELECT i, v, v ->> '$.check' AS t FROM it WHERE json_type(v, '$.check') = 'text')) "

#define AT(i) "'require[' || " i " || ']: ' || "
#define ORDERING "('==', '!=', '<', '<=', '>', '>=')"

/* ?1 the profile, ?2 the version schemes (for messages). In order: a
 * later rule may rely on the earlier ones having passed. */
static const char *const checks[] = {
	"SELECT 'not a JSON object (a profile is {\"require\": [...]})' WHERE json_type(?1) IS NOT 'object'",
	"SELECT 'unknown field \"' || key || '\" (a profile has name, description, run_probes and require)'"
	" FROM json_each(?1) WHERE key NOT IN ('name', 'description', 'run_probes', 'require')",
	"SELECT key || ': must be text' FROM json_each(?1) WHERE key IN ('name', 'description') AND type <> 'text'",
	"SELECT 'run_probes: must be true or false' WHERE json_type(?1, '$.run_probes') NOT IN ('true', 'false')",
	"SELECT 'require: must be a non-empty list of checks' WHERE json_type(?1, '$.require') IS NOT 'array'"
	" OR json_array_length(?1, '$.require') = 0",
	"SELECT " AT("key") "'must be a string (\"FACT OP VALUE\") or an object' FROM json_each(?1, '$.require')"
	" WHERE type NOT IN ('text', 'object')",
	ITEMS "SELECT " AT("it.i") "'unknown field \"' || k.key || '\"' FROM it, json_each(it.v) k WHERE k.key"
	" NOT IN ('check', 'entry', 'probe', 'unknown', 'required', 'fix', 'why', 'label', 'scheme')",
	ITEMS "SELECT " AT("i") "'needs exactly one of \"check\", \"entry\" and \"probe\"' FROM it WHERE"
	" (SELECT count(*) FROM json_each(v) WHERE key IN ('check', 'entry', 'probe')) <> 1",
	ITEMS "SELECT " AT("it.i") "'\"' || k.key || '\" must be text' FROM it, json_each(it.v) k WHERE k.key IN"
	" ('check', 'entry', 'probe', 'why', 'label', 'scheme', 'unknown') AND k.type <> 'text'",
	ITEMS "SELECT " AT("i") "'\"required\" must be true or false' FROM it"
	" WHERE json_type(v, '$.required') NOT IN ('true', 'false')",
	ITEMS "SELECT " AT("i") "'\"fix\" must be a command or a list of commands' FROM it"
	" WHERE json_type(v, '$.fix') IS NOT NULL AND NOT ((json_type(v, '$.fix') = 'text' AND trim(v ->> '$.fix') <> '')"
	" OR (json_type(v, '$.fix') = 'array' AND json_array_length(v, '$.fix') > 0 AND NOT EXISTS"
	" (SELECT 1 FROM json_each(v, '$.fix') WHERE type <> 'text' OR trim(value) = '')))",
	ITEMS "SELECT " AT("i") "'\"unknown\" goes with \"entry\" and is \"fail\" or \"warn\"' FROM it"
	" WHERE v ->> '$.unknown' IS NOT NULL AND (v ->> '$.entry' IS NULL OR v ->> '$.unknown' NOT IN ('fail', 'warn'))",
	ITEMS "SELECT " AT("i") "'\"scheme\" goes with \"check\"' FROM it"
	" WHERE v ->> '$.scheme' IS NOT NULL AND v ->> '$.check' IS NULL",
	ITEMS "SELECT " AT("i") "'unknown scheme \"' || (v ->> '$.scheme') || '\" (' || ?2 || ')' FROM it"
	" WHERE v ->> '$.scheme' IS NOT NULL AND NOT ver_scheme_known(v ->> '$.scheme')",
	ITEMS "SELECT " AT("i") "'unknown entry \"' || (v ->> '$.entry') || '\" (see quirk kb list)' FROM it"
	" WHERE v ->> '$.entry' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entry e WHERE e.id = v ->> '$.entry')",
	ITEMS "SELECT " AT("i") "'unknown probe \"' || (v ->> '$.probe') || '\" (see quirk probe list)' FROM it"
	" WHERE v ->> '$.probe' IS NOT NULL AND NOT probe_known(v ->> '$.probe')",
	ITEMS "SELECT " AT("i") "'empty check (write \"FACT OP VALUE\", e.g. \"compiler.gcc >= 12\")' FROM ck"
	" WHERE fact = ''",
	ITEMS "SELECT " AT("i") "'unknown fact \"' || fact || '\" (see quirk facts --keys)' FROM ck WHERE ftype IS NULL",
	ITEMS "SELECT " AT("i") "'no op after \"' || fact || '\" (write \"FACT OP VALUE\", e.g. \"compiler.gcc >= 12\")'"
	" FROM ck WHERE op = ''",
	ITEMS "SELECT " AT("i") "'unknown op \"' || op || '\" (use ==, !=, <, <=, >, >=, contains, !contains, matches,"
	" in, present, absent)' FROM ck WHERE op NOT IN " ORDERING " AND op NOT IN ('contains', '!contains', 'matches',"
	" 'in', 'present', 'absent')",
	ITEMS "SELECT " AT("i") "'\"' || op || '\" needs a value' FROM ck WHERE op NOT IN ('present', 'absent') AND val = ''",
	ITEMS "SELECT " AT("i") "'\"' || op || '\" takes no value' FROM ck WHERE op IN ('present', 'absent') AND val <> ''",
	ITEMS "SELECT " AT("i") "'\"' || op || '\" does not apply to ' || fact || ', ' || CASE ftype"
	" WHEN 'bool' THEN 'which is true or false (use == or !=)'"
	" WHEN 'list' THEN 'a list (use contains or !contains)'"
	" WHEN 'string' THEN 'which is text (use ==, !=, matches, in, or <, <=, >, >= with a scheme)'"
	" ELSE 'a number (use ==, !=, <, <=, > or >=)' END FROM ck WHERE op NOT IN ('present', 'absent') AND NOT CASE ftype"
	" WHEN 'bool' THEN op IN ('==', '!=') WHEN 'list' THEN op IN ('contains', '!contains')"
	" WHEN 'string' THEN op NOT IN ('contains', '!contains') ELSE op IN " ORDERING " END",
	ITEMS "SELECT " AT("i") "'\"scheme\" does not apply to ' || fact || ', which is ' || CASE ftype WHEN 'bool'"
	" THEN 'true or false' ELSE 'a list' END FROM ck WHERE v ->> '$.scheme' IS NOT NULL AND ftype IN ('bool', 'list')",
	ITEMS "SELECT " AT("i") "'\"' || op || '\" on ' || fact || ' needs a \"scheme\" to order its values (' || ?2 || ')'"
	" FROM ck WHERE op IN ('<', '<=', '>', '>=') AND scheme IS NULL",
	ITEMS "SELECT " AT("i") "'\"' || val || '\" is not true or false' FROM ck WHERE ftype = 'bool'"
	" AND op IN ('==', '!=') AND val NOT IN ('true', 'false')",
	ITEMS "SELECT " AT("i") "'\"' || val || '\" is not a whole number' FROM ck WHERE ftype = 'number'"
	" AND v ->> '$.scheme' IS NULL AND op IN " ORDERING " AND val GLOB '*[^0-9]*'",
	/* dotted ignores what follows the numbers of a version found on a
	 * host; a bound written in a profile has nothing to ignore. */
	ITEMS "SELECT " AT("i") "'\"' || val || '\" is not ' || CASE WHEN scheme = 'size' THEN 'a valid size (bytes,"
	" a number with KiB, MiB, GiB or TiB, or unlimited)' WHEN scheme = 'dotted' THEN 'a valid dotted version"
	" (numbers and dots)' ELSE 'a valid ' || scheme || ' version' END FROM ck WHERE scheme IS NOT NULL"
	" AND op IN " ORDERING " AND (NOT ver_valid(scheme, val) OR (scheme = 'dotted' AND val GLOB '*[^0-9.]*'))",
	ITEMS "SELECT " AT("i") "'\"in\" needs a comma-separated list of values' FROM ck WHERE op = 'in'"
	" AND EXISTS (SELECT 1 FROM json_each(check_list(val)) WHERE value = '')",
};

static const char insert_sql[] =
	ITEMS "INSERT INTO temp.profile_item(seq, kind, text, label, fact, op, scheme, value, entry,"
	" unknown_fails, probe, why, fix, required) SELECT it.i,"
	" CASE WHEN it.v ->> '$.entry' IS NOT NULL THEN 'entry' WHEN it.v ->> '$.probe' IS NOT NULL THEN 'probe'"
	" ELSE 'fact' END,"
	" coalesce(trim(it.v ->> '$.check'), it.v ->> '$.entry', 'probe ' || (it.v ->> '$.probe')), it.v ->> '$.label',"
	" CASE WHEN it.v ->> '$.probe' IS NOT NULL THEN 'probe.' || (it.v ->> '$.probe') || '.status' ELSE ck.fact END,"
	" CASE ck.op WHEN '==' THEN 'eq' WHEN '!=' THEN 'ne' WHEN '<' THEN 'lt' WHEN '<=' THEN 'le' WHEN '>' THEN 'gt'"
	" WHEN '>=' THEN 'ge' WHEN 'matches' THEN 'glob' WHEN '!contains' THEN 'not_contains' ELSE ck.op END,"
	" CASE WHEN ck.op IN " ORDERING " THEN ck.scheme END,"
	" CASE WHEN ck.op IS NULL OR ck.op IN ('present', 'absent') THEN NULL WHEN ck.ftype = 'bool' THEN ck.val"
	" WHEN ck.op = 'in' THEN check_list(ck.val) ELSE json_quote(ck.val) END,"
	" it.v ->> '$.entry', ifnull(it.v ->> '$.unknown' = 'fail', 0), it.v ->> '$.probe', it.v ->> '$.why',"
	" CASE json_type(it.v, '$.fix') WHEN 'text' THEN json_array(it.v ->> '$.fix')"
	" WHEN 'array' THEN json(it.v -> '$.fix') END, ifnull(it.v ->> '$.required', 1)"
	" FROM it LEFT JOIN ck ON ck.i = it.i ORDER BY it.i";

static bool op_char(char c)
{
	return c == '<' || c == '>' || c == '=' || c == '!';
}

/* check_part(CHECK, N): part N of "FACT OP VALUE": 0 the fact (up to a
 * space or an operator), 1 the op (a run of < > = !, or a word such as
 * contains or !contains), 2 the value (the rest, trimmed, without
 * surrounding double quotes). "" for a part that is not there. */
static void fn_check_part(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]), *start[3], *end[3];
	int want = sqlite3_value_int(argv[1]);

	(void)argc;
	if (!s || want < 0 || want > 2) {
		sqlite3_result_null(ctx);
		return;
	}
	s += strspn(s, " \t");
	start[0] = s;
	while (*s && *s != ' ' && *s != '\t' && !op_char(*s))
		s++;
	end[0] = s;
	s += strspn(s, " \t");
	start[1] = s;
	while (op_char(*s))
		s++;
	if (s == start[1] || (s == start[1] + 1 && *start[1] == '!'))
		while ((*s >= 'a' && *s <= 'z') || *s == '_')
			s++;
	end[1] = s;
	s += strspn(s, " \t");
	start[2] = s;
	end[2] = s + strlen(s);
	while (end[2] > start[2] && (end[2][-1] == ' ' || end[2][-1] == '\t'))
		end[2]--;
	if (end[2] - start[2] >= 2 && *start[2] == '"' && end[2][-1] == '"')
		start[2]++, end[2]--;
	sqlite3_result_text(ctx, start[want], (int)(end[want] - start[want]), SQLITE_TRANSIENT);
}

/* check_list(TEXT): "a, b,c" as the JSON array ["a","b","c"]. */
static void fn_check_list(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_str *out = sqlite3_str_new(sqlite3_context_db_handle(ctx));

	(void)argc;
	sqlite3_str_appendchar(out, 1, '[');
	for (bool first = true; s; first = false) {
		size_t len = strcspn(s, ",");
		const char *item = s + strspn(s, " \t");
		const char *stop = s + len;
		while (stop > item && (stop[-1] == ' ' || stop[-1] == '\t'))
			stop--;
		sqlite3_str_appendf(out, "%s\"", first ? "" : ",");
		for (const char *p = item; p < stop; p++) {
			if (*p == '"' || *p == '\\')
				sqlite3_str_appendf(out, "\\%c", *p);
			else if ((unsigned char)*p < 0x20)
				sqlite3_str_appendf(out, "\\u%04x", *p);
			else
				sqlite3_str_appendchar(out, 1, *p);
		}
		sqlite3_str_appendchar(out, 1, '"');
		s = s[len] ? s + len + 1 : NULL;
	}
	sqlite3_str_appendchar(out, 1, ']');
	sqlite3_result_text(ctx, sqlite3_str_finish(out), -1, sqlite3_free);
}

static void fn_probe_known(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *name = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	sqlite3_result_int(ctx, name && probe_find(name) != NULL);
}

/* fact_type(KEY): the contract's type ("string", "bool", ...), NULL for a
 * key that is not in it. */
static void fn_fact_type(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *want = (const char *)sqlite3_value_text(argv[0]), *key, *type, *desc;

	(void)argc;
	for (size_t i = 0; want && facts_key_at(i, &key, &type, &desc); i++)
		if (!strcmp(key, want)) {
			sqlite3_result_text(ctx, type, -1, SQLITE_STATIC);
			return;
		}
	sqlite3_result_null(ctx);
}

static void fn_fact_scheme(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *key = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	for (size_t i = 0; key && i < sizeof(default_schemes) / sizeof(default_schemes[0]); i++)
		if (!strcmp(key, default_schemes[i].fact)) {
			sqlite3_result_text(ctx, default_schemes[i].scheme, -1, SQLITE_STATIC);
			return;
		}
	sqlite3_result_null(ctx);
}

/* The functions and the checklist table, once a connection (registering
 * a function again would expire every statement kb_stmt() keeps), and
 * the checklist emptied. */
static enum status prepare(struct kb *kb, struct diag *d)
{
	static const struct {
		const char *name;
		int nargs;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} fns[] = {
		{"check_part", 2, fn_check_part}, {"check_list", 1, fn_check_list},
		{"probe_known", 1, fn_probe_known}, {"fact_type", 1, fn_fact_type},
		{"fact_scheme", 1, fn_fact_scheme},
	};
	sqlite3_stmt *q = kb_stmt(kb, registered_sql);
	bool registered = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0;

	if (q)
		sqlite3_reset(q);
	for (size_t i = 0; !registered && i < sizeof(fns) / sizeof(fns[0]); i++)
		if (sqlite3_create_function(kb->db, fns[i].name, fns[i].nargs, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					    NULL, fns[i].fn, NULL, NULL) != SQLITE_OK)
			return diag_set(d, STATUS_ERR_DB, "profile: %s", sqlite3_errmsg(kb->db));
	if ((!registered && sqlite3_exec(kb->db, schema, NULL, NULL, NULL) != SQLITE_OK) ||
	    !(q = kb_stmt(kb, empty_sql)) || sqlite3_step(q) != SQLITE_DONE)
		return diag_set(d, STATUS_ERR_DB, "profile: %s", sqlite3_errmsg(kb->db));
	sqlite3_reset(q);
	return STATUS_OK;
}

/* Runs sql with ?1 = doc and ?2 = the scheme names; a row is a reason
 * the profile is rejected. */
static enum status run_check(struct kb *kb, const char *sql, const char *path, const char *doc,
			     const char *schemes, struct diag *d)
{
	sqlite3_stmt *q = kb_stmt(kb, sql);
	enum status st = STATUS_OK;
	int rc;

	if (!q)
		return diag_set(d, STATUS_ERR_DB, "%s: %s", path, sqlite3_errmsg(kb->db));
	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(q) >= 2)
		sqlite3_bind_text(q, 2, schemes, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		st = diag_set(d, STATUS_ERR_PROFILE_INVALID, "%s: %s", path, (const char *)sqlite3_column_text(q, 0));
	else if (rc != SQLITE_DONE)
		st = diag_set(d, STATUS_ERR_DB, "%s: %s", path, sqlite3_errmsg(kb->db));
	sqlite3_reset(q);
	return st;
}

static enum status read_meta(struct kb *kb, const char *doc, struct profile_meta *meta, struct diag *d)
{
	sqlite3_stmt *q = kb_stmt(kb, meta_sql);

	if (!q)
		return diag_set(d, STATUS_ERR_DB, "profile: %s", sqlite3_errmsg(kb->db));
	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		snprintf(meta->name, sizeof(meta->name), "%s", (const char *)sqlite3_column_text(q, 0));
		meta->run_probes = sqlite3_column_int(q, 1);
		meta->nitems = (size_t)sqlite3_column_int(q, 2);
	}
	sqlite3_reset(q);
	return STATUS_OK;
}

enum status profile_parse(struct kb *kb, const char *name, const char *text, size_t len,
			  struct profile_meta *meta, struct diag *d)
{
	char schemes[160] = "";
	enum status st;

	memset(meta, 0, sizeof(*meta));
	for (int s = 0; s < VER__COUNT; s++)
		snprintf(schemes + strlen(schemes), sizeof(schemes) - strlen(schemes), "%s%s", s ? ", " : "",
			 ver_scheme_name((enum ver_scheme)s));
	if ((st = prepare(kb, d)) != STATUS_OK)
		return st;
	if (text_check(name, text, len, "a profile", d) != STATUS_OK) {
		st = STATUS_ERR_PROFILE_INVALID;
	} else if (!text_json_strict(text, len) ||
		   (st = run_check(kb, json_sql, name, text, schemes, d)) == STATUS_ERR_PROFILE_INVALID) {
		st = STATUS_ERR_PROFILE_INVALID;
		char why[128];
		text_json_invalid(text, why, sizeof(why));
		diag_set(d, st, "%s: %s", name, why);
	}
	for (size_t i = 0; st == STATUS_OK && i < sizeof(checks) / sizeof(checks[0]); i++)
		st = run_check(kb, checks[i], name, text, schemes, d);
	if (st == STATUS_OK) {
		sqlite3_stmt *q = kb_stmt(kb, insert_sql);
		if (!q) {
			st = diag_set(d, STATUS_ERR_DB, "%s: %s", name, sqlite3_errmsg(kb->db));
		} else {
			sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
			if (sqlite3_step(q) != SQLITE_DONE)
				st = diag_set(d, STATUS_ERR_DB, "%s: %s", name, sqlite3_errmsg(kb->db));
			sqlite3_reset(q);
		}
	}
	if (st == STATUS_OK)
		st = read_meta(kb, text, meta, d);
	if (st != STATUS_OK)
		sqlite3_exec(kb->db, empty_sql, NULL, NULL, NULL);
	return st;
}

enum status profile_load(struct kb *kb, const char *path, struct profile_meta *meta, struct diag *d)
{
	char *doc = NULL;
	size_t len = 0;
	enum status st;

	memset(meta, 0, sizeof(*meta));
	/* The checklist is emptied even when the file cannot be read. */
	if ((st = prepare(kb, d)) != STATUS_OK)
		return st;
	st = fileio_read(path, PROFILE_MAX, &doc, &len, d);
	if (st == STATUS_ERR_TOO_LARGE)
		return diag_set(d, st, "%s: larger than 1 MiB; not a profile", path);
	if (st != STATUS_OK)
		return st;
	st = profile_parse(kb, path, doc, len, meta, d);
	free(doc);
	return st;
}

/* Entries that can concern the project: those with no version groups or
 * one that is not a package group, and package entries whose package is
 * among the project's. */
static const char candidates_sql[] =
	"SELECT e.id FROM entry e WHERE NOT EXISTS (SELECT 1 FROM vgroup g WHERE g.entry_id = e.id)"
	" OR EXISTS (SELECT 1 FROM vgroup g WHERE g.entry_id = e.id AND (g.purl IS NULL OR EXISTS"
	" (SELECT 1 FROM temp.facts f, json_each(f.value) j WHERE f.key = g.fact AND json_type(f.value) = 'array'"
	" AND j.value LIKE g.purl || '@%')))"
	" ORDER BY e.severity_rank, e.id";

enum status profile_default(struct kb *kb, struct profile_meta *meta, struct diag *d)
{
	sqlite3_stmt *q = NULL, *ins = NULL;
	enum status st;
	int seq = 0;

	memset(meta, 0, sizeof(*meta));
	if ((st = prepare(kb, d)) != STATUS_OK)
		return st;
	if (sqlite3_prepare_v2(kb->db, candidates_sql, -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db, "INSERT INTO temp.profile_item(seq, kind, text, entry) VALUES(?1, 'entry', ?2, ?2)",
			       -1, &ins, NULL) != SQLITE_OK) {
		st = diag_set(d, STATUS_ERR_DB, "checklist: %s", sqlite3_errmsg(kb->db));
		goto out;
	}
	while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		char why[256];
		bool out = false;
		if ((st = match_rules_out_host(kb, id, &out, why, sizeof(why), d)) != STATUS_OK || out)
			continue;
		sqlite3_bind_int(ins, 1, seq++);
		sqlite3_bind_text(ins, 2, id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(ins) != SQLITE_DONE)
			st = diag_set(d, STATUS_ERR_DB, "checklist: %s", sqlite3_errmsg(kb->db));
		sqlite3_reset(ins);
	}
	meta->nitems = (size_t)seq;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return st;
}

static const char probes_sql[] =
	"SELECT probe FROM (SELECT seq, probe FROM temp.profile_item WHERE kind = 'probe'"
	" UNION ALL SELECT seq, substr(fact, 7, length(fact) - 13) FROM temp.profile_item"
	"  WHERE kind = 'fact' AND fact GLOB 'probe.*.status'"
	" UNION ALL SELECT i.seq, e.probe FROM temp.profile_item i JOIN entry e ON e.id = i.entry"
	"  JOIN temp.finding fi ON fi.id = e.id WHERE i.kind = 'entry' AND fi.verdict = 'unknown'"
	"  AND e.probe IS NOT NULL)"
	" GROUP BY probe ORDER BY min(seq)";

enum status profile_probes(struct kb *kb, char ***names, size_t *n, struct diag *d)
{
	sqlite3_stmt *q;
	char **v = NULL;
	size_t cnt = 0;

	*names = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(kb->db, probes_sql, -1, &q, NULL) != SQLITE_OK)
		return diag_set(d, STATUS_ERR_DB, "checklist: %s", sqlite3_errmsg(kb->db));
	while (sqlite3_step(q) == SQLITE_ROW) {
		char **nv = realloc(v, (cnt + 1) * sizeof(*nv));
		char *name = strdup((const char *)sqlite3_column_text(q, 0));
		if (!nv || !name) {
			free(name);
			profile_names_free(nv ? nv : v, cnt);
			sqlite3_finalize(q);
			return diag_set(d, STATUS_ERR_NOMEM, "out of memory");
		}
		v = nv;
		v[cnt++] = name;
	}
	sqlite3_finalize(q);
	*names = v;
	*n = cnt;
	return STATUS_OK;
}

void profile_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
