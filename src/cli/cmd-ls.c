/* cmd-ls.c - "salvage ls URI": buckets (with versioning and region,
 * looked up concurrently), objects and common prefixes under an S3
 * prefix (streamed page by page), DynamoDB tables (described
 * concurrently), RDS DB instances and DB clusters, AWS Backup vaults. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/fanout.h"
#include "cli/output.h"
#include "core/resource.h"
#include "svc/backup.h"
#include "svc/dynamodb.h"
#include "svc/rds.h"
#include "svc/s3.h"
#include "util/log.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_ls_entry;

#define LS_MAX_INFLIGHT	8	/* concurrent per-item lookups */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* ---- s3:// : buckets ---- */

struct bucket_row {
	char		*name;
	sv_time		 created;
	char		*region;
	bool		 have_versioning;
	enum s3_versioning_status versioning;
};

struct bucket_job {
	size_t		 bucket;
	bool		 location;	/* GetBucketLocation, else GetBucketVersioning */
};

struct ls_buckets {
	struct svc_sync		 sync;		/* first: see svc.h */
	struct bucket_row	*v;
	size_t			 n, cap;
	struct bucket_job	*jobs;
};

static bool
buckets_page(void *data, const struct s3_buckets_page *page)
{
	struct ls_buckets	*ls = data;

	for (size_t i = 0; i < page->n; i++) {
		struct bucket_row *r;

		if (ls->n == ls->cap) {
			ls->cap = ls->cap == 0 ? 64 : ls->cap * 2;
			ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
		}
		r = &ls->v[ls->n++];
		memset(r, 0, sizeof *r);
		r->name = xstrdup(page->buckets[i].name);
		r->created = page->buckets[i].created;
		r->region = dup_or_null(page->buckets[i].region);
	}
	return true;
}

/* The versioning / location results of one fan-out job. */
static bool
bucket_versioning(void *data, const struct s3_versioning *v)
{
	struct cli_job		*job = data;
	struct ls_buckets	*ls = job->data;
	struct bucket_row	*r = &ls->v[ls->jobs[job->i].bucket];

	r->have_versioning = true;
	r->versioning = v->status;
	return true;
}

static bool
bucket_location(void *data, const struct s3_location *loc)
{
	struct cli_job		*job = data;
	struct ls_buckets	*ls = job->data;
	struct bucket_row	*r = &ls->v[ls->jobs[job->i].bucket];

	if (loc->region != NULL && r->region == NULL)
		r->region = xstrdup(loc->region);
	return true;
}

static struct svc_op *
bucket_job_start(struct aws_client *client, struct cli_job *job)
{
	struct ls_buckets	*ls = job->data;
	struct bucket_job	*bj = &ls->jobs[job->i];
	const char		*name = ls->v[bj->bucket].name;

	if (bj->location)
		return s3_get_bucket_location(client, name, bucket_location,
		    cli_job_done, job);
	return s3_get_bucket_versioning(client, name, bucket_versioning,
	    cli_job_done, job);
}

static const char *
versioning_name(enum s3_versioning_status s)
{
	switch (s) {
	case S3_VERSIONING_ENABLED:	return "Enabled";
	case S3_VERSIONING_SUSPENDED:	return "Suspended";
	case S3_VERSIONING_NEVER:	break;
	}
	return "Disabled";	/* never enabled: what the S3 console says */
}

