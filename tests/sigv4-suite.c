/* sigv4-suite.c - runs SigV4 test cases laid out as aws-c-auth's suite
 * (tests/aws-signing-test-suite/v4/<case>/): context.json, request.txt and
 * the expected header-canonical-request.txt, header-string-to-sign.txt,
 * header-signature.txt and, if present, header-authorization.txt.
 *
 * Usage: sigv4-suite DIR. Prints TAP: one line per stage per case, in
 * sorted case order. Each stage is checked on its own: the string to sign
 * is built from the expected canonical request and the signature from the
 * expected string to sign, so a failure points at one stage; the
 * authorization line checks the three together through sigv4_sign().
 *
 * context.json: credentials {access_key_id, secret_access_key, token?},
 * region, service, timestamp, normalize, omit_session_token?, sign_body?
 * (as aws-c-auth: with sign_body the body is hashed and
 * x-amz-content-sha256 signed, without it the payload hash is the empty
 * hash), and our own s3? (S3 rules: path as given, body hashed, the signer
 * adds x-amz-content-sha256). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/time.h"
#include "util/xalloc.h"

#define SUITE_MAX_HEADERS 64

static int	suite_n, suite_failed;

struct suite_case {
	/* context.json */
	char			*akid, *secret, *token, *region, *service;
	sv_time			 now;
	bool			 normalize, omit_token, sign_body, s3;
	/* request.txt (pointers into req_text) */
	char			*req_text;
	char			*method, *path, *query;
	struct sigv4_header	 headers[SUITE_MAX_HEADERS + 3];
	size_t			 nheaders;
	const char		*body;
	size_t			 body_len;
	char			 amz_date[17], body_hash[65];
};

static void
suite_ok(bool cond, const char *name, const char *stage)
{
	suite_n++;
	if (!cond)
		suite_failed++;
	printf("%sok %d - %s: %s\n", cond ? "" : "not ", suite_n, name, stage);
}

/* Prints a possibly multi-line text as TAP diagnostics. */
static void
suite_diag_text(const char *label, const char *s)
{
	const char	*nl;

	printf("#   %s:\n", label);
	for (;;) {
		nl = strchr(s, '\n');
		if (nl == NULL) {
			printf("#     |%s|\n", s);
			break;
		}
		printf("#     |%.*s|\n", (int)(nl - s), s);
		s = nl + 1;
	}
}

static void
suite_is(const char *got, const char *want, const char *name,
    const char *stage)
{
	bool	same;

	same = got != NULL && want != NULL && strcmp(got, want) == 0;

	suite_ok(same, name, stage);
	if (!same) {
		suite_diag_text("got", got != NULL ? got : "(none)");
		suite_diag_text("want", want != NULL ? want : "(none)");
	}
}

/* Reads DIR/NAME/FILE whole; NULL (and a diagnostic) if it cannot. The
 * expected files have no trailing newline in the suite: one is stripped if
 * present, and '\r' are dropped as aws-c-auth does. */
static char *
suite_read(const char *dir, const char *name, const char *file,
    bool strip_newline, size_t *lenp)
{
	char	*path, *p, *w;
	FILE	*f;
	struct buf b;
	char	 chunk[4096];
	size_t	 n;

	path = xasprintf("%s/%s/%s", dir, name, file);
	if ((f = fopen(path, "rb")) == NULL) {
		printf("# %s: cannot read %s: %s\n", name, path,
		    strerror(errno));
		free(path);
		return NULL;
	}
	buf_init(&b, BUF_MAX_FILE);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_add(&b, chunk, n) != SV_OK)
			break;
	}
	fclose(f);
	free(path);
	p = buf_detach(&b);
	for (w = p, n = 0; p[n] != '\0'; n++) {
		if (p[n] != '\r')
			*w++ = p[n];
	}
	*w = '\0';
	n = (size_t)(w - p);
	if (strip_newline && n > 0 && p[n - 1] == '\n')
		p[--n] = '\0';
	if (lenp != NULL)
		*lenp = n;
	return p;
}

