/* view-vault.c - the recovery points in one AWS Backup vault
 * (ListRecoveryPointsByBackupVault, by page): which resource each
 * protects, when, its status and size. Points that cannot be restored
 * from (PARTIAL, EXPIRED, ...) are dimmed. Browsing only: restoring a
 * recovery point is not supported yet, and Enter says what to do. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "svc/backup.h"
#include "ui/reslist.h"

static const struct list_column vault_cols[] = {
	{ "Resource", LIST_TEXT, 0, 16, 0 },
	{ "Type", LIST_TEXT, 10, 0, 0 },
	{ "Created", LIST_TIME, 0, 0, 0 },
	{ "Status", LIST_TEXT, 10, 0, 0 },
	{ "Size", LIST_SIZE, 10, 0, 0 },
	{ "Recovery point", LIST_TEXT, 0, 20, 0 },
};

/* What to call the resource: its name, else the id that ends its ARN
 * ("billing" in arn:aws:rds:...:db:billing, "orders" in .../table/orders). */
static const char *
short_name(const struct backup_recovery_point *r)
{
	const char	*s = r->resource_arn, *cut;

	if (r->resource_name != NULL && *r->resource_name != '\0')
		return r->resource_name;
	if (s == NULL)
		return "";
	cut = strrchr(s, '/');
	if (cut == NULL)
		cut = strrchr(s, ':');
	return cut != NULL && cut[1] != '\0' ? cut + 1 : s;
}

static bool
vault_page(void *arg, const struct backup_points_page *p)
{
	union list_value row[6];

	for (size_t i = 0; i < p->n; i++) {
		const struct backup_recovery_point *r = &p->v[i];
		bool	usable = r->status != NULL &&
		    (strcmp(r->status, "COMPLETED") == 0 ||
		    strcmp(r->status, "AVAILABLE") == 0);

		row[0].s = short_name(r);
		row[1].s = r->resource_type;
		row[2].n = r->created;
		row[3].s = r->status;
		row[4].n = r->size;
		row[5].s = r->arn;
		reslist_add(arg, row, usable ? LIST_STYLE_NORMAL : LIST_STYLE_DIM,
		    NULL);
	}
	return true;
}

static struct svc_op *
vault_start(struct reslist *rl, struct aws_client *client, const char *parent)
{
	return backup_list_recovery_points(client, parent, vault_page,
	    reslist_done, rl);
}

static const struct reslist_class vault_class = {
	.cols = vault_cols,
	.ncols = sizeof vault_cols / sizeof vault_cols[0],
	.scheme = RES_BACKUP,
	.kind = RES_VAULT,
	.browse_only = "restoring an AWS Backup recovery point is not supported "
	    "yet: use 'aws backup start-restore-job' (or the console), then "
	    "'salvage verify'",
	.title = "Recovery points",
	.noun = "recovery points",
	.empty = "no recovery points in this vault",
	.start = vault_start,
};

static void
vault_enter(struct view *v, const struct resource *res)
{
	reslist_enter(v, &vault_class, res);
}

const struct view_class view_vault =
    RESLIST_VIEW("vault", vault_enter, RESLIST_BROWSE_HINT);
