/* autoscaling.h - Application Auto Scaling (json 1.1) for DynamoDB tables:
 * the scalable targets and scaling policies of one table and its global
 * secondary indexes (DescribeScalableTargets, DescribeScalingPolicies,
 * every page), and copying them onto another table (RegisterScalableTarget
 * and PutScalingPolicy, mutating: through the client's read-only check and
 * audit gate). A restored table has none: AWS does not restore them. */
#ifndef SALVAGE_SVC_AUTOSCALING_H
#define SALVAGE_SVC_AUTOSCALING_H

#include <stddef.h>

#include "svc/svc.h"

/* Resource ids are relative to the table: "" for the table itself,
 * "index/NAME" for an index ("table/T" and "table/T/index/NAME" on the
 * wire). A set's strings are its own (aas_set_free). */
struct aas_target {
	char		*resource;	/* "" or "index/NAME" */
	char		*dimension;	/* dynamodb:table:ReadCapacityUnits ... */
	long long	 min, max;
};

struct aas_policy {
	char		*name;		/* PolicyName */
	char		*resource;	/* as above */
	char		*dimension;
	char		*type;		/* TargetTrackingScaling, StepScaling */
	/* The policy's configuration member as JSON text (compact), sent back
	 * as is: TargetTrackingScalingPolicyConfiguration or
	 * StepScalingPolicyConfiguration. */
	char		*config;
	double		 target_value;	/* target tracking: TargetValue; -1 none */
};

struct aas_set {
	struct aas_target	*targets;
	size_t			 ntargets, captargets;
	struct aas_policy	*policies;
	size_t			 npolicies, cappolicies;
};

/* Every scalable target and scaling policy of table, in one callback
 * once both listings are complete (the set is valid during it). */
typedef void (*aas_set_fn)(void *, const struct aas_set *);
struct svc_op	*aas_describe_table(struct aws_client *, const char *table,
		    aas_set_fn, svc_done_fn, void *);

/* Registers every target of set on table, then puts every policy (in
 * that order: a policy needs its target), one call after another; done
 * once, with the first failure. */
struct svc_op	*aas_copy_to_table(struct aws_client *, const char *table,
		    const struct aas_set *, svc_done_fn, void *);

/* Parsers from memory (unit tests, fuzzers): one page of
 * DescribeScalableTargets / DescribeScalingPolicies, added to out; only
 * the table's own targets and policies are kept. *next: NextToken or
 * NULL (allocated). */
sv_result	 aas_parse_target_page(const char *table, const char *, size_t,
		    struct aas_set *out, char **next, struct sv_err *);
sv_result	 aas_parse_policy_page(const char *table, const char *, size_t,
		    struct aas_set *out, char **next, struct sv_err *);
/* Adds copies of src's targets and policies to dst. */
void		 aas_set_copy(struct aas_set *dst, const struct aas_set *src);
/* Frees what the parsers put in out. */
void		 aas_set_free(struct aas_set *);

#endif
