/* backup.c - on-demand DynamoDB backups and RDS snapshots: plan, start,
 * poll (see backup.h). */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup.h"
#include "core/resource.h"
#include "svc/ddb-backup.h"
#include "svc/dynamodb.h"
#include "svc/rds-snapshot.h"
#include "svc/rds.h"
#include "util/str.h"
#include "util/xalloc.h"

bool
core_backup_valid_name(enum core_backup_kind kind, const char *name,
    struct sv_err *err)
{
	size_t	n = name != NULL ? strlen(name) : 0;

	if (kind == CORE_BACKUP_DYNAMODB) {
		if (n < 3 || n > 255)
			goto bad_ddb;
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
			    name[i] != '.' && name[i] != '-')
				goto bad_ddb;
		return true;
bad_ddb:
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid DynamoDB backup "
		    "name: 3 to 255 letters, digits, '_', '.' or '-'", name ? name : "");
		return false;
	}
	if (n < 1 || n > 255 || !isalpha((unsigned char)name[0]) || name[n - 1] == '-' ||
	    strstr(name, "--") != NULL)
		goto bad_rds;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			goto bad_rds;
	return true;
bad_rds:
	sv_err_set(err, SV_E_USAGE, "'%s' is not a valid RDS snapshot name: 1 to "
	    "255 letters, digits or hyphens, starting with a letter, without "
	    "\"--\" and not ending in '-'", name ? name : "");
	return false;
}

void
core_backup_plan_free(struct core_backup_plan *p)
{
	free(p->uri);
	free(p->source);
	free(p->name);
	free(p->summary);
	memset(p, 0, sizeof *p);
}

void
core_backup_status_free(struct core_backup_status *st)
{
	free(st->id);
	free(st->arn);
	free(st->status);
	memset(st, 0, sizeof *st);
}

int
core_backup_poll_delay_ms(int n)
{
	int	ms = 2000;

	for (int i = 0; i < n && ms < 30000; i++)
		ms *= 2;
	return ms > 30000 ? 30000 : ms;
}

/* ---- the operation ----
 *
 * One struct for the three asynchronous forms. A step starts one request
 * and returns; its callback starts the next step or finishes. Requests
 * may complete inside the call that starts them, so the op is only freed
 * by the outermost frame (busy counts the frames inside the op's own
 * code) and a request's handle is kept only if it is still the current
 * one (gen). */

enum bop_step {
	BOP_EXISTS,		/* plan: the source exists */
	BOP_NAME,		/* plan: the name is free */
	BOP_START,		/* the create call */
	BOP_POLL		/* one status request */
};

struct core_backup_op {
	struct aws_client		*c;
	enum bop_step			 step;
	struct core_backup_plan		*plan;	/* plan: the caller's, filled */
	const struct core_backup_plan	*cplan;	/* start/poll: borrowed */
	struct core_backup_status	*st;
	core_backup_done_fn		 done;
	void				*data;
	struct svc_op			*svc;
	struct aws_pending		*pending;
	unsigned			 gen;	/* which request is current */
	int				 busy;	/* frames inside the op's code */
	bool				 finished;
	bool				 found;	/* BOP_EXISTS */
	bool				 taken;	/* BOP_NAME */
	char				 arn[512];
	char				 source[64];
	char				 status[64];
};

static struct core_backup_op *
op_new(struct aws_client *c, core_backup_done_fn done, void *data)
{
	struct core_backup_op *op = xcalloc(1, sizeof *op);

	op->c = c;
	op->done = done;
	op->data = data;
	return op;
}

static const struct core_backup_plan *
op_plan(const struct core_backup_op *op)
{
	return op->plan != NULL ? op->plan : op->cplan;
}

