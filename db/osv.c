/* osv.c - foreign OSV records into quirk's entry shape: the ecosystem
 * table, CVSS v3 base scores, and the translation (one SQL statement over
 * the record, like the checks of kb_compile.c). */
#include "osv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ecosystems quirk can match. prefix ends with ':' for the families
 * of distribution releases ("Debian:12", "Ubuntu:22.04:LTS"). */
static const struct ecosystem {
	const char *prefix, *purl, *type, *scheme, *fact, *distro;
} ecosystems[] = {
	{"crates.io", "pkg:cargo/", "cargo", "semver", "project.packages", NULL},
	{"RubyGems", "pkg:gem/", "gem", "gem", "project.packages", NULL},
	{"Hex", "pkg:hex/", "hex", "semver", "project.packages", NULL},
	{"Go", "pkg:golang/", "golang", "semver", "project.packages", NULL},
	{"Debian:", "pkg:deb/debian/", "deb", "dpkg", "os.packages", "debian"},
	{"Ubuntu:", "pkg:deb/ubuntu/", "deb", "dpkg", "os.packages", "ubuntu"},
};

/* The release in a distribution ecosystem: "12" of "Debian:12", "22.04"
 * of "Ubuntu:22.04:LTS" or "Ubuntu:Pro:18.04:LTS". False if none. */
static bool eco_release(const struct ecosystem *e, const char *eco, char *out, size_t n)
{
	const char *p = eco + strlen(e->prefix);

	while (*p) {
		size_t len = strcspn(p, ":");
		size_t digits = strspn(p, "0123456789");
		bool ok = digits > 0 && (digits == len || (p[digits] == '.' &&
				  strspn(p + digits + 1, "0123456789") == len - digits - 1 && len > digits + 1));
		if (ok && !strcmp(e->distro, "ubuntu") && digits == len)
			ok = false; /* Ubuntu releases are YY.MM */
		if (ok && len < n) {
			memcpy(out, p, len);
			out[len] = '\0';
			return true;
		}
		p += len + (p[len] == ':');
	}
	return false;
}

static const struct ecosystem *eco_find(const char *eco, char *release, size_t n)
{
	if (!eco)
		return NULL;
	for (size_t i = 0; i < sizeof(ecosystems) / sizeof(ecosystems[0]); i++) {
		const struct ecosystem *e = &ecosystems[i];
		if (!e->distro && !strcmp(eco, e->prefix))
			return e;
		if (e->distro && !strncmp(eco, e->prefix, strlen(e->prefix)) && eco_release(e, eco, release, n))
			return e;
	}
	return NULL;
}

static void fn_osv_eco(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *what = (const char *)sqlite3_value_text(argv[1]);
	char release[32], when[256];
	const struct ecosystem *e = eco_find((const char *)sqlite3_value_text(argv[0]), release,
					     sizeof(release));
	const char *v = NULL;

	(void)argc;
	if (!e || !what)
		v = NULL;
	else if (!strcmp(what, "purl"))
		v = e->purl;
	else if (!strcmp(what, "type"))
		v = e->type;
	else if (!strcmp(what, "scheme"))
		v = e->scheme;
	else if (!strcmp(what, "fact"))
		v = e->fact;
	else if (!strcmp(what, "release") && e->distro)
		v = release;
	else if (!strcmp(what, "when") && e->distro) {
		snprintf(when, sizeof(when),
			 "[{\"fact\":\"os.distro.id\",\"value\":\"%s\"},"
			 "{\"fact\":\"os.distro.version_id\",\"value\":\"%s\"}]", e->distro, release);
		v = when;
	} else if (!strcmp(what, "when"))
		v = "[]";
	if (v)
		sqlite3_result_text(ctx, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

/* CVSS v3.1 specification, section 7.4: metric weights. */
static bool cvss_weight(const char *metric, char value, bool changed, double *w)
{
	static const struct {
		const char *metric;
		char value;
		double w, w_changed;
	} table[] = {
		{"AV", 'N', 0.85, 0.85}, {"AV", 'A', 0.62, 0.62}, {"AV", 'L', 0.55, 0.55},
		{"AV", 'P', 0.2, 0.2},   {"AC", 'L', 0.77, 0.77}, {"AC", 'H', 0.44, 0.44},
		{"PR", 'N', 0.85, 0.85}, {"PR", 'L', 0.62, 0.68}, {"PR", 'H', 0.27, 0.5},
		{"UI", 'N', 0.85, 0.85}, {"UI", 'R', 0.62, 0.62}, {"C", 'H', 0.56, 0.56},
		{"C", 'L', 0.22, 0.22},  {"C", 'N', 0, 0},        {"I", 'H', 0.56, 0.56},
		{"I", 'L', 0.22, 0.22},  {"I", 'N', 0, 0},        {"A", 'H', 0.56, 0.56},
		{"A", 'L', 0.22, 0.22},  {"A", 'N', 0, 0},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].metric, metric) && table[i].value == value) {
			*w = changed ? table[i].w_changed : table[i].w;
			return true;
		}
	return false;
}

