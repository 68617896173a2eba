/* fmt.c - time display for the console: UTC by default, local on 't'. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/fmt.h"
#include "util/str.h"

static bool	fmt_local;

void
ui_time_set_local(bool local)
{
	fmt_local = local;
}

bool
ui_time_local(void)
{
	return fmt_local;
}

void
ui_time_format(sv_time t, char *out, size_t outsz)
{
	char	iso[SV_TIME_ISO_MAX];

	if (t == SV_TIME_NONE) {
		str_lcpy(out, "-", outsz);
		return;
	}
	if (fmt_local) {
		sv_time_format_local(t, out, outsz);
		return;
	}
	sv_time_format_iso(t, iso, false);
	str_lcpy(out, iso, outsz);
}

int
ui_time_width(void)
{
	char	buf[64];
	int	w;

	if (!fmt_local)
		return 20;
	/* Zone abbreviations differ in length ("UTC", "CEST", "+0530"). */
	ui_time_format(0, buf, sizeof buf);
	w = (int)strlen(buf);
	return w < 26 ? 26 : w + 1;
}
