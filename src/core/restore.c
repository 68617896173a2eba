/* restore.c - what every restore kind shares (see restore.h): the kind
 * for a request, the pure planning steps (point, data loss, target,
 * notes), the plan and outcome as JSON, and the asynchronous op
 * machinery (deferred completion, the poll timer, cancellation, the
 * synchronous wrappers). */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/conf.h"
#include "core/restore.h"
#include "svc/svc.h"
#include "util/str.h"
#include "util/xalloc.h"

#define RESTORE_DEFAULT_SUFFIX	"-restored-"	/* + YYYYMMDDHHMM */
#define RESTORE_DDB_NAME_MAX	255
#define RESTORE_RDS_ID_MAX	63
#define RESTORE_POLL_FIRST_MS	1000
#define RESTORE_POLL_MAX_MS	15000

static const char *const kind_names[RESTORE_KIND__COUNT] = {
	"ddb-pitr", "ddb-backup", "rds-pitr", "rds-snapshot", "rds-cluster-pitr",
	"s3-version", "s3-undelete", "s3-prefix", "rds-cluster-snapshot",
	"backup-recovery-point"
};

static const struct restore_kind_ops *const kind_ops[RESTORE_KIND__COUNT] = {
	&restore_ddb_pitr_ops,
	&restore_ddb_backup_ops,
	&restore_rds_pitr_ops,
	&restore_rds_snapshot_ops,
	&restore_rds_cluster_pitr_ops,
	&restore_s3_version_ops,
	&restore_s3_undelete_ops,
	&restore_s3_prefix_ops,
	&restore_rds_cluster_snapshot_ops,
	&restore_backup_point_ops
};

const char *
restore_kind_name(enum restore_kind k)
{
	return (unsigned)k < RESTORE_KIND__COUNT ? kind_names[k] : "unknown";
}

bool
restore_kind_cluster(enum restore_kind k)
{
	return k == RESTORE_RDS_CLUSTER_PITR || k == RESTORE_RDS_CLUSTER_SNAPSHOT;
}

const char *
restore_action_name(enum restore_action a)
{
	switch (a) {
	case RESTORE_ACT_CALL:
		return "call";
	case RESTORE_ACT_RESTORE_VERSION:
		return "restore-version";
	case RESTORE_ACT_UNDELETE:
		return "undelete";
	case RESTORE_ACT_DELETE_NEW:
		return "delete-new";
	case RESTORE_ACT_LEAVE_NEW:
		return "leave-new";
	case RESTORE_ACT_UNCHANGED:
		return "unchanged";
	}
	return "unknown";
}

static bool
kind_is_ddb(enum restore_kind k)
{
	return k == RESTORE_DDB_PITR || k == RESTORE_DDB_BACKUP;
}

static bool
kind_is_rds(enum restore_kind k)
{
	return k == RESTORE_RDS_PITR || k == RESTORE_RDS_SNAPSHOT ||
	    restore_kind_cluster(k);
}

static bool
kind_is_s3(enum restore_kind k)
{
	return k == RESTORE_S3_VERSION || k == RESTORE_S3_UNDELETE ||
	    k == RESTORE_S3_PREFIX;
}

/* ---- carry options ---- */

static const struct {
	const char	*name;
	unsigned	 bit;
} carry_names[] = {
	{ "security-groups", RESTORE_CARRY_SECURITY_GROUPS },
	{ "subnet-group", RESTORE_CARRY_SUBNET_GROUP },
	{ "parameter-group", RESTORE_CARRY_PARAMETER_GROUP },
	{ "multi-az", RESTORE_CARRY_MULTI_AZ }
};
#define NCARRY (sizeof carry_names / sizeof carry_names[0])

sv_result
restore_carry_parse(const char *s, unsigned *out, struct sv_err *err)
{
	char	*copy = xstrdup(s != NULL ? s : ""), *save = NULL, *w;
	sv_result result = SV_OK;

	*out = 0;
	for (w = strtok_r(copy, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		size_t i;

		w = str_trim(w);
		if (strcmp(w, "all") == 0) {
			*out |= RESTORE_CARRY_ALL;
			continue;
		}
		if (strcmp(w, "none") == 0)
			continue;
		for (i = 0; i < NCARRY; i++)
			if (strcmp(w, carry_names[i].name) == 0)
				break;
		if (i == NCARRY) {
			result = sv_err_set(err, SV_E_USAGE, "--carry: unknown setting '%s' "
			    "(use security-groups, subnet-group, parameter-group, "
			    "multi-az, all or none)", w);
			goto out;
		}
		*out |= carry_names[i].bit;
	}
out:
	free(copy);
	return result;
}

void
restore_carry_format(unsigned carry, char *out, size_t outsz)
{
	size_t	len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NCARRY; i++) {
		if ((carry & carry_names[i].bit) == 0)
			continue;
		len += (size_t)snprintf(out + len, len < outsz ? outsz - len : 0, "%s%s",
		    len > 0 ? "," : "", carry_names[i].name);
	}
	if (len == 0)
		snprintf(out, outsz, "none");
}

/* ---- the request ---- */

void
restore_request_init(struct restore_request *req)
{
	memset(req, 0, sizeof *req);
	req->to = SV_TIME_NONE;
	req->incident = SV_TIME_NONE;
	req->now = SV_TIME_NONE;
}

sv_result
restore_conf_rto(const struct conf *cf, int64_t *ms, struct sv_err *err)
{
	long	minutes = 0;

	*ms = 0;
	if (cf == NULL)
		return SV_OK;
	if (conf_get_int(cf, "rto_target", 1, 10080, 0, &minutes, err) != SV_OK)
		return SV_E_CONFIG;
	*ms = (int64_t)minutes * 60000;
	return SV_OK;
}

/* ---- the plan: building blocks ---- */

static char *
vfmt(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		abort();
	return s;
}

struct restore_step *
restore_plan_add_step(struct restore_plan *p, enum aws_op_id op, enum restore_action a,
    const char *target, const char *fmt, ...)
{
	struct restore_step	*s;
	va_list			 ap;

	if (p->nsteps == p->capsteps) {
		p->capsteps = p->capsteps == 0 ? 4 : p->capsteps * 2;
		p->steps = xreallocarray(p->steps, p->capsteps, sizeof *p->steps);
	}
	s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof *s);
	s->op = op;
	s->action = a;
	s->target = target != NULL ? xstrdup(target) : NULL;
	va_start(ap, fmt);
	s->summary = vfmt(fmt, ap);
	va_end(ap);
	return s;
}

