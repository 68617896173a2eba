/* audit.c - the audit log: a hash-chained JSON Lines file per session,
 * written and fsync'd before the action it announces; the audit gate the
 * AWS client calls around every mutating request; secret scrubbing; the
 * verifier; the scan for sessions that died between intent and result.
 * The record format and its canonical hashed form are described in
 * audit.h and in salvage(1), AUDIT LOG. */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(HAVE_SYS_RANDOM_H) || defined(__linux__)
#include <sys/random.h>
#endif

#include "aws/sigv4.h"
#include "core/audit.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

/* ,"hash":"<64 hex>"} */
#define HASH_PREFIX	",\"hash\":\""
#define HASH_SUFFIX_LEN	(sizeof HASH_PREFIX - 1 + AUDIT_HASH_LEN + 2)

struct audit {
	char		*dir;
	char		*path;
	char		 session[AUDIT_SESSION_MAX];
	int		 fd;
	char		*broken;	/* why nothing can be written, or NULL */
	off_t		 size;		/* bytes durable in the file */
	uint64_t	 seq;
	char		 head[AUDIT_HASH_LEN + 1];
	sv_time		 started;
	bool		 ended;
	sv_time		(*now)(void);

	struct buf	 log;		/* the whole file, as written */
	struct audit_entry *entries;
	size_t		 nentries, centries;

	struct own_dest {
		char	*bucket;
		char	*prefix;
	}		*own;		/* where the log's uploads may go */
	size_t		 nown;

	void		(*listener)(void *);
	void		*listener_data;
};

/* ---- Small helpers ---- */

static char *
cjson_print(const cJSON *j)
{
	char	*s = cJSON_PrintUnformatted(j);

	if (s == NULL)
		abort();	/* out of memory, as xmalloc */
	return s;
}

