/* cmd_report.c - `quirk report`: one document for a ticket (Markdown, or
 * the scan JSON), and `quirk tui`. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/match.h"
#include "cli.h"
#include "report_md.h"
#include "tui.h"

int cmd_report(const struct cli_opts *o)
{
	struct pipeline p;
	struct finding *v = NULL;
	size_t n = 0;
	struct diag d = {""};
	int rc;

	if (o->json)
		return cmd_scan(o);
	if (!pipeline_open_probed(&p, o, true))
		return EXIT_ERROR;
	if (match_findings(p.kb, NULL, &v, &n, &d) != STATUS_OK) {
		rc = cli_error("%s", d.msg);
	} else {
		report_markdown(stdout, &p, v, n, p.results, p.nresults);
		rc = cli_exit_for(v, n);
	}
	match_findings_free(v, n);
	pipeline_close(&p);
	return rc;
}

int cmd_tui(const struct cli_opts *o)
{
	const char *term = getenv("TERM");

	if (o->json)
		return cli_error("the interactive interface has no --json; use quirk scan --json");
	/* No terminal to draw on (and not the scripted test mode): text. */
	if (!getenv("QUIRK_TUI_SCRIPT") &&
	    (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || !term || !strcmp(term, "dumb")))
		return cmd_scan(o);
	return tui_main(o);
}
