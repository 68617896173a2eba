/* backup-restore.c - AWS Backup DescribeRecoveryPoint,
 * GetRecoveryPointRestoreMetadata, StartRestoreJob and DescribeRestoreJob
 * (see backup-restore.h). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "aws/hash.h"
#include "svc/backup-restore.h"
#include "svc/svc-internal.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

void
backup_answer_free(struct backup_answer *a)
{
	struct backup_rp_desc		*r = &a->rp;
	struct backup_restore_job	*j = &a->job;

	free(r->arn);
	free(r->vault);
	free(r->resource_arn);
	free(r->resource_type);
	free(r->resource_name);
	free(r->status);
	free(r->status_message);
	free(r->iam_role);
	aws_kvlist_free(&a->metadata);
	free(j->id);
	free(j->status);
	free(j->status_message);
	free(j->percent);
	free(j->created_arn);
	memset(a, 0, sizeof *a);
}

/* ---- the request ---- */

void
backup_restore_token(const char *rp, const char *target, char out[48])
{
	struct sv_sha256	*h = sv_sha256_new();
	unsigned char		 md[SV_SHA256_LEN];
	char			 hex[SV_SHA256_HEX_LEN];

	sv_sha256_update(h, rp, strlen(rp));
	sv_sha256_update(h, "\n", 1);
	sv_sha256_update(h, target, strlen(target));
	sv_sha256_final(h, md);
	sv_sha256_free(h);
	sv_sha256_hex(md, hex);
	snprintf(out, 48, "salvage-%.32s", hex);
}

static cJSON *
restore_json(const struct backup_restore_req *r)
{
	cJSON	*b = cJSON_CreateObject(), *m = cJSON_CreateObject();

	cJSON_AddStringToObject(b, "RecoveryPointArn", r->recovery_point);
	if (r->resource_type != NULL)
		cJSON_AddStringToObject(b, "ResourceType", r->resource_type);
	if (r->iam_role != NULL)
		cJSON_AddStringToObject(b, "IamRoleArn", r->iam_role);
	if (r->token != NULL)
		cJSON_AddStringToObject(b, "IdempotencyToken", r->token);
	for (size_t i = 0; r->metadata != NULL && i < r->metadata->n; i++)
		cJSON_AddStringToObject(m, r->metadata->v[i].name,
		    r->metadata->v[i].value);
	cJSON_AddItemToObject(b, "Metadata", m);
	return b;
}

char *
backup_restore_body(const struct backup_restore_req *r)
{
	cJSON	*b = restore_json(r);
	char	*s = cJSON_PrintUnformatted(b);

	cJSON_Delete(b);
	if (s == NULL)
		abort();
	return s;
}

void
backup_restore_params(const struct backup_restore_req *r, struct aws_kvlist *kv)
{
	cJSON	*b = restore_json(r);
	cJSON	*c, *m;

	cJSON_ArrayForEach(c, b) {
		if (cJSON_IsString(c))
			aws_kvlist_add(kv, c->string, c->valuestring);
		else if (cJSON_IsObject(c))
			cJSON_ArrayForEach(m, c) {
				char *name = xasprintf("Metadata.%s", m->string);

				aws_kvlist_add(kv, name, m->valuestring);
				free(name);
			}
	}
	cJSON_Delete(b);
}

/* ---- parsing ---- */

