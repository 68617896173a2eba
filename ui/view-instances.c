/* view-instances.c - RDS DB instances (DescribeDBInstances, by page). */
#include <config.h>

#include <stdio.h>

#include "svc/rds.h"
#include "ui/reslist.h"

static const struct list_column instances_cols[] = {
	{ "Instance", LIST_TEXT, 0, 16, 0 },
	{ "Engine", LIST_TEXT, 16, 0, 0 },
	{ "Status", LIST_TEXT, 12, 0, 0 },
	{ "Class", LIST_TEXT, 14, 0, 0 },
	{ "Retention", LIST_INT, 9, 0, 0 },
	{ "Latest restorable", LIST_TIME, 0, 0, 0 },
	{ "Cluster", LIST_TEXT, 0, 8, 0 },
};

static bool
instances_page(void *arg, const struct rds_instances_page *p)
{
	union list_value row[7];
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		const struct rds_instance *in = &p->v[i];

		row[0].s = in->id;
		row[1].s = in->engine;
		row[2].s = in->status;
		row[3].s = in->instance_class;
		row[4].n = in->backup_retention;
		row[5].n = in->latest_restorable;
		row[6].s = in->cluster_id;
		snprintf(uri, sizeof uri, "rds://%s", in->id);
		/* No automated backups: no point-in-time recovery. */
		reslist_add(arg, row, in->backup_retention == 0 ?
		    LIST_STYLE_WARN : LIST_STYLE_NORMAL, uri);
	}
	return true;
}

static struct svc_op *
instances_start(struct reslist *rl, struct aws_client *client,
    const char *parent)
{
	(void)parent;
	return rds_describe_db_instances(client, NULL, instances_page, reslist_done, rl);
}

static const struct reslist_class instances_class = {
	.cols = instances_cols,
	.ncols = sizeof instances_cols / sizeof instances_cols[0],
	.scheme = RES_RDS,
	.kind = RES_INSTANCE,
	.detail = &view_instance,
	.title = "RDS DB instances",
	.noun = "instances",
	.empty = "no RDS DB instances in this region",
	.start = instances_start,
};

static void
instances_enter(struct view *v, const struct resource *res)
{
	(void)res;
	reslist_enter(v, &instances_class, NULL);
}

const struct view_class view_instances =
    RESLIST_VIEW("instances", instances_enter, RESLIST_HINT);
