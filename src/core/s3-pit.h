/* s3-pit.h - S3 point in time: from the version listing of a prefix (or
 * of one key), what each key looked like at time T, what it looks like
 * now, and what brings it back. Pure (no I/O), streaming: pages of
 * ListObjectVersions go in as they arrive, and for each key only the few
 * entries that matter are kept (the current one, the delete markers on
 * top and the version under them, the newest entry at or before T), so a
 * prefix of 100,000 keys with many versions each never sits in memory.
 *
 * Order: S3 lists keys in UTF-8 byte order and, within a key, newest
 * first; emulators may group <Version> and <DeleteMarker> elements
 * apart, so each page is sorted by (key, time newest first, the entry
 * marked IsLatest first, listing order). Times at the same instant (moto
 * has whole seconds) are thereby resolved by listing order. An entry is
 * "at or before T" when its LastModified <= T.
 *
 * Per key:
 *   state at T   the newest entry <= T: a version (that version), a delete
 *                marker (deleted at T), none (did not exist at T);
 *   state now    the newest entry: a version or a delete marker;
 * and the action:
 *   unchanged        the state now is the state at T (the same version,
 *                    or the same content: equal ETag and size; or absent
 *                    both at T and now);
 *   restore-version  copy the version at T on top of the key;
 *   undelete         deleted now, and the version just under the delete
 *                    marker(s) on top is the version at T: removing those
 *                    markers is enough;
 *   delete-new       the key did not exist at T (created after it); with
 *                    --delete-new a delete marker is added;
 *   delete           the key was deleted at T and exists now; with
 *                    --delete-new a delete marker is added;
 *   leave-new        delete-new or delete without --delete-new: listed
 *                    and left alone. */
#ifndef SALVAGE_CORE_S3_PIT_H
#define SALVAGE_CORE_S3_PIT_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/s3.h"
#include "util/err.h"
#include "util/time.h"

enum s3_pit_state {
	S3_PIT_ABSENT,		/* no entry (at T: did not exist yet) */
	S3_PIT_DELETED,		/* a delete marker */
	S3_PIT_VERSION		/* a version with data */
};

enum s3_pit_action {
	S3_PIT_UNCHANGED,
	S3_PIT_RESTORE_VERSION,
	S3_PIT_UNDELETE,
	S3_PIT_DELETE_NEW,
	S3_PIT_DELETE,
	S3_PIT_LEAVE_NEW
};

/* What is kept of one listing entry. */
struct s3_pit_entry {
	bool		 set;
	char		*version_id;
	bool		 delete_marker;
	sv_time		 last_modified;
	long long	 size;		/* -1 for delete markers */
	char		*etag;		/* NULL for delete markers */
	char		*storage_class;	/* NULL for delete markers */
};

/* One key's verdict; valid during the callback only. */
struct s3_pit_key {
	const char		*key;
	enum s3_pit_action	 action;
	enum s3_pit_state	 at_t;		/* state at T */
	enum s3_pit_state	 now;		/* state now */
	bool			 same_content;	/* unchanged by ETag+size, not by version id */
	struct s3_pit_entry	 top;		/* the current entry */
	struct s3_pit_entry	 at;		/* the newest entry <= T (set unless absent at T) */
	struct s3_pit_entry	 below;		/* top is a marker: the newest version under the top markers */
	char *const		*markers;	/* the delete markers on top, newest first */
	size_t			 nmarkers;
	bool			 has_null;	/* a data version with id "null" */
	size_t			 entries;	/* listing entries of this key */
	/* With s3_pit_opts.want_version: that entry, if listed. */
	struct s3_pit_entry	 want;
};

/* Called once per key, in key order. Return false to stop (the rest is
 * ignored; s3_pit_page then returns SV_OK and s3_pit_stopped is true). */
typedef bool (*s3_pit_key_fn)(void *, const struct s3_pit_key *);

struct s3_pit_opts {
	sv_time		 t;		/* the point in time */
	bool		 delete_new;	/* --delete-new */
	/* One key only (version restore, undelete): other keys are skipped,
	 * and the listing can stop once a later key appears. NULL: all. */
	const char	*only_key;
	/* Also report the entry with this version id (key.want). */
	const char	*want_version;
};

struct s3_pit;

struct s3_pit	*s3_pit_new(const struct s3_pit_opts *, s3_pit_key_fn, void *);
/* Feeds one page (entries in listing order). A key whose entries go on
 * in the next page is kept open. SV_E_PARSE when the listing is out of
 * order (a key before one already finished, an entry of a key newer
 * than one already seen). */
sv_result	 s3_pit_page(struct s3_pit *, const struct s3_version *, size_t,
		    struct sv_err *);
/* The listing is complete: reports the last key. */
void		 s3_pit_finish(struct s3_pit *);
/* True once only_key's entries are over (a later key was seen) or the
 * callback asked to stop: the listing can stop. */
bool		 s3_pit_stopped(const struct s3_pit *);
size_t		 s3_pit_keys(const struct s3_pit *);	/* keys reported */
size_t		 s3_pit_entries(const struct s3_pit *);	/* entries fed */
void		 s3_pit_free(struct s3_pit *);

/* "unchanged", "restore-version", "undelete", "delete-new", "delete",
 * "leave-new". */
const char	*s3_pit_action_name(enum s3_pit_action);
/* "absent", "deleted", "version". */
const char	*s3_pit_state_name(enum s3_pit_state);
/* The action for a key from its states (the decision rule above, alone):
 * at and below may be unset. */
enum s3_pit_action s3_pit_decide(const struct s3_pit_entry *top,
		    const struct s3_pit_entry *at, const struct s3_pit_entry *below,
		    bool delete_new, bool *same_content);

#endif
