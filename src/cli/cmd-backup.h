/* cmd-backup.h - what `salvage backup` and `salvage snapshot` share: plan,
 * confirm, create through the audit gate, wait until available. */
#ifndef SALVAGE_CLI_CMD_BACKUP_H
#define SALVAGE_CLI_CMD_BACKUP_H

#include "cli/cli.h"

/* allow: bitmask of 1 << enum core_backup_kind the command accepts. */
int	cmd_backup_run(struct cli *, const struct cmd_entry *, int argc, char **argv,
	    unsigned allow);

#endif
