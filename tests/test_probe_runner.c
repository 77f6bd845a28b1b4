/* test_probe_runner.c - the isolated runner: whatever a probe does, the
 * caller gets a result and no process of the probe is left. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "probes/probe.h"
#include "probes/rng_check.h"
#include "probes/sanitizer.h"


/* Whether pid is gone or a zombie, waiting up to two seconds for init to
 * reap what the runner killed. */
static bool gone(pid_t pid)
{
	for (int i = 0; i < 200; i++) {
		char path[64], buf[512];
		FILE *f;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		if (!(f = fopen(path, "r")))
			return kill(pid, 0) != 0 && errno == ESRCH;
		if (fgets(buf, sizeof(buf), f) && strstr(buf, ") Z "))
			return fclose(f), true;
		fclose(f);
		usleep(10000);
	}
	return false;
}

static enum probe_status body_pass(struct probe_ctx *c)
{
	probe_progress(c, 0.5, "half way");
	probe_count(c, "things", 42);
	probe_count(c, "things", 43); /* counters are updated, not added */
	probe_detail(c, "first line\nwith a newline that must not split the record");
	probe_detail(c, "second line");
	return probe_finish(c, PROBE_PASS, "all good after %d things", 43);
}

static enum probe_status body_segv(struct probe_ctx *c)
{
	probe_count(c, "before", 1);
	raise(SIGSEGV);
	return probe_finish(c, PROBE_PASS, "unreachable");
}

static enum probe_status body_hang(struct probe_ctx *c)
{
	probe_count(c, "pid", (uint64_t)getpid());
	for (;;)
		pause();
	return probe_finish(c, PROBE_PASS, "unreachable");
}

static enum probe_status body_spin(struct probe_ctx *c)
{
	(void)c;
	for (volatile unsigned long i = 0;; i++)
		;
	return PROBE_PASS;
}

static enum probe_status body_helper_hangs(struct probe_ctx *c)
{
	pid_t pid = probe_fork();

	if (pid == 0)
		for (;;)
			pause();
	probe_count(c, "helper", (uint64_t)pid);
	return probe_finish(c, PROBE_PASS, "returned while a helper hangs");
}

/* A plain fork(): this helper does not die with its parent, so only the
 * runner's kill of the process group ends it. */
static enum probe_status body_unguarded_helper(struct probe_ctx *c)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			pause();
	probe_count(c, "helper", (uint64_t)pid);
	return probe_finish(c, PROBE_PASS, "returned while an unguarded helper hangs");
}

static enum probe_status body_no_result(struct probe_ctx *c)
{
	probe_progress(c, 0.1, "starting");
	_exit(7);
}

static enum probe_status body_garbage(struct probe_ctx *c)
{
	static char big[64 * 1024];

	memset(big, 'x', sizeof(big) - 1);
	if (write(c->fd, big, sizeof(big) - 1) < 0) /* no newline for 64 KiB */
		return PROBE_ERROR;
	if (write(c->fd, "\nc bogus\nr nonsense x\nq what\nc n notanumber\n", 44) < 0)
		return PROBE_ERROR;
	probe_count(c, "n", 5);
	return probe_finish(c, PROBE_FAIL, "seen");
}

static enum probe_status body_memory(struct probe_ctx *c)
{
	size_t size = 512u << 20;
	char *p = malloc(size);

	if (!p)
		return probe_finish(c, PROBE_ERROR, "malloc refused %zu MiB", size >> 20);
	memset(p, 1, size);
	return probe_finish(c, PROBE_PASS, "allocated %zu MiB", size >> 20);
}

static enum probe_status body_self_test(struct probe_ctx *c)
{
	return probe_finish(c, c->self_test ? PROBE_FAIL : PROBE_PASS, "self_test=%d", c->self_test);
}

static struct probe_def def(const char *name, enum probe_status (*run)(struct probe_ctx *))
{
	struct probe_def d = {.name = name, .summary = "test", .risk = PROBE_RISK_SAFE, .default_s = 0.2,
			      .grace_s = 1.0, .has_self_test = true, .run = run};
	return d;
}

