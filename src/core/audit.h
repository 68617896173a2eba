/* audit.h - the audit log: one JSON Lines file per session, each record
 * hash-chained to the one before it and fsync'd before the action it
 * announces; the audit gate the AWS client calls before every mutating
 * request; the verifier; secret scrubbing.
 *
 * A record is one line:
 *
 *   {"seq":N,"time":"...Z","session":"ID","type":"T","data":{...},
 *    "prev":"<hex>","hash":"<hex>"}
 *
 * with exactly these keys in this order. The canonical form that is
 * hashed is the line's bytes with the final ,"hash":"<64 hex>" member
 * removed (so it ends in "prev":"<hex>"}), without the newline:
 *
 *   hash = hex(SHA-256(line minus ,"hash":"..."))
 *
 * prev is the hash of the record before; the first record's prev is the
 * genesis value, 64 zeros. */
#ifndef SALVAGE_CORE_AUDIT_H
#define SALVAGE_CORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "aws/client.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/time.h"

#define AUDIT_GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_HASH_LEN		64
#define AUDIT_SESSION_MAX	64	/* "20261121T073000Z-1a2b3c4d" + NUL, with room */
#define AUDIT_REDACTED		"[redacted]"
/* A log read whole (verify, ship, show) is capped at this size. */
#define BUF_MAX_AUDIT_LOG	(64u * 1024 * 1024)

/* Record types. */
#define AUDIT_T_START	"session-start"
#define AUDIT_T_CONFIRM	"confirm"
#define AUDIT_T_INTENT	"intent"
#define AUDIT_T_RESULT	"result"
#define AUDIT_T_NOTE	"note"
#define AUDIT_T_END	"session-end"

struct audit;

/* ---- Directory and files ---- */

/* The audit directory: override (--audit-dir) if set, else
 * $XDG_STATE_HOME/salvage/audit, else ~/.local/state/salvage/audit.
 * Allocated. */
char		*audit_dir_path(const char *override);
/* Creates dir and missing parents (0700) and refuses a directory that is
 * not ours or is group/world writable (SV_E_AUDIT with the reason). */
sv_result	 audit_dir_prepare(const char *dir, struct sv_err *);
/* A new session id "YYYYMMDDTHHMMSSZ-xxxxxxxx" (8 random hex digits). */
void		 audit_session_id(sv_time, char out[AUDIT_SESSION_MAX]);

/* ---- Writing a log ---- */

struct audit_opts {
	const char	*dir;		/* NULL: audit_dir_path(NULL) */
	const char	*session;	/* NULL: a new id (tests fix it) */
	sv_time		(*now)(void);	/* NULL: sv_time_now (tests fix it) */
};

/* Opens a new session log DIR/SESSION.jsonl (0600, created exclusively;
 * the file and the directory are fsync'd). *out is always set: on
 * failure it is a "broken" log whose every append and every gate intent
 * fails with SV_E_AUDIT and the reason, so no change can be made. */
sv_result	 audit_open(const struct audit_opts *, struct audit **out,
		    struct sv_err *);
/* Continues the existing log DIR/SESSION.jsonl of an earlier process of
 * the same session (opts->session is required; a resumed runbook
 * session): the chain is verified first (a broken chain, a log of
 * another session or one that ended with session-end is refused), an
 * unterminated last line (a record whose write was cut off: never
 * durable) is cut off, and the log is locked (one held by a live
 * process is refused). Appends continue the chain. *out is always set,
 * "broken" on failure as with audit_open. */
sv_result	 audit_reopen(const struct audit_opts *, struct audit **out,
		    struct sv_err *);
void		 audit_free(struct audit *);
/* Reason the log cannot be written, or NULL. */
const char	*audit_broken(const struct audit *);
const char	*audit_session(const struct audit *);
const char	*audit_path(const struct audit *);
const char	*audit_dirname(const struct audit *);
sv_time		 audit_started(const struct audit *);
uint64_t	 audit_count(const struct audit *);	/* records written */
const char	*audit_head(const struct audit *);	/* hash of the last record */
bool		 audit_ended(const struct audit *);
/* The whole log as written (what is shipped). */
const char	*audit_text(const struct audit *, size_t *len);

/* Appends a record: scrubs data (which it takes over; NULL = {}), writes
 * the line and fsyncs the file before returning. On failure nothing is
 * half-written (a partial line is cut off again) and SV_E_AUDIT says why. */
sv_result	 audit_append(struct audit *, const char *type, cJSON *data,
		    uint64_t *seq, struct sv_err *);
/* An operator confirmation: what was asked, what was expected and typed
 * (typed may be NULL), how ("tty", "--yes", "unattended") and whether it
 * was accepted. */
sv_result	 audit_confirm(struct audit *, const char *question,
		    const char *expected, const char *typed, const char *how,
		    bool accepted, struct sv_err *);
sv_result	 audit_note(struct audit *, const char *text, cJSON *extra,
		    struct sv_err *);
/* session-end: data {"records": N (this one included), "head": hash of
 * the record before it, "status": exit status}. Nothing can be appended
 * after it. */
sv_result	 audit_end(struct audit *, int exit_status, struct sv_err *);

