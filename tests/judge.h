/* judge.h - the verdict of one KB entry for facts written as a spec
 * (helpers.h); for the unit tests that include cmocka first. */
#ifndef QUIRK_TEST_JUDGE_H
#define QUIRK_TEST_JUDGE_H

#include "judge_core.h"

/* Entry id's verdict for spec; with missing, the facts its absence left
 * unknown, space-separated. Fails the test on a matcher error. */
static inline enum verdict judge(struct kb *kb, const char *id, const char *spec, char *missing)
{
	struct diag d = {""};
	enum verdict out = VERDICT_UNKNOWN;

	if (judge_spec(kb, id, spec, &out, missing, missing ? 1024 : 0, NULL, &d) != STATUS_OK)
		fail_msg("%s: %s", id, d.msg);
	return out;
}

#endif
