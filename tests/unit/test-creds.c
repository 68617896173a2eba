/* test-creds.c - unit tests for src/aws/creds.c: the credential_process
 * output parser, the command-line splitter, and the chain (environment,
 * static profile keys, credential_process, AssumeRole, container, IMDS,
 * caching) with the HTTP engine replaced by a stub that serves canned
 * answers, so nothing here touches the network. This file is built with
 * src/aws/creds.c and -DSV_UNITTEST (see creds.mk). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "aws/config.h"
#include "aws/creds.h"
#include "aws/http.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/time.h"
#include "util/xalloc.h"

sv_result	creds_split_command(const char *, char ***, struct sv_err *);
void		creds_free_argv(char **);

/* --- the HTTP stub -------------------------------------------------------- */

struct fake {
	const char	*method;
	const char	*url_suffix;	/* matched against the end of the URL */
	long		 status;
	const char	*body;
	const char	*need_header;	/* answer 401 unless this header is sent */
};

static const struct fake *fakes;
static int	 http_calls;
static char	 last_url[1024], last_body[4096], last_auth[1024];
static char	 last_token_hdr[256];

void
http_headers_add(struct http_headers *h, const char *name, const char *value)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	h->v[h->n].name = xstrdup(name);
	h->v[h->n].value = xstrdup(value);
	h->n++;
}

const char *
http_headers_get(const struct http_headers *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++) {
		if (strcasecmp(h->v[i].name, name) == 0)
			return h->v[i].value;
	}
	return NULL;
}

void
http_headers_free(struct http_headers *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].value);
	}
	free(h->v);
	memset(h, 0, sizeof *h);
}

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->body, BUF_MAX_HTTP_BODY);
	sv_err_init(&r->err);
	r->server_date = SV_TIME_NONE;
}

void
http_response_free(struct http_response *r)
{
	http_headers_free(&r->headers);
	buf_free(&r->body);
	http_response_init(r);
}

static int	fake_engine;

struct http_engine *
http_engine_new(const struct http_engine_opts *o, struct sv_err *err)
{
	return (struct http_engine *)&fake_engine;
}

void
http_engine_free(struct http_engine *e)
{
}

int64_t
http_engine_skew_ms(const struct http_engine *e)
{
	return 0;
}

sv_result
http_simple(struct http_engine *eng, const char *method, const char *url,
    const struct http_headers *headers, const void *body, size_t body_len,
    long timeout_ms, struct http_response *out, struct sv_err *err)
{
	const char	*v;
	size_t		 ul = strlen(url);

	http_response_init(out);
	http_calls++;
	snprintf(last_url, sizeof last_url, "%s", url);
	snprintf(last_body, sizeof last_body, "%.*s", (int)body_len,
	    body != NULL ? (const char *)body : "");
	v = http_headers_get(headers, "authorization");
	snprintf(last_auth, sizeof last_auth, "%s", v != NULL ? v : "");
	v = http_headers_get(headers, "x-aws-ec2-metadata-token");
	snprintf(last_token_hdr, sizeof last_token_hdr, "%s", v ? v : "");
	for (const struct fake *f = fakes; f != NULL && f->method != NULL;
	    f++) {
		size_t	sl = strlen(f->url_suffix);

		if (strcmp(f->method, method) != 0 || sl > ul ||
		    strcmp(url + ul - sl, f->url_suffix) != 0)
			continue;
		out->result = SV_OK;
		if (f->need_header != NULL &&
		    http_headers_get(headers, f->need_header) == NULL) {
			out->status = 401;
			return SV_OK;
		}
		out->status = f->status;
		buf_adds(&out->body, f->body);
		return SV_OK;
	}
	out->result = SV_E_NET;
	sv_err_set(&out->err, SV_E_NET, "connection refused (stub)");
	sv_err_set(err, SV_E_NET, "connection refused (stub)");
	return SV_E_NET;
}

/* --- helpers -------------------------------------------------------------- */

static char tmpdir[512];

