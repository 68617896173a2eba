/* errors.c - AWS error responses per protocol (AWS-NOTES "Protocols"):
 * query <ErrorResponse><Error><Code/>, json 1.0 {"__type":"...#Code"},
 * rest-json x-amzn-ErrorType, S3 <Error><Code/> (HEAD errors by status);
 * the code -> result / retry table; IAM action names; messages. */
#include <config.h>	/* the build's, not aws/config.h next to this file */

#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/errors.h"
#include "aws/retry.h"
#include "util/str.h"
#include "util/xml.h"

/* ---- the code table ---------------------------------------------------- */

enum code_class {
	CC_NONE,
	CC_NOTFOUND,
	CC_DENIED,
	CC_CREDS,
	CC_EXPIRED,	/* credentials: refresh and retry once */
	CC_THROTTLE,
	CC_TRANSIENT,
	CC_SKEW,
	CC_EXISTS
};

static const struct {
	const char	*code;
	enum code_class	 cls;
} codes[] = {
	/* not found */
	{ "NoSuchBucket", CC_NOTFOUND },
	{ "NoSuchKey", CC_NOTFOUND },
	{ "NoSuchVersion", CC_NOTFOUND },
	{ "NoSuchUpload", CC_NOTFOUND },
	{ "NotFound", CC_NOTFOUND },
	{ "NoSuchObjectLockConfiguration", CC_NOTFOUND },
	{ "ObjectLockConfigurationNotFoundError", CC_NOTFOUND },
	{ "ResourceNotFoundException", CC_NOTFOUND },
	{ "TableNotFoundException", CC_NOTFOUND },
	{ "BackupNotFoundException", CC_NOTFOUND },
	{ "DBInstanceNotFound", CC_NOTFOUND },
	{ "DBInstanceNotFoundFault", CC_NOTFOUND },
	{ "DBSnapshotNotFound", CC_NOTFOUND },
	{ "DBSnapshotNotFoundFault", CC_NOTFOUND },
	{ "DBClusterNotFoundFault", CC_NOTFOUND },
	{ "DBClusterSnapshotNotFoundFault", CC_NOTFOUND },
	{ "DBInstanceAutomatedBackupNotFound", CC_NOTFOUND },
	{ "DBInstanceAutomatedBackupNotFoundFault", CC_NOTFOUND },
	{ "NoSuchEntity", CC_NOTFOUND },
	/* denied */
	{ "AccessDenied", CC_DENIED },
	{ "AccessDeniedException", CC_DENIED },
	{ "UnauthorizedOperation", CC_DENIED },
	{ "AllAccessDisabled", CC_DENIED },
	{ "AuthorizationError", CC_DENIED },
	/* credentials */
	{ "ExpiredToken", CC_EXPIRED },
	{ "ExpiredTokenException", CC_EXPIRED },
	{ "InvalidClientTokenId", CC_CREDS },
	{ "UnrecognizedClientException", CC_CREDS },
	{ "InvalidAccessKeyId", CC_CREDS },
	{ "SignatureDoesNotMatch", CC_CREDS },
	{ "InvalidSignatureException", CC_CREDS },
	{ "IncompleteSignature", CC_CREDS },
	{ "IncompleteSignatureException", CC_CREDS },
	{ "MissingAuthenticationToken", CC_CREDS },
	{ "MissingAuthenticationTokenException", CC_CREDS },
	{ "InvalidToken", CC_CREDS },
	{ "TokenRefreshRequired", CC_CREDS },
	{ "AuthFailure", CC_CREDS },
	/* throttling: botocore's ThrottledRetryableChecker list */
	{ "Throttling", CC_THROTTLE },
	{ "ThrottlingException", CC_THROTTLE },
	{ "ThrottledException", CC_THROTTLE },
	{ "RequestThrottledException", CC_THROTTLE },
	{ "TooManyRequestsException", CC_THROTTLE },
	{ "ProvisionedThroughputExceededException", CC_THROTTLE },
	{ "TransactionInProgressException", CC_THROTTLE },
	{ "RequestLimitExceeded", CC_THROTTLE },
	{ "BandwidthLimitExceeded", CC_THROTTLE },
	{ "LimitExceededException", CC_THROTTLE },
	{ "RequestThrottled", CC_THROTTLE },
	{ "SlowDown", CC_THROTTLE },
	{ "PriorRequestNotComplete", CC_THROTTLE },
	{ "EC2ThrottledException", CC_THROTTLE },
	/* transient */
	{ "RequestTimeout", CC_TRANSIENT },
	{ "RequestTimeoutException", CC_TRANSIENT },
	/* clock skew */
	{ "RequestTimeTooSkewed", CC_SKEW },
	{ "RequestExpired", CC_SKEW },
	{ "RequestInTheFuture", CC_SKEW },
	/* already exists */
	{ "TableAlreadyExistsException", CC_EXISTS },
	{ "DBInstanceAlreadyExists", CC_EXISTS },
	{ "DBInstanceAlreadyExistsFault", CC_EXISTS },
	{ "DBSnapshotAlreadyExists", CC_EXISTS },
	{ "DBSnapshotAlreadyExistsFault", CC_EXISTS },
	{ "DBClusterAlreadyExistsFault", CC_EXISTS },
	{ "DBClusterSnapshotAlreadyExistsFault", CC_EXISTS },
	{ "BackupInUseException", CC_EXISTS },
	{ "AlreadyExistsException", CC_EXISTS },
	{ "BucketAlreadyExists", CC_EXISTS },
	{ "BucketAlreadyOwnedByYou", CC_EXISTS },
};

