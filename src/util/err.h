/* err.h - the one error convention: a result code, a first-error-wins
 * message, one code -> message table and one code -> exit status table. */
#ifndef SALVAGE_UTIL_ERR_H
#define SALVAGE_UTIL_ERR_H

#include <stdarg.h>

typedef enum sv_result {
	SV_OK = 0,
	SV_E_USAGE,		/* bad command line or arguments */
	SV_E_NOMEM,		/* allocation failed (normally aborts) */
	SV_E_IO,		/* local file or system call failed */
	SV_E_PARSE,		/* a response or file could not be parsed */
	SV_E_TOOLARGE,		/* a size cap was exceeded */
	SV_E_NET,		/* connection failed / network down */
	SV_E_TIMEOUT,		/* request or wait timed out */
	SV_E_CANCELLED,		/* cancelled by the operator */
	SV_E_CREDS,		/* no credentials, or invalid / expired ones */
	SV_E_DENIED,		/* access denied by IAM */
	SV_E_NOTFOUND,		/* no such bucket/key/table/instance */
	SV_E_AWS,		/* any other service error */
	SV_E_THROTTLED,		/* throttled and retries exhausted */
	SV_E_READONLY,		/* refused: process is read-only */
	SV_E_AUDIT,		/* audit log could not be written */
	SV_E_CONFIG,		/* bad configuration file or profile */
	SV_E_EXISTS,		/* target already exists */
	SV_E_INVALID,		/* request invalid before sending */
	SV_E_MISMATCH,		/* verification found differences */
	SV_E_PARTIAL,		/* a listing failed part-way */
	SV_E__COUNT
} sv_result;

#define SV_ERR_MSG_MAX 1024

struct sv_err {
	sv_result	code;
	char		msg[SV_ERR_MSG_MAX];
};

/* Exit statuses, documented in salvage(1). Stable: scripts depend on them. */
enum sv_exit {
	SV_EXIT_OK = 0,
	SV_EXIT_ERROR = 1,
	SV_EXIT_USAGE = 2,
	SV_EXIT_READONLY = 3,
	SV_EXIT_CREDS = 4,
	SV_EXIT_DENIED = 5,
	SV_EXIT_NOTFOUND = 6,
	SV_EXIT_NETWORK = 7,
	SV_EXIT_BADRESPONSE = 8,
	SV_EXIT_MISMATCH = 9,
	SV_EXIT_PARTIAL = 10,
	SV_EXIT_INTERRUPTED = 130
};

void		 sv_err_init(struct sv_err *);
/* Sets code and message unless an error is already recorded (first wins).
 * Returns code, so `return sv_err_set(err, SV_E_IO, "...")` works. */
sv_result	 sv_err_set(struct sv_err *, sv_result, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
sv_result	 sv_err_setv(struct sv_err *, sv_result, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
/* Prefixes context to an existing message ("listing bucket x: ..."). */
void		 sv_err_prefix(struct sv_err *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*sv_result_str(sv_result);
int		 sv_result_exit(sv_result);

#endif
