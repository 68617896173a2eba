/* prompt.c - readline inside the console, through its callback
 * interface (see prompt.h). readline gets its bytes from us
 * (rl_getc_function / rl_input_available_hook), draws through us
 * (rl_redisplay_function), never prepares the terminal, never catches
 * signals and never changes the environment. */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "ui/list.h"
#include "ui/prompt.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/xalloc.h"

#define PROMPT_QUEUE	512
#define PROMPT_HISTORY	200

static bool			 rl_ready;
static bool			 open_now;
static enum prompt_kind		 kind;
static const struct prompt_ops	*ops;
static void			*ops_arg;
static char			*prompt_text;

/* Bytes waiting for readline. */
static unsigned char		 queue[PROMPT_QUEUE];
static size_t			 q_head, q_len;

/* What the line handler got; handled after rl_callback_read_char. */
static bool			 finished;
static char			*finished_line;	/* NULL: cancelled */
static char			*last_line;	/* for change() */

/* Candidates readline asked us to display. */
static char			**matches;
static int			 n_matches;

static HISTORY_STATE		*histories[PROMPT__COUNT];
static FILE			*devnull;

static int
rl_getc_cb(FILE *f)
{
	int	c;

	if (q_len == 0)
		return EOF;	/* an incomplete sequence: the line handler cancels */
	c = queue[q_head];
	q_head = (q_head + 1) % PROMPT_QUEUE;
	q_len--;
	return c;
}

static int
rl_avail_cb(void)
{
	return q_len > 0;
}

static void
rl_redisplay_cb(void)
{
	/* Drawn by the loop from rl_line_buffer on its next pass. */
}

static void
rl_prep_cb(int meta)
{
}

static void
rl_deprep_cb(void)
{
}

static void
free_matches(void)
{
	for (int i = 0; i < n_matches; i++)
		free(matches[i]);
	free(matches);
	matches = NULL;
	n_matches = 0;
}

static void
rl_display_matches_cb(char **m, int n, int maxlen)
{
	free_matches();
	matches = xcalloc((size_t)n + 1, sizeof *matches);
	for (int i = 0; i < n; i++)
		matches[i] = xstrdup(m[i + 1]);
	n_matches = n;
}

static char **cands;
static size_t cand_next;

static char *
cand_generator(const char *text, int state)
{
	if (state == 0)
		cand_next = 0;
	while (cands != NULL && cands[cand_next] != NULL) {
		const char *c = cands[cand_next++];

		if (strncmp(c, text, strlen(text)) == 0)
			return xstrdup(c);
	}
	return NULL;
}

static char **
rl_attempt_cb(const char *text, int start, int end)
{
	char	**m;
	bool	  all_dirs = true;

	rl_attempted_completion_over = 1;
	if (ops == NULL || ops->complete == NULL)
		return NULL;
	cands = ops->complete(ops_arg, rl_line_buffer, text);
	if (cands == NULL)
		return NULL;
	for (size_t i = 0; cands[i] != NULL; i++)
		if (!str_ends(cands[i], "/"))
			all_dirs = false;
	/* A prefix ("s3://b/dir/") goes on being typed: no space after it. */
	rl_completion_suppress_append = all_dirs;
	m = rl_completion_matches(text, cand_generator);
	for (size_t i = 0; cands[i] != NULL; i++)
		free(cands[i]);
	free(cands);
	cands = NULL;
	return m;
}

static void
line_handler(char *line)
{
	finished = true;
	free(finished_line);
	finished_line = line != NULL ? xstrdup(line) : NULL;
	/* A confirmation is typed each time, never recalled. */
	if (line != NULL && *line != '\0' && kind != PROMPT_CONFIRM)
		add_history(line);
	free(line);
	rl_callback_handler_remove();
}

static void
rl_setup(void)
{
	if (rl_ready)
		return;
	rl_ready = true;
	devnull = fopen("/dev/null", "w+");
	rl_readline_name = "salvage";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_getc_function = rl_getc_cb;
	rl_input_available_hook = rl_avail_cb;
	rl_redisplay_function = rl_redisplay_cb;
	rl_prep_term_function = rl_prep_cb;
	rl_deprep_term_function = rl_deprep_cb;
	rl_completion_display_matches_hook = rl_display_matches_cb;
	rl_attempted_completion_function = rl_attempt_cb;
	rl_instream = devnull;
	rl_outstream = devnull;
	rl_completion_query_items = 100000;
	using_history();
}

static void
history_swap_out(void)
{
	HISTORY_STATE empty;

	free(histories[kind]);
	histories[kind] = history_get_history_state();
	memset(&empty, 0, sizeof empty);
	history_set_history_state(&empty);
}

