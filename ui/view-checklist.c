/* view-checklist.c - a runbook session in the console (core/session.h):
 * the checklist on the left (each step's status mark and elapsed time),
 * the selected step's detail on the right (title, text, what it will do,
 * what the session asks, progress), and the elapsed time in total
 * against the runbook's RTO target (red when over). The session's id is
 * in the header while it is open.
 *
 * Answers by keys: Enter or y answers the current step (yes/done for
 * info and check, the target's name typed for a change, a value for
 * input, the timeline for choose-point, the text for note); s skips with
 * a reason, n writes a note, A aborts (after asking). The engine saves
 * the state after every step and answer; leaving the checklist (or the
 * console) pauses the session where it stands: `salvage resume ID`
 * continues it. Nothing blocks: the session's actions run on the HTTP
 * engine the loop drives, and its timers are the loop's timers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/resource.h"
#include "core/runbook.h"
#include "core/session.h"
#include "ui/prompt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

#define CL_MSGS		64	/* progress lines kept */

enum { C_MARK, C_NUM, C_STEP, C_TIME };

static const struct list_column cl_cols[] = {
	{ "", LIST_TEXT, 3, 0, LIST_COL_NOFILTER },
	{ "#", LIST_INT, 3, 0, 0 },
	{ "Step", LIST_TEXT, 0, 10, 0 },
	{ "Time", LIST_TEXT, 8, 0, LIST_COL_RIGHT | LIST_COL_NOFILTER },
};

struct clv {
	struct view	*view;
	struct session	*s;
	struct list	*list;
	size_t		 shown_cur;	/* the step the selection followed */
	char		*msgs[CL_MSGS];
	size_t		 nmsgs;		/* ever added */
	bool		 confirm_abort;
	int64_t		 next_clock;	/* monotonic: the next redraw of clocks */
};

/* The checklist a prompt was opened for (NULL when it went away). */
static struct clv *prompt_cl;

/* ---- times ---- */

static void
fmt_dur(int64_t ms, char *buf, size_t bufsz)
{
	int64_t	 s = ms < 0 ? 0 : ms / 1000;

	if (s >= 3600)
		snprintf(buf, bufsz, "%lld:%02lld:%02lld", (long long)(s / 3600),
		    (long long)(s / 60 % 60), (long long)(s % 60));
	else
		snprintf(buf, bufsz, "%02lld:%02lld", (long long)(s / 60),
		    (long long)(s % 60));
}

static int64_t
step_elapsed(const struct session_step *st)
{
	if (st->started == SV_TIME_NONE)
		return -1;
	if (st->finished != SV_TIME_NONE)
		return st->finished - st->started;
	if (st->status == SSTEP_RUNNING)
		return sv_time_now() - st->started;
	return -1;
}

static int64_t
total_elapsed(const struct session *s)
{
	sv_time	 end = session_finished(s);

	return (end != SV_TIME_NONE ? end : sv_time_now()) - session_started(s);
}

/* ---- the session's events ---- */

static void
ev_started(void *arg, size_t i)
{
	struct clv *c = arg;

	(void)i;
	ui_dirty(c->view->ui);
}

static void
ev_message(void *arg, const char *line)
{
	struct clv *c = arg;
	size_t	 k = c->nmsgs % CL_MSGS;

	free(c->msgs[k]);
	c->msgs[k] = xstrdup(line);
	c->nmsgs++;
	ui_dirty(c->view->ui);
}

static void
ev_changed(void *arg)
{
	struct clv *c = arg;

	ui_dirty(c->view->ui);
}

static const struct session_events cl_events = {
	ev_started, ev_message, ev_started, ev_changed
};

/* ---- timers: the session's and the clocks' ---- */

static int
cl_timeout(void *arg)
{
	struct clv *c = arg;
	int	 t = session_timeout_ms(c->s);
	int64_t	 left;

	if (session_over(c->s))
		return t;
	left = c->next_clock - sv_monotonic_ms();
	if (left < 0)
		left = 0;
	if (t < 0 || left < t)
		t = (int)left;
	return t;
}