/* Appendix A of the v3.1 specification: round up to one decimal, free of
 * floating-point artefacts. */
static double cvss_roundup(double x)
{
	long long i = llround(x * 100000);

	return i % 10000 == 0 ? (double)i / 100000.0 : (double)(i / 10000 + 1) / 10.0;
}

bool osv_cvss3_score(const char *vector, double *score)
{
	static const char *const base[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
	char vals[8] = {0};
	double av, ac, pr, ui, c, i, a, iss, impact, expl;
	bool changed;
	const char *p;

	if (!vector || (strncmp(vector, "CVSS:3.0/", 9) && strncmp(vector, "CVSS:3.1/", 9)))
		return false;
	for (p = vector + 9; *p;) {
		size_t len = strcspn(p, "/");
		const char *colon = memchr(p, ':', len);
		for (size_t m = 0; colon && m < 8; m++)
			if ((size_t)(colon - p) == strlen(base[m]) && !strncmp(p, base[m], strlen(base[m]))) {
				if (vals[m] || len != strlen(base[m]) + 2)
					return false;
				vals[m] = colon[1];
			}
		p += len + (p[len] == '/');
	}
	for (size_t m = 0; m < 8; m++)
		if (!vals[m])
			return false;
	if (vals[4] != 'U' && vals[4] != 'C')
		return false;
	changed = vals[4] == 'C';
	if (!cvss_weight("AV", vals[0], changed, &av) || !cvss_weight("AC", vals[1], changed, &ac) ||
	    !cvss_weight("PR", vals[2], changed, &pr) || !cvss_weight("UI", vals[3], changed, &ui) ||
	    !cvss_weight("C", vals[5], changed, &c) || !cvss_weight("I", vals[6], changed, &i) ||
	    !cvss_weight("A", vals[7], changed, &a))
		return false;
	iss = 1 - (1 - c) * (1 - i) * (1 - a);
	impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	expl = 8.22 * av * ac * pr * ui;
	if (impact <= 0)
		*score = 0;
	else if (changed)
		*score = cvss_roundup(fmin(1.08 * (impact + expl), 10));
	else
		*score = cvss_roundup(fmin(impact + expl, 10));
	return true;
}

static void fn_cvss3_score(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double s;

	(void)argc;
	if (osv_cvss3_score((const char *)sqlite3_value_text(argv[0]), &s))
		sqlite3_result_double(ctx, s);
	else
		sqlite3_result_null(ctx);
}

int osv_register_functions(sqlite3 *db)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	int rc = sqlite3_create_function(db, "osv_eco", 2, flags, NULL, fn_osv_eco, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "cvss3_score", 1, flags, NULL, fn_cvss3_score, NULL, NULL);
	return rc;
}

/* ?1 is the record. Columns: the entry in quirk's shape, why it is
 * inactive, the notes. */
