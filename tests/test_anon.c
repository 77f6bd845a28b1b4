/* test_anon.c - anonymizing host-derived text: what goes, what stays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <unistd.h>

#include "helpers.h"
#include "probes/anon.h"

/* anon_text(a, key, in) must be want. */
static void expect(const struct anon *a, const char *key, const char *in, const char *want)
{
	char *got = anon_text(a, key, in);

	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("key %s: \"%s\" became \"%s\", want \"%s\"", key ? key : "(free text)", in, got, want);
	free(got);
}

static void alice(struct anon *a)
{
	anon_init(a);
	anon_add_user(a, "alice");
	anon_add_host(a, "alice-xps13.corp.example");
	anon_add_home(a, "/srv/people/alice/");
}

static void paths(void **state)
{
	struct anon a;

	(void)state;
	alice(&a);
	expect(&a, NULL, "/home/bob/app", "~/app");
	expect(&a, NULL, "TMPDIR=/home/bob/tmp is noexec", "TMPDIR=~/tmp is noexec");
	expect(&a, NULL, "/Users/bob/Library/x", "~/Library/x");
	expect(&a, NULL, "/root/.cache and /root", "~/.cache and ~");
	expect(&a, NULL, "/srv/people/alice/work", "~/work");
	expect(&a, NULL, "/mnt/image/home/bob/x", "/mnt/image/home/<user>/x");
	/* Not a home: kept. */
	expect(&a, NULL, "/rootfs/etc /home/ /srv/people/alicex", "/rootfs/etc /home/ /srv/people/alicex");
	/* Contract facts too: a path never looks like a version. */
	expect(&a, "project.packages", "pkg:cargo/app@1.0.0?path=/home/bob/app", "pkg:cargo/app@1.0.0?path=~/app");
}

static void names(void **state)
{
	struct anon a;

	(void)state;
	alice(&a);
	expect(&a, NULL, "built by alice on alice-xps13", "built by <user> on <host>");
	expect(&a, NULL, "ALICE-XPS13.corp.example.", "<host>.");
	expect(&a, NULL, "alice-xps13.corp.example:9100", "<host>:9100");
	/* Whole words only. */
	expect(&a, NULL, "malice alice_x alice2", "malice alice_x alice2");
	/* Debian's default host name is its distribution's name: contract
	 * facts keep it, free text does not. */
	anon_add_host(&a, "debian");
	expect(&a, "os.distro.id", "debian", "debian");
	expect(&a, "os.kernel.distro", "debian", "debian");
	expect(&a, "os.distro.name", "Debian GNU/Linux 12 (bookworm)", "Debian GNU/Linux 12 (bookworm)");
	expect(&a, NULL, "debian", "<host>");
	/* A probe's summary is free text, though the contract lists it. */
	expect(&a, "probe.jit-fork.summary", "on debian", "on <host>");
	/* Too short to replace safely. */
	anon_add_user(&a, "x");
	expect(&a, NULL, "x y", "x y");
}

static void serials(void **state)
{
	struct anon a;

	(void)state;
	anon_init(&a);
	expect(&a, NULL, "wlan0 9c:b6:d0:e1:2f:3a, eth0 9C-B6-D0-E1-2F-3B.", "wlan0 <redacted>, eth0 <redacted>.");
	expect(&a, NULL, "uuid 4C4C4544-0042-3510-8051-B7C04F4B3732", "uuid <redacted>");
	expect(&a, NULL, "machine-id 4c4c4544004235108051b7c04f4b3732", "machine-id <redacted>");
	expect(&a, NULL, "disk S4EVNF0M123456A, WD-WCC4N1234567, mac 9cb6d0e12f3a", "disk <redacted>, WD-<redacted>, mac <redacted>");
	/* Counts, error names, addresses, register dumps, words: kept. */
	expect(&a, NULL, "181811 triggers, SIGSEGV EPERM at 0x7ffd1234abcd",
	       "181811 triggers, SIGSEGV EPERM at 0x7ffd1234abcd");
	expect(&a, NULL, "ymm0 got 5555555555555555aaaaaaaaaaaaaaaa5555555555555555aaaaaaaaaaaaaaaa",
	       "ymm0 got 5555555555555555aaaaaaaaaaaaaaaa5555555555555555aaaaaaaaaaaaaaaa");
	expect(&a, NULL, "MacBookPro18,3 at 13:37:24", "MacBookPro18,3 at 13:37:24");
	/* Too long or too short to be a MAC or UUID: kept. */
	expect(&a, NULL, "9c:b6:d0:e1:2f:3a:11 9c:b6:d0:e1:2f", "9c:b6:d0:e1:2f:3a:11 9c:b6:d0:e1:2f");
	/* By key: the whole value. */
	expect(&a, "hw.serial_number", "8XYZ2N2", "<redacted>");
	expect(&a, "hw.platform_uuid", "anything", "<redacted>");
	expect(&a, "net.eth0.mac", "x", "<redacted>");
	expect(&a, "host.machine-id", "x", "<redacted>");
	expect(&a, "host.name", "alice-xps13", "<host>");
	expect(&a, "user.name", "alice", "<user>");
	expect(&a, "user.home", "/home/alice", "~");
}

