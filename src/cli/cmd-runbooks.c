/* cmd-runbooks.c - "salvage runbooks": the runbooks salvage knows, built
 * in and the operator's own ($XDG_CONFIG_HOME/salvage/runbooks), with id,
 * title, scenario and file; "salvage runbooks --check FILE..." validates
 * files (exit 1 naming file, line:column or field and the reason). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/runbook.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_runbooks_entry;

static int
check_files(struct cli *cli, int n, char **files)
{
	struct jsonw	j;
	int		bad = 0;

	if (cli->json) {
		out_json_init(&j);
		jsonw_arr_begin(&j);
	}
	for (int i = 0; i < n; i++) {
		struct sv_err	 err;
		struct runbook	*rb;

		sv_err_init(&err);
		rb = runbook_load_file(files[i], &err);
		if (cli->json) {
			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "file", files[i]);
			jsonw_kbool(&j, "valid", rb != NULL);
			jsonw_kstr(&j, "id", rb != NULL ? rb->id : NULL);
			jsonw_kstr(&j, "error", rb == NULL ? err.msg : NULL);
			jsonw_obj_end(&j);
		} else if (rb != NULL)
			printf("%s: ok: runbook %s, %zu steps, %zu variables\n", files[i],
			    rb->id, rb->nsteps, rb->nvars);
		else
			fprintf(stderr, "%s: %s\n", cli->progname, err.msg);
		if (rb == NULL)
			bad++;
		runbook_free(rb);
	}
	if (cli->json) {
		jsonw_arr_end(&j);
		jsonw_finish(&j);
	}
	return bad > 0 ? SV_EXIT_ERROR : 0;
}

static int
cmd_runbooks_exec(struct cli *cli, int argc, char **argv)
{
	static const struct out_col cols[] = {
		{ "ID", OUT_LEFT, false }, { "TITLE", OUT_LEFT, false },
		{ "SCENARIO", OUT_LEFT, false }, { "SOURCE", OUT_LEFT, false },
		{ "PATH", OUT_LEFT, false }
	};
	struct runbook_entry	*v;
	struct out_table	 t;
	size_t			 n;
	int			 invalid = 0;

	if (argc > 1 && strcmp(argv[1], "--check") == 0) {
		if (argc < 3)
			return cli_usage(cli, &cmd_runbooks_entry, "--check needs a FILE");
		return check_files(cli, argc - 2, argv + 2);
	}
	if (argc > 1)
		return cli_usage(cli, &cmd_runbooks_entry, "unexpected argument '%s'",
		    argv[1]);
	n = runbook_list(&v);
	if (cli->json) {
		struct jsonw j;

		out_json_init(&j);
		jsonw_arr_begin(&j);
		for (size_t i = 0; i < n; i++) {
			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "id", v[i].id);
			jsonw_kstr(&j, "title", v[i].title);
			jsonw_kstr(&j, "scenario", v[i].scenario);
			jsonw_kstr(&j, "source", v[i].builtin ? "built-in" : "user");
			jsonw_kstr(&j, "path", v[i].path);
			jsonw_kbool(&j, "shadowed", v[i].shadowed);
			jsonw_kstr(&j, "error", v[i].error);
			jsonw_obj_end(&j);
		}
		jsonw_arr_end(&j);
		jsonw_finish(&j);
		runbook_list_free(v, n);
		return 0;
	}
	out_table_init(&t, 5, cols);
	for (size_t i = 0; i < n; i++) {
		char	*src;

		if (v[i].error != NULL) {
			fprintf(stderr, "%s: warning: %s\n", cli->progname, v[i].error);
			invalid++;
			continue;
		}
		src = xasprintf("%s%s", v[i].builtin ? "built-in" : "user",
		    v[i].shadowed ? " (shadowed)" : "");
		{
			const char *row[5] = { v[i].id, v[i].title, v[i].scenario, src,
			    v[i].path };

			out_table_row(&t, row);
		}
		free(src);
	}
	if (t.nrows == 0) {
		char	*b = runbook_builtin_dir(), *u = runbook_user_dir();

		fprintf(stderr, "no runbooks found in %s or %s\n", u, b);
		free(b);
		free(u);
	} else
		out_table_print(&t, stdout);
	out_table_free(&t);
	runbook_list_free(v, n);
	return 0;
}

const struct cmd_entry cmd_runbooks_entry = {
	"runbooks", "[--check FILE...]",
	"list the runbooks (built in and your own), or validate files",
	cmd_runbooks_exec
};
