/* dynamodb.c - the read operations of Amazon DynamoDB (json 1.0):
 * ListTables, DescribeTable, DescribeContinuousBackups and ListBackups.
 * Request bodies are built and responses parsed with cJSON; times are
 * epoch seconds, often fractional. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "svc/dynamodb.h"
#include "svc/svc-internal.h"
#include "util/str.h"
#include "util/xalloc.h"

/* Parses a body; an object carrying "__type" is the error it names. */
static sv_result
ddb_doc(const char *json, size_t len, const char *op, cJSON **out,
    struct sv_err *err)
{
	cJSON		*doc;
	const char	*type, *msg, *code;

	*out = NULL;
	doc = cJSON_ParseWithLength(json, len);
	if (doc == NULL)
		return sv_err_set(err, SV_E_PARSE, "%s: bad response: not JSON", op);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return sv_err_set(err, SV_E_PARSE,
		    "%s: bad response: not a JSON object", op);
	}
	type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "__type"));
	if (type != NULL) {
		msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc,
		    "message"));
		if (msg == NULL)
			msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc,
			    "Message"));
		code = strrchr(type, '#');
		code = code != NULL ? code + 1 : type;
		sv_err_set(err, svc_code_result(code), "%s: %s%s%s", op, code,
		    msg != NULL ? ": " : "", msg != NULL ? msg : "");
		cJSON_Delete(doc);
		return err->code;
	}
	*out = doc;
	return SV_OK;
}

static sv_result
ddb_bad(const char *op, struct sv_err *perr, struct sv_err *err)
{
	return sv_err_set(err, perr->code, "%s: bad response: %s", op, perr->msg);
}

/* ---- ListTables ---- */

struct ddb_tables_parse {
	const char	**names;
	size_t		  n, cap;
	cJSON		 *doc;
};

static sv_result
ddb_tables_run(struct ddb_tables_parse *p, const char *json, size_t len,
    struct ddb_tables_page *page, struct sv_err *err)
{
	struct sv_err	 perr;
	const cJSON	*arr, *it;

	sv_err_init(&perr);
	p->n = 0;
	if (ddb_doc(json, len, "ListTables", &p->doc, err) != SV_OK)
		return err->code;
	arr = svc_jarr(p->doc, "TableNames", &perr);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it)) {
			sv_err_set(&perr, SV_E_PARSE, "TableNames has a non-string");
			break;
		}
		*SVC_PUSH(p->names, p->n, p->cap) = it->valuestring;
	}
	memset(page, 0, sizeof *page);
	page->names = p->names;
	page->n = p->n;
	page->last_evaluated = svc_jstr(p->doc, "LastEvaluatedTableName", &perr);
	if (perr.code != SV_OK)
		return ddb_bad("ListTables", &perr, err);
	return SV_OK;
}

sv_result
ddb_parse_tables_page(const char *json, size_t len, ddb_tables_page_fn fn,
    void *data, struct sv_err *err)
{
	struct ddb_tables_parse	p;
	struct ddb_tables_page	page;
	sv_result		result;

	memset(&p, 0, sizeof p);
	result = ddb_tables_run(&p, json, len, &page, err);
	if (result == SV_OK)
		fn(data, &page);
	cJSON_Delete(p.doc);
	free(p.names);
	return result;
}

/* ---- DescribeTable ---- */

static const char **
ddb_index_names(const cJSON *arr, size_t *n, struct sv_err *err)
{
	const char	**v;
	const cJSON	 *it;
	size_t		  i = 0;

	*n = (size_t)cJSON_GetArraySize(arr);
	if (*n == 0)
		return NULL;
	v = xcalloc(*n, sizeof *v);
	cJSON_ArrayForEach(it, arr) {
		const char *name = svc_jstr(it, "IndexName", err);

		if (name == NULL) {
			sv_err_set(err, SV_E_PARSE, "an index without IndexName");
			name = "";
		}
		v[i++] = name;
	}
	*n = i;
	return v;
}

