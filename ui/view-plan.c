/* view-plan.c - a restore plan before anything happens: built and
 * validated with read-only calls (core/restore.h restore_plan_build,
 * asynchronous), then shown: the source, the point, the method, the
 * data loss, the target (e edits it; the plan is checked again), the
 * exact AWS calls with their parameters, the notes (what the restored
 * resource will not have) and the warnings. In READ-ONLY a banner says
 * nothing will be sent and confirming is impossible. In OPERATE, c asks
 * the operator to type the target's name (audit_confirm, after the plan
 * itself is noted in the audit log); then view_wait executes it.
 *
 * A prefix (s3-prefix) shows its per-key plan instead of the calls:
 * the counts per action and every key with what happens to it (this is
 * the dry run); D toggles --delete-new (the plan is made again), c asks
 * for the prefix to be typed. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit-session.h"
#include "core/restore.h"
#include "ui/fmt.h"
#include "ui/prompt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/xalloc.h"

#define PLAN_WRAP	110	/* characters of text per row, before the first draw */
#define READONLY_BANNER	"read-only: nothing will be sent; start with --operate to restore"

struct planv {
	struct view		*view;
	struct ui_restore_req	*rq;
	struct restore_op	*op;		/* building */
	struct restore_plan	*plan;		/* built (ours) */
	bool			 failed;
	struct sv_err		 err;
	struct list		*lines;
	bool			 started;	/* confirmed and handed to view_wait */
	bool			 prefix;	/* an s3-prefix request: D applies */
	sv_time			 started_at;
	int			 width;		/* of the last draw; 0: not drawn yet */
};

static const struct list_column plan_cols[] = {
	{ "", LIST_TEXT, 0, 10, 0 },
};

static void	plan_show(struct planv *);

static int
plan_timeout(void *arg)
{
	struct planv *p = arg;

	return p->op != NULL ? restore_op_timeout_ms(p->op) : -1;
}

static void
plan_tick(void *arg)
{
	struct planv *p = arg;

	if (p->op != NULL)
		restore_op_tick(p->op);
}

static void
built(void *arg, struct restore_plan *plan, sv_result r, const struct sv_err *err)
{
	struct planv *p = arg;

	p->op = NULL;
	if (r == SV_E_CANCELLED)
		return;
	if (r != SV_OK) {
		p->failed = true;
		sv_err_init(&p->err);
		sv_err_set(&p->err, r, "%s", err != NULL && err->msg[0] != '\0' ?
		    err->msg : sv_result_str(r));
	} else
		p->plan = plan;
	plan_show(p);
	ui_dirty(p->view->ui);
}

static void
build(struct planv *p)
{
	struct sv_err err;

	if (p->op != NULL) {
		restore_op_cancel(p->op);
		p->op = NULL;
	}
	if (p->plan != NULL) {
		restore_plan_free(p->plan);
		p->plan = NULL;
	}
	p->failed = false;
	sv_err_init(&err);
	p->op = restore_plan_build(ui_client(p->view->ui), ui_restore_req_get(p->rq),
	    built, p, &err);
	if (p->op == NULL) {
		p->failed = true;
		p->err = err;
	}
	plan_show(p);
	ui_dirty(p->view->ui);
}

/* ---- the lines ---- */