const char osv_translate_sql[] =
	"WITH r(d) AS (SELECT json(?1)),"
	" a AS (SELECT x.key AS k, x.value AS v, x.value->>'$.package.ecosystem' AS eco,"
	"  x.value->>'$.package.name' AS name FROM r, json_each(r.d, '$.affected') x),"
	/* Go's standard library is the toolchain that built a program, which
	 * project.packages does not say. */
	" ok AS (SELECT * FROM a WHERE osv_eco(eco, 'scheme') IS NOT NULL"
	"  AND NOT (eco = 'Go' AND name IN ('stdlib', 'toolchain'))),"
	" grp AS (SELECT ok.k, rg.key AS rk, ok.eco, ok.name, json_object('package', json_object('ecosystem', ok.eco,"
	"   'name', ok.name, 'purl', osv_eco(ok.eco, 'purl') || ok.name),"
	"   'ranges', json_array(json_object('type', rg.value->>'$.type', 'events', json(rg.value->'$.events'))),"
	"   'database_specific', json_object('fact', osv_eco(ok.eco, 'fact'), 'scheme', osv_eco(ok.eco, 'scheme'),"
	"   'when', json(osv_eco(ok.eco, 'when')))) AS g"
	"  FROM ok, json_each(ok.v, '$.ranges') rg WHERE rg.value->>'$.type' IN ('SEMVER', 'ECOSYSTEM')"
	"  UNION ALL SELECT ok.k, 1e9, ok.eco, ok.name, json_object('package', json_object('ecosystem', ok.eco,"
	"   'name', ok.name, 'purl', osv_eco(ok.eco, 'purl') || ok.name), 'versions', json(ok.v->'$.versions'),"
	"   'database_specific', json_object('fact', osv_eco(ok.eco, 'fact'), 'scheme', osv_eco(ok.eco, 'scheme'),"
	"   'when', json(osv_eco(ok.eco, 'when'))))"
	"  FROM ok WHERE json_array_length(ok.v, '$.versions') > 0),"
	" notes(n) AS (SELECT 'affected[' || k || ']: ecosystem \"' || ifnull(eco, '') || '\" is not one quirk reads"
	" (crates.io, RubyGems, Hex, Go, Debian:N, Ubuntu:N.N); not matched' FROM a WHERE osv_eco(eco, 'scheme') IS NULL"
	"  UNION ALL SELECT 'affected[' || k || ']: the Go ' || name || ' is not matched: quirk does not know"
	" which Go release built a program' FROM a WHERE osv_eco(eco, 'scheme') IS NOT NULL AND eco = 'Go'"
	"  AND name IN ('stdlib', 'toolchain')"
	"  UNION ALL SELECT 'affected[' || ok.k || '].ranges[' || rg.key || ']: GIT ranges (commits) are not matched'"
	"  FROM ok, json_each(ok.v, '$.ranges') rg WHERE rg.value->>'$.type' = 'GIT'),"
	/* The fixed versions, for the workarounds: one per package. */
	" fix AS (SELECT ok.eco, ok.name, group_concat(DISTINCT e.value->>'$.fixed') AS fixed,"
	"  count(DISTINCT e.value->>'$.fixed') AS n"
	"  FROM ok, json_each(ok.v, '$.ranges') rg, json_each(rg.value, '$.events') e"
	"  WHERE rg.value->>'$.type' IN ('SEMVER', 'ECOSYSTEM') AND e.value->>'$.fixed' IS NOT NULL"
	"  GROUP BY ok.eco, ok.name),"
	" wa AS (SELECT json_object('text', CASE WHEN osv_eco(eco, 'type') = 'deb' THEN 'Upgrade the packages built from'"
	"   || ' the ' || name || ' source package (' || replace(eco, ':', ' ') || ') to ' ELSE 'Upgrade ' || name || ' to ' END"
	"   || CASE WHEN n = 1 THEN fixed || ' or later.' ELSE 'a fixed version (' || replace(fixed, ',', ', ')"
	"   || ', each fixing its own release line).' END,"
	"  'commands', json(CASE osv_eco(eco, 'type') WHEN 'cargo' THEN json_array('cargo update -p ' || name)"
	"   WHEN 'gem' THEN json_array('bundle update ' || name) WHEN 'hex' THEN json_array('mix deps.update ' || name)"
	"   WHEN 'golang' THEN json_array('go get ' || name || '@' || CASE WHEN n = 1 THEN"
	"    CASE WHEN fixed GLOB 'v*' THEN fixed ELSE 'v' || fixed END ELSE 'latest' END)"
	"   ELSE json_array('sudo apt-get update', 'sudo apt-get upgrade') END)) AS w FROM fix),"
	" sev(level, why) AS (SELECT level, why FROM ("
	"  SELECT 1 AS pri, CASE upper(d->>'$.database_specific.severity') WHEN 'MODERATE' THEN 'medium'"
	"   ELSE lower(d->>'$.database_specific.severity') END AS level,"
	"   'the record''s database_specific.severity (' || (d->>'$.database_specific.severity') || ')' AS why FROM r"
	"   WHERE upper(d->>'$.database_specific.severity') IN ('CRITICAL', 'HIGH', 'MODERATE', 'MEDIUM', 'LOW')"
	"  UNION ALL SELECT 2, lower(s.value->>'$.score'), 'the Ubuntu priority (' || (s.value->>'$.score') || ')'"
	"   FROM r, json_each(r.d, '$.severity') s WHERE s.value->>'$.type' = 'Ubuntu'"
	"   AND lower(s.value->>'$.score') IN ('critical', 'high', 'medium', 'low', 'negligible')"
	"  UNION ALL SELECT 3, CASE WHEN c >= 9 THEN 'critical' WHEN c >= 7 THEN 'high' WHEN c >= 4 THEN 'medium'"
	"   WHEN c > 0 THEN 'low' END, v || ', base score ' || printf('%.1f', c) FROM (SELECT s.value->>'$.score' AS v,"
	"   cvss3_score(s.value->>'$.score') AS c FROM r, json_each(r.d, '$.severity') s"
	"   WHERE s.value->>'$.type' = 'CVSS_V3' AND cvss3_score(s.value->>'$.score') > 0)"
	"  UNION ALL SELECT 4, 'unrated', 'none: the record gives no severity quirk can read' || ifnull(' (it has '"
	"   || (SELECT group_concat(s.value->>'$.type', ', ') FROM r, json_each(r.d, '$.severity') s) || ')', '')"
	"  ) ORDER BY pri LIMIT 1),"
	" txt(summary, details) AS (SELECT coalesce(nullif(trim(d->>'$.summary'), ''),"
	"   CASE WHEN length(first) > 120 THEN substr(first, 1, 117) || '...' ELSE nullif(first, '') END,"
	"   (d->>'$.id') || ': ' || ifnull((SELECT group_concat(DISTINCT name) FROM a), 'no package named')),"
	"  coalesce(nullif(trim(d->>'$.details'), ''), nullif(trim(d->>'$.summary'), ''), 'The record has no description.')"
	"  || ifnull(char(10) || char(10) || 'Aliases: ' || (SELECT group_concat(value, ', ') FROM json_each(d, '$.aliases'))"
	"   || '.', '')"
	"  || char(10) || char(10) || 'Severity: ' || (SELECT level || ', from ' || why FROM sev) || '.'"
	"  FROM (SELECT d, trim(substr(ltrim(ifnull(d->>'$.details', ''), char(10) || ' #'), 1,"
	"   instr(ltrim(ifnull(d->>'$.details', ''), char(10) || ' #') || char(10), char(10)) - 1)) AS first FROM r))"
	" SELECT json_object('id', d->>'$.id', 'modified', d->>'$.modified', 'withdrawn', d->>'$.withdrawn',"
	"  'aliases', json(ifnull(d->'$.aliases', '[]')), 'summary', (SELECT summary FROM txt),"
	"  'details', (SELECT details FROM txt),"
	"  'affected', (SELECT json_group_array(json(g)) FROM (SELECT g FROM grp ORDER BY k, rk)),"
	"  'references', json(ifnull(d->'$.references', '[]')),"
	"  'database_specific', json_object('component', CASE WHEN EXISTS (SELECT 1 FROM ok WHERE"
	"   osv_eco(eco, 'fact') = 'os.packages') THEN 'package' ELSE 'library' END,"
	"   'severity', (SELECT level FROM sev), 'conditions', json('[]'), 'symptoms', json('[]'),"
	"   'workarounds', CASE WHEN EXISTS (SELECT 1 FROM wa) THEN (SELECT json_group_array(json(w)) FROM wa)"
	"   ELSE json_array(json_object('text', 'The record names no fixed version; see its references.')) END,"
	"   'notes', (SELECT json_group_array(n) FROM notes))),"
	"  CASE WHEN NOT EXISTS (SELECT 1 FROM grp) THEN 'not matchable: ' || ifnull((SELECT n FROM notes LIMIT 1),"
	"   'the record names no affected package versions') END,"
	"  (SELECT json_group_array(n) FROM notes)"
	" FROM r";

