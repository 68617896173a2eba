/* cmd-restore.c - "salvage restore URI (--to TIME|latest | --backup ARN |
 * --snapshot ID | --version VID | --recovery-point ARN) [--target NAME]
 * ...": every restore kind
 * (core/restore.h), one flow:
 *
 *	plan (read-only calls) -> show it (what, from which point, the data
 *	loss, the target, the exact calls, what is not carried over) ->
 *	without --operate: refuse before any mutating request (exit 3) ->
 *	confirm (type the target's name on a terminal, or --yes) ->
 *	execute (each call through the audit gate) -> wait until usable
 *	(Ctrl-C stops waiting, never the restore) -> the outcome, and the
 *	next steps (salvage verify, salvage drift).
 *
 * With --json the plan and the outcome are one document on stdout. The
 * plan is written to the audit log as a note before the confirmation,
 * the outcome after. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd-restore.h"
#include "cli/confirm.h"
#include "cli/output.h"
#include "core/audit-session.h"
#include "core/conf.h"
#include "core/restore.h"
#include "core/restore-s3.h"
#include "core/timespec.h"
#include "util/log.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_restore_entry;

struct restore_cli {
	struct cli	*cli;
	bool		 tty;		/* stderr is a terminal: redraw one line */
	bool		 line_open;	/* a \r line is on screen */
	char		*last;		/* the last status printed */
};

/* ---- printing the plan ---- */

static void
print_time_line(FILE *f, const char *label, sv_time t)
{
	char	iso[SV_TIME_ISO_MAX], local[96];

	if (t == SV_TIME_NONE) {
		fprintf(f, "  %-12s unknown\n", label);
		return;
	}
	sv_time_format_iso(t, iso, t % 1000 != 0);
	sv_time_format_local(t, local, sizeof local);
	fprintf(f, "  %-12s %s (%s)\n", label, iso, local);
}

static void
print_plan(const struct restore_plan *p, FILE *f)
{
	char	 buf[64], a[SV_TIME_ISO_MAX], b[SV_TIME_ISO_MAX];
	size_t	 n = 0, mut = restore_plan_mutations(p);
	char	*s;

	fprintf(f, "restore plan (%s)%s\n", restore_kind_name(p->kind),
	    p->dry_run ? ": dry run, nothing will be changed" : "");
	s = out_safe(p->source_uri);
	fprintf(f, "  %-12s %s\n", "source", s);
	free(s);
	s = out_safe(p->target_uri);
	fprintf(f, "  %-12s %s%s\n", "target", s, p->target_default ?
	    " (name chosen by salvage)" : "");
	free(s);
	if (p->method == RESTORE_PITR && p->latest) {
		fprintf(f, "  %-12s point-in-time recovery to the latest restorable time\n",
		    "point");
		print_time_line(f, "  now about", p->time);
	} else if (p->kind == RESTORE_S3_PREFIX) {
		fprintf(f, "  %-12s every key as it was\n", "point");
		print_time_line(f, "  at", p->time);
	} else if (p->method == RESTORE_PITR) {
		fprintf(f, "  %-12s point-in-time recovery\n", "point");
		print_time_line(f, "  to", p->time);
	} else if (p->point_id != NULL) {
		s = out_safe(p->point_id);
		fprintf(f, "  %-12s %s %s\n", "point", point_kind_name(p->point_kind), s);
		free(s);
		print_time_line(f, "  taken", p->time);
	}
	if (p->window.status == PITR_ENABLED)
		fprintf(f, "  %-12s %s .. %s\n", "window",
		    p->window.earliest != SV_TIME_NONE ? out_time(p->window.earliest, a) :
		    "(start unknown)", p->window.latest != SV_TIME_NONE ?
		    out_time(p->window.latest, b) : "(end unknown)");
	if (p->loss_ms >= 0) {
		sv_duration_format(p->loss_ms, buf, sizeof buf);
		fprintf(f, "  %-12s %s%s: writes after the restored state up to %s %s "
		    "are not in the restore\n", "data loss", p->loss_uncertain ? "about " : "",
		    buf, p->reference_incident ? "the incident at" : "now,",
		    out_time(p->reference, a));
	} else if (p->kind != RESTORE_S3_PREFIX && p->kind != RESTORE_S3_UNDELETE)
		fprintf(f, "  %-12s unknown\n", "data loss");
	if (p->rto_target_ms > 0) {
		sv_duration_format(p->rto_target_ms, buf, sizeof buf);
		fprintf(f, "  %-12s %s (rto_target in %s)\n", "RTO target", buf, "the config");
	}
	fprintf(f, "  calls (%zu that change something):\n", mut);
	if (p->kind == RESTORE_S3_PREFIX) {
		/* The per-key plan, with counts, is restore-s3's to print. */
		restore_s3_print_plan(p, f);
		n = p->nsteps;
	}
	for (size_t i = 0; i < p->nsteps && p->kind != RESTORE_S3_PREFIX; i++) {
		const struct restore_step *st = &p->steps[i];
		char *sum = out_safe(st->summary);

		if (st->op == OP__COUNT) {
			char *t = out_safe(st->target != NULL ? st->target : "");

			fprintf(f, "    -  %-15s %s: %s\n", restore_action_name(st->action),
			    t, sum);
			free(t);
			free(sum);
			continue;
		}
		fprintf(f, "    %zu. %s\n", ++n, sum);
		for (size_t j = 0; j < st->params.n; j++) {
			char *v = out_safe(st->params.v[j].value);

			fprintf(f, "         %s=%s\n", st->params.v[j].name, v);
			free(v);
		}
		free(sum);
	}
	if (n == 0)
		fprintf(f, "    (none)\n");
	if (p->nnotes > 0) {
		fprintf(f, "  notes:\n");
		for (size_t i = 0; i < p->nnotes; i++) {
			s = out_safe(p->notes[i]);
			fprintf(f, "    - %s\n", s);
			free(s);
		}
	}
	if (p->nwarnings > 0) {
		fprintf(f, "  warnings:\n");
		for (size_t i = 0; i < p->nwarnings; i++) {
			s = out_safe(p->warnings[i]);
			fprintf(f, "    ! %s\n", s);
			free(s);
		}
	}
	fflush(f);
}

