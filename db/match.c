/* match.c - conditions and version ranges evaluated in SQL (vercmp() does
 * the ordering); the rules that combine them into a verdict in C. */
#include "match.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static const char cond_sql[] =
	"SELECT c.fact, c.op, c.scheme, c.value, f.value, c.why, " MATCH_COND_OUTCOME_SQL
	" FROM cond c LEFT JOIN temp.facts f ON f.key = c.fact WHERE c.entry_id = ?1 ORDER BY c.seq";

/* 1 if version V (SQL expression) of scheme S lies in any interval of
 * group ?2 of entry ?1, else 0; the one definition of "in the range". */
#define IN_GROUP_SQL(S, V)                                                     \
	"SELECT max(CASE WHEN (r.lo IS NULL OR vercmp(" S ", " V ", r.lo) >= 0)"   \
	" AND (r.hi IS NULL OR CASE WHEN r.hi_incl THEN vercmp(" S ", " V ", r.hi) <= 0" \
	" ELSE vercmp(" S ", " V ", r.hi) < 0 END) THEN 1 ELSE 0 END)"            \
	" FROM vrange r WHERE r.entry_id = ?1 AND r.grp = ?2"

/* Each candidate version of a group against each interval: 1 inside. */
static const char range_sql[] =
	"WITH f AS (SELECT value FROM temp.facts WHERE key = ?3),"
	" cand(v, shown) AS ("
	"  SELECT CASE WHEN ?4 IS NULL THEN f.value ->> '$' ELSE substr(j.value, length(?4) + 2) END,"
	"         CASE WHEN ?4 IS NULL THEN f.value ->> '$' ELSE j.value END"
	"  FROM f LEFT JOIN json_each(f.value) j ON ?4 IS NOT NULL"
	"  WHERE (?4 IS NULL AND json_type(f.value) <> 'null') OR substr(j.value, 1, length(?4) + 1) = ?4 || '@')"
	" SELECT cand.shown, (" IN_GROUP_SQL("?5", "cand.v") "), vercmp(?5, cand.v, cand.v) IS NOT NULL"
	" FROM cand";

/* The matcher has 11 statements; room for more without a silent failure. */
#define JUDGE_STMTS 32

struct judge {
	struct kb *kb;
	const char *id;
	int seq;
	bool not_met, unknown;
	char missing[1024];
	struct diag *d;
	sqlite3_stmt *ins_ev;
	/* Statements prepared once a run and reused for every entry: parsing
	 * SQL again for each entry was most of a scan's time. */
	struct kb_stmt_slot stmts[JUDGE_STMTS];
};

/* The run's statement for sql, reset and unbound; NULL if it cannot be
 * prepared (the caller reports sqlite3_errmsg()). */
static sqlite3_stmt *judge_stmt(struct judge *j, const char *sql)
{
	return kb_stmt_in(j->kb->db, j->stmts, JUDGE_STMTS, sql);
}

static void judge_stmts_free(struct judge *j)
{
	kb_stmts_free(j->stmts, JUDGE_STMTS);
}

/* The first column of sql's first row for parameters p1 (and p2), as a
 * copy to free; NULL when there is none. */
