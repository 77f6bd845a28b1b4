/* test_hostenv.c - cgroup, vsyscall, WSL, microcode-signature, container
 * and hypervisor parsers on real samples (tests/fixtures). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "probes/cgroupparse.h"
#include "probes/sysparse.h"
#include "probes/virtparse.h"

static void cgroup_versions(void **state)
{
	static const struct {
		const char *file, *want;
	} rows[] = {
		{"cgroup/runc-fedora20-v1.mountinfo", "v1"},
		{"cgroup/runc-docker-v1.mountinfo", "v1"},
		{"cgroup/runc-fedora-hybrid.mountinfo", "hybrid"},
		{"cgroup/wsl2-ubuntu-v2.mountinfo", "v2"},
		{"roots/this-machine/proc/self/mountinfo", "hybrid"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *text = fixture(rows[i].file);
		const char *got = cgroup_version(text);
		if (!got || strcmp(got, rows[i].want))
			fail_msg("%s: got %s, want %s", rows[i].file, got ? got : "(null)", rows[i].want);
		free(text);
	}
	/* A mount table without any cgroup file system. */
	assert_null(cgroup_version(""));
}

static void memory_files(void **state)
{
	char *mi, *cg, out[4096];

	(void)state;
	/* v1: memory's own line of /proc/self/cgroup, below the memory mount. */
	mi = fixture("cgroup/runc-fedora20-v1.mountinfo");
	cg = fixture("cgroup/coreos-systemd225.cgroup");
	assert_true(cgroup_memory_file(mi, cg, out, sizeof(out)));
	assert_string_equal(out, "/sys/fs/cgroup/memory/system.slice/system-sshd.slice/"
				 "sshd@126-10.240.0.15:22-xxx.yyy.zzz.aaa:33678.service/memory.limit_in_bytes");
	assert_false(cgroup_memory_file(mi, cg, out, 40)); /* does not fit */
	free(mi);
	/* The container's v1 mounts start at its own cgroup: a process
	 * outside it has no file there. */
	mi = fixture("cgroup/runc-docker-v1.mountinfo");
	assert_false(cgroup_memory_file(mi, cg, out, sizeof(out)));
	free(mi);
	free(cg);
	/* v2: the "0::" path below the cgroup2 mount. */
	mi = fixture("cgroup/wsl2-ubuntu-v2.mountinfo");
	cg = fixture("cgroup/fedora32-docker.cgroup");
	assert_true(cgroup_memory_file(mi, cg, out, sizeof(out)));
	assert_string_equal(out, "/sys/fs/cgroup/system.slice/docker-1487ca74e6c3206b7d5a16e8a7a3064ef5d817d14b7d1c4794b61d357d7da2a2.scope/memory.max");
	free(cg);
	/* v1 /proc/self/cgroup has no "0::" line for the v2 mount. */
	cg = fixture("cgroup/coreos-systemd225.cgroup");
	assert_false(cgroup_memory_file(mi, cg, out, sizeof(out)));
	free(cg);
	free(mi);
	/* This machine: memory on v1, in a child cgroup. */
	mi = fixture("roots/this-machine/proc/self/mountinfo");
	cg = fixture("roots/this-machine/proc/self/cgroup");
	assert_true(cgroup_memory_file(mi, cg, out, sizeof(out)));
	assert_string_equal(out, "/sys/fs/cgroup/memory/process_api/6ecf4ca384fc05667e8f4a0416967223/memory.limit_in_bytes");
	free(cg);
	free(mi);
}

static void memory_values(void **state)
{
	struct facts f;
	char *text;

	(void)state;
	facts_init(&f);
	text = fixture("cgroup/v2-default.memory.max");
	assert_true(cgroup_memory_value(text, &f));
	assert_string_equal(facts_str(&f, "os.cgroup.memory_max"), "unlimited");
	free(text);
	facts_remove(&f, "os.cgroup.memory_max");
	/* v1's "no limit": LONG_MAX rounded down to the 4 KiB page. */
	text = fixture("roots/this-machine/sys/fs/cgroup/memory/process_api/6ecf4ca384fc05667e8f4a0416967223/memory.limit_in_bytes");
	assert_true(cgroup_memory_value(text, &f));
	assert_string_equal(facts_str(&f, "os.cgroup.memory_max"), "unlimited");
	free(text);
	facts_remove(&f, "os.cgroup.memory_max");
	/* The limit set in cockroachdb/cockroach#56840. */
	assert_true(cgroup_memory_value("3999997952\n", &f));
	assert_true(facts_get(&f, "os.cgroup.memory_max")->num == 3999997952.0);
	facts_remove(&f, "os.cgroup.memory_max");
	assert_false(cgroup_memory_value("", &f));
	assert_false(cgroup_memory_value("max 100\n", &f));
	assert_null(facts_get(&f, "os.cgroup.memory_max"));
	facts_free(&f);
}