static enum code_class
code_class(const char *code)
{
	if (code == NULL || *code == '\0')
		return CC_NONE;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(codes[i].code, code) == 0)
			return codes[i].cls;
	return CC_NONE;
}

bool
aws_error_is_throttling(const char *code)
{
	return code_class(code) == CC_THROTTLE;
}

bool
aws_error_is_expired_token(const char *code)
{
	return code_class(code) == CC_EXPIRED;
}

bool
aws_error_is_skew(const char *code, const char *message)
{
	if (code_class(code) == CC_SKEW)
		return true;
	/* DynamoDB and others: InvalidSignatureException "Signature expired: ..." */
	return code != NULL && *code != '\0' && message != NULL &&
	    strstr(message, "Signature expired") != NULL;
}

sv_result
aws_error_result(const char *code, long status)
{
	switch (code_class(code)) {
	case CC_NOTFOUND:
		return SV_E_NOTFOUND;
	case CC_DENIED:
		return SV_E_DENIED;
	case CC_CREDS:
	case CC_EXPIRED:
		return SV_E_CREDS;
	case CC_THROTTLE:
		return SV_E_THROTTLED;
	case CC_EXISTS:
		return SV_E_EXISTS;
	case CC_TRANSIENT:
		return SV_E_NET;
	case CC_SKEW:
		return SV_E_AWS;
	case CC_NONE:
		break;
	}
	if (status == 429)
		return SV_E_THROTTLED;
	if (status == 500 || status == 502 || status == 503 || status == 504)
		return SV_E_NET;
	if (code == NULL || *code == '\0') {
		if (status == 404)
			return SV_E_NOTFOUND;
		if (status == 403)
			return SV_E_DENIED;
	}
	return SV_E_AWS;
}

enum http_retry
aws_error_retry(long status, const char *code, const char *message)
{
	if (aws_error_is_skew(code, message))
		return HTTP_RETRY_SKEW;
	switch (code_class(code)) {
	case CC_THROTTLE:
		return HTTP_RETRY_THROTTLE;
	case CC_TRANSIENT:
		return HTTP_RETRY_TRANSIENT;
	default:
		break;
	}
	return retry_classify_status(status);
}

/* ---- parsing ----------------------------------------------------------- */

struct xml_err {
	struct aws_error	*e;
	bool			 error_doc;	/* saw an <Error> element */
};

/* True if the element ending at path ("/A/Error/Code") sits in <Error>. */
static bool
parent_is_error(const char *path)
{
	const char	*last, *p;

	if ((last = strrchr(path, '/')) == NULL || last == path)
		return false;
	for (p = last; p > path && p[-1] != '/'; p--)
		;
	return (size_t)(last - p) == 5 && strncmp(p, "Error", 5) == 0;
}

