/* probe_rdrand.c - the rdrand probe: do RDRAND and RDSEED give random
 * output? Each of the six forms (16-, 32- and 64-bit registers) is drawn
 * for a share of the duration and judged by rng_check.c, which names the
 * published failures (all ones, always 0, 0 far too often, never CF=1).
 *
 * The instructions run only where CPUID offers them: Linux clears the
 * RDRAND bit on AMD family 15h/16h on purpose (c49a0a80137c), and code
 * that asks CPUID then does not use it. The self-test swaps the hardware
 * for a broken source and runs the same sampling and judging code. */
#include "probe_impl.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "rng_check.h"

#if defined(__x86_64__) && QUIRK_HAVE_X86_RDRAND
#include <cpuid.h>
#define HAVE_HW 1
#else
#define HAVE_HW 0
#endif

/* Intel's DRNG software implementation guide: retry RDRAND up to 10
 * times; RDSEED may fail for longer under load, so retry it more, with a
 * pause between tries. */
#define RDRAND_RETRIES 10
#define RDSEED_RETRIES 100
#define MAX_DRAWS (1u << 20)

struct form {
	const char *name;
	bool seed;
	unsigned width;
};

static const struct form forms[] = {
	{"RDRAND 16-bit", false, 16}, {"RDRAND 32-bit", false, 32}, {"RDRAND 64-bit", false, 64},
	{"RDSEED 16-bit", true, 16},  {"RDSEED 32-bit", true, 32},  {"RDSEED 64-bit", true, 64},
};
#define NFORMS (sizeof(forms) / sizeof(forms[0]))

/* One draw, retries included: the carry flag and the value. */
typedef bool (*draw_fn)(const struct form *f, uint64_t *value);

#if HAVE_HW
#define STEP(insn, var, ok) __asm__ volatile(insn " %0; setc %1" : "=r"(var), "=qm"(ok) : : "cc")

static bool hw_once(const struct form *f, uint64_t *value)
{
	unsigned char ok = 0;

	if (f->width == 16) {
		uint16_t v;
		if (f->seed)
			STEP("rdseed", v, ok);
		else
			STEP("rdrand", v, ok);
		*value = v;
	} else if (f->width == 32) {
		uint32_t v;
		if (f->seed)
			STEP("rdseed", v, ok);
		else
			STEP("rdrand", v, ok);
		*value = v;
	} else {
		uint64_t v;
		if (f->seed)
			STEP("rdseed", v, ok);
		else
			STEP("rdrand", v, ok);
		*value = v;
	}
	return ok != 0;
}

static bool hw_draw(const struct form *f, uint64_t *value)
{
	int tries = 1 + (f->seed ? RDSEED_RETRIES : RDRAND_RETRIES);

	for (int i = 0; i < tries; i++) {
		if (hw_once(f, value))
			return true;
		if (f->seed)
			__builtin_ia32_pause();
	}
	return false;
}

/* Whether CPUID offers the instructions: leaf 1 ECX bit 30 (RDRAND) and
 * leaf 7 EBX bit 18 (RDSEED). */
static void hw_offers(bool *rdrand, bool *rdseed)
{
	unsigned a, b, c, d;

	*rdrand = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 30));
	*rdseed = __get_cpuid_max(0, NULL) >= 7 && __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
		  (b & (1u << 18));
}
#endif

/* The self-test's sources: a healthy generator (xorshift64) that the
 * faults break the way the published bugs do. */
static uint64_t xorshift_state = 0x9e3779b97f4a7c15ull;

static uint64_t xorshift(void)
{
	xorshift_state ^= xorshift_state << 13;
	xorshift_state ^= xorshift_state >> 7;
	xorshift_state ^= xorshift_state << 17;
	return xorshift_state;
}

static bool fake_healthy(const struct form *f, uint64_t *value)
{
	(void)f;
	*value = xorshift();
	return true;
}

static bool fake_constant(const struct form *f, uint64_t *value)
{
	(void)f;
	*value = 0x0123456789abcdefull;
	return true;
}

static bool fake_ones(const struct form *f, uint64_t *value)
{
	(void)f;
	*value = UINT64_MAX;
	return true;
}

