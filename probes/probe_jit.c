/* probe_jit.c - the jit-fork probe: what V8, YJIT and Wasmtime do to run
 * generated code, including across fork(), step by step, so a refusal is
 * reported with the step, the errno and the likely cause. */
#define _GNU_SOURCE 1 /* O_TMPFILE */
#include "config.h"
#include "jit.h"
#include "probe_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CODE_SIZE 4096

/* A function returning value, in the host's machine code. Returns its
 * length, 0 on an architecture the probe cannot write code for. */
static size_t emit_return(unsigned char *p, unsigned value)
{
#if defined(__x86_64__) || defined(__i386__)
	p[0] = 0xb8; /* mov eax, imm32 */
	memcpy(p + 1, &value, 4);
	p[5] = 0xc3; /* ret */
	return 6;
#elif defined(__aarch64__)
	unsigned insn[2] = {0x52800000u | ((value & 0xffffu) << 5), /* movz w0, #value */
			    0xd65f03c0u};                            /* ret */
	memcpy(p, insn, sizeof(insn));
	return sizeof(insn);
#else
	(void)p;
	(void)value;
	return 0;
#endif
}

/* A call into generated code that faults must become a step failure. */
static sigjmp_buf call_env;
static volatile sig_atomic_t call_signal;

static void on_fault(int sig)
{
	call_signal = sig;
	siglongjmp(call_env, 1);
}

/* Calls the code at x; 0 if it returned want, else -1 with *sig set when
 * it faulted. */
static int call_code(unsigned char *x, unsigned want, int *sig)
{
	struct sigaction sa = {.sa_handler = on_fault}, old[3];
	const int sigs[3] = {SIGSEGV, SIGBUS, SIGILL};
	unsigned got = 0;
	int rc = 0;

	sigemptyset(&sa.sa_mask);
	*sig = 0;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	if (sigsetjmp(call_env, 1) == 0) {
		unsigned (*fn)(void);
		memcpy(&fn, &x, sizeof(fn)); /* object to function pointer */
		got = fn();
	} else {
		*sig = call_signal;
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (*sig || got != want)
		rc = -1;
	return rc;
}

struct outcome {
	const char *step;
	int err, sig;
};

static bool write_code(const struct jit_method *m, struct jit_region *r, unsigned value,
		       struct outcome *o)
{
	if ((o->err = m->begin_write(r, &o->step)) != 0)
		return false;
	emit_return(r->w, value);
	return (o->err = m->end_write(r, &o->step)) == 0;
}

static bool run_code(struct jit_region *r, unsigned value, const char *step, struct outcome *o)
{
	o->step = step;
	if (call_code(r->x, value, &o->sig) == 0)
		return true;
	return false;
}

/* The fork child: the inherited code still runs, and (for private
 * memory) new code can be written and run. Exit status 0, or 1 after
 * reporting the failed step. */
static void in_child(struct probe_ctx *c, const struct jit_method *m, struct jit_region *r)
{
	struct outcome o = {0};
	bool ok = run_code(r, 0x1111, "call inherited code in the fork child", &o);

	if (ok && !m->shared)
		ok = write_code(m, r, 0x3333, &o) && run_code(r, 0x3333, "call new code in the fork child", &o);
	if (!ok)
		probe_detail(c, "%s: fork child: %s failed (%s)", m->name, o.step,
			     o.sig ? strsignal(o.sig) : o.err ? strerror(o.err) : "wrong result");
	_exit(ok ? 0 : 1);
}

static bool try_method(struct probe_ctx *c, const struct jit_method *m, struct outcome *o)
{
	struct jit_region r = {0};
	bool ok;
	int ws;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if ((o->err = m->map(&r, &o->step)) != 0)
		return false;
	ok = write_code(m, &r, 0x1111, o) && run_code(&r, 0x1111, "call generated code", o);
	if (ok) {
		o->step = "fork";
		pid = probe_fork();
		if (pid == 0)
			in_child(c, m, &r);
		if (pid < 0) {
			o->err = errno;
			ok = false;
		} else if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
			o->step = "run code in the fork child";
			if (WIFSIGNALED(ws))
				o->sig = WTERMSIG(ws);
			ok = false;
		}
	}
	/* The child's writes must not show in the parent (private memory),
	 * and the parent can still write after fork. */
	ok = ok && run_code(&r, 0x1111, "call the parent's code after the child rewrote its copy", o) &&
	     write_code(m, &r, 0x2222, o) && run_code(&r, 0x2222, "call code rewritten after fork", o);
	m->unmap(&r);
	return ok;
}

enum probe_status probe_jit_fork(struct probe_ctx *c)
{
	unsigned char probe_buf[8];
	size_t n;
	const struct jit_method *const *methods = jit_methods(&n);
	const struct jit_method *failed = NULL;
	struct outcome first = {0};
	char names[128] = "", why[256];