static void
strv_add(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

void
restore_plan_note(struct restore_plan *p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	strv_add(&p->notes, &p->nnotes, vfmt(fmt, ap));
	va_end(ap);
}

void
restore_plan_warn(struct restore_plan *p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	strv_add(&p->warnings, &p->nwarnings, vfmt(fmt, ap));
	va_end(ap);
}

size_t
restore_plan_mutations(const struct restore_plan *p)
{
	size_t	n = 0;

	if (p->dry_run)
		return 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct aws_op *op;

		if (p->steps[i].op == OP__COUNT)
			continue;
		op = aws_op_get(p->steps[i].op);
		if (op != NULL && op->mutating)
			n++;
	}
	return n;
}

void
restore_plan_free(struct restore_plan *p)
{
	if (p == NULL)
		return;
	resource_free(&p->source);
	free(p->source_uri);
	free(p->origin_uri);
	free(p->target);
	free(p->target_uri);
	free(p->point_id);
	for (size_t i = 0; i < p->nsteps; i++) {
		free(p->steps[i].target);
		free(p->steps[i].summary);
		free(p->steps[i].key);
		free(p->steps[i].version_id);
		aws_kvlist_free(&p->steps[i].params);
	}
	free(p->steps);
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	if (p->kdata_free != NULL)
		p->kdata_free(p->kdata);
	free(p);
}

/* "<source>-restored-YYYYMMDDHHMM", the source shortened to fit max. */
static char *
default_target(const char *source, sv_time now, size_t max)
{
	char	stamp[SV_TIME_ISO_MAX], ymdhm[16];
	size_t	keep, fixed;
	char	*src = xstrdup(source);

	sv_time_format_iso(now, stamp, false);	/* 2026-11-20T14:30:00Z */
	snprintf(ymdhm, sizeof ymdhm, "%.4s%.2s%.2s%.2s%.2s", stamp, stamp + 5,
	    stamp + 8, stamp + 11, stamp + 14);
	fixed = strlen(RESTORE_DEFAULT_SUFFIX) + strlen(ymdhm);
	keep = max > fixed ? max - fixed : 1;
	if (strlen(src) > keep)
		src[keep] = '\0';
	/* RDS ids may not end in '-' nor contain "--". */
	while (src[0] != '\0' && src[strlen(src) - 1] == '-')
		src[strlen(src) - 1] = '\0';
	{
		char *t = xasprintf("%s%s%s", src, RESTORE_DEFAULT_SUFFIX, ymdhm);

		free(src);
		return t;
	}
}

enum target_what { TARGET_TABLE, TARGET_INSTANCE, TARGET_CLUSTER };

/* The target: given, or "<name>-restored-<stamp>"; checked as a table name
 * or an RDS identifier. */
static sv_result
plan_target(struct restore_plan *p, const char *given, const char *name,
    enum target_what what, struct sv_err *err)
{
	sv_result	result;

	free(p->target);
	free(p->target_uri);
	p->target_uri = NULL;
	p->target_default = given == NULL;
	if (given != NULL)
		p->target = xstrdup(given);
	else
		p->target = default_target(name, p->planned_at,
		    what == TARGET_TABLE ? RESTORE_DDB_NAME_MAX :
		    what == TARGET_CLUSTER ? RESTORE_RDS_ID_MAX - 2 :
		    RESTORE_RDS_ID_MAX);
	if (what == TARGET_TABLE) {
		if (!resource_valid_table(p->target, err)) {
			result = sv_err_set(err, SV_E_USAGE, "invalid target table name");
			sv_err_prefix(err, "--target %s", p->target);
			return result;
		}
		p->target_uri = xasprintf("dynamodb://%s", p->target);
		return SV_OK;
	}
	{
		const char *w = what == TARGET_CLUSTER ? "DB cluster identifier" :
		    "DB instance identifier";

		if (!resource_valid_rds_id(p->target, w, err)) {
			result = sv_err_set(err, SV_E_USAGE, "invalid %s", w);
			sv_err_prefix(err, "--target %s", p->target);
			return result;
		}
	}
	if (what == TARGET_CLUSTER && strlen(p->target) > RESTORE_RDS_ID_MAX - 2)
		return sv_err_set(err, SV_E_USAGE, "--target %s: at most %d "
		    "characters for a cluster (its first instance is named "
		    "TARGET-1)", p->target, RESTORE_RDS_ID_MAX - 2);
	p->target_uri = xasprintf("%s://%s", what == TARGET_CLUSTER ?
	    "rds-cluster" : "rds", p->target);
	return SV_OK;
}

sv_result
restore_plan_set_target(struct restore_plan *p, const char *given,
    const char *name, bool table, struct sv_err *err)
{
	return plan_target(p, given, name, table ? TARGET_TABLE : TARGET_INSTANCE,
	    err);
}

static sv_result
choose_kind(const struct restore_request *req, const struct resource *res,
    enum restore_kind *kind, struct sv_err *err)
{
	bool	at = req->latest || req->to != SV_TIME_NONE;
	int	given = (at ? 1 : 0) + (req->backup != NULL) + (req->snapshot != NULL) +
		    (req->version != NULL) + (req->undelete ? 1 : 0) +
		    (req->recovery_point != NULL);

