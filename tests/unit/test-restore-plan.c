/* test-restore-plan.c - the pure half of restore planning (core/restore.h)
 * with synthetic point sets: the kind for a request, option checks, the
 * default target name, a time inside and outside the window (the window
 * named, the alternative suggested), latest, a backup chosen, data loss to
 * now and to an incident, the target-exists refusal, the notes (what is
 * not carried over), the JSON rendering, carry options and poll delays. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/restore.h"
#include "tap.h"
#include "util/str.h"
#include "util/xalloc.h"

#define ARN_OLD	"arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/01-old"
#define ARN_NEW	"arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/02-new"
#define ARN_CR	"arn:aws:dynamodb:us-east-1:123456789012:table/orders/backup/03-creating"

static sv_time
iso(const char *s)
{
	sv_time	t = SV_TIME_NONE;

	if (sv_time_parse_iso(s, &t) != SV_OK)
		abort();
	return t;
}

static sv_time	NOW;

static void
req_init(struct restore_request *r, const char *uri)
{
	restore_request_init(r);
	r->uri = uri;
	r->now = NOW;
}

/* A DynamoDB table with PITR over the last 7 days (latest 5 min ago), an
 * old and a new backup, and one still being created. */
static struct point_set *
ddb_set(enum pitr_status st)
{
	struct point_set	*set = xcalloc(1, sizeof *set);
	struct resource		 res;
	struct sv_err		 err;
	struct point		*p;

	sv_err_init(&err);
	resource_parse("dynamodb://orders", &res, &err);
	point_set_init(set, &res);
	resource_free(&res);
	set->pitr.status = st;
	if (st == PITR_ENABLED) {
		set->pitr.earliest = iso("2026-11-13T12:00:00Z");
		set->pitr.latest = iso("2026-11-20T11:55:00Z");
		set->pitr.retention_days = 7;
	}
	p = point_set_add(set, POINT_BACKUP, iso("2026-11-01T00:00:00Z"));
	p->id = xstrdup(ARN_OLD);
	p->status = xstrdup("AVAILABLE");
	p = point_set_add(set, POINT_BACKUP, iso("2026-11-20T06:00:00Z"));
	p->id = xstrdup(ARN_NEW);
	p->status = xstrdup("AVAILABLE");
	p = point_set_add(set, POINT_BACKUP, iso("2026-11-20T11:00:00Z"));
	p->id = xstrdup(ARN_CR);
	p->status = xstrdup("CREATING");
	p->usable = false;
	point_set_sort(set);
	return set;
}

static void
set_free(struct point_set *s)
{
	point_set_free(s);
	free(s);
}

static bool
has_note(char **v, size_t n, const char *needle)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(v[i], needle) != NULL)
			return true;
	return false;
}

static void
like(const char *msg, const char *needle, const char *name)
{
	if (!ok(strstr(msg, needle) != NULL, name))
		diag("'%s' not in: %s", needle, msg);
}

/* plan_new must refuse with code, message containing needle. */
static void
refused(struct restore_request *r, sv_result code, const char *needle, const char *name)
{
	struct restore_plan	*p = NULL;
	struct sv_err		 err;
	sv_result		 got;

	sv_err_init(&err);
	got = restore_plan_new(r, &p, &err);
	is_int(got, code, name);
	ok(p == NULL, "... no plan");
	like(err.msg, needle, "... the message says why");
}

