/* test_execstack.c - shared objects built here with and without an executable stack; node's glibc needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "helpers.h"
#include "probes/binsrc.h"
#include "probes/elf.h"
#include "probes/execstack.h"
#include "probes/toolelf.h"

static char dir[] = "/tmp/quirk-test-execstack-XXXXXX";

static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("failed: %s", cmd);
}

/* Real shared objects from the system toolchain: one as every modern
 * linker makes it (PT_GNU_STACK RW), one linked with -z execstack. */
static int build(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	sh("printf 'int quirk_answer(void) { return 42; }\\n' >%s/a.c", dir);
	sh("%s -shared -fPIC -o %s/normal.so %s/a.c", TEST_CC, dir, dir);
	sh("%s -shared -fPIC -Wl,-z,execstack -o %s/exec.so %s/a.c", TEST_CC, dir, dir);
	return 0;
}

static int clean(void **state)
{
	(void)state;
	sh("rm -rf %s", dir);
	return 0;
}

static struct img file(const char *name)
{
	return img_load(dir, name);
}

static void save(const char *name, const struct img *im, size_t n)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(im->p, 1, n, fp), n);
	fclose(fp);
}

static bool wants(const struct img *im)
{
	struct elf_info ei;
	struct diag d = {""};
	bool w;

	if (elf_parse(im->p, im->n, "so", &ei, &d) != STATUS_OK)
		fail_msg("%s", d.msg);
	w = elf_wants_exec_stack(&ei);
	elf_info_free(&ei);
	return w;
}

/* The PT_GNU_STACK header of an ELF64 little-endian image, or NULL. */
static unsigned char *gnu_stack(struct img *im)
{
	uint64_t phoff = 0;
	unsigned phnum = im->p[56] | im->p[57] << 8;

	for (int i = 7; i >= 0; i--)
		phoff = phoff << 8 | im->p[32 + i];
	for (unsigned i = 0; i < phnum; i++) {
		unsigned char *ph = im->p + phoff + 56 * i;
		if ((ph[0] | ph[1] << 8 | ph[2] << 16 | (uint32_t)ph[3] << 24) == ELF_PT_GNU_STACK)
			return ph;
	}
	return NULL;
}

static void stack_rule(void **state)
{
	struct img normal = file("normal.so"), exec = file("exec.so");
	unsigned char *ph;

	(void)state;
	assert_false(wants(&normal));
	assert_true(wants(&exec));
	/* No PT_GNU_STACK: executable by default on x86_64 (glibc
	 * sysdeps/x86_64/stackinfo.h), not on arm64 (sysdeps/generic). */
	ph = gnu_stack(&normal);
	assert_non_null(ph);
	memset(ph, 0, 4); /* PT_NULL */
	assert_true(wants(&normal));
	save("nogs.so", &normal, normal.n);
	normal.p[18] = 183; /* e_machine EM_AARCH64 */
	normal.p[19] = 0;
	assert_false(wants(&normal));
	free(normal.p);
	free(exec.p);
}

static void shared_names(void **state)
{
	(void)state;
	assert_true(execstack_is_shared_name("libfoo.so"));
	assert_true(execstack_is_shared_name("libfoo.so.1"));
	assert_true(execstack_is_shared_name("libfoo.so.1.2.3"));
	assert_true(execstack_is_shared_name("_ssl.cpython-311-x86_64-linux-gnu.so"));
	assert_true(execstack_is_shared_name("sharp.node"));
	assert_false(execstack_is_shared_name("libfoo.so.bak"));
	assert_false(execstack_is_shared_name("README.source"));
	assert_false(execstack_is_shared_name(".so"));
	assert_false(execstack_is_shared_name("x.so.1.txt"));
}

