/* creds.c - the credential chain in botocore's order: environment (unless
 * --profile), the profile (role_arn through STS AssumeRole; static keys
 * from the credentials file; credential_process; static keys from the
 * config file), container credentials, then EC2 instance metadata
 * (IMDSv2). The provider caches what it found and resolves again shortly
 * before temporary credentials expire. Secrets are wiped before they are
 * freed and never appear in a message or a trace. */
/* <config.h>, not "config.h": from this directory the quoted form would
 * find src/aws/config.h instead of autoconf's. */
#include <config.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "aws/creds.h"
#include "aws/http.h"
#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"
#include "util/xml.h"

/* Static unless a unit test builds this file with -DSV_UNITTEST. */
#ifdef SV_UNITTEST
#define UNITTEST
#else
#define UNITTEST static
#endif

/* Refresh this long before expiry; inside the mandatory window a failed
 * refresh is an error (before it, the current credentials still serve);
 * at most one early refresh a minute. */
#define CREDS_REFRESH_MS	(15 * 60 * 1000)
#define CREDS_MANDATORY_MS	(10 * 60 * 1000)
#define CREDS_RETRY_MS		(60 * 1000)
#ifndef CREDS_PROCESS_TIMEOUT_MS	/* test-creds shortens it */
#define CREDS_PROCESS_TIMEOUT_MS (60 * 1000)
#endif
#define CREDS_MAX_PROCESS_OUT	(64u * 1024)	/* credential_process stdout */
#define CREDS_MAX_PROCESS_ERR	(4u * 1024)	/* its stderr, for messages */
#define CREDS_MAX_ROLE_CHAIN	16
#define CREDS_STS_TIMEOUT_MS	30000
#define CREDS_META_TIMEOUT_MS	2000		/* IMDS, container endpoint */
#define CREDS_MAX_SSO_CACHE	(64u * 1024)	/* one ~/.aws/sso/cache file */

#define IMDS_ENDPOINT		"http://169.254.169.254"
#define IMDS_ENDPOINT_V6	"http://[fd00:ec2::254]"
#define ECS_ENDPOINT		"http://169.254.170.2"

UNITTEST sv_result	 creds_split_command(const char *, char ***,
			    struct sv_err *);
UNITTEST void		 creds_free_argv(char **);

struct aws_creds_provider {
	const struct aws_config	*cfg;
	struct http_engine	*engine;	/* the caller's; may be NULL */
	struct http_engine	*own;		/* STS when engine is NULL */
	struct http_engine	*meta;		/* IMDS, container */
	struct aws_creds	 creds;
	bool			 have;
	sv_time			 tried;		/* last resolve */
};

/* One resolution: the profiles followed through source_profile. */
struct chain {
	struct aws_creds_provider *p;
	const char		*visited[CREDS_MAX_ROLE_CHAIN];
	int			 nvisited;
};

/* --- small helpers -------------------------------------------------------- */

