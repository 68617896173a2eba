/* test-awserr.c - AWS error responses per protocol, the code -> result and
 * retry tables, IAM action names, S3 200-with-<Error>, messages, and
 * endpoint/URL building. */
#include <config.h>

#include <string.h>

#include "aws/client.h"
#include "aws/endpoint.h"
#include "aws/errors.h"
#include "tests/unit/tap.h"

static struct http_headers
hdrs(const char *n1, const char *v1, const char *n2, const char *v2)
{
	struct http_headers	h;

	memset(&h, 0, sizeof h);
	if (n1 != NULL)
		http_headers_add(&h, n1, v1);
	if (n2 != NULL)
		http_headers_add(&h, n2, v2);
	return h;
}

static void
test_s3(void)
{
	struct aws_error	e;
	struct http_headers	h;
	const char		*body =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Error><Code>NoSuchBucket</Code><Message>The specified bucket "
	    "does not exist</Message><BucketName>x</BucketName>"
	    "<RequestId>ABC</RequestId><HostId>h</HostId></Error>";

	ok(aws_error_parse(AWS_PROTO_REST_XML, 404, NULL, body, strlen(body),
	    false, &e), "s3: error body parsed");
	is_str(e.code, "NoSuchBucket", "s3: code");
	is_str(e.message, "The specified bucket does not exist", "s3: message");
	is_str(e.request_id, "ABC", "s3: request id from the body");

	h = hdrs("x-amz-request-id", "HDR1", NULL, NULL);
	aws_error_parse(AWS_PROTO_REST_XML, 404, &h, body, strlen(body), false, &e);
	is_str(e.request_id, "HDR1", "s3: request id header wins");
	http_headers_free(&h);

	/* HEAD: no body, the status says it. */
	ok(aws_error_parse(AWS_PROTO_REST_XML, 404, NULL, NULL, 0, true, &e),
	    "s3 HEAD 404 classified");
	is_str(e.code, "NotFound", "s3 HEAD 404 -> NotFound");
	aws_error_parse(AWS_PROTO_REST_XML, 403, NULL, "", 0, true, &e);
	is_str(e.code, "AccessDenied", "s3 HEAD 403 -> AccessDenied");
	h = hdrs("x-amz-bucket-region", "eu-west-1", NULL, NULL);
	aws_error_parse(AWS_PROTO_REST_XML, 301, &h, NULL, 0, true, &e);
	is_str(e.code, "PermanentRedirect", "s3 HEAD 301 -> PermanentRedirect");
	is_str(e.region, "eu-west-1", "s3 301: region from x-amz-bucket-region");
	http_headers_free(&h);
	h = hdrs("x-amz-delete-marker", "true", NULL, NULL);
	aws_error_parse(AWS_PROTO_REST_XML, 404, &h, NULL, 0, true, &e);
	ok(strstr(e.message, "delete marker") != NULL,
	    "s3 HEAD 404 with x-amz-delete-marker says so");
	http_headers_free(&h);

	body = "<Error><Code>AuthorizationHeaderMalformed</Code><Message>the "
	    "region 'us-east-1' is wrong; expecting 'eu-central-1'</Message>"
	    "<Region>eu-central-1</Region><RequestId>R</RequestId></Error>";
	aws_error_parse(AWS_PROTO_REST_XML, 400, NULL, body, strlen(body), false, &e);
	is_str(e.region, "eu-central-1", "s3 400: region from <Region>");

	/* 200 with <Error> */
	ok(aws_s3_body_is_error("<?xml version=\"1.0\"?>\n\n  <Error><Code>"
	    "InternalError</Code></Error>", 58), "s3 200: <Error> after decl "
	    "and white space");
	ok(aws_s3_body_is_error("   \n  <Error>", 13), "s3 200: keep-alive "
	    "spaces then <Error>");
	ok(!aws_s3_body_is_error("<?xml version=\"1.0\"?><CopyObjectResult>"
	    "<ETag>x</ETag></CopyObjectResult>", 74), "s3 200: CopyObjectResult "
	    "is not an error");
	ok(!aws_s3_body_is_error("<ErrorDocument/>", 16), "s3 200: "
	    "<ErrorDocument> is not <Error>");
	ok(aws_s3_may_error_in_200(OP_S3_CopyObject) &&
	    aws_s3_may_error_in_200(OP_S3_CompleteMultipartUpload) &&
	    aws_s3_may_error_in_200(OP_S3_UploadPartCopy) &&
	    !aws_s3_may_error_in_200(OP_S3_GetObject),
	    "s3: operations that may hide errors in a 200");

	/* Garbage */
	ok(!aws_error_parse(AWS_PROTO_REST_XML, 500, NULL, "<html>oops", 10,
	    false, &e), "s3: unparseable body");
	is_str(e.code, "", "s3: unparseable: no code");
	ok(strstr(e.message, "HTTP 500 Internal Server Error") != NULL,
	    "s3: unparseable: the status line is in the message");
}

