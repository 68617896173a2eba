/* sigv4.c - AWS Signature Version 4 (header signing) in three stages:
 * canonical request -> string to sign -> signature, following aws-c-auth's
 * rules (source/aws_signing.c) and checked against the published suite in
 * tests/sigv4/. The caller passes the time; derived keys and the
 * "AWS4"+secret buffer are wiped with OPENSSL_cleanse. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "aws/sigv4.h"
#include "util/str.h"
#include "util/xalloc.h"

#define SIGV4_ALGORITHM	"AWS4-HMAC-SHA256"
#define SIGV4_TERMINATOR "aws4_request"

/* Headers never signed: aws-c-auth's skip list (x-amzn-trace-id,
 * user-agent, connection, expect, upgrade, sec-websocket-*), the header
 * the signature goes into, and the rest of the hop-by-hop headers a proxy
 * may change (as botocore). */
static const char *sigv4_skipped[] = {
	"authorization",
	"connection",
	"expect",
	"keep-alive",
	"proxy-authenticate",
	"proxy-authorization",
	"proxy-connection",
	"sec-websocket-key",
	"sec-websocket-protocol",
	"sec-websocket-version",
	"te",
	"trailer",
	"transfer-encoding",
	"upgrade",
	"user-agent",
	"x-amzn-trace-id",
};

/* One header on its way into the canonical block. */
struct sigv4_hdr {
	char		*lname;		/* lowercased name (owned) */
	const char	*value;		/* as given (not owned) */
	size_t		 index;		/* original position, for a stable sort */
};

/* One query parameter, both halves canonically encoded (owned). */
struct sigv4_param {
	char	*name;
	char	*value;
};

static sv_result
sigv4_toolarge(struct sv_err *err, const char *what)
{
	return sv_err_set(err, SV_E_TOOLARGE,
	    "signing: the %s is larger than %u bytes; the request is too big "
	    "to sign (long query or headers?)", what, BUF_MAX_SIGV4);
}

void
sigv4_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0;

	if (!EVP_Digest(data != NULL ? data : "", len, md, &mdlen,
	    EVP_sha256(), NULL) || mdlen != 32) {
		/* A libcrypto without SHA-256 cannot sign anything. */
		fprintf(stderr, "salvage: OpenSSL SHA-256 failed\n");
		abort();
	}
	str_hex(out, md, 32);
}

static bool
sigv4_skip_header(const char *lname)
{
	size_t	i;

	for (i = 0; i < sizeof sigv4_skipped / sizeof sigv4_skipped[0]; i++) {
		if (strcmp(lname, sigv4_skipped[i]) == 0)
			return true;
	}
	return false;
}

/* Removes '.' and empty segments and resolves '..', as aws-c-auth does for
 * the suite's *-normalized cases; a trailing '/' is kept. */
static sv_result
sigv4_normalize_path(const char *path, struct buf *out)
{
	const char	**segs;
	size_t		 *lens, nsegs = 0, cap = 1, i;
	const char	 *p, *slash;
	size_t		  len = strlen(path);
	bool		  trailing = len > 0 && path[len - 1] == '/';
	sv_result	  result = SV_OK;

	for (p = path; *p != '\0'; p++) {
		if (*p == '/')
			cap++;
	}
	segs = xreallocarray(NULL, cap, sizeof *segs);
	lens = xreallocarray(NULL, cap, sizeof *lens);
	for (p = path; *p != '\0'; p = *slash != '\0' ? slash + 1 : slash) {
		size_t	n;

		slash = strchr(p, '/');
		if (slash == NULL)
			slash = p + strlen(p);
		n = (size_t)(slash - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (nsegs > 0)
				nsegs--;
			continue;
		}
		segs[nsegs] = p;
		lens[nsegs++] = n;
	}

	result = buf_addc(out, '/');
	for (i = 0; i < nsegs && result == SV_OK; i++) {
		result = buf_add(out, segs[i], lens[i]);
		if (result == SV_OK && (i + 1 < nsegs || trailing))
			result = buf_addc(out, '/');
	}
	free(segs);
	free(lens);
	return result;
}

/* The canonical URI. S3: the wire path as given (encoded once by the
 * caller). Others: normalized if asked, then encoded again. */
static sv_result
sigv4_canonical_path(const char *path, const struct sigv4_params *params,
    struct buf *out)
{
	struct buf	norm;
	sv_result	result;

