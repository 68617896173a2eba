/* restore.h - restores, the shared contract: a restore is REQUESTED
 * (struct restore_request: what the operator asked), PLANNED (struct
 * restore_plan: validated with read-only calls only, the chosen point,
 * the data loss, the exact AWS calls, what will not be carried over),
 * shown and confirmed by a front end, EXECUTED (the mutating calls, each
 * through the client's --operate check and audit gate) and WAITED for
 * (polled until the target is usable). The TUI, the CLI and runbooks all
 * run this same code.
 *
 * Every entry point is asynchronous: it starts a struct restore_op
 * driven by the HTTP engine and calls its done callback exactly once
 * (never from inside the start function). Waiting between polls is a
 * timer the op asks for: a front end's poll loop includes
 * restore_op_timeout_ms() in its timeout and calls restore_op_tick() when
 * it expires (as it does for audit_session_timeout_ms/tick). The _sync
 * wrappers run the engine and sleep until done (the CLI's way).
 *
 * Kinds: restore.c does what every kind shares (choosing the kind from
 * the URI and the request, the point and the data loss through
 * core/points.h, the target check, notes, JSON, the op machinery); each
 * kind implements struct restore_kind_ops: restore-ddb.c (ddb-pitr,
 * ddb-backup), restore-rds.c (rds-pitr, rds-snapshot, rds-cluster-pitr),
 * restore-s3.c (s3-version, s3-undelete, s3-prefix), restore-backup.c
 * (backup-recovery-point: an AWS Backup recovery point of a DynamoDB
 * table or an RDS DB instance, through StartRestoreJob).
 *
 * Target names: DynamoDB and RDS restores always create a NEW table /
 * instance / cluster. Without --target salvage chooses
 * "<source>-restored-<YYYYMMDDHHMM>" (UTC, planning time; shortened to
 * fit the service's limit) and the plan says so. A target that exists is
 * refused (SV_E_EXISTS), also with overwrite set: neither service can
 * restore onto an existing resource. An S3 version restore writes a new
 * current version of the same key by design (history is kept). */
#ifndef SALVAGE_CORE_RESTORE_H
#define SALVAGE_CORE_RESTORE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "aws/client.h"
#include "core/points.h"
#include "core/resource.h"
#include "util/err.h"
#include "util/jsonw.h"
#include "util/time.h"

struct conf;

/* ---- kinds ---- */

enum restore_kind {
	RESTORE_DDB_PITR,		/* RestoreTableToPointInTime */
	RESTORE_DDB_BACKUP,		/* RestoreTableFromBackup */
	RESTORE_RDS_PITR,		/* RestoreDBInstanceToPointInTime */
	RESTORE_RDS_SNAPSHOT,		/* RestoreDBInstanceFromDBSnapshot */
	RESTORE_RDS_CLUSTER_PITR,	/* RestoreDBClusterToPointInTime + CreateDBInstance */
	RESTORE_S3_VERSION,		/* CopyObject (UploadPartCopy > 5 GB) onto the same key */
	RESTORE_S3_UNDELETE,		/* DeleteObject of the delete marker on top */
	RESTORE_S3_PREFIX,		/* every key under a prefix back to its state at TIME */
	RESTORE_RDS_CLUSTER_SNAPSHOT,	/* RestoreDBClusterFromSnapshot + CreateDBInstance */
	RESTORE_BACKUP_POINT,		/* AWS Backup StartRestoreJob of a recovery point */
	RESTORE_KIND__COUNT
};

/* "ddb-pitr", "ddb-backup", "rds-pitr", "rds-snapshot",
 * "rds-cluster-pitr", "s3-version", "s3-undelete", "s3-prefix",
 * "rds-cluster-snapshot", "backup-recovery-point". */
const char	*restore_kind_name(enum restore_kind);
/* A kind that creates a DB cluster (and then its first instance). */
bool		 restore_kind_cluster(enum restore_kind);

/* ---- the request: what the operator asked ---- */

/* RDS settings a restore can carry over from the source (the API's
 * default is to drop them: default security group, default subnet
 * group, default parameter group, single-AZ). */
