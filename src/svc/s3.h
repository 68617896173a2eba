/* s3.h - the read operations of Amazon S3: buckets, their versioning,
 * location and Object Lock settings, object listings, object version
 * listings (delete markers included) and HeadObject.
 *
 * Every call is asynchronous (see svc.h). Results arrive through a
 * callback that receives a const struct whose strings stay valid ONLY
 * during the callback: copy what you keep. The callback returns false to
 * stop early (done() is then called with SV_OK). Absent values: strings
 * NULL, times SV_TIME_NONE, sizes and counts -1.
 *
 * Request structs: zero-initialize them; NULL / 0 fields mean "not set".
 * Strings in requests are raw (unencoded) and are copied by the call.
 *
 * A call that is invalid before anything is sent (no bucket, ...) calls
 * done() with SV_E_INVALID from inside the call and returns NULL. */
#ifndef SALVAGE_SVC_S3_H
#define SALVAGE_SVC_S3_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"
#include "util/time.h"

/* ---- ListBuckets (GET /, paginated by continuation-token) ---- */

struct s3_list_buckets_req {
	const char	*prefix;	/* only buckets whose name starts with this */
	const char	*bucket_region;	/* only buckets in this region */
};

struct s3_bucket {
	const char	*name;
	sv_time		 created;	/* CreationDate */
	const char	*region;	/* BucketRegion, NULL if not sent */
};

struct s3_buckets_page {
	const struct s3_bucket	*buckets;
	size_t			 n;
	const char		*owner_id;		/* Owner/ID or NULL */
	const char		*continuation_token;	/* next page, NULL at the end */
};

typedef bool (*s3_buckets_page_fn)(void *, const struct s3_buckets_page *);

/* req may be NULL (all buckets). */
struct svc_op	*s3_list_buckets(struct aws_client *, const struct s3_list_buckets_req *,
		    s3_buckets_page_fn, svc_done_fn, void *);

/* ---- GetBucketVersioning (GET /?versioning) ---- */

enum s3_versioning_status {
	S3_VERSIONING_NEVER,		/* Status absent: never enabled */
	S3_VERSIONING_ENABLED,
	S3_VERSIONING_SUSPENDED
};

struct s3_versioning {
	enum s3_versioning_status status;
	/* MFADelete: true only when "Enabled" (absent or Disabled: false). */
	bool			  mfa_delete;
};

typedef bool (*s3_versioning_fn)(void *, const struct s3_versioning *);

struct svc_op	*s3_get_bucket_versioning(struct aws_client *, const char *bucket,
		    s3_versioning_fn, svc_done_fn, void *);
const char	*s3_versioning_status_str(enum s3_versioning_status);	/* "Enabled", "Suspended", "Never enabled" */

/* ---- GetBucketLocation (GET /?location) ---- */

struct s3_location {
	/* The bucket's region, normalized: empty LocationConstraint is
	 * "us-east-1", "EU" is "eu-west-1". */
	const char	*region;
};

typedef bool (*s3_location_fn)(void *, const struct s3_location *);

struct svc_op	*s3_get_bucket_location(struct aws_client *, const char *bucket,
		    s3_location_fn, svc_done_fn, void *);

/* ---- GetObjectLockConfiguration (GET /?object-lock) ---- */

struct s3_object_lock {
	/* false when ObjectLockEnabled is absent or the bucket has no
	 * configuration (ObjectLockConfigurationNotFoundError): that is a
	 * result, not an error. */
	bool		 enabled;
	/* The default retention rule, if any. */
	const char	*mode;		/* "GOVERNANCE" | "COMPLIANCE" | NULL */
	long long	 days;		/* -1 if absent */
	long long	 years;		/* -1 if absent */
};

typedef bool (*s3_object_lock_fn)(void *, const struct s3_object_lock *);

struct svc_op	*s3_get_object_lock_configuration(struct aws_client *, const char *bucket,
		    s3_object_lock_fn, svc_done_fn, void *);

/* ---- ListObjectsV2 (GET /?list-type=2, follows NextContinuationToken) ---- */

struct s3_list_objects_req {
	const char	*bucket;	/* required */
	const char	*prefix;
	const char	*delimiter;
	long long	 max_keys;	/* per page, 1..1000; 0: 1000 */
	const char	*start_after;
};

struct s3_object {
	const char	*key;
	long long	 size;
	const char	*etag;		/* as S3 sends it, quotes included */
	sv_time		 last_modified;
	const char	*storage_class;
};

struct s3_objects_page {
	const struct s3_object	*objects;
	size_t			 n;
	const char *const	*prefixes;	/* CommonPrefixes/Prefix */
	size_t			 n_prefixes;
	bool			 truncated;
	const char		*next_token;	/* NextContinuationToken or NULL */
};

typedef bool (*s3_objects_page_fn)(void *, const struct s3_objects_page *);