static void
test_query(void)
{
	struct aws_error	 e;
	const char		*body =
	    "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
	    "<Error><Type>Sender</Type><Code>DBInstanceNotFound</Code>"
	    "<Message>DBInstance db1 not found.</Message></Error>"
	    "<RequestId>q-123</RequestId></ErrorResponse>";

	ok(aws_error_parse(AWS_PROTO_QUERY, 404, NULL, body, strlen(body),
	    false, &e), "query: error parsed");
	is_str(e.code, "DBInstanceNotFound", "query: code");
	is_str(e.message, "DBInstance db1 not found.", "query: message");
	is_str(e.request_id, "q-123", "query: request id");

	body = "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
	    "<Message>slow</Message></Error></Errors><RequestID>r</RequestID>"
	    "</Response>";
	aws_error_parse(AWS_PROTO_QUERY, 503, NULL, body, strlen(body), false, &e);
	is_str(e.code, "RequestLimitExceeded", "query: EC2-style Response/Errors");
	is_str(e.request_id, "r", "query: RequestID");
}

static void
test_json(void)
{
	struct aws_error	 e;
	struct http_headers	 h;
	const char		*body = "{\"__type\":\"com.amazonaws.dynamodb."
	    "v20120810#ResourceNotFoundException\",\"message\":\"Requested "
	    "resource not found: Table: t not found\"}";

	h = hdrs("x-amzn-RequestId", "J1", NULL, NULL);
	ok(aws_error_parse(AWS_PROTO_JSON, 400, &h, body, strlen(body), false,
	    &e), "json: error parsed");
	is_str(e.code, "ResourceNotFoundException", "json: code after '#'");
	is_str(e.message, "Requested resource not found: Table: t not found",
	    "json: message");
	is_str(e.request_id, "J1", "json: request id header");
	http_headers_free(&h);

	body = "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded\"}";
	aws_error_parse(AWS_PROTO_JSON, 400, NULL, body, strlen(body), false, &e);
	is_str(e.code, "ThrottlingException", "json: code without '#'");
	is_str(e.message, "Rate exceeded", "json: Message (capitalised)");

	h = hdrs("x-amzn-ErrorType", "AccessDeniedException:http://internal."
	    "amazon.com/coral/com.amazon.coral.service/", NULL, NULL);
	body = "{\"Message\":\"User is not authorized\"}";
	ok(aws_error_parse(AWS_PROTO_REST_JSON, 403, &h, body, strlen(body),
	    false, &e), "rest-json: error parsed");
	is_str(e.code, "AccessDeniedException", "rest-json: x-amzn-ErrorType, "
	    "stripped after ':'");
	is_str(e.message, "User is not authorized", "rest-json: message");
	http_headers_free(&h);

	body = "{\"Code\":\"ResourceNotFoundException\",\"Message\":\"no vault\"}";
	aws_error_parse(AWS_PROTO_REST_JSON, 404, NULL, body, strlen(body), false, &e);
	is_str(e.code, "ResourceNotFoundException", "rest-json: Code in the "
	    "body without the header");

	ok(!aws_error_parse(AWS_PROTO_JSON, 502, NULL, "{oops", 5, false, &e),
	    "json: unparseable");
	ok(strstr(e.message, "HTTP 502 Bad Gateway") != NULL,
	    "json: unparseable: status line");
}

