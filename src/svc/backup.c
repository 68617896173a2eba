/* backup.c - AWS Backup (rest-json): ListBackupVaults,
 * ListRecoveryPointsByBackupVault and ListRecoveryPointsByResource,
 * following NextToken to the end. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "svc/backup.h"
#include "svc/svc-internal.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

/* ---- parsing: one page, strings borrowed from the kept document ---- */

struct backup_parse {
	cJSON			*doc;
	struct backup_vault	*vaults;
	struct backup_recovery_point *points;
	size_t			 n, cap;
	const char		*next;
};

static void
backup_parse_clear(struct backup_parse *p)
{
	cJSON_Delete(p->doc);
	p->doc = NULL;
	p->n = 0;
	p->next = NULL;
}

static void
backup_parse_free(struct backup_parse *p)
{
	backup_parse_clear(p);
	free(p->vaults);
	free(p->points);
}

/* The document and its list member; SV_E_PARSE naming op if malformed. */
static sv_result
backup_doc(struct backup_parse *p, const char *json, size_t len,
    const char *op, const char *list, const cJSON **arr, struct sv_err *err)
{
	struct sv_err	perr;

	backup_parse_clear(p);
	sv_err_init(&perr);
	p->doc = cJSON_ParseWithLength(json, len);
	if (p->doc == NULL || !cJSON_IsObject(p->doc))
		return sv_err_set(err, SV_E_PARSE, "%s: bad response: not a JSON "
		    "object", op);
	*arr = svc_jarr(p->doc, list, &perr);
	p->next = svc_jstr(p->doc, "NextToken", &perr);
	if (p->next != NULL && *p->next == '\0')
		p->next = NULL;
	if (perr.code != SV_OK)
		return sv_err_set(err, SV_E_PARSE, "%s: bad response: %s", op,
		    perr.msg);
	return SV_OK;
}

static sv_result
backup_vaults_run(struct backup_parse *p, const char *json, size_t len,
    struct backup_vaults_page *page, struct sv_err *err)
{
	const cJSON		*arr = NULL, *it;
	struct backup_vault	*v;
	struct sv_err		 perr;

	if (backup_doc(p, json, len, "ListBackupVaults", "BackupVaultList",
	    &arr, err) != SV_OK)
		return err->code;
	sv_err_init(&perr);
	cJSON_ArrayForEach(it, arr) {
		v = SVC_PUSH(p->vaults, p->n, p->cap);
		memset(v, 0, sizeof *v);
		v->name = svc_jstr(it, "BackupVaultName", &perr);
		v->arn = svc_jstr(it, "BackupVaultArn", &perr);
		v->type = svc_jstr(it, "VaultType", &perr);
		v->created = svc_jtime(it, "CreationDate", &perr);
		v->recovery_points = svc_jll(it, "NumberOfRecoveryPoints", &perr);
		v->locked = svc_jbool(it, "Locked", &perr);
		if (v->name == NULL && perr.code == SV_OK)
			sv_err_set(&perr, SV_E_PARSE, "a vault without BackupVaultName");
	}
	if (perr.code != SV_OK)
		return sv_err_set(err, SV_E_PARSE, "ListBackupVaults: bad "
		    "response: %s", perr.msg);
	memset(page, 0, sizeof *page);
	page->v = p->vaults;
	page->n = p->n;
	page->next_token = p->next;
	return SV_OK;
}

/* Both listings of recovery points (by vault, by resource: the same
 * members but the size, BackupSizeBytes there). */
