/* cli.h - the command-line front end: options, pipeline, commands. */
#ifndef QUIRK_CLI_H
#define QUIRK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "../db/kb.h"
#include "../probes/facts.h"
#include "../probes/probe.h"

/* Exit statuses (documented in quirk(1)). */
enum {
	EXIT_CLEAN = 0,    /* nothing affected */
	EXIT_AFFECTED = 1, /* something affected */
	EXIT_ERROR = 2,    /* bad arguments, unreadable or malformed input */
	EXIT_UNKNOWN = 3,  /* nothing affected, something unknown */
};

/* --format: what a command writes; DEFAULT is its own (report: markdown,
 * the others: text). main() checks it against the command and keeps
 * cli_opts.json equal to format == CLI_FORMAT_JSON. */
enum cli_format { CLI_FORMAT_DEFAULT, CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_MARKDOWN,
		  CLI_FORMAT_PROMETHEUS };

struct cli_opts {
	bool json, all, keys;
	enum cli_format format;
	const char *output; /* --output: main() points stdout at it */
	bool anonymize;     /* scan, facts, report: pipeline_open_probed() applies it */
	const char *facts_file, *project_dir, *db_file, *root, *cpuid_dump;
	const char *profile; /* check: --profile FILE */
	const char *arg;    /* the first positional argument (explain ID, probe) */
	char **args;        /* all positional arguments (codesign PATH...) */
	int nargs;
	bool probes, force, self_test;
	double duration_s; /* probe run --duration; 0 means the probe's default */
	size_t max_hits;   /* match: lines kept per entry; 0 means the default */
	bool signatures;   /* match --signatures: list what is searched for */
};

/* What every command works on: the KB and the facts, matched. */
struct pipeline {
	struct kb *kb;
	struct facts facts;
	const char *facts_source; /* "this host", a file, or a root */
	char *anon_source;        /* owned: facts_source after --anonymize */
	struct probe_result *results; /* probes run by pipeline_probe() */
	size_t nresults;
};

/* Opens the KB, collects or loads facts, and (if match) judges every
 * entry. Prints the error (naming file and cause) and returns false on
 * failure; the caller exits with EXIT_ERROR. */
bool pipeline_open(struct pipeline *p, const struct cli_opts *o, bool match);
/* The same without printing: false with d filled (for the TUI). */
bool pipeline_open_quiet(struct pipeline *p, const struct cli_opts *o, bool match, struct diag *d);
void pipeline_close(struct pipeline *p);
/* Runs the probes that may decide undecided findings and are allowed here
 * (safe ones; others with o->force), adds their results to the facts and
 * judges again. Prints the error and returns false on failure. */
bool pipeline_probe(struct pipeline *p, const struct cli_opts *o);
/* Runs defs (those cli_probe_allowed() refuses become "refused" results
 * naming why) on this host, adds their results to the facts and judges
 * again. Prints the error and returns false on failure. */
bool pipeline_run_probes(struct pipeline *p, const struct cli_opts *o, const struct probe_def *const *defs,
			 size_t n);
/* pipeline_open(), then with o->probes (facts of this host only) the
 * probes of pipeline_probe(). Prints the error and returns false. */
bool pipeline_open_probed(struct pipeline *p, const struct cli_opts *o, bool match);
/* Rewrites the facts, probe results and facts source of p without host
 * and user names, home paths and serial-like values (probes/anon.h), and
 * if matched judges the rewritten facts again, so the findings' evidence
 * is rewritten too; the verdicts must not change. Prints the error and
 * returns false. */
bool pipeline_anonymize(struct pipeline *p, const struct cli_opts *o, bool matched);

int cmd_scan(const struct cli_opts *o);
int cmd_facts(const struct cli_opts *o);
int cmd_explain(const struct cli_opts *o);
int cmd_kb_list(const struct cli_opts *o);
int cmd_kb_import(const struct cli_opts *o);
int cmd_kb_export(const struct cli_opts *o);

/* Opens the KB (built in, or --db) with the user's overlay of imported
 * records merged over it. False with d filled (naming the file). */
bool cli_kb_open(struct kb **kb, const struct cli_opts *o, struct diag *d);
int cmd_codesign(const struct cli_opts *o);
int cmd_gobin(const struct cli_opts *o);
int cmd_search(const struct cli_opts *o);
int cmd_match(const struct cli_opts *o);
int cmd_report(const struct cli_opts *o);
int cmd_tui(const struct cli_opts *o);
int cmd_probe_list(const struct cli_opts *o);
int cmd_probe_run(const struct cli_opts *o);
int cmd_check(const struct cli_opts *o);

/* The profile check reads: --profile FILE, else .quirk.json in the
 * project directory if there is one. False (and path "") for none. */
bool cli_profile_path(const struct cli_opts *o, char *path, size_t n);
/* After pipeline_open(): makes the checklist of p's KB the profile's items
 * (path set to it) or, with no profile, the KB entries that can concern
 * this host (path ""). False with d naming the file and the problem. */
struct profile_meta;
bool cli_check_prepare(struct pipeline *p, const struct cli_opts *o, char *path, size_t n,
		       struct profile_meta *meta, struct diag *d);

/* Probes, shared by `probe run`, `scan --probes` and the TUI. */

/* Whether def may run here: safe probes always; probes that may crash an
 * affected machine only with force or when the host facts rule out the
 * KB entry they reproduce (after match_run). Otherwise why says so. */
bool cli_probe_allowed(struct pipeline *p, const struct probe_def *def, bool force, char *why,
		       size_t n);
/* Runs def on this host with o's duration and self-test, a progress bar
 * on a terminal's stderr, and SIGINT/SIGTERM/SIGHUP cancelling it. As
 * probe_run(). */
enum status cli_probe_execute(struct pipeline *p, const struct probe_def *def,
			      const struct cli_opts *o, struct probe_result *r, struct diag *d);
bool cli_probe_cancelled(void);
/* False after printing why if o's facts do not come from this machine
 * (--facts, --root, --cpuid): probes can only look at this one. */
bool cli_probe_host_only(const struct cli_opts *o);
/* A "refused" result for def, with why as its summary. */
void cli_probe_refused(struct probe_result *r, const struct probe_def *def, const char *why);
/* Adds probe.NAME.status and probe.NAME.summary to f. STATUS_ERR_NOMEM. */
enum status cli_probe_to_facts(struct facts *f, const struct probe_result *r);
/* One result as a JSON object: probe, status, summary, details, counters,
 * duration_s, self_test. */
void cli_probe_json(FILE *out, const struct probe_result *r);
/* The results as a JSON array of those objects. */
void cli_probe_json_list(FILE *out, const struct probe_result *r, size_t n);

/* Exit status from verdicts: affected beats unknown beats clean. */
struct finding;
int cli_exit_for(const struct finding *v, size_t n);

/* Prints "quirk: MSG" to stderr; returns EXIT_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether stdout gets colour: a terminal, NO_COLOR unset, TERM not dumb. */
bool cli_color(void);

#endif
