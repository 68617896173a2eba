/* rds-snapshot.h - RDS manual snapshots: CreateDBSnapshot and
 * CreateDBClusterSnapshot (mutating: through the client's read-only check
 * and audit gate) and the describe call for one snapshot by identifier
 * (name check before creating, and waiting until it is available).
 * Asynchronous through aws_send, with _sync wrappers. */
#ifndef SALVAGE_SVC_RDS_SNAPSHOT_H
#define SALVAGE_SVC_RDS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "util/time.h"

struct rds_snap_desc {
	char		*id;		/* DB(Cluster)SnapshotIdentifier */
	char		*arn;
	char		*source;	/* DBInstanceIdentifier / DBClusterIdentifier */
	char		*status;	/* creating | available | ... */
	long long	 progress;	/* PercentProgress, -1 if absent */
	sv_time		 created;	/* SnapshotCreateTime or SV_TIME_NONE */
	char		 request_id[128];
};

void		 rds_snap_desc_free(struct rds_snap_desc *);

typedef void (*rds_snap_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct rds_snap_desc *);

/* cluster: the Aurora form (CreateDBClusterSnapshot). */
struct aws_pending *rds_create_snapshot(struct aws_client *, bool cluster,
		    const char *source_id, const char *snapshot_id,
		    rds_snap_done_fn, void *);
/* DescribeDB(Cluster)Snapshots for one identifier; SV_E_NOTFOUND when
 * there is none. */
struct aws_pending *rds_describe_snapshot(struct aws_client *, bool cluster,
		    const char *snapshot_id, rds_snap_done_fn, void *);
sv_result	 rds_create_snapshot_sync(struct aws_client *, bool cluster,
		    const char *source_id, const char *snapshot_id,
		    struct rds_snap_desc *out, struct sv_err *);
sv_result	 rds_describe_snapshot_sync(struct aws_client *, bool cluster,
		    const char *snapshot_id, struct rds_snap_desc *out, struct sv_err *);

/* Parses the first DBSnapshot / DBClusterSnapshot of a Create or Describe
 * response body; SV_E_NOTFOUND if there is none. */
sv_result	 rds_parse_snapshot(const char *xml, size_t len, bool cluster,
		    struct rds_snap_desc *, struct sv_err *);

#endif
