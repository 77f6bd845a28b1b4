/* probe_internal.h - shared by the runner and the report stream parser. */
#ifndef QUIRK_PROBE_INTERNAL_H
#define QUIRK_PROBE_INTERNAL_H

#include "probe.h"

/* Applies one report record (without its newline; modified in place) to
 * r. Returns the message of a progress record, NULL for other records and
 * for malformed ones, which are dropped. Sets *have_result on a result. */
const char *probe_record_apply(struct probe_result *r, char *line, bool *have_result);

#endif
