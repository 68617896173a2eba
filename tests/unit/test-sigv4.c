/* test-sigv4.c - unit tests for src/aws/sigv4.c beyond the published
 * suite (tests/sigv4, run by tests/sigv4-suite): S3 path rules, double
 * encoding for other services, query canonicalization, headers that are
 * never signed, secrets kept out of the texts, errors and size caps, and
 * two signatures cross-checked against botocore. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/time.h"

#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static sv_time
at(const char *iso)
{
	sv_time	t = SV_TIME_NONE;

	if (sv_time_parse_iso(iso, &t) != SV_OK)
		diag("bad time %s", iso);
	return t;
}

static struct sigv4_params
suite_params(void)
{
	struct sigv4_params p;

	memset(&p, 0, sizeof p);
	p.access_key_id = "AKIDEXAMPLE";
	p.secret_access_key = SUITE_SECRET;
	p.region = "us-east-1";
	p.service = "service";
	p.now = at("2015-08-30T12:36:00Z");
	p.normalize = true;
	return p;
}

/* Returns line n (0-based) of s in a static buffer. */
static const char *
line(const char *s, int n)
{
	static char	 out[4096];
	const char	*nl;

	while (n-- > 0 && s != NULL) {
		s = strchr(s, '\n');
		if (s != NULL)
			s++;
	}
	if (s == NULL)
		return "(no such line)";
	nl = strchr(s, '\n');
	snprintf(out, sizeof out, "%.*s", nl != NULL ? (int)(nl - s) :
	    (int)strlen(s), s);
	return out;
}

/* Canonical request of a one-header GET to host h. */
static sv_result
creq(const char *path, const char *query, const struct sigv4_params *p,
    struct buf *out, struct buf *sh, struct sv_err *err)
{
	struct sigv4_header hs[] = { { "Host", "example.amazonaws.com" } };
	struct sigv4_request r;

	memset(&r, 0, sizeof r);
	r.method = "GET";
	r.path = path;
	r.query = query;
	r.headers = hs;
	r.nheaders = 1;
	sv_err_init(err);
	return sigv4_canonical_request(&r, p, out, sh, err);
}

static void
test_sha256(void)
{
	char	h[65];

	sigv4_sha256_hex("", 0, h);
	is_str(h, SIGV4_EMPTY_SHA256, "sha256 of nothing");
	sigv4_sha256_hex(NULL, 0, h);
	is_str(h, SIGV4_EMPTY_SHA256, "sha256 of NULL body");
	sigv4_sha256_hex("abc", 3, h);
	is_str(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "sha256 of abc (FIPS 180-2 vector)");
}

/* The three stages one by one on the published get-vanilla case. */
static void
test_stages(void)
{
	struct sigv4_params p = suite_params();
	struct buf	out, sh, sts;
	struct sv_err	err;
	char		sig[65];

	buf_init(&out, BUF_MAX_SIGV4);
	buf_init(&sh, BUF_MAX_SIGV4);
	buf_init(&sts, BUF_MAX_SIGV4);
	ok(creq("/", NULL, &p, &out, &sh, &err) == SV_OK, "stage 1 runs");
	is_str(buf_str(&out), "GET\n/\n\nhost:example.amazonaws.com\n"
	    "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
	    SIGV4_EMPTY_SHA256, "get-vanilla canonical request, X-Amz-Date "
	    "signed though not given");
	is_str(buf_str(&sh), "host;x-amz-date", "signed headers");
	ok(sigv4_string_to_sign(buf_str(&out), &p, &sts, &err) == SV_OK,
	    "stage 2 runs");
	is_str(buf_str(&sts), "AWS4-HMAC-SHA256\n20150830T123600Z\n"
	    "20150830/us-east-1/service/aws4_request\n"
	    "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
	    "get-vanilla string to sign");
	ok(sigv4_signature(buf_str(&sts), &p, sig, &err) == SV_OK,
	    "stage 3 runs");
	is_str(sig, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
	    "get-vanilla signature (published)");
	ok(strstr(buf_str(&out), SUITE_SECRET) == NULL &&
	    strstr(buf_str(&sts), SUITE_SECRET) == NULL &&
	    strstr(buf_str(&out), "AWS4wJal") == NULL &&
	    strstr(buf_str(&sts), "AWS4wJal") == NULL,
	    "the secret is in neither the canonical request nor the string "
	    "to sign");
	buf_free(&out);
	buf_free(&sh);
	buf_free(&sts);
}

