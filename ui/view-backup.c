/* view-backup.c - an on-demand backup or snapshot from the console (b):
 * planned with read-only calls (the source exists, the name is free),
 * the plan line shown, confirmed by typing the name (audit_confirm),
 * created through the client's gate, then polled until available with
 * the elapsed time and the service's progress. Esc stops waiting, never
 * the backup. Everything is asynchronous (core/backup.h's _async
 * forms); the polls are a timer of the loop. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

#define BACKUP_ALL	((1u << CORE_BACKUP_DYNAMODB) | (1u << CORE_BACKUP_RDS) | \
			 (1u << CORE_BACKUP_RDS_CLUSTER))

enum bstate {
	B_PLANNING,
	B_CONFIRM,	/* the prompt is open */
	B_DECLINED,
	B_STARTING,
	B_WAITING,
	B_AVAILABLE,
	B_FAILED,
	B_STOPPED	/* Esc: not watching any more; the backup goes on */
};

struct backup {
	struct view		*view;
	char			*uri;
	char			*name;
	enum bstate		 state;
	struct core_backup_plan	 plan;
	bool			 have_plan;
	struct core_backup_status st;
	struct core_backup_op	*op;
	struct sv_err		 err;
	int			 polls;
	int64_t			 due;		/* next poll, monotonic; 0: none */
	int64_t			 t0;		/* the create call was answered */
	int64_t			 t_end;
	int64_t			 shown_s;	/* elapsed seconds drawn */
};

static void	poll_now(struct backup *);

static void
fail(struct backup *b, sv_result r, const struct sv_err *err, const char *what)
{
	b->state = B_FAILED;
	sv_err_init(&b->err);
	sv_err_set(&b->err, r, "%s%s", what, err != NULL && err->msg[0] != '\0' ?
	    err->msg : sv_result_str(r));
	b->t_end = sv_monotonic_ms();
	ui_dirty(b->view->ui);
}

static void
schedule(struct backup *b)
{
	b->due = sv_monotonic_ms() + core_backup_poll_delay_ms(b->polls++);
}

static void
status_seen(struct backup *b)
{
	if (b->st.available) {
		b->state = B_AVAILABLE;
		b->t_end = sv_monotonic_ms();
		ui_message(b->view->ui, false, "%s %s is available",
		    b->plan.kind == CORE_BACKUP_DYNAMODB ? "backup" : "snapshot",
		    b->plan.name);
	} else if (b->st.failed) {
		struct sv_err	e;

		sv_err_init(&e);
		sv_err_set(&e, SV_E_AWS, "it ended in state %s", b->st.status);
		fail(b, SV_E_AWS, &e, "");
	} else
		schedule(b);
	ui_dirty(b->view->ui);
}

static void
poll_done(void *arg, sv_result r, const struct sv_err *err)
{
	struct backup *b = arg;

	b->op = NULL;
	if (r == SV_E_CANCELLED)
		return;
	if (r != SV_OK) {
		/* A failed status request is not a failed backup: try again. */
		ui_message(b->view->ui, true, "checking the %s: %s (trying again)",
		    b->plan.kind == CORE_BACKUP_DYNAMODB ? "backup" : "snapshot",
		    err->msg);
		schedule(b);
		return;
	}
	status_seen(b);
}

static void
poll_now(struct backup *b)
{
	struct core_backup_op *op;

	b->due = 0;
	op = core_backup_poll_async(ui_client(b->view->ui), &b->plan, &b->st,
	    poll_done, b);
	if (op != NULL)
		b->op = op;
}

static void
start_done(void *arg, sv_result r, const struct sv_err *err)
{
	struct backup *b = arg;

	b->op = NULL;
	if (r != SV_OK) {
		fail(b, r, err, r == SV_E_READONLY || r == SV_E_AUDIT ? "refused: " :
		    "creating it failed: ");
		return;
	}
	b->t0 = sv_monotonic_ms();
	b->state = B_WAITING;
	status_seen(b);
}

