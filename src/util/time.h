/* time.h - instants as milliseconds since the Unix epoch, UTC. */
#ifndef SALVAGE_UTIL_TIME_H
#define SALVAGE_UTIL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

typedef int64_t sv_time;		/* ms since 1970-01-01T00:00:00Z */
#define SV_TIME_NONE	INT64_MIN	/* "no time" (absent field) */
#define SV_TIME_ISO_MAX	40		/* buffer for a formatted time */

sv_time		 sv_time_now(void);	/* wall clock (CLOCK_REALTIME) */
int64_t		 sv_monotonic_ms(void);	/* CLOCK_MONOTONIC */
sv_time		 sv_time_from_epoch(double seconds);
/* ISO-8601: YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM|+HHMM), 'T' or ' '. */
sv_result	 sv_time_parse_iso(const char *, sv_time *);
/* RFC 7231 HTTP-date: "Sun, 06 Nov 1994 08:49:37 GMT". */
sv_result	 sv_time_parse_http(const char *, sv_time *);
/* "2024-01-02T03:04:05Z" (with_ms: "...05.123Z"). */
void		 sv_time_format_iso(sv_time, char out[SV_TIME_ISO_MAX], bool with_ms);
/* SigV4 stamp "20150830T123600Z" (17 bytes with NUL). */
void		 sv_time_format_amz(sv_time, char out[17]);
/* Local time with the zone spelled out: "2024-01-02 04:04:05 CET (+01:00)". */
void		 sv_time_format_local(sv_time, char *out, size_t outsz);
/* "3d 4h", "2h 05m", "4m 10s", "12s" */
void		 sv_duration_format(int64_t ms, char *out, size_t outsz);

#endif
