/* fuzz-rds-xml.c - libFuzzer target for the query-protocol parsers: the
 * five RDS Describe* pages and STS GetCallerIdentity. The callbacks read
 * every string and list they are given. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "svc/rds.h"
#include "svc/sts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile size_t sink;

static void
touch(const char *s)
{
	if (s != NULL)
		sink += strlen(s);
}

static void
touch_list(const char *const *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		touch(v[i]);
}

static void
touch_tags(const struct rds_tag *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		touch(t[i].key);
		touch(t[i].value);
	}
}

static bool
on_instances(void *arg, const struct rds_instances_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		const struct rds_instance *d = &p->v[i];

		touch(d->id);
		touch(d->arn);
		touch(d->engine);
		touch(d->status);
		touch(d->endpoint_address);
		touch(d->subnet_group);
		touch_list(d->parameter_groups, d->n_parameter_groups);
		touch_list(d->vpc_security_groups, d->n_vpc_security_groups);
		touch_list(d->option_groups, d->n_option_groups);
		touch_tags(d->tags, d->n_tags);
	}
	touch(p->marker);
	return true;
}

static bool
on_snapshots(void *arg, const struct rds_snapshots_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		touch(p->v[i].id);
		touch(p->v[i].instance_id);
		touch(p->v[i].type);
		touch(p->v[i].status);
	}
	touch(p->marker);
	return true;
}

static bool
on_clusters(void *arg, const struct rds_clusters_page *p)
{
	size_t	i, j;

	for (i = 0; i < p->n; i++) {
		touch(p->v[i].id);
		touch(p->v[i].engine);
		touch_list(p->v[i].vpc_security_groups, p->v[i].n_vpc_security_groups);
		for (j = 0; j < p->v[i].n_members; j++)
			touch(p->v[i].members[j].instance_id);
		touch_tags(p->v[i].tags, p->v[i].n_tags);
	}
	touch(p->marker);
	return true;
}

static bool
on_cluster_snapshots(void *arg, const struct rds_cluster_snapshots_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		touch(p->v[i].id);
		touch(p->v[i].cluster_id);
	}
	touch(p->marker);
	return true;
}

static bool
on_automated(void *arg, const struct rds_automated_backups_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		touch(p->v[i].instance_id);
		touch(p->v[i].status);
		touch(p->v[i].arn);
	}
	touch(p->marker);
	return true;
}

static bool
on_identity(void *arg, const struct sts_identity *id)
{
	touch(id->account);
	touch(id->arn);
	touch(id->user_id);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	struct sv_err	 err;

	sv_err_init(&err);
	rds_parse_instances_page(p, size, on_instances, NULL, &err);
	sv_err_init(&err);
	rds_parse_snapshots_page(p, size, on_snapshots, NULL, &err);
	sv_err_init(&err);
	rds_parse_clusters_page(p, size, on_clusters, NULL, &err);
	sv_err_init(&err);
	rds_parse_cluster_snapshots_page(p, size, on_cluster_snapshots, NULL, &err);
	sv_err_init(&err);
	rds_parse_automated_backups_page(p, size, on_automated, NULL, &err);
	sv_err_init(&err);
	sts_parse_caller_identity(p, size, on_identity, NULL, &err);
	return 0;
}
