/* cmd_match.c - `quirk match [FILE...|-]`: which KB entries' symptoms a
 * log shows, on which lines, and each entry's verdict on this host. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../db/logscan.h"
#include "../db/match.h"
#include "../probes/collect.h"
#include "../probes/logread.h"
#include "../probes/text.h"
#include "cli.h"
#include "config.h"
#include "json_out.h"
#include "report_text.h"

/* Pieces that stay in L2 between the read() copy and the scan. */
#define MATCH_PIECE (1u << 16)
#define MATCH_MAX_DEPTH 32

struct stored_hit {
	const char *file;
	unsigned long long line;
	const struct logscan_sig *sig;
	char *text;
	size_t len;
	bool cut_before, cut_after;
};

struct entry_hits {
	unsigned long long total;
	struct stored_hit *v;
	size_t n;
};

struct input {
	char *path;
	unsigned long long bytes, raw, lines;
	bool gzip;
	char *error; /* why it could not be read (all or part of it); NULL if it was */
};

struct matcher {
	struct logscan *ls;
	struct entry_hits *per; /* by logscan entry index */
	size_t max_hits;
	const char *file;
	struct input *inputs;
	size_t ninputs, nfailed, nunread; /* failed: all or part; unread: all */
	char *buf;
	bool nomem;
};

static void on_hit(void *ctx, const struct logscan_hit *h)
{
	struct matcher *m = ctx;
	struct entry_hits *e = &m->per[h->entry];
	struct stored_hit *s;

	e->total++;
	if (e->n >= m->max_hits)
		return;
	if (!e->v && !(e->v = calloc(m->max_hits, sizeof(*e->v)))) {
		m->nomem = true;
		return;
	}
	s = &e->v[e->n];
	*s = (struct stored_hit){.file = m->file, .line = h->line, .sig = h->sig, .len = h->len,
				 .cut_before = h->cut_before, .cut_after = h->cut_after};
	if (!(s->text = malloc(h->len + 1))) {
		m->nomem = true;
		return;
	}
	memcpy(s->text, h->text, h->len);
	s->text[h->len] = '\0';
	e->n++;
}

static struct input *add_input(struct matcher *m, const char *path)
{
	struct input *grown = realloc(m->inputs, (m->ninputs + 1) * sizeof(*grown));

	if (!grown)
		return NULL;
	m->inputs = grown;
	grown[m->ninputs] = (struct input){.path = strdup(path)};
	return grown[m->ninputs].path ? &grown[m->ninputs++] : NULL;
}

/* An input that could not be read, or not to the end: the message is
 * printed now and kept for the report, and the other inputs are still
 * scanned. */
static void input_failed(struct matcher *m, struct input *in, const char *msg)
{
	cli_error("%s", msg);
	m->nfailed++;
	m->nunread += in->raw == 0 && in->bytes == 0;
	if (!(in->error = strdup(msg)))
		m->nomem = true;
}

/* Scans one file or standard input; an error is printed and remembered,
 * and the other inputs are still scanned. */
static void scan_input(struct matcher *m, const char *path)
{
	struct input *in = add_input(m, strcmp(path, "-") ? path : "(standard input)");
	struct logread *r = NULL;
	struct logscan_stream *s = NULL;
	struct diag d = {""};
	enum status st;
	size_t n;

	if (!in) {
		m->nomem = true;
		return;
	}
	m->file = in->path;
	st = logread_open(path, &r, &d);
	if (st == STATUS_OK)
		st = logscan_open(m->ls, on_hit, m, &s, &d);
	while (st == STATUS_OK && (st = logread_read(r, m->buf, MATCH_PIECE, &n, &d)) == STATUS_OK && n)
		st = logscan_feed(s, m->buf, n, &d);
	/* Hits found before a read error are real: close reports them. */
	if (s && logscan_close(s, &in->lines, &in->bytes, st == STATUS_OK ? &d : NULL) != STATUS_OK &&
	    st == STATUS_OK)
		st = STATUS_ERR_DB;
	if (r) {
		in->gzip = logread_gzip(r);
		in->raw = logread_raw_bytes(r);
	}
	logread_close(r);
	if (st != STATUS_OK)
		input_failed(m, in, d.msg[0] ? d.msg : status_str(st));
}

