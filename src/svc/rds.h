/* rds.h - the read operations of Amazon RDS: DB instances, clusters,
 * their snapshots and automated backups (the PITR windows).
 *
 * Asynchronous, as every svc call (see svc.h and the conventions at the
 * top of s3.h): strings in results are valid only during the callback;
 * absent values are NULL / SV_TIME_NONE / -1; the callback returns false
 * to stop. Listings page by Marker with MaxRecords=100. Requests are
 * zero-initialized structs (NULL: no filter); strings are copied. */
#ifndef SALVAGE_SVC_RDS_H
#define SALVAGE_SVC_RDS_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"
#include "util/time.h"

struct rds_tag {
	const char	*key;
	const char	*value;
};

/* ---- DescribeDBInstances ---- */

struct rds_instances_req {
	const char	*instance_id;	/* DBInstanceIdentifier (or ARN); NULL: all */
};

struct rds_instance {
	const char		*id;		/* DBInstanceIdentifier */
	const char		*arn;		/* DBInstanceArn */
	const char		*resource_id;	/* DbiResourceId */
	const char		*engine;
	const char		*engine_version;
	const char		*status;	/* DBInstanceStatus */
	const char		*instance_class;	/* DBInstanceClass */
	long long		 allocated_storage;	/* GiB */
	bool			 multi_az;
	long long		 backup_retention;	/* days; 0 = no automated backups, no PITR */
	sv_time			 latest_restorable;	/* LatestRestorableTime */
	sv_time			 created;		/* InstanceCreateTime */
	const char		*endpoint_address;	/* Endpoint/Address */
	long long		 endpoint_port;		/* Endpoint/Port */
	const char		*cluster_id;		/* DBClusterIdentifier or NULL */
	bool			 deletion_protection;
	const char		*storage_type;
	bool			 storage_encrypted;
	const char		*kms_key_id;
	long long		 iops;
	const char		*availability_zone;
	bool			 publicly_accessible;
	const char		*subnet_group;		/* DBSubnetGroup/DBSubnetGroupName */
	const char		*vpc_id;		/* DBSubnetGroup/VpcId */
	const char		*backup_window;		/* PreferredBackupWindow */
	const char *const	*parameter_groups;	/* DBParameterGroupName of each */
	size_t			 n_parameter_groups;
	const char *const	*vpc_security_groups;	/* VpcSecurityGroupId of each */
	size_t			 n_vpc_security_groups;
	const char *const	*option_groups;		/* OptionGroupName of each */
	size_t			 n_option_groups;
	const struct rds_tag	*tags;			/* TagList, when sent */
	size_t			 n_tags;
};

struct rds_instances_page {
	const struct rds_instance	*v;
	size_t				 n;
	const char			*marker;	/* next page's Marker, NULL at the end */
};

typedef bool (*rds_instances_page_fn)(void *, const struct rds_instances_page *);

/* req may be NULL. An unknown id is SV_E_NOTFOUND (DBInstanceNotFound). */
struct svc_op	*rds_describe_db_instances(struct aws_client *, const struct rds_instances_req *,
		    rds_instances_page_fn, svc_done_fn, void *);

/* ---- DescribeDBSnapshots ---- */

struct rds_snapshots_req {
	const char	*instance_id;	/* DBInstanceIdentifier */
	const char	*snapshot_id;	/* DBSnapshotIdentifier */
	const char	*snapshot_type;	/* automated | manual | shared | public | awsbackup */
	const char	*resource_id;	/* DbiResourceId (snapshots of a deleted instance) */
};

struct rds_snapshot {
	const char	*id;		/* DBSnapshotIdentifier */
	const char	*arn;		/* DBSnapshotArn */
	const char	*instance_id;	/* DBInstanceIdentifier */
	const char	*resource_id;	/* DbiResourceId */
	const char	*type;		/* SnapshotType */
	const char	*status;	/* creating | available | ... */
	sv_time		 created;	/* SnapshotCreateTime */
	sv_time		 instance_created;	/* InstanceCreateTime */
	long long	 percent_progress;
	const char	*engine;
	const char	*engine_version;
	long long	 allocated_storage;
	long long	 port;
	const char	*availability_zone;
	const char	*vpc_id;
	const char	*storage_type;
	bool		 encrypted;
};

struct rds_snapshots_page {
	const struct rds_snapshot	*v;
	size_t				 n;
	const char			*marker;
};

typedef bool (*rds_snapshots_page_fn)(void *, const struct rds_snapshots_page *);

struct svc_op	*rds_describe_db_snapshots(struct aws_client *, const struct rds_snapshots_req *,
		    rds_snapshots_page_fn, svc_done_fn, void *);

/* ---- DescribeDBClusters ---- */

struct rds_clusters_req {
	const char	*cluster_id;	/* DBClusterIdentifier (or ARN); NULL: all */
};

struct rds_cluster_member {
	const char	*instance_id;
	bool		 writer;	/* IsClusterWriter */
};

