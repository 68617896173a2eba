/* session.c - one run of a runbook: the step state machine, the answers
 * it takes, the asynchronous actions of its steps, its state on disk and
 * its resumption (see session.h). */
#include <config.h>

#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit-session.h"
#include "core/audit.h"
#include "core/drift.h"
#include "core/points.h"
#include "core/resource.h"
#include "core/restore.h"
#include "core/session.h"
#include "core/ship.h"
#include "core/timespec.h"
#include "core/verify.h"
#include "svc/rehearsal.h"
#include "svc/s3-copy.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

/* Audit record types of a runbook session (besides confirm and note). */
#define AT_RUNBOOK_START	"runbook-start"
#define AT_STEP_START		"step-start"
#define AT_STEP_END		"step-end"
#define AT_VARIABLE		"variable"
#define AT_POINT		"point"
#define AT_PAUSED		"runbook-paused"
#define AT_RUNBOOK_END		"runbook-end"
#define AT_CREATED		"created"

enum stage {
	ST_BEGIN = 0,
	ST_LOADING,	/* points / plan / drift being read */
	ST_CHOOSE,	/* asking */
	ST_ACTING,	/* a mutating call (or a verify) in flight */
	ST_WAITING	/* restore: waiting until usable */
};

struct var {
	char	*name;
	char	*value;
	char	*how;	/* "--var", "input", "default", "choose-point" */
};

struct kept_plan {
	struct restore_plan	*plan;
	size_t			 step;
};

struct session {
	char			 id[AUDIT_SESSION_MAX];
	char			*dir;
	char			*path;
	struct runbook		*rb;
	enum session_state	 state;
	enum session_mode	 mode;
	bool			 operate;
	const char		*how;		/* how answers arrive */
	sv_time			 started, updated, finished;
	size_t			 cur;
	int			 stage;
	bool			 acting;	/* a mutating call may have been sent */
	bool			 was_acting;	/* ... when the last process stopped */
	struct session_step	*steps;
	struct var		*vars;
	size_t			 nvars;
	struct session_point	*points;
	size_t			 npoints;
	struct session_created	*created;
	size_t			 ncreated;
	cJSON			*processes;
	char			*error;		/* why the session failed */
	sv_result		 error_code;

	char			*account, *arn, *local_user, *host, *region;
	char			*audit_path, *audit_dir, *audit_s3;
	char			 audit_head[AUDIT_HASH_LEN + 1];
	uint64_t		 audit_records;

	/* Runtime. */
	struct aws_client	*client;
	struct audit_session	*as;
	struct audit		*log;
	sv_time			(*now)(void);
	const struct session_events *ev;
	void			*evdata;
	bool			 pumping, repump;
	bool			 busy;
	const volatile sig_atomic_t *stop;

	/* The prompt. */
	enum session_ask	 ask;
	bool			 failprompt;	/* the step failed: retry, skip or abort */
	char			*p_question, *p_expected, *p_def, *p_detail;
	char			*p_var, *p_resource;
	enum rb_var_type	 p_type;
	char			*need_var;	/* a variable the step waits for */

	/* Step actions. */
	struct point_set	*pset;
	struct core_points_op	*pop;
	struct restore_op	*rop;
	struct restore_plan	*plan;		/* the current restore step's */
	struct restore_outcome	 outcome;
	bool			 outcome_live;
	struct kept_plan	*kept;		/* plans of earlier restores (wait steps) */
	size_t			 nkept;
	struct verify_op	*vop;
	struct drift_op		*dop;
	struct drift_report	*drift;		/* the current drift step's */
	bool			 adopting;	/* waiting on a restore an earlier process sent */
	int64_t			 deadline;	/* wait step: monotonic ms, 0: none */
	bool			 timed_out;
	bool			 cancelling;	/* callbacks of cancelled actions do nothing */
	struct aws_pending	*pending;	/* rehearsal.h calls */
	struct s3_copy_op	*cop;		/* delete markers */
	size_t			 clean_i;	/* cleanup: index into created */
	char			*last_msg;
	/* Restore to another key (rehearsal): the resolved parameters. */
	char			*ck_bucket, *ck_key, *ck_version, *ck_dest;
};

static void	pump_steps(struct session *);
static void	step_run(struct session *);
static void	save(struct session *);
static void	cancel_actions(struct session *);

/* ---- small helpers ---- */

static sv_time
now_ms(const struct session *s)
{
	return s->now != NULL ? s->now() : sv_time_now();
}

static char *
iso(sv_time t, char buf[SV_TIME_ISO_MAX])
{
	if (t == SV_TIME_NONE) {
		buf[0] = '\0';
		return NULL;
	}
	sv_time_format_iso(t, buf, t % 1000 != 0);
	return buf;
}

static void
add_time(cJSON *o, const char *k, sv_time t)
{
	char	b[SV_TIME_ISO_MAX];

	if (t == SV_TIME_NONE)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddStringToObject(o, k, iso(t, b));
}

static void
add_str(cJSON *o, const char *k, const char *v)
{
	if (v == NULL)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddStringToObject(o, k, v);
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(c) ? c->valuestring : NULL;
}

static char *
jdup(const cJSON *o, const char *k)
{
	const char	*v = jstr(o, k);

	return v != NULL ? xstrdup(v) : NULL;
}

static sv_time
jtime(const cJSON *o, const char *k)
{
	const char	*v = jstr(o, k);
	sv_time		 t;

	if (v == NULL || sv_time_parse_iso(v, &t) != SV_OK)
		return SV_TIME_NONE;
	return t;
}

static double
jnum(const cJSON *o, const char *k, double def)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(c) ? c->valuedouble : def;
}

static bool
jbool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v != NULL ? xstrdup(v) : NULL;
}

static void
emit(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
emit(struct session *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) == -1)
		abort();
	va_end(ap);
	if (s->ev != NULL && s->ev->message != NULL)
		s->ev->message(s->evdata, line);
	free(line);
}

static void
changed(struct session *s)
{
	if (s->ev != NULL && s->ev->changed != NULL)
		s->ev->changed(s->evdata);
}

static struct rb_step *
cur_step(const struct session *s)
{
	return s->cur < s->rb->nsteps ? &s->rb->steps[s->cur] : NULL;
}

static struct session_step *
cur_rec(const struct session *s)
{
	return s->cur < s->rb->nsteps ? &s->steps[s->cur] : NULL;
}

/* Who answers: the operator's AWS identity, else the local user. */
static const char *
who(const struct session *s, const char *how)
{
	if (how != NULL && strcmp(how, "unattended") == 0)
		return "unattended";
	if (s->arn != NULL && s->arn[0] != '\0')
		return s->arn;
	return s->local_user != NULL ? s->local_user : "?";
}

/* ---- names ---- */

const char *
session_state_name(enum session_state st)
{
	switch (st) {
	case SESSION_ACTIVE:	return "active";
	case SESSION_PAUSED:	return "paused";
	case SESSION_FAILED:	return "failed";
	case SESSION_FINISHED:	return "finished";
	}
	return "?";
}

const char *
session_step_status_name(enum session_step_status st)
{
	switch (st) {
	case SSTEP_PENDING:	return "pending";
	case SSTEP_RUNNING:	return "running";
	case SSTEP_DONE:	return "done";
	case SSTEP_SKIPPED:	return "skipped";
	case SSTEP_FAILED:	return "failed";
	}
	return "?";
}

const char *
session_mode_name(enum session_mode m)
{
	switch (m) {
	case SESSION_MODE_PLAIN:	return "plain";
	case SESSION_MODE_TUI:		return "tui";
	case SESSION_MODE_UNATTENDED:	return "unattended";
	}
	return "?";
}

static int
parse_enum(const char *v, const char *const *names, int n, int def)
{
	for (int i = 0; v != NULL && i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return def;
}

/* ---- variables ---- */

static struct var *
var_find(const struct session *s, const char *name)
{
	for (size_t i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return &s->vars[i];
	return NULL;
}

static void
var_put(struct session *s, const char *name, const char *value, const char *how)
{
	struct var	*v = var_find(s, name);

	if (v == NULL) {
		s->vars = xreallocarray(s->vars, s->nvars + 1, sizeof *s->vars);
		v = &s->vars[s->nvars++];
		v->name = xstrdup(name);
		v->value = NULL;
		v->how = NULL;
	}
	set_str(&v->value, value);
	set_str(&v->how, how);
}

const char *
session_var(const struct session *s, const char *name)
{
	static char	 suffix[16], date[16];
	const struct var *v = var_find(s, name);
	const char	*dash;

	if (v != NULL)
		return v->value;
	if (strcmp(name, "session") == 0)
		return s->id;
	if (strcmp(name, "suffix") == 0) {
		dash = strrchr(s->id, '-');
		str_lcpy(suffix, dash != NULL ? dash + 1 : s->id, sizeof suffix);
		for (char *p = suffix; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		return suffix;
	}
	if (strcmp(name, "date") == 0) {
		snprintf(date, sizeof date, "%.8s", s->id);
		return date;
	}
	if (strcmp(name, "account") == 0)
		return s->account != NULL && s->account[0] != '\0' ? s->account : NULL;
	if (strcmp(name, "region") == 0)
		return s->region;
	return NULL;
}

static const char *
lookup(void *data, const char *name)
{
	return session_var(data, name);
}

/* Leaves unknown variables as they are written. */
static const char *
lookup_lenient(void *data, const char *name)
{
	static char	buf[128];
	const char	*v = session_var(data, name);

	if (v != NULL)
		return v;
	snprintf(buf, sizeof buf, "${%s}", name);
	return buf;
}

char *
session_expand_text(const struct session *s, const char *t)
{
	struct sv_err	 err;
	char		*out = NULL;

	if (t == NULL)
		return NULL;
	sv_err_init(&err);
	if (runbook_expand(t, lookup_lenient, (void *)s, &out, NULL, &err) != SV_OK)
		return xstrdup(t);
	return out;
}

char *
session_step_text(const struct session *s, size_t i)
{
	return i < s->rb->nsteps ? session_expand_text(s, s->rb->steps[i].text) : NULL;
}

char *
session_step_title(const struct session *s, size_t i)
{
	return i < s->rb->nsteps ? session_expand_text(s, s->rb->steps[i].title) : NULL;
}

/* ---- the audit log ---- */

static void
audit_rec(struct session *s, const char *type, cJSON *data)
{
	struct sv_err	err;

	if (s->log == NULL) {
		cJSON_Delete(data);
		return;
	}
	sv_err_init(&err);
	if (data == NULL)
		data = cJSON_CreateObject();
	cJSON_AddStringToObject(data, "runbook_session", s->id);
	if (audit_append(s->log, type, data, NULL, &err) != SV_OK)
		sv_warn("audit: %s", err.msg);
}

static void
audit_confirmation(struct session *s, const char *question, const char *expected,
    const char *typed, const char *how, bool accepted)
{
	struct sv_err	err;

	if (s->log == NULL)
		return;
	sv_err_init(&err);
	if (audit_confirm(s->log, question, expected, typed, how, accepted, &err) != SV_OK)
		sv_warn("audit: %s", err.msg);
}

static void
audit_snapshot(struct session *s)
{
	if (s->log == NULL)
		return;
	str_lcpy(s->audit_head, audit_head(s->log), sizeof s->audit_head);
	s->audit_records = audit_count(s->log);
	if (s->as != NULL && audit_session_ship(s->as) != NULL)
		set_str(&s->audit_s3, audit_ship_uri(audit_session_ship(s->as)));
}

/* ---- the prompt ---- */

static void
prompt_clear(struct session *s)
{
	s->ask = SESSION_ASK_NONE;
	s->failprompt = false;
	xfree(s->p_question);
	xfree(s->p_expected);
	xfree(s->p_def);
	xfree(s->p_detail);
	xfree(s->p_var);
	xfree(s->p_resource);
}

static void
prompt_set(struct session *s, enum session_ask kind, const char *question,
    const char *expected, const char *def)
{
	s->ask = kind;
	set_str(&s->p_question, question);
	set_str(&s->p_expected, expected);
	set_str(&s->p_def, def);
}

void
session_prompt(const struct session *s, struct session_prompt *p)
{
	memset(p, 0, sizeof *p);
	if (s->state != SESSION_ACTIVE)
		return;
	p->kind = s->ask;
	p->question = s->p_question;
	p->expected = s->p_expected;
	p->var = s->p_var;
	p->type = s->p_type;
	p->def = s->p_def;
	p->detail = s->p_detail;
	p->points = s->ask == SESSION_ASK_POINT ? s->pset : NULL;
	p->resource = s->p_resource;
}

/* ---- persistence ---- */

char *
session_dir_path(void)
{
	const char	*x = getenv("XDG_STATE_HOME"), *home;

	if (x != NULL && x[0] == '/')
		return xasprintf("%s/salvage/sessions", x);
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/.local/state/salvage/sessions", home);
}

static sv_result
dir_prepare(const char *dir, struct sv_err *err)
{
	char		*p = xstrdup(dir), *c;
	struct stat	 st;
	sv_result	 result = SV_OK;

	for (c = p + 1; ; c++) {
		char	save_c;

		if (*c != '/' && *c != '\0')
			continue;
		save_c = *c;
		*c = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			result = sv_err_set(err, SV_E_IO, "cannot create %s: %s", p,
			    strerror(errno));
			goto out;
		}
		*c = save_c;
		if (save_c == '\0')
			break;
	}
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		result = sv_err_set(err, SV_E_IO, "%s is not a directory", dir);
		goto out;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		if (st.st_uid == geteuid() && chmod(dir, 0700) == 0)
			goto out;
		result = sv_err_set(err, SV_E_IO, "refusing session directory %s: it "
		    "must be yours and private (chmod 700 %s)", dir, dir);
	}
out:
	free(p);
	return result;
}

static sv_result
fsync_dir(const char *dir)
{
	int	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int	r;

	if (fd == -1)
		return SV_E_IO;
	r = fsync(fd);
	close(fd);
	return r == 0 ? SV_OK : SV_E_IO;
}

/* Writes text to path atomically: a temporary file in the same
 * directory, fsync'd, renamed over path, the directory fsync'd. */
static sv_result
write_atomic(const char *dir, const char *path, const char *text, struct sv_err *err)
{
	char		*tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	size_t		 len = strlen(text), off = 0;
	int		 fd;
	sv_result	 result = SV_OK;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		result = sv_err_set(err, SV_E_IO, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t	n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			result = sv_err_set(err, SV_E_IO, "cannot write %s: %s", tmp,
			    strerror(errno));
			break;
		}
		off += (size_t)n;
	}
	if (result == SV_OK && (fchmod(fd, 0600) == -1 || fsync(fd) == -1))
		result = sv_err_set(err, SV_E_IO, "cannot sync %s: %s", tmp,
		    strerror(errno));
	close(fd);
	if (result == SV_OK && rename(tmp, path) == -1)
		result = sv_err_set(err, SV_E_IO, "cannot rename %s to %s: %s", tmp,
		    path, strerror(errno));
	if (result != SV_OK)
		unlink(tmp);
	else if (fsync_dir(dir) != SV_OK)
		result = sv_err_set(err, SV_E_IO, "cannot sync directory %s: %s", dir,
		    strerror(errno));
out:
	free(tmp);
	return result;
}

