/* judge.h - the verdict of one KB entry for facts written as a spec
 * (helpers.h); for the unit tests that include cmocka first. */
#ifndef QUIRK_TEST_JUDGE_H
#define QUIRK_TEST_JUDGE_H

#include "db/match.h"
#include "helpers.h"
#include "probes/sysparse.h"

/* Sets the facts of spec on kb, judges, and returns entry id's verdict;
 * with missing, the facts its absence left unknown, space-separated. */
static inline enum verdict judge(struct kb *kb, const char *id, const char *spec, char *missing)
{
	struct facts f;
	struct finding *v;
	size_t n;
	struct diag d = {""};
	enum verdict out;

	facts_init(&f);
	facts_from_spec(&f, spec);
	/* What the collector derives from uname, as a real host would. */
	if (!facts_get(&f, "os.kernel.distro") && facts_get(&f, "os.kernel.version"))
		sysparse_kernel_identity(&f, NULL);
	assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
	if (match_run(kb, &d) != STATUS_OK)
		fail_msg("match: %s", d.msg);
	assert_int_equal(match_findings(kb, id, &v, &n, &d), STATUS_OK);
	if (n != 1)
		fail_msg("%s: %zu findings", id, n);
	out = v[0].verdict;
	if (missing) {
		missing[0] = '\0';
		for (size_t i = 0; i < v[0].nmissing; i++)
			strcat(strcat(missing, v[0].missing[i]), " ");
	}
	match_findings_free(v, n);
	facts_free(&f);
	return out;
}

#endif
