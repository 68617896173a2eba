/* cmd-restore.h - what `salvage restore` and `salvage undelete` share:
 * plan (read-only requests), show, refuse without --operate, confirm,
 * execute through the audit gate, wait, report. */
#ifndef SALVAGE_CLI_CMD_RESTORE_H
#define SALVAGE_CLI_CMD_RESTORE_H

#include <stdbool.h>

#include "cli/cli.h"
#include "core/restore.h"

/* req is complete (URI, point, options, now); cmd names the subcommand
 * for usage errors. Returns the exit status. */
int	cmd_restore_run(struct cli *, const struct cmd_entry *,
	    struct restore_request *, bool wait);

#endif
