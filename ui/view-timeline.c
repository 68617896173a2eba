/* view-timeline.c - choosing a restore point (R): one resource's
 * continuous window as a bar and its backups, snapshots and versions as
 * marks, with a cursor that moves through time. For the time under the
 * cursor it shows which method applies (PITR, or the nearest earlier
 * backup / snapshot / version: core/points.h point_set_choose) and the
 * data loss that implies, to now or to an incident time the operator
 * typed. A time can be typed (T, core/timespec.h), echoed in UTC and in
 * local time before it is used; one outside the window is refused with
 * the window named. Enter plans the restore (view_plan); for a
 * runbook's choose-point step, Enter gives the point back instead. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/points.h"
#include "core/restore.h"
#include "core/timespec.h"
#include "ui/fmt.h"
#include "ui/prompt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/xalloc.h"

#define SEC	1000LL
#define MIN	(60 * SEC)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)

/* The steps the cursor moves by; + and - choose among them. */
static const int64_t steps[] = {
	SEC, 5 * SEC, 15 * SEC, MIN, 5 * MIN, 15 * MIN, HOUR, 3 * HOUR, 6 * HOUR,
	12 * HOUR, DAY, 7 * DAY, 30 * DAY
};
#define NSTEPS	((int)(sizeof steps / sizeof steps[0]))

enum { P_TIME, P_KIND, P_NAME, P_STATUS, P_INDEX };

static const struct list_column points_cols[] = {
	{ "Time", LIST_TIME, 0, 0, 0 },
	{ "Kind", LIST_TEXT, 14, 0, 0 },
	{ "Name / ID", LIST_TEXT, 0, 16, 0 },
	{ "Status", LIST_TEXT, 10, 0, 0 },
	{ "Index", LIST_INT, 0, 0, LIST_COL_HIDDEN },
};

struct tl {
	struct view		*view;
	struct resource		 res;
	char			*uri;
	struct core_points_op	*pop;
	bool			 loading;
	bool			 failed;
	struct sv_err		 err;
	struct point_set	*set;
	struct list		*list;
	sv_time			 want;		/* where the cursor starts */
	char			*want_id;	/* ... on this point */
	/* The point the operator moved to ([ ], the list): among points
	 * of the same time (S3 lists seconds) it is the one meant. */
	const struct point	*pinned;
	sv_time			 cursor;	/* SV_TIME_NONE until loaded */
	bool			 latest;	/* the cursor means "latest" */
	sv_time			 incident;	/* SV_TIME_NONE: loss to now */
	int			 step;		/* index into steps, -1: fit */
	int			 barw;		/* as last drawn */
	/* A runbook's choose-point: Enter gives the point to chosen. */
	void			(*chosen)(void *, const char *);
	void			*chosen_arg;
};

/* ---- time and its bounds ---- */

static bool
pitr_on(const struct tl *t)
{
	return t->set != NULL && t->set->pitr.status == PITR_ENABLED;
}

static bool
is_s3(const struct tl *t)
{
	return t->res.scheme == RES_S3;
}

/* Everything there is to see: the window, the points, and now. */
static bool
extent(const struct tl *t, sv_time *from, sv_time *to)
{
	sv_time	 a = SV_TIME_NONE, b = SV_TIME_NONE;

	if (t->set == NULL)
		return false;
	if (pitr_on(t)) {
		a = t->set->pitr.earliest;
		b = t->set->pitr.latest;
	}
	for (size_t i = 0; i < t->set->n; i++) {
		sv_time	 pt = t->set->v[i].time;

		if (pt == SV_TIME_NONE)
			continue;
		if (a == SV_TIME_NONE || pt < a)
			a = pt;
		if (b == SV_TIME_NONE || pt > b)
			b = pt;
	}
	if (a == SV_TIME_NONE)
		return false;
	if (b == SV_TIME_NONE || sv_time_now() > b)
		b = sv_time_now();
	if (b <= a)
		b = a + SEC;
	*from = a;
	*to = b;
	return true;
}

/* The edges Home and End go to. */
static sv_time
edge(const struct tl *t, bool end)
{
	sv_time	 from, to;

	if (pitr_on(t)) {
		sv_time	 e = end ? t->set->pitr.latest : t->set->pitr.earliest;

		if (e != SV_TIME_NONE)
			return e;
	}
	if (t->set != NULL && t->set->n > 0)
		return end ? t->set->v[t->set->n - 1].time : t->set->v[0].time;
	return extent(t, &from, &to) ? (end ? to : from) : SV_TIME_NONE;
}

