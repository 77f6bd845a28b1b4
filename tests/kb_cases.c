/* kb_cases.c - judges the KB's boundary cases (tests/kb-cases/ID.cases) and
 * checks that each entry is fully covered: cases of every verdict, both
 * sides of every range bound and version comparison, a primary reference,
 * a symptom and a workaround command.
 *
 * Usage: kb_cases KB.sqlite|- CASESDIR   ("-" is the built-in KB)
 * Exit 0 when all hold, 1 when something fails (each failure printed as
 * FILE:LINE: ...), 2 when the KB or the cases cannot be read.
 *
 * A cases file holds, one a line, "VERDICT SPEC" with VERDICT affected,
 * not_affected, unknown or unknown:FACT (FACT must be among the facts the
 * verdict names as missing) and SPEC the facts as helpers.h writes them;
 * "let NAME = SPEC" defines $NAME for the lines after it; # comments. */
#include <ctype.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/kb.h"
#include "db/kb_schema.h"
#include "db/version.h"
#include "judge_core.h"

#define MAX_LETS 32
#define SPEC_MAX 8192


struct kcase {
	char where[4400];
	enum verdict got;
	struct facts f;
};

struct cases {
	struct kcase *v;
	size_t n, cap;
};

static int failures;

static void failf(const char *where, const char *fmt, const char *a, const char *b)
{
	printf("%s: ", where);
	printf(fmt, a, b);
	putchar('\n');
	failures++;
}

struct let {
	char name[64];
	char *spec;
};

/* Expands $NAME references; false if one is undefined or it overflows. */
static bool expand(const char *in, const struct let *lets, size_t nlets, char *out, size_t cap)
{
	size_t o = 0;

	while (*in) {
		if (*in != '$') {
			if (o + 1 >= cap)
				return false;
			out[o++] = *in++;
			continue;
		}
		size_t len = 0;
		in++;
		while (isalnum((unsigned char)in[len]) || in[len] == '_')
			len++;
		size_t i = 0;
		while (i < nlets && (strlen(lets[i].name) != len || strncmp(lets[i].name, in, len)))
			i++;
		if (i == nlets || o + strlen(lets[i].spec) >= cap)
			return false;
		memcpy(out + o, lets[i].spec, strlen(lets[i].spec));
		o += strlen(lets[i].spec);
		in += len;
	}
	out[o] = '\0';
	return true;
}

static bool parse_verdict(const char *w, enum verdict *v, const char **missing)
{
	*missing = NULL;
	if (!strcmp(w, "affected"))
		*v = VERDICT_AFFECTED;
	else if (!strcmp(w, "not_affected"))
		*v = VERDICT_NOT_AFFECTED;
	else if (!strncmp(w, "unknown", 7) && (w[7] == '\0' || (w[7] == ':' && w[8]))) {
		*v = VERDICT_UNKNOWN;
		*missing = w[7] ? w + 8 : NULL;
	} else
		return false;
	return true;
}

