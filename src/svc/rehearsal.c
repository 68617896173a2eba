/* rehearsal.c - a version copied to another key, and deletes of what a
 * session created (see rehearsal.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "svc/rehearsal.h"
#include "svc/s3-copy.h"
#include "util/xalloc.h"
#include "util/xml.h"

struct rh_call {
	rh_done_fn	 done;
	void		*data;
	char		*body;
	const char	*status_el;	/* XML element or JSON path holding a status */
};

/* The first <name>text</name> in an XML body (a status), allocated. */
static char *
xml_first(const char *body, size_t len, const char *name)
{
	char		*open = xasprintf("<%s>", name), *close = xasprintf("</%s>", name);
	const char	*p, *q;
	char		*out = NULL;

	if (body != NULL && (p = strstr(body, open)) != NULL && (size_t)(p - body) < len) {
		p += strlen(open);
		q = strstr(p, close);
		if (q != NULL)
			out = xstrndup(p, (size_t)(q - p));
	}
	free(open);
	free(close);
	return out;
}

static void
rh_done(void *arg, struct aws_response *resp)
{
	struct rh_call	*c = arg;
	struct rh_result res;
	struct sv_err	 err;
	char		*status = NULL;

	sv_err_init(&err);
	memset(&res, 0, sizeof res);
	res.request_id = resp->request_id;
	res.version_id = http_headers_get(&resp->headers, "x-amz-version-id");
	if (resp->result != SV_OK)
		sv_err_set(&err, resp->result, "%s", resp->err.msg[0] != '\0' ?
		    resp->err.msg : sv_result_str(resp->result));
	else if (c->status_el != NULL && resp->body.ptr != NULL) {
		if (resp->body.ptr[0] == '{') {
			cJSON		*j = cJSON_ParseWithLength(resp->body.ptr,
					    resp->body.len);
			const cJSON	*d = cJSON_GetObjectItemCaseSensitive(j,
					    "TableDescription");
			const cJSON	*s = cJSON_GetObjectItemCaseSensitive(d,
					    "TableStatus");

			if (cJSON_IsString(s))
				status = xstrdup(s->valuestring);
			cJSON_Delete(j);
		} else
			status = xml_first(resp->body.ptr, resp->body.len, c->status_el);
	}
	res.status = status;
	c->done(c->data, resp->result, &err, &res);
	free(status);
	free(c->body);
	free(c);
}

static struct aws_pending *
rh_send(struct aws_client *cl, struct aws_call *call, const char *status_el,
    char *body, rh_done_fn done, void *data)
{
	struct rh_call		*c = xcalloc(1, sizeof *c);
	struct aws_pending	*p;

	c->done = done;
	c->data = data;
	c->body = body;
	c->status_el = status_el;
	if (body != NULL) {
		call->body = body;
		call->body_len = strlen(body);
	}
	p = aws_send(cl, call, rh_done, c);
	aws_call_free(call);
	return p;
}

struct aws_pending *
s3_copy_to_key(struct aws_client *cl, const char *bucket, const char *key,
    const char *version_id, const char *dest_key, rh_done_fn done, void *data)
{
	struct aws_call	 call;
	char		*src, *target;
	struct aws_pending *p;

	aws_call_init(&call, OP_S3_CopyObject);
	call.method = "PUT";
	call.bucket = bucket;
	call.key = dest_key;
	src = s3_copy_source(bucket, key, version_id);
	aws_kvlist_add(&call.headers, "x-amz-copy-source", src);
	aws_kvlist_add(&call.headers, "x-amz-metadata-directive", "COPY");
	target = xasprintf("s3://%s/%s", bucket, dest_key);
	call.target = target;
	free(src);
	p = rh_send(cl, &call, NULL, NULL, done, data);
	free(target);
	return p;
}

struct aws_pending *
ddb_delete_table(struct aws_client *cl, const char *table, rh_done_fn done,
    void *data)
{
	struct aws_call	 call;
	cJSON		*b = cJSON_CreateObject();
	char		*body, *target;
	struct aws_pending *p;

	cJSON_AddStringToObject(b, "TableName", table);
	body = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	if (body == NULL)
		abort();
	aws_call_init(&call, OP_DDB_DeleteTable);
	target = xasprintf("dynamodb://%s", table);
	call.target = target;
	p = rh_send(cl, &call, "TableStatus", body, done, data);
	free(target);
	return p;
}

struct aws_pending *
rds_delete_instance(struct aws_client *cl, const char *id, rh_done_fn done,
    void *data)
{
	struct aws_call	 call;
	char		*target;
	struct aws_pending *p;

	aws_call_init(&call, OP_RDS_DeleteDBInstance);
	aws_kvlist_add(&call.params, "DBInstanceIdentifier", id);
	aws_kvlist_add(&call.params, "SkipFinalSnapshot", "true");
	aws_kvlist_add(&call.params, "DeleteAutomatedBackups", "true");
	target = xasprintf("rds://%s", id);
	call.target = target;
	p = rh_send(cl, &call, "DBInstanceStatus", NULL, done, data);
	free(target);
	return p;
}

struct aws_pending *
rds_delete_cluster(struct aws_client *cl, const char *id, rh_done_fn done,
    void *data)
{
	struct aws_call	 call;
	char		*target;
	struct aws_pending *p;

	aws_call_init(&call, OP_RDS_DeleteDBCluster);
	aws_kvlist_add(&call.params, "DBClusterIdentifier", id);
	aws_kvlist_add(&call.params, "SkipFinalSnapshot", "true");
	target = xasprintf("rds-cluster://%s", id);
	call.target = target;
	p = rh_send(cl, &call, "Status", NULL, done, data);
	free(target);
	return p;
}