/* A directory that cannot be searched, as an input that failed. */
static void dir_failed(struct matcher *m, const char *path, const char *why)
{
	struct input *in = add_input(m, path);
	char msg[sizeof(((struct diag *)0)->msg)];

	snprintf(msg, sizeof(msg), "%s: %s", path, why);
	if (in)
		input_failed(m, in, msg);
	else
		m->nomem = true;
}

static int not_dot(const struct dirent *e)
{
	return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

/* A file, or a directory's files in name order. Inside directories
 * symbolic links are skipped (no loops, no leaving the tree) and so are
 * sockets, devices and pipes. */
static void scan_path(struct matcher *m, const char *path, int depth)
{
	struct stat sb;
	struct dirent **names = NULL;
	int n;

	if (!strcmp(path, "-") || (depth == 0 && stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))) {
		scan_input(m, path);
		return;
	}
	if ((depth == 0 ? stat(path, &sb) : lstat(path, &sb)) != 0) {
		scan_input(m, path); /* reports why it cannot be read */
		return;
	}
	if (S_ISREG(sb.st_mode)) {
		scan_input(m, path);
		return;
	}
	if (!S_ISDIR(sb.st_mode))
		return;
	if (depth >= MATCH_MAX_DEPTH) {
		char why[64];
		snprintf(why, sizeof(why), "more than %d directories deep; not searched", MATCH_MAX_DEPTH);
		dir_failed(m, path, why);
		return;
	}
	if ((n = scandir(path, &names, not_dot, alphasort)) < 0) {
		char why[128];
		snprintf(why, sizeof(why), "cannot list the directory: %s", strerror(errno));
		dir_failed(m, path, why);
		return;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
		char *sub = malloc(len);
		if (sub) {
			snprintf(sub, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]->d_name);
			scan_path(m, sub, depth + 1);
		} else {
			m->nomem = true;
		}
		free(sub);
		free(names[i]);
	}
	free(names);
}

/* A log line for the terminal: valid UTF-8 as it is, control characters
 * and other bytes as \xNN, so binary logs cannot drive the terminal. */
static void print_text(const struct stored_hit *h)
{
	const unsigned char *p = (const unsigned char *)h->text, *end = p + h->len;

	if (h->cut_before)
		fputs("...", stdout);
	while (p < end) {
		int n = text_utf8_len(p, (size_t)(end - p));
		if (n == 0 || (*p < 0x20 && *p != '\t') || *p == 0x7f || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			printf("\\x%02x", *p++);
			continue;
		}
		fwrite(p, 1, (size_t)n, stdout);
		p += n;
	}
	if (h->cut_after)
		fputs("...", stdout);
}

static void print_totals(const struct matcher *m, size_t nsigs)
{
	unsigned long long bytes = 0, lines = 0;
	size_t gz = 0;

	for (size_t i = 0; i < m->ninputs; i++) {
		bytes += m->inputs[i].bytes;
		lines += m->inputs[i].lines;
		gz += m->inputs[i].gzip;
	}
	size_t n = m->ninputs - m->nunread;

	printf("searched %zu input%s (%.1f MiB, %llu lines", n, n == 1 ? "" : "s",
	       (double)bytes / (1024 * 1024), lines);
	if (gz)
		printf(", %zu gzip-compressed", gz);
	printf(") for %zu signatures of %zu entries\n", nsigs, logscan_entries(m->ls));
	/* What the report does not cover, where it is read. */
	for (size_t i = 0; i < m->ninputs; i++)
		if (m->inputs[i].error)
			printf("not read%s: %s\n", m->inputs[i].raw || m->inputs[i].bytes ? " to the end" : "",
			       m->inputs[i].error);
	putchar('\n');
}

