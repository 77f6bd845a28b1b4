/* test_facts_json.c - facts files: loading, bad input, round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <unistd.h>

#include "db/facts_json.h"
#include "helpers.h"

static enum status load_text(const char *text, size_t len, struct facts *f, struct diag *d)
{
	char path[] = "/tmp/quirk-facts-XXXXXX";
	int fd = mkstemp(path);
	enum status st;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	facts_init(f);
	st = facts_json_load(path, f, d);
	unlink(path);
	return st;
}

static void loads(void **state)
{
	static const char doc[] = "{\"os.name\": \"Linux\", \"cpu.family\": 25, \"runtime.ruby.yjit\": true,"
				  " \"runtime.go\": null, \"cpu.flags\": [\"avx\", \"sse2\"], \"custom.key\": \"kept\"}";
	struct facts f;
	struct diag d = {""};

	(void)state;
	assert_int_equal(load_text(doc, sizeof(doc) - 1, &f, &d), STATUS_OK);
	assert_string_equal(facts_str(&f, "os.name"), "Linux");
	assert_true(facts_get(&f, "cpu.family")->num == 25);
	assert_true(facts_get(&f, "runtime.ruby.yjit")->b);
	assert_int_equal(facts_get(&f, "runtime.go")->type, FACT_NULL);
	assert_int_equal(facts_get(&f, "cpu.flags")->nlist, 2);
	assert_string_equal(facts_str(&f, "custom.key"), "kept");
	facts_free(&f);

	/* null is "known to be absent" for a fact of any type; "number|string"
	 * takes either; keys outside the contract take any value. */
	static const char typed[] = "{\"cpu.flags\": null, \"os.cgroup.memory_max\": \"unlimited\","
				    " \"os.wsl.windows_build\": 19041, \"custom.n\": 1, \"custom.s\": \"x\"}";
	assert_int_equal(load_text(typed, sizeof(typed) - 1, &f, &d), STATUS_OK);
	assert_int_equal(facts_get(&f, "cpu.flags")->type, FACT_NULL);
	assert_string_equal(facts_str(&f, "os.cgroup.memory_max"), "unlimited");
	facts_free(&f);

	/* A whole scan document: its facts member is used. */
	static const char scan[] = "{\"quirk_version\": \"0.1.0\", \"facts\": {\"os.name\": \"Darwin\"}, \"findings\": []}";
	assert_int_equal(load_text(scan, sizeof(scan) - 1, &f, &d), STATUS_OK);
	assert_string_equal(facts_str(&f, "os.name"), "Darwin");
	assert_null(facts_get(&f, "quirk_version"));
	facts_free(&f);

	/* A list keeps its order and each string once. */
	static const char dup[] = "{\"cpu.flags\": [\"sse2\", \"avx\", \"sse2\", \"fpu\", \"avx\"]}";
	assert_int_equal(load_text(dup, sizeof(dup) - 1, &f, &d), STATUS_OK);
	assert_int_equal(facts_get(&f, "cpu.flags")->nlist, 3);
	assert_string_equal(facts_get(&f, "cpu.flags")->list[0], "sse2");
	assert_string_equal(facts_get(&f, "cpu.flags")->list[1], "avx");
	assert_string_equal(facts_get(&f, "cpu.flags")->list[2], "fpu");
	facts_free(&f);
}

