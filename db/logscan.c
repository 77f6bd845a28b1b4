/* logscan.c - symptom signatures in logs.
 *
 * Matching uses Hyperscan (Vectorscan on non-x86 and in Debian): every
 * exact string and pattern of the KB goes into one database, so a log is
 * read once whatever the number of signatures, with SIMD literal matching
 * (Teddy/FDR) that hand-written Aho-Corasick or a PCRE2 loop per pattern
 * does not approach. Its streaming mode carries matches across the
 * caller's buffers, which is what keeps memory bounded on huge lines.
 * Exact strings are compiled as fully escaped expressions: one database
 * cannot mix hs_compile_lit_multi() literals with patterns, and the
 * compiler extracts the same literals from the escaped form.
 *
 * Each match is confirmed on its own line before it is a hit: an exact
 * string by its bytes, a pattern by a database of its own in block mode
 * over the line up to the match's end. Vectorscan 5.4.9 (Debian 12)
 * reports, from the multi-pattern stream, a pattern match that is not
 * there when the input lies at some addresses (its SIMD accelerators'
 * vector-end bugs, fixed upstream later); and a signature is of one line,
 * so a pattern whose class takes in newlines must not join two lines. */
#include "logscan.h"

#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/fileio.h"

/* Signature sets of at least this many signatures are kept compiled in
 * the cache directory: Hyperscan takes about 0.1 ms to compile an exact
 * string and 2 ms a pattern (minutes for 100,000 entries), and a few
 * milliseconds to load the result back. Smaller sets compile faster than
 * a file is read. One set is kept: the last large one compiled. */
#define CACHE_MIN_SIGS 1000
#define CACHE_FILE "signatures.hs"
/* Changes whenever build_db() gives the compiler something else (flags,
 * mode, how a signature becomes an expression). */
#define CACHE_MAGIC "quirk signatures 1"
#define CACHE_MAX (1ull << 31)

/* A match is confirmed within this many bytes of its line before its end
 * (a symptom longer than that is not one). */
#define LOGSCAN_CONFIRM 4096

struct logscan {
	hs_database_t *db; /* NULL when the KB has no signatures */
	hs_scratch_t *scratch;
	hs_database_t **single; /* per signature, compiled at its first match */
	hs_scratch_t *single_scratch;
	char **entries;
	size_t nentries;
	struct logscan_sig *sigs;
	size_t *sig_entry; /* entry index of each signature */
	size_t nsigs;
};

/* A hit whose line goes on past the bytes seen so far. */
struct pending {
	struct logscan_hit hit;
	unsigned long long next;  /* offset of the next byte of the window */
	unsigned long long limit; /* the window ends here at the latest */
	bool done;
	char text[LOGSCAN_TEXT_MAX];
};

struct logscan_stream {
	struct logscan *ls;
	hs_stream_t *hs;
	logscan_hit_fn fn;
	void *ctx;
	const char *buf; /* the piece being scanned, starting at offset base */
	size_t len;
	unsigned long long base;
	unsigned long long counted;    /* newlines are counted up to here */
	unsigned long long line;       /* the line at offset counted, 1-based */
	unsigned long long line_start; /* offset where that line starts */
	/* The last bytes (at most LOGSCAN_CONFIRM) of the current line before
	 * base: the part of a window, or of a confirmation, in earlier pieces. */
	char head[LOGSCAN_CONFIRM];
	char confirm[LOGSCAN_CONFIRM];
	unsigned long long head_start;
	unsigned long long *last_line; /* per entry: line last reported */
	struct pending *pending;
	size_t npending;
};

static char *escape_literal(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(4 * n + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == ' ')
			*o++ = (char)*p;
		else
			o += sprintf(o, "\\x%02x", *p);
	}
	*o = '\0';
	return out;
}

static enum status add_entry(struct logscan *ls, const char *id)
{
	char **grown;

