/* view_search.c - type or paste an error message, get the KB entries that
 * match, ranked (symptom strings first, then FTS5), as you type. */
#include "tui_curses.h"
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define MAX_HITS 20

static void run_search(struct tui *t)
{
	struct diag d = {""};

	kb_search_free(t->hits, t->nhits);
	t->hits = NULL;
	t->nhits = t->hit_sel = 0;
	if (t->query[0] && kb_search(t->p.kb, t->query, MAX_HITS, &t->hits, &t->nhits, &d) != STATUS_OK)
		tui_message(t, "search: %s", d.msg);
}

static void open_view(struct tui *t)
{
	t->query[0] = '\0';
	run_search(t);
}

static void draw(struct tui *t)
{
	char line[600];
	int rows = tui_body_rows(t) - 4;

	tui_put(1, 1, "Search: type or paste an error message (Enter opens the entry, Esc goes back)");
	snprintf(line, sizeof(line), "> %s", t->query);
	attron(A_BOLD);
	tui_put(2, 1, line);
	attroff(A_BOLD);
	if (t->query[0] && !t->nhits)
		tui_put(4, 1, "No knowledge base entry matches.");
	for (int r = 0; r < rows / 2 && (size_t)r < t->nhits; r++) {
		const struct search_hit *h = &t->hits[r];
		if ((size_t)r == t->hit_sel)
			attron(A_REVERSE);
		mvhline(4 + 2 * r, 0, ' ', COLS);
		snprintf(line, sizeof(line), "%-31s %-13s %s", h->id, h->verdict ? h->verdict : "-", h->summary);
		tui_put(4 + 2 * r, 1, line);
		attroff(A_REVERSE);
		snprintf(line, sizeof(line), "    %s %s", h->named ? "names:" : h->exact ? "symptom:" : "matched:", h->matched ? h->matched : "");
		tui_put(5 + 2 * r, 1, line);
	}
}

static void open_hit(struct tui *t)
{
	if (t->hit_sel >= t->nhits)
		return;
	for (size_t i = 0; i < t->nfindings; i++) {
		if (!strcmp(t->findings[i].id, t->hits[t->hit_sel].id)) {
			t->shown = &t->findings[i];
			tui_push(t, &view_detail);
			return;
		}
	}
}

/* A newline followed at once by more input is part of a paste. */
static bool more_input(void)
{
	int c;

	nodelay(stdscr, TRUE);
	c = getch();
	timeout(50);
	if (c == ERR)
		return false;
	ungetch(c);
	return true;
}

static bool key(struct tui *t, enum action a, int ch)
{
	size_t len = strlen(t->query);

	if ((ch == '\n' || ch == '\r') && more_input())
		ch = ' ';
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		/* Drop a whole UTF-8 character. */
		while (len > 0 && ((unsigned char)t->query[--len] & 0xc0) == 0x80)
			;
		t->query[len] = '\0';
		run_search(t);
		return true;
	}
	if (ch >= 0x20 && ch < 0x100 && ch != 0x7f) {
		if (ch == ' ' && (len == 0 || t->query[len - 1] == ' '))
			return true; /* no leading or doubled blanks */
		if (len + 1 < sizeof(t->query)) {
			t->query[len] = (char)ch;
			t->query[len + 1] = '\0';
			run_search(t);
		}
		return true;
	}
	if (a == ACT_ENTER) {
		open_hit(t);
		return true;
	}
	return tui_list_key(&t->hit_sel, t->nhits, 5, a); /* Esc and the rest: not here */
}

static void done(struct tui *t)
{
	kb_search_free(t->hits, t->nhits);
	t->hits = NULL;
	t->nhits = 0;
}

const struct view view_search = {"Search", open_view, draw, key, done};
