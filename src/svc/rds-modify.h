/* rds-modify.h - the RDS instance and cluster settings a restore does not
 * carry over: ModifyDBInstance (security groups, parameter and option
 * groups, Multi-AZ, deletion protection, backup retention),
 * ModifyDBCluster (security groups, cluster parameter group, deletion
 * protection, backup retention), and tags (ListTagsForResource /
 * AddTagsToResource).
 *
 * Asynchronous, as every svc call (svc.h). ModifyDBInstance and
 * AddTagsToResource are mutating: refused without --operate
 * (SV_E_READONLY), sent only after the audit gate made the intent
 * durable. Strings in results are valid only during the callback;
 * requests are copied. */
#ifndef SALVAGE_SVC_RDS_MODIFY_H
#define SALVAGE_SVC_RDS_MODIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/rds.h"
#include "svc/svc.h"

/* ---- ModifyDBInstance ---- */

/* Zero-initialize, then set what changes; -1 / NULL / 0 groups: unchanged.
 * A cluster (cluster_id set): ModifyDBCluster; parameter_group is then
 * the DBClusterParameterGroupName, and option_group and multi_az are not
 * sent (a cluster has neither). */
struct rds_modify_req {
	const char		*instance_id;		/* DBInstanceIdentifier */
	const char		*cluster_id;		/* or DBClusterIdentifier */
	const char *const	*vpc_security_groups;	/* the new set (replaces) */
	size_t			 n_vpc_security_groups;
	const char		*parameter_group;	/* DBParameterGroupName */
	const char		*option_group;		/* OptionGroupName */
	int			 multi_az;		/* -1: unchanged, 0, 1 */
	int			 deletion_protection;	/* -1: unchanged, 0, 1 */
	long long		 backup_retention;	/* days, -1: unchanged */
	bool			 apply_immediately;	/* ApplyImmediately */
};

/* Sets every "unchanged" marker (-1). */
void		 rds_modify_req_init(struct rds_modify_req *);
/* The form parameters the request sends (besides Action and Version),
 * for plans and tests. */
void		 rds_modify_params(const struct rds_modify_req *, struct aws_kvlist *);

/* ModifyDBInstance, or ModifyDBCluster when cluster_id is set. */
struct svc_op	*rds_modify(struct aws_client *, const struct rds_modify_req *,
		    svc_done_fn, void *);

/* ---- ListTagsForResource / AddTagsToResource ---- */

typedef bool (*rds_tags_fn)(void *, const struct rds_tag *, size_t n);

/* arn: the instance's (or cluster's) ARN. */
struct svc_op	*rds_list_tags(struct aws_client *, const char *arn, rds_tags_fn,
		    svc_done_fn, void *);
/* target: what the audit records ("rds://db1"). */
struct svc_op	*rds_add_tags(struct aws_client *, const char *arn, const char *target,
		    const struct rds_tag *, size_t n, svc_done_fn, void *);

/* ---- Parsers from memory (unit tests, fuzzers) ---- */

sv_result	 rds_parse_tags(const char *xml, size_t len, rds_tags_fn, void *,
		    struct sv_err *);

#endif
