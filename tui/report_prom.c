/* report_prom.c - Prometheus text exposition format. Labels are what
 * stays stable and few per host: entry id, verdict, severity, component,
 * probe and status. Nothing from the facts becomes a label: the host is
 * the scrape target's own labels, and facts such as versions would make
 * a new series at every upgrade. */
#include "report_prom.h"

#include <time.h>

#include "config.h"

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *out, const char *name, const char *value, bool first)
{
	fprintf(out, "%s%s=\"", first ? "" : ",", name);
	for (const char *s = value ? value : ""; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* HELP and TYPE of one metric family (HELP texts have no backslash or
 * newline to escape: they are the constants below). */
static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

void report_prometheus(FILE *out, struct pipeline *p, const struct finding *v, size_t n)
{
	static const enum verdict verdicts[] = {VERDICT_AFFECTED, VERDICT_UNKNOWN, VERDICT_NOT_AFFECTED};
	char kbver[64] = "";
	int entries = 0;

	kb_info(p->kb, kbver, sizeof(kbver), &entries);
	family(out, "quirk_info", "Versions of quirk and its knowledge base; value 1.");
	fputs("quirk_info{", out);
	label(out, "version", QUIRK_VERSION, true);
	label(out, "kb_version", kbver, false);
	fputs("} 1\n", out);

	family(out, "quirk_scan_timestamp_seconds", "When quirk judged the facts, in seconds since the Unix epoch.");
	fprintf(out, "quirk_scan_timestamp_seconds %lld\n", (long long)time(NULL));

	family(out, "quirk_knowledge_base_entries", "Knowledge base entries judged.");
	fprintf(out, "quirk_knowledge_base_entries %d\n", entries);

	family(out, "quirk_findings", "Knowledge base entries with this verdict for the host.");
	for (size_t k = 0; k < sizeof(verdicts) / sizeof(verdicts[0]); k++) {
		size_t count = 0;
		for (size_t i = 0; i < n; i++)
			count += v[i].verdict == verdicts[k];
		fputs("quirk_findings{", out);
		label(out, "verdict", verdict_name(verdicts[k]), true);
		fprintf(out, "} %zu\n", count);
	}

	family(out, "quirk_finding", "One series per knowledge base entry, value 1; its labels say the verdict for the host.");
	for (size_t i = 0; i < n; i++) {
		fputs("quirk_finding{", out);
		label(out, "id", v[i].id, true);
		label(out, "verdict", verdict_name(v[i].verdict), false);
		label(out, "severity", v[i].severity, false);
		label(out, "component", v[i].component, false);
		fputs("} 1\n", out);
	}

	if (!p->nresults)
		return;
	family(out, "quirk_probe_result", "One series per probe run by --probes, value 1; status is its result.");
	for (size_t i = 0; i < p->nresults; i++) {
		fputs("quirk_probe_result{", out);
		label(out, "probe", p->results[i].probe, true);
		label(out, "status", probe_status_name(p->results[i].status), false);
		fputs("} 1\n", out);
	}
	family(out, "quirk_probe_duration_seconds", "How long each probe run by --probes took.");
	for (size_t i = 0; i < p->nresults; i++) {
		fputs("quirk_probe_duration_seconds{", out);
		label(out, "probe", p->results[i].probe, true);
		fprintf(out, "} %.3f\n", p->results[i].duration_s);
	}
}