static char *trim(char *s)
{
	char *e = s + strlen(s);
	while (isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Judges every case of one file; keeps each judged case in out. Returns
 * false if the file cannot be read. */
static bool run_file(struct kb *kb, const char *path, const char *id, struct cases *out)
{
	struct let lets[MAX_LETS];
	size_t nlets = 0, len;
	char *text, *save = NULL;
	struct diag d = {""};
	int line = 0;

	if (fileio_read(path, 1 << 20, &text, &len, &d) != STATUS_OK) {
		fprintf(stderr, "kb_cases: %s\n", d.msg);
		return false;
	}
	for (char *p = text, *nl; p && *p; p = nl) {
		char where[4400], spec[SPEC_MAX], *s;
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		line++;
		snprintf(where, sizeof(where), "%s:%d", path, line);
		s = trim(p);
		if (!*s || *s == '#')
			continue;
		if (!strncmp(s, "let ", 4)) {
			char *eq = strchr(s, '=');
			if (!eq || nlets == MAX_LETS) {
				failf(where, "a let needs \"let NAME = SPEC\" (at most %s%s)", "32 lets", "");
				continue;
			}
			*eq = '\0';
			snprintf(lets[nlets].name, sizeof(lets[nlets].name), "%s", trim(s + 4));
			if (!expand(trim(eq + 1), lets, nlets, spec, sizeof(spec))) {
				failf(where, "undefined $name in let %s%s", lets[nlets].name, "");
				continue;
			}
			lets[nlets++].spec = strdup(spec);
			continue;
		}
		char *word = strtok_r(s, " \t", &save), *rest = strtok_r(NULL, "", &save);
		enum verdict want;
		const char *want_missing;
		if (!parse_verdict(word, &want, &want_missing) || !rest) {
			failf(where, "not \"VERDICT SPEC\": %s%s", word, "");
			continue;
		}
		if (!expand(trim(rest), lets, nlets, spec, sizeof(spec)) || !strchr(spec, '=')) {
			failf(where, "bad spec (undefined $name?): %s%s", rest, "");
			continue;
		}
		struct kcase c = {.got = VERDICT_UNKNOWN};
		char missing[2048];
		snprintf(c.where, sizeof(c.where), "%s", where);
		if (judge_spec(kb, id, spec, &c.got, missing, sizeof(missing), &c.f, &d) != STATUS_OK) {
			failf(where, "cannot judge: %s%s", d.msg, "");
			continue;
		}
		if (c.got != want)
			failf(where, "got %s, want %s", verdict_name(c.got), verdict_name(want));
		else if (want_missing) {
			char needle[256];
			snprintf(needle, sizeof(needle), "%s ", want_missing);
			if (!strstr(missing, needle))
				failf(where, "unknown, but the missing facts \"%s\" lack %s", missing, want_missing);
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 32;
			out->v = realloc(out->v, out->cap * sizeof(*out->v));
			if (!out->v)
				abort();
		}
		out->v[out->n++] = c;
	}
	for (size_t i = 0; i < nlets; i++)
		free(lets[i].spec);
	free(text);
	return true;
}

/* Whether the case gives fact a value equal (*eq) or unequal to bound
 * under scheme; false if the case does not give it a comparable value. A
 * list fact holds package URLs: the versions of purl's items count. */
static bool value_vs(const struct kcase *c, const char *fact, const char *purl, enum ver_scheme sch,
		     bool have_sch, const char *bound, bool *eq)
{
	const struct fact *f = facts_get(&c->f, fact);
	char num[64];
	bool any = false;

	*eq = false;
	if (!f)
		return false;
	const char *one = NULL;
	if (f->type == FACT_STR)
		one = f->str;
	else if (f->type == FACT_NUM) {
		snprintf(num, sizeof(num), "%g", f->num);
		one = num;
	}
	size_t n = one ? 1 : (f->type == FACT_LIST ? f->nlist : 0);
	for (size_t i = 0; i < n; i++) {
		const char *v = one ? one : f->list[i];
		if (!one && purl) {
			size_t pl = strlen(purl);
			if (strncmp(v, purl, pl) || v[pl] != '@')
				continue;
			v += pl + 1;
		}
		int cmp;
		bool same = have_sch && ver_compare(sch, v, bound, &cmp) == STATUS_OK ? cmp == 0 : !strcmp(v, bound);
		*eq = *eq || same;
		any = true;
	}
	return any;
}

/* A case at the bound and one on the other side with another verdict. */
static void check_bound(const char *where, const struct cases *cs, const char *fact, const char *purl,
			const char *scheme, const char *bound)
{
	enum ver_scheme sch;
	bool have_sch = scheme && ver_scheme_from_name(scheme, &sch) == STATUS_OK;
	char what[512];

	for (size_t i = 0; i < cs->n; i++) {
		bool eq;
		if (!value_vs(&cs->v[i], fact, purl, sch, have_sch, bound, &eq) || !eq)
			continue;
		for (size_t j = 0; j < cs->n; j++) {
			bool eq2;
			if (value_vs(&cs->v[j], fact, purl, sch, have_sch, bound, &eq2) && !eq2 &&
			    cs->v[j].got != cs->v[i].got)
				return;
		}
	}
	snprintf(what, sizeof(what), "%s%s%s", fact, purl ? " " : "", purl ? purl : "");
	failf(where, "no cases on both sides of %s = %s (one at the bound, one past it with another verdict)",
	      what, bound);
}

static long count(sqlite3 *db, const char *sql, const char *id)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

static void check_entry(sqlite3 *db, const char *id, const char *where, const struct cases *cs)
{
	static const struct {
		const char *sql, *what;
	} needs[] = {
		{"SELECT count(*) FROM ref WHERE entry_id = ?1 AND type IN " KB_PRIMARY_REF_TYPES,
		 "a primary reference (" KB_PRIMARY_REF_TYPES ")"},
		{"SELECT count(*) FROM symptom WHERE entry_id = ?1", "a symptom string"},
		{"SELECT count(*) FROM workaround WHERE entry_id = ?1 AND json_array_length(commands) > 0",
		 "a workaround with a command"},
	};
	/* Every bound the matcher compares against: range events, version
	 * comparisons among the conditions and a range's preconditions,
	 * distribution fixed versions. */
	static const char bounds_sql[] =
		"SELECT g.fact, g.purl, g.scheme, b.v FROM vgroup g JOIN (SELECT entry_id, grp, lo AS v FROM vrange"
		" UNION SELECT entry_id, grp, hi FROM vrange) b USING (entry_id, grp) WHERE g.entry_id = ?1"
		" AND b.v IS NOT NULL AND b.v <> '0'"
		" UNION SELECT fact, NULL, scheme, value->>'$' FROM cond WHERE entry_id = ?1 AND op IN ('lt','le','gt','ge')"
		" UNION SELECT 'os.kernel.distro_version', NULL, scheme, fixed FROM distro_fix WHERE entry_id = ?1"
		" UNION SELECT fact, NULL, scheme, value->>'$' FROM vgroup_when WHERE entry_id = ?1 AND op IN ('lt','le','gt','ge')"
		" ORDER BY 1, 4";
	int seen[3] = {0};
	sqlite3_stmt *st;

	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (count(db, needs[i].sql, id) < 1)
			failf(where, "the entry needs %s%s", needs[i].what, "");
	for (size_t i = 0; i < cs->n; i++)
		seen[cs->v[i].got]++;
	if (!seen[VERDICT_AFFECTED] || !seen[VERDICT_NOT_AFFECTED] || !seen[VERDICT_UNKNOWN])
		failf(where, "needs cases judged affected, not_affected and unknown%s%s", "", "");
	if (sqlite3_prepare_v2(db, bounds_sql, -1, &st, NULL) != SQLITE_OK) {
		failf(where, "bounds query: %s%s", sqlite3_errmsg(db), "");
		return;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		check_bound(where, cs, (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
}

static void free_cases(struct cases *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		facts_free(&cs->v[i].f);
	free(cs->v);
	memset(cs, 0, sizeof(*cs));
}

int main(int argc, char **argv)
{
	struct kb *kb;
	struct diag d = {""};
	sqlite3_stmt *ids;
	size_t ncases = 0, nentries = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: kb_cases KB.sqlite|- CASESDIR\n");
		return 2;
	}
	if (kb_open(&kb, strcmp(argv[1], "-") ? argv[1] : NULL, &d) != STATUS_OK) {
		fprintf(stderr, "kb_cases: %s\n", d.msg);
		return 2;
	}
	/* Every cases file must name an entry. */
	DIR *dir = opendir(argv[2]);
	if (!dir) {
		fprintf(stderr, "kb_cases: %s: cannot open the directory\n", argv[2]);
		kb_close(kb);
		return 2;
	}
	for (struct dirent *e; (e = readdir(dir));) {
		size_t n = strlen(e->d_name);
		char id[256], where[4400];
		if (n <= 6 || strcmp(e->d_name + n - 6, ".cases") || n - 6 >= sizeof(id))
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(n - 6), e->d_name);
		snprintf(where, sizeof(where), "%s/%s", argv[2], e->d_name);
		if (count(kb->db, "SELECT count(*) FROM entry WHERE id = ?1", id) != 1)
			failf(where, "no KB entry %s%s", id, "");
	}
	closedir(dir);
	sqlite3_prepare_v2(kb->db, "SELECT id FROM entry WHERE inactive IS NULL ORDER BY id", -1, &ids, NULL);
	while (sqlite3_step(ids) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(ids, 0);
		char path[4096];
		struct cases cs = {0};
		FILE *probe;
		snprintf(path, sizeof(path), "%s/%s.cases", argv[2], id);
		if (!(probe = fopen(path, "r"))) {
			failf(path, "missing: entry %s has no boundary cases%s", id, "");
			continue;
		}
		fclose(probe);
		if (!run_file(kb, path, id, &cs)) {
			sqlite3_finalize(ids);
			kb_close(kb);
			return 2;
		}
		check_entry(kb->db, id, path, &cs);
		ncases += cs.n;
		nentries++;
		free_cases(&cs);
	}
	sqlite3_finalize(ids);
	kb_close(kb);
	printf("%zu cases for %zu entries, %d failure%s\n", ncases, nentries, failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
