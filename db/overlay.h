/* overlay.h - the user's additions to the KB: OSV records imported into an
 * SQLite file in the data directory and merged over the base KB (the
 * built-in one, or --db) wherever the KB is read. */
#ifndef QUIRK_OVERLAY_H
#define QUIRK_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "kb.h"

/* Writes $XDG_DATA_HOME/quirk/overlay.sqlite (an absolute XDG_DATA_HOME)
 * or ~/.local/share/quirk/overlay.sqlite into buf. False if neither can
 * be formed (no absolute HOME either) or buf is too small. */
bool overlay_default_path(char *buf, size_t n);

/* Merges the overlay at path over kb's entries: every table an entry has
 * rows in becomes a view of the base rows and the overlay's, an overlay
 * record replacing a base entry of the same id when its "modified" is
 * newer. temp.kb_origin(id, origin, shadows) says where each entry comes
 * from: base_label ("built-in", "db") or "overlay". A missing file is an
 * empty overlay. STATUS_ERR_DB with d naming path if the file cannot be
 * read or is not a quirk overlay; kb is then unusable and must be closed. */
enum status overlay_attach(struct kb *kb, const char *path, const char *base_label, struct diag *d);

/* What an import did: counts and one line per record that was not simply
 * added, or that had parts left out ("GHSA-x: replaced (modified ...)"). */
struct overlay_report {
	size_t records, added, replaced, unchanged, kept, skipped_base, inactive;
	char **lines;
	size_t nlines;
	bool written; /* false when nothing changed and the file was left alone */
};

/* Imports the OSV records of files (each one record, a JSON array of
 * records, or an osv.dev response {"vulns": [...]}) into the overlay at
 * path, checking ids against base (named base_label in messages). A record whose id is already stored
 * replaces it only if its "modified" is newer; one older or as new as a
 * base entry is not imported. All files are one transaction: the overlay
 * is rewritten whole (a temporary file renamed over it, its directory
 * created if needed) only if every record is valid; otherwise it is left
 * byte for byte as it was. STATUS_ERR_KB_INVALID with d naming the file,
 * the record (index and id) and the cause (a file that is not UTF-8 JSON,
 * a record over 16 MiB included); STATUS_ERR_IO (unreadable
 * input, unwritable data directory), STATUS_ERR_DB (a corrupt overlay,
 * named), STATUS_ERR_NOMEM. Free rep with overlay_report_free(). */
enum status overlay_import(const char *path, struct kb *base, const char *base_label,
			   const char *const *files, size_t nfiles, struct overlay_report *rep,
			   struct diag *d);
void overlay_report_free(struct overlay_report *rep);

#endif
