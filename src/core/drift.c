/* drift.c - what a restore did not carry over (see drift.h): both sides'
 * settings are read with a handful of svc calls at once, compared into a
 * report whose items say what differs and how it would be re-applied,
 * and --apply sends those changes one after another. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/drift.h"
#include "core/resource.h"
#include "svc/autoscaling.h"
#include "svc/ddb-settings.h"
#include "svc/dynamodb.h"
#include "svc/rds-modify.h"
#include "svc/rds.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#define AUTOSCALING_CHECK	"check with aws application-autoscaling " \
	"describe-scalable-targets --service-namespace dynamodb"

/* What --apply does for an item. In the order the changes are sent. */
enum act {
	ACT_NONE,
	ACT_DDB_TTL,
	ACT_DDB_PITR,
	ACT_DDB_TAGS,
	ACT_DDB_DP,
	ACT_DDB_AUTOSCALING,	/* RegisterScalableTarget, PutScalingPolicy ... */
	ACT_DDB_STREAM,		/* last: the table goes UPDATING */
	ACT_RDS_MODIFY,		/* one ModifyDBInstance (ModifyDBCluster) for all */
	ACT_RDS_TAGS,
	ACT__COUNT
};

struct tags {
	char		**keys, **values;
	size_t		  n, cap;
};

/* One side's settings. */
struct settings {
	bool		 got;
	char		*id;		/* table / instance */
	char		*arn;
	char		*status;
	/* DynamoDB */
	bool		 stream;
	char		*view;
	bool		 dp;
	bool		 ttl;
	char		*ttl_attr;
	bool		 pitr;
	long long	 pitr_days;
	struct aas_set	 aas;		/* auto scaling */
	char		*aas_err;	/* could not be read: why */
	/* RDS */
	char		**sgs;
	size_t		  nsgs;
	char		*pgroup, *ogroup, *subnet;
	bool		 multi_az;
	long long	 retention;
	struct tags	 tags;
};

struct drift_priv {
	struct settings	 s[2];		/* 0: source, 1: target */
	enum act	*acts;		/* per item */
	size_t		 capacts;
	struct tags	 add;		/* the tags to add to the target */
};

/* ---- the report ---- */

static void
tags_add(struct tags *t, const char *k, const char *v)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->keys = xreallocarray(t->keys, t->cap, sizeof *t->keys);
		t->values = xreallocarray(t->values, t->cap, sizeof *t->values);
	}
	t->keys[t->n] = xstrdup(k);
	t->values[t->n++] = xstrdup(v != NULL ? v : "");
}

static void
tags_free(struct tags *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->keys[i]);
		free(t->values[i]);
	}
	free(t->keys);
	free(t->values);
	memset(t, 0, sizeof *t);
}

static const char *
tags_get(const struct tags *t, const char *k)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i], k) == 0)
			return t->values[i];
	return NULL;
}

static void
settings_free(struct settings *s)
{
	free(s->id);
	free(s->arn);
	free(s->status);
	free(s->view);
	free(s->ttl_attr);
	aas_set_free(&s->aas);
	free(s->aas_err);
	for (size_t i = 0; i < s->nsgs; i++)
		free(s->sgs[i]);
	free(s->sgs);
	free(s->pgroup);
	free(s->ogroup);
	free(s->subnet);
	tags_free(&s->tags);
}

static void
priv_free(struct drift_priv *p)
{
	if (p == NULL)
		return;
	settings_free(&p->s[0]);
	settings_free(&p->s[1]);
	free(p->acts);
	tags_free(&p->add);
	free(p);
}

void
drift_report_free(struct drift_report *r)
{
	if (r == NULL)
		return;
	free(r->src);
	free(r->target);
	free(r->target_name);
	for (size_t i = 0; i < r->nitems; i++) {
		struct drift_item *it = &r->items[i];

		free(it->name);
		free(it->src);
		free(it->target);
		free(it->note);
		free(it->plan);
		free(it->error);
	}
	free(r->items);
	priv_free(r->priv);
	free(r);
}

struct drift_item *
drift_report_add(struct drift_report *r, const char *name, const char *src,
    const char *target, bool differs)
{
	struct drift_item	*it;

	if (r->nitems == r->capitems) {
		r->capitems = r->capitems ? r->capitems * 2 : 16;
		r->items = xreallocarray(r->items, r->capitems, sizeof *r->items);
	}
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof *it);
	it->name = xstrdup(name);
	it->src = xstrdup(src != NULL ? src : "-");
	it->target = xstrdup(target != NULL ? target : "-");
	it->checked = true;
	it->differs = differs;
	if (differs)
		r->ndrift++;
	return it;
}

void
drift_item_set(struct drift_report *r, struct drift_item *it, bool applicable,
    const char *operation, const char *plan, const char *note)
{
	if (applicable && !it->applicable)
		r->napplicable++;
	else if (!applicable && it->applicable)
		r->napplicable--;
	it->applicable = applicable;
	it->operation = operation;
	free(it->plan);
	it->plan = plan != NULL ? xstrdup(plan) : NULL;
	free(it->note);
	it->note = note != NULL ? xstrdup(note) : NULL;
}

const char *
drift_outcome_name(enum drift_outcome o)
{
	switch (o) {
	case DRIFT_APPLIED:
		return "applied";
	case DRIFT_FAILED:
		return "failed";
	case DRIFT_NOT_APPLIED:
		break;
	}
	return "not-applied";
}

