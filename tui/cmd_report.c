/* cmd_report.c - `quirk report`: one document for a ticket (Markdown, or
 * the scan JSON), and `quirk tui`. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tui.h"

/* The same pipeline and writers as scan; only the default format
 * (markdown, set by main()) differs. */
int cmd_report(const struct cli_opts *o)
{
	return cmd_scan(o);
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
