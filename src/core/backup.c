/* backup.c - on-demand DynamoDB backups and RDS snapshots: plan, start,
 * poll (see backup.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup.h"
#include "core/resource.h"
#include "svc/ddb-backup.h"
#include "svc/dynamodb.h"
#include "svc/rds-snapshot.h"
#include "svc/rds.h"
#include "util/str.h"
#include "util/xalloc.h"

bool
core_backup_valid_name(enum core_backup_kind kind, const char *name,
    struct sv_err *err)
{
	size_t	n = name != NULL ? strlen(name) : 0;

	if (kind == CORE_BACKUP_DYNAMODB) {
		if (n < 3 || n > 255)
			goto bad_ddb;
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
			    name[i] != '.' && name[i] != '-')
				goto bad_ddb;
		return true;
bad_ddb:
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid DynamoDB backup "
		    "name: 3 to 255 letters, digits, '_', '.' or '-'", name ? name : "");
		return false;
	}
	if (n < 1 || n > 255 || !isalpha((unsigned char)name[0]) || name[n - 1] == '-' ||
	    strstr(name, "--") != NULL)
		goto bad_rds;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-')
			goto bad_rds;
	return true;
bad_rds:
	sv_err_set(err, SV_E_USAGE, "'%s' is not a valid RDS snapshot name: 1 to "
	    "255 letters, digits or hyphens, starting with a letter, without "
	    "\"--\" and not ending in '-'", name ? name : "");
	return false;
}

void
core_backup_plan_free(struct core_backup_plan *p)
{
	free(p->uri);
	free(p->source);
	free(p->name);
	free(p->summary);
	memset(p, 0, sizeof *p);
}

void
core_backup_status_free(struct core_backup_status *st)
{
	free(st->id);
	free(st->arn);
	free(st->status);
	memset(st, 0, sizeof *st);
}

int
core_backup_poll_delay_ms(int n)
{
	int	ms = 2000;

	for (int i = 0; i < n && ms < 30000; i++)
		ms *= 2;
	return ms > 30000 ? 30000 : ms;
}

/* ---- read-only checks ---- */

struct exists_check {
	struct svc_sync	 sync;		/* first: see svc.h */
	bool		 found;
};

static bool
table_seen(void *data, const struct ddb_table *t)
{
	((struct exists_check *)data)->found = true;
	return true;
}

static bool
instances_seen(void *data, const struct rds_instances_page *p)
{
	if (p->n > 0)
		((struct exists_check *)data)->found = true;
	return true;
}

static bool
clusters_seen(void *data, const struct rds_clusters_page *p)
{
	if (p->n > 0)
		((struct exists_check *)data)->found = true;
	return true;
}

static sv_result
source_exists(struct aws_client *c, const struct core_backup_plan *p,
    struct sv_err *err)
{
	struct exists_check	ch;
	sv_result		r;

	memset(&ch, 0, sizeof ch);
	svc_sync_init(&ch.sync);
	if (p->kind == CORE_BACKUP_DYNAMODB)
		ddb_describe_table(c, p->source, table_seen, svc_sync_done, &ch);
	else if (p->kind == CORE_BACKUP_RDS) {
		struct rds_instances_req req = { p->source };

		rds_describe_db_instances(c, &req, instances_seen, svc_sync_done, &ch);
	} else {
		struct rds_clusters_req req = { p->source };

		rds_describe_db_clusters(c, &req, clusters_seen, svc_sync_done, &ch);
	}
	r = svc_sync_wait(c, &ch.sync);
	if (r == SV_OK && !ch.found)
		r = sv_err_set(&ch.sync.err, SV_E_NOTFOUND, "no such %s", p->uri);
	if (r != SV_OK) {
		if (r == SV_E_NOTFOUND)
			return sv_err_set(err, r, "%s does not exist: nothing to back up",
			    p->uri);
		return sv_err_set(err, r, "checking %s: %s", p->uri, ch.sync.err.msg);
	}
	return SV_OK;
}

struct name_check {
	struct svc_sync	 sync;		/* first: see svc.h */
	const char	*table;
	const char	*name;
	bool		 taken;
	char		 arn[512];
};