static char *judge_text(struct judge *j, const char *sql, const char *p1, const char *p2)
{
	sqlite3_stmt *q = judge_stmt(j, sql);
	char *out = NULL;

	if (!q)
		return NULL;
	sqlite3_bind_text(q, 1, p1, -1, SQLITE_STATIC);
	if (p2)
		sqlite3_bind_text(q, 2, p2, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		out = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
	return out;
}

static void add_missing(struct judge *j, const char *fact)
{
	char quoted[256];

	snprintf(quoted, sizeof(quoted), "\"%s\"", fact);
	if (strstr(j->missing, quoted))
		return;
	snprintf(j->missing + strlen(j->missing), sizeof(j->missing) - strlen(j->missing),
		 "%s%s", j->missing[0] ? "," : "", quoted);
}

/* Records one piece of evidence; outcome 1 met, 0 not met, -1 unknown. */
static enum status evidence(struct judge *j, const char *kind, const char *fact,
			    const char *expected, const char *actual, int outcome,
			    const char *note)
{
	sqlite3_stmt *s = j->ins_ev;

	if (outcome == 0)
		j->not_met = true;
	else if (outcome < 0)
		j->unknown = true;
	sqlite3_bind_text(s, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, j->seq++);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, fact, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, expected, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, actual, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, outcome > 0 ? "met" : outcome == 0 ? "not_met" : "unknown", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(s, 8, note, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? STATUS_OK
				 : diag_set(j->d, STATUS_ERR_DB, "evidence: %s", sqlite3_errmsg(j->kb->db));
}

static const char *op_words(const char *op)
{
	static const char *const map[][2] = {
		{"eq", "="}, {"ne", "!="}, {"in", "one of"}, {"contains", "contains"},
		{"not_contains", "does not contain"}, {"glob", "matches"}, {"lt", "<"},
		{"le", "<="}, {"gt", ">"}, {"ge", ">="}, {"present", "present"},
		{"absent", "absent"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(op, map[i][0]))
			return map[i][1];
	return op;
}

static enum status judge_conditions(struct judge *j)
{
	sqlite3_stmt *q;
	enum status st = STATUS_OK;

	if (!(q = judge_stmt(j, cond_sql)))
		return diag_set(j->d, STATUS_ERR_DB, "conditions: %s", sqlite3_errmsg(j->kb->db));
	sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
	while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
		const char *fact = (const char *)sqlite3_column_text(q, 0);
		const char *op = (const char *)sqlite3_column_text(q, 1);
		const char *scheme = (const char *)sqlite3_column_text(q, 2);
		const char *val = (const char *)sqlite3_column_text(q, 3);
		const char *actual = (const char *)sqlite3_column_text(q, 4);
		const char *why = (const char *)sqlite3_column_text(q, 5);
		int outcome = sqlite3_column_type(q, 6) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 6);
		char expected[512], note[512];

		snprintf(expected, sizeof(expected), "%s%s%s%s%s%s", op_words(op), val ? " " : "",
			 val ? val : "", scheme ? " (" : "", scheme ? scheme : "", scheme ? ")" : "");
		snprintf(note, sizeof(note), "%s", why ? why : "");
		if (outcome < 0 && !actual) {
			add_missing(j, fact);
			snprintf(note, sizeof(note), "%s%snot known on this host", why ? why : "",
				 why ? "; " : "");
		} else if (outcome < 0 && !scheme) {
			snprintf(note, sizeof(note), "%s%sthe probe did not decide", why ? why : "", why ? "; " : "");
		} else if (outcome < 0) {
			snprintf(note, sizeof(note), "%s%s%s is not a valid %s version", why ? why : "",
				 why ? "; " : "", actual, scheme ? scheme : "");
		}
		st = evidence(j, "condition", fact, expected, actual, outcome, note[0] ? note : NULL);
	}
	sqlite3_reset(q);
	return st;
}

/* The intervals of group G of entry E in words, "5.2 <= v < 5.3.15,
 * 5.4 <= v < 5.4.2, v = 6.0.1" (in the order they were folded). */
#define RANGES_TEXT_SQL(E, G)                                                                         \
	"(SELECT group_concat(CASE WHEN r.lo = r.hi AND r.hi_incl THEN 'v = ' || r.lo ELSE"            \
	" ifnull(r.lo || ' <= v', 'v') || CASE WHEN r.hi IS NULL THEN '' WHEN r.hi_incl THEN ' <= '"   \
	" || r.hi ELSE ' < ' || r.hi END END, ', ') FROM vrange r WHERE r.entry_id = " E " AND r.grp = " G ")"

static void describe_ranges(struct judge *j, int grp, char *buf, size_t size)
{
	sqlite3_stmt *q;

	buf[0] = '\0';
	if (!(q = judge_stmt(j, "SELECT " RANGES_TEXT_SQL("?1", "?2"))))
		return;
	sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, grp);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
}

/* 1 in range, 0 not, -1 cannot tell; version is the upstream release. */
static int in_ranges(struct judge *j, int grp, const char *scheme, const char *version)
{
	sqlite3_stmt *q;
	int r = -1;

	if (!(q = judge_stmt(j, "SELECT (" IN_GROUP_SQL("?3", "?4") "), vercmp(?3, ?4, ?4)")))
		return -1;
	sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, grp);
	sqlite3_bind_text(q, 3, scheme, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, version, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 1) != SQLITE_NULL)
		r = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return r;
}

