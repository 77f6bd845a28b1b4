/* gomlock.c - Go releases and the signal-stack mlock workaround (golang/go runtime/os_linux_x86.go).
 *
 * History (commits in github.com/golang/go; tags checked in copies of the
 * go1.14.1, go1.14.6, go1.14.13, go1.15.2 and go1.15.6 source trees):
 * - 8174f7fb2b (CL 209899, #35777), 1c8d1f45ba (386 too), 9d4717d5f1 (CL
 *   210299), all before go1.14beta1: on linux/amd64 and linux/386, when
 *   uname -r parses as 5.2.x, 5.3.0-5.3.14 or 5.4.0-5.4.1, every new
 *   thread mlocks the top page of its signal stack. If that fails the
 *   program prints "runtime: mlock of signal stack failed: 12",
 *   "runtime: increase the mlock limit (ulimit -l) or" (ENOMEM only),
 *   "runtime: update your kernel to 5.3.15+, 5.4.2+, or 5.5+" and dies
 *   with "fatal error: mlock failed" (go1.14).
 * - b851e51160 (CL 223121, fixes #37436; in go1.14.1): a failed mlock is
 *   remembered, the stack is touched before preemption signals, and a
 *   crash ends with "runtime: note: your Linux kernel may be buggy",
 *   "runtime: note: see https://golang.org/wiki/LinuxKernelSignalVectorBug",
 *   "runtime: note: mlock workaround for kernel bug failed with errno N".
 * - 71218dbc40 (CL 244059, fixes #40184; in go1.15, not in go1.14.x):
 *   5.4.0 and 5.4.1 kernels whose /proc/version contains "Ubuntu" are
 *   skipped ("All 5.4 versions of Ubuntu are patched").
 * - 92bda33d27 (CL 246200, fixes #35979; go1.16): the workaround is gone. */
#include "gomlock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits at *p as a number (bounded); advances *p. -1 if none. */
static long number(const char **p)
{
	long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9' && v < 100000)
		v = v * 10 + (*s++ - '0');
	*p = s;
	return v;
}

enum gomlock_variant gomlock_variant(const char *version)
{
	const char *p = version;
	long major, minor, patch = 0;
	bool beta, rc;

	if (strncmp(p, "go", 2) != 0)
		return GOMLOCK_UNKNOWN;
	p += 2;
	major = number(&p);
	if (major != 1 || *p++ != '.' || (minor = number(&p)) < 0)
		return GOMLOCK_UNKNOWN;
	if (*p == '.' && (p++, (patch = number(&p)) < 0))
		return GOMLOCK_UNKNOWN;
	beta = !strncmp(p, "beta", 4);
	rc = !strncmp(p, "rc", 2);
	if (!beta && !rc && *p && *p != ' ' && *p != '-' && *p != '+')
		return GOMLOCK_UNKNOWN;
	if (minor < 14)
		return GOMLOCK_BEFORE;
	if (minor == 14)
		return (beta || rc || patch == 0) ? GOMLOCK_FATAL : GOMLOCK_NOTE;
	if (minor == 15 && beta)
		return GOMLOCK_NOTE; /* go1.15beta1 (June 2020) predates CL 244059 */
	if (minor == 15)
		return rc ? GOMLOCK_UNKNOWN : GOMLOCK_NOTE_UBUNTU;
	return GOMLOCK_REMOVED;
}

const char *gomlock_variant_name(enum gomlock_variant v)
{
	switch (v) {
	case GOMLOCK_BEFORE: return "none";
	case GOMLOCK_FATAL: return "fatal";
	case GOMLOCK_NOTE: return "note";
	case GOMLOCK_NOTE_UBUNTU: return "note-skips-ubuntu";
	case GOMLOCK_REMOVED: return "removed";
	case GOMLOCK_UNKNOWN: break;
	}
	return "unknown";
}

const char *gomlock_variant_text(enum gomlock_variant v)
{
	switch (v) {
	case GOMLOCK_BEFORE:
		return "no workaround (it came with Go 1.14)";
	case GOMLOCK_FATAL:
		return "locks each thread's signal-stack page on Linux 5.2 to 5.4.1 and dies if it cannot";
	case GOMLOCK_NOTE:
		return "locks each thread's signal-stack page on Linux 5.2 to 5.4.1; if it cannot, it runs on "
		       "and says so only in crash output";
	case GOMLOCK_NOTE_UBUNTU:
		return "locks each thread's signal-stack page on Linux 5.2 to 5.4.1 (not on Ubuntu's 5.4 "
		       "kernels); if it cannot, it runs on and says so only in crash output";
	case GOMLOCK_REMOVED:
		return "no workaround (removed in Go 1.16)";
	case GOMLOCK_UNKNOWN: break;
	}
	return "not a release version: whether it carries the workaround is not known";
}

