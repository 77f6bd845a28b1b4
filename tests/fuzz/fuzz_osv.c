/* fuzz_osv.c - libFuzzer entry for one record through `quirk kb import`: the OSV checks, the translation into quirk's shape (db/osv.c) and the KB compiler (built by .ci/fuzz). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/kb_compile.h"
#include "db/osv.h"
#include "db/version.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static struct kb_compiler *compiler;
/* Each input is compiled inside a savepoint rolled back after it, so the
 * next one starts from the same empty KB. */
static sqlite3_stmt *begin, *rollback, *release, *left_over, *bad_range;
/* For the reading of the ranges: the record in quirk's shape, its events
 * and listed versions, and whether the matcher finds a version in a group. */
static sqlite3_stmt *translate, *events, *listed, *in_group;

static sqlite3_stmt *prepare(const char *sql)
{
	sqlite3_stmt *q;

	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK)
		abort();
	return q;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag d;

	(void)argc;
	(void)argv;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || kb_schema_create(db, &d) != STATUS_OK ||
	    kb_compiler_new(db, &compiler, &d) != STATUS_OK)
		abort();
	begin = prepare("SAVEPOINT fuzz");
	rollback = prepare("ROLLBACK TO fuzz");
	release = prepare("RELEASE fuzz");
	left_over = prepare("SELECT (SELECT count(*) FROM entry) + (SELECT count(*) FROM vrange)"
			    " + (SELECT count(*) FROM vgroup) + (SELECT count(*) FROM entry_fts)");
	/* Matching orders a host's version against each bound in the scheme
	 * of its group: a bound that scheme cannot read is never judged. */
	bad_range = prepare("SELECT count(*) FROM vrange r JOIN vgroup g ON g.entry_id = r.entry_id AND g.grp = r.grp"
			    " WHERE (r.lo IS NOT NULL AND NOT ver_valid(g.scheme, r.lo))"
			    " OR (r.hi IS NOT NULL AND NOT ver_valid(g.scheme, r.hi))");
	translate = prepare(osv_translate_sql);
	events = prepare("SELECT a.key, g.scheme, r.key, ev.key, ev.value FROM json_each(?1,'$.affected') a"
			 " JOIN vgroup g ON g.grp = a.key, json_each(a.value,'$.ranges') r,"
			 " json_each(r.value,'$.events') e, json_each(e.value) ev");
	listed = prepare("SELECT v.value FROM json_each(?1,'$.affected') a, json_each(a.value,'$.versions') v"
			 " WHERE a.key = ?2 AND v.type = 'text'");
	/* As db/match.c's IN_GROUP_SQL reads vrange. */
	in_group = prepare("SELECT max(CASE WHEN (lo IS NULL OR vercmp(?2, ?3, lo) >= 0) AND (hi IS NULL OR CASE WHEN hi_incl"
			   " THEN vercmp(?2, ?3, hi) <= 0 ELSE vercmp(?2, ?3, hi) < 0 END) THEN 1 ELSE 0 END) FROM vrange"
			   " WHERE grp = ?1");
	return 0;
}

static int step_int(sqlite3_stmt *q)
{
	int v;

	if (sqlite3_step(q) != SQLITE_ROW)
		abort();
	v = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return v;
}

static void step_done(sqlite3_stmt *q)
{
	if (sqlite3_step(q) != SQLITE_DONE)
		abort();
	sqlite3_reset(q);
}

#define MAX_EVENTS 256

struct event {
	int grp, range;
	char kind; /* 'i'ntroduced, 'f'ixed, 'l'ast_affected */
	char *ver;
	enum ver_scheme scheme;
};

static int vcmp(enum ver_scheme s, const char *a, const char *b)
{
	int c;

	if (ver_compare(s, a, b, &c) != STATUS_OK)
		abort(); /* the checks let through a version its scheme cannot read */
	return c;
}

static bool from_start(const struct event *e)
{
	return e->kind == 'i' && !strcmp(e->ver, "0");
}

/* Whether a comes after b in version order ("introduced": "0" first; at
 * one version an introduction first). */
static bool later(const struct event *a, const struct event *b)
{
	int c = from_start(a) || from_start(b) ? from_start(b) - from_start(a) : vcmp(a->scheme, a->ver, b->ver);

	return c > 0 || (c == 0 && a->kind != 'i' && b->kind == 'i');
}

/* OSV's reading of one range at version v: the last of its events in
 * version order that has effect at v decides - an introduction at or
 * below v, a fix at or below v, a last affected version below v. */
