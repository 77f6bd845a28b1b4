/* probe_clone3.c - the clone3 probe: may this process call clone3(), or
 * does a seccomp filter refuse it in a way that stops libc from starting
 * threads?
 *
 * glibc 2.34 and later create threads and processes with clone3() and
 * fall back to clone() only when it fails with ENOSYS
 * (sysdeps/unix/sysv/linux/clone-internal.c, __clone_internal:
 * "if (ret != -1 || errno != ENOSYS) return ret;"). Container seccomp
 * profiles written before clone3 existed refuse unknown system calls with
 * EPERM, so every pthread_create() then fails (moby/moby#42680; Docker's
 * default profile answers ENOSYS for clone3 since moby/moby#42681).
 *
 * The call made here cannot create a process: a size of 0 is below
 * CLONE_ARGS_SIZE_VER0, so a kernel that has clone3 returns EINVAL before
 * reading the arguments, while a seccomp filter answers before that. It
 * runs in a helper process, so a filter that kills the caller (SIGSYS) is
 * a result too. */
#include "../probe_impl.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __NR_clone3
#define __NR_clone3 435 /* the same number on every architecture */
#endif

struct outcome {
	long ret;
	int err;
};

/* A filter that answers clone3 with action and allows everything else.
 * It does not check the architecture: it lives only in the self-test's
 * helper, which makes no other-ABI system calls. */
static int refuse_clone3(unsigned action)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(code) / sizeof(code[0]), code};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
#ifdef __NR_seccomp
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
#else /* headers before Linux 3.17: the older interface */
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
#endif
}

static const struct {
	const char *name;
	unsigned action;
} faults[] = {
	{"eperm", SECCOMP_RET_ERRNO | EPERM},   /* an old container profile */
	{"enosys", SECCOMP_RET_ERRNO | ENOSYS}, /* today's Docker profile: must pass */
	{"sigsys", SECCOMP_RET_KILL_PROCESS},
};

/* In the helper: the filter if asked for, then the call. */
static void helper(int fd, const unsigned *action)
{
	struct outcome o;

	memset(&o, 0, sizeof(o)); /* the padding goes down the pipe too */
	if (action && refuse_clone3(*action) != 0)
		_exit(2);
	o.ret = syscall(__NR_clone3, NULL, (size_t)0);
	o.err = errno;
	if (o.ret == 0) /* cannot happen with size 0; never run on as a copy */
		_exit(0);
	if (write(fd, &o, sizeof(o)) != (ssize_t)sizeof(o))
		_exit(3);
	_exit(0);
}

/* expect_fail: a self-test whose filter must be seen. */
static enum probe_status judge(struct probe_ctx *c, const struct outcome *o, bool expect_fail)
{
	const char *st = c->self_test ? "self-test: " : "";

	if (expect_fail && (o->ret >= 0 || o->err == EINVAL || o->err == E2BIG || o->err == EFAULT ||
			    o->err == ENOSYS))
		return probe_finish(c, PROBE_ERROR, "self-test: the filter was installed but clone3 still got %s",
				    status_errno_name(o->err));
	if (o->ret >= 0)
		return probe_finish(c, PROBE_ERROR, "clone3 with size 0 returned %ld instead of failing", o->ret);
	switch (o->err) {
	case EINVAL:
	case E2BIG:
	case EFAULT:
		return probe_finish(c, PROBE_PASS, "%sclone3 is available: the deliberately invalid call got %s"
				    " from the kernel", st, status_errno_name(o->err));
	case ENOSYS:
		return probe_finish(c, PROBE_PASS, "%sclone3 answers ENOSYS (a kernel before 5.3, or a filter"
				    " that says so), so libc falls back to clone", st);
	default:
		return probe_finish(c, PROBE_FAIL, "%sclone3 is refused with %s, likely by a seccomp filter that"
				    " predates it: glibc 2.34+ falls back to clone only on ENOSYS, so threads"
				    " cannot start", st, status_errno_name(o->err));
	}
}

enum probe_status probe_clone3(struct probe_ctx *c)
{
	const unsigned *action = NULL;
	struct outcome o = {0, 0};
	int fds[2], ws = 0;
	ssize_t got;
	pid_t pid;

	if (c->self_test) {
		const char *want = c->fault ? c->fault : "eperm";
		for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
			if (!strcmp(faults[i].name, want))
				action = &faults[i].action;
		if (!action)
			return probe_finish(c, PROBE_ERROR, "self-test: no fault \"%s\" (eperm, enosys, sigsys)", want);
		probe_detail(c, "self-test: a seccomp filter answers clone3 with %s", want);
	}
	if (pipe(fds) != 0)
		return probe_finish(c, PROBE_ERROR, "pipe: %s", strerror(errno));
	pid = probe_fork();
	if (pid < 0)
		return probe_finish(c, PROBE_ERROR, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		helper(fds[1], action);
	}
	close(fds[1]);
	got = read(fds[0], &o, sizeof(o));
	close(fds[0]);
	waitpid(pid, &ws, 0);
	probe_progress(c, 1, "clone3 called");
	if (WIFSIGNALED(ws))
		return probe_finish(c, PROBE_FAIL, "%sclone3 kills the caller with SIG%s: so would every thread"
				    " libc starts", c->self_test ? "self-test: " : "",
				    WTERMSIG(ws) == SIGSYS ? "SYS" : strsignal(WTERMSIG(ws)));
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 2)
		return probe_finish(c, PROBE_ERROR, "self-test: cannot install the seccomp filter");
	if (got != (ssize_t)sizeof(o))
		return probe_finish(c, PROBE_ERROR, "the helper ended without a result (status %d)",
				    WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	probe_detail(c, "clone3(NULL, 0) = %ld, errno %s", o.ret, status_errno_name(o.err));
	return judge(c, &o, action && *action != (SECCOMP_RET_ERRNO | ENOSYS));
}
