/* test-points.c - unit tests for src/core/points.c: merging windows and
 * points in time order, choosing the restore method for a time, the data
 * loss (RPO) it implies, and the window's edges. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "core/points.h"
#include "util/xalloc.h"

#define MIN	(60 * 1000LL)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)
#define T0	1795600000000LL		/* 2026-11-25T09:46:40Z */

static struct point *
add(struct point_set *set, enum point_kind kind, sv_time t, const char *id)
{
	struct point *p = point_set_add(set, kind, t);

	p->id = xstrdup(id);
	return p;
}

static void
test_merge_order(void)
{
	struct point_set	set;
	struct resource		res;
	struct sv_err		err;
	char			order[256] = "";

	sv_err_init(&err);
	resource_parse("dynamodb://orders", &res, &err);
	point_set_init(&set, &res);
	resource_free(&res);
	is_str(set.resource.name, "orders", "the set keeps its own copy of the resource");
	is_int(set.pitr.status, PITR_NONE, "a new set has no window");
	ok(set.pitr.earliest == SV_TIME_NONE && set.pitr.latest == SV_TIME_NONE,
	    "a new set's window edges are unknown");

	/* Discrete points from several sources arrive in any order. */
	add(&set, POINT_BACKUP, T0 + 3 * HOUR, "c");
	add(&set, POINT_SNAPSHOT, T0 + 1 * HOUR, "a");
	add(&set, POINT_BACKUP, T0 + 2 * HOUR, "b2");
	add(&set, POINT_BACKUP, T0 + 2 * HOUR, "b1");
	add(&set, POINT_RECOVERY_POINT, T0 + 2 * HOUR, "b0");
	add(&set, POINT_BACKUP, T0, "first");
	is_int(set.n, 6, "six points added");
	ok(set.v[0].size == -1 && set.v[0].usable, "new points: size unknown, usable");
	point_set_sort(&set);
	for (size_t i = 0; i < set.n; i++) {
		strcat(order, set.v[i].id);
		strcat(order, " ");
	}
	is_str(order, "first a b2 b1 b0 c ", "sorted oldest first; ties in the order added");
	for (size_t i = 1; i < set.n; i++)
		if (set.v[i - 1].time > set.v[i].time)
			ok(0, "times never decrease");
	ok(point_set_find(&set, "b2") != NULL &&
	    point_set_find(&set, "b2")->time == T0 + 2 * HOUR, "find by id");
	ok(point_set_find(&set, "zz") == NULL, "find of an unknown id is NULL");
	point_set_free(&set);
	is_int(set.n, 0, "free empties the set");

	/* Equal order too (a gatherer set it): kind, then id. */
	point_set_init(&set, NULL);
	add(&set, POINT_BACKUP, T0, "y")->order = 0;
	add(&set, POINT_BACKUP, T0, "x")->order = 0;
	add(&set, POINT_SNAPSHOT, T0, "z")->order = 0;
	point_set_sort(&set);
	order[0] = '\0';
	for (size_t i = 0; i < set.n; i++)
		strcat(order, set.v[i].id);
	is_str(order, "xyz", "equal time and order: by kind, then id");
	point_set_free(&set);
}

/* An S3-like source lists a key newest first with one-second times: the
 * gatherer numbers them descending so that equal times keep true order. */
static void
test_listing_order_ties(void)
{
	struct point_set	set;
	struct point_choice	c;
	const char		*listed[] = { "v3", "v2", "v1" };	/* newest first */

	point_set_init(&set, NULL);
	set.every_write = true;
	for (int i = 0; i < 3; i++)
		add(&set, POINT_VERSION, T0, listed[i])->order = -i;
	set.v[0].latest = true;
	point_set_sort(&set);
	is_str(set.v[0].id, "v1", "same-second versions: the oldest first");
	is_str(set.v[2].id, "v3", "same-second versions: the newest last");
	point_set_choose(&set, T0, &c);
	is_str(c.point != NULL ? c.point->id : NULL, "v3",
	    "the state at that second is the newest version of it");
	point_set_free(&set);
}

