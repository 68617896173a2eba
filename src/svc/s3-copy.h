/* s3-copy.h - the S3 calls that restore objects, and nothing that can
 * destroy data:
 *
 *  - s3_copy_version: an old version becomes the current one by copying
 *    it onto its own key (CopyObject, x-amz-copy-source
 *    "bucket/key?versionId=ID", metadata directive COPY); above a size
 *    threshold a multipart upload of UploadPartCopy ranges (parts copied
 *    a few at a time, the upload aborted when anything fails). History is
 *    kept: S3 makes a new version.
 *  - s3_delete_marker_remove: DeleteObject with the version id of a
 *    DELETE MARKER. The id is checked first (HeadObject with that version
 *    id must answer 405 with x-amz-delete-marker: true); a real version's
 *    id is refused before anything is sent (SV_E_INVALID).
 *  - s3_delete_marker_add: a plain DeleteObject (no version id), which on
 *    a bucket with versioning Enabled only adds a delete marker. Refused
 *    unless GetBucketVersioning says Enabled (on a Suspended bucket it
 *    would remove the key's null version).
 *
 * Each call is asynchronous (driven by the client's HTTP engine): done()
 * is called exactly once, never from inside the starting call except
 * for a request that is invalid before anything is sent. Every mutating
 * request goes through the client's gate (--operate and audit intent).
 * The _sync wrappers run the engine until done, for the CLI and tests. */
#ifndef SALVAGE_SVC_S3_COPY_H
#define SALVAGE_SVC_S3_COPY_H

#include <stdbool.h>

#include "aws/client.h"
#include "util/err.h"

#define S3_COPY_SINGLE_MAX	(5LL << 30)	/* CopyObject copies at most 5 GiB */
#define S3_COPY_PART_DEFAULT	(512LL << 20)
#define S3_COPY_PART_MIN	(5LL << 20)
#define S3_COPY_PART_MAX	(5LL << 30)
#define S3_COPY_MAX_PARTS	10000
/* A server-side copy is given time on top of the usual per-attempt
 * timeout as if it ran at this rate (S3 usually copies far faster). */
#define S3_COPY_SLOWEST_BPS	(10LL << 20)
#define S3_COPY_INFLIGHT	4	/* UploadPartCopy requests at once */

struct s3_copy_req {
	const char	*bucket;	/* required */
	const char	*key;		/* required: source and destination */
	const char	*version_id;	/* required: the version to make current */
	/* Objects larger than this are copied by multipart upload;
	 * 0: S3_COPY_SINGLE_MAX (also the largest value accepted). */
	long long	 multipart_threshold;
	long long	 part_size;	/* 0: S3_COPY_PART_DEFAULT (adjusted, see below) */
};

/* What came back; strings valid during the callback only. */
struct s3_copy_result {
	const char	*version_id;	/* the new current version (x-amz-version-id) */
	const char	*etag;		/* of the new version, quotes kept */
	long long	 size;		/* bytes copied (the source's size) */
	bool		 multipart;
	int		 parts;		/* 0 for a single CopyObject */
	/* A multipart copy does not carry the source's tags over. */
	bool		 tags_dropped;
	const char	*request_id;	/* of the last request */
};

/* Progress of a multipart copy: bytes copied so far, of total. */
typedef void (*s3_copy_progress_fn)(void *, long long copied, long long total);
typedef void (*s3_copy_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct s3_copy_result *);

struct s3_copy_op;

struct s3_copy_op *s3_copy_version(struct aws_client *, const struct s3_copy_req *,
		    s3_copy_progress_fn, s3_copy_done_fn, void *);

/* Result of a DeleteObject (either kind). */
struct s3_delete_result {
	/* Remove: the marker's id that was removed; add: the new marker's. */
	const char	*version_id;
	bool		 delete_marker;	/* x-amz-delete-marker: true */
	const char	*request_id;
};

typedef void (*s3_delete_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct s3_delete_result *);

struct s3_copy_op *s3_delete_marker_remove(struct aws_client *, const char *bucket,
		    const char *key, const char *marker_version_id,
		    s3_delete_done_fn, void *);
struct s3_copy_op *s3_delete_marker_add(struct aws_client *, const char *bucket,
		    const char *key, s3_delete_done_fn, void *);

/* Cancels: requests in flight are cancelled, an open multipart upload is
 * aborted (in the background), and done() is called with SV_E_CANCELLED
 * before this returns. The op is invalid after done(). */
void		 s3_copy_op_cancel(struct s3_copy_op *);

/* Synchronous wrappers; the out strings are copied into the buffers
 * (NULL to ignore). */
struct s3_copy_out {
	char		 version_id[1024];
	char		 etag[128];
	long long	 size;
	bool		 multipart;
	int		 parts;
	bool		 tags_dropped;
	bool		 delete_marker;
	char		 request_id[128];
};

sv_result	 s3_copy_version_sync(struct aws_client *, const struct s3_copy_req *,
		    struct s3_copy_out *, struct sv_err *);
sv_result	 s3_delete_marker_remove_sync(struct aws_client *, const char *bucket,
		    const char *key, const char *marker_version_id,
		    struct s3_copy_out *, struct sv_err *);
sv_result	 s3_delete_marker_add_sync(struct aws_client *, const char *bucket,
		    const char *key, struct s3_copy_out *, struct sv_err *);

/* ---- pure helpers (unit tests) ---- */

/* The part size for copying size bytes: requested (0: default) clamped
 * to 5 MiB..5 GiB, then grown (in whole MiB) until there are at most
 * 10,000 parts. Returns -1 if size cannot be copied (over 5 TiB-ish:
 * more than 10,000 parts of 5 GiB). */
long long	 s3_copy_part_size(long long size, long long requested);
/* Extra per-attempt time for copying bytes server-side (CopyObject or
 * one UploadPartCopy): 5 GiB gets about 8.5 minutes more. */
long		 s3_copy_timeout_extra_ms(long long bytes);
/* x-amz-copy-source value: bucket/key encoded once ('/' kept) and
 * "?versionId=ID". Allocated. */
char		*s3_copy_source(const char *bucket, const char *key,
		    const char *version_id);
/* CompleteMultipartUpload body for n part ETags (quotes kept). Allocated. */
char		*s3_copy_complete_xml(const char *const *etags, int n);

#endif
