/* view-result.c - the next steps after a restore, run from view_wait:
 * verify (v: core/verify.h; item counts by segmented scan, checksums,
 * engine and storage) and drift (d: core/drift.h; the settings the
 * restore did not carry over, side by side, and a to re-apply them
 * after the target's name is typed). Both asynchronous, ticked by the
 * loop's timers; the result is a list, the verdict in the title. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/drift.h"
#include "core/restore.h"
#include "core/verify.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/xalloc.h"

struct ui_result_arg {
	bool	 verify;
	char	*a, *b;		/* source, target */
	char	*version_a;	/* S3: the version that was restored */
	enum restore_kind kind;
};

struct ui_result_arg *
ui_result_arg(bool verify, const struct restore_plan *plan)
{
	struct ui_result_arg *r = xcalloc(1, sizeof *r);

	r->verify = verify;
	r->kind = plan->kind;
	r->a = xstrdup(plan->origin_uri);
	r->b = xstrdup(plan->target_uri);
	if (plan->kind == RESTORE_S3_VERSION && plan->point_id != NULL)
		r->version_a = xstrdup(plan->point_id);
	return r;
}

static void
arg_free(struct ui_result_arg *r)
{
	free(r->a);
	free(r->b);
	free(r->version_a);
	free(r);
}

enum { R_NAME, R_A, R_B, R_SAME, R_NOTE };

static const struct list_column result_cols[] = {
	{ "Check", LIST_TEXT, 22, 0, 0 },
	{ "Source", LIST_TEXT, 0, 12, 0 },
	{ "Target", LIST_TEXT, 0, 12, 0 },
	{ "Same", LIST_TEXT, 5, 0, 0 },
	{ "Note", LIST_TEXT, 0, 10, 0 },
};

struct resv {
	struct view		*view;
	struct ui_result_arg	*arg;
	struct verify_op	*vop;
	struct drift_op		*dop;
	bool			 running;
	bool			 applying;
	bool			 failed;
	bool			 have;
	bool			 equal;
	struct sv_err		 err;
	char			 method[64];
	char			 progress[256];
	struct drift_report	*rep;
	struct list		*list;
};

static void	run(struct resv *);

static int
res_timeout(void *arg)
{
	struct resv *r = arg;

	if (r->vop != NULL)
		return verify_timeout_ms(r->vop);
	if (r->dop != NULL)
		return drift_timeout_ms(r->dop);
	return -1;
}

static void
res_tick(void *arg)
{
	struct resv *r = arg;

	if (r->vop != NULL)
		verify_tick(r->vop);
	else if (r->dop != NULL)
		drift_tick(r->dop);
}

static void
row(struct resv *r, const char *name, const char *a, const char *b, const char *same,
    const char *note, enum list_style st)
{
	union list_value v[5];

	v[R_NAME].s = name;
	v[R_A].s = a;
	v[R_B].s = b;
	v[R_SAME].s = same;
	v[R_NOTE].s = note;
	list_add(r->list, v, st);
}

static void
failed(struct resv *r, sv_result res, const struct sv_err *err)
{
	r->failed = true;
	sv_err_init(&r->err);
	sv_err_set(&r->err, res, "%s", err != NULL && err->msg[0] != '\0' ? err->msg :
	    sv_result_str(res));
}

/* ---- verify ---- */

static void
verify_progress(void *arg, const struct verify_progress *p)
{
	struct resv *r = arg;

	if (p->segments > 0)
		snprintf(r->progress, sizeof r->progress, "%s: %lld and %lld items "
		    "counted, %d of %d segments", p->phase, p->count_a, p->count_b,
		    p->segments_done, p->segments);
	else if (p->total > 0)
		snprintf(r->progress, sizeof r->progress, "%s: %lld of %lld bytes",
		    p->phase, p->bytes, p->total);
	else
		snprintf(r->progress, sizeof r->progress, "%s", p->phase);
	ui_dirty(r->view->ui);
}