static void
test_kinds(void)
{
	struct restore_request	 r;
	struct restore_plan	*p;
	struct sv_err		 err;
	static const struct {
		const char	*uri;
		int		 point;	/* 0 to, 1 latest, 2 backup, 3 snapshot, 4 version, 5 undelete, 6 recovery point */
		enum restore_kind kind;
	} cases[] = {
		{ "dynamodb://orders", 0, RESTORE_DDB_PITR },
		{ "dynamodb://orders", 1, RESTORE_DDB_PITR },
		{ "dynamodb://orders", 2, RESTORE_DDB_BACKUP },
		{ "rds://db1", 0, RESTORE_RDS_PITR },
		{ "rds://db1", 3, RESTORE_RDS_SNAPSHOT },
		{ "rds-cluster://cl1", 1, RESTORE_RDS_CLUSTER_PITR },
		{ "rds-cluster://cl1", 3, RESTORE_RDS_CLUSTER_SNAPSHOT },
		{ "s3://bkt/k.txt", 4, RESTORE_S3_VERSION },
		{ "s3://bkt/k.txt", 0, RESTORE_S3_VERSION },
		{ "s3://bkt/k.txt", 5, RESTORE_S3_UNDELETE },
		{ "s3://bkt/data/", 0, RESTORE_S3_PREFIX },
		{ "backup://prod-vault", 6, RESTORE_BACKUP_POINT },
		{ "dynamodb://orders", 6, RESTORE_BACKUP_POINT },
		{ "rds://db1", 6, RESTORE_BACKUP_POINT },
		{ "dynamodb://orders", 7, RESTORE_BACKUP_POINT },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[128];

		req_init(&r, cases[i].uri);
		switch (cases[i].point) {
		case 0: r.to = iso("2026-11-20T10:00:00Z"); break;
		case 1: r.latest = true; break;
		case 2: r.backup = ARN_NEW; break;
		case 3: r.snapshot = "snap-1"; break;
		case 4: r.version = "v1"; break;
		case 5: r.undelete = true; break;
		case 6: r.recovery_point = "arn:aws:backup:us-east-1:1:recovery-point:x"; break;
		case 7: r.backup = "arn:aws:backup:us-east-1:1:recovery-point:x"; break;
		}
		sv_err_init(&err);
		snprintf(name, sizeof name, "%s (point %d) is %s", cases[i].uri,
		    cases[i].point, restore_kind_name(cases[i].kind));
		if (ok(restore_plan_new(&r, &p, &err) == SV_OK && p->kind == cases[i].kind,
		    name))
			restore_plan_free(p);
		else
			diag("%s", err.msg);
	}

	req_init(&r, "backup://prod-vault");
	r.latest = true;
	refused(&r, SV_E_USAGE, "--recovery-point ARN", "a vault to 'latest': refused, "
	    "naming --recovery-point");
	req_init(&r, "backup://");
	r.recovery_point = "arn:aws:backup:us-east-1:1:recovery-point:x";
	refused(&r, SV_E_USAGE, "name its vault (backup://VAULT", "every vault: refused");
	req_init(&r, "rds-cluster://cl1");
	r.recovery_point = "arn:aws:backup:us-east-1:1:recovery-point:x";
	refused(&r, SV_E_USAGE, "of a table or DB instance", "--recovery-point on a "
	    "cluster: refused, naming what it applies to");
	ok(restore_backup_arn("arn:aws:backup:us-east-1:123456789012:recovery-point:"
	    "1EB3B5E7") && restore_backup_arn("arn:aws-cn:backup:cn-north-1:1:"
	    "recovery-point:x"), "recovery point ARNs are recognised");
	ok(!restore_backup_arn("arn:aws:dynamodb:us-east-1:1:table/t/backup/0170") &&
	    !restore_backup_arn("arn:aws:backup:us-east-1:1:backup-vault:v") &&
	    !restore_backup_arn("arn:aws:backup:us-east-1:1:recovery-point:") &&
	    !restore_backup_arn("arn:aws:backup") && !restore_backup_arn(NULL),
	    "... and DynamoDB backup ARNs, vault ARNs, truncated ones are not");
	req_init(&r, "rds://db1");
	r.latest = true;
	r.iam_role = "arn:aws:iam::1:role/r";
	refused(&r, SV_E_USAGE, "--iam-role applies", "--iam-role on RDS PITR: refused");
	req_init(&r, "backup://prod-vault");
	r.recovery_point = "arn:aws:backup:us-east-1:1:recovery-point:x";
	r.overwrite = true;
	refused(&r, SV_E_USAGE, "AWS Backup cannot restore onto an existing",
	    "overwrite from a vault: refused");
	req_init(&r, "backup://prod-vault");
	r.recovery_point = "arn:aws:backup:us-east-1:1:recovery-point:x";
	if (ok(restore_plan_new(&r, &p, &err) == SV_OK, "a vault restore plans")) {
		sv_err_init(&err);
		ok(p->target == NULL && strcmp(p->origin_uri, "backup://prod-vault") == 0,
		    "... its target waits for the point (origin: the vault until then)");
		is_int(restore_plan_set_target(p, NULL, "orders", true, &err), SV_OK,
		    "... set from the protected table's name");
		ok(str_starts(p->target_uri, "dynamodb://orders-restored-") &&
		    strlen(p->target_uri) == strlen("dynamodb://orders-restored-") + 12,
		    "... dynamodb://orders-restored-STAMP");
		ok(p->target_default, "... chosen by salvage");
		is_int(restore_plan_set_target(p, "Bad Name!", "orders", true, &err),
		    SV_E_USAGE, "... a bad --target for a table: refused");
		is_int(restore_plan_set_target(p, "billing-bk", "billing", false, &err),
		    SV_OK, "... an instance identifier");
		is_str(p->target_uri, "rds://billing-bk", "... rds://billing-bk");
		restore_plan_free(p);
	}
	req_init(&r, "dynamodb://orders");
	refused(&r, SV_E_USAGE, "--to TIME|latest", "no point given: refused");
	r.backup = ARN_NEW;
	r.latest = true;
	refused(&r, SV_E_USAGE, "only one", "two points: refused");
	req_init(&r, "dynamodb://orders");
	r.snapshot = "snap-1";
	refused(&r, SV_E_USAGE, "--backup ARN", "a table with --snapshot: refused");
	req_init(&r, "rds-cluster://cl1");
	r.backup = ARN_NEW;
	refused(&r, SV_E_USAGE, "--snapshot ID (a cluster snapshot)",
	    "a cluster with --backup: refused, naming --snapshot");
	req_init(&r, "s3://bkt/data/");
	r.latest = true;
	refused(&r, SV_E_USAGE, "--to TIME", "a prefix to 'latest': refused");
	req_init(&r, "dynamodb://");
	r.latest = true;
	refused(&r, SV_E_USAGE, "cannot restore", "every table: refused");
	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.carry = RESTORE_CARRY_ALL;
	refused(&r, SV_E_USAGE, "RDS restores only", "--carry on DynamoDB: refused");
	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.delete_new = true;
	refused(&r, SV_E_USAGE, "prefix restore", "--delete-new on DynamoDB: refused");
	req_init(&r, "s3://bkt/k.txt");
	r.version = "v1";
	r.target = "other";
	refused(&r, SV_E_USAGE, "same key", "--target on S3: refused");
	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.target = "orders-copy";
	r.overwrite = true;
	refused(&r, SV_E_USAGE, "cannot restore onto an existing",
	    "overwrite of a DynamoDB table: refused (the service cannot)");
	req_init(&r, "rds://db1");
	r.latest = true;
	r.overwrite = true;
	refused(&r, SV_E_USAGE, "RDS cannot restore onto an existing",
	    "overwrite of a DB instance: refused");
	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.target = "a";
	refused(&r, SV_E_USAGE, "--target a", "an invalid table name: refused");
	req_init(&r, "rds://db1");
	r.latest = true;
	r.target = "db--1";
	refused(&r, SV_E_USAGE, "--target db--1", "an invalid DB identifier: refused");
}

