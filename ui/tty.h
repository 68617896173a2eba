/* tty.h - all terminal setup and teardown of the console (htop's CRT):
 * curses start/stop, colours, the signal self-pipe, suspend/resume,
 * resize, and a fatal path that restores the terminal before printing. */
#ifndef SALVAGE_UI_TTY_H
#define SALVAGE_UI_TTY_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* Signals as loop events (tty_take_signals). */
#define TTY_SIG_WINCH	0x1
#define TTY_SIG_QUIT	0x2	/* SIGINT, SIGTERM, SIGHUP: tty_quit_signal() says which */
#define TTY_SIG_TSTP	0x4
#define TTY_SIG_CONT	0x8

/* Can the console run here? 0 if so; else the exit status (2) with the
 * reason in why (no TTY, TERM unset or dumb). */
int		 tty_check(char *why, size_t whysz);
/* Installs the signal handlers and the self-pipe, then starts curses. */
sv_result	 tty_start(bool color, struct sv_err *);
/* Restores the terminal (idempotent; also run at exit). */
void		 tty_stop(void);
bool		 tty_active(void);
/* Around a step that blocks the loop (connecting: credentials, the audit
 * log): while on, Ctrl-C (or SIGTERM, SIGHUP) restores the terminal and
 * ends the process at once with 128+signal, instead of being seen once
 * the step is over. Only reads and the audit log's own records are made
 * meanwhile, and the audit log survives a kill. */
void		 tty_blocking(bool on);
bool		 tty_color(void);
int		 tty_signal_fd(void);
int		 tty_take_signals(void);
int		 tty_quit_signal(void);
/* SIGTSTP: leave curses, stop, come back and repaint. */
void		 tty_suspend(void);
/* SIGWINCH: read the new size and resize curses. */
void		 tty_resize(void);
/* The window keys are read through: keypad on (arrows decoded), or off
 * (raw bytes, for readline). Never drawn into. */
WINDOW		*tty_input(bool raw);
void		 tty_fatal(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

#endif
