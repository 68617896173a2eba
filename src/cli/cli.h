/* cli.h - the non-interactive front end: global options, the command
 * table (one file per subcommand: cmd-NAME.c exporting cmd_NAME_entry),
 * and shared output helpers. */
#ifndef SALVAGE_CLI_CLI_H
#define SALVAGE_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "aws/client.h"
#include "util/err.h"

struct audit_session;

struct cli {
	struct aws_options	 aws;		/* --profile, --region, --endpoint-url */
	bool			 operate;	/* --operate */
	bool			 json;		/* --json */
	bool			 debug;		/* --debug */
	bool			 color;		/* false with --no-color or NO_COLOR */
	bool			 yes;		/* --yes */
	const char		*audit_dir;	/* --audit-dir */
	const char		*audit_s3;	/* --audit-s3 */
	const char		*progname;
	struct aws_client	*client;	/* created on first cli_client() */
	struct audit_session	*audit;		/* opened with the client (core/audit-session.h) */
};

struct cmd_entry {
	const char	*name;
	const char	*args;		/* "URI" (for usage lines) */
	const char	*summary;	/* one line for --help */
	int		(*exec)(struct cli *, int argc, char **argv);
};

/* NULL-terminated, in the order --help lists them (cli/cmd.c). */
extern const struct cmd_entry *const cmd_table[];
const struct cmd_entry	*cmd_find(const char *);

/* The AWS client for this run, created on first use. On failure prints
 * nothing: the caller reports err. */
struct aws_client	*cli_client(struct cli *, struct sv_err *);
/* Prints "salvage: MESSAGE" (and for usage errors a hint) to stderr and
 * returns the documented exit status for err->code. */
int			 cli_fail(const struct cli *, const struct sv_err *);
/* Usage error for a subcommand: prints its usage line; returns 2. */
int			 cli_usage(const struct cli *, const struct cmd_entry *,
			    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "salvage CMD --help": its usage line and summary on stdout; returns 0. */
int			 cli_command_help(const struct cli *, const struct cmd_entry *);
/* Ends the run: the audit session-end records exit_status. */
void			 cli_free(struct cli *, int exit_status);

#endif
