/* test-svc-parse.c - the src/svc response parsers against hand-written
 * fixtures (tests/fixtures/, after the AWS documentation's examples and
 * botocore's shapes): S3 listings and settings, DynamoDB, RDS, STS, and
 * the bodies that must fail (malformed, cut, truncated without a marker,
 * error documents). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/backup.h"
#include "svc/backup-restore.h"
#include "svc/autoscaling.h"
#include "svc/dynamodb.h"
#include "svc/rds.h"
#include "svc/s3.h"
#include "svc/sts.h"
#include "tests/unit/tap.h"
#include "util/time.h"

static int	calls;

static sv_time
iso(const char *s)
{
	sv_time	t = SV_TIME_NONE;

	if (sv_time_parse_iso(s, &t) != SV_OK)
		printf("# bad test time %s\n", s);
	return t;
}

/* The fixture being parsed (freed by the next load). */
static char	*fx_buf;
static size_t	 fx_len;

static void
load(const char *name)
{
	free(fx_buf);
	fx_buf = tap_fixture(name, &fx_len);
}

/* Runs a parser over a fixture; evaluates to its result, err filled. */
#define PARSE(fn, name, cb, err) \
	(load(name), sv_err_init(err), calls = 0, \
	    fn(fx_buf, fx_len, cb, NULL, err))
#define PARSE_ANSWER(op, name, a, err) \
	(load(name), sv_err_init(err), backup_parse_answer(op, fx_buf, fx_len, a, err))

/* ---- S3 ---- */

static bool
versions_basic(void *arg, const struct s3_versions_page *p)
{
	calls++;
	is_int(p->n, 5, "basic: 5 entries");
	is_int(p->n_prefixes, 0, "basic: no common prefixes");
	ok(!p->truncated, "basic: not truncated");
	ok(!p->url_encoded, "basic: not url-encoded");
	ok(p->next_key_marker == NULL, "basic: no next marker");
	if (p->n != 5)
		return true;
	is_str(p->entries[0].key, "my-image.jpg", "basic: key 0");
	is_str(p->entries[0].version_id, "3/L4kqtJl40Nr8X8gdRQBpUMLUo", "basic: version id 0");
	ok(p->entries[0].is_latest && !p->entries[0].delete_marker, "basic: 0 latest version");
	is_int(p->entries[0].size, 434234, "basic: size 0");
	is_str(p->entries[0].etag, "\"fba9dede5f27731c9771645a39863328\"", "basic: etag keeps quotes");
	is_str(p->entries[0].storage_class, "STANDARD", "basic: storage class");
	is_int(p->entries[0].last_modified, iso("2009-10-12T17:50:30Z"), "basic: last modified");
	is_str(p->entries[0].owner_id,
	    "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", "basic: owner");
	/* document order: the delete marker sits between versions */
	ok(p->entries[1].delete_marker, "basic: entry 1 is a delete marker");
	is_str(p->entries[1].key, "my-second-image.jpg", "basic: marker key");
	is_int(p->entries[1].size, -1, "basic: marker size -1");
	ok(p->entries[1].etag == NULL, "basic: marker etag NULL");
	ok(p->entries[1].storage_class == NULL, "basic: marker storage class NULL");
	ok(p->entries[1].is_latest, "basic: marker is latest");
	ok(!p->entries[2].delete_marker && !p->entries[2].is_latest, "basic: entry 2 old version");
	ok(p->entries[3].delete_marker && p->entries[3].owner_id == NULL,
	    "basic: marker without owner");
	is_str(p->entries[4].version_id, "null", "basic: null version id");
	is_str(p->entries[4].storage_class, "GLACIER", "basic: GLACIER");
	is_int(p->entries[4].size, 64, "basic: size 4");
	return true;
}

static bool
versions_url(void *arg, const struct s3_versions_page *p)
{
	calls++;
	ok(p->url_encoded, "url: EncodingType url seen");
	ok(p->truncated, "url: truncated");
	is_str(p->next_key_marker, "dir/snow man\xe2\x98\x83.txt", "url: next key marker decoded");
	is_str(p->next_version_id_marker, "Ph1T0S.v3", "url: next version id marker");
	is_int(p->n, 4, "url: 4 entries");
	if (p->n != 4)
		return true;
	is_str(p->entries[0].key, "dir/a b.txt", "url: %20 is a space");
	is_int(p->entries[0].last_modified, iso("2024-02-29T23:59:59.123Z"), "url: ms kept");
	is_str(p->entries[1].key, "dir/c+d.txt", "url: %2B is a plus");
	is_int(p->entries[1].size, 0, "url: size 0");
	is_str(p->entries[1].storage_class, "STANDARD_IA", "url: STANDARD_IA");
	is_str(p->entries[2].key, "dir/caf\xc3\xa9.txt", "url: unicode");
	ok(p->entries[2].delete_marker, "url: delete marker");
	is_str(p->entries[3].key, "dir/snow man\xe2\x98\x83.txt", "url: + is a space");
	is_int(p->entries[3].size, 10485760, "url: big size");
	is_int(p->n_prefixes, 2, "url: 2 common prefixes");
	if (p->n_prefixes == 2) {
		is_str(p->prefixes[0], "dir/sub dir/", "url: prefix decoded");
		is_str(p->prefixes[1], "dir//", "url: double slash prefix");
	}
	return true;
}

static bool
versions_raw(void *arg, const struct s3_versions_page *p)
{
	calls++;
	ok(!p->url_encoded, "raw: no EncodingType (moto)");
	is_int(p->n, 3, "raw: 3 entries");
	if (p->n != 3)
		return true;
	is_str(p->entries[0].key, "a b+c%20d.txt", "raw: key kept as sent");
	is_str(p->entries[1].key, "logs//2024/na\xc3\xafve \xe2\x98\x83.log", "raw: // and unicode");
	is_int(p->entries[1].last_modified, iso("2024-01-02T03:04:06Z"), "raw: time without ms");
	is_str(p->entries[2].key, "q&a <1>.txt", "raw: entities");
	return true;
}

