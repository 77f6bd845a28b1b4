/* test_logscan.c - symptom signatures in streams: the same hits however
 * the input is cut, bounded windows on long lines, line counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/kb.h"
#include "db/logscan.h"
#include "helpers.h"

#define GO_NOTE "runtime: note: your Linux kernel may be buggy"
#define GO_MLOCK "runtime: mlock of signal stack failed: 1"
#define RUSTLER "panic in a function that cannot unwind"

struct rec {
	char id[64];
	unsigned long long line;
	char text[LOGSCAN_TEXT_MAX + 1];
	size_t len;
	bool cut_before, cut_after, pattern;
};

struct recs {
	struct logscan *ls;
	struct rec v[64];
	size_t n;
};

static void collect(void *ctx, const struct logscan_hit *h)
{
	struct recs *r = ctx;
	struct rec *x;

	assert_true(r->n < 64);
	assert_true(h->len <= LOGSCAN_TEXT_MAX);
	x = &r->v[r->n++];
	snprintf(x->id, sizeof(x->id), "%s", logscan_entry_id(r->ls, h->entry));
	x->line = h->line;
	memcpy(x->text, h->text, h->len);
	x->text[h->len] = '\0';
	x->len = h->len;
	x->cut_before = h->cut_before;
	x->cut_after = h->cut_after;
	x->pattern = h->sig->pattern;
}

/* Scans data in pieces of size piece (0: one piece); returns lines seen. */
static unsigned long long scan(struct logscan *ls, const char *data, size_t len, size_t piece, struct recs *out)
{
	struct logscan_stream *s;
	unsigned long long lines = 0, bytes = 0;

	memset(out, 0, sizeof(*out));
	out->ls = ls;
	assert_int_equal(logscan_open(ls, collect, out, &s, NULL), STATUS_OK);
	for (size_t off = 0; off < len;) {
		size_t n = piece && len - off > piece ? piece : len - off;
		assert_int_equal(logscan_feed(s, data + off, n, NULL), STATUS_OK);
		off += n;
	}
	assert_int_equal(logscan_close(s, &lines, &bytes, NULL), STATUS_OK);
	assert_int_equal(bytes, len);
	return lines;
}

static int setup(void **state)
{
	struct kb *kb;
	struct logscan *ls;

	assert_int_equal(kb_open(&kb, NULL, NULL), STATUS_OK);
	assert_int_equal(logscan_compile(kb, &ls, NULL), STATUS_OK);
	kb_close(kb);
	*state = ls;
	return 0;
}

static int teardown(void **state)
{
	logscan_free(*state);
	return 0;
}

/* A log with short lines, a 3000-byte line carrying a symptom in the
 * middle, two entries on one line, and a last line without newline. */
static char *sample(size_t *len)
{
	char *buf = malloc(8192), *p = buf;

	p += sprintf(p, "boot ok\n2020-07-13T19:32:19Z plugin: " GO_MLOCK "2\nnothing\n");
	memset(p, 'x', 1500), p += 1500;
	p += sprintf(p, GO_NOTE);
	memset(p, 'y', 1500), p += 1500;
	p += sprintf(p, "\n" RUSTLER " and " GO_NOTE "\n\nlast " GO_NOTE);
	*len = (size_t)(p - buf);
	return buf;
}

static void test_split_invariance(void **state)
{
	struct logscan *ls = *state;
	size_t len;
	char *data = sample(&len);
	static struct recs whole, cut;
	unsigned long long lines = scan(ls, data, len, 0, &whole);

	assert_int_equal(lines, 7);
	assert_int_equal(whole.n, 5);
	for (size_t piece = 1; piece <= 1100; piece += piece < 40 ? 1 : 97) {
		assert_int_equal(scan(ls, data, len, piece, &cut), lines);
		assert_int_equal(cut.n, whole.n);
		for (size_t i = 0; i < whole.n; i++) {
			assert_string_equal(cut.v[i].id, whole.v[i].id);
			assert_int_equal(cut.v[i].line, whole.v[i].line);
			assert_int_equal(cut.v[i].len, whole.v[i].len);
			assert_memory_equal(cut.v[i].text, whole.v[i].text, whole.v[i].len);
			assert_int_equal(cut.v[i].cut_before, whole.v[i].cut_before);
			assert_int_equal(cut.v[i].cut_after, whole.v[i].cut_after);
		}
	}
	free(data);
}

