/* view-tables.c - DynamoDB tables, loaded page by page (ListTables). */
#include <config.h>

#include <stdio.h>

#include "svc/dynamodb.h"
#include "ui/reslist.h"

static const struct list_column tables_cols[] = {
	{ "Table", LIST_TEXT, 0, 20, 0 },
	{ "URI", LIST_TEXT, 0, 20, LIST_COL_NOFILTER },
};

static bool
tables_page(void *arg, const struct ddb_tables_page *p)
{
	union list_value row[2];
	char	uri[512];

	for (size_t i = 0; i < p->n; i++) {
		snprintf(uri, sizeof uri, "dynamodb://%s", p->names[i]);
		row[0].s = p->names[i];
		row[1].s = uri;
		reslist_add(arg, row, LIST_STYLE_NORMAL, uri);
	}
	return true;
}

static struct svc_op *
tables_start(struct reslist *rl, struct aws_client *client,
    const char *parent)
{
	(void)parent;
	return ddb_list_tables(client, NULL, tables_page, reslist_done, rl);
}

static const struct reslist_class tables_class = {
	.cols = tables_cols,
	.ncols = sizeof tables_cols / sizeof tables_cols[0],
	.scheme = RES_DYNAMODB,
	.kind = RES_TABLE,
	.detail = &view_table,
	.title = "DynamoDB tables",
	.noun = "tables",
	.empty = "no DynamoDB tables in this region",
	.start = tables_start,
};

static void
tables_enter(struct view *v, const struct resource *res)
{
	(void)res;
	reslist_enter(v, &tables_class, NULL);
}

const struct view_class view_tables =
    RESLIST_VIEW("tables", tables_enter, RESLIST_HINT);
