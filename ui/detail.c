/* detail.c - the shared body of the detail screens: facts, the PITR
 * window, the timeline and the restore points newest first. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/detail.h"
#include "ui/fmt.h"
#include "util/xalloc.h"

static const struct list_column points_cols[] = {
	{ "Created", LIST_TIME, 0, 0, 0 },
	{ "Kind", LIST_TEXT, 9, 0, 0 },
	{ "Type", LIST_TEXT, 10, 0, 0 },
	{ "Name", LIST_TEXT, 0, 12, 0 },
	{ "Status", LIST_TEXT, 10, 0, 0 },
	{ "Size", LIST_SIZE, 0, 0, 0 },
	{ "ID", LIST_TEXT, 0, 12, 0 },
};

struct detail *
detail_new(struct view *v, const struct resource *res, const char *what,
    const char *noun)
{
	struct detail *d = xcalloc(1, sizeof *d);

	d->view = v;
	resource_copy(&d->res, res);
	d->what = what;
	d->noun = noun;
	d->list = list_new(points_cols, 7);
	list_set_sort(d->list, 0, true);	/* newest first */
	sv_err_init(&d->perr);
	return d;
}

static void
free_points(struct detail *d)
{
	if (d->set != NULL) {
		point_set_free(d->set);
		free(d->set);
		d->set = NULL;
	}
	xfree(d->marks);
	d->nmarks = 0;
}

void
detail_free(struct detail *d)
{
	if (d == NULL)
		return;
	detail_cancel(d);
	load_cancel(&d->info);
	free_points(d);
	for (int i = 0; i < DETAIL_LINES; i++) {
		free(d->label[i]);
		free(d->value[i]);
	}
	list_free(d->list);
	resource_free(&d->res);
	free(d);
}

void
detail_line(struct detail *d, int i, const char *label, const char *fmt, ...)
{
	va_list	ap;
	char	buf[1024];

	if (i < 0 || i >= DETAIL_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(d->label[i]);
	free(d->value[i]);
	d->label[i] = xstrdup(label);
	d->value[i] = xstrdup(buf);
}

void
detail_info_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct detail *d = arg;

	load_end(&d->info, r, err, pages);
	ui_dirty(d->view->ui);
}

static void
points_done(void *arg, struct point_set *set, sv_result r, const struct sv_err *err)
{
	struct detail *d = arg;
	union list_value row[7];

	d->pop = NULL;
	d->points_running = false;
	free_points(d);
	d->set = set;
	d->points_failed = r != SV_OK;
	sv_err_init(&d->perr);
	if (r != SV_OK)
		sv_err_set(&d->perr, r, "%s", err != NULL && err->msg[0] != '\0' ?
		    err->msg : sv_result_str(r));
	list_clear(d->list);
	d->marks = xreallocarray(NULL, set->n + 1, sizeof *d->marks);
	for (size_t i = 0; i < set->n; i++) {
		const struct point *p = &set->v[i];

		row[0].n = p->time;
		row[1].s = point_kind_name(p->kind);
		row[2].s = p->type;
		row[3].s = p->name != NULL ? p->name : p->id;
		row[4].s = p->status;
		row[5].n = p->size;
		row[6].s = p->id;
		list_add(d->list, row, p->usable ? LIST_STYLE_NORMAL : LIST_STYLE_DIM);
		if (p->usable)
			d->marks[d->nmarks++] = p->time;
	}
	ui_dirty(d->view->ui);
}

void
detail_load_points(struct detail *d)
{
	struct sv_err err;
	struct core_points_op *op;

	if (d->pop != NULL) {
		core_points_cancel(d->pop);
		d->pop = NULL;
	}
	sv_err_init(&err);
	d->points_running = true;
	d->points_failed = false;
	op = core_points_load(ui_client(d->view->ui), &d->res, points_done, d, &err);
	if (d->points_running) {
		if (op == NULL) {
			d->points_running = false;
			d->points_failed = true;
			d->perr = err;
		} else
			d->pop = op;
	}
	ui_dirty(d->view->ui);
}

bool
detail_cancel(struct detail *d)
{
	bool	any = false;

	if (d->pop != NULL) {
		core_points_cancel(d->pop);	/* points_done runs first */
		d->pop = NULL;
		any = true;
	}
	any |= load_cancel(&d->info);
	return any;
}

void
detail_title(struct detail *d, char *buf, size_t bufsz)
{
	char	 tail[SV_ERR_MSG_MAX + 64], cnt[64];
	size_t	 n = list_rows(d->list);

	if (d->points_running || load_running(&d->info))
		snprintf(tail, sizeof tail, " (loading %s  Esc cancels)",
		    ui_spinner(d->view->ui));
	else if (d->points_failed)
		snprintf(tail, sizeof tail, " (%s; incomplete: %s)",
		    ui_count(cnt, sizeof cnt, n, d->noun),
		    d->perr.code == SV_E_CANCELLED ? "cancelled" : d->perr.msg);
	else if (list_filter(d->list)[0] != '\0')
		snprintf(tail, sizeof tail, " (%zu of %zu %s match /%s)",
		    list_shown(d->list), n, d->noun, list_filter(d->list));
	else
		snprintf(tail, sizeof tail, " (%s, newest first)",
		    ui_count(cnt, sizeof cnt, n, d->noun));
	snprintf(buf, bufsz, "%s %s%s", d->what, d->res.name, tail);
}

