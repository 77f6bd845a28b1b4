/* tui.c - the TUI's main loop: terminal set-up and restore, background
 * fact collection, key dispatch, resize, and the scripted mode tests use. */
#include "tui.h"

#include "tui_curses.h"
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "config.h"
#include "tui_script.h"

#define MIN_COLS 80
#define MIN_ROWS 24

static volatile sig_atomic_t stop_signal;
static struct termios saved_tty;
static bool have_saved_tty;
static char restore_seq[128]; /* leave the alternate screen, show the cursor */

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* A crash in quirk itself: give the terminal back before dying. Only
 * async-signal-safe calls: write() and tcsetattr(). */
static void on_fatal(int sig)
{
	if (restore_seq[0] && write(STDOUT_FILENO, restore_seq, strlen(restore_seq)) < 0)
		restore_seq[0] = '\0';
	if (have_saved_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction stop = {.sa_handler = on_stop}, fatal = {.sa_handler = on_fatal};
	const int stops[] = {SIGINT, SIGTERM, SIGHUP};
	const int fatals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

	sigemptyset(&stop.sa_mask);
	sigemptyset(&fatal.sa_mask);
	fatal.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		sigaction(stops[i], &stop, NULL);
	for (size_t i = 0; i < sizeof(fatals) / sizeof(fatals[0]); i++)
		sigaction(fatals[i], &fatal, NULL);
}

static void save_restore_sequence(void)
{
	const char *caps[] = {"rmcup", "cnorm", "sgr0"};

	restore_seq[0] = '\0';
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *s = tigetstr(caps[i]);
		if (s && s != (char *)-1 && strlen(restore_seq) + strlen(s) < sizeof(restore_seq))
			strcat(restore_seq, s);
	}
}

void tui_put(int y, int x, const char *text)
{
	wchar_t wbuf[1024];
	mbstate_t ps = {0};
	const char *src = text;
	size_t n = mbsrtowcs(wbuf, &src, sizeof(wbuf) / sizeof(wbuf[0]) - 1, &ps);
	int room = COLS - x, used = 0;
	size_t k = 0;

	if (n == (size_t)-1) { /* not valid in this locale: show bytes plainly */
		mvaddnstr(y, x, text, room > 0 ? room : 0);
		return;
	}
	wbuf[n] = L'\0';
	for (; k < n; k++) {
		int w = wcwidth(wbuf[k]);
		if (w < 0)
			wbuf[k] = L'?', w = 1;
		if (used + w > room)
			break;
		used += w;
	}
	if (k > 0)
		mvaddnwstr(y, x, wbuf, (int)k);
}

void tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	va_end(ap);
}

int tui_body_rows(const struct tui *t)
{
	return t->rows - 2;
}

int tui_verdict_pair(enum verdict v)
{
	return v == VERDICT_AFFECTED ? PAIR_AFFECTED : v == VERDICT_UNKNOWN ? PAIR_UNKNOWN : PAIR_CLEAN;
}

void tui_push(struct tui *t, const struct view *v)
{
	if (t->depth == sizeof(t->stack) / sizeof(t->stack[0]))
		return;
	t->stack[t->depth++] = v;
	if (v->open)
		v->open(t);
}

void tui_pop(struct tui *t)
{
	if (t->depth <= 1)
		return;
	if (t->stack[t->depth - 1]->done)
		t->stack[t->depth - 1]->done(t);
	t->depth--;
}

void tui_refresh_findings(struct tui *t)
{
	struct diag d = {""};
	char shown[128] = "";

	/* Detail may be open on the old array: keep it on the same entry. */
	if (t->shown)
		snprintf(shown, sizeof(shown), "%s", t->shown->id);
	t->shown = NULL;
	match_findings_free(t->findings, t->nfindings);
	t->findings = NULL;
	t->nfindings = 0;
	if (match_findings(t->p.kb, NULL, &t->findings, &t->nfindings, &d) != STATUS_OK)
		tui_message(t, "%s", d.msg);
	if (t->sel >= t->nfindings)
		t->sel = t->nfindings ? t->nfindings - 1 : 0;
	for (size_t i = 0; shown[0] && i < t->nfindings; i++)
		if (!strcmp(t->findings[i].id, shown))
			t->shown = &t->findings[i];
	view_check_refresh(t);
}

