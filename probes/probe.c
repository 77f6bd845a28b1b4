/* probe.c - the isolated probe runner: one child per probe, a deadline,
 * limits, and a result whatever the child does. */
#include "probe_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe_guard.h"
#include "sanitizer.h"


#define TICK_MS 100
#define LINE_MAX_BYTES 4096

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double probe_deadline_s(const struct probe_def *def, double duration_s)
{
	if (def->grace_s > 0)
		return duration_s + def->grace_s;
	/* Room for start-up and for the probe to wind down and report. */
	return duration_s + (duration_s < 10 ? 5 : duration_s / 2);
}

pid_t probe_fork(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0 && !probe_guard_helper(parent))
		_exit(127);
	return pid;
}

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = {soft, hard};

	setrlimit(resource, &rl);
}

/* QUIRK_PROBE_INJECT makes any probe misbehave in a chosen way, so the
 * isolation promised above is tested for real: the runner must turn each
 * into a result and leave no process behind. "detect" runs the probe's
 * self-test in place of the real check, to prove what a "fail" does;
 * "detect:NAME" picks one of the faults a probe's self-test knows. */
static void inject_fault(struct probe_ctx *c)
{
	const char *what = getenv("QUIRK_PROBE_INJECT");

	if (!what)
		return;
	if (!strcmp(what, "detect")) {
		c->self_test = true;
	} else if (!strncmp(what, "detect:", 7)) {
		c->self_test = true;
		c->fault = what + 7;
	} else if (!strcmp(what, "segv")) {
		raise(SIGSEGV);
	} else if (!strcmp(what, "abort")) {
		abort();
	} else if (!strcmp(what, "hang")) {
		for (;;)
			pause();
	} else if (!strcmp(what, "cpu")) {
		for (volatile unsigned long i = 0;; i++)
			;
	} else if (!strcmp(what, "memory")) {
		/* Touch memory until the address-space limit stops us; 8 GiB
		 * means there was no limit. */
		for (int i = 0; i < 8192; i++) {
			char *p = malloc(1 << 20);
			if (!p)
				_exit(3);
			memset(p, 1, 1 << 20);
		}
		_exit(4);
	} else if (!strcmp(what, "exit")) {
		_exit(3);
	} else if (!strcmp(what, "helper-hang")) {
		/* A helper that hangs while its parent returns a result. */
		if (probe_fork() == 0)
			for (;;)
				pause();
	}
}

static void close_other_fds(int keep1, int keep2)
{
	long max = sysconf(_SC_OPEN_MAX);

	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < max; fd++)
		if (fd != keep1 && fd != keep2)
			close(fd);
}