static int
ls_buckets(struct cli *cli, struct aws_client *client)
{
	struct ls_buckets	 ls;
	struct cli_job		*jobs = NULL;
	size_t			 njobs = 0;
	int			 status = SV_EXIT_OK;

	memset(&ls, 0, sizeof ls);
	svc_sync_init(&ls.sync);
	s3_list_buckets(client, NULL, buckets_page, svc_sync_done, &ls);
	if (svc_sync_wait(client, &ls.sync) != SV_OK) {
		status = out_listing_failed(cli, &ls.sync.err, ls.sync.pages,
		    ls.n, "buckets");
		goto out;
	}

	/* Versioning of every bucket; the region where ListBuckets did not
	 * give it. A failed lookup leaves the field out, with a warning. */
	ls.jobs = xcalloc(ls.n * 2 + 1, sizeof *ls.jobs);
	for (size_t i = 0; i < ls.n; i++) {
		ls.jobs[njobs++] = (struct bucket_job){ i, false };
		if (ls.v[i].region == NULL)
			ls.jobs[njobs++] = (struct bucket_job){ i, true };
	}
	jobs = cli_fanout_run(client, njobs, LS_MAX_INFLIGHT, bucket_job_start, &ls);
	for (size_t i = 0; i < njobs; i++) {
		if (jobs[i].result == SV_OK)
			continue;
		sv_warn("%s of bucket %s not shown: %s", ls.jobs[i].location ?
		    "region" : "versioning", ls.v[ls.jobs[i].bucket].name,
		    jobs[i].err.msg);
	}

	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_arr_begin(&j);
		for (size_t i = 0; i < ls.n; i++) {
			struct bucket_row *r = &ls.v[i];

			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "name", r->name);
			jsonw_ktime(&j, "created", r->created);
			if (r->region != NULL)
				jsonw_kstr(&j, "region", r->region);
			if (r->have_versioning)
				jsonw_kstr(&j, "versioning", versioning_name(r->versioning));
			jsonw_obj_end(&j);
		}
		jsonw_arr_end(&j);
		jsonw_finish(&j);
	} else {
		static const struct out_col cols[] = {
			{ "CREATED", OUT_LEFT, false },
			{ "REGION", OUT_LEFT, false },
			{ "VERSIONING", OUT_LEFT, false },
			{ "NAME", OUT_LEFT, false },
		};
		struct out_table t;

		out_table_init(&t, 4, cols);
		for (size_t i = 0; i < ls.n; i++) {
			struct bucket_row *r = &ls.v[i];
			char	tb[SV_TIME_ISO_MAX];

			out_table_row(&t, (const char *[]){
			    out_time(r->created, tb),
			    r->region != NULL ? r->region : "?",
			    r->have_versioning ? versioning_name(r->versioning) : "?",
			    r->name });
		}
		if (ls.n > 0)
			out_table_print(&t, stdout);
		out_table_free(&t);
	}
out:
	for (size_t i = 0; i < ls.n; i++) {
		free(ls.v[i].name);
		free(ls.v[i].region);
	}
	free(ls.v);
	free(ls.jobs);
	free(jobs);
	return status;
}

/* ---- s3://bucket/prefix/ : objects and common prefixes ---- */

struct ls_objects {
	struct svc_sync	 sync;		/* first: see svc.h */
	struct cli	*cli;
	size_t		 dirlen;	/* human names are relative to the prefix's "directory" */
	struct jsonw	 j;
	char		**prefixes;	/* --json: printed after the objects */
	size_t		 nprefixes, cap;
	size_t		 items;
};

static const char *
rel_name(const char *key, size_t dirlen)
{
	return strlen(key) >= dirlen ? key + dirlen : key;
}

