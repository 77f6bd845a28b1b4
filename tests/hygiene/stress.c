/* stress.c - process-hygiene stress test: many quirk runs of every probe
 * that can run here, several at once, each ended at a random moment by a
 * real cancellation path (SIGINT, SIGTERM, SIGHUP, a closed stdout, the
 * TUI's Esc, SIGKILL, also while a probe's helper processes exist); then
 * no process of theirs may survive and no file of theirs may remain.
 *
 * usage: hygiene_stress QUIRK [meta]
 * HYGIENE_SEED replays a run (its seed is printed first), HYGIENE_RUNS
 * (200) and HYGIENE_JOBS (6) set the size, HYGIENE_GRACE the seconds
 * (5) processes get to die after the runs ended. "meta" plants an escaped
 * process, one without the tag, and leftover files, and passes only if
 * the checks report exactly those: the checks can fail.
 * Exit 0: all clean; 1: something survived, was left or went wrong. */
#define _GNU_SOURCE
#include "hygiene.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 16
#define MAX_PROBES 16
#define JOB_LIMIT_S 60.0 /* a run still going after this is a hang */
#define TAIL 65536
#define PIPE_GRACE_S 10.0 /* a pipe still open this long after quirk ended */
#define MAX_ORPHANS 1024

enum kind { K_PROBE, K_SCAN, K_TUI, NKINDS };
static const char *const kind_names[] = {"probe run", "scan/facts --probes", "tui"};

enum how { H_INT, H_TERM, H_HUP, H_KILL, H_KILL_DEEP, H_EPIPE, H_EPIPE_IGNORED, H_ESC, NHOWS };
static const char *const how_names[] = {"SIGINT", "SIGTERM", "SIGHUP", "SIGKILL",
					"SIGKILL with helpers alive", "closed stdout",
					"closed stdout, SIGPIPE ignored", "Esc in the TUI"};
static const int how_signal[] = {SIGINT, SIGTERM, SIGHUP, SIGKILL, SIGKILL, 0, 0, 0};

/* When the cancel comes: a moment after the start, after the probe's
 * child appeared, or after a helper of the probe appeared. */
enum when { W_START, W_PROBE, W_HELPER };

struct probe_info {
	char name[32];
	bool self_test;
};

struct job {
	int id;
	pid_t pid;
	enum kind kind;
	enum how how;
	enum when when;
	double delay, start, cancel_at, next_step;
	char desc[512], output[HYG_PATH + 32], run_var[32];
	int out_fd, err_fd, pty_fd;
	char err[TAIL], screen[TAIL];
	size_t err_len, screen_len;
	int step;                /* TUI: where in its key script */
	const char *keys;        /* TUI: what starts the probe */
	pid_t probe_pid;         /* the probe's child, once seen twice */
	pid_t candidate;
	bool helper_seen, cancelled, cancel_mid_probe, hung;
	double reaped_at;
	int status;
};

struct stats {
	unsigned runs[NKINDS], hows[NHOWS], mid_probe, with_helpers, tagged_seen, orphans, failures;
	char orphan_names[1024];
	double longest_orphan;
	char longest_cmd[160];
};

/* A process that outlived its run's quirk and became our child. */
struct orphan {
	pid_t pid;
	double since;
	char run[16], cmd[160];
};

static const char *quirk;
static char quirk_exe[PATH_MAX];
static struct sandbox sb;
static struct stats stats;
static struct probe_info probes[MAX_PROBES];
static size_t nprobes;
static unsigned long long rng_state;
static char docker_host[64]; /* a Docker daemon that never answers */
static struct orphan orphans[MAX_ORPHANS];
static size_t norphans;
static double orphan_limit_s;
static struct job jobs[MAX_JOBS];
static unsigned width;

