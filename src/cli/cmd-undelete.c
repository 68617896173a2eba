/* cmd-undelete.c - "salvage undelete s3://BUCKET/KEY": the key's delete
 * marker(s) on top are removed, so its newest version with data is
 * current again. Never deletes a version with data: every marker is
 * checked to be one (HeadObject) before its DeleteObject.
 *
 *	plan (read-only: versioning, the key's versions) -> show it ->
 *	without --operate: refused before any change (exit 3) -> confirm
 *	(type the key on a terminal, or --yes) -> remove the marker(s)
 *	through the audit gate -> check the version is current.
 *
 * A key that is not deleted is refused (nothing sent), as is a key with
 * no version under its markers. --json: the plan and the outcome. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/confirm.h"
#include "cli/output.h"
#include "core/audit-session.h"
#include "core/restore-s3.h"
#include "core/restore.h"
#include "util/log.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_undelete_entry;

static void
print_plan(const struct restore_plan *p, FILE *f)
{
	char	 a[SV_TIME_ISO_MAX], *s;
	size_t	 n = 0;

	s = out_safe(p->source_uri);
	fprintf(f, "undelete plan%s\n  %-12s %s\n", p->dry_run ?
	    ": dry run, nothing will be changed" : "", "key", s);
	free(s);
	if (p->point_id != NULL) {
		s = out_safe(p->point_id);
		fprintf(f, "  %-12s version %s (written %s)\n", "current then", s,
		    out_time(p->time, a));
		free(s);
	}
	fprintf(f, "  calls (%zu that change something):\n", restore_plan_mutations(p));
	for (size_t i = 0; i < p->nsteps; i++) {
		s = out_safe(p->steps[i].summary);
		fprintf(f, "    %zu. %s\n", ++n, s);
		free(s);
	}
	for (size_t i = 0; i < p->nnotes; i++) {
		s = out_safe(p->notes[i]);
		fprintf(f, "  note: %s\n", s);
		free(s);
	}
	for (size_t i = 0; i < p->nwarnings; i++) {
		s = out_safe(p->warnings[i]);
		fprintf(f, "  warning: %s\n", s);
		free(s);
	}
	fflush(f);
}

static void
print_json(const struct restore_plan *p, const struct restore_outcome *o,
    const struct sv_err *err, int status)
{
	struct jsonw	j;

	out_json_init(&j);
	jsonw_obj_begin(&j);
	jsonw_key(&j, "plan");
	if (p != NULL)
		restore_plan_json(p, &j);
	else
		jsonw_null(&j);
	jsonw_key(&j, "outcome");
	if (p != NULL && o != NULL)
		restore_outcome_json(p, o, &j);
	else
		jsonw_null(&j);
	jsonw_kstr(&j, "error", err != NULL && err->code != SV_OK ? err->msg : NULL);
	jsonw_kint(&j, "exit", status);
	jsonw_obj_end(&j);
	jsonw_finish(&j);
}

static void
audit_note_plan(struct cli *cli, const char *text, const struct restore_plan *p,
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

static void
on_progress(void *arg, const struct restore_progress *pr)
{
	struct cli	*cli = arg;

	if (cli->audit != NULL)
		audit_session_tick(cli->audit);
	fprintf(stderr, "%s\n", pr->message);
	fflush(stderr);
}

static int
cmd_undelete_exec(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*cmd = &cmd_undelete_entry;
	struct restore_request	 req;
	struct restore_plan	*plan = NULL;
	struct restore_outcome	 o;
	struct aws_client	*client;
	struct sv_err		 err;
	bool			 executed = false;
	int			 status = SV_EXIT_OK;
	char			*question;

	restore_request_init(&req);
	restore_outcome_init(&o);
	sv_err_init(&err);
	req.undelete = true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			req.dry_run = true;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, cmd, "unknown option '%s'", argv[i]);
		else if (req.uri == NULL)
			req.uri = argv[i];
		else
			return cli_usage(cli, cmd, "unexpected argument '%s'", argv[i]);
	}
	if (req.uri == NULL)
		return cli_usage(cli, cmd, "missing the object URI (s3://BUCKET/KEY)");
	req.now = sv_time_now();
	if (restore_plan_new(&req, &plan, &err) != SV_OK)
		return err.code == SV_E_USAGE ? cli_usage(cli, cmd, "%s", err.msg) :
		    cli_fail(cli, &err);
	if (plan->kind != RESTORE_S3_UNDELETE) {
		restore_plan_free(plan);
		return cli_usage(cli, cmd, "%s is not an S3 object: name one key "
		    "(s3://BUCKET/KEY)", req.uri);
	}
	restore_plan_free(plan);
	plan = NULL;

	/* The plan: read-only requests only. */
	if ((client = cli_client(cli, &err)) == NULL)
		return cli_fail(cli, &err);
	if (restore_plan_build_sync(client, &req, &plan, &err) != SV_OK) {
		status = cli_fail(cli, &err);
		if (cli->json)
			print_json(NULL, NULL, &err, status);
		return status;
	}
	if (!cli->json)
		print_plan(plan, stdout);
	audit_note_plan(cli, "undelete plan", plan, NULL);
	if (plan->dry_run) {
		if (!cli->json)
			printf("dry run: nothing was changed\n");
		goto out;
	}
	if (!cli->operate) {
		sv_err_set(&err, SV_E_READONLY, "refused: removing the delete marker%s "
		    "of %s changes your bucket, and salvage is read-only: nothing was "
		    "sent. Re-run with --operate to allow changes (the plan is shown "
		    "again and must be confirmed)", plan->nsteps > 1 ? "s" : "",
		    plan->source_uri);
		status = cli_fail(cli, &err);
		goto out;
	}
	question = xasprintf("undelete %s by removing %zu delete marker%s?",
	    plan->source_uri, plan->nsteps, plan->nsteps == 1 ? "" : "s");
	if (cli_confirm(cli, question, "key", plan->target, &err) != SV_OK) {
		free(question);
		status = cli_fail(cli, &err);
		goto out;
	}
	free(question);

	cli_wait_begin();
	executed = true;
	if (restore_execute_sync(client, plan, &o, on_progress, cli,
	    cli_interrupt_flag(), &err) != SV_OK) {
		status = err.code == SV_E_CANCELLED ? SV_EXIT_INTERRUPTED :
		    cli_fail(cli, &err);
	} else
		fprintf(stderr, "undeleted: %s: version %s is current again\n",
		    plan->source_uri, plan->point_id);
	cli_wait_end();
	if (!cli->json)
		restore_s3_print_outcome(plan, &o, stderr);
	audit_note_plan(cli, "undelete outcome", plan, &o);
out:
	if (cli->json)
		print_json(plan, executed ? &o : NULL, &err, status);
	else if (executed && status == SV_EXIT_OK)
		printf("%s\n", plan->source_uri);
	restore_outcome_free(&o);
	restore_plan_free(plan);
	return status;
}

const struct cmd_entry cmd_undelete_entry = {
	"undelete", "s3://BUCKET/KEY [--dry-run]",
	"remove the delete marker(s) on top of an S3 key (needs --operate)",
	cmd_undelete_exec
};
