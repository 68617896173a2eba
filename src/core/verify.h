/* verify.h - is the restored copy what it should be? Compares two
 * resources of the same kind, read-only:
 *
 *	dynamodb://A dynamodb://B	item counts by parallel segmented Scan
 *					(Select=COUNT), key schemas, indexes, and
 *					optionally N items of A read from B with
 *					GetItem and compared attribute by attribute
 *	s3://B/K s3://B2/K2		size, then content: equal single-part ETags,
 *					equal x-amz-checksum-sha256, or else both
 *					objects read in ranges through SHA-256
 *	rds://A rds://B			engine, version, class, storage, type,
 *					encryption, status
 *	rds-cluster://A rds-cluster://B	engine, version, mode, members, encryption,
 *					status
 *
 * Asynchronous (the TUI offers it after a restore): verify_start returns
 * an op driven by the HTTP engine whose done callback is called exactly
 * once, never from inside verify_start. A comparison that ran is SV_OK
 * whether or not the two are equal (result->equal says); an error means
 * the comparison could not be made. verify_sync is the CLI's way. */
#ifndef SALVAGE_CORE_VERIFY_H
#define SALVAGE_CORE_VERIFY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "aws/client.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsonw.h"

/* Segments: ~1 per GiB of the table, at least the scan concurrency, at
 * most VERIFY_MAX_SEGMENTS. */
#define VERIFY_SEGMENT_BYTES	(1024LL * 1024 * 1024)
#define VERIFY_MAX_SEGMENTS	64
#define VERIFY_CONCURRENCY	4	/* Scan requests in flight per table */
#define VERIFY_SAMPLE_MAX	10000	/* --sample N at most */
#define VERIFY_DIFFS_MAX	20	/* sampled differences kept in detail */

enum verify_kind {
	VERIFY_DYNAMODB,
	VERIFY_S3,
	VERIFY_RDS,
	VERIFY_RDS_CLUSTER
};

struct verify_opts {
	long long	 sample;	/* DynamoDB: items of A to compare in B; 0: none */
	int		 segments;	/* DynamoDB: TotalSegments; 0: sized to the table */
	int		 concurrency;	/* DynamoDB: Scan requests in flight per table; 0: VERIFY_CONCURRENCY */
	const char	*version_a;	/* S3: the version of A, NULL: current */
	const char	*version_b;
	bool		 hash;		/* S3: always read both through SHA-256 */
	long long	 part_size;	/* S3: bytes per ranged GET; 0: 8 MiB */
};

/* One line of the comparison. */
struct verify_check {
	char	*name;		/* "item count", "size", "engine" ... */
	char	*a;		/* A's value as text ("-" when it has none) */
	char	*b;
	bool	 equal;
};

/* A sampled item that differs (DynamoDB). */
struct verify_diff {
	char	*key;		/* the key, canonical JSON */
	bool	 missing;	/* B has no item with that key */
	char	*attrs;		/* the attributes that differ, comma-separated ("" if missing) */
	char	*a;		/* A's item, canonical JSON */
	char	*b;		/* B's, or NULL when missing */
};

struct verify_result {
	enum verify_kind	 kind;
	char			*a, *b;		/* canonical URIs */
	bool			 equal;		/* every check equal */
	/* How the content was compared: "segmented-scan" (DynamoDB; with
	 * "+sample" when items were compared), "etag", "checksum-sha256",
	 * "sha256" (both read), "size" (sizes differ: content not read),
	 * "describe" (RDS). */
	char			*method;
	struct verify_check	*checks;
	size_t			 nchecks, capchecks;
	/* DynamoDB. */
	int			 segments_a, segments_b;
	long long		 count_a, count_b;	/* -1: not counted */
	long long		 scanned_a, scanned_b;
	long long		 sampled;		/* items of A read */
	long long		 sample_differ;		/* of which differ or are missing in B */
	struct verify_diff	*diffs;			/* the first VERIFY_DIFFS_MAX */
	size_t			 ndiffs, capdiffs;
	/* S3: the SHA-256 (hex) of each when both were read, else "". */
	char			 sha256_a[65], sha256_b[65];
	long long		 bytes_read;
	int			 requests;
};

void		 verify_result_init(struct verify_result *);
void		 verify_result_free(struct verify_result *);
/* Adds a check; equal is computed (strcmp of the two texts, NULL "-"). */
void		 verify_result_check(struct verify_result *, const char *name,
		    const char *a, const char *b);
/* Adds a check with equality decided by the caller. */
void		 verify_result_check_eq(struct verify_result *, const char *name,
		    const char *a, const char *b, bool equal);
/* Keeps a sampled difference (up to VERIFY_DIFFS_MAX; counts them all). */
void		 verify_result_diff(struct verify_result *, const cJSON *key,
		    const cJSON *a, const cJSON *b);
