/* rng_check.c - judges a hardware random number generator by its output.
 *
 * The failures it names are the published ones: RDRAND returning all ones
 * with CF=1 on AMD family 15h/16h after resume (Linux c49a0a80137c,
 * "x86/CPU/AMD: Clear RDRAND CPUID bit on AMD family 15h/16h") and on Zen 2
 * before an AGESA fix (systemd#11810), and the 16- and 32-bit forms of
 * RDSEED on Zen 5 returning 0 with CF=1 "at a rate inconsistent with
 * randomness" (AMD-SB-7055; Linux 607b9fb2ce24, "x86/CPU/AMD: Add RDSEED
 * fix for Zen5"). A generator that always clears CF is broken too. */
#include "rng_check.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

/* A value of 0 (or all ones) turns up by chance once in 2^width draws.
 * More than this many times that rate, and at least EXCESS_MIN times,
 * is not chance: even for 16-bit values over a few thousand draws the
 * odds of a false alarm are below one in a million. */
#define EXCESS_FACTOR 16
#define EXCESS_MIN 4

static uint64_t mask(unsigned width)
{
	return width >= 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1;
}

void rng_series_init(struct rng_series *s, const char *name, unsigned width)
{
	*s = (struct rng_series){.name = name, .width = width};
}

void rng_series_add(struct rng_series *s, bool ok, uint64_t value)
{
	s->draws++;
	if (!ok)
		return;
	value &= mask(s->width);
	if (s->ok++ == 0)
		s->first = value;
	else if (value != s->first)
		s->varied = true;
	s->zeros += value == 0;
	s->ones += value == mask(s->width);
}

static bool excess(const struct rng_series *s, uint64_t count)
{
	double expected = ldexp((double)s->ok, -(int)s->width);

	return count >= EXCESS_MIN && (double)count >= EXCESS_FACTOR * expected;
}

enum rng_verdict rng_series_judge(const struct rng_series *s, char *why, size_t n)
{
	if (s->draws < RNG_MIN_DRAWS || (s->ok > 0 && s->ok < 2)) {
		snprintf(why, n, "%s: only %" PRIu64 " draws, %" PRIu64 " successful", s->name, s->draws,
			 s->ok);
		return RNG_TOO_FEW;
	}
	if (s->ok == 0) {
		snprintf(why, n, "%s: never succeeded (CF=0 in all %" PRIu64 " draws, each retried)", s->name,
			 s->draws);
		return RNG_NEVER_OK;
	}
	if (!s->varied) {
		if (s->first == mask(s->width))
			snprintf(why, n, "%s: all ones (0x%" PRIx64 ") with CF=1 in all %" PRIu64 " draws",
				 s->name, s->first, s->ok);
		else
			snprintf(why, n, "%s: always 0x%" PRIx64 " with CF=1 (%" PRIu64 " draws)", s->name,
				 s->first, s->ok);
		return RNG_CONSTANT;
	}
	if (excess(s, s->zeros)) {
		snprintf(why, n, "%s: 0 with CF=1 in %" PRIu64 " of %" PRIu64 " draws (by chance: about %.2g)",
			 s->name, s->zeros, s->ok, ldexp((double)s->ok, -(int)s->width));
		return RNG_EXCESS_ZEROS;
	}
	if (excess(s, s->ones)) {
		snprintf(why, n, "%s: all ones with CF=1 in %" PRIu64 " of %" PRIu64 " draws (by chance: about %.2g)",
			 s->name, s->ones, s->ok, ldexp((double)s->ok, -(int)s->width));
		return RNG_EXCESS_ONES;
	}
	snprintf(why, n, "%s: %" PRIu64 " of %" PRIu64 " draws successful, varied, %" PRIu64 " zeros",
		 s->name, s->ok, s->draws, s->zeros);
	return RNG_OK;
}
