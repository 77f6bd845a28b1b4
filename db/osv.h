/* osv.h - records from other OSV databases (osv.dev: GitHub advisories,
 * RustSec, Go, Debian, Ubuntu) translated into quirk's entry shape. */
#ifndef QUIRK_OSV_H
#define QUIRK_OSV_H

#include <sqlite3.h>
#include <stdbool.h>

#include "../probes/status.h"

/* A foreign record in quirk's shape: doc (JSON) validates and compiles
 * like an entry of assets/kb; inactive says why it can never be judged
 * (NULL if it can); notes is a JSON list of the parts left out. */
struct osv_translation {
	char *doc, *inactive, *notes;
};

/* Translates record (already checked as an OSV record) on db, whose SQL
 * functions are registered (kb_register_functions()):
 *  - each affected package of a supported ecosystem becomes one group per
 *    SEMVER/ECOSYSTEM range, plus one for its "versions" list, matched
 *    against project.packages (crates.io, RubyGems, Hex, Go modules) or
 *    os.packages (Debian:N, Ubuntu:N.N, only on that release);
 *  - severity from database_specific.severity (GitHub), an "Ubuntu"
 *    priority, or a CVSS v3 vector's base score; otherwise "unrated";
 *  - workarounds from the fixed versions; references and aliases kept.
 * STATUS_ERR_DB or STATUS_ERR_NOMEM with d filled; t is then empty. */
enum status osv_translate(sqlite3 *db, const char *record, struct osv_translation *t,
			  struct diag *d);
void osv_translation_free(struct osv_translation *t);

/* The same with the statement of osv_translate_sql prepared by the
 * caller (many records, one preparation). */
extern const char osv_translate_sql[];
enum status osv_translate_with(sqlite3_stmt *q, const char *record, struct osv_translation *t,
			       struct diag *d);

/* Registers osv_eco(ECOSYSTEM, WHAT) (the purl prefix, purl type, version
 * scheme, fact, "when" preconditions of a supported ecosystem; NULL for
 * others) and cvss3_score(VECTOR) on db. SQLITE_OK or an error code. */
int osv_register_functions(sqlite3 *db);

/* The CVSS v3.0/v3.1 base score of vector ("CVSS:3.1/AV:N/..."), from the
 * equations of the CVSS v3.1 specification, section 7. False if vector is
 * not a complete v3 base vector. */
bool osv_cvss3_score(const char *vector, double *score);

#endif