static void print_text_report(const struct matcher *m, struct pipeline *p, const struct finding *v, size_t n,
			      size_t nsigs)
{
	size_t count[3] = {0, 0, 0}, matched = 0;
	bool color = cli_color();
	char kbver[64] = "?";
	int entries = 0;

	kb_info(p->kb, kbver, sizeof(kbver), &entries);
	printf("quirk %s, knowledge base %s (%d entries), facts from %s\n", QUIRK_VERSION, kbver, entries,
	       p->facts_source);
	print_totals(m, nsigs);
	for (size_t i = 0; i < n; i++) {
		ssize_t e = logscan_entry_index(m->ls, v[i].id);
		const struct entry_hits *h = e >= 0 ? &m->per[e] : NULL;
		char extra[64];
		if (!h || !h->total)
			continue;
		matched++;
		count[v[i].verdict]++;
		snprintf(extra, sizeof(extra), "  (%llu line%s)", h->total, h->total == 1 ? "" : "s");
		report_text_finding_title(stdout, &v[i], color, extra);
		printf("    %s\n", v[i].summary);
		for (size_t k = 0; k < h->n; k++) {
			printf("    %s:%llu: ", h->v[k].file, h->v[k].line);
			print_text(&h->v[k]);
			putchar('\n');
		}
		if (h->total > h->n)
			printf("    ... and %llu more line%s (--max-hits N shows more)\n", h->total - h->n,
			       h->total - h->n == 1 ? "" : "s");
		printf("    %s on %s:\n", v[i].verdict == VERDICT_AFFECTED ? "affected"
				      : v[i].verdict == VERDICT_UNKNOWN ? "undecided"
									: "not affected",
		       p->facts_source);
		report_text_finding_why(stdout, &v[i], color);
		putchar('\n');
	}
	if (!matched)
		printf("no symptom of a known platform bug in %s\n", m->nfailed ? "what could be read"
								: m->ninputs == 1 ? "this input" : "these inputs");
	else
		printf("%zu entr%s matched: %zu affected, %zu unknown, %zu not affected on %s. Details: quirk explain ID\n",
		       matched, matched == 1 ? "y" : "ies", count[0], count[1], count[2], p->facts_source);
}

static void print_json_report(const struct matcher *m, struct pipeline *p, const struct finding *v, size_t n,
			      size_t nsigs)
{
	char kbver[64] = "?";
	int entries = 0;
	bool first = true, any = false;

	kb_info(p->kb, kbver, sizeof(kbver), &entries);
	putchar('{');
	json_key(stdout, &first, "quirk_version");
	json_str(stdout, QUIRK_VERSION);
	json_key(stdout, &first, "kb_version");
	json_str(stdout, kbver);
	json_key(stdout, &first, "facts_source");
	json_str(stdout, p->facts_source);
	json_key(stdout, &first, "signatures");
	printf("%zu", nsigs);
	json_key(stdout, &first, "inputs");
	putchar('[');
	for (size_t i = 0; i < m->ninputs; i++) {
		printf("%s{\"path\":", i ? "," : "");
		json_str(stdout, m->inputs[i].path);
		printf(",\"bytes\":%llu,\"lines\":%llu,\"gzip\":%s,\"compressed_bytes\":%llu,\"error\":", m->inputs[i].bytes,
		       m->inputs[i].lines, m->inputs[i].gzip ? "true" : "false", m->inputs[i].raw);
		json_str(stdout, m->inputs[i].error);
		putchar('}');
	}
	putchar(']');
	json_key(stdout, &first, "matches");
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		ssize_t e = logscan_entry_index(m->ls, v[i].id);
		const struct entry_hits *h = e >= 0 ? &m->per[e] : NULL;
		const char *params[] = {v[i].id, NULL};
		char *finding = NULL;
		if (!h || !h->total)
			continue;
		printf("%s{\"id\":", any ? "," : "");
		any = true;
		json_str(stdout, v[i].id);
		printf(",\"verdict\":");
		json_str(stdout, verdict_name(v[i].verdict));
		printf(",\"lines\":%llu,\"hits\":[", h->total);
		for (size_t k = 0; k < h->n; k++) {
			printf("%s{\"file\":", k ? "," : "");
			json_str(stdout, h->v[k].file);
			printf(",\"line\":%llu,\"signature\":", h->v[k].line);
			json_str(stdout, h->v[k].sig->text);
			printf(",\"pattern\":%s,\"text\":", h->v[k].sig->pattern ? "true" : "false");
			json_strn(stdout, h->v[k].text, h->v[k].len);
			printf(",\"cut_before\":%s,\"cut_after\":%s}", h->v[k].cut_before ? "true" : "false",
			       h->v[k].cut_after ? "true" : "false");
		}
		/* The finding as scan --json shows it (the array of one). */
		kb_query_text(p->kb, match_findings_json_sql, params, &finding, NULL);
		printf("],\"finding\":%s}", finding ? finding : "null");
		free(finding);
	}
	puts("]}");
}

