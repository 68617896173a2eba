/* audit-session.h - the audit log as a front end runs it: at start, open
 * the session's log, find out who the operator is (STS
 * GetCallerIdentity), note sessions that died between an intent and its
 * result, write session-start, install the gate on the AWS client and
 * start shipping to S3 when a destination is configured; at the end,
 * session-end, the last upload and the digest, and a warning naming what
 * is left in the spool. Both the CLI (cli_client / cli_free) and the TUI
 * use it. */
#ifndef SALVAGE_CORE_AUDIT_SESSION_H
#define SALVAGE_CORE_AUDIT_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "core/audit.h"
#include "core/ship.h"

struct audit_session_opts {
	const char	*audit_dir;	/* --audit-dir, or NULL */
	const char	*audit_s3;	/* --audit-s3, or NULL */
	bool		 operate;	/* --operate */
	/* The command line for session-start (scrubbed before it is
	 * written); argc 0: read from /proc/self/cmdline. */
	int		 argc;
	char		**argv;
	const char	*frontend;	/* "cli", "tui" */
	/* Continue this session's existing log (audit_reopen: a resumed
	 * runbook session) and write a "resumed" record, with what
	 * session-start holds, instead of session-start. NULL: a new log. */
	const char	*resume;
};

struct audit_session;

/* Never NULL. Problems are warned about (sv_warn); if the log cannot be
 * written, the gate still is installed and refuses every change with the
 * reason. */
struct audit_session	*audit_session_open(struct aws_client *,
			    const struct audit_session_opts *);
/* Writes session-end (exit_status < 0: unknown), ships what it can, warns
 * about what is left ("audit: N records not yet shipped to s3://...; run
 * salvage audit ship") and frees. */
void			 audit_session_close(struct audit_session *, int exit_status);

/* The session's log is left open-ended: close writes no session-end (it
 * still ships what was written), so a later process can continue the
 * chain (a runbook session that is paused or was interrupted). */
void			 audit_session_keep_open(struct audit_session *);

struct audit		*audit_session_log(struct audit_session *);
/* NULL when no destination is configured. */
struct audit_ship	*audit_session_ship(struct audit_session *);
/* Records written but not yet shipped (0 without a destination): for the
 * TUI header. */
size_t			 audit_pending_count(const struct audit_session *);
/* Operator identity from STS ("" if unknown). */
const char		*audit_session_account(const struct audit_session *);
const char		*audit_session_arn(const struct audit_session *);
/* For a poll loop: retries of failed uploads (see audit_ship_timeout_ms). */
int			 audit_session_timeout_ms(const struct audit_session *);
void			 audit_session_tick(struct audit_session *);

#endif
