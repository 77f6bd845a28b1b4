/* host_darwin.c - macOS host facts from sysctl. */
#include "../host.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>

/* Sets key from a string sysctl; leaves it unknown if the name is absent. */
static enum status sysctl_str(struct facts *f, const char *name,
			      const char *key)
{
	char buf[256];
	size_t len = sizeof(buf);

	if (sysctlbyname(name, buf, &len, NULL, 0) != 0 || len == 0)
		return STATUS_OK;
	buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
	return facts_set_str(f, key, buf);
}

static int sysctl_int(const char *name, int *out)
{
	size_t len = sizeof(*out);

	return sysctlbyname(name, out, &len, NULL, 0);
}

enum status host_os_collect(const struct host_ctx *ctx, struct facts *f,
			    struct diag *d)
{
	struct utsname u;
	struct rlimit rl;
	enum status st = STATUS_OK;
	int arm64 = 0, vmm = 0;
	const char *brand;

	(void)d;
	if (!ctx->live)
		return STATUS_OK;
	st = host_uname(f, &u);
	if (st == STATUS_ERR_NOMEM)
		return st;
	if (st == STATUS_OK) {
		/* Under Rosetta uname says x86_64; the hardware is arm64. */
			st = facts_set_str(f, "cpu.arch",
					   (sysctl_int("hw.optional.arm64", &arm64) == 0 && arm64)
						   ? "arm64"
						   : u.machine);
	}
	if (st == STATUS_OK)
		st = sysctl_str(f, "kern.osproductversion", "os.product_version");
	if (st == STATUS_OK)
		st = sysctl_str(f, "kern.osversion", "os.build");
	if (st == STATUS_OK)
		st = sysctl_str(f, "machdep.cpu.brand_string", "cpu.brand");
	if (st == STATUS_OK)
		st = sysctl_str(f, "hw.model", "hw.model");
	brand = facts_str(f, "cpu.brand");
	if (st == STATUS_OK && brand && strncmp(brand, "Apple ", 6) == 0)
		st = facts_set_str(f, "cpu.vendor", "Apple");
	if (st == STATUS_OK)
		st = sysctl_str(f, "kern.bootargs", "os.kernel.cmdline");
	/* No vsyscall page and no cgroups on macOS. */
	if (st == STATUS_OK)
		st = facts_set_null(f, "os.kernel.vsyscall");
	if (st == STATUS_OK)
		st = facts_set_null(f, "os.cgroup.version");
	/* kern.hv_vmm_present is 1 under any hypervisor (older releases
	 * lack it). On Apple silicon only Apple's Virtualization framework
	 * runs macOS guests; on Intel it could be VMware or Parallels too. */
	if (st == STATUS_OK && sysctl_int("kern.hv_vmm_present", &vmm) == 0 && (!vmm || arm64))
		st = facts_set_str(f, "virt.guest", vmm ? "apple" : "none");
	if (st == STATUS_OK && getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
		if (rl.rlim_cur == RLIM_INFINITY)
			st = facts_set_str(f, "limits.memlock", "unlimited");
		else
			st = facts_set_num(f, "limits.memlock", (double)rl.rlim_cur);
	}
	return st;
}