#define RESTORE_CARRY_SECURITY_GROUPS	0x01u	/* VpcSecurityGroupIds */
#define RESTORE_CARRY_SUBNET_GROUP	0x02u	/* DBSubnetGroupName */
#define RESTORE_CARRY_PARAMETER_GROUP	0x04u	/* DBParameterGroupName / DBClusterParameterGroupName */
#define RESTORE_CARRY_MULTI_AZ		0x08u	/* MultiAZ */
#define RESTORE_CARRY_ALL		0x0fu

/* Parses "security-groups,subnet-group,parameter-group,multi-az" or
 * "all" or "none" into *out (SV_E_USAGE naming the bad word). */
sv_result	 restore_carry_parse(const char *, unsigned *out, struct sv_err *);
/* "security-groups,subnet-group" ("none" for 0); static buffer-free:
 * writes into out. */
void		 restore_carry_format(unsigned, char *out, size_t outsz);

/* Zero-initialize, then restore_request_init (times to SV_TIME_NONE).
 * Strings are borrowed: the plan copies what it keeps. Exactly one point
 * is given: latest, to, backup, snapshot, version, undelete or
 * recovery_point. */
struct restore_request {
	const char	*uri;		/* the source: dynamodb://T, rds://I, rds-cluster://C, s3://B/K, s3://B/P/, backup://VAULT */
	bool		 latest;	/* --to latest (UseLatestRestorableTime) */
	sv_time		 to;		/* --to TIME (core/timespec.h), SV_TIME_NONE if not given */
	const char	*backup;	/* --backup ARN (DynamoDB) */
	const char	*snapshot;	/* --snapshot ID (RDS instance or cluster snapshot) */
	const char	*version;	/* --version VID (S3 object) */
	/* --recovery-point ARN: from backup://VAULT, or of dynamodb://T or
	 * rds://I (its vault is looked up). A DynamoDB --backup that is a
	 * recovery point ARN is restored the same way. */
	const char	*recovery_point;
	const char	*iam_role;	/* --iam-role ARN (AWS Backup); NULL: the role that made the point */
	bool		 undelete;	/* salvage undelete s3://B/K: the delete marker on top */
	const char	*target;	/* --target NAME; NULL: the default name (above) */
	/* The operator named an existing target and asked to restore onto
	 * it. DynamoDB and RDS cannot: refused with a message saying so. */
	bool		 overwrite;
	unsigned	 carry;		/* RESTORE_CARRY_* (RDS), default 0 */
	bool		 delete_new;	/* s3-prefix: keys created after TIME get a delete marker */
	bool		 dry_run;	/* s3-prefix: plan only (front ends never execute it) */
	sv_time		 incident;	/* --incident TIME: data loss measured to it; SV_TIME_NONE: to now */
	int64_t		 rto_target_ms;	/* from the config's rto_target (minutes); 0: none */
	sv_time		 now;		/* planning clock; SV_TIME_NONE: sv_time_now() (tests fix it) */
};

void		 restore_request_init(struct restore_request *);
/* The config file's rto_target (minutes, 1..10080) in ms into *ms (0
 * when absent); SV_E_CONFIG when malformed. cf may be NULL. */
sv_result	 restore_conf_rto(const struct conf *, int64_t *ms, struct sv_err *);

/* ---- the plan ---- */

/* What one step does to its key (s3-prefix: one step per key). Every
 * other kind's steps are RESTORE_ACT_CALL. */
enum restore_action {
	RESTORE_ACT_CALL,		/* an AWS call (DynamoDB, RDS, S3 version/undelete) */
	RESTORE_ACT_RESTORE_VERSION,	/* "restore-version": copy the version current at TIME on top */
	RESTORE_ACT_UNDELETE,		/* "undelete": remove the delete marker(s) made after TIME */
	RESTORE_ACT_DELETE_NEW,		/* "delete-new": created after TIME, --delete-new: a delete marker */
	RESTORE_ACT_LEAVE_NEW,		/* "leave-new": created after TIME, left alone (no call) */
	RESTORE_ACT_UNCHANGED		/* "unchanged": already as it was at TIME (no call) */
};

/* "call", "restore-version", "undelete", "delete-new", "leave-new",
 * "unchanged". */
const char	*restore_action_name(enum restore_action);

/* One AWS call the plan will make (or, for leave-new/unchanged, one key
 * it will not touch: op is OP__COUNT). */
