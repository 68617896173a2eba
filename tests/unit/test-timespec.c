/* test-timespec.c - the typed restore time: ISO-8601 with Z and offsets,
 * latest, now, relative times, local wall-clock times in Europe/Berlin
 * and America/New_York including the DST gaps and overlaps, bad input,
 * and the echo. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timespec.h"
#include "tap.h"

static sv_time	NOW;

static sv_time
iso(const char *s)
{
	sv_time	t = SV_TIME_NONE;

	if (sv_time_parse_iso(s, &t) != SV_OK)
		abort();
	return t;
}

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Parses s; checks the instant and form. */
static void
good(const char *s, const char *want_iso, enum timespec_form form)
{
	struct timespec_value	v;
	struct sv_err		err;
	char			name[256];
	sv_result		r;

	sv_err_init(&err);
	r = timespec_parse(s, NOW, &v, &err);
	snprintf(name, sizeof name, "'%s' parses", s);
	if (!ok(r == SV_OK, name))
		diag("%s", err.msg);
	snprintf(name, sizeof name, "'%s' is %s", s, want_iso);
	is_int(v.t, iso(want_iso), name);
	snprintf(name, sizeof name, "'%s' form", s);
	is_int(v.form, form, name);
}

/* Refused, and the message contains each of the needles. */
static void
bad(const char *s, const char *n1, const char *n2, const char *n3)
{
	struct timespec_value	v;
	struct sv_err		err;
	char			name[256];
	const char		*needles[] = { n1, n2, n3 };

	sv_err_init(&err);
	snprintf(name, sizeof name, "'%s' refused", s);
	ok(timespec_parse(s, NOW, &v, &err) == SV_E_USAGE, name);
	for (int i = 0; i < 3; i++) {
		if (needles[i] == NULL)
			continue;
		snprintf(name, sizeof name, "'%s' message names '%s'", s, needles[i]);
		if (!ok(strstr(err.msg, needles[i]) != NULL, name))
			diag("message: %s", err.msg);
	}
}

