/* s3-copy.c - restoring S3 objects without destroying anything: copying
 * a version onto its key (CopyObject, or a multipart upload of
 * UploadPartCopy ranges), removing a delete marker after checking it is
 * one, adding a delete marker on a versioned bucket (see s3-copy.h).
 *
 * One small state machine per call over aws_send: each response moves it
 * to the next phase; parts of a multipart copy go a few at a time; a
 * failure after CreateMultipartUpload aborts the upload before done(). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "svc/s3-copy.h"
#include "svc/s3.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "util/xml.h"

enum s3c_kind {
	S3C_COPY,
	S3C_REMOVE_MARKER,
	S3C_ADD_MARKER
};

enum s3c_phase {
	PH_HEAD,		/* HeadObject of the source / the marker */
	PH_VERSIONING,		/* GetBucketVersioning (add marker) */
	PH_COPY,		/* CopyObject */
	PH_CREATE,		/* CreateMultipartUpload */
	PH_PART,		/* UploadPartCopy */
	PH_COMPLETE,		/* CompleteMultipartUpload */
	PH_ABORT,		/* AbortMultipartUpload */
	PH_DELETE		/* DeleteObject */
};

struct s3c_part {
	long long		 first, last;	/* byte range, inclusive */
	char			*etag;
	struct aws_pending	*pending;
};

struct s3c_req {
	struct s3_copy_op	*op;
	enum s3c_phase		 phase;
	int			 part;		/* PH_PART: index */
};

struct s3_copy_op {
	struct aws_client	*cl;
	enum s3c_kind		 kind;
	char			*bucket, *key, *vid, *target;
	long long		 threshold, part_req;

	s3_copy_progress_fn	 progress;
	s3_copy_done_fn		 copy_done;
	s3_delete_done_fn	 delete_done;
	void			*data;

	struct aws_pending	*pending;	/* the one request in flight (not parts) */
	int			 inflight;	/* requests whose callback is due */
	int			 hold;		/* > 0: on the stack, do not free */
	bool			 finished;	/* done() called */
	struct sv_err		 err;		/* first error */

	/* From the HeadObject of the source. */
	long long		 size;
	struct aws_kvlist	 create_headers;	/* metadata for the upload */
	char			*storage_class;	/* to send, or NULL */
	bool			 has_tags;

	/* Multipart. */
	char			*upload_id;
	struct s3c_part		*parts;
	int			 nparts, next_part, parts_done;
	long long		 copied;
	bool			 aborting;

	/* Result. */
	char			*new_vid, *etag, *request_id;
	bool			 multipart, delete_marker;
};

static void	s3c_response(void *, struct aws_response *);
static void	s3c_send_parts(struct s3_copy_op *);

/* ---- pure helpers ---- */

long
s3_copy_timeout_extra_ms(long long bytes)
{
	if (bytes <= 0)
		return 0;
	return (long)(bytes / S3_COPY_SLOWEST_BPS) * 1000 + 1000;
}

long long
s3_copy_part_size(long long size, long long requested)
{
	long long	part = requested > 0 ? requested : S3_COPY_PART_DEFAULT;
	const long long	mib = 1LL << 20;

	if (size < 0)
		return -1;
	if (part < S3_COPY_PART_MIN)
		part = S3_COPY_PART_MIN;
	if (part > S3_COPY_PART_MAX)
		part = S3_COPY_PART_MAX;
	if (size > part * S3_COPY_MAX_PARTS) {
		/* The smallest whole number of MiB that fits 10,000 parts. */
		part = (size + S3_COPY_MAX_PARTS - 1) / S3_COPY_MAX_PARTS;
		part = (part + mib - 1) / mib * mib;
		if (part > S3_COPY_PART_MAX)
			return -1;
	}
	return part;
}

