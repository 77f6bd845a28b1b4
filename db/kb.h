/* kb.h - the knowledge base: an SQLite database (embedded or a file) plus
 * the facts and findings of the current scan in temporary tables. */
#ifndef QUIRK_KB_H
#define QUIRK_KB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "../probes/facts.h"
#include "../probes/status.h"

/* A prepared statement kept for reuse, keyed by the address of its SQL
 * text (a string constant). */
struct kb_stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

/* Statements kept for reuse on one KB (kb_stmt()). */
#define KB_STMTS 64

struct kb {
	sqlite3 *db;
	bool overlay; /* an overlay is merged over it (overlay_attach()) */
	struct kb_stmt_slot stmts[KB_STMTS];
};

/* Opens the KB compiled into quirk (path NULL) or the database file at
 * path, read-only. STATUS_ERR_DB with d naming the file if it cannot be
 * opened or is not a quirk KB. On success *out must be closed with
 * kb_close(). */
enum status kb_open(struct kb **out, const char *path, struct diag *d);
void kb_close(struct kb *kb);

/* The statement for sql, a string constant whose address is the key,
 * prepared on first use and kept until kb_close(), reset and unbound: for
 * what runs again and again on one KB (searches, profile checks). The
 * caller resets it when done, and does not hold it across another use of
 * the same sql. NULL if it cannot be prepared (sqlite3_errmsg() says why)
 * or KB_STMTS are kept already. */
sqlite3_stmt *kb_stmt(struct kb *kb, const char *sql);

/* The same over any n slots of db (zeroed at first); kb_stmts_free()
 * finalizes what they hold. */
sqlite3_stmt *kb_stmt_in(sqlite3 *db, struct kb_stmt_slot *slots, size_t n, const char *sql);
void kb_stmts_free(struct kb_stmt_slot *slots, size_t n);

/* Registers vercmp(scheme, a, b), ver_valid(scheme, v), ver_scheme_known(s),
 * fact_known(key) and pattern_check(pattern, text) on db. SQLITE_OK or an SQLite error code. */
int kb_register_functions(sqlite3 *db);

/* Replaces the facts of the scan with f. STATUS_ERR_DB/NOMEM on failure. */
enum status kb_set_facts(struct kb *kb, const struct facts *f, struct diag *d);

/* The KB's version string (e.g. "2026-11-23.5", with "+ overlay
 * 2024-05-03.3" when one is merged) and entry count. */
enum status kb_info(struct kb *kb, char *version, size_t vsize, int *entries);

/* Runs sql with text parameters bound from params (NULL-terminated, may
 * be NULL) and returns its single text result in *out (malloc'd; NULL if
 * the result was NULL). For the JSON documents built in SQL. */
enum status kb_query_text(struct kb *kb, const char *sql,
			  const char *const *params, char **out, struct diag *d);

#endif