static char *
write_file(const char *name, const char *text)
{
	char	*path = xasprintf("%s/%s", tmpdir, name);
	FILE	*f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(99);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static void
clear_env(void)
{
	static const char *vars[] = {
		"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_REGION",
		"AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
		"AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_MAX_ATTEMPTS",
		"AWS_RETRY_MODE", "AWS_CA_BUNDLE", NULL
	};

	for (int i = 0; vars[i] != NULL; i++)
		unsetenv(vars[i]);
}

static sv_result
load(struct aws_config *cfg, const char *profile, struct sv_err *err)
{
	struct aws_options	opt;

	memset(&opt, 0, sizeof opt);
	opt.profile = profile;
	sv_err_init(err);
	return aws_config_load(cfg, &opt, err);
}

/* Resolves once with a fresh provider; *out is a copy the caller clears. */
static sv_result
resolve_once(const char *profile, struct aws_creds *out, struct sv_err *err)
{
	struct aws_config	 cfg;
	struct aws_creds_provider *p;
	const struct aws_creds	*c;
	sv_result		 r;

	memset(out, 0, sizeof *out);
	out->expiration = SV_TIME_NONE;
	if ((r = load(&cfg, profile, err)) != SV_OK)
		return r;
	p = aws_creds_provider_new(&cfg, NULL);
	r = aws_creds_get(p, &c, err);
	if (r == SV_OK) {
		out->access_key_id = xstrdup(c->access_key_id);
		out->secret_access_key = xstrdup(c->secret_access_key);
		out->session_token = c->session_token ?
		    xstrdup(c->session_token) : NULL;
		out->expiration = c->expiration;
		memcpy(out->source, c->source, sizeof out->source);
	}
	aws_creds_provider_free(p);
	aws_config_free(&cfg);
	return r;
}

/* --- credential_process output -------------------------------------------- */

static void
test_parse(void)
{
	struct aws_creds c;
	struct sv_err	 err;
	const char	*s;
	sv_time		 want;

	memset(&c, 0, sizeof c);
	sv_err_init(&err);
	s = "{\"Version\": 1, \"AccessKeyId\": \"AKID\", "
	    "\"SecretAccessKey\": \"SECRET\"}";
	ok(aws_creds_parse_process_output(s, strlen(s), &c, &err) == SV_OK,
	    "minimal output parses");
	is_str(c.access_key_id, "AKID", "AccessKeyId");
	is_str(c.secret_access_key, "SECRET", "SecretAccessKey");
	ok(c.session_token == NULL, "no SessionToken");
	ok(c.expiration == SV_TIME_NONE, "no Expiration");

	s = "{\"Version\": 1, \"AccessKeyId\": \"ASIA1\", "
	    "\"SecretAccessKey\": \"S2\", \"SessionToken\": \"TOK\", "
	    "\"Expiration\": \"2030-01-02T03:04:05Z\"}";
	sv_err_init(&err);
	ok(aws_creds_parse_process_output(s, strlen(s), &c, &err) == SV_OK,
	    "full output parses (reusing the struct)");
	is_str(c.access_key_id, "ASIA1", "AccessKeyId replaced");
	is_str(c.session_token, "TOK", "SessionToken");
	sv_time_parse_iso("2030-01-02T03:04:05Z", &want);
	ok(c.expiration == want, "Expiration parsed");

	s = "{\"Version\": 1, \"AccessKeyId\": \"A\", "
	    "\"SecretAccessKey\": \"S\", \"SessionToken\": null}";
	sv_err_init(&err);
	ok(aws_creds_parse_process_output(s, strlen(s), &c, &err) == SV_OK &&
	    c.session_token == NULL, "SessionToken null is no token");
	aws_creds_clear(&c);
	ok(c.access_key_id == NULL && c.secret_access_key == NULL &&
	    c.expiration == SV_TIME_NONE, "aws_creds_clear empties");

	static const struct {
		const char	*json, *why, *must;
	} bad[] = {
		{ "{\"Version\": 2, \"AccessKeyId\": \"A\", "
		  "\"SecretAccessKey\": \"SECRETVALUE\"}", "Version 2", "Version" },
		{ "{\"Version\": \"1\", \"AccessKeyId\": \"A\", "
		  "\"SecretAccessKey\": \"SECRETVALUE\"}", "Version \"1\" (string)",
		  "Version" },
		{ "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETVALUE\"}",
		  "no Version", "Version" },
		{ "{\"Version\": 1, \"SecretAccessKey\": \"SECRETVALUE\"}",
		  "no AccessKeyId", "AccessKeyId" },
		{ "{\"Version\": 1, \"AccessKeyId\": \"A\"}",
		  "no SecretAccessKey", "SecretAccessKey" },
		{ "{\"Version\": 1, \"AccessKeyId\": 5, "
		  "\"SecretAccessKey\": \"SECRETVALUE\"}", "AccessKeyId a number",
		  "AccessKeyId" },
		{ "{\"Version\": 1, \"AccessKeyId\": \"A\", "
		  "\"SecretAccessKey\": \"SECRETVALUE\", \"Expiration\": \"soon\"}",
		  "Expiration not ISO", "Expiration" },
		{ "Version=1 SECRETVALUE", "not JSON", "JSON" },
		{ "[1, 2]", "a JSON array", "JSON" },
		{ "", "empty output", "JSON" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char	name[128];

		memset(&c, 0, sizeof c);
		sv_err_init(&err);
		snprintf(name, sizeof name, "rejected: %s", bad[i].why);
		ok(aws_creds_parse_process_output(bad[i].json,
		    strlen(bad[i].json), &c, &err) == SV_E_CREDS &&
		    c.access_key_id == NULL && strstr(err.msg, bad[i].must) != NULL &&
		    strstr(err.msg, "SECRETVALUE") == NULL, name);
		if (i == 0)
			diag("%s", err.msg);
		aws_creds_clear(&c);
	}
}

/* --- the command-line splitter -------------------------------------------- */

static void
test_split(void)
{
	static const struct {
		const char	*in;
		const char	*want[6];
	} cases[] = {
		{ "cmd", { "cmd" } },
		{ "  /bin/tool  --flag   value ", { "/bin/tool", "--flag", "value" } },
		{ "a 'b c' d", { "a", "b c", "d" } },
		{ "a \"b c\" d", { "a", "b c", "d" } },
		{ "a\tb\nc", { "a", "b", "c" } },
		{ "x\\ y", { "x y" } },
		{ "'it''s'", { "its" } },
		{ "pre\"mid dle\"post", { "premid dlepost" } },
		{ "\"a\\\"b\" \"c\\\\d\" \"e\\nf\"", { "a\"b", "c\\d", "e\\nf" } },
		{ "'a\\b'", { "a\\b" } },
		{ "\\'x", { "'x" } },
		{ "cmd '' \"\"", { "cmd", "", "" } },
		{ "a#b #c", { "a#b", "#c" } },
		{ "echo $HOME;ls", { "echo", "$HOME;ls" } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char		**argv = NULL, name[160];
		struct sv_err	  err;
		bool		  same = true;
		int		  n = 0;

		sv_err_init(&err);
		snprintf(name, sizeof name, "split: %s", cases[i].in);
		for (char *q = name; *q != '\0'; q++)
			if (*q == '\n' || *q == '\t' || *q == '#')
				*q = ' ';
		if (creds_split_command(cases[i].in, &argv, &err) != SV_OK) {
			ok(0, name);
			diag("%s", err.msg);
			continue;
		}
		for (; argv[n] != NULL || cases[i].want[n] != NULL; n++) {
			if (argv[n] == NULL || cases[i].want[n] == NULL ||
			    strcmp(argv[n], cases[i].want[n]) != 0) {
				same = false;
				diag("word %d: got '%s' want '%s'", n,
				    argv[n] ? argv[n] : "(end)",
				    cases[i].want[n] ? cases[i].want[n] : "(end)");
				break;
			}
		}
		ok(same, name);
		creds_free_argv(argv);
	}

	static const char *bad[] = { "", "   ", "a 'b", "a \"b", "a\\",
	    "\"a\\", NULL };
	for (int i = 0; bad[i] != NULL; i++) {
		char		**argv = NULL, name[64];
		struct sv_err	  err;

		sv_err_init(&err);
		snprintf(name, sizeof name, "split refuses [%s]", bad[i]);
		ok(creds_split_command(bad[i], &argv, &err) == SV_E_CONFIG &&
		    argv == NULL && err.msg[0] != '\0', name);
	}
}

/* --- the chain ------------------------------------------------------------ */

static char	*conf_path, *cred_path;

static void
files(const char *config, const char *credentials)
{
	free(conf_path);
	free(cred_path);
	conf_path = write_file("config", config);
	cred_path = write_file("credentials", credentials);
	setenv("AWS_CONFIG_FILE", conf_path, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", cred_path, 1);
}

static void
test_env_and_static(void)
{
	struct aws_creds c;
	struct sv_err	 err;

	clear_env();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	files("[profile cfgonly]\naws_access_key_id = AKIDCFG\n"
	    "aws_secret_access_key = cfgsecret\n"
	    "[profile half]\naws_secret_access_key = x\n"
	    "[profile both]\ncredential_process = /bin/false\n",
	    "[default]\naws_access_key_id = AKIDFILE\n"
	    "aws_secret_access_key = filesecret\n"
	    "aws_session_token = filetoken\n"
	    "[dev]\naws_access_key_id = AKIDDEV\n"
	    "aws_secret_access_key = devsecret\n"
	    "[both]\naws_access_key_id = AKIDBOTH\n"
	    "aws_secret_access_key = bothsecret\n");

	http_calls = 0;
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	ok(resolve_once(NULL, &c, &err) == SV_OK, "environment credentials");
	is_str(c.access_key_id, "AKIDENV", "... access key from the environment");
	is_str(c.session_token, "envtoken", "... AWS_SESSION_TOKEN");
	is_str(c.source, "environment", "... source environment");
	aws_creds_clear(&c);

	setenv("AWS_PROFILE", "dev", 1);
	ok(resolve_once(NULL, &c, &err) == SV_OK &&
	    strcmp(c.source, "environment") == 0,
	    "AWS_PROFILE does not skip the environment (botocore)");
	aws_creds_clear(&c);
	unsetenv("AWS_PROFILE");

	ok(resolve_once("dev", &c, &err) == SV_OK, "--profile dev");
	is_str(c.access_key_id, "AKIDDEV", "--profile skips the environment");
	ok(strstr(c.source, "profile dev") != NULL &&
	    strstr(c.source, "credentials") != NULL,
	    "... source names the profile and the credentials file");
	diag("source: %s", c.source);
	ok(c.session_token == NULL, "... no token");
	aws_creds_clear(&c);

	unsetenv("AWS_SECRET_ACCESS_KEY");
	ok(resolve_once(NULL, &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "AWS_SECRET_ACCESS_KEY is set") == NULL &&
	    strstr(err.msg, "AWS_SECRET_ACCESS_KEY") != NULL,
	    "AWS_ACCESS_KEY_ID alone: error naming AWS_SECRET_ACCESS_KEY");
	diag("%s", err.msg);
	unsetenv("AWS_ACCESS_KEY_ID");
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	ok(resolve_once(NULL, &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "AWS_ACCESS_KEY_ID is not") != NULL,
	    "AWS_SECRET_ACCESS_KEY alone: error naming AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");

	ok(resolve_once(NULL, &c, &err) == SV_OK, "default profile");
	is_str(c.access_key_id, "AKIDFILE", "... from the credentials file");
	is_str(c.session_token, "filetoken", "... aws_session_token");
	aws_creds_clear(&c);

	ok(resolve_once("cfgonly", &c, &err) == SV_OK, "config-file keys");
	is_str(c.access_key_id, "AKIDCFG", "... from [profile cfgonly]");
	ok(strstr(c.source, "config") != NULL, "... source names the config "
	    "file");
	aws_creds_clear(&c);

	ok(resolve_once("both", &c, &err) == SV_OK &&
	    strcmp(c.access_key_id, "AKIDBOTH") == 0,
	    "credentials-file keys win over credential_process");
	aws_creds_clear(&c);

	ok(resolve_once("half", &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "aws_access_key_id") != NULL &&
	    strstr(err.msg, "profile 'half'") != NULL,
	    "a secret without a key id: error naming the missing key");
	diag("%s", err.msg);
	is_int(http_calls, 0, "none of this touched the network");

	/* Nothing at all. */
	files("", "");
	ok(resolve_once(NULL, &c, &err) == SV_E_CREDS,
	    "no credentials: SV_E_CREDS");
	ok(strstr(err.msg, "environment") != NULL &&
	    strstr(err.msg, "profile 'default'") != NULL &&
	    strstr(err.msg, "container") != NULL &&
	    strstr(err.msg, "instance metadata") != NULL &&
	    strstr(err.msg, "AWS_EC2_METADATA_DISABLED") != NULL,
	    "... the message names every place it looked");
	diag("%s", err.msg);
	is_int(sv_result_exit(err.code), 4, "... exit status 4");
}

static void
test_process(void)
{
	struct aws_creds c;
	struct sv_err	 err;

	clear_env();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	files("[profile ok]\n"
	    "credential_process = echo '{\"Version\": 1, \"AccessKeyId\": "
	    "\"AKIDPROC\", \"SecretAccessKey\": \"procsecret\", "
	    "\"Expiration\": \"2099-01-01T00:00:00Z\"}'\n"
	    "[profile fails]\n"
	    "credential_process = sh -c 'echo \"token service says no\" >&2; "
	    "exit 3'\n"
	    "[profile garbage]\n"
	    "credential_process = echo procsecret-in-garbage\n"
	    "[profile expired]\n"
	    "credential_process = echo '{\"Version\": 1, \"AccessKeyId\": "
	    "\"A\", \"SecretAccessKey\": \"S\", "
	    "\"Expiration\": \"2001-01-01T00:00:00Z\"}'\n"
	    "[profile nocmd]\n"
	    "credential_process = /nonexistent/helper --x\n"
	    "[profile badquote]\n"
	    "credential_process = echo 'unclosed\n"
	    "[profile slow]\n"
	    "credential_process = sleep 30\n"
	    "[profile lingers]\n"
	    "credential_process = sh -c 'exec >/dev/null 2>&1; sleep 30'\n"
	    "[profile chatty]\n"
	    "credential_process = head -c 200000 /dev/zero\n", "");

	ok(resolve_once("ok", &c, &err) == SV_OK, "credential_process runs");
	is_str(c.access_key_id, "AKIDPROC", "... its AccessKeyId");
	is_str(c.source, "credential_process (profile ok)", "... source");
	ok(c.expiration != SV_TIME_NONE, "... its Expiration");
	aws_creds_clear(&c);

	ok(resolve_once("fails", &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "profile 'fails'") != NULL &&
	    strstr(err.msg, "status 3") != NULL &&
	    strstr(err.msg, "token service says no") != NULL,
	    "a failing process: error names the profile, status and stderr");
	diag("%s", err.msg);
	ok(resolve_once("garbage", &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "JSON") != NULL &&
	    strstr(err.msg, "procsecret") == NULL,
	    "not JSON: error without the output");
	ok(resolve_once("expired", &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "expired") != NULL,
	    "already expired credentials are refused");
	ok(resolve_once("nocmd", &c, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "/nonexistent/helper") != NULL,
	    "a command that does not exist: error names it");
	diag("%s", err.msg);
	ok(resolve_once("badquote", &c, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "quote") != NULL,
	    "an unclosed quote in credential_process is a config error");

	int64_t	t0 = sv_monotonic_ms();

	ok(resolve_once("slow", &c, &err) == SV_E_TIMEOUT &&
	    strstr(err.msg, "did not finish within 2 seconds") != NULL,
	    "a process that does not finish is killed at the timeout");
	diag("%s", err.msg);
	ok(resolve_once("lingers", &c, &err) == SV_E_TIMEOUT &&
	    strstr(err.msg, "did not exit") != NULL,
	    "a process that closes its output but does not exit is killed");
	ok(sv_monotonic_ms() - t0 < 10000, "... both within the timeout");
	ok(resolve_once("chatty", &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "printed more than") != NULL,
	    "a process printing too much is stopped");
}

static const char sts_ok[] =
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    "<AssumeRoleResult><Credentials>"
    "<AccessKeyId>ASIAROLE</AccessKeyId>"
    "<SecretAccessKey>rolesecret</SecretAccessKey>"
    "<SessionToken>roletoken</SessionToken>"
    "<Expiration>2099-06-01T12:00:00Z</Expiration>"
    "</Credentials></AssumeRoleResult></AssumeRoleResponse>";
static const char sts_denied[] =
    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
    "<Message>not authorized to perform sts:AssumeRole</Message></Error>"
    "</ErrorResponse>";

static void
test_assume_role(void)
{
	struct aws_creds c;
	struct sv_err	 err;
	const struct fake ok_sts[] = {
		{ "POST", "sts.example:8443/", 200, sts_ok, "authorization" },
		{ NULL, NULL, 0, NULL, NULL }
	};
	const struct fake denied_sts[] = {
		{ "POST", "/", 403, sts_denied, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};

	clear_env();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_ENDPOINT_URL_STS", "https://sts.example:8443", 1);
	files("[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r1\n"
	    "source_profile = base\nexternal_id = ext 1\n"
	    "duration_seconds = 900\nrole_session_name = sess\n"
	    "[profile role2]\nrole_arn = arn:aws:iam::123456789012:role/r2\n"
	    "source_profile = role\n"
	    "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/s\n"
	    "source_profile = self\naws_access_key_id = AKIDSELF\n"
	    "aws_secret_access_key = selfsecret\n"
	    "[profile loopa]\nrole_arn = arn:aws:iam::1:role/a\n"
	    "source_profile = loopb\n"
	    "[profile loopb]\nrole_arn = arn:aws:iam::1:role/b\n"
	    "source_profile = loopa\n"
	    "[profile mfa]\nrole_arn = arn:aws:iam::1:role/m\n"
	    "source_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n"
	    "[profile nosrc]\nrole_arn = arn:aws:iam::1:role/n\n"
	    "[profile envsrc]\nrole_arn = arn:aws:iam::1:role/e\n"
	    "credential_source = Environment\n"
	    "[profile badsrc]\nrole_arn = arn:aws:iam::1:role/e\n"
	    "credential_source = Somewhere\n"
	    "[profile ghost]\nrole_arn = arn:aws:iam::1:role/g\n"
	    "source_profile = nobody\n",
	    "[base]\naws_access_key_id = AKIDBASE\n"
	    "aws_secret_access_key = basesecret\n");

	fakes = ok_sts;
	http_calls = 0;
	ok(resolve_once("role", &c, &err) == SV_OK, "assume-role");
	if (err.code != SV_OK)
		diag("%s", err.msg);
	is_str(c.access_key_id, "ASIAROLE", "... AccessKeyId from STS");
	is_str(c.session_token, "roletoken", "... SessionToken from STS");
	ok(c.expiration != SV_TIME_NONE, "... Expiration from STS");
	is_str(c.source, "assume-role arn:aws:iam::123456789012:role/r1 via "
	    "profile base", "... source");
	is_str(last_url, "https://sts.example:8443/", "... sent to the STS "
	    "endpoint");
	ok(strstr(last_body, "Action=AssumeRole&Version=2011-06-15&RoleArn="
	    "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr1") != NULL,
	    "... form body with the encoded role ARN");
	ok(strstr(last_body, "RoleSessionName=sess") != NULL &&
	    strstr(last_body, "ExternalId=ext%201") != NULL &&
	    strstr(last_body, "DurationSeconds=900") != NULL,
	    "... session name, external id and duration");
	diag("body: %s", last_body);
	ok(strncmp(last_auth, "AWS4-HMAC-SHA256 Credential=AKIDBASE/", 37) == 0 &&
	    strstr(last_auth, "/sts/aws4_request") != NULL,
	    "... signed with the source profile's key for sts");
	aws_creds_clear(&c);

	http_calls = 0;
	ok(resolve_once("role2", &c, &err) == SV_OK &&
	    strstr(c.source, "role/r2 via profile role") != NULL,
	    "a chain of two roles");
	is_int(http_calls, 2, "... two AssumeRole calls");
	ok(strstr(last_auth, "Credential=ASIAROLE/") != NULL,
	    "... the second signed with the first role's credentials");
	aws_creds_clear(&c);

	ok(resolve_once("self", &c, &err) == SV_OK &&
	    strstr(last_auth, "Credential=AKIDSELF/") != NULL,
	    "a profile may be its own source_profile with static keys");
	aws_creds_clear(&c);

	http_calls = 0;
	ok(resolve_once("loopa", &c, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "loop") != NULL,
	    "a source_profile cycle is detected");
	diag("%s", err.msg);
	ok(resolve_once("mfa", &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "MFA") != NULL, "mfa_serial: a clear refusal");
	ok(resolve_once("nosrc", &c, &err) == SV_E_CONFIG,
	    "role_arn without a source: config error");
	ok(resolve_once("ghost", &c, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "nobody") != NULL,
	    "a source_profile that does not exist: config error");
	ok(resolve_once("badsrc", &c, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "Somewhere") != NULL,
	    "an unknown credential_source: config error");
	is_int(http_calls, 0, "... none of those called STS");

	setenv("AWS_ACCESS_KEY_ID", "AKIDENVSRC", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	ok(resolve_once("envsrc", &c, &err) == SV_OK &&
	    strstr(last_auth, "Credential=AKIDENVSRC/") != NULL &&
	    strstr(c.source, "via Environment") != NULL,
	    "credential_source Environment, even with --profile");
	aws_creds_clear(&c);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	fakes = denied_sts;
	ok(resolve_once("role", &c, &err) == SV_E_DENIED &&
	    strstr(err.msg, "AccessDenied") != NULL &&
	    strstr(err.msg, "role/r1") != NULL &&
	    strstr(err.msg, "not authorized") != NULL,
	    "an AccessDenied ErrorResponse: SV_E_DENIED naming role and code");
	diag("%s", err.msg);
	fakes = NULL;
	ok(resolve_once("role", &c, &err) == SV_E_NET,
	    "STS unreachable: a network error");
	unsetenv("AWS_ENDPOINT_URL_STS");
}

static void
test_metadata(void)
{
	struct aws_creds c;
	struct sv_err	 err;
	const struct fake imds[] = {
		{ "PUT", "/latest/api/token", 200, "TOKEN123", NULL },
		{ "GET", "/latest/meta-data/iam/security-credentials/", 200,
		    "my-role\n", "x-aws-ec2-metadata-token" },
		{ "GET", "/latest/meta-data/iam/security-credentials/my-role",
		    200, "{\"Code\": \"Success\", \"Type\": \"AWS-HMAC\", "
		    "\"AccessKeyId\": \"ASIAIMDS\", \"SecretAccessKey\": \"is\", "
		    "\"Token\": \"itok\", \"Expiration\": "
		    "\"2099-01-01T00:00:00Z\"}", "x-aws-ec2-metadata-token" },
		{ NULL, NULL, 0, NULL, NULL }
	};
	const struct fake ecs[] = {
		{ "GET", "169.254.170.2/v2/credentials/abc", 200,
		    "{\"AccessKeyId\": \"ASIAECS\", \"SecretAccessKey\": \"es\", "
		    "\"Token\": \"etok\", \"Expiration\": "
		    "\"2099-01-01T00:00:00Z\"}", NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};

	clear_env();
	files("", "");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://imds.test/", 1);
	fakes = imds;
	ok(resolve_once(NULL, &c, &err) == SV_OK, "IMDSv2 credentials");
	is_str(c.access_key_id, "ASIAIMDS", "... AccessKeyId");
	is_str(c.source, "IMDSv2 (role my-role)", "... source");
	is_str(last_url,
	    "http://imds.test/latest/meta-data/iam/security-credentials/my-role",
	    "... endpoint from AWS_EC2_METADATA_SERVICE_ENDPOINT");
	is_str(last_token_hdr, "TOKEN123", "... with the session token");
	aws_creds_clear(&c);

	fakes = NULL;
	ok(resolve_once(NULL, &c, &err) == SV_E_CREDS &&
	    strstr(err.msg, "no answer from http://imds.test") != NULL,
	    "IMDS unreachable: no credentials, and says why");
	diag("%s", err.msg);

	fakes = ecs;
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc", 1);
	ok(resolve_once(NULL, &c, &err) == SV_OK &&
	    strcmp(c.access_key_id, "ASIAECS") == 0 &&
	    strcmp(c.source, "container credentials") == 0,
	    "container credentials from the relative URI");
	is_str(last_url, "http://169.254.170.2/v2/credentials/abc",
	    "... at 169.254.170.2");
	aws_creds_clear(&c);
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example/c", 1);
	ok(resolve_once(NULL, &c, &err) == SV_E_CONFIG,
	    "a plain-http full URI off this host is refused");
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	unsetenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	fakes = NULL;
}

static void
test_cache(void)
{
	struct aws_config	 cfg;
	struct aws_creds_provider *p;
	const struct aws_creds	*c1, *c2;
	struct sv_err		 err;
	char			*script, *conf, iso[SV_TIME_ISO_MAX];
	sv_time			 exp;

	clear_env();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	/* A helper that counts its runs and expires in 90 s. */
	exp = sv_time_now() + 90 * 1000;
	sv_time_format_iso(exp, iso, false);
	char	*count = xasprintf("%s/count", tmpdir);
	char	*body = xasprintf("#!/bin/sh\necho x >> '%s'\n"
	    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDC\", "
	    "\"SecretAccessKey\": \"cs\", \"Expiration\": \"%s\"}'\n",
	    count, iso);

	script = write_file("helper.sh", body);
	chmod(script, 0700);
	conf = xasprintf("[default]\ncredential_process = %s\n", script);
	files(conf, "");
	unlink(count);

	load(&cfg, NULL, &err);
	p = aws_creds_provider_new(&cfg, NULL);
	sv_err_init(&err);
	ok(aws_creds_get(p, &c1, &err) == SV_OK, "first get");
	ok(aws_creds_get(p, &c2, &err) == SV_OK && c1 == c2,
	    "second get: same object");
	FILE	*f = fopen(count, "r");
	int	 runs = 0, ch;

	while (f != NULL && (ch = fgetc(f)) != EOF)
		runs += ch == '\n';
	if (f != NULL)
		fclose(f);
	is_int(runs, 2, "expiring within 15 min: the helper ran again");
	aws_creds_invalidate(p);
	ok(aws_creds_get(p, &c1, &err) == SV_OK &&
	    strcmp(c1->access_key_id, "AKIDC") == 0, "get after invalidate");
	aws_creds_provider_free(p);
	aws_config_free(&cfg);

	/* Expiring in an hour: cached. */
	exp = sv_time_now() + 3600 * 1000;
	sv_time_format_iso(exp, iso, false);
	free(body);
	body = xasprintf("#!/bin/sh\necho x >> '%s'\n"
	    "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDC\", "
	    "\"SecretAccessKey\": \"cs\", \"Expiration\": \"%s\"}'\n",
	    count, iso);
	free(script);
	script = write_file("helper.sh", body);
	unlink(count);
	load(&cfg, NULL, &err);
	p = aws_creds_provider_new(&cfg, NULL);
	aws_creds_get(p, &c1, &err);
	aws_creds_get(p, &c2, &err);
	aws_creds_get(p, &c2, &err);
	runs = 0;
	f = fopen(count, "r");
	while (f != NULL && (ch = fgetc(f)) != EOF)
		runs += ch == '\n';
	if (f != NULL)
		fclose(f);
	is_int(runs, 1, "valid for an hour: resolved once");
	aws_creds_provider_free(p);
	aws_config_free(&cfg);

	unlink(count);
	unlink(script);
	free(count);
	free(body);
	free(script);
	free(conf);
}

int
main(void)
{
	const char	*t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test-creds-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	test_parse();
	test_split();
	test_env_and_static();
	test_process();
	test_assume_role();
	test_metadata();
	test_cache();
	unlink(conf_path);
	unlink(cred_path);
	free(conf_path);
	free(cred_path);
	rmdir(tmpdir);
	return done_testing();
}
