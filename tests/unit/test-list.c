/* test-list.c - the list widget: only the rows on screen are formatted
 * and drawn; the filter (and highlighting of matches); the selection
 * after a filter is the first match and stays on its row when the
 * filter is cleared; sorting, also while rows are appended; incremental
 * search. Draws into a newterm() on /dev/null. */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "ui/fmt.h"
#include "ui/list.h"
#include "ui/ui-int.h"

static const struct list_column cols[] = {
	{ "Name", LIST_TEXT, 0, 10, 0 },
	{ "Size", LIST_SIZE, 0, 0, 0 },
	{ "Modified", LIST_TIME, 0, 0, 0 },
	{ "Key", LIST_TEXT, 0, 0, LIST_COL_HIDDEN },
};

static size_t
add(struct list *l, const char *name, int64_t size, sv_time t)
{
	union list_value v[4];

	v[0].s = name;
	v[1].n = size;
	v[2].n = t;
	v[3].s = "hidden-needle";
	return list_add(l, v, LIST_STYLE_NORMAL);
}

static struct list *
make(size_t n)
{
	struct list *l = list_new(cols, 4);
	char	name[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "row-%04zu", i);
		/* Sizes not in row order: 7919 is prime. */
		add(l, name, (int64_t)((i * 7919) % 1000), 1700000000000LL + (int64_t)i * 1000);
	}
	return l;
}