void
drift_report_json(const struct drift_report *r, struct jsonw *j)
{
	jsonw_obj_begin(j);
	jsonw_kstr(j, "source", r->src);
	jsonw_kstr(j, "target", r->target);
	jsonw_kstr(j, "kind", r->kind == DRIFT_DYNAMODB ? "dynamodb" :
	    r->kind == DRIFT_RDS ? "rds" : "rds-cluster");
	jsonw_kbool(j, "drift", r->ndrift > 0);
	jsonw_kint(j, "differences", (long long)r->ndrift);
	jsonw_kint(j, "applicable", (long long)r->napplicable);
	jsonw_key(j, "settings");
	jsonw_arr_begin(j);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct drift_item *it = &r->items[i];

		jsonw_obj_begin(j);
		jsonw_kstr(j, "name", it->name);
		jsonw_kstr(j, "source", it->checked ? it->src : NULL);
		jsonw_kstr(j, "target", it->checked ? it->target : NULL);
		jsonw_kbool(j, "checked", it->checked);
		jsonw_kbool(j, "differs", it->differs);
		jsonw_kbool(j, "applicable", it->applicable);
		jsonw_kstr(j, "note", it->note);
		jsonw_kstr(j, "plan", it->plan);
		jsonw_kstr(j, "operation", it->operation);
		if (it->step > 0)
			jsonw_kint(j, "step", it->step);
		else
			jsonw_kstr(j, "step", NULL);
		jsonw_kstr(j, "outcome", drift_outcome_name(it->outcome));
		jsonw_kstr(j, "error", it->error);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
	jsonw_kint(j, "applied", (long long)r->applied);
	jsonw_kint(j, "failed", (long long)r->failed);
	jsonw_obj_end(j);
}

struct kv {
	const char	*k, *v;
};

static int
cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
drift_tags_text(const char *const *keys, const char *const *values, size_t n)
{
	struct kv	*v = xcalloc(n + 1, sizeof *v);
	size_t		 m = 0;
	struct buf	 b;
	char		*s;

	for (size_t i = 0; i < n; i++) {
		if (strncmp(keys[i], "aws:", 4) == 0)
			continue;
		v[m].k = keys[i];
		v[m++].v = values != NULL && values[i] != NULL ? values[i] : "";
	}
	qsort(v, m, sizeof *v, cmp_kv);
	buf_init(&b, BUF_MAX_HTTP_BODY);
	for (size_t i = 0; i < m; i++)
		buf_addf(&b, "%s%s=%s", i > 0 ? ", " : "", v[i].k, v[i].v);
	if (m == 0)
		buf_adds(&b, "-");
	free(v);
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

static char *
tags_text(const struct tags *t)
{
	return drift_tags_text((const char *const *)t->keys,
	    (const char *const *)t->values, t->n);
}

/* ---- comparing ---- */

static struct drift_item *
add(struct drift_report *r, enum act act, const char *name, const char *src,
    const char *target)
{
	struct drift_priv	*p = r->priv;
	struct drift_item	*it;

	it = drift_report_add(r, name, src, target, strcmp(src != NULL ? src : "-",
	    target != NULL ? target : "-") != 0);
	if (p->capacts < r->capitems) {
		p->capacts = r->capitems;
		p->acts = xreallocarray(p->acts, p->capacts, sizeof *p->acts);
	}
	p->acts[r->nitems - 1] = act;
	return it;
}

static void
set(struct drift_report *r, struct drift_item *it, bool applicable,
    const char *operation, const char *note, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
set(struct drift_report *r, struct drift_item *it, bool applicable,
    const char *operation, const char *note, const char *fmt, ...)
{
	char	*plan = NULL;
	va_list	 ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&plan, fmt, ap) == -1)
			abort();
		va_end(ap);
	}
	drift_item_set(r, it, applicable, operation, plan, note);
	free(plan);
}

static const char *
onoff(bool b)
{
	return b ? "on" : "off";
}

/* Tags: the source's missing or different on the target are added;
 * the target's extra ones are only reported. */
static void
compare_tags(struct drift_report *r, enum act act, const char *operation)
{
	struct drift_priv	*p = r->priv;
	const struct tags	*src = &p->s[0].tags, *dst = &p->s[1].tags;
	char			*ts = tags_text(src), *tt = tags_text(dst);
	struct drift_item	*it = add(r, act, "tags", ts, tt);
	struct buf		 extra, plan;
	size_t			 i;

	buf_init(&extra, BUF_MAX_SMALL);
	buf_init(&plan, BUF_MAX_SMALL);
	for (i = 0; i < src->n; i++) {
		const char	*v = tags_get(dst, src->keys[i]);

		if (strncmp(src->keys[i], "aws:", 4) == 0)
			continue;
		if (v == NULL || strcmp(v, src->values[i]) != 0) {
			tags_add(&p->add, src->keys[i], src->values[i]);
			buf_addf(&plan, "%s%s=%s", plan.len > 0 ? ", " : "",
			    src->keys[i], src->values[i]);
		}
	}
	for (i = 0; i < dst->n; i++)
		if (strncmp(dst->keys[i], "aws:", 4) != 0 &&
		    tags_get(src, dst->keys[i]) == NULL)
			buf_addf(&extra, "%s%s", extra.len > 0 ? ", " : "",
			    dst->keys[i]);
	if (it->differs) {
		char	*note = extra.len > 0 ? xasprintf("the target has tags the "
			    "source lacks (%s): they are not removed", buf_str(&extra)) :
			    NULL;

		if (p->add.n > 0)
			set(r, it, true, operation, note, "%s: %s", operation,
			    buf_str(&plan));
		else
			set(r, it, false, NULL, note, NULL);
		free(note);
	}
	buf_free(&extra);
	buf_free(&plan);
	free(ts);
	free(tt);
}

/* "read"/"write" of dynamodb:table:ReadCapacityUnits. */
static const char *
dim_word(const char *dim)
{
	return strstr(dim, "Read") != NULL ? "read" : strstr(dim, "Write") != NULL ?
	    "write" : dim;
}

/* "table read 5..100" / "index by-date write 1..10", and each policy;
 * sorted, "; "-joined ("-": none). key also holds each policy's whole
 * configuration: two sides are the same when their keys are. */
