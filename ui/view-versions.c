/* view-versions.c - every version and delete marker of one S3 key,
 * newest first, the latest marked: ListObjectVersions streamed page by
 * page into the list (a key with a million versions stays usable). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/restore.h"
#include "svc/s3.h"
#include "ui/ui-int.h"
#include "util/xalloc.h"

enum { V_LATEST, V_TYPE, V_MODIFIED, V_SIZE, V_ID, V_ETAG, V_STORAGE, V_RANK };

struct versions {
	struct view	*view;
	struct resource	 res;
	char		*uri;
	struct list	*list;
	struct load	 ld;
	size_t		 nversions, nmarkers;
	bool		 seen;		/* entries of our key have started */
	bool		 deleted;	/* the latest entry is a delete marker */
	bool		 have_latest;
};

static const struct list_column versions_cols[] = {
	{ "Latest", LIST_TEXT, 6, 0, LIST_COL_NOFILTER },
	{ "Type", LIST_TEXT, 13, 0, 0 },
	{ "Last modified", LIST_TIME, 0, 0, 0 },
	{ "Size", LIST_SIZE, 0, 0, 0 },
	{ "Version ID", LIST_TEXT, 0, 32, 0 },
	{ "ETag", LIST_TEXT, 0, 10, 0 },
	{ "Storage", LIST_TEXT, 12, 0, 0 },
	{ "Rank", LIST_INT, 0, 0, LIST_COL_HIDDEN },
};

static bool
versions_page(void *arg, const struct s3_versions_page *pg)
{
	struct versions *vs = arg;
	union list_value row[8];

	for (size_t i = 0; i < pg->n; i++) {
		const struct s3_version *e = &pg->entries[i];

		if (strcmp(e->key, vs->res.key) != 0) {
			/* Keys come sorted: ours is the first with its prefix,
			 * so another key after ours means we have them all. */
			if (vs->seen) {
				ui_dirty(vs->view->ui);
				return false;
			}
			continue;
		}
		vs->seen = true;
		row[V_LATEST].s = e->is_latest ? "latest" : "";
		row[V_TYPE].s = e->delete_marker ? "delete marker" : "version";
		row[V_MODIFIED].n = e->last_modified;
		row[V_SIZE].n = e->delete_marker ? -1 : e->size;
		row[V_ID].s = e->version_id;
		row[V_ETAG].s = e->etag;
		row[V_STORAGE].s = e->storage_class;
		row[V_RANK].n = e->is_latest;
		if (e->is_latest) {
			vs->have_latest = true;
			vs->deleted = e->delete_marker;
		}
		list_add(vs->list, row, e->delete_marker ? LIST_STYLE_DELETED :
		    e->is_latest ? LIST_STYLE_LATEST : LIST_STYLE_NORMAL);
		if (e->delete_marker)
			vs->nmarkers++;
		else
			vs->nversions++;
	}
	ui_dirty(vs->view->ui);
	return true;
}

static void
versions_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct versions *vs = arg;

	load_end(&vs->ld, r, err, pages);
	ui_dirty(vs->view->ui);
}

static void
versions_load(struct view *v)
{
	struct versions *vs = v->data;
	struct s3_list_versions_req req;

	load_cancel(&vs->ld);
	list_clear(vs->list);
	vs->nversions = vs->nmarkers = 0;
	vs->seen = false;
	vs->have_latest = vs->deleted = false;
	memset(&req, 0, sizeof req);
	req.bucket = vs->res.name;
	req.prefix = vs->res.key;
	load_begin(&vs->ld);
	load_started(&vs->ld, s3_list_object_versions(ui_client(v->ui), &req,
	    versions_page, versions_done, vs));
}

static void
versions_enter(struct view *v, const struct resource *res)
{
	struct versions *vs = xcalloc(1, sizeof *vs);

	v->data = vs;
	vs->view = v;
	resource_copy(&vs->res, res);
	if (vs->res.key == NULL)
		vs->res.key = xstrdup("");
	vs->uri = xasprintf("s3://%s/%s", vs->res.name, vs->res.key);
	ui_add_name(v->ui, vs->uri);
	vs->list = list_new(versions_cols, 8);
	/* Newest first. S3 sends that order already (then appending
	 * costs nothing); emulators may not. */
	list_set_sort(vs->list, V_MODIFIED, true);
	/* Times have a second's resolution: among equal ones the latest
	 * first, then S3's own order (newest first). */
	list_set_tiebreak(vs->list, V_RANK);
	versions_load(v);
}

