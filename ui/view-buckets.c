/* view-buckets.c - S3 buckets (ListBuckets, by page), each with its
 * versioning state (GetBucketVersioning, a few at a time). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/s3.h"
#include "ui/ui-int.h"
#include "util/xalloc.h"

#define VERSIONING_INFLIGHT	6

enum { B_NAME, B_VERSIONING, B_CREATED, B_REGION };

struct buckets;

struct vslot {
	struct buckets	*b;
	size_t		 row;
	struct svc_op	*op;
	bool		 live;
};

struct buckets {
	struct view	*view;
	struct list	*list;
	struct load	 ld;
	size_t		 next_row;	/* next bucket to ask for its versioning */
	struct vslot	 slots[VERSIONING_INFLIGHT];
};

static const struct list_column buckets_cols[] = {
	{ "Bucket", LIST_TEXT, 0, 20, 0 },
	{ "Versioning", LIST_TEXT, 13, 0, 0 },
	{ "Created", LIST_TIME, 0, 0, 0 },
	{ "Region", LIST_TEXT, 14, 0, 0 },
};

static void	pump(struct buckets *);

static bool
versioning_cb(void *arg, const struct s3_versioning *v)
{
	struct vslot *s = arg;

	list_set_str(s->b->list, s->row, B_VERSIONING,
	    s3_versioning_status_str(v->status));
	if (v->status != S3_VERSIONING_ENABLED)
		list_set_style(s->b->list, s->row, LIST_STYLE_WARN);
	return true;
}

static void
versioning_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct vslot *s = arg;

	s->live = false;
	s->op = NULL;
	if (r != SV_OK && r != SV_E_CANCELLED)
		list_set_str(s->b->list, s->row, B_VERSIONING,
		    r == SV_E_DENIED ? "denied" : "?");
	ui_dirty(s->b->view->ui);
	if (r != SV_E_CANCELLED)
		pump(s->b);
}

static void
pump(struct buckets *b)
{
	for (int i = 0; i < VERSIONING_INFLIGHT; i++) {
		struct vslot *s = &b->slots[i];
		struct svc_op *op;

		if (s->live)
			continue;
		if (b->next_row >= list_rows(b->list))
			return;
		s->b = b;
		s->row = b->next_row++;
		s->live = true;
		op = s3_get_bucket_versioning(ui_client(b->view->ui),
		    list_str(b->list, s->row, B_NAME), versioning_cb, versioning_done, s);
		if (s->live)
			s->op = op;
	}
}

static void
cancel_versioning(struct buckets *b)
{
	for (int i = 0; i < VERSIONING_INFLIGHT; i++)
		if (b->slots[i].live && b->slots[i].op != NULL)
			svc_op_cancel(b->slots[i].op);
}

static bool
buckets_page(void *arg, const struct s3_buckets_page *p)
{
	struct buckets *b = arg;
	union list_value row[4];
	char	uri[1024];

	for (size_t i = 0; i < p->n; i++) {
		row[B_NAME].s = p->buckets[i].name;
		row[B_VERSIONING].s = "...";
		row[B_CREATED].n = p->buckets[i].created;
		row[B_REGION].s = p->buckets[i].region;
		list_add(b->list, row, LIST_STYLE_NORMAL);
		snprintf(uri, sizeof uri, "s3://%s/", p->buckets[i].name);
		ui_add_name(b->view->ui, uri);
	}
	pump(b);
	ui_dirty(b->view->ui);
	return true;
}

static void
buckets_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct buckets *b = arg;

	load_end(&b->ld, r, err, pages);
	ui_dirty(b->view->ui);
}

static void
buckets_load(struct view *v)
{
	struct buckets *b = v->data;

	load_cancel(&b->ld);
	cancel_versioning(b);
	list_clear(b->list);
	b->next_row = 0;
	load_begin(&b->ld);
	load_started(&b->ld, s3_list_buckets(ui_client(v->ui), NULL, buckets_page,
	    buckets_done, b));
}

static void
buckets_enter(struct view *v, const struct resource *res)
{
	struct buckets *b = xcalloc(1, sizeof *b);

	v->data = b;
	b->view = v;
	b->list = list_new(buckets_cols, 4);
	buckets_load(v);
}

static void
buckets_leave(struct view *v)
{
	struct buckets *b = v->data;

	load_cancel(&b->ld);
	cancel_versioning(b);
	list_free(b->list);
	free(b);
}

static int
buckets_key(struct view *v, enum ui_action a, int key)
{
	struct buckets *b = v->data;
	struct resource res;
	size_t	row;

	if (a != ACT_OPEN)
		return UI_IGNORED;
	if ((row = list_selected(b->list)) == LIST_NONE)
		return UI_HANDLED;
	memset(&res, 0, sizeof res);
	res.scheme = RES_S3;
	res.kind = RES_BUCKET;
	res.name = (char *)list_str(b->list, row, B_NAME);
	res.key = (char *)"";
	ui_push(v->ui, &view_prefix, &res);
	return UI_HANDLED | UI_REDRAW;
}

static void
buckets_title(struct view *v, char *buf, size_t bufsz)
{
	struct buckets *b = v->data;

	load_title(v->ui, &b->ld, b->list, "S3 buckets", "buckets", buf, bufsz);
}

static void
buckets_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct buckets *b = v->data;

	load_draw_list(v->ui, &b->ld, b->list, "no S3 buckets", win, y, h, w);
}

static struct list *
buckets_list(struct view *v)
{
	return ((struct buckets *)v->data)->list;
}

static bool
buckets_cancel(struct view *v)
{
	struct buckets *b = v->data;
	bool	any = load_cancel(&b->ld);

	cancel_versioning(b);
	return any;
}

const struct view_class view_buckets = {
	.name = "buckets",
	.keys = KM_LIST,
	.enter = buckets_enter,
	.leave = buckets_leave,
	.key = buckets_key,
	.title = buckets_title,
	.draw = buckets_draw,
	.reload = buckets_load,
	.list = buckets_list,
	.cancel = buckets_cancel,
};
