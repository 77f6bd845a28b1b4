/* helpers.h - small shared pieces for the unit tests. */
#ifndef QUIRK_TEST_HELPERS_H
#define QUIRK_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/facts.h"
#include "probes/fileio.h"

/* A fixture file's text; fails the test if it cannot be read. */
static inline char *fixture(const char *rel)
{
	char path[4096], *text = NULL;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, rel);
	if (fileio_read(path, 1 << 24, &text, NULL, NULL) != STATUS_OK) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		abort();
	}
	return text;
}

/* A binary fixture's bytes, to corrupt in place. */
struct img {
	unsigned char *p;
	size_t n;
};

/* dir/name read whole; aborts if it cannot be read. */
static inline struct img img_load(const char *dir, const char *name)
{
	char path[4096], *bytes = NULL;
	struct img im = {NULL, 0};

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (fileio_read(path, 1 << 26, &bytes, &im.n, NULL) != STATUS_OK) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		abort();
	}
	im.p = (unsigned char *)bytes;
	return im;
}

/* Builds facts from "key=value;key=value": [a,b] is a list, #N (digits only) a number,
 * true/false a bool, null null, anything else a string. */
static inline void facts_from_spec(struct facts *f, const char *spec)
{
	char *copy = strdup(spec), *save = NULL;

	for (char *kv = strtok_r(copy, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '='), *v;
		if (!eq)
			abort();
		*eq = '\0';
		v = eq + 1;
		if (v[0] == '[') {
			char *s2 = NULL;
			v[strlen(v) - 1] = '\0';
			facts_set_list(f, kv, NULL, 0);
			for (char *it = strtok_r(v + 1, ",", &s2); it; it = strtok_r(NULL, ",", &s2))
				facts_list_add(f, kv, it);
		} else if (v[0] == '#' && v[1] && strspn(v + 1, "0123456789") == strlen(v + 1)) {
			facts_set_num(f, kv, atof(v + 1));
		} else if (!strcmp(v, "true") || !strcmp(v, "false")) {
			facts_set_bool(f, kv, v[0] == 't');
		} else if (!strcmp(v, "null")) {
			facts_set_null(f, kv);
		} else {
			facts_set_str(f, kv, v);
		}
	}
	free(copy);
}

#endif
