/* restore-backup.c - the backup-recovery-point restore kind (see
 * restore.h): an AWS Backup recovery point of a DynamoDB table or an RDS
 * DB instance, restored by AWS Backup (StartRestoreJob) to a NEW table or
 * instance.
 *
 * The point is named with its vault (backup://VAULT --recovery-point ARN)
 * or with the resource it protects (dynamodb://T or rds://I, with
 * --recovery-point, or a DynamoDB --backup that is a recovery point ARN):
 * then its vault is found first (ListRecoveryPointsByResource).
 *
 * Build: DescribeRecoveryPoint (it exists, is COMPLETED, protects a kind
 * salvage can restore), the target (--target, or "<resource>-restored-
 * <stamp>"), GetRecoveryPointRestoreMetadata (the settings AWS Backup
 * recorded; the target's name replaces the one key that names the new
 * resource), then DescribeTable / DescribeDBInstances of the target (it
 * must not exist). The role AWS Backup acts as: --iam-role, or the one
 * that made the recovery point. Execute: StartRestoreJob with an
 * idempotency token of the point and the target. Wait: DescribeRestoreJob
 * until COMPLETED (the created resource's ARN) or ABORTED / FAILED; with
 * no job at hand (a runbook's separate wait step), the target itself until
 * it is ACTIVE / available. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/restore.h"
#include "svc/backup.h"
#include "svc/backup-restore.h"
#include "svc/dynamodb.h"
#include "svc/rds.h"
#include "util/str.h"
#include "util/xalloc.h"

/* The plan's kind data: StartRestoreJob, typed. */
struct bk_kdata {
	struct backup_restore_req req;
	char			*rp, *vault, *type, *role;
	char			 token[48];
	struct aws_kvlist	 metadata;
};

static void
bk_kdata_free(void *arg)
{
	struct bk_kdata	*k = arg;

	if (k == NULL)
		return;
	free(k->rp);
	free(k->vault);
	free(k->type);
	free(k->role);
	aws_kvlist_free(&k->metadata);
	free(k);
}

/* The op's state while building or waiting. */
struct bk_kstate {
	char			*vault;
	struct backup_answer	 rp;		/* DescribeRecoveryPoint */
	struct aws_kvlist	 metadata;	/* as recorded */
	bool			 table;		/* DynamoDB (else an RDS instance) */
	const char		*role;		/* req's or rp's */
	/* The target, as DescribeTable / DescribeDBInstances saw it (the
	 * check while building, the polls while waiting without a job). */
	bool			 target_exists;
	char			*target_status;
	char			*target_arn;
};

static void
bk_kstate_free(void *arg)
{
	struct bk_kstate	*ks = arg;

	if (ks == NULL)
		return;
	free(ks->vault);
	backup_answer_free(&ks->rp);
	aws_kvlist_free(&ks->metadata);
	free(ks->target_status);
	free(ks->target_arn);
	free(ks);
}

static struct bk_kstate *
kstate(struct restore_op *op)
{
	return restore_op_kstate(op, sizeof(struct bk_kstate), bk_kstate_free);
}

/* The recovery point asked for (--recovery-point, or --backup). */
static const char *
rp_arn(const struct restore_op *op)
{
	return op->req->recovery_point != NULL ? op->req->recovery_point :
	    op->req->backup;
}

/* A recovery point ARN's region and account, where its vault is:
 * AWS Backup's ("arn:P:backup:R:A:recovery-point:ID") or, for RDS and
 * Aurora, the DB snapshot's ("arn:P:rds:R:A:snapshot:awsbackup:job-ID"). */
static bool
rp_where(const char *arn, struct resource_arn *a)
{
	return resource_arn_split(arn, a) && a->region[0] != '\0' &&
	    a->account[0] != '\0' && a->resource[0] != '\0';
}

bool
restore_backup_arn(const char *arn)
{
	struct resource_arn	a;

	return rp_where(arn, &a) && strcmp(a.service, "backup") == 0 &&
	    str_starts(a.resource, "recovery-point:") &&
	    a.resource[strlen("recovery-point:")] != '\0';
}

/* The metadata key that names the new resource. */
static const char *
name_key(bool table)
{
	return table ? "targetTableName" : "DBInstanceIdentifier";
}

/* ---- build ---- */