static void proc_cgroups(void **state)
{
	struct facts f;
	char *text;

	(void)state;
	facts_init(&f);
	text = fixture("roots/this-machine/proc/cgroups");
	assert_int_equal(cgroup_proc_cgroups(text, &f), STATUS_OK);
	assert_int_equal(facts_get(&f, "os.cgroup.proc_cgroups")->nlist, 12);
	assert_true(facts_list_has(&f, "os.cgroup.proc_cgroups", "memory"));
	assert_false(facts_list_has(&f, "os.cgroup.proc_cgroups", "#subsys_name"));
	free(text);
	/* Raspberry Pi 5 with the memory controller switched off. */
	text = fixture("roots/rpi5-6.12/proc/cgroups");
	assert_int_equal(cgroup_proc_cgroups(text, &f), STATUS_OK);
	assert_int_equal(facts_get(&f, "os.cgroup.proc_cgroups")->nlist, 10);
	assert_true(facts_list_has(&f, "os.cgroup.proc_cgroups", "pids"));
	assert_false(facts_list_has(&f, "os.cgroup.proc_cgroups", "memory"));
	free(text);
	facts_free(&f);
}

static void vsyscall_maps(void **state)
{
	char *text = fixture("roots/this-machine/proc/self/maps");
	char *cut;

	(void)state;
	assert_string_equal(sysparse_vsyscall(text), "xonly");
	/* The same maps with the page read-execute (vsyscall=emulate) and
	 * without the line (vsyscall=none). */
	cut = strstr(text, "--xp 00000000 00:00 0                  [vsyscall]");
	assert_non_null(cut);
	memcpy(cut, "r-xp", 4);
	assert_string_equal(sysparse_vsyscall(text), "emulate");
	memcpy(cut, "r--p", 4);
	assert_null(sysparse_vsyscall(text));
	cut = strstr(text, "ffffffffff600000");
	*cut = '\0';
	assert_string_equal(sysparse_vsyscall(text), "none");
	free(text);
}

/* The release field of a /proc/version fixture. */
static void release_of(const char *file, char *out, size_t size)
{
	char rel[256], *text;

	snprintf(rel, sizeof(rel), "proc_version/%s", file);
	text = fixture(rel);
	assert_int_equal(sscanf(text, "Linux version %255s", out), 1);
	(void)size;
	free(text);
}

static void wsl_builds(void **state)
{
	char rel[256];
	long build = 0;
	struct facts f;

	(void)state;
	release_of("wsl1-4.4.0-19041-Microsoft.txt", rel, sizeof(rel));
	assert_true(sysparse_wsl_build(rel, &build));
	assert_int_equal(build, 19041);
	release_of("wsl1-3.4.0-Microsoft.txt", rel, sizeof(rel));
	assert_false(sysparse_wsl_build(rel, &build));
	release_of("ubuntu-5.4.0-26.txt", rel, sizeof(rel));
	assert_false(sysparse_wsl_build(rel, &build)); /* 26 is an ABI, and not WSL */

	/* Through the kernel identity: only WSL 1 kernels get the fact. */
	facts_init(&f);
	facts_set_str(&f, "os.name", "Linux");
	release_of("wsl1-4.4.0-19041-Microsoft.txt", rel, sizeof(rel));
	facts_set_str(&f, "os.kernel.release", rel);
	assert_int_equal(sysparse_kernel_identity(&f, NULL), STATUS_OK);
	assert_string_equal(facts_str(&f, "os.kernel.implementation"), "wsl1");
	assert_true(facts_get(&f, "os.wsl.windows_build")->num == 19041);
	facts_free(&f);
	facts_init(&f);
	facts_set_str(&f, "os.name", "Linux");
	release_of("wsl1-3.4.0-Microsoft.txt", rel, sizeof(rel));
	facts_set_str(&f, "os.kernel.release", rel);
	assert_int_equal(sysparse_kernel_identity(&f, NULL), STATUS_OK);
	assert_string_equal(facts_str(&f, "os.kernel.implementation"), "wsl1");
	assert_null(facts_get(&f, "os.wsl.windows_build"));
	facts_free(&f);
}

