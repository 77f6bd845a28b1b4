/* search.h - from a pasted error message or words to ranked KB entries. */
#ifndef QUIRK_SEARCH_H
#define QUIRK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "kb.h"

struct search_hit {
	char *id, *summary;
	char *verdict;  /* on the facts of the scan; NULL before match_run() */
	char *matched;  /* the symptom the text contains, or an FTS snippet */
	bool exact;     /* a known symptom string appears in the text (or the text in it) */
	bool named;     /* the text is the entry's id or one of its aliases; matched says which */
	double score;   /* larger is better */
};

/* Ranks entries for text: an entry the whole text names (id or alias,
 * such as a CVE) first; then entries one of whose exact symptom strings the
 * text contains (or that contain the text, for 8+ characters) come first,
 * longest symptom first; then FTS5 (bm25 over summary, details and
 * symptoms) on the text's words. At most max hits in *out (free with
 * kb_search_free); *n = 0 when nothing matches or the text has no words.
 * STATUS_ERR_DB (d filled), STATUS_ERR_NOMEM. */
enum status kb_search(struct kb *kb, const char *text, size_t max, struct search_hit **out,
		      size_t *n, struct diag *d);
void kb_search_free(struct search_hit *v, size_t n);

#endif
