/* cmd-run.c - "salvage run RUNBOOK [--var NAME=VALUE]... [--plain |
 * --unattended]": one session of a runbook (core/session.h). The plain
 * mode asks on GNU readline when stdin is a terminal and reads answers
 * line by line (echoing them) from a pipe; end of input pauses the
 * session, resumable with `salvage resume ID`. Unattended, the session
 * answers itself and stops at the first failed step. The first line of
 * output is always "session: ID". What run and resume share is here
 * (cmd-run.h). */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/cli.h"
#include "cli/cmd-run.h"
#include "cli/output.h"
#include "core/audit-session.h"
#include "core/runbook.h"
#include "core/session.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_run_entry;

#define WRAP_COLS	78

static volatile sig_atomic_t	stop_flag;

static void
on_sigint(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* ---- options ---- */

int
run_parse_opts(struct cli *cli, const struct cmd_entry *cmd, int argc, char **argv,
    enum run_mode *mode, char ***vars, size_t *nvars, const char **positional,
    int *status)
{
	*mode = RUN_DEFAULT;
	*vars = NULL;
	*nvars = 0;
	*positional = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (strcmp(a, "--plain") == 0) {
			if (*mode == RUN_UNATTENDED)
				goto both;
			*mode = RUN_PLAIN;
		} else if (strcmp(a, "--unattended") == 0) {
			if (*mode == RUN_PLAIN)
				goto both;
			*mode = RUN_UNATTENDED;
		} else if (strcmp(a, "--var") == 0 || strncmp(a, "--var=", 6) == 0) {
			if (a[5] == '=')
				v = a + 6;
			else if (i + 1 < argc)
				v = argv[++i];
			else {
				*status = cli_usage(cli, cmd, "--var needs NAME=VALUE");
				goto fail;
			}
			if (strchr(v, '=') == NULL || v[0] == '=') {
				*status = cli_usage(cli, cmd, "--var %s: expected NAME=VALUE", v);
				goto fail;
			}
			*vars = xreallocarray(*vars, *nvars + 1, sizeof **vars);
			(*vars)[(*nvars)++] = (char *)v;
		} else if (a[0] == '-' && a[1] != '\0') {
			*status = cli_usage(cli, cmd, "unknown option '%s'", a);
			goto fail;
		} else if (*positional == NULL)
			*positional = a;
		else {
			*status = cli_usage(cli, cmd, "unexpected argument '%s'", a);
			goto fail;
		}
	}
	if (*positional == NULL) {
		*status = cli_usage(cli, cmd, "missing the %s", strcmp(cmd->name, "run") == 0 ?
		    "runbook (an id from 'salvage runbooks', or a file)" : "session id "
		    "(from 'salvage sessions')");
		goto fail;
	}
	return 0;
both:
	*status = cli_usage(cli, cmd, "--plain and --unattended exclude each other");
fail:
	free(*vars);
	*vars = NULL;
	*nvars = 0;
	return -1;
}

enum session_mode
run_session_mode(enum run_mode m)
{
	if (m == RUN_UNATTENDED)
		return SESSION_MODE_UNATTENDED;
	if (m == RUN_DEFAULT && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO))
		return SESSION_MODE_TUI;
	return SESSION_MODE_PLAIN;
}

/* ---- the client ---- */

struct aws_client *
run_client(struct cli *cli, enum run_mode mode, const char *resume,
    const char *audit_dir, struct sv_err *err)
{
	struct audit_session_opts ao;

	if (cli->client != NULL)
		return cli->client;
	cli->client = aws_client_new(&cli->aws, err);
	if (cli->client == NULL)
		return NULL;
	aws_client_set_operate(cli->client, cli->operate);
	memset(&ao, 0, sizeof ao);
	ao.audit_dir = cli->audit_dir != NULL ? cli->audit_dir : audit_dir;
	ao.audit_s3 = cli->audit_s3;
	ao.operate = cli->operate;
	ao.frontend = run_session_mode(mode) == SESSION_MODE_TUI ? "tui" : "cli";
	ao.resume = resume;
	cli->audit = audit_session_open(cli->client, &ao);
	return cli->client;
}

/* ---- printing ---- */

