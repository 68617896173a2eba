/* rds-restore.c - RDS RestoreDBInstanceToPointInTime,
 * RestoreDBInstanceFromDBSnapshot, RestoreDBClusterToPointInTime,
 * RestoreDBClusterFromSnapshot and CreateDBInstance in a cluster (see
 * rds-restore.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds-restore.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "util/xml.h"

void
rds_restore_desc_free(struct rds_restore_desc *d)
{
	free(d->id);
	free(d->arn);
	free(d->status);
	memset(d, 0, sizeof *d);
}

static bool
is_cluster(const struct rds_restore_req *r)
{
	return r->kind == RDS_RESTORE_CLUSTER_PITR ||
	    r->kind == RDS_RESTORE_CLUSTER_SNAPSHOT;
}

void
rds_restore_call(const struct rds_restore_req *r, struct aws_call *call)
{
	char	iso[SV_TIME_ISO_MAX];

	switch (r->kind) {
	case RDS_RESTORE_INSTANCE_PITR:
		aws_call_init(call, OP_RDS_RestoreDBInstanceToPointInTime);
		aws_kvlist_add(&call->params, "SourceDBInstanceIdentifier", r->source);
		aws_kvlist_add(&call->params, "TargetDBInstanceIdentifier", r->target);
		break;
	case RDS_RESTORE_INSTANCE_SNAPSHOT:
		aws_call_init(call, OP_RDS_RestoreDBInstanceFromDBSnapshot);
		aws_kvlist_add(&call->params, "DBSnapshotIdentifier", r->source);
		aws_kvlist_add(&call->params, "DBInstanceIdentifier", r->target);
		break;
	case RDS_RESTORE_CLUSTER_PITR:
		aws_call_init(call, OP_RDS_RestoreDBClusterToPointInTime);
		aws_kvlist_add(&call->params, "SourceDBClusterIdentifier", r->source);
		aws_kvlist_add(&call->params, "DBClusterIdentifier", r->target);
		aws_kvlist_add(&call->params, "RestoreType", "full-copy");
		break;
	case RDS_RESTORE_CLUSTER_SNAPSHOT:
		aws_call_init(call, OP_RDS_RestoreDBClusterFromSnapshot);
		aws_kvlist_add(&call->params, "SnapshotIdentifier", r->source);
		aws_kvlist_add(&call->params, "DBClusterIdentifier", r->target);
		if (r->engine != NULL)
			aws_kvlist_add(&call->params, "Engine", r->engine);
		break;
	case RDS_RESTORE_CLUSTER_INSTANCE:
		aws_call_init(call, OP_RDS_CreateDBInstance);
		aws_kvlist_add(&call->params, "DBClusterIdentifier", r->source);
		aws_kvlist_add(&call->params, "DBInstanceIdentifier", r->target);
		if (r->engine != NULL)
			aws_kvlist_add(&call->params, "Engine", r->engine);
		if (r->instance_class != NULL)
			aws_kvlist_add(&call->params, "DBInstanceClass", r->instance_class);
		break;
	}
	if (r->kind == RDS_RESTORE_INSTANCE_PITR || r->kind == RDS_RESTORE_CLUSTER_PITR) {
		if (r->latest)
			aws_kvlist_add(&call->params, "UseLatestRestorableTime", "true");
		else {
			sv_time_format_iso(r->time, iso, r->time % 1000 != 0);
			aws_kvlist_add(&call->params, is_cluster(r) ? "RestoreToTime" :
			    "RestoreTime", iso);
		}
	}
	if (r->kind != RDS_RESTORE_CLUSTER_INSTANCE) {
		for (size_t i = 0; i < r->n_security_groups; i++) {
			char name[64];

			snprintf(name, sizeof name, "VpcSecurityGroupIds.member.%zu", i + 1);
			aws_kvlist_add(&call->params, name, r->security_groups[i]);
		}
		if (r->subnet_group != NULL)
			aws_kvlist_add(&call->params, "DBSubnetGroupName", r->subnet_group);
	}
	if (r->parameter_group != NULL)
		aws_kvlist_add(&call->params, is_cluster(r) ?
		    "DBClusterParameterGroupName" : "DBParameterGroupName",
		    r->parameter_group);
	if (r->multi_az >= 0 && !is_cluster(r) && r->kind != RDS_RESTORE_CLUSTER_INSTANCE)
		aws_kvlist_add(&call->params, "MultiAZ", r->multi_az ? "true" : "false");
	call->target = r->target;
}

/* ---- the response: the first DBInstance or DBCluster ---- */

