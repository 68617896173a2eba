/* timespec.h - the typed time an operator gives for a restore point
 * ("--to", "--incident", the TUI's time prompt):
 *
 *	latest				the newest restorable time
 *	2026-11-20T14:30:00Z		ISO-8601 in UTC ('T' or ' ', seconds
 *	2026-11-20T15:30+01:00		and fractions optional) or with an
 *					offset (+HH:MM, +HHMM, +HH)
 *	2026-11-20 14:30[:05]		local wall-clock time (no zone): the
 *	2026-11-20T14:30		local zone (TZ), DST-safe
 *	-15m  -2h  -1d  -90s  -1h30m	relative to now (units d h m s, in
 *					decreasing order, each at most once)
 *	now				this instant
 *
 * A local time that the clocks skip (spring-forward gap) or pass twice
 * (fall-back overlap) is refused with an explanation naming the gap or
 * both candidate instants and how to say which one is meant (an
 * offset). Every accepted time can be echoed back in UTC and local time
 * with the zone spelled out before anything happens. Pure: no I/O. */
#ifndef SALVAGE_CORE_TIMESPEC_H
#define SALVAGE_CORE_TIMESPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/time.h"

enum timespec_form {
	TIMESPEC_LATEST,	/* "latest": t is SV_TIME_NONE */
	TIMESPEC_NOW,		/* "now" */
	TIMESPEC_UTC,		/* ISO-8601 with Z or an offset */
	TIMESPEC_LOCAL,		/* wall-clock time in the local zone */
	TIMESPEC_RELATIVE	/* "-15m" */
};

struct timespec_value {
	enum timespec_form	 form;
	sv_time			 t;	/* SV_TIME_NONE for latest */
};

/* Parses s; now is the clock for relative times. Errors are SV_E_USAGE
 * with a message naming the accepted forms, or the DST problem. */
sv_result	 timespec_parse(const char *s, sv_time now, struct timespec_value *,
		    struct sv_err *);
/* The echo: "2026-11-20T13:30:00Z (2026-11-20 14:30:00 CET (+01:00))";
 * "latest" for latest. */
void		 timespec_echo(const struct timespec_value *, char *out, size_t outsz);

#endif
