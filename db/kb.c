/* kb.c - opening the KB and the SQL functions matching relies on. */
#include "kb.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


extern const unsigned char kb_blob[];
extern const size_t kb_blob_len;

/* Temporary tables stay in memory: a scan over thousands of imported
 * entries writes as many evidence rows. */
static const char temp_schema[] =
	"PRAGMA temp_store = MEMORY;"
	"CREATE TEMP TABLE facts(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TEMP TABLE finding(id TEXT PRIMARY KEY, verdict TEXT NOT NULL,"
	" rank INT NOT NULL, missing TEXT NOT NULL DEFAULT '[]');"
	"CREATE TEMP TABLE evidence(entry_id TEXT, seq INT, kind TEXT, fact TEXT,"
	" expected TEXT, actual TEXT, outcome TEXT, note TEXT);"
	"CREATE INDEX temp.evidence_e ON evidence(entry_id, seq);";

/* The schema this quirk reads (meta.schema_version). */
#define KB_SCHEMA_VERSION "1"

/* Whether the file is one SQLite can open as a KB, before asking it: its
 * "unable to open" and "disk I/O error" would hide the cause. */
static enum status check_file(const char *path, struct diag *d)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return diag_set(d, STATUS_ERR_DB, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return diag_set(d, STATUS_ERR_DB, "%s: is a directory, not a quirk knowledge base", path);
	if (access(path, R_OK) != 0)
		return diag_set(d, STATUS_ERR_DB, "%s: %s", path, strerror(errno));
	return STATUS_OK;
}

/* Why meta.schema_version (st's row, if row) is not this quirk's. */
static void schema_mismatch(sqlite3_stmt *st, bool row, char *buf, size_t n)
{
	const char *v = row ? (const char *)sqlite3_column_text(st, 0) : NULL;

	if (!v)
		snprintf(buf, n, "not a quirk knowledge base (no schema_version)");
	else
		snprintf(buf, n, "knowledge base schema version %.32s, made by another version of quirk;"
			 " this one reads version %s", v, KB_SCHEMA_VERSION);
}

enum status kb_open(struct kb **out, const char *path, struct diag *d)
{
	struct kb *kb;
	const char *what = path ? path : "embedded knowledge base";
	sqlite3_stmt *st = NULL;
	char mismatch[160] = "";
	int rc;

	if (path && check_file(path, d) != STATUS_OK)
		return STATUS_ERR_DB;
	if (!(kb = calloc(1, sizeof(*kb))))
		return STATUS_ERR_NOMEM;
	if (path) {
		rc = sqlite3_open_v2(path, &kb->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	} else {
		/* URIs: the overlay is attached read-only (overlay_attach()). */
		rc = sqlite3_open_v2(":memory:", &kb->db,
				     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL);
		/* The blob is const and lives as long as the program. */
		if (rc == SQLITE_OK)
			rc = sqlite3_deserialize(kb->db, "main", (unsigned char *)kb_blob,
						 (sqlite3_int64)kb_blob_len,
						 (sqlite3_int64)kb_blob_len,
						 SQLITE_DESERIALIZE_READONLY);
	}
	if (rc == SQLITE_OK)
		rc = kb_register_functions(kb->db);
	/* A file that is not a quirk KB fails here, whatever it is. */
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(kb->db,
					"SELECT value FROM meta WHERE key = 'schema_version'",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
		    !strcmp((const char *)sqlite3_column_text(st, 0), KB_SCHEMA_VERSION)) {
			rc = SQLITE_OK;
		} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
			schema_mismatch(st, rc == SQLITE_ROW, mismatch, sizeof(mismatch));
			rc = SQLITE_MISMATCH;
		}
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(kb->db, temp_schema, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (rc == SQLITE_MISMATCH)
			diag_set(d, STATUS_ERR_DB, "%s: %s", what, mismatch);
		else
			diag_set(d, STATUS_ERR_DB, "%s: not a quirk knowledge base (%s)", what, sqlite3_errmsg(kb->db));
		kb_close(kb);
		return STATUS_ERR_DB;
	}
	*out = kb;
	return STATUS_OK;
}

void kb_close(struct kb *kb)
{
	if (!kb)
		return;
	kb_stmts_free(kb->stmts, KB_STMTS);
	sqlite3_close(kb->db);
	free(kb);
}

sqlite3_stmt *kb_stmt_in(sqlite3 *db, struct kb_stmt_slot *slots, size_t n, const char *sql)
{
	size_t i;

	for (i = 0; i < n && slots[i].sql; i++)
		if (slots[i].sql == sql) {
			sqlite3_reset(slots[i].st);
			sqlite3_clear_bindings(slots[i].st);
			return slots[i].st;
		}
	if (i == n || sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slots[i].st, NULL) != SQLITE_OK)
		return NULL;
	slots[i].sql = sql;
	return slots[i].st;
}

