/* reslist.c - the shared lists of resources (see reslist.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ui/reslist.h"
#include "util/xalloc.h"

struct reslist {
	const struct reslist_class *cls;
	struct view		*view;
	struct list		*list;
	struct load		 ld;
	char			*parent;	/* the resource's name, or NULL */
	char			*title;		/* "Recovery points in backup://v" */
};

void
reslist_add(struct reslist *rl, const union list_value *row, enum list_style style,
    const char *uri)
{
	list_add(rl->list, row, style);
	if (uri != NULL)
		ui_add_name(rl->view->ui, uri);
	ui_dirty(rl->view->ui);
}

void
reslist_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct reslist	*rl = arg;

	load_end(&rl->ld, r, err, pages);
	ui_dirty(rl->view->ui);
}

void
reslist_reload(struct view *v)
{
	struct reslist	*rl = v->data;

	load_cancel(&rl->ld);
	list_clear(rl->list);
	load_begin(&rl->ld);
	load_started(&rl->ld, rl->cls->start(rl, ui_client(v->ui), rl->parent));
}

void
reslist_enter(struct view *v, const struct reslist_class *cls,
    const struct resource *res)
{
	struct reslist	*rl = xcalloc(1, sizeof *rl);

	v->data = rl;
	rl->cls = cls;
	if (res != NULL && res->name != NULL) {
		char	*uri = resource_uri(res);

		rl->parent = xstrdup(res->name);
		rl->title = xasprintf("%s in %s", cls->title, uri);
		free(uri);
	}
	rl->view = v;
	rl->list = list_new(cls->cols, cls->ncols);
	reslist_reload(v);
}

void
reslist_leave(struct view *v)
{
	struct reslist	*rl = v->data;

	load_cancel(&rl->ld);
	list_free(rl->list);
	free(rl->parent);
	free(rl->title);
	free(rl);
}

int
reslist_key(struct view *v, enum ui_action a, int key)
{
	struct reslist	*rl = v->data;
	struct resource	 res;
	size_t		 row;

	(void)key;
	if (a != ACT_OPEN && a != ACT_BACKUP && a != ACT_RESTORE)
		return UI_IGNORED;
	if ((row = list_selected(rl->list)) == LIST_NONE)
		return UI_HANDLED;
	if (a == ACT_OPEN && rl->cls->open != NULL) {
		rl->cls->open(v, rl->list, row);
		return UI_HANDLED | UI_REDRAW;
	}
	if (a == ACT_RESTORE && rl->cls->restore != NULL) {
		rl->cls->restore(v, rl->list, row);
		return UI_HANDLED | UI_REDRAW;
	}
	if (rl->cls->browse_only != NULL &&
	    (a != ACT_OPEN || rl->cls->detail == NULL)) {
		ui_message(v->ui, true, "%s: %s", list_str(rl->list, row, 0),
		    rl->cls->browse_only);
		return UI_HANDLED | UI_REDRAW;
	}
	memset(&res, 0, sizeof res);
	res.scheme = rl->cls->scheme;
	res.kind = rl->cls->kind;
	res.name = (char *)list_str(rl->list, row, 0);
	if (a == ACT_BACKUP)
		ui_backup_begin(v->ui, &res);
	else if (a == ACT_RESTORE)
		ui_restore_timeline(v->ui, &res, SV_TIME_NONE, NULL);
	else
		ui_push(v->ui, rl->cls->detail, &res);
	return UI_HANDLED | UI_REDRAW;
}

void
reslist_title(struct view *v, char *buf, size_t bufsz)
{
	struct reslist	*rl = v->data;

	load_title(v->ui, &rl->ld, rl->list, rl->title != NULL ? rl->title :
	    rl->cls->title, rl->cls->noun, buf, bufsz);
}

void
reslist_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct reslist	*rl = v->data;

	load_draw_list(v->ui, &rl->ld, rl->list, rl->cls->empty, win, y, h, w);
}

const char *
reslist_parent(struct view *v)
{
	return ((struct reslist *)v->data)->parent;
}

struct list *
reslist_list(struct view *v)
{
	return ((struct reslist *)v->data)->list;
}

bool
reslist_cancel(struct view *v)
{
	return load_cancel(&((struct reslist *)v->data)->ld);
}