/* Calls done once; frees op unless a frame of ours is still running. */
static void
op_finish(struct core_backup_op *op, sv_result r, const struct sv_err *err)
{
	struct sv_err	e;

	if (op->finished)
		return;
	op->finished = true;
	op->svc = NULL;
	op->pending = NULL;
	sv_err_init(&e);
	if (r != SV_OK)
		sv_err_set(&e, r, "%s", err != NULL && err->msg[0] != '\0' ? err->msg :
		    sv_result_str(r));
	if (r != SV_OK && op->plan != NULL)
		core_backup_plan_free(op->plan);
	op->busy++;
	op->done(op->data, r, &e);
	op->busy--;
	if (op->busy == 0)
		free(op);
}

/* After the outermost frame: frees a finished op; returns it or NULL. */
static struct core_backup_op *
op_settle(struct core_backup_op *op)
{
	if (op->finished) {
		if (op->busy == 0)
			free(op);
		return NULL;
	}
	return op;
}

static void	step_name(struct core_backup_op *);

static bool
table_seen(void *data, const struct ddb_table *t)
{
	((struct core_backup_op *)data)->found = true;
	return true;
}

static bool
instances_seen(void *data, const struct rds_instances_page *p)
{
	if (p->n > 0)
		((struct core_backup_op *)data)->found = true;
	return true;
}

static bool
clusters_seen(void *data, const struct rds_clusters_page *p)
{
	if (p->n > 0)
		((struct core_backup_op *)data)->found = true;
	return true;
}

static void
exists_done(void *data, sv_result r, const struct sv_err *err, size_t pages)
{
	struct core_backup_op	*op = data;
	const struct core_backup_plan *p = op_plan(op);
	struct sv_err		 e;

	op->svc = NULL;
	sv_err_init(&e);
	if (r == SV_OK && !op->found)
		r = sv_err_set(&e, SV_E_NOTFOUND, "no such %s", p->uri);
	if (r == SV_E_NOTFOUND) {
		sv_err_set(&e, r, "%s does not exist: nothing to back up", p->uri);
		op_finish(op, r, &e);
		return;
	}
	if (r != SV_OK) {
		sv_err_set(&e, r, "checking %s: %s", p->uri, err != NULL ? err->msg : "");
		op_finish(op, r, &e);
		return;
	}
	step_name(op);
}

static void
step_exists(struct core_backup_op *op)
{
	const struct core_backup_plan *p = op_plan(op);
	struct svc_op	*s;
	unsigned	 g = ++op->gen;

	op->step = BOP_EXISTS;
	op->busy++;
	if (p->kind == CORE_BACKUP_DYNAMODB)
		s = ddb_describe_table(op->c, p->source, table_seen, exists_done, op);
	else if (p->kind == CORE_BACKUP_RDS) {
		struct rds_instances_req req = { p->source };

		s = rds_describe_db_instances(op->c, &req, instances_seen, exists_done, op);
	} else {
		struct rds_clusters_req req = { p->source };

		s = rds_describe_db_clusters(op->c, &req, clusters_seen, exists_done, op);
	}
	op->busy--;
	if (!op->finished && op->gen == g && op->step == BOP_EXISTS)
		op->svc = s;
}

static bool
backups_seen(void *data, const struct ddb_backups_page *pg)
{
	struct core_backup_op	*op = data;
	const struct core_backup_plan *p = op_plan(op);

	for (size_t i = 0; i < pg->n; i++) {
		const struct ddb_backup *b = &pg->backups[i];

		/* Some emulators ignore the TableName filter: check it. */
		if (b->table_name != NULL && strcmp(b->table_name, p->source) != 0)
			continue;
		if (b->status != NULL && strcmp(b->status, "DELETED") == 0)
			continue;
		if (b->name != NULL && strcmp(b->name, p->name) == 0) {
			op->taken = true;
			str_lcpy(op->arn, b->arn != NULL ? b->arn : "", sizeof op->arn);
			return false;
		}
	}
	return true;
}

static void
backups_done(void *data, sv_result r, const struct sv_err *err, size_t pages)
{
	struct core_backup_op	*op = data;
	const struct core_backup_plan *p = op_plan(op);
	struct sv_err		 e;

	op->svc = NULL;
	sv_err_init(&e);
	if (r != SV_OK)
		sv_err_set(&e, r, "checking the backups of %s: %s", p->uri,
		    err != NULL ? err->msg : "");
	else if (op->taken)
		r = sv_err_set(&e, SV_E_EXISTS, "%s already has a backup named '%s' "
		    "(%s): choose another name", p->uri, p->name, op->arn);
	op_finish(op, r, &e);
}