static char *fact_json(struct judge *j, const char *key)
{
	return judge_text(j, "SELECT value FROM temp.facts WHERE key = ?1", key, NULL);
}

static char *fact_text(struct judge *j, const char *key)
{
	return judge_text(j, "SELECT value ->> '$' FROM temp.facts WHERE key = ?1 AND json_type(value) = 'text'",
			  key, NULL);
}

/* Distribution kernels keep an old upstream number and backport fixes, so
 * an upstream range alone must not call them affected (Go's own check did,
 * golang/go#38915). Inside the range: the distribution's fixed version
 * decides where the KB has it, otherwise the verdict stays unknown. */
static enum status judge_distro_kernel(struct judge *j, int grp, const char *expected,
				       const char *actual, const char *release)
{
	char *distro = fact_text(j, "os.kernel.distro");
	char *pkg = fact_text(j, "os.kernel.distro_version");
	char *upstream = fact_text(j, "os.kernel.upstream_version");
	const char *base = upstream ? upstream : release;
	char note[768], series[32];
	int in = in_ranges(j, grp, "linux", base), outcome = -1;
	sqlite3_stmt *q = NULL;
	enum status st;
	size_t n = strspn(base, "0123456789.");
	const char *dot = memchr(base, '.', n);

	dot = dot ? memchr(dot + 1, '.', n - (size_t)(dot + 1 - base)) : NULL;
	snprintf(series, sizeof(series), "%.*s", (int)(dot ? (size_t)(dot - base) : n), base);
	if (in == 0) {
		outcome = 0;
		snprintf(note, sizeof(note), "%s kernel based on %s, outside the affected upstream releases",
			 distro, base);
	} else if (in < 0) {
		snprintf(note, sizeof(note), "cannot order kernel release %s", base);
	} else if ((q = judge_stmt(j, "SELECT fixed, scheme, url FROM distro_fix WHERE entry_id = ?1 AND grp = ?2"
				       " AND distro = ?3 AND series = ?4")) &&
		   (sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC), sqlite3_bind_int(q, 2, grp),
		    sqlite3_bind_text(q, 3, distro, -1, SQLITE_STATIC),
		    sqlite3_bind_text(q, 4, series, -1, SQLITE_STATIC), sqlite3_step(q) == SQLITE_ROW)) {
		const char *fixed = (const char *)sqlite3_column_text(q, 0);
		const char *scheme = (const char *)sqlite3_column_text(q, 1);
		enum ver_scheme s;
		int cmp;
		if (!pkg) {
			add_missing(j, "os.kernel.distro_version");
			snprintf(note, sizeof(note), "%s %s kernels are fixed in %s, but this kernel's package"
				 " version is not known", distro, series, fixed);
		} else if (ver_scheme_from_name(scheme, &s) != STATUS_OK ||
			   ver_compare(s, pkg, fixed, &cmp) != STATUS_OK) {
			snprintf(note, sizeof(note), "cannot order %s package version %s", distro, pkg);
		} else {
			outcome = cmp < 0;
			snprintf(note, sizeof(note), "%s kernel package %s %s the fixed %s (%s)", distro, pkg,
				 cmp < 0 ? "is older than" : "is at or past", fixed,
				 (const char *)sqlite3_column_text(q, 2));
		}
	} else {
		snprintf(note, sizeof(note), "%s kernel based on %s is in the upstream affected range, but"
			 " %s backports fixes and the KB has no fixed %s %s version; a probe can decide",
			 distro, base, distro, distro, series);
	}
	sqlite3_reset(q);
	st = evidence(j, "range", "os.kernel.release", expected, actual, outcome, note);
	free(distro);
	free(pkg);
	free(upstream);
	return st;
}

/* Facts a group needs (the distribution release of a Debian or Ubuntu
 * record, or a libc a range is limited to), each judged as a condition and
 * recorded as evidence. 1 if they all hold, 0 if one does not, -1 if one
 * is not known; *st on failure. */