static void
build_finish(struct restore_op *op)
{
	struct restore_plan	*p = op->plan;
	struct bk_kstate	*ks = kstate(op);
	struct bk_kdata		*k = xcalloc(1, sizeof *k);
	struct restore_step	*s;
	struct sv_err		 err;
	const char		*key = name_key(ks->table);
	char			 when[SV_TIME_ISO_MAX];

	sv_err_init(&err);
	p->kdata = k;
	p->kdata_free = bk_kdata_free;
	if (restore_plan_check_target(p, ks->target_exists, ks->target_status,
	    &err) != SV_OK) {
		restore_op_finish(op, err.code, &err);
		return;
	}
	restore_plan_set_loss(p, op->req);
	k->rp = xstrdup(ks->rp.rp.arn);
	k->vault = xstrdup(ks->vault);
	k->type = xstrdup(ks->rp.rp.resource_type);
	k->role = xstrdup(ks->role);
	backup_restore_token(k->rp, p->target, k->token);
	/* The recorded settings, but the name: any spelling of its key. */
	for (size_t i = 0; i < ks->metadata.n; i++)
		if (strcasecmp(ks->metadata.v[i].name, key) != 0)
			aws_kvlist_add(&k->metadata, ks->metadata.v[i].name,
			    ks->metadata.v[i].value);
	aws_kvlist_add(&k->metadata, key, p->target);
	k->req.recovery_point = k->rp;
	k->req.vault = k->vault;
	k->req.resource_type = k->type;
	k->req.iam_role = k->role;
	k->req.token = k->token;
	k->req.metadata = &k->metadata;
	sv_time_format_iso(p->time, when, p->time % 1000 != 0);
	s = restore_plan_add_step(p, OP_BACKUP_StartRestoreJob, RESTORE_ACT_CALL,
	    p->target_uri, "StartRestoreJob: AWS Backup creates %s %s from recovery "
	    "point %s of %s (taken %s)", ks->table ? "table" : "DB instance",
	    p->target, p->point_id, p->origin_uri, when);
	backup_restore_params(&k->req, &s->params);
	if (p->target_default)
		restore_plan_note(p, "target name chosen by salvage: %s (give --target "
		    "NAME to choose another)", p->target);
	restore_plan_note(p, "AWS Backup restores with the settings it recorded in "
	    "the recovery point (the Metadata above); only %s is changed", key);
	restore_plan_note(p, "AWS Backup acts as %s: the role needs to be able to "
	    "create the %s, and you need iam:PassRole on it%s", k->role,
	    ks->table ? "table" : "DB instance", op->req->iam_role == NULL ?
	    " (the role that made the recovery point; --iam-role ARN names "
	    "another)" : "");
	restore_plan_note(p, "the same restore sent again (a retry, a second run) "
	    "starts no second job: IdempotencyToken %s", k->token);
	restore_plan_note(p, "compare with the original and re-apply settings "
	    "with: salvage verify %s %s; salvage drift %s %s", p->origin_uri,
	    p->target_uri, p->origin_uri, p->target_uri);
	restore_op_finish(op, SV_OK, NULL);
}

static void
seen(struct bk_kstate *ks, const char *status, const char *arn)
{
	ks->target_exists = true;
	free(ks->target_status);
	ks->target_status = status != NULL ? xstrdup(status) : NULL;
	if (arn != NULL && ks->target_arn == NULL)
		ks->target_arn = xstrdup(arn);
}

static bool
seen_table(void *arg, const struct ddb_table *t)
{
	seen(kstate(arg), t->status, t->arn);
	return true;
}

static bool
seen_instances(void *arg, const struct rds_instances_page *pg)
{
	struct restore_op	*op = arg;

	for (size_t i = 0; i < pg->n; i++)
		if (pg->v[i].id != NULL && strcmp(pg->v[i].id, op->plan->target) == 0)
			seen(kstate(op), pg->v[i].status, pg->v[i].arn);
	return true;
}

/* DescribeTable / DescribeDBInstances of the target, into the kstate;
 * done: as for every svc_op. */
static void
describe_target(struct restore_op *op, svc_done_fn done)
{
	struct svc_op	*s;

	kstate(op)->target_exists = false;
	if (str_starts(op->plan->target_uri, "dynamodb://")) {
		s = ddb_describe_table(op->client, op->plan->target, seen_table,
		    done, op);
	} else {
		struct rds_instances_req q = { op->plan->target };

		s = rds_describe_db_instances(op->client, &q, seen_instances,
		    done, op);
	}
	if (s != NULL)
		op->svc = s;
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
metadata_done(void *arg, sv_result r, const struct sv_err *err,
    struct backup_answer *a)
{
	struct restore_op	*op = arg;
	struct bk_kstate	*ks;

	op->pending = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK) {
		restore_op_finish(op, r, err);
		return;
	}
	ks = kstate(op);
	for (size_t i = 0; i < a->metadata.n; i++)
		aws_kvlist_add(&ks->metadata, a->metadata.v[i].name,
		    a->metadata.v[i].value);
	describe_target(op, target_done);
}