static bool
versions_page1(void *arg, const struct s3_versions_page *p)
{
	calls++;
	ok(p->truncated, "page1: truncated");
	is_str(p->next_key_marker, "doc.txt", "page1: next key marker");
	is_str(p->next_version_id_marker, "v2", "page1: next version id marker");
	is_int(p->n, 2, "page1: 2 versions");
	return true;
}

static bool
versions_never(void *arg, const struct s3_versions_page *p)
{
	calls++;
	return true;
}

static void
test_s3_versions(void)
{
	struct sv_err	err;
	sv_result	r;

	r = PARSE(s3_parse_versions_page, "s3/list-versions-basic.xml", versions_basic, &err);
	is_int(r, SV_OK, "basic parses");
	is_int(calls, 1, "basic: one page");

	r = PARSE(s3_parse_versions_page, "s3/list-versions-url.xml", versions_url, &err);
	is_int(r, SV_OK, "url parses");
	is_int(calls, 1, "url: one page");

	r = PARSE(s3_parse_versions_page, "s3/list-versions-raw.xml", versions_raw, &err);
	is_int(r, SV_OK, "raw parses");
	is_int(calls, 1, "raw: one page");

	r = PARSE(s3_parse_versions_page, "s3/list-versions-page1.xml", versions_page1, &err);
	is_int(r, SV_OK, "page1 parses");

	r = PARSE(s3_parse_versions_page, "s3/list-versions-truncated-nomarker.xml",
	    versions_never, &err);
	is_int(r, SV_E_PARSE, "truncated without NextKeyMarker is a parse error");
	is_int(calls, 0, "truncated without marker: nothing delivered");
	ok(strstr(err.msg, "NextKeyMarker") != NULL, "message names NextKeyMarker");
	diag("%s", err.msg);

	r = PARSE(s3_parse_versions_page, "s3/list-versions-malformed.xml", versions_never, &err);
	is_int(r, SV_E_PARSE, "malformed page is a parse error");
	is_int(calls, 0, "malformed: nothing delivered");
	ok(strstr(err.msg, "ListObjectVersions") != NULL && strstr(err.msg, "line") != NULL,
	    "malformed: message names the operation and the line");
	diag("%s", err.msg);

	r = PARSE(s3_parse_versions_page, "s3/list-versions-cut.xml", versions_never, &err);
	is_int(r, SV_E_PARSE, "a cut page is a parse error");
	is_int(calls, 0, "cut: nothing delivered");

	r = PARSE(s3_parse_versions_page, "s3/list-versions-badsize.xml", versions_never, &err);
	is_int(r, SV_E_PARSE, "a bad Size is a parse error");
	ok(strstr(err.msg, "Size") != NULL, "bad size: message names Size");

	r = PARSE(s3_parse_versions_page, "s3/error-access-denied.xml", versions_never, &err);
	is_int(r, SV_E_DENIED, "a 200 with <Error>AccessDenied is SV_E_DENIED");
	ok(strstr(err.msg, "AccessDenied") != NULL, "error: message has the code");
	is_int(calls, 0, "error: nothing delivered");

	r = PARSE(s3_parse_versions_page, "s3/list-buckets.xml", versions_never, &err);
	is_int(r, SV_E_PARSE, "an unexpected root is a parse error");

	sv_err_init(&err);
	calls = 0;
	r = s3_parse_versions_page("", 0, versions_never, NULL, &err);
	is_int(r, SV_E_PARSE, "an empty body is a parse error");

	{
		static const char bad[] = "<ListVersionsResult><EncodingType>url</EncodingType>"
		    "<IsTruncated>false</IsTruncated><Version><Key>a%zz</Key>"
		    "<VersionId>1</VersionId></Version></ListVersionsResult>";

		sv_err_init(&err);
		r = s3_parse_versions_page(bad, sizeof bad - 1, versions_never, NULL, &err);
		is_int(r, SV_E_PARSE, "a malformed url escape is a parse error");
	}
	{
		static const char nokey[] = "<ListVersionsResult><IsTruncated>false</IsTruncated>"
		    "<Version><VersionId>1</VersionId></Version></ListVersionsResult>";

		sv_err_init(&err);
		r = s3_parse_versions_page(nokey, sizeof nokey - 1, versions_never, NULL, &err);
		is_int(r, SV_E_PARSE, "a Version without Key is a parse error");
	}
}

static bool
buckets_cb(void *arg, const struct s3_buckets_page *p)
{
	calls++;
	is_int(p->n, 2, "buckets: 2");
	is_str(p->owner_id, "bcaf1ffd86f461ca5fb16fd081034f", "buckets: owner");
	is_str(p->continuation_token, "eyJNYXJrZXIiOiBudWxsfQ==", "buckets: token");
	if (p->n == 2) {
		is_str(p->buckets[0].name, "amzn-s3-demo-bucket", "buckets: name");
		is_str(p->buckets[0].region, "us-east-1", "buckets: region");
		is_int(p->buckets[0].created, iso("2006-02-03T16:45:09Z"), "buckets: created");
		ok(p->buckets[1].region == NULL, "buckets: region absent");
	}
	return true;
}

