/* probe_ymm.c - the ymm-signal probe: does this kernel corrupt AVX (YMM)
 * registers when it delivers a signal onto signal-stack pages that are
 * not present?
 *
 * It keeps the three ingredients of the reproducer on the Go wiki
 * (LinuxKernelSignalVectorBug): YMM registers live across the delivery,
 * the alternate signal stack released with MADV_DONTNEED just before, so
 * writing the signal frame faults, and more AVX-using processes than CPUs,
 * so the task is preempted inside that fault. Where the reproducer has a
 * second thread send a signal every 100 us, each worker here signals
 * itself with tgkill() while its YMM registers hold a known pattern: the
 * kernel delivers the signal on the way out of that system call through
 * the same frame-writing code, and every delivery lands on released pages.
 * That is one trigger per loop instead of one per 100 us sleep. */
#include "../probe_impl.h"

#if defined(__x86_64__)

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define ALTSTACK_SIZE (64 * 1024)
#define RELEASE_SIZE (16 * 1024) /* the frame is written at the top */
#define MIN_TRIGGERS 10000       /* fewer proves nothing */
#define MAX_WORKERS 64
#define NREGS 4

struct worker_slot {
	volatile unsigned long long signals, triggers;
	volatile int state; /* 0 running, 1 done, 2 corruption, 3 setup error */
	int reg, err;
	unsigned char expected[32], got[32];
	char pad[64];
};

struct shared {
	volatile int stop;
	struct worker_slot w[MAX_WORKERS];
};

static struct shared *sh;
static struct worker_slot *me;
static unsigned char *altstack;
static volatile sig_atomic_t released;
static unsigned long long my_signals, my_triggers;
static bool corrupt_next;

static void on_signal(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;

	(void)sig;
	(void)si;
	my_signals++;
	if (released) {
		my_triggers++;
		released = 0;
	}
	/* Self-test: damage the saved xmm0 (low half of ymm0) in the frame,
	 * as the kernel bug would; sigreturn then loads it. */
	if (corrupt_next && uc->uc_mcontext.fpregs) {
		uc->uc_mcontext.fpregs->_xmm[0].element[0] ^= 0x5a5a5a5a;
		corrupt_next = false;
	}
}

/* Loads the pattern into ymm0-3, signals this thread with tgkill (the
 * signal is delivered on the way back from the system call), and stores
 * ymm0-3 as they came back. */