static bool
backups_seen(void *data, const struct ddb_backups_page *pg)
{
	struct name_check	*nc = data;

	for (size_t i = 0; i < pg->n; i++) {
		const struct ddb_backup *b = &pg->backups[i];

		/* Some emulators ignore the TableName filter: check it. */
		if (b->table_name != NULL && strcmp(b->table_name, nc->table) != 0)
			continue;
		if (b->status != NULL && strcmp(b->status, "DELETED") == 0)
			continue;
		if (b->name != NULL && strcmp(b->name, nc->name) == 0) {
			nc->taken = true;
			str_lcpy(nc->arn, b->arn != NULL ? b->arn : "", sizeof nc->arn);
			return false;
		}
	}
	return true;
}

static sv_result
name_free(struct aws_client *c, const struct core_backup_plan *p, struct sv_err *err)
{
	if (p->kind == CORE_BACKUP_DYNAMODB) {
		struct ddb_list_backups_req	req;
		struct name_check		nc;

		memset(&req, 0, sizeof req);
		memset(&nc, 0, sizeof nc);
		req.table = p->source;
		req.kind = DDB_BACKUPS_EVERY;
		nc.table = p->source;
		nc.name = p->name;
		svc_sync_init(&nc.sync);
		ddb_list_backups(c, &req, backups_seen, svc_sync_done, &nc);
		if (svc_sync_wait(c, &nc.sync) != SV_OK)
			return sv_err_set(err, nc.sync.result, "checking the backups of "
			    "%s: %s", p->uri, nc.sync.err.msg);
		if (nc.taken)
			return sv_err_set(err, SV_E_EXISTS, "%s already has a backup named "
			    "'%s' (%s): choose another name", p->uri, p->name, nc.arn);
		return SV_OK;
	} else {
		struct rds_snap_desc	d;
		struct sv_err		e;
		sv_result		r;

		sv_err_init(&e);
		r = rds_describe_snapshot_sync(c, p->kind == CORE_BACKUP_RDS_CLUSTER,
		    p->name, &d, &e);
		if (r == SV_OK) {
			sv_err_set(err, SV_E_EXISTS, "a %s named '%s' already exists (of "
			    "%s, %s): choose another name", p->what, p->name,
			    d.source != NULL ? d.source : "?", d.status != NULL ? d.status : "?");
			rds_snap_desc_free(&d);
			return SV_E_EXISTS;
		}
		if (r == SV_E_NOTFOUND)
			return SV_OK;
		return sv_err_set(err, r, "checking snapshot name '%s': %s", p->name, e.msg);
	}
}

sv_result
core_backup_plan(struct aws_client *c, const char *uri, const char *name,
    unsigned allow, struct core_backup_plan *p, struct sv_err *err)
{
	struct resource	res;
	sv_result	result;

	memset(p, 0, sizeof *p);
	memset(&res, 0, sizeof res);
	result = resource_parse(uri, &res, err);
	if (result != SV_OK)
		goto out;
	if (res.scheme == RES_DYNAMODB && res.kind == RES_TABLE)
		p->kind = CORE_BACKUP_DYNAMODB;
	else if (res.scheme == RES_RDS && res.kind == RES_INSTANCE)
		p->kind = CORE_BACKUP_RDS;
	else if (res.scheme == RES_RDS_CLUSTER && res.kind == RES_CLUSTER)
		p->kind = CORE_BACKUP_RDS_CLUSTER;
	else {
		result = sv_err_set(err, SV_E_USAGE, "%s: expected %s", uri,
		    allow == (1u << CORE_BACKUP_DYNAMODB) ? "one table: dynamodb://TABLE" :
		    (allow & (1u << CORE_BACKUP_DYNAMODB)) ? "dynamodb://TABLE, "
		    "rds://INSTANCE or rds-cluster://CLUSTER" :
		    "rds://INSTANCE or rds-cluster://CLUSTER");
		goto out;
	}
	if ((allow & (1u << p->kind)) == 0) {
		result = sv_err_set(err, SV_E_USAGE, "%s: %s", uri,
		    p->kind == CORE_BACKUP_DYNAMODB ? "DynamoDB tables are backed up "
		    "with: salvage backup dynamodb://TABLE --name NAME" :
		    "RDS databases are snapshotted with: salvage snapshot "
		    "rds://INSTANCE --name NAME");
		goto out;
	}
	p->uri = resource_uri(&res);
	p->source = xstrdup(res.name);
	switch (p->kind) {
	case CORE_BACKUP_DYNAMODB:
		p->operation = "CreateBackup";
		p->what = "DynamoDB backup";
		break;
	case CORE_BACKUP_RDS:
		p->operation = "CreateDBSnapshot";
		p->what = "DB snapshot";
		break;
	case CORE_BACKUP_RDS_CLUSTER:
		p->operation = "CreateDBClusterSnapshot";
		p->what = "DB cluster snapshot";
		break;
	}
	if (!core_backup_valid_name(p->kind, name, err)) {
		result = SV_E_USAGE;
		goto out;
	}
	p->name = xstrdup(name);
	p->summary = xasprintf("create %s '%s' of %s %s (%s) with %s", p->what, p->name,
	    resource_kind_name(res.kind), p->source, p->uri, p->operation);
	if (c == NULL)
		goto out;	/* validation only */
	result = source_exists(c, p, err);
	if (result == SV_OK)
		result = name_free(c, p, err);
out:
	resource_free(&res);
	if (result != SV_OK)
		core_backup_plan_free(p);
	return result;
}