char *
s3_copy_source(const char *bucket, const char *key, const char *version_id)
{
	struct buf	b;
	char		*s;

	buf_init(&b, BUF_MAX_SMALL);
	if (str_uri_encode(&b, bucket, strlen(bucket), false) != SV_OK ||
	    buf_addc(&b, '/') != SV_OK ||
	    str_uri_encode(&b, key, strlen(key), true) != SV_OK ||
	    (version_id != NULL && (buf_adds(&b, "?versionId=") != SV_OK ||
	    str_uri_encode(&b, version_id, strlen(version_id), false) != SV_OK))) {
		buf_free(&b);
		return NULL;
	}
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

char *
s3_copy_complete_xml(const char *const *etags, int n)
{
	struct buf	b;
	char		*s;

	buf_init(&b, BUF_MAX_REQUEST_BODY);
	buf_adds(&b, "<CompleteMultipartUpload "
	    "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (int i = 0; i < n; i++) {
		buf_addf(&b, "<Part><PartNumber>%d</PartNumber><ETag>", i + 1);
		for (const char *p = etags[i]; *p != '\0'; p++) {
			if (*p == '"')
				buf_adds(&b, "&quot;");
			else if (*p == '&')
				buf_adds(&b, "&amp;");
			else if (*p == '<')
				buf_adds(&b, "&lt;");
			else
				buf_addc(&b, *p);
		}
		buf_adds(&b, "</ETag></Part>");
	}
	buf_adds(&b, "</CompleteMultipartUpload>");
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

/* ---- the op ---- */

static struct s3_copy_op *
s3c_new(struct aws_client *cl, enum s3c_kind kind, const char *bucket,
    const char *key, const char *vid, void *data)
{
	struct s3_copy_op	*op = xcalloc(1, sizeof *op);

	op->cl = cl;
	op->kind = kind;
	op->bucket = xstrdup(bucket);
	op->key = xstrdup(key);
	op->vid = vid != NULL ? xstrdup(vid) : NULL;
	op->target = xasprintf("s3://%s/%s", bucket, key);
	op->data = data;
	op->size = -1;
	sv_err_init(&op->err);
	return op;
}

static void
s3c_free(struct s3_copy_op *op)
{
	free(op->bucket);
	free(op->key);
	free(op->vid);
	free(op->target);
	aws_kvlist_free(&op->create_headers);
	free(op->storage_class);
	free(op->upload_id);
	for (int i = 0; i < op->nparts; i++)
		free(op->parts[i].etag);
	free(op->parts);
	free(op->new_vid);
	free(op->etag);
	free(op->request_id);
	free(op);
}

static void
s3c_maybe_free(struct s3_copy_op *op)
{
	if (op->finished && op->inflight == 0 && op->hold == 0)
		s3c_free(op);
}

static void
s3c_finish(struct s3_copy_op *op, sv_result result)
{
	struct s3_copy_result	cr;
	struct s3_delete_result	dr;
	const struct sv_err	*e = result == SV_OK ? NULL : &op->err;

	if (op->finished)
		return;
	op->finished = true;
	if (result != SV_OK && op->err.code == SV_OK)
		sv_err_set(&op->err, result, "%s: %s", op->target,
		    sv_result_str(result));
	if (op->kind == S3C_COPY) {
		memset(&cr, 0, sizeof cr);
		cr.version_id = op->new_vid;
		cr.etag = op->etag;
		cr.size = op->size;
		cr.multipart = op->multipart;
		cr.parts = op->multipart ? op->nparts : 0;
		cr.tags_dropped = op->multipart && op->has_tags;
		cr.request_id = op->request_id;
		if (op->copy_done != NULL)
			op->copy_done(op->data, result, e, &cr);
	} else {
		memset(&dr, 0, sizeof dr);
		dr.version_id = op->new_vid;
		dr.delete_marker = op->delete_marker;
		dr.request_id = op->request_id;
		if (op->delete_done != NULL)
			op->delete_done(op->data, result, e, &dr);
	}
}

static struct aws_pending *
s3c_send(struct s3_copy_op *op, struct aws_call *call, enum s3c_phase phase, int part)
{
	struct s3c_req		*rq = xcalloc(1, sizeof *rq);
	struct aws_pending	*p;

	rq->op = op;
	rq->phase = phase;
	rq->part = part;
	call->bucket = op->bucket;
	if (phase != PH_VERSIONING)	/* a bucket call */
		call->key = op->key;
	call->target = op->target;
	op->inflight++;
	p = aws_send(op->cl, call, s3c_response, rq);
	aws_call_free(call);
	return p;
}

static void
s3c_keep_request_id(struct s3_copy_op *op, const struct aws_response *resp)
{
	if (resp->request_id != NULL) {
		free(op->request_id);
		op->request_id = xstrdup(resp->request_id);
	}
}

/* Root element and one field of a small XML answer. */
struct s3c_xml {
	const char	*want;		/* element under the root: "ETag", "UploadId" */
	char		 root[64];
	char		*value;
};

static void
s3c_xml_start(void *arg, int depth, const char *name)
{
	struct s3c_xml	*x = arg;

	if (depth == 1)
		str_lcpy(x->root, name, sizeof x->root);
}

static void
s3c_xml_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3c_xml	*x = arg;

	(void)path;
	if (depth == 2 && strcmp(name, x->want) == 0 && x->value == NULL)
		x->value = xstrndup(text, len);
}

/* Parses the answer: the root must be root, and want must be there.
 * Returns the value (allocated) or NULL with err set. */
static char *
s3c_parse(struct s3_copy_op *op, const struct aws_response *resp, const char *what,
    const char *root, const char *want)
{
	static const struct xml_handler h = { s3c_xml_start, s3c_xml_end };
	struct s3c_xml	x;
	struct sv_err	xe;

	memset(&x, 0, sizeof x);
	x.want = want;
	sv_err_init(&xe);
	if (resp->body.len == 0 || xml_parse(resp->body.ptr, resp->body.len, &h,
	    &x, &xe) != SV_OK) {
		free(x.value);
		sv_err_set(&op->err, SV_E_PARSE, "%s on %s: S3 answered %ld without "
		    "a readable <%s>%s%s; the outcome is unknown: check the key's "
		    "versions with 'salvage versions %s'", what, op->target,
		    resp->status, root, xe.msg[0] != '\0' ? ": " : "", xe.msg,
		    op->target);
		return NULL;
	}
	/* moto answers CompleteMultipartUpload with a
	 * <CompleteMultipartUploadResponse> root: accepted as the same. */
	if (str_ends(x.root, "Response") && strlen(x.root) == strlen(root) + 2 &&
	    strncmp(x.root, root, strlen(root) - strlen("Result")) == 0)
		str_lcpy(x.root, root, sizeof x.root);
	if (strcmp(x.root, root) != 0 || x.value == NULL) {
		free(x.value);
		sv_err_set(&op->err, SV_E_PARSE, "%s on %s: S3 answered %ld with "
		    "<%s> instead of <%s>%s; the outcome is unknown: check the key's "
		    "versions with 'salvage versions %s'", what, op->target,
		    resp->status, x.root, root, x.value == NULL ? " and its " : "",
		    op->target);
		return NULL;
	}
	return x.value;
}

static bool
header_true(const struct aws_response *resp, const char *name)
{
	const char	*v = http_headers_get(&resp->headers, name);

	return v != NULL && str_ieq(v, "true");
}

/* ---- copy: HEAD of the source ---- */

static bool
is_archived(const char *sc)
{
	return sc != NULL && (strcmp(sc, "GLACIER") == 0 ||
	    strcmp(sc, "DEEP_ARCHIVE") == 0);
}

/* Headers of the source carried over to a multipart upload (CopyObject
 * with directive COPY carries them itself). */
static void
s3c_keep_metadata(struct s3_copy_op *op, const struct aws_response *resp)
{
	static const char *const plain[] = {
		"Content-Type", "Content-Encoding", "Content-Disposition",
		"Content-Language", "Cache-Control", "Expires",
		"x-amz-website-redirect-location", "x-amz-server-side-encryption",
		"x-amz-server-side-encryption-aws-kms-key-id",
		"x-amz-server-side-encryption-bucket-key-enabled"
	};
	const struct http_headers *h = &resp->headers;

	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		const char *v = http_headers_get(h, plain[i]);

		if (v != NULL)
			aws_kvlist_add(&op->create_headers, plain[i], v);
	}
	for (size_t i = 0; i < h->n; i++) {
		if (strncasecmp(h->v[i].name, "x-amz-meta-", 11) == 0)
			aws_kvlist_add(&op->create_headers, h->v[i].name,
			    h->v[i].value);
	}
	if (op->storage_class != NULL)
		aws_kvlist_add(&op->create_headers, "x-amz-storage-class",
		    op->storage_class);
}

