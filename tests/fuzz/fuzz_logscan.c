/* fuzz_logscan.c - libFuzzer entry for the log matcher with the built-in KB's signatures, and
 * for the log reader's gzip detection and decoding (built by .ci/fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/kb.h"
#include "db/logscan.h"
#include "probes/logread.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compiled once: the database is the KB's, the same for every input. */
static struct logscan *ls;

struct hit {
	size_t entry;
	const struct logscan_sig *sig;
	unsigned long long line, offset;
	size_t len;
	bool cut_before, cut_after;
	char text[LOGSCAN_TEXT_MAX];
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

/* What a front end keeps of a hit, and the checks a hit must pass on its
 * own: a window of at most LOGSCAN_TEXT_MAX bytes of one line, its entry's
 * signature, in input order. */
static void on_hit(void *ctx, const struct logscan_hit *h)
{
	struct hits *hs = ctx;
	struct hit *x;

	if (h->entry >= logscan_entries(ls) || !h->sig || strcmp(h->sig->entry, logscan_entry_id(ls, h->entry)))
		abort();
	if (h->len > LOGSCAN_TEXT_MAX || h->line < 1 || memchr(h->text, '\n', h->len))
		abort();
	if (hs->n && (h->offset < hs->v[hs->n - 1].offset || h->line < hs->v[hs->n - 1].line))
		abort();
	/* One hit per entry and line. */
	for (size_t i = hs->n; i-- > 0 && hs->v[i].line == h->line;)
		if (hs->v[i].entry == h->entry)
			abort();
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? 2 * hs->cap : 16;
		if (!(hs->v = realloc(hs->v, hs->cap * sizeof(*hs->v))))
			abort();
	}
	x = &hs->v[hs->n++];
	*x = (struct hit){.entry = h->entry, .sig = h->sig, .line = h->line, .offset = h->offset, .len = h->len,
			  .cut_before = h->cut_before, .cut_after = h->cut_after};
	memcpy(x->text, h->text, h->len);
}

/* Feeds data in pieces whose sizes next() gives; the hits go to out. */
static void scan(const uint8_t *data, size_t size, size_t (*next)(const uint8_t *, size_t, size_t),
		 struct hits *out)
{
	struct logscan_stream *s;
	unsigned long long lines, bytes;

	out->n = 0;
	if (logscan_open(ls, on_hit, out, &s, NULL) != STATUS_OK)
		abort();
	for (size_t off = 0, k = 0; off < size; k++) {
		size_t n = next(data, size, k);
		if (n > size - off)
			n = size - off;
		if (logscan_feed(s, data + off, n, NULL) != STATUS_OK)
			abort();
		off += n;
	}
	if (logscan_close(s, &lines, &bytes, NULL) != STATUS_OK || bytes != size)
		abort();
	/* Lines: as many as newlines, and one more for an unfinished last. */
	{
		unsigned long long nl = 0;
		for (const uint8_t *p = data; (p = memchr(p, '\n', (size_t)(data + size - p))); p++)
			nl++;
		if (lines != nl + (size && data[size - 1] != '\n'))
			abort();
	}
}

static size_t whole(const uint8_t *data, size_t size, size_t k)
{
	(void)data, (void)k;
	return size ? size : 1;
}

/* Small pieces of 1 to 64 bytes, their sizes taken from the input. */
static size_t small(const uint8_t *data, size_t size, size_t k)
{
	return 1 + data[(k * 7) % size] % 64;
}

/* Pieces around the window's look-back (LOGSCAN_BEFORE), so a window's
 * head comes from the saved bytes of the line. */
static size_t around_window(const uint8_t *data, size_t size, size_t k)
{
	return LOGSCAN_BEFORE - 3 + (data[size - 1] + k) % 7;
}

/* Every hit's window is the input's bytes where its line says. */
static void check_windows(const uint8_t *data, size_t size, const struct hits *hs)
{
	unsigned long long line = 1;
	size_t line_start = 0, pos = 0;

	for (size_t i = 0; i < hs->n; i++) {
		const struct hit *h = &hs->v[i];
		size_t ws, end;
		while (line < h->line) {
			const uint8_t *nl = memchr(data + pos, '\n', size - pos);
			if (!nl)
				abort();
			pos = line_start = (size_t)(nl - data) + 1;
			line++;
		}
		if (h->offset > size || h->offset < line_start)
			abort();
		ws = h->offset - line_start > LOGSCAN_BEFORE ? h->offset - LOGSCAN_BEFORE : line_start;
		end = ws + h->len;
		if (h->cut_before != (ws > line_start) || end > size || memcmp(data + ws, h->text, h->len))
			abort();
		/* The window stops at the line's end (before a CR of CRLF) or
		 * at LOGSCAN_AFTER past the match, then marked cut. */
		if (h->cut_after ? end != h->offset + LOGSCAN_AFTER || end >= size || data[end] == '\n'
				 : end < size && data[end] != '\n' &&
					   !(data[end] == '\r' && (end + 1 == size || data[end + 1] == '\n')))
			abort();
	}
}