static bool
is_hex64(const char *s, size_t len)
{
	if (len != AUDIT_HASH_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void
random_bytes(unsigned char *out, size_t n)
{
	size_t	got = 0;

#if defined(HAVE_SYS_RANDOM_H) || defined(__linux__)
	while (got < n) {
		ssize_t r = getrandom(out + got, n - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
#endif
	if (got < n) {
		FILE	*f = fopen("/dev/urandom", "rb");

		if (f != NULL) {
			got += fread(out + got, 1, n - got, f);
			fclose(f);
		}
	}
	for (; got < n; got++)	/* last resort: still unique per process */
		out[got] = (unsigned char)((sv_monotonic_ms() >> (got * 3)) ^ getpid());
}

/* ---- Directory and files ---- */

char *
audit_dir_path(const char *override)
{
	const char	*x, *home;

	if (override != NULL && *override != '\0')
		return xstrdup(override);
	x = getenv("XDG_STATE_HOME");
	if (x != NULL && x[0] == '/')
		return xasprintf("%s/salvage/audit", x);
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/.local/state/salvage/audit", home);
}

sv_result
audit_dir_prepare(const char *dir, struct sv_err *err)
{
	struct stat	 st;
	char		*p = xstrdup(dir), *s;
	sv_result	 result = SV_OK;

	/* Create missing components, 0700. */
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			result = sv_err_set(err, SV_E_AUDIT,
			    "cannot create audit directory %s: %s", p, strerror(errno));
			goto fail;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	if (stat(dir, &st) == -1) {
		result = sv_err_set(err, SV_E_AUDIT, "audit directory %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		result = sv_err_set(err, SV_E_AUDIT,
		    "audit directory %s is not a directory", dir);
		goto fail;
	}
	if (st.st_uid != geteuid()) {
		result = sv_err_set(err, SV_E_AUDIT,
		    "refusing audit directory %s: it is owned by uid %u, not by you "
		    "(uid %u); use a directory of your own (--audit-dir)",
		    dir, (unsigned)st.st_uid, (unsigned)geteuid());
		goto fail;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		result = sv_err_set(err, SV_E_AUDIT,
		    "refusing audit directory %s: it is writable by %s (mode %04o); "
		    "fix it with: chmod 700 %s",
		    dir, (st.st_mode & S_IWOTH) ? "everyone" : "its group",
		    (unsigned)(st.st_mode & 07777), dir);
		goto fail;
	}
fail:
	free(p);
	return result;
}

void
audit_session_id(sv_time t, char out[AUDIT_SESSION_MAX])
{
	unsigned char	r[4];
	char		hex[9], stamp[17];

	random_bytes(r, sizeof r);
	str_hex(hex, r, sizeof r);
	sv_time_format_amz(t, stamp);
	snprintf(out, AUDIT_SESSION_MAX, "%s-%s", stamp, hex);
}

static sv_result
fsync_dir(const char *dir, struct sv_err *err)
{
	int	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1 || fsync(fd) == -1) {
		int e = errno;

		if (fd != -1)
			close(fd);
		return sv_err_set(err, SV_E_AUDIT, "cannot sync audit directory %s: %s",
		    dir, strerror(e));
	}
	close(fd);
	return SV_OK;
}

sv_result
audit_open(const struct audit_opts *opts, struct audit **out, struct sv_err *err)
{
	struct audit	*a = xcalloc(1, sizeof *a);
	struct sv_err	 e;
	sv_result	 result;

	sv_err_init(&e);
	a->fd = -1;
	a->now = opts != NULL && opts->now != NULL ? opts->now : sv_time_now;
	a->dir = audit_dir_path(opts != NULL ? opts->dir : NULL);
	a->started = a->now();
	memcpy(a->head, AUDIT_GENESIS, sizeof a->head);
	buf_init(&a->log, BUF_MAX_AUDIT_LOG);
	if (opts != NULL && opts->session != NULL)
		str_lcpy(a->session, opts->session, sizeof a->session);
	else
		audit_session_id(a->started, a->session);
	a->path = xasprintf("%s/%s.jsonl", a->dir, a->session);
	*out = a;

	result = audit_dir_prepare(a->dir, &e);
	if (result != SV_OK)
		goto fail;
	a->fd = open(a->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (a->fd == -1) {
		result = sv_err_set(&e, SV_E_AUDIT, "cannot create audit log %s: %s",
		    a->path, strerror(errno));
		goto fail;
	}
	/* Held for the life of the session: a later session knows a log
	 * whose lock it can take belongs to a process that is gone. */
	(void)flock(a->fd, LOCK_EX | LOCK_NB);
	if (fchmod(a->fd, 0600) == -1 || fsync(a->fd) == -1) {
		result = sv_err_set(&e, SV_E_AUDIT, "cannot set up audit log %s: %s",
		    a->path, strerror(errno));
		goto fail;
	}
	result = fsync_dir(a->dir, &e);
	if (result != SV_OK)
		goto fail;
	return SV_OK;
fail:
	a->broken = xstrdup(e.msg);
	if (a->fd != -1) {
		close(a->fd);
		a->fd = -1;
	}
	return sv_err_set(err, e.code, "%s", e.msg);
}

/* The log of an earlier process of the same session, continued (see
 * audit.h). */
sv_result
audit_reopen(const struct audit_opts *opts, struct audit **out, struct sv_err *err)
{
	struct audit		*a = xcalloc(1, sizeof *a);
	struct audit_verify	 v;
	struct sv_err		 e;
	struct stat		 st;
	sv_result		 result;
	const char		*text, *nl;
	size_t			 len, good;

	sv_err_init(&e);
	memset(&v, 0, sizeof v);
	a->fd = -1;
	a->now = opts != NULL && opts->now != NULL ? opts->now : sv_time_now;
	a->dir = audit_dir_path(opts != NULL ? opts->dir : NULL);
	a->started = a->now();
	memcpy(a->head, AUDIT_GENESIS, sizeof a->head);
	buf_init(&a->log, BUF_MAX_AUDIT_LOG);
	str_lcpy(a->session, opts != NULL && opts->session != NULL ? opts->session :
	    "", sizeof a->session);
	a->path = xasprintf("%s/%s.jsonl", a->dir, a->session);
	*out = a;

	if (a->session[0] == '\0') {
		result = sv_err_set(&e, SV_E_AUDIT, "no audit session to continue");
		goto fail;
	}
	result = audit_dir_prepare(a->dir, &e);
	if (result != SV_OK)
		goto fail;
	a->fd = open(a->path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (a->fd == -1) {
		result = sv_err_set(&e, SV_E_AUDIT, "cannot open audit log %s: %s",
		    a->path, strerror(errno));
		goto fail;
	}
	if (fstat(a->fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		result = sv_err_set(&e, SV_E_AUDIT, "refusing audit log %s: not a "
		    "regular file of yours", a->path);
		goto fail;
	}
	/* A live process of the session holds the lock. */
	if (flock(a->fd, LOCK_EX | LOCK_NB) == -1) {
		result = sv_err_set(&e, SV_E_AUDIT, "the audit log %s is in use by "
		    "another salvage process (is the session still running?)", a->path);
		goto fail;
	}
	result = audit_read_file(a->path, &a->log, &e);
	if (result != SV_OK) {
		result = sv_err_set(&e, SV_E_AUDIT, "%s", e.msg);
		goto fail;
	}
	text = buf_str(&a->log);
	len = a->log.len;
	/* An unterminated last line is a record whose write was cut off
	 * (the process died inside audit_append): it was never durable and
	 * never announced anything, so it is cut off, as audit_append would
	 * have done. */
	nl = len > 0 ? memrchr(text, '\n', len) : NULL;
	good = nl != NULL ? (size_t)(nl - text) + 1 : 0;
	if (good < len) {
		sv_warn("audit: %s ends in %zu bytes of an unfinished record; they are "
		    "cut off before continuing", a->path, len - good);
		if (ftruncate(a->fd, (off_t)good) == -1 || fsync(a->fd) == -1) {
			result = sv_err_set(&e, SV_E_AUDIT, "cannot repair audit log %s: "
			    "%s", a->path, strerror(errno));
			goto fail;
		}
		a->log.len = good;
		a->log.ptr[good] = '\0';
		len = good;
	}
	if (audit_verify_mem(text, len, &v) != SV_OK) {
		result = sv_err_set(&e, SV_E_AUDIT, "cannot continue audit log %s: %s",
		    a->path, v.why);
		goto fail;
	}
	if (strcmp(v.session, a->session) != 0) {
		result = sv_err_set(&e, SV_E_AUDIT, "audit log %s belongs to session %s",
		    a->path, v.session);
		goto fail;
	}
	if (v.ended) {
		result = sv_err_set(&e, SV_E_AUDIT, "the audit session %s has ended "
		    "(session-end is its last record): it cannot be continued",
		    a->session);
		goto fail;
	}
	a->seq = v.records;
	a->size = (off_t)len;
	a->started = v.first_time;
	memcpy(a->head, v.head, sizeof a->head);
	/* The entries of the earlier processes, for the TUI's :audit view. */
	for (const char *p = text; p < text + len; ) {
		const char	*eol = memchr(p, '\n', (size_t)(text + len - p));
		cJSON		*j = cJSON_ParseWithLength(p, (size_t)(eol - p));
		const cJSON	*t = cJSON_GetObjectItemCaseSensitive(j, "type");
		const cJSON	*q = cJSON_GetObjectItemCaseSensitive(j, "seq");
		const cJSON	*tm = cJSON_GetObjectItemCaseSensitive(j, "time");

		if (a->nentries == a->centries) {
			a->centries = a->centries ? a->centries * 2 : 16;
			a->entries = xreallocarray(a->entries, a->centries,
			    sizeof *a->entries);
		}
		a->entries[a->nentries].seq = cJSON_IsNumber(q) ? (uint64_t)q->valuedouble : 0;
		a->entries[a->nentries].time = SV_TIME_NONE;
		if (cJSON_IsString(tm))
			sv_time_parse_iso(tm->valuestring, &a->entries[a->nentries].time);
		a->entries[a->nentries].type = xstrdup(cJSON_IsString(t) ?
		    t->valuestring : "?");
		a->entries[a->nentries].line = xstrndup(p, (size_t)(eol - p));
		a->nentries++;
		cJSON_Delete(j);
		p = eol + 1;
	}
	audit_verify_free(&v);
	return SV_OK;
fail:
	audit_verify_free(&v);
	a->broken = xstrdup(e.msg);
	if (a->fd != -1) {
		close(a->fd);
		a->fd = -1;
	}
	return sv_err_set(err, e.code, "%s", e.msg);
}

void
audit_free(struct audit *a)
{
	if (a == NULL)
		return;
	if (a->fd != -1)
		close(a->fd);
	for (size_t i = 0; i < a->nentries; i++) {
		free((char *)a->entries[i].type);
		free((char *)a->entries[i].line);
	}
	free(a->entries);
	buf_free(&a->log);
	free(a->broken);
	free(a->dir);
	free(a->path);
	for (size_t i = 0; i < a->nown; i++) {
		free(a->own[i].bucket);
		free(a->own[i].prefix);
	}
	free(a->own);
	free(a);
}

const char *
audit_broken(const struct audit *a)
{
	return a->broken;
}

const char *
audit_session(const struct audit *a)
{
	return a->session;
}

const char *
audit_path(const struct audit *a)
{
	return a->path;
}

const char *
audit_dirname(const struct audit *a)
{
	return a->dir;
}

sv_time
audit_started(const struct audit *a)
{
	return a->started;
}

uint64_t
audit_count(const struct audit *a)
{
	return a->seq;
}

const char *
audit_head(const struct audit *a)
{
	return a->head;
}

bool
audit_ended(const struct audit *a)
{
	return a->ended;
}

const char *
audit_text(const struct audit *a, size_t *len)
{
	*len = a->log.len;
	return buf_str(&a->log);
}

void
audit_set_listener(struct audit *a, void (*fn)(void *), void *data)
{
	a->listener = fn;
	a->listener_data = data;
}

size_t
audit_entries(const struct audit *a, const struct audit_entry **out)
{
	*out = a->entries;
	return a->nentries;
}

/* ---- Writing ---- */

static sv_result
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return SV_E_IO;
		}
		p += w;
		n -= (size_t)w;
	}
	return SV_OK;
}

sv_result
audit_append(struct audit *a, const char *type, cJSON *data, uint64_t *seqp,
    struct sv_err *err)
{
	cJSON		*rec = NULL;
	char		*canon = NULL, hash[AUDIT_HASH_LEN + 1], ts[SV_TIME_ISO_MAX];
	struct buf	 line;
	size_t		 clen;
	sv_time		 now;
	sv_result	 result = SV_OK;

	buf_init(&line, BUF_MAX_AUDIT_LOG);
	if (data == NULL)
		data = cJSON_CreateObject();
	if (a->broken != NULL) {
		cJSON_Delete(data);
		result = sv_err_set(err, SV_E_AUDIT, "the audit log cannot be written "
		    "(%s): no change is made", a->broken);
		goto fail;
	}
	if (a->ended) {
		cJSON_Delete(data);
		result = sv_err_set(err, SV_E_AUDIT,
		    "the audit session %s has ended: no change is made", a->session);
		goto fail;
	}
	audit_scrub(data);

	now = a->now();
	sv_time_format_iso(now, ts, true);
	rec = cJSON_CreateObject();
	cJSON_AddNumberToObject(rec, "seq", (double)(a->seq + 1));
	cJSON_AddStringToObject(rec, "time", ts);
	cJSON_AddStringToObject(rec, "session", a->session);
	cJSON_AddStringToObject(rec, "type", type);
	cJSON_AddItemToObject(rec, "data", data);
	cJSON_AddStringToObject(rec, "prev", a->head);
	canon = cjson_print(rec);
	clen = strlen(canon);

	/* The canonical form is hashed; the line is it with the hash
	 * member added last. */
	sigv4_sha256_hex(canon, clen, hash);
	if (buf_add(&line, canon, clen - 1) != SV_OK ||
	    buf_addf(&line, "%s%s\"}\n", HASH_PREFIX, hash) != SV_OK) {
		result = sv_err_set(err, SV_E_AUDIT, "audit record too large (%zu bytes)",
		    clen);
		goto fail;
	}

	if (write_all(a->fd, line.ptr, line.len) != SV_OK || fsync(a->fd) == -1) {
		int e = errno;

		/* Cut off what may have been written, so the chain stays
		 * intact; if even that fails, the log is unusable. */
		if (ftruncate(a->fd, a->size) == -1 || fsync(a->fd) == -1)
			a->broken = xasprintf("%s: %s", a->path, strerror(e));
		result = sv_err_set(err, SV_E_AUDIT, "cannot write the audit log %s: %s; "
		    "no change is made (free space or fix permissions, then retry)",
		    a->path, strerror(e));
		goto fail;
	}
	a->size += (off_t)line.len;
	a->seq++;
	memcpy(a->head, hash, sizeof a->head);
	if (strcmp(type, AUDIT_T_END) == 0)
		a->ended = true;
	if (buf_add(&a->log, line.ptr, line.len) != SV_OK)
		sv_warn("audit: the log of session %s is too large to keep in memory "
		    "for shipping", a->session);

	if (a->nentries == a->centries) {
		a->centries = a->centries ? a->centries * 2 : 16;
		a->entries = xreallocarray(a->entries, a->centries, sizeof *a->entries);
	}
	a->entries[a->nentries].seq = a->seq;
	a->entries[a->nentries].time = now;
	a->entries[a->nentries].type = xstrdup(type);
	a->entries[a->nentries].line = xstrndup(line.ptr, line.len - 1);
	a->nentries++;

	if (seqp != NULL)
		*seqp = a->seq;
	if (a->listener != NULL)
		a->listener(a->listener_data);
fail:
	if (rec != NULL)
		cJSON_Delete(rec);
	free(canon);
	buf_free(&line);
	return result;
}

sv_result
audit_confirm(struct audit *a, const char *question, const char *expected,
    const char *typed, const char *how, bool accepted, struct sv_err *err)
{
	cJSON	*d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "asked", question);
	if (expected != NULL)
		cJSON_AddStringToObject(d, "expected", expected);
	if (typed != NULL)
		cJSON_AddStringToObject(d, "typed", typed);
	else
		cJSON_AddNullToObject(d, "typed");
	cJSON_AddStringToObject(d, "how", how);
	cJSON_AddBoolToObject(d, "accepted", accepted);
	return audit_append(a, AUDIT_T_CONFIRM, d, NULL, err);
}

sv_result
audit_note(struct audit *a, const char *text, cJSON *extra, struct sv_err *err)
{
	cJSON	*d = extra != NULL ? extra : cJSON_CreateObject();

	cJSON_AddStringToObject(d, "text", text);
	return audit_append(a, AUDIT_T_NOTE, d, NULL, err);
}

sv_result
audit_end(struct audit *a, int exit_status, struct sv_err *err)
{
	cJSON	*d = cJSON_CreateObject();

	cJSON_AddNumberToObject(d, "records", (double)(a->seq + 1));
	cJSON_AddStringToObject(d, "head", a->head);
	if (exit_status >= 0)
		cJSON_AddNumberToObject(d, "status", exit_status);
	else
		cJSON_AddNullToObject(d, "status");
	return audit_append(a, AUDIT_T_END, d, NULL, err);
}

/* ---- Scrubbing ---- */

static void
squash_name(const char *in, char *out, size_t outsz)
{
	size_t	n = 0;

	for (; *in != '\0' && n + 1 < outsz; in++) {
		if (*in == '-' || *in == '_' || *in == ' ' || *in == '.')
			continue;
		out[n++] = (char)tolower((unsigned char)*in);
	}
	out[n] = '\0';
}

bool
audit_secret_name(const char *name)
{
	static const char *const words[] = {
		"secret", "token", "password", "passwd", "passphrase",
		"authorization", "credential", "signature", "customerkey",
		"privatekey", "apikey", "cookie", NULL
	};
	char	sq[256];

	if (name == NULL)
		return false;
	squash_name(name, sq, sizeof sq);
	for (int i = 0; words[i] != NULL; i++)
		if (strstr(sq, words[i]) != NULL)
			return true;
	return false;
}

static bool
contains_ci(const char *hay, const char *needle)
{
	size_t	n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

bool
audit_secret_value(const char *s)
{
	static const char *const marks[] = {
		"x-amz-signature=", "x-amz-security-token=", "x-amz-credential=",
		"awsaccesskeyid=", "aws4-hmac-sha256 ", "signature=", NULL
	};

	if (s == NULL)
		return false;
	for (int i = 0; marks[i] != NULL; i++)
		if (contains_ci(s, marks[i]))
			return true;
	return false;
}

/* Replaces bytes that are not valid UTF-8 with '?'. */
static void
fix_utf8(char *s)
{
	unsigned char	*p = (unsigned char *)s;

	while (*p != '\0') {
		int	n;

		if (*p < 0x80)
			n = 1;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			n = 2;
		else if ((*p & 0xf0) == 0xe0)
			n = 3;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			n = 4;
		else
			n = 0;
		if (n > 1 && !str_valid_utf8((const char *)p, (size_t)n))
			n = 0;
		for (int i = 1; n > 1 && i < n; i++)
			if (p[i] == '\0')
				n = 0;
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

/* Replaces item (a member of parent) with the redaction marker, keeping
 * its name (cJSON_ReplaceItemViaPointer does not carry it over). */
static void
redact(cJSON *parent, cJSON *item)
{
	cJSON	*r = cJSON_CreateString(AUDIT_REDACTED);

	r->string = item->string;
	r->type |= item->type & cJSON_StringIsConst;
	item->string = NULL;
	cJSON_ReplaceItemViaPointer(parent, item, r);
}

static void
scrub(cJSON *parent, cJSON *node)
{
	cJSON	*c, *next;

	if (cJSON_IsString(node) && node->valuestring != NULL) {
		if (audit_secret_value(node->valuestring) && parent != NULL) {
			redact(parent, node);
			return;
		}
		fix_utf8(node->valuestring);
		return;
	}
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return;
	for (c = node->child; c != NULL; c = next) {
		next = c->next;
		if (c->string != NULL)
			fix_utf8(c->string);
		if (cJSON_IsObject(node) && audit_secret_name(c->string)) {
			if (cJSON_IsNull(c))
				continue;
			redact(node, c);
			continue;
		}
		scrub(node, c);
	}
}

void
audit_scrub(cJSON *j)
{
	if (j == NULL)
		return;
	if (cJSON_IsString(j) && audit_secret_value(j->valuestring)) {
		/* No parent to replace it in: overwrite the value. */
		cJSON_SetValuestring(j, AUDIT_REDACTED);
		return;
	}
	scrub(NULL, j);
}

cJSON *
audit_argv_json(int argc, char **argv)
{
	cJSON	*arr = cJSON_CreateArray();
	bool	 redact_next = false;

	for (int i = 0; i < argc && argv[i] != NULL; i++) {
		const char	*a = argv[i], *eq;
		char		*s;

		if (redact_next) {
			cJSON_AddItemToArray(arr, cJSON_CreateString(AUDIT_REDACTED));
			redact_next = false;
			continue;
		}
		if (audit_secret_value(a)) {
			cJSON_AddItemToArray(arr, cJSON_CreateString(AUDIT_REDACTED));
			continue;
		}
		if (a[0] == '-' && audit_secret_name(a)) {
			eq = strchr(a, '=');
			if (eq == NULL) {
				redact_next = true;
				cJSON_AddItemToArray(arr, cJSON_CreateString(a));
			} else {
				s = xasprintf("%.*s=%s", (int)(eq - a), a, AUDIT_REDACTED);
				cJSON_AddItemToArray(arr, cJSON_CreateString(s));
				free(s);
			}
			continue;
		}
		s = xstrdup(a);
		fix_utf8(s);
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
		free(s);
	}
	return arr;
}

/* ---- The gate ---- */

void
audit_add_own_dest(struct audit *a, const char *bucket, const char *prefix)
{
	if (prefix == NULL)
		prefix = "";
	for (size_t i = 0; i < a->nown; i++)
		if (strcmp(a->own[i].bucket, bucket) == 0 &&
		    strcmp(a->own[i].prefix, prefix) == 0)
			return;
	a->own = xreallocarray(a->own, a->nown + 1, sizeof *a->own);
	a->own[a->nown].bucket = xstrdup(bucket);
	a->own[a->nown].prefix = xstrdup(prefix);
	a->nown++;
}

static bool
own_key(const char *k, const char *prefix)
{
	size_t	pl = strlen(prefix);

	if (k == NULL || !str_starts(k, prefix) || strlen(k) == pl)
		return false;
	/* Only the log's own names: PREFIX/ACCOUNT/YYYY/MM/DD/SESSION.jsonl
	 * and SESSION.digest.json, no dot segments. */
	if (strstr(k, "/../") != NULL || strstr(k, "/./") != NULL ||
	    str_starts(k + pl, "../") || str_starts(k + pl, "./") ||
	    str_ends(k, "/..") || strstr(k, "//") != NULL)
		return false;
	return str_ends(k, ".jsonl") || str_ends(k, ".digest.json");
}

static bool
own_header_allowed(const char *name)
{
	static const char *const ok[] = {
		"content-type", "content-md5", "x-amz-sdk-checksum-algorithm",
		"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date",
		"if-none-match", NULL
	};

	if (strncasecmp(name, "x-amz-checksum-", 15) == 0)
		return true;
	for (int i = 0; ok[i] != NULL; i++)
		if (strcasecmp(name, ok[i]) == 0)
			return true;
	return false;
}

bool
audit_is_own_upload(const struct audit *a, const struct aws_op *op,
    const struct aws_call *call)
{
	bool	dest = false;

	if (a == NULL || op == NULL || call == NULL || op->id != OP_S3_PutObject)
		return false;
	if (call->method != NULL && strcmp(call->method, "PUT") != 0)
		return false;
	if (call->bucket == NULL)
		return false;
	for (size_t i = 0; i < a->nown && !dest; i++)
		dest = strcmp(call->bucket, a->own[i].bucket) == 0 &&
		    own_key(call->key, a->own[i].prefix);
	if (!dest)
		return false;
	if (call->query.n != 0 || call->params.n != 0 || call->path != NULL)
		return false;
	for (size_t i = 0; i < call->headers.n; i++)
		if (!own_header_allowed(call->headers.v[i].name))
			return false;
	return true;
}

static cJSON *
kv_json(const struct aws_kvlist *l)
{
	cJSON	*o = cJSON_CreateObject();

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].value == NULL)
			cJSON_AddNullToObject(o, l->v[i].name);
		else
			cJSON_AddStringToObject(o, l->v[i].name, l->v[i].value);
	}
	return o;
}

static cJSON *
call_json(const struct aws_op *op, const struct aws_call *call)
{
	cJSON	*p = cJSON_CreateObject(), *b;

	if (call->method != NULL)
		cJSON_AddStringToObject(p, "method", call->method);
	if (call->bucket != NULL)
		cJSON_AddStringToObject(p, "bucket", call->bucket);
	if (call->key != NULL)
		cJSON_AddStringToObject(p, "key", call->key);
	if (call->path != NULL)
		cJSON_AddStringToObject(p, "path", call->path);
	if (call->query.n > 0)
		cJSON_AddItemToObject(p, "query", kv_json(&call->query));
	if (call->params.n > 0)
		cJSON_AddItemToObject(p, "params", kv_json(&call->params));
	if (call->headers.n > 0)
		cJSON_AddItemToObject(p, "headers", kv_json(&call->headers));
	if (call->body != NULL && call->body_len > 0) {
		b = NULL;
		if (aws_service_protocol(op->service) == AWS_PROTO_JSON ||
		    aws_service_protocol(op->service) == AWS_PROTO_REST_JSON)
			b = cJSON_ParseWithLength(call->body, call->body_len);
		if (b != NULL)
			cJSON_AddItemToObject(p, "body", b);
		else {
			char	hex[AUDIT_HASH_LEN + 1];

			sigv4_sha256_hex(call->body, call->body_len, hex);
			cJSON_AddNumberToObject(p, "body_bytes", (double)call->body_len);
			cJSON_AddStringToObject(p, "body_sha256", hex);
		}
	}
	return p;
}

static sv_result
gate_intent(void *data, const struct aws_op *op, const struct aws_call *call,
    uint64_t *intent_id, struct sv_err *err)
{
	struct audit	*a = data;
	cJSON		*d;

	*intent_id = 0;
	if (audit_is_own_upload(a, op, call))
		return SV_OK;	/* recorded as shipping state, not as an intent */
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "operation", op->name);
	cJSON_AddStringToObject(d, "service", aws_service_name(op->service));
	if (call->target != NULL)
		cJSON_AddStringToObject(d, "target", call->target);
	else
		cJSON_AddNullToObject(d, "target");
	if (call->region != NULL)
		cJSON_AddStringToObject(d, "region", call->region);
	cJSON_AddItemToObject(d, "parameters", call_json(op, call));
	return audit_append(a, AUDIT_T_INTENT, d, intent_id, err);
}

static void
gate_result(void *data, const struct aws_op *op, uint64_t intent_id,
    const struct aws_response *resp)
{
	struct audit	*a = data;
	struct sv_err	 err;
	cJSON		*d;

	if (intent_id == 0)
		return;
	sv_err_init(&err);
	d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "intent", (double)intent_id);
	cJSON_AddStringToObject(d, "operation", op->name);
	cJSON_AddStringToObject(d, "outcome", resp->result == SV_OK ? "ok" : "error");
	cJSON_AddNumberToObject(d, "status", (double)resp->status);
	if (resp->request_id != NULL)
		cJSON_AddStringToObject(d, "request_id", resp->request_id);
	else
		cJSON_AddNullToObject(d, "request_id");
	if (resp->result != SV_OK) {
		cJSON_AddStringToObject(d, "error", sv_result_str(resp->result));
		if (resp->aws_code[0] != '\0')
			cJSON_AddStringToObject(d, "error_code", resp->aws_code);
		cJSON_AddStringToObject(d, "error_message", resp->err.msg);
	}
	cJSON_AddNumberToObject(d, "attempts", resp->attempts);
	if (audit_append(a, AUDIT_T_RESULT, d, NULL, &err) != SV_OK)
		sv_warn("audit: the result of %s (intent %llu) could not be recorded: %s",
		    op->name, (unsigned long long)intent_id, err.msg);
}

