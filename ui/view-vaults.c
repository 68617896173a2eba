/* view-vaults.c - AWS Backup vaults (ListBackupVaults, by page). Enter
 * opens a vault's recovery points; salvage browses AWS Backup but does
 * not restore from it yet, so R and b say so. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>

#include "svc/backup.h"
#include "ui/reslist.h"

static const struct list_column vaults_cols[] = {
	{ "Vault", LIST_TEXT, 0, 16, 0 },
	{ "Created", LIST_TIME, 0, 0, 0 },
	{ "Recovery points", LIST_INT, 15, 0, 0 },
	{ "Lock", LIST_TEXT, 6, 0, LIST_COL_NOFILTER },
};

static bool
vaults_page(void *arg, const struct backup_vaults_page *p)
{
	union list_value row[4];
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		const struct backup_vault *bv = &p->v[i];

		row[0].s = bv->name;
		row[1].n = bv->created;
		row[2].n = bv->recovery_points >= 0 ? bv->recovery_points : INT64_MIN;
		row[3].s = bv->locked ? "locked" : "";
		snprintf(uri, sizeof uri, "backup://%s", bv->name);
		reslist_add(arg, row, LIST_STYLE_NORMAL, uri);
	}
	return true;
}

static struct svc_op *
vaults_start(struct reslist *rl, struct aws_client *client, const char *parent)
{
	(void)parent;
	return backup_list_vaults(client, vaults_page, reslist_done, rl);
}

static const struct reslist_class vaults_class = {
	.cols = vaults_cols,
	.ncols = sizeof vaults_cols / sizeof vaults_cols[0],
	.scheme = RES_BACKUP,
	.kind = RES_VAULT,
	.detail = &view_vault,
	.browse_only = "salvage does not start AWS Backup backups; Enter lists "
	    "the vault's recovery points, and R there restores one",
	.title = "AWS Backup vaults",
	.noun = "vaults",
	.empty = "no AWS Backup vaults in this region",
	.start = vaults_start,
};

static void
vaults_enter(struct view *v, const struct resource *res)
{
	(void)res;
	reslist_enter(v, &vaults_class, NULL);
}

const struct view_class view_vaults =
    RESLIST_VIEW("vaults", vaults_enter, RESLIST_BROWSE_HINT);
