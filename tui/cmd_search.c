/* cmd_search.c - `quirk search TEXT...`: which KB entries an error
 * message or a few words point to, and their verdict on this host. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/search.h"
#include "../probes/fileio.h"
#include "cli.h"
#include "json_out.h"

#define SEARCH_MAX_HITS 10
#define SEARCH_MAX_INPUT (64 * 1024)

/* The words of the command line, or standard input for "-". */
static char *search_text(const struct cli_opts *o)
{
	size_t len = 0;
	char *text;

	if (o->nargs == 1 && !strcmp(o->args[0], "-")) {
		size_t n;
		text = malloc(SEARCH_MAX_INPUT + 1);
		if (!text)
			return NULL;
		while (len < SEARCH_MAX_INPUT && (n = fread(text + len, 1, SEARCH_MAX_INPUT - len, stdin)) > 0)
			len += n;
		text[len] = '\0';
		return text;
	}
	for (int i = 0; i < o->nargs; i++)
		len += strlen(o->args[i]) + 1;
	if (!(text = calloc(1, len + 1)))
		return NULL;
	for (int i = 0; i < o->nargs; i++)
		strcat(strcat(text, i ? " " : ""), o->args[i]);
	return text;
}

static void print_json(const char *text, const struct search_hit *v, size_t n)
{
	bool first = true;

	putchar('{');
	json_key(stdout, &first, "query");
	json_str(stdout, text);
	json_key(stdout, &first, "results");
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		bool m = true;
		if (i)
			putchar(',');
		putchar('{');
		json_key(stdout, &m, "id");
		json_str(stdout, v[i].id);
		json_key(stdout, &m, "summary");
		json_str(stdout, v[i].summary);
		json_key(stdout, &m, "verdict");
		json_str(stdout, v[i].verdict);
		json_key(stdout, &m, "exact");
		fputs(v[i].exact ? "true" : "false", stdout);
		json_key(stdout, &m, "named");
		fputs(v[i].named ? "true" : "false", stdout);
		json_key(stdout, &m, "matched");
		json_str(stdout, v[i].matched);
		json_key(stdout, &m, "score");
		printf("%.3f", v[i].score);
		putchar('}');
	}
	puts("]}");
}

int cmd_search(const struct cli_opts *o)
{
	struct pipeline p;
	struct search_hit *v = NULL;
	size_t n = 0;
	struct diag d = {""};
	char *text = search_text(o);

	if (!text)
		return cli_error("search: %s", status_str(STATUS_ERR_NOMEM));
	if (!pipeline_open(&p, o, true)) {
		free(text);
		return EXIT_ERROR;
	}
	if (kb_search(p.kb, text, SEARCH_MAX_HITS, &v, &n, &d) != STATUS_OK) {
		pipeline_close(&p);
		free(text);
		return cli_error("%s", d.msg[0] ? d.msg : status_str(STATUS_ERR_NOMEM));
	}
	if (o->json) {
		print_json(text, v, n);
	} else if (!n) {
		printf("no knowledge base entry matches\n");
	} else {
		for (size_t i = 0; i < n; i++) {
			printf("%-31s %-12s %s\n", v[i].id, v[i].verdict ? v[i].verdict : "-", v[i].summary);
			printf("%-31s %s %s\n", "", v[i].named ? "names:" : v[i].exact ? "symptom:" : "matched:", v[i].matched ? v[i].matched : "");
		}
	}
	kb_search_free(v, n);
	pipeline_close(&p);
	free(text);
	return n ? EXIT_CLEAN : EXIT_AFFECTED;
}