static void setup_colors(struct tui *t)
{
	const char *no_color = getenv("NO_COLOR");

	t->color = has_colors() && !(no_color && *no_color);
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_AFFECTED, COLOR_RED, -1);
	init_pair(PAIR_UNKNOWN, COLOR_YELLOW, -1);
	init_pair(PAIR_CLEAN, COLOR_GREEN, -1);
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_DIM, COLOR_BLUE, -1);
}

static void draw_frame(struct tui *t)
{
	char title[256];
	char kbver[64] = "?";
	int entries = 0;

	if (t->facts_ready)
		kb_info(t->p.kb, kbver, sizeof(kbver), &entries);
	snprintf(title, sizeof(title), " quirk %s | KB %s, %d entries | facts from %s | %s", QUIRK_VERSION, kbver,
		 entries, t->facts_ready ? t->p.facts_source : "...", t->stack[t->depth - 1]->name);
	attron(t->color ? COLOR_PAIR(PAIR_TITLE) : A_REVERSE);
	mvhline(0, 0, ' ', COLS);
	tui_put(0, 0, title);
	attroff(t->color ? COLOR_PAIR(PAIR_TITLE) : A_REVERSE);
	move(t->rows - 1, 0);
	clrtoeol();
	if (t->status[0]) {
		attron(A_BOLD);
		tui_put(t->rows - 1, 0, t->status);
		attroff(A_BOLD);
	} else {
		tui_put(t->rows - 1, 0, "?:help  /:search  p:probes  c:checklist  e:export  f:filter  q:back/quit");
	}
}

static void draw(struct tui *t)
{
	getmaxyx(stdscr, t->rows, t->cols);
	erase();
	if (t->rows < MIN_ROWS || t->cols < MIN_COLS) {
		char msg[128];
		snprintf(msg, sizeof(msg), "Terminal too small: quirk needs %dx%d, this one is %dx%d.", MIN_COLS,
			 MIN_ROWS, t->cols, t->rows);
		tui_put(0, 0, msg);
		tui_put(1, 0, "Enlarge it, or press q to quit.");
		refresh();
		return;
	}
	if (!t->facts_ready) {
		tui_put(2, 2, "Collecting facts about this machine...");
	} else {
		t->stack[t->depth - 1]->draw(t);
	}
	draw_frame(t);
	refresh();
}

static void global_action(struct tui *t, enum action a)
{
	switch (a) {
	case ACT_QUIT:
		t->quit = true;
		break;
	case ACT_BACK:
		tui_pop(t);
		break;
	case ACT_HELP:
		if (t->stack[t->depth - 1] != &view_help)
			tui_push(t, &view_help);
		break;
	case ACT_SEARCH:
		tui_push(t, &view_search);
		break;
	case ACT_PROBES:
		if (t->stack[t->depth - 1] != &view_probes)
			tui_push(t, &view_probes);
		break;
	case ACT_EXPORT:
		tui_export(t);
		break;
	case ACT_CHECK:
		if (t->stack[t->depth - 1] != &view_check)
			tui_push(t, &view_check);
		break;
	default:
		break;
	}
}

static void handle_key(struct tui *t, int ch)
{
	enum action a;
	MEVENT ev;

	if (ch == KEY_MOUSE) {
		if (getmouse(&ev) != OK)
			return;
		if (ev.bstate & BUTTON4_PRESSED)
			ch = KEY_UP;
		else if (ev.bstate & BUTTON5_PRESSED)
			ch = KEY_DOWN;
		else
			return;
	}
	t->status[0] = '\0';
	a = tui_action(ch);
	if (t->rows < MIN_ROWS || t->cols < MIN_COLS || !t->facts_ready) {
		if (a == ACT_QUIT || a == ACT_BACK)
			t->quit = true;
		return;
	}
	if (t->stack[t->depth - 1]->key(t, a, ch))
		return;
	/* q backs out of a screen; at the Overview it quits. */
	if (a == ACT_QUIT && ch == 'q' && t->depth > 1)
		a = ACT_BACK;
	global_action(t, a);
}

struct facts_job {
	struct tui *t;
	struct diag d;
	bool ok, done;
};