static sv_result
backup_points_run(struct backup_parse *p, const char *op, const char *json,
    size_t len, struct backup_points_page *page, struct sv_err *err)
{
	const cJSON			*arr = NULL, *it;
	struct backup_recovery_point	*r;
	struct sv_err			 perr;

	if (backup_doc(p, json, len, op, "RecoveryPoints", &arr, err) != SV_OK)
		return err->code;
	sv_err_init(&perr);
	cJSON_ArrayForEach(it, arr) {
		r = SVC_PUSH(p->points, p->n, p->cap);
		memset(r, 0, sizeof *r);
		r->arn = svc_jstr(it, "RecoveryPointArn", &perr);
		r->vault = svc_jstr(it, "BackupVaultName", &perr);
		r->resource_arn = svc_jstr(it, "ResourceArn", &perr);
		r->resource_type = svc_jstr(it, "ResourceType", &perr);
		r->resource_name = svc_jstr(it, "ResourceName", &perr);
		r->status = svc_jstr(it, "Status", &perr);
		r->status_message = svc_jstr(it, "StatusMessage", &perr);
		r->created = svc_jtime(it, "CreationDate", &perr);
		r->completed = svc_jtime(it, "CompletionDate", &perr);
		r->size = svc_jll(it, "BackupSizeInBytes", &perr);
		if (r->size < 0)
			r->size = svc_jll(it, "BackupSizeBytes", &perr);
		r->encrypted = svc_jbool(it, "IsEncrypted", &perr);
		if (perr.code == SV_OK && (r->arn == NULL ||
		    r->created == SV_TIME_NONE))
			sv_err_set(&perr, SV_E_PARSE, "a recovery point without "
			    "RecoveryPointArn or CreationDate");
	}
	if (perr.code != SV_OK)
		return sv_err_set(err, SV_E_PARSE, "%s: bad response: %s", op,
		    perr.msg);
	memset(page, 0, sizeof *page);
	page->v = p->points;
	page->n = p->n;
	page->next_token = p->next;
	return SV_OK;
}

sv_result
backup_parse_vaults_page(const char *json, size_t len, backup_vaults_page_fn fn,
    void *data, struct sv_err *err)
{
	struct backup_parse		p;
	struct backup_vaults_page	page;
	sv_result			result;

	memset(&p, 0, sizeof p);
	if ((result = backup_vaults_run(&p, json, len, &page, err)) == SV_OK)
		fn(data, &page);
	backup_parse_free(&p);
	return result;
}

sv_result
backup_parse_points_page(const char *json, size_t len, backup_points_page_fn fn,
    void *data, struct sv_err *err)
{
	struct backup_parse		p;
	struct backup_points_page	page;
	sv_result			result;

	memset(&p, 0, sizeof p);
	if ((result = backup_points_run(&p, "ListRecoveryPointsByBackupVault",
	    json, len, &page, err)) == SV_OK)
		fn(data, &page);
	backup_parse_free(&p);
	return result;
}

/* ---- the operations ---- */

struct backup_state {
	enum aws_op_id		 op;
	char			*vault;
	char			*path;
	char			*next;		/* NextToken to send, or NULL */
	char			*target;
	backup_vaults_page_fn	 vaults_fn;
	backup_points_page_fn	 points_fn;
	void			*data;
	struct backup_parse	 parse;
};

static void
backup_state_free(void *arg)
{
	struct backup_state	*st = arg;

	free(st->vault);
	free(st->path);
	free(st->next);
	free(st->target);
	backup_parse_free(&st->parse);
	free(st);
}

static sv_result
backup_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct backup_state	*st = arg;

	(void)err;
	call->op = st->op;
	call->method = "GET";
	call->path = st->path;
	call->target = st->target;
	if (st->next != NULL)
		aws_kvlist_add(&call->query, "nextToken", st->next);
	return SV_OK;
}

/* Moves to the next token; false (a malformed answer) if it repeats. */
static bool
backup_next(struct backup_state *st, const char *next)
{
	if (st->next != NULL && strcmp(st->next, next) == 0)
		return false;
	free(st->next);
	st->next = xstrdup(next);
	return true;
}

