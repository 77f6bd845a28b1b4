/* test_text.c - UTF-8 checks and repair, text checks of files, and why a
 * JSON document SQLite refused is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "probes/text.h"

static void utf8_sequences(void **state)
{
	static const struct {
		const char *s;
		int len;
	} rows[] = {
		{"a", 1},		{"\xc3\xa9", 2},	 {"\xe2\x82\xac", 3},	  {"\xf0\x9f\x98\x80", 4},
		{"\xc0\xaf", 0},	{"\xc1\xbf", 0}, /* overlong */
		{"\xe0\x80\xaf", 0},	{"\xed\xa0\x80", 0}, /* overlong, surrogate */
		{"\xf4\x90\x80\x80", 0}, /* past U+10FFFF */
		{"\xf5\x80\x80\x80", 0}, {"\xff", 0},		 {"\x80", 0},		  {"\xc3", 0},
		{"\xe2\x82", 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int n = text_utf8_len((const unsigned char *)rows[i].s, strlen(rows[i].s));
		if (n != rows[i].len)
			fail_msg("row %zu: length %d, want %d", i, n, rows[i].len);
	}
	assert_int_equal(text_utf8_len((const unsigned char *)"", 0), 0);
}

static void invalid_at_and_repair(void **state)
{
	static const char good[] = "caf\xc3\xa9 \xe2\x82\xac", bad[] = "ab\xff" "c\xc3";
	char *fixed;

	(void)state;
	assert_int_equal(text_utf8_invalid_at(good, strlen(good)), strlen(good));
	assert_int_equal(text_utf8_invalid_at(bad, strlen(bad)), 2);
	/* A sequence cut by the end of the text is not valid either. */
	assert_int_equal(text_utf8_invalid_at("\xe2\x82", 2), 0);
	fixed = text_utf8_repair(bad);
	assert_string_equal(fixed, "ab\xef\xbf\xbd" "c\xef\xbf\xbd");
	free(fixed);
	fixed = text_utf8_repair(good);
	assert_string_equal(fixed, good);
	free(fixed);
}

static void file_text(void **state)
{
	static const char multi[] = "line one\n\xc3\xa9t\xc3\xa9 \xff\n";
	struct diag d = {""};

	(void)state;
	assert_int_equal(text_check("f", "ok\n", 3, "a facts file", &d), STATUS_OK);
	assert_int_equal(text_check("f", "a\0b", 3, "a facts file", &d), STATUS_ERR_PARSE);
	assert_string_equal(d.msg, "f: binary data (NUL byte); not a facts file");
	/* Columns count characters, not bytes. */
	assert_int_equal(text_check("f", multi, sizeof(multi) - 1, "a profile", &d), STATUS_ERR_PARSE);
	assert_string_equal(d.msg, "f:2: not valid UTF-8 (byte 0xff in column 5); a profile is UTF-8 text");
}

static void json_depth(void **state)
{
	char why[128], *deep = malloc(3003);

	(void)state;
	text_json_invalid("{\"a\": [1, 2,]}", why, sizeof(why));
	assert_string_equal(why, "not valid JSON");
	/* Brackets inside strings are not nesting. */
	text_json_invalid("[\"[[[[\\\"[[[[\", ", why, sizeof(why));
	assert_string_equal(why, "not valid JSON");
	memset(deep, '[', 1500);
	memset(deep + 1500, ']', 1500);
	strcpy(deep + 3000, "x");
	text_json_invalid(deep, why, sizeof(why));
	assert_string_equal(why, "arrays and objects nested 1500 deep, deeper than SQLite's JSON parser reads");
	free(deep);
}

/* Facts are kept as UTF-8 whatever the host gives. */
static void facts_repaired(void **state)
{
	struct facts f;

	(void)state;
	facts_init(&f);
	assert_int_equal(facts_set_str(&f, "os.distro.name", "Arch \xe9 Linux"), STATUS_OK);
	assert_string_equal(facts_str(&f, "os.distro.name"), "Arch \xef\xbf\xbd Linux");
	assert_int_equal(facts_list_add(&f, "os.packages", "pkg\xfe"), STATUS_OK);
	assert_int_equal(facts_list_add(&f, "os.packages", "pkg\xff"), STATUS_OK);
	/* Both repair to the same text: one item. */
	assert_int_equal(facts_get(&f, "os.packages")->nlist, 1);
	assert_string_equal(facts_get(&f, "os.packages")->list[0], "pkg\xef\xbf\xbd");
	facts_free(&f);
}

/* RFC 8259's grammar, including what SQLite 3.40's json_valid() lets by. */
static void json_strict(void **state)
{
	static const char *const good[] = {"{}", " [1, -0.5e+3, true, false, null] ", "{\"a\": {\"b\": [\"\\u00e9\\n\"]}}", "0"};
	static const char *const bad[] = {"{{\"c\":[\"p\"]}\n:\"\",", "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"",
					 "[1] 2", "{\"a\":1,}", "tru", "\"a\tb\""};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!text_json_strict(good[i], strlen(good[i])))
			fail_msg("refused: %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (text_json_strict(bad[i], strlen(bad[i])))
			fail_msg("accepted: %s", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_sequences), cmocka_unit_test(invalid_at_and_repair), cmocka_unit_test(file_text),
		cmocka_unit_test(json_depth), cmocka_unit_test(json_strict),	  cmocka_unit_test(facts_repaired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
