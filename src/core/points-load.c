/* points-load.c - gathering one resource's restore points through
 * src/svc, asynchronously: the calls for the window and for each kind of
 * point run concurrently; when all are done the set is sorted and handed
 * to the caller.
 *
 *	DynamoDB table	DescribeContinuousBackups, ListBackups (every kind)
 *	RDS instance	DescribeDBInstances, DescribeDBInstanceAutomatedBackups
 *			(the window's start), DescribeDBSnapshots
 *	RDS cluster	DescribeDBClusters, DescribeDBClusterSnapshots
 *	S3 object	ListObjectVersions (prefix = key, only that key)
 *	Backup vault	ListRecoveryPointsByBackupVault (every resource's) */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/points.h"
#include "svc/backup.h"
#include "svc/dynamodb.h"
#include "svc/rds.h"
#include "svc/s3.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

#define POINTS_MAX_SUBS	3

struct core_points_op;

/* One svc call of the gathering. */
struct points_sub {
	struct core_points_op	*op;
	struct svc_op		*svc;
	bool			 live;
	/* Its failure only makes the set less precise: it becomes the
	 * set's note (NOTFOUND, "nothing there", not even that). */
	bool			 optional;
	sv_result		 result;
	struct sv_err		 err;
};

struct core_points_op {
	struct aws_client	*client;
	struct point_set	*set;
	core_points_done_fn	 done;
	void			*data;
	struct points_sub	 subs[POINTS_MAX_SUBS];
	int			 nsubs;
	int			 hold;		/* subs live + 1 while starting/cancelling */
	bool			 finished;
	bool			 returned;	/* core_points_load has returned the op */

