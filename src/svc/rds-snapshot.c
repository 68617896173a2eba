/* rds-snapshot.c - RDS CreateDBSnapshot / CreateDBClusterSnapshot and the
 * describe of one snapshot (see rds-snapshot.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds-snapshot.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "util/xml.h"

void
rds_snap_desc_free(struct rds_snap_desc *d)
{
	free(d->id);
	free(d->arn);
	free(d->source);
	free(d->status);
	memset(d, 0, sizeof *d);
}

struct parse_state {
	struct rds_snap_desc	*d;
	bool			 cluster;
	int			 seen;	/* snapshot elements started */
	int			 depth;	/* depth of the first one */
};

static void
p_start(void *arg, int depth, const char *name)
{
	struct parse_state	*ps = arg;
	const char		*el = ps->cluster ? "DBClusterSnapshot" : "DBSnapshot";

	if (strcmp(name, el) == 0 && ++ps->seen == 1)
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
	struct rds_snap_desc	*d = ps->d;

	if (ps->seen != 1 || depth != ps->depth + 1)
		return;
	if (strcmp(name, ps->cluster ? "DBClusterSnapshotIdentifier" :
	    "DBSnapshotIdentifier") == 0)
		set(&d->id, text);
	else if (strcmp(name, ps->cluster ? "DBClusterSnapshotArn" : "DBSnapshotArn") == 0)
		set(&d->arn, text);
	else if (strcmp(name, ps->cluster ? "DBClusterIdentifier" :
	    "DBInstanceIdentifier") == 0)
		set(&d->source, text);
	else if (strcmp(name, "Status") == 0)
		set(&d->status, text);
	else if (strcmp(name, "PercentProgress") == 0)
		d->progress = strtoll(text, NULL, 10);
	else if (strcmp(name, "SnapshotCreateTime") == 0)
		sv_time_parse_iso(text, &d->created);
}

sv_result
rds_parse_snapshot(const char *xml, size_t len, bool cluster,
    struct rds_snap_desc *d, struct sv_err *err)
{
	static const struct xml_handler h = { p_start, p_end };
	struct parse_state	ps = { d, cluster, 0, 0 };
	sv_result		result;

	memset(d, 0, sizeof *d);
	d->progress = -1;
	d->created = SV_TIME_NONE;
	result = xml_parse(xml, len, &h, &ps, err);
	if (result != SV_OK) {
		rds_snap_desc_free(d);
		return result;
	}
	if (ps.seen == 0 || d->id == NULL) {
		rds_snap_desc_free(d);
		return sv_err_set(err, SV_E_NOTFOUND, "no %s in the response",
		    cluster ? "DB cluster snapshot" : "DB snapshot");
	}
	return SV_OK;
}

struct call_state {
	rds_snap_done_fn	 done;
	void			*data;
	bool			 cluster;
};

static void
snap_done(void *arg, struct aws_response *resp)
{
	struct call_state	*st = arg;
	struct rds_snap_desc	 d;
	struct sv_err		 err;
	sv_result		 r = resp->result;

	sv_err_init(&err);
	memset(&d, 0, sizeof d);
	if (r == SV_OK)
		r = rds_parse_snapshot(resp->body.ptr != NULL ? resp->body.ptr : "",
		    resp->body.len, st->cluster, &d, &err);
	else
		sv_err_set(&err, r, "%s", resp->err.msg[0] != '\0' ? resp->err.msg :
		    sv_result_str(r));
	if (resp->request_id != NULL)
		str_lcpy(d.request_id, resp->request_id, sizeof d.request_id);
	st->done(st->data, r, &err, r == SV_OK ? &d : NULL);
	rds_snap_desc_free(&d);
	free(st);
}

static struct aws_pending *
send_query(struct aws_client *c, struct aws_call *call, bool cluster,
    rds_snap_done_fn done, void *data)
{
	struct call_state	*st = xcalloc(1, sizeof *st);
	struct aws_pending	*p;

	st->done = done;
	st->data = data;
	st->cluster = cluster;
	p = aws_send(c, call, snap_done, st);
	aws_call_free(call);
	return p;
}

struct aws_pending *
rds_create_snapshot(struct aws_client *c, bool cluster, const char *source_id,
    const char *snapshot_id, rds_snap_done_fn done, void *data)
{
	struct aws_call	call;
	char		target[BUF_MAX_SMALL];

	aws_call_init(&call, cluster ? OP_RDS_CreateDBClusterSnapshot :
	    OP_RDS_CreateDBSnapshot);
	if (cluster) {
		aws_kvlist_add(&call.params, "DBClusterIdentifier", source_id);
		aws_kvlist_add(&call.params, "DBClusterSnapshotIdentifier", snapshot_id);
	} else {
		aws_kvlist_add(&call.params, "DBInstanceIdentifier", source_id);
		aws_kvlist_add(&call.params, "DBSnapshotIdentifier", snapshot_id);
	}
	snprintf(target, sizeof target, "%s://%s", cluster ? "rds-cluster" : "rds",
	    source_id);
	call.target = target;
	return send_query(c, &call, cluster, done, data);
}

struct aws_pending *
rds_describe_snapshot(struct aws_client *c, bool cluster, const char *snapshot_id,
    rds_snap_done_fn done, void *data)
{
	struct aws_call	call;

	aws_call_init(&call, cluster ? OP_RDS_DescribeDBClusterSnapshots :
	    OP_RDS_DescribeDBSnapshots);
	aws_kvlist_add(&call.params, cluster ? "DBClusterSnapshotIdentifier" :
	    "DBSnapshotIdentifier", snapshot_id);
	call.target = snapshot_id;
	return send_query(c, &call, cluster, done, data);
}

/* ---- synchronous forms ---- */

struct sync_state {
	bool			 done;
	sv_result		 result;
	struct sv_err		*err;
	struct rds_snap_desc	*out;
};

static void
sync_done(void *arg, sv_result r, const struct sv_err *err,
    const struct rds_snap_desc *d)
{
	struct sync_state	*s = arg;

	s->done = true;
	s->result = r;
	if (r != SV_OK) {
		sv_err_set(s->err, r, "%s", err->msg);
		return;
	}
	*s->out = *d;
	s->out->id = d->id ? xstrdup(d->id) : NULL;
	s->out->arn = d->arn ? xstrdup(d->arn) : NULL;
	s->out->source = d->source ? xstrdup(d->source) : NULL;
	s->out->status = d->status ? xstrdup(d->status) : NULL;
}

static sv_result
wait_sync(struct aws_client *c, struct sync_state *s)
{
	http_engine_run_until(aws_client_engine(c), &s->done);
	if (!s->done)
		return sv_err_set(s->err, SV_E_NET, "the request did not complete");
	return s->result;
}

sv_result
rds_create_snapshot_sync(struct aws_client *c, bool cluster, const char *source_id,
    const char *snapshot_id, struct rds_snap_desc *out, struct sv_err *err)
{
	struct sync_state s = { false, SV_OK, err, out };

	memset(out, 0, sizeof *out);
	rds_create_snapshot(c, cluster, source_id, snapshot_id, sync_done, &s);
	return wait_sync(c, &s);
}

sv_result
rds_describe_snapshot_sync(struct aws_client *c, bool cluster,
    const char *snapshot_id, struct rds_snap_desc *out, struct sv_err *err)
{
	struct sync_state s = { false, SV_OK, err, out };

	memset(out, 0, sizeof *out);
	rds_describe_snapshot(c, cluster, snapshot_id, sync_done, &s);
	return wait_sync(c, &s);
}
