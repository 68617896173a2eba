/* timespec.c - the typed time for restore points: ISO-8601 with a zone,
 * local wall-clock time resolved DST-safely, relative times, "latest"
 * and "now" (see timespec.h). */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/timespec.h"
#include "util/str.h"

#define TIMESPEC_FORMS \
	"use 'latest', ISO-8601 with Z or an offset (2026-11-20T14:30:00Z, " \
	"2026-11-20T15:30+01:00), local time (2026-11-20 14:30) or a relative " \
	"time (-15m, -2h, -1d, -1h30m)"

struct wall {
	int	Y, M, D, h, m, s, ms;
};

static bool
num(const char **pp, int n, int *out)
{
	const char	*p = *pp;
	int		 v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	*pp = p + n;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* The wall clock read as if it were UTC, in seconds. */
static int64_t
wall_naive(const struct wall *w)
{
	return days_from_civil(w->Y, w->M, w->D) * 86400 + w->h * 3600 +
	    w->m * 60 + w->s;
}

static long
gmtoff_at(int64_t secs, char *zone, size_t zonesz)
{
	time_t		t = (time_t)secs;
	struct tm	tm;

	localtime_r(&t, &tm);
	if (zone != NULL)
		str_lcpy(zone, tm.tm_zone != NULL ? tm.tm_zone : "", zonesz);
	return tm.tm_gmtoff;
}

static bool
local_matches(int64_t secs, const struct wall *w)
{
	time_t		t = (time_t)secs;
	struct tm	tm;

	localtime_r(&t, &tm);
	return tm.tm_year + 1900 == w->Y && tm.tm_mon + 1 == w->M &&
	    tm.tm_mday == w->D && tm.tm_hour == w->h && tm.tm_min == w->m &&
	    tm.tm_sec == w->s;
}

static void
fmt_offset(long off, char *out, size_t outsz)
{
	snprintf(out, outsz, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600,
	    labs(off) % 3600 / 60);
}

static void
fmt_wall(const struct wall *w, char *out, size_t outsz)
{
	if (w->s != 0 || w->ms != 0)
		snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d:%02d", w->Y, w->M, w->D,
		    w->h, w->m, w->s);
	else
		snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d", w->Y, w->M, w->D,
		    w->h, w->m);
}

static const char *
zone_name(void)
{
	const char	*tz = getenv("TZ");

	if (tz == NULL || *tz == '\0')
		return "the local time zone";
	return tz[0] == ':' ? tz + 1 : tz;
}

