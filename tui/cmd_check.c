/* cmd_check.c - `quirk check`: the team's checklist (a profile, or the KB
 * entries that can concern this host and project) judged here, each item
 * with what to do about it. */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "../db/checklist.h"
#include "../db/profile.h"
#include "cli.h"
#include "report_check.h"

bool cli_profile_path(const struct cli_opts *o, char *path, size_t n)
{
	if (o->profile) {
		snprintf(path, n, "%s", o->profile);
		return true;
	}
	if (o->project_dir)
		snprintf(path, n, "%s/%s", o->project_dir, PROFILE_DEFAULT_FILE);
	else
		snprintf(path, n, "%s", PROFILE_DEFAULT_FILE);
	if (access(path, F_OK) == 0)
		return true;
	path[0] = '\0';
	return false;
}

bool cli_check_prepare(struct pipeline *p, const struct cli_opts *o, char *path, size_t n,
		       struct profile_meta *meta, struct diag *d)
{
	if (cli_profile_path(o, path, n))
		return profile_load(p->kb, path, meta, d) == STATUS_OK;
	return profile_default(p->kb, meta, d) == STATUS_OK;
}

/* The probes the checklist names, run as `scan --probes` runs its own. */
static bool run_probes(struct pipeline *p, const struct cli_opts *o)
{
	const struct probe_def *defs[16];
	struct diag d = {""};
	char **names;
	size_t n, k = 0;

	if (profile_probes(p->kb, &names, &n, &d) != STATUS_OK) {
		cli_error("%s", d.msg);
		return false;
	}
	for (size_t i = 0; i < n && k < sizeof(defs) / sizeof(defs[0]); i++)
		if ((defs[k] = probe_find(names[i])))
			k++;
	profile_names_free(names, n);
	return pipeline_run_probes(p, o, defs, k);
}

int cmd_check(const struct cli_opts *o)
{
	struct pipeline p;
	struct profile_meta meta;
	struct check *v = NULL;
	size_t n = 0;
	struct diag d = {""};
	char path[PATH_MAX];
	bool here = !o->facts_file && !o->root && !o->cpuid_dump;
	enum check_status s;

	if (o->probes && !cli_probe_host_only(o))
		return EXIT_ERROR;
	if (!pipeline_open(&p, o, true))
		return EXIT_ERROR;
	if (!cli_check_prepare(&p, o, path, sizeof(path), &meta, &d)) {
		pipeline_close(&p);
		return cli_error("%s", d.msg);
	}
	/* A profile may ask for its probes; they can only look at this host. */
	if ((o->probes || (meta.run_probes && here)) && !run_probes(&p, o)) {
		pipeline_close(&p);
		return EXIT_ERROR;
	}
	if (checklist_judge(p.kb, &v, &n, &d) != STATUS_OK) {
		pipeline_close(&p);
		return cli_error("%s", d.msg);
	}
	struct check_source src = {path[0] ? path : NULL, meta.name};
	if (o->json)
		report_check_json(stdout, &p, &src, v, n);
	else if (o->format == CLI_FORMAT_MARKDOWN)
		report_check_markdown(stdout, &p, &src, v, n);
	else
		report_check_text(stdout, &p, &src, v, n, cli_color());
	s = checklist_status(v, n);
	checklist_free(v, n);
	pipeline_close(&p);
	return s == CHECKS_READY ? EXIT_CLEAN : s == CHECKS_NOT_READY ? EXIT_AFFECTED : EXIT_UNKNOWN;
}
