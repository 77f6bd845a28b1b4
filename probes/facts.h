/* facts.h - the flat key -> value map that describes a host. */
#ifndef QUIRK_FACTS_H
#define QUIRK_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/* FACT_NULL means "checked and absent"; a key that is not in the map at
 * all means "not known". */
enum fact_type { FACT_NULL, FACT_STR, FACT_NUM, FACT_BOOL, FACT_LIST };

struct fact {
	char *key;
	enum fact_type type;
	char *str;
	double num;
	bool b;
	char **list;
	size_t nlist;
};

struct facts {
	struct fact *v;
	size_t n, cap;
};

void facts_init(struct facts *f);
void facts_free(struct facts *f);

/* Setters replace any earlier value of the key; strings are stored as
 * valid UTF-8 (a byte that is not becomes U+FFFD). Each returns
 * STATUS_ERR_NOMEM on allocation failure (the map is left as it was). */
enum status facts_set_str(struct facts *f, const char *key, const char *val);
enum status facts_set_num(struct facts *f, const char *key, double val);
enum status facts_set_bool(struct facts *f, const char *key, bool val);
enum status facts_set_null(struct facts *f, const char *key);
enum status facts_set_list(struct facts *f, const char *key,
			   const char *const *items, size_t n);
/* Appends to a list fact, creating it if absent; a string item that is
 * already present is not added twice. */
enum status facts_list_add(struct facts *f, const char *key, const char *item);

/* Whether the list fact key holds item (false if unknown or not a list). */
bool facts_list_has(const struct facts *f, const char *key, const char *item);

/* NULL if the key is not known. */
const struct fact *facts_get(const struct facts *f, const char *key);
/* The string value, or NULL when unknown, null or not a string. */
const char *facts_str(const struct facts *f, const char *key);
void facts_remove(struct facts *f, const char *key);
/* Orders keys alphabetically, for stable output. */
void facts_sort(struct facts *f);

/* Whether key is in the facts contract (fact_keys.def). */
bool facts_key_known(const char *key);
/* Its type in the contract ("string", "number", "bool", "list",
 * "number|string"), or NULL for a key that is not in it. */
const char *facts_key_type(const char *key);
/* Contract rows by index, for help text; false past the end. */
bool facts_key_at(size_t i, const char **key, const char **type,
		  const char **desc);

#endif
