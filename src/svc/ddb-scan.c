/* ddb-scan.c - DynamoDB Scan (COUNT and items, by segment) and GetItem
 * (see ddb-scan.h). One request per page through svc.c's operation
 * machinery; LastEvaluatedKey is carried from page to page as JSON. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svc/ddb-scan.h"
#include "svc/svc-internal.h"
#include "util/xalloc.h"

enum scan_mode {
	SCAN_COUNT,
	SCAN_ITEMS,
	SCAN_GET
};

struct scan_state {
	enum scan_mode		 mode;
	char			*table;
	char			*target;
	int			 segment, total;
	long long		 limit;		/* COUNT: per page */
	long long		 max_items;	/* ITEMS: in all */
	long long		 delivered;
	bool			 consistent;
	cJSON			*start;		/* ExclusiveStartKey, or the GetItem key */
	char			*body;
	union {
		ddb_count_page_fn	 count;
		ddb_items_page_fn	 items;
		ddb_item_fn		 item;
	} fn;
	void			*data;
};

static void
scan_state_free(void *arg)
{
	struct scan_state	*st = arg;

	free(st->table);
	free(st->target);
	cJSON_Delete(st->start);
	free(st->body);
	free(st);
}

static sv_result
scan_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct scan_state	*st = arg;
	cJSON			*req = cJSON_CreateObject();

	(void)err;
	cJSON_AddStringToObject(req, "TableName", st->table);
	if (st->mode == SCAN_GET) {
		cJSON_AddItemToObject(req, "Key", cJSON_Duplicate(st->start, true));
		if (st->consistent)
			cJSON_AddBoolToObject(req, "ConsistentRead", true);
		call->op = OP_DDB_GetItem;
	} else {
		if (st->mode == SCAN_COUNT) {
			cJSON_AddStringToObject(req, "Select", "COUNT");
			if (st->limit > 0)
				cJSON_AddNumberToObject(req, "Limit", (double)st->limit);
		} else if (st->max_items > 0)
			cJSON_AddNumberToObject(req, "Limit",
			    (double)(st->max_items - st->delivered));
		if (st->total > 1) {
			cJSON_AddNumberToObject(req, "Segment", st->segment);
			cJSON_AddNumberToObject(req, "TotalSegments", st->total);
		}
		if (st->consistent)
			cJSON_AddBoolToObject(req, "ConsistentRead", true);
		if (st->start != NULL)
			cJSON_AddItemToObject(req, "ExclusiveStartKey",
			    cJSON_Duplicate(st->start, true));
		call->op = OP_DDB_Scan;
	}
	free(st->body);
	st->body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	if (st->body == NULL)
		abort();
	call->body = st->body;
	call->body_len = strlen(st->body);
	call->target = st->target;
	return SV_OK;
}

static long long
count_member(const cJSON *doc, const char *name, bool *ok)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(doc, name);

	*ok = false;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble < 0 || v->valuedouble > 9.0e15)
		return -1;
	*ok = true;
	return (long long)v->valuedouble;
}

/* The LastEvaluatedKey of a page, detached from doc (NULL if none). */
static sv_result
last_key(cJSON *doc, cJSON **out, const char *op, struct sv_err *err)
{
	cJSON	*k = cJSON_GetObjectItemCaseSensitive(doc, "LastEvaluatedKey");

	*out = NULL;
	if (k == NULL || cJSON_IsNull(k))
		return SV_OK;
	if (!cJSON_IsObject(k) || k->child == NULL)
		return sv_err_set(err, SV_E_PARSE,
		    "%s: bad response: LastEvaluatedKey is not a key", op);
	*out = cJSON_DetachItemViaPointer(doc, k);
	return SV_OK;
}

static cJSON *
parse_doc(const char *json, size_t len, const char *op, struct sv_err *err)
{
	cJSON	*doc = cJSON_ParseWithLength(json, len);

	if (doc == NULL || !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		sv_err_set(err, SV_E_PARSE, "%s: bad response: not a JSON object", op);
		return NULL;
	}
	return doc;
}