static bool
gate_exempt(void *data, const struct aws_op *op, const struct aws_call *call)
{
	return audit_is_own_upload(data, op, call);
}

void
audit_gate(struct audit *a, struct aws_gate *g)
{
	memset(g, 0, sizeof *g);
	g->intent = gate_intent;
	g->result = gate_result;
	g->exempt = gate_exempt;
	g->data = a;
}

/* ---- Reading and verifying ---- */

sv_result
audit_read_file(const char *path, struct buf *out, struct sv_err *err)
{
	sv_result	result = buf_read_file(out, path);

	if (result == SV_E_TOOLARGE)
		return sv_err_set(err, result, "%s is larger than %u MiB", path,
		    BUF_MAX_AUDIT_LOG >> 20);
	if (result != SV_OK)
		return sv_err_set(err, result, "cannot read %s: %s", path,
		    strerror(errno));
	return SV_OK;
}

const char *
audit_bad_str(enum audit_bad b)
{
	switch (b) {
	case AUDIT_OK:			return "intact";
	case AUDIT_BAD_EMPTY:		return "empty";
	case AUDIT_BAD_JSON:		return "bad JSON";
	case AUDIT_BAD_RECORD:		return "malformed record";
	case AUDIT_BAD_HASH:		return "hash mismatch";
	case AUDIT_BAD_GENESIS:		return "wrong genesis";
	case AUDIT_BAD_LINK:		return "broken link";
	case AUDIT_BAD_GAP:		return "gap";
	case AUDIT_BAD_REORDER:		return "reordered";
	case AUDIT_BAD_DUPLICATE:	return "duplicate";
	case AUDIT_BAD_SESSION:		return "foreign session";
	case AUDIT_BAD_TRUNCATED:	return "truncated";
	case AUDIT_BAD_AFTER_END:	return "record after session-end";
	case AUDIT_BAD_END:		return "bad session-end";
	}
	return "unknown";
}

