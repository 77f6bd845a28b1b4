/* rng_check.h - judges a hardware random number generator by its output. */
#ifndef QUIRK_RNG_CHECK_H
#define QUIRK_RNG_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fewer draws than this decide nothing. */
#define RNG_MIN_DRAWS 64

/* What one instruction form (say, RDSEED with a 32-bit register) gave. */
struct rng_series {
	const char *name;
	unsigned width;        /* bits: 16, 32 or 64 */
	uint64_t draws;        /* draws, each after its retries */
	uint64_t ok;           /* draws that signalled success (CF=1) */
	uint64_t zeros, ones;  /* successful values of 0 and of all ones */
	uint64_t first;        /* the first successful value */
	bool varied;           /* a successful value differed from first */
};

enum rng_verdict {
	RNG_OK,
	RNG_TOO_FEW,      /* fewer than RNG_MIN_DRAWS draws or two successes */
	RNG_NEVER_OK,     /* CF=0 on every draw */
	RNG_CONSTANT,     /* every successful value the same */
	RNG_EXCESS_ZEROS, /* 0 with CF=1 far more often than chance */
	RNG_EXCESS_ONES,  /* all ones with CF=1 far more often than chance */
};

void rng_series_init(struct rng_series *s, const char *name, unsigned width);
/* One draw: ok is the carry flag, value the register (masked to width). */
void rng_series_add(struct rng_series *s, bool ok, uint64_t value);
/* The verdict, with a one-line reason in why (truncated to n). Never
 * fails. */
enum rng_verdict rng_series_judge(const struct rng_series *s, char *why, size_t n);

#endif