static sv_result
s3c_head_source(struct s3_copy_op *op, struct aws_response *resp)
{
	const char	*v, *sc;
	char		*end;
	long long	 n;

	if (resp->result != SV_OK) {
		if (resp->status == 405 && header_true(resp, "x-amz-delete-marker"))
			return sv_err_set(&op->err, SV_E_INVALID, "version %s of %s "
			    "is a delete marker: there is no data to copy (to remove "
			    "a delete marker, use 'salvage undelete')", op->vid,
			    op->target);
		if (resp->status == 404)
			return sv_err_set(&op->err, SV_E_NOTFOUND, "%s has no "
			    "version %s: list its versions with 'salvage versions "
			    "%s'", op->target, op->vid, op->target);
		return sv_err_set(&op->err, resp->result, "%s", resp->err.msg);
	}
	v = http_headers_get(&resp->headers, "Content-Length");
	n = v != NULL ? strtoll(v, &end, 10) : -1;
	if (v == NULL || *end != '\0' || n < 0)
		return sv_err_set(&op->err, SV_E_PARSE, "reading version %s of %s: "
		    "no Content-Length in S3's answer", op->vid, op->target);
	op->size = n;
	if (http_headers_get(&resp->headers,
	    "x-amz-server-side-encryption-customer-algorithm") != NULL)
		return sv_err_set(&op->err, SV_E_INVALID, "version %s of %s is "
		    "encrypted with a customer-provided key (SSE-C): salvage cannot "
		    "copy it", op->vid, op->target);
	sc = http_headers_get(&resp->headers, "x-amz-storage-class");
	if (is_archived(sc)) {
		v = http_headers_get(&resp->headers, "x-amz-restore");
		if (v == NULL || strstr(v, "ongoing-request=\"false\"") == NULL)
			return sv_err_set(&op->err, SV_E_INVALID, "version %s of %s "
			    "is archived in %s: restore a temporary copy first "
			    "(S3 RestoreObject), then run this again", op->vid,
			    op->target, sc);
		/* The restored copy is copied to STANDARD. */
	} else if (sc != NULL && strcmp(sc, "STANDARD") != 0)
		op->storage_class = xstrdup(sc);
	v = http_headers_get(&resp->headers, "x-amz-tagging-count");
	op->has_tags = v != NULL && strtoll(v, NULL, 10) > 0;
	s3c_keep_metadata(op, resp);
	return SV_OK;
}