	if (ls->nentries && !strcmp(ls->entries[ls->nentries - 1], id))
		return STATUS_OK;
	if (!(grown = realloc(ls->entries, (ls->nentries + 1) * sizeof(*grown))))
		return STATUS_ERR_NOMEM;
	ls->entries = grown;
	if (!(ls->entries[ls->nentries] = strdup(id)))
		return STATUS_ERR_NOMEM;
	ls->nentries++;
	return STATUS_OK;
}

/* Reads the signatures, entry by entry. A KB built before symptom
 * patterns existed has no symptom_pattern table. */
static enum status load_sigs(struct kb *kb, struct logscan *ls, struct diag *d)
{
	static const char with_patterns[] =
		"SELECT entry_id, text, 0, seq FROM symptom UNION ALL"
		" SELECT entry_id, pattern, 1, seq FROM symptom_pattern ORDER BY 1, 3, 4";
	static const char plain[] = "SELECT entry_id, text, 0, seq FROM symptom ORDER BY 1, 4";
	sqlite3_stmt *q;
	enum status st = STATUS_OK;
	size_t cap = 0;

	if (sqlite3_prepare_v2(kb->db, with_patterns, -1, &q, NULL) != SQLITE_OK &&
	    sqlite3_prepare_v2(kb->db, plain, -1, &q, NULL) != SQLITE_OK)
		return diag_set(d, STATUS_ERR_DB, "symptoms: %s", sqlite3_errmsg(kb->db));
	while (st == STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		const char *text = (const char *)sqlite3_column_text(q, 1);
		if (!id || !text || !*text)
			continue;
		if (ls->nsigs == cap) {
			size_t ncap = cap ? 2 * cap : 32;
			struct logscan_sig *s = realloc(ls->sigs, ncap * sizeof(*s));
			size_t *e = s ? realloc(ls->sig_entry, ncap * sizeof(*e)) : NULL;
			if (s)
				ls->sigs = s;
			if (!e) {
				st = STATUS_ERR_NOMEM;
				break;
			}
			ls->sig_entry = e;
			cap = ncap;
		}
		if ((st = add_entry(ls, id)) != STATUS_OK)
			break;
		ls->sig_entry[ls->nsigs] = ls->nentries - 1;
		ls->sigs[ls->nsigs].entry = ls->entries[ls->nentries - 1];
		ls->sigs[ls->nsigs].pattern = sqlite3_column_int(q, 2);
		if (!(ls->sigs[ls->nsigs].text = strdup(text)))
			st = STATUS_ERR_NOMEM;
		else
			ls->nsigs++;
	}
	sqlite3_finalize(q);
	return st == STATUS_ERR_NOMEM ? diag_set(d, st, "%s", status_str(st)) : st;
}

/* The cache file's header: its format, the Hyperscan that compiled it
 * and the length of the key after it (every expression, NUL after each),
 * which must equal this run's; the serialized database follows. */
