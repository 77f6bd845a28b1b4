/* logscan.h - finds the KB's symptom signatures in logs, as a stream. */
#ifndef QUIRK_LOGSCAN_H
#define QUIRK_LOGSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "kb.h"

/* At most this many bytes of a matching line are shown: the match and
 * what precedes it up to LOGSCAN_BEFORE, then up to LOGSCAN_AFTER. */
#define LOGSCAN_BEFORE 512
#define LOGSCAN_AFTER 256
#define LOGSCAN_TEXT_MAX (LOGSCAN_BEFORE + LOGSCAN_AFTER)

/* The compiled signatures of a KB: every exact symptom string and every
 * symptom pattern, in one multi-pattern database. */
struct logscan;

struct logscan_sig {
	const char *entry;     /* KB entry id */
	const char *text;      /* the symptom string or pattern */
	bool pattern;          /* text is a pattern, not an exact string */
};

/* One line of a log that carries a signature. An entry is reported once
 * per line, with the first of its signatures that ends on it. */
struct logscan_hit {
	size_t entry;              /* index of the entry, < logscan_entries() */
	const struct logscan_sig *sig;
	unsigned long long line;   /* 1-based */
	unsigned long long offset; /* of the match's end in the input */
	const char *text;          /* the line, or a window of it */
	size_t len;
	bool cut_before, cut_after; /* the line goes on beyond the window */
};

/* Called for each hit, in input order; text is valid during the call. */
typedef void (*logscan_hit_fn)(void *ctx, const struct logscan_hit *hit);

/* Compiles every signature of kb. STATUS_ERR_NOMEM, or STATUS_ERR_DB with
 * d naming the entry and pattern that does not compile; *out is NULL then.
 * Free with logscan_free(). */
enum status logscan_compile(struct kb *kb, struct logscan **out, struct diag *d);
/* The same; with cache_dir (NULL for none), a large signature set (a KB of
 * thousands of entries takes minutes to compile) is kept compiled there in
 * signatures.hs and loaded instead while the KB's signatures stay exactly
 * the same. A cache that cannot be read or written costs only the compile;
 * the errors are logscan_compile()'s. */
enum status logscan_compile_cached(struct kb *kb, const char *cache_dir, struct logscan **out,
				   struct diag *d);
void logscan_free(struct logscan *ls);

size_t logscan_entries(const struct logscan *ls);
/* The id of entry i (i < logscan_entries()). */
const char *logscan_entry_id(const struct logscan *ls, size_t i);
/* The index of entry id (a binary search: entries are in id order), or -1
 * if it has no signature. */
ssize_t logscan_entry_index(const struct logscan *ls, const char *id);
/* Signatures by index, for listing them; NULL past the end. */
const struct logscan_sig *logscan_sig_at(const struct logscan *ls, size_t i);

/* Whether pattern compiles and matches somewhere in text. Returns NULL if
 * it does, else why not (a static or thread-local message), for the KB
 * build's checks. */
const char *logscan_pattern_check(const char *pattern, const char *text);

/* One input: bytes fed in any pieces give the same hits as one piece.
 * Memory stays bounded whatever the size of the input or its lines. */
struct logscan_stream;

/* STATUS_ERR_NOMEM or STATUS_ERR_DB (d filled); *out is NULL then. */
enum status logscan_open(struct logscan *ls, logscan_hit_fn fn, void *ctx,
			 struct logscan_stream **out, struct diag *d);
/* Scans the next len bytes. STATUS_ERR_DB if the matcher fails. */
enum status logscan_feed(struct logscan_stream *s, const void *buf, size_t len, struct diag *d);
/* Ends the input, reports hits still waiting for the rest of their line,
 * and frees s (also after an error). Lines and bytes seen go to the
 * optional out-parameters. STATUS_ERR_DB. */
enum status logscan_close(struct logscan_stream *s, unsigned long long *lines,
			  unsigned long long *bytes, struct diag *d);

#endif
