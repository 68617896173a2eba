/* cmd-run.h - what `salvage run` and `salvage resume` share: the AWS
 * client with the session's audit log (new, or continued), and the
 * drivers of a session (plain: on readline or a pipe; unattended). */
#ifndef SALVAGE_CLI_CMD_RUN_H
#define SALVAGE_CLI_CMD_RUN_H

#include "cli/cli.h"
#include "core/session.h"

enum run_mode {
	RUN_DEFAULT,		/* the TUI when it offers runbooks, else plain */
	RUN_PLAIN,
	RUN_UNATTENDED
};

/* Options common to run and resume: --plain, --unattended, --var.
 * Returns the index of the first argument it did not take (argv[0] is
 * the command), or -1 after a usage error (printed; *status set). vars
 * (allocated array of borrowed strings) must be freed. */
int	run_parse_opts(struct cli *, const struct cmd_entry *, int argc, char **argv,
	    enum run_mode *, char ***vars, size_t *nvars, const char **positional,
	    int *status);
/* The client and the audit session for a runbook session: resume is the
 * session id whose log is continued (NULL: a new log), audit_dir its
 * directory (NULL: --audit-dir or the default). Like cli_client. */
struct aws_client *run_client(struct cli *, enum run_mode, const char *resume,
	    const char *audit_dir, struct sv_err *);
/* The session mode a run mode means here: the console when it offers
 * runbooks and both stdin and stdout are terminals. */
enum session_mode run_session_mode(enum run_mode);
/* Drives s until it is over or paused: prints "session: ID" first,
 * then the steps. Returns the exit status. */
int	run_drive(struct cli *, struct session *, enum run_mode, bool resumed);

#endif