/* The recovery point: one salvage can restore, and what it protects. */
static sv_result
choose(struct restore_op *op, const struct backup_rp_desc *d, struct sv_err *err)
{
	struct restore_plan	*p = op->plan;
	struct bk_kstate	*ks = kstate(op);
	struct point		 pt;
	struct resource		 res;
	char			 region[64], *origin;
	const char		*snap;
	sv_result		 r;

	if (strcmp(d->resource_type, "DynamoDB") == 0)
		ks->table = true;
	else if (strcmp(d->resource_type, "RDS") == 0 && d->resource_arn != NULL &&
	    strstr(d->resource_arn, ":db:") != NULL)
		ks->table = false;
	else if (strcmp(d->resource_type, "Aurora") == 0 &&
	    (snap = strstr(d->arn, ":cluster-snapshot:")) != NULL &&
	    (origin = d->resource_arn != NULL ? resource_uri_from_arn(
	    d->resource_arn, region, sizeof region) : NULL) != NULL) {
		/* An Aurora recovery point is a DB cluster snapshot, which the
		 * cluster kind restores with the cluster's first instance. */
		r = sv_err_set(err, SV_E_INVALID, "recovery point %s is an Aurora "
		    "DB cluster snapshot: restore it, with the cluster's first "
		    "instance, with salvage restore %s --snapshot %s", d->arn,
		    origin, snap + strlen(":cluster-snapshot:"));
		free(origin);
		return r;
	} else
		return sv_err_set(err, SV_E_INVALID, "recovery point %s is of "
		    "resource type %s (%s): salvage restores AWS Backup recovery points of "
		    "DynamoDB tables and RDS DB instances only; start this one with "
		    "aws backup start-restore-job (or the AWS Backup console)",
		    d->arn, d->resource_type, d->resource_arn != NULL ?
		    d->resource_arn : "ARN unknown");
	origin = d->resource_arn != NULL ? resource_uri_from_arn(d->resource_arn,
	    region, sizeof region) : NULL;
	memset(&res, 0, sizeof res);
	if (origin == NULL || resource_parse(origin, &res, err) != SV_OK) {
		free(origin);
		return sv_err_set(err, SV_E_PARSE, "recovery point %s: resource ARN "
		    "'%s' does not name a %s", d->arn, d->resource_arn != NULL ?
		    d->resource_arn : "", ks->table ? "DynamoDB table" :
		    "DB instance");
	}
	free(p->origin_uri);
	p->origin_uri = origin;
	memset(&pt, 0, sizeof pt);
	pt.kind = POINT_RECOVERY_POINT;
	pt.id = d->arn;
	pt.time = d->created;
	pt.status = d->status;
	pt.usable = strcmp(d->status, "COMPLETED") == 0 ||
	    strcmp(d->status, "AVAILABLE") == 0;
	if (!pt.usable) {
		/* PARTIAL, EXPIRED, DELETING...: it will not become usable. */
		r = sv_err_set(err, SV_E_INVALID, "recovery point %s is %s%s%s%s: "
		    "only a COMPLETED recovery point can be restored; choose "
		    "another with salvage points backup://%s", d->arn, d->status,
		    d->status_message != NULL ? " (" : "", d->status_message != NULL ?
		    d->status_message : "", d->status_message != NULL ? ")" : "",
		    ks->vault);
		goto out;
	}
	if ((r = restore_plan_choose_point(p, &pt, err)) != SV_OK)
		goto out;
	if ((r = restore_plan_set_target(p, op->req->target,
	    d->resource_name != NULL && *d->resource_name != '\0' ?
	    d->resource_name : res.name, ks->table, err)) != SV_OK)
		goto out;
	ks->role = op->req->iam_role != NULL ? op->req->iam_role : d->iam_role;
	if (ks->role == NULL)
		r = sv_err_set(err, SV_E_USAGE, "recovery point %s does not say "
		    "which role made it: name the role AWS Backup acts as with "
		    "--iam-role ARN (usually service-role/AWSBackupDefaultServiceRole)",
		    d->arn);
out:
	resource_free(&res);
	return r;
}

