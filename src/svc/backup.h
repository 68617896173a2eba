/* backup.h - AWS Backup reads: ListBackupVaults,
 * ListRecoveryPointsByBackupVault and ListRecoveryPointsByResource
 * (rest-json), every page. Restores: svc/backup-restore.h. */
#ifndef SALVAGE_SVC_BACKUP_H
#define SALVAGE_SVC_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"
#include "util/time.h"

/* Strings are valid during the page callback only. */
struct backup_vault {
	const char	*name;
	const char	*arn;
	const char	*type;		/* BACKUP_VAULT, LOGICALLY_AIR_GAPPED_... or NULL */
	sv_time		 created;
	long long	 recovery_points;	/* NumberOfRecoveryPoints; -1 unknown */
	bool		 locked;		/* Vault Lock */
};

struct backup_vaults_page {
	const struct backup_vault *v;
	size_t			 n;
	const char		*next_token;	/* NULL on the last page */
};

struct backup_recovery_point {
	const char	*arn;			/* RecoveryPointArn */
	const char	*vault;			/* BackupVaultName */
	const char	*resource_arn;
	const char	*resource_type;		/* DynamoDB, RDS, S3, EBS ... */
	const char	*resource_name;
	const char	*status;		/* COMPLETED, PARTIAL, ... */
	const char	*status_message;
	sv_time		 created;		/* CreationDate */
	sv_time		 completed;		/* CompletionDate or SV_TIME_NONE */
	long long	 size;			/* BackupSizeInBytes; -1 unknown */
	bool		 encrypted;
};

struct backup_points_page {
	const struct backup_recovery_point *v;
	size_t			 n;
	const char		*next_token;
};

typedef bool (*backup_vaults_page_fn)(void *, const struct backup_vaults_page *);
typedef bool (*backup_points_page_fn)(void *, const struct backup_points_page *);

struct svc_op	*backup_list_vaults(struct aws_client *, backup_vaults_page_fn,
		    svc_done_fn, void *);
struct svc_op	*backup_list_recovery_points(struct aws_client *,
		    const char *vault, backup_points_page_fn, svc_done_fn, void *);
/* The recovery points of one resource, in whichever vaults they are. */
struct svc_op	*backup_list_recovery_points_by_resource(struct aws_client *,
		    const char *resource_arn, backup_points_page_fn, svc_done_fn,
		    void *);

/* Parsers from memory (unit tests, fuzzers): one response body, fn called
 * once. Invalid JSON or a member of the wrong type is SV_E_PARSE. */
sv_result	 backup_parse_vaults_page(const char *, size_t,
		    backup_vaults_page_fn, void *, struct sv_err *);
sv_result	 backup_parse_points_page(const char *, size_t,
		    backup_points_page_fn, void *, struct sv_err *);

#endif
