/* fuzz_facts_json.c - libFuzzer entry for the facts file loader: a listed error or facts that survive a round trip through the scan's database and `quirk facts --json` (built by .ci/fuzz). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/facts_json.h"
#include "probes/sysparse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kb *kb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag d;

	(void)argc;
	(void)argv;
	if (kb_open(&kb, NULL, &d) != STATUS_OK)
		abort();
	return 0;
}

static bool same_fact(const struct fact *x, const struct fact *y)
{
	if (!y || x->type != y->type)
		return false;
	switch (x->type) {
	case FACT_STR:
		return !strcmp(x->str, y->str);
	case FACT_NUM:
		/* Numbers are written with SQLite's 15 significant digits. */
		return x->num == y->num || fabs(x->num - y->num) <= fabs(x->num) * 1e-14;
	case FACT_BOOL:
		return x->b == y->b;
	case FACT_LIST:
		if (x->nlist != y->nlist)
			return false;
		for (size_t i = 0; i < x->nlist; i++)
			if (strcmp(x->list[i], y->list[i]))
				return false;
		return true;
	default:
		return true;
	}
}

/* What the front ends do with loaded facts: into the scan's database and
 * out again as `quirk facts --json` writes them, which loads back the same. */
static void round_trip(const struct facts *f)
{
	struct facts back;
	struct diag d;
	char *json = NULL;

	facts_init(&back);
	if (kb_set_facts(kb, f, &d) != STATUS_OK || facts_json_dump(kb, &json, &d) != STATUS_OK || !json ||
	    facts_json_parse(kb->db, "dump", json, strlen(json), &back, &d) != STATUS_OK || back.n != f->n)
		abort();
	for (size_t i = 0; i < f->n; i++)
		if (!same_fact(&f->v[i], facts_get(&back, f->v[i].key)))
			abort();
	facts_free(&back);
	free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct facts f;
	struct diag d = {""};
	enum status st;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	facts_init(&f);
	st = facts_json_parse(kb->db, "fuzz", text, size, &f, &d);
	if (st != STATUS_OK) {
		/* A listed error, named, and nothing left behind. */
		if ((st != STATUS_ERR_FACTS_INVALID && st != STATUS_ERR_NOMEM) || f.n || f.v ||
		    (st == STATUS_ERR_FACTS_INVALID && strncmp(d.msg, "fuzz:", 5) != 0))
			abort();
	} else {
		for (size_t i = 0; i < f.n; i++) {
			size_t klen = strlen(f.v[i].key);
			if (!klen || klen > 200 || (f.v[i].type == FACT_STR && !f.v[i].str))
				abort();
		}
		/* As the pipeline completes a file written by hand. */
		if (!facts_get(&f, "os.kernel.distro") && sysparse_kernel_identity(&f, NULL) != STATUS_OK)
			abort();
		round_trip(&f);
	}
	facts_free(&f);
	free(text);
	return 0;
}
