/* keymap.h - the console's keys are data: for each class of view, a
 * table of key -> action with the text '?' shows. Testable without a
 * terminal (tests/unit/test-keymap.c). */
#ifndef SALVAGE_UI_KEYMAP_H
#define SALVAGE_UI_KEYMAP_H

#include <stddef.h>

enum ui_action {
	ACT_NONE = 0,
	ACT_UP,
	ACT_DOWN,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_OPEN,
	ACT_BACK,		/* q: back; on home, quit (asks first) */
	ACT_CANCEL,		/* Esc: cancel a load; if none, back */
	ACT_FILTER,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	ACT_SORT_NEXT,
	ACT_SORT_PREV,
	ACT_SORT_INVERT,
	ACT_REFRESH,
	ACT_HELP,
	ACT_PALETTE,
	ACT_TIMEZONE,
	ACT_REDRAW,
	ACT_BACKUP,		/* b: an on-demand backup or snapshot */
	ACT_RESTORE,		/* R: restore (timeline; a version: its plan) */
	ACT_UNDELETE,		/* u: remove the delete marker on top */
	ACT_LEFT,		/* timeline: the cursor one step back */
	ACT_RIGHT,		/* timeline: one step forward */
	ACT_ZOOM_IN,		/* timeline: finer steps */
	ACT_ZOOM_OUT,		/* timeline: coarser steps */
	ACT_PREV_POINT,		/* timeline: the previous backup/version */
	ACT_NEXT_POINT,		/* timeline: the next one */
	ACT_EDGE_START,		/* timeline: the start of the window */
	ACT_EDGE_END,		/* timeline: its end (latest) */
	ACT_TYPE_TIME,		/* timeline: type a time */
	ACT_INCIDENT,		/* timeline: type the incident time */
	ACT_EDIT_TARGET,	/* plan: change the target's name */
	ACT_CONFIRM,		/* plan: confirm (type the target's name) */
	ACT_DELETE_NEW,		/* plan (prefix): toggle --delete-new */
	ACT_VERIFY,		/* after a restore: compare source and target */
	ACT_DRIFT,		/* after a restore: settings not carried over */
	ACT_ANSWER,		/* checklist: answer the current step */
	ACT_SKIP,		/* checklist: skip the step (a reason is asked) */
	ACT_NOTE,		/* checklist: a note into the audit log */
	ACT_ABORT,		/* checklist: stop the session (asks first) */
	ACT__COUNT
};

enum keymap_class {
	KM_HOME,	/* the home screen */
	KM_LIST,	/* a listing: tables, instances, buckets, a prefix, versions */
	KM_DETAIL,	/* one resource: its window and its backups */
	KM_HELP,	/* the help screen */
	KM_TIMELINE,	/* choosing a restore point on a resource's timeline */
	KM_PLAN,	/* a restore plan: edit the target, confirm */
	KM_WAIT,	/* a restore running: waiting, then verify and drift */
	KM_BACKUP,	/* a backup being planned, confirmed, made */
	KM_LOG,		/* read-only records: the audit log */
	KM_RESULT,	/* verify and drift results */
	KM_CHECKLIST,	/* a runbook session: the checklist and its step */
	KM__COUNT
};

struct keybinding {
	int		 key;		/* a curses key code or a byte */
	enum ui_action	 action;
	const char	*help;		/* what '?' says; never NULL */
};

/* The action bound to key in views of this class, ACT_NONE if none. */
enum ui_action	 keymap_lookup(enum keymap_class, int key);
/* What '?' says about key in this class; NULL if unbound. */
const char	*keymap_describe(enum keymap_class, int key);
/* The bindings in effect for a class, in the order help lists them:
 * fills out (up to max) and returns how many there are. */
size_t		 keymap_bindings(enum keymap_class, const struct keybinding **out,
		    size_t max);
/* "Enter", "Esc", "Up", "PgDn", "C-l", "F3", "Space", "q" ... */
const char	*keymap_key_name(int key, char *buf, size_t bufsz);
const char	*keymap_action_name(enum ui_action);	/* "open", "back" ... */
const char	*keymap_class_name(enum keymap_class);	/* "home", "list" ... */

/* The command palette (':'), also data: help and completion read it. */
struct palette_cmd {
	const char	*name;		/* "tables" */
	const char	*args;		/* "", "URI", "NAME" */
	const char	*help;
};

extern const struct palette_cmd	palette_cmds[];
extern const size_t		palette_ncmds;
/* The command named (an unambiguous prefix works), or NULL. */
const struct palette_cmd *palette_find(const char *name);

#endif