	if (emit_return(probe_buf, 0) == 0)
		return probe_finish(c, PROBE_NOT_APPLICABLE, "no code generator for this CPU architecture");
	if (c->self_test) {
		int err = jit_deny_write_execute();
		if (err)
			return probe_finish(c, PROBE_ERROR, "self-test: cannot forbid write+execute memory here: %s",
					    strerror(err));
		probe_detail(c, "self-test: write+execute memory is forbidden by a seccomp filter, as"
			     " MemoryDenyWriteExecute=yes does");
	}
	for (size_t i = 0; i < n; i++) {
		struct outcome o;
		bool ok = try_method(c, methods[i], &o);
		probe_progress(c, (double)(i + 1) / (double)n, "%s", methods[i]->name);
		if (ok) {
			probe_detail(c, "%s (%s): works, also across fork", methods[i]->name, methods[i]->how);
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 names[0] ? ", " : "", methods[i]->name);
			continue;
		}
		probe_detail(c, "%s (%s): %s failed: %s", methods[i]->name, methods[i]->how, o.step,
			     o.sig ? strsignal(o.sig) : o.err ? strerror(o.err) : "the code returned a wrong value");
		if (!failed) {
			failed = methods[i];
			first = o;
		}
	}
	if (!failed)
		return probe_finish(c, PROBE_PASS, "generated code runs (%s), before and after fork", names);
	jit_explain(failed->name, first.step, first.err, why, sizeof(why));
	if (why[0])
		probe_detail(c, "likely cause: %s", why);
	return probe_finish(c, PROBE_FAIL, "%s: %s failed (%s%s%s)%s%s", failed->name, first.step,
			    first.err ? status_errno_name(first.err) : "", first.err ? ": " : "",
			    first.sig ? strsignal(first.sig) : first.err ? strerror(first.err) : "wrong result",
			    why[0] ? "; likely cause: " : "", why);
}

/* The POSIX methods. */

static void unmap_same(struct jit_region *r)
{
	munmap(r->x, r->len);
}

static int map_rw(struct jit_region *r, const char **step)
{
	*step = "mmap(PROT_READ|PROT_WRITE)";
	r->len = CODE_SIZE;
	r->x = r->w = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return r->x == MAP_FAILED ? errno : 0;
}

static int wx_begin(struct jit_region *r, const char **step)
{
	*step = "mprotect(PROT_READ|PROT_WRITE)";
	return mprotect(r->x, r->len, PROT_READ | PROT_WRITE) ? errno : 0;
}

static int wx_end(struct jit_region *r, const char **step)
{
	*step = "mprotect(PROT_READ|PROT_EXEC)";
	if (mprotect(r->x, r->len, PROT_READ | PROT_EXEC))
		return errno;
	__builtin___clear_cache((char *)r->x, (char *)r->x + r->len);
	return 0;
}

const struct jit_method jit_posix_wx = {
	"wx-flip", "mmap RW, write, mprotect RX", false, map_rw, wx_begin, wx_end, unmap_same,
};

static int map_rwx(struct jit_region *r, const char **step)
{
	*step = "mmap(PROT_READ|PROT_WRITE|PROT_EXEC)";
	r->len = CODE_SIZE;
	r->x = r->w = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return r->x == MAP_FAILED ? errno : 0;
}

static int nothing(struct jit_region *r, const char **step)
{
	(void)r;
	*step = "write code";
	return 0;
}

static int flush(struct jit_region *r, const char **step)
{
	*step = "flush the instruction cache";
	__builtin___clear_cache((char *)r->x, (char *)r->x + r->len);
	return 0;
}

const struct jit_method jit_posix_rwx = {
	"rwx", "mmap RWX, write, call", false, map_rwx, nothing, flush, unmap_same,
};

/* libffi closures and some JITs map a file twice when anonymous W+X is
 * refused; a noexec TMPDIR breaks them. */
static int map_file(struct jit_region *r, const char **step)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd, err = 0;

	if (!dir || !*dir)
		dir = "/tmp";
	*step = "create a file in TMPDIR";
	fd = -1;
#if QUIRK_HAVE_O_TMPFILE
	/* A file that never has a name: a probe killed now leaves nothing. */
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) { /* no O_TMPFILE here or on this file system */
		snprintf(path, sizeof(path), "%s/quirk-jit-XXXXXX", dir);
		if ((fd = mkstemp(path)) < 0)
			return errno;
		unlink(path);
	}
	r->len = CODE_SIZE;
	*step = "ftruncate";
	if (ftruncate(fd, CODE_SIZE) != 0) {
		err = errno;
		close(fd);
		return err;
	}
	*step = "mmap the file PROT_READ|PROT_WRITE";
	r->w = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->w == MAP_FAILED) {
		err = errno;
		close(fd);
		return err;
	}
	*step = "mmap the file PROT_READ|PROT_EXEC";
	r->x = mmap(NULL, CODE_SIZE, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (r->x == MAP_FAILED) {
		err = errno;
		munmap(r->w, CODE_SIZE);
	}
	close(fd);
	return err;
}

static void unmap_two(struct jit_region *r)
{
	munmap(r->w, r->len);
	munmap(r->x, r->len);
}

const struct jit_method jit_posix_file = {
	"file-double-map", "a TMPDIR file mapped RW and RX", true, map_file, nothing, flush, unmap_two,
};
