/* view-wait.c - a confirmed restore running: its calls sent through the
 * audit gate (restore_execute), then the target polled until usable
 * (restore_wait), with the elapsed time against the RTO target and a
 * progress bar where the service reports progress. Esc stops waiting,
 * never the restore, and says how to check on it later. Once usable,
 * verify (v) and drift (d) are offered as the next steps (view_result).
 * Never blocks: both are asynchronous ops of core/restore.h, ticked by
 * the loop's timers. The plan is borrowed from view_plan, below.
 *
 * A prefix restore (s3-prefix) shows its keys done and failed as they
 * go, then every key's result (j/k scroll them); the core lists the
 * prefix again after the run to verify it, so v says so. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/restore.h"
#include "ui/fmt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

enum wstate {
	W_EXECUTE,	/* sending the calls */
	W_WAIT,		/* polling the target */
	W_USABLE,
	W_FAILED,
	W_STOPPED	/* Esc: the restore goes on in AWS */
};

struct waitv {
	struct view			*view;
	const struct restore_plan	*plan;
	struct restore_outcome		 out;
	struct restore_op		*op;
	enum wstate			 state;
	struct sv_err			 err;
	char				 status[64];
	char				 message[512];
	int				 percent;
	size_t				 done, total;
	int64_t				 t0;	/* monotonic, when execute started */
	int64_t				 t_end;
	int64_t				 shown_s;
	size_t				 scroll;	/* s3-prefix: first result row */
};

static bool
is_prefix(const struct waitv *w)
{
	return w->plan->kind == RESTORE_S3_PREFIX;
}

static bool
running(const struct waitv *w)
{
	return w->state == W_EXECUTE || w->state == W_WAIT;
}

static int64_t
elapsed(const struct waitv *w)
{
	return (running(w) ? sv_monotonic_ms() : w->t_end) - w->t0;
}

static int
wait_timeout(void *arg)
{
	struct waitv *w = arg;
	int	 t = w->op != NULL ? restore_op_timeout_ms(w->op) : -1;
	int64_t	 left;

	if (!running(w))
		return t;
	/* The clock on screen, once a second. */
	left = w->t0 + (w->shown_s + 1) * 1000 - sv_monotonic_ms();
	if (left < 0)
		left = 0;
	if (t < 0 || left < t)
		t = (int)left;
	return t;
}

static void
wait_tick(void *arg)
{
	struct waitv *w = arg;
	int64_t	 s;

	if (w->op != NULL && restore_op_timeout_ms(w->op) == 0)
		restore_op_tick(w->op);
	s = elapsed(w) / 1000;
	if (s != w->shown_s) {
		w->shown_s = s;
		ui_dirty(w->view->ui);
	}
}

static void
progress(void *arg, const struct restore_progress *pr)
{
	struct waitv *w = arg;

	if (pr->status != NULL)
		str_lcpy(w->status, pr->status, sizeof w->status);
	if (pr->message != NULL)
		str_lcpy(w->message, pr->message, sizeof w->message);
	w->percent = pr->percent;
	w->done = pr->done;
	w->total = pr->total;
	ui_dirty(w->view->ui);
}

static void
finish(struct waitv *w, enum wstate st, sv_result r, const struct sv_err *err)
{
	w->state = st;
	w->t_end = sv_monotonic_ms();
	sv_err_init(&w->err);
	if (r != SV_OK)
		sv_err_set(&w->err, r, "%s", err != NULL && err->msg[0] != '\0' ?
		    err->msg : sv_result_str(r));
	ui_dirty(w->view->ui);
}

static void
waited(void *arg, struct restore_outcome *out, sv_result r, const struct sv_err *err)
{
	struct waitv *w = arg;

	w->op = NULL;
	if (out->status != NULL)
		str_lcpy(w->status, out->status, sizeof w->status);
	if (r == SV_E_CANCELLED || out->wait_stopped) {
		finish(w, W_STOPPED, SV_OK, NULL);
		return;
	}
	if (r == SV_OK && out->usable) {
		finish(w, W_USABLE, SV_OK, NULL);
		ui_message(w->view->ui, false, "%s is usable: v verifies it, d shows "
		    "the drift", w->plan->target_uri);
		return;
	}
	finish(w, W_FAILED, r != SV_OK ? r : SV_E_AWS, err);
}

