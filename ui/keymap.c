/* keymap.c - the key tables of the console (after htop's key tables and
 * k9s's bindings): each class of view is a list of binding groups; the
 * key appears once per class (tested), so nothing is shadowed. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/keymap.h"
#include "util/str.h"

#define CTRL(c)	((c) & 0x1f)
#define KEY_ESC	27

struct keygroup {
	const struct keybinding	*v;
	size_t			 n;
};

#define GROUP(a)	{ a, sizeof a / sizeof a[0] }

/* Moving in any list (less and vi keys as well as the arrows). */
static const struct keybinding nav_keys[] = {
	{ KEY_UP,	ACT_UP,		"move up" },
	{ 'k',		ACT_UP,		"move up" },
	{ KEY_DOWN,	ACT_DOWN,	"move down" },
	{ 'j',		ACT_DOWN,	"move down" },
	{ KEY_PPAGE,	ACT_PAGE_UP,	"page up" },
	{ CTRL('b'),	ACT_PAGE_UP,	"page up" },
	{ KEY_NPAGE,	ACT_PAGE_DOWN,	"page down" },
	{ CTRL('f'),	ACT_PAGE_DOWN,	"page down" },
	{ ' ',		ACT_PAGE_DOWN,	"page down" },
	{ 'g',		ACT_TOP,	"first row" },
	{ KEY_HOME,	ACT_TOP,	"first row" },
	{ 'G',		ACT_BOTTOM,	"last row" },
	{ KEY_END,	ACT_BOTTOM,	"last row" },
};

/* Opening a row. */
static const struct keybinding open_keys[] = {
	{ '\r',		ACT_OPEN,	"open the selected row" },
	{ '\n',		ACT_OPEN,	"open the selected row" },
	{ KEY_ENTER,	ACT_OPEN,	"open the selected row" },
};

/* What a list of resources adds. */
static const struct keybinding list_keys[] = {
	{ '/',		ACT_FILTER,	"filter rows as you type; the first match is selected (an empty filter clears)" },
	{ KEY_F(3),	ACT_SEARCH,	"search: jump to the next matching row as you type" },
	{ 'n',		ACT_SEARCH_NEXT, "next match of the search" },
	{ 'N',		ACT_SEARCH_PREV, "previous match of the search" },
	{ '>',		ACT_SORT_NEXT,	"sort by the next column" },
	{ '<',		ACT_SORT_PREV,	"sort by the previous column" },
	{ 'I',		ACT_SORT_INVERT, "invert the sort order" },
	{ 'r',		ACT_REFRESH,	"refresh (reload); retry after an error" },
};

/* What can be done to a resource (lists and detail screens). */
static const struct keybinding resource_keys[] = {
	{ 'b',		ACT_BACKUP,	"back up the table, instance or cluster now: an "
					"on-demand backup or snapshot (needs --operate; "
					"the name is typed to confirm)" },
	{ 'R',		ACT_RESTORE,	"restore: choose a point on the resource's timeline "
					"(on an S3 version: restore that version; in a "
					"prefix: type a time, every key under it goes back "
					"to its state then)" },
	{ 'u',		ACT_UNDELETE,	"undelete an S3 key: remove the delete marker on "
					"top (versions screen; needs --operate)" },
};

/* The timeline: the cursor moves through time. */
static const struct keybinding timeline_keys[] = {
	{ KEY_LEFT,	ACT_LEFT,	"move the cursor one step back in time" },
	{ 'h',		ACT_LEFT,	"move the cursor one step back in time" },
	{ KEY_RIGHT,	ACT_RIGHT,	"move the cursor one step forward in time" },
	{ 'l',		ACT_RIGHT,	"move the cursor one step forward in time" },
	{ '+',		ACT_ZOOM_IN,	"zoom in: a smaller step (and a shorter span shown)" },
	{ '=',		ACT_ZOOM_IN,	"zoom in: a smaller step (and a shorter span shown)" },
	{ '-',		ACT_ZOOM_OUT,	"zoom out: a larger step (and a longer span shown)" },
	{ '[',		ACT_PREV_POINT,	"jump to the previous backup, snapshot or version" },
	{ ']',		ACT_NEXT_POINT,	"jump to the next backup, snapshot or version" },
	{ KEY_HOME,	ACT_EDGE_START,	"jump to the start of the window (the earliest time)" },
	{ KEY_END,	ACT_EDGE_END,	"jump to the end of the window (the latest time)" },
	{ 'T',		ACT_TYPE_TIME,	"type a time: ISO-8601 with Z or an offset, local "
					"time, latest, -15m, -2h, -1d" },
	{ 'i',		ACT_INCIDENT,	"type the incident time: data loss is measured to it "
					"instead of to now" },
	{ '\r',		ACT_OPEN,	"plan the restore to the time under the cursor" },
	{ '\n',		ACT_OPEN,	"plan the restore to the time under the cursor" },
	{ KEY_ENTER,	ACT_OPEN,	"plan the restore to the time under the cursor" },
	{ KEY_UP,	ACT_UP,		"select the next newer point (the cursor follows)" },
	{ 'k',		ACT_UP,		"select the next newer point (the cursor follows)" },
	{ KEY_DOWN,	ACT_DOWN,	"select the next older point (the cursor follows)" },
	{ 'j',		ACT_DOWN,	"select the next older point (the cursor follows)" },
	{ 'r',		ACT_REFRESH,	"reload the window and the points" },
};

