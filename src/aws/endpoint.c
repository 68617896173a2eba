/* endpoint.c - service base URLs, S3 addressing style and request URLs.
 * A custom endpoint (moto, MinIO, --endpoint-url) means path style:
 * URL/bucket/key. On AWS a DNS-safe bucket without dots is
 * virtual-hosted (https://BUCKET.s3.REGION.amazonaws.com/key), anything
 * else and GetBucketLocation go path style. */
#include <config.h>	/* the build's, not aws/config.h next to this file */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/endpoint.h"
#include "util/str.h"
#include "util/xalloc.h"

char *
aws_endpoint_default(enum aws_service svc, const char *region)
{
	const char	*suffix = "amazonaws.com";

	if (region == NULL || *region == '\0')
		region = "us-east-1";
	if (str_starts(region, "cn-"))
		suffix = "amazonaws.com.cn";
	return xasprintf("https://%s.%s.%s", aws_service_name(svc), region,
	    suffix);
}

bool
aws_s3_virtual_ok(const char *b)
{
	size_t	n = strlen(b);
	bool	all_digits_dots = true;

	if (n < 3 || n > 63)
		return false;
	if (!isalnum((unsigned char)b[0]) || !isalnum((unsigned char)b[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == '.')
			return false;	/* TLS wildcard certificates cover one label */
		if (!(islower(c) || isdigit(c) || c == '-'))
			return false;
		if (!isdigit(c))
			all_digits_dots = false;
	}
	return !all_digits_dots;
}

void
aws_url_init(struct aws_url *u)
{
	buf_init(&u->url, BUF_MAX_LINE);
	buf_init(&u->path, BUF_MAX_LINE);
	buf_init(&u->query, BUF_MAX_LINE);
	u->host[0] = '\0';
}

void
aws_url_free(struct aws_url *u)
{
	buf_free(&u->url);
	buf_free(&u->path);
	buf_free(&u->query);
}

/* Splits "scheme://authority/prefix" (prefix without a trailing '/'). */
static sv_result
split_base(const char *base, char *scheme, size_t ssz, char *authority,
    size_t asz, const char **prefix, size_t *prefix_len, struct sv_err *err)
{
	const char	*p, *a, *slash;
	size_t		 n;

	if ((p = strstr(base, "://")) == NULL || (size_t)(p - base) >= ssz)
		goto bad;
	memcpy(scheme, base, (size_t)(p - base));
	scheme[p - base] = '\0';
	for (char *c = scheme; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		goto bad;
	a = p + 3;
	slash = a + strcspn(a, "/?#");
	n = (size_t)(slash - a);
	if (n == 0 || n >= asz || memchr(a, '@', n) != NULL)
		goto bad;
	memcpy(authority, a, n);
	authority[n] = '\0';
	if (*slash == '?' || *slash == '#')
		goto bad;
	*prefix = slash;
	*prefix_len = strlen(slash);
	while (*prefix_len > 0 && (*prefix)[*prefix_len - 1] == '/')
		(*prefix_len)--;
	return SV_OK;
bad:
	return sv_err_set(err, SV_E_CONFIG, "endpoint '%s' is not an http:// or "
	    "https:// URL of the form scheme://host[:port][/path]", base);
}

/* The Host header: the port only when it is not the scheme's default. */
static void
host_header(const char *scheme, const char *authority, char *out, size_t outsz)
{
	const char	*colon, *close;
	const char	*def = strcmp(scheme, "https") == 0 ? "443" : "80";
	size_t		 n = strlen(authority);

	close = strrchr(authority, ']');
	colon = strrchr(authority, ':');
	if (colon != NULL && (close == NULL || colon > close) &&
	    strcmp(colon + 1, def) == 0)
		n = (size_t)(colon - authority);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, authority, n);
	out[n] = '\0';
}

static sv_result
add_query(struct aws_url *u, const struct aws_kvlist *q)
{
	sv_result	result = SV_OK;

	if (q == NULL)
		return SV_OK;
	for (size_t i = 0; i < q->n && result == SV_OK; i++) {
		if (i > 0)
			result = buf_addc(&u->query, '&');
		if (result == SV_OK)
			result = str_uri_encode(&u->query, q->v[i].name,
			    strlen(q->v[i].name), false);
		if (result == SV_OK && q->v[i].value != NULL) {
			result = buf_addc(&u->query, '=');
			if (result == SV_OK)
				result = str_uri_encode(&u->query, q->v[i].value,
				    strlen(q->v[i].value), false);
		}
	}
	return result;
}

sv_result
aws_url_build(struct aws_url *u, const char *base, bool custom,
    enum aws_service svc, enum aws_op_id op, const char *bucket,
    const char *key, const char *path, const struct aws_kvlist *query,
    struct sv_err *err)
{
	char		 scheme[16], authority[256], vhost[320];
	const char	*prefix = "";
	size_t		 prefix_len = 0;
	bool		 virtual = false;
	sv_result	 result;

	buf_reset(&u->url);
	buf_reset(&u->path);
	buf_reset(&u->query);
	if ((result = split_base(base, scheme, sizeof scheme, authority,
	    sizeof authority, &prefix, &prefix_len, err)) != SV_OK)
		return result;
	if (bucket != NULL && *bucket == '\0')
		bucket = NULL;
	if (key != NULL && *key == '\0')
		key = NULL;

	if (svc == AWS_SVC_S3 && bucket != NULL && !custom &&
	    op != OP_S3_GetBucketLocation && aws_s3_virtual_ok(bucket)) {
		virtual = true;
		snprintf(vhost, sizeof vhost, "%s.%s", bucket, authority);
		str_lcpy(authority, vhost, sizeof authority);
	}
	host_header(scheme, authority, u->host, sizeof u->host);

	result = buf_add(&u->path, prefix, prefix_len);
	if (svc == AWS_SVC_S3) {
		if (bucket != NULL && !virtual && result == SV_OK) {
			result = buf_addc(&u->path, '/');
			if (result == SV_OK)
				result = str_uri_encode(&u->path, bucket,
				    strlen(bucket), false);
		}
		if (result == SV_OK && (key != NULL || virtual || bucket == NULL))
			result = buf_addc(&u->path, '/');
		/* The key is encoded once, '/' kept, never normalized. */
		if (result == SV_OK && key != NULL)
			result = str_uri_encode(&u->path, key, strlen(key), true);
	} else if (result == SV_OK) {
		if (path == NULL || *path == '\0')
			path = "/";
		if (*path != '/')
			result = buf_addc(&u->path, '/');
		if (result == SV_OK)
			result = buf_adds(&u->path, path);
	}
	if (result == SV_OK)
		result = add_query(u, query);
	if (result == SV_OK)
		result = buf_addf(&u->url, "%s://%s%s%s%s", scheme, authority,
		    buf_str(&u->path), u->query.len > 0 ? "?" : "",
		    buf_str(&u->query));
	if (result != SV_OK)
		return sv_err_set(err, result, "request URL too long");
	return SV_OK;
}
