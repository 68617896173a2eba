/* test-output.c - unit tests for src/cli/output.c: aligned tables (UTF-8
 * widths, right alignment, hidden empty columns), terminal-safe text,
 * times and sizes, and the exit status of a listing that failed. */
#include <config.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "cli/output.h"

/* Prints the table into a string. */
static char *
render(const struct out_table *t)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&text, &len);

	out_table_print(t, f);
	fclose(f);
	return text;
}

static void
test_table(void)
{
	static const struct out_col cols[] = {
		{ "NAME", OUT_LEFT, false },
		{ "SIZE", OUT_RIGHT, false },
		{ "NOTE", OUT_LEFT, true },
		{ "KEY", OUT_LEFT, false },
	};
	struct out_table	 t;
	char			*s;

	out_table_init(&t, 4, cols);
	out_table_row(&t, (const char *[]){ "a", "1", "", "x" });
	out_table_row(&t, (const char *[]){ "caf\xc3\xa9", "12345", NULL, "y" });
	s = render(&t);
	is_str(s,
	    "NAME   SIZE  KEY\n"
	    "a         1  x\n"
	    "caf\xc3\xa9  12345  y\n",
	    "columns aligned by display width, numbers and their header to the "
	    "right; empty hidden column left out; no trailing spaces");
	free(s);
	out_table_row(&t, (const char *[]){ "b", "2", "note", "z" });
	s = render(&t);
	ok(strstr(s, "NOTE") != NULL, "a hide_empty column shows once a row has a value");
	free(s);
	out_table_free(&t);

	/* A header-less key/value table. */
	{
		static const struct out_col kv[] = {
			{ NULL, OUT_LEFT, false }, { NULL, OUT_LEFT, false }
		};
		out_table_init(&t, 2, kv);
		out_table_row(&t, (const char *[]){ "account", "1" });
		out_table_row(&t, (const char *[]){ "id", "2" });
		s = render(&t);
		is_str(s, "account  1\nid       2\n", "a table without headers");
		free(s);
		out_table_free(&t);
	}
}

static void
test_safe(void)
{
	char	*s;

	s = out_safe("plain key.txt");
	is_str(s, "plain key.txt", "plain text unchanged");
	free(s);
	s = out_safe("a\x1b[31mred\nx\x7f");
	is_str(s, "a\\x1b[31mred\\x0ax\\x7f", "control characters escaped");
	free(s);
	s = out_safe("caf\xc3\xa9 \xe6\x97\xa5");
	is_str(s, "caf\xc3\xa9 \xe6\x97\xa5", "valid UTF-8 kept");
	free(s);
	s = out_safe("bad\xff");
	is_str(s, "bad\\xff", "invalid UTF-8 bytes escaped");
	free(s);
}

static void
test_formats(void)
{
	char	tb[SV_TIME_ISO_MAX], sb[32];

	is_str(out_time(1795600000000LL, tb), "2026-11-25T09:46:40Z", "time without ms");
	is_str(out_time(1795600000123LL, tb), "2026-11-25T09:46:40.123Z", "time with ms");
	is_str(out_time(SV_TIME_NONE, tb), "-", "no time");
	is_str(out_time_ms(1795600000000LL, tb), "2026-11-25T09:46:40.000Z",
	    "fixed-width time always has ms");
	is_str(out_size(-1, sb, sizeof sb), "-", "unknown size");
	is_str(out_size(2048, sb, sizeof sb), "2.0 KiB", "human size");
	is_str(out_count(42, sb, sizeof sb), "42", "count");
}

static void
test_listing_failed(void)
{
	struct cli	cli;
	struct sv_err	err;
	FILE		*saved = stderr;
	char		*text = NULL;
	size_t		 len = 0;

	memset(&cli, 0, sizeof cli);
	cli.progname = "salvage";
	sv_err_init(&err);
	sv_err_set(&err, SV_E_NET, "connection reset");

	stderr = open_memstream(&text, &len);
	is_int(out_listing_failed(&cli, &err, 3, 2871, "versions"), SV_EXIT_PARTIAL,
	    "failed after pages were printed: exit 10");
	fclose(stderr);
	stderr = saved;
	ok(text != NULL && strstr(text, "listing stopped after 3 pages (2871 "
	    "versions): connection reset") != NULL, "says how far it got and why");
	free(text);

	text = NULL;
	stderr = open_memstream(&text, &len);
	is_int(out_listing_failed(&cli, &err, 0, 0, "versions"), SV_EXIT_NETWORK,
	    "failed before any page: the cause's exit status");
	fclose(stderr);
	stderr = saved;
	free(text);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_table();
	test_safe();
	test_formats();
	test_listing_failed();
	return done_testing();
}
