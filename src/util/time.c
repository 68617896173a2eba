/* time.c - parsing and formatting of instants. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/str.h"
#include "util/time.h"

sv_time
sv_time_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (sv_time)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
sv_monotonic_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

sv_time
sv_time_from_epoch(double seconds)
{
	double	ms = seconds * 1000.0;

	return (sv_time)(ms < 0 ? ms - 0.5 : ms + 0.5);
}

static bool
digits(const char *s, int n, int *out)
{
	int	v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since the epoch of a proleptic Gregorian date (no timegm needed). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t	era = (y >= 0 ? y : y - 399) / 400;
	int64_t	yoe = y - era * 400;
	int64_t	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

sv_result
sv_time_parse_iso(const char *s, sv_time *out)
{
	int	Y, M, D, h, m, sec = 0, ms = 0, oh = 0, om = 0, sign = 0;
	const char *p = s;

	if (!digits(p, 4, &Y) || p[4] != '-' || !digits(p + 5, 2, &M) ||
	    p[7] != '-' || !digits(p + 8, 2, &D))
		return SV_E_PARSE;
	p += 10;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return SV_E_PARSE;
	p++;
	if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &m))
		return SV_E_PARSE;
	p += 5;
	if (*p == ':') {
		if (!digits(p + 1, 2, &sec))
			return SV_E_PARSE;
		p += 3;
		if (*p == '.' || *p == ',') {
			int	scale = 100;

			p++;
			if (!isdigit((unsigned char)*p))
				return SV_E_PARSE;
			while (isdigit((unsigned char)*p)) {
				ms += (*p - '0') * scale;
				scale /= 10;
				p++;
			}
		}
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		p++;
		if (!digits(p, 2, &oh))
			return SV_E_PARSE;
		p += 2;
		if (*p == ':')
			p++;
		if (!digits(p, 2, &om))
			return SV_E_PARSE;
		p += 2;
	} else
		return SV_E_PARSE;	/* no zone: ambiguous, refuse */
	if (*p != '\0')
		return SV_E_PARSE;
	if (M < 1 || M > 12 || D < 1 || D > mdays(Y, M) || h > 23 || m > 59 ||
	    sec > 60 || oh > 23 || om > 59)
		return SV_E_PARSE;
	if (sec == 60)
		sec = 59;	/* leap second: clamp */
	int64_t	t = days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec;
	t -= sign * (oh * 3600 + om * 60);
	*out = t * 1000 + ms;
	return SV_OK;
}

sv_result
sv_time_parse_http(const char *s, sv_time *out)
{
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char	wd[4], mname[4], zone[4];
	int	D, Y, h, m, sec, M = 0;

	if (sscanf(s, "%3[A-Za-z], %d %3s %d %d:%d:%d %3s", wd, &D, mname, &Y, &h, &m,
	    &sec, zone) != 8 || strcmp(zone, "GMT") != 0)
		return SV_E_PARSE;
	for (int i = 0; i < 12; i++)
		if (strcmp(mname, mon[i]) == 0)
			M = i + 1;
	if (M == 0 || D < 1 || D > mdays(Y, M) || h > 23 || m > 59 || sec > 60)
		return SV_E_PARSE;
	*out = (days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec) * 1000;
	return SV_OK;
}

static void
split(sv_time t, struct tm *tm, int *ms)
{
	time_t	secs = (time_t)(t >= 0 ? t / 1000 : (t - 999) / 1000);

	*ms = (int)(t - (sv_time)secs * 1000);
	gmtime_r(&secs, tm);
}

void
sv_time_format_iso(sv_time t, char out[SV_TIME_ISO_MAX], bool with_ms)
{
	struct tm tm;
	int	  ms;

	split(t, &tm, &ms);
	if (with_ms)
		snprintf(out, SV_TIME_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ms);
	else
		snprintf(out, SV_TIME_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
}

void
sv_time_format_amz(sv_time t, char out[17])
{
	struct tm tm;
	int	  ms;

	split(t, &tm, &ms);
	snprintf(out, 17, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
sv_time_format_local(sv_time t, char *out, size_t outsz)
{
	time_t	  secs = (time_t)(t / 1000);
	struct tm tm;
	long	  off;
	char	  base[64];

	localtime_r(&secs, &tm);
	strftime(base, sizeof base, "%Y-%m-%d %H:%M:%S %Z", &tm);
	off = tm.tm_gmtoff;
	snprintf(out, outsz, "%s (%c%02ld:%02ld)", base, off < 0 ? '-' : '+',
	    labs(off) / 3600, (labs(off) % 3600) / 60);
}

void
sv_duration_format(int64_t ms, char *out, size_t outsz)
{
	int64_t	s = ms / 1000;
	const char *neg = "";

	if (s < 0) {
		neg = "-";
		s = -s;
	}
	if (s >= 86400)
		snprintf(out, outsz, "%s%lldd %lldh", neg, (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(out, outsz, "%s%lldh %02lldm", neg, (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(out, outsz, "%s%lldm %02llds", neg, (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(out, outsz, "%s%llds", neg, (long long)s);
}