cJSON *
session_to_json(const struct session *s)
{
	cJSON	*j = cJSON_CreateObject(), *o, *a;

	cJSON_AddNumberToObject(j, "version", SESSION_STATE_VERSION);
	cJSON_AddStringToObject(j, "session", s->id);
	cJSON_AddStringToObject(j, "state", session_state_name(s->state));
	cJSON_AddStringToObject(j, "mode", session_mode_name(s->mode));
	cJSON_AddBoolToObject(j, "operate", s->operate);
	o = cJSON_AddObjectToObject(j, "runbook");
	cJSON_AddStringToObject(o, "id", s->rb->id);
	cJSON_AddStringToObject(o, "title", s->rb->title);
	cJSON_AddStringToObject(o, "scenario", s->rb->scenario);
	cJSON_AddStringToObject(o, "path", s->rb->path);
	cJSON_AddStringToObject(o, "sha256", s->rb->sha256);
	cJSON_AddNumberToObject(o, "rto_minutes", s->rb->rto_minutes);
	if (s->rb->rpo_minutes >= 0)
		cJSON_AddNumberToObject(o, "rpo_minutes", s->rb->rpo_minutes);
	else
		cJSON_AddNullToObject(o, "rpo_minutes");
	cJSON_AddStringToObject(o, "text", s->rb->text);
	add_time(j, "started", s->started);
	add_time(j, "updated", s->updated);
	add_time(j, "finished", s->finished);
	cJSON_AddNumberToObject(j, "step", (double)s->cur);
	cJSON_AddStringToObject(j, "current", s->cur < s->rb->nsteps ?
	    s->rb->steps[s->cur].id : "");
	cJSON_AddNumberToObject(j, "stage", s->stage);
	cJSON_AddBoolToObject(j, "acting", s->acting);
	if (s->error != NULL) {
		o = cJSON_AddObjectToObject(j, "error");
		cJSON_AddStringToObject(o, "code", sv_result_str(s->error_code));
		cJSON_AddNumberToObject(o, "status", sv_result_exit(s->error_code));
		cJSON_AddStringToObject(o, "message", s->error);
	} else
		cJSON_AddNullToObject(j, "error");

	o = cJSON_AddObjectToObject(j, "operator");
	add_str(o, "account", s->account);
	add_str(o, "arn", s->arn);
	add_str(o, "local_user", s->local_user);
	add_str(o, "host", s->host);
	add_str(j, "region", s->region);

	o = cJSON_AddObjectToObject(j, "audit");
	cJSON_AddStringToObject(o, "session", s->id);
	add_str(o, "path", s->audit_path);
	add_str(o, "dir", s->audit_dir);
	add_str(o, "s3", s->audit_s3);
	cJSON_AddStringToObject(o, "head", s->audit_head);
	cJSON_AddNumberToObject(o, "records", (double)s->audit_records);

	a = cJSON_AddArrayToObject(j, "variables");
	for (size_t i = 0; i < s->nvars; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", s->vars[i].name);
		add_str(o, "value", s->vars[i].value);
		add_str(o, "how", s->vars[i].how);
		cJSON_AddItemToArray(a, o);
	}
	a = cJSON_AddArrayToObject(j, "points");
	for (size_t i = 0; i < s->npoints; i++) {
		const struct session_point *p = &s->points[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "var", p->var);
		add_str(o, "resource", p->resource);
		add_str(o, "method", p->method);
		add_str(o, "value", p->value);
		cJSON_AddBoolToObject(o, "latest", p->latest);
		add_time(o, "time", p->time);
		add_time(o, "reference", p->reference);
		if (p->loss_ms >= 0)
			cJSON_AddNumberToObject(o, "loss_ms", (double)p->loss_ms);
		else
			cJSON_AddNullToObject(o, "loss_ms");
		add_str(o, "how", p->how);
		cJSON_AddItemToArray(a, o);
	}
	a = cJSON_AddArrayToObject(j, "created");
	for (size_t i = 0; i < s->ncreated; i++) {
		const struct session_created *c = &s->created[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "uri", c->uri);
		add_str(o, "step", c->step);
		add_time(o, "at", c->at);
		cJSON_AddBoolToObject(o, "cleaned", c->cleaned);
		add_str(o, "cleanup", c->cleanup);
		cJSON_AddItemToArray(a, o);
	}
	a = cJSON_AddArrayToObject(j, "steps");
	for (size_t i = 0; i < s->rb->nsteps; i++) {
		const struct session_step *st = &s->steps[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", s->rb->steps[i].id);
		cJSON_AddStringToObject(o, "type", rb_step_type_name(s->rb->steps[i].type));
		cJSON_AddStringToObject(o, "title", s->rb->steps[i].title);
		cJSON_AddStringToObject(o, "status", session_step_status_name(st->status));
		add_time(o, "started", st->started);
		add_time(o, "finished", st->finished);
		if (st->started != SV_TIME_NONE && st->finished != SV_TIME_NONE)
			cJSON_AddNumberToObject(o, "duration_ms",
			    (double)(st->finished - st->started));
		else
			cJSON_AddNullToObject(o, "duration_ms");
		add_str(o, "outcome", st->outcome);
		add_str(o, "confirmed_by", st->confirmed_by);
		add_str(o, "how", st->how);
		add_str(o, "reason", st->reason);
		cJSON_AddNumberToObject(o, "runs", st->runs);
		if (st->result != NULL)
			cJSON_AddItemToObject(o, "result", cJSON_Duplicate(st->result, true));
		cJSON_AddItemToArray(a, o);
	}
	cJSON_AddItemToObject(j, "processes", s->processes != NULL ?
	    cJSON_Duplicate(s->processes, true) : cJSON_CreateArray());
	return j;
}

static void
save(struct session *s)
{
	struct sv_err	 err;
	cJSON		*j;
	char		*text;

	if (s->path == NULL)
		return;
	s->updated = now_ms(s);
	audit_snapshot(s);
	j = session_to_json(s);
	text = cJSON_Print(j);
	cJSON_Delete(j);
	if (text == NULL)
		abort();
	sv_err_init(&err);
	if (write_atomic(s->dir, s->path, text, &err) != SV_OK)
		sv_warn("session %s: the state could not be saved: %s; a resume "
		    "would start from the last state saved", s->id, err.msg);
	free(text);
}

/* ---- loading ---- */

static struct session *
session_alloc(void)
{
	struct session	*s = xcalloc(1, sizeof *s);

	s->started = s->updated = s->finished = SV_TIME_NONE;
	memcpy(s->audit_head, AUDIT_GENESIS, sizeof s->audit_head);
	restore_outcome_init(&s->outcome);
	s->processes = cJSON_CreateArray();
	return s;
}

static void
steps_alloc(struct session *s)
{
	s->steps = xcalloc(s->rb->nsteps, sizeof *s->steps);
	for (size_t i = 0; i < s->rb->nsteps; i++)
		s->steps[i].started = s->steps[i].finished = SV_TIME_NONE;
}

static sv_result
from_json(struct session *s, const cJSON *j, const char *path, struct sv_err *err)
{
	static const char *const states[] = { "active", "paused", "failed", "finished" };
	static const char *const modes[] = { "plain", "tui", "unattended" };
	static const char *const sts[] = {
		"pending", "running", "done", "skipped", "failed"
	};
	const cJSON	*o, *a, *e;
	const char	*text, *id;
	size_t		 i;

	if (jnum(j, "version", 0) != SESSION_STATE_VERSION)
		return sv_err_set(err, SV_E_PARSE, "%s: not a session state of version "
		    "%d", path, SESSION_STATE_VERSION);
	id = jstr(j, "session");
	o = cJSON_GetObjectItemCaseSensitive(j, "runbook");
	text = jstr(o, "text");
	if (id == NULL || text == NULL)
		return sv_err_set(err, SV_E_PARSE, "%s: the session state has no id or "
		    "no runbook", path);
	str_lcpy(s->id, id, sizeof s->id);
	s->rb = runbook_load_mem(text, strlen(text), jstr(o, "path"), err);
	if (s->rb == NULL) {
		sv_err_prefix(err, "%s: the session's runbook: ", path);
		return SV_E_PARSE;
	}
	s->state = (enum session_state)parse_enum(jstr(j, "state"), states, 4,
	    SESSION_ACTIVE);
	s->mode = (enum session_mode)parse_enum(jstr(j, "mode"), modes, 3,
	    SESSION_MODE_PLAIN);
	s->operate = jbool(j, "operate");
	s->started = jtime(j, "started");
	s->updated = jtime(j, "updated");
	s->finished = jtime(j, "finished");
	s->cur = (size_t)jnum(j, "step", 0);
	if (s->cur > s->rb->nsteps)
		s->cur = s->rb->nsteps;
	s->stage = (int)jnum(j, "stage", 0);
	s->was_acting = jbool(j, "acting");
	o = cJSON_GetObjectItemCaseSensitive(j, "error");
	if (cJSON_IsObject(o)) {
		s->error = jdup(o, "message");
		s->error_code = SV_E_AWS;
		for (int c = 0; c < SV_E__COUNT; c++)
			if (jstr(o, "code") != NULL &&
			    strcmp(jstr(o, "code"), sv_result_str((sv_result)c)) == 0)
				s->error_code = (sv_result)c;
	}
	o = cJSON_GetObjectItemCaseSensitive(j, "operator");
	s->account = jdup(o, "account");
	s->arn = jdup(o, "arn");
	s->local_user = jdup(o, "local_user");
	s->host = jdup(o, "host");
	s->region = jdup(j, "region");
	o = cJSON_GetObjectItemCaseSensitive(j, "audit");
	s->audit_path = jdup(o, "path");
	s->audit_dir = jdup(o, "dir");
	s->audit_s3 = jdup(o, "s3");
	if (jstr(o, "head") != NULL)
		str_lcpy(s->audit_head, jstr(o, "head"), sizeof s->audit_head);
	s->audit_records = (uint64_t)jnum(o, "records", 0);

	a = cJSON_GetObjectItemCaseSensitive(j, "variables");
	cJSON_ArrayForEach(e, a) {
		if (jstr(e, "name") != NULL && jstr(e, "value") != NULL)
			var_put(s, jstr(e, "name"), jstr(e, "value"), jstr(e, "how"));
	}
	a = cJSON_GetObjectItemCaseSensitive(j, "points");
	cJSON_ArrayForEach(e, a) {
		struct session_point *p;

		s->points = xreallocarray(s->points, s->npoints + 1, sizeof *s->points);
		p = &s->points[s->npoints++];
		p->var = xstrdup(jstr(e, "var") != NULL ? jstr(e, "var") : "?");
		p->resource = jdup(e, "resource");
		p->method = jdup(e, "method");
		p->value = jdup(e, "value");
		p->latest = jbool(e, "latest");
		p->time = jtime(e, "time");
		p->reference = jtime(e, "reference");
		p->loss_ms = (int64_t)jnum(e, "loss_ms", -1);
		p->how = jdup(e, "how");
	}
	a = cJSON_GetObjectItemCaseSensitive(j, "created");
	cJSON_ArrayForEach(e, a) {
		struct session_created *c;

		if (jstr(e, "uri") == NULL)
			continue;
		s->created = xreallocarray(s->created, s->ncreated + 1,
		    sizeof *s->created);
		c = &s->created[s->ncreated++];
		c->uri = jdup(e, "uri");
		c->step = jdup(e, "step");
		c->at = jtime(e, "at");
		c->cleaned = jbool(e, "cleaned");
		c->cleanup = jdup(e, "cleanup");
	}
	steps_alloc(s);
	a = cJSON_GetObjectItemCaseSensitive(j, "steps");
	i = 0;
	cJSON_ArrayForEach(e, a) {
		struct session_step *st;
		const cJSON	    *r;

		if (i >= s->rb->nsteps)
			break;
		st = &s->steps[i++];
		st->status = (enum session_step_status)parse_enum(jstr(e, "status"),
		    sts, 5, SSTEP_PENDING);
		st->started = jtime(e, "started");
		st->finished = jtime(e, "finished");
		st->outcome = jdup(e, "outcome");
		st->confirmed_by = jdup(e, "confirmed_by");
		st->how = jdup(e, "how");
		st->reason = jdup(e, "reason");
		st->runs = (int)jnum(e, "runs", 0);
		r = cJSON_GetObjectItemCaseSensitive(e, "result");
		if (r != NULL && !cJSON_IsNull(r))
			st->result = cJSON_Duplicate(r, true);
	}
	a = cJSON_GetObjectItemCaseSensitive(j, "processes");
	if (cJSON_IsArray(a)) {
		cJSON_Delete(s->processes);
		s->processes = cJSON_Duplicate(a, true);
	}
	return SV_OK;
}

sv_result
session_load(const char *dir, const char *id, struct session **out, struct sv_err *err)
{
	struct session	*s;
	struct buf	 b;
	cJSON		*j = NULL;
	sv_result	 result = SV_OK;

	*out = NULL;
	for (const char *p = id; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return sv_err_set(err, SV_E_USAGE, "'%s' is not a session id "
			    "(salvage sessions lists them)", id);
	s = session_alloc();
	s->dir = dir != NULL ? xstrdup(dir) : session_dir_path();
	s->path = xasprintf("%s/%s.json", s->dir, id);
	buf_init(&b, BUF_MAX_SESSION);
	switch ((result = buf_read_file(&b, s->path))) {
	case SV_OK:
		break;
	case SV_E_TOOLARGE:
		sv_err_set(err, result, "%s is too large", s->path);
		goto fail;
	default:
		sv_err_set(err, result, "no session %s (%s: %s); salvage sessions "
		    "lists them", id, s->path, strerror(errno));
		goto fail;
	}
	j = cJSON_ParseWithLength(buf_str(&b), b.len);
	if (j == NULL) {
		result = sv_err_set(err, SV_E_PARSE, "%s: the session state is not JSON",
		    s->path);
		goto fail;
	}
	result = from_json(s, j, s->path, err);
	if (result != SV_OK)
		goto fail;
	if (strcmp(s->id, id) != 0) {
		result = sv_err_set(err, SV_E_PARSE, "%s holds session %s", s->path, s->id);
		goto fail;
	}
	cJSON_Delete(j);
	buf_free(&b);
	*out = s;
	return SV_OK;
fail:
	cJSON_Delete(j);
	buf_free(&b);
	s->path = (free(s->path), NULL);	/* never overwrite what did not load */
	session_free(s);
	return result;
}

/* ---- starting and resuming ---- */

static void
process_add(struct session *s, const char *kind)
{
	cJSON	*p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "kind", kind);
	cJSON_AddNumberToObject(p, "pid", (double)getpid());
	cJSON_AddStringToObject(p, "mode", session_mode_name(s->mode));
	cJSON_AddBoolToObject(p, "operate", s->operate);
	add_time(p, "started", now_ms(s));
	add_str(p, "host", s->host);
	add_str(p, "local_user", s->local_user);
	add_str(p, "operator", s->arn);
	cJSON_AddItemToArray(s->processes, p);
}

static void
attach(struct session *s, const struct session_opts *o)
{
	struct passwd	*pw;
	char		 host[256];

	s->mode = o->mode;
	s->operate = o->operate;
	s->client = o->client;
	s->as = o->audit;
	s->log = o->audit != NULL ? audit_session_log(o->audit) : o->log;
	s->now = o->now;
	s->how = s->mode == SESSION_MODE_UNATTENDED ? "unattended" :
	    o->how != NULL ? o->how : s->mode == SESSION_MODE_TUI ? "tui" : "tty";
	if (s->as != NULL) {
		const char *acc = audit_session_account(s->as);
		const char *arn = audit_session_arn(s->as);

		if (acc != NULL && *acc != '\0')
			set_str(&s->account, acc);
		if (arn != NULL && *arn != '\0')
			set_str(&s->arn, arn);
	}
	if (s->client != NULL)
		set_str(&s->region, aws_client_region(s->client));
	pw = getpwuid(geteuid());
	set_str(&s->local_user, pw != NULL ? pw->pw_name :
	    getenv("USER") != NULL ? getenv("USER") : "?");
	if (gethostname(host, sizeof host) != 0)
		str_lcpy(host, "?", sizeof host);
	host[sizeof host - 1] = '\0';
	set_str(&s->host, host);
	if (s->log != NULL) {
		set_str(&s->audit_path, audit_path(s->log));
		set_str(&s->audit_dir, audit_dirname(s->log));
	}
}

/* --var NAME=VALUE, validated against the declared type. */
static sv_result
apply_vars(struct session *s, char **vars, size_t nvars, struct sv_err *err)
{
	for (size_t i = 0; i < nvars; i++) {
		const char	*eq = strchr(vars[i], '=');
		const struct rb_var *v;
		char		*name, *norm = NULL;
		struct sv_err	 e;

		if (eq == NULL || eq == vars[i])
			return sv_err_set(err, SV_E_USAGE, "--var %s: expected NAME=VALUE",
			    vars[i]);
		name = xstrndup(vars[i], (size_t)(eq - vars[i]));
		v = runbook_var(s->rb, name);
		if (v == NULL) {
			sv_err_set(err, SV_E_USAGE, "--var %s: runbook %s has no variable "
			    "'%s'", vars[i], s->rb->id, name);
			free(name);
			return SV_E_USAGE;
		}
		sv_err_init(&e);
		if (runbook_var_check(v->type, eq + 1, true, now_ms(s), &norm, &e) != SV_OK) {
			sv_err_set(err, SV_E_USAGE, "--var %s: %s", vars[i], e.msg);
			free(name);
			return SV_E_USAGE;
		}
		var_put(s, name, norm, "--var");
		free(name);
		free(norm);
	}
	return SV_OK;
}

static cJSON *
vars_json(const struct session *s)
{
	cJSON	*o = cJSON_CreateObject();

	for (size_t i = 0; i < s->nvars; i++)
		cJSON_AddStringToObject(o, s->vars[i].name, s->vars[i].value);
	return o;
}

sv_result
session_start(struct runbook *rb, const struct session_opts *o, char **vars,
    size_t nvars, struct session **out, struct sv_err *err)
{
	struct session	*s = session_alloc();
	cJSON		*d;
	sv_result	 result;

	*out = NULL;
	s->rb = rb;
	steps_alloc(s);
	attach(s, o);
	s->started = now_ms(s);
	if (s->log != NULL)
		str_lcpy(s->id, audit_session(s->log), sizeof s->id);
	else
		audit_session_id(s->started, s->id);
	s->dir = o->dir != NULL ? xstrdup(o->dir) : session_dir_path();
	if ((result = apply_vars(s, vars, nvars, err)) != SV_OK)
		goto fail;
	if ((result = dir_prepare(s->dir, err)) != SV_OK)
		goto fail;
	if (s->log != NULL && audit_broken(s->log) != NULL) {
		result = sv_err_set(err, SV_E_AUDIT, "the audit log cannot be written "
		    "(%s): a runbook session is not started without one",
		    audit_broken(s->log));
		goto fail;
	}
	s->path = xasprintf("%s/%s.json", s->dir, s->id);
	process_add(s, "run");

	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "runbook", rb->id);
	cJSON_AddStringToObject(d, "title", rb->title);
	cJSON_AddStringToObject(d, "path", rb->path);
	cJSON_AddStringToObject(d, "sha256", rb->sha256);
	cJSON_AddStringToObject(d, "mode", session_mode_name(s->mode));
	cJSON_AddStringToObject(d, "state_file", s->path);
	cJSON_AddNumberToObject(d, "steps", (double)rb->nsteps);
	cJSON_AddNumberToObject(d, "rto_minutes", rb->rto_minutes);
	cJSON_AddItemToObject(d, "variables", vars_json(s));
	audit_rec(s, AT_RUNBOOK_START, d);
	save(s);
	*out = s;
	return SV_OK;
fail:
	session_free(s);
	return result;
}

