/* reslist.h - what the lists of DynamoDB tables, RDS instances and Aurora
 * clusters share: a list loaded page by page from one svc call, whose
 * rows open their detail view, start a backup (b) or a restore (R). Each
 * of those views gives its columns, its svc call and how a page becomes
 * rows; everything else is here, once. */
#ifndef SALVAGE_UI_RESLIST_H
#define SALVAGE_UI_RESLIST_H

#include "ui/ui-int.h"

struct reslist;

struct reslist_class {
	const struct list_column *cols;
	size_t			 ncols;
	enum resource_scheme	 scheme;	/* of a row's resource */
	enum resource_kind	 kind;
	const struct view_class	*detail;	/* Enter opens this */
	const char		*title;		/* "DynamoDB tables" */
	const char		*noun;		/* "tables" */
	const char		*empty;		/* "no DynamoDB tables in this region" */
	/* Starts the listing: the svc call with a page callback that adds
	 * rows with reslist_add(), and reslist_done as its done callback;
	 * both get rl as their data. */
	struct svc_op		*(*start)(struct reslist *rl, struct aws_client *);
};

/* A row from a page callback: its values (column 0 is the resource's
 * name), its style, and its URI for completion. */
void		 reslist_add(struct reslist *, const union list_value *, enum list_style,
		    const char *uri);
/* The svc done callback of every listing. */
void		 reslist_done(void *, sv_result, const struct sv_err *, size_t);

/* The view functions, shared by the three views (v->data is the list). */
void		 reslist_enter(struct view *, const struct reslist_class *);
void		 reslist_leave(struct view *);
int		 reslist_key(struct view *, enum ui_action, int);
void		 reslist_title(struct view *, char *, size_t);
void		 reslist_draw(struct view *, WINDOW *, int, int, int);
void		 reslist_reload(struct view *);
struct list	*reslist_list(struct view *);
bool		 reslist_cancel(struct view *);

#define RESLIST_HINT	"Enter open  R restore  b backup  / filter  : palette  " \
			    "? help  r refresh  q back"

#endif
