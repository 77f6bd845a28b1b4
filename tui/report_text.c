/* report_text.c - terminal reports. */
#include "report_text.h"

#include <string.h>

static const char *col(bool color, const char *code)
{
	return report_color(color, code);
}

void report_text_value(FILE *out, const struct fact *x)
{
	switch (x->type) {
	case FACT_NULL:
		fputs("(none)", out);
		break;
	case FACT_STR:
		fputs(x->str, out);
		break;
	case FACT_NUM:
		fprintf(out, "%.17g", x->num);
		break;
	case FACT_BOOL:
		fputs(x->b ? "true" : "false", out);
		break;
	case FACT_LIST:
		for (size_t i = 0; i < x->nlist; i++)
			fprintf(out, "%s%s", i ? " " : "", x->list[i]);
		if (!x->nlist)
			fputs("(empty)", out);
		break;
	}
}

void report_text_facts(FILE *out, const struct facts *f)
{
	size_t w = 0;

	for (size_t i = 0; i < f->n; i++)
		if (strlen(f->v[i].key) > w)
			w = strlen(f->v[i].key);
	for (size_t i = 0; i < f->n; i++) {
		fprintf(out, "%-*s  ", (int)w, f->v[i].key);
		report_text_value(out, &f->v[i]);
		fputc('\n', out);
	}
}

void report_text_host(FILE *out, const struct facts *f)
{
	const char *os = facts_str(f, "os.name"), *rel = facts_str(f, "os.kernel.release");
	const char *comp = facts_str(f, "os.kernel.compiler");
	const char *cv = facts_str(f, "os.kernel.compiler_version");
	const char *distro = facts_str(f, "os.distro.name"), *mac = facts_str(f, "os.product_version");
	const char *arch = facts_str(f, "cpu.arch"), *brand = facts_str(f, "cpu.brand");

	fprintf(out, "host: %s %s", os ? os : "?", rel ? rel : "?");
	if (comp)
		fprintf(out, " (built with %s %s)", comp, cv ? cv : "");
	if (distro)
		fprintf(out, ", %s", distro);
	if (mac)
		fprintf(out, ", macOS %s", mac);
	fprintf(out, ", %s %s\n", arch ? arch : "?", brand ? brand : "");
}

static const char *verdict_label(enum verdict v)
{
	return v == VERDICT_AFFECTED ? "AFFECTED" : v == VERDICT_UNKNOWN ? "UNKNOWN" : "ok";
}

static const char *verdict_color(enum verdict v)
{
	return v == VERDICT_AFFECTED ? C_RED : v == VERDICT_UNKNOWN ? C_YEL : C_GRN;
}

/* Long lists (CPU flags, packages) are cut for the terminal; --json has
 * them whole. */
static void print_actual(FILE *out, const char *actual)
{
	size_t n = 1, len;

	if (!actual) {
		fputs("unknown", out);
		return;
	}
	len = strlen(actual);
	if (actual[0] != '[' || len <= 72) {
		fputs(actual, out);
		return;
	}
	for (const char *p = actual; *p; p++)
		n += *p == ',';
	fprintf(out, "%.60s... (%zu items)", actual, n);
}

static void print_evidence(FILE *out, const struct evidence *e, bool color, const char *indent)
{
	const char *mark = !strcmp(e->outcome, "met") ? "[x]" : !strcmp(e->outcome, "unknown") ? "[?]" : "[ ]";

	fprintf(out, "%s%s %s %s%s%s: ", indent, mark, e->fact, col(color, C_DIM), e->expected,
		col(color, C_OFF));
	print_actual(out, e->actual);
	if (e->note)
		fprintf(out, " -- %s", e->note);
	fputc('\n', out);
}

/* The first evidence that ruled the host out, for one-line summaries. */
static const struct evidence *deciding(const struct finding *f, const char *outcome)
{
	for (size_t i = 0; i < f->nev; i++)
		if (!strcmp(f->ev[i].outcome, outcome))
			return &f->ev[i];
	return NULL;
}