static void
confirmed(void *arg, bool ok)
{
	struct backup *b = arg;
	struct core_backup_op *op;

	if (!ok) {
		b->state = B_DECLINED;
		ui_dirty(b->view->ui);
		return;
	}
	b->state = B_STARTING;
	op = core_backup_start_async(ui_client(b->view->ui), &b->plan, &b->st,
	    start_done, b);
	if (op != NULL)
		b->op = op;
	ui_dirty(b->view->ui);
}

static void
ask(struct backup *b)
{
	char	*q = xasprintf("%s?", b->plan.summary);

	b->state = B_CONFIRM;
	ui_confirm_prompt(b->view->ui, q, b->plan.name,
	    b->plan.kind == CORE_BACKUP_DYNAMODB ? "backup name" : "snapshot name",
	    confirmed, b);
	free(q);
}

static void
plan_done(void *arg, sv_result r, const struct sv_err *err)
{
	struct backup *b = arg;

	b->op = NULL;
	if (r == SV_E_CANCELLED)
		return;
	if (r != SV_OK) {
		fail(b, r, err, "");
		return;
	}
	b->have_plan = true;
	ask(b);
	ui_dirty(b->view->ui);
}

static int
backup_timeout(void *arg)
{
	struct backup *b = arg;
	int64_t	 now = sv_monotonic_ms(), t = -1;

	if (b->state != B_WAITING)
		return -1;
	if (b->due != 0 && b->op == NULL)
		t = b->due > now ? b->due - now : 0;
	/* The elapsed time on screen, once a second. */
	{
		int64_t next = b->t0 + (b->shown_s + 1) * 1000;
		int64_t left = next > now ? next - now : 0;

		if (t < 0 || left < t)
			t = left;
	}
	return (int)t;
}

static void
backup_tick(void *arg)
{
	struct backup *b = arg;
	int64_t	 now = sv_monotonic_ms();

	if (b->state != B_WAITING)
		return;
	if (b->due != 0 && b->op == NULL && now >= b->due)
		poll_now(b);
	if ((now - b->t0) / 1000 != b->shown_s) {
		b->shown_s = (now - b->t0) / 1000;
		ui_dirty(b->view->ui);
	}
}

static void
backup_enter(struct view *v, const struct resource *res)
{
	struct backup *b = xcalloc(1, sizeof *b);
	char	**pair = v->arg;
	struct core_backup_op *op;

	v->data = b;
	b->view = v;
	b->uri = pair[0];
	b->name = pair[1];
	free(pair);
	v->arg = NULL;
	sv_err_init(&b->err);
	b->state = B_PLANNING;
	ui_timer_add(v->ui, backup_timeout, backup_tick, b);
	op = core_backup_plan_async(ui_client(v->ui), b->uri, b->name, BACKUP_ALL,
	    &b->plan, plan_done, b);
	if (op != NULL)
		b->op = op;
}

static void
backup_leave(struct view *v)
{
	struct backup *b = v->data;

	ui_confirm_forget(b);
	ui_timer_remove(v->ui, b);
	if (b->op != NULL)
		core_backup_op_cancel(b->op);
	if (b->state == B_WAITING)
		ui_message(v->ui, false, "stopped watching; the %s goes on in AWS: "
		    "salvage points %s shows it", b->plan.kind == CORE_BACKUP_DYNAMODB ?
		    "backup" : "snapshot", b->plan.uri);
	if (b->have_plan)
		core_backup_plan_free(&b->plan);
	core_backup_status_free(&b->st);
	free(b->uri);
	free(b->name);
	free(b);
}

static bool
backup_cancel(struct view *v)
{
	struct backup *b = v->data;

	if (b->state != B_WAITING)
		return false;
	if (b->op != NULL)
		core_backup_op_cancel(b->op);
	b->due = 0;
	b->state = B_STOPPED;
	b->t_end = sv_monotonic_ms();
	ui_message(v->ui, false, "stopped waiting; the %s goes on in AWS",
	    b->plan.kind == CORE_BACKUP_DYNAMODB ? "backup" : "snapshot");
	return true;
}

