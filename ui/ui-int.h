/* ui-int.h - what the console's parts share: the view table of
 * functions, handler flags, the screen manager's services, the loader
 * state of a background listing, colours. Only ui/ includes it. */
#ifndef SALVAGE_UI_UI_INT_H
#define SALVAGE_UI_UI_INT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/resource.h"
#include "ui/keymap.h"
#include "ui/list.h"
#include "util/err.h"

struct aws_client;
struct cli;
struct svc_op;
struct ui;

/* Handler results (htop's HandlerResult): the loop redraws once per
 * pass when any handler asked for it. */
#define UI_IGNORED	0x0
#define UI_HANDLED	0x1
#define UI_REDRAW	0x2
#define UI_QUIT		0x4

struct view;

/* One screen. Every function but enter, leave and draw may be NULL. */
struct view_class {
	const char		*name;		/* "tables", "versions" ... */
	enum keymap_class	 keys;
	/* res: what to show (a copy is the view's to keep), NULL for the
	 * service-wide lists. Starts loading. */
	void	(*enter)(struct view *, const struct resource *res);
	/* Cancels what is loading and frees the private state. */
	void	(*leave)(struct view *);
	/* An action first goes to the view; UI_IGNORED lets the screen
	 * manager apply the generic meaning (movement, filter on the list). */
	int	(*key)(struct view *, enum ui_action, int key);
	/* The title line ("S3 buckets (12)"). */
	void	(*title)(struct view *, char *buf, size_t bufsz);
	/* The body: lines y .. y+h-1, w wide. */
	void	(*draw)(struct view *, WINDOW *, int y, int h, int w);
	void	(*resize)(struct view *, int h, int w);
	/* 'r': reload (also the retry after an error). */
	void	(*reload)(struct view *);
	/* The view's main list (movement, filter, search, sort), or NULL. */
	struct list *(*list)(struct view *);
	/* Esc while loading: cancel; returns true if something was. */
	bool	(*cancel)(struct view *);
	/* The one-line hint of the most useful keys, or NULL for the default. */
	const char *hint;
};

struct view {
	const struct view_class	*cls;
	struct ui		*ui;
	void			*data;
	void			*arg;	/* what ui_push_arg passed, for enter */
};

/* ---- the screen manager (ui.c) ---- */

void		 ui_push(struct ui *, const struct view_class *, const struct resource *);
/* The same, with something more for the view's enter (v->arg; the
 * view says who owns it). */
void		 ui_push_arg(struct ui *, const struct view_class *,
		    const struct resource *, void *arg);
