/* sts.h - AWS STS GetCallerIdentity: who the credentials belong to (no
 * permission needed; the identity shown in the header and written to
 * the audit log). Asynchronous, as every svc call (see svc.h). */
#ifndef SALVAGE_SVC_STS_H
#define SALVAGE_SVC_STS_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"

struct sts_identity {
	const char	*account;	/* "123456789012" */
	const char	*arn;		/* "arn:aws:iam::123456789012:user/alice" */
	const char	*user_id;	/* UserId: "AIDA..." or "AROA...:session" */
};

/* Strings are valid only during the callback. */
typedef bool (*sts_identity_fn)(void *, const struct sts_identity *);

struct svc_op	*sts_get_caller_identity(struct aws_client *, sts_identity_fn,
		    svc_done_fn, void *);

/* Parses a GetCallerIdentityResponse body (or an ErrorResponse: error). */
sv_result	 sts_parse_caller_identity(const char *xml, size_t len,
		    sts_identity_fn, void *data, struct sv_err *);

#endif
