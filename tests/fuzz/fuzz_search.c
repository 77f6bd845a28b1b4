/* fuzz_search.c - libFuzzer entry for `quirk search`: pasted text against the built-in KB's symptoms, ids and full-text index (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/search.h"
#include "fuzz_host.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As many as `quirk search` shows. */
#define MAX_HITS 10

static struct kb *kb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kb = fuzz_host_kb();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct search_hit *v;
	struct diag d = {""};
	size_t n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* Any text is a question with an answer: hits or none, never an error. */
	if (kb_search(kb, text, MAX_HITS, &v, &n, &d) != STATUS_OK || n > MAX_HITS || (n && !v))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!v[i].id || !v[i].summary || !v[i].verdict)
			abort();
		/* Each entry once; names, then symptoms, then full-text hits. */
		for (size_t j = 0; j < i; j++)
			if (!strcmp(v[i].id, v[j].id) || (v[i].exact && !v[j].exact) || (v[i].named && !v[j].named))
				abort();
	}
	kb_search_free(v, n);
	free(text);
	return 0;
}
