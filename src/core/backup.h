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
/* ---- asynchronous forms (the TUI; the functions above run these until
 * they are done) ----
 *
 * Each starts an operation driven by the client's HTTP engine and calls
 * done exactly once with the outcome. done may run before the start
 * function returns (a validation error, a request refused at once); the
 * start function then returns NULL, else the op, which is valid until
 * done has been called. The plan, status and strings given must outlive
 * the op. */
struct core_backup_op;

typedef void (*core_backup_done_fn)(void *, sv_result, const struct sv_err *);

/* core_backup_plan with a client: *out is filled on SV_OK, freed and
 * zeroed otherwise. */
struct core_backup_op *core_backup_plan_async(struct aws_client *, const char *uri,
		    const char *name, unsigned allow, struct core_backup_plan *out,
		    core_backup_done_fn, void *);
/* core_backup_start: st is filled (request_id too) on SV_OK. */
struct core_backup_op *core_backup_start_async(struct aws_client *,
		    const struct core_backup_plan *, struct core_backup_status *,
		    core_backup_done_fn, void *);
/* core_backup_poll: one status request; st is updated on SV_OK. */
struct core_backup_op *core_backup_poll_async(struct aws_client *,
		    const struct core_backup_plan *, struct core_backup_status *,
		    core_backup_done_fn, void *);
/* Stops what is in flight (a create call already sent goes on in AWS);
 * done is called with SV_E_CANCELLED before this returns. */
void		 core_backup_op_cancel(struct core_backup_op *);

/* Delay before poll number n (0-based): 2 s doubling to 30 s. */
int		 core_backup_poll_delay_ms(int n);
/* Name rules (also used by the TUI's prompt): DynamoDB 3-255 of
 * [A-Za-z0-9_.-]; RDS 1-255 letters, digits, hyphens, starting with a
 * letter, no "--", not ending in '-'. */
bool		 core_backup_valid_name(enum core_backup_kind, const char *,
		    struct sv_err *);

#endif
