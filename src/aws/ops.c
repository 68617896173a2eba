/* ops.c - the operation table. Adding an operation salvage may send means
 * adding one row here; a mutating row is refused unless --operate and a
 * durable audit intent (see client.c). */
#include <config.h>

#include <string.h>

#include "aws/ops.h"

#define RO(svc, id, name)	[id] = { id, name, svc, false, true }
#define RW(svc, id, name, idem)	[id] = { id, name, svc, true, idem }

static const struct aws_op ops[OP__COUNT] = {
	RO(AWS_SVC_S3, OP_S3_ListBuckets, "ListBuckets"),
	RO(AWS_SVC_S3, OP_S3_GetBucketVersioning, "GetBucketVersioning"),
	RO(AWS_SVC_S3, OP_S3_GetBucketLocation, "GetBucketLocation"),
	RO(AWS_SVC_S3, OP_S3_GetObjectLockConfiguration, "GetObjectLockConfiguration"),
	RO(AWS_SVC_S3, OP_S3_ListObjectsV2, "ListObjectsV2"),
	RO(AWS_SVC_S3, OP_S3_ListObjectVersions, "ListObjectVersions"),
	RO(AWS_SVC_S3, OP_S3_HeadObject, "HeadObject"),
	RO(AWS_SVC_S3, OP_S3_GetObject, "GetObject"),
	RO(AWS_SVC_S3, OP_S3_HeadBucket, "HeadBucket"),
	/* PutObject with the same body is idempotent (audit log rewrites). */
	RW(AWS_SVC_S3, OP_S3_PutObject, "PutObject", true),
	RW(AWS_SVC_S3, OP_S3_CopyObject, "CopyObject", false),
	RW(AWS_SVC_S3, OP_S3_DeleteObject, "DeleteObject", true),
	RW(AWS_SVC_S3, OP_S3_CreateMultipartUpload, "CreateMultipartUpload", false),
	RW(AWS_SVC_S3, OP_S3_UploadPartCopy, "UploadPartCopy", true),
	RW(AWS_SVC_S3, OP_S3_CompleteMultipartUpload, "CompleteMultipartUpload", false),
	RW(AWS_SVC_S3, OP_S3_AbortMultipartUpload, "AbortMultipartUpload", true),

	RO(AWS_SVC_DYNAMODB, OP_DDB_ListTables, "ListTables"),
	RO(AWS_SVC_DYNAMODB, OP_DDB_DescribeTable, "DescribeTable"),
	RO(AWS_SVC_DYNAMODB, OP_DDB_DescribeContinuousBackups, "DescribeContinuousBackups"),
	RO(AWS_SVC_DYNAMODB, OP_DDB_DescribeTimeToLive, "DescribeTimeToLive"),
	RO(AWS_SVC_DYNAMODB, OP_DDB_ListBackups, "ListBackups"),
	RO(AWS_SVC_DYNAMODB, OP_DDB_DescribeBackup, "DescribeBackup"),
	RO(AWS_SVC_DYNAMODB, OP_DDB_ListTagsOfResource, "ListTagsOfResource"),
	RO(AWS_SVC_DYNAMODB, OP_DDB_Scan, "Scan"),
	RW(AWS_SVC_DYNAMODB, OP_DDB_CreateBackup, "CreateBackup", false),
	RW(AWS_SVC_DYNAMODB, OP_DDB_RestoreTableToPointInTime, "RestoreTableToPointInTime", false),
	RW(AWS_SVC_DYNAMODB, OP_DDB_RestoreTableFromBackup, "RestoreTableFromBackup", false),
	RW(AWS_SVC_DYNAMODB, OP_DDB_UpdateContinuousBackups, "UpdateContinuousBackups", true),
	RW(AWS_SVC_DYNAMODB, OP_DDB_UpdateTimeToLive, "UpdateTimeToLive", true),
	RW(AWS_SVC_DYNAMODB, OP_DDB_UpdateTable, "UpdateTable", false),
	RW(AWS_SVC_DYNAMODB, OP_DDB_TagResource, "TagResource", true),
	RW(AWS_SVC_DYNAMODB, OP_DDB_DeleteTable, "DeleteTable", false),
	RO(AWS_SVC_DYNAMODB, OP_DDB_GetItem, "GetItem"),

	RO(AWS_SVC_RDS, OP_RDS_DescribeDBInstances, "DescribeDBInstances"),
	RO(AWS_SVC_RDS, OP_RDS_DescribeDBSnapshots, "DescribeDBSnapshots"),
	RO(AWS_SVC_RDS, OP_RDS_DescribeDBClusters, "DescribeDBClusters"),
	RO(AWS_SVC_RDS, OP_RDS_DescribeDBClusterSnapshots, "DescribeDBClusterSnapshots"),
	RO(AWS_SVC_RDS, OP_RDS_DescribeDBInstanceAutomatedBackups, "DescribeDBInstanceAutomatedBackups"),
	RW(AWS_SVC_RDS, OP_RDS_CreateDBSnapshot, "CreateDBSnapshot", false),
	RW(AWS_SVC_RDS, OP_RDS_CreateDBClusterSnapshot, "CreateDBClusterSnapshot", false),
	RW(AWS_SVC_RDS, OP_RDS_RestoreDBInstanceToPointInTime, "RestoreDBInstanceToPointInTime", false),
	RW(AWS_SVC_RDS, OP_RDS_RestoreDBInstanceFromDBSnapshot, "RestoreDBInstanceFromDBSnapshot", false),
	RW(AWS_SVC_RDS, OP_RDS_RestoreDBClusterToPointInTime, "RestoreDBClusterToPointInTime", false),
	RW(AWS_SVC_RDS, OP_RDS_RestoreDBClusterFromSnapshot, "RestoreDBClusterFromSnapshot", false),
	RW(AWS_SVC_RDS, OP_RDS_CreateDBInstance, "CreateDBInstance", false),
	RW(AWS_SVC_RDS, OP_RDS_ModifyDBInstance, "ModifyDBInstance", false),
	RW(AWS_SVC_RDS, OP_RDS_ModifyDBCluster, "ModifyDBCluster", false),
	RW(AWS_SVC_RDS, OP_RDS_DeleteDBInstance, "DeleteDBInstance", false),
	RW(AWS_SVC_RDS, OP_RDS_DeleteDBCluster, "DeleteDBCluster", false),
	RO(AWS_SVC_RDS, OP_RDS_ListTagsForResource, "ListTagsForResource"),
	/* Adding the same tags again changes nothing more. */
	RW(AWS_SVC_RDS, OP_RDS_AddTagsToResource, "AddTagsToResource", true),

	RO(AWS_SVC_STS, OP_STS_GetCallerIdentity, "GetCallerIdentity"),
	/* AssumeRole changes nothing in the account: it only mints credentials. */
	RO(AWS_SVC_STS, OP_STS_AssumeRole, "AssumeRole"),

	RO(AWS_SVC_BACKUP, OP_BACKUP_ListBackupVaults, "ListBackupVaults"),
	RO(AWS_SVC_BACKUP, OP_BACKUP_ListRecoveryPointsByBackupVault, "ListRecoveryPointsByBackupVault"),
	RO(AWS_SVC_BACKUP, OP_BACKUP_ListRecoveryPointsByResource, "ListRecoveryPointsByResource"),
	RO(AWS_SVC_BACKUP, OP_BACKUP_DescribeRecoveryPoint, "DescribeRecoveryPoint"),
	RO(AWS_SVC_BACKUP, OP_BACKUP_GetRecoveryPointRestoreMetadata, "GetRecoveryPointRestoreMetadata"),
	RO(AWS_SVC_BACKUP, OP_BACKUP_DescribeRestoreJob, "DescribeRestoreJob"),
	RW(AWS_SVC_BACKUP, OP_BACKUP_StartRestoreJob, "StartRestoreJob", true),

	RO(AWS_SVC_AUTOSCALING, OP_AAS_DescribeScalableTargets, "DescribeScalableTargets"),
	RO(AWS_SVC_AUTOSCALING, OP_AAS_DescribeScalingPolicies, "DescribeScalingPolicies"),
	/* Registering the same target or putting the same policy again
	 * changes nothing more. */
	RW(AWS_SVC_AUTOSCALING, OP_AAS_RegisterScalableTarget, "RegisterScalableTarget", true),
	RW(AWS_SVC_AUTOSCALING, OP_AAS_PutScalingPolicy, "PutScalingPolicy", true),
};