static void
test_tables(void)
{
	static const struct {
		const char	*code;
		long		 status;
		sv_result	 want;
	} results[] = {
		{ "NoSuchBucket", 404, SV_E_NOTFOUND },
		{ "NoSuchKey", 404, SV_E_NOTFOUND },
		{ "NotFound", 404, SV_E_NOTFOUND },
		{ "ResourceNotFoundException", 400, SV_E_NOTFOUND },
		{ "DBInstanceNotFound", 404, SV_E_NOTFOUND },
		{ "DBSnapshotNotFound", 404, SV_E_NOTFOUND },
		{ "DBClusterNotFoundFault", 404, SV_E_NOTFOUND },
		{ "AccessDenied", 403, SV_E_DENIED },
		{ "AccessDeniedException", 400, SV_E_DENIED },
		{ "UnauthorizedOperation", 403, SV_E_DENIED },
		{ "", 403, SV_E_DENIED },
		{ "", 404, SV_E_NOTFOUND },
		{ "ExpiredToken", 400, SV_E_CREDS },
		{ "ExpiredTokenException", 400, SV_E_CREDS },
		{ "InvalidClientTokenId", 403, SV_E_CREDS },
		{ "UnrecognizedClientException", 400, SV_E_CREDS },
		{ "InvalidAccessKeyId", 403, SV_E_CREDS },
		{ "SignatureDoesNotMatch", 403, SV_E_CREDS },
		{ "InvalidSignatureException", 400, SV_E_CREDS },
		{ "SlowDown", 503, SV_E_THROTTLED },
		{ "ThrottlingException", 400, SV_E_THROTTLED },
		{ "Throttling", 400, SV_E_THROTTLED },
		{ "ProvisionedThroughputExceededException", 400, SV_E_THROTTLED },
		{ "", 429, SV_E_THROTTLED },
		{ "ServiceUnavailable", 503, SV_E_NET },
		{ "InternalError", 500, SV_E_NET },
		{ "", 502, SV_E_NET },
		{ "TableAlreadyExistsException", 400, SV_E_EXISTS },
		{ "DBInstanceAlreadyExists", 400, SV_E_EXISTS },
		{ "ValidationException", 400, SV_E_AWS },
		{ "", 418, SV_E_AWS },
	};
	static const struct {
		long		 status;
		const char	*code, *message;
		enum http_retry	 want;
	} retries[] = {
		{ 503, "SlowDown", "", HTTP_RETRY_THROTTLE },
		{ 400, "ThrottlingException", "", HTTP_RETRY_THROTTLE },
		{ 400, "Throttling", "", HTTP_RETRY_THROTTLE },
		{ 400, "RequestLimitExceeded", "", HTTP_RETRY_THROTTLE },
		{ 400, "LimitExceededException", "", HTTP_RETRY_THROTTLE },
		{ 400, "PriorRequestNotComplete", "", HTTP_RETRY_THROTTLE },
		{ 429, "", "", HTTP_RETRY_THROTTLE },
		{ 503, "", "", HTTP_RETRY_TRANSIENT },
		{ 500, "InternalError", "", HTTP_RETRY_TRANSIENT },
		{ 502, "", "", HTTP_RETRY_TRANSIENT },
		{ 504, "", "", HTTP_RETRY_TRANSIENT },
		{ 400, "RequestTimeout", "", HTTP_RETRY_TRANSIENT },
		{ 501, "NotImplemented", "", HTTP_NO_RETRY },
		{ 404, "NoSuchKey", "", HTTP_NO_RETRY },
		{ 403, "AccessDenied", "", HTTP_NO_RETRY },
		{ 403, "RequestTimeTooSkewed", "", HTTP_RETRY_SKEW },
		{ 400, "RequestExpired", "", HTTP_RETRY_SKEW },
		{ 400, "InvalidSignatureException", "Signature expired: "
		    "20240101T000000Z is now earlier than ...", HTTP_RETRY_SKEW },
		{ 400, "InvalidSignatureException", "The request signature we "
		    "calculated does not match", HTTP_NO_RETRY },
		{ 400, "ValidationException", "", HTTP_NO_RETRY },
	};
	char	name[160];

	for (size_t i = 0; i < sizeof results / sizeof results[0]; i++) {
		snprintf(name, sizeof name, "result: '%s' %ld -> %s",
		    results[i].code, results[i].status,
		    sv_result_str(results[i].want));
		is_int(aws_error_result(results[i].code, results[i].status),
		    results[i].want, name);
	}
	for (size_t i = 0; i < sizeof retries / sizeof retries[0]; i++) {
		snprintf(name, sizeof name, "retry: %ld '%s' -> %d",
		    retries[i].status, retries[i].code, (int)retries[i].want);
		is_int(aws_error_retry(retries[i].status, retries[i].code,
		    retries[i].message), retries[i].want, name);
	}
	ok(aws_error_is_expired_token("ExpiredToken") &&
	    aws_error_is_expired_token("ExpiredTokenException") &&
	    !aws_error_is_expired_token("InvalidAccessKeyId"),
	    "expired-token codes");
}

