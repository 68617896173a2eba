/* drift.h - the settings a restore does not carry over, side by side
 * for a source and its restored target, and re-applying the ones that
 * can be re-applied.
 *
 *	dynamodb://SRC dynamodb://TARGET	TTL, streams, PITR, tags, deletion
 *						protection, auto scaling
 *						(Application Auto Scaling: the
 *						table's and its indexes' scalable
 *						targets and policies; "not checked"
 *						when it cannot be read)
 *	rds://SRC rds://TARGET			VPC security groups, DB parameter
 *						group, option group, subnet group,
 *						Multi-AZ, deletion protection,
 *						backup retention, tags
 *
 * Re-applying makes the target match the source, with two exceptions
 * that are reported but never "fixed": a protection the target has and
 * the source lacks (PITR, deletion protection, a longer backup retention)
 * is left alone, and tags (and auto scaling settings) the target has
 * beyond the source's are not removed. System tags ("aws:...") are
 * ignored.
 *
 * Asynchronous, as verify.h: drift_start / drift_apply return an op
 * whose done callback is called exactly once, never from inside the
 * start function; the _sync wrappers are the CLI's way. Every change is
 * a mutating call through the client's --operate check and audit gate. */
#ifndef SALVAGE_CORE_DRIFT_H
#define SALVAGE_CORE_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "util/err.h"
#include "util/jsonw.h"

enum drift_kind {
	DRIFT_DYNAMODB,
	DRIFT_RDS,
	DRIFT_RDS_CLUSTER
};

enum drift_outcome {
	DRIFT_NOT_APPLIED,	/* not tried (no drift, not applicable, or stopped) */
	DRIFT_APPLIED,
	DRIFT_FAILED
};

struct drift_item {
	char			*name;		/* "ttl", "streams", "pitr", "tags" ... */
	char			*src;		/* the source's value as text ("-": none) */
	char			*target;
	bool			 checked;	/* false: not read (note says how to check) */
	bool			 differs;
	bool			 applicable;	/* --apply would re-apply it */
	char			*note;		/* why not applicable, what to know; or NULL */
	char			*plan;		/* the change --apply makes, or NULL */
	const char		*operation;	/* its AWS operation ("UpdateTimeToLive"), or NULL */
	int			 step;		/* 1-based: the call that applies it, in the
						   order --apply sends them (items may share
						   one); 0: none */
	enum drift_outcome	 outcome;
	char			*error;		/* when FAILED */
};

struct drift_report {
	enum drift_kind		 kind;
	char			*src, *target;	/* canonical URIs */
	char			*target_name;	/* table / instance: what confirms --apply */
	struct drift_item	*items;
	size_t			 nitems, capitems;
	size_t			 ndrift;	/* items that differ */
	size_t			 napplicable;	/* of which --apply would re-apply */
	size_t			 applied, failed;
	void			*priv;		/* what applying needs (drift.c) */
};

void		 drift_report_free(struct drift_report *);
/* --json:
 *   {"source","target","kind","drift":bool,"differences":N,"applicable":N,
 *    "settings":[{"name","source","target","checked","differs",
 *    "applicable","note","plan","operation","step","outcome","error"}],
 *    "applied":N,"failed":N} */
void		 drift_report_json(const struct drift_report *, struct jsonw *);
/* "not-applied", "applied", "failed". */
const char	*drift_outcome_name(enum drift_outcome);

/* Adds an item (drift.c and tests); strings are copied, NULL is "-". The
 * counts follow differs / applicable. */
struct drift_item *drift_report_add(struct drift_report *, const char *name,
		    const char *src, const char *target, bool differs);
void		 drift_item_set(struct drift_report *, struct drift_item *,
		    bool applicable, const char *operation, const char *plan,
		    const char *note);
/* Tags as the report shows them: "k=v, k2=v2" sorted by key, "-" when
 * none; keys starting "aws:" are left out. Allocated. */
char		*drift_tags_text(const char *const *keys, const char *const *values,
		    size_t n);

typedef void (*drift_done_fn)(void *, sv_result, const struct sv_err *,
		    struct drift_report *);
typedef void (*drift_progress_fn)(void *, const struct drift_item *);
typedef void (*drift_apply_done_fn)(void *, sv_result, const struct sv_err *);

struct drift_op;

/* The checks drift_start makes before anything is sent: two tables or
 * two DB instances, not the same one twice (SV_E_USAGE). */
sv_result	 drift_validate(const char *src_uri, const char *target_uri,
		    struct sv_err *);
/* Reads both sides (read-only) and builds the report, handed to done()
 * on SV_OK (the caller frees it). A usage error (not two tables or two
 * DB instances, the same one twice) returns NULL with err set, and done
 * is never called. */
struct drift_op	*drift_start(struct aws_client *, const char *src_uri,
		    const char *target_uri, drift_done_fn, void *, struct sv_err *);
/* Re-applies every applicable item of r (kept by the caller until done),
 * one call after another, updating each item's outcome (progress after
 * each). A refusal of the gate (SV_E_READONLY, SV_E_AUDIT) stops the
 * rest; other failures do not. done(): SV_OK when all applied, else the
 * first failure. Returns NULL with err set if nothing is applicable. */
struct drift_op	*drift_apply(struct aws_client *, struct drift_report *,
		    drift_progress_fn, drift_apply_done_fn, void *, struct sv_err *);
void		 drift_cancel(struct drift_op *);
int		 drift_timeout_ms(const struct drift_op *);
void		 drift_tick(struct drift_op *);

sv_result	 drift_sync(struct aws_client *, const char *src_uri,
		    const char *target_uri, struct drift_report **out, struct sv_err *);
sv_result	 drift_apply_sync(struct aws_client *, struct drift_report *,
		    drift_progress_fn, void *, struct sv_err *);

#endif
