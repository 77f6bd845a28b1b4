/* cmd_gobin.c - `quirk gobin PATH...`: which Go built a binary, and what its signal-stack workaround means here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/match.h"
#include "../probes/gobuildinfo.h"
#include "../probes/gomlock.h"
#include "cli.h"
#include "json_out.h"
#include "report_text.h"

#define SIGFRAME_ENTRY "linux-sigframe-avx-corruption"

/* The host side of every judgement: the KB's verdict on the kernel bug
 * and the facts the runtime's workaround depends on. */
struct host_view {
	struct gomlock_host h;
	enum verdict verdict;
	bool have_verdict;
	char kernel[128], memlock[32];
};

static enum status host_view(struct pipeline *p, struct host_view *hv, struct diag *d)
{
	const struct fact *ml = facts_get(&p->facts, "limits.memlock");
	const char *ver = facts_str(&p->facts, "os.kernel.version");
	const char *distro = facts_str(&p->facts, "os.kernel.distro");
	struct finding *v = NULL;
	size_t n = 0;
	enum status st = match_findings(p->kb, SIGFRAME_ENTRY, &v, &n, d);

	if (st != STATUS_OK)
		return st;
	memset(hv, 0, sizeof(*hv));
	hv->have_verdict = n == 1;
	hv->verdict = n == 1 ? v[0].verdict : VERDICT_UNKNOWN;
	match_findings_free(v, n);
	hv->h.kernel_affected = hv->verdict == VERDICT_AFFECTED ? GOMLOCK_YES
				: hv->verdict == VERDICT_NOT_AFFECTED ? GOMLOCK_NO : GOMLOCK_UNSURE;
	hv->h.release = facts_str(&p->facts, "os.kernel.release");
	/* The runtime looks for "Ubuntu" in /proc/version, which ends with uname -v. */
	hv->h.ubuntu = (ver && strstr(ver, "Ubuntu")) || (distro && !strcmp(distro, "ubuntu"));
	hv->h.memlock_known = ml && (ml->type == FACT_NUM || (ml->type == FACT_STR && !strcmp(ml->str, "unlimited")));
	hv->h.memlock_unlimited = hv->h.memlock_known && ml->type == FACT_STR;
	hv->h.memlock = hv->h.memlock_known && ml->type == FACT_NUM ? ml->num : 0;
	snprintf(hv->kernel, sizeof(hv->kernel), "%s", hv->h.release ? hv->h.release : "(unknown)");
	gomlock_limit_text(&hv->h, hv->memlock, sizeof(hv->memlock));
	return STATUS_OK;
}

static const char *risk_name(enum gomlock_risk r)
{
	return r == GOMLOCK_AT_RISK ? "at_risk" : r == GOMLOCK_OK ? "ok" : "unknown";
}

static const char *tri_json(enum gomlock_tri t)
{
	return t == GOMLOCK_YES ? "true" : t == GOMLOCK_NO ? "false" : "null";
}

static void json_file(FILE *out, const char *path, const struct gobuildinfo *bi,
		      const struct gomlock_judgement *j, const struct pipeline *p,
		      const struct host_view *hv)
{
	bool first = true, inner = true;

	putc('{', out);
	json_key(out, &first, "path");
	json_str(out, path);
	json_key(out, &first, "format");
	json_str(out, bi->format);
	json_key(out, &first, "arch");
	json_str(out, bi->arch);
	json_key(out, &first, "goos");
	json_str(out, bi->goos);
	fprintf(out, ",\"goos_inferred\":%s", bi->goos_inferred ? "true" : "false");
	json_key(out, &first, "build_info");
	json_str(out, bi->inline_strings ? "inline" : "pointer");
	json_key(out, &first, "go_version");
	json_str(out, bi->version);
	json_key(out, &first, "main_package");
	json_str(out, bi->path);
	json_key(out, &first, "module");
	if (bi->mod_path) {
		bool m = true;
		putc('{', out);
		json_key(out, &m, "path");
		json_str(out, bi->mod_path);
		json_key(out, &m, "version");
		json_str(out, bi->mod_version);
		putc('}', out);
	} else {
		fputs("null", out);
	}
	fputs(",\"settings\":[", out);
	for (size_t i = 0; i < bi->nsettings; i++) {
		if (!inner)
			putc(',', out);
		inner = false;
		json_str(out, bi->settings[i]);
	}
	fputs("],\"workaround\":{", out);
	inner = true;
	json_key(out, &inner, "variant");
	json_str(out, gomlock_variant_name(j->variant));
	json_key(out, &inner, "text");
	json_str(out, gomlock_variant_text(j->variant));
	fprintf(out, ",\"applies_here\":%s},\"host\":{", tri_json(j->applies));
	inner = true;
	json_key(out, &inner, "facts_source");
	json_str(out, p->facts_source);
	json_key(out, &inner, "verdict");
	json_str(out, hv->have_verdict ? verdict_name(hv->verdict) : NULL);
	json_key(out, &inner, "kernel_release");
	json_str(out, hv->h.release);
	json_key(out, &inner, "memlock");
	if (hv->h.memlock_unlimited)
		json_str(out, "unlimited");
	else if (hv->h.memlock_known)
		fprintf(out, "%.0f", hv->h.memlock);
	else
		fputs("null", out);
	fputs("}", out);
	json_key(out, &first, "risk");
	json_str(out, risk_name(j->risk));
	json_key(out, &first, "summary");
	json_str(out, j->text);
	putc('}', out);
}