int
main(void)
{
	struct timespec_value	v;
	struct sv_err		err;
	char			echo[256];

	NOW = iso("2026-11-20T12:00:00Z");
	set_tz("UTC");

	/* UTC and offsets. */
	good("2026-11-20T14:30:00Z", "2026-11-20T14:30:00Z", TIMESPEC_UTC);
	good("2026-11-20 14:30Z", "2026-11-20T14:30:00Z", TIMESPEC_UTC);
	good("2026-11-20t14:30:05.250z", "2026-11-20T14:30:05.250Z", TIMESPEC_UTC);
	good("2026-11-20T15:30+01:00", "2026-11-20T14:30:00Z", TIMESPEC_UTC);
	good("2026-11-20T09:30:00-0500", "2026-11-20T14:30:00Z", TIMESPEC_UTC);
	good("2026-11-20T20:00:00+05:30", "2026-11-20T14:30:00Z", TIMESPEC_UTC);
	good("2026-11-21T00:30+10", "2026-11-20T14:30:00Z", TIMESPEC_UTC);
	good("  2026-11-20T14:30:00Z  ", "2026-11-20T14:30:00Z", TIMESPEC_UTC);

	/* latest and now. */
	sv_err_init(&err);
	ok(timespec_parse("latest", NOW, &v, &err) == SV_OK && v.form == TIMESPEC_LATEST &&
	    v.t == SV_TIME_NONE, "latest");
	ok(timespec_parse("LATEST", NOW, &v, &err) == SV_OK && v.form == TIMESPEC_LATEST,
	    "LATEST, any case");
	good("now", "2026-11-20T12:00:00Z", TIMESPEC_NOW);

	/* Relative. */
	good("-15m", "2026-11-20T11:45:00Z", TIMESPEC_RELATIVE);
	good("-2h", "2026-11-20T10:00:00Z", TIMESPEC_RELATIVE);
	good("-1d", "2026-11-19T12:00:00Z", TIMESPEC_RELATIVE);
	good("-90s", "2026-11-20T11:58:30Z", TIMESPEC_RELATIVE);
	good("-1h30m", "2026-11-20T10:30:00Z", TIMESPEC_RELATIVE);
	good("-1d2h3m4s", "2026-11-19T09:56:56Z", TIMESPEC_RELATIVE);
	bad("-", "relative", NULL, NULL);
	bad("-15", "relative", NULL, NULL);
	bad("-15x", "relative", NULL, NULL);
	bad("-m", "relative", NULL, NULL);
	bad("-30m1h", "from days to seconds", NULL, NULL);
	bad("-1h1h", "each once", NULL, NULL);

	/* Not times. */
	bad("", "no time given", NULL, NULL);
	bad("yesterday", "is not a time", "latest", "-15m");
	bad("2026-11-20", "no time of day", NULL, NULL);
	bad("2026-13-01T00:00Z", "not a valid date", NULL, NULL);
	bad("2026-02-30T00:00Z", "not a valid date", NULL, NULL);
	bad("2026-11-20T24:00Z", "not a valid date", NULL, NULL);
	bad("2026-11-20T14:30:00Zjunk", "is not a time", NULL, NULL);
	bad("2026-11-20T14:30+25:00", "is not a time", NULL, NULL);
	good("2028-02-29T00:00Z", "2028-02-29T00:00:00Z", TIMESPEC_UTC);

	/* Local time, Europe/Berlin: CET +01:00, CEST +02:00. */
	set_tz("Europe/Berlin");
	good("2026-11-20 14:30", "2026-11-20T13:30:00Z", TIMESPEC_LOCAL);
	good("2026-11-20T14:30:15", "2026-11-20T13:30:15Z", TIMESPEC_LOCAL);
	good("2026-07-01 14:30", "2026-07-01T12:30:00Z", TIMESPEC_LOCAL);
	/* The offset form is never ambiguous. */
	good("2026-10-25T02:30+02:00", "2026-10-25T00:30:00Z", TIMESPEC_UTC);
	/* Spring forward: 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z). */
	bad("2026-03-29 02:30", "does not exist", "2026-03-29T01:00:00Z", "02:00 CET");
	bad("2026-03-29 02:00", "does not exist", "03:00 CEST", NULL);
	good("2026-03-29 01:59", "2026-03-29T00:59:00Z", TIMESPEC_LOCAL);
	good("2026-03-29 03:00", "2026-03-29T01:00:00Z", TIMESPEC_LOCAL);
	/* Fall back: 2026-10-25 03:00 CEST -> 02:00 CET: 02:00-02:59 twice. */
	bad("2026-10-25 02:30", "ambiguous", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z");
	bad("2026-10-25 02:00", "+02:00", "+01:00", "Europe/Berlin");
	good("2026-10-25 01:59", "2026-10-24T23:59:00Z", TIMESPEC_LOCAL);
	good("2026-10-25 03:00", "2026-10-25T02:00:00Z", TIMESPEC_LOCAL);

	/* America/New_York: EST -05:00, EDT -04:00. */
	set_tz("America/New_York");
	good("2026-11-20 14:30", "2026-11-20T19:30:00Z", TIMESPEC_LOCAL);
	/* 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z). */
	bad("2026-03-08 02:15", "does not exist", "2026-03-08T07:00:00Z", "03:00 EDT");
	good("2026-03-08 03:15", "2026-03-08T07:15:00Z", TIMESPEC_LOCAL);
	/* 2026-11-01 02:00 EDT -> 01:00 EST: 01:00-01:59 twice. */
	bad("2026-11-01 01:30", "ambiguous", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z");
	bad("2026-11-01 01:30:00", "EDT", "EST", "-04:00");
	good("2026-11-01 01:30-05:00", "2026-11-01T06:30:00Z", TIMESPEC_UTC);
	good("2026-11-01 00:59", "2026-11-01T04:59:00Z", TIMESPEC_LOCAL);
	good("2026-11-01 02:00", "2026-11-01T07:00:00Z", TIMESPEC_LOCAL);

	/* The echo: UTC, then local with the zone spelled out. */
	set_tz("Europe/Berlin");
	sv_err_init(&err);
	timespec_parse("2026-11-20 14:30", NOW, &v, &err);
	timespec_echo(&v, echo, sizeof echo);
	is_str(echo, "2026-11-20T13:30:00Z (2026-11-20 14:30:00 CET (+01:00))",
	    "echo in UTC and local time");
	timespec_parse("latest", NOW, &v, &err);
	timespec_echo(&v, echo, sizeof echo);
	is_str(echo, "latest", "echo of latest");

	return done_testing();
}