static void
history_swap_in(enum prompt_kind k)
{
	if (histories[k] != NULL) {
		history_set_history_state(histories[k]);
		free(histories[k]);
		histories[k] = NULL;
	}
	stifle_history(PROMPT_HISTORY);
}

void
prompt_open(enum prompt_kind k, const char *prompt, const char *initial,
    const struct prompt_ops *o, void *arg)
{
	TERMINAL *term = cur_term;

	if (open_now)
		prompt_cancel();
	rl_setup();
	kind = k;
	ops = o;
	ops_arg = arg;
	free(prompt_text);
	prompt_text = xstrdup(prompt);
	q_head = q_len = 0;
	finished = false;
	free_matches();
	history_swap_in(k);
	rl_callback_handler_install(prompt_text, line_handler);
	/* readline's first initialisation looks up the terminal (tgetent):
	 * keep curses' own terminal current. */
	if (cur_term != term)
		set_curterm(term);
	/* Settings that inputrc must not undo. */
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("completion-ignore-case", "off");
	if (initial != NULL && *initial != '\0') {
		rl_replace_line(initial, 0);
		rl_point = rl_end;
	}
	free(last_line);
	last_line = xstrdup(rl_line_buffer != NULL ? rl_line_buffer : "");
	open_now = true;
}

bool
prompt_active(void)
{
	return open_now;
}

static void
close_prompt(void)
{
	if (!open_now)
		return;
	open_now = false;
	if (!finished)
		rl_callback_handler_remove();
	history_swap_out();
	free_matches();
	q_head = q_len = 0;
}

void
prompt_cancel(void)
{
	close_prompt();
	finished = false;
}

/* After bytes were fed: report edits, then the end of the line. */
static int
after_feed(void)
{
	const struct prompt_ops *o = ops;
	void	*arg = ops_arg;
	char	*line;

	if (finished) {
		line = finished_line;
		finished_line = NULL;
		/* The last edits and the Enter came together: report them. */
		if (line != NULL && strcmp(last_line, line) != 0 && o != NULL &&
		    o->change != NULL) {
			free(last_line);
			last_line = xstrdup(line);
			o->change(arg, line);
		}
		close_prompt();
		finished = false;
		if (o != NULL && o->done != NULL)
			o->done(arg, line);
		free(line);
		return UI_HANDLED | UI_REDRAW;
	}
	if (rl_line_buffer != NULL && strcmp(last_line, rl_line_buffer) != 0) {
		free(last_line);
		last_line = xstrdup(rl_line_buffer);
		if (o != NULL && o->change != NULL)
			o->change(arg, last_line);
	}
	return UI_HANDLED | UI_REDRAW;
}

static void
cancel_now(void)
{
	const struct prompt_ops *o = ops;
	void	*arg = ops_arg;

	close_prompt();
	if (o != NULL && o->done != NULL)
		o->done(arg, NULL);
}

static void
enqueue(int c)
{
	if (q_len < PROMPT_QUEUE) {
		queue[(q_head + q_len) % PROMPT_QUEUE] = (unsigned char)c;
		q_len++;
	}
}

/* Feeds a batch of bytes: up to and including an Enter at a time, so
 * that what follows the end of the line is not readline's. A C-g, or
 * an Esc that ends the batch (nothing followed it), cancels. Returns
 * how many bytes were used. */
static size_t
feed_batch(const unsigned char *b, size_t n, int *flags)
{
	size_t	i = 0, j;

	while (i < n && open_now) {
		if (b[i] == 7 || (b[i] == 27 && i + 1 == n)) {
			i++;
			cancel_now();
			*flags |= UI_HANDLED | UI_REDRAW;
			break;
		}
		for (j = i; j < n; j++) {
			if (b[j] == 7 || (b[j] == 27 && j + 1 == n))
				break;
			if (b[j] == '\r' || b[j] == '\n') {
				j++;
				break;
			}
		}
		if (n_matches > 0 && !(j - i == 1 && b[i] == '\t'))
			free_matches();	/* the candidates go with the next key */
		for (; i < j; i++)
			enqueue(b[i]);
		while (q_len > 0 && open_now && !finished)
			rl_callback_read_char();
		*flags |= after_feed();
	}
	return i;
}