static void
on_xml_end(void *ud, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct xml_err	*x = ud;
	struct aws_error *e = x->e;

	(void)depth;
	(void)len;
	if (strcmp(name, "Error") == 0) {
		x->error_doc = true;
		return;
	}
	if (parent_is_error(path)) {
		if (strcmp(name, "Code") == 0)
			str_lcpy(e->code, text, sizeof e->code);
		else if (strcmp(name, "Message") == 0)
			str_lcpy(e->message, text, sizeof e->message);
		else if (strcmp(name, "RequestId") == 0 && e->request_id[0] == '\0')
			str_lcpy(e->request_id, text, sizeof e->request_id);
		else if (strcmp(name, "Region") == 0 && e->region[0] == '\0')
			str_lcpy(e->region, text, sizeof e->region);
		return;
	}
	if ((strcmp(name, "RequestId") == 0 || strcmp(name, "RequestID") == 0) &&
	    e->request_id[0] == '\0')
		str_lcpy(e->request_id, text, sizeof e->request_id);
}

static bool
parse_xml(const char *body, size_t len, struct aws_error *e)
{
	static const struct xml_handler h = { NULL, on_xml_end };
	struct xml_err	x = { e, false };
	struct sv_err	err;

	sv_err_init(&err);
	if (xml_parse(body, len, &h, &x, &err) != SV_OK)
		return false;
	return e->code[0] != '\0';
}

static const char *
json_string(const cJSON *o, const char *a, const char *b)
{
	const cJSON	*v;

	if ((v = cJSON_GetObjectItemCaseSensitive(o, a)) != NULL &&
	    cJSON_IsString(v))
		return v->valuestring;
	if (b != NULL && (v = cJSON_GetObjectItemCaseSensitive(o, b)) != NULL &&
	    cJSON_IsString(v))
		return v->valuestring;
	return NULL;
}

/* "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> after
 * '#'; "ResourceNotFoundException:http://internal..." -> before ':'. */
static void
set_code(struct aws_error *e, const char *raw)
{
	const char	*p;
	size_t		 n;

	if ((p = strrchr(raw, '#')) != NULL)
		raw = p + 1;
	n = strcspn(raw, ":");
	if (n >= sizeof e->code)
		n = sizeof e->code - 1;
	memcpy(e->code, raw, n);
	e->code[n] = '\0';
	str_trim(e->code);
}

static bool
parse_json(const char *body, size_t len, bool rest, struct aws_error *e)
{
	cJSON		*root;
	const char	*s;
	bool		 found = false;

	if ((root = cJSON_ParseWithLength(body, len)) == NULL)
		return false;
	if (cJSON_IsObject(root)) {
		if (!rest || e->code[0] == '\0') {
			if ((s = json_string(root, "__type", NULL)) != NULL ||
			    (s = json_string(root, "code", "Code")) != NULL) {
				set_code(e, s);
				found = true;
			}
		}
		if ((s = json_string(root, "message", "Message")) != NULL)
			str_lcpy(e->message, s, sizeof e->message);
		found = found || e->code[0] != '\0';
	}
	cJSON_Delete(root);
	return found;
}

static const char *
head_code(long status, const struct http_headers *h)
{
	switch (status) {
	case 301:
		return "PermanentRedirect";
	case 304:
		return "NotModified";
	case 307:
		return "TemporaryRedirect";
	case 400:
		return "BadRequest";
	case 403:
		return "AccessDenied";
	case 404:
		return "NotFound";
	case 405:
		return "MethodNotAllowed";
	case 412:
		return "PreconditionFailed";
	case 429:
		return "TooManyRequests";
	case 500:
		return "InternalError";
	case 503:
		return "ServiceUnavailable";
	}
	return NULL;
}

