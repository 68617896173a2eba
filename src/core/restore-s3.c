/* restore-s3.c - the S3 restore kinds (see restore-s3.h): planning from
 * the bucket's versioning and the key's or prefix's version listing
 * (read-only), and executing through svc/s3-copy.c, whose calls never
 * destroy a version with data. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/restore-s3.h"
#include "core/s3-pit.h"
#include "svc/s3-copy.h"
#include "svc/s3.h"
#include "util/str.h"
#include "util/xalloc.h"

#define RS3_DIFF_SHOWN	3	/* differing keys named in a message */

/* ---- plan data (plan->kdata) ---- */

/* One key of a prefix plan; parallel to plan->steps. */
struct rs3_key {
	enum s3_pit_action	 action;
	char			*source;	/* restore-version: the version copied */
	char			**markers;	/* undelete: the markers removed, newest first */
	size_t			 nmarkers;
	char			*top;		/* the current entry at planning */
	bool			 top_marker;
	long long		 size;		/* of the source */
	bool			 has_null;
};

struct rs3_plan {
	char			*bucket;
	char			*key;		/* object key, or the prefix */
	enum s3_versioning_status versioning;
	struct restore_s3_tuning tune;
	sv_time			 t;		/* --to (prefix, version by time) */

	/* s3-version, s3-undelete */
	char			*vid;		/* version: copied; undelete: made current */
	sv_time			 vid_time;
	long long		 size;
	char			*storage_class;
	char			*top;		/* the current entry at planning */
	bool			 top_marker;
	char			**markers;	/* undelete, newest first */
	size_t			 nmarkers;
	bool			 has_null;
	bool			 multipart;
	long long		 part;
	int			 nparts;

	/* s3-prefix */
	struct rs3_key		*keys;
	size_t			 nkeys, capkeys;
	size_t			 counts[S3_PIT_LEAVE_NEW + 1];
	size_t			 entries;
	size_t			 null_replaced;	/* Suspended: copies over a null version */
	size_t			 archived;	/* sources in GLACIER / DEEP_ARCHIVE */
};

static void
strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
rs3_plan_free(void *arg)
{
	struct rs3_plan	*kd = arg;

	if (kd == NULL)
		return;
	free(kd->bucket);
	free(kd->key);
	free(kd->vid);
	free(kd->storage_class);
	free(kd->top);
	strv_free(kd->markers, kd->nmarkers);
	for (size_t i = 0; i < kd->nkeys; i++) {
		free(kd->keys[i].source);
		strv_free(kd->keys[i].markers, kd->keys[i].nmarkers);
		free(kd->keys[i].top);
	}
	free(kd->keys);
	free(kd);
}

/* ---- the op's state (op->kstate) ---- */

struct rs3_state;

/* What a HeadObject of the current version said. */
struct rs3_head {
	bool	 seen, marker;
	char	*vid;
};

struct rs3_job {
	struct rs3_state	*st;
	size_t			 step;
	size_t			 marker;	/* undelete: the next marker */
	struct s3_copy_op	*cop;
	bool			 busy;
};

struct rs3_state {
	struct restore_op	*op;
	struct rs3_plan		*kd;

	/* The listing in progress. */
	struct s3_pit		*pit;
	struct sv_err		 lerr;
	size_t			 pages;
	const char		*listing_what;	/* "planning", "checking", "verifying" */
	s3_pit_key_fn		 on_key;
	void			(*listed)(struct rs3_state *);

	/* Build of one key. */
	bool			 seen;

	/* Execute, one key. */
	struct s3_copy_op	*cop;
	size_t			 marker;
	struct rs3_head		 head;

	/* Execute, prefix. */
	struct rs3_job		*jobs;
	size_t			 njobs;
	size_t			*queued;
	size_t			 nqueued, next, running, finished;
	bool			 filling, refill;
	char			**newvid;	/* per step: the version a copy made */
	size_t			 cmp;		/* next plan step to compare */
	size_t			 ndiff;
	struct sv_err		 diff;		/* the first differences, for the message */
	char			 diffs[RS3_DIFF_SHOWN][384];
};

static void
rs3_state_free(void *arg)
{
	struct rs3_state	*st = arg;

	if (st == NULL)
		return;
	s3_pit_free(st->pit);
	free(st->head.vid);
	free(st->jobs);
	free(st->queued);
	if (st->newvid != NULL && st->op->plan != NULL) {
		for (size_t i = 0; i < st->op->plan->nsteps; i++)
			free(st->newvid[i]);
	}
	free(st->newvid);
	free(st);
}

static struct rs3_state *
rs3_state(struct restore_op *op)
{
	struct rs3_state	*st;

	if (op->kstate != NULL)
		return op->kstate;
	st = xcalloc(1, sizeof *st);
	st->op = op;
	st->kd = op->plan != NULL ? op->plan->kdata : NULL;
	sv_err_init(&st->lerr);
	sv_err_init(&st->diff);
	op->kstate = st;
	op->kstate_free = rs3_state_free;
	return st;
}

/* ---- tuning ---- */

sv_result
restore_s3_parse_size(const char *s, long long *out, struct sv_err *err)
{
	char		*end;
	long long	 v, mul = 1;
	const char	*p;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno != 0 || v < 0)
		return sv_err_set(err, SV_E_CONFIG, "'%s' is not a size (bytes, or a "
		    "number with K, M, G or T)", s);
	p = end;
	while (*p == ' ')
		p++;
	switch (toupper((unsigned char)*p)) {
	case '\0':
		break;
	case 'K':
		mul = 1LL << 10;
		break;
	case 'M':
		mul = 1LL << 20;
		break;
	case 'G':
		mul = 1LL << 30;
		break;
	case 'T':
		mul = 1LL << 40;
		break;
	case 'B':
		break;
	default:
		return sv_err_set(err, SV_E_CONFIG, "'%s': unknown unit (use K, M, "
		    "G or T)", s);
	}
	if (*p != '\0') {
		p++;
		if (strcasecmp(p, "") != 0 && strcasecmp(p, "iB") != 0 &&
		    strcasecmp(p, "B") != 0 && mul != 1)
			return sv_err_set(err, SV_E_CONFIG, "'%s': unknown unit (use K, "
			    "M, G or T)", s);
		if (mul == 1 && *p != '\0')
			return sv_err_set(err, SV_E_CONFIG, "'%s': unknown unit", s);
	}
	if (v > (1LL << 50) / mul)
		return sv_err_set(err, SV_E_CONFIG, "'%s' is too large", s);
	*out = v * mul;
	return SV_OK;
}

sv_result
restore_s3_tuning_env(struct restore_s3_tuning *t, struct sv_err *err)
{
	const char	*v;
	long long	 n;

	t->multipart_threshold = S3_COPY_SINGLE_MAX;
	t->part_size = S3_COPY_PART_DEFAULT;
	t->concurrency = RESTORE_S3_CONCURRENCY;
	if ((v = getenv("SALVAGE_S3_MULTIPART_THRESHOLD")) != NULL && *v != '\0') {
		if (restore_s3_parse_size(v, &n, err) != SV_OK) {
			sv_err_prefix(err, "SALVAGE_S3_MULTIPART_THRESHOLD: ");
			return err->code;
		}
		if (n < 1 || n > S3_COPY_SINGLE_MAX)
			return sv_err_set(err, SV_E_CONFIG, "SALVAGE_S3_MULTIPART_"
			    "THRESHOLD: %s is outside 1 byte .. 5 GiB (CopyObject's "
			    "limit)", v);
		t->multipart_threshold = n;
	}
	if ((v = getenv("SALVAGE_S3_PART_SIZE")) != NULL && *v != '\0') {
		if (restore_s3_parse_size(v, &n, err) != SV_OK) {
			sv_err_prefix(err, "SALVAGE_S3_PART_SIZE: ");
			return err->code;
		}
		if (n < S3_COPY_PART_MIN || n > S3_COPY_PART_MAX)
			return sv_err_set(err, SV_E_CONFIG, "SALVAGE_S3_PART_SIZE: %s "
			    "is outside 5 MiB .. 5 GiB (S3's part limits)", v);
		t->part_size = n;
	}
	if ((v = getenv("SALVAGE_S3_CONCURRENCY")) != NULL && *v != '\0') {
		char *end;
		long c = strtol(v, &end, 10);

		if (*end != '\0' || c < 1 || c > RESTORE_S3_CONCURRENCY_MAX)
			return sv_err_set(err, SV_E_CONFIG, "SALVAGE_S3_CONCURRENCY: "
			    "'%s' is not a number from 1 to %d", v,
			    RESTORE_S3_CONCURRENCY_MAX);
		t->concurrency = (int)c;
	}
	return SV_OK;
}

