/* resource.c - parsing and printing resource URIs (s3://, dynamodb://,
 * rds://, rds-cluster://, backup://) and validating the names in them. */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/resource.h"
#include "util/str.h"
#include "util/xalloc.h"

#define RESOURCE_FORMS "s3://BUCKET/KEY, s3://BUCKET/PREFIX/, dynamodb://TABLE, " \
	"rds://INSTANCE, rds-cluster://CLUSTER or backup://VAULT"

static const struct {
	const char		*name;
	enum resource_scheme	 scheme;
	enum resource_kind	 one;		/* kind of a named resource */
	const char		*placeholder;	/* for messages */
} schemes[] = {
	{ "s3",		 RES_S3,	  RES_OBJECT,	"BUCKET" },
	{ "dynamodb",	 RES_DYNAMODB,	  RES_TABLE,	"TABLE" },
	{ "rds",	 RES_RDS,	  RES_INSTANCE,	"INSTANCE" },
	{ "rds-cluster", RES_RDS_CLUSTER, RES_CLUSTER,	"CLUSTER" },
	{ "backup",	 RES_BACKUP,	  RES_VAULT,	"VAULT" },
};
#define NSCHEMES (sizeof schemes / sizeof schemes[0])

const char *
resource_scheme_name(enum resource_scheme s)
{
	for (size_t i = 0; i < NSCHEMES; i++)
		if (schemes[i].scheme == s)
			return schemes[i].name;
	return "?";
}

const char *
resource_kind_name(enum resource_kind k)
{
	switch (k) {
	case RES_ALL:		return "service";
	case RES_BUCKET:	return "bucket";
	case RES_PREFIX:	return "prefix";
	case RES_OBJECT:	return "object";
	case RES_TABLE:		return "table";
	case RES_INSTANCE:	return "DB instance";
	case RES_CLUSTER:	return "DB cluster";
	case RES_VAULT:		return "backup vault";
	}
	return "?";
}

static bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool
is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* The printable form of a bad character for messages. */
static const char *
show_char(char c, char out[8])
{
	if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
		snprintf(out, 8, "\\x%02x", (unsigned char)c);
	else
		snprintf(out, 8, "%c", c);
	return out;
}

static bool
looks_like_ip(const char *s)
{
	int	dots = 0, digits = 0;

	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (digits == 0)
				return false;
			dots++;
			digits = 0;
		} else if (*s >= '0' && *s <= '9') {
			if (++digits > 3)
				return false;
		} else
			return false;
	}
	return dots == 3 && digits > 0;
}

bool
resource_valid_bucket(const char *b, struct sv_err *err)
{
	size_t	len = strlen(b);
	char	cs[8];

	if (len < 3 || len > 63) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid S3 bucket name: "
		    "bucket names are 3 to 63 characters long", b);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_lower_alnum(b[i]) || b[i] == '.' || b[i] == '-')
			continue;
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid S3 bucket name: "
		    "'%s' is not allowed (use lowercase letters, digits, '.' and '-')",
		    b, show_char(b[i], cs));
		return false;
	}
	if (!is_lower_alnum(b[0]) || !is_lower_alnum(b[len - 1])) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid S3 bucket name: "
		    "it must begin and end with a lowercase letter or a digit", b);
		return false;
	}
	if (strstr(b, "..") != NULL) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid S3 bucket name: "
		    "it contains '..'", b);
		return false;
	}
	if (looks_like_ip(b)) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid S3 bucket name: "
		    "it is formatted as an IP address", b);
		return false;
	}
	return true;
}

bool
resource_valid_table(const char *t, struct sv_err *err)
{
	size_t	len = strlen(t);
	char	cs[8];

	if (len < 3 || len > 255) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid DynamoDB table "
		    "name: table names are 3 to 255 characters long", t);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_alnum(t[i]) || t[i] == '_' || t[i] == '-' || t[i] == '.')
			continue;
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid DynamoDB table "
		    "name: '%s' is not allowed (use letters, digits, '_', '-' "
		    "and '.')", t, show_char(t[i], cs));
		return false;
	}
	return true;
}

