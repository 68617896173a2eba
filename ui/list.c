/* list.c - the one list widget: compact rows, virtualized drawing,
 * sort, filter, incremental search. See list.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "ui/fmt.h"
#include "ui/list.h"
#include "util/str.h"
#include "util/xalloc.h"

#define ARENA_CHUNK	(1024 * 1024)	/* strings are packed in 1 MiB chunks */

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used, cap;
	char			 data[];
};

struct list {
	struct list_column	 cols[LIST_MAX_COLS];
	int			 ncols;

	union list_value	*cells;		/* nrows * ncols */
	uint8_t			*styles;
	size_t			 nrows, cap;
	struct arena_chunk	*arena;
	size_t			 arena_bytes;

	/* Every row in sort order (NULL while sorting by insertion order:
	 * the identity). order[0..sorted) is sorted; the rest was appended
	 * since and is merged in by list_prepare(). */
	uint32_t		*order;
	size_t			 order_cap, sorted;
	/* The shown rows (passing the filter) in sort order; vis[0..vis_sorted)
	 * sorted, the rest appended since. */
	uint32_t		*vis;
	size_t			 nvis, vis_cap, vis_sorted;

	char			*filter;	/* NULL: none */
	int			 sort_col;	/* -1: insertion order */
	bool			 sort_desc;
	int			 tie_col;	/* equal sort keys: this column, desc */
	bool			 resort;	/* a sort key changed: sort again */

	size_t			 sel_row;	/* LIST_NONE: nothing selected */
	size_t			 sel_pos;	/* position of sel_row in vis */
	bool			 sel_pos_stale;
	size_t			 top;		/* first position drawn */
	int			 page;		/* rows per page as last drawn */
	char			*empty;
	struct list_stats	 stats;
};

static struct list_attrs list_attrs = {
	.style = { 0, A_BOLD, A_BOLD, A_BOLD, A_DIM, A_BOLD },
	.selected = A_REVERSE,
	.header = A_UNDERLINE,
	.match = A_UNDERLINE,
	.empty = A_DIM,
};

static void	list_prepare(struct list *);

void
list_set_attrs(const struct list_attrs *a)
{
	list_attrs = *a;
}

/* ---- storage ---- */

