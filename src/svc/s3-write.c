/* s3-write.c - PutObject with checksum and Object Lock headers, GetObject
 * and GetObjectLockConfiguration for the audit log's shipping (see
 * s3-write.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "svc/s3-write.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "util/xml.h"

void
s3w_base64(const unsigned char *in, size_t n, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t	i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		out[o++] = tab[in[i] >> 2];
		out[o++] = tab[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		out[o++] = tab[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
		out[o++] = tab[in[i + 2] & 63];
	}
	if (i < n) {
		out[o++] = tab[in[i] >> 2];
		if (i + 1 < n) {
			out[o++] = tab[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
			out[o++] = tab[(in[i + 1] & 15) << 2];
		} else {
			out[o++] = tab[(in[i] & 3) << 4];
			out[o++] = '=';
		}
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c - 'a' + 10;
}

void
s3w_checksum_sha256(const void *p, size_t n, char out[S3W_CHECKSUM_LEN])
{
	char		hex[65];
	unsigned char	raw[32];

	sigv4_sha256_hex(p, n, hex);
	for (int i = 0; i < 32; i++)
		raw[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
	s3w_base64(raw, sizeof raw, out);
}

/* ---- PutObject ---- */

struct put_state {
	s3_put_done_fn	 done;
	void		*data;
};

static void
put_done(void *arg, struct aws_response *resp)
{
	struct put_state	*st = arg;
	struct s3_put_result	 r;

	memset(&r, 0, sizeof r);
	r.status = resp->status;
	r.etag = http_headers_get(&resp->headers, "ETag");
	r.version_id = http_headers_get(&resp->headers, "x-amz-version-id");
	r.request_id = resp->request_id;
	r.aws_code = resp->aws_code;
	st->done(st->data, resp->result, &resp->err, &r);
	free(st);
}

static void
put_call(struct aws_call *call, const struct s3_put_req *req, char *target,
    size_t targetsz)
{
	char	sum[S3W_CHECKSUM_LEN], until[SV_TIME_ISO_MAX];

	aws_call_init(call, OP_S3_PutObject);
	call->method = "PUT";
	call->bucket = req->bucket;
	call->key = req->key;
	call->body = req->body;
	call->body_len = req->len;
	snprintf(target, targetsz, "s3://%s/%s", req->bucket, req->key);
	call->target = target;
	s3w_checksum_sha256(req->body, req->len, sum);
	aws_kvlist_add(&call->headers, "Content-Type",
	    req->content_type != NULL ? req->content_type : "application/octet-stream");
	aws_kvlist_add(&call->headers, "x-amz-sdk-checksum-algorithm", "SHA256");
	aws_kvlist_add(&call->headers, "x-amz-checksum-sha256", sum);
	if (req->lock_mode != NULL) {
		sv_time_format_iso(req->retain_until, until, false);
		aws_kvlist_add(&call->headers, "x-amz-object-lock-mode", req->lock_mode);
		aws_kvlist_add(&call->headers, "x-amz-object-lock-retain-until-date", until);
	}
}

struct aws_pending *
s3_put_object(struct aws_client *c, const struct s3_put_req *req, s3_put_done_fn done,
    void *data)
{
	struct aws_call		 call;
	struct put_state	*st = xcalloc(1, sizeof *st);
	struct aws_pending	*p;
	char			 target[BUF_MAX_SMALL];

	st->done = done;
	st->data = data;
	put_call(&call, req, target, sizeof target);
	p = aws_send(c, &call, put_done, st);
	aws_call_free(&call);
	return p;
}

sv_result
s3_put_object_sync(struct aws_client *c, const struct s3_put_req *req,
    char aws_code[128], struct sv_err *err)
{
	struct aws_call		call;
	struct aws_response	resp;
	char			target[BUF_MAX_SMALL];
	sv_result		result;

	put_call(&call, req, target, sizeof target);
	aws_response_init(&resp);
	result = aws_call_sync(c, &call, &resp);
	if (aws_code != NULL)
		str_lcpy(aws_code, resp.aws_code, 128);
	if (result != SV_OK)
		sv_err_set(err, result, "%s", resp.err.msg);
	aws_response_free(&resp);
	aws_call_free(&call);
	return result;
}

