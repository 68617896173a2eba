/* ui.h - the interactive console (ncurses). The only entry point the
 * rest of salvage calls. */
#ifndef SALVAGE_UI_UI_H
#define SALVAGE_UI_UI_H

struct cli;
struct session;

/* Runs the console until the operator quits; returns the exit status:
 * 0 after a quit, 2 when there is no usable terminal (stdin or stdout
 * not a TTY, TERM unset or "dumb": a message points to the commands),
 * 4 when the credentials cannot be resolved at start is NOT an exit:
 * the console shows it and offers a retry. 128+N after signal N
 * (SIGINT, SIGTERM, SIGHUP), with the terminal restored. */
int	ui_main(struct cli *);

/* salvage run / resume on a terminal: the console opens on the checklist
 * of s (started or resumed by the caller with the client and audit
 * session in cli->client / cli->audit, which stay the caller's, as does
 * s). Quitting mid-session pauses it (resumable). Returns the session's
 * exit status (session_exit_status), 128+N after signal N, 2 when there
 * is no usable terminal. */
int	ui_run_runbook(struct cli *, struct session *);

#endif
