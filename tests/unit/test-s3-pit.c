/* test-s3-pit.c - the S3 point-in-time algorithm (core/s3-pit.c): every
 * action, ties at one instant, null versions, several delete markers on
 * top, an empty prefix, T before and after everything, keys split over
 * pages and grouped listings (moto), out-of-order listings, one-key mode;
 * and the pure helpers of svc/s3-copy.c (part sizes, the copy source,
 * the CompleteMultipartUpload body). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/restore-s3.h"
#include "core/s3-pit.h"
#include "svc/s3-copy.h"
#include "util/err.h"
#include "util/xalloc.h"
#include "tap.h"

#define S(x)	((sv_time)(x) * 1000)	/* seconds to sv_time */

/* A listing entry. */
static struct s3_version
V(const char *key, const char *vid, int t, bool latest, const char *etag)
{
	struct s3_version	v;

	memset(&v, 0, sizeof v);
	v.key = key;
	v.version_id = vid;
	v.is_latest = latest;
	v.last_modified = S(t);
	v.size = 10;
	v.etag = etag != NULL ? etag : vid;
	v.storage_class = "STANDARD";
	return v;
}

static struct s3_version
D(const char *key, const char *vid, int t, bool latest)
{
	struct s3_version	v;

	memset(&v, 0, sizeof v);
	v.key = key;
	v.version_id = vid;
	v.is_latest = latest;
	v.delete_marker = true;
	v.last_modified = S(t);
	v.size = -1;
	return v;
}

/* What a key came out as, copied. */
struct got {
	char			 key[64];
	enum s3_pit_action	 action;
	enum s3_pit_state	 at_t, now;
	char			 at[32], top[32], below[32], want[32];
	char			 markers[128];	/* "m2,m1" */
	bool			 has_null, same_content;
	size_t			 entries;
};

struct run {
	struct got	 g[64];
	size_t		 n;
	size_t		 stop_after;	/* 0: never */
};

static bool
collect(void *arg, const struct s3_pit_key *k)
{
	struct run	*r = arg;
	struct got	*g;

	if (r->n >= sizeof r->g / sizeof r->g[0])
		return true;
	g = &r->g[r->n++];
	memset(g, 0, sizeof *g);
	snprintf(g->key, sizeof g->key, "%s", k->key);
	g->action = k->action;
	g->at_t = k->at_t;
	g->now = k->now;
	snprintf(g->at, sizeof g->at, "%s", k->at.set ? k->at.version_id : "-");
	snprintf(g->top, sizeof g->top, "%s", k->top.set ? k->top.version_id : "-");
	snprintf(g->below, sizeof g->below, "%s", k->below.set ?
	    k->below.version_id : "-");
	snprintf(g->want, sizeof g->want, "%s", k->want.set ?
	    k->want.version_id : "-");
	for (size_t i = 0; i < k->nmarkers; i++) {
		if (i > 0)
			strcat(g->markers, ",");
		strcat(g->markers, k->markers[i]);
	}
	g->has_null = k->has_null;
	g->same_content = k->same_content;
	g->entries = k->entries;
	return r->stop_after == 0 || r->n < r->stop_after;
}

/* Runs pages (each a count into v) through the algorithm. */
static sv_result
run_pages(struct run *r, const struct s3_pit_opts *o, const struct s3_version *v,
    const size_t *pages, size_t npages, struct sv_err *err)
{
	struct s3_pit	*p = s3_pit_new(o, collect, r);
	sv_result	 res = SV_OK;
	size_t		 off = 0;

	memset(r->g, 0, sizeof r->g);
	r->n = 0;
	for (size_t i = 0; i < npages && res == SV_OK; i++) {
		res = s3_pit_page(p, v + off, pages[i], err);
		off += pages[i];
	}
	if (res == SV_OK)
		s3_pit_finish(p);
	s3_pit_free(p);
	return res;
}