static void
aas_text(const struct aas_set *a, char **text, char **key)
{
	char	**t = xcalloc(a->ntargets + a->npolicies + 1, sizeof *t);
	char	**k = xcalloc(a->ntargets + a->npolicies + 1, sizeof *k);
	size_t	  n = 0;
	struct buf bt, bk;

	for (size_t i = 0; i < a->ntargets; i++, n++) {
		const struct aas_target *x = &a->targets[i];

		t[n] = xasprintf("%s %s %lld..%lld", *x->resource != '\0' ?
		    x->resource : "table", dim_word(x->dimension), x->min, x->max);
		k[n] = xstrdup(t[n]);
	}
	for (size_t i = 0; i < a->npolicies; i++, n++) {
		const struct aas_policy *x = &a->policies[i];
		char	tv[32] = "";

		if (x->target_value >= 0)
			snprintf(tv, sizeof tv, " %g", x->target_value);
		t[n] = xasprintf("%s %s policy %s (%s%s)", *x->resource != '\0' ?
		    x->resource : "table", dim_word(x->dimension), x->name, x->type, tv);
		k[n] = xasprintf("%s %s", t[n], x->config);
	}
	qsort(t, n, sizeof *t, cmp_strp);
	qsort(k, n, sizeof *k, cmp_strp);
	buf_init(&bt, BUF_MAX_SMALL);
	buf_init(&bk, BUF_MAX_SMALL);
	for (size_t i = 0; i < n; i++) {
		buf_addf(&bt, "%s%s", i > 0 ? "; " : "", t[i]);
		buf_addf(&bk, "%s%s", i > 0 ? "\n" : "", k[i]);
		free(t[i]);
		free(k[i]);
	}
	if (n == 0) {
		buf_adds(&bt, "-");
		buf_adds(&bk, "-");
	}
	free(t);
	free(k);
	*text = buf_detach(&bt);
	*key = buf_detach(&bk);
	buf_free(&bt);
	buf_free(&bk);
}

static void
compare_autoscaling(struct drift_report *r)
{
	struct drift_priv	*p = r->priv;
	struct settings		*s = &p->s[0], *t = &p->s[1];
	struct drift_item	*it;
	char			*a, *b, *ka, *kb, *note;

	if (s->aas_err != NULL || t->aas_err != NULL) {
		it = add(r, ACT_NONE, "auto scaling", NULL, NULL);
		it->checked = false;
		note = xasprintf("not checked: auto scaling could not be read (%s); "
		    "%s", s->aas_err != NULL ? s->aas_err : t->aas_err,
		    AUTOSCALING_CHECK);
		set(r, it, false, NULL, note, NULL);
		free(note);
		return;
	}
	aas_text(&s->aas, &a, &ka);
	aas_text(&t->aas, &b, &kb);
	it = add(r, ACT_DDB_AUTOSCALING, "auto scaling", a, b);
	/* The display may hide a policy's details: the keys decide. */
	if (!it->differs && strcmp(ka, kb) != 0) {
		it->differs = true;
		r->ndrift++;
	}
	if (it->differs) {
		if (s->aas.ntargets == 0)
			set(r, it, false, NULL, "the target has auto scaling the "
			    "source lacks: left as it is", NULL);
		else
			set(r, it, true, "RegisterScalableTarget", t->aas.ntargets +
			    t->aas.npolicies > 0 ? "settings the target has beyond "
			    "the source's are not removed" : NULL,
			    "RegisterScalableTarget x%zu, PutScalingPolicy x%zu: the "
			    "source's auto scaling (%s)", s->aas.ntargets,
			    s->aas.npolicies, a);
	}
	free(a);
	free(b);
	free(ka);
	free(kb);
}

static void
compare_ddb(struct drift_report *r)
{
	struct drift_priv	*p = r->priv;
	struct settings		*s = &p->s[0], *t = &p->s[1];
	struct drift_item	*it;
	char			*a, *b;

	/* TTL */
	a = s->ttl ? xasprintf("on (%s)", s->ttl_attr != NULL ? s->ttl_attr : "?") :
	    xstrdup("off");
	b = t->ttl ? xasprintf("on (%s)", t->ttl_attr != NULL ? t->ttl_attr : "?") :
	    xstrdup("off");
	it = add(r, ACT_DDB_TTL, "TTL", a, b);
	if (it->differs) {
		if (s->ttl && t->ttl)
			set(r, it, false, NULL, "TTL is on another attribute: disable it "
			    "and enable it on the source's attribute by hand (DynamoDB "
			    "allows one TTL change per table per hour)", NULL);
		else if (s->ttl)
			set(r, it, true, "UpdateTimeToLive", NULL,
			    "UpdateTimeToLive: enable TTL on attribute %s", s->ttl_attr);
		else
			set(r, it, true, "UpdateTimeToLive", NULL,
			    "UpdateTimeToLive: disable TTL (on attribute %s)", t->ttl_attr);
	}
	free(a);
	free(b);

	/* Streams */
	it = add(r, ACT_DDB_STREAM, "stream", s->stream ? s->view : "off",
	    t->stream ? t->view : "off");
	if (it->differs) {
		if (s->stream && t->stream)
			set(r, it, false, NULL, "the target's stream has another view "
			    "type: disable it, wait until the table is ACTIVE, then "
			    "enable it with the source's", NULL);
		else if (s->stream)
			set(r, it, true, "UpdateTable", "a new stream starts empty: "
			    "consumers of the source's stream must be pointed at it",
			    "UpdateTable: enable the stream (%s)", s->view);
		else
			set(r, it, true, "UpdateTable", NULL,
			    "UpdateTable: disable the stream");
	}

	/* PITR */
	a = s->pitr && s->pitr_days > 0 ? xasprintf("on (%lld days)", s->pitr_days) :
	    xstrdup(onoff(s->pitr));
	b = t->pitr && t->pitr_days > 0 ? xasprintf("on (%lld days)", t->pitr_days) :
	    xstrdup(onoff(t->pitr));
	it = add(r, ACT_DDB_PITR, "point-in-time recovery", a, b);
	if (it->differs) {
		if (s->pitr && !t->pitr)
			set(r, it, true, "UpdateContinuousBackups", NULL,
			    "UpdateContinuousBackups: enable point-in-time recovery%s",
			    s->pitr_days > 0 ? " (the source's recovery period)" : "");
		else if (s->pitr && t->pitr)
			set(r, it, true, "UpdateContinuousBackups", NULL,
			    "UpdateContinuousBackups: recovery period %lld days",
			    s->pitr_days > 0 ? s->pitr_days : 35);
		else
			set(r, it, false, NULL, "the target is better protected than the "
			    "source: left as it is", NULL);
	}
	free(a);
	free(b);

	compare_tags(r, ACT_DDB_TAGS, "TagResource");

	/* Deletion protection */
	it = add(r, ACT_DDB_DP, "deletion protection", onoff(s->dp), onoff(t->dp));
	if (it->differs) {
		if (s->dp)
			set(r, it, true, "UpdateTable", NULL,
			    "UpdateTable: turn deletion protection on");
		else
			set(r, it, false, NULL, "the target is better protected than the "
			    "source: left as it is", NULL);
	}

	compare_autoscaling(r);
}

