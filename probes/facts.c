/* facts.c - the facts map. Small (tens of keys), so lookups are linear. */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

struct fact_key_row {
	const char *key, *type, *desc;
};

static const struct fact_key_row fact_keys[] = {
#define FACT_KEY(k, t, d) {k, t, d},
#include "fact_keys.def"
#undef FACT_KEY
};

void facts_init(struct facts *f)
{
	memset(f, 0, sizeof(*f));
}

static void fact_clear_value(struct fact *x)
{
	free(x->str);
	for (size_t i = 0; i < x->nlist; i++)
		free(x->list[i]);
	free(x->list);
	x->str = NULL;
	x->list = NULL;
	x->nlist = 0;
	x->num = 0;
	x->b = false;
	x->type = FACT_NULL;
}

void facts_free(struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		fact_clear_value(&f->v[i]);
		free(f->v[i].key);
	}
	free(f->v);
	facts_init(f);
}

/* A copy that is valid UTF-8, whatever the host or file gave. */
static char *utf8_dup(const char *s)
{
	return text_utf8_invalid_at(s, strlen(s)) == strlen(s) ? strdup(s) : text_utf8_repair(s);
}

static struct fact *find(const struct facts *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			return &f->v[i];
	return NULL;
}

/* Returns the slot for key with its old value cleared, creating it. */
static struct fact *slot(struct facts *f, const char *key)
{
	struct fact *x = find(f, key);

	if (x) {
		fact_clear_value(x);
		return x;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		struct fact *v = realloc(f->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		f->v = v;
		f->cap = cap;
	}
	x = &f->v[f->n];
	memset(x, 0, sizeof(*x));
	x->key = strdup(key);
	if (!x->key)
		return NULL;
	f->n++;
	return x;
}

enum status facts_set_str(struct facts *f, const char *key, const char *val)
{
	char *copy = utf8_dup(val);
	struct fact *x;

	if (!copy)
		return STATUS_ERR_NOMEM;
	x = slot(f, key);
	if (!x) {
		free(copy);
		return STATUS_ERR_NOMEM;
	}
	x->type = FACT_STR;
	x->str = copy;
	return STATUS_OK;
}

enum status facts_set_num(struct facts *f, const char *key, double val)
{
	struct fact *x = slot(f, key);

	if (!x)
		return STATUS_ERR_NOMEM;
	x->type = FACT_NUM;
	x->num = val;
	return STATUS_OK;
}

enum status facts_set_bool(struct facts *f, const char *key, bool val)
{
	struct fact *x = slot(f, key);

	if (!x)
		return STATUS_ERR_NOMEM;
	x->type = FACT_BOOL;
	x->b = val;
	return STATUS_OK;
}

enum status facts_set_null(struct facts *f, const char *key)
{
	return slot(f, key) ? STATUS_OK : STATUS_ERR_NOMEM;
}

enum status facts_set_list(struct facts *f, const char *key,
			   const char *const *items, size_t n)
{
	char **list = calloc(n ? n : 1, sizeof(*list));
	struct fact *x;

	if (!list)
		return STATUS_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		list[i] = utf8_dup(items[i]);
		if (!list[i]) {
			while (i--)
				free(list[i]);
			free(list);
			return STATUS_ERR_NOMEM;
		}
	}
	x = slot(f, key);
	if (!x) {
		for (size_t i = 0; i < n; i++)
			free(list[i]);
		free(list);
		return STATUS_ERR_NOMEM;
	}
	x->type = FACT_LIST;
	x->list = list;
	x->nlist = n;
	return STATUS_OK;
}

enum status facts_list_add(struct facts *f, const char *key, const char *item)
{
	struct fact *x = find(f, key);
	char **list, *copy;

	if (!x || x->type != FACT_LIST) {
		enum status st = facts_set_list(f, key, NULL, 0);
		if (st != STATUS_OK)
			return st;
		x = find(f, key);
	}
	if (!(copy = utf8_dup(item)))
		return STATUS_ERR_NOMEM;
	for (size_t i = 0; i < x->nlist; i++)
		if (strcmp(x->list[i], copy) == 0) {
			free(copy);
			return STATUS_OK;
		}
	list = realloc(x->list, (x->nlist + 1) * sizeof(*list));
	if (!list) {
		free(copy);
		return STATUS_ERR_NOMEM;
	}
	list[x->nlist++] = copy;
	x->list = list;
	return STATUS_OK;
}

bool facts_list_has(const struct facts *f, const char *key, const char *item)
{
	const struct fact *x = find(f, key);

	for (size_t i = 0; x && x->type == FACT_LIST && i < x->nlist; i++)
		if (strcmp(x->list[i], item) == 0)
			return true;
	return false;
}

const struct fact *facts_get(const struct facts *f, const char *key)
{
	return find(f, key);
}

const char *facts_str(const struct facts *f, const char *key)
{
	const struct fact *x = find(f, key);

	return x && x->type == FACT_STR ? x->str : NULL;
}

void facts_remove(struct facts *f, const char *key)
{
	struct fact *x = find(f, key);

	if (!x)
		return;
	fact_clear_value(x);
	free(x->key);
	*x = f->v[--f->n];
}

static int cmp_fact(const void *a, const void *b)
{
	return strcmp(((const struct fact *)a)->key,
		      ((const struct fact *)b)->key);
}

void facts_sort(struct facts *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp_fact);
}

const char *facts_key_type(const char *key)
{
	for (size_t i = 0; i < sizeof(fact_keys) / sizeof(fact_keys[0]); i++)
		if (strcmp(fact_keys[i].key, key) == 0)
			return fact_keys[i].type;
	return NULL;
}

bool facts_key_known(const char *key)
{
	return facts_key_type(key) != NULL;
}

bool facts_key_at(size_t i, const char **key, const char **type,
		  const char **desc)
{
	if (i >= sizeof(fact_keys) / sizeof(fact_keys[0]))
		return false;
	*key = fact_keys[i].key;
	*type = fact_keys[i].type;
	*desc = fact_keys[i].desc;
	return true;
}