static void
s3c_send_copy(struct s3_copy_op *op)
{
	struct aws_call	 call;
	char		*src = s3_copy_source(op->bucket, op->key, op->vid);

	aws_call_init(&call, OP_S3_CopyObject);
	call.method = "PUT";
	aws_kvlist_add(&call.headers, "x-amz-copy-source", src);
	aws_kvlist_add(&call.headers, "x-amz-metadata-directive", "COPY");
	if (op->storage_class != NULL)
		aws_kvlist_add(&call.headers, "x-amz-storage-class", op->storage_class);
	free(src);
	call.timeout_extra_ms = s3_copy_timeout_extra_ms(op->size);
	op->pending = s3c_send(op, &call, PH_COPY, -1);
}

static void
s3c_send_create(struct s3_copy_op *op)
{
	struct aws_call	call;

	aws_call_init(&call, OP_S3_CreateMultipartUpload);
	call.method = "POST";
	aws_kvlist_add(&call.query, "uploads", NULL);
	for (size_t i = 0; i < op->create_headers.n; i++)
		aws_kvlist_add(&call.headers, op->create_headers.v[i].name,
		    op->create_headers.v[i].value);
	op->pending = s3c_send(op, &call, PH_CREATE, -1);
}

static void
s3c_send_abort(struct s3_copy_op *op)
{
	struct aws_call	call;

	op->aborting = true;
	aws_call_init(&call, OP_S3_AbortMultipartUpload);
	call.method = "DELETE";
	aws_kvlist_add(&call.query, "uploadId", op->upload_id);
	op->pending = s3c_send(op, &call, PH_ABORT, -1);
}

static void
s3c_send_complete(struct s3_copy_op *op)
{
	struct aws_call	  call;
	const char	**etags = xcalloc((size_t)op->nparts, sizeof *etags);
	char		 *body;

	for (int i = 0; i < op->nparts; i++)
		etags[i] = op->parts[i].etag;
	body = s3_copy_complete_xml(etags, op->nparts);
	free(etags);
	aws_call_init(&call, OP_S3_CompleteMultipartUpload);
	call.method = "POST";
	aws_kvlist_add(&call.query, "uploadId", op->upload_id);
	aws_kvlist_add(&call.headers, "Content-Type", "application/xml");
	call.body = body;
	call.body_len = strlen(body);
	op->pending = s3c_send(op, &call, PH_COMPLETE, -1);
	free(body);
}

static void
s3c_send_parts(struct s3_copy_op *op)
{
	char	*src = NULL;

	while (op->next_part < op->nparts && op->err.code == SV_OK &&
	    op->inflight < S3_COPY_INFLIGHT) {
		struct s3c_part	*pt = &op->parts[op->next_part];
		struct aws_call	 call;

		if (src == NULL)
			src = s3_copy_source(op->bucket, op->key, op->vid);
		aws_call_init(&call, OP_S3_UploadPartCopy);
		call.method = "PUT";
		aws_kvlist_addf(&call.query, "partNumber", "%d", op->next_part + 1);
		aws_kvlist_add(&call.query, "uploadId", op->upload_id);
		aws_kvlist_add(&call.headers, "x-amz-copy-source", src);
		aws_kvlist_addf(&call.headers, "x-amz-copy-source-range",
		    "bytes=%lld-%lld", pt->first, pt->last);
		call.timeout_extra_ms = s3_copy_timeout_extra_ms(pt->last -
		    pt->first + 1);
		op->next_part++;
		pt->pending = s3c_send(op, &call, PH_PART, op->next_part - 1);
	}
	free(src);
}