static const char *
env_nonempty(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

static void
wipe_buf(struct buf *b)
{
	if (b->ptr != NULL)
		OPENSSL_cleanse(b->ptr, b->cap);
	buf_free(b);
}

/* cJSON_Delete after wiping every string (the secret is one of them). */
static void
json_wipe_delete(cJSON *j)
{
	cJSON	*c;

	if (j == NULL)
		return;
	for (c = j->child; c != NULL; c = c->next) {
		if (cJSON_IsString(c) && c->valuestring != NULL)
			OPENSSL_cleanse(c->valuestring, strlen(c->valuestring));
	}
	cJSON_Delete(j);
}

/* "/home/me/.aws/config" -> "~/.aws/config" for messages and sources. */
static const char *
short_path(const char *path, char *out, size_t outsz)
{
	const char	*home = env_nonempty("HOME");
	size_t		 n;

	if (path == NULL)
		return "";
	if (home != NULL && (n = strlen(home)) > 1 &&
	    strncmp(path, home, n) == 0 && path[n] == '/') {
		snprintf(out, outsz, "~%s", path + n);
		return out;
	}
	return path;
}

static void
creds_set(struct aws_creds *c, const char *akid, const char *secret,
    const char *token, sv_time expiration)
{
	aws_creds_clear(c);
	c->access_key_id = xstrdup(akid);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token != NULL && *token != '\0' ? xstrdup(token) :
	    NULL;
	c->expiration = expiration;
}

static void
creds_move(struct aws_creds *dst, struct aws_creds *src)
{
	aws_creds_clear(dst);
	*dst = *src;
	memset(src, 0, sizeof *src);
	src->expiration = SV_TIME_NONE;
}

void
aws_creds_clear(struct aws_creds *c)
{
	if (c == NULL)
		return;
	wipe_free(c->access_key_id);
	wipe_free(c->secret_access_key);
	wipe_free(c->session_token);
	c->access_key_id = NULL;
	c->secret_access_key = NULL;
	c->session_token = NULL;
	c->expiration = SV_TIME_NONE;
	c->source[0] = '\0';
}

/* --- credential_process --------------------------------------------------- */

/* Splits a command line as botocore does (shlex.split, POSIX mode):
 * white space separates words; '...' is literal; in "..." a backslash
 * escapes only '"' and '\'; elsewhere a backslash escapes any character;
 * quotes join the word they touch; no comments, no expansion. */
UNITTEST sv_result
creds_split_command(const char *s, char ***argvp, struct sv_err *err)
{
	char		**argv = NULL;
	size_t		  argc = 0, cap = 0;
	struct buf	  w;
	bool		  inword = false;
	char		  quote = 0;

	*argvp = NULL;
	buf_init(&w, BUF_MAX_LINE);
	for (const char *p = s; ; p++) {
		char	c = *p;

		if (quote == '\'') {
			if (c == '\0')
				goto unclosed;
			if (c == '\'')
				quote = 0;
			else
				buf_addc(&w, c);
			continue;
		}
		if (quote == '"') {
			if (c == '\0')
				goto unclosed;
			if (c == '"')
				quote = 0;
			else if (c == '\\' && (p[1] == '"' || p[1] == '\\'))
				buf_addc(&w, *++p);
			else
				buf_addc(&w, c);
			continue;
		}
		if (c == '\0' || c == ' ' || c == '\t' || c == '\n' ||
		    c == '\r') {
			if (inword) {
				if (argc + 2 > cap) {
					cap = cap ? cap * 2 : 8;
					argv = xreallocarray(argv, cap,
					    sizeof *argv);
				}
				argv[argc++] = buf_detach(&w);
				argv[argc] = NULL;
				inword = false;
			}
			if (c == '\0')
				break;
			continue;
		}
		inword = true;
		if (c == '\\') {
			if (p[1] == '\0') {
				sv_err_set(err, SV_E_CONFIG,
				    "command line ends with a lone backslash");
				goto fail;
			}
			buf_addc(&w, *++p);
		} else if (c == '\'' || c == '"')
			quote = c;
		else
			buf_addc(&w, c);
	}
	if (argc == 0) {
		sv_err_set(err, SV_E_CONFIG, "command line is empty");
		goto fail;
	}
	buf_free(&w);
	*argvp = argv;
	return SV_OK;

unclosed:
	sv_err_set(err, SV_E_CONFIG, "command line has no closing %s quote",
	    quote == '"' ? "double" : "single");
fail:
	buf_free(&w);
	if (argv != NULL) {
		argv[argc] = NULL;
		creds_free_argv(argv);
	}
	return err != NULL && err->code != SV_OK ? err->code : SV_E_CONFIG;
}

UNITTEST void
creds_free_argv(char **argv)
{
	if (argv == NULL)
		return;
	for (char **a = argv; *a != NULL; a++)
		free(*a);
	free(argv);
}

/* stderr of a failed process, on one line, for a message. */
static void
one_line(char *s)
{
	char	*w = s;

	str_trim(s);
	for (char *r = s; *r != '\0'; r++) {
		unsigned char	c = (unsigned char)*r;

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		else if (c < 0x20 || c == 0x7f)
			continue;
		if (c == ' ' && w > s && w[-1] == ' ')
			continue;
		*w++ = (char)c;
	}
	*w = '\0';
}

static sv_result
run_process(const char *profile, const char *cmdline, struct buf *out,
    struct sv_err *err)
{
	char		**argv = NULL;
	int		  po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	int		  px[2] = { -1, -1 };
	pid_t		  pid = -1;
	struct buf	  eb;
	struct sv_err	  e;
	int		  status = 0, exec_errno;
	int64_t		  deadline;
	bool		  too_much = false, reaped = false;
	sv_result	  result = SV_OK;

	buf_init(&eb, CREDS_MAX_PROCESS_ERR);
	sv_err_init(&e);
	if (creds_split_command(cmdline, &argv, &e) != SV_OK) {
		result = sv_err_set(err, SV_E_CONFIG,
		    "credential_process of profile '%s': %s", profile, e.msg);
		goto out;
	}
	if (pipe2(po, O_CLOEXEC) == -1 || pipe2(pe, O_CLOEXEC) == -1 ||
	    pipe2(px, O_CLOEXEC) == -1) {
		result = sv_err_set(err, SV_E_IO, "pipe: %s", strerror(errno));
		goto out;
	}
	sv_debug("credentials: running credential_process of profile '%s' "
	    "(%s)", profile, argv[0]);
	pid = fork();
	if (pid == -1) {
		result = sv_err_set(err, SV_E_IO, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		struct sigaction sa;
		sigset_t	 none;
		int		 fd = open("/dev/null", O_RDONLY);

		if (fd == -1 || dup2(fd, 0) == -1 || dup2(po[1], 1) == -1 ||
		    dup2(pe[1], 2) == -1)
			_exit(127);
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGPIPE, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGCHLD, &sa, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[0], argv);
		exec_errno = errno;
		if (write(px[1], &exec_errno, sizeof exec_errno) < 0)
			_exit(127);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	close(px[1]);
	po[1] = pe[1] = px[1] = -1;

	/* The exec pipe closes on a successful exec, or carries errno. */
	for (;;) {
		ssize_t	n = read(px[0], &exec_errno, sizeof exec_errno);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == (ssize_t)sizeof exec_errno) {
			result = sv_err_set(err, SV_E_CONFIG,
			    "credential_process of profile '%s': cannot run "
			    "'%s': %s", profile, argv[0],
			    strerror(exec_errno));
			goto out;
		}
		break;
	}

	deadline = sv_monotonic_ms() + CREDS_PROCESS_TIMEOUT_MS;
	while (po[0] != -1 || pe[0] != -1) {
		struct pollfd	pfd[2];
		int		nfd = 0, left;
		char		chunk[4096];

		left = (int)(deadline - sv_monotonic_ms());
		if (left <= 0) {
			result = sv_err_set(err, SV_E_TIMEOUT,
			    "credential_process of profile '%s' did not finish "
			    "within %d seconds: killed it", profile,
			    CREDS_PROCESS_TIMEOUT_MS / 1000);
			goto out;
		}
		if (po[0] != -1)
			pfd[nfd++] = (struct pollfd){ po[0], POLLIN, 0 };
		if (pe[0] != -1)
			pfd[nfd++] = (struct pollfd){ pe[0], POLLIN, 0 };
		if (poll(pfd, (nfds_t)nfd, left) == -1) {
			if (errno == EINTR)
				continue;
			result = sv_err_set(err, SV_E_IO, "poll: %s",
			    strerror(errno));
			goto out;
		}
		for (int i = 0; i < nfd; i++) {
			ssize_t	n;
			int	*fdp = pfd[i].fd == po[0] ? &po[0] : &pe[0];

			if (pfd[i].revents == 0)
				continue;
			n = read(*fdp, chunk, sizeof chunk);
			if (n == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(*fdp);
				*fdp = -1;
				continue;
			}
			if (fdp == &po[0]) {
				if (buf_add(out, chunk, (size_t)n) != SV_OK)
					too_much = true;
			} else if (eb.len < eb.max) {
				size_t	room = eb.max - eb.len;

				buf_add(&eb, chunk, (size_t)n < room ?
				    (size_t)n : room);
			}
			OPENSSL_cleanse(chunk, sizeof chunk);
		}
		if (too_much) {
			result = sv_err_set(err, SV_E_CREDS,
			    "credential_process of profile '%s' printed more "
			    "than %u bytes: killed it", profile,
			    CREDS_MAX_PROCESS_OUT);
			goto out;
		}
	}

	/* Output is closed; wait for the exit status. */
	for (;;) {
		pid_t	r = waitpid(pid, &status, WNOHANG);

		if (r == pid) {
			reaped = true;
			break;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {		/* SIGCHLD ignored: reaped already */
			reaped = true;
			status = 0;
			break;
		}
		if (sv_monotonic_ms() >= deadline) {
			result = sv_err_set(err, SV_E_TIMEOUT,
			    "credential_process of profile '%s' did not exit "
			    "within %d seconds: killed it", profile,
			    CREDS_PROCESS_TIMEOUT_MS / 1000);
			goto out;
		}
		poll(NULL, 0, 10);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char	*msg = xstrdup(buf_str(&eb));
		char	 how[64];

		one_line(msg);
		if (WIFSIGNALED(status))
			snprintf(how, sizeof how, "was killed by signal %d",
			    WTERMSIG(status));
		else
			snprintf(how, sizeof how, "exited with status %d",
			    WEXITSTATUS(status));
		result = sv_err_set(err, SV_E_CREDS,
		    "credential_process of profile '%s' %s%s%.600s", profile,
		    how, *msg != '\0' ? ": " : " (nothing on stderr)", msg);
		free(msg);
	}

out:
	if (pid > 0 && !reaped) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	for (int i = 0; i < 2; i++) {
		if (po[i] != -1)
			close(po[i]);
		if (pe[i] != -1)
			close(pe[i]);
		if (px[i] != -1)
			close(px[i]);
	}
	creds_free_argv(argv);
	buf_free(&eb);
	return result;
}

/* A string member: NULL if absent or null; *bad if another type. */
static const char *
json_string(const cJSON *o, const char *name, bool *bad)
{
	const cJSON	*j = cJSON_GetObjectItemCaseSensitive(o, name);

	if (j == NULL || cJSON_IsNull(j))
		return NULL;
	if (!cJSON_IsString(j) || j->valuestring == NULL) {
		*bad = true;
		return NULL;
	}
	return j->valuestring;
}

sv_result
aws_creds_parse_process_output(const char *text, size_t len,
    struct aws_creds *c, struct sv_err *err)
{
	cJSON		*j;
	const cJSON	*v;
	const char	*akid, *secret, *token, *exp;
	sv_time		 expiration = SV_TIME_NONE;
	bool		 bad = false;
	sv_result	 result = SV_OK;

	j = cJSON_ParseWithLength(text, len);
	if (j == NULL || !cJSON_IsObject(j)) {
		result = sv_err_set(err, SV_E_CREDS,
		    "output is not a JSON object");
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(j, "Version");
	if (v == NULL) {
		result = sv_err_set(err, SV_E_CREDS,
		    "output has no \"Version\" (it must be 1)");
		goto out;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble != 1.0) {
		result = sv_err_set(err, SV_E_CREDS,
		    "output has an unsupported \"Version\" (only the number 1 "
		    "is supported)");
		goto out;
	}
	akid = json_string(j, "AccessKeyId", &bad);
	if (bad || akid == NULL || *akid == '\0') {
		result = sv_err_set(err, SV_E_CREDS,
		    "output has no \"AccessKeyId\" string");
		goto out;
	}
	secret = json_string(j, "SecretAccessKey", &bad);
	if (bad || secret == NULL || *secret == '\0') {
		result = sv_err_set(err, SV_E_CREDS,
		    "output has no \"SecretAccessKey\" string");
		goto out;
	}
	token = json_string(j, "SessionToken", &bad);
	if (bad) {
		result = sv_err_set(err, SV_E_CREDS,
		    "output has a \"SessionToken\" that is not a string");
		goto out;
	}
	exp = json_string(j, "Expiration", &bad);
	if (bad || (exp != NULL && sv_time_parse_iso(exp, &expiration) !=
	    SV_OK)) {
		result = sv_err_set(err, SV_E_CREDS,
		    "output has an \"Expiration\" that is not an ISO-8601 "
		    "time");
		goto out;
	}
	creds_set(c, akid, secret, token, expiration);
out:
	json_wipe_delete(j);
	return result;
}

static sv_result
from_process(struct chain *ch, const char *profile, const char *cmdline,
    struct aws_creds *out, struct sv_err *err)
{
	struct buf	b;
	struct sv_err	e;
	sv_result	result;

	buf_init(&b, CREDS_MAX_PROCESS_OUT);
	result = run_process(profile, cmdline, &b, err);
	if (result != SV_OK)
		goto out;
	sv_err_init(&e);
	result = aws_creds_parse_process_output(buf_str(&b), b.len, out, &e);
	if (result != SV_OK) {
		sv_err_set(err, result, "credential_process of profile '%s': "
		    "%s (see 'credential_process' in the AWS CLI "
		    "documentation)", profile, e.msg);
		goto out;
	}
	snprintf(out->source, sizeof out->source,
	    "credential_process (profile %s)", profile);
out:
	wipe_buf(&b);
	return result;
}

/* --- HTTP for metadata and STS -------------------------------------------- */

static struct http_engine *
meta_engine(struct aws_creds_provider *p, struct sv_err *err)
{
	struct http_engine_opts	o;

	if (p->meta == NULL) {
		memset(&o, 0, sizeof o);
		o.ca_bundle = p->cfg->ca_bundle;
		o.connect_timeout_ms = 1000;
		o.request_timeout_ms = CREDS_META_TIMEOUT_MS;
		o.max_attempts = 2;
		p->meta = http_engine_new(&o, err);
	}
	return p->meta;
}

static struct http_engine *
sts_engine(struct aws_creds_provider *p, struct sv_err *err)
{
	struct http_engine_opts	o;

	if (p->engine != NULL)
		return p->engine;
	if (p->own == NULL) {
		memset(&o, 0, sizeof o);
		o.ca_bundle = p->cfg->ca_bundle;
		o.max_attempts = p->cfg->max_attempts;
		p->own = http_engine_new(&o, err);
	}
	return p->own;
}

/* JSON credentials from IMDS or a container endpoint: AccessKeyId,
 * SecretAccessKey, Token, Expiration, all required. */
static sv_result
parse_meta_json(const struct buf *body, const char *what,
    struct aws_creds *out, struct sv_err *err)
{
	cJSON		*j = cJSON_ParseWithLength(buf_str(body), body->len);
	const char	*akid, *secret, *token, *exp, *code;
	sv_time		 expiration;
	bool		 bad = false;
	sv_result	 result = SV_OK;

	if (j == NULL || !cJSON_IsObject(j)) {
		result = sv_err_set(err, SV_E_CREDS,
		    "%s: the answer is not a JSON object", what);
		goto out;
	}
	code = json_string(j, "Code", &bad);
	if (code != NULL && strcmp(code, "Success") != 0) {
		result = sv_err_set(err, SV_E_CREDS,
		    "%s: the answer says Code %.100s", what, code);
		goto out;
	}
	akid = json_string(j, "AccessKeyId", &bad);
	secret = json_string(j, "SecretAccessKey", &bad);
	token = json_string(j, "Token", &bad);
	exp = json_string(j, "Expiration", &bad);
	if (bad || akid == NULL || secret == NULL || token == NULL ||
	    exp == NULL) {
		result = sv_err_set(err, SV_E_CREDS,
		    "%s: the answer lacks AccessKeyId, SecretAccessKey, Token "
		    "or Expiration", what);
		goto out;
	}
	if (sv_time_parse_iso(exp, &expiration) != SV_OK) {
		result = sv_err_set(err, SV_E_CREDS,
		    "%s: Expiration is not an ISO-8601 time", what);
		goto out;
	}
	creds_set(out, akid, secret, token, expiration);
out:
	json_wipe_delete(j);
	return result;
}

/* --- IAM Identity Center (SSO) -------------------------------------------- */

/* An sso-session token is refreshed this long before it expires, as the
 * AWS CLI does (a legacy profile's token cannot be). */
#define SSO_REFRESH_WINDOW_MS	(15 * 60 * 1000)

/* Writes the refreshed cache back like the AWS CLI: the same file, 0600,
 * replaced atomically. A failure only costs the next run a refresh. */
static void
sso_cache_write(const char *path, cJSON *j)
{
	char	*text = cJSON_PrintUnformatted(j), *tmp;
	int	 fd;
	size_t	 len;

	if (text == NULL)
		return;
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		sv_debug("credentials: cannot rewrite %s: %s", path, strerror(errno));
		goto out;
	}
	len = strlen(text);
	if (fchmod(fd, 0600) == -1 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) == -1) {
		sv_debug("credentials: cannot rewrite %s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		sv_debug("credentials: cannot rewrite %s: %s", path, strerror(errno));
		unlink(tmp);
	}
out:
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	free(tmp);
}

/* SSO OIDC CreateToken with the cached refresh token. Returns the new
 * access token (allocated) and updates j, or NULL (why into why). */
static char *
sso_refresh(struct chain *ch, const char *region, cJSON *j, sv_time now,
    char *why, size_t whysz)
{
	const char		*cid, *csec, *rtok, *regexp, *base;
	char			*url = NULL, *body = NULL, *token = NULL;
	char			 iso[SV_TIME_ISO_MAX];
	struct http_headers	 h = { 0 };
	struct http_response	 resp;
	struct http_engine	*eng;
	struct sv_err		 e;
	cJSON			*req = NULL, *ans = NULL;
	const cJSON		*exp;
	sv_time			 regt;
	bool			 bad = false;

	http_response_init(&resp);
	sv_err_init(&e);
	cid = json_string(j, "clientId", &bad);
	csec = json_string(j, "clientSecret", &bad);
	rtok = json_string(j, "refreshToken", &bad);
	regexp = json_string(j, "registrationExpiresAt", &bad);
	if (bad || cid == NULL || csec == NULL || rtok == NULL) {
		snprintf(why, whysz, "the sign-in cannot be refreshed");
		goto out;
	}
	if (regexp != NULL && sv_time_parse_iso(regexp, &regt) == SV_OK &&
	    regt <= now) {
		snprintf(why, whysz, "its client registration expired at %s",
		    regexp);
		goto out;
	}
	if ((base = env_nonempty("AWS_ENDPOINT_URL_SSO_OIDC")) != NULL)
		url = xasprintf("%s/token", base);
	else
		url = xasprintf("https://oidc.%s.amazonaws.com/token", region);
	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "grantType", "refresh_token");
	cJSON_AddStringToObject(req, "clientId", cid);
	cJSON_AddStringToObject(req, "clientSecret", csec);
	cJSON_AddStringToObject(req, "refreshToken", rtok);
	if ((body = cJSON_PrintUnformatted(req)) == NULL)
		abort();
	http_headers_add(&h, "Content-Type", "application/json");
	if ((eng = sts_engine(ch->p, &e)) == NULL ||
	    http_simple(eng, "POST", url, &h, body, strlen(body),
	    CREDS_STS_TIMEOUT_MS, &resp, &e) != SV_OK || resp.result != SV_OK) {
		snprintf(why, whysz, "refreshing it failed: %s",
		    resp.err.msg[0] != '\0' ? resp.err.msg : e.msg);
		goto out;
	}
	if (resp.status != 200) {
		snprintf(why, whysz, "refreshing it was refused (HTTP %ld)",
		    resp.status);
		goto out;
	}
	ans = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	exp = ans != NULL ? cJSON_GetObjectItemCaseSensitive(ans, "expiresIn") :
	    NULL;
	bad = false;
	if (ans == NULL || json_string(ans, "accessToken", &bad) == NULL || bad ||
	    !cJSON_IsNumber(exp) || exp->valuedouble <= 0) {
		snprintf(why, whysz, "refreshing it gave no accessToken/expiresIn");
		goto out;
	}
	token = xstrdup(json_string(ans, "accessToken", &bad));
	sv_time_format_iso(now + (sv_time)(exp->valuedouble * 1000), iso, false);
	cJSON_ReplaceItemInObjectCaseSensitive(j, "accessToken",
	    cJSON_CreateString(token));
	cJSON_ReplaceItemInObjectCaseSensitive(j, "expiresAt",
	    cJSON_CreateString(iso));
	if ((rtok = json_string(ans, "refreshToken", &bad)) != NULL && !bad)
		cJSON_ReplaceItemInObjectCaseSensitive(j, "refreshToken",
		    cJSON_CreateString(rtok));
out:
	json_wipe_delete(ans);
	json_wipe_delete(req);
	if (body != NULL) {
		OPENSSL_cleanse(body, strlen(body));
		free(body);
	}
	wipe_buf(&resp.body);
	http_response_free(&resp);
	http_headers_free(&h);
	free(url);
	return token;
}

/* The token `aws sso login` cached: ~/.aws/sso/cache/SHA1(key).json, key
 * being the sso-session's name (or, for a legacy profile, the start URL).
 * An sso-session's token close to expiry is refreshed (SSO OIDC) and the
 * file rewritten. Returns the access token (allocated) or NULL with err
 * set. */
static char *
sso_cached_token(struct chain *ch, const char *profile, const char *key,
    bool session, const char *region, sv_time now, struct sv_err *err)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	char		 hex[2 * EVP_MAX_MD_SIZE + 1], *path = NULL, *token = NULL;
	char		 expires[64], why[SV_ERR_MSG_MAX / 2] = "";
	const char	*home = getenv("HOME"), *tok, *exp;
	struct buf	 b;
	cJSON		*j = NULL;
	sv_time		 until;
	sv_result	 r;
	bool		 bad = false;
	size_t		 n;

	buf_init(&b, CREDS_MAX_SSO_CACHE);
	if (EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha1(), NULL) != 1)
		abort();
	str_hex(hex, md, mdlen);
	path = xasprintf("%s/.aws/sso/cache/%s.json", home != NULL ? home : "",
	    hex);
	if ((r = buf_read_file(&b, path)) == SV_E_NOTFOUND) {
		sv_err_set(err, SV_E_CREDS, "profile '%s' signs in through IAM "
		    "Identity Center (SSO), and there is no sign-in to use (%s): "
		    "run 'aws sso login --profile %s', then try again", profile,
		    path, profile);
		goto out;
	}
	if (r == SV_OK)
		j = cJSON_ParseWithLength(buf_str(&b), b.len);
	tok = j != NULL ? json_string(j, "accessToken", &bad) : NULL;
	exp = j != NULL ? json_string(j, "expiresAt", &bad) : NULL;
	if (j == NULL || bad || tok == NULL || exp == NULL) {
		sv_err_set(err, SV_E_CREDS, "%s is not an SSO sign-in that salvage "
		    "can read (accessToken, expiresAt): run 'aws sso login "
		    "--profile %s' again", path, profile);
		goto out;
	}
	/* botocore writes "...Z"; older versions "...UTC". */
	str_lcpy(expires, exp, sizeof expires);
	if ((n = strlen(expires)) > 3 && strcmp(expires + n - 3, "UTC") == 0)
		str_lcpy(expires + n - 3, "Z", 2);
	if (sv_time_parse_iso(expires, &until) != SV_OK) {
		sv_err_set(err, SV_E_CREDS, "%s: expiresAt '%.40s' is not a time: "
		    "run 'aws sso login --profile %s' again", path, exp, profile);
		goto out;
	}
	if (session && until <= now + SSO_REFRESH_WINDOW_MS) {
		if ((token = sso_refresh(ch, region, j, now, why,
		    sizeof why)) != NULL) {
			sv_debug("credentials: refreshed the SSO sign-in of "
			    "profile %s", profile);
			sso_cache_write(path, j);
			goto out;
		}
		sv_debug("credentials: SSO sign-in of profile %s: %s", profile, why);
	}
	if (until <= now + 60 * 1000) {
		sv_err_set(err, SV_E_CREDS, "the IAM Identity Center (SSO) sign-in "
		    "of profile '%s' has expired (at %s%s%s): run 'aws sso login "
		    "--profile %s', then try again", profile, exp,
		    why[0] != '\0' ? "; " : "", why, profile);
		goto out;
	}
	token = xstrdup(tok);
