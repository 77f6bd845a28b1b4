/* probe.h - live probes: their descriptions and the isolated runner. */
#ifndef QUIRK_PROBE_H
#define QUIRK_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "facts.h"
#include "status.h"

/* X(name, json name). pass: the bug was not observed; fail: observed. */
#define PROBE_STATUS_TABLE(X)                                                  \
	X(PASS, "pass")                                                        \
	X(FAIL, "fail")                                                        \
	X(NOT_APPLICABLE, "not_applicable")                                    \
	X(REFUSED, "refused")                                                  \
	X(CRASHED, "crashed")                                                  \
	X(TIMEOUT, "timeout")                                                  \
	X(ERROR, "error")

enum probe_status {
#define PROBE_STATUS_ENUM(name, str) PROBE_##name,
	PROBE_STATUS_TABLE(PROBE_STATUS_ENUM)
#undef PROBE_STATUS_ENUM
};

/* "pass", "fail", ...; NULL for an out-of-range value. */
const char *probe_status_name(enum probe_status st);
/* PROBE_PASS... from its name; false if name is none of them. */
bool probe_status_parse(const char *name, enum probe_status *out);

enum probe_risk {
	PROBE_RISK_SAFE,
	PROBE_RISK_MACHINE, /* may crash the machine on affected hosts */
};

/* "safe" or "may crash the machine on affected hosts". */
const char *probe_risk_name(enum probe_risk risk);

#define PROBE_MAX_COUNTERS 8
#define PROBE_SUMMARY_MAX 512
#define PROBE_DETAILS_MAX 4096

struct probe_counter {
	char name[32];
	uint64_t value;
};

struct probe_result {
	char probe[32];
	enum probe_status status;
	char summary[PROBE_SUMMARY_MAX];
	char details[PROBE_DETAILS_MAX]; /* lines, each ending in '\n' */
	struct probe_counter counters[PROBE_MAX_COUNTERS];
	size_t ncounters;
	double duration_s;
	double fraction; /* last progress reported, 0..1 */
	bool self_test;
};

/* What a probe body is given, in its own child process. */
struct probe_ctx {
	double duration_s;          /* how long to work */
	bool self_test;             /* inject the fault the probe looks for */
	const char *fault;          /* which fault, when a probe has several;
				     * NULL: its default (QUIRK_PROBE_INJECT) */
	const struct facts *facts;  /* the host's facts; may be NULL */
	int fd;                     /* the report stream to the runner */
};

#define PROBE_MAX_DETECTS 3

struct probe_def {
	const char *name;
	const char *summary;  /* what it checks, one line */
	/* The KB entries whose bugs it reproduces; unused slots NULL. */
	const char *detects[PROBE_MAX_DETECTS];
	enum probe_risk risk;
	double default_s;     /* default --duration */
	double grace_s;       /* deadline = duration + this; 0: the default */
	bool has_self_test;
	/* Limits of the child: CPU seconds per process (0: deadline + 1) and
	 * address space in MiB (0: no limit). */
	unsigned cpu_limit_s, as_limit_mb;
	/* Child side: does the work and ends with probe_finish(). */
	enum probe_status (*run)(struct probe_ctx *c);
};

/* The probes built into quirk, in display order; NULL past the end. */
const struct probe_def *probe_at(size_t i);
/* NULL if there is no probe of that name. */
const struct probe_def *probe_find(const char *name);

/* Progress as the runner sees it: called in the caller's process. */
typedef void (*probe_progress_fn)(void *arg, const struct probe_result *partial,
				  const char *message);

struct probe_opts {
	double duration_s;  /* 0: the probe's default */
	bool self_test;
	const struct facts *facts;
	probe_progress_fn on_progress; /* may be NULL */
	void *arg;
	/* Set non-zero (e.g. from a signal handler) to cancel: the probe's
	 * process group is killed and the result is an error. May be NULL. */
	volatile sig_atomic_t *cancel;
};

/* Runs def in its own child: own process group, killed with quirk
 * (PR_SET_PDEATHSIG or the platform's watchdog), CPU/address-space/core
 * limits, and a hard deadline of the duration plus a grace period. A
 * probe that crashes, hangs, exceeds a limit or is cancelled becomes a
 * result in *r; no process of the probe is left when this returns.
 * PR_SET_PDEATHSIG fires when the forking *thread* ends, so a front end
 * that runs probes from a worker thread keeps that thread alive until
 * this returns (it does: the call blocks). STATUS_ERR_SPAWN (d filled)
 * only if the child cannot be started. */
enum status probe_run(const struct probe_def *def, const struct probe_opts *o,
		      struct probe_result *r, struct diag *d);

/* The wall-clock deadline probe_run() gives def a run of duration_s. */
double probe_deadline_s(const struct probe_def *def, double duration_s);

/* Child side: report to the runner. Each call writes one record of at
 * most PIPE_BUF bytes, atomically, so helper processes of a probe may
 * report through the same descriptor. Errors are ignored: a runner that
 * went away kills the probe anyway. */
void probe_progress(struct probe_ctx *c, double fraction, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void probe_count(struct probe_ctx *c, const char *name, uint64_t value);
void probe_detail(struct probe_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The final result; returns st so a body can `return probe_finish(...)`. */
enum probe_status probe_finish(struct probe_ctx *c, enum probe_status st,
			       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Child side: fork() for a probe's helper processes. The helper dies with
 * its parent and stays in the probe's process group. As fork(). */
pid_t probe_fork(void);

/* def's KB entries joined with ", " into buf (truncated to n); none
 * gives "". Returns buf. */
char *probe_detects_join(const struct probe_def *def, char *buf, size_t n);

/* Value of a counter in r, 0 if absent. */
uint64_t probe_counter_get(const struct probe_result *r, const char *name);

#endif