static void
cl_tick(void *arg)
{
	struct clv *c = arg;
	int64_t	 now = sv_monotonic_ms();

	if (session_timeout_ms(c->s) == 0)
		session_tick(c->s);
	if (now >= c->next_clock) {
		c->next_clock = now + 1000;
		ui_dirty(c->view->ui);
	}
}

/* ---- answers ---- */

static void
answer(struct clv *c, const char *line)
{
	struct sv_err	 err;

	sv_err_init(&err);
	if (session_answer(c->s, line, &err) != SV_OK)
		ui_message(c->view->ui, true, "%s", err.msg);
	ui_dirty(c->view->ui);
}

/* What a prompt's line becomes: the line itself, or prefix + line. */
static const char *prompt_prefix;

static void
line_done(void *unused, const char *line)
{
	struct clv	*c = prompt_cl;
	const char	*prefix = prompt_prefix;
	char		*full;

	(void)unused;
	prompt_cl = NULL;
	if (c == NULL)
		return;
	if (line == NULL) {
		ui_message(c->view->ui, false, "cancelled: nothing was answered");
		return;
	}
	if (prefix != NULL) {
		char	*copy = xstrdup(line), *t = str_trim(copy);

		if (*t == '\0') {
			ui_message(c->view->ui, true, "%s needs text: nothing was "
			    "recorded", prefix);
			free(copy);
			return;
		}
		full = xasprintf("%s %s", prefix, t);
		free(copy);
		answer(c, full);
		free(full);
		return;
	}
	answer(c, line);
}

static const struct prompt_ops line_ops = { NULL, line_done, NULL };

static void
ask_line(struct clv *c, enum prompt_kind kind, const char *prefix,
    const char *question, const char *def)
{
	char	*q;

	if (def != NULL)
		q = xasprintf("%s [%s]: ", question, def);
	else
		q = xasprintf("%s: ", question);
	prompt_cl = c;
	prompt_prefix = prefix;
	prompt_open(kind, q, NULL, &line_ops, NULL);
	free(q);
}

/* The timeline gave a point (the timeline went; c is on top again). */
static void
point_chosen(void *arg, const char *point)
{
	answer(arg, point);
}