sv_result
ddb_parse_table(const char *json, size_t len, ddb_table_fn fn, void *data,
    struct sv_err *err)
{
	cJSON		*doc = NULL;
	const cJSON	*t, *o, *it, *defs;
	struct ddb_table tab;
	struct ddb_key	*keys = NULL;
	const char	**gsis = NULL, **lsis = NULL;
	struct sv_err	 perr;
	sv_result	 result;
	size_t		 i;

	sv_err_init(&perr);
	if ((result = ddb_doc(json, len, "DescribeTable", &doc, err)) != SV_OK)
		return result;
	t = svc_jobj(doc, "Table", &perr);
	if (t == NULL) {
		sv_err_set(&perr, SV_E_PARSE, "no Table");
		goto fail;
	}
	memset(&tab, 0, sizeof tab);
	tab.name = svc_jstr(t, "TableName", &perr);
	if (tab.name == NULL)
		sv_err_set(&perr, SV_E_PARSE, "no TableName");
	tab.arn = svc_jstr(t, "TableArn", &perr);
	tab.id = svc_jstr(t, "TableId", &perr);
	tab.status = svc_jstr(t, "TableStatus", &perr);
	tab.created = svc_jtime(t, "CreationDateTime", &perr);
	tab.item_count = svc_jll(t, "ItemCount", &perr);
	tab.size_bytes = svc_jll(t, "TableSizeBytes", &perr);
	tab.billing_mode = svc_jstr(svc_jobj(t, "BillingModeSummary", &perr), "BillingMode",
	    &perr);
	if (tab.billing_mode == NULL)
		tab.billing_mode = "PROVISIONED";

	defs = svc_jarr(t, "AttributeDefinitions", &perr);
	o = svc_jarr(t, "KeySchema", &perr);
	tab.n_keys = (size_t)cJSON_GetArraySize(o);
	if (tab.n_keys > 0) {
		keys = xcalloc(tab.n_keys, sizeof *keys);
		i = 0;
		cJSON_ArrayForEach(it, o) {
			const cJSON *d;

			keys[i].attr = svc_jstr(it, "AttributeName", &perr);
			keys[i].key_type = svc_jstr(it, "KeyType", &perr);
			if (keys[i].attr == NULL || keys[i].key_type == NULL)
				sv_err_set(&perr, SV_E_PARSE,
				    "a KeySchema element without AttributeName or KeyType");
			cJSON_ArrayForEach(d, defs) {
				const char *an = svc_jstr(d, "AttributeName", &perr);

				if (an != NULL && keys[i].attr != NULL &&
				    strcmp(an, keys[i].attr) == 0)
					keys[i].attr_type = svc_jstr(d, "AttributeType", &perr);
			}
			i++;
		}
		tab.n_keys = i;
	}
	tab.keys = keys;

	o = svc_jobj(t, "ProvisionedThroughput", &perr);
	tab.rcu = svc_jll(o, "ReadCapacityUnits", &perr);
	tab.wcu = svc_jll(o, "WriteCapacityUnits", &perr);

	gsis = ddb_index_names(svc_jarr(t, "GlobalSecondaryIndexes", &perr),
	    &tab.n_gsis, &perr);
	lsis = ddb_index_names(svc_jarr(t, "LocalSecondaryIndexes", &perr),
	    &tab.n_lsis, &perr);
	tab.gsis = gsis;
	tab.lsis = lsis;

	o = svc_jobj(t, "StreamSpecification", &perr);
	tab.stream_enabled = svc_jbool(o, "StreamEnabled", &perr);
	tab.stream_view_type = tab.stream_enabled ?
	    svc_jstr(o, "StreamViewType", &perr) : NULL;
	tab.stream_arn = svc_jstr(t, "LatestStreamArn", &perr);

	o = svc_jobj(t, "SSEDescription", &perr);
	tab.sse_status = svc_jstr(o, "Status", &perr);
	tab.sse_type = svc_jstr(o, "SSEType", &perr);
	tab.sse_kms_key_arn = svc_jstr(o, "KMSMasterKeyArn", &perr);

	tab.deletion_protection = svc_jbool(t, "DeletionProtectionEnabled", &perr);
	tab.table_class = svc_jstr(svc_jobj(t, "TableClassSummary", &perr), "TableClass",
	    &perr);

