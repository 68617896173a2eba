/* restore-rds.c - the RDS restore kinds (see restore.h): rds-pitr
 * (RestoreDBInstanceToPointInTime), rds-snapshot
 * (RestoreDBInstanceFromDBSnapshot), rds-cluster-pitr
 * (RestoreDBClusterToPointInTime) and rds-cluster-snapshot
 * (RestoreDBClusterFromSnapshot), each cluster kind then CreateDBInstance:
 * a restored Aurora cluster has no instance until one is created.
 *
 * Build, read-only, one stage after the other: the source's settings
 * (DescribeDBInstances / DescribeDBClusters, and for a cluster its first
 * member for the engine and instance class), the point (the restore
 * points for a time, DescribeDBSnapshots / DescribeDBClusterSnapshots for
 * a snapshot), then the target must not exist. The carried settings (--carry) come from the
 * source; what is not carried is said in the plan's notes. Wait: the
 * instance (and the cluster) until "available". */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/restore.h"
#include "svc/rds-restore.h"
#include "svc/rds.h"
#include "util/str.h"
#include "util/xalloc.h"

#define RDS_MAX_REQ	2

/* The plan's kind data: the calls, typed, and the strings they point to. */
struct rds_kdata {
	struct rds_restore_req	 req[RDS_MAX_REQ];
	size_t			 nreq;
	char			*source;	/* instance / cluster / snapshot id */
	char			*target;	/* instance / cluster id */
	char			*instance;	/* cluster: its first instance, TARGET-1 */
	char			**sgs;
	size_t			 nsgs;
	char			*subnet_group;
	char			*parameter_group;
	char			*engine;
	char			*instance_class;
};

static void
rds_kdata_free(void *arg)
{
	struct rds_kdata	*k = arg;

	if (k == NULL)
		return;
	free(k->source);
	free(k->target);
	free(k->instance);
	for (size_t i = 0; i < k->nsgs; i++)
		free(k->sgs[i]);
	free(k->sgs);
	free(k->subnet_group);
	free(k->parameter_group);
	free(k->engine);
	free(k->instance_class);
	free(k);
}

/* What the source says (the settings that can be carried). */
struct rds_facts {
	bool		 have;
	char		**sgs;
	size_t		 nsgs;
	char		*subnet_group;
	char		*parameter_group;
	bool		 multi_az;
	char		*engine;
	char		*instance_class;
	char		*first_member;
	char		*status;
};

enum rds_stage {
	ST_SOURCE,	/* DescribeDBInstances / DescribeDBClusters of the source */
	ST_MEMBER,	/* cluster: DescribeDBInstances of its first member */
	ST_POINT,	/* points (time) or DescribeDBSnapshots (snapshot) */
	ST_TARGET,	/* the target must not exist */
	ST_TARGET2,	/* cluster: nor its first instance */
	ST_DONE
};

struct rds_kstate {
	enum rds_stage		 stage;
	struct core_points_op	*pts;
	struct point_set	*set;
	struct rds_facts	 f;
	struct point		 snap;		/* the snapshot described */
	bool			 have_snap;
	char			*snap_instance;	/* the instance / cluster it was taken of */
	char			*snap_engine;	/* a cluster snapshot's engine */
	bool			 found;		/* the stage's describe found it */
	char			*found_status;
	bool			 target_exists;
	char			*target_status;
	char			*target_what;
	/* wait */
	bool			 cluster_ready;
	int			 notfound;
};

static void
facts_free(struct rds_facts *f)
{
	for (size_t i = 0; i < f->nsgs; i++)
		free(f->sgs[i]);
	free(f->sgs);
	free(f->subnet_group);
	free(f->parameter_group);
	free(f->engine);
	free(f->instance_class);
	free(f->first_member);
	free(f->status);
	memset(f, 0, sizeof *f);
}

static void
rds_kstate_free(void *arg)
{
	struct rds_kstate	*ks = arg;

	if (ks == NULL)
		return;
	if (ks->set != NULL) {
		point_set_free(ks->set);
		free(ks->set);
	}
	facts_free(&ks->f);
	free(ks->snap.id);
	free(ks->snap.status);
	free(ks->snap.type);
	free(ks->snap_instance);
	free(ks->snap_engine);
	free(ks->found_status);
	free(ks->target_status);
	free(ks->target_what);
	free(ks);
}