static int judge_when(struct judge *j, int grp, enum status *st)
{
	sqlite3_stmt *q;
	int applies = 1;

	*st = STATUS_OK;
	if (!(q = judge_stmt(j, "SELECT c.fact, c.op, c.value ->> '$', c.scheme, f.value, "
			       MATCH_COND_OUTCOME_SQL " FROM vgroup_when c LEFT JOIN temp.facts f ON f.key = c.fact"
			       " WHERE c.entry_id = ?1 AND c.grp = ?2 ORDER BY c.rowid"))) {
		*st = diag_set(j->d, STATUS_ERR_DB, "ranges: %s", sqlite3_errmsg(j->kb->db));
		return 0;
	}
	sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, grp);
	while (*st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
		const char *fact = (const char *)sqlite3_column_text(q, 0);
		const char *op = (const char *)sqlite3_column_text(q, 1);
		const char *want = (const char *)sqlite3_column_text(q, 2);
		const char *scheme = (const char *)sqlite3_column_text(q, 3);
		const char *actual = (const char *)sqlite3_column_text(q, 4);
		int outcome = sqlite3_column_type(q, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 5);
		char expected[256], note[256];
		snprintf(expected, sizeof(expected), "%s \"%s\"%s%s%s", op_words(op), want ? want : "",
			 scheme ? " (" : "", scheme ? scheme : "", scheme ? ")" : "");
		snprintf(note, sizeof(note), "%s", !actual ? "not known on this host"
			 : outcome < 0 ? "cannot be ordered"
			 : outcome ? "the range below applies" : "the range below is for other hosts");
		if (!actual)
			add_missing(j, fact);
		*st = evidence(j, "condition", fact, expected, actual, outcome, note);
		if (outcome == 0)
			applies = 0;
		else if (outcome < 0 && applies > 0)
			applies = -1;
	}
	sqlite3_reset(q);
	return applies;
}

/* An undecided group (affected[].database_specific.unverified) holds
 * versions the sources leave open, such as a release some vendors patched
 * and others did not: a version in it makes the verdict unknown, never
 * affected. */
static enum status judge_group(struct judge *j, int grp, const char *fact,
			       const char *scheme, const char *purl, bool undecided)
{
	char expected[512], note[512] = "", *actual;
	enum status st;
	sqlite3_stmt *q;
	int outcome = 0, cands = 0;

	/* A precondition not known still lets a version outside the ranges
	 * rule the group out. */
	if (judge_when(j, grp, &st) == 0 || st != STATUS_OK)
		return st;
	/* For a package list, the evidence is the matching packages only
	 * (NULL too when the list is not known), not a copy of the list. */
	if (purl)
		actual = judge_text(j, "SELECT CASE WHEN json_type(f.value) = 'null' THEN 'null' ELSE"
				       " (SELECT json_group_array(j.value) FROM json_each(f.value) j"
				       " WHERE substr(j.value, 1, length(?2) + 1) = ?2 || '@') END FROM temp.facts f"
				       " WHERE f.key = ?1", fact, purl);
	else
		actual = fact_json(j, fact);

	int lead = snprintf(expected, sizeof(expected), "%s%s%s", undecided ? "undecided: " : "",
			    purl ? purl : "", purl ? " " : "");
	describe_ranges(j, grp, expected + lead, sizeof(expected) - (size_t)lead);
	if (!actual) {
		add_missing(j, fact);
		st = evidence(j, "range", fact, expected, NULL, -1, "not known on this host");
		return st;
	}
	if (!strcmp(scheme, "linux") && !purl) {
		char *distro = fact_json(j, "os.kernel.distro");
		char *release = fact_text(j, fact);
		bool is_distro = distro && strcmp(distro, "null") != 0, known = distro != NULL;
		free(distro);
		if (is_distro && release) {
			st = judge_distro_kernel(j, grp, expected, actual, release);
			free(release);
			free(actual);
			return st;
		}
		if (!known && release && in_ranges(j, grp, scheme, release) > 0) {
			/* Cannot tell a vanilla kernel from a backporting one. */
			add_missing(j, "os.kernel.distro");
			st = evidence(j, "range", fact, expected, actual, -1,
				      "in the upstream range, but whether this is a distribution kernel with"
				      " backported fixes is not known");
			free(release);
			free(actual);
			return st;
		}
		free(release);
	}
	if (!(q = judge_stmt(j, range_sql))) {
		free(actual);
		return diag_set(j->d, STATUS_ERR_DB, "ranges: %s", sqlite3_errmsg(j->kb->db));
	}
	sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, grp);
	sqlite3_bind_text(q, 3, fact, -1, SQLITE_STATIC);
	if (purl)
		sqlite3_bind_text(q, 4, purl, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, scheme, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *shown = (const char *)sqlite3_column_text(q, 0);
		cands++;
		if (!sqlite3_column_int(q, 2)) {
			if (outcome == 0)
				outcome = -1;
			snprintf(note, sizeof(note), "%s is not a valid %s version", shown ? shown : "?", scheme);
		} else if (sqlite3_column_int(q, 1)) {
			outcome = 1;
			snprintf(note, sizeof(note), "%s is in the affected range", shown);
		}
	}
	sqlite3_reset(q);
	if (undecided && outcome == 1) {
		outcome = -1;
		snprintf(note, sizeof(note), "in a range the entry leaves undecided (the details say why)");
	} else if (cands == 0 && purl)
		snprintf(note, sizeof(note), "no %s in %s", purl, fact);
	else if (cands == 0)
		snprintf(note, sizeof(note), "%s is absent", fact);
	else if (outcome == 0)
		snprintf(note, sizeof(note), "outside the affected range");
	st = evidence(j, "range", fact, expected, actual, outcome, note);
	free(actual);
	return st;
}

