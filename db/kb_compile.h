/* kb_compile.h - builds the KB database from OSV-shaped JSON entries. */
#ifndef QUIRK_KB_COMPILE_H
#define QUIRK_KB_COMPILE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "../probes/status.h"

/* Creates the KB schema in db (empty) and loads every entry file into it.
 * Stops at the first invalid entry: STATUS_ERR_KB_INVALID with d naming
 * the file and the reason; STATUS_ERR_IO if a file cannot be read;
 * STATUS_ERR_DB on SQLite failure. */
enum status kb_compile(sqlite3 *db, const char *const *files, size_t nfiles,
		       struct diag *d);

/* Creates the empty KB tables in db and registers the SQL functions.
 * STATUS_ERR_DB with d filled. */
enum status kb_schema_create(sqlite3 *db, struct diag *d);

/* One OSV record to compile. */
struct kb_record {
	const char *doc;   /* its JSON text */
	const char *name;  /* entry.file: the file it came from */
	const char *where; /* what messages start with: "FILE", "FILE: record 3" */
	bool id_is_file;   /* the id must be name less ".json" (assets/kb) */
	bool native_only;  /* judge it as quirk's own entry whatever it holds */
};

/* Whether doc is one of quirk's own entries (database_specific carries
 * quirk's fields) rather than a record from another database. */
bool kb_record_is_native(sqlite3 *db, const char *doc);

/* The statements compiling records into one database, prepared once. */
struct kb_compiler;
/* STATUS_ERR_NOMEM. Free with kb_compiler_free() before closing db. */
enum status kb_compiler_new(sqlite3 *db, struct kb_compiler **out, struct diag *d);
void kb_compiler_free(struct kb_compiler *c);

/* Validates one record and adds it to the KB tables of c's database
 * (kb_schema_create() done). A foreign record (osv.dev) is checked as it came, translated into
 * quirk's shape (osv_translate()) and checked again; its text is kept as
 * entry.doc. With notes, *notes gets a JSON list of what the translation
 * left out (malloc'd, or NULL). STATUS_ERR_KB_INVALID with d = "WHERE:
 * reason" (nothing of the record is inserted if a check fails; an insert
 * failing midway leaves rows the caller must roll back), STATUS_ERR_DB,
 * STATUS_ERR_NOMEM. */
enum status kb_compile_record(struct kb_compiler *c, const struct kb_record *r, char **notes,
			      struct diag *d);

#endif