static size_t cache_header(char *buf, size_t size, size_t keylen)
{
	int n = snprintf(buf, size, "%s\n%s\n%zu\n", CACHE_MAGIC, hs_version(), keylen);

	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* The compiled database of exactly these expressions from the cache; NULL
 * if there is none, it holds other expressions or another Hyperscan's
 * build, or it does not deserialize (Hyperscan checks its CRC, so a
 * damaged file is refused, not run). */
static hs_database_t *cache_load(const char *path, const char *key, size_t keylen)
{
	char head[256], *buf = NULL;
	size_t len = 0, hlen = cache_header(head, sizeof(head), keylen);
	hs_database_t *db = NULL;
	struct diag d = {""};

	if (!hlen || fileio_read(path, CACHE_MAX, &buf, &len, &d) != STATUS_OK)
		return NULL;
	if (len <= hlen + keylen || memcmp(buf, head, hlen) || memcmp(buf + hlen, key, keylen) ||
	    hs_deserialize_database(buf + hlen + keylen, len - hlen - keylen, &db) != HS_SUCCESS)
		db = NULL;
	free(buf);
	return db;
}

/* Replaces the cached database; a failure costs only the next compile. */
static void cache_store(const char *path, const char *key, size_t keylen, const hs_database_t *db)
{
	char head[256], *bytes = NULL, *buf;
	size_t n = 0, hlen = cache_header(head, sizeof(head), keylen);
	struct diag d = {""};

	if (!hlen || hs_serialize_database(db, &bytes, &n) != HS_SUCCESS)
		return;
	if ((buf = malloc(hlen + keylen + n))) {
		memcpy(buf, head, hlen);
		memcpy(buf + hlen, key, keylen);
		memcpy(buf + hlen + keylen, bytes, n);
		fileio_write_atomic(path, buf, hlen + keylen + n, &d);
		free(buf);
	}
	free(bytes);
}

/* The expressions one after the other, NUL after each; NULL if out of
 * memory. */
static char *cache_key(char **expr, size_t n, size_t *len)
{
	char *key, *p;

	*len = 0;
	for (size_t i = 0; i < n; i++)
		*len += strlen(expr[i]) + 1;
	if (!(key = p = malloc(*len ? *len : 1)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, expr[i]) + 1;
	return key;
}

static enum status build_db(struct logscan *ls, const char *cache_dir, struct diag *d)
{
	char **expr = calloc(ls->nsigs, sizeof(*expr)), *key = NULL, path[4096];
	unsigned *flags = calloc(ls->nsigs, sizeof(*flags)), *ids = calloc(ls->nsigs, sizeof(*ids));
	hs_compile_error_t *err = NULL;
	enum status st = STATUS_OK;
	size_t keylen = 0;
	bool cached = cache_dir && ls->nsigs >= CACHE_MIN_SIGS &&
		      (size_t)snprintf(path, sizeof(path), "%s/%s", cache_dir, CACHE_FILE) < sizeof(path);

	if (!expr || !flags || !ids)
		st = STATUS_ERR_NOMEM;
	for (size_t i = 0; st == STATUS_OK && i < ls->nsigs; i++) {
		expr[i] = ls->sigs[i].pattern ? strdup(ls->sigs[i].text) : escape_literal(ls->sigs[i].text);
		flags[i] = HS_FLAG_MULTILINE;
		ids[i] = (unsigned)i;
		if (!expr[i])
			st = STATUS_ERR_NOMEM;
	}
	if (st == STATUS_OK && cached && (key = cache_key(expr, ls->nsigs, &keylen)))
		ls->db = cache_load(path, key, keylen);
	if (st == STATUS_OK && !ls->db) {
		if (hs_compile_multi((const char *const *)expr, flags, ids, (unsigned)ls->nsigs, HS_MODE_STREAM,
				     NULL, &ls->db, &err) != HS_SUCCESS) {
			const struct logscan_sig *bad = err->expression >= 0 ? &ls->sigs[err->expression] : NULL;
			st = diag_set(d, STATUS_ERR_DB, "symptom signature %s%s%s%s: %s", bad ? bad->entry : "",
				      bad ? " \"" : "", bad ? bad->text : "", bad ? "\"" : "", err->message);
			hs_free_compile_error(err);
			ls->db = NULL;
		} else if (key) {
			cache_store(path, key, keylen, ls->db);
		}
	}
	if (st == STATUS_OK && hs_alloc_scratch(ls->db, &ls->scratch) != HS_SUCCESS)
		st = diag_set(d, STATUS_ERR_NOMEM, "cannot allocate matcher scratch space");
	for (size_t i = 0; expr && i < ls->nsigs; i++)
		free(expr[i]);
	free(expr);
	free(flags);
	free(ids);
	free(key);
	return st == STATUS_ERR_NOMEM && !d->msg[0] ? diag_set(d, st, "%s", status_str(st)) : st;
}

enum status logscan_compile(struct kb *kb, struct logscan **out, struct diag *d)
{
	return logscan_compile_cached(kb, NULL, out, d);
}

enum status logscan_compile_cached(struct kb *kb, const char *cache_dir, struct logscan **out, struct diag *d)
{
	struct logscan *ls = calloc(1, sizeof(*ls));
	enum status st;

	*out = NULL;
	if (!ls)
		return diag_set(d, STATUS_ERR_NOMEM, "%s", status_str(STATUS_ERR_NOMEM));
	st = load_sigs(kb, ls, d);
	if (st == STATUS_OK && ls->nsigs)
		st = build_db(ls, cache_dir, d);
	if (st != STATUS_OK) {
		logscan_free(ls);
		return st;
	}
	*out = ls;
	return STATUS_OK;
}

void logscan_free(struct logscan *ls)
{
	if (!ls)
		return;
	hs_free_scratch(ls->scratch);
	hs_free_database(ls->db);
	for (size_t i = 0; ls->single && i < ls->nsigs; i++)
		hs_free_database(ls->single[i]);
	free(ls->single);
	hs_free_scratch(ls->single_scratch);
	for (size_t i = 0; i < ls->nsigs; i++)
		free((char *)ls->sigs[i].text);
	for (size_t i = 0; i < ls->nentries; i++)
		free(ls->entries[i]);
	free(ls->sigs);
	free(ls->sig_entry);
	free(ls->entries);
	free(ls);
}

size_t logscan_entries(const struct logscan *ls)
{
	return ls->nentries;
}

const char *logscan_entry_id(const struct logscan *ls, size_t i)
{
	return i < ls->nentries ? ls->entries[i] : NULL;
}

ssize_t logscan_entry_index(const struct logscan *ls, const char *id)
{
	size_t lo = 0, hi = ls->nentries;

	/* load_sigs() reads the signatures in entry id order. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ls->entries[mid], id);
		if (!c)
			return (ssize_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const struct logscan_sig *logscan_sig_at(const struct logscan *ls, size_t i)
{
	return i < ls->nsigs ? &ls->sigs[i] : NULL;
}

static int found(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	(void)id, (void)from, (void)to, (void)flags;
	*(bool *)ctx = true;
	return 1;
}

const char *logscan_pattern_check(const char *pattern, const char *text)
{
	static _Thread_local char why[256];
	hs_database_t *db = NULL;
	hs_scratch_t *scratch = NULL;
	hs_compile_error_t *err = NULL;
	bool hit = false;

	if (hs_compile(pattern, HS_FLAG_MULTILINE, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
		snprintf(why, sizeof(why), "does not compile: %s", err->message);
		hs_free_compile_error(err);
		return why;
	}
	if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
		hs_free_database(db);
		return "cannot allocate matcher scratch space";
	}
	hs_scan(db, text, (unsigned)strlen(text), 0, scratch, found, &hit);
	hs_free_scratch(scratch);
	hs_free_database(db);
	return hit ? NULL : "matches none of the entry's symptom strings";
}

/* Advances the line count to offset abs (within the current piece). */
static void count_to(struct logscan_stream *s, unsigned long long abs)
{
	const char *p, *end;

	if (abs <= s->counted)
		return;
	p = s->buf + (s->counted - s->base);
	end = s->buf + (abs - s->base);
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		s->line++;
		s->line_start = s->base + (unsigned long long)(++p - s->buf);
	}
	s->counted = abs;
}

/* Copies the bytes [from, to) of the input: from the saved head of the
 * line for offsets before base, then from the current piece. */
static size_t copy_range(const struct logscan_stream *s, unsigned long long from, unsigned long long to,
			 char *dst)
{
	size_t n = 0;

	if (from < s->base) {
		unsigned long long stop = to < s->base ? to : s->base;
		n = (size_t)(stop - from);
		memcpy(dst, s->head + (from - s->head_start), n);
		from = stop;
	}
	if (from < to) {
		memcpy(dst + n, s->buf + (from - s->base), (size_t)(to - from));
		n += (size_t)(to - from);
	}
	return n;
}

/* Extends a window with the current piece until its line ends or the
 * window is full and the byte after it shows whether the line goes on. */
static void extend(struct logscan_stream *s, struct pending *p)
{
	unsigned long long end = s->base + s->len, stop;
	const char *nl;

	if (p->done || p->next >= end)
		return;
	stop = p->limit + 1 < end ? p->limit + 1 : end;
	nl = memchr(s->buf + (p->next - s->base), '\n', (size_t)(stop - p->next));
	if (nl)
		stop = s->base + (unsigned long long)(nl - s->buf);
	else if (stop > p->limit)
		stop = p->limit;
	p->hit.len += copy_range(s, p->next, stop, p->text + p->hit.len);
	p->next = stop;
	if (nl || (stop == p->limit && stop < end)) {
		p->hit.cut_after = !nl;
		p->done = true;
	}
}

/* Reports the finished hits at the front of the queue, in input order. */
static void flush(struct logscan_stream *s, bool all)
{
	size_t k = 0;

	while (k < s->npending && (all || s->pending[k].done)) {
		struct logscan_hit *h = &s->pending[k].hit;
		/* A CRLF line ends before its CR. */
		if (!h->cut_after && h->len && s->pending[k].text[h->len - 1] == '\r' &&
		    h->offset < s->pending[k].next)
			h->len--;
		h->text = s->pending[k].text;
		s->fn(s->ctx, &s->pending[k].hit);
		k++;
	}
	memmove(s->pending, s->pending + k, (s->npending - k) * sizeof(*s->pending));
	s->npending -= k;
}

static int ends_at(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	unsigned long long *want = ctx;

	(void)id, (void)from, (void)flags;
	if (to != *want)
		return 0;
	*want = 0;
	return 1;
}

/* Whether signature id matches the line at the bytes that end at to. A
 * pattern that does not compile alone (it did in the set) is trusted. */
static bool confirmed(struct logscan_stream *s, unsigned id, unsigned long long to)
{
	struct logscan *ls = s->ls;
	const struct logscan_sig *sig = &ls->sigs[id];
	unsigned long long from = to - s->line_start > LOGSCAN_CONFIRM ? to - LOGSCAN_CONFIRM : s->line_start;
	size_t n = copy_range(s, from, to, s->confirm);
	unsigned long long want = n;
	hs_compile_error_t *err = NULL;

	if (!sig->pattern) {
		size_t len = strlen(sig->text);
		return len <= n && memcmp(s->confirm + n - len, sig->text, len) == 0;
	}
	if (!ls->single && !(ls->single = calloc(ls->nsigs, sizeof(*ls->single))))
		return true;
	if (!ls->single[id]) {
		if (hs_compile(sig->text, HS_FLAG_MULTILINE, HS_MODE_BLOCK, NULL, &ls->single[id], &err) != HS_SUCCESS) {
			hs_free_compile_error(err);
			return true;
		}
		if (hs_alloc_scratch(ls->single[id], &ls->single_scratch) != HS_SUCCESS)
			return true;
	}
	/* hs_scan() returns HS_SCAN_TERMINATED when ends_at found the end. */
	hs_scan(ls->single[id], s->confirm, (unsigned)n, 0, ls->single_scratch, ends_at, &want);
	return want == 0 && n > 0;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	struct logscan_stream *s = ctx;
	size_t e = s->ls->sig_entry[id];
	struct pending *p;
	unsigned long long ws;

	(void)from, (void)flags;
	count_to(s, to > s->base ? to - 1 : s->base);
	if (s->last_line[e] == s->line || !confirmed(s, id, to))
		return 0;
	s->last_line[e] = s->line;
	/* Hits waiting for the rest of a line are all on the current line and
	 * each entry has one per line, so the queue never outgrows nentries;
	 * should that reasoning ever fail, report early rather than overrun. */
	if (s->npending > s->ls->nentries)
		flush(s, true);
	p = &s->pending[s->npending++];
	ws = to - s->line_start > LOGSCAN_BEFORE ? to - LOGSCAN_BEFORE : s->line_start;
	p->hit = (struct logscan_hit){.entry = e, .sig = &s->ls->sigs[id], .line = s->line, .offset = to,
				      .cut_before = ws > s->line_start};
	p->hit.len = copy_range(s, ws, to, p->text);
	p->next = to;
	p->limit = to + LOGSCAN_AFTER;
	p->done = false;
	extend(s, p);
	flush(s, false);
	return 0;
}

enum status logscan_open(struct logscan *ls, logscan_hit_fn fn, void *ctx, struct logscan_stream **out,
			 struct diag *d)
{
	struct logscan_stream *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s || !(s->last_line = calloc(ls->nentries + 1, sizeof(*s->last_line))) ||
	    !(s->pending = calloc(ls->nentries + 1, sizeof(*s->pending)))) {
		if (s)
			free(s->last_line);
		free(s);
		return diag_set(d, STATUS_ERR_NOMEM, "%s", status_str(STATUS_ERR_NOMEM));
	}
	s->ls = ls;
	s->fn = fn;
	s->ctx = ctx;
	s->line = 1;
	if (ls->db && hs_open_stream(ls->db, 0, &s->hs) != HS_SUCCESS) {
		free(s->pending);
		free(s->last_line);
		free(s);
		return diag_set(d, STATUS_ERR_DB, "cannot open a matcher stream");
	}
	*out = s;
	return STATUS_OK;
}

/* After a piece: keep the last bytes of the unfinished line as the head
 * of the next piece's windows. */
static void keep_head(struct logscan_stream *s)
{
	unsigned long long end = s->base + s->len;
	unsigned long long from = end - s->line_start > LOGSCAN_CONFIRM ? end - LOGSCAN_CONFIRM : s->line_start;
	char tmp[LOGSCAN_CONFIRM];
	size_t n = copy_range(s, from, end, tmp);

	memcpy(s->head, tmp, n);
	s->head_start = from;
}

enum status logscan_feed(struct logscan_stream *s, const void *buf, size_t len, struct diag *d)
{
	hs_error_t rc = HS_SUCCESS;

	if (!len)
		return STATUS_OK;
	s->buf = buf;
	s->len = len;
	for (size_t i = 0; i < s->npending; i++)
		extend(s, &s->pending[i]);
	flush(s, false);
	/* Pieces past 4 GiB are scanned in parts: hs_scan_stream takes an
	 * unsigned length. */
	for (size_t off = 0; off < len && rc == HS_SUCCESS; off += 1u << 30) {
		size_t n = len - off < (1u << 30) ? len - off : (1u << 30);
		if (s->hs)
			rc = hs_scan_stream(s->hs, (const char *)buf + off, (unsigned)n, 0, s->ls->scratch, on_match, s);
	}
	count_to(s, s->base + len);
	keep_head(s);
	s->counted = s->base += len;
	s->buf = NULL;
	s->len = 0;
	return rc == HS_SUCCESS ? STATUS_OK : diag_set(d, STATUS_ERR_DB, "matcher failed (Hyperscan error %d)", rc);
}

enum status logscan_close(struct logscan_stream *s, unsigned long long *lines, unsigned long long *bytes,
			  struct diag *d)
{
	hs_error_t rc = HS_SUCCESS;

	/* Matches anchored at the end of the input ($) are reported now. */
	if (s->hs)
		rc = hs_close_stream(s->hs, s->ls->scratch, on_match, s);
	flush(s, true);
	if (lines)
		*lines = s->base == 0 ? 0 : s->line_start == s->base ? s->line - 1 : s->line;
	if (bytes)
		*bytes = s->base;
	free(s->pending);
	free(s->last_line);
	free(s);
	return rc == HS_SUCCESS ? STATUS_OK : diag_set(d, STATUS_ERR_DB, "matcher failed (Hyperscan error %d)", rc);
}
