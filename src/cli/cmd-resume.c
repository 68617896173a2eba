/* cmd-resume.c - "salvage resume ID [--plain|--unattended] [--var
 * NAME=VALUE]...": continues a runbook session at the step where it
 * stood, in the same audit chain (the log is reopened and continued; a
 * "resumed" record says so). A finished session is refused; one that
 * another salvage still runs is refused (its audit log is locked). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd-run.h"
#include "core/audit-session.h"
#include "core/audit.h"
#include "core/session.h"

extern const struct cmd_entry cmd_resume_entry;

static int
cmd_resume_exec(struct cli *cli, int argc, char **argv)
{
	struct session_opts	 o;
	struct session		*s = NULL;
	struct sv_err		 err;
	enum run_mode		 mode;
	const char		*id;
	char			**vars;
	size_t			 nvars;
	int			 status = 0;

	if (run_parse_opts(cli, &cmd_resume_entry, argc, argv, &mode, &vars, &nvars,
	    &id, &status) != 0)
		return status;
	sv_err_init(&err);
	if (session_load(NULL, id, &s, &err) != SV_OK) {
		status = cli_fail(cli, &err);
		goto out;
	}
	if (session_get_state(s) == SESSION_FINISHED) {
		sv_err_set(&err, SV_E_INVALID, "session %s is finished: nothing to "
		    "resume (salvage report %s shows it)", id, id);
		status = cli_fail(cli, &err);
		goto out;
	}
	if (run_client(cli, mode, id, session_audit_dir(s), &err) == NULL) {
		status = cli_fail(cli, &err);
		goto out;
	}
	if (audit_broken(audit_session_log(cli->audit)) != NULL) {
		/* Nothing was written: leave the log as it is. */
		sv_err_set(&err, SV_E_AUDIT, "cannot resume session %s: %s", id,
		    audit_broken(audit_session_log(cli->audit)));
		audit_session_keep_open(cli->audit);
		status = cli_fail(cli, &err);
		goto out;
	}
	memset(&o, 0, sizeof o);
	o.mode = run_session_mode(mode);
	o.client = cli->client;
	o.audit = cli->audit;
	o.operate = cli->operate;
	o.how = isatty(STDIN_FILENO) ? "tty" : "pipe";
	if (session_resume(s, &o, vars, nvars, &err) != SV_OK) {
		audit_session_keep_open(cli->audit);
		status = cli_fail(cli, &err);
		goto out;
	}
	status = run_drive(cli, s, mode, true);
out:
	session_free(s);
	free(vars);
	return status;
}

const struct cmd_entry cmd_resume_entry = {
	"resume", "ID [--plain|--unattended] [--var NAME=VALUE]...",
	"continue a runbook session where it stood",
	cmd_resume_exec
};
