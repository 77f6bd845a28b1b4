/* npmlock.c - npm and Yarn lockfiles: which package versions a Node.js project installs. */
#include "npmlock.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "purl.h"
#include "text.h"

/* A registry version is a semver string; git, file:, link: and URL
 * "versions" name no release an advisory could cover. */
static bool registry_version(const char *v, size_t n)
{
	return n > 0 && !memchr(v, ':', n) && !memchr(v, '/', n) && !memchr(v, ' ', n);
}

/* "name" or "@scope/name" as pkg:npm/name@v or pkg:npm/%40scope/name@v. */
static enum status add_npm(struct facts *f, const char *name, size_t nlen, const char *ver,
			   size_t vlen)
{
	char buf[512];
	bool scoped = nlen > 1 && name[0] == '@';

	if (!purl_part(name + scoped, nlen - scoped, true) || !registry_version(ver, vlen) ||
	    !purl_part(ver, vlen, false))
		return STATUS_OK;
	if (snprintf(buf, sizeof(buf), "pkg:npm/%s%.*s@%.*s", scoped ? "%40" : "",
		     (int)(nlen - scoped), name + scoped, (int)vlen, ver) >= (int)sizeof(buf))
		return STATUS_OK; /* absurdly long names are not packages we match */
	return facts_list_add(f, "project.packages", buf);
}

/* "real@1.2.3" after "npm:" in an alias: the real name and version. */
static void split_alias(const char **name, size_t *nlen, const char **ver, size_t *vlen)
{
	const char *at;

	if (*vlen < 5 || strncmp(*ver, "npm:", 4) != 0)
		return;
	at = NULL;
	for (const char *p = *ver + 5; p < *ver + *vlen; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return;
	*name = *ver + 4;
	*nlen = (size_t)(at - *name);
	*vlen -= (size_t)(at + 1 - *ver);
	*ver = at + 1;
}

/* --- package-lock.json / npm-shrinkwrap.json --- */

/* lockfileVersion 2 and 3: one entry per installed copy. */
static const char q_packages[] =
	"SELECT key, type, value->>'$.name', value->>'$.version', json_type(value, '$.version'),"
	" json_type(value, '$.link') FROM json_each(?1, '$.packages')";
/* lockfileVersion 1 (and unversioned shrinkwraps): copies nest under
 * their dependents' own "dependencies". */
static const char q_nested[] =
	"WITH RECURSIVE deps(obj) AS (SELECT json_extract(?1, '$.dependencies')"
	" UNION ALL SELECT json_extract(e.value, '$.dependencies') FROM deps, json_each(deps.obj) e"
	"  WHERE json_type(e.value, '$.dependencies') = 'object')"
	" SELECT e.key, e.type, NULL, e.value->>'$.version', json_type(e.value, '$.version'), NULL"
	" FROM deps, json_each(deps.obj) e";

static enum status db_error(sqlite3 *db, const char *path, struct diag *d)
{
	int rc = sqlite3_errcode(db);

	if (rc == SQLITE_NOMEM)
		return diag_set(d, STATUS_ERR_NOMEM, "%s: out of memory", path);
	return diag_set(d, STATUS_ERR_LOCKFILE, "%s: %s", path, sqlite3_errmsg(db));
}

/* The shape checks: a JSON object, a known lockfileVersion, and the map
 * that version keeps its packages in; *nested for version 1. */
static enum status check_shape(sqlite3 *db, const char *path, const char *text, bool *nested,
			       struct diag *d)
{
	sqlite3_stmt *q;
	enum status st = STATUS_OK;
	const char *root, *vtype, *map, *want;
	long long ver;

	if (sqlite3_prepare_v2(db,
			       /* Invalid JSON would make json_type() fail the statement. */
			       "WITH doc(j) AS (SELECT CASE WHEN json_valid(?1) THEN ?1 END)"
			       " SELECT j IS NOT NULL, json_type(j), json_type(j, '$.lockfileVersion'),"
			       " json_extract(j, '$.lockfileVersion'), json_type(j, '$.packages'),"
			       " json_type(j, '$.dependencies') FROM doc",
			       -1, &q, NULL) != SQLITE_OK)
		return db_error(db, path, d);
	sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		st = db_error(db, path, d);
		goto out;
	}
	if (!sqlite3_column_int(q, 0)) {
		st = diag_set(d, STATUS_ERR_LOCKFILE, "%s: not valid JSON", path);
		goto out;
	}
	root = (const char *)sqlite3_column_text(q, 1);
	if (!root || strcmp(root, "object") != 0) {
		st = diag_set(d, STATUS_ERR_LOCKFILE, "%s: expected a JSON object", path);
		goto out;
	}
	vtype = (const char *)sqlite3_column_text(q, 2);
	ver = sqlite3_column_int64(q, 3);
	if (vtype && (strcmp(vtype, "integer") != 0 || ver < 1 || ver > 3)) {
		/* JSON's null has no text: its type names it. */
		const char *shown = (const char *)sqlite3_column_text(q, 3);
		st = diag_set(d, STATUS_ERR_LOCKFILE, "%s: unknown lockfileVersion %s", path, shown ? shown : vtype);
		goto out;
	}
	/* Shrinkwraps from before npm 5 have no lockfileVersion and nest as 1 does. */
	*nested = !vtype || ver == 1;
	map = (const char *)sqlite3_column_text(q, *nested ? 5 : 4);
	want = *nested ? "dependencies" : "packages";
	if ((map || !*nested) && (!map || strcmp(map, "object") != 0))
		st = diag_set(d, STATUS_ERR_LOCKFILE, "%s: \"%s\" is %s, expected an object", path, want,
			      map ? map : "missing");
out:
	sqlite3_finalize(q);
	return st;
}