bool
resource_valid_rds_id(const char *id, const char *what, struct sv_err *err)
{
	size_t	len = strlen(id);
	char	cs[8];

	if (len < 1 || len > 63) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid RDS %s "
		    "identifier: identifiers are 1 to 63 characters long", id, what);
		return false;
	}
	if (!isalpha((unsigned char)id[0]) || (unsigned char)id[0] >= 0x80) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid RDS %s "
		    "identifier: it must begin with a letter", id, what);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_alnum(id[i]) || id[i] == '-')
			continue;
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid RDS %s "
		    "identifier: '%s' is not allowed (use letters, digits and "
		    "'-')", id, what, show_char(id[i], cs));
		return false;
	}
	if (id[len - 1] == '-' || strstr(id, "--") != NULL) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid RDS %s "
		    "identifier: it cannot end with '-' or contain '--'", id, what);
		return false;
	}
	return true;
}

bool
resource_valid_vault(const char *v, struct sv_err *err)
{
	size_t	len = strlen(v);
	char	cs[8];

	if (len < 2 || len > 50) {
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid backup vault "
		    "name: vault names are 2 to 50 characters long", v);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_alnum(v[i]) || v[i] == '_' || v[i] == '-' || v[i] == '.')
			continue;
		sv_err_set(err, SV_E_USAGE, "'%s' is not a valid backup vault "
		    "name: '%s' is not allowed (use letters, digits, '_', '-' "
		    "and '.')", v, show_char(v[i], cs));
		return false;
	}
	return true;
}

static sv_result
parse_s3(const char *uri, const char *rest, struct resource *res,
    struct sv_err *err)
{
	const char	*slash;
	size_t		 klen;

	if (*rest == '\0') {
		res->kind = RES_ALL;
		return SV_OK;
	}
	slash = strchr(rest, '/');
	if (slash == rest)
		return sv_err_set(err, SV_E_USAGE, "'%s' has no bucket name: "
		    "use s3://BUCKET/KEY", uri);
	res->name = slash != NULL ? xstrndup(rest, (size_t)(slash - rest)) :
	    xstrdup(rest);
	if (!resource_valid_bucket(res->name, err))
		return SV_E_USAGE;
	if (slash == NULL || slash[1] == '\0') {
		res->kind = RES_BUCKET;
		res->key = xstrdup("");
		return SV_OK;
	}
	/* The key is everything after the first '/', exactly as typed. */
	klen = strlen(slash + 1);
	if (klen > RESOURCE_KEY_MAX)
		return sv_err_set(err, SV_E_USAGE, "the key in '%.60s...' is %zu "
		    "bytes long: S3 keys are at most %d bytes", uri, klen,
		    RESOURCE_KEY_MAX);
	if (!str_valid_utf8(slash + 1, klen))
		return sv_err_set(err, SV_E_USAGE, "the key in '%s' is not valid "
		    "UTF-8: S3 keys are UTF-8 (check the terminal's locale)", uri);
	res->key = xstrdup(slash + 1);
	res->kind = str_ends(res->key, "/") ? RES_PREFIX : RES_OBJECT;
	return SV_OK;
}

sv_result
resource_parse(const char *uri, struct resource *res, struct sv_err *err)
{
	const char	*sep, *rest;
	size_t		 slen, i, nlen;
	char		*name;
	bool		 valid = true;

	memset(res, 0, sizeof *res);
	if (uri == NULL || *uri == '\0')
		return sv_err_set(err, SV_E_USAGE, "empty resource: use "
		    RESOURCE_FORMS);
	sep = strstr(uri, "://");
	if (sep == NULL)
		return sv_err_set(err, SV_E_USAGE, "'%s' is not a resource URI: "
		    "use " RESOURCE_FORMS, uri);
	slen = (size_t)(sep - uri);
	for (i = 0; i < NSCHEMES; i++)
		if (strlen(schemes[i].name) == slen &&
		    strncasecmp(schemes[i].name, uri, slen) == 0)
			break;
	if (i == NSCHEMES)
		return sv_err_set(err, SV_E_USAGE, "unknown resource type "
		    "'%.*s://' in '%s': use " RESOURCE_FORMS, (int)slen, uri, uri);
	res->scheme = schemes[i].scheme;
	rest = sep + 3;
	if (res->scheme == RES_S3)
		return parse_s3(uri, rest, res, err);

	/* One name, optionally followed by a single '/'. */
	nlen = strlen(rest);
	if (nlen > 0 && rest[nlen - 1] == '/')
		nlen--;
	if (nlen == 0) {
		res->kind = RES_ALL;
		return SV_OK;
	}
	name = res->name = xstrndup(rest, nlen);
	if (strchr(name, '/') != NULL)
		return sv_err_set(err, SV_E_USAGE, "'%s': %s://%s takes a name, "
		    "not a path", uri, schemes[i].name, schemes[i].placeholder);
	res->kind = schemes[i].one;
	switch (res->scheme) {
	case RES_DYNAMODB:
		valid = resource_valid_table(name, err);
		break;
	case RES_RDS:
		valid = resource_valid_rds_id(name, "DB instance", err);
		break;
	case RES_RDS_CLUSTER:
		valid = resource_valid_rds_id(name, "DB cluster", err);
		break;
	case RES_BACKUP:
		valid = resource_valid_vault(name, err);
		break;
	case RES_S3:
		break;
	}
	return valid ? SV_OK : SV_E_USAGE;
}

