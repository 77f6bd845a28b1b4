/* overlay.c - importing OSV records into the overlay database and merging
 * it over the base KB with temporary views. */
#include "overlay.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../probes/fileio.h"
#include "../probes/text.h"
#include "kb_compile.h"
#include "kb_schema.h"

#define IMPORT_MAX (256u << 20) /* osv.dev's largest per-ecosystem dumps */
/* Every check of a record reads its JSON again: importing one record of
 * 100 MB took over a minute. */
#define RECORD_MAX (16u << 20)
#define OVERLAY_KIND "quirk overlay"

static const char *const entry_tables[] = {KB_ENTRY_TABLES};

bool overlay_default_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int len = -1;

	/* The XDG spec says relative values are to be ignored. */
	if (xdg && xdg[0] == '/')
		len = snprintf(buf, n, "%s/quirk/overlay.sqlite", xdg);
	else if (home && home[0] == '/')
		len = snprintf(buf, n, "%s/.local/share/quirk/overlay.sqlite", home);
	return len > 0 && (size_t)len < n;
}

static enum status db_error(sqlite3 *db, struct diag *d, const char *path, const char *what)
{
	return diag_set(d, STATUS_ERR_DB, "%s: %s (%s)", path, what, sqlite3_errmsg(db));
}

/* schema.meta marks a quirk overlay made with these very tables. */
static enum status check_overlay(sqlite3 *db, const char *schema, const char *path, struct diag *d)
{
	char sql[256];
	sqlite3_stmt *q;
	enum status st = STATUS_OK;

	snprintf(sql, sizeof(sql), "SELECT (SELECT value FROM %s.meta WHERE key = 'kind'),"
		 " (SELECT value FROM %s.meta WHERE key = 'schema')", schema, schema);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_error(db, d, path, "not a quirk overlay database");
	if (sqlite3_step(q) != SQLITE_ROW) {
		st = db_error(db, d, path, "not a quirk overlay database");
	} else if (!sqlite3_column_text(q, 0) || strcmp((const char *)sqlite3_column_text(q, 0), OVERLAY_KIND)) {
		st = diag_set(d, STATUS_ERR_DB, "%s: not a quirk overlay database (no overlay marker)", path);
	} else if (!sqlite3_column_text(q, 1) || strcmp((const char *)sqlite3_column_text(q, 1), KB_SCHEMA_SQL)) {
		st = diag_set(d, STATUS_ERR_DB, "%s: written by another version of quirk (its tables differ);"
			      " move it away and import the records again", path);
	}
	sqlite3_finalize(q);
	return st;
}

/* "file:PATH?mode=ro" with the characters URIs reserve escaped. */
static bool ro_uri(char *buf, size_t n, const char *path)
{
	size_t len = (size_t)snprintf(buf, n, "file:");

	for (const unsigned char *p = (const unsigned char *)path; *p && len + 4 < n; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p > 0x7e)
			len += (size_t)snprintf(buf + len, n - len, "%%%02X", *p);
		else
			buf[len++] = (char)*p;
	}
	return len + 9 < n && snprintf(buf + len, n - len, "?mode=ro") == 8;
}

static enum status exec(sqlite3 *db, const char *sql, struct diag *d, const char *path)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? STATUS_OK
								    : db_error(db, d, path, "cannot merge it");
}

/* The view over table t (key column k): base rows of base entries, then
 * overlay rows of overlay entries. */
static enum status merged_view(sqlite3 *db, const char *t, const char *k, const char *path, struct diag *d)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "CREATE TEMP VIEW %s AS SELECT m.* FROM main.%s m JOIN temp.kb_origin o ON o.id = m.%s"
		 " AND o.origin <> 'overlay' UNION ALL SELECT v.* FROM ov.%s v JOIN temp.kb_origin o"
		 " ON o.id = v.%s AND o.origin = 'overlay'", t, t, k, t, k);
	return exec(db, sql, d, path);
}

