/* ddb-restore.c - DynamoDB RestoreTableToPointInTime and
 * RestoreTableFromBackup (see ddb-restore.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "svc/ddb-restore.h"
#include "util/str.h"
#include "util/xalloc.h"

void
ddb_restore_desc_free(struct ddb_restore_desc *d)
{
	free(d->table);
	free(d->arn);
	free(d->status);
	memset(d, 0, sizeof *d);
}

static cJSON *
body_json(const struct ddb_restore_req *r, enum aws_op_id *op)
{
	cJSON	*b = cJSON_CreateObject();

	if (r->backup_arn != NULL) {
		*op = OP_DDB_RestoreTableFromBackup;
		cJSON_AddStringToObject(b, "TargetTableName", r->target);
		cJSON_AddStringToObject(b, "BackupArn", r->backup_arn);
		return b;
	}
	*op = OP_DDB_RestoreTableToPointInTime;
	cJSON_AddStringToObject(b, "SourceTableName", r->source_table);
	cJSON_AddStringToObject(b, "TargetTableName", r->target);
	if (r->latest)
		cJSON_AddBoolToObject(b, "UseLatestRestorableTime", 1);
	else
		cJSON_AddNumberToObject(b, "RestoreDateTime", (double)r->time / 1000.0);
	return b;
}

char *
ddb_restore_body(const struct ddb_restore_req *r, enum aws_op_id *op)
{
	cJSON	*b = body_json(r, op);
	char	*s = cJSON_PrintUnformatted(b);

	cJSON_Delete(b);
	if (s == NULL)
		abort();
	return s;
}

void
ddb_restore_params(const struct ddb_restore_req *r, struct aws_kvlist *kv)
{
	enum aws_op_id	 op;
	cJSON		*b = body_json(r, &op), *c;

	cJSON_ArrayForEach(c, b) {
		if (cJSON_IsString(c))
			aws_kvlist_add(kv, c->string, c->valuestring);
		else if (cJSON_IsBool(c))
			aws_kvlist_add(kv, c->string, cJSON_IsTrue(c) ? "true" : "false");
		else if (cJSON_IsNumber(c)) {
			char	iso[SV_TIME_ISO_MAX];

			sv_time_format_iso(r->time, iso, r->time % 1000 != 0);
			aws_kvlist_addf(kv, c->string, "%.3f (%s)", c->valuedouble, iso);
		}
	}
	cJSON_Delete(b);
}

static char *
jstr(const cJSON *o, const char *name)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(c) ? xstrdup(c->valuestring) : NULL;
}

sv_result
ddb_parse_restore(const char *json, size_t len, struct ddb_restore_desc *d,
    struct sv_err *err)
{
	cJSON		*j = cJSON_ParseWithLength(json, len);
	const cJSON	*t;
	sv_result	 result = SV_OK;

	memset(d, 0, sizeof *d);
	if (j == NULL)
		return sv_err_set(err, SV_E_PARSE, "DynamoDB restore response is not JSON");
	t = cJSON_GetObjectItemCaseSensitive(j, "TableDescription");
	if (!cJSON_IsObject(t)) {
		result = sv_err_set(err, SV_E_PARSE,
		    "DynamoDB restore response has no TableDescription");
		goto out;
	}
	d->table = jstr(t, "TableName");
	d->arn = jstr(t, "TableArn");
	d->status = jstr(t, "TableStatus");
	if (d->table == NULL) {
		result = sv_err_set(err, SV_E_PARSE,
		    "DynamoDB restore response lacks TableName");
		ddb_restore_desc_free(d);
	}
out:
	cJSON_Delete(j);
	return result;
}

sv_result
ddb_restore_error(const struct ddb_restore_req *r, const char *code, sv_result res,
    const char *msg, struct sv_err *err)
{
	const char	*src = r->backup_arn != NULL ? r->backup_arn : r->source_table;

	if (code == NULL)
		code = "";
	if (strcmp(code, "TableAlreadyExistsException") == 0 ||
	    strcmp(code, "TableInUseException") == 0)
		return sv_err_set(err, SV_E_EXISTS, "table %s already exists: a restore "
		    "always creates a new table; choose another --target (%s)",
		    r->target, msg);
	if (strcmp(code, "InvalidRestoreTimeException") == 0)
		return sv_err_set(err, SV_E_INVALID, "the restore time is outside the "
		    "point-in-time window of table %s; see its window with salvage "
		    "points dynamodb://%s (%s)", src, src, msg);
	if (strcmp(code, "PointInTimeRecoveryUnavailableException") == 0)
		return sv_err_set(err, SV_E_INVALID, "point-in-time recovery is not "
		    "enabled on table %s: restore from a backup instead (salvage points "
		    "dynamodb://%s lists them) (%s)", src, src, msg);
	if (strcmp(code, "LimitExceededException") == 0)
		return sv_err_set(err, SV_E_THROTTLED, "too many table operations at once "
		    "(DynamoDB allows 50 concurrent restores and creates per account): "
		    "wait for running ones to finish, then retry (%s)", msg);
	if (strcmp(code, "TableNotFoundException") == 0 ||
	    strcmp(code, "SourceTableNotFoundException") == 0 ||
	    strcmp(code, "ResourceNotFoundException") == 0)
		return sv_err_set(err, SV_E_NOTFOUND, "source table %s not found (%s)",
		    src, msg);
	if (strcmp(code, "BackupNotFoundException") == 0)
		return sv_err_set(err, SV_E_NOTFOUND, "backup %s not found (%s)", src, msg);
	if (strcmp(code, "BackupInUseException") == 0)
		return sv_err_set(err, SV_E_INVALID, "backup %s is in use by another "
		    "operation: retry once it is done (%s)", src, msg);
	return sv_err_set(err, res != SV_OK ? res : SV_E_AWS, "%s", msg);
}

struct call_state {
	struct ddb_restore_req	 req;	/* strings copied */
	ddb_restore_done_fn	 done;
	void			*data;
	char			*body;
	char			*target;
};

