/* dynamodb.h - the read operations of Amazon DynamoDB: tables, their
 * description, continuous backups (PITR) and on-demand backups.
 *
 * Asynchronous, as every svc call (see svc.h and the conventions at the
 * top of s3.h): strings in results are valid only during the callback;
 * absent values are NULL / SV_TIME_NONE / -1; the callback returns false
 * to stop. Requests are zero-initialized structs; strings are copied. A
 * call invalid before anything is sent calls done() with SV_E_INVALID and
 * returns NULL. */
#ifndef SALVAGE_SVC_DYNAMODB_H
#define SALVAGE_SVC_DYNAMODB_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"
#include "util/time.h"

/* ---- ListTables (ExclusiveStartTableName / LastEvaluatedTableName) ---- */

struct ddb_list_tables_req {
	const char	*exclusive_start;	/* start after this table name */
	long long	 limit;			/* per page, 1..100; 0: service default */
};

struct ddb_tables_page {
	const char *const	*names;
	size_t			 n;
	const char		*last_evaluated;	/* NULL on the last page */
};

typedef bool (*ddb_tables_page_fn)(void *, const struct ddb_tables_page *);

/* req may be NULL. */
struct svc_op	*ddb_list_tables(struct aws_client *, const struct ddb_list_tables_req *,
		    ddb_tables_page_fn, svc_done_fn, void *);

/* ---- DescribeTable ---- */

struct ddb_key {
	const char	*attr;		/* AttributeName */
	const char	*key_type;	/* "HASH" | "RANGE" */
	const char	*attr_type;	/* "S" | "N" | "B" from AttributeDefinitions, NULL if not defined */
};

struct ddb_table {
	const char		*name;
	const char		*arn;
	const char		*id;		/* TableId */
	const char		*status;	/* CREATING | UPDATING | DELETING | ACTIVE | ... */
	sv_time			 created;	/* CreationDateTime */
	long long		 item_count;	/* refreshed ~6 h: not for verification */
	long long		 size_bytes;
	const char		*billing_mode;	/* PROVISIONED (also when BillingModeSummary is absent) | PAY_PER_REQUEST */
	const struct ddb_key	*keys;		/* KeySchema, HASH first as sent */
	size_t			 n_keys;
	long long		 rcu;		/* ProvisionedThroughput, -1 if absent */
	long long		 wcu;
	const char *const	*gsis;		/* GlobalSecondaryIndexes/IndexName */
	size_t			 n_gsis;
	const char *const	*lsis;		/* LocalSecondaryIndexes/IndexName */
	size_t			 n_lsis;
	bool			 stream_enabled;
	const char		*stream_view_type;	/* NULL when no stream */
	const char		*stream_arn;		/* LatestStreamArn or NULL */
	const char		*sse_status;	/* SSEDescription/Status or NULL (AWS owned key) */
	const char		*sse_type;	/* KMS | AES256 | NULL */
	const char		*sse_kms_key_arn;
	bool			 deletion_protection;
	const char		*table_class;	/* TableClassSummary/TableClass; NULL: STANDARD */
	/* RestoreSummary: present when the table was created by a restore. */
	bool			 restored;
	const char		*restore_source_backup_arn;
	const char		*restore_source_table_arn;
	sv_time			 restore_time;	/* RestoreDateTime */
	bool			 restore_in_progress;
	long long		 n_replicas;	/* Replicas (global tables), 0 if none */
};

typedef bool (*ddb_table_fn)(void *, const struct ddb_table *);

/* A missing table is SV_E_NOTFOUND (ResourceNotFoundException). */
struct svc_op	*ddb_describe_table(struct aws_client *, const char *table,
		    ddb_table_fn, svc_done_fn, void *);

/* ---- DescribeContinuousBackups ---- */

struct ddb_continuous_backups {
	const char	*status;		/* ContinuousBackupsStatus: ENABLED | DISABLED */
	const char	*pitr_status;		/* PointInTimeRecoveryStatus: ENABLED | DISABLED | NULL */
	bool		 pitr_enabled;		/* pitr_status is ENABLED */
	sv_time		 earliest;		/* EarliestRestorableDateTime */
	sv_time		 latest;		/* LatestRestorableDateTime */
	long long	 recovery_period_days;	/* RecoveryPeriodInDays, -1 when absent */
};

typedef bool (*ddb_continuous_backups_fn)(void *, const struct ddb_continuous_backups *);

struct svc_op	*ddb_describe_continuous_backups(struct aws_client *, const char *table,
		    ddb_continuous_backups_fn, svc_done_fn, void *);

/* ---- ListBackups ---- */

enum ddb_backup_kind {
	/* Every kind: USER, then SYSTEM, then AWS_BACKUP listings in sequence
	 * into the same callbacks (the API's ALL omits AWS_BACKUP). */
	DDB_BACKUPS_EVERY = 0,
	DDB_BACKUPS_USER,
	DDB_BACKUPS_SYSTEM,
	DDB_BACKUPS_AWS_BACKUP,
	DDB_BACKUPS_ALL		/* the API's ALL: USER + SYSTEM */
};

struct ddb_list_backups_req {
	const char		*table;		/* NULL: every table */
	enum ddb_backup_kind	 kind;
	/* Backups created in [time_from, time_to]; 0 or SV_TIME_NONE: no bound. */
	sv_time			 time_from;
	sv_time			 time_to;
	long long		 limit;		/* per page; 0: service default */
};

struct ddb_backup {
	const char	*arn;
	const char	*name;
	const char	*table_name;
	const char	*table_arn;
	const char	*table_id;
	const char	*status;	/* CREATING | DELETED | AVAILABLE */
	const char	*type;		/* USER | SYSTEM | AWS_BACKUP */
	sv_time		 created;	/* BackupCreationDateTime */
	sv_time		 expiry;	/* BackupExpiryDateTime (SYSTEM backups) */
	long long	 size_bytes;
};

struct ddb_backups_page {
	const struct ddb_backup	*backups;
	size_t			 n;
	const char		*last_evaluated;	/* LastEvaluatedBackupArn or NULL */
};

typedef bool (*ddb_backups_page_fn)(void *, const struct ddb_backups_page *);

/* req may be NULL (every kind, every table). */
struct svc_op	*ddb_list_backups(struct aws_client *, const struct ddb_list_backups_req *,
		    ddb_backups_page_fn, svc_done_fn, void *);
/* The same as ddb_list_backups with kind DDB_BACKUPS_EVERY. */
struct svc_op	*ddb_list_all_backups(struct aws_client *, const char *table,
		    ddb_backups_page_fn, svc_done_fn, void *);

/* ---- Parsers from memory (unit tests, fuzzers) ----
 * Each parses one JSON response body and calls fn once. A body carrying
 * "__type" is an error named by its code; invalid JSON or a missing
 * required member is SV_E_PARSE. */

sv_result	 ddb_parse_tables_page(const char *json, size_t len,
		    ddb_tables_page_fn, void *data, struct sv_err *);
sv_result	 ddb_parse_table(const char *json, size_t len,
		    ddb_table_fn, void *data, struct sv_err *);
sv_result	 ddb_parse_continuous_backups(const char *json, size_t len,
		    ddb_continuous_backups_fn, void *data, struct sv_err *);
sv_result	 ddb_parse_backups_page(const char *json, size_t len,
		    ddb_backups_page_fn, void *data, struct sv_err *);

#endif
