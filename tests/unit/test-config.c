/* test-config.c - unit tests for src/aws/config.c: the INI dialect of the
 * shared config and credentials files (as botocore reads them) and the
 * resolution order of profile, region, endpoints and retry settings
 * (command line, environment, profile), with temporary files. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "aws/config.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xalloc.h"

static char tmpdir[512];

static struct aws_ini *
parse(const char *text, struct sv_err *err)
{
	sv_err_init(err);
	return aws_ini_parse(text, strlen(text), "test.ini", err);
}

static void
test_ini_basic(void)
{
	struct sv_err	 err;
	struct aws_ini	*ini;

	ini = parse(
	    "# a comment\n"
	    "; another comment\n"
	    "\n"
	    "[default]\n"
	    "region = eu-west-1\n"
	    "output=json\n"
	    "Retry_Mode: standard\n"
	    "empty =\n"
	    "   # an indented comment\n"
	    "[profile dev]\n"
	    "  region = us-west-2  \n"
	    "note = keep # this\n"
	    "s3 =\n"
	    "  addressing_style = path\n"
	    "\n"
	    "  signature_version=s3v4\n"
	    "multi = first\n"
	    "  second\n"
	    "[Profile Case]\n"
	    "k = v\n", &err);
	ok(ini != NULL, "a well-formed file parses");
	if (ini == NULL) {
		diag("%s", err.msg);
		return;
	}
	ok(aws_ini_has_section(ini, "default"), "section [default]");
	ok(aws_ini_has_section(ini, "profile dev"), "section [profile dev]");
	ok(!aws_ini_has_section(ini, "profile case"),
	    "section names are case-sensitive");
	ok(aws_ini_has_section(ini, "Profile Case"), "section kept as written");
	is_str(aws_ini_get(ini, "default", "region"), "eu-west-1",
	    "key = value");
	is_str(aws_ini_get(ini, "default", "output"), "json", "key=value");
	is_str(aws_ini_get(ini, "default", "retry_mode"), "standard",
	    "key: value, key folded to lowercase");
	is_str(aws_ini_get(ini, "default", "empty"), "", "empty value");
	is_str(aws_ini_get(ini, "profile dev", "region"), "us-west-2",
	    "indented key after a header, value trimmed");
	is_str(aws_ini_get(ini, "profile dev", "note"), "keep # this",
	    "inline '#' is part of the value (botocore)");
	is_str(aws_ini_get(ini, "profile dev", "s3.addressing_style"), "path",
	    "nested block: s3.addressing_style");
	is_str(aws_ini_get(ini, "profile dev", "s3.signature_version"), "s3v4",
	    "nested block continues after a blank line");
	is_str(aws_ini_get(ini, "profile dev", "multi"), "first\nsecond",
	    "continuation of a non-empty value joins with a newline");
	ok(aws_ini_get(ini, "profile dev", "output") == NULL,
	    "absent key is NULL");
	ok(aws_ini_get(ini, "nope", "region") == NULL,
	    "absent section is NULL");
	aws_ini_free(ini);
}

static void
test_ini_crlf_bom(void)
{
	struct sv_err	 err;
	struct aws_ini	*ini;

	ini = parse("\xef\xbb\xbf[default]\r\nregion = ap-south-1\r\n"
	    "s3 =\r\n  addressing_style = virtual\r\n", &err);
	ok(ini != NULL, "BOM and CRLF parse");
	if (ini == NULL)
		return;
	ok(aws_ini_has_section(ini, "default"), "BOM skipped before [default]");
	is_str(aws_ini_get(ini, "default", "region"), "ap-south-1",
	    "CR stripped from the value");
	is_str(aws_ini_get(ini, "default", "s3.addressing_style"), "virtual",
	    "CRLF in a nested block");
	aws_ini_free(ini);

	ini = parse("", &err);
	ok(ini != NULL && !aws_ini_has_section(ini, "default"),
	    "an empty file is an empty config");
	aws_ini_free(ini);
	ini = parse("[a]\nk = v", &err);
	is_str(ini ? aws_ini_get(ini, "a", "k") : NULL, "v",
	    "last line without a newline");
	aws_ini_free(ini);
}

static void
test_ini_errors(void)
{
	struct sv_err	 err;
	struct aws_ini	*ini;

	ini = parse("[default]\nregion = x\nthis line is wrong\n", &err);
	ok(ini == NULL, "a line that is not a section, key or continuation "
	    "fails");
	is_int(err.code, SV_E_CONFIG, "... with SV_E_CONFIG");
	ok(strstr(err.msg, "test.ini:3") != NULL, "... naming file:line");
	diag("%s", err.msg);
	ok(strstr(err.msg, "wrong") == NULL,
	    "... without quoting the line (it may be a secret)");

	ini = parse("region = x\n[default]\n", &err);
	ok(ini == NULL && strstr(err.msg, "test.ini:1") != NULL,
	    "a key before any section fails at line 1");

	ini = parse("[default]\r\nk = 1\r\n\r\n[default]\r\n", &err);
	ok(ini == NULL && strstr(err.msg, "test.ini:4") != NULL,
	    "a duplicate section fails (botocore's strict parser)");

	ini = parse("[a]\nk = 1\nK = 2\n", &err);
	ok(ini == NULL && strstr(err.msg, "test.ini:3") != NULL,
	    "a duplicate key fails");

	ini = parse("[a]\ns3 =\n  no equals here\n", &err);
	ok(ini == NULL && strstr(err.msg, "test.ini:3") != NULL,
	    "a nested line without '=' fails");

	ini = parse("[a]\n= value\n", &err);
	ok(ini == NULL && strstr(err.msg, "test.ini:2") != NULL,
	    "a key-less line fails");

	ini = parse("[]\n", &err);
	ok(ini == NULL, "an empty section name fails");

	/* A line longer than BUF_MAX_LINE. */
	size_t	 n = BUF_MAX_LINE + 16;
	char	*big = xmalloc(n + 16);

	memcpy(big, "[a]\nk = ", 8);
	memset(big + 8, 'x', n);
	big[8 + n] = '\0';
	ini = parse(big, &err);
	ok(ini == NULL && strstr(err.msg, "test.ini:2") != NULL,
	    "an overlong line fails");
	free(big);
}