static void
test_targets(void)
{
	struct restore_request	 r;
	struct restore_plan	*p;
	struct sv_err		 err;
	char			 longname[80];

	sv_err_init(&err);
	req_init(&r, "dynamodb://orders");
	r.latest = true;
	restore_plan_new(&r, &p, &err);
	is_str(p->target, "orders-restored-202611201200", "default target name");
	ok(p->target_default, "... marked as chosen by salvage");
	is_str(p->target_uri, "dynamodb://orders-restored-202611201200", "... its URI");
	restore_plan_free(p);

	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.target = "orders-copy";
	restore_plan_new(&r, &p, &err);
	is_str(p->target_uri, "dynamodb://orders-copy", "--target is used");
	ok(!p->target_default, "... not a default");
	restore_plan_free(p);

	memset(longname, 'a', 60);
	memcpy(longname + 60, "-x", sizeof "-x");
	{
		char uri[128];

		snprintf(uri, sizeof uri, "rds://%s", longname);
		req_init(&r, uri);
		r.latest = true;
		sv_err_init(&err);
		if (ok(restore_plan_new(&r, &p, &err) == SV_OK,
		    "a long RDS source gets a valid default target")) {
			ok(strlen(p->target) <= 63, "... at most 63 characters");
			ok(strstr(p->target, "-restored-202611201200") != NULL &&
			    strstr(p->target, "--") == NULL, "... with the suffix, no '--'");
			restore_plan_free(p);
		} else
			diag("%s", err.msg);
	}
	req_init(&r, "rds-cluster://cl1");
	r.latest = true;
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_str(p->target_uri, "rds-cluster://cl1-restored-202611201200",
	    "a cluster's default target");
	restore_plan_free(p);
}