static void
verified(void *arg, sv_result res, const struct sv_err *err,
    const struct verify_result *v)
{
	struct resv *r = arg;
	char	 a[64], b[64];

	r->vop = NULL;
	r->running = false;
	list_clear(r->list);
	if (res != SV_OK) {
		if (res != SV_E_CANCELLED)
			failed(r, res, err);
		ui_dirty(r->view->ui);
		return;
	}
	r->have = true;
	r->equal = v->equal;
	str_lcpy(r->method, v->method != NULL ? v->method : "", sizeof r->method);
	for (size_t i = 0; i < v->nchecks; i++)
		row(r, v->checks[i].name, v->checks[i].a, v->checks[i].b,
		    v->checks[i].equal ? "yes" : "NO", "", v->checks[i].equal ?
		    LIST_STYLE_NORMAL : LIST_STYLE_WARN);
	if (v->kind == VERIFY_DYNAMODB && v->sampled > 0) {
		snprintf(a, sizeof a, "%lld sampled", v->sampled);
		snprintf(b, sizeof b, "%lld differ", v->sample_differ);
		row(r, "sampled items", a, b, v->sample_differ == 0 ? "yes" : "NO", "",
		    v->sample_differ == 0 ? LIST_STYLE_NORMAL : LIST_STYLE_WARN);
	}
	for (size_t i = 0; i < v->ndiffs; i++)
		row(r, v->diffs[i].missing ? "missing item" : "differing item",
		    v->diffs[i].key, v->diffs[i].missing ? "-" : v->diffs[i].attrs,
		    "NO", "", LIST_STYLE_WARN);
	ui_dirty(r->view->ui);
}

/* ---- drift ---- */

static void
show_drift(struct resv *r)
{
	const struct drift_report *d = r->rep;

	list_clear(r->list);
	for (size_t i = 0; i < d->nitems; i++) {
		const struct drift_item *it = &d->items[i];
		char	 note[1024];

		snprintf(note, sizeof note, "%s%s%s%s%s",
		    it->outcome == DRIFT_APPLIED ? "re-applied. " :
		    it->outcome == DRIFT_FAILED ? "FAILED: " : "",
		    it->outcome == DRIFT_FAILED && it->error != NULL ? it->error : "",
		    it->outcome == DRIFT_FAILED ? ". " : "",
		    it->plan != NULL && it->applicable && it->outcome != DRIFT_APPLIED ?
		    it->plan : "", it->note != NULL ? it->note : "");
		row(r, it->name, it->src, it->target, !it->checked ? "?" :
		    it->differs ? "NO" : "yes", note, !it->checked ? LIST_STYLE_DIM :
		    it->outcome == DRIFT_APPLIED ? LIST_STYLE_LATEST :
		    it->differs ? LIST_STYLE_WARN : LIST_STYLE_NORMAL);
	}
}

static void
drifted(void *arg, sv_result res, const struct sv_err *err, struct drift_report *d)
{
	struct resv *r = arg;

	r->dop = NULL;
	r->running = false;
	if (res != SV_OK) {
		if (res != SV_E_CANCELLED)
			failed(r, res, err);
		ui_dirty(r->view->ui);
		return;
	}
	if (r->rep != NULL)
		drift_report_free(r->rep);
	r->rep = d;
	r->have = true;
	r->equal = d->ndrift == 0;
	show_drift(r);
	ui_dirty(r->view->ui);
}

static void
apply_progress(void *arg, const struct drift_item *it)
{
	struct resv *r = arg;

	snprintf(r->progress, sizeof r->progress, "%s: %s", it->name,
	    drift_outcome_name(it->outcome));
	show_drift(r);
	ui_dirty(r->view->ui);
}

