/* view_detail.c - one finding: why this verdict, symptoms, workarounds,
 * references and the probe that can decide; the same text as `explain`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"
#include "tui.h"

static int wrapped_for; /* the width the text was wrapped to */

static void build(struct tui *t)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	const struct probe_def *def;

	if (!mem)
		return;
	report_text_explain(mem, t->shown, false);
	if (t->shown->probe && (def = probe_find(t->shown->probe))) {
		fprintf(mem, "\nProbe: %s (%s) can decide this on this machine: press p, select it, press r.\n",
			def->name, probe_risk_name(def->risk));
		for (size_t i = 0; probe_at(i); i++)
			if (probe_at(i) == def && i < TUI_MAX_PROBES && t->have_last[i])
				fprintf(mem, "  last run: %s, %s\n", probe_status_name(t->last[i].status),
					t->last[i].summary);
	}
	fclose(mem);
	pager_set_text(&t->detail, text ? text : "", t->cols - 2);
	wrapped_for = t->cols;
	free(text);
}

static void open_view(struct tui *t)
{
	build(t);
}

static void draw(struct tui *t)
{
	char title[256];

	if (wrapped_for != t->cols)
		build(t);
	snprintf(title, sizeof(title), "%s: %s", t->shown->id, verdict_name(t->shown->verdict));
	tui_draw_pager(t, &t->detail, title);
}

static bool key(struct tui *t, enum action a, int ch)
{
	(void)ch;
	return tui_pager_key(t, &t->detail, a);
}

static void done(struct tui *t)
{
	pager_free(&t->detail);
	t->shown = NULL;
}

const struct view view_detail = {"Detail", open_view, draw, key, done};
