/* lockfile.c - just enough of each lockfile format to list packages. */
#include "lockfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "npmlock.h"
#include "purl.h"

#define LOCKFILE_MAX (32u << 20)
#define SCAN_DEPTH 3
#define SCAN_MAX_DIRS 2000

enum lock_kind lockfile_kind(const char *name)
{
	if (!strcmp(name, "Cargo.lock"))
		return LOCK_CARGO;
	if (!strcmp(name, "Gemfile.lock"))
		return LOCK_GEMFILE;
	if (!strcmp(name, "mix.lock"))
		return LOCK_MIX;
	if (!strcmp(name, "go.mod"))
		return LOCK_GOMOD;
	if (!strcmp(name, "package-lock.json") || !strcmp(name, "npm-shrinkwrap.json"))
		return LOCK_NPM;
	if (!strcmp(name, "yarn.lock"))
		return LOCK_YARN;
	return LOCK_NONE;
}

static enum status add_purl(struct facts *f, const char *type, const char *name,
			    size_t nlen, const char *ver, size_t vlen)
{
	char buf[512];

	if (!purl_part(name, nlen, true) || !purl_part(ver, vlen, false))
		return STATUS_OK; /* a damaged line names no package we match */
	if (snprintf(buf, sizeof(buf), "pkg:%s/%.*s@%.*s", type, (int)nlen, name,
		     (int)vlen, ver) >= (int)sizeof(buf))
		return STATUS_OK; /* absurdly long names are not packages we match */
	return facts_list_add(f, "project.packages", buf);
}

/* Reads `key = "value"` from a TOML line; false if the line is not one. */
static bool toml_string(const char *line, const char *key, const char **v,
			size_t *n)
{
	size_t kl = strlen(key);
	const char *p = line;

	if (strncmp(p, key, kl) != 0)
		return false;
	p += kl;
	while (*p == ' ')
		p++;
	if (*p++ != '=')
		return false;
	while (*p == ' ')
		p++;
	if (*p++ != '"')
		return false;
	*v = p;
	*n = strcspn(p, "\"\n");
	return p[*n] == '"';
}

static enum status parse_cargo(const char *path, const char *text,
			       struct facts *f, struct diag *d)
{
	const char *name = NULL, *ver = NULL;
	size_t nlen = 0, vlen = 0;
	int line_no = 0, pkg_line = 0, list_line = 0;
	bool in_pkg = false, any_table = false;

	for (const char *line = text; line && *line;) {
		const char *next = strchr(line, '\n');
		line_no++;
		/* Cargo writes "dependencies = [" and the items on lines of their
		 * own; a file that ends inside such a list was cut short. */
		if (list_line) {
			if (line[0] == ']')
				list_line = 0;
		} else if (in_pkg && line[0] != '[' && next && next > line + 2 && next[-1] == '[' && next[-2] == ' ') {
			list_line = line_no;
		} else if (line[0] == '[') {
			if (in_pkg && (!name || !ver))
				return diag_set(d, STATUS_ERR_LOCKFILE,
						"%s:%d: [[package]] without name and version",
						path, pkg_line);
			if (in_pkg) {
				enum status st = add_purl(f, "cargo", name, nlen, ver, vlen);
				if (st != STATUS_OK)
					return st;
			}
			in_pkg = strncmp(line, "[[package]]", 11) == 0;
			any_table = true;
			pkg_line = line_no;
			name = ver = NULL;
		} else if (in_pkg) {
			const char *v;
			size_t n;
			if (toml_string(line, "name", &v, &n))
				name = v, nlen = n;
			else if (toml_string(line, "version", &v, &n))
				ver = v, vlen = n;
		} else if (!any_table && *line != '#' && *line != '\n' &&
			   strncmp(line, "version", 7) != 0) {
			return diag_set(d, STATUS_ERR_LOCKFILE,
					"%s:%d: not a Cargo.lock line", path, line_no);
		}
		line = next ? next + 1 : NULL;
	}
	if (list_line)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: the list that starts here does not end: the file is cut short",
				path, list_line);
	if (in_pkg) {
		if (!name || !ver)
			return diag_set(d, STATUS_ERR_LOCKFILE,
					"%s:%d: [[package]] without name and version",
					path, pkg_line);
		return add_purl(f, "cargo", name, nlen, ver, vlen);
	}
	if (!any_table)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s: no [[package]] tables", path);
	return STATUS_OK;
}

