/* svc-probe.c - runs one src/svc call against whatever endpoint the
 * environment names (moto in tests/integration/svc-probe.py) through
 * svc_sync_wait, and prints what the callbacks saw as JSON lines: one
 * line per page or item, then a last line with the outcome:
 *   {"done":true,"result":"ok","pages":3,"error":null}
 *
 * usage: svc-probe COMMAND ARGS...
 *   versions BUCKET [PREFIX [DELIMITER [MAX_KEYS [STOP_AFTER_PAGES]]]]
 *   versions-cancel BUCKET	(cancels from inside the first page callback)
 *   objects BUCKET [PREFIX [DELIMITER]]
 *   buckets | versioning BUCKET | location BUCKET | object-lock BUCKET
 *   head BUCKET KEY [VERSION_ID]
 *   tables | table NAME | pitr NAME | backups [TABLE [KIND]]
 *   rds-instances [ID] | rds-snapshots [INSTANCE] | rds-clusters [ID]
 *   rds-cluster-snapshots [CLUSTER] | rds-automated-backups [INSTANCE]
 *   whoami */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "svc/dynamodb.h"
#include "svc/rds.h"
#include "svc/s3.h"
#include "svc/sts.h"
#include "svc/svc.h"
#include "util/jsonw.h"

struct probe {
	struct svc_sync	 sync;		/* first, for svc_sync_done */
	struct jsonw	 w;
	size_t		 pages;
	size_t		 stop_after;	/* 0: never */
	struct svc_op	*op;
	bool		 cancel_in_cb;
};

static struct probe	P;

static void
line_begin(void)
{
	jsonw_init(&P.w, stdout, false);
	jsonw_obj_begin(&P.w);
}

static void
line_end(void)
{
	jsonw_obj_end(&P.w);
	jsonw_finish(&P.w);
}

static void
kms(const char *k, sv_time t)
{
	jsonw_key(&P.w, k);
	if (t == SV_TIME_NONE)
		jsonw_null(&P.w);
	else
		jsonw_int(&P.w, t);
}

static void
strlist(const char *k, const char *const *v, size_t n)
{
	size_t	i;

	jsonw_key(&P.w, k);
	jsonw_arr_begin(&P.w);
	for (i = 0; i < n; i++)
		jsonw_str(&P.w, v[i]);
	jsonw_arr_end(&P.w);
}

static bool
page_done(void)
{
	P.pages++;
	if (P.cancel_in_cb) {
		svc_op_cancel(P.op);
		return true;
	}
	return P.stop_after == 0 || P.pages < P.stop_after;
}

/* ---- S3 ---- */

static bool
on_versions(void *arg, const struct s3_versions_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "entries");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		const struct s3_version *e = &p->entries[i];

		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "key", e->key);
		jsonw_kstr(&P.w, "version_id", e->version_id);
		jsonw_kbool(&P.w, "is_latest", e->is_latest);
		jsonw_kbool(&P.w, "delete_marker", e->delete_marker);
		kms("last_modified", e->last_modified);
		jsonw_kint(&P.w, "size", e->size);
		jsonw_kstr(&P.w, "etag", e->etag);
		jsonw_kstr(&P.w, "storage_class", e->storage_class);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	strlist("prefixes", p->prefixes, p->n_prefixes);
	jsonw_kbool(&P.w, "truncated", p->truncated);
	jsonw_kstr(&P.w, "next_key_marker", p->next_key_marker);
	jsonw_kstr(&P.w, "next_version_id_marker", p->next_version_id_marker);
	line_end();
	return page_done();
}

static bool
on_objects(void *arg, const struct s3_objects_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "objects");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "key", p->objects[i].key);
		jsonw_kint(&P.w, "size", p->objects[i].size);
		jsonw_kstr(&P.w, "etag", p->objects[i].etag);
		kms("last_modified", p->objects[i].last_modified);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	strlist("prefixes", p->prefixes, p->n_prefixes);
	line_end();
	return page_done();
}

static bool
on_buckets(void *arg, const struct s3_buckets_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "buckets");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "name", p->buckets[i].name);
		kms("created", p->buckets[i].created);
		jsonw_kstr(&P.w, "region", p->buckets[i].region);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	line_end();
	return page_done();
}

static bool
on_versioning(void *arg, const struct s3_versioning *v)
{
	line_begin();
	jsonw_kstr(&P.w, "status", s3_versioning_status_str(v->status));
	jsonw_kbool(&P.w, "mfa_delete", v->mfa_delete);
	line_end();
	return true;
}

static bool
on_location(void *arg, const struct s3_location *l)
{
	line_begin();
	jsonw_kstr(&P.w, "region", l->region);
	line_end();
	return true;
}

