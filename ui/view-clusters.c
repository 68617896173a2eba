/* view-clusters.c - Aurora DB clusters (DescribeDBClusters, by page). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds.h"
#include "ui/ui-int.h"
#include "util/xalloc.h"

struct clusters {
	struct view	*view;
	struct list	*list;
	struct load	 ld;
};

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
	struct clusters *t = arg;
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
		list_add(t->list, row, c->backup_retention == 0 ?
		    LIST_STYLE_WARN : LIST_STYLE_NORMAL);
		snprintf(uri, sizeof uri, "rds-cluster://%s", c->id);
		ui_add_name(t->view->ui, uri);
	}
	ui_dirty(t->view->ui);
	return true;
}

static void
clusters_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct clusters *t = arg;

	load_end(&t->ld, r, err, pages);
	ui_dirty(t->view->ui);
}

static void
clusters_load(struct view *v)
{
	struct clusters *t = v->data;

	load_cancel(&t->ld);
	list_clear(t->list);
	load_begin(&t->ld);
	load_started(&t->ld, rds_describe_db_clusters(ui_client(v->ui), NULL,
	    clusters_page, clusters_done, t));
}

static void
clusters_enter(struct view *v, const struct resource *res)
{
	struct clusters *t = xcalloc(1, sizeof *t);

	v->data = t;
	t->view = v;
	t->list = list_new(clusters_cols, 7);
	clusters_load(v);
}

static void
clusters_leave(struct view *v)
{
	struct clusters *t = v->data;

	load_cancel(&t->ld);
	list_free(t->list);
	free(t);
}

static int
clusters_key(struct view *v, enum ui_action a, int key)
{
	struct clusters *t = v->data;
	struct resource res;
	size_t	row;

	if (a != ACT_OPEN && a != ACT_BACKUP && a != ACT_RESTORE)
		return UI_IGNORED;
	if ((row = list_selected(t->list)) == LIST_NONE)
		return UI_HANDLED;
	memset(&res, 0, sizeof res);
	res.scheme = RES_RDS_CLUSTER;
	res.kind = RES_CLUSTER;
	res.name = (char *)list_str(t->list, row, 0);
	if (a == ACT_BACKUP)
		ui_backup_begin(v->ui, &res);
	else if (a == ACT_RESTORE)
		ui_restore_timeline(v->ui, &res, SV_TIME_NONE, NULL);
	else
		ui_push(v->ui, &view_cluster, &res);
	return UI_HANDLED | UI_REDRAW;
}

static void
clusters_title(struct view *v, char *buf, size_t bufsz)
{
	struct clusters *t = v->data;

	load_title(v->ui, &t->ld, t->list, "Aurora DB clusters", "clusters", buf, bufsz);
}

static void
clusters_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct clusters *t = v->data;

	load_draw_list(v->ui, &t->ld, t->list, "no Aurora DB clusters in this region",
	    win, y, h, w);
}

static struct list *
clusters_list(struct view *v)
{
	return ((struct clusters *)v->data)->list;
}

static bool
clusters_cancel(struct view *v)
{
	return load_cancel(&((struct clusters *)v->data)->ld);
}

const struct view_class view_clusters = {
	.name = "clusters",
	.keys = KM_LIST,
	.enter = clusters_enter,
	.leave = clusters_leave,
	.key = clusters_key,
	.title = clusters_title,
	.draw = clusters_draw,
	.reload = clusters_load,
	.list = clusters_list,
	.cancel = clusters_cancel,
	.hint = "Enter open  R restore  b backup  / filter  : palette  ? help  "
	    "r refresh  q back",
};