static void
test_names(void)
{
	static const struct {
		enum aws_op_id	 op;
		const char	*want;
	} t[] = {
		{ OP_S3_ListObjectVersions, "s3:ListBucketVersions" },
		{ OP_S3_ListObjectsV2, "s3:ListBucket" },
		{ OP_S3_GetBucketVersioning, "s3:GetBucketVersioning" },
		{ OP_S3_HeadObject, "s3:GetObject" },
		{ OP_S3_GetObject, "s3:GetObject" },
		{ OP_S3_ListBuckets, "s3:ListAllMyBuckets" },
		{ OP_S3_CopyObject, "s3:PutObject" },
		{ OP_DDB_DescribeTable, "dynamodb:DescribeTable" },
		{ OP_RDS_DescribeDBInstances, "rds:DescribeDBInstances" },
		{ OP_STS_GetCallerIdentity, "sts:GetCallerIdentity" },
		{ OP_BACKUP_ListBackupVaults, "backup:ListBackupVaults" },
	};
	char	buf[128];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		aws_iam_action(aws_op_get(t[i].op), buf, sizeof buf);
		is_str(buf, t[i].want, "IAM action name");
	}
	is_str(aws_service_title(AWS_SVC_BACKUP), "AWS Backup", "service title");
}

static void
test_messages(void)
{
	struct aws_error	e;
	struct sv_err		err;

	memset(&e, 0, sizeof e);
	strcpy(e.code, "NoSuchBucket");
	strcpy(e.message, "The specified bucket does not exist");
	strcpy(e.request_id, "ABC");
	sv_err_init(&err);
	aws_error_describe(&err, SV_E_NOTFOUND, "S3 ListObjectVersions on "
	    "bucket 'x'", aws_op_get(OP_S3_ListObjectVersions), &e, 404, 1);
	is_str(err.msg, "S3 ListObjectVersions on bucket 'x': NoSuchBucket: "
	    "The specified bucket does not exist (request id ABC)",
	    "not-found message");
	is_int(err.code, SV_E_NOTFOUND, "not-found code");

	strcpy(e.code, "AccessDenied");
	strcpy(e.message, "Access Denied");
	sv_err_init(&err);
	aws_error_describe(&err, SV_E_DENIED, "S3 ListObjectVersions on bucket "
	    "'x'", aws_op_get(OP_S3_ListObjectVersions), &e, 403, 1);
	ok(strstr(err.msg, "access denied: s3:ListBucketVersions") != NULL,
	    "denied message names the IAM action");
	diag("%s", err.msg);

	strcpy(e.code, "ServiceUnavailable");
	strcpy(e.message, "Service Unavailable");
	sv_err_init(&err);
	aws_error_describe(&err, SV_E_NET, "S3 ListBuckets",
	    aws_op_get(OP_S3_ListBuckets), &e, 503, 3);
	ok(strstr(err.msg, "after 3 attempts") != NULL,
	    "exhausted 5xx names the attempts");
	diag("%s", err.msg);
}

static void
test_crc(void)
{
	struct http_headers	h;

	is_int(aws_crc32("123456789", 9), 0xcbf43926UL, "crc32 check value");
	h = hdrs("x-amz-crc32", "3421780262", NULL, NULL);
	ok(aws_crc32_ok(&h, "123456789", 9), "crc32 header matches");
	ok(!aws_crc32_ok(&h, "123456780", 9), "crc32 header mismatch");
	http_headers_free(&h);
	memset(&h, 0, sizeof h);
	ok(aws_crc32_ok(&h, "x", 1), "no crc32 header: fine");
}