static struct rds_kstate *
kstate(struct restore_op *op)
{
	return restore_op_kstate(op, sizeof(struct rds_kstate), rds_kstate_free);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static bool
is_cluster(const struct restore_plan *p)
{
	return restore_kind_cluster(p->kind);
}

static bool
from_snapshot(const struct restore_plan *p)
{
	return p->kind == RESTORE_RDS_SNAPSHOT ||
	    p->kind == RESTORE_RDS_CLUSTER_SNAPSHOT;
}

/* ---- build: the plan once everything is known ---- */

static void
add_call(struct restore_plan *p, struct rds_restore_req *r, const char *target_uri,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add_call(struct restore_plan *p, struct rds_restore_req *r, const char *target_uri,
    const char *fmt, ...)
{
	struct restore_step	*s;
	struct aws_call		 call;
	char			*summary;
	va_list			 ap;

	va_start(ap, fmt);
	if (vasprintf(&summary, fmt, ap) == -1)
		abort();
	va_end(ap);
	rds_restore_call(r, &call);
	s = restore_plan_add_step(p, call.op, RESTORE_ACT_CALL, target_uri, "%s: %s",
	    aws_op_get(call.op)->name, summary);
	for (size_t i = 0; i < call.params.n; i++)
		aws_kvlist_add(&s->params, call.params.v[i].name, call.params.v[i].value);
	aws_call_free(&call);
	free(summary);
}

static void
build_finish(struct restore_op *op)
{
	struct restore_plan	*p = op->plan;
	struct rds_kstate	*ks = kstate(op);
	struct rds_facts	*f = &ks->f;
	struct rds_kdata	*k = xcalloc(1, sizeof *k);
	struct rds_restore_req	*r = &k->req[0];
	struct sv_err		 err;
	char			 when[SV_TIME_ISO_MAX], *iuri;
	const char		*at;

	sv_err_init(&err);
	p->kdata = k;
	p->kdata_free = rds_kdata_free;
	if (ks->target_what != NULL) {
		restore_op_fail(op, SV_E_EXISTS, "the DB instance %s (the restored cluster's first "
		    "instance) already exists: choose another --target", ks->target_what);
		return;
	}
	if (restore_plan_check_target(p, ks->target_exists, ks->target_status,
	    &err) != SV_OK) {
		restore_op_finish(op, err.code, &err);
		return;
	}
	restore_plan_set_loss(p, op->req);
	k->target = xstrdup(p->target);
	k->source = xstrdup(from_snapshot(p) ? p->point_id : p->source.name);

	/* The carried settings, from the source. */
	r->multi_az = -1;
	if ((p->carry & RESTORE_CARRY_SECURITY_GROUPS) && f->nsgs > 0) {
		k->sgs = xreallocarray(NULL, f->nsgs, sizeof *k->sgs);
		for (size_t i = 0; i < f->nsgs; i++)
			k->sgs[i] = xstrdup(f->sgs[i]);
		k->nsgs = f->nsgs;
	}
	if ((p->carry & RESTORE_CARRY_SUBNET_GROUP) && f->subnet_group != NULL)
		k->subnet_group = xstrdup(f->subnet_group);
	if ((p->carry & RESTORE_CARRY_PARAMETER_GROUP) && f->parameter_group != NULL)
		k->parameter_group = xstrdup(f->parameter_group);
	if ((p->carry & RESTORE_CARRY_MULTI_AZ) && !is_cluster(p) && f->have)
		r->multi_az = f->multi_az ? 1 : 0;

	r->kind = p->kind == RESTORE_RDS_PITR ? RDS_RESTORE_INSTANCE_PITR :
	    p->kind == RESTORE_RDS_SNAPSHOT ? RDS_RESTORE_INSTANCE_SNAPSHOT :
	    p->kind == RESTORE_RDS_CLUSTER_SNAPSHOT ? RDS_RESTORE_CLUSTER_SNAPSHOT :
	    RDS_RESTORE_CLUSTER_PITR;
	r->source = k->source;
	r->target = k->target;
	r->latest = p->latest;
	r->time = p->time;
	r->security_groups = (const char *const *)k->sgs;
	r->n_security_groups = k->nsgs;
	r->subnet_group = k->subnet_group;
	r->parameter_group = k->parameter_group;
	k->nreq = 1;
	if (p->kind == RESTORE_RDS_CLUSTER_SNAPSHOT) {
		/* Engine is required; the snapshot's, else the source's. */
		k->engine = dup_or_null(ks->snap_engine != NULL ? ks->snap_engine :
		    f->engine);
		r->engine = k->engine;
		if (k->engine == NULL)
			restore_plan_warn(p, "the snapshot's engine is not known: "
			    "RestoreDBClusterFromSnapshot will ask for one");
	}

	if (p->time != SV_TIME_NONE)
		sv_time_format_iso(p->time, when, p->time % 1000 != 0);
	else
		str_lcpy(when, "unknown", sizeof when);
	at = p->latest ? "at the latest restorable time (now about" : "as it was at";
	if (p->kind == RESTORE_RDS_SNAPSHOT)
		add_call(p, r, p->target_uri, "create DB instance %s from snapshot %s "
		    "(taken %s)", p->target, p->point_id, when);
	else if (p->kind == RESTORE_RDS_CLUSTER_SNAPSHOT)
		add_call(p, r, p->target_uri, "create DB cluster %s from cluster "
		    "snapshot %s (taken %s)", p->target, p->point_id, when);
	else
		add_call(p, r, p->target_uri, "create DB %s %s from %s %s %s%s",
		    is_cluster(p) ? "cluster" : "instance", p->target, p->source_uri,
		    at, when, p->latest ? ")" : "");
	if (is_cluster(p)) {
		struct rds_restore_req *r2 = &k->req[1];

		k->instance = xasprintf("%s-1", p->target);
		if (k->engine == NULL)
			k->engine = dup_or_null(f->engine);
		k->instance_class = dup_or_null(f->instance_class);
		r2->kind = RDS_RESTORE_CLUSTER_INSTANCE;
		r2->source = k->target;
		r2->target = k->instance;
		r2->engine = k->engine;
		r2->instance_class = k->instance_class;
		r2->multi_az = -1;
		k->nreq = 2;
		iuri = xasprintf("rds://%s", k->instance);
		add_call(p, r2, iuri, "create DB instance %s (%s, %s) in the restored "
		    "cluster %s: a restored cluster has no instance until one is created",
		    k->instance, k->engine != NULL ? k->engine : "engine unknown",
		    k->instance_class != NULL ? k->instance_class : "class unknown",
		    p->target);
		free(iuri);
		if (f->first_member == NULL)
			restore_plan_warn(p, "the source cluster has no instances: the "
			    "new instance's engine and class are the service's defaults");
	}

	/* Say what is carried, with the values. */
	if (k->nsgs > 0) {
		char	list[512] = "";
		size_t	len = 0;

		for (size_t i = 0; i < k->nsgs; i++)
			len += (size_t)snprintf(list + len, len < sizeof list ?
			    sizeof list - len : 0, "%s%s", i ? ", " : "", k->sgs[i]);
		restore_plan_note(p, "carried from the source: security groups %s", list);
	} else if (p->carry & RESTORE_CARRY_SECURITY_GROUPS)
		restore_plan_warn(p, "--carry security-groups: the source has none to "
		    "carry (or could not be read)");
	if (k->subnet_group != NULL)
		restore_plan_note(p, "carried from the source: subnet group %s",
		    k->subnet_group);
	else if (p->carry & RESTORE_CARRY_SUBNET_GROUP)
		restore_plan_warn(p, "--carry subnet-group: the source's subnet group is "
		    "not known");
	if (k->parameter_group != NULL)
		restore_plan_note(p, "carried from the source: %sparameter group %s",
		    is_cluster(p) ? "cluster " : "", k->parameter_group);
	else if (p->carry & RESTORE_CARRY_PARAMETER_GROUP)
		restore_plan_warn(p, "--carry parameter-group: the source's parameter "
		    "group is not known");
	if (r->multi_az >= 0)
		restore_plan_note(p, "carried from the source: Multi-AZ %s",
		    r->multi_az ? "on" : "off");
	restore_plan_add_notes(p);
	if (ks->set != NULL && ks->set->note != NULL)
		restore_plan_warn(p, "%s", ks->set->note);
	restore_op_finish(op, SV_OK, NULL);
}

/* ---- build: the stages ---- */

static void advance(struct restore_op *);

static bool
instance_page(void *arg, const struct rds_instances_page *pg)
{
	struct restore_op	*op = arg;
	struct rds_kstate	*ks = kstate(op);

	for (size_t i = 0; i < pg->n; i++) {
		const struct rds_instance *in = &pg->v[i];
		struct rds_facts *f = &ks->f;

		ks->found = true;
		free(ks->found_status);
		ks->found_status = dup_or_null(in->status);
		if (ks->stage == ST_SOURCE) {
			f->have = true;
			f->sgs = xreallocarray(NULL, in->n_vpc_security_groups + 1,
			    sizeof *f->sgs);
			for (size_t j = 0; j < in->n_vpc_security_groups; j++)
				f->sgs[j] = xstrdup(in->vpc_security_groups[j]);
			f->nsgs = in->n_vpc_security_groups;
			f->subnet_group = dup_or_null(in->subnet_group);
			f->parameter_group = in->n_parameter_groups > 0 ?
			    xstrdup(in->parameter_groups[0]) : NULL;
			f->multi_az = in->multi_az;
			f->status = dup_or_null(in->status);
		} else if (ks->stage == ST_MEMBER) {
			if (in->engine != NULL) {
				free(f->engine);
				f->engine = xstrdup(in->engine);
			}
			free(f->instance_class);
			f->instance_class = dup_or_null(in->instance_class);
		}
		break;
	}
	return false;
}

static bool
cluster_page(void *arg, const struct rds_clusters_page *pg)
{
	struct restore_op	*op = arg;
	struct rds_kstate	*ks = kstate(op);

	for (size_t i = 0; i < pg->n; i++) {
		const struct rds_cluster *c = &pg->v[i];
		struct rds_facts *f = &ks->f;

		ks->found = true;
		free(ks->found_status);
		ks->found_status = dup_or_null(c->status);
		if (ks->stage != ST_SOURCE)
			break;
		f->have = true;
		f->sgs = xreallocarray(NULL, c->n_vpc_security_groups + 1, sizeof *f->sgs);
		for (size_t j = 0; j < c->n_vpc_security_groups; j++)
			f->sgs[j] = xstrdup(c->vpc_security_groups[j]);
		f->nsgs = c->n_vpc_security_groups;
		f->subnet_group = dup_or_null(c->subnet_group);
		f->parameter_group = dup_or_null(c->parameter_group);
		f->multi_az = c->multi_az;
		f->engine = dup_or_null(c->engine);
		f->status = dup_or_null(c->status);
		/* The writer first, else the first member. */
		for (size_t j = 0; j < c->n_members; j++) {
			if (c->members[j].writer || f->first_member == NULL) {
				free(f->first_member);
				f->first_member = dup_or_null(c->members[j].instance_id);
				if (c->members[j].writer)
					break;
			}
		}
		break;
	}
	return false;
}

/* The snapshot described (the first of the page): its point, and what it
 * was taken of (an instance or a cluster) and, for a cluster, its engine. */
static void
keep_snapshot(struct rds_kstate *ks, const char *id, sv_time created,
    const char *status, const char *type, const char *of, const char *engine)
{
	ks->have_snap = true;
	ks->snap.kind = POINT_SNAPSHOT;
	ks->snap.id = xstrdup(id);
	ks->snap.time = created;
	ks->snap.status = dup_or_null(status);
	ks->snap.type = dup_or_null(type);
	ks->snap.size = -1;
	ks->snap.usable = status != NULL && strcmp(status, "available") == 0;
	ks->snap_instance = dup_or_null(of);
	ks->snap_engine = dup_or_null(engine);
}

static bool
snapshot_page(void *arg, const struct rds_snapshots_page *pg)
{
	const struct rds_snapshot *sn = pg->v;

	if (pg->n > 0)
		keep_snapshot(kstate(arg), sn->id, sn->created, sn->status,
		    sn->type, sn->instance_id, NULL);
	return false;
}

static bool
cluster_snapshot_page(void *arg, const struct rds_cluster_snapshots_page *pg)
{
	const struct rds_cluster_snapshot *sn = pg->v;

	if (pg->n > 0)
		keep_snapshot(kstate(arg), sn->id, sn->created, sn->status,
		    sn->type, sn->cluster_id, sn->engine);
	return false;
}

/* The done callback of every describe stage. */
static void
stage_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct restore_op	*op = arg;
	struct rds_kstate	*ks = kstate(op);
	struct restore_plan	*p = op->plan;

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK && r != SV_E_NOTFOUND) {
		restore_op_finish(op, r, err);
		return;
	}
	switch (ks->stage) {
	case ST_SOURCE:
		if (!ks->found) {
			if (from_snapshot(p) && p->carry == 0) {
				restore_plan_warn(p, "the source %s %s no longer exists: "
				    "restoring from its snapshot%s",
				    resource_kind_name(p->source.kind), p->source.name,
				    is_cluster(p) ? " (the new instance's class is not "
				    "known: if AWS asks for one, create the instance in "
				    "the restored cluster yourself)" : "");
				break;
			}
			restore_op_fail(op, SV_E_NOTFOUND, "%s: no such %s in this account and "
			    "region%s", p->source_uri, resource_kind_name(p->source.kind),
			    from_snapshot(p) ? " (--carry needs the source to read the "
			    "settings from)" : "");
			return;
		}
		break;
	case ST_MEMBER:
		if (!ks->found)
			restore_plan_warn(p, "the cluster's instance %s could not be read: "
			    "the new instance's class is the service's default",
			    ks->f.first_member);
		break;
	case ST_POINT: {
		struct sv_err e;

		sv_err_init(&e);
		if (!ks->have_snap) {
			restore_op_fail(op, SV_E_NOTFOUND, "no DB %ssnapshot %s: list the snapshots "
			    "of %s with salvage points %s", is_cluster(p) ? "cluster " :
			    "", op->req->snapshot, p->source_uri, p->source_uri);
			return;
		}
		if (restore_plan_choose_point(p, &ks->snap, &e) != SV_OK) {
			restore_op_finish(op, e.code, &e);
			return;
		}
		if (ks->snap_instance != NULL &&
		    strcmp(ks->snap_instance, p->source.name) != 0)
			restore_plan_warn(p, "snapshot %s was taken of DB %s %s, "
			    "not of %s", ks->snap.id, is_cluster(p) ? "cluster" :
			    "instance", ks->snap_instance, p->source.name);
		break;
	}
	case ST_TARGET:
	case ST_TARGET2:
		if (ks->found) {
			if (ks->stage == ST_TARGET2) {
				free(ks->target_what);
				ks->target_what = xasprintf("rds://%s-1", p->target);
			} else {
				ks->target_exists = true;
				free(ks->target_status);
				ks->target_status = dup_or_null(ks->found_status);
			}
			ks->stage = ST_DONE;
			build_finish(op);
			return;
		}
		break;
	case ST_DONE:
		break;
	}
	ks->stage++;
	advance(op);
}

