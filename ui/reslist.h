/* reslist.h - what the lists of DynamoDB tables, RDS instances, Aurora
 * clusters, AWS Backup vaults and a vault's recovery points share: a list
 * loaded page by page from one svc call, whose rows open their detail
 * view, start a backup (b) or a restore (R). Each of those views gives its
 * columns, its svc call and how a page becomes rows; everything else is
 * here, once. */
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
	/* Set for lists salvage can only browse (AWS Backup): Enter without
	 * a detail view, R and b say this instead, after column 0. */
	const char		*browse_only;
	/* Enter on a row, instead of opening detail (may be NULL). */
	void			(*open)(struct view *, struct list *, size_t row);
	/* R on a row, instead of the resource's timeline (may be NULL). */
	void			(*restore)(struct view *, struct list *, size_t row);
	const char		*title;		/* "DynamoDB tables" */
	const char		*noun;		/* "tables" */
	const char		*empty;		/* "no DynamoDB tables in this region" */
	/* Starts the listing: the svc call with a page callback that adds
	 * rows with reslist_add(), and reslist_done as its done callback;
	 * both get rl as their data. parent: the name of the resource the
	 * view was opened on (a vault), or NULL. */
	struct svc_op		*(*start)(struct reslist *rl, struct aws_client *,
				    const char *parent);
};

/* A row from a page callback: its values (column 0 is the resource's
 * name), its style, and its URI for completion (or NULL). */
void		 reslist_add(struct reslist *, const union list_value *, enum list_style,
		    const char *uri);
/* The svc done callback of every listing. */
void		 reslist_done(void *, sv_result, const struct sv_err *, size_t);

/* The view functions, shared by the views (v->data is the list). res: the
 * resource the view was opened on (NULL for a list of them all). */
void		 reslist_enter(struct view *, const struct reslist_class *,
		    const struct resource *);
void		 reslist_leave(struct view *);
int		 reslist_key(struct view *, enum ui_action, int);
void		 reslist_title(struct view *, char *, size_t);
void		 reslist_draw(struct view *, WINDOW *, int, int, int);
void		 reslist_reload(struct view *);
struct list	*reslist_list(struct view *);
/* The name of the resource the view was opened on (a vault), or NULL. */
const char	*reslist_parent(struct view *);
bool		 reslist_cancel(struct view *);

#define RESLIST_HINT	"Enter open  R restore  b backup  / filter  : palette  " \
			    "? help  r refresh  q back"
/* The view class of a list: its name, its enter (which calls
 * reslist_enter with its reslist_class) and its hint; the rest is here. */
#define RESLIST_VIEW(vname, venter, vhint) {				\
	.name = (vname), .keys = KM_LIST, .enter = (venter),		\
	.leave = reslist_leave, .key = reslist_key,			\
	.title = reslist_title, .draw = reslist_draw,			\
	.reload = reslist_reload, .list = reslist_list,			\
	.cancel = reslist_cancel, .hint = (vhint) }

#define RESLIST_BROWSE_HINT "Enter open  / filter  : palette  ? help  " \
			    "r refresh  q back"
#define RESLIST_RESTORE_HINT "Enter open  R restore  / filter  : palette  " \
			    "? help  r refresh  q back"

#endif
