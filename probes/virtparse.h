/* virtparse.h - names the virtual machine and the container a Linux
 * process runs in, as systemd-detect-virt names them, from evidence read
 * elsewhere (DMI strings, CPUID, marker files, PID 1's environment). The
 * decisions are pure, so fixture trees and tests can drive them. */
#ifndef QUIRK_VIRTPARSE_H
#define QUIRK_VIRTPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* What the host shows about a hypervisor. NULL strings: absent/unread. */
struct virt_vm_evidence {
	const char *arch;            /* cpu.arch: "x86_64", "arm64", other or NULL */
	/* DMI id files in the order they are consulted: product_name,
	 * sys_vendor, board_vendor, bios_vendor, product_version. */
	const char *dmi[5];
	const char *cpuinfo;         /* text of /proc/cpuinfo */
	bool proc_xen;               /* /proc/xen exists */
	bool xen_dom0;               /* ... and this is Xen's control domain */
	int cpu_hypervisor;          /* CPUID hypervisor bit: 1, 0, -1 unknown */
	const char *cpuid_vendor;    /* CPUID leaf 0x40000000 signature, if read */
	const char *hypervisor_type; /* /sys/hypervisor/type */
	bool device_tree;            /* /proc/device-tree exists */
	const char *dt_hypervisor;   /* /proc/device-tree/hypervisor/compatible */
	bool dt_fw_cfg;              /* a device-tree node named *fw-cfg* (QEMU) */
};

/* The hypervisor's name ("kvm", "vmware", "vm-other" for a hypervisor
 * that does not say which), "none" when the evidence rules one out, or
 * NULL when it cannot tell. */
const char *virt_guest(const struct virt_vm_evidence *e);

/* What the host shows about a container manager. */
struct virt_container_evidence {
	bool proc_vz, proc_bc;        /* /proc/vz, /proc/bc exist */
	const char *osrelease;        /* /proc/sys/kernel/osrelease */
	const char *tracer_comm;      /* comm of the process tracing quirk */
	const char *host_manager;     /* /run/host/container-manager */
	const char *systemd_container; /* /run/systemd/container */
	bool systemd_booted;          /* /run/systemd/system exists */
	const char *pid1_environ;     /* /proc/1/environ (NUL-separated), NULL if unreadable */
	size_t pid1_environ_len;
	bool containerenv, dockerenv; /* /run/.containerenv, /.dockerenv exist */
	const char *pid1_cgroup;      /* /proc/1/cgroup */
	int cgroupns;                 /* below the root of a cgroup namespace: 1, 0, -1 unknown */
};

/* The container manager's name ("docker", "podman", "container-other"
 * for one that does not say which), "none" when the evidence rules a
 * container out, or NULL when it cannot tell. */
const char *virt_container(const struct virt_container_evidence *e);

/* The hypervisor a CPUID leaf 0x40000000 vendor signature names, or
 * "vm-other" for a signature not known. */
const char *virt_cpuid_vendor(const char *sig);

#endif