/* ---- GetObjectLockConfiguration ---- */

static void
lock_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3_lock_info	*li = arg;

	if (strcmp(path, "/ObjectLockConfiguration/ObjectLockEnabled") == 0)
		li->enabled = strcmp(text, "Enabled") == 0;
	else if (strcmp(path, "/ObjectLockConfiguration/Rule/DefaultRetention/Mode") == 0)
		str_lcpy(li->mode, text, sizeof li->mode);
	else if (strcmp(path, "/ObjectLockConfiguration/Rule/DefaultRetention/Days") == 0)
		li->days = strtoll(text, NULL, 10);
	else if (strcmp(path, "/ObjectLockConfiguration/Rule/DefaultRetention/Years") == 0)
		li->years = strtoll(text, NULL, 10);
}

sv_result
s3_parse_lock_config(const char *xml, size_t len, struct s3_lock_info *li,
    struct sv_err *err)
{
	static const struct xml_handler h = { NULL, lock_end };

	memset(li, 0, sizeof *li);
	li->days = li->years = -1;
	return xml_parse(xml, len, &h, li, err);
}

struct lock_state {
	s3_lock_done_fn	 done;
	void		*data;
};

static void
lock_done(void *arg, struct aws_response *resp)
{
	struct lock_state	*st = arg;
	struct s3_lock_info	 li;
	struct sv_err		 err;
	sv_result		 r = resp->result;

	sv_err_init(&err);
	memset(&li, 0, sizeof li);
	li.days = li.years = -1;
	if (r == SV_OK)
		r = s3_parse_lock_config(resp->body.ptr != NULL ? resp->body.ptr : "",
		    resp->body.len, &li, &err);
	else if (strcmp(resp->aws_code, "ObjectLockConfigurationNotFoundError") == 0)
		r = SV_OK;	/* no Object Lock: a result */
	else
		sv_err_set(&err, r, "%s", resp->err.msg);
	st->done(st->data, r, &err, &li);
	free(st);
}

struct aws_pending *
s3_get_lock_config(struct aws_client *c, const char *bucket, s3_lock_done_fn done,
    void *data)
{
	struct aws_call		 call;
	struct lock_state	*st = xcalloc(1, sizeof *st);
	struct aws_pending	*p;
	char			 target[BUF_MAX_SMALL];

	st->done = done;
	st->data = data;
	aws_call_init(&call, OP_S3_GetObjectLockConfiguration);
	call.bucket = bucket;
	aws_kvlist_add(&call.query, "object-lock", NULL);
	snprintf(target, sizeof target, "s3://%s", bucket);
	call.target = target;
	p = aws_send(c, &call, lock_done, st);
	aws_call_free(&call);
	return p;
}

/* ---- GetObject ---- */

sv_result
s3_get_object_sync(struct aws_client *c, const char *bucket, const char *key,
    struct buf *out, struct sv_err *err)
{
	struct aws_call		call;
	struct aws_response	resp;
	char			target[BUF_MAX_SMALL];
	sv_result		result;

	aws_call_init(&call, OP_S3_GetObject);
	call.bucket = bucket;
	call.key = key;
	snprintf(target, sizeof target, "s3://%s/%s", bucket, key);
	call.target = target;
	aws_response_init(&resp);
	result = aws_call_sync(c, &call, &resp);
	if (result != SV_OK)
		sv_err_set(err, result, "%s", resp.err.msg[0] != '\0' ? resp.err.msg :
		    sv_result_str(result));
	else if (buf_add(out, resp.body.ptr != NULL ? resp.body.ptr : "", resp.body.len) != SV_OK)
		result = sv_err_set(err, SV_E_TOOLARGE, "%s is too large", target);
	aws_response_free(&resp);
	aws_call_free(&call);
	return result;
}
