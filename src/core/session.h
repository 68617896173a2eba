/* session.h - one run of a runbook: the step state machine, its
 * persistence and resumption.
 *
 * A session walks the runbook's steps in order. Each step is started
 * (recorded), may need the operator (a confirmation, a typed name before
 * a change, a variable's value, a restore point, a note), may run an
 * action asynchronously (loading restore points, planning and executing a
 * restore, waiting, verifying, drift, cleanup: all driven by the HTTP
 * engine; nothing here blocks), and ends done, skipped or failed. The
 * state (step, per-step status and timings, variables, chosen points,
 * resources created, the audit log) is written atomically to
 *
 *	$XDG_STATE_HOME/salvage/sessions/ID.json	(0600, in a 0700 directory)
 *
 * after every step and every answer, so a session killed at any moment
 * (kill -9, a dropped SSH connection) resumes where it stood. Every
 * step's start, confirmation (who, how), outcome and duration go into
 * the session's audit log, which a resume continues (one hash chain
 * across processes). The session id is the audit session id.
 *
 * Front ends drive it the same way: the plain CLI (cli/cmd-run.c) and
 * the TUI. They read session_prompt() when the session waits for the
 * operator, give the answer to session_answer(), include
 * session_timeout_ms() in their poll timeout and call session_tick(),
 * and listen to the events to draw. session_run_sync() runs the engine
 * until the session needs the operator or is over (the CLI's way). In
 * unattended mode the session answers itself (recorded as "unattended")
 * and stops at the first failed step. */
#ifndef SALVAGE_CORE_SESSION_H
#define SALVAGE_CORE_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "aws/client.h"
#include "core/points.h"
#include "core/runbook.h"
#include "util/err.h"
#include "util/time.h"

#define SESSION_STATE_VERSION	1
/* A session state file is read whole, capped at this size. */
#define BUF_MAX_SESSION		(8u * 1024 * 1024)

enum session_state {
	SESSION_ACTIVE,		/* running, or killed while running: resumable */
	SESSION_PAUSED,		/* the operator stopped (abort, end of input): resumable */
	SESSION_FAILED,		/* a step failed (unattended): resumable, retries it */
	SESSION_FINISHED	/* every step done or skipped: final */
};

enum session_step_status {
	SSTEP_PENDING,
	SSTEP_RUNNING,
	SSTEP_DONE,
	SSTEP_SKIPPED,
	SSTEP_FAILED
};

enum session_mode {
	SESSION_MODE_PLAIN,		/* answers from a terminal or a pipe */
	SESSION_MODE_TUI,
	SESSION_MODE_UNATTENDED		/* the session answers itself */
};

/* What the session waits for from the operator. Besides the answers
 * below, every prompt takes "skip REASON", "note TEXT" and "abort". */
enum session_ask {
	SESSION_ASK_NONE,	/* nothing: an action runs, or the session is over */
	SESSION_ASK_CONFIRM,	/* "yes" / "done" */
	SESSION_ASK_NAME,	/* a change: type expected (the target's name) */
	SESSION_ASK_VALUE,	/* a variable's value (empty: the default) */
	SESSION_ASK_POINT,	/* "latest", a time, or a point's id */
	SESSION_ASK_NOTE	/* free text for the audit log (empty: the default) */
};

struct session_prompt {
	enum session_ask	 kind;
	const char		*question;	/* one line, without the "> " */
	const char		*expected;	/* ASK_NAME: what to type */
	const char		*var;		/* ASK_VALUE, ASK_POINT: the variable set */
	enum rb_var_type	 type;		/* ASK_VALUE */
	const char		*def;		/* the default (expanded), or NULL */
	/* Several lines to show with the question (the plan of a change,
	 * drift found, the resources to clean up), or NULL. */
	const char		*detail;
	const struct point_set	*points;	/* ASK_POINT (NULL if they could not load) */
	const char		*resource;	/* ASK_POINT: the resource's URI */
};

/* What front ends draw from. Every member may be NULL. */
struct session_events {
	void	(*step_started)(void *, size_t index);
	/* One line of progress or result ("plan: ...", "waiting: CREATING
	 * 2m 10s", "verified: 120 items on both sides"). */
	void	(*message)(void *, const char *line);
	void	(*step_finished)(void *, size_t index);
	/* Anything changed (the TUI marks a redraw). */
	void	(*changed)(void *);
};

/* One step's record. */
struct session_step {
	enum session_step_status status;
	sv_time		 started;	/* SV_TIME_NONE: not yet */
	sv_time		 finished;
	char		*outcome;	/* one line, or NULL */
	char		*confirmed_by;	/* who answered (operator ARN or local user) */
	char		*how;		/* "tty", "pipe", "tui", "unattended" */
	char		*reason;	/* skip / failure reason */
	cJSON		*result;	/* details for the report (plan, outcome, verify, drift) */
	int		 runs;		/* times started (a resumed step counts again) */
};

struct session_point {
	char		*var;
	char		*resource;
	char		*method;	/* "pitr", "backup", "snapshot", "version", ... */
	char		*value;		/* what the variable was set to */
	bool		 latest;
	sv_time		 time;		/* the state it restores */
	sv_time		 reference;	/* incident time or now */
	int64_t		 loss_ms;	/* -1: unknown */
	char		*how;
};

struct session_created {
	char		*uri;		/* "dynamodb://orders-drtest-1a2b3c4d" */
	char		*step;		/* the step that created it */
	sv_time		 at;
	bool		 cleaned;
	char		*cleanup;	/* what cleanup did ("deleted", "delete marker"), or NULL */
};

