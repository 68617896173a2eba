/* ddb-restore.h - DynamoDB restores: RestoreTableToPointInTime (to a time,
 * or UseLatestRestorableTime) and RestoreTableFromBackup. Both always
 * create a NEW table. Mutating: they go through the client's read-only
 * check and audit gate. The service's refusals are mapped to messages
 * that say what to do (TableAlreadyExistsException -> SV_E_EXISTS,
 * InvalidRestoreTimeException and PointInTimeRecoveryUnavailableException
 * -> SV_E_INVALID, LimitExceededException -> SV_E_THROTTLED, a missing
 * source table or backup -> SV_E_NOTFOUND). */
#ifndef SALVAGE_SVC_DDB_RESTORE_H
#define SALVAGE_SVC_DDB_RESTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "util/time.h"

struct ddb_restore_req {
	const char	*source_table;	/* PITR: SourceTableName */
	const char	*backup_arn;	/* from a backup: BackupArn; NULL: PITR */
	const char	*target;	/* TargetTableName */
	bool		 latest;	/* PITR: UseLatestRestorableTime */
	sv_time		 time;		/* PITR: RestoreDateTime (epoch seconds, ms kept) */
};

/* The TableDescription of the response. */
struct ddb_restore_desc {
	char	*table;		/* TableName */
	char	*arn;		/* TableArn */
	char	*status;	/* TableStatus (CREATING) */
	char	 request_id[128];
};

void		 ddb_restore_desc_free(struct ddb_restore_desc *);

typedef void (*ddb_restore_done_fn)(void *, sv_result, const struct sv_err *,
		    const struct ddb_restore_desc *);

/* The call exactly as it is sent (operation, JSON body, audit target);
 * the body is allocated (free it). Used for sending and for showing the
 * plan's parameters (params: the body's members as strings). */
char		*ddb_restore_body(const struct ddb_restore_req *, enum aws_op_id *op);
void		 ddb_restore_params(const struct ddb_restore_req *, struct aws_kvlist *);
struct aws_pending *ddb_restore(struct aws_client *, const struct ddb_restore_req *,
		    ddb_restore_done_fn, void *);
sv_result	 ddb_restore_sync(struct aws_client *, const struct ddb_restore_req *,
		    struct ddb_restore_desc *out, struct sv_err *);
/* Parses a restore response body (TableDescription). */
sv_result	 ddb_parse_restore(const char *json, size_t len, struct ddb_restore_desc *,
		    struct sv_err *);
/* The message for a failed restore response: (code, the service's
 * message) -> result and a sentence naming what to do. */
sv_result	 ddb_restore_error(const struct ddb_restore_req *, const char *aws_code,
		    sv_result, const char *msg, struct sv_err *);

#endif
