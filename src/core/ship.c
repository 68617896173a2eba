/* ship.c - shipping the audit log to S3, the spool of what is not shipped
 * yet, and `salvage audit ship` (see ship.h). */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "aws/sigv4.h"
#include "core/ship.h"
#include "svc/s3-write.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

#define SHIP_BACKOFF_MAX_MS	(5 * 60 * 1000)
#define LOG_CONTENT_TYPE	"application/x-ndjson"

/* ---- Destinations ---- */

void
audit_dest_free(struct audit_dest *d)
{
	free(d->uri);
	free(d->bucket);
	free(d->prefix);
	memset(d, 0, sizeof *d);
}

sv_result
audit_dest_parse(const char *uri, struct audit_dest *d, struct sv_err *err)
{
	const char	*b, *slash;
	size_t		 plen;

	memset(d, 0, sizeof *d);
	str_lcpy(d->lock_mode, AUDIT_LOCK_MODE_DEFAULT, sizeof d->lock_mode);
	d->lock_days = AUDIT_LOCK_DAYS_DEFAULT;
	if (uri == NULL || strncasecmp(uri, "s3://", 5) != 0)
		return sv_err_set(err, SV_E_USAGE, "audit destination '%s' is not an "
		    "S3 URI: expected s3://BUCKET/PREFIX/", uri != NULL ? uri : "");
	b = uri + 5;
	slash = strchr(b, '/');
	d->bucket = slash != NULL ? xstrndup(b, (size_t)(slash - b)) : xstrdup(b);
	if (d->bucket[0] == '\0') {
		audit_dest_free(d);
		return sv_err_set(err, SV_E_USAGE, "audit destination '%s' has no "
		    "bucket: expected s3://BUCKET/PREFIX/", uri);
	}
	for (const char *p = d->bucket; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || (*p >= 'A' && *p <= 'Z'))) {
			audit_dest_free(d);
			return sv_err_set(err, SV_E_USAGE, "audit destination '%s': "
			    "bad bucket name", uri);
		}
	d->prefix = xstrdup(slash != NULL ? slash + 1 : "");
	plen = strlen(d->prefix);
	if (plen > 0 && d->prefix[plen - 1] != '/') {
		char *p = xasprintf("%s/", d->prefix);

		free(d->prefix);
		d->prefix = p;
	}
	if (d->prefix[0] == '/' || strstr(d->prefix, "//") != NULL ||
	    strstr(d->prefix, "/../") != NULL || str_starts(d->prefix, "../")) {
		audit_dest_free(d);
		return sv_err_set(err, SV_E_USAGE, "audit destination '%s': the "
		    "prefix must not contain empty or '..' segments", uri);
	}
	d->uri = xasprintf("s3://%s/%s", d->bucket, d->prefix);
	return SV_OK;
}

sv_result
audit_dest_resolve(const char *cli_uri, const struct conf *cf, struct audit_dest *d,
    bool *found, struct sv_err *err)
{
	const char	*uri = NULL, *src = NULL, *mode;
	long		 days;
	sv_result	 result;

	*found = false;
	memset(d, 0, sizeof *d);
	if (cli_uri != NULL && *cli_uri != '\0') {
		uri = cli_uri;
		src = "--audit-s3";
	} else if (getenv("SALVAGE_AUDIT_S3") != NULL && *getenv("SALVAGE_AUDIT_S3") != '\0') {
		uri = getenv("SALVAGE_AUDIT_S3");
		src = "SALVAGE_AUDIT_S3";
	} else if (cf != NULL && conf_get(cf, "audit_s3") != NULL &&
	    *conf_get(cf, "audit_s3") != '\0') {
		uri = conf_get(cf, "audit_s3");
		src = "config";
	}
	if (uri == NULL)
		return SV_OK;
	result = audit_dest_parse(uri, d, err);
	if (result != SV_OK) {
		sv_err_prefix(err, "%s", src);
		return result;
	}
	if (strcmp(src, "config") == 0 && cf->path != NULL)
		snprintf(d->source, sizeof d->source, "%.50s", cf->path);
	else
		str_lcpy(d->source, src, sizeof d->source);
	if (cf != NULL) {
		mode = conf_get(cf, "audit_lock_mode");
		if (mode != NULL) {
			if (strcasecmp(mode, "GOVERNANCE") != 0 &&
			    strcasecmp(mode, "COMPLIANCE") != 0) {
				audit_dest_free(d);
				return sv_err_set(err, SV_E_CONFIG, "%s: audit_lock_mode = %s: "
				    "expected GOVERNANCE or COMPLIANCE", cf->path, mode);
			}
			str_lcpy(d->lock_mode, mode, sizeof d->lock_mode);
			for (char *p = d->lock_mode; *p != '\0'; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 'a' + 'A');
		}
		result = conf_get_int(cf, "audit_lock_days", 1, 36500,
		    AUDIT_LOCK_DAYS_DEFAULT, &days, err);
		if (result != SV_OK) {
			audit_dest_free(d);
			return result;
		}
		d->lock_days = days;
	}
	*found = true;
	return SV_OK;
}