static void run(const struct probe_def *d, struct probe_result *r)
{
	struct probe_opts o = {0};
	struct diag dg = {""};

	assert_int_equal(probe_run(d, &o, r, &dg), STATUS_OK);
}

static void test_pass_with_records(void **state)
{
	struct probe_def d = def("ok", body_pass);
	struct probe_result r;

	(void)state;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_PASS);
	assert_string_equal(r.probe, "ok");
	assert_string_equal(r.summary, "all good after 43 things");
	assert_int_equal(probe_counter_get(&r, "things"), 43);
	assert_int_equal(r.ncounters, 1);
	assert_string_equal(r.details,
			    "first line with a newline that must not split the record\nsecond line\n");
	assert_true(r.fraction > 0.49 && r.fraction < 0.51);
	assert_true(r.duration_s < 1.0);
}

static void test_crash_becomes_result(void **state)
{
	struct probe_def d = def("crash", body_segv);
	struct probe_result r;

	(void)state;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_CRASHED);
	assert_non_null(strstr(r.summary, "crashed with SIGSEGV"));
	assert_int_equal(probe_counter_get(&r, "before"), 1); /* what came before is kept */
}

static void test_hang_times_out_and_is_killed(void **state)
{
	struct probe_def d = def("hang", body_hang);
	struct probe_result r;

	(void)state;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_TIMEOUT);
	assert_string_equal(r.summary, "timed out after 1 s");
	assert_true(r.duration_s >= 1.1 && r.duration_s < 3);
	assert_true(probe_counter_get(&r, "pid") > 1);
	assert_true(gone((pid_t)probe_counter_get(&r, "pid")));
}

static void test_cpu_limit(void **state)
{
	struct probe_def d = def("spin", body_spin);
	struct probe_result r;

	(void)state;
	d.cpu_limit_s = 1;
	d.grace_s = 10;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_CRASHED);
	assert_non_null(strstr(r.summary, "CPU time limit (1 s)"));
	assert_true(r.duration_s < 5);
}

static void test_helper_is_killed_with_the_probe(void **state)
{
	struct probe_def d = def("helper", body_helper_hangs);
	struct probe_result r;

	(void)state;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_PASS);
	assert_true(probe_counter_get(&r, "helper") > 1);
	assert_true(gone((pid_t)probe_counter_get(&r, "helper")));
	assert_true(r.duration_s < 1.0);
}

/* A helper that escaped PDEATHSIG (a plain fork): the runner returns when
 * the child ends, and its group kill ends the helper. */
static void test_unguarded_helper_is_killed(void **state)
{
	struct probe_def d = def("unguarded", body_unguarded_helper);
	struct probe_result r;

	(void)state;
	d.grace_s = 30;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_PASS);
	assert_true(r.duration_s < 5);
	assert_true(gone((pid_t)probe_counter_get(&r, "helper")));
}

static void test_exit_without_result(void **state)
{
	struct probe_def d = def("quiet", body_no_result);
	struct probe_result r;

	(void)state;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_ERROR);
	assert_string_equal(r.summary, "exited with status 7 without a result");
}

