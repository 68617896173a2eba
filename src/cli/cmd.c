/* cmd.c - the command table and what every subcommand shares. Adding a
 * subcommand: a new cmd-NAME.c with its cmd_entry, and one line here. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

extern const struct cmd_entry cmd_tui_entry;
extern const struct cmd_entry cmd_whoami_entry;
extern const struct cmd_entry cmd_ls_entry;
extern const struct cmd_entry cmd_versions_entry;
extern const struct cmd_entry cmd_points_entry;
extern const struct cmd_entry cmd_backup_entry;
extern const struct cmd_entry cmd_snapshot_entry;
extern const struct cmd_entry cmd_audit_entry;
extern const struct cmd_entry cmd_restore_entry;
extern const struct cmd_entry cmd_undelete_entry;
extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_drift_entry;
extern const struct cmd_entry cmd_runbooks_entry;
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_resume_entry;
extern const struct cmd_entry cmd_sessions_entry;
extern const struct cmd_entry cmd_report_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_tui_entry,
	&cmd_whoami_entry,
	&cmd_ls_entry,
	&cmd_versions_entry,
	&cmd_points_entry,
	&cmd_backup_entry,
	&cmd_snapshot_entry,
	&cmd_restore_entry,
	&cmd_undelete_entry,
	&cmd_verify_entry,
	&cmd_drift_entry,
	&cmd_audit_entry,
	&cmd_runbooks_entry,
	&cmd_run_entry,
	&cmd_resume_entry,
	&cmd_sessions_entry,
	&cmd_report_entry,
	NULL
};

const struct cmd_entry *
cmd_find(const char *name)
{
	for (int i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

int
cli_fail(const struct cli *cli, const struct sv_err *err)
{
	fprintf(stderr, "%s: %s\n", cli->progname,
	    err->msg[0] != '\0' ? err->msg : sv_result_str(err->code));
	fflush(stderr);
	return sv_result_exit(err->code);
}

int
cli_command_help(const struct cli *cli, const struct cmd_entry *cmd)
{
	printf("usage: %s %s %s\n%s\n\n", cli->progname, cmd->name, cmd->args,
	    cmd->summary);
	printf("The global options (%s --help) work here too. Every option, "
	    "example\nand exit status of '%s': man %s.\n", cli->progname,
	    cmd->name, cli->progname);
	return SV_EXIT_OK;
}

int
cli_usage(const struct cli *cli, const struct cmd_entry *cmd, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "%s: ", cli->progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s %s %s\n", cli->progname, cmd->name, cmd->args);
	fprintf(stderr, "Try '%s --help' for more information.\n", cli->progname);
	return SV_EXIT_USAGE;
}