struct restore_step {
	enum aws_op_id		 op;		/* OP__COUNT: no call */
	enum restore_action	 action;
	char			*target;	/* what it acts on: "dynamodb://orders-restored", "s3://b/k" */
	char			*summary;	/* one line, for people */
	/* The request parameters as they will be sent (display and JSON;
	 * the svc layer builds them with the same function that sends). */
	struct aws_kvlist	 params;
	/* s3-prefix (NULL otherwise): the key, the version copied on top
	 * or the delete marker removed. */
	char			*key;
	char			*version_id;
};

struct restore_plan {
	enum restore_kind	 kind;
	const struct restore_kind_ops *ops;
	struct resource		 source;	/* parsed source URI */
	char			*source_uri;	/* canonical */
	/* What the target is a copy of, for verify and drift: source_uri,
	 * or (backup-recovery-point) the resource the point protects. */
	char			*origin_uri;
	char			*target;	/* table / instance / cluster id; S3: the key */
	char			*target_uri;	/* "dynamodb://orders-restored", "s3://b/k" */
	bool			 target_default;	/* chosen by salvage (no --target) */

	/* The point. */
	enum restore_method	 method;	/* RESTORE_PITR or RESTORE_POINT */
	bool			 latest;	/* UseLatestRestorableTime */
	sv_time			 requested;	/* the time asked for; SV_TIME_NONE for a point */
	sv_time			 time;		/* the state restored (PITR time, latest edge, point time) */
	char			*point_id;	/* backup ARN, snapshot id, version id; NULL for PITR */
	enum point_kind		 point_kind;	/* when point_id is set */
	struct pitr_window	 window;	/* the source's window, as planned against */

	/* Data loss: writes in (time, reference] are not in the restore. */
	sv_time			 reference;	/* the incident time, or now */
	bool			 reference_incident;
	int64_t			 loss_ms;	/* -1: not known */
	bool			 loss_uncertain;	/* a window edge was unknown, or "latest" */

	unsigned		 carry;		/* RESTORE_CARRY_* (RDS) */
	bool			 delete_new, dry_run;
	int64_t			 rto_target_ms;	/* 0: none */
	sv_time			 planned_at;

	struct restore_step	*steps;		/* in the order they are made */
	size_t			 nsteps, capsteps;
	/* Notes: what the restored resource will NOT have (said before
	 * anything happens). Warnings: what the operator should think about. */
	char			**notes;
	size_t			 nnotes;
	char			**warnings;
	size_t			 nwarnings;

	/* The kind's own data (typed svc requests, the source's settings,
	 * the s3-prefix key list), freed with kdata_free. */
	void			*kdata;
	void			(*kdata_free)(void *);
};

/* The pure half of planning (no I/O; unit-tested). Parses the URI,
 * chooses the kind from the scheme and the point given, checks that the
 * options fit the kind (SV_E_USAGE) and the target name (SV_E_USAGE),
 * and fills the default target. *out is NULL on failure. */
sv_result	 restore_plan_new(const struct restore_request *,
		    struct restore_plan **out, struct sv_err *);
void		 restore_plan_free(struct restore_plan *);
/* The time asked for (req->to or latest) against the source's point set:
 * inside the window: PITR to it, no loss to it; latest: PITR to the
 * window's latest edge. Outside the window (or no PITR): SV_E_INVALID
 * naming the window (earliest and latest, UTC) and, through
 * point_set_choose, the nearest earlier backup/snapshot to use instead. */
sv_result	 restore_plan_choose_time(struct restore_plan *, const struct point_set *,
		    struct sv_err *);
/* A discrete point: it exists (NULL: SV_E_NOTFOUND), is of the right
 * kind and usable (SV_E_INVALID naming its status). */
sv_result	 restore_plan_choose_point(struct restore_plan *, const struct point *,
		    struct sv_err *);
/* Sets reference and loss_ms from plan->time, req->incident / now; warns
 * when the restored state is after the incident. */
void		 restore_plan_set_loss(struct restore_plan *, const struct restore_request *);
/* The target: exists -> SV_E_EXISTS naming it and saying to choose
 * another --target (with overwrite: that the service cannot restore
 * onto an existing resource). */
sv_result	 restore_plan_check_target(struct restore_plan *, bool exists,
		    const char *status, struct sv_err *);
/* The kind's standing notes (DynamoDB: TTL, streams, PITR, tags, auto
 * scaling, IAM policies, alarms; RDS: what is dropped unless carried). */
