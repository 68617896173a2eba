/* rds-restore.h - RDS restores: RestoreDBInstanceToPointInTime (to a
 * time, or UseLatestRestorableTime), RestoreDBInstanceFromDBSnapshot,
 * RestoreDBClusterToPointInTime, RestoreDBClusterFromSnapshot, and
 * CreateDBInstance to give a restored cluster its first instance. Each creates a NEW resource. Without
 * overrides the new instance gets the default security group, subnet
 * group and parameter group and is single-AZ: the request carries what
 * the caller chose to keep. Mutating: through the client's read-only
 * check and audit gate. Refusals are mapped to messages that say what to
 * do (DBInstanceAlreadyExists / DBClusterAlreadyExistsFault ->
 * SV_E_EXISTS, PointInTimeRestoreNotEnabled and InvalidRestoreFault ->
 * SV_E_INVALID, *NotFound -> SV_E_NOTFOUND). */
#ifndef SALVAGE_SVC_RDS_RESTORE_H
#define SALVAGE_SVC_RDS_RESTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "util/time.h"

enum rds_restore_kind {
	RDS_RESTORE_INSTANCE_PITR,	/* RestoreDBInstanceToPointInTime */
	RDS_RESTORE_INSTANCE_SNAPSHOT,	/* RestoreDBInstanceFromDBSnapshot */
	RDS_RESTORE_CLUSTER_PITR,	/* RestoreDBClusterToPointInTime */
	RDS_RESTORE_CLUSTER_SNAPSHOT,	/* RestoreDBClusterFromSnapshot */
	RDS_RESTORE_CLUSTER_INSTANCE	/* CreateDBInstance in the restored cluster */
};

struct rds_restore_req {
	enum rds_restore_kind	 kind;
	/* SourceDBInstanceIdentifier / DBSnapshotIdentifier /
	 * SourceDBClusterIdentifier / SnapshotIdentifier (a cluster snapshot) /
	 * DBClusterIdentifier (CreateDBInstance). */
	const char		*source;
	/* TargetDBInstanceIdentifier / DBInstanceIdentifier /
	 * DBClusterIdentifier / DBInstanceIdentifier. */
	const char		*target;
	bool			 latest;	/* UseLatestRestorableTime */
	sv_time			 time;		/* RestoreTime / RestoreToTime */
	/* Carried settings; NULL / 0 / -1: not sent (the API's default). */
	const char *const	*security_groups;	/* VpcSecurityGroupIds.member.N */
	size_t			 n_security_groups;
	const char		*subnet_group;		/* DBSubnetGroupName */
	const char		*parameter_group;	/* DBParameterGroupName (cluster: DBClusterParameterGroupName) */
	int			 multi_az;		/* MultiAZ: 1, 0, -1 not sent */
	/* CreateDBInstance: Engine and DBInstanceClass (from the source
	 * cluster's first member); RestoreDBClusterFromSnapshot: Engine (the
	 * snapshot's; required). */
	const char		*engine;
	const char		*instance_class;
};

/* The DBInstance / DBCluster of the response. */
struct rds_restore_desc {
	char	*id;
	char	*arn;
	char	*status;
	char	 request_id[128];
};

void		 rds_restore_desc_free(struct rds_restore_desc *);

typedef void (*rds_restore_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct rds_restore_desc *);

/* Fills call (aws_call_init'ed by this function) exactly as it is sent:
 * the operation, the parameters, the audit target (target must outlive
 * the call: it is borrowed from req). Also used to show the plan. */
void		 rds_restore_call(const struct rds_restore_req *, struct aws_call *);
struct aws_pending *rds_restore(struct aws_client *, const struct rds_restore_req *,
		    rds_restore_done_fn, void *);
sv_result	 rds_restore_sync(struct aws_client *, const struct rds_restore_req *,
		    struct rds_restore_desc *out, struct sv_err *);
/* Parses the DBInstance or DBCluster of a response body. */
sv_result	 rds_parse_restore(const char *xml, size_t len, bool cluster,
		    struct rds_restore_desc *, struct sv_err *);
sv_result	 rds_restore_error(const struct rds_restore_req *, const char *aws_code,
		    sv_result, const char *msg, struct sv_err *);

#endif
