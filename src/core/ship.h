/* ship.h - shipping the audit log to S3. The whole log is uploaded again
 * (PutObject, SHA-256 checksum, Object Lock retention when the bucket has
 * Object Lock) after every record, to
 *
 *	PREFIX/ACCOUNT/YYYY/MM/DD/SESSION.jsonl
 *
 * (S3 versioning keeps every rewrite), and at session end a digest
 * SESSION.digest.json records the chain head and the record count. An
 * unreachable bucket never blocks recovery work: the session's marker
 * stays in the spool (AUDIT_DIR/spool/SESSION.json) until everything is
 * shipped, failed uploads are retried with backoff from the caller's loop
 * (never a sleep), and `salvage audit ship` delivers what is left.
 *
 * The uploads go through the AWS client like every call. They pass its
 * gate as the log's own upload (audit_is_own_upload() in audit.c, the one
 * place that decides; see struct aws_gate's exempt), never as intents,
 * and they also work in read-only mode. */
#ifndef SALVAGE_CORE_SHIP_H
#define SALVAGE_CORE_SHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "aws/client.h"
#include "core/audit.h"
#include "core/conf.h"

#define AUDIT_LOCK_DAYS_DEFAULT	365
#define AUDIT_LOCK_MODE_DEFAULT	"GOVERNANCE"

struct audit_dest {
	char	*uri;		/* "s3://bucket/prefix/" */
	char	*bucket;
	char	*prefix;	/* "" or ends in '/' */
	char	 lock_mode[16];	/* GOVERNANCE | COMPLIANCE */
	long	 lock_days;
	char	 source[64];	/* "--audit-s3", "SALVAGE_AUDIT_S3", "config PATH" */
};

/* s3://BUCKET[/PREFIX[/]] (a prefix gets a trailing '/'). */
sv_result	 audit_dest_parse(const char *uri, struct audit_dest *, struct sv_err *);
/* From cli_uri (--audit-s3), else $SALVAGE_AUDIT_S3, else the config's
 * audit_s3; lock mode and days from the config (audit_lock_mode,
 * audit_lock_days). *found is false when none is configured. conf may be
 * NULL. */
sv_result	 audit_dest_resolve(const char *cli_uri, const struct conf *,
		    struct audit_dest *, bool *found, struct sv_err *);
void		 audit_dest_free(struct audit_dest *);
/* PREFIX/ACCOUNT/YYYY/MM/DD/SESSION + suffix (date from the session id).
 * Allocated. */
char		*audit_object_key(const struct audit_dest *, const char *account,
		    const char *session, const char *suffix);

struct audit_ship;

/* Starts shipping the session's log (writes its spool marker now, so a
 * killed session is still shipped by `salvage audit ship`). Uploads start
 * on audit_ship_kick() (the shipper listens to the log itself). */
struct audit_ship *audit_ship_new(struct aws_client *, struct audit *,
		    const struct audit_dest *, const char *account);
void		 audit_ship_free(struct audit_ship *);
/* Something changed: upload when idle and not backing off. */
void		 audit_ship_kick(struct audit_ship *);
/* For a poll loop: ms until the next retry is due (-1: nothing due), and
 * what to call then. */
int		 audit_ship_timeout_ms(const struct audit_ship *);
void		 audit_ship_tick(struct audit_ship *);
/* At the end (blocking: runs the engine): the last upload and the
 * digest. On failure the spool marker stays, err says why. */
sv_result	 audit_ship_finish(struct audit_ship *, struct sv_err *);
/* Records written but not yet in S3. */
size_t		 audit_ship_pending(const struct audit_ship *);
/* "s3://bucket/key" of the log object. */
const char	*audit_ship_uri(const struct audit_ship *);
/* The last shipping error, or NULL. */
const char	*audit_ship_error(const struct audit_ship *);

/* ---- The spool ---- */

char		*audit_spool_dir(const char *audit_dir);
/* True if the session has a spool marker (not everything shipped). */
bool		 audit_spool_pending(const char *audit_dir, const char *session);

struct audit_spool_report {
	size_t	sessions;	/* markers found */
	size_t	shipped;	/* delivered (marker removed) */
	size_t	skipped;	/* in use by a running salvage */
	size_t	failed;
};

/* `salvage audit ship`: uploads every spooled session's log and digest
 * (sync). own: the running session's log (its gate must let the uploads
 * pass: each spooled destination is added to it). Progress lines go to
 * out (may be NULL). */
sv_result	 audit_spool_ship(struct aws_client *, struct audit *own,
		    const char *audit_dir, FILE *out, struct audit_spool_report *,
		    struct sv_err *);

#endif
