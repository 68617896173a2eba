/* view-cluster.c - one Aurora DB cluster: engine, status, retention,
 * the PITR window, cluster snapshots newest first and the timeline. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds.h"
#include "ui/detail.h"
#include "ui/fmt.h"
#include "util/xalloc.h"

struct cluster {
	struct detail	*d;
	bool		 have;
	char		*status;
	long long	 retention;
	sv_time		 created;
};

static bool
cluster_cb(void *arg, const struct rds_clusters_page *p)
{
	struct detail *d = arg;
	struct cluster *cl = d->view->data;
	const struct rds_cluster *c;
	char	members[512] = "";

	if (p->n == 0)
		return true;
	c = &p->v[0];
	cl->have = true;
	free(cl->status);
	cl->status = xstrdup(c->status != NULL ? c->status : "?");
	cl->retention = c->backup_retention;
	cl->created = c->created;
	for (size_t i = 0; i < c->n_members; i++) {
		if (i > 0)
			strncat(members, ", ", sizeof members - strlen(members) - 1);
		strncat(members, c->members[i].instance_id,
		    sizeof members - strlen(members) - 1);
		if (c->members[i].writer)
			strncat(members, " (writer)", sizeof members - strlen(members) - 1);
	}
	detail_line(d, 1, "Engine", "%s %s%s%s  Multi-AZ %s%s",
	    c->engine != NULL ? c->engine : "?",
	    c->engine_version != NULL ? c->engine_version : "",
	    c->engine_mode != NULL ? "  mode " : "",
	    c->engine_mode != NULL ? c->engine_mode : "",
	    c->multi_az ? "yes" : "no", c->storage_encrypted ? "  encrypted" : "");
	detail_line(d, 3, "Members", "%s", members[0] != '\0' ? members : "none");
	return false;
}

static void
cluster_load(struct view *v)
{
	struct cluster *cl = v->data;
	struct detail *d = cl->d;
	struct rds_clusters_req req;

	memset(&req, 0, sizeof req);
	req.cluster_id = d->res.name;
	load_cancel(&d->info);
	load_begin(&d->info);
	load_started(&d->info, rds_describe_db_clusters(ui_client(v->ui), &req,
	    cluster_cb, detail_info_done, d));
	detail_load_points(d);
}

static void
cluster_enter(struct view *v, const struct resource *res)
{
	struct cluster *cl = xcalloc(1, sizeof *cl);
	char	uri[512];

	v->data = cl;
	cl->created = SV_TIME_NONE;
	cl->d = detail_new(v, res, "Aurora DB cluster", "snapshots");
	snprintf(uri, sizeof uri, "rds-cluster://%s", res->name);
	ui_add_name(v->ui, uri);
	cluster_load(v);
}

static void
cluster_leave(struct view *v)
{
	struct cluster *cl = v->data;

	detail_free(cl->d);
	free(cl->status);
	free(cl);
}

static void
cluster_title(struct view *v, char *buf, size_t bufsz)
{
	detail_title(((struct cluster *)v->data)->d, buf, bufsz);
}

static void
cluster_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct cluster *cl = v->data;
	char	created[64];

	if (cl->have) {
		ui_time_format(cl->created, created, sizeof created);
		detail_line(cl->d, 0, "Cluster", "%s  status %s  created %s",
		    cl->d->res.name, cl->status, created);
		if (cl->retention == 0)
			detail_line(cl->d, 2, "Retention", "0 days: no point-in-time "
			    "recovery");
		else
			detail_line(cl->d, 2, "Retention", "%lld days", cl->retention);
	}
	detail_draw(cl->d, win, y, h, w);
}

static struct list *
cluster_list(struct view *v)
{
	return ((struct cluster *)v->data)->d->list;
}

static bool
cluster_cancel(struct view *v)
{
	return detail_cancel(((struct cluster *)v->data)->d);
}

static int
cluster_key(struct view *v, enum ui_action a, int key)
{
	return detail_key(((struct cluster *)v->data)->d, a);
}

const struct view_class view_cluster = {
	.name = "cluster",
	.keys = KM_DETAIL,
	.enter = cluster_enter,
	.leave = cluster_leave,
	.key = cluster_key,
	.title = cluster_title,
	.draw = cluster_draw,
	.reload = cluster_load,
	.list = cluster_list,
	.cancel = cluster_cancel,
	.hint = "R restore  b backup  Enter timeline at a point  / filter  "
	    ": palette  ? help  q back",
};