static bool
objects_page(void *data, const struct s3_objects_page *page)
{
	struct ls_objects	*ls = data;
	char			 tb[SV_TIME_ISO_MAX], sb[32];

	if (ls->cli->json) {
		for (size_t i = 0; i < page->n_prefixes; i++) {
			if (ls->nprefixes == ls->cap) {
				ls->cap = ls->cap == 0 ? 64 : ls->cap * 2;
				ls->prefixes = xreallocarray(ls->prefixes, ls->cap,
				    sizeof *ls->prefixes);
			}
			ls->prefixes[ls->nprefixes++] = xstrdup(page->prefixes[i]);
		}
		for (size_t i = 0; i < page->n; i++) {
			const struct s3_object *o = &page->objects[i];

			jsonw_obj_begin(&ls->j);
			jsonw_kstr(&ls->j, "key", o->key);
			jsonw_kint(&ls->j, "size", o->size);
			jsonw_ktime(&ls->j, "last_modified", o->last_modified);
			jsonw_kstr(&ls->j, "etag", o->etag);
			jsonw_kstr(&ls->j, "storage_class", o->storage_class);
			jsonw_obj_end(&ls->j);
		}
	} else {
		/* As "aws s3 ls" prints it: prefixes, then objects, per page,
		 * named relative to the prefix up to its last '/'. */
		for (size_t i = 0; i < page->n_prefixes; i++) {
			printf("%27sPRE ", "");
			out_cell(stdout, rel_name(page->prefixes[i], ls->dirlen), 0,
			    OUT_LEFT);
			putchar('\n');
		}
		for (size_t i = 0; i < page->n; i++) {
			const struct s3_object *o = &page->objects[i];

			snprintf(sb, sizeof sb, "%lld", o->size);
			printf("%s %9s ", out_time(o->last_modified, tb), sb);
			out_cell(stdout, rel_name(o->key, ls->dirlen), 0, OUT_LEFT);
			putchar('\n');
		}
	}
	ls->items += page->n + page->n_prefixes;
	return true;
}

static int
ls_objects(struct cli *cli, struct aws_client *client, const struct resource *res)
{
	struct ls_objects		ls;
	struct s3_list_objects_req	req;
	int				status = SV_EXIT_OK;

	memset(&ls, 0, sizeof ls);
	memset(&req, 0, sizeof req);
	svc_sync_init(&ls.sync);
	ls.cli = cli;
	req.bucket = res->name;
	req.prefix = res->key[0] != '\0' ? res->key : NULL;
	req.delimiter = "/";
	if (strrchr(res->key, '/') != NULL)
		ls.dirlen = (size_t)(strrchr(res->key, '/') - res->key) + 1;
	if (cli->json) {
		out_json_init(&ls.j);
		jsonw_obj_begin(&ls.j);
		jsonw_key(&ls.j, "objects");
		jsonw_arr_begin(&ls.j);
	}
	s3_list_objects_v2(client, &req, objects_page, svc_sync_done, &ls);
	if (svc_sync_wait(client, &ls.sync) != SV_OK) {
		/* The document stays unterminated: it is not a complete listing. */
		status = out_listing_failed(cli, &ls.sync.err, ls.sync.pages,
		    ls.items, "entries");
		goto out;
	}
	if (cli->json) {
		jsonw_arr_end(&ls.j);
		jsonw_key(&ls.j, "prefixes");
		jsonw_arr_begin(&ls.j);
		for (size_t i = 0; i < ls.nprefixes; i++)
			jsonw_str(&ls.j, ls.prefixes[i]);
		jsonw_arr_end(&ls.j);
		jsonw_obj_end(&ls.j);
		jsonw_finish(&ls.j);
	} else
		fflush(stdout);
out:
	for (size_t i = 0; i < ls.nprefixes; i++)
		free(ls.prefixes[i]);
	free(ls.prefixes);
	return status;
}

/* ---- dynamodb:// : tables ---- */

struct table_row {
	char		*name;
	char		*status;
	char		*billing;
	long long	 items;
	long long	 size_bytes;
	bool		 have_table;
	bool		 have_pitr;
	bool		 pitr;
};

struct ls_tables {
	struct svc_sync		 sync;		/* first: see svc.h */
	struct table_row	*v;
	size_t			 n, cap;
};

static void
table_add(struct ls_tables *ls, const char *name)
{
	struct table_row	*r;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap == 0 ? 64 : ls->cap * 2;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
	}
	r = &ls->v[ls->n++];
	memset(r, 0, sizeof *r);
	r->name = xstrdup(name);
	r->items = r->size_bytes = -1;
}