out:
	json_wipe_delete(j);
	wipe_buf(&b);
	free(path);
	return token;
}

/* A profile with sso_account_id and sso_role_name, and either an
 * sso_session (its [sso-session NAME] section has sso_start_url and
 * sso_region) or the legacy sso_start_url and sso_region of its own:
 * the portal's GetRoleCredentials with the cached token. */
static sv_result
from_sso(struct chain *ch, const char *profile, struct aws_creds *out,
    struct sv_err *err)
{
	const struct aws_config	*cfg = ch->p->cfg;
	const char		*session, *account, *role, *region, *key, *base;
	const cJSON		*rc;
	char			*section = NULL, *url = NULL, *token = NULL;
	char			*qa = NULL, *qr = NULL, *hostbuf = NULL;
	struct http_headers	 h = { 0 };
	struct http_response	 resp;
	struct http_engine	*eng;
	struct buf		 q;
	cJSON			*j = NULL;
	sv_result		 result;
	bool			 bad = false;
	double			 expms;

	http_response_init(&resp);
	buf_init(&q, BUF_MAX_SMALL);
	session = aws_config_get(cfg, profile, "sso_session");
	account = aws_config_get(cfg, profile, "sso_account_id");
	role = aws_config_get(cfg, profile, "sso_role_name");
	if (session != NULL) {
		section = xasprintf("sso-session %s", session);
		if (!aws_ini_has_section(cfg->config_ini, section)) {
			result = sv_err_set(err, SV_E_CONFIG, "profile '%s' names "
			    "sso_session %s, but %s has no [%s] section", profile,
			    session, cfg->config_file, section);
			goto out;
		}
		region = aws_ini_get(cfg->config_ini, section, "sso_region");
		key = session;
	} else {
		region = aws_config_get(cfg, profile, "sso_region");
		key = aws_config_get(cfg, profile, "sso_start_url");
	}
	if (account == NULL || role == NULL || region == NULL || key == NULL) {
		result = sv_err_set(err, SV_E_CONFIG, "profile '%s' signs in through "
		    "IAM Identity Center (SSO) but lacks %s (aws configure sso "
		    "writes it)", profile, account == NULL ? "sso_account_id" :
		    role == NULL ? "sso_role_name" : region == NULL ? "sso_region" :
		    "sso_start_url");
		goto out;
	}
	if ((token = sso_cached_token(ch, profile, key, session != NULL, region,
	    sv_time_now(), err)) == NULL) {
		result = err->code;
		goto out;
	}
	/* The portal: AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL, or AWS's. */
	if ((base = env_nonempty("AWS_ENDPOINT_URL_SSO")) != NULL ||
	    (base = env_nonempty("AWS_ENDPOINT_URL")) != NULL) {
		size_t	bl;

		hostbuf = xstrdup(base);
		for (bl = strlen(hostbuf); bl > 0 && hostbuf[bl - 1] == '/'; )
			hostbuf[--bl] = '\0';
	} else
		hostbuf = xasprintf("https://portal.sso.%s.amazonaws.com", region);
	if (str_uri_encode(&q, account, strlen(account), false) != SV_OK)
		goto toolong;
	qa = buf_detach(&q);
	if (str_uri_encode(&q, role, strlen(role), false) != SV_OK)
		goto toolong;
	qr = buf_detach(&q);
	url = xasprintf("%s/federation/credentials?account_id=%s&role_name=%s",
	    hostbuf, qa, qr);
	http_headers_add(&h, "x-amz-sso_bearer_token", token);
	if ((eng = sts_engine(ch->p, err)) == NULL) {
		result = err->code;
		goto out;
	}
	sv_debug("credentials: IAM Identity Center (SSO) for profile %s: "
	    "account %s, role %s", profile, account, role);
	if (http_simple(eng, "GET", url, &h, NULL, 0, CREDS_STS_TIMEOUT_MS,
	    &resp, err) != SV_OK || resp.result != SV_OK) {
		result = sv_err_set(err, SV_E_NET, "IAM Identity Center (SSO) "
		    "GetRoleCredentials for profile '%s': %s", profile,
		    resp.err.msg[0] != '\0' ? resp.err.msg : err->msg);
		goto out;
	}
	if (resp.status == 401 || resp.status == 403) {
		result = sv_err_set(err, SV_E_CREDS, "IAM Identity Center (SSO) "
		    "refused the sign-in of profile '%s' (HTTP %ld): run 'aws sso "
		    "login --profile %s' again, and check that role %s exists in "
		    "account %s", profile, resp.status, profile, role, account);
		goto out;
	}
	if (resp.status != 200) {
		result = sv_err_set(err, SV_E_CREDS, "IAM Identity Center (SSO) "
		    "GetRoleCredentials for profile '%s' answered HTTP %ld",
		    profile, resp.status);
		goto out;
	}
	j = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
	rc = j != NULL ? cJSON_GetObjectItemCaseSensitive(j, "roleCredentials") :
	    NULL;
	if (rc == NULL || !cJSON_IsObject(rc) ||
	    !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rc, "expiration"))) {
		result = sv_err_set(err, SV_E_CREDS, "IAM Identity Center (SSO): the "
		    "answer for profile '%s' has no roleCredentials", profile);
		goto out;
	}
	expms = cJSON_GetObjectItemCaseSensitive(rc, "expiration")->valuedouble;
	{
		const char *akid = json_string(rc, "accessKeyId", &bad);
		const char *secret = json_string(rc, "secretAccessKey", &bad);
		const char *st = json_string(rc, "sessionToken", &bad);

		if (bad || akid == NULL || secret == NULL || st == NULL) {
			result = sv_err_set(err, SV_E_CREDS, "IAM Identity Center "
			    "(SSO): the answer for profile '%s' lacks accessKeyId, "
			    "secretAccessKey or sessionToken", profile);
			goto out;
		}
		creds_set(out, akid, secret, st, (sv_time)expms);
	}
	snprintf(out->source, sizeof out->source, "IAM Identity Center (SSO), "
	    "profile %s (account %s, role %s)", profile, account, role);
	result = SV_OK;
	goto out;
