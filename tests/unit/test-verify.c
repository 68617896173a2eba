/* test-verify.c - the pure parts of verify and drift: segment sizing,
 * count summation over segments and pages, canonical AttributeValues and
 * item differences, ETag classification, difference reporting (checks,
 * the JSON document), the Scan/TTL/tags parsers, and drift's tag text
 * and item bookkeeping. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "aws/hash.h"
#include "core/drift.h"
#include "core/verify.h"
#include "svc/ddb-scan.h"
#include "svc/ddb-settings.h"
#include "svc/rds-modify.h"
#include "svc/s3-get.h"
#include "tap.h"
#include "util/xalloc.h"

static void
test_segments(void)
{
	const long long	GiB = 1024LL * 1024 * 1024;

	is_int(verify_segments_for(0, 4), 4, "empty table: the concurrency");
	is_int(verify_segments_for(-1, 4), 4, "unknown size: the concurrency");
	is_int(verify_segments_for(10 * 1024, 1), 1, "tiny table, one at a time: 1");
	is_int(verify_segments_for(GiB, 1), 1, "1 GiB: 1 segment");
	is_int(verify_segments_for(GiB + 1, 1), 2, "just over 1 GiB: 2");
	is_int(verify_segments_for(10 * GiB, 4), 10, "10 GiB: 10 (more than concurrency)");
	is_int(verify_segments_for(10 * GiB, 16), 16, "10 GiB at 16: 16");
	is_int(verify_segments_for(500 * GiB, 4), VERIFY_MAX_SEGMENTS,
	    "500 GiB: capped at the maximum");
	is_int(verify_segments_for(GiB, 0), VERIFY_CONCURRENCY,
	    "concurrency 0: the default");
	is_int(verify_segments_for(GiB, 1000), VERIFY_MAX_SEGMENTS,
	    "a huge concurrency is capped too");
}

static void
test_count(void)
{
	struct verify_count	c;

	verify_count_init(&c, 3);
	ok(!verify_count_complete(&c), "nothing counted: not complete");
	ok(verify_count_add(&c, 0, 100, 100, false), "segment 0 page 1");
	ok(verify_count_add(&c, 0, 50, 60, true), "segment 0 last page");
	ok(!verify_count_add(&c, 0, 1, 1, true), "a page after the last is refused");
	ok(!verify_count_add(&c, 3, 1, 1, true), "a segment out of range is refused");
	ok(!verify_count_add(&c, -1, 1, 1, true), "a negative segment is refused");
	ok(!verify_count_add(&c, 1, -5, 1, true), "a negative count is refused");
	ok(verify_count_add(&c, 2, 0, 0, true), "an empty segment");
	ok(!verify_count_complete(&c), "two of three segments: not complete");
	is_int(c.segments_done, 2, "two segments done");
	ok(verify_count_add(&c, 1, 7, -1, false), "segment 1 page 1 (no ScannedCount)");
	ok(verify_count_add(&c, 1, 3, 3, true), "segment 1 last page");
	ok(verify_count_complete(&c), "every segment done: complete");
	is_int((int)c.count, 160, "the sum of every page of every segment");
	is_int((int)c.scanned, 163, "scanned summed (absent values skipped)");
	is_int((int)c.pages, 5, "pages counted");
	verify_count_free(&c);

	verify_count_init(&c, 0);
	is_int(c.segments, 1, "0 segments means one");
	verify_count_free(&c);
}

static char *
canon(const char *json, bool item)
{
	cJSON		*j = cJSON_Parse(json);
	struct buf	 b;
	struct sv_err	 err;
	char		*s = NULL;

	if (j == NULL)
		return xstrdup("not json");
	buf_init(&b, BUF_MAX_HTTP_BODY);
	sv_err_init(&err);
	if (verify_av_canonical(j, item, &b, &err) == SV_OK)
		s = buf_detach(&b);
	buf_free(&b);
	cJSON_Delete(j);
	return s;
}

static void
is_canon(const char *json, bool item, const char *want, const char *name)
{
	char	*got = canon(json, item);

	is_str(got != NULL ? got : "(error)", want, name);
	free(got);
}

static void
test_numbers(void)
{
	static const struct {
		const char	*in, *out;
	} t[] = {
		{ "1", "1" }, { "1.50", "1.5" }, { "15E-1", "1.5" }, { "+1.5", "1.5" },
		{ "-0.50", "-0.5" }, { "0.0", "0" }, { "-0", "0" }, { "000", "0" },
		{ "1e3", "1000" }, { "100", "100" }, { "1.00e2", "100" },
		{ "0.001", "0.001" }, { "1E-3", "0.001" }, { "12.345e1", "123.45" },
		{ ".5", "0.5" }, { "5.", "5" }, { "-123.4500E+2", "-12345" },
		{ "99999999999999999999999999999999999999", "99999999999999999999999999999999999999" },
	};
	static const char *const bad[] = { "", "-", "1e", "abc", "1.2.3", "1e+", "0x10",
	    "1 ", "e5", "1e1234567" };
	struct buf	b;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char	name[96];

		buf_init(&b, BUF_MAX_SMALL);
		snprintf(name, sizeof name, "number '%s' is '%s'", t[i].in, t[i].out);
		ok(verify_number_canonical(t[i].in, &b), name);
		is_str(buf_str(&b), t[i].out, name);
		buf_free(&b);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char	name[64];

		buf_init(&b, BUF_MAX_SMALL);
		snprintf(name, sizeof name, "'%s' is not a number", bad[i]);
		ok(!verify_number_canonical(bad[i], &b), name);
		buf_free(&b);
	}
}

static void
test_canonical(void)
{
	is_canon("{\"S\":\"a\\\"b\"}", false, "{\"S\":\"a\\\"b\"}", "a string, escaped");
	is_canon("{\"N\":\"1.50\"}", false, "{\"N\":\"1.5\"}", "a number, normalized");
	is_canon("{\"BOOL\":false}", false, "{\"BOOL\":false}", "a boolean");
	is_canon("{\"NULL\":true}", false, "{\"NULL\":true}", "null");
	is_canon("{\"SS\":[\"b\",\"a\",\"c\"]}", false, "{\"SS\":[\"a\",\"b\",\"c\"]}",
	    "a string set is sorted");
	is_canon("{\"NS\":[\"10\",\"2.0\",\"1e0\"]}", false,
	    "{\"NS\":[\"1\",\"10\",\"2\"]}", "a number set: normalized and sorted");
	is_canon("{\"L\":[{\"N\":\"2\"},{\"N\":\"1\"}]}", false,
	    "{\"L\":[{\"N\":\"2\"},{\"N\":\"1\"}]}", "a list keeps its order");
	is_canon("{\"M\":{\"z\":{\"S\":\"1\"},\"a\":{\"N\":\"01\"}}}", false,
	    "{\"M\":{\"a\":{\"N\":\"1\"},\"z\":{\"S\":\"1\"}}}", "a map is sorted by name");
	is_canon("{\"pk\":{\"S\":\"k\"},\"b\":{\"N\":\"3\"},\"a\":{\"SS\":[\"y\",\"x\"]}}",
	    true, "{\"a\":{\"SS\":[\"x\",\"y\"]},\"b\":{\"N\":\"3\"},\"pk\":{\"S\":\"k\"}}",
	    "an item: attributes sorted, values canonical");
	is_canon("{}", true, "{}", "an empty item");
	ok(canon("{\"S\":\"a\",\"N\":\"1\"}", false) == NULL,
	    "two type members: not an attribute value");
	ok(canon("{\"X\":\"a\"}", false) == NULL, "an unknown type is an error");
	ok(canon("{\"N\":\"one\"}", false) == NULL, "N that is not a number: error");
	ok(canon("{\"a\":\"plain\"}", true) == NULL, "an item member that is not an AV");

	{
		char	*a = canon("{\"pk\":{\"S\":\"1\"},\"v\":{\"M\":{\"x\":{\"N\":\"1.0\"},"
			    "\"y\":{\"SS\":[\"q\",\"p\"]}}}}", true);
		char	*b = canon("{\"v\":{\"M\":{\"y\":{\"SS\":[\"p\",\"q\"]},"
			    "\"x\":{\"N\":\"1\"}}},\"pk\":{\"S\":\"1\"}}", true);
		char	*c = canon("{\"v\":{\"M\":{\"y\":{\"SS\":[\"p\",\"q\"]},"
			    "\"x\":{\"N\":\"1.01\"}}},\"pk\":{\"S\":\"1\"}}", true);

		ok(a != NULL && b != NULL && strcmp(a, b) == 0,
		    "items equal up to order, number form and set order compare equal");
		ok(a != NULL && c != NULL && strcmp(a, c) != 0,
		    "a changed nested number compares different");
		free(a);
		free(b);
		free(c);
	}
}

static void
test_item_diff(void)
{
	cJSON		*a = cJSON_Parse("{\"pk\":{\"S\":\"1\"},\"price\":{\"N\":\"10\"},"
			    "\"tags\":{\"SS\":[\"a\",\"b\"]},\"gone\":{\"S\":\"x\"}}");
	cJSON		*b = cJSON_Parse("{\"pk\":{\"S\":\"1\"},\"price\":{\"N\":\"11\"},"
			    "\"tags\":{\"SS\":[\"b\",\"a\"]},\"new\":{\"BOOL\":true}}");
	cJSON		*key;
	const char	*names[] = { "pk", "sk" };
	char		*d;

	d = verify_item_diff(a, b);
	is_str(d, "gone,new,price", "differing attributes named, sorted (set order ignored)");
	free(d);
	d = verify_item_diff(a, a);
	is_str(d, "", "an item does not differ from itself");
	free(d);

	key = verify_item_key(a, names, 1);
	ok(key != NULL, "the key of an item");
	d = verify_item_canonical(key);
	is_str(d, "{\"pk\":{\"S\":\"1\"}}", "... holds just the key attributes");
	free(d);
	cJSON_Delete(key);
	ok(verify_item_key(a, names, 2) == NULL, "an item without its range key: NULL");
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void
test_etag(void)
{
	ok(verify_etag_is_md5("\"9e107d9d372bb6826bd81d3542a419d6\"", NULL),
	    "a single-part ETag is an MD5");
	ok(verify_etag_is_md5("\"9e107d9d372bb6826bd81d3542a419d6\"", "AES256"),
	    "... also with SSE-S3");
	ok(!verify_etag_is_md5("\"9e107d9d372bb6826bd81d3542a419d6\"", "aws:kms"),
	    "not with SSE-KMS");
	ok(!verify_etag_is_md5("\"d41d8cd98f00b204e9800998ecf8427e-3\"", NULL),
	    "a multipart ETag is not");
	ok(!verify_etag_is_md5(NULL, NULL), "no ETag is not");
	ok(!verify_etag_is_md5("\"xyz\"", NULL), "garbage is not");
}

static void
test_report(void)
{
	struct verify_result	 r;
	cJSON			*key = cJSON_Parse("{\"pk\":{\"S\":\"7\"}}");
	cJSON			*a = cJSON_Parse("{\"pk\":{\"S\":\"7\"},\"n\":{\"N\":\"1\"}}");
	cJSON			*b = cJSON_Parse("{\"pk\":{\"S\":\"7\"},\"n\":{\"N\":\"2\"}}");
	cJSON			*doc, *checks, *c, *ddb;
	char			*out = NULL;
	size_t			 len = 0;
	FILE			*f;
	struct jsonw		 j;

	verify_result_init(&r);
	ok(r.equal, "a result without checks is equal");
	verify_result_check(&r, "item count", "3000", "3000");
	ok(r.equal, "an equal check keeps it equal");
	verify_result_check(&r, "key schema", "pk HASH S", "pk HASH S");
	verify_result_check(&r, "item count B", "3000", "2999");
	ok(!r.equal, "a differing check makes it different");
	ok(!r.checks[2].equal && r.checks[0].equal, "... and only that check differs");
	verify_result_check(&r, "missing", NULL, "-");
	ok(r.checks[3].equal, "NULL reads as '-'");
	verify_result_check_eq(&r, "etag", "\"ABC\"", "\"abc\"", true);
	ok(r.checks[4].equal, "equality decided by the caller");
	r.kind = VERIFY_DYNAMODB;
	r.a = xstrdup("dynamodb://a");
	r.b = xstrdup("dynamodb://b");
	r.method = xstrdup("segmented-scan");
	verify_result_diff(&r, key, a, b);
	verify_result_diff(&r, key, a, NULL);
	is_int((int)r.sample_differ, 2, "sampled differences counted");
	is_str(r.diffs[0].attrs, "n", "... the attribute that differs named");
	ok(r.diffs[1].missing && r.diffs[1].b == NULL, "... a missing item marked");
	for (int i = 0; i < VERIFY_DIFFS_MAX + 5; i++)
		verify_result_diff(&r, key, a, b);
	is_int((int)r.ndiffs, VERIFY_DIFFS_MAX, "details kept for the first few only");
	is_int((int)r.sample_differ, VERIFY_DIFFS_MAX + 7, "... all of them counted");

	f = open_memstream(&out, &len);
	jsonw_init(&j, f, false);
	verify_result_json(&r, &j);
	jsonw_finish(&j);
	fclose(f);
	doc = cJSON_Parse(out);
	ok(doc != NULL, "the JSON document parses");
	ok(cJSON_IsFalse(cJSON_GetObjectItem(doc, "equal")), "\"equal\": false");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "a")), "dynamodb://a", "\"a\"");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "method")), "segmented-scan",
	    "\"method\"");
	checks = cJSON_GetObjectItem(doc, "checks");
	is_int(cJSON_GetArraySize(checks), 5, "every check listed");
	c = cJSON_GetArrayItem(checks, 2);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")), "item count B",
	    "a check's name");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(c, "b")), "2999", "... its B");
	ok(cJSON_IsFalse(cJSON_GetObjectItem(c, "equal")), "... and equal false");
	ddb = cJSON_GetObjectItem(doc, "dynamodb");
	is_int(cJSON_GetArraySize(cJSON_GetObjectItem(ddb, "differences")),
	    VERIFY_DIFFS_MAX, "differences in the document");
	cJSON_Delete(doc);
	free(out);
	verify_result_free(&r);
	cJSON_Delete(key);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void
test_validate(void)
{
	struct verify_opts	o;
	struct sv_err		err;

	memset(&o, 0, sizeof o);
	sv_err_init(&err);
	is_int(verify_validate("dynamodb://orders", "dynamodb://orders-restored", &o,
	    &err), SV_OK, "two tables");
	sv_err_init(&err);
	is_int(verify_validate("dynamodb://orders", "rds://db2", &o, &err), SV_E_USAGE,
	    "a table and an instance: usage error");
	sv_err_init(&err);
	is_int(verify_validate("dynamodb://orders", "dynamodb://orders", &o, &err),
	    SV_E_USAGE, "a table with itself: usage error");
	sv_err_init(&err);
	is_int(verify_validate("s3://bucket1/p/", "s3://bucket1/q/", &o, &err), SV_E_USAGE,
	    "prefixes are not objects");
	sv_err_init(&err);
	o.version_a = "v1";
	o.version_b = "v2";
	is_int(verify_validate("s3://bucket1/k", "s3://bucket1/k", &o, &err), SV_OK,
	    "two versions of one object");
	sv_err_init(&err);
	is_int(verify_validate("rds://a", "rds://b", &o, &err), SV_E_USAGE,
	    "versions are for S3 only");
	memset(&o, 0, sizeof o);
	o.sample = 5;
	sv_err_init(&err);
	is_int(verify_validate("rds-cluster://a", "rds-cluster://b", &o, &err),
	    SV_E_USAGE, "--sample is for tables only");
}

static bool
count_cb(void *arg, const struct ddb_count_page *p)
{
	(void)arg;
	(void)p;
	return true;
}

static void
test_parsers(void)
{
	struct ddb_count_page	 p;
	cJSON			*lk = NULL;
	struct sv_err		 err;
	const char		*j1 = "{\"Count\":12,\"ScannedCount\":15,"
				    "\"LastEvaluatedKey\":{\"pk\":{\"S\":\"x\"}}}";
	const char		*j2 = "{\"Count\":3,\"ScannedCount\":3}";
	long long		 a, b, c;
	unsigned char		 md[SV_SHA256_LEN];
	char			 hex[SV_SHA256_HEX_LEN], b64[SV_SHA256_B64_LEN];
	struct sv_sha256	*h;

	(void)count_cb;
	sv_err_init(&err);
	is_int(ddb_parse_count_page(j1, strlen(j1), &p, &lk, &err), SV_OK,
	    "a Scan COUNT page parses");
	is_int((int)p.count, 12, "Count");
	is_int((int)p.scanned, 15, "ScannedCount");
	ok(!p.last && lk != NULL, "LastEvaluatedKey: more follows");
	cJSON_Delete(lk);
	is_int(ddb_parse_count_page(j2, strlen(j2), &p, &lk, &err), SV_OK,
	    "the last page parses");
	ok(p.last && lk == NULL, "no LastEvaluatedKey: the segment is done");
	sv_err_init(&err);
	is_int(ddb_parse_count_page("{\"Items\":[]}", 12, &p, NULL, &err), SV_E_PARSE,
	    "no Count: parse error");
	sv_err_init(&err);
	is_int(ddb_parse_count_page("{\"Count\":1,\"LastEvaluatedKey\":5}", 31, &p,
	    NULL, &err), SV_E_PARSE, "a LastEvaluatedKey that is not a key: error");

	ok(s3_parse_content_range("bytes 0-8388607/20000000", &a, &b, &c) &&
	    a == 0 && b == 8388607 && c == 20000000, "Content-Range parsed");
	ok(s3_parse_content_range("bytes 5-9/*", &a, &b, &c) && c == -1,
	    "Content-Range with an unknown size");
	ok(!s3_parse_content_range("bytes 9-5/10", &a, &b, &c), "a backward range is bad");
	ok(!s3_parse_content_range("bytes 0-9/9", &a, &b, &c), "a range past the size is bad");
	ok(!s3_parse_content_range(NULL, &a, &b, &c), "no header is bad");

	sv_sha256("abc", 3, md);
	sv_sha256_hex(md, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "SHA-256 of abc");
	sv_sha256_base64(md, b64);
	is_str(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", "... in base64");
	h = sv_sha256_new();
	sv_sha256_update(h, "a", 1);
	sv_sha256_update(h, "", 0);
	sv_sha256_update(h, "bc", 2);
	sv_sha256_final(h, md);
	sv_sha256_hex(md, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "incremental SHA-256 matches the one-shot");
	sv_sha256_free(h);
}

static bool
tags_cb(void *arg, const struct rds_tag *t, size_t n)
{
	char	**out = arg;
	const char *k[8], *v[8];

	for (size_t i = 0; i < n && i < 8; i++) {
		k[i] = t[i].key;
		v[i] = t[i].value;
	}
	*out = drift_tags_text(k, v, n < 8 ? n : 8);
	return true;
}

static bool
ttl_cb(void *arg, const struct ddb_ttl *t)
{
	char	**out = arg;

	*out = xasprintf("%s %s %d", t->status, t->attr != NULL ? t->attr : "-",
	    t->enabled);
	return true;
}

static void
test_drift(void)
{
	const char		*k[] = { "team", "aws:cloudformation:stack-name", "env" };
	const char		*v[] = { "db", "s1", "prod" };
	char			*s = drift_tags_text(k, v, 3);
	struct drift_report	 r;
	struct drift_item	*it;
	const char		*xml = "<ListTagsForResourceResponse><ListTagsForResourceResult>"
				    "<TagList><Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>a"
				    "</Key><Value></Value></Tag></TagList></ListTagsForResourceResult>"
				    "</ListTagsForResourceResponse>";
	struct sv_err		 err;
	struct rds_modify_req	 m;
	struct aws_kvlist	 params;
	const char		*sgs[] = { "sg-1", "sg-2" };
	char			*out = NULL;
	const char		*ttl = "{\"TimeToLiveDescription\":{\"TimeToLiveStatus\":"
				    "\"ENABLED\",\"AttributeName\":\"exp\"}}";

	is_str(s, "env=prod, team=db", "tags: sorted by key, aws: tags left out");
	free(s);
	s = drift_tags_text(k + 1, v + 1, 1);
	is_str(s, "-", "only system tags: none");
	free(s);

	memset(&r, 0, sizeof r);
	it = drift_report_add(&r, "TTL", "on (exp)", "off", true);
	drift_item_set(&r, it, true, "UpdateTimeToLive", "UpdateTimeToLive: enable", NULL);
	it = drift_report_add(&r, "stream", "off", "off", false);
	it = drift_report_add(&r, "deletion protection", "off", "on", true);
	drift_item_set(&r, it, false, NULL, NULL, "better protected");
	is_int((int)r.ndrift, 2, "two settings differ");
	is_int((int)r.napplicable, 1, "one can be re-applied");
	drift_item_set(&r, &r.items[0], false, NULL, NULL, NULL);
	is_int((int)r.napplicable, 0, "... un-marking it counts down");
	for (size_t i = 0; i < r.nitems; i++) {
		free(r.items[i].name);
		free(r.items[i].src);
		free(r.items[i].target);
		free(r.items[i].plan);
		free(r.items[i].note);
	}
	free(r.items);

	sv_err_init(&err);
	is_int(rds_parse_tags(xml, strlen(xml), tags_cb, &out, &err), SV_OK,
	    "ListTagsForResource parses");
	is_str(out, "a=, b=2", "... every tag, an empty value kept");
	free(out);
	out = NULL;
	sv_err_init(&err);
	is_int(ddb_parse_ttl(ttl, strlen(ttl), ttl_cb, &out, &err), SV_OK,
	    "DescribeTimeToLive parses");
	is_str(out, "ENABLED exp 1", "... status, attribute, enabled");
	free(out);

	rds_modify_req_init(&m);
	m.instance_id = "db1";
	m.vpc_security_groups = sgs;
	m.n_vpc_security_groups = 2;
	m.multi_az = 1;
	m.deletion_protection = 1;
	m.backup_retention = 7;
	m.apply_immediately = true;
	memset(&params, 0, sizeof params);
	rds_modify_params(&m, &params);
	is_int((int)params.n, 7, "ModifyDBInstance: only what changes is sent");
	is_str(params.v[1].name, "VpcSecurityGroupIds.VpcSecurityGroupId.1",
	    "... security groups as a query list");
	is_str(params.v[2].value, "sg-2", "... in order");
	is_str(params.v[6].name, "ApplyImmediately", "... applied immediately");
	aws_kvlist_free(&params);

	sv_err_init(&err);
	is_int(drift_validate("dynamodb://orders", "dynamodb://orders-restored",
	    &err), SV_OK, "drift: two tables");
	sv_err_init(&err);
	is_int(drift_validate("rds-cluster://a", "rds-cluster://b", &err), SV_OK,
	    "drift: two clusters");
	sv_err_init(&err);
	is_int(drift_validate("rds-cluster://a", "rds://b", &err), SV_E_USAGE,
	    "drift: a cluster against an instance is refused");
	sv_err_init(&err);
	is_int(drift_validate("rds://a", "rds://a", &err), SV_E_USAGE,
	    "drift: the same instance twice is refused");
}

int
main(void)
{
	test_segments();
	test_count();
	test_numbers();
	test_canonical();
	test_item_diff();
	test_etag();
	test_report();
	test_validate();
	test_parsers();
	test_drift();
	return done_testing();
}