static const struct got *
one(const struct s3_version *v, size_t n, int t, bool delete_new)
{
	static struct run	r;
	struct s3_pit_opts	o;
	struct sv_err		err;

	memset(&o, 0, sizeof o);
	o.t = S(t);
	o.delete_new = delete_new;
	sv_err_init(&err);
	if (run_pages(&r, &o, v, &n, 1, &err) != SV_OK) {
		diag("error: %s", err.msg);
		return NULL;
	}
	if (r.n != 1) {
		diag("%zu keys reported, expected 1", r.n);
		return NULL;
	}
	return &r.g[0];
}

#define N(a)	(sizeof (a) / sizeof (a)[0])

static void
test_actions(void)
{
	const struct got	*g;

	/* Two versions; T between them: the older one comes back. */
	{
		struct s3_version v[] = { V("a", "v2", 20, true, NULL),
		    V("a", "v1", 10, false, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_RESTORE_VERSION,
		    "changed after T: restore-version");
		ok(g != NULL && strcmp(g->at, "v1") == 0 && strcmp(g->top, "v2") == 0,
		    "... the version at T is v1, now v2");
		g = one(v, N(v), 25, false);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED && strcmp(g->at, "v2") == 0,
		    "T after the last change: unchanged");
		g = one(v, N(v), 20, false);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED,
		    "T exactly at the last change (<= T): unchanged");
		g = one(v, N(v), 10, false);
		ok(g != NULL && g->action == S3_PIT_RESTORE_VERSION &&
		    strcmp(g->at, "v1") == 0, "T exactly at the first: restore v1");
	}
	/* The same content written again: unchanged by ETag and size. */
	{
		struct s3_version v[] = { V("a", "v3", 30, true, "\"e1\""),
		    V("a", "v2", 20, false, "\"e2\""), V("a", "v1", 10, false, "\"e1\"") };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED && g->same_content,
		    "same ETag and size as at T: unchanged (same content)");
		v[0].size = 11;
		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_RESTORE_VERSION && !g->same_content,
		    "same ETag, other size: restore-version");
	}
	/* Deleted after T, the version under the marker is the one at T. */
	{
		struct s3_version v[] = { D("a", "m1", 20, true),
		    V("a", "v1", 10, false, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_UNDELETE, "deleted after T: undelete");
		is_str(g != NULL ? g->markers : NULL, "m1", "... removing marker m1");
		is_str(g != NULL ? g->below : NULL, "v1", "... v1 under it");
		ok(g != NULL && g->now == S3_PIT_DELETED && g->at_t == S3_PIT_VERSION,
		    "... states: version at T, deleted now");
		g = one(v, N(v), 25, false);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED && g->at_t == S3_PIT_DELETED,
		    "deleted before T and now: unchanged");
	}
	/* Several consecutive delete markers on top. */
	{
		struct s3_version v[] = { D("a", "m3", 40, true), D("a", "m2", 30, false),
		    D("a", "m1", 20, false), V("a", "v1", 10, false, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_UNDELETE,
		    "three markers on top: undelete");
		is_str(g != NULL ? g->markers : NULL, "m3,m2,m1",
		    "... all three, newest first");
		g = one(v, N(v), 35, false);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED, "T among the markers: unchanged");
	}
	/* Deleted now, but another version came between T and the marker:
	 * removing the marker would bring back the wrong one. */
	{
		struct s3_version v[] = { D("a", "m1", 30, true),
		    V("a", "v2", 20, false, NULL), V("a", "v1", 10, false, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_RESTORE_VERSION &&
		    strcmp(g->at, "v1") == 0 && strcmp(g->below, "v2") == 0,
		    "deleted now, a newer version under the marker: restore-version v1");
		g = one(v, N(v), 25, false);
		ok(g != NULL && g->action == S3_PIT_UNDELETE && strcmp(g->at, "v2") == 0,
		    "... with T after v2: undelete");
	}
	/* Created after T. */
	{
		struct s3_version v[] = { V("a", "v1", 20, true, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_LEAVE_NEW && g->at_t == S3_PIT_ABSENT,
		    "created after T: leave-new without --delete-new");
		g = one(v, N(v), 15, true);
		ok(g != NULL && g->action == S3_PIT_DELETE_NEW,
		    "created after T: delete-new with --delete-new");
	}
	/* Deleted at T, exists now. */
	{
		struct s3_version v[] = { V("a", "v2", 20, true, NULL),
		    D("a", "m1", 15, false), V("a", "v1", 10, false, NULL) };

		g = one(v, N(v), 17, false);
		ok(g != NULL && g->action == S3_PIT_LEAVE_NEW && g->at_t == S3_PIT_DELETED,
		    "deleted at T, back now: leave-new without --delete-new");
		g = one(v, N(v), 17, true);
		ok(g != NULL && g->action == S3_PIT_DELETE,
		    "deleted at T, back now: delete with --delete-new");
	}
	/* Created and deleted after T: absent then and now. */
	{
		struct s3_version v[] = { D("a", "m1", 30, true),
		    V("a", "v1", 20, false, NULL) };

		g = one(v, N(v), 15, true);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED && g->at_t == S3_PIT_ABSENT,
		    "created and deleted after T: unchanged, even with --delete-new");
	}
	/* Only delete markers: nothing under them. */
	{
		struct s3_version v[] = { D("a", "m2", 20, true), D("a", "m1", 10, false) };

		g = one(v, N(v), 15, true);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED && strcmp(g->below, "-") == 0,
		    "only delete markers: unchanged, no version under them");
	}
}

