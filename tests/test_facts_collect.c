/* test_facts_collect.c - whole fact collection from fixture trees (real
 * /proc and /etc files) and real libcpuid raw dumps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "helpers.h"
#include "probes/collect.h"

static void collect_root(struct facts *f, const char *root, const char *cpuid, enum status want)
{
	char rootp[4096], dump[4096];
	struct host_ctx ctx = {0};
	struct diag d = {""};

	snprintf(rootp, sizeof(rootp), "%s/roots/%s", FIXTURES, root);
	ctx.proc_root = ctx.sys_root = ctx.etc_root = rootp;
	if (cpuid) {
		snprintf(dump, sizeof(dump), "%s/cpuid/%s", FIXTURES, cpuid);
		ctx.cpuid_dump = dump;
	}
	facts_init(f);
	assert_int_equal(collect_facts(&ctx, f, &d), want);
}

static void ubuntu_tree(void **state)
{
	struct facts f;

	(void)state;
	collect_root(&f, "ubuntu-20.04-5.4.0-26", NULL, STATUS_OK);
	assert_string_equal(facts_str(&f, "os.name"), "Linux");
	assert_string_equal(facts_str(&f, "os.kernel.release"), "5.4.0-26-generic");
	assert_string_equal(facts_str(&f, "os.kernel.compiler"), "gcc");
	assert_string_equal(facts_str(&f, "os.kernel.compiler_version"), "9.3.0");
	assert_string_equal(facts_str(&f, "os.kernel.distro"), "ubuntu");
	assert_string_equal(facts_str(&f, "os.kernel.distro_version"), "5.4.0-26.30");
	assert_string_equal(facts_str(&f, "os.distro.id"), "ubuntu");
	assert_string_equal(facts_str(&f, "os.distro.version_id"), "20.04");
	assert_string_equal(facts_str(&f, "cpu.arch"), "x86_64");
	assert_string_equal(facts_str(&f, "cpu.microcode"), "0xca");
	/* Not the live host: no tools were run, no limits read. */
	assert_null(facts_get(&f, "compiler.cc"));
	assert_null(facts_get(&f, "limits.memlock"));
	/* x86 without the hypervisor flag and no DMI hint: bare metal. */
	assert_string_equal(facts_str(&f, "virt.guest"), "none");
	assert_string_equal(facts_str(&f, "cpu.signature_microcode"), "06-9e-09:ca");
	/* Files this tree lacks leave their facts unknown, not guessed. */
	assert_null(facts_get(&f, "container.runtime"));
	assert_null(facts_get(&f, "os.kernel.vsyscall"));
	assert_null(facts_get(&f, "os.cgroup.version"));
	assert_null(facts_get(&f, "os.cgroup.memory_max"));
	assert_null(facts_get(&f, "os.cgroup.proc_cgroups"));
	assert_null(facts_get(&f, "os.kernel.cmdline"));
	assert_null(facts_get(&f, "os.wsl.windows_build"));
	facts_free(&f);
}

static void this_machine_tree(void **state)
{
	struct facts f;

	(void)state;
	collect_root(&f, "this-machine", "this-machine-amd-epyc.txt", STATUS_OK);
	assert_string_equal(facts_str(&f, "os.kernel.release"), "6.18.44-fc-v669");
	assert_string_equal(facts_str(&f, "os.kernel.compiler_version"), "15.3.0");
	assert_int_equal(facts_get(&f, "os.kernel.distro")->type, FACT_NULL);
	assert_string_equal(facts_str(&f, "os.distro.id"), "debian");
	assert_true(facts_get(&f, "limits.memlock")->num == 8388608);
	assert_string_equal(facts_str(&f, "os.kernel.cmdline"),
			    "mitigations=auto,no_guest_host,no_guest_guest console=ttyS0 quiet reboot=k panic=1 nomodule random.trust_cpu=1 swiotlb=noforce psi=1 nvproxy.enable=1 page_reporting.page_reporting_order=11 deferred_init=lazy nested_pvm=1 rcupdate.rcu_cpu_stall_cputime=1 cpuidle_haltpoll.force=1 haltpoll.guest_halt_poll_ns=0 sched_vcpu_pack=15 rdinit=/process_api -- --firecracker-init --addr 0.0.0.0:2024 --max-ws-buffer-size 32768 --block-local-connections --log-vsock-port 5002 --control-vsock-port 5001 --listen-vsock-port 2024 --tcp-readiness-only --auth-required");
	assert_string_equal(facts_str(&f, "os.kernel.vsyscall"), "xonly");
	assert_string_equal(facts_str(&f, "os.cgroup.version"), "hybrid");
	assert_string_equal(facts_str(&f, "os.cgroup.memory_max"), "unlimited");
	assert_int_equal(facts_get(&f, "os.cgroup.proc_cgroups")->nlist, 12);
	assert_string_equal(facts_str(&f, "container.runtime"), "docker");
	/* The hypervisor flag is set, but only CPUID (live) names it. */
	assert_null(facts_get(&f, "virt.guest"));
	assert_string_equal(facts_str(&f, "cpu.signature_microcode"), "19-11-01:1000065");
	assert_null(facts_get(&f, "os.wsl.windows_build"));
#if QUIRK_HAVE_LIBCPUID
	assert_string_equal(facts_str(&f, "cpu.vendor"), "AuthenticAMD");
	assert_true(facts_get(&f, "cpu.family")->num == 25);
	assert_true(facts_get(&f, "cpu.model")->num == 17);
	assert_true(facts_get(&f, "cpu.stepping")->num == 1);
#endif
	facts_free(&f);
}