struct svc_op	*s3_list_objects_v2(struct aws_client *, const struct s3_list_objects_req *,
		    s3_objects_page_fn, svc_done_fn, void *);

/* ---- ListObjectVersions (GET /?versions) ----
 * Sends encoding-type=url and decodes keys, prefixes and markers only
 * when the response echoes <EncodingType>url</EncodingType> (moto does
 * not: its keys come back raw). Pages are followed by NextKeyMarker +
 * NextVersionIdMarker while IsTruncated. */

struct s3_list_versions_req {
	const char	*bucket;		/* required */
	const char	*prefix;
	const char	*delimiter;
	long long	 max_keys;		/* per page, 1..1000; 0: 1000 */
	const char	*key_marker;		/* start after this key ... */
	const char	*version_id_marker;	/* ... and this version of it */
};

struct s3_version {
	const char	*key;
	const char	*version_id;	/* "null" for objects written unversioned */
	bool		 is_latest;
	bool		 delete_marker;	/* a <DeleteMarker> entry */
	sv_time		 last_modified;
	long long	 size;		/* -1 for delete markers */
	const char	*etag;		/* quotes kept ("\"abc...\""); NULL for delete markers */
	const char	*storage_class;	/* NULL for delete markers */
	const char	*owner_id;	/* Owner/ID or NULL */
};

struct s3_versions_page {
	/* Versions and delete markers in S3's document order. */
	const struct s3_version	*entries;
	size_t			 n;
	const char *const	*prefixes;	/* CommonPrefixes/Prefix */
	size_t			 n_prefixes;
	bool			 truncated;	/* IsTruncated */
	const char		*next_key_marker;	 /* NULL when absent */
	const char		*next_version_id_marker; /* NULL when absent */
	bool			 url_encoded;	/* the response had EncodingType url (decoded) */
};

typedef bool (*s3_versions_page_fn)(void *, const struct s3_versions_page *);

struct svc_op	*s3_list_object_versions(struct aws_client *, const struct s3_list_versions_req *,
		    s3_versions_page_fn, svc_done_fn, void *);

/* ---- HeadObject (HEAD /key[?versionId=]) ----
 * A delete marker is a result, not an error: when the current version is
 * a delete marker (404 with x-amz-delete-marker: true) or the version
 * asked for is one (405), the item is delivered with delete_marker true
 * (and version_id when S3 says which) and done() gets SV_OK. Any other
 * 404 is SV_E_NOTFOUND. */

struct s3_head_req {
	const char	*bucket;	/* required */
	const char	*key;		/* required */
	const char	*version_id;	/* NULL: the current version */
};

struct s3_head {
	bool		 delete_marker;
	long long	 size;			/* Content-Length, -1 if absent */
	const char	*etag;			/* quotes kept */
	sv_time		 last_modified;
	const char	*version_id;		/* x-amz-version-id or NULL */
	const char	*storage_class;		/* x-amz-storage-class; NULL means STANDARD */
	const char	*content_type;
	const char	*checksum_sha256;	/* x-amz-checksum-sha256 (base64) or NULL */
	const char	*sse;			/* x-amz-server-side-encryption or NULL */
	const char	*object_lock_mode;	/* GOVERNANCE | COMPLIANCE | NULL */
	sv_time		 object_lock_retain_until;
	bool		 object_lock_legal_hold;	/* legal hold ON */
};

typedef bool (*s3_head_fn)(void *, const struct s3_head *);

struct svc_op	*s3_head_object(struct aws_client *, const struct s3_head_req *,
		    s3_head_fn, svc_done_fn, void *);

/* ---- Parsers from memory (unit tests, fuzzers, benchmarks) ----
 * Each parses one response body and calls fn once. A body whose root is
 * <Error> is an error (SV_E_AWS, or SV_E_NOTFOUND / SV_E_DENIED by code)
 * naming the AWS code; malformed XML, an unexpected root element or a
 * truncated listing without its next marker is SV_E_PARSE. */

sv_result	 s3_parse_versions_page(const char *xml, size_t len,
		    s3_versions_page_fn, void *data, struct sv_err *);
sv_result	 s3_parse_objects_page(const char *xml, size_t len,
		    s3_objects_page_fn, void *data, struct sv_err *);
sv_result	 s3_parse_buckets_page(const char *xml, size_t len,
		    s3_buckets_page_fn, void *data, struct sv_err *);
sv_result	 s3_parse_versioning(const char *xml, size_t len,
		    s3_versioning_fn, void *data, struct sv_err *);
sv_result	 s3_parse_location(const char *xml, size_t len,
		    s3_location_fn, void *data, struct sv_err *);
sv_result	 s3_parse_object_lock(const char *xml, size_t len,
		    s3_object_lock_fn, void *data, struct sv_err *);

#endif