/* The --json document:
 *   {"a","b","kind","equal","method","checks":[{"name","a","b","equal"}],
 *    "dynamodb":{"segments_a","segments_b","count_a","count_b","sampled",
 *    "sample_differ","differences":[{"key","missing","attributes","a","b"}]},
 *    "s3":{"sha256_a","sha256_b","bytes_read","requests"}} */
void		 verify_result_json(const struct verify_result *, struct jsonw *);

/* ---- the pure parts (unit-tested) ---- */

/* TotalSegments for a table of size_bytes (TableSizeBytes; < 0 unknown)
 * scanned with concurrency requests in flight. */
int		 verify_segments_for(long long size_bytes, int concurrency);

/* Item counts summed over segments and pages: each segment reports its
 * pages, the last one with last set; the total is complete when every
 * segment has reported its last page. */
struct verify_count {
	int		 segments;
	long long	 count;
	long long	 scanned;
	int		 segments_done;
	bool		*done;		/* per segment */
	long long	 pages;
};

void		 verify_count_init(struct verify_count *, int segments);
/* false: a page for a segment out of range or already finished. */
bool		 verify_count_add(struct verify_count *, int segment, long long count,
		    long long scanned, bool last);
bool		 verify_count_complete(const struct verify_count *);
void		 verify_count_free(struct verify_count *);

/* Canonical JSON of an AttributeValue, or of a map of them (an item):
 * map members sorted by name, string/number/binary sets sorted, numbers
 * normalized ("1.50" and "15E-1" are "1.5"); lists keep their order.
 * Two values are equal exactly when their canonical forms are. Returns
 * SV_E_PARSE for something that is not an AttributeValue. */
sv_result	 verify_av_canonical(const cJSON *, bool is_item, struct buf *,
		    struct sv_err *);
/* The same, allocated ("" → NULL on a bad value). */
char		*verify_item_canonical(const cJSON *item);
/* A DynamoDB number in canonical form ("-0.50" → "-0.5", "1e3" → "1000",
 * "0.0" → "0"); false if it is not a number. */
bool		 verify_number_canonical(const char *, struct buf *);
/* The top-level attributes whose values differ between two items
 * (missing on one side included), sorted, comma-separated; "" when the
 * items are equal. Allocated. */
char		*verify_item_diff(const cJSON *a, const cJSON *b);
/* The key attributes of an item (names from the key schema, HASH then
 * RANGE), copied; NULL if the item lacks one. */
cJSON		*verify_item_key(const cJSON *item, const char *const *names, size_t n);
/* Whether an S3 ETag is a plain MD5 of the content (single-part upload,
 * no SSE-KMS / SSE-C): then equal ETags mean equal content. */
bool		 verify_etag_is_md5(const char *etag, const char *sse);

/* ---- the operation ---- */

struct verify_progress {
	const char	*phase;		/* "describe", "count", "sample", "hash" */
	long long	 count_a, count_b;	/* counted so far */
	int		 segments_done, segments;	/* both tables together */
	long long	 sampled;
	long long	 bytes, total;	/* S3: bytes hashed of both */
};

typedef void (*verify_progress_fn)(void *, const struct verify_progress *);
/* result: valid during the call (SV_OK only; NULL otherwise). */
typedef void (*verify_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct verify_result *);

struct verify_op;

/* The checks verify_start makes before anything is sent (front ends
 * report them as usage errors before creating a client). */
sv_result	 verify_validate(const char *uri_a, const char *uri_b,
		    const struct verify_opts *, struct sv_err *);
/* Parses and checks both URIs (same kind; S3 objects, not prefixes;
 * versions only for S3): on a usage error returns NULL with err set and
 * done is never called. progress may be NULL. */
struct verify_op *verify_start(struct aws_client *, const char *uri_a, const char *uri_b,
		    const struct verify_opts *, verify_progress_fn, verify_done_fn,
		    void *, struct sv_err *);
/* done() (SV_E_CANCELLED) is called before this returns. */
void		 verify_cancel(struct verify_op *);
/* For a poll loop: 0 when the op has something to finish (call
 * verify_tick), -1 otherwise (the engine drives it). */
int		 verify_timeout_ms(const struct verify_op *);
void		 verify_tick(struct verify_op *);

/* Runs the engine until done; *out is filled on SV_OK (free it). stop
 * (may be NULL) becoming non-zero cancels (Ctrl-C). */
sv_result	 verify_sync(struct aws_client *, const char *uri_a, const char *uri_b,
		    const struct verify_opts *, verify_progress_fn, void *,
		    const volatile sig_atomic_t *stop, struct verify_result *out,
		    struct sv_err *);

#endif
