/* main.c - quirk: is your machine the bug? Command dispatch. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

static const char usage[] =
	"usage: quirk [COMMAND] [OPTIONS]\n"
	"\n"
	"Tells whether this machine (its CPU, kernel, OS, compilers, runtimes and\n"
	"project dependencies) has a known platform bug, why, and what to do.\n"
	"\n"
	"commands:\n"
	"  scan              match this host's facts against the knowledge base (default)\n"
	"  facts             print the facts quirk collects\n"
	"  explain ID        everything about one entry, and its verdict here\n"
	"  kb list           list the knowledge base entries\n"
	"\n"
	"options:\n"
	"  --json            machine-readable output (one JSON document)\n"
	"  --facts FILE      use facts saved with `quirk facts --json` instead of this host\n"
	"  --project DIR     read lockfiles (Cargo.lock, Gemfile.lock, mix.lock) under DIR\n"
	"                    (default: the current directory)\n"
	"  --db FILE         use this knowledge base database instead of the built-in one\n"
	"  --all             scan: also list entries that do not affect this host\n"
	"  --keys            facts: list every fact key quirk knows, with its meaning\n"
	"  --root DIR        collect from DIR/proc, DIR/etc (a mounted image or fixture)\n"
	"  --cpuid FILE      identify the CPU from a libcpuid raw dump\n"
	"  -h, --help        this help\n"
	"  -V, --version     quirk and knowledge base versions\n"
	"\n"
	"exit status: 0 nothing affected, 1 something affected, 2 error,\n"
	"             3 nothing affected but something unknown\n";

enum { OPT_FACTS = 256, OPT_PROJECT, OPT_DB, OPT_ROOT, OPT_CPUID };

static const struct option longopts[] = {
	{"json", no_argument, NULL, 'j'},     {"all", no_argument, NULL, 'a'},
	{"keys", no_argument, NULL, 'k'},     {"facts", required_argument, NULL, OPT_FACTS},
	{"project", required_argument, NULL, OPT_PROJECT},
	{"db", required_argument, NULL, OPT_DB},
	{"root", required_argument, NULL, OPT_ROOT},
	{"cpuid", required_argument, NULL, OPT_CPUID},
	{"help", no_argument, NULL, 'h'},     {"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static const struct command {
	const char *name, *sub;
	int (*run)(const struct cli_opts *);
	bool takes_arg;
} commands[] = {
	{"scan", NULL, cmd_scan, false},
	{"facts", NULL, cmd_facts, false},
	{"explain", NULL, cmd_explain, true},
	{"kb", "list", cmd_kb_list, false},
};

int main(int argc, char **argv)
{
	struct cli_opts o = {0};
	const struct command *cmd = &commands[0];
	int c, first = 1;

	if (argc > 1 && argv[1][0] != '-') {
		cmd = NULL;
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(argv[1], commands[i].name))
				cmd = &commands[i];
		if (!cmd)
			return cli_error("unknown command \"%s\" (see quirk --help)", argv[1]);
		first = 2;
		if (cmd->sub) {
			if (argc < 3 || strcmp(argv[2], cmd->sub) != 0)
				return cli_error("usage: quirk %s %s", cmd->name, cmd->sub);
			first = 3;
		}
	}
	optind = first;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hVj", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = true; break;
		case 'a': o.all = true; break;
		case 'k': o.keys = true; break;
		case OPT_FACTS: o.facts_file = optarg; break;
		case OPT_PROJECT: o.project_dir = optarg; break;
		case OPT_DB: o.db_file = optarg; break;
		case OPT_ROOT: o.root = optarg; break;
		case OPT_CPUID: o.cpuid_dump = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_CLEAN;
		case 'V': printf("quirk %s\n", QUIRK_VERSION); return EXIT_CLEAN;
		default:
			return cli_error("unknown or incomplete option \"%s\" (see quirk --help)",
					 argv[optind - 1]);
		}
	}
	if (optind < argc && cmd->takes_arg)
		o.arg = argv[optind++];
	if (optind < argc)
		return cli_error("unexpected argument \"%s\" (see quirk --help)", argv[optind]);
	if (o.facts_file && (o.root || o.cpuid_dump))
		return cli_error("--facts cannot be combined with --root or --cpuid");
	return cmd->run(&o);
}
