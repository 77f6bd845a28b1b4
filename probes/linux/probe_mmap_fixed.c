/* probe_mmap_fixed.c - the mmap-fixed probe: tiny fixed mappings at
 * addresses no process may own. A correct kernel answers each with an
 * error (or, below mmap_min_addr, a mapping a privileged process may
 * have) and keeps working; Asterinas before v0.11.0 hit an assertion in
 * VmarInner::alloc_free_region and panicked (asterinas#1604, fixed by
 * asterinas#1746), which is why this probe is refused on hosts the KB
 * cannot rule out. */
#include "../probe_impl.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000 /* Linux 4.17 */
#endif

/* The flags of the asterinas#1604 reproducer's crashing call. */
#define REPRO_FLAGS                                                            \
	(MAP_SHARED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | MAP_DENYWRITE |   \
	 MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_STACK |  \
	 MAP_HUGETLB)

struct request {
	const char *what;
	uintptr_t addr;
	size_t len;
	int prot, flags;
	bool user_space; /* a privileged process may legitimately get it */
};

static const struct request requests[] = {
	{"asterinas#1604 reproducer flags, fixed at 0", 0, 2, PROT_READ, REPRO_FLAGS | MAP_FIXED, true},
	{"MAP_FIXED at 0", 0, 2, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, true},
	{"MAP_FIXED at 0x1000", 0x1000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, true},
	{"MAP_FIXED_NOREPLACE at 0x1000", 0x1000, 2, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, true},
	{"MAP_FIXED in the non-canonical hole", (uintptr_t)0x0000800000000000ull, 4096, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, false},
	{"MAP_FIXED in kernel space", (uintptr_t)0xffff800000000000ull, 4096, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, false},
	{"MAP_FIXED_NOREPLACE in kernel space", (uintptr_t)0xffffffff80000000ull, 2, PROT_READ,
	 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, false},
	{"MAP_FIXED straddling the end of the address space", (uintptr_t)0xfffffffffffff000ull, 8192,
	 PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, false},
};

enum probe_status probe_mmap_fixed(struct probe_ctx *c)
{
	const size_t n = sizeof(requests) / sizeof(requests[0]);
	unsigned refused = 0, granted = 0;
	const struct request *wrong = NULL;
	void *check, *kept[sizeof(requests) / sizeof(requests[0])] = {0};

	if (sizeof(void *) != 8)
		return probe_finish(c, PROBE_NOT_APPLICABLE, "the addresses tried are those of 64-bit kernels");
	for (size_t i = 0; i < n; i++) {
		const struct request *q = &requests[i];
		void *p = mmap((void *)q->addr, q->len, q->prot, q->flags, -1, 0);
		int err = errno;

		probe_progress(c, (double)(i + 1) / (double)n, "%s", q->what);
		if (p == MAP_FAILED) {
			refused++;
			probe_detail(c, "%s: refused with %s", q->what, status_errno_name(err));
			continue;
		}
		granted++;
		probe_detail(c, "%s: mapped at %p", q->what, p);
		kept[i] = p;
		/* Without MAP_FIXED_NOREPLACE support a kernel treats the address
		 * as a hint; that is fine as long as it is a user address. */
		if (!q->user_space && (uintptr_t)p == q->addr && !wrong)
			wrong = q;
	}
	probe_count(c, "requests", n);
	probe_count(c, "refused", refused);
	/* Still working: an ordinary mapping must succeed afterwards. With
	 * the fixed mappings still in place, this is the call that met the
	 * assertion in asterinas#1604. */
	check = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < n; i++)
		if (kept[i])
			munmap(kept[i], requests[i].len);
	if (check == MAP_FAILED)
		return probe_finish(c, PROBE_FAIL, "an ordinary mmap fails after the fixed requests: %s",
				    strerror(errno));
	memset(check, 1, 4096);
	munmap(check, 4096);
	if (wrong)
		return probe_finish(c, PROBE_FAIL, "the kernel mapped memory outside user space (%s)", wrong->what);
	return probe_finish(c, PROBE_PASS, "%zu fixed mappings outside user space answered correctly"
			    " (%u refused, %u granted in user space) and the kernel kept working",
			    n, refused, granted);
}
