/* main.c - salvage: a terminal recovery console for AWS. */
#include <config.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "main.h"
#include "util/log.h"

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
"Usage: %s [OPTION]... COMMAND [ARG]...\n"
"A terminal recovery console for AWS: browse recovery points of S3 objects,\n"
"DynamoDB tables and RDS databases, and (with --operate) restore them.\n"
"With no command on a terminal (or as 'salvage tui') it opens the\n"
"interactive console.\n"
"\n"
"Commands:\n", prog);
	for (int i = 0; cmd_table[i] != NULL; i++) {
		char	head[64];

		snprintf(head, sizeof head, "%s %s", cmd_table[i]->name, cmd_table[i]->args);
		fprintf(f, "  %-28s %s\n", head, cmd_table[i]->summary);
	}
	fprintf(f,
"\n"
"Global options (accepted anywhere on the line):\n"
"  --profile NAME        use the named AWS profile\n"
"  --region NAME         AWS region (default: AWS_REGION, then the profile)\n"
"  --endpoint-url URL    send every request to URL (a local emulator; S3 then\n"
"                        uses path-style addressing)\n"
"  --operate             allow changes (default: read-only; nothing is changed)\n"
"  --json                machine-readable output: one JSON document on stdout\n"
"  --debug               trace requests on stderr (never secrets)\n"
"  --no-color            no colours (also when NO_COLOR is set)\n"
"  -h, --help            show this help and exit\n"
"  -V, --version         show the version and exit\n"
"\n"
"Resources are named by URI: s3://BUCKET/KEY, s3://BUCKET/PREFIX/,\n"
"dynamodb://TABLE, rds://INSTANCE, rds-cluster://CLUSTER, backup://VAULT.\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 refused (read-only), 4 credentials,\n"
"5 access denied, 6 not found, 7 network or throttling, 8 bad response,\n"
"9 verification differences, 10 listing incomplete, 130 interrupted.\n"
"\n"
"See salvage(1) for everything else.\n"
"Report bugs to: %s\n", PACKAGE_BUGREPORT);
}

static const struct {
	const char	*name;
	int		 has_arg;
} globals[] = {
	{ "--profile", 1 }, { "--region", 1 }, { "--endpoint-url", 1 },
	{ "--audit-dir", 1 }, { "--audit-s3", 1 },
	{ "--operate", 0 }, { "--json", 0 }, { "--debug", 0 }, { "--no-color", 0 },
	{ "--yes", 0 },
};

static void
set_global(struct cli *cli, const char *name, const char *val)
{
	if (strcmp(name, "--profile") == 0)
		cli->aws.profile = val;
	else if (strcmp(name, "--region") == 0)
		cli->aws.region = val;
	else if (strcmp(name, "--endpoint-url") == 0)
		cli->aws.endpoint_url = val;
	else if (strcmp(name, "--audit-dir") == 0)
		cli->audit_dir = val;
	else if (strcmp(name, "--audit-s3") == 0)
		cli->audit_s3 = val;
	else if (strcmp(name, "--operate") == 0)
		cli->operate = true;
	else if (strcmp(name, "--json") == 0)
		cli->json = true;
	else if (strcmp(name, "--debug") == 0)
		cli->debug = true;
	else if (strcmp(name, "--no-color") == 0)
		cli->color = false;
	else if (strcmp(name, "--yes") == 0)
		cli->yes = true;
}

int
main_parse_globals(struct cli *cli, int argc, char **argv, int *exit_status)
{
	int	out = 1, i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t	len;
		bool	found = false;

		if (strcmp(a, "--") == 0) {
			/* Everything after "--" is the command's. */
			for (; i < argc; i++)
				argv[out++] = argv[i];
			break;
		}
		eq = strchr(a, '=');
		len = eq != NULL ? (size_t)(eq - a) : strlen(a);
		for (size_t g = 0; g < sizeof globals / sizeof globals[0]; g++) {
			if (strlen(globals[g].name) != len ||
			    strncmp(globals[g].name, a, len) != 0)
				continue;
			found = true;
			if (!globals[g].has_arg) {
				if (eq != NULL) {
					fprintf(stderr, "%s: option '%s' takes no value\n",
					    cli->progname, globals[g].name);
					*exit_status = 2;
					return -1;
				}
				set_global(cli, globals[g].name, NULL);
			} else if (eq != NULL)
				set_global(cli, globals[g].name, eq + 1);
			else if (i + 1 < argc)
				set_global(cli, globals[g].name, argv[++i]);
			else {
				fprintf(stderr, "%s: option '%s' needs a value\n",
				    cli->progname, globals[g].name);
				*exit_status = 2;
				return -1;
			}
			break;
		}
		if (!found)
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

int
main(int argc, char **argv)
{
	struct cli	 cli;
	const struct cmd_entry *cmd;
	int		 status = 0;

	setlocale(LC_ALL, "");
	memset(&cli, 0, sizeof cli);
	cli.progname = "salvage";
	cli.color = getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0';

	argc = main_parse_globals(&cli, argc, argv, &status);
	if (argc < 0)
		return status;
	sv_log_set_debug(cli.debug);

	if (argc < 2) {
		/* No command: the interactive console, on a terminal. */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) &&
		    (cmd = cmd_find("tui")) != NULL) {
			status = cmd->exec(&cli, 1, argv);
			cli_free(&cli, status);
			return status;
		}
		usage(stderr, cli.progname);
		return SV_EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0 && argc > 2 &&
	    (cmd = cmd_find(argv[2])) != NULL)
		return cli_command_help(&cli, cmd);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout, cli.progname);
		return 0;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("salvage %s\n", PACKAGE_VERSION);
		return 0;
	}
	cmd = cmd_find(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "%s: '%s' is not a salvage command\n"
		    "Try '%s --help' for the list of commands.\n",
		    cli.progname, argv[1], cli.progname);
		return SV_EXIT_USAGE;
	}
	/* "salvage CMD --help" (before any "--"): that command's usage. */
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return cli_command_help(&cli, cmd);
	status = cmd->exec(&cli, argc - 1, argv + 1);
	cli_free(&cli, status);
	return status;
}
