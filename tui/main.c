/* main.c - quirk: is your machine the bug? Command dispatch. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "output.h"

static const char usage[] =
	"usage: quirk [COMMAND] [OPTIONS]\n"
	"\n"
	"Tells whether this machine (its CPU, kernel, OS, compilers, runtimes and\n"
	"project dependencies) has a known platform bug, why, and what to do.\n"
	"\n"
	"commands:\n"
	"  (none)            the interactive interface on a terminal, else scan\n"
	"  tui               the interactive interface\n"
	"  scan              match this host's facts against the knowledge base\n"
	"  facts             print the facts quirk collects\n"
	"  explain ID        everything about one entry, and its verdict here\n"
	"  kb list           list the knowledge base entries and where each comes from\n"
	"  kb import FILE... add OSV records (osv.dev, GitHub advisories, quirk's own) to\n"
	"                    the overlay in $XDG_DATA_HOME/quirk\n"
	"  kb export         the whole knowledge base as a JSON array of OSV records\n"
	"  probe list        list the live probes, their risk and what they decide\n"
	"  probe run NAME    run one probe in an isolated child and report its result\n"
	"  codesign PATH...  Mach-O code signatures: hardened runtime, entitlements\n"
	"  gobin PATH...     which Go built a binary, and what that Go's workaround for\n"
	"                    the Linux 5.2-5.4.1 AVX signal bug means on this host\n"
	"  search TEXT...    KB entries matching an error message or words (-: stdin)\n"
	"  match [FILE|DIR|-]...\n"
	"                    KB symptom signatures in logs (gzip too): where, and the\n"
	"                    verdict of each matched entry here\n"
	"  report            the whole report as Markdown (--json: the scan document)\n"
	"  check             the team's checklist (.quirk.json), a fix under each failure\n"
	"\n"
	"options:\n"
	"  --json            machine-readable output (one JSON document)\n"
	"  --facts FILE      judge facts saved with `quirk facts --json`, not this host\n"
	"  --project DIR     read lockfiles (Cargo.lock, Gemfile.lock, mix.lock, go.mod)\n"
	"                    and Go binaries (DIR, DIR/bin) under DIR\n"
	"                    (default: the current directory)\n"
	"  --db FILE         use this knowledge base database instead of the built-in one\n"
	"  --all             scan: also list entries that do not affect this host\n"
	"  --keys            facts: list every fact key quirk knows, with its meaning\n"
	"  --root DIR        collect from DIR/proc, DIR/etc (a mounted image or fixture)\n"
	"  --cpuid FILE      identify the CPU from a libcpuid raw dump\n"
	"  --probes          scan, facts, report: run the safe probes that can decide\n"
	"                    unknown findings\n"
	"  --markdown        report: Markdown (the default); check: Markdown\n"
	"  --max-hits N      match: lines shown per entry (default 10)\n"
	"  --signatures      match: list the signatures searched for and stop\n"
	"  --format F        text, json (= --json), markdown (scan, report, check) or\n"
	"                    prometheus (scan: metrics for node_exporter's textfile\n"
	"                    collector)\n"
	"  --output FILE     write the document to FILE, replaced once it is complete\n"
	"  --anonymize       scan, facts, report: no host/user names, home paths, serials\n"
	"  --profile FILE    check: the profile (default: .quirk.json in the project)\n"
	"  --duration S      probe run: how long the probe works (default: its own)\n"
	"  --self-test       probe run: inject the fault the probe looks for (must fail)\n"
	"  --force           probe run: run a probe that may crash an affected machine\n"
	"  -h, --help        this help\n"
	"  -V, --version     quirk and knowledge base versions\n"
	"\n"
	"exit status: 0 nothing affected, 1 something affected, 2 error,\n"
	"             3 nothing affected but something unknown\n"
	"             (check: 0 ready, 1 an item fails, 2 error, 3 one is undecided)\n";

enum { OPT_FACTS = 256, OPT_PROJECT, OPT_DB, OPT_ROOT, OPT_CPUID, OPT_PROBES, OPT_DURATION,
       OPT_SELF_TEST, OPT_FORCE, OPT_MARKDOWN, OPT_MAX_HITS, OPT_SIGNATURES,
       OPT_FORMAT, OPT_OUTPUT, OPT_ANONYMIZE, OPT_PROFILE };

static const struct option longopts[] = {
	{"json", no_argument, NULL, 'j'},     {"all", no_argument, NULL, 'a'},
	{"keys", no_argument, NULL, 'k'},     {"facts", required_argument, NULL, OPT_FACTS},
	{"project", required_argument, NULL, OPT_PROJECT},
	{"db", required_argument, NULL, OPT_DB},
	{"root", required_argument, NULL, OPT_ROOT},
	{"cpuid", required_argument, NULL, OPT_CPUID},
	{"probes", no_argument, NULL, OPT_PROBES},
	{"markdown", no_argument, NULL, OPT_MARKDOWN},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"anonymize", no_argument, NULL, OPT_ANONYMIZE},
	{"profile", required_argument, NULL, OPT_PROFILE},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"self-test", no_argument, NULL, OPT_SELF_TEST},
	{"force", no_argument, NULL, OPT_FORCE},
	{"max-hits", required_argument, NULL, OPT_MAX_HITS},
	{"signatures", no_argument, NULL, OPT_SIGNATURES},
	{"help", no_argument, NULL, 'h'},     {"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static const struct command {
	const char *name, *sub;
	int (*run)(const struct cli_opts *);
	int min_args, max_args; /* positional arguments; -1: no limit */
	const char *args_usage;
} commands[] = {
	{"scan", NULL, cmd_scan, 0, 0, ""},
	{"facts", NULL, cmd_facts, 0, 0, ""},
	{"explain", NULL, cmd_explain, 0, 1, " ID"},
	{"kb", "list", cmd_kb_list, 0, 0, ""},
	{"kb", "import", cmd_kb_import, 1, -1, " FILE.json..."},
	{"kb", "export", cmd_kb_export, 0, 0, ""},
	{"probe", "list", cmd_probe_list, 0, 0, ""},
	{"probe", "run", cmd_probe_run, 1, 1, " NAME"},
	{"codesign", NULL, cmd_codesign, 1, -1, " PATH..."},
	{"gobin", NULL, cmd_gobin, 1, -1, " PATH..."},
	{"search", NULL, cmd_search, 1, -1, " TEXT... | -"},
	{"match", NULL, cmd_match, 0, -1, " [FILE|DIR|-]..."},
	{"report", NULL, cmd_report, 0, 0, ""},
	{"tui", NULL, cmd_tui, 0, 0, ""},
	{"check", NULL, cmd_check, 0, 0, ""},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Finds the command named by argv[1] (and argv[2] for two-word ones);
 * sets *first to the index of the first option. NULL after printing the
 * error. */
static const struct command *find_command(int argc, char **argv, int *first)
{
	const struct command *named = NULL;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		named = &commands[i];
		if (!commands[i].sub) {
			*first = 2;
			return named;
		}
		if (argc > 2 && !strcmp(argv[2], commands[i].sub)) {
			*first = 3;
			return named;
		}
	}
	if (!named) {
		cli_error("unknown command \"%s\" (see quirk --help)", argv[1]);
		return NULL;
	}
	fprintf(stderr, "quirk: usage:");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, named->name))
			fprintf(stderr, " quirk %s %s%s%s", named->name, commands[i].sub, commands[i].args_usage,
				i + 1 < NCOMMANDS && !strcmp(commands[i + 1].name, named->name) ? " |" : "");
	fputc('\n', stderr);
	return NULL;
}