/* The text on screen line y, trailing blanks removed. */
static const char *
screen_line(int y)
{
	static char	buf[512];
	int		n;

	n = mvwinnstr(stdscr, y, 0, buf, (int)sizeof buf - 1);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

int
main(void)
{
	FILE	*out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN	*scr;
	struct list *l;
	const struct list_stats *st;
	uint64_t before;
	struct list_attrs at;

	setlocale(LC_ALL, "C.UTF-8");
	scr = newterm("vt100", out, in);
	if (scr == NULL) {
		printf("1..0 # SKIP no vt100 terminfo\n");
		return 0;
	}
	set_term(scr);
	resizeterm(40, 100);
	memset(&at, 0, sizeof at);
	at.selected = A_REVERSE;
	at.match = A_UNDERLINE;
	at.header = A_BOLD;
	list_set_attrs(&at);

	/* ---- virtualization ---- */
	l = make(100000);
	st = list_stats(l);
	is_int(list_rows(l), 100000, "100000 rows held");
	before = st->rows_drawn;
	list_draw(l, stdscr, 0, 0, 21, 100);
	is_int(st->rows_drawn - before, 20, "drawing 21 lines formats 20 rows (not 100000)");
	is_int(list_page_rows(l), 20, "a page is 20 rows");
	before = st->cells_drawn;
	list_draw(l, stdscr, 0, 0, 21, 100);
	is_int(st->cells_drawn - before, 60, "3 visible columns x 20 rows = 60 cells; the hidden one is not drawn");
	ok(strncmp(screen_line(1), "row-0000 ", 9) == 0 &&
	    strstr(screen_line(1), " 0 B 2023-11-14T22:13:20Z") != NULL &&
	    strlen(screen_line(1)) == 100, "first row drawn with its size and UTC time, 100 wide");
	list_bottom(l);
	before = st->rows_drawn;
	list_draw(l, stdscr, 0, 0, 21, 100);
	is_int(st->rows_drawn - before, 20, "at the bottom: still 20 rows");
	ok(strncmp(screen_line(20), "row-99999", 9) == 0,
	    "the last row is on the last line");
	is_int(list_position(l), 99999, "selection at the last position");
	list_top(l);
	list_page(l, 1);
	is_int(list_position(l), 19, "PgDn moves a page less one");
	list_move(l, -5);
	is_int(list_position(l), 14, "up 5");
	list_move(l, -100);
	is_int(list_position(l), 0, "up past the top stops at the top");
	list_free(l);

	{
		struct list *small = make(7);

		before = list_stats(small)->rows_drawn;
		list_draw(small, stdscr, 0, 0, 21, 100);
		is_int(list_stats(small)->rows_drawn - before, 7, "7 rows: 7 formatted");
		list_free(small);
	}

	/* ---- filter ---- */
	l = make(1000);
	add(l, "Apple pie", 5, 1);
	add(l, "crab apple", 6, 2);
	list_select(l, 150);
	list_set_filter(l, "row-01");
	is_int(list_shown(l), 100, "filter row-01: 100 rows match");
	is_int(list_selected(l), 100, "after a filter the selection is the first match (not the previous selection)");
	list_set_filter(l, "row-015");
	is_int(list_shown(l), 10, "narrowing to row-015: 10 rows");
	is_int(list_selected(l), 150, "the first match again");
	list_move(l, 3);
	is_int(list_selected(l), 153, "moving in the filtered list");
	list_set_filter(l, NULL);
	is_int(list_shown(l), 1002, "clearing the filter shows every row");
	is_int(list_selected(l), 153, "the selection stays on its row when the filter is cleared");
	list_set_filter(l, "APPLE");
	is_int(list_shown(l), 2, "the filter ignores case");
	is_int(list_selected(l), 1000, "selection: the first match");
	list_set_filter(l, "hidden-needle");
	is_int(list_shown(l), 0, "hidden columns are not searched");
	list_set_filter(l, "zzz");
	is_int(list_shown(l), 0, "no match: nothing shown");
	is_int(list_selected(l), LIST_NONE, "no match: no selection");
	list_set_filter(l, "pple");
	werase(stdscr);
	list_draw(l, stdscr, 0, 0, 10, 60);
	ok(strncmp(screen_line(2), "crab apple ", 11) == 0 &&
	    strstr(screen_line(2), "6 B 1970-01-01T00:00:00Z") != NULL, "second match drawn");
	ok(!(mvwinch(stdscr, 2, 5) & A_UNDERLINE) && (mvwinch(stdscr, 2, 6) & A_UNDERLINE) &&
	    (mvwinch(stdscr, 2, 9) & A_UNDERLINE) && !(mvwinch(stdscr, 2, 10) & A_UNDERLINE),
	    "the match is highlighted (\"pple\" in \"crab apple\")");
	ok((mvwinch(stdscr, 1, 1) & A_UNDERLINE) && !(mvwinch(stdscr, 1, 0) & A_UNDERLINE),
	    "... and in the selected row (\"Apple pie\")");
	ok(mvwinch(stdscr, 1, 1) & A_REVERSE, "the selected row is drawn reversed");
	list_set_filter(l, "");
	is_int(list_shown(l), 1002, "an empty filter clears");
	list_free(l);

	/* ---- sort ---- */
	l = make(1000);
	list_set_sort(l, 1, true);
	is_int(list_int(l, list_row_at(l, 0), 1), 999, "sorted by size, descending: largest first");
	is_int(list_int(l, list_row_at(l, 999), 1), 0, "... smallest last");
	add(l, "big", 5000, 0);
	add(l, "tiny", -1, 0);
	is_str(list_str(l, list_row_at(l, 0), 0), "big", "a row appended while sorted goes in its place");
	is_str(list_str(l, list_row_at(l, 1001), 0), "tiny", "... at either end");
	list_set_filter(l, "row-00");
	is_int(list_shown(l), 100, "filter while sorted");
	{
		bool	sorted = true;

		for (size_t i = 1; i < list_shown(l); i++)
			if (list_int(l, list_row_at(l, i - 1), 1) < list_int(l, list_row_at(l, i), 1))
				sorted = false;
		ok(sorted, "the filtered rows are still in sort order");
	}
	add(l, "row-00-late", 100000, 0);
	is_str(list_str(l, list_row_at(l, 0), 0), "row-00-late", "an appended match goes in its place among the filtered");
	list_set_filter(l, NULL);
	list_set_int(l, 5, 1, 999999);
	is_str(list_str(l, list_row_at(l, 0), 0), "row-0005", "a row whose sort key changed moves to its place");
	list_set_sort(l, 0, false);
	is_str(list_str(l, list_row_at(l, 0), 0), "big", "sorted by name");
	list_set_sort(l, -1, false);
	is_str(list_str(l, list_row_at(l, 0), 0), "row-0000", "back to insertion order");
	list_sort_cycle(l, 1);
	is_int(list_sort_col(l), 0, "cycling sorts by the first column");
	list_sort_cycle(l, 1);
	list_sort_cycle(l, 1);
	list_sort_cycle(l, 1);
	is_int(list_sort_col(l), -1, "cycling skips the hidden column and wraps to insertion order");
	list_free(l);

	/* ---- incremental search ---- */
	l = make(1000);
	ok(list_search(l, "row-05", 1, true), "search finds row-05...");
	is_int(list_selected(l), 500, "... and selects the first");
	ok(list_search(l, "row-05", 1, false), "next match");
	is_int(list_selected(l), 501, "... is the next row");
	ok(list_search(l, "row-05", -1, false), "previous match");
	is_int(list_selected(l), 500, "... is back");
	list_bottom(l);
	ok(list_search(l, "row-0001", 1, false), "search wraps around");
	is_int(list_selected(l), 1, "... to the top");
	ok(!list_search(l, "nope", 1, true), "no match: false");
	is_int(list_selected(l), 1, "no match: the selection stays");
	is_int(list_shown(l), 1000, "search hides nothing");
	list_free(l);

	/* ---- cells ---- */
	werase(stdscr);
	wmove(stdscr, 0, 0);
	list_put_cell(stdscr, "abcdefghij", 5, false, 0, 0, 0, 0);
	is_str(screen_line(0), "abcd~", "a long cell is cut with ~");
	wmove(stdscr, 0, 0);
	list_put_cell(stdscr, "a\tb\001c", 8, false, 0, 0, 0, 0);
	is_str(screen_line(0), "a?b?c", "control characters show as ?");
	wmove(stdscr, 0, 0);
	list_put_cell(stdscr, "42", 6, true, 0, 0, 0, 0);
	is_str(screen_line(0), "    42", "right-aligned");
	wmove(stdscr, 0, 0);
	list_put_cell(stdscr, "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", 8, false, 0, 0, 0, 0);
	is_str(screen_line(0), "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "UTF-8 by display width (wide CJK)");

	/* ---- the timeline picture ---- */
	{
		char	tl[64];
		sv_time	marks[] = { 100, 150, 990, SV_TIME_NONE };

		timeline_render(tl, 10, 0, 1000, 500, 1000, marks, 4);
		is_str(tl, "-#---====*", "timeline: two backups in one cell, the window, a backup in it");
		timeline_render(tl, 10, 0, 1000, SV_TIME_NONE, SV_TIME_NONE, marks, 1);
		is_str(tl, "-*--------", "timeline: no window, one mark");
		timeline_render(tl, 4, 0, 0, 0, 0, NULL, 0);
		is_str(tl, "---=", "timeline: an empty span does not divide by zero");
	}

	/* ---- time display ---- */
	{
		char	buf[64];

		ui_time_set_local(false);
		ui_time_format(0, buf, sizeof buf);
		is_str(buf, "1970-01-01T00:00:00Z", "UTC with Z");
		is_int(ui_time_width(), 20, "UTC width");
		setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
		tzset();
		ui_time_set_local(true);
		ui_time_format(0, buf, sizeof buf);
		is_str(buf, "1970-01-01 01:00:00 CET (+01:00)", "local time with the zone and offset");
		ok(ui_time_width() >= (int)strlen(buf), "local width fits");
		ui_time_set_local(false);
		ui_time_format(SV_TIME_NONE, buf, sizeof buf);
		is_str(buf, "-", "no time");
	}

	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	return done_testing();
}
