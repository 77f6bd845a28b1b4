/* report_md.h - the Markdown report: facts, findings, probe results. */
#ifndef QUIRK_REPORT_MD_H
#define QUIRK_REPORT_MD_H

#include <stdio.h>

#include "../db/match.h"
#include "../probes/probe.h"
#include "cli.h"

/* Writes the whole report for a ticket or a wiki page to out: quirk and
 * KB versions, where the facts came from, a host summary, every finding
 * with its evidence and workarounds, probe results, and all facts. */
void report_markdown(FILE *out, struct pipeline *p, const struct finding *v, size_t n,
		     const struct probe_result *results, size_t nresults);

/* s as Markdown `code`, backticks and newlines made harmless. */
void report_md_code(FILE *out, const char *s);

#endif