static bool
tables_page(void *data, const struct ddb_tables_page *page)
{
	for (size_t i = 0; i < page->n; i++)
		table_add(data, page->names[i]);
	return true;
}

/* Two jobs per table: 2i DescribeTable, 2i+1 DescribeContinuousBackups. */
static bool
table_described(void *data, const struct ddb_table *t)
{
	struct cli_job		*job = data;
	struct ls_tables	*ls = job->data;
	struct table_row	*r = &ls->v[job->i / 2];

	r->have_table = true;
	r->status = dup_or_null(t->status);
	r->billing = dup_or_null(t->billing_mode);
	r->items = t->item_count;
	r->size_bytes = t->size_bytes;
	return true;
}

static bool
table_backups(void *data, const struct ddb_continuous_backups *cb)
{
	struct cli_job		*job = data;
	struct ls_tables	*ls = job->data;
	struct table_row	*r = &ls->v[job->i / 2];

	r->have_pitr = true;
	r->pitr = cb->pitr_enabled;
	return true;
}

static struct svc_op *
table_job_start(struct aws_client *client, struct cli_job *job)
{
	struct ls_tables	*ls = job->data;
	const char		*name = ls->v[job->i / 2].name;

	if (job->i % 2 == 0)
		return ddb_describe_table(client, name, table_described,
		    cli_job_done, job);
	return ddb_describe_continuous_backups(client, name, table_backups,
	    cli_job_done, job);
}

static int
ls_tables(struct cli *cli, struct aws_client *client, const struct resource *res)
{
	struct ls_tables	 ls;
	struct cli_job		*jobs = NULL;
	int			 status = SV_EXIT_OK;

	memset(&ls, 0, sizeof ls);
	if (res->kind == RES_TABLE)
		table_add(&ls, res->name);
	else {
		svc_sync_init(&ls.sync);
		ddb_list_tables(client, NULL, tables_page, svc_sync_done, &ls);
		if (svc_sync_wait(client, &ls.sync) != SV_OK) {
			status = out_listing_failed(cli, &ls.sync.err,
			    ls.sync.pages, ls.n, "tables");
			goto out;
		}
	}

	jobs = cli_fanout_run(client, ls.n * 2, LS_MAX_INFLIGHT, table_job_start, &ls);
	for (size_t i = 0; i < ls.n * 2; i++) {
		if (jobs[i].result == SV_OK)
			continue;
		/* One named table that cannot be described is an error. */
		if (res->kind == RES_TABLE) {
			status = cli_fail(cli, &jobs[i].err);
			goto out;
		}
		sv_warn("%s of table %s not shown: %s", i % 2 == 0 ?
		    "description" : "point-in-time recovery status",
		    ls.v[i / 2].name, jobs[i].err.msg);
	}

	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_arr_begin(&j);
		for (size_t i = 0; i < ls.n; i++) {
			struct table_row *r = &ls.v[i];

			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "name", r->name);
			if (r->have_table) {
				jsonw_kstr(&j, "status", r->status);
				jsonw_kstr(&j, "billing", r->billing);
				if (r->items >= 0)
					jsonw_kint(&j, "items", r->items);
				if (r->size_bytes >= 0)
					jsonw_kint(&j, "size_bytes", r->size_bytes);
			}
			if (r->have_pitr)
				jsonw_kstr(&j, "pitr", r->pitr ? "ENABLED" : "DISABLED");
			jsonw_obj_end(&j);
		}
		jsonw_arr_end(&j);
		jsonw_finish(&j);
	} else {
		static const struct out_col cols[] = {
			{ "NAME", OUT_LEFT, false },
			{ "STATUS", OUT_LEFT, false },
			{ "PITR", OUT_LEFT, false },
			{ "ITEMS", OUT_RIGHT, false },
			{ "SIZE", OUT_RIGHT, false },
			{ "BILLING", OUT_LEFT, false },
		};
		struct out_table t;

		out_table_init(&t, 6, cols);
		for (size_t i = 0; i < ls.n; i++) {
			struct table_row *r = &ls.v[i];
			char	ib[32], sb[32];

			out_table_row(&t, (const char *[]){
			    r->name,
			    r->status != NULL ? r->status : "?",
			    r->have_pitr ? (r->pitr ? "ENABLED" : "DISABLED") : "?",
			    out_count(r->items, ib, sizeof ib),
			    out_size(r->size_bytes, sb, sizeof sb),
			    r->billing != NULL ? r->billing : "?" });
		}
		if (ls.n > 0)
			out_table_print(&t, stdout);
		out_table_free(&t);
	}