static void
print_line(const char *line, size_t len, const char *indent)
{
	char	*raw = xstrndup(line, len), *safe = out_safe(raw), *p = safe;
	size_t	 n = strlen(safe), width = WRAP_COLS - strlen(indent);

	/* Long lines wrap at spaces. */
	while (n > width) {
		size_t cut = width;

		while (cut > 0 && p[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = width;
		printf("%s%.*s\n", indent, (int)cut, p);
		p += cut;
		n -= cut;
		while (n > 0 && *p == ' ') {
			p++;
			n--;
		}
	}
	printf("%s%s\n", indent, p);
	free(raw);
	free(safe);
}

/* Text made safe for the terminal, line by line, each wrapped. */
static void
print_wrapped(const char *text, const char *indent)
{
	const char	*p = text;

	while (*p != '\0') {
		const char	*nl = strchr(p, '\n');
		size_t		 len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		print_line(p, len, indent);
		p += len;
		if (*p == '\n')
			p++;
	}
}

struct driver {
	struct session	*s;
	struct cli	*cli;
};

static void
ev_step_started(void *data, size_t i)
{
	struct driver		*d = data;
	const struct runbook	*rb = session_runbook(d->s);
	char			*title = session_step_title(d->s, i);
	char			*text = session_step_text(d->s, i);

	printf("\n[%zu/%zu] %s (%s)\n", i + 1, rb->nsteps, title,
	    rb_step_type_name(rb->steps[i].type));
	if (text != NULL)
		print_wrapped(text, "  ");
	free(title);
	free(text);
	fflush(stdout);
}

static void
ev_message(void *data, const char *line)
{
	(void)data;
	print_wrapped(line, "  ");
	fflush(stdout);
}

static void
ev_step_finished(void *data, size_t i)
{
	struct driver			*d = data;
	const struct session_step	*st = session_step(d->s, i);
	const char			*status = session_step_status_name(st->status);
	const char			*outcome = st->outcome != NULL ? st->outcome : "";
	char				 dur[32] = "-";

	if (st->started != SV_TIME_NONE && st->finished != SV_TIME_NONE) {
		int64_t ms = st->finished - st->started;

		if (ms < 60000)
			snprintf(dur, sizeof dur, "%.1fs", (double)ms / 1000.0);
		else
			sv_duration_format(ms, dur, sizeof dur);
	}

	/* "skipped: REASON", "failed: why" already say the status. */
	if (strncmp(outcome, status, strlen(status)) == 0 &&
	    outcome[strlen(status)] == ':')
		printf("  => %s (%s)\n", outcome, dur);
	else
		printf("  => %s: %s (%s)\n", status, outcome, dur);
	fflush(stdout);
}

static const struct session_events events = {
	ev_step_started, ev_message, ev_step_finished, NULL
};

/* ---- reading answers ---- */

/* One line from the operator: readline on a terminal; otherwise a line
 * from stdin, echoed after the prompt so a transcript reads as a
 * conversation. NULL at end of input. */
static char *
read_answer(const char *prompt, bool tty)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;

	if (tty) {
		line = readline(prompt);
		if (line != NULL && *line != '\0')
			add_history(line);
		return line;
	}
	fputs(prompt, stdout);
	fflush(stdout);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		printf("\n");
		fflush(stdout);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	printf("%s\n", line);
	fflush(stdout);
	return line;
}

static char *
make_prompt(const struct session_prompt *p)
{
	if (p->def != NULL && p->kind != SESSION_ASK_NAME) {
		char	*safe = out_safe(p->def), *out;

		out = xasprintf("%s [%s] > ", p->question, safe);
		free(safe);
		return out;
	}
	return xasprintf("%s > ", p->question);
}

static void
print_summary(struct session *s)
{
	const struct runbook	*rb = session_runbook(s);
	size_t			 done = 0, skipped = 0, cur = session_current(s);
	char			 el[32];

	for (size_t i = 0; i < rb->nsteps; i++) {
		const struct session_step *st = session_step(s, i);

		done += st->status == SSTEP_DONE;
		skipped += st->status == SSTEP_SKIPPED;
	}
	switch (session_get_state(s)) {
	case SESSION_FINISHED:
		sv_duration_format(session_finished(s) - session_started(s), el, sizeof el);
		printf("\nsession %s finished: %zu step(s) done, %zu skipped, in %s\n"
		    "salvage report %s gives the evidence report.\n", session_id(s),
		    done, skipped, el, session_id(s));
		break;
	case SESSION_FAILED:
		printf("\nsession %s stopped at step %zu/%zu (%s): it failed.\n"
		    "Fix the cause, then: salvage resume %s\n", session_id(s), cur + 1,
		    rb->nsteps, cur < rb->nsteps ? rb->steps[cur].id : "-", session_id(s));
		break;
	case SESSION_PAUSED:
		printf("\nsession %s paused at step %zu/%zu (%s).\n", session_id(s),
		    cur + 1, rb->nsteps, cur < rb->nsteps ? rb->steps[cur].id : "-");
		break;
	default:
		break;
	}
	fflush(stdout);
}

static int
drive_plain(struct cli *cli, struct session *s)
{
	struct driver		 d = { s, cli };
	struct sigaction	 sa, old;
	bool			 tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

	session_set_events(s, &events, &d);
	/* At a prompt, readline restores the terminal on Ctrl-C or a hang-up
	 * before the signal ends the process; the state is already saved. */
	for (;;) {
		struct session_prompt	 p;
		struct sv_err		 err;
		char			*prompt, *line;

		/* Ctrl-C while an action runs: stop it (a restore goes on in
		 * AWS) and pause the session. */
		stop_flag = 0;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigint;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old);
		session_run_sync(s, &stop_flag);
		sigaction(SIGINT, &old, NULL);
		if (session_over(s))
			break;
		session_prompt(s, &p);
		if (p.kind == SESSION_ASK_NONE)
			break;
		if (p.detail != NULL)
			print_wrapped(p.detail, "");
		prompt = make_prompt(&p);
		line = read_answer(prompt, tty);
		free(prompt);
		if (line == NULL) {
			session_pause(s, "end of input");
			break;
		}
		sv_err_init(&err);
		if (session_answer(s, line, &err) != SV_OK) {
			printf("  ! %s\n", err.msg);
			fflush(stdout);
		}
		free(line);
	}
	session_set_events(s, NULL, NULL);
	return session_exit_status(s);
}

