/* checklist.h - the checklist (a profile's items, or the default list)
 * judged against the scan's facts and verdicts, with what to do. */
#ifndef QUIRK_CHECKLIST_H
#define QUIRK_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "match.h"

enum check_outcome { CHECK_PASS, CHECK_FAIL, CHECK_UNDECIDED };

/* What a reader sees: ✓ pass, ! warning (an advisory item that fails, or
 * any item that cannot be decided), ✗ a required item that fails. */
enum check_mark { MARK_PASS, MARK_WARN, MARK_FAIL };

/* Overall: ready (every required item passes), not ready (one fails), or
 * undecided (none fails, one cannot be decided). */
enum check_status { CHECKS_READY, CHECKS_NOT_READY, CHECKS_UNDECIDED };

struct check {
	char *kind;      /* "entry", "probe" or "fact" */
	char *text;      /* as written: "limits.memlock >= 64 MiB", an entry id, "probe NAME" */
	char *label;     /* the profile's label, or NULL */
	char *subject;   /* the fact, entry or probe the item is about */
	bool required;
	enum check_outcome outcome;
	char *state;     /* in a word or two: "8 MiB", "affected", "not run" */
	char *actual;    /* the fact's value here as JSON; NULL if not known */
	char *detail;    /* why this outcome, in words; may be NULL */
	char *why;       /* the profile's why; for entries else the KB summary */
	char *decide;    /* undecided: what would decide it; else NULL */
	char *fix_source; /* "profile", "kb", "builtin" or "none" */
	struct workaround *fix;
	size_t nfix;
};

/* Judges the checklist items (profile_load() or profile_default()) against
 * the facts and findings of the last match_run(). *out in item order;
 * free with checklist_free(). STATUS_ERR_DB or STATUS_ERR_NOMEM (d
 * filled), with nothing allocated. */
enum status checklist_judge(struct kb *kb, struct check **out, size_t *n, struct diag *d);
void checklist_free(struct check *v, size_t n);

enum check_mark check_mark(const struct check *c);
enum check_status checklist_status(const struct check *v, size_t n);
/* "pass", "warn", "fail"; "ready", "not_ready", "undecided". */
const char *check_mark_name(enum check_mark m);
const char *check_status_name(enum check_status s);

#endif
