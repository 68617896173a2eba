/* timeline.c - the one-line picture of a resource's recovery: the PITR
 * window as a bar, backups and snapshots as marks, oldest on the left. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/fmt.h"
#include "ui/ui-int.h"

void
timeline_render(char *out, int width, sv_time from, sv_time to, sv_time ws,
    sv_time we, const sv_time *marks, size_t n)
{
	double	span;
	int	i;

	if (width <= 0) {
		out[0] = '\0';
		return;
	}
	if (to <= from)
		to = from + 1;
	span = (double)(to - from);
	for (i = 0; i < width; i++) {
		sv_time a = from + (sv_time)(span * i / width);
		sv_time b = from + (sv_time)(span * (i + 1) / width);

		out[i] = '-';
		if (ws != SV_TIME_NONE && we != SV_TIME_NONE && b > ws && a <= we)
			out[i] = '=';
	}
	for (size_t k = 0; k < n; k++) {
		if (marks[k] == SV_TIME_NONE)
			continue;
		i = (int)((double)(marks[k] - from) * width / span);
		if (i < 0)
			i = 0;
		if (i >= width)
			i = width - 1;
		out[i] = out[i] == '*' || out[i] == '#' ? '#' : '*';
	}
	out[width] = '\0';
}

void
timeline_draw(WINDOW *win, int y, int x, int w, sv_time ws, sv_time we,
    const sv_time *marks, size_t n, sv_time now)
{
	sv_time	from = SV_TIME_NONE, to = SV_TIME_NONE;
	char	line[1024], a[64], b[64];
	int	bw;

	if (ws != SV_TIME_NONE)
		from = ws;
	if (we != SV_TIME_NONE)
		to = we;
	for (size_t k = 0; k < n; k++) {
		if (marks[k] == SV_TIME_NONE)
			continue;
		if (from == SV_TIME_NONE || marks[k] < from)
			from = marks[k];
		if (to == SV_TIME_NONE || marks[k] > to)
			to = marks[k];
	}
	wmove(win, y, x);
	if (from == SV_TIME_NONE) {
		list_put_cell(win, "(no recovery window and no backups: nothing to "
		    "restore from)", w, false, ui_attr(UC_WARN), 0, 0, 0);
		return;
	}
	/* A window whose start is not known (RDS before its automated
	 * backups report one) reaches at least back to the oldest point. */
	if (ws == SV_TIME_NONE && we != SV_TIME_NONE)
		ws = from;
	if (now != SV_TIME_NONE && now > to && ws != SV_TIME_NONE)
		to = now;
	if (to <= from)
		to = from + 1000;
	bw = w - 2;
	if (bw > (int)sizeof line - 1)
		bw = (int)sizeof line - 1;
	if (bw < 4)
		return;
	timeline_render(line, bw, from, to, ws, we, marks, n);
	wattrset(win, A_NORMAL);
	waddch(win, '[');
	for (int i = 0; i < bw; i++) {
		attr_t	at = line[i] == '=' ? ui_attr(UC_WINDOW) :
		    line[i] == '-' ? ui_attr(UC_DIM) : ui_attr(UC_MARK);

		wattrset(win, at);
		waddch(win, (chtype)(unsigned char)line[i]);
	}
	wattrset(win, A_NORMAL);
	waddch(win, ']');

	ui_time_format(from, a, sizeof a);
	ui_time_format(to, b, sizeof b);
	wmove(win, y + 1, x);
	wclrtoeol(win);
	list_put_cell(win, a, (int)strlen(a) < w ? (int)strlen(a) : w, false,
	    ui_attr(UC_DIM), 0, 0, 0);
	if ((int)(strlen(a) + strlen(b)) + 40 < w) {
		const char *legend = "= PITR window   * backup or snapshot";
		int	lw = (int)strlen(legend);

		wmove(win, y + 1, x + (w - lw) / 2);
		list_put_cell(win, legend, lw, false, ui_attr(UC_DIM), 0, 0, 0);
	}
	if ((int)(strlen(a) + strlen(b)) + 2 < w) {
		wmove(win, y + 1, x + w - (int)strlen(b));
		list_put_cell(win, b, (int)strlen(b), false, ui_attr(UC_DIM), 0, 0, 0);
	}
}