static enum status judge_ranges(struct judge *j)
{
	sqlite3_stmt *q;
	enum status st = STATUS_OK;
	bool any = false, met = false, unknown = false, saved_not_met = j->not_met,
	     saved_unknown = j->unknown;

	if (!(q = judge_stmt(j, "SELECT grp, fact, scheme, purl, undecided FROM vgroup WHERE entry_id = ?1"
				" ORDER BY grp")))
		return diag_set(j->d, STATUS_ERR_DB, "ranges: %s", sqlite3_errmsg(j->kb->db));
	sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
	/* Groups are alternatives (OSV affected[]): any met makes the
	 * ranges met, all not met makes them not met. */
	while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
		j->not_met = j->unknown = false;
		st = judge_group(j, sqlite3_column_int(q, 0), (const char *)sqlite3_column_text(q, 1),
				 (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
				 sqlite3_column_int(q, 4) != 0);
		any = true;
		/* Within a group everything must hold: one part not met rules
		 * the group out even where another is not known. */
		met = met || (!j->not_met && !j->unknown);
		unknown = unknown || (j->unknown && !j->not_met);
	}
	sqlite3_reset(q);
	j->not_met = saved_not_met || (any && !met && !unknown);
	j->unknown = saved_unknown || (any && !met && unknown);
	return st;
}

/* A probe result among the facts (probe.NAME.status) settles the verdict
 * when the entry says that result decides: "fail" means the bug was seen
 * on this host, "pass" that it was not. Other results are shown on
 * undecided entries, as what the probe could not do. */
static const char probe_sql[] =
	"SELECT e.probe, s.value ->> '$', m.value ->> '$',"
	" EXISTS (SELECT 1 FROM json_each(e.probe_decides) WHERE value = s.value ->> '$')"
	" FROM entry e"
	" JOIN temp.facts s ON s.key = 'probe.' || e.probe || '.status'"
	" LEFT JOIN temp.facts m ON m.key = 'probe.' || e.probe || '.summary'"
	" WHERE e.id = ?1";

static enum status judge_probe(struct judge *j, enum verdict *v)
{
	sqlite3_stmt *q;
	enum status st = STATUS_OK;