struct session;
struct audit_session;

struct session_opts {
	enum session_mode	 mode;
	struct aws_client	*client;	/* for steps that talk to AWS */
	struct audit_session	*audit;		/* the session's log (its id is the session's) */
	struct audit		*log;		/* without an audit session (tests): the log */
	const char		*dir;		/* sessions directory; NULL: the default */
	bool			 operate;	/* --operate: changes allowed */
	/* How answers arrive ("tty", "pipe", "tui"); unattended ones are
	 * "unattended". */
	const char		*how;
	sv_time			(*now)(void);	/* NULL: sv_time_now */
};

/* $XDG_STATE_HOME/salvage/sessions, else ~/.local/state/salvage/sessions.
 * Allocated. */
char		*session_dir_path(void);

/* A new session of rb (taken over, also on failure) with the audit
 * session's id. vars: "NAME=VALUE" strings (--var), validated by type.
 * Writes the state and the runbook-start record; the first step starts
 * with session_run_sync / session_pump. */
sv_result	 session_start(struct runbook *, const struct session_opts *,
		    char **vars, size_t nvars, struct session **out, struct sv_err *);
/* Reads a session's state (for resume, report, listing): no AWS, no
 * audit log. */
sv_result	 session_load(const char *dir, const char *id, struct session **out,
		    struct sv_err *);
/* Continues a loaded session with a front end: the audit log (already
 * reopened by the audit session: see audit_session_opts.resume), mode,
 * added variables. A finished session is refused (SV_E_INVALID). The
 * step that was running starts again (a restore that may have been sent
 * adopts its target when it exists). */
sv_result	 session_resume(struct session *, const struct session_opts *,
		    char **vars, size_t nvars, struct sv_err *);
/* Cancels what is in flight (never a restore in AWS), saves, frees. */
void		 session_free(struct session *);

void		 session_set_events(struct session *, const struct session_events *,
		    void *);

/* ---- driving ---- */

/* Advances as far as it can without the operator (unattended: until
 * over). Called by start/resume users once the events are set. */
void		 session_pump(struct session *);
/* What the session waits for (kind NONE while an action runs or when it
 * is over). Valid until the next call into the session. */
void		 session_prompt(const struct session *, struct session_prompt *);
/* The operator's answer to the current prompt. SV_E_USAGE when the
 * answer does not fit (err says what would: the prompt stays);
 * otherwise the session moves on. */
sv_result	 session_answer(struct session *, const char *answer, struct sv_err *);
/* The operator stopped without answering (end of input, Ctrl-C, q):
 * saved as paused, resumable. */
void		 session_pause(struct session *, const char *why);
/* True when an action is in flight (the engine or a timer drives it). */
bool		 session_busy(const struct session *);
/* Over: finished, paused or failed (nothing more will happen). */
bool		 session_over(const struct session *);
/* For a poll loop: ms until session_tick is due (-1: none). */
int		 session_timeout_ms(const struct session *);
void		 session_tick(struct session *);
/* Runs the engine (and timers) until the session needs the operator or
 * is over. stop (may be NULL): when it becomes non-zero, what runs is
 * cancelled (a restore's wait only: the restore goes on) and the session
 * is paused. */
void		 session_run_sync(struct session *, const volatile sig_atomic_t *stop);

/* ---- reading ---- */

const char	*session_id(const struct session *);
const struct runbook *session_runbook(const struct session *);
enum session_state session_get_state(const struct session *);
const char	*session_state_name(enum session_state);
const char	*session_step_status_name(enum session_step_status);
const char	*session_mode_name(enum session_mode);
size_t		 session_current(const struct session *);	/* == nsteps when done */
const struct session_step *session_step(const struct session *, size_t);
/* A step's title and text with the variables known so far expanded
 * (unknown ones stay "${name}"). Allocated. */
char		*session_step_text(const struct session *, size_t);
char		*session_step_title(const struct session *, size_t);
/* Expands a template the same way. Allocated. */
char		*session_expand_text(const struct session *, const char *);
sv_time		 session_started(const struct session *);
sv_time		 session_finished(const struct session *);	/* SV_TIME_NONE: not yet */
/* The value of a variable (declared or built in), or NULL. */
const char	*session_var(const struct session *, const char *name);
size_t		 session_points(const struct session *, const struct session_point **);
size_t		 session_created(const struct session *, const struct session_created **);
/* Where the state is written. */
const char	*session_path(const struct session *);
/* The session's audit log as recorded (a resume continues it), or NULL. */
const char	*session_audit_path(const struct session *);
const char	*session_audit_dir(const struct session *);
/* The state document as saved (for the report and for tests). */
cJSON		*session_to_json(const struct session *);
/* The exit status a front end should end with: 0 finished, 1 failed
 * (or the failed step's error's status), 130 paused. */
int		 session_exit_status(const struct session *);

/* ---- listing ---- */

struct session_entry {
	char		*id;
	char		*runbook;
	char		*state;
	sv_time		 started;
	sv_time		 updated;
	char		*step;		/* current step id, or NULL when over */
	size_t		 index, nsteps;
	char		*error;		/* the file does not load */
};

/* Every session in dir (NULL: the default), newest first. */
size_t		 session_list(const char *dir, struct session_entry **out);
void		 session_list_free(struct session_entry *, size_t);

#endif
