/* cli.c - the per-run state shared by the subcommands. */
#include <config.h>

#include "cli/cli.h"
#include "core/audit-session.h"

struct aws_client *
cli_client(struct cli *cli, struct sv_err *err)
{
	if (cli->client == NULL) {
		cli->client = aws_client_new(&cli->aws, err);
		if (cli->client != NULL)
			aws_client_set_operate(cli->client, cli->operate);
		if (cli->client != NULL) {
			/* The audit log and its gate, for every run that can
			 * reach AWS. */
			struct audit_session_opts ao = {
				.audit_dir = cli->audit_dir,
				.audit_s3 = cli->audit_s3,
				.operate = cli->operate,
				.frontend = "cli",
			};

			cli->audit = audit_session_open(cli->client, &ao);
		}
	}
	return cli->client;
}

void
cli_free(struct cli *cli, int exit_status)
{
	/* session-end and the last shipping, before the client goes. */
	if (cli->audit != NULL)
		audit_session_close(cli->audit, exit_status);
	cli->audit = NULL;
	if (cli->client != NULL)
		aws_client_free(cli->client);
	cli->client = NULL;
}