/* ---- small helpers ---- */

static const char *
fmt_t(sv_time t, char buf[SV_TIME_ISO_MAX])
{
	if (t == SV_TIME_NONE)
		return "-";
	sv_time_format_iso(t, buf, t % 1000 != 0);
	return buf;
}

static char *
key_uri(const struct rs3_plan *kd, const char *key)
{
	return xasprintf("s3://%s/%s", kd->bucket, key);
}

static char *
join_markers(char *const *m, size_t n)
{
	struct buf	b;
	char		*s;

	buf_init(&b, BUF_MAX_SMALL * 8);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_adds(&b, m[i]);
	}
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

static char **
copy_markers(char *const *m, size_t n)
{
	char	**v = xcalloc(n > 0 ? n : 1, sizeof *v);

	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(m[i]);
	return v;
}

static bool
archived(const char *sc)
{
	return sc != NULL && (strcmp(sc, "GLACIER") == 0 ||
	    strcmp(sc, "DEEP_ARCHIVE") == 0);
}

/* ---- listing (shared by build, the pre-execute check and verify) ---- */

static bool
rs3_page(void *arg, const struct s3_versions_page *pg)
{
	struct rs3_state	*st = arg;
	struct restore_op	*op = st->op;

	if (restore_op_cancelled(op))
		return false;
	st->pages++;
	if (s3_pit_page(st->pit, pg->entries, pg->n, &st->lerr) != SV_OK)
		return false;
	restore_op_progress(op, NULL, -1, "%s: listed %zu versions of %zu keys "
	    "under s3://%s/%s", st->listing_what, s3_pit_entries(st->pit),
	    s3_pit_keys(st->pit), st->kd->bucket, st->kd->key);
	return !s3_pit_stopped(st->pit);
}

static void
rs3_listed(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct rs3_state	*st = arg;
	struct restore_op	*op = st->op;

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK || st->lerr.code != SV_OK) {
		struct sv_err e = r != SV_OK ? *err : st->lerr;

		if (strcmp(st->listing_what, "checking") == 0)
			sv_err_prefix(&e, "nothing was changed: ");
		else if (strcmp(st->listing_what, "verifying") == 0)
			sv_err_prefix(&e, "the keys were restored (see the results), "
			    "but listing them again to verify failed: ");
		restore_op_finish(op, e.code, &e);
		return;
	}
	s3_pit_finish(st->pit);
	if (st->lerr.code != SV_OK) {
		restore_op_finish(op, st->lerr.code, &st->lerr);
		return;
	}
	st->listed(st);
}

/* Lists the versions under kd->key (one key: only_key) through a fresh
 * s3_pit, calling on_key per key, then listed(). */
static void
rs3_list(struct rs3_state *st, const char *what, bool one_key, const char *want,
    s3_pit_key_fn on_key, void (*listed)(struct rs3_state *))
{
	struct s3_pit_opts		o;
	struct s3_list_versions_req	req;
	struct restore_op		*op = st->op;

	memset(&o, 0, sizeof o);
	o.t = st->kd->t != SV_TIME_NONE ? st->kd->t : SV_TIME_NONE;
	o.delete_new = op->plan->delete_new;
	o.only_key = one_key ? st->kd->key : NULL;
	o.want_version = want;
	s3_pit_free(st->pit);
	st->pit = s3_pit_new(&o, on_key, st);
	st->pages = 0;
	st->listing_what = what;
	st->listed = listed;
	sv_err_init(&st->lerr);
	memset(&req, 0, sizeof req);
	req.bucket = st->kd->bucket;
	req.prefix = *st->kd->key != '\0' ? st->kd->key : NULL;
	op->svc = s3_list_object_versions(op->client, &req, rs3_page, rs3_listed, st);
}

/* ---- build ---- */

static void	rs3_build_listed_version(struct rs3_state *);
static void	rs3_build_listed_undelete(struct rs3_state *);
static void	rs3_build_listed_prefix(struct rs3_state *);
static bool	rs3_build_key_one(void *, const struct s3_pit_key *);
static bool	rs3_build_key_prefix(void *, const struct s3_pit_key *);

static bool
rs3_versioning_cb(void *arg, const struct s3_versioning *v)
{
	struct rs3_state	*st = arg;

	st->kd->versioning = v->status;
	return true;
}

static void
rs3_versioning_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct rs3_state	*st = arg;
	struct restore_op	*op = st->op;
	struct restore_plan	*plan = op->plan;
	struct rs3_plan		*kd = st->kd;

	(void)pages;
	op->svc = NULL;
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK) {
		restore_op_finish(op, r, err);
		return;
	}
	switch (kd->versioning) {
	case S3_VERSIONING_NEVER:
		restore_op_fail(op, SV_E_INVALID, "versioning has never been enabled on bucket "
		    "%s: S3 kept no earlier versions or delete markers, so there is "
		    "nothing to restore from", kd->bucket);
		return;
	case S3_VERSIONING_SUSPENDED:
		if (plan->kind == RESTORE_S3_PREFIX && plan->delete_new) {
			restore_op_fail(op, SV_E_INVALID, "--delete-new needs versioning "
			    "Enabled on bucket %s (it is Suspended: a delete would "
			    "remove a key's null version instead of hiding it)",
			    kd->bucket);
			return;
		}
		if (plan->kind != RESTORE_S3_UNDELETE)
			restore_plan_warn(plan, "versioning is Suspended on bucket %s: "
			    "the restored copies get version id null and replace a key's "
			    "existing null version (re-enable versioning first to keep "
			    "every version)", kd->bucket);
		break;
	case S3_VERSIONING_ENABLED:
		break;
	}
	switch (plan->kind) {
	case RESTORE_S3_VERSION:
		rs3_list(st, "planning", true, op->req->version, rs3_build_key_one,
		    rs3_build_listed_version);
		break;
	case RESTORE_S3_UNDELETE:
		rs3_list(st, "planning", true, NULL, rs3_build_key_one,
		    rs3_build_listed_undelete);
		break;
	default:
		rs3_list(st, "planning", false, NULL, rs3_build_key_prefix,
		    rs3_build_listed_prefix);
		break;
	}
}

static void
rs3_build(struct restore_op *op)
{
	struct restore_plan	*plan = op->plan;
	struct rs3_plan		*kd = xcalloc(1, sizeof *kd);
	struct rs3_state	*st;
	struct sv_err		 err;
	char			 a[SV_TIME_ISO_MAX];

	plan->kdata = kd;
	plan->kdata_free = rs3_plan_free;
	kd->bucket = xstrdup(plan->source.name != NULL ? plan->source.name : "");
	kd->key = xstrdup(plan->source.key != NULL ? plan->source.key : "");
	kd->t = SV_TIME_NONE;
	kd->vid_time = SV_TIME_NONE;
	kd->size = -1;
	st = rs3_state(op);
	st->kd = kd;
	sv_err_init(&err);
	if (restore_s3_tuning_env(&kd->tune, &err) != SV_OK) {
		restore_op_finish(op, err.code, &err);
		return;
	}
	if (*kd->bucket == '\0') {
		restore_op_fail(op, SV_E_USAGE, "no bucket in %s", plan->source_uri);
		return;
	}
	if (plan->kind == RESTORE_S3_PREFIX || (plan->kind == RESTORE_S3_VERSION &&
	    op->req->version == NULL)) {
		kd->t = op->req->to;
		if (kd->t == SV_TIME_NONE) {
			restore_op_fail(op, SV_E_USAGE, "%s: give --to TIME", plan->source_uri);
			return;
		}
		if (kd->t > plan->planned_at) {
			restore_op_fail(op, SV_E_INVALID, "%s is in the future: S3 can only go "
			    "back to a time that has passed", fmt_t(kd->t, a));
			return;
		}
	}
	if (plan->kind != RESTORE_S3_PREFIX && *kd->key == '\0') {
		restore_op_fail(op, SV_E_USAGE, "%s names no key", plan->source_uri);
		return;
	}
	op->svc = s3_get_bucket_versioning(op->client, kd->bucket, rs3_versioning_cb,
	    rs3_versioning_done, st);
}

static void
entry_copy(char **vid, sv_time *t, const struct s3_pit_entry *e)
{
	free(*vid);
	*vid = e->set ? xstrdup(e->version_id) : NULL;
	if (t != NULL)
		*t = e->set ? e->last_modified : SV_TIME_NONE;
}