static void rejects(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *why;
	} rows[] = {
		{"{\"os.name\": ", 12, "not valid JSON"},
		{"[\"os.name\"]", 11, "expected a JSON object"},
		{"\"Linux\"", 7, "expected a JSON object"},
		{"{\"cpu.flags\": [1, 2]}", 21, "lists may hold only strings"},
		{"{\"os\": {\"name\": \"Linux\"}}", 25, "values must be"},
		{"{\"os.name\": \"Li\0nux\"}", 21, "binary data"},
		{"", 0, "not valid JSON"},
		{"{\"os.kernel.release\": 5}", 24, "fact \"os.kernel.release\": a string is expected"},
		{"{\"runtime.ruby.yjit\": \"yes\"}", 28, "true or false is expected (quirk facts --keys), not a string"},
		{"{\"cpu.flags\": \"avx\"}", 20, "a list of strings is expected"},
		{"{\"os.cgroup.memory_max\": true}", 30, "a number or a string is expected"},
		{"{\"os.name\":\n \"Li\xffnux\"}", 22, ":2: not valid UTF-8 (byte 0xff in column 5)"},
		{"{\"cpu.family\": 1e999}", 21, "fact \"cpu.family\": number out of range"},
		{"{\"cpu.family\": -1e999}", 22, "number out of range"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		struct diag d = {""};
		enum status st = load_text(rows[i].text, rows[i].len, &f, &d);
		if (st != STATUS_ERR_FACTS_INVALID || !strstr(d.msg, rows[i].why) || !strstr(d.msg, "/tmp/quirk-facts-"))
			fail_msg("case %zu: status %d message \"%s\", want \"%s\"", i, st, d.msg, rows[i].why);
		facts_free(&f);
	}
	struct facts f;
	struct diag d = {""};
	facts_init(&f);
	assert_int_equal(facts_json_load("/nonexistent/facts.json", &f, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "/nonexistent/facts.json"));
	facts_free(&f);
}

static void round_trip(void **state)
{
	struct kb *kb;
	struct facts f, back;
	struct diag d = {""};
	char *json = NULL;

	(void)state;
	assert_int_equal(kb_open(&kb, NULL, &d), STATUS_OK);
	facts_init(&f);
	facts_from_spec(&f, "os.name=Linux;cpu.family=#6;cpu.flags=[avx,sse2];runtime.go=null;runtime.ruby.yjit=false;"
			    "os.kernel.version=#30-Ubuntu SMP \"quoted\" \\ back");
	assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
	assert_int_equal(facts_json_dump(kb, &json, &d), STATUS_OK);
	assert_int_equal(load_text(json, strlen(json), &back, &d), STATUS_OK);
	assert_int_equal(back.n, f.n);
	assert_string_equal(facts_str(&back, "os.kernel.version"), "#30-Ubuntu SMP \"quoted\" \\ back");
	assert_true(facts_get(&back, "cpu.family")->num == 6);
	assert_int_equal(facts_get(&back, "runtime.go")->type, FACT_NULL);
	assert_false(facts_get(&back, "runtime.ruby.yjit")->b);
	free(json);
	/* List items are escaped too: quotes, backslashes, control bytes. */
	facts_list_add(&f, "cpu.flags", "a\"b\\c\td");
	assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
	assert_int_equal(facts_json_dump(kb, &json, &d), STATUS_OK);
	facts_free(&back);
	assert_int_equal(load_text(json, strlen(json), &back, &d), STATUS_OK);
	assert_true(facts_list_has(&back, "cpu.flags", "a\"b\\c\td"));
	assert_true(facts_list_has(&back, "cpu.flags", "sse2"));
	free(json);
	facts_free(&f);
	facts_free(&back);

	/* Numbers too large for a long long are stored as they are, not
	 * converted (which is undefined), and come back unchanged. */
	static const char large[] = "{\"limits.memlock\": 1e300, \"cpu.family\": 12345678901234567890,"
				    " \"cpu.model\": -9007199254740993, \"cpu.stepping\": 9007199254740992}";
	assert_int_equal(load_text(large, sizeof(large) - 1, &f, &d), STATUS_OK);
	assert_int_equal(kb_set_facts(kb, &f, &d), STATUS_OK);
	assert_int_equal(facts_json_dump(kb, &json, &d), STATUS_OK);
	assert_int_equal(load_text(json, strlen(json), &back, &d), STATUS_OK);
	assert_true(facts_get(&back, "limits.memlock")->num == 1e300);
	/* SQLite writes a real with 15 significant digits. */
	assert_true(fabs(facts_get(&back, "cpu.family")->num - 12345678901234567890.0) < 1e6);
	assert_true(facts_get(&back, "cpu.stepping")->num == 9007199254740992.0);
	assert_true(facts_get(&back, "cpu.model")->num < -9.0e15);
	free(json);
	facts_free(&f);
	facts_free(&back);
	kb_close(kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads), cmocka_unit_test(rejects), cmocka_unit_test(round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