static void
executed(void *arg, struct restore_outcome *out, sv_result r, const struct sv_err *err)
{
	struct waitv *w = arg;

	w->op = NULL;
	if (r != SV_OK) {
		finish(w, W_FAILED, r, err);
		return;
	}
	w->state = W_WAIT;
	w->op = restore_wait(ui_client(w->view->ui), w->plan, &w->out, progress,
	    waited, w);
	ui_dirty(w->view->ui);
}

static void
wait_enter(struct view *v, const struct resource *res)
{
	struct waitv *w = xcalloc(1, sizeof *w);

	v->data = w;
	w->view = v;
	w->plan = v->arg;	/* borrowed from view_plan */
	v->arg = NULL;
	w->percent = -1;
	sv_err_init(&w->err);
	restore_outcome_init(&w->out);
	w->t0 = sv_monotonic_ms();
	w->state = W_EXECUTE;
	ui_timer_add(v->ui, wait_timeout, wait_tick, w);
	w->op = restore_execute(ui_client(v->ui), w->plan, &w->out, progress,
	    executed, w);
}

static bool
stop(struct waitv *w)
{
	if (w->state != W_WAIT || w->op == NULL)
		return false;
	restore_op_cancel(w->op);	/* waited() runs: W_STOPPED */
	w->op = NULL;
	if (w->state != W_STOPPED)
		finish(w, W_STOPPED, SV_OK, NULL);
	return true;
}

static void
wait_leave(struct view *v)
{
	struct waitv *w = v->data;

	ui_timer_remove(v->ui, w);
	if (w->state == W_EXECUTE && w->op != NULL)
		/* Leaving while the calls go out: no further call is
		 * started (the ones sent go on in AWS). */
		restore_op_cancel(w->op);
	else if (stop(w))
		ui_message(v->ui, false, "stopped waiting: the restore goes on in AWS; "
		    ":open %s shows it", w->plan->target_uri);
	restore_outcome_free(&w->out);
	free(w);
}

static bool
wait_cancel(struct view *v)
{
	struct waitv *w = v->data;

	if (w->state == W_EXECUTE) {
		ui_message(v->ui, false, "the restore's calls are being sent: Esc can "
		    "stop waiting once they are");
		return true;
	}
	if (!stop(w))
		return false;
	ui_message(v->ui, false, "stopped waiting: the restore goes on in AWS");
	return true;
}

