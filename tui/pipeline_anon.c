/* pipeline_anon.c - `--anonymize`: the pipeline's host-derived data
 * rewritten by probes/anon before any writer sees it. The KB's own text
 * (summaries, references, workarounds) is never touched. */
#include <stdlib.h>
#include <string.h>

#include "../db/match.h"
#include "../probes/anon.h"
#include "cli.h"

/* Whether the findings of a and b are the same entries with the same
 * verdicts, in the same order. */
static bool same_verdicts(const struct finding *a, size_t na, const struct finding *b, size_t nb,
			  const char **changed)
{
	for (size_t i = 0; i < na; i++)
		if (i >= nb || strcmp(a[i].id, b[i].id) || a[i].verdict != b[i].verdict) {
			*changed = a[i].id;
			return false;
		}
	return na == nb;
}

/* Judges the rewritten facts again; the verdicts are those of the real
 * facts, or this fails rather than print a different verdict. */
static bool rejudge(struct pipeline *p)
{
	struct finding *before = NULL, *after = NULL;
	size_t nbefore = 0, nafter = 0;
	struct diag d = {""};
	const char *changed = "?";
	bool ok = match_findings(p->kb, NULL, &before, &nbefore, &d) == STATUS_OK &&
		  kb_set_facts(p->kb, &p->facts, &d) == STATUS_OK && match_run(p->kb, &d) == STATUS_OK &&
		  match_findings(p->kb, NULL, &after, &nafter, &d) == STATUS_OK;

	if (!ok)
		cli_error("%s", d.msg[0] ? d.msg : "out of memory");
	else if (!(ok = same_verdicts(before, nbefore, after, nafter, &changed)))
		cli_error("--anonymize would change the verdict of %s; report without it", changed);
	match_findings_free(before, nbefore);
	match_findings_free(after, nafter);
	return ok;
}

bool pipeline_anonymize(struct pipeline *p, const struct cli_opts *o, bool matched)
{
	struct anon a;
	struct diag d = {""};
	bool nomem = false;

	anon_init(&a);
	anon_learn_facts(&a, &p->facts);
	/* The running system's names belong in the facts only if these are
	 * its facts. */
	if (!o->facts_file && !o->root)
		anon_learn_system(&a);
	nomem = anon_facts(&a, &p->facts) != STATUS_OK;
	for (size_t i = 0; i < p->nresults && !nomem; i++)
		nomem = anon_probe_result(&a, &p->results[i]) != STATUS_OK;
	if (!nomem && (o->facts_file || o->root)) {
		free(p->anon_source);
		p->facts_source = p->anon_source = anon_text(&a, NULL, p->facts_source);
		nomem = !p->anon_source;
	}
	if (nomem) {
		cli_error("out of memory");
		return false;
	}
	if (matched)
		return rejudge(p);
	if (kb_set_facts(p->kb, &p->facts, &d) != STATUS_OK) {
		cli_error("%s", d.msg);
		return false;
	}
	return true;
}