/* Gemfile.lock: the "specs:" block of a GEM section lists "    name (ver)"
 * at four spaces; deeper lines are dependency constraints. */
static enum status parse_gemfile(const char *path, const char *text,
				 struct facts *f, struct diag *d)
{
	int line_no = 0;
	bool in_gem = false, in_specs = false, any_section = false;

	for (const char *line = text; line && *line;) {
		const char *next = strchr(line, '\n');
		size_t len = next ? (size_t)(next - line) : strlen(line);
		line_no++;
		if (len && isupper((unsigned char)line[0])) {
			in_gem = len == 3 && !strncmp(line, "GEM", 3);
			in_specs = false;
			any_section = true;
		} else if (in_gem && len >= 8 && !strncmp(line, "  specs:", 8)) {
			in_specs = true;
		} else if (in_specs && len > 4 && !strncmp(line, "    ", 4) && line[4] != ' ') {
			const char *name = line + 4, *open = memchr(name, ' ', len - 4);
			const char *close;
			size_t vlen;
			enum status st;
			if (!open || open[1] != '(' ||
			    !(close = memchr(open, ')', len - (size_t)(open - line))))
				return diag_set(d, STATUS_ERR_LOCKFILE,
						"%s:%d: expected \"name (version)\"", path, line_no);
			vlen = (size_t)(close - open - 2);
			/* "nokogiri (1.16.0-x86_64-linux)": the platform is not
			 * part of the version (gem versions have no '-'). */
			const char *dash = memchr(open + 2, '-', vlen);
			if (dash)
				vlen = (size_t)(dash - open - 2);
			st = add_purl(f, "gem", name, (size_t)(open - name), open + 2, vlen);
			if (st != STATUS_OK)
				return st;
		} else if (len && line[0] != ' ') {
			return diag_set(d, STATUS_ERR_LOCKFILE,
					"%s:%d: not a Gemfile.lock line", path, line_no);
		}
		line = next ? next + 1 : NULL;
	}
	if (!any_section)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s: no sections (GEM, DEPENDENCIES)", path);
	return STATUS_OK;
}

/* mix.lock: an Elixir map, one dependency a line:
 *   "rustler": {:hex, :rustler, "0.34.0", "sha", [:mix], [...], "hexpm", "sha"},
 * Git and path dependencies carry no version and are skipped. */
static enum status parse_mix(const char *path, const char *text,
			     struct facts *f, struct diag *d)
{
	int line_no = 0;
	const char *p = text;

	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "%{", 2) != 0)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s:1: does not start with %%{", path);
	for (const char *line = text; line && *line;) {
		const char *next = strchr(line, '\n'), *q = line;
		line_no++;
		while (*q == ' ')
			q++;
		if (*q == '"') {
			const char *name = q + 1, *end = strchr(name, '"'), *hex, *ver, *vend;
			if (!end || (next && end > next))
				return diag_set(d, STATUS_ERR_LOCKFILE,
						"%s:%d: unterminated dependency name", path, line_no);
			if (strncmp(end, "\": {", 4) != 0)
				return diag_set(d, STATUS_ERR_LOCKFILE,
						"%s:%d: expected \"name\": {...}", path, line_no);
			hex = end + 4;
			if (!strncmp(hex, ":hex, :", 7)) {
				ver = strchr(hex + 7, '"');
				vend = ver ? strchr(ver + 1, '"') : NULL;
				if (!ver || !vend || (next && vend > next))
					return diag_set(d, STATUS_ERR_LOCKFILE,
							"%s:%d: hex dependency without a version",
							path, line_no);
				/* The Hex package name follows ":hex, :". */
				const char *pkg = hex + 7;
				size_t plen = strcspn(pkg, ",");
				enum status st = add_purl(f, "hex", pkg, plen, ver + 1,
							  (size_t)(vend - ver - 1));
				if (st != STATUS_OK)
					return st;
			}
		}
		line = next ? next + 1 : NULL;
	}
	return STATUS_OK;
}

/* go.mod: "require" directives (one line, or a block), less what a
 * "replace" directive swaps for another module (kept, with its version)
 * or for a local directory (dropped: no version says what it is). */
