/* list-1m.c - a benchmark, not a test: feeds the list widget a million
 * synthetic S3 version rows in-process and prints the peak RSS, the
 * time to apply a filter and the time from a keystroke to a completed
 * frame (drawn into a newterm() on /dev/null).
 * Targets: <= 250 MiB, filter <= 150 ms, keystroke -> frame <= 20 ms. */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ui/list.h"
#include "util/time.h"

#define ROWS	1000000

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long
peak_rss_kib(void)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];
	long	 kib = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

int
main(int argc, char **argv)
{
	static const struct list_column cols[] = {
		{ "Latest", LIST_TEXT, 6, 0, LIST_COL_NOFILTER },
		{ "Type", LIST_TEXT, 13, 0, 0 },
		{ "Last modified", LIST_TIME, 0, 0, 0 },
		{ "Size", LIST_SIZE, 0, 0, 0 },
		{ "Version ID", LIST_TEXT, 0, 20, 0 },
		{ "ETag", LIST_TEXT, 0, 10, 0 },
		{ "Storage", LIST_TEXT, 12, 0, 0 },
	};
	FILE	*out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	struct list *l;
	union list_value v[7];
	char	 vid[40], etag[40];
	double	 t0, t_load, t_filter, t_unfilter, worst = 0, total = 0;
	long	 rss0, rss;
	int	 frames = 200;
	SCREEN	*scr;

	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "C.UTF-8");
	scr = newterm("xterm", out, in);
	if (scr == NULL)
		scr = newterm("vt100", out, in);
	if (scr == NULL) {
		fprintf(stderr, "list-1m: no terminfo for xterm or vt100\n");
		return 1;
	}
	set_term(scr);
	resizeterm(50, 200);
	rss0 = peak_rss_kib();

	l = list_new(cols, 7);
	srand(42);
	t0 = now_ms();
	for (long i = 0; i < ROWS; i++) {
		/* S3-like version ids (32 chars) and ETags (quoted MD5). */
		snprintf(vid, sizeof vid, "%08lx%08x%08x%08x", (unsigned long)i,
		    (unsigned)rand(), (unsigned)rand(), (unsigned)rand());
		snprintf(etag, sizeof etag, "\"%08x%08x%08x%08x\"", (unsigned)rand(),
		    (unsigned)rand(), (unsigned)rand(), (unsigned)rand());
		v[0].s = i == 0 ? "latest" : "";
		v[1].s = i % 97 == 0 ? "delete marker" : "version";
		v[2].n = 1700000000000LL - (sv_time)i * 60000;
		v[3].n = i % 97 == 0 ? -1 : (int64_t)(rand() % 100000000);
		v[4].s = vid;
		v[5].s = i % 97 == 0 ? NULL : etag;
		v[6].s = i % 97 == 0 ? NULL : "STANDARD";
		list_add(l, v, i == 0 ? LIST_STYLE_LATEST : LIST_STYLE_NORMAL);
	}
	t_load = now_ms() - t0;
	list_draw(l, stdscr, 0, 0, 48, 200);
	wnoutrefresh(stdscr);
	doupdate();

	t0 = now_ms();
	list_set_filter(l, "abc");
	t_filter = now_ms() - t0;
	printf("filter \"abc\": %zu of %zu rows match\n", list_shown(l), list_rows(l));
	t0 = now_ms();
	list_set_filter(l, NULL);
	t_unfilter = now_ms() - t0;

	/* Keystroke to frame: a key moves the selection, the frame is
	 * drawn and flushed to the terminal (here /dev/null). */
	for (int i = 0; i < frames; i++) {
		double	t;

		t0 = now_ms();
		if (i % 10 == 9)
			list_page(l, 1);
		else
			list_move(l, 1);
		werase(stdscr);
		list_draw(l, stdscr, 1, 0, 47, 200);
		wnoutrefresh(stdscr);
		doupdate();
		t = now_ms() - t0;
		total += t;
		if (t > worst)
			worst = t;
	}
	rss = peak_rss_kib();

	printf("rows:                     %d\n", ROWS);
	printf("load (append all rows):   %.0f ms\n", t_load);
	printf("list memory (own count):  %.1f MiB\n", list_memory(l) / 1048576.0);
	printf("peak RSS:                 %.1f MiB (%.1f MiB before the list)   target <= 250 MiB  %s\n",
	    rss / 1024.0, rss0 / 1024.0, rss / 1024.0 <= 250 ? "OK" : "OVER");
	printf("apply a filter:           %.1f ms   target <= 150 ms  %s\n", t_filter,
	    t_filter <= 150 ? "OK" : "OVER");
	printf("clear the filter:         %.1f ms\n", t_unfilter);
	printf("keystroke -> frame:       %.2f ms mean, %.2f ms worst over %d frames   target <= 20 ms  %s\n",
	    total / frames, worst, frames, worst <= 20 ? "OK" : "OVER");
	list_free(l);
	endwin();
	delscreen(scr);
	return 0;
}