/* The KB's signatures compiled, or loaded from the cache directory. */
static enum status compile_signatures(struct pipeline *p, struct logscan **ls, struct diag *d)
{
	char cache[4096];

	return logscan_compile_cached(p->kb, collect_cache_dir(cache, sizeof(cache)), ls, d);
}

/* --signatures: what match looks for, one per line. */
static int list_signatures(struct pipeline *p)
{
	struct logscan *ls;
	struct diag d = {""};
	const struct logscan_sig *s;

	if (compile_signatures(p, &ls, &d) != STATUS_OK)
		return cli_error("%s", d.msg);
	for (size_t i = 0; (s = logscan_sig_at(ls, i)); i++)
		printf("%s\t%s\t%s\n", s->entry, s->pattern ? "pattern" : "exact", s->text);
	logscan_free(ls);
	return EXIT_CLEAN;
}

int cmd_match(const struct cli_opts *o)
{
	struct matcher m = {.max_hits = o->max_hits ? o->max_hits : 10};
	struct pipeline p;
	struct finding *v = NULL;
	size_t n = 0, nsigs = 0;
	struct diag d = {""};
	int rc;

	if (!o->signatures && !o->nargs && isatty(STDIN_FILENO))
		return cli_error("match: name the logs to search (FILE..., a directory, or - for standard input)");
	if (!pipeline_open(&p, o, true))
		return EXIT_ERROR;
	if (o->signatures) {
		rc = list_signatures(&p);
		pipeline_close(&p);
		return rc;
	}
	if (compile_signatures(&p, &m.ls, &d) != STATUS_OK || match_findings(p.kb, NULL, &v, &n, &d) != STATUS_OK) {
		logscan_free(m.ls);
		pipeline_close(&p);
		return cli_error("%s", d.msg);
	}
	while (logscan_sig_at(m.ls, nsigs))
		nsigs++;
	m.per = calloc(logscan_entries(m.ls) + 1, sizeof(*m.per));
	m.buf = malloc(MATCH_PIECE);
	if (m.per && m.buf) {
		if (!o->nargs)
			scan_path(&m, "-", 0);
		for (int i = 0; i < o->nargs && !m.nomem; i++)
			scan_path(&m, o->args[i], 0);
	}
	if (!m.per || !m.buf || m.nomem) {
		rc = cli_error("match: %s", status_str(STATUS_ERR_NOMEM));
	} else if (m.nunread == m.ninputs) {
		/* Nothing was read: a report would speak of nothing. */
		rc = EXIT_ERROR;
	} else {
		if (o->json)
			print_json_report(&m, &p, v, n, nsigs);
		else
			print_text_report(&m, &p, v, n, nsigs);
		/* The exit status speaks of the matched entries only. */
		rc = EXIT_CLEAN;
		for (size_t i = 0; i < n; i++) {
			ssize_t e = logscan_entry_index(m.ls, v[i].id);
			if (e < 0 || !m.per[e].total)
				continue;
			if (v[i].verdict == VERDICT_AFFECTED)
				rc = EXIT_AFFECTED;
			else if (v[i].verdict == VERDICT_UNKNOWN && rc == EXIT_CLEAN)
				rc = EXIT_UNKNOWN;
		}
		if (m.nfailed)
			rc = EXIT_ERROR;
	}
	for (size_t e = 0; m.per && e < logscan_entries(m.ls); e++) {
		for (size_t k = 0; k < m.per[e].n; k++)
			free(m.per[e].v[k].text);
		free(m.per[e].v);
	}
	for (size_t i = 0; i < m.ninputs; i++) {
		free(m.inputs[i].path);
		free(m.inputs[i].error);
	}
	free(m.inputs);
	free(m.per);
	free(m.buf);
	logscan_free(m.ls);
	match_findings_free(v, n);
	pipeline_close(&p);
	return rc;
}
