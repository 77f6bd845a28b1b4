/* view_check.c - the checklist: one line an item (✓ ! ✗), and below the
 * list the selected item with why, what would decide it and its fix, as
 * `quirk check` prints it. Enter opens an entry's details or a probe. */
#include "tui_curses.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_check.h"
#include "tui.h"

#define HEAD_ROWS 3 /* heading, summary, blank */
#define STATE_COL 50

void view_check_refresh(struct tui *t)
{
	t->checks_stale = true;
}

/* Judges the items if the facts changed since; a failure is the message. */
static void judge(struct tui *t)
{
	struct diag d = {""};

	if (!t->checks_stale)
		return;
	t->checks_stale = false;
	checklist_free(t->checks, t->nchecks);
	t->checks = NULL;
	t->nchecks = 0;
	if (checklist_judge(t->p.kb, &t->checks, &t->nchecks, &d) != STATUS_OK)
		tui_message(t, "%s", d.msg);
	if (t->check_sel >= t->nchecks)
		t->check_sel = t->nchecks ? t->nchecks - 1 : 0;
}

/* Rows for the list: all items when they fit in half the body. */
static int list_rows(const struct tui *t)
{
	int half = (tui_body_rows(t) - HEAD_ROWS) / 2;

	return (int)t->nchecks < half ? (int)t->nchecks : half;
}

static int mark_pair(enum check_mark m)
{
	return m == MARK_PASS ? PAIR_CLEAN : m == MARK_WARN ? PAIR_UNKNOWN : PAIR_AFFECTED;
}

static void draw_heading(struct tui *t)
{
	char line[4400], *summary = NULL; /* a path's worth */
	size_t len = 0;
	FILE *mem;

	/* The file's own name: the project is the one quirk was started in. */
	if (t->profile[0])
		snprintf(line, sizeof(line), "Checklist: %s (%s)", t->meta.name[0] ? t->meta.name : "profile",
			 strrchr(t->profile, '/') ? strrchr(t->profile, '/') + 1 : t->profile);
	else
		snprintf(line, sizeof(line), "Checklist: no profile (%s); the entries that can concern this host",
			 PROFILE_DEFAULT_FILE);
	attron(A_BOLD);
	tui_put(1, 1, line);
	attroff(A_BOLD);
	if ((mem = open_memstream(&summary, &len))) {
		report_check_summary(mem, t->checks, t->nchecks);
		fclose(mem);
		tui_put(2, 1, summary ? summary : "");
	}
	free(summary);
}

static void draw_row(struct tui *t, int y, const struct check *c, bool selected)
{
	enum check_mark m = check_mark(c);
	char state[256];

	snprintf(state, sizeof(state), " %s%s", c->state, c->required ? "" : " (advisory)");
	if (selected)
		attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	if (t->color)
		attron(COLOR_PAIR(mark_pair(m)));
	attron(m == MARK_FAIL ? A_BOLD : 0);
	tui_put(y, 1, report_check_glyph(m));
	attroff(A_BOLD);
	if (t->color)
		attroff(COLOR_PAIR(mark_pair(m)));
	tui_put(y, 3, c->label ? c->label : c->text); /* the details below have both */
	mvhline(y, STATE_COL - 1, ' ', COLS - STATE_COL + 1);
	tui_put(y, STATE_COL - 1, state);
	attroff(A_REVERSE);
}

static void draw_items(struct tui *t)
{
	int rows = list_rows(t), y0 = 1 + HEAD_ROWS, detail_y = y0 + rows + 1;
	int detail_rows = tui_body_rows(t) + 1 - detail_y;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	draw_heading(t);
	if (t->nchecks == 0) {
		tui_put(y0, 1, "Nothing to check: no knowledge base entry can concern this host and project.");
		return;
	}
	if (t->check_sel < t->check_top)
		t->check_top = t->check_sel;
	if (rows > 0 && t->check_sel >= t->check_top + (size_t)rows)
		t->check_top = t->check_sel - (size_t)rows + 1;
	for (int r = 0; r < rows && t->check_top + (size_t)r < t->nchecks; r++)
		draw_row(t, y0 + r, &t->checks[t->check_top + (size_t)r], t->check_top + (size_t)r == t->check_sel);
	if (!(mem = open_memstream(&text, &len)))
		return;
	report_check_item(mem, &t->checks[t->check_sel], true, false);
	fclose(mem);
	pager_set_text(&t->check_detail, text ? text : "", t->cols - 2);
	free(text);
	for (int r = 0; r < detail_rows && (size_t)r < t->check_detail.n; r++)
		tui_put(detail_y + r, 1, t->check_detail.lines[r]);
}

static void open_item(struct tui *t, const struct check *c)
{
	if (!strcmp(c->kind, "entry")) {
		t->shown = NULL;
		for (size_t i = 0; i < t->nfindings; i++)
			if (!strcmp(t->findings[i].id, c->subject))
				t->shown = &t->findings[i];
		if (t->shown)
			tui_push(t, &view_detail);
		return;
	}
	if (!strcmp(c->kind, "probe")) {
		for (size_t i = 0; probe_at(i); i++)
			if (!strcmp(probe_at(i)->name, c->subject))
				t->probe_sel = i;
		tui_push(t, &view_probes);
		return;
	}
	tui_message(t, "%s: all there is to say is below", c->subject);
}

static void draw(struct tui *t)
{
	judge(t);
	draw_items(t);
}

static bool key(struct tui *t, enum action a, int ch)
{
	(void)ch;
	judge(t);
	if (tui_list_key(&t->check_sel, t->nchecks, (size_t)(list_rows(t) > 0 ? list_rows(t) : 1), a))
		return true;
	if (a == ACT_ENTER && t->check_sel < t->nchecks) {
		open_item(t, &t->checks[t->check_sel]);
		return true;
	}
	return false;
}

static void done(struct tui *t)
{
	pager_free(&t->check_detail);
}

const struct view view_check = {"Checklist", NULL, draw, key, done};