void		 restore_plan_add_notes(struct restore_plan *);

/* Building a plan (kinds). Steps are returned zeroed but for what is
 * given; the pointer is valid until the next add. */
struct restore_step *restore_plan_add_step(struct restore_plan *, enum aws_op_id,
		    enum restore_action, const char *target, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
void		 restore_plan_note(struct restore_plan *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 restore_plan_warn(struct restore_plan *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* Mutating calls in the plan (0: nothing would change: a dry run or an
 * s3-prefix plan with nothing to do). */
size_t		 restore_plan_mutations(const struct restore_plan *);

/* The plan as JSON (--json, and the audit note written before the
 * confirmation):
 *   {"kind","source","target","target_default","method","point":{"time",
 *    "latest","requested","id","kind"},"window":{"status","earliest",
 *    "latest"},"data_loss":{"reference","reference_is_incident","ms",
 *    "text","uncertain"},"carry":[...],"rto_target_ms","steps":[{"op",
 *    "action","target","summary","params":{...},"key","version_id"}],
 *   "mutating_calls","notes":[...],"warnings":[...]} */
void		 restore_plan_json(const struct restore_plan *, struct jsonw *);
/* The same document as a cJSON tree (for audit_note). */
cJSON		*restore_plan_cjson(const struct restore_plan *);

/* ---- the outcome ---- */

struct restore_step_result {
	bool		 done;		/* the call was made (or skipped on purpose) */
	sv_result	 result;
	char		*message;	/* error, or NULL */
	char		*detail;	/* new version id, created ARN ..., or NULL */
	char		 request_id[128];
};

struct restore_outcome {
	sv_result	 result;	/* of execute (and wait, once waited) */
	struct sv_err	 err;
	struct restore_step_result *steps;	/* parallel to plan->steps */
	size_t		 nsteps;
	size_t		 ok, failed, skipped;	/* step counts */
	char		*target_arn;	/* the created table / instance / cluster */
	char		*status;	/* the last status seen (CREATING, ACTIVE, available) */
	int		 percent;	/* -1: the service reports none */
	bool		 executed;	/* every mutating call was sent */
	bool		 usable;	/* the wait saw the target usable */
	bool		 failed_state;	/* the target reached a terminal bad state */
	bool		 waited;
	bool		 wait_stopped;	/* waiting was cancelled; the restore goes on */
	sv_time		 started;	/* first mutating call sent */
	sv_time		 finished;	/* seen usable */
	int64_t		 elapsed_ms;	/* started .. usable (or .. now while waiting) */
};

/* A restore still under way (not waited for, or waiting stopped): what
 * to name ("restore job ID" for AWS Backup, else the target's URI) and
 * how to check on it later (a command line), into the buffers. */
void		 restore_in_progress(const struct restore_plan *,
		    const struct restore_outcome *, char *what, size_t whatsz,
		    char *how, size_t howsz);
void		 restore_outcome_init(struct restore_outcome *);
void		 restore_outcome_free(struct restore_outcome *);
/* Records step i's result (kinds). */
void		 restore_outcome_step(struct restore_outcome *, size_t i, sv_result,
		    const struct sv_err *, const char *request_id, const char *detail);
/* {"result","error","executed","target_arn","status","usable","waited",
 *  "wait_stopped","started","finished","elapsed_ms","rto_target_ms",
 *  "rto_met","ok","failed","skipped","steps":[{"target","result",
 *  "error","detail","request_id"}]} */
void		 restore_outcome_json(const struct restore_plan *,
		    const struct restore_outcome *, struct jsonw *);
cJSON		*restore_outcome_cjson(const struct restore_plan *,
		    const struct restore_outcome *);

/* ---- progress ---- */

struct restore_progress {
	const char	*phase;		/* "plan", "execute", "wait" */
	size_t		 done, total;	/* steps sent / total (execute) */
	const char	*status;	/* the service's word (CREATING, available), or NULL */
	int		 percent;	/* -1: not reported */
	int64_t		 elapsed_ms;	/* since the first mutating call */
	int64_t		 rto_target_ms;	/* 0: none */
	const char	*message;	/* one line: "DescribeTable orders-restored: CREATING" */
};

typedef void (*restore_progress_fn)(void *, const struct restore_progress *);
/* plan: the caller's on success (restore_plan_free), NULL on failure. */
typedef void (*restore_plan_done_fn)(void *, struct restore_plan *plan, sv_result,
		    const struct sv_err *);
typedef void (*restore_done_fn)(void *, struct restore_outcome *, sv_result,
		    const struct sv_err *);

/* ---- operations ---- */

struct restore_op;

/* Builds and validates a plan with read-only calls only: the source
 * exists, the time is inside the window (else refused naming earliest
 * and latest), the backup / snapshot / version exists and is available,
 * the target name is valid and free. Returns NULL when it failed before
 * anything was started (done was not called; err says why): a usage
 * error. */
struct restore_op *restore_plan_build(struct aws_client *, const struct restore_request *,
		    restore_plan_done_fn, void *, struct sv_err *);
/* The mutating calls of plan (kept by the caller until done), in order,
 * each through the client's gate (refused with SV_E_READONLY without
 * --operate, SV_E_AUDIT when the intent cannot be made durable: then
 * nothing was sent). outcome (restore_outcome_init) is filled. A plan
 * with dry_run set is refused (SV_E_INVALID). */
struct restore_op *restore_execute(struct aws_client *, const struct restore_plan *,
		    struct restore_outcome *, restore_progress_fn, restore_done_fn, void *);
/* Polls until the target is usable (DescribeTable ACTIVE, DB instance /
 * cluster available, copy complete), reporting progress. Cancelling it
 * (restore_op_cancel) only stops waiting: outcome->wait_stopped, done
 * with SV_E_CANCELLED; the restore continues in AWS. */
struct restore_op *restore_wait(struct aws_client *, const struct restore_plan *,
		    struct restore_outcome *, restore_progress_fn, restore_done_fn, void *);

/* For a poll loop: ms until the op wants restore_op_tick (-1: it is
 * waiting for a request, the engine will drive it). */
int		 restore_op_timeout_ms(const struct restore_op *);
void		 restore_op_tick(struct restore_op *);
/* Cancels: done is called (SV_E_CANCELLED) before this returns; the op
 * is invalid afterwards. Execute: no further call is started (calls in
 * flight complete in AWS). Wait: stops waiting, never the restore. */
void		 restore_op_cancel(struct restore_op *);

/* The CLI's way: run the engine (and sleep between polls) until done.
 * stop (may be NULL) is checked at least every second: when it becomes
 * non-zero (Ctrl-C), the op is cancelled (restore_op_cancel: execute
 * starts no further call, wait stops waiting and the restore goes on)
 * and SV_E_CANCELLED is returned. */
sv_result	 restore_plan_build_sync(struct aws_client *, const struct restore_request *,
		    struct restore_plan **out, struct sv_err *);
sv_result	 restore_execute_sync(struct aws_client *, const struct restore_plan *,
		    struct restore_outcome *, restore_progress_fn, void *,
		    const volatile sig_atomic_t *stop, struct sv_err *);
sv_result	 restore_wait_sync(struct aws_client *, const struct restore_plan *,
		    struct restore_outcome *, restore_progress_fn, void *,
		    const volatile sig_atomic_t *stop, struct sv_err *);

/* ---- kind implementations ---- */

/* What a kind implements. Each function starts work for op and, when it
 * is over (possibly after many requests and timers), calls
 * restore_op_finish exactly once. They never block. */
struct restore_kind_ops {
	/* op->plan is new (restore_plan_new: kind, source, target, request
	 * fields copied), op->req the request (a copy). Validate with
	 * read-only calls, fill the point, loss, steps, notes, warnings. */
	void	(*build)(struct restore_op *);
	/* Send the plan's mutating calls (op->plan, op->outcome). */
	void	(*execute)(struct restore_op *);
	/* Poll until usable (op->plan, op->outcome); NULL: usable as soon
	 * as executed (the generic code finishes at once). */
	void	(*wait)(struct restore_op *);
	/* Optional: stop what is in flight (the generic code cancels
	 * op->pending / op->svc first and drops any timer). */
	void	(*cancel)(struct restore_op *);
	/* Optional: extra members in the plan's JSON ("prefix": counts). */
	void	(*json)(const struct restore_plan *, struct jsonw *);
};

extern const struct restore_kind_ops restore_ddb_pitr_ops;
extern const struct restore_kind_ops restore_ddb_backup_ops;
extern const struct restore_kind_ops restore_rds_pitr_ops;
extern const struct restore_kind_ops restore_rds_snapshot_ops;
extern const struct restore_kind_ops restore_rds_cluster_pitr_ops;
extern const struct restore_kind_ops restore_rds_cluster_snapshot_ops;
/* Implemented in restore-s3.c. */
extern const struct restore_kind_ops restore_s3_version_ops;
extern const struct restore_kind_ops restore_s3_undelete_ops;
extern const struct restore_kind_ops restore_s3_prefix_ops;
/* Implemented in restore-backup.c. */
extern const struct restore_kind_ops restore_backup_point_ops;

/* An AWS Backup recovery point ARN ("arn:PARTITION:backup:REGION:ACCOUNT:
 * recovery-point:ID"); NULL is not. */
bool		 restore_backup_arn(const char *);

/* The target of a kind that learns what it restores while it builds
 * (backup-recovery-point): --target or "<name>-restored-<stamp>",
 * checked as a table name (table) or a DB instance identifier, into
 * p->target, p->target_uri and p->target_default. */
sv_result	 restore_plan_set_target(struct restore_plan *, const char *given,
		    const char *name, bool table, struct sv_err *);

enum restore_phase {
	RESTORE_PHASE_BUILD,
	RESTORE_PHASE_EXECUTE,
	RESTORE_PHASE_WAIT
};

struct svc_op;

/* The op: its fields are for kind implementations; front ends use only
 * the functions above. */
struct restore_op {
	enum restore_phase		 phase;
	struct aws_client		*client;
	const struct restore_kind_ops	*ops;
	struct restore_request		*req;	/* BUILD: the op's copy (strings too) */
	/* BUILD: the plan being built (the op's until done hands it over);
	 * EXECUTE/WAIT: the caller's. */
	struct restore_plan		*plan;
	struct restore_outcome		*outcome;	/* EXECUTE/WAIT: the caller's */
	restore_plan_done_fn		 plan_done;
	restore_done_fn			 done;
	restore_progress_fn		 progress;
	void				*data;
	void				*progress_data;	/* NULL: data */
	/* What is in flight, for cancellation (set by the kind, cleared
	 * when its callback runs). */
	struct aws_pending		*pending;
	struct svc_op			*svc;
	/* The timer: restore_op_schedule. */
	int64_t				 due;		/* monotonic ms, -1: none */
	void				(*on_due)(struct restore_op *);
	int				 polls;		/* wait: polls made */
	size_t				 next_step;	/* execute: the next step to send */
	int64_t				 t0;		/* monotonic ms at start */
	bool				 finishing;	/* restore_op_finish was called */
	bool				 cancelling;	/* restore_op_cancel is running */
	bool				 started;	/* the start function returned */
	sv_result			 result;	/* deferred finish (see below) */
	struct sv_err			 err;
	void				*kstate;	/* the kind's own state */
	void				(*kstate_free)(void *);
};

/* Ends op: calls the done callback once (hands the plan over in BUILD on
 * SV_OK, frees it otherwise) and frees op. Safe to call from inside the
 * kind's start function: the callback is then deferred to the next
 * restore_op_tick (timeout 0), never run from inside the start function. */
void		 restore_op_finish(struct restore_op *, sv_result, const struct sv_err *);
/* restore_op_finish with a message made from fmt. */
void		 restore_op_fail(struct restore_op *, sv_result, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* The kind's state (op->kstate): allocated zeroed, of size bytes, with
 * free_fn as op->kstate_free, on the first call; the same one after. */
void		*restore_op_kstate(struct restore_op *, size_t size, void (*free_fn)(void *));
/* True once the op is finishing or being cancelled: a kind's callback
 * that sees it (or SV_E_CANCELLED) starts nothing new and returns. */
bool		 restore_op_cancelled(const struct restore_op *);
/* Runs fn after delay_ms (through restore_op_timeout_ms / tick). */
void		 restore_op_schedule(struct restore_op *, int delay_ms,
		    void (*fn)(struct restore_op *));
/* Reports progress (phase from op; elapsed and RTO filled in). */
void		 restore_op_progress(struct restore_op *, const char *status, int percent,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Wait: delay before poll n (0-based): 0, then 1 s doubling to 15 s. */
int		 restore_poll_delay_ms(int n);

#endif