static bool
objects_cb(void *arg, const struct s3_objects_page *p)
{
	calls++;
	is_int(p->n, 2, "objects: 2");
	ok(p->truncated, "objects: truncated");
	is_str(p->next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", "objects: token");
	if (p->n == 2) {
		is_str(p->objects[0].key, "happy face.jpg", "objects: decoded");
		is_str(p->objects[1].key, "sad face.jpg", "objects: + decoded");
		is_int(p->objects[1].size, 12, "objects: size");
	}
	is_int(p->n_prefixes, 1, "objects: one prefix");
	if (p->n_prefixes == 1)
		is_str(p->prefixes[0], "photos/", "objects: prefix decoded");
	return true;
}

static enum s3_versioning_status vst;
static bool vmfa;
static bool
versioning_cb(void *arg, const struct s3_versioning *v)
{
	calls++;
	vst = v->status;
	vmfa = v->mfa_delete;
	return true;
}

static char region[64];
static bool
location_cb(void *arg, const struct s3_location *l)
{
	calls++;
	snprintf(region, sizeof region, "%s", l->region);
	return true;
}

static bool
lock_cb(void *arg, const struct s3_object_lock *l)
{
	calls++;
	ok(l->enabled, "lock: enabled");
	is_str(l->mode, "COMPLIANCE", "lock: mode");
	is_int(l->days, 30, "lock: days");
	is_int(l->years, -1, "lock: years absent");
	return true;
}

static void
test_s3_other(void)
{
	struct sv_err	err;

	is_int(PARSE(s3_parse_buckets_page, "s3/list-buckets.xml", buckets_cb, &err), SV_OK,
	    "ListBuckets parses");
	is_int(calls, 1, "ListBuckets: one call");
	is_int(PARSE(s3_parse_objects_page, "s3/list-objects-v2.xml", objects_cb, &err), SV_OK,
	    "ListObjectsV2 parses");

	is_int(PARSE(s3_parse_versioning, "s3/versioning-enabled.xml", versioning_cb, &err),
	    SV_OK, "versioning enabled parses");
	ok(vst == S3_VERSIONING_ENABLED && !vmfa, "versioning: Enabled, no MFA delete");
	is_int(PARSE(s3_parse_versioning, "s3/versioning-suspended-mfa.xml", versioning_cb,
	    &err), SV_OK, "versioning suspended parses");
	ok(vst == S3_VERSIONING_SUSPENDED && vmfa, "versioning: Suspended, MFA delete");
	is_int(PARSE(s3_parse_versioning, "s3/versioning-never.xml", versioning_cb, &err),
	    SV_OK, "versioning never parses");
	ok(vst == S3_VERSIONING_NEVER, "versioning: never enabled");
	is_str(s3_versioning_status_str(S3_VERSIONING_NEVER), "Never enabled", "status string");

	is_int(PARSE(s3_parse_location, "s3/location-empty.xml", location_cb, &err), SV_OK,
	    "empty location parses");
	is_str(region, "us-east-1", "empty location is us-east-1");
	PARSE(s3_parse_location, "s3/location-eu.xml", location_cb, &err);
	is_str(region, "eu-west-1", "EU is eu-west-1");
	PARSE(s3_parse_location, "s3/location-region.xml", location_cb, &err);
	is_str(region, "ap-southeast-2", "a region is itself");

	is_int(PARSE(s3_parse_object_lock, "s3/object-lock.xml", lock_cb, &err), SV_OK,
	    "object lock parses");
	is_int(calls, 1, "object lock: one call");
}

/* ---- DynamoDB ---- */

static bool
table_cb(void *arg, const struct ddb_table *t)
{
	calls++;
	is_str(t->name, "Thread", "table: name");
	is_str(t->arn, "arn:aws:dynamodb:us-west-2:123456789012:table/Thread", "table: arn");
	is_str(t->status, "ACTIVE", "table: status");
	is_int(t->created, 1363729002358LL, "table: fractional creation time");
	is_int(t->item_count, 0, "table: item count");
	is_int(t->size_bytes, 1234567890123LL, "table: size bytes");
	is_str(t->billing_mode, "PROVISIONED", "table: PROVISIONED when no summary");
	is_int(t->n_keys, 2, "table: 2 keys");
	if (t->n_keys == 2) {
		is_str(t->keys[0].attr, "ForumName", "table: hash attr");
		is_str(t->keys[0].key_type, "HASH", "table: HASH");
		is_str(t->keys[0].attr_type, "S", "table: hash type S");
		is_str(t->keys[1].key_type, "RANGE", "table: RANGE");
	}
	is_int(t->rcu, 5, "table: rcu");
	is_int(t->wcu, 10, "table: wcu");
	is_int(t->n_gsis, 2, "table: 2 GSIs");
	if (t->n_gsis == 2)
		is_str(t->gsis[1], "Last Post", "table: GSI name");
	is_int(t->n_lsis, 1, "table: 1 LSI");
	ok(t->stream_enabled, "table: stream");
	is_str(t->stream_view_type, "NEW_AND_OLD_IMAGES", "table: stream view type");
	is_str(t->sse_status, "ENABLED", "table: SSE status");
	is_str(t->sse_type, "KMS", "table: SSE type");
	ok(t->deletion_protection, "table: deletion protection");
	is_str(t->table_class, "STANDARD_INFREQUENT_ACCESS", "table: class");
	ok(!t->restored && t->restore_time == SV_TIME_NONE, "table: not restored");
	is_int(t->n_replicas, 0, "table: no replicas");
	return true;
}

static bool
table_restored_cb(void *arg, const struct ddb_table *t)
{
	calls++;
	is_str(t->billing_mode, "PAY_PER_REQUEST", "restored: on-demand");
	is_str(t->keys[0].attr_type, "B", "restored: binary key");
	is_str(t->keys[1].attr_type, "N", "restored: number key");
	ok(t->restored, "restored: RestoreSummary");
	ok(t->restore_in_progress, "restored: in progress");
	is_int(t->restore_time, 1699990000250LL, "restored: restore time");
	is_str(t->restore_source_table_arn, "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
	    "restored: source table");
	ok(t->sse_status == NULL && t->table_class == NULL && !t->stream_enabled,
	    "restored: absent settings are NULL/false");
	ok(t->stream_view_type == NULL, "restored: no stream view type");
	is_int(t->n_replicas, 2, "restored: 2 replicas");
	is_int(t->created, 1700000000000LL, "restored: exponent time");
	return true;
}

static bool
table_never(void *arg, const struct ddb_table *t)
{
	calls++;
	return true;
}

static bool
cb_enabled(void *arg, const struct ddb_continuous_backups *c)
{
	calls++;
	is_str(c->status, "ENABLED", "pitr: continuous backups enabled");
	ok(c->pitr_enabled, "pitr: enabled");
	is_int(c->earliest, 1577836800500LL, "pitr: earliest");
	is_int(c->latest, 1578441300000LL, "pitr: latest");
	is_int(c->recovery_period_days, 14, "pitr: period");
	return true;
}

static bool
cb_disabled(void *arg, const struct ddb_continuous_backups *c)
{
	calls++;
	ok(!c->pitr_enabled, "pitr disabled: not enabled");
	is_str(c->pitr_status, "DISABLED", "pitr disabled: status");
	ok(c->earliest == SV_TIME_NONE && c->latest == SV_TIME_NONE, "pitr disabled: no window");
	is_int(c->recovery_period_days, -1, "pitr disabled: period absent");
	return true;
}

static bool
backups_cb(void *arg, const struct ddb_backups_page *p)
{
	calls++;
	is_int(p->n, 2, "backups: 2");
	is_str(p->last_evaluated,
	    "arn:aws:dynamodb:us-west-2:123456789012:table/Music/backup/01234567890123-b2abc345",
	    "backups: last evaluated");
	if (p->n == 2) {
		is_str(p->backups[0].name, "MusicBackup1", "backups: name");
		is_str(p->backups[0].type, "USER", "backups: type");
		is_str(p->backups[0].status, "AVAILABLE", "backups: status");
		is_int(p->backups[0].created, 1570724430543LL, "backups: created");
		is_int(p->backups[0].size_bytes, 190, "backups: size");
		ok(p->backups[0].expiry == SV_TIME_NONE, "backups: no expiry");
		is_str(p->backups[0].table_name, "Music", "backups: table");
		is_int(p->backups[1].expiry, 1573316450000LL, "backups: expiry");
		is_int(p->backups[1].size_bytes, -1, "backups: size absent");
		is_str(p->backups[1].type, "SYSTEM", "backups: SYSTEM");
	}
	return true;
}

static bool
tables_cb(void *arg, const struct ddb_tables_page *p)
{
	calls++;
	is_int(p->n, 4, "tables: 4");
	if (p->n == 4)
		is_str(p->names[3], "Thread", "tables: name");
	is_str(p->last_evaluated, "Thread", "tables: last evaluated");
	return true;
}

static bool
tables_never(void *arg, const struct ddb_tables_page *p)
{
	calls++;
	return true;
}

static void
test_dynamodb(void)
{
	struct sv_err	err;
	sv_result	r;

	is_int(PARSE(ddb_parse_table, "dynamodb/describe-table.json", table_cb, &err), SV_OK,
	    "DescribeTable parses");
	is_int(calls, 1, "DescribeTable: one call");
	is_int(PARSE(ddb_parse_table, "dynamodb/describe-table-restored.json", table_restored_cb,
	    &err), SV_OK, "DescribeTable (restored) parses");
	r = PARSE(ddb_parse_table, "dynamodb/describe-table-notable.json", table_never, &err);
	is_int(r, SV_E_PARSE, "DescribeTable without Table is a parse error");
	is_int(calls, 0, "no Table: nothing delivered");
	r = PARSE(ddb_parse_table, "dynamodb/describe-table-badtype.json", table_never, &err);
	is_int(r, SV_E_PARSE, "a string CreationDateTime is a parse error");
	ok(strstr(err.msg, "CreationDateTime") != NULL, "bad type: message names the member");
	diag("%s", err.msg);
	r = PARSE(ddb_parse_table, "dynamodb/error-not-found.json", table_never, &err);
	is_int(r, SV_E_NOTFOUND, "ResourceNotFoundException is SV_E_NOTFOUND");
	ok(strstr(err.msg, "ResourceNotFoundException") != NULL &&
	    strstr(err.msg, "Requested resource not found") != NULL,
	    "not found: code and message");
	sv_err_init(&err);
	is_int(ddb_parse_table("{\"Table\":", 9, table_never, NULL, &err), SV_E_PARSE,
	    "cut JSON is a parse error");

	is_int(PARSE(ddb_parse_continuous_backups, "dynamodb/continuous-backups-enabled.json",
	    cb_enabled, &err), SV_OK, "DescribeContinuousBackups (enabled) parses");
	is_int(PARSE(ddb_parse_continuous_backups, "dynamodb/continuous-backups-disabled.json",
	    cb_disabled, &err), SV_OK, "DescribeContinuousBackups (disabled) parses");
	is_int(calls, 1, "disabled: one call");

	is_int(PARSE(ddb_parse_backups_page, "dynamodb/list-backups.json", backups_cb, &err),
	    SV_OK, "ListBackups parses");
	is_int(PARSE(ddb_parse_tables_page, "dynamodb/list-tables.json", tables_cb, &err),
	    SV_OK, "ListTables parses");
	is_int(PARSE(ddb_parse_tables_page, "dynamodb/list-tables-bad.json", tables_never,
	    &err), SV_E_PARSE, "a number in TableNames is a parse error");
	is_int(calls, 0, "bad tables: nothing delivered");
}

/* ---- AWS Backup ---- */

static bool
vaults_cb(void *arg, const struct backup_vaults_page *p)
{
	(void)arg;
	calls++;
	is_int(p->n, 2, "vaults: 2");
	is_str(p->next_token, "AAMA-EFRSHg", "vaults: next token");
	if (p->n != 2)
		return true;
	is_str(p->v[0].name, "Default", "vault: name");
	is_str(p->v[0].arn, "arn:aws:backup:eu-west-1:123456789012:backup-vault:Default",
	    "vault: arn");
	is_str(p->v[0].type, "BACKUP_VAULT", "vault: type");
	is_int(p->v[0].created, 1700000000250LL, "vault: created (epoch seconds, ms kept)");
	is_int(p->v[0].recovery_points, 42, "vault: recovery points");
	ok(!p->v[0].locked && p->v[1].locked, "vault: locked flag");
	ok(p->v[1].type == NULL, "vault: no VaultType is NULL");
	return true;
}

static bool
rpoints_cb(void *arg, const struct backup_points_page *p)
{
	const struct backup_recovery_point *a, *b;

	(void)arg;
	calls++;
	is_int(p->n, 2, "recovery points: 2");
	ok(p->next_token == NULL, "recovery points: a null NextToken is the end");
	if (p->n != 2)
		return true;
	a = &p->v[0];
	b = &p->v[1];
	is_str(a->arn, "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/backup/"
	    "01700000000000-1a2b3c4d", "point: arn");
	is_str(a->resource_arn, "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
	    "point: resource arn");
	is_str(a->resource_type, "DynamoDB", "point: resource type");
	is_str(a->resource_name, "orders", "point: resource name");
	is_str(a->status, "COMPLETED", "point: status");
	is_int(a->created, 1763700000500LL, "point: created");
	is_int(a->completed, 1763700120750LL, "point: completed");
	is_int(a->size, 1048576, "point: size");
	ok(a->encrypted && !b->encrypted, "point: encrypted flag");
	is_str(b->status, "PARTIAL", "point 2: status");
	is_str(b->status_message, "The backup job was stopped before it completed",
	    "point 2: status message");
	is_int(b->size, -1, "point 2: no size is -1");
	ok(b->completed == SV_TIME_NONE, "point 2: no completion time");
	return true;
}

static bool
rpoints_never(void *arg, const struct backup_points_page *p)
{
	(void)arg;
	(void)p;
	calls++;
	return true;
}

static void
test_backup(void)
{
	struct sv_err	err;

	is_int(PARSE(backup_parse_vaults_page, "backup/list-backup-vaults.json",
	    vaults_cb, &err), SV_OK, "ListBackupVaults parses");
	is_int(calls, 1, "vaults: one call");
	is_int(PARSE(backup_parse_points_page, "backup/list-recovery-points.json",
	    rpoints_cb, &err), SV_OK, "ListRecoveryPointsByBackupVault parses");
	is_int(calls, 1, "recovery points: one call");
	is_int(PARSE(backup_parse_points_page, "backup/list-recovery-points-bad.json",
	    rpoints_never, &err), SV_E_PARSE, "a CreationDate that is a string: "
	    "a parse error");
	ok(strstr(err.msg, "CreationDate") != NULL, "... naming the member");
	is_int(calls, 0, "bad recovery points: nothing delivered");
	sv_err_init(&err);
	calls = 0;
	is_int(backup_parse_points_page("[1,2]", 5, rpoints_never, NULL, &err),
	    SV_E_PARSE, "an array instead of an object: a parse error");
	is_int(calls, 0, "... nothing delivered");
}

/* AWS Backup restores: DescribeRecoveryPoint, GetRecoveryPointRestoreMetadata,
 * StartRestoreJob, DescribeRestoreJob, and the request as sent. */
static void
test_backup_restore(void)
{
	struct backup_answer	a;
	struct sv_err		err;
	struct aws_kvlist	md, kv;
	struct backup_restore_req req;
	char			tok[48], tok2[48], *body;
	static const char rp[] = "{\"RecoveryPointArn\":\"arn:aws:backup:us-east-1:1:"
	    "recovery-point:x\",\"BackupVaultName\":\"v\",\"ResourceArn\":"
	    "\"arn:aws:dynamodb:us-east-1:1:table/orders\",\"ResourceType\":"
	    "\"DynamoDB\",\"Status\":\"COMPLETED\",\"IamRoleArn\":\"arn:aws:iam::1:"
	    "role/r\",\"CreationDate\":1763700000.25,\"BackupSizeInBytes\":42}";
	static const char meta[] = "{\"RestoreMetadata\":{\"originalTableName\":"
	    "\"orders\",\"encryptionType\":\"Default\"}}";
	static const char job[] = "{\"RestoreJobId\":\"j-1\",\"Status\":\"RUNNING\","
	    "\"PercentDone\":\"42.00%\",\"CreatedResourceArn\":null}";

	sv_err_init(&err);
	is_int(backup_parse_answer(OP_BACKUP_DescribeRecoveryPoint, rp, strlen(rp),
	    &a, &err), SV_OK, "DescribeRecoveryPoint parses");
	is_str(a.rp.resource_type, "DynamoDB", "... resource type");
	is_str(a.rp.iam_role, "arn:aws:iam::1:role/r", "... the role that made it");
	is_int(a.rp.created, 1763700000250LL, "... created, ms kept");
	is_int(a.rp.size, 42, "... size");
	ok(a.rp.completed == SV_TIME_NONE, "... no CompletionDate: none");
	backup_answer_free(&a);
	is_int(backup_parse_answer(OP_BACKUP_DescribeRecoveryPoint, "{\"Status\":1}",
	    12, &a, &err), SV_E_PARSE, "a Status that is a number: a parse error");
	ok(strstr(err.msg, "DescribeRecoveryPoint") != NULL, "... naming the call");
	sv_err_init(&err);
	is_int(backup_parse_answer(OP_BACKUP_DescribeRecoveryPoint, "{}", 2, &a, &err),
	    SV_E_PARSE, "no RecoveryPointArn: a parse error");
	sv_err_init(&err);
	is_int(backup_parse_answer(OP_BACKUP_GetRecoveryPointRestoreMetadata, meta,
	    strlen(meta), &a, &err), SV_OK, "GetRecoveryPointRestoreMetadata parses");
	ok(a.metadata.n == 2 && strcmp(a.metadata.v[0].name, "originalTableName") == 0 &&
	    strcmp(a.metadata.v[1].value, "Default") == 0, "... the map, in order");
	backup_answer_free(&a);
	is_int(backup_parse_answer(OP_BACKUP_GetRecoveryPointRestoreMetadata,
	    "{\"RestoreMetadata\":{\"a\":1}}", 27, &a, &err), SV_E_PARSE,
	    "a metadata value that is not a string: a parse error");
	sv_err_init(&err);
	is_int(backup_parse_answer(OP_BACKUP_DescribeRestoreJob, job, strlen(job), &a,
	    &err), SV_OK, "DescribeRestoreJob parses");
	ok(strcmp(a.job.status, "RUNNING") == 0 && strcmp(a.job.percent, "42.00%") == 0 &&
	    a.job.created_arn == NULL, "... status, percent, no ARN yet (null)");
	backup_answer_free(&a);
	is_int(backup_parse_answer(OP_BACKUP_StartRestoreJob, "{\"RestoreJobId\":\"j\"}",
	    20, &a, &err), SV_OK, "StartRestoreJob parses");
	is_str(a.job.id, "j", "... the job id");
	backup_answer_free(&a);
	is_int(backup_parse_answer(OP_BACKUP_DescribeRestoreJob, "{\"RestoreJobId\":\"j\"}",
	    20, &a, &err), SV_E_PARSE, "a job without Status: a parse error");
	sv_err_init(&err);
	is_int(backup_parse_answer(OP_BACKUP_StartRestoreJob, "nope", 4, &a, &err),
	    SV_E_PARSE, "not JSON: a parse error");

	/* Whole answers as AWS sends them (more members than salvage reads). */
	is_int(PARSE_ANSWER(OP_BACKUP_DescribeRecoveryPoint,
	    "backup/describe-recovery-point.json", &a, &err), SV_OK,
	    "fixture: DescribeRecoveryPoint");
	is_str(a.rp.resource_name, "orders", "... resource name");
	backup_answer_free(&a);
	is_int(PARSE_ANSWER(OP_BACKUP_GetRecoveryPointRestoreMetadata,
	    "backup/restore-metadata.json", &a, &err), SV_OK,
	    "fixture: GetRecoveryPointRestoreMetadata (RDS)");
	ok(a.metadata.n == 6 && strcmp(a.metadata.v[5].value, "[\"sg-0abc\"]") == 0,
	    "... six keys, a JSON list kept as its string");
	backup_answer_free(&a);
	is_int(PARSE_ANSWER(OP_BACKUP_DescribeRestoreJob,
	    "backup/describe-restore-job.json", &a, &err), SV_OK,
	    "fixture: DescribeRestoreJob");
	is_str(a.job.created_arn, "arn:aws:dynamodb:us-east-1:123456789012:table/orders-bk",
	    "... the created resource");
	backup_answer_free(&a);

	backup_restore_token("arn:p", "t1", tok);
	backup_restore_token("arn:p", "t1", tok2);
	is_str(tok, tok2, "token: the same point and target, the same token");
	backup_restore_token("arn:p", "t2", tok2);
	ok(strcmp(tok, tok2) != 0 && strlen(tok) == 40 && strncmp(tok, "salvage-", 8) == 0,
	    "token: salvage- and 32 hex digits, another target another token");
	memset(&md, 0, sizeof md);
	memset(&kv, 0, sizeof kv);
	aws_kvlist_add(&md, "targetTableName", "orders-bk");
	memset(&req, 0, sizeof req);
	req.recovery_point = "arn:p";
	req.resource_type = "DynamoDB";
	req.iam_role = "arn:r";
	req.token = tok;
	req.metadata = &md;
	body = backup_restore_body(&req);
	ok(strstr(body, "\"Metadata\":{\"targetTableName\":\"orders-bk\"}") != NULL &&
	    strstr(body, "\"IamRoleArn\":\"arn:r\"") != NULL &&
	    strstr(body, "\"RecoveryPointArn\":\"arn:p\"") != NULL,
	    "StartRestoreJob body: point, role, metadata as a map");
	backup_restore_params(&req, &kv);
	ok(kv.n == 5 && strcmp(kv.v[4].name, "Metadata.targetTableName") == 0 &&
	    strcmp(kv.v[4].value, "orders-bk") == 0,
	    "... and the same as plan parameters");
	free(body);
	aws_kvlist_free(&md);
	aws_kvlist_free(&kv);
}

/* Application Auto Scaling: only the table's own targets and policies. */
static void
test_autoscaling(void)
{
	struct aas_set	 set;
	struct sv_err	 err;
	char		*next = NULL;
	static const char targets[] = "{\"ScalableTargets\":["
	    "{\"ServiceNamespace\":\"dynamodb\",\"ResourceId\":\"table/ledger\","
	    "\"ScalableDimension\":\"dynamodb:table:ReadCapacityUnits\","
	    "\"MinCapacity\":5,\"MaxCapacity\":100},"
	    "{\"ResourceId\":\"table/ledger/index/by-day\",\"ScalableDimension\":"
	    "\"dynamodb:index:ReadCapacityUnits\",\"MinCapacity\":1,\"MaxCapacity\":20},"
	    "{\"ResourceId\":\"table/ledger-r\",\"ScalableDimension\":\"d\","
	    "\"MinCapacity\":1,\"MaxCapacity\":2},"
	    "{\"ResourceId\":\"table/ledger/index/\",\"ScalableDimension\":\"d\","
	    "\"MinCapacity\":1,\"MaxCapacity\":2}],\"NextToken\":\"n1\"}";
	static const char policies[] = "{\"ScalingPolicies\":["
	    "{\"PolicyName\":\"r\",\"ResourceId\":\"table/ledger\","
	    "\"ScalableDimension\":\"dynamodb:table:ReadCapacityUnits\","
	    "\"PolicyType\":\"TargetTrackingScaling\","
	    "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":70.5,"
	    "\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":"
	    "\"DynamoDBReadCapacityUtilization\"}}},"
	    "{\"PolicyName\":\"s\",\"ResourceId\":\"table/ledger/index/by-day\","
	    "\"ScalableDimension\":\"dynamodb:index:ReadCapacityUnits\","
	    "\"PolicyType\":\"StepScaling\",\"StepScalingPolicyConfiguration\":"
	    "{\"AdjustmentType\":\"ChangeInCapacity\"}},"
	    "{\"PolicyName\":\"x\",\"ResourceId\":\"table/other\","
	    "\"ScalableDimension\":\"d\",\"PolicyType\":\"StepScaling\","
	    "\"StepScalingPolicyConfiguration\":{}}]}";

	memset(&set, 0, sizeof set);
	sv_err_init(&err);
	is_int(aas_parse_target_page("ledger", targets, strlen(targets), &set, &next,
	    &err), SV_OK, "DescribeScalableTargets parses");
	is_int(set.ntargets, 2, "... the table's and its index's only (not "
	    "ledger-r's, not an index without a name)");
	if (set.ntargets == 2) {
		ok(strcmp(set.targets[0].resource, "") == 0 && set.targets[0].min == 5 &&
		    set.targets[0].max == 100, "... the table: 5..100");
		is_str(set.targets[1].resource, "index/by-day", "... the index, relative");
	}
	is_str(next, "n1", "... NextToken");
	free(next);
	is_int(aas_parse_policy_page("ledger", policies, strlen(policies), &set, &next,
	    &err), SV_OK, "DescribeScalingPolicies parses");
	ok(next == NULL, "... the last page");
	is_int(set.npolicies, 2, "... the table's two policies only");
	if (set.npolicies == 2) {
		ok(set.policies[0].target_value == 70.5 && strstr(set.policies[0].config,
		    "DynamoDBReadCapacityUtilization") != NULL,
		    "... target tracking: its value, its whole configuration");
		ok(set.policies[1].target_value < 0 &&
		    strcmp(set.policies[1].config, "{\"AdjustmentType\":"
		    "\"ChangeInCapacity\"}") == 0, "... step scaling: its configuration");
	}
	aas_set_free(&set);
	is_int(aas_parse_target_page("ledger", "{\"ScalableTargets\":{}}", 22, &set, &next,
	    &err), SV_E_PARSE, "ScalableTargets not a list: a parse error");
	sv_err_init(&err);
	is_int(aas_parse_target_page("ledger", "{\"ScalableTargets\":[{\"ResourceId\":"
	    "\"table/ledger\",\"MinCapacity\":\"5\"}]}", 69, &set, &next, &err),
	    SV_E_PARSE, "a MinCapacity that is a string: a parse error");
	ok(strstr(err.msg, "MinCapacity") != NULL, "... naming it");
	ok(next == NULL && set.ntargets == 0, "... nothing kept");
	aas_set_free(&set);
}

/* ---- RDS ---- */

static bool
instances_cb(void *arg, const struct rds_instances_page *p)
{
	const struct rds_instance *a, *b;

	calls++;
	is_int(p->n, 2, "instances: 2");
	is_str(p->marker, "eyJNYXJrZXIiOiAic2NyYXRjaCJ9", "instances: marker");
	if (p->n != 2)
		return true;
	a = &p->v[0];
	b = &p->v[1];
	is_str(a->id, "orders-db", "instance: id");
	is_str(a->arn, "arn:aws:rds:us-west-2:123456789012:db:orders-db", "instance: arn");
	is_str(a->engine, "mysql", "instance: engine");
	is_str(a->engine_version, "8.0.35", "instance: version");
	is_str(a->status, "available", "instance: status");
	is_str(a->instance_class, "db.t3.micro", "instance: class (not the pending one)");
	is_int(a->allocated_storage, 20, "instance: storage");
	ok(a->multi_az, "instance: multi-AZ");
	is_int(a->backup_retention, 7, "instance: retention");
	is_int(a->latest_restorable, iso("2023-01-21T10:15:00Z"), "instance: latest restorable");
	is_int(a->created, iso("2023-01-20T22:04:06.497Z"), "instance: created");
	is_str(a->endpoint_address, "orders-db.abcdefghijkl.us-west-2.rds.amazonaws.com",
	    "instance: endpoint");
	is_int(a->endpoint_port, 3306, "instance: port");
	ok(a->cluster_id == NULL, "instance: no cluster");
	ok(a->deletion_protection, "instance: deletion protection");
	is_str(a->storage_type, "gp3", "instance: storage type");
	is_str(a->subnet_group, "orders-subnets", "instance: subnet group");
	is_str(a->vpc_id, "vpc-1234abcd", "instance: vpc");
	is_str(a->resource_id, "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ", "instance: resource id");
	is_int(a->n_parameter_groups, 1, "instance: 1 parameter group");
	if (a->n_parameter_groups == 1)
		is_str(a->parameter_groups[0], "default.mysql8.0", "instance: parameter group");
	is_int(a->n_vpc_security_groups, 2, "instance: 2 security groups");
	if (a->n_vpc_security_groups == 2)
		is_str(a->vpc_security_groups[1], "sg-9f8e7d6c", "instance: security group");
	is_int(a->n_option_groups, 1, "instance: 1 option group");
	is_int(a->n_tags, 2, "instance: 2 tags");
	if (a->n_tags == 2) {
		is_str(a->tags[0].key, "team", "instance: tag key");
		is_str(a->tags[0].value, "payments", "instance: tag value");
		is_str(a->tags[1].value, "", "instance: empty tag value");
	}
	is_str(b->id, "scratch", "instance 2: id");
	is_int(b->backup_retention, 0, "instance 2: no retention (no PITR)");
	ok(b->latest_restorable == SV_TIME_NONE, "instance 2: no latest restorable");
	ok(b->endpoint_address == NULL && b->endpoint_port == -1, "instance 2: no endpoint yet");
	is_str(b->cluster_id, "aurora-1", "instance 2: cluster");
	ok(b->n_parameter_groups == 0 && b->parameter_groups == NULL, "instance 2: no groups");
	ok(b->n_tags == 0 && b->tags == NULL, "instance 2: no tags");
	return true;
}

static bool
instances_never(void *arg, const struct rds_instances_page *p)
{
	calls++;
	return true;
}

static bool
snapshots_cb(void *arg, const struct rds_snapshots_page *p)
{
	calls++;
	is_int(p->n, 2, "snapshots: 2");
	ok(p->marker == NULL, "snapshots: no marker");
	if (p->n != 2)
		return true;
	is_str(p->v[0].id, "orders-before-migration", "snapshot: id");
	is_str(p->v[0].instance_id, "orders-db", "snapshot: instance");
	is_str(p->v[0].type, "manual", "snapshot: type");
	is_str(p->v[0].status, "available", "snapshot: status");
	is_int(p->v[0].created, iso("2023-02-01T08:00:05.123Z"), "snapshot: created");
	is_int(p->v[0].percent_progress, 100, "snapshot: progress");
	is_int(p->v[0].allocated_storage, 20, "snapshot: storage");
	ok(p->v[0].encrypted, "snapshot: encrypted");
	is_str(p->v[1].type, "automated", "snapshot 2: automated");
	is_int(p->v[1].percent_progress, 42, "snapshot 2: progress");
	ok(p->v[1].created == SV_TIME_NONE, "snapshot 2: no create time yet");
	ok(p->v[1].arn == NULL, "snapshot 2: no arn");
	return true;
}

static bool
clusters_cb(void *arg, const struct rds_clusters_page *p)
{
	const struct rds_cluster *c;

	calls++;
	is_int(p->n, 1, "clusters: 1");
	if (p->n != 1)
		return true;
	c = &p->v[0];
	is_str(c->id, "ledger", "cluster: id");
	is_str(c->engine, "aurora-postgresql", "cluster: engine");
	is_int(c->backup_retention, 14, "cluster: retention");
	is_int(c->earliest_restorable, iso("2024-06-01T00:05:12.345Z"), "cluster: earliest");
	is_int(c->latest_restorable, iso("2024-06-15T09:30:00Z"), "cluster: latest");
	is_str(c->subnet_group, "ledger-subnets", "cluster: subnet group (a string here)");
	is_int(c->n_members, 2, "cluster: 2 members");
	if (c->n_members == 2) {
		is_str(c->members[0].instance_id, "ledger-1", "cluster: member");
		ok(c->members[0].writer && !c->members[1].writer, "cluster: writer flags");
	}
	is_int(c->n_vpc_security_groups, 1, "cluster: 1 security group");
	is_int(c->n_tags, 1, "cluster: 1 tag");
	is_int(c->port, 5432, "cluster: port");
	return true;
}

static bool
cluster_snapshots_cb(void *arg, const struct rds_cluster_snapshots_page *p)
{
	calls++;
	is_int(p->n, 1, "cluster snapshots: 1");
	if (p->n == 1) {
		is_str(p->v[0].id, "ledger-manual-1", "cluster snapshot: id");
		is_str(p->v[0].cluster_id, "ledger", "cluster snapshot: cluster");
		is_int(p->v[0].created, iso("2024-06-10T01:02:03Z"), "cluster snapshot: created");
		ok(p->v[0].encrypted, "cluster snapshot: encrypted");
	}
	return true;
}

static bool
automated_cb(void *arg, const struct rds_automated_backups_page *p)
{
	calls++;
	is_int(p->n, 2, "automated backups: 2");
	if (p->n != 2)
		return true;
	is_str(p->v[0].instance_id, "old-orders", "automated: instance");
	is_str(p->v[0].status, "retained", "automated: retained");
	is_int(p->v[0].earliest, iso("2023-03-01T04:00:00Z"), "automated: earliest");
	is_int(p->v[0].latest, iso("2023-03-08T09:45:00Z"), "automated: latest");
	is_int(p->v[0].backup_retention, 7, "automated: retention");
	is_str(p->v[0].arn, "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-retained1",
	    "automated: arn");
	ok(p->v[1].earliest == SV_TIME_NONE && p->v[1].latest == SV_TIME_NONE,
	    "automated 2: no restore window (moto)");
	is_str(p->v[1].status, "active", "automated 2: active");
	return true;
}

static void
test_rds(void)
{
	struct sv_err	err;
	sv_result	r;

	is_int(PARSE(rds_parse_instances_page, "rds/describe-db-instances.xml", instances_cb,
	    &err), SV_OK, "DescribeDBInstances parses");
	is_int(calls, 1, "DescribeDBInstances: one call");
	is_int(PARSE(rds_parse_snapshots_page, "rds/describe-db-snapshots.xml", snapshots_cb,
	    &err), SV_OK, "DescribeDBSnapshots parses");
	is_int(PARSE(rds_parse_clusters_page, "rds/describe-db-clusters.xml", clusters_cb,
	    &err), SV_OK, "DescribeDBClusters parses");
	is_int(PARSE(rds_parse_cluster_snapshots_page, "rds/describe-db-cluster-snapshots.xml",
	    cluster_snapshots_cb, &err), SV_OK, "DescribeDBClusterSnapshots parses");
	is_int(PARSE(rds_parse_automated_backups_page, "rds/automated-backups.xml",
	    automated_cb, &err), SV_OK, "DescribeDBInstanceAutomatedBackups parses");

	r = PARSE(rds_parse_instances_page, "rds/error-not-found.xml", instances_never, &err);
	is_int(r, SV_E_NOTFOUND, "ErrorResponse DBInstanceNotFound is SV_E_NOTFOUND");
	ok(strstr(err.msg, "DBInstanceNotFound") != NULL &&
	    strstr(err.msg, "DBInstance nope not found.") != NULL, "error: code and message");
	is_int(calls, 0, "error: nothing delivered");
	diag("%s", err.msg);
	r = PARSE(rds_parse_instances_page, "rds/describe-db-instances-noid.xml",
	    instances_never, &err);
	is_int(r, SV_E_PARSE, "a DBInstance without identifier is a parse error");
	r = PARSE(rds_parse_instances_page, "rds/describe-db-snapshots.xml", instances_never,
	    &err);
	is_int(r, SV_E_PARSE, "the wrong response is a parse error");
}

/* ---- STS ---- */

static bool
identity_cb(void *arg, const struct sts_identity *id)
{
	calls++;
	is_str(id->account, "123456789012", "sts: account");
	is_str(id->arn, "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
	    "sts: arn");
	is_str(id->user_id, "ARO123EXAMPLE123:my-role-session-name", "sts: user id");
	return true;
}

static bool
identity_never(void *arg, const struct sts_identity *id)
{
	calls++;
	return true;
}

static void
test_sts(void)
{
	struct sv_err	err;

	is_int(PARSE(sts_parse_caller_identity, "sts/get-caller-identity.xml", identity_cb,
	    &err), SV_OK, "GetCallerIdentity parses");
	is_int(calls, 1, "GetCallerIdentity: one call");
	is_int(PARSE(sts_parse_caller_identity, "rds/error-not-found.xml", identity_never,
	    &err), SV_E_NOTFOUND, "an ErrorResponse is an error");
	is_int(calls, 0, "error: nothing delivered");
}

int
main(void)
{
	test_s3_versions();
	test_s3_other();
	test_dynamodb();
	test_backup();
	test_backup_restore();
	test_autoscaling();
	test_rds();
	test_sts();
	free(fx_buf);
	return done_testing();
}