static void
test_null_versions(void)
{
	const struct got	*g;

	/* Written before versioning was enabled (id "null"). */
	{
		struct s3_version v[] = { V("a", "v1", 20, true, NULL),
		    V("a", "null", 10, false, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_RESTORE_VERSION &&
		    strcmp(g->at, "null") == 0 && g->has_null,
		    "null version at T: restore-version of 'null', has_null");
	}
	{
		struct s3_version v[] = { D("a", "m1", 20, true),
		    V("a", "null", 10, false, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && g->action == S3_PIT_UNDELETE &&
		    strcmp(g->below, "null") == 0, "null version under a marker: undelete");
	}
	{
		/* A delete marker with id null (versioning suspended) is not a
		 * data version. */
		struct s3_version v[] = { D("a", "null", 20, true),
		    V("a", "v1", 10, false, NULL) };

		g = one(v, N(v), 15, false);
		ok(g != NULL && !g->has_null && g->action == S3_PIT_UNDELETE,
		    "null delete marker: not a null data version; undelete");
	}
	{
		struct s3_version v[] = { V("a", "v1", 10, true, NULL) };
		v[0].version_id = NULL;	/* absent VersionId */

		g = one(v, N(v), 15, false);
		ok(g != NULL && strcmp(g->top, "null") == 0 && g->has_null,
		    "no VersionId at all counts as 'null'");
	}
}

static void
test_ties(void)
{
	const struct got	*g;

	/* Same second: listing order says which is newer (newest first). */
	{
		struct s3_version v[] = { V("a", "v2", 10, true, NULL),
		    V("a", "v1", 10, false, NULL) };

		g = one(v, N(v), 10, false);
		ok(g != NULL && g->action == S3_PIT_UNCHANGED && strcmp(g->at, "v2") == 0,
		    "tie: the first listed is the newer (state at T = v2)");
		g = one(v, N(v), 9, false);
		ok(g != NULL && g->action == S3_PIT_LEAVE_NEW, "tie: T before both: leave-new");
	}
	/* Grouped like moto: versions first, then markers; IsLatest decides
	 * the top among equal times. */
	{
		struct s3_version v[] = { V("a", "v2", 10, false, NULL),
		    V("a", "v1", 5, false, NULL), D("a", "m1", 10, true) };

		g = one(v, N(v), 10, false);
		is_str(g != NULL ? g->top : NULL, "m1", "grouped tie: the IsLatest marker is on top");
		ok(g != NULL && g->at_t == S3_PIT_DELETED && g->action == S3_PIT_UNCHANGED,
		    "... and is the state at T: unchanged");
		is_str(g != NULL ? g->below : NULL, "v2", "... v2 under it");
		g = one(v, N(v), 7, false);
		ok(g != NULL && g->action == S3_PIT_RESTORE_VERSION &&
		    strcmp(g->at, "v1") == 0, "... T=7: restore-version v1 (v2 is under the marker)");
	}
	/* Times with milliseconds (AWS): order by time wins over listing order. */
	{
		struct s3_version v[] = { V("a", "v1", 10, false, NULL),
		    V("a", "v2", 10, true, NULL) };

		v[1].last_modified += 500;
		g = one(v, N(v), 10, false);
		ok(g != NULL && strcmp(g->top, "v2") == 0 && strcmp(g->at, "v1") == 0 &&
		    g->action == S3_PIT_RESTORE_VERSION,
		    "milliseconds: v2 at 10.5 s is newer than v1 at 10 s; T=10 s restores v1");
	}
}

/* Several keys, the moto layout (all versions of the page, then all its
 * markers), and keys split over pages. */
static void
test_prefix(void)
{
	struct s3_version v[] = {
		/* page 1: versions of a, b, c, then markers */
		V("p/a", "a2", 20, true, NULL), V("p/a", "a1", 10, false, NULL),
		V("p/b", "b1", 10, false, NULL),
		V("p/c", "c2", 30, false, NULL),
		D("p/b", "bm", 20, true),
		D("p/c", "cm", 40, true),
		/* page 2: the rest of c (split), d, e */
		V("p/c", "c1", 10, false, NULL),
		V("p/d", "d1", 20, true, NULL),
		V("p/e \xc3\xa9+", "e1", 5, true, NULL),
	};
	size_t			pages[] = { 6, 3 };
	struct run		r = { .n = 0 };
	struct s3_pit_opts	o;
	struct sv_err		err;
	sv_result		res;

	memset(&o, 0, sizeof o);
	o.t = S(15);
	sv_err_init(&err);
	res = run_pages(&r, &o, v, pages, N(pages), &err);
	is_int(res, SV_OK, "prefix: two pages accepted");
	is_int(r.n, 5, "... five keys");
	if (r.n == 5) {
		is_str(r.g[0].key, "p/a", "... in key order: p/a first");
		is_int(r.g[0].action, S3_PIT_RESTORE_VERSION, "... p/a restore-version");
		is_int(r.g[1].action, S3_PIT_UNDELETE, "... p/b undelete");
		is_str(r.g[2].key, "p/c", "... p/c, split over the pages, once");
		is_int(r.g[2].entries, 3, "... with all its three entries");
		is_int(r.g[2].action, S3_PIT_RESTORE_VERSION,
		    "... p/c restore-version (c2 is under the marker, c1 at T)");
		is_str(r.g[2].at, "c1", "... of c1");
		is_int(r.g[3].action, S3_PIT_LEAVE_NEW, "... p/d leave-new");
		is_int(r.g[4].action, S3_PIT_UNCHANGED, "... the unicode key unchanged");
		is_str(r.g[4].key, "p/e \xc3\xa9+", "... its name kept byte for byte");
	}

	/* T before everything / after everything. */
	o.t = S(1);
	res = run_pages(&r, &o, v, pages, N(pages), &err);
	ok(res == SV_OK && r.n == 5 && r.g[0].action == S3_PIT_LEAVE_NEW &&
	    r.g[1].action == S3_PIT_UNCHANGED && r.g[2].action == S3_PIT_UNCHANGED &&
	    r.g[3].action == S3_PIT_LEAVE_NEW && r.g[4].action == S3_PIT_LEAVE_NEW,
	    "T before everything: existing keys leave-new, deleted ones unchanged");
	o.delete_new = true;
	res = run_pages(&r, &o, v, pages, N(pages), &err);
	ok(res == SV_OK && r.g[0].action == S3_PIT_DELETE_NEW &&
	    r.g[3].action == S3_PIT_DELETE_NEW && r.g[4].action == S3_PIT_DELETE_NEW,
	    "... with --delete-new: delete-new");
	o.delete_new = false;
	o.t = S(100);
	res = run_pages(&r, &o, v, pages, N(pages), &err);
	ok(res == SV_OK && r.n == 5, "T after everything: five keys");
	{
		bool all = true;

		for (size_t i = 0; i < r.n; i++)
			all = all && r.g[i].action == S3_PIT_UNCHANGED;
		ok(all, "... all unchanged");
	}

	/* Empty prefix. */
	res = run_pages(&r, &o, v, NULL, 0, &err);
	ok(res == SV_OK && r.n == 0, "empty prefix: no keys, no error");
	{
		size_t empty[] = { 0 };

		res = run_pages(&r, &o, v, empty, 1, &err);
		ok(res == SV_OK && r.n == 0, "an empty page: no keys");
	}

	/* Stopping from the callback. */
	r.stop_after = 2;
	res = run_pages(&r, &o, v, pages, N(pages), &err);
	ok(res == SV_OK && r.n == 2, "the callback can stop the walk");
	r.stop_after = 0;
}

static void
test_errors(void)
{
	struct run		r = { .n = 0 };
	struct s3_pit_opts	o;
	struct sv_err		err;
	sv_result		res;

	memset(&o, 0, sizeof o);
	o.t = S(15);
	{
		struct s3_version v[] = { V("b", "b1", 10, true, NULL),
		    V("a", "a1", 10, true, NULL) };
		size_t pages[] = { 1, 1 };

		sv_err_init(&err);
		res = run_pages(&r, &o, v, pages, 2, &err);
		ok(res == SV_E_PARSE && strstr(err.msg, "out of order") != NULL,
		    "a key before one already finished: out of order");
	}
	{
		struct s3_version v[] = { V("a", "a1", 10, false, NULL),
		    V("a", "a2", 20, true, NULL) };
		size_t pages[] = { 1, 1 };

		sv_err_init(&err);
		res = run_pages(&r, &o, v, pages, 2, &err);
		ok(res == SV_E_PARSE, "a newer entry of a key on the next page: out of order");
	}
}

static void
test_one_key(void)
{
	struct s3_version v[] = {
		V("k", "x", 10, true, NULL),		/* a shorter key */
		V("k/a", "a2", 20, true, NULL), V("k/a", "a1", 10, false, NULL),
		V("k/a/b", "z", 10, true, NULL),	/* a longer key */
	};
	size_t			n = N(v);
	struct run		r = { .n = 0 };
	struct s3_pit_opts	o;
	struct s3_pit		*p;
	struct sv_err		err;

	memset(&o, 0, sizeof o);
	o.t = S(15);
	o.only_key = "k/a";
	o.want_version = "a1";
	sv_err_init(&err);
	memset(&r, 0, sizeof r);
	p = s3_pit_new(&o, collect, &r);
	is_int(s3_pit_page(p, v, n, &err), SV_OK, "one key: page accepted");
	ok(s3_pit_stopped(p), "... the listing can stop after a later key");
	s3_pit_finish(p);
	is_int(r.n, 1, "... exactly that key reported");
	is_str(r.g[0].key, "k/a", "... k/a");
	is_str(r.g[0].want, "a1", "... the wanted version found");
	is_int(s3_pit_entries(p), 2, "... only its entries fed");
	s3_pit_free(p);

	o.want_version = "nope";
	memset(&r, 0, sizeof r);
	p = s3_pit_new(&o, collect, &r);
	s3_pit_page(p, v, n, &err);
	s3_pit_finish(p);
	is_str(r.g[0].want, "-", "a version that is not listed: not found");
	s3_pit_free(p);
}

/* Many keys through small pages: the accumulator keeps one key. */
static bool
count_cb(void *arg, const struct s3_pit_key *k)
{
	size_t	*c = arg;

	c[k->action]++;
	return true;
}

static void
test_many(void)
{
	enum { KEYS = 100000, PER = 3, PAGE = 1000 };
	struct s3_version	*v = xcalloc(PAGE, sizeof *v);
	char			(*names)[32] = xcalloc(PAGE, sizeof *names);
	size_t			 counts[8] = { 0 }, done = 0;
	struct s3_pit_opts	 o;
	struct s3_pit		*p;
	struct sv_err		 err;
	sv_result		 res = SV_OK;
	long long		 e = 0, total = (long long)KEYS * PER;

	memset(&o, 0, sizeof o);
	o.t = S(15);
	sv_err_init(&err);
	p = s3_pit_new(&o, count_cb, counts);
	while (e < total && res == SV_OK) {
		size_t n = 0;

		for (; n < PAGE && e < total; n++, e++) {
			long long key = e / PER, j = e % PER;

			snprintf(names[n], sizeof names[n], "p/%08lld", key);
			v[n] = V(names[n], j == 0 ? "v3" : j == 1 ? "v2" : "v1",
			    (int)(30 - 10 * j), j == 0, NULL);
		}
		res = s3_pit_page(p, v, n, &err);
		done += n;
	}
	s3_pit_finish(p);
	ok(res == SV_OK && s3_pit_keys(p) == KEYS,
	    "100,000 keys of 3 versions in pages of 1,000, split keys included");
	is_int(counts[S3_PIT_RESTORE_VERSION], KEYS, "... all restore-version");
	is_int(s3_pit_entries(p), total, "... every entry fed");
	s3_pit_free(p);
	free(v);
	free(names);
	(void)done;
}

static void
test_copy_helpers(void)
{
	const long long	mib = 1LL << 20, gib = 1LL << 30;
	char		*s;
	const char	*etags[] = { "\"e1\"", "\"e2\"" };

	is_int(s3_copy_part_size(12 * mib, 5 * mib), 5 * mib,
	    "part size: 5 MiB asked for a 12 MiB object");
	is_int(s3_copy_part_size(6 * gib, 0), 512 * mib, "default 512 MiB");
	is_int(s3_copy_timeout_extra_ms(0), 0, "copy time: none for 0 bytes");
	is_int(s3_copy_timeout_extra_ms(5 * gib), 513000,
	    "copy time: 5 GiB gets 8.5 min more per attempt");
	is_int(s3_copy_timeout_extra_ms(512 * mib), 52000,
	    "copy time: a 512 MiB part gets 52 s more");
	is_int(s3_copy_part_size(6 * gib, 1), 5 * mib, "clamped to at least 5 MiB");
	is_int(s3_copy_part_size(6 * gib, 10 * gib), 5 * gib, "clamped to at most 5 GiB");
	{
		long long size = 10000LL * 512 * mib + 1;
		long long part = s3_copy_part_size(size, 0);

		ok(part > 512 * mib && (size + part - 1) / part <= S3_COPY_MAX_PARTS &&
		    part % mib == 0, "grown in whole MiB to fit 10,000 parts");
	}
	is_int(s3_copy_part_size(10000LL * 5 * gib + 1, 0), -1,
	    "more than 10,000 parts of 5 GiB: cannot be copied");

	s = s3_copy_source("bkt", "a b/c+d//\xc3\xa9~x", "v1");
	is_str(s, "bkt/a%20b/c%2Bd//%C3%A9~x?versionId=v1",
	    "copy source: encoded once, '/' and '//' kept, '+' and space escaped");
	free(s);
	s = s3_copy_source("bkt", "k", "a+b=");
	is_str(s, "bkt/k?versionId=a%2Bb%3D", "... the version id escaped");
	free(s);
	s = s3_copy_complete_xml(etags, 2);
	is_str(s, "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
	    "<Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag></Part>"
	    "<Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part>"
	    "</CompleteMultipartUpload>", "CompleteMultipartUpload body, parts in order");
	free(s);

	is_str(s3_pit_action_name(S3_PIT_DELETE_NEW), "delete-new", "action names");
	is_str(s3_pit_state_name(S3_PIT_DELETED), "deleted", "state names");
}

static void
test_sizes(void)
{
	struct {
		const char	*in;
		long long	 want;	/* -1: refused */
	} cases[] = {
		{ "5242880", 5242880 }, { "5M", 5LL << 20 }, { "5MiB", 5LL << 20 },
		{ "5 MB", 5LL << 20 }, { "5m", 5LL << 20 }, { "1G", 1LL << 30 },
		{ "2k", 2048 }, { "7B", 7 }, { "1T", 1LL << 40 },
		{ "", -1 }, { "M", -1 }, { "-5M", -1 }, { "5X", -1 }, { "5Mx", -1 },
		{ "5Bx", -1 }, { "99999999T", -1 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct sv_err	err;
		long long	got = -1;
		char		name[64];

		sv_err_init(&err);
		if (restore_s3_parse_size(cases[i].in, &got, &err) != SV_OK)
			got = -1;
		snprintf(name, sizeof name, "size '%s'", cases[i].in);
		is_int(got, cases[i].want, name);
	}
	{
		struct restore_s3_tuning	t;
		struct sv_err			err;

		sv_err_init(&err);
		setenv("SALVAGE_S3_MULTIPART_THRESHOLD", "5M", 1);
		setenv("SALVAGE_S3_PART_SIZE", "6MiB", 1);
		setenv("SALVAGE_S3_CONCURRENCY", "3", 1);
		ok(restore_s3_tuning_env(&t, &err) == SV_OK &&
		    t.multipart_threshold == 5LL << 20 && t.part_size == 6LL << 20 &&
		    t.concurrency == 3, "tuning from the environment");
		setenv("SALVAGE_S3_MULTIPART_THRESHOLD", "6G", 1);
		sv_err_init(&err);
		ok(restore_s3_tuning_env(&t, &err) == SV_E_CONFIG &&
		    strstr(err.msg, "SALVAGE_S3_MULTIPART_THRESHOLD") != NULL,
		    "a threshold over 5 GiB is refused, naming the variable");
		unsetenv("SALVAGE_S3_MULTIPART_THRESHOLD");
		setenv("SALVAGE_S3_PART_SIZE", "1M", 1);
		sv_err_init(&err);
		ok(restore_s3_tuning_env(&t, &err) == SV_E_CONFIG,
		    "a part size under 5 MiB is refused");
		unsetenv("SALVAGE_S3_PART_SIZE");
		setenv("SALVAGE_S3_CONCURRENCY", "0", 1);
		sv_err_init(&err);
		ok(restore_s3_tuning_env(&t, &err) == SV_E_CONFIG,
		    "a concurrency of 0 is refused");
		unsetenv("SALVAGE_S3_CONCURRENCY");
		sv_err_init(&err);
		ok(restore_s3_tuning_env(&t, &err) == SV_OK &&
		    t.multipart_threshold == S3_COPY_SINGLE_MAX &&
		    t.part_size == S3_COPY_PART_DEFAULT && t.concurrency == 8,
		    "defaults: 5 GiB, 512 MiB, 8");
	}
}

int
main(void)
{
	test_actions();
	test_null_versions();
	test_ties();
	test_prefix();
	test_errors();
	test_one_key();
	test_many();
	test_copy_helpers();
	test_sizes();
	return done_testing();
}
