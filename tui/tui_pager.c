/* tui_pager.c - scrollable text (Detail, Help), wrapped to the screen. */
#include "tui_curses.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui.h"

void pager_free(struct pager *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		free(pg->lines[i]);
	free(pg->lines);
	pg->lines = NULL;
	pg->n = pg->top = 0;
}

static void add_line(struct pager *pg, const char *s, size_t len)
{
	char **lines = realloc(pg->lines, (pg->n + 1) * sizeof(*lines));
	char *copy = malloc(len + 1);

	if (!lines || !copy) {
		free(copy);
		if (lines)
			pg->lines = lines;
		return;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	pg->lines = lines;
	pg->lines[pg->n++] = copy;
}

/* Byte length of the prefix of s (len bytes) that fits in width columns,
 * broken at a space where one is near. */
static size_t fit(const char *s, size_t len, int width)
{
	mbstate_t ps = {0};
	size_t used = 0, last_space = 0;
	int cols = 0;

	while (used < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + used, len - used, &ps);
		int w;
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			n = 1;
			w = 1;
			memset(&ps, 0, sizeof(ps));
		} else {
			w = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		}
		if (cols + w > width)
			return last_space > (size_t)width / 2 ? last_space : used;
		if (s[used] == ' ')
			last_space = used + 1;
		used += n;
		cols += w;
	}
	return used;
}

void pager_set_text(struct pager *pg, const char *text, int width)
{
	pager_free(pg);
	if (width < 20)
		width = 20;
	while (*text) {
		size_t len = strcspn(text, "\n");
		const char *line = text;
		size_t indent = strspn(line, " ");
		bool first = true;
		/* Continuation lines keep the paragraph's indent. */
		while (first || len > 0) {
			size_t room = first ? (size_t)width : (size_t)width - indent - 2;
			size_t n = fit(line, len, (int)room);
			char buf[2048];
			if (n == 0 && len > 0)
				n = 1;
			if (first) {
				add_line(pg, line, n);
			} else {
				snprintf(buf, sizeof(buf), "%*s%.*s", (int)indent + 2, "", (int)n, line);
				add_line(pg, buf, strlen(buf));
			}
			first = false;
			line += n;
			len -= n;
			while (len > 0 && *line == ' ')
				line++, len--;
		}
		text += strcspn(text, "\n");
		if (*text == '\n')
			text++;
	}
}

void tui_draw_pager(struct tui *t, struct pager *pg, const char *title)
{
	int rows = tui_body_rows(t) - 1;

	attron(A_BOLD);
	tui_put(1, 1, title);
	attroff(A_BOLD);
	if (pg->n > (size_t)rows && pg->top > pg->n - (size_t)rows)
		pg->top = pg->n - (size_t)rows;
	for (int r = 0; r < rows && pg->top + (size_t)r < pg->n; r++) {
		const char *line = pg->lines[pg->top + (size_t)r];
		bool strong = !strncmp(line, "AFFECTED", 8) || !strncmp(line, "UNKNOWN", 7) ||
			      !strncmp(line, "not affected", 12);
		if (strong)
			attron(A_BOLD);
		tui_put(2 + r, 1, line);
		if (strong)
			attroff(A_BOLD);
	}
	if (pg->n > (size_t)rows) {
		char where[64];
		snprintf(where, sizeof(where), "%zu-%zu of %zu", pg->top + 1,
			 pg->top + (size_t)rows < pg->n ? pg->top + (size_t)rows : pg->n, pg->n);
		tui_put(1, COLS - (int)strlen(where) - 1, where);
	}
}

bool tui_list_key(size_t *sel, size_t count, size_t page, enum action a)
{
	size_t last = count ? count - 1 : 0;

	switch (a) {
	case ACT_UP:
		*sel = *sel > 0 ? *sel - 1 : 0;
		return true;
	case ACT_DOWN:
		*sel = *sel < last ? *sel + 1 : last;
		return true;
	case ACT_PGUP:
		*sel = *sel > page ? *sel - page : 0;
		return true;
	case ACT_PGDN:
		*sel = *sel + page < last ? *sel + page : last;
		return true;
	case ACT_HOME:
		*sel = 0;
		return true;
	case ACT_END:
		*sel = last;
		return true;
	default:
		return false;
	}
}

bool tui_pager_key(struct tui *t, struct pager *pg, enum action a)
{
	size_t page = (size_t)(tui_body_rows(t) - 1);

	/* The top line moves like a selection over 0..n-page. */
	return tui_list_key(&pg->top, pg->n > page ? pg->n - page + 1 : 1, page, a);
}
