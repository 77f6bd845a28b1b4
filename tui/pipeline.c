/* pipeline.c - collect facts -> match KB, shared by every command. */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/facts_json.h"
#include "../db/match.h"
#include "../probes/collect.h"
#include "../probes/sysparse.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("quirk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

bool cli_color(void)
{
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
}

static bool gather(struct pipeline *p, const struct cli_opts *o, struct diag *d)
{
	static char cache[PATH_MAX];
	struct host_ctx ctx;
	enum status st;

	if (o->facts_file) {
		p->facts_source = o->facts_file;
		st = facts_json_load(o->facts_file, &p->facts, d);
		/* Files written by hand may lack the derived kernel facts. */
		if (st == STATUS_OK && !facts_get(&p->facts, "os.kernel.distro"))
			st = sysparse_kernel_identity(&p->facts, NULL);
		return st == STATUS_OK;
	}
	collect_ctx_live(&ctx, o->project_dir ? o->project_dir : ".", cache, sizeof(cache));
	p->facts_source = "this host";
	if (o->root) {
		/* A fixture tree or mounted image: its files, not this host. */
		ctx.proc_root = ctx.sys_root = ctx.etc_root = o->root;
		ctx.live = false;
		ctx.path = NULL;
		ctx.project_dir = o->project_dir;
		p->facts_source = o->root;
	}
	ctx.cpuid_dump = o->cpuid_dump;
	st = collect_facts(&ctx, &p->facts, d);
	return st == STATUS_OK;
}

bool pipeline_open_quiet(struct pipeline *p, const struct cli_opts *o, bool match, struct diag *d)
{
	memset(p, 0, sizeof(*p));
	facts_init(&p->facts);
	if (!cli_kb_open(&p->kb, o, d))
		return false;
	if (!gather(p, o, d)) {
		if (!d->msg[0])
			diag_set(d, STATUS_ERR_IO, "cannot collect facts");
		pipeline_close(p);
		return false;
	}
	if (kb_set_facts(p->kb, &p->facts, d) != STATUS_OK ||
	    (match && match_run(p->kb, d) != STATUS_OK)) {
		pipeline_close(p);
		return false;
	}
	return true;
}

bool pipeline_open(struct pipeline *p, const struct cli_opts *o, bool match)
{
	struct diag d = {""};

	if (pipeline_open_quiet(p, o, match, &d))
		return true;
	cli_error("%s", d.msg);
	return false;
}

void pipeline_close(struct pipeline *p)
{
	free(p->results);
	p->results = NULL;
	free(p->anon_source);
	p->anon_source = NULL;
	p->nresults = 0;
	kb_close(p->kb);
	p->kb = NULL;
	facts_free(&p->facts);
}

/* Probes named by undecided findings, each once, that may run here. */
static size_t probes_to_run(struct pipeline *p, const struct cli_opts *o,
			    const struct probe_def **defs, size_t max)
{
	struct finding *v = NULL;
	size_t n = 0, count = 0;
	char why[768];

	if (match_findings(p->kb, NULL, &v, &n, NULL) != STATUS_OK)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct probe_def *def = v[i].probe ? probe_find(v[i].probe) : NULL;
		bool dup = false;
		if (!def || v[i].verdict != VERDICT_UNKNOWN)
			continue;
		for (size_t k = 0; k < count; k++)
			dup = dup || defs[k] == def;
		if (!dup && count < max && cli_probe_allowed(p, def, o->force, why, sizeof(why)))
			defs[count++] = def;
	}
	match_findings_free(v, n);
	return count;
}

bool pipeline_run_probes(struct pipeline *p, const struct cli_opts *o, const struct probe_def *const *defs,
			 size_t n)
{
	struct diag d = {""};
	struct cli_opts run = *o;
	struct probe_result *r = realloc(p->results, (p->nresults + n + 1) * sizeof(*r));
	char why[768];

	if (!r) {
		cli_error("out of memory");
		return false;
	}
	p->results = r;
	run.self_test = false;
	for (size_t i = 0; i < n && !cli_probe_cancelled(); i++) {
		r = &p->results[p->nresults];
		if (!cli_probe_allowed(p, defs[i], o->force, why, sizeof(why)))
			cli_probe_refused(r, defs[i], why);
		else if (cli_probe_execute(p, defs[i], &run, r, &d) != STATUS_OK) {
			cli_error("%s", d.msg);
			return false;
		}
		if (cli_probe_to_facts(&p->facts, r) != STATUS_OK) {
			cli_error("out of memory");
			return false;
		}
		p->nresults++;
	}
	if (kb_set_facts(p->kb, &p->facts, &d) != STATUS_OK || match_run(p->kb, &d) != STATUS_OK) {
		cli_error("%s", d.msg);
		return false;
	}
	return true;
}

bool pipeline_probe(struct pipeline *p, const struct cli_opts *o)
{
	const struct probe_def *defs[16];

	return pipeline_run_probes(p, o, defs, probes_to_run(p, o, defs, sizeof(defs) / sizeof(defs[0])));
}

bool pipeline_open_probed(struct pipeline *p, const struct cli_opts *o, bool match)
{
	if (o->probes && !cli_probe_host_only(o))
		return false;
	if (!pipeline_open(p, o, match || o->probes))
		return false;
	if ((o->probes && !pipeline_probe(p, o)) ||
	    (o->anonymize && !pipeline_anonymize(p, o, match || o->probes))) {
		pipeline_close(p);
		return false;
	}
	return true;
}
