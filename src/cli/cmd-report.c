/* cmd-report.c - "salvage report ID [--format md|json]": the evidence
 * report of a runbook session (core/report.h), as Markdown (default) or
 * JSON (also with --json). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/report.h"
#include "core/session.h"

extern const struct cmd_entry cmd_report_entry;

static int
cmd_report_exec(struct cli *cli, int argc, char **argv)
{
	struct session	*s;
	struct sv_err	 err;
	const char	*id = NULL, *format = cli->json ? "json" : "md";
	cJSON		*r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strncmp(argv[i], "--format=", 9) == 0)
			format = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, &cmd_report_entry, "unknown option '%s'",
			    argv[i]);
		else if (id == NULL)
			id = argv[i];
		else
			return cli_usage(cli, &cmd_report_entry, "unexpected argument '%s'",
			    argv[i]);
	}
	if (id == NULL)
		return cli_usage(cli, &cmd_report_entry, "missing the session id "
		    "(salvage sessions lists them)");
	if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
		return cli_usage(cli, &cmd_report_entry, "--format is md or json, not "
		    "'%s'", format);
	sv_err_init(&err);
	if (session_load(NULL, id, &s, &err) != SV_OK)
		return cli_fail(cli, &err);
	r = report_build(s);
	session_free(s);
	if (strcmp(format, "json") == 0) {
		char *text = cJSON_Print(r);

		if (text == NULL)
			abort();
		printf("%s\n", text);
		free(text);
	} else
		report_markdown(r, stdout);
	cJSON_Delete(r);
	fflush(stdout);
	return 0;
}

const struct cmd_entry cmd_report_entry = {
	"report", "ID [--format md|json]",
	"the evidence report of a runbook session",
	cmd_report_exec
};