static sv_result
s3c_plan_parts(struct s3_copy_op *op)
{
	long long	part = s3_copy_part_size(op->size, op->part_req);
	long long	off = 0;

	if (part < 0)
		return sv_err_set(&op->err, SV_E_TOOLARGE, "version %s of %s is "
		    "too large to copy (%lld bytes)", op->vid, op->target, op->size);
	op->nparts = (int)((op->size + part - 1) / part);
	op->parts = xcalloc((size_t)op->nparts, sizeof *op->parts);
	for (int i = 0; i < op->nparts; i++) {
		op->parts[i].first = off;
		op->parts[i].last = off + part < op->size ? off + part - 1 : op->size - 1;
		off += part;
	}
	return SV_OK;
}

/* A failure during a multipart copy: stop sending parts; once the parts
 * in flight are back, abort the upload, then finish with the error. */
static void
s3c_multipart_failed(struct s3_copy_op *op)
{
	if (op->inflight > 0 || op->aborting)
		return;
	if (op->upload_id != NULL)
		s3c_send_abort(op);
	else
		s3c_finish(op, op->err.code);
}

/* ---- responses ---- */

static void
s3c_on_copy(struct s3_copy_op *op, enum s3c_phase phase, int part,
    struct aws_response *resp)
{
	const char	*v;
	char		*val;

	switch (phase) {
	case PH_HEAD:
		if (s3c_head_source(op, resp) != SV_OK) {
			s3c_finish(op, op->err.code);
			return;
		}
		if (op->size > op->threshold) {
			if (s3c_plan_parts(op) != SV_OK) {
				s3c_finish(op, op->err.code);
				return;
			}
			op->multipart = true;
			sv_debug("%s: copying %lld bytes in %d parts", op->target,
			    op->size, op->nparts);
			s3c_send_create(op);
		} else
			s3c_send_copy(op);
		return;
	case PH_COPY:
		if (resp->result != SV_OK) {
			sv_err_set(&op->err, resp->result, "%s", resp->err.msg);
			s3c_finish(op, resp->result);
			return;
		}
		if ((val = s3c_parse(op, resp, "CopyObject", "CopyObjectResult",
		    "ETag")) == NULL) {
			s3c_finish(op, op->err.code);
			return;
		}
		op->etag = val;
		if ((v = http_headers_get(&resp->headers, "x-amz-version-id")) != NULL)
			op->new_vid = xstrdup(v);
		if (op->progress != NULL)
			op->progress(op->data, op->size, op->size);
		s3c_finish(op, SV_OK);
		return;
	case PH_CREATE:
		if (resp->result != SV_OK) {
			sv_err_set(&op->err, resp->result, "%s", resp->err.msg);
			s3c_finish(op, resp->result);
			return;
		}
		if ((val = s3c_parse(op, resp, "CreateMultipartUpload",
		    "InitiateMultipartUploadResult", "UploadId")) == NULL) {
			s3c_finish(op, op->err.code);
			return;
		}
		op->upload_id = val;
		s3c_send_parts(op);
		return;
	case PH_PART:
		op->parts[part].pending = NULL;
		if (op->err.code != SV_OK) {
			s3c_multipart_failed(op);
			return;
		}
		if (resp->result != SV_OK) {
			sv_err_set(&op->err, resp->result, "copying part %d of %d "
			    "(bytes %lld-%lld): %s", part + 1, op->nparts,
			    op->parts[part].first, op->parts[part].last, resp->err.msg);
			s3c_multipart_failed(op);
			return;
		}
		if ((val = s3c_parse(op, resp, "UploadPartCopy", "CopyPartResult",
		    "ETag")) == NULL) {
			s3c_multipart_failed(op);
			return;
		}
		op->parts[part].etag = val;
		op->parts_done++;
		op->copied += op->parts[part].last - op->parts[part].first + 1;
		if (op->progress != NULL)
			op->progress(op->data, op->copied, op->size);
		if (op->parts_done == op->nparts)
			s3c_send_complete(op);
		else
			s3c_send_parts(op);
		return;
	case PH_COMPLETE:
		if (resp->result != SV_OK) {
			sv_err_set(&op->err, resp->result, "%s", resp->err.msg);
			s3c_multipart_failed(op);
			return;
		}
		if ((val = s3c_parse(op, resp, "CompleteMultipartUpload",
		    "CompleteMultipartUploadResult", "ETag")) == NULL) {
			/* A 200 to Complete: the object may well exist; an
			 * abort would not undo it. */
			s3c_finish(op, op->err.code);
			return;
		}
		op->etag = val;
		free(op->upload_id);
		op->upload_id = NULL;
		if ((v = http_headers_get(&resp->headers, "x-amz-version-id")) != NULL)
			op->new_vid = xstrdup(v);
		s3c_finish(op, SV_OK);
		return;
	case PH_ABORT:
		if (resp->result != SV_OK)
			sv_err_prefix(&op->err, "the multipart upload %s of %s could "
			    "not be aborted (%s; abort it with 'aws s3api "
			    "abort-multipart-upload' or a lifecycle rule)", op->upload_id,
			    op->target, resp->err.msg);
		s3c_finish(op, op->err.code != SV_OK ? op->err.code : SV_E_AWS);
		return;
	default:
		break;
	}
	s3c_finish(op, sv_err_set(&op->err, SV_E_INVALID, "%s: unexpected phase",
	    op->target));
}

