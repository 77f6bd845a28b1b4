/* jit_linux.c - jit-fork on Linux: the methods, the seccomp filter of the
 * self-test, and what can refuse executable memory here. */
#define _GNU_SOURCE 1 /* ST_NOEXEC */
#include "../jit.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../fileio.h"
#include "../sysparse.h"

#ifndef PR_GET_MDWE
#define PR_GET_MDWE 66 /* Linux 6.3 */
#endif

static const struct jit_method *const methods[] = {&jit_posix_wx, &jit_posix_rwx, &jit_posix_file};

const struct jit_method *const *jit_methods(size_t *n)
{
	*n = sizeof(methods) / sizeof(methods[0]);
	return methods;
}

/* The value of "Key:" in /proc/self/status, or "" if absent. */
static void status_field(const char *key, char *out, size_t n)
{
	char *buf = NULL;

	out[0] = '\0';
	if (fileio_read("/proc/self/status", 1 << 16, &buf, NULL, NULL) != STATUS_OK)
		return;
	sysparse_status_field(buf, key, out, n);
	free(buf);
}

static bool selinux_enforcing(void)
{
	char *buf = NULL;
	size_t len;
	bool on = false;

	if (fileio_read("/sys/fs/selinux/enforce", 64, &buf, &len, NULL) == STATUS_OK)
		on = buf[0] == '1';
	free(buf);
	return on;
}

void jit_explain(const char *method, const char *step, int err, char *buf, size_t n)
{
	char seccomp[32], pax[32];
	int mdwe = prctl(PR_GET_MDWE, 0, 0, 0, 0);
	const char *dir = getenv("TMPDIR");
	struct statvfs vfs;

	buf[0] = '\0';
	if (err != EPERM && err != EACCES)
		return;
	status_field("Seccomp", seccomp, sizeof(seccomp));
	status_field("PaX", pax, sizeof(pax));
	if (!strcmp(method, "file-double-map") && strstr(step, "PROT_EXEC") &&
	    statvfs(dir && *dir ? dir : "/tmp", &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		snprintf(buf, n, "%s is mounted noexec", dir && *dir ? dir : "/tmp");
	else if (mdwe > 0)
		snprintf(buf, n, "memory-deny-write-execute is set on this process (prctl PR_SET_MDWE,"
			 " as systemd's MemoryDenyWriteExecute=yes does on Linux 6.3 and later)");
	else if (atoi(seccomp) == 2)
		snprintf(buf, n, "a seccomp filter denies it (systemd's MemoryDenyWriteExecute=yes installs one;"
			 " so do container runtimes and sandboxes)");
	else if (strchr(pax, 'M'))
		snprintf(buf, n, "PaX MPROTECT is enabled for this program");
	else if (err == EACCES && selinux_enforcing())
		snprintf(buf, n, "SELinux denies execmem to this domain (see `ausearch -m avc` and the"
			 " deny_execmem boolean)");
}

/* The self-test's filter: what systemd installs for MemoryDenyWriteExecute
 * (seccomp_memory_deny_write_execute): mmap with PROT_WRITE and PROT_EXEC,
 * and mprotect/pkey_mprotect adding PROT_EXEC, fail with EPERM. */
#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ARG_LO(i) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[i]))
#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif

int jit_deny_write_execute(void)
{
#ifdef NATIVE_ARCH
	struct sock_filter filter[] = {
		LOAD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
		ALLOW,
		LOAD(nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 5),
		/* mmap: prot is argument 2 (low word on little endian) */
		ARG_LO(2),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_WRITE | PROT_EXEC),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_WRITE | PROT_EXEC, 0, 1),
		DENY,
		ALLOW,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pkey_mprotect, 0, 3),
		/* mprotect, pkey_mprotect: prot is argument 2 */
		ARG_LO(2),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
		DENY,
		ALLOW,
	};
	struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		return errno;
	return 0;
#else
	return ENOSYS;
#endif
}
