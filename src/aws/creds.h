/* creds.h - the credential chain, in the AWS CLI's order: environment
 * (unless --profile), the profile (static keys, credential_process,
 * role_arn + source_profile through STS AssumeRole, IAM Identity Center
 * with the token `aws sso login` cached), container
 * credentials, then IMDSv2. Temporary credentials are refreshed ~15 min
 * before they expire. Secrets are wiped on free and never logged. */
#ifndef SALVAGE_AWS_CREDS_H
#define SALVAGE_AWS_CREDS_H

#include "aws/config.h"
#include "util/time.h"

struct http_engine;

struct aws_creds {
	char	*access_key_id;
	char	*secret_access_key;
	char	*session_token;		/* NULL if none */
	sv_time	 expiration;		/* SV_TIME_NONE if none */
	char	 source[160];		/* "environment", "profile dev (~/.aws/credentials)",
					   "credential_process (profile ci)",
					   "assume-role arn:... via profile base", "IMDSv2" */
};

struct aws_creds_provider;

struct aws_creds_provider *aws_creds_provider_new(const struct aws_config *,
		    struct http_engine *);
void		 aws_creds_provider_free(struct aws_creds_provider *);
/* Current credentials, resolving or refreshing if needed (may block for a
 * credential_process or an STS/IMDS round trip). On failure the error
 * names every place it looked. *out stays owned by the provider. */
sv_result	 aws_creds_get(struct aws_creds_provider *, const struct aws_creds **out,
		    struct sv_err *);
/* Forget cached credentials (after an ExpiredToken error). */
void		 aws_creds_invalidate(struct aws_creds_provider *);
/* Wipes (OPENSSL_cleanse) and frees the strings. */
void		 aws_creds_clear(struct aws_creds *);

/* credential_process output parser (exposed for tests and fuzzing). */
sv_result	 aws_creds_parse_process_output(const char *, size_t,
		    struct aws_creds *, struct sv_err *);

#endif