static bool
rs3_build_key_one(void *arg, const struct s3_pit_key *k)
{
	struct rs3_state	*st = arg;
	struct rs3_plan		*kd = st->kd;
	struct restore_plan	*plan = st->op->plan;
	struct restore_request	*req = st->op->req;
	const struct s3_pit_entry *src = NULL;
	char			 a[SV_TIME_ISO_MAX];

	st->seen = true;
	entry_copy(&kd->top, NULL, &k->top);
	kd->top_marker = k->top.delete_marker;
	kd->has_null = k->has_null;
	if (plan->kind == RESTORE_S3_UNDELETE) {
		kd->markers = copy_markers(k->markers, k->nmarkers);
		kd->nmarkers = k->top.delete_marker ? k->nmarkers : 0;
		src = &k->below;
	} else if (req->version != NULL) {
		src = &k->want;
		if (!src->set) {
			sv_err_set(&st->lerr, SV_E_NOTFOUND, "%s has no version %s "
			    "(list them with: salvage versions %s)", plan->source_uri,
			    req->version, plan->source_uri);
			return false;
		}
		if (src->delete_marker) {
			sv_err_set(&st->lerr, SV_E_INVALID, "%s is a delete marker of "
			    "%s, not a version with data: there is nothing to copy (to "
			    "remove delete markers: salvage undelete %s)", req->version,
			    plan->source_uri, plan->source_uri);
			return false;
		}
	} else {
		src = &k->at;
		if (!src->set || src->delete_marker) {
			sv_err_set(&st->lerr, SV_E_INVALID, "%s %s at %s: there is no "
			    "version to restore from then%s%s", plan->source_uri,
			    !src->set ? "did not exist yet" : "was deleted",
			    fmt_t(kd->t, a), src->set ? " (delete marker " : "",
			    src->set ? src->version_id : "");
			if (src->set)
				strncat(st->lerr.msg, ")", sizeof st->lerr.msg -
				    strlen(st->lerr.msg) - 1);
			return false;
		}
	}
	if (src != NULL && src->set) {
		entry_copy(&kd->vid, &kd->vid_time, src);
		kd->size = src->size;
		free(kd->storage_class);
		kd->storage_class = src->storage_class != NULL ?
		    xstrdup(src->storage_class) : NULL;
	}
	return true;
}

static sv_result
rs3_seen(struct rs3_state *st)
{
	struct restore_plan	*plan = st->op->plan;

	if (!st->seen)
		return sv_err_set(&st->lerr, SV_E_NOTFOUND, "%s has no versions and "
		    "no delete markers: there is no such key in bucket %s (list the "
		    "bucket with: salvage ls s3://%s/)", plan->source_uri,
		    st->kd->bucket, st->kd->bucket);
	return SV_OK;
}

/* The calls of an object version restore: one CopyObject, or a
 * multipart copy (three steps: create, the parts, complete). */
static void
rs3_copy_steps(struct restore_plan *plan, struct rs3_plan *kd)
{
	struct restore_step	*s;
	char			*src = s3_copy_source(kd->bucket, kd->key, kd->vid);
	const char		*uri = plan->source_uri;
	char			 hs[16], ps[16];

	str_human_size(hs, sizeof hs, kd->size);
	if (kd->size <= kd->tune.multipart_threshold) {
		s = restore_plan_add_step(plan, OP_S3_CopyObject, RESTORE_ACT_CALL, uri,
		    "CopyObject %s: copy version %s (%s) onto the key as its new "
		    "current version", uri, kd->vid, hs);
		aws_kvlist_add(&s->params, "x-amz-copy-source", src);
		aws_kvlist_add(&s->params, "x-amz-metadata-directive", "COPY");
		s->version_id = xstrdup(kd->vid);
		free(src);
		return;
	}
	kd->multipart = true;
	kd->part = s3_copy_part_size(kd->size, kd->tune.part_size);
	kd->nparts = kd->part > 0 ? (int)((kd->size + kd->part - 1) / kd->part) : 0;
	str_human_size(ps, sizeof ps, kd->part);
	s = restore_plan_add_step(plan, OP_S3_CreateMultipartUpload, RESTORE_ACT_CALL,
	    uri, "CreateMultipartUpload %s: a new upload with the metadata of "
	    "version %s", uri, kd->vid);
	aws_kvlist_add(&s->params, "uploads", "");
	s = restore_plan_add_step(plan, OP_S3_UploadPartCopy, RESTORE_ACT_CALL, uri,
	    "UploadPartCopy x %d: the %s of version %s in parts of %s, %d at a time",
	    kd->nparts, hs, kd->vid, ps, S3_COPY_INFLIGHT);
	aws_kvlist_add(&s->params, "x-amz-copy-source", src);
	aws_kvlist_addf(&s->params, "parts", "%d", kd->nparts);
	aws_kvlist_addf(&s->params, "part_size", "%lld", kd->part);
	s->version_id = xstrdup(kd->vid);
	s = restore_plan_add_step(plan, OP_S3_CompleteMultipartUpload, RESTORE_ACT_CALL,
	    uri, "CompleteMultipartUpload %s: the parts become the new current "
	    "version (AbortMultipartUpload if anything fails)", uri);
	(void)s;
	free(src);
}

