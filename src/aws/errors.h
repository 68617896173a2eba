/* errors.h - AWS error responses: parsing them per protocol, the one table
 * from error codes to sv_result and retry classes, IAM action names for
 * "access denied" messages, and the message a failed call carries. */
#ifndef SALVAGE_AWS_ERRORS_H
#define SALVAGE_AWS_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/http.h"
#include "aws/ops.h"
#include "util/err.h"

struct aws_error {
	char	code[128];		/* "NoSuchBucket", "" if none found */
	char	message[512];
	char	request_id[128];
	char	region[64];		/* S3: x-amz-bucket-region / <Region> */
	bool	from_body;		/* the code came from a parsed body */
};

/* Parses an error response (any non-2xx, or an S3 200 with <Error>).
 * S3 HEAD errors have no body: their code comes from the status (404
 * NotFound, 403 AccessDenied, 301 PermanentRedirect ...). Returns true
 * when a code was found; otherwise e->code is "" and e->message says what
 * the body looked like. */
bool		 aws_error_parse(enum aws_protocol, long status,
		    const struct http_headers *, const char *body, size_t len,
		    bool is_head, struct aws_error *e);
/* True if an S3 body (after an optional XML declaration and white space,
 * which S3 sends while a long copy runs) is an <Error> document. */
bool		 aws_s3_body_is_error(const char *, size_t);
/* S3 operations that may answer 200 OK with an <Error> body. */
bool		 aws_s3_may_error_in_200(enum aws_op_id);

/* The result for an error code (status when the code is unknown):
 * SV_E_NOTFOUND, SV_E_DENIED, SV_E_CREDS, SV_E_THROTTLED, SV_E_EXISTS,
 * SV_E_NET (5xx) or SV_E_AWS. */
sv_result	 aws_error_result(const char *code, long status);
/* Retry class of an error response. */
enum http_retry	 aws_error_retry(long status, const char *code, const char *message);
bool		 aws_error_is_throttling(const char *code);
bool		 aws_error_is_skew(const char *code, const char *message);
/* ExpiredToken and friends: refresh the credentials and retry once. */
bool		 aws_error_is_expired_token(const char *code);

/* "s3:ListBucketVersions", "dynamodb:DescribeTable" ... */
void		 aws_iam_action(const struct aws_op *, char *out, size_t outsz);
/* "S3", "DynamoDB", "RDS", "STS", "AWS Backup" */
const char	*aws_service_title(enum aws_service);

/* DynamoDB: does the body match its x-amz-crc32 header (true if none)? */
bool		 aws_crc32_ok(const struct http_headers *, const char *, size_t);
unsigned long	 aws_crc32(const void *, size_t);

/* The message of a failed call into err:
 *   "<ctx>: NoSuchBucket: The specified bucket does not exist (request id X)"
 * ctx names the call ("S3 ListObjectVersions on bucket 'x'"); attempts > 1
 * is mentioned; hints follow for denied, credentials, throttling, skew. */
void		 aws_error_describe(struct sv_err *, sv_result, const char *ctx,
		    const struct aws_op *, const struct aws_error *, long status,
		    int attempts);

#endif
