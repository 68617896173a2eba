/* cmd-versions.c - "salvage versions s3://BUCKET[/PREFIX]": every version
 * and delete marker under a prefix (recursive), streamed page by page so
 * that a listing of millions of versions needs no memory. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/resource.h"
#include "svc/s3.h"

extern const struct cmd_entry cmd_versions_entry;

struct versions {
	struct svc_sync	 sync;		/* first: see svc.h */
	struct cli	*cli;
	struct jsonw	 j;
	size_t		 items;
	bool		 header;	/* human: column titles printed */
};

/* Human rows have fixed widths (the listing is never held in memory to
 * measure): time 24, size 12, latest 6, version id 32 (longer ids push
 * the key right), key. */
#define VERSIONS_FMT	"%-24s  %12s  %-6s  %-32s  "

static bool
versions_page(void *data, const struct s3_versions_page *page)
{
	struct versions	*v = data;

	for (size_t i = 0; i < page->n; i++) {
		const struct s3_version *e = &page->entries[i];

		if (v->cli->json) {
			jsonw_obj_begin(&v->j);
			jsonw_kstr(&v->j, "key", e->key);
			jsonw_kstr(&v->j, "version_id", e->version_id);
			jsonw_kbool(&v->j, "latest", e->is_latest);
			jsonw_kbool(&v->j, "delete_marker", e->delete_marker);
			jsonw_ktime(&v->j, "last_modified", e->last_modified);
			if (e->delete_marker || e->size < 0) {
				jsonw_key(&v->j, "size");
				jsonw_null(&v->j);
			} else
				jsonw_kint(&v->j, "size", e->size);
			jsonw_kstr(&v->j, "etag", e->delete_marker ? NULL : e->etag);
			jsonw_kstr(&v->j, "storage_class", e->storage_class);
			jsonw_obj_end(&v->j);
		} else {
			char	tb[SV_TIME_ISO_MAX], sb[32];

			if (!v->header) {
				printf(VERSIONS_FMT "%s\n", "LAST MODIFIED", "SIZE",
				    "LATEST", "VERSION ID", "KEY");
				v->header = true;
			}
			if (e->delete_marker)
				snprintf(sb, sizeof sb, "(deleted)");
			else
				snprintf(sb, sizeof sb, "%lld", e->size);
			printf(VERSIONS_FMT, out_time_ms(e->last_modified, tb), sb,
			    e->is_latest ? "latest" : "", e->version_id != NULL ?
			    e->version_id : "-");
			out_cell(stdout, e->key, 0, OUT_LEFT);
			putchar('\n');
		}
	}
	v->items += page->n;
	return true;
}

static int
cmd_versions_exec(struct cli *cli, int argc, char **argv)
{
	struct versions			 v;
	struct s3_list_versions_req	 req;
	struct resource			 res;
	struct sv_err			 err;
	struct aws_client		*client;
	int				 status = SV_EXIT_OK;

	if (argc != 2)
		return cli_usage(cli, &cmd_versions_entry, argc < 2 ?
		    "versions needs an S3 URI" : "versions takes one S3 URI");
	sv_err_init(&err);
	if (resource_parse(argv[1], &res, &err) != SV_OK) {
		resource_free(&res);
		return cli_usage(cli, &cmd_versions_entry, "%s", err.msg);
	}
	if (res.scheme != RES_S3 || res.kind == RES_ALL) {
		resource_free(&res);
		return cli_usage(cli, &cmd_versions_entry, "versions lists S3 "
		    "object versions: give s3://BUCKET or s3://BUCKET/PREFIX (for "
		    "the restore points of a table or a database, use 'salvage "
		    "points')");
	}
	if ((client = cli_client(cli, &err)) == NULL) {
		resource_free(&res);
		return cli_fail(cli, &err);
	}

	memset(&v, 0, sizeof v);
	memset(&req, 0, sizeof req);
	svc_sync_init(&v.sync);
	v.cli = cli;
	req.bucket = res.name;
	/* Everything under the prefix as typed (a key is a prefix too). */
	req.prefix = res.key[0] != '\0' ? res.key : NULL;
	if (cli->json) {
		out_json_init(&v.j);
		jsonw_arr_begin(&v.j);
	}
	s3_list_object_versions(client, &req, versions_page, svc_sync_done, &v);
	if (svc_sync_wait(client, &v.sync) != SV_OK) {
		/* The JSON array is left open: the listing is not complete. */
		status = out_listing_failed(cli, &v.sync.err, v.sync.pages,
		    v.items, "versions");
		goto out;
	}
	if (cli->json) {
		jsonw_arr_end(&v.j);
		jsonw_finish(&v.j);
	} else
		fflush(stdout);
out:
	resource_free(&res);
	return status;
}

const struct cmd_entry cmd_versions_entry = {
	.name = "versions",
	.args = "s3://BUCKET[/PREFIX]",
	.summary = "list every version and delete marker under an S3 prefix",
	.exec = cmd_versions_exec,
};
