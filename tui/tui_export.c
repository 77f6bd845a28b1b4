/* tui_export.c - e: the current report as Markdown, in a new file. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../probes/fileio.h"
#include "report_md.h"
#include "tui.h"

void tui_export(struct tui *t)
{
	struct probe_result results[TUI_MAX_PROBES];
	size_t nresults = 0;
	char name[64], dir[PATH_MAX], path[PATH_MAX + 64], *doc = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&doc, &len);
	struct diag d = {""};
	time_t now = time(NULL);

	if (!mem) {
		tui_message(t, "export: out of memory");
		return;
	}
	for (size_t i = 0; i < TUI_MAX_PROBES; i++)
		if (t->have_last[i])
			results[nresults++] = t->last[i];
	report_markdown(mem, &t->p, t->findings, t->nfindings, results, nresults);
	fclose(mem);
	strftime(name, sizeof(name), "quirk-report-%Y%m%d-%H%M%S.md", localtime(&now));
	/* The current directory, or the temporary one if that is read-only. */
	if (!getcwd(dir, sizeof(dir)) || access(dir, W_OK) != 0)
		snprintf(dir, sizeof(dir), "%s", getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (fileio_write_atomic(path, doc, len, &d) == STATUS_OK)
		tui_message(t, "Report written to %s", path);
	else
		tui_message(t, "export failed: %s", d.msg);
	free(doc);
}