void		 ui_pop(struct ui *);
/* Something changed: redraw on this pass (callbacks never draw). */
void		 ui_dirty(struct ui *);
/* A message in the footer for a few seconds. */
void		 ui_message(struct ui *, bool error, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
struct aws_client *ui_client(struct ui *);
/* A name for palette completion ("dynamodb://documents", "s3://b/"). */
void		 ui_add_name(struct ui *, const char *uri);
/* The spinner's current frame (advanced by the loop's own timer). */
const char	*ui_spinner(struct ui *);
/* Opens whatever uri names (the palette's :open). */
sv_result	 ui_open_uri(struct ui *, const char *uri, struct sv_err *);
/* The view below v on the stack (for help), or NULL. */
struct view	*ui_view_below(struct ui *, struct view *);
/* Identity for the home screen. */
enum ui_identity { UI_ID_NONE, UI_ID_LOADING, UI_ID_OK, UI_ID_FAILED };
enum ui_identity ui_identity(struct ui *, const char **arn, const struct sv_err **);
/* Recreates the client (credentials: blocking, "connecting..." shown
 * first) and reloads identity and home. */
void		 ui_reconnect(struct ui *);
/* Started with --operate (changes can be made, through the audit gate). */
bool		 ui_operate(struct ui *);
/* The session's audit log (core/audit-session.h), NULL before the
 * client is connected. */
struct audit_session *ui_audit(struct ui *);
/* Records an operator's typed confirmation in the audit log (how "tty").
 * Returns true when it was accepted AND recorded; otherwise says why in
 * the footer (nothing is to be sent). */
bool		 ui_confirm(struct ui *, const char *question, const char *expected,
		    const char *typed);

/* The runbook session on screen (its id in the header), NULL when none.
 * owned: the console frees it at exit (started from :runbooks). */
struct session;
void		 ui_set_session(struct ui *, struct session *, bool owned);
struct session	*ui_session(struct ui *);
/* A session was started in this console (its id is the audit session's:
 * one per connection). */
bool		 ui_session_used(struct ui *);

/* Timers of asynchronous core operations (a restore's polls, a backup's
 * waiting, a clock on screen): the loop adds timeout(arg) (ms, -1: none)
 * to its poll timeout and calls tick(arg) when it has run out. arg is
 * the key: ui_timer_remove(arg) before arg goes away (a view's leave). */
typedef int	(*ui_timeout_fn)(void *);
typedef void	(*ui_tick_fn)(void *);
void		 ui_timer_add(struct ui *, ui_timeout_fn due_in, ui_tick_fn, void *arg);
void		 ui_timer_remove(struct ui *, void *arg);

/* ---- colours (tty.c) ---- */

enum ui_color {
	UC_NORMAL,
	UC_HEADER,	/* the top line */
	UC_READONLY,
	UC_OPERATE,	/* loud: reverse red */
	UC_TITLE,
	UC_ERROR,
	UC_FOLDER,
	UC_DELETED,
	UC_LATEST,
	UC_DIM,
	UC_WARN,
	UC_MATCH,
	UC_SELECTED,
	UC_KEYS,	/* the footer's key hints */
	UC_WINDOW,	/* the PITR window in a timeline */
	UC_MARK,	/* a backup mark in a timeline */
	UC_LABEL,	/* "Status", "Keys" in detail panels */
	UC__COUNT
};
attr_t		 ui_attr(enum ui_color);

/* ---- a background listing's state (load.c) ---- */

enum load_state { LOAD_IDLE, LOAD_RUNNING, LOAD_DONE, LOAD_FAILED };

struct load {
	enum load_state	 state;
	struct svc_op	*op;		/* while running */
	struct sv_err	 err;		/* LOAD_FAILED */
	size_t		 pages;
};

/* Before the svc call; then load_started with what it returned (the
 * call may have completed already: an invalid request). */
void		 load_begin(struct load *);
void		 load_started(struct load *, struct svc_op *);
/* From the svc done callback. */
void		 load_end(struct load *, sv_result, const struct sv_err *, size_t pages);
/* Cancels a running load (its done callback runs before this returns). */
bool		 load_cancel(struct load *);
bool		 load_running(const struct load *);
/* "DynamoDB tables (12)", "... (340, loading |)", "... (3 of 12 match
 * /foo)", "... (incomplete: MESSAGE)". */
void		 load_title(struct ui *, const struct load *, struct list *,
		    const char *what, const char *noun, char *buf, size_t bufsz);
/* The body of a list view: the error in place (with "press r to retry")
 * when nothing was loaded, else the list. */
void		 load_draw_list(struct ui *, const struct load *, struct list *,
		    const char *empty, WINDOW *, int y, int h, int w);
/* "1 table", "3 tables": n and the plural noun, singular for one. */
const char	*ui_count(char *buf, size_t bufsz, size_t n, const char *plural);
/* Draws lines of text (wrapped) from y; returns the lines used. */
int		 ui_draw_text(WINDOW *, int y, int x, int h, int w, attr_t,
		    const char *);

/* ---- the one-line timeline (timeline.c) ---- */

/* Renders width cells: '-' time outside the PITR window, '=' inside it,
 * '*' a backup or snapshot ('#' several in one cell), over [from, to].
 * out must hold width+1 bytes. */
void		 timeline_render(char *out, int width, sv_time from, sv_time to,
		    sv_time win_start, sv_time win_end, const sv_time *marks,
		    size_t nmarks);
/* Draws the timeline with its labels on two lines at y; from/to are
 * derived from the window, the marks and now. */
void		 timeline_draw(WINDOW *, int y, int x, int w, sv_time win_start,
		    sv_time win_end, const sv_time *marks, size_t nmarks, sv_time now);

/* ---- views ---- */

extern const struct view_class view_home;
extern const struct view_class view_tables;
extern const struct view_class view_table;
extern const struct view_class view_instances;
extern const struct view_class view_instance;
extern const struct view_class view_clusters;
extern const struct view_class view_cluster;
extern const struct view_class view_vaults;
extern const struct view_class view_vault;
extern const struct view_class view_buckets;
extern const struct view_class view_prefix;
extern const struct view_class view_versions;
extern const struct view_class view_help;
extern const struct view_class view_audit;
extern const struct view_class view_backup;
extern const struct view_class view_timeline;
extern const struct view_class view_plan;
extern const struct view_class view_wait;
extern const struct view_class view_result;
extern const struct view_class view_runbooks;
extern const struct view_class view_checklist;

/* ---- the operator's actions (actions.c) ---- */

struct restore_request;

/* b: refused in READ-ONLY (says why, sends nothing); else asks for the
 * backup's name, then plans, confirms and makes it (view_backup). */
void		 ui_backup_begin(struct ui *, const struct resource *);
/* R: the timeline of a resource, the cursor at `at` (SV_TIME_NONE: the
 * latest time), on the point point_id if given (may be NULL). */
void		 ui_restore_timeline(struct ui *, const struct resource *, sv_time at,
		    const char *point_id);
/* What view_timeline receives (it frees it). */
struct ui_timeline_arg {
	sv_time	 at;
	char	*point_id;
	/* Set: Enter gives the point under the cursor to chosen ("latest",
	 * a point's id or an ISO-8601 time) and the view goes back, instead
	 * of planning a restore (a runbook's choose-point step). */
	void	(*chosen)(void *, const char *answer);
	void	*chosen_arg;
};
/* The plan view for a request (copied, strings too). */
void		 ui_restore_plan(struct ui *, const struct restore_request *);
/* What view_plan gets as its arg: a request that owns its strings. */
struct ui_restore_req;
const struct restore_request *ui_restore_req_get(const struct ui_restore_req *);
struct ui_restore_req *ui_restore_req_copy(const struct restore_request *);
void		 ui_restore_req_set_target(struct ui_restore_req *, const char *);
/* s3-prefix: keys created after the time get a delete marker (D). */
void		 ui_restore_req_set_delete_new(struct ui_restore_req *, bool);
void		 ui_restore_req_free(struct ui_restore_req *);
/* "Type TARGET to confirm": the prompt that ends in ui_confirm. done gets
 * true when the typed text matched and the confirmation is on record. */
void		 ui_confirm_prompt(struct ui *, const char *question,
		    const char *expected, const char *what,
		    void (*done)(void *, bool), void *arg);
/* A view going away: its confirmation prompt (if open) is dropped. */
void		 ui_confirm_forget(void *arg);
/* At exit. */
void		 ui_actions_cleanup(void);
/* What view_result gets: verify (true) or drift of a restore's source
 * and target (view-result.c; the view frees it). */
struct restore_plan;
struct ui_result_arg *ui_result_arg(bool verify, const struct restore_plan *);

#endif