static void
rs3_build_listed_version(struct rs3_state *st)
{
	struct restore_op	*op = st->op;
	struct restore_plan	*plan = op->plan;
	struct rs3_plan		*kd = st->kd;
	char			 a[SV_TIME_ISO_MAX], b[SV_TIME_ISO_MAX], hs[16];

	if (rs3_seen(st) != SV_OK) {
		restore_op_finish(op, st->lerr.code, &st->lerr);
		return;
	}
	plan->method = RESTORE_POINT;
	plan->time = kd->vid_time;
	plan->point_kind = POINT_VERSION;
	free(plan->point_id);
	plan->point_id = xstrdup(kd->vid);
	restore_plan_set_loss(plan, op->req);
	if (kd->t != SV_TIME_NONE)
		restore_plan_note(plan, "the version current at %s is %s (written %s)",
		    fmt_t(kd->t, a), kd->vid, fmt_t(kd->vid_time, b));
	if (!kd->top_marker && strcmp(kd->top, kd->vid) == 0) {
		restore_plan_note(plan, "version %s is already the current version of "
		    "%s: nothing to do", kd->vid, plan->source_uri);
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	rs3_copy_steps(plan, kd);
	str_human_size(hs, sizeof hs, kd->size);
	restore_plan_note(plan, "history is kept: the current %s %s stays as an "
	    "earlier version, and %s remains too", kd->top_marker ?
	    "delete marker" : "version", kd->top, kd->vid);
	if (kd->top_marker)
		restore_plan_note(plan, "%s is deleted now: the copy goes on top of "
		    "its delete marker(s), which stay in the history",
		    plan->source_uri);
	if (kd->multipart) {
		restore_plan_note(plan, "%s is over the multipart threshold: it is "
		    "copied in %d parts; the new version's ETag will not equal the "
		    "source's (the content will), and object tags are not copied",
		    hs, kd->nparts);
	}
	if (archived(kd->storage_class))
		restore_plan_warn(plan, "version %s is stored in %s: the copy fails "
		    "unless a temporary restored copy is available (S3 RestoreObject)",
		    kd->vid, kd->storage_class);
	if (kd->versioning == S3_VERSIONING_SUSPENDED && kd->has_null)
		restore_plan_warn(plan, "%s has a version with id null: with "
		    "versioning Suspended, the copy replaces it", plan->source_uri);
	restore_op_finish(op, SV_OK, NULL);
}

static void
rs3_build_listed_undelete(struct rs3_state *st)
{
	struct restore_op	*op = st->op;
	struct restore_plan	*plan = op->plan;
	struct rs3_plan		*kd = st->kd;
	char			 a[SV_TIME_ISO_MAX];

	if (rs3_seen(st) != SV_OK) {
		restore_op_finish(op, st->lerr.code, &st->lerr);
		return;
	}
	if (!kd->top_marker) {
		restore_op_fail(op, SV_E_INVALID, "%s is not deleted: its current version is "
		    "%s; there is no delete marker to remove (nothing was changed)",
		    plan->source_uri, kd->top);
		return;
	}
	if (kd->vid == NULL) {
		restore_op_fail(op, SV_E_INVALID, "%s has only delete markers (%zu), no "
		    "version with data under them: undelete cannot bring anything "
		    "back (nothing was changed)", plan->source_uri, kd->nmarkers);
		return;
	}
	plan->method = RESTORE_POINT;
	plan->time = kd->vid_time;
	plan->point_kind = POINT_VERSION;
	free(plan->point_id);
	plan->point_id = xstrdup(kd->vid);
	restore_plan_set_loss(plan, op->req);
	plan->loss_ms = 0;	/* nothing newer than it holds data */
	for (size_t i = 0; i < kd->nmarkers; i++) {
		struct restore_step *s;

		s = restore_plan_add_step(plan, OP_S3_DeleteObject, RESTORE_ACT_CALL,
		    plan->source_uri, "DeleteObject %s versionId=%s: remove the "
		    "delete marker%s (checked to be a delete marker first)",
		    plan->source_uri, kd->markers[i], kd->nmarkers > 1 ?
		    (i == 0 ? " on top" : " under it") : "");
		aws_kvlist_add(&s->params, "versionId", kd->markers[i]);
		s->version_id = xstrdup(kd->markers[i]);
	}
	restore_plan_note(plan, "version %s (written %s) becomes current again; "
	    "no version with data is deleted", kd->vid, fmt_t(kd->vid_time, a));
	restore_op_finish(op, SV_OK, NULL);
}


/* One key of a prefix plan: its step (the call, or none) and its data. */
static bool
rs3_build_key_prefix(void *arg, const struct s3_pit_key *k)
{
	struct rs3_state	*st = arg;
	struct rs3_plan		*kd = st->kd;
	struct restore_plan	*plan = st->op->plan;
	struct rs3_key		*rk;
	struct restore_step	*s = NULL;
	char			*uri = key_uri(kd, k->key), *src, *joined;
	char			 t[SV_TIME_ISO_MAX], a[SV_TIME_ISO_MAX], hs[16];
	const char		*now_what = k->top.delete_marker ? "delete marker" :
				    "version";

	if (kd->nkeys == kd->capkeys) {
		kd->capkeys = kd->capkeys ? 2 * kd->capkeys : 64;
		kd->keys = xreallocarray(kd->keys, kd->capkeys, sizeof *kd->keys);
	}
	rk = &kd->keys[kd->nkeys++];
	memset(rk, 0, sizeof *rk);
	rk->action = k->action;
	rk->top = xstrdup(k->top.version_id);
	rk->top_marker = k->top.delete_marker;
	rk->has_null = k->has_null;
	rk->size = -1;
	kd->counts[k->action]++;
	kd->entries += k->entries;
	fmt_t(kd->t, t);
	switch (k->action) {
	case S3_PIT_RESTORE_VERSION:
		rk->source = xstrdup(k->at.version_id);
		rk->size = k->at.size;
		str_human_size(hs, sizeof hs, k->at.size);
		src = s3_copy_source(kd->bucket, k->key, k->at.version_id);
		if (k->at.size > kd->tune.multipart_threshold) {
			long long part = s3_copy_part_size(k->at.size, kd->tune.part_size);

			s = restore_plan_add_step(plan, OP_S3_UploadPartCopy,
			    RESTORE_ACT_RESTORE_VERSION, uri, "restore-version %s: "
			    "copy version %s (%s, %s, multipart in parts of %lld "
			    "bytes) on top of the current %s %s", uri,
			    k->at.version_id, fmt_t(k->at.last_modified, a), hs, part,
			    now_what, k->top.version_id);
			aws_kvlist_add(&s->params, "x-amz-copy-source", src);
			aws_kvlist_addf(&s->params, "part_size", "%lld", part);
		} else {
			s = restore_plan_add_step(plan, OP_S3_CopyObject,
			    RESTORE_ACT_RESTORE_VERSION, uri, "restore-version %s: "
			    "copy version %s (%s, %s) on top of the current %s %s",
			    uri, k->at.version_id, fmt_t(k->at.last_modified, a), hs,
			    now_what, k->top.version_id);
			aws_kvlist_add(&s->params, "x-amz-copy-source", src);
			aws_kvlist_add(&s->params, "x-amz-metadata-directive", "COPY");
		}
		free(src);
		s->version_id = xstrdup(k->at.version_id);
		if (archived(k->at.storage_class))
			kd->archived++;
		if (kd->versioning == S3_VERSIONING_SUSPENDED && k->has_null)
			kd->null_replaced++;
		break;
	case S3_PIT_UNDELETE:
		rk->source = xstrdup(k->at.version_id);
		rk->markers = copy_markers(k->markers, k->nmarkers);
		rk->nmarkers = k->nmarkers;
		joined = join_markers(k->markers, k->nmarkers);
		s = restore_plan_add_step(plan, OP_S3_DeleteObject, RESTORE_ACT_UNDELETE,
		    uri, "undelete %s: remove the delete marker%s %s made after %s; "
		    "version %s (%s) is current again", uri, k->nmarkers > 1 ? "s" : "",
		    joined, t, k->at.version_id, fmt_t(k->at.last_modified, a));
		aws_kvlist_add(&s->params, "versionId", joined);
		s->version_id = joined;
		break;
	case S3_PIT_DELETE_NEW:
		s = restore_plan_add_step(plan, OP_S3_DeleteObject, RESTORE_ACT_DELETE_NEW,
		    uri, "delete-new %s: created after %s; add a delete marker on top "
		    "of version %s (no version is deleted)", uri, t, k->top.version_id);
		break;
	case S3_PIT_DELETE:
		s = restore_plan_add_step(plan, OP_S3_DeleteObject, RESTORE_ACT_DELETE_NEW,
		    uri, "delete %s: deleted at %s (delete marker %s) and written again "
		    "since; add a delete marker on top of version %s (no version is "
		    "deleted)", uri, t, k->at.version_id, k->top.version_id);
		break;
	case S3_PIT_LEAVE_NEW:
		if (k->at_t == S3_PIT_ABSENT)
			s = restore_plan_add_step(plan, OP__COUNT, RESTORE_ACT_LEAVE_NEW,
			    uri, "created after %s; left alone (--delete-new would hide "
			    "it behind a delete marker)", t);
		else
			s = restore_plan_add_step(plan, OP__COUNT, RESTORE_ACT_LEAVE_NEW,
			    uri, "deleted at %s and written again since; left alone "
			    "(--delete-new would hide it behind a delete marker)", t);
		break;
	case S3_PIT_UNCHANGED:
		if (k->at_t == S3_PIT_VERSION && k->same_content)
			s = restore_plan_add_step(plan, OP__COUNT, RESTORE_ACT_UNCHANGED,
			    uri, "version %s has the content of version %s current "
			    "at %s", k->top.version_id, k->at.version_id, t);
		else if (k->at_t == S3_PIT_VERSION)
			s = restore_plan_add_step(plan, OP__COUNT, RESTORE_ACT_UNCHANGED,
			    uri, "version %s, as at %s", k->top.version_id, t);
		else
			s = restore_plan_add_step(plan, OP__COUNT, RESTORE_ACT_UNCHANGED,
			    uri, "%s at %s and deleted now", k->at_t == S3_PIT_ABSENT ?
			    "absent" : "deleted", t);
		break;
	}
	s->key = xstrdup(k->key);
	free(uri);
	return true;
}

static void
rs3_build_listed_prefix(struct rs3_state *st)
{
	struct restore_op	*op = st->op;
	struct restore_plan	*plan = op->plan;
	struct rs3_plan		*kd = st->kd;
	char			 t[SV_TIME_ISO_MAX];
	size_t			 act;

	fmt_t(kd->t, t);
	plan->method = RESTORE_PITR;
	plan->requested = kd->t;
	plan->time = kd->t;
	restore_plan_set_loss(plan, op->req);
	act = kd->counts[S3_PIT_RESTORE_VERSION] + kd->counts[S3_PIT_UNDELETE] +
	    kd->counts[S3_PIT_DELETE_NEW] + kd->counts[S3_PIT_DELETE];
	if (kd->nkeys == 0)
		restore_plan_note(plan, "no keys under %s: nothing to do",
		    plan->source_uri);
	else
		restore_plan_note(plan, "%zu key%s under %s (%zu versions and delete "
		    "markers): %zu restore-version, %zu undelete, %zu delete-new, "
		    "%zu delete, %zu leave-new, %zu unchanged", kd->nkeys,
		    kd->nkeys == 1 ? "" : "s", plan->source_uri, kd->entries,
		    kd->counts[S3_PIT_RESTORE_VERSION], kd->counts[S3_PIT_UNDELETE],
		    kd->counts[S3_PIT_DELETE_NEW], kd->counts[S3_PIT_DELETE],
		    kd->counts[S3_PIT_LEAVE_NEW], kd->counts[S3_PIT_UNCHANGED]);
	if (kd->nkeys > 0 && act == 0)
		restore_plan_note(plan, "every key is already as it was at %s (or "
		    "left alone): nothing to change", t);
	if (act > 0) {
		restore_plan_note(plan, "history is kept: copies and delete markers "
		    "are new versions on top; no version is ever deleted");
		restore_plan_note(plan, "before the first change the prefix is listed "
		    "again: if any key differs from this plan, nothing is changed");
		restore_plan_note(plan, "up to %d keys at a time; a key that fails "
		    "does not stop the others", kd->tune.concurrency);
	}
	if (kd->counts[S3_PIT_LEAVE_NEW] > 0)
		restore_plan_warn(plan, "%zu key%s created or written again after %s "
		    "%s left alone: --delete-new hides them behind delete markers "
		    "(their versions are kept)", kd->counts[S3_PIT_LEAVE_NEW],
		    kd->counts[S3_PIT_LEAVE_NEW] == 1 ? "" : "s", t,
		    kd->counts[S3_PIT_LEAVE_NEW] == 1 ? "is" : "are");
	if (kd->archived > 0)
		restore_plan_warn(plan, "%zu version%s to copy %s in GLACIER or "
		    "DEEP_ARCHIVE: those copies fail unless a restored copy is "
		    "available (S3 RestoreObject)", kd->archived,
		    kd->archived == 1 ? "" : "s", kd->archived == 1 ? "is" : "are");
	if (kd->null_replaced > 0)
		restore_plan_warn(plan, "%zu key%s a version with id null that the "
		    "copy replaces (versioning is Suspended)", kd->null_replaced,
		    kd->null_replaced == 1 ? " has" : "s have");
	restore_op_finish(op, SV_OK, NULL);
}

/* ---- execute: one version ---- */

static void
rs3_record_all(struct restore_op *op, sv_result r, const struct sv_err *err,
    const char *request_id, const char *detail)
{
	for (size_t i = 0; i < op->plan->nsteps; i++)
		restore_outcome_step(op->outcome, i, r, err, request_id, detail);
}

static void
rs3_copy_progress(void *arg, long long copied, long long total)
{
	struct rs3_state	*st = arg;
	char			 a[16], b[16];

	if (restore_op_cancelled(st->op))
		return;
	str_human_size(a, sizeof a, copied);
	str_human_size(b, sizeof b, total);
	restore_op_progress(st->op, "copying", total > 0 ?
	    (int)(copied * 100 / total) : -1, "copied %s of %s", a, b);
}

static void
rs3_version_done(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_copy_result *res)
{
	struct rs3_state	*st = arg;
	struct restore_op	*op = st->op;
	struct restore_outcome	*o = op->outcome;
	char			*detail = NULL;

	st->cop = NULL;
	if (r == SV_OK) {
		detail = xasprintf("new current version %s (ETag %s)%s",
		    res->version_id != NULL ? res->version_id : "(no id: versioning "
		    "suspended?)", res->etag != NULL ? res->etag : "-",
		    res->tags_dropped ? "; the source's tags were not copied" : "");
		free(o->status);
		o->status = xstrdup("copied");
		free(o->target_arn);
		o->target_arn = res->version_id != NULL ?
		    xasprintf("%s?versionId=%s", op->plan->target_uri, res->version_id) :
		    NULL;
		o->executed = true;
		o->finished = sv_time_now();
	}
	if (r == SV_E_CANCELLED) {
		struct sv_err e;

		sv_err_init(&e);
		sv_err_set(&e, r, "stopped while the copy was in flight: it may still "
		    "complete (check with: salvage versions %s)", op->plan->source_uri);
		rs3_record_all(op, r, &e, NULL, NULL);
		return;
	}
	rs3_record_all(op, r, err, res != NULL ? res->request_id : NULL, detail);
	free(detail);
	if (restore_op_cancelled(op))
		return;
	restore_op_finish(op, r, err);
}

static void
rs3_execute_version(struct restore_op *op)
{
	struct rs3_state	*st = rs3_state(op);
	struct rs3_plan		*kd = st->kd;
	struct s3_copy_req	 req;

	if (op->plan->nsteps == 0) {
		op->outcome->executed = true;
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	memset(&req, 0, sizeof req);
	req.bucket = kd->bucket;
	req.key = kd->key;
	req.version_id = kd->vid;
	req.multipart_threshold = kd->tune.multipart_threshold;
	req.part_size = kd->tune.part_size;
	/* No progress from inside the start function: the caller's
	 * progress data may not be in place yet. */
	op->outcome->started = sv_time_now();
	st->cop = s3_copy_version(op->client, &req, rs3_copy_progress,
	    rs3_version_done, st);
}

/* ---- execute: undelete ---- */

static bool
rs3_head_cb(void *arg, const struct s3_head *h)
{
	struct rs3_head	*hd = &((struct rs3_state *)arg)->head;

	hd->seen = true;
	hd->marker = h->delete_marker;
	free(hd->vid);
	hd->vid = h->version_id != NULL ? xstrdup(h->version_id) : NULL;
	return true;
}

static void	rs3_undelete_next(struct rs3_state *);

static void
rs3_head_start(struct rs3_state *st, svc_done_fn done)
{
	struct s3_head_req	req;

	memset(&req, 0, sizeof req);
	req.bucket = st->kd->bucket;
	req.key = st->kd->key;
	free(st->head.vid);
	memset(&st->head, 0, sizeof st->head);
	st->op->svc = s3_head_object(st->op->client, &req, rs3_head_cb, done, st);
}

static bool
rs3_head_take(struct rs3_state *st, sv_result r, const struct sv_err *err,
    struct rs3_head *out)
{
	struct restore_op	*op = st->op;

	op->svc = NULL;
	*out = st->head;
	memset(&st->head, 0, sizeof st->head);
	if (restore_op_cancelled(op)) {
		free(out->vid);
		return false;
	}
	if (r != SV_OK) {
		free(out->vid);
		restore_op_finish(op, r, err);
		return false;
	}
	return true;
}

static void
rs3_undelete_checked(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct rs3_state	*st = arg;
	struct restore_op	*op = st->op;
	struct rs3_plan		*kd = st->kd;
	struct rs3_head		 h;

	(void)pages;
	if (!rs3_head_take(st, r, err, &h))
		return;
	if (!h.seen || !h.marker) {
		restore_op_fail(op, SV_E_MISMATCH, "%s changed since the plan: it is not "
		    "deleted any more (current version %s); nothing was changed",
		    op->plan->source_uri, h.vid != NULL ? h.vid : "unknown");
		free(h.vid);
		return;
	}
	if (h.vid != NULL && strcmp(h.vid, kd->markers[0]) != 0) {
		restore_op_fail(op, SV_E_MISMATCH, "%s changed since the plan: the delete "
		    "marker on top is now %s, the plan removes %s; nothing was "
		    "changed: plan again", op->plan->source_uri, h.vid, kd->markers[0]);
		free(h.vid);
		return;
	}
	free(h.vid);
	op->outcome->started = sv_time_now();
	st->marker = 0;
	rs3_undelete_next(st);
}

static void
rs3_undelete_verified(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct rs3_state	*st = arg;
	struct restore_op	*op = st->op;
	struct rs3_plan		*kd = st->kd;
	struct restore_outcome	*o = op->outcome;
	struct rs3_head		 h;

	(void)pages;
	if (!rs3_head_take(st, r, err, &h))
		return;
	if (!h.seen || h.marker || (h.vid != NULL && strcmp(h.vid, kd->vid) != 0)) {
		restore_op_fail(op, SV_E_MISMATCH, "after removing %zu delete marker%s, the "
		    "current version of %s is %s%s, not version %s as planned (check "
		    "with: salvage versions %s)", kd->nmarkers, kd->nmarkers == 1 ?
		    "" : "s", op->plan->source_uri, h.marker ? "a delete marker " : "",
		    h.vid != NULL ? h.vid : "unknown", kd->vid, op->plan->source_uri);
		free(h.vid);
		return;
	}
	free(h.vid);
	free(o->status);
	o->status = xstrdup("undeleted");
	free(o->target_arn);
	o->target_arn = xasprintf("%s?versionId=%s", op->plan->target_uri, kd->vid);
	o->executed = true;
	o->finished = sv_time_now();
	restore_op_finish(op, SV_OK, NULL);
}

static void
rs3_undelete_removed(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_delete_result *res)
{
	struct rs3_state	*st = arg;
	struct restore_op	*op = st->op;
	char			*detail = NULL;

	st->cop = NULL;
	if (r == SV_OK)
		detail = xasprintf("removed delete marker %s",
		    st->kd->markers[st->marker]);
	restore_outcome_step(op->outcome, st->marker, r, err,
	    res != NULL ? res->request_id : NULL, detail);
	free(detail);
	if (restore_op_cancelled(op))
		return;
	if (r != SV_OK) {
		restore_op_finish(op, r, err);
		return;
	}
	st->marker++;
	op->next_step = st->marker;
	rs3_undelete_next(st);
}

static void
rs3_undelete_next(struct rs3_state *st)
{
	struct rs3_plan	*kd = st->kd;

	if (st->marker >= kd->nmarkers) {
		rs3_head_start(st, rs3_undelete_verified);
		return;
	}
	restore_op_progress(st->op, "deleting", -1, "removing delete marker %s of %s",
	    kd->markers[st->marker], st->op->plan->source_uri);
	st->cop = s3_delete_marker_remove(st->op->client, kd->bucket, kd->key,
	    kd->markers[st->marker], rs3_undelete_removed, st);
}

static void
rs3_execute_undelete(struct restore_op *op)
{
	struct rs3_state	*st = rs3_state(op);

	if (st->kd->nmarkers == 0) {
		restore_op_fail(op, SV_E_INVALID, "%s: the plan removes no delete marker",
		    op->plan->source_uri);
		return;
	}
	rs3_head_start(st, rs3_undelete_checked);
}

/* ---- execute: prefix ---- */

static void	rs3_pool_fill(struct rs3_state *);

static void
rs3_diff(struct rs3_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
rs3_diff(struct rs3_state *st, const char *fmt, ...)
{
	va_list	ap;

	if (st->ndiff < RS3_DIFF_SHOWN) {
		va_start(ap, fmt);
		vsnprintf(st->diffs[st->ndiff], sizeof st->diffs[st->ndiff], fmt, ap);
		va_end(ap);
	}
	st->ndiff++;
}

static void
rs3_diff_text(const struct rs3_state *st, char *out, size_t outsz)
{
	size_t	n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < st->ndiff && i < RS3_DIFF_SHOWN; i++)
		n += (size_t)snprintf(out + n, n < outsz ? outsz - n : 0, "%s%s",
		    i > 0 ? "; " : "", st->diffs[i]);
	if (st->ndiff > RS3_DIFF_SHOWN && n < outsz)
		snprintf(out + n, outsz - n, "; and %zu more",
		    st->ndiff - RS3_DIFF_SHOWN);
}

/* Walks the plan's keys alongside a fresh listing: keys of the plan
 * before k are gone; returns the step of k, or nsteps when k is new. */
static size_t
rs3_match(struct rs3_state *st, const char *key, const char *when)
{
	struct restore_plan	*plan = st->op->plan;
	int			 c = 1;

	while (st->cmp < plan->nsteps &&
	    (c = strcmp(plan->steps[st->cmp].key, key)) < 0) {
		rs3_diff(st, "%s: no longer listed %s", plan->steps[st->cmp].key, when);
		st->cmp++;
	}
	if (st->cmp < plan->nsteps && c == 0)
		return st->cmp++;
	rs3_diff(st, "%s: new %s", key, when);
	return plan->nsteps;
}

static void
rs3_match_rest(struct rs3_state *st, const char *when)
{
	struct restore_plan	*plan = st->op->plan;

	for (; st->cmp < plan->nsteps; st->cmp++)
		rs3_diff(st, "%s: no longer listed %s", plan->steps[st->cmp].key, when);
}

static bool
rs3_check_key(void *arg, const struct s3_pit_key *k)
{
	struct rs3_state	*st = arg;
	struct rs3_plan		*kd = st->kd;
	size_t			 i = rs3_match(st, k->key, "since the plan");
	struct rs3_key		*rk;
	char			*joined = NULL;
	bool			 same;

	if (i == st->op->plan->nsteps)
		return true;
	rk = &kd->keys[i];
	same = rk->action == k->action && strcmp(rk->top, k->top.version_id) == 0 &&
	    rk->top_marker == k->top.delete_marker;
	if (same && (k->action == S3_PIT_RESTORE_VERSION || k->action == S3_PIT_UNDELETE))
		same = rk->source != NULL && k->at.set &&
		    strcmp(rk->source, k->at.version_id) == 0;
	if (same && k->action == S3_PIT_UNDELETE) {
		char *was = join_markers(rk->markers, rk->nmarkers);

		joined = join_markers(k->markers, k->nmarkers);
		same = strcmp(was, joined) == 0;
		free(was);
	}
	if (!same)
		rs3_diff(st, "%s: planned %s (current %s), now %s (current %s)",
		    k->key, s3_pit_action_name(rk->action), rk->top,
		    s3_pit_action_name(k->action), k->top.version_id);
	free(joined);
	return true;
}

static void
rs3_checked(struct rs3_state *st)
{
	struct restore_op	*op = st->op;
	struct restore_plan	*plan = op->plan;
	char			 text[RS3_DIFF_SHOWN * 400];

	rs3_match_rest(st, "since the plan");
	if (st->ndiff > 0) {
		rs3_diff_text(st, text, sizeof text);
		restore_op_fail(op, SV_E_MISMATCH, "the bucket changed between the plan and "
		    "its confirmation: %zu key%s differ%s from the plan (%s); nothing "
		    "was changed: plan again (salvage restore %s --to TIME --dry-run)",
		    st->ndiff, st->ndiff == 1 ? "" : "s", st->ndiff == 1 ? "s" : "",
		    text, plan->source_uri);
		return;
	}
	st->queued = xcalloc(plan->nsteps > 0 ? plan->nsteps : 1, sizeof *st->queued);
	for (size_t i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].op != OP__COUNT)
			st->queued[st->nqueued++] = i;
	st->newvid = xcalloc(plan->nsteps > 0 ? plan->nsteps : 1, sizeof *st->newvid);
	st->njobs = (size_t)st->kd->tune.concurrency;
	st->jobs = xcalloc(st->njobs, sizeof *st->jobs);
	for (size_t i = 0; i < st->njobs; i++)
		st->jobs[i].st = st;
	op->outcome->started = sv_time_now();
	restore_op_progress(op, "restoring", 0, "restoring %zu key%s under %s, %zu "
	    "at a time", st->nqueued, st->nqueued == 1 ? "" : "s", plan->source_uri,
	    st->njobs);
	rs3_pool_fill(st);
}

static void
rs3_job_end(struct rs3_job *job, sv_result r, const struct sv_err *err,
    const char *request_id, const char *detail)
{
	struct rs3_state	*st = job->st;
	struct restore_op	*op = st->op;
	struct restore_outcome	*o = op->outcome;
	const struct restore_step *s = &op->plan->steps[job->step];
	struct sv_err		 e;

	if (r == SV_E_CANCELLED) {
		/* The request may have reached S3 before it was cancelled. */
		sv_err_init(&e);
		sv_err_set(&e, r, "stopped while its request was in flight: it may "
		    "still take effect (check with: salvage versions s3://%s/%s)",
		    st->kd->bucket, s->key);
		err = &e;
	}
	restore_outcome_step(o, job->step, r, err, request_id, detail);
	job->busy = false;
	job->cop = NULL;
	st->running--;
	st->finished++;
	op->next_step = st->finished;
	if (restore_op_cancelled(op))
		return;
	restore_op_progress(op, "restoring", st->nqueued > 0 ?
	    (int)(st->finished * 100 / st->nqueued) : 100, "%zu/%zu keys (%zu "
	    "failed): %s %s %s", st->finished, st->nqueued, o->failed,
	    s3_pit_action_name(st->kd->keys[job->step].action), s->key,
	    r == SV_OK ? "ok" : sv_result_str(r));
	rs3_pool_fill(st);
}

static void
rs3_job_copied(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_copy_result *res)
{
	struct rs3_job	*job = arg;
	char		*detail = NULL;

	if (r == SV_OK) {
		job->st->newvid[job->step] = res->version_id != NULL ?
		    xstrdup(res->version_id) : NULL;
		detail = xasprintf("new current version %s (copy of %s)",
		    res->version_id != NULL ? res->version_id : "null",
		    job->st->kd->keys[job->step].source);
	}
	rs3_job_end(job, r, err, res != NULL ? res->request_id : NULL, detail);
	free(detail);
}

static void	rs3_job_deleted(void *, sv_result, const struct sv_err *,
		    const struct s3_delete_result *);

static void
rs3_job_remove_next(struct rs3_job *job)
{
	struct rs3_state	*st = job->st;
	struct rs3_key		*rk = &st->kd->keys[job->step];

	job->cop = s3_delete_marker_remove(st->op->client, st->kd->bucket,
	    st->op->plan->steps[job->step].key, rk->markers[job->marker],
	    rs3_job_deleted, job);
}

static void
rs3_job_deleted(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_delete_result *res)
{
	struct rs3_job		*job = arg;
	struct rs3_state	*st = job->st;
	struct rs3_key		*rk = &st->kd->keys[job->step];
	char			*detail = NULL, *joined;

	job->cop = NULL;
	if (rk->action == S3_PIT_UNDELETE && r == SV_OK &&
	    job->marker + 1 < rk->nmarkers && !restore_op_cancelled(st->op)) {
		job->marker++;
		rs3_job_remove_next(job);
		return;
	}
	if (r == SV_OK && rk->action == S3_PIT_UNDELETE) {
		joined = join_markers(rk->markers, rk->nmarkers);
		detail = xasprintf("removed delete marker%s %s; version %s is current",
		    rk->nmarkers > 1 ? "s" : "", joined, rk->source);
		free(joined);
	} else if (r == SV_OK)
		detail = xasprintf("new delete marker %s", res->version_id != NULL ?
		    res->version_id : "null");
	else if (rk->action == S3_PIT_UNDELETE && job->marker > 0) {
		struct sv_err e2 = *err;

		sv_err_prefix(&e2, "after removing %zu of %zu delete markers: ",
		    job->marker, rk->nmarkers);
		rs3_job_end(job, r, &e2, res != NULL ? res->request_id : NULL, NULL);
		return;
	}
	rs3_job_end(job, r, err, res != NULL ? res->request_id : NULL, detail);
	free(detail);
}

static void
rs3_job_start(struct rs3_state *st, struct rs3_job *job, size_t step)
{
	struct rs3_key		*rk = &st->kd->keys[step];
	const char		*key = st->op->plan->steps[step].key;
	struct s3_copy_req	 req;

	job->busy = true;
	job->step = step;
	job->marker = 0;
	st->running++;
	switch (rk->action) {
	case S3_PIT_RESTORE_VERSION:
		memset(&req, 0, sizeof req);
		req.bucket = st->kd->bucket;
		req.key = key;
		req.version_id = rk->source;
		req.multipart_threshold = st->kd->tune.multipart_threshold;
		req.part_size = st->kd->tune.part_size;
		job->cop = s3_copy_version(st->op->client, &req, NULL, rs3_job_copied,
		    job);
		break;
	case S3_PIT_UNDELETE:
		rs3_job_remove_next(job);
		break;
	case S3_PIT_DELETE_NEW:
	case S3_PIT_DELETE:
		job->cop = s3_delete_marker_add(st->op->client, st->kd->bucket, key,
		    rs3_job_deleted, job);
		break;
	default: {
		struct sv_err e;

		sv_err_init(&e);
		sv_err_set(&e, SV_E_INVALID, "%s: nothing to send", key);
		rs3_job_end(job, SV_E_INVALID, &e, NULL, NULL);
		break;
	}
	}
}

static void	rs3_prefix_ran(struct rs3_state *);

static void
rs3_pool_fill(struct rs3_state *st)
{
	if (st->filling) {
		st->refill = true;
		return;
	}
	st->filling = true;
	do {
		st->refill = false;
		for (size_t j = 0; j < st->njobs && st->next < st->nqueued &&
		    !restore_op_cancelled(st->op); j++) {
			if (!st->jobs[j].busy)
				rs3_job_start(st, &st->jobs[j], st->queued[st->next++]);
		}
	} while (st->refill && !restore_op_cancelled(st->op));
	st->filling = false;
	if (!restore_op_cancelled(st->op) && st->running == 0 &&
	    st->next == st->nqueued)
		rs3_prefix_ran(st);
}

/* After the run: every key as planned? */
static bool
rs3_verify_key(void *arg, const struct s3_pit_key *k)
{
	struct rs3_state		*st = arg;
	struct restore_op		*op = st->op;
	size_t				 i = rs3_match(st, k->key, "after the run");
	const struct restore_step_result *res;
	struct rs3_key			*rk;
	const char			*want = NULL;
	bool				 ok = true, want_marker = false;

	if (i == op->plan->nsteps)
		return true;
	rk = &st->kd->keys[i];
	res = i < op->outcome->nsteps ? &op->outcome->steps[i] : NULL;
	if (op->plan->steps[i].op != OP__COUNT && (res == NULL || !res->done ||
	    res->result != SV_OK))
		return true;	/* failed: reported already */
	switch (rk->action) {
	case S3_PIT_RESTORE_VERSION:
		want = st->newvid[i];
		break;
	case S3_PIT_UNDELETE:
		want = rk->source;
		break;
	case S3_PIT_DELETE_NEW:
	case S3_PIT_DELETE:
		want_marker = true;
		break;
	default:
		want = rk->top;
		want_marker = rk->top_marker;
		break;
	}
	if (k->top.delete_marker != want_marker)
		ok = false;
	if (want != NULL && strcmp(want, k->top.version_id) != 0)
		ok = false;
	if (!ok)
		rs3_diff(st, "%s: current %s %s, expected %s%s", k->key,
		    k->top.delete_marker ? "delete marker" : "version",
		    k->top.version_id, want_marker ? "a delete marker" : "version ",
		    want_marker ? "" : want != NULL ? want : "?");
	return true;
}

static void
rs3_verified(struct rs3_state *st)
{
	struct restore_op	*op = st->op;
	struct restore_outcome	*o = op->outcome;
	char			 text[RS3_DIFF_SHOWN * 400];
	struct sv_err		 first;

	rs3_match_rest(st, "after the run");
	o->finished = sv_time_now();
	o->executed = true;
	free(o->status);
	o->status = xasprintf(st->ndiff == 0 ? "verified" : "differs");
	if (st->ndiff > 0) {
		rs3_diff_text(st, text, sizeof text);
		restore_op_fail(op, SV_E_MISMATCH, "after the run, %zu key%s under %s %s not "
		    "as planned (%s); another writer may be changing the prefix",
		    st->ndiff, st->ndiff == 1 ? "" : "s", op->plan->source_uri,
		    st->ndiff == 1 ? "is" : "are", text);
		return;
	}
	if (o->failed == 0) {
		restore_op_finish(op, SV_OK, NULL);
		return;
	}
	sv_err_init(&first);
	for (size_t i = 0; i < o->nsteps; i++) {
		if (o->steps[i].done && o->steps[i].result != SV_OK &&
		    o->steps[i].result != SV_E_CANCELLED) {
			sv_err_set(&first, o->steps[i].result, "%s",
			    o->steps[i].message != NULL ? o->steps[i].message : "");
			break;
		}
	}
	if (o->ok == 0)
		restore_op_fail(op, first.code, "all %zu keys failed (first: %s)", o->failed,
		    first.msg);
	else
		restore_op_fail(op, SV_E_PARTIAL, "%zu of %zu keys failed (first: %s); the "
		    "other %zu were restored", o->failed, o->failed + o->ok, first.msg,
		    o->ok);
}

static void
rs3_prefix_ran(struct rs3_state *st)
{
	restore_op_progress(st->op, "verifying", 100, "listing %s again to verify",
	    st->op->plan->source_uri);
	st->cmp = 0;
	st->ndiff = 0;
	rs3_list(st, "verifying", false, NULL, rs3_verify_key, rs3_verified);
}

static void
rs3_execute_prefix(struct restore_op *op)
{
	struct rs3_state	*st = rs3_state(op);

	st->cmp = 0;
	st->ndiff = 0;
	rs3_list(st, "checking", false, NULL, rs3_check_key, rs3_checked);
}

/* ---- cancel, JSON ---- */

static void
rs3_cancel(struct restore_op *op)
{
	struct rs3_state	*st = op->kstate;

	if (st == NULL)
		return;
	if (st->cop != NULL) {
		struct s3_copy_op *c = st->cop;

		st->cop = NULL;
		s3_copy_op_cancel(c);
	}
	for (size_t i = 0; i < st->njobs; i++) {
		if (st->jobs[i].busy && st->jobs[i].cop != NULL) {
			struct s3_copy_op *c = st->jobs[i].cop;

			st->jobs[i].cop = NULL;
			s3_copy_op_cancel(c);
		}
	}
}

static void
rs3_json(const struct restore_plan *plan, struct jsonw *j)
{
	const struct rs3_plan	*kd = plan->kdata;

	if (kd == NULL)
		return;
	jsonw_key(j, "s3");
	jsonw_obj_begin(j);
	jsonw_kstr(j, "bucket", kd->bucket);
	jsonw_kstr(j, plan->kind == RESTORE_S3_PREFIX ? "prefix" : "key", kd->key);
	jsonw_kstr(j, "versioning", s3_versioning_status_str(kd->versioning));
	jsonw_kint(j, "multipart_threshold", kd->tune.multipart_threshold);
	jsonw_kint(j, "part_size", kd->tune.part_size);
	if (plan->kind == RESTORE_S3_PREFIX) {
		jsonw_ktime(j, "time", kd->t);
		jsonw_kint(j, "concurrency", kd->tune.concurrency);
		jsonw_kint(j, "keys", (long long)kd->nkeys);
		jsonw_kint(j, "entries", (long long)kd->entries);
		jsonw_key(j, "counts");
		jsonw_obj_begin(j);
		for (int a = S3_PIT_UNCHANGED; a <= S3_PIT_LEAVE_NEW; a++)
			jsonw_kint(j, s3_pit_action_name(a), (long long)kd->counts[a]);
		jsonw_obj_end(j);
		jsonw_key(j, "actions");	/* per step: the fine action */
		jsonw_arr_begin(j);
		for (size_t i = 0; i < kd->nkeys; i++)
			jsonw_str(j, s3_pit_action_name(kd->keys[i].action));
		jsonw_arr_end(j);
	} else {
		jsonw_kstr(j, "version_id", kd->vid);
		jsonw_kint(j, "size", kd->size);
		jsonw_kstr(j, "current", kd->top);
		jsonw_kbool(j, "current_is_delete_marker", kd->top_marker);
		jsonw_kbool(j, "multipart", kd->multipart);
		jsonw_kint(j, "parts", kd->nparts);
		if (plan->kind == RESTORE_S3_UNDELETE) {
			jsonw_key(j, "delete_markers");
			jsonw_arr_begin(j);
			for (size_t i = 0; i < kd->nmarkers; i++)
				jsonw_str(j, kd->markers[i]);
			jsonw_arr_end(j);
		}
	}
	jsonw_obj_end(j);
}

const struct restore_kind_ops restore_s3_version_ops = {
	rs3_build, rs3_execute_version, NULL, rs3_cancel, rs3_json
};

const struct restore_kind_ops restore_s3_undelete_ops = {
	rs3_build, rs3_execute_undelete, NULL, rs3_cancel, rs3_json
};

const struct restore_kind_ops restore_s3_prefix_ops = {
	rs3_build, rs3_execute_prefix, NULL, rs3_cancel, rs3_json
};

/* ---- text for the CLI ---- */

/* s made safe for a terminal: control characters as \xNN. */
static void
put_safe(FILE *f, const char *s, int width)
{
	int	w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p);
			w += 4;
		} else {
			fputc(*p, f);
			if ((*p & 0xc0) != 0x80)
				w++;
		}
	}
	while (w++ < width)
		fputc(' ', f);
}