static void signatures(void **state)
{
	static const struct {
		const char *spec, *want;
	} rows[] = {
		{"cpu.arch=x86_64;cpu.family=#6;cpu.model=#183;cpu.stepping=#1;cpu.microcode=0x12b", "06-b7-01:12b"},
		{"cpu.arch=x86_64;cpu.family=#26;cpu.model=#68;cpu.stepping=#0;cpu.microcode=0x0b404035", "1a-44-00:b404035"},
		/* The Kaby Lake G of the ubuntu fixture's cpuinfo. */
		{"cpu.arch=x86_64;cpu.family=#6;cpu.model=#158;cpu.stepping=#9;cpu.microcode=0xca", "06-9e-09:ca"},
		{"cpu.arch=x86_64;cpu.family=#6;cpu.model=#158;cpu.microcode=0xca", NULL},
		{"cpu.arch=x86_64;cpu.family=#6;cpu.model=#158;cpu.stepping=#9", NULL},
		{"cpu.arch=x86_64;cpu.family=#6;cpu.model=#158;cpu.stepping=#9;cpu.microcode=unknown", NULL},
		{"cpu.arch=arm64;cpu.family=#6;cpu.model=#158;cpu.stepping=#9;cpu.microcode=0xca", NULL},
		/* Numbers no CPUID can give, from a damaged cpuinfo: 1e11 once
		 * overflowed the unsigned the signature is printed from. */
		{"cpu.arch=x86_64;cpu.family=#99999999999;cpu.model=#1;cpu.stepping=#1;cpu.microcode=0x1", NULL},
		{"cpu.arch=x86_64;cpu.family=#271;cpu.model=#1;cpu.stepping=#1;cpu.microcode=0x1", NULL},
		{"cpu.arch=x86_64;cpu.family=#6;cpu.model=#256;cpu.stepping=#1;cpu.microcode=0x1", NULL},
		{"cpu.arch=x86_64;cpu.family=#6;cpu.model=#1;cpu.stepping=#16;cpu.microcode=0x1", NULL},
		{"cpu.arch=x86_64;cpu.family=#270;cpu.model=#255;cpu.stepping=#15;cpu.microcode=0x1", "10e-ff-0f:1"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		const char *got;
		facts_init(&f);
		facts_from_spec(&f, rows[i].spec);
		assert_int_equal(sysparse_signature_microcode(&f), STATUS_OK);
		got = facts_str(&f, "cpu.signature_microcode");
		if (rows[i].want ? (!got || strcmp(got, rows[i].want)) : got != NULL)
			fail_msg("%s: got %s", rows[i].spec, got ? got : "(unset)");
		facts_free(&f);
	}
}

static void vm_from_dmi(void **state)
{
	struct virt_vm_evidence e;

	(void)state;
	/* RHEL 7 guest of QEMU/KVM (risuorg/risu#538 dmidecode). */
	memset(&e, 0, sizeof(e));
	e.arch = "x86_64";
	e.dmi[0] = "Standard PC (i440FX + PIIX, 1996)\n";
	e.dmi[1] = "QEMU\n";
	e.dmi[3] = "SeaBIOS\n";
	e.cpu_hypervisor = 1;
	assert_string_equal(virt_guest(&e), "qemu");
	/* Live CPUID names KVM below QEMU's DMI. */
	e.cpuid_vendor = "KVMKVMKVM";
	assert_string_equal(virt_guest(&e), "kvm");
	/* VMware (Solvik/netbox-agent#99 dmidecode). */
	memset(&e, 0, sizeof(e));
	e.arch = "x86_64";
	e.dmi[0] = "VMware Virtual Platform\n";
	e.dmi[1] = "VMware, Inc.\n";
	e.cpu_hypervisor = 1;
	assert_string_equal(virt_guest(&e), "vmware");
	/* EC2 Xen instance: BIOS vendor Xen wins over any CPUID. */
	memset(&e, 0, sizeof(e));
	e.arch = "x86_64";
	e.dmi[3] = "Xen\n";
	e.cpuid_vendor = "Microsoft Hv";
	assert_string_equal(virt_guest(&e), "xen");
	/* Acer C720p laptop with coreboot (NixOS/nixos-hardware#49). */
	memset(&e, 0, sizeof(e));
	e.arch = "x86_64";
	e.dmi[0] = "Peppy\n";
	e.dmi[1] = "GOOGLE\n";
	e.dmi[2] = "GOOGLE\n";
	e.dmi[3] = "coreboot\n";
	e.cpu_hypervisor = 0;
	assert_string_equal(virt_guest(&e), "none");
	e.cpu_hypervisor = -1; /* CPUID not asked, no cpuinfo: cannot tell */
	assert_null(virt_guest(&e));
	e.cpu_hypervisor = 1; /* a hypervisor that only CPUID would name */
	assert_null(virt_guest(&e));
	/* Milk-V Mars (fastfetch-cli/fastfetch#1391): a RISC-V board. */
	memset(&e, 0, sizeof(e));
	e.arch = "riscv64";
	e.dmi[0] = "Unknown Product\n";
	e.dmi[1] = "Unknown\n";
	e.dmi[3] = "U-Boot\n";
	assert_string_equal(virt_guest(&e), "none");
	e.dmi[0] = e.dmi[1] = e.dmi[3] = NULL;
	assert_null(virt_guest(&e)); /* nothing looked at */
}

static void vm_from_cpu(void **state)
{
	struct virt_vm_evidence e;
	char *cpuinfo = fixture("roots/this-machine/proc/cpuinfo");

	(void)state;
	memset(&e, 0, sizeof(e));
	e.arch = "x86_64";
	e.cpuinfo = cpuinfo;
	e.cpu_hypervisor = 1;
	assert_null(virt_guest(&e)); /* this machine's files alone */
	e.cpuid_vendor = "KVMKVMKVM";
	assert_string_equal(virt_guest(&e), "kvm");
	/* QEMU offers Hyper-V's signature; without a better hint it is Hyper-V. */
	e.cpuid_vendor = "Microsoft Hv";
	assert_string_equal(virt_guest(&e), "microsoft");
	e.dmi[1] = "QEMU\n";
	assert_string_equal(virt_guest(&e), "qemu");
	e.dmi[1] = NULL;
	e.cpuid_vendor = "NotAVendor!!";
	assert_string_equal(virt_guest(&e), "vm-other");
	assert_string_equal(virt_cpuid_vendor("TCGTCGTCGTCG"), "qemu");
	assert_string_equal(virt_cpuid_vendor("Apple VZ"), "apple");
	/* Xen's control domain is the host, domU a guest. */
	e.cpuid_vendor = NULL;
	e.cpu_hypervisor = 0;
	e.proc_xen = true;
	assert_string_equal(virt_guest(&e), "xen");
	e.xen_dom0 = true;
	assert_string_equal(virt_guest(&e), "none");
	free(cpuinfo);
	/* arm64: the device tree's hypervisor node, QEMU's fw-cfg node. */
	memset(&e, 0, sizeof(e));
	e.arch = "arm64";
	e.device_tree = true;
	assert_string_equal(virt_guest(&e), "none");
	e.dt_fw_cfg = true;
	assert_string_equal(virt_guest(&e), "qemu");
	e.dt_hypervisor = "linux,kvm";
	assert_string_equal(virt_guest(&e), "kvm");
	e.device_tree = false;
	e.dt_fw_cfg = false;
	e.dt_hypervisor = NULL;
	assert_null(virt_guest(&e));
}

static void containers(void **state)
{
	struct virt_container_evidence e;
	char rel[256], *cg = fixture("cgroup/fedora32-docker.cgroup");

	(void)state;
	memset(&e, 0, sizeof(e));
	e.cgroupns = -1;
	assert_null(virt_container(&e)); /* nothing known */
	e.systemd_booted = true;
	assert_null(virt_container(&e)); /* cgroup namespace unknown */
	e.cgroupns = 0;
	assert_string_equal(virt_container(&e), "none");
	e.cgroupns = 1;
	assert_string_equal(virt_container(&e), "container-other");
	e.cgroupns = 0;
	e.pid1_cgroup = cg;
	assert_string_equal(virt_container(&e), "docker");
	e.containerenv = true;
	assert_string_equal(virt_container(&e), "podman");
	/* The manager's own word outranks marker files. */
	e.systemd_container = "systemd-nspawn\n";
	assert_string_equal(virt_container(&e), "systemd-nspawn");
	e.systemd_container = "oci\n";
	assert_string_equal(virt_container(&e), "podman");
	e.systemd_container = "kubernetes\n";
	assert_string_equal(virt_container(&e), "container-other");
	/* WSL 1 and WSL 2 kernels name themselves. */
	release_of("wsl1-4.4.0-19041-Microsoft.txt", rel, sizeof(rel));
	e.osrelease = rel;
	assert_string_equal(virt_container(&e), "wsl");
	e.osrelease = "6.6.87.2-microsoft-standard-WSL2\n";
	assert_string_equal(virt_container(&e), "wsl");
	e.proc_vz = true;
	assert_string_equal(virt_container(&e), "openvz");
	e.proc_bc = true; /* the OpenVZ host */
	assert_string_equal(virt_container(&e), "wsl");
	free(cg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cgroup_versions), cmocka_unit_test(memory_files),
		cmocka_unit_test(memory_values),   cmocka_unit_test(proc_cgroups),
		cmocka_unit_test(vsyscall_maps),   cmocka_unit_test(wsl_builds),
		cmocka_unit_test(signatures),      cmocka_unit_test(vm_from_dmi),
		cmocka_unit_test(vm_from_cpu),     cmocka_unit_test(containers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