void
resource_free(struct resource *res)
{
	xfree(res->name);
	xfree(res->key);
}

void
resource_copy(struct resource *dst, const struct resource *src)
{
	*dst = *src;
	dst->name = src->name != NULL ? xstrdup(src->name) : NULL;
	dst->key = src->key != NULL ? xstrdup(src->key) : NULL;
}

bool
resource_arn_split(const char *arn, struct resource_arn *a)
{
	char		*field[4] = { a->partition, a->service, a->region, a->account };
	const size_t	 size[4] = { sizeof a->partition, sizeof a->service,
			    sizeof a->region, sizeof a->account };
	const char	*p, *c;

	memset(a, 0, sizeof *a);
	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return false;
	p = arn + 4;
	for (int i = 0; i < 4; i++) {
		if ((c = strchr(p, ':')) == NULL || (size_t)(c - p) >= size[i])
			return false;
		memcpy(field[i], p, (size_t)(c - p));
		field[i][c - p] = '\0';
		p = c + 1;
	}
	a->resource = p;
	return true;
}

char *
resource_uri_from_arn(const char *arn, char *region, size_t regionsz)
{
	struct resource_arn	 a;
	const char		*r;
	char			*uri = NULL;
	struct resource		 res;
	struct sv_err		 err;

	if (region != NULL && regionsz > 0)
		region[0] = '\0';
	if (!resource_arn_split(arn, &a))
		return NULL;
	r = a.resource;
	if (strcmp(a.service, "dynamodb") == 0 && strncmp(r, "table/", 6) == 0 &&
	    strchr(r + 6, '/') == NULL)
		uri = xasprintf("dynamodb://%s", r + 6);
	else if (strcmp(a.service, "rds") == 0 && strncmp(r, "db:", 3) == 0)
		uri = xasprintf("rds://%s", r + 3);
	else if (strcmp(a.service, "rds") == 0 && strncmp(r, "cluster:", 8) == 0)
		uri = xasprintf("rds-cluster://%s", r + 8);
	else if (strcmp(a.service, "s3") == 0 && a.region[0] == '\0' &&
	    strchr(r, '/') == NULL)
		uri = xasprintf("s3://%s/", r);
	if (uri == NULL)
		return NULL;
	/* Only what resource_parse takes (a name AWS would accept). */
	memset(&res, 0, sizeof res);
	sv_err_init(&err);
	if (resource_parse(uri, &res, &err) != SV_OK) {
		free(uri);
		uri = NULL;
	} else if (region != NULL && regionsz > 0)
		str_lcpy(region, a.region, regionsz);
	resource_free(&res);
	return uri;
}

char *
resource_uri(const struct resource *res)
{
	const char	*scheme = resource_scheme_name(res->scheme);

	if (res->kind == RES_ALL || res->name == NULL)
		return xasprintf("%s://", scheme);
	if (res->scheme == RES_S3)
		return xasprintf("s3://%s/%s", res->name,
		    res->key != NULL ? res->key : "");
	return xasprintf("%s://%s", scheme, res->name);
}
