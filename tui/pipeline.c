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
	if (getenv("QUIRK_NO_CACHE"))
		ctx.cache_dir = NULL;
	st = collect_facts(&ctx, &p->facts, d);
	return st == STATUS_OK;
}

bool pipeline_open(struct pipeline *p, const struct cli_opts *o, bool match)
{
	struct diag d = {""};

	memset(p, 0, sizeof(*p));
	facts_init(&p->facts);
	if (kb_open(&p->kb, o->db_file, &d) != STATUS_OK) {
		cli_error("%s", d.msg);
		return false;
	}
	if (!gather(p, o, &d)) {
		cli_error("%s", d.msg[0] ? d.msg : "cannot collect facts");
		pipeline_close(p);
		return false;
	}
	if (kb_set_facts(p->kb, &p->facts, &d) != STATUS_OK ||
	    (match && match_run(p->kb, &d) != STATUS_OK)) {
		cli_error("%s", d.msg);
		pipeline_close(p);
		return false;
	}
	return true;
}

void pipeline_close(struct pipeline *p)
{
	kb_close(p->kb);
	p->kb = NULL;
	facts_free(&p->facts);
}