static const char *const format_names[] = {
	[CLI_FORMAT_TEXT] = "text", [CLI_FORMAT_JSON] = "json", [CLI_FORMAT_MARKDOWN] = "markdown",
	[CLI_FORMAT_PROMETHEUS] = "prometheus",
};
#define FMT(f) (1u << CLI_FORMAT_##f)

/* The formats each command writes, the first being its default; commands
 * not listed write text and json. */
static const struct {
	const char *name;
	enum cli_format first;
	unsigned formats;
} command_formats[] = {
	{"scan", CLI_FORMAT_TEXT, FMT(TEXT) | FMT(JSON) | FMT(MARKDOWN) | FMT(PROMETHEUS)},
	{"report", CLI_FORMAT_MARKDOWN, FMT(MARKDOWN) | FMT(JSON)},
	{"check", CLI_FORMAT_TEXT, FMT(TEXT) | FMT(JSON) | FMT(MARKDOWN)},
	{"tui", CLI_FORMAT_TEXT, FMT(TEXT)},
};

/* Resolves o->format for cmd (asked: what the user typed for it) and
 * checks that cmd writes it, and takes --output and --anonymize. Prints
 * the error and returns false. */
static bool check_output_options(const struct command *cmd, struct cli_opts *o, const char *asked)
{
	enum cli_format first = CLI_FORMAT_TEXT;
	unsigned formats = FMT(TEXT) | FMT(JSON);
	char list[64] = "";

	for (size_t i = 0; i < sizeof(command_formats) / sizeof(command_formats[0]); i++)
		if (!strcmp(cmd->name, command_formats[i].name)) {
			first = command_formats[i].first;
			formats = command_formats[i].formats;
		}
	if (o->format == CLI_FORMAT_DEFAULT)
		o->format = first;
	o->json = o->format == CLI_FORMAT_JSON;
	if (!(formats & (1u << o->format))) {
		snprintf(list, sizeof(list), "%s", format_names[first]);
		for (size_t f = 1; f < sizeof(format_names) / sizeof(format_names[0]); f++)
			if (formats & (1u << f) && f != first)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), ", %s", format_names[f]);
		cli_error("%s has no %s output (it writes %s)", cmd->name, asked, list);
		return false;
	}
	if (o->output && cmd->run == cmd_tui) {
		cli_error("tui has no --output; use quirk report --output FILE");
		return false;
	}
	if (o->anonymize && cmd->run != cmd_scan && cmd->run != cmd_facts && cmd->run != cmd_report) {
		cli_error("%s has no --anonymize (scan, facts and report have)", cmd->name);
		return false;
	}
	return true;
}

