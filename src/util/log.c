/* log.c - debug trace and warnings. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "util/log.h"

static bool		 debug_on;
static sv_log_sink	 sink;
static void		*sink_data;

void
sv_log_set_debug(bool on)
{
	debug_on = on;
}

bool
sv_log_debug_enabled(void)
{
	return debug_on;
}

void
sv_log_set_sink(sv_log_sink fn, void *data)
{
	sink = fn;
	sink_data = data;
}

static void
emit(const char *prefix, const char *fmt, va_list ap)
{
	char	line[4096];
	int	n;

	n = snprintf(line, sizeof line, "%s", prefix);
	if (n < 0)
		return;
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (sink != NULL)
		sink(sink_data, line);
	else
		fprintf(stderr, "%s\n", line);
}

void
sv_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!debug_on)
		return;
	va_start(ap, fmt);
	emit("salvage: debug: ", fmt, ap);
	va_end(ap);
}

void
sv_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	emit("salvage: warning: ", fmt, ap);
	va_end(ap);
}