/* ---- progress ---- */

static void
end_line(struct restore_cli *rc)
{
	if (rc->line_open) {
		fprintf(stderr, "\n");
		rc->line_open = false;
	}
}

static void
on_progress(void *arg, const struct restore_progress *pr)
{
	struct restore_cli	*rc = arg;
	char			 el[32], rto[32];
	bool			 wait = strcmp(pr->phase, "wait") == 0;

	if (rc->cli->audit != NULL)
		audit_session_tick(rc->cli->audit);	/* retries a failed upload when due */
	if (!wait) {
		end_line(rc);
		fprintf(stderr, "%s\n", pr->message);
		fflush(stderr);
		return;
	}
	sv_duration_format(pr->elapsed_ms, el, sizeof el);
	rto[0] = '\0';
	if (pr->rto_target_ms > 0) {
		char t[32];

		sv_duration_format(pr->rto_target_ms, t, sizeof t);
		snprintf(rto, sizeof rto, " of RTO %s", t);
	}
	if (rc->tty) {
		fprintf(stderr, "\rwaiting: %s, %s%s", pr->message, el, rto);
		if (pr->percent >= 0)
			fprintf(stderr, " (%d%%)", pr->percent);
		fprintf(stderr, "   ");
		rc->line_open = true;
	} else if (rc->last == NULL || strcmp(rc->last, pr->message) != 0) {
		fprintf(stderr, "waiting: %s, after %s%s\n", pr->message, el, rto);
		free(rc->last);
		rc->last = xstrdup(pr->message);
	}
	fflush(stderr);
}

/* ---- the outcome ---- */