struct parse_state {
	struct rds_restore_desc	*d;
	bool			 cluster;
	int			 seen;
	int			 depth;
};

static void
p_start(void *arg, int depth, const char *name)
{
	struct parse_state	*ps = arg;

	if (strcmp(name, ps->cluster ? "DBCluster" : "DBInstance") == 0 &&
	    ++ps->seen == 1)
		ps->depth = depth;
}

static void
set(char **dst, const char *text)
{
	free(*dst);
	*dst = xstrdup(text);
}

static void
p_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct parse_state	*ps = arg;

	(void)path;
	(void)len;
	if (ps->seen != 1 || depth != ps->depth + 1)
		return;
	if (strcmp(name, ps->cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier") == 0)
		set(&ps->d->id, text);
	else if (strcmp(name, ps->cluster ? "DBClusterArn" : "DBInstanceArn") == 0)
		set(&ps->d->arn, text);
	else if (strcmp(name, ps->cluster ? "Status" : "DBInstanceStatus") == 0)
		set(&ps->d->status, text);
}

sv_result
rds_parse_restore(const char *xml, size_t len, bool cluster, struct rds_restore_desc *d,
    struct sv_err *err)
{
	static const struct xml_handler h = { p_start, p_end };
	struct parse_state	ps = { d, cluster, 0, 0 };
	sv_result		result;

	memset(d, 0, sizeof *d);
	if ((result = xml_parse(xml, len, &h, &ps, err)) != SV_OK) {
		rds_restore_desc_free(d);
		return result;
	}
	if (d->id == NULL) {
		rds_restore_desc_free(d);
		return sv_err_set(err, SV_E_PARSE, "no %s in the restore response",
		    cluster ? "DBCluster" : "DBInstance");
	}
	return SV_OK;
}

sv_result
rds_restore_error(const struct rds_restore_req *r, const char *code, sv_result res,
    const char *msg, struct sv_err *err)
{
	if (code == NULL)
		code = "";
	if (strcmp(code, "DBInstanceAlreadyExists") == 0 ||
	    strcmp(code, "DBInstanceAlreadyExistsFault") == 0)
		return sv_err_set(err, SV_E_EXISTS, "DB instance %s already exists: a "
		    "restore always creates a new instance; choose another --target (%s)",
		    r->target, msg);
	if (strcmp(code, "DBClusterAlreadyExistsFault") == 0)
		return sv_err_set(err, SV_E_EXISTS, "DB cluster %s already exists: a "
		    "restore always creates a new cluster; choose another --target (%s)",
		    r->target, msg);
	if (strcmp(code, "PointInTimeRestoreNotEnabled") == 0 ||
	    strcmp(code, "PointInTimeRestoreNotEnabledFault") == 0)
		return sv_err_set(err, SV_E_INVALID, "point-in-time restore is not "
		    "enabled for %s (automated backups are off: retention 0); restore "
		    "from a snapshot instead (%s)", r->source, msg);
	if (strcmp(code, "InvalidRestoreFault") == 0)
		return sv_err_set(err, SV_E_INVALID, "%s cannot be restored to that time: "
		    "see its window with salvage points (%s)", r->source, msg);
	if (strcmp(code, "DBSnapshotNotFound") == 0 ||
	    strcmp(code, "DBSnapshotNotFoundFault") == 0)
		return sv_err_set(err, SV_E_NOTFOUND, "DB snapshot %s not found (%s)",
		    r->source, msg);
	if (strcmp(code, "DBClusterSnapshotNotFoundFault") == 0)
		return sv_err_set(err, SV_E_NOTFOUND, "DB cluster snapshot %s not "
		    "found (%s)", r->source, msg);
	if (strcmp(code, "InvalidDBClusterSnapshotStateFault") == 0)
		return sv_err_set(err, SV_E_INVALID, "DB cluster snapshot %s is not "
		    "available yet: retry once it is (%s)", r->source, msg);
	if (strcmp(code, "DBInstanceNotFound") == 0 ||
	    strcmp(code, "DBInstanceNotFoundFault") == 0)
		return sv_err_set(err, SV_E_NOTFOUND, "DB instance %s not found (%s)",
		    r->source, msg);
	if (strcmp(code, "DBClusterNotFoundFault") == 0)
		return sv_err_set(err, SV_E_NOTFOUND, "DB cluster %s not found (%s)",
		    r->source, msg);
	if (strcmp(code, "InvalidDBSnapshotState") == 0 ||
	    strcmp(code, "InvalidDBSnapshotStateFault") == 0)
		return sv_err_set(err, SV_E_INVALID, "DB snapshot %s is not available "
		    "yet: retry once it is (%s)", r->source, msg);
	if (strstr(code, "QuotaExceeded") != NULL ||
	    strstr(code, "InsufficientDBInstanceCapacity") != NULL)
		return sv_err_set(err, SV_E_AWS, "the account or region has no room for "
		    "%s (%s): raise the quota or choose another instance class", r->target,
		    msg);
	return sv_err_set(err, res != SV_OK ? res : SV_E_AWS, "%s", msg);
}

struct call_state {
	rds_restore_done_fn	 done;
	void			*data;
	bool			 cluster;
	char			*source;
	char			*target;
	enum rds_restore_kind	 kind;
};

static void
restore_done(void *arg, struct aws_response *resp)
{
	struct call_state	*st = arg;
	struct rds_restore_desc	 d;
	struct rds_restore_req	 req;
	struct sv_err		 err;
	sv_result		 r = resp->result;

	sv_err_init(&err);
	memset(&d, 0, sizeof d);
	memset(&req, 0, sizeof req);
	req.kind = st->kind;
	req.source = st->source;
	req.target = st->target;
	if (r == SV_OK)
		r = rds_parse_restore(resp->body.ptr != NULL ? resp->body.ptr : "",
		    resp->body.len, st->cluster, &d, &err);
	else
		r = rds_restore_error(&req, resp->aws_code, r, resp->err.msg[0] != '\0' ?
		    resp->err.msg : sv_result_str(r), &err);
	if (resp->request_id != NULL)
		str_lcpy(d.request_id, resp->request_id, sizeof d.request_id);
	st->done(st->data, r, &err, &d);
	rds_restore_desc_free(&d);
	free(st->source);
	free(st->target);
	free(st);
}

struct aws_pending *
rds_restore(struct aws_client *c, const struct rds_restore_req *r,
    rds_restore_done_fn done, void *data)
{
	struct call_state	*st = xcalloc(1, sizeof *st);
	struct aws_call		 call;
	struct aws_pending	*p;
	char			*target;

	st->done = done;
	st->data = data;
	st->cluster = is_cluster(r);
	st->kind = r->kind;
	st->source = xstrdup(r->source);
	st->target = xstrdup(r->target);
	rds_restore_call(r, &call);
	target = xasprintf("%s://%s", st->cluster ? "rds-cluster" : "rds", r->target);
	call.target = target;
	p = aws_send(c, &call, restore_done, st);
	aws_call_free(&call);
	free(target);
	return p;
}

struct sync_state {
	bool			 done;
	sv_result		 result;
	struct sv_err		*err;
	struct rds_restore_desc	*out;
};

static void
sync_done(void *arg, sv_result r, const struct sv_err *err,
    const struct rds_restore_desc *d)
{
	struct sync_state	*s = arg;

	s->done = true;
	s->result = r;
	str_lcpy(s->out->request_id, d->request_id, sizeof s->out->request_id);
	if (r != SV_OK) {
		sv_err_set(s->err, r, "%s", err->msg);
		return;
	}
	s->out->id = d->id != NULL ? xstrdup(d->id) : NULL;
	s->out->arn = d->arn != NULL ? xstrdup(d->arn) : NULL;
	s->out->status = d->status != NULL ? xstrdup(d->status) : NULL;
}

sv_result
rds_restore_sync(struct aws_client *c, const struct rds_restore_req *r,
    struct rds_restore_desc *out, struct sv_err *err)
{
	struct sync_state s = { false, SV_OK, err, out };

	memset(out, 0, sizeof *out);
	rds_restore(c, r, sync_done, &s);
	http_engine_run_until(aws_client_engine(c), &s.done);
	if (!s.done)
		return sv_err_set(err, SV_E_NET, "the request did not complete");
	return s.result;
}