static int
wait_key(struct view *v, enum ui_action a, int key)
{
	struct waitv *w = v->data;

	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_TOP:
	case ACT_BOTTOM:
		if (!is_prefix(w))
			return UI_IGNORED;
		if (a == ACT_UP || a == ACT_PAGE_UP)
			w->scroll = w->scroll > (a == ACT_UP ? 1u : 10u) ?
			    w->scroll - (a == ACT_UP ? 1u : 10u) : 0;
		else if (a == ACT_TOP)
			w->scroll = 0;
		else if (a == ACT_BOTTOM)
			w->scroll = w->plan->nsteps > 0 ? w->plan->nsteps - 1 : 0;
		else
			w->scroll += a == ACT_DOWN ? 1 : 10;
		if (w->scroll >= w->plan->nsteps)
			w->scroll = w->plan->nsteps > 0 ? w->plan->nsteps - 1 : 0;
		return UI_HANDLED | UI_REDRAW;
	case ACT_CANCEL:
		if (wait_cancel(v))
			return UI_HANDLED | UI_REDRAW;
		return UI_IGNORED;
	case ACT_VERIFY:
	case ACT_DRIFT:
		if (w->state != W_USABLE) {
			ui_message(v->ui, true, "%s comes once the target is usable",
			    a == ACT_VERIFY ? "verify" : "drift");
			return UI_HANDLED | UI_REDRAW;
		}
		if (is_prefix(w) && a == ACT_VERIFY) {
			ui_message(v->ui, false, "verified already: %s was listed "
			    "again after the run and every key is as planned",
			    w->plan->source_uri);
			return UI_HANDLED | UI_REDRAW;
		}
		if (w->plan->kind == RESTORE_S3_UNDELETE && a == ACT_VERIFY) {
			ui_message(v->ui, false, "an undelete changes no data: the "
			    "newest version of %s is current again, nothing to "
			    "compare", w->plan->target_uri);
			return UI_HANDLED | UI_REDRAW;
		}
		if (w->plan->source.scheme == RES_S3 && a == ACT_DRIFT) {
			ui_message(v->ui, false, "drift is about the settings of "
			    "DynamoDB tables and RDS databases: an S3 restore "
			    "keeps the key's settings");
			return UI_HANDLED | UI_REDRAW;
		}
		ui_push_arg(v->ui, &view_result, NULL, ui_result_arg(a == ACT_VERIFY,
		    w->plan));
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

static void
wait_title(struct view *v, char *buf, size_t bufsz)
{
	struct waitv *w = v->data;
	static const char *const what[] = {
		[W_EXECUTE] = "sending the calls", [W_WAIT] = "waiting until usable",
		[W_USABLE] = "usable", [W_FAILED] = "failed",
		[W_STOPPED] = "no longer waiting (the restore goes on)"
	};

	snprintf(buf, bufsz, "Restore %s -> %s: %s %s", w->plan->source_uri,
	    w->plan->target_uri, what[w->state], running(w) ? ui_spinner(v->ui) : "");
}

static int
line(WINDOW *win, int y, int w, const char *label, attr_t at, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
line(WINDOW *win, int y, int w, const char *label, attr_t at, const char *fmt, ...)
{
	char	buf[2048];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	wmove(win, y, 1);
	list_put_cell(win, label, 11, false, ui_attr(UC_LABEL), 0, 0, 0);
	waddch(win, ' ');
	return ui_draw_text(win, y, 13, 3, w - 14, at, buf);
}

/* s3-prefix: the counts, then one row per key from w->scroll (rows
 * r .. end-1): RESULT ACTION KEY DETAIL. Returns the next row. */
static int
draw_keys(struct waitv *wv, WINDOW *win, int r, int end, int w)
{
	const struct restore_plan *pl = wv->plan;
	const struct restore_outcome *o = &wv->out;
	size_t	 calls = restore_plan_mutations(pl), done = o->ok + o->failed;

	r += line(win, r, w, "Keys", o->failed > 0 ? ui_attr(UC_WARN) : A_NORMAL,
	    "%zu of %zu done, %zu failed (%zu key%s left as %s)", done, calls,
	    o->failed, pl->nsteps - calls, pl->nsteps - calls == 1 ? "" : "s",
	    pl->nsteps - calls == 1 ? "it is" : "they are");
	if (wv->scroll > 0)
		r += line(win, r, w, "", ui_attr(UC_DIM), "... %zu above (k, g)",
		    wv->scroll);
	for (size_t i = wv->scroll; i < pl->nsteps && r < end; i++) {
		const struct restore_step *s = &pl->steps[i];
		const struct restore_step_result *sr = i < o->nsteps ? &o->steps[i] :
		    NULL;
		const char *res, *detail = NULL;
		attr_t	 at = A_NORMAL;

		if (s->op == OP__COUNT)
			res = "skip", at = ui_attr(UC_DIM);
		else if (sr == NULL || !sr->done)
			res = running(wv) ? "..." : "not sent", at = ui_attr(UC_DIM);
		else if (sr->result == SV_OK)
			res = "ok", detail = sr->detail;
		else
			res = "FAILED", detail = sr->message, at = ui_attr(UC_ERROR);
		if (r == end - 1 && i + 1 < pl->nsteps) {
			r += line(win, r, w, "", ui_attr(UC_DIM), "... %zu more (j, G)",
			    pl->nsteps - i);
			break;
		}
		r += line(win, r, w, i == wv->scroll ? "Results" : "", at,
		    "%-8s %-15s %s%s%s", res, restore_action_name(s->action),
		    s->key != NULL ? s->key : "?", detail != NULL ? "  " : "",
		    detail != NULL ? detail : "");
	}
	return r;
}

static void
wait_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct waitv *wv = v->data;
	const struct restore_plan *pl = wv->plan;
	char	 el[32], rto[32], bar[64];
	int	 r = y;
	int64_t	 e = elapsed(wv);

	r += line(win, r, w, "Restore", A_NORMAL, "%s -> %s (%s)", pl->source_uri,
	    pl->target_uri, restore_kind_name(pl->kind));
	r += line(win, r, w, "Status", wv->state == W_USABLE ? ui_attr(UC_LATEST) :
	    wv->state == W_FAILED ? ui_attr(UC_ERROR) : A_NORMAL, "%s%s%s",
	    wv->state == W_EXECUTE ? "sending" : wv->status[0] != '\0' ? wv->status :
	    "?", wv->state == W_USABLE ? ": usable" : "",
	    wv->state == W_EXECUTE && wv->total > 0 ? "" : "");
	sv_duration_format(e, el, sizeof el);
	if (pl->rto_target_ms > 0) {
		sv_duration_format(pl->rto_target_ms, rto, sizeof rto);
		r += line(win, r, w, "Elapsed", e > pl->rto_target_ms ?
		    ui_attr(UC_WARN) : A_NORMAL, "%s  (RTO target %s%s)", el, rto,
		    e > pl->rto_target_ms ? ": EXCEEDED" : "");
	} else
		r += line(win, r, w, "Elapsed", A_NORMAL, "%s  (no RTO target: "
		    "rto_target in the config sets one)", el);
	if (wv->percent >= 0) {
		int	n = wv->percent * 30 / 100;

		if (n > 30)
			n = 30;
		memset(bar, '#', (size_t)n);
		memset(bar + n, '.', (size_t)(30 - n));
		bar[30] = '\0';
		r += line(win, r, w, "Progress", A_NORMAL, "[%s] %d%%", bar, wv->percent);
	}
	if (wv->message[0] != '\0')
		r += line(win, r, w, "Last", ui_attr(UC_DIM), "%s", wv->message);
	if (wv->out.target_arn != NULL)
		r += line(win, r, w, "Target ARN", A_NORMAL, "%s", wv->out.target_arn);
	if (is_prefix(wv)) {
		r = draw_keys(wv, win, r, y + h - 3, w);
		goto tail;
	}
	for (size_t i = 0; i < wv->out.nsteps && i < pl->nsteps && r < y + h - 4; i++) {
		const struct restore_step_result *s = &wv->out.steps[i];

		if (!s->done)
			continue;
		r += line(win, r, w, i == 0 ? "Calls" : "", s->result == SV_OK ?
		    A_NORMAL : ui_attr(UC_ERROR), "%s: %s%s%s%s%s", pl->steps[i].summary,
		    s->result == SV_OK ? "ok" : s->message != NULL ? s->message : "failed",
		    s->detail != NULL ? " " : "", s->detail != NULL ? s->detail : "",
		    s->request_id[0] != '\0' ? "  request " : "", s->request_id);
	}
tail:
	r++;
	switch (wv->state) {
	case W_EXECUTE:
	case W_WAIT:
		line(win, r, w, "", ui_attr(UC_DIM), "Esc stops waiting (never the "
		    "restore: it goes on in AWS)");
		break;
	case W_USABLE:
		if (is_prefix(wv)) {
			char	t[64];

			ui_time_format(pl->time, t, sizeof t);
			line(win, r, w, "Done", ui_attr(UC_TITLE), "every key under %s "
			    "is as it was at %s (listed again after the run: verified)",
			    pl->source_uri, t);
			break;
		}
		line(win, r, w, "Next", ui_attr(UC_TITLE), "v verify: compare %s with %s"
		    "    d drift: the settings the restore did not carry over",
		    pl->target_uri, pl->source_uri);
		break;
	case W_FAILED:
		line(win, r, w, "Error", ui_attr(UC_ERROR), "%s", wv->err.msg);
		break;
	case W_STOPPED:
		line(win, r, w, "Later", A_NORMAL, "No longer waiting; the restore goes "
		    "on in AWS. Check it later: :open %s (or salvage points %s)",
		    pl->target_uri, pl->target_uri);
		break;
	}
}

const struct view_class view_wait = {
	.name = "wait",
	.keys = KM_WAIT,
	.enter = wait_enter,
	.leave = wait_leave,
	.key = wait_key,
	.title = wait_title,
	.draw = wait_draw,
	.cancel = wait_cancel,
	.hint = "Esc stop waiting  v verify  d drift  j/k scroll (prefix)  ? help  "
	    "q back",
};
