/* test_tools_parse.c - version output of real tools, and the parallel
 * runner with its cache against programs on a PATH made for the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "probes/tools.h"

static void outputs(void **state)
{
	static const struct {
		const char *prog, *out, *key, *want;
	} rows[] = {
		{"cc", "cc (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n",
		 "compiler.cc", "12.2.0"},
		{"cc", "cc (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n",
		 "compiler.cc.name", "gcc"},
		{"gcc", "gcc (GCC) 9.3.1 20200408 (Red Hat 9.3.1-2)\nCopyright (C) 2019 Free Software Foundation, Inc.\n",
		 "compiler.gcc", "9.3.1"},
		{"clang", "Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu\nThread model: posix\n",
		 "compiler.clang", "14.0.6"},
		{"cc", "Apple clang version 15.0.0 (clang-1500.3.9.4)\nTarget: arm64-apple-darwin23.4.0\n",
		 "compiler.cc.name", "clang"},
		{"go", "go version go1.22.1 linux/amd64\n", "runtime.go", "go1.22.1"},
		{"ruby", "3.3.0 yjit", "runtime.ruby", "3.3.0"},
		{"erl", "26.2.1\n", "runtime.erlang", "26.2.1"},
		{"java", "openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n",
		 "runtime.java", "17.0.15"},
		{"java", "java version \"1.8.0_292\"\n", "runtime.java", "1.8.0_292"},
		{"node", "v20.20.2\n", "runtime.node", "20.20.2"},
		{"spin", "spin 2.5.1 (cba6773 2024-05-14)\n", "tool.spin", "2.5.1"},
		{"wasmtime", "wasmtime-cli 0.40.0\n", "tool.wasmtime", "0.40.0"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		facts_init(&f);
		if (!tools_parse(rows[i].prog, rows[i].out, &f))
			fail_msg("%s: not recognised", rows[i].prog);
		if (!facts_str(&f, rows[i].key) || strcmp(facts_str(&f, rows[i].key), rows[i].want))
			fail_msg("%s: %s = %s, want %s", rows[i].prog, rows[i].key, facts_str(&f, rows[i].key), rows[i].want);
		facts_free(&f);
	}
	struct facts f;
	facts_init(&f);
	/* macOS's gcc is clang: there is no GCC then. */
	assert_true(tools_parse("gcc", "Apple clang version 15.0.0 (clang-1500.3.9.4)\n", &f));
	assert_int_equal(facts_get(&f, "compiler.gcc")->type, FACT_NULL);
	assert_true(tools_parse("ruby", "3.3.0", &f));
	assert_false(facts_get(&f, "runtime.ruby.yjit")->b);
	assert_false(tools_parse("go", "command not found", &f));
	assert_false(tools_parse("java", "Error: could not find libjava.so", &f));
	facts_free(&f);
}

/* A fake `node` on a private PATH: real process, real pipe, real cache. */
static void runner_and_cache(void **state)
{
	char dir[] = "/tmp/quirk-tools-XXXXXX", path[4200], cache[4200], log[4200];
	struct host_ctx ctx = {0};
	struct facts f;
	FILE *s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/node", dir);
	snprintf(log, sizeof(log), "%s/runs", dir);
	s = fopen(path, "w");
	fprintf(s, "#!/bin/sh\necho run >> %s\necho v18.19.0\n", log);
	fclose(s);
	chmod(path, 0755);
	snprintf(cache, sizeof(cache), "%s", dir);
	ctx.path = dir;
	ctx.cache_dir = cache;
	for (int round = 0; round < 2; round++) {
		facts_init(&f);
		assert_int_equal(tools_collect(&ctx, &f), STATUS_OK);
		assert_string_equal(facts_str(&f, "runtime.node"), "18.19.0");
		/* Not on this PATH: checked and absent. */
		assert_int_equal(facts_get(&f, "runtime.go")->type, FACT_NULL);
		assert_int_equal(facts_get(&f, "compiler.cc")->type, FACT_NULL);
		facts_free(&f);
	}
	/* The second round came from the cache: node ran once. */
	char *runs = NULL;
	assert_int_equal(fileio_read(log, 4096, &runs, NULL, NULL), STATUS_OK);
	assert_string_equal(runs, "run\n");
	free(runs);
	char cmd[9000];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outputs), cmocka_unit_test(runner_and_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