static int
key_width(const struct restore_plan *plan)
{
	int	w = 3;

	for (size_t i = 0; i < plan->nsteps; i++) {
		int kw = plan->steps[i].key != NULL ? str_width(plan->steps[i].key) : 0;

		if (kw > w)
			w = kw;
	}
	return w > 60 ? 60 : w;
}

void
restore_s3_print_plan(const struct restore_plan *plan, FILE *f)
{
	const struct rs3_plan	*kd = plan->kdata;
	int			 kw;

	if (kd == NULL || plan->kind != RESTORE_S3_PREFIX)
		return;
	if (kd->nkeys == 0) {
		fprintf(f, "    no keys under %s\n", plan->source_uri);
		return;
	}
	kw = key_width(plan);
	fprintf(f, "    %-16s  ", "ACTION");
	put_safe(f, "KEY", kw);
	fprintf(f, "  %s\n", "CALL");
	for (size_t i = 0; i < kd->nkeys && i < plan->nsteps; i++) {
		const struct rs3_key	*rk = &kd->keys[i];
		char			*joined;

		fprintf(f, "    %-16s  ", s3_pit_action_name(rk->action));
		put_safe(f, plan->steps[i].key, kw);
		fprintf(f, "  ");
		switch (rk->action) {
		case S3_PIT_RESTORE_VERSION:
			fprintf(f, "%s version %s on top of %s%s\n",
			    rk->size > kd->tune.multipart_threshold ?
			    "multipart copy (UploadPartCopy) of" : "CopyObject of",
			    rk->source, rk->top_marker ? "delete marker " : "", rk->top);
			break;
		case S3_PIT_UNDELETE:
			joined = join_markers(rk->markers, rk->nmarkers);
			fprintf(f, "DeleteObject of delete marker%s %s; %s is current "
			    "again\n", rk->nmarkers > 1 ? "s" : "", joined, rk->source);
			free(joined);
			break;
		case S3_PIT_DELETE_NEW:
		case S3_PIT_DELETE:
			fprintf(f, "DeleteObject without version id: a delete marker on "
			    "top of %s\n", rk->top);
			break;
		case S3_PIT_LEAVE_NEW:
			fprintf(f, "none: left alone (current %s)\n", rk->top);
			break;
		case S3_PIT_UNCHANGED:
			fprintf(f, "none (current %s%s)\n", rk->top_marker ?
			    "delete marker " : "", rk->top);
			break;
		}
	}
	fprintf(f, "    %zu keys: %zu restore-version, %zu undelete, %zu delete-new, "
	    "%zu delete, %zu leave-new, %zu unchanged\n", kd->nkeys,
	    kd->counts[S3_PIT_RESTORE_VERSION], kd->counts[S3_PIT_UNDELETE],
	    kd->counts[S3_PIT_DELETE_NEW], kd->counts[S3_PIT_DELETE],
	    kd->counts[S3_PIT_LEAVE_NEW], kd->counts[S3_PIT_UNCHANGED]);
}