out:
	for (size_t i = 0; i < ls.n; i++) {
		free(ls.v[i].name);
		free(ls.v[i].status);
		free(ls.v[i].billing);
	}
	free(ls.v);
	free(jobs);
	return status;
}

/* ---- rds:// : DB instances ---- */

struct instance_row {
	char		*id;
	char		*engine;
	char		*engine_version;
	char		*status;
	char		*class;
	long long	 retention;
	sv_time		 latest;
	bool		 multi_az;
	char		*cluster;
};

struct ls_instances {
	struct svc_sync		 sync;		/* first: see svc.h */
	struct instance_row	*v;
	size_t			 n, cap;
};

static bool
instances_page(void *data, const struct rds_instances_page *page)
{
	struct ls_instances	*ls = data;

	for (size_t i = 0; i < page->n; i++) {
		const struct rds_instance *in = &page->v[i];
		struct instance_row *r;

		if (ls->n == ls->cap) {
			ls->cap = ls->cap == 0 ? 32 : ls->cap * 2;
			ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
		}
		r = &ls->v[ls->n++];
		r->id = dup_or_null(in->id);
		r->engine = dup_or_null(in->engine);
		r->engine_version = dup_or_null(in->engine_version);
		r->status = dup_or_null(in->status);
		r->class = dup_or_null(in->instance_class);
		r->retention = in->backup_retention;
		r->latest = in->latest_restorable;
		r->multi_az = in->multi_az;
		r->cluster = dup_or_null(in->cluster_id);
	}
	return true;
}

static int
ls_instances(struct cli *cli, struct aws_client *client, const struct resource *res)
{
	struct ls_instances	 ls;
	struct rds_instances_req req;
	int			 status = SV_EXIT_OK;

	memset(&ls, 0, sizeof ls);
	memset(&req, 0, sizeof req);
	svc_sync_init(&ls.sync);
	req.instance_id = res->kind == RES_INSTANCE ? res->name : NULL;
	rds_describe_db_instances(client, &req, instances_page, svc_sync_done, &ls);
	if (svc_sync_wait(client, &ls.sync) != SV_OK) {
		status = out_listing_failed(cli, &ls.sync.err, ls.sync.pages,
		    ls.n, "instances");
		goto out;
	}

	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_arr_begin(&j);
		for (size_t i = 0; i < ls.n; i++) {
			struct instance_row *r = &ls.v[i];

			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "id", r->id);
			jsonw_kstr(&j, "engine", r->engine);
			jsonw_kstr(&j, "engine_version", r->engine_version);
			jsonw_kstr(&j, "status", r->status);
			jsonw_kstr(&j, "class", r->class);
			jsonw_kbool(&j, "multi_az", r->multi_az);
			jsonw_kint(&j, "retention_days", r->retention);
			jsonw_kstr(&j, "pitr", r->retention > 0 ? "ENABLED" : "DISABLED");
			jsonw_ktime(&j, "latest_restorable", r->latest);
			if (r->cluster != NULL)
				jsonw_kstr(&j, "cluster", r->cluster);
			jsonw_obj_end(&j);
		}
		jsonw_arr_end(&j);
		jsonw_finish(&j);
	} else {
		static const struct out_col cols[] = {
			{ "ID", OUT_LEFT, false },
			{ "ENGINE", OUT_LEFT, false },
			{ "STATUS", OUT_LEFT, false },
			{ "CLASS", OUT_LEFT, false },
			{ "RETENTION", OUT_RIGHT, false },
			{ "LATEST RESTORABLE", OUT_LEFT, false },
		};
		struct out_table t;

		out_table_init(&t, 6, cols);
		for (size_t i = 0; i < ls.n; i++) {
			struct instance_row *r = &ls.v[i];
			char	eb[128], rb[32], tb[SV_TIME_ISO_MAX];

			snprintf(eb, sizeof eb, "%s %s", r->engine != NULL ?
			    r->engine : "?", r->engine_version != NULL ?
			    r->engine_version : "");
			snprintf(rb, sizeof rb, "%lldd", r->retention < 0 ? 0 :
			    r->retention);
			out_table_row(&t, (const char *[]){ r->id, eb, r->status,
			    r->class, rb, r->retention > 0 ?
			    out_time(r->latest, tb) : "- (no automated backups)" });
		}
		if (ls.n > 0)
			out_table_print(&t, stdout);
		out_table_free(&t);
	}