static void
test_window(void)
{
	struct point_set	*set = ddb_set(PITR_ENABLED);
	struct restore_request	 r;
	struct restore_plan	*p;
	struct sv_err		 err;

	/* Inside. */
	req_init(&r, "dynamodb://orders");
	r.to = iso("2026-11-20T10:00:00Z");
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_time(p, set, &err), SV_OK, "a time inside the window");
	is_int(p->method, RESTORE_PITR, "... point-in-time recovery");
	is_int(p->time, iso("2026-11-20T10:00:00Z"), "... to that time");
	restore_plan_set_loss(p, &r);
	is_int(p->loss_ms, 2 * 3600 * 1000, "... data loss to now: 2 h");
	ok(!p->reference_incident, "... measured to now");
	is_int(p->window.latest, iso("2026-11-20T11:55:00Z"), "... the window is kept");
	restore_plan_free(p);

	/* Inside, with an incident time: the loss is up to the incident. */
	req_init(&r, "dynamodb://orders");
	r.to = iso("2026-11-20T10:00:00Z");
	r.incident = iso("2026-11-20T10:30:00Z");
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	restore_plan_choose_time(p, set, &err);
	restore_plan_set_loss(p, &r);
	is_int(p->loss_ms, 30 * 60 * 1000, "with --incident, the loss is to the incident");
	ok(p->reference_incident && p->reference == r.incident, "... which is named");
	is_int(p->nwarnings, 0, "... no warning");
	restore_plan_free(p);

	/* Incident before the restored state: warned. */
	req_init(&r, "dynamodb://orders");
	r.to = iso("2026-11-20T10:00:00Z");
	r.incident = iso("2026-11-20T09:00:00Z");
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	restore_plan_choose_time(p, set, &err);
	restore_plan_set_loss(p, &r);
	is_int(p->loss_ms, 0, "a restore point after the incident: no loss");
	ok(p->nwarnings == 1 && strstr(p->warnings[0], "after the incident") != NULL,
	    "... but a warning that it may contain the damage");
	restore_plan_free(p);

	/* Before the window: refused, window named, the older backup offered. */
	req_init(&r, "dynamodb://orders");
	r.to = iso("2026-11-10T00:00:00Z");
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_time(p, set, &err), SV_E_INVALID,
	    "a time before the window: refused");
	like(err.msg, "outside the point-in-time window", "... saying so");
	like(err.msg, "earliest 2026-11-13T12:00:00Z", "... naming the earliest time");
	like(err.msg, "latest 2026-11-20T11:55:00Z", "... and the latest");
	like(err.msg, "--backup " ARN_OLD, "... offering the nearest earlier backup");
	restore_plan_free(p);

	/* After the window's latest (not in the future): --to latest offered. */
	req_init(&r, "dynamodb://orders");
	r.to = iso("2026-11-20T11:58:00Z");
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_time(p, set, &err), SV_E_INVALID,
	    "a time after the window's latest: refused");
	like(err.msg, "earliest 2026-11-13T12:00:00Z, latest 2026-11-20T11:55:00Z",
	    "... naming the window");
	like(err.msg, "--to latest restores to 2026-11-20T11:55:00Z", "... offering latest");
	restore_plan_free(p);

	/* In the future. */
	req_init(&r, "dynamodb://orders");
	r.to = iso("2026-11-21T00:00:00Z");
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_time(p, set, &err), SV_E_INVALID, "the future: refused");
	like(err.msg, "in the future", "... saying so");
	restore_plan_free(p);

	/* Latest. */
	req_init(&r, "dynamodb://orders");
	r.latest = true;
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_time(p, set, &err), SV_OK, "latest");
	ok(p->latest && p->method == RESTORE_PITR, "... point-in-time, latest");
	is_int(p->time, iso("2026-11-20T11:55:00Z"), "... at the window's latest edge");
	restore_plan_set_loss(p, &r);
	is_int(p->loss_ms, 5 * 60 * 1000, "... about 5 min lost");
	ok(p->loss_uncertain, "... marked approximate");
	restore_plan_free(p);
	set_free(set);

	/* PITR off: refused, the newest backup offered. */
	set = ddb_set(PITR_DISABLED);
	req_init(&r, "dynamodb://orders");
	r.to = iso("2026-11-20T10:00:00Z");
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_time(p, set, &err), SV_E_INVALID, "PITR off: refused");
	like(err.msg, "not enabled", "... saying so");
	like(err.msg, ARN_NEW, "... offering the newest usable backup before the time");
	restore_plan_free(p);
	set_free(set);
}