/*
 * `salvage run` and `salvage resume` without --plain/--unattended open the
 * console on the session's checklist (ui/view-checklist.c) when stdin
 * and stdout are a terminal; otherwise (a pipe, a file) the plain mode
 * runs.
 */
static int
run_tui(struct cli *cli, struct session *s)
{
	return ui_run_runbook(cli, s);
}

int
run_drive(struct cli *cli, struct session *s, enum run_mode mode, bool resumed)
{
	const struct runbook	*rb = session_runbook(s);
	size_t			 cur = session_current(s);
	int			 status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("session: %s\n", session_id(s));
	printf("runbook: %s (%s), %zu steps", rb->id, rb->title, rb->nsteps);
	if (rb->rto_minutes > 0)
		printf(", RTO target %d min", rb->rto_minutes);
	printf("\n");
	if (resumed)
		printf("resuming at step %zu/%zu (%s)\n", cur + 1, rb->nsteps,
		    cur < rb->nsteps ? rb->steps[cur].id : "-");
	printf("state: %s\n", session_path(s));
	fflush(stdout);
	if (mode == RUN_DEFAULT && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO))
		status = run_tui(cli, s);
	else
		status = drive_plain(cli, s);
	print_summary(s);
	/* A session that is not finished keeps its audit chain open: the
	 * resume continues it. */
	if (session_get_state(s) != SESSION_FINISHED)
		audit_session_keep_open(cli->audit);
	return status;
}


static int
cmd_run_exec(struct cli *cli, int argc, char **argv)
{
	struct session_opts	 o;
	struct session		*s = NULL;
	struct runbook		*rb;
	struct sv_err		 err;
	enum run_mode		 mode;
	const char		*what;
	char			**vars;
	size_t			 nvars;
	int			 status = 0;

	if (run_parse_opts(cli, &cmd_run_entry, argc, argv, &mode, &vars, &nvars,
	    &what, &status) != 0)
		return status;
	sv_err_init(&err);
	rb = runbook_find(what, &err);
	if (rb == NULL) {
		status = cli_fail(cli, &err);
		goto out;
	}
	if (run_client(cli, mode, NULL, NULL, &err) == NULL) {
		runbook_free(rb);
		status = cli_fail(cli, &err);
		goto out;
	}
	memset(&o, 0, sizeof o);
	o.mode = run_session_mode(mode);
	o.client = cli->client;
	o.audit = cli->audit;
	o.operate = cli->operate;
	o.how = isatty(STDIN_FILENO) ? "tty" : "pipe";
	if (session_start(rb, &o, vars, nvars, &s, &err) != SV_OK) {
		status = cli_fail(cli, &err);
		goto out;
	}
	status = run_drive(cli, s, mode, false);
	session_free(s);
out:
	free(vars);
	return status;
}

const struct cmd_entry cmd_run_entry = {
	"run", "RUNBOOK [--var NAME=VALUE]... [--plain|--unattended]",
	"run a runbook step by step (a resumable session)",
	cmd_run_exec
};
