/* tty.c - all terminal setup and teardown (see tty.h). Signals become
 * loop events through a self-pipe; the terminal is restored on every
 * way out: a quit, exit(), a fatal error, SIGTERM, and crashes. */
#include "config.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ui/tty.h"
#include "ui/ui-int.h"
#include "util/str.h"

static int		 sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_pending;
static volatile sig_atomic_t sig_quit;
static bool		 active;		/* curses is on */
static bool		 started;		/* tty_start ran */
static bool		 colors;
static SCREEN		*screen;
static FILE		*scr_out, *scr_in;
static WINDOW		*in_keys, *in_raw;
static struct termios	 saved_tio;
static bool		 saved_tio_ok;
/* What a crash writes to leave the alternate screen and show the
 * cursor, precomputed (nothing but write() is safe in a handler). */
static char		 crash_seq[128];
static size_t		 crash_len;
static attr_t		 attrs[UC__COUNT];
/* tty_blocking: a quit signal ends the process from its handler. */
static volatile sig_atomic_t quit_now;

/* The terminal as it was, with nothing but async-signal-safe calls. */
static void
restore_from_handler(void)
{
	if (active) {
		if (saved_tio_ok)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		if (crash_len > 0)
			(void)!write(STDOUT_FILENO, crash_seq, crash_len);
	}
}

static void
sig_handler(int sig)
{
	int	saved = errno;
	char	c = (char)sig;

	switch (sig) {
	case SIGWINCH:
		sig_pending |= TTY_SIG_WINCH;
		break;
	case SIGTSTP:
		sig_pending |= TTY_SIG_TSTP;
		break;
	case SIGCONT:
		sig_pending |= TTY_SIG_CONT;
		break;
	default:
		if (quit_now) {
			restore_from_handler();
			_exit(128 + sig);
		}
		sig_pending |= TTY_SIG_QUIT;
		if (sig_quit == 0)
			sig_quit = sig;
		break;
	}
	if (sig_pipe[1] != -1)
		(void)!write(sig_pipe[1], &c, 1);
	errno = saved;
}

static void
crash_handler(int sig)
{
	restore_from_handler();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = fn == crash_handler ? SA_RESETHAND : SA_RESTART;
	sigaction(sig, &sa, NULL);
}

int
tty_check(char *why, size_t whysz)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		str_lcpy(why, "the interactive console needs a terminal (stdin and "
		    "stdout are not both a TTY); use the commands instead: "
		    "salvage --help", whysz);
		return SV_EXIT_USAGE;
	}
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0) {
		snprintf(why, whysz, "the interactive console needs a terminal that "
		    "can move the cursor (TERM is %s); use the commands instead: "
		    "salvage --help", term == NULL || *term == '\0' ? "not set" :
		    "dumb");
		return SV_EXIT_USAGE;
	}
	return 0;
}

static void
add_seq(const char *cap)
{
	char	*s = tigetstr((char *)cap);
	size_t	 n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (crash_len + n < sizeof crash_seq) {
		memcpy(crash_seq + crash_len, s, n);
		crash_len += n;
	}
}

