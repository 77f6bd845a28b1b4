/* checklist.c - judging checklist items: fact checks with the KB's own
 * condition SQL, entries by their verdicts, probes by their results; then
 * the words and the fix commands for each. */
#include "checklist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/probe.h"
#include "version.h"

static const char judge_sql[] =
	"SELECT c.kind, c.text, c.label, c.fact, c.op, c.scheme, c.value, c.entry, c.probe, c.why, c.fix,"
	" c.required, f.value,"
	" CASE c.kind"
	"  WHEN 'entry' THEN (SELECT CASE fi.verdict WHEN 'affected' THEN 0 WHEN 'not_affected' THEN 1"
	"   ELSE CASE WHEN c.unknown_fails THEN 0 END END FROM temp.finding fi WHERE fi.id = c.entry)"
	"  WHEN 'probe' THEN CASE f.value ->> '$' WHEN 'fail' THEN 0 WHEN 'pass' THEN 1"
	"   WHEN 'not_applicable' THEN 1 END"
	"  ELSE " MATCH_COND_OUTCOME_SQL
	" END,"
	" f.value ->> '$', json_type(f.value), coalesce(c.scheme, fact_scheme(c.fact)),"
	" (SELECT s.value ->> '$' FROM temp.facts s WHERE s.key = 'probe.' || c.probe || '.summary')"
	" FROM temp.profile_item c LEFT JOIN temp.facts f ON f.key = c.fact ORDER BY c.seq";

enum { C_KIND, C_TEXT, C_LABEL, C_FACT, C_OP, C_SCHEME, C_VALUE, C_ENTRY, C_PROBE, C_WHY, C_FIX,
       C_REQUIRED, C_ACTUAL, C_OUTCOME, C_ACTUAL_TEXT, C_ACTUAL_TYPE, C_SHOWN_SCHEME, C_PROBE_SUMMARY };

static char *text_of(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	return t ? strdup((const char *)t) : NULL;
}

static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(out = malloc((size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return out;
}

/* 67108864 -> "64 MiB"; a count that is no whole multiple stays bytes. */
static char *size_words(const char *bytes)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	uint64_t v;
	size_t u = 0;

	if (!ver_size_bytes(bytes, &v))
		return strdup(bytes);
	if (v == UINT64_MAX)
		return strdup("unlimited");
	while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024 && v % 1024 == 0)
		v /= 1024, u++;
	return str_printf("%llu %s", (unsigned long long)v, units[u]);
}

/* The fix the profile gives: one step, its commands. */
static enum status fix_from_json(sqlite3 *db, const char *json, const char *text, struct check *c)
{
	sqlite3_stmt *q;
	struct workaround *w = calloc(1, sizeof(*w));

	if (!w)
		return STATUS_ERR_NOMEM;
	c->fix = w;
	c->nfix = 1;
	w->text = text ? strdup(text) : NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM json_each(?1)", -1, &q, NULL) != SQLITE_OK)
		return STATUS_ERR_DB;
	sqlite3_bind_text(q, 1, json, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		char **v = realloc(w->commands, (w->ncommands + 1) * sizeof(*v));
		if (!v) {
			sqlite3_finalize(q);
			return STATUS_ERR_NOMEM;
		}
		w->commands = v;
		w->commands[w->ncommands++] = text_of(q, 0);
	}
	sqlite3_finalize(q);
	return STATUS_OK;
}

/* Moves the workarounds of a finding to the item. */
static void fix_from_finding(struct finding *f, struct check *c)
{
	c->fix = f->wa;
	c->nfix = f->nwa;
	f->wa = NULL;
	f->nwa = 0;
	c->fix_source = strdup(c->nfix ? "kb" : "none");
}

/* Fixes quirk knows for well-known facts, when the profile gives none.
 * The memlock limit is in KiB for ulimit -l (bash: "Values are in
 * 1024-byte increments"); -S raises only the soft limit, which an
 * unprivileged user may do up to the hard limit. */
