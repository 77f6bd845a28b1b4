/* facts_json.h - facts to and from JSON, with SQLite's JSON functions. */
#ifndef QUIRK_FACTS_JSON_H
#define QUIRK_FACTS_JSON_H

#include "../probes/facts.h"
#include "kb.h"

/* Loads a facts file into f (empty, as facts_init() leaves it): a JSON
 * object of key -> value (string, number, bool, null, or list of
 * strings), or a `quirk scan --json` document (its "facts" member), in
 * UTF-8. Unknown keys are kept; a key of the contract must hold its type
 * or null. STATUS_ERR_FACTS_INVALID with d naming the file and the
 * problem (the key, or the line of a byte that is not UTF-8);
 * STATUS_ERR_IO if unreadable; STATUS_ERR_NOMEM. On failure f is left
 * empty. */
enum status facts_json_load(const char *path, struct facts *f, struct diag *d);

/* The same for the len bytes of text (NUL-terminated; a NUL among them
 * is refused), named name in messages, read with the JSON functions of
 * db (any connection; nothing is written). Also STATUS_ERR_DB. */
enum status facts_json_parse(sqlite3 *db, const char *name, const char *text, size_t len,
			     struct facts *f, struct diag *d);

/* The scan's facts (kb_set_facts) as one JSON object, keys in order.
 * *out is malloc'd. */
enum status facts_json_dump(struct kb *kb, char **out, struct diag *d);

#endif