static void
snap_name_done(void *data, sv_result r, const struct sv_err *err,
    const struct rds_snap_desc *d)
{
	struct core_backup_op	*op = data;
	const struct core_backup_plan *p = op_plan(op);
	struct sv_err		 e;

	op->pending = NULL;
	sv_err_init(&e);
	if (r == SV_OK) {
		r = sv_err_set(&e, SV_E_EXISTS, "a %s named '%s' already exists (of %s, "
		    "%s): choose another name", p->what, p->name,
		    d->source != NULL ? d->source : "?", d->status != NULL ? d->status : "?");
	} else if (r == SV_E_NOTFOUND)
		r = SV_OK;
	else
		sv_err_set(&e, r, "checking snapshot name '%s': %s", p->name,
		    err != NULL ? err->msg : "");
	op_finish(op, r, &e);
}

static void
step_name(struct core_backup_op *op)
{
	const struct core_backup_plan *p = op_plan(op);
	unsigned	 g = ++op->gen;

	op->step = BOP_NAME;
	op->busy++;
	if (p->kind == CORE_BACKUP_DYNAMODB) {
		struct ddb_list_backups_req	req;
		struct svc_op			*s;

		memset(&req, 0, sizeof req);
		req.table = p->source;
		req.kind = DDB_BACKUPS_EVERY;
		s = ddb_list_backups(op->c, &req, backups_seen, backups_done, op);
		op->busy--;
		if (!op->finished && op->gen == g)
			op->svc = s;
	} else {
		struct aws_pending *pd;

		pd = rds_describe_snapshot(op->c, p->kind == CORE_BACKUP_RDS_CLUSTER,
		    p->name, snap_name_done, op);
		op->busy--;
		if (!op->finished && op->gen == g)
			op->pending = pd;
	}
}

/* Validation only (no client): fills p. */
static sv_result
plan_prepare(const char *uri, const char *name, unsigned allow,
    struct core_backup_plan *p, struct sv_err *err)
{
	struct resource	res;
	sv_result	result;

	memset(p, 0, sizeof *p);
	memset(&res, 0, sizeof res);
	result = resource_parse(uri, &res, err);
	if (result != SV_OK)
		goto out;
	if (res.scheme == RES_DYNAMODB && res.kind == RES_TABLE)
		p->kind = CORE_BACKUP_DYNAMODB;
	else if (res.scheme == RES_RDS && res.kind == RES_INSTANCE)
		p->kind = CORE_BACKUP_RDS;
	else if (res.scheme == RES_RDS_CLUSTER && res.kind == RES_CLUSTER)
		p->kind = CORE_BACKUP_RDS_CLUSTER;
	else {
		result = sv_err_set(err, SV_E_USAGE, "%s: expected %s", uri,
		    allow == (1u << CORE_BACKUP_DYNAMODB) ? "one table: dynamodb://TABLE" :
		    (allow & (1u << CORE_BACKUP_DYNAMODB)) ? "dynamodb://TABLE, "
		    "rds://INSTANCE or rds-cluster://CLUSTER" :
		    "rds://INSTANCE or rds-cluster://CLUSTER");
		goto out;
	}
	if ((allow & (1u << p->kind)) == 0) {
		result = sv_err_set(err, SV_E_USAGE, "%s: %s", uri,
		    p->kind == CORE_BACKUP_DYNAMODB ? "DynamoDB tables are backed up "
		    "with: salvage backup dynamodb://TABLE --name NAME" :
		    "RDS databases are snapshotted with: salvage snapshot "
		    "rds://INSTANCE --name NAME");
		goto out;
	}
	p->uri = resource_uri(&res);
	p->source = xstrdup(res.name);
	switch (p->kind) {
	case CORE_BACKUP_DYNAMODB:
		p->operation = "CreateBackup";
		p->what = "DynamoDB backup";
		break;
	case CORE_BACKUP_RDS:
		p->operation = "CreateDBSnapshot";
		p->what = "DB snapshot";
		break;
	case CORE_BACKUP_RDS_CLUSTER:
		p->operation = "CreateDBClusterSnapshot";
		p->what = "DB cluster snapshot";
		break;
	}
	if (!core_backup_valid_name(p->kind, name, err)) {
		result = SV_E_USAGE;
		goto out;
	}
	p->name = xstrdup(name);
	p->summary = xasprintf("create %s '%s' of %s %s (%s) with %s", p->what, p->name,
	    resource_kind_name(res.kind), p->source, p->uri, p->operation);
out:
	resource_free(&res);
	if (result != SV_OK)
		core_backup_plan_free(p);
	return result;
}