#define GOMOD_MAX_MODS 4096

struct gomod {
	const char *path, *ver; /* into the text; not NUL-terminated */
	size_t plen, vlen;
};

/* The next space-separated word of [*p, end), unquoted; false if none. */
static bool gomod_word(const char **p, const char *end, const char **w, size_t *n)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p >= end)
		return false;
	*w = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*n = (size_t)(*p - *w);
	if (*n >= 2 && (*w)[0] == '"' && (*w)[*n - 1] == '"')
		(*w)++, *n -= 2;
	return *n > 0;
}

static bool same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && !memcmp(a, b, an);
}

/* The requirements, and the replacements as from/to pairs; grown as
 * lines come, up to GOMOD_MAX_MODS each. */
struct gomod_lists {
	struct gomod *req, *rep;
	size_t nreq, nrep, capreq, caprep;
};

/* Appends m (and, for a replacement, its target) to *v. */
static enum status gomod_push(struct gomod **v, size_t *n, size_t *cap, const struct gomod *m, size_t count)
{
	if (*n + count > *cap) {
		size_t ncap = *cap ? 2 * *cap : 32;
		struct gomod *grown = realloc(*v, ncap * sizeof(**v));
		if (!grown)
			return STATUS_ERR_NOMEM;
		*v = grown;
		*cap = ncap;
	}
	memcpy(*v + *n, m, count * sizeof(*m));
	*n += count;
	return STATUS_OK;
}

static enum status gomod_lists(const char *path, const char *text, struct gomod_lists *l, struct facts *f,
			       struct diag *d)
{
	int line_no = 0;
	bool module = false;
	const char *block = NULL; /* "require" or "replace" inside ( ... ) */

	for (const char *line = text; line && *line;) {
		const char *next = strchr(line, '\n'), *end = next ? next : line + strlen(line);
		const char *c = line, *w, *verb = NULL;
		size_t n;
		line_no++;
		for (const char *q = line; q + 1 < end; q++)
			if (q[0] == '/' && q[1] == '/') {
				end = q;
				break;
			}
		if (!gomod_word(&c, end, &w, &n)) {
			line = next ? next + 1 : NULL;
			continue;
		}
		if (block && same(w, n, ")", 1)) {
			block = NULL;
		} else if (!block && (same(w, n, "require", 7) || same(w, n, "replace", 7))) {
			const char *save = c, *w2;
			size_t n2;
			verb = w[2] == 'q' ? "require" : "replace";
			if (gomod_word(&c, end, &w2, &n2) && same(w2, n2, "(", 1))
				block = verb, verb = NULL;
			else
				c = save;
		} else if (!block && same(w, n, "module", 6)) {
			module = true;
		} else if (block) {
			verb = block;
			c = w;
		}
		if (verb && !strcmp(verb, "require")) {
			struct gomod m;
			if (!gomod_word(&c, end, &m.path, &m.plen) || !gomod_word(&c, end, &m.ver, &m.vlen))
				return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: expected \"module version\"", path, line_no);
			if (l->nreq == GOMOD_MAX_MODS)
				return diag_set(d, STATUS_ERR_LOCKFILE, "%s: more than %d modules", path, GOMOD_MAX_MODS);
			if (gomod_push(&l->req, &l->nreq, &l->capreq, &m, 1) != STATUS_OK)
				return STATUS_ERR_NOMEM;
		} else if (verb) {
			/* old [version] => new [version] */
			struct gomod pair[2] = {{0}, {0}}, *from = &pair[0], *with = &pair[1];
			const char *arrow;
			size_t an;
			if (!gomod_word(&c, end, &from->path, &from->plen) || !gomod_word(&c, end, &arrow, &an))
				return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: expected \"module => replacement\"", path, line_no);
			if (!same(arrow, an, "=>", 2)) {
				from->ver = arrow, from->vlen = an;
				if (!gomod_word(&c, end, &arrow, &an) || !same(arrow, an, "=>", 2))
					return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: expected \"=>\"", path, line_no);
			}
			if (!gomod_word(&c, end, &with->path, &with->plen))
				return diag_set(d, STATUS_ERR_LOCKFILE, "%s:%d: replacement missing", path, line_no);
			gomod_word(&c, end, &with->ver, &with->vlen);
			if (l->nrep == 2 * GOMOD_MAX_MODS)
				return diag_set(d, STATUS_ERR_LOCKFILE, "%s: more than %d replacements", path, GOMOD_MAX_MODS);
			if (gomod_push(&l->rep, &l->nrep, &l->caprep, pair, 2) != STATUS_OK)
				return STATUS_ERR_NOMEM;
		}
		line = next ? next + 1 : NULL;
	}
	if (!module)
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s: no module directive", path);
	for (size_t i = 0; i < l->nreq; i++) {
		struct gomod m = l->req[i];
		bool keep = true;
		for (size_t k = 0; k < l->nrep; k += 2) {
			const struct gomod *from = &l->rep[k], *to = &l->rep[k + 1];
			if (!same(from->path, from->plen, m.path, m.plen) ||
			    (from->ver && !same(from->ver, from->vlen, m.ver, m.vlen)))
				continue;
			keep = to->ver != NULL; /* a directory has no version */
			if (keep)
				m = *to;
		}
		if (keep) {
			enum status st = add_purl(f, "golang", m.path, m.plen, m.ver, m.vlen);
			if (st != STATUS_OK)
				return st;
		}
	}
	return STATUS_OK;
}