sv_result
ddb_parse_count_page(const char *json, size_t len, struct ddb_count_page *page,
    cJSON **lk, struct sv_err *err)
{
	cJSON		*doc, *k = NULL;
	bool		 ok;
	sv_result	 result = SV_OK;

	memset(page, 0, sizeof *page);
	if (lk != NULL)
		*lk = NULL;
	if ((doc = parse_doc(json, len, "Scan", err)) == NULL)
		return err->code;
	page->count = count_member(doc, "Count", &ok);
	if (!ok) {
		result = sv_err_set(err, SV_E_PARSE,
		    "Scan: bad response: no Count (or not a count)");
		goto out;
	}
	page->scanned = count_member(doc, "ScannedCount", &ok);
	if ((result = last_key(doc, &k, "Scan", err)) != SV_OK)
		goto out;
	page->last = k == NULL;
	if (lk != NULL) {
		*lk = k;
		k = NULL;
	}
out:
	cJSON_Delete(k);
	cJSON_Delete(doc);
	return result;
}

/* Moves the exclusive start to k (taking it); false if it did not move
 * (a service repeating itself would make the loop endless). */
static bool
scan_next(struct scan_state *st, cJSON *k)
{
	if (st->start != NULL && cJSON_Compare(st->start, k, true)) {
		cJSON_Delete(k);
		return false;
	}
	cJSON_Delete(st->start);
	st->start = k;
	return true;
}

static sv_result
scan_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct scan_state	*st = arg;
	const char		*body = buf_str(&resp->body);
	cJSON			*doc = NULL, *k = NULL;
	const cJSON		*items, *item;
	sv_result		 result = SV_OK;

	switch (st->mode) {
	case SCAN_COUNT: {
		struct ddb_count_page	page;

		if ((result = ddb_parse_count_page(body, resp->body.len, &page, &k,
		    err)) != SV_OK)
			return result;
		out->items = (size_t)page.count;
		out->stop = !st->fn.count(st->data, &page);
		if (k != NULL && !out->stop) {
			if (!scan_next(st, k))
				return sv_err_set(err, SV_E_PARSE, "Scan: bad response: "
				    "LastEvaluatedKey repeats the previous one");
			k = NULL;
			out->more = true;
		}
		break;
	}
	case SCAN_ITEMS: {
		struct ddb_items_page	page;

		if ((doc = parse_doc(body, resp->body.len, "Scan", err)) == NULL)
			return err->code;
		items = cJSON_GetObjectItemCaseSensitive(doc, "Items");
		if (items != NULL && !cJSON_IsArray(items)) {
			result = sv_err_set(err, SV_E_PARSE,
			    "Scan: bad response: Items is not an array");
			break;
		}
		cJSON_ArrayForEach(item, items) {
			if (!cJSON_IsObject(item)) {
				result = sv_err_set(err, SV_E_PARSE,
				    "Scan: bad response: an item is not an object");
				goto out;
			}
		}
		if ((result = last_key(doc, &k, "Scan", err)) != SV_OK)
			break;
		page.items = items;
		page.n = items != NULL ? (size_t)cJSON_GetArraySize(items) : 0;
		if (st->max_items > 0 && st->delivered + (long long)page.n >
		    st->max_items)
			page.n = (size_t)(st->max_items - st->delivered);
		st->delivered += (long long)page.n;
		page.last = k == NULL ||
		    (st->max_items > 0 && st->delivered >= st->max_items);
		out->items = page.n;
		out->stop = !st->fn.items(st->data, &page);
		if (!page.last && !out->stop) {
			if (!scan_next(st, k)) {
				k = NULL;
				result = sv_err_set(err, SV_E_PARSE, "Scan: bad "
				    "response: LastEvaluatedKey repeats the previous one");
				break;
			}
			k = NULL;
			out->more = true;
		}
		break;
	}
	case SCAN_GET:
		if ((doc = parse_doc(body, resp->body.len, "GetItem", err)) == NULL)
			return err->code;
		item = cJSON_GetObjectItemCaseSensitive(doc, "Item");
		if (item != NULL && !cJSON_IsNull(item) && !cJSON_IsObject(item)) {
			result = sv_err_set(err, SV_E_PARSE,
			    "GetItem: bad response: Item is not an object");
			break;
		}
		out->items = 1;
		st->fn.item(st->data, cJSON_IsObject(item) ? item : NULL);
		break;
	}
