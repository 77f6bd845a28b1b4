/* cli.h - the command-line front end: options, pipeline, commands. */
#ifndef QUIRK_CLI_H
#define QUIRK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "../db/kb.h"
#include "../probes/facts.h"

/* Exit statuses (documented in quirk(1)). */
enum {
	EXIT_CLEAN = 0,    /* nothing affected */
	EXIT_AFFECTED = 1, /* something affected */
	EXIT_ERROR = 2,    /* bad arguments, unreadable or malformed input */
	EXIT_UNKNOWN = 3,  /* nothing affected, something unknown */
};

struct cli_opts {
	bool json, all, keys;
	const char *facts_file, *project_dir, *db_file, *root, *cpuid_dump;
	const char *arg; /* the positional argument (explain ID) */
};

/* What every command works on: the KB and the facts, matched. */
struct pipeline {
	struct kb *kb;
	struct facts facts;
	const char *facts_source; /* "this host", a file, or a root */
};

/* Opens the KB, collects or loads facts, and (if match) judges every
 * entry. Prints the error (naming file and cause) and returns false on
 * failure; the caller exits with EXIT_ERROR. */
bool pipeline_open(struct pipeline *p, const struct cli_opts *o, bool match);
void pipeline_close(struct pipeline *p);

int cmd_scan(const struct cli_opts *o);
int cmd_facts(const struct cli_opts *o);
int cmd_explain(const struct cli_opts *o);
int cmd_kb_list(const struct cli_opts *o);

/* Prints "quirk: MSG" to stderr; returns EXIT_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether stdout gets colour: a terminal, NO_COLOR unset, TERM not dumb. */
bool cli_color(void);

#endif