/* One row of q_packages or q_nested. */
static enum status package_row(sqlite3_stmt *q, bool nested, const char *path, struct facts *f,
			       struct diag *d)
{
	const char *key = (const char *)sqlite3_column_text(q, 0);
	const char *type = (const char *)sqlite3_column_text(q, 1);
	const char *name = (const char *)sqlite3_column_text(q, 2);
	const char *ver = (const char *)sqlite3_column_text(q, 3);
	const char *vtype = (const char *)sqlite3_column_text(q, 4);
	const char *mod;
	size_t nlen, vlen;

	if (!key)
		return STATUS_OK;
	/* Only installed copies: not the root "" or workspace folders. */
	mod = nested ? key : strstr(key, "node_modules/");
	if (!mod)
		return STATUS_OK;
	if (strcmp(type, "object") != 0)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s: package \"%.200s\" is %s, expected an object",
				path, key, type);
	if (vtype && strcmp(vtype, "text") != 0)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s: package \"%.200s\": version is %s, expected a string",
				path, key, vtype);
	/* Links point at a folder; it has its own entry if it is installed. */
	if (!ver || sqlite3_column_type(q, 5) != SQLITE_NULL)
		return STATUS_OK;
	if (!nested) {
		const char *last;
		while ((last = strstr(mod + 1, "/node_modules/")))
			mod = last + 1;
		mod += strlen("node_modules/");
	}
	if (!name) /* an alias's entry names the real package */
		name = mod;
	nlen = strlen(name);
	vlen = strlen(ver);
	split_alias(&name, &nlen, &ver, &vlen);
	return add_npm(f, name, nlen, ver, vlen);
}

