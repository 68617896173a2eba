/* ui.h - the interactive console (ncurses). The only entry point the
 * rest of salvage calls. */
#ifndef SALVAGE_UI_UI_H
#define SALVAGE_UI_UI_H

struct cli;

/* Runs the console until the operator quits; returns the exit status:
 * 0 after a quit, 2 when there is no usable terminal (stdin or stdout
 * not a TTY, TERM unset or "dumb": a message points to the commands),
 * 4 when the credentials cannot be resolved at start is NOT an exit:
 * the console shows it and offers a retry. 128+N after signal N
 * (SIGINT, SIGTERM, SIGHUP), with the terminal restored. */
int	ui_main(struct cli *);

#endif