struct core_backup_op *
core_backup_plan_async(struct aws_client *c, const char *uri, const char *name,
    unsigned allow, struct core_backup_plan *out, core_backup_done_fn done,
    void *data)
{
	struct core_backup_op	*op = op_new(c, done, data);
	struct sv_err		 err;

	op->plan = out;
	op->busy++;
	sv_err_init(&err);
	if (plan_prepare(uri, name, allow, out, &err) != SV_OK)
		op_finish(op, err.code, &err);
	else
		step_exists(op);
	op->busy--;
	return op_settle(op);
}

/* ---- start and poll ---- */

static void
from_ddb(struct core_backup_status *st, const struct ddb_backup_desc *d)
{
	free(st->id);
	free(st->arn);
	free(st->status);
	st->id = xstrdup(d->arn);
	st->arn = xstrdup(d->arn);
	st->status = xstrdup(d->status);
	st->progress = -1;
	st->available = strcmp(d->status, "AVAILABLE") == 0;
	st->failed = strcmp(d->status, "DELETED") == 0;
}

static void
from_rds(struct core_backup_status *st, const struct rds_snap_desc *d)
{
	free(st->id);
	free(st->arn);
	free(st->status);
	st->id = xstrdup(d->id);
	st->arn = d->arn != NULL ? xstrdup(d->arn) : NULL;
	st->status = xstrdup(d->status != NULL ? d->status : "unknown");
	st->progress = d->progress;
	st->available = strcmp(st->status, "available") == 0;
	st->failed = strcmp(st->status, "failed") == 0 ||
	    strcmp(st->status, "error") == 0 || strcmp(st->status, "deleted") == 0 ||
	    strcmp(st->status, "deleting") == 0;
}

static void
created_ddb(void *data, sv_result r, const struct sv_err *err,
    const struct ddb_backup_desc *d)
{
	struct core_backup_op	*op = data;

	op->pending = NULL;
	if (r == SV_OK) {
		from_ddb(op->st, d);
		if (op->step == BOP_START)
			str_lcpy(op->st->request_id, d->request_id,
			    sizeof op->st->request_id);
	}
	op_finish(op, r, err);
}

static void
created_rds(void *data, sv_result r, const struct sv_err *err,
    const struct rds_snap_desc *d)
{
	struct core_backup_op	*op = data;

	op->pending = NULL;
	if (r == SV_OK) {
		from_rds(op->st, d);
		if (op->step == BOP_START)
			str_lcpy(op->st->request_id, d->request_id,
			    sizeof op->st->request_id);
	}
	op_finish(op, r, err);
}

static struct core_backup_op *
start_or_poll(struct aws_client *c, const struct core_backup_plan *p,
    struct core_backup_status *st, enum bop_step step, core_backup_done_fn done,
    void *data)
{
	struct core_backup_op	*op = op_new(c, done, data);
	struct aws_pending	*pd;
	bool			 cluster = p->kind == CORE_BACKUP_RDS_CLUSTER;

	op->cplan = p;
	op->st = st;
	op->step = step;
	if (step == BOP_START) {
		memset(st, 0, sizeof *st);
		st->progress = -1;
	}
	op->busy++;
	if (p->kind == CORE_BACKUP_DYNAMODB)
		pd = step == BOP_START ?
		    ddb_create_backup(c, p->source, p->name, created_ddb, op) :
		    ddb_describe_backup(c, st->arn, created_ddb, op);
	else
		pd = step == BOP_START ?
		    rds_create_snapshot(c, cluster, p->source, p->name, created_rds, op) :
		    rds_describe_snapshot(c, cluster, st->id, created_rds, op);
	op->busy--;
	if (!op->finished)
		op->pending = pd;
	return op_settle(op);
}