	if (given == 0)
		return sv_err_set(err, SV_E_USAGE, "say what to restore from: --to "
		    "TIME|latest, --backup ARN (DynamoDB), --snapshot ID (RDS), "
		    "--version VID (S3) or --recovery-point ARN (backup://VAULT)");
	if (given > 1 || (req->latest && req->to != SV_TIME_NONE))
		return sv_err_set(err, SV_E_USAGE, "give only one of --to, --backup, "
		    "--snapshot, --version and --recovery-point");
	if (req->recovery_point != NULL && res->kind != RES_VAULT &&
	    res->kind != RES_TABLE && res->kind != RES_INSTANCE)
		return sv_err_set(err, SV_E_USAGE, "--recovery-point ARN restores an "
		    "AWS Backup recovery point of a table or DB instance: name its "
		    "vault (backup://VAULT; salvage ls backup:// lists them), the "
		    "table (dynamodb://TABLE) or the DB instance (rds://ID)");
	switch (res->kind) {
	case RES_TABLE:
		if (at) {
			*kind = RESTORE_DDB_PITR;
			return SV_OK;
		}
		/* DynamoDB lists AWS Backup's advanced backups with recovery
		 * point ARNs: only AWS Backup restores them. */
		if (req->recovery_point != NULL ||
		    restore_backup_arn(req->backup)) {
			*kind = RESTORE_BACKUP_POINT;
			return SV_OK;
		}
		if (req->backup != NULL) {
			*kind = RESTORE_DDB_BACKUP;
			return SV_OK;
		}
		return sv_err_set(err, SV_E_USAGE, "a DynamoDB table is restored with "
		    "--to TIME|latest (point-in-time recovery) or --backup ARN");
	case RES_INSTANCE:
		if (at) {
			*kind = RESTORE_RDS_PITR;
			return SV_OK;
		}
		if (req->snapshot != NULL) {
			*kind = RESTORE_RDS_SNAPSHOT;
			return SV_OK;
		}
		if (req->recovery_point != NULL) {
			*kind = RESTORE_BACKUP_POINT;
			return SV_OK;
		}
		return sv_err_set(err, SV_E_USAGE, "a DB instance is restored with --to "
		    "TIME|latest (point-in-time recovery), --snapshot ID or "
		    "--recovery-point ARN (AWS Backup)");
	case RES_CLUSTER:
		if (at) {
			*kind = RESTORE_RDS_CLUSTER_PITR;
			return SV_OK;
		}
		if (req->snapshot != NULL) {
			*kind = RESTORE_RDS_CLUSTER_SNAPSHOT;
			return SV_OK;
		}
		return sv_err_set(err, SV_E_USAGE, "a DB cluster is restored with --to "
		    "TIME|latest (point-in-time recovery) or --snapshot ID (a cluster "
		    "snapshot)");
	case RES_OBJECT:
		if (req->version != NULL || (req->to != SV_TIME_NONE && !req->latest)) {
			*kind = RESTORE_S3_VERSION;
			return SV_OK;
		}
		if (req->undelete) {
			*kind = RESTORE_S3_UNDELETE;
			return SV_OK;
		}
		return sv_err_set(err, SV_E_USAGE, "an S3 object is restored with "
		    "--version VID (or --to TIME: the version current then), or undeleted "
		    "with salvage undelete");
	case RES_PREFIX:
	case RES_BUCKET:
		if (req->to != SV_TIME_NONE && !req->latest) {
			*kind = RESTORE_S3_PREFIX;
			return SV_OK;
		}
		return sv_err_set(err, SV_E_USAGE, "a prefix is restored with --to TIME "
		    "(every key under it back to its state then)");
	case RES_VAULT:
		if (res->name != NULL && req->recovery_point != NULL) {
			*kind = RESTORE_BACKUP_POINT;
			return SV_OK;
		}
		return sv_err_set(err, SV_E_USAGE, "a recovery point is restored with "
		    "salvage restore backup://VAULT --recovery-point ARN ('salvage "
		    "points backup://VAULT' lists them)");
	default:
		break;
	}
	return sv_err_set(err, SV_E_USAGE, "cannot restore %s: name one table "
	    "(dynamodb://TABLE), DB instance (rds://ID), DB cluster "
	    "(rds-cluster://ID), S3 object (s3://BUCKET/KEY) or prefix "
	    "(s3://BUCKET/PREFIX/)", req->uri);
}

sv_result
restore_plan_new(const struct restore_request *req, struct restore_plan **out,
    struct sv_err *err)
{
	struct restore_plan	*p = xcalloc(1, sizeof *p);
	sv_result		 result;
	const char		*what;

	*out = NULL;
	p->requested = SV_TIME_NONE;
	p->time = SV_TIME_NONE;
	p->reference = SV_TIME_NONE;
	p->loss_ms = -1;
	p->window.status = PITR_NONE;
	p->window.earliest = p->window.latest = SV_TIME_NONE;
	p->planned_at = req->now != SV_TIME_NONE ? req->now : sv_time_now();
	if (req->uri == NULL) {
		result = sv_err_set(err, SV_E_USAGE, "missing the resource URI");
		goto fail;
	}
	if ((result = resource_parse(req->uri, &p->source, err)) != SV_OK)
		goto fail;
	if ((result = choose_kind(req, &p->source, &p->kind, err)) != SV_OK)
		goto fail;
	if (req->iam_role != NULL && p->kind != RESTORE_BACKUP_POINT) {
		result = sv_err_set(err, SV_E_USAGE, "--iam-role applies to a restore "
		    "of an AWS Backup recovery point (--recovery-point ARN) only");
		goto fail;
	}
	p->ops = kind_ops[p->kind];
	p->source_uri = resource_uri(&p->source);
	p->origin_uri = xstrdup(p->source_uri);
	p->latest = req->latest;
	p->requested = req->latest ? SV_TIME_NONE : req->to;
	p->carry = req->carry;
	p->delete_new = req->delete_new;
	p->dry_run = req->dry_run;
	p->rto_target_ms = req->rto_target_ms;
	what = kind_is_ddb(p->kind) ? "DynamoDB" : "RDS";

	if (req->carry != 0 && !kind_is_rds(p->kind)) {
		result = sv_err_set(err, SV_E_USAGE, "--carry applies to RDS restores only");
		goto fail;
	}
	if (req->delete_new && p->kind != RESTORE_S3_PREFIX) {
		result = sv_err_set(err, SV_E_USAGE, "--delete-new applies to a prefix "
		    "restore (s3://BUCKET/PREFIX/ --to TIME) only");
		goto fail;
	}
	if (p->kind == RESTORE_BACKUP_POINT) {
		if (req->overwrite) {
			result = sv_err_set(err, SV_E_USAGE, "AWS Backup cannot restore "
			    "onto an existing resource: a restore always creates a new "
			    "one. Restore to a new --target, then point the application "
			    "at it");
			goto fail;
		}
		/* The target's kind is known once the point is described. */
		*out = p;
		return SV_OK;
	}
	if (kind_is_s3(p->kind)) {
		if (req->target != NULL) {
			result = sv_err_set(err, SV_E_USAGE, "an S3 restore writes a new "
			    "current version of the same key (history is kept): --target "
			    "does not apply");
			goto fail;
		}
		p->target = xstrdup(p->source.key != NULL ? p->source.key : "");
		p->target_uri = xstrdup(p->source_uri);
		*out = p;
		return SV_OK;
	}
	if (req->overwrite) {
		result = sv_err_set(err, SV_E_USAGE, "%s cannot restore onto an existing "
		    "%s: a restore always creates a new one. Restore to a new --target, "
		    "then point the application at it (or copy the data back)", what,
		    resource_kind_name(p->source.kind));
		goto fail;
	}
	if ((result = plan_target(p, req->target, p->source.name,
	    kind_is_ddb(p->kind) ? TARGET_TABLE : restore_kind_cluster(p->kind) ?
	    TARGET_CLUSTER : TARGET_INSTANCE, err)) != SV_OK)
		goto fail;
	/* A target named like the source is allowed only when the source is
	 * gone (the table-loss case): restore_plan_check_target decides, once
	 * it knows whether the name is taken. */
	*out = p;
	return SV_OK;
fail:
	restore_plan_free(p);
	return result;
}

static void
fmt_time(sv_time t, char out[SV_TIME_ISO_MAX])
{
	if (t == SV_TIME_NONE)
		snprintf(out, SV_TIME_ISO_MAX, "unknown");
	else
		sv_time_format_iso(t, out, t % 1000 != 0);
}

/* What to do instead, when the time asked for cannot be restored by
 * point-in-time recovery: through point_set_choose. */
