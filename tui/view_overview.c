/* view_overview.c - the host card and the findings, most severe first. */
#include "tui_curses.h"
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define CARD_ROWS 6

static const char *str(const struct tui *t, const char *key)
{
	const char *s = facts_str(&t->p.facts, key);

	return s ? s : "?";
}

static bool has_flag(const struct tui *t, const char *flag)
{
	return facts_list_has(&t->p.facts, "cpu.flags", flag);
}

static void num(const struct tui *t, const char *key, char *buf, size_t n)
{
	const struct fact *f = facts_get(&t->p.facts, key);

	if (f && f->type == FACT_NUM)
		snprintf(buf, n, "%.0f", f->num);
	else
		snprintf(buf, n, "?");
}

/* Present tools as "name version", skipping those not installed. */
static void tools_line(const struct tui *t, const char *const *keys, char *buf, size_t n)
{
	buf[0] = '\0';
	for (size_t i = 0; keys[i]; i += 2) {
		const char *v = facts_str(&t->p.facts, keys[i]);
		if (v)
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s %s", buf[0] ? ", " : "", keys[i + 1], v);
	}
	if (!buf[0])
		snprintf(buf, n, "none found on PATH");
}

static void draw_card(struct tui *t)
{
	static const char *const compilers[] = {"compiler.gcc", "gcc", "compiler.clang", "clang", NULL};
	static const char *const runtimes[] = {"runtime.go", "go", "runtime.ruby", "ruby", "runtime.node", "node",
					       "runtime.java", "java", "runtime.erlang", "erlang", "tool.spin", "spin",
					       "tool.wasmtime", "wasmtime", NULL};
	static const char *const flags[] = {"avx", "avx2", "avx512f", "sse4_2", "aes", "sha_ni", NULL};
	char line[512], fam[16], mod[16], step[16], list[256] = "";

	num(t, "cpu.family", fam, sizeof(fam));
	num(t, "cpu.model", mod, sizeof(mod));
	num(t, "cpu.stepping", step, sizeof(step));
	for (size_t i = 0; flags[i]; i++)
		if (has_flag(t, flags[i]))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? " " : "", flags[i]);
	snprintf(line, sizeof(line), "CPU      %s%s%s%s, family %s model %s stepping %s, microcode %s",
		 str(t, "cpu.brand"), facts_str(&t->p.facts, "cpu.codename") ? " (" : "",
		 facts_str(&t->p.facts, "cpu.codename") ? str(t, "cpu.codename") : "",
		 facts_str(&t->p.facts, "cpu.codename") ? ")" : "", fam, mod, step, str(t, "cpu.microcode"));
	tui_put(1, 1, line);
	snprintf(line, sizeof(line), "         %s, flags: %s", str(t, "cpu.arch"), list[0] ? list : "-");
	tui_put(2, 1, line);
	if (facts_str(&t->p.facts, "os.product_version"))
		snprintf(line, sizeof(line), "OS       macOS %s (%s), kernel %s", str(t, "os.product_version"),
			 str(t, "os.build"), str(t, "os.kernel.release"));
	else
		snprintf(line, sizeof(line), "OS       %s %s built with %s %s, %s", str(t, "os.name"),
			 str(t, "os.kernel.release"), str(t, "os.kernel.compiler"), str(t, "os.kernel.compiler_version"),
			 str(t, "os.distro.name"));
	tui_put(3, 1, line);
	tools_line(t, compilers, list, sizeof(list));
	snprintf(line, sizeof(line), "Compile  %s", list);
	tui_put(4, 1, line);
	tools_line(t, runtimes, list, sizeof(list));
	snprintf(line, sizeof(line), "Runtimes %s", list);
	tui_put(5, 1, line);
}

/* The findings shown, in order: index i of the visible list -> finding. */
static const struct finding *visible(struct tui *t, size_t i, size_t *count)
{
	const struct finding *hit = NULL;
	size_t k = 0;

	for (size_t j = 0; j < t->nfindings; j++) {
		if (t->hide_clean && t->findings[j].verdict == VERDICT_NOT_AFFECTED)
			continue;
		if (k++ == i)
			hit = &t->findings[j];
	}
	if (count)
		*count = k;
	return hit;
}

static const char *glyph(enum verdict v)
{
	return v == VERDICT_AFFECTED ? "✗ AFFECTED " : v == VERDICT_UNKNOWN ? "? unknown  " : "✓ not affected";
}

static void draw(struct tui *t)
{
	size_t count, affected = 0, unknown = 0;
	int y0 = CARD_ROWS + 2, rows = tui_body_rows(t) - CARD_ROWS - 2;
	char line[512];

	draw_card(t);
	for (size_t i = 0; i < t->nfindings; i++) {
		affected += t->findings[i].verdict == VERDICT_AFFECTED;
		unknown += t->findings[i].verdict == VERDICT_UNKNOWN;
	}
	visible(t, 0, &count);
	snprintf(line, sizeof(line), "Findings: %zu affected, %zu unknown, %zu not affected%s", affected, unknown,
		 t->nfindings - affected - unknown, t->hide_clean ? " (not affected hidden: f shows them)" : "");
	attron(A_BOLD);
	tui_put(y0 - 1, 1, line);
	attroff(A_BOLD);
	if (t->sel >= count)
		t->sel = count ? count - 1 : 0;
	if (t->sel < t->top)
		t->top = t->sel;
	if (rows > 0 && t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	for (int r = 0; r < rows; r++) {
		const struct finding *f = visible(t, t->top + (size_t)r, NULL);
		int pair = f ? tui_verdict_pair(f->verdict) : 0;
		if (!f)
			break;
		if (t->top + (size_t)r == t->sel)
			attron(A_REVERSE);
		mvhline(y0 + r, 0, ' ', COLS);
		if (t->color)
			attron(COLOR_PAIR(pair));
		attron(f->verdict == VERDICT_AFFECTED ? A_BOLD : 0);
		tui_put(y0 + r, 1, glyph(f->verdict));
		attroff(A_BOLD);
		if (t->color)
			attroff(COLOR_PAIR(pair));
		snprintf(line, sizeof(line), "%-8s %-32s %s", f->severity, f->id, f->summary);
		tui_put(y0 + r, 16, line);
		attroff(A_REVERSE);
	}
	if (count == 0)
		tui_put(y0, 1, "Nothing to show: every entry is judged not affected (f shows them).");
}

static bool key(struct tui *t, enum action a, int ch)
{
	size_t count;
	int page = tui_body_rows(t) - CARD_ROWS - 2;

	(void)ch;
	visible(t, 0, &count);
	if (tui_list_key(&t->sel, count, (size_t)page, a))
		return true;
	switch (a) {
	case ACT_FILTER:
		t->hide_clean = !t->hide_clean;
		tui_message(t, t->hide_clean ? "Hiding entries that do not affect this host"
					     : "Showing every entry");
		return true;
	case ACT_ENTER:
		if ((t->shown = visible(t, t->sel, NULL)))
			tui_push(t, &view_detail);
		return true;
	default:
		return false;
	}
}

static void open_view(struct tui *t)
{
	t->sel = t->top = 0;
}

const struct view view_overview = {"Overview", open_view, draw, key, NULL};