static void
test_s3_paths(void)
{
	struct sigv4_params p = suite_params();
	struct sigv4_header hs[] = {
		{ "Host", "s3.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123600Z" },
	};
	struct sigv4_request r;
	struct sigv4_result res;
	struct buf	out, sh;
	struct sv_err	err;

	p.service = "s3";
	p.s3 = true;
	p.normalize = true;	/* must be ignored for S3 */
	buf_init(&out, BUF_MAX_SIGV4);
	buf_init(&sh, BUF_MAX_SIGV4);

	/* key "a b+c/\u1234//d/../e" encoded once by the caller */
	creq("/bkt/a%20b%2Bc/%E1%88%B4//d/../e", NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/bkt/a%20b%2Bc/%E1%88%B4//d/../e",
	    "S3: the path is kept exactly: not normalized, not re-encoded");
	creq("/bkt/a%2Fb", NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/bkt/a%2Fb",
	    "S3: an encoded slash stays encoded once");
	creq("", NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/", "S3: empty path is /");

	memset(&r, 0, sizeof r);
	r.method = "PUT";
	r.path = "/bkt/k";
	r.headers = hs;
	r.nheaders = 2;
	r.body = "hello";
	r.body_len = 5;
	sigv4_result_init(&res);
	sv_err_init(&err);
	ok(sigv4_sign(&r, &p, &res, &err) == SV_OK, "S3 PUT signs");
	is_str(res.content_sha256,
	    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
	    "S3: content_sha256 is the body's hash");
	ok(strstr(buf_str(&res.canonical_request),
	    "\nx-amz-content-sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n")
	    != NULL, "S3: x-amz-content-sha256 added to the signed headers");
	ok(strstr(buf_str(&res.authorization),
	    "SignedHeaders=host;x-amz-content-sha256;x-amz-date,") != NULL,
	    "S3: authorization lists x-amz-content-sha256");
	is_str(res.amz_date, "20150830T123600Z", "amz_date from the clock");

	r.payload_hash = "UNSIGNED-PAYLOAD";
	sv_err_init(&err);
	sigv4_sign(&r, &p, &res, &err);
	is_str(res.content_sha256, "UNSIGNED-PAYLOAD",
	    "S3: a given payload hash is used as is");
	is_str(line(buf_str(&res.canonical_request), 8), "UNSIGNED-PAYLOAD",
	    "S3: the payload line is the given hash");
	sigv4_result_free(&res);

	p.s3 = false;
	p.service = "service";
	memset(&r, 0, sizeof r);
	r.method = "GET";
	r.path = "/";
	r.headers = hs;
	r.nheaders = 1;
	sigv4_result_init(&res);
	sigv4_sign(&r, &p, &res, &err);
	is_str(res.content_sha256, "", "not S3: no content_sha256");
	ok(strstr(buf_str(&res.canonical_request), "x-amz-content-sha256") ==
	    NULL, "not S3: x-amz-content-sha256 not signed");
	sigv4_result_free(&res);
	buf_free(&out);
	buf_free(&sh);
}

static void
test_other_paths(void)
{
	struct sigv4_params p = suite_params();
	struct buf	out, sh;
	struct sv_err	err;

	buf_init(&out, BUF_MAX_SIGV4);
	buf_init(&sh, BUF_MAX_SIGV4);
	creq("/my%20table/a b", NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/my%2520table/a%20b",
	    "non-S3: the wire path is encoded again (%20 -> %2520)");
	creq("/a//b/./c/../d/", NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/a/b/d/",
	    "non-S3 normalized: dot segments and empty segments removed");
	creq("/../..", NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/", "normalized: '..' above root");
	p.normalize = false;
	creq("/a//b/../c", NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/a//b/../c",
	    "non-S3 unnormalized: path kept, encoded");
	creq(NULL, NULL, &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 1), "/", "no path is /");
	buf_free(&out);
	buf_free(&sh);
}

static void
test_query(void)
{
	struct sigv4_params p = suite_params();
	struct buf	out, sh;
	struct sv_err	err;

	buf_init(&out, BUF_MAX_SIGV4);
	buf_init(&sh, BUF_MAX_SIGV4);
	creq("/", "b=2&a=&a=1&c&a=0", &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 2), "a=&a=0&a=1&b=2&c=",
	    "empty values, a bare name and repeated names sorted by value");
	creq("/", "k=a+b%20c&%7e=%41&sl=a/b&&", &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 2), "k=a%2Bb%20c&sl=a%2Fb&~=A",
	    "decoded then RFC 3986 re-encoded; '+' is not a space");
	creq("/", "", &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 2), "", "empty query");
	creq("/", "Z=1&a=2&B=3", &p, &out, &sh, &err);
	is_str(line(buf_str(&out), 2), "B=3&Z=1&a=2", "byte order sort");
	ok(creq("/", "a=%zz", &p, &out, &sh, &err) == SV_E_INVALID &&
	    err.code == SV_E_INVALID, "a malformed escape is refused");
	diag("%s", err.msg);
	buf_free(&out);
	buf_free(&sh);
}

