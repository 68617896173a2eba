/* ddb-scan.h - reading a DynamoDB table's items for verification: Scan
 * with Select=COUNT one segment at a time (Segment / TotalSegments, each
 * segment paged by LastEvaluatedKey), Scan returning items (samples) and
 * GetItem. All read-only.
 *
 * Asynchronous, as every svc call (svc.h): results arrive through a
 * callback (valid only during it; return false to stop), then done()
 * once. Items are delivered as cJSON AttributeValue maps, exactly as
 * DynamoDB sent them ({"pk": {"S": "a"}, "n": {"N": "1"}}). Requests are
 * zero-initialized structs; strings and keys are copied. */
#ifndef SALVAGE_SVC_DDB_SCAN_H
#define SALVAGE_SVC_DDB_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "svc/svc.h"

/* DynamoDB's limit for TotalSegments. */
#define DDB_MAX_SEGMENTS	1000000

/* ---- Scan Select=COUNT, one segment ---- */

struct ddb_count_req {
	const char	*table;
	int		 segment;		/* 0-based */
	int		 total_segments;	/* 0 or 1: the whole table, not segmented */
	long long	 limit;			/* items evaluated per page; 0: the service's 1 MB pages */
	bool		 consistent;		/* ConsistentRead */
};

struct ddb_count_page {
	long long	 count;		/* Count */
	long long	 scanned;	/* ScannedCount, -1 if absent */
	bool		 last;		/* no LastEvaluatedKey: the segment is done */
};

typedef bool (*ddb_count_page_fn)(void *, const struct ddb_count_page *);

struct svc_op	*ddb_scan_count(struct aws_client *, const struct ddb_count_req *,
		    ddb_count_page_fn, svc_done_fn, void *);

/* ---- Scan returning items ---- */

struct ddb_scan_req {
	const char	*table;
	int		 segment;
	int		 total_segments;	/* 0 or 1: not segmented */
	long long	 max_items;	/* stop once this many were delivered; 0: all */
	bool		 consistent;
};

struct ddb_items_page {
	const cJSON	*items;		/* the Items array, n AttributeValue maps */
	size_t		 n;
	bool		 last;		/* nothing follows (no LastEvaluatedKey, or max_items reached) */
};

typedef bool (*ddb_items_page_fn)(void *, const struct ddb_items_page *);

struct svc_op	*ddb_scan_items(struct aws_client *, const struct ddb_scan_req *,
		    ddb_items_page_fn, svc_done_fn, void *);

/* ---- GetItem ---- */

/* item is NULL when the table has no item with that key. */
typedef bool (*ddb_item_fn)(void *, const cJSON *item);

/* key: the key attributes, an AttributeValue map (copied). A missing
 * table is SV_E_NOTFOUND. */
struct svc_op	*ddb_get_item(struct aws_client *, const char *table, const cJSON *key,
		    bool consistent, ddb_item_fn, svc_done_fn, void *);

/* ---- Parsers from memory (unit tests, fuzzers) ---- */

/* A Scan response: Count, ScannedCount and, when present, a copy of
 * LastEvaluatedKey into *last_key (the caller frees it; may be NULL to
 * ignore it). Invalid JSON or no Count is SV_E_PARSE. */
sv_result	 ddb_parse_count_page(const char *json, size_t len,
		    struct ddb_count_page *, cJSON **last_key, struct sv_err *);

#endif
