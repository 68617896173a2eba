/* cmd-whoami.c - "salvage whoami": who the credentials belong to (STS
 * GetCallerIdentity), the region and endpoint in effect and where the
 * credentials came from. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "svc/sts.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_whoami_entry;

struct whoami {
	struct svc_sync	 sync;		/* first: see svc.h */
	char		*account;
	char		*arn;
	char		*user_id;
};

static bool
whoami_identity(void *data, const struct sts_identity *id)
{
	struct whoami	*w = data;

	w->account = id->account != NULL ? xstrdup(id->account) : NULL;
	w->arn = id->arn != NULL ? xstrdup(id->arn) : NULL;
	w->user_id = id->user_id != NULL ? xstrdup(id->user_id) : NULL;
	return true;
}

static int
cmd_whoami_exec(struct cli *cli, int argc, char **argv)
{
	struct whoami		 w;
	struct sv_err		 err;
	struct aws_client	*client;
	const struct aws_creds	*creds;
	const struct aws_config	*cfg;
	const char		*endpoint, *region;
	bool			 custom;
	int			 status = SV_EXIT_OK;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, &cmd_whoami_entry, "whoami takes no arguments");
	memset(&w, 0, sizeof w);
	sv_err_init(&err);
	if ((client = cli_client(cli, &err)) == NULL)
		return cli_fail(cli, &err);
	if (aws_client_creds(client, &creds, &err) != SV_OK)
		return cli_fail(cli, &err);

	svc_sync_init(&w.sync);
	sts_get_caller_identity(client, whoami_identity, svc_sync_done, &w);
	if (svc_sync_wait(client, &w.sync) != SV_OK) {
		status = cli_fail(cli, &w.sync.err);
		goto out;
	}

	cfg = aws_client_config(client);
	region = aws_client_region(client);
	endpoint = aws_client_endpoint(client, AWS_SVC_STS);
	custom = aws_client_custom_endpoint(client, AWS_SVC_STS);

	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_obj_begin(&j);
		jsonw_kstr(&j, "account", w.account);
		jsonw_kstr(&j, "arn", w.arn);
		jsonw_kstr(&j, "user_id", w.user_id);
		jsonw_kstr(&j, "region", region);
		jsonw_kstr(&j, "endpoint", endpoint);
		jsonw_kbool(&j, "custom_endpoint", custom);
		jsonw_kstr(&j, "credentials", creds->source);
		jsonw_kstr(&j, "profile", cfg->profile);
		jsonw_obj_end(&j);
		jsonw_finish(&j);
	} else {
		static const struct out_col cols[] = {
			{ NULL, OUT_LEFT, false }, { NULL, OUT_LEFT, false }
		};
		struct out_table	 t;
		char			*ep;

		ep = xasprintf("%s (%s)", endpoint, custom ? "custom" : "default");
		out_table_init(&t, 2, cols);
		out_table_row(&t, (const char *[]){ "account", w.account });
		out_table_row(&t, (const char *[]){ "arn", w.arn });
		out_table_row(&t, (const char *[]){ "user id", w.user_id });
		out_table_row(&t, (const char *[]){ "region", region });
		out_table_row(&t, (const char *[]){ "endpoint", ep });
		out_table_row(&t, (const char *[]){ "credentials", creds->source });
		out_table_row(&t, (const char *[]){ "profile", cfg->profile });
		out_table_print(&t, stdout);
		out_table_free(&t);
		free(ep);
	}
out:
	free(w.account);
	free(w.arn);
	free(w.user_id);
	return status;
}

const struct cmd_entry cmd_whoami_entry = {
	.name = "whoami",
	.args = "",
	.summary = "show the AWS identity, region, endpoint and credential source",
	.exec = cmd_whoami_exec,
};