enum status overlay_attach(struct kb *kb, const char *path, const char *base_label, struct diag *d)
{
	struct stat sb;
	sqlite3_stmt *q = NULL;
	char uri[8192];
	enum status st;
	bool present = path && stat(path, &sb) == 0;

	if (path && !present && errno != ENOENT && errno != ENOTDIR)
		return diag_set(d, STATUS_ERR_DB, "%s: %s", path, strerror(errno));
	if (present && S_ISDIR(sb.st_mode))
		return diag_set(d, STATUS_ERR_DB, "%s: is a directory, not a quirk overlay database", path);
	st = exec(kb->db, "CREATE TEMP TABLE kb_origin(id TEXT PRIMARY KEY, origin TEXT NOT NULL,"
		  " shadows INT NOT NULL DEFAULT 0)", d, path ? path : "overlay");
	if (st == STATUS_OK && present) {
		if (!ro_uri(uri, sizeof(uri), path))
			return diag_set(d, STATUS_ERR_DB, "%s: path too long", path);
		if (sqlite3_prepare_v2(kb->db, "ATTACH ?1 AS ov", -1, &q, NULL) != SQLITE_OK)
			return db_error(kb->db, d, path, "cannot open it");
		sqlite3_bind_text(q, 1, uri, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			st = db_error(kb->db, d, path, "not a quirk overlay database");
		sqlite3_finalize(q);
		if (st == STATUS_OK)
			st = check_overlay(kb->db, "ov", path, d);
		/* Mapped rather than read page by page: a scan reads most of it. */
		if (st == STATUS_OK)
			st = exec(kb->db, "PRAGMA ov.mmap_size = 1073741824", d, path);
		/* An overlay record wins unless the base entry is as new. */
		if (st == STATUS_OK)
			st = exec(kb->db, "INSERT INTO temp.kb_origin SELECT v.id, 'overlay', v.id IN (SELECT id FROM"
				  " main.entry) FROM ov.entry v WHERE NOT EXISTS (SELECT 1 FROM main.entry m WHERE"
				  " m.id = v.id AND ifnull(julianday(m.modified) >= julianday(v.modified),"
				  " m.modified >= v.modified))", d, path);
	}
	if (st == STATUS_OK) {
		if (sqlite3_prepare_v2(kb->db, "INSERT INTO temp.kb_origin SELECT id, ?1, 0 FROM main.entry"
				       " WHERE id NOT IN (SELECT id FROM temp.kb_origin)", -1, &q, NULL) != SQLITE_OK)
			return db_error(kb->db, d, path ? path : "overlay", "cannot merge it");
		sqlite3_bind_text(q, 1, base_label, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			st = db_error(kb->db, d, path ? path : "overlay", "cannot merge it");
		sqlite3_finalize(q);
	}
	if (st == STATUS_OK && present) {
		st = merged_view(kb->db, "entry", "id", path, d);
		for (size_t i = 0; st == STATUS_OK && i < sizeof(entry_tables) / sizeof(entry_tables[0]); i++)
			st = merged_view(kb->db, entry_tables[i], "entry_id", path, d);
		kb->overlay = st == STATUS_OK;
	}
	return st;
}

/* Import. */

enum decision { ADD, REPLACE, UNCHANGED, KEEP, BASE };

struct import {
	sqlite3 *db;
	struct kb_compiler *compiler;
	struct overlay_report *rep;
	const char *base_label;
	struct diag *d;
};

static enum status add_line(struct overlay_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum status add_line(struct overlay_report *rep, const char *fmt, ...)
{
	char **v = realloc(rep->lines, (rep->nlines + 1) * sizeof(*v)), *line;
	va_list ap;
	int n;

	if (!v)
		return STATUS_ERR_NOMEM;
	rep->lines = v;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(line = malloc((size_t)n + 1)))
		return STATUS_ERR_NOMEM;
	va_start(ap, fmt);
	vsnprintf(line, (size_t)n + 1, fmt, ap);
	va_end(ap);
	v[rep->nlines++] = line;
	return STATUS_OK;
}

void overlay_report_free(struct overlay_report *rep)
{
	for (size_t i = 0; i < rep->nlines; i++)
		free(rep->lines[i]);
	free(rep->lines);
	memset(rep, 0, sizeof(*rep));
}

/* The text of column 0 of sql with text parameters p1, p2 (may be NULL);
 * NULL if no row or a NULL value. */
static char *query1(sqlite3 *db, const char *sql, const char *p1, const char *p2)
{
	sqlite3_stmt *q;
	char *out = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(q, 1, p1, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(q) >= 2)
		sqlite3_bind_text(q, 2, p2, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		out = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return out;
}

/* Sign of a's time against b's: RFC 3339 times, compared as instants. */
static int newer(sqlite3 *db, const char *a, const char *b)
{
	char *r = query1(db, "SELECT ifnull((julianday(?1) > julianday(?2)) - (julianday(?1) < julianday(?2)),"
			 " (?1 > ?2) - (?1 < ?2))", a, b);
	int c = r ? atoi(r) : 0;

	free(r);
	return c;
}

static enum status delete_entry(sqlite3 *db, const char *id, struct diag *d)
{
	char sql[128];
	sqlite3_stmt *q;
	enum status st = STATUS_OK;
	size_t n = sizeof(entry_tables) / sizeof(entry_tables[0]);

	/* entry_fts shares entry's rowids (kb_compile.c): it goes first. */
	for (size_t i = 0; st == STATUS_OK && i < n + 2; i++) {
		if (i == 0)
			snprintf(sql, sizeof(sql), "DELETE FROM main.entry_fts WHERE rowid ="
				 " (SELECT rowid FROM main.entry WHERE id = ?1)");
		else if (i <= n)
			snprintf(sql, sizeof(sql), "DELETE FROM main.%s WHERE entry_id = ?1", entry_tables[i - 1]);
		else
			snprintf(sql, sizeof(sql), "DELETE FROM main.entry WHERE id = ?1");
		if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
			return diag_set(d, STATUS_ERR_DB, "overlay: %s", sqlite3_errmsg(db));
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			st = diag_set(d, STATUS_ERR_DB, "overlay: %s", sqlite3_errmsg(db));
		sqlite3_finalize(q);
	}
	return st;
}

static enum decision decide(struct import *im, const char *id, const char *modified, char **old)
{
	char *base = query1(im->db, "SELECT modified FROM temp.base_ids WHERE id = ?1", id, NULL);

	*old = NULL;
	if (base && newer(im->db, modified, base) <= 0) {
		*old = base;
		return BASE;
	}
	free(base);
	*old = query1(im->db, "SELECT modified FROM main.entry WHERE id = ?1", id, NULL);
	if (!*old)
		return ADD;
	int c = newer(im->db, modified, *old);
	return c > 0 ? REPLACE : c == 0 ? UNCHANGED : KEEP;
}

/* Lines for what the translation left out, and for a record that will
 * never be judged. */
static enum status report_parts(struct import *im, const char *id, const char *notes)
{
	sqlite3_stmt *q;
	enum status st = STATUS_OK;
	char *inactive = query1(im->db, "SELECT inactive FROM main.entry WHERE id = ?1", id, NULL);

	/* An inactive record's reason is its first note. */
	if (inactive) {
		im->rep->inactive++;
		st = add_line(im->rep, "%s: stored, but never judged: %s", id, inactive);
		free(inactive);
		return st;
	}
	if (!notes ||
	    sqlite3_prepare_v2(im->db, "SELECT value FROM json_each(?1)", -1, &q, NULL) != SQLITE_OK)
		return st;
	sqlite3_bind_text(q, 1, notes, -1, SQLITE_STATIC);
	while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW)
		st = add_line(im->rep, "%s: %s", id, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return st;
}

/* Validates and, where decided, stores one record. Records not stored are
 * still compiled (and rolled back) so that an invalid one fails. */
static enum status import_record(struct import *im, const char *file, const char *text, const char *where)
{
	struct kb_record r = {.doc = text, .name = file, .where = where};
	char *id, *modified, *old = NULL, *notes = NULL;
	enum decision dec;
	enum status st;

	if (strlen(text) > RECORD_MAX)
		return diag_set(im->d, STATUS_ERR_KB_INVALID, "%s: a record of %.1f MiB; records of more than %u MiB"
				" are not imported", where, strlen(text) / 1048576.0, RECORD_MAX >> 20);
	id = query1(im->db, "SELECT ?1->>'$.id' WHERE json_valid(?1) AND json_type(?1, '$.id') = 'text'", text,
		    NULL);
	modified = query1(im->db, "SELECT ?1->>'$.modified' WHERE json_valid(?1)", text, NULL);
	dec = id ? decide(im, id, modified, &old) : ADD;
	st = exec(im->db, "SAVEPOINT rec", im->d, "overlay");

	/* A record not stored yet has nothing to delete. */
	if (st == STATUS_OK && id && dec != ADD)
		st = delete_entry(im->db, id, im->d);
	if (st == STATUS_OK)
		st = kb_compile_record(im->compiler, &r, &notes, im->d);
	if (st == STATUS_OK && (dec == ADD || dec == REPLACE))
		st = report_parts(im, id, notes);
	if (st == STATUS_OK && dec != ADD && dec != REPLACE)
		st = exec(im->db, "ROLLBACK TO rec", im->d, "overlay");
	if (st == STATUS_OK)
		st = exec(im->db, "RELEASE rec", im->d, "overlay");
	im->rep->records++;
	if (st == STATUS_OK) {
		switch (dec) {
		case ADD:
			im->rep->added++;
			break;
		case REPLACE:
			im->rep->replaced++;
			st = add_line(im->rep, "%s: replaced the stored record (modified %s, now %s)", id, old, modified);
			break;
		case UNCHANGED:
			im->rep->unchanged++;
			st = add_line(im->rep, "%s: unchanged (stored with the same modified time, %s)", id, old);
			break;
		case KEEP:
			im->rep->kept++;
			st = add_line(im->rep, "%s: not imported: the stored record is newer (modified %s)", id, old);
			break;
		case BASE:
			im->rep->skipped_base++;
			st = add_line(im->rep, "%s: not imported: the %s entry is as new or newer (modified %s)", id,
				      im->base_label, old);
			break;
		}
	}
	if (st == STATUS_OK && dec == ADD && id &&
	    (old = query1(im->db, "SELECT modified FROM temp.base_ids WHERE id = ?1", id, NULL)))
		st = add_line(im->rep, "%s: imported; it takes the place of the %s entry (modified %s)", id,
			      im->base_label, old);
	free(id);
	free(modified);
	free(old);
	free(notes);
	return st;
}

static enum status import_file(struct import *im, const char *path)
{
	char *text = NULL, *kind = NULL, where[1024];
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = 0;
	enum status st = fileio_read(path, IMPORT_MAX, &text, &len, im->d);
	sqlite3_stmt *q;

	if (st != STATUS_OK)
		return st;
	if (text_check(path, text, len, "an OSV file", im->d) != STATUS_OK) {
		free(text);
		return STATUS_ERR_KB_INVALID;
	}
	/* Strictly first: SQLite 3.40's json_each() crashes on some text its
	 * json_valid() accepts. */
	kind = !text_json_strict(text, len) ? strdup("invalid") :
	       query1(im->db, "SELECT CASE WHEN NOT json_valid(?1) THEN 'invalid' WHEN json_type(?1) = 'array'"
		      " THEN '$' WHEN json_type(?1) <> 'object' THEN 'other' WHEN json_type(?1, '$.id') IS NULL"
		      " AND json_type(?1, '$.vulns') = 'array' THEN '$.vulns' WHEN json_type(?1, '$.id') IS NULL"
		      " AND (SELECT count(*) FROM json_each(?1)) = 0 THEN 'empty' ELSE 'one' END", text, NULL);
	if (!kind) {
		st = STATUS_ERR_NOMEM;
	} else if (!strcmp(kind, "invalid")) {
		char why[128];
		text_json_invalid(text, why, sizeof(why));
		st = diag_set(im->d, STATUS_ERR_KB_INVALID, "%s: %s", path, why);
	} else if (!strcmp(kind, "other")) {
		st = diag_set(im->d, STATUS_ERR_KB_INVALID, "%s: not an OSV record, a list of records or"
			      " {\"vulns\": [...]}", path);
	} else if (!strcmp(kind, "empty")) {
		st = add_line(im->rep, "%s: no records", path);
	} else if (!strcmp(kind, "one")) {
		char *id = query1(im->db, "SELECT ?1->>'$.id'", text, NULL);
		snprintf(where, sizeof(where), "%s%s%s", path, id ? ": " : "", id ? id : "");
		free(id);
		st = import_record(im, name, text, where);
	} else if (sqlite3_prepare_v2(im->db, "SELECT key, value, value->>'$.id' FROM json_each(?1, ?2)", -1, &q,
				      NULL) != SQLITE_OK) {
		st = diag_set(im->d, STATUS_ERR_DB, "%s: %s", path, sqlite3_errmsg(im->db));
	} else {
		sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, kind, -1, SQLITE_STATIC);
		while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(q, 2);
			char *rec = strdup((const char *)sqlite3_column_text(q, 1));
			snprintf(where, sizeof(where), "%s: record %d%s%s", path, sqlite3_column_int(q, 0),
				 id ? " " : "", id ? id : "");
			st = rec ? import_record(im, name, rec, where) : STATUS_ERR_NOMEM;
			free(rec);
		}
		sqlite3_finalize(q);
	}
	free(kind);
	free(text);
	return st;
}

/* The working copy: the overlay as stored, or a new empty one. */
static enum status open_work(sqlite3 **out, const char *path, struct diag *d)
{
	sqlite3 *db = NULL, *src = NULL;
	struct stat sb;
	enum status st = STATUS_OK;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
		sqlite3_close(db);
		return STATUS_ERR_NOMEM;
	}
	if (stat(path, &sb) == 0) {
		sqlite3_backup *b;
		if (S_ISDIR(sb.st_mode))
			st = diag_set(d, STATUS_ERR_DB, "%s: is a directory, not a quirk overlay database", path);
		else if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			st = db_error(src, d, path, "not a quirk overlay database");
		else
			st = check_overlay(src, "main", path, d);
		if (st == STATUS_OK) {
			b = sqlite3_backup_init(db, "main", src, "main");
			if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
				st = db_error(src, d, path, "cannot read it");
			sqlite3_backup_finish(b);
		}
		if (st == STATUS_OK && kb_register_functions(db) != SQLITE_OK)
			st = db_error(db, d, path, "cannot read it");
	} else if (errno != ENOENT && errno != ENOTDIR) {
		st = diag_set(d, STATUS_ERR_IO, "%s: %s", path, strerror(errno));
	} else {
		st = kb_schema_create(db, d);
		if (st == STATUS_OK) {
			sqlite3_stmt *q;
			if (sqlite3_prepare_v2(db, "INSERT INTO meta VALUES ('kind', '" OVERLAY_KIND "'), ('schema', ?1),"
					       " ('schema_version', 1)", -1, &q, NULL) != SQLITE_OK)
				return db_error(db, d, path, "cannot create it");
			sqlite3_bind_text(q, 1, KB_SCHEMA_SQL, -1, SQLITE_STATIC);
			if (sqlite3_step(q) != SQLITE_DONE)
				st = db_error(db, d, path, "cannot create it");
			sqlite3_finalize(q);
		}
	}
	sqlite3_close(src);
	if (st != STATUS_OK) {
		sqlite3_close(db);
		return st;
	}
	*out = db;
	return STATUS_OK;
}

