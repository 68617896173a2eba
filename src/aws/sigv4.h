/* sigv4.h - AWS Signature Version 4 in three separately testable stages
 * (canonical request -> string to sign -> signature) with an injectable
 * clock (the caller passes the time). Secrets are wiped after use. */
#ifndef SALVAGE_AWS_SIGV4_H
#define SALVAGE_AWS_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/time.h"

#define SIGV4_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct sigv4_header {
	const char	*name;
	const char	*value;
};

/* A request as it will be sent. */
struct sigv4_request {
	const char			*method;	/* "GET" */
	/* The path exactly as it goes on the wire (S3: the key encoded once
	 * by the caller). Non-S3 services: normalized (if normalize) and
	 * encoded again by the signer ("double encoding"). */
	const char			*path;
	/* The query string exactly as it goes on the wire, without '?',
	 * or NULL/"" for none. The signer decodes and re-encodes each name
	 * and value (RFC 3986) and sorts them. */
	const char			*query;
	/* Headers to sign; must include "host". Repeated names are joined
	 * with ','; values are trimmed and inner runs of spaces collapsed. */
	const struct sigv4_header	*headers;
	size_t				 nheaders;
	const void			*body;
	size_t				 body_len;
	/* Hex SHA-256 of the payload if already known (or
	 * "UNSIGNED-PAYLOAD"); NULL to hash body. */
	const char			*payload_hash;
};

struct sigv4_params {
	const char	*access_key_id;
	const char	*secret_access_key;
	const char	*session_token;		/* NULL if none */
	const char	*region;		/* "us-east-1" */
	const char	*service;		/* signing name: "s3" */
	sv_time		 now;			/* injectable clock */
	bool		 s3;			/* S3 rules: no normalize, encode once, x-amz-content-sha256 */
	bool		 normalize;		/* remove dot segments (non-S3) */
	bool		 omit_session_token;	/* add the token after signing (not signed) */
};

/* Stage 1. out: the canonical request; signed_headers: "host;x-amz-date". */
sv_result	sigv4_canonical_request(const struct sigv4_request *,
		    const struct sigv4_params *, struct buf *out,
		    struct buf *signed_headers, struct sv_err *);
/* Stage 2. */
sv_result	sigv4_string_to_sign(const char *canonical_request,
		    const struct sigv4_params *, struct buf *out, struct sv_err *);
/* Stage 3: hex signature (64 chars + NUL). Derived keys are wiped. */
sv_result	sigv4_signature(const char *string_to_sign,
		    const struct sigv4_params *, char out[65], struct sv_err *);

/* The headers to add to the request, as produced by sigv4_sign(). */
struct sigv4_result {
	char	amz_date[17];		/* X-Amz-Date */
	char	content_sha256[65];	/* x-amz-content-sha256 (S3), "" otherwise */
	struct buf authorization;	/* Authorization header value */
	/* For --debug: the stages (never secrets). */
	struct buf canonical_request;
	struct buf string_to_sign;
};

void		sigv4_result_init(struct sigv4_result *);
void		sigv4_result_free(struct sigv4_result *);
/* All three stages. The request's headers must contain host. X-Amz-Date
 * (r->amz_date = sv_time_format_amz(now)), x-amz-content-sha256 for S3
 * (r->content_sha256) and X-Amz-Security-Token when there is a token
 * (unless omit_session_token) are signed whether or not they are already
 * among the headers: the caller must send them with these values. */
sv_result	sigv4_sign(const struct sigv4_request *, const struct sigv4_params *,
		    struct sigv4_result *, struct sv_err *);
/* Hex SHA-256 of data into out[65]. */
void		sigv4_sha256_hex(const void *, size_t, char out[65]);

#endif