	if (path == NULL || *path == '\0')
		return buf_addc(out, '/');
	if (params->s3)
		return buf_adds(out, path);

	buf_init(&norm, BUF_MAX_SIGV4);
	if (params->normalize) {
		if ((result = sigv4_normalize_path(path, &norm)) != SV_OK)
			goto fail;
	} else if ((result = buf_adds(&norm, path)) != SV_OK)
		goto fail;
	result = str_uri_encode(out, norm.ptr, norm.len, true);

fail:
	buf_free(&norm);
	return result;
}

/* Percent-decodes then RFC 3986 encodes one half of a parameter. */
static sv_result
sigv4_reencode(const char *s, size_t n, char **out, struct sv_err *err)
{
	struct buf	dec, enc;
	sv_result	result;

	*out = NULL;
	buf_init(&dec, BUF_MAX_SIGV4);
	buf_init(&enc, BUF_MAX_SIGV4);
	result = str_uri_decode(&dec, s, n, false);
	if (result == SV_E_PARSE) {
		result = sv_err_set(err, SV_E_INVALID,
		    "signing: the query string has a malformed %%-escape in "
		    "'%.*s'", (int)(n > 64 ? 64 : n), s);
		goto fail;
	}
	if (result != SV_OK) {
		sigv4_toolarge(err, "query string");
		goto fail;
	}
	if ((result = str_uri_encode(&enc, dec.ptr != NULL ? dec.ptr : "",
	    dec.len, false)) != SV_OK) {
		sigv4_toolarge(err, "query string");
		goto fail;
	}
	*out = buf_detach(&enc);

fail:
	buf_free(&dec);
	buf_free(&enc);
	return result;
}

static int
sigv4_param_cmp(const void *a, const void *b)
{
	const struct sigv4_param *pa = a, *pb = b;
	int	c;

	if ((c = strcmp(pa->name, pb->name)) != 0)
		return c;
	return strcmp(pa->value, pb->value);
}

/* The canonical query: split on '&', each part on its first '=', decode,
 * re-encode, sort by name then value; "name" alone becomes "name=". */
static sv_result
sigv4_canonical_query(const char *query, struct buf *out, struct sv_err *err)
{
	struct sigv4_param	*ps = NULL;
	size_t			 np = 0, cap = 0, i;
	const char		*p, *amp, *eq;
	sv_result		 result = SV_OK;

	if (query == NULL)
		return SV_OK;
	for (p = query; *p != '\0'; p = *amp != '\0' ? amp + 1 : amp) {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		if (amp == p)
			continue;	/* "a=1&&b=2" */
		eq = memchr(p, '=', (size_t)(amp - p));
		if (np == cap) {
			cap = cap != 0 ? cap * 2 : 8;
			ps = xreallocarray(ps, cap, sizeof *ps);
		}
		ps[np].name = ps[np].value = NULL;
		np++;
		result = sigv4_reencode(p, (size_t)((eq != NULL ? eq : amp) - p),
		    &ps[np - 1].name, err);
		if (result != SV_OK)
			goto fail;
		if (eq != NULL)
			result = sigv4_reencode(eq + 1, (size_t)(amp - eq - 1),
			    &ps[np - 1].value, err);
		else
			ps[np - 1].value = xstrdup("");
		if (result != SV_OK)
			goto fail;
	}
	if (np > 1)
		qsort(ps, np, sizeof *ps, sigv4_param_cmp);
	for (i = 0; i < np && result == SV_OK; i++) {
		result = buf_addf(out, "%s%s=%s", i > 0 ? "&" : "", ps[i].name,
		    ps[i].value);
	}
	if (result != SV_OK)
		sigv4_toolarge(err, "canonical query string");

fail:
	for (i = 0; i < np; i++) {
		free(ps[i].name);
		free(ps[i].value);
	}
	free(ps);
	return result;
}

static int
sigv4_hdr_cmp(const void *a, const void *b)
{
	const struct sigv4_hdr *ha = a, *hb = b;
	int	c;

	if ((c = strcmp(ha->lname, hb->lname)) != 0)
		return c;
	return ha->index < hb->index ? -1 : ha->index > hb->index;
}

