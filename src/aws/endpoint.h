/* endpoint.h - where a request goes: a service's base URL in a region (or
 * the custom endpoint), S3 addressing style, and the request URL with the
 * S3 key encoded once and the query encoded (RFC 3986). */
#ifndef SALVAGE_AWS_ENDPOINT_H
#define SALVAGE_AWS_ENDPOINT_H

#include <stdbool.h>

#include "aws/client.h"
#include "aws/ops.h"
#include "util/buf.h"

/* "https://s3.us-east-1.amazonaws.com"; ".amazonaws.com.cn" for cn-*.
 * Allocated. */
char		*aws_endpoint_default(enum aws_service, const char *region);
/* May the bucket be virtual-hosted (BUCKET.s3.REGION.amazonaws.com)?
 * DNS-compatible (3-63 of a-z 0-9 -, starting and ending with a letter or
 * digit), no dots, not an IP address. */
bool		 aws_s3_virtual_ok(const char *bucket);

struct aws_url {
	struct buf	url;		/* the whole URL, as sent */
	struct buf	path;		/* as on the wire, starts with '/' */
	struct buf	query;		/* as on the wire, without '?'; "" if none */
	char		host[300];	/* Host header: port only when not the default */
};

void		 aws_url_init(struct aws_url *);
void		 aws_url_free(struct aws_url *);
/* base: the service's base URL; custom: it is a custom endpoint (S3 then
 * uses path style). S3: bucket/key raw (NULL for none); others: path as
 * sent (NULL: "/"). query: raw names and values (value NULL: "?name"). */
sv_result	 aws_url_build(struct aws_url *, const char *base, bool custom,
		    enum aws_service, enum aws_op_id, const char *bucket,
		    const char *key, const char *path, const struct aws_kvlist *query,
		    struct sv_err *);

#endif
