/* virtparse.c - virtual machine and container detection, in the order
 * systemd's src/basic/virt.c (detect_vm, detect_container) uses, so the
 * names agree with systemd-detect-virt. */
#include "virtparse.h"

#include <string.h>

struct name_map {
	const char *key, *name;
};

/* DMI vendor prefixes, matched at the start of each DMI string. */
static const struct name_map dmi_vendors[] = {
	{"KVM", "kvm"},
	{"OpenStack", "kvm"},
	{"KubeVirt", "kvm"},
	{"Amazon EC2", "amazon"},
	{"QEMU", "qemu"},
	{"VMware", "vmware"},
	{"VMW", "vmware"},
	{"innotek GmbH", "oracle"},
	{"VirtualBox", "oracle"},
	{"Oracle Corporation", "oracle"},
	{"Xen", "xen"},
	{"Bochs", "bochs"},
	{"Parallels", "parallels"},
	{"BHYVE", "bhyve"},
	{"Hyper-V", "microsoft"},
	{"Apple Virtualization", "apple"},
	{"Google Compute Engine", "google"},
};

static const struct name_map cpuid_vendors[] = {
	{"XenVMMXenVMM", "xen"},
	{"KVMKVMKVM", "kvm"},
	{"Linux KVM Hv", "kvm"},
	{"TCGTCGTCGTCG", "qemu"},
	{"VMwareVMware", "vmware"},
	{"Microsoft Hv", "microsoft"},
	{"bhyve bhyve ", "bhyve"},
	{"QNXQVMBSQG", "qnx"},
	{"ACRNACRNACRN", "acrn"},
	{"SRESRESRESRE", "sre"},
	{"Apple VZ", "apple"},
};

