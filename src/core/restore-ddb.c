/* restore-ddb.c - the DynamoDB restore kinds (see restore.h): ddb-pitr
 * (RestoreTableToPointInTime) and ddb-backup (RestoreTableFromBackup).
 *
 * Build: the source's restore points (core_points_load: the window and
 * the backups), for a backup not among them DescribeBackup (the source
 * table may be gone: restoring a deleted table from its backup is the
 * point of backups), then DescribeTable of the target (it must not
 * exist). Execute: the one restore call. Wait: DescribeTable until
 * ACTIVE. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/restore.h"
#include "svc/ddb-backup.h"
#include "svc/ddb-restore.h"
#include "svc/dynamodb.h"
#include "util/str.h"
#include "util/xalloc.h"

/* The plan's kind data: the restore call, typed. */
struct ddb_kdata {
	struct ddb_restore_req	 req;
	char			*source;
	char			*backup;
	char			*target;
};

static void
ddb_kdata_free(void *arg)
{
	struct ddb_kdata	*k = arg;

	if (k == NULL)
		return;
	free(k->source);
	free(k->backup);
	free(k->target);
	free(k);
}

/* The op's state while building or waiting. */
struct ddb_kstate {
	struct core_points_op	*pts;
	struct point_set	*set;
	struct point		 described;	/* a backup found by DescribeBackup */
	bool			 have_described;
	bool			 target_exists;
	char			*target_status;
	char			*status;	/* wait: the last TableStatus */
	bool			 restore_in_progress;
	int			 notfound;	/* wait: polls that did not find it yet */
};

static void
ddb_kstate_free(void *arg)
{
	struct ddb_kstate	*ks = arg;

	if (ks == NULL)
		return;
	if (ks->set != NULL) {
		point_set_free(ks->set);
		free(ks->set);
	}
	free(ks->described.id);
	free(ks->described.status);
	free(ks->described.type);
	free(ks->target_status);
	free(ks->status);
	free(ks);
}

static struct ddb_kstate *
kstate(struct restore_op *op)
{
	return restore_op_kstate(op, sizeof(struct ddb_kstate), ddb_kstate_free);
}

/* ---- build ---- */

static void
build_finish(struct restore_op *op)
{
	struct restore_plan	*p = op->plan;
	struct ddb_kstate	*ks = kstate(op);
	struct ddb_kdata	*k = xcalloc(1, sizeof *k);
	struct restore_step	*s;
	struct sv_err		 err;
	enum aws_op_id		 call_op;
	char			*body, when[SV_TIME_ISO_MAX];

	sv_err_init(&err);
	p->kdata = k;
	p->kdata_free = ddb_kdata_free;
	if (restore_plan_check_target(p, ks->target_exists, ks->target_status,
	    &err) != SV_OK) {
		restore_op_finish(op, err.code, &err);
		return;
	}
	restore_plan_set_loss(p, op->req);
	k->source = xstrdup(p->source.name);
	k->target = xstrdup(p->target);
	k->req.target = k->target;
	if (p->kind == RESTORE_DDB_BACKUP) {
		k->backup = xstrdup(p->point_id);
		k->req.backup_arn = k->backup;
	} else {
		k->req.source_table = k->source;
		k->req.latest = p->latest;
		k->req.time = p->time;
	}
	body = ddb_restore_body(&k->req, &call_op);
	free(body);
	if (p->time != SV_TIME_NONE)
		sv_time_format_iso(p->time, when, p->time % 1000 != 0);
	else
		str_lcpy(when, "unknown", sizeof when);
	if (p->kind == RESTORE_DDB_BACKUP)
		s = restore_plan_add_step(p, call_op, RESTORE_ACT_CALL, p->target_uri,
		    "RestoreTableFromBackup: create table %s from backup %s (taken %s)",
		    p->target, p->point_id, when);
	else if (p->latest)
		s = restore_plan_add_step(p, call_op, RESTORE_ACT_CALL, p->target_uri,
		    "RestoreTableToPointInTime: create table %s from %s at the latest "
		    "restorable time (now about %s)", p->target, p->source_uri, when);
	else
		s = restore_plan_add_step(p, call_op, RESTORE_ACT_CALL, p->target_uri,
		    "RestoreTableToPointInTime: create table %s from %s as it was at %s",
		    p->target, p->source_uri, when);
	ddb_restore_params(&k->req, &s->params);
	restore_plan_add_notes(p);
	if (ks->set != NULL && ks->set->note != NULL)
		restore_plan_warn(p, "%s", ks->set->note);
	restore_op_finish(op, SV_OK, NULL);
}