out:
	for (size_t i = 0; i < ls.n; i++) {
		free(ls.v[i].id);
		free(ls.v[i].engine);
		free(ls.v[i].engine_version);
		free(ls.v[i].status);
		free(ls.v[i].class);
		free(ls.v[i].cluster);
	}
	free(ls.v);
	return status;
}

/* ---- rds-cluster:// : DB clusters ---- */

struct cluster_row {
	char		*id;
	char		*engine;
	char		*engine_version;
	char		*status;
	long long	 retention;
	sv_time		 earliest;
	sv_time		 latest;
	size_t		 members;
};

struct ls_clusters {
	struct svc_sync		 sync;		/* first: see svc.h */
	struct cluster_row	*v;
	size_t			 n, cap;
};

static bool
clusters_page(void *data, const struct rds_clusters_page *page)
{
	struct ls_clusters	*ls = data;

	for (size_t i = 0; i < page->n; i++) {
		const struct rds_cluster *c = &page->v[i];
		struct cluster_row *r;

		if (ls->n == ls->cap) {
			ls->cap = ls->cap == 0 ? 32 : ls->cap * 2;
			ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
		}
		r = &ls->v[ls->n++];
		r->id = dup_or_null(c->id);
		r->engine = dup_or_null(c->engine);
		r->engine_version = dup_or_null(c->engine_version);
		r->status = dup_or_null(c->status);
		r->retention = c->backup_retention;
		r->earliest = c->earliest_restorable;
		r->latest = c->latest_restorable;
		r->members = c->n_members;
	}
	return true;
}

