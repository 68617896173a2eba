/* ddb-settings.c - DynamoDB TTL, tags, PITR, streams and deletion
 * protection: the reads drift compares and the changes drift re-applies
 * (see ddb-settings.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "svc/ddb-settings.h"
#include "svc/svc-internal.h"
#include "util/xalloc.h"

struct set_state {
	enum aws_op_id		 op;
	char			*target;
	cJSON			*req;		/* the request without paging */
	char			*token;		/* NextToken (tags) */
	char			*body;
	union {
		ddb_ttl_fn		 ttl;
		ddb_tags_page_fn	 tags;
	} fn;
	void			*data;
	struct ddb_tag		*tags;
	size_t			 ntags, captags;
};

static void
set_state_free(void *arg)
{
	struct set_state	*st = arg;

	free(st->target);
	cJSON_Delete(st->req);
	free(st->token);
	free(st->body);
	free(st->tags);
	free(st);
}

static sv_result
set_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct set_state	*st = arg;
	cJSON			*req = cJSON_Duplicate(st->req, true);

	(void)err;
	if (st->token != NULL)
		cJSON_AddStringToObject(req, "NextToken", st->token);
	free(st->body);
	st->body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	if (st->body == NULL)
		abort();
	call->op = st->op;
	call->body = st->body;
	call->body_len = strlen(st->body);
	call->target = st->target;
	return SV_OK;
}

static const char *
str_member(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

sv_result
ddb_parse_ttl(const char *json, size_t len, ddb_ttl_fn fn, void *data,
    struct sv_err *err)
{
	cJSON		*doc = cJSON_ParseWithLength(json, len);
	const cJSON	*d;
	struct ddb_ttl	 t;

	if (doc == NULL || !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return sv_err_set(err, SV_E_PARSE,
		    "DescribeTimeToLive: bad response: not a JSON object");
	}
	d = cJSON_GetObjectItemCaseSensitive(doc, "TimeToLiveDescription");
	memset(&t, 0, sizeof t);
	if (d != NULL && !cJSON_IsObject(d)) {
		cJSON_Delete(doc);
		return sv_err_set(err, SV_E_PARSE, "DescribeTimeToLive: bad response: "
		    "TimeToLiveDescription is not an object");
	}
	t.status = str_member(d, "TimeToLiveStatus");
	if (t.status == NULL)
		t.status = "DISABLED";
	t.attr = str_member(d, "AttributeName");
	t.enabled = strcmp(t.status, "ENABLED") == 0 ||
	    strcmp(t.status, "ENABLING") == 0;
	fn(data, &t);
	cJSON_Delete(doc);
	return SV_OK;
}

static sv_result
tags_page(struct set_state *st, const char *json, size_t len,
    struct svc_page_out *out, struct sv_err *err)
{
	cJSON			*doc = cJSON_ParseWithLength(json, len);
	const cJSON		*tags, *t;
	const char		*next;
	struct ddb_tags_page	 page;
	sv_result		 result = SV_OK;

	if (doc == NULL || !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return sv_err_set(err, SV_E_PARSE,
		    "ListTagsOfResource: bad response: not a JSON object");
	}
	tags = cJSON_GetObjectItemCaseSensitive(doc, "Tags");
	if (tags != NULL && !cJSON_IsArray(tags)) {
		result = sv_err_set(err, SV_E_PARSE,
		    "ListTagsOfResource: bad response: Tags is not an array");
		goto out;
	}
	st->ntags = 0;
	cJSON_ArrayForEach(t, tags) {
		struct ddb_tag	*tag;

		if (str_member(t, "Key") == NULL) {
			result = sv_err_set(err, SV_E_PARSE,
			    "ListTagsOfResource: bad response: a tag has no Key");
			goto out;
		}
		tag = SVC_PUSH(st->tags, st->ntags, st->captags);
		tag->key = str_member(t, "Key");
		tag->value = str_member(t, "Value");
		if (tag->value == NULL)
			tag->value = "";
	}
	page.tags = st->tags;
	page.n = st->ntags;
	out->items = page.n;
	out->stop = !st->fn.tags(st->data, &page);
	next = str_member(doc, "NextToken");
	if (next != NULL && *next != '\0' && !out->stop) {
		if (st->token != NULL && strcmp(st->token, next) == 0) {
			result = sv_err_set(err, SV_E_PARSE, "ListTagsOfResource: "
			    "bad response: NextToken repeats the previous one");
			goto out;
		}
		free(st->token);
		st->token = xstrdup(next);
		out->more = true;
	}
out:
	cJSON_Delete(doc);
	return result;
}

static sv_result
set_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct set_state	*st = arg;
	const char		*body = buf_str(&resp->body);

	switch (st->op) {
	case OP_DDB_DescribeTimeToLive:
		out->items = 1;
		return ddb_parse_ttl(body, resp->body.len, st->fn.ttl, st->data, err);
	case OP_DDB_ListTagsOfResource:
		return tags_page(st, body, resp->body.len, out, err);
	default:
		/* The changes: a 2xx is the outcome. */
		out->items = 1;
		return SV_OK;
	}
}

static const struct svc_op_type single_type = {
	NULL, set_prepare, set_page, NULL, set_state_free
};
static const struct svc_op_type tags_type = {
	"tags", set_prepare, set_page, NULL, set_state_free
};