static char *
suite_json_str(const cJSON *obj, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static bool
suite_json_bool(const cJSON *obj, const char *key, bool dflt)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

static bool
suite_parse_context(struct suite_case *c, const char *text, const char *name)
{
	cJSON	*root, *creds;
	char	*ts = NULL;
	bool	 good = false;

	if ((root = cJSON_Parse(text)) == NULL) {
		printf("# %s: context.json is not valid JSON\n", name);
		return false;
	}
	creds = cJSON_GetObjectItemCaseSensitive(root, "credentials");
	c->akid = suite_json_str(creds, "access_key_id");
	c->secret = suite_json_str(creds, "secret_access_key");
	c->token = suite_json_str(creds, "token");
	c->region = suite_json_str(root, "region");
	c->service = suite_json_str(root, "service");
	ts = suite_json_str(root, "timestamp");
	c->normalize = suite_json_bool(root, "normalize", true);
	c->omit_token = suite_json_bool(root, "omit_session_token", false);
	c->sign_body = suite_json_bool(root, "sign_body", false);
	c->s3 = suite_json_bool(root, "s3", false);
	if (c->akid == NULL || c->secret == NULL || c->region == NULL ||
	    c->service == NULL || ts == NULL) {
		printf("# %s: context.json lacks credentials, region, service "
		    "or timestamp\n", name);
		goto out;
	}
	if (sv_time_parse_iso(ts, &c->now) != SV_OK) {
		printf("# %s: bad timestamp '%s'\n", name, ts);
		goto out;
	}
	good = true;
out:
	free(ts);
	cJSON_Delete(root);
	return good;
}

static bool
suite_add_header(struct suite_case *c, const char *n, const char *v)
{
	if (c->nheaders == sizeof c->headers / sizeof c->headers[0])
		return false;
	c->headers[c->nheaders].name = n;
	c->headers[c->nheaders].value = v;
	c->nheaders++;
	return true;
}

/* request.txt: "METHOD TARGET HTTP/1.1", header lines ("Name:value",
 * continuation lines start with white space), a blank line, the body. */
static bool
suite_parse_request(struct suite_case *c, const char *name)
{
	char	*p = c->req_text, *eol, *sp, *q, *colon;
	char	*last_value_end = NULL;

	if ((eol = strchr(p, '\n')) == NULL) {
		printf("# %s: request.txt has no request line\n", name);
		return false;
	}
	*eol = '\0';
	sp = strchr(p, ' ');
	q = strrchr(p, ' ');
	if (sp == NULL || q == sp) {
		printf("# %s: bad request line '%s'\n", name, p);
		return false;
	}
	*sp = '\0';
	*q = '\0';
	c->method = p;
	c->path = sp + 1;
	if ((q = strchr(c->path, '?')) != NULL) {
		*q = '\0';
		c->query = q + 1;
	}

	for (p = eol + 1; *p != '\0'; p = eol + 1) {
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		if (eol == p) {
			/* blank line: the body is the rest */
			c->body = *eol != '\0' ? eol + 1 : eol;
			c->body_len = strlen(c->body);
			break;
		}
		if (*p == ' ' || *p == '\t') {
			/* folded line: joins the previous value, newline and
			 * all, as aws-c-auth's runner does */
			if (last_value_end == NULL) {
				printf("# %s: continuation line first\n", name);
				return false;
			}
			*last_value_end = '\n';
			last_value_end = eol;
			if (*eol == '\0')
				break;
			*eol = '\0';
			continue;
		}
		if ((colon = strchr(p, ':')) == NULL) {
			printf("# %s: header line without ':'\n", name);
			return false;
		}
		*colon = '\0';
		if (!suite_add_header(c, p, colon + 1)) {
			printf("# %s: too many headers\n", name);
			return false;
		}
		last_value_end = eol;
		if (*eol == '\0')
			break;
		*eol = '\0';
	}
	if (c->body == NULL)
		c->body = "";
	return true;
}

static void
suite_case_free(struct suite_case *c)
{
	free(c->akid);
	if (c->secret != NULL) {
		memset(c->secret, 0, strlen(c->secret));
		free(c->secret);
	}
	free(c->token);
	free(c->region);
	free(c->service);
	free(c->req_text);
}

static void
suite_run_case(const char *dir, const char *name)
{
	struct suite_case	 c;
	struct sigv4_request	 req;
	struct sigv4_params	 params;
	struct sigv4_result	 res;
	struct buf		 out, sh;
	struct sv_err		 err;
	char			*ctx_text, *want_creq, *want_sts, *want_sig;
	char			*want_auth;
	char			 sig[65];
	bool			 ready;
	sv_result		 result;

	memset(&c, 0, sizeof c);
	ctx_text = suite_read(dir, name, "context.json", false, NULL);
	c.req_text = suite_read(dir, name, "request.txt", false, NULL);
	want_creq = suite_read(dir, name, "header-canonical-request.txt", true,
	    NULL);
	want_sts = suite_read(dir, name, "header-string-to-sign.txt", true,
	    NULL);
	want_sig = suite_read(dir, name, "header-signature.txt", true, NULL);
	{
		/* optional: no diagnostic when absent */
		char	*path = xasprintf("%s/%s/header-authorization.txt",
		    dir, name);
		struct stat st;

		want_auth = stat(path, &st) == 0 ? suite_read(dir, name,
		    "header-authorization.txt", true, NULL) : NULL;
		free(path);
	}

	ready = ctx_text != NULL && c.req_text != NULL &&
	    suite_parse_context(&c, ctx_text, name) &&
	    suite_parse_request(&c, name);

	memset(&req, 0, sizeof req);
	memset(&params, 0, sizeof params);
	if (ready) {
		/* What aws-c-auth's signer adds before canonicalizing. */
		sv_time_format_amz(c.now, c.amz_date);
		if (c.token != NULL && !c.omit_token)
			ready = suite_add_header(&c, "X-Amz-Security-Token",
			    c.token);
		ready = ready && suite_add_header(&c, "X-Amz-Date", c.amz_date);
		if (c.sign_body) {
			sigv4_sha256_hex(c.body, c.body_len, c.body_hash);
			ready = ready && suite_add_header(&c,
			    "X-Amz-Content-Sha256", c.body_hash);
		}
		req.method = c.method;
		req.path = c.path;
		req.query = c.query;
		req.headers = c.headers;
		req.nheaders = c.nheaders;
		req.body = c.body;
		req.body_len = c.body_len;
		req.payload_hash = c.sign_body || c.s3 ? NULL :
		    SIGV4_EMPTY_SHA256;
		params.access_key_id = c.akid;
		params.secret_access_key = c.secret;
		params.session_token = c.token;
		params.region = c.region;
		params.service = c.service;
		params.now = c.now;
		params.s3 = c.s3;
		params.normalize = c.normalize && !c.s3;
		params.omit_session_token = c.omit_token;
	}

	/* Stage 1: canonical request. */
	buf_init(&out, BUF_MAX_SIGV4);
	buf_init(&sh, BUF_MAX_SIGV4);
	sv_err_init(&err);
	if (ready && (result = sigv4_canonical_request(&req, &params, &out, &sh,
	    &err)) != SV_OK)
		printf("# %s: %s\n", name, err.msg);
	suite_is(ready && err.code == SV_OK ? buf_str(&out) : NULL, want_creq,
	    name, "canonical request");

	/* Stage 2, from the expected canonical request. */
	sv_err_init(&err);
	if (ready && want_creq != NULL && (result = sigv4_string_to_sign(
	    want_creq, &params, &out, &err)) != SV_OK)
		printf("# %s: %s\n", name, err.msg);
	suite_is(ready && want_creq != NULL && err.code == SV_OK ?
	    buf_str(&out) : NULL, want_sts, name, "string to sign");

	/* Stage 3, from the expected string to sign. */
	sv_err_init(&err);
	sig[0] = '\0';
	if (ready && want_sts != NULL && (result = sigv4_signature(want_sts,
	    &params, sig, &err)) != SV_OK)
		printf("# %s: %s\n", name, err.msg);
	suite_is(ready && want_sts != NULL && err.code == SV_OK ? sig : NULL,
	    want_sig, name, "signature");

	/* All three through sigv4_sign(). */
	if (want_auth != NULL) {
		sigv4_result_init(&res);
		sv_err_init(&err);
		if (ready && (result = sigv4_sign(&req, &params, &res, &err)) !=
		    SV_OK)
			printf("# %s: %s\n", name, err.msg);
		suite_is(ready && err.code == SV_OK ?
		    buf_str(&res.authorization) : NULL, want_auth, name,
		    "authorization");
		sigv4_result_free(&res);
	}

	buf_free(&out);
	buf_free(&sh);
	free(ctx_text);
	free(want_creq);
	free(want_sts);
	free(want_sig);
	free(want_auth);
	suite_case_free(&c);
}

static int
suite_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, *path;
	size_t		 n = 0, cap = 0, i;

	if (argc != 2) {
		fprintf(stderr, "usage: sigv4-suite DIR\n");
		return 2;
	}
	if ((d = opendir(argv[1])) == NULL) {
		printf("not ok 1 - cannot open %s: %s\n1..1\n", argv[1],
		    strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", argv[1], de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (n == cap) {
				cap = cap != 0 ? cap * 2 : 64;
				names = xreallocarray(names, cap,
				    sizeof *names);
			}
			names[n++] = xstrdup(de->d_name);
		}
		free(path);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, suite_name_cmp);

	for (i = 0; i < n; i++) {
		suite_run_case(argv[1], names[i]);
		free(names[i]);
	}
	free(names);
	if (n == 0) {
		printf("not ok 1 - no test cases in %s\n", argv[1]);
		suite_n = suite_failed = 1;
	}
	printf("1..%d\n", suite_n);
	if (suite_failed > 0)
		printf("# %d of %d failed\n", suite_failed, suite_n);
	return suite_failed > 0 ? 1 : 0;
}
