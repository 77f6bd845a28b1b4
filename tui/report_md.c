/* report_md.c - the Markdown report, for a ticket or a wiki page. */
#include "report_md.h"

#include <string.h>
#include <time.h>

#include "config.h"
#include "report_text.h"

void report_md_code(FILE *out, const char *s)
{
	fputc('`', out);
	for (; s && *s; s++)
		fputc(*s == '`' ? '\'' : *s == '\n' ? ' ' : *s, out);
	fputc('`', out);
}

static const char *mark(const char *outcome)
{
	return !strcmp(outcome, "met") ? "[x]" : !strcmp(outcome, "not_met") ? "[ ]" : "[?]";
}

static void finding_md(FILE *out, const struct finding *f)
{
	fprintf(out, "### %s: %s\n\n", f->id, verdict_name(f->verdict));
	fprintf(out, "%s (severity %s, %s)\n\n", f->summary, f->severity, f->component ? f->component : "-");
	if (f->nev) {
		fputs("Why this verdict:\n\n", out);
		for (size_t i = 0; i < f->nev; i++) {
			const struct evidence *e = &f->ev[i];
			fprintf(out, "- %s ", mark(e->outcome));
			report_md_code(out, e->fact);
			fprintf(out, " %s; here: ", e->expected ? e->expected : "");
			report_md_code(out, e->actual ? e->actual : "unknown");
			if (e->note)
				fprintf(out, " (%s)", e->note);
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < f->nmissing; i++)
		fprintf(out, "%s`%s`%s", i ? ", " : "Missing facts: ", f->missing[i], i + 1 == f->nmissing ? "\n\n" : "");
	if (f->verdict != VERDICT_NOT_AFFECTED) {
		for (size_t i = 0; i < f->nsymptoms; i++) {
			fputs(i ? "- " : "Symptoms:\n\n- ", out);
			report_md_code(out, f->symptoms[i]);
			fputc('\n', out);
		}
		if (f->nsymptoms)
			fputc('\n', out);
		for (size_t i = 0; i < f->nwa; i++) {
			fprintf(out, "%s%s\n", i ? "- " : "Workarounds:\n\n- ", f->wa[i].text);
			for (size_t k = 0; k < f->wa[i].ncommands; k++) {
				fputs("  - ", out);
				report_md_code(out, f->wa[i].commands[k]);
				fputc('\n', out);
			}
		}
		if (f->nwa)
			fputc('\n', out);
	}
	for (size_t i = 0; i < f->nrefs; i++)
		fprintf(out, "%s%s\n", i ? "- " : "References:\n\n- ", f->refs[i]);
	if (f->nrefs)
		fputc('\n', out);
}

void report_markdown(FILE *out, struct pipeline *p, const struct finding *v, size_t n,
		     const struct probe_result *results, size_t nresults)
{
	char kbver[64] = "?", when[64];
	int entries = 0;
	size_t affected = 0, unknown = 0;
	time_t now = time(NULL);

	kb_info(p->kb, kbver, sizeof(kbver), &entries);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	for (size_t i = 0; i < n; i++) {
		affected += v[i].verdict == VERDICT_AFFECTED;
		unknown += v[i].verdict == VERDICT_UNKNOWN;
	}
	fprintf(out, "# quirk report\n\n");
	fprintf(out, "- quirk %s, knowledge base %s (%d entries)\n", QUIRK_VERSION, kbver, entries);
	fprintf(out, "- facts from: %s\n- written: %s\n- ", p->facts_source, when);
	report_text_host(out, &p->facts);
	fprintf(out, "\n**%zu affected, %zu unknown, %zu not affected.**\n\n", affected, unknown, n - affected - unknown);
	fputs("## Findings\n\n", out);
	for (size_t i = 0; i < n; i++)
		finding_md(out, &v[i]);
	if (nresults) {
		fputs("## Probe results\n\n| probe | result | summary | seconds |\n|---|---|---|---|\n", out);
		for (size_t i = 0; i < nresults; i++) {
			fprintf(out, "| %s%s | %s | ", results[i].probe, results[i].self_test ? " (self-test)" : "",
				probe_status_name(results[i].status));
			for (const char *s = results[i].summary; *s; s++)
				fputs(*s == '|' ? "\\|" : (char[]){*s, 0}, out);
			fprintf(out, " | %.2f |\n", results[i].duration_s);
		}
		fputc('\n', out);
	}
	fputs("## Facts\n\n~~~\n", out);
	report_text_facts(out, &p->facts);
	fputs("~~~\n", out);
}