static char *
list_text(char *const *v, size_t n)
{
	struct buf	 b;
	char		**s = xcalloc(n + 1, sizeof *s), *out;

	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_strp);
	buf_init(&b, BUF_MAX_SMALL);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i > 0 ? ", " : "", s[i]);
	if (n == 0)
		buf_adds(&b, "-");
	free(s);
	out = buf_detach(&b);
	buf_free(&b);
	return out;
}

static void
compare_rds(struct drift_report *r)
{
	struct drift_priv	*p = r->priv;
	struct settings		*s = &p->s[0], *t = &p->s[1];
	struct drift_item	*it;
	char			*a, *b;
	bool			 cl = r->kind == DRIFT_RDS_CLUSTER;
	const char		*mod = cl ? "ModifyDBCluster" : "ModifyDBInstance";

	a = list_text(s->sgs, s->nsgs);
	b = list_text(t->sgs, t->nsgs);
	it = add(r, ACT_RDS_MODIFY, "security groups", a, b);
	if (it->differs) {
		if (s->nsgs > 0)
			set(r, it, true, mod, "the security groups must be in the "
			    "target's VPC", "%s: VpcSecurityGroupIds %s", mod, a);
		else
			set(r, it, false, NULL, "the source has no VPC security group",
			    NULL);
	}
	free(a);
	free(b);

	it = add(r, ACT_RDS_MODIFY, cl ? "cluster parameter group" :
	    "parameter group", s->pgroup, t->pgroup);
	if (it->differs && s->pgroup != NULL)
		set(r, it, true, mod, "static parameters take effect after a reboot "
		    "(pending-reboot)", "%s: %s %s", mod, cl ?
		    "DBClusterParameterGroupName" : "DBParameterGroupName", s->pgroup);

	if (!cl) {
		it = add(r, ACT_RDS_MODIFY, "option group", s->ogroup, t->ogroup);
		if (it->differs && s->ogroup != NULL)
			set(r, it, true, mod, NULL, "%s: OptionGroupName %s", mod,
			    s->ogroup);
	}

	it = add(r, ACT_NONE, "subnet group", s->subnet, t->subnet);
	if (it->differs)
		set(r, it, false, NULL, "the subnet group is chosen when restoring "
		    "(salvage restore --carry subnet-group); moving a database to "
		    "another one is a migration, not a setting", NULL);

	if (!cl) {
		it = add(r, ACT_RDS_MODIFY, "Multi-AZ", s->multi_az ? "yes" : "no",
		    t->multi_az ? "yes" : "no");
		if (it->differs)
			set(r, it, true, mod, NULL, "%s: MultiAZ %s", mod,
			    s->multi_az ? "true" : "false");
	}

	it = add(r, ACT_RDS_MODIFY, "deletion protection", onoff(s->dp), onoff(t->dp));
	if (it->differs) {
		if (s->dp)
			set(r, it, true, mod, NULL, "%s: DeletionProtection true",
			    mod);
		else
			set(r, it, false, NULL, "the target is better protected than the "
			    "source: left as it is", NULL);
	}

	a = xasprintf("%lld days", s->retention);
	b = xasprintf("%lld days", t->retention);
	it = add(r, ACT_RDS_MODIFY, "backup retention", a, b);
	if (it->differs) {
		if (s->retention > t->retention)
			set(r, it, true, mod, NULL, "%s: BackupRetentionPeriod %lld",
			    mod, s->retention);
		else
			set(r, it, false, NULL, "the target keeps backups longer than "
			    "the source: left as it is", NULL);
	}
	free(a);
	free(b);

	compare_tags(r, ACT_RDS_TAGS, "AddTagsToResource");
}

/* Numbers the calls --apply will make, in the order it makes them. */
static void
number_steps(struct drift_report *r)
{
	struct drift_priv	*p = r->priv;
	int			 n = 0;

	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		bool	any = false;

		for (size_t i = 0; i < r->nitems; i++) {
			if (p->acts[i] != (enum act)a || !r->items[i].applicable)
				continue;
			if (!any)
				n++;
			any = true;
			r->items[i].step = n;
		}
	}
}

/* ---- the operation ---- */

enum dcall_kind {
	DC_DDB_TABLE,
	DC_DDB_TTL,
	DC_DDB_PITR,
	DC_DDB_TAGS,
	DC_DDB_AUTOSCALING,
	DC_RDS_INSTANCE,
	DC_RDS_CLUSTER,
	DC_RDS_TAGS,
	DC_APPLY
};

struct dcall {
	struct drift_op		*op;
	struct dcall		*next;
	struct svc_op		*svc;
	enum dcall_kind		 kind;
	int			 side;
	bool			 starting, finished, got;
};

enum dphase {
	DP_DESCRIBE,
	DP_DETAILS,
	DP_DONE,
	DP_APPLY
};

struct drift_op {
	struct aws_client	*client;
	struct drift_report	*report;	/* reading: ours; apply: the caller's */
	bool			 applying;
	enum dphase		 phase;
	bool			 phase_started;
	struct dcall		*calls;
	struct sv_err		 err;
	bool			 in_step, again, started, deferred, finished;
	drift_done_fn		 done;
	drift_apply_done_fn	 apply_done;
	drift_progress_fn	 progress;
	void			*data;
	/* apply */
	enum act		 cur;		/* the change in flight */
	bool			 stopped;	/* refused by the gate: no more */
	struct sv_err		 first;		/* first failure */
};

static void	dstep(struct drift_op *);

static struct settings *
side_of(struct dcall *c)
{
	struct drift_priv	*p = c->op->report->priv;

	return &p->s[c->side];
}

static void
dfail(struct drift_op *op, sv_result r, const struct sv_err *e)
{
	if (op->err.code == SV_OK)
		sv_err_set(&op->err, r, "%s", e != NULL && e->msg[0] != '\0' ?
		    e->msg : sv_result_str(r));
}

