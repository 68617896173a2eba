/* s3-write.h - the S3 calls of the audit log's shipping: PutObject with a
 * SHA-256 checksum and Object Lock retention headers, GetObject (to verify
 * a shipped copy) and GetObjectLockConfiguration (whether uploads must
 * carry retention). Asynchronous through aws_send, with _sync wrappers
 * that run the engine until the call is done. */
#ifndef SALVAGE_SVC_S3_WRITE_H
#define SALVAGE_SVC_S3_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "util/buf.h"
#include "util/time.h"

/* base64(SHA-256) as x-amz-checksum-sha256 wants it: 44 chars + NUL. */
#define S3W_CHECKSUM_LEN	45
void		 s3w_checksum_sha256(const void *, size_t, char out[S3W_CHECKSUM_LEN]);
/* Standard base64 with padding into out (4 * ((n + 2) / 3) + 1 bytes). */
void		 s3w_base64(const unsigned char *, size_t n, char *out);

struct s3_put_req {
	const char	*bucket;
	const char	*key;
	const void	*body;		/* borrowed until done() */
	size_t		 len;
	const char	*content_type;	/* NULL: application/octet-stream */
	/* Object Lock: NULL for none; else "GOVERNANCE" or "COMPLIANCE"
	 * with retain_until. */
	const char	*lock_mode;
	sv_time		 retain_until;
};

/* What came back; strings valid during the callback only. */
struct s3_put_result {
	long		 status;
	const char	*etag;
	const char	*version_id;
	const char	*request_id;
	const char	*aws_code;	/* "" if none */
};

typedef void (*s3_put_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct s3_put_result *);

struct aws_pending *s3_put_object(struct aws_client *, const struct s3_put_req *,
		    s3_put_done_fn, void *);
sv_result	 s3_put_object_sync(struct aws_client *, const struct s3_put_req *,
		    char aws_code[128], struct sv_err *);

/* GetObjectLockConfiguration. enabled false also when the bucket has no
 * configuration (ObjectLockConfigurationNotFoundError is a result). */
struct s3_lock_info {
	bool		 enabled;
	char		 mode[16];	/* default retention mode or "" */
	long long	 days, years;	/* default retention, -1 if absent */
};

typedef void (*s3_lock_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct s3_lock_info *);

struct aws_pending *s3_get_lock_config(struct aws_client *, const char *bucket,
		    s3_lock_done_fn, void *);
sv_result	 s3_parse_lock_config(const char *xml, size_t len,
		    struct s3_lock_info *, struct sv_err *);

/* GetObject into out (capped by out's max). */
sv_result	 s3_get_object_sync(struct aws_client *, const char *bucket,
		    const char *key, struct buf *out, struct sv_err *);

#endif
