/* resource.h - one URI scheme for everything an operator names:
 *
 *	s3://			every bucket
 *	s3://BUCKET[/]		a bucket (its top level)
 *	s3://BUCKET/PREFIX/	a prefix ("folder"): ends in '/'
 *	s3://BUCKET/KEY		one object
 *	dynamodb://[TABLE]	every table, or one
 *	rds://[INSTANCE]	every DB instance, or one
 *	rds-cluster://[CLUSTER]	every DB cluster (Aurora), or one
 *	backup://[VAULT]	every AWS Backup vault, or one
 *
 * An S3 key is taken exactly as typed after "s3://BUCKET/": no
 * percent-decoding, no normalisation, so keys with spaces, '+', '=', '~',
 * "//" or "../" name what they say. The scheme is case-insensitive. */
#ifndef SALVAGE_CORE_RESOURCE_H
#define SALVAGE_CORE_RESOURCE_H

#include <stdbool.h>

#include "util/err.h"

enum resource_scheme {
	RES_S3,
	RES_DYNAMODB,
	RES_RDS,
	RES_RDS_CLUSTER,
	RES_BACKUP
};

enum resource_kind {
	RES_ALL,	/* "s3://", "dynamodb://": everything of the service */
	RES_BUCKET,	/* s3://bucket or s3://bucket/ (key "") */
	RES_PREFIX,	/* s3://bucket/prefix/ (key ends in '/') */
	RES_OBJECT,	/* s3://bucket/key */
	RES_TABLE,	/* dynamodb://table */
	RES_INSTANCE,	/* rds://instance */
	RES_CLUSTER,	/* rds-cluster://cluster */
	RES_VAULT	/* backup://vault */
};

#define RESOURCE_KEY_MAX	1024	/* S3 key, bytes of UTF-8 */

struct resource {
	enum resource_scheme	 scheme;
	enum resource_kind	 kind;
	char			*name;	/* bucket/table/instance/cluster/vault; NULL for RES_ALL */
	char			*key;	/* S3 key or prefix ("" for a bucket); NULL otherwise */
};

/* Parses uri into res (which the caller frees with resource_free, also
 * after a failure). Errors are SV_E_USAGE with a message naming what is
 * wrong and the accepted form. */
sv_result	 resource_parse(const char *uri, struct resource *res, struct sv_err *);
void		 resource_free(struct resource *);
void		 resource_copy(struct resource *dst, const struct resource *src);
/* The canonical URI ("s3://b/", "s3://b/k", "dynamodb://t"), allocated. */
char		*resource_uri(const struct resource *);
/* The URI of what an ARN names, when salvage can show it: a DynamoDB
 * table (arn:...:dynamodb:R:A:table/T -> dynamodb://T), a DB instance
 * (...:rds:R:A:db:I -> rds://I), a DB cluster (...:rds:R:A:cluster:C ->
 * rds-cluster://C) or an S3 bucket (arn:...:s3:::B -> s3://B/). The ARN's
 * region into region (size regionsz, "" for S3). NULL otherwise. */
char		*resource_uri_from_arn(const char *arn, char *region,
		    size_t regionsz);
/* The fields of "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE" (RESOURCE
 * may hold ':' and '/'; REGION and ACCOUNT may be empty, as in S3's).
 * false when arn is not one (or a field is too long). */
struct resource_arn {
	char		 partition[32];
	char		 service[64];
	char		 region[32];
	char		 account[32];
	const char	*resource;	/* points into the ARN */
};
bool		 resource_arn_split(const char *arn, struct resource_arn *);
/* "s3", "dynamodb", "rds", "rds-cluster", "backup". */
const char	*resource_scheme_name(enum resource_scheme);
/* What the kind is called in messages: "bucket", "table", "DB instance". */
const char	*resource_kind_name(enum resource_kind);

/* Name validators (true if valid; otherwise why into err, SV_E_USAGE). */
bool		 resource_valid_bucket(const char *, struct sv_err *);
bool		 resource_valid_table(const char *, struct sv_err *);
bool		 resource_valid_rds_id(const char *, const char *what, struct sv_err *);
bool		 resource_valid_vault(const char *, struct sv_err *);

#endif
