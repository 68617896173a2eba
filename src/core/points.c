/* points.c - the restore-point model: a resource's point-in-time window
 * and discrete points in time order, and the choice of method and data
 * loss for a target time. Pure: no I/O. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/points.h"
#include "util/xalloc.h"

void
point_set_init(struct point_set *set, const struct resource *res)
{
	memset(set, 0, sizeof *set);
	if (res != NULL)
		resource_copy(&set->resource, res);
	set->pitr.status = PITR_NONE;
	set->pitr.earliest = SV_TIME_NONE;
	set->pitr.latest = SV_TIME_NONE;
}

static void
point_free(struct point *p)
{
	free(p->id);
	free(p->name);
	free(p->type);
	free(p->resource_arn);
	free(p->status);
	free(p->etag);
	free(p->storage_class);
}

void
point_set_free(struct point_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		point_free(&set->v[i]);
	free(set->v);
	free(set->note);
	resource_free(&set->resource);
	memset(set, 0, sizeof *set);
}

struct point *
point_set_add(struct point_set *set, enum point_kind kind, sv_time t)
{
	struct point	*p;

	if (set->n == set->cap) {
		set->cap = set->cap == 0 ? 16 : set->cap * 2;
		set->v = xreallocarray(set->v, set->cap, sizeof *set->v);
	}
	p = &set->v[set->n++];
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->time = t;
	p->size = -1;
	p->usable = true;
	p->order = (long long)set->n - 1;
	return p;
}

static int
point_cmp(const void *a, const void *b)
{
	const struct point	*p = a, *q = b;

	if (p->time != q->time)
		return p->time < q->time ? -1 : 1;
	if (p->order != q->order)
		return p->order < q->order ? -1 : 1;
	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	if (p->id == NULL || q->id == NULL)
		return (p->id != NULL) - (q->id != NULL);
	return strcmp(p->id, q->id);
}

void
point_set_sort(struct point_set *set)
{
	if (set->n > 1)
		qsort(set->v, set->n, sizeof *set->v, point_cmp);
}

const struct point *
point_set_find(const struct point_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].id != NULL && strcmp(set->v[i].id, id) == 0)
			return &set->v[i];
	return NULL;
}

const char *
point_kind_name(enum point_kind k)
{
	switch (k) {
	case POINT_BACKUP:		return "backup";
	case POINT_SNAPSHOT:		return "snapshot";
	case POINT_RECOVERY_POINT:	return "recovery-point";
	case POINT_VERSION:		return "version";
	case POINT_DELETE_MARKER:	return "delete-marker";
	}
	return "?";
}

const char *
pitr_status_name(enum pitr_status s)
{
	switch (s) {
	case PITR_ENABLED:	return "ENABLED";
	case PITR_DISABLED:	return "DISABLED";
	case PITR_NONE:		break;
	}
	return NULL;
}

const char *
restore_method_name(enum restore_method m)
{
	switch (m) {
	case RESTORE_PITR:	return "pitr";
	case RESTORE_POINT:	return "point";
	case RESTORE_NONE:	break;
	}
	return "none";
}

void
point_set_choose(const struct point_set *set, sv_time t, struct point_choice *c)
{
	const struct pitr_window *w = &set->pitr;
	const struct point	*best = NULL;
	bool			 have_pitr = false;
	sv_time			 pitr_time = SV_TIME_NONE;

	memset(c, 0, sizeof *c);
	c->method = RESTORE_NONE;
	c->time = SV_TIME_NONE;

	/* The window: PITR to t inside it, to its latest edge after it. */
	if (w->status == PITR_ENABLED &&
	    (w->earliest == SV_TIME_NONE || t >= w->earliest)) {
		have_pitr = true;
		if (w->latest == SV_TIME_NONE || t <= w->latest)
			pitr_time = t;
		else
			pitr_time = w->latest;
	}

	/* The newest usable point at or before t (the set is sorted, but
	 * do not rely on it: a scan is cheap next to the network). */
	for (size_t i = 0; i < set->n; i++) {
		const struct point *p = &set->v[i];

		if (!p->usable || p->time == SV_TIME_NONE || p->time > t)
			continue;
		if (best == NULL || point_cmp(p, best) > 0)
			best = p;
	}

	if (have_pitr && (best == NULL || best->time <= pitr_time)) {
		c->method = RESTORE_PITR;
		c->time = pitr_time;
		c->loss_ms = t - pitr_time;
		c->uncertain = w->earliest == SV_TIME_NONE ||
		    w->latest == SV_TIME_NONE;
	} else if (best != NULL) {
		c->method = RESTORE_POINT;
		c->point = best;
		c->time = best->time;
		c->loss_ms = set->every_write ? 0 : t - best->time;
	}
}
