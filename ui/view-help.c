/* view-help.c - '?': every key of the screen it was opened from and
 * every palette command, read from the keymap data (keymap.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui-int.h"
#include "util/xalloc.h"

struct help {
	struct list	*list;
	char		 of[64];
};

static const struct list_column help_cols[] = {
	{ "Key", LIST_TEXT, 22, 0, 0 },
	{ "What it does", LIST_TEXT, 0, 20, 0 },
};

static void
add_row(struct help *h, const char *a, const char *b, enum list_style st)
{
	union list_value v[2];

	v[0].s = a;
	v[1].s = b;
	list_add(h->list, v, st);
}

static void
help_enter(struct view *v, const struct resource *res)
{
	const struct keybinding *b[128];
	struct help *h = xcalloc(1, sizeof *h);
	struct view *below = ui_view_below(v->ui, v);
	enum keymap_class kc = below != NULL ? below->cls->keys : KM_HOME;
	size_t	 n, i, j;
	char	 keys[128], name[32], cmd[64];
	bool	 done[128];

	v->data = h;
	h->list = list_new(help_cols, 2);
	snprintf(h->of, sizeof h->of, "%s", below != NULL ? below->cls->name : "home");

	n = keymap_bindings(kc, b, 128);
	if (n > 128)
		n = 128;
	memset(done, 0, sizeof done);
	add_row(h, "KEYS", "", LIST_STYLE_FOLDER);
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		keys[0] = '\0';
		/* One row per action: its keys together ("j Down"). */
		for (j = i; j < n; j++) {
			if (done[j] || b[j]->action != b[i]->action ||
			    strcmp(b[j]->help, b[i]->help) != 0)
				continue;
			keymap_key_name(b[j]->key, name, sizeof name);
			if (strstr(keys, name) != NULL && strcmp(name, "Enter") == 0) {
				done[j] = true;
				continue;
			}
			if (keys[0] != '\0')
				strncat(keys, " ", sizeof keys - strlen(keys) - 1);
			strncat(keys, name, sizeof keys - strlen(keys) - 1);
			done[j] = true;
		}
		add_row(h, keys, b[i]->help, LIST_STYLE_NORMAL);
	}
	/* No blank row before it: the section header stands out, and the
	 * home screen's keys and commands fit a 36-line terminal. */
	add_row(h, "PALETTE (:)", "", LIST_STYLE_FOLDER);
	for (i = 0; i < palette_ncmds; i++) {
		snprintf(cmd, sizeof cmd, ":%s%s%s", palette_cmds[i].name,
		    palette_cmds[i].args[0] != '\0' ? " " : "", palette_cmds[i].args);
		add_row(h, cmd, palette_cmds[i].help, LIST_STYLE_NORMAL);
	}
	add_row(h, "", "", LIST_STYLE_NORMAL);
	add_row(h, "TIMES", "", LIST_STYLE_FOLDER);
	add_row(h, "", "Times are UTC (ending in Z); t shows local time with the "
	    "zone and its offset.", LIST_STYLE_NORMAL);
	add_row(h, "PROMPTS", "", LIST_STYLE_FOLDER);
	add_row(h, "", "In a prompt: Enter accepts, Esc or C-g cancels, Up/Down "
	    "history, Tab completes (commands, loaded names).", LIST_STYLE_NORMAL);
}

static void
help_leave(struct view *v)
{
	struct help *h = v->data;

	list_free(h->list);
	free(h);
}

static void
help_title(struct view *v, char *buf, size_t bufsz)
{
	struct help *h = v->data;

	snprintf(buf, bufsz, "Help: keys of the %s screen and palette commands "
	    "(q closes)", h->of);
}

static void
help_draw(struct view *v, WINDOW *win, int y, int hgt, int w)
{
	struct help *h = v->data;

	list_draw(h->list, win, y, 0, hgt, w);
}

static struct list *
help_list(struct view *v)
{
	return ((struct help *)v->data)->list;
}

const struct view_class view_help = {
	.name = "help",
	.keys = KM_HELP,
	.enter = help_enter,
	.leave = help_leave,
	.title = help_title,
	.draw = help_draw,
	.list = help_list,
};