/* Parses a --duration value: seconds, positive, at most a day. */
static bool parse_duration(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0) || v > 86400)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	struct cli_opts o = {0};
	const struct command *cmd = &commands[0];
	int c, first = 1, npositional;
	char **positional;
	char asked[64] = "";

	bool named = argc > 1 && argv[1][0] != '-';

	if (named && !(cmd = find_command(argc, argv, &first)))
		return EXIT_ERROR;
	optind = first;
	opterr = 0;
	/* GNU getopt permutes argv: options may follow positional arguments,
	 * which end up in argv[optind..]. */
	while ((c = getopt_long(argc, argv, "hVj", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o.format = CLI_FORMAT_JSON; snprintf(asked, sizeof(asked), "--json"); break;
		case 'a': o.all = true; break;
		case 'k': o.keys = true; break;
		case OPT_FACTS: o.facts_file = optarg; break;
		case OPT_PROJECT: o.project_dir = optarg; break;
		case OPT_DB: o.db_file = optarg; break;
		case OPT_ROOT: o.root = optarg; break;
		case OPT_CPUID: o.cpuid_dump = optarg; break;
		case OPT_PROBES: o.probes = true; break;
		case OPT_SELF_TEST: o.self_test = true; break;
		case OPT_FORCE: o.force = true; break;
		case OPT_MARKDOWN:
			o.format = CLI_FORMAT_MARKDOWN;
			snprintf(asked, sizeof(asked), "--markdown");
			break;
		case OPT_FORMAT:
			o.format = CLI_FORMAT_DEFAULT;
			for (size_t f = 1; f < sizeof(format_names) / sizeof(format_names[0]); f++)
				if (!strcmp(optarg, format_names[f]))
					o.format = (enum cli_format)f;
			if (o.format == CLI_FORMAT_DEFAULT)
				return cli_error("--format: \"%s\" is not one of text, json, markdown, prometheus",
						 optarg);
			snprintf(asked, sizeof(asked), "--format %s", optarg);
			break;
		case OPT_OUTPUT: o.output = optarg; break;
		case OPT_PROFILE: o.profile = optarg; break;
		case OPT_ANONYMIZE: o.anonymize = true; break;
		case OPT_SIGNATURES: o.signatures = true; break;
		case OPT_MAX_HITS: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > 100000 || optarg[0] == '-')
				return cli_error("--max-hits: \"%s\" is not a number from 1 to 100000", optarg);
			o.max_hits = v;
			break;
		}
		case OPT_DURATION:
			if (!parse_duration(optarg, &o.duration_s))
				return cli_error("--duration: \"%s\" is not a number of seconds (0 < S <= 86400)",
						 optarg);
			break;
		case 'h': fputs(usage, stdout); return output_close(EXIT_CLEAN);
		case 'V': printf("quirk %s\n", QUIRK_VERSION); return output_close(EXIT_CLEAN);
		default:
			return cli_error("unknown or incomplete option \"%s\" (see quirk --help)",
					 argv[optind - 1]);
		}
	}
	positional = &argv[optind];
	npositional = argc - optind;
	if (cmd->max_args >= 0 && npositional > cmd->max_args)
		return cli_error("unexpected argument \"%s\" (see quirk --help)", positional[cmd->max_args]);
	if (npositional < cmd->min_args)
		return cli_error("usage: quirk %s%s%s%s", cmd->name, cmd->sub ? " " : "",
				 cmd->sub ? cmd->sub : "", cmd->args_usage);
	o.args = positional;
	o.nargs = npositional;
	o.arg = npositional ? positional[0] : NULL;
	if (o.facts_file && (o.root || o.cpuid_dump))
		return cli_error("--facts cannot be combined with --root or --cpuid");
	/* No command on a terminal: the interactive interface; in a pipe, on
	 * a dumb terminal or asked for a document, scan. */
	if (!named && !o.format && !o.output && !o.anonymize && !o.probes && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO) && getenv("TERM") && strcmp(getenv("TERM"), "dumb") != 0)
		return cmd_tui(&o);
	if (!check_output_options(cmd, &o, asked) || !output_open(o.output))
		return EXIT_ERROR;
	return output_close(cmd->run(&o));
}
