/* search.c - symptom strings first, then FTS5 ranking. */
#include "search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERMS 48

/* An entry named by the whole text: its id or one of its aliases (a CVE,
 * a GHSA id), case-insensitively; ranked above everything else. Then the
 * symptoms found in the text (or the text in a symptom), longest first;
 * score = 1000 + its length so they rank above any FTS hit. */
#define NAMED_SCORE "3000.0"
static const char exact_sql[] =
	"SELECT e.id, e.summary, f.verdict, trim(?1), " NAMED_SCORE
	" FROM entry e LEFT JOIN temp.finding f ON f.id = e.id"
	" WHERE e.inactive IS NULL AND (lower(e.id) = lower(trim(?1))"
	"  OR e.id IN (SELECT id FROM temp.search_alias WHERE alias = lower(trim(?1))))"
	" UNION ALL"
	" SELECT e.id, e.summary, f.verdict, s.text, 1000.0 + length(s.text)"
	" FROM symptom s JOIN entry e ON e.id = s.entry_id LEFT JOIN temp.finding f ON f.id = e.id"
	" WHERE (instr(lower(?1), lower(s.text)) > 0"
	"  OR (length(trim(?1)) >= 8 AND instr(lower(s.text), lower(trim(?1))) > 0))"
	" AND e.inactive IS NULL"
	" ORDER BY 5 DESC";

/* The aliases, read out of every entry's record once a connection: not
 * parsing all of them again for each search (or keystroke in the TUI). */
static const char alias_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS search_alias AS SELECT e.id, lower(a.value) AS alias"
	" FROM entry e, json_each(e.doc, '$.aliases') a;"
	"CREATE INDEX IF NOT EXISTS temp.search_alias_a ON search_alias(alias)";

/* bm25 weights: summary 4, details 1, symptoms 8 (id is not indexed);
 * bm25 is lower for better matches, so the score is its negation. FTS5
 * sorts by rank itself, so snippets are made only for the rows returned. */
static const char fts_sql[] =
	"SELECT e.id, e.summary, f.verdict,"
	" snippet(entry_fts, -1, '[', ']', '...', 12), -entry_fts.rank"
	" FROM entry_fts JOIN entry e ON e.id = entry_fts.id LEFT JOIN temp.finding f ON f.id = e.id"
	" WHERE entry_fts MATCH ?1 AND entry_fts.rank MATCH 'bm25(0.0, 4.0, 1.0, 8.0)' ORDER BY entry_fts.rank LIMIT ?2";

/* With an overlay merged (overlay_attach()) each database has its own
 * index: both are asked, each for the entries it provides. */
#define FTS_ARM(SCHEMA, CMP)                                                                       \
	"SELECT e.id, e.summary, f.verdict, snippet(entry_fts, -1, '[', ']', '...', 12) AS snip,"      \
	" -bm25(entry_fts, 0.0, 4.0, 1.0, 8.0) AS score FROM " SCHEMA ".entry_fts"                     \
	" JOIN entry e ON e.id = entry_fts.id"                                                         \
	" JOIN temp.kb_origin o ON o.id = e.id AND o.origin " CMP " 'overlay'"                           \
	" LEFT JOIN temp.finding f ON f.id = e.id WHERE entry_fts MATCH ?1 AND e.inactive IS NULL"
static const char fts_overlay_sql[] = "SELECT * FROM (" FTS_ARM("main", "<>") " UNION ALL "
	FTS_ARM("ov", "=") ") ORDER BY score DESC LIMIT ?2";

/* The text's words as an FTS5 query: "w1" OR "w2" ...; words are letters
 * and digits, two or more, lowercased, each once. NULL if none. */
