/* cmd_kb.c - kb list, kb import, kb export: the knowledge base itself,
 * built in and the user's overlay of imported OSV records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/overlay.h"
#include "cli.h"
#include "json_out.h"

bool cli_kb_open(struct kb **kb, const struct cli_opts *o, struct diag *d)
{
	char path[4096];
	bool have = overlay_default_path(path, sizeof(path));

	if (kb_open(kb, o->db_file, d) != STATUS_OK)
		return false;
	if (overlay_attach(*kb, have ? path : NULL, o->db_file ? "db" : "built-in", d) != STATUS_OK) {
		kb_close(*kb);
		*kb = NULL;
		return false;
	}
	return true;
}

/* Where an entry comes from and whether it is judged, as SQL over the
 * merged entries. */
#define KB_LIST_FROM                                                                          \
	" FROM (SELECT e.*, o.origin, o.shadows FROM entry e JOIN temp.kb_origin o ON o.id = e.id" \
	" ORDER BY e.id)"

/* Opens the merged KB, runs sql (one text result) and prints it after
 * header (when not NULL); empty means empty. */
static int print_query(const struct cli_opts *o, const char *sql, const char *header, const char *empty)
{
	struct kb *kb;
	struct diag d = {""};
	char *doc = NULL;
	enum status st;

	if (!cli_kb_open(&kb, o, &d))
		return cli_error("%s", d.msg);
	st = kb_query_text(kb, sql, NULL, &doc, &d);
	if (st == STATUS_OK) {
		if (header)
			puts(header);
		puts(doc ? doc : empty);
		if (!o->json && doc && kb->overlay && strstr(doc, "overlay*"))
			puts("(* an imported record in place of an older entry of the same id)");
	}
	free(doc);
	kb_close(kb);
	return st == STATUS_OK ? EXIT_CLEAN : cli_error("%s", d.msg);
}

int cmd_kb_list(const struct cli_opts *o)
{
	if (o->json)
		return print_query(o, "SELECT json_group_array(json_object('id', id, 'component', component,"
				   " 'severity', severity, 'summary', summary, 'probe', probe, 'verified', verified,"
				   " 'modified', modified, 'source', origin, 'replaces_base', json(CASE WHEN shadows"
				   " THEN 'true' ELSE 'false' END), 'inactive', inactive))" KB_LIST_FROM, NULL, "[]");
	/* The ID column is as wide as the longest id, so every row lines up. */
	return print_query(o, "WITH l AS (SELECT *" KB_LIST_FROM "), w AS (SELECT max(2, ifnull(max(length(id)), 0)) AS n FROM l)"
			   " SELECT printf('%-*s %-9s %-10s %-10s %-12s %-10s %s', n, 'ID', 'SOURCE', 'COMPONENT', 'SEVERITY',"
			   " 'PROBE', 'VERIFIED', 'SUMMARY') || ifnull(char(10) || (SELECT group_concat(printf("
			   "'%-*s %-9s %-10s %-10s %-12s %-10s %s', n, id, origin || CASE WHEN shadows THEN '*' ELSE '' END,"
			   " component, severity, ifnull(probe, '-'), ifnull(verified, '-'), CASE WHEN inactive IS NULL"
			   " THEN summary ELSE '(' || inactive || ') ' || summary END), char(10)) FROM l), '') FROM w",
			   NULL, "");
}

int cmd_kb_export(const struct cli_opts *o)
{
	/* The records as they were written or imported, withdrawn ones too:
	 * importing the export gives the same KB. */
	return print_query(o, o->json ? "SELECT json_group_array(json(doc)) FROM (SELECT doc FROM entry ORDER BY id)"
				      : "SELECT '[' || char(10) || ifnull(group_concat(json(doc), ',' || char(10)), '')"
					" || char(10) || ']' FROM (SELECT doc FROM entry ORDER BY id)", NULL, "[]");
}

static void import_json(const char *path, const struct overlay_report *r)
{
	bool first = true;

	putchar('{');
	json_key(stdout, &first, "overlay");
	json_str(stdout, path);
	json_key(stdout, &first, "written");
	fputs(r->written ? "true" : "false", stdout);
	const struct {
		const char *key;
		size_t n;
	} counts[] = {{"records", r->records}, {"added", r->added}, {"replaced", r->replaced},
		      {"unchanged", r->unchanged}, {"kept_stored", r->kept},
		      {"kept_base", r->skipped_base}, {"never_judged", r->inactive}};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		json_key(stdout, &first, counts[i].key);
		printf("%zu", counts[i].n);
	}
	json_key(stdout, &first, "messages");
	putchar('[');
	for (size_t i = 0; i < r->nlines; i++) {
		if (i)
			putchar(',');
		json_str(stdout, r->lines[i]);
	}
	puts("]}");
}

int cmd_kb_import(const struct cli_opts *o)
{
	char path[4096];
	struct kb *base;
	struct overlay_report rep;
	struct diag d = {""};
	enum status st;

	if (!overlay_default_path(path, sizeof(path)))
		return cli_error("cannot tell where to keep imported records: set HOME or XDG_DATA_HOME"
				 " to an absolute path");
	if (kb_open(&base, o->db_file, &d) != STATUS_OK)
		return cli_error("%s", d.msg);
	st = overlay_import(path, base, o->db_file ? o->db_file : "built-in", (const char *const *)o->args,
			    (size_t)o->nargs, &rep, &d);
	kb_close(base);
	if (st != STATUS_OK) {
		overlay_report_free(&rep);
		return cli_error("%s (nothing was imported; %s is unchanged)", d.msg, path);
	}
	if (o->json) {
		import_json(path, &rep);
	} else {
		for (size_t i = 0; i < rep.nlines; i++)
			printf("%s\n", rep.lines[i]);
		printf("%zu record%s: %zu added, %zu replaced, %zu unchanged, %zu not imported (older than"
		       " what is stored or built in)%s%s\n", rep.records, rep.records == 1 ? "" : "s", rep.added,
		       rep.replaced, rep.unchanged, rep.kept + rep.skipped_base, rep.written ? "; written to " : "",
		       rep.written ? path : "");
	}
	overlay_report_free(&rep);
	return EXIT_CLEAN;
}
