/* backup.h - on-demand backups: a DynamoDB backup (CreateBackup) or an RDS
 * snapshot of an instance (CreateDBSnapshot) or a cluster
 * (CreateDBClusterSnapshot). Planned first (the resource exists, the name
 * is valid and not taken: read-only calls only), then started (the one
 * mutating call, through the client's --operate check and audit gate),
 * then polled until it is available. Used by `salvage backup`,
 * `salvage snapshot` and the TUI's backup key. */
#ifndef SALVAGE_CORE_BACKUP_H
#define SALVAGE_CORE_BACKUP_H

#include <stdbool.h>

#include "aws/client.h"
#include "util/err.h"

enum core_backup_kind {
	CORE_BACKUP_DYNAMODB,		/* dynamodb://TABLE */
	CORE_BACKUP_RDS,		/* rds://INSTANCE */
	CORE_BACKUP_RDS_CLUSTER		/* rds-cluster://CLUSTER */
};

struct core_backup_plan {
	enum core_backup_kind	 kind;
	char			*uri;		/* "dynamodb://orders" */
	char			*source;	/* table / instance / cluster id */
	char			*name;		/* the backup's or snapshot's name */
	const char		*operation;	/* "CreateBackup", ... */
	const char		*what;		/* "DynamoDB backup", "DB snapshot", ... */
	/* One line: "create DynamoDB backup 'b1' of table orders
	 * (dynamodb://orders) with CreateBackup". */
	char			*summary;
};

/* Validates and checks (read-only requests): the URI names one table /
 * instance / cluster (allow: which kinds the caller accepts, a bitmask of
 * 1 << kind), it exists, the name is valid and no backup / snapshot has
 * it yet (SV_E_EXISTS). */
sv_result	 core_backup_plan(struct aws_client *, const char *uri,
		    const char *name, unsigned allow, struct core_backup_plan *,
		    struct sv_err *);
void		 core_backup_plan_free(struct core_backup_plan *);

struct core_backup_status {
	char		*id;		/* backup ARN / snapshot identifier */
	char		*arn;
	char		*status;	/* as AWS says it (CREATING, available ...) */
	long long	 progress;	/* percent, -1 if unknown */
	bool		 available;	/* done */
	bool		 failed;	/* a terminal state other than available */
	char		 request_id[128];	/* of the create call */
};

/* Sends the create call. Refused without --operate (SV_E_READONLY) or
 * when the audit intent cannot be made durable (SV_E_AUDIT). */
sv_result	 core_backup_start(struct aws_client *, const struct core_backup_plan *,
		    struct core_backup_status *, struct sv_err *);
/* One status request (DescribeBackup / DescribeDB(Cluster)Snapshots);
 * updates st. */
sv_result	 core_backup_poll(struct aws_client *, const struct core_backup_plan *,
		    struct core_backup_status *, struct sv_err *);
void		 core_backup_status_free(struct core_backup_status *);
/* Delay before poll number n (0-based): 2 s doubling to 30 s. */
int		 core_backup_poll_delay_ms(int n);
/* Name rules (also used by the TUI's prompt): DynamoDB 3-255 of
 * [A-Za-z0-9_.-]; RDS 1-255 letters, digits, hyphens, starting with a
 * letter, no "--", not ending in '-'. */
bool		 core_backup_valid_name(enum core_backup_kind, const char *,
		    struct sv_err *);

#endif
