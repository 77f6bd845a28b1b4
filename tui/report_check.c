/* report_check.c - the checklist for a terminal (doctor style: one line
 * an item, the fix under what fails), for a ticket (Markdown) and for
 * scripts (JSON). */
#include "report_check.h"

#include <string.h>

#include "../db/profile.h"
#include "config.h"
#include "json_out.h"
#include "report_md.h"
#include "report_text.h"

const char *report_check_glyph(enum check_mark m)
{
	return m == MARK_PASS ? "✓" : m == MARK_WARN ? "!" : "✗";
}

void report_check_title(char *buf, size_t n, const struct check *c)
{
	if (c->label)
		snprintf(buf, n, "%s (%s)", c->label, c->text);
	else
		snprintf(buf, n, "%s", c->text);
}

static void counts(const struct check *v, size_t n, size_t count[3])
{
	count[MARK_PASS] = count[MARK_WARN] = count[MARK_FAIL] = 0;
	for (size_t i = 0; i < n; i++)
		count[check_mark(&v[i])]++;
}

/* What the reader is told when nothing says how to fix an item. */
static const char *no_fix(const struct check *c)
{
	return !strcmp(c->kind, "entry") ? "the knowledge base gives none" : "the profile gives none";
}

/* How an item's lines look: text for a terminal, or a Markdown list. */
struct style {
	const char *line;     /* before each line under the item */
	const char *cmd_lead; /* before each command of a fix */
	bool cmd_inline;      /* a fix without words starts with its first command */
	void (*command)(FILE *out, const char *cmd);
};

static void text_command(FILE *out, const char *cmd)
{
	fprintf(out, "$ %s\n", cmd);
}

static void md_command(FILE *out, const char *cmd)
{
	fputs("- ", out);
	report_md_code(out, cmd);
	putc('\n', out);
}

static const struct style text_style = {"    ", "         ", true, text_command};
static const struct style md_style = {"  - ", "    ", false, md_command};

/* Why, detail, what would decide it, and under a failure the fix. */
static void item_body(FILE *out, const struct check *c, const struct style *s)
{
	if (c->why)
		fprintf(out, "%s%s\n", s->line, c->why);
	if (c->detail)
		fprintf(out, "%s%s\n", s->line, c->detail);
	if (c->decide)
		fprintf(out, "%sto decide: %s\n", s->line, c->decide);
	if (c->outcome != CHECK_FAIL)
		return;
	if (!c->nfix)
		fprintf(out, "%sfix: %s\n", s->line, no_fix(c));
	for (size_t i = 0; i < c->nfix; i++) {
		bool inline_first = !c->fix[i].text && s->cmd_inline && c->fix[i].ncommands;
		fprintf(out, "%sfix:%s%s", s->line, c->fix[i].text || inline_first ? " " : "",
			c->fix[i].text ? c->fix[i].text : "");
		if (!inline_first)
			putc('\n', out);
		for (size_t k = 0; k < c->fix[i].ncommands; k++) {
			if (k || !inline_first)
				fputs(s->cmd_lead, out);
			s->command(out, c->fix[i].commands[k]);
		}
	}
}

void report_check_item(FILE *out, const struct check *c, bool full, bool color)
{
	enum check_mark m = check_mark(c);
	const char *mc = m == MARK_PASS ? C_GRN : m == MARK_WARN ? C_YEL : C_RED;
	char title[1024];

	report_check_title(title, sizeof(title), c);
	fprintf(out, "%s[%s]%s %s%s%s: %s%s\n", report_color(color, mc), report_check_glyph(m),
		report_color(color, C_OFF), report_color(color, m == MARK_PASS ? "" : C_BLD), title,
		report_color(color, C_OFF), c->state, c->required ? "" : " (advisory)");
	if (m != MARK_PASS || full)
		item_body(out, c, &text_style);
}

void report_check_summary(FILE *out, const struct check *v, size_t n)
{
	size_t count[3], open = 0;
	enum check_status s = checklist_status(v, n);

	counts(v, n, count);
	for (size_t i = 0; i < n; i++)
		open += v[i].required && v[i].outcome == (s == CHECKS_NOT_READY ? CHECK_FAIL : CHECK_UNDECIDED);
	fprintf(out, "%zu passed, %zu warning%s, %zu failed. ", count[MARK_PASS], count[MARK_WARN],
		count[MARK_WARN] == 1 ? "" : "s", count[MARK_FAIL]);
	if (s == CHECKS_READY)
		fputs("Ready: every required item passes.", out);
	else if (s == CHECKS_NOT_READY)
		fprintf(out, "Not ready: %zu required item%s fail%s.", open, open == 1 ? "" : "s",
			open == 1 ? "s" : "");
	else
		fprintf(out, "Undecided: %zu required item%s could not be decided.", open, open == 1 ? "" : "s");
}

