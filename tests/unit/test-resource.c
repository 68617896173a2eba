/* test-resource.c - unit tests for src/core/resource.c: every URI form,
 * awkward S3 keys taken verbatim, canonical printing, and the errors for
 * bad schemes and names. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "core/resource.h"
#include "util/xalloc.h"

/* Parses uri, expecting success, and checks scheme, kind, name, key and
 * the canonical URI printed back. */
static void
good(const char *uri, enum resource_scheme scheme, enum resource_kind kind,
    const char *name, const char *key, const char *canon)
{
	struct resource	 res;
	struct sv_err	 err;
	char		 label[512];
	char		*back;
	sv_result	 r;

	sv_err_init(&err);
	r = resource_parse(uri, &res, &err);
	snprintf(label, sizeof label, "parse '%s' succeeds", uri);
	if (!ok(r == SV_OK, label))
		diag("error: %s", err.msg);
	snprintf(label, sizeof label, "'%s': scheme %s", uri,
	    resource_scheme_name(scheme));
	is_int(res.scheme, scheme, label);
	snprintf(label, sizeof label, "'%s': kind %s", uri, resource_kind_name(kind));
	is_int(res.kind, kind, label);
	snprintf(label, sizeof label, "'%s': name", uri);
	is_str(res.name, name, label);
	snprintf(label, sizeof label, "'%s': key", uri);
	is_str(res.key, key, label);
	back = resource_uri(&res);
	snprintf(label, sizeof label, "'%s': canonical URI", uri);
	is_str(back, canon, label);
	free(back);
	resource_free(&res);
}

/* Parses uri, expecting a usage error whose message contains want. */
static void
bad(const char *uri, const char *want)
{
	struct resource	 res;
	struct sv_err	 err;
	char		 label[512];
	sv_result	 r;

	sv_err_init(&err);
	r = resource_parse(uri, &res, &err);
	snprintf(label, sizeof label, "'%s' is refused as a usage error", uri);
	is_int(r, SV_E_USAGE, label);
	is_int(err.code, SV_E_USAGE, "the error code is recorded");
	snprintf(label, sizeof label, "'%s': message mentions \"%s\"", uri, want);
	if (!ok(strstr(err.msg, want) != NULL, label))
		diag("message: %s", err.msg);
	resource_free(&res);
}

static void
test_forms(void)
{
	good("s3://", RES_S3, RES_ALL, NULL, NULL, "s3://");
	good("s3://my-bucket", RES_S3, RES_BUCKET, "my-bucket", "", "s3://my-bucket/");
	good("s3://my-bucket/", RES_S3, RES_BUCKET, "my-bucket", "", "s3://my-bucket/");
	good("s3://my.bucket.1/logs/2026/", RES_S3, RES_PREFIX, "my.bucket.1",
	    "logs/2026/", "s3://my.bucket.1/logs/2026/");
	good("s3://b-1/data.csv", RES_S3, RES_OBJECT, "b-1", "data.csv",
	    "s3://b-1/data.csv");
	good("dynamodb://", RES_DYNAMODB, RES_ALL, NULL, NULL, "dynamodb://");
	good("dynamodb://Orders_v2.prod-1", RES_DYNAMODB, RES_TABLE,
	    "Orders_v2.prod-1", NULL, "dynamodb://Orders_v2.prod-1");
	good("dynamodb://orders/", RES_DYNAMODB, RES_TABLE, "orders", NULL,
	    "dynamodb://orders");
	good("rds://", RES_RDS, RES_ALL, NULL, NULL, "rds://");
	good("rds://db-prod-1", RES_RDS, RES_INSTANCE, "db-prod-1", NULL,
	    "rds://db-prod-1");
	good("rds-cluster://", RES_RDS_CLUSTER, RES_ALL, NULL, NULL, "rds-cluster://");
	good("rds-cluster://aurora-main", RES_RDS_CLUSTER, RES_CLUSTER,
	    "aurora-main", NULL, "rds-cluster://aurora-main");
	good("backup://", RES_BACKUP, RES_ALL, NULL, NULL, "backup://");
	good("backup://Default_vault-1", RES_BACKUP, RES_VAULT, "Default_vault-1",
	    NULL, "backup://Default_vault-1");
	good("S3://bucket/Key", RES_S3, RES_OBJECT, "bucket", "Key",
	    "s3://bucket/Key");
	good("DynamoDB://tbl", RES_DYNAMODB, RES_TABLE, "tbl", NULL, "dynamodb://tbl");
}