struct core_backup_op *
core_backup_start_async(struct aws_client *c, const struct core_backup_plan *p,
    struct core_backup_status *st, core_backup_done_fn done, void *data)
{
	return start_or_poll(c, p, st, BOP_START, done, data);
}

struct core_backup_op *
core_backup_poll_async(struct aws_client *c, const struct core_backup_plan *p,
    struct core_backup_status *st, core_backup_done_fn done, void *data)
{
	return start_or_poll(c, p, st, BOP_POLL, done, data);
}

void
core_backup_op_cancel(struct core_backup_op *op)
{
	struct sv_err	e;

	if (op == NULL || op->finished)
		return;
	op->busy++;
	if (op->svc != NULL)
		svc_op_cancel(op->svc);		/* its done finishes op */
	else if (op->pending != NULL)
		aws_cancel(op->pending);
	sv_err_init(&e);
	sv_err_set(&e, SV_E_CANCELLED, "cancelled");
	op_finish(op, SV_E_CANCELLED, &e);	/* if nothing did */
	op->busy--;
	op_settle(op);
}

/* ---- synchronous forms: the asynchronous ones run to the end ---- */

struct sync_wait {
	bool		 done;
	sv_result	 result;
	struct sv_err	 err;
};

static void
sync_done(void *data, sv_result r, const struct sv_err *err)
{
	struct sync_wait *w = data;

	w->done = true;
	w->result = r;
	if (r != SV_OK)
		sv_err_set(&w->err, r, "%s", err->msg);
}

static sv_result
sync_run(struct aws_client *c, struct sync_wait *w, struct core_backup_op *op,
    struct sv_err *err)
{
	if (!w->done)
		http_engine_run_until(aws_client_engine(c), &w->done);
	if (!w->done) {
		core_backup_op_cancel(op);	/* the engine stopped */
		w->result = SV_E_NET;
		sv_err_init(&w->err);
		sv_err_set(&w->err, SV_E_NET, "the request engine stopped before the "
		    "operation completed");
	}
	if (w->result != SV_OK)
		sv_err_set(err, w->result, "%s", w->err.msg);
	return w->result;
}

sv_result
core_backup_plan(struct aws_client *c, const char *uri, const char *name,
    unsigned allow, struct core_backup_plan *p, struct sv_err *err)
{
	struct sync_wait	 w;
	struct core_backup_op	*op;

	if (c == NULL)
		return plan_prepare(uri, name, allow, p, err);	/* validation only */
	memset(&w, 0, sizeof w);
	sv_err_init(&w.err);
	op = core_backup_plan_async(c, uri, name, allow, p, sync_done, &w);
	return sync_run(c, &w, op, err);
}

sv_result
core_backup_start(struct aws_client *c, const struct core_backup_plan *p,
    struct core_backup_status *st, struct sv_err *err)
{
	struct sync_wait	 w;
	struct core_backup_op	*op;

	memset(&w, 0, sizeof w);
	sv_err_init(&w.err);
	op = core_backup_start_async(c, p, st, sync_done, &w);
	return sync_run(c, &w, op, err);
}

sv_result
core_backup_poll(struct aws_client *c, const struct core_backup_plan *p,
    struct core_backup_status *st, struct sv_err *err)
{
	struct sync_wait	 w;
	struct core_backup_op	*op;

	memset(&w, 0, sizeof w);
	sv_err_init(&w.err);
	op = core_backup_poll_async(c, p, st, sync_done, &w);
	return sync_run(c, &w, op, err);
}