static void heading(FILE *out, struct pipeline *p, const struct check_source *src, const char *lead,
		    size_t n)
{
	if (src->profile)
		fprintf(out, "%sprofile %s%s%s%s, facts from %s\n", lead, src->profile, src->name[0] ? " (" : "",
			src->name, src->name[0] ? ")" : "", p->facts_source);
	else
		fprintf(out, "%sno profile (%s): the %zu knowledge base entr%s that can concern this host"
			" and project, facts from %s\n", lead, PROFILE_DEFAULT_FILE, n, n == 1 ? "y" : "ies",
			p->facts_source);
}

void report_check_text(FILE *out, struct pipeline *p, const struct check_source *src,
		       const struct check *v, size_t n, bool color)
{
	heading(out, p, src, "quirk check: ", n);
	report_text_host(out, &p->facts);
	putc('\n', out);
	report_text_probes(out, p->results, p->nresults);
	for (size_t i = 0; i < n; i++)
		report_check_item(out, &v[i], false, color);
	if (n)
		putc('\n', out);
	report_check_summary(out, v, n);
	putc('\n', out);
}

void report_check_markdown(FILE *out, struct pipeline *p, const struct check_source *src,
			   const struct check *v, size_t n)
{
	fputs("# quirk check\n\n", out);
	heading(out, p, src, "- ", n);
	fputs("- ", out);
	report_text_host(out, &p->facts);
	fputs("\n**", out);
	report_check_summary(out, v, n);
	fputs("**\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct check *c = &v[i];
		enum check_mark m = check_mark(c);
		char title[1024];
		report_check_title(title, sizeof(title), c);
		fprintf(out, "%s- %s **%s**: ", i ? "" : "\n", report_check_glyph(m), title);
		report_md_code(out, c->state);
		fputs(c->required ? "\n" : " (advisory)\n", out);
		if (m != MARK_PASS)
			item_body(out, c, &md_style);
	}
}

static void pair(FILE *out, bool *first, const char *key, const char *value)
{
	json_key(out, first, key);
	json_str(out, value);
}

static void json_item(FILE *out, const struct check *c)
{
	bool first = true;
	char title[1024];

	report_check_title(title, sizeof(title), c);
	putc('{', out);
	pair(out, &first, "kind", c->kind);
	pair(out, &first, "title", title);
	pair(out, &first, "text", c->text);
	pair(out, &first, "label", c->label);
	pair(out, &first, "subject", c->subject);
	json_key(out, &first, "required");
	fputs(c->required ? "true" : "false", out);
	pair(out, &first, "outcome",
	     c->outcome == CHECK_PASS ? "pass" : c->outcome == CHECK_FAIL ? "fail" : "undecided");
	pair(out, &first, "mark", check_mark_name(check_mark(c)));
	pair(out, &first, "state", c->state);
	json_key(out, &first, "actual");
	fputs(c->actual ? c->actual : "null", out); /* already JSON, from SQLite */
	pair(out, &first, "detail", c->detail);
	pair(out, &first, "why", c->why);
	pair(out, &first, "decide", c->decide);
	pair(out, &first, "fix_source", c->fix_source);
	json_key(out, &first, "fix");
	putc('[', out);
	for (size_t i = 0; i < c->nfix; i++) {
		bool inner = true;
		fputs(i ? ",{" : "{", out);
		pair(out, &inner, "text", c->fix[i].text);
		json_key(out, &inner, "commands");
		putc('[', out);
		for (size_t k = 0; k < c->fix[i].ncommands; k++) {
			if (k)
				putc(',', out);
			json_str(out, c->fix[i].commands[k]);
		}
		fputs("]}", out);
	}
	fputs("]}", out);
}

void report_check_json(FILE *out, struct pipeline *p, const struct check_source *src,
		       const struct check *v, size_t n)
{
	bool first = true, inner = true;
	char kbver[64] = "?";
	int entries = 0;
	size_t count[3];

	kb_info(p->kb, kbver, sizeof(kbver), &entries);
	counts(v, n, count);
	putc('{', out);
	pair(out, &first, "quirk_version", QUIRK_VERSION);
	pair(out, &first, "kb_version", kbver);
	pair(out, &first, "facts_source", p->facts_source);
	pair(out, &first, "profile", src->profile);
	pair(out, &first, "name", src->profile && src->name[0] ? src->name : NULL);
	pair(out, &first, "status", check_status_name(checklist_status(v, n)));
	json_key(out, &first, "counts");
	putc('{', out);
	for (int m = MARK_PASS; m <= MARK_FAIL; m++) {
		json_key(out, &inner, check_mark_name((enum check_mark)m));
		fprintf(out, "%zu", count[m]);
	}
	putc('}', out);
	json_key(out, &first, "items");
	putc('[', out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', out);
		json_item(out, &v[i]);
	}
	putc(']', out);
	json_key(out, &first, "probes");
	cli_probe_json_list(out, p->results, p->nresults);
	fputs("}\n", out);
}