static long roundtrip(const unsigned char in[NREGS][32], unsigned char out[NREGS][32], long tgid,
		      long tid)
{
	long ret;

	__asm__ volatile("vmovdqu 0(%[in]), %%ymm0\n\t"
			 "vmovdqu 32(%[in]), %%ymm1\n\t"
			 "vmovdqu 64(%[in]), %%ymm2\n\t"
			 "vmovdqu 96(%[in]), %%ymm3\n\t"
			 "syscall\n\t"
			 "vmovdqu %%ymm0, 0(%[out])\n\t"
			 "vmovdqu %%ymm1, 32(%[out])\n\t"
			 "vmovdqu %%ymm2, 64(%[out])\n\t"
			 "vmovdqu %%ymm3, 96(%[out])\n\t"
			 "vzeroupper\n\t"
			 : "=a"(ret)
			 : "a"((long)SYS_tgkill), "D"(tgid), "S"(tid), "d"((long)SIGUSR2),
			   [in] "r"(in), [out] "r"(out)
			 : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3");
	return ret;
}

static void publish(void)
{
	me->signals = my_signals;
	me->triggers = my_triggers;
}

static void worker(int idx, bool self_test)
{
	unsigned char in[NREGS][32], out[NREGS][32];
	struct sigaction sa = {0};
	stack_t ss;
	pid_t pid = getpid();
	long tid = syscall(SYS_gettid);

	me = &sh->w[idx];
	altstack = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_sp = altstack;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (altstack == MAP_FAILED || sigaltstack(&ss, NULL) != 0 || sigaction(SIGUSR2, &sa, NULL) != 0) {
		me->err = errno;
		me->state = 3;
		_exit(1);
	}
	/* The pid in the pattern makes another process's registers visible. */
	for (int r = 0; r < NREGS; r++)
		for (int i = 0; i < 32; i++)
			in[r][i] = (unsigned char)(i * 7 + r * 31 + 1);
	for (int r = 0; r < NREGS; r++)
		memcpy(in[r] + 8 * r % 28, &pid, sizeof(pid));
	/* Workers start in step, so self-test detection takes the first
	 * triggers rather than waiting for one late worker. */
	corrupt_next = self_test && idx == 0;
	for (unsigned long long n = 0; !sh->stop; n++) {
		if (madvise(altstack + ALTSTACK_SIZE - RELEASE_SIZE, RELEASE_SIZE, MADV_DONTNEED) != 0) {
			me->err = errno;
			me->state = 3;
			_exit(1);
		}
		released = 1;
		roundtrip((const unsigned char(*)[32])in, out, pid, tid);
		for (int r = 0; r < NREGS; r++) {
			if (memcmp(in[r], out[r], 32) != 0) {
				publish();
				me->reg = r;
				memcpy(me->expected, in[r], 32);
				memcpy(me->got, out[r], 32);
				me->state = 2;
				_exit(0);
			}
		}
		if ((n & 255) == 0)
			publish();
	}
	publish();
	me->state = 1;
	_exit(0);
}

static void hex32(const unsigned char *b, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void totals(int n, unsigned long long *signals, unsigned long long *triggers)
{
	*signals = *triggers = 0;
	for (int i = 0; i < n; i++) {
		*signals += sh->w[i].signals;
		*triggers += sh->w[i].triggers;
	}
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void stop_workers(const pid_t *pids, int n)
{
	sh->stop = 1;
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
}

enum probe_status probe_ymm_signal(struct probe_ctx *c)
{
	pid_t pids[MAX_WORKERS] = {0};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n = ncpu > 0 ? (int)(2 * ncpu) : 2, bad = -1;
	unsigned long long signals, triggers;
	struct timespec t0;
	double t = 0;

	__builtin_cpu_init();
	if (!__builtin_cpu_supports("avx"))
		return probe_finish(c, PROBE_NOT_APPLICABLE, "this CPU (or the kernel) does not enable AVX");
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return probe_finish(c, PROBE_ERROR, "cannot map shared counters: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		pids[i] = probe_fork();
		if (pids[i] == 0)
			worker(i, c->self_test);
		if (pids[i] < 0) {
			stop_workers(pids, i);
			return probe_finish(c, PROBE_ERROR, "cannot start worker process: %s", strerror(errno));
		}
	}
	probe_count(c, "processes", (uint64_t)n);
	while ((t = elapsed(&t0)) < c->duration_s) {
		struct timespec tick = {0, 20 * 1000 * 1000};
		for (int i = 0; i < n && bad < 0; i++)
			if (sh->w[i].state >= 2)
				bad = i;
		if (bad >= 0)
			break;
		totals(n, &signals, &triggers);
		probe_count(c, "triggers", triggers);
		probe_count(c, "signals", signals);
		probe_progress(c, t / c->duration_s, "%llu triggers", triggers);
		nanosleep(&tick, NULL);
	}
	stop_workers(pids, n);
	for (int i = 0; i < n && bad < 0; i++)
		if (sh->w[i].state >= 2)
			bad = i;
	totals(n, &signals, &triggers);
	probe_count(c, "triggers", triggers);
	probe_count(c, "signals", signals);
	probe_detail(c, "%d processes, %.2f s, %llu signals, %llu delivered onto released stack pages"
		     " (%.0f per second)", n, t, signals, triggers, t > 0 ? (double)triggers / t : 0);
	if (bad >= 0 && sh->w[bad].state == 3)
		return probe_finish(c, PROBE_ERROR, "worker setup failed: %s", strerror(sh->w[bad].err));
	if (bad >= 0) {
		char e[65], g[65];
		hex32(sh->w[bad].expected, e);
		hex32(sh->w[bad].got, g);
		probe_detail(c, "ymm%d expected %s", sh->w[bad].reg, e);
		probe_detail(c, "ymm%d got      %s", sh->w[bad].reg, g);
		return probe_finish(c, PROBE_FAIL, "YMM registers corrupted after signal delivery (%s%llu triggers, %.3f s)",
				    c->self_test ? "self-test, " : "", triggers, t);
	}
	if (c->self_test)
		return probe_finish(c, PROBE_ERROR, "self-test: the injected corruption was not detected");
	if (triggers < MIN_TRIGGERS)
		return probe_finish(c, PROBE_ERROR, "inconclusive: only %llu triggers in %.1f s (need %d)",
				    triggers, t, MIN_TRIGGERS);
	return probe_finish(c, PROBE_PASS, "no YMM corruption in %.1f M signal deliveries onto released stack pages",
			    (double)triggers / 1e6);
}

#else

enum probe_status probe_ymm_signal(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "the bug is in Linux's x86 signal code; this is not x86-64");
}

#endif
