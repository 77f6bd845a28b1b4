/* report_text.h - human-readable reports for the terminal. */
#ifndef QUIRK_REPORT_TEXT_H
#define QUIRK_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "../db/match.h"
#include "../probes/probe.h"
#include "../probes/facts.h"

/* Terminal colours: report_color(color, C_RED) is the code, or "" when
 * colour is off. */
#define C_RED "\033[1;31m"
#define C_YEL "\033[1;33m"
#define C_GRN "\033[32m"
#define C_DIM "\033[2m"
#define C_BLD "\033[1m"
#define C_OFF "\033[0m"
static inline const char *report_color(bool color, const char *code)
{
	return color ? code : "";
}

/* One line describing the host from its facts (kernel, distro, CPU). */
void report_text_host(FILE *out, const struct facts *f);

/* The findings list; not-affected entries get one line each, or are
 * counted only unless all. */
void report_text_findings(FILE *out, const struct finding *v, size_t n, bool all, bool color);

/* A finding's first line: verdict, severity, id, then extra (may be NULL). */
void report_text_finding_title(FILE *out, const struct finding *f, bool color, const char *extra);

/* Why the verdict: all evidence, what is undecided and the first fix; for
 * an entry that does not affect the host, the evidence that rules it out. */
void report_text_finding_why(FILE *out, const struct finding *f, bool color);

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