static void
applied(void *arg, sv_result res, const struct sv_err *err)
{
	struct resv *r = arg;

	r->dop = NULL;
	r->applying = false;
	show_drift(r);
	if (res != SV_OK && res != SV_E_CANCELLED)
		ui_message(r->view->ui, true, "re-applying: %s", err->msg);
	else if (res == SV_OK)
		ui_message(r->view->ui, false, "re-applied %zu setting%s on %s; d "
		    "(or r) reads both sides again", r->rep->applied,
		    r->rep->applied == 1 ? "" : "s", r->rep->target);
	ui_dirty(r->view->ui);
}

static void
apply_confirmed(void *arg, bool ok)
{
	struct resv *r = arg;
	struct sv_err err;

	if (!ok || r->rep == NULL)
		return;
	sv_err_init(&err);
	r->applying = true;
	r->dop = drift_apply(ui_client(r->view->ui), r->rep, apply_progress, applied,
	    r, &err);
	if (r->dop == NULL) {
		r->applying = false;
		ui_message(r->view->ui, true, "%s", err.msg);
	}
}

static void
apply(struct resv *r)
{
	char	*q;

	if (r->arg->verify || r->rep == NULL) {
		ui_message(r->view->ui, true, "a re-applies drift: it is offered on "
		    "the drift screen once both sides are read");
		return;
	}
	if (!ui_operate(r->view->ui)) {
		ui_message(r->view->ui, true, "read-only: nothing will be sent; start "
		    "with --operate to re-apply settings");
		return;
	}
	if (r->rep->napplicable == 0) {
		ui_message(r->view->ui, false, "nothing to re-apply");
		return;
	}
	if (r->dop != NULL)
		return;
	q = xasprintf("re-apply %zu setting%s of %s on %s?", r->rep->napplicable,
	    r->rep->napplicable == 1 ? "" : "s", r->rep->src, r->rep->target);
	ui_confirm_prompt(r->view->ui, q, r->rep->target_name, "target's name",
	    apply_confirmed, r);
	free(q);
}

/* ---- the view ---- */

static void
run(struct resv *r)
{
	struct sv_err	 err;

	if (r->vop != NULL || r->dop != NULL)
		return;
	sv_err_init(&err);
	r->failed = r->have = false;
	r->progress[0] = '\0';
	list_clear(r->list);
	r->running = true;
	if (r->arg->verify) {
		struct verify_opts o;

		memset(&o, 0, sizeof o);
		o.version_a = r->arg->version_a;
		r->vop = verify_start(ui_client(r->view->ui), r->arg->a, r->arg->b, &o,
		    verify_progress, verified, r, &err);
		if (r->vop == NULL) {
			r->running = false;
			failed(r, err.code, &err);
		}
	} else {
		r->dop = drift_start(ui_client(r->view->ui), r->arg->a, r->arg->b,
		    drifted, r, &err);
		if (r->dop == NULL) {
			r->running = false;
			failed(r, err.code, &err);
		}
	}
	ui_dirty(r->view->ui);
}

static void
res_enter(struct view *v, const struct resource *res)
{
	struct resv *r = xcalloc(1, sizeof *r);

	v->data = r;
	r->view = v;
	r->arg = v->arg;	/* ours */
	v->arg = NULL;
	sv_err_init(&r->err);
	r->list = list_new(result_cols, 5);
	ui_timer_add(v->ui, res_timeout, res_tick, r);
	run(r);
}

static void
res_leave(struct view *v)
{
	struct resv *r = v->data;

	ui_confirm_forget(r);
	ui_timer_remove(v->ui, r);
	if (r->vop != NULL)
		verify_cancel(r->vop);
	if (r->dop != NULL)
		drift_cancel(r->dop);
	if (r->rep != NULL)
		drift_report_free(r->rep);
	list_free(r->list);
	arg_free(r->arg);
	free(r);
}

static bool
res_cancel(struct view *v)
{
	struct resv *r = v->data;

	if (r->vop != NULL) {
		verify_cancel(r->vop);
		return true;
	}
	if (r->dop != NULL && !r->applying) {
		drift_cancel(r->dop);
		return true;
	}
	return false;
}