static enum status builtin_fix(sqlite3 *db, sqlite3_stmt *q, struct check *c)
{
	const char *fact = (const char *)sqlite3_column_text(q, C_FACT);
	const char *op = (const char *)sqlite3_column_text(q, C_OP);
	const char *scheme = (const char *)sqlite3_column_text(q, C_SCHEME);
	const char *value = (const char *)sqlite3_column_text(q, C_VALUE);
	char *want = NULL, cmds[96];
	uint64_t bytes;
	enum status st = STATUS_OK;

	if (fact && !strcmp(fact, "limits.memlock") && op && scheme && !strcmp(scheme, "size") &&
	    (!strcmp(op, "ge") || !strcmp(op, "gt") || !strcmp(op, "eq")) && value &&
	    (want = str_printf("%.*s", (int)strlen(value) - 2, value + 1)) && ver_size_bytes(want, &bytes)) {
		if (bytes == UINT64_MAX)
			snprintf(cmds, sizeof(cmds), "[\"ulimit -Sl unlimited\"]");
		else
			snprintf(cmds, sizeof(cmds), "[\"ulimit -Sl %llu\"]",
				 (unsigned long long)(bytes / 1024 + (bytes % 1024 != 0) + (!strcmp(op, "gt"))));
		st = fix_from_json(db, cmds, "Raise the locked-memory limit of this shell and what it starts"
				   " (up to the hard limit, which ulimit -Hl shows; on Linux an administrator raises"
				   " that with a memlock line, in KiB, in /etc/security/limits.conf).", c);
		c->fix_source = strdup("builtin");
	} else {
		c->fix_source = strdup("none");
	}
	free(want);
	return st;
}

/* The value here in a word or two: sizes in units, strings bare, null
 * as "absent", lists by whether they hold the value asked about. */
static char *fact_state(sqlite3_stmt *q)
{
	const char *type = (const char *)sqlite3_column_text(q, C_ACTUAL_TYPE);
	const char *text = (const char *)sqlite3_column_text(q, C_ACTUAL_TEXT);
	const char *scheme = (const char *)sqlite3_column_text(q, C_SHOWN_SCHEME);
	const char *op = (const char *)sqlite3_column_text(q, C_OP);

	if (!type)
		return strdup("not known");
	if (!strcmp(type, "null"))
		return strdup("absent");
	if (!strcmp(type, "array") && op && strstr(op, "contains")) {
		const char *want = (const char *)sqlite3_column_text(q, C_VALUE);
		bool has = sqlite3_column_int(q, C_OUTCOME) == !strcmp(op, "contains");
		return str_printf("%s %.*s", has ? "has" : "no", want ? (int)strlen(want) - 2 : 0, want ? want + 1 : "");
	}
	if (!strcmp(type, "array"))
		return str_printf("%s", (const char *)sqlite3_column_text(q, C_ACTUAL));
	if (!strcmp(type, "true") || !strcmp(type, "false"))
		return strdup(type);
	if (scheme && !strcmp(scheme, "size"))
		return size_words(text);
	return strdup(text ? text : "");
}

static enum status judge_fact(sqlite3 *db, sqlite3_stmt *q, struct check *c)
{
	const char *scheme = (const char *)sqlite3_column_text(q, C_SCHEME);
	const char *text = (const char *)sqlite3_column_text(q, C_ACTUAL_TEXT);

	c->subject = text_of(q, C_FACT);
	c->state = fact_state(q);
	if (c->outcome == CHECK_UNDECIDED && !c->actual) {
		c->decide = str_printf("a value of %s, which these facts lack", c->subject);
	} else if (c->outcome == CHECK_UNDECIDED) {
		c->detail = str_printf("\"%s\" is not a valid %s version", text ? text : "", scheme ? scheme : "");
		c->decide = str_printf("a %s version of %s", scheme ? scheme : "", c->subject);
	}
	if (sqlite3_column_type(q, C_FIX) != SQLITE_NULL) {
		c->fix_source = strdup("profile");
		return fix_from_json(db, (const char *)sqlite3_column_text(q, C_FIX), NULL, c);
	}
	return builtin_fix(db, q, c);
}