static void
points_done(void *arg, struct point_set *set, sv_result r, const struct sv_err *err)
{
	struct restore_op	*op = arg;
	struct rds_kstate	*ks = kstate(op);
	struct sv_err		 e;

	ks->pts = NULL;
	if (ks->set != NULL) {
		point_set_free(ks->set);
		free(ks->set);
	}
	ks->set = set;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK) {
		restore_op_finish(op, r, err);
		return;
	}
	sv_err_init(&e);
	if (restore_plan_choose_time(op->plan, set, &e) != SV_OK) {
		restore_op_finish(op, e.code, &e);
		return;
	}
	ks->stage++;
	advance(op);
}

static void
describe_instance(struct restore_op *op, const char *id)
{
	struct rds_instances_req	req = { id };
	struct svc_op			*s;

	kstate(op)->found = false;
	s = rds_describe_db_instances(op->client, &req, instance_page, stage_done, op);
	if (s != NULL)
		op->svc = s;
}

static void
describe_cluster(struct restore_op *op, const char *id)
{
	struct rds_clusters_req	req = { id };
	struct svc_op		*s;

	kstate(op)->found = false;
	s = rds_describe_db_clusters(op->client, &req, cluster_page, stage_done, op);
	if (s != NULL)
		op->svc = s;
}