sv_result
session_resume(struct session *s, const struct session_opts *o, char **vars,
    size_t nvars, struct sv_err *err)
{
	cJSON		*d;
	sv_result	 result;
	const char	*prev_state = session_state_name(s->state);

	if (s->state == SESSION_FINISHED)
		return sv_err_set(err, SV_E_INVALID, "session %s is finished: there is "
		    "nothing to resume (salvage report %s shows it)", s->id, s->id);
	attach(s, o);
	if (s->log != NULL && audit_broken(s->log) != NULL)
		return sv_err_set(err, SV_E_AUDIT, "the audit log of session %s cannot "
		    "be continued (%s): nothing was done", s->id, audit_broken(s->log));
	if ((result = apply_vars(s, vars, nvars, err)) != SV_OK)
		return result;
	if ((result = dir_prepare(s->dir, err)) != SV_OK)
		return result;
	s->state = SESSION_ACTIVE;
	xfree(s->error);
	s->error_code = SV_OK;
	process_add(s, "resume");
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "runbook", s->rb->id);
	cJSON_AddStringToObject(d, "was", prev_state);
	cJSON_AddNumberToObject(d, "step_index", (double)s->cur);
	cJSON_AddStringToObject(d, "step", s->cur < s->rb->nsteps ?
	    s->rb->steps[s->cur].id : "");
	cJSON_AddBoolToObject(d, "was_acting", s->was_acting);
	cJSON_AddStringToObject(d, "mode", session_mode_name(s->mode));
	cJSON_AddItemToObject(d, "variables", vars_json(s));
	audit_rec(s, "runbook-resumed", d);
	save(s);
	return SV_OK;
}

void
session_set_events(struct session *s, const struct session_events *ev, void *data)
{
	s->ev = ev;
	s->evdata = data;
}

/* ---- step life ---- */

/* Sets the variables text refers to that are unset but have a default
 * that resolves now (so the step's text is shown complete); never asks. */
static void
prefill_one(void *data, const char *name)
{
	struct session		*s = data;
	const struct rb_var	*v = runbook_var(s->rb, name);
	struct sv_err		 err;
	char			*def = NULL, *norm = NULL;
	cJSON			*d;

	if (v == NULL || v->def == NULL || session_var(s, name) != NULL)
		return;
	sv_err_init(&err);
	if (runbook_expand(v->def, lookup, s, &def, NULL, &err) != SV_OK)
		return;
	sv_err_init(&err);
	if (runbook_var_check(v->type, def, true, now_ms(s), &norm, &err) == SV_OK) {
		var_put(s, v->name, norm, "default");
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name", v->name);
		cJSON_AddStringToObject(d, "value", norm);
		cJSON_AddStringToObject(d, "how", "default");
		cJSON_AddStringToObject(d, "step", cur_step(s)->id);
		audit_rec(s, AT_VARIABLE, d);
	}
	free(def);
	free(norm);
}

static void
prefill(struct session *s, const char *text)
{
	char	*bad = NULL;

	if (text != NULL && !runbook_refs(text, prefill_one, s, &bad))
		free(bad);
}

static void
step_begin(struct session *s)
{
	struct session_step	*st = cur_rec(s);
	struct rb_step		*rs = cur_step(s);
	cJSON			*d;

	prompt_clear(s);
	xfree(s->need_var);
	if (st->started == SV_TIME_NONE)
		st->started = now_ms(s);
	st->finished = SV_TIME_NONE;
	st->status = SSTEP_RUNNING;
	st->runs++;
	xfree(st->reason);
	s->stage = ST_BEGIN;
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "step", rs->id);
	cJSON_AddNumberToObject(d, "index", (double)s->cur);
	cJSON_AddStringToObject(d, "type", rb_step_type_name(rs->type));
	cJSON_AddStringToObject(d, "title", rs->title);
	cJSON_AddNumberToObject(d, "run", st->runs);
	audit_rec(s, AT_STEP_START, d);
	prefill(s, rs->title);
	prefill(s, rs->text);
	save(s);
	if (s->ev != NULL && s->ev->step_started != NULL)
		s->ev->step_started(s->evdata, s->cur);
	step_run(s);
}

static void
step_end(struct session *s, enum session_step_status status, const char *how,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
step_end(struct session *s, enum session_step_status status, const char *how,
    const char *fmt, ...)
{
	struct session_step	*st = cur_rec(s);
	struct rb_step		*rs = cur_step(s);
	cJSON			*d;
	va_list			 ap;
	char			*outcome;

	va_start(ap, fmt);
	if (vasprintf(&outcome, fmt, ap) == -1)
		abort();
	va_end(ap);
	prompt_clear(s);
	s->busy = false;
	s->acting = false;
	s->was_acting = false;
	st->status = status;
	st->finished = now_ms(s);
	free(st->outcome);
	st->outcome = outcome;
	if (how != NULL) {
		set_str(&st->how, how);
		set_str(&st->confirmed_by, who(s, how));
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "step", rs->id);
	cJSON_AddNumberToObject(d, "index", (double)s->cur);
	cJSON_AddStringToObject(d, "status", session_step_status_name(status));
	cJSON_AddStringToObject(d, "outcome", outcome);
	cJSON_AddNumberToObject(d, "duration_ms", (double)(st->finished - st->started));
	add_str(d, "confirmed_by", st->confirmed_by);
	add_str(d, "how", st->how);
	if (st->reason != NULL)
		cJSON_AddStringToObject(d, "reason", st->reason);
	audit_rec(s, AT_STEP_END, d);
	if (s->ev != NULL && s->ev->step_finished != NULL)
		s->ev->step_finished(s->evdata, s->cur);
	s->cur++;
	s->stage = ST_BEGIN;
	save(s);
	changed(s);
}

/* A step failed: unattended, the session stops (fail fast); otherwise
 * the operator chooses: retry, skip REASON or abort. */
static void
step_fail(struct session *s, sv_result code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
step_fail(struct session *s, sv_result code, const char *fmt, ...)
{
	struct session_step	*st = cur_rec(s);
	va_list			 ap;
	char			*msg;
	cJSON			*d;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		abort();
	va_end(ap);
	prompt_clear(s);
	s->busy = false;
	s->acting = false;
	st->status = SSTEP_FAILED;
	st->finished = now_ms(s);
	free(st->outcome);
	st->outcome = xasprintf("failed: %s", msg);
	set_str(&st->reason, msg);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "step", cur_step(s)->id);
	cJSON_AddNumberToObject(d, "index", (double)s->cur);
	cJSON_AddStringToObject(d, "status", "failed");
	cJSON_AddStringToObject(d, "outcome", st->outcome);
	cJSON_AddStringToObject(d, "error", sv_result_str(code));
	cJSON_AddNumberToObject(d, "duration_ms", (double)(st->finished - st->started));
	audit_rec(s, AT_STEP_END, d);
	emit(s, "failed: %s", msg);
	if (s->mode == SESSION_MODE_UNATTENDED) {
		s->state = SESSION_FAILED;
		s->error_code = code;
		free(s->error);
		s->error = xasprintf("step %s: %s", cur_step(s)->id, msg);
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "state", "failed");
		cJSON_AddStringToObject(d, "step", cur_step(s)->id);
		cJSON_AddStringToObject(d, "error", msg);
		audit_rec(s, AT_RUNBOOK_END, d);
		if (s->ev != NULL && s->ev->step_finished != NULL)
			s->ev->step_finished(s->evdata, s->cur);
	} else {
		char *q = xasprintf("step failed: %s — answer retry, skip REASON or abort",
		    msg);

		s->failprompt = true;
		prompt_set(s, SESSION_ASK_CONFIRM, q, NULL, NULL);
		free(q);
	}
	free(msg);
	save(s);
	changed(s);
}

/* Makes variable name known: set already, or set from its default
 * (which may need other variables first). Returns false when the step
 * stopped: it asks the operator for a variable, or failed (unattended:
 * a variable nobody set). */
static bool
resolve(struct session *s, const char *name, int depth)
{
	const struct rb_var	*v = runbook_var(s->rb, name);
	struct sv_err		 err;
	char			*def = NULL, *missing = NULL, *norm = NULL, *q;
	cJSON			*d;

	if (session_var(s, name) != NULL)
		return true;
	if (v == NULL) {
		/* A built-in that is not known (account without STS). */
		step_fail(s, SV_E_INVALID, "${%s} is not known in this session", name);
		return false;
	}
	if (depth > 8) {
		step_fail(s, SV_E_INVALID, "the defaults of the variables refer to "
		    "each other in a loop (at ${%s})", name);
		return false;
	}
	while (v->def != NULL) {
		sv_err_init(&err);
		if (runbook_expand(v->def, lookup, s, &def, &missing, &err) == SV_OK) {
			sv_err_init(&err);
			if (runbook_var_check(v->type, def, true, now_ms(s), &norm,
			    &err) != SV_OK) {
				step_fail(s, SV_E_USAGE, "the default of ${%s} (%s): %s",
				    v->name, def, err.msg);
				free(def);
				return false;
			}
			var_put(s, v->name, norm, "default");
			d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "name", v->name);
			cJSON_AddStringToObject(d, "value", norm);
			cJSON_AddStringToObject(d, "how", "default");
			cJSON_AddStringToObject(d, "step", cur_step(s)->id);
			audit_rec(s, AT_VARIABLE, d);
			emit(s, "%s = %s (default)", v->name, norm);
			free(def);
			free(norm);
			return true;
		}
		if (missing == NULL) {
			step_fail(s, err.code, "the default of ${%s}: %s", v->name, err.msg);
			return false;
		}
		if (!resolve(s, missing, depth + 1)) {
			free(missing);
			return false;
		}
		free(missing);
		missing = NULL;
	}
	if (s->mode == SESSION_MODE_UNATTENDED) {
		step_fail(s, SV_E_USAGE, "variable ${%s} is not set: pass --var "
		    "%s=VALUE", v->name, v->name);
		return false;
	}
	q = xasprintf("%s (for ${%s}, %s)", v->prompt != NULL ? v->prompt : v->name,
	    v->name, rb_var_type_name(v->type));
	prompt_set(s, SESSION_ASK_VALUE, q, NULL, NULL);
	free(q);
	set_str(&s->p_var, v->name);
	s->p_type = v->type;
	set_str(&s->need_var, v->name);
	save(s);
	return false;
}

/* Expands a step parameter (NULL when absent). An unset variable makes
 * the step ask for it (or fail): then *stopped is set and NULL returned. */
static char *
param(struct session *s, const char *tmpl, bool *stopped)
{
	struct sv_err	 err;
	char		*out = NULL, *missing = NULL;

	*stopped = false;
	if (tmpl == NULL)
		return NULL;
	for (;;) {
		sv_err_init(&err);
		if (runbook_expand(tmpl, lookup, s, &out, &missing, &err) == SV_OK)
			return out;
		if (missing == NULL) {
			step_fail(s, err.code, "%s", err.msg);
			*stopped = true;
			return NULL;
		}
		if (!resolve(s, missing, 0)) {
			free(missing);
			*stopped = true;
			return NULL;
		}
		free(missing);
		missing = NULL;
	}
}