static bool
target_table(void *arg, const struct ddb_table *t)
{
	struct restore_op	*op = arg;
	struct ddb_kstate	*ks = kstate(op);

	ks->target_exists = true;
	free(ks->target_status);
	ks->target_status = t->status != NULL ? xstrdup(t->status) : NULL;
	return true;
}

static void
target_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct restore_op	*op = arg;

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r == SV_E_NOTFOUND)
		kstate(op)->target_exists = false;
	else if (r != SV_OK) {
		restore_op_finish(op, r, err);
		return;
	}
	build_finish(op);
}

static void
check_target(struct restore_op *op)
{
	struct svc_op	*s;

	s = ddb_describe_table(op->client, op->plan->target, target_table, target_done, op);
	if (s != NULL)
		op->svc = s;
}

static void
backup_described(void *arg, sv_result r, const struct sv_err *err,
    const struct ddb_backup_desc *d)
{
	struct restore_op	*op = arg;
	struct ddb_kstate	*ks;
	struct restore_plan	*p;
	struct sv_err		 e;

	op->pending = NULL;
	if (restore_op_cancelled(op))
		return;
	p = op->plan;
	ks = kstate(op);
	if (r == SV_E_NOTFOUND || (r != SV_OK && strstr(err->msg, "BackupNotFound") != NULL)) {
		restore_op_fail(op, SV_E_NOTFOUND, "no backup %s: list the backups of %s with "
		    "salvage points %s", op->req->backup, p->source_uri, p->source_uri);
		return;
	}
	if (r != SV_OK) {
		restore_op_finish(op, r, err);
		return;
	}
	ks->have_described = true;
	ks->described.kind = POINT_BACKUP;
	ks->described.id = xstrdup(d->arn);
	ks->described.status = d->status != NULL ? xstrdup(d->status) : NULL;
	ks->described.type = d->type != NULL ? xstrdup(d->type) : NULL;
	ks->described.time = d->created;
	ks->described.size = d->size_bytes;
	ks->described.usable = d->status != NULL && strcmp(d->status, "AVAILABLE") == 0;
	if (d->table != NULL && strcmp(d->table, p->source.name) != 0)
		restore_plan_warn(p, "backup %s was taken of table %s, not of %s", d->arn,
		    d->table, p->source.name);
	sv_err_init(&e);
	if (restore_plan_choose_point(p, &ks->described, &e) != SV_OK) {
		restore_op_finish(op, e.code, &e);
		return;
	}
	check_target(op);
}

static void
points_done(void *arg, struct point_set *set, sv_result r, const struct sv_err *err)
{
	struct restore_op	*op = arg;
	struct ddb_kstate	*ks = kstate(op);
	struct restore_plan	*p = op->plan;
	struct sv_err		 e;

	ks->pts = NULL;
	if (ks->set != NULL) {
		point_set_free(ks->set);
		free(ks->set);
	}
	ks->set = set;
	if (restore_op_cancelled(op))
		return;
	sv_err_init(&e);
	if (p->kind == RESTORE_DDB_PITR) {
		if (r != SV_OK) {
			restore_op_finish(op, r, err);
			return;
		}
		if (restore_plan_choose_time(p, set, &e) != SV_OK) {
			restore_op_finish(op, e.code, &e);
			return;
		}
		check_target(op);
		return;
	}
	/* From a backup: one of the source's, or any the account has. */
	if (r == SV_OK) {
		const struct point *pt = point_set_find(set, op->req->backup);

		if (pt != NULL) {
			if (restore_plan_choose_point(p, pt, &e) != SV_OK) {
				restore_op_finish(op, e.code, &e);
				return;
			}
			check_target(op);
			return;
		}
	} else if (r == SV_E_NOTFOUND) {
		restore_plan_warn(p, "the source table %s no longer exists: restoring "
		    "from its backup", p->source.name);
	} else {
		restore_op_finish(op, r, err);
		return;
	}
	op->pending = ddb_describe_backup(op->client, op->req->backup, backup_described, op);
}

static void
ddb_build(struct restore_op *op)
{
	struct ddb_kstate	*ks = kstate(op);
	struct core_points_op	*pts;
	struct sv_err		 err;

	sv_err_init(&err);
	pts = core_points_load(op->client, &op->plan->source, points_done, op, &err);
	if (pts != NULL)
		ks->pts = pts;
	else if (err.code != SV_OK)
		restore_op_finish(op, err.code, &err);
}