static char *
dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
parse_rp(const cJSON *j, struct backup_rp_desc *r, struct sv_err *perr)
{
	r->arn = dup(svc_jstr(j, "RecoveryPointArn", perr));
	r->vault = dup(svc_jstr(j, "BackupVaultName", perr));
	r->resource_arn = dup(svc_jstr(j, "ResourceArn", perr));
	r->resource_type = dup(svc_jstr(j, "ResourceType", perr));
	r->resource_name = dup(svc_jstr(j, "ResourceName", perr));
	r->status = dup(svc_jstr(j, "Status", perr));
	r->status_message = dup(svc_jstr(j, "StatusMessage", perr));
	r->iam_role = dup(svc_jstr(j, "IamRoleArn", perr));
	r->created = svc_jtime(j, "CreationDate", perr);
	r->completed = svc_jtime(j, "CompletionDate", perr);
	r->size = svc_jll(j, "BackupSizeInBytes", perr);
	if (perr->code == SV_OK && (r->arn == NULL || r->resource_type == NULL ||
	    r->status == NULL))
		sv_err_set(perr, SV_E_PARSE, "RecoveryPointArn, ResourceType or "
		    "Status missing");
}

static void
parse_metadata(const cJSON *j, struct aws_kvlist *kv, struct sv_err *perr)
{
	const cJSON	*m = svc_jobj(j, "RestoreMetadata", perr), *c;

	cJSON_ArrayForEach(c, m) {
		if (!cJSON_IsString(c)) {
			sv_err_set(perr, SV_E_PARSE, "RestoreMetadata.%s is not a "
			    "string", c->string);
			return;
		}
		aws_kvlist_add(kv, c->string, c->valuestring);
	}
	if (m == NULL && perr->code == SV_OK)
		sv_err_set(perr, SV_E_PARSE, "RestoreMetadata missing");
}

static void
parse_job(const cJSON *j, struct backup_restore_job *o, bool start,
    struct sv_err *perr)
{
	o->id = dup(svc_jstr(j, "RestoreJobId", perr));
	if (!start) {
		o->status = dup(svc_jstr(j, "Status", perr));
		o->status_message = dup(svc_jstr(j, "StatusMessage", perr));
		o->percent = dup(svc_jstr(j, "PercentDone", perr));
		o->created_arn = dup(svc_jstr(j, "CreatedResourceArn", perr));
		o->created = svc_jtime(j, "CreationDate", perr);
		o->completed = svc_jtime(j, "CompletionDate", perr);
	}
	if (perr->code == SV_OK && (o->id == NULL || (!start && o->status == NULL)))
		sv_err_set(perr, SV_E_PARSE, start ? "RestoreJobId missing" :
		    "RestoreJobId or Status missing");
}

sv_result
backup_parse_answer(enum aws_op_id op, const char *json, size_t len,
    struct backup_answer *a, struct sv_err *err)
{
	const struct aws_op	*o = aws_op_get(op);
	const char		*name = o != NULL ? o->name : "AWS Backup";
	cJSON			*j = cJSON_ParseWithLength(json, len);
	struct sv_err		 perr;

	memset(a, 0, sizeof *a);
	a->rp.size = -1;
	a->rp.created = a->rp.completed = SV_TIME_NONE;
	a->job.created = a->job.completed = SV_TIME_NONE;
	sv_err_init(&perr);
	if (j == NULL || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return sv_err_set(err, SV_E_PARSE, "%s: bad response: not a JSON "
		    "object", name);
	}
	switch (op) {
	case OP_BACKUP_DescribeRecoveryPoint:
		parse_rp(j, &a->rp, &perr);
		break;
	case OP_BACKUP_GetRecoveryPointRestoreMetadata:
		parse_metadata(j, &a->metadata, &perr);
		break;
	case OP_BACKUP_StartRestoreJob:
	case OP_BACKUP_DescribeRestoreJob:
		parse_job(j, &a->job, op == OP_BACKUP_StartRestoreJob, &perr);
		break;
	default:
		sv_err_set(&perr, SV_E_PARSE, "not an AWS Backup restore call");
		break;
	}
	cJSON_Delete(j);
	if (perr.code != SV_OK) {
		backup_answer_free(a);
		return sv_err_set(err, SV_E_PARSE, "%s: bad response: %s", name,
		    perr.msg);
	}
	return SV_OK;
}

/* ---- the calls ---- */

