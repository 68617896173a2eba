/* detail.h - what the three detail screens (a DynamoDB table, an RDS
 * instance, an Aurora cluster) share: a panel of facts from the
 * service's Describe call, the PITR window, the one-line timeline, and
 * the list of backups or snapshots newest first (core_points_load). */
#ifndef SALVAGE_UI_DETAIL_H
#define SALVAGE_UI_DETAIL_H

#include "core/points.h"
#include "ui/ui-int.h"

#define DETAIL_LINES	4

struct detail {
	struct view		*view;
	struct resource		 res;
	const char		*what;		/* "DynamoDB table" */
	const char		*noun;		/* "backups", "snapshots" */
	/* The Describe call (the view starts it). */
	struct load		 info;
	char			*label[DETAIL_LINES];
	char			*value[DETAIL_LINES];
	/* The restore points. */
	struct core_points_op	*pop;
	bool			 points_running;
	bool			 points_failed;
	struct sv_err		 perr;
	struct point_set	*set;
	sv_time			*marks;
	size_t			 nmarks;
	struct list		*list;
};

struct detail	*detail_new(struct view *, const struct resource *, const char *what,
		    const char *noun);
void		 detail_free(struct detail *);
/* Sets panel line i ("Billing", "PAY_PER_REQUEST ..."). */
void		 detail_line(struct detail *, int i, const char *label, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* Starts (or restarts) the points load. */
void		 detail_load_points(struct detail *);
bool		 detail_cancel(struct detail *);
void		 detail_title(struct detail *, char *buf, size_t bufsz);
void		 detail_draw(struct detail *, WINDOW *, int y, int h, int w);
/* The keys every detail screen shares: Enter on a point opens the
 * timeline there, R the timeline at the latest time, b a backup. */
int		 detail_key(struct detail *, enum ui_action);
/* The svc done callback for the Describe call (data: the detail). */
void		 detail_info_done(void *, sv_result, const struct sv_err *, size_t);

#endif