int
prompt_read(WINDOW *raw)
{
	unsigned char buf[256];
	size_t	 n = 0, used;
	int	 flags = 0, c;

	if (!open_now)
		return 0;
	while (n < sizeof buf && (c = wgetch(raw)) != ERR)
		buf[n++] = (unsigned char)c;
	used = feed_batch(buf, n, &flags);
	/* Keys typed after the line ended are keys again: back into
	 * curses' queue, where the keypad window decodes them. */
	while (n > used)
		ungetch(buf[--n]);
	return flags;
}

int
prompt_feed(const char *bytes, size_t n)
{
	int	flags = 0;

	feed_batch((const unsigned char *)bytes, n, &flags);
	return flags;
}

const char *
prompt_line(void)
{
	return open_now && rl_line_buffer != NULL ? rl_line_buffer : "";
}

/* Display width of the first n bytes of s. */
static int
width_of(const char *s, size_t n)
{
	mbstate_t ps;
	wchar_t	  wc;
	size_t	  k;
	int	  w = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (n > 0) {
		k = mbrtowc(&wc, s, n, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			k = 1;
			cw = 1;
		} else
			cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		w += cw;
		s += k;
		n -= k;
	}
	return w;
}

void
prompt_draw(WINDOW *win, int y, int w)
{
	const char *line = rl_line_buffer != NULL ? rl_line_buffer : "";
	int	 pw, cur, skip = 0, room;
	size_t	 off = 0;

	if (!open_now)
		return;
	wmove(win, y, 0);
	wattrset(win, A_NORMAL);
	wclrtoeol(win);
	pw = width_of(prompt_text, strlen(prompt_text));
	list_put_cell(win, prompt_text, pw < w ? pw : w, false, A_BOLD, 0, 0, 0);
	room = w - pw - 1;
	if (room < 1)
		return;
	cur = width_of(line, (size_t)(rl_point > 0 ? rl_point : 0));
	/* Scroll horizontally to keep the cursor visible. */
	if (cur > room)
		skip = cur - room;
	if (skip > 0) {
		mbstate_t ps;
		int	  acc = 0;

		memset(&ps, 0, sizeof ps);
		while (line[off] != '\0' && acc < skip) {
			size_t	k = mbrlen(line + off, strlen(line + off), &ps);

			if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
				k = 1;
			acc += width_of(line + off, k);
			off += k;
		}
		skip = acc;
	}
	list_put_cell(win, line + off, room, false, A_NORMAL, 0, 0, 0);
	wmove(win, y, pw + cur - skip);
}

void
prompt_draw_matches(WINDOW *win, int bottom, int w, int maxh)
{
	int	colw = 0, ncols, nrows, i;

	if (!open_now || n_matches == 0 || maxh < 1)
		return;
	for (i = 0; i < n_matches; i++) {
		int mw = width_of(matches[i], strlen(matches[i]));

		if (mw > colw)
			colw = mw;
	}
	colw += 2;
	if (colw > w)
		colw = w;
	ncols = w / colw > 0 ? w / colw : 1;
	nrows = (n_matches + ncols - 1) / ncols;
	if (nrows > maxh)
		nrows = maxh;
	for (int r = 0; r < nrows; r++) {
		int y = bottom - nrows + r;

		wmove(win, y, 0);
		wattrset(win, ui_attr(UC_SELECTED));
		for (int k = 0; k < w; k++)
			waddch(win, ' ');
		for (int c = 0; c < ncols; c++) {
			int idx = c * nrows + r;

			if (idx >= n_matches)
				break;
			if (r == nrows - 1 && nrows < (n_matches + ncols - 1) / ncols &&
			    c == ncols - 1) {
				wmove(win, y, c * colw);
				list_put_cell(win, "...", colw, false,
				    ui_attr(UC_SELECTED), 0, 0, 0);
				break;
			}
			wmove(win, y, c * colw);
			list_put_cell(win, matches[idx], colw, false,
			    ui_attr(UC_SELECTED), 0, 0, 0);
		}
	}
	wattrset(win, A_NORMAL);
}

void
prompt_cleanup(void)
{
	if (open_now)
		prompt_cancel();
	free_matches();
	free(prompt_text);
	prompt_text = NULL;
	free(last_line);
	last_line = NULL;
	free(finished_line);
	finished_line = NULL;
	for (int i = 0; i < PROMPT__COUNT; i++) {
		HISTORY_STATE *h = histories[i], empty;

		if (h == NULL)
			continue;
		/* Its entries, then the array they were in, then the state. */
		history_set_history_state(h);
		clear_history();
		free(h->entries);
		free(h);
		histories[i] = NULL;
		memset(&empty, 0, sizeof empty);
		history_set_history_state(&empty);
	}
	if (devnull != NULL) {
		fclose(devnull);
		devnull = NULL;
	}
}
