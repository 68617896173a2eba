/* ops.h - the operation table: every AWS operation salvage can send, with
 * its service, protocol and whether it changes anything. The client refuses
 * a mutating operation unless the process runs with --operate and the audit
 * gate has made an intent record durable: this is the one place that
 * guarantees read-only mode and write-ahead auditing. */
#ifndef SALVAGE_AWS_OPS_H
#define SALVAGE_AWS_OPS_H

#include <stdbool.h>

enum aws_service {
	AWS_SVC_S3,
	AWS_SVC_DYNAMODB,
	AWS_SVC_RDS,
	AWS_SVC_STS,
	AWS_SVC_BACKUP,
	AWS_SVC_AUTOSCALING,	/* Application Auto Scaling (DynamoDB capacity) */
	AWS_SVC__COUNT
};

enum aws_protocol {
	AWS_PROTO_REST_XML,	/* S3 */
	AWS_PROTO_JSON,		/* DynamoDB (json 1.0), Application Auto Scaling
				   (json 1.1): X-Amz-Target */
	AWS_PROTO_QUERY,	/* RDS, STS: form body Action=...&Version=... */
	AWS_PROTO_REST_JSON	/* AWS Backup */
};

/* Names follow botocore's operation names exactly. */
enum aws_op_id {
	/* S3 */
	OP_S3_ListBuckets,
	OP_S3_GetBucketVersioning,
	OP_S3_GetBucketLocation,
	OP_S3_GetObjectLockConfiguration,
	OP_S3_ListObjectsV2,
	OP_S3_ListObjectVersions,
	OP_S3_HeadObject,
	OP_S3_GetObject,
	OP_S3_HeadBucket,
	OP_S3_PutObject,
	OP_S3_CopyObject,
	OP_S3_DeleteObject,
	OP_S3_CreateMultipartUpload,
	OP_S3_UploadPartCopy,
	OP_S3_CompleteMultipartUpload,
	OP_S3_AbortMultipartUpload,
	/* DynamoDB */
	OP_DDB_ListTables,
	OP_DDB_DescribeTable,
	OP_DDB_DescribeContinuousBackups,
	OP_DDB_DescribeTimeToLive,
	OP_DDB_ListBackups,
	OP_DDB_DescribeBackup,
	OP_DDB_ListTagsOfResource,
	OP_DDB_Scan,
	OP_DDB_CreateBackup,
	OP_DDB_RestoreTableToPointInTime,
	OP_DDB_RestoreTableFromBackup,
	OP_DDB_UpdateContinuousBackups,
	OP_DDB_UpdateTimeToLive,
	OP_DDB_UpdateTable,
	OP_DDB_TagResource,
	OP_DDB_DeleteTable,
	OP_DDB_GetItem,
	/* RDS */
	OP_RDS_DescribeDBInstances,
	OP_RDS_DescribeDBSnapshots,
	OP_RDS_DescribeDBClusters,
	OP_RDS_DescribeDBClusterSnapshots,
	OP_RDS_DescribeDBInstanceAutomatedBackups,
	OP_RDS_CreateDBSnapshot,
	OP_RDS_CreateDBClusterSnapshot,
	OP_RDS_RestoreDBInstanceToPointInTime,
	OP_RDS_RestoreDBInstanceFromDBSnapshot,
	OP_RDS_RestoreDBClusterToPointInTime,
	OP_RDS_RestoreDBClusterFromSnapshot,
	OP_RDS_CreateDBInstance,
	OP_RDS_ModifyDBInstance,
	OP_RDS_ModifyDBCluster,
	OP_RDS_DeleteDBInstance,
	OP_RDS_DeleteDBCluster,
	OP_RDS_ListTagsForResource,
	OP_RDS_AddTagsToResource,
	/* STS */
	OP_STS_GetCallerIdentity,
	OP_STS_AssumeRole,
	/* AWS Backup */
	OP_BACKUP_ListBackupVaults,
	OP_BACKUP_ListRecoveryPointsByBackupVault,
	OP_BACKUP_ListRecoveryPointsByResource,
	OP_BACKUP_DescribeRecoveryPoint,
	OP_BACKUP_GetRecoveryPointRestoreMetadata,
	OP_BACKUP_DescribeRestoreJob,
	OP_BACKUP_StartRestoreJob,
	/* Application Auto Scaling */
	OP_AAS_DescribeScalableTargets,
	OP_AAS_DescribeScalingPolicies,
	OP_AAS_RegisterScalableTarget,
	OP_AAS_PutScalingPolicy,
	OP__COUNT
};

struct aws_op {
	enum aws_op_id		 id;
	const char		*name;		/* "ListObjectVersions" */
	enum aws_service	 service;
	bool			 mutating;	/* changes state in the account */
	bool			 idempotent;	/* safe to retry after an ambiguous failure */
};

const struct aws_op	*aws_op_get(enum aws_op_id);
/* Looks an operation up by service and name; NULL if salvage cannot send it. */
const struct aws_op	*aws_op_find(enum aws_service, const char *name);
const char		*aws_service_name(enum aws_service);	/* signing name: "s3" */
const char		*aws_service_env(enum aws_service);	/* env suffix: "S3" */
enum aws_protocol	 aws_service_protocol(enum aws_service);
const char		*aws_service_api_version(enum aws_service);	/* "2014-10-31" */
/* JSON protocol: the X-Amz-Target prefix ("DynamoDB_20120810") and the
 * Content-Type ("application/x-amz-json-1.0"); NULL for other protocols. */
const char		*aws_service_json_target(enum aws_service);
const char		*aws_service_json_type(enum aws_service);

#endif