static void
test_many_points_grow(void)
{
	struct point_set	set;
	int			sorted = 1;

	point_set_init(&set, NULL);
	for (int i = 0; i < 5000; i++) {
		char	id[32];

		snprintf(id, sizeof id, "v%05d", i);
		add(&set, POINT_VERSION, T0 + (sv_time)((i * 7919) % 5000) * MIN, id);
	}
	point_set_sort(&set);
	for (size_t i = 1; i < set.n; i++)
		if (set.v[i - 1].time > set.v[i].time)
			sorted = 0;
	is_int(set.n, 5000, "5000 points kept");
	ok(sorted, "5000 points sorted by time");
	point_set_free(&set);
}

/* A DynamoDB-like set: window [T0, T0+10d], backups at T0-1d, T0+5d,
 * T0+10d+1h (after the window's latest edge). */
static void
make_table(struct point_set *set)
{
	point_set_init(set, NULL);
	set->pitr.status = PITR_ENABLED;
	set->pitr.earliest = T0;
	set->pitr.latest = T0 + 10 * DAY;
	add(set, POINT_BACKUP, T0 - DAY, "before-window");
	add(set, POINT_BACKUP, T0 + 5 * DAY, "mid");
	add(set, POINT_BACKUP, T0 + 10 * DAY + HOUR, "after-latest");
	point_set_sort(set);
}

static void
test_choose_pitr(void)
{
	struct point_set	set;
	struct point_choice	c;

	make_table(&set);
	point_set_choose(&set, T0 + 3 * DAY, &c);
	is_str(restore_method_name(c.method), "pitr", "inside the window: PITR");
	ok(c.time == T0 + 3 * DAY, "PITR restores to the time asked");
	is_int(c.loss_ms, 0, "PITR inside the window loses nothing");
	ok(c.point == NULL, "PITR has no point");
	ok(!c.uncertain, "both edges known: certain");

	point_set_choose(&set, T0, &c);
	is_int(c.method, RESTORE_PITR, "at the earliest edge exactly: PITR");
	is_int(c.loss_ms, 0, "at the earliest edge: no loss");
	point_set_choose(&set, T0 + 10 * DAY, &c);
	is_int(c.method, RESTORE_PITR, "at the latest edge exactly: PITR");
	ok(c.time == T0 + 10 * DAY, "at the latest edge: restores to it");

	/* A backup taken exactly at t still loses nothing, but PITR wins ties. */
	point_set_choose(&set, T0 + 5 * DAY, &c);
	is_int(c.method, RESTORE_PITR, "a point exactly at t inside the window: PITR wins the tie");
	point_set_free(&set);
}

static void
test_choose_outside(void)
{
	struct point_set	set;
	struct point_choice	c;

	make_table(&set);
	/* One ms before the window: the backup before it, a day earlier. */
	point_set_choose(&set, T0 - 1, &c);
	is_int(c.method, RESTORE_POINT, "just before the window: a point");
	is_str(c.point != NULL ? c.point->id : NULL, "before-window",
	    "the nearest earlier point");
	is_int(c.loss_ms, DAY - 1, "loss is t minus the point's time");
	ok(c.time == T0 - DAY, "restores to the point's time");

	/* After the latest edge: PITR to latest loses 30 min ... */
	point_set_choose(&set, T0 + 10 * DAY + 30 * MIN, &c);
	is_int(c.method, RESTORE_PITR, "30 min after latest: PITR to latest");
	ok(c.time == T0 + 10 * DAY, "restores to the latest restorable time");
	is_int(c.loss_ms, 30 * MIN, "loss is t minus latest");

	/* ... but a backup newer than latest beats it. */
	point_set_choose(&set, T0 + 10 * DAY + 2 * HOUR, &c);
	is_int(c.method, RESTORE_POINT, "a backup after latest beats PITR");
	is_str(c.point != NULL ? c.point->id : NULL, "after-latest",
	    "the backup after latest");
	is_int(c.loss_ms, HOUR, "loss from that backup: 1 h");

	/* Before everything: nothing. */
	point_set_choose(&set, T0 - 2 * DAY, &c);
	is_int(c.method, RESTORE_NONE, "before every point and the window: none");
	ok(c.point == NULL && c.time == SV_TIME_NONE, "none has no point and no time");
	point_set_free(&set);
}