	/* RDS instance: the window is put together at the end. */
	bool			 have_instance;
	long long		 retention;
	sv_time			 latest;
	sv_time			 auto_earliest;
	sv_time			 auto_latest;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
points_finish(struct core_points_op *op)
{
	struct point_set	*set = op->set;
	struct sv_err		 err;
	sv_result		 result = SV_OK;

	if (op->finished)
		return;
	op->finished = true;
	sv_err_init(&err);

	/* The primary call's error (a missing table) says most: it wins. */
	for (int i = 0; i < op->nsubs; i++) {
		struct points_sub *s = &op->subs[i];

		if (s->result == SV_OK)
			continue;
		if (s->optional && s->result != SV_E_CANCELLED) {
			if (s->result != SV_E_NOTFOUND && set->note == NULL)
				set->note = xasprintf("the start of the "
				    "point-in-time window is unknown: %s", s->err.msg);
			continue;
		}
		result = s->result;
		err = s->err;
		break;
	}

	if (set->resource.scheme == RES_RDS && op->have_instance) {
		if (op->retention > 0) {
			set->pitr.status = PITR_ENABLED;
			set->pitr.retention_days = (int)op->retention;
			set->pitr.latest = op->latest != SV_TIME_NONE ?
			    op->latest : op->auto_latest;
			/* Only the automated backups say where the window
			 * starts; without a RestoreWindow it stays unknown. */
			set->pitr.earliest = op->auto_earliest;
		} else
			set->pitr.status = PITR_DISABLED;
	}
	if (result == SV_OK && set->resource.scheme == RES_RDS && !op->have_instance)
		result = sv_err_set(&err, SV_E_NOTFOUND, "rds://%s: no such DB "
		    "instance in this account and region", set->resource.name);
	if (result == SV_OK && set->resource.scheme == RES_RDS_CLUSTER &&
	    set->pitr.status == PITR_NONE)
		result = sv_err_set(&err, SV_E_NOTFOUND, "rds-cluster://%s: no "
		    "such DB cluster in this account and region",
		    set->resource.name);
	if (result == SV_OK && set->resource.scheme == RES_S3 && set->n == 0)
		result = sv_err_set(&err, SV_E_NOTFOUND, "s3://%s/%s has no "
		    "versions: no such key (check the key's exact spelling, or "
		    "list the prefix with 'salvage versions')",
		    set->resource.name, set->resource.key);
	point_set_sort(set);
	op->set = NULL;
	op->done(op->data, set, result, result == SV_OK ? NULL : &err);
}

static void
points_release(struct core_points_op *op)
{
	if (--op->hold > 0)
		return;
	points_finish(op);
	/* Freed here unless core_points_load has not returned yet (it then
	 * frees the op itself and returns NULL). */
	if (op->returned)
		free(op);
}

static void
sub_done(void *data, sv_result result, const struct sv_err *err, size_t pages)
{
	struct points_sub	*s = data;

	(void)pages;
	s->live = false;
	s->svc = NULL;
	s->result = result;
	if (err != NULL)
		s->err = *err;
	else if (result != SV_OK)
		sv_err_set(&s->err, result, "%s", sv_result_str(result));
	points_release(s->op);
}

static struct points_sub *
sub_new(struct core_points_op *op, bool optional)
{
	struct points_sub	*s = &op->subs[op->nsubs++];

	s->op = op;
	s->live = true;
	s->optional = optional;
	s->result = SV_OK;
	sv_err_init(&s->err);
	op->hold++;
	return s;
}

/* ---- DynamoDB ---- */

static bool
ddb_window(void *data, const struct ddb_continuous_backups *cb)
{
	struct points_sub	*s = data;
	struct point_set	*set = s->op->set;

	set->pitr.status = cb->pitr_enabled ? PITR_ENABLED : PITR_DISABLED;
	if (cb->pitr_enabled) {
		set->pitr.earliest = cb->earliest;
		set->pitr.latest = cb->latest;
	}
	if (cb->recovery_period_days > 0)
		set->pitr.retention_days = (int)cb->recovery_period_days;
	return true;
}

static bool
ddb_backups(void *data, const struct ddb_backups_page *page)
{
	struct points_sub	*s = data;
	struct point_set	*set = s->op->set;

	for (size_t i = 0; i < page->n; i++) {
		const struct ddb_backup *b = &page->backups[i];
		struct point	*p;

		/* Only this table's (the filter is asked for; check anyway). */
		if (b->table_name != NULL &&
		    strcmp(b->table_name, set->resource.name) != 0)
			continue;
		if (b->status != NULL && strcmp(b->status, "DELETED") == 0)
			continue;
		p = point_set_add(set, POINT_BACKUP, b->created);
		p->id = dup_or_null(b->arn);
		p->name = dup_or_null(b->name);
		p->type = dup_or_null(b->type);
		p->status = dup_or_null(b->status);
		p->size = b->size_bytes;
		p->usable = b->status == NULL || strcmp(b->status, "AVAILABLE") == 0;
	}
	return true;
}

static void
load_table(struct core_points_op *op)
{
	const char		*table = op->set->resource.name;
	struct points_sub	*s;

	s = sub_new(op, false);
	s->svc = ddb_describe_continuous_backups(op->client, table, ddb_window,
	    sub_done, s);
	s = sub_new(op, false);
	s->svc = ddb_list_all_backups(op->client, table, ddb_backups, sub_done, s);
}

/* ---- RDS ---- */

static bool
rds_instance(void *data, const struct rds_instances_page *page)
{
	struct points_sub	*s = data;
	struct core_points_op	*op = s->op;

	for (size_t i = 0; i < page->n; i++) {
		if (page->v[i].id == NULL ||
		    !str_ieq(page->v[i].id, op->set->resource.name))
			continue;
		op->have_instance = true;
		op->retention = page->v[i].backup_retention;
		op->latest = page->v[i].latest_restorable;
	}
	return true;
}

static bool
rds_automated(void *data, const struct rds_automated_backups_page *page)
{
	struct points_sub	*s = data;
	struct core_points_op	*op = s->op;

	for (size_t i = 0; i < page->n; i++) {
		const struct rds_automated_backup *a = &page->v[i];

		/* The live instance's backups; retained ones belong to a
		 * deleted instance of the same name. */
		if (a->status != NULL && strcmp(a->status, "retained") == 0)
			continue;
		if (a->earliest != SV_TIME_NONE)
			op->auto_earliest = a->earliest;
		if (a->latest != SV_TIME_NONE)
			op->auto_latest = a->latest;
	}
	return true;
}

static bool
rds_snapshots(void *data, const struct rds_snapshots_page *page)
{
	struct points_sub	*s = data;
	struct point_set	*set = s->op->set;

	for (size_t i = 0; i < page->n; i++) {
		const struct rds_snapshot *sn = &page->v[i];
		struct point	*p;

		p = point_set_add(set, POINT_SNAPSHOT, sn->created);
		p->id = dup_or_null(sn->id);
		p->type = dup_or_null(sn->type);
		p->status = dup_or_null(sn->status);
		p->usable = sn->status != NULL && strcmp(sn->status, "available") == 0;
	}
	return true;
}

static void
load_instance(struct core_points_op *op)
{
	struct rds_instances_req		 ireq;
	struct rds_automated_backups_req	 areq;
	struct rds_snapshots_req		 sreq;
	struct points_sub			*s;

	memset(&ireq, 0, sizeof ireq);
	memset(&areq, 0, sizeof areq);
	memset(&sreq, 0, sizeof sreq);
	ireq.instance_id = areq.instance_id = sreq.instance_id =
	    op->set->resource.name;
	s = sub_new(op, false);
	s->svc = rds_describe_db_instances(op->client, &ireq, rds_instance,
	    sub_done, s);
	/* Only the window's start comes from here: without it (no
	 * automated backups, or not allowed to see them) that is unknown. */
	s = sub_new(op, true);
	s->svc = rds_describe_db_instance_automated_backups(op->client, &areq,
	    rds_automated, sub_done, s);
	s = sub_new(op, false);
	s->svc = rds_describe_db_snapshots(op->client, &sreq, rds_snapshots,
	    sub_done, s);
}

static bool
rds_cluster(void *data, const struct rds_clusters_page *page)
{
	struct points_sub	*s = data;
	struct point_set	*set = s->op->set;

	for (size_t i = 0; i < page->n; i++) {
		const struct rds_cluster *c = &page->v[i];

		if (c->id == NULL || !str_ieq(c->id, set->resource.name))
			continue;
		if (c->backup_retention > 0) {
			set->pitr.status = PITR_ENABLED;
			set->pitr.retention_days = (int)c->backup_retention;
			set->pitr.earliest = c->earliest_restorable;
			set->pitr.latest = c->latest_restorable;
		} else
			set->pitr.status = PITR_DISABLED;
	}
	return true;
}

static bool
rds_cluster_snapshots(void *data, const struct rds_cluster_snapshots_page *page)
{
	struct points_sub	*s = data;
	struct point_set	*set = s->op->set;

	for (size_t i = 0; i < page->n; i++) {
		const struct rds_cluster_snapshot *sn = &page->v[i];
		struct point	*p;

		p = point_set_add(set, POINT_SNAPSHOT, sn->created);
		p->id = dup_or_null(sn->id);
		p->type = dup_or_null(sn->type);
		p->status = dup_or_null(sn->status);
		p->usable = sn->status != NULL && strcmp(sn->status, "available") == 0;
	}
	return true;
}

static void
load_cluster(struct core_points_op *op)
{
	struct rds_clusters_req			 creq;
	struct rds_cluster_snapshots_req	 sreq;
	struct points_sub			*s;

	memset(&creq, 0, sizeof creq);
	memset(&sreq, 0, sizeof sreq);
	creq.cluster_id = sreq.cluster_id = op->set->resource.name;
	s = sub_new(op, false);
	s->svc = rds_describe_db_clusters(op->client, &creq, rds_cluster,
	    sub_done, s);
	s = sub_new(op, false);
	s->svc = rds_describe_db_cluster_snapshots(op->client, &sreq,
	    rds_cluster_snapshots, sub_done, s);
}

/* ---- S3 ---- */

static bool
s3_versions(void *data, const struct s3_versions_page *page)
{
	struct points_sub	*s = data;
	struct point_set	*set = s->op->set;
	const char		*key = set->resource.key;

	for (size_t i = 0; i < page->n; i++) {
		const struct s3_version *v = &page->entries[i];
		struct point	*p;

		/* Only this exact key: the prefix also matches "key2" and
		 * "key/...". The whole prefix is read: a listing need not
		 * interleave versions and delete markers in key order
		 * (moto lists a page's markers after its versions). */
		if (strcmp(v->key, key) != 0)
			continue;
		p = point_set_add(set, v->delete_marker ? POINT_DELETE_MARKER :
		    POINT_VERSION, v->last_modified);
		/* S3 lists a key's versions newest first, and listed times
		 * have one-second resolution: among equal times keep the
		 * listing's order, and the current version is the newest. */
		p->order = v->is_latest ? 1 : -(long long)set->n;
		p->id = dup_or_null(v->version_id);
		p->latest = v->is_latest;
		p->size = v->delete_marker ? -1 : v->size;
		p->etag = v->delete_marker ? NULL : dup_or_null(v->etag);
		p->storage_class = dup_or_null(v->storage_class);
	}
	return true;
}

static void
load_object(struct core_points_op *op)
{
	struct s3_list_versions_req	 req;
	struct points_sub		*s;

	memset(&req, 0, sizeof req);
	req.bucket = op->set->resource.name;
	req.prefix = op->set->resource.key;
	op->set->every_write = true;
	s = sub_new(op, false);
	s->svc = s3_list_object_versions(op->client, &req, s3_versions, sub_done, s);
}

/* ---- AWS Backup ---- */

static bool
backup_points(void *data, const struct backup_points_page *page)
{
	struct points_sub	*s = data;
	struct point_set	*set = s->op->set;

	for (size_t i = 0; i < page->n; i++) {
		const struct backup_recovery_point *r = &page->v[i];
		struct point	*p;

		p = point_set_add(set, POINT_RECOVERY_POINT, r->created);
		p->id = dup_or_null(r->arn);
		p->name = dup_or_null(r->resource_name);
		p->type = dup_or_null(r->resource_type);
		p->status = dup_or_null(r->status);
		p->resource_arn = dup_or_null(r->resource_arn);
		p->size = r->size;
		/* PARTIAL, EXPIRED, DELETING, STOPPED, CREATING: not now */
		p->usable = r->status != NULL &&
		    (strcmp(r->status, "COMPLETED") == 0 ||
		    strcmp(r->status, "AVAILABLE") == 0);
	}
	return true;
}

static void
load_vault(struct core_points_op *op)
{
	struct points_sub	*s = sub_new(op, false);

	s->svc = backup_list_recovery_points(op->client, op->set->resource.name,
	    backup_points, sub_done, s);
}

/* ---- the API ---- */

struct core_points_op *
core_points_load(struct aws_client *client, const struct resource *res,
    core_points_done_fn done, void *data, struct sv_err *err)
{
	struct core_points_op	*op;

	switch (res->kind) {
	case RES_TABLE:
	case RES_INSTANCE:
	case RES_CLUSTER:
	case RES_OBJECT:
	case RES_VAULT:
		break;
	case RES_BUCKET:
	case RES_PREFIX:
		sv_err_set(err, SV_E_USAGE, "restore points belong to one S3 "
		    "object: give s3://BUCKET/KEY (for everything under a prefix, "
		    "use 'salvage versions')");
		return NULL;
	case RES_ALL:
		sv_err_set(err, SV_E_USAGE, "restore points belong to one "
		    "resource: give s3://BUCKET/KEY, dynamodb://TABLE, "
		    "rds://INSTANCE, rds-cluster://CLUSTER or backup://VAULT");
		return NULL;
	}

	op = xcalloc(1, sizeof *op);
	op->client = client;
	op->done = done;
	op->data = data;
	op->set = xmalloc(sizeof *op->set);
	point_set_init(op->set, res);
	op->latest = op->auto_earliest = op->auto_latest = SV_TIME_NONE;
	op->hold = 1;	/* released below, after every call is started */

	switch (res->kind) {
	case RES_TABLE:
		load_table(op);
		break;
	case RES_INSTANCE:
		load_instance(op);
		break;
	case RES_CLUSTER:
		load_cluster(op);
		break;
	case RES_VAULT:
		load_vault(op);
		break;
	default:
		load_object(op);
		break;
	}

	if (--op->hold == 0) {
		/* Every call completed while starting (refused, invalid). */
		points_finish(op);
		free(op);
		return NULL;
	}
	op->returned = true;
	return op;
}

void
core_points_cancel(struct core_points_op *op)
{
	op->hold++;
	for (int i = 0; i < op->nsubs; i++)
		if (op->subs[i].live && op->subs[i].svc != NULL)
			svc_op_cancel(op->subs[i].svc);
	points_release(op);
}

struct points_sync {
	bool		 done;
	sv_result	 result;
	struct sv_err	 err;
	struct point_set *set;
};

static void
points_sync_done(void *data, struct point_set *set, sv_result result,
    const struct sv_err *err)
{
	struct points_sync	*ps = data;

	ps->done = true;
	ps->set = set;
	ps->result = result;
	if (err != NULL)
		ps->err = *err;
}

sv_result
core_points_load_sync(struct aws_client *client, const struct resource *res,
    struct point_set **out, struct sv_err *err)
{
	struct points_sync	ps;

	memset(&ps, 0, sizeof ps);
	sv_err_init(&ps.err);
	*out = NULL;
	if (core_points_load(client, res, points_sync_done, &ps, err) == NULL &&
	    !ps.done)
		return err->code;
	if (!ps.done)
		http_engine_run_until(aws_client_engine(client), &ps.done);
	if (!ps.done)
		return sv_err_set(err, SV_E_NET, "the request engine stopped "
		    "before the restore points were gathered");
	*out = ps.set;
	if (ps.result != SV_OK)
		sv_err_set(err, ps.result, "%s", ps.err.msg);
	return ps.result;
}