/* A restore plan. */
static const struct keybinding plan_keys[] = {
	{ 'e',		ACT_EDIT_TARGET, "edit the target's name (the plan is checked again)" },
	{ 'c',		ACT_CONFIRM,	"confirm: type the target's name, then the restore "
					"starts (needs --operate)" },
	{ 'r',		ACT_REFRESH,	"check the plan again" },
	{ 'D',		ACT_DELETE_NEW,	"prefix restore: toggle --delete-new (keys created "
					"after the time get a delete marker: a version is "
					"never destroyed); the plan is made again" },
};

/* A restore running, then done. */
static const struct keybinding wait_keys[] = {
	{ 'v',		ACT_VERIFY,	"verify: compare the target with the source (item "
					"counts, checksums, engine)" },
	{ 'd',		ACT_DRIFT,	"drift: the settings the restore did not carry over" },
	{ 'q',		ACT_BACK,	"back (waiting goes on while this screen is open)" },
	{ KEY_ESC,	ACT_CANCEL,	"stop waiting (never the restore: it goes on in AWS); "
					"else back" },
};

/* A backup being made. */
static const struct keybinding backup_keys[] = {
	{ 'r',		ACT_REFRESH,	"ask for the typed confirmation again (after it "
					"was declined)" },
	{ 'q',		ACT_BACK,	"back" },
	{ KEY_ESC,	ACT_CANCEL,	"stop waiting (never the backup: it goes on in AWS); "
					"else back" },
};

/* Verify and drift results. */
static const struct keybinding result_keys[] = {
	{ 'a',		ACT_CONFIRM,	"drift: re-apply the settings that differ (needs "
					"--operate; you type the target's name)" },
};

/* A runbook session's checklist. */
static const struct keybinding checklist_keys[] = {
	{ '\r',		ACT_ANSWER,	"answer the current step: yes/done (info, check), "
					"type the target's name (changes), a value (input), "
					"the timeline (choose-point), a note (note)" },
	{ '\n',		ACT_ANSWER,	"answer the current step (as Enter)" },
	{ KEY_ENTER,	ACT_ANSWER,	"answer the current step (as Enter)" },
	{ 'y',		ACT_ANSWER,	"yes / done: answer the current step (as Enter)" },
	{ 's',		ACT_SKIP,	"skip the current step: a reason is asked (it goes "
					"into the audit log and the report)" },
	{ 'n',		ACT_NOTE,	"note: free text into the audit log, at this step" },
	{ 'A',		ACT_ABORT,	"abort: stop the session (asks first; salvage resume "
					"ID continues it)" },
	{ 'q',		ACT_BACK,	"leave the checklist: the session is paused where "
					"it stands (salvage resume ID continues it)" },
	{ KEY_ESC,	ACT_BACK,	"leave the checklist (as q)" },
};

/* Everywhere. */
static const struct keybinding global_keys[] = {
	{ ':',		ACT_PALETTE,	"command palette (:tables, :open URI, ...)" },
	{ 't',		ACT_TIMEZONE,	"times in UTC or local time" },
	{ CTRL('l'),	ACT_REDRAW,	"redraw the screen" },
};

/* Everywhere but the help itself. */
static const struct keybinding help_open_keys[] = {
	{ '?',		ACT_HELP,	"help: every key and palette command" },
};

/* Below home: back. */
static const struct keybinding back_keys[] = {
	{ 'q',		ACT_BACK,	"back" },
	{ KEY_ESC,	ACT_CANCEL,	"cancel the load in progress; else back" },
};

/* Home: q and Esc quit, after asking. */
static const struct keybinding home_keys[] = {
	{ 'q',		ACT_BACK,	"quit salvage (asks first)" },
	{ KEY_ESC,	ACT_BACK,	"quit salvage (asks first)" },
};

/* Help: '?', q and Esc close it. */
static const struct keybinding help_keys[] = {
	{ '?',		ACT_BACK,	"close the help" },
	{ 'q',		ACT_BACK,	"close the help" },
	{ KEY_ESC,	ACT_BACK,	"close the help" },
	{ '/',		ACT_FILTER,	"filter the help" },
};

