/* test_tools_parse.c - version output of real tools, and the parallel
 * runner with its cache against programs on a PATH made for the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "probes/host.h"
#include "probes/tools.h"

/* Real outputs quoted from upstream (sources in tests/fixtures/SOURCES.md). */
#define OPENJ9_11                                                                                      \
	"openjdk version \"11.0.17\" 2022-10-18\n"                                                     \
	"IBM Semeru Runtime Open Edition 11.0.17.0 (build 11.0.17+8)\n"                                 \
	"Eclipse OpenJ9 VM 11.0.17.0 (build openj9-0.35.0, JRE 11 Linux amd64-64-Bit Compressed "      \
	"References 20221031_559 (JIT enabled, AOT enabled)\n"                                          \
	"OpenJ9   - e04a7f6c1\nOMR      - 85a21674f\nJCL      - a94c231303 based on jdk-11.0.17+8)\n"
#define HOTSPOT_17                                                                                     \
	"openjdk version \"17.0.15\" 2025-04-15\n"                                                     \
	"OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n"                               \
	"OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)\n"
#define MONGOD_7                                                                                       \
	"db version v7.0.12\nBuild Info: {\n    \"version\": \"7.0.12\",\n"                          \
	"    \"gitVersion\": \"b6513ce0781db6818e24619e8a461eae90bc94fc\",\n}\n"
#define LDD_DEBIAN                                                                                     \
	"ldd (Debian GLIBC 2.36-9+deb12u14) 2.36\n"                                                     \
	"Copyright (C) 2022 Free Software Foundation, Inc.\n"
#define MUSL_124                                                                                       \
	"musl libc (aarch64)\nVersion 1.2.4\nDynamic Program Loader\n"                                \
	"Usage: /lib/ld-musl-aarch64.so.1 [options] [--] pathname\n"

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
		{"erl", "jit 26.2.1\n", "runtime.erlang", "26.2.1"},
		{"erl", "none 23.3.4.20\n", "runtime.erlang", "23.3.4.20"},
		{"java", "openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n",
		 "runtime.java", "17.0.15"},
		{"java", "java version \"1.8.0_292\"\n", "runtime.java", "1.8.0_292"},
		{"node", "v20.20.2\n", "runtime.node", "20.20.2"},
		{"spin", "spin 2.5.1 (cba6773 2024-05-14)\n", "tool.spin", "2.5.1"},
		{"wasmtime", "wasmtime-cli 0.40.0\n", "tool.wasmtime", "0.40.0"},
		/* https://github.com/eclipse-openj9/openj9/issues/16930 */
		{"java", OPENJ9_11, "runtime.java", "11.0.17"},
		/* docker/cli docs/reference/commandline/version.md; the
		 * components as the daemon names them there. */
		{"docker", "28.5.1|Engine|containerd|runc|docker-init\n", "tool.docker.server", "28.5.1"},
		/* criu/config.c at v3.16.1: "Version: %s\n", "GitID: %s\n" */
		{"criu", "Version: 3.16.1\n", "tool.criu", "3.16.1"},
		{"mongod", MONGOD_7, "tool.mongod", "7.0.12"},
		{"ldd", LDD_DEBIAN, "libc.version", "2.36"},
		{"ldd", MUSL_124, "libc.name", "musl"},
		{"ldd", MUSL_124, "libc.version", "1.2.4"},
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

/* The flags beside the versions: what each output says, and what it
 * leaves unknown. */
static void flags(void **state)
{
	struct facts f;

	(void)state;
	facts_init(&f);
	assert_true(tools_parse("java", OPENJ9_11, &f));
	assert_true(facts_get(&f, "runtime.java.openj9")->b);
	assert_true(tools_parse("java", HOTSPOT_17, &f));
	assert_int_equal(facts_get(&f, "runtime.java.openj9")->type, FACT_BOOL);
	assert_false(facts_get(&f, "runtime.java.openj9")->b);
	facts_free(&f);
	/* Only a version line names no VM: unknown. */
	facts_init(&f);
	assert_true(tools_parse("java", "java version \"1.8.0_292\"\n", &f));
	assert_null(facts_get(&f, "runtime.java.openj9"));
	facts_free(&f);

	facts_init(&f);
	assert_true(tools_parse("erl", "jit 26.2.1\n", &f));
	assert_true(facts_get(&f, "runtime.erlang.jit")->b);
	assert_true(tools_parse("erl", "emu 25.2.3\n", &f));
	assert_int_equal(facts_get(&f, "runtime.erlang.jit")->type, FACT_BOOL);
	assert_false(facts_get(&f, "runtime.erlang.jit")->b);
	facts_free(&f);
	/* No emu_flavor before OTP 24, nor a JIT. */
	facts_init(&f);
	assert_true(tools_parse("erl", "none 23.3.4.20\n", &f));
	assert_false(facts_get(&f, "runtime.erlang.jit")->b);
	facts_free(&f);
	/* A 24 without the call cannot be: say nothing. */
	facts_init(&f);
	assert_true(tools_parse("erl", "none 24.0\n", &f));
	assert_null(facts_get(&f, "runtime.erlang.jit"));
	assert_false(tools_parse("erl", "26.2.1\n", &f));
	facts_free(&f);
}

