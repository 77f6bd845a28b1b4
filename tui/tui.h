/* tui.h - the interactive front end: state, views and the key table. */
#ifndef QUIRK_TUI_H
#define QUIRK_TUI_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "../db/checklist.h"
#include "../db/match.h"
#include "../db/profile.h"
#include "../db/search.h"
#include "../probes/probe.h"
#include "cli.h"

/* X(action, help text). Keys map to actions through one table (tui_keys.c)
 * that also writes the help screen. */
#define ACTION_TABLE(X)                                                        \
	X(ACT_UP, "move up")                                                   \
	X(ACT_DOWN, "move down")                                               \
	X(ACT_PGUP, "page up")                                                 \
	X(ACT_PGDN, "page down")                                               \
	X(ACT_HOME, "first line")                                              \
	X(ACT_END, "last line")                                                \
	X(ACT_ENTER, "open the selected item")                                 \
	X(ACT_BACK, "back (cancels a running probe in Probes)")                \
	X(ACT_QUIT, "quit")                                                    \
	X(ACT_HELP, "this help")                                               \
	X(ACT_SEARCH, "search the KB for an error message")                    \
	X(ACT_PROBES, "the probes screen")                                     \
	X(ACT_FILTER, "hide or show entries that do not affect this host")     \
	X(ACT_EXPORT, "export the report as Markdown")                         \
	X(ACT_RUN, "Probes: run the selected probe")                           \
	X(ACT_SELF_TEST, "Probes: run the selected probe's self-test")         \
	X(ACT_RUN_SAFE, "Probes: run every safe probe")                        \
	X(ACT_CHECK, "the checklist (the profile, or the entries for this host)")

enum action {
	ACT_NONE,
#define ACTION_ENUM(name, help) name,
	ACTION_TABLE(ACTION_ENUM)
#undef ACTION_ENUM
};

/* The action for key ch (an ncurses key code), ACT_NONE if unbound. */
enum action tui_action(int ch);
/* Help lines, one per action: "keys   what it does"; NULL past the end. */
const char *tui_help_line(size_t i, char *buf, size_t size);

/* Scrollable lines of text, for detail and help. */
struct pager {
	char **lines;
	size_t n, top;
};
void pager_set_text(struct pager *pg, const char *text, int width);
void pager_free(struct pager *pg);

struct tui;

#define TUI_MAX_PROBES 8 /* results kept; more probes than this are not remembered */

/* A screen: tig-style vtable. key returns false to let the main loop
 * apply the action itself (quit, help...). */
struct view {
	const char *name;
	void (*open)(struct tui *t);
	void (*draw)(struct tui *t);
	bool (*key)(struct tui *t, enum action a, int ch);
	void (*done)(struct tui *t);
};

extern const struct view view_overview, view_detail, view_help, view_search, view_probes, view_check;

/* A probe running in a worker thread; the UI reads it under lock. */
struct probe_job {
	pthread_t thread;
	pthread_mutex_t lock;
	bool running, finished, self_test;
	const struct probe_def *def;
	struct probe_result partial, result;
	char message[128];
	volatile sig_atomic_t cancel;
	struct diag d;
	enum status st;
};

struct tui {
	const struct cli_opts *o;
	struct pipeline p;
	struct finding *findings;
	size_t nfindings;
	bool hide_clean; /* Overview: hide not_affected */

	const struct view *stack[8];
	size_t depth;

	size_t sel, top;         /* Overview selection and scroll */
	const struct finding *shown; /* Detail: the finding shown */
	struct pager detail, help;

	char query[512];         /* Search */
	struct search_hit *hits;
	size_t nhits, hit_sel;

	size_t probe_sel;        /* Probes */
	struct probe_result last[TUI_MAX_PROBES]; /* last result per probe, by index */
	bool have_last[TUI_MAX_PROBES];
	struct probe_job job;
	bool run_all;            /* running every safe probe, one after another */
	size_t run_all_next;
	bool confirm;            /* asking before a risky probe */
	bool confirm_self_test;

	char profile[4096];      /* Checklist: the profile's path, "" for the default list */
	struct profile_meta meta;
	struct check *checks;
	size_t nchecks, check_sel, check_top;
	bool checks_stale;       /* facts changed since the items were judged */
	struct pager check_detail;

	char status[256];        /* the message line */
	int rows, cols;
	bool color, quit;
	bool facts_ready;
};

/* Runs the TUI over the pipeline until the user quits. Returns an exit
 * status like scan's. */
int tui_main(const struct cli_opts *o);

/* Shared by the views. */
void tui_push(struct tui *t, const struct view *v);
void tui_pop(struct tui *t);
void tui_message(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Re-reads the findings after the facts changed (probe results); the
 * checklist is judged again when it is next shown. */
void tui_refresh_findings(struct tui *t);
/* Checklist: marks the items to be judged again when next shown (judging
 * every entry that can concern the host is not for the first frame). */
void view_check_refresh(struct tui *t);
/* Draws "text" at y, x clipped to the screen width. */
void tui_put(int y, int x, const char *text);
/* Colour pair numbers, 0 when colour is off. */
enum { PAIR_AFFECTED = 1, PAIR_UNKNOWN, PAIR_CLEAN, PAIR_TITLE, PAIR_DIM };
int tui_verdict_pair(enum verdict v);
void tui_draw_pager(struct tui *t, struct pager *pg, const char *title);
bool tui_pager_key(struct tui *t, struct pager *pg, enum action a);
/* Moves a selection among count items for the movement actions (page
 * items at a time); false for any other action. */
bool tui_list_key(size_t *sel, size_t count, size_t page, enum action a);
/* Writes the Markdown report to a new file and says where. */
void tui_export(struct tui *t);
/* Probes screen: notices a finished probe (results join the facts and the
 * findings are judged again); stops and waits for a running one. */
void view_probes_poll(struct tui *t);
void view_probes_stop(struct tui *t);
/* Lines available for a view's body (screen minus title and status). */
int tui_body_rows(const struct tui *t);

#endif