enum status npmlock_parse_json(const char *path, const char *text, struct facts *f, struct diag *d)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	enum status st;
	bool nested = false;
	int rc;

	if (!text_json_strict(text, strlen(text)))
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s: not valid JSON", path);
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return diag_set(d, STATUS_ERR_NOMEM, "%s: cannot open an in-memory database", path);
	}
	st = check_shape(db, path, text, &nested, d);
	if (st == STATUS_OK && sqlite3_prepare_v2(db, nested ? q_nested : q_packages, -1, &q, NULL) != SQLITE_OK)
		st = db_error(db, path, d);
	if (st == STATUS_OK) {
		sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
		while (st == STATUS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
			st = package_row(q, nested, path, f, d);
		if (st == STATUS_OK && rc != SQLITE_DONE)
			st = db_error(db, path, d);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return st;
}

/* --- yarn.lock --- */

struct yarn_entry {
	int line;                  /* of the header; 0 when there is none */
	const char *name, *range;  /* of its first descriptor */
	size_t nlen, rlen;
	bool version_seen;
};

/* Reads a header line ("name@range, name@range2:", quoted or not) into
 * e: its first descriptor split at the '@' that ends the name. */
static bool yarn_header(const char *line, size_t len, struct yarn_entry *e)
{
	const char *p = line, *end, *at = NULL;

	if (len < 2 || line[len - 1] != ':')
		return false;
	if (*p == '"')
		p++;
	/* The first descriptor ends at a comma, its closing quote or the
	 * header's final colon; ranges may hold colons ("npm:", URLs). */
	end = p + strcspn(p, "\",\n");
	if (end > line + len - 1)
		end = line + len - 1;
	for (const char *q = p + 1; q < end; q++)
		if (*q == '@') {
			at = q;
			break;
		}
	if (!at)
		return false;
	e->name = p;
	e->nlen = (size_t)(at - p);
	e->range = at + 1;
	e->rlen = (size_t)(end - at - 1);
	return true;
}

/* `  version "1.2.3"` (Yarn 1): the package the header's ranges resolved to. */
static enum status yarn_version(const char *path, int line_no, const char *v, size_t n,
				struct yarn_entry *e, struct facts *f, struct diag *d)
{
	const char *name = e->name, *range = e->range;
	size_t nlen = e->nlen, rlen = e->rlen;

	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: expected version \"x\"", path, line_no);
	e->version_seen = true;
	split_alias(&name, &nlen, &range, &rlen);
	/* A git, file: or URL range installs whatever that source holds. */
	if (memchr(range, ':', rlen))
		return STATUS_OK;
	return add_npm(f, name, nlen, v + 1, n - 2);
}

/* `  resolution: "name@npm:1.2.3"` (Yarn 2+). */
static enum status yarn_resolution(const char *path, int line_no, const char *v, size_t n,
				   struct facts *f, struct diag *d)
{
	const char *at = NULL;

	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: expected resolution: \"name@protocol:x\"",
				path, line_no);
	for (const char *p = v + 2; p < v + n - 1; p++)
		if (*p == '@') {
			at = p;
			break;
		}
	if (!at || (size_t)(v + n - 1 - at) < 6 || strncmp(at + 1, "npm:", 4) != 0)
		return STATUS_OK; /* workspace:, patch:, git and the like */
	return add_npm(f, v + 1, (size_t)(at - v - 1), at + 5, (size_t)(v + n - 1 - (at + 5)));
}

static enum status yarn_end_entry(const char *path, const struct yarn_entry *e, bool berry,
				  struct diag *d)
{
	if (e->line && !berry && !e->version_seen)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: entry without a version", path, e->line);
	return STATUS_OK;
}

enum status npmlock_parse_yarn(const char *path, const char *text, struct facts *f, struct diag *d)
{
	struct yarn_entry e = {0};
	enum status st = STATUS_OK;
	int line_no = 0;
	/* Yarn 2+ files start their map with a __metadata entry. */
	bool berry = strstr(text, "\n__metadata:") != NULL || !strncmp(text, "__metadata:", 11);

	for (const char *line = text; st == STATUS_OK && line && *line;) {
		const char *next = strchr(line, '\n');
		size_t len = next ? (size_t)(next - line) : strlen(line);
		line_no++;
		if (len && line[len - 1] == '\r')
			len--;
		if (!len || line[0] == '#') {
			/* blank lines and comments */
		} else if (line[0] != ' ') {
			st = yarn_end_entry(path, &e, berry, d);
			memset(&e, 0, sizeof(e));
			if (st == STATUS_OK && !(berry && len == 11 && !strncmp(line, "__metadata:", 11))) {
				if (!yarn_header(line, len, &e))
					st = diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: expected \"name@range:\"",
						      path, line_no);
				e.line = line_no;
			}
		} else if (e.line && len > 2 && line[1] == ' ' && line[2] != ' ') {
			if (!berry && len > 10 && !strncmp(line, "  version ", 10))
				st = yarn_version(path, line_no, line + 10, len - 10, &e, f, d);
			else if (berry && len > 14 && !strncmp(line, "  resolution: ", 14))
				st = yarn_resolution(path, line_no, line + 14, len - 14, f, d);
		}
		line = next ? next + 1 : NULL;
	}
	if (st == STATUS_OK)
		st = yarn_end_entry(path, &e, berry, d);
	return st;
}
