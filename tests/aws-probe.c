/* aws-probe.c - one AWS call from the command line, through the real
 * client (config, credentials, signing, gate, engine, retries), for the
 * wire-level integration tests:
 *
 *   aws-probe [--operate] [--debug] [--endpoint-url U] [--region R]
 *             [--profile P] [--no-gate | --gate-refuse | --gate-exempt]
 *             OPNAME [name=value ...]
 *
 * OPNAME is an operation name from the table (ListBuckets, HeadObject,
 * ListTables, GetCallerIdentity, DescribeDBInstances ...), or
 * "service:Name". Arguments:
 *   S3:        bucket= key= body= source= (CopyObject), h:Name=value
 *              (header), anything else a query parameter
 *   DynamoDB:  name=value (a JSON string member), name:=json (raw member),
 *              json=BODY (the whole body)
 *   RDS/STS:   name=value form parameters
 *   Backup:    path= body=
 * Prints status, code, result, attempts, request_id (and error), a blank
 * line and the body; exits with sv_result_exit(). A 2xx body that is not
 * well-formed XML/JSON gives SV_E_PARSE. Mutating calls go through a test
 * gate that prints "intent: OP TARGET" before allowing them (--no-gate:
 * none registered; --gate-refuse: intent() fails; --gate-exempt: exempt()
 * says yes to everything, which the client honours for PutObject only). */
#include <config.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xml.h"

static bool	gate_refuse;

static sv_result
gate_intent(void *ud, const struct aws_op *op, const struct aws_call *call,
    uint64_t *id, struct sv_err *err)
{
	(void)ud;
	if (gate_refuse)
		return sv_err_set(err, SV_E_AUDIT, "test gate: the audit log "
		    "is not writable");
	printf("intent: %s %s\n", op->name, call->target != NULL ?
	    call->target : call->bucket != NULL ? call->bucket : "-");
	fflush(stdout);
	*id = 1;
	return SV_OK;
}

static void
gate_result(void *ud, const struct aws_op *op, uint64_t id,
    const struct aws_response *r)
{
	(void)ud;
	(void)id;
	printf("gate-result: %s %s\n", op->name, sv_result_str(r->result));
}

static bool
gate_exempt(void *ud, const struct aws_op *op, const struct aws_call *call)
{
	(void)ud;
	(void)call;
	printf("exempt: %s\n", op->name);
	return true;	/* the client must still allow PutObject only */
}

static const struct aws_op *
find_op(const char *name)
{
	static const char *svcs[] = { "s3", "dynamodb", "rds", "sts", "backup" };
	const struct aws_op	*op;
	const char		*colon = strchr(name, ':');

	for (int s = 0; s < AWS_SVC__COUNT; s++) {
		if (colon != NULL) {
			if (strncmp(name, svcs[s], (size_t)(colon - name)) != 0 ||
			    strlen(svcs[s]) != (size_t)(colon - name))
				continue;
			if ((op = aws_op_find((enum aws_service)s, colon + 1)) != NULL)
				return op;
		} else if ((op = aws_op_find((enum aws_service)s, name)) != NULL)
			return op;
	}
	return NULL;
}

static void
s3_defaults(const struct aws_op *op, struct aws_call *c)
{
	switch (op->id) {
	case OP_S3_ListObjectVersions:
		aws_kvlist_add(&c->query, "versions", NULL);
		break;
	case OP_S3_ListObjectsV2:
		aws_kvlist_add(&c->query, "list-type", "2");
		break;
	case OP_S3_GetBucketVersioning:
		aws_kvlist_add(&c->query, "versioning", NULL);
		break;
	case OP_S3_GetBucketLocation:
		aws_kvlist_add(&c->query, "location", NULL);
		break;
	case OP_S3_GetObjectLockConfiguration:
		aws_kvlist_add(&c->query, "object-lock", NULL);
		break;
	case OP_S3_HeadObject:
	case OP_S3_HeadBucket:
		c->method = "HEAD";
		break;
	case OP_S3_PutObject:
	case OP_S3_CopyObject:
	case OP_S3_UploadPartCopy:
		c->method = "PUT";
		break;
	case OP_S3_DeleteObject:
	case OP_S3_AbortMultipartUpload:
		c->method = "DELETE";
		break;
	case OP_S3_CreateMultipartUpload:
		c->method = "POST";
		aws_kvlist_add(&c->query, "uploads", NULL);
		break;
	case OP_S3_CompleteMultipartUpload:
		c->method = "POST";
		break;
	default:
		break;
	}
}

/* Is the body well-formed for the protocol? */
static sv_result
check_body(const struct aws_op *op, const struct aws_response *r,
    struct sv_err *err)
{
	static const struct xml_handler none = { NULL, NULL };
	cJSON	*j;

	if (r->body.len == 0 || op->id == OP_S3_GetObject)
		return SV_OK;
	switch (aws_service_protocol(op->service)) {
	case AWS_PROTO_REST_XML:
	case AWS_PROTO_QUERY:
		if (xml_parse(r->body.ptr, r->body.len, &none, NULL, err) != SV_OK) {
			sv_err_prefix(err, "the response is not well-formed XML");
			return SV_E_PARSE;
		}
		break;
	case AWS_PROTO_JSON:
	case AWS_PROTO_REST_JSON:
		if ((j = cJSON_ParseWithLength(r->body.ptr, r->body.len)) == NULL)
			return sv_err_set(err, SV_E_PARSE, "the response is not "
			    "well-formed JSON");
		cJSON_Delete(j);
		break;
	}
	return SV_OK;
}

