/* fuzz_virt.c - libFuzzer entry for the hypervisor and container detection from what a --root
 * tree shows: DMI strings, cpuinfo, CPUID vendor, /sys/hypervisor, the device tree, /run markers,
 * PID 1's environment and cgroup (built by .ci/fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probes/virtparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Input: two bytes of flags (which marker files exist, the CPUID bit,
 * the cgroup namespace, the architecture), then the text evidence in
 * the order of fields[], separated by 0x1e; a field that is not there
 * is a file that is not there. The last, PID 1's environment, keeps its
 * NUL separators and has no terminator of its own. */
#define SEP 0x1e
enum { NFIELDS = 15 };

static const char *const vm_names[] = {"kvm", "amazon", "qemu", "vmware", "oracle", "xen", "bochs", "parallels",
				       "bhyve", "microsoft", "apple", "google", "qnx", "acrn", "sre", "uml",
				       "vm-other", "none", NULL};
static const char *const container_names[] = {"openvz", "wsl", "proot", "lxc", "lxc-libvirt", "systemd-nspawn",
					      "docker", "podman", "rkt", "pouch", "container-other", "none", NULL};

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* -1, 0, 1 from two bits; 3 reads as unknown too. */
static int tri(unsigned bits)
{
	return bits == 1 ? 0 : bits == 2 ? 1 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const arches[] = {NULL, "x86_64", "arm64", "riscv64"};
	struct virt_vm_evidence vm = {0};
	struct virt_container_evidence ct = {0};
	char *field[NFIELDS] = {NULL};
	size_t len[NFIELDS] = {0}, n = 0;
	const uint8_t *p, *end = data + size;
	const char *v;
	int more = 1;

	if (size < 2)
		return 0;
	/* Fields: each its own allocation of exactly its size (plus the
	 * terminator the collectors' reads give, except the environment). */
	for (p = data + 2; more && n < NFIELDS; n++) {
		const uint8_t *sep = n + 1 < NFIELDS ? memchr(p, SEP, (size_t)(end - p)) : NULL;
		const uint8_t *stop = sep ? sep : end;
		len[n] = (size_t)(stop - p);
		field[n] = malloc(len[n] + (n + 1 < NFIELDS) + !len[n]);
		if (!field[n])
			abort();
		memcpy(field[n], p, len[n]);
		if (n + 1 < NFIELDS)
			field[n][len[n]] = '\0';
		more = sep != NULL;
		p = stop + more;
	}

	vm.proc_xen = data[0] & 1;
	vm.xen_dom0 = data[0] & 2;
	vm.device_tree = data[0] & 4;
	vm.dt_fw_cfg = data[0] & 8;
	ct.proc_vz = data[0] & 16;
	ct.proc_bc = data[0] & 32;
	ct.systemd_booted = data[0] & 64;
	ct.containerenv = data[0] & 128;
	ct.dockerenv = data[1] & 1;
	vm.cpu_hypervisor = tri((data[1] >> 1) & 3);
	ct.cgroupns = tri((data[1] >> 3) & 3);
	vm.arch = arches[(data[1] >> 5) & 3];

	for (size_t i = 0; i < 5; i++)
		vm.dmi[i] = field[i];
	vm.cpuinfo = field[5];
	vm.cpuid_vendor = field[6];
	vm.hypervisor_type = field[7];
	vm.dt_hypervisor = field[8];
	ct.osrelease = field[9];
	ct.tracer_comm = field[10];
	ct.host_manager = field[11];
	ct.systemd_container = field[12];
	ct.pid1_cgroup = field[13];
	ct.pid1_environ = field[14];
	ct.pid1_environ_len = len[14];

	if ((v = virt_guest(&vm)) && !one_of(v, vm_names))
		abort();
	if ((v = virt_container(&ct)) && !one_of(v, container_names))
		abort();
	if (vm.cpuid_vendor && !one_of(virt_cpuid_vendor(vm.cpuid_vendor), vm_names))
		abort();
	for (size_t i = 0; i < NFIELDS; i++)
		free(field[i]);
	return 0;
}
