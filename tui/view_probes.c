/* view_probes.c - the probes, run in the background with a live progress
 * bar; Esc cancels. A probe that may crash the machine asks first. */
#include "tui_curses.h"
#include <stdio.h>
#include <string.h>

#include "tui.h"

static void on_progress(void *arg, const struct probe_result *partial, const char *message)
{
	struct probe_job *j = arg;

	pthread_mutex_lock(&j->lock);
	j->partial = *partial;
	snprintf(j->message, sizeof(j->message), "%s", message);
	pthread_mutex_unlock(&j->lock);
}

/* The worker thread: it stays alive while the probe runs, as
 * PR_SET_PDEATHSIG needs (probe.h). */
static void *worker(void *arg)
{
	struct probe_job *j = arg;
	struct probe_opts po = {0};

	po.self_test = j->self_test;
	po.on_progress = on_progress;
	po.arg = j;
	po.cancel = &j->cancel;
	j->st = probe_run(j->def, &po, &j->result, &j->d);
	pthread_mutex_lock(&j->lock);
	j->finished = true;
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

static void start(struct tui *t, const struct probe_def *def, bool self_test)
{
	struct probe_job *j = &t->job;

	if (j->running) {
		tui_message(t, "%s is still running (Esc cancels it)", j->def->name);
		return;
	}
	pthread_mutex_init(&j->lock, NULL);
	j->def = def;
	j->self_test = self_test;
	j->finished = false;
	j->cancel = 0;
	j->message[0] = '\0';
	memset(&j->partial, 0, sizeof(j->partial));
	if (pthread_create(&j->thread, NULL, worker, j) != 0) {
		tui_message(t, "cannot start %s", def->name);
		return;
	}
	j->running = true;
	tui_message(t, "%s%s started", def->name, self_test ? " self-test" : "");
}

/* Every safe probe, one after another (a). */
static void run_next_safe(struct tui *t)
{
	for (size_t i = t->run_all_next; probe_at(i); i++) {
		if (probe_at(i)->risk == PROBE_RISK_SAFE) {
			t->run_all_next = i + 1;
			t->probe_sel = i;
			start(t, probe_at(i), false);
			return;
		}
	}
	t->run_all = false;
}

static size_t index_of(const struct probe_def *def)
{
	for (size_t i = 0; probe_at(i); i++)
		if (probe_at(i) == def)
			return i;
	return 0;
}

void view_probes_poll(struct tui *t)
{
	struct probe_job *j = &t->job;
	struct diag d = {""};
	bool finished;
	size_t i;

	if (!j->running)
		return;
	pthread_mutex_lock(&j->lock);
	finished = j->finished;
	pthread_mutex_unlock(&j->lock);
	if (!finished)
		return;
	pthread_join(j->thread, NULL);
	pthread_mutex_destroy(&j->lock);
	j->running = false;
	if (j->st != STATUS_OK) {
		tui_message(t, "%s", j->d.msg);
		return;
	}
	i = index_of(j->def);
	if (i < TUI_MAX_PROBES) {
		t->last[i] = j->result;
		t->have_last[i] = true;
	}
	tui_message(t, "%s%s: %s", j->def->name, j->self_test ? " self-test" : "",
		    probe_status_name(j->result.status));
	/* A self-test's fail is the injected fault, not this machine's. */
	if (!j->self_test) {
		if (cli_probe_to_facts(&t->p.facts, &j->result) != STATUS_OK ||
		    kb_set_facts(t->p.kb, &t->p.facts, &d) != STATUS_OK || match_run(t->p.kb, &d) != STATUS_OK)
			tui_message(t, "%s", d.msg[0] ? d.msg : "out of memory");
		else
			tui_refresh_findings(t);
	}
	if (t->run_all && !j->cancel)
		run_next_safe(t);
	else
		t->run_all = false;
}

void view_probes_stop(struct tui *t)
{
	if (!t->job.running)
		return;
	t->job.cancel = 1;
	pthread_join(t->job.thread, NULL);
	pthread_mutex_destroy(&t->job.lock);
	t->job.running = false;
}

static void draw_progress(struct tui *t, int y)
{
	struct probe_job *j = &t->job;
	struct probe_result r;
	char msg[128], line[256];
	int width = COLS - 40, filled;

	pthread_mutex_lock(&j->lock);
	r = j->partial;
	snprintf(msg, sizeof(msg), "%s", j->message);
	pthread_mutex_unlock(&j->lock);
	filled = (int)(r.fraction * width + 0.5);
	snprintf(line, sizeof(line), "Running %s%s: %3.0f%%  %s", j->def->name, j->self_test ? " (self-test)" : "",
		 r.fraction * 100, msg);
	tui_put(y, 1, line);
	mvaddch(y + 1, 1, '[');
	attron(A_REVERSE);
	mvhline(y + 1, 2, ' ', filled);
	attroff(A_REVERSE);
	mvaddch(y + 1, 2 + width, ']');
	line[0] = '\0';
	for (size_t i = 0; i < r.ncounters; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s %llu", i ? ", " : "",
			 r.counters[i].name, (unsigned long long)r.counters[i].value);
	tui_put(y + 2, 1, line);
	tui_put(y + 3, 1, "Esc cancels.");
}

static void draw_result(const struct probe_result *r, int y)
{
	char line[700];
	const char *d = r->details;

	snprintf(line, sizeof(line), "Last result%s: %s - %s (%.2f s)", r->self_test ? " (self-test)" : "",
		 probe_status_name(r->status), r->summary, r->duration_s);
	attron(A_BOLD);
	tui_put(y++, 1, line);
	attroff(A_BOLD);
	for (int k = 0; *d && k < 6; k++) {
		size_t n = strcspn(d, "\n");
		snprintf(line, sizeof(line), "  %.*s", (int)n, d);
		tui_put(y++, 1, line);
		d += n + (d[n] == '\n');
	}
}

static void draw(struct tui *t)
{
	const struct probe_def *def;
	char line[512], why[768], names[256];
	int y = 2;

	attron(A_BOLD);
	tui_put(1, 1, "Probes (r runs the selected one, t its self-test, a every safe one)");
	attroff(A_BOLD);
	for (size_t i = 0; (def = probe_at(i)); i++, y++) {
		char last[32] = "-";
		if (i < TUI_MAX_PROBES && t->have_last[i])
			snprintf(last, sizeof(last), "%s%s", t->last[i].self_test ? "self-test: " : "",
				 probe_status_name(t->last[i].status));
		if (i == t->probe_sel)
			attron(A_REVERSE);
		mvhline(y, 0, ' ', COLS);
		snprintf(line, sizeof(line), "%-11s %-6s %-20s %s", def->name,
			 def->risk == PROBE_RISK_SAFE ? "safe" : "RISKY", last, def->summary);
		tui_put(y, 1, line);
		attroff(A_REVERSE);
	}
	def = probe_at(t->probe_sel);
	y++;
	snprintf(line, sizeof(line), "%s: %s. Decides %s.", def->name, probe_risk_name(def->risk),
		 def->detects[0] ? probe_detects_join(def, names, sizeof(names)) : "no entry");
	tui_put(y++, 1, line);
	if (!cli_probe_allowed(&t->p, def, false, why, sizeof(why)))
		tui_put(y++, 1, "Refused without confirmation here: nothing known rules out its bug.");
	y++;
	if (t->confirm) {
		attron(A_BOLD);
		snprintf(line, sizeof(line), "%s may crash this machine: %.400s. Run it anyway? [y/N]", def->name, why);
		tui_put(y, 1, line);
		attroff(A_BOLD);
	} else if (t->job.running) {
		draw_progress(t, y);
	} else if (t->probe_sel < TUI_MAX_PROBES && t->have_last[t->probe_sel]) {
		draw_result(&t->last[t->probe_sel], y);
	}
}

static void run_selected(struct tui *t, bool self_test)
{
	const struct probe_def *def = probe_at(t->probe_sel);
	char why[768];

	if (self_test && !def->has_self_test) {
		tui_message(t, "%s has no self-test", def->name);
		return;
	}
	/* A self-test runs no risky code: jit-fork's is forbidden to execute. */
	if (!self_test && !cli_probe_allowed(&t->p, def, false, why, sizeof(why))) {
		t->confirm = true;
		t->confirm_self_test = self_test;
		return;
	}
	start(t, def, self_test);
}

static bool key(struct tui *t, enum action a, int ch)
{
	if (t->confirm) {
		t->confirm = false;
		if (ch == 'y' || ch == 'Y')
			start(t, probe_at(t->probe_sel), t->confirm_self_test);
		else
			tui_message(t, "not run");
		return true;
	}
	size_t nprobes = 0;

	while (probe_at(nprobes))
		nprobes++;
	if (tui_list_key(&t->probe_sel, nprobes, nprobes, a))
		return true;
	switch (a) {
	case ACT_ENTER:
	case ACT_RUN:
		run_selected(t, false);
		return true;
	case ACT_SELF_TEST:
		run_selected(t, true);
		return true;
	case ACT_RUN_SAFE:
		if (t->job.running) {
			tui_message(t, "%s is still running (Esc cancels it)", t->job.def->name);
			return true;
		}
		t->run_all = true;
		t->run_all_next = 0;
		run_next_safe(t);
		return true;
	case ACT_BACK:
		if (t->job.running) {
			t->job.cancel = 1;
			tui_message(t, "cancelling %s", t->job.def->name);
			return true;
		}
		return false;
	default:
		return false;
	}
}

const struct view view_probes = {"Probes", NULL, draw, key, NULL};