static char *fts_query(const char *text)
{
	char words[MAX_TERMS][64];
	size_t nwords = 0, len = 0;
	char *q;

	for (const char *p = text; *p && nwords < MAX_TERMS;) {
		size_t n = 0;
		while (*p && !isalnum((unsigned char)*p))
			p++;
		while (isalnum((unsigned char)p[n]))
			n++;
		if (n >= 2 && n < sizeof(words[0])) {
			bool dup = false;
			for (size_t i = 0; i < n; i++)
				words[nwords][i] = (char)tolower((unsigned char)p[i]);
			words[nwords][n] = '\0';
			for (size_t i = 0; i < nwords && !dup; i++)
				dup = !strcmp(words[i], words[nwords]);
			if (!dup)
				len += n + 6, nwords++;
		}
		p += n;
	}
	if (!nwords || !(q = malloc(len + 1)))
		return NULL;
	q[0] = '\0';
	for (size_t i = 0; i < nwords; i++)
		sprintf(q + strlen(q), "%s\"%s\"", i ? " OR " : "", words[i]);
	return q;
}

static char *dup_col(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	return t ? strdup((const char *)t) : NULL;
}

/* Appends the rows of q (best first) to v unless the entry is already
 * there, and resets q. FTS rows scoring under a tenth of the best one
 * matched only words that are everywhere ("kernel", "the"): noise.
 * STATUS_ERR_DB if a step fails, STATUS_ERR_NOMEM. */
static enum status collect(sqlite3_stmt *q, bool exact, size_t max, struct search_hit *v, size_t *n)
{
	enum status st = STATUS_OK;
	double best = -1;
	int rc = SQLITE_DONE;

	while (st == STATUS_OK && *n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		double score = sqlite3_column_double(q, 4);
		bool seen = false;

		if (best < 0)
			best = score;
		if (!exact && best > 0 && score < best / 10)
			break;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp(v[i].id, id);
		if (seen)
			continue;
		struct search_hit *h = &v[(*n)++];
		h->id = dup_col(q, 0);
		h->summary = dup_col(q, 1);
		h->verdict = dup_col(q, 2);
		h->matched = dup_col(q, 3);
		h->score = score;
		h->exact = exact;
		h->named = exact && score >= atof(NAMED_SCORE);
		if (!h->id || !h->summary)
			st = STATUS_ERR_NOMEM;
	}
	if (st == STATUS_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = STATUS_ERR_DB;
	sqlite3_reset(q);
	return st;
}

enum status kb_search(struct kb *kb, const char *text, size_t max, struct search_hit **out,
		      size_t *n, struct diag *d)
{
	struct search_hit *v = calloc(max ? max : 1, sizeof(*v));
	char *query = fts_query(text);
	sqlite3_stmt *q;
	enum status st = STATUS_OK;

	*out = NULL;
	*n = 0;
	if (!v) {
		free(query);
		return STATUS_ERR_NOMEM;
	}
	/* The first search of a connection makes the alias table first. */
	q = kb_stmt(kb, exact_sql);
	if (!q && sqlite3_exec(kb->db, alias_sql, NULL, NULL, NULL) == SQLITE_OK)
		q = kb_stmt(kb, exact_sql);
	if (!q)
		st = STATUS_ERR_DB;
	if (st == STATUS_OK) {
		sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
		st = collect(q, true, max, v, n);
	}
	if (st == STATUS_OK && query) {
		if (!(q = kb_stmt(kb, kb->overlay ? fts_overlay_sql : fts_sql)))
			st = STATUS_ERR_DB;
		if (st == STATUS_OK) {
			sqlite3_bind_text(q, 1, query, -1, SQLITE_STATIC);
			sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
			st = collect(q, false, max, v, n);
		}
	}
	free(query);
	if (st != STATUS_OK) {
		if (st == STATUS_ERR_DB)
			diag_set(d, st, "search: %s", sqlite3_errmsg(kb->db));
		kb_search_free(v, *n);
		*n = 0;
		return st;
	}
	*out = v;
	return STATUS_OK;
}

void kb_search_free(struct search_hit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].summary);
		free(v[i].verdict);
		free(v[i].matched);
	}
	free(v);
}