static void text_file(const char *path, const struct gobuildinfo *bi,
		      const struct gomlock_judgement *j, const struct host_view *hv, bool first)
{
	static const char *const risk_label[] = {"OK", "AT RISK", "UNKNOWN"};

	if (!first)
		putchar('\n');
	report_text_untrusted(stdout, path);
	printf(": %s %s (%s%s), ", bi->format, bi->arch, bi->goos, bi->goos_inferred ? ", from the headers" : "");
	report_text_untrusted(stdout, bi->version);
	printf("\n    module:      ");
	if (bi->mod_path) {
		report_text_untrusted(stdout, bi->mod_path);
		putchar(' ');
		report_text_untrusted(stdout, bi->mod_version[0] ? bi->mod_version : "(no version)");
	} else {
		fputs("(none recorded)", stdout);
	}
	printf("\n    Go runtime:  %s\n", gomlock_variant_text(j->variant));
	printf("    this host:   %s %s; kernel %s, memlock %s\n", SIGFRAME_ENTRY,
	       hv->have_verdict ? verdict_name(hv->verdict) : "(not in this knowledge base)", hv->kernel,
	       hv->memlock);
	printf("    verdict:     %s: %s\n", risk_label[j->risk], j->text);
}

int cmd_gobin(const struct cli_opts *o)
{
	/* As codesign: the JSON document is printed only if every file was read. */
	char *doc = NULL;
	size_t doc_len = 0;
	FILE *json;
	struct pipeline p;
	struct host_view hv;
	struct diag d = {""};
	bool failed = false, first = true, at_risk = false, unknown = false;

	if (o->nargs < 1)
		return cli_error("gobin needs at least one PATH (see quirk --help)");
	if (!pipeline_open(&p, o, true))
		return EXIT_ERROR;
	if (host_view(&p, &hv, &d) != STATUS_OK) {
		pipeline_close(&p);
		return cli_error("%s", d.msg);
	}
	json = open_memstream(&doc, &doc_len);
	if (!json) {
		pipeline_close(&p);
		return cli_error("gobin: %s", status_str(STATUS_ERR_NOMEM));
	}
	putc('[', json);
	for (int i = 0; i < o->nargs; i++) {
		struct gobuildinfo bi;
		struct gomlock_judgement j;
		enum status st = gobuildinfo_read_file(o->args[i], &bi, &d);

		if (st != STATUS_OK) {
			cli_error("%s", d.msg[0] ? d.msg : status_str(st));
			failed = true;
			continue;
		}
		hv.h.goos = bi.goos;
		hv.h.arch = bi.arch;
		gomlock_judge(bi.version, &hv.h, &j);
		at_risk = at_risk || j.risk == GOMLOCK_AT_RISK;
		unknown = unknown || j.risk == GOMLOCK_RISK_UNKNOWN;
		if (o->json) {
			if (!first)
				putc(',', json);
			json_file(json, o->args[i], &bi, &j, &p, &hv);
		} else {
			text_file(o->args[i], &bi, &j, &hv, first);
		}
		first = false;
		gobuildinfo_free(&bi);
	}
	putc(']', json);
	if (fclose(json) != 0) {
		failed = true;
		cli_error("gobin: %s", status_str(STATUS_ERR_NOMEM));
	}
	if (o->json && !failed)
		puts(doc);
	free(doc);
	pipeline_close(&p);
	return failed ? EXIT_ERROR : at_risk ? EXIT_AFFECTED : unknown ? EXIT_UNKNOWN : EXIT_CLEAN;
}
