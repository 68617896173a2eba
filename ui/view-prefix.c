/* view-prefix.c - one level of an S3 bucket: common prefixes as
 * folders, and each object with its latest state, from
 * ListObjectVersions with delimiter '/' (so that an object whose latest
 * version is a delete marker shows, marked DELETED). R restores the
 * prefix shown: a time is typed (core/timespec.h, echoed in UTC and
 * local time), then view_plan shows the per-key plan (s3-prefix; the
 * dry run) before anything is sent. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/restore.h"
#include "core/timespec.h"
#include "svc/s3.h"
#include "ui/prompt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/xalloc.h"

enum { P_NAME, P_STATE, P_VERSIONS, P_SIZE, P_MODIFIED, P_KEY };

struct prefix {
	struct view	*view;
	struct resource	 res;		/* bucket, key = the prefix */
	char		*uri;
	struct list	*list;
	struct load	 ld;
	size_t		 folders, objects, deleted;
	/* key -> object row, for the versions of a key that come apart
	 * (S3 lists them together; emulators list delete markers after
	 * every version). Open addressing over row indexes + 1. */
	size_t		*slots;
	size_t		 nslots;
};

static const struct list_column prefix_cols[] = {
	{ "Name", LIST_TEXT, 0, 16, 0 },
	{ "State", LIST_TEXT, 8, 0, 0 },
	{ "Versions", LIST_INT, 8, 0, 0 },
	{ "Size", LIST_SIZE, 0, 0, 0 },
	{ "Last modified", LIST_TIME, 0, 0, 0 },
	{ "Key", LIST_TEXT, 0, 0, LIST_COL_HIDDEN },
};

static uint64_t
hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t
find_row(struct prefix *p, const char *key)
{
	size_t	i;

	if (p->nslots == 0)
		return LIST_NONE;
	for (i = hash_key(key) & (p->nslots - 1); p->slots[i] != 0;
	    i = (i + 1) & (p->nslots - 1))
		if (strcmp(list_str(p->list, p->slots[i] - 1, P_KEY), key) == 0)
			return p->slots[i] - 1;
	return LIST_NONE;
}

static void
remember_row(struct prefix *p, size_t row)
{
	size_t	i;

	if ((p->objects + 1) * 2 > p->nslots) {
		size_t	 old = p->nslots, *olds = p->slots;

		p->nslots = old == 0 ? 64 : old * 2;
		p->slots = xcalloc(p->nslots, sizeof *p->slots);
		for (size_t k = 0; k < old; k++) {
			if (olds[k] == 0)
				continue;
			i = hash_key(list_str(p->list, olds[k] - 1, P_KEY)) & (p->nslots - 1);
			while (p->slots[i] != 0)
				i = (i + 1) & (p->nslots - 1);
			p->slots[i] = olds[k];
		}
		free(olds);
	}
	i = hash_key(list_str(p->list, row, P_KEY)) & (p->nslots - 1);
	while (p->slots[i] != 0)
		i = (i + 1) & (p->nslots - 1);
	p->slots[i] = row + 1;
}

static const char *
relative(const struct prefix *p, const char *key)
{
	size_t	n = strlen(p->res.key);

	return strncmp(key, p->res.key, n) == 0 ? key + n : key;
}

static void
set_latest(struct prefix *p, size_t row, const struct s3_version *e)
{
	bool	was_deleted = list_style(p->list, row) == LIST_STYLE_DELETED;

	list_set_str(p->list, row, P_STATE, e->delete_marker ? "DELETED" : "");
	list_set_int(p->list, row, P_SIZE, e->delete_marker ? -1 : e->size);
	list_set_int(p->list, row, P_MODIFIED, e->last_modified);
	list_set_style(p->list, row, e->delete_marker ? LIST_STYLE_DELETED :
	    LIST_STYLE_NORMAL);
	if (e->delete_marker && !was_deleted)
		p->deleted++;
	else if (!e->delete_marker && was_deleted)
		p->deleted--;
}