void
restore_s3_print_outcome(const struct restore_plan *plan,
    const struct restore_outcome *o, FILE *f)
{
	const struct rs3_plan	*kd = plan->kdata;
	int			 kw = key_width(plan);
	bool			 any = false;
	size_t			 ok = 0, failed = 0, stopped = 0, notrun = 0;

	for (size_t i = 0; i < plan->nsteps && i < o->nsteps; i++) {
		const struct restore_step_result *r = &o->steps[i];
		const char *act = kd != NULL && plan->kind == RESTORE_S3_PREFIX &&
		    i < kd->nkeys ? s3_pit_action_name(kd->keys[i].action) :
		    restore_action_name(plan->steps[i].action);

		if (plan->steps[i].op == OP__COUNT)
			continue;
		if (!r->done)
			notrun++;
		else if (r->result == SV_OK)
			ok++;
		else if (r->result == SV_E_CANCELLED)
			stopped++;
		else
			failed++;
		if (!any) {
			fprintf(f, "%-9s  %-16s  ", "RESULT", "ACTION");
			put_safe(f, plan->kind == RESTORE_S3_PREFIX ? "KEY" : "TARGET",
			    kw);
			fprintf(f, "  DETAIL\n");
			any = true;
		}
		fprintf(f, "%-9s  %-16s  ", !r->done ? "not-run" : r->result == SV_OK ?
		    "ok" : r->result == SV_E_CANCELLED ? "stopped" : "FAILED", act);
		put_safe(f, plan->steps[i].key != NULL ? plan->steps[i].key :
		    plan->steps[i].target, kw);
		fprintf(f, "  ");
		put_safe(f, r->result != SV_OK && r->message != NULL ? r->message :
		    r->detail != NULL ? r->detail : "", 0);
		fprintf(f, "\n");
	}
	fprintf(f, "%zu ok, %zu failed, %zu stopped in flight, %zu not sent%s%s\n",
	    ok, failed, stopped, notrun, o->status != NULL ? "; " : "",
	    o->status != NULL ? o->status : "");
}