static struct dcall *
dcall_new(struct drift_op *op, enum dcall_kind kind, int side)
{
	struct dcall	*c = xcalloc(1, sizeof *c);

	c->op = op;
	c->kind = kind;
	c->side = side;
	c->starting = true;
	c->next = op->calls;
	op->calls = c;
	return c;
}

static void
dcall_started(struct dcall *c, struct svc_op *svc)
{
	c->starting = false;
	if (c->finished)
		free(c);
	else
		c->svc = svc;
}

static void	apply_result(struct drift_op *, sv_result, const struct sv_err *);

static void
dcall_done(void *arg, sv_result r, const struct sv_err *e, size_t pages)
{
	struct dcall		*c = arg;
	struct drift_op		*op = c->op;
	struct dcall		**pp;

	(void)pages;
	c->finished = true;
	c->svc = NULL;
	for (pp = &op->calls; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c->kind == DC_APPLY)
		apply_result(op, r, e);
	else if (r != SV_OK && c->kind == DC_DDB_AUTOSCALING) {
		/* Another service, maybe not allowed: the item says so, the
		 * rest of the report stands. */
		struct settings *s = side_of(c);

		free(s->aas_err);
		s->aas_err = xstrdup(e != NULL && e->msg[0] != '\0' ? e->msg :
		    sv_result_str(r));
	} else if (r != SV_OK)
		dfail(op, r, e);
	else if (!c->got && (c->kind == DC_DDB_TABLE || c->kind == DC_RDS_INSTANCE ||
	    c->kind == DC_RDS_CLUSTER)) {
		struct sv_err	ne;

		sv_err_init(&ne);
		sv_err_set(&ne, SV_E_NOTFOUND, "%s was not found", c->side == 0 ?
		    op->report->src : op->report->target);
		dfail(op, SV_E_NOTFOUND, &ne);
	}
	if (!c->starting)
		free(c);
	dstep(op);
}

/* ---- reading ---- */

static bool
got_table(void *arg, const struct ddb_table *t)
{
	struct dcall	*c = arg;
	struct settings	*s = side_of(c);

	c->got = true;
	s->got = true;
	s->arn = t->arn != NULL ? xstrdup(t->arn) : NULL;
	s->status = xstrdup(t->status != NULL ? t->status : "-");
	s->stream = t->stream_enabled;
	s->view = xstrdup(t->stream_view_type != NULL ? t->stream_view_type : "on");
	s->dp = t->deletion_protection;
	return true;
}

static bool
got_ttl(void *arg, const struct ddb_ttl *t)
{
	struct dcall	*c = arg;
	struct settings	*s = side_of(c);

	c->got = true;
	s->ttl = t->enabled;
	s->ttl_attr = t->attr != NULL ? xstrdup(t->attr) : NULL;
	return true;
}

static bool
got_pitr(void *arg, const struct ddb_continuous_backups *cb)
{
	struct dcall	*c = arg;
	struct settings	*s = side_of(c);

	c->got = true;
	s->pitr = cb->pitr_enabled;
	s->pitr_days = cb->recovery_period_days;
	return true;
}

static bool
got_ddb_tags(void *arg, const struct ddb_tags_page *p)
{
	struct dcall	*c = arg;
	struct settings	*s = side_of(c);

	c->got = true;
	for (size_t i = 0; i < p->n; i++)
		tags_add(&s->tags, p->tags[i].key, p->tags[i].value);
	return true;
}

static void
got_aas(void *arg, const struct aas_set *a)
{
	struct dcall	*c = arg;

	c->got = true;
	aas_set_copy(&side_of(c)->aas, a);
}

static bool
got_instances(void *arg, const struct rds_instances_page *p)
{
	struct dcall	*c = arg;
	struct settings	*s = side_of(c);

	for (size_t i = 0; i < p->n; i++) {
		const struct rds_instance *in = &p->v[i];

		if (in->id == NULL || strcasecmp(in->id, s->id) != 0)
			continue;
		c->got = true;
		s->got = true;
		s->arn = in->arn != NULL ? xstrdup(in->arn) : NULL;
		s->status = xstrdup(in->status != NULL ? in->status : "-");
		s->sgs = xcalloc(in->n_vpc_security_groups + 1, sizeof *s->sgs);
		for (size_t j = 0; j < in->n_vpc_security_groups; j++)
			s->sgs[s->nsgs++] = xstrdup(in->vpc_security_groups[j]);
		s->pgroup = in->n_parameter_groups > 0 ?
		    xstrdup(in->parameter_groups[0]) : NULL;
		s->ogroup = in->n_option_groups > 0 ?
		    xstrdup(in->option_groups[0]) : NULL;
		s->subnet = in->subnet_group != NULL ? xstrdup(in->subnet_group) : NULL;
		s->multi_az = in->multi_az;
		s->dp = in->deletion_protection;
		s->retention = in->backup_retention >= 0 ? in->backup_retention : 0;
		return false;
	}
	return true;
}

static bool
got_clusters(void *arg, const struct rds_clusters_page *p)
{
	struct dcall	*c = arg;
	struct settings	*s = side_of(c);

	for (size_t i = 0; i < p->n; i++) {
		const struct rds_cluster *cl = &p->v[i];

		if (cl->id == NULL || strcasecmp(cl->id, s->id) != 0)
			continue;
		c->got = true;
		s->got = true;
		s->arn = cl->arn != NULL ? xstrdup(cl->arn) : NULL;
		s->status = xstrdup(cl->status != NULL ? cl->status : "-");
		s->sgs = xcalloc(cl->n_vpc_security_groups + 1, sizeof *s->sgs);
		for (size_t j = 0; j < cl->n_vpc_security_groups; j++)
			s->sgs[s->nsgs++] = xstrdup(cl->vpc_security_groups[j]);
		s->pgroup = cl->parameter_group != NULL ?
		    xstrdup(cl->parameter_group) : NULL;
		s->subnet = cl->subnet_group != NULL ? xstrdup(cl->subnet_group) : NULL;
		s->multi_az = cl->multi_az;
		s->dp = cl->deletion_protection;
		s->retention = cl->backup_retention >= 0 ? cl->backup_retention : 0;
		return false;
	}
	return true;
}