/* Names a container manager may give itself ($container, the /run files). */
static const char *const container_names[] = {
	"lxc", "lxc-libvirt", "systemd-nspawn", "docker", "podman", "rkt", "wsl", "proot", "pouch",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *virt_cpuid_vendor(const char *sig)
{
	for (size_t i = 0; i < N(cpuid_vendors); i++)
		if (strcmp(sig, cpuid_vendors[i].key) == 0)
			return cpuid_vendors[i].name;
	return "vm-other";
}

static const char *dmi_vendor(const struct virt_vm_evidence *e)
{
	for (size_t f = 0; f < N(e->dmi); f++) {
		if (!e->dmi[f])
			continue;
		for (size_t i = 0; i < N(dmi_vendors); i++)
			if (strncmp(e->dmi[f], dmi_vendors[i].key, strlen(dmi_vendors[i].key)) == 0)
				return dmi_vendors[i].name;
	}
	return NULL;
}

static bool any_dmi(const struct virt_vm_evidence *e)
{
	for (size_t f = 0; f < N(e->dmi); f++)
		if (e->dmi[f])
			return true;
	return false;
}

/* EC2 bare-metal instances carry the same DMI vendor as its VMs; their
 * product name ends in ".metal" (or ".metal-NN"). */
static bool ec2_metal(const char *product)
{
	const char *m = product ? strstr(product, ".metal") : NULL;

	return m && (m[6] == '\0' || m[6] == '-' || m[6] == '\n');
}

static const char *device_tree_vendor(const struct virt_vm_evidence *e)
{
	const char *hv = e->dt_hypervisor;

	if (hv) {
		if (strncmp(hv, "linux,kvm", 9) == 0)
			return "kvm";
		if (strstr(hv, "xen"))
			return "xen";
		return strstr(hv, "vmware") ? "vmware" : "vm-other";
	}
	return e->dt_fw_cfg ? "qemu" : NULL;
}

const char *virt_guest(const struct virt_vm_evidence *e)
{
	const char *dmi = dmi_vendor(e), *v;
	bool hyperv = false, other = false, unnamed = false;

	/* These hypervisors also show KVM's or Hyper-V's CPUID signature;
	 * DMI names them better. */
	if (dmi && (!strcmp(dmi, "oracle") || !strcmp(dmi, "xen") || !strcmp(dmi, "amazon") ||
		    !strcmp(dmi, "parallels") || !strcmp(dmi, "google")))
		return strcmp(dmi, "amazon") == 0 && ec2_metal(e->dmi[0]) ? "none" : dmi;
	if (e->cpuinfo && strstr(e->cpuinfo, "vendor_id\t: User Mode Linux"))
		return "uml";
	if (e->proc_xen && !e->xen_dom0)
		return "xen";
	if (e->cpuid_vendor) {
		v = virt_cpuid_vendor(e->cpuid_vendor);
		/* QEMU offers Hyper-V's signature with its enlightenments. */
		if (strcmp(v, "microsoft") == 0)
			hyperv = true;
		else if (strcmp(v, "vm-other") == 0)
			other = true;
		else
			return v;
	} else if (e->cpu_hypervisor == 1) {
		unnamed = true; /* a hypervisor is there; only CPUID would name it */
	}
	if (!e->xen_dom0) {
		if (dmi)
			return dmi;
		if (e->hypervisor_type) {
			if (strncmp(e->hypervisor_type, "xen", 3) == 0)
				return "xen";
			other = true;
		}
		if ((v = device_tree_vendor(e))) {
			if (strcmp(v, "vm-other") != 0)
				return v;
			other = true;
		}
	}
	if (hyperv)
		return "microsoft";
	if (other)
		return "vm-other";
	if (unnamed)
		return NULL;
	/* No hint of a hypervisor: "none" only where the place a hypervisor
	 * would show was looked at: x86's CPUID bit (set by every hypervisor
	 * systemd knows), elsewhere DMI or the device tree. */
	if (e->arch && strcmp(e->arch, "x86_64") == 0)
		return e->cpu_hypervisor == 0 ? "none" : NULL;
	return (e->device_tree || any_dmi(e)) ? "none" : NULL;
}

static const char *container_name(const struct virt_container_evidence *e, const char *v)
{
	/* "oci" names a format, not a manager: the marker files may say which. */
	if (strcmp(v, "oci") == 0)
		return e->containerenv ? "podman" : e->dockerenv ? "docker" : "container-other";
	for (size_t i = 0; i < N(container_names); i++)
		if (strcmp(v, container_names[i]) == 0)
			return container_names[i];
	return "container-other";
}

/* The value of container= in a NUL-separated environment, or NULL. */
static const char *environ_container(const char *env, size_t len, char *buf, size_t size)
{
	for (size_t i = 0; i < len; i += strnlen(env + i, len - i) + 1) {
		size_t n = strnlen(env + i, len - i);
		if (n >= 10 && memcmp(env + i, "container=", 10) == 0) {
			n -= 10;
			if (n >= size)
				n = size - 1;
			memcpy(buf, env + i + 10, n);
			buf[n] = '\0';
			return buf;
		}
	}
	return NULL;
}

/* The first line of a one-line file, without its newline; "" if none. */
static const char *first_line(const char *s, char *buf, size_t size)
{
	size_t n = strcspn(s, "\n");

	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

const char *virt_container(const struct virt_container_evidence *e)
{
	char buf[256];
	const char *v;

	/* /proc/vz exists inside and outside OpenVZ containers, /proc/bc
	 * only outside. */
	if (e->proc_vz && !e->proc_bc)
		return "openvz";
	if (e->osrelease && (strstr(e->osrelease, "Microsoft") || strstr(e->osrelease, "WSL")))
		return "wsl";
	if (e->tracer_comm && strncmp(e->tracer_comm, "proot", 5) == 0)
		return "proot";
	if (e->host_manager && *first_line(e->host_manager, buf, sizeof(buf)))
		return container_name(e, buf);
	if (e->systemd_container && *first_line(e->systemd_container, buf, sizeof(buf)))
		return container_name(e, buf);
	if (e->pid1_environ &&
	    (v = environ_container(e->pid1_environ, e->pid1_environ_len, buf, sizeof(buf))))
		/* An empty value is how a manager says "no container". */
		return *v ? container_name(e, v) : "none";
	/* Marker files come after the managers' own word: /.dockerenv may
	 * have been copied into an image that another manager runs. */
	if (e->containerenv)
		return "podman";
	if (e->dockerenv)
		return "docker";
	if (e->pid1_cgroup) {
		if (strstr(e->pid1_cgroup, ":/docker/") || strstr(e->pid1_cgroup, "/docker-"))
			return "docker";
		if (strstr(e->pid1_cgroup, ":/lxc/") || strstr(e->pid1_cgroup, ":/lxc.payload"))
			return "lxc";
	}
	if (e->cgroupns == 1)
		return "container-other";
	/* "none" needs PID 1's own word: its environment (readable by root
	 * only), or systemd as PID 1, which writes /run/systemd/container in
	 * any container it detects. Without either, a container that sets
	 * no marker (containerd, for one) is indistinguishable from a host. */
	if ((e->pid1_environ || e->systemd_booted) && e->cgroupns == 0)
		return "none";
	return NULL;
}