	tab.restore_time = SV_TIME_NONE;
	o = svc_jobj(t, "RestoreSummary", &perr);
	if (o != NULL) {
		tab.restored = true;
		tab.restore_source_backup_arn = svc_jstr(o, "SourceBackupArn", &perr);
		tab.restore_source_table_arn = svc_jstr(o, "SourceTableArn", &perr);
		tab.restore_time = svc_jtime(o, "RestoreDateTime", &perr);
		tab.restore_in_progress = svc_jbool(o, "RestoreInProgress", &perr);
	}
	tab.n_replicas = cJSON_GetArraySize(svc_jarr(t, "Replicas", &perr));

	if (perr.code != SV_OK)
		goto fail;
	fn(data, &tab);
	goto out;
fail:
	result = ddb_bad("DescribeTable", &perr, err);
out:
	free(keys);
	free(gsis);
	free(lsis);
	cJSON_Delete(doc);
	return result;
}

/* ---- DescribeContinuousBackups ---- */

sv_result
ddb_parse_continuous_backups(const char *json, size_t len,
    ddb_continuous_backups_fn fn, void *data, struct sv_err *err)
{
	cJSON				*doc = NULL;
	const cJSON			*d, *p;
	struct ddb_continuous_backups	 cb;
	struct sv_err			 perr;
	sv_result			 result;

	sv_err_init(&perr);
	if ((result = ddb_doc(json, len, "DescribeContinuousBackups", &doc, err)) != SV_OK)
		return result;
	memset(&cb, 0, sizeof cb);
	d = svc_jobj(doc, "ContinuousBackupsDescription", &perr);
	if (d == NULL)
		sv_err_set(&perr, SV_E_PARSE, "no ContinuousBackupsDescription");
	cb.status = svc_jstr(d, "ContinuousBackupsStatus", &perr);
	if (d != NULL && cb.status == NULL)
		sv_err_set(&perr, SV_E_PARSE, "no ContinuousBackupsStatus");
	p = svc_jobj(d, "PointInTimeRecoveryDescription", &perr);
	cb.pitr_status = svc_jstr(p, "PointInTimeRecoveryStatus", &perr);
	cb.pitr_enabled = cb.pitr_status != NULL &&
	    strcmp(cb.pitr_status, "ENABLED") == 0;
	cb.earliest = svc_jtime(p, "EarliestRestorableDateTime", &perr);
	cb.latest = svc_jtime(p, "LatestRestorableDateTime", &perr);
	cb.recovery_period_days = svc_jll(p, "RecoveryPeriodInDays", &perr);
	if (perr.code != SV_OK)
		result = ddb_bad("DescribeContinuousBackups", &perr, err);
	else
		fn(data, &cb);
	cJSON_Delete(doc);
	return result;
}

/* ---- ListBackups ---- */

struct ddb_backups_parse {
	struct ddb_backup	*v;
	size_t			 n, cap;
	cJSON			*doc;
};

static sv_result
ddb_backups_run(struct ddb_backups_parse *p, const char *json, size_t len,
    struct ddb_backups_page *page, struct sv_err *err)
{
	struct sv_err	 perr;
	const cJSON	*arr, *it;
	struct ddb_backup *b;

	sv_err_init(&perr);
	p->n = 0;
	if (ddb_doc(json, len, "ListBackups", &p->doc, err) != SV_OK)
		return err->code;
	arr = svc_jarr(p->doc, "BackupSummaries", &perr);
	cJSON_ArrayForEach(it, arr) {
		b = SVC_PUSH(p->v, p->n, p->cap);
		memset(b, 0, sizeof *b);
		b->arn = svc_jstr(it, "BackupArn", &perr);
		if (b->arn == NULL)
			sv_err_set(&perr, SV_E_PARSE, "a backup without BackupArn");
		b->name = svc_jstr(it, "BackupName", &perr);
		b->table_name = svc_jstr(it, "TableName", &perr);
		b->table_arn = svc_jstr(it, "TableArn", &perr);
		b->table_id = svc_jstr(it, "TableId", &perr);
		b->status = svc_jstr(it, "BackupStatus", &perr);
		b->type = svc_jstr(it, "BackupType", &perr);
		b->created = svc_jtime(it, "BackupCreationDateTime", &perr);
		b->expiry = svc_jtime(it, "BackupExpiryDateTime", &perr);
		b->size_bytes = svc_jll(it, "BackupSizeBytes", &perr);
	}
	memset(page, 0, sizeof *page);
	page->backups = p->v;
	page->n = p->n;
	page->last_evaluated = svc_jstr(p->doc, "LastEvaluatedBackupArn", &perr);
	if (perr.code != SV_OK)
		return ddb_bad("ListBackups", &perr, err);
	return SV_OK;
}