static const struct keygroup km_home[] = {
	GROUP(home_keys), GROUP(nav_keys), GROUP(open_keys), GROUP(list_keys),
	GROUP(help_open_keys), GROUP(global_keys)
};
static const struct keygroup km_list[] = {
	GROUP(nav_keys), GROUP(open_keys), GROUP(list_keys), GROUP(resource_keys),
	GROUP(back_keys), GROUP(help_open_keys), GROUP(global_keys)
};
static const struct keygroup km_detail[] = {
	GROUP(nav_keys), GROUP(open_keys), GROUP(list_keys), GROUP(resource_keys),
	GROUP(back_keys), GROUP(help_open_keys), GROUP(global_keys)
};
static const struct keygroup km_help[] = {
	GROUP(help_keys), GROUP(nav_keys), GROUP(global_keys)
};
/* Its own movement: Home/End are the window's edges, Up/Down the points. */
static const struct keygroup km_timeline[] = {
	GROUP(timeline_keys), GROUP(back_keys), GROUP(help_open_keys),
	GROUP(global_keys)
};
static const struct keygroup km_plan[] = {
	GROUP(plan_keys), GROUP(nav_keys), GROUP(back_keys), GROUP(help_open_keys),
	GROUP(global_keys)
};
static const struct keygroup km_wait[] = {
	GROUP(wait_keys), GROUP(nav_keys), GROUP(help_open_keys), GROUP(global_keys)
};
static const struct keygroup km_backup[] = {
	GROUP(backup_keys), GROUP(nav_keys), GROUP(help_open_keys), GROUP(global_keys)
};
static const struct keygroup km_result[] = {
	GROUP(result_keys), GROUP(nav_keys), GROUP(list_keys), GROUP(back_keys),
	GROUP(help_open_keys), GROUP(global_keys)
};
static const struct keygroup km_checklist[] = {
	GROUP(checklist_keys), GROUP(nav_keys), GROUP(help_open_keys),
	GROUP(global_keys)
};
static const struct keygroup km_log[] = {
	GROUP(nav_keys), GROUP(list_keys), GROUP(back_keys), GROUP(help_open_keys),
	GROUP(global_keys)
};

static const struct {
	const struct keygroup	*g;
	size_t			 n;
	const char		*name;
} classes[KM__COUNT] = {
#define CLASS(k, a, nm)	[k] = { a, sizeof a / sizeof a[0], nm }
	CLASS(KM_HOME, km_home, "home"),
	CLASS(KM_LIST, km_list, "list"),
	CLASS(KM_DETAIL, km_detail, "detail"),
	CLASS(KM_HELP, km_help, "help"),
	CLASS(KM_TIMELINE, km_timeline, "timeline"),
	CLASS(KM_PLAN, km_plan, "plan"),
	CLASS(KM_WAIT, km_wait, "wait"),
	CLASS(KM_BACKUP, km_backup, "backup"),
	CLASS(KM_LOG, km_log, "log"),
	CLASS(KM_RESULT, km_result, "result"),
	CLASS(KM_CHECKLIST, km_checklist, "checklist"),
#undef CLASS
};

static const struct keybinding *
find(enum keymap_class c, int key)
{
	if ((int)c < 0 || c >= KM__COUNT)
		return NULL;
	for (size_t g = 0; g < classes[c].n; g++)
		for (size_t i = 0; i < classes[c].g[g].n; i++)
			if (classes[c].g[g].v[i].key == key)
				return &classes[c].g[g].v[i];
	return NULL;
}

enum ui_action
keymap_lookup(enum keymap_class c, int key)
{
	const struct keybinding *b = find(c, key);

	return b != NULL ? b->action : ACT_NONE;
}

const char *
keymap_describe(enum keymap_class c, int key)
{
	const struct keybinding *b = find(c, key);

	return b != NULL ? b->help : NULL;
}

size_t
keymap_bindings(enum keymap_class c, const struct keybinding **out, size_t max)
{
	size_t	n = 0;

	if ((int)c < 0 || c >= KM__COUNT)
		return 0;
	for (size_t g = 0; g < classes[c].n; g++) {
		for (size_t i = 0; i < classes[c].g[g].n; i++) {
			const struct keybinding *b = &classes[c].g[g].v[i];

			if (n < max)
				out[n] = b;
			n++;
		}
	}
	return n;
}