	if (!(q = judge_stmt(j, probe_sql)))
		return diag_set(j->d, STATUS_ERR_DB, "probe results: %s", sqlite3_errmsg(j->kb->db));
	sqlite3_bind_text(q, 1, j->id, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *probe = (const char *)sqlite3_column_text(q, 0);
		const char *result = (const char *)sqlite3_column_text(q, 1);
		const char *summary = (const char *)sqlite3_column_text(q, 2);
		bool decides = sqlite3_column_int(q, 3);
		char fact[96], actual[64], note[512];
		bool seen = result && !strcmp(result, "fail");

		snprintf(fact, sizeof(fact), "probe.%s.status", probe);
		snprintf(actual, sizeof(actual), "\"%s\"", result ? result : "");
		/* A pass does not overrule facts that place the host in the
		 * affected code: not reproducing a race proves less. */
		if (decides && (seen || *v == VERDICT_UNKNOWN)) {
			*v = seen ? VERDICT_AFFECTED : VERDICT_NOT_AFFECTED;
			snprintf(note, sizeof(note), "%s: %s", seen ? "the probe saw the bug on this host"
								   : "the probe did not see the bug on this host",
				 summary ? summary : result);
			st = evidence(j, "probe", fact, "fail (the bug observed)", actual, seen ? 1 : 0, note);
		} else if (decides && *v == VERDICT_AFFECTED) {
			snprintf(note, sizeof(note), "the probe did not reproduce the bug (%s), but the facts above"
				 " place this host in the affected code", summary ? summary : result);
			st = evidence(j, "probe", fact, "fail (the bug observed)", actual, -1, note);
		} else if (*v == VERDICT_UNKNOWN) {
			snprintf(note, sizeof(note), "the %s probe did not decide: %s", probe,
				 summary ? summary : result);
			st = evidence(j, "probe", fact, "fail (the bug observed)", actual, -1, note);
		}
	}
	sqlite3_reset(q);
	return st;
}

/* Entries that only name packages (no conditions, no probe, every group
 * a package list that is known on this host) none of which is there are
 * not affected whatever the versions: judged in bulk, so that thousands
 * of imported advisories cost one query instead of a dozen each. */
static const char absent_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS pkg(fact TEXT, base TEXT);"
	"CREATE INDEX IF NOT EXISTS temp.pkg_base ON pkg(fact, base);"
	"DELETE FROM temp.pkg;"
	"INSERT INTO temp.pkg SELECT f.key, substr(j.value, 1, instr(j.value, '@') - 1) FROM temp.facts f,"
	" json_each(f.value) j WHERE json_type(f.value) = 'array' AND j.type = 'text' AND instr(j.value, '@') > 1"
	" AND f.key IN (SELECT DISTINCT fact FROM vgroup WHERE purl IS NOT NULL);"
	"CREATE TEMP TABLE IF NOT EXISTS absent(id TEXT PRIMARY KEY);"
	"DELETE FROM temp.absent;"
	"INSERT INTO temp.absent SELECT e.id FROM entry e WHERE e.inactive IS NULL AND e.probe IS NULL"
	" AND NOT EXISTS (SELECT 1 FROM cond c WHERE c.entry_id = e.id)"
	" AND EXISTS (SELECT 1 FROM vgroup g WHERE g.entry_id = e.id)"
	" AND NOT EXISTS (SELECT 1 FROM vgroup g WHERE g.entry_id = e.id AND (g.purl IS NULL"
	"  OR NOT EXISTS (SELECT 1 FROM temp.facts f WHERE f.key = g.fact AND json_type(f.value) = 'array')"
	"  OR EXISTS (SELECT 1 FROM temp.pkg p WHERE p.fact = g.fact AND p.base = g.purl)));"
	"INSERT INTO temp.finding SELECT id, 'not_affected', 2, '[]' FROM temp.absent;"
	"INSERT INTO temp.evidence SELECT g.entry_id, g.grp, 'range', g.fact, g.purl || ' ' || ifnull("
	RANGES_TEXT_SQL("g.entry_id", "g.grp") ", ''), '[]', 'not_met', 'no ' || g.purl || ' in ' || g.fact"
	" FROM vgroup g WHERE g.entry_id IN (SELECT id FROM temp.absent);";

enum status match_run(struct kb *kb, struct diag *d)
{
	sqlite3_stmt *ids = NULL, *ins = NULL;
	struct judge j = {.kb = kb, .d = d};
	enum status st = STATUS_OK;