static void
test_backup(void)
{
	struct point_set	*set = ddb_set(PITR_ENABLED);
	struct restore_request	 r;
	struct restore_plan	*p;
	struct sv_err		 err;

	req_init(&r, "dynamodb://orders");
	r.backup = ARN_NEW;
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_point(p, point_set_find(set, ARN_NEW), &err), SV_OK,
	    "a backup is chosen");
	ok(p->method == RESTORE_POINT && p->point_kind == POINT_BACKUP, "... from a point");
	is_str(p->point_id, ARN_NEW, "... that backup");
	is_int(p->time, iso("2026-11-20T06:00:00Z"), "... its time is the state restored");
	restore_plan_set_loss(p, &r);
	is_int(p->loss_ms, 6 * 3600 * 1000, "... 6 h lost to now");
	restore_plan_free(p);

	req_init(&r, "dynamodb://orders");
	r.backup = ARN_CR;
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_point(p, point_set_find(set, ARN_CR), &err),
	    SV_E_INVALID, "a backup still CREATING: refused");
	like(err.msg, "CREATING", "... naming its status");
	restore_plan_free(p);

	req_init(&r, "dynamodb://orders");
	r.backup = "arn:nope";
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_choose_point(p, point_set_find(set, "arn:nope"), &err),
	    SV_E_NOTFOUND, "an unknown backup: not found");
	restore_plan_free(p);
	set_free(set);
}

static void
test_target_and_notes(void)
{
	struct restore_request	 r;
	struct restore_plan	*p;
	struct restore_step	*s;
	struct sv_err		 err;
	cJSON			*j, *steps;

	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.target = "orders-copy";
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	is_int(restore_plan_check_target(p, false, NULL, &err), SV_OK, "a free target");
	is_int(restore_plan_check_target(p, true, "ACTIVE", &err), SV_E_EXISTS,
	    "an existing target: refused");
	like(err.msg, "dynamodb://orders-copy already exists (ACTIVE)", "... naming it");
	like(err.msg, "choose another --target", "... saying what to do");

	restore_plan_free(p);

	/* Target named like the source: refused while the source exists,
	 * allowed with a warning when it is gone (table loss). */
	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.target = "orders";
	sv_err_init(&err);
	is_int(restore_plan_new(&r, &p, &err), SV_OK, "target = source: planned");
	is_int(restore_plan_check_target(p, true, "ACTIVE", &err), SV_E_EXISTS,
	    "target = source, source exists: refused");
	like(err.msg, "the source itself", "... saying it is the source");
	sv_err_init(&err);
	is_int(restore_plan_check_target(p, false, NULL, &err), SV_OK,
	    "target = source, source gone: allowed");
	ok(has_note(p->warnings, p->nwarnings, "no longer exists"),
	    "... with a warning that the source is gone");
	restore_plan_free(p);

	req_init(&r, "dynamodb://orders");
	r.latest = true;
	r.target = "orders-copy";
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	restore_plan_add_notes(p);
	ok(has_note(p->notes, p->nnotes, "time to live"), "notes: TTL not carried over");
	ok(has_note(p->notes, p->nnotes, "Streams"), "notes: streams");
	ok(has_note(p->notes, p->nnotes, "point-in-time recovery"), "notes: PITR");
	ok(has_note(p->notes, p->nnotes, "tags"), "notes: tags");
	ok(has_note(p->notes, p->nnotes, "auto scaling"), "notes: auto scaling");
	ok(has_note(p->notes, p->nnotes, "IAM policies"), "notes: IAM policies");
	ok(has_note(p->notes, p->nnotes, "alarms"), "notes: alarms");
	ok(has_note(p->notes, p->nnotes,
	    "salvage drift dynamodb://orders dynamodb://orders-copy"),
	    "notes: how to compare and re-apply");

	/* JSON. */
	s = restore_plan_add_step(p, OP_DDB_RestoreTableToPointInTime, RESTORE_ACT_CALL,
	    p->target_uri, "RestoreTableToPointInTime: create table %s", p->target);
	aws_kvlist_add(&s->params, "UseLatestRestorableTime", "true");
	is_int(restore_plan_mutations(p), 1, "one mutating call");
	j = restore_plan_cjson(p);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(j, "kind")), "ddb-pitr",
	    "json: kind");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(j, "target")),
	    "dynamodb://orders-copy", "json: target");
	steps = cJSON_GetObjectItem(j, "steps");
	ok(cJSON_GetArraySize(steps) == 1, "json: one step");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(steps, 0), "op")),
	    "RestoreTableToPointInTime", "json: the step's operation");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(steps, 0), "params"), "UseLatestRestorableTime")), "true",
	    "json: the step's parameters");
	ok(cJSON_GetArraySize(cJSON_GetObjectItem(j, "notes")) == (int)p->nnotes,
	    "json: the notes");
	ok(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "point"), "latest")),
	    "json: point.latest");
	cJSON_Delete(j);
	restore_plan_free(p);

	/* RDS: what is dropped unless carried. */
	req_init(&r, "rds://db1");
	r.latest = true;
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	restore_plan_add_notes(p);
	ok(has_note(p->notes, p->nnotes, "dropped: security groups"),
	    "RDS by default: security groups dropped, said");
	ok(has_note(p->notes, p->nnotes, "dropped: subnet group"), "... subnet group");
	ok(has_note(p->notes, p->nnotes, "dropped: parameter group"), "... parameter group");
	ok(has_note(p->notes, p->nnotes, "dropped: Multi-AZ"), "... Multi-AZ");
	ok(has_note(p->notes, p->nnotes, "--carry security-groups"), "... and how to keep it");
	restore_plan_free(p);

	req_init(&r, "rds://db1");
	r.latest = true;
	r.carry = RESTORE_CARRY_ALL;
	sv_err_init(&err);
	restore_plan_new(&r, &p, &err);
	restore_plan_add_notes(p);
	ok(!has_note(p->notes, p->nnotes, "dropped:"), "--carry all: nothing said dropped");
	ok(has_note(p->notes, p->nnotes, "tags"), "... tags are still not carried");
	j = restore_plan_cjson(p);
	is_int(cJSON_GetArraySize(cJSON_GetObjectItem(j, "carry")), 4, "json: carry list");
	cJSON_Delete(j);
	restore_plan_free(p);
}

