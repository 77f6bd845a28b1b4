/* cmd_probe.c - `quirk probe list|run`, and probes for `scan --probes`. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/match.h"
#include "../probes/probe.h"
#include "cli.h"
#include "json_out.h"

static volatile sig_atomic_t cancelled;

static void on_cancel(int sig)
{
	(void)sig;
	cancelled = 1;
}

bool cli_probe_allowed(struct pipeline *p, const struct probe_def *def, bool force, char *why,
		       size_t n)
{
	struct diag d = {""};
	char reason[384] = "", names[256];
	bool out = def->detects[0] != NULL;

	why[0] = '\0';
	if (def->risk == PROBE_RISK_SAFE || force)
		return true;
	/* Every bug it may trigger must be ruled out. */
	for (size_t i = 0; i < PROBE_MAX_DETECTS && def->detects[i] && out; i++)
		if (match_rules_out_host(p->kb, def->detects[i], &out, reason, sizeof(reason), &d) != STATUS_OK)
			out = false;
	if (out)
		return true;
	snprintf(why, n, "%s %s, and nothing known about this host rules out %s (%s); run it with --force"
		 " to accept the risk", def->name, probe_risk_name(def->risk),
		 def->detects[0] ? probe_detects_join(def, names, sizeof(names)) : "that",
		 d.msg[0] ? d.msg : reason[0] ? reason : "it checks no fact about the host");
	return false;
}

void cli_probe_refused(struct probe_result *r, const struct probe_def *def, const char *why)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->probe, sizeof(r->probe), "%s", def->name);
	r->status = PROBE_REFUSED;
	snprintf(r->summary, sizeof(r->summary), "%.*s", (int)sizeof(r->summary) - 1, why);
}

enum status cli_probe_to_facts(struct facts *f, const struct probe_result *r)
{
	char key[96];
	enum status st;

	snprintf(key, sizeof(key), "probe.%s.status", r->probe);
	if ((st = facts_set_str(f, key, probe_status_name(r->status))) != STATUS_OK)
		return st;
	snprintf(key, sizeof(key), "probe.%s.summary", r->probe);
	return facts_set_str(f, key, r->summary);
}

void cli_probe_json(FILE *out, const struct probe_result *r)
{
	bool first = true, inner = true;
	const char *line = r->details;

	putc('{', out);
	json_key(out, &first, "probe");
	json_str(out, r->probe);
	json_key(out, &first, "status");
	json_str(out, probe_status_name(r->status));
	json_key(out, &first, "summary");
	json_str(out, r->summary);
	json_key(out, &first, "details");
	putc('[', out);
	while (*line) {
		size_t len = strcspn(line, "\n");
		char buf[PROBE_DETAILS_MAX];
		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (!inner)
			putc(',', out);
		inner = false;
		json_str(out, buf);
		line += len + (line[len] == '\n');
	}
	putc(']', out);
	json_key(out, &first, "counters");
	putc('{', out);
	inner = true;
	for (size_t i = 0; i < r->ncounters; i++) {
		json_key(out, &inner, r->counters[i].name);
		fprintf(out, "%llu", (unsigned long long)r->counters[i].value);
	}
	putc('}', out);
	json_key(out, &first, "duration_s");
	fprintf(out, "%.3f", r->duration_s);
	json_key(out, &first, "self_test");
	fputs(r->self_test ? "true" : "false", out);
	putc('}', out);
}

void cli_probe_json_list(FILE *out, const struct probe_result *r, size_t n)
{
	putc('[', out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', out);
		cli_probe_json(out, &r[i]);
	}
	putc(']', out);
}

static void print_text(FILE *out, const struct probe_result *r)
{
	char upper[32];
	const char *line = r->details;
	size_t i;

	for (i = 0; probe_status_name(r->status)[i] && i < sizeof(upper) - 1; i++)
		upper[i] = (char)(probe_status_name(r->status)[i] & ~0x20);
	upper[i] = '\0';
	fprintf(out, "%s%s: %s  %s\n", r->probe, r->self_test ? " (self-test)" : "", upper, r->summary);
	while (*line) {
		size_t len = strcspn(line, "\n");
		fprintf(out, "  %.*s\n", (int)len, line);
		line += len + (line[len] == '\n');
	}
	if (r->ncounters) {
		fputs("  counters:", out);
		for (i = 0; i < r->ncounters; i++)
			fprintf(out, " %s=%llu", r->counters[i].name, (unsigned long long)r->counters[i].value);
		putc('\n', out);
	}
	fprintf(out, "  duration: %.2f s\n", r->duration_s);
}

/* A one-line progress bar on stderr, for people watching a terminal. */
static void draw_progress(void *arg, const struct probe_result *r, const char *msg)
{
	int filled = (int)(r->fraction * 24 + 0.5);

	(void)arg;
	fprintf(stderr, "\r\033[K%s [%.*s%*s] %3.0f%% %.60s", r->probe, filled,
		"########################", 24 - filled, "", r->fraction * 100, msg);
	fflush(stderr);
}

enum status cli_probe_execute(struct pipeline *p, const struct probe_def *def,
			      const struct cli_opts *o, struct probe_result *r, struct diag *d)
{
	struct probe_opts po = {o->duration_s, o->self_test, &p->facts, NULL, NULL, &cancelled};
	struct sigaction sa = {.sa_handler = on_cancel}, old[3];
	const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	bool bar = isatty(STDERR_FILENO) && !getenv("NO_PROGRESS");
	enum status st;

	if (bar)
		po.on_progress = draw_progress;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	st = probe_run(def, &po, r, d);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (bar)
		fputs("\r\033[K", stderr);
	return st;
}