static int
res_key(struct view *v, enum ui_action a, int key)
{
	struct resv *r = v->data;

	switch (a) {
	case ACT_REFRESH:
		if (r->applying) {
			ui_message(v->ui, true, "settings are being re-applied: wait for "
			    "the end");
			return UI_HANDLED | UI_REDRAW;
		}
		run(r);
		return UI_HANDLED | UI_REDRAW;
	case ACT_CONFIRM:
		apply(r);
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

static void
res_title(struct view *v, char *buf, size_t bufsz)
{
	struct resv *r = v->data;
	const char *what = r->arg->verify ? "Verify" : "Drift";

	if (r->running || r->applying)
		snprintf(buf, bufsz, "%s %s vs %s: %s %s", what, r->arg->a, r->arg->b,
		    r->applying ? "re-applying" : r->progress[0] != '\0' ? r->progress :
		    "reading", ui_spinner(v->ui));
	else if (r->failed)
		snprintf(buf, bufsz, "%s %s vs %s: could not be done", what, r->arg->a,
		    r->arg->b);
	else if (r->arg->verify)
		snprintf(buf, bufsz, "Verify %s vs %s: %s (by %s)", r->arg->a, r->arg->b,
		    r->equal ? "EQUAL" : "DIFFERENT", r->method);
	else
		snprintf(buf, bufsz, "Drift %s vs %s: %s", r->arg->a, r->arg->b,
		    r->equal ? "no drift" : "settings differ");
}

static void
res_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct resv *r = v->data;
	char	 buf[SV_ERR_MSG_MAX + 64];
	int	 used;

	if (r->failed) {
		snprintf(buf, sizeof buf, "%s", r->err.msg);
		used = ui_draw_text(win, y + 1, 2, h - 3, w - 4, ui_attr(UC_ERROR), buf);
		ui_draw_text(win, y + 1 + used, 2, 1, w - 4, A_NORMAL,
		    "Press r to try again, q to go back.");
		return;
	}
	if (!r->have) {
		list_set_empty_text(r->list, r->progress[0] != '\0' ? r->progress :
		    "reading both sides");
		list_draw(r->list, win, y, 0, h, w);
		return;
	}
	list_draw(r->list, win, y, 0, h - 2, w);
	wmove(win, y + h - 1, 1);
	if (r->arg->verify)
		snprintf(buf, sizeof buf, "%s. r verifies again.", r->equal ?
		    "The target holds what the source holds" : "The target DIFFERS "
		    "from the source (rows marked NO)");
	else if (r->rep != NULL && r->rep->napplicable > 0)
		snprintf(buf, sizeof buf, "%zu setting%s differ%s; a re-applies %zu "
		    "(you type the target's name)%s. r reads both again.",
		    r->rep->ndrift, r->rep->ndrift == 1 ? "" : "s",
		    r->rep->ndrift == 1 ? "s" : "", r->rep->napplicable,
		    ui_operate(v->ui) ? "" : " (needs --operate)");
	else
		snprintf(buf, sizeof buf, "%s r reads both again.", r->equal ?
		    "Nothing differs." : "Nothing that differs can be re-applied.");
	list_put_cell(win, buf, w - 2, false, r->equal ? A_NORMAL : ui_attr(UC_WARN),
	    0, 0, 0);
}

static struct list *
res_list(struct view *v)
{
	return ((struct resv *)v->data)->list;
}

const struct view_class view_result = {
	.name = "result",
	.keys = KM_RESULT,
	.enter = res_enter,
	.leave = res_leave,
	.key = res_key,
	.title = res_title,
	.draw = res_draw,
	.list = res_list,
	.cancel = res_cancel,
	.hint = "r run again  a re-apply (drift)  / filter  ? help  q back",
};