static void
choose_point(struct clv *c, const struct session_prompt *p)
{
	struct ui_timeline_arg	*a;
	struct resource		 res;
	struct sv_err		 err;

	memset(&res, 0, sizeof res);
	sv_err_init(&err);
	if (p->resource == NULL || p->points == NULL ||
	    resource_parse(p->resource, &res, &err) != SV_OK) {
		/* Nothing to show on a timeline: typed instead. */
		resource_free(&res);
		ask_line(c, PROMPT_TIME, NULL, p->question,
		    p->def != NULL ? p->def : "latest");
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->at = SV_TIME_NONE;
	a->chosen = point_chosen;
	a->chosen_arg = c;
	ui_push_arg(c->view->ui, &view_timeline, &res, a);	/* frees a */
	resource_free(&res);
	ui_message(c->view->ui, false, "choose the point for ${%s}: Enter takes "
	    "the one under the cursor (the latest unless you move), q goes back",
	    p->var != NULL ? p->var : "?");
}

static void
do_answer(struct clv *c)
{
	struct session_prompt	 p;
	struct ui		*ui = c->view->ui;
	char			*q;

	if (session_over(c->s)) {
		ui_message(ui, true, "the session is %s: nothing is asked",
		    session_state_name(session_get_state(c->s)));
		return;
	}
	session_prompt(c->s, &p);
	switch (p.kind) {
	case SESSION_ASK_NONE:
		ui_message(ui, false, "the step is running: wait for it (A aborts)");
		break;
	case SESSION_ASK_CONFIRM:
		answer(c, "yes");
		break;
	case SESSION_ASK_NAME:
		/* Typed, never in a history; the session records it. */
		q = xasprintf("type %s to confirm (%s)", p.expected, p.question);
		ask_line(c, PROMPT_CONFIRM, NULL, q, NULL);
		free(q);
		break;
	case SESSION_ASK_VALUE:
		ask_line(c, p.type == RB_VT_TIME ? PROMPT_TIME : PROMPT_VALUE, NULL,
		    p.question, p.def);
		break;
	case SESSION_ASK_POINT:
		choose_point(c, &p);
		break;
	case SESSION_ASK_NOTE:
		ask_line(c, PROMPT_VALUE, NULL, p.question, p.def);
		break;
	}
}

static void
do_abort(struct clv *c)
{
	struct session_prompt	 p;

	session_prompt(c->s, &p);
	if (p.kind != SESSION_ASK_NONE)
		answer(c, "abort");
	else
		session_pause(c->s, "aborted by the operator");
	ui_message(c->view->ui, false, "session %s stopped: salvage resume %s "
	    "continues it", session_id(c->s), session_id(c->s));
}

/* ---- the view ---- */

static void
cl_enter(struct view *v, const struct resource *res)
{
	struct clv	*c = xcalloc(1, sizeof *c);
	const struct runbook *rb;

	(void)res;
	v->data = c;
	c->view = v;
	c->s = ui_session(v->ui);
	rb = session_runbook(c->s);
	c->list = list_new(cl_cols, 4);
	for (size_t i = 0; i < rb->nsteps; i++) {
		union list_value row[4];

		row[C_MARK].s = "[ ]";
		row[C_NUM].n = (int64_t)i + 1;
		row[C_STEP].s = rb->steps[i].title;
		row[C_TIME].s = "";
		list_add(c->list, row, LIST_STYLE_NORMAL);
	}
	c->shown_cur = (size_t)-1;
	c->next_clock = sv_monotonic_ms() + 1000;
	session_set_events(c->s, &cl_events, c);
	ui_timer_add(v->ui, cl_timeout, cl_tick, c);
	/* A new session's first step, a resumed one's step again. */
	session_pump(c->s);
}

static void
cl_leave(struct view *v)
{
	struct clv *c = v->data;

	if (prompt_cl == c) {
		prompt_cl = NULL;
		if (prompt_active())
			prompt_cancel();
	}
	ui_timer_remove(v->ui, c);
	session_set_events(c->s, NULL, NULL);
	if (!session_over(c->s)) {
		session_pause(c->s, "the operator left the console");
		ui_message(v->ui, false, "session %s paused at step %zu: salvage "
		    "resume %s continues it", session_id(c->s),
		    session_current(c->s) + 1, session_id(c->s));
	}
	list_free(c->list);
	for (size_t i = 0; i < CL_MSGS; i++)
		free(c->msgs[i]);
	free(c);
}

static int
cl_key(struct view *v, enum ui_action a, int key)
{
	struct clv *c = v->data;

	if (c->confirm_abort) {
		c->confirm_abort = false;
		if (key == 'y' || key == 'Y')
			do_abort(c);
		else
			ui_message(v->ui, false, "not aborted");
		return UI_HANDLED | UI_REDRAW;
	}
	switch (a) {
	case ACT_ANSWER:
		do_answer(c);
		break;
	case ACT_SKIP:
		if (session_over(c->s)) {
			ui_message(v->ui, true, "the session is over: nothing to skip");
			break;
		}
		ask_line(c, PROMPT_VALUE, "skip", "skip this step: the reason (into "
		    "the audit log and the report)", NULL);
		break;
	case ACT_NOTE:
		if (session_over(c->s)) {
			ui_message(v->ui, true, "the session is over: notes go in while "
			    "it runs (salvage resume %s)", session_id(c->s));
			break;
		}
		ask_line(c, PROMPT_VALUE, "note", "note (into the audit log)", NULL);
		break;
	case ACT_ABORT:
		if (session_over(c->s)) {
			ui_message(v->ui, true, "the session is already %s",
			    session_state_name(session_get_state(c->s)));
			break;
		}
		c->confirm_abort = true;
		ui_message(v->ui, true, "Abort session %s? y stops it (salvage resume "
		    "continues it later); any other key goes on", session_id(c->s));
		break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

static void
cl_title(struct view *v, char *buf, size_t bufsz)
{
	struct clv	*c = v->data;
	const struct runbook *rb = session_runbook(c->s);
	size_t		 cur = session_current(c->s);

	if (cur < rb->nsteps)
		snprintf(buf, bufsz, "Runbook %s: %s (step %zu of %zu, %s)", rb->id,
		    rb->title, cur + 1, rb->nsteps,
		    session_state_name(session_get_state(c->s)));
	else
		snprintf(buf, bufsz, "Runbook %s: %s (%zu steps, %s)", rb->id,
		    rb->title, rb->nsteps,
		    session_state_name(session_get_state(c->s)));
}

static const char *
mark(const struct session *s, size_t i)
{
	const struct session_step *st = session_step(s, i);

	switch (st->status) {
	case SSTEP_DONE:
		return "[x]";
	case SSTEP_SKIPPED:
		return "[-]";
	case SSTEP_FAILED:
		return "[!]";
	case SSTEP_RUNNING:
		return "[>]";
	default:
		return i == session_current(s) && !session_over(s) ? "[>]" : "[ ]";
	}
}

/* What a step of this type does, in one line. */
static char *
what_it_does(const struct session *s, const struct rb_step *st)
{
	const char	*var = runbook_param(st, "var");
	const char	*res = runbook_param(st, "resource");
	char		*r = res != NULL ? session_expand_text(s, res) : xstrdup("?");
	char		*out;

	switch (st->type) {
	case RB_STEP_INFO:
		out = xstrdup("Read, then confirm (Enter or y).");
		break;
	case RB_STEP_CHECK:
		out = xstrdup("A manual action: confirm it was done (Enter or y).");
		break;
	case RB_STEP_INPUT:
		out = xasprintf("Sets ${%s}: Enter asks for the value (checked by "
		    "its type).", var != NULL ? var : "?");
		break;
	case RB_STEP_CHOOSE_POINT:
		out = xasprintf("Chooses a restore point of %s for ${%s}: Enter opens "
		    "its timeline (the latest by default).", r, var != NULL ? var : "?");
		break;
	case RB_STEP_RESTORE:
		out = xasprintf("Restores %s: the plan is shown, then you type the "
		    "target's name to confirm (needs --operate).", r);
		break;
	case RB_STEP_WAIT:
		out = xstrdup("Waits until the restored resource is usable (progress "
		    "below).");
		break;
	case RB_STEP_VERIFY:
		out = xstrdup("Compares the restored resource with its source.");
		break;
	case RB_STEP_DRIFT:
		out = xstrdup("Lists the settings the restore did not carry over.");
		break;
	case RB_STEP_NOTE:
		out = xstrdup("Free text into the audit log: Enter asks for it.");
		break;
	case RB_STEP_CLEANUP:
		out = xstrdup("Deletes only what this session created, confirmed by "
		    "name.");
		break;
	default:
		out = xstrdup("");
		break;
	}
	free(r);
	return out;
}

static const char *
ask_hint(enum session_ask k)
{
	switch (k) {
	case SESSION_ASK_CONFIRM:
		return "Enter/y: yes, done   s: skip (a reason)   n: note   A: abort";
	case SESSION_ASK_NAME:
		return "Enter: type the target's name to confirm   s: skip   n: note   "
		    "A: abort";
	case SESSION_ASK_VALUE:
		return "Enter: type the value   s: skip   n: note   A: abort";
	case SESSION_ASK_POINT:
		return "Enter: the timeline (Enter there takes the point)   s: skip   "
		    "A: abort";
	case SESSION_ASK_NOTE:
		return "Enter: type the note   s: skip   A: abort";
	default:
		return "";
	}
}

static void
draw_detail(struct clv *c, WINDOW *win, int y, int x, int h, int w, size_t i)
{
	const struct runbook	*rb = session_runbook(c->s);
	const struct rb_step	*rs = &rb->steps[i];
	const struct session_step *st = session_step(c->s, i);
	struct session_prompt	 p;
	char			*title, *text, *what, line[1024], d[32];
	int			 row = y, end = y + h;
	int64_t			 el = step_elapsed(st);

	if (h <= 0 || w <= 4)
		return;
	if (el >= 0)
		fmt_dur(el, d, sizeof d);
	else
		snprintf(d, sizeof d, "-");
	snprintf(line, sizeof line, "Step %zu of %zu  %s  %s  %s", i + 1, rb->nsteps,
	    rb_step_type_name(rs->type), session_step_status_name(st->status), d);
	wmove(win, row++, x);
	list_put_cell(win, line, w, false, ui_attr(UC_LABEL), 0, 0, 0);
	title = session_step_title(c->s, i);
	wmove(win, row++, x);
	list_put_cell(win, title != NULL ? title : rs->title, w, false,
	    ui_attr(UC_TITLE) | A_BOLD, 0, 0, 0);
	free(title);
	text = session_step_text(c->s, i);
	if (text != NULL && *text != '\0' && row < end)
		row += ui_draw_text(win, row, x, end - row, w, A_NORMAL, text);
	free(text);
	if (row < end)
		row++;
	what = what_it_does(c->s, rs);
	if (row < end)
		row += ui_draw_text(win, row, x, end - row, w, ui_attr(UC_DIM), what);
	free(what);
	if (st->outcome != NULL && row < end) {
		snprintf(line, sizeof line, "Outcome: %s%s%s%s", st->outcome,
		    st->confirmed_by != NULL ? " (by " : "",
		    st->confirmed_by != NULL ? st->confirmed_by : "",
		    st->confirmed_by != NULL ? ")" : "");
		row += ui_draw_text(win, row, x, end - row, w,
		    st->status == SSTEP_FAILED ? ui_attr(UC_ERROR) : A_NORMAL, line);
	}
	if (i != session_current(c->s) || session_over(c->s)) {
		if (session_over(c->s) && i == session_current(c->s) && row + 1 < end) {
			snprintf(line, sizeof line, "Session %s: salvage resume %s "
			    "continues it.", session_state_name(session_get_state(c->s)),
			    session_id(c->s));
			row++;
			row += ui_draw_text(win, row, x, end - row, w, ui_attr(UC_WARN),
			    line);
		}
		goto messages;
	}
	session_prompt(c->s, &p);
	if (p.kind == SESSION_ASK_NONE && session_busy(c->s) && row + 1 < end) {
		snprintf(line, sizeof line, "%s working%s", ui_spinner(c->view->ui),
		    el >= 0 ? "" : "");
		row++;
		wmove(win, row++, x);
		list_put_cell(win, line, w, false, ui_attr(UC_WARN), 0, 0, 0);
	}
	if (p.kind != SESSION_ASK_NONE) {
		if (row < end)
			row++;
		if (p.detail != NULL && row < end)
			row += ui_draw_text(win, row, x, end - row, w, A_NORMAL, p.detail);
		if (row < end) {
			snprintf(line, sizeof line, "%s%s%s%s", p.question,
			    p.def != NULL && p.kind != SESSION_ASK_NAME ? " [" : "",
			    p.def != NULL && p.kind != SESSION_ASK_NAME ? p.def : "",
			    p.def != NULL && p.kind != SESSION_ASK_NAME ? "]" : "");
			row += ui_draw_text(win, row, x, end - row, w,
			    ui_attr(UC_TITLE), line);
		}
		if (row < end) {
			wmove(win, row++, x);
			list_put_cell(win, ask_hint(p.kind), w, false, ui_attr(UC_KEYS),
			    0, 0, 0);
		}
	}
messages:
	/* The last progress lines, as many as fit. */
	if (c->nmsgs > 0 && row + 2 < end) {
		size_t	 avail = (size_t)(end - row - 1), n = c->nmsgs < CL_MSGS ?
			    c->nmsgs : CL_MSGS;

		if (n > avail)
			n = avail;
		row++;
		for (size_t k = c->nmsgs - n; k < c->nmsgs && row < end; k++) {
			wmove(win, row++, x);
			list_put_cell(win, c->msgs[k % CL_MSGS], w, false,
			    ui_attr(UC_DIM), 0, 0, 0);
		}
	}
}

static void
cl_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct clv	*c = v->data;
	const struct runbook *rb = session_runbook(c->s);
	size_t		 cur = session_current(c->s), sel;
	int64_t		 total = total_elapsed(c->s);
	int		 lw = w * 2 / 5, rx;
	char		 line[512], d[32];
	bool		 over;

	if (lw < 30)
		lw = 30;
	if (lw > w - 20)
		lw = w - 20;
	/* The rows: marks, titles with what is known now, elapsed times. */
	for (size_t i = 0; i < rb->nsteps; i++) {
		const struct session_step *st = session_step(c->s, i);
		char	*t = session_step_title(c->s, i);
		int64_t	 el = step_elapsed(st);

		list_set_str(c->list, i, C_MARK, mark(c->s, i));
		list_set_str(c->list, i, C_STEP, t != NULL ? t : rb->steps[i].title);
		free(t);
		if (el >= 0)
			fmt_dur(el, d, sizeof d);
		else
			d[0] = '\0';
		list_set_str(c->list, i, C_TIME, d);
		list_set_style(c->list, i, st->status == SSTEP_FAILED ? LIST_STYLE_WARN :
		    st->status == SSTEP_DONE || st->status == SSTEP_SKIPPED ?
		    LIST_STYLE_DIM : i == cur ? LIST_STYLE_LATEST : LIST_STYLE_NORMAL);
	}
	/* The selection follows the current step (it may be moved away). */
	if (cur != c->shown_cur) {
		c->shown_cur = cur;
		list_select(c->list, cur < rb->nsteps ? cur : rb->nsteps - 1);
	}
	/* Line 1: the total against the RTO target. */
	fmt_dur(total, d, sizeof d);
	over = rb->rto_minutes > 0 && total > (int64_t)rb->rto_minutes * 60000;
	if (rb->rto_minutes > 0)
		snprintf(line, sizeof line, "Elapsed %s of RTO target %d min%s   "
		    "session %s (%s)", d, rb->rto_minutes, over ? ": OVER" : "",
		    session_id(c->s), session_state_name(session_get_state(c->s)));
	else
		snprintf(line, sizeof line, "Elapsed %s (no RTO target)   session %s "
		    "(%s)", d, session_id(c->s),
		    session_state_name(session_get_state(c->s)));
	wmove(win, y, 0);
	list_put_cell(win, line, w, false, ui_attr(over ? UC_ERROR : UC_LABEL),
	    0, 0, 0);
	if (c->confirm_abort) {
		wmove(win, y, 0);
		list_put_cell(win, "Abort the session? y stops it (resumable), any "
		    "other key goes on", w, false, ui_attr(UC_WARN), 0, 0, 0);
	}
	list_draw(c->list, win, y + 1, 0, h - 1, lw);
	for (int k = y + 1; k < y + h; k++)
		mvwaddch(win, k, lw, ACS_VLINE);
	rx = lw + 2;
	sel = list_selected(c->list);
	if (sel == LIST_NONE)
		sel = cur < rb->nsteps ? cur : rb->nsteps - 1;
	if (rb->nsteps > 0)
		draw_detail(c, win, y + 1, rx, h - 1, w - rx - 1, sel);
}

static struct list *
cl_list(struct view *v)
{
	return ((struct clv *)v->data)->list;
}

const struct view_class view_checklist = {
	.name = "checklist",
	.keys = KM_CHECKLIST,
	.enter = cl_enter,
	.leave = cl_leave,
	.key = cl_key,
	.title = cl_title,
	.draw = cl_draw,
	.list = cl_list,
	.hint = "Enter/y answer  s skip  n note  A abort  Up/Down steps  ? help  "
	    "q leave (pauses)",
};