static void
suggest(const struct restore_plan *p, const struct point_set *set, sv_time t,
    char *out, size_t outsz)
{
	struct point_choice	c;
	char			when[SV_TIME_ISO_MAX], loss[32];
	const char		*flag = kind_is_ddb(p->kind) ? "--backup" : "--snapshot";

	out[0] = '\0';
	if (set == NULL)
		return;
	point_set_choose(set, t, &c);
	sv_duration_format(c.loss_ms, loss, sizeof loss);
	fmt_time(c.time, when);
	if (c.method == RESTORE_POINT && c.point != NULL &&
	    (c.point->kind == POINT_BACKUP || c.point->kind == POINT_SNAPSHOT))
		snprintf(out, outsz, "; the nearest earlier %s is %s (%s), %s before "
		    "that time: restore it with %s %s", point_kind_name(c.point->kind),
		    c.point->id, when, loss, flag, c.point->id);
	else if (c.method == RESTORE_PITR && c.time != t)
		snprintf(out, outsz, "; --to latest restores to %s, %s before that time",
		    when, loss);
	else if (c.method == RESTORE_NONE)
		snprintf(out, outsz, "; there is no backup or snapshot at or before it");
}

sv_result
restore_plan_choose_time(struct restore_plan *p, const struct point_set *set,
    struct sv_err *err)
{
	const struct pitr_window *w;
	char		 e[SV_TIME_ISO_MAX], l[SV_TIME_ISO_MAX], t[SV_TIME_ISO_MAX];
	char		 alt[1024];
	sv_time		 want = p->latest ? p->planned_at : p->requested;

	if (set == NULL)
		return sv_err_set(err, SV_E_INVALID, "no restore points known for %s",
		    p->source_uri);
	w = &set->pitr;
	p->window = *w;
	fmt_time(w->earliest, e);
	fmt_time(w->latest, l);
	fmt_time(want, t);
	if (w->status != PITR_ENABLED) {
		suggest(p, set, want, alt, sizeof alt);
		return sv_err_set(err, SV_E_INVALID, "point-in-time recovery is %s for "
		    "%s: nothing can be restored with --to%s", w->status == PITR_NONE ?
		    "not available" : "not enabled", p->source_uri, alt);
	}
	p->method = RESTORE_PITR;
	if (p->latest) {
		p->time = w->latest;
		p->loss_uncertain = true;
		return SV_OK;
	}
	if (want > p->planned_at) {
		return sv_err_set(err, SV_E_INVALID, "%s is in the future; the "
		    "point-in-time window of %s is %s to %s", t, p->source_uri, e, l);
	}
	if ((w->earliest != SV_TIME_NONE && want < w->earliest) ||
	    (w->latest != SV_TIME_NONE && want > w->latest)) {
		suggest(p, set, want, alt, sizeof alt);
		return sv_err_set(err, SV_E_INVALID, "%s is outside the point-in-time "
		    "window of %s: earliest %s, latest %s%s", t, p->source_uri, e, l,
		    alt);
	}
	p->time = want;
	p->loss_uncertain = w->earliest == SV_TIME_NONE || w->latest == SV_TIME_NONE;
	if (w->earliest == SV_TIME_NONE)
		restore_plan_warn(p, "the start of the point-in-time window is not known: "
		    "the service decides whether %s can be restored", t);
	return SV_OK;
}

sv_result
restore_plan_choose_point(struct restore_plan *p, const struct point *pt,
    struct sv_err *err)
{
	enum point_kind	want = p->kind == RESTORE_DDB_BACKUP ? POINT_BACKUP :
			    p->kind == RESTORE_RDS_SNAPSHOT ||
			    p->kind == RESTORE_RDS_CLUSTER_SNAPSHOT ? POINT_SNAPSHOT :
			    p->kind == RESTORE_BACKUP_POINT ? POINT_RECOVERY_POINT :
			    POINT_VERSION;
	const char	*name = point_kind_name(want);

	if (pt == NULL)
		return sv_err_set(err, SV_E_NOTFOUND, "no such %s of %s", name,
		    p->source_uri);
	if (pt->kind != want)
		return sv_err_set(err, SV_E_INVALID, "%s is a %s, not a %s", pt->id,
		    point_kind_name(pt->kind), name);
	if (!pt->usable)
		return sv_err_set(err, SV_E_INVALID, "%s %s is %s: it can be restored "
		    "once it is available", name, pt->id, pt->status != NULL ?
		    pt->status : "not available");
	p->method = RESTORE_POINT;
	p->time = pt->time;
	p->point_kind = pt->kind;
	free(p->point_id);
	p->point_id = xstrdup(pt->id);
	return SV_OK;
}

void
restore_plan_set_loss(struct restore_plan *p, const struct restore_request *req)
{
	char	a[SV_TIME_ISO_MAX], b[SV_TIME_ISO_MAX];

	p->reference_incident = req->incident != SV_TIME_NONE;
	p->reference = p->reference_incident ? req->incident : p->planned_at;
	if (p->time == SV_TIME_NONE) {
		p->loss_ms = -1;
		return;
	}
	p->loss_ms = p->reference - p->time;
	if (p->loss_ms < 0) {
		p->loss_ms = 0;
		if (p->reference_incident) {
			fmt_time(p->time, a);
			fmt_time(p->reference, b);
			restore_plan_warn(p, "the state restored (%s) is after the incident "
			    "time (%s): it may already contain the damage", a, b);
		}
	}
}

sv_result
restore_plan_check_target(struct restore_plan *p, bool exists, const char *status,
    struct sv_err *err)
{
	/* The URIs are canonical: the same scheme and name is the same. */
	bool		 same = strcmp(p->target_uri, p->origin_uri) == 0;
	const char	*noun = str_starts(p->target_uri, "dynamodb://") ? "table" :
			    str_starts(p->target_uri, "rds-cluster://") ?
			    "DB cluster" : "DB instance";

	if (!exists) {
		if (same)
			restore_plan_warn(p, "The target has the source's own name: "
			    "allowed because %s no longer exists. Check that the "
			    "application expects the restored %s under this name.",
			    p->origin_uri, noun);
		return SV_OK;
	}
	if (same)
		return sv_err_set(err, SV_E_EXISTS, "the target %s is the source "
		    "itself, which exists: a restore creates a new %s and never "
		    "overwrites one; choose another --target", p->target_uri, noun);
	return sv_err_set(err, SV_E_EXISTS, "the target %s already exists%s%s%s: a "
	    "restore always creates a new %s and never overwrites one; choose "
	    "another --target", p->target_uri, status != NULL ? " (" : "",
	    status != NULL ? status : "", status != NULL ? ")" : "", noun);
}

