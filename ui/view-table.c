/* view-table.c - one DynamoDB table: status, key schema, billing, the
 * PITR window, backups (user, system, AWS Backup) newest first and the
 * timeline of both. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/dynamodb.h"
#include "ui/detail.h"
#include "ui/fmt.h"
#include "util/str.h"
#include "util/xalloc.h"

struct table {
	struct detail	*d;
	char		*status;
	sv_time		 created;
};

static bool
table_cb(void *arg, const struct ddb_table *t)
{
	struct detail *d = arg;
	struct table *tb = d->view->data;
	char	keys[512] = "", size[32], part[160];

	free(tb->status);
	tb->status = xstrdup(t->status != NULL ? t->status : "?");
	tb->created = t->created;
	for (size_t i = 0; i < t->n_keys; i++) {
		snprintf(part, sizeof part, "%s%s %s%s%s%s", i > 0 ? ", " : "",
		    t->keys[i].attr, t->keys[i].key_type,
		    t->keys[i].attr_type != NULL ? " (" : "",
		    t->keys[i].attr_type != NULL ? t->keys[i].attr_type : "",
		    t->keys[i].attr_type != NULL ? ")" : "");
		strncat(keys, part, sizeof keys - strlen(keys) - 1);
	}
	detail_line(d, 1, "Keys", "%s%s", keys[0] != '\0' ? keys : "?",
	    t->n_gsis + t->n_lsis > 0 ? "  (+ indexes)" : "");
	if (t->size_bytes >= 0)
		str_human_size(size, sizeof size, t->size_bytes);
	else
		str_lcpy(size, "?", sizeof size);
	if (t->rcu >= 0 && t->billing_mode != NULL &&
	    strcmp(t->billing_mode, "PROVISIONED") == 0)
		detail_line(d, 2, "Billing", "PROVISIONED (%lld RCU, %lld WCU)  "
		    "items ~%lld  size %s", t->rcu, t->wcu, t->item_count, size);
	else
		detail_line(d, 2, "Billing", "%s  items ~%lld  size %s",
		    t->billing_mode != NULL ? t->billing_mode : "?", t->item_count, size);
	detail_line(d, 3, "Settings", "deletion protection %s  stream %s  "
	    "encryption %s%s%s",
	    t->deletion_protection ? "on" : "off",
	    t->stream_enabled && t->stream_view_type != NULL ? t->stream_view_type : "off",
	    t->sse_type != NULL ? t->sse_type : "AWS owned key",
	    t->restored ? "  restored" : "",
	    t->restore_in_progress ? " (restore in progress)" : "");
	return true;
}

static void
table_load(struct view *v)
{
	struct table *tb = v->data;
	struct detail *d = tb->d;

	load_cancel(&d->info);
	load_begin(&d->info);
	load_started(&d->info, ddb_describe_table(ui_client(v->ui), d->res.name,
	    table_cb, detail_info_done, d));
	detail_load_points(d);
}

static void
table_enter(struct view *v, const struct resource *res)
{
	struct table *tb = xcalloc(1, sizeof *tb);
	char	uri[512];

	v->data = tb;
	tb->created = SV_TIME_NONE;
	tb->d = detail_new(v, res, "DynamoDB table", "backups");
	snprintf(uri, sizeof uri, "dynamodb://%s", res->name);
	ui_add_name(v->ui, uri);
	table_load(v);
}

static void
table_leave(struct view *v)
{
	struct table *tb = v->data;

	detail_free(tb->d);
	free(tb->status);
	free(tb);
}

static void
table_title(struct view *v, char *buf, size_t bufsz)
{
	detail_title(((struct table *)v->data)->d, buf, bufsz);
}

static void
table_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct table *tb = v->data;
	char	created[64];

	if (tb->status != NULL) {
		ui_time_format(tb->created, created, sizeof created);
		detail_line(tb->d, 0, "Table", "%s  status %s  created %s",
		    tb->d->res.name, tb->status, created);
	}
	detail_draw(tb->d, win, y, h, w);
}

static struct list *
table_list(struct view *v)
{
	return ((struct table *)v->data)->d->list;
}

static bool
table_cancel(struct view *v)
{
	return detail_cancel(((struct table *)v->data)->d);
}

static int
table_key(struct view *v, enum ui_action a, int key)
{
	return detail_key(((struct table *)v->data)->d, a);
}

const struct view_class view_table = {
	.name = "table",
	.keys = KM_DETAIL,
	.enter = table_enter,
	.leave = table_leave,
	.key = table_key,
	.title = table_title,
	.draw = table_draw,
	.reload = table_load,
	.list = table_list,
	.cancel = table_cancel,
	.hint = "R restore  b backup  Enter timeline at a point  / filter  "
	    ": palette  ? help  q back",
};