static void
test_headers(void)
{
	struct sigv4_params p = suite_params();
	struct sigv4_header hs[] = {
		{ "Host", "example.amazonaws.com" },
		{ "User-Agent", "salvage/0.1" },
		{ "Expect", "100-continue" },
		{ "Authorization", "old" },
		{ "Transfer-Encoding", "chunked" },
		{ "X-Amzn-Trace-Id", "Root=1" },
		{ "Content-Length", "0" },
		{ "My-Header", "  a \t b   c  " },
		{ "my-header", "\"x   y\"" },
		{ "X-Amz-Security-Token", "TOKEN" },
	};
	struct sigv4_request r;
	struct buf	out, sh;
	struct sv_err	err;

	buf_init(&out, BUF_MAX_SIGV4);
	buf_init(&sh, BUF_MAX_SIGV4);
	memset(&r, 0, sizeof r);
	r.method = "GET";
	r.path = "/";
	r.headers = hs;
	r.nheaders = sizeof hs / sizeof hs[0];
	p.session_token = "TOKEN";
	sv_err_init(&err);
	ok(sigv4_canonical_request(&r, &p, &out, &sh, &err) == SV_OK,
	    "headers: signs");
	is_str(buf_str(&sh), "content-length;host;my-header;x-amz-date;"
	    "x-amz-security-token", "user-agent, expect, authorization, "
	    "hop-by-hop and trace id are not signed");
	ok(strstr(buf_str(&out), "\nmy-header:a b c,\"x y\"\n") != NULL,
	    "repeated names joined in order, values trimmed and collapsed");

	p.omit_session_token = true;
	sigv4_canonical_request(&r, &p, &out, &sh, &err);
	is_str(buf_str(&sh), "content-length;host;my-header;x-amz-date",
	    "omit_session_token: the token header is not signed");

	/* token given in params but not in headers: signed anyway */
	p.omit_session_token = false;
	r.nheaders = 1;
	sigv4_canonical_request(&r, &p, &out, &sh, &err);
	is_str(buf_str(&sh), "host;x-amz-date;x-amz-security-token",
	    "a session token is signed even before the caller adds it");

	r.headers = hs + 1;
	sv_err_init(&err);
	ok(sigv4_canonical_request(&r, &p, &out, &sh, &err) == SV_E_INVALID,
	    "no Host header is refused");

	{
		struct sigv4_header bad[] = {
			{ "Host", "example.amazonaws.com" },
			{ "X-Amz-Date", "20150830T123601Z" },
		};

		r.headers = bad;
		r.nheaders = 2;
		sv_err_init(&err);
		ok(sigv4_canonical_request(&r, &p, &out, &sh, &err) ==
		    SV_E_INVALID, "an X-Amz-Date other than the signing time "
		    "is refused");
		diag("%s", err.msg);
	}
	buf_free(&out);
	buf_free(&sh);
}

