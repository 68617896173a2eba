/* actions.c - what the operator starts from the browsing screens: an
 * on-demand backup (b: refused in READ-ONLY, else a name prompt, then
 * view_backup), a restore (R: view_timeline, then view_plan; in a
 * prefix, view-prefix.c asks for the time), and the
 * typed confirmations every change goes through (recorded in the audit
 * log with audit_confirm, how "tty"). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/backup.h"
#include "core/restore.h"
#include "ui/prompt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/xalloc.h"

/* ---- b: a backup ---- */

#define BACKUP_ALL	((1u << CORE_BACKUP_DYNAMODB) | (1u << CORE_BACKUP_RDS) | \
			 (1u << CORE_BACKUP_RDS_CLUSTER))

/* The one name prompt open at a time. */
static struct {
	struct ui	*ui;
	char		*uri;
} bk;

static void
backup_name_done(void *arg, const char *line)
{
	struct core_backup_plan	 p;
	struct sv_err		 err;
	char			**pair;

	if (line == NULL) {
		ui_message(bk.ui, false, "backup cancelled: nothing was sent");
		return;
	}
	sv_err_init(&err);
	/* Validation only (no client): the name's rules, before anything. */
	if (core_backup_plan(NULL, bk.uri, line, BACKUP_ALL, &p, &err) != SV_OK) {
		ui_message(bk.ui, true, "%s", err.msg);
		return;
	}
	core_backup_plan_free(&p);
	pair = xcalloc(2, sizeof *pair);
	pair[0] = xstrdup(bk.uri);
	pair[1] = xstrdup(line);
	ui_push_arg(bk.ui, &view_backup, NULL, pair);	/* view_backup owns pair */
}

static const struct prompt_ops backup_name_ops = { NULL, backup_name_done, NULL };

void
ui_backup_begin(struct ui *ui, const struct resource *res)
{
	char	 name[320], stamp[32];
	time_t	 now = time(NULL);
	struct tm tm;

	if (res == NULL || !((res->scheme == RES_DYNAMODB && res->kind == RES_TABLE) ||
	    (res->scheme == RES_RDS && res->kind == RES_INSTANCE) ||
	    (res->scheme == RES_RDS_CLUSTER && res->kind == RES_CLUSTER))) {
		ui_message(ui, true, "b backs up a DynamoDB table, an RDS instance or "
		    "an Aurora cluster: select one first");
		return;
	}
	if (!ui_operate(ui)) {
		ui_message(ui, true, "read-only: start salvage with --operate to create "
		    "backups (nothing was sent)");
		return;
	}
	free(bk.uri);
	bk.ui = ui;
	bk.uri = resource_uri(res);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M", &tm);
	snprintf(name, sizeof name, "%s-manual-%s", res->name, stamp);
	prompt_open(PROMPT_VALUE, res->scheme == RES_DYNAMODB ? "backup name: " :
	    "snapshot name: ", name, &backup_name_ops, NULL);
}

/* ---- typed confirmations ---- */

static struct {
	struct ui	*ui;
	char		*question;
	char		*expected;
	void		(*done)(void *, bool);
	void		*arg;
} cf;

static void
confirm_done(void *unused, const char *line)
{
	void	(*done)(void *, bool) = cf.done;
	void	*arg = cf.arg;
	bool	 ok;

	cf.done = NULL;
	if (done == NULL)
		return;
	/* Esc is recorded too: asked, and not confirmed. */
	ok = ui_confirm(cf.ui, cf.question, cf.expected, line);
	if (line == NULL)
		ui_message(cf.ui, false, "cancelled: nothing was changed");
	done(arg, ok);
}

static const struct prompt_ops confirm_ops = { NULL, confirm_done, NULL };

void
ui_confirm_prompt(struct ui *ui, const char *question, const char *expected,
    const char *what, void (*done)(void *, bool), void *arg)
{
	char	*text;

	free(cf.question);
	free(cf.expected);
	cf.ui = ui;
	cf.question = xstrdup(question);
	cf.expected = xstrdup(expected);
	cf.done = done;
	cf.arg = arg;
	text = xasprintf("type the %s (%s) to confirm, Esc cancels: ", what, expected);
	prompt_open(PROMPT_CONFIRM, text, NULL, &confirm_ops, NULL);
	free(text);
}

void
ui_confirm_forget(void *arg)
{
	if (cf.done != NULL && cf.arg == arg) {
		cf.done = NULL;
		if (prompt_active())
			prompt_cancel();
	}
}

/* ---- R: the timeline, then the plan ---- */

void
ui_restore_timeline(struct ui *ui, const struct resource *res, sv_time at,
    const char *point_id)
{
	struct ui_timeline_arg *a = xcalloc(1, sizeof *a);

	a->at = at;
	a->point_id = point_id != NULL ? xstrdup(point_id) : NULL;
	ui_push_arg(ui, &view_timeline, res, a);	/* the view frees a */
}

struct ui_restore_req {
	struct restore_request	 req;
	char			*uri, *backup, *snapshot, *version, *target;
	char			*recovery_point, *iam_role;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct ui_restore_req *
ui_restore_req_copy(const struct restore_request *r)
{
	struct ui_restore_req *q = xcalloc(1, sizeof *q);

	q->req = *r;
	q->req.uri = q->uri = dup_or_null(r->uri);
	q->req.backup = q->backup = dup_or_null(r->backup);
	q->req.snapshot = q->snapshot = dup_or_null(r->snapshot);
	q->req.version = q->version = dup_or_null(r->version);
	q->req.target = q->target = dup_or_null(r->target);
	q->req.recovery_point = q->recovery_point = dup_or_null(r->recovery_point);
	q->req.iam_role = q->iam_role = dup_or_null(r->iam_role);
	return q;
}

const struct restore_request *
ui_restore_req_get(const struct ui_restore_req *q)
{
	return &q->req;
}

void
ui_restore_req_set_target(struct ui_restore_req *q, const char *target)
{
	free(q->target);
	q->req.target = q->target = target != NULL && *target != '\0' ?
	    xstrdup(target) : NULL;
}

void
ui_restore_req_set_delete_new(struct ui_restore_req *q, bool on)
{
	q->req.delete_new = on;
}

void
ui_restore_req_free(struct ui_restore_req *q)
{
	if (q == NULL)
		return;
	free(q->uri);
	free(q->backup);
	free(q->snapshot);
	free(q->version);
	free(q->target);
	free(q->recovery_point);
	free(q->iam_role);
	free(q);
}

void
ui_restore_plan(struct ui *ui, const struct restore_request *r)
{
	ui_push_arg(ui, &view_plan, NULL, ui_restore_req_copy(r));
}

void
ui_actions_cleanup(void)
{
	free(bk.uri);
	bk.uri = NULL;
	free(cf.question);
	free(cf.expected);
	cf.question = cf.expected = NULL;
	cf.done = NULL;
}
