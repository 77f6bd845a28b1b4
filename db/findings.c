/* findings.c - reading match results back: as C structs for text and
 * TUI front ends, as JSON (built by SQLite) for scripts. */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#define FINDING_ORDER " ORDER BY fi.rank, e.severity_rank, e.id"

/* The findings with their entries: all of them when ?1 is NULL, else the
 * one of entry ?1, found by key ("?1 IS NULL OR id = ?1" would read every
 * finding, for each entry a checklist or a log report asks about). */
#define FINDINGS_OF_ID                                                                      \
	" FROM (SELECT * FROM temp.finding WHERE id = ?1 UNION ALL SELECT * FROM temp.finding" \
	" WHERE ?1 IS NULL) fi JOIN entry e ON e.id = fi.id"

const char match_findings_json_sql[] =
	"SELECT json_group_array(json(fj)) FROM (SELECT json_object("
	"'id', e.id, 'summary', e.summary, 'verdict', fi.verdict, 'severity', e.severity,"
	"'component', e.component,"
	"'evidence', (SELECT json_group_array(json_object('check', kind, 'fact', fact, 'expected', expected,"
	" 'actual', json(actual), 'outcome', outcome, 'note', note))"
	" FROM (SELECT * FROM temp.evidence v WHERE v.entry_id = e.id ORDER BY seq)),"
	"'missing', json(fi.missing), 'probe', e.probe,"
	"'symptoms', (SELECT json_group_array(text) FROM (SELECT text FROM symptom s"
	" WHERE s.entry_id = e.id ORDER BY seq)),"
	"'workarounds', (SELECT json_group_array(json_object('text', text, 'commands', json(commands)))"
	" FROM (SELECT * FROM workaround w WHERE w.entry_id = e.id ORDER BY seq)),"
	"'references', (SELECT json_group_array(json_object('type', type, 'url', url))"
	" FROM (SELECT * FROM ref r WHERE r.entry_id = e.id ORDER BY seq))) AS fj"
	FINDINGS_OF_ID FINDING_ORDER ")";

static char *dup_col(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	return t ? strdup((const char *)t) : NULL;
}

static const char findings_sql[] =
	"SELECT e.id, e.summary, e.details, e.component, e.severity, e.probe, fi.rank"
	FINDINGS_OF_ID FINDING_ORDER;

/* The statements that read one finding's parts (?1 = entry id), prepared
 * once a KB (kb_stmt()): the checklist reads its entries one at a time. */
enum { Q_MISSING, Q_SYMPTOMS, Q_REFS, Q_EVIDENCE, Q_WORKAROUNDS, Q_COMMANDS, Q__COUNT };

static const char *const part_sql[Q__COUNT] = {
	"SELECT value FROM temp.finding fi, json_each(fi.missing) WHERE fi.id = ?1",
	"SELECT text FROM symptom WHERE entry_id = ?1 ORDER BY seq",
	"SELECT type || ' ' || url FROM ref WHERE entry_id = ?1 ORDER BY seq",
	"SELECT kind, fact, expected, actual, outcome, note FROM temp.evidence WHERE entry_id = ?1 ORDER BY seq",
	"SELECT text, commands FROM workaround WHERE entry_id = ?1 ORDER BY seq",
	"SELECT value FROM json_each(?1)",
};

/* Runs q (?1 = arg) and collects column 0 of each row. */
static enum status strings(sqlite3_stmt *q, const char *arg, char ***out, size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, arg, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (*n == cap) {
			char **v = realloc(*out, (cap = cap ? cap * 2 : 4) * sizeof(*v));
			if (!v)
				return STATUS_ERR_NOMEM;
			*out = v;
		}
		(*out)[(*n)++] = dup_col(q, 0);
	}
	return STATUS_OK;
}

static enum status fill(sqlite3_stmt **qs, struct finding *f)
{
	sqlite3_stmt *q;
	enum status st;

