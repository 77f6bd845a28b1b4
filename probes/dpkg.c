/* dpkg.c - os.packages from /var/lib/dpkg/status: one pass over the file,
 * reading only the four fields that matter, so that a few megabytes cost
 * about a millisecond on every scan. */
#include "dpkg.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "purl.h"

#define STATUS_FILE_MAX (64u << 20)

struct stanza {
	const char *pkg, *ver, *src, *status;
	size_t pkg_n, ver_n, src_n, status_n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The package's files are on disk: the third word of Status is one of
 * dpkg's states from "unpacked" on. */
static bool on_disk(const struct stanza *s)
{
	static const char *const states[] = {"unpacked", "half-configured", "triggers-awaited",
					     "triggers-pending", "installed"};
	const char *last = s->status ? s->status + s->status_n : NULL;
	const char *w = last;

	while (w && w > s->status && w[-1] != ' ')
		w--;
	for (size_t i = 0; w && i < sizeof(states) / sizeof(states[0]); i++)
		if ((size_t)(last - w) == strlen(states[i]) && !memcmp(w, states[i], (size_t)(last - w)))
			return true;
	return false;
}

/* "pkg:deb/NS/NAME@VERSION" of a finished stanza into *out; NULL when it
 * does not count. */
static enum status stanza_purl(const struct stanza *s, const char *ns, char **out)
{
	const char *name = s->pkg, *ver = s->ver;
	size_t name_n = s->pkg_n, ver_n = s->ver_n;
	int n;

	*out = NULL;
	if (!s->pkg || !s->ver || !on_disk(s))
		return STATUS_OK;
	if (s->src) {
		/* "openssl" or "openssl (3.0.15-1~deb12u1)" */
		const char *open = memchr(s->src, '(', s->src_n);
		name = s->src;
		name_n = strcspn(s->src, " (\n");
		if (name_n > s->src_n)
			name_n = s->src_n;
		if (open) {
			const char *close = memchr(open, ')', s->src_n - (size_t)(open - s->src));
			if (close) {
				ver = open + 1;
				ver_n = (size_t)(close - ver);
			}
		}
	}
	/* A damaged stanza names no package we match. */
	if (!purl_part(name, name_n, true) || !purl_part(ver, ver_n, false))
		return STATUS_OK;
	n = snprintf(NULL, 0, "pkg:deb/%s/%.*s@%.*s", ns, (int)name_n, name, (int)ver_n, ver);
	if (n < 0 || !(*out = malloc((size_t)n + 1)))
		return STATUS_ERR_NOMEM;
	snprintf(*out, (size_t)n + 1, "pkg:deb/%s/%.*s@%.*s", ns, (int)name_n, name, (int)ver_n, ver);
	return STATUS_OK;
}

enum status dpkg_status_parse(const char *text, const char *ns, struct facts *f)
{
	struct stanza s = {0};
	char **items = NULL;
	size_t n = 0, cap = 0, kept = 0;
	enum status st = STATUS_OK;

	for (const char *line = text; st == STATUS_OK;) {
		const char *nl = line ? strchr(line, '\n') : NULL;
		size_t len = line ? (nl ? (size_t)(nl - line) : strlen(line)) : 0;
		static const struct {
			const char *name;
			size_t off_p, off_n;
		} fields[] = {
			{"Package: ", offsetof(struct stanza, pkg), offsetof(struct stanza, pkg_n)},
			{"Version: ", offsetof(struct stanza, ver), offsetof(struct stanza, ver_n)},
			{"Source: ", offsetof(struct stanza, src), offsetof(struct stanza, src_n)},
			{"Status: ", offsetof(struct stanza, status), offsetof(struct stanza, status_n)},
		};
		if (!line || len == 0) {
			/* A blank line (or the end) closes a stanza. */
			char *purl;
			st = stanza_purl(&s, ns, &purl);
			if (st == STATUS_OK && purl) {
				if (n == cap) {
					char **v = realloc(items, (cap = cap ? cap * 2 : 512) * sizeof(*v));
					if (!v) {
						free(purl);
						st = STATUS_ERR_NOMEM;
						break;
					}
					items = v;
				}
				items[n++] = purl;
			}
			memset(&s, 0, sizeof(s));
			if (!line || !*line || !nl)
				break;
			line = nl + 1;
			continue;
		}
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			size_t fl = strlen(fields[i].name);
			if (len > fl && !memcmp(line, fields[i].name, fl)) {
				*(const char **)((char *)&s + fields[i].off_p) = line + fl;
				*(size_t *)((char *)&s + fields[i].off_n) = len - fl;
				break;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (st == STATUS_OK && n)
		qsort(items, n, sizeof(*items), cmp_str);
	/* Binary packages of one source share its purl: each once. */
	for (size_t i = 0; i < n; i++) {
		if (kept && !strcmp(items[kept - 1], items[i]))
			free(items[i]);
		else
			items[kept++] = items[i];
	}
	if (st == STATUS_OK)
		st = facts_set_list(f, "os.packages", (const char *const *)items, kept);
	for (size_t i = 0; i < kept; i++)
		free(items[i]);
	free(items);
	return st;
}

enum status dpkg_collect(const struct host_ctx *ctx, struct facts *f)
{
	char path[4096], *text = NULL;
	const char *ns = facts_str(f, "os.distro.id");
	enum status st;

	if (!ns || fileio_read(fileio_join(path, sizeof(path), ctx->etc_root, "/var/lib/dpkg/status"),
			       STATUS_FILE_MAX, &text, NULL, NULL) != STATUS_OK)
		return STATUS_OK;
	st = dpkg_status_parse(text, ns, f);
	free(text);
	return st;
}