static struct set_state *
set_new(enum aws_op_id op, const char *table, cJSON *req, void *data)
{
	struct set_state	*st = xcalloc(1, sizeof *st);

	st->op = op;
	st->req = req;
	st->target = xasprintf("dynamodb://%s", table);
	st->data = data;
	return st;
}

static struct svc_op *
set_start(struct aws_client *client, struct set_state *st, const char *table,
    const struct svc_op_type *type, svc_done_fn done, void *data,
    const char *what)
{
	struct svc_op	*o;
	char		*context;

	context = xasprintf("%s dynamodb://%s", what, table);
	o = svc_op_start(client, type, st, context, done, data);
	free(context);
	return o;
}

static bool
bad_name(const char *s)
{
	return s == NULL || *s == '\0';
}

struct svc_op *
ddb_describe_ttl(struct aws_client *client, const char *table, ddb_ttl_fn fn,
    svc_done_fn done, void *data)
{
	struct set_state	*st;
	cJSON			*req;

	if (bad_name(table))
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "reading TTL: no table given");
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "TableName", table);
	st = set_new(OP_DDB_DescribeTimeToLive, table, req, data);
	st->fn.ttl = fn;
	return set_start(client, st, table, &single_type, done, data,
	    "reading the TTL setting of");
}

struct svc_op *
ddb_list_tags(struct aws_client *client, const char *arn, ddb_tags_page_fn fn,
    svc_done_fn done, void *data)
{
	struct set_state	*st;
	cJSON			*req;
	const char		*name;

	if (bad_name(arn))
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "listing tags: no table ARN given");
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "ResourceArn", arn);
	/* arn:aws:dynamodb:REGION:ACCOUNT:table/NAME */
	name = strstr(arn, ":table/");
	name = name != NULL ? name + 7 : arn;
	st = set_new(OP_DDB_ListTagsOfResource, name, req, data);
	st->fn.tags = fn;
	return set_start(client, st, name, &tags_type, done, data,
	    "listing the tags of");
}

struct svc_op *
ddb_update_ttl(struct aws_client *client, const char *table, bool enabled,
    const char *attr, svc_done_fn done, void *data)
{
	cJSON	*req, *spec;

	if (bad_name(table) || bad_name(attr))
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "changing TTL: no table or attribute given");
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "TableName", table);
	spec = cJSON_AddObjectToObject(req, "TimeToLiveSpecification");
	cJSON_AddBoolToObject(spec, "Enabled", enabled);
	cJSON_AddStringToObject(spec, "AttributeName", attr);
	return set_start(client, set_new(OP_DDB_UpdateTimeToLive, table, req, data),
	    table, &single_type, done, data, "changing the TTL setting of");
}

struct svc_op *
ddb_update_pitr(struct aws_client *client, const char *table, bool enabled,
    long long recovery_days, svc_done_fn done, void *data)
{
	cJSON	*req, *spec;

	if (bad_name(table) || recovery_days < 0 || recovery_days > 35)
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "changing PITR: no table given, or a recovery period outside 1..35 days");
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "TableName", table);
	spec = cJSON_AddObjectToObject(req, "PointInTimeRecoverySpecification");
	cJSON_AddBoolToObject(spec, "PointInTimeRecoveryEnabled", enabled);
	if (enabled && recovery_days > 0)
		cJSON_AddNumberToObject(spec, "RecoveryPeriodInDays",
		    (double)recovery_days);
	return set_start(client, set_new(OP_DDB_UpdateContinuousBackups, table, req,
	    data), table, &single_type, done, data,
	    "changing point-in-time recovery of");
}

struct svc_op *
ddb_tag_resource(struct aws_client *client, const char *table, const char *arn,
    const struct ddb_tag *tags, size_t n, svc_done_fn done, void *data)
{
	cJSON	*req, *arr, *t;

	if (bad_name(table) || bad_name(arn) || n == 0)
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "tagging a table: no table, ARN or tags given");
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "ResourceArn", arn);
	arr = cJSON_AddArrayToObject(req, "Tags");
	for (size_t i = 0; i < n; i++) {
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "Key", tags[i].key);
		cJSON_AddStringToObject(t, "Value",
		    tags[i].value != NULL ? tags[i].value : "");
		cJSON_AddItemToArray(arr, t);
	}
	return set_start(client, set_new(OP_DDB_TagResource, table, req, data),
	    table, &single_type, done, data, "tagging");
}

struct svc_op *
ddb_update_table(struct aws_client *client, const struct ddb_table_update *u,
    svc_done_fn done, void *data)
{
	cJSON	*req, *spec;

	if (u == NULL || bad_name(u->table) ||
	    (u->stream < 0 && u->deletion_protection < 0) ||
	    (u->stream >= 0 && u->deletion_protection >= 0) ||
	    (u->stream > 0 && bad_name(u->stream_view_type)))
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "updating a table: give a table and exactly one setting "
		    "(a stream needs its view type)");
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "TableName", u->table);
	if (u->stream >= 0) {
		spec = cJSON_AddObjectToObject(req, "StreamSpecification");
		cJSON_AddBoolToObject(spec, "StreamEnabled", u->stream > 0);
		if (u->stream > 0)
			cJSON_AddStringToObject(spec, "StreamViewType",
			    u->stream_view_type);
	} else
		cJSON_AddBoolToObject(req, "DeletionProtectionEnabled",
		    u->deletion_protection > 0);
	return set_start(client, set_new(OP_DDB_UpdateTable, u->table, req, data),
	    u->table, &single_type, done, data, u->stream >= 0 ?
	    "changing the stream of" : "changing deletion protection of");
}
