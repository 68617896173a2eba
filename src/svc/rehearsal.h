/* rehearsal.h - the calls runbook sessions make that nothing else in
 * salvage makes: copying one version of an S3 object to ANOTHER key (a
 * rehearsal recovers a document into a test key, leaving the original
 * untouched) and deleting what a session itself created (a restored
 * test table, DB instance or DB cluster). Deleting S3 objects is not
 * here: a session only ever adds a delete marker (svc/s3-copy.h,
 * s3_delete_marker_add), never destroys a version.
 *
 * Each call is asynchronous (driven by the client's HTTP engine) and
 * mutating: it goes through the client's --operate check and audit gate.
 * done() is called exactly once, never from inside the starting call. */
#ifndef SALVAGE_SVC_REHEARSAL_H
#define SALVAGE_SVC_REHEARSAL_H

#include "aws/client.h"
#include "util/err.h"

/* What came back: valid during the callback only. */
struct rh_result {
	const char	*request_id;	/* or NULL */
	const char	*version_id;	/* s3_copy_to_key: the new version, or NULL */
	const char	*status;	/* the resource's status in the answer, or NULL */
};

typedef void (*rh_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct rh_result *);

/* CopyObject of bucket/key?versionId=version_id (NULL: the current one)
 * onto bucket/dest_key (a different key; refused otherwise), metadata
 * copied. One CopyObject: sources above 5 GiB are refused by S3. */
struct aws_pending *s3_copy_to_key(struct aws_client *, const char *bucket,
		    const char *key, const char *version_id, const char *dest_key,
		    rh_done_fn, void *);
/* DeleteTable. */
struct aws_pending *ddb_delete_table(struct aws_client *, const char *table,
		    rh_done_fn, void *);
/* DeleteDBInstance with SkipFinalSnapshot and DeleteAutomatedBackups (a
 * test copy: its source keeps its own backups). */
struct aws_pending *rds_delete_instance(struct aws_client *, const char *id,
		    rh_done_fn, void *);
/* DeleteDBCluster with SkipFinalSnapshot (its instances first:
 * DeleteDBInstance of each member is the caller's business). */
struct aws_pending *rds_delete_cluster(struct aws_client *, const char *id,
		    rh_done_fn, void *);

#endif