/* ---- start and poll ---- */

static void
from_ddb(struct core_backup_status *st, const struct ddb_backup_desc *d)
{
	free(st->id);
	free(st->arn);
	free(st->status);
	st->id = xstrdup(d->arn);
	st->arn = xstrdup(d->arn);
	st->status = xstrdup(d->status);
	st->progress = -1;
	st->available = strcmp(d->status, "AVAILABLE") == 0;
	st->failed = strcmp(d->status, "DELETED") == 0;
}

static void
from_rds(struct core_backup_status *st, const struct rds_snap_desc *d)
{
	free(st->id);
	free(st->arn);
	free(st->status);
	st->id = xstrdup(d->id);
	st->arn = d->arn != NULL ? xstrdup(d->arn) : NULL;
	st->status = xstrdup(d->status != NULL ? d->status : "unknown");
	st->progress = d->progress;
	st->available = strcmp(st->status, "available") == 0;
	st->failed = strcmp(st->status, "failed") == 0 ||
	    strcmp(st->status, "error") == 0 || strcmp(st->status, "deleted") == 0 ||
	    strcmp(st->status, "deleting") == 0;
}

sv_result
core_backup_start(struct aws_client *c, const struct core_backup_plan *p,
    struct core_backup_status *st, struct sv_err *err)
{
	sv_result	r;

	memset(st, 0, sizeof *st);
	st->progress = -1;
	if (p->kind == CORE_BACKUP_DYNAMODB) {
		struct ddb_backup_desc	d;

		r = ddb_create_backup_sync(c, p->source, p->name, &d, err);
		if (r == SV_OK) {
			from_ddb(st, &d);
			str_lcpy(st->request_id, d.request_id, sizeof st->request_id);
			ddb_backup_desc_free(&d);
		}
	} else {
		struct rds_snap_desc	d;

		r = rds_create_snapshot_sync(c, p->kind == CORE_BACKUP_RDS_CLUSTER,
		    p->source, p->name, &d, err);
		if (r == SV_OK) {
			from_rds(st, &d);
			str_lcpy(st->request_id, d.request_id, sizeof st->request_id);
			rds_snap_desc_free(&d);
		}
	}
	return r;
}

sv_result
core_backup_poll(struct aws_client *c, const struct core_backup_plan *p,
    struct core_backup_status *st, struct sv_err *err)
{
	sv_result	r;

	if (p->kind == CORE_BACKUP_DYNAMODB) {
		struct ddb_backup_desc	d;

		r = ddb_describe_backup_sync(c, st->arn, &d, err);
		if (r == SV_OK) {
			from_ddb(st, &d);
			ddb_backup_desc_free(&d);
		}
	} else {
		struct rds_snap_desc	d;

		r = rds_describe_snapshot_sync(c, p->kind == CORE_BACKUP_RDS_CLUSTER,
		    st->id, &d, err);
		if (r == SV_OK) {
			from_rds(st, &d);
			rds_snap_desc_free(&d);
		}
	}
	return r;
}