/* The runtime's parseRelease: "5.4.0-26-generic" -> 5, 4, 0; missing
 * parts are 0; another character within the three numbers makes it give
 * up. */
static bool parse_release(const char *rel, long v[3])
{
	const char *p = rel;

	v[0] = v[1] = v[2] = 0;
	for (int i = 0; i < 3; i++) {
		if ((v[i] = number(&p)) < 0)
			return false;
		if (!*p || *p == '-' || *p == '+')
			return true;
		if (*p++ != '.')
			return false;
	}
	return true; /* what follows the third number's dot is ignored */
}

enum gomlock_tri gomlock_applies(enum gomlock_variant v, const char *release, bool ubuntu)
{
	long r[3];

	if (v == GOMLOCK_BEFORE || v == GOMLOCK_REMOVED)
		return GOMLOCK_NO;
	if (v == GOMLOCK_UNKNOWN || !release)
		return GOMLOCK_UNSURE;
	if (!parse_release(release, r) || r[0] != 5)
		return GOMLOCK_NO;
	if (v == GOMLOCK_NOTE_UBUNTU && r[1] == 4 && r[2] < 2 && ubuntu)
		return GOMLOCK_NO;
	return (r[1] == 2 || (r[1] == 3 && r[2] < 15) || (r[1] == 4 && r[2] < 2)) ? GOMLOCK_YES
										     : GOMLOCK_NO;
}

void gomlock_limit_text(const struct gomlock_host *h, char *buf, size_t n)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	double v = h->memlock;
	int u = 0;

	if (!h->memlock_known) {
		snprintf(buf, n, "(unknown)");
		return;
	}
	if (h->memlock_unlimited) {
		snprintf(buf, n, "unlimited");
		return;
	}
	while (u < 4 && v >= 1024 && (long long)v % 1024 == 0)
		v /= 1024, u++;
	snprintf(buf, n, "%.0f %s", v, units[u]);
}

/* Why the lock may fail here, and how many threads it allows. */
static enum gomlock_tri may_fail(const struct gomlock_host *h, char *why, size_t n)
{
	char lim[32];
	double threads = h->memlock / GOMLOCK_PAGE;

	if (!h->memlock_known) {
		snprintf(why, n, "the memlock limit (ulimit -l) is not known");
		return GOMLOCK_UNSURE;
	}
	gomlock_limit_text(h, lim, sizeof(lim));
	if (h->memlock_unlimited || h->memlock >= GOMLOCK_ENOUGH) {
		snprintf(why, n, "memlock %s is enough", lim);
		return GOMLOCK_NO;
	}
	/* Root (CAP_IPC_LOCK) is not held to the limit. */
	if (threads < 1)
		snprintf(why, n, "memlock %s covers no thread's 4 KiB page (root aside)", lim);
	else
		snprintf(why, n, "memlock %s covers only %.0f threads, a 4 KiB page each (root aside)", lim,
			 threads);
	return GOMLOCK_YES;
}

static const char raise_limit[] =
	"raise the limit (ulimit -l 65536; docker run --ulimit memlock=67108864) or update the kernel "
	"(5.3.15, 5.4.2, 5.5 or later)";

