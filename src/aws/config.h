/* config.h - AWS settings resolved as the AWS CLI resolves them: command
 * line, environment, then the shared config and credentials files. */
#ifndef SALVAGE_AWS_CONFIG_H
#define SALVAGE_AWS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/ops.h"
#include "util/err.h"

/* What the command line said (NULL = not given). */
struct aws_options {
	const char	*profile;	/* --profile */
	const char	*region;	/* --region */
	const char	*endpoint_url;	/* --endpoint-url (all services) */
};

struct aws_ini;		/* a parsed INI file (config or credentials) */

struct aws_config {
	char		*profile;		/* effective profile name */
	bool		 profile_explicit;	/* --profile or AWS_PROFILE */
	char		*profile_source;	/* "--profile", "AWS_PROFILE" or "default"
						   (botocore skips environment
						   credentials only for --profile) */
	char		*region;		/* NULL if none found */
	char		*region_source;		/* "--region", "AWS_REGION", "profile dev", ... */
	char		*endpoint[AWS_SVC__COUNT];	/* custom endpoint or NULL */
	char		*endpoint_source[AWS_SVC__COUNT];
	char		*ca_bundle;		/* AWS_CA_BUNDLE or profile ca_bundle */
	int		 max_attempts;		/* AWS_MAX_ATTEMPTS / profile; default 3 */
	char		*retry_mode;		/* "standard" (default), "legacy", "adaptive" */
	char		*config_file;		/* path used (may not exist) */
	char		*credentials_file;
	struct aws_ini	*config_ini;		/* NULL if the file does not exist */
	struct aws_ini	*credentials_ini;
};

sv_result	 aws_config_load(struct aws_config *, const struct aws_options *,
		    struct sv_err *);
void		 aws_config_free(struct aws_config *);
/* A value of a profile: credentials file "[name]" first (botocore merges
 * it over the config file for every key), then config file
 * "[profile name]" ("[default]" for default). NULL if absent. profile
 * NULL: the effective profile. */
const char	*aws_config_get(const struct aws_config *, const char *profile,
		    const char *key);
/* True if the profile exists in either file. */
bool		 aws_config_has_profile(const struct aws_config *, const char *);

/* INI parsing (exposed for tests and fuzzing), as botocore's
 * RawConfigParser: section names are case-sensitive, keys are folded to
 * lowercase; "key = value" or "key: value", whole-line '#' and ';'
 * comments (inline ones are part of the value); indented continuation
 * lines belong to the key above, and under a key with an empty value
 * they are nested pairs stored as "key.sub" (s3 =\n  addressing_style =
 * path -> "s3.addressing_style"). */
struct aws_ini	*aws_ini_parse(const char *text, size_t len, const char *filename,
		    struct sv_err *);
struct aws_ini	*aws_ini_load(const char *path, struct sv_err *); /* NULL+SV_OK if missing */
const char	*aws_ini_get(const struct aws_ini *, const char *section, const char *key);
bool		 aws_ini_has_section(const struct aws_ini *, const char *section);
void		 aws_ini_free(struct aws_ini *);

#endif