/* --- files and resolution ------------------------------------------------- */

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
		"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
		"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_RDS",
		"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_BACKUP",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CA_BUNDLE",
		"AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_CONFIG_FILE",
		"AWS_SHARED_CREDENTIALS_FILE", NULL
	};

	for (int i = 0; vars[i] != NULL; i++)
		unsetenv(vars[i]);
}

static void
test_resolution(void)
{
	struct aws_config	cfg;
	struct aws_options	opt;
	struct sv_err		err;
	char			*conf, *cred;

	clear_env();
	conf = write_file("config",
	    "[default]\n"
	    "region = eu-central-1\n"
	    "[profile dev]\n"
	    "region = us-west-2\n"
	    "endpoint_url = http://profile-endpoint\n"
	    "max_attempts = 7\n"
	    "retry_mode = adaptive\n"
	    "ca_bundle = /etc/dev-ca.pem\n"
	    "[profile \"spaced name\"]\n"
	    "region = sa-east-1\n"
	    "[profile svc]\n"
	    "services = local\n"
	    "endpoint_url = http://global\n"
	    "[services local]\n"
	    "dynamodb =\n"
	    "  endpoint_url = http://ddb-local:8000\n"
	    "[profile badattempts]\n"
	    "max_attempts = 0\n"
	    "[profile onlyconfig]\n"
	    "output = json\n");
	cred = write_file("credentials",
	    "[default]\n"
	    "aws_access_key_id = AKIDDEFAULT\n"
	    "aws_secret_access_key = s3cr3t\n"
	    "[dev]\n"
	    "aws_access_key_id = AKIDDEV\n"
	    "aws_secret_access_key = devsecret\n"
	    "region = ca-central-1\n"
	    "[credsonly]\n"
	    "aws_access_key_id = AKIDCO\n"
	    "aws_secret_access_key = x\n");
	setenv("AWS_CONFIG_FILE", conf, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", cred, 1);

	/* Defaults. */
	memset(&opt, 0, sizeof opt);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_OK, "load with defaults");
	is_str(cfg.profile, "default", "profile defaults to 'default'");
	ok(!cfg.profile_explicit, "... not explicit");
	is_str(cfg.profile_source, "default", "... source default");
	is_str(cfg.region, "eu-central-1", "region from the default profile");
	ok(cfg.region_source != NULL &&
	    strstr(cfg.region_source, "profile default") != NULL,
	    "region_source names the profile");
	is_int(cfg.max_attempts, 3, "max_attempts defaults to 3");
	is_str(cfg.retry_mode, "standard", "retry_mode defaults to standard");
	ok(cfg.endpoint[AWS_SVC_S3] == NULL, "no custom endpoint by default");
	ok(cfg.ca_bundle == NULL, "no CA bundle by default");
	is_str(aws_config_get(&cfg, "default", "aws_access_key_id"),
	    "AKIDDEFAULT", "credential key from the credentials file");
	is_str(aws_config_get(&cfg, "dev", "region"), "ca-central-1",
	    "credentials file wins over the config file (botocore merge)");
	is_str(aws_config_get(&cfg, "spaced name", "region"), "sa-east-1",
	    "[profile \"spaced name\"] is profile 'spaced name'");
	ok(aws_config_has_profile(&cfg, "credsonly"),
	    "profile in the credentials file only exists");
	ok(aws_config_has_profile(&cfg, "onlyconfig"),
	    "profile in the config file only exists");
	ok(!aws_config_has_profile(&cfg, "services local"),
	    "a [services] section is not a profile");
	ok(!aws_config_has_profile(&cfg, "nope"), "unknown profile");
	aws_config_free(&cfg);

	/* AWS_PROFILE, then --profile over it. */
	setenv("AWS_PROFILE", "dev", 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_OK, "load with AWS_PROFILE");
	is_str(cfg.profile, "dev", "profile from AWS_PROFILE");
	ok(cfg.profile_explicit, "... explicit");
	is_str(cfg.profile_source, "AWS_PROFILE", "... source AWS_PROFILE");
	is_str(cfg.region, "ca-central-1", "region of profile dev");
	is_int(cfg.max_attempts, 7, "max_attempts from the profile");
	is_str(cfg.retry_mode, "adaptive", "retry_mode from the profile");
	is_str(cfg.ca_bundle, "/etc/dev-ca.pem", "ca_bundle from the profile");
	is_str(cfg.endpoint[AWS_SVC_RDS], "http://profile-endpoint",
	    "profile endpoint_url for every service");
	aws_config_free(&cfg);

	opt.profile = "credsonly";
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_OK, "load with --profile");
	is_str(cfg.profile, "credsonly", "--profile wins over AWS_PROFILE");
	is_str(cfg.profile_source, "--profile", "... source --profile");
	ok(cfg.region == NULL, "no region anywhere: NULL");
	aws_config_free(&cfg);

	opt.profile = "missing";
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG,
	    "unknown --profile fails");
	ok(strstr(err.msg, "profile 'missing' ") != NULL &&
	    strstr(err.msg, conf) != NULL && strstr(err.msg, cred) != NULL,
	    "... naming the profile and both files");
	diag("%s", err.msg);
	opt.profile = NULL;
	setenv("AWS_PROFILE", "alsomissing", 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "alsomissing") != NULL,
	    "unknown AWS_PROFILE fails too");
	unsetenv("AWS_PROFILE");

	/* Region order: --region, AWS_REGION, AWS_DEFAULT_REGION, profile. */
	setenv("AWS_DEFAULT_REGION", "r-default", 1);
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_str(cfg.region, "r-default", "AWS_DEFAULT_REGION over the profile");
	is_str(cfg.region_source, "AWS_DEFAULT_REGION", "... source");
	aws_config_free(&cfg);
	setenv("AWS_REGION", "r-region", 1);
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_str(cfg.region, "r-region", "AWS_REGION over AWS_DEFAULT_REGION");
	aws_config_free(&cfg);
	opt.region = "r-cli";
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_str(cfg.region, "r-cli", "--region over everything");
	is_str(cfg.region_source, "--region", "... source --region");
	aws_config_free(&cfg);
	opt.region = NULL;
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");

	/* Endpoints. */
	opt.profile = "dev";
	setenv("AWS_ENDPOINT_URL", "http://global-env", 1);
	setenv("AWS_ENDPOINT_URL_S3", "http://s3-env", 1);
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_str(cfg.endpoint[AWS_SVC_S3], "http://s3-env",
	    "AWS_ENDPOINT_URL_S3 for S3");
	is_str(cfg.endpoint_source[AWS_SVC_S3], "AWS_ENDPOINT_URL_S3",
	    "... source");
	is_str(cfg.endpoint[AWS_SVC_DYNAMODB], "http://global-env",
	    "AWS_ENDPOINT_URL over the profile for the others");
	is_str(cfg.endpoint_source[AWS_SVC_DYNAMODB], "AWS_ENDPOINT_URL",
	    "... source");
	aws_config_free(&cfg);
	opt.endpoint_url = "http://cli";
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_str(cfg.endpoint[AWS_SVC_S3], "http://cli",
	    "--endpoint-url over AWS_ENDPOINT_URL_S3");
	is_str(cfg.endpoint[AWS_SVC_STS], "http://cli",
	    "--endpoint-url for every service");
	is_str(cfg.endpoint_source[AWS_SVC_STS], "--endpoint-url", "... source");
	aws_config_free(&cfg);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_str(cfg.endpoint[AWS_SVC_S3], "http://cli",
	    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS keeps --endpoint-url");
	aws_config_free(&cfg);
	opt.endpoint_url = NULL;
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	ok(cfg.endpoint[AWS_SVC_S3] == NULL &&
	    cfg.endpoint[AWS_SVC_DYNAMODB] == NULL,
	    "... and ignores the environment and the profile");
	aws_config_free(&cfg);
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_S3");

	opt.profile = "svc";
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_str(cfg.endpoint[AWS_SVC_DYNAMODB], "http://ddb-local:8000",
	    "services section endpoint for dynamodb");
	is_str(cfg.endpoint[AWS_SVC_S3], "http://global",
	    "profile endpoint_url for the others");
	aws_config_free(&cfg);

	/* Retries. */
	opt.profile = "dev";
	setenv("AWS_MAX_ATTEMPTS", "5", 1);
	setenv("AWS_RETRY_MODE", "legacy", 1);
	setenv("AWS_CA_BUNDLE", "/env/ca.pem", 1);
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	is_int(cfg.max_attempts, 5, "AWS_MAX_ATTEMPTS over the profile");
	is_str(cfg.retry_mode, "legacy", "AWS_RETRY_MODE over the profile");
	is_str(cfg.ca_bundle, "/env/ca.pem", "AWS_CA_BUNDLE over the profile");
	aws_config_free(&cfg);
	setenv("AWS_MAX_ATTEMPTS", "21", 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "AWS_MAX_ATTEMPTS") != NULL,
	    "AWS_MAX_ATTEMPTS=21 is refused, naming the variable");
	setenv("AWS_MAX_ATTEMPTS", "3x", 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG,
	    "AWS_MAX_ATTEMPTS=3x is refused");
	unsetenv("AWS_MAX_ATTEMPTS");
	setenv("AWS_RETRY_MODE", "sometimes", 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG,
	    "an unknown retry mode is refused");
	unsetenv("AWS_RETRY_MODE");
	unsetenv("AWS_CA_BUNDLE");
	opt.profile = "badattempts";
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "profile badattempts") != NULL,
	    "max_attempts = 0 in a profile is refused, naming the profile");
	diag("%s", err.msg);

	/* File errors. */
	opt.profile = NULL;
	char	*bad = write_file("bad", "[default]\nregion = x\n???\n");

	setenv("AWS_CONFIG_FILE", bad, 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG &&
	    strstr(err.msg, "bad:3") != NULL,
	    "a malformed config file fails with file:line");
	char	*missing = xasprintf("%s/does-not-exist", tmpdir);

	setenv("AWS_CONFIG_FILE", missing, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", missing, 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_OK &&
	    cfg.config_ini == NULL && cfg.credentials_ini == NULL,
	    "missing files are fine");
	is_str(cfg.profile, "default", "... profile default");
	aws_config_free(&cfg);
	setenv("AWS_CONFIG_FILE", tmpdir, 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_E_CONFIG,
	    "a directory as the config file fails");

	/* ~ expansion. */
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	char	*oldhome = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;

	setenv("HOME", tmpdir, 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, &opt, &err) == SV_OK, "load from HOME");
	char	*want = xasprintf("%s/.aws/config", tmpdir);

	is_str(cfg.config_file, want, "~/.aws/config expanded from HOME");
	free(want);
	aws_config_free(&cfg);
	setenv("AWS_CONFIG_FILE", "~/cfg", 1);
	sv_err_init(&err);
	aws_config_load(&cfg, &opt, &err);
	want = xasprintf("%s/cfg", tmpdir);
	is_str(cfg.config_file, want, "~ in AWS_CONFIG_FILE expanded");
	free(want);
	aws_config_free(&cfg);
	if (oldhome != NULL)
		setenv("HOME", oldhome, 1);
	free(oldhome);
	unsetenv("AWS_CONFIG_FILE");

	unlink(conf);
	unlink(cred);
	unlink(bad);
	free(conf);
	free(cred);
	free(bad);
	free(missing);
}

static void
test_default_sections(void)
{
	struct aws_config	cfg;
	struct sv_err		err;
	char			*conf;

	clear_env();
	conf = write_file("config2",
	    "[default]\nregion = from-default\n"
	    "[profile default]\nregion = from-profile-default\n");
	setenv("AWS_CONFIG_FILE", conf, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", conf, 1);
	sv_err_init(&err);
	ok(aws_config_load(&cfg, NULL, &err) == SV_OK,
	    "load with NULL options");
	/* The credentials file is the same file: its [default] wins. */
	is_str(cfg.region, "from-default",
	    "credentials-file [default] first");
	aws_config_free(&cfg);
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/creds", 1);
	sv_err_init(&err);
	aws_config_load(&cfg, NULL, &err);
	is_str(cfg.region, "from-profile-default",
	    "the later of [default] and [profile default] wins");
	aws_config_free(&cfg);
	unlink(conf);
	free(conf);
	clear_env();
}

int
main(void)
{
	const char	*t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test-config-XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	test_ini_basic();
	test_ini_crlf_bom();
	test_ini_errors();
	test_resolution();
	test_default_sections();
	rmdir(tmpdir);
	return done_testing();
}