static void reset_signals(void)
{
	sigset_t none;
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	sigemptyset(&dfl.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_main(const struct probe_def *def, const struct probe_opts *o,
		       double duration, double deadline, pid_t parent, int report_fd,
		       int death_fd)
{
	struct probe_ctx c = {duration, o->self_test, NULL, o->facts, report_fd};
	rlim_t cpu = def->cpu_limit_s ? def->cpu_limit_s : (rlim_t)ceil(deadline) + 1;
	int devnull;

	setpgid(0, 0);
	if (!probe_guard_child(parent, death_fd))
		_exit(127);
	reset_signals();
	close_other_fds(report_fd, death_fd);
	/* A probe must not scribble on the caller's terminal. */
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		if (!getenv("QUIRK_PROBE_STDERR"))
			dup2(devnull, STDERR_FILENO);
		if (devnull > STDERR_FILENO)
			close(devnull);
	}
	set_limit(RLIMIT_CORE, 0, 0);
	/* SIGXCPU at the soft limit says why; SIGKILL at the hard one if the
	 * probe ignores it. */
	set_limit(RLIMIT_CPU, cpu, cpu + 1);
#ifndef QUIRK_UNDER_ASAN /* ASan reserves terabytes of address space */
	if (def->as_limit_mb)
		set_limit(RLIMIT_AS, (rlim_t)def->as_limit_mb << 20, (rlim_t)def->as_limit_mb << 20);
#endif
	inject_fault(&c);
	def->run(&c);
	_exit(0);
}

enum drained { DRAINED_DATA, DRAINED_NOTHING, DRAINED_EOF };

/* Reads what is available, applying complete lines. */
static enum drained drain(int fd, char *buf, size_t *used, struct probe_result *r,
			  bool *have_result, const struct probe_opts *o)
{
	ssize_t n = read(fd, buf + *used, LINE_MAX_BYTES - *used);
	char *start = buf, *nl;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? DRAINED_NOTHING : DRAINED_EOF;
	if (n == 0)
		return DRAINED_EOF;
	*used += (size_t)n;
	while ((nl = memchr(start, '\n', *used - (size_t)(start - buf)))) {
		const char *msg;
		*nl = '\0';
		msg = probe_record_apply(r, start, have_result);
		if (msg && o->on_progress)
			o->on_progress(o->arg, r, msg);
		start = nl + 1;
	}
	*used -= (size_t)(start - buf);
	memmove(buf, start, *used);
	if (*used == LINE_MAX_BYTES) /* a line longer than any record: drop */
		*used = 0;
	return DRAINED_DATA;
}

static const char *signal_abbrev(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{SIGSEGV, "SEGV"}, {SIGBUS, "BUS"}, {SIGILL, "ILL"}, {SIGFPE, "FPE"},
		{SIGABRT, "ABRT"}, {SIGTRAP, "TRAP"}, {SIGSYS, "SYS"}, {SIGKILL, "KILL"},
		{SIGXCPU, "XCPU"}, {SIGXFSZ, "XFSZ"}, {SIGTERM, "TERM"}, {SIGPIPE, "PIPE"},
		{SIGALRM, "ALRM"}, {SIGINT, "INT"}, {SIGHUP, "HUP"}, {SIGQUIT, "QUIT"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return NULL;
}

static void describe_end(const struct probe_def *def, struct probe_result *r, int ws,
			 bool have_result, double deadline)
{
	if (WIFSIGNALED(ws)) {
		int sig = WTERMSIG(ws);
		r->status = PROBE_CRASHED;
		if (sig == SIGXCPU)
			snprintf(r->summary, sizeof(r->summary),
				 "exceeded its CPU time limit (%.0f s) and was killed (SIGXCPU)",
				 def->cpu_limit_s ? (double)def->cpu_limit_s : ceil(deadline) + 1);
		else if (sig == SIGKILL)
			snprintf(r->summary, sizeof(r->summary),
				 "was killed (SIGKILL) from outside, e.g. by the OOM killer");
		else if (signal_abbrev(sig))
			snprintf(r->summary, sizeof(r->summary), "crashed with SIG%s (%s)",
				 signal_abbrev(sig), strsignal(sig));
		else
			snprintf(r->summary, sizeof(r->summary), "crashed with signal %d (%s)", sig,
				 strsignal(sig));
	} else if (!have_result) {
		r->status = PROBE_ERROR;
		snprintf(r->summary, sizeof(r->summary), "exited with status %d without a result",
			 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	}
}

enum status probe_run(const struct probe_def *def, const struct probe_opts *o,
		      struct probe_result *r, struct diag *d)
{
	double duration = o->duration_s > 0 ? o->duration_s : def->default_s;
	double deadline = probe_deadline_s(def, duration), start;
	int report[2], death[2], ws = 0;
	char buf[LINE_MAX_BYTES];
	size_t used = 0;
	bool have_result = false, open_pipe = true, ended_itself = false;
	pid_t pid, parent = getpid();

	memset(r, 0, sizeof(*r));
	snprintf(r->probe, sizeof(r->probe), "%s", def->name);
	r->self_test = o->self_test;
	if (o->self_test && !def->has_self_test) {
		r->status = PROBE_ERROR;
		snprintf(r->summary, sizeof(r->summary), "%s has no self-test", def->name);
		return STATUS_OK;
	}
	if (pipe(report) != 0)
		return diag_set(d, STATUS_ERR_SPAWN, "probe %s: pipe: %s", def->name, strerror(errno));
	if (pipe(death) != 0) {
		close(report[0]);
		close(report[1]);
		return diag_set(d, STATUS_ERR_SPAWN, "probe %s: pipe: %s", def->name, strerror(errno));
	}
	fcntl(report[0], F_SETFD, FD_CLOEXEC);
	fcntl(death[1], F_SETFD, FD_CLOEXEC);
	start = now_s();
	pid = fork();
	if (pid < 0) {
		int err = errno;
		close(report[0]), close(report[1]), close(death[0]), close(death[1]);
		return diag_set(d, STATUS_ERR_SPAWN, "probe %s: fork: %s", def->name, strerror(err));
	}
	if (pid == 0)
		child_main(def, o, duration, deadline, parent, report[1], death[0]);
	setpgid(pid, pid); /* also here: whichever runs first wins the race */
	close(report[1]);
	close(death[0]);
	fcntl(report[0], F_SETFL, O_NONBLOCK);

	for (;;) {
		double left = start + deadline - now_s();
		struct pollfd pfd = {report[0], POLLIN, 0};

		if (o->cancel && *o->cancel) {
			kill(-pid, SIGKILL);
			waitpid(pid, &ws, 0);
			r->status = PROBE_ERROR;
			snprintf(r->summary, sizeof(r->summary), "cancelled after %.1f s", now_s() - start);
			break;
		}
		if (left <= 0) {
			kill(-pid, SIGKILL);
			waitpid(pid, &ws, 0);
			r->status = PROBE_TIMEOUT;
			snprintf(r->summary, sizeof(r->summary), "timed out after %.0f s", deadline);
			break;
		}
		if (open_pipe && poll(&pfd, 1, left * 1000 < TICK_MS ? (int)(left * 1000) + 1 : TICK_MS) > 0)
			open_pipe = drain(report[0], buf, &used, r, &have_result, o) != DRAINED_EOF;
		else if (!open_pipe)
			usleep(TICK_MS * 1000 / 10);
		/* The child may end while a helper still holds the pipe open. */
		if (waitpid(pid, &ws, WNOHANG) == pid) {
			/* What the child wrote before it ended; bounded, as a helper
			 * that lives on could keep writing. */
			for (int i = 0; open_pipe && i < 64; i++)
				if (drain(report[0], buf, &used, r, &have_result, o) != DRAINED_DATA)
					break;
			ended_itself = true;
			break;
		}
	}
	/* Whatever is left of the probe's process group goes now. */
	kill(-pid, SIGKILL);
	if (ended_itself)
		describe_end(def, r, ws, have_result, deadline);
	close(report[0]);
	close(death[1]);
	r->duration_s = now_s() - start;
	return STATUS_OK;
}