static int
default_step(const struct tl *t)
{
	sv_time	 from, to;
	int	 bw = t->barw > 4 ? t->barw : 80;

	if (!extent(t, &from, &to))
		return 3;
	for (int i = 0; i < NSTEPS; i++)
		if (steps[i] * bw >= to - from)
			return i;
	return NSTEPS - 1;
}

static int64_t
step_ms(const struct tl *t)
{
	return steps[t->step >= 0 ? t->step : default_step(t)];
}

/* The part of time the bar shows. */
static void
view_range(const struct tl *t, int bw, sv_time *vfrom, sv_time *vto)
{
	sv_time	 from, to;
	int64_t	 span;

	if (!extent(t, &from, &to)) {
		*vfrom = *vto = SV_TIME_NONE;
		return;
	}
	span = step_ms(t) * (bw > 0 ? bw : 1);
	if (span >= to - from || t->cursor == SV_TIME_NONE) {
		*vfrom = from;
		*vto = to;
		return;
	}
	*vfrom = t->cursor - span / 2;
	if (*vfrom < from)
		*vfrom = from;
	if (*vfrom + span > to)
		*vfrom = to - span;
	*vto = *vfrom + span;
}

/* ---- what the cursor means ---- */

static const char *
pitr_op(const struct tl *t)
{
	switch (t->res.scheme) {
	case RES_DYNAMODB:
		return "RestoreTableToPointInTime";
	case RES_RDS:
		return "RestoreDBInstanceToPointInTime";
	case RES_RDS_CLUSTER:
		return "RestoreDBClusterToPointInTime, then CreateDBInstance";
	default:
		return "?";
	}
}

static const struct point *
latest_point(const struct tl *t)
{
	for (size_t i = 0; t->set != NULL && i < t->set->n; i++)
		if (t->set->v[i].latest)
			return &t->set->v[i];
	return NULL;
}

/* point_set_choose, but the point the operator moved to ([ ], or its row
 * in the list) when the cursor is still on it: restoring that snapshot or
 * backup, even inside the point-in-time window, is what they chose
 * (Left/Right unpins it and the window applies again). */
static void
choose(const struct tl *t, struct point_choice *ch)
{
	memset(ch, 0, sizeof *ch);
	point_set_choose(t->set, t->cursor, ch);
	if (t->pinned != NULL && t->pinned->time == t->cursor &&
	    t->pinned->usable && (ch->method == RESTORE_PITR ||
	    (ch->method == RESTORE_POINT && ch->point->time == t->cursor))) {
		ch->method = RESTORE_POINT;
		ch->point = t->pinned;
		ch->time = t->pinned->time;
	}
}

/* The method line, the data-loss line and a warning (or ""). Returns
 * the choice. */
static void
describe(struct tl *t, struct point_choice *ch, char *method, size_t msz,
    char *loss, size_t lsz, char *warn, size_t wsz)
{
	char	 a[64], b[64], d[32];
	sv_time	 ref = t->incident != SV_TIME_NONE ? t->incident : sv_time_now();
	const struct point *p;

	warn[0] = '\0';
	choose(t, ch);
	p = ch->point;
	ui_time_format(ch->time, a, sizeof a);
	switch (ch->method) {
	case RESTORE_NONE:
		snprintf(method, msz, "nothing to restore from at or before this time");
		snprintf(loss, lsz, "-");
		return;
	case RESTORE_PITR:
		if (t->latest)
			snprintf(method, msz, "point-in-time recovery to the latest "
			    "restorable time (now %s) with %s", a, pitr_op(t));
		else
			snprintf(method, msz, "point-in-time recovery to %s with %s", a,
			    pitr_op(t));
		break;
	case RESTORE_POINT:
		switch (p->kind) {
		case POINT_BACKUP:
			snprintf(method, msz, "from backup '%s' of %s with "
			    "RestoreTableFromBackup", p->name != NULL ? p->name : p->id, a);
			break;
		case POINT_SNAPSHOT:
			if (t->res.scheme == RES_RDS_CLUSTER)
				snprintf(method, msz, "from cluster snapshot %s of %s with "
				    "RestoreDBClusterFromSnapshot, then CreateDBInstance",
				    p->id, a);
			else
				snprintf(method, msz, "from snapshot %s of %s with "
				    "RestoreDBInstanceFromDBSnapshot", p->id, a);
			break;
		case POINT_RECOVERY_POINT:
			snprintf(method, msz, "from AWS Backup recovery point %s of %s", p->id, a);
			snprintf(warn, wsz, "restoring AWS Backup recovery points is not "
			    "offered yet: use the AWS Backup console or CLI");
			break;
		case POINT_VERSION:
			if (p->latest)
				snprintf(method, msz, "version %s of %s: the current version "
				    "(nothing to restore)", p->id, a);
			else
				snprintf(method, msz, "version %s of %s becomes the current "
				    "version again (CopyObject onto the same key)", p->id, a);
			break;
		case POINT_DELETE_MARKER:
			snprintf(method, msz, "deleted at %s (a delete marker): nothing to "
			    "restore at this time", a);
			if (p->latest)
				snprintf(warn, wsz, "the key is deleted now: u in its versions "
				    "screen removes the delete marker (undelete)");
			break;
		}
		break;
	}
	if (is_s3(t)) {
		const struct point *l = latest_point(t);
		size_t	 later = 0;

		for (size_t i = 0; i < t->set->n; i++)
			if (t->set->v[i].time > ch->time ||
			    (p != NULL && &t->set->v[i] > p))
				later++;
		if (p != NULL && p == l)
			snprintf(loss, lsz, "none: this is the key's current state");
		else
			snprintf(loss, lsz, "none is destroyed: the %zu later entr%s stay "
			    "in the key's history (S3 keeps every version)", later,
			    later == 1 ? "y" : "ies");
		return;
	}
	ui_time_format(ref, b, sizeof b);
	if (ref < ch->time) {
		snprintf(loss, lsz, "none to the incident; the state restored (%s) is "
		    "AFTER the incident (%s)", a, b);
		snprintf(warn, wsz, "the restored state is after the incident: it may "
		    "hold the damage. Move the cursor before %s", b);
		return;
	}
	sv_duration_format(ref - ch->time, d, sizeof d);
	if (ref - ch->time < 1000)
		str_lcpy(d, "none", sizeof d);
	snprintf(loss, lsz, "%s%s: from %s to %s (%s)%s", d,
	    ref - ch->time < 1000 ? "" : " of writes", a,
	    t->incident != SV_TIME_NONE ? b : "now", t->incident != SV_TIME_NONE ?
	    "the incident" : b, ch->uncertain ? "; the window's start is not known: "
	    "the service decides" : "");
}