static bool
got_rds_tags(void *arg, const struct rds_tag *tags, size_t n)
{
	struct dcall	*c = arg;
	struct settings	*s = side_of(c);

	c->got = true;
	for (size_t i = 0; i < n; i++)
		tags_add(&s->tags, tags[i].key, tags[i].value);
	return true;
}

static void
read_describe(struct drift_op *op)
{
	struct drift_priv	*p = op->report->priv;

	for (int i = 0; i < 2; i++) {
		struct dcall	*c;

		if (op->report->kind == DRIFT_DYNAMODB) {
			c = dcall_new(op, DC_DDB_TABLE, i);
			dcall_started(c, ddb_describe_table(op->client, p->s[i].id,
			    got_table, dcall_done, c));
		} else if (op->report->kind == DRIFT_RDS_CLUSTER) {
			struct rds_clusters_req req = { p->s[i].id };

			c = dcall_new(op, DC_RDS_CLUSTER, i);
			dcall_started(c, rds_describe_db_clusters(op->client, &req,
			    got_clusters, dcall_done, c));
		} else {
			struct rds_instances_req req = { p->s[i].id };

			c = dcall_new(op, DC_RDS_INSTANCE, i);
			dcall_started(c, rds_describe_db_instances(op->client, &req,
			    got_instances, dcall_done, c));
		}
	}
}

static void
read_details(struct drift_op *op)
{
	struct drift_priv	*p = op->report->priv;

	for (int i = 0; i < 2 && op->err.code == SV_OK; i++) {
		struct settings	*s = &p->s[i];
		struct dcall	*c;

		if (s->arn == NULL) {
			struct sv_err	e;

			sv_err_init(&e);
			sv_err_set(&e, SV_E_PARSE, "%s: the description has no ARN",
			    i == 0 ? op->report->src : op->report->target);
			dfail(op, SV_E_PARSE, &e);
			return;
		}
		if (op->report->kind == DRIFT_DYNAMODB) {
			c = dcall_new(op, DC_DDB_TTL, i);
			dcall_started(c, ddb_describe_ttl(op->client, s->id, got_ttl,
			    dcall_done, c));
			c = dcall_new(op, DC_DDB_PITR, i);
			dcall_started(c, ddb_describe_continuous_backups(op->client, s->id,
			    got_pitr, dcall_done, c));
			c = dcall_new(op, DC_DDB_TAGS, i);
			dcall_started(c, ddb_list_tags(op->client, s->arn, got_ddb_tags,
			    dcall_done, c));
			c = dcall_new(op, DC_DDB_AUTOSCALING, i);
			dcall_started(c, aas_describe_table(op->client, s->id, got_aas,
			    dcall_done, c));
		} else {
			c = dcall_new(op, DC_RDS_TAGS, i);
			dcall_started(c, rds_list_tags(op->client, s->arn, got_rds_tags,
			    dcall_done, c));
		}
	}
}

/* ---- applying ---- */

static void
mark(struct drift_op *op, enum act act, enum drift_outcome o, const char *error)
{
	struct drift_report	*r = op->report;
	struct drift_priv	*p = r->priv;

	for (size_t i = 0; i < r->nitems; i++) {
		struct drift_item *it = &r->items[i];

		if (p->acts[i] != act || !it->applicable || it->outcome != DRIFT_NOT_APPLIED)
			continue;
		it->outcome = o;
		if (o == DRIFT_APPLIED)
			r->applied++;
		else if (o == DRIFT_FAILED) {
			r->failed++;
			it->error = xstrdup(error != NULL ? error : "failed");
		}
		if (op->progress != NULL)
			op->progress(op->data, it);
	}
}

static void
apply_result(struct drift_op *op, sv_result r, const struct sv_err *e)
{
	if (r == SV_OK) {
		mark(op, op->cur, DRIFT_APPLIED, NULL);
		return;
	}
	mark(op, op->cur, DRIFT_FAILED, e != NULL ? e->msg : sv_result_str(r));
	if (op->first.code == SV_OK)
		sv_err_set(&op->first, r, "%s", e != NULL && e->msg[0] != '\0' ?
		    e->msg : sv_result_str(r));
	/* The gate refuses every change alike: do not try the others. */
	if (r == SV_E_READONLY || r == SV_E_AUDIT || r == SV_E_CANCELLED)
		op->stopped = true;
}

static bool
wants(const struct drift_op *op, enum act act)
{
	const struct drift_report	*r = op->report;
	const struct drift_priv		*p = r->priv;

	for (size_t i = 0; i < r->nitems; i++)
		if (p->acts[i] == act && r->items[i].applicable &&
		    r->items[i].outcome == DRIFT_NOT_APPLIED)
			return true;
	return false;
}