/* Appends a value trimmed, with every run of white space made one space. */
static sv_result
sigv4_add_trimmed(struct buf *out, const char *v)
{
	const char	*end;
	sv_result	 result = SV_OK;
	bool		 space = false;

	while (isspace((unsigned char)*v))
		v++;
	end = v + strlen(v);
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	for (; v < end && result == SV_OK; v++) {
		if (isspace((unsigned char)*v)) {
			if (!space)
				result = buf_addc(out, ' ');
			space = true;
		} else {
			result = buf_addc(out, *v);
			space = false;
		}
	}
	return result;
}

static bool
sigv4_has_header(const struct sigv4_hdr *hs, size_t n, const char *lname)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(hs[i].lname, lname) == 0)
			return true;
	}
	return false;
}

static char *
sigv4_lower(const char *s)
{
	char	*l = xstrdup(s), *p;

	for (p = l; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/* The canonical header block (each "name:value\n") and the signed headers
 * list. The headers X-Amz-Date, x-amz-content-sha256 (S3) and
 * X-Amz-Security-Token (with a token, unless omitted) are signed even when
 * the caller has not added them yet: it must send them (sigv4_result). */
static sv_result
sigv4_canonical_headers(const struct sigv4_request *req,
    const struct sigv4_params *params, const char *amz_date,
    const char *payload_hash, struct buf *out, struct buf *signed_headers,
    struct sv_err *err)
{
	struct sigv4_hdr	*hs;
	size_t			 n = 0, i;
	sv_result		 result = SV_OK;

	hs = xreallocarray(NULL, req->nheaders + 3, sizeof *hs);
	for (i = 0; i < req->nheaders; i++) {
		const struct sigv4_header *h = &req->headers[i];
		char	*lname;

		if (h->name == NULL || *h->name == '\0' ||
		    strcspn(h->name, ":\r\n \t") != strlen(h->name)) {
			result = sv_err_set(err, SV_E_INVALID,
			    "signing: bad header name '%s'",
			    h->name != NULL ? h->name : "(null)");
			goto fail;
		}
		lname = sigv4_lower(h->name);
		if (sigv4_skip_header(lname) || (params->omit_session_token &&
		    strcmp(lname, "x-amz-security-token") == 0)) {
			free(lname);
			continue;
		}
		if (strcmp(lname, "x-amz-date") == 0 && (h->value == NULL ||
		    strcmp(h->value, amz_date) != 0)) {
			result = sv_err_set(err, SV_E_INVALID,
			    "signing: the X-Amz-Date header (%s) is not the "
			    "signing time (%s)", h->value != NULL ? h->value :
			    "", amz_date);
			free(lname);
			goto fail;
		}
		hs[n].lname = lname;
		hs[n].value = h->value != NULL ? h->value : "";
		hs[n].index = n;
		n++;
	}
	if (!sigv4_has_header(hs, n, "host")) {
		result = sv_err_set(err, SV_E_INVALID,
		    "signing: the request has no Host header to sign");
		goto fail;
	}
	if (!sigv4_has_header(hs, n, "x-amz-date")) {
		hs[n].lname = xstrdup("x-amz-date");
		hs[n].value = amz_date;
		hs[n].index = n;
		n++;
	}
	if (params->s3 && !sigv4_has_header(hs, n, "x-amz-content-sha256")) {
		hs[n].lname = xstrdup("x-amz-content-sha256");
		hs[n].value = payload_hash;
		hs[n].index = n;
		n++;
	}
	if (params->session_token != NULL && *params->session_token != '\0' &&
	    !params->omit_session_token &&
	    !sigv4_has_header(hs, n, "x-amz-security-token")) {
		hs[n].lname = xstrdup("x-amz-security-token");
		hs[n].value = params->session_token;
		hs[n].index = n;
		n++;
	}
	qsort(hs, n, sizeof *hs, sigv4_hdr_cmp);

	for (i = 0; i < n && result == SV_OK; i++) {
		const char *name = hs[i].lname;
		bool	first = i == 0 || strcmp(hs[i - 1].lname, name) != 0;
		bool	last = i + 1 == n || strcmp(hs[i + 1].lname, name) != 0;

		if (first) {
			if (signed_headers->len > 0)
				result = buf_addc(signed_headers, ';');
			if (result == SV_OK)
				result = buf_adds(signed_headers, hs[i].lname);
			if (result == SV_OK)
				result = buf_addf(out, "%s:", hs[i].lname);
		} else
			result = buf_addc(out, ',');
		if (result == SV_OK)
			result = sigv4_add_trimmed(out, hs[i].value);
		if (result == SV_OK && last)
			result = buf_addc(out, '\n');
	}
	if (result != SV_OK)
		sigv4_toolarge(err, "canonical header block");

fail:
	for (i = 0; i < n; i++)
		free(hs[i].lname);
	free(hs);
	return result;
}

static sv_result
sigv4_check_params(const struct sigv4_params *params, struct sv_err *err)
{
	if (params->region == NULL || *params->region == '\0')
		return sv_err_set(err, SV_E_CONFIG, "signing: no region; "
		    "set AWS_REGION or pass --region");
	if (params->service == NULL || *params->service == '\0')
		return sv_err_set(err, SV_E_INVALID,
		    "signing: no service signing name");
	if (params->now == SV_TIME_NONE || params->now < 0)
		return sv_err_set(err, SV_E_INVALID, "signing: no time given");
	return SV_OK;
}

sv_result
sigv4_canonical_request(const struct sigv4_request *req,
    const struct sigv4_params *params, struct buf *out,
    struct buf *signed_headers, struct sv_err *err)
{
	struct buf	headers;
	char		amz_date[17], body_hash[65];
	const char	*payload_hash = req->payload_hash;
	sv_result	result;

	buf_init(&headers, BUF_MAX_SIGV4);
	buf_reset(out);
	buf_reset(signed_headers);
	if (out->max == 0)
		out->max = BUF_MAX_SIGV4;
	if (signed_headers->max == 0)
		signed_headers->max = BUF_MAX_SIGV4;

	if ((result = sigv4_check_params(params, err)) != SV_OK)
		goto fail;
	if (req->method == NULL || *req->method == '\0') {
		result = sv_err_set(err, SV_E_INVALID, "signing: no method");
		goto fail;
	}
	if (payload_hash == NULL) {
		sigv4_sha256_hex(req->body,
		    req->body != NULL ? req->body_len : 0, body_hash);
		payload_hash = body_hash;
	}
	sv_time_format_amz(params->now, amz_date);

	if ((result = buf_addf(out, "%s\n", req->method)) != SV_OK ||
	    (result = sigv4_canonical_path(req->path, params, out)) != SV_OK ||
	    (result = buf_addc(out, '\n')) != SV_OK) {
		sigv4_toolarge(err, "canonical URI");
		goto fail;
	}
	if ((result = sigv4_canonical_query(req->query, out, err)) != SV_OK)
		goto fail;
	if ((result = sigv4_canonical_headers(req, params, amz_date,
	    payload_hash, &headers, signed_headers, err)) != SV_OK)
		goto fail;
	if ((result = buf_addf(out, "\n%s\n%s\n%s", buf_str(&headers),
	    buf_str(signed_headers), payload_hash)) != SV_OK) {
		sigv4_toolarge(err, "canonical request");
		goto fail;
	}

fail:
	buf_free(&headers);
	return result;
}

sv_result
sigv4_string_to_sign(const char *canonical_request,
    const struct sigv4_params *params, struct buf *out, struct sv_err *err)
{
	char		amz_date[17], hash[65];
	sv_result	result;

	buf_reset(out);
	if (out->max == 0)
		out->max = BUF_MAX_SIGV4;
	if ((result = sigv4_check_params(params, err)) != SV_OK)
		return result;
	sv_time_format_amz(params->now, amz_date);
	sigv4_sha256_hex(canonical_request, strlen(canonical_request), hash);
	result = buf_addf(out, SIGV4_ALGORITHM "\n%s\n%.8s/%s/%s/"
	    SIGV4_TERMINATOR "\n%s", amz_date, amz_date, params->region,
	    params->service, hash);
	if (result != SV_OK)
		return sigv4_toolarge(err, "string to sign");
	return SV_OK;
}

static bool
sigv4_hmac(const unsigned char *key, size_t keylen, const void *data,
    size_t len, unsigned char out[32])
{
	unsigned int	outlen = 0;

	if (keylen > 4096)
		return false;
	return HMAC(EVP_sha256(), key, (int)keylen, data, len, out,
	    &outlen) != NULL && outlen == 32;
}

sv_result
sigv4_signature(const char *string_to_sign, const struct sigv4_params *params,
    char out[65], struct sv_err *err)
{
	unsigned char	 k1[32], k2[32], sig[32];
	unsigned char	*secret = NULL;
	size_t		 slen = 0;
	char		 amz_date[17];
	sv_result	 result;

	out[0] = '\0';
	if ((result = sigv4_check_params(params, err)) != SV_OK)
		return result;
	if (params->secret_access_key == NULL ||
	    *params->secret_access_key == '\0') {
		return sv_err_set(err, SV_E_CREDS, "signing: no secret access "
		    "key; check the credentials of this profile");
	}
	sv_time_format_amz(params->now, amz_date);

	slen = 4 + strlen(params->secret_access_key);
	secret = xmalloc(slen + 1);
	memcpy(secret, "AWS4", 4);
	memcpy(secret + 4, params->secret_access_key, slen - 4);
	secret[slen] = '\0';

	/* kDate, kRegion, kService, kSigning, then the signature. */
	if (!sigv4_hmac(secret, slen, amz_date, 8, k1) ||
	    !sigv4_hmac(k1, 32, params->region, strlen(params->region), k2) ||
	    !sigv4_hmac(k2, 32, params->service, strlen(params->service), k1) ||
	    !sigv4_hmac(k1, 32, SIGV4_TERMINATOR, strlen(SIGV4_TERMINATOR),
	    k2) ||
	    !sigv4_hmac(k2, 32, string_to_sign, strlen(string_to_sign), sig)) {
		result = sv_err_set(err, SV_E_INVALID,
		    "signing: HMAC-SHA256 failed in OpenSSL");
		goto fail;
	}
	str_hex(out, sig, 32);

fail:
	OPENSSL_cleanse(secret, slen);
	free(secret);
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k2, sizeof k2);
	OPENSSL_cleanse(sig, sizeof sig);
	return result;
}

void
sigv4_result_init(struct sigv4_result *r)
{
	memset(r->amz_date, 0, sizeof r->amz_date);
	memset(r->content_sha256, 0, sizeof r->content_sha256);
	buf_init(&r->authorization, BUF_MAX_SIGV4);
	buf_init(&r->canonical_request, BUF_MAX_SIGV4);
	buf_init(&r->string_to_sign, BUF_MAX_SIGV4);
}

void
sigv4_result_free(struct sigv4_result *r)
{
	buf_free(&r->authorization);
	buf_free(&r->canonical_request);
	buf_free(&r->string_to_sign);
}

sv_result
sigv4_sign(const struct sigv4_request *req, const struct sigv4_params *params,
    struct sigv4_result *r, struct sv_err *err)
{
	struct sigv4_request	 copy = *req;
	struct buf		 signed_headers;
	char			 body_hash[65], sig[65];
	sv_result		 result;

	buf_init(&signed_headers, BUF_MAX_SIGV4);
	buf_reset(&r->authorization);
	buf_reset(&r->canonical_request);
	buf_reset(&r->string_to_sign);
	r->amz_date[0] = '\0';
	r->content_sha256[0] = '\0';

	if ((result = sigv4_check_params(params, err)) != SV_OK)
		goto fail;
	if (params->access_key_id == NULL || *params->access_key_id == '\0') {
		result = sv_err_set(err, SV_E_CREDS, "signing: no access key "
		    "id; check the credentials of this profile");
		goto fail;
	}
	/* Hash the body once: the canonical request and the S3 header. */
	if (copy.payload_hash == NULL) {
		sigv4_sha256_hex(copy.body, copy.body != NULL ? copy.body_len :
		    0, body_hash);
		copy.payload_hash = body_hash;
	}
	sv_time_format_amz(params->now, r->amz_date);
	if (params->s3)
		str_lcpy(r->content_sha256, copy.payload_hash,
		    sizeof r->content_sha256);

	if ((result = sigv4_canonical_request(&copy, params,
	    &r->canonical_request, &signed_headers, err)) != SV_OK)
		goto fail;
	if ((result = sigv4_string_to_sign(buf_str(&r->canonical_request),
	    params, &r->string_to_sign, err)) != SV_OK)
		goto fail;
	if ((result = sigv4_signature(buf_str(&r->string_to_sign), params, sig,
	    err)) != SV_OK)
		goto fail;
	result = buf_addf(&r->authorization, SIGV4_ALGORITHM
	    " Credential=%s/%.8s/%s/%s/" SIGV4_TERMINATOR
	    ", SignedHeaders=%s, Signature=%s", params->access_key_id,
	    r->amz_date, params->region, params->service,
	    buf_str(&signed_headers), sig);
	if (result != SV_OK)
		sigv4_toolarge(err, "Authorization header");

fail:
	buf_free(&signed_headers);
	return result;
}