static int
ls_clusters(struct cli *cli, struct aws_client *client, const struct resource *res)
{
	struct ls_clusters	 ls;
	struct rds_clusters_req	 req;
	int			 status = SV_EXIT_OK;

	memset(&ls, 0, sizeof ls);
	memset(&req, 0, sizeof req);
	svc_sync_init(&ls.sync);
	req.cluster_id = res->kind == RES_CLUSTER ? res->name : NULL;
	rds_describe_db_clusters(client, &req, clusters_page, svc_sync_done, &ls);
	if (svc_sync_wait(client, &ls.sync) != SV_OK) {
		status = out_listing_failed(cli, &ls.sync.err, ls.sync.pages,
		    ls.n, "clusters");
		goto out;
	}

	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_arr_begin(&j);
		for (size_t i = 0; i < ls.n; i++) {
			struct cluster_row *r = &ls.v[i];

			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "id", r->id);
			jsonw_kstr(&j, "engine", r->engine);
			jsonw_kstr(&j, "engine_version", r->engine_version);
			jsonw_kstr(&j, "status", r->status);
			jsonw_kint(&j, "retention_days", r->retention);
			jsonw_ktime(&j, "earliest_restorable", r->earliest);
			jsonw_ktime(&j, "latest_restorable", r->latest);
			jsonw_kint(&j, "members", (long long)r->members);
			jsonw_obj_end(&j);
		}
		jsonw_arr_end(&j);
		jsonw_finish(&j);
	} else {
		static const struct out_col cols[] = {
			{ "ID", OUT_LEFT, false },
			{ "ENGINE", OUT_LEFT, false },
			{ "STATUS", OUT_LEFT, false },
			{ "MEMBERS", OUT_RIGHT, false },
			{ "RETENTION", OUT_RIGHT, false },
			{ "EARLIEST RESTORABLE", OUT_LEFT, false },
			{ "LATEST RESTORABLE", OUT_LEFT, false },
		};
		struct out_table t;

		out_table_init(&t, 7, cols);
		for (size_t i = 0; i < ls.n; i++) {
			struct cluster_row *r = &ls.v[i];
			char	eb[128], mb[32], rb[32];
			char	t1[SV_TIME_ISO_MAX], t2[SV_TIME_ISO_MAX];

			snprintf(eb, sizeof eb, "%s %s", r->engine != NULL ?
			    r->engine : "?", r->engine_version != NULL ?
			    r->engine_version : "");
			snprintf(mb, sizeof mb, "%zu", r->members);
			snprintf(rb, sizeof rb, "%lldd", r->retention < 0 ? 0 :
			    r->retention);
			out_table_row(&t, (const char *[]){ r->id, eb, r->status,
			    mb, rb, out_time(r->earliest, t1), out_time(r->latest, t2) });
		}
		if (ls.n > 0)
			out_table_print(&t, stdout);
		out_table_free(&t);
	}
out:
	for (size_t i = 0; i < ls.n; i++) {
		free(ls.v[i].id);
		free(ls.v[i].engine);
		free(ls.v[i].engine_version);
		free(ls.v[i].status);
	}
	free(ls.v);
	return status;
}

/* ---- backup:// : vaults ---- */

struct vault_row {
	char		*name;
	char		*arn;
	char		*type;
	sv_time		 created;
	long long	 points;
	bool		 locked;
};

struct ls_vaults {
	struct svc_sync		 sync;		/* first: see svc.h */
	const char		*only;		/* backup://VAULT: just that one */
	struct vault_row	*v;
	size_t			 n, cap;
};

static bool
vaults_page(void *data, const struct backup_vaults_page *page)
{
	struct ls_vaults	*ls = data;

	for (size_t i = 0; i < page->n; i++) {
		const struct backup_vault *bv = &page->v[i];
		struct vault_row	  *r;

		if (ls->only != NULL && strcmp(ls->only, bv->name) != 0)
			continue;
		if (ls->n == ls->cap) {
			ls->cap = ls->cap == 0 ? 16 : ls->cap * 2;
			ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
		}
		r = &ls->v[ls->n++];
		r->name = xstrdup(bv->name);
		r->arn = dup_or_null(bv->arn);
		r->type = dup_or_null(bv->type);
		r->created = bv->created;
		r->points = bv->recovery_points;
		r->locked = bv->locked;
	}
	return true;
}