static void
add(struct planv *p, enum list_style st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(struct planv *p, enum list_style st, const char *fmt, ...)
{
	union list_value v[1];
	char	 buf[4096];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	v[0].s = buf;
	list_add(p->lines, v, st);
}

/* Long text as several rows (rows do not wrap): first with prefix, the
 * rest indented as deep. */
static void
add_wrapped(struct planv *p, enum list_style st, const char *prefix,
    const char *text)
{
	size_t	 plen = strlen(prefix), len = strlen(text);
	size_t	 wrap = PLAN_WRAP;
	bool	 first = true;

	/* The text beside the prefix fits the window (no word cut off). */
	if (p->width > 0)
		wrap = (size_t)p->width > plen + 22 ? (size_t)p->width - plen - 2 : 20;
	while (len > 0) {
		size_t	take = len;

		if (take > wrap) {
			take = wrap;
			for (size_t k = take; k > wrap / 2; k--)
				if (text[k] == ' ') {
					take = k;
					break;
				}
		}
		add(p, st, "%*s%s%.*s", first ? 0 : (int)plen, "",
		    first ? prefix : "", (int)take, text);
		first = false;
		text += take;
		len -= take;
		while (len > 0 && *text == ' ') {
			text++;
			len--;
		}
	}
}

/* s3-prefix: the counts, then every key and what happens to it. */
static void
show_prefix(struct planv *p, const struct restore_plan *pl)
{
	static const enum restore_action acts[] = {
		RESTORE_ACT_RESTORE_VERSION, RESTORE_ACT_UNDELETE, RESTORE_ACT_DELETE_NEW,
		RESTORE_ACT_LEAVE_NEW, RESTORE_ACT_UNCHANGED
	};
	size_t	 n[sizeof acts / sizeof acts[0]] = { 0 };
	char	 counts[512], t[64];
	size_t	 len = 0;

	ui_time_format(pl->time, t, sizeof t);
	add(p, LIST_STYLE_LATEST, "Target      %s (the same keys, in place: new "
	    "versions and delete markers on top; history is kept)", pl->target_uri);
	if (pl->delete_new)
		add(p, LIST_STYLE_WARN, "Delete new  ON: keys created after %s get a "
		    "delete marker on top (their versions are kept: no version is ever "
		    "destroyed); D turns it off", t);
	else
		add(p, LIST_STYLE_NORMAL, "Delete new  off: keys created after %s are "
		    "left alone (D: hide them behind a delete marker; no version is "
		    "ever destroyed)", t);
	for (size_t i = 0; i < pl->nsteps; i++)
		for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++)
			if (pl->steps[i].action == acts[k])
				n[k]++;
	counts[0] = '\0';
	for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++) {
		int	w = snprintf(counts + len, sizeof counts - len, "%s%zu %s",
		    k > 0 ? ", " : "", n[k], restore_action_name(acts[k]));

		if (w > 0 && (size_t)w < sizeof counts - len)
			len += (size_t)w;
	}
	add(p, LIST_STYLE_NORMAL, "Keys        %zu: %s", pl->nsteps, counts);
	add(p, LIST_STYLE_NORMAL, "%s", "");
	add(p, LIST_STYLE_FOLDER, "Per-key plan (%zu call%s that change something; "
	    "this is the dry run: nothing has been sent)", restore_plan_mutations(pl),
	    restore_plan_mutations(pl) == 1 ? "" : "s");
	for (size_t i = 0; i < pl->nsteps; i++) {
		const struct restore_step *s = &pl->steps[i];
		const char *an = restore_action_name(s->action);
		const char *what = s->summary != NULL ? s->summary : "";
		const char *colon;
		char	*head;

		/* "restore-version s3://b/k: copy ..." -> "copy ..." */
		if (str_starts(what, an) && (colon = strstr(what, ": ")) != NULL)
			what = colon + 2;
		/* The list widget makes cells safe for the terminal. */
		head = xasprintf("  %-15s  %s  ", an, s->key != NULL ? s->key : "?");
		add_wrapped(p, s->action == RESTORE_ACT_UNCHANGED ? LIST_STYLE_DIM :
		    s->action == RESTORE_ACT_LEAVE_NEW || s->action ==
		    RESTORE_ACT_DELETE_NEW ? LIST_STYLE_WARN : LIST_STYLE_NORMAL, head,
		    what);
		free(head);
	}
}

static const char *
op_name(enum aws_op_id id)
{
	const struct aws_op *op = id == OP__COUNT ? NULL : aws_op_get(id);

	return op != NULL ? op->name : "(no call)";
}

/* What c asks to be typed: the target's name; for a prefix the prefix
 * itself (the bucket's name for the whole bucket), as the CLI does. */
static const char *
confirm_what(const struct restore_plan *pl)
{
	if (pl->kind != RESTORE_S3_PREFIX)
		return "target's name";
	return pl->target[0] != '\0' ? "prefix" : "bucket's name";
}

static const char *
confirm_expected(const struct restore_plan *pl)
{
	if (pl->kind == RESTORE_S3_PREFIX && pl->target[0] == '\0')
		return pl->source.name;
	return pl->target;
}