/* Selects the row of the point that applies (the list follows). */
static void
follow(struct tl *t)
{
	struct point_choice ch;

	const struct point *want;

	if (t->set == NULL || t->cursor == SV_TIME_NONE)
		return;
	choose(t, &ch);
	want = t->pinned != NULL && t->pinned->time == t->cursor ? t->pinned :
	    ch.method == RESTORE_POINT ? ch.point : NULL;
	if (want == NULL)
		return;
	for (size_t r = 0; r < list_rows(t->list); r++) {
		if (&t->set->v[list_int(t->list, r, P_INDEX)] == want) {
			list_select(t->list, r);
			return;
		}
	}
}

static void	follow(struct tl *);

static void
move_to(struct tl *t, sv_time when, bool latest)
{
	sv_time	 from, to;

	if (!extent(t, &from, &to))
		return;
	if (when < from)
		when = from;
	if (when > to)
		when = to;
	t->cursor = when;
	t->latest = latest && pitr_on(t);
	t->pinned = NULL;
	follow(t);
	ui_dirty(t->view->ui);
}

/* The timeline a time prompt is for (NULL when none is open). */
static struct tl *prompt_tl;

/* To a point of the set (it is pinned: see struct tl). */
static void
move_to_point(struct tl *t, const struct point *p)
{
	move_to(t, p->time, false);
	t->pinned = p;
	follow(t);
}

/* ---- loading ---- */

static void
free_set(struct tl *t)
{
	if (t->set != NULL) {
		point_set_free(t->set);
		free(t->set);
		t->set = NULL;
	}
}

static void
points_done(void *arg, struct point_set *set, sv_result r, const struct sv_err *err)
{
	struct tl *t = arg;
	union list_value row[5];

	t->pop = NULL;
	t->loading = false;
	t->pinned = NULL;
	free_set(t);
	t->set = set;
	t->failed = r != SV_OK;
	sv_err_init(&t->err);
	if (r != SV_OK)
		sv_err_set(&t->err, r, "%s", err != NULL && err->msg[0] != '\0' ?
		    err->msg : sv_result_str(r));
	list_clear(t->list);
	for (size_t i = 0; i < set->n; i++) {
		const struct point *p = &set->v[i];

		row[P_TIME].n = p->time;
		row[P_KIND].s = point_kind_name(p->kind);
		row[P_NAME].s = p->name != NULL ? p->name : p->id;
		row[P_STATUS].s = p->latest ? "latest" : p->status;
		row[P_INDEX].n = (int64_t)i;
		list_add(t->list, row, p->kind == POINT_DELETE_MARKER ? LIST_STYLE_DELETED :
		    !p->usable ? LIST_STYLE_DIM : p->latest ? LIST_STYLE_LATEST :
		    LIST_STYLE_NORMAL);
	}
	if (t->cursor == SV_TIME_NONE) {
		const struct point *wp = t->want_id != NULL ?
		    point_set_find(set, t->want_id) : NULL;

		if (wp != NULL)
			move_to_point(t, wp);
		else if (t->want != SV_TIME_NONE)
			move_to(t, t->want, false);
		else
			move_to(t, edge(t, true), true);
	} else
		move_to(t, t->cursor, t->latest);
	ui_dirty(t->view->ui);
}