char *
audit_object_key(const struct audit_dest *d, const char *account,
    const char *session, const char *suffix)
{
	/* session: YYYYMMDDTHHMMSSZ-xxxxxxxx */
	if (strlen(session) < 8)
		return xasprintf("%s%s/%s%s", d->prefix, account, session, suffix);
	return xasprintf("%s%s/%.4s/%.2s/%.2s/%s%s", d->prefix,
	    account != NULL && *account != '\0' ? account : "unknown-account",
	    session, session + 4, session + 6, session, suffix);
}

/* ---- Spool markers ---- */

char *
audit_spool_dir(const char *audit_dir)
{
	return xasprintf("%s/spool", audit_dir);
}

static char *
marker_path(const char *audit_dir, const char *session)
{
	return xasprintf("%s/spool/%s.json", audit_dir, session);
}

bool
audit_spool_pending(const char *audit_dir, const char *session)
{
	char	*p = marker_path(audit_dir, session);
	bool	 r = access(p, F_OK) == 0;

	free(p);
	return r;
}

static sv_result
write_file_atomic(const char *path, const char *text, struct sv_err *err)
{
	char		*tmp = xasprintf("%s.tmp", path);
	int		 fd;
	size_t		 n = strlen(text), off = 0;
	sv_result	 result = SV_OK;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		result = sv_err_set(err, SV_E_IO, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	while (off < n) {
		ssize_t w = write(fd, text + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			result = sv_err_set(err, SV_E_IO, "cannot write %s: %s", tmp,
			    strerror(errno));
			break;
		}
		off += (size_t)w;
	}
	if (result == SV_OK && fsync(fd) == -1)
		result = sv_err_set(err, SV_E_IO, "cannot sync %s: %s", tmp, strerror(errno));
	close(fd);
	if (result == SV_OK && rename(tmp, path) == -1)
		result = sv_err_set(err, SV_E_IO, "cannot rename %s: %s", tmp, strerror(errno));
	if (result != SV_OK)
		unlink(tmp);
out:
	free(tmp);
	return result;
}

/* ---- Shipping one session ---- */

enum lock_state { LOCK_UNKNOWN, LOCK_ON, LOCK_OFF };

struct audit_ship {
	struct aws_client	*client;
	struct audit		*audit;
	struct audit_dest	 dest;
	char			*account;
	char			*key;
	char			*digest_key;
	char			*uri;
	char			*marker;

	enum lock_state		 lock;
	bool			 busy;		/* a request in flight */
	bool			 idle;		/* !busy, for run_until */
	uint64_t		 shipped;	/* records in S3 */
	uint64_t		 sending;	/* records in the body in flight */
	bool			 digest_done;
	bool			 sending_digest;
	char			*body;
	size_t			 body_len;

	int			 failures;
	int64_t			 next_try;	/* monotonic ms */
	char			 error[SV_ERR_MSG_MAX];
	bool			 warned;
};

static void	ship_start(struct audit_ship *);

static void
ship_listener(void *arg)
{
	audit_ship_kick(arg);
}

static void
write_marker(struct audit_ship *s)
{
	cJSON		*j = cJSON_CreateObject();
	char		*text;
	struct sv_err	 err;

	cJSON_AddStringToObject(j, "session", audit_session(s->audit));
	cJSON_AddStringToObject(j, "log", audit_path(s->audit));
	cJSON_AddStringToObject(j, "destination", s->dest.uri);
	cJSON_AddStringToObject(j, "bucket", s->dest.bucket);
	cJSON_AddStringToObject(j, "prefix", s->dest.prefix);
	cJSON_AddStringToObject(j, "key", s->key);
	cJSON_AddStringToObject(j, "digest_key", s->digest_key);
	cJSON_AddStringToObject(j, "lock_mode", s->dest.lock_mode);
	cJSON_AddNumberToObject(j, "lock_days", (double)s->dest.lock_days);
	cJSON_AddStringToObject(j, "account", s->account);
	cJSON_AddNumberToObject(j, "records", (double)audit_count(s->audit));
	cJSON_AddNumberToObject(j, "shipped", (double)s->shipped);
	text = cJSON_Print(j);
	cJSON_Delete(j);
	if (text == NULL)
		abort();
	sv_err_init(&err);
	if (write_file_atomic(s->marker, text, &err) != SV_OK)
		sv_warn("audit: cannot write the spool marker: %s", err.msg);
	free(text);
}

struct audit_ship *
audit_ship_new(struct aws_client *client, struct audit *a,
    const struct audit_dest *dest, const char *account)
{
	struct audit_ship	*s = xcalloc(1, sizeof *s);
	char			*spool;
	struct sv_err		 err;

	s->client = client;
	s->audit = a;
	s->dest = *dest;
	s->dest.uri = xstrdup(dest->uri);
	s->dest.bucket = xstrdup(dest->bucket);
	s->dest.prefix = xstrdup(dest->prefix);
	s->account = xstrdup(account != NULL && *account != '\0' ? account :
	    "unknown-account");
	s->key = audit_object_key(dest, s->account, audit_session(a), ".jsonl");
	s->digest_key = audit_object_key(dest, s->account, audit_session(a),
	    ".digest.json");
	s->uri = xasprintf("s3://%s/%s", dest->bucket, s->key);
	s->marker = marker_path(audit_dirname(a), audit_session(a));
	s->idle = true;
	audit_add_own_dest(a, dest->bucket, dest->prefix);

	spool = audit_spool_dir(audit_dirname(a));
	sv_err_init(&err);
	if (audit_broken(a) == NULL && audit_dir_prepare(spool, &err) == SV_OK)
		write_marker(s);
	else if (audit_broken(a) == NULL)
		sv_warn("audit: %s", err.msg);
	free(spool);
	audit_set_listener(a, ship_listener, s);
	return s;
}

void
audit_ship_free(struct audit_ship *s)
{
	if (s == NULL)
		return;
	audit_set_listener(s->audit, NULL, NULL);
	audit_dest_free(&s->dest);
	free(s->account);
	free(s->key);
	free(s->digest_key);
	free(s->uri);
	free(s->marker);
	free(s->body);
	free(s);
}

size_t
audit_ship_pending(const struct audit_ship *s)
{
	uint64_t	n = audit_count(s->audit);

	return n > s->shipped ? (size_t)(n - s->shipped) : 0;
}

const char *
audit_ship_uri(const struct audit_ship *s)
{
	return s->uri;
}

const char *
audit_ship_error(const struct audit_ship *s)
{
	return s->error[0] != '\0' ? s->error : NULL;
}

static bool
ship_complete(const struct audit_ship *s)
{
	return s->shipped == audit_count(s->audit) &&
	    (!audit_ended(s->audit) || s->digest_done);
}

static void
ship_failed(struct audit_ship *s, const struct sv_err *err, const char *code,
    bool with_lock)
{
	int64_t	delay;

	s->failures++;
	delay = 1000LL << (s->failures < 9 ? s->failures - 1 : 8);
	if (delay > SHIP_BACKOFF_MAX_MS)
		delay = SHIP_BACKOFF_MAX_MS;
	s->next_try = sv_monotonic_ms() + delay;
	if (with_lock && code != NULL && (strcmp(code, "InvalidRequest") == 0 ||
	    strcmp(code, "InvalidArgument") == 0 || strcmp(code, "AccessDenied") == 0))
		snprintf(s->error, sizeof s->error, "the bucket rejected the upload "
		    "with Object Lock retention (%s, %ld days): %s; retention is never "
		    "dropped: fix the bucket or audit_lock_mode/audit_lock_days",
		    s->dest.lock_mode, s->dest.lock_days, err->msg);
	else
		snprintf(s->error, sizeof s->error, "%s", err->msg[0] != '\0' ?
		    err->msg : sv_result_str(err->code));
	if (!s->warned) {
		s->warned = true;
		sv_warn("audit: cannot ship the log to %s: %s; it is kept in the "
		    "spool and shipping is retried", s->dest.uri, s->error);
	}
}

static void
ship_succeeded(struct audit_ship *s)
{
	s->failures = 0;
	s->next_try = 0;
	s->error[0] = '\0';
	if (ship_complete(s) && audit_ended(s->audit))
		unlink(s->marker);
}

static void
set_busy(struct audit_ship *s, bool busy)
{
	s->busy = busy;
	s->idle = !busy;
}

static void
lock_done(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_lock_info *li)
{
	struct audit_ship	*s = arg;

	set_busy(s, false);
	if (r != SV_OK) {
		ship_failed(s, err, NULL, false);
		return;
	}
	s->lock = li->enabled ? LOCK_ON : LOCK_OFF;
	sv_debug("audit: %s: Object Lock %s", s->dest.bucket,
	    li->enabled ? "enabled" : "not enabled");
	audit_ship_kick(s);
}

static void
put_done(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_put_result *res)
{
	struct audit_ship	*s = arg;

	set_busy(s, false);
	xfree(s->body);
	if (r != SV_OK) {
		ship_failed(s, err, res != NULL ? res->aws_code : NULL, s->lock == LOCK_ON);
		return;
	}
	if (s->sending_digest)
		s->digest_done = true;
	else
		s->shipped = s->sending;
	sv_debug("audit: shipped %s (%llu records)", s->sending_digest ?
	    s->digest_key : s->key, (unsigned long long)s->shipped);
	ship_succeeded(s);
	audit_ship_kick(s);
}

static void
fill_lock(struct s3_put_req *req, const struct audit_dest *d, bool on)
{
	if (!on)
		return;
	req->lock_mode = d->lock_mode;
	req->retain_until = sv_time_now() + (sv_time)d->lock_days * 86400000LL;
}

static char *
digest_json(const char *session, uint64_t records, const char *head,
    const char *log_uri, const char *log, size_t len, bool ended)
{
	cJSON	*j = cJSON_CreateObject();
	char	 hex[65], *text;

	sigv4_sha256_hex(log, len, hex);
	cJSON_AddStringToObject(j, "session", session);
	cJSON_AddNumberToObject(j, "records", (double)records);
	cJSON_AddStringToObject(j, "head", head);
	cJSON_AddStringToObject(j, "log", log_uri);
	cJSON_AddStringToObject(j, "log_sha256", hex);
	cJSON_AddBoolToObject(j, "ended", ended);
	text = cJSON_Print(j);
	cJSON_Delete(j);
	if (text == NULL)
		abort();
	return text;
}

static void
ship_start(struct audit_ship *s)
{
	struct s3_put_req	 req;
	const char		*text;
	size_t			 len;

	memset(&req, 0, sizeof req);
	set_busy(s, true);
	if (s->lock == LOCK_UNKNOWN) {
		s3_get_lock_config(s->client, s->dest.bucket, lock_done, s);
		return;
	}
	text = audit_text(s->audit, &len);
	if (s->shipped < audit_count(s->audit)) {
		s->sending_digest = false;
		s->sending = audit_count(s->audit);
		s->body = xmalloc(len + 1);
		memcpy(s->body, text, len);
		s->body_len = len;
		req.key = s->key;
		req.content_type = LOG_CONTENT_TYPE;
	} else {
		s->sending_digest = true;
		s->body = digest_json(audit_session(s->audit), audit_count(s->audit),
		    audit_head(s->audit), s->uri, text, len, true);
		s->body_len = strlen(s->body);
		req.key = s->digest_key;
		req.content_type = "application/json";
	}
	req.bucket = s->dest.bucket;
	req.body = s->body;
	req.len = s->body_len;
	fill_lock(&req, &s->dest, s->lock == LOCK_ON);
	/* Passes the client's gate as the log's own upload (gate.exempt ->
	 * audit_is_own_upload), also read-only; never an intent. */
	s3_put_object(s->client, &req, put_done, s);
}

void
audit_ship_kick(struct audit_ship *s)
{
	if (s == NULL || s->busy || ship_complete(s) || audit_broken(s->audit) != NULL)
		return;
	if (s->next_try != 0 && sv_monotonic_ms() < s->next_try)
		return;
	ship_start(s);
}

int
audit_ship_timeout_ms(const struct audit_ship *s)
{
	int64_t	left;

	if (s == NULL || s->busy || ship_complete(s) || s->next_try == 0)
		return -1;
	left = s->next_try - sv_monotonic_ms();
	return left < 0 ? 0 : left > 3600000 ? 3600000 : (int)left;
}

void
audit_ship_tick(struct audit_ship *s)
{
	audit_ship_kick(s);
}

sv_result
audit_ship_finish(struct audit_ship *s, struct sv_err *err)
{
	int	failures0 = s->failures;

	/* One last attempt, whatever the backoff says. */
	while (!ship_complete(s)) {
		if (!s->busy) {
			s->next_try = 0;
			audit_ship_kick(s);
			if (!s->busy)
				break;
		}
		http_engine_run_until(aws_client_engine(s->client), &s->idle);
		if (s->busy)
			break;	/* the engine stopped */
		if (s->failures > failures0)
			break;
	}
	if (ship_complete(s)) {
		unlink(s->marker);
		return SV_OK;
	}
	write_marker(s);
	return sv_err_set(err, SV_E_NET, "%zu record%s not yet shipped to %s; "
	    "run salvage audit ship%s%s%s", audit_ship_pending(s),
	    audit_ship_pending(s) == 1 ? "" : "s", s->dest.uri,
	    s->error[0] != '\0' ? " (" : "", s->error, s->error[0] != '\0' ? ")" : "");
}

/* ---- salvage audit ship ---- */

struct put_wait {
	bool		 done;
	sv_result	 r;
	struct sv_err	 err;
	char		 code[128];
	struct s3_lock_info li;
};

static void
wait_put_done(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_put_result *res)
{
	struct put_wait	*w = arg;

	w->done = true;
	w->r = r;
	if (r != SV_OK)
		sv_err_set(&w->err, r, "%s", err->msg);
	if (res != NULL && res->aws_code != NULL)
		str_lcpy(w->code, res->aws_code, sizeof w->code);
}

static void
wait_lock_done(void *arg, sv_result r, const struct sv_err *err,
    const struct s3_lock_info *li)
{
	struct put_wait	*w = arg;

	w->done = true;
	w->r = r;
	if (r != SV_OK)
		sv_err_set(&w->err, r, "%s", err->msg);
	else
		w->li = *li;
}

static sv_result
put_sync(struct aws_client *c, const struct s3_put_req *req, struct put_wait *w)
{
	memset(w, 0, sizeof *w);
	sv_err_init(&w->err);
	s3_put_object(c, req, wait_put_done, w);
	http_engine_run_until(aws_client_engine(c), &w->done);
	if (!w->done)
		return sv_err_set(&w->err, SV_E_NET, "the upload did not complete");
	return w->r;
}

static char *
jget(const cJSON *j, const char *name)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(j, name);

	return cJSON_IsString(c) ? c->valuestring : NULL;
}