static void test_garbage_records_are_dropped(void **state)
{
	struct probe_def d = def("garbage", body_garbage);
	struct probe_result r;

	(void)state;
	run(&d, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_string_equal(r.summary, "seen");
	assert_int_equal(probe_counter_get(&r, "n"), 5);
	assert_int_equal(r.ncounters, 1);
}

static volatile sig_atomic_t cancel_flag;

static void cancel_on_progress(void *arg, const struct probe_result *r, const char *msg)
{
	(void)arg, (void)r, (void)msg;
	cancel_flag = 1;
}

static enum probe_status body_progress_then_hang(struct probe_ctx *c)
{
	probe_progress(c, 0.1, "started");
	for (;;)
		pause();
	return PROBE_PASS;
}

static void test_cancel(void **state)
{
	struct probe_def d = def("cancel", body_progress_then_hang);
	struct probe_opts o = {.on_progress = cancel_on_progress, .cancel = &cancel_flag};
	struct probe_result r;
	struct diag dg = {""};

	(void)state;
	d.grace_s = 30;
	cancel_flag = 0;
	assert_int_equal(probe_run(&d, &o, &r, &dg), STATUS_OK);
	assert_int_equal(r.status, PROBE_ERROR);
	assert_non_null(strstr(r.summary, "cancelled after"));
	assert_true(r.duration_s < 2);
}

static void test_self_test_flag_and_refusal(void **state)
{
	struct probe_def d = def("st", body_self_test);
	struct probe_opts o = {.self_test = true};
	struct probe_result r;
	struct diag dg = {""};

	(void)state;
	assert_int_equal(probe_run(&d, &o, &r, &dg), STATUS_OK);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_true(r.self_test);
	d.has_self_test = false;
	assert_int_equal(probe_run(&d, &o, &r, &dg), STATUS_OK);
	assert_int_equal(r.status, PROBE_ERROR);
	assert_string_equal(r.summary, "st has no self-test");
}

/* ASan reserves terabytes of address space, so the runner sets no
 * address-space limit under it; the plain build checks the limit. */
static void test_address_space_limit(void **state)
{
	struct probe_def d = def("memory", body_memory);
	struct probe_result r;

	(void)state;
	d.as_limit_mb = 256;
	d.grace_s = 20; /* touching 512 MiB under ASan on a loaded machine */
	run(&d, &r);
#ifdef QUIRK_UNDER_ASAN
	assert_int_equal(r.status, PROBE_PASS);
#else
	assert_int_equal(r.status, PROBE_ERROR);
	assert_string_equal(r.summary, "malloc refused 512 MiB");
#endif
}

/* The judge of hardware RNG output, on series built here. */
static enum rng_verdict judge_series(unsigned width, uint64_t n, uint64_t (*value)(uint64_t i),
				     bool (*ok)(uint64_t i), char *why, size_t why_n)
{
	struct rng_series s;
	uint64_t x = 0x243f6a8885a308d3ull;

	rng_series_init(&s, "test", width);
	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		rng_series_add(&s, ok ? ok(i) : true, value ? value(i) : x);
	}
	return rng_series_judge(&s, why, why_n);
}

static uint64_t v_const(uint64_t i) { (void)i; return 0x1234; }
static uint64_t v_ones(uint64_t i) { (void)i; return UINT64_MAX; }
static uint64_t v_zero(uint64_t i) { (void)i; return 0; }
/* Varied, but 0 in one draw of eight: the AMD-SB-7055 pattern. */
static uint64_t v_often_zero(uint64_t i) { return i % 8 ? i * 0x9e3779b97f4a7c15ull + 1 : 0; }
/* Varied, 0 twice in 100000 16-bit draws: what chance gives (1.5). */
static uint64_t v_chance_zero(uint64_t i) { return i == 10 || i == 500 ? 0 : (i * 2654435761u) | 1; }
static bool never(uint64_t i) { (void)i; return false; }
static bool once(uint64_t i) { return i == 0; }

static void test_rng_judge(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(judge_series(64, 1000, NULL, NULL, why, sizeof(why)), RNG_OK);
	assert_int_equal(judge_series(16, 100000, NULL, NULL, why, sizeof(why)), RNG_OK);
	assert_int_equal(judge_series(16, 100000, v_chance_zero, NULL, why, sizeof(why)), RNG_OK);
	assert_int_equal(judge_series(32, 1000, v_const, NULL, why, sizeof(why)), RNG_CONSTANT);
	assert_string_equal(why, "test: always 0x1234 with CF=1 (1000 draws)");
	assert_int_equal(judge_series(32, 1000, v_ones, NULL, why, sizeof(why)), RNG_CONSTANT);
	assert_string_equal(why, "test: all ones (0xffffffff) with CF=1 in all 1000 draws");
	assert_int_equal(judge_series(16, 1000, v_zero, NULL, why, sizeof(why)), RNG_CONSTANT);
	assert_int_equal(judge_series(32, 1000, v_often_zero, NULL, why, sizeof(why)), RNG_EXCESS_ZEROS);
	assert_non_null(strstr(why, "0 with CF=1 in 125 of 1000 draws"));
	assert_int_equal(judge_series(16, 1000, v_often_zero, NULL, why, sizeof(why)), RNG_EXCESS_ZEROS);
	assert_int_equal(judge_series(64, 1000, NULL, never, why, sizeof(why)), RNG_NEVER_OK);
	assert_string_equal(why, "test: never succeeded (CF=0 in all 1000 draws, each retried)");
	assert_int_equal(judge_series(64, 1000, NULL, once, why, sizeof(why)), RNG_TOO_FEW);
	assert_int_equal(judge_series(64, RNG_MIN_DRAWS - 1, NULL, NULL, why, sizeof(why)), RNG_TOO_FEW);
}