static bool
prefix_page(void *arg, const struct s3_versions_page *pg)
{
	struct prefix *p = arg;
	union list_value row[6];
	char	*name;

	for (size_t i = 0; i < pg->n; i++) {
		const struct s3_version *e = &pg->entries[i];
		size_t	 r = find_row(p, e->key);

		if (r != LIST_NONE) {
			list_set_int(p->list, r, P_VERSIONS,
			    list_int(p->list, r, P_VERSIONS) + 1);
			if (e->is_latest)
				set_latest(p, r, e);
			continue;
		}
		row[P_NAME].s = relative(p, e->key);
		row[P_STATE].s = "";
		row[P_VERSIONS].n = 1;
		row[P_SIZE].n = -1;
		row[P_MODIFIED].n = SV_TIME_NONE;
		row[P_KEY].s = e->key;
		r = list_add(p->list, row, LIST_STYLE_NORMAL);
		remember_row(p, r);
		p->objects++;
		/* Until the latest turns up, the first entry seen stands. */
		set_latest(p, r, e);
	}
	for (size_t i = 0; i < pg->n_prefixes; i++) {
		name = xasprintf("%s", relative(p, pg->prefixes[i]));
		row[P_NAME].s = name;
		row[P_STATE].s = "folder";
		row[P_VERSIONS].n = INT64_MIN;
		row[P_SIZE].n = -1;
		row[P_MODIFIED].n = SV_TIME_NONE;
		row[P_KEY].s = pg->prefixes[i];
		list_add(p->list, row, LIST_STYLE_FOLDER);
		p->folders++;
		free(name);
	}
	ui_dirty(p->view->ui);
	return true;
}

static void
prefix_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct prefix *p = arg;

	load_end(&p->ld, r, err, pages);
	ui_dirty(p->view->ui);
}

static void
prefix_load(struct view *v)
{
	struct prefix *p = v->data;
	struct s3_list_versions_req req;

	load_cancel(&p->ld);
	list_clear(p->list);
	p->folders = p->objects = p->deleted = 0;
	xfree(p->slots);
	p->nslots = 0;
	memset(&req, 0, sizeof req);
	req.bucket = p->res.name;
	req.prefix = p->res.key[0] != '\0' ? p->res.key : NULL;
	req.delimiter = "/";
	load_begin(&p->ld);
	load_started(&p->ld, s3_list_object_versions(ui_client(v->ui), &req,
	    prefix_page, prefix_done, p));
}

static void
prefix_enter(struct view *v, const struct resource *res)
{
	struct prefix *p = xcalloc(1, sizeof *p);

	v->data = p;
	p->view = v;
	resource_copy(&p->res, res);
	if (p->res.key == NULL)
		p->res.key = xstrdup("");
	p->uri = xasprintf("s3://%s/%s", p->res.name, p->res.key);
	ui_add_name(v->ui, p->uri);
	p->list = list_new(prefix_cols, 6);
	list_set_sort(p->list, P_NAME, false);
	prefix_load(v);
}

/* ---- R: the prefix back to a typed time ---- */

/* The view whose time prompt is open (cleared when it goes). */
static struct prefix *prompt_pfx;

static void
time_done(void *arg, const char *line)
{
	struct prefix *p = prompt_pfx;
	struct restore_request req;
	struct timespec_value tv;
	struct sv_err	 err;
	char		 echo[256];

	prompt_pfx = NULL;
	if (p == NULL)
		return;
	if (line == NULL || *str_trim((char *)line) == '\0') {
		ui_message(p->view->ui, false, "restore cancelled: nothing was planned");
		return;
	}
	sv_err_init(&err);
	if (timespec_parse(line, sv_time_now(), &tv, &err) != SV_OK) {
		ui_message(p->view->ui, true, "%s", err.msg);
		return;
	}
	if (tv.form == TIMESPEC_LATEST) {
		ui_message(p->view->ui, true, "refused: a prefix goes back to a time in "
		    "the past (\"latest\" is now: nothing would change); type a time "
		    "such as -15m or an ISO-8601 time");
		return;
	}
	timespec_echo(&tv, echo, sizeof echo);
	if (tv.t > sv_time_now()) {
		ui_message(p->view->ui, true, "refused: %s is in the future", echo);
		return;
	}
	restore_request_init(&req);
	req.uri = p->uri;
	req.to = tv.t;
	ui_message(p->view->ui, false, "time: %s", echo);
	ui_restore_plan(p->view->ui, &req);	/* the per-key plan: the dry run */
}

