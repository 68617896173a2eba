/* cmd-backup.c - "salvage backup dynamodb://TABLE --name NAME": an
 * on-demand DynamoDB backup (CreateBackup), and the flow it shares with
 * "salvage snapshot": validated and refused without --operate before any
 * request; planned (table exists, name free); the plan confirmed by
 * typing the name on a terminal or by --yes; created through the audit
 * gate; waited for with progress until AVAILABLE (Ctrl-C stops waiting,
 * not the backup). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd-backup.h"
#include "cli/confirm.h"
#include "cli/output.h"
#include "core/audit-session.h"
#include "core/backup.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_backup_entry;

static const char *
noun(const struct core_backup_plan *p)
{
	return p->kind == CORE_BACKUP_DYNAMODB ? "backup" : "snapshot";
}

/* The operator's confirmation, recorded in the audit log (cli/confirm.h).
 * Returns SV_OK when confirmed; SV_E_READONLY (exit 3) when declined or
 * impossible. */
static sv_result
confirm(struct cli *cli, const struct core_backup_plan *p, struct sv_err *err)
{
	char		*q = xasprintf("%s?", p->summary);
	sv_result	 r;

	r = cli_confirm(cli, q, p->kind == CORE_BACKUP_DYNAMODB ? "backup name" :
	    "snapshot name", p->name, err);
	free(q);
	return r;
}

static void
print_json(const struct core_backup_plan *p, const struct core_backup_status *st,
    bool waited)
{
	struct jsonw	j;

	out_json_init(&j);
	jsonw_obj_begin(&j);
	jsonw_kstr(&j, "resource", p->uri);
	jsonw_kstr(&j, "operation", p->operation);
	jsonw_kstr(&j, "name", p->name);
	jsonw_kstr(&j, "id", st->id);
	jsonw_kstr(&j, "arn", st->arn);
	jsonw_kstr(&j, "status", st->status);
	jsonw_kbool(&j, "available", st->available);
	jsonw_kbool(&j, "waited", waited);
	jsonw_kstr(&j, "request_id", st->request_id[0] != '\0' ? st->request_id : NULL);
	jsonw_obj_end(&j);
	jsonw_finish(&j);
}

int
cmd_backup_run(struct cli *cli, const struct cmd_entry *cmd, int argc, char **argv,
    unsigned allow)
{
	struct core_backup_plan	 plan;
	struct core_backup_status st;
	struct aws_client	*client;
	struct sv_err		 err;
	const char		*uri = NULL, *name = NULL;
	bool			 wait = true, waited = false, tty = isatty(STDERR_FILENO);
	char			*last = NULL;
	int64_t			 t0;
	int			 status = SV_EXIT_OK, polls = 0;

	memset(&plan, 0, sizeof plan);
	memset(&st, 0, sizeof st);
	sv_err_init(&err);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strncmp(argv[i], "--name=", 7) == 0)
			name = argv[i] + 7;
		else if (strcmp(argv[i], "--no-wait") == 0)
			wait = false;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, cmd, "unknown option '%s'", argv[i]);
		else if (uri == NULL)
			uri = argv[i];
		else
			return cli_usage(cli, cmd, "unexpected argument '%s'", argv[i]);
	}
	if (uri == NULL || name == NULL)
		return cli_usage(cli, cmd, "%s", uri == NULL ? "missing the resource URI" :
		    "missing --name NAME");

	/* Validation, then read-only refusal: both before any request. */
	if (core_backup_plan(NULL, uri, name, allow, &plan, &err) != SV_OK)
		return cli_usage(cli, cmd, "%s", err.msg);
	if (!cli->operate) {
		fprintf(stderr, "%s: refused: %s would change your account; salvage is "
		    "read-only. Re-run with --operate to allow changes (the plan is "
		    "shown and must be confirmed first).\n", cli->progname, plan.summary);
		core_backup_plan_free(&plan);
		return SV_EXIT_READONLY;
	}
	core_backup_plan_free(&plan);

	if ((client = cli_client(cli, &err)) == NULL)
		return cli_fail(cli, &err);
	if (core_backup_plan(client, uri, name, allow, &plan, &err) != SV_OK)
		return cli_fail(cli, &err);
	fprintf(stderr, "plan: %s\n", plan.summary);
	if (confirm(cli, &plan, &err) != SV_OK) {
		status = cli_fail(cli, &err);
		goto out;
	}
	if (core_backup_start(client, &plan, &st, &err) != SV_OK) {
		status = cli_fail(cli, &err);
		goto out;
	}
	fprintf(stderr, "started: %s %s (%s)\n", noun(&plan), st.id, st.status);

	/* Ctrl-C from here stops waiting, not the backup. */
	cli_wait_begin();
	t0 = sv_monotonic_ms();
	while (wait && !st.available && !st.failed) {
		char	el[32];

		cli_pause_ms(core_backup_poll_delay_ms(polls++));
		if (cli_interrupted())
			break;
		audit_session_tick(cli->audit);	/* retries a failed upload when due */
		sv_err_init(&err);
		if (core_backup_poll(client, &plan, &st, &err) != SV_OK) {
			if (cli_interrupted())
				break;
			status = cli_fail(cli, &err);
			goto restore;
		}
		sv_duration_format(sv_monotonic_ms() - t0, el, sizeof el);
		if (tty) {
			fprintf(stderr, "\rwaiting: %s %s", st.status, el);
			if (st.progress >= 0)
				fprintf(stderr, " (%lld%%)", st.progress);
			fprintf(stderr, "   ");
		} else if (last == NULL || strcmp(last, st.status) != 0)
			fprintf(stderr, "waiting: %s after %s\n", st.status, el);
		fflush(stderr);
		free(last);
		last = xstrdup(st.status);
	}
	waited = wait;
	if (tty && polls > 0)
		fprintf(stderr, "\n");
	if (cli_interrupted()) {
		fprintf(stderr, "%s: stopped waiting; the %s continues: %s (%s)\n",
		    cli->progname, noun(&plan), st.id, st.status);
		status = SV_EXIT_INTERRUPTED;
	} else if (st.failed) {
		fprintf(stderr, "%s: the %s %s ended in state %s\n", cli->progname,
		    noun(&plan), st.id, st.status);
		status = SV_EXIT_ERROR;
	} else if (st.available)
		fprintf(stderr, "available: %s %s\n", noun(&plan), st.id);
	if (cli->json)
		print_json(&plan, &st, waited);
	else
		printf("%s\n", st.id);
restore:
	cli_wait_end();
out:
	free(last);
	core_backup_status_free(&st);
	core_backup_plan_free(&plan);
	return status;
}

static int
cmd_backup_exec(struct cli *cli, int argc, char **argv)
{
	return cmd_backup_run(cli, &cmd_backup_entry, argc, argv,
	    1u << CORE_BACKUP_DYNAMODB);
}

const struct cmd_entry cmd_backup_entry = {
	"backup", "dynamodb://TABLE --name NAME",
	"create an on-demand DynamoDB backup (needs --operate)",
	cmd_backup_exec
};