static void
s3c_send_delete(struct s3_copy_op *op)
{
	struct aws_call	call;

	aws_call_init(&call, OP_S3_DeleteObject);
	call.method = "DELETE";
	if (op->kind == S3C_REMOVE_MARKER)
		aws_kvlist_add(&call.query, "versionId", op->vid);
	op->pending = s3c_send(op, &call, PH_DELETE, -1);
}

struct s3c_versioning {
	enum s3_versioning_status	status;
	bool				seen;
};

static bool
s3c_versioning_cb(void *arg, const struct s3_versioning *v)
{
	struct s3c_versioning	*sv = arg;

	sv->status = v->status;
	sv->seen = true;
	return true;
}

static void
s3c_on_delete(struct s3_copy_op *op, enum s3c_phase phase, struct aws_response *resp)
{
	struct s3c_versioning	 ver;
	struct sv_err		 e;
	const char		*v;

	switch (phase) {
	case PH_HEAD:
		/* The version must be a delete marker: 405 with
		 * x-amz-delete-marker: true. */
		if (resp->status == 405 && header_true(resp, "x-amz-delete-marker")) {
			v = http_headers_get(&resp->headers, "x-amz-version-id");
			if (v != NULL && strcmp(v, op->vid) != 0) {
				s3c_finish(op, sv_err_set(&op->err, SV_E_INVALID,
				    "%s: S3 answered for version %s when asked for "
				    "%s; nothing was deleted", op->target, v, op->vid));
				return;
			}
			s3c_send_delete(op);
			return;
		}
		if (resp->result == SV_OK) {
			s3c_finish(op, sv_err_set(&op->err, SV_E_INVALID, "refusing "
			    "to delete a data version: version %s of %s is not a "
			    "delete marker (salvage only ever deletes delete markers)",
			    op->vid, op->target));
			return;
		}
		if (resp->status == 404)
			sv_err_set(&op->err, SV_E_NOTFOUND, "%s has no version %s; "
			    "nothing was deleted", op->target, op->vid);
		else
			sv_err_set(&op->err, resp->result, "%s; nothing was deleted",
			    resp->err.msg);
		s3c_finish(op, op->err.code);
		return;
	case PH_VERSIONING:
		if (resp->result != SV_OK) {
			sv_err_set(&op->err, resp->result, "%s; nothing was deleted",
			    resp->err.msg);
			s3c_finish(op, resp->result);
			return;
		}
		memset(&ver, 0, sizeof ver);
		sv_err_init(&e);
		if (s3_parse_versioning(resp->body.ptr != NULL ? resp->body.ptr : "",
		    resp->body.len, s3c_versioning_cb, &ver, &e) != SV_OK || !ver.seen) {
			s3c_finish(op, sv_err_set(&op->err, SV_E_PARSE, "reading the "
			    "versioning of bucket %s: %s; nothing was deleted",
			    op->bucket, e.msg[0] != '\0' ? e.msg : "no answer"));
			return;
		}
		if (ver.status != S3_VERSIONING_ENABLED) {
			s3c_finish(op, sv_err_set(&op->err, SV_E_INVALID, "refusing to "
			    "add a delete marker to %s: versioning of bucket %s is %s, "
			    "so DeleteObject could remove data (only Enabled keeps every "
			    "version)", op->target, op->bucket,
			    s3_versioning_status_str(ver.status)));
			return;
		}
		s3c_send_delete(op);
		return;
	case PH_DELETE:
		if (resp->result != SV_OK) {
			sv_err_set(&op->err, resp->result, "%s", resp->err.msg);
			s3c_finish(op, resp->result);
			return;
		}
		/* S3 says x-amz-delete-marker: true for a marker removed or
		 * added; some emulators leave it out when removing one (the
		 * HeadObject before has shown it was a marker). Saying false
		 * is an error either way. */
		v = http_headers_get(&resp->headers, "x-amz-delete-marker");
		op->delete_marker = v != NULL ? str_ieq(v, "true") :
		    op->kind == S3C_REMOVE_MARKER;
		if ((v = http_headers_get(&resp->headers, "x-amz-version-id")) != NULL)
			op->new_vid = xstrdup(v);
		else if (op->vid != NULL)
			op->new_vid = xstrdup(op->vid);
		if (!op->delete_marker) {
			s3c_finish(op, sv_err_set(&op->err, SV_E_AWS, "%s: DeleteObject "
			    "succeeded but S3 did not say it concerned a delete marker "
			    "(x-amz-delete-marker is not true); check the key's versions "
			    "with 'salvage versions %s'", op->target, op->target));
			return;
		}
		s3c_finish(op, SV_OK);
		return;
	default:
		break;
	}
	s3c_finish(op, sv_err_set(&op->err, SV_E_INVALID, "%s: unexpected phase",
	    op->target));
}