toolong:
	result = sv_err_set(err, SV_E_CONFIG, "profile '%s': sso_account_id or "
	    "sso_role_name is too long", profile);
out:
	json_wipe_delete(j);
	wipe_buf(&resp.body);
	http_response_free(&resp);
	http_headers_free(&h);
	wipe_free(token);
	buf_free(&q);
	free(qa);
	free(qr);
	free(url);
	free(section);
	free(hostbuf);
	return result;
}

/* --- container credentials ------------------------------------------------ */

/* An http:// full URI must stay on this host or the ECS/EKS agent. */
static bool
container_host_allowed(const char *url)
{
	static const char *hosts[] = {
		"localhost", "127.", "[::1]", "169.254.170.2", "169.254.170.23",
		"[fd00:ec2::23]", NULL
	};
	const char	*h;
	size_t		 n;

	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	if (strncasecmp(url, "http://", 7) != 0)
		return false;
	h = url + 7;
	n = strcspn(h, "/?#");
	for (int i = 0; hosts[i] != NULL; i++) {
		size_t	l = strlen(hosts[i]);

		if (hosts[i][l - 1] == '.') {	/* 127.0.0.0/8 */
			if (strncmp(h, hosts[i], l) == 0)
				return true;
		} else if (n >= l && strncasecmp(h, hosts[i], l) == 0 &&
		    (n == l || h[l] == ':'))
			return true;
	}
	return false;
}

