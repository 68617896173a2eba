/* view-home.c - the home screen: what salvage can browse (DynamoDB
 * tables, RDS instances, Aurora clusters, S3 buckets, AWS Backup vaults)
 * with counts as they load, who we are signed in as, and the most useful
 * keys. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/backup.h"
#include "svc/dynamodb.h"
#include "svc/rds.h"
#include "svc/s3.h"
#include "ui/ui-int.h"
#include "util/xalloc.h"

enum { H_TABLES, H_INSTANCES, H_CLUSTERS, H_BUCKETS, H_VAULTS, H__COUNT };

struct home;

struct home_src {
	struct home	*home;
	int		 idx;
	struct load	 ld;
	long long	 count;
};

struct home {
	struct view	*view;
	struct list	*list;
	struct home_src	 src[H__COUNT];
	bool		 started;
};

static const struct {
	const char		*what;
	const char		*cmd;
	const struct view_class	*cls;
} home_rows[H__COUNT] = {
	{ "DynamoDB tables", ":tables", &view_tables },
	{ "RDS DB instances", ":instances", &view_instances },
	{ "Aurora DB clusters", ":clusters", &view_clusters },
	{ "S3 buckets", ":buckets", &view_buckets },
	{ "AWS Backup vaults", ":vaults", &view_vaults },
};

static const struct list_column home_cols[] = {
	{ "Browse", LIST_TEXT, 22, 0, 0 },
	{ "Count", LIST_TEXT, 9, 0, LIST_COL_RIGHT },
	{ "Palette", LIST_TEXT, 11, 0, LIST_COL_NOFILTER },
	{ "Status", LIST_TEXT, 0, 10, LIST_COL_NOFILTER },
};

static void
update_row(struct home_src *s)
{
	struct home *h = s->home;
	char	count[32], status[SV_ERR_MSG_MAX + 16];

	snprintf(count, sizeof count, "%lld", s->count);
	switch (s->ld.state) {
	case LOAD_RUNNING:
		snprintf(status, sizeof status, "loading");
		break;
	case LOAD_FAILED:
		snprintf(status, sizeof status, "incomplete: %s", s->ld.err.msg);
		break;
	default:
		status[0] = '\0';
		break;
	}
	list_set_str(h->list, (size_t)s->idx, 1,
	    s->ld.state == LOAD_RUNNING && s->count == 0 ? "..." : count);
	list_set_str(h->list, (size_t)s->idx, 3, status);
	list_set_style(h->list, (size_t)s->idx,
	    s->ld.state == LOAD_FAILED ? LIST_STYLE_WARN : LIST_STYLE_NORMAL);
	ui_dirty(h->view->ui);
}

static void
src_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct home_src *s = arg;

	load_end(&s->ld, r, err, pages);
	update_row(s);
}

static bool
tables_page(void *arg, const struct ddb_tables_page *p)
{
	struct home_src *s = arg;
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		snprintf(uri, sizeof uri, "dynamodb://%s", p->names[i]);
		ui_add_name(s->home->view->ui, uri);
	}
	s->count += (long long)p->n;
	update_row(s);
	return true;
}

static bool
instances_page(void *arg, const struct rds_instances_page *p)
{
	struct home_src *s = arg;
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		snprintf(uri, sizeof uri, "rds://%s", p->v[i].id);
		ui_add_name(s->home->view->ui, uri);
	}
	s->count += (long long)p->n;
	update_row(s);
	return true;
}

static bool
clusters_page(void *arg, const struct rds_clusters_page *p)
{
	struct home_src *s = arg;
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		snprintf(uri, sizeof uri, "rds-cluster://%s", p->v[i].id);
		ui_add_name(s->home->view->ui, uri);
	}
	s->count += (long long)p->n;
	update_row(s);
	return true;
}

static bool
buckets_page(void *arg, const struct s3_buckets_page *p)
{
	struct home_src *s = arg;
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		snprintf(uri, sizeof uri, "s3://%s/", p->buckets[i].name);
		ui_add_name(s->home->view->ui, uri);
	}
	s->count += (long long)p->n;
	update_row(s);
	return true;
}

static bool
vaults_page(void *arg, const struct backup_vaults_page *p)
{
	struct home_src *s = arg;
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		snprintf(uri, sizeof uri, "backup://%s", p->v[i].name);
		ui_add_name(s->home->view->ui, uri);
	}
	s->count += (long long)p->n;
	update_row(s);
	return true;
}

static void
home_load(struct home *h)
{
	struct aws_client *c = ui_client(h->view->ui);
	struct svc_op *op;

	if (c == NULL || ui_identity(h->view->ui, NULL, NULL) == UI_ID_FAILED)
		return;
	h->started = true;
	for (int i = 0; i < H__COUNT; i++) {
		struct home_src *s = &h->src[i];

		load_cancel(&s->ld);
		s->count = 0;
		load_begin(&s->ld);
		update_row(s);
		switch (i) {
		case H_TABLES:
			op = ddb_list_tables(c, NULL, tables_page, src_done, s);
			break;
		case H_INSTANCES:
			op = rds_describe_db_instances(c, NULL, instances_page,
			    src_done, s);
			break;
		case H_CLUSTERS:
			op = rds_describe_db_clusters(c, NULL, clusters_page,
			    src_done, s);
			break;
		case H_BUCKETS:
			op = s3_list_buckets(c, NULL, buckets_page, src_done, s);
			break;
		default:
			op = backup_list_vaults(c, vaults_page, src_done, s);
			break;
		}
		load_started(&s->ld, op);
	}
}

static void
home_enter(struct view *v, const struct resource *res)
{
	struct home *h = xcalloc(1, sizeof *h);
	union list_value row[4];

	v->data = h;
	h->view = v;
	h->list = list_new(home_cols, 4);
	for (int i = 0; i < H__COUNT; i++) {
		h->src[i].home = h;
		h->src[i].idx = i;
		row[0].s = home_rows[i].what;
		row[1].s = "";
		row[2].s = home_rows[i].cmd;
		row[3].s = "";
		list_add(h->list, row, LIST_STYLE_NORMAL);
	}
	home_load(h);
}

static void
home_leave(struct view *v)
{
	struct home *h = v->data;

	for (int i = 0; i < H__COUNT; i++)
		load_cancel(&h->src[i].ld);
	list_free(h->list);
	free(h);
}

static int
home_key(struct view *v, enum ui_action a, int key)
{
	struct home *h = v->data;
	size_t	row;

	switch (a) {
	case ACT_OPEN:
		if (ui_identity(v->ui, NULL, NULL) == UI_ID_FAILED)
			return UI_HANDLED;
		row = list_selected(h->list);
		if (row != LIST_NONE && row < H__COUNT)
			ui_push(v->ui, home_rows[row].cls, NULL);
		return UI_HANDLED | UI_REDRAW;
	case ACT_REFRESH:
		if (ui_identity(v->ui, NULL, NULL) == UI_ID_FAILED || ui_client(v->ui) == NULL)
			ui_reconnect(v->ui);
		else
			home_load(h);
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

static void
home_title(struct view *v, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "Home: what salvage can browse");
}

static void
home_draw(struct view *v, WINDOW *win, int y, int hgt, int w)
{
	struct home *h = v->data;
	const struct sv_err *err;
	const char *arn;
	enum ui_identity id = ui_identity(v->ui, &arn, &err);
	char	 line[SV_ERR_MSG_MAX + 128];
	int	 used;

	if (id == UI_ID_FAILED) {
		snprintf(line, sizeof line, "Cannot connect to AWS: %s", err->msg);
		used = ui_draw_text(win, y + 1, 2, hgt - 8, w - 4, ui_attr(UC_ERROR), line);
		ui_draw_text(win, y + 2 + used, 2, 6, w - 4, A_NORMAL,
		    "Check the credentials (AWS_ACCESS_KEY_ID / AWS_PROFILE / "
		    "~/.aws/credentials) and the region.\n"
		    "r retries   :profile NAME switches profile   :region NAME "
		    "switches region   q quits");
		return;
	}
	wmove(win, y, 1);
	if (id == UI_ID_OK)
		snprintf(line, sizeof line, "Signed in as %s", arn);
	else
		snprintf(line, sizeof line, "Checking who we are signed in as %s",
		    ui_spinner(v->ui));
	list_put_cell(win, line, w - 2, false, ui_attr(UC_DIM), 0, 0, 0);
	list_draw(h->list, win, y + 2, 1, H__COUNT + 1 < hgt - 2 ? H__COUNT + 1 : hgt - 2,
	    w - 2);
	if (hgt > H__COUNT + 6)
		ui_draw_text(win, y + H__COUNT + 4, 2, hgt - H__COUNT - 4, w - 4, A_NORMAL,
		    "Enter opens the selected line.  Most useful keys:\n"
		    "  ?  help (every key)     :  palette (:open dynamodb://TABLE, "
		    ":buckets ...)\n"
		    "  /  filter               t  times in UTC or local time\n"
		    "  r  refresh              q  back (here: quit)");
}

static struct list *
home_list(struct view *v)
{
	return ((struct home *)v->data)->list;
}

const struct view_class view_home = {
	.name = "home",
	.keys = KM_HOME,
	.enter = home_enter,
	.leave = home_leave,
	.key = home_key,
	.title = home_title,
	.draw = home_draw,
	.list = home_list,
};