static bool range_affects(const struct event *ev, size_t n, int grp, int range, const char *v)
{
	const struct event *last = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct event *e = &ev[i];
		int c;
		if (e->grp != grp || e->range != range)
			continue;
		c = from_start(e) ? -1 : vcmp(e->scheme, e->ver, v);
		if ((e->kind == 'l' ? c < 0 : c <= 0) && (!last || later(e, last)))
			last = e;
	}
	return last && last->kind == 'i';
}

/* Whether doc (in quirk's shape) affects v in group grp by OSV's rules. */
static bool osv_affects(const char *doc, const struct event *ev, size_t n, int grp, enum ver_scheme s, const char *v)
{
	bool hit = false;

	for (size_t i = 0; i < n && !hit; i++)
		if (ev[i].grp == grp && (i == 0 || ev[i - 1].grp != grp || ev[i - 1].range != ev[i].range))
			hit = range_affects(ev, n, grp, ev[i].range, v);
	sqlite3_bind_text(listed, 1, doc, -1, SQLITE_STATIC);
	sqlite3_bind_int(listed, 2, grp);
	while (!hit && sqlite3_step(listed) == SQLITE_ROW)
		hit = vcmp(s, (const char *)sqlite3_column_text(listed, 0), v) == 0;
	sqlite3_reset(listed);
	return hit;
}

/* Every event version of a compiled record is judged by the folded
 * intervals as OSV's rules judge it from the ranges. */
static void check_ranges(const char *doc)
{
	struct event ev[MAX_EVENTS];
	size_t n = 0;
	bool all = true;

	sqlite3_bind_text(events, 1, doc, -1, SQLITE_STATIC);
	while (all && sqlite3_step(events) == SQLITE_ROW) {
		struct event *e = &ev[n++];
		/* Judged on part of its events, a record would differ: skipped. */
		if (n == MAX_EVENTS)
			all = false;
		e->grp = sqlite3_column_int(events, 0);
		if (ver_scheme_from_name((const char *)sqlite3_column_text(events, 1), &e->scheme) != STATUS_OK)
			abort();
		e->range = sqlite3_column_int(events, 2);
		e->kind = ((const char *)sqlite3_column_text(events, 3))[0];
		e->ver = strdup((const char *)sqlite3_column_text(events, 4));
	}
	sqlite3_reset(events);
	for (size_t i = 0; all && i < n; i++) {
		if (!strcmp(ev[i].ver, "0"))
			continue;
		sqlite3_bind_int(in_group, 1, ev[i].grp);
		sqlite3_bind_text(in_group, 2, ver_scheme_name(ev[i].scheme), -1, SQLITE_STATIC);
		sqlite3_bind_text(in_group, 3, ev[i].ver, -1, SQLITE_STATIC);
		if (sqlite3_step(in_group) != SQLITE_ROW)
			abort();
		if ((sqlite3_column_int(in_group, 0) == 1) != osv_affects(doc, ev, n, ev[i].grp, ev[i].scheme, ev[i].ver)) {
			/* What a finding is about, for whoever reads the crash. */
			fprintf(stderr, "fuzz_osv: group %d (%s), version \"%s\": the KB says %s, OSV's rules %s\n",
				ev[i].grp, ver_scheme_name(ev[i].scheme), ev[i].ver,
				sqlite3_column_int(in_group, 0) == 1 ? "affected" : "not affected",
				sqlite3_column_int(in_group, 0) == 1 ? "not" : "affected");
			abort();
		}
		sqlite3_reset(in_group);
	}
	for (size_t i = 0; i < n; i++)
		free(ev[i].ver);
}

/* The record in quirk's shape: as it came, or translated. */
static char *shaped(const char *text)
{
	struct osv_translation t;
	struct diag d;
	char *doc;

	if (kb_record_is_native(db, text))
		return strdup(text);
	if (osv_translate_with(translate, text, &t, &d) != STATUS_OK)
		abort();
	doc = t.doc;
	t.doc = NULL;
	osv_translation_free(&t);
	return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct kb_record r = {.name = "fuzz.json", .where = "fuzz.json: record 1"};
	struct diag d = {""};
	char *notes = (char *)"unset";
	enum status st;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	r.doc = text;
	step_done(begin);
	st = kb_compile_record(compiler, &r, &notes, &d);
	if (st != STATUS_OK) {
		/* Refused with the reason, nothing handed back. */
		if ((st != STATUS_ERR_KB_INVALID && st != STATUS_ERR_NOMEM) || notes ||
		    (st == STATUS_ERR_KB_INVALID && strncmp(d.msg, "fuzz.json: record 1: ", 21) != 0))
			abort();
	} else {
		char *doc = shaped(text);
		if (!doc || step_int(bad_range) != 0)
			abort();
		check_ranges(doc);
		free(doc);
	}
	free(notes);
	step_done(rollback);
	step_done(release);
	if (step_int(left_over) != 0)
		abort();
	free(text);
	return 0;
}
