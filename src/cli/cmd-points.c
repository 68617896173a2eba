/* cmd-points.c - "salvage points URI": the restore points of one S3
 * object, DynamoDB table, RDS DB instance or DB cluster, or the recovery
 * points in one AWS Backup vault: the point-in-time window and every
 * backup, snapshot, recovery point, version and delete marker, as
 * gathered by core/points. JSON lists points oldest first; the
 * human table shows the newest first. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/points.h"
#include "core/resource.h"
#include "util/log.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_points_entry;

static void
points_json(const struct point_set *set)
{
	struct jsonw	 j;
	char		*uri = resource_uri(&set->resource);

	out_json_init(&j);
	jsonw_obj_begin(&j);
	jsonw_kstr(&j, "resource", uri);
	jsonw_key(&j, "pitr");
	if (set->pitr.status == PITR_NONE)
		jsonw_null(&j);
	else {
		jsonw_obj_begin(&j);
		jsonw_kstr(&j, "status", pitr_status_name(set->pitr.status));
		jsonw_ktime(&j, "earliest", set->pitr.earliest);
		jsonw_ktime(&j, "latest", set->pitr.latest);
		if (set->pitr.retention_days > 0)
			jsonw_kint(&j, "retention_days", set->pitr.retention_days);
		jsonw_obj_end(&j);
	}
	jsonw_key(&j, "points");
	jsonw_arr_begin(&j);
	for (size_t i = 0; i < set->n; i++) {
		const struct point *p = &set->v[i];

		jsonw_obj_begin(&j);
		jsonw_kstr(&j, "kind", point_kind_name(p->kind));
		jsonw_kstr(&j, "id", p->id);
		jsonw_ktime(&j, "time", p->time);
		switch (p->kind) {
		case POINT_BACKUP:
		case POINT_RECOVERY_POINT:
			jsonw_kstr(&j, "name", p->name);
			jsonw_kstr(&j, "type", p->type);
			jsonw_kstr(&j, "status", p->status);
			if (p->size >= 0)
				jsonw_kint(&j, "size", p->size);
			if (p->kind == POINT_RECOVERY_POINT)
				jsonw_kstr(&j, "resource_arn", p->resource_arn);
			break;
		case POINT_SNAPSHOT:
			jsonw_kstr(&j, "type", p->type);
			jsonw_kstr(&j, "status", p->status);
			break;
		case POINT_VERSION:
		case POINT_DELETE_MARKER:
			jsonw_kbool(&j, "latest", p->latest);
			jsonw_key(&j, "size");
			if (p->size >= 0)
				jsonw_int(&j, p->size);
			else
				jsonw_null(&j);
			jsonw_kstr(&j, "etag", p->etag);
			break;
		}
		jsonw_obj_end(&j);
	}
	jsonw_arr_end(&j);
	jsonw_obj_end(&j);
	jsonw_finish(&j);
	free(uri);
}

static void
points_human(const struct point_set *set)
{
	static const struct out_col head_cols[] = {
		{ NULL, OUT_LEFT, false }, { NULL, OUT_LEFT, false }
	};
	static const struct out_col cols[] = {
		{ "TIME", OUT_LEFT, false },
		{ "KIND", OUT_LEFT, false },
		{ "LATEST", OUT_LEFT, true },
		{ "TYPE", OUT_LEFT, true },
		{ "STATUS", OUT_LEFT, true },
		{ "SIZE", OUT_RIGHT, true },
		{ "NAME", OUT_LEFT, true },
		{ "ID", OUT_LEFT, false },
	};
	const struct pitr_window *w = &set->pitr;
	struct out_table	 t;
	char			*uri = resource_uri(&set->resource), *pitr;
	char			 t1[SV_TIME_ISO_MAX], t2[SV_TIME_ISO_MAX], nb[32];

	switch (w->status) {
	case PITR_NONE:
		pitr = xstrdup(set->resource.scheme == RES_BACKUP ?
		    "not applicable (the vault's recovery points are listed)" :
		    "none (every version of the object is a point)");
		break;
	case PITR_DISABLED:
		pitr = xstrdup(set->resource.scheme == RES_DYNAMODB ?
		    "DISABLED (point-in-time recovery is off)" :
		    "DISABLED (backup retention is 0: no automated backups)");
		break;
	default:
		if (w->retention_days > 0)
			snprintf(nb, sizeof nb, ", %d days", w->retention_days);
		else
			nb[0] = '\0';
		pitr = xasprintf("ENABLED, %s .. %s%s",
		    w->earliest != SV_TIME_NONE ? out_time(w->earliest, t1) :
		    "(earliest not reported by the service)",
		    out_time(w->latest, t2), nb);
		break;
	}
	out_table_init(&t, 2, head_cols);
	out_table_row(&t, (const char *[]){ "resource", uri });
	out_table_row(&t, (const char *[]){ "pitr", pitr });
	snprintf(nb, sizeof nb, "%zu", set->n);
	out_table_row(&t, (const char *[]){ "points", nb });
	out_table_print(&t, stdout);
	out_table_free(&t);
	free(pitr);
	free(uri);

	if (set->n == 0)
		return;
	putchar('\n');
	out_table_init(&t, 8, cols);
	for (size_t i = set->n; i-- > 0; ) {
		const struct point *p = &set->v[i];
		char	sb[32];

		out_table_row(&t, (const char *[]){
		    out_time(p->time, t1), point_kind_name(p->kind),
		    p->latest ? "latest" : "", p->type, p->status,
		    p->size >= 0 ? out_size(p->size, sb, sizeof sb) : "",
		    p->name != NULL ? p->name : p->resource_arn, p->id });
	}
	out_table_print(&t, stdout);
	out_table_free(&t);
}

static int
cmd_points_exec(struct cli *cli, int argc, char **argv)
{
	struct resource		 res;
	struct sv_err		 err;
	struct aws_client	*client;
	struct point_set	*set = NULL;
	int			 status = SV_EXIT_OK;

	if (argc != 2)
		return cli_usage(cli, &cmd_points_entry, argc < 2 ?
		    "points needs a resource URI" : "points takes one resource URI");
	sv_err_init(&err);
	if (resource_parse(argv[1], &res, &err) != SV_OK) {
		resource_free(&res);
		return cli_usage(cli, &cmd_points_entry, "%s", err.msg);
	}
	if (res.kind != RES_OBJECT && res.kind != RES_TABLE &&
	    res.kind != RES_INSTANCE && res.kind != RES_CLUSTER &&
	    res.kind != RES_VAULT) {
		resource_free(&res);
		return cli_usage(cli, &cmd_points_entry, "points needs one S3 "
		    "object, table, DB instance, DB cluster or backup vault: "
		    "s3://BUCKET/KEY, dynamodb://TABLE, rds://INSTANCE, "
		    "rds-cluster://CLUSTER or backup://VAULT");
	}
	if ((client = cli_client(cli, &err)) == NULL) {
		resource_free(&res);
		return cli_fail(cli, &err);
	}
	if (core_points_load_sync(client, &res, &set, &err) != SV_OK) {
		/* Nothing printed: a partial set is never shown as complete. */
		status = cli_fail(cli, &err);
		goto out;
	}
	if (set->note != NULL)
		sv_warn("%s", set->note);
	if (cli->json)
		points_json(set);
	else
		points_human(set);
out:
	if (set != NULL) {
		point_set_free(set);
		free(set);
	}
	resource_free(&res);
	return status;
}

const struct cmd_entry cmd_points_entry = {
	.name = "points",
	.args = "URI",
	.summary = "show the restore points of an object, table or database, or "
	    "the recovery points in a backup vault",
	.exec = cmd_points_exec,
};