static void
plan_show(struct planv *p)
{
	const struct restore_plan *pl = p->plan;
	const struct restore_request *rq = ui_restore_req_get(p->rq);
	char	 a[64], b[64], d[32];
	size_t	 sel = list_selected(p->lines);

	list_clear(p->lines);
	if (!ui_operate(p->view->ui))
		add(p, LIST_STYLE_WARN, "%s", READONLY_BANNER);
	if (p->started) {
		ui_time_format(p->started_at, a, sizeof a);
		add(p, LIST_STYLE_LATEST, "Confirmed and started at %s: this plan is "
		    "done (q goes back)", a);
	}
	if (p->op != NULL) {
		add(p, LIST_STYLE_DIM, "Checking %s (read-only calls: the source, the "
		    "point, the target's name)...", rq->uri);
		return;
	}
	if (p->failed) {
		add_wrapped(p, LIST_STYLE_WARN, "The plan was refused: ", p->err.msg);
		add(p, LIST_STYLE_NORMAL, "%s", "");
		add(p, LIST_STYLE_NORMAL, "Nothing was sent. e changes the target's "
		    "name, r checks again, q goes back to choose another point.");
		return;
	}
	if (pl == NULL)
		return;
	add(p, LIST_STYLE_FOLDER, "Source      %s", pl->source_uri);
	ui_time_format(pl->time, a, sizeof a);
	if (pl->method == RESTORE_PITR)
		add(p, LIST_STYLE_NORMAL, "Point       %s%s (point-in-time recovery)", a,
		    pl->latest ? " = the latest restorable time" : "");
	else
		add(p, LIST_STYLE_NORMAL, "Point       %s %s of %s",
		    point_kind_name(pl->point_kind), pl->point_id != NULL ?
		    pl->point_id : "?", a);
	add(p, LIST_STYLE_NORMAL, "Method      %s (%s)", restore_kind_name(pl->kind),
	    restore_method_name(pl->method));
	if (pl->window.status == PITR_ENABLED) {
		ui_time_format(pl->window.earliest, a, sizeof a);
		ui_time_format(pl->window.latest, b, sizeof b);
		add(p, LIST_STYLE_NORMAL, "Window      earliest %s  latest %s", a, b);
	}
	ui_time_format(pl->reference, b, sizeof b);
	if (pl->loss_ms < 0)
		add(p, LIST_STYLE_NORMAL, "Data loss   not known%s",
		    pl->loss_uncertain ? " (the window's edge is not known)" : "");
	else {
		sv_duration_format(pl->loss_ms, d, sizeof d);
		add(p, LIST_STYLE_NORMAL, "Data loss   %s%s, to %s (%s)%s",
		    pl->loss_ms == 0 ? "none" : d, pl->loss_ms == 0 ? "" :
		    " of writes", b, pl->reference_incident ? "the incident" : "now",
		    pl->loss_uncertain ? "; approximate" : "");
	}
	if (pl->kind == RESTORE_S3_PREFIX) {
		show_prefix(p, pl);
		goto tail;
	}
	add(p, LIST_STYLE_LATEST, "Target      %s%s", pl->target_uri,
	    pl->target_default ? "  (a new name chosen by salvage; e changes it)" :
	    "  (e changes it)");
	if (pl->rto_target_ms > 0) {
		sv_duration_format(pl->rto_target_ms, d, sizeof d);
		add(p, LIST_STYLE_NORMAL, "RTO target  %s", d);
	}
	add(p, LIST_STYLE_NORMAL, "%s", "");
	add(p, LIST_STYLE_FOLDER, "AWS calls (%zu that change something, in this "
	    "order)", restore_plan_mutations(pl));
	for (size_t i = 0; i < pl->nsteps; i++) {
		const struct restore_step *s = &pl->steps[i];

		const char *name = op_name(s->op);

		char	 num[32], *text;

		snprintf(num, sizeof num, "  %zu. ", i + 1);
		if (s->summary != NULL && str_starts(s->summary, name))
			text = xstrdup(s->summary);
		else
			text = xasprintf("%s  %s", name, s->summary != NULL ?
			    s->summary : "");
		add_wrapped(p, LIST_STYLE_NORMAL, num, text);
		free(text);
		for (size_t k = 0; k < s->params.n; k++)
			add(p, LIST_STYLE_DIM, "       %s = %s", s->params.v[k].name,
			    s->params.v[k].value != NULL ? s->params.v[k].value : "");
	}
tail:
	if (pl->nnotes > 0) {
		add(p, LIST_STYLE_NORMAL, "%s", "");
		add(p, LIST_STYLE_FOLDER, "Notes: what the restored resource will not "
		    "have");
		for (size_t i = 0; i < pl->nnotes; i++)
			add_wrapped(p, LIST_STYLE_NORMAL, "  - ", pl->notes[i]);
	}
	if (pl->nwarnings > 0) {
		add(p, LIST_STYLE_NORMAL, "%s", "");
		add(p, LIST_STYLE_FOLDER, "Warnings");
		for (size_t i = 0; i < pl->nwarnings; i++)
			add_wrapped(p, LIST_STYLE_WARN, "  ! ", pl->warnings[i]);
	}
	add(p, LIST_STYLE_NORMAL, "%s", "");
	if (!ui_operate(p->view->ui))
		add(p, LIST_STYLE_WARN, "%s", READONLY_BANNER);
	else if (!p->started && pl->kind == RESTORE_S3_PREFIX)
		add(p, LIST_STYLE_NORMAL, "c confirms (you type the %s: %s), D toggles "
		    "--delete-new, q goes back.", confirm_what(pl), confirm_expected(pl));
	else if (!p->started)
		add(p, LIST_STYLE_NORMAL, "c confirms (you type the target's name: %s), "
		    "e changes the target, q goes back.", pl->target);
	if (sel != LIST_NONE)
		list_select(p->lines, sel);
}

