/* test-keymap.c - the console's keymap is data: every key the console
 * documents maps to its action in the right classes of view, every
 * binding has help text, and no key is bound twice in a class. Also the
 * keys of the changes: b (backup), R (restore), u (undelete), the
 * timeline's, the plan's, the wait's and the results', and a runbook
 * session's checklist (answer, skip, note, abort). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "ui/keymap.h"

#define CTRL(c)	((c) & 0x1f)

static const enum keymap_class browsing[] = { KM_HOME, KM_LIST, KM_DETAIL };

static void
expect(enum keymap_class c, int key, enum ui_action a)
{
	char	name[64], kn[32];

	snprintf(name, sizeof name, "%s: %s -> %s", keymap_class_name(c),
	    keymap_key_name(key, kn, sizeof kn), keymap_action_name(a));
	is_int(keymap_lookup(c, key), a, name);
}

int
main(void)
{
	const struct keybinding *b[256];
	char	 kn[32], name[128];
	size_t	 n;

	/* The keys of the issue, in every browsing view. */
	for (size_t i = 0; i < sizeof browsing / sizeof browsing[0]; i++) {
		enum keymap_class c = browsing[i];

		expect(c, '?', ACT_HELP);
		expect(c, '/', ACT_FILTER);
		expect(c, ':', ACT_PALETTE);
		expect(c, '\r', ACT_OPEN);
		expect(c, '\n', ACT_OPEN);
		expect(c, KEY_ENTER, ACT_OPEN);
		expect(c, 'q', ACT_BACK);
		expect(c, 27, c == KM_HOME ? ACT_BACK : ACT_CANCEL);
		expect(c, KEY_UP, ACT_UP);
		expect(c, 'k', ACT_UP);
		expect(c, KEY_DOWN, ACT_DOWN);
		expect(c, 'j', ACT_DOWN);
		expect(c, 'g', ACT_TOP);
		expect(c, 'G', ACT_BOTTOM);
		expect(c, KEY_PPAGE, ACT_PAGE_UP);
		expect(c, KEY_NPAGE, ACT_PAGE_DOWN);
		expect(c, 'r', ACT_REFRESH);
		expect(c, 't', ACT_TIMEZONE);
		expect(c, KEY_F(3), ACT_SEARCH);
		expect(c, 'n', ACT_SEARCH_NEXT);
		expect(c, 'N', ACT_SEARCH_PREV);
		expect(c, '>', ACT_SORT_NEXT);
		expect(c, '<', ACT_SORT_PREV);
		expect(c, 'I', ACT_SORT_INVERT);
		expect(c, CTRL('l'), ACT_REDRAW);
		expect(c, 'x', ACT_NONE);
	}
	/* What can be done to a resource: lists and detail screens only. */
	expect(KM_LIST, 'b', ACT_BACKUP);
	expect(KM_DETAIL, 'b', ACT_BACKUP);
	expect(KM_LIST, 'R', ACT_RESTORE);
	expect(KM_DETAIL, 'R', ACT_RESTORE);
	expect(KM_LIST, 'u', ACT_UNDELETE);
	expect(KM_DETAIL, 'u', ACT_UNDELETE);
	expect(KM_HOME, 'b', ACT_NONE);
	expect(KM_HOME, 'R', ACT_NONE);
	expect(KM_HELP, 'b', ACT_NONE);
	expect(KM_LOG, 'b', ACT_NONE);
	expect(KM_LOG, 'R', ACT_NONE);
	ok(strstr(keymap_describe(KM_LIST, 'b'), "--operate") != NULL,
	    "list: b says it needs --operate");
	ok(strstr(keymap_describe(KM_DETAIL, 'R'), "timeline") != NULL,
	    "detail: R is described as the timeline");
	ok(strstr(keymap_describe(KM_LIST, 'u'), "delete marker") != NULL,
	    "list: u is described as removing the delete marker");

	/* The timeline: the cursor moves through time. */
	expect(KM_TIMELINE, KEY_LEFT, ACT_LEFT);
	expect(KM_TIMELINE, 'h', ACT_LEFT);
	expect(KM_TIMELINE, KEY_RIGHT, ACT_RIGHT);
	expect(KM_TIMELINE, 'l', ACT_RIGHT);
	expect(KM_TIMELINE, '+', ACT_ZOOM_IN);
	expect(KM_TIMELINE, '=', ACT_ZOOM_IN);
	expect(KM_TIMELINE, '-', ACT_ZOOM_OUT);
	expect(KM_TIMELINE, '[', ACT_PREV_POINT);
	expect(KM_TIMELINE, ']', ACT_NEXT_POINT);
	expect(KM_TIMELINE, KEY_HOME, ACT_EDGE_START);
	expect(KM_TIMELINE, KEY_END, ACT_EDGE_END);
	expect(KM_TIMELINE, 'T', ACT_TYPE_TIME);
	expect(KM_TIMELINE, 'i', ACT_INCIDENT);
	expect(KM_TIMELINE, '\r', ACT_OPEN);
	expect(KM_TIMELINE, KEY_UP, ACT_UP);
	expect(KM_TIMELINE, 'j', ACT_DOWN);
	expect(KM_TIMELINE, 'r', ACT_REFRESH);
	expect(KM_TIMELINE, 'q', ACT_BACK);
	expect(KM_TIMELINE, 27, ACT_CANCEL);
	expect(KM_TIMELINE, '?', ACT_HELP);
	expect(KM_TIMELINE, ':', ACT_PALETTE);
	expect(KM_TIMELINE, 't', ACT_TIMEZONE);
	expect(KM_TIMELINE, 'b', ACT_NONE);
	ok(strstr(keymap_describe(KM_TIMELINE, 'T'), "ISO-8601") != NULL &&
	    strstr(keymap_describe(KM_TIMELINE, 'T'), "-15m") != NULL,
	    "timeline: T names the forms a time can take");
	ok(strstr(keymap_describe(KM_TIMELINE, 'i'), "incident") != NULL,
	    "timeline: i is the incident time");
	ok(strstr(keymap_describe(KM_TIMELINE, '\r'), "plan") != NULL,
	    "timeline: Enter plans");

	/* A plan: e edits the target, c confirms. */
	expect(KM_PLAN, 'e', ACT_EDIT_TARGET);
	expect(KM_PLAN, 'c', ACT_CONFIRM);
	expect(KM_PLAN, 'r', ACT_REFRESH);
	expect(KM_PLAN, 'j', ACT_DOWN);
	expect(KM_PLAN, 'q', ACT_BACK);
	expect(KM_PLAN, 27, ACT_CANCEL);
	expect(KM_PLAN, '\r', ACT_NONE);
	ok(strstr(keymap_describe(KM_PLAN, 'c'), "type the target's name") != NULL,
	    "plan: c says the target's name is typed");
	/* A prefix plan: D toggles --delete-new (a delete marker, never a
	 * destroyed version); R in a prefix types a time. */
	expect(KM_PLAN, 'D', ACT_DELETE_NEW);
	expect(KM_LIST, 'D', ACT_NONE);
	expect(KM_TIMELINE, 'D', ACT_NONE);
	ok(strstr(keymap_describe(KM_PLAN, 'D'), "delete marker") != NULL &&
	    strstr(keymap_describe(KM_PLAN, 'D'), "never") != NULL,
	    "plan: D says new keys get a delete marker, no version destroyed");
	ok(strstr(keymap_describe(KM_LIST, 'R'), "prefix") != NULL,
	    "list: R says what it does in a prefix");
	is_str(keymap_action_name(ACT_DELETE_NEW), "delete-new", "action name");

	/* Waiting: Esc stops waiting, never the restore; then v and d. */
	expect(KM_WAIT, 27, ACT_CANCEL);
	expect(KM_WAIT, 'q', ACT_BACK);
	expect(KM_WAIT, 'v', ACT_VERIFY);
	expect(KM_WAIT, 'd', ACT_DRIFT);
	expect(KM_WAIT, 'c', ACT_NONE);
	ok(strstr(keymap_describe(KM_WAIT, 27), "never the restore") != NULL,
	    "wait: Esc never stops the restore");

	/* A backup being made; results; the audit log. */
	expect(KM_BACKUP, 27, ACT_CANCEL);
	expect(KM_BACKUP, 'q', ACT_BACK);
	expect(KM_BACKUP, 'r', ACT_REFRESH);
	ok(strstr(keymap_describe(KM_BACKUP, 27), "never the backup") != NULL,
	    "backup: Esc never stops the backup");
	expect(KM_RESULT, 'a', ACT_CONFIRM);
	expect(KM_RESULT, 'r', ACT_REFRESH);
	expect(KM_RESULT, 'q', ACT_BACK);
	/* A runbook session's checklist. */
	expect(KM_CHECKLIST, '\r', ACT_ANSWER);
	expect(KM_CHECKLIST, '\n', ACT_ANSWER);
	expect(KM_CHECKLIST, KEY_ENTER, ACT_ANSWER);
	expect(KM_CHECKLIST, 'y', ACT_ANSWER);
	expect(KM_CHECKLIST, 's', ACT_SKIP);
	expect(KM_CHECKLIST, 'n', ACT_NOTE);
	expect(KM_CHECKLIST, 'A', ACT_ABORT);
	expect(KM_CHECKLIST, 'q', ACT_BACK);
	expect(KM_CHECKLIST, 27, ACT_BACK);
	expect(KM_CHECKLIST, KEY_UP, ACT_UP);
	expect(KM_CHECKLIST, 'j', ACT_DOWN);
	expect(KM_CHECKLIST, '?', ACT_HELP);
	expect(KM_CHECKLIST, ':', ACT_PALETTE);
	expect(KM_CHECKLIST, 't', ACT_TIMEZONE);
	expect(KM_CHECKLIST, 'b', ACT_NONE);
	expect(KM_CHECKLIST, 'R', ACT_NONE);
	expect(KM_CHECKLIST, '/', ACT_NONE);
	expect(KM_LIST, 'A', ACT_NONE);
	expect(KM_LIST, 'y', ACT_NONE);
	ok(strstr(keymap_describe(KM_CHECKLIST, 's'), "reason") != NULL,
	    "checklist: s asks for a reason");
	ok(strstr(keymap_describe(KM_CHECKLIST, 'A'), "asks first") != NULL,
	    "checklist: A asks first");
	ok(strstr(keymap_describe(KM_CHECKLIST, 'q'), "paused") != NULL &&
	    strstr(keymap_describe(KM_CHECKLIST, 'q'), "salvage resume") != NULL,
	    "checklist: q says the session is paused and how to resume");
	ok(strstr(keymap_describe(KM_CHECKLIST, '\r'), "target's name") != NULL,
	    "checklist: Enter types the target's name for changes");
	ok(palette_find("runbooks") != NULL && palette_find("runb") ==
	    palette_find("runbooks"), "palette: :runbooks (and a prefix)");
	is_str(keymap_action_name(ACT_ANSWER), "answer", "action name: answer");
	is_str(keymap_action_name(ACT_ABORT), "abort", "action name: abort");

	expect(KM_LOG, '/', ACT_FILTER);
	expect(KM_LOG, 'j', ACT_DOWN);
	expect(KM_LOG, 'q', ACT_BACK);

	/* q on home asks before quitting: its help says so. */
	ok(strstr(keymap_describe(KM_HOME, 'q'), "quit") != NULL,
	    "home: q is described as quitting");
	ok(strstr(keymap_describe(KM_LIST, 'q'), "back") != NULL,
	    "list: q is described as back");
	ok(strstr(keymap_describe(KM_LIST, 27), "cancel") != NULL,
	    "list: Esc is described as cancelling a load");
	/* The help screen closes with ?, q and Esc, and filters with /. */
	expect(KM_HELP, '?', ACT_BACK);
	expect(KM_HELP, 'q', ACT_BACK);
	expect(KM_HELP, 27, ACT_BACK);
	expect(KM_HELP, '/', ACT_FILTER);
	expect(KM_HELP, 'j', ACT_DOWN);
	expect(KM_HELP, ':', ACT_PALETTE);
	expect(KM_HELP, 't', ACT_TIMEZONE);

	for (int c = 0; c < KM__COUNT; c++) {
		bool	dup = false, helpok = true, descok = true;

		n = keymap_bindings((enum keymap_class)c, b, 256);
		snprintf(name, sizeof name, "%s: has bindings", keymap_class_name(c));
		ok(n > 10 && n < 256, name);
		for (size_t i = 0; i < n; i++) {
			if (b[i]->help == NULL || b[i]->help[0] == '\0') {
				helpok = false;
				diag("%s: %s has no help", keymap_class_name(c),
				    keymap_key_name(b[i]->key, kn, sizeof kn));
			}
			if (keymap_describe((enum keymap_class)c, b[i]->key) != b[i]->help)
				descok = false;
			if (b[i]->action == ACT_NONE || b[i]->action >= ACT__COUNT)
				helpok = false;
			for (size_t j = i + 1; j < n; j++) {
				if (b[i]->key == b[j]->key) {
					dup = true;
					diag("%s: %s bound twice", keymap_class_name(c),
					    keymap_key_name(b[i]->key, kn, sizeof kn));
				}
			}
		}
		snprintf(name, sizeof name, "%s: every binding has help text",
		    keymap_class_name(c));
		ok(helpok, name);
		snprintf(name, sizeof name, "%s: describe() gives the binding's help",
		    keymap_class_name(c));
		ok(descok, name);
		snprintf(name, sizeof name, "%s: no key is bound twice",
		    keymap_class_name(c));
		ok(!dup, name);
	}

	/* The palette, also data. */
	{
		static const char *const cmds[] = {
			"tables", "instances", "clusters", "buckets", "vaults", "open",
			"region", "profile", "runbooks", "audit", "help", "quit"
		};

		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
			const struct palette_cmd *pc = palette_find(cmds[i]);

			snprintf(name, sizeof name, "palette: :%s exists with help", cmds[i]);
			ok(pc != NULL && strcmp(pc->name, cmds[i]) == 0 &&
			    pc->help != NULL && pc->help[0] != '\0', name);
		}
		is_str(palette_find("open")->args, "URI", "palette: :open takes a URI");
		is_str(palette_find("region")->args, "NAME", "palette: :region takes a NAME");
		is_str(palette_find("profile")->args, "NAME", "palette: :profile takes a NAME");
		is_str(palette_find("tab")->name, "tables", "palette: a unique prefix works");
		ok(palette_find("") == NULL, "palette: nothing for an empty name");
		ok(palette_find("frobnicate") == NULL, "palette: unknown finds nothing");
		ok(palette_ncmds == sizeof cmds / sizeof cmds[0], "palette: twelve commands");
		ok(strstr(palette_find("audit")->help, "audit") != NULL,
		    "palette: :audit shows the audit records");
	}

	is_str(keymap_key_name(KEY_UP, kn, sizeof kn), "Up", "key name: Up");
	is_str(keymap_key_name(27, kn, sizeof kn), "Esc", "key name: Esc");
	is_str(keymap_key_name('\r', kn, sizeof kn), "Enter", "key name: Enter");
	is_str(keymap_key_name(KEY_F(3), kn, sizeof kn), "F3", "key name: F3");
	is_str(keymap_key_name(CTRL('l'), kn, sizeof kn), "C-l", "key name: C-l");
	is_str(keymap_key_name('G', kn, sizeof kn), "G", "key name: G");
	is_str(keymap_key_name(KEY_NPAGE, kn, sizeof kn), "PgDn", "key name: PgDn");
	is_str(keymap_key_name(KEY_LEFT, kn, sizeof kn), "Left", "key name: Left");
	is_str(keymap_key_name('[', kn, sizeof kn), "[", "key name: [");
	is_str(keymap_action_name(ACT_TYPE_TIME), "type-time", "action name: type-time");
	is_str(keymap_class_name(KM_TIMELINE), "timeline", "class name: timeline");
	is_str(keymap_class_name(KM_CHECKLIST), "checklist", "class name: checklist");
	{
		bool	named = true;

		for (int a = 0; a < ACT__COUNT; a++)
			if (strcmp(keymap_action_name((enum ui_action)a), "?") == 0) {
				diag("action %d has no name", a);
				named = false;
			}
		ok(named, "every action has a name");
	}
	return done_testing();
}
