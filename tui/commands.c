/* commands.c - scan, facts, explain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/facts_json.h"
#include "../db/match.h"
#include "cli.h"
#include "config.h"
#include "report_md.h"
#include "report_prom.h"
#include "report_text.h"

static int exit_for_verdict(enum verdict worst)
{
	return worst == VERDICT_AFFECTED ? EXIT_AFFECTED : worst == VERDICT_UNKNOWN ? EXIT_UNKNOWN : EXIT_CLEAN;
}

int cli_exit_for(const struct finding *v, size_t n)
{
	enum verdict worst = VERDICT_NOT_AFFECTED;

	for (size_t i = 0; i < n; i++)
		if (v[i].verdict < worst)
			worst = v[i].verdict;
	return exit_for_verdict(worst);
}

/* The scan document: {"quirk_version", "kb_version", "facts_source",
 * "facts", "findings", "probes"}; only_id restricts findings to one entry. */
static int print_json_doc(struct pipeline *p, const char *only_id, bool with_facts,
			  const char *probes)
{
	struct diag d = {""};
	char kbver[64], *facts = NULL, *findings = NULL, *doc = NULL;
	int entries;
	const char *fparams[] = {only_id, NULL};
	enum status st = kb_info(p->kb, kbver, sizeof(kbver), &entries);

	if (st == STATUS_OK && with_facts)
		st = facts_json_dump(p->kb, &facts, &d);
	if (st == STATUS_OK)
		st = kb_query_text(p->kb, match_findings_json_sql, only_id ? fparams : NULL, &findings, &d);
	if (st == STATUS_OK) {
		const char *params[] = {QUIRK_VERSION, kbver, p->facts_source, facts ? facts : "null",
					findings ? findings : "[]", probes, NULL};
		st = kb_query_text(p->kb,
				   "SELECT json_object('quirk_version', ?1, 'kb_version', ?2, 'facts_source', ?3,"
				   " 'facts', json(?4), 'findings', json(?5), 'probes', json(?6))",
				   params, &doc, &d);
	}
	if (st == STATUS_OK)
		puts(doc);
	free(facts);
	free(findings);
	free(doc);
	return st == STATUS_OK ? EXIT_CLEAN : cli_error("%s", d.msg);
}

/* Probe results ran by --probes join the document. */
static int print_json(struct pipeline *p, const char *only_id, bool with_facts)
{
	char *probes = NULL;
	size_t probes_len = 0;
	FILE *mem = open_memstream(&probes, &probes_len);
	int rc;

	if (!mem)
		return cli_error("out of memory");
	cli_probe_json_list(mem, p->results, p->nresults);
	fclose(mem);
	rc = print_json_doc(p, only_id, with_facts, probes);
	free(probes);
	return rc;
}

int cmd_scan(const struct cli_opts *o)
{
	struct pipeline p;
	struct finding *v = NULL;
	size_t n = 0;
	struct diag d = {""};
	int rc;

	if (!pipeline_open_probed(&p, o, true))
		return EXIT_ERROR;
	if (o->json) {
		/* SQLite writes the document: the findings as structs (seconds
		 * for a KB of 100,000 entries) would only give the status. */
		enum verdict worst;
		if (match_worst(p.kb, &worst, &d) != STATUS_OK) {
			pipeline_close(&p);
			return cli_error("%s", d.msg);
		}
		rc = print_json(&p, NULL, true) == EXIT_CLEAN ? exit_for_verdict(worst) : EXIT_ERROR;
		pipeline_close(&p);
		return rc;
	}
	if (match_findings(p.kb, NULL, &v, &n, &d) != STATUS_OK) {
		pipeline_close(&p);
		return cli_error("%s", d.msg);
	}
	rc = cli_exit_for(v, n);
	if (o->format == CLI_FORMAT_MARKDOWN) {
		report_markdown(stdout, &p, v, n, p.results, p.nresults);
	} else if (o->format == CLI_FORMAT_PROMETHEUS) {
		report_prometheus(stdout, &p, v, n);
	} else {
		char kbver[64];
		int entries = 0;
		bool color = cli_color();
		kb_info(p.kb, kbver, sizeof(kbver), &entries);
		printf("quirk %s, knowledge base %s (%d entries), facts from %s\n", QUIRK_VERSION, kbver,
		       entries, p.facts_source);
		report_text_host(stdout, &p.facts);
		putchar('\n');
		report_text_probes(stdout, p.results, p.nresults);
		report_text_findings(stdout, v, n, o->all, color);
	}
	match_findings_free(v, n);
	pipeline_close(&p);
	return rc;
}

int cmd_facts(const struct cli_opts *o)
{
	struct pipeline p;
	struct diag d = {""};
	int rc = EXIT_CLEAN;

	if (o->keys) {
		const char *k, *t, *desc;
		for (size_t i = 0; facts_key_at(i, &k, &t, &desc); i++)
			printf("%-32s %-14s %s\n", k, t, desc);
		return EXIT_CLEAN;
	}
	/* With --probes the facts carry probe results, for a support
	 * engineer judging them elsewhere. */
	if (!pipeline_open_probed(&p, o, o->probes))
		return EXIT_ERROR;
	facts_sort(&p.facts);
	if (o->json) {
		char *doc = NULL;
		if (facts_json_dump(p.kb, &doc, &d) != STATUS_OK)
			rc = cli_error("%s", d.msg);
		else
			puts(doc);
		free(doc);
	} else {
		report_text_facts(stdout, &p.facts);
	}
	pipeline_close(&p);
	return rc;
}

int cmd_explain(const struct cli_opts *o)
{
	struct pipeline p;
	struct finding *v = NULL;
	size_t n = 0;
	struct diag d = {""};
	int rc;

	if (!o->arg)
		return cli_error("explain needs an entry id (see quirk kb list)");
	if (!pipeline_open(&p, o, true))
		return EXIT_ERROR;
	if (match_findings(p.kb, o->arg, &v, &n, &d) != STATUS_OK) {
		pipeline_close(&p);
		return cli_error("%s", d.msg);
	}
	if (n == 0) {
		/* Withdrawn or unmatchable imported records are never judged. */
		const char *params[] = {o->arg, NULL};
		char *why = NULL;
		kb_query_text(p.kb, "SELECT inactive FROM entry WHERE id = ?1", params, &why, NULL);
		pipeline_close(&p);
		rc = why ? cli_error("%s is not judged: %s", o->arg, why)
			 : cli_error("no knowledge base entry \"%s\" (see quirk kb list)", o->arg);
		free(why);
		return rc;
	}
	rc = cli_exit_for(v, n);
	if (o->json) {
		if (print_json(&p, o->arg, false) != EXIT_CLEAN)
			rc = EXIT_ERROR;
	} else {
		report_text_explain(stdout, &v[0], cli_color());
	}
	match_findings_free(v, n);
	pipeline_close(&p);
	return rc;
}
