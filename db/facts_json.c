/* facts_json.c - facts files. */
#include "facts_json.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/fileio.h"
#include "../probes/text.h"

#define FACTS_FILE_MAX (16u << 20)

static enum status bad(struct diag *d, const char *path, const char *what, const char *key)
{
	if (key)
		return diag_set(d, STATUS_ERR_FACTS_INVALID, "%s: fact \"%.200s\": %s", path, key, what);
	return diag_set(d, STATUS_ERR_FACTS_INVALID, "%s: %s", path, what);
}

/* The contract's type names, said as a message says them. */
static const char *type_words(const char *type)
{
	static const struct {
		const char *type, *words;
	} names[] = {{"string", "a string"}, {"number", "a number"}, {"bool", "true or false"},
		     {"list", "a list of strings"}, {"number|string", "a number or a string"}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].type, type))
			return names[i].words;
	return type;
}

/* A fact of the contract must hold its type, or null (known to be absent):
 * a kernel release given as a number would compare as no version does. */
static enum status check_type(struct diag *d, const char *path, const char *key, const char *json_type)
{
	const char *want = facts_key_type(key);
	const char *got = !strcmp(json_type, "true") || !strcmp(json_type, "false") ? "bool"
			  : !strcmp(json_type, "integer") || !strcmp(json_type, "real") ? "number"
			  : !strcmp(json_type, "text")				      ? "string"
			  : !strcmp(json_type, "array")				      ? "list"
										      : json_type;
	char what[160];

	if (!want || !strcmp(json_type, "null") || !strcmp(want, got) ||
	    (!strcmp(want, "number|string") && (!strcmp(got, "number") || !strcmp(got, "string"))))
		return STATUS_OK;
	snprintf(what, sizeof(what), "%s is expected (quirk facts --keys), not %s", type_words(want), type_words(got));
	return bad(d, path, what, key);
}

static enum status load_rows(sqlite3 *db, const char *path, const char *doc, struct facts *f,
			     struct diag *d)
{
	sqlite3_stmt *q = NULL, *items = NULL;
	enum status st = STATUS_OK;
	int rc;

	/* A scan document carries its facts under "facts". */
	if (sqlite3_prepare_v2(db,
			       "WITH root(p) AS (SELECT CASE WHEN json_type(?1, '$.facts') = 'object'"
			       " AND json_type(?1, '$.findings') IS NOT NULL THEN '$.facts' ELSE '$' END)"
			       " SELECT json_type(?1, p), key, type, atom, value FROM root"
			       " LEFT JOIN json_each(?1, p)", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT type, atom FROM json_each(?1)", -1, &items, NULL) != SQLITE_OK) {
		st = diag_set(d, STATUS_ERR_DB, "%s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
	while (st == STATUS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *root = (const char *)sqlite3_column_text(q, 0);
		const char *key = (const char *)sqlite3_column_text(q, 1);
		const char *type = (const char *)sqlite3_column_text(q, 2);
		if (!root || strcmp(root, "object") != 0) {
			st = bad(d, path, "expected a JSON object of facts (as written by quirk facts --json)", NULL);
			break;
		}
		if (!key) /* empty object */
			break;
		if (!*key || strlen(key) > 200) {
			st = bad(d, path, "keys must be 1 to 200 characters", key);
		} else if ((st = check_type(d, path, key, type)) != STATUS_OK) {
			break;
		} else if (!strcmp(type, "null")) {
			st = facts_set_null(f, key);
		} else if (!strcmp(type, "true") || !strcmp(type, "false")) {
			st = facts_set_bool(f, key, type[0] == 't');
		} else if (!strcmp(type, "integer") || !strcmp(type, "real")) {
			/* 1e999 reads as infinity, which no JSON can say again. */
			double v = sqlite3_column_double(q, 3);
			st = isfinite(v) ? facts_set_num(f, key, v) : bad(d, path, "number out of range", key);
		} else if (!strcmp(type, "text")) {
			st = facts_set_str(f, key, (const char *)sqlite3_column_text(q, 3));
		} else if (!strcmp(type, "array")) {
			st = facts_set_list(f, key, NULL, 0);
			sqlite3_bind_text(items, 1, (const char *)sqlite3_column_text(q, 4), -1, SQLITE_STATIC);
			while (st == STATUS_OK && sqlite3_step(items) == SQLITE_ROW) {
				if (strcmp((const char *)sqlite3_column_text(items, 0), "text") != 0)
					st = bad(d, path, "lists may hold only strings", key);
				else
					st = facts_list_add(f, key, (const char *)sqlite3_column_text(items, 1));
			}
			sqlite3_reset(items);
		} else {
			st = bad(d, path, "values must be a string, number, boolean, null or list of strings", key);
		}
	}
out:
	sqlite3_finalize(items);
	sqlite3_finalize(q);
	return st;
}

enum status facts_json_parse(sqlite3 *db, const char *name, const char *text, size_t len,
			     struct facts *f, struct diag *d)
{
	sqlite3_stmt *q = NULL;
	enum status st;

	if (text_check(name, text, len, "a facts file", d) != STATUS_OK) {
		st = STATUS_ERR_FACTS_INVALID;
	} else if (!text_json_strict(text, len)) {
		char why[128];
		text_json_invalid(text, why, sizeof(why));
		st = bad(d, name, why, NULL);
	} else if (sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &q, NULL) != SQLITE_OK) {
		st = diag_set(d, STATUS_ERR_DB, "%s: %s", name, sqlite3_errmsg(db));
	} else if (sqlite3_bind_text(q, 1, text, (int)len, SQLITE_STATIC) != SQLITE_OK ||
		   sqlite3_step(q) != SQLITE_ROW || !sqlite3_column_int(q, 0)) {
		char why[128];
		text_json_invalid(text, why, sizeof(why));
		st = bad(d, name, why, NULL);
	} else {
		st = load_rows(db, name, text, f, d);
	}
	sqlite3_finalize(q);
	if (st != STATUS_OK) {
		facts_free(f);
		facts_init(f);
	}
	return st;
}

enum status facts_json_load(const char *path, struct facts *f, struct diag *d)
{
	char *doc = NULL;
	size_t len = 0;
	sqlite3 *db = NULL;
	enum status st = fileio_read(path, FACTS_FILE_MAX, &doc, &len, d);

	if (st == STATUS_ERR_TOO_LARGE)
		return bad(d, path, "larger than 16 MiB; not a facts file", NULL);
	if (st != STATUS_OK)
		return st;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		st = diag_set(d, STATUS_ERR_DB, "%s: cannot open SQLite", path);
	else
		st = facts_json_parse(db, path, doc, len, f, d);
	sqlite3_close(db);
	free(doc);
	return st;
}

enum status facts_json_dump(struct kb *kb, char **out, struct diag *d)
{
	return kb_query_text(kb,
			     "SELECT json_group_object(key, json(value)) FROM"
			     " (SELECT key, value FROM temp.facts ORDER BY key)",
			     NULL, out, d);
}