void kb_stmts_free(struct kb_stmt_slot *slots, size_t n)
{
	for (size_t i = 0; i < n && slots[i].sql; i++)
		sqlite3_finalize(slots[i].st);
}

sqlite3_stmt *kb_stmt(struct kb *kb, const char *sql)
{
	return kb_stmt_in(kb->db, kb->stmts, KB_STMTS, sql);
}

static enum status db_fail(struct kb *kb, struct diag *d, const char *what)
{
	return diag_set(d, STATUS_ERR_DB, "%s: %s", what, sqlite3_errmsg(kb->db));
}

/* A list fact as one JSON array, written in one pass (hundreds of
 * os.packages on every scan): quotes, backslashes and control characters
 * escaped as JSON requires, other bytes as they are. */
static enum status list_json(const struct fact *x, char **out)
{
	size_t cap = 2;
	char *buf, *p;

	for (size_t j = 0; j < x->nlist; j++)
		cap += strlen(x->list[j]) * 6 + 3;
	if (!(buf = malloc(cap + 1)))
		return STATUS_ERR_NOMEM;
	p = buf;
	*p++ = '[';
	for (size_t j = 0; j < x->nlist; j++) {
		if (j)
			*p++ = ',';
		*p++ = '"';
		for (const unsigned char *c = (const unsigned char *)x->list[j]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\', *p++ = (char)*c;
			else if (*c < 0x20)
				p += sprintf(p, "\\u%04x", *c);
			else
				*p++ = (char)*c;
		}
		*p++ = '"';
	}
	*p++ = ']';
	*p = '\0';
	*out = buf;
	return STATUS_OK;
}

/* Whether v is a whole number a long long holds exactly; a value out of
 * its range must not be converted at all (1e300 in a facts file). */
static bool whole(double v)
{
	return v >= -9007199254740992.0 && v <= 9007199254740992.0 && v == (double)(long long)v;
}

enum status kb_set_facts(struct kb *kb, const struct facts *f, struct diag *d)
{
	sqlite3_stmt *ins = NULL;
	enum status st = STATUS_OK;

	if (sqlite3_exec(kb->db, "DELETE FROM temp.facts", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db,
			       "INSERT INTO temp.facts(key, value) VALUES(?1, "
			       "CASE ?2 WHEN 0 THEN 'null' WHEN 1 THEN json_quote(?3)"
			       " WHEN 2 THEN json_quote(?3) WHEN 3 THEN"
			       " CASE WHEN ?3 THEN 'true' ELSE 'false' END ELSE json(?3) END)",
			       -1, &ins, NULL) != SQLITE_OK) {
		st = db_fail(kb, d, "facts");
		goto out;
	}
	for (size_t i = 0; i < f->n && st == STATUS_OK; i++) {
		const struct fact *x = &f->v[i];
		char *list = NULL;
		sqlite3_bind_text(ins, 1, x->key, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 2, x->type == FACT_NULL ? 0 : x->type == FACT_STR ? 1
				 : x->type == FACT_NUM ? 2 : x->type == FACT_BOOL ? 3 : 4);
		if (x->type == FACT_STR)
			sqlite3_bind_text(ins, 3, x->str, -1, SQLITE_STATIC);
		else if (x->type == FACT_NUM && whole(x->num))
			sqlite3_bind_int64(ins, 3, (long long)x->num);
		else if (x->type == FACT_NUM)
			sqlite3_bind_double(ins, 3, x->num);
		else if (x->type == FACT_LIST && (st = list_json(x, &list)) == STATUS_OK)
			sqlite3_bind_text(ins, 3, list, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int(ins, 3, x->b);
		if (st == STATUS_OK && sqlite3_step(ins) != SQLITE_DONE)
			st = db_fail(kb, d, x->key);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		free(list);
	}
out:
	sqlite3_finalize(ins);
	return st;
}

enum status kb_info(struct kb *kb, char *version, size_t vsize, int *entries)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(kb->db, kb->overlay
			       ? "SELECT (SELECT value FROM main.meta WHERE key = 'kb_version') || ' + overlay '"
				 " || (SELECT value FROM ov.meta WHERE key = 'kb_version'), (SELECT count(*) FROM entry)"
			       : "SELECT (SELECT value FROM main.meta WHERE key = 'kb_version'),"
				 " (SELECT count(*) FROM entry)", -1, &st, NULL) != SQLITE_OK)
		return STATUS_ERR_DB;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return STATUS_ERR_DB;
	}
	snprintf(version, vsize, "%s",
		 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "?");
	*entries = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	return STATUS_OK;
}

enum status kb_query_text(struct kb *kb, const char *sql,
			  const char *const *params, char **out, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(kb->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(kb, d, "query");
	for (int i = 0; params && params[i]; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		*out = strdup((const char *)sqlite3_column_text(st, 0));
		if (!*out) {
			sqlite3_finalize(st);
			return STATUS_ERR_NOMEM;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(kb, d, "query");
	return STATUS_OK;
}
