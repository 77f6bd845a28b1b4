/* cmd_codesign.c - `quirk codesign PATH...`: code signature facts of Mach-O files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probes/macho.h"
#include "cli.h"
#include "json_out.h"
#include "report_text.h"

static const char *tf(bool v)
{
	return v ? "true" : "false";
}

static void json_slice(FILE *out, const struct macho_slice *s)
{
	bool jit_ok, wasm_ok, first = true, inner = true;
	const char *verdict = macho_jit_verdict(s, &jit_ok, &wasm_ok);

	putc('{', out);
	json_key(out, &first, "arch");
	json_str(out, s->arch);
	fprintf(out, ",\"signed\":%s,\"adhoc\":%s,\"linker_signed\":%s,\"hardened_runtime\":%s",
		tf(s->is_signed), tf(s->adhoc), tf(s->linker_signed), tf(s->hardened_runtime));
	fprintf(out, ",\"flags\":\"0x%x\"", s->cd_flags);
	json_key(out, &first, "identifier");
	json_str(out, s->identifier);
	json_key(out, &first, "team_id");
	json_str(out, s->team_id);
	fprintf(out, ",\"cms\":%s,\"entitlements\":[", tf(s->has_cms));
	for (size_t i = 0; i < s->nentitlements; i++) {
		if (!inner)
			putc(',', out);
		inner = false;
		json_str(out, s->entitlements[i]);
	}
	fprintf(out, "],\"entitlements_malformed\":%s,\"entitlements_der\":%s",
		tf(s->entitlements_malformed), tf(s->has_entitlements_der));
	fprintf(out, ",\"jit_ok\":%s,\"wasmtime_ok\":%s", tf(jit_ok), tf(wasm_ok));
	json_key(out, &first, "verdict");
	json_str(out, verdict);
	putc('}', out);
}

static void json_file(FILE *out, const char *path, const struct macho_info *mi)
{
	bool first = true;

	putc('{', out);
	json_key(out, &first, "path");
	json_str(out, path);
	fprintf(out, ",\"fat\":%s,\"slices\":[", tf(mi->fat));
	for (size_t i = 0; i < mi->nslices; i++) {
		if (i)
			putc(',', out);
		json_slice(out, &mi->slices[i]);
	}
	fputs("]}", out);
}

static void put_text(const char *str)
{
	report_text_untrusted(stdout, str);
}

static const char *yes_no(bool v)
{
	return v ? "yes" : "no";
}

static void text_slice(const struct macho_slice *s)
{
	const char *verdict = macho_jit_verdict(s, NULL, NULL);

	printf("  %s:\n", s->arch);
	if (!s->is_signed) {
		printf("    signature:         unsigned\n");
		printf("    JIT/Wasm:          %s\n", verdict);
		return;
	}
	printf("    signature:         signed (CodeDirectory version 0x%x, flags 0x%x)\n",
	       s->cd_version, s->cd_flags);
	printf("    ad-hoc:            %s\n", yes_no(s->adhoc));
	printf("    linker-signed:     %s\n", yes_no(s->linker_signed));
	printf("    hardened runtime:  %s\n", yes_no(s->hardened_runtime));
	printf("    identifier:        ");
	put_text(s->identifier);
	printf("\n    team id:           ");
	put_text(s->team_id[0] ? s->team_id : "(none)");
	printf("\n    CMS signature:     %s\n", yes_no(s->has_cms));
	printf("    entitlements:      ");
	if (s->entitlements_malformed)
		printf("(the entitlements plist is malformed; not read)\n");
	else if (!s->entitlements_xml)
		printf("(none)\n");
	else if (!s->nentitlements)
		printf("(none set to true)\n");
	for (size_t i = 0; !s->entitlements_malformed && i < s->nentitlements; i++) {
		if (i)
			fputs("                       ", stdout);
		put_text(s->entitlements[i]);
		putchar('\n');
	}
	printf("    DER entitlements:  %s\n", yes_no(s->has_entitlements_der));
	printf("    JIT/Wasm:          %s\n", verdict);
}

static void text_file(const char *path, const struct macho_info *mi, bool first)
{
	if (!first)
		putchar('\n');
	put_text(path);
	printf(": %s (", mi->fat ? "universal" : "thin");
	for (size_t i = 0; i < mi->nslices; i++)
		printf("%s%s", i ? ", " : "", mi->slices[i].arch);
	printf(")\n");
	for (size_t i = 0; i < mi->nslices; i++)
		text_slice(&mi->slices[i]);
}

int cmd_codesign(const struct cli_opts *o)
{
	/* The JSON document is built in memory and printed only if every file
	 * parsed, so stdout never holds half a document. */
	char *doc = NULL;
	size_t doc_len = 0;
	FILE *json = open_memstream(&doc, &doc_len);
	bool failed = false, first = true;

	if (!json)
		return cli_error("codesign: %s", status_str(STATUS_ERR_NOMEM));
	if (o->nargs < 1) {
		fclose(json);
		free(doc);
		return cli_error("codesign needs at least one PATH (see quirk --help)");
	}
	putc('[', json);
	for (int i = 0; i < o->nargs; i++) {
		const char *path = o->args[i];
		struct macho_info mi;
		struct diag d = {""};
		enum status st = macho_read_file(path, &mi, &d);

		if (st != STATUS_OK) {
			if (d.msg[0])
				cli_error("%s", d.msg);
			else
				cli_error("%s: %s", path, status_str(st));
			failed = true;
			continue;
		}
		if (o->json) {
			if (!first)
				putc(',', json);
			json_file(json, path, &mi);
		} else {
			text_file(path, &mi, first);
		}
		first = false;
		macho_info_free(&mi);
	}
	putc(']', json);
	if (fclose(json) != 0) {
		failed = true;
		cli_error("codesign: %s", status_str(STATUS_ERR_NOMEM));
	}
	if (o->json && !failed)
		puts(doc);
	free(doc);
	return failed ? EXIT_ERROR : EXIT_CLEAN;
}