static const char *
arena_strdup(struct list *l, const char *s)
{
	struct arena_chunk *c = l->arena;
	size_t	 len = strlen(s) + 1;
	char	*p;

	if (len == 1)
		return "";
	if (c == NULL || c->cap - c->used < len) {
		size_t cap = len > ARENA_CHUNK / 4 ? len : ARENA_CHUNK;

		c = xmalloc(sizeof *c + cap);
		c->used = 0;
		c->cap = cap;
		if (len > ARENA_CHUNK / 4 && l->arena != NULL) {
			/* A big string gets its own chunk behind the current one. */
			c->next = l->arena->next;
			l->arena->next = c;
		} else {
			c->next = l->arena;
			l->arena = c;
		}
		l->arena_bytes += sizeof *c + cap;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	c->used += len;
	return p;
}

static void
arena_free(struct list *l)
{
	struct arena_chunk *c, *next;

	for (c = l->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	l->arena = NULL;
	l->arena_bytes = 0;
}

struct list *
list_new(const struct list_column *cols, int ncols)
{
	struct list	*l = xcalloc(1, sizeof *l);

	if (ncols > LIST_MAX_COLS)
		ncols = LIST_MAX_COLS;
	memcpy(l->cols, cols, (size_t)ncols * sizeof *cols);
	l->ncols = ncols;
	l->sort_col = -1;
	l->tie_col = -1;
	l->sel_row = LIST_NONE;
	l->page = 10;
	return l;
}

void
list_free(struct list *l)
{
	if (l == NULL)
		return;
	arena_free(l);
	free(l->cells);
	free(l->styles);
	free(l->order);
	free(l->vis);
	free(l->filter);
	free(l->empty);
	free(l);
}

void
list_clear(struct list *l)
{
	arena_free(l);
	l->nrows = 0;
	l->nvis = l->vis_sorted = 0;
	l->sorted = 0;
	l->sel_row = LIST_NONE;
	l->sel_pos = 0;
	l->sel_pos_stale = false;
	l->top = 0;
}

static void
grow_u32(uint32_t **v, size_t *cap, size_t need)
{
	size_t	ncap;

	if (need <= *cap)
		return;
	ncap = *cap < 64 ? 64 : *cap + *cap / 2;
	if (ncap < need)
		ncap = need;
	*v = xreallocarray(*v, ncap, sizeof **v);
	*cap = ncap;
}

/* ASCII case folding (UTF-8 bytes >= 0x80 compare exactly). */
static unsigned char fold[256];

static void
fold_init(void)
{
	if (fold['A'] == 'a')
		return;
	for (int i = 0; i < 256; i++)
		fold[i] = (unsigned char)(i >= 'A' && i <= 'Z' ? i + 32 : i);
}

/* A compiled needle: folded, and whether folding matters at all. */
struct needle {
	const char	*s;		/* as given */
	unsigned char	 f[256];	/* folded (truncated at 255) */
	size_t		 len;
	bool		 letters;	/* false: plain strstr does it */
};

static void
needle_init(struct needle *n, const char *s)
{
	fold_init();
	n->s = s;
	n->len = 0;
	n->letters = false;
	for (; s[n->len] != '\0' && n->len < sizeof n->f - 1; n->len++) {
		unsigned char c = (unsigned char)s[n->len];

		n->f[n->len] = fold[c];
		if (fold[c] != c || (c >= 'a' && c <= 'z'))
			n->letters = true;
	}
	n->f[n->len] = '\0';
}

/* Offset of the first case-insensitive match of n in hay, or -1. */
static long
needle_find(const struct needle *n, const char *hay)
{
	const unsigned char *h = (const unsigned char *)hay, *p;
	unsigned char	 c0 = n->f[0];

	if (n->len == 0)
		return 0;
	if (!n->letters) {
		const char *m = strstr(hay, n->s);

		return m != NULL ? (long)(m - hay) : -1;
	}
	for (p = h; *p != '\0'; p++) {
		size_t	k;

		if (fold[*p] != c0)
			continue;
		for (k = 1; k < n->len && fold[p[k]] == n->f[k]; k++)
			;
		if (k == n->len)
			return (long)(p - h);
	}
	return -1;
}

/* Per column, the last string tested and its answer: repeated values
 * share one copy (see list_add), so they are tested once. */
struct match_cache {
	const char	*last[LIST_MAX_COLS];
	bool		 hit[LIST_MAX_COLS];
};

static bool
row_matches_n(const struct list *l, size_t row, const struct needle *n,
    struct match_cache *mc)
{
	const union list_value *c = l->cells + row * (size_t)l->ncols;

	if (n->len == 0)
		return true;
	for (int i = 0; i < l->ncols; i++) {
		bool	hit;

		if (l->cols[i].kind != LIST_TEXT ||
		    (l->cols[i].flags & (LIST_COL_HIDDEN | LIST_COL_NOFILTER)) ||
		    c[i].s == NULL)
			continue;
		if (mc != NULL && mc->last[i] == c[i].s)
			hit = mc->hit[i];
		else {
			hit = needle_find(n, c[i].s) >= 0;
			if (mc != NULL) {
				mc->last[i] = c[i].s;
				mc->hit[i] = hit;
			}
		}
		if (hit)
			return true;
	}
	return false;
}

static bool
row_matches(const struct list *l, size_t row, const char *needle)
{
	struct needle n;

	if (needle == NULL || *needle == '\0')
		return true;
	needle_init(&n, needle);
	return row_matches_n(l, row, &n, NULL);
}

bool
list_row_matches(const struct list *l, size_t row, const char *needle)
{
	if (row >= l->nrows)
		return false;
	return row_matches(l, row, needle);
}

size_t
list_add(struct list *l, const union list_value *v, enum list_style style)
{
	union list_value *c;
	size_t	 row = l->nrows;

	if (l->nrows == l->cap) {
		l->cap = l->cap < 64 ? 64 : l->cap + l->cap / 2;
		l->cells = xreallocarray(l->cells, l->cap * (size_t)l->ncols,
		    sizeof *l->cells);
		l->styles = xrealloc(l->styles, l->cap);
	}
	c = l->cells + row * (size_t)l->ncols;
	for (int i = 0; i < l->ncols; i++) {
		if (l->cols[i].kind != LIST_TEXT) {
			c[i].n = v[i].n;
			continue;
		}
		if (v[i].s == NULL) {
			c[i].s = NULL;
			continue;
		}
		/* Repeated values (the key of every version, a storage
		 * class) share the previous row's copy. */
		if (row > 0) {
			const char *prev = c[i - l->ncols].s;

			if (prev != NULL && strcmp(prev, v[i].s) == 0) {
				c[i].s = prev;
				continue;
			}
		}
		c[i].s = arena_strdup(l, v[i].s);
	}
	l->styles[row] = (uint8_t)style;
	l->nrows++;

	if (l->sort_col >= 0) {
		grow_u32(&l->order, &l->order_cap, l->nrows);
		l->order[l->nrows - 1] = (uint32_t)row;
	}
	if (row_matches(l, row, l->filter)) {
		grow_u32(&l->vis, &l->vis_cap, l->nvis + 1);
		l->vis[l->nvis++] = (uint32_t)row;
		if (l->sort_col < 0)
			l->vis_sorted = l->nvis;
	}
	if (l->sort_col < 0)
		l->sorted = l->nrows;
	if (l->sel_row == LIST_NONE && l->nvis > 0) {
		l->sel_row = l->vis[0];
		l->sel_pos_stale = true;
	}
	return row;
}

void
list_set_str(struct list *l, size_t row, int col, const char *s)
{
	if (row >= l->nrows || col < 0 || col >= l->ncols)
		return;
	l->cells[row * (size_t)l->ncols + col].s = s != NULL ? arena_strdup(l, s) : NULL;
	if (l->sort_col == col || l->tie_col == col)
		l->resort = true;	/* once, before the next use */
}

void
list_set_int(struct list *l, size_t row, int col, int64_t n)
{
	if (row >= l->nrows || col < 0 || col >= l->ncols)
		return;
	l->cells[row * (size_t)l->ncols + col].n = n;
	if (l->sort_col == col || l->tie_col == col)
		l->resort = true;
}

void
list_set_style(struct list *l, size_t row, enum list_style style)
{
	if (row < l->nrows)
		l->styles[row] = (uint8_t)style;
}

size_t
list_rows(const struct list *l)
{
	return l->nrows;
}

size_t
list_shown(struct list *l)
{
	return l->nvis;
}

const char *
list_str(const struct list *l, size_t row, int col)
{
	const char *s;

	if (row >= l->nrows || col < 0 || col >= l->ncols ||
	    l->cols[col].kind != LIST_TEXT)
		return "";
	s = l->cells[row * (size_t)l->ncols + col].s;
	return s != NULL ? s : "";
}

int64_t
list_int(const struct list *l, size_t row, int col)
{
	if (row >= l->nrows || col < 0 || col >= l->ncols ||
	    l->cols[col].kind == LIST_TEXT)
		return 0;
	return l->cells[row * (size_t)l->ncols + col].n;
}

enum list_style
list_style(const struct list *l, size_t row)
{
	return row < l->nrows ? (enum list_style)l->styles[row] : LIST_STYLE_NORMAL;
}

int
list_columns(const struct list *l)
{
	return l->ncols;
}

const struct list_column *
list_column(const struct list *l, int col)
{
	return col >= 0 && col < l->ncols ? &l->cols[col] : NULL;
}

/* ---- sorting ---- */

static const struct list *cmp_list;	/* single-threaded: qsort context */

static int
cmp_rows(const struct list *l, uint32_t a, uint32_t b)
{
	const union list_value *ca, *cb;
	int	 col = l->sort_col, r;

	ca = l->cells + (size_t)a * l->ncols + col;
	cb = l->cells + (size_t)b * l->ncols + col;
	if (l->cols[col].kind == LIST_TEXT)
		r = strcmp(ca->s != NULL ? ca->s : "", cb->s != NULL ? cb->s : "");
	else
		r = ca->n < cb->n ? -1 : ca->n > cb->n;
	if (l->sort_desc)
		r = -r;
	if (r == 0 && l->tie_col >= 0 && l->cols[l->tie_col].kind != LIST_TEXT) {
		ca = l->cells + (size_t)a * l->ncols + l->tie_col;
		cb = l->cells + (size_t)b * l->ncols + l->tie_col;
		r = ca->n > cb->n ? -1 : ca->n < cb->n;
	}
	if (r == 0)
		r = a < b ? -1 : a > b;
	return r;
}

static int
cmp_qsort(const void *a, const void *b)
{
	return cmp_rows(cmp_list, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* Sorts v[from..n) and merges it with the sorted v[0..from). */
static void
sort_tail(const struct list *l, uint32_t *v, size_t from, size_t n)
{
	uint32_t *tmp;
	size_t	 i, j, k;

	if (from >= n)
		return;
	cmp_list = l;
	qsort(v + from, n - from, sizeof *v, cmp_qsort);
	if (from == 0 || cmp_rows(l, v[from - 1], v[from]) < 0)
		return;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	for (i = 0, j = from, k = 0; i < from && j < n; )
		tmp[k++] = cmp_rows(l, v[i], v[j]) <= 0 ? v[i++] : v[j++];
	while (i < from)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
	free(tmp);
}

static void
find_selection(struct list *l)
{
	size_t	i;

	l->sel_pos_stale = false;
	if (l->nvis == 0) {
		l->sel_row = LIST_NONE;
		l->sel_pos = 0;
		return;
	}
	if (l->sel_row != LIST_NONE) {
		/* Cheap when the row has not moved. */
		if (l->sel_pos < l->nvis && l->vis[l->sel_pos] == l->sel_row)
			return;
		for (i = 0; i < l->nvis; i++) {
			if (l->vis[i] == l->sel_row) {
				l->sel_pos = i;
				return;
			}
		}
	}
	/* The selected row is filtered out: keep the position. */
	if (l->sel_pos >= l->nvis)
		l->sel_pos = l->nvis - 1;
	l->sel_row = l->vis[l->sel_pos];
}

static void
list_prepare(struct list *l)
{
	if (l->resort) {
		size_t	row = l->sel_row, top = l->top;

		l->resort = false;
		if (l->sort_col >= 0) {
			list_set_sort(l, l->sort_col, l->sort_desc);
			l->top = top;
			if (row != LIST_NONE) {
				l->sel_row = row;	/* the selection stays on its row */
				l->sel_pos_stale = true;
			}
		}
	}
	if (l->sort_col >= 0) {
		if (l->sorted < l->nrows) {
			sort_tail(l, l->order, l->sorted, l->nrows);
			l->sorted = l->nrows;
		}
		if (l->vis_sorted < l->nvis) {
			sort_tail(l, l->vis, l->vis_sorted, l->nvis);
			l->vis_sorted = l->nvis;
			l->sel_pos_stale = true;
		}
	}
	if (l->sel_pos_stale)
		find_selection(l);
}

/* Rebuilds vis from every row (in order) through the filter. */
static void
refilter_all(struct list *l)
{
	struct needle	 n;
	struct match_cache mc;
	size_t		 i, row;

	l->stats.filter_runs++;
	memset(&mc, 0, sizeof mc);
	needle_init(&n, l->filter != NULL ? l->filter : "");
	grow_u32(&l->vis, &l->vis_cap, l->nrows);
	l->nvis = 0;
	for (i = 0; i < l->nrows; i++) {
		row = l->order != NULL && l->sort_col >= 0 ? l->order[i] : i;
		if (row_matches_n(l, row, &n, &mc))
			l->vis[l->nvis++] = (uint32_t)row;
	}
	l->vis_sorted = l->nvis;
	l->sel_pos_stale = true;
}

void
list_set_sort(struct list *l, int col, bool desc)
{
	size_t	i;

	if (col >= l->ncols || (col >= 0 && (l->cols[col].flags & LIST_COL_HIDDEN)))
		return;
	l->sort_col = col < 0 ? -1 : col;
	l->sort_desc = col >= 0 && desc;
	l->resort = false;
	if (l->sort_col >= 0) {
		grow_u32(&l->order, &l->order_cap, l->nrows);
		for (i = 0; i < l->nrows; i++)
			l->order[i] = (uint32_t)i;
		l->sorted = 0;
		sort_tail(l, l->order, 0, l->nrows);
		l->sorted = l->nrows;
	} else
		l->sorted = l->nrows;
	/* Re-deriving vis from order is one pass over the rows; without a
	 * filter it is a copy. */
	if (l->filter == NULL) {
		grow_u32(&l->vis, &l->vis_cap, l->nrows);
		for (i = 0; i < l->nrows; i++)
			l->vis[i] = l->sort_col >= 0 ? l->order[i] : (uint32_t)i;
		l->nvis = l->vis_sorted = l->nrows;
		l->sel_pos_stale = true;
	} else if (l->sort_col >= 0) {
		l->vis_sorted = 0;
		sort_tail(l, l->vis, 0, l->nvis);
		l->vis_sorted = l->nvis;
		l->sel_pos_stale = true;
	} else
		refilter_all(l);
	l->top = 0;
	list_prepare(l);
}

void
list_set_tiebreak(struct list *l, int col)
{
	l->tie_col = col >= 0 && col < l->ncols ? col : -1;
}

int
list_sort_col(const struct list *l)
{
	return l->sort_col;
}

bool
list_sort_desc(const struct list *l)
{
	return l->sort_desc;
}

void
list_sort_cycle(struct list *l, int dir)
{
	int	c = l->sort_col;

	for (int i = 0; i <= l->ncols; i++) {
		c += dir > 0 ? 1 : -1;
		if (c >= l->ncols)
			c = -1;
		else if (c < -1)
			c = l->ncols - 1;
		if (c < 0 || !(l->cols[c].flags & LIST_COL_HIDDEN))
			break;
	}
	list_set_sort(l, c, l->cols[c < 0 ? 0 : c].kind != LIST_TEXT);
}

/* ---- filter and search ---- */

static bool
contains_folded(const char *hay, const char *needle)
{
	struct needle n;

	needle_init(&n, needle);
	return needle_find(&n, hay) >= 0;
}

void
list_set_filter(struct list *l, const char *f)
{
	char	*old = l->filter;
	size_t	 i, n;

	if (f != NULL && *f == '\0')
		f = NULL;
	if ((old == NULL && f == NULL) ||
	    (old != NULL && f != NULL && strcmp(old, f) == 0))
		return;
	l->filter = f != NULL ? xstrdup(f) : NULL;
	list_prepare(l);
	if (old != NULL && f != NULL && contains_folded(f, old)) {
		/* Narrowing (typing one more character): only the rows shown
		 * now can match. */
		struct needle	 nd;
		struct match_cache mc;

		memset(&mc, 0, sizeof mc);
		needle_init(&nd, f);
		for (i = 0, n = 0; i < l->nvis; i++)
			if (row_matches_n(l, l->vis[i], &nd, &mc))
				l->vis[n++] = l->vis[i];
		l->nvis = l->vis_sorted = n;
		l->stats.filter_runs++;
	} else
		refilter_all(l);
	free(old);
	if (f != NULL) {
		/* A new filter: the selection is the first match. */
		l->sel_row = l->nvis > 0 ? l->vis[0] : LIST_NONE;
		l->sel_pos = 0;
		l->sel_pos_stale = false;
		l->top = 0;
	} else {
		find_selection(l);
		l->top = l->sel_pos > (size_t)l->page / 2 ?
		    l->sel_pos - (size_t)l->page / 2 : 0;
	}
}

const char *
list_filter(const struct list *l)
{
	return l->filter != NULL ? l->filter : "";
}

bool
list_search(struct list *l, const char *needle, int dir, bool include_current)
{
	struct needle nd;
	size_t	i, pos, n;

	list_prepare(l);
	n = l->nvis;
	if (n == 0 || needle == NULL || *needle == '\0')
		return false;
	needle_init(&nd, needle);
	pos = l->sel_pos;
	for (i = include_current ? 0 : 1; i <= n; i++) {
		size_t p = dir >= 0 ? (pos + i) % n : (pos + n - (i % n)) % n;

		if (row_matches_n(l, l->vis[p], &nd, NULL)) {
			l->sel_pos = p;
			l->sel_row = l->vis[p];
			return true;
		}
	}
	return false;
}

/* ---- selection and movement ---- */

size_t
list_selected(struct list *l)
{
	list_prepare(l);
	return l->nvis > 0 ? l->sel_row : LIST_NONE;
}

size_t
list_position(struct list *l)
{
	list_prepare(l);
	return l->nvis > 0 ? l->sel_pos : LIST_NONE;
}

size_t
list_row_at(struct list *l, size_t pos)
{
	list_prepare(l);
	return pos < l->nvis ? l->vis[pos] : LIST_NONE;
}

bool
list_select(struct list *l, size_t row)
{
	list_prepare(l);
	for (size_t i = 0; i < l->nvis; i++) {
		if (l->vis[i] == row) {
			l->sel_pos = i;
			l->sel_row = row;
			return true;
		}
	}
	return false;
}

static bool
move_to(struct list *l, size_t pos)
{
	list_prepare(l);
	if (l->nvis == 0)
		return false;
	if (pos >= l->nvis)
		pos = l->nvis - 1;
	if (pos == l->sel_pos && l->sel_row == l->vis[pos])
		return false;
	l->sel_pos = pos;
	l->sel_row = l->vis[pos];
	return true;
}

bool
list_move(struct list *l, long delta)
{
	size_t	pos;

	list_prepare(l);
	if (l->nvis == 0)
		return false;
	if (delta < 0)
		pos = (size_t)-delta > l->sel_pos ? 0 : l->sel_pos - (size_t)-delta;
	else
		pos = l->sel_pos + (size_t)delta;
	return move_to(l, pos);
}

bool
list_top(struct list *l)
{
	return move_to(l, 0);
}

bool
list_bottom(struct list *l)
{
	list_prepare(l);
	return l->nvis > 0 && move_to(l, l->nvis - 1);
}

bool
list_page(struct list *l, int dir)
{
	long	n = l->page > 1 ? l->page - 1 : 1;

	return list_move(l, dir > 0 ? n : -n);
}

int
list_page_rows(const struct list *l)
{
	return l->page;
}

void
list_set_empty_text(struct list *l, const char *s)
{
	free(l->empty);
	l->empty = s != NULL ? xstrdup(s) : NULL;
}

const struct list_stats *
list_stats(const struct list *l)
{
	return &l->stats;
}

size_t
list_memory(const struct list *l)
{
	return sizeof *l + l->cap * (size_t)l->ncols * sizeof *l->cells +
	    l->cap + l->arena_bytes + (l->order_cap + l->vis_cap) * sizeof(uint32_t);
}

/* ---- drawing ---- */

/* Display width of one character; control and invalid bytes take one
 * cell (drawn as '?'). *len gets its length in bytes. */
static int
char_width(const char *s, size_t avail, size_t *len, bool *bad)
{
	mbstate_t ps;
	wchar_t	  wc;
	size_t	  n;
	int	  w;

	*bad = false;
	if ((unsigned char)*s < 0x80) {
		*len = 1;
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*bad = true;
		return 1;
	}
	memset(&ps, 0, sizeof ps);
	n = mbrtowc(&wc, s, avail, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*len = 1;
		*bad = true;
		return 1;
	}
	*len = n;
	w = wcwidth(wc);
	if (w < 0) {
		*bad = true;
		return 1;
	}
	return w;
}

static int
text_width(const char *s)
{
	size_t	avail = strlen(s), len;
	bool	bad;
	int	w = 0;

	while (avail > 0) {
		w += char_width(s, avail, &len, &bad);
		s += len;
		avail -= len;
	}
	return w;
}

void
list_put_cell(WINDOW *win, const char *s, int width, bool right, attr_t base,
    size_t hl_off, size_t hl_len, attr_t hl_attr)
{
	const char *p = s, *start = s;
	size_t	 avail, len;
	int	 w, tw, used = 0, cw;
	bool	 bad, cut;

	if (width <= 0)
		return;
	wattrset(win, base);
	avail = strlen(s);
	tw = text_width(s);
	cut = tw > width;
	if (right && !cut)
		for (; used < width - tw; used++)
			waddch(win, ' ');
	w = cut ? width - 1 : width;	/* room for the '~' */
	while (avail > 0) {
		size_t	off = (size_t)(p - start);

		cw = char_width(p, avail, &len, &bad);
		if (used + cw > w)
			break;
		if (hl_len > 0 && off >= hl_off && off < hl_off + hl_len)
			wattrset(win, base | hl_attr);
		else
			wattrset(win, base);
		if (bad)
			waddch(win, '?');
		else if (cw == 0 && used == 0)
			;	/* a combining mark with nothing to combine with */
		else
			waddnstr(win, p, (int)len);
		used += cw;
		p += len;
		avail -= len;
	}
	wattrset(win, base);
	if (cut && used < width) {
		waddch(win, '~');
		used++;
	}
	for (; used < width; used++)
		waddch(win, ' ');
}

struct layout {
	int	x[LIST_MAX_COLS];
	int	w[LIST_MAX_COLS];	/* 0: not drawn */
};

static int
col_width(const struct list_column *c)
{
	if (c->width > 0)
		return c->width;
	switch (c->kind) {
	case LIST_TIME:
		return ui_time_width();
	case LIST_SIZE:
		return 10;
	case LIST_INT:
		return 8;
	default:
		return 0;
	}
}

static void
layout(const struct list *l, int width, struct layout *lo)
{
	int	fixed = 0, nflex = 0, shown = 0, rest, x = 0, i;

	for (i = 0; i < l->ncols; i++) {
		lo->w[i] = 0;
		if (l->cols[i].flags & LIST_COL_HIDDEN)
			continue;
		shown++;
		if (col_width(&l->cols[i]) > 0)
			fixed += col_width(&l->cols[i]);
		else
			nflex++;
	}
	rest = width - fixed - (shown > 0 ? shown - 1 : 0);
	for (i = 0; i < l->ncols; i++) {
		const struct list_column *c = &l->cols[i];
		int	cw;

		if (c->flags & LIST_COL_HIDDEN)
			continue;
		cw = col_width(c);
		if (cw == 0) {
			cw = nflex > 0 ? rest / nflex : 0;
			if (cw < c->min_width)
				cw = c->min_width;
			if (cw < 1)
				cw = 1;
			rest -= cw;
			nflex--;
		}
		if (x >= width)
			break;
		if (x + cw > width)
			cw = width - x;
		lo->x[i] = x;
		lo->w[i] = cw;
		x += cw + 1;
	}
}

static void
format_cell(const struct list *l, int col, const union list_value *v,
    char *buf, size_t bufsz, const char **out)
{
	switch (l->cols[col].kind) {
	case LIST_TEXT:
		*out = v->s != NULL ? v->s : "";
		return;
	case LIST_INT:
		if (v->n == INT64_MIN)
			str_lcpy(buf, "-", bufsz);
		else
			snprintf(buf, bufsz, "%lld", (long long)v->n);
		break;
	case LIST_SIZE:
		if (v->n < 0)
			str_lcpy(buf, "-", bufsz);
		else
			str_human_size(buf, bufsz, (long long)v->n);
		break;
	case LIST_TIME:
		ui_time_format((sv_time)v->n, buf, bufsz);
		break;
	}
	*out = buf;
}

void
list_draw(struct list *l, WINDOW *win, int y, int x, int h, int w)
{
	struct layout lo;
	struct needle hl;
	const char *arrow_up, *arrow_down;
	char	 buf[128], head[128];
	size_t	 pos, end;
	int	 i, rows;

	if (h < 1 || w < 1)
		return;
	list_prepare(l);
	layout(l, w, &lo);
	needle_init(&hl, l->filter != NULL ? l->filter : "");
	arrow_up = MB_CUR_MAX > 1 ? "\xe2\x96\xb2" : "^";	/* ▲ */
	arrow_down = MB_CUR_MAX > 1 ? "\xe2\x96\xbc" : "v";	/* ▼ */

	/* Header. */
	wmove(win, y, x);
	wattrset(win, list_attrs.header);
	for (i = 0; i < w; i++)
		waddch(win, ' ');
	for (i = 0; i < l->ncols; i++) {
		const struct list_column *c = &l->cols[i];
		bool	right = (c->flags & LIST_COL_RIGHT) || c->kind != LIST_TEXT;

		if (lo.w[i] == 0)
			continue;
		if (i == l->sort_col)
			snprintf(head, sizeof head, "%s%s", c->title,
			    l->sort_desc ? arrow_down : arrow_up);
		else
			str_lcpy(head, c->title, sizeof head);
		wmove(win, y, x + lo.x[i]);
		list_put_cell(win, head, lo.w[i], right && c->kind != LIST_TIME,
		    list_attrs.header, 0, 0, 0);
	}
	wattrset(win, A_NORMAL);

	rows = h - 1;
	l->page = rows > 0 ? rows : 1;
	if (rows <= 0)
		return;
	if (l->nvis == 0) {
		for (i = 0; i < rows; i++) {
			wmove(win, y + 1 + i, x);
			wclrtoeol(win);
		}
		if (l->empty != NULL) {
			wmove(win, y + 1, x + 1);
			list_put_cell(win, l->empty, w - 2, false, list_attrs.empty,
			    0, 0, 0);
		}
		return;
	}
	/* Keep the selection on screen. */
	if (l->sel_pos < l->top)
		l->top = l->sel_pos;
	else if (l->sel_pos >= l->top + (size_t)rows)
		l->top = l->sel_pos - (size_t)rows + 1;
	if (l->top + (size_t)rows > l->nvis)
		l->top = l->nvis > (size_t)rows ? l->nvis - (size_t)rows : 0;

	end = l->top + (size_t)rows;
	if (end > l->nvis)
		end = l->nvis;
	for (pos = l->top, i = 0; i < rows; pos++, i++) {
		const union list_value *cells;
		size_t	 row;
		attr_t	 base;

		wmove(win, y + 1 + i, x);
		if (pos >= end) {
			wattrset(win, A_NORMAL);
			for (int k = 0; k < w; k++)
				waddch(win, ' ');
			continue;
		}
		row = l->vis[pos];
		cells = l->cells + row * (size_t)l->ncols;
		base = list_attrs.style[l->styles[row]];
		if (pos == l->sel_pos)
			base = list_attrs.selected | (base & A_BOLD);
		wattrset(win, base);
		for (int k = 0; k < w; k++)
			waddch(win, ' ');
		l->stats.rows_drawn++;
		for (int c = 0; c < l->ncols; c++) {
			const struct list_column *col = &l->cols[c];
			const char *s;
			size_t	 hl_off = 0, hl_len = 0;
			bool	 right;

			if (lo.w[c] == 0)
				continue;
			format_cell(l, c, &cells[c], buf, sizeof buf, &s);
			l->stats.cells_drawn++;
			if (l->filter != NULL && col->kind == LIST_TEXT &&
			    !(col->flags & LIST_COL_NOFILTER)) {
				long	m = needle_find(&hl, s);

				if (m >= 0) {
					hl_off = (size_t)m;
					hl_len = hl.len;
				}
			}
			right = (col->flags & LIST_COL_RIGHT) ||
			    col->kind == LIST_INT || col->kind == LIST_SIZE;
			wmove(win, y + 1 + i, x + lo.x[c]);
			list_put_cell(win, s, lo.w[c], right, base, hl_off, hl_len,
			    list_attrs.match);
		}
	}
	wattrset(win, A_NORMAL);
}
