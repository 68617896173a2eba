/* output.c - printing helpers shared by the CLI commands: aligned tables,
 * times, sizes, terminal-safe text, the JSON writer and the message of a
 * listing that stopped part-way. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/output.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

void
out_table_init(struct out_table *t, size_t ncols, const struct out_col *cols)
{
	memset(t, 0, sizeof *t);
	if (ncols > OUT_TABLE_MAX_COLS)
		ncols = OUT_TABLE_MAX_COLS;
	t->ncols = ncols;
	memcpy(t->cols, cols, ncols * sizeof *cols);
}

void
out_table_row(struct out_table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->cells = xreallocarray(t->cells, t->cap * t->ncols, sizeof *t->cells);
	}
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = out_safe(cells[c] != NULL ?
		    cells[c] : "");
	t->nrows++;
}

void
out_table_print(const struct out_table *t, FILE *f)
{
	int	width[OUT_TABLE_MAX_COLS];
	bool	show[OUT_TABLE_MAX_COLS], header = false;
	size_t	last = 0;

	for (size_t c = 0; c < t->ncols; c++) {
		bool	any = false;

		width[c] = 0;
		if (t->cols[c].header != NULL) {
			header = true;
			width[c] = str_width(t->cols[c].header);
		}
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = t->cells[r * t->ncols + c];
			int	w = str_width(s);

			if (*s != '\0')
				any = true;
			if (w > width[c])
				width[c] = w;
		}
		show[c] = any || !t->cols[c].hide_empty;
		if (show[c])
			last = c;
	}
	for (long r = header ? -1 : 0; r < (long)t->nrows; r++) {
		bool	first = true;

		for (size_t c = 0; c < t->ncols; c++) {
			const char *s;

			if (!show[c])
				continue;
			s = r < 0 ? (t->cols[c].header != NULL ? t->cols[c].header : "") :
			    t->cells[(size_t)r * t->ncols + c];
			if (!first)
				fputs("  ", f);
			first = false;
			/* No padding after the last column. */
			out_cell(f, s, c == last && t->cols[c].align == OUT_LEFT ?
			    0 : width[c], t->cols[c].align);
		}
		fputc('\n', f);
	}
}

void
out_table_free(struct out_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

const char *
out_time(sv_time t, char buf[SV_TIME_ISO_MAX])
{
	if (t == SV_TIME_NONE) {
		str_lcpy(buf, "-", SV_TIME_ISO_MAX);
		return buf;
	}
	sv_time_format_iso(t, buf, t % 1000 != 0);
	return buf;
}

const char *
out_time_ms(sv_time t, char buf[SV_TIME_ISO_MAX])
{
	if (t == SV_TIME_NONE) {
		str_lcpy(buf, "-", SV_TIME_ISO_MAX);
		return buf;
	}
	sv_time_format_iso(t, buf, true);
	return buf;
}

const char *
out_size(long long n, char *buf, size_t bufsz)
{
	if (n < 0)
		snprintf(buf, bufsz, "-");
	else
		str_human_size(buf, bufsz, n);
	return buf;
}

const char *
out_count(long long n, char *buf, size_t bufsz)
{
	if (n < 0)
		snprintf(buf, bufsz, "-");
	else
		snprintf(buf, bufsz, "%lld", n);
	return buf;
}

char *
out_safe(const char *s)
{
	struct buf	 b;
	const char	*p;

	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			break;
	if (*p == '\0' && str_valid_utf8(s, strlen(s)))
		return xstrdup(s);
	buf_init(&b, BUF_MAX_FILE);
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			buf_addf(&b, "\\x%02x", c);
		else
			buf_addc(&b, (char)c);
	}
	if (!str_valid_utf8(buf_str(&b), b.len)) {
		/* Invalid UTF-8 could confuse the terminal: escape bytes >= 0x80. */
		struct buf	 esc;

		buf_init(&esc, BUF_MAX_FILE);
		for (p = buf_str(&b); *p != '\0'; p++) {
			unsigned char c = (unsigned char)*p;

			if (c >= 0x80)
				buf_addf(&esc, "\\x%02x", c);
			else
				buf_addc(&esc, (char)c);
		}
		buf_free(&b);
		return buf_detach(&esc);
	}
	return buf_detach(&b);
}

void
out_cell(FILE *f, const char *s, int width, enum out_align align)
{
	char	*safe = out_safe(s);
	int	 pad = width - str_width(safe);

	if (align == OUT_RIGHT)
		for (; pad > 0; pad--)
			fputc(' ', f);
	fputs(safe, f);
	if (align == OUT_LEFT)
		for (; pad > 0; pad--)
			fputc(' ', f);
	free(safe);
}

void
out_json_init(struct jsonw *w)
{
	jsonw_init(w, stdout, isatty(STDOUT_FILENO));
}

int
out_listing_failed(const struct cli *cli, const struct sv_err *err,
    size_t pages, size_t items, const char *noun)
{
	struct sv_err	e;

	fflush(stdout);
	if (pages == 0 || err->code == SV_E_CANCELLED)
		return cli_fail(cli, err);
	sv_err_init(&e);
	sv_err_set(&e, SV_E_PARTIAL, "listing stopped after %zu page%s (%zu %s): "
	    "%s; what was printed is incomplete", pages, pages == 1 ? "" : "s",
	    items, noun, err->msg[0] != '\0' ? err->msg : sv_result_str(err->code));
	return cli_fail(cli, &e);
}
