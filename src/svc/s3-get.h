/* s3-get.h - reading an object's content in ranged GETs (GetObject with
 * a Range header, S3_GET_PART bytes at a time, in order), so an object of
 * any size passes through a bounded buffer, and hashing it with SHA-256
 * on the way (content verification). Read-only.
 *
 * Asynchronous, as every svc call (svc.h). When no version is named, the
 * ETag the caller saw (HeadObject) is sent as If-Match on every range:
 * an object overwritten while it is read fails with SV_E_MISMATCH
 * instead of mixing two versions. */
#ifndef SALVAGE_SVC_S3_GET_H
#define SALVAGE_SVC_S3_GET_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/hash.h"
#include "svc/svc.h"

#define S3_GET_PART	(8LL * 1024 * 1024)	/* bytes per ranged GET */

struct s3_get_req {
	const char	*bucket;	/* required */
	const char	*key;		/* required */
	const char	*version_id;	/* NULL: the current version */
	long long	 size;		/* the object's size (HeadObject), required, >= 0 */
	const char	*if_match;	/* the ETag it must still have (quotes kept), or NULL */
	long long	 part_size;	/* bytes per GET; 0: S3_GET_PART */
};

struct s3_get_chunk {
	const void	*data;		/* valid during the callback */
	size_t		 len;
	long long	 offset;	/* of data in the object */
	long long	 size;		/* the object's */
};

typedef bool (*s3_get_chunk_fn)(void *, const struct s3_get_chunk *);

/* Delivers the content chunk by chunk, in order. */
struct svc_op	*s3_get_object(struct aws_client *, const struct s3_get_req *,
		    s3_get_chunk_fn, svc_done_fn, void *);

struct s3_hash {
	unsigned char	 sha256[SV_SHA256_LEN];
	char		 hex[SV_SHA256_HEX_LEN];
	char		 base64[SV_SHA256_B64_LEN];	/* as x-amz-checksum-sha256 */
	long long	 bytes;
	int		 requests;			/* GETs made */
};

/* Progress after each range: bytes hashed of size. May be NULL. */
typedef void (*s3_hash_progress_fn)(void *, long long done, long long size);
/* Called once, just before done() with SV_OK. */
typedef void (*s3_hash_fn)(void *, const struct s3_hash *);

struct svc_op	*s3_hash_object(struct aws_client *, const struct s3_get_req *,
		    s3_hash_progress_fn, s3_hash_fn, svc_done_fn, void *);

/* Parses "bytes FIRST-LAST/SIZE" (SIZE may be '*'; then *size is -1). */
bool		 s3_parse_content_range(const char *, long long *first,
		    long long *last, long long *size);

#endif