static void
rp_described(void *arg, sv_result r, const struct sv_err *err,
    struct backup_answer *a)
{
	struct restore_op	*op = arg;
	struct bk_kstate	*ks;
	struct sv_err		 e;

	op->pending = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK) {
		restore_op_finish(op, r, err);
		return;
	}
	ks = kstate(op);
	ks->rp = *a;		/* take the strings over */
	memset(a, 0, sizeof *a);
	sv_err_init(&e);
	if (choose(op, &ks->rp.rp, &e) != SV_OK) {
		restore_op_finish(op, e.code, &e);
		return;
	}
	op->pending = backup_get_restore_metadata(op->client, ks->vault,
	    ks->rp.rp.arn, metadata_done, op);
}

static void
describe(struct restore_op *op)
{
	op->pending = backup_describe_recovery_point(op->client, kstate(op)->vault,
	    rp_arn(op), rp_described, op);
}

static bool
vault_page(void *arg, const struct backup_points_page *pg)
{
	struct restore_op	*op = arg;
	struct bk_kstate	*ks = kstate(op);

	for (size_t i = 0; i < pg->n && ks->vault == NULL; i++)
		if (pg->v[i].arn != NULL && pg->v[i].vault != NULL &&
		    strcmp(pg->v[i].arn, rp_arn(op)) == 0)
			ks->vault = xstrdup(pg->v[i].vault);
	return ks->vault == NULL;
}

static void
vault_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct restore_op	*op = arg;
	const struct restore_plan *p = op->plan;

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK)
		restore_op_finish(op, r, err);
	else if (kstate(op)->vault == NULL)
		restore_op_fail(op, SV_E_NOTFOUND, "%s is not a recovery point of %s "
		    "in any AWS Backup vault of this account and region: salvage "
		    "points %s lists its restore points; from another vault, name "
		    "it: salvage restore backup://VAULT --recovery-point ARN",
		    rp_arn(op), p->source_uri, p->source_uri);
	else
		describe(op);
}

static void
bk_build(struct restore_op *op)
{
	const struct restore_plan *p = op->plan;
	struct bk_kstate	*ks = kstate(op);
	struct resource_arn	 where;
	char			*arn;
	const char		*here = aws_client_region(op->client);
	struct svc_op		*s;

	/* A recovery point lives in its vault's region: asking another
	 * region would only say "not found". */
	if (rp_where(rp_arn(op), &where) && here != NULL &&
	    strcmp(where.region, here) != 0) {
		restore_op_fail(op, SV_E_USAGE, "recovery point %s is in %s, not in "
		    "%s: add --region %s (AWS Backup restores it in its own "
		    "region)", rp_arn(op), where.region, here, where.region);
		return;
	}
	if (p->source.kind == RES_VAULT) {
		ks->vault = xstrdup(p->source.name);
		describe(op);
		return;
	}
	/* The protected resource's ARN, where the point is: its vault. */
	if (!rp_where(rp_arn(op), &where)) {
		restore_op_fail(op, SV_E_USAGE, "%s is not a recovery point ARN "
		    "(arn:aws:backup:REGION:ACCOUNT:recovery-point:ID, or an RDS "
		    "snapshot ARN)", rp_arn(op));
		return;
	}
	if (p->source.kind == RES_TABLE)
		arn = xasprintf("arn:%s:dynamodb:%s:%s:table/%s", where.partition,
		    where.region, where.account, p->source.name);
	else
		arn = xasprintf("arn:%s:rds:%s:%s:db:%s", where.partition,
		    where.region, where.account, p->source.name);
	s = backup_list_recovery_points_by_resource(op->client, arn, vault_page,
	    vault_done, op);
	free(arn);
	if (s != NULL)
		op->svc = s;
}

/* ---- execute ---- */

static void
started(void *arg, sv_result r, const struct sv_err *err,
    struct backup_answer *a)
{
	struct restore_op	*op = arg;
	struct restore_outcome	*o = op->outcome;

	op->pending = NULL;
	op->next_step = 1;
	restore_outcome_step(o, 0, r, err, a->request_id, a->job.id);
	if (r != SV_OK) {
		if (r == SV_E_READONLY || r == SV_E_AUDIT)
			o->started = SV_TIME_NONE;
		restore_op_finish(op, r, err);
		return;
	}
	o->executed = true;
	free(o->status);
	o->status = xstrdup("PENDING");
	restore_op_progress(op, o->status, -1, "StartRestoreJob: restore job %s "
	    "started for %s", a->job.id, op->plan->target_uri);
	restore_op_finish(op, SV_OK, NULL);
}