/* Starts the change for act. */
static void
apply_start(struct drift_op *op, enum act act)
{
	struct drift_priv	*p = op->report->priv;
	struct settings		*s = &p->s[0], *t = &p->s[1];
	struct dcall		*c = dcall_new(op, DC_APPLY, 1);
	struct svc_op		*o = NULL;

	op->cur = act;
	switch (act) {
	case ACT_DDB_TTL:
		o = ddb_update_ttl(op->client, t->id, s->ttl,
		    s->ttl ? s->ttl_attr : t->ttl_attr, dcall_done, c);
		break;
	case ACT_DDB_PITR:
		/* The source's recovery period, when it says which. */
		o = ddb_update_pitr(op->client, t->id, true,
		    s->pitr_days > 0 && s->pitr_days <= 35 ? s->pitr_days : 0,
		    dcall_done, c);
		break;
	case ACT_DDB_TAGS: {
		struct ddb_tag	*tags = xcalloc(p->add.n + 1, sizeof *tags);

		for (size_t i = 0; i < p->add.n; i++) {
			tags[i].key = p->add.keys[i];
			tags[i].value = p->add.values[i];
		}
		o = ddb_tag_resource(op->client, t->id, t->arn, tags, p->add.n,
		    dcall_done, c);
		free(tags);
		break;
	}
	case ACT_DDB_AUTOSCALING:
		o = aas_copy_to_table(op->client, t->id, &s->aas, dcall_done, c);
		break;
	case ACT_DDB_DP:
	case ACT_DDB_STREAM: {
		struct ddb_table_update	u = { t->id, -1, NULL, -1 };

		if (act == ACT_DDB_DP)
			u.deletion_protection = 1;
		else {
			u.stream = s->stream ? 1 : 0;
			u.stream_view_type = s->view;
		}
		o = ddb_update_table(op->client, &u, dcall_done, c);
		break;
	}
	case ACT_RDS_MODIFY: {
		struct rds_modify_req	 m;
		struct drift_report	*r = op->report;

		rds_modify_req_init(&m);
		if (r->kind == DRIFT_RDS_CLUSTER)
			m.cluster_id = t->id;
		else
			m.instance_id = t->id;
		m.apply_immediately = true;
		for (size_t i = 0; i < r->nitems; i++) {
			const char	*n = r->items[i].name;

			if (p->acts[i] != ACT_RDS_MODIFY || !r->items[i].applicable)
				continue;
			if (strcmp(n, "security groups") == 0) {
				m.vpc_security_groups = (const char *const *)s->sgs;
				m.n_vpc_security_groups = s->nsgs;
			} else if (strcmp(n, "parameter group") == 0 ||
			    strcmp(n, "cluster parameter group") == 0)
				m.parameter_group = s->pgroup;
			else if (strcmp(n, "option group") == 0)
				m.option_group = s->ogroup;
			else if (strcmp(n, "Multi-AZ") == 0)
				m.multi_az = s->multi_az;
			else if (strcmp(n, "deletion protection") == 0)
				m.deletion_protection = 1;
			else if (strcmp(n, "backup retention") == 0)
				m.backup_retention = s->retention;
		}
		o = rds_modify(op->client, &m, dcall_done, c);
		break;
	}
	case ACT_RDS_TAGS: {
		struct rds_tag	*tags = xcalloc(p->add.n + 1, sizeof *tags);
		char		*target = xstrdup(op->report->target);

		for (size_t i = 0; i < p->add.n; i++) {
			tags[i].key = p->add.keys[i];
			tags[i].value = p->add.values[i];
		}
		o = rds_add_tags(op->client, t->arn, target, tags, p->add.n,
		    dcall_done, c);
		free(tags);
		free(target);
		break;
	}
	case ACT_NONE:
	case ACT__COUNT:
		break;
	}
	dcall_started(c, o);
}

/* ---- the machine ---- */

static void
dcancel_calls(struct drift_op *op)
{
	struct dcall	*c;

	for (;;) {
		for (c = op->calls; c != NULL; c = c->next)
			if (c->svc != NULL)
				break;
		if (c == NULL)
			break;
		svc_op_cancel(c->svc);
	}
}

static void
dadvance(struct drift_op *op)
{
	if (op->applying) {
		if (op->calls != NULL || op->phase == DP_DONE)
			return;
		if (!op->stopped && op->err.code == SV_OK) {
			for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
				if (wants(op, (enum act)a)) {
					apply_start(op, (enum act)a);
					return;
				}
			}
		}
		op->phase = DP_DONE;
		return;
	}
	if (op->err.code != SV_OK) {
		dcancel_calls(op);
		return;
	}
	if (op->calls != NULL)
		return;
	switch (op->phase) {
	case DP_DESCRIBE:
		if (!op->phase_started) {
			op->phase_started = true;
			read_describe(op);
			return;
		}
		op->phase = DP_DETAILS;
		read_details(op);
		break;
	case DP_DETAILS:
		if (op->report->kind == DRIFT_DYNAMODB)
			compare_ddb(op->report);
		else
			compare_rds(op->report);
		number_steps(op->report);
		op->phase = DP_DONE;
		break;
	case DP_DONE:
	case DP_APPLY:
		break;
	}
}

static void
dfinish(struct drift_op *op)
{
	if (op->finished)
		return;
	op->finished = true;
	if (op->applying) {
		if (op->err.code != SV_OK)
			op->apply_done(op->data, op->err.code, &op->err);
		else if (op->first.code != SV_OK)
			op->apply_done(op->data, op->first.code, &op->first);
		else
			op->apply_done(op->data, SV_OK, NULL);
	} else if (op->err.code != SV_OK) {
		op->done(op->data, op->err.code, &op->err, NULL);
		drift_report_free(op->report);
	} else
		op->done(op->data, SV_OK, NULL, op->report);
	free(op);
}

static void
dstep(struct drift_op *op)
{
	if (op->in_step) {
		op->again = true;
		return;
	}
	op->in_step = true;
	do {
		op->again = false;
		dadvance(op);
	} while (op->again);
	op->in_step = false;
	if ((op->phase == DP_DONE || op->err.code != SV_OK) && op->calls == NULL) {
		if (!op->started)
			op->deferred = true;
		else
			dfinish(op);
	}
}

static sv_result
parse_pair(const char *src_uri, const char *target_uri, struct resource *a,
    struct resource *b, struct sv_err *err)
{
	if (src_uri == NULL || target_uri == NULL)
		return sv_err_set(err, SV_E_USAGE, "drift needs a source and a target");
	if (resource_parse(src_uri, a, err) != SV_OK ||
	    resource_parse(target_uri, b, err) != SV_OK)
		return err->code;
	if (a->kind != b->kind || (a->kind != RES_TABLE && a->kind != RES_INSTANCE &&
	    a->kind != RES_CLUSTER))
		return sv_err_set(err, SV_E_USAGE, "drift compares two DynamoDB tables "
		    "(dynamodb://SRC dynamodb://TARGET), two DB instances "
		    "(rds://SRC rds://TARGET) or two DB clusters "
		    "(rds-cluster://SRC rds-cluster://TARGET)");
	if (strcmp(a->name, b->name) == 0)
		return sv_err_set(err, SV_E_USAGE, "the source and the target are the "
		    "same (%s)", a->name);
	return SV_OK;
}