void
audit_verify_free(struct audit_verify *v)
{
	for (size_t i = 0; i < v->nopen; i++) {
		free(v->open[i].operation);
		free(v->open[i].target);
	}
	free(v->open);
	v->open = NULL;
	v->nopen = 0;
}

struct line {
	const char	*p;
	size_t		 len;
	uint64_t	 seq;	/* 0: unknown */
};

static sv_result
bad(struct audit_verify *v, enum audit_bad b, uint64_t seq, size_t line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static sv_result
bad(struct audit_verify *v, enum audit_bad b, uint64_t seq, size_t line,
    const char *fmt, ...)
{
	char	detail[400];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	v->bad = b;
	v->bad_seq = seq;
	v->bad_line = line;
	snprintf(v->why, sizeof v->why, "seq %llu (line %zu): %s: %s",
	    (unsigned long long)seq, line, audit_bad_str(b), detail);
	return SV_E_MISMATCH;
}

/* The seq of a line if it parses as a record, else 0. */
static uint64_t
peek_seq(const char *p, size_t len)
{
	cJSON		*j = cJSON_ParseWithLength(p, len), *s;
	uint64_t	 seq = 0;

	if (j == NULL)
		return 0;
	s = cJSON_GetObjectItemCaseSensitive(j, "seq");
	if (cJSON_IsNumber(s) && s->valuedouble >= 1 && s->valuedouble < 9007199254740992.0 &&
	    floor(s->valuedouble) == s->valuedouble)
		seq = (uint64_t)s->valuedouble;
	cJSON_Delete(j);
	return seq;
}

static const char *const record_keys[] = {
	"seq", "time", "session", "type", "data", "prev", "hash", NULL
};

/* Checks the record's shape; returns a reason (maybe in why) or NULL. */
static const char *
record_shape(const cJSON *j, const char *line, size_t len, char *why, size_t whysz)
{
	const cJSON	*c = j->child;
	sv_time		 t;

	if (!cJSON_IsObject(j))
		return "not a JSON object";
	for (int i = 0; record_keys[i] != NULL; i++, c = c->next) {
		if (c == NULL || c->string == NULL || strcmp(c->string, record_keys[i]) != 0) {
			snprintf(why, whysz, "member %d must be \"%s\"", i + 1,
			    record_keys[i]);
			return why;
		}
	}
	if (c != NULL)
		return "members after \"hash\"";
	c = cJSON_GetObjectItemCaseSensitive(j, "seq");
	if (!cJSON_IsNumber(c) || c->valuedouble < 1 ||
	    c->valuedouble >= 9007199254740992.0 || floor(c->valuedouble) != c->valuedouble)
		return "seq is not a positive integer";
	c = cJSON_GetObjectItemCaseSensitive(j, "time");
	if (!cJSON_IsString(c) || sv_time_parse_iso(c->valuestring, &t) != SV_OK)
		return "time is not an ISO-8601 time";
	c = cJSON_GetObjectItemCaseSensitive(j, "session");
	if (!cJSON_IsString(c) || c->valuestring[0] == '\0' ||
	    strlen(c->valuestring) >= AUDIT_SESSION_MAX)
		return "session is not a session id";
	c = cJSON_GetObjectItemCaseSensitive(j, "type");
	if (!cJSON_IsString(c) || c->valuestring[0] == '\0')
		return "type is missing";
	c = cJSON_GetObjectItemCaseSensitive(j, "data");
	if (!cJSON_IsObject(c))
		return "data is not an object";
	c = cJSON_GetObjectItemCaseSensitive(j, "prev");
	if (!cJSON_IsString(c) || !is_hex64(c->valuestring, strlen(c->valuestring)))
		return "prev is not 64 lowercase hex digits";
	c = cJSON_GetObjectItemCaseSensitive(j, "hash");
	if (!cJSON_IsString(c) || !is_hex64(c->valuestring, strlen(c->valuestring)))
		return "hash is not 64 lowercase hex digits";
	/* The hash member must be the literal end of the line. */
	if (len < HASH_SUFFIX_LEN + 1 ||
	    memcmp(line + len - HASH_SUFFIX_LEN, HASH_PREFIX, sizeof HASH_PREFIX - 1) != 0 ||
	    memcmp(line + len - 66, c->valuestring, AUDIT_HASH_LEN) != 0 ||
	    memcmp(line + len - 2, "\"}", 2) != 0)
		return "the line does not end with ,\"hash\":\"<hex>\"}";
	return NULL;
}

static void
copy_str(char *dst, size_t dstsz, const cJSON *o, const char *name)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(o, name);

	if (cJSON_IsString(c))
		str_lcpy(dst, c->valuestring, dstsz);
}