sv_result
ddb_parse_backups_page(const char *json, size_t len, ddb_backups_page_fn fn,
    void *data, struct sv_err *err)
{
	struct ddb_backups_parse p;
	struct ddb_backups_page	 page;
	sv_result		 result;

	memset(&p, 0, sizeof p);
	result = ddb_backups_run(&p, json, len, &page, err);
	if (result == SV_OK)
		fn(data, &page);
	cJSON_Delete(p.doc);
	free(p.v);
	return result;
}

/* ---- operations ---- */

struct ddb_state {
	enum aws_op_id		 op;
	char			*table;
	char			*start;		/* exclusive start name / arn */
	long long		 limit;
	sv_time			 time_from, time_to;
	const char		*kinds[3];	/* BackupType values to list in turn */
	int			 n_kinds, kind;
	char			*body;
	char			*target;
	union {
		ddb_tables_page_fn		tables;
		ddb_table_fn			table;
		ddb_continuous_backups_fn	cb;
		ddb_backups_page_fn		backups;
	} fn;
	void			*data;
	struct ddb_tables_parse	 tparse;
	struct ddb_backups_parse bparse;
	struct ddb_backup	*kept;		/* filtered backups of a page */
	size_t			 n_kept, cap_kept;
};

static void
ddb_state_free(void *arg)
{
	struct ddb_state	*st = arg;

	free(st->table);
	free(st->start);
	free(st->body);
	free(st->target);
	cJSON_Delete(st->tparse.doc);
	free(st->tparse.names);
	cJSON_Delete(st->bparse.doc);
	free(st->bparse.v);
	free(st->kept);
	free(st);
}

static sv_result
ddb_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct ddb_state	*st = arg;
	cJSON			*req = cJSON_CreateObject();

	switch (st->op) {
	case OP_DDB_ListTables:
		if (st->start != NULL)
			cJSON_AddStringToObject(req, "ExclusiveStartTableName", st->start);
		if (st->limit > 0)
			cJSON_AddNumberToObject(req, "Limit", (double)st->limit);
		break;
	case OP_DDB_DescribeTable:
	case OP_DDB_DescribeContinuousBackups:
		cJSON_AddStringToObject(req, "TableName", st->table);
		break;
	case OP_DDB_ListBackups:
		if (st->table != NULL)
			cJSON_AddStringToObject(req, "TableName", st->table);
		if (st->limit > 0)
			cJSON_AddNumberToObject(req, "Limit", (double)st->limit);
		if (st->time_from != SV_TIME_NONE && st->time_from != 0)
			cJSON_AddNumberToObject(req, "TimeRangeLowerBound",
			    (double)st->time_from / 1000.0);
		if (st->time_to != SV_TIME_NONE && st->time_to != 0)
			cJSON_AddNumberToObject(req, "TimeRangeUpperBound",
			    (double)st->time_to / 1000.0);
		if (st->start != NULL)
			cJSON_AddStringToObject(req, "ExclusiveStartBackupArn", st->start);
		cJSON_AddStringToObject(req, "BackupType", st->kinds[st->kind]);
		break;
	default:
		cJSON_Delete(req);
		return sv_err_set(err, SV_E_INVALID,
		    "dynamodb: operation %d not handled", (int)st->op);
	}
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

/* Sets the next exclusive start; false if it did not move. */
static bool
ddb_next(struct ddb_state *st, const char *next)
{
	if (st->start != NULL && strcmp(st->start, next) == 0)
		return false;
	free(st->start);
	st->start = xstrdup(next);
	return true;
}