/* Versions and build strings of contract facts come out unchanged. */
static void versions(void **state)
{
	static const char *const kept[][2] = {
		{"os.kernel.release", "5.4.0-26-generic"},
		{"os.kernel.distro_version", "5.4.0-26.30"},
		{"os.kernel.version", "#1 SMP PREEMPT Fri, 29 Nov 2019 13:37:24 +0000"},
		{"os.kernel.version", "#30-Ubuntu SMP Mon Apr 20 16:58:30 UTC 2020"},
		{"os.kernel.version", "Darwin Kernel Version 23.0.0: Fri Sep 15 14:41:43 PDT 2023; "
				      "root:xnu-10002.1.13~1/RELEASE_ARM64_T6000"},
		{"os.build", "23A344"},
		{"cpu.microcode", "0x1000065"},
		{"cpu.brand", "Intel(R) Core(TM) i7-8705G CPU @ 3.10GHz"},
		{"hw.model", "Mac15,3"},
		{"runtime.go", "go1.22.1"},
		{"runtime.java", "17.0.15"},
		{"project.packages", "pkg:cargo/rustler@0.34.0"},
		{"project.packages", "pkg:gem/nokogiri@1.16.0-x86_64-linux"},
	};
	struct anon a;

	(void)state;
	alice(&a);
	/* Host and user names that are also words in those strings. */
	anon_add_host(&a, "ubuntu");
	anon_add_user(&a, "root");
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		expect(&a, kept[i][0], kept[i][1], kept[i][1]);
}

static void learns(void **state)
{
	struct facts f;
	struct anon a;
	char host[256], in[600];
	const struct passwd *pw = getpwuid(getuid());

	(void)state;
	facts_init(&f);
	facts_from_spec(&f, "host.name=bobs-box;user.name=bob;user.home=/data/bob;note=bob@bobs-box:/data/bob/x;"
			    "cpu.flags=[avx,sse2];os.distro.id=arch;hw.product_serial=PF1ABCDE");
	anon_init(&a);
	anon_learn_facts(&a, &f);
	assert_int_equal(anon_facts(&a, &f), STATUS_OK);
	assert_string_equal(facts_str(&f, "note"), "<user>@<host>:~/x");
	assert_string_equal(facts_str(&f, "host.name"), "<host>");
	assert_string_equal(facts_str(&f, "user.home"), "~");
	assert_string_equal(facts_str(&f, "hw.product_serial"), "<redacted>");
	assert_string_equal(facts_str(&f, "os.distro.id"), "arch");
	assert_true(facts_list_has(&f, "cpu.flags", "avx") && facts_list_has(&f, "cpu.flags", "sse2"));
	facts_free(&f);

	/* The running system: its host name, user name and $HOME. */
	assert_int_equal(setenv("HOME", "/srv/somewhere/home-of-test", 1), 0);
	anon_init(&a);
	anon_learn_system(&a);
	expect(&a, NULL, "/srv/somewhere/home-of-test/.cache", "~/.cache");
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	assert_non_null(pw);
	/* (names under 2 characters are never replaced) */
	snprintf(in, sizeof(in), "seen on %s today", host);
	expect(&a, NULL, in, strlen(host) >= 2 ? "seen on <host> today" : in);
	snprintf(in, sizeof(in), "run by %s", pw->pw_name);
	expect(&a, NULL, in, strlen(pw->pw_name) >= 2 ? "run by <user>" : in);
}

/* This machine's real command line: addresses, ports and init's arguments
 * go, what tunes the kernel stays. */
static void cmdline(void **state)
{
	struct anon a;

	(void)state;
	alice(&a);
	expect(&a, "os.kernel.cmdline",
	       "mitigations=auto,no_guest_host console=ttyS0 quiet reboot=k vsyscall=none rdinit=/process_api"
	       " -- --firecracker-init --addr 0.0.0.0:2024 --auth-required",
	       "mitigations=auto,no_guest_host console=<redacted> quiet reboot=<redacted> vsyscall=none"
	       " rdinit=<redacted> -- <redacted>");
	expect(&a, "os.kernel.cmdline", "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0a1b ro  nosmt",
	       "BOOT_IMAGE=<redacted> root=<redacted> ro nosmt");
	expect(&a, "os.kernel.cmdline", "", "");
}

static void probe_results(void **state)
{
	struct probe_result r = {.probe = "jit-fork", .status = PROBE_FAIL};
	struct anon a;

	(void)state;
	alice(&a);
	snprintf(r.summary, sizeof(r.summary), "file-double-map: mmap failed (EACCES) in /home/alice/tmp");
	snprintf(r.details, sizeof(r.details), "on alice-xps13\nTMPDIR /root/t\n");
	assert_int_equal(anon_probe_result(&a, &r), STATUS_OK);
	assert_string_equal(r.summary, "file-double-map: mmap failed (EACCES) in ~/tmp");
	assert_string_equal(r.details, "on <host>\nTMPDIR ~/t\n");
	assert_string_equal(r.probe, "jit-fork");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths),    cmocka_unit_test(names),         cmocka_unit_test(serials),
		cmocka_unit_test(versions), cmocka_unit_test(learns),        cmocka_unit_test(probe_results),
		cmocka_unit_test(cmdline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