/* Called after every record is durable (the shipper listens). */
void		 audit_set_listener(struct audit *, void (*)(void *), void *);

/* One record of the current session, for the TUI's :audit view. */
struct audit_entry {
	uint64_t	 seq;
	sv_time		 time;
	const char	*type;
	const char	*line;		/* the record's line, without newline */
};
size_t		 audit_entries(const struct audit *, const struct audit_entry **);

/* ---- The gate ---- */

/* Fills gate so that the client records an intent (durable) before each
 * mutating call and its result after. Uploads of the log itself (PutObject
 * to a destination added with audit_add_own_dest, keys under its prefix
 * only) are recognised by audit_is_own_upload() and pass without an
 * intent: they are what records the intents (no recursion), and they also
 * work in read-only mode. gate.exempt is that function (the client asks
 * it first, for PutObject only); intent() applies it too, so an upload
 * through a client without exempt() still writes no intent. */
void		 audit_gate(struct audit *, struct aws_gate *);
/* Lets the log's uploads to bucket/prefix pass (called once per
 * destination: the session's, and those of spooled sessions). */
void		 audit_add_own_dest(struct audit *, const char *bucket,
		    const char *prefix);
/* The one place that decides whether a call is the audit log's own
 * upload. */
bool		 audit_is_own_upload(const struct audit *, const struct aws_op *,
		    const struct aws_call *);

/* ---- Scrubbing ---- */

/* True if a parameter or header name denotes a secret (secret, token,
 * password, authorization, credential, signature, customer key ...). */
bool		 audit_secret_name(const char *);
/* True if a value looks like a secret-bearing string (a presigned URL, an
 * Authorization header value). */
bool		 audit_secret_value(const char *);
/* Replaces secrets in place with AUDIT_REDACTED; also makes strings valid
 * UTF-8. */
void		 audit_scrub(cJSON *);
/* Scrubs one command-line argument vector into a JSON array. */
cJSON		*audit_argv_json(int argc, char **argv);

/* ---- Verifying ---- */

enum audit_bad {
	AUDIT_OK,
	AUDIT_BAD_EMPTY,	/* no records at all */
	AUDIT_BAD_JSON,		/* a line is not JSON */
	AUDIT_BAD_RECORD,	/* JSON, but not a well-formed record */
	AUDIT_BAD_HASH,		/* hash does not match the record */
	AUDIT_BAD_GENESIS,	/* first record does not link to the genesis */
	AUDIT_BAD_LINK,		/* prev is not the previous record's hash */
	AUDIT_BAD_GAP,		/* a sequence number is missing */
	AUDIT_BAD_REORDER,	/* records out of order */
	AUDIT_BAD_DUPLICATE,	/* a sequence number appears twice */
	AUDIT_BAD_SESSION,	/* a record of another session */
	AUDIT_BAD_TRUNCATED,	/* the last line has no newline */
	AUDIT_BAD_AFTER_END,	/* a record after session-end */
	AUDIT_BAD_END		/* session-end's count or head is wrong */
};

struct audit_open_intent {
	uint64_t	 seq;
	char		*operation;
	char		*target;
};

struct audit_verify {
	enum audit_bad	 bad;
	uint64_t	 bad_seq;	/* the first bad sequence number */
	size_t		 bad_line;	/* 1-based line */
	char		 why[512];	/* "seq 3 (line 3): hash mismatch: ..." */

	uint64_t	 records;	/* good records read */
	char		 head[AUDIT_HASH_LEN + 1];	/* hash of the last good record */
	char		 session[AUDIT_SESSION_MAX];
	sv_time		 first_time, last_time;
	bool		 ended;		/* a session-end record was seen */
	char		 account[32];	/* from session-start, "" if unknown */
	char		 operator_arn[512];
	char		 mode[16];
	char		 local_user[64];
	char		 host[128];
	char		 audit_s3[512];	/* destination named in session-start */
	char		 version[32];
	/* Intents without a result, in order. */
	struct audit_open_intent *open;
	size_t		 nopen;
};

/* Checks a whole log. SV_OK: intact; SV_E_MISMATCH: v->bad says the first
 * problem (v->why is a full sentence). Never fails otherwise. */
sv_result	 audit_verify_mem(const char *, size_t, struct audit_verify *);
/* Same for a file; SV_E_IO/SV_E_TOOLARGE (in err) when it cannot be read. */
sv_result	 audit_verify_file(const char *path, struct audit_verify *,
		    struct sv_err *);
void		 audit_verify_free(struct audit_verify *);
const char	*audit_bad_str(enum audit_bad);

/* Reads a file whole (capped at BUF_MAX_AUDIT_LOG) into out. */
sv_result	 audit_read_file(const char *path, struct buf *out, struct sv_err *);

/* Looks at the other logs in dir for sessions that died with an intent
 * that has no result (ignoring logs held by a live salvage) and returns
 * them as a JSON array of {"session","seq","operation","target"}; each log
 * is looked at once (a SESSION.noted marker is left next to it). */
cJSON		*audit_scan_unfinished(const char *dir, const char *own_session);

#endif