static void
advance(struct restore_op *op)
{
	struct rds_kstate	*ks = kstate(op);
	struct restore_plan	*p = op->plan;
	char			*id;

	switch (ks->stage) {
	case ST_SOURCE:
		if (is_cluster(p))
			describe_cluster(op, p->source.name);
		else
			describe_instance(op, p->source.name);
		return;
	case ST_MEMBER:
		if (!is_cluster(p) || ks->f.first_member == NULL) {
			ks->stage++;
			advance(op);
			return;
		}
		describe_instance(op, ks->f.first_member);
		return;
	case ST_POINT:
		if (p->kind == RESTORE_RDS_CLUSTER_SNAPSHOT) {
			struct rds_cluster_snapshots_req req;
			struct svc_op *s;

			memset(&req, 0, sizeof req);
			req.snapshot_id = op->req->snapshot;
			s = rds_describe_db_cluster_snapshots(op->client, &req,
			    cluster_snapshot_page, stage_done, op);
			if (s != NULL)
				op->svc = s;
		} else if (p->kind == RESTORE_RDS_SNAPSHOT) {
			struct rds_snapshots_req req;
			struct svc_op *s;

			memset(&req, 0, sizeof req);
			req.snapshot_id = op->req->snapshot;
			s = rds_describe_db_snapshots(op->client, &req, snapshot_page,
			    stage_done, op);
			if (s != NULL)
				op->svc = s;
		} else {
			struct core_points_op *pts;
			struct sv_err e;

			sv_err_init(&e);
			pts = core_points_load(op->client, &p->source, points_done, op, &e);
			if (pts != NULL)
				ks->pts = pts;
			else if (e.code != SV_OK)
				restore_op_finish(op, e.code, &e);
		}
		return;
	case ST_TARGET:
		if (is_cluster(p))
			describe_cluster(op, p->target);
		else
			describe_instance(op, p->target);
		return;
	case ST_TARGET2:
		if (!is_cluster(p)) {
			ks->stage = ST_DONE;
			build_finish(op);
			return;
		}
		id = xasprintf("%s-1", p->target);
		describe_instance(op, id);
		free(id);
		return;
	case ST_DONE:
		build_finish(op);
		return;
	}
}