/* splitmix64: the same sequence on every libc, so a seed replays. */
static unsigned long long rnd(void)
{
	unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static double rnd_range(double lo, double hi)
{
	return lo + (hi - lo) * (double)(rnd() >> 11) / (double)(1ull << 53);
}

static void failf(const struct job *j, const char *fmt, const char *detail)
{
	stats.failures++;
	printf("FAIL run %d (%s): %s%s%s\n", j->id, j->desc, fmt, detail && *detail ? "\n  " : "",
	       detail ? detail : "");
}

static unsigned long long env_ull(const char *name, unsigned long long dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return dflt;
	n = strtoull(v, &end, 0);
	if (*end) {
		fprintf(stderr, "hygiene: %s=%s is not a number\n", name, v);
		exit(2);
	}
	return n;
}

/* The probes `quirk probe list` names, with whether each has a self-test. */
static bool load_probes(void)
{
	char *argv[] = {(char *)quirk, "probe", "list", NULL}, buf[16384];
	char **env = sandbox_env(&sb, NULL);
	int out, err, status;
	size_t len = 0;
	ssize_t n;
	pid_t pid = spawn_run(sb.cwd, argv, env, &out, &err, NULL, false);

	free(env);
	if (pid < 0)
		return false;
	fcntl(out, F_SETFL, 0);
	while (len < sizeof(buf) - 1 && (n = read(out, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(out);
	close(err);
	waitpid(pid, &status, 0);
	/* "NAME  RISK  SELF-TEST ..." rows until the blank line; rows that
	 * start with a blank continue the one above. */
	for (char *line = strchr(buf, '\n'); line && line[1] && line[1] != '\n'; line = strchr(line + 1, '\n')) {
		char name[32], risk[16], self[8];
		if (line[1] == ' ' || sscanf(line + 1, "%31s %15s %7s", name, risk, self) != 3)
			continue;
		if (nprobes < MAX_PROBES) {
			snprintf(probes[nprobes].name, sizeof(probes[0].name), "%s", name);
			probes[nprobes++].self_test = !strcmp(self, "yes");
		}
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 && nprobes > 0;
}

static const struct probe_info *find_probe(const char *name)
{
	for (size_t i = 0; i < nprobes; i++)
		if (!strcmp(probes[i].name, name))
			return &probes[i];
	return NULL;
}

/* Faults QUIRK_PROBE_INJECT puts into every probe (probe.c), and the
 * probes' own detections. "memory" is left out: under ASan it would touch
 * gigabytes; its limit is tested in probe_tests.sh. */
static const char *const injects[] = {"segv", "abort", "hang", "cpu", "exit", "helper-hang", "detect"};
#define NINJECTS (sizeof(injects) / sizeof(injects[0]))

static enum how pick_how(enum kind k)
{
	static const unsigned weights[NKINDS][NHOWS] = {
		[K_PROBE] = {14, 14, 10, 14, 16, 10, 6, 0},
		[K_SCAN] = {20, 15, 15, 20, 20, 0, 0, 0},
		[K_TUI] = {5, 10, 10, 10, 15, 0, 0, 50},
	};
	unsigned total = 0, r;

	for (int h = 0; h < NHOWS; h++)
		total += weights[k][h];
	r = rnd_below(total);
	for (int h = 0; h < NHOWS; h++) {
		if (r < weights[k][h])
			return (enum how)h;
		r -= weights[k][h];
	}
	return H_INT;
}

/* Makes up run j: its command, environment and how it is cancelled. */
static bool start_job(struct job *j, int id)
{
	char *argv[16], dur[16], inject[64] = "";
	const char *extra[8] = {NULL};
	const struct probe_info *p = &probes[rnd_below((unsigned)nprobes)];
	bool self_test = false, hangs;
	size_t a = 0, e = 0;
	char **env;
	unsigned r = rnd_below(100);

	memset(j, 0, sizeof(*j));
	j->id = id;
	j->out_fd = j->err_fd = j->pty_fd = -1;
	j->kind = r < 60 ? K_PROBE : r < 80 ? K_SCAN : K_TUI;
	j->how = pick_how(j->kind);
	snprintf(dur, sizeof(dur), "%.1f", rnd_range(0.3, 2.5));
	if (j->how == H_KILL_DEEP) {
		/* ymm-signal's workers live as long as it runs; rdrand runs for
		 * its duration, and so does the injected helper. */
		if (find_probe("ymm-signal") && j->kind != K_SCAN && rnd_below(2))
			p = find_probe("ymm-signal");
		else
			snprintf(inject, sizeof(inject), "QUIRK_PROBE_INJECT=helper-hang");
		if (inject[0] && find_probe("rdrand"))
			p = find_probe("rdrand");
	} else if (rnd_below(100) < 35) {
		snprintf(inject, sizeof(inject), "QUIRK_PROBE_INJECT=%s", injects[rnd_below(NINJECTS)]);
	} else if (p->self_test && rnd_below(100) < 30) {
		self_test = true;
	}
	/* A closed stdout cancels nothing: the run ends on its own first. */
	hangs = strstr(inject, "hang") || strstr(inject, "cpu");
	if ((j->how == H_EPIPE || j->how == H_EPIPE_IGNORED) && hangs)
		inject[0] = '\0';
	if (inject[0])
		extra[e++] = inject;
	/* Mostly the tools cache (kept in the sandbox); sometimes every tool
	 * is run, so cancels also land among the tool processes. */
	if (rnd_below(4) == 0)
		extra[e++] = "QUIRK_NO_CACHE=1";
	/* `docker version` then waits for its deadline in the fact
	 * collection, and cancels land while it waits. */
	if (docker_host[0] && rnd_below(100) < 15)
		extra[e++] = docker_host;
	snprintf(j->run_var, sizeof(j->run_var), "QUIRK_HYGIENE_RUN=%d", id);
	argv[a++] = (char *)quirk;
	if (j->kind == K_PROBE) {
		argv[a++] = "probe";
		argv[a++] = "run";
		argv[a++] = (char *)p->name;
		argv[a++] = "--force";
		if (self_test)
			argv[a++] = "--self-test";
		argv[a++] = "--duration";
		argv[a++] = dur;
		if (rnd_below(2))
			argv[a++] = "--json";
		snprintf(j->desc + strlen(j->desc), sizeof(j->desc) - strlen(j->desc), "probe run %s%s --duration %s",
			 p->name, self_test ? " --self-test" : "", dur);
	} else if (j->kind == K_SCAN) {
		argv[a++] = rnd_below(3) ? "scan" : "facts";
		argv[a++] = "--probes";
		argv[a++] = "--duration";
		argv[a++] = dur;
		argv[a++] = "--json";
		snprintf(j->desc + strlen(j->desc), sizeof(j->desc) - strlen(j->desc), "%s --probes --duration %s",
			 argv[1], dur);
		if (rnd_below(2)) {
			snprintf(j->output, sizeof(j->output), "%s/run-%d.json", sb.out, id);
			argv[a++] = "--output";
			argv[a++] = j->output;
			strcat(j->desc, " --output");
		}
	} else {
		static const char *const keys[] = {"r", "t", "a", "jjjjt", "jjjjjr"};
		argv[a++] = "tui";
		extra[e++] = "TERM=xterm-256color";
		extra[e++] = "LANG=C.UTF-8";
		/* ymm-signal (first) or rdrand (fifth) run long enough for helpers. */
		if (j->how == H_KILL_DEEP)
			j->keys = inject[0] ? "jjjjr" : "r";
		else
			j->keys = keys[rnd_below(sizeof(keys) / sizeof(keys[0]))];
		snprintf(j->desc + strlen(j->desc), sizeof(j->desc) - strlen(j->desc), "tui, p then %s", j->keys);
	}
	argv[a] = NULL;
	for (size_t i = 0; i < e; i++)
		if (strncmp(extra[i], "TERM=", 5) && strncmp(extra[i], "LANG=", 5))
			snprintf(j->desc + strlen(j->desc), sizeof(j->desc) - strlen(j->desc), ", %s", extra[i]);
	if (j->how == H_KILL_DEEP)
		j->when = W_HELPER;
	else
		j->when = j->how == H_ESC || rnd_below(4) ? W_PROBE : W_START;
	j->delay = j->when == W_HELPER ? rnd_range(0, 0.3) : j->when == W_PROBE ? rnd_range(0, 1.2)
										: rnd_range(0, 2.0);
	snprintf(j->desc + strlen(j->desc), sizeof(j->desc) - strlen(j->desc), "; %s %.2f s after %s",
		 how_names[j->how], j->delay,
		 j->when == W_START ? "the start" : j->when == W_PROBE ? "the probe started" : "a helper appeared");
	extra[e++] = j->run_var; /* not in desc: after it */
	env = sandbox_env(&sb, extra);
	if (!env)
		return false;
	j->start = now_s();
	j->cancel_at = j->when == W_START ? j->start + j->delay : 0;
	j->next_step = j->start;
	j->pid = spawn_run(sb.cwd, argv, env, &j->out_fd, &j->err_fd, j->kind == K_TUI ? &j->pty_fd : NULL,
		       j->how == H_EPIPE_IGNORED);
	free(env);
	stats.runs[j->kind]++;
	stats.hows[j->how]++;
	return j->pid > 0;
}

static bool is_quirk_image(pid_t pid)
{
	char link[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	return !strcmp(exe, quirk_exe);
}

/* The probe's child: a child of quirk running quirk's image (tools run
 * other programs), seen on two ticks in a row so that a tool between fork
 * and exec is not taken for it. */
static pid_t probe_child_now(const struct job *j)
{
	pid_t kids[64];
	size_t n = proc_children(j->pid, kids, 64);

	for (size_t i = 0; i < n; i++)
		if (proc_state(kids[i]) != 'Z' && is_quirk_image(kids[i]))
			return kids[i];
	return 0;
}

static void watch_tree(struct job *j)
{
	pid_t child = probe_child_now(j), helpers[8];

	if (child && child == j->candidate && child != j->probe_pid) {
		j->probe_pid = child;
		/* The tag reaches the probe's processes: what finds survivors. */
		if (sandbox_tagged(&sb, child))
			stats.tagged_seen++;
		else if (proc_state(child) != '?' && proc_state(child) != 'Z')
			failf(j, "a probe process without the tag: survivors could go unseen", NULL);
	}
	j->candidate = child;
	if (!child)
		j->probe_pid = 0;
	if (j->probe_pid && !j->helper_seen && proc_children(j->probe_pid, helpers, 8) > 0)
		j->helper_seen = true;
	if (!j->cancel_at && j->when == W_PROBE && j->probe_pid)
		j->cancel_at = now_s() + j->delay;
	if (!j->cancel_at && j->when == W_HELPER && j->helper_seen)
		j->cancel_at = now_s() + j->delay;
}

static void send_keys(struct job *j, const char *keys)
{
	if (j->pty_fd >= 0 && write(j->pty_fd, keys, strlen(keys)) < 0)
		return;
}

static void cancel(struct job *j)
{
	j->cancelled = true;
	j->cancel_mid_probe = probe_child_now(j) != 0;
	stats.mid_probe += j->cancel_mid_probe;
	stats.with_helpers += j->how == H_KILL_DEEP && j->helper_seen;
	if (j->how == H_EPIPE || j->how == H_EPIPE_IGNORED) {
		close(j->out_fd);
		j->out_fd = -1;
	} else if (j->how == H_ESC) {
		send_keys(j, "\033");
		j->step = 4;
		j->next_step = now_s() + 0.3;
	} else {
		kill(j->pid, how_signal[j->how]);
	}
}

/* The TUI's key script: the Probes view, a run, (the cancel,) quit. */
static void drive_tui(struct job *j, double now)
{
	if (now < j->next_step)
		return;
	switch (j->step) {
	case 0: /* the first frame */
		if (memmem(j->screen, j->screen_len, "Findings", 8)) {
			send_keys(j, "p");
			j->step = 1;
			j->next_step = now + 0.25;
		}
		break;
	case 1:
		send_keys(j, j->keys);
		j->step = 2;
		j->next_step = now + 5; /* the probe never seen: cancel anyway */
		break;
	case 2:
		if (!j->cancelled)
			j->cancel_at = now;
		break;
	case 4: /* after Esc: once the probe is gone, quit */
		if (probe_child_now(j) && now < j->next_step + 5)
			break;
		send_keys(j, "q");
		j->step = 5;
		j->next_step = now + 0.2;
		break;
	case 5:
		send_keys(j, "q");
		j->step = 6;
		break;
	default:
		break;
	}
}

static void keep_tail(char *buf, size_t *len, const char *data, size_t n)
{
	if (n >= TAIL) {
		data += n - TAIL / 2;
		n = TAIL / 2;
	}
	if (*len + n > TAIL) {
		size_t drop = *len + n - TAIL;
		memmove(buf, buf + drop, *len - drop);
		*len -= drop;
	}
	memcpy(buf + *len, data, n);
	*len += n;
}

/* Reads what is there; closes fd at EOF (or EIO: a terminal nobody holds). */
static void drain(int *fd, char *buf, size_t *len)
{
	char chunk[4096];
	ssize_t n;

	while (*fd >= 0 && (n = read(*fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			break;
		}
		if (buf)
			keep_tail(buf, len, chunk, (size_t)n);
	}
	close(*fd);
	*fd = -1;
}

static bool open_fds(const struct job *j)
{
	return j->out_fd >= 0 || j->err_fd >= 0 || j->pty_fd >= 0;
}

/* A run's end, judged: only the ways the cancel allows. */
static void judge(struct job *j)
{
	int st = j->status, sig = how_signal[j->how];
	char why[160] = "";
	const char *text = j->kind == K_TUI ? j->screen : j->err;
	size_t len = j->kind == K_TUI ? j->screen_len : j->err_len;
	char detail[2048];

	/* The end of it: what went wrong last. */
	snprintf(detail, sizeof(detail), "%.*s", (int)(len < 2000 ? len : 2000), text + (len < 2000 ? 0 : len - 2000));
	if (memmem(text, len, "Sanitizer", 9) || memmem(text, len, "runtime error:", 14)) {
		snprintf(why, sizeof(why), "a sanitizer report");
	} else if (WIFSIGNALED(st)) {
		int got = WTERMSIG(st);
		bool pipe_end = got == SIGPIPE && j->how == H_EPIPE;
		if (got != sig && !pipe_end && !(got == SIGKILL && j->hung))
			snprintf(why, sizeof(why), "quirk died of signal %d (%s)", got, strsignal(got));
	} else {
		int code = WEXITSTATUS(st);
		bool ok = code == 0 || code == 1 || code == 3;
		/* The TUI gives the terminal back and exits 128+signal. */
		ok = ok || (j->kind == K_TUI && sig && code == 128 + sig);
		ok = ok || (j->how == H_EPIPE_IGNORED && code == 2 && memmem(text, len, "standard output", 15));
		if (!ok)
			snprintf(why, sizeof(why), "quirk exited with status %d", code);
	}
	if (j->hung)
		snprintf(why, sizeof(why), "still running after %.0f s: killed", JOB_LIMIT_S);
	if (why[0])
		failf(j, why, detail);
	else if (getenv("HYGIENE_VERBOSE"))
		printf("run %d (%s): %s %d%s\n", j->id, j->desc, WIFSIGNALED(st) ? "signal" : "exit",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), j->cancel_mid_probe ? ", cancelled mid-probe" : "");
}

static struct job *job_of(struct job *jobs, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (jobs[i].pid == pid)
			return &jobs[i];
	return NULL;
}

/* Notes when processes of the runs become ours: their quirk is gone. */
static void adopt_orphans(const struct job *jobs, size_t njobs)
{
	pid_t kids[256];
	size_t n = proc_children(getpid(), kids, 256);

	for (size_t i = 0; i < n && norphans < MAX_ORPHANS; i++) {
		bool known = false;
		for (size_t k = 0; k < njobs && !known; k++)
			known = jobs[k].pid == kids[i];
		for (size_t k = 0; k < norphans && !known; k++)
			known = orphans[k].pid == kids[i];
		if (known)
			continue;
		orphans[norphans].pid = kids[i];
		orphans[norphans].since = now_s();
		if (!proc_env(kids[i], "QUIRK_HYGIENE_RUN", orphans[norphans].run, sizeof(orphans[0].run)))
			snprintf(orphans[norphans].run, sizeof(orphans[0].run), "?");
		proc_cmdline(kids[i], orphans[norphans].cmd, sizeof(orphans[0].cmd));
		norphans++;
	}
}

/* An orphan ended: it may not have lived on long after its quirk. */
static void orphan_ended(pid_t pid)
{
	for (size_t k = 0; k < norphans; k++) {
		struct orphan *o = &orphans[k];
		double life;
		if (o->pid != pid)
			continue;
		life = now_s() - o->since;
		if (life > stats.longest_orphan) {
			stats.longest_orphan = life;
			snprintf(stats.longest_cmd, sizeof(stats.longest_cmd), "%s", o->cmd);
		}
		if (life > orphan_limit_s) {
			stats.failures++;
			printf("FAIL run %s: its process outlived quirk by %.1f s: %s\n", o->run, life, o->cmd);
		}
		*o = orphans[--norphans];
		return;
	}
}

/* Ends of runs, and of orphans that became ours. */
static void reap(struct job *jobs, size_t njobs)
{
	for (;;) {
		siginfo_t si = {0};
		struct job *j;
		int status;
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid == 0)
			return;
		j = job_of(jobs, njobs, si.si_pid);
		if (!j) {
			char path[64], comm[32] = "";
			FILE *f;
			snprintf(path, sizeof(path), "/proc/%d/comm", (int)si.si_pid);
			if ((f = fopen(path, "r"))) {
				if (fgets(comm, sizeof(comm), f))
					comm[strcspn(comm, "\n")] = '\0';
				fclose(f);
			}
			stats.orphans++;
			if (comm[0] && !strstr(stats.orphan_names, comm) &&
			    strlen(stats.orphan_names) + strlen(comm) + 3 < sizeof(stats.orphan_names))
				snprintf(stats.orphan_names + strlen(stats.orphan_names),
					 sizeof(stats.orphan_names) - strlen(stats.orphan_names), "%s%s",
					 stats.orphan_names[0] ? ", " : "", comm);
			orphan_ended(si.si_pid);
		}
		if (waitpid(si.si_pid, &status, 0) != si.si_pid)
			return;
		if (j) {
			j->status = status;
			j->pid = -j->pid; /* reaped; its pipes may still be open */
			j->reaped_at = now_s();
		}
	}
}

static void print_stats(double elapsed)
{
	printf("hygiene: %u runs in %.1f s:", stats.runs[0] + stats.runs[1] + stats.runs[2], elapsed);
	for (int k = 0; k < NKINDS; k++)
		printf(" %s %u%s", kind_names[k], stats.runs[k], k + 1 < NKINDS ? "," : "\n");
	printf("hygiene: ended by");
	for (int h = 0; h < NHOWS; h++)
		printf(" %s %u%s", how_names[h], stats.hows[h], h + 1 < NHOWS ? "," : "\n");
	printf("hygiene: %u cancels landed while a probe ran, %u SIGKILLs while its helpers lived;"
	       " the tag was seen on %u probe processes\n", stats.mid_probe, stats.with_helpers, stats.tagged_seen);
	printf("hygiene: %u processes outlived their quirk, became the test's and ended (%s);"
	       " the longest lived on %.2f s (limit %.1f s): %s\n", stats.orphans,
	       stats.orphans ? stats.orphan_names : "none", stats.longest_orphan, orphan_limit_s,
	       stats.longest_cmd[0] ? stats.longest_cmd : "-");
}

static void reap_orphans(void)
{
	reap(jobs, width);
}

int main(int argc, char **argv)
{
	unsigned long long seed;
	unsigned runs, started = 0, done = 0, planted_files = 0;
	bool meta = argc > 2 && !strcmp(argv[2], "meta");
	double grace, t0 = now_s();
	size_t survivors, leftovers;

	if (argc < 2 || (argc > 2 && !meta)) {
		fprintf(stderr, "usage: hygiene_stress QUIRK [meta]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	quirk = argv[1];
	if (!realpath(quirk, quirk_exe)) {
		fprintf(stderr, "hygiene: %s: %s\n", quirk, strerror(errno));
		return 2;
	}
	quirk = quirk_exe;
	seed = env_ull("HYGIENE_SEED", ((unsigned long long)getpid() << 32) ^ (unsigned long long)(t0 * 1e6));
	runs = (unsigned)env_ull("HYGIENE_RUNS", meta ? 12 : 200);
	width = (unsigned)env_ull("HYGIENE_JOBS", 6);
	grace = (double)env_ull("HYGIENE_GRACE", 5);
	orphan_limit_s = (double)env_ull("HYGIENE_ORPHAN_MS", 2000) / 1000;
	if (width < 1 || width > MAX_JOBS)
		width = MAX_JOBS;
	rng_state = seed;
	printf("hygiene: seed %llu (HYGIENE_SEED=%llu replays it), %u runs, %u at once%s\n", seed, seed, runs,
	       width, meta ? ", with planted faults" : "");
	if (!sandbox_enter(&sb, seed, quirk_exe))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (!silent_listener(docker_host, sizeof(docker_host)))
		printf("hygiene: no silent Docker daemon (%s): that scenario is left out\n", strerror(errno));
	if (!load_probes()) {
		printf("hygiene: `quirk probe list` failed in the sandbox\n");
		return 1;
	}
	memset(jobs, 0, sizeof(jobs));
	for (unsigned i = 0; i < width; i++)
		jobs[i].out_fd = jobs[i].err_fd = jobs[i].pty_fd = -1;
	while (done < runs) {
		struct pollfd pfd[MAX_JOBS * 2];
		size_t npfd = 0;
		double now = now_s();

		for (unsigned i = 0; i < width; i++) {
			struct job *j = &jobs[i];
			bool idle;
			if (j->pid < 0 && open_fds(j) && now - j->reaped_at > PIPE_GRACE_S) {
				failf(j, "its stdout, stderr or terminal stayed open after quirk ended:"
				      " a process of it still holds them", NULL);
				close(j->out_fd), close(j->err_fd), close(j->pty_fd);
				j->out_fd = j->err_fd = j->pty_fd = -1;
			}
			idle = j->pid <= 0 && !open_fds(j);
			if (idle && j->pid < 0) { /* a run fully over */
				judge(j);
				j->pid = 0;
				done++;
			}
			if (idle && started < runs) {
				if (!start_job(j, (int)++started)) {
					printf("hygiene: cannot start a run: %s\n", strerror(errno));
					return 1;
				}
				if (meta && started == runs / 2)
					planted_files = plant_faults(&sb, orphan_limit_s + 1);
			}
			if (j->pid <= 0)
				continue;
			watch_tree(j);
			if (j->kind == K_TUI)
				drive_tui(j, now);
			if (!j->cancelled && j->cancel_at && now >= j->cancel_at)
				cancel(j);
			if (now - j->start > JOB_LIMIT_S && !j->hung) {
				j->hung = true;
				kill(j->pid, SIGKILL);
			}
		}
		for (unsigned i = 0; i < width; i++) {
			int *fds[3] = {&jobs[i].out_fd, &jobs[i].err_fd, &jobs[i].pty_fd};
			for (int k = 0; k < 3; k++)
				if (*fds[k] >= 0)
					pfd[npfd++] = (struct pollfd){*fds[k], POLLIN, 0};
		}
		poll(pfd, npfd, 10);
		for (unsigned i = 0; i < width; i++) {
			struct job *j = &jobs[i];
			drain(&j->out_fd, NULL, NULL);
			drain(&j->err_fd, j->err, &j->err_len);
			drain(&j->pty_fd, j->screen, &j->screen_len);
		}
		adopt_orphans(jobs, width);
		reap(jobs, width);
	}
	print_stats(now_s() - t0);
	if (stats.tagged_seen == 0) {
		stats.failures++;
		printf("FAIL: no probe process was ever seen: the runs did not reach their probes\n");
	}
	survivors = sandbox_survivors(&sb, grace, reap_orphans);
	leftovers = sandbox_leftovers(&sb);
	sandbox_remove(&sb);
	if (meta) {
		bool caught = survivors == 2 && leftovers == planted_files && stats.failures == 1;
		printf("hygiene: meta: planted 2 survivors, 1 late orphan and %u files; the checks found %zu, %u"
		       " and %zu: %s\n", planted_files, survivors, stats.failures, leftovers, caught ? "ok" : "FAIL");
		return caught ? 0 : 1;
	}
	printf("hygiene: %zu survivors, %zu leftovers, %u failed runs (seed %llu): %s\n", survivors, leftovers,
	       stats.failures, seed, survivors || leftovers || stats.failures ? "FAIL" : "ok");
	return survivors || leftovers || stats.failures ? 1 : 0;
}