/* The first instant in (lo, hi] whose offset differs from lo's. */
static int64_t
find_transition(int64_t lo, int64_t hi)
{
	long	off = gmtoff_at(lo, NULL, 0);

	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (gmtoff_at(mid, NULL, 0) == off)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* A wall-clock time in the local zone: exactly one instant, or a refusal
 * that explains the gap or names both instants. */
static sv_result
resolve_local(const struct wall *w, sv_time *out, struct sv_err *err)
{
	int64_t		naive = wall_naive(w), cand[3], found[3];
	char		wall[40], z0[16], z1[16];
	size_t		nfound = 0;

	/* Offsets in use a day either side and at the time itself. */
	cand[0] = naive - gmtoff_at(naive - 86400, NULL, 0);
	cand[1] = naive - gmtoff_at(naive, NULL, 0);
	cand[2] = naive - gmtoff_at(naive + 86400, NULL, 0);
	for (size_t i = 0; i < 3; i++) {
		bool dup = false;

		if (!local_matches(cand[i], w))
			continue;
		for (size_t j = 0; j < nfound; j++)
			dup = dup || found[j] == cand[i];
		if (!dup)
			found[nfound++] = cand[i];
	}
	fmt_wall(w, wall, sizeof wall);
	if (nfound == 1) {
		*out = found[0] * 1000 + w->ms;
		return SV_OK;
	}
	if (nfound == 0) {
		int64_t	tr = find_transition(naive - 2 * 86400, naive + 2 * 86400);
		long	before = gmtoff_at(tr - 1, z0, sizeof z0);
		long	after = gmtoff_at(tr, z1, sizeof z1);
		char	iso[SV_TIME_ISO_MAX], ob[8], oa[8], from[8], to[8];
		int64_t	lb = tr + before, la = tr + after;

		sv_time_format_iso(tr * 1000, iso, false);
		fmt_offset(before, ob, sizeof ob);
		fmt_offset(after, oa, sizeof oa);
		snprintf(from, sizeof from, "%02d:%02d", (int)(lb % 86400 / 3600),
		    (int)(lb % 3600 / 60));
		snprintf(to, sizeof to, "%02d:%02d", (int)(la % 86400 / 3600),
		    (int)(la % 3600 / 60));
		return sv_err_set(err, SV_E_USAGE, "%s does not exist in %s: at %s "
		    "the clocks jumped from %s %s (%s) to %s %s (%s), skipping it; "
		    "give the time in UTC or with an offset (%s%s or %s%s)", wall,
		    zone_name(), iso, from, z0, ob, to, z1, oa, wall, ob, wall, oa);
	}
	{
		char	i0[SV_TIME_ISO_MAX], i1[SV_TIME_ISO_MAX], o0[8], o1[8];
		int64_t	a = found[0] < found[1] ? found[0] : found[1];
		int64_t	b = found[0] < found[1] ? found[1] : found[0];

		fmt_offset(gmtoff_at(a, z0, sizeof z0), o0, sizeof o0);
		fmt_offset(gmtoff_at(b, z1, sizeof z1), o1, sizeof o1);
		sv_time_format_iso(a * 1000 + w->ms, i0, false);
		sv_time_format_iso(b * 1000 + w->ms, i1, false);
		return sv_err_set(err, SV_E_USAGE, "%s is ambiguous in %s: the clocks "
		    "went back and it happened twice, at %s (%s, %s) and at %s "
		    "(%s, %s); say which with an offset (%s%s or %s%s)", wall,
		    zone_name(), i0, z0, o0, i1, z1, o1, wall, o0, wall, o1);
	}
}

static sv_result
parse_relative(const char *s, sv_time now, sv_time *out, struct sv_err *err)
{
	static const char	units[] = "dhms";
	static const int64_t	mult[] = { 86400000, 3600000, 60000, 1000 };
	const char		*p = s + 1;
	int			last = -1;
	int64_t			total = 0;

	if (*p == '\0')
		goto bad;
	while (*p != '\0') {
		const char	*u;
		long long	 v = 0;
		int		 nd = 0;

		while (isdigit((unsigned char)*p)) {
			if (v > 100000000LL)
				return sv_err_set(err, SV_E_USAGE, "'%s': too far back", s);
			v = v * 10 + (*p++ - '0');
			nd++;
		}
		if (nd == 0 || *p == '\0' || (u = strchr(units, *p)) == NULL)
			goto bad;
		if ((int)(u - units) <= last)
			return sv_err_set(err, SV_E_USAGE, "'%s': give the units from days "
			    "to seconds, each once (-1d2h, -1h30m, -90s)", s);
		last = (int)(u - units);
		total += v * mult[last];
		p++;
	}
	*out = now - total;
	return SV_OK;
bad:
	return sv_err_set(err, SV_E_USAGE, "'%s' is not a relative time: %s", s,
	    TIMESPEC_FORMS);
}

static sv_result
parse_absolute(const char *s, struct timespec_value *v, struct sv_err *err)
{
	struct wall	 w;
	const char	*p = s;
	int		 oh = 0, om = 0, sign = 0;

	memset(&w, 0, sizeof w);
	if (!num(&p, 4, &w.Y) || *p++ != '-' || !num(&p, 2, &w.M) || *p++ != '-' ||
	    !num(&p, 2, &w.D))
		goto bad;
	if (*p == '\0')
		return sv_err_set(err, SV_E_USAGE, "'%s' has no time of day: give one "
		    "(%s 00:00 for midnight local time, %sT00:00Z for UTC)", s, s, s);
	if (*p != 'T' && *p != 't' && *p != ' ')
		goto bad;
	p++;
	if (!num(&p, 2, &w.h) || *p++ != ':' || !num(&p, 2, &w.m))
		goto bad;
	if (*p == ':') {
		p++;
		if (!num(&p, 2, &w.s))
			goto bad;
		if (*p == '.' || *p == ',') {
			int	n = 0, scale = 100;

			p++;
			while (isdigit((unsigned char)*p)) {
				if (n++ < 3) {
					w.ms += (*p - '0') * scale;
					scale /= 10;
				}
				p++;
			}
			if (n == 0)
				goto bad;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		p++;
		if (!num(&p, 2, &oh))
			goto bad;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && !num(&p, 2, &om))
			goto bad;
		if (oh > 23 || om > 59)
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	if (w.M < 1 || w.M > 12 || w.D < 1 || w.D > days_in_month(w.Y, w.M) ||
	    w.h > 23 || w.m > 59 || w.s > 59 || w.Y < 1970)
		return sv_err_set(err, SV_E_USAGE, "'%s' is not a valid date and time", s);
	if (sign != 0) {
		v->form = TIMESPEC_UTC;
		v->t = (wall_naive(&w) - sign * (oh * 3600 + om * 60)) * 1000 + w.ms;
		return SV_OK;
	}
	v->form = TIMESPEC_LOCAL;
	return resolve_local(&w, &v->t, err);
bad:
	return sv_err_set(err, SV_E_USAGE, "'%s' is not a time: %s", s, TIMESPEC_FORMS);
}

sv_result
timespec_parse(const char *in, sv_time now, struct timespec_value *v,
    struct sv_err *err)
{
	char		 buf[128];
	const char	*s;

	v->form = TIMESPEC_LATEST;
	v->t = SV_TIME_NONE;
	if (in == NULL || strlen(in) >= sizeof buf)
		return sv_err_set(err, SV_E_USAGE, "no time given: %s", TIMESPEC_FORMS);
	str_lcpy(buf, in, sizeof buf);
	s = str_trim(buf);
	if (*s == '\0')
		return sv_err_set(err, SV_E_USAGE, "no time given: %s", TIMESPEC_FORMS);
	if (strcasecmp(s, "latest") == 0)
		return SV_OK;
	tzset();
	if (strcasecmp(s, "now") == 0) {
		v->form = TIMESPEC_NOW;
		v->t = now;
		return SV_OK;
	}
	if (s[0] == '-') {
		v->form = TIMESPEC_RELATIVE;
		return parse_relative(s, now, &v->t, err);
	}
	return parse_absolute(s, v, err);
}

void
timespec_echo(const struct timespec_value *v, char *out, size_t outsz)
{
	char	iso[SV_TIME_ISO_MAX], local[96];

	if (v->form == TIMESPEC_LATEST || v->t == SV_TIME_NONE) {
		snprintf(out, outsz, "latest");
		return;
	}
	sv_time_format_iso(v->t, iso, v->t % 1000 != 0);
	sv_time_format_local(v->t, local, sizeof local);
	snprintf(out, outsz, "%s (%s)", iso, local);
}