static void
rds_build(struct restore_op *op)
{
	kstate(op)->stage = ST_SOURCE;
	advance(op);
}

static void
rds_cancel(struct restore_op *op)
{
	struct rds_kstate	*ks = op->kstate;

	if (ks != NULL && ks->pts != NULL) {
		struct core_points_op *pts = ks->pts;

		ks->pts = NULL;
		core_points_cancel(pts);
	}
}

/* ---- execute: the calls in order ---- */

static void send_next(struct restore_op *);

static void
sent(void *arg, sv_result r, const struct sv_err *err, const struct rds_restore_desc *d)
{
	struct restore_op	*op = arg;
	struct restore_outcome	*o = op->outcome;
	const struct restore_plan *p = op->plan;
	size_t			 i = op->next_step;

	op->pending = NULL;
	restore_outcome_step(o, i, r, err, d != NULL ? d->request_id : NULL,
	    d != NULL ? d->arn : NULL);
	op->next_step = i + 1;
	if (r != SV_OK) {
		if (i == 0 && (r == SV_E_READONLY || r == SV_E_AUDIT))
			o->started = SV_TIME_NONE;
		if (i > 0)
			restore_op_fail(op, r, "%s was restored, but its instance could not be "
			    "created: %s; create one in the cluster (CreateDBInstance "
			    "with DBClusterIdentifier %s) before using it", p->target_uri,
			    err->msg, p->target);
		else
			restore_op_finish(op, r, err);
		return;
	}
	if (i == 0) {
		free(o->target_arn);
		o->target_arn = dup_or_null(d->arn);
	}
	free(o->status);
	o->status = xstrdup(d->status != NULL ? d->status : "creating");
	restore_op_progress(op, o->status, -1, "%s: %s is %s",
	    aws_op_get(p->steps[i].op)->name, d->id != NULL ? d->id : p->target,
	    o->status);
	if (restore_op_cancelled(op))
		return;
	send_next(op);
}