static void
setup_colors(bool want)
{
	static const struct {
		enum ui_color	c;
		short		fg, bg;
		attr_t		extra;
	} scheme[] = {
		{ UC_HEADER,	COLOR_WHITE,	COLOR_BLUE,	A_BOLD },
		{ UC_READONLY,	COLOR_BLACK,	COLOR_GREEN,	A_BOLD },
		{ UC_OPERATE,	COLOR_RED,	-1,		A_REVERSE | A_BOLD },
		{ UC_TITLE,	-1,		-1,		A_BOLD },
		{ UC_ERROR,	COLOR_RED,	-1,		A_BOLD },
		{ UC_FOLDER,	COLOR_CYAN,	-1,		A_BOLD },
		{ UC_DELETED,	COLOR_RED,	-1,		0 },
		{ UC_LATEST,	COLOR_GREEN,	-1,		A_BOLD },
		{ UC_DIM,	-1,		-1,		A_DIM },
		{ UC_WARN,	COLOR_YELLOW,	-1,		A_BOLD },
		{ UC_MATCH,	COLOR_BLACK,	COLOR_YELLOW,	0 },
		{ UC_SELECTED,	-1,		-1,		A_REVERSE },
		{ UC_KEYS,	COLOR_CYAN,	-1,		A_BOLD },
		{ UC_WINDOW,	COLOR_GREEN,	-1,		A_BOLD },
		{ UC_MARK,	COLOR_YELLOW,	-1,		A_BOLD },
		{ UC_LABEL,	-1,		-1,		A_BOLD },
	};
	static const attr_t mono[UC__COUNT] = {
		[UC_NORMAL] = A_NORMAL, [UC_HEADER] = A_REVERSE,
		[UC_READONLY] = A_REVERSE | A_BOLD,
		[UC_OPERATE] = A_BOLD | A_UNDERLINE | A_BLINK,
		[UC_TITLE] = A_BOLD, [UC_ERROR] = A_BOLD, [UC_FOLDER] = A_BOLD,
		[UC_DELETED] = A_DIM | A_UNDERLINE, [UC_LATEST] = A_BOLD,
		[UC_DIM] = A_DIM, [UC_WARN] = A_BOLD, [UC_MATCH] = A_UNDERLINE,
		[UC_SELECTED] = A_REVERSE, [UC_KEYS] = A_BOLD, [UC_WINDOW] = A_BOLD,
		[UC_MARK] = A_BOLD, [UC_LABEL] = A_BOLD,
	};

	memcpy(attrs, mono, sizeof attrs);
	colors = false;
	if (!want || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	colors = true;
	for (size_t i = 0; i < sizeof scheme / sizeof scheme[0]; i++) {
		short pair = (short)(i + 1);

		if (scheme[i].fg == -1 && scheme[i].bg == -1) {
			attrs[scheme[i].c] = scheme[i].extra;
			continue;
		}
		init_pair(pair, scheme[i].fg, scheme[i].bg);
		attrs[scheme[i].c] = COLOR_PAIR(pair) | scheme[i].extra;
	}
}

attr_t
ui_attr(enum ui_color c)
{
	return (int)c >= 0 && c < UC__COUNT ? attrs[c] : A_NORMAL;
}

bool
tty_color(void)
{
	return colors;
}

static void
tty_atexit(void)
{
	tty_stop();
}

sv_result
tty_start(bool color, struct sv_err *err)
{
	static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	struct list_attrs la;

	if (!started) {
		if (pipe(sig_pipe) == -1)
			return sv_err_set(err, SV_E_IO, "cannot create a pipe: %s",
			    strerror(errno));
		for (int i = 0; i < 2; i++) {
			fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
		}
		/* Ours before curses starts: ncurses then leaves SIGWINCH and
		 * SIGTSTP alone. */
		for (size_t i = 0; i < sizeof quit_sigs / sizeof quit_sigs[0]; i++)
			set_handler(quit_sigs[i], sig_handler);
		set_handler(SIGWINCH, sig_handler);
		set_handler(SIGTSTP, sig_handler);
		set_handler(SIGCONT, sig_handler);
		signal(SIGPIPE, SIG_IGN);
		for (size_t i = 0; i < sizeof crash_sigs / sizeof crash_sigs[0]; i++)
			set_handler(crash_sigs[i], crash_handler);
		saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
		atexit(tty_atexit);
		started = true;
	}

	/* newterm, not initscr: a failure is ours to report. */
	scr_out = fdopen(dup(STDOUT_FILENO), "w");
	scr_in = fdopen(dup(STDIN_FILENO), "r");
	if (scr_out == NULL || scr_in == NULL)
		return sv_err_set(err, SV_E_IO, "cannot open the terminal: %s",
		    strerror(errno));
	screen = newterm(NULL, scr_out, scr_in);
	if (screen == NULL)
		return sv_err_set(err, SV_E_USAGE, "cannot start the console on "
		    "TERM=%s (no terminfo entry?); use the commands instead: "
		    "salvage --help", getenv("TERM") != NULL ? getenv("TERM") : "");
	set_term(screen);
	active = true;
	if (tigetstr((char *)"cup") == NULL || tigetstr((char *)"cup") == (char *)-1) {
		tty_stop();
		return sv_err_set(err, SV_E_USAGE, "the terminal (TERM=%s) cannot move "
		    "the cursor; use the commands instead: salvage --help",
		    getenv("TERM"));
	}
	crash_len = 0;
	add_seq("sgr0");
	add_seq("cnorm");
	add_seq("rmkx");
	add_seq("rmcup");

	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, FALSE);
	setup_colors(color);

	in_keys = newwin(1, 1, 0, 0);
	in_raw = newwin(1, 1, 0, 0);
	/* in_raw keeps keypad off (the default): readline decodes its own
	 * sequences. curses switches the terminal's keypad mode to match
	 * the window each read goes through. */
	keypad(in_keys, TRUE);
	nodelay(in_keys, TRUE);
	nodelay(in_raw, TRUE);
	/* Refreshed once so wgetch() never repaints them. */
	wnoutrefresh(in_keys);
	wnoutrefresh(in_raw);

	la.style[LIST_STYLE_NORMAL] = attrs[UC_NORMAL];
	la.style[LIST_STYLE_FOLDER] = attrs[UC_FOLDER];
	la.style[LIST_STYLE_DELETED] = attrs[UC_DELETED];
	la.style[LIST_STYLE_LATEST] = attrs[UC_LATEST];
	la.style[LIST_STYLE_DIM] = attrs[UC_DIM];
	la.style[LIST_STYLE_WARN] = attrs[UC_WARN];
	la.selected = attrs[UC_SELECTED];
	la.header = colors ? A_BOLD | A_UNDERLINE : A_UNDERLINE;
	la.match = attrs[UC_MATCH];
	la.empty = attrs[UC_DIM];
	list_set_attrs(&la);
	return SV_OK;
}