static void judge_applied(const struct gomlock_host *h, struct gomlock_judgement *j)
{
	char why[256];
	enum gomlock_tri fail = may_fail(h, why, sizeof(why));
	bool fatal = j->variant == GOMLOCK_FATAL;
	enum gomlock_tri kernel = h->kernel_affected;

	if (fail == GOMLOCK_NO) {
		j->risk = GOMLOCK_OK;
		snprintf(j->text, sizeof(j->text), "%s; %s, so the lock succeeds and protects Go's signal stacks%s",
			 kernel == GOMLOCK_YES ? "this kernel is affected" :
			 kernel == GOMLOCK_NO ? "this kernel is not affected (the runtime judges by the version number alone)" :
			 "whether this kernel has the bug is not known",
			 why, kernel == GOMLOCK_YES ? "; update the kernel all the same" : ": nothing to do");
	} else if (fatal && fail == GOMLOCK_YES) {
		j->risk = GOMLOCK_AT_RISK;
		snprintf(j->text, sizeof(j->text),
			 "%s; %s: the program dies with \"runtime: mlock of signal stack failed: 12\" and \"fatal error: "
			 "mlock failed\" once its threads exceed that; %s%s",
			 kernel == GOMLOCK_YES ? "this kernel is affected" :
			 kernel == GOMLOCK_NO ? "this kernel is not affected, but the runtime judges by the version number alone" :
			 "whether this kernel has the bug is not known, and it does not matter",
			 why, kernel == GOMLOCK_NO ? "rebuild with Go 1.14.1 or later, or " : "", raise_limit);
	} else if (fail == GOMLOCK_YES && kernel == GOMLOCK_YES) {
		j->risk = GOMLOCK_AT_RISK;
		snprintf(j->text, sizeof(j->text),
			 "this kernel is affected; %s: threads past that run unprotected and memory may be corrupted "
			 "silently (a crash then ends with \"runtime: note: mlock workaround for kernel bug failed with "
			 "errno 12\"); %s", why, raise_limit);
	} else if (kernel == GOMLOCK_NO && !fatal) {
		j->risk = GOMLOCK_OK;
		snprintf(j->text, sizeof(j->text),
			 "this kernel is not affected: nothing to do (the runtime locks signal stacks by the version "
			 "number alone and %s; if a lock fails, a crash for another reason ends with a misleading "
			 "\"runtime: note: your Linux kernel may be buggy\")", why);
	} else {
		j->risk = GOMLOCK_RISK_UNKNOWN;
		snprintf(j->text, sizeof(j->text), "%s; %s: %s",
			 kernel == GOMLOCK_YES ? "this kernel is affected" :
			 kernel == GOMLOCK_NO ? "this kernel is not affected" : "whether this kernel has the bug is not known",
			 why, fatal ? "the program dies if the lock fails" :
			 "threads whose lock fails would run unprotected on an affected kernel");
	}
}

void gomlock_judge(const char *version, const struct gomlock_host *h, struct gomlock_judgement *j)
{
	enum gomlock_tri kernel = h->kernel_affected;

	memset(j, 0, sizeof(*j));
	j->variant = gomlock_variant(version);
	j->applies = GOMLOCK_NO;
	j->risk = GOMLOCK_OK;
	if (strcmp(h->goos, "linux") != 0 || (strcmp(h->arch, "x86_64") != 0 && strcmp(h->arch, "i386") != 0)) {
		snprintf(j->text, sizeof(j->text), "a %s/%s binary: the kernel bug and Go's workaround concern "
			 "Linux x86 programs only", h->goos, h->arch);
		return;
	}
	j->applies = gomlock_applies(j->variant, h->release, h->ubuntu);
	if (j->applies == GOMLOCK_YES) {
		judge_applied(h, j);
	} else if (j->applies == GOMLOCK_NO && kernel == GOMLOCK_YES) {
		j->risk = GOMLOCK_AT_RISK;
		snprintf(j->text, sizeof(j->text),
			 "this kernel is affected and %s: signals can corrupt AVX registers, and so memory, "
			 "silently; update the kernel (5.3.15, 5.4.2, 5.5 or later)",
			 j->variant == GOMLOCK_BEFORE || j->variant == GOMLOCK_REMOVED
				 ? "this Go has no workaround"
				 : "the runtime does not lock signal stacks on it (it takes the version for a fixed one)");
	} else if (j->applies == GOMLOCK_NO && kernel == GOMLOCK_NO) {
		snprintf(j->text, sizeof(j->text), "this kernel is not affected: nothing to do");
	} else if (kernel == GOMLOCK_NO && ((j->variant != GOMLOCK_FATAL && j->variant != GOMLOCK_UNKNOWN) ||
					    gomlock_applies(GOMLOCK_FATAL, h->release, false) == GOMLOCK_NO)) {
		/* Either no lock can fail fatally, or no Go release locks here. */
		snprintf(j->text, sizeof(j->text), "this kernel is not affected: nothing to do");
	} else {
		j->risk = GOMLOCK_RISK_UNKNOWN;
		snprintf(j->text, sizeof(j->text), "%s",
			 j->variant == GOMLOCK_UNKNOWN ? "which Go release built it is not known, so neither is what its runtime does here" :
			 !h->release ? "the kernel release is not known" :
			 "whether this kernel has the bug is not known (quirk explain linux-sigframe-avx-corruption); "
			 "if it has, this program is unprotected");
	}
}
