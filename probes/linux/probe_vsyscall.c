/* probe_vsyscall.c - the vsyscall probe: do legacy vsyscalls still work?
 *
 * Old static glibc binaries and old Go binaries call
 * time() and gettimeofday() at fixed addresses in the vsyscall page
 * (0xffffffffff600000 + 0x400 * nr). The kernel emulates them
 * (arch/x86/entry/vsyscall/vsyscall_64.c): with vsyscall=emulate the page
 * is readable and executable, with xonly only executable ([vsyscall] is
 * "r-xp" or "--xp" in /proc/PID/maps), and with vsyscall=none there is no
 * [vsyscall] mapping and emulate_vsyscall() refuses the call, logging
 * "vsyscall attempted with vsyscall=none", so the page fault ends in
 * SIGSEGV (do_user_addr_fault() in arch/x86/mm/fault.c) and the program
 * dies. Here the call runs under a SIGSEGV handler that jumps back, so the
 * crash becomes a "fail".
 *
 * On a vsyscall=none host this leaves that one line in the kernel log.
 * The page is read only where maps says it is readable: a read in xonly
 * mode would log "vsyscall read attempt denied". */
#include "../probe_impl.h"

#if defined(__x86_64__)

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../fileio.h"

#define VSYSCALL_GETTIMEOFDAY 0xffffffffff600000ul
#define VSYSCALL_TIME 0xffffffffff600400ul

typedef long (*time_fn)(long *);
typedef long (*gettimeofday_fn)(struct timeval *, void *);

static sigjmp_buf back;
static void *volatile fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	fault_addr = si->si_addr;
	siglongjmp(back, 1);
}

/* [vsyscall]'s permissions from /proc/self/maps into perms: "" if there
 * is no such mapping; false if maps cannot be read. */
static bool maps_perms(char perms[5])
{
	struct diag d = {""};
	char *maps = NULL, *line;
	size_t len;

	perms[0] = '\0';
	if (fileio_read("/proc/self/maps", 16u << 20, &maps, &len, &d) != STATUS_OK)
		return false;
	for (line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
		const char *sp = strchr(line, ' ');
		if (sp && strstr(line, "[vsyscall]")) {
			snprintf(perms, 5, "%.4s", sp + 1);
			break;
		}
	}
	free(maps);
	return true;
}

/* time() through addr, the way a legacy binary calls it. False with
 * *fault set if it ended in SIGSEGV. */
static bool call_time(unsigned long addr, long *out, void **fault)
{
	time_fn fn = (time_fn)addr;

	if (sigsetjmp(back, 1)) {
		*fault = fault_addr;
		return false;
	}
	*out = fn(NULL);
	return true;
}

static bool call_gettimeofday(unsigned long addr, struct timeval *tv, void **fault)
{
	gettimeofday_fn fn = (gettimeofday_fn)addr;

	if (sigsetjmp(back, 1)) {
		*fault = fault_addr;
		return false;
	}
	return fn(tv, NULL) == 0;
}

static bool readable(unsigned long addr)
{
	if (sigsetjmp(back, 1))
		return false;
	(void)*(volatile const unsigned char *)addr;
	return true;
}

/* An address that is mapped nowhere: a page just unmapped. */
static unsigned long dead_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, 4096) != 0)
		return 0;
	return (unsigned long)p;
}

enum probe_status probe_vsyscall(struct probe_ctx *c)
{
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
	unsigned long at_time = VSYSCALL_TIME, at_gtod = VSYSCALL_GETTIMEOFDAY;
	char perms[5];
	bool have_maps = maps_perms(perms);
	void *fault = NULL;
	struct timeval tv;
	long t = 0, now;
	const char *mode;

	if (c->self_test) {
		if (c->fault)
			return probe_finish(c, PROBE_ERROR, "self-test: no fault \"%s\" (it has one)", c->fault);
		if (!(at_time = at_gtod = dead_page()))
			return probe_finish(c, PROBE_ERROR, "self-test: cannot map a page: %s", strerror(errno));
		probe_detail(c, "self-test: calling a just-unmapped page at %#lx instead", at_time);
	}
	probe_detail(c, "/proc/self/maps: %s", !have_maps ? "unreadable" : perms[0] ? perms : "no [vsyscall]");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) != 0)
		return probe_finish(c, PROBE_ERROR, "sigaction: %s", strerror(errno));
	if (!call_time(at_time, &t, &fault)) {
		probe_detail(c, "time() at %#lx: SIGSEGV (fault address %p)", at_time, fault);
		return probe_finish(c, PROBE_FAIL, "%scalling the vsyscall page crashes (SIGSEGV): vsyscall=none,"
				    " so old static glibc and old Go binaries crash here",
				    c->self_test ? "self-test: " : "");
	}
	if (!call_gettimeofday(at_gtod, &tv, &fault)) {
		probe_detail(c, "gettimeofday() at %#lx: SIGSEGV (fault address %p)", at_gtod, fault);
		return probe_finish(c, PROBE_FAIL, "vsyscall time() works but gettimeofday() crashes (SIGSEGV)");
	}
	now = (long)time(NULL);
	probe_detail(c, "time() at %#lx: %ld (libc: %ld); gettimeofday(): %ld", at_time, t, now, (long)tv.tv_sec);
	if (labs(t - now) > 5 || labs((long)tv.tv_sec - now) > 5)
		return probe_finish(c, PROBE_ERROR, "the vsyscalls returned a wrong time (%ld, %ld; now %ld)", t,
				    (long)tv.tv_sec, now);
	if (c->self_test)
		return probe_finish(c, PROBE_ERROR, "self-test: the call through an unmapped page did not crash");
	/* Read only where maps allows it, or where maps says nothing. */
	if (perms[0] == '-')
		mode = "xonly";
	else
		mode = readable(VSYSCALL_TIME) ? "emulate" : "xonly";
	if (have_maps && perms[0] == 'r' && strcmp(mode, "emulate"))
		probe_detail(c, "maps says readable, but reading the page faulted");
	probe_progress(c, 1, "vsyscall=%s", mode);
	return probe_finish(c, PROBE_PASS, "legacy vsyscalls work (vsyscall=%s: %s)", mode,
			    !strcmp(mode, "emulate") ? "the page is also readable" : "executable, not readable");
}

#else

enum probe_status probe_vsyscall(struct probe_ctx *c)
{
	return probe_finish(c, PROBE_NOT_APPLICABLE, "the vsyscall page exists only for x86-64 processes");
}

#endif