static void
test_awkward_keys(void)
{
	/* Keys are taken exactly as typed: no decoding, no normalising. */
	good("s3://bkt/with space.txt", RES_S3, RES_OBJECT, "bkt",
	    "with space.txt", "s3://bkt/with space.txt");
	good("s3://bkt/a+b=c~d", RES_S3, RES_OBJECT, "bkt", "a+b=c~d",
	    "s3://bkt/a+b=c~d");
	good("s3://bkt/%41%20", RES_S3, RES_OBJECT, "bkt", "%41%20",
	    "s3://bkt/%41%20");
	good("s3://bkt/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt", RES_S3,
	    RES_OBJECT, "bkt", "caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt",
	    "s3://bkt/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt");
	good("s3://bkt/a//b", RES_S3, RES_OBJECT, "bkt", "a//b", "s3://bkt/a//b");
	good("s3://bkt//lead", RES_S3, RES_OBJECT, "bkt", "/lead", "s3://bkt//lead");
	good("s3://bkt//", RES_S3, RES_PREFIX, "bkt", "/", "s3://bkt//");
	good("s3://bkt/a/../b", RES_S3, RES_OBJECT, "bkt", "a/../b",
	    "s3://bkt/a/../b");
	good("s3://bkt/q?versionId=x#frag", RES_S3, RES_OBJECT, "bkt",
	    "q?versionId=x#frag", "s3://bkt/q?versionId=x#frag");
	good("s3://bkt/dir//", RES_S3, RES_PREFIX, "bkt", "dir//", "s3://bkt/dir//");
	good("s3://bkt/ ", RES_S3, RES_OBJECT, "bkt", " ", "s3://bkt/ ");
}

static void
test_key_limits(void)
{
	char	uri[1200];
	size_t	pre = strlen("s3://bkt/");

	memcpy(uri, "s3://bkt/", pre);
	memset(uri + pre, 'k', RESOURCE_KEY_MAX);
	uri[pre + RESOURCE_KEY_MAX] = '\0';
	good(uri, RES_S3, RES_OBJECT, "bkt", uri + pre, uri);
	uri[pre + RESOURCE_KEY_MAX] = 'k';
	uri[pre + RESOURCE_KEY_MAX + 1] = '\0';
	bad(uri, "at most 1024 bytes");
	bad("s3://bkt/bad\xff\xfe", "not valid UTF-8");
}

static void
test_errors(void)
{
	bad("", "empty resource");
	bad("my-bucket/key", "not a resource URI");
	bad("s3:/bucket/key", "not a resource URI");
	bad("ftp://host/file", "unknown resource type 'ftp://'");
	bad("dynamo://t", "unknown resource type");
	bad("s3:///key", "has no bucket name");
	bad("s3://ab/k", "3 to 63 characters");
	bad(("s3://a234567890123456789012345678901234567890123456789012345678901234"),
	    "3 to 63 characters");
	bad("s3://My-Bucket/k", "'M' is not allowed");
	bad("s3://my_bucket", "'_' is not allowed");
	bad("s3://-bucket", "begin and end");
	bad("s3://bucket-/", "begin and end");
	bad("s3://my..bucket", "contains '..'");
	bad("s3://192.168.1.10/k", "IP address");
	bad("s3://bu cket/k", "' ' is not allowed");
	bad("dynamodb://ab", "3 to 255 characters");
	bad("dynamodb://orders table", "' ' is not allowed");
	bad("dynamodb://orders/items", "takes a name, not a path");
	bad("dynamodb://orders//", "takes a name, not a path");
	bad("rds://1db", "must begin with a letter");
	bad("rds://db_prod", "'_' is not allowed");
	bad("rds://db--prod", "contain '--'");
	bad("rds://db-", "end with '-'");
	bad("rds://a234567890123456789012345678901234567890123456789012345678901234",
	    "1 to 63 characters");
	bad("rds-cluster://9cluster", "RDS DB cluster identifier");
	bad("rds://db/x", "rds://INSTANCE takes a name");
	bad("backup://v", "2 to 50 characters");
	bad("backup://my vault", "' ' is not allowed");
}

