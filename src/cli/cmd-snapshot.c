/* cmd-snapshot.c - "salvage snapshot rds://INSTANCE --name NAME" (and
 * rds-cluster://CLUSTER): a manual RDS snapshot (CreateDBSnapshot /
 * CreateDBClusterSnapshot), with the flow of `salvage backup`
 * (cmd-backup.c): refused without --operate, planned, confirmed, created
 * through the audit gate, waited for until available. */
#include <config.h>

#include "cli/cli.h"
#include "cli/cmd-backup.h"
#include "core/backup.h"

extern const struct cmd_entry cmd_snapshot_entry;

static int
cmd_snapshot_exec(struct cli *cli, int argc, char **argv)
{
	return cmd_backup_run(cli, &cmd_snapshot_entry, argc, argv,
	    1u << CORE_BACKUP_RDS | 1u << CORE_BACKUP_RDS_CLUSTER);
}

const struct cmd_entry cmd_snapshot_entry = {
	"snapshot", "rds[-cluster]://ID --name NAME",
	"create a manual RDS snapshot (needs --operate)",
	cmd_snapshot_exec
};