static void
send_next(struct restore_op *op)
{
	const struct rds_kdata	*k = op->plan->kdata;

	if (op->next_step >= k->nreq) {
		op->outcome->executed = true;
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	op->pending = rds_restore(op->client, &k->req[op->next_step], sent, op);
}

static void
rds_execute(struct restore_op *op)
{
	op->outcome->started = sv_time_now();
	op->next_step = 0;
	send_next(op);
}

/* ---- wait ---- */

static void rds_poll(struct restore_op *);

static bool
wait_instance(void *arg, const struct rds_instances_page *pg)
{
	struct restore_op	*op = arg;
	struct rds_kstate	*ks = kstate(op);

	if (pg->n > 0) {
		ks->found = true;
		free(ks->found_status);
		ks->found_status = dup_or_null(pg->v[0].status);
	}
	return false;
}

static bool
wait_cluster(void *arg, const struct rds_clusters_page *pg)
{
	struct restore_op	*op = arg;
	struct rds_kstate	*ks = kstate(op);

	if (pg->n > 0) {
		ks->found = true;
		free(ks->found_status);
		ks->found_status = dup_or_null(pg->v[0].status);
	}
	return false;
}

static bool
terminal_bad(const char *st)
{
	static const char *const bad[] = {
		"failed", "incompatible-restore", "incompatible-parameters",
		"incompatible-network", "incompatible-option-group",
		"inaccessible-encryption-credentials", "storage-full", "deleting",
		"restore-error"
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strcmp(st, bad[i]) == 0)
			return true;
	return false;
}

static void
wait_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct restore_op	*op = arg;
	struct rds_kstate	*ks = kstate(op);
	struct restore_outcome	*o = op->outcome;
	const struct restore_plan *p = op->plan;
	const struct rds_kdata	*k = p->kdata;
	bool			 checking_cluster = is_cluster(p) && !ks->cluster_ready;
	const char		*what = checking_cluster ? p->target : is_cluster(p) ?
				    k->instance : p->target;

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r == SV_OK && !ks->found)
		r = SV_E_NOTFOUND;
	if (r == SV_E_NOTFOUND && ++ks->notfound <= 3) {
		restore_op_progress(op, NULL, -1, "%s: not visible yet", what);
		restore_op_schedule(op, restore_poll_delay_ms(++op->polls), rds_poll);
		return;
	}
	if (r != SV_OK) {
		restore_op_fail(op, r, "could not check %s (%s); the restore goes on: check it "
		    "with salvage ls %s", what, err != NULL ? err->msg :
		    "not found", p->target_uri);
		return;
	}
	ks->notfound = 0;
	free(o->status);
	o->status = xstrdup(ks->found_status != NULL ? ks->found_status : "unknown");
	if (o->started != SV_TIME_NONE)
		o->elapsed_ms = sv_time_now() - o->started;
	restore_op_progress(op, o->status, -1, "%s %s: %s", checking_cluster ?
	    "DB cluster" : "DB instance", what, o->status);
	if (terminal_bad(o->status)) {
		o->failed_state = true;
		restore_op_fail(op, SV_E_AWS, "%s %s is %s: the restore did not complete",
		    checking_cluster ? "DB cluster" : "DB instance", what, o->status);
		return;
	}
	if (strcmp(o->status, "available") == 0) {
		if (checking_cluster) {
			ks->cluster_ready = true;
			restore_op_schedule(op, 0, rds_poll);
			return;
		}
		o->usable = true;
		o->finished = sv_time_now();
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	restore_op_schedule(op, restore_poll_delay_ms(++op->polls), rds_poll);
}

