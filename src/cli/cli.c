/* cli.c - the per-run state shared by the subcommands. */
#include "config.h"

#include "cli/cli.h"

struct aws_client *
cli_client(struct cli *cli, struct sv_err *err)
{
	if (cli->client == NULL) {
		cli->client = aws_client_new(&cli->aws, err);
		if (cli->client != NULL)
			aws_client_set_operate(cli->client, cli->operate);
	}
	return cli->client;
}

void
cli_free(struct cli *cli)
{
	if (cli->client != NULL)
		aws_client_free(cli->client);
	cli->client = NULL;
}