struct call_state {
	enum aws_op_id		 op;
	char			*what;		/* for messages: the point, the job */
	char			*vault;
	char			*path;
	char			*body;
	backup_answer_fn	 done;
	void			*data;
};

static void
call_state_free(struct call_state *st)
{
	free(st->what);
	free(st->vault);
	free(st->path);
	free(st->body);
	free(st);
}

/* The service's refusals, saying what to do. */
static sv_result
call_error(const struct call_state *st, const struct aws_response *resp,
    struct sv_err *err)
{
	const char	*code = resp->aws_code, *msg = resp->err.msg[0] != '\0' ?
			    resp->err.msg : sv_result_str(resp->result);

	if (strcmp(code, "ResourceNotFoundException") == 0) {
		if (st->op == OP_BACKUP_DescribeRestoreJob)
			return sv_err_set(err, SV_E_NOTFOUND, "restore job %s not "
			    "found (%s)", st->what, msg);
		return sv_err_set(err, SV_E_NOTFOUND, "no recovery point %s in vault "
		    "%s: list them with salvage points backup://%s (%s)", st->what,
		    st->vault, st->vault, msg);
	}
	if (strcmp(code, "InvalidRequestException") == 0 ||
	    strcmp(code, "InvalidParameterValueException") == 0 ||
	    strcmp(code, "MissingParameterValueException") == 0 ||
	    strcmp(code, "InvalidResourceStateException") == 0)
		return sv_err_set(err, SV_E_INVALID, "AWS Backup refused to restore "
		    "%s: %s", st->what, msg);
	if (strcmp(code, "LimitExceededException") == 0)
		return sv_err_set(err, SV_E_THROTTLED, "too many AWS Backup jobs at "
		    "once: wait for running ones to finish, then retry (%s)", msg);
	return sv_err_set(err, resp->result != SV_OK ? resp->result : SV_E_AWS,
	    "%s", msg);
}

static void
call_done(void *arg, struct aws_response *resp)
{
	struct call_state	*st = arg;
	struct backup_answer	 a;
	struct sv_err		 err;
	sv_result		 r = resp->result;

	sv_err_init(&err);
	memset(&a, 0, sizeof a);
	if (r == SV_OK)
		r = backup_parse_answer(st->op, resp->body.ptr != NULL ?
		    resp->body.ptr : "", resp->body.len, &a, &err);
	else
		r = call_error(st, resp, &err);
	if (resp->request_id != NULL)
		str_lcpy(a.request_id, resp->request_id, sizeof a.request_id);
	st->done(st->data, r, &err, &a);
	backup_answer_free(&a);
	call_state_free(st);
}

/* Fails without sending: done runs from here (the callers' callbacks
 * are written for that: only absurd arguments get here). */
