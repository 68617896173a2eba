/* view-tables.c - DynamoDB tables, loaded page by page (ListTables). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/dynamodb.h"
#include "ui/ui-int.h"
#include "util/xalloc.h"

struct tables {
	struct view	*view;
	struct list	*list;
	struct load	 ld;
};

static const struct list_column tables_cols[] = {
	{ "Table", LIST_TEXT, 0, 20, 0 },
	{ "URI", LIST_TEXT, 0, 20, LIST_COL_NOFILTER },
};

static bool
tables_page(void *arg, const struct ddb_tables_page *p)
{
	struct tables *t = arg;
	union list_value row[2];
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		snprintf(uri, sizeof uri, "dynamodb://%s", p->names[i]);
		row[0].s = p->names[i];
		row[1].s = uri;
		list_add(t->list, row, LIST_STYLE_NORMAL);
		ui_add_name(t->view->ui, uri);
	}
	ui_dirty(t->view->ui);
	return true;
}

static void
tables_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct tables *t = arg;

	load_end(&t->ld, r, err, pages);
	ui_dirty(t->view->ui);
}

static void
tables_load(struct view *v)
{
	struct tables *t = v->data;

	load_cancel(&t->ld);
	list_clear(t->list);
	load_begin(&t->ld);
	load_started(&t->ld, ddb_list_tables(ui_client(v->ui), NULL, tables_page,
	    tables_done, t));
}

static void
tables_enter(struct view *v, const struct resource *res)
{
	struct tables *t = xcalloc(1, sizeof *t);

	v->data = t;
	t->view = v;
	t->list = list_new(tables_cols, 2);
	tables_load(v);
}

static void
tables_leave(struct view *v)
{
	struct tables *t = v->data;

	load_cancel(&t->ld);
	list_free(t->list);
	free(t);
}

static int
tables_key(struct view *v, enum ui_action a, int key)
{
	struct tables *t = v->data;
	struct resource res;
	size_t	row;

	if (a != ACT_OPEN && a != ACT_BACKUP && a != ACT_RESTORE)
		return UI_IGNORED;
	if ((row = list_selected(t->list)) == LIST_NONE)
		return UI_HANDLED;
	memset(&res, 0, sizeof res);
	res.scheme = RES_DYNAMODB;
	res.kind = RES_TABLE;
	res.name = (char *)list_str(t->list, row, 0);
	if (a == ACT_BACKUP)
		ui_backup_begin(v->ui, &res);
	else if (a == ACT_RESTORE)
		ui_restore_timeline(v->ui, &res, SV_TIME_NONE, NULL);
	else
		ui_push(v->ui, &view_table, &res);
	return UI_HANDLED | UI_REDRAW;
}

static void
tables_title(struct view *v, char *buf, size_t bufsz)
{
	struct tables *t = v->data;

	load_title(v->ui, &t->ld, t->list, "DynamoDB tables", "tables", buf, bufsz);
}

static void
tables_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct tables *t = v->data;

	load_draw_list(v->ui, &t->ld, t->list, "no DynamoDB tables in this region",
	    win, y, h, w);
}

static struct list *
tables_list(struct view *v)
{
	return ((struct tables *)v->data)->list;
}

static bool
tables_cancel(struct view *v)
{
	return load_cancel(&((struct tables *)v->data)->ld);
}

const struct view_class view_tables = {
	.name = "tables",
	.keys = KM_LIST,
	.enter = tables_enter,
	.leave = tables_leave,
	.key = tables_key,
	.title = tables_title,
	.draw = tables_draw,
	.reload = tables_load,
	.list = tables_list,
	.cancel = tables_cancel,
	.hint = "Enter open  R restore  b backup  / filter  : palette  ? help  "
	    "r refresh  q back",
};