static void
test_validators(void)
{
	struct sv_err	err;

	sv_err_init(&err);
	ok(resource_valid_bucket("abc", &err), "3-character bucket is valid");
	ok(resource_valid_bucket("a.b-c.123", &err), "dots, hyphens and digits are valid");
	ok(resource_valid_bucket("1.2.3.4a", &err), "almost-an-IP is valid");
	ok(!resource_valid_bucket("1.2.3.4", NULL), "an IP is not (NULL err is fine)");
	ok(resource_valid_table("a.b", &err), "3-character table is valid");
	ok(resource_valid_rds_id("A", "DB instance", &err), "1-letter identifier is valid");
	is_int(err.code, SV_OK, "valid names record no error");
}

static void
test_copy(void)
{
	struct resource	a, b;
	struct sv_err	err;

	sv_err_init(&err);
	resource_parse("s3://bkt/some key", &a, &err);
	resource_copy(&b, &a);
	resource_free(&a);
	is_str(b.name, "bkt", "copy keeps the bucket after the original is freed");
	is_str(b.key, "some key", "copy keeps the key");
	is_int(b.kind, RES_OBJECT, "copy keeps the kind");
	resource_free(&b);
	ok(b.name == NULL && b.key == NULL, "free clears the pointers");
	is_str(resource_kind_name(RES_INSTANCE), "DB instance", "kind names for messages");
	is_str(resource_scheme_name(RES_RDS_CLUSTER), "rds-cluster", "scheme names");
}

static void
test_arns(void)
{
	static const struct {
		const char	*arn, *uri, *region;
	} cases[] = {
		{ "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
		  "dynamodb://orders", "eu-west-1" },
		{ "arn:aws:rds:us-east-1:123456789012:db:billing", "rds://billing",
		  "us-east-1" },
		{ "arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:aurora-1",
		  "rds-cluster://aurora-1", "us-gov-west-1" },
		{ "arn:aws:s3:::invoices", "s3://invoices/", "" },
		/* not a table itself, a service salvage does not show, not an ARN,
		 * a name AWS would refuse */
		{ "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/backup/0170",
		  NULL, NULL },
		{ "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0abc", NULL, NULL },
		{ "arn:aws:elasticfilesystem:eu-west-1:1:file-system/fs-1", NULL, NULL },
		{ "arn:aws:s3:::bucket/key", NULL, NULL },
		{ "arn:aws:rds:us-east-1:123456789012", NULL, NULL },
		{ "dynamodb://orders", NULL, NULL },
		{ "arn:aws:dynamodb:eu-west-1:1:table/a b", NULL, NULL },
	};
	char	region[64], name[160], *uri;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uri = resource_uri_from_arn(cases[i].arn, region, sizeof region);
		snprintf(name, sizeof name, "ARN %s -> %s", cases[i].arn,
		    cases[i].uri != NULL ? cases[i].uri : "none");
		is_str(uri, cases[i].uri, name);
		if (cases[i].region != NULL)
			is_str(region, cases[i].region, "... its region");
		free(uri);
	}
	ok(resource_uri_from_arn(NULL, NULL, 0) == NULL, "no ARN: none");
}

static void
test_arn_split(void)
{
	struct resource_arn	a;

	ok(resource_arn_split("arn:aws:rds:us-east-1:123456789012:snapshot:"
	    "awsbackup:job-1", &a), "ARN split: an RDS snapshot");
	is_str(a.partition, "aws", "... partition");
	is_str(a.service, "rds", "... service");
	is_str(a.region, "us-east-1", "... region");
	is_str(a.account, "123456789012", "... account");
	is_str(a.resource, "snapshot:awsbackup:job-1", "... the resource, ':' kept");
	ok(resource_arn_split("arn:aws:s3:::bucket/a:b", &a) && a.region[0] == '\0' &&
	    a.account[0] == '\0' && strcmp(a.resource, "bucket/a:b") == 0,
	    "ARN split: S3's empty region and account");
	ok(resource_arn_split("arn:aws-cn:backup:cn-north-1:1:recovery-point:x", &a) &&
	    strcmp(a.partition, "aws-cn") == 0, "ARN split: another partition");
	ok(!resource_arn_split("arn:aws:rds:us-east-1", &a) &&
	    !resource_arn_split("dynamodb://orders", &a) &&
	    !resource_arn_split(NULL, &a), "ARN split: not an ARN");
	ok(!resource_arn_split("arn:aws:rds:us-east-1-and-then-a-region-name-far-"
	    "too-long:1:db:x", &a), "ARN split: a field too long");
}

int
main(void)
{
	test_arn_split();
	test_forms();
	test_awkward_keys();
	test_key_limits();
	test_errors();
	test_validators();
	test_copy();
	test_arns();
	return done_testing();
}