static bool
on_lock(void *arg, const struct s3_object_lock *l)
{
	line_begin();
	jsonw_kbool(&P.w, "enabled", l->enabled);
	jsonw_kstr(&P.w, "mode", l->mode);
	jsonw_kint(&P.w, "days", l->days);
	jsonw_kint(&P.w, "years", l->years);
	line_end();
	return true;
}

static bool
on_head(void *arg, const struct s3_head *h)
{
	line_begin();
	jsonw_kbool(&P.w, "delete_marker", h->delete_marker);
	jsonw_kint(&P.w, "size", h->size);
	jsonw_kstr(&P.w, "etag", h->etag);
	kms("last_modified", h->last_modified);
	jsonw_kstr(&P.w, "version_id", h->version_id);
	jsonw_kstr(&P.w, "content_type", h->content_type);
	jsonw_kstr(&P.w, "checksum_sha256", h->checksum_sha256);
	line_end();
	return true;
}

/* ---- DynamoDB ---- */

static bool
on_tables(void *arg, const struct ddb_tables_page *p)
{
	line_begin();
	strlist("names", p->names, p->n);
	line_end();
	return page_done();
}

static bool
on_table(void *arg, const struct ddb_table *t)
{
	size_t	i;

	line_begin();
	jsonw_kstr(&P.w, "name", t->name);
	jsonw_kstr(&P.w, "arn", t->arn);
	jsonw_kstr(&P.w, "status", t->status);
	kms("created", t->created);
	jsonw_kint(&P.w, "item_count", t->item_count);
	jsonw_kint(&P.w, "size_bytes", t->size_bytes);
	jsonw_kstr(&P.w, "billing_mode", t->billing_mode);
	jsonw_key(&P.w, "keys");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < t->n_keys; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "attr", t->keys[i].attr);
		jsonw_kstr(&P.w, "key_type", t->keys[i].key_type);
		jsonw_kstr(&P.w, "attr_type", t->keys[i].attr_type);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	jsonw_kint(&P.w, "rcu", t->rcu);
	jsonw_kint(&P.w, "wcu", t->wcu);
	strlist("gsis", t->gsis, t->n_gsis);
	strlist("lsis", t->lsis, t->n_lsis);
	jsonw_kbool(&P.w, "stream_enabled", t->stream_enabled);
	jsonw_kstr(&P.w, "stream_view_type", t->stream_view_type);
	jsonw_kbool(&P.w, "deletion_protection", t->deletion_protection);
	jsonw_kbool(&P.w, "restored", t->restored);
	line_end();
	return true;
}

static bool
on_pitr(void *arg, const struct ddb_continuous_backups *c)
{
	line_begin();
	jsonw_kstr(&P.w, "status", c->status);
	jsonw_kstr(&P.w, "pitr_status", c->pitr_status);
	jsonw_kbool(&P.w, "pitr_enabled", c->pitr_enabled);
	kms("earliest", c->earliest);
	kms("latest", c->latest);
	jsonw_kint(&P.w, "recovery_period_days", c->recovery_period_days);
	line_end();
	return true;
}

static bool
on_backups(void *arg, const struct ddb_backups_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "backups");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "arn", p->backups[i].arn);
		jsonw_kstr(&P.w, "name", p->backups[i].name);
		jsonw_kstr(&P.w, "table_name", p->backups[i].table_name);
		jsonw_kstr(&P.w, "status", p->backups[i].status);
		jsonw_kstr(&P.w, "type", p->backups[i].type);
		kms("created", p->backups[i].created);
		jsonw_kint(&P.w, "size_bytes", p->backups[i].size_bytes);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	line_end();
	return page_done();
}

/* ---- RDS ---- */

static bool
on_instances(void *arg, const struct rds_instances_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "instances");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		const struct rds_instance *d = &p->v[i];

		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "id", d->id);
		jsonw_kstr(&P.w, "arn", d->arn);
		jsonw_kstr(&P.w, "engine", d->engine);
		jsonw_kstr(&P.w, "status", d->status);
		jsonw_kstr(&P.w, "instance_class", d->instance_class);
		jsonw_kint(&P.w, "allocated_storage", d->allocated_storage);
		jsonw_kint(&P.w, "backup_retention", d->backup_retention);
		kms("latest_restorable", d->latest_restorable);
		kms("created", d->created);
		jsonw_kstr(&P.w, "endpoint_address", d->endpoint_address);
		jsonw_kint(&P.w, "endpoint_port", d->endpoint_port);
		jsonw_kbool(&P.w, "multi_az", d->multi_az);
		strlist("vpc_security_groups", d->vpc_security_groups,
		    d->n_vpc_security_groups);
		strlist("parameter_groups", d->parameter_groups,
		    d->n_parameter_groups);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	jsonw_kstr(&P.w, "marker", p->marker);
	line_end();
	return page_done();
}