/* Whether a backup belongs to what was asked for: the filters are
 * applied again here, so a service that ignores them (moto) cannot
 * return duplicates across the per-type listings. */
static bool
ddb_backup_wanted(const struct ddb_state *st, const struct ddb_backup *b)
{
	const char	*kind = st->kinds[st->kind];

	if (b->type != NULL) {
		if (strcmp(kind, "ALL") == 0) {
			if (strcmp(b->type, "USER") != 0 &&
			    strcmp(b->type, "SYSTEM") != 0)
				return false;
		} else if (strcmp(kind, b->type) != 0)
			return false;
	}
	if (st->table != NULL && b->table_name != NULL &&
	    strcmp(st->table, b->table_name) != 0)
		return false;
	if (b->created != SV_TIME_NONE) {
		if (st->time_from != SV_TIME_NONE && st->time_from != 0 &&
		    b->created < st->time_from)
			return false;
		if (st->time_to != SV_TIME_NONE && st->time_to != 0 &&
		    b->created > st->time_to)
			return false;
	}
	return true;
}

static sv_result
ddb_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct ddb_state	*st = arg;
	const char		*body = buf_str(&resp->body);
	size_t			 len = resp->body.len, i;
	sv_result		 result = SV_OK;

	switch (st->op) {
	case OP_DDB_ListTables: {
		struct ddb_tables_page page;

		cJSON_Delete(st->tparse.doc);
		st->tparse.doc = NULL;
		if ((result = ddb_tables_run(&st->tparse, body, len, &page, err)) != SV_OK)
			break;
		out->items = page.n;
		out->stop = !st->fn.tables(st->data, &page);
		if (page.last_evaluated != NULL && !out->stop) {
			if (!ddb_next(st, page.last_evaluated))
				return sv_err_set(err, SV_E_PARSE,
				    "ListTables: bad response: LastEvaluatedTableName "
				    "repeats the previous one");
			out->more = true;
		}
		break;
	}
	case OP_DDB_ListBackups: {
		struct ddb_backups_page page;

		cJSON_Delete(st->bparse.doc);
		st->bparse.doc = NULL;
		if ((result = ddb_backups_run(&st->bparse, body, len, &page, err)) != SV_OK)
			break;
		st->n_kept = 0;
		for (i = 0; i < page.n; i++) {
			if (ddb_backup_wanted(st, &page.backups[i]))
				*SVC_PUSH(st->kept, st->n_kept, st->cap_kept) =
				    page.backups[i];
		}
		page.backups = st->kept;
		page.n = st->n_kept;
		out->items = page.n;
		out->stop = !st->fn.backups(st->data, &page);
		if (out->stop)
			break;
		if (page.last_evaluated != NULL) {
			if (!ddb_next(st, page.last_evaluated))
				return sv_err_set(err, SV_E_PARSE,
				    "ListBackups: bad response: LastEvaluatedBackupArn "
				    "repeats the previous one");
			out->more = true;
		} else if (st->kind + 1 < st->n_kinds) {
			st->kind++;
			xfree(st->start);
			out->more = true;
		}
		break;
	}
	case OP_DDB_DescribeTable:
		out->items = 1;
		result = ddb_parse_table(body, len, st->fn.table, st->data, err);
		break;
	case OP_DDB_DescribeContinuousBackups:
		out->items = 1;
		result = ddb_parse_continuous_backups(body, len, st->fn.cb, st->data, err);
		break;
	default:
		result = sv_err_set(err, SV_E_INVALID, "dynamodb: operation not handled");
		break;
	}
	return result;
}

static const struct svc_op_type ddb_tables_type = {
	"tables", ddb_prepare, ddb_page, NULL, ddb_state_free
};
static const struct svc_op_type ddb_backups_type = {
	"backups", ddb_prepare, ddb_page, NULL, ddb_state_free
};
static const struct svc_op_type ddb_single_type = {
	NULL, ddb_prepare, ddb_page, NULL, ddb_state_free
};

static struct ddb_state *
ddb_state_new(enum aws_op_id op, const char *table, void *data)
{
	struct ddb_state	*st = xcalloc(1, sizeof *st);

	st->op = op;
	st->table = table != NULL ? xstrdup(table) : NULL;
	st->data = data;
	st->time_from = st->time_to = SV_TIME_NONE;
	st->target = xasprintf("dynamodb://%s", table != NULL ? table : "");
	return st;
}

