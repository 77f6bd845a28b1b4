/* judge_core.h - one KB entry's verdict for facts written as a spec
 * (helpers.h); shared by the unit tests and the KB case runner. */
#ifndef QUIRK_TEST_JUDGE_CORE_H
#define QUIRK_TEST_JUDGE_CORE_H

#include "db/match.h"
#include "helpers.h"
#include "probes/sysparse.h"

/* Sets the facts of spec on kb (derived as a real host derives them from
 * uname) and judges entry id. On STATUS_OK, *out is the verdict and
 * missing (of size cap) the facts its absence left unknown, each followed
 * by a space; facts, when not NULL, receives the facts judged (the caller
 * frees them). Errors come from the matcher, with d filled. */
static inline enum status judge_spec(struct kb *kb, const char *id, const char *spec, enum verdict *out,
				     char *missing, size_t cap, struct facts *facts, struct diag *d)
{
	struct facts f;
	struct finding *v = NULL;
	size_t n = 0;
	enum status st;

	facts_init(&f);
	facts_from_spec(&f, spec);
	if (!facts_get(&f, "os.kernel.distro") && facts_get(&f, "os.kernel.version"))
		sysparse_kernel_identity(&f, NULL);
	if ((st = kb_set_facts(kb, &f, d)) == STATUS_OK && (st = match_run(kb, d)) == STATUS_OK)
		st = match_findings(kb, id, &v, &n, d);
	if (st == STATUS_OK && n != 1)
		st = diag_set(d, STATUS_ERR_NOT_FOUND, "%s: %zu findings", id, n);
	if (st == STATUS_OK) {
		*out = v[0].verdict;
		if (missing && cap) {
			missing[0] = '\0';
			for (size_t i = 0; i < v[0].nmissing; i++) {
				size_t len = strlen(missing);
				snprintf(missing + len, cap - len, "%s ", v[0].missing[i]);
			}
		}
	}
	match_findings_free(v, n);
	if (facts && st == STATUS_OK)
		*facts = f;
	else
		facts_free(&f);
	return st;
}

#endif