static void
versions_leave(struct view *v)
{
	struct versions *vs = v->data;

	load_cancel(&vs->ld);
	list_free(vs->list);
	resource_free(&vs->res);
	free(vs->uri);
	free(vs);
}

static int
versions_key(struct view *v, enum ui_action a, int key)
{
	struct versions *vs = v->data;
	struct restore_request req;
	size_t	 row = list_selected(vs->list);

	switch (a) {
	case ACT_OPEN:
		/* The timeline of the key, the cursor on this entry. */
		ui_restore_timeline(v->ui, &vs->res, row != LIST_NONE ?
		    list_int(vs->list, row, V_MODIFIED) : SV_TIME_NONE,
		    row != LIST_NONE ? list_str(vs->list, row, V_ID) : NULL);
		return UI_HANDLED | UI_REDRAW;
	case ACT_RESTORE:
		if (row == LIST_NONE) {
			ui_restore_timeline(v->ui, &vs->res, SV_TIME_NONE, NULL);
			return UI_HANDLED | UI_REDRAW;
		}
		if (list_style(vs->list, row) == LIST_STYLE_DELETED) {
			ui_message(v->ui, true, "a delete marker cannot be restored: "
			    "select a version (or u removes the marker on top)");
			return UI_HANDLED | UI_REDRAW;
		}
		if (strcmp(list_str(vs->list, row, V_LATEST), "latest") == 0) {
			ui_message(v->ui, true, "this version is already the current "
			    "one: select an older version");
			return UI_HANDLED | UI_REDRAW;
		}
		restore_request_init(&req);
		req.uri = vs->uri;
		req.version = list_str(vs->list, row, V_ID);
		ui_restore_plan(v->ui, &req);
		return UI_HANDLED | UI_REDRAW;
	case ACT_UNDELETE:
		if (load_running(&vs->ld) && !vs->have_latest) {
			ui_message(v->ui, true, "still loading the versions: try again in "
			    "a moment");
			return UI_HANDLED | UI_REDRAW;
		}
		if (!vs->have_latest || !vs->deleted) {
			ui_message(v->ui, true, "%s is not deleted (its latest entry is a "
			    "version): nothing to undelete", vs->uri);
			return UI_HANDLED | UI_REDRAW;
		}
		restore_request_init(&req);
		req.uri = vs->uri;
		req.undelete = true;
		ui_restore_plan(v->ui, &req);
		return UI_HANDLED | UI_REDRAW;
	case ACT_BACKUP:
		ui_message(v->ui, true, "S3 keeps every version of a versioned key: "
		    "there is nothing to back up here");
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

static void
versions_title(struct view *v, char *buf, size_t bufsz)
{
	struct versions *vs = v->data;
	char	counts[128], filt[256] = "";

	snprintf(counts, sizeof counts, "%zu version%s%s", vs->nversions,
	    vs->nversions == 1 ? "" : "s", "");
	if (vs->nmarkers > 0)
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts),
		    ", %zu delete marker%s", vs->nmarkers, vs->nmarkers == 1 ? "" : "s");
	if (list_filter(vs->list)[0] != '\0')
		snprintf(filt, sizeof filt, "; %zu match /%s", list_shown(vs->list),
		    list_filter(vs->list));
	switch (vs->ld.state) {
	case LOAD_RUNNING:
		snprintf(buf, bufsz, "%s: %s so far (loading %s  Esc cancels)", vs->uri,
		    counts, ui_spinner(v->ui));
		break;
	case LOAD_FAILED:
		snprintf(buf, bufsz, "%s: %s (incomplete: %s)", vs->uri, counts,
		    vs->ld.err.code == SV_E_CANCELLED ? "cancelled" : vs->ld.err.msg);
		break;
	default:
		snprintf(buf, bufsz, "%s: %s%s", vs->uri, counts, filt);
		break;
	}
}

static void
versions_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct versions *vs = v->data;

	load_draw_list(v->ui, &vs->ld, vs->list, "no versions of this key (it never "
	    "existed, or every version was permanently deleted)", win, y, h, w);
}

static struct list *
versions_list(struct view *v)
{
	return ((struct versions *)v->data)->list;
}

static bool
versions_cancel(struct view *v)
{
	return load_cancel(&((struct versions *)v->data)->ld);
}

const struct view_class view_versions = {
	.name = "versions",
	.keys = KM_LIST,
	.enter = versions_enter,
	.leave = versions_leave,
	.key = versions_key,
	.title = versions_title,
	.draw = versions_draw,
	.reload = versions_load,
	.list = versions_list,
	.cancel = versions_cancel,
	.hint = "R restore this version  u undelete  Enter timeline  / filter  "
	    "? help  q back",
};
