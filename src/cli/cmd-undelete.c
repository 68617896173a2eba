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

#include <string.h>

#include "cli/cli.h"
#include "cli/cmd-restore.h"
#include "core/restore.h"

extern const struct cmd_entry cmd_undelete_entry;

static int
cmd_undelete_exec(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*cmd = &cmd_undelete_entry;
	struct restore_request	 req;
	struct restore_plan	*plan = NULL;
	struct sv_err		 err;

	restore_request_init(&req);
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
	/* From here on an undelete is a restore of kind s3-undelete. */
	return cmd_restore_run(cli, cmd, &req, true);
}

const struct cmd_entry cmd_undelete_entry = {
	"undelete", "s3://BUCKET/KEY [--dry-run]",
	"remove the delete marker(s) on top of an S3 key (needs --operate)",
	cmd_undelete_exec
};
