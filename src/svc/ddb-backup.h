/* ddb-backup.h - DynamoDB on-demand backups: CreateBackup (mutating: goes
 * through the client's read-only check and audit gate) and DescribeBackup
 * (for waiting until it is AVAILABLE). Asynchronous through aws_send,
 * with _sync wrappers that run the engine until the call is done. */
#ifndef SALVAGE_SVC_DDB_BACKUP_H
#define SALVAGE_SVC_DDB_BACKUP_H

#include <stddef.h>

#include "aws/client.h"
#include "util/time.h"

/* BackupDetails (+ the table from SourceTableDetails when described). */
struct ddb_backup_desc {
	char		*arn;
	char		*name;
	char		*status;	/* CREATING | AVAILABLE | DELETED */
	char		*type;		/* USER | SYSTEM | AWS_BACKUP */
	char		*table;		/* NULL if not in the response */
	sv_time		 created;
	long long	 size_bytes;	/* -1 if absent */
	char		 request_id[128];
};

void		 ddb_backup_desc_free(struct ddb_backup_desc *);

typedef void (*ddb_backup_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct ddb_backup_desc *);

struct aws_pending *ddb_create_backup(struct aws_client *, const char *table,
		    const char *name, ddb_backup_done_fn, void *);
struct aws_pending *ddb_describe_backup(struct aws_client *, const char *arn,
		    ddb_backup_done_fn, void *);
/* Synchronous forms: *out is filled on success (free it). */
sv_result	 ddb_create_backup_sync(struct aws_client *, const char *table,
		    const char *name, struct ddb_backup_desc *out, struct sv_err *);
sv_result	 ddb_describe_backup_sync(struct aws_client *, const char *arn,
		    struct ddb_backup_desc *out, struct sv_err *);

/* Parses a CreateBackup or DescribeBackup response body. */
sv_result	 ddb_parse_backup(const char *json, size_t len,
		    struct ddb_backup_desc *, struct sv_err *);

#endif