/* Ships one spooled session. SV_OK: delivered, marker removed. */
static sv_result
ship_spooled(struct aws_client *c, struct audit *own, const char *mpath,
    FILE *out, bool *skipped, struct sv_err *err)
{
	struct buf		 m, log;
	cJSON			*j = NULL;
	const char		*session, *lpath, *bucket, *prefix, *key, *dkey, *mode;
	struct audit_dest	 d;
	struct audit_verify	 v;
	struct put_wait		 w;
	struct s3_put_req	 req;
	char			*digest = NULL, *uri = NULL;
	int			 fd = -1;
	sv_result		 result;

	*skipped = false;
	buf_init(&m, BUF_MAX_SMALL * 8);
	buf_init(&log, BUF_MAX_AUDIT_LOG);
	memset(&v, 0, sizeof v);
	memset(&d, 0, sizeof d);
	result = audit_read_file(mpath, &m, err);
	if (result != SV_OK)
		goto out;
	j = cJSON_ParseWithLength(buf_str(&m), m.len);
	session = jget(j, "session");
	lpath = jget(j, "log");
	bucket = jget(j, "bucket");
	prefix = jget(j, "prefix");
	key = jget(j, "key");
	dkey = jget(j, "digest_key");
	mode = jget(j, "lock_mode");
	if (session == NULL || lpath == NULL || bucket == NULL || prefix == NULL ||
	    key == NULL || dkey == NULL) {
		result = sv_err_set(err, SV_E_PARSE, "%s is not a spool marker", mpath);
		goto out;
	}
	if (own != NULL && strcmp(session, audit_session(own)) == 0) {
		*skipped = true;
		result = SV_OK;
		goto out;
	}
	/* A running salvage holds its log locked: it ships it itself. */
	fd = open(lpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd != -1 && flock(fd, LOCK_SH | LOCK_NB) == -1) {
		*skipped = true;
		if (out != NULL)
			fprintf(out, "%s: in use by a running salvage, skipped\n", session);
		result = SV_OK;
		goto out;
	}
	result = audit_read_file(lpath, &log, err);
	if (result != SV_OK)
		goto out;
	if (audit_verify_mem(buf_str(&log), log.len, &v) != SV_OK)
		sv_warn("audit: the local log of session %s does not verify (%s); "
		    "shipping it as it is", session, v.why);

	d.bucket = (char *)bucket;
	d.prefix = (char *)prefix;
	str_lcpy(d.lock_mode, mode != NULL ? mode : AUDIT_LOCK_MODE_DEFAULT,
	    sizeof d.lock_mode);
	{
		const cJSON *days = cJSON_GetObjectItemCaseSensitive(j, "lock_days");

		d.lock_days = cJSON_IsNumber(days) ? (long)days->valuedouble :
		    AUDIT_LOCK_DAYS_DEFAULT;
	}
	audit_add_own_dest(own, bucket, prefix);
	uri = xasprintf("s3://%s/%s", bucket, key);

	/* Object Lock? */
	memset(&w, 0, sizeof w);
	sv_err_init(&w.err);
	s3_get_lock_config(c, bucket, wait_lock_done, &w);
	http_engine_run_until(aws_client_engine(c), &w.done);
	if (!w.done || w.r != SV_OK) {
		result = sv_err_set(err, w.done ? w.r : SV_E_NET, "%s: %s", uri,
		    w.err.msg);
		goto out;
	}

	memset(&req, 0, sizeof req);
	req.bucket = bucket;
	req.key = key;
	req.body = buf_str(&log);
	req.len = log.len;
	req.content_type = LOG_CONTENT_TYPE;
	fill_lock(&req, &d, w.li.enabled);
	if (put_sync(c, &req, &w) != SV_OK) {
		result = sv_err_set(err, w.r, "%s: %s%s", uri, w.err.msg,
		    req.lock_mode != NULL ? " (uploaded with Object Lock retention, "
		    "which is never dropped)" : "");
		goto out;
	}
	digest = digest_json(session, v.records, v.head, uri, buf_str(&log), log.len,
	    v.ended);
	req.key = dkey;
	req.body = digest;
	req.len = strlen(digest);
	req.content_type = "application/json";
	if (put_sync(c, &req, &w) != SV_OK) {
		result = sv_err_set(err, w.r, "s3://%s/%s: %s", bucket, dkey, w.err.msg);
		goto out;
	}
	if (out != NULL)
		fprintf(out, "%s: shipped %llu records to %s\n", session,
		    (unsigned long long)v.records, uri);
	unlink(mpath);
	result = SV_OK;
out:
	if (fd != -1)
		close(fd);
	audit_verify_free(&v);
	cJSON_Delete(j);
	buf_free(&m);
	buf_free(&log);
	free(digest);
	free(uri);
	return result;
}