/* A printable excerpt of a body that could not be understood. */
static void
excerpt(const char *body, size_t len, char *out, size_t outsz)
{
	size_t	i, n = 0;

	for (i = 0; i < len && n + 4 < outsz && i < 120; i++) {
		unsigned char c = (unsigned char)body[i];

		out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	if (i < len && n + 4 < outsz) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

bool
aws_error_parse(enum aws_protocol proto, long status,
    const struct http_headers *h, const char *body, size_t len, bool is_head,
    struct aws_error *e)
{
	const char	*v;
	bool		 found = false;
	char		 ex[160];

	memset(e, 0, sizeof *e);
	if (h != NULL) {
		if ((v = http_headers_get(h, "x-amzn-RequestId")) != NULL ||
		    (v = http_headers_get(h, "x-amz-request-id")) != NULL)
			str_lcpy(e->request_id, v, sizeof e->request_id);
		if ((v = http_headers_get(h, "x-amz-bucket-region")) != NULL)
			str_lcpy(e->region, v, sizeof e->region);
	}
	if (body == NULL)
		len = 0;
	while (len > 0 && isspace((unsigned char)*body)) {
		body++;
		len--;
	}

	switch (proto) {
	case AWS_PROTO_REST_XML:
	case AWS_PROTO_QUERY:
		if (len > 0)
			found = parse_xml(body, len, e);
		break;
	case AWS_PROTO_REST_JSON:
		if (h != NULL && (v = http_headers_get(h, "x-amzn-ErrorType")) != NULL &&
		    *v != '\0')
			set_code(e, v);
		if (len > 0)
			parse_json(body, len, true, e);
		found = e->code[0] != '\0';
		break;
	case AWS_PROTO_JSON:
		if (len > 0)
			found = parse_json(body, len, false, e);
		if (!found && h != NULL &&
		    (v = http_headers_get(h, "x-amzn-ErrorType")) != NULL &&
		    *v != '\0') {
			set_code(e, v);
			found = true;
		}
		break;
	}
	if (found) {
		e->from_body = true;
		return true;
	}
	/* No body (HEAD), or one we did not understand. */
	if ((is_head || len == 0) && proto == AWS_PROTO_REST_XML &&
	    (v = head_code(status, h)) != NULL) {
		str_lcpy(e->code, v, sizeof e->code);
		if (status == 404 && h != NULL &&
		    http_headers_get(h, "x-amz-delete-marker") != NULL)
			str_lcpy(e->message, "the current version is a delete "
			    "marker", sizeof e->message);
		else if (status == 405 && h != NULL &&
		    http_headers_get(h, "x-amz-delete-marker") != NULL)
			str_lcpy(e->message, "the version asked for is a delete "
			    "marker", sizeof e->message);
		else
			snprintf(e->message, sizeof e->message, "HTTP %ld %s",
			    status, http_status_text(status));
		return true;
	}
	e->code[0] = '\0';
	if (len == 0)
		snprintf(e->message, sizeof e->message, "HTTP %ld %s (no body)",
		    status, http_status_text(status));
	else {
		excerpt(body, len, ex, sizeof ex);
		snprintf(e->message, sizeof e->message, "HTTP %ld %s (an error "
		    "response that could not be parsed: \"%s\")", status,
		    http_status_text(status), ex);
	}
	return false;
}

bool
aws_s3_body_is_error(const char *body, size_t len)
{
	const char	*end;

	if (body == NULL)
		return false;
	for (;;) {
		while (len > 0 && isspace((unsigned char)*body)) {
			body++;
			len--;
		}
		/* Skip the XML declaration and processing instructions. */
		if (len >= 2 && body[0] == '<' && body[1] == '?') {
			end = memchr(body, '>', len);
			if (end == NULL)
				return false;
			len -= (size_t)(end + 1 - body);
			body = end + 1;
			continue;
		}
		break;
	}
	return len >= 7 && memcmp(body, "<Error", 6) == 0 &&
	    (body[6] == '>' || isspace((unsigned char)body[6]));
}

bool
aws_s3_may_error_in_200(enum aws_op_id id)
{
	return id == OP_S3_CopyObject || id == OP_S3_UploadPartCopy ||
	    id == OP_S3_CompleteMultipartUpload;
}

/* ---- names ------------------------------------------------------------- */

const char *
aws_service_title(enum aws_service svc)
{
	switch (svc) {
	case AWS_SVC_S3:
		return "S3";
	case AWS_SVC_DYNAMODB:
		return "DynamoDB";
	case AWS_SVC_RDS:
		return "RDS";
	case AWS_SVC_STS:
		return "STS";
	case AWS_SVC_BACKUP:
		return "AWS Backup";
	case AWS_SVC_AUTOSCALING:
		return "Application Auto Scaling";
	case AWS_SVC__COUNT:
		break;
	}
	return "AWS";
}

void
aws_iam_action(const struct aws_op *op, char *out, size_t outsz)
{
	/* S3 actions are not named after the operations. */
	static const struct {
		enum aws_op_id	 id;
		const char	*action;
	} s3[] = {
		{ OP_S3_ListBuckets, "ListAllMyBuckets" },
		{ OP_S3_ListObjectVersions, "ListBucketVersions" },
		{ OP_S3_ListObjectsV2, "ListBucket" },
		{ OP_S3_HeadBucket, "ListBucket" },
		{ OP_S3_GetBucketVersioning, "GetBucketVersioning" },
		{ OP_S3_GetBucketLocation, "GetBucketLocation" },
		{ OP_S3_GetObjectLockConfiguration, "GetBucketObjectLockConfiguration" },
		{ OP_S3_HeadObject, "GetObject" },
		{ OP_S3_GetObject, "GetObject" },
		{ OP_S3_PutObject, "PutObject" },
		{ OP_S3_CopyObject, "PutObject" },
		{ OP_S3_DeleteObject, "DeleteObject" },
		{ OP_S3_CreateMultipartUpload, "PutObject" },
		{ OP_S3_UploadPartCopy, "PutObject" },
		{ OP_S3_CompleteMultipartUpload, "PutObject" },
		{ OP_S3_AbortMultipartUpload, "AbortMultipartUpload" },
	};

	if (op->service == AWS_SVC_S3) {
		for (size_t i = 0; i < sizeof s3 / sizeof s3[0]; i++)
			if (s3[i].id == op->id) {
				snprintf(out, outsz, "s3:%s", s3[i].action);
				return;
			}
	}
	snprintf(out, outsz, "%s:%s", aws_service_name(op->service), op->name);
}

/* ---- DynamoDB body checksum -------------------------------------------- */

unsigned long
aws_crc32(const void *p, size_t n)
{
	static unsigned long	table[256];
	static bool		ready;
	const unsigned char	*b = p;
	unsigned long		 c;

	if (!ready) {
		for (unsigned i = 0; i < 256; i++) {
			c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = true;
	}
	c = 0xffffffffUL;
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ b[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffUL;
}

bool
aws_crc32_ok(const struct http_headers *h, const char *body, size_t len)
{
	const char	*v;
	char		*end;
	unsigned long	 want;

	if ((v = http_headers_get(h, "x-amz-crc32")) == NULL || *v == '\0')
		return true;
	want = strtoul(v, &end, 10);
	if (*end != '\0')
		return true;	/* not a number: nothing to check against */
	return aws_crc32(body, len) == want;
}

/* ---- messages ---------------------------------------------------------- */

void
aws_error_describe(struct sv_err *err, sv_result result, const char *ctx,
    const struct aws_op *op, const struct aws_error *e, long status,
    int attempts)
{
	char		 detail[768], rid[160], tries[48], action[128];
	const char	*hint = "";

	if (e->code[0] != '\0' && e->message[0] != '\0')
		snprintf(detail, sizeof detail, "%s: %s", e->code, e->message);
	else if (e->code[0] != '\0')
		snprintf(detail, sizeof detail, "%s (HTTP %ld)", e->code, status);
	else if (e->message[0] != '\0')
		snprintf(detail, sizeof detail, "%s", e->message);
	else
		snprintf(detail, sizeof detail, "HTTP %ld %s", status,
		    http_status_text(status));
	rid[0] = '\0';
	if (e->request_id[0] != '\0')
		snprintf(rid, sizeof rid, " (request id %s)", e->request_id);
	tries[0] = '\0';
	if (attempts > 1)
		snprintf(tries, sizeof tries, " after %d attempts", attempts);

	switch (result) {
	case SV_E_DENIED:
		aws_iam_action(op, action, sizeof action);
		sv_err_set(err, result, "%s: access denied: %s is not allowed "
		    "for these credentials: %s%s", ctx, action, detail, rid);
		return;
	case SV_E_CREDS:
		hint = "; check the credentials in use (aws sts "
		    "get-caller-identity) or refresh them";
		break;
	case SV_E_THROTTLED:
		sv_err_set(err, result, "%s: %s%s; still throttled%s, try again "
		    "in a minute", ctx, detail, rid, tries);
		return;
	case SV_E_NET:
		sv_err_set(err, result, "%s: %s%s; gave up%s", ctx, detail, rid,
		    tries[0] != '\0' ? tries : " after 1 attempt");
		return;
	default:
		if (aws_error_is_skew(e->code, e->message))
			hint = "; the local clock is wrong: check NTP";
		break;
	}
	sv_err_set(err, result, "%s: %s%s%s%s", ctx, detail, rid,
	    tries[0] != '\0' && result == SV_E_AWS && status >= 500 ? tries : "",
	    hint);
}
