/* test_dpkg.c - os.packages from a real dpkg status excerpt (Debian 12):
 * source package names and versions, each once; removed packages left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "probes/dpkg.h"

#define STATUS_FILE "roots/debian-12-dpkg/var/lib/dpkg/status"

static void sources(void **state)
{
	static const char *const want[] = {
		"pkg:deb/debian/adduser@3.134",
		"pkg:deb/debian/bash@5.2.15-2",              /* Source: bash (5.2.15-2), binary 5.2.15-2+b8 */
		"pkg:deb/debian/ca-certificates@20230311+deb12u1",
		"pkg:deb/debian/glibc@2.36-9+deb12u14",      /* libc6 and libc-bin: one source */
		"pkg:deb/debian/openssl@3.0.19-1~deb12u2",   /* libssl3 and openssl */
		"pkg:deb/debian/util-linux@2.38.1-5+deb12u3", /* bsdutils, epoch 1 as a binary */
		"pkg:deb/debian/zlib@1:1.2.13.dfsg-1",
	};
	char *text = fixture(STATUS_FILE);
	struct facts f;
	const struct fact *x;

	(void)state;
	facts_init(&f);
	assert_int_equal(dpkg_status_parse(text, "debian", &f), STATUS_OK);
	x = facts_get(&f, "os.packages");
	assert_non_null(x);
	assert_int_equal(x->type, FACT_LIST);
	assert_int_equal(x->nlist, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < x->nlist; i++)
		assert_string_equal(x->list[i], want[i]);
	facts_free(&f);
	free(text);
}

/* text with its first "from" replaced by "to" (text is freed). */
static char *replaced(char *text, const char *from, const char *to)
{
	char *p = strstr(text, from), *out;

	assert_non_null(p);
	out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
	sprintf(out, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	free(text);
	return out;
}

static void removed_packages(void **state)
{
	char *text = fixture(STATUS_FILE);
	struct facts f;

	(void)state;
	/* The same excerpt with openssl's two packages removed but their
	 * configuration kept, and bash not installed: not on disk. */
	text = replaced(text, "Package: libssl3\nStatus: install ok installed",
			"Package: libssl3\nStatus: deinstall ok config-files");
	text = replaced(text, "Package: openssl\nStatus: install ok installed",
			"Package: openssl\nStatus: deinstall ok config-files");
	text = replaced(text, "Package: bash\nEssential: yes\nStatus: install ok installed",
			"Package: bash\nEssential: yes\nStatus: purge ok not-installed");
	facts_init(&f);
	assert_int_equal(dpkg_status_parse(text, "debian", &f), STATUS_OK);
	assert_false(facts_list_has(&f, "os.packages", "pkg:deb/debian/openssl@3.0.19-1~deb12u2"));
	assert_false(facts_list_has(&f, "os.packages", "pkg:deb/debian/bash@5.2.15-2"));
	assert_true(facts_list_has(&f, "os.packages", "pkg:deb/debian/glibc@2.36-9+deb12u14"));
	facts_free(&f);
	free(text);
}

/* A stanza whose name or version could not be a package's (a carriage
 * return carried into the version, an empty source name, bytes that are
 * not UTF-8) is left out; the others stay. */
static void damaged_stanzas(void **state)
{
	static const char text[] = "Package: adduser\nStatus: install ok installed\nVersion: 3.134\rDepends: passwd\n\n"
				   "Package: libx\nStatus: install ok installed\nSource: (1.0)\nVersion: 1.0\n\n"
				   /* Two versions that differ only in bytes that are not
				    * UTF-8 would be one after the facts' repair. */
				   "Package: libssl3\nStatus: install ok installed\nVersion: 3.0\xff\n\n"
				   "Package: libssl3\nStatus: install ok installed\nVersion: 3.0\xfe\n\n"
				   "Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n";
	struct facts f;

	(void)state;
	facts_init(&f);
	assert_int_equal(dpkg_status_parse(text, "debian", &f), STATUS_OK);
	assert_true(facts_list_has(&f, "os.packages", "pkg:deb/debian/zlib@1:1.2.13.dfsg-1"));
	assert_int_equal(facts_get(&f, "os.packages")->nlist, 1);
	facts_free(&f);
}

static void collect_from_root(void **state)
{
	struct host_ctx ctx = {.proc_root = "", .sys_root = "", .etc_root = FIXTURES "/roots/debian-12-dpkg"};
	struct facts f;

	(void)state;
	facts_init(&f);
	/* Without a distribution id there is no namespace: left unknown. */
	assert_int_equal(dpkg_collect(&ctx, &f), STATUS_OK);
	assert_null(facts_get(&f, "os.packages"));
	facts_set_str(&f, "os.distro.id", "debian");
	assert_int_equal(dpkg_collect(&ctx, &f), STATUS_OK);
	assert_true(facts_list_has(&f, "os.packages", "pkg:deb/debian/openssl@3.0.19-1~deb12u2"));
	/* No status file (not a dpkg system): unknown, not an empty list. */
	facts_remove(&f, "os.packages");
	ctx.etc_root = FIXTURES "/roots/arch-5.4.1";
	assert_int_equal(dpkg_collect(&ctx, &f), STATUS_OK);
	assert_null(facts_get(&f, "os.packages"));
	facts_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sources), cmocka_unit_test(removed_packages),
		cmocka_unit_test(collect_from_root), cmocka_unit_test(damaged_stanzas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