static void
tl_load(struct view *v)
{
	struct tl *t = v->data;
	struct core_points_op *op;
	struct sv_err err;

	if (t->pop != NULL) {
		core_points_cancel(t->pop);
		t->pop = NULL;
	}
	sv_err_init(&err);
	t->loading = true;
	t->failed = false;
	op = core_points_load(ui_client(v->ui), &t->res, points_done, t, &err);
	if (t->loading) {
		if (op == NULL) {
			t->loading = false;
			t->failed = true;
			t->err = err;
		} else
			t->pop = op;
	}
	ui_dirty(v->ui);
}

static void
tl_enter(struct view *v, const struct resource *res)
{
	struct tl *t = xcalloc(1, sizeof *t);

	v->data = t;
	t->view = v;
	resource_copy(&t->res, res);
	t->uri = resource_uri(res);
	t->want = SV_TIME_NONE;
	if (v->arg != NULL) {
		struct ui_timeline_arg *a = v->arg;

		t->want = a->at;
		t->want_id = a->point_id;	/* ours now */
		t->chosen = a->chosen;
		t->chosen_arg = a->chosen_arg;
		free(a);
		v->arg = NULL;
	}
	t->cursor = SV_TIME_NONE;
	t->incident = SV_TIME_NONE;
	t->step = -1;
	sv_err_init(&t->err);
	t->list = list_new(points_cols, 5);
	list_set_sort(t->list, P_TIME, true);	/* newest first */
	list_set_tiebreak(t->list, P_INDEX);	/* then the set's order */
	tl_load(v);
}

static void
tl_leave(struct view *v)
{
	struct tl *t = v->data;

	if (prompt_tl == t) {
		prompt_tl = NULL;
		if (prompt_active())
			prompt_cancel();
	}
	if (t->pop != NULL)
		core_points_cancel(t->pop);
	free_set(t);
	list_free(t->list);
	resource_free(&t->res);
	free(t->uri);
	free(t->want_id);
	free(t);
}

static bool
tl_cancel(struct view *v)
{
	struct tl *t = v->data;

	if (t->pop == NULL)
		return false;
	core_points_cancel(t->pop);
	t->pop = NULL;
	return true;
}


/* ---- typed times ---- */

/* Is `when` a time this resource can be restored to? If not, why. */
static bool
acceptable(struct tl *t, sv_time when, char *why, size_t whysz)
{
	char	 a[64], b[64], c[64];
	struct point_choice ch;

	ui_time_format(when, c, sizeof c);
	if (when > sv_time_now()) {
		snprintf(why, whysz, "%s is in the future", c);
		return false;
	}
	if (pitr_on(t)) {
		const struct pitr_window *w = &t->set->pitr;

		if ((w->earliest != SV_TIME_NONE && when < w->earliest) ||
		    (w->latest != SV_TIME_NONE && when > w->latest)) {
			ui_time_format(w->earliest, a, sizeof a);
			ui_time_format(w->latest, b, sizeof b);
			point_set_choose(t->set, when, &ch);
			snprintf(why, whysz, "%s is outside the PITR window of %s: "
			    "earliest %s, latest %s%s", c, t->uri, a, b,
			    ch.method == RESTORE_POINT && when < w->earliest ?
			    "; [ and ] move to the backups and snapshots" : "");
			return false;
		}
		return true;
	}
	if (is_s3(t)) {
		if (t->set->n == 0 || when < t->set->v[0].time) {
			ui_time_format(t->set->n > 0 ? t->set->v[0].time : SV_TIME_NONE,
			    a, sizeof a);
			snprintf(why, whysz, "%s is before the first version of %s (%s): "
			    "the key did not exist then", c, t->uri, a);
			return false;
		}
		return true;
	}
	point_set_choose(t->set, when, &ch);
	if (ch.method == RESTORE_NONE) {
		ui_time_format(t->set->n > 0 ? t->set->v[0].time : SV_TIME_NONE,
		    a, sizeof a);
		snprintf(why, whysz, "nothing to restore %s from at or before %s "
		    "(no point-in-time recovery; the oldest point is %s)", t->uri, c, a);
		return false;
	}
	return true;
}