static void
bk_execute(struct restore_op *op)
{
	const struct bk_kdata	*k = op->plan->kdata;

	op->outcome->started = sv_time_now();
	op->pending = backup_start_restore(op->client, &k->req, started, op);
}

/* ---- wait ---- */

static void bk_poll(struct restore_op *);

static const char *
job_id(const struct restore_op *op)
{
	const struct restore_outcome *o = op->outcome;

	return o->nsteps > 0 && o->steps[0].detail != NULL ? o->steps[0].detail :
	    NULL;
}

static void
polled(void *arg, sv_result r, const struct sv_err *err,
    struct backup_answer *a)
{
	struct restore_op	*op = arg;
	struct restore_outcome	*o = op->outcome;
	const struct backup_restore_job *j = &a->job;

	op->pending = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK) {
		restore_op_fail(op, r, "could not check restore job %s (%s); the restore goes "
		    "on: check it with aws backup describe-restore-job "
		    "--restore-job-id %s", job_id(op), err->msg, job_id(op));
		return;
	}
	free(o->status);
	o->status = xstrdup(j->status);
	o->percent = j->percent != NULL ? atoi(j->percent) : -1;
	if (o->started != SV_TIME_NONE)
		o->elapsed_ms = sv_time_now() - o->started;
	restore_op_progress(op, o->status, o->percent, "DescribeRestoreJob %s: %s%s%s",
	    j->id, j->status, j->percent != NULL ? " " : "",
	    j->percent != NULL ? j->percent : "");
	if (strcmp(j->status, "COMPLETED") == 0) {
		if (j->created_arn != NULL) {
			free(o->target_arn);
			o->target_arn = xstrdup(j->created_arn);
		}
		o->usable = true;
		o->finished = sv_time_now();
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	if (strcmp(j->status, "ABORTED") == 0 || strcmp(j->status, "FAILED") == 0) {
		o->failed_state = true;
		restore_op_fail(op, SV_E_AWS, "restore job %s is %s: %s", j->id, j->status,
		    j->status_message != NULL ? j->status_message :
		    "AWS Backup gave no reason");
		return;
	}
	restore_op_schedule(op, restore_poll_delay_ms(++op->polls), bk_poll);
}

static void
bk_poll(struct restore_op *op)
{
	op->pending = backup_describe_restore_job(op->client, job_id(op), polled, op);
}

/* Without the job (a runbook's wait step, a resumed session): the target
 * itself, until it is ACTIVE / available. Not there yet is not an error:
 * AWS Backup creates it when the job runs. */
static void target_poll(struct restore_op *);

static void
target_polled(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct restore_op	*op = arg;
	struct restore_outcome	*o = op->outcome;
	struct bk_kstate	*ks = kstate(op);
	const char		*ready = str_starts(op->plan->target_uri, "dynamodb://") ?
				    "ACTIVE" : "available";

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r == SV_E_NOTFOUND) {
		restore_op_progress(op, NULL, -1, "%s: not there yet (AWS Backup "
		    "creates it when its restore job runs)", op->plan->target_uri);
		restore_op_schedule(op, restore_poll_delay_ms(++op->polls), target_poll);
		return;
	}
	if (r != SV_OK) {
		restore_op_fail(op, r, "could not check %s (%s); the restore goes on: "
		    "check it with salvage ls %s", op->plan->target_uri, err->msg,
		    op->plan->target_uri);
		return;
	}
	free(o->status);
	o->status = xstrdup(ks->target_status != NULL ? ks->target_status :
	    "unknown");
	if (ks->target_arn != NULL && o->target_arn == NULL)
		o->target_arn = xstrdup(ks->target_arn);
	if (o->started != SV_TIME_NONE)
		o->elapsed_ms = sv_time_now() - o->started;
	restore_op_progress(op, o->status, -1, "%s: %s", op->plan->target_uri,
	    o->status != NULL ? o->status : "unknown");
	if (o->status != NULL && strcmp(o->status, ready) == 0) {
		o->usable = true;
		o->finished = sv_time_now();
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	restore_op_schedule(op, restore_poll_delay_ms(++op->polls), target_poll);
}

static void
target_poll(struct restore_op *op)
{
	describe_target(op, target_polled);
}

static void
bk_wait(struct restore_op *op)
{
	restore_op_schedule(op, restore_poll_delay_ms(op->polls),
	    job_id(op) != NULL ? bk_poll : target_poll);
}

const struct restore_kind_ops restore_backup_point_ops = {
	bk_build, bk_execute, bk_wait, NULL, NULL
};
