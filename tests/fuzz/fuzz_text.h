/* fuzz_text.h - shared pieces of the targets whose parsers read text: the input as a C string, facts checked and touched. */
#ifndef QUIRK_FUZZ_TEXT_H
#define QUIRK_FUZZ_TEXT_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/facts.h"

/* The input as the parsers get a file's text: NUL-terminated, in an
 * allocation of exactly that size, so ASan sees a read past the end. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

struct fuzz_key {
	const char *key, *type;
};

static inline int fuzz_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fuzz_key *)a)->key, ((const struct fuzz_key *)b)->key);
}

/* The type fact_keys.def gives key ("string", "number|string", ...);
 * NULL for a key outside the contract. A sorted copy of the table, so a
 * lookup costs a few comparisons: libFuzzer hooks every strcmp. */
static inline const char *fuzz_key_type(const char *key)
{
	static struct fuzz_key keys[256];
	static size_t n;
	struct fuzz_key want = {key, NULL}, *hit;
	const char *desc;

	if (!n) {
		while (n < 256 && facts_key_at(n, &keys[n].key, &keys[n].type, &desc))
			n++;
		qsort(keys, n, sizeof(keys[0]), fuzz_key_cmp);
	}
	hit = bsearch(&want, keys, n, sizeof(keys[0]), fuzz_key_cmp);
	return hit ? hit->type : NULL;
}

/* The contract of every fact a parser sets: a key of the facts contract
 * with a value of its type (or null), a number that JSON can carry, text
 * ASan can read to its end. Aborts when it is broken. */
static inline void fuzz_touch_facts(const struct facts *f)
{
	static const char *const names[] = {[FACT_STR] = "string", [FACT_NUM] = "number", [FACT_BOOL] = "bool",
					    [FACT_LIST] = "list"};
	volatile size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct fact *x = &f->v[i];
		const char *type = fuzz_key_type(x->key);
		if (!type || (x->type != FACT_NULL && !strstr(type, names[x->type])))
			abort();
		if (x->type == FACT_NUM && !isfinite(x->num))
			abort();
		if (x->type == FACT_STR)
			n += strlen(x->str);
		for (size_t k = 0; x->type == FACT_LIST && k < x->nlist; k++)
			n += strlen(x->list[k]);
	}
	(void)n;
}

/* Whether s has a byte below 0x20 (a newline leaking into a value). */
static inline int fuzz_has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20)
			return 1;
	return 0;
}

/* Every item of the list fact key (if set) is a package as the matcher
 * reads it: prefix ("pkg:TYPE/"), then NAME@VERSION split at the first
 * '@', neither empty, no control characters. Returns the list or NULL. */
static inline const struct fact *fuzz_check_purls(const struct facts *f, const char *key, const char *prefix)
{
	const struct fact *x = facts_get(f, key);
	size_t pl = strlen(prefix);

	if (x && x->type != FACT_LIST)
		abort();
	for (size_t i = 0; x && i < x->nlist; i++) {
		const char *p = x->list[i], *at = strchr(p + pl, '@');
		if (strncmp(p, prefix, pl) || !at || at == p + pl || !at[1] || fuzz_has_control(p))
			abort();
	}
	return x;
}

#endif