static void
test_choose_disabled_and_unusable(void)
{
	struct point_set	set;
	struct point_choice	c;
	struct point		*p;

	make_table(&set);
	set.pitr.status = PITR_DISABLED;
	point_set_choose(&set, T0 + 3 * DAY, &c);
	is_int(c.method, RESTORE_POINT, "PITR disabled: the window is ignored");
	is_str(c.point != NULL ? c.point->id : NULL, "before-window",
	    "the nearest earlier backup");
	is_int(c.loss_ms, 4 * DAY, "loss: t (T0+3d) minus the backup (T0-1d)");
	point_set_free(&set);

	/* A snapshot still being created is not a restore point yet. */
	point_set_init(&set, NULL);
	add(&set, POINT_SNAPSHOT, T0, "old");
	p = add(&set, POINT_SNAPSHOT, T0 + HOUR, "creating");
	p->usable = false;
	point_set_sort(&set);
	point_set_choose(&set, T0 + 2 * HOUR, &c);
	is_str(c.point != NULL ? c.point->id : NULL, "old", "an unusable point is skipped");
	is_int(c.loss_ms, 2 * HOUR, "loss counted from the usable point");
	point_set_free(&set);

	/* An empty set. */
	point_set_init(&set, NULL);
	point_set_choose(&set, T0, &c);
	is_int(c.method, RESTORE_NONE, "an empty set: none");
	point_set_free(&set);
}

static void
test_choose_unknown_edges(void)
{
	struct point_set	set;
	struct point_choice	c;

	/* RDS where the automated backups do not say the window's start. */
	point_set_init(&set, NULL);
	set.pitr.status = PITR_ENABLED;
	set.pitr.latest = T0;
	set.pitr.retention_days = 7;
	add(&set, POINT_SNAPSHOT, T0 - 3 * DAY, "snap");
	point_set_choose(&set, T0 - 30 * DAY, &c);
	is_int(c.method, RESTORE_PITR, "unknown earliest edge counts as open");
	ok(c.uncertain, "and the choice says it is uncertain");
	is_int(c.loss_ms, 0, "inside the (open) window: no loss");
	point_set_choose(&set, T0 + HOUR, &c);
	is_int(c.method, RESTORE_PITR, "after latest, unknown earliest: PITR to latest");
	is_int(c.loss_ms, HOUR, "loss: t minus latest");
	point_set_free(&set);
}

static void
test_choose_s3(void)
{
	struct point_set	set;
	struct point_choice	c;
	struct point		*p;

	point_set_init(&set, NULL);
	set.every_write = true;
	add(&set, POINT_VERSION, T0, "v1");
	add(&set, POINT_VERSION, T0 + HOUR, "v2");
	p = add(&set, POINT_DELETE_MARKER, T0 + 2 * HOUR, "dm");
	p->latest = true;
	point_set_sort(&set);

	point_set_choose(&set, T0 + 90 * MIN, &c);
	is_str(c.point != NULL ? c.point->id : NULL, "v2",
	    "S3: the version current at t");
	is_int(c.loss_ms, 0, "S3 versions record every write: no loss");
	point_set_choose(&set, T0 + 3 * HOUR, &c);
	is_int(c.point != NULL ? (int)c.point->kind : -1, POINT_DELETE_MARKER,
	    "S3: after the delete, the state at t is the delete marker");
	point_set_choose(&set, T0 - 1, &c);
	is_int(c.method, RESTORE_NONE, "S3: before the first version: none");
	point_set_free(&set);
}

static void
test_names(void)
{
	is_str(point_kind_name(POINT_BACKUP), "backup", "kind name backup");
	is_str(point_kind_name(POINT_SNAPSHOT), "snapshot", "kind name snapshot");
	is_str(point_kind_name(POINT_VERSION), "version", "kind name version");
	is_str(point_kind_name(POINT_DELETE_MARKER), "delete-marker", "kind name delete-marker");
	is_str(point_kind_name(POINT_RECOVERY_POINT), "recovery-point", "kind name recovery-point");
	is_str(pitr_status_name(PITR_ENABLED), "ENABLED", "PITR status ENABLED");
	is_str(pitr_status_name(PITR_DISABLED), "DISABLED", "PITR status DISABLED");
	ok(pitr_status_name(PITR_NONE) == NULL, "no PITR: no status name");
	is_str(restore_method_name(RESTORE_NONE), "none", "method name none");
}

int
main(void)
{
	test_merge_order();
	test_many_points_grow();
	test_listing_order_ties();
	test_choose_pitr();
	test_choose_outside();
	test_choose_disabled_and_unusable();
	test_choose_unknown_edges();
	test_choose_s3();
	test_names();
	return done_testing();
}