static enum status parse_gomod(const char *path, const char *text, struct facts *f, struct diag *d)
{
	struct gomod_lists l = {0};
	enum status st = gomod_lists(path, text, &l, f, d);

	free(l.req);
	free(l.rep);
	return st;
}

enum status lockfile_parse(enum lock_kind kind, const char *path,
			   const char *text, struct facts *f, struct diag *d)
{
	switch (kind) {
	case LOCK_CARGO:
		return parse_cargo(path, text, f, d);
	case LOCK_GEMFILE:
		return parse_gemfile(path, text, f, d);
	case LOCK_MIX:
		return parse_mix(path, text, f, d);
	case LOCK_GOMOD:
		return parse_gomod(path, text, f, d);
	case LOCK_NPM:
		return npmlock_parse_json(path, text, f, d);
	case LOCK_YARN:
		return npmlock_parse_yarn(path, text, f, d);
	default:
		return diag_set(d, STATUS_ERR_LOCKFILE, "%s: not a known lockfile", path);
	}
}

static bool skip_dir(const char *name)
{
	/* Dependencies' own lockfiles and test data are not the project's. */
	static const char *const skip[] = {"node_modules", "target", "deps", "_build", "vendor",
					   "build", "dist", "test", "tests", "testdata",
					   "fixtures", "spec", NULL};

	if (name[0] == '.')
		return true;
	for (const char *const *s = skip; *s; s++)
		if (!strcmp(name, *s))
			return true;
	return false;
}

static enum status scan(const char *dir, int depth, int *budget,
			struct facts *f, struct diag *d)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	enum status st = STATUS_OK;

	if (!dh)
		return depth == 0 ? diag_set(d, STATUS_ERR_IO, "%s: %s", dir, strerror(errno))
				  : STATUS_OK;
	while (st == STATUS_OK && (e = readdir(dh))) {
		char p[4096];
		struct stat sb;
		enum lock_kind kind = lockfile_kind(e->d_name);
		if (snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >= (int)sizeof(p))
			continue;
		if (kind != LOCK_NONE) {
			char *text;
			st = fileio_read(p, LOCKFILE_MAX, &text, NULL, d);
			if (st == STATUS_OK) {
				st = lockfile_parse(kind, p, text, f, d);
				free(text);
			} else if (st != STATUS_ERR_NOMEM) {
				st = STATUS_ERR_LOCKFILE;
			}
		} else if (depth < SCAN_DEPTH && !skip_dir(e->d_name) && *budget > 0 &&
			   lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			(*budget)--;
			st = scan(p, depth + 1, budget, f, d);
		}
	}
	closedir(dh);
	return st;
}

enum status lockfile_scan_dir(const char *dir, struct facts *f, struct diag *d)
{
	int budget = SCAN_MAX_DIRS;
	enum status st = facts_set_list(f, "project.packages", NULL, 0);

	if (st != STATUS_OK)
		return st;
	return scan(dir, 0, &budget, f, d);
}
