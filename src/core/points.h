/* points.h - the restore-point model. For one resource, a point set holds
 * its continuous window (point-in-time recovery: earliest..latest) and its
 * discrete points (DynamoDB backups, RDS snapshots, AWS Backup recovery
 * points, S3 object versions and delete markers) in time order, and
 * answers "to get back to time T, which method applies and how much data
 * is lost?".
 *
 * The model (points.c) is pure. The gatherer (points-load.c) fills a set
 * for a resource through src/svc, asynchronously, for the CLI and the
 * TUI alike. */
#ifndef SALVAGE_CORE_POINTS_H
#define SALVAGE_CORE_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/resource.h"
#include "util/err.h"
#include "util/time.h"

enum point_kind {
	POINT_BACKUP,		/* DynamoDB backup (USER, SYSTEM, AWS_BACKUP) */
	POINT_SNAPSHOT,		/* RDS DB instance or DB cluster snapshot */
	POINT_RECOVERY_POINT,	/* AWS Backup recovery point */
	POINT_VERSION,		/* S3 object version */
	POINT_DELETE_MARKER	/* S3 delete marker */
};

struct point {
	enum point_kind	 kind;
	sv_time		 time;		/* created / last modified */
	char		*id;		/* backup ARN, snapshot id, version id */
	char		*name;		/* DynamoDB backup name, AWS Backup resource name */
	char		*type;		/* USER|SYSTEM|AWS_BACKUP, manual|automated,
					 * AWS Backup resource type, NULL */
	char		*resource_arn;	/* AWS Backup: what the point protects */
	char		*status;	/* AVAILABLE, available, creating ..., NULL (S3) */
	char		*etag;		/* S3 version, else NULL */
	char		*storage_class;	/* S3 version, else NULL */
	long long	 size;		/* bytes; -1 when unknown or not applicable */
	bool		 latest;	/* S3: the current version or marker */
	bool		 usable;	/* can be restored from now */
	/* Among equal times, lower first. point_set_add sets the insertion
	 * index; a gatherer whose source lists newest first (S3, where
	 * listed times have one-second resolution) sets it descending. */
	long long	 order;
};

enum pitr_status {
	PITR_NONE,		/* the resource has no point-in-time recovery (S3) */
	PITR_DISABLED,		/* available but off (retention 0 for RDS) */
	PITR_ENABLED
};

struct pitr_window {
	enum pitr_status status;
	sv_time		 earliest;	/* SV_TIME_NONE: not known */
	sv_time		 latest;	/* SV_TIME_NONE: not known */
	int		 retention_days; /* 0: not known / not applicable */
};

struct point_set {
	struct resource	 resource;	/* a copy */
	struct pitr_window pitr;
	/* True when the points record every write (S3 versions): the state
	 * at any time is exactly one point, so choosing it loses nothing. */
	bool		 every_write;
	/* Something the gatherer could not learn that does not make the
	 * set wrong, only less precise ("the window's start is unknown:
	 * ..."): front ends show it as a warning. NULL if none. */
	char		*note;
	struct point	*v;		/* sorted by point_set_sort */
	size_t		 n, cap;
};

void		 point_set_init(struct point_set *, const struct resource *);
void		 point_set_free(struct point_set *);
/* Appends a zeroed point (size -1, usable true) and returns it; the
 * pointer is valid until the next add. Strings set in it are owned by
 * the set (xstrdup them). */
struct point	*point_set_add(struct point_set *, enum point_kind, sv_time);
/* Oldest first; equal times by order, then kind, then id. */
void		 point_set_sort(struct point_set *);
/* The point with this id, or NULL. */
const struct point *point_set_find(const struct point_set *, const char *id);

/* "backup", "snapshot", "recovery-point", "version", "delete-marker". */
const char	*point_kind_name(enum point_kind);
/* "ENABLED", "DISABLED"; NULL for PITR_NONE. */
const char	*pitr_status_name(enum pitr_status);

enum restore_method {
	RESTORE_NONE,		/* nothing at or before T to restore from */
	RESTORE_PITR,		/* point-in-time recovery to choice.time */
	RESTORE_POINT		/* from choice.point */
};

struct point_choice {
	enum restore_method	 method;
	const struct point	*point;		/* RESTORE_POINT, else NULL */
	sv_time			 time;		/* the state restored: PITR time or point time */
	int64_t			 loss_ms;	/* writes in (time, T] are lost (the RPO) */
	bool			 uncertain;	/* a window edge was unknown */
};

/* For target time t: PITR to t when t is inside the window (no loss);
 * otherwise the better of PITR to the window's latest time (when t is
 * after it) and the newest usable point at or before t, by least data
 * loss (PITR wins ties); RESTORE_NONE when nothing is at or before t.
 * An unknown earliest edge counts as open (choice.uncertain is set: the
 * service decides). A point set with every_write loses nothing. */
void		 point_set_choose(const struct point_set *, sv_time t,
		    struct point_choice *);
const char	*restore_method_name(enum restore_method);	/* "pitr", "point", "none" */

/* --- the gatherer (points-load.c) --- */

struct aws_client;
struct core_points_op;

/* Called once. set is the caller's (point_set_free + free), always
 * non-NULL and sorted; when result is not SV_OK it holds what was
 * gathered before the failure and err says what failed. */
typedef void (*core_points_done_fn)(void *, struct point_set *set, sv_result,
		    const struct sv_err *);

/* Gathers the points of one S3 object, DynamoDB table, RDS instance or
 * RDS cluster: the window and every point, concurrently where it can.
 * Returns NULL (and calls nothing) only when the resource has no restore
 * points (a bucket, a prefix, a service): err says so (SV_E_USAGE). */
struct core_points_op *core_points_load(struct aws_client *, const struct resource *,
		    core_points_done_fn, void *, struct sv_err *);
/* Cancels: done() is called with SV_E_CANCELLED before this returns.
 * The op is invalid once done() has been called. */
void		 core_points_cancel(struct core_points_op *);
/* The CLI's way: runs the engine until done. *out is always set when the
 * resource has points (free it as above). */
sv_result	 core_points_load_sync(struct aws_client *, const struct resource *,
		    struct point_set **out, struct sv_err *);

#endif