static const struct {
	const char		*name, *env, *api_version;
	enum aws_protocol	 protocol;
	const char		*json_target, *json_type;
} services[AWS_SVC__COUNT] = {
	[AWS_SVC_S3] = { "s3", "S3", "2006-03-01", AWS_PROTO_REST_XML, NULL, NULL },
	[AWS_SVC_DYNAMODB] = { "dynamodb", "DYNAMODB", "2012-08-10", AWS_PROTO_JSON,
	    "DynamoDB_20120810", "application/x-amz-json-1.0" },
	[AWS_SVC_RDS] = { "rds", "RDS", "2014-10-31", AWS_PROTO_QUERY, NULL, NULL },
	[AWS_SVC_STS] = { "sts", "STS", "2011-06-15", AWS_PROTO_QUERY, NULL, NULL },
	[AWS_SVC_BACKUP] = { "backup", "BACKUP", "2018-11-15", AWS_PROTO_REST_JSON,
	    NULL, NULL },
	[AWS_SVC_AUTOSCALING] = { "application-autoscaling",
	    "APPLICATION_AUTO_SCALING", "2016-02-06", AWS_PROTO_JSON,
	    "AnyScaleFrontendService", "application/x-amz-json-1.1" },
};

const struct aws_op *
aws_op_get(enum aws_op_id id)
{
	if ((unsigned)id >= OP__COUNT)
		return NULL;
	return &ops[id];
}

const struct aws_op *
aws_op_find(enum aws_service svc, const char *name)
{
	for (int i = 0; i < OP__COUNT; i++)
		if (ops[i].service == svc && strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

const char *
aws_service_name(enum aws_service s)
{
	return services[s].name;
}

const char *
aws_service_env(enum aws_service s)
{
	return services[s].env;
}

enum aws_protocol
aws_service_protocol(enum aws_service s)
{
	return services[s].protocol;
}

const char *
aws_service_api_version(enum aws_service s)
{
	return services[s].api_version;
}

const char *
aws_service_json_target(enum aws_service s)
{
	return services[s].json_target;
}

const char *
aws_service_json_type(enum aws_service s)
{
	return services[s].json_type;
}