	if (sqlite3_exec(kb->db, "DELETE FROM temp.finding; DELETE FROM temp.evidence", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(kb->db, absent_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db, "SELECT id FROM entry WHERE inactive IS NULL AND id NOT IN"
			       " (SELECT id FROM temp.absent) ORDER BY id", -1, &ids, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db, "INSERT INTO temp.finding VALUES(?1, ?2, ?3, '[' || ?4 || ']')",
			       -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(kb->db, "INSERT INTO temp.evidence VALUES(?1,?2,?3,?4,?5,json(?6),?7,?8)",
			       -1, &j.ins_ev, NULL) != SQLITE_OK) {
		st = diag_set(d, STATUS_ERR_DB, "match: %s", sqlite3_errmsg(kb->db));
		goto out;
	}
	sqlite3_exec(kb->db, "BEGIN", NULL, NULL, NULL);
	while (st == STATUS_OK && sqlite3_step(ids) == SQLITE_ROW) {
		enum verdict v;
		j.id = (const char *)sqlite3_column_text(ids, 0);
		j.seq = 0;
		j.not_met = j.unknown = false;
		j.missing[0] = '\0';
		st = judge_conditions(&j);
		if (st == STATUS_OK)
			st = judge_ranges(&j);
		if (st != STATUS_OK)
			break;
		/* All conditions and the ranges must hold: one that fails
		 * decides, whatever else is unknown. */
		v = j.not_met ? VERDICT_NOT_AFFECTED : j.unknown ? VERDICT_UNKNOWN : VERDICT_AFFECTED;
		if ((st = judge_probe(&j, &v)) != STATUS_OK)
			break;
		sqlite3_bind_text(ins, 1, j.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, verdict_name(v), -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 3, (int)v);
		sqlite3_bind_text(ins, 4, v == VERDICT_UNKNOWN ? j.missing : "", -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			st = diag_set(d, STATUS_ERR_DB, "match: %s", sqlite3_errmsg(kb->db));
		sqlite3_reset(ins);
	}
	sqlite3_exec(kb->db, st == STATUS_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_finalize(ids);
	sqlite3_finalize(ins);
	sqlite3_finalize(j.ins_ev);
	judge_stmts_free(&j);
	return st;
}

const char *verdict_name(enum verdict v)
{
	return v == VERDICT_AFFECTED ? "affected" : v == VERDICT_UNKNOWN ? "unknown" : "not_affected";
}

enum status match_rules_out_host(struct kb *kb, const char *id, bool *ruled_out, char *why,
				 size_t n, struct diag *d)
{
	sqlite3_stmt *q;
	size_t len = 0;

	*ruled_out = false;
	if (n)
		why[0] = '\0';
	/* Not-met rows first: one of them settles it. */
	if (sqlite3_prepare_v2(kb->db, "SELECT fact, expected, actual, outcome FROM temp.evidence"
			       " WHERE entry_id = ?1 AND kind <> 'probe'"
			       " AND (fact GLOB 'os.*' OR fact GLOB 'cpu.*' OR fact GLOB 'hw.*')"
			       " ORDER BY outcome <> 'not_met', seq", -1, &q, NULL) != SQLITE_OK)
		return diag_set(d, STATUS_ERR_DB, "match: %s", sqlite3_errmsg(kb->db));
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW && len + 1 < n) {
		const char *fact = (const char *)sqlite3_column_text(q, 0);
		const char *expected = (const char *)sqlite3_column_text(q, 1);
		const char *actual = (const char *)sqlite3_column_text(q, 2);
		const char *outcome = (const char *)sqlite3_column_text(q, 3);
		if (!strcmp(outcome, "not_met")) {
			*ruled_out = true;
			snprintf(why, n, "%s is %s (the bug needs %s)", fact, actual ? actual : "null", expected);
			break;
		}
		/* Otherwise say what keeps the host in: matches and gaps. */
		len += (size_t)snprintf(why + len, n - len, "%s%s %s", len ? ", " : "", fact,
					 !actual ? "is not known" : !strcmp(outcome, "met") ? "matches" : "cannot be judged");
		if (len >= n)
			len = n - 1;
	}
	sqlite3_finalize(q);
	return STATUS_OK;
}
