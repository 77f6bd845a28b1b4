/* view_help.c - the keys, generated from the table that dispatches them. */
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static void open_view(struct tui *t)
{
	char line[160], text[8192] = "";
	const char *l;

	for (size_t i = 0; (l = tui_help_line(i, line, sizeof(line))); i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s\n", l);
	snprintf(text + strlen(text), sizeof(text) - strlen(text),
		 "\nVerdicts: ✗ affected (the bug is on this machine), ? unknown (a fact that would decide is\n"
		 "missing; a probe may decide), ✓ not affected. The mouse wheel scrolls. Search takes a pasted\n"
		 "error message. Probes that may crash an affected machine ask first.\n"
		 "\nChecklist (c; first when the project has a .quirk.json): ✓ passes, ! warns (an advisory item\n"
		 "fails, or an item cannot be decided), ✗ a required item fails, with its fix below.\n");
	pager_set_text(&t->help, text, t->cols - 2);
}

static void draw(struct tui *t)
{
	tui_draw_pager(t, &t->help, "Keys");
}

static bool key(struct tui *t, enum action a, int ch)
{
	(void)ch;
	return tui_pager_key(t, &t->help, a);
}

static void done(struct tui *t)
{
	pager_free(&t->help);
}

const struct view view_help = {"Help", open_view, draw, key, done};