static int same_hits(const struct hits *a, const struct hits *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct hit *x = &a->v[i], *y = &b->v[i];
		if (x->entry != y->entry || x->line != y->line || x->offset != y->offset || x->len != y->len ||
		    x->cut_before != y->cut_before || x->cut_after != y->cut_after || memcmp(x->text, y->text, x->len))
			return 0;
	}
	return 1;
}

/* The log reader over the input: a plain log comes out byte for byte,
 * gzip data decoded or refused with a message naming the input; what
 * comes out is scanned, as `quirk match` does. */
#define DECODED_MAX (1u << 20)
static void read_log(const uint8_t *data, size_t size, const struct hits *ref)
{
	static char buf[8192];
	struct logread *r;
	struct logscan_stream *s;
	struct hits hs = {0};
	struct diag d = {""};
	enum status st;
	size_t n, total = 0, cap = 1 + (size ? data[0] : 0) * 31;
	bool gzip;

	if (logread_open_mem(data, size, "fuzz.log", &r, &d) != STATUS_OK)
		abort();
	if (logscan_open(ls, on_hit, &hs, &s, NULL) != STATUS_OK)
		abort();
	while ((st = logread_read(r, buf, cap, &n, &d)) == STATUS_OK && n && total < DECODED_MAX) {
		if (n > cap)
			abort();
		gzip = logread_gzip(r);
		if (!gzip && (total + n > size || memcmp(buf, data + total, n)))
			abort();
		if (logscan_feed(s, buf, n, NULL) != STATUS_OK)
			abort();
		total += n;
	}
	gzip = logread_gzip(r);
	if (gzip != (size >= 2 && data[0] == 0x1f && data[1] == 0x8b))
		abort();
	if (st != STATUS_OK && (!gzip || st != STATUS_ERR_PARSE || strncmp(d.msg, "fuzz.log: ", 10)))
		abort();
	if (st == STATUS_OK && !gzip && total != size)
		abort();
	if (logscan_close(s, NULL, NULL, NULL) != STATUS_OK)
		abort();
	/* Read in other pieces, a plain log gives the same hits. */
	if (!gzip && !same_hits(ref, &hs))
		abort();
	if (logread_raw_bytes(r) > size)
		abort();
	logread_close(r);
	free(hs.v);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct kb *kb;
	struct diag d = {""};

	(void)argc, (void)argv;
	if (kb_open(&kb, NULL, &d) != STATUS_OK || logscan_compile(kb, &ls, &d) != STATUS_OK)
		abort();
	kb_close(kb);
	return 0;
}

/* Says how two scans of one input differ, for whoever reads the crash. */
static void differ(const char *how, const struct hits *a, const struct hits *b)
{
	const struct hits *both[2] = {a, b};

	fprintf(stderr, "fuzz_logscan: fed %s, the hits differ from those of the whole input:\n", how);
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < both[k]->n; i++) {
			const struct hit *h = &both[k]->v[i];
			fprintf(stderr, "  %s: %s line %llu offset %llu len %zu%s%s, %s \"%s\"\n", k ? how : "whole",
				logscan_entry_id(ls, h->entry), h->line, h->offset, h->len, h->cut_before ? " cut-before" : "",
				h->cut_after ? " cut-after" : "", h->sig->pattern ? "pattern" : "string", h->sig->text);
		}
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hits ref, other;

	/* The hits must not depend on how the input is cut. */
	scan(data, size, whole, &ref);
	check_windows(data, size, &ref);
	if (size) {
		scan(data, size, small, &other);
		if (!same_hits(&ref, &other))
			differ("in small pieces", &ref, &other);
		scan(data, size, around_window, &other);
		if (!same_hits(&ref, &other))
			differ("in pieces around the window", &ref, &other);
	}
	read_log(data, size, &ref);
	return 0;
}
