/* view-vault.c - the recovery points in one AWS Backup vault
 * (ListRecoveryPointsByBackupVault, by page): which resource each
 * protects, when, its status and size. Points that cannot be restored
 * from (PARTIAL, EXPIRED, ...) are dimmed. R restores the selected point
 * (the plan view: backup://VAULT --recovery-point ARN, which says what it
 * would do, or why not, before anything is sent); Enter opens the
 * resource it protects, when salvage can show it (its own backups, AWS
 * Backup's among them for DynamoDB, and its restore points). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/resource.h"
#include "core/restore.h"
#include "svc/backup.h"
#include "ui/reslist.h"
#include "util/xalloc.h"

enum { V_RESOURCE, V_TYPE, V_CREATED, V_STATUS, V_SIZE, V_POINT, V_ARN };

static const struct list_column vault_cols[] = {
	{ "Resource", LIST_TEXT, 0, 16, 0 },
	{ "Type", LIST_TEXT, 10, 0, 0 },
	{ "Created", LIST_TIME, 0, 0, 0 },
	{ "Status", LIST_TEXT, 10, 0, 0 },
	{ "Size", LIST_SIZE, 10, 0, 0 },
	{ "Recovery point", LIST_TEXT, 0, 20, 0 },
	{ "Resource ARN", LIST_TEXT, 0, 0, LIST_COL_HIDDEN },
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
	union list_value row[7];

	for (size_t i = 0; i < p->n; i++) {
		const struct backup_recovery_point *r = &p->v[i];
		bool	usable = r->status != NULL &&
		    (strcmp(r->status, "COMPLETED") == 0 ||
		    strcmp(r->status, "AVAILABLE") == 0);

		row[V_RESOURCE].s = short_name(r);
		row[V_TYPE].s = r->resource_type;
		row[V_CREATED].n = r->created;
		row[V_STATUS].s = r->status;
		row[V_SIZE].n = r->size;
		row[V_POINT].s = r->arn;
		row[V_ARN].s = r->resource_arn;
		reslist_add(arg, row, usable ? LIST_STYLE_NORMAL : LIST_STYLE_DIM,
		    NULL);
	}
	return true;
}

/* Enter: the protected resource, in this region. */
static void
vault_open(struct view *v, struct list *list, size_t row)
{
	const char	*arn = list_str(list, row, V_ARN), *here;
	char		 region[64], *uri;
	struct sv_err	 err;

	uri = resource_uri_from_arn(arn, region, sizeof region);
	if (uri == NULL) {
		ui_message(v->ui, true, "salvage cannot show %s (a %s resource): "
		    "restore this recovery point with 'aws backup "
		    "start-restore-job' or the console", arn != NULL ? arn : "it",
		    list_str(list, row, V_TYPE) != NULL ?
		    list_str(list, row, V_TYPE) : "different");
		return;
	}
	here = ui_client(v->ui) != NULL ? aws_client_region(ui_client(v->ui)) : "";
	if (region[0] != '\0' && here != NULL && strcmp(region, here) != 0)
		ui_message(v->ui, true, "%s is in %s, this console in %s: :region "
		    "%s, then :open %s", uri, region, here, region, uri);
	else {
		sv_err_init(&err);
		if (ui_open_uri(v->ui, uri, &err) != SV_OK)
			ui_message(v->ui, true, "%s", err.msg);
	}
	free(uri);
}

/* R: the plan of restoring this recovery point. */
static void
vault_restore(struct view *v, struct list *list, size_t row)
{
	const char		*vault = reslist_parent(v);
	struct restore_request	 req;
	char			*uri;

	if (vault == NULL)
		return;
	uri = xasprintf("backup://%s", vault);
	restore_request_init(&req);
	req.uri = uri;
	req.recovery_point = list_str(list, row, V_POINT);
	ui_restore_plan(v->ui, &req);
	free(uri);
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
	.browse_only = "salvage does not start AWS Backup backups; R restores "
	    "this recovery point, Enter opens the resource it protects",
	.open = vault_open,
	.restore = vault_restore,
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
    RESLIST_VIEW("vault", vault_enter, RESLIST_RESTORE_HINT);