static void
test_misc(void)
{
	unsigned	c = 0;
	char		buf[128];
	struct sv_err	err;

	sv_err_init(&err);
	is_int(restore_carry_parse("security-groups,multi-az", &c, &err), SV_OK,
	    "carry list parses");
	is_int(c, RESTORE_CARRY_SECURITY_GROUPS | RESTORE_CARRY_MULTI_AZ, "... the bits");
	restore_carry_format(c, buf, sizeof buf);
	is_str(buf, "security-groups,multi-az", "... formats back");
	restore_carry_parse("all", &c, &err);
	is_int(c, RESTORE_CARRY_ALL, "carry all");
	restore_carry_parse("none", &c, &err);
	restore_carry_format(c, buf, sizeof buf);
	is_str(buf, "none", "carry none");
	is_int(restore_carry_parse("security-group", &c, &err), SV_E_USAGE,
	    "an unknown carry word: refused");
	like(err.msg, "security-group'", "... naming it");

	is_int(restore_poll_delay_ms(0), 0, "first poll at once");
	is_int(restore_poll_delay_ms(1), 1000, "then 1 s");
	is_int(restore_poll_delay_ms(2), 2000, "2 s");
	is_int(restore_poll_delay_ms(4), 8000, "8 s");
	is_int(restore_poll_delay_ms(5), 15000, "capped at 15 s");
	is_int(restore_poll_delay_ms(40), 15000, "... stays capped");

	is_str(restore_kind_name(RESTORE_RDS_CLUSTER_PITR), "rds-cluster-pitr", "kind names");
	is_str(restore_kind_name(RESTORE_RDS_CLUSTER_SNAPSHOT), "rds-cluster-snapshot",
	    "kind names: rds-cluster-snapshot");
	is_str(restore_kind_name(RESTORE_BACKUP_POINT), "backup-recovery-point",
	    "kind names: backup-recovery-point");
	ok(restore_kind_cluster(RESTORE_RDS_CLUSTER_SNAPSHOT) &&
	    restore_kind_cluster(RESTORE_RDS_CLUSTER_PITR) &&
	    !restore_kind_cluster(RESTORE_RDS_SNAPSHOT), "cluster kinds");
	is_str(restore_action_name(RESTORE_ACT_LEAVE_NEW), "leave-new", "action names");
}

int
main(void)
{
	NOW = iso("2026-11-20T12:00:00Z");
	test_kinds();
	test_targets();
	test_window();
	test_backup();
	test_target_and_notes();
	test_misc();
	return done_testing();
}
