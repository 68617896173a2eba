/* output.h - what the CLI commands share for printing: aligned tables
 * (buffered, for short listings), fixed-width rows (streamed, for long
 * ones), times in UTC ending in Z, human sizes, terminal-safe text, the
 * --json writer, and the message for a listing that stopped part-way. */
#ifndef SALVAGE_CLI_OUTPUT_H
#define SALVAGE_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"
#include "util/jsonw.h"
#include "util/time.h"

#define OUT_TABLE_MAX_COLS	12

enum out_align {
	OUT_LEFT,
	OUT_RIGHT
};

struct out_col {
	const char	*header;	/* NULL: a table without a header line */
	enum out_align	 align;
	bool		 hide_empty;	/* leave the column out when no row has a value */
};

/* A table whose rows are kept until out_table_print, so every column is
 * as wide as its widest cell (in terminal columns, UTF-8 aware). Cells
 * are copied; NULL or "" is an empty cell. */
struct out_table {
	size_t		 ncols;
	struct out_col	 cols[OUT_TABLE_MAX_COLS];
	char		**cells;	/* nrows * ncols */
	size_t		 nrows, cap;
};

void	out_table_init(struct out_table *, size_t ncols, const struct out_col *);
/* Adds a row of ncols cells. */
void	out_table_row(struct out_table *, const char *const *cells);
/* Two spaces between columns, no trailing spaces. */
void	out_table_print(const struct out_table *, FILE *);
void	out_table_free(struct out_table *);

/* "2026-11-20T10:00:00Z" (milliseconds only when not zero, as in --json),
 * or "-" for SV_TIME_NONE. */
const char *out_time(sv_time, char buf[SV_TIME_ISO_MAX]);
/* Always with milliseconds: fixed width (24) for streamed columns. */
const char *out_time_ms(sv_time, char buf[SV_TIME_ISO_MAX]);
/* "1.2 MiB"; "-" when negative (unknown). */
const char *out_size(long long, char *buf, size_t bufsz);
/* "1234"; "-" when negative. */
const char *out_count(long long, char *buf, size_t bufsz);
/* s made safe for a terminal: control characters become \xNN (so a key
 * cannot move the cursor or change colours). Allocated. */
char	*out_safe(const char *s);
/* Prints s made safe, padded with spaces to width terminal columns. */
void	 out_cell(FILE *, const char *s, int width, enum out_align);

/* Starts the --json document on stdout (indented when stdout is a tty). */
void	 out_json_init(struct jsonw *);

/* A listing that failed: when pages were delivered before the failure,
 * the listing is incomplete and the exit status is SV_EXIT_PARTIAL:
 * "listing stopped after N pages (M versions): cause"; otherwise the
 * error's own status. Prints to stderr (after flushing stdout, whose
 * JSON document is left unterminated) and returns the exit status. */
int	 out_listing_failed(const struct cli *, const struct sv_err *,
	    size_t pages, size_t items, const char *noun);

#endif