/* ---- info, check ---- */

static void
run_confirm(struct session *s, const char *question)
{
	prompt_set(s, SESSION_ASK_CONFIRM, question, NULL, NULL);
}

/* ---- input ---- */

static void
run_input(struct session *s, const struct rb_step *rs)
{
	const char		*name = runbook_param(rs, "var");
	const struct rb_var	*v = runbook_var(s->rb, name);
	const char		*cur = session_var(s, name);
	char			*q, *def = NULL, *prompt = NULL;
	bool			 stopped = false;

	if (cur != NULL)
		def = xstrdup(cur);
	else if (v->def != NULL) {
		struct sv_err	err;

		sv_err_init(&err);
		if (runbook_expand(v->def, lookup, s, &def, NULL, &err) != SV_OK)
			def = NULL;
	}
	if (runbook_param(rs, "prompt") != NULL) {
		prompt = param(s, runbook_param(rs, "prompt"), &stopped);
		if (stopped) {
			free(def);
			return;
		}
	}
	if (prompt != NULL || v->prompt != NULL)
		q = xasprintf("%s", prompt != NULL ? prompt : v->prompt);
	else
		q = xasprintf("%s (%s%s)", v->name, rb_var_type_name(v->type),
		    v->type == RB_VT_TIME ? ": ISO-8601 with Z or an offset, or -15m" :
		    "");
	prompt_set(s, SESSION_ASK_VALUE, q, NULL, def);
	set_str(&s->p_var, v->name);
	s->p_type = v->type;
	free(q);
	free(def);
	free(prompt);
}

/* ---- note ---- */

static void
run_note(struct session *s, const struct rb_step *rs)
{
	char	*def = NULL;
	bool	 stopped = false;

	if (runbook_param(rs, "default") != NULL) {
		def = param(s, runbook_param(rs, "default"), &stopped);
		if (stopped)
			return;
	}
	prompt_set(s, SESSION_ASK_NOTE, "Your note for the audit log (one line)",
	    NULL, def);
	free(def);
}

/* ---- choose-point ---- */

static void
points_done(void *data, struct point_set *set, sv_result r, const struct sv_err *err)
{
	struct session	*s = data;
	struct buf	 d;
	char		 a[SV_TIME_ISO_MAX], b[SV_TIME_ISO_MAX];
	size_t		 from;

	s->pop = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	if (s->pset != NULL) {
		point_set_free(s->pset);
		free(s->pset);
	}
	s->pset = set;
	if (r == SV_E_CANCELLED) {
		session_pump(s);
		return;
	}
	if (r != SV_OK && (set == NULL || (set->n == 0 &&
	    set->pitr.status != PITR_ENABLED))) {
		step_fail(s, r, "cannot list the restore points of %s: %s", s->p_resource,
		    err != NULL ? err->msg : sv_result_str(r));
		session_pump(s);
		return;
	}
	if (r != SV_OK)
		emit(s, "warning: the list may be incomplete: %s", err->msg);
	buf_init(&d, BUF_MAX_FILE);
	if (set->pitr.status == PITR_ENABLED)
		buf_addf(&d, "  point-in-time window: %s .. %s\n",
		    set->pitr.earliest != SV_TIME_NONE ? iso(set->pitr.earliest, a) : "?",
		    set->pitr.latest != SV_TIME_NONE ? iso(set->pitr.latest, b) : "?");
	else if (set->pitr.status == PITR_DISABLED)
		buf_addf(&d, "  point-in-time recovery: disabled\n");
	from = set->n > 12 ? set->n - 12 : 0;
	if (from > 0)
		buf_addf(&d, "  (%zu older points not shown)\n", from);
	for (size_t i = from; i < set->n; i++) {
		const struct point *p = &set->v[i];

		buf_addf(&d, "  %-14s %s  %s%s%s\n", point_kind_name(p->kind),
		    iso(p->time, a), p->id != NULL ? p->id : "-",
		    p->latest ? "  (current)" : "", p->usable ? "" : "  (not usable)");
	}
	if (set->n == 0 && set->pitr.status != PITR_ENABLED)
		buf_addf(&d, "  (no restore points)\n");
	if (set->note != NULL)
		buf_addf(&d, "  note: %s\n", set->note);
	set_str(&s->p_detail, buf_str(&d));
	buf_free(&d);
	s->stage = ST_CHOOSE;
	step_run(s);
	session_pump(s);
}

static void
record_point(struct session *s, const char *var, const char *value,
    const char *method, bool latest, sv_time t, sv_time reference, const char *how)
{
	struct session_point	*p = NULL;
	cJSON			*d;
	char			 a[SV_TIME_ISO_MAX], dur[32];

	for (size_t i = 0; i < s->npoints; i++)
		if (strcmp(s->points[i].var, var) == 0)
			p = &s->points[i];
	if (p == NULL) {
		s->points = xreallocarray(s->points, s->npoints + 1, sizeof *s->points);
		p = &s->points[s->npoints++];
		memset(p, 0, sizeof *p);
		p->var = xstrdup(var);
	}
	set_str(&p->resource, s->p_resource);
	set_str(&p->method, method);
	set_str(&p->value, value);
	set_str(&p->how, how);
	p->latest = latest;
	p->time = t;
	p->reference = reference;
	p->loss_ms = t != SV_TIME_NONE && reference != SV_TIME_NONE ?
	    (reference > t ? reference - t : 0) : -1;
	if (s->pset != NULL && s->pset->every_write && t != SV_TIME_NONE &&
	    reference != SV_TIME_NONE) {
		/* Every write is a point (S3 versions): what is lost is exactly
		 * the writes after the chosen one, up to the reference. */
		sv_time next = SV_TIME_NONE;

		for (size_t i = 0; i < s->pset->n; i++) {
			const struct point *q = &s->pset->v[i];

			if (q->time > t && q->time <= reference &&
			    (next == SV_TIME_NONE || q->time < next))
				next = q->time;
		}
		p->loss_ms = next == SV_TIME_NONE ? 0 : reference - next;
	}
	var_put(s, var, value, "choose-point");
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "step", cur_step(s)->id);
	cJSON_AddStringToObject(d, "var", var);
	add_str(d, "resource", p->resource);
	cJSON_AddStringToObject(d, "method", method);
	cJSON_AddStringToObject(d, "value", value);
	add_time(d, "time", t);
	add_time(d, "reference", reference);
	if (p->loss_ms >= 0)
		cJSON_AddNumberToObject(d, "loss_ms", (double)p->loss_ms);
	cJSON_AddStringToObject(d, "how", how);
	audit_rec(s, AT_POINT, d);
	if (p->loss_ms >= 0)
		sv_duration_format(p->loss_ms, dur, sizeof dur);
	step_end(s, SSTEP_DONE, how, "%s = %s (%s%s%s; data loss %s)", var, value, method,
	    t != SV_TIME_NONE ? ", state of " : "", t != SV_TIME_NONE ? iso(t, a) : "",
	    p->loss_ms >= 0 ? dur : "unknown");
}

/* The answer to a choose-point: latest, a time or an id. Returns false
 * (with the reason in err) when it does not fit. */
static bool
choose_try(struct session *s, const char *answer, const char *how, struct sv_err *err)
{
	const struct rb_step	*rs = cur_step(s);
	const char		*method = runbook_param(rs, "method");
	const char		*var = runbook_param(rs, "var");
	const struct rb_var	*v = runbook_var(s->rb, var);
	const struct point_set	*set = s->pset;
	struct timespec_value	 tv;
	struct point_choice	 ch;
	struct sv_err		 e;
	sv_time			 ref = now_ms(s), t;
	bool			 pitr_ok, points_ok;
	char			 buf[SV_TIME_ISO_MAX];
	char			*before;

	if (method == NULL)
		method = "any";
	pitr_ok = strcmp(method, "point") != 0 && set->pitr.status == PITR_ENABLED;
	points_ok = strcmp(method, "pitr") != 0 && (v == NULL || v->type != RB_VT_TIME);
	before = NULL;
	if (runbook_param(rs, "before") != NULL) {
		struct sv_err ee;

		sv_err_init(&ee);
		if (runbook_expand(runbook_param(rs, "before"), lookup, s, &before, NULL,
		    &ee) == SV_OK) {
			sv_err_init(&e);
			if (timespec_parse(before, now_ms(s), &tv, &e) == SV_OK &&
			    tv.t != SV_TIME_NONE)
				ref = tv.t;
		}
		free(before);
	}
	if (strcmp(answer, "latest") == 0) {
		if (pitr_ok) {
			record_point(s, var, "latest", "pitr", true, set->pitr.latest,
			    ref, how);
			return true;
		}
		if (points_ok) {
			for (size_t i = set->n; i > 0; i--) {
				const struct point *p = &set->v[i - 1];

				if (!p->usable || p->kind == POINT_DELETE_MARKER ||
				    p->id == NULL)
					continue;
				record_point(s, var, p->id, point_kind_name(p->kind), true,
				    p->time, ref, how);
				return true;
			}
		}
		sv_err_set(err, SV_E_USAGE, "%s has no restore point to take as "
		    "latest", s->p_resource);
		return false;
	}
	sv_err_init(&e);
	if (timespec_parse(answer, now_ms(s), &tv, &e) == SV_OK && tv.t != SV_TIME_NONE) {
		t = tv.t;
		point_set_choose(set, t, &ch);
		if (ch.method == RESTORE_PITR && pitr_ok) {
			record_point(s, var, iso(t, buf), "pitr", false, t,
			    runbook_param(rs, "before") != NULL ? ref : now_ms(s), how);
			return true;
		}
		if (points_ok) {
			/* The newest usable point at or before t. */
			for (size_t i = set->n; i > 0; i--) {
				const struct point *p = &set->v[i - 1];

				if (p->time > t || !p->usable || p->id == NULL ||
				    p->kind == POINT_DELETE_MARKER)
					continue;
				if (set->pitr.status != PITR_NONE)
					emit(s, "%s is not inside a point-in-time window: "
					    "the newest %s at or before it is %s", iso(t, buf),
					    point_kind_name(p->kind), p->id);
				else
					emit(s, "the %s current at %s is %s",
					    point_kind_name(p->kind), iso(t, buf), p->id);
				record_point(s, var, p->id, point_kind_name(p->kind), false,
				    p->time, runbook_param(rs, "before") != NULL ? ref : t, how);
				return true;
			}
		}
		if (set->pitr.status == PITR_ENABLED)
			sv_err_set(err, SV_E_USAGE, "%s is outside the point-in-time window "
			    "%s .. %s", iso(t, buf), set->pitr.earliest != SV_TIME_NONE ?
			    iso(set->pitr.earliest, (char[SV_TIME_ISO_MAX]){0}) : "?",
			    set->pitr.latest != SV_TIME_NONE ?
			    iso(set->pitr.latest, (char[SV_TIME_ISO_MAX]){0}) : "?");
		else
			sv_err_set(err, SV_E_USAGE, "nothing to restore from at or before %s",
			    iso(t, buf));
		return false;
	}
	if (points_ok) {
		const struct point *p = point_set_find(set, answer);

		if (p != NULL) {
			if (!p->usable || p->kind == POINT_DELETE_MARKER) {
				sv_err_set(err, SV_E_USAGE, "%s is a %s%s: it cannot be "
				    "restored from", answer, point_kind_name(p->kind),
				    p->usable ? "" : " that is not available");
				return false;
			}
			record_point(s, var, p->id, point_kind_name(p->kind), false, p->time,
			    runbook_param(rs, "before") != NULL ? ref : now_ms(s), how);
			return true;
		}
	}
	sv_err_set(err, SV_E_USAGE, "'%s' is not latest, a time (%s) or the id of "
	    "one of the points listed", answer, e.msg[0] != '\0' ? "ISO-8601 with Z or "
	    "an offset, or -15m" : "");
	return false;
}

static void
run_choose(struct session *s, const struct rb_step *rs)
{
	struct resource	 res;
	struct sv_err	 err;
	char		*uri, *q, *b = NULL;
	const char	*var = runbook_param(rs, "var");
	const char	*preset;
	bool		 stopped;

	if (s->stage == ST_CHOOSE) {
		preset = session_var(s, var);
		/* A value given with --var is taken as it is. */
		if (preset != NULL) {
			const struct var *vv = var_find(s, var);

			if (vv != NULL && vv->how != NULL && strcmp(vv->how, "--var") == 0) {
				sv_err_init(&err);
				if (!choose_try(s, preset, "--var", &err))
					step_fail(s, SV_E_USAGE, "--var %s=%s: %s", var, preset,
					    err.msg);
				return;
			}
		}
		if (runbook_param(rs, "before") != NULL) {
			struct timespec_value	 tv;
			char			 t[SV_TIME_ISO_MAX];

			b = param(s, runbook_param(rs, "before"), &stopped);
			if (stopped)
				return;
			/* The default: one second before the incident (the
			 * state just before the first bad write). */
			sv_err_init(&err);
			if (timespec_parse(b, now_ms(s), &tv, &err) == SV_OK &&
			    tv.t != SV_TIME_NONE) {
				free(b);
				b = xstrdup(iso(tv.t - 1000, t));
			}
		}
		q = xasprintf("Restore point for %s: latest, a time, or a point's id%s",
		    s->p_resource, b != NULL ? " (the default is just before the "
		    "incident)" : "");
		prompt_set(s, SESSION_ASK_POINT, q, NULL, b);
		free(q);
		free(b);
		set_str(&s->p_var, var);
		return;
	}
	uri = param(s, runbook_param(rs, "resource"), &stopped);
	if (stopped)
		return;
	set_str(&s->p_resource, uri);
	sv_err_init(&err);
	memset(&res, 0, sizeof res);
	if (resource_parse(uri, &res, &err) != SV_OK) {
		resource_free(&res);
		step_fail(s, SV_E_USAGE, "%s", err.msg);
		free(uri);
		return;
	}
	if (s->client == NULL) {
		resource_free(&res);
		step_fail(s, SV_E_INVALID, "no AWS client in this session");
		free(uri);
		return;
	}
	emit(s, "listing the restore points of %s", uri);
	free(uri);
	s->stage = ST_LOADING;
	s->busy = true;
	sv_err_init(&err);
	s->pop = core_points_load(s->client, &res, points_done, s, &err);
	resource_free(&res);
	if (s->pop == NULL && s->busy) {
		s->busy = false;
		step_fail(s, err.code != SV_OK ? err.code : SV_E_USAGE, "%s", err.msg);
	}
}

/* ---- restore ---- */

static bool
kind_creates(enum restore_kind k)
{
	return k == RESTORE_DDB_PITR || k == RESTORE_DDB_BACKUP ||
	    k == RESTORE_RDS_PITR || k == RESTORE_RDS_SNAPSHOT ||
	    restore_kind_cluster(k);
}

static void
add_created(struct session *s, const char *uri)
{
	struct session_created	*c;
	cJSON			*d;

	for (size_t i = 0; i < s->ncreated; i++)
		if (strcmp(s->created[i].uri, uri) == 0)
			return;
	s->created = xreallocarray(s->created, s->ncreated + 1, sizeof *s->created);
	c = &s->created[s->ncreated++];
	memset(c, 0, sizeof *c);
	c->uri = xstrdup(uri);
	c->step = xstrdup(cur_step(s)->id);
	c->at = now_ms(s);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "uri", uri);
	cJSON_AddStringToObject(d, "step", c->step);
	audit_rec(s, AT_CREATED, d);
}