static struct aws_pending *
call_fail(struct call_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static struct aws_pending *
call_fail(struct call_state *st, const char *fmt, ...)
{
	struct backup_answer	a;
	struct sv_err		err;
	va_list			ap;

	memset(&a, 0, sizeof a);
	sv_err_init(&err);
	va_start(ap, fmt);
	sv_err_setv(&err, SV_E_USAGE, fmt, ap);
	va_end(ap);
	st->done(st->data, SV_E_USAGE, &err, &a);
	backup_answer_free(&a);
	call_state_free(st);
	return NULL;
}

static struct aws_pending *
call_send(struct aws_client *c, struct call_state *st, const char *method,
    const char *target)
{
	struct aws_call		 call;
	struct aws_pending	*p;

	aws_call_init(&call, st->op);
	call.method = method;
	call.path = st->path;
	call.target = target;
	if (st->body != NULL) {
		call.body = st->body;
		call.body_len = strlen(st->body);
	}
	p = aws_send(c, &call, call_done, st);
	aws_call_free(&call);
	return p;
}

/* "/backup-vaults/VAULT/recovery-points/ARN" + tail, each label
 * percent-encoded (the ARN's ':' and '/' too). */
static char *
rp_path(const char *vault, const char *arn, const char *tail)
{
	struct buf	b;

	buf_init(&b, BUF_MAX_SMALL);
	if (buf_adds(&b, "/backup-vaults/") != SV_OK ||
	    str_uri_encode(&b, vault, strlen(vault), false) != SV_OK ||
	    buf_adds(&b, "/recovery-points/") != SV_OK ||
	    str_uri_encode(&b, arn, strlen(arn), false) != SV_OK ||
	    buf_adds(&b, tail) != SV_OK) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static struct aws_pending *
rp_call(struct aws_client *c, enum aws_op_id op, const char *vault,
    const char *arn, const char *tail, backup_answer_fn done, void *data)
{
	struct call_state	*st = xcalloc(1, sizeof *st);
	struct aws_pending	*p;
	char			*target;

	st->op = op;
	st->done = done;
	st->data = data;
	st->what = xstrdup(arn != NULL ? arn : "");
	st->vault = xstrdup(vault != NULL ? vault : "");
	if (*st->vault == '\0' || *st->what == '\0')
		return call_fail(st, "%s: a vault and a recovery point ARN are "
		    "needed", aws_op_get(op)->name);
	if ((st->path = rp_path(vault, arn, tail)) == NULL)
		return call_fail(st, "%s: vault name or ARN too long",
		    aws_op_get(op)->name);
	target = xasprintf("backup://%s", vault);
	p = call_send(c, st, "GET", target);
	free(target);
	return p;
}

struct aws_pending *
backup_describe_recovery_point(struct aws_client *c, const char *vault,
    const char *arn, backup_answer_fn done, void *data)
{
	return rp_call(c, OP_BACKUP_DescribeRecoveryPoint, vault, arn, "",
	    done, data);
}

struct aws_pending *
backup_get_restore_metadata(struct aws_client *c, const char *vault,
    const char *arn, backup_answer_fn done, void *data)
{
	return rp_call(c, OP_BACKUP_GetRecoveryPointRestoreMetadata, vault, arn,
	    "/restore-metadata", done, data);
}

struct aws_pending *
backup_start_restore(struct aws_client *c, const struct backup_restore_req *r,
    backup_answer_fn done, void *data)
{
	struct call_state	*st = xcalloc(1, sizeof *st);
	struct aws_pending	*p;
	char			*target;

	st->op = OP_BACKUP_StartRestoreJob;
	st->done = done;
	st->data = data;
	st->what = xstrdup(r->recovery_point != NULL ? r->recovery_point : "");
	st->vault = xstrdup(r->vault != NULL ? r->vault : "");
	if (*st->what == '\0')
		return call_fail(st, "StartRestoreJob: no recovery point ARN given");
	st->path = xstrdup("/restore-jobs");
	st->body = backup_restore_body(r);
	target = xasprintf("backup://%s", st->vault);
	p = call_send(c, st, "PUT", target);
	free(target);
	return p;
}

struct aws_pending *
backup_describe_restore_job(struct aws_client *c, const char *id,
    backup_answer_fn done, void *data)
{
	struct call_state	*st = xcalloc(1, sizeof *st);
	struct buf		 b;
	struct aws_pending	*p;

	st->op = OP_BACKUP_DescribeRestoreJob;
	st->done = done;
	st->data = data;
	st->what = xstrdup(id != NULL ? id : "");
	buf_init(&b, BUF_MAX_SMALL);
	if (*st->what == '\0' || buf_adds(&b, "/restore-jobs/") != SV_OK ||
	    str_uri_encode(&b, id, strlen(id), false) != SV_OK) {
		buf_free(&b);
		return call_fail(st, "DescribeRestoreJob: bad job id '%s'",
		    st->what);
	}
	st->path = buf_detach(&b);
	p = call_send(c, st, "GET", "backup://");
	return p;
}
