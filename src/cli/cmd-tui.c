/* cmd-tui.c - "salvage tui" (and salvage with no command on a
 * terminal): the interactive console. The console itself is ui/. */
#include "config.h"

#include "cli/cli.h"
#include "ui/ui.h"

extern const struct cmd_entry cmd_tui_entry;

static int
cmd_tui_exec(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(cli, &cmd_tui_entry, "tui takes no arguments");
	return ui_main(cli);
}

const struct cmd_entry cmd_tui_entry = {
	.name = "tui",
	.args = "",
	.summary = "open the interactive console (default)",
	.exec = cmd_tui_exec,
};
