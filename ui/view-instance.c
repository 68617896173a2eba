/* view-instance.c - one RDS DB instance: engine, status, backup
 * retention, the PITR window, snapshots (manual and automated) newest
 * first and the timeline of both. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds.h"
#include "ui/detail.h"
#include "ui/fmt.h"
#include "util/xalloc.h"

struct instance {
	struct detail	*d;
	bool		 have;
	char		*status;
	long long	 retention;
	char		*window;
	sv_time		 created;
	sv_time		 latest;
};

static bool
instance_cb(void *arg, const struct rds_instances_page *p)
{
	struct detail *d = arg;
	struct instance *in = d->view->data;
	const struct rds_instance *r;

	if (p->n == 0)
		return true;
	r = &p->v[0];
	in->have = true;
	free(in->status);
	in->status = xstrdup(r->status != NULL ? r->status : "?");
	free(in->window);
	in->window = xstrdup(r->backup_window != NULL ? r->backup_window : "-");
	in->retention = r->backup_retention;
	in->created = r->created;
	in->latest = r->latest_restorable;
	detail_line(d, 1, "Engine", "%s %s  %s  %lld GiB %s%s  Multi-AZ %s",
	    r->engine != NULL ? r->engine : "?",
	    r->engine_version != NULL ? r->engine_version : "",
	    r->instance_class != NULL ? r->instance_class : "?",
	    r->allocated_storage, r->storage_type != NULL ? r->storage_type : "",
	    r->storage_encrypted ? " encrypted" : "", r->multi_az ? "yes" : "no");
	detail_line(d, 3, "Network", "%s:%lld  %s  %s%s",
	    r->endpoint_address != NULL ? r->endpoint_address : "-",
	    r->endpoint_port, r->availability_zone != NULL ? r->availability_zone : "",
	    r->vpc_id != NULL ? r->vpc_id : "",
	    r->cluster_id != NULL ? "  (member of an Aurora cluster)" : "");
	return false;
}

static void
instance_load(struct view *v)
{
	struct instance *in = v->data;
	struct detail *d = in->d;
	struct rds_instances_req req;

	memset(&req, 0, sizeof req);
	req.instance_id = d->res.name;
	load_cancel(&d->info);
	load_begin(&d->info);
	load_started(&d->info, rds_describe_db_instances(ui_client(v->ui), &req,
	    instance_cb, detail_info_done, d));
	detail_load_points(d);
}

static void
instance_enter(struct view *v, const struct resource *res)
{
	struct instance *in = xcalloc(1, sizeof *in);
	char	uri[512];

	v->data = in;
	in->created = in->latest = SV_TIME_NONE;
	in->d = detail_new(v, res, "RDS DB instance", "snapshots");
	snprintf(uri, sizeof uri, "rds://%s", res->name);
	ui_add_name(v->ui, uri);
	instance_load(v);
}

static void
instance_leave(struct view *v)
{
	struct instance *in = v->data;

	detail_free(in->d);
	free(in->status);
	free(in->window);
	free(in);
}

static void
instance_title(struct view *v, char *buf, size_t bufsz)
{
	detail_title(((struct instance *)v->data)->d, buf, bufsz);
}

static void
instance_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct instance *in = v->data;
	char	created[64], latest[64];

	if (in->have) {
		ui_time_format(in->created, created, sizeof created);
		ui_time_format(in->latest, latest, sizeof latest);
		detail_line(in->d, 0, "Instance", "%s  status %s  created %s",
		    in->d->res.name, in->status, created);
		if (in->retention == 0)
			detail_line(in->d, 2, "Retention", "0 days: automated backups "
			    "are OFF, no point-in-time recovery");
		else
			detail_line(in->d, 2, "Retention", "%lld days  backup window %s  "
			    "latest restorable %s", in->retention, in->window, latest);
	}
	detail_draw(in->d, win, y, h, w);
}

static struct list *
instance_list(struct view *v)
{
	return ((struct instance *)v->data)->d->list;
}

static bool
instance_cancel(struct view *v)
{
	return detail_cancel(((struct instance *)v->data)->d);
}

static int
instance_key(struct view *v, enum ui_action a, int key)
{
	return detail_key(((struct instance *)v->data)->d, a);
}

const struct view_class view_instance = {
	.name = "instance",
	.keys = KM_DETAIL,
	.enter = instance_enter,
	.leave = instance_leave,
	.key = instance_key,
	.title = instance_title,
	.draw = instance_draw,
	.reload = instance_load,
	.list = instance_list,
	.cancel = instance_cancel,
	.hint = "R restore  b backup  Enter timeline at a point  / filter  "
	    ": palette  ? help  q back",
};