static void test_hits(void **state)
{
	size_t len;
	char *data = sample(&len);
	static struct recs r;

	scan(*state, data, len, 0, &r);
	/* The Go errno message has a pattern: any errno, not only 12. */
	assert_string_equal(r.v[0].id, "linux-sigframe-avx-corruption");
	assert_int_equal(r.v[0].line, 2);
	assert_true(r.v[0].pattern);
	assert_string_equal(r.v[0].text, "2020-07-13T19:32:19Z plugin: " GO_MLOCK "2");
	assert_false(r.v[0].cut_before || r.v[0].cut_after);
	/* The long line: a bounded window around the match, cut both sides. */
	assert_int_equal(r.v[1].line, 4);
	assert_true(r.v[1].cut_before && r.v[1].cut_after);
	assert_int_equal(r.v[1].len, LOGSCAN_TEXT_MAX);
	assert_non_null(strstr(r.v[1].text, GO_NOTE));
	assert_int_equal(strspn(r.v[1].text + LOGSCAN_BEFORE, "y"), LOGSCAN_AFTER);
	/* Two entries on one line: one hit each, in order of the matches. */
	assert_string_equal(r.v[2].id, "rustler-encode-panic-aborts-beam");
	assert_string_equal(r.v[3].id, "linux-sigframe-avx-corruption");
	assert_int_equal(r.v[2].line, 5);
	assert_int_equal(r.v[3].line, 5);
	/* The last line has no newline and still counts. */
	assert_int_equal(r.v[4].line, 7);
	assert_string_equal(r.v[4].text, "last " GO_NOTE);
	free(data);
}

static void test_one_hit_per_entry_and_line(void **state)
{
	static const char log[] = GO_MLOCK "2 " GO_NOTE " " GO_NOTE "\r\n" GO_NOTE "\n";
	static struct recs r;

	assert_int_equal(scan(*state, log, sizeof(log) - 1, 0, &r), 2);
	assert_int_equal(r.n, 2);
	/* A CRLF line is shown without its CR. */
	assert_int_equal(r.v[0].text[r.v[0].len - 1], 'y');
	assert_int_equal(r.v[1].line, 2);
}

static void test_line_counts(void **state)
{
	static struct recs r;

	assert_int_equal(scan(*state, "", 0, 0, &r), 0);
	assert_int_equal(scan(*state, "a", 1, 0, &r), 1);
	assert_int_equal(scan(*state, "a\n", 2, 0, &r), 1);
	assert_int_equal(scan(*state, "a\nb", 3, 0, &r), 2);
	assert_int_equal(scan(*state, "\n\n\n", 3, 1, &r), 3);
	assert_int_equal(r.n, 0);
}

/* A signature cut by every possible boundary, and binary bytes around. */
static void test_boundaries_and_binary(void **state)
{
	static const char log[] = "\x00\xff\xfe" RUSTLER "\x00\x1b[2J\n";
	static struct recs r;

	for (size_t piece = 1; piece < sizeof(log); piece++) {
		scan(*state, log, sizeof(log) - 1, piece, &r);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.v[0].len, sizeof(log) - 2);
		assert_memory_equal(r.v[0].text, log, sizeof(log) - 2);
	}
}

/* A match is a hit only once confirmed on its line: a pattern whose class
 * takes in a newline does not join two lines, and the input found by
 * fuzzing, on which Vectorscan 5.4.9 reports a pattern match that is not
 * there at some addresses, gives no hit at any. */
static void test_confirmed_on_the_line(void **state)
{
	static const char joined[] = "ERROR: Detected Linux kernel 7.0\n#. MongoDB 8.0+ utilizes the tcmalloc allocator\n";
	static const char real[] = "ERROR: Detected Linux kernel 7.0.0-14-generic. MongoDB 8.0+ utilizes the tcmalloc allocator\n";
	struct img im = img_load(FIXTURES "/../fuzz/corpus/logscan", "regress-vectorscan-false-match");
	unsigned char *room = malloc(im.n + 64);
	static struct recs r;

	scan(*state, joined, sizeof(joined) - 1, 0, &r);
	assert_int_equal(r.n, 0);
	scan(*state, real, sizeof(real) - 1, 0, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].id, "linux-rseq-tcmalloc-cpu-id-start");
	for (size_t at = 0; at < 64; at++) {
		memcpy(room + at, im.p, im.n);
		scan(*state, (const char *)room + at, im.n, 0, &r);
		assert_int_equal(r.n, 0);
	}
	free(room);
	free(im.p);
}

static void test_pattern_check(void **state)
{
	(void)state;
	assert_null(logscan_pattern_check("failed: [0-9]+", "mlock failed: 12"));
	assert_non_null(strstr(logscan_pattern_check("failed: [0-9", "x"), "does not compile"));
	assert_non_null(strstr(logscan_pattern_check("failed: [0-9]+", "failed: x"), "matches none"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_invariance),
		cmocka_unit_test(test_hits),
		cmocka_unit_test(test_one_hit_per_entry_and_line),
		cmocka_unit_test(test_line_counts),
		cmocka_unit_test(test_boundaries_and_binary),
		cmocka_unit_test(test_confirmed_on_the_line),
		cmocka_unit_test(test_pattern_check),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