/* The evidence that says most about the verdict: for affected the last
 * met piece with a note (the range or the probe), otherwise the first
 * piece that is not met, or unknown. */
static void entry_detail(const struct finding *f, struct check *c)
{
	const char *want = f->verdict == VERDICT_AFFECTED ? "met"
			   : f->verdict == VERDICT_UNKNOWN ? "unknown" : "not_met";
	const struct evidence *e = NULL;

	for (size_t i = 0; i < f->nev; i++) {
		if (strcmp(f->ev[i].outcome, want) != 0)
			continue;
		if (f->verdict == VERDICT_AFFECTED ? f->ev[i].note != NULL : !e)
			e = &f->ev[i];
	}
	if (e && e->note && (f->verdict != VERDICT_NOT_AFFECTED || !strcmp(e->kind, "probe")))
		c->detail = str_printf("%s: %s", e->fact, e->note);
	else if (e)
		c->detail = str_printf("%s is %s (the bug needs %s)", e->fact, e->actual ? e->actual : "not known",
				       e->expected);
	if (f->verdict != VERDICT_UNKNOWN)
		return;
	if (f->probe && probe_find(f->probe)) {
		c->decide = str_printf("the %s probe, which quirk check --probes runs", f->probe);
	} else if (f->nmissing) {
		size_t len = 1;
		for (size_t i = 0; i < f->nmissing; i++)
			len += strlen(f->missing[i]) + 2;
		if ((c->decide = calloc(1, len)))
			for (size_t i = 0; i < f->nmissing; i++)
				strcat(strcat(c->decide, i ? ", " : ""), f->missing[i]);
	}
}

static enum status judge_entry(struct kb *kb, sqlite3_stmt *q, const char *id, struct check *c,
			       struct diag *d)
{
	struct finding *f = NULL;
	size_t n = 0;
	enum status st = match_findings(kb, id, &f, &n, d);

	if (st != STATUS_OK)
		return st;
	c->subject = strdup(id);
	if (n == 1) {
		c->state = strdup(f->verdict == VERDICT_NOT_AFFECTED ? "not affected" : verdict_name(f->verdict));
		if (!c->why)
			c->why = strdup(f->summary);
		entry_detail(f, c);
		if (sqlite3_column_type(q, C_FIX) != SQLITE_NULL) {
			c->fix_source = strdup("profile");
			st = fix_from_json(kb->db, (const char *)sqlite3_column_text(q, C_FIX), NULL, c);
		} else {
			fix_from_finding(f, c);
		}
	}
	match_findings_free(f, n);
	return st;
}

static enum status judge_probe(struct kb *kb, sqlite3_stmt *q, struct check *c, struct diag *d)
{
	const char *name = (const char *)sqlite3_column_text(q, C_PROBE);
	const char *status = (const char *)sqlite3_column_text(q, C_ACTUAL_TEXT);
	const struct probe_def *def = probe_find(name);
	enum status st = STATUS_OK;

	c->subject = strdup(name);
	c->state = strdup(!status ? "not run" : !strcmp(status, "not_applicable") ? "not applicable" : status);
	c->detail = text_of(q, C_PROBE_SUMMARY);
	if (c->outcome == CHECK_UNDECIDED)
		c->decide = status ? str_printf("a pass or a fail (quirk probe run %s shows why not)", name)
				   : strdup("a run of the probe, which quirk check --probes does");
	if (sqlite3_column_type(q, C_FIX) != SQLITE_NULL) {
		c->fix_source = strdup("profile");
		return fix_from_json(kb->db, (const char *)sqlite3_column_text(q, C_FIX), NULL, c);
	}
	/* A probe that decides several entries cannot say whose fix applies. */
	if (def && def->detects[0] && !def->detects[1]) {
		struct finding *f = NULL;
		size_t n = 0;
		if ((st = match_findings(kb, def->detects[0], &f, &n, d)) != STATUS_OK)
			return st;
		if (n == 1)
			fix_from_finding(f, c);
		match_findings_free(f, n);
	}
	if (!c->fix_source)
		c->fix_source = strdup("none");
	return st;
}