static void
test_errors(void)
{
	struct sigv4_params p = suite_params();
	struct sigv4_header hs[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Big", NULL },
	};
	struct sigv4_request r;
	struct sigv4_result res;
	struct sv_err	err;
	char		sig[65], *big;

	memset(&r, 0, sizeof r);
	r.method = "GET";
	r.path = "/";
	r.headers = hs;
	r.nheaders = 1;
	sigv4_result_init(&res);

	p.secret_access_key = "";
	sv_err_init(&err);
	is_int(sigv4_sign(&r, &p, &res, &err), SV_E_CREDS, "no secret");
	p.secret_access_key = SUITE_SECRET;
	p.access_key_id = NULL;
	sv_err_init(&err);
	is_int(sigv4_sign(&r, &p, &res, &err), SV_E_CREDS, "no access key");
	p.access_key_id = "AKIDEXAMPLE";
	p.now = SV_TIME_NONE;
	sv_err_init(&err);
	is_int(sigv4_signature("x", &p, sig, &err), SV_E_INVALID, "no time");
	p = suite_params();
	p.region = NULL;
	sv_err_init(&err);
	ok(sigv4_sign(&r, &p, &res, &err) != SV_OK, "no region");
	p = suite_params();

	big = malloc(BUF_MAX_SIGV4 + 16);
	memset(big, 'v', BUF_MAX_SIGV4 + 15);
	big[BUF_MAX_SIGV4 + 15] = '\0';
	hs[1].value = big;
	r.nheaders = 2;
	sv_err_init(&err);
	is_int(sigv4_sign(&r, &p, &res, &err), SV_E_TOOLARGE,
	    "a header past BUF_MAX_SIGV4 is refused");
	r.nheaders = 1;
	r.query = big;
	sv_err_init(&err);
	is_int(sigv4_sign(&r, &p, &res, &err), SV_E_TOOLARGE,
	    "a query past BUF_MAX_SIGV4 is refused");
	free(big);
	sigv4_result_free(&res);
}

/*
 * Cross-checks against botocore 1.43 (the AWS SDK for Python). Produced by
 * running, with botocore.auth.get_current_datetime patched to return
 * 2024-03-05T06:07:08Z:
 *
 *   S3SigV4Auth(Credentials("AKIAIOSFODNN7EXAMPLE",
 *       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
 *       "FQoGZXIvYXdzEXAMPLE+TOKEN/="), "s3", "eu-west-1").add_auth(
 *     AWSRequest("GET", "https://s3.eu-west-1.amazonaws.com/salvage-audit/"
 *       "runs/2024%2001/a%2Bb/%E1%88%B4//x.json?versionId=abc%2Fdef",
 *       headers Host, User-Agent: salvage/0.1.0))
 *
 *   SigV4Auth(Credentials("AKIAIOSFODNN7EXAMPLE",
 *       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "dynamodb",
 *       "us-west-2").add_auth(AWSRequest("POST",
 *       "https://dynamodb.us-west-2.amazonaws.com/",
 *       data=b'{"TableName":"orders"}', headers Host, Content-Type:
 *       application/x-amz-json-1.0, X-Amz-Target:
 *       DynamoDB_20120810.DescribeTable, Content-Length: 22))
 *
 * and copying the Authorization header botocore set.
 */