static void
note_intent(struct audit_verify *v, uint64_t seq, const cJSON *data)
{
	const cJSON	*op = cJSON_GetObjectItemCaseSensitive(data, "operation");
	const cJSON	*tg = cJSON_GetObjectItemCaseSensitive(data, "target");

	v->open = xreallocarray(v->open, v->nopen + 1, sizeof *v->open);
	v->open[v->nopen].seq = seq;
	v->open[v->nopen].operation = xstrdup(cJSON_IsString(op) ? op->valuestring : "?");
	v->open[v->nopen].target = xstrdup(cJSON_IsString(tg) ? tg->valuestring : "");
	v->nopen++;
}

static void
note_result(struct audit_verify *v, const cJSON *data)
{
	const cJSON	*in = cJSON_GetObjectItemCaseSensitive(data, "intent");

	if (!cJSON_IsNumber(in))
		return;
	for (size_t i = 0; i < v->nopen; i++) {
		if (v->open[i].seq != (uint64_t)in->valuedouble)
			continue;
		free(v->open[i].operation);
		free(v->open[i].target);
		memmove(&v->open[i], &v->open[i + 1], (v->nopen - i - 1) * sizeof *v->open);
		v->nopen--;
		return;
	}
}

static sv_result
check_line(struct audit_verify *v, const struct line *lines, size_t nlines,
    size_t i, const char *first_session)
{
	const struct line *l = &lines[i];
	size_t		 lineno = i + 1;
	uint64_t	 expected = v->records + 1, seq;
	cJSON		*j;
	const cJSON	*data, *t;
	const char	*why, *type, *prev, *hash;
	char		*canon, computed[AUDIT_HASH_LEN + 1], whybuf[64];
	size_t		 clen;
	sv_result	 result = SV_OK;

	j = cJSON_ParseWithLength(l->p, l->len);
	if (j == NULL || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return bad(v, AUDIT_BAD_JSON, expected, lineno,
		    l->len == 0 ? "empty line" : "the line is not a JSON object");
	}
	why = record_shape(j, l->p, l->len, whybuf, sizeof whybuf);
	if (why != NULL) {
		result = bad(v, AUDIT_BAD_RECORD, expected, lineno, "%s", why);
		goto out;
	}
	seq = (uint64_t)cJSON_GetObjectItemCaseSensitive(j, "seq")->valuedouble;
	type = cJSON_GetObjectItemCaseSensitive(j, "type")->valuestring;
	prev = cJSON_GetObjectItemCaseSensitive(j, "prev")->valuestring;
	hash = cJSON_GetObjectItemCaseSensitive(j, "hash")->valuestring;
	data = cJSON_GetObjectItemCaseSensitive(j, "data");

	/* Its own hash: the line without the hash member. */
	clen = l->len - HASH_SUFFIX_LEN + 1;
	canon = xmalloc(clen + 1);
	memcpy(canon, l->p, clen - 1);
	canon[clen - 1] = '}';
	canon[clen] = '\0';
	sigv4_sha256_hex(canon, clen, computed);
	free(canon);
	if (strcmp(computed, hash) != 0) {
		result = bad(v, AUDIT_BAD_HASH, seq, lineno,
		    "the record was changed after it was written (stored %.12s..., "
		    "computed %.12s...)", hash, computed);
		goto out;
	}

	if (seq > expected) {
		bool	later = false;

		for (size_t k = i + 1; k < nlines; k++)
			if (lines[k].seq == expected)
				later = true;
		if (later)
			result = bad(v, AUDIT_BAD_REORDER, expected, lineno,
			    "line %zu holds seq %llu; seq %llu comes later in the file",
			    lineno, (unsigned long long)seq, (unsigned long long)expected);
		else if (expected == 1)
			result = bad(v, AUDIT_BAD_GAP, expected, lineno,
			    "the log starts at seq %llu: records before it were removed",
			    (unsigned long long)seq);
		else
			result = bad(v, AUDIT_BAD_GAP, expected, lineno,
			    "seq %llu is followed by seq %llu: a record was removed",
			    (unsigned long long)(expected - 1), (unsigned long long)seq);
		goto out;
	}
	if (seq < expected) {
		result = bad(v, AUDIT_BAD_DUPLICATE, seq, lineno,
		    "seq %llu appears again after seq %llu: a record was inserted or "
		    "repeated", (unsigned long long)seq, (unsigned long long)(expected - 1));
		goto out;
	}
	if (seq == 1 && strcmp(prev, AUDIT_GENESIS) != 0) {
		result = bad(v, AUDIT_BAD_GENESIS, seq, lineno,
		    "the first record's prev must be the genesis value (64 zeros)");
		goto out;
	}
	if (seq > 1 && strcmp(prev, v->head) != 0) {
		result = bad(v, AUDIT_BAD_LINK, seq, lineno,
		    "prev %.12s... is not the hash of seq %llu (%.12s...): the record "
		    "before it was replaced, or this one was inserted",
		    prev, (unsigned long long)(seq - 1), v->head);
		goto out;
	}
	t = cJSON_GetObjectItemCaseSensitive(j, "session");
	if (first_session != NULL && strcmp(t->valuestring, first_session) != 0) {
		result = bad(v, AUDIT_BAD_SESSION, seq, lineno,
		    "session %s in the log of session %s", t->valuestring, first_session);
		goto out;
	}
	if (v->ended) {
		result = bad(v, AUDIT_BAD_AFTER_END, seq, lineno,
		    "a %s record follows session-end", type);
		goto out;
	}

	if (strcmp(type, AUDIT_T_START) == 0) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(data, "operator");

		if (cJSON_IsObject(o)) {
			copy_str(v->account, sizeof v->account, o, "account");
			copy_str(v->operator_arn, sizeof v->operator_arn, o, "arn");
		}
		copy_str(v->mode, sizeof v->mode, data, "mode");
		copy_str(v->local_user, sizeof v->local_user, data, "local_user");
		copy_str(v->host, sizeof v->host, data, "host");
		copy_str(v->audit_s3, sizeof v->audit_s3, data, "audit_s3");
		copy_str(v->version, sizeof v->version, data, "version");
	} else if (strcmp(type, AUDIT_T_INTENT) == 0)
		note_intent(v, seq, data);
	else if (strcmp(type, AUDIT_T_RESULT) == 0)
		note_result(v, data);
	else if (strcmp(type, AUDIT_T_END) == 0) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(data, "records");
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(data, "head");

		if (!cJSON_IsNumber(n) || (uint64_t)n->valuedouble != seq ||
		    !cJSON_IsString(h) || strcmp(h->valuestring, prev) != 0) {
			result = bad(v, AUDIT_BAD_END, seq, lineno,
			    "its record count or chain head does not match the log");
			goto out;
		}
		v->ended = true;
	}

	t = cJSON_GetObjectItemCaseSensitive(j, "time");
	sv_time_parse_iso(t->valuestring, &v->last_time);
	if (v->records == 0) {
		v->first_time = v->last_time;
		str_lcpy(v->session, cJSON_GetObjectItemCaseSensitive(j, "session")->valuestring,
		    sizeof v->session);
	}
	v->records++;
	memcpy(v->head, hash, sizeof v->head);