void
tty_blocking(bool on)
{
	quit_now = on;
	/* A signal that came while the flag was off is handled now. */
	if (on && (sig_pending & TTY_SIG_QUIT) != 0) {
		restore_from_handler();
		_exit(128 + (sig_quit != 0 ? sig_quit : SIGINT));
	}
}

bool
tty_active(void)
{
	return active;
}

void
tty_stop(void)
{
	if (!active)
		return;
	active = false;
	curs_set(1);
	endwin();
	if (in_keys != NULL)
		delwin(in_keys);
	if (in_raw != NULL)
		delwin(in_raw);
	in_keys = in_raw = NULL;
	if (screen != NULL)
		delscreen(screen);
	screen = NULL;
	if (scr_out != NULL) {
		fflush(scr_out);
		fclose(scr_out);
	}
	if (scr_in != NULL)
		fclose(scr_in);
	scr_out = scr_in = NULL;
	/* curses restored the mode it found; make sure of it. */
	if (saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tio);
}

int
tty_signal_fd(void)
{
	return sig_pipe[0];
}

int
tty_take_signals(void)
{
	char	buf[64];
	int	s;

	while (read(sig_pipe[0], buf, sizeof buf) > 0)
		;
	s = sig_pending;
	sig_pending = 0;
	return s;
}

int
tty_quit_signal(void)
{
	return sig_quit;
}

void
tty_suspend(void)
{
	if (!active)
		return;
	endwin();
	signal(SIGTSTP, SIG_DFL);
	kill(getpid(), SIGTSTP);
	/* ... stopped here until SIGCONT ... */
	set_handler(SIGTSTP, sig_handler);
	tty_resize();
}

void
tty_resize(void)
{
	struct winsize ws;

	if (!active)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

WINDOW *
tty_input(bool raw)
{
	return raw ? in_raw : in_keys;
}

void
tty_fatal(const char *fmt, ...)
{
	va_list	ap;

	tty_stop();
	fprintf(stderr, "salvage: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(SV_EXIT_ERROR);
}