static int
backup_key(struct view *v, enum ui_action a, int key)
{
	struct backup *b = v->data;

	if (a == ACT_CANCEL && backup_cancel(v))
		return UI_HANDLED | UI_REDRAW;
	if (a == ACT_REFRESH && b->state == B_DECLINED && b->have_plan) {
		ask(b);
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_IGNORED;
}

static void
backup_title(struct view *v, char *buf, size_t bufsz)
{
	struct backup *b = v->data;

	snprintf(buf, bufsz, "Backup of %s: %s", b->uri, b->name);
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
	return ui_draw_text(win, y, 13, 4, w - 14, at, buf);
}

static void
backup_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct backup *b = v->data;
	const char *noun = !b->have_plan || b->plan.kind == CORE_BACKUP_DYNAMODB ?
	    "backup" : "snapshot";
	char	 el[32], bar[64];
	int	 row = y;

	if (b->have_plan)
		row += line(win, row, w, "Plan", A_NORMAL, "%s", b->plan.summary);
	else
		row += line(win, row, w, "Plan", ui_attr(UC_DIM), "checking %s and the "
		    "name %s %s", b->uri, b->name, ui_spinner(v->ui));
	row++;
	switch (b->state) {
	case B_PLANNING:
		break;
	case B_CONFIRM:
		row += line(win, row, w, "Confirm", ui_attr(UC_WARN), "type the %s's "
		    "name below to create it (Esc: nothing is sent)", noun);
		break;
	case B_DECLINED:
		row += line(win, row, w, "Status", ui_attr(UC_WARN), "not confirmed: "
		    "nothing was sent. r asks again, q goes back.");
		break;
	case B_STARTING:
		row += line(win, row, w, "Status", A_NORMAL, "sending %s %s",
		    b->plan.operation, ui_spinner(v->ui));
		break;
	case B_FAILED:
		row += line(win, row, w, "Error", ui_attr(UC_ERROR), "%s", b->err.msg);
		break;
	case B_WAITING:
	case B_AVAILABLE:
	case B_STOPPED:
		sv_duration_format((b->state == B_WAITING ? sv_monotonic_ms() :
		    b->t_end) - b->t0, el, sizeof el);
		row += line(win, row, w, "Status", b->state == B_AVAILABLE ?
		    ui_attr(UC_LATEST) : A_NORMAL, "%s%s", b->st.status != NULL ?
		    b->st.status : "?", b->state == B_AVAILABLE ? ": done" :
		    b->state == B_STOPPED ? " (no longer watched)" : "");
		row += line(win, row, w, "Elapsed", A_NORMAL, "%s%s", el,
		    b->state == B_WAITING && b->op != NULL ? "  checking" : "");
		if (b->st.progress >= 0) {
			int	n = (int)(b->st.progress * 30 / 100);

			memset(bar, '#', (size_t)n);
			memset(bar + n, '.', (size_t)(30 - n));
			bar[30] = '\0';
			row += line(win, row, w, "Progress", A_NORMAL, "[%s] %lld%%", bar,
			    b->st.progress);
		}
		row += line(win, row, w, "ID", A_NORMAL, "%s", b->st.id != NULL ?
		    b->st.id : "?");
		if (b->st.request_id[0] != '\0')
			row += line(win, row, w, "Request", ui_attr(UC_DIM), "%s",
			    b->st.request_id);
		row++;
		if (b->state == B_STOPPED)
			row += line(win, row, w, "", A_NORMAL, "The %s goes on in AWS. "
			    "Check it later: salvage points %s", noun, b->plan.uri);
		else if (b->state == B_WAITING)
			row += line(win, row, w, "", ui_attr(UC_DIM), "Esc stops waiting "
			    "(never the %s)", noun);
		break;
	}
	(void)h;
}

const struct view_class view_backup = {
	.name = "backup",
	.keys = KM_BACKUP,
	.enter = backup_enter,
	.leave = backup_leave,
	.key = backup_key,
	.title = backup_title,
	.draw = backup_draw,
	.cancel = backup_cancel,
	.hint = "Esc stop waiting  ? help  q back",
};