out:
	cJSON_Delete(j);
	return result;
}

sv_result
audit_verify_mem(const char *text, size_t len, struct audit_verify *v)
{
	struct line	*lines = NULL;
	size_t		 nlines = 0, i, start;
	bool		 terminated;
	sv_result	 result = SV_OK;

	memset(v, 0, sizeof *v);
	memcpy(v->head, AUDIT_GENESIS, sizeof v->head);
	v->first_time = v->last_time = SV_TIME_NONE;
	if (len == 0)
		return bad(v, AUDIT_BAD_EMPTY, 1, 1, "the log has no records");

	/* Pass 1: split lines and note each one's seq (for telling a
	 * reordered log from one with a record removed). */
	for (start = 0, i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		if (nlines % 64 == 0)
			lines = xreallocarray(lines, nlines + 64, sizeof *lines);
		lines[nlines].p = text + start;
		lines[nlines].len = i - start;
		lines[nlines].seq = peek_seq(text + start, i - start);
		nlines++;
		start = i + 1;
	}
	terminated = text[len - 1] == '\n';

	/* Pass 2: the chain. */
	for (i = 0; i < nlines; i++) {
		if (i == nlines - 1 && !terminated) {
			result = bad(v, AUDIT_BAD_TRUNCATED, v->records + 1, i + 1,
			    "the last line has no newline: the log was cut short "
			    "(%zu bytes of an unfinished record)", lines[i].len);
			break;
		}
		result = check_line(v, lines, nlines, i,
		    v->records > 0 ? v->session : NULL);
		if (result != SV_OK)
			break;
	}
	free(lines);
	return result;
}