sv_result
audit_spool_ship(struct aws_client *c, struct audit *own, const char *audit_dir,
    FILE *out, struct audit_spool_report *rep, struct sv_err *err)
{
	char		*spool = audit_spool_dir(audit_dir);
	DIR		*d;
	struct dirent	*de;
	sv_result	 result = SV_OK;

	memset(rep, 0, sizeof *rep);
	d = opendir(spool);
	if (d == NULL) {
		free(spool);
		return SV_OK;	/* nothing spooled */
	}
	while ((de = readdir(d)) != NULL) {
		char		*mpath;
		struct sv_err	 e;
		bool		 skipped;

		if (!str_ends(de->d_name, ".json") || de->d_name[0] == '.')
			continue;
		/* The running session ships its own log at its end. */
		if (strncmp(de->d_name, audit_session(own), strlen(audit_session(own))) == 0 &&
		    strcmp(de->d_name + strlen(audit_session(own)), ".json") == 0)
			continue;
		rep->sessions++;
		mpath = xasprintf("%s/%s", spool, de->d_name);
		sv_err_init(&e);
		if (ship_spooled(c, own, mpath, out, &skipped, &e) != SV_OK) {
			rep->failed++;
			if (out != NULL)
				fprintf(out, "%.*s: not shipped: %s\n",
				    (int)(strlen(de->d_name) - 5), de->d_name, e.msg);
			if (result == SV_OK)
				result = sv_err_set(err, e.code, "%s", e.msg);
		} else if (skipped)
			rep->skipped++;
		else
			rep->shipped++;
		free(mpath);
	}
	closedir(d);
	free(spool);
	return result;
}