static void
time_done(void *arg, const char *line)
{
	struct tl *t = prompt_tl;
	struct timespec_value tv;
	struct sv_err err;
	char	 echo[256], why[1024];

	prompt_tl = NULL;
	if (t == NULL || line == NULL || *str_trim((char *)line) == '\0')
		return;
	sv_err_init(&err);
	if (timespec_parse(line, sv_time_now(), &tv, &err) != SV_OK) {
		ui_message(t->view->ui, true, "%s", err.msg);
		return;
	}
	timespec_echo(&tv, echo, sizeof echo);
	if (tv.form == TIMESPEC_LATEST) {
		move_to(t, edge(t, true), true);
		ui_message(t->view->ui, false, "time: latest restorable");
		return;
	}
	if (!acceptable(t, tv.t, why, sizeof why)) {
		ui_message(t->view->ui, true, "refused: %s", why);
		return;
	}
	move_to(t, tv.t, false);
	ui_message(t->view->ui, false, "time: %s", echo);
}

static void
incident_done(void *arg, const char *line)
{
	struct tl *t = prompt_tl;
	struct timespec_value tv;
	struct sv_err err;
	char	 echo[256];

	prompt_tl = NULL;
	if (t == NULL || line == NULL)
		return;
	if (*str_trim((char *)line) == '\0') {
		t->incident = SV_TIME_NONE;
		ui_message(t->view->ui, false, "no incident time: data loss is measured "
		    "to now");
		return;
	}
	sv_err_init(&err);
	if (timespec_parse(line, sv_time_now(), &tv, &err) != SV_OK) {
		ui_message(t->view->ui, true, "%s", err.msg);
		return;
	}
	if (tv.form == TIMESPEC_LATEST || tv.t > sv_time_now()) {
		ui_message(t->view->ui, true, "the incident time is a time in the past "
		    "(\"latest\" and future times are not)");
		return;
	}
	t->incident = tv.t;
	timespec_echo(&tv, echo, sizeof echo);
	ui_message(t->view->ui, false, "incident: %s", echo);
}

static const struct prompt_ops time_ops = { NULL, time_done, NULL };
static const struct prompt_ops incident_ops = { NULL, incident_done, NULL };

/* ---- Enter: the plan ---- */

static void
plan(struct tl *t)
{
	struct restore_request req;
	struct point_choice ch;
	char	 m[512], l[512], w[512];
	const struct point *p;

	if (t->set == NULL || t->cursor == SV_TIME_NONE) {
		ui_message(t->view->ui, true, "still loading the restore points");
		return;
	}
	describe(t, &ch, m, sizeof m, l, sizeof l, w, sizeof w);
	restore_request_init(&req);
	req.uri = t->uri;
	req.incident = t->incident;
	p = ch.point;
	switch (ch.method) {
	case RESTORE_NONE:
		ui_message(t->view->ui, true, "nothing to restore from at or before "
		    "this time: move the cursor (] or End)");
		return;
	case RESTORE_PITR:
		if (t->latest)
			req.latest = true;
		else
			req.to = t->cursor;
		break;
	case RESTORE_POINT:
		if (p->kind == POINT_BACKUP && t->res.scheme == RES_DYNAMODB)
			req.backup = p->id;
		else if (p->kind == POINT_SNAPSHOT && (t->res.scheme == RES_RDS ||
		    t->res.scheme == RES_RDS_CLUSTER))
			req.snapshot = p->id;
		else if (p->kind == POINT_VERSION && is_s3(t) && !p->latest)
			req.version = p->id;
		else {
			ui_message(t->view->ui, true, "%s", w[0] != '\0' ? w :
			    p->kind == POINT_VERSION ? "this is the current version: "
			    "choose an older one" : "this point cannot be restored "
			    "from here");
			return;
		}
		if (!p->usable) {
			ui_message(t->view->ui, true, "%s %s is %s: it cannot be restored "
			    "yet", point_kind_name(p->kind), p->id,
			    p->status != NULL ? p->status : "unusable");
			return;
		}
		break;
	}
	{
		struct conf	 cf;
		struct sv_err	 err;
		int64_t		 rto = 0;

		sv_err_init(&err);
		if (conf_load(&cf, NULL, &err) == SV_OK) {
			if (restore_conf_rto(&cf, &rto, &err) == SV_OK)
				req.rto_target_ms = rto;
			conf_free(&cf);
		}
	}
	ui_restore_plan(t->view->ui, &req);
}

/* Enter for a runbook's choose-point: "latest", the point's id, or the
 * time under the cursor; the view goes, then chosen gets it. */