static void
test_botocore(void)
{
	struct sigv4_params p;
	struct sigv4_request r;
	struct sigv4_result res;
	struct sv_err	err;
	const char	*body = "{\"TableName\":\"orders\"}";
	struct sigv4_header s3h[] = {
		{ "Host", "s3.eu-west-1.amazonaws.com" },
		{ "User-Agent", "salvage/0.1.0" },
		{ "X-Amz-Date", "20240305T060708Z" },
		{ "X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLE+TOKEN/=" },
		{ "x-amz-content-sha256", SIGV4_EMPTY_SHA256 },
	};
	struct sigv4_header ddbh[] = {
		{ "Host", "dynamodb.us-west-2.amazonaws.com" },
		{ "Content-Type", "application/x-amz-json-1.0" },
		{ "X-Amz-Target", "DynamoDB_20120810.DescribeTable" },
		{ "Content-Length", "22" },
		{ "X-Amz-Date", "20240305T060708Z" },
	};

	memset(&p, 0, sizeof p);
	p.access_key_id = "AKIAIOSFODNN7EXAMPLE";
	p.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	p.session_token = "FQoGZXIvYXdzEXAMPLE+TOKEN/=";
	p.region = "eu-west-1";
	p.service = "s3";
	p.now = at("2024-03-05T06:07:08Z");
	p.s3 = true;
	memset(&r, 0, sizeof r);
	r.method = "GET";
	r.path = "/salvage-audit/runs/2024%2001/a%2Bb/%E1%88%B4//x.json";
	r.query = "versionId=abc%2Fdef";
	r.headers = s3h;
	r.nheaders = sizeof s3h / sizeof s3h[0];
	sigv4_result_init(&res);
	sv_err_init(&err);
	ok(sigv4_sign(&r, &p, &res, &err) == SV_OK, "botocore S3 GET signs");
	is_str(buf_str(&res.authorization), "AWS4-HMAC-SHA256 "
	    "Credential=AKIAIOSFODNN7EXAMPLE/20240305/eu-west-1/s3/aws4_request, "
	    "SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
	    "x-amz-security-token, Signature="
	    "843b272bd314c456e105e0ace7987873855f707cbed899324944054eabf666f7",
	    "S3 GET with token matches botocore");
	ok(strstr(buf_str(&res.authorization), p.secret_access_key) == NULL &&
	    strstr(buf_str(&res.canonical_request), p.secret_access_key) ==
	    NULL && strstr(buf_str(&res.string_to_sign),
	    p.secret_access_key) == NULL, "no secret in any result text");

	/* the same without the caller's x-amz-content-sha256: added */
	r.nheaders--;
	sv_err_init(&err);
	sigv4_sign(&r, &p, &res, &err);
	ok(strstr(buf_str(&res.authorization),
	    "843b272bd314c456e105e0ace7987873855f707cbed899324944054eabf666f7")
	    != NULL, "S3: x-amz-content-sha256 signed when the caller has not "
	    "added it yet");
	is_str(res.content_sha256, SIGV4_EMPTY_SHA256,
	    "S3: content_sha256 to send");

	memset(&p, 0, sizeof p);
	p.access_key_id = "AKIAIOSFODNN7EXAMPLE";
	p.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	p.region = "us-west-2";
	p.service = "dynamodb";
	p.now = at("2024-03-05T06:07:08Z");
	p.normalize = true;
	memset(&r, 0, sizeof r);
	r.method = "POST";
	r.path = "/";
	r.headers = ddbh;
	r.nheaders = sizeof ddbh / sizeof ddbh[0];
	r.body = body;
	r.body_len = strlen(body);
	sv_err_init(&err);
	ok(sigv4_sign(&r, &p, &res, &err) == SV_OK, "botocore DynamoDB POST "
	    "signs");
	is_str(buf_str(&res.authorization), "AWS4-HMAC-SHA256 "
	    "Credential=AKIAIOSFODNN7EXAMPLE/20240305/us-west-2/dynamodb/"
	    "aws4_request, SignedHeaders=content-length;content-type;host;"
	    "x-amz-date;x-amz-target, Signature="
	    "738e397164cf7bfbd72b3d389b0243365ab6d85a6cb82614ff21cdd7cc9a2694",
	    "DynamoDB DescribeTable matches botocore");
	sigv4_result_free(&res);
}

int
main(void)
{
	test_sha256();
	test_stages();
	test_s3_paths();
	test_other_paths();
	test_query();
	test_headers();
	test_errors();
	test_botocore();
	return done_testing();
}