static void
print_outcome(const struct cli *cli, const struct restore_plan *p,
    const struct restore_outcome *o)
{
	char	el[32], rto[32];
	bool	s3 = p->kind == RESTORE_S3_VERSION || p->kind == RESTORE_S3_UNDELETE ||
		    p->kind == RESTORE_S3_PREFIX;

	if (s3 && !cli->json)
		restore_s3_print_outcome(p, o, stderr);	/* per key */
	for (size_t i = 0; i < o->nsteps && i < p->nsteps && !s3; i++) {
		const struct restore_step_result *s = &o->steps[i];

		if (s->done && s->result != SV_OK && s->result != SV_E_CANCELLED) {
			char *t = out_safe(p->steps[i].target != NULL ? p->steps[i].target : "");
			char *m = out_safe(s->message != NULL ? s->message : "failed");

			fprintf(stderr, "%s: failed: %s: %s\n", cli->progname, t, m);
			free(t);
			free(m);
		}
	}
	if (p->nsteps > 1 && !s3)
		fprintf(stderr, "calls: %zu ok, %zu failed, %zu not sent\n", o->ok,
		    o->failed, o->skipped);
	if (!o->usable)
		return;
	sv_duration_format(o->elapsed_ms, el, sizeof el);
	rto[0] = '\0';
	if (p->rto_target_ms > 0) {
		char t[32];

		sv_duration_format(p->rto_target_ms, t, sizeof t);
		snprintf(rto, sizeof rto, " (RTO target %s: %s)", t,
		    o->elapsed_ms <= p->rto_target_ms ? "met" : "MISSED");
	}
	fprintf(stderr, "restored: %s is %s after %s%s\n", p->target_uri,
	    o->status != NULL ? o->status : "ready", el, rto);
	if (s3)
		fprintf(stderr, "next: check it with\n  salvage versions %s\n",
		    p->source_uri);
	else
		fprintf(stderr, "next: check it with\n  salvage verify %s %s\n  "
		    "salvage drift %s %s\n", p->origin_uri, p->target_uri,
		    p->origin_uri, p->target_uri);
}

static void
print_json(const struct restore_plan *p, const struct restore_outcome *o,
    const struct sv_err *err, int status)
{
	struct jsonw	j;

	out_json_init(&j);
	jsonw_obj_begin(&j);
	jsonw_key(&j, "plan");
	restore_plan_json(p, &j);
	jsonw_key(&j, "outcome");
	if (o != NULL)
		restore_outcome_json(p, o, &j);
	else
		jsonw_null(&j);
	jsonw_kstr(&j, "error", err != NULL && err->code != SV_OK ? err->msg : NULL);
	jsonw_kint(&j, "exit", status);
	jsonw_obj_end(&j);
	jsonw_finish(&j);
}

static void
audit_plan_note(struct cli *cli, const char *text, const struct restore_plan *p,
    const struct restore_outcome *o)
{
	struct audit	*log = cli->audit != NULL ? audit_session_log(cli->audit) : NULL;
	struct sv_err	 err;
	cJSON		*d;

	if (log == NULL)
		return;
	sv_err_init(&err);
	d = cJSON_CreateObject();
	cJSON_AddItemToObject(d, "plan", restore_plan_cjson(p));
	if (o != NULL)
		cJSON_AddItemToObject(d, "outcome", restore_outcome_cjson(p, o));
	if (audit_note(log, text, d, &err) != SV_OK)
		sv_warn("audit: %s", err.msg);
}

/* ---- options ---- */

static const char *
optarg_of(int argc, char **argv, int *i, const char *name)
{
	size_t	len = strlen(name);

	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
		return argv[++*i];
	if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=')
		return argv[*i] + len + 1;
	return NULL;
}

static sv_result
parse_time(const struct cli *cli, const char *opt, const char *s, bool allow_latest,
    sv_time now, struct timespec_value *v, struct sv_err *err)
{
	char	echo[256];

	if (timespec_parse(s, now, v, err) != SV_OK) {
		sv_err_prefix(err, "%s", opt);
		return err->code;
	}
	if (v->form == TIMESPEC_LATEST && !allow_latest)
		return sv_err_set(err, SV_E_USAGE, "%s: give a time, not 'latest'", opt);
	/* Echoed before anything happens, in UTC and local time. */
	timespec_echo(v, echo, sizeof echo);
	if (v->form != TIMESPEC_LATEST && v->form != TIMESPEC_UTC)
		fprintf(stderr, "%s %s: %s\n", opt, s, echo);
	else if (v->form == TIMESPEC_UTC)
		fprintf(stderr, "%s: %s\n", opt, echo);
	return SV_OK;
}

