/* cmd-sessions.c - "salvage sessions": the runbook sessions on this
 * machine (under $XDG_STATE_HOME/salvage/sessions), newest first: id,
 * runbook, started, state and the step where each stands. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/session.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_sessions_entry;

static int
cmd_sessions_exec(struct cli *cli, int argc, char **argv)
{
	static const struct out_col cols[] = {
		{ "ID", OUT_LEFT, false }, { "RUNBOOK", OUT_LEFT, false },
		{ "STARTED", OUT_LEFT, false }, { "STATE", OUT_LEFT, false },
		{ "STEP", OUT_LEFT, false }
	};
	struct session_entry	*v;
	struct out_table	 t;
	size_t			 n;
	char			 tb[SV_TIME_ISO_MAX];

	if (argc > 1)
		return cli_usage(cli, &cmd_sessions_entry, "unexpected argument '%s'",
		    argv[1]);
	n = session_list(NULL, &v);
	if (cli->json) {
		struct jsonw j;

		out_json_init(&j);
		jsonw_arr_begin(&j);
		for (size_t i = 0; i < n; i++) {
			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "session", v[i].id);
			jsonw_kstr(&j, "runbook", v[i].runbook);
			jsonw_ktime(&j, "started", v[i].started);
			jsonw_ktime(&j, "updated", v[i].updated);
			jsonw_kstr(&j, "state", v[i].state);
			jsonw_kstr(&j, "step", v[i].step);
			jsonw_kint(&j, "index", (long long)v[i].index);
			jsonw_kint(&j, "steps", (long long)v[i].nsteps);
			jsonw_kstr(&j, "error", v[i].error);
			jsonw_obj_end(&j);
		}
		jsonw_arr_end(&j);
		jsonw_finish(&j);
		session_list_free(v, n);
		return 0;
	}
	out_table_init(&t, 5, cols);
	for (size_t i = 0; i < n; i++) {
		char	*step;

		if (v[i].error != NULL) {
			const char *row[5] = { v[i].id, "-", "-", "unreadable", v[i].error };

			out_table_row(&t, row);
			continue;
		}
		if (v[i].step != NULL)
			step = xasprintf("%zu/%zu %s", v[i].index + 1, v[i].nsteps, v[i].step);
		else
			step = xasprintf("%zu/%zu", v[i].index, v[i].nsteps);
		{
			const char *row[5] = { v[i].id, v[i].runbook,
			    out_time(v[i].started, tb), v[i].state, step };

			out_table_row(&t, row);
		}
		free(step);
	}
	if (n == 0)
		fprintf(stderr, "no runbook sessions yet (salvage run RUNBOOK starts one)\n");
	else
		out_table_print(&t, stdout);
	out_table_free(&t);
	session_list_free(v, n);
	return 0;
}

const struct cmd_entry cmd_sessions_entry = {
	"sessions", "",
	"list runbook sessions (resumable ones too)",
	cmd_sessions_exec
};
