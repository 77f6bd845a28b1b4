/* env_linux.c - where a Linux process runs: its vsyscall page, cgroups,
 * container and hypervisor, read from files under the context's roots.
 * /run and /.dockerenv are looked up under etc_root, the root of the
 * file system tree. */
#include "host_linux.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "../cgroupparse.h"
#include "../fileio.h"
#include "../sysparse.h"
#include "../virtparse.h"

static bool exists(const char *root, const char *path)
{
	char p[4096];

	return access(fileio_join(p, sizeof(p), root, path), F_OK) == 0;
}

static enum status collect_vsyscall(const struct host_ctx *ctx, struct facts *f)
{
	const char *arch = facts_str(f, "cpu.arch"), *v;
	char *maps;

	if (!arch)
		return STATUS_OK;
	/* The page exists only on x86_64. */
	if (strcmp(arch, "x86_64") != 0)
		return facts_set_null(f, "os.kernel.vsyscall");
	/* quirk's own mappings: the live /proc/self is quirk itself. */
	if (!(maps = host_linux_slurp(ctx->proc_root, "/proc/self/maps", NULL)))
		return STATUS_OK;
	v = sysparse_vsyscall(maps);
	free(maps);
	return v ? facts_set_str(f, "os.kernel.vsyscall", v) : STATUS_OK;
}

static enum status collect_cgroups(const struct host_ctx *ctx, struct facts *f,
				   const char *mountinfo)
{
	enum status st = STATUS_OK;
	char *self, *text, file[4096];
	const char *version;

	if (mountinfo) {
		version = cgroup_version(mountinfo);
		st = version ? facts_set_str(f, "os.cgroup.version", version)
			     : facts_set_null(f, "os.cgroup.version");
	}
	self = host_linux_slurp(ctx->proc_root, "/proc/self/cgroup", NULL);
	if (st == STATUS_OK && mountinfo && self &&
	    cgroup_memory_file(mountinfo, self, file, sizeof(file)) &&
	    (text = host_linux_slurp(ctx->sys_root, file, NULL))) {
		/* Text that is no limit value leaves the fact unknown. */
		cgroup_memory_value(text, f);
		free(text);
	}
	free(self);
	text = host_linux_slurp(ctx->proc_root, "/proc/cgroups", NULL);
	if (st == STATUS_OK && text)
		st = cgroup_proc_cgroups(text, f);
	free(text);
	return st;
}

/* Whether quirk sits below the root of a cgroup namespace (systemd's
 * running_in_cgroupns): 1, 0, or -1 when the cgroup layout is unknown. */
static int in_cgroupns(const struct host_ctx *ctx, const char *mountinfo)
{
	const char *version = mountinfo ? cgroup_version(mountinfo) : NULL;

	if (!mountinfo)
		return -1;
	if (!version)
		return 0;
	if (strcmp(version, "v2") == 0) {
		/* cgroup.events exists only below the root, cgroup.type too;
		 * kernels with /sys/kernel/cgroup/features have cgroup.type. */
		if (!exists(ctx->sys_root, "/sys/fs/cgroup/cgroup.events"))
			return 0;
		if (exists(ctx->sys_root, "/sys/fs/cgroup/cgroup.type"))
			return 1;
		return exists(ctx->sys_root, "/sys/kernel/cgroup/features") ? 0 : 1;
	}
	/* v1: release_agent exists only in a hierarchy's root. */
	if (!exists(ctx->sys_root, "/sys/fs/cgroup/systemd"))
		return 0;
	return exists(ctx->sys_root, "/sys/fs/cgroup/systemd/release_agent") ? 0 : 1;
}

/* The comm of the process tracing quirk, for proot; NULL if untraced. */
static char *tracer_comm(const struct host_ctx *ctx)
{
	char *status = host_linux_slurp(ctx->proc_root, "/proc/self/status", NULL);
	char path[64], field[32];
	long pid = status && sysparse_status_field(status, "TracerPid", field, sizeof(field))
			   ? strtol(field, NULL, 10) : 0;

	free(status);
	if (pid <= 0)
		return NULL;
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	return host_linux_slurp(ctx->proc_root, path, NULL);
}

static enum status collect_container(const struct host_ctx *ctx, struct facts *f,
				     const char *mountinfo)
{
	struct virt_container_evidence e = {0};
	char *bufs[6];
	const char *v;

	e.proc_vz = exists(ctx->proc_root, "/proc/vz");
	e.proc_bc = exists(ctx->proc_root, "/proc/bc");
	e.osrelease = bufs[0] = host_linux_slurp(ctx->proc_root, "/proc/sys/kernel/osrelease", NULL);
	e.tracer_comm = bufs[1] = tracer_comm(ctx);
	e.host_manager = bufs[2] = host_linux_slurp(ctx->etc_root, "/run/host/container-manager", NULL);
	e.systemd_container = bufs[3] = host_linux_slurp(ctx->etc_root, "/run/systemd/container", NULL);
	e.systemd_booted = exists(ctx->etc_root, "/run/systemd/system");
	e.pid1_environ = bufs[4] = host_linux_slurp(ctx->proc_root, "/proc/1/environ", &e.pid1_environ_len);
	e.containerenv = exists(ctx->etc_root, "/run/.containerenv");
	e.dockerenv = exists(ctx->etc_root, "/.dockerenv");
	e.pid1_cgroup = bufs[5] = host_linux_slurp(ctx->proc_root, "/proc/1/cgroup", NULL);
	e.cgroupns = in_cgroupns(ctx, mountinfo);
	v = virt_container(&e);
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		free(bufs[i]);
	return v ? facts_set_str(f, "container.runtime", v) : STATUS_OK;
}

