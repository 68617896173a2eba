/* confirm.c - the typed confirmation of a change (recorded in the audit
 * log) and the interruptible wait, shared by the CLI's changing commands
 * (see confirm.h). */
#include <config.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/confirm.h"
#include "core/audit-session.h"
#include "util/time.h"

#define CONFIRM_LINE_MAX	512

static volatile sig_atomic_t	interrupted;
static struct sigaction		old_sigint;
static bool			installed;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

void
cli_wait_begin(void)
{
	struct sigaction	sa;

	interrupted = 0;
	if (installed)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sigint);
	installed = true;
}

void
cli_wait_end(void)
{
	if (!installed)
		return;
	sigaction(SIGINT, &old_sigint, NULL);
	installed = false;
}

bool
cli_interrupted(void)
{
	return interrupted != 0;
}

const volatile sig_atomic_t *
cli_interrupt_flag(void)
{
	return &interrupted;
}

void
cli_pause_ms(int ms)
{
	int64_t	end = sv_monotonic_ms() + ms;

	while (!interrupted) {
		int64_t left = end - sv_monotonic_ms();

		if (left <= 0)
			break;
		poll(NULL, 0, (int)left);
	}
}

sv_result
cli_confirm(struct cli *cli, const char *question, const char *what,
    const char *expected, struct sv_err *err)
{
	struct audit	*log = cli->audit != NULL ? audit_session_log(cli->audit) : NULL;
	char		 line[CONFIRM_LINE_MAX];
	const char	*how, *typed = NULL;
	bool		 ok;
	sv_result	 r;

	if (cli->yes) {
		how = "--yes";
		ok = true;
	} else if (isatty(STDIN_FILENO)) {
		how = "tty";
		fprintf(stderr, "Type the %s (%s) to confirm: ", what, expected);
		fflush(stderr);
		if (fgets(line, sizeof line, stdin) == NULL)
			line[0] = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		typed = line;
		ok = strcmp(line, expected) == 0;
	} else {
		how = "unattended";
		ok = false;
	}
	if (log == NULL)
		return sv_err_set(err, SV_E_AUDIT, "no audit log is open: nothing was changed");
	if ((r = audit_confirm(log, question, expected, typed, how, ok, err)) != SV_OK)
		return r;
	if (ok)
		return SV_OK;
	if (strcmp(how, "unattended") == 0)
		return sv_err_set(err, SV_E_READONLY, "refused: there is no terminal to "
		    "confirm on; pass --yes to confirm without one (nothing was changed)");
	return sv_err_set(err, SV_E_READONLY, "not confirmed: '%s' is not '%s'; nothing "
	    "was changed", typed != NULL ? typed : "", expected);
}
