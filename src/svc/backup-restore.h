/* backup-restore.h - AWS Backup restores (rest-json): DescribeRecoveryPoint,
 * GetRecoveryPointRestoreMetadata, StartRestoreJob (mutating: through the
 * client's read-only check and audit gate) and DescribeRestoreJob.
 *
 * A restore job always creates a NEW resource, named by one key of the
 * job's metadata (DynamoDB: targetTableName, RDS: DBInstanceIdentifier).
 * The job carries an idempotency token derived from the recovery point and
 * the target (backup_restore_token): sending the same restore again, after
 * a lost answer or from a second run, starts no second job. The service's
 * refusals are mapped to messages that say what to do. */
#ifndef SALVAGE_SVC_BACKUP_RESTORE_H
#define SALVAGE_SVC_BACKUP_RESTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "util/time.h"

/* DescribeRecoveryPoint. */
struct backup_rp_desc {
	char		*arn;			/* RecoveryPointArn */
	char		*vault;			/* BackupVaultName */
	char		*resource_arn;
	char		*resource_type;		/* DynamoDB, RDS, Aurora, S3, EBS ... */
	char		*resource_name;
	char		*status;		/* COMPLETED, PARTIAL, EXPIRED ... */
	char		*status_message;
	char		*iam_role;		/* IamRoleArn: the role that made it */
	sv_time		 created;		/* CreationDate */
	sv_time		 completed;		/* CompletionDate or SV_TIME_NONE */
	long long	 size;			/* BackupSizeInBytes; -1 unknown */
};

/* DescribeRestoreJob (StartRestoreJob fills id only). */
struct backup_restore_job {
	char		*id;			/* RestoreJobId */
	char		*status;		/* PENDING, RUNNING, COMPLETED, ABORTED, FAILED */
	char		*status_message;
	char		*percent;		/* PercentDone, as sent ("42.00%"), or NULL */
	char		*created_arn;		/* CreatedResourceArn, once COMPLETED */
	sv_time		 created;
	sv_time		 completed;
};

/* One answer; which part is filled depends on the call. */
struct backup_answer {
	struct backup_rp_desc	 rp;		/* DescribeRecoveryPoint */
	struct aws_kvlist	 metadata;	/* GetRecoveryPointRestoreMetadata: RestoreMetadata */
	struct backup_restore_job job;		/* StartRestoreJob, DescribeRestoreJob */
	char			 request_id[128];
};

void		 backup_answer_free(struct backup_answer *);

/* The answer is freed when the callback returns; the callback may take
 * members over (leaving NULL / an empty list behind). */
typedef void (*backup_answer_fn)(void *, sv_result, const struct sv_err *,
		    struct backup_answer *);

/* The request of StartRestoreJob (strings borrowed). */
struct backup_restore_req {
	const char		*recovery_point;	/* RecoveryPointArn */
	const char		*vault;			/* for messages */
	const char		*resource_type;		/* ResourceType */
	const char		*iam_role;		/* IamRoleArn */
	const char		*token;			/* IdempotencyToken */
	const struct aws_kvlist	*metadata;		/* Metadata, as sent */
};

/* "salvage-" and 32 hex digits of SHA-256(recovery point, target): the
 * same restore to the same target always has the same token. */
void		 backup_restore_token(const char *recovery_point, const char *target,
		    char out[48]);
/* The call exactly as sent: the JSON body (allocated), and its members
 * as strings for the plan (each metadata entry as "Metadata.KEY"). */
char		*backup_restore_body(const struct backup_restore_req *);
void		 backup_restore_params(const struct backup_restore_req *,
		    struct aws_kvlist *);

struct aws_pending *backup_describe_recovery_point(struct aws_client *,
		    const char *vault, const char *arn, backup_answer_fn, void *);
struct aws_pending *backup_get_restore_metadata(struct aws_client *,
		    const char *vault, const char *arn, backup_answer_fn, void *);
struct aws_pending *backup_start_restore(struct aws_client *,
		    const struct backup_restore_req *, backup_answer_fn, void *);
struct aws_pending *backup_describe_restore_job(struct aws_client *,
		    const char *job_id, backup_answer_fn, void *);

/* Parsers from memory (unit tests, fuzzers): op is one of the four
 * above; SV_E_PARSE for invalid JSON, a member of the wrong type or a
 * required member missing. */
sv_result	 backup_parse_answer(enum aws_op_id op, const char *json, size_t len,
		    struct backup_answer *, struct sv_err *);

#endif