/* What docker prints when the daemon does not answer, or when Podman
 * answers in its place. */
static void docker_daemon(void **state)
{
	struct facts f;

	(void)state;
	facts_init(&f);
	/* The CLI prints the empty template, then the error (docker 28.2.2 here). */
	assert_false(tools_parse("docker", "\nCannot connect to the Docker daemon at "
				 "unix:///var/run/docker.sock. Is the docker daemon running?\n", &f));
	assert_false(tools_parse("docker", "Cannot connect to the Docker daemon at "
				 "unix:///var/run/docker.sock. Is the docker daemon running?\n\n", &f));
	/* Podman's compat API names its component "Podman Engine" (podman
	 * pkg/api/handlers/compat/version.go); the CLI adds "Engine". */
	assert_false(tools_parse("docker", "4.3.1|Podman Engine|Engine\n", &f));
	assert_null(facts_get(&f, "tool.docker.server"));
	/* A warning on stderr before the answer. */
	assert_true(tools_parse("docker", "WARNING: Error loading config file: x\n20.10.24+dfsg1|Engine\n", &f));
	assert_string_equal(facts_str(&f, "tool.docker.server"), "20.10.24+dfsg1");
	facts_free(&f);
}

/* libc.name and libc.version from each way a C library names itself. */
static void libc_texts(void **state)
{
	static const struct {
		const char *text, *name, *version;
	} rows[] = {
		/* confstr(_CS_GNU_LIBC_VERSION), glibc posix/confstr.c */
		{"glibc 2.36", "glibc", "2.36"},
		{LDD_DEBIAN, "glibc", "2.36"},
		/* https://github.com/wazuh/wazuh-packages/issues/2154 (Fedora 22) */
		{"ldd (GNU libc) 2.21\nCopyright (C) 2015 Free Software Foundation, Inc.\n", "glibc", "2.21"},
		/* https://github.com/zbirenbaum/copilot.lua/pull/738 (Gentoo) */
		{"ldd (Gentoo 2.43-r2 (patchset 3)) 2.43\nCopyright (C) 2024 Free Software Foundation, Inc.\n",
		 "glibc", "2.43"},
		{MUSL_124, "musl", "1.2.4"},
		/* https://github.com/ihmily/streamget/issues/16 */
		{"musl libc (x86_64)\nVersion 1.2.5\nDynamic Program Loader\n"
		 "Usage: /lib/ld-musl-x86_64.so.1 [options] [--] pathname\n", "musl", "1.2.5"},
		/* https://github.com/scoutapp/scout_apm_elixir/issues/99 (Alpine 3.10) */
		{"/lib/ld-musl-x86_64.so.1: cannot load --version: No such file or directory\n", "musl", NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		facts_init(&f);
		if (!tools_parse_libc(rows[i].text, &f))
			fail_msg("row %zu: not recognised", i);
		assert_string_equal(facts_str(&f, "libc.name"), rows[i].name);
		if (rows[i].version)
			assert_string_equal(facts_str(&f, "libc.version"), rows[i].version);
		else
			assert_null(facts_get(&f, "libc.version"));
		facts_free(&f);
	}
	struct facts f;
	facts_init(&f);
	/* ldd of another kind (uClibc's is a script without --version). */
	assert_false(tools_parse_libc("ldd: missing file arguments\n", &f));
	assert_false(tools_parse_libc("", &f));
	assert_null(facts_get(&f, "libc.name"));
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

static void write_script(const char *dir, const char *name, const char *body)
{
	char path[4200];
	FILE *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = fopen(path, "w");
	assert_non_null(s);
	fprintf(s, "#!/bin/sh\n%s", body);
	fclose(s);
	assert_int_equal(chmod(path, 0755), 0);
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* docker answers for the daemon: asked every time, never cached, and
 * given up on at its own deadline. ldd is not asked when the C library is
 * already known. */
static void runner_uncached_and_deadline(void **state)
{
	char dir[] = "/tmp/quirk-tools-XXXXXX", body[8400], log[4200], cmd[9000];
	struct host_ctx ctx = {0};
	struct facts f;
	char *runs = NULL;
	long long t0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/runs", dir);
	snprintf(body, sizeof(body), "echo docker >> %s\necho '24.0.7|Engine|containerd'\n", log);
	write_script(dir, "docker", body);
	snprintf(body, sizeof(body), "echo ldd >> %s\necho 'musl libc (x86_64)'\necho 'Version 1.2.4'\n", log);
	write_script(dir, "ldd", body);
	ctx.path = dir;
	ctx.cache_dir = dir;
	/* Without a socket, DOCKER_HOST or a context nothing can answer: the
	 * CLI is not run and the fact stays unknown (not null: docker is
	 * there). Where this machine has the engine's socket, it is asked. */
	unsetenv("DOCKER_HOST");
	unsetenv("DOCKER_CONTEXT");
	setenv("HOME", dir, 1);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	facts_init(&f);
	assert_int_equal(facts_set_str(&f, "libc.name", "glibc"), STATUS_OK);
	assert_int_equal(tools_collect(&ctx, &f), STATUS_OK);
	if (access("/var/run/docker.sock", F_OK) == 0) {
		assert_string_equal(facts_str(&f, "tool.docker.server"), "24.0.7");
		unlink(log);
	} else {
		assert_null(facts_get(&f, "tool.docker.server"));
		assert_int_equal(access(log, F_OK), -1);
	}
	facts_free(&f);
	setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock", 1);
	for (int round = 0; round < 2; round++) {
		facts_init(&f);
		assert_int_equal(facts_set_str(&f, "libc.name", "glibc"), STATUS_OK);
		assert_int_equal(tools_collect(&ctx, &f), STATUS_OK);
		assert_string_equal(facts_str(&f, "tool.docker.server"), "24.0.7");
		assert_string_equal(facts_str(&f, "libc.name"), "glibc");
		assert_null(facts_get(&f, "libc.version"));
		facts_free(&f);
	}
	assert_int_equal(fileio_read(log, 4096, &runs, NULL, NULL), STATUS_OK);
	assert_string_equal(runs, "docker\ndocker\n");
	free(runs);

	/* Nothing knew the C library: ldd tells. */
	facts_init(&f);
	assert_int_equal(tools_collect(&ctx, &f), STATUS_OK);
	assert_string_equal(facts_str(&f, "libc.name"), "musl");
	assert_string_equal(facts_str(&f, "libc.version"), "1.2.4");
	facts_free(&f);

	/* A daemon that never answers: killed at docker's deadline (3 s),
	 * before the 5 s the other tools get; the fact stays unknown. */
	write_script(dir, "docker", "exec sleep 30\n");
	facts_init(&f);
	t0 = ms_now();
	assert_int_equal(tools_collect(&ctx, &f), STATUS_OK);
	assert_true(ms_now() - t0 >= 2900);
	assert_true(ms_now() - t0 < 4500);
	assert_null(facts_get(&f, "tool.docker.server"));
	facts_free(&f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* On this host: what quirk's own C library says agrees with what the
 * host's ldd says, and a musl host leaves the answer to ldd. */
static void libc_live(void **state)
{
	char dir[] = "/tmp/quirk-ldd-XXXXXX", ldd[4200], link[4200], cmd[9000];
	struct host_ctx live = {.live = true}, tools = {0};
	struct facts own, told;
	struct stat sb;

	(void)state;
	facts_init(&own);
	facts_init(&told);
	assert_int_equal(host_libc_collect(&live, &own), STATUS_OK);
	if (!tools_find(getenv("PATH"), "ldd", ldd, sizeof(ldd), &sb)) {
		/* macOS: no ldd, and neither glibc nor musl. */
		assert_int_equal(facts_get(&own, "libc.name")->type, FACT_NULL);
		facts_free(&own);
		facts_free(&told);
		return;
	}
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/ldd", dir);
	assert_int_equal(symlink(ldd, link), 0);
	tools.path = dir;
	assert_int_equal(tools_collect(&tools, &told), STATUS_OK);
	assert_non_null(facts_str(&told, "libc.name"));
	if (!strcmp(facts_str(&told, "libc.name"), "glibc")) {
		assert_string_equal(facts_str(&own, "libc.name"), "glibc");
		assert_string_equal(facts_str(&own, "libc.version"), facts_str(&told, "libc.version"));
	} else {
		assert_null(facts_get(&own, "libc.name"));
	}
	facts_free(&own);
	facts_free(&told);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outputs),         cmocka_unit_test(flags),
		cmocka_unit_test(docker_daemon),   cmocka_unit_test(libc_texts),
		cmocka_unit_test(runner_and_cache), cmocka_unit_test(runner_uncached_and_deadline),
		cmocka_unit_test(libc_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
