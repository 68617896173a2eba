/* view-clusters.c - Aurora DB clusters (DescribeDBClusters, by page). */
#include <config.h>

#include <stdint.h>
#include <stdio.h>

#include "svc/rds.h"
#include "ui/reslist.h"

static const struct list_column clusters_cols[] = {
	{ "Cluster", LIST_TEXT, 0, 16, 0 },
	{ "Engine", LIST_TEXT, 18, 0, 0 },
	{ "Status", LIST_TEXT, 12, 0, 0 },
	{ "Retention", LIST_INT, 9, 0, 0 },
	{ "Earliest restorable", LIST_TIME, 0, 0, 0 },
	{ "Latest restorable", LIST_TIME, 0, 0, 0 },
	{ "Members", LIST_INT, 7, 0, 0 },
};

static bool
clusters_page(void *arg, const struct rds_clusters_page *p)
{
	union list_value row[7];
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		const struct rds_cluster *c = &p->v[i];

		row[0].s = c->id;
		row[1].s = c->engine;
		row[2].s = c->status;
		row[3].n = c->backup_retention;
		row[4].n = c->earliest_restorable;
		row[5].n = c->latest_restorable;
		row[6].n = (int64_t)c->n_members;
		snprintf(uri, sizeof uri, "rds-cluster://%s", c->id);
		reslist_add(arg, row, c->backup_retention == 0 ?
		    LIST_STYLE_WARN : LIST_STYLE_NORMAL, uri);
	}
	return true;
}

static struct svc_op *
clusters_start(struct reslist *rl, struct aws_client *client,
    const char *parent)
{
	(void)parent;
	return rds_describe_db_clusters(client, NULL, clusters_page, reslist_done, rl);
}

static const struct reslist_class clusters_class = {
	.cols = clusters_cols,
	.ncols = sizeof clusters_cols / sizeof clusters_cols[0],
	.scheme = RES_RDS_CLUSTER,
	.kind = RES_CLUSTER,
	.detail = &view_cluster,
	.title = "Aurora DB clusters",
	.noun = "clusters",
	.empty = "no Aurora DB clusters in this region",
	.start = clusters_start,
};

static void
clusters_enter(struct view *v, const struct resource *res)
{
	(void)res;
	reslist_enter(v, &clusters_class, NULL);
}

const struct view_class view_clusters =
    RESLIST_VIEW("clusters", clusters_enter, RESLIST_HINT);