out:
	cJSON_Delete(k);
	cJSON_Delete(doc);
	return result;
}

static const struct svc_op_type count_type = {
	"items counted", scan_prepare, scan_page, NULL, scan_state_free
};
static const struct svc_op_type items_type = {
	"items", scan_prepare, scan_page, NULL, scan_state_free
};
static const struct svc_op_type get_type = {
	NULL, scan_prepare, scan_page, NULL, scan_state_free
};

static struct scan_state *
scan_state_new(enum scan_mode mode, const char *table, void *data)
{
	struct scan_state	*st = xcalloc(1, sizeof *st);

	st->mode = mode;
	st->table = xstrdup(table);
	st->target = xasprintf("dynamodb://%s", table);
	st->data = data;
	return st;
}

static bool
segment_ok(int segment, int total)
{
	if (total <= 1)
		return segment == 0;
	return total <= DDB_MAX_SEGMENTS && segment >= 0 && segment < total;
}

struct svc_op *
ddb_scan_count(struct aws_client *client, const struct ddb_count_req *req,
    ddb_count_page_fn fn, svc_done_fn done, void *data)
{
	struct scan_state	*st;
	struct svc_op		*o;
	char			*context;

	if (req == NULL || req->table == NULL || *req->table == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "counting items: no table given");
	if (!segment_ok(req->segment, req->total_segments))
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "counting items of dynamodb://%s: segment %d of %d is not valid",
		    req->table, req->segment, req->total_segments);
	st = scan_state_new(SCAN_COUNT, req->table, data);
	st->fn.count = fn;
	st->segment = req->segment;
	st->total = req->total_segments;
	st->limit = req->limit;
	st->consistent = req->consistent;
	if (st->total > 1)
		context = xasprintf("counting items of dynamodb://%s (segment %d of %d)",
		    req->table, req->segment, req->total_segments);
	else
		context = xasprintf("counting items of dynamodb://%s", req->table);
	o = svc_op_start(client, &count_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
ddb_scan_items(struct aws_client *client, const struct ddb_scan_req *req,
    ddb_items_page_fn fn, svc_done_fn done, void *data)
{
	struct scan_state	*st;
	struct svc_op		*o;
	char			*context;

	if (req == NULL || req->table == NULL || *req->table == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "reading items: no table given");
	if (!segment_ok(req->segment, req->total_segments) || req->max_items < 0)
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "reading items of dynamodb://%s: segment %d of %d is not valid",
		    req->table, req->segment, req->total_segments);
	st = scan_state_new(SCAN_ITEMS, req->table, data);
	st->fn.items = fn;
	st->segment = req->segment;
	st->total = req->total_segments;
	st->max_items = req->max_items;
	st->consistent = req->consistent;
	context = xasprintf("reading items of dynamodb://%s", req->table);
	o = svc_op_start(client, &items_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
ddb_get_item(struct aws_client *client, const char *table, const cJSON *key,
    bool consistent, ddb_item_fn fn, svc_done_fn done, void *data)
{
	struct scan_state	*st;
	struct svc_op		*o;
	char			*context;

	if (table == NULL || *table == '\0' || !cJSON_IsObject(key) ||
	    key->child == NULL)
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "reading an item: no table or key given");
	st = scan_state_new(SCAN_GET, table, data);
	st->fn.item = fn;
	st->consistent = consistent;
	st->start = cJSON_Duplicate(key, true);
	context = xasprintf("reading an item of dynamodb://%s", table);
	o = svc_op_start(client, &get_type, st, context, done, data);
	free(context);
	return o;
}