static void
result_set(struct session *s, const char *key, cJSON *v)
{
	struct session_step	*st = cur_rec(s);

	if (st->result == NULL)
		st->result = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(st->result, key);
	cJSON_AddItemToObject(st->result, key, v);
}

static void
restore_progress(void *data, const struct restore_progress *p)
{
	struct session	*s = data;
	char		 el[32];

	if (p->message == NULL)
		return;
	if (s->last_msg != NULL && strcmp(s->last_msg, p->message) == 0)
		return;
	set_str(&s->last_msg, p->message);
	sv_duration_format(p->elapsed_ms, el, sizeof el);
	if (p->percent >= 0)
		emit(s, "%s: %s (%d%%, %s)", p->phase, p->message, p->percent, el);
	else
		emit(s, "%s: %s (%s)", p->phase, p->message, el);
}

static void
restore_finish(struct session *s, const struct restore_plan *plan,
    const struct restore_outcome *oc)
{
	char	el[32], rto[32];
	int64_t	ms = oc->elapsed_ms;
	cJSON	*r = cJSON_CreateObject();

	result_set(s, "outcome", restore_outcome_cjson(plan, oc));
	cJSON_AddNumberToObject(r, "ms", (double)ms);
	if (s->rb->rto_minutes > 0) {
		cJSON_AddNumberToObject(r, "rto_target_ms", s->rb->rto_minutes * 60000.0);
		cJSON_AddBoolToObject(r, "rto_met", ms <= s->rb->rto_minutes * 60000LL);
	}
	result_set(s, "recovery", r);
	sv_duration_format(ms, el, sizeof el);
	if (s->rb->rto_minutes > 0) {
		snprintf(rto, sizeof rto, "; RTO %d min %s", s->rb->rto_minutes,
		    ms <= s->rb->rto_minutes * 60000LL ? "met" : "MISSED");
	} else
		rto[0] = '\0';
	step_end(s, SSTEP_DONE, NULL, "restored %s: %s after %s%s", plan->target_uri,
	    oc->usable ? "usable" : oc->status != NULL ? oc->status : "sent", el, rto);
}

static void
restore_wait_done(void *data, struct restore_outcome *oc, sv_result r,
    const struct sv_err *err)
{
	struct session	*s = data;

	s->rop = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	if (r == SV_OK && s->adopting)
		add_created(s, s->plan->target_uri);
	s->adopting = false;
	if (r == SV_OK)
		restore_finish(s, s->plan, oc);
	else if (r == SV_E_CANCELLED)
		emit(s, "stopped waiting for %s; the restore goes on in AWS",
		    s->plan->target_uri);
	else {
		result_set(s, "outcome", restore_outcome_cjson(s->plan, oc));
		step_fail(s, r, "waiting for %s: %s", s->plan->target_uri,
		    err != NULL ? err->msg : sv_result_str(r));
	}
	session_pump(s);
}

static void
start_wait(struct session *s)
{
	s->stage = ST_WAITING;
	s->busy = true;
	emit(s, "waiting until %s is usable", s->plan->target_uri);
	save(s);
	s->rop = restore_wait(s->client, s->plan, &s->outcome, restore_progress,
	    restore_wait_done, s);
}

static void
keep_plan(struct session *s)
{
	s->kept = xreallocarray(s->kept, s->nkept + 1, sizeof *s->kept);
	s->kept[s->nkept].plan = s->plan;
	s->kept[s->nkept].step = s->cur;
	s->nkept++;
}

static void
restore_exec_done(void *data, struct restore_outcome *oc, sv_result r,
    const struct sv_err *err)
{
	struct session	*s = data;
	const struct rb_step *rs = cur_step(s);

	s->rop = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	s->acting = false;
	if (kind_creates(s->plan->kind) && (oc->executed || oc->ok > 0)) {
		/* Everything a step of the plan created, in order. */
		for (size_t i = 0; i < s->plan->nsteps && i < oc->nsteps; i++)
			if (oc->steps[i].done && oc->steps[i].result == SV_OK &&
			    s->plan->steps[i].target != NULL)
				add_created(s, s->plan->steps[i].target);
		add_created(s, s->plan->target_uri);
	}
	if (r != SV_OK) {
		result_set(s, "outcome", restore_outcome_cjson(s->plan, oc));
		step_fail(s, r, "%s", err != NULL ? err->msg : sv_result_str(r));
		session_pump(s);
		return;
	}
	emit(s, "started: %s", s->plan->target_uri);
	save(s);
	if (runbook_param_bool(rs, "wait", true))
		start_wait(s);
	else
		restore_finish(s, s->plan, oc);
	session_pump(s);
}

static void
plan_detail(struct session *s, const struct restore_plan *p)
{
	struct buf	b;
	char		t[SV_TIME_ISO_MAX], dur[32];

	buf_init(&b, BUF_MAX_FILE);
	buf_addf(&b, "  plan: %s %s -> %s (%s)\n", restore_kind_name(p->kind),
	    p->source_uri, p->target_uri, p->target_default ? "name chosen by salvage" :
	    "target");
	if (p->latest)
		buf_addf(&b, "  point: the latest restorable time\n");
	else if (p->point_id != NULL)
		buf_addf(&b, "  point: %s %s (%s)\n", point_kind_name(p->point_kind),
		    p->point_id, iso(p->time, t));
	else if (p->time != SV_TIME_NONE)
		buf_addf(&b, "  point: %s\n", iso(p->time, t));
	if (p->loss_ms >= 0) {
		sv_duration_format(p->loss_ms, dur, sizeof dur);
		buf_addf(&b, "  data loss: %s%s\n", dur, p->loss_uncertain ?
		    " (uncertain)" : "");
	}
	for (size_t i = 0; i < p->nsteps; i++)
		if (p->steps[i].op != OP__COUNT)
			buf_addf(&b, "  call: %s\n", p->steps[i].summary);
	for (size_t i = 0; i < p->nnotes; i++)
		buf_addf(&b, "  note: %s\n", p->notes[i]);
	for (size_t i = 0; i < p->nwarnings; i++)
		buf_addf(&b, "  warning: %s\n", p->warnings[i]);
	set_str(&s->p_detail, buf_str(&b));
	buf_free(&b);
}

static void
ask_change(struct session *s, const char *what, const char *expected)
{
	char	*q;

	if (!s->operate) {
		step_fail(s, SV_E_READONLY, "this step changes your account (%s) and "
		    "salvage is read-only: resume the session with --operate to make "
		    "the change", what);
		return;
	}
	q = xasprintf("Type %s to %s", expected, what);
	{
		char *keep = s->p_detail != NULL ? xstrdup(s->p_detail) : NULL;

		prompt_set(s, SESSION_ASK_NAME, q, expected, NULL);
		free(s->p_detail);
		s->p_detail = keep;
	}
	free(q);
}

static void
restore_plan_done(void *data, struct restore_plan *plan, sv_result r,
    const struct sv_err *err)
{
	struct session	*s = data;

	s->rop = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	if (r != SV_OK) {
		step_fail(s, r, "%s", err != NULL ? err->msg : sv_result_str(r));
		session_pump(s);
		return;
	}
	s->plan = plan;
	keep_plan(s);
	result_set(s, "plan", restore_plan_cjson(plan));
	plan_detail(s, plan);
	{
		struct sv_err	e;

		sv_err_init(&e);
		if (s->log != NULL && audit_note(s->log, "restore plan",
		    restore_plan_cjson(plan), &e) != SV_OK)
			sv_warn("audit: %s", e.msg);
	}
	s->stage = ST_CHOOSE;
	if (restore_plan_mutations(plan) == 0)
		step_end(s, SSTEP_DONE, NULL, "nothing to restore: %s is as it was",
		    plan->target_uri);
	else {
		char *what = xasprintf("restore %s to %s", plan->source_uri,
		    plan->target_uri);

		ask_change(s, what, plan->target);
		free(what);
	}
	save(s);
	session_pump(s);
}

#define RESTORE_HOLD	11	/* restore_request_fill's parameters */

/* The restore request from the step's parameters. Strings are kept in
 * *hold (freed by the caller). Returns false when the step stopped
 * (asks for a variable, or failed). */
static bool
restore_request_fill(struct session *s, const struct rb_step *rs,
    struct restore_request *req, char **hold, bool *copy_key)
{
	static const char *const names[RESTORE_HOLD] = {
		"source", "target", "point", "to", "backup", "snapshot", "version",
		"incident", "target_key", "recovery_point", "iam_role"
	};
	struct sv_err	 err;
	struct timespec_value tv;
	bool		 stopped;

	restore_request_init(req);
	for (size_t i = 0; i < RESTORE_HOLD; i++) {
		hold[i] = param(s, runbook_param(rs, names[i]), &stopped);
		if (stopped)
			return false;
	}
	req->uri = hold[0];
	req->target = hold[1];
	req->backup = hold[4];
	req->snapshot = hold[5];
	req->version = hold[6];
	req->recovery_point = hold[9];
	req->iam_role = hold[10];
	req->undelete = runbook_param_bool(rs, "undelete", false);
	req->delete_new = runbook_param_bool(rs, "delete_new", false);
	req->carry = runbook_param_bool(rs, "copy_settings", false) ? RESTORE_CARRY_ALL : 0;
	req->rto_target_ms = (int64_t)s->rb->rto_minutes * 60000;
	*copy_key = hold[8] != NULL;
	if (hold[7] != NULL) {
		sv_err_init(&err);
		if (timespec_parse(hold[7], now_ms(s), &tv, &err) != SV_OK) {
			step_fail(s, SV_E_USAGE, "incident: %s", err.msg);
			return false;
		}
		req->incident = tv.t;
	}
	if (hold[3] != NULL || hold[2] != NULL) {
		const char *v = hold[3] != NULL ? hold[3] : hold[2];

		sv_err_init(&err);
		if (strcmp(v, "latest") == 0)
			req->latest = true;
		else if (timespec_parse(v, now_ms(s), &tv, &err) == SV_OK &&
		    tv.t != SV_TIME_NONE)
			req->to = tv.t;
		else if (hold[3] != NULL) {
			step_fail(s, SV_E_USAGE, "to: %s", err.msg);
			return false;
		} else if (restore_backup_arn(v))
			req->recovery_point = v;
		else if (str_starts(hold[0], "dynamodb://"))
			req->backup = v;
		else if (str_starts(hold[0], "rds://") ||
		    str_starts(hold[0], "rds-cluster://"))
			req->snapshot = v;
		else if (str_starts(hold[0], "s3://"))
			req->version = v;
		else {
			step_fail(s, SV_E_USAGE, "point %s: a %s restore is from a time "
			    "or latest", v, hold[0]);
			return false;
		}
	}
	return true;
}

static void
restore_json_request(struct session *s, const struct restore_request *req,
    const char *dest)
{
	cJSON	*r = cJSON_CreateObject();
	char	 t[SV_TIME_ISO_MAX];

	add_str(r, "uri", req->uri);
	cJSON_AddBoolToObject(r, "latest", req->latest);
	add_str(r, "to", req->to != SV_TIME_NONE ? iso(req->to, t) : NULL);
	add_str(r, "backup", req->backup);
	add_str(r, "snapshot", req->snapshot);
	add_str(r, "version", req->version);
	add_str(r, "recovery_point", req->recovery_point);
	cJSON_AddBoolToObject(r, "undelete", req->undelete);
	add_str(r, "target", req->target);
	if (dest != NULL)
		cJSON_AddStringToObject(r, "target_key", dest);
	result_set(s, "request", r);
}

/* A rehearsal's copy of an object version to another key. */
static void
copy_key_done(void *data, sv_result r, const struct sv_err *err,
    const struct rh_result *res)
{
	struct session	*s = data;
	char		*uri = xasprintf("s3://%s/%s", s->ck_bucket, s->ck_dest);
	cJSON		*o = cJSON_CreateObject();
	struct session_step *st = cur_rec(s);
	int64_t		 ms = st->started != SV_TIME_NONE ? now_ms(s) - st->started : 0;

	s->pending = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	s->acting = false;
	cJSON_AddStringToObject(o, "result", sv_result_str(r));
	add_str(o, "version_id", res != NULL ? res->version_id : NULL);
	add_str(o, "request_id", res != NULL ? res->request_id : NULL);
	result_set(s, "outcome", o);
	if (r != SV_OK) {
		step_fail(s, r, "copying to %s: %s", uri, err->msg);
	} else {
		cJSON	*rc = cJSON_CreateObject();
		char	 el[32];

		add_created(s, uri);
		cJSON_AddNumberToObject(rc, "ms", (double)ms);
		if (s->rb->rto_minutes > 0) {
			cJSON_AddNumberToObject(rc, "rto_target_ms",
			    s->rb->rto_minutes * 60000.0);
			cJSON_AddBoolToObject(rc, "rto_met", ms <= s->rb->rto_minutes * 60000LL);
		}
		result_set(s, "recovery", rc);
		sv_duration_format(ms, el, sizeof el);
		step_end(s, SSTEP_DONE, NULL, "recovered s3://%s/%s%s%s into %s (version "
		    "%s) after %s", s->ck_bucket, s->ck_key, s->ck_version != NULL ?
		    "?versionId=" : "", s->ck_version != NULL ? s->ck_version : "", uri,
		    res->version_id != NULL ? res->version_id : "-", el);
	}
	free(uri);
	session_pump(s);
}

static void
run_copy_key(struct session *s, struct restore_request *req, const char *dest)
{
	struct resource	 res;
	struct sv_err	 err;
	struct buf	 b;

	if (s->stage == ST_CHOOSE) {
		char *what = xasprintf("copy s3://%s/%s to s3://%s/%s", s->ck_bucket,
		    s->ck_key, s->ck_bucket, s->ck_dest);

		ask_change(s, what, s->ck_dest);
		free(what);
		return;
	}
	memset(&res, 0, sizeof res);
	sv_err_init(&err);
	if (resource_parse(req->uri, &res, &err) != SV_OK || res.kind != RES_OBJECT) {
		step_fail(s, SV_E_USAGE, "target_key: the source must be one S3 object "
		    "(s3://BUCKET/KEY), not %s%s%s", req->uri, err.msg[0] != '\0' ? ": " :
		    "", err.msg);
		resource_free(&res);
		return;
	}
	if (req->latest || req->to != SV_TIME_NONE || req->backup != NULL ||
	    req->snapshot != NULL || req->undelete) {
		step_fail(s, SV_E_USAGE, "target_key: the source is an object version "
		    "(version or point set to a version id)");
		resource_free(&res);
		return;
	}
	if (strcmp(res.key, dest) == 0) {
		step_fail(s, SV_E_USAGE, "target_key %s is the source key itself", dest);
		resource_free(&res);
		return;
	}
	set_str(&s->ck_bucket, res.name);
	set_str(&s->ck_key, res.key);
	set_str(&s->ck_version, req->version);
	set_str(&s->ck_dest, dest);
	resource_free(&res);
	buf_init(&b, BUF_MAX_SMALL);
	buf_addf(&b, "  plan: copy s3://%s/%s (version %s) to the test key "
	    "s3://%s/%s with CopyObject\n  note: the original key is not changed; "
	    "the copy is this session's (cleanup adds a delete marker on it)\n",
	    s->ck_bucket, s->ck_key, s->ck_version != NULL ? s->ck_version : "current",
	    s->ck_bucket, s->ck_dest);
	set_str(&s->p_detail, buf_str(&b));
	buf_free(&b);
	s->stage = ST_CHOOSE;
	run_copy_key(s, req, dest);
}