static char *dup_col(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	return t ? strdup((const char *)t) : NULL;
}

enum status osv_translate_with(sqlite3_stmt *q, const char *record, struct osv_translation *t,
			       struct diag *d)
{
	enum status st = STATUS_OK;

	memset(t, 0, sizeof(*t));
	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, record, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_type(q, 0) == SQLITE_NULL) {
		st = diag_set(d, STATUS_ERR_DB, "translation: %s", sqlite3_errmsg(sqlite3_db_handle(q)));
	} else {
		t->doc = dup_col(q, 0);
		t->notes = dup_col(q, 2);
		if (sqlite3_column_type(q, 1) != SQLITE_NULL)
			t->inactive = dup_col(q, 1);
		if (!t->doc || !t->notes || (sqlite3_column_type(q, 1) != SQLITE_NULL && !t->inactive))
			st = STATUS_ERR_NOMEM;
	}
	sqlite3_reset(q);
	if (st != STATUS_OK)
		osv_translation_free(t);
	return st;
}

enum status osv_translate(sqlite3 *db, const char *record, struct osv_translation *t,
			  struct diag *d)
{
	sqlite3_stmt *q;
	enum status st;

	memset(t, 0, sizeof(*t));
	if (sqlite3_prepare_v2(db, osv_translate_sql, -1, &q, NULL) != SQLITE_OK)
		return diag_set(d, STATUS_ERR_DB, "translation: %s", sqlite3_errmsg(db));
	st = osv_translate_with(q, record, t, d);
	sqlite3_finalize(q);
	return st;
}

void osv_translation_free(struct osv_translation *t)
{
	free(t->doc);
	free(t->inactive);
	free(t->notes);
	memset(t, 0, sizeof(*t));
}