static const struct prompt_ops time_ops = { NULL, time_done, NULL };

static void
restore_begin(struct prefix *p)
{
	char	*q;

	prompt_pfx = p;
	q = xasprintf("restore every key under %s to (2026-11-20T14:30:00Z, "
	    "+01:00, local, -15m): ", p->uri);
	prompt_open(PROMPT_TIME, q, NULL, &time_ops, NULL);
	free(q);
}

static void
prefix_leave(struct view *v)
{
	struct prefix *p = v->data;

	if (prompt_pfx == p) {
		prompt_pfx = NULL;
		if (prompt_active())
			prompt_cancel();
	}
	load_cancel(&p->ld);
	list_free(p->list);
	resource_free(&p->res);
	free(p->uri);
	free(p->slots);
	free(p);
}

static int
prefix_key(struct view *v, enum ui_action a, int key)
{
	struct prefix *p = v->data;
	struct resource res;
	size_t	row;

	if (a == ACT_RESTORE) {
		restore_begin(p);
		return UI_HANDLED | UI_REDRAW;
	}
	if (a != ACT_OPEN)
		return UI_IGNORED;
	if ((row = list_selected(p->list)) == LIST_NONE)
		return UI_HANDLED;
	memset(&res, 0, sizeof res);
	res.scheme = RES_S3;
	res.name = p->res.name;
	res.key = (char *)list_str(p->list, row, P_KEY);
	res.kind = list_style(p->list, row) == LIST_STYLE_FOLDER ? RES_PREFIX :
	    RES_OBJECT;
	ui_push(v->ui, res.kind == RES_PREFIX ? &view_prefix : &view_versions, &res);
	return UI_HANDLED | UI_REDRAW;
}

static void
prefix_title(struct view *v, char *buf, size_t bufsz)
{
	struct prefix *p = v->data;
	char	counts[128], f[48], o[48], filt[256] = "", del[64] = "";

	snprintf(counts, sizeof counts, "%s, %s", ui_count(f, sizeof f, p->folders,
	    "folders"), ui_count(o, sizeof o, p->objects, "objects"));
	if (list_filter(p->list)[0] != '\0')
		snprintf(filt, sizeof filt, "; %zu match /%s", list_shown(p->list),
		    list_filter(p->list));
	if (p->deleted > 0)
		snprintf(del, sizeof del, ", %zu deleted", p->deleted);
	switch (p->ld.state) {
	case LOAD_RUNNING:
		snprintf(buf, bufsz, "%s (%s%s so far, loading %s  Esc cancels)",
		    p->uri, counts, del, ui_spinner(v->ui));
		break;
	case LOAD_FAILED:
		snprintf(buf, bufsz, "%s (%s; incomplete: %s)", p->uri, counts,
		    p->ld.err.code == SV_E_CANCELLED ? "cancelled" : p->ld.err.msg);
		break;
	default:
		snprintf(buf, bufsz, "%s (%s%s%s)", p->uri, counts, del, filt);
		break;
	}
}

static void
prefix_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct prefix *p = v->data;

	load_draw_list(v->ui, &p->ld, p->list, "nothing here (no objects, no "
	    "versions, no delete markers)", win, y, h, w);
}

static struct list *
prefix_list(struct view *v)
{
	return ((struct prefix *)v->data)->list;
}

static bool
prefix_cancel(struct view *v)
{
	return load_cancel(&((struct prefix *)v->data)->ld);
}

const struct view_class view_prefix = {
	.name = "prefix",
	.keys = KM_LIST,
	.enter = prefix_enter,
	.leave = prefix_leave,
	.key = prefix_key,
	.title = prefix_title,
	.draw = prefix_draw,
	.reload = prefix_load,
	.list = prefix_list,
	.cancel = prefix_cancel,
	.hint = "Enter open  R restore the prefix to a time  / filter  : palette  "
	    "? help  t UTC/local  r refresh  q back",
};