static sv_result
backup_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct backup_state	*st = arg;
	const char		*body = buf_str(&resp->body), *next;
	size_t			 len = resp->body.len;

	if (st->op == OP_BACKUP_ListBackupVaults) {
		struct backup_vaults_page page;

		if (backup_vaults_run(&st->parse, body, len, &page, err) != SV_OK)
			return err->code;
		out->items = page.n;
		out->stop = !st->vaults_fn(st->data, &page);
		next = page.next_token;
	} else {
		struct backup_points_page page;

		if (backup_points_run(&st->parse, aws_op_get(st->op)->name, body, len,
		    &page, err) != SV_OK)
			return err->code;
		out->items = page.n;
		out->stop = !st->points_fn(st->data, &page);
		next = page.next_token;
	}
	if (next != NULL && !out->stop) {
		if (!backup_next(st, next))
			return sv_err_set(err, SV_E_PARSE, "bad response: NextToken "
			    "repeats the previous one");
		out->more = true;
	}
	return SV_OK;
}

static const struct svc_op_type backup_vaults_type = {
	"vaults", backup_prepare, backup_page, NULL, backup_state_free
};
static const struct svc_op_type backup_points_type = {
	"recovery points", backup_prepare, backup_page, NULL, backup_state_free
};

struct svc_op *
backup_list_vaults(struct aws_client *client, backup_vaults_page_fn fn,
    svc_done_fn done, void *data)
{
	struct backup_state	*st = xcalloc(1, sizeof *st);

	st->op = OP_BACKUP_ListBackupVaults;
	st->path = xstrdup("/backup-vaults/");
	st->target = xstrdup("backup://");
	st->vaults_fn = fn;
	st->data = data;
	return svc_op_start(client, &backup_vaults_type, st,
	    "listing AWS Backup vaults", done, data);
}

/* "/PARENT/NAME/recovery-points/" (NAME percent-encoded, ARNs too), every
 * page; what: "vault name" / "resource ARN", for messages. */
static struct svc_op *
points_start(struct aws_client *client, enum aws_op_id op, const char *parent,
    const char *name, const char *what, backup_points_page_fn fn,
    svc_done_fn done, void *data)
{
	struct backup_state	*st = xcalloc(1, sizeof *st);
	struct buf		 path;
	char			*context;
	struct svc_op		*o;

	st->op = op;
	st->points_fn = fn;
	st->data = data;
	if (name == NULL || *name == '\0')
		return svc_op_fail(&backup_points_type, st, done, data, SV_E_USAGE,
		    "listing recovery points: no %s given", what);
	buf_init(&path, BUF_MAX_SMALL);
	if (buf_adds(&path, parent) != SV_OK ||
	    str_uri_encode(&path, name, strlen(name), false) != SV_OK ||
	    buf_adds(&path, "/recovery-points/") != SV_OK) {
		buf_free(&path);
		return svc_op_fail(&backup_points_type, st, done, data, SV_E_USAGE,
		    "listing recovery points: %s too long", what);
	}
	st->path = buf_detach(&path);
	if (op == OP_BACKUP_ListRecoveryPointsByBackupVault) {
		st->vault = xstrdup(name);
		st->target = xasprintf("backup://%s", name);
		context = xasprintf("listing recovery points of %s", st->target);
	} else {
		st->target = xstrdup("backup://");
		context = xasprintf("listing the AWS Backup recovery points of %s",
		    name);
	}
	o = svc_op_start(client, &backup_points_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
backup_list_recovery_points(struct aws_client *client, const char *vault,
    backup_points_page_fn fn, svc_done_fn done, void *data)
{
	return points_start(client, OP_BACKUP_ListRecoveryPointsByBackupVault,
	    "/backup-vaults/", vault, "vault name", fn, done, data);
}

struct svc_op *
backup_list_recovery_points_by_resource(struct aws_client *client,
    const char *resource_arn, backup_points_page_fn fn, svc_done_fn done,
    void *data)
{
	return points_start(client, OP_BACKUP_ListRecoveryPointsByResource,
	    "/resources/", resource_arn, "resource ARN", fn, done, data);
}
