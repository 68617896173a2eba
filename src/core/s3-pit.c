/* s3-pit.c - S3 point in time: per-key state at T and now, and the
 * action that brings the key back, from a streamed version listing
 * (see s3-pit.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/s3-pit.h"
#include "util/xalloc.h"

struct s3_pit {
	struct s3_pit_opts	 opts;
	char			*only_key;
	char			*want_version;
	s3_pit_key_fn		 fn;
	void			*data;

	/* The key being accumulated. */
	char			*key;		/* NULL: none open */
	struct s3_pit_key	 cur;
	char			**markers;
	size_t			 nmarkers, capmarkers;
	bool			 in_top_run;	/* still in the markers on top */
	sv_time			 last_time;	/* of the last entry fed for key */

	char			*last_key;	/* the last key reported */
	bool			 stopped;
	size_t			 keys, entries;
};

const char *
s3_pit_action_name(enum s3_pit_action a)
{
	switch (a) {
	case S3_PIT_UNCHANGED:
		return "unchanged";
	case S3_PIT_RESTORE_VERSION:
		return "restore-version";
	case S3_PIT_UNDELETE:
		return "undelete";
	case S3_PIT_DELETE_NEW:
		return "delete-new";
	case S3_PIT_DELETE:
		return "delete";
	case S3_PIT_LEAVE_NEW:
		return "leave-new";
	}
	return "?";
}

const char *
s3_pit_state_name(enum s3_pit_state s)
{
	switch (s) {
	case S3_PIT_ABSENT:
		return "absent";
	case S3_PIT_DELETED:
		return "deleted";
	case S3_PIT_VERSION:
		return "version";
	}
	return "?";
}

static enum s3_pit_state
entry_state(const struct s3_pit_entry *e)
{
	if (e == NULL || !e->set)
		return S3_PIT_ABSENT;
	return e->delete_marker ? S3_PIT_DELETED : S3_PIT_VERSION;
}

enum s3_pit_action
s3_pit_decide(const struct s3_pit_entry *top, const struct s3_pit_entry *at,
    const struct s3_pit_entry *below, bool delete_new, bool *same_content)
{
	enum s3_pit_state	then = entry_state(at), now = entry_state(top);

	if (same_content != NULL)
		*same_content = false;
	if (then == S3_PIT_VERSION) {
		if (now == S3_PIT_VERSION) {
			if (strcmp(top->version_id, at->version_id) == 0)
				return S3_PIT_UNCHANGED;
			if (top->etag != NULL && at->etag != NULL &&
			    strcmp(top->etag, at->etag) == 0 && top->size == at->size) {
				if (same_content != NULL)
					*same_content = true;
				return S3_PIT_UNCHANGED;
			}
			return S3_PIT_RESTORE_VERSION;
		}
		/* Deleted now (a listed key always has a top entry). */
		if (below != NULL && below->set &&
		    strcmp(below->version_id, at->version_id) == 0)
			return S3_PIT_UNDELETE;
		return S3_PIT_RESTORE_VERSION;
	}
	/* Absent or deleted at T. */
	if (now != S3_PIT_VERSION)
		return S3_PIT_UNCHANGED;
	if (!delete_new)
		return S3_PIT_LEAVE_NEW;
	return then == S3_PIT_ABSENT ? S3_PIT_DELETE_NEW : S3_PIT_DELETE;
}

static void
entry_set(struct s3_pit_entry *dst, const struct s3_version *v)
{
	dst->set = true;
	dst->version_id = xstrdup(v->version_id != NULL ? v->version_id : "null");
	dst->delete_marker = v->delete_marker;
	dst->last_modified = v->last_modified;
	dst->size = v->delete_marker ? -1 : v->size;
	dst->etag = v->etag != NULL && !v->delete_marker ? xstrdup(v->etag) : NULL;
	dst->storage_class = v->storage_class != NULL && !v->delete_marker ?
	    xstrdup(v->storage_class) : NULL;
}

static void
entry_free(struct s3_pit_entry *e)
{
	free(e->version_id);
	free(e->etag);
	free(e->storage_class);
	memset(e, 0, sizeof *e);
}

struct s3_pit *
s3_pit_new(const struct s3_pit_opts *opts, s3_pit_key_fn fn, void *data)
{
	struct s3_pit	*p = xcalloc(1, sizeof *p);

	p->opts = *opts;
	p->only_key = opts->only_key != NULL ? xstrdup(opts->only_key) : NULL;
	p->want_version = opts->want_version != NULL ?
	    xstrdup(opts->want_version) : NULL;
	p->opts.only_key = p->only_key;
	p->opts.want_version = p->want_version;
	p->fn = fn;
	p->data = data;
	return p;
}

static void
key_reset(struct s3_pit *p)
{
	entry_free(&p->cur.top);
	entry_free(&p->cur.at);
	entry_free(&p->cur.below);
	entry_free(&p->cur.want);
	for (size_t i = 0; i < p->nmarkers; i++)
		free(p->markers[i]);
	p->nmarkers = 0;
	free(p->key);
	p->key = NULL;
	memset(&p->cur, 0, sizeof p->cur);
}