/* Xen's control domain runs on the hypervisor, not in a guest. */
static bool xen_dom0(const struct host_ctx *ctx)
{
	char *text = host_linux_slurp(ctx->sys_root, "/sys/hypervisor/properties/features", NULL);
	bool dom0 = false;

	if (text) {
		unsigned long features;
		bool parsed = sscanf(text, "%lx", &features) == 1;
		free(text);
		if (parsed)
			return (features >> 11) & 1; /* XENFEAT_dom0 */
	}
	text = host_linux_slurp(ctx->proc_root, "/proc/xen/capabilities", NULL);
	dom0 = text && strstr(text, "control_d");
	free(text);
	return dom0;
}

static bool fw_cfg_node(const struct host_ctx *ctx)
{
	char p[4096];
	DIR *dir = opendir(fileio_join(p, sizeof(p), ctx->proc_root, "/proc/device-tree"));
	struct dirent *de;
	bool found = false;

	if (!dir)
		return false;
	while (!found && (de = readdir(dir)))
		found = strstr(de->d_name, "fw-cfg") != NULL;
	closedir(dir);
	return found;
}

/* Live x86: the CPUID hypervisor bit and vendor leaf, as systemd reads
 * them. False where CPUID cannot be asked. */
static bool live_cpuid(int *hypervisor, char sig[13])
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned eax, ebx, ecx, edx;

	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return false;
	*hypervisor = (ecx >> 31) & 1;
	if (*hypervisor) {
		__cpuid(0x40000000U, eax, ebx, ecx, edx);
		memcpy(sig, &ebx, 4);
		memcpy(sig + 4, &ecx, 4);
		memcpy(sig + 8, &edx, 4);
		sig[12] = '\0';
	}
	return true;
#else
	(void)hypervisor;
	(void)sig;
	return false;
#endif
}

static enum status collect_vm(const struct host_ctx *ctx, struct facts *f)
{
	static const char *const dmi_files[5] = {
		"/sys/class/dmi/id/product_name", "/sys/class/dmi/id/sys_vendor",
		"/sys/class/dmi/id/board_vendor", "/sys/class/dmi/id/bios_vendor",
		"/sys/class/dmi/id/product_version",
	};
	struct virt_vm_evidence e = {0};
	char *bufs[8] = {NULL}, sig[13] = "";
	const char *v;
	bool x86;

	e.arch = facts_str(f, "cpu.arch");
	x86 = e.arch && strcmp(e.arch, "x86_64") == 0;
	for (size_t i = 0; i < 5; i++)
		e.dmi[i] = bufs[i] = host_linux_slurp(ctx->sys_root, dmi_files[i], NULL);
	e.cpuinfo = bufs[5] = host_linux_slurp(ctx->proc_root, "/proc/cpuinfo", NULL);
	e.proc_xen = exists(ctx->proc_root, "/proc/xen");
	e.xen_dom0 = e.proc_xen && xen_dom0(ctx);
	e.cpu_hypervisor = -1;
	if (x86 && ctx->live && live_cpuid(&e.cpu_hypervisor, sig)) {
		if (e.cpu_hypervisor)
			e.cpuid_vendor = sig;
	} else if (x86 && facts_get(f, "cpu.flags")) {
		/* The kernel lists CPUID's hypervisor bit as the flag. */
		e.cpu_hypervisor = facts_list_has(f, "cpu.flags", "hypervisor");
	}
	e.hypervisor_type = bufs[6] = host_linux_slurp(ctx->sys_root, "/sys/hypervisor/type", NULL);
	e.device_tree = exists(ctx->proc_root, "/proc/device-tree");
	e.dt_hypervisor = bufs[7] =
		host_linux_slurp(ctx->proc_root, "/proc/device-tree/hypervisor/compatible", NULL);
	e.dt_fw_cfg = e.device_tree && fw_cfg_node(ctx);
	v = virt_guest(&e);
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		free(bufs[i]);
	return v ? facts_set_str(f, "virt.guest", v) : STATUS_OK;
}

enum status host_linux_env(const struct host_ctx *ctx, struct facts *f)
{
	char *mountinfo = host_linux_slurp(ctx->proc_root, "/proc/self/mountinfo", NULL);
	enum status st = collect_vsyscall(ctx, f);

	if (st == STATUS_OK)
		st = collect_cgroups(ctx, f, mountinfo);
	if (st == STATUS_OK)
		st = collect_container(ctx, f, mountinfo);
	if (st == STATUS_OK)
		st = collect_vm(ctx, f);
	free(mountinfo);
	return st;
}