/* A built-in probe run here, with QUIRK_PROBE_INJECT set to inject (or
 * unset) for its child. */
static void run_builtin(const char *name, const char *inject, bool self_test, struct probe_result *r)
{
	const struct probe_def *d = probe_find(name);
	struct probe_opts o = {.self_test = self_test};
	struct diag dg = {""};

	assert_non_null(d);
	if (inject)
		setenv("QUIRK_PROBE_INJECT", inject, 1);
	assert_int_equal(probe_run(d, &o, r, &dg), STATUS_OK);
	unsetenv("QUIRK_PROBE_INJECT");
}

/* Whether /proc/cpuinfo lists flag, as this test's own judgement. */
static bool cpu_flag(const char *flag)
{
	char line[8192], word[64];
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;

	snprintf(word, sizeof(word), " %s ", flag);
	while (f && !found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = ' ';
		found = !strncmp(line, "flags", 5) && strstr(line, word);
	}
	if (f)
		fclose(f);
	return found;
}

static void test_rdrand_live(void **state)
{
	struct probe_result r;

	(void)state;
	run_builtin("rdrand", NULL, false, &r);
#if defined(__x86_64__) && defined(__linux__)
	if (cpu_flag("rdrand") && cpu_flag("rdseed")) {
		assert_int_equal(r.status, PROBE_PASS);
		assert_int_equal(probe_counter_get(&r, "forms"), 6);
		assert_true(probe_counter_get(&r, "draws") >= 6 * RNG_MIN_DRAWS);
		assert_non_null(strstr(r.details, "RDSEED 16-bit: "));
		return;
	}
#endif
	assert_int_equal(r.status, PROBE_NOT_APPLICABLE);
}