static void
pitr_line(struct detail *d, char *buf, size_t bufsz)
{
	const struct pitr_window *p;
	char	a[64], b[64], per[64] = "";

	if (d->set == NULL) {
		snprintf(buf, bufsz, d->points_running ? "loading %s" :
		    "unknown%s", d->points_running ? ui_spinner(d->view->ui) : "");
		return;
	}
	p = &d->set->pitr;
	switch (p->status) {
	case PITR_ENABLED:
		ui_time_format(p->earliest, a, sizeof a);
		ui_time_format(p->latest, b, sizeof b);
		if (p->retention_days > 0)
			snprintf(per, sizeof per, "  (recovery period %d days)",
			    p->retention_days);
		snprintf(buf, bufsz, "ENABLED  earliest %s  latest %s%s", a, b, per);
		break;
	case PITR_DISABLED:
		snprintf(buf, bufsz, "DISABLED: no point-in-time recovery; only the "
		    "%s below can be restored", d->noun);
		break;
	default:
		snprintf(buf, bufsz, "none");
		break;
	}
}

void
detail_draw(struct detail *d, WINDOW *win, int y, int h, int w)
{
	char	 line[1024];
	int	 row = y, lw = 11, used, listh;
	const struct pitr_window *p = d->set != NULL ? &d->set->pitr : NULL;

	for (int i = 0; i < DETAIL_LINES; i++) {
		wmove(win, row, 1);
		list_put_cell(win, d->label[i] != NULL ? d->label[i] : "", lw, false,
		    ui_attr(UC_LABEL), 0, 0, 0);
		waddch(win, ' ');
		if (i == 0 && d->info.state == LOAD_FAILED)
			list_put_cell(win, d->info.err.msg, w - lw - 3, false,
			    ui_attr(UC_ERROR), 0, 0, 0);
		else if (i == 0 && d->label[0] == NULL)
			list_put_cell(win, load_running(&d->info) ? "loading" : "", w - lw - 3,
			    false, ui_attr(UC_DIM), 0, 0, 0);
		else
			list_put_cell(win, d->value[i] != NULL ? d->value[i] : "",
			    w - lw - 3, false, A_NORMAL, 0, 0, 0);
		row++;
	}
	wmove(win, row, 1);
	list_put_cell(win, "PITR", lw, false, ui_attr(UC_LABEL), 0, 0, 0);
	waddch(win, ' ');
	pitr_line(d, line, sizeof line);
	list_put_cell(win, line, w - lw - 3, false,
	    p != NULL && p->status == PITR_DISABLED ? ui_attr(UC_WARN) : A_NORMAL,
	    0, 0, 0);
	row++;
	wmove(win, row, 1);
	list_put_cell(win, "Timeline", lw, false, ui_attr(UC_LABEL), 0, 0, 0);
	if (d->set != NULL)
		timeline_draw(win, row, lw + 2, w - lw - 3,
		    p->status == PITR_ENABLED ? p->earliest : SV_TIME_NONE,
		    p->status == PITR_ENABLED ? p->latest : SV_TIME_NONE,
		    d->marks, d->nmarks, sv_time_now());
	row += 3;
	listh = y + h - row;
	if (listh < 2)
		return;
	if (d->points_failed && list_rows(d->list) == 0) {
		snprintf(line, sizeof line, "%s: %s", d->noun, d->perr.msg);
		used = ui_draw_text(win, row, 2, listh - 1, w - 4, ui_attr(UC_ERROR), line);
		ui_draw_text(win, row + used, 2, 1, w - 4, A_NORMAL,
		    "Press r to retry, q to go back.");
		return;
	}
	if (d->points_running)
		snprintf(line, sizeof line, "loading %s", ui_spinner(d->view->ui));
	else if (list_rows(d->list) > 0)
		snprintf(line, sizeof line, "nothing matches the filter");
	else
		snprintf(line, sizeof line, "no %s", d->noun);
	list_set_empty_text(d->list, line);
	list_draw(d->list, win, row, 0, listh, w);
}

int
detail_key(struct detail *d, enum ui_action a)
{
	size_t	row;

	switch (a) {
	case ACT_OPEN:
		if ((row = list_selected(d->list)) == LIST_NONE)
			return UI_HANDLED;
		ui_restore_timeline(d->view->ui, &d->res, list_int(d->list, row, 0),
		    list_str(d->list, row, 6));
		return UI_HANDLED | UI_REDRAW;
	case ACT_RESTORE:
		ui_restore_timeline(d->view->ui, &d->res, SV_TIME_NONE, NULL);
		return UI_HANDLED | UI_REDRAW;
	case ACT_BACKUP:
		ui_backup_begin(d->view->ui, &d->res);
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}