static void
give_point(struct tl *t)
{
	struct point_choice ch;
	char	 m[512], l[512], w[512], *answer;
	void	(*fn)(void *, const char *) = t->chosen;
	void	*arg = t->chosen_arg;
	struct ui *ui = t->view->ui;

	if (t->set == NULL || t->cursor == SV_TIME_NONE) {
		ui_message(ui, true, "still loading the restore points");
		return;
	}
	describe(t, &ch, m, sizeof m, l, sizeof l, w, sizeof w);
	if (ch.method == RESTORE_NONE) {
		ui_message(ui, true, "nothing to restore from at or before this "
		    "time: move the cursor (] or End)");
		return;
	}
	if (t->latest)
		answer = xstrdup("latest");
	else if (ch.method == RESTORE_POINT && ch.point != NULL &&
	    ch.point->id != NULL)
		answer = xstrdup(ch.point->id);
	else {
		char	iso[SV_TIME_ISO_MAX];

		sv_time_format_iso(t->cursor, iso, false);
		answer = xstrdup(iso);
	}
	ui_pop(ui);	/* t is gone */
	fn(arg, answer);
	free(answer);
}

/* ---- keys ---- */

static int
tl_key(struct view *v, enum ui_action a, int key)
{
	struct tl *t = v->data;
	size_t	 row;

	if (t->set == NULL && a != ACT_BACK && a != ACT_CANCEL && a != ACT_HELP &&
	    a != ACT_PALETTE && a != ACT_TIMEZONE && a != ACT_REDRAW &&
	    a != ACT_REFRESH && a != ACT_NONE) {
		ui_message(v->ui, true, t->failed ? "the restore points could not be "
		    "loaded: r retries" : "still loading the restore points");
		return UI_HANDLED | UI_REDRAW;
	}
	switch (a) {
	case ACT_LEFT:
		move_to(t, t->cursor - step_ms(t), false);
		break;
	case ACT_RIGHT:
		move_to(t, t->cursor + step_ms(t), false);
		break;
	case ACT_ZOOM_IN:
		if (t->step < 0)
			t->step = default_step(t);
		if (t->step > 0)
			t->step--;
		break;
	case ACT_ZOOM_OUT:
		if (t->step < 0)
			t->step = default_step(t);
		if (t->step < default_step(t) + 1 && t->step < NSTEPS - 1)
			t->step++;
		break;
	case ACT_PREV_POINT:
	case ACT_NEXT_POINT: {
		const struct point *best = NULL;

		if (t->pinned != NULL && t->pinned->time == t->cursor) {
			/* From a point to its neighbour in time order. */
			size_t	 i = (size_t)(t->pinned - t->set->v);

			if (a == ACT_PREV_POINT && i > 0)
				best = &t->set->v[i - 1];
			if (a == ACT_NEXT_POINT && i + 1 < t->set->n)
				best = &t->set->v[i + 1];
		} else {
			for (size_t i = 0; i < t->set->n; i++) {
				const struct point *pt = &t->set->v[i];

				if (a == ACT_PREV_POINT && pt->time < t->cursor)
					best = pt;	/* the newest before */
				if (a == ACT_NEXT_POINT && pt->time > t->cursor &&
				    best == NULL)
					best = pt;	/* the oldest after */
			}
		}
		if (best == NULL)
			ui_message(v->ui, false, "no %s point", a == ACT_PREV_POINT ?
			    "earlier" : "later");
		else
			move_to_point(t, best);
		break;
	}
	case ACT_EDGE_START:
		move_to(t, edge(t, false), false);
		break;
	case ACT_EDGE_END:
		move_to(t, edge(t, true), true);
		break;
	case ACT_UP:
	case ACT_DOWN:
		list_move(t->list, a == ACT_UP ? -1 : 1);
		if ((row = list_selected(t->list)) != LIST_NONE)
			move_to_point(t, &t->set->v[list_int(t->list, row, P_INDEX)]);
		break;
	case ACT_TYPE_TIME:
		prompt_tl = t;
		prompt_open(PROMPT_TIME, "restore to (2026-11-20T14:30:00Z, +01:00, "
		    "local, latest, -15m): ", NULL, &time_ops, NULL);
		break;
	case ACT_INCIDENT:
		prompt_tl = t;
		prompt_open(PROMPT_TIME, "incident time (empty: none, loss to now): ",
		    NULL, &incident_ops, NULL);
		break;
	case ACT_OPEN:
		if (t->chosen != NULL) {
			give_point(t);
			return UI_HANDLED | UI_REDRAW;
		}
		plan(t);
		break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

/* ---- drawing ---- */

static void
tl_title(struct view *v, char *buf, size_t bufsz)
{
	struct tl *t = v->data;

	if (t->loading)
		snprintf(buf, bufsz, "Restore %s: loading the restore points %s  "
		    "(Esc cancels)", t->uri, ui_spinner(v->ui));
	else
		snprintf(buf, bufsz, "Restore %s: choose the point (Enter %s)", t->uri,
		    t->chosen != NULL ? "takes it for the runbook" : "plans the restore");
}

static int
label(WINDOW *win, int y, const char *l)
{
	wmove(win, y, 1);
	list_put_cell(win, l, 10, false, ui_attr(UC_LABEL), 0, 0, 0);
	waddch(win, ' ');
	return 12;
}

static void
window_text(struct tl *t, char *buf, size_t bufsz)
{
	const struct pitr_window *p = &t->set->pitr;
	char	 a[64], b[64];

	switch (p->status) {
	case PITR_ENABLED:
		ui_time_format(p->earliest, a, sizeof a);
		ui_time_format(p->latest, b, sizeof b);
		snprintf(buf, bufsz, "PITR ENABLED  earliest %s  latest %s", a, b);
		break;
	case PITR_DISABLED:
		snprintf(buf, bufsz, "PITR DISABLED: only the backups and snapshots "
		    "can be restored");
		break;
	default:
		snprintf(buf, bufsz, "%s", is_s3(t) ? "S3 keeps every version: any time "
		    "after the first version is a version (or a delete marker)" :
		    "no point-in-time recovery");
		break;
	}
}

static void
draw_bar(struct tl *t, WINDOW *win, int y, int x, int w)
{
	sv_time	 vfrom, vto, ws = SV_TIME_NONE, we = SV_TIME_NONE, *marks;
	char	 line[1024], a[64], b[64];
	const char *legend;
	size_t	 n = 0;
	int	 bw = w - 2, c;

	if (bw > (int)sizeof line - 1)
		bw = (int)sizeof line - 1;
	if (bw < 8)
		return;
	t->barw = bw;
	view_range(t, bw, &vfrom, &vto);
	if (vfrom == SV_TIME_NONE) {
		wmove(win, y, x);
		list_put_cell(win, "(no recovery window and no backups: nothing to "
		    "restore from)", w, false, ui_attr(UC_WARN), 0, 0, 0);
		return;
	}
	if (pitr_on(t)) {
		ws = t->set->pitr.earliest != SV_TIME_NONE ? t->set->pitr.earliest : vfrom;
		we = t->set->pitr.latest;
	}
	marks = xreallocarray(NULL, t->set->n + 1, sizeof *marks);
	for (size_t i = 0; i < t->set->n; i++)
		if (t->set->v[i].usable && t->set->v[i].kind != POINT_DELETE_MARKER)
			marks[n++] = t->set->v[i].time;
	timeline_render(line, bw, vfrom, vto, ws, we, marks, n);
	free(marks);
	/* Delete markers over the rest (S3). */
	for (size_t i = 0; i < t->set->n; i++) {
		sv_time	 pt = t->set->v[i].time;

		if (t->set->v[i].kind != POINT_DELETE_MARKER || pt < vfrom || pt > vto)
			continue;
		c = (int)((double)(pt - vfrom) * bw / (double)(vto - vfrom));
		line[c < bw ? c : bw - 1] = 'x';
	}
	c = t->cursor == SV_TIME_NONE ? -1 :
	    (int)((double)(t->cursor - vfrom) * bw / (double)(vto - vfrom));
	if (c >= bw)
		c = bw - 1;
	wmove(win, y, x);
	wattrset(win, A_NORMAL);
	waddch(win, vfrom > edge(t, false) ? '<' : '[');
	for (int i = 0; i < bw; i++) {
		attr_t	 at = line[i] == '=' ? ui_attr(UC_WINDOW) :
		    line[i] == '-' ? ui_attr(UC_DIM) : line[i] == 'x' ?
		    ui_attr(UC_DELETED) : ui_attr(UC_MARK);

		if (i == c) {
			wattrset(win, ui_attr(UC_SELECTED) | A_BOLD);
			waddch(win, '|');
			continue;
		}
		wattrset(win, at);
		waddch(win, (chtype)(unsigned char)line[i]);
	}
	wattrset(win, A_NORMAL);
	waddch(win, vto < sv_time_now() - SEC ? '>' : ']');
	ui_time_format(vfrom, a, sizeof a);
	ui_time_format(vto, b, sizeof b);
	wmove(win, y + 1, x);
	wclrtoeol(win);
	list_put_cell(win, a, (int)strlen(a) < w ? (int)strlen(a) : w, false,
	    ui_attr(UC_DIM), 0, 0, 0);
	legend = is_s3(t) ? "* version  x delete marker  | cursor" :
	    "= PITR window  * backup or snapshot  | cursor";
	if ((int)(strlen(a) + strlen(b) + strlen(legend)) + 4 < w) {
		wmove(win, y + 1, x + (w - (int)strlen(legend)) / 2);
		list_put_cell(win, legend, (int)strlen(legend), false, ui_attr(UC_DIM),
		    0, 0, 0);
	}
	if ((int)(strlen(a) + strlen(b)) + 2 < w) {
		wmove(win, y + 1, x + w - (int)strlen(b));
		list_put_cell(win, b, (int)strlen(b), false, ui_attr(UC_DIM), 0, 0, 0);
	}
}

static void
tl_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct tl *t = v->data;
	struct point_choice ch;
	char	 buf[1024], m[1024], l[1024], wr[1024], cur[64], st[32];
	int	 r = y, x;

	if (t->set == NULL) {
		if (t->failed) {
			snprintf(buf, sizeof buf, "The restore points of %s could not be "
			    "loaded: %s", t->uri, t->err.msg);
			r += ui_draw_text(win, r, 2, h - 2, w - 4, ui_attr(UC_ERROR), buf);
			ui_draw_text(win, r, 2, 1, w - 4, A_NORMAL, "Press r to retry, q to "
			    "go back.");
		} else {
			wmove(win, r, 2);
			snprintf(buf, sizeof buf, "loading %s", ui_spinner(v->ui));
			list_put_cell(win, buf, w - 4, false, ui_attr(UC_DIM), 0, 0, 0);
		}
		return;
	}
	x = label(win, r, "Window");
	window_text(t, buf, sizeof buf);
	list_put_cell(win, buf, w - x - 1, false, t->set->pitr.status == PITR_DISABLED ?
	    ui_attr(UC_WARN) : A_NORMAL, 0, 0, 0);
	r++;
	x = label(win, r, "Incident");
	if (t->incident != SV_TIME_NONE) {
		ui_time_format(t->incident, cur, sizeof cur);
		snprintf(buf, sizeof buf, "%s  (data loss is measured to it; i changes "
		    "it)", cur);
	} else
		snprintf(buf, sizeof buf, "not set: data loss is measured to now (i "
		    "types the incident time)");
	list_put_cell(win, buf, w - x - 1, false, A_NORMAL, 0, 0, 0);
	r += 2;
	draw_bar(t, win, r, 1, w - 2);
	r += 2;
	if (t->cursor == SV_TIME_NONE) {
		wmove(win, r, 2);
		list_put_cell(win, "nothing to restore from", w - 4, false,
		    ui_attr(UC_WARN), 0, 0, 0);
		return;
	}
	describe(t, &ch, m, sizeof m, l, sizeof l, wr, sizeof wr);
	x = label(win, r, "Cursor");
	ui_time_format(t->cursor, cur, sizeof cur);
	sv_duration_format(step_ms(t), st, sizeof st);
	snprintf(buf, sizeof buf, "%s%s   step %s (Left/Right move, +/- zoom, [ ] "
	    "points, T types a time)", cur, t->latest ? " (latest)" : "", st);
	list_put_cell(win, buf, w - x - 1, false, A_BOLD, 0, 0, 0);
	r++;
	x = label(win, r, "Method");
	list_put_cell(win, m, w - x - 1, false, ch.method == RESTORE_NONE ?
	    ui_attr(UC_WARN) : A_NORMAL, 0, 0, 0);
	r++;
	x = label(win, r, "Data loss");
	list_put_cell(win, l, w - x - 1, false, A_NORMAL, 0, 0, 0);
	r++;
	if (wr[0] != '\0' || t->set->note != NULL || t->failed) {
		x = label(win, r, "Note");
		snprintf(buf, sizeof buf, "%s", wr[0] != '\0' ? wr : t->failed ?
		    t->err.msg : t->set->note);
		list_put_cell(win, buf, w - x - 1, false, ui_attr(UC_WARN), 0, 0, 0);
	}
	r += 2;
	if (y + h - r < 3)
		return;
	list_set_empty_text(t->list, is_s3(t) ? "no versions" :
	    "no backups or snapshots");
	list_draw(t->list, win, r, 0, y + h - r, w);
}

static struct list *
tl_list(struct view *v)
{
	return ((struct tl *)v->data)->list;
}

const struct view_class view_timeline = {
	.name = "timeline",
	.keys = KM_TIMELINE,
	.enter = tl_enter,
	.leave = tl_leave,
	.key = tl_key,
	.title = tl_title,
	.draw = tl_draw,
	.reload = tl_load,
	.list = tl_list,
	.cancel = tl_cancel,
	.hint = "Left/Right move  +/- zoom  [ ] points  T time  i incident  "
	    "Enter plan  ? help  q back",
};
