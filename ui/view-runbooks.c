/* view-runbooks.c - :runbooks: the built-in runbooks and the operator's
 * own (core/runbook.h runbook_list: id, title, scenario, where it comes
 * from; one that does not load shows why). Enter asks for the runbook's
 * variables one by one on the prompt (the default shown; each checked
 * by the engine's runbook_var_check), then starts a session whose log is
 * this console's audit session (the session id is its id) and opens its
 * checklist (view_checklist). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/runbook.h"
#include "core/session.h"
#include "ui/prompt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

enum { R_ID, R_TITLE, R_SCENARIO, R_SOURCE, R_INDEX };

static const struct list_column rb_cols[] = {
	{ "ID", LIST_TEXT, 30, 0, 0 },
	{ "Title", LIST_TEXT, 0, 20, 0 },
	{ "Scenario", LIST_TEXT, 0, 12, 0 },
	{ "Source", LIST_TEXT, 10, 0, 0 },
	{ "Index", LIST_INT, 0, 0, LIST_COL_HIDDEN },
};

struct rbv {
	struct view		*view;
	struct list		*list;
	struct runbook_entry	*ents;
	size_t			 nents;
};

/* The variables being asked before a start (one prompt at a time). */
static struct {
	struct ui	*ui;
	struct runbook	*rb;
	size_t		 next;		/* the variable asked */
	char		**vars;		/* "NAME=VALUE" */
	size_t		 nvars;
	char		*why;		/* the last value was refused: why */
} ask;

static void
ask_reset(void)
{
	if (ask.rb != NULL)
		runbook_free(ask.rb);
	for (size_t i = 0; i < ask.nvars; i++)
		free(ask.vars[i]);
	free(ask.vars);
	free(ask.why);
	memset(&ask, 0, sizeof ask);
}

/* Variables a step sets (input, choose-point) are asked by that step. */
static bool
set_by_step(const struct runbook *rb, const char *name)
{
	for (size_t i = 0; i < rb->nsteps; i++) {
		const struct rb_step *st = &rb->steps[i];
		const char *v = runbook_param(st, "var");

		if ((st->type == RB_STEP_INPUT || st->type == RB_STEP_CHOOSE_POINT) &&
		    v != NULL && strcmp(v, name) == 0)
			return true;
	}
	return false;
}

static void	ask_next(void);

static void
start_session(void)
{
	struct session_opts	 o;
	struct session		*s = NULL;
	struct sv_err		 err;
	struct ui		*ui = ask.ui;
	struct runbook		*rb = ask.rb;

	ask.rb = NULL;		/* session_start takes it over */
	memset(&o, 0, sizeof o);
	o.mode = SESSION_MODE_TUI;
	o.client = ui_client(ui);
	o.audit = ui_audit(ui);
	o.operate = ui_operate(ui);
	o.how = "tui";
	sv_err_init(&err);
	if (session_start(rb, &o, ask.vars, ask.nvars, &s, &err) != SV_OK) {
		ui_message(ui, true, "the session was not started: %s", err.msg);
		ask_reset();
		return;
	}
	ask_reset();
	ui_set_session(ui, s, true);
	ui_push(ui, &view_checklist, NULL);
}

static void
var_done(void *unused, const char *line)
{
	const struct rb_var	*v;
	struct sv_err		 err;
	char			*norm = NULL, *copy, *value;

	(void)unused;
	if (ask.rb == NULL)
		return;
	if (line == NULL) {
		ui_message(ask.ui, false, "cancelled: no session was started");
		ask_reset();
		return;
	}
	v = &ask.rb->vars[ask.next];
	copy = xstrdup(line);
	value = str_trim(copy);
	if (*value == '\0') {
		xfree(ask.why);
		/* The default (the engine expands and checks it), or asked by
		 * the step that needs it. */
		free(copy);
		ask.next++;
		ask_next();
		return;
	}
	sv_err_init(&err);
	if (runbook_var_check(v->type, value, true, sv_time_now(), &norm, &err) !=
	    SV_OK) {
		/* Said in the prompt itself: the footer is the prompt. */
		free(ask.why);
		ask.why = xasprintf("%s: %s", v->name, err.msg);
		free(copy);
		ask_next();	/* the same variable again */
		return;
	}
	ask.vars = xreallocarray(ask.vars, ask.nvars + 1, sizeof *ask.vars);
	ask.vars[ask.nvars++] = xasprintf("%s=%s", v->name, norm);
	xfree(ask.why);
	free(norm);
	free(copy);
	ask.next++;
	ask_next();
}

static const struct prompt_ops var_ops = { NULL, var_done, NULL };

/* Asks for the next variable that has no value yet, or starts. */
static void
ask_next(void)
{
	const struct rb_var	*v;
	char			*q;

	while (ask.next < ask.rb->nvars &&
	    set_by_step(ask.rb, ask.rb->vars[ask.next].name))
		ask.next++;
	if (ask.next == ask.rb->nvars) {
		start_session();
		return;
	}
	v = &ask.rb->vars[ask.next];
	q = xasprintf("%s%s%s (%s, %s)%s%s%s: ", ask.why != NULL ? ask.why : "",
	    ask.why != NULL ? "  " : "", v->prompt != NULL ? v->prompt : v->name,
	    v->name, rb_var_type_name(v->type), v->def != NULL ? " [" : "",
	    v->def != NULL ? v->def : "", v->def != NULL ? "]" : "");
	prompt_open(PROMPT_VALUE, q, NULL, &var_ops, NULL);
	free(q);
}

