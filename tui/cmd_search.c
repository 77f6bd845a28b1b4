/* cmd_search.c - `quirk search TEXT...`: which KB entries an error
 * message or a few words point to, and their verdict on this host. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/search.h"
#include "../probes/fileio.h"
#include "cli.h"
#include "json_out.h"

#define SEARCH_MAX_HITS 10
#define SEARCH_MAX_INPUT (64 * 1024)

/* Standard input, up to SEARCH_MAX_INPUT bytes of text. NULL with why
 * set: a read error, binary data, or more than a pasted message. */
static char *stdin_text(char *why, size_t n)
{
	char *text = malloc(SEARCH_MAX_INPUT + 2);
	size_t len = 0, got;

	if (!text) {
		snprintf(why, n, "search: %s", status_str(STATUS_ERR_NOMEM));
		return NULL;
	}
	/* One byte past the limit tells a long input from one that fits. */
	while (len <= SEARCH_MAX_INPUT && (got = fread(text + len, 1, SEARCH_MAX_INPUT + 1 - len, stdin)) > 0)
		len += got;
	if (ferror(stdin))
		snprintf(why, n, "search: standard input: %s", strerror(errno));
	else if (len > SEARCH_MAX_INPUT)
		snprintf(why, n, "search: standard input is longer than %d KiB, more than an error message;"
			 " quirk match searches logs", SEARCH_MAX_INPUT / 1024);
	else if (memchr(text, '\0', len))
		snprintf(why, n, "search: standard input: binary data (NUL byte); paste the text of an error message");
	else {
		text[len] = '\0';
		return text;
	}
	free(text);
	return NULL;
}

/* The words of the command line, or standard input for "-". NULL with
 * why set when there is nothing to search for or it cannot be read. */
static char *search_text(const struct cli_opts *o, char *why, size_t n)
{
	size_t len = 0;
	char *text;

	if (o->nargs == 1 && !strcmp(o->args[0], "-")) {
		text = stdin_text(why, n);
	} else {
		for (int i = 0; i < o->nargs; i++)
			len += strlen(o->args[i]) + 1;
		if ((text = calloc(1, len + 1)))
			for (int i = 0; i < o->nargs; i++)
				strcat(strcat(text, i ? " " : ""), o->args[i]);
		else
			snprintf(why, n, "search: %s", status_str(STATUS_ERR_NOMEM));
	}
	if (text && !text[strspn(text, " \t\r\n")]) {
		snprintf(why, n, "search: nothing to search for (%s is empty); give an error message or words",
			 o->nargs == 1 && !strcmp(o->args[0], "-") ? "standard input" : "the text");
		free(text);
		text = NULL;
	}
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
	char why[256];
	char *text = search_text(o, why, sizeof(why));

	if (!text)
		return cli_error("%s", why);
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