static bool
on_snapshots(void *arg, const struct rds_snapshots_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "snapshots");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "id", p->v[i].id);
		jsonw_kstr(&P.w, "instance_id", p->v[i].instance_id);
		jsonw_kstr(&P.w, "type", p->v[i].type);
		jsonw_kstr(&P.w, "status", p->v[i].status);
		kms("created", p->v[i].created);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	line_end();
	return page_done();
}

static bool
on_clusters(void *arg, const struct rds_clusters_page *p)
{
	size_t	i, j;

	line_begin();
	jsonw_key(&P.w, "clusters");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "id", p->v[i].id);
		jsonw_kstr(&P.w, "engine", p->v[i].engine);
		jsonw_kint(&P.w, "backup_retention", p->v[i].backup_retention);
		kms("earliest_restorable", p->v[i].earliest_restorable);
		kms("latest_restorable", p->v[i].latest_restorable);
		jsonw_key(&P.w, "members");
		jsonw_arr_begin(&P.w);
		for (j = 0; j < p->v[i].n_members; j++)
			jsonw_str(&P.w, p->v[i].members[j].instance_id);
		jsonw_arr_end(&P.w);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	line_end();
	return page_done();
}

static bool
on_cluster_snapshots(void *arg, const struct rds_cluster_snapshots_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "snapshots");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "id", p->v[i].id);
		jsonw_kstr(&P.w, "cluster_id", p->v[i].cluster_id);
		kms("created", p->v[i].created);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	line_end();
	return page_done();
}

static bool
on_automated(void *arg, const struct rds_automated_backups_page *p)
{
	size_t	i;

	line_begin();
	jsonw_key(&P.w, "backups");
	jsonw_arr_begin(&P.w);
	for (i = 0; i < p->n; i++) {
		jsonw_obj_begin(&P.w);
		jsonw_kstr(&P.w, "instance_id", p->v[i].instance_id);
		jsonw_kstr(&P.w, "status", p->v[i].status);
		kms("earliest", p->v[i].earliest);
		kms("latest", p->v[i].latest);
		jsonw_kint(&P.w, "backup_retention", p->v[i].backup_retention);
		jsonw_obj_end(&P.w);
	}
	jsonw_arr_end(&P.w);
	line_end();
	return page_done();
}

static bool
on_identity(void *arg, const struct sts_identity *id)
{
	line_begin();
	jsonw_kstr(&P.w, "account", id->account);
	jsonw_kstr(&P.w, "arn", id->arn);
	jsonw_kstr(&P.w, "user_id", id->user_id);
	line_end();
	return true;
}

static const char *
arg(int argc, char **argv, int i)
{
	return i < argc && argv[i][0] != '\0' ? argv[i] : NULL;
}