static void
ddb_cancel(struct restore_op *op)
{
	struct ddb_kstate	*ks = op->kstate;

	if (ks != NULL && ks->pts != NULL) {
		struct core_points_op *pts = ks->pts;

		ks->pts = NULL;
		core_points_cancel(pts);
	}
}

/* ---- execute ---- */

static void
restored(void *arg, sv_result r, const struct sv_err *err,
    const struct ddb_restore_desc *d)
{
	struct restore_op	*op = arg;
	struct restore_outcome	*o = op->outcome;

	op->pending = NULL;
	op->next_step = 1;
	restore_outcome_step(o, 0, r, err, d != NULL ? d->request_id : NULL,
	    d != NULL ? d->arn : NULL);
	if (r != SV_OK) {
		if (r == SV_E_READONLY || r == SV_E_AUDIT)
			o->started = SV_TIME_NONE;
		restore_op_finish(op, r, err);
		return;
	}
	o->executed = true;
	free(o->target_arn);
	o->target_arn = d->arn != NULL ? xstrdup(d->arn) : NULL;
	free(o->status);
	o->status = xstrdup(d->status != NULL ? d->status : "CREATING");
	restore_op_progress(op, o->status, -1, "%s started: table %s is %s",
	    aws_op_get(op->plan->steps[0].op)->name, op->plan->target, o->status);
	restore_op_finish(op, SV_OK, NULL);
}

static void
ddb_execute(struct restore_op *op)
{
	const struct ddb_kdata	*k = op->plan->kdata;

	op->outcome->started = sv_time_now();
	op->pending = ddb_restore(op->client, &k->req, restored, op);
}

/* ---- wait ---- */

static void ddb_poll(struct restore_op *);

static bool
waited_table(void *arg, const struct ddb_table *t)
{
	struct restore_op	*op = arg;
	struct ddb_kstate	*ks = kstate(op);

	free(ks->status);
	ks->status = xstrdup(t->status != NULL ? t->status : "UNKNOWN");
	ks->restore_in_progress = t->restore_in_progress;
	if (t->arn != NULL && op->outcome->target_arn == NULL)
		op->outcome->target_arn = xstrdup(t->arn);
	return true;
}

static void
waited_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct restore_op	*op = arg;
	struct ddb_kstate	*ks = kstate(op);
	struct restore_outcome	*o = op->outcome;

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r == SV_E_NOTFOUND && ++ks->notfound <= 3) {
		/* Just after the call, the new table may not be visible yet. */
		restore_op_progress(op, NULL, -1, "DescribeTable %s: not visible yet",
		    op->plan->target);
		restore_op_schedule(op, restore_poll_delay_ms(++op->polls), ddb_poll);
		return;
	}
	if (r != SV_OK) {
		restore_op_fail(op, r, "could not check %s (%s); the restore goes on: check it "
		    "with salvage ls %s", op->plan->target_uri, err->msg,
		    op->plan->target_uri);
		return;
	}
	free(o->status);
	o->status = xstrdup(ks->status != NULL ? ks->status : "UNKNOWN");
	if (o->started != SV_TIME_NONE)
		o->elapsed_ms = sv_time_now() - o->started;
	restore_op_progress(op, o->status, -1, "DescribeTable %s: %s", op->plan->target,
	    o->status);
	if (strcmp(o->status, "ACTIVE") == 0 && !ks->restore_in_progress) {
		o->usable = true;
		o->finished = sv_time_now();
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	if (strcmp(o->status, "DELETING") == 0 || strcmp(o->status, "ARCHIVED") == 0 ||
	    strcmp(o->status, "INACCESSIBLE_ENCRYPTION_CREDENTIALS") == 0) {
		o->failed_state = true;
		restore_op_fail(op, SV_E_AWS, "table %s is %s: the restore did not complete",
		    op->plan->target, o->status);
		return;
	}
	restore_op_schedule(op, restore_poll_delay_ms(++op->polls), ddb_poll);
}

static void
ddb_poll(struct restore_op *op)
{
	struct svc_op	*s;

	s = ddb_describe_table(op->client, op->plan->target, waited_table, waited_done, op);
	if (s != NULL)
		op->svc = s;
}

static void
ddb_wait(struct restore_op *op)
{
	restore_op_schedule(op, restore_poll_delay_ms(op->polls), ddb_poll);
}

const struct restore_kind_ops restore_ddb_pitr_ops = {
	ddb_build, ddb_execute, ddb_wait, ddb_cancel, NULL
};

const struct restore_kind_ops restore_ddb_backup_ops = {
	ddb_build, ddb_execute, ddb_wait, ddb_cancel, NULL
};