const char *
keymap_key_name(int key, char *buf, size_t bufsz)
{
	static const struct {
		int		 key;
		const char	*name;
	} names[] = {
		{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" }, { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" },
		{ KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_ENTER, "Enter" },
		{ '\r', "Enter" }, { '\n', "C-j" }, { KEY_ESC, "Esc" }, { ' ', "Space" },
		{ '\t', "Tab" }, { KEY_BACKSPACE, "Backspace" }, { 127, "Backspace" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			str_lcpy(buf, names[i].name, bufsz);
			return buf;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, bufsz, "F%d", key - KEY_F0);
	else if (key > 0 && key < 0x20)
		snprintf(buf, bufsz, "C-%c", key + 'a' - 1);
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, bufsz, "%c", key);
	else
		snprintf(buf, bufsz, "key %d", key);
	return buf;
}

const char *
keymap_action_name(enum ui_action a)
{
	static const char *const names[ACT__COUNT] = {
		[ACT_NONE] = "none", [ACT_UP] = "up", [ACT_DOWN] = "down",
		[ACT_PAGE_UP] = "page-up", [ACT_PAGE_DOWN] = "page-down",
		[ACT_TOP] = "top", [ACT_BOTTOM] = "bottom", [ACT_OPEN] = "open",
		[ACT_BACK] = "back", [ACT_CANCEL] = "cancel", [ACT_FILTER] = "filter", [ACT_SEARCH] = "search",
		[ACT_SEARCH_NEXT] = "search-next", [ACT_SEARCH_PREV] = "search-prev",
		[ACT_SORT_NEXT] = "sort-next", [ACT_SORT_PREV] = "sort-prev",
		[ACT_SORT_INVERT] = "sort-invert", [ACT_REFRESH] = "refresh",
		[ACT_HELP] = "help", [ACT_PALETTE] = "palette",
		[ACT_TIMEZONE] = "timezone", [ACT_REDRAW] = "redraw",
		[ACT_BACKUP] = "backup", [ACT_RESTORE] = "restore",
		[ACT_UNDELETE] = "undelete", [ACT_LEFT] = "left", [ACT_RIGHT] = "right",
		[ACT_ZOOM_IN] = "zoom-in", [ACT_ZOOM_OUT] = "zoom-out",
		[ACT_PREV_POINT] = "prev-point", [ACT_NEXT_POINT] = "next-point",
		[ACT_EDGE_START] = "edge-start", [ACT_EDGE_END] = "edge-end",
		[ACT_TYPE_TIME] = "type-time", [ACT_INCIDENT] = "incident",
		[ACT_EDIT_TARGET] = "edit-target", [ACT_CONFIRM] = "confirm",
		[ACT_DELETE_NEW] = "delete-new",
		[ACT_VERIFY] = "verify", [ACT_DRIFT] = "drift",
		[ACT_ANSWER] = "answer", [ACT_SKIP] = "skip", [ACT_NOTE] = "note",
		[ACT_ABORT] = "abort",
	};

	return (int)a >= 0 && a < ACT__COUNT && names[a] != NULL ? names[a] : "?";
}

const char *
keymap_class_name(enum keymap_class c)
{
	return (int)c >= 0 && c < KM__COUNT ? classes[c].name : "?";
}

const struct palette_cmd palette_cmds[] = {
	{ "tables",	"",	"list DynamoDB tables" },
	{ "instances",	"",	"list RDS DB instances" },
	{ "clusters",	"",	"list Aurora DB clusters" },
	{ "buckets",	"",	"list S3 buckets" },
	{ "vaults",	"",	"list AWS Backup vaults" },
	{ "open",	"URI",	"open any resource: s3://BUCKET/KEY, s3://BUCKET/PREFIX/, "
				"dynamodb://TABLE, rds://INSTANCE, rds-cluster://CLUSTER, "
				"backup://VAULT" },
	{ "region",	"NAME",	"switch to another region (reconnects)" },
	{ "profile",	"NAME",	"switch to another AWS profile (reconnects)" },
	{ "audit",	"",	"this session's audit records (live) and where the log "
				"is shipped" },
	{ "help",	"",	"show this help" },
	{ "quit",	"",	"quit salvage at once" },
	{ "runbooks",	"",	"the runbooks (built-in and yours): Enter starts a "
				"session, a checklist step by step" },
};
const size_t palette_ncmds = sizeof palette_cmds / sizeof palette_cmds[0];

const struct palette_cmd *
palette_find(const char *name)
{
	const struct palette_cmd *found = NULL;
	size_t	len = strlen(name);

	if (len == 0)
		return NULL;
	for (size_t i = 0; i < palette_ncmds; i++) {
		if (strcmp(palette_cmds[i].name, name) == 0)
			return &palette_cmds[i];
		if (strncmp(palette_cmds[i].name, name, len) == 0) {
			if (found != NULL)
				return NULL;	/* ambiguous */
			found = &palette_cmds[i];
		}
	}
	return found;
}