int
cmd_restore_run(struct cli *cli, const struct cmd_entry *cmd,
    struct restore_request *req, bool wait)
{
	struct restore_plan	*plan = NULL;
	struct restore_outcome	 o;
	struct restore_cli	 rc;
	struct aws_client	*client;
	struct sv_err		 err;
	struct conf		 cf;
	bool			 executed = false;
	int			 status = SV_EXIT_OK;
	char			*question, what[256], how[1024];

	restore_outcome_init(&o);
	sv_err_init(&err);
	memset(&rc, 0, sizeof rc);
	rc.cli = cli;
	rc.tty = isatty(STDERR_FILENO);
	if (conf_load(&cf, NULL, &err) != SV_OK ||
	    restore_conf_rto(&cf, &req->rto_target_ms, &err) != SV_OK) {
		conf_free(&cf);
		return cli_fail(cli, &err);
	}
	conf_free(&cf);
	if (restore_plan_new(req, &plan, &err) != SV_OK)
		return err.code == SV_E_USAGE ? cli_usage(cli, cmd, "%s", err.msg) :
		    cli_fail(cli, &err);
	restore_plan_free(plan);
	plan = NULL;

	/* The plan: read-only requests only. */
	if ((client = cli_client(cli, &err)) == NULL)
		return cli_fail(cli, &err);
	if (restore_plan_build_sync(client, req, &plan, &err) != SV_OK) {
		sv_err_prefix(&err, "cannot plan the restore of %s", req->uri);
		return cli_fail(cli, &err);
	}
	if (!cli->json)
		print_plan(plan, stdout);
	audit_plan_note(cli, "restore plan", plan, NULL);

	if (plan->dry_run) {
		if (!cli->json)
			printf("dry run: nothing was changed; run again without --dry-run "
			    "(and with --operate) to restore\n");
		goto out;
	}
	if (!cli->operate) {
		sv_err_set(&err, SV_E_READONLY, "refused: this restore would change "
		    "your account (%zu call%s above) and salvage is read-only: nothing "
		    "was sent. Re-run with --operate to allow changes (the plan is "
		    "shown again and must be confirmed)", restore_plan_mutations(plan),
		    restore_plan_mutations(plan) == 1 ? "" : "s");
		status = cli_fail(cli, &err);
		goto out;
	}
	if (restore_plan_mutations(plan) == 0) {
		fprintf(stderr, "nothing to change: %s is already as it was\n",
		    plan->source_uri);
		goto out;
	}

	/* Confirmation, typed or --yes, recorded. */
	question = xasprintf("restore %s (%s) to %s with %zu call(s)?", plan->source_uri,
	    restore_kind_name(plan->kind), plan->target_uri, restore_plan_mutations(plan));
	if (cli_confirm(cli, question, plan->kind == RESTORE_S3_VERSION ||
	    plan->kind == RESTORE_S3_UNDELETE ? "key" : plan->kind == RESTORE_S3_PREFIX ?
	    "prefix" : "target name", plan->target, &err) != SV_OK) {
		free(question);
		status = cli_fail(cli, &err);
		goto out;
	}
	free(question);

	/* Execute; Ctrl-C from here starts no further call and stops
	 * waiting, never what was sent. */
	cli_wait_begin();
	executed = true;
	if (restore_execute_sync(client, plan, &o, on_progress, &rc,
	    cli_interrupt_flag(), &err) != SV_OK) {
		end_line(&rc);
		status = cli_fail(cli, &err);
		if (err.code == SV_E_CANCELLED)
			status = SV_EXIT_INTERRUPTED;
		print_outcome(cli, plan, &o);
		goto done;
	}
	if (wait) {
		sv_err_init(&err);
		if (restore_wait_sync(client, plan, &o, on_progress, &rc,
		    cli_interrupt_flag(), &err) != SV_OK) {
			end_line(&rc);
			if (err.code == SV_E_CANCELLED) {
				restore_in_progress(plan, &o, what, sizeof what, how,
				    sizeof how);
				fprintf(stderr, "%s: stopped waiting; the restore goes on: %s "
				    "(%s). Check it later with: %s\n", cli->progname, what,
				    o.status != NULL ? o.status : "in progress", how);
				status = SV_EXIT_INTERRUPTED;
			} else
				status = cli_fail(cli, &err);
			goto done;
		}
		end_line(&rc);
	} else {
		restore_in_progress(plan, &o, what, sizeof what, how, sizeof how);
		fprintf(stderr, "not waiting: %s is %s; check it with %s\n", what,
		    o.status != NULL ? o.status : "in progress", how);
	}
	print_outcome(cli, plan, &o);
	if (o.failed > 0)
		status = o.ok > 0 ? SV_EXIT_PARTIAL : SV_EXIT_ERROR;
done:
	cli_wait_end();
	audit_plan_note(cli, "restore outcome", plan, &o);
out:
	if (cli->json)
		print_json(plan, executed ? &o : NULL, &err, status);
	else if (executed && status == SV_EXIT_OK)
		printf("%s\n", plan->target_uri);
	free(rc.last);
	restore_outcome_free(&o);
	restore_plan_free(plan);
	return status;
}


