/* gomlock.h - Go's signal-stack mlock workaround for the Linux 5.2-5.4.1 AVX bug: which releases carry it, where it acts, what it means. */
#ifndef QUIRK_GOMLOCK_H
#define QUIRK_GOMLOCK_H

#include <stdbool.h>
#include <stddef.h>

/* What a Go release's runtime does about the bug (sources in gomlock.c). */
enum gomlock_variant {
	GOMLOCK_UNKNOWN,     /* a development build, an unparsable version, or go1.15rc* */
	GOMLOCK_BEFORE,      /* before Go 1.14: no workaround */
	GOMLOCK_FATAL,       /* Go 1.14 (and its betas and RCs): a failed mlock is fatal */
	GOMLOCK_NOTE,        /* Go 1.14.1 to 1.14.x, 1.15beta1: a failed mlock is noted on a crash */
	GOMLOCK_NOTE_UBUNTU, /* Go 1.15.x: as NOTE, and Ubuntu's 5.4.0/5.4.1 kernels are skipped */
	GOMLOCK_REMOVED,     /* Go 1.16 and later: no workaround */
};

enum gomlock_tri { GOMLOCK_NO, GOMLOCK_YES, GOMLOCK_UNSURE };

enum gomlock_risk { GOMLOCK_OK, GOMLOCK_AT_RISK, GOMLOCK_RISK_UNKNOWN };

/* RLIMIT_MEMLOCK the Go wiki suggests (docker --ulimit memlock=67108864). */
#define GOMLOCK_ENOUGH (64.0 * 1024 * 1024)
/* Each thread locks the top page of its signal stack: 4 KiB on x86. */
#define GOMLOCK_PAGE 4096.0

/* The variant of the runtime in a binary whose build info says version
 * ("go1.14.2", "go1.15rc1", "devel go1.18-..."). Never fails. */
enum gomlock_variant gomlock_variant(const char *version);
/* "unknown", "none", "fatal", "note", "note-skips-ubuntu", "removed". */
const char *gomlock_variant_name(enum gomlock_variant v);
/* What that runtime does, one sentence without the version. */
const char *gomlock_variant_text(enum gomlock_variant v);

/* Whether a runtime of variant v locks signal stacks on a kernel whose
 * uname -r is release (NULL: unknown) and whose /proc/version names Ubuntu
 * (ubuntu). It reads the version number only, as the runtime does. */
enum gomlock_tri gomlock_applies(enum gomlock_variant v, const char *release, bool ubuntu);

/* The binary and the host it would run on. */
struct gomlock_host {
	const char *goos, *arch;          /* the binary's: "linux", "x86_64" */
	enum gomlock_tri kernel_affected; /* the KB's verdict on linux-sigframe-avx-corruption */
	const char *release;              /* os.kernel.release; NULL if unknown */
	bool ubuntu;                      /* the kernel's version string names Ubuntu */
	bool memlock_known, memlock_unlimited;
	double memlock;                   /* RLIMIT_MEMLOCK soft limit, bytes */
};

struct gomlock_judgement {
	enum gomlock_variant variant;
	enum gomlock_tri applies;  /* the runtime locks signal stacks on this kernel */
	enum gomlock_risk risk;    /* whether the program is at risk on this host */
	char text[768];            /* why, and what to do */
};

/* The memlock limit of h as text: "64 KiB", "8 MiB", "unlimited", "(unknown)". */
void gomlock_limit_text(const struct gomlock_host *h, char *buf, size_t n);

/* Judges a binary built with version for host h. Never fails. */
void gomlock_judge(const char *version, const struct gomlock_host *h, struct gomlock_judgement *j);

#endif
