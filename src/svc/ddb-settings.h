/* ddb-settings.h - the DynamoDB table settings a restore does not carry
 * over: TTL (DescribeTimeToLive / UpdateTimeToLive), tags
 * (ListTagsOfResource / TagResource), PITR (UpdateContinuousBackups; read
 * with dynamodb.h's DescribeContinuousBackups) and streams and deletion
 * protection (UpdateTable; read with DescribeTable).
 *
 * Asynchronous, as every svc call (svc.h). The Update and Tag calls are
 * mutating: the client refuses them without --operate (SV_E_READONLY)
 * and sends them only after the audit gate made the intent durable.
 * Strings in results are valid only during the callback; requests are
 * copied. */
#ifndef SALVAGE_SVC_DDB_SETTINGS_H
#define SALVAGE_SVC_DDB_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"

/* ---- DescribeTimeToLive ---- */

struct ddb_ttl {
	const char	*status;	/* ENABLED | DISABLED | ENABLING | DISABLING */
	const char	*attr;		/* AttributeName, NULL when none */
	bool		 enabled;	/* ENABLED or ENABLING */
};

typedef bool (*ddb_ttl_fn)(void *, const struct ddb_ttl *);

struct svc_op	*ddb_describe_ttl(struct aws_client *, const char *table,
		    ddb_ttl_fn, svc_done_fn, void *);

/* ---- ListTagsOfResource (paged by NextToken) ---- */

struct ddb_tag {
	const char	*key;
	const char	*value;
};

struct ddb_tags_page {
	const struct ddb_tag	*tags;
	size_t			 n;
};

typedef bool (*ddb_tags_page_fn)(void *, const struct ddb_tags_page *);

/* arn: the table's ARN (DescribeTable's TableArn). */
struct svc_op	*ddb_list_tags(struct aws_client *, const char *arn,
		    ddb_tags_page_fn, svc_done_fn, void *);

/* ---- the changes (mutating) ---- */

/* UpdateTimeToLive. attr is required also to disable (the attribute TTL
 * is on now). */
struct svc_op	*ddb_update_ttl(struct aws_client *, const char *table, bool enabled,
		    const char *attr, svc_done_fn, void *);
/* UpdateContinuousBackups: PITR on or off; recovery_days 1..35 is sent
 * as RecoveryPeriodInDays when enabling, 0: not sent (35). */
struct svc_op	*ddb_update_pitr(struct aws_client *, const char *table, bool enabled,
		    long long recovery_days, svc_done_fn, void *);
/* TagResource: adds (or overwrites) n tags on the table (arn); table
 * names the audit target. */
struct svc_op	*ddb_tag_resource(struct aws_client *, const char *table,
		    const char *arn, const struct ddb_tag *, size_t n,
		    svc_done_fn, void *);

/* UpdateTable for one setting at a time (DynamoDB allows one kind of
 * change per call while the table goes UPDATING). */
struct ddb_table_update {
	const char	*table;
	int		 stream;		/* -1: unchanged, 0: disable, 1: enable */
	const char	*stream_view_type;	/* when enabling: NEW_IMAGE, ... */
	int		 deletion_protection;	/* -1: unchanged, 0: off, 1: on */
};

struct svc_op	*ddb_update_table(struct aws_client *, const struct ddb_table_update *,
		    svc_done_fn, void *);

/* ---- Parsers from memory (unit tests, fuzzers) ---- */

sv_result	 ddb_parse_ttl(const char *json, size_t len, ddb_ttl_fn, void *,
		    struct sv_err *);

#endif
