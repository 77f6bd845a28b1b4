/* match.h - verdicts: every KB entry judged against the scan's facts. */
#ifndef QUIRK_MATCH_H
#define QUIRK_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "kb.h"

enum verdict { VERDICT_AFFECTED, VERDICT_UNKNOWN, VERDICT_NOT_AFFECTED };

struct evidence {
	char *kind;     /* "condition" or "range" */
	char *fact;
	char *expected; /* what would make the host affected */
	char *actual;   /* the fact's value as JSON, NULL if unknown */
	char *outcome;  /* "met", "not_met" or "unknown" */
	char *note;     /* why, in words; may be NULL */
};

struct workaround {
	char *text;
	char **commands;
	size_t ncommands;
};

struct finding {
	char *id, *summary, *details, *component, *severity, *probe;
	enum verdict verdict;
	struct evidence *ev;
	size_t nev;
	char **missing; /* facts whose absence left it unknown */
	size_t nmissing;
	char **symptoms;
	size_t nsymptoms;
	struct workaround *wa;
	size_t nwa;
	char **refs; /* "TYPE url" */
	size_t nrefs;
};

/* Judges every entry against the facts set with kb_set_facts(), replacing
 * earlier results. STATUS_ERR_DB (d filled) if a query fails. */
enum status match_run(struct kb *kb, struct diag *d);

/* The results, most severe first (affected, unknown, not affected; then
 * severity, then id). With only_id, just that entry (*n = 0 if it does
 * not exist). Free with match_findings_free(). */
enum status match_findings(struct kb *kb, const char *only_id,
			   struct finding **out, size_t *n, struct diag *d);
void match_findings_free(struct finding *v, size_t n);
/* The most severe verdict of the results (affected, else unknown, else
 * not affected, also when there are none), without reading them. On
 * STATUS_ERR_DB (d filled) *out is not affected. */
enum status match_worst(struct kb *kb, enum verdict *out, struct diag *d);
void match_workarounds_free(struct workaround *w, size_t n);

const char *verdict_name(enum verdict v);

/* After match_run(): whether a fact about the host itself (os.*, cpu.*,
 * hw.*) fails one of entry id's conditions or ranges, so the bug cannot
 * be on this machine whatever software runs on it. That is what allows a
 * probe that may crash affected machines. why names the deciding fact, or
 * else the host facts that match or are not known. STATUS_ERR_DB. */
enum status match_rules_out_host(struct kb *kb, const char *id, bool *ruled_out, char *why,
				 size_t n, struct diag *d);

/* SQL expression: the outcome of condition row c (columns fact, op,
 * scheme, value as JSON) against its fact row f of temp.facts, LEFT JOINed
 * (f.key NULL when the fact is not known): 1 met, 0 not met, NULL unknown
 * (fact not known, or a version that cannot be ordered). A null fact means
 * "checked and absent": it meets only the negative ops (and, as no items,
 * not "ne []"). With a scheme, eq
 * and ne compare versions (5.4.1-arch1-1 = 5.4.1 as linux). A probe
 * status other than pass or fail (timeout, crash, not applicable) decided
 * nothing, so a condition on it stays unknown. The one
 * definition of a condition, for KB entries and profile checks alike. */
#define MATCH_COND_OUTCOME_SQL                                                 \
	"CASE"                                                                 \
	" WHEN f.key IS NULL THEN NULL"                                        \
	" WHEN f.key GLOB 'probe.*.status' AND (f.value ->> '$') NOT IN ('pass','fail') THEN NULL" \
	" WHEN json_type(f.value) = 'null' THEN c.op IN ('ne','not_contains','absent')" \
	"  AND NOT (c.op = 'ne' AND c.value = '[]')"                           \
	" WHEN c.op = 'absent' THEN 0"                                         \
	" WHEN c.op = 'present' THEN 1"                                        \
	" WHEN c.op IN ('eq','ne') AND c.scheme IS NULL THEN (f.value = c.value) = (c.op = 'eq')" \
	" WHEN c.op = 'in' THEN EXISTS (SELECT 1 FROM json_each(c.value) j WHERE j.value = f.value ->> '$')" \
	" WHEN c.op = 'contains' THEN EXISTS (SELECT 1 FROM json_each(f.value) j WHERE j.value = c.value ->> '$')" \
	" WHEN c.op = 'not_contains' THEN NOT EXISTS (SELECT 1 FROM json_each(f.value) j WHERE j.value = c.value ->> '$')" \
	" WHEN c.op = 'glob' THEN (f.value ->> '$') GLOB (c.value ->> '$')"    \
	" ELSE (SELECT CASE c.op WHEN 'lt' THEN r < 0 WHEN 'le' THEN r <= 0 WHEN 'gt' THEN r > 0"   \
	"  WHEN 'eq' THEN r = 0 WHEN 'ne' THEN r <> 0 ELSE r >= 0 END"          \
	"  FROM (SELECT vercmp(c.scheme, f.value ->> '$', c.value ->> '$') AS r))" \
	" END"

/* SQL text of the findings array as JSON ([{id, summary, verdict, ...}]),
 * for report writers to embed with json(). ?1 may name one entry. */
extern const char match_findings_json_sql[];

#endif