static void
copy_key_go(struct session *s)
{
	s->stage = ST_ACTING;
	s->acting = true;
	s->busy = true;
	save(s);
	s->pending = s3_copy_to_key(s->client, s->ck_bucket, s->ck_key, s->ck_version,
	    s->ck_dest, copy_key_done, s);
}

/* A plan to wait on for a restore made by an earlier process of this
 * session (its plan, as recorded, names the source and the target):
 * built without any request (restore_plan_new). NULL when the kind
 * cannot be waited on that way (a cluster restore: its instance is
 * named by the kind's own data). */
static struct restore_plan *
pure_plan(const cJSON *pj)
{
	struct restore_request	 req;
	struct restore_plan	*p = NULL;
	struct sv_err		 err;

	if (jstr(pj, "source") == NULL || jstr(pj, "target_name") == NULL)
		return NULL;
	restore_request_init(&req);
	req.uri = jstr(pj, "source");
	req.target = jstr(pj, "target_name");
	req.latest = true;
	sv_err_init(&err);
	if (restore_plan_new(&req, &p, &err) != SV_OK)
		return NULL;
	if (!kind_creates(p->kind) || restore_kind_cluster(p->kind)) {
		restore_plan_free(p);
		return NULL;
	}
	return p;
}

/* The recorded plan of the restore step that created uri, or NULL. */
static const cJSON *
recorded_plan(const struct session *s, const char *uri)
{
	for (size_t i = 0; i < s->rb->nsteps; i++) {
		const cJSON *pj = cJSON_GetObjectItemCaseSensitive(s->steps[i].result,
		    "plan");

		if (s->rb->steps[i].type == RB_STEP_RESTORE && jstr(pj, "target") != NULL &&
		    strcmp(jstr(pj, "target"), uri) == 0)
			return pj;
	}
	return NULL;
}

static void
run_restore(struct session *s, const struct rb_step *rs)
{
	struct restore_request	 req;
	struct sv_err		 err;
	char			*hold[RESTORE_HOLD] = { NULL };
	bool			 copy_key = false;

	if (s->client == NULL) {
		step_fail(s, SV_E_INVALID, "no AWS client in this session");
		return;
	}
	if (s->was_acting) {
		/* The last process stopped after the restore may have been
		 * sent: wait for its target rather than restore twice. */
		const cJSON *pj = cJSON_GetObjectItemCaseSensitive(cur_rec(s)->result,
		    "plan");
		struct restore_plan *p = pure_plan(pj);

		s->was_acting = false;
		if (p != NULL) {
			emit(s, "the session stopped while this restore was being sent: "
			    "waiting for %s (if it never appears, answer retry)",
			    p->target_uri);
			s->plan = p;
			keep_plan(s);
			s->adopting = true;
			start_wait(s);
			return;
		}
		emit(s, "the session stopped while this restore was being sent: if "
		    "the target exists, skip this step (skip REASON)");
	}
	if (!restore_request_fill(s, rs, &req, hold, &copy_key))
		goto out;
	restore_json_request(s, &req, hold[8]);
	if (copy_key) {
		run_copy_key(s, &req, hold[8]);
		goto out;
	}
	if (s->stage == ST_CHOOSE && s->plan != NULL) {
		char *what = xasprintf("restore %s to %s", s->plan->source_uri,
		    s->plan->target_uri);

		plan_detail(s, s->plan);
		ask_change(s, what, s->plan->target);
		free(what);
		goto out;
	}
	emit(s, "planning the restore of %s (read-only checks)", req.uri);
	s->stage = ST_LOADING;
	s->busy = true;
	s->plan = NULL;
	sv_err_init(&err);
	s->rop = restore_plan_build(s->client, &req, restore_plan_done, s, &err);
	if (s->rop == NULL && s->busy) {
		s->busy = false;
		step_fail(s, err.code != SV_OK ? err.code : SV_E_USAGE, "%s", err.msg);
	}
out:
	for (size_t i = 0; i < RESTORE_HOLD; i++)
		free(hold[i]);
}

static void
restore_go(struct session *s)
{
	s->stage = ST_ACTING;
	s->acting = true;
	s->busy = true;
	restore_outcome_free(&s->outcome);
	restore_outcome_init(&s->outcome);
	save(s);	/* "acting" is on disk before anything is sent */
	s->rop = restore_execute(s->client, s->plan, &s->outcome, restore_progress,
	    restore_exec_done, s);
}

/* ---- wait ---- */

static void
wait_done(void *data, struct restore_outcome *oc, sv_result r, const struct sv_err *err)
{
	struct session	*s = data;
	char		 el[32];

	s->rop = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	s->deadline = 0;
	if (r == SV_E_CANCELLED && s->timed_out) {
		s->timed_out = false;
		step_fail(s, SV_E_TIMEOUT, "%s is not usable after %ld minutes (last "
		    "status: %s); the restore goes on in AWS", s->plan->target_uri,
		    runbook_param_int(cur_step(s), "timeout_minutes", 0),
		    oc->status != NULL ? oc->status : "unknown");
	} else if (r == SV_OK) {
		sv_duration_format(oc->elapsed_ms, el, sizeof el);
		result_set(s, "outcome", restore_outcome_cjson(s->plan, oc));
		step_end(s, SSTEP_DONE, NULL, "%s is usable (%s)", s->plan->target_uri,
		    oc->status != NULL ? oc->status : "ready");
	} else if (r != SV_E_CANCELLED)
		step_fail(s, r, "%s", err != NULL ? err->msg : sv_result_str(r));
	session_pump(s);
}

static void
run_wait(struct session *s, const struct rb_step *rs)
{
	struct restore_plan	*plan = NULL;
	char			*uri;
	bool			 stopped;

	uri = param(s, runbook_param(rs, "resource"), &stopped);
	if (stopped)
		return;
	for (size_t i = s->nkept; i > 0 && plan == NULL; i--)
		if (strcmp(s->kept[i - 1].plan->target_uri, uri) == 0)
			plan = s->kept[i - 1].plan;
	if (plan == NULL && s->client != NULL &&
	    (plan = pure_plan(recorded_plan(s, uri))) != NULL) {
		s->plan = plan;
		keep_plan(s);
	}
	if (plan == NULL || s->client == NULL) {
		/* Not a restore of this session, or not one salvage can poll
		 * without its plan: the operator checks it. */
		emit(s, "%s: check by hand that it is usable", uri);
		run_confirm(s, "Is it usable? (yes)");
		free(uri);
		return;
	}
	s->plan = plan;
	restore_outcome_free(&s->outcome);
	restore_outcome_init(&s->outcome);
	s->stage = ST_WAITING;
	s->busy = true;
	s->timed_out = false;
	s->deadline = runbook_param_int(rs, "timeout_minutes", 0) > 0 ?
	    sv_monotonic_ms() + runbook_param_int(rs, "timeout_minutes", 0) * 60000 : 0;
	emit(s, "waiting until %s is usable", uri);
	s->rop = restore_wait(s->client, s->plan, &s->outcome, restore_progress,
	    wait_done, s);
	free(uri);
}

/* ---- verify ---- */

static void
verify_progress(void *data, const struct verify_progress *p)
{
	(void)data;
	(void)p;
}

static void
write_verify(const void *r, const void *unused, struct jsonw *j)
{
	(void)unused;
	verify_result_json(r, j);
}

static cJSON *
verify_cjson(const struct verify_result *r)
{
	cJSON	*out = jsonw_to_cjson(write_verify, r, NULL);

	return out != NULL ? out : cJSON_CreateNull();
}

static void
verify_done(void *data, sv_result r, const struct sv_err *err,
    const struct verify_result *res)
{
	struct session	*s = data;
	struct buf	 b;

	s->vop = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	if (r == SV_E_CANCELLED) {
		session_pump(s);
		return;
	}
	if (r != SV_OK) {
		step_fail(s, r, "%s", err != NULL ? err->msg : sv_result_str(r));
		session_pump(s);
		return;
	}
	result_set(s, "verify", verify_cjson(res));
	buf_init(&b, BUF_MAX_SMALL);
	for (size_t i = 0; i < res->nchecks; i++) {
		emit(s, "  %-14s %s %s %s", res->checks[i].name, res->checks[i].a,
		    res->checks[i].equal ? "==" : "!=", res->checks[i].b);
		if (!res->checks[i].equal)
			buf_addf(&b, "%s%s", b.len > 0 ? ", " : "", res->checks[i].name);
	}
	if (res->equal)
		step_end(s, SSTEP_DONE, NULL, "verified: %s equals %s (%s)", res->b, res->a,
		    res->method != NULL ? res->method : "compared");
	else if (!runbook_param_bool(cur_step(s), "must_equal", true)) {
		/* Differences are expected (the source is the damaged copy):
		 * the operator says whether they are the damage. */
		char *q = xasprintf("%s differs from %s in: %s. Is that the damage you "
		    "expect, and the restored copy right? (yes)", res->b, res->a,
		    buf_str(&b));

		emit(s, "differences recorded (expected when the source is the damaged "
		    "copy)");
		run_confirm(s, q);
		free(q);
	} else
		step_fail(s, SV_E_MISMATCH, "%s differs from %s: %s", res->b, res->a,
		    buf_str(&b));
	buf_free(&b);
	session_pump(s);
}

static void
run_verify(struct session *s, const struct rb_step *rs)
{
	struct verify_opts	 o;
	struct sv_err		 err;
	char			*a = NULL, *b = NULL, *va = NULL, *vb = NULL;
	bool			 stopped;

	a = param(s, runbook_param(rs, "source"), &stopped);
	if (stopped)
		goto out;
	b = param(s, runbook_param(rs, "target"), &stopped);
	if (stopped)
		goto out;
	va = param(s, runbook_param(rs, "source_version"), &stopped);
	if (stopped)
		goto out;
	vb = param(s, runbook_param(rs, "target_version"), &stopped);
	if (stopped)
		goto out;
	if (s->client == NULL) {
		step_fail(s, SV_E_INVALID, "no AWS client in this session");
		goto out;
	}
	memset(&o, 0, sizeof o);
	o.sample = runbook_param_int(rs, "sample", 0);
	o.version_a = va;
	o.version_b = vb;
	emit(s, "comparing %s with %s", b, a);
	s->stage = ST_ACTING;
	s->busy = true;
	sv_err_init(&err);
	s->vop = verify_start(s->client, a, b, &o, verify_progress, verify_done, s, &err);
	if (s->vop == NULL && s->busy) {
		s->busy = false;
		step_fail(s, err.code != SV_OK ? err.code : SV_E_USAGE, "%s", err.msg);
	}
out:
	free(a);
	free(b);
	free(va);
	free(vb);
}

/* ---- drift ---- */

static void
write_drift(const void *r, const void *unused, struct jsonw *j)
{
	(void)unused;
	drift_report_json(r, j);
}

static cJSON *
drift_cjson(const struct drift_report *r)
{
	cJSON	*out = jsonw_to_cjson(write_drift, r, NULL);

	return out != NULL ? out : cJSON_CreateNull();
}

static void
drift_free(struct session *s)
{
	drift_report_free(s->drift);
	s->drift = NULL;
}

static void
drift_item_progress(void *data, const struct drift_item *it)
{
	struct session	*s = data;

	emit(s, "  %s: %s%s%s", it->name, drift_outcome_name(it->outcome),
	    it->error != NULL ? ": " : "", it->error != NULL ? it->error : "");
}

/* The common start of an action's completion: the session is no longer
 * busy with it. Returns false when the callback must stop there: the
 * session is being cancelled (nothing more happens), or the action was
 * cancelled (the session moves on by itself). */
static bool
action_settled(struct session *s, sv_result r)
{
	s->busy = false;
	if (s->cancelling)
		return false;
	s->acting = false;
	if (r == SV_E_CANCELLED) {
		session_pump(s);
		return false;
	}
	return true;
}

static void
drift_applied(void *data, sv_result r, const struct sv_err *err)
{
	struct session	*s = data;

	s->dop = NULL;
	if (!action_settled(s, r))
		return;
	result_set(s, "drift", drift_cjson(s->drift));
	if (r != SV_OK)
		step_fail(s, r, "re-applying settings to %s: %zu applied, %zu failed: %s",
		    s->drift->target, s->drift->applied, s->drift->failed,
		    err != NULL ? err->msg : sv_result_str(r));
	else
		step_end(s, SSTEP_DONE, NULL, "drift: %zu setting(s) differed, %zu "
		    "re-applied to %s", s->drift->ndrift, s->drift->applied,
		    s->drift->target);
	session_pump(s);
}

static void
drift_go(struct session *s)
{
	struct sv_err	err;

	s->stage = ST_ACTING;
	s->acting = true;
	s->busy = true;
	save(s);
	sv_err_init(&err);
	s->dop = drift_apply(s->client, s->drift, drift_item_progress, drift_applied,
	    s, &err);
	if (s->dop == NULL && s->busy) {
		s->busy = false;
		s->acting = false;
		step_fail(s, err.code != SV_OK ? err.code : SV_E_INVALID, "%s", err.msg);
	}
}

static void
drift_ask(struct session *s)
{
	const struct rb_step	*rs = cur_step(s);
	const struct drift_report *r = s->drift;
	struct buf		 b;

	buf_init(&b, BUF_MAX_FILE);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct drift_item *it = &r->items[i];

		if (!it->differs && it->checked)
			continue;
		buf_addf(&b, "  %-22s source: %s | target: %s%s%s\n", it->name,
		    it->src != NULL ? it->src : "-", it->target != NULL ? it->target : "-",
		    !it->checked ? " (not checked)" : it->applicable ? " (re-appliable)" :
		    "", it->note != NULL ? "" : "");
		if (it->note != NULL)
			buf_addf(&b, "  %-22s %s\n", "", it->note);
		if (it->applicable && it->plan != NULL)
			buf_addf(&b, "  %-22s change: %s\n", "", it->plan);
	}
	set_str(&s->p_detail, buf_str(&b));
	buf_free(&b);
	if (runbook_param_bool(rs, "apply", false) && r->napplicable > 0) {
		char *what = xasprintf("re-apply %zu setting(s) to %s", r->napplicable,
		    r->target);

		ask_change(s, what, r->target_name);
		free(what);
	} else {
		char *keep = s->p_detail != NULL ? xstrdup(s->p_detail) : NULL;

		run_confirm(s, "Drift listed above: re-apply by hand what the target "
		    "needs, then answer done");
		free(s->p_detail);
		s->p_detail = keep;
	}
}

static void
drift_read(void *data, sv_result r, const struct sv_err *err,
    struct drift_report *rep)
{
	struct session	*s = data;