/* ---- keys ---- */

static void
target_done(void *arg, const char *line)
{
	struct view *v = arg;
	struct planv *p;

	/* The view may be gone (a reconnect closes every prompt first). */
	if (line == NULL || v == NULL)
		return;
	p = v->data;
	ui_restore_req_set_target(p->rq, str_trim((char *)line));
	build(p);
}

static const struct prompt_ops target_ops = { NULL, target_done, NULL };

static void
confirmed(void *arg, bool ok)
{
	struct planv *p = arg;

	if (!ok || p->plan == NULL)
		return;
	p->started = true;
	p->started_at = sv_time_now();
	plan_show(p);
	/* view_wait borrows the plan: this view stays below it. */
	ui_push_arg(p->view->ui, &view_wait, NULL, p->plan);
}

static void
confirm(struct planv *p)
{
	struct audit_session *s = ui_audit(p->view->ui);
	struct sv_err	 err;
	char		*q;

	if (!ui_operate(p->view->ui)) {
		ui_message(p->view->ui, true, "%s", READONLY_BANNER);
		return;
	}
	if (p->started) {
		ui_message(p->view->ui, true, "this plan was confirmed and started "
		    "already: q goes back, R plans another restore");
		return;
	}
	if (p->plan == NULL) {
		ui_message(p->view->ui, true, p->failed ? "there is no valid plan to "
		    "confirm: e or r" : "the plan is still being checked");
		return;
	}
	if (restore_plan_mutations(p->plan) == 0) {
		ui_message(p->view->ui, true, "this plan changes nothing: nothing to "
		    "confirm");
		return;
	}
	if (s == NULL) {
		ui_message(p->view->ui, true, "no audit log is open: nothing can be "
		    "changed");
		return;
	}
	/* The plan as confirmed, before the confirmation. */
	sv_err_init(&err);
	if (audit_note(audit_session_log(s), "restore plan shown for confirmation",
	    restore_plan_cjson(p->plan), &err) != SV_OK) {
		ui_message(p->view->ui, true, "%s: nothing was changed", err.msg);
		return;
	}
	if (p->plan->kind == RESTORE_S3_PREFIX) {
		char	t[SV_TIME_ISO_MAX];

		sv_time_format_iso(p->plan->time, t, false);
		q = xasprintf("restore every key under %s to its state at %s "
		    "(%s, %zu calls%s)?", p->plan->source_uri, t,
		    restore_kind_name(p->plan->kind), restore_plan_mutations(p->plan),
		    p->plan->delete_new ? ", --delete-new" : "");
	} else
		q = xasprintf("restore %s to %s (%s)?", p->plan->source_uri,
		    p->plan->target_uri, restore_kind_name(p->plan->kind));
	ui_confirm_prompt(p->view->ui, q, confirm_expected(p->plan),
	    confirm_what(p->plan), confirmed, p);
	free(q);
}

