/* list.h - the one list widget every view uses (after tmux's mode-tree
 * and htop's Panel): typed columns with widths, rows held compactly
 * (one 8-byte cell per column, strings packed in an arena), virtualized
 * drawing (only the rows on screen are formatted), sort by any column, a
 * filter with match highlighting, and incremental search.
 *
 * Rows are identified by their index in insertion order ("row"); what
 * is on screen is the filtered, sorted sequence of rows ("position").
 * The selection follows its row through sorting, appending and clearing
 * the filter; setting a filter selects the first match. */
#ifndef SALVAGE_UI_LIST_H
#define SALVAGE_UI_LIST_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/time.h"

enum list_kind {
	LIST_TEXT,	/* a string (NULL shows empty) */
	LIST_INT,	/* an integer, right-aligned; INT64_MIN shows "-" */
	LIST_SIZE,	/* bytes, shown human ("1.5 MiB"); < 0 shows "-" */
	LIST_TIME	/* an sv_time, shown by ui_time_format (UTC or local) */
};

#define LIST_COL_RIGHT	0x1	/* right-align (numbers are by default) */
#define LIST_COL_HIDDEN	0x2	/* data only: never drawn, never filtered */
#define LIST_COL_NOFILTER 0x4	/* not searched by the filter */

struct list_column {
	const char	*title;
	enum list_kind	 kind;
	int		 width;		/* columns; 0: flexible, shares the rest */
	int		 min_width;	/* flexible columns: at least this */
	int		 flags;		/* LIST_COL_* */
};

/* How a row looks (the UI maps these to colours or attributes). */
enum list_style {
	LIST_STYLE_NORMAL,
	LIST_STYLE_FOLDER,	/* an S3 common prefix */
	LIST_STYLE_DELETED,	/* a delete marker, a deleted object */
	LIST_STYLE_LATEST,	/* the current version */
	LIST_STYLE_DIM,		/* unavailable, expired, ... */
	LIST_STYLE_WARN,	/* something needs attention */
	LIST_STYLE__COUNT
};

union list_value {
	const char	*s;	/* LIST_TEXT: copied into the list */
	int64_t		 n;	/* LIST_INT, LIST_SIZE, LIST_TIME */
};

#define LIST_NONE	((size_t)-1)	/* no row / no position */
#define LIST_MAX_COLS	16

/* Figures for tests and benchmarks: how much work drawing did. */
struct list_stats {
	uint64_t	rows_drawn;	/* rows formatted and drawn, ever */
	uint64_t	cells_drawn;
	uint64_t	filter_runs;	/* full passes over the rows */
};

struct list;

/* The columns are copied (titles must outlive the list). */
struct list	*list_new(const struct list_column *, int ncols);
void		 list_free(struct list *);
/* Forgets every row (and the selection); keeps columns, sort, filter. */
void		 list_clear(struct list *);

/* Appends a row of ncols values; returns its row index. */
size_t		 list_add(struct list *, const union list_value *, enum list_style);
void		 list_set_str(struct list *, size_t row, int col, const char *);
void		 list_set_int(struct list *, size_t row, int col, int64_t);
void		 list_set_style(struct list *, size_t row, enum list_style);

size_t		 list_rows(const struct list *);	/* every row */
size_t		 list_shown(struct list *);		/* rows passing the filter */
const char	*list_str(const struct list *, size_t row, int col);	/* "" for NULL */
int64_t		 list_int(const struct list *, size_t row, int col);
enum list_style	 list_style(const struct list *, size_t row);
int		 list_columns(const struct list *);
const struct list_column *list_column(const struct list *, int col);

/* The selected row, or LIST_NONE when nothing is shown. */
size_t		 list_selected(struct list *);
/* Its position among the shown rows (0-based) or LIST_NONE. */
size_t		 list_position(struct list *);
/* The row shown at a position, LIST_NONE past the end. */
size_t		 list_row_at(struct list *, size_t pos);
bool		 list_select(struct list *, size_t row);	/* false if not shown */
/* Movement; each returns true if the selection changed. */
bool		 list_move(struct list *, long delta);
bool		 list_top(struct list *);
bool		 list_bottom(struct list *);
bool		 list_page(struct list *, int dir);	/* +1 down, -1 up */

/* Case-insensitive substring filter over the text columns; NULL or ""
 * clears it (the selection stays on its row). Setting one selects the
 * first match. */
void		 list_set_filter(struct list *, const char *);
const char	*list_filter(const struct list *);	/* "" when none */
/* Incremental search: moves the selection to the next shown row (dir
 * +1) or previous (-1) matching needle, starting at the selection when
 * include_current, else after it; wraps. false if none matches. */
bool		 list_search(struct list *, const char *needle, int dir,
		    bool include_current);
/* Does row match needle (as the filter would)? */
bool		 list_row_matches(const struct list *, size_t row, const char *needle);

/* Sort by column col (-1: insertion order), descending or not. */
void		 list_set_sort(struct list *, int col, bool descending);
/* Rows equal in the sort column: the larger value of this (numeric,
 * usually hidden) column first, then insertion order. -1: none. */
void		 list_set_tiebreak(struct list *, int col);
int		 list_sort_col(const struct list *);
bool		 list_sort_desc(const struct list *);
/* The next/previous sortable visible column after the current one
 * (wrapping through -1, insertion order). */
void		 list_sort_cycle(struct list *, int dir);

/* Drawn when no row is shown ("no tables", "loading..."); copied. */
void		 list_set_empty_text(struct list *, const char *);

/* Attributes of each style, of the selected row, of the column header
 * and of filter matches (the UI sets them from the colour scheme). */
struct list_attrs {
	attr_t		style[LIST_STYLE__COUNT];
	attr_t		selected;
	attr_t		header;
	attr_t		match;
	attr_t		empty;
};
void		 list_set_attrs(const struct list_attrs *);	/* for every list */

/* Draws the header line at y and the rows below it, h lines in all, w
 * columns wide. Only the rows on screen are formatted. */
void		 list_draw(struct list *, WINDOW *, int y, int x, int h, int w);
/* Rows per page as last drawn (for paging before the first draw: 10). */
int		 list_page_rows(const struct list *);

const struct list_stats *list_stats(const struct list *);
/* Bytes held (rows, cells, strings, indexes): the benchmark prints it. */
size_t		 list_memory(const struct list *);

/* Draws s in exactly width cells at the cursor (truncated with "~" or
 * padded), right-aligned if right; the hl_len bytes at hl_off (if any)
 * with hl_attr. Control characters show as '?'. Used by views too. */
void		 list_put_cell(WINDOW *, const char *s, int width, bool right,
		    attr_t base, size_t hl_off, size_t hl_len, attr_t hl_attr);

#endif