/* The open key is complete: decide and report it. */
static void
key_close(struct s3_pit *p)
{
	struct s3_pit_key	*k = &p->cur;

	if (p->key == NULL)
		return;
	k->key = p->key;
	k->markers = p->markers;
	k->nmarkers = p->nmarkers;
	k->now = entry_state(&k->top);
	k->at_t = entry_state(&k->at);
	k->action = s3_pit_decide(&k->top, &k->at, &k->below, p->opts.delete_new,
	    &k->same_content);
	p->keys++;
	if (!p->stopped && !p->fn(p->data, k))
		p->stopped = true;
	free(p->last_key);
	p->last_key = p->key;
	p->key = NULL;
	key_reset(p);
}

static sv_result
key_feed(struct s3_pit *p, const struct s3_version *v, struct sv_err *err)
{
	struct s3_pit_key	*k = &p->cur;
	const char		*vid = v->version_id != NULL ? v->version_id : "null";

	if (p->key != NULL && strcmp(p->key, v->key) != 0)
		key_close(p);
	if (p->key == NULL) {
		if (p->last_key != NULL && strcmp(v->key, p->last_key) <= 0)
			return sv_err_set(err, SV_E_PARSE, "the version listing is out "
			    "of order: key '%s' after '%s'", v->key, p->last_key);
		p->key = xstrdup(v->key);
		p->in_top_run = true;
		p->last_time = v->last_modified;
	} else if (v->last_modified > p->last_time)
		return sv_err_set(err, SV_E_PARSE, "the version listing is out of "
		    "order: a version of '%s' from a later time after an older one",
		    v->key);
	p->last_time = v->last_modified;

	if (k->entries == 0)
		entry_set(&k->top, v);
	if (p->in_top_run) {
		if (v->delete_marker) {
			if (p->nmarkers == p->capmarkers) {
				p->capmarkers = p->capmarkers ? 2 * p->capmarkers : 4;
				p->markers = xreallocarray(p->markers,
				    p->capmarkers, sizeof *p->markers);
			}
			p->markers[p->nmarkers++] = xstrdup(vid);
		} else {
			entry_set(&k->below, v);
			p->in_top_run = false;
		}
	}
	if (!k->at.set && v->last_modified <= p->opts.t)
		entry_set(&k->at, v);
	if (!v->delete_marker && strcmp(vid, "null") == 0)
		k->has_null = true;
	if (p->want_version != NULL && !k->want.set &&
	    strcmp(vid, p->want_version) == 0)
		entry_set(&k->want, v);
	k->entries++;
	p->entries++;
	return SV_OK;
}

/* Page order: key, newest first, IsLatest first, listing order. */
struct sorted {
	const struct s3_version	*v;
	size_t			 i;
};

static int
sorted_cmp(const void *a, const void *b)
{
	const struct sorted	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->v->key, y->v->key)) != 0)
		return c;
	if (x->v->last_modified != y->v->last_modified)
		return x->v->last_modified > y->v->last_modified ? -1 : 1;
	if (x->v->is_latest != y->v->is_latest)
		return x->v->is_latest ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

sv_result
s3_pit_page(struct s3_pit *p, const struct s3_version *v, size_t n,
    struct sv_err *err)
{
	struct sorted	*s;
	sv_result	 result = SV_OK;
	size_t		 m = 0;

	if (p->stopped || n == 0)
		return SV_OK;
	s = xcalloc(n, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		if (v[i].key == NULL)
			continue;
		if (p->only_key != NULL && strcmp(v[i].key, p->only_key) != 0)
			continue;
		s[m].v = &v[i];
		s[m].i = i;
		m++;
	}
	qsort(s, m, sizeof *s, sorted_cmp);
	for (size_t i = 0; i < m && !p->stopped; i++) {
		if ((result = key_feed(p, s[i].v, err)) != SV_OK)
			break;
	}
	/* One key only: a later key means its entries are over. */
	if (result == SV_OK && p->only_key != NULL) {
		for (size_t i = 0; i < n; i++) {
			if (v[i].key != NULL && strcmp(v[i].key, p->only_key) > 0) {
				key_close(p);
				p->stopped = true;
				break;
			}
		}
	}
	free(s);
	return result;
}

void
s3_pit_finish(struct s3_pit *p)
{
	key_close(p);
}

bool
s3_pit_stopped(const struct s3_pit *p)
{
	return p->stopped;
}

size_t
s3_pit_keys(const struct s3_pit *p)
{
	return p->keys;
}

size_t
s3_pit_entries(const struct s3_pit *p)
{
	return p->entries;
}

void
s3_pit_free(struct s3_pit *p)
{
	if (p == NULL)
		return;
	key_reset(p);
	free(p->markers);
	free(p->last_key);
	free(p->only_key);
	free(p->want_version);
	free(p);
}