static int
plan_key(struct view *v, enum ui_action a, int key)
{
	struct planv *p = v->data;

	switch (a) {
	case ACT_CONFIRM:
		confirm(p);
		return UI_HANDLED | UI_REDRAW;
	case ACT_DELETE_NEW:
		if (!p->prefix) {
			ui_message(v->ui, true, "D (--delete-new) applies to a prefix "
			    "restore only");
			return UI_HANDLED | UI_REDRAW;
		}
		if (p->started) {
			ui_message(v->ui, true, "this plan was started already");
			return UI_HANDLED | UI_REDRAW;
		}
		ui_restore_req_set_delete_new(p->rq,
		    !ui_restore_req_get(p->rq)->delete_new);
		ui_message(v->ui, false, ui_restore_req_get(p->rq)->delete_new ?
		    "--delete-new on: keys created after the time get a delete marker "
		    "(a new version on top; no version is ever destroyed); planning "
		    "again" : "--delete-new off: keys created after the time are left "
		    "alone; planning again");
		build(p);
		return UI_HANDLED | UI_REDRAW;
	case ACT_EDIT_TARGET:
		if (p->started) {
			ui_message(v->ui, true, "this plan was started already");
			return UI_HANDLED | UI_REDRAW;
		}
		if (str_starts(ui_restore_req_get(p->rq)->uri, "s3://")) {
			ui_message(v->ui, true, "an S3 restore writes new versions of the "
			    "same keys: there is no target name to change");
			return UI_HANDLED | UI_REDRAW;
		}
		prompt_open(PROMPT_VALUE, "target name (empty: salvage chooses): ",
		    p->plan != NULL ? p->plan->target : ui_restore_req_get(p->rq)->target,
		    &target_ops, v);
		return UI_HANDLED | UI_REDRAW;
	case ACT_REFRESH:
		if (p->started) {
			ui_message(v->ui, true, "this plan was started already");
			return UI_HANDLED | UI_REDRAW;
		}
		build(p);
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

/* ---- the view ---- */

static void
plan_enter(struct view *v, const struct resource *res)
{
	struct planv *p = xcalloc(1, sizeof *p);

	v->data = p;
	p->view = v;
	p->rq = v->arg;		/* ours */
	v->arg = NULL;
	sv_err_init(&p->err);
	p->lines = list_new(plan_cols, 1);
	{
		const struct restore_request *rq = ui_restore_req_get(p->rq);
		struct resource	 r;
		struct sv_err	 err;

		memset(&r, 0, sizeof r);
		sv_err_init(&err);
		p->prefix = rq->uri != NULL && resource_parse(rq->uri, &r, &err) ==
		    SV_OK && r.scheme == RES_S3 && (r.kind == RES_PREFIX ||
		    r.kind == RES_BUCKET);
		resource_free(&r);
	}
	ui_timer_add(v->ui, plan_timeout, plan_tick, p);
	build(p);
}

static void
plan_leave(struct view *v)
{
	struct planv *p = v->data;

	ui_confirm_forget(p);
	if (prompt_active())
		prompt_cancel();	/* a target prompt of this view */
	ui_timer_remove(v->ui, p);
	if (p->op != NULL)
		restore_op_cancel(p->op);
	if (p->plan != NULL)
		restore_plan_free(p->plan);
	list_free(p->lines);
	ui_restore_req_free(p->rq);
	free(p);
}

static void
plan_title(struct view *v, char *buf, size_t bufsz)
{
	struct planv *p = v->data;
	const struct restore_request *rq = ui_restore_req_get(p->rq);

	if (p->op != NULL)
		snprintf(buf, bufsz, "Restore plan for %s: checking %s", rq->uri,
		    ui_spinner(v->ui));
	else if (p->plan != NULL)
		snprintf(buf, bufsz, "Restore plan: %s -> %s (%s)%s",
		    p->plan->source_uri, p->plan->target_uri,
		    restore_kind_name(p->plan->kind),
		    ui_operate(v->ui) ? "" : "  READ-ONLY: nothing will be sent");
	else
		snprintf(buf, bufsz, "Restore plan for %s: refused", rq->uri);
}

static void
plan_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct planv *p = v->data;

	if (w != p->width) {
		/* Wrapped text is laid out for the window's width. */
		p->width = w;
		plan_show(p);
	}
	list_draw(p->lines, win, y, 0, h, w);
}

static struct list *
plan_list(struct view *v)
{
	return ((struct planv *)v->data)->lines;
}

static bool
plan_cancel(struct view *v)
{
	struct planv *p = v->data;

	if (p->op == NULL)
		return false;
	restore_op_cancel(p->op);
	p->op = NULL;
	p->failed = true;
	sv_err_init(&p->err);
	sv_err_set(&p->err, SV_E_CANCELLED, "checking was cancelled (r checks again)");
	plan_show(p);
	return true;
}

const struct view_class view_plan = {
	.name = "plan",
	.keys = KM_PLAN,
	.enter = plan_enter,
	.leave = plan_leave,
	.key = plan_key,
	.title = plan_title,
	.draw = plan_draw,
	.reload = NULL,
	.list = plan_list,
	.cancel = plan_cancel,
	.hint = "c confirm  e edit the target  D --delete-new (prefix)  r check "
	    "again  j/k scroll  ? help  q back",
};
