/* s3-get.c - an object's content in ranged GETs, optionally through
 * SHA-256 (see s3-get.h). Each range is one "page" of svc.c's operation
 * machinery: the next range is asked for only after the previous one was
 * delivered, so memory stays at one part. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/s3-get.h"
#include "svc/svc-internal.h"
#include "util/xalloc.h"

struct get_state {
	char			*bucket, *key, *version_id, *if_match, *target;
	long long		 size, part, offset;
	int			 requests;
	s3_get_chunk_fn		 chunk;
	s3_hash_progress_fn	 progress;
	s3_hash_fn		 hashed;
	struct sv_sha256	*sha;		/* hashing: s3_hash_object */
	void			*data;
};

static void
get_state_free(void *arg)
{
	struct get_state	*st = arg;

	free(st->bucket);
	free(st->key);
	free(st->version_id);
	free(st->if_match);
	free(st->target);
	sv_sha256_free(st->sha);
	free(st);
}

static long long
range_end(const struct get_state *st)
{
	long long	end = st->offset + st->part - 1;

	return end < st->size - 1 ? end : st->size - 1;
}

static sv_result
get_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct get_state	*st = arg;

	(void)err;
	call->op = OP_S3_GetObject;
	call->bucket = st->bucket;
	call->key = st->key;
	call->target = st->target;
	if (st->version_id != NULL)
		aws_kvlist_add(&call->query, "versionId", st->version_id);
	else if (st->if_match != NULL)
		aws_kvlist_add(&call->headers, "If-Match", st->if_match);
	/* An empty object has no byte range to ask for (416). */
	if (st->size > 0)
		aws_kvlist_addf(&call->headers, "Range", "bytes=%lld-%lld",
		    st->offset, range_end(st));
	st->requests++;
	return SV_OK;
}

bool
s3_parse_content_range(const char *s, long long *first, long long *last,
    long long *size)
{
	char	*end;

	if (s == NULL || strncmp(s, "bytes ", 6) != 0)
		return false;
	s += 6;
	*first = strtoll(s, &end, 10);
	if (end == s || *end != '-' || *first < 0)
		return false;
	s = end + 1;
	*last = strtoll(s, &end, 10);
	if (end == s || *end != '/' || *last < *first)
		return false;
	s = end + 1;
	if (strcmp(s, "*") == 0) {
		*size = -1;
		return true;
	}
	*size = strtoll(s, &end, 10);
	return end != s && *end == '\0' && *size > *last;
}

static sv_result
get_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct get_state	*st = arg;
	struct s3_get_chunk	 c;
	const char		*cr;
	long long		 first, last, size, want;

	want = st->size > 0 ? range_end(st) - st->offset + 1 : 0;
	if (st->size > 0 && resp->status == 206) {
		cr = http_headers_get(&resp->headers, "content-range");
		if (!s3_parse_content_range(cr, &first, &last, &size) ||
		    first != st->offset || last != range_end(st))
			return sv_err_set(err, SV_E_PARSE, "GetObject: bad response: "
			    "Content-Range '%s' is not the range asked for (bytes "
			    "%lld-%lld)", cr != NULL ? cr : "", st->offset,
			    range_end(st));
		if (size >= 0 && size != st->size)
			return sv_err_set(err, SV_E_MISMATCH, "the object's size "
			    "changed while it was read (%lld bytes, now %lld): "
			    "verify again", st->size, size);
	} else if (st->offset != 0 || (st->size > 0 &&
	    (long long)resp->body.len != st->size))
		/* A 200: the whole object, which must be what was asked for. */
		return sv_err_set(err, SV_E_PARSE, "GetObject: bad response: "
		    "status %ld to a range request", resp->status);
	else
		want = st->size;
	if ((long long)resp->body.len != want)
		return sv_err_set(err, SV_E_PARSE, "GetObject: bad response: %zu "
		    "bytes where %lld were expected (truncated?)", resp->body.len,
		    want);
	c.data = resp->body.ptr != NULL ? resp->body.ptr : "";
	c.len = resp->body.len;
	c.offset = st->offset;
	c.size = st->size;
	st->offset += want;
	out->items = c.len;
	if (st->sha != NULL) {
		sv_sha256_update(st->sha, c.data, c.len);
		if (st->progress != NULL)
			st->progress(st->data, st->offset, st->size);
	} else if (!st->chunk(st->data, &c)) {
		out->stop = true;
		return SV_OK;
	}
	if (st->offset < st->size) {
		out->more = true;
		return SV_OK;
	}
	if (st->sha != NULL) {
		struct s3_hash	h;

		memset(&h, 0, sizeof h);
		sv_sha256_final(st->sha, h.sha256);
		sv_sha256_hex(h.sha256, h.hex);
		sv_sha256_base64(h.sha256, h.base64);
		h.bytes = st->offset;
		h.requests = st->requests;
		st->hashed(st->data, &h);
	}
	return SV_OK;
}

/* 412: the object is no longer the one whose ETag was given. */
static sv_result
get_error(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct get_state	*st = arg;

	(void)out;
	if (resp->status == 412 && st->if_match != NULL)
		return sv_err_set(err, SV_E_MISMATCH, "the object changed while it "
		    "was read (its ETag is no longer %s): verify again", st->if_match);
	return resp->result;
}

static const struct svc_op_type get_type = {
	"bytes", get_prepare, get_page, get_error, get_state_free
};

static struct svc_op *
get_start(struct aws_client *client, const struct s3_get_req *req,
    struct get_state *st, svc_done_fn done, void *data)
{
	struct svc_op	*o;
	char		*context;

	st->bucket = xstrdup(req->bucket);
	st->key = xstrdup(req->key);
	st->version_id = req->version_id != NULL ? xstrdup(req->version_id) : NULL;
	st->if_match = req->if_match != NULL ? xstrdup(req->if_match) : NULL;
	st->target = xasprintf("s3://%s/%s", req->bucket, req->key);
	st->size = req->size;
	st->part = req->part_size > 0 ? req->part_size : S3_GET_PART;
	st->data = data;
	if (req->version_id != NULL)
		context = xasprintf("reading %s (version %s)", st->target,
		    req->version_id);
	else
		context = xasprintf("reading %s", st->target);
	o = svc_op_start(client, &get_type, st, context, done, data);
	free(context);
	return o;
}

static bool
req_ok(const struct s3_get_req *req)
{
	return req != NULL && req->bucket != NULL && *req->bucket != '\0' &&
	    req->key != NULL && *req->key != '\0' && req->size >= 0 &&
	    req->part_size >= 0;
}

struct svc_op *
s3_get_object(struct aws_client *client, const struct s3_get_req *req,
    s3_get_chunk_fn fn, svc_done_fn done, void *data)
{
	struct get_state	*st;

	if (!req_ok(req) || fn == NULL)
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "reading an object: no bucket, key or size given");
	st = xcalloc(1, sizeof *st);
	st->chunk = fn;
	return get_start(client, req, st, done, data);
}

struct svc_op *
s3_hash_object(struct aws_client *client, const struct s3_get_req *req,
    s3_hash_progress_fn progress, s3_hash_fn fn, svc_done_fn done, void *data)
{
	struct get_state	*st;

	if (!req_ok(req) || fn == NULL)
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "hashing an object: no bucket, key or size given");
	st = xcalloc(1, sizeof *st);
	st->sha = sv_sha256_new();
	st->progress = progress;
	st->hashed = fn;
	return get_start(client, req, st, done, data);
}