static int
ls_vaults(struct cli *cli, struct aws_client *client, const struct resource *res)
{
	struct ls_vaults	 ls;
	struct sv_err		 err;
	int			 status = SV_EXIT_OK;

	memset(&ls, 0, sizeof ls);
	svc_sync_init(&ls.sync);
	ls.only = res->kind == RES_VAULT ? res->name : NULL;
	backup_list_vaults(client, vaults_page, svc_sync_done, &ls);
	if (svc_sync_wait(client, &ls.sync) != SV_OK) {
		status = out_listing_failed(cli, &ls.sync.err, ls.sync.pages,
		    ls.n, "vaults");
		goto out;
	}
	if (ls.only != NULL && ls.n == 0) {
		sv_err_init(&err);
		sv_err_set(&err, SV_E_NOTFOUND, "backup://%s: no such backup vault "
		    "in this account and region (list them with 'salvage ls "
		    "backup://')", ls.only);
		status = cli_fail(cli, &err);
		goto out;
	}

	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_arr_begin(&j);
		for (size_t i = 0; i < ls.n; i++) {
			struct vault_row *r = &ls.v[i];

			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "name", r->name);
			jsonw_kstr(&j, "arn", r->arn);
			jsonw_kstr(&j, "type", r->type);
			jsonw_ktime(&j, "created", r->created);
			jsonw_key(&j, "recovery_points");
			if (r->points >= 0)
				jsonw_int(&j, r->points);
			else
				jsonw_null(&j);
			jsonw_kbool(&j, "locked", r->locked);
			jsonw_obj_end(&j);
		}
		jsonw_arr_end(&j);
		jsonw_finish(&j);
	} else {
		static const struct out_col cols[] = {
			{ "NAME", OUT_LEFT, false },
			{ "CREATED", OUT_LEFT, false },
			{ "RECOVERY POINTS", OUT_RIGHT, false },
			{ "LOCK", OUT_LEFT, false },
		};
		struct out_table t;

		out_table_init(&t, 4, cols);
		for (size_t i = 0; i < ls.n; i++) {
			struct vault_row *r = &ls.v[i];
			char	pb[32], t1[SV_TIME_ISO_MAX];

			if (r->points >= 0)
				snprintf(pb, sizeof pb, "%lld", r->points);
			else
				snprintf(pb, sizeof pb, "?");
			out_table_row(&t, (const char *[]){ r->name,
			    out_time(r->created, t1), pb,
			    r->locked ? "locked" : "" });
		}
		if (ls.n > 0)
			out_table_print(&t, stdout);
		out_table_free(&t);
	}
out:
	for (size_t i = 0; i < ls.n; i++) {
		free(ls.v[i].name);
		free(ls.v[i].arn);
		free(ls.v[i].type);
	}
	free(ls.v);
	return status;
}

static int
cmd_ls_exec(struct cli *cli, int argc, char **argv)
{
	struct resource		 res;
	struct sv_err		 err;
	struct aws_client	*client;
	int			 status;

	if (argc != 2)
		return cli_usage(cli, &cmd_ls_entry, argc < 2 ?
		    "ls needs a resource URI" : "ls takes one resource URI");
	sv_err_init(&err);
	if (resource_parse(argv[1], &res, &err) != SV_OK) {
		resource_free(&res);
		return cli_usage(cli, &cmd_ls_entry, "%s", err.msg);
	}
	if ((client = cli_client(cli, &err)) == NULL) {
		resource_free(&res);
		return cli_fail(cli, &err);
	}
	switch (res.scheme) {
	case RES_S3:
		status = res.kind == RES_ALL ? ls_buckets(cli, client) :
		    ls_objects(cli, client, &res);
		break;
	case RES_DYNAMODB:
		status = ls_tables(cli, client, &res);
		break;
	case RES_RDS:
		status = ls_instances(cli, client, &res);
		break;
	case RES_RDS_CLUSTER:
		status = ls_clusters(cli, client, &res);
		break;
	case RES_BACKUP:
		status = ls_vaults(cli, client, &res);
		break;
	default:
		status = SV_EXIT_USAGE;
		break;
	}
	resource_free(&res);
	return status;
}

const struct cmd_entry cmd_ls_entry = {
	.name = "ls",
	.args = "URI",
	.summary = "list buckets, objects, tables, DB instances, DB clusters "
	    "or backup vaults",
	.exec = cmd_ls_exec,
};