static void
rds_poll(struct restore_op *op)
{
	struct rds_kstate	*ks = kstate(op);
	const struct restore_plan *p = op->plan;
	const struct rds_kdata	*k = p->kdata;
	struct svc_op		*s;

	ks->found = false;
	if (is_cluster(p) && !ks->cluster_ready) {
		struct rds_clusters_req req = { p->target };

		s = rds_describe_db_clusters(op->client, &req, wait_cluster, wait_done, op);
	} else {
		struct rds_instances_req req = { is_cluster(p) ? k->instance : p->target };

		s = rds_describe_db_instances(op->client, &req, wait_instance, wait_done,
		    op);
	}
	if (s != NULL)
		op->svc = s;
}

static void
rds_wait(struct restore_op *op)
{
	restore_op_schedule(op, restore_poll_delay_ms(op->polls), rds_poll);
}

const struct restore_kind_ops restore_rds_pitr_ops = {
	rds_build, rds_execute, rds_wait, rds_cancel, NULL
};

const struct restore_kind_ops restore_rds_snapshot_ops = {
	rds_build, rds_execute, rds_wait, rds_cancel, NULL
};

const struct restore_kind_ops restore_rds_cluster_pitr_ops = {
	rds_build, rds_execute, rds_wait, rds_cancel, NULL
};

const struct restore_kind_ops restore_rds_cluster_snapshot_ops = {
	rds_build, rds_execute, rds_wait, rds_cancel, NULL
};