void report_text_finding_title(FILE *out, const struct finding *f, bool color, const char *extra)
{
	fprintf(out, "%s%-9s%s %-8s %s%s%s%s\n", col(color, verdict_color(f->verdict)), verdict_label(f->verdict),
		col(color, C_OFF), f->severity, col(color, C_BLD), f->id, col(color, C_OFF), extra ? extra : "");
}

void report_text_finding_why(FILE *out, const struct finding *f, bool color)
{
	if (f->verdict == VERDICT_NOT_AFFECTED) {
		const struct evidence *e = deciding(f, "not_met");
		if (e)
			print_evidence(out, e, color, "    ");
		return;
	}
	for (size_t k = 0; k < f->nev; k++)
		print_evidence(out, &f->ev[k], color, "    ");
	if (f->verdict == VERDICT_UNKNOWN) {
		fputs("    undecided: ", out);
		for (size_t k = 0; k < f->nmissing; k++)
			fprintf(out, "%s%s", k ? ", " : "", f->missing[k]);
		if (!f->nmissing)
			fputs("the distribution's fixed version", out);
		fprintf(out, " not known");
		if (f->probe)
			fprintf(out, "; the %s probe can decide", f->probe);
		fputc('\n', out);
	}
	if (f->nwa)
		fprintf(out, "    fix: %s\n", f->wa[0].text);
}

void report_text_findings(FILE *out, const struct finding *v, size_t n, bool all, bool color)
{
	size_t count[3] = {0, 0, 0};

	for (size_t i = 0; i < n; i++) {
		const struct finding *f = &v[i];
		count[f->verdict]++;
		if (f->verdict == VERDICT_NOT_AFFECTED && !all)
			continue;
		report_text_finding_title(out, f, color, NULL);
		if (f->verdict != VERDICT_NOT_AFFECTED)
			fprintf(out, "    %s\n", f->summary);
		report_text_finding_why(out, f, color);
		if (f->verdict != VERDICT_NOT_AFFECTED)
			fputc('\n', out);
	}
	fprintf(out, "%zu affected, %zu unknown, %zu not affected", count[0], count[1], count[2]);
	if (!all && count[2])
		fputs(" (--all lists them)", out);
	fputs(". Details: quirk explain ID\n", out);
}

void report_text_explain(FILE *out, const struct finding *f, bool color)
{
	fprintf(out, "%s%s%s  [%s, %s]\n%s\n\n", col(color, C_BLD), f->id, col(color, C_OFF),
		f->component ? f->component : "?", f->severity, f->summary);
	fprintf(out, "%s\n\n", f->details);
	fprintf(out, "Verdict for these facts: %s%s%s\n", col(color, verdict_color(f->verdict)),
		verdict_name(f->verdict), col(color, C_OFF));
	for (size_t k = 0; k < f->nev; k++)
		print_evidence(out, &f->ev[k], color, "  ");
	if (f->probe)
		fprintf(out, "  probe that can decide: %s\n", f->probe);
	if (f->nsymptoms)
		fputs("\nSymptoms (exact text):\n", out);
	for (size_t k = 0; k < f->nsymptoms; k++)
		fprintf(out, "  %s\n", f->symptoms[k]);
	fputs("\nWorkarounds:\n", out);
	for (size_t k = 0; k < f->nwa; k++) {
		fprintf(out, "  - %s\n", f->wa[k].text);
		for (size_t c = 0; c < f->wa[k].ncommands; c++)
			fprintf(out, "      $ %s\n", f->wa[k].commands[c]);
	}
	fputs("\nReferences:\n", out);
	for (size_t k = 0; k < f->nrefs; k++)
		fprintf(out, "  %s\n", f->refs[k]);
}

void report_text_probes(FILE *out, const struct probe_result *r, size_t n)
{
	if (!n)
		return;
	fputs("probes run:\n", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-11s %-14s %s (%.1f s)\n", r[i].probe, probe_status_name(r[i].status),
			r[i].summary, r[i].duration_s);
	putc('\n', out);
}

void report_text_untrusted(FILE *out, const char *str)
{
	for (const unsigned char *s = (const unsigned char *)str; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			fprintf(out, "\\x%02x", *s);
		else
			putc(*s, out);
	}
}