static void
call_state_free(struct call_state *st)
{
	free((char *)st->req.source_table);
	free((char *)st->req.backup_arn);
	free((char *)st->req.target);
	free(st->body);
	free(st->target);
	free(st);
}

static void
restore_done(void *arg, struct aws_response *resp)
{
	struct call_state	*st = arg;
	struct ddb_restore_desc	 d;
	struct sv_err		 err;
	sv_result		 r = resp->result;

	sv_err_init(&err);
	memset(&d, 0, sizeof d);
	if (r == SV_OK)
		r = ddb_parse_restore(resp->body.ptr != NULL ? resp->body.ptr : "",
		    resp->body.len, &d, &err);
	else
		r = ddb_restore_error(&st->req, resp->aws_code, r, resp->err.msg[0] != '\0' ?
		    resp->err.msg : sv_result_str(r), &err);
	if (resp->request_id != NULL)
		str_lcpy(d.request_id, resp->request_id, sizeof d.request_id);
	st->done(st->data, r, &err, &d);
	ddb_restore_desc_free(&d);
	call_state_free(st);
}

struct aws_pending *
ddb_restore(struct aws_client *c, const struct ddb_restore_req *r,
    ddb_restore_done_fn done, void *data)
{
	struct call_state	*st = xcalloc(1, sizeof *st);
	struct aws_call		 call;
	struct aws_pending	*p;
	enum aws_op_id		 op;

	st->req = *r;
	st->req.source_table = r->source_table != NULL ? xstrdup(r->source_table) : NULL;
	st->req.backup_arn = r->backup_arn != NULL ? xstrdup(r->backup_arn) : NULL;
	st->req.target = xstrdup(r->target);
	st->done = done;
	st->data = data;
	st->body = ddb_restore_body(r, &op);
	st->target = xasprintf("dynamodb://%s", r->target);
	aws_call_init(&call, op);
	call.body = st->body;
	call.body_len = strlen(st->body);
	call.target = st->target;
	p = aws_send(c, &call, restore_done, st);
	aws_call_free(&call);
	return p;
}

struct sync_state {
	bool			 done;
	sv_result		 result;
	struct sv_err		*err;
	struct ddb_restore_desc	*out;
};

static void
sync_done(void *arg, sv_result r, const struct sv_err *err,
    const struct ddb_restore_desc *d)
{
	struct sync_state	*s = arg;

	s->done = true;
	s->result = r;
	if (r != SV_OK) {
		sv_err_set(s->err, r, "%s", err->msg);
		str_lcpy(s->out->request_id, d->request_id, sizeof s->out->request_id);
		return;
	}
	*s->out = *d;
	s->out->table = d->table != NULL ? xstrdup(d->table) : NULL;
	s->out->arn = d->arn != NULL ? xstrdup(d->arn) : NULL;
	s->out->status = d->status != NULL ? xstrdup(d->status) : NULL;
}

sv_result
ddb_restore_sync(struct aws_client *c, const struct ddb_restore_req *r,
    struct ddb_restore_desc *out, struct sv_err *err)
{
	struct sync_state s = { false, SV_OK, err, out };

	memset(out, 0, sizeof *out);
	ddb_restore(c, r, sync_done, &s);
	http_engine_run_until(aws_client_engine(c), &s.done);
	if (!s.done)
		return sv_err_set(err, SV_E_NET, "the request did not complete");
	return s.result;
}