	s->dop = NULL;
	if (s->cancelling) {
		s->busy = false;
		return;
	}
	s->busy = false;
	if (r == SV_E_CANCELLED) {
		session_pump(s);
		return;
	}
	if (r != SV_OK) {
		step_fail(s, r, "%s", err != NULL ? err->msg : sv_result_str(r));
		session_pump(s);
		return;
	}
	drift_free(s);
	s->drift = rep;
	result_set(s, "drift", drift_cjson(rep));
	s->stage = ST_CHOOSE;
	if (rep->ndrift == 0)
		step_end(s, SSTEP_DONE, NULL, "no drift: %s has the settings of %s",
		    rep->target, rep->src);
	else {
		emit(s, "%zu setting(s) of %s differ from %s (%zu can be re-applied)",
		    rep->ndrift, rep->target, rep->src, rep->napplicable);
		drift_ask(s);
	}
	save(s);
	session_pump(s);
}

static void
run_drift(struct session *s, const struct rb_step *rs)
{
	struct sv_err	 err;
	char		*a = NULL, *b = NULL;
	bool		 stopped;

	if (s->stage == ST_CHOOSE && s->drift != NULL) {
		drift_ask(s);
		return;
	}
	a = param(s, runbook_param(rs, "source"), &stopped);
	if (stopped)
		goto out;
	b = param(s, runbook_param(rs, "target"), &stopped);
	if (stopped)
		goto out;
	if (s->client == NULL) {
		step_fail(s, SV_E_INVALID, "no AWS client in this session");
		goto out;
	}
	emit(s, "reading the settings of %s and %s", a, b);
	s->stage = ST_LOADING;
	s->busy = true;
	sv_err_init(&err);
	s->dop = drift_start(s->client, a, b, drift_read, s, &err);
	if (s->dop == NULL && s->busy) {
		s->busy = false;
		step_fail(s, err.code != SV_OK ? err.code : SV_E_USAGE, "%s", err.msg);
	}
out:
	free(a);
	free(b);
}

/* ---- cleanup ---- */

/* Cleanup works newest first (a cluster's instance before its cluster):
 * clean_i counts from the end of the created list. */
static struct session_created *
clean_cur(struct session *s)
{
	return s->clean_i < s->ncreated ? &s->created[s->ncreated - 1 - s->clean_i] :
	    NULL;
}

static bool
cleanup_wanted(struct session *s, const struct rb_step *rs, const char *uri)
{
	const cJSON	*list = cJSON_GetObjectItemCaseSensitive(rs->params, "resources");
	const cJSON	*e;

	if (list == NULL)
		return true;
	cJSON_ArrayForEach(e, list) {
		char	*u = session_expand_text(s, e->valuestring);
		bool	 eq = strcmp(u, uri) == 0;

		free(u);
		if (eq)
			return true;
	}
	return false;
}

static void	cleanup_next(struct session *);

static void
cleanup_mark(struct session *s, const char *what)
{
	struct session_created	*c = clean_cur(s);
	cJSON			*d = cJSON_CreateObject();

	c->cleaned = true;
	set_str(&c->cleanup, what);
	cJSON_AddStringToObject(d, "uri", c->uri);
	cJSON_AddStringToObject(d, "cleanup", what);
	audit_rec(s, "cleaned", d);
	emit(s, "cleaned up: %s (%s)", c->uri, what);
	s->clean_i++;
	s->stage = ST_BEGIN;
	save(s);
}

static void
delete_done(void *data, sv_result r, const struct sv_err *err,
    const struct rh_result *res)
{
	struct session	*s = data;

	s->pending = NULL;
	if (!action_settled(s, r))
		return;
	if (r == SV_OK) {
		char *what = xasprintf("deleted%s%s%s", res != NULL && res->status != NULL ?
		    " (status " : "", res != NULL && res->status != NULL ? res->status : "",
		    res != NULL && res->status != NULL ? ")" : "");

		cleanup_mark(s, what);
		free(what);
	} else if (r == SV_E_NOTFOUND)
		cleanup_mark(s, "already gone");
	else {
		step_fail(s, r, "cleaning up %s: %s", clean_cur(s)->uri, err->msg);
		session_pump(s);
		return;
	}
	cleanup_next(s);
	session_pump(s);
}

static void
marker_done(void *data, sv_result r, const struct sv_err *err,
    const struct s3_delete_result *res)
{
	struct session	*s = data;

	s->cop = NULL;
	if (!action_settled(s, r))
		return;
	if (r == SV_OK) {
		char *what = xasprintf("delete marker %s", res != NULL &&
		    res->version_id != NULL ? res->version_id : "added");

		cleanup_mark(s, what);
		free(what);
	} else {
		step_fail(s, r, "cleaning up %s: %s", clean_cur(s)->uri, err->msg);
		session_pump(s);
		return;
	}
	cleanup_next(s);
	session_pump(s);
}

static void
cleanup_go(struct session *s)
{
	struct session_created	*c = clean_cur(s);
	struct resource		 res;
	struct sv_err		 err;

	memset(&res, 0, sizeof res);
	sv_err_init(&err);
	if (resource_parse(c->uri, &res, &err) != SV_OK) {
		resource_free(&res);
		step_fail(s, SV_E_INVALID, "%s", err.msg);
		return;
	}
	s->stage = ST_ACTING;
	s->acting = true;
	s->busy = true;
	save(s);
	switch (res.kind) {
	case RES_TABLE:
		s->pending = ddb_delete_table(s->client, res.name, delete_done, s);
		break;
	case RES_INSTANCE:
		s->pending = rds_delete_instance(s->client, res.name, delete_done, s);
		break;
	case RES_CLUSTER:
		s->pending = rds_delete_cluster(s->client, res.name, delete_done, s);
		break;
	case RES_OBJECT:
		s->cop = s3_delete_marker_add(s->client, res.name, res.key, marker_done, s);
		break;
	default:
		s->busy = false;
		s->acting = false;
		step_fail(s, SV_E_INVALID, "%s cannot be cleaned up", c->uri);
		break;
	}
	resource_free(&res);
}

static const char *
cleanup_how(const char *uri)
{
	if (str_starts(uri, "dynamodb://"))
		return "DeleteTable";
	if (str_starts(uri, "rds://"))
		return "DeleteDBInstance, no final snapshot";
	if (str_starts(uri, "rds-cluster://"))
		return "DeleteDBCluster, no final snapshot";
	return "a delete marker (DeleteObject without a version id: no version is "
	    "destroyed)";
}

static void
cleanup_next(struct session *s)
{
	const struct rb_step	*rs = cur_step(s);
	struct session_created	*c;
	size_t			 done = 0;

	while ((c = clean_cur(s)) != NULL) {
		struct resource	 res;
		struct sv_err	 err;
		char		*what, *detail;
		const char	*name;

		if (c->cleaned || !cleanup_wanted(s, rs, c->uri)) {
			s->clean_i++;
			continue;
		}
		memset(&res, 0, sizeof res);
		sv_err_init(&err);
		resource_parse(c->uri, &res, &err);
		name = res.kind == RES_OBJECT ? res.key : res.name;
		what = xasprintf("clean up %s (created by step %s)", c->uri,
		    c->step != NULL ? c->step : "?");
		detail = xasprintf("  delete: %s with %s\n", c->uri, cleanup_how(c->uri));
		set_str(&s->p_detail, detail);
		ask_change(s, what, name != NULL ? name : c->uri);
		free(what);
		free(detail);
		resource_free(&res);
		return;
	}
	for (size_t i = 0; i < s->ncreated; i++)
		if (s->created[i].cleaned)
			done++;
	step_end(s, SSTEP_DONE, NULL, "%zu of %zu resource(s) this session created "
	    "cleaned up", done, s->ncreated);
}

static void
run_cleanup(struct session *s, const struct rb_step *rs)
{
	const cJSON	*list = cJSON_GetObjectItemCaseSensitive(rs->params, "resources");
	const cJSON	*e;

	s->clean_i = 0;
	/* Only what this session created: a listed resource it did not
	 * create is refused, never deleted. */
	cJSON_ArrayForEach(e, list) {
		char	*u = session_expand_text(s, e->valuestring);
		bool	 ours = false;

		for (size_t i = 0; i < s->ncreated; i++)
			ours = ours || strcmp(s->created[i].uri, u) == 0;
		if (!ours)
			emit(s, "not cleaned up: %s was not created by this session", u);
		free(u);
	}
	if (s->client == NULL && s->ncreated > 0) {
		step_fail(s, SV_E_INVALID, "no AWS client in this session");
		return;
	}
	cleanup_next(s);
}

/* ---- dispatch ---- */

static void
step_run(struct session *s)
{
	const struct rb_step	*rs = cur_step(s);

	if (rs == NULL || s->state != SESSION_ACTIVE)
		return;
	switch (rs->type) {
	case RB_STEP_INFO:
		run_confirm(s, "Read and understood? (yes)");
		break;
	case RB_STEP_CHECK:
		run_confirm(s, "Done? (done)");
		break;
	case RB_STEP_INPUT:
		run_input(s, rs);
		break;
	case RB_STEP_NOTE:
		run_note(s, rs);
		break;
	case RB_STEP_CHOOSE_POINT:
		run_choose(s, rs);
		break;
	case RB_STEP_RESTORE:
		run_restore(s, rs);
		break;
	case RB_STEP_WAIT:
		run_wait(s, rs);
		break;
	case RB_STEP_VERIFY:
		run_verify(s, rs);
		break;
	case RB_STEP_DRIFT:
		run_drift(s, rs);
		break;
	case RB_STEP_CLEANUP:
		run_cleanup(s, rs);
		break;
	default:
		step_fail(s, SV_E_INVALID, "unknown step type");
		break;
	}
}

static void
session_finish(struct session *s)
{
	cJSON	*d = cJSON_CreateObject();
	size_t	 done = 0, skipped = 0;

	for (size_t i = 0; i < s->rb->nsteps; i++) {
		if (s->steps[i].status == SSTEP_DONE)
			done++;
		else if (s->steps[i].status == SSTEP_SKIPPED)
			skipped++;
	}
	s->state = SESSION_FINISHED;
	s->finished = now_ms(s);
	cJSON_AddStringToObject(d, "state", "finished");
	cJSON_AddNumberToObject(d, "done", (double)done);
	cJSON_AddNumberToObject(d, "skipped", (double)skipped);
	cJSON_AddNumberToObject(d, "elapsed_ms", (double)(s->finished - s->started));
	audit_rec(s, AT_RUNBOOK_END, d);
	save(s);
	changed(s);
}

/* ---- answers ---- */

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static bool
word_is(const char *line, const char *word, const char **rest)
{
	size_t	n = strlen(word);

	if (strncasecmp(line, word, n) != 0 || (line[n] != '\0' && line[n] != ' ' &&
	    line[n] != '\t'))
		return false;
	if (rest != NULL)
		*rest = skip_ws(line + n);
	return true;
}

static void
set_answer_var(struct session *s, const char *name, const char *value,
    const char *how)
{
	cJSON	*d = cJSON_CreateObject();

	var_put(s, name, value, how);
	cJSON_AddStringToObject(d, "name", name);
	cJSON_AddStringToObject(d, "value", value);
	cJSON_AddStringToObject(d, "how", how);
	cJSON_AddStringToObject(d, "step", cur_step(s)->id);
	audit_rec(s, AT_VARIABLE, d);
}

static sv_result
answer(struct session *s, const char *raw, const char *how, struct sv_err *err)
{
	const struct rb_step	*rs = cur_step(s);
	struct session_step	*st = cur_rec(s);
	char			*line = xstrdup(raw != NULL ? raw : "");
	const char		*rest, *q;
	char			*question;
	sv_result		 result = SV_OK;

	str_trim(line);
	if (s->state != SESSION_ACTIVE || s->ask == SESSION_ASK_NONE || rs == NULL) {
		result = sv_err_set(err, SV_E_USAGE, "nothing is asked now");
		goto out;
	}
	q = s->p_question != NULL ? s->p_question : "";
	question = xasprintf("%s: %s", rs->id, q);

	if (word_is(line, "abort", NULL)) {
		audit_confirmation(s, question, NULL, line, how, true);
		free(question);
		session_pause(s, "aborted by the operator");
		goto out;
	}
	if (word_is(line, "note", &rest)) {
		cJSON		*d = cJSON_CreateObject();
		struct sv_err	 e;

		free(question);
		if (*rest == '\0') {
			result = sv_err_set(err, SV_E_USAGE, "note needs text: note TEXT");
			cJSON_Delete(d);
			goto out;
		}
		cJSON_AddStringToObject(d, "step", rs->id);
		cJSON_AddStringToObject(d, "how", how);
		cJSON_AddStringToObject(d, "by", who(s, how));
		cJSON_AddStringToObject(d, "runbook_session", s->id);
		sv_err_init(&e);
		if (s->log != NULL && audit_note(s->log, rest, d, &e) != SV_OK)
			sv_warn("audit: %s", e.msg);
		else if (s->log == NULL)
			cJSON_Delete(d);
		emit(s, "noted");
		save(s);
		goto out;
	}
	if (word_is(line, "skip", &rest)) {
		if (*rest == '\0') {
			free(question);
			result = sv_err_set(err, SV_E_USAGE, "skip needs a reason: skip "
			    "REASON (it goes into the audit log and the report)");
			goto out;
		}
		audit_confirmation(s, question, NULL, line, how, true);
		free(question);
		cancel_actions(s);
		set_str(&st->reason, rest);
		step_end(s, SSTEP_SKIPPED, how, "skipped: %s", rest);
		goto out;
	}
	if (s->failprompt) {
		if (word_is(line, "retry", NULL) || word_is(line, "yes", NULL)) {
			audit_confirmation(s, question, NULL, line, how, true);
			free(question);
			step_begin(s);
			goto out;
		}
		free(question);
		result = sv_err_set(err, SV_E_USAGE, "the step failed: answer retry, "
		    "skip REASON or abort");
		goto out;
	}
	/* A variable a step waits for. */
	if (s->need_var != NULL) {
		const struct rb_var *v = runbook_var(s->rb, s->need_var);
		char		*norm = NULL;

		if (runbook_var_check(v->type, line, true, now_ms(s), &norm, err) != SV_OK) {
			free(question);
			result = SV_E_USAGE;
			goto out;
		}
		audit_confirmation(s, question, NULL, line, how, true);
		free(question);
		set_answer_var(s, v->name, norm, "input");
		emit(s, "%s = %s", v->name, norm);
		free(norm);
		xfree(s->need_var);
		prompt_clear(s);
		save(s);
		step_run(s);
		goto out;
	}
	switch (s->ask) {
	case SESSION_ASK_CONFIRM:
		if (!word_is(line, "yes", NULL) && !word_is(line, "y", NULL) &&
		    !word_is(line, "done", NULL) && !word_is(line, "ok", NULL)) {
			free(question);
			result = sv_err_set(err, SV_E_USAGE, "answer yes (or done), "
			    "skip REASON, note TEXT or abort");
			goto out;
		}
		audit_confirmation(s, question, NULL, line, how, true);
		free(question);
		if (rs->type == RB_STEP_WAIT)
			step_end(s, SSTEP_DONE, how, "confirmed usable by the operator");
		else if (rs->type == RB_STEP_VERIFY)
			step_end(s, SSTEP_DONE, how, "differences confirmed as expected by "
			    "the operator");
		else if (rs->type == RB_STEP_DRIFT)
			step_end(s, SSTEP_DONE, how, "drift listed; re-applied by hand "
			    "where needed (confirmed)");
		else
			step_end(s, SSTEP_DONE, how, rs->type == RB_STEP_CHECK ? "done" :
			    "confirmed");
		break;
	case SESSION_ASK_NAME:
		if (strcmp(line, s->p_expected) != 0) {
			audit_confirmation(s, question, s->p_expected, line, how, false);
			free(question);
			result = sv_err_set(err, SV_E_USAGE, "'%s' is not '%s': nothing "
			    "was changed. Type %s to go ahead, or skip REASON, or abort",
			    line, s->p_expected, s->p_expected);
			save(s);
			goto out;
		}
		audit_confirmation(s, question, s->p_expected, line, how, true);
		free(question);
		set_str(&st->how, how);
		set_str(&st->confirmed_by, who(s, how));
		prompt_clear(s);
		if (rs->type == RB_STEP_RESTORE && s->ck_dest != NULL &&
		    runbook_param(rs, "target_key") != NULL)
			copy_key_go(s);
		else if (rs->type == RB_STEP_RESTORE)
			restore_go(s);
		else if (rs->type == RB_STEP_CLEANUP)
			cleanup_go(s);
		else if (rs->type == RB_STEP_DRIFT)
			drift_go(s);
		break;
	case SESSION_ASK_VALUE: {
		const char		*name = s->p_var;
		const struct rb_var	*v = runbook_var(s->rb, name);
		char			*norm = NULL;

		if (*line == '\0' && s->p_def != NULL) {
			free(line);
			line = xstrdup(s->p_def);
		}
		if (runbook_var_check(v->type, line, false, now_ms(s), &norm, err) != SV_OK) {
			free(question);
			result = SV_E_USAGE;
			goto out;
		}
		audit_confirmation(s, question, NULL, line, how, true);
		free(question);
		set_answer_var(s, name, norm, how);
		step_end(s, SSTEP_DONE, how, "%s = %s", name, norm);
		free(norm);
		break;
	}
	case SESSION_ASK_POINT: {
		struct sv_err	e;

		if (*line == '\0' && s->p_def != NULL) {
			free(line);
			line = xstrdup(s->p_def);
		}
		sv_err_init(&e);
		audit_confirmation(s, question, NULL, line, how, true);
		free(question);
		if (!choose_try(s, line, how, &e)) {
			result = sv_err_set(err, SV_E_USAGE, "%s", e.msg);
			goto out;
		}
		break;
	}
	case SESSION_ASK_NOTE: {
		cJSON		*d;
		struct sv_err	 e;

		if (*line == '\0' && s->p_def != NULL) {
			free(line);
			line = xstrdup(s->p_def);
		}
		free(question);
		if (*line == '\0') {
			result = sv_err_set(err, SV_E_USAGE, "type the note (one line), "
			    "or skip REASON");
			goto out;
		}
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "step", rs->id);
		cJSON_AddStringToObject(d, "how", how);
		cJSON_AddStringToObject(d, "by", who(s, how));
		cJSON_AddStringToObject(d, "runbook_session", s->id);
		sv_err_init(&e);
		if (s->log != NULL && audit_note(s->log, line, d, &e) != SV_OK)
			sv_warn("audit: %s", e.msg);
		else if (s->log == NULL)
			cJSON_Delete(d);
		result_set(s, "note", cJSON_CreateString(line));
		step_end(s, SSTEP_DONE, how, "noted");
		break;
	}
	default:
		free(question);
		break;
	}
