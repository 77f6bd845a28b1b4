/* report_text.h - human-readable reports for the terminal. */
#ifndef QUIRK_REPORT_TEXT_H
#define QUIRK_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "../db/match.h"
#include "../probes/probe.h"
#include "../probes/facts.h"

/* One line describing the host from its facts (kernel, distro, CPU). */
void report_text_host(FILE *out, const struct facts *f);

/* The findings list; not-affected entries get one line each, or are
 * counted only unless all. */
void report_text_findings(FILE *out, const struct finding *v, size_t n, bool all, bool color);

/* Everything about one finding: details, evidence, symptoms, workarounds,
 * references. */
void report_text_explain(FILE *out, const struct finding *f, bool color);

/* Facts as aligned "key  value" lines. */
void report_text_facts(FILE *out, const struct facts *f);

/* One fact's value as text: lists space-separated, null as "(none)". */
void report_text_value(FILE *out, const struct fact *x);

/* Text read from a file, with control characters shown as \xNN so a
 * hostile string cannot drive the terminal. */
void report_text_untrusted(FILE *out, const char *s);

/* The results of probes run for this report; nothing if n is 0. */
void report_text_probes(FILE *out, const struct probe_result *r, size_t n);

#endif