static void
s3c_response(void *arg, struct aws_response *resp)
{
	struct s3c_req		*rq = arg;
	struct s3_copy_op	*op = rq->op;
	enum s3c_phase		 phase = rq->phase;
	int			 part = rq->part;

	free(rq);
	op->inflight--;
	if (phase != PH_PART)
		op->pending = NULL;
	else
		op->parts[part].pending = NULL;
	if (op->finished) {
		s3c_maybe_free(op);
		return;
	}
	op->hold++;
	s3c_keep_request_id(op, resp);
	if (op->kind == S3C_COPY)
		s3c_on_copy(op, phase, part, resp);
	else
		s3c_on_delete(op, phase, resp);
	op->hold--;
	s3c_maybe_free(op);
}

/* ---- starting ---- */

static struct s3_copy_op *
s3c_invalid(struct s3_copy_op *op, const char *what)
{
	op->hold++;
	s3c_finish(op, sv_err_set(&op->err, SV_E_INVALID, "%s: %s", op->target, what));
	op->hold--;
	s3c_maybe_free(op);
	return NULL;
}

static void
s3c_send_head(struct s3_copy_op *op)
{
	struct aws_call	call;

	aws_call_init(&call, OP_S3_HeadObject);
	call.method = "HEAD";
	aws_kvlist_add(&call.query, "versionId", op->vid);
	op->pending = s3c_send(op, &call, PH_HEAD, -1);
}

struct s3_copy_op *
s3_copy_version(struct aws_client *cl, const struct s3_copy_req *req,
    s3_copy_progress_fn progress, s3_copy_done_fn done, void *data)
{
	struct s3_copy_op	*op;

	op = s3c_new(cl, S3C_COPY, req->bucket != NULL ? req->bucket : "",
	    req->key != NULL ? req->key : "", req->version_id, data);
	op->progress = progress;
	op->copy_done = done;
	op->threshold = req->multipart_threshold > 0 &&
	    req->multipart_threshold < S3_COPY_SINGLE_MAX ?
	    req->multipart_threshold : S3_COPY_SINGLE_MAX;
	op->part_req = req->part_size;
	if (req->bucket == NULL || *req->bucket == '\0' || req->key == NULL ||
	    *req->key == '\0')
		return s3c_invalid(op, "no bucket or key given");
	if (req->version_id == NULL || *req->version_id == '\0')
		return s3c_invalid(op, "no version id given");
	s3c_send_head(op);
	return op;
}

struct s3_copy_op *
s3_delete_marker_remove(struct aws_client *cl, const char *bucket, const char *key,
    const char *marker_version_id, s3_delete_done_fn done, void *data)
{
	struct s3_copy_op	*op;

	op = s3c_new(cl, S3C_REMOVE_MARKER, bucket != NULL ? bucket : "",
	    key != NULL ? key : "", marker_version_id, data);
	op->delete_done = done;
	if (bucket == NULL || *bucket == '\0' || key == NULL || *key == '\0')
		return s3c_invalid(op, "no bucket or key given");
	if (marker_version_id == NULL || *marker_version_id == '\0')
		return s3c_invalid(op, "no delete marker version id given: refusing "
		    "to delete without one");
	s3c_send_head(op);
	return op;
}

struct s3_copy_op *
s3_delete_marker_add(struct aws_client *cl, const char *bucket, const char *key,
    s3_delete_done_fn done, void *data)
{
	struct s3_copy_op	*op;
	struct aws_call		 call;

	op = s3c_new(cl, S3C_ADD_MARKER, bucket != NULL ? bucket : "",
	    key != NULL ? key : "", NULL, data);
	op->delete_done = done;
	if (bucket == NULL || *bucket == '\0' || key == NULL || *key == '\0')
		return s3c_invalid(op, "no bucket or key given");
	aws_call_init(&call, OP_S3_GetBucketVersioning);
	aws_kvlist_add(&call.query, "versioning", NULL);
	op->pending = s3c_send(op, &call, PH_VERSIONING, -1);
	return op;
}

static void
s3c_abort_detached_done(void *arg, struct aws_response *resp)
{
	(void)arg;
	if (resp->result != SV_OK)
		sv_warn("%s", resp->err.msg);
}