void
restore_plan_add_notes(struct restore_plan *p)
{
	static const char *const ddb_lost[] = {
		"time to live (TTL)",
		"DynamoDB Streams",
		"point-in-time recovery",
		"tags",
		"auto scaling policies",
		"IAM policies (resource policy)",
		"CloudWatch alarms",
		"deletion protection"
	};
	bool	cluster = restore_kind_cluster(p->kind);

	if (p->target_default)
		restore_plan_note(p, "target name chosen by salvage: %s (give --target "
		    "NAME to choose another)", p->target);
	if (kind_is_ddb(p->kind)) {
		for (size_t i = 0; i < sizeof ddb_lost / sizeof ddb_lost[0]; i++)
			restore_plan_note(p, "not carried over to %s: %s", p->target,
			    ddb_lost[i]);
		restore_plan_note(p, "kept: key schema, indexes, capacity and billing mode, "
		    "encryption");
		restore_plan_note(p, "compare and re-apply with: salvage drift %s %s",
		    p->origin_uri, p->target_uri);
		return;
	}
	if (!kind_is_rds(p->kind))
		return;
	if ((p->carry & RESTORE_CARRY_SECURITY_GROUPS) == 0)
		restore_plan_note(p, "dropped: security groups: %s gets the VPC's default "
		    "security group (--carry security-groups keeps the source's)",
		    p->target);
	if ((p->carry & RESTORE_CARRY_SUBNET_GROUP) == 0)
		restore_plan_note(p, "dropped: subnet group: %s is placed in the default "
		    "subnet group (--carry subnet-group keeps the source's)", p->target);
	if ((p->carry & RESTORE_CARRY_PARAMETER_GROUP) == 0)
		restore_plan_note(p, "dropped: parameter group: %s gets the engine's "
		    "default %sparameter group (--carry parameter-group keeps the "
		    "source's)", p->target, cluster ? "cluster " : "");
	if ((p->carry & RESTORE_CARRY_MULTI_AZ) == 0 && !cluster)
		restore_plan_note(p, "dropped: Multi-AZ: %s is single-AZ (--carry "
		    "multi-az keeps the source's setting)", p->target);
	if (cluster && (p->carry & RESTORE_CARRY_MULTI_AZ) != 0)
		restore_plan_note(p, "multi-az: an Aurora cluster is Multi-AZ through "
		    "its readers: add reader instances after the restore");
	restore_plan_note(p, "not carried over to %s: tags, deletion protection, "
	    "the option group (the engine default), monitoring settings", p->target);
	restore_plan_note(p, "compare and re-apply with: salvage drift %s %s",
	    p->origin_uri, p->target_uri);
}

/* ---- JSON ---- */

static void
kv_object(struct jsonw *j, const struct aws_kvlist *kv)
{
	jsonw_obj_begin(j);
	for (size_t i = 0; i < kv->n; i++)
		jsonw_kstr(j, kv->v[i].name, kv->v[i].value);
	jsonw_obj_end(j);
}

void
restore_plan_json(const struct restore_plan *p, struct jsonw *j)
{
	char	loss[32];

	jsonw_obj_begin(j);
	jsonw_kstr(j, "kind", restore_kind_name(p->kind));
	jsonw_kstr(j, "source", p->source_uri);
	jsonw_kstr(j, "origin", p->origin_uri);
	jsonw_kstr(j, "target", p->target_uri);
	jsonw_kstr(j, "target_name", p->target);
	jsonw_kbool(j, "target_default", p->target_default);
	jsonw_kstr(j, "method", restore_method_name(p->method));
	jsonw_kbool(j, "dry_run", p->dry_run);
	jsonw_key(j, "point");
	jsonw_obj_begin(j);
	jsonw_ktime(j, "time", p->time);
	jsonw_kbool(j, "latest", p->latest);
	jsonw_ktime(j, "requested", p->requested);
	jsonw_kstr(j, "id", p->point_id);
	jsonw_kstr(j, "kind", p->point_id != NULL ? point_kind_name(p->point_kind) :
	    p->method == RESTORE_PITR ? "pitr" : NULL);
	jsonw_obj_end(j);
	jsonw_key(j, "window");
	jsonw_obj_begin(j);
	jsonw_kstr(j, "status", pitr_status_name(p->window.status));
	jsonw_ktime(j, "earliest", p->window.earliest);
	jsonw_ktime(j, "latest", p->window.latest);
	jsonw_obj_end(j);
	jsonw_key(j, "data_loss");
	jsonw_obj_begin(j);
	jsonw_ktime(j, "reference", p->reference);
	jsonw_kbool(j, "reference_is_incident", p->reference_incident);
	jsonw_key(j, "ms");
	if (p->loss_ms < 0)
		jsonw_null(j);
	else
		jsonw_int(j, p->loss_ms);
	if (p->loss_ms >= 0)
		sv_duration_format(p->loss_ms, loss, sizeof loss);
	jsonw_kstr(j, "text", p->loss_ms >= 0 ? loss : NULL);
	jsonw_kbool(j, "uncertain", p->loss_uncertain);
	jsonw_obj_end(j);
	if (kind_is_rds(p->kind)) {
		jsonw_key(j, "carry");
		jsonw_arr_begin(j);
		for (size_t i = 0; i < NCARRY; i++)
			if (p->carry & carry_names[i].bit)
				jsonw_str(j, carry_names[i].name);
		jsonw_arr_end(j);
	}
	jsonw_key(j, "rto_target_ms");
	if (p->rto_target_ms > 0)
		jsonw_int(j, p->rto_target_ms);
	else
		jsonw_null(j);
	jsonw_ktime(j, "planned_at", p->planned_at);
	jsonw_key(j, "steps");
	jsonw_arr_begin(j);
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct restore_step *s = &p->steps[i];
		const struct aws_op *op = s->op != OP__COUNT ? aws_op_get(s->op) : NULL;

		jsonw_obj_begin(j);
		jsonw_kstr(j, "op", op != NULL ? op->name : NULL);
		jsonw_kstr(j, "action", restore_action_name(s->action));
		jsonw_kbool(j, "mutating", op != NULL && op->mutating);
		jsonw_kstr(j, "target", s->target);
		jsonw_kstr(j, "summary", s->summary);
		if (s->key != NULL)
			jsonw_kstr(j, "key", s->key);
		if (s->version_id != NULL)
			jsonw_kstr(j, "version_id", s->version_id);
		jsonw_key(j, "params");
		kv_object(j, &s->params);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
	jsonw_kint(j, "mutating_calls", (long long)restore_plan_mutations(p));
	jsonw_key(j, "notes");
	jsonw_arr_begin(j);
	for (size_t i = 0; i < p->nnotes; i++)
		jsonw_str(j, p->notes[i]);
	jsonw_arr_end(j);
	jsonw_key(j, "warnings");
	jsonw_arr_begin(j);
	for (size_t i = 0; i < p->nwarnings; i++)
		jsonw_str(j, p->warnings[i]);
	jsonw_arr_end(j);
	if (p->ops != NULL && p->ops->json != NULL)
		p->ops->json(p, j);
	jsonw_obj_end(j);
}