/* AMD-SB-7055: the 16- and 32-bit RDSEED forms often give 0 with CF=1. */
static bool fake_zen5(const struct form *f, uint64_t *value)
{
	static unsigned n;

	*value = f->seed && f->width < 64 && n++ % 4 == 0 ? 0 : xorshift();
	return true;
}

static bool fake_cf0(const struct form *f, uint64_t *value)
{
	(void)f;
	*value = 0;
	return false;
}

static const struct {
	const char *name;
	draw_fn draw;
} faults[] = {
	{"constant", fake_constant}, {"ones", fake_ones},     {"zero", fake_zen5},
	{"cf0", fake_cf0},           {"healthy", fake_healthy},
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Draws from form i for its share of the duration, at least
 * RNG_MIN_DRAWS times. */
static void sample(struct probe_ctx *c, draw_fn draw, size_t i, size_t n, struct rng_series *s)
{
	double until = now() + c->duration_s / (double)n;

	rng_series_init(s, forms[i].name, forms[i].width);
	for (unsigned k = 0; k < MAX_DRAWS; k++) {
		uint64_t v = 0;
		bool ok = draw(&forms[i], &v);
		rng_series_add(s, ok, v);
		if (k % 64 == 63 && k >= RNG_MIN_DRAWS && now() >= until)
			break;
	}
	probe_progress(c, (double)(i + 1) / (double)n, "%s", forms[i].name);
}

enum probe_status probe_rdrand(struct probe_ctx *c)
{
	draw_fn draw = NULL;
	bool rdrand = true, rdseed = true;
	struct rng_series s[NFORMS];
	size_t n = 0, bad = 0, unsure = 0;
	char why[256], first_bad[256] = "";
	uint64_t draws = 0;

	if (c->self_test) {
		const char *want = c->fault ? c->fault : "constant";
		for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
			if (!strcmp(faults[i].name, want))
				draw = faults[i].draw;
		if (!draw)
			return probe_finish(c, PROBE_ERROR, "self-test: no fault \"%s\" (constant, ones, zero,"
					    " cf0, healthy)", want);
		probe_detail(c, "self-test: the instructions replaced by a source that is %s", want);
	} else {
#if HAVE_HW
		hw_offers(&rdrand, &rdseed);
		draw = hw_draw;
#endif
		if (!HAVE_HW)
			return probe_finish(c, PROBE_NOT_APPLICABLE, "RDRAND and RDSEED are x86-64 instructions");
		if (!rdrand && !rdseed)
			return probe_finish(c, PROBE_NOT_APPLICABLE, "CPUID offers neither RDRAND nor RDSEED"
					    " (Linux hides RDRAND on AMD family 15h/16h on purpose)");
		if (!rdrand || !rdseed)
			probe_detail(c, "CPUID does not offer %s: not tried", rdrand ? "RDSEED" : "RDRAND");
	}
	for (size_t i = 0; i < NFORMS; i++)
		n += forms[i].seed ? rdseed : rdrand;
	for (size_t i = 0, k = 0; i < NFORMS; i++) {
		enum rng_verdict v;
		if (!(forms[i].seed ? rdseed : rdrand))
			continue;
		sample(c, draw, i, n, &s[k]);
		draws += s[k].draws;
		v = rng_series_judge(&s[k], why, sizeof(why));
		probe_detail(c, "%s", why);
		if (v == RNG_TOO_FEW)
			unsure++;
		else if (v != RNG_OK && bad++ == 0)
			snprintf(first_bad, sizeof(first_bad), "%s", why);
		k++;
	}
	probe_count(c, "forms", n);
	probe_count(c, "draws", draws);
	probe_count(c, "broken_forms", bad);
	if (bad)
		return probe_finish(c, PROBE_FAIL, "%s%s%s", c->self_test ? "self-test: " : "", first_bad,
				    bad > 1 ? " (and more, see details)" : "");
	if (unsure)
		return probe_finish(c, PROBE_ERROR, "inconclusive: too few draws from %zu form(s)", unsure);
	if (c->self_test && (!c->fault || strcmp(c->fault, "healthy")))
		return probe_finish(c, PROBE_ERROR, "self-test: the injected fault was not detected");
	return probe_finish(c, PROBE_PASS, "%s%zu forms of RDRAND/RDSEED gave varied output in %llu draws",
			    c->self_test ? "self-test (healthy source): " : "", n, (unsigned long long)draws);
}