	st = strings(qs[Q_MISSING], f->id, &f->missing, &f->nmissing);
	if (st == STATUS_OK)
		st = strings(qs[Q_SYMPTOMS], f->id, &f->symptoms, &f->nsymptoms);
	if (st == STATUS_OK)
		st = strings(qs[Q_REFS], f->id, &f->refs, &f->nrefs);
	if (st != STATUS_OK)
		return st;
	q = qs[Q_EVIDENCE];
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, f->id, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct evidence *v = realloc(f->ev, (f->nev + 1) * sizeof(*v)), *e;
		if (!v)
			return STATUS_ERR_NOMEM;
		f->ev = v;
		e = &f->ev[f->nev++];
		e->kind = dup_col(q, 0);
		e->fact = dup_col(q, 1);
		e->expected = dup_col(q, 2);
		e->actual = dup_col(q, 3);
		e->outcome = dup_col(q, 4);
		e->note = dup_col(q, 5);
	}
	q = qs[Q_WORKAROUNDS];
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, f->id, -1, SQLITE_STATIC);
	while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
		struct workaround *v = realloc(f->wa, (f->nwa + 1) * sizeof(*v)), *w;
		if (!v)
			return STATUS_ERR_NOMEM;
		f->wa = v;
		w = &f->wa[f->nwa++];
		w->text = dup_col(q, 0);
		st = strings(qs[Q_COMMANDS], (const char *)sqlite3_column_text(q, 1), &w->commands, &w->ncommands);
	}
	return st;
}

enum status match_findings(struct kb *kb, const char *only_id, struct finding **out, size_t *n,
			   struct diag *d)
{
	sqlite3_stmt *q, *qs[Q__COUNT] = {0};
	enum status st = STATUS_OK;
	struct finding *v = NULL;
	size_t cnt = 0, cap = 0;

	for (int i = 0; i < Q__COUNT; i++)
		if (!(qs[i] = kb_stmt(kb, part_sql[i]))) {
			st = diag_set(d, STATUS_ERR_DB, "findings: %s", sqlite3_errmsg(kb->db));
			goto out;
		}
	if (!(q = kb_stmt(kb, findings_sql))) {
		st = diag_set(d, STATUS_ERR_DB, "findings: %s", sqlite3_errmsg(kb->db));
		goto out;
	}
	if (only_id)
		sqlite3_bind_text(q, 1, only_id, -1, SQLITE_STATIC);
	while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
		struct finding *f;
		if (cnt == cap) {
			/* Doubling: a KB of 100,000 entries has as many findings. */
			struct finding *nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*nv));
			if (!nv) {
				st = STATUS_ERR_NOMEM;
				break;
			}
			v = nv;
		}
		f = &v[cnt++];
		memset(f, 0, sizeof(*f));
		f->id = dup_col(q, 0);
		f->summary = dup_col(q, 1);
		f->details = dup_col(q, 2);
		f->component = dup_col(q, 3);
		f->severity = dup_col(q, 4);
		f->probe = dup_col(q, 5);
		f->verdict = (enum verdict)sqlite3_column_int(q, 6);
		st = fill(qs, f);
	}
	sqlite3_reset(q);
	if (st != STATUS_OK) {
		match_findings_free(v, cnt);
		diag_set(d, st, "findings: %s", sqlite3_errmsg(kb->db));
	} else {
		*out = v;
		*n = cnt;
	}
out:
	for (int i = 0; i < Q__COUNT; i++)
		if (qs[i])
			sqlite3_reset(qs[i]);
	return st;
}

enum status match_worst(struct kb *kb, enum verdict *out, struct diag *d)
{
	sqlite3_stmt *q;
	int rc;

	*out = VERDICT_NOT_AFFECTED;
	/* rank is the verdict, most severe first. */
	if (sqlite3_prepare_v2(kb->db, "SELECT min(rank) FROM temp.finding", -1, &q, NULL) != SQLITE_OK)
		return diag_set(d, STATUS_ERR_DB, "findings: %s", sqlite3_errmsg(kb->db));
	if ((rc = sqlite3_step(q)) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
		*out = (enum verdict)sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? STATUS_OK : diag_set(d, STATUS_ERR_DB, "findings: %s", sqlite3_errmsg(kb->db));
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void match_workarounds_free(struct workaround *w, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(w[k].text);
		free_strings(w[k].commands, w[k].ncommands);
	}
	free(w);
}

void match_findings_free(struct finding *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct finding *f = &v[i];
		free(f->id);
		free(f->summary);
		free(f->details);
		free(f->component);
		free(f->severity);
		free(f->probe);
		for (size_t k = 0; k < f->nev; k++) {
			free(f->ev[k].kind);
			free(f->ev[k].fact);
			free(f->ev[k].expected);
			free(f->ev[k].actual);
			free(f->ev[k].outcome);
			free(f->ev[k].note);
		}
		free(f->ev);
		match_workarounds_free(f->wa, f->nwa);
		free_strings(f->missing, f->nmissing);
		free_strings(f->symptoms, f->nsymptoms);
		free_strings(f->refs, f->nrefs);
	}
	free(v);
}