struct svc_op *
ddb_list_tables(struct aws_client *client, const struct ddb_list_tables_req *req,
    ddb_tables_page_fn fn, svc_done_fn done, void *data)
{
	struct ddb_state	*st = ddb_state_new(OP_DDB_ListTables, NULL, data);

	st->fn.tables = fn;
	if (req != NULL) {
		if (req->exclusive_start != NULL)
			st->start = xstrdup(req->exclusive_start);
		st->limit = req->limit;
	}
	return svc_op_start(client, &ddb_tables_type, st, "listing DynamoDB tables",
	    done, data);
}

/* Starts a single-result call on one table. */
static struct svc_op *
ddb_table_call(struct aws_client *client, struct ddb_state *st,
    const char *what, svc_done_fn done, void *data)
{
	char		*context;
	struct svc_op	*o;

	if (st->table == NULL || *st->table == '\0')
		return svc_op_fail(&ddb_single_type, st, done, data, SV_E_INVALID,
		    "%s a table: no table given", what);
	context = xasprintf("%s dynamodb://%s", what, st->table);
	o = svc_op_start(client, &ddb_single_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
ddb_describe_table(struct aws_client *client, const char *table,
    ddb_table_fn fn, svc_done_fn done, void *data)
{
	struct ddb_state	*st = ddb_state_new(OP_DDB_DescribeTable, table, data);

	st->fn.table = fn;
	return ddb_table_call(client, st, "describing", done, data);
}

struct svc_op *
ddb_describe_continuous_backups(struct aws_client *client, const char *table,
    ddb_continuous_backups_fn fn, svc_done_fn done, void *data)
{
	struct ddb_state	*st = ddb_state_new(OP_DDB_DescribeContinuousBackups,
				    table, data);

	st->fn.cb = fn;
	return ddb_table_call(client, st,
	    "reading the point-in-time recovery settings of", done, data);
}

struct svc_op *
ddb_list_backups(struct aws_client *client, const struct ddb_list_backups_req *req,
    ddb_backups_page_fn fn, svc_done_fn done, void *data)
{
	struct ddb_state	*st;
	enum ddb_backup_kind	 kind = req != NULL ? req->kind : DDB_BACKUPS_EVERY;
	const char		*table = req != NULL ? req->table : NULL;
	char			*context;
	struct svc_op		*o;

	if (table != NULL && *table == '\0')
		table = NULL;
	st = ddb_state_new(OP_DDB_ListBackups, table, data);
	st->fn.backups = fn;
	if (req != NULL) {
		st->time_from = req->time_from;
		st->time_to = req->time_to;
		st->limit = req->limit;
	}
	switch (kind) {
	case DDB_BACKUPS_USER:
		st->kinds[st->n_kinds++] = "USER";
		break;
	case DDB_BACKUPS_SYSTEM:
		st->kinds[st->n_kinds++] = "SYSTEM";
		break;
	case DDB_BACKUPS_AWS_BACKUP:
		st->kinds[st->n_kinds++] = "AWS_BACKUP";
		break;
	case DDB_BACKUPS_ALL:
		st->kinds[st->n_kinds++] = "ALL";
		break;
	default:
		st->kinds[st->n_kinds++] = "USER";
		st->kinds[st->n_kinds++] = "SYSTEM";
		st->kinds[st->n_kinds++] = "AWS_BACKUP";
		break;
	}
	if (table != NULL)
		context = xasprintf("listing backups of dynamodb://%s", table);
	else
		context = xstrdup("listing DynamoDB backups");
	o = svc_op_start(client, &ddb_backups_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
ddb_list_all_backups(struct aws_client *client, const char *table,
    ddb_backups_page_fn fn, svc_done_fn done, void *data)
{
	struct ddb_list_backups_req	req;

	memset(&req, 0, sizeof req);
	req.table = table;
	req.kind = DDB_BACKUPS_EVERY;
	return ddb_list_backups(client, &req, fn, done, data);
}
