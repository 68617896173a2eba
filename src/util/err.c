/* err.c - result codes, messages and exit statuses. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "util/str.h"

static const struct {
	const char	*text;
	int		 exit_status;
} results[SV_E__COUNT] = {
	[SV_OK] =		{ "success", SV_EXIT_OK },
	[SV_E_USAGE] =		{ "usage error", SV_EXIT_USAGE },
	[SV_E_NOMEM] =		{ "out of memory", SV_EXIT_ERROR },
	[SV_E_IO] =		{ "local I/O error", SV_EXIT_ERROR },
	[SV_E_PARSE] =		{ "response could not be parsed", SV_EXIT_BADRESPONSE },
	[SV_E_TOOLARGE] =	{ "size limit exceeded", SV_EXIT_BADRESPONSE },
	[SV_E_NET] =		{ "network error", SV_EXIT_NETWORK },
	[SV_E_TIMEOUT] =	{ "timed out", SV_EXIT_NETWORK },
	[SV_E_CANCELLED] =	{ "cancelled", SV_EXIT_INTERRUPTED },
	[SV_E_CREDS] =		{ "credentials missing, invalid or expired", SV_EXIT_CREDS },
	[SV_E_DENIED] =		{ "access denied", SV_EXIT_DENIED },
	[SV_E_NOTFOUND] =	{ "not found", SV_EXIT_NOTFOUND },
	[SV_E_AWS] =		{ "AWS service error", SV_EXIT_ERROR },
	[SV_E_THROTTLED] =	{ "throttled (retries exhausted)", SV_EXIT_NETWORK },
	[SV_E_READONLY] =	{ "refused: read-only mode", SV_EXIT_READONLY },
	[SV_E_AUDIT] =		{ "audit log could not be written", SV_EXIT_ERROR },
	[SV_E_CONFIG] =		{ "configuration error", SV_EXIT_ERROR },
	[SV_E_EXISTS] =		{ "already exists", SV_EXIT_ERROR },
	[SV_E_INVALID] =	{ "invalid request", SV_EXIT_USAGE },
	[SV_E_MISMATCH] =	{ "verification found differences", SV_EXIT_MISMATCH },
	[SV_E_PARTIAL] =	{ "incomplete: failed part-way", SV_EXIT_PARTIAL },
};

void
sv_err_init(struct sv_err *e)
{
	e->code = SV_OK;
	e->msg[0] = '\0';
}

sv_result
sv_err_setv(struct sv_err *e, sv_result code, const char *fmt, va_list ap)
{
	if (e == NULL || e->code != SV_OK)
		return code;
	e->code = code;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	return code;
}

sv_result
sv_err_set(struct sv_err *e, sv_result code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	sv_err_setv(e, code, fmt, ap);
	va_end(ap);
	return code;
}

void
sv_err_prefix(struct sv_err *e, const char *fmt, ...)
{
	char	prefix[256], old[SV_ERR_MSG_MAX];
	va_list	ap;

	if (e == NULL || e->code == SV_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	/* Truncation keeps the start of the message: acceptable. */
	size_t	n = str_lcpy(e->msg, prefix, sizeof e->msg);
	if (n + 2 < sizeof e->msg) {
		memcpy(e->msg + n, ": ", 3);
		str_lcpy(e->msg + n + 2, old, sizeof e->msg - n - 2);
	}
}

const char *
sv_result_str(sv_result r)
{
	if ((unsigned)r >= SV_E__COUNT)
		return "unknown error";
	return results[r].text;
}

int
sv_result_exit(sv_result r)
{
	if ((unsigned)r >= SV_E__COUNT)
		return SV_EXIT_ERROR;
	return results[r].exit_status;
}