static int
usage(void)
{
	fprintf(stderr, "usage: aws-probe [--operate] [--debug] "
	    "[--endpoint-url U] [--region R] [--profile P] [--no-gate | "
	    "--gate-refuse | --gate-exempt] OPNAME [name=value ...]\n");
	return sv_result_exit(SV_E_USAGE);
}

int
main(int argc, char **argv)
{
	struct aws_options	 o;
	struct aws_client	*cl;
	struct aws_call		 c;
	struct aws_response	 r;
	struct aws_gate		 gate = { gate_intent, gate_result, NULL, NULL };
	const struct aws_op	*op;
	struct sv_err		 err;
	cJSON			*json = NULL;
	char			*body = NULL, *eq, *target = NULL;
	const char		*source = NULL;
	bool			 operate = false, no_gate = false;
	sv_result		 result;
	int			 i;

	memset(&o, 0, sizeof o);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--operate") == 0)
			operate = true;
		else if (strcmp(argv[i], "--no-gate") == 0)
			no_gate = true;
		else if (strcmp(argv[i], "--gate-refuse") == 0)
			gate_refuse = true;
		else if (strcmp(argv[i], "--gate-exempt") == 0)
			gate.exempt = gate_exempt;
		else if (strcmp(argv[i], "--debug") == 0)
			sv_log_set_debug(true);
		else if (strcmp(argv[i], "--endpoint-url") == 0 && i + 1 < argc)
			o.endpoint_url = argv[++i];
		else if (strcmp(argv[i], "--region") == 0 && i + 1 < argc)
			o.region = argv[++i];
		else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			o.profile = argv[++i];
		else
			return usage();
	}
	if (i >= argc)
		return usage();
	if ((op = find_op(argv[i])) == NULL) {
		fprintf(stderr, "aws-probe: unknown operation %s\n", argv[i]);
		return sv_result_exit(SV_E_USAGE);
	}
	i++;

	sv_err_init(&err);
	if ((cl = aws_client_new(&o, &err)) == NULL) {
		fprintf(stderr, "aws-probe: %s\n", err.msg);
		return sv_result_exit(err.code);
	}
	aws_client_set_operate(cl, operate);
	if (!no_gate)
		aws_client_set_gate(cl, &gate);

	aws_call_init(&c, op->id);
	if (op->service == AWS_SVC_S3)
		s3_defaults(op, &c);
	if (aws_service_protocol(op->service) == AWS_PROTO_JSON)
		json = cJSON_CreateObject();
	for (; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL) {
			aws_call_free(&c);
			aws_client_free(cl);
			return usage();
		}
		*eq++ = '\0';
		const char *name = argv[i];

		if (strcmp(name, "body") == 0) {
			c.body = eq;
			c.body_len = strlen(eq);
		} else if (strcmp(name, "region") == 0)
			c.region = eq;
		else if (strcmp(name, "target") == 0)
			c.target = eq;
		else if (op->service == AWS_SVC_S3) {
			if (strcmp(name, "bucket") == 0)
				c.bucket = eq;
			else if (strcmp(name, "key") == 0)
				c.key = eq;
			else if (strcmp(name, "source") == 0)
				source = eq;
			else if (str_starts(name, "h:"))
				aws_kvlist_add(&c.headers, name + 2, eq);
			else if (str_starts(name, "q:"))
				aws_kvlist_add(&c.query, name + 2, eq);
			else
				aws_kvlist_add(&c.query, name, eq);
		} else if (json != NULL) {
			size_t n = strlen(name);

			if (strcmp(name, "json") == 0) {
				c.body = eq;
				c.body_len = strlen(eq);
			} else if (n > 1 && name[n - 1] == ':') {
				argv[i][n - 1] = '\0';
				cJSON_AddItemToObject(json, name, cJSON_Parse(eq));
			} else
				cJSON_AddStringToObject(json, name, eq);
		} else if (strcmp(name, "path") == 0)
			c.path = eq;
		else if (str_starts(name, "h:"))
			aws_kvlist_add(&c.headers, name + 2, eq);
		else
			aws_kvlist_add(&c.params, name, eq);
	}
	if (source != NULL)
		aws_kvlist_add(&c.headers, "x-amz-copy-source", source);
	if (json != NULL && c.body == NULL) {
		body = cJSON_PrintUnformatted(json);
		c.body = body;
		c.body_len = strlen(body);
	}
	if (c.target == NULL && op->service == AWS_SVC_S3 && c.bucket != NULL) {
		target = c.key != NULL ? malloc(strlen(c.bucket) +
		    strlen(c.key) + 7) : NULL;
		if (target != NULL) {
			sprintf(target, "s3://%s/%s", c.bucket, c.key);
			c.target = target;
		}
	}

	result = aws_call_sync(cl, &c, &r);
	if (result == SV_OK && check_body(op, &r, &r.err) != SV_OK)
		result = r.result = SV_E_PARSE;
	printf("status: %ld\n", r.status);
	printf("code: %s\n", r.aws_code);
	printf("result: %s\n", sv_result_str(result));
	printf("attempts: %d\n", r.attempts);
	printf("request_id: %s\n", r.request_id != NULL ? r.request_id : "");
	if (result != SV_OK) {
		printf("error: %s\n", r.err.msg);
		fprintf(stderr, "aws-probe: %s\n", r.err.msg);
	}
	printf("\n");
	fwrite(buf_str(&r.body), 1, r.body.len, stdout);
	printf("\n");

	aws_response_free(&r);
	aws_call_free(&c);
	aws_client_free(cl);
	cJSON_Delete(json);
	free(body);
	free(target);
	return sv_result_exit(result);
}