sv_result
audit_verify_file(const char *path, struct audit_verify *v, struct sv_err *err)
{
	struct buf	b;
	sv_result	result;

	memset(v, 0, sizeof *v);
	buf_init(&b, BUF_MAX_AUDIT_LOG);
	result = audit_read_file(path, &b, err);
	if (result == SV_OK)
		result = audit_verify_mem(buf_str(&b), b.len, v);
	buf_free(&b);
	return result;
}

/* ---- Sessions that died between intent and result ---- */

/* True if the last line of the file is a session-end record (cheap: reads
 * the tail only). */
static bool
ended_cleanly(int fd)
{
	char		 tail[4096];
	struct stat	 st;
	off_t		 off;
	ssize_t		 n;

	if (fstat(fd, &st) == -1 || st.st_size == 0)
		return false;
	off = st.st_size > (off_t)sizeof tail ? st.st_size - (off_t)sizeof tail : 0;
	n = pread(fd, tail, sizeof tail - 1, off);
	if (n <= 0)
		return false;
	tail[n] = '\0';
	if (tail[n - 1] != '\n')
		return false;
	tail[n - 1] = '\0';
	char *last = strrchr(tail, '\n');

	last = last != NULL ? last + 1 : tail;
	return strstr(last, ",\"type\":\"" AUDIT_T_END "\",") != NULL;
}