/* Each broken source goes through the same sampling and judging. */
static void test_rdrand_self_test(void **state)
{
	struct probe_result r;

	(void)state;
	run_builtin("rdrand", NULL, true, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_true(r.self_test);
	assert_non_null(strstr(r.summary, "self-test: RDRAND 16-bit: always 0xcdef with CF=1 ("));
	assert_non_null(strstr(r.summary, "(and more, see details)"));
	assert_int_equal(probe_counter_get(&r, "broken_forms"), 6);
	run_builtin("rdrand", "detect:ones", false, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_non_null(strstr(r.summary, "RDRAND 16-bit: all ones (0xffff) with CF=1"));
	/* Zen 5: only the 16- and 32-bit RDSEED forms are broken. */
	run_builtin("rdrand", "detect:zero", false, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_int_equal(probe_counter_get(&r, "broken_forms"), 2);
	assert_non_null(strstr(r.summary, "RDSEED 16-bit: 0 with CF=1 in"));
	assert_non_null(strstr(r.details, "RDSEED 32-bit: 0 with CF=1 in"));
	run_builtin("rdrand", "detect:cf0", false, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_non_null(strstr(r.summary, "never succeeded"));
	/* A healthy source is not called broken. */
	run_builtin("rdrand", "detect:healthy", false, &r);
	assert_int_equal(r.status, PROBE_PASS);
	run_builtin("rdrand", "detect:nonsense", false, &r);
	assert_int_equal(r.status, PROBE_ERROR);
}

static void test_clone3(void **state)
{
	struct probe_result r;

	(void)state;
	run_builtin("clone3", NULL, false, &r);
#ifdef __linux__
	/* quirk's tests run where threads start: no EPERM filter here. */
	assert_int_equal(r.status, PROBE_PASS);
	assert_true(strstr(r.summary, "got EINVAL") || strstr(r.summary, "answers ENOSYS"));
	/* A real seccomp filter in the helper: EPERM fails, ENOSYS passes,
	 * a kill is a fail too. */
	run_builtin("clone3", NULL, true, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_non_null(strstr(r.summary, "self-test: clone3 is refused with EPERM"));
	assert_non_null(strstr(r.details, "clone3(NULL, 0) = -1, errno EPERM"));
	run_builtin("clone3", "detect:enosys", false, &r);
	assert_int_equal(r.status, PROBE_PASS);
	assert_non_null(strstr(r.summary, "answers ENOSYS"));
	run_builtin("clone3", "detect:sigsys", false, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_non_null(strstr(r.summary, "kills the caller with SIGSYS"));
#else
	assert_int_equal(r.status, PROBE_NOT_APPLICABLE);
#endif
}

/* [vsyscall]'s permissions in this process's maps: "" if none. */
static void vsyscall_perms(char perms[5])
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[vsyscall]"))
			snprintf(perms, 5, "%.4s", strchr(line, ' ') + 1);
	if (f)
		fclose(f);
}

static void test_vsyscall(void **state)
{
	struct probe_result r;
	char perms[5];

	(void)state;
	vsyscall_perms(perms);
	run_builtin("vsyscall", NULL, false, &r);
#if defined(__x86_64__) && defined(__linux__)
	if (!strcmp(perms, "--xp")) {
		assert_int_equal(r.status, PROBE_PASS);
		assert_string_equal(r.summary, "legacy vsyscalls work (vsyscall=xonly: executable, not readable)");
	} else if (!strcmp(perms, "r-xp")) {
		assert_int_equal(r.status, PROBE_PASS);
		assert_non_null(strstr(r.summary, "vsyscall=emulate"));
	} else {
		assert_int_equal(r.status, PROBE_FAIL);
	}
	/* The same call through a just-unmapped page: caught, not a crash. */
	run_builtin("vsyscall", NULL, true, &r);
	assert_int_equal(r.status, PROBE_FAIL);
	assert_non_null(strstr(r.summary, "self-test: calling the vsyscall page crashes (SIGSEGV)"));
	assert_non_null(strstr(r.details, ": SIGSEGV (fault address 0x"));
#else
	(void)perms;
	assert_int_equal(r.status, PROBE_NOT_APPLICABLE);
#endif
}

static void test_status_names(void **state)
{
	enum probe_status st;

	(void)state;
	assert_string_equal(probe_status_name(PROBE_NOT_APPLICABLE), "not_applicable");
	assert_null(probe_status_name((enum probe_status)99));
	assert_true(probe_status_parse("timeout", &st));
	assert_int_equal(st, PROBE_TIMEOUT);
	assert_false(probe_status_parse("passed", &st));
	assert_non_null(probe_find("ymm-signal"));
	assert_non_null(probe_find("rdrand"));
	assert_string_equal(probe_find("rdrand")->detects[2], "amd-zen5-rdseed-zero");
	assert_int_equal(probe_find("clone3")->risk, PROBE_RISK_SAFE);
	assert_null(probe_find("nope"));
	for (size_t i = 0; probe_at(i); i++)
		assert_ptr_equal(probe_find(probe_at(i)->name), probe_at(i));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass_with_records),
		cmocka_unit_test(test_crash_becomes_result),
		cmocka_unit_test(test_hang_times_out_and_is_killed),
		cmocka_unit_test(test_cpu_limit),
		cmocka_unit_test(test_helper_is_killed_with_the_probe),
		cmocka_unit_test(test_unguarded_helper_is_killed),
		cmocka_unit_test(test_exit_without_result),
		cmocka_unit_test(test_garbage_records_are_dropped),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_self_test_flag_and_refusal),
		cmocka_unit_test(test_address_space_limit),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_rng_judge),
		cmocka_unit_test(test_rdrand_live),
		cmocka_unit_test(test_rdrand_self_test),
		cmocka_unit_test(test_clone3),
		cmocka_unit_test(test_vsyscall),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