static void
rbv_load(struct view *v)
{
	struct rbv *r = v->data;

	list_clear(r->list);
	runbook_list_free(r->ents, r->nents);
	r->nents = runbook_list(&r->ents);
	for (size_t i = 0; i < r->nents; i++) {
		const struct runbook_entry *e = &r->ents[i];
		union list_value row[5];
		char	 src[32];

		snprintf(src, sizeof src, "%s%s", e->builtin ? "built-in" : "yours",
		    e->shadowed ? " (shadowed)" : "");
		row[R_ID].s = e->id != NULL ? e->id : e->path;
		row[R_TITLE].s = e->error != NULL ? e->error : e->title;
		row[R_SCENARIO].s = e->scenario;
		row[R_SOURCE].s = src;
		row[R_INDEX].n = (int64_t)i;
		list_add(r->list, row, e->error != NULL ? LIST_STYLE_WARN :
		    e->shadowed ? LIST_STYLE_DIM : LIST_STYLE_NORMAL);
	}
	ui_dirty(v->ui);
}

static void
rbv_enter(struct view *v, const struct resource *res)
{
	struct rbv *r = xcalloc(1, sizeof *r);

	(void)res;
	v->data = r;
	r->view = v;
	r->list = list_new(rb_cols, 5);
	list_set_empty_text(r->list, "no runbooks (salvage runbooks says where they "
	    "are looked for)");
	rbv_load(v);
}

static void
rbv_leave(struct view *v)
{
	struct rbv *r = v->data;

	if (ask.rb != NULL) {
		if (prompt_active())
			prompt_cancel();
		ask_reset();
	}
	list_free(r->list);
	runbook_list_free(r->ents, r->nents);
	free(r);
}

static void
open_selected(struct rbv *r)
{
	struct ui	*ui = r->view->ui;
	const struct runbook_entry *e;
	struct runbook	*rb;
	struct sv_err	 err;
	size_t		 row = list_selected(r->list);

	if (row == LIST_NONE)
		return;
	e = &r->ents[list_int(r->list, row, R_INDEX)];
	if (e->error != NULL) {
		ui_message(ui, true, "%s", e->error);
		return;
	}
	if (ui_session(ui) != NULL || ui_session_used(ui)) {
		ui_message(ui, true, "a runbook session was already started in this "
		    "console (its id is the console's audit session): quit, then "
		    "salvage run %s", e->id);
		return;
	}
	if (ui_audit(ui) == NULL) {
		ui_message(ui, true, "not connected: no audit log, so no session "
		    "(:region or :profile reconnects)");
		return;
	}
	sv_err_init(&err);
	if ((rb = runbook_load_file(e->path, &err)) == NULL) {
		ui_message(ui, true, "%s", err.msg);
		return;
	}
	ask_reset();
	ask.ui = ui;
	ask.rb = rb;
	ask_next();
}

static int
rbv_key(struct view *v, enum ui_action a, int key)
{
	(void)key;
	if (a == ACT_OPEN) {
		open_selected(v->data);
		return UI_HANDLED | UI_REDRAW;
	}
	if (a == ACT_BACKUP || a == ACT_RESTORE || a == ACT_UNDELETE) {
		ui_message(v->ui, true, "Enter starts the selected runbook");
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_IGNORED;
}

static void
rbv_title(struct view *v, char *buf, size_t bufsz)
{
	struct rbv *r = v->data;
	char	 n[64];

	snprintf(buf, bufsz, "Runbooks (%s): Enter starts a session",
	    ui_count(n, sizeof n, list_rows(r->list), "runbooks"));
}

static void
rbv_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct rbv *r = v->data;
	size_t	 row = list_selected(r->list);
	int	 lh = h > 8 ? h - 3 : h;

	list_draw(r->list, win, y, 0, lh, w);
	if (lh == h || row == LIST_NONE)
		return;
	{
		const struct runbook_entry *e = &r->ents[list_int(r->list, row, R_INDEX)];
		char	 line[1024];

		snprintf(line, sizeof line, "%s", e->path);
		wmove(win, y + lh + 1, 0);
		list_put_cell(win, line, w, false, ui_attr(UC_DIM), 0, 0, 0);
	}
}

static struct list *
rbv_list(struct view *v)
{
	return ((struct rbv *)v->data)->list;
}

const struct view_class view_runbooks = {
	.name = "runbooks",
	.keys = KM_LIST,
	.enter = rbv_enter,
	.leave = rbv_leave,
	.key = rbv_key,
	.title = rbv_title,
	.draw = rbv_draw,
	.reload = rbv_load,
	.list = rbv_list,
	.hint = "Enter start  / filter  : palette  ? help  r reload  q back",
};