cJSON *
audit_scan_unfinished(const char *dir, const char *own_session)
{
	cJSON		*arr = cJSON_CreateArray();
	DIR		*d;
	struct dirent	*de;

	d = opendir(dir);
	if (d == NULL)
		return arr;
	while ((de = readdir(d)) != NULL) {
		char			 session[AUDIT_SESSION_MAX];
		char			*path = NULL, *marker = NULL;
		struct audit_verify	 v;
		struct sv_err		 err;
		size_t			 nl = strlen(de->d_name);
		int			 fd = -1, mfd;

		if (nl <= 6 || nl - 6 >= sizeof session || !str_ends(de->d_name, ".jsonl"))
			continue;
		memcpy(session, de->d_name, nl - 6);
		session[nl - 6] = '\0';
		if (own_session != NULL && strcmp(session, own_session) == 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		marker = xasprintf("%s/%s.noted", dir, session);
		if (access(marker, F_OK) == 0)
			goto next;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd == -1)
			goto next;
		/* A live session holds its log locked. */
		if (flock(fd, LOCK_SH | LOCK_NB) == -1)
			goto next;
		if (ended_cleanly(fd))
			goto next;
		{
			sv_err_init(&err);
			memset(&v, 0, sizeof v);
			audit_verify_file(path, &v, &err);
			for (size_t i = 0; i < v.nopen; i++) {
				cJSON *u = cJSON_CreateObject();

				cJSON_AddStringToObject(u, "session", session);
				cJSON_AddNumberToObject(u, "seq", (double)v.open[i].seq);
				cJSON_AddStringToObject(u, "operation", v.open[i].operation);
				cJSON_AddStringToObject(u, "target", v.open[i].target);
				cJSON_AddItemToArray(arr, u);
				sv_warn("audit: session %s ended without the result of %s on %s "
				    "(seq %llu): check whether the change was made",
				    session, v.open[i].operation, v.open[i].target,
				    (unsigned long long)v.open[i].seq);
			}
			audit_verify_free(&v);
		}
		/* Looked at once: later sessions skip it. */
		mfd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (mfd != -1)
			close(mfd);
next:
		if (fd != -1)
			close(fd);
		free(path);
		free(marker);
	}
	closedir(d);
	return arr;
}