static enum status load_base_ids(sqlite3 *db, struct kb *base, struct diag *d)
{
	sqlite3_stmt *from = NULL, *to = NULL;
	enum status st = exec(db, "CREATE TEMP TABLE base_ids(id TEXT PRIMARY KEY, modified TEXT)", d, "overlay");

	if (st == STATUS_OK &&
	    (sqlite3_prepare_v2(base->db, "SELECT id, modified FROM main.entry", -1, &from, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(db, "INSERT INTO temp.base_ids VALUES (?1, ?2)", -1, &to, NULL) != SQLITE_OK))
		st = diag_set(d, STATUS_ERR_DB, "knowledge base: %s", sqlite3_errmsg(from ? db : base->db));
	while (st == STATUS_OK && sqlite3_step(from) == SQLITE_ROW) {
		sqlite3_bind_value(to, 1, sqlite3_column_value(from, 0));
		sqlite3_bind_value(to, 2, sqlite3_column_value(from, 1));
		if (sqlite3_step(to) != SQLITE_DONE)
			st = diag_set(d, STATUS_ERR_DB, "overlay: %s", sqlite3_errmsg(db));
		sqlite3_reset(to);
	}
	sqlite3_finalize(from);
	sqlite3_finalize(to);
	return st;
}

static bool mkdir_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
		*p = '/';
		if (!ok)
			return false;
	}
	return true;
}