static enum status judge_one(struct kb *kb, sqlite3_stmt *q, struct check *c, struct diag *d)
{
	const char *kind = (const char *)sqlite3_column_text(q, C_KIND);

	c->kind = text_of(q, C_KIND);
	c->text = text_of(q, C_TEXT);
	c->label = text_of(q, C_LABEL);
	c->why = text_of(q, C_WHY);
	c->required = sqlite3_column_int(q, C_REQUIRED);
	c->actual = text_of(q, C_ACTUAL);
	c->outcome = sqlite3_column_type(q, C_OUTCOME) == SQLITE_NULL ? CHECK_UNDECIDED
		     : sqlite3_column_int(q, C_OUTCOME) ? CHECK_PASS : CHECK_FAIL;
	if (!strcmp(kind, "entry"))
		return judge_entry(kb, q, (const char *)sqlite3_column_text(q, C_ENTRY), c, d);
	if (!strcmp(kind, "probe"))
		return judge_probe(kb, q, c, d);
	return judge_fact(kb->db, q, c);
}

enum status checklist_judge(struct kb *kb, struct check **out, size_t *n, struct diag *d)
{
	sqlite3_stmt *q = kb_stmt(kb, judge_sql);
	struct check *v = NULL;
	size_t cnt = 0;
	enum status st = STATUS_OK;
	int rc = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	if (!q)
		return diag_set(d, STATUS_ERR_DB, "checklist: %s", sqlite3_errmsg(kb->db));
	while (st == STATUS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct check *nv = realloc(v, (cnt + 1) * sizeof(*nv));
		if (!nv) {
			st = STATUS_ERR_NOMEM;
			break;
		}
		v = nv;
		memset(&v[cnt], 0, sizeof(v[cnt]));
		st = judge_one(kb, q, &v[cnt++], d);
	}
	/* A failing step is an error, not the end of the list. */
	if (st == STATUS_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = diag_set(d, STATUS_ERR_DB, "checklist: %s", sqlite3_errmsg(kb->db));
	sqlite3_reset(q);
	for (size_t i = 0; st == STATUS_OK && i < cnt; i++)
		if (!v[i].kind || !v[i].text || !v[i].subject || !v[i].state || !v[i].fix_source)
			st = STATUS_ERR_NOMEM;
	if (st != STATUS_OK) {
		checklist_free(v, cnt);
		if (st == STATUS_ERR_NOMEM)
			diag_set(d, st, "checklist: out of memory");
		else if (st == STATUS_ERR_DB && !(d && d->msg[0]))
			diag_set(d, st, "checklist: %s", sqlite3_errmsg(kb->db));
		return st;
	}
	*out = v;
	*n = cnt;
	return STATUS_OK;
}

void checklist_free(struct check *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct check *c = &v[i];
		free(c->kind);
		free(c->text);
		free(c->label);
		free(c->subject);
		free(c->state);
		free(c->actual);
		free(c->detail);
		free(c->why);
		free(c->decide);
		free(c->fix_source);
		match_workarounds_free(c->fix, c->nfix);
	}
	free(v);
}

enum check_mark check_mark(const struct check *c)
{
	if (c->outcome == CHECK_PASS)
		return MARK_PASS;
	return c->outcome == CHECK_FAIL && c->required ? MARK_FAIL : MARK_WARN;
}

enum check_status checklist_status(const struct check *v, size_t n)
{
	enum check_status s = CHECKS_READY;

	for (size_t i = 0; i < n; i++) {
		if (!v[i].required)
			continue;
		if (v[i].outcome == CHECK_FAIL)
			return CHECKS_NOT_READY;
		if (v[i].outcome == CHECK_UNDECIDED)
			s = CHECKS_UNDECIDED;
	}
	return s;
}

const char *check_mark_name(enum check_mark m)
{
	return m == MARK_PASS ? "pass" : m == MARK_WARN ? "warn" : "fail";
}

const char *check_status_name(enum check_status s)
{
	return s == CHECKS_READY ? "ready" : s == CHECKS_NOT_READY ? "not_ready" : "undecided";
}