static void scan_tree(void **state)
{
	struct img exec = file("exec.so");
	struct facts f;
	struct diag d = {""};
	char root[4096], deep[4096] = "";
	const struct fact *x;

	(void)state;
	snprintf(root, sizeof(root), "%s/proj", dir);
	sh("mkdir -p %s/lib %s/node_modules/addon/build/Release %s/.git %s/.venv/lib", root, root, root, root);
	sh("cp %s/exec.so %s/lib/libexec.so.1.2", dir, root);
	sh("cp %s/exec.so %s/node_modules/addon/build/Release/addon.node", dir, root);
	sh("cp %s/exec.so %s/.venv/lib/_ext.cpython-311-x86_64-linux-gnu.so", dir, root);
	sh("cp %s/nogs.so %s/nogs.so && cp %s/normal.so %s/lib/libnormal.so", dir, root, dir, root);
	/* Left out: version control, links, other names, damaged and foreign files. */
	sh("cp %s/exec.so %s/.git/hook.so && ln -s libexec.so.1.2 %s/lib/libexec.so", dir, root, root);
	sh("cp %s/exec.so %s/lib/exec.so.bak", dir, root);
	sh("printf 'GROUP ( /lib/libc.so.6 )\\n' >%s/lib/libc.so", root);
	save("proj/lib/truncated.so", &exec, 100);
	save("proj/lib/no-sections.so", &exec, 64 + 56 * 4);
	facts_init(&f);
	assert_int_equal(execstack_scan_dir(root, &f, &d), STATUS_OK);
	x = facts_get(&f, "project.execstack_libs");
	assert_non_null(x);
	assert_true(facts_list_has(&f, "project.execstack_libs", "lib/libexec.so.1.2"));
	assert_true(facts_list_has(&f, "project.execstack_libs", "node_modules/addon/build/Release/addon.node"));
	assert_true(facts_list_has(&f, "project.execstack_libs", ".venv/lib/_ext.cpython-311-x86_64-linux-gnu.so"));
	assert_true(facts_list_has(&f, "project.execstack_libs", "nogs.so"));
	assert_int_equal(x->nlist, 4);
	facts_free(&f);
	/* EXECSTACK_MAX_DEPTH levels of folders are read; one more makes the
	 * tree too big to judge: unknown, not a partial list. */
	for (int i = 0; i < EXECSTACK_MAX_DEPTH; i++)
		strcat(deep, "/d");
	sh("mkdir -p %s%s && cp %s/exec.so %s%s/deep.so", root, deep, dir, root, deep);
	facts_init(&f);
	assert_int_equal(execstack_scan_dir(root, &f, &d), STATUS_OK);
	sh("mkdir -p %s%s/d", root, deep);
	assert_true(facts_list_has(&f, "project.execstack_libs", strcat(deep + 1, "/deep.so")));
	assert_int_equal(facts_get(&f, "project.execstack_libs")->nlist, 5);
	facts_free(&f);
	facts_init(&f);
	assert_int_equal(execstack_scan_dir(root, &f, &d), STATUS_OK);
	assert_null(facts_get(&f, "project.execstack_libs"));
	facts_free(&f);
	/* So does a tree of more folders than EXECSTACK_MAX_DIRS. */
	sh("rm -rf %s/d && mkdir -p %s/wide && cd %s/wide && seq %u | xargs mkdir", root, root, root,
	   EXECSTACK_MAX_DIRS + 1);
	facts_init(&f);
	assert_int_equal(execstack_scan_dir(root, &f, &d), STATUS_OK);
	assert_null(facts_get(&f, "project.execstack_libs"));
	facts_free(&f);
	sh("rm -rf %s/wide", root);
	/* Nothing to report: an empty list, not an unknown. */
	facts_init(&f);
	assert_int_equal(execstack_scan_dir(FIXTURES "/lockfiles", &f, &d), STATUS_OK);
	assert_int_equal(facts_get(&f, "project.execstack_libs")->nlist, 0);
	assert_int_equal(execstack_scan_dir("/nonexistent/quirk", &f, &d), STATUS_ERR_IO);
	assert_non_null(strstr(d.msg, "/nonexistent/quirk"));
	facts_free(&f);
	free(exec.p);
}

/* tools/node as given, then what tool.node.glibc_required says. */
static const struct fact *node_fact(struct facts *f, const char *setup)
{
	char bin[4096];
	struct host_ctx ctx = {0};

	snprintf(bin, sizeof(bin), "%s/bin", dir);
	sh("rm -rf %s && mkdir -p %s && cd %s && %s", bin, bin, bin, setup);
	ctx.path = bin;
	facts_free(f);
	facts_init(f);
	assert_int_equal(toolelf_collect(&ctx, f), STATUS_OK);
	return facts_get(f, "tool.node.glibc_required");
}

static void node_glibc(void **state)
{
	struct facts f;
	const struct fact *x;
	char unpack[8192];

	(void)state;
	facts_init(&f);
	/* A glibc-linked program (xz from Debian 12: needs up to GLIBC_2.34),
	 * reached through a link as version managers install node. */
	snprintf(unpack, sizeof(unpack), "gzip -dc %s/elf/xz-5.4.1-debian12-amd64.gz >real-xz && chmod +x real-xz",
		 FIXTURES);
	x = node_fact(&f, unpack);
	assert_non_null(x);
	assert_int_equal(x->type, FACT_NULL); /* no node yet */
	snprintf(unpack + strlen(unpack), sizeof(unpack) - strlen(unpack), " && ln -s real-xz node");
	x = node_fact(&f, unpack);
	assert_non_null(x);
	assert_int_equal(x->type, FACT_STR);
	assert_string_equal(x->str, "2.34");
	/* Not ELF (a script, or Mach-O on macOS): null. */
	x = node_fact(&f, "printf '#!/bin/sh\\n' >node && chmod +x node");
	assert_non_null(x);
	assert_int_equal(x->type, FACT_NULL);
	/* Damaged headers: unknown, not a guess. */
	snprintf(unpack, sizeof(unpack), "gzip -dc %s/elf/xz-5.4.1-debian12-amd64.gz | head -c 200 >node && chmod +x node",
		 FIXTURES);
	assert_null(node_fact(&f, unpack));
	facts_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stack_rule), cmocka_unit_test(shared_names),
		cmocka_unit_test(scan_tree), cmocka_unit_test(node_glibc),
	};
	return cmocka_run_group_tests(tests, build, clean);
}
