/* view-instances.c - RDS DB instances (DescribeDBInstances, by page). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds.h"
#include "ui/ui-int.h"
#include "util/xalloc.h"

struct instances {
	struct view	*view;
	struct list	*list;
	struct load	 ld;
};

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
	struct instances *t = arg;
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
		list_add(t->list, row, in->backup_retention == 0 ?
		    LIST_STYLE_WARN : LIST_STYLE_NORMAL);
		snprintf(uri, sizeof uri, "rds://%s", in->id);
		ui_add_name(t->view->ui, uri);
	}
	ui_dirty(t->view->ui);
	return true;
}

static void
instances_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct instances *t = arg;

	load_end(&t->ld, r, err, pages);
	ui_dirty(t->view->ui);
}

static void
instances_load(struct view *v)
{
	struct instances *t = v->data;

	load_cancel(&t->ld);
	list_clear(t->list);
	load_begin(&t->ld);
	load_started(&t->ld, rds_describe_db_instances(ui_client(v->ui), NULL,
	    instances_page, instances_done, t));
}

static void
instances_enter(struct view *v, const struct resource *res)
{
	struct instances *t = xcalloc(1, sizeof *t);

	v->data = t;
	t->view = v;
	t->list = list_new(instances_cols, 7);
	instances_load(v);
}

static void
instances_leave(struct view *v)
{
	struct instances *t = v->data;

	load_cancel(&t->ld);
	list_free(t->list);
	free(t);
}

static int
instances_key(struct view *v, enum ui_action a, int key)
{
	struct instances *t = v->data;
	struct resource res;
	size_t	row;

	if (a != ACT_OPEN && a != ACT_BACKUP && a != ACT_RESTORE)
		return UI_IGNORED;
	if ((row = list_selected(t->list)) == LIST_NONE)
		return UI_HANDLED;
	memset(&res, 0, sizeof res);
	res.scheme = RES_RDS;
	res.kind = RES_INSTANCE;
	res.name = (char *)list_str(t->list, row, 0);
	if (a == ACT_BACKUP)
		ui_backup_begin(v->ui, &res);
	else if (a == ACT_RESTORE)
		ui_restore_timeline(v->ui, &res, SV_TIME_NONE, NULL);
	else
		ui_push(v->ui, &view_instance, &res);
	return UI_HANDLED | UI_REDRAW;
}

static void
instances_title(struct view *v, char *buf, size_t bufsz)
{
	struct instances *t = v->data;

	load_title(v->ui, &t->ld, t->list, "RDS DB instances", "instances", buf, bufsz);
}

static void
instances_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct instances *t = v->data;

	load_draw_list(v->ui, &t->ld, t->list, "no RDS DB instances in this region",
	    win, y, h, w);
}

static struct list *
instances_list(struct view *v)
{
	return ((struct instances *)v->data)->list;
}

static bool
instances_cancel(struct view *v)
{
	return load_cancel(&((struct instances *)v->data)->ld);
}

const struct view_class view_instances = {
	.name = "instances",
	.keys = KM_LIST,
	.enter = instances_enter,
	.leave = instances_leave,
	.key = instances_key,
	.title = instances_title,
	.draw = instances_draw,
	.reload = instances_load,
	.list = instances_list,
	.cancel = instances_cancel,
	.hint = "Enter open  R restore  b backup  / filter  : palette  ? help  "
	    "r refresh  q back",
};