out:
	free(line);
	return result;
}

sv_result
session_answer(struct session *s, const char *line, struct sv_err *err)
{
	sv_result	r = answer(s, line, s->how, err);

	session_pump(s);
	return r;
}

/* What an unattended session answers itself. */
static void
auto_answer(struct session *s)
{
	struct sv_err	 err;
	const char	*a = NULL;
	char		*owned = NULL;

	if (s->p_detail != NULL) {
		char	*dup = xstrdup(s->p_detail), *line, *save_p = NULL;

		for (line = strtok_r(dup, "\n", &save_p); line != NULL;
		    line = strtok_r(NULL, "\n", &save_p))
			emit(s, "%s", line + strspn(line, " "));
		free(dup);
	}
	switch (s->ask) {
	case SESSION_ASK_CONFIRM:
		a = "yes";
		break;
	case SESSION_ASK_NAME:
		a = s->p_expected;
		break;
	case SESSION_ASK_VALUE:
		if (s->p_def == NULL) {
			step_fail(s, SV_E_USAGE, "variable ${%s} is not set: pass --var "
			    "%s=VALUE", s->p_var, s->p_var);
			return;
		}
		a = "";
		break;
	case SESSION_ASK_POINT:
		a = "latest";
		break;
	case SESSION_ASK_NOTE:
		a = s->p_def != NULL ? s->p_def : NULL;
		if (a == NULL)
			a = owned = xasprintf("unattended run of %s", s->rb->id);
		break;
	default:
		return;
	}
	sv_err_init(&err);
	if (answer(s, a, "unattended", &err) != SV_OK && s->state == SESSION_ACTIVE &&
	    s->ask != SESSION_ASK_NONE)
		step_fail(s, err.code, "%s", err.msg);
	free(owned);
}

/* ---- driving ---- */

static void
pump_steps(struct session *s)
{
	int	guard = 0;

	while (s->state == SESSION_ACTIVE && !s->busy && s->ask == SESSION_ASK_NONE) {
		size_t	before = s->cur;

		if (s->cur >= s->rb->nsteps) {
			session_finish(s);
			break;
		}
		step_begin(s);
		if (s->cur == before && !s->busy && s->ask == SESSION_ASK_NONE &&
		    s->state == SESSION_ACTIVE && ++guard > 3) {
			step_fail(s, SV_E_INVALID, "the step made no progress");
			break;
		}
	}
}

void
session_pump(struct session *s)
{
	if (s->pumping) {
		s->repump = true;
		return;
	}
	s->pumping = true;
	do {
		s->repump = false;
		pump_steps(s);
		if (s->state == SESSION_ACTIVE && !s->busy &&
		    s->ask != SESSION_ASK_NONE && s->mode == SESSION_MODE_UNATTENDED) {
			auto_answer(s);
			s->repump = true;
		}
	} while (s->repump && s->state == SESSION_ACTIVE);
	s->pumping = false;
	changed(s);
}

static void
cancel_actions(struct session *s)
{
	s->cancelling = true;
	if (s->pop != NULL)
		core_points_cancel(s->pop);
	s->pop = NULL;
	if (s->rop != NULL)
		restore_op_cancel(s->rop);
	s->rop = NULL;
	if (s->vop != NULL)
		verify_cancel(s->vop);
	s->vop = NULL;
	if (s->dop != NULL)
		drift_cancel(s->dop);
	s->dop = NULL;
	if (s->pending != NULL)
		aws_cancel(s->pending);
	s->pending = NULL;
	if (s->cop != NULL)
		s3_copy_op_cancel(s->cop);
	s->cop = NULL;
	s->busy = false;
	s->deadline = 0;
	s->cancelling = false;
}

void
session_pause(struct session *s, const char *why)
{
	cJSON	*d;

	if (s->state != SESSION_ACTIVE)
		return;
	s->pumping = true;	/* callbacks of cancelled ops do not advance */
	cancel_actions(s);
	s->pumping = false;
	s->repump = false;
	prompt_clear(s);
	s->state = SESSION_PAUSED;
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "why", why);
	cJSON_AddStringToObject(d, "step", s->cur < s->rb->nsteps ?
	    s->rb->steps[s->cur].id : "");
	cJSON_AddBoolToObject(d, "acting", s->acting);
	audit_rec(s, AT_PAUSED, d);
	emit(s, "session %s paused (%s): salvage resume %s continues it", s->id, why,
	    s->id);
	save(s);
	changed(s);
}

bool
session_busy(const struct session *s)
{
	return s->busy;
}

bool
session_over(const struct session *s)
{
	return s->state != SESSION_ACTIVE;
}

int
session_timeout_ms(const struct session *s)
{
	if (s->rop != NULL && s->deadline > 0) {
		int64_t	left = s->deadline - sv_monotonic_ms();
		int	t = restore_op_timeout_ms(s->rop);

		if (left < 0)
			left = 0;
		return t >= 0 && t < left ? t : (int)(left > 86400000 ? 86400000 : left);
	}
	if (s->rop != NULL)
		return restore_op_timeout_ms(s->rop);
	if (s->vop != NULL)
		return verify_timeout_ms(s->vop);
	if (s->dop != NULL)
		return drift_timeout_ms(s->dop);
	return -1;
}

void
session_tick(struct session *s)
{
	if (s->rop != NULL && s->deadline > 0 && sv_monotonic_ms() >= s->deadline) {
		s->timed_out = true;
		restore_op_cancel(s->rop);	/* stops waiting, not the restore */
		session_pump(s);
		return;
	}
	if (s->rop != NULL && restore_op_timeout_ms(s->rop) == 0)
		restore_op_tick(s->rop);
	else if (s->vop != NULL && verify_timeout_ms(s->vop) == 0)
		verify_tick(s->vop);
	else if (s->dop != NULL && drift_timeout_ms(s->dop) == 0)
		drift_tick(s->dop);
}

void
session_run_sync(struct session *s, const volatile sig_atomic_t *stop)
{
	struct http_engine *eng;

	session_pump(s);
	while (s->state == SESSION_ACTIVE && s->busy) {
		bool	busy;
		int	t;

		if (stop != NULL && *stop) {
			session_pause(s, "interrupted");
			break;
		}
		eng = s->client != NULL ? aws_client_engine(s->client) : NULL;
		busy = eng != NULL && http_engine_busy(eng);
		t = session_timeout_ms(s);
		if (t < 0 && !busy) {
			/* Nothing in flight and no timer: nothing would wake us. */
			step_fail(s, SV_E_INVALID, "the step is waiting for nothing");
			session_pump(s);
			break;
		}
		if (t < 0 || t > 250)
			t = 250;	/* to see stop */
		if (busy) {
			if (http_engine_poll(eng, t) != 0)
				break;
		} else
			poll(NULL, 0, t);
		if (session_timeout_ms(s) == 0)
			session_tick(s);
		if (s->as != NULL)
			audit_session_tick(s->as);
	}
}

/* ---- reading ---- */

const char *
session_id(const struct session *s)
{
	return s->id;
}

const struct runbook *
session_runbook(const struct session *s)
{
	return s->rb;
}

enum session_state
session_get_state(const struct session *s)
{
	return s->state;
}

size_t
session_current(const struct session *s)
{
	return s->cur;
}

const struct session_step *
session_step(const struct session *s, size_t i)
{
	return i < s->rb->nsteps ? &s->steps[i] : NULL;
}

sv_time
session_started(const struct session *s)
{
	return s->started;
}

sv_time
session_finished(const struct session *s)
{
	return s->finished;
}

size_t
session_points(const struct session *s, const struct session_point **out)
{
	*out = s->points;
	return s->npoints;
}

size_t
session_created(const struct session *s, const struct session_created **out)
{
	*out = s->created;
	return s->ncreated;
}

const char *
session_path(const struct session *s)
{
	return s->path;
}

const char *
session_audit_path(const struct session *s)
{
	return s->audit_path;
}

const char *
session_audit_dir(const struct session *s)
{
	return s->audit_dir;
}

int
session_exit_status(const struct session *s)
{
	switch (s->state) {
	case SESSION_FINISHED:
		return SV_EXIT_OK;
	case SESSION_PAUSED:
		return SV_EXIT_INTERRUPTED;
	case SESSION_FAILED:
		return s->error_code != SV_OK ? sv_result_exit(s->error_code) :
		    SV_EXIT_ERROR;
	default:
		return SV_EXIT_ERROR;
	}
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	s->pumping = true;
	cancel_actions(s);
	if (s->path != NULL && s->client != NULL)
		save(s);
	prompt_clear(s);
	free(s->need_var);
	if (s->pset != NULL) {
		point_set_free(s->pset);
		free(s->pset);
	}
	for (size_t i = 0; i < s->nkept; i++)
		restore_plan_free(s->kept[i].plan);
	free(s->kept);
	restore_outcome_free(&s->outcome);
	drift_free(s);
	if (s->rb != NULL) {
		for (size_t i = 0; s->steps != NULL && i < s->rb->nsteps; i++) {
			free(s->steps[i].outcome);
			free(s->steps[i].confirmed_by);
			free(s->steps[i].how);
			free(s->steps[i].reason);
			cJSON_Delete(s->steps[i].result);
		}
	}
	free(s->steps);
	for (size_t i = 0; i < s->nvars; i++) {
		free(s->vars[i].name);
		free(s->vars[i].value);
		free(s->vars[i].how);
	}
	free(s->vars);
	for (size_t i = 0; i < s->npoints; i++) {
		free(s->points[i].var);
		free(s->points[i].resource);
		free(s->points[i].method);
		free(s->points[i].value);
		free(s->points[i].how);
	}
	free(s->points);
	for (size_t i = 0; i < s->ncreated; i++) {
		free(s->created[i].uri);
		free(s->created[i].step);
		free(s->created[i].cleanup);
	}
	free(s->created);
	cJSON_Delete(s->processes);
	runbook_free(s->rb);
	free(s->dir);
	free(s->path);
	free(s->error);
	free(s->account);
	free(s->arn);
	free(s->local_user);
	free(s->host);
	free(s->region);
	free(s->audit_path);
	free(s->audit_dir);
	free(s->audit_s3);
	free(s->last_msg);
	free(s->ck_bucket);
	free(s->ck_key);
	free(s->ck_version);
	free(s->ck_dest);
	free(s);
}

/* ---- listing ---- */

static int
entry_cmp(const void *a, const void *b)
{
	const struct session_entry *x = a, *y = b;

	if (x->started != y->started)
		return x->started > y->started ? -1 : 1;
	return strcmp(y->id, x->id);
}

size_t
session_list(const char *dir, struct session_entry **out)
{
	char			*d = dir != NULL ? xstrdup(dir) : session_dir_path();
	DIR			*dh = opendir(d);
	struct dirent		*de;
	struct session_entry	*v = NULL;
	size_t			 n = 0;

	*out = NULL;
	if (dh == NULL) {
		free(d);
		return 0;
	}
	while ((de = readdir(dh)) != NULL) {
		struct session		*s;
		struct session_entry	*e;
		struct sv_err		 err;
		size_t			 nl = strlen(de->d_name);
		char			*id;

		if (de->d_name[0] == '.' || nl <= 5 || !str_ends(de->d_name, ".json"))
			continue;
		id = xstrndup(de->d_name, nl - 5);
		v = xreallocarray(v, n + 1, sizeof *v);
		e = &v[n++];
		memset(e, 0, sizeof *e);
		e->id = id;
		e->started = e->updated = SV_TIME_NONE;
		sv_err_init(&err);
		if (session_load(d, id, &s, &err) != SV_OK) {
			e->error = xstrdup(err.msg);
			continue;
		}
		e->runbook = xstrdup(s->rb->id);
		e->state = xstrdup(session_state_name(s->state));
		e->started = s->started;
		e->updated = s->updated;
		e->index = s->cur;
		e->nsteps = s->rb->nsteps;
		e->step = s->cur < s->rb->nsteps ? xstrdup(s->rb->steps[s->cur].id) : NULL;
		session_free(s);
	}
	closedir(dh);
	free(d);
	if (n > 0)
		qsort(v, n, sizeof *v, entry_cmp);
	*out = v;
	return n;
}

void
session_list_free(struct session_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].runbook);
		free(v[i].state);
		free(v[i].step);
		free(v[i].error);
	}
	free(v);
}
