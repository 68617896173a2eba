/* load.c - the state of a background listing as views show it: running
 * (a live count and a spinner), done, failed (the error in place, with
 * r to retry), cancelled; a partial list is never shown as complete. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "svc/svc.h"
#include "ui/ui-int.h"
#include "util/str.h"

void
load_begin(struct load *ld)
{
	ld->state = LOAD_RUNNING;
	ld->op = NULL;
	ld->pages = 0;
	sv_err_init(&ld->err);
}

void
load_started(struct load *ld, struct svc_op *op)
{
	/* An invalid request completes inside the call. */
	if (ld->state == LOAD_RUNNING)
		ld->op = op;
}

void
load_end(struct load *ld, sv_result r, const struct sv_err *err, size_t pages)
{
	ld->op = NULL;
	ld->pages = pages;
	if (r == SV_OK) {
		ld->state = LOAD_DONE;
		return;
	}
	ld->state = LOAD_FAILED;
	sv_err_init(&ld->err);
	if (err != NULL && err->msg[0] != '\0')
		sv_err_set(&ld->err, r, "%s", err->msg);
	else
		sv_err_set(&ld->err, r, "%s", sv_result_str(r));
}

bool
load_cancel(struct load *ld)
{
	if (ld->state != LOAD_RUNNING || ld->op == NULL)
		return false;
	svc_op_cancel(ld->op);	/* done() runs before this returns */
	ld->op = NULL;
	if (ld->state == LOAD_RUNNING) {
		ld->state = LOAD_FAILED;
		sv_err_set(&ld->err, SV_E_CANCELLED, "cancelled");
	}
	return true;
}

bool
load_running(const struct load *ld)
{
	return ld->state == LOAD_RUNNING;
}

const char *
ui_count(char *buf, size_t bufsz, size_t n, const char *plural)
{
	size_t	len = strlen(plural);

	if (n == 1 && len > 1 && plural[len - 1] == 's')
		snprintf(buf, bufsz, "1 %.*s", (int)(len - 1), plural);
	else
		snprintf(buf, bufsz, "%zu %s", n, plural);
	return buf;
}

static const char *
short_error(const struct load *ld)
{
	if (ld->err.code == SV_E_CANCELLED)
		return "cancelled";
	return ld->err.msg[0] != '\0' ? ld->err.msg : sv_result_str(ld->err.code);
}

void
load_title(struct ui *ui, const struct load *ld, struct list *l,
    const char *what, const char *noun, char *buf, size_t bufsz)
{
	char	count[96], tail[SV_ERR_MSG_MAX + 64];
	size_t	rows = l != NULL ? list_rows(l) : 0;

	if (l != NULL && list_filter(l)[0] != '\0')
		snprintf(count, sizeof count, "%zu of %zu %s match /%s",
		    list_shown(l), rows, noun, list_filter(l));
	else
		ui_count(count, sizeof count, rows, noun);
	switch (ld->state) {
	case LOAD_RUNNING:
		snprintf(tail, sizeof tail, " (%s so far, loading %s  Esc cancels)",
		    count, ui_spinner(ui));
		break;
	case LOAD_FAILED:
		snprintf(tail, sizeof tail, " (%s; incomplete: %s)", count,
		    short_error(ld));
		break;
	case LOAD_IDLE:
		str_lcpy(tail, "", sizeof tail);
		break;
	default:
		snprintf(tail, sizeof tail, " (%s)", count);
		break;
	}
	snprintf(buf, bufsz, "%s%s", what, tail);
}

int
ui_draw_text(WINDOW *win, int y, int x, int h, int w, attr_t attr, const char *text)
{
	const char *p = text;
	int	 used = 0;

	while (*p != '\0' && used < h) {
		const char *nl = strchr(p, '\n');
		size_t	 len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char	 line[1024];

		do {
			size_t	take = len;

			/* Wrap at the last space that fits (bytes ~ columns). */
			if ((int)take > w) {
				take = (size_t)w;
				for (size_t k = take; k > (size_t)w / 2; k--) {
					if (p[k] == ' ') {
						take = k;
						break;
					}
				}
			}
			if (take >= sizeof line)
				take = sizeof line - 1;
			memcpy(line, p, take);
			line[take] = '\0';
			wmove(win, y + used, x);
			list_put_cell(win, line, w, false, attr, 0, 0, 0);
			used++;
			p += take;
			len -= take;
			while (len > 0 && *p == ' ') {
				p++;
				len--;
			}
		} while (len > 0 && used < h);
		p = nl != NULL ? nl + 1 : p + len;
	}
	return used;
}

void
load_draw_list(struct ui *ui, const struct load *ld, struct list *l,
    const char *empty, WINDOW *win, int y, int h, int w)
{
	char	msg[SV_ERR_MSG_MAX + 128];
	int	used;

	if (ld->state == LOAD_FAILED && list_rows(l) == 0) {
		for (int i = 0; i < h; i++) {
			wmove(win, y + i, 0);
			wclrtoeol(win);
		}
		if (ld->err.code == SV_E_CANCELLED)
			snprintf(msg, sizeof msg, "Loading was cancelled.");
		else
			snprintf(msg, sizeof msg, "Error: %s", short_error(ld));
		used = ui_draw_text(win, y + 1, 2, h - 3, w - 4, ui_attr(UC_ERROR), msg);
		ui_draw_text(win, y + 2 + used, 2, 1, w - 4, A_NORMAL,
		    "Press r to retry, q to go back.");
		return;
	}
	if (ld->state == LOAD_RUNNING) {
		snprintf(msg, sizeof msg, "loading %s", ui_spinner(ui));
		list_set_empty_text(l, msg);
	} else if (list_rows(l) > 0)
		list_set_empty_text(l, "nothing matches the filter (/ then Enter on "
		    "an empty line clears it)");
	else
		list_set_empty_text(l, empty);
	list_draw(l, win, y, 0, h, w);
}