static void
test_endpoints(void)
{
	struct aws_url		u;
	struct aws_kvlist	q;
	struct sv_err		err;
	char			*s;

	s = aws_endpoint_default(AWS_SVC_S3, "eu-west-1");
	is_str(s, "https://s3.eu-west-1.amazonaws.com", "s3 endpoint");
	free(s);
	s = aws_endpoint_default(AWS_SVC_DYNAMODB, "cn-north-1");
	is_str(s, "https://dynamodb.cn-north-1.amazonaws.com.cn", "cn endpoint");
	free(s);
	s = aws_endpoint_default(AWS_SVC_BACKUP, NULL);
	is_str(s, "https://backup.us-east-1.amazonaws.com", "default region");
	free(s);

	ok(aws_s3_virtual_ok("my-bucket-1"), "virtual: plain name");
	ok(!aws_s3_virtual_ok("my.bucket"), "virtual: no dots");
	ok(!aws_s3_virtual_ok("My_Bucket"), "virtual: not DNS-safe");
	ok(!aws_s3_virtual_ok("ab"), "virtual: too short");
	ok(!aws_s3_virtual_ok("-ab"), "virtual: leading dash");

	aws_url_init(&u);
	memset(&q, 0, sizeof q);
	sv_err_init(&err);
	aws_kvlist_add(&q, "versions", NULL);
	aws_kvlist_add(&q, "prefix", "a b/c+d");
	ok(aws_url_build(&u, "https://s3.eu-west-1.amazonaws.com", false,
	    AWS_SVC_S3, OP_S3_ListObjectVersions, "bkt", NULL, NULL, &q,
	    &err) == SV_OK, "url: virtual-hosted listing");
	is_str(buf_str(&u.url), "https://bkt.s3.eu-west-1.amazonaws.com/"
	    "?versions&prefix=a%20b%2Fc%2Bd", "url: virtual host, ?versions, "
	    "query encoded");
	is_str(u.host, "bkt.s3.eu-west-1.amazonaws.com", "url: host");
	is_str(buf_str(&u.path), "/", "url: path /");
	is_str(buf_str(&u.query), "versions&prefix=a%20b%2Fc%2Bd", "url: query");
	aws_kvlist_free(&q);

	aws_url_build(&u, "https://s3.eu-west-1.amazonaws.com", false,
	    AWS_SVC_S3, OP_S3_GetObject, "bkt", "a/../b//c d+e=f\xc3\xa9", NULL,
	    NULL, &err);
	is_str(buf_str(&u.path), "/a/../b//c%20d%2Be%3Df%C3%A9",
	    "url: key encoded once, dots and // kept");

	aws_url_build(&u, "https://s3.eu-west-1.amazonaws.com", false,
	    AWS_SVC_S3, OP_S3_GetObject, "my.bucket", "k", NULL, NULL, &err);
	is_str(buf_str(&u.url), "https://s3.eu-west-1.amazonaws.com/my.bucket/k",
	    "url: dotted bucket goes path style");

	aws_url_build(&u, "https://s3.eu-west-1.amazonaws.com", false,
	    AWS_SVC_S3, OP_S3_GetBucketLocation, "bkt", NULL, NULL, NULL, &err);
	is_str(buf_str(&u.url), "https://s3.eu-west-1.amazonaws.com/bkt",
	    "url: GetBucketLocation goes path style");

	aws_url_build(&u, "http://127.0.0.1:5000/", true, AWS_SVC_S3,
	    OP_S3_HeadObject, "bkt", "x y", NULL, NULL, &err);
	is_str(buf_str(&u.url), "http://127.0.0.1:5000/bkt/x%20y",
	    "url: custom endpoint is path style");
	is_str(u.host, "127.0.0.1:5000", "url: host keeps a non-default port");

	aws_url_build(&u, "http://127.0.0.1:5000", true, AWS_SVC_S3,
	    OP_S3_ListBuckets, NULL, NULL, NULL, NULL, &err);
	is_str(buf_str(&u.url), "http://127.0.0.1:5000/", "url: ListBuckets /");

	aws_url_build(&u, "https://example.com:443/prefix/", true,
	    AWS_SVC_DYNAMODB, OP_DDB_ListTables, NULL, NULL, NULL, NULL, &err);
	is_str(u.host, "example.com", "url: default port dropped from Host");
	is_str(buf_str(&u.path), "/prefix/", "url: endpoint path prefix kept");

	aws_url_build(&u, "https://backup.us-east-1.amazonaws.com", false,
	    AWS_SVC_BACKUP, OP_BACKUP_ListRecoveryPointsByBackupVault, NULL,
	    NULL, "/backup-vaults/v1/recovery-points/", NULL, &err);
	is_str(buf_str(&u.url), "https://backup.us-east-1.amazonaws.com/"
	    "backup-vaults/v1/recovery-points/", "url: rest-json path as given");

	sv_err_init(&err);
	ok(aws_url_build(&u, "ftp://x", true, AWS_SVC_S3, OP_S3_ListBuckets,
	    NULL, NULL, NULL, NULL, &err) == SV_E_CONFIG, "url: bad endpoint");
	aws_url_free(&u);
}

int
main(void)
{
	test_s3();
	test_query();
	test_json();
	test_tables();
	test_names();
	test_messages();
	test_crc();
	test_endpoints();
	return done_testing();
}
