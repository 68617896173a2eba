/* prompt.h - text entry for the console (the palette ':', the filter
 * '/', search, typed values) through readline's callback interface,
 * drawn by us in the footer line: readline never touches the terminal. */
#ifndef SALVAGE_UI_PROMPT_H
#define SALVAGE_UI_PROMPT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum prompt_kind {
	PROMPT_PALETTE,
	PROMPT_FILTER,
	PROMPT_SEARCH,
	PROMPT_VALUE,
	PROMPT_TIME,		/* a typed time (the timeline's T and i) */
	PROMPT_CONFIRM,		/* a typed confirmation: never in a history */
	PROMPT__COUNT		/* each kind keeps its own history */
};

struct prompt_ops {
	/* After every edit (incremental filter and search); may be NULL. */
	void	(*change)(void *, const char *line);
	/* Enter: the line; Esc, C-g or C-d on an empty line: NULL. Called
	 * after the prompt has closed, so it may open another one. */
	void	(*done)(void *, const char *line);
	/* TAB: the candidates for the word text (line[start..end)), a
	 * NULL-terminated malloc'd array of malloc'd strings that start
	 * with text; NULL for none. May be NULL. */
	char	**(*complete)(void *, const char *line, const char *text);
};

void	 prompt_open(enum prompt_kind, const char *prompt, const char *initial,
	    const struct prompt_ops *, void *);
bool	 prompt_active(void);
/* Reads every byte available from the raw input window (keypad off)
 * and feeds readline; stops as soon as the prompt closes, so keys
 * typed after Enter are read again as keys. Returns UI_* flags. */
int	 prompt_read(WINDOW *raw);
/* Feeds bytes as if typed (tests, pastes). Returns UI_* flags. */
int	 prompt_feed(const char *bytes, size_t n);
/* Closes the prompt without calling done. */
void	 prompt_cancel(void);
/* Draws the prompt on line y (w wide) and leaves the cursor on the
 * insertion point. */
void	 prompt_draw(WINDOW *, int y, int w);
/* Draws the completion candidates (if any are shown) in the lines just
 * above bottom (at most maxh lines). */
void	 prompt_draw_matches(WINDOW *, int bottom, int w, int maxh);
/* The current line ("" when closed). */
const char *prompt_line(void);
/* At exit: removes the handler, frees the histories. */
void	 prompt_cleanup(void);

#endif