void
s3_copy_op_cancel(struct s3_copy_op *op)
{
	struct aws_call	call;

	if (op == NULL || op->finished)
		return;
	op->hold++;
	sv_err_set(&op->err, SV_E_CANCELLED, "%s: cancelled", op->target);
	s3c_finish(op, SV_E_CANCELLED);
	/* An abort under way is left to finish. */
	if (op->pending != NULL && !op->aborting)
		aws_cancel(op->pending);
	for (int i = 0; i < op->nparts; i++)
		if (op->parts[i].pending != NULL)
			aws_cancel(op->parts[i].pending);
	if (op->upload_id != NULL && !op->aborting) {
		/* Nobody waits for it: best effort. */
		aws_call_init(&call, OP_S3_AbortMultipartUpload);
		call.method = "DELETE";
		call.bucket = op->bucket;
		call.key = op->key;
		call.target = op->target;
		aws_kvlist_add(&call.query, "uploadId", op->upload_id);
		aws_send(op->cl, &call, s3c_abort_detached_done, NULL);
		aws_call_free(&call);
	}
	op->hold--;
	s3c_maybe_free(op);
}

/* ---- synchronous ---- */

struct s3c_sync {
	bool			 done;
	sv_result		 result;
	struct sv_err		*err;
	struct s3_copy_out	*out;
};

static void
s3c_sync_copy_done(void *arg, sv_result result, const struct sv_err *err,
    const struct s3_copy_result *r)
{
	struct s3c_sync	*s = arg;

	s->done = true;
	s->result = result;
	if (result != SV_OK)
		sv_err_set(s->err, result, "%s", err->msg);
	if (s->out != NULL) {
		str_lcpy(s->out->version_id, r->version_id != NULL ? r->version_id : "",
		    sizeof s->out->version_id);
		str_lcpy(s->out->etag, r->etag != NULL ? r->etag : "",
		    sizeof s->out->etag);
		str_lcpy(s->out->request_id, r->request_id != NULL ? r->request_id : "",
		    sizeof s->out->request_id);
		s->out->size = r->size;
		s->out->multipart = r->multipart;
		s->out->parts = r->parts;
		s->out->tags_dropped = r->tags_dropped;
	}
}

static void
s3c_sync_delete_done(void *arg, sv_result result, const struct sv_err *err,
    const struct s3_delete_result *r)
{
	struct s3c_sync	*s = arg;

	s->done = true;
	s->result = result;
	if (result != SV_OK)
		sv_err_set(s->err, result, "%s", err->msg);
	if (s->out != NULL) {
		str_lcpy(s->out->version_id, r->version_id != NULL ? r->version_id : "",
		    sizeof s->out->version_id);
		str_lcpy(s->out->request_id, r->request_id != NULL ? r->request_id : "",
		    sizeof s->out->request_id);
		s->out->delete_marker = r->delete_marker;
	}
}

static sv_result
s3c_sync_wait(struct aws_client *cl, struct s3_copy_op *op, struct s3c_sync *s)
{
	if (op != NULL && !s->done)
		http_engine_run_until(aws_client_engine(cl), &s->done);
	if (!s->done) {
		s3_copy_op_cancel(op);
		s->result = sv_err_set(s->err, SV_E_NET, "the request engine "
		    "stopped before the call completed");
	}
	return s->result;
}

static void
s3c_sync_init(struct s3c_sync *s, struct s3_copy_out *out, struct sv_err *err)
{
	memset(s, 0, sizeof *s);
	s->err = err;
	s->out = out;
	if (out != NULL) {
		memset(out, 0, sizeof *out);
		out->size = -1;
	}
}

sv_result
s3_copy_version_sync(struct aws_client *cl, const struct s3_copy_req *req,
    struct s3_copy_out *out, struct sv_err *err)
{
	struct s3c_sync	s;

	s3c_sync_init(&s, out, err);
	return s3c_sync_wait(cl, s3_copy_version(cl, req, NULL,
	    s3c_sync_copy_done, &s), &s);
}

sv_result
s3_delete_marker_remove_sync(struct aws_client *cl, const char *bucket,
    const char *key, const char *marker_version_id, struct s3_copy_out *out,
    struct sv_err *err)
{
	struct s3c_sync	s;

	s3c_sync_init(&s, out, err);
	return s3c_sync_wait(cl, s3_delete_marker_remove(cl, bucket, key,
	    marker_version_id, s3c_sync_delete_done, &s), &s);
}

sv_result
s3_delete_marker_add_sync(struct aws_client *cl, const char *bucket,
    const char *key, struct s3_copy_out *out, struct sv_err *err)
{
	struct s3c_sync	s;

	s3c_sync_init(&s, out, err);
	return s3c_sync_wait(cl, s3_delete_marker_add(cl, bucket, key,
	    s3c_sync_delete_done, &s), &s);
}
