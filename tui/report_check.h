/* report_check.h - the checklist as text, Markdown and JSON. */
#ifndef QUIRK_REPORT_CHECK_H
#define QUIRK_REPORT_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "../db/checklist.h"
#include "cli.h"

/* Where the checklist came from, for headings. */
struct check_source {
	const char *profile; /* the profile's path, NULL for the default list */
	const char *name;    /* the profile's name, "" if none */
};

/* "✓", "!" or "✗". */
const char *report_check_glyph(enum check_mark m);
/* The title of an item: "label (text)" or the text. */
void report_check_title(char *buf, size_t n, const struct check *c);

/* One item: "[✗] TITLE: STATE", then (indented) why, detail, what would
 * decide it, and under an item that fails the fix steps and commands.
 * An item that passes is one line unless full. */
void report_check_item(FILE *out, const struct check *c, bool full, bool color);
/* "3 passed, 1 warning, 1 failed. Not ready: ..." (no newline). */
void report_check_summary(FILE *out, const struct check *v, size_t n);

/* The whole checklist for a terminal: heading, host, items, summary. */
void report_check_text(FILE *out, struct pipeline *p, const struct check_source *src,
		       const struct check *v, size_t n, bool color);
void report_check_markdown(FILE *out, struct pipeline *p, const struct check_source *src,
			   const struct check *v, size_t n);
/* One JSON document: versions, facts_source, profile, name, status,
 * counts, items, probes. */
void report_check_json(FILE *out, struct pipeline *p, const struct check_source *src,
		       const struct check *v, size_t n);

#endif