sv_result
drift_validate(const char *src_uri, const char *target_uri, struct sv_err *err)
{
	struct resource	a, b;
	sv_result	result;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	result = parse_pair(src_uri, target_uri, &a, &b, err);
	resource_free(&a);
	resource_free(&b);
	return result;
}

struct drift_op *
drift_start(struct aws_client *client, const char *src_uri, const char *target_uri,
    drift_done_fn done, void *data, struct sv_err *err)
{
	struct resource		 a, b;
	struct drift_op		*op = NULL;
	struct drift_report	*r;
	struct drift_priv	*p;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (parse_pair(src_uri, target_uri, &a, &b, err) != SV_OK)
		goto out;
	op = xcalloc(1, sizeof *op);
	op->client = client;
	op->done = done;
	op->data = data;
	sv_err_init(&op->err);
	sv_err_init(&op->first);
	op->report = r = xcalloc(1, sizeof *r);
	r->priv = p = xcalloc(1, sizeof *p);
	r->kind = a.kind == RES_TABLE ? DRIFT_DYNAMODB : a.kind == RES_CLUSTER ?
	    DRIFT_RDS_CLUSTER : DRIFT_RDS;
	r->src = resource_uri(&a);
	r->target = resource_uri(&b);
	r->target_name = xstrdup(b.name);
	p->s[0].id = xstrdup(a.name);
	p->s[1].id = xstrdup(b.name);
	op->phase = DP_DESCRIBE;
	dstep(op);
	op->started = true;
out:
	resource_free(&a);
	resource_free(&b);
	return op;
}

struct drift_op *
drift_apply(struct aws_client *client, struct drift_report *r,
    drift_progress_fn prog, drift_apply_done_fn done, void *data,
    struct sv_err *err)
{
	struct drift_priv	*p = r->priv;
	struct drift_op		*op;
	const char		*st = p->s[1].status != NULL ? p->s[1].status : "-";

	if (r->napplicable == 0) {
		sv_err_set(err, SV_E_INVALID, "nothing to re-apply on %s", r->target);
		return NULL;
	}
	/* RDS takes changes while its first backup runs (backing-up). */
	if ((r->kind == DRIFT_DYNAMODB && strcmp(st, "ACTIVE") != 0) ||
	    (r->kind != DRIFT_DYNAMODB && strcmp(st, "available") != 0 &&
	    strcmp(st, "backing-up") != 0)) {
		sv_err_set(err, SV_E_INVALID, "%s is %s: re-apply its settings once it "
		    "is %s", r->target, st, r->kind == DRIFT_DYNAMODB ? "ACTIVE" :
		    "available");
		return NULL;
	}
	op = xcalloc(1, sizeof *op);
	op->client = client;
	op->report = r;
	op->applying = true;
	op->phase = DP_APPLY;
	op->apply_done = done;
	op->progress = prog;
	op->data = data;
	sv_err_init(&op->err);
	sv_err_init(&op->first);
	dstep(op);
	op->started = true;
	return op;
}

void
drift_cancel(struct drift_op *op)
{
	struct sv_err	e;

	if (op == NULL || op->finished)
		return;
	sv_err_init(&e);
	sv_err_set(&e, SV_E_CANCELLED, "cancelled");
	op->stopped = true;
	op->in_step = true;
	if (!op->applying)
		dfail(op, SV_E_CANCELLED, &e);
	dcancel_calls(op);
	op->in_step = false;
	if (op->applying && op->first.code == SV_OK)
		sv_err_set(&op->first, SV_E_CANCELLED, "cancelled");
	dfinish(op);
}

int
drift_timeout_ms(const struct drift_op *op)
{
	return op != NULL && op->deferred && !op->finished ? 0 : -1;
}

void
drift_tick(struct drift_op *op)
{
	if (op != NULL && op->deferred)
		dfinish(op);
}

/* ---- synchronous ---- */

struct dsync {
	bool			 done;
	sv_result		 result;
	struct sv_err		*err;
	struct drift_report	**out;
	drift_progress_fn	 prog;
	void			*data;
};

static void
sync_read_done(void *arg, sv_result r, const struct sv_err *e,
    struct drift_report *report)
{
	struct dsync	*s = arg;

	s->done = true;
	s->result = r;
	if (r != SV_OK)
		sv_err_set(s->err, r, "%s", e != NULL ? e->msg : sv_result_str(r));
	else
		*s->out = report;
}

static void
sync_apply_done(void *arg, sv_result r, const struct sv_err *e)
{
	struct dsync	*s = arg;

	s->done = true;
	s->result = r;
	if (r != SV_OK)
		sv_err_set(s->err, r, "%s", e != NULL ? e->msg : sv_result_str(r));
}

static void
sync_progress(void *arg, const struct drift_item *it)
{
	struct dsync	*s = arg;

	if (s->prog != NULL)
		s->prog(s->data, it);
}

static sv_result
sync_run(struct aws_client *client, struct drift_op *op, struct dsync *s)
{
	struct http_engine	*eng = aws_client_engine(client);

	while (!s->done) {
		if (drift_timeout_ms(op) == 0) {
			drift_tick(op);
			break;
		}
		if (!http_engine_busy(eng)) {
			drift_cancel(op);
			sv_err_init(s->err);
			return sv_err_set(s->err, SV_E_NET, "the request engine stopped "
			    "before the operation completed");
		}
		http_engine_run_until(eng, &s->done);
	}
	return s->result;
}

sv_result
drift_sync(struct aws_client *client, const char *src_uri, const char *target_uri,
    struct drift_report **out, struct sv_err *err)
{
	struct dsync	 s = { false, SV_OK, err, out, NULL, NULL };
	struct drift_op	*op;

	*out = NULL;
	op = drift_start(client, src_uri, target_uri, sync_read_done, &s, err);
	if (op == NULL)
		return err->code;
	return sync_run(client, op, &s);
}

sv_result
drift_apply_sync(struct aws_client *client, struct drift_report *r,
    drift_progress_fn prog, void *data, struct sv_err *err)
{
	struct dsync	 s = { false, SV_OK, err, NULL, prog, data };
	struct drift_op	*op;

	op = drift_apply(client, r, sync_progress, sync_apply_done, &s, err);
	if (op == NULL)
		return err->code;
	return sync_run(client, op, &s);
}