/* The whole database, compacted, through a renamed temporary file. */
static enum status write_overlay(sqlite3 *db, const char *path, struct diag *d)
{
	sqlite3_int64 n = 0;
	unsigned char *img;
	char *dir = strdup(path);
	enum status st = STATUS_OK;

	if (!dir)
		return STATUS_ERR_NOMEM;
	if (!mkdir_parents(dir))
		st = diag_set(d, STATUS_ERR_IO, "%s: cannot create its directory: %s", path, strerror(errno));
	free(dir);
	if (st == STATUS_OK)
		st = exec(db, "INSERT OR REPLACE INTO meta SELECT 'kb_version', ifnull(max(substr(modified, 1, 10)),"
			  " 'empty') || '.' || count(*) FROM entry;" KB_FTS_OPTIMIZE_SQL "VACUUM", d, path);
	if (st != STATUS_OK)
		return st;
	img = sqlite3_serialize(db, "main", &n, 0);
	if (!img)
		return STATUS_ERR_NOMEM;
	st = fileio_write_atomic(path, img, (size_t)n, d);
	sqlite3_free(img);
	return st;
}

enum status overlay_import(const char *path, struct kb *base, const char *base_label,
			   const char *const *files, size_t nfiles, struct overlay_report *rep,
			   struct diag *d)
{
	struct import im = {.rep = rep, .base_label = base_label, .d = d};
	enum status st;

	memset(rep, 0, sizeof(*rep));
	st = open_work(&im.db, path, d);
	if (st != STATUS_OK)
		return st;
	st = load_base_ids(im.db, base, d);
	if (st == STATUS_OK)
		st = kb_compiler_new(im.db, &im.compiler, d);
	if (st == STATUS_OK)
		st = exec(im.db, "BEGIN", d, path);
	for (size_t i = 0; st == STATUS_OK && i < nfiles; i++)
		st = import_file(&im, files[i]);
	kb_compiler_free(im.compiler);
	if (st == STATUS_OK)
		st = exec(im.db, "COMMIT", d, path);
	/* Nothing new: the file stays as it was (and may be read-only). */
	if (st == STATUS_OK && rep->added + rep->replaced > 0) {
		st = write_overlay(im.db, path, d);
		rep->written = st == STATUS_OK;
	}
	sqlite3_close(im.db);
	return st;
}
