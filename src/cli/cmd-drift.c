/* cmd-drift.c - "salvage drift SRC TARGET [--check] [--apply]": the
 * settings a restore does not carry over, side by side (core/drift.h).
 * Listing is read-only and exits 0 whether or not there is drift (it is
 * information); --check exits 9 when there is some (rehearsals).
 * --apply re-applies what can be re-applied: refused without --operate
 * before any request, the plan shown, confirmed by typing the target's
 * name (or --yes), each change through the audit gate, each setting
 * reported applied or failed. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/confirm.h"
#include "cli/output.h"
#include "core/drift.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_drift_entry;

static const char *
state_of(const struct drift_item *it)
{
	if (!it->checked)
		return "not checked";
	if (!it->differs)
		return "same";
	return it->applicable ? "DRIFT" : "DRIFT (manual)";
}

static void
print_report(const struct drift_report *r, FILE *f)
{
	static const struct out_col cols[] = {
		{ "SETTING", OUT_LEFT, false },
		{ "SOURCE", OUT_LEFT, false },
		{ "TARGET", OUT_LEFT, false },
		{ "STATE", OUT_LEFT, false },
	};
	struct out_table	t;
	size_t			i, k;

	fprintf(f, "source: %s\ntarget: %s\n\n", r->src, r->target);
	out_table_init(&t, 4, cols);
	for (i = 0; i < r->nitems; i++) {
		const struct drift_item *it = &r->items[i];

		out_table_row(&t, (const char *[]){ it->name,
		    it->checked ? it->src : "?", it->checked ? it->target : "?",
		    state_of(it) });
	}
	out_table_print(&t, f);
	out_table_free(&t);
	for (i = 0, k = 0; i < r->nitems; i++) {
		const struct drift_item *it = &r->items[i];

		if (it->note != NULL)
			fprintf(f, "%s%s: %s\n", k++ == 0 ? "\n" : "", it->name, it->note);
	}
	fprintf(f, "\n");
	if (r->ndrift == 0)
		fprintf(f, "no drift: the target has the source's settings\n");
	else
		fprintf(f, "%zu setting%s differ%s; %zu can be re-applied with --apply "
		    "--operate\n", r->ndrift, r->ndrift == 1 ? "" : "s",
		    r->ndrift == 1 ? "s" : "", r->napplicable);
}

static void
print_json(const struct drift_report *r)
{
	struct jsonw	j;

	out_json_init(&j);
	drift_report_json(r, &j);
	jsonw_finish(&j);
}

static void
applied(void *arg, const struct drift_item *it)
{
	const struct cli	*cli = arg;

	if (it->outcome == DRIFT_APPLIED)
		fprintf(stderr, "applied: %s (%s)\n", it->name, it->operation);
	else if (it->outcome == DRIFT_FAILED)
		fprintf(stderr, "%s: failed: %s: %s\n", cli->progname, it->name,
		    it->error != NULL ? it->error : "?");
	fflush(stderr);
}

static int
cmd_drift_exec(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*cmd = &cmd_drift_entry;
	struct drift_report	*r = NULL;
	struct aws_client	*client;
	struct sv_err		 err;
	const char		*uri[2] = { NULL, NULL };
	bool			 apply = false, check = false;
	int			 nuri = 0, status = SV_EXIT_OK;
	char			*q;
	size_t			 i;
	sv_result		 result;

	sv_err_init(&err);
	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--apply") == 0)
			apply = true;
		else if (strcmp(argv[a], "--check") == 0)
			check = true;
		else if (argv[a][0] == '-' && argv[a][1] != '\0')
			return cli_usage(cli, cmd, "unknown option '%s'", argv[a]);
		else if (nuri < 2)
			uri[nuri++] = argv[a];
		else
			return cli_usage(cli, cmd, "unexpected argument '%s'", argv[a]);
	}
	if (nuri < 2)
		return cli_usage(cli, cmd, "drift needs the source and the restored "
		    "target");
	if (drift_validate(uri[0], uri[1], &err) != SV_OK)
		return cli_usage(cli, cmd, "%s", err.msg);
	/* Read-only refusal: before any request. */
	if (apply && !cli->operate) {
		fprintf(stderr, "%s: refused: --apply would change the settings of %s; "
		    "salvage is read-only. Re-run with --operate to allow changes (the "
		    "plan is shown and must be confirmed first), or without --apply "
		    "to list the drift.\n", cli->progname, uri[1]);
		return SV_EXIT_READONLY;
	}

	if ((client = cli_client(cli, &err)) == NULL)
		return cli_fail(cli, &err);
	if (drift_sync(client, uri[0], uri[1], &r, &err) != SV_OK)
		return cli_fail(cli, &err);
	if (!apply) {
		if (cli->json)
			print_json(r);
		else
			print_report(r, stdout);
		status = check && r->ndrift > 0 ? sv_result_exit(SV_E_MISMATCH) :
		    SV_EXIT_OK;
		goto out;
	}

	/* --apply: the listing and the plan on stderr (stdout keeps --json). */
	print_report(r, cli->json ? stderr : stdout);
	fflush(stdout);
	if (r->napplicable == 0) {
		fprintf(stderr, "nothing to re-apply on %s\n", r->target);
		if (cli->json)
			print_json(r);
		status = check && r->ndrift > 0 ? sv_result_exit(SV_E_MISMATCH) :
		    SV_EXIT_OK;
		goto out;
	}
	fprintf(stderr, "plan: re-apply %zu setting%s on %s:\n", r->napplicable,
	    r->napplicable == 1 ? "" : "s", r->target);
	/* In the order the calls are made. */
	for (int s = 1; s <= (int)r->nitems; s++)
		for (i = 0; i < r->nitems; i++)
			if (r->items[i].applicable && r->items[i].step == s)
				fprintf(stderr, "  %d. %s\n", s, r->items[i].plan);
	q = xasprintf("re-apply %zu setting%s of %s on %s?", r->napplicable,
	    r->napplicable == 1 ? "" : "s", r->src, r->target);
	result = cli_confirm(cli, q, r->kind == DRIFT_DYNAMODB ? "table name" :
	    r->kind == DRIFT_RDS ? "DB instance identifier" :
	    "DB cluster identifier", r->target_name, &err);
	free(q);
	if (result != SV_OK) {
		status = cli_fail(cli, &err);
		goto out;
	}
	result = drift_apply_sync(client, r, applied, cli, &err);
	fprintf(stderr, "%zu applied, %zu failed of %zu\n", r->applied, r->failed,
	    r->napplicable);
	if (cli->json)
		print_json(r);
	if (result != SV_OK)
		status = cli_fail(cli, &err);
out:
	drift_report_free(r);
	return status;
}

const struct cmd_entry cmd_drift_entry = {
	"drift", "SRC TARGET [--check] [--apply]",
	"list the settings a restore did not carry over; re-apply them (--operate)",
	cmd_drift_exec
};