static void
write_plan(const void *p, const void *unused, struct jsonw *j)
{
	(void)unused;
	restore_plan_json(p, j);
}

static void
write_outcome(const void *p, const void *o, struct jsonw *j)
{
	restore_outcome_json(p, o, j);
}

static cJSON *
or_object(cJSON *c)
{
	return c != NULL ? c : cJSON_CreateObject();
}

cJSON *
restore_plan_cjson(const struct restore_plan *p)
{
	return or_object(jsonw_to_cjson(write_plan, p, NULL));
}

/* ---- the outcome ---- */

void
restore_in_progress(const struct restore_plan *p, const struct restore_outcome *o,
    char *what, size_t whatsz, char *how, size_t howsz)
{
	/* AWS Backup creates the target only when its job runs: the job
	 * (its id is the detail of the one call) is what to look at. */
	if (p->kind == RESTORE_BACKUP_POINT && o->nsteps > 0 &&
	    o->steps[0].detail != NULL) {
		snprintf(what, whatsz, "restore job %s", o->steps[0].detail);
		snprintf(how, howsz, "aws backup describe-restore-job "
		    "--restore-job-id %s, then salvage ls %s", o->steps[0].detail,
		    p->target_uri);
		return;
	}
	snprintf(what, whatsz, "%s", p->target_uri);
	snprintf(how, howsz, "salvage ls %s", p->target_uri);
}

void
restore_outcome_init(struct restore_outcome *o)
{
	memset(o, 0, sizeof *o);
	sv_err_init(&o->err);
	o->percent = -1;
	o->started = SV_TIME_NONE;
	o->finished = SV_TIME_NONE;
}

void
restore_outcome_free(struct restore_outcome *o)
{
	for (size_t i = 0; i < o->nsteps; i++) {
		free(o->steps[i].message);
		free(o->steps[i].detail);
	}
	free(o->steps);
	free(o->target_arn);
	free(o->status);
	restore_outcome_init(o);
}

static void
outcome_size(struct restore_outcome *o, size_t n)
{
	if (o->nsteps >= n)
		return;
	o->steps = xreallocarray(o->steps, n, sizeof *o->steps);
	memset(o->steps + o->nsteps, 0, (n - o->nsteps) * sizeof *o->steps);
	o->nsteps = n;
}

void
restore_outcome_step(struct restore_outcome *o, size_t i, sv_result r,
    const struct sv_err *err, const char *request_id, const char *detail)
{
	struct restore_step_result *s;

	outcome_size(o, i + 1);
	s = &o->steps[i];
	if (s->done) {
		if (s->result == SV_OK)
			o->ok--;
		else if (s->result == SV_E_CANCELLED)
			o->skipped--;
		else
			o->failed--;
	}
	s->done = true;
	s->result = r;
	free(s->message);
	s->message = r != SV_OK && err != NULL && err->msg[0] != '\0' ?
	    xstrdup(err->msg) : r != SV_OK ? xstrdup(sv_result_str(r)) : NULL;
	free(s->detail);
	s->detail = detail != NULL ? xstrdup(detail) : NULL;
	str_lcpy(s->request_id, request_id != NULL ? request_id : "",
	    sizeof s->request_id);
	if (r == SV_OK)
		o->ok++;
	else if (r == SV_E_CANCELLED)
		o->skipped++;
	else
		o->failed++;
}