static void *collect_thread(void *arg)
{
	struct facts_job *j = arg;

	j->ok = pipeline_open_quiet(&j->t->p, j->t->o, true, &j->d);
	/* A malformed profile ends quirk like malformed facts do. */
	if (j->ok && !cli_check_prepare(&j->t->p, j->t->o, j->t->profile, sizeof(j->t->profile), &j->t->meta,
					&j->d)) {
		pipeline_close(&j->t->p);
		j->ok = false;
	}
	__atomic_store_n(&j->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void tui_cleanup(struct tui *t)
{
	while (t->depth > 0) {
		if (t->stack[t->depth - 1]->done)
			t->stack[t->depth - 1]->done(t);
		t->depth--;
	}
	match_findings_free(t->findings, t->nfindings);
	checklist_free(t->checks, t->nchecks);
	pager_free(&t->detail);
	pager_free(&t->help);
	pager_free(&t->check_detail);
	kb_search_free(t->hits, t->nhits);
	pipeline_close(&t->p);
}

/* Whether terminfo knows TERM, asked before newterm(), which leaks its
 * screen when it does not. Prints why not. */
static bool term_known(void)
{
	const char *term = getenv("TERM") ? getenv("TERM") : "";
	int err = 1;

	if (setupterm(term, STDOUT_FILENO, &err) == OK) {
		del_curterm(cur_term);
		return true;
	}
	if (err == 0)
		cli_error("cannot start the terminal interface: TERM=%s is not a terminal type terminfo knows"
			  " (try TERM=xterm-256color, or quirk scan)", term);
	else if (err == -1)
		cli_error("cannot start the terminal interface: no terminfo database (TERM=%s)", term);
	else
		cli_error("cannot start the terminal interface: TERM=%s cannot address the cursor", term);
	return false;
}

int tui_main(const struct cli_opts *o)
{
	static struct tui t;
	struct facts_job job = {.t = &t};
	struct tui_script script;
	pthread_t collector;
	SCREEN *screen;
	bool scripted = tui_script_open(&script), known;
	int rc;

	memset(&t, 0, sizeof(t));
	t.o = o;
	setlocale(LC_ALL, "");
	if (pthread_create(&collector, NULL, collect_thread, &job) != 0)
		return cli_error("cannot start collecting facts: %s", strerror(errno));
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		have_saved_tty = true;
	known = scripted || term_known();
	screen = !known ? NULL : scripted ? tui_script_screen(&script) : newterm(NULL, stdout, stdin);
	if (!screen) {
		pthread_join(collector, NULL);
		if (job.ok)
			pipeline_close(&t.p);
		if (known)
			cli_error("cannot start the terminal interface (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
		return EXIT_ERROR;
	}
	set_term(screen);
	save_restore_sequence();
	install_signals();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	setup_colors(&t);
	t.stack[t.depth++] = &view_overview;
	timeout(50);
	while (!t.quit && !stop_signal) {
		int ch;
		if (!t.facts_ready && __atomic_load_n(&job.done, __ATOMIC_ACQUIRE)) {
			pthread_join(collector, NULL);
			if (!job.ok)
				break;
			t.facts_ready = true;
			tui_refresh_findings(&t);
			view_overview.open(&t);
			/* A team's profile is the question of the day: its answer first. */
			if (t.profile[0])
				tui_push(&t, &view_check);
		}
		if (t.facts_ready)
			view_probes_poll(&t);
		draw(&t);
		ch = scripted ? tui_script_key(&script, &t) : getch();
		if (ch == TUI_SCRIPT_END)
			break;
		if (ch == ERR || ch == KEY_RESIZE)
			continue;
		handle_key(&t, ch);
	}
	/* Quit before the facts were in: the exit status is still the verdict. */
	if (!t.facts_ready) {
		pthread_join(collector, NULL);
		if (job.ok) {
			t.facts_ready = true;
			tui_refresh_findings(&t);
		}
	}
	view_probes_stop(&t);
	endwin();
	delscreen(screen);
	tui_script_close(&script);
	if (!job.ok) {
		cli_error("%s", job.d.msg);
		return EXIT_ERROR;
	}
	rc = cli_exit_for(t.findings, t.nfindings);
	tui_cleanup(&t);
	if (stop_signal) {
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
	return rc;
}