int
main(int argc, char **argv)
{
	struct aws_options	 opts;
	struct aws_client	*client;
	struct sv_err		 err;
	const char		*cmd;
	sv_result		 result;

	if (argc < 2) {
		fprintf(stderr, "usage: svc-probe COMMAND ARGS...\n");
		return 2;
	}
	cmd = argv[1];
	memset(&opts, 0, sizeof opts);
	sv_err_init(&err);
	if ((client = aws_client_new(&opts, &err)) == NULL) {
		fprintf(stderr, "svc-probe: %s\n", err.msg);
		return 1;
	}
	svc_sync_init(&P.sync);

	if (strcmp(cmd, "versions") == 0 || strcmp(cmd, "versions-cancel") == 0) {
		struct s3_list_versions_req req;

		memset(&req, 0, sizeof req);
		req.bucket = arg(argc, argv, 2);
		req.prefix = arg(argc, argv, 3);
		req.delimiter = arg(argc, argv, 4);
		req.max_keys = arg(argc, argv, 5) ? atoll(argv[5]) : 0;
		P.stop_after = arg(argc, argv, 6) ? (size_t)atoll(argv[6]) : 0;
		P.cancel_in_cb = strcmp(cmd, "versions-cancel") == 0;
		P.op = s3_list_object_versions(client, &req, on_versions,
		    svc_sync_done, &P);
	} else if (strcmp(cmd, "objects") == 0) {
		struct s3_list_objects_req req;

		memset(&req, 0, sizeof req);
		req.bucket = arg(argc, argv, 2);
		req.prefix = arg(argc, argv, 3);
		req.delimiter = arg(argc, argv, 4);
		P.op = s3_list_objects_v2(client, &req, on_objects, svc_sync_done, &P);
	} else if (strcmp(cmd, "buckets") == 0)
		P.op = s3_list_buckets(client, NULL, on_buckets, svc_sync_done, &P);
	else if (strcmp(cmd, "versioning") == 0)
		P.op = s3_get_bucket_versioning(client, arg(argc, argv, 2),
		    on_versioning, svc_sync_done, &P);
	else if (strcmp(cmd, "location") == 0)
		P.op = s3_get_bucket_location(client, arg(argc, argv, 2),
		    on_location, svc_sync_done, &P);
	else if (strcmp(cmd, "object-lock") == 0)
		P.op = s3_get_object_lock_configuration(client, arg(argc, argv, 2),
		    on_lock, svc_sync_done, &P);
	else if (strcmp(cmd, "head") == 0) {
		struct s3_head_req req;

		memset(&req, 0, sizeof req);
		req.bucket = arg(argc, argv, 2);
		req.key = arg(argc, argv, 3);
		req.version_id = arg(argc, argv, 4);
		P.op = s3_head_object(client, &req, on_head, svc_sync_done, &P);
	} else if (strcmp(cmd, "tables") == 0)
		P.op = ddb_list_tables(client, NULL, on_tables, svc_sync_done, &P);
	else if (strcmp(cmd, "table") == 0)
		P.op = ddb_describe_table(client, arg(argc, argv, 2), on_table,
		    svc_sync_done, &P);
	else if (strcmp(cmd, "pitr") == 0)
		P.op = ddb_describe_continuous_backups(client, arg(argc, argv, 2),
		    on_pitr, svc_sync_done, &P);
	else if (strcmp(cmd, "backups") == 0) {
		struct ddb_list_backups_req req;
		const char *kind = arg(argc, argv, 3);

		memset(&req, 0, sizeof req);
		req.table = arg(argc, argv, 2);
		if (kind == NULL)
			req.kind = DDB_BACKUPS_EVERY;
		else if (strcmp(kind, "USER") == 0)
			req.kind = DDB_BACKUPS_USER;
		else if (strcmp(kind, "SYSTEM") == 0)
			req.kind = DDB_BACKUPS_SYSTEM;
		else if (strcmp(kind, "AWS_BACKUP") == 0)
			req.kind = DDB_BACKUPS_AWS_BACKUP;
		else
			req.kind = DDB_BACKUPS_ALL;
		P.op = ddb_list_backups(client, &req, on_backups, svc_sync_done, &P);
	} else if (strcmp(cmd, "rds-instances") == 0) {
		struct rds_instances_req req = { arg(argc, argv, 2) };

		P.op = rds_describe_db_instances(client, &req, on_instances,
		    svc_sync_done, &P);
	} else if (strcmp(cmd, "rds-snapshots") == 0) {
		struct rds_snapshots_req req;

		memset(&req, 0, sizeof req);
		req.instance_id = arg(argc, argv, 2);
		P.op = rds_describe_db_snapshots(client, &req, on_snapshots,
		    svc_sync_done, &P);
	} else if (strcmp(cmd, "rds-clusters") == 0) {
		struct rds_clusters_req req = { arg(argc, argv, 2) };

		P.op = rds_describe_db_clusters(client, &req, on_clusters,
		    svc_sync_done, &P);
	} else if (strcmp(cmd, "rds-cluster-snapshots") == 0) {
		struct rds_cluster_snapshots_req req;

		memset(&req, 0, sizeof req);
		req.cluster_id = arg(argc, argv, 2);
		P.op = rds_describe_db_cluster_snapshots(client, &req,
		    on_cluster_snapshots, svc_sync_done, &P);
	} else if (strcmp(cmd, "rds-automated-backups") == 0) {
		struct rds_automated_backups_req req;

		memset(&req, 0, sizeof req);
		req.instance_id = arg(argc, argv, 2);
		P.op = rds_describe_db_instance_automated_backups(client, &req,
		    on_automated, svc_sync_done, &P);
	} else if (strcmp(cmd, "whoami") == 0)
		P.op = sts_get_caller_identity(client, on_identity, svc_sync_done, &P);
	else {
		fprintf(stderr, "svc-probe: unknown command %s\n", cmd);
		aws_client_free(client);
		return 2;
	}

	result = svc_sync_wait(client, &P.sync);
	line_begin();
	jsonw_kbool(&P.w, "done", P.sync.done);
	jsonw_kstr(&P.w, "result", result == SV_OK ? "ok" : sv_result_str(result));
	jsonw_kint(&P.w, "code", (long long)result);
	jsonw_kint(&P.w, "pages", (long long)P.sync.pages);
	jsonw_kstr(&P.w, "error", result == SV_OK ? NULL : P.sync.err.msg);
	line_end();
	aws_client_free(client);
	return result == SV_OK ? 0 : 1;
}