bool cli_probe_cancelled(void)
{
	return cancelled != 0;
}

bool cli_probe_host_only(const struct cli_opts *o)
{
	if (o->facts_file || o->root || o->cpuid_dump) {
		cli_error("probes run on this machine; --facts, --root and --cpuid describe another");
		return false;
	}
	return true;
}

/* Width of the DECIDES column: the longest entry id a probe decides. */
static int detects_width(void)
{
	const struct probe_def *def;
	size_t w = strlen("DECIDES");

	for (size_t i = 0; (def = probe_at(i)); i++)
		for (size_t k = 0; k < PROBE_MAX_DETECTS && def->detects[k]; k++)
			if (strlen(def->detects[k]) > w)
				w = strlen(def->detects[k]);
	return (int)w;
}

int cmd_probe_list(const struct cli_opts *o)
{
	struct pipeline p;
	const struct probe_def *def;
	bool first = true;

	if (!cli_probe_host_only(o) || !pipeline_open(&p, o, true))
		return EXIT_ERROR;
	if (o->json)
		putchar('[');
	else
		printf("%-11s %-7s %-9s %-*s %s\n", "PROBE", "RISK", "SELF-TEST", detects_width(), "DECIDES", "CHECKS");
	for (size_t i = 0; (def = probe_at(i)); i++) {
		char why[768];
		bool allowed = cli_probe_allowed(&p, def, false, why, sizeof(why));
		if (!o->json) {
			/* One entry a line: the first beside the probe, the others below it. */
			printf("%-11s %-7s %-9s %-*s %s\n", def->name,
			       def->risk == PROBE_RISK_SAFE ? "safe" : "machine", def->has_self_test ? "yes" : "no",
			       detects_width(), def->detects[0] ? def->detects[0] : "-", def->summary);
			for (size_t k = 1; k < PROBE_MAX_DETECTS && def->detects[k]; k++)
				printf("%-11s %-7s %-9s %s\n", "", "", "", def->detects[k]);
			if (!allowed)
				printf("%-11s refused here without --force: %s\n", "", why);
			continue;
		}
		bool m = true;
		if (!first)
			putchar(',');
		first = false;
		putchar('{');
		json_key(stdout, &m, "name");
		json_str(stdout, def->name);
		json_key(stdout, &m, "summary");
		json_str(stdout, def->summary);
		json_key(stdout, &m, "risk");
		json_str(stdout, def->risk == PROBE_RISK_SAFE ? "safe" : "machine");
		json_key(stdout, &m, "risk_text");
		json_str(stdout, probe_risk_name(def->risk));
		json_key(stdout, &m, "self_test");
		fputs(def->has_self_test ? "true" : "false", stdout);
		json_key(stdout, &m, "detects");
		putchar('[');
		for (size_t k = 0; k < PROBE_MAX_DETECTS && def->detects[k]; k++) {
			if (k)
				putchar(',');
			json_str(stdout, def->detects[k]);
		}
		putchar(']');
		json_key(stdout, &m, "default_duration_s");
		printf("%g", def->default_s);
		json_key(stdout, &m, "allowed_here");
		fputs(allowed ? "true" : "false", stdout);
		json_key(stdout, &m, "refusal");
		json_str(stdout, allowed ? NULL : why);
		putchar('}');
	}
	if (o->json)
		puts("]");
	else
		printf("\nrisk: safe, or machine = %s (run only where the KB rules the host out, or with"
		       " --force)\n", probe_risk_name(PROBE_RISK_MACHINE));
	pipeline_close(&p);
	return EXIT_CLEAN;
}

int cmd_probe_run(const struct cli_opts *o)
{
	const struct probe_def *def = probe_find(o->arg);
	struct probe_result r;
	struct pipeline p;
	struct diag d = {""};
	char why[768];
	int rc;

	if (!def) {
		char names[256] = "";
		for (size_t i = 0; probe_at(i); i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
				 probe_at(i)->name);
		return cli_error("no probe named \"%s\" (probes: %s)", o->arg, names);
	}
	if (o->self_test && !def->has_self_test)
		return cli_error("%s has no self-test", def->name);
	if (!cli_probe_host_only(o) || !pipeline_open(&p, o, true))
		return EXIT_ERROR;
	if (!cli_probe_allowed(&p, def, o->force || o->self_test, why, sizeof(why))) {
		cli_probe_refused(&r, def, why);
	} else if (cli_probe_execute(&p, def, o, &r, &d) != STATUS_OK) {
		pipeline_close(&p);
		return cli_error("%s", d.msg);
	}
	pipeline_close(&p);
	if (o->json) {
		cli_probe_json(stdout, &r);
		putchar('\n');
	} else {
		print_text(stdout, &r);
	}
	/* --self-test is the alarm's test button: it works when it fails. */
	if (o->self_test)
		rc = r.status == PROBE_FAIL ? EXIT_CLEAN : EXIT_AFFECTED;
	else
		rc = r.status == PROBE_PASS ? EXIT_CLEAN : r.status == PROBE_FAIL ? EXIT_AFFECTED : EXIT_UNKNOWN;
	return rc;
}