static int
cmd_restore_exec(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*cmd = &cmd_restore_entry;
	struct restore_request	 req;
	struct timespec_value	 tv;
	struct sv_err		 err;
	const char		*to = NULL, *incident = NULL, *carry = NULL, *v;
	bool			 wait = true;
	sv_time			 now = sv_time_now();

	restore_request_init(&req);
	sv_err_init(&err);
	for (int i = 1; i < argc; i++) {
		if ((v = optarg_of(argc, argv, &i, "--to")) != NULL)
			to = v;
		else if ((v = optarg_of(argc, argv, &i, "--backup")) != NULL)
			req.backup = v;
		else if ((v = optarg_of(argc, argv, &i, "--snapshot")) != NULL)
			req.snapshot = v;
		else if ((v = optarg_of(argc, argv, &i, "--version")) != NULL)
			req.version = v;
		else if ((v = optarg_of(argc, argv, &i, "--recovery-point")) != NULL)
			req.recovery_point = v;
		else if ((v = optarg_of(argc, argv, &i, "--iam-role")) != NULL)
			req.iam_role = v;
		else if ((v = optarg_of(argc, argv, &i, "--target")) != NULL)
			req.target = v;
		else if ((v = optarg_of(argc, argv, &i, "--carry")) != NULL)
			carry = v;
		else if ((v = optarg_of(argc, argv, &i, "--incident")) != NULL)
			incident = v;
		else if (strcmp(argv[i], "--delete-new") == 0)
			req.delete_new = true;
		else if (strcmp(argv[i], "--dry-run") == 0)
			req.dry_run = true;
		else if (strcmp(argv[i], "--overwrite") == 0)
			req.overwrite = true;
		else if (strcmp(argv[i], "--no-wait") == 0)
			wait = false;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, cmd, "unknown option '%s' (or missing value)",
			    argv[i]);
		else if (req.uri == NULL)
			req.uri = argv[i];
		else
			return cli_usage(cli, cmd, "unexpected argument '%s'", argv[i]);
	}
	if (req.uri == NULL)
		return cli_usage(cli, cmd, "missing the resource URI");

	/* Everything that can be checked without a request, first. */
	if (to != NULL) {
		if (parse_time(cli, "--to", to, true, now, &tv, &err) != SV_OK)
			return cli_usage(cli, cmd, "%s", err.msg);
		req.latest = tv.form == TIMESPEC_LATEST;
		req.to = tv.t;
	}
	if (incident != NULL) {
		if (parse_time(cli, "--incident", incident, false, now, &tv, &err) != SV_OK)
			return cli_usage(cli, cmd, "%s", err.msg);
		req.incident = tv.t;
	}
	if (carry != NULL && restore_carry_parse(carry, &req.carry, &err) != SV_OK)
		return cli_usage(cli, cmd, "%s", err.msg);
	req.now = now;
	return cmd_restore_run(cli, cmd, &req, wait);
}

const struct cmd_entry cmd_restore_entry = {
	"restore", "URI (--to TIME|latest | --backup ARN | --snapshot ID | --version VID | "
	    "--recovery-point ARN) [--target NAME] [--carry LIST] [--iam-role ARN] "
	    "[--incident TIME] [--delete-new] [--dry-run] [--no-wait]",
	"restore a table, DB instance or cluster, object, prefix or AWS Backup "
	    "recovery point (needs --operate)",
	cmd_restore_exec
};