void
restore_outcome_json(const struct restore_plan *p, const struct restore_outcome *o,
    struct jsonw *j)
{
	jsonw_obj_begin(j);
	jsonw_kstr(j, "result", o->result == SV_OK ? "ok" : sv_result_str(o->result));
	jsonw_kstr(j, "error", o->result != SV_OK && o->err.msg[0] != '\0' ?
	    o->err.msg : NULL);
	jsonw_kbool(j, "executed", o->executed);
	jsonw_kstr(j, "target", p->target_uri);
	jsonw_kstr(j, "target_arn", o->target_arn);
	jsonw_kstr(j, "status", o->status);
	jsonw_key(j, "percent");
	if (o->percent >= 0)
		jsonw_int(j, o->percent);
	else
		jsonw_null(j);
	jsonw_kbool(j, "usable", o->usable);
	jsonw_kbool(j, "waited", o->waited);
	jsonw_kbool(j, "wait_stopped", o->wait_stopped);
	jsonw_ktime(j, "started", o->started);
	jsonw_ktime(j, "finished", o->finished);
	jsonw_kint(j, "elapsed_ms", o->elapsed_ms);
	jsonw_key(j, "rto_target_ms");
	if (p->rto_target_ms > 0)
		jsonw_int(j, p->rto_target_ms);
	else
		jsonw_null(j);
	jsonw_key(j, "rto_met");
	if (p->rto_target_ms > 0 && o->usable)
		jsonw_bool(j, o->elapsed_ms <= p->rto_target_ms);
	else
		jsonw_null(j);
	jsonw_kint(j, "ok", (long long)o->ok);
	jsonw_kint(j, "failed", (long long)o->failed);
	jsonw_kint(j, "skipped", (long long)o->skipped);
	jsonw_key(j, "steps");
	jsonw_arr_begin(j);
	for (size_t i = 0; i < o->nsteps && i < p->nsteps; i++) {
		const struct restore_step_result *s = &o->steps[i];

		jsonw_obj_begin(j);
		jsonw_kstr(j, "target", p->steps[i].target);
		if (p->steps[i].key != NULL)
			jsonw_kstr(j, "key", p->steps[i].key);
		jsonw_kstr(j, "action", restore_action_name(p->steps[i].action));
		jsonw_kstr(j, "result", !s->done ? "not-run" : s->result == SV_OK ? "ok" :
		    sv_result_str(s->result));
		jsonw_kstr(j, "error", s->message);
		jsonw_kstr(j, "detail", s->detail);
		jsonw_kstr(j, "request_id", s->request_id[0] != '\0' ? s->request_id : NULL);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
	jsonw_obj_end(j);
}

cJSON *
restore_outcome_cjson(const struct restore_plan *p, const struct restore_outcome *o)
{
	return or_object(jsonw_to_cjson(write_outcome, p, o));
}

/* ---- the op machinery ---- */

int
restore_poll_delay_ms(int n)
{
	int64_t	d = RESTORE_POLL_FIRST_MS;

	if (n <= 0)
		return 0;
	for (int i = 1; i < n && d < RESTORE_POLL_MAX_MS; i++)
		d *= 2;
	return d > RESTORE_POLL_MAX_MS ? RESTORE_POLL_MAX_MS : (int)d;
}

static struct restore_op *
op_new(struct aws_client *c, enum restore_phase phase, const struct restore_kind_ops *ops,
    void *data)
{
	struct restore_op *op = xcalloc(1, sizeof *op);

	op->phase = phase;
	op->client = c;
	op->ops = ops;
	op->data = data;
	op->due = -1;
	op->t0 = sv_monotonic_ms();
	sv_err_init(&op->err);
	return op;
}

static void
request_free(struct restore_request *r)
{
	if (r == NULL)
		return;
	free((char *)r->uri);
	free((char *)r->backup);
	free((char *)r->snapshot);
	free((char *)r->version);
	free((char *)r->recovery_point);
	free((char *)r->iam_role);
	free((char *)r->target);
	free(r);
}

static struct restore_request *
request_copy(const struct restore_request *in)
{
	struct restore_request *r = xmalloc(sizeof *r);

	*r = *in;
	r->uri = in->uri != NULL ? xstrdup(in->uri) : NULL;
	r->backup = in->backup != NULL ? xstrdup(in->backup) : NULL;
	r->snapshot = in->snapshot != NULL ? xstrdup(in->snapshot) : NULL;
	r->version = in->version != NULL ? xstrdup(in->version) : NULL;
	r->recovery_point = in->recovery_point != NULL ?
	    xstrdup(in->recovery_point) : NULL;
	r->iam_role = in->iam_role != NULL ? xstrdup(in->iam_role) : NULL;
	r->target = in->target != NULL ? xstrdup(in->target) : NULL;
	return r;
}

/* Calls done once and frees op. */
static void
op_complete(struct restore_op *op)
{
	sv_result	 r = op->result;
	struct sv_err	 err = op->err;

	op->due = -1;
	if (op->kstate_free != NULL)
		op->kstate_free(op->kstate);
	op->kstate = NULL;
	if (op->phase == RESTORE_PHASE_BUILD) {
		struct restore_plan *plan = op->plan;

		op->plan = NULL;
		if (r != SV_OK) {
			restore_plan_free(plan);
			plan = NULL;
		}
		if (op->plan_done != NULL)
			op->plan_done(op->data, plan, r, &err);
		else
			restore_plan_free(plan);
	} else {
		struct restore_outcome *o = op->outcome;

		o->result = r;
		o->err = err;
		if (o->started != SV_TIME_NONE && !o->usable)
			o->elapsed_ms = sv_time_now() - o->started;
		if (op->done != NULL)
			op->done(op->data, o, r, &err);
	}
	request_free(op->req);
	free(op);
}

static void
op_complete_due(struct restore_op *op)
{
	op_complete(op);
}

void
restore_op_fail(struct restore_op *op, sv_result r, const char *fmt, ...)
{
	struct sv_err	err;
	va_list		ap;

	sv_err_init(&err);
	va_start(ap, fmt);
	sv_err_setv(&err, r, fmt, ap);
	va_end(ap);
	restore_op_finish(op, r, &err);
}

void *
restore_op_kstate(struct restore_op *op, size_t size, void (*free_fn)(void *))
{
	if (op->kstate == NULL) {
		op->kstate = xcalloc(1, size);
		op->kstate_free = free_fn;
	}
	return op->kstate;
}

void
restore_op_finish(struct restore_op *op, sv_result r, const struct sv_err *err)
{
	if (op->finishing)
		return;
	op->finishing = true;
	op->result = r;
	sv_err_init(&op->err);
	if (r != SV_OK) {
		if (err != NULL && err->msg[0] != '\0')
			sv_err_set(&op->err, r, "%s", err->msg);
		else
			sv_err_set(&op->err, r, "%s", sv_result_str(r));
	}
	if (op->cancelling)
		return;		/* restore_op_cancel completes it */
	if (!op->started) {
		op->due = sv_monotonic_ms();
		op->on_due = op_complete_due;
		return;
	}
	op_complete(op);
}

void
restore_op_schedule(struct restore_op *op, int delay_ms, void (*fn)(struct restore_op *))
{
	if (op->finishing || op->cancelling)
		return;
	op->due = sv_monotonic_ms() + (delay_ms > 0 ? delay_ms : 0);
	op->on_due = fn;
}

int
restore_op_timeout_ms(const struct restore_op *op)
{
	int64_t	left;

	if (op == NULL || op->due < 0)
		return -1;
	left = op->due - sv_monotonic_ms();
	if (left < 0)
		return 0;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

void
restore_op_tick(struct restore_op *op)
{
	void	(*fn)(struct restore_op *);

	if (op == NULL || op->due < 0 || op->due > sv_monotonic_ms())
		return;
	fn = op->on_due;
	op->due = -1;
	op->on_due = NULL;
	if (fn != NULL)
		fn(op);
}

void
restore_op_cancel(struct restore_op *op)
{
	struct sv_err	err;

	if (op == NULL)
		return;
	op->cancelling = true;
	op->due = -1;
	if (op->ops != NULL && op->ops->cancel != NULL)
		op->ops->cancel(op);
	if (op->pending != NULL) {
		struct aws_pending *p = op->pending;

		op->pending = NULL;
		aws_cancel(p);
	}
	if (op->svc != NULL) {
		struct svc_op *s = op->svc;

		op->svc = NULL;
		svc_op_cancel(s);
	}
	sv_err_init(&err);
	if (op->phase == RESTORE_PHASE_WAIT) {
		op->outcome->wait_stopped = true;
		sv_err_set(&err, SV_E_CANCELLED, "stopped waiting for %s; the restore "
		    "goes on in AWS", op->plan->target_uri);
	} else if (op->phase == RESTORE_PHASE_EXECUTE)
		sv_err_set(&err, SV_E_CANCELLED, "stopped: no further call was sent "
		    "(calls already sent go on in AWS)");
	else
		sv_err_set(&err, SV_E_CANCELLED, "planning cancelled");
	op->finishing = true;
	op->result = SV_E_CANCELLED;
	op->err = err;
	op_complete(op);
}

bool
restore_op_cancelled(const struct restore_op *op)
{
	return op->cancelling || op->finishing;
}

void
restore_op_progress(struct restore_op *op, const char *status, int percent,
    const char *fmt, ...)
{
	struct restore_progress	pr;
	char			*msg;
	va_list			 ap;

	if (op->progress == NULL)
		return;
	va_start(ap, fmt);
	msg = vfmt(fmt, ap);
	va_end(ap);
	memset(&pr, 0, sizeof pr);
	pr.phase = op->phase == RESTORE_PHASE_BUILD ? "plan" :
	    op->phase == RESTORE_PHASE_EXECUTE ? "execute" : "wait";
	pr.done = op->next_step;
	pr.total = op->plan != NULL ? op->plan->nsteps : 0;
	pr.status = status;
	pr.percent = percent;
	pr.elapsed_ms = op->outcome != NULL && op->outcome->started != SV_TIME_NONE ?
	    sv_time_now() - op->outcome->started : sv_monotonic_ms() - op->t0;
	pr.rto_target_ms = op->plan != NULL ? op->plan->rto_target_ms : 0;
	pr.message = msg;
	op->progress(op->progress_data != NULL ? op->progress_data : op->data, &pr);
	free(msg);
}

struct restore_op *
restore_plan_build(struct aws_client *c, const struct restore_request *req,
    restore_plan_done_fn done, void *data, struct sv_err *err)
{
	struct restore_plan	*plan;
	struct restore_op	*op;

	if (restore_plan_new(req, &plan, err) != SV_OK)
		return NULL;
	op = op_new(c, RESTORE_PHASE_BUILD, plan->ops, data);
	op->plan = plan;
	op->plan_done = done;
	op->req = request_copy(req);
	op->ops->build(op);
	op->started = true;
	return op;
}

static void
noop_wait_done(struct restore_op *op)
{
	op->outcome->usable = op->outcome->result == SV_OK;
	restore_op_finish(op, SV_OK, NULL);
}

/* progress_data: where progress goes (NULL: data). Set before the kind
 * starts, because a kind may report progress from its start function. */
static struct restore_op *
execute_start(struct aws_client *c, const struct restore_plan *plan,
    struct restore_outcome *o, restore_progress_fn progress, void *progress_data,
    restore_done_fn done, void *data)
{
	struct restore_op	*op = op_new(c, RESTORE_PHASE_EXECUTE, plan->ops, data);

	op->plan = (struct restore_plan *)plan;
	op->outcome = o;
	op->progress = progress;
	op->progress_data = progress_data;
	op->done = done;
	outcome_size(o, plan->nsteps);
	if (plan->dry_run) {
		struct sv_err err;

		sv_err_init(&err);
		sv_err_set(&err, SV_E_INVALID, "this is a dry run: nothing is sent");
		restore_op_finish(op, SV_E_INVALID, &err);
	} else
		op->ops->execute(op);
	op->started = true;
	return op;
}

static struct restore_op *
wait_start(struct aws_client *c, const struct restore_plan *plan,
    struct restore_outcome *o, restore_progress_fn progress, void *progress_data,
    restore_done_fn done, void *data)
{
	struct restore_op	*op = op_new(c, RESTORE_PHASE_WAIT, plan->ops, data);

	op->plan = (struct restore_plan *)plan;
	op->outcome = o;
	op->progress = progress;
	op->progress_data = progress_data;
	op->done = done;
	o->waited = true;
	o->wait_stopped = false;
	if (op->ops->wait == NULL)
		restore_op_schedule(op, 0, noop_wait_done);
	else
		op->ops->wait(op);
	op->started = true;
	return op;
}

struct restore_op *
restore_execute(struct aws_client *c, const struct restore_plan *plan,
    struct restore_outcome *o, restore_progress_fn progress, restore_done_fn done,
    void *data)
{
	return execute_start(c, plan, o, progress, NULL, done, data);
}

struct restore_op *
restore_wait(struct aws_client *c, const struct restore_plan *plan,
    struct restore_outcome *o, restore_progress_fn progress, restore_done_fn done,
    void *data)
{
	return wait_start(c, plan, o, progress, NULL, done, data);
}

/* ---- synchronous wrappers ---- */

struct sync_state {
	bool			 done;
	sv_result		 result;
	struct sv_err		 err;
	struct restore_plan	*plan;
};

static void
sync_plan_done(void *arg, struct restore_plan *plan, sv_result r, const struct sv_err *err)
{
	struct sync_state	*s = arg;

	s->done = true;
	s->result = r;
	s->plan = plan;
	if (r != SV_OK)
		sv_err_set(&s->err, r, "%s", err->msg);
}

static void
sync_done(void *arg, struct restore_outcome *o, sv_result r, const struct sv_err *err)
{
	struct sync_state	*s = arg;

	(void)o;
	s->done = true;
	s->result = r;
	if (r != SV_OK)
		sv_err_set(&s->err, r, "%s", err->msg);
}

/* Runs the engine and the op's timer until s->done; stop cancels. */
static void
sync_run(struct aws_client *c, struct restore_op *op, struct sync_state *s,
    const volatile sig_atomic_t *stop)
{
	struct http_engine	*eng = aws_client_engine(c);

	while (!s->done) {
		int	t;

		if (stop != NULL && *stop) {
			restore_op_cancel(op);
			break;
		}
		t = restore_op_timeout_ms(op);
		if (t == 0) {
			restore_op_tick(op);
			continue;
		}
		if (t < 0 && !http_engine_busy(eng)) {
			sv_err_set(&s->err, SV_E_NET, "the restore stopped making progress "
			    "(nothing in flight and nothing scheduled)");
			s->result = SV_E_NET;
			break;
		}
		if (t < 0 || t > 1000)
			t = 1000;	/* a safety tick, and Ctrl-C is seen within a second */
		if (http_engine_poll(eng, t) != 0)
			break;
	}
}

sv_result
restore_plan_build_sync(struct aws_client *c, const struct restore_request *req,
    struct restore_plan **out, struct sv_err *err)
{
	struct sync_state	 s;
	struct restore_op	*op;

	memset(&s, 0, sizeof s);
	sv_err_init(&s.err);
	*out = NULL;
	if ((op = restore_plan_build(c, req, sync_plan_done, &s, err)) == NULL)
		return err->code != SV_OK ? err->code : SV_E_USAGE;
	sync_run(c, op, &s, NULL);
	if (s.result != SV_OK)
		return sv_err_set(err, s.result, "%s", s.err.msg);
	*out = s.plan;
	return SV_OK;
}

sv_result
restore_execute_sync(struct aws_client *c, const struct restore_plan *plan,
    struct restore_outcome *o, restore_progress_fn progress, void *data,
    const volatile sig_atomic_t *stop, struct sv_err *err)
{
	struct sync_state	 s;
	struct restore_op	*op;

	memset(&s, 0, sizeof s);
	sv_err_init(&s.err);
	op = execute_start(c, plan, o, progress, data, sync_done, &s);
	sync_run(c, op, &s, stop);
	if (s.result != SV_OK)
		return sv_err_set(err, s.result, "%s", s.err.msg);
	return SV_OK;
}

sv_result
restore_wait_sync(struct aws_client *c, const struct restore_plan *plan,
    struct restore_outcome *o, restore_progress_fn progress, void *data,
    const volatile sig_atomic_t *stop, struct sv_err *err)
{
	struct sync_state	 s;
	struct restore_op	*op;

	memset(&s, 0, sizeof s);
	sv_err_init(&s.err);
	op = wait_start(c, plan, o, progress, data, sync_done, &s);
	sync_run(c, op, &s, stop);
	if (s.result != SV_OK)
		return sv_err_set(err, s.result, "%s", s.err.msg);
	return SV_OK;
}