static sv_result
from_container(struct chain *ch, struct aws_creds *out, bool *found,
    struct sv_err *err)
{
	const char		*rel, *full, *tokfile, *tok;
	char			*url = NULL, *token = NULL;
	struct http_headers	 h = { 0 };
	struct http_response	 resp;
	struct http_engine	*eng;
	sv_result		 result = SV_OK;

	*found = false;
	http_response_init(&resp);
	rel = env_nonempty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	full = env_nonempty("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	if (rel == NULL && full == NULL)
		goto out;
	*found = true;
	if (rel != NULL)
		url = xasprintf("%s%s%s", ECS_ENDPOINT, *rel == '/' ? "" : "/",
		    rel);
	else {
		if (!container_host_allowed(full)) {
			result = sv_err_set(err, SV_E_CONFIG,
			    "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, "
			    "or http to a loopback address or the ECS/EKS "
			    "agent (169.254.170.2, 169.254.170.23)");
			goto out;
		}
		url = xstrdup(full);
	}

	tokfile = env_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	if (tokfile != NULL) {
		FILE	*f = fopen(tokfile, "re");
		char	 line[BUF_MAX_SMALL];

		if (f == NULL || fgets(line, sizeof line, f) == NULL) {
			result = sv_err_set(err, SV_E_CREDS,
			    "cannot read "
			    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s",
			    tokfile, f == NULL ? strerror(errno) :
			    "empty file");
			if (f != NULL)
				fclose(f);
			goto out;
		}
		fclose(f);
		token = xstrdup(str_trim(line));
		OPENSSL_cleanse(line, sizeof line);
	} else if ((tok = env_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN")) !=
	    NULL)
		token = xstrdup(tok);
	if (token != NULL) {
		if (strpbrk(token, "\r\n") != NULL) {
			result = sv_err_set(err, SV_E_CONFIG,
			    "the container authorization token contains a line "
			    "break");
			goto out;
		}
		http_headers_add(&h, "Authorization", token);
	}
	http_headers_add(&h, "Accept", "application/json");

	if ((eng = meta_engine(ch->p, err)) == NULL) {
		result = err->code;
		goto out;
	}
	sv_debug("credentials: trying container credentials at %s", url);
	result = http_simple(eng, "GET", url, &h, NULL, 0,
	    CREDS_META_TIMEOUT_MS, &resp, err);
	if (result != SV_OK || resp.result != SV_OK) {
		result = sv_err_set(err, SV_E_CREDS,
		    "container credentials: no answer from %s: %s", url,
		    resp.err.msg[0] != '\0' ? resp.err.msg :
		    (err != NULL ? err->msg : ""));
		goto out;
	}
	if (resp.status != 200) {
		result = sv_err_set(err, SV_E_CREDS,
		    "container credentials: %s answered HTTP %ld", url,
		    resp.status);
		goto out;
	}
	result = parse_meta_json(&resp.body, "container credentials", out, err);
	if (result == SV_OK)
		snprintf(out->source, sizeof out->source,
		    "container credentials");
out:
	wipe_buf(&resp.body);
	http_response_free(&resp);
	http_headers_free(&h);
	wipe_free(token);
	free(url);
	return result;
}

/* --- EC2 instance metadata ------------------------------------------------ */

static bool
is_true(const char *v)
{
	return v != NULL && strcasecmp(v, "true") == 0;
}

/* Not finding IMDS is not an error: *found stays false and why says what
 * happened, for the final message. A broken answer is an error. */
static sv_result
from_imds(struct chain *ch, struct aws_creds *out, bool *found, char *why,
    size_t whysz, struct sv_err *err)
{
	const struct aws_config	*cfg = ch->p->cfg;
	const char		*v;
	char			*base, *url = NULL;
	char			*token = NULL, *role = NULL;
	struct http_headers	 h = { 0 };
	struct http_response	 resp;
	struct http_engine	*eng;
	struct sv_err		 e;
	sv_result		 result = SV_OK;
	size_t			 n;

	*found = false;
	http_response_init(&resp);
	if (is_true(getenv("AWS_EC2_METADATA_DISABLED"))) {
		snprintf(why, whysz, "disabled by AWS_EC2_METADATA_DISABLED");
		return SV_OK;
	}
	if ((v = env_nonempty("AWS_EC2_METADATA_SERVICE_ENDPOINT")) == NULL &&
	    (v = aws_config_get(cfg, NULL, "ec2_metadata_service_endpoint")) ==
	    NULL) {
		const char	*mode = env_nonempty(
		    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");

		if (mode == NULL)
			mode = aws_config_get(cfg, NULL,
			    "ec2_metadata_service_endpoint_mode");
		v = mode != NULL && strcasecmp(mode, "IPv6") == 0 ?
		    IMDS_ENDPOINT_V6 : IMDS_ENDPOINT;
	}
	base = xstrdup(v);
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';

	sv_err_init(&e);
	if ((eng = meta_engine(ch->p, &e)) == NULL) {
		snprintf(why, whysz, "%s", e.msg);
		goto out;
	}
	sv_debug("credentials: trying EC2 instance metadata at %s", base);

	/* 1. A session token (IMDSv2). */
	url = xasprintf("%s/latest/api/token", base);
	http_headers_add(&h, "X-aws-ec2-metadata-token-ttl-seconds", "21600");
	if (http_simple(eng, "PUT", url, &h, "", 0, CREDS_META_TIMEOUT_MS,
	    &resp, &e) != SV_OK || resp.result != SV_OK) {
		snprintf(why, whysz, "no answer from %s: %s", base,
		    resp.err.msg[0] != '\0' ? resp.err.msg : e.msg);
		goto out;
	}
	if (resp.status == 200) {
		token = xstrdup(buf_str(&resp.body));
		str_trim(token);
	} else if (resp.status != 403 && resp.status != 404 &&
	    resp.status != 405) {
		/* 403/404/405: no IMDSv2 here; go on without a token. */
		snprintf(why, whysz, "%s answered HTTP %ld to the token "
		    "request", base, resp.status);
		goto out;
	}
	http_headers_free(&h);
	memset(&h, 0, sizeof h);
	if (token != NULL)
		http_headers_add(&h, "X-aws-ec2-metadata-token", token);

	/* 2. The role name. */
	wipe_buf(&resp.body);
	http_response_free(&resp);
	http_response_init(&resp);
	free(url);
	url = xasprintf("%s/latest/meta-data/iam/security-credentials/", base);
	if (http_simple(eng, "GET", url, &h, NULL, 0, CREDS_META_TIMEOUT_MS,
	    &resp, &e) != SV_OK || resp.result != SV_OK) {
		snprintf(why, whysz, "no answer from %s: %s", base,
		    resp.err.msg[0] != '\0' ? resp.err.msg : e.msg);
		goto out;
	}
	if (resp.status == 404) {
		snprintf(why, whysz, "%s: the instance has no IAM role", base);
		goto out;
	}
	if (resp.status != 200) {
		snprintf(why, whysz, "%s answered HTTP %ld to the role request",
		    base, resp.status);
		goto out;
	}
	role = xstrndup(buf_str(&resp.body), strcspn(buf_str(&resp.body),
	    "\r\n"));
	str_trim(role);
	if (*role == '\0' || strchr(role, '/') != NULL) {
		snprintf(why, whysz, "%s: no usable IAM role name", base);
		goto out;
	}

	/* 3. The role's credentials. */
	wipe_buf(&resp.body);
	http_response_free(&resp);
	http_response_init(&resp);
	free(url);
	url = xasprintf("%s/latest/meta-data/iam/security-credentials/%s",
	    base, role);
	if (http_simple(eng, "GET", url, &h, NULL, 0, CREDS_META_TIMEOUT_MS,
	    &resp, &e) != SV_OK || resp.result != SV_OK) {
		snprintf(why, whysz, "no answer from %s: %s", base,
		    resp.err.msg[0] != '\0' ? resp.err.msg : e.msg);
		goto out;
	}
	if (resp.status != 200) {
		snprintf(why, whysz, "%s answered HTTP %ld for role %s", base,
		    resp.status, role);
		goto out;
	}
	*found = true;
	result = parse_meta_json(&resp.body, "EC2 instance metadata", out, err);
	if (result == SV_OK)
		snprintf(out->source, sizeof out->source, "%s (role %s)",
		    token != NULL ? "IMDSv2" : "IMDSv1", role);
out:
	wipe_buf(&resp.body);
	http_response_free(&resp);
	http_headers_free(&h);
	wipe_free(token);
	free(role);
	free(url);
	free(base);
	return result;
}

/* --- STS AssumeRole ------------------------------------------------------- */

struct sts_parse {
	char	*akid, *secret, *token, *exp;
	char	*code, *message;
};

static void
sts_end(void *data, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct sts_parse *sp = data;
	char		**slot = NULL;

	if (strcmp(path, "/AssumeRoleResponse/AssumeRoleResult/Credentials/"
	    "AccessKeyId") == 0)
		slot = &sp->akid;
	else if (strcmp(path, "/AssumeRoleResponse/AssumeRoleResult/"
	    "Credentials/SecretAccessKey") == 0)
		slot = &sp->secret;
	else if (strcmp(path, "/AssumeRoleResponse/AssumeRoleResult/"
	    "Credentials/SessionToken") == 0)
		slot = &sp->token;
	else if (strcmp(path, "/AssumeRoleResponse/AssumeRoleResult/"
	    "Credentials/Expiration") == 0)
		slot = &sp->exp;
	else if (strcmp(name, "Code") == 0 && strstr(path, "/Error/") != NULL)
		slot = &sp->code;
	else if (strcmp(name, "Message") == 0 &&
	    strstr(path, "/Error/") != NULL)
		slot = &sp->message;
	if (slot != NULL && *slot == NULL) {
		*slot = xstrndup(text, len);
		str_trim(*slot);
	}
}

static void
sts_parse_free(struct sts_parse *sp)
{
	free(sp->akid);
	wipe_free(sp->secret);
	wipe_free(sp->token);
	free(sp->exp);
	free(sp->code);
	free(sp->message);
	memset(sp, 0, sizeof *sp);
}

/* Skew errors worth one re-signed retry with the server's clock. */
static bool
sts_skew_error(const struct sts_parse *sp)
{
	if (sp->code == NULL)
		return false;
	if (strcmp(sp->code, "RequestExpired") == 0 ||
	    strcmp(sp->code, "RequestTimeTooSkewed") == 0)
		return true;
	return (strcmp(sp->code, "SignatureDoesNotMatch") == 0 ||
	    strcmp(sp->code, "InvalidSignatureException") == 0) &&
	    sp->message != NULL && strstr(sp->message, "expired") != NULL;
}

static sv_result
sts_assume_role(struct chain *ch, const struct aws_creds *src,
    const char *profile, const char *role_arn, struct aws_creds *out,
    struct sv_err *err)
{
	const struct aws_config	*cfg = ch->p->cfg;
	const char		*session, *external_id, *duration, *region;
	const char		*scheme_end, *hp, *path;
	char			*endpoint = NULL, *hostport = NULL;
	char			*url = NULL, *pathdup = NULL, *gen = NULL;
	char			 amz[17], what[512];
	struct buf		 body;
	struct http_engine	*eng;
	struct http_response	 resp;
	struct sts_parse	 sp;
	struct xml_handler	 xh = { NULL, sts_end };
	struct sv_err		 e;
	int64_t			 skew;
	sv_result		 result = SV_OK;

	memset(&sp, 0, sizeof sp);
	buf_init(&body, BUF_MAX_SMALL);
	http_response_init(&resp);
	snprintf(what, sizeof what, "assuming role %s for profile '%s'",
	    role_arn, profile);

	session = aws_config_get(cfg, profile, "role_session_name");
	if (session == NULL || *session == '\0')
		session = gen = xasprintf("salvage-%lld",
		    (long long)(sv_time_now() / 1000));
	external_id = aws_config_get(cfg, profile, "external_id");
	duration = aws_config_get(cfg, profile, "duration_seconds");
	if (duration != NULL && (*duration == '\0' ||
	    strspn(duration, "0123456789") != strlen(duration))) {
		result = sv_err_set(err, SV_E_CONFIG,
		    "%s: duration_seconds '%s' is not a number of seconds",
		    what, duration);
		goto out;
	}

	region = cfg->region != NULL ? cfg->region : "us-east-1";
	if (cfg->endpoint[AWS_SVC_STS] != NULL)
		endpoint = xstrdup(cfg->endpoint[AWS_SVC_STS]);
	else
		endpoint = xasprintf("https://sts.%s.amazonaws.com", region);
	if ((scheme_end = strstr(endpoint, "://")) == NULL) {
		result = sv_err_set(err, SV_E_CONFIG,
		    "%s: the STS endpoint '%s' is not an http(s) URL", what,
		    endpoint);
		goto out;
	}
	hp = scheme_end + 3;
	hostport = xstrndup(hp, strcspn(hp, "/?#"));
	path = hp + strlen(hostport);
	pathdup = xstrndup(path, strcspn(path, "?#"));
	if (*hostport == '\0') {
		result = sv_err_set(err, SV_E_CONFIG,
		    "%s: the STS endpoint '%s' has no host", what, endpoint);
		goto out;
	}
	if (*pathdup == '\0') {
		free(pathdup);
		pathdup = xstrdup("/");
	}
	url = xasprintf("%.*s%s", (int)(hp - endpoint), endpoint, hostport);
	{
		char	*u = xasprintf("%s%s", url, pathdup);

		free(url);
		url = u;
	}

	buf_adds(&body, "Action=AssumeRole&Version=2011-06-15&RoleArn=");
	str_uri_encode(&body, role_arn, strlen(role_arn), false);
	buf_adds(&body, "&RoleSessionName=");
	str_uri_encode(&body, session, strlen(session), false);
	if (external_id != NULL) {
		buf_adds(&body, "&ExternalId=");
		str_uri_encode(&body, external_id, strlen(external_id), false);
	}
	if (duration != NULL)
		buf_addf(&body, "&DurationSeconds=%s", duration);

	if ((eng = sts_engine(ch->p, err)) == NULL) {
		result = err != NULL ? err->code : SV_E_NET;
		goto out;
	}
	skew = http_engine_skew_ms(eng);

	for (int attempt = 1; ; attempt++) {
		struct sigv4_header	sh[4];
		struct sigv4_request	rq;
		struct sigv4_params	pr;
		struct sigv4_result	sr;
		struct http_headers	h = { 0 };
		size_t			nh = 0;
		sv_time			now = sv_time_now() + skew;

		sv_time_format_amz(now, amz);
		sh[nh++] = (struct sigv4_header){ "host", hostport };
		sh[nh++] = (struct sigv4_header){ "content-type",
		    "application/x-www-form-urlencoded; charset=utf-8" };
		sh[nh++] = (struct sigv4_header){ "x-amz-date", amz };
		if (src->session_token != NULL)
			sh[nh++] = (struct sigv4_header){
			    "x-amz-security-token", src->session_token };
		memset(&rq, 0, sizeof rq);
		rq.method = "POST";
		rq.path = pathdup;
		rq.query = NULL;
		rq.headers = sh;
		rq.nheaders = nh;
		rq.body = buf_str(&body);
		rq.body_len = body.len;
		memset(&pr, 0, sizeof pr);
		pr.access_key_id = src->access_key_id;
		pr.secret_access_key = src->secret_access_key;
		pr.session_token = src->session_token;
		pr.region = region;
		pr.service = "sts";
		pr.now = now;
		pr.normalize = true;

		sv_err_init(&e);
		sigv4_result_init(&sr);
		if (sigv4_sign(&rq, &pr, &sr, &e) != SV_OK) {
			sigv4_result_free(&sr);
			result = sv_err_set(err, e.code, "%s: signing: %s",
			    what, e.msg);
			goto out;
		}
		for (size_t i = 0; i < nh; i++)
			http_headers_add(&h, sh[i].name, sh[i].value);
		http_headers_add(&h, "authorization",
		    buf_str(&sr.authorization));
		sigv4_result_free(&sr);

		sv_debug("credentials: %s via %s (attempt %d)", what, url,
		    attempt);
		wipe_buf(&resp.body);
		http_response_free(&resp);
		http_response_init(&resp);
		result = http_simple(eng, "POST", url, &h, buf_str(&body),
		    body.len, CREDS_STS_TIMEOUT_MS, &resp, &e);
		http_headers_free(&h);
		if (result != SV_OK || resp.result != SV_OK) {
			if (resp.result != SV_OK && resp.err.code != SV_OK)
				e = resp.err;
			result = sv_err_set(err, e.code != SV_OK ? e.code :
			    SV_E_NET, "%s: no answer from %s: %s", what, url,
			    e.msg);
			goto out;
		}
		sts_parse_free(&sp);
		sv_err_init(&e);
		if (xml_parse(buf_str(&resp.body), resp.body.len, &xh, &sp,
		    &e) != SV_OK && resp.status == 200) {
			result = sv_err_set(err, SV_E_PARSE,
			    "%s: unreadable answer from %s: %s", what, url,
			    e.msg);
			goto out;
		}
		if (resp.status != 200 && attempt == 1 && sts_skew_error(&sp) &&
		    resp.server_date != SV_TIME_NONE) {
			skew = resp.server_date - sv_time_now();
			sv_debug("credentials: clock skew %lld ms; signing "
			    "again", (long long)skew);
			continue;
		}
		break;
	}

	if (resp.status != 200 || sp.code != NULL) {
		bool	denied = sp.code != NULL &&
		    strcmp(sp.code, "AccessDenied") == 0;

		result = sv_err_set(err, denied ? SV_E_DENIED : SV_E_CREDS,
		    "%s failed (HTTP %ld): %s%s%.400s%s", what, resp.status,
		    sp.code != NULL ? sp.code : "no error code",
		    sp.message != NULL ? ": " : "",
		    sp.message != NULL ? sp.message : "",
		    denied ? " (check the role's trust policy and the source "
		    "identity's sts:AssumeRole permission)" : "");
		goto out;
	}
	if (sp.akid == NULL || sp.secret == NULL || sp.token == NULL) {
		result = sv_err_set(err, SV_E_PARSE,
		    "%s: the answer from %s has no Credentials", what, url);
		goto out;
	}
	sv_time	exp = SV_TIME_NONE;

	if (sp.exp != NULL && sv_time_parse_iso(sp.exp, &exp) != SV_OK) {
		result = sv_err_set(err, SV_E_PARSE,
		    "%s: Expiration '%.64s' is not an ISO-8601 time", what,
		    sp.exp);
		goto out;
	}
	creds_set(out, sp.akid, sp.secret, sp.token, exp);
out:
	sts_parse_free(&sp);
	wipe_buf(&resp.body);
	http_response_free(&resp);
	buf_free(&body);
	free(endpoint);
	free(hostport);
	free(pathdup);
	free(url);
	free(gen);
	return result;
}

/* --- the profile ---------------------------------------------------------- */

static bool
has_key(const struct aws_config *cfg, const char *profile, const char *key)
{
	const char	*v = aws_config_get(cfg, profile, key);

	return v != NULL;
}

static bool
has_static(const struct aws_config *cfg, const char *profile)
{
	return has_key(cfg, profile, "aws_access_key_id") ||
	    has_key(cfg, profile, "aws_secret_access_key");
}

static bool
has_role(const struct aws_config *cfg, const char *profile)
{
	return has_key(cfg, profile, "role_arn") &&
	    !has_key(cfg, profile, "web_identity_token_file");
}

/* Static keys; credfile: from the credentials file only, else from the
 * merged profile (config file). */
static sv_result
from_static(const struct aws_config *cfg, const char *profile, bool credfile,
    struct aws_creds *out, bool *found, struct sv_err *err)
{
	const char	*akid, *secret, *token, *file;
	char		 sp[512];

	*found = false;
	if (credfile) {
		akid = aws_ini_get(cfg->credentials_ini, profile,
		    "aws_access_key_id");
		secret = aws_ini_get(cfg->credentials_ini, profile,
		    "aws_secret_access_key");
		if ((token = aws_ini_get(cfg->credentials_ini, profile,
		    "aws_security_token")) == NULL)
			token = aws_ini_get(cfg->credentials_ini, profile,
			    "aws_session_token");
		file = cfg->credentials_file;
	} else {
		akid = aws_config_get(cfg, profile, "aws_access_key_id");
		secret = aws_config_get(cfg, profile, "aws_secret_access_key");
		if ((token = aws_config_get(cfg, profile,
		    "aws_security_token")) == NULL)
			token = aws_config_get(cfg, profile,
			    "aws_session_token");
		file = cfg->config_file;
	}
	if (akid == NULL && secret == NULL)
		return SV_OK;
	if (akid == NULL || *akid == '\0' || secret == NULL ||
	    *secret == '\0')
		return sv_err_set(err, SV_E_CREDS,
		    "profile '%s' in %s has %s but no %s: set both", profile,
		    short_path(file, sp, sizeof sp),
		    akid == NULL || *akid == '\0' ? "aws_secret_access_key" :
		    "aws_access_key_id",
		    akid == NULL || *akid == '\0' ? "aws_access_key_id" :
		    "aws_secret_access_key");
	creds_set(out, akid, secret, token, SV_TIME_NONE);
	snprintf(out->source, sizeof out->source, "profile %s (%s)", profile,
	    short_path(file, sp, sizeof sp));
	*found = true;
	return SV_OK;
}

/* botocore's profile providers: credentials file keys, credential_process,
 * config file keys. Profile kinds salvage cannot use say so. */
static sv_result
profile_providers(struct chain *ch, const char *profile,
    struct aws_creds *out, bool *found, struct sv_err *err)
{
	const struct aws_config	*cfg = ch->p->cfg;
	const char		*cmd;
	sv_result		 result;

	*found = false;
	result = from_static(cfg, profile, true, out, found, err);
	if (result != SV_OK || *found)
		return result;
	if ((cmd = aws_config_get(cfg, profile, "credential_process")) !=
	    NULL && *cmd != '\0') {
		*found = true;
		return from_process(ch, profile, cmd, out, err);
	}
	result = from_static(cfg, profile, false, out, found, err);
	if (result != SV_OK || *found)
		return result;
	if (has_key(cfg, profile, "sso_session") ||
	    has_key(cfg, profile, "sso_start_url")) {
		*found = true;
		return from_sso(ch, profile, out, err);
	}
	if (has_key(cfg, profile, "web_identity_token_file"))
		return sv_err_set(err, SV_E_CREDS,
		    "profile '%s' uses web_identity_token_file, which salvage "
		    "does not support yet: use credential_process = aws "
		    "configure export-credentials --profile %s --format "
		    "process",
		    profile, profile);
	return SV_OK;
}

static sv_result	assume_role(struct chain *, const char *,
			    struct aws_creds *, struct sv_err *);

static sv_result
from_env(struct aws_creds *out, bool *found, struct sv_err *err)
{
	const char	*akid, *secret, *token, *exp;
	sv_time		 expiration = SV_TIME_NONE;

	*found = false;
	akid = env_nonempty("AWS_ACCESS_KEY_ID");
	secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
	if (akid == NULL && secret == NULL)
		return SV_OK;
	if (akid == NULL)
		return sv_err_set(err, SV_E_CREDS,
		    "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is "
		    "not: set both, or unset AWS_SECRET_ACCESS_KEY to use a "
		    "profile");
	if (secret == NULL)
		return sv_err_set(err, SV_E_CREDS,
		    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is "
		    "not: set both, or unset AWS_ACCESS_KEY_ID to use a "
		    "profile");
	if ((token = env_nonempty("AWS_SECURITY_TOKEN")) == NULL)
		token = env_nonempty("AWS_SESSION_TOKEN");
	if ((exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION")) != NULL &&
	    sv_time_parse_iso(exp, &expiration) != SV_OK)
		return sv_err_set(err, SV_E_CREDS,
		    "AWS_CREDENTIAL_EXPIRATION '%.64s' is not an ISO-8601 "
		    "time", exp);
	creds_set(out, akid, secret, token, expiration);
	snprintf(out->source, sizeof out->source, "environment");
	*found = true;
	return SV_OK;
}

static sv_result
from_credential_source(struct chain *ch, const char *profile,
    const char *source, struct aws_creds *out, struct sv_err *err)
{
	bool		found = false;
	char		why[512];
	sv_result	result;

	if (strcasecmp(source, "Environment") == 0)
		result = from_env(out, &found, err);
	else if (strcasecmp(source, "EcsContainer") == 0)
		result = from_container(ch, out, &found, err);
	else if (strcasecmp(source, "Ec2InstanceMetadata") == 0) {
		why[0] = '\0';
		result = from_imds(ch, out, &found, why, sizeof why, err);
		if (result == SV_OK && !found)
			return sv_err_set(err, SV_E_CREDS,
			    "profile '%s': no credentials from its "
			    "credential_source Ec2InstanceMetadata: %s",
			    profile, why);
	} else
		return sv_err_set(err, SV_E_CONFIG,
		    "profile '%s': credential_source '%s' is not one of "
		    "Environment, Ec2InstanceMetadata or EcsContainer",
		    profile, source);
	if (result == SV_OK && !found)
		return sv_err_set(err, SV_E_CREDS,
		    "profile '%s': no credentials from its credential_source "
		    "%s", profile, source);
	return result;
}

/* Credentials of a source_profile: its own keys or process win over its
 * role_arn (botocore); a role there is assumed in turn. */
static sv_result
source_profile_creds(struct chain *ch, const char *parent, const char *name,
    struct aws_creds *out, struct sv_err *err)
{
	const struct aws_config	*cfg = ch->p->cfg;
	bool			 found = false;
	sv_result		 result;

	if (has_static(cfg, name) || !has_role(cfg, name)) {
		result = profile_providers(ch, name, out, &found, err);
		if (result == SV_OK && !found)
			result = sv_err_set(err, SV_E_CREDS,
			    "source_profile '%s' of profile '%s' has no "
			    "credentials (aws_access_key_id, "
			    "credential_process or role_arn)", name, parent);
		return result;
	}
	return assume_role(ch, name, out, err);
}

static sv_result
assume_role(struct chain *ch, const char *profile, struct aws_creds *out,
    struct sv_err *err)
{
	const struct aws_config	*cfg = ch->p->cfg;
	const char		*role_arn, *sp, *cs, *mfa;
	struct aws_creds	 src;
	struct buf		 loop;
	sv_result		 result;

	memset(&src, 0, sizeof src);
	src.expiration = SV_TIME_NONE;
	role_arn = aws_config_get(cfg, profile, "role_arn");
	sp = aws_config_get(cfg, profile, "source_profile");
	cs = aws_config_get(cfg, profile, "credential_source");
	mfa = aws_config_get(cfg, profile, "mfa_serial");

	if (mfa != NULL)
		return sv_err_set(err, SV_E_CREDS,
		    "profile '%s' needs an MFA code (mfa_serial %s), which "
		    "salvage cannot prompt for yet: get temporary credentials "
		    "first (aws sts assume-role ... --serial-number --token-"
		    "code) and export them, or use a profile without "
		    "mfa_serial", profile, mfa);
	if (sp != NULL && cs != NULL)
		return sv_err_set(err, SV_E_CONFIG,
		    "profile '%s' has both source_profile and "
		    "credential_source: keep one", profile);
	if (sp == NULL && cs == NULL)
		return sv_err_set(err, SV_E_CONFIG,
		    "profile '%s' has role_arn but neither source_profile nor "
		    "credential_source", profile);

	if (cs != NULL) {
		result = from_credential_source(ch, profile, cs, &src, err);
		if (result != SV_OK)
			goto out;
	} else {
		bool	seen = false;

		if (!aws_config_has_profile(cfg, sp))
			return sv_err_set(err, SV_E_CONFIG,
			    "source_profile '%s' of profile '%s' does not "
			    "exist", sp, profile);
		for (int i = 0; i < ch->nvisited; i++) {
			if (strcmp(ch->visited[i], sp) == 0)
				seen = true;
		}
		/* A profile may name itself to use its own keys. */
		if (seen && (strcmp(sp, profile) != 0 ||
		    !has_static(cfg, sp))) {
			buf_init(&loop, BUF_MAX_SMALL);
			for (int i = 0; i < ch->nvisited; i++)
				buf_addf(&loop, "%s -> ", ch->visited[i]);
			buf_adds(&loop, sp);
			result = sv_err_set(err, SV_E_CONFIG,
			    "source_profile loop: %s", buf_str(&loop));
			buf_free(&loop);
			return result;
		}
		if (ch->nvisited >= CREDS_MAX_ROLE_CHAIN)
			return sv_err_set(err, SV_E_CONFIG,
			    "profile '%s': more than %d roles chained through "
			    "source_profile", profile, CREDS_MAX_ROLE_CHAIN);
		ch->visited[ch->nvisited++] = sp;
		result = source_profile_creds(ch, profile, sp, &src, err);
		if (result != SV_OK)
			goto out;
	}

	result = sts_assume_role(ch, &src, profile, role_arn, out, err);
	if (result == SV_OK)
		snprintf(out->source, sizeof out->source,
		    "assume-role %s via %s%s", role_arn,
		    sp != NULL ? "profile " : "", sp != NULL ? sp : cs);
out:
	aws_creds_clear(&src);
	return result;
}

/* --- the chain ------------------------------------------------------------ */

static sv_result
resolve(struct aws_creds_provider *p, struct aws_creds *out,
    struct sv_err *err)
{
	const struct aws_config	*cfg = p->cfg;
	const char		*profile = cfg->profile != NULL ? cfg->profile :
	    "default";
	struct chain		 ch;
	struct buf		 msg;
	bool			 found = false, skip_env;
	char			 why[512], a[512], b[512];
	sv_result		 result;

	memset(&ch, 0, sizeof ch);
	ch.p = p;
	ch.visited[ch.nvisited++] = profile;

	/* 1. Environment, unless --profile (AWS_PROFILE does not skip it). */
	skip_env = cfg->profile_source != NULL &&
	    strcmp(cfg->profile_source, "--profile") == 0;
	if (!skip_env) {
		result = from_env(out, &found, err);
		if (result != SV_OK || found)
			return result;
	}

	/* 2. The profile. */
	if (has_role(cfg, profile))
		return assume_role(&ch, profile, out, err);
	result = profile_providers(&ch, profile, out, &found, err);
	if (result != SV_OK || found)
		return result;

	/* 3. Container credentials. */
	result = from_container(&ch, out, &found, err);
	if (result != SV_OK || found)
		return result;

	/* 4. EC2 instance metadata. */
	why[0] = '\0';
	result = from_imds(&ch, out, &found, why, sizeof why, err);
	if (result != SV_OK || found)
		return result;

	buf_init(&msg, SV_ERR_MSG_MAX);
	buf_adds(&msg, "no AWS credentials found: looked in ");
	if (skip_env)
		buf_adds(&msg, "the environment (skipped: --profile given), ");
	else
		buf_adds(&msg, "the environment (AWS_ACCESS_KEY_ID), ");
	buf_addf(&msg, "profile '%s' in %s and %s%s, ", profile,
	    short_path(cfg->credentials_file, a, sizeof a),
	    short_path(cfg->config_file, b, sizeof b),
	    aws_config_has_profile(cfg, profile) ? "" : " (no such profile)");
	buf_adds(&msg, "container credentials, EC2 instance metadata");
	if (why[0] != '\0')
		buf_addf(&msg, " (%s)", why);
	if (env_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE") != NULL)
		buf_adds(&msg, "; AWS_WEB_IDENTITY_TOKEN_FILE is set, but web "
		    "identity is not supported yet");
	buf_adds(&msg, ". Configure a profile (aws configure) or pass "
	    "--profile.");
	result = sv_err_set(err, SV_E_CREDS, "%s", buf_str(&msg));
	buf_free(&msg);
	return result;
}

/* --- the provider --------------------------------------------------------- */

struct aws_creds_provider *
aws_creds_provider_new(const struct aws_config *cfg, struct http_engine *engine)
{
	struct aws_creds_provider *p = xcalloc(1, sizeof *p);

	p->cfg = cfg;
	p->engine = engine;
	p->creds.expiration = SV_TIME_NONE;
	p->tried = SV_TIME_NONE;
	return p;
}

void
aws_creds_provider_free(struct aws_creds_provider *p)
{
	if (p == NULL)
		return;
	aws_creds_clear(&p->creds);
	if (p->own != NULL)
		http_engine_free(p->own);
	if (p->meta != NULL)
		http_engine_free(p->meta);
	free(p);
}

void
aws_creds_invalidate(struct aws_creds_provider *p)
{
	aws_creds_clear(&p->creds);
	p->have = false;
	p->tried = SV_TIME_NONE;
}

sv_result
aws_creds_get(struct aws_creds_provider *p, const struct aws_creds **out,
    struct sv_err *err)
{
	struct aws_creds	 fresh;
	struct sv_err		 e;
	sv_time			 now = sv_time_now(), exp = p->creds.expiration;
	char			 iso[SV_TIME_ISO_MAX];

	*out = NULL;
	if (p->have) {
		if (exp == SV_TIME_NONE || exp - now > CREDS_REFRESH_MS) {
			*out = &p->creds;
			return SV_OK;
		}
		/* Refreshed a moment ago and still good for a while. */
		if (p->tried != SV_TIME_NONE &&
		    now - p->tried < CREDS_RETRY_MS &&
		    exp - now > 2 * CREDS_RETRY_MS) {
			*out = &p->creds;
			return SV_OK;
		}
	}

	memset(&fresh, 0, sizeof fresh);
	fresh.expiration = SV_TIME_NONE;
	sv_err_init(&e);
	p->tried = now;
	if (resolve(p, &fresh, &e) == SV_OK) {
		if (fresh.expiration != SV_TIME_NONE &&
		    fresh.expiration <= now) {
			sv_time_format_iso(fresh.expiration, iso, false);
			sv_err_set(&e, SV_E_CREDS,
			    "the credentials from %s expired at %s",
			    fresh.source, iso);
		} else {
			sv_debug("credentials: from %s", fresh.source);
			creds_move(&p->creds, &fresh);
			p->have = true;
			*out = &p->creds;
			return SV_OK;
		}
	}
	aws_creds_clear(&fresh);
	if (p->have && exp - now > CREDS_MANDATORY_MS) {
		/* An early refresh failed: the current ones still serve. */
		sv_debug("credentials: refresh failed, keeping the current "
		    "ones: %s", e.msg);
		*out = &p->creds;
		return SV_OK;
	}
	return sv_err_set(err, e.code, "%s", e.msg);
}