struct rds_cluster {
	const char			*id;		/* DBClusterIdentifier */
	const char			*arn;		/* DBClusterArn */
	const char			*resource_id;	/* DbClusterResourceId */
	const char			*engine;
	const char			*engine_version;
	const char			*engine_mode;
	const char			*status;
	long long			 backup_retention;
	sv_time				 earliest_restorable;
	sv_time				 latest_restorable;
	sv_time				 created;	/* ClusterCreateTime */
	const char			*endpoint;
	const char			*reader_endpoint;
	long long			 port;
	bool				 multi_az;
	bool				 deletion_protection;
	bool				 storage_encrypted;
	const char			*subnet_group;		/* DBSubnetGroup */
	const char			*parameter_group;	/* DBClusterParameterGroup */
	const char *const		*vpc_security_groups;
	size_t				 n_vpc_security_groups;
	const struct rds_cluster_member	*members;
	size_t				 n_members;
	const struct rds_tag		*tags;
	size_t				 n_tags;
};

struct rds_clusters_page {
	const struct rds_cluster	*v;
	size_t				 n;
	const char			*marker;
};

typedef bool (*rds_clusters_page_fn)(void *, const struct rds_clusters_page *);

/* An unknown id is SV_E_NOTFOUND (DBClusterNotFoundFault). */
struct svc_op	*rds_describe_db_clusters(struct aws_client *, const struct rds_clusters_req *,
		    rds_clusters_page_fn, svc_done_fn, void *);

/* ---- DescribeDBClusterSnapshots ---- */

struct rds_cluster_snapshots_req {
	const char	*cluster_id;
	const char	*snapshot_id;	/* DBClusterSnapshotIdentifier */
	const char	*snapshot_type;	/* automated | manual | shared | public | awsbackup */
};

struct rds_cluster_snapshot {
	const char	*id;		/* DBClusterSnapshotIdentifier */
	const char	*arn;		/* DBClusterSnapshotArn */
	const char	*cluster_id;	/* DBClusterIdentifier */
	const char	*type;		/* SnapshotType */
	const char	*status;
	sv_time		 created;	/* SnapshotCreateTime */
	sv_time		 cluster_created;	/* ClusterCreateTime */
	long long	 percent_progress;
	const char	*engine;
	const char	*engine_version;
	long long	 allocated_storage;
	long long	 port;
	const char	*vpc_id;
	bool		 encrypted;	/* StorageEncrypted */
};

struct rds_cluster_snapshots_page {
	const struct rds_cluster_snapshot	*v;
	size_t					 n;
	const char				*marker;
};

typedef bool (*rds_cluster_snapshots_page_fn)(void *, const struct rds_cluster_snapshots_page *);

struct svc_op	*rds_describe_db_cluster_snapshots(struct aws_client *,
		    const struct rds_cluster_snapshots_req *,
		    rds_cluster_snapshots_page_fn, svc_done_fn, void *);

/* ---- DescribeDBInstanceAutomatedBackups ---- */

struct rds_automated_backups_req {
	const char	*instance_id;	/* DBInstanceIdentifier */
	const char	*resource_id;	/* DbiResourceId */
};

struct rds_automated_backup {
	const char	*instance_id;	/* DBInstanceIdentifier */
	const char	*arn;		/* DBInstanceAutomatedBackupsArn */
	const char	*instance_arn;	/* DBInstanceArn */
	const char	*resource_id;	/* DbiResourceId */
	const char	*region;
	const char	*status;	/* active | retained | creating | pending */
	sv_time		 earliest;	/* RestoreWindow/EarliestTime */
	sv_time		 latest;	/* RestoreWindow/LatestTime */
	long long	 backup_retention;	/* BackupRetentionPeriod */
	sv_time		 instance_created;	/* InstanceCreateTime */
	const char	*engine;
	const char	*engine_version;
	long long	 allocated_storage;
	bool		 encrypted;
};

struct rds_automated_backups_page {
	const struct rds_automated_backup	*v;
	size_t					 n;
	const char				*marker;
};

typedef bool (*rds_automated_backups_page_fn)(void *, const struct rds_automated_backups_page *);

struct svc_op	*rds_describe_db_instance_automated_backups(struct aws_client *,
		    const struct rds_automated_backups_req *,
		    rds_automated_backups_page_fn, svc_done_fn, void *);

/* ---- Parsers from memory (unit tests, fuzzers) ----
 * Each parses one response body and calls fn once. An <ErrorResponse>
 * is an error named by its Code (SV_E_NOTFOUND for the *NotFound codes,
 * SV_E_DENIED, SV_E_AWS ...); malformed XML or an unexpected root is
 * SV_E_PARSE. */

sv_result	 rds_parse_instances_page(const char *xml, size_t len,
		    rds_instances_page_fn, void *data, struct sv_err *);
sv_result	 rds_parse_snapshots_page(const char *xml, size_t len,
		    rds_snapshots_page_fn, void *data, struct sv_err *);
sv_result	 rds_parse_clusters_page(const char *xml, size_t len,
		    rds_clusters_page_fn, void *data, struct sv_err *);
sv_result	 rds_parse_cluster_snapshots_page(const char *xml, size_t len,
		    rds_cluster_snapshots_page_fn, void *data, struct sv_err *);
sv_result	 rds_parse_automated_backups_page(const char *xml, size_t len,
		    rds_automated_backups_page_fn, void *data, struct sv_err *);

#endif
