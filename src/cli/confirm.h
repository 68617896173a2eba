/* confirm.h - what the CLI's changing commands share (backup, snapshot,
 * restore): the operator's typed confirmation, recorded in the audit log,
 * and the interruptible wait (Ctrl-C stops waiting, never the change). */
#ifndef SALVAGE_CLI_CONFIRM_H
#define SALVAGE_CLI_CONFIRM_H

#include <signal.h>
#include <stdbool.h>

#include "cli/cli.h"
#include "util/err.h"

/* Asks the operator to confirm question (one line, recorded as asked):
 * with --yes it is confirmed without asking ("--yes"); on a terminal the
 * operator types expected after "Type the WHAT (EXPECTED) to confirm: "
 * ("tty"); otherwise it is refused ("unattended"). The answer is written
 * to the audit log (audit_confirm) before this returns. SV_OK when
 * confirmed; SV_E_READONLY (exit 3) when declined or impossible, with a
 * message that says nothing was changed; SV_E_AUDIT when there is no log
 * to record it in. */
sv_result	 cli_confirm(struct cli *, const char *question, const char *what,
		    const char *expected, struct sv_err *);

/* Ctrl-C while waiting: between cli_wait_begin and cli_wait_end SIGINT
 * sets a flag instead of ending the process. */
void		 cli_wait_begin(void);
void		 cli_wait_end(void);
bool		 cli_interrupted(void);
/* The flag itself (for core functions that poll it, e.g.
 * restore_wait_sync). */
const volatile sig_atomic_t *cli_interrupt_flag(void);
/* Sleeps ms, or less if Ctrl-C is pressed. */
void		 cli_pause_ms(int ms);

#endif
