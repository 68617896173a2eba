/* ddb-backup.c - DynamoDB CreateBackup and DescribeBackup (see
 * ddb-backup.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "svc/ddb-backup.h"
#include "util/str.h"
#include "util/xalloc.h"

void
ddb_backup_desc_free(struct ddb_backup_desc *d)
{
	free(d->arn);
	free(d->name);
	free(d->status);
	free(d->type);
	free(d->table);
	memset(d, 0, sizeof *d);
}

static char *
jstr(const cJSON *o, const char *name)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(c) ? xstrdup(c->valuestring) : NULL;
}

sv_result
ddb_parse_backup(const char *json, size_t len, struct ddb_backup_desc *d,
    struct sv_err *err)
{
	cJSON		*j = cJSON_ParseWithLength(json, len);
	const cJSON	*det, *desc, *src, *c;
	sv_result	 result = SV_OK;

	memset(d, 0, sizeof *d);
	d->size_bytes = -1;
	d->created = SV_TIME_NONE;
	if (j == NULL)
		return sv_err_set(err, SV_E_PARSE, "DynamoDB backup response is not JSON");
	desc = cJSON_GetObjectItemCaseSensitive(j, "BackupDescription");
	det = cJSON_GetObjectItemCaseSensitive(desc != NULL ? desc : j, "BackupDetails");
	if (!cJSON_IsObject(det)) {
		result = sv_err_set(err, SV_E_PARSE,
		    "DynamoDB backup response has no BackupDetails");
		goto out;
	}
	d->arn = jstr(det, "BackupArn");
	d->name = jstr(det, "BackupName");
	d->status = jstr(det, "BackupStatus");
	d->type = jstr(det, "BackupType");
	c = cJSON_GetObjectItemCaseSensitive(det, "BackupSizeBytes");
	if (cJSON_IsNumber(c))
		d->size_bytes = (long long)c->valuedouble;
	c = cJSON_GetObjectItemCaseSensitive(det, "BackupCreationDateTime");
	if (cJSON_IsNumber(c))
		d->created = sv_time_from_epoch(c->valuedouble);
	src = cJSON_GetObjectItemCaseSensitive(desc, "SourceTableDetails");
	if (cJSON_IsObject(src))
		d->table = jstr(src, "TableName");
	if (d->arn == NULL || d->status == NULL) {
		result = sv_err_set(err, SV_E_PARSE,
		    "DynamoDB backup response lacks BackupArn or BackupStatus");
		ddb_backup_desc_free(d);
	}
out:
	cJSON_Delete(j);
	return result;
}

struct call_state {
	ddb_backup_done_fn	 done;
	void			*data;
	char			*body;
	const char		*what;
};

static void
backup_done(void *arg, struct aws_response *resp)
{
	struct call_state	*st = arg;
	struct ddb_backup_desc	 d;
	struct sv_err		 err;
	sv_result		 r = resp->result;

	sv_err_init(&err);
	memset(&d, 0, sizeof d);
	if (r == SV_OK) {
		r = ddb_parse_backup(resp->body.ptr != NULL ? resp->body.ptr : "",
		    resp->body.len, &d, &err);
	} else
		sv_err_set(&err, r, "%s", resp->err.msg[0] != '\0' ? resp->err.msg :
		    sv_result_str(r));
	if (resp->request_id != NULL)
		str_lcpy(d.request_id, resp->request_id, sizeof d.request_id);
	st->done(st->data, r, &err, r == SV_OK ? &d : NULL);
	ddb_backup_desc_free(&d);
	free(st->body);
	free(st);
}

static struct aws_pending *
send_json(struct aws_client *c, enum aws_op_id op, cJSON *body, const char *target,
    ddb_backup_done_fn done, void *data)
{
	struct call_state	*st = xcalloc(1, sizeof *st);
	struct aws_call		 call;
	struct aws_pending	*p;

	st->done = done;
	st->data = data;
	st->body = cJSON_PrintUnformatted(body);
	if (st->body == NULL)
		abort();
	cJSON_Delete(body);
	aws_call_init(&call, op);
	call.body = st->body;
	call.body_len = strlen(st->body);
	call.target = target;
	p = aws_send(c, &call, backup_done, st);
	aws_call_free(&call);
	return p;
}

struct aws_pending *
ddb_create_backup(struct aws_client *c, const char *table, const char *name,
    ddb_backup_done_fn done, void *data)
{
	cJSON	*b = cJSON_CreateObject();
	char	 target[BUF_MAX_SMALL];

	cJSON_AddStringToObject(b, "TableName", table);
	cJSON_AddStringToObject(b, "BackupName", name);
	snprintf(target, sizeof target, "dynamodb://%s", table);
	return send_json(c, OP_DDB_CreateBackup, b, target, done, data);
}

struct aws_pending *
ddb_describe_backup(struct aws_client *c, const char *arn, ddb_backup_done_fn done,
    void *data)
{
	cJSON	*b = cJSON_CreateObject();

	cJSON_AddStringToObject(b, "BackupArn", arn);
	return send_json(c, OP_DDB_DescribeBackup, b, arn, done, data);
}

/* ---- synchronous forms ---- */

struct sync_state {
	bool			 done;
	sv_result		 result;
	struct sv_err		*err;
	struct ddb_backup_desc	*out;
};

static void
sync_done(void *arg, sv_result r, const struct sv_err *err,
    const struct ddb_backup_desc *d)
{
	struct sync_state	*s = arg;

	s->done = true;
	s->result = r;
	if (r != SV_OK)
		sv_err_set(s->err, r, "%s", err->msg);
	else {
		*s->out = *d;
		s->out->arn = d->arn ? xstrdup(d->arn) : NULL;
		s->out->name = d->name ? xstrdup(d->name) : NULL;
		s->out->status = d->status ? xstrdup(d->status) : NULL;
		s->out->type = d->type ? xstrdup(d->type) : NULL;
		s->out->table = d->table ? xstrdup(d->table) : NULL;
	}
}

static sv_result
wait_sync(struct aws_client *c, struct sync_state *s, struct aws_pending *p)
{
	(void)p;
	http_engine_run_until(aws_client_engine(c), &s->done);
	if (!s->done)
		return sv_err_set(s->err, SV_E_NET, "the request did not complete");
	return s->result;
}

sv_result
ddb_create_backup_sync(struct aws_client *c, const char *table, const char *name,
    struct ddb_backup_desc *out, struct sv_err *err)
{
	struct sync_state s = { false, SV_OK, err, out };

	memset(out, 0, sizeof *out);
	return wait_sync(c, &s, ddb_create_backup(c, table, name, sync_done, &s));
}

sv_result
ddb_describe_backup_sync(struct aws_client *c, const char *arn,
    struct ddb_backup_desc *out, struct sv_err *err)
{
	struct sync_state s = { false, SV_OK, err, out };

	memset(out, 0, sizeof *out);
	return wait_sync(c, &s, ddb_describe_backup(c, arn, sync_done, &s));
}
