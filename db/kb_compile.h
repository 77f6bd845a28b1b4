/* kb_compile.h - builds the KB database from OSV-shaped JSON entries. */
#ifndef QUIRK_KB_COMPILE_H
#define QUIRK_KB_COMPILE_H

#include <sqlite3.h>
#include <stddef.h>

#include "../probes/status.h"

/* Creates the KB schema in db (empty) and loads every entry file into it.
 * Stops at the first invalid entry: STATUS_ERR_KB_INVALID with d naming
 * the file and the reason; STATUS_ERR_IO if a file cannot be read;
 * STATUS_ERR_DB on SQLite failure. */
enum status kb_compile(sqlite3 *db, const char *const *files, size_t nfiles,
		       struct diag *d);

#endif