static void arm64_tree(void **state)
{
	struct facts f;

	(void)state;
	collect_root(&f, "arm64-rpi", NULL, STATUS_OK);
	assert_string_equal(facts_str(&f, "cpu.arch"), "arm64");
	assert_null(facts_get(&f, "os.kernel.release")); /* not in this tree: unknown */
	/* No vsyscall page outside x86_64; no signature without x86 ids. */
	assert_int_equal(facts_get(&f, "os.kernel.vsyscall")->type, FACT_NULL);
	assert_null(facts_get(&f, "cpu.signature_microcode"));
	/* No DMI and no device tree in this tree: cannot tell. */
	assert_null(facts_get(&f, "virt.guest"));
	facts_free(&f);
}

static void rpi5_tree(void **state)
{
	struct facts f;

	(void)state;
	collect_root(&f, "rpi5-6.12", NULL, STATUS_OK);
	/* Two spaces inside are kept; only the newline goes. */
	assert_string_equal(facts_str(&f, "os.kernel.cmdline"),
			    "reboot=w coherent_pool=1M 8250.nr_uarts=1 pci=pcie_bus_safe cgroup_disable=memory numa_policy=interleave nvme.max_host_mem_size_mb=0  numa=fake=8 system_heap.max_order=0 smsc95xx.macaddr=2C:CF:67:FB:89:3C vc_mem.mem_base=0x3fc00000 vc_mem.mem_size=0x40000000  cgroup_memory=1 cgroup_enable=memory console=ttyAMA10,115200 console=tty1 root=PARTUUID=4d8097e2-02 rootfstype=ext4 fsck.repair=yes rootwait");
	assert_false(facts_list_has(&f, "os.cgroup.proc_cgroups", "memory"));
	assert_true(facts_list_has(&f, "os.cgroup.proc_cgroups", "cpuset"));
	/* No mountinfo: the hierarchy and the limit stay unknown. */
	assert_null(facts_get(&f, "os.cgroup.version"));
	assert_null(facts_get(&f, "os.cgroup.memory_max"));
	facts_free(&f);
}

#if QUIRK_HAVE_LIBCPUID
static void cpuid_dumps(void **state)
{
	static const struct {
		const char *file, *vendor, *brand_prefix;
		int family, model, stepping;
		bool avx;
	} rows[] = {
		{"intel-coffee-lake-i7-8700k.txt", "GenuineIntel", "Intel(R) Core(TM) i7-8700K", 6, 158, 10, true},
		{"amd-zen2-ryzen7-3700x-matisse.txt", "AuthenticAMD", "AMD Ryzen 7 3700X", 23, 113, 0, true},
		{"intel-core2-conroe-e6420.txt", "GenuineIntel", "Intel(R) Core(TM)2 CPU", 6, 15, 6, false},
		{"intel-raptor-lake-u-i7-1365u.aida64.txt", "GenuineIntel", "13th Gen Intel(R) Core(TM) i7-1365U", 6, 186, 3, true},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct facts f;
		/* A tree without /proc (so no cpuinfo): the flags come from CPUID. */
		collect_root(&f, "debian-12-dpkg", rows[i].file, STATUS_OK);
		if (strcmp(facts_str(&f, "cpu.vendor"), rows[i].vendor) ||
		    strncmp(facts_str(&f, "cpu.brand"), rows[i].brand_prefix, strlen(rows[i].brand_prefix)))
			fail_msg("%s: %s %s", rows[i].file, facts_str(&f, "cpu.vendor"), facts_str(&f, "cpu.brand"));
		assert_true(facts_get(&f, "cpu.family")->num == rows[i].family);
		assert_true(facts_get(&f, "cpu.model")->num == rows[i].model);
		assert_true(facts_get(&f, "cpu.stepping")->num == rows[i].stepping);
		assert_int_equal(facts_list_has(&f, "cpu.flags", "avx"), rows[i].avx);
		assert_true(facts_list_has(&f, "cpu.flags", "sse2"));
		assert_string_equal(facts_str(&f, "cpu.arch"), "x86_64");
		facts_free(&f);
	}
}

static void cpuid_bad_dump(void **state)
{
	struct facts f;

	(void)state;
	/* An os-release file is no CPUID dump. */
	collect_root(&f, "this-machine", "../os_release/arch", STATUS_ERR_PARSE);
	facts_free(&f);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ubuntu_tree), cmocka_unit_test(this_machine_tree),
		cmocka_unit_test(arm64_tree), cmocka_unit_test(rpi5_tree),
#if QUIRK_HAVE_LIBCPUID
		cmocka_unit_test(cpuid_dumps), cmocka_unit_test(cpuid_bad_dump),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
