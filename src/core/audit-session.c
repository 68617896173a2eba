/* audit-session.c - the audit log's life in a front end (see
 * audit-session.h). */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit-session.h"
#include "core/conf.h"
#include "svc/sts.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

struct audit_session {
	struct aws_client	*client;
	struct audit		*log;
	struct audit_ship	*ship;
	struct aws_gate		 gate;
	char			 account[32];
	char			 arn[512];
	char			 user_id[256];
	char			 identity_error[SV_ERR_MSG_MAX];
	bool			 keep_open;	/* no session-end at close */
};

struct identity {
	struct svc_sync		 sync;	/* first: see svc.h */
	struct audit_session	*s;
};

static bool
got_identity(void *data, const struct sts_identity *id)
{
	struct identity	*w = data;

	if (id->account != NULL)
		str_lcpy(w->s->account, id->account, sizeof w->s->account);
	if (id->arn != NULL)
		str_lcpy(w->s->arn, id->arn, sizeof w->s->arn);
	if (id->user_id != NULL)
		str_lcpy(w->s->user_id, id->user_id, sizeof w->s->user_id);
	return true;
}

static void
fetch_identity(struct audit_session *s)
{
	struct identity	w;

	memset(&w, 0, sizeof w);
	w.s = s;
	svc_sync_init(&w.sync);
	sts_get_caller_identity(s->client, got_identity, svc_sync_done, &w);
	if (svc_sync_wait(s->client, &w.sync) != SV_OK)
		str_lcpy(s->identity_error, w.sync.err.msg[0] != '\0' ? w.sync.err.msg :
		    sv_result_str(w.sync.result), sizeof s->identity_error);
}

/* The command line from /proc (Linux), else just the program name. */
static cJSON *
command_line(const struct audit_session_opts *o)
{
	char	 buf[65536], *argv[512];
	int	 argc = 0, fd;
	ssize_t	 n;

	if (o->argc > 0 && o->argv != NULL)
		return audit_argv_json(o->argc, o->argv);
	fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return audit_argv_json(1, (char *[]){ "salvage", NULL });
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return audit_argv_json(1, (char *[]){ "salvage", NULL });
	buf[n] = '\0';
	for (char *p = buf; p < buf + n && argc < 511; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	return audit_argv_json(argc, argv);
}

static cJSON *
start_data(struct audit_session *s, const struct audit_session_opts *o,
    const struct audit_dest *dest, bool have_dest)
{
	cJSON		*d = cJSON_CreateObject(), *op, *eps, *unf;
	struct passwd	*pw;
	char		 host[256];
	const char	*user;

	op = cJSON_AddObjectToObject(d, "operator");
	if (s->account[0] != '\0') {
		cJSON_AddStringToObject(op, "account", s->account);
		cJSON_AddStringToObject(op, "arn", s->arn);
		cJSON_AddStringToObject(op, "user_id", s->user_id);
	} else {
		cJSON_AddNullToObject(op, "account");
		cJSON_AddNullToObject(op, "arn");
		cJSON_AddStringToObject(op, "error", s->identity_error[0] != '\0' ?
		    s->identity_error : "unknown");
	}
	pw = getpwuid(geteuid());
	user = pw != NULL ? pw->pw_name : getenv("USER");
	cJSON_AddStringToObject(d, "local_user", user != NULL ? user : "?");
	cJSON_AddNumberToObject(d, "uid", (double)geteuid());
	if (gethostname(host, sizeof host) != 0)
		str_lcpy(host, "?", sizeof host);
	host[sizeof host - 1] = '\0';
	cJSON_AddStringToObject(d, "host", host);
	cJSON_AddNumberToObject(d, "pid", (double)getpid());
	cJSON_AddStringToObject(d, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(d, "frontend", o->frontend != NULL ? o->frontend : "cli");
	cJSON_AddStringToObject(d, "region", aws_client_region(s->client));
	cJSON_AddStringToObject(d, "endpoint", aws_client_endpoint(s->client, AWS_SVC_STS));
	eps = cJSON_AddObjectToObject(d, "endpoints");
	for (int i = 0; i < AWS_SVC__COUNT; i++)
		cJSON_AddStringToObject(eps, aws_service_name((enum aws_service)i),
		    aws_client_endpoint(s->client, (enum aws_service)i));
	cJSON_AddStringToObject(d, "mode", o->operate ? "operate" : "read-only");
	cJSON_AddItemToObject(d, "command", command_line(o));
	if (have_dest)
		cJSON_AddStringToObject(d, "audit_s3", dest->uri);
	else
		cJSON_AddNullToObject(d, "audit_s3");
	unf = audit_scan_unfinished(audit_dirname(s->log), audit_session(s->log));
	if (cJSON_GetArraySize(unf) > 0)
		cJSON_AddItemToObject(d, "unfinished", unf);
	else
		cJSON_Delete(unf);
	return d;
}

struct audit_session *
audit_session_open(struct aws_client *client, const struct audit_session_opts *o)
{
	struct audit_session	*s = xcalloc(1, sizeof *s);
	struct audit_opts	 ao;
	struct audit_dest	 dest;
	struct conf		 cf;
	struct sv_err		 err;
	bool			 have_dest = false;

	s->client = client;
	memset(&ao, 0, sizeof ao);
	ao.dir = o->audit_dir;
	ao.session = o->resume;
	sv_err_init(&err);
	if ((o->resume != NULL ? audit_reopen(&ao, &s->log, &err) :
	    audit_open(&ao, &s->log, &err)) != SV_OK)
		sv_warn("audit: %s; changes are refused in this session", err.msg);
	/* The gate first: whatever else fails, mutating calls go through it. */
	audit_gate(s->log, &s->gate);
	aws_client_set_gate(client, &s->gate);
	if (audit_broken(s->log) != NULL)
		return s;

	sv_err_init(&err);
	memset(&dest, 0, sizeof dest);
	if (conf_load(&cf, NULL, &err) != SV_OK)
		sv_warn("%s", err.msg);
	sv_err_init(&err);
	if (audit_dest_resolve(o->audit_s3, &cf, &dest, &have_dest, &err) != SV_OK)
		sv_warn("audit: %s; the log is kept locally only", err.msg);

	fetch_identity(s);
	if (have_dest)
		s->ship = audit_ship_new(client, s->log, &dest, s->account);
	sv_err_init(&err);
	if (audit_append(s->log, o->resume != NULL ? "resumed" : AUDIT_T_START,
	    start_data(s, o, &dest, have_dest), NULL, &err) != SV_OK)
		sv_warn("audit: %s", err.msg);
	audit_dest_free(&dest);
	conf_free(&cf);
	return s;
}

void
audit_session_close(struct audit_session *s, int exit_status)
{
	struct sv_err	err;

	if (s == NULL)
		return;
	sv_err_init(&err);
	if (!s->keep_open && audit_broken(s->log) == NULL && !audit_ended(s->log) &&
	    audit_end(s->log, exit_status, &err) != SV_OK)
		sv_warn("audit: %s", err.msg);
	if (s->ship != NULL) {
		sv_err_init(&err);
		if (audit_ship_finish(s->ship, &err) != SV_OK)
			sv_warn("audit: %s", err.msg);
		audit_ship_free(s->ship);
	}
	aws_client_set_gate(s->client, NULL);
	audit_free(s->log);
	free(s);
}

void
audit_session_keep_open(struct audit_session *s)
{
	if (s != NULL)
		s->keep_open = true;
}

struct audit *
audit_session_log(struct audit_session *s)
{
	return s->log;
}

struct audit_ship *
audit_session_ship(struct audit_session *s)
{
	return s->ship;
}

size_t
audit_pending_count(const struct audit_session *s)
{
	return s != NULL && s->ship != NULL ? audit_ship_pending(s->ship) : 0;
}

const char *
audit_session_account(const struct audit_session *s)
{
	return s->account;
}

const char *
audit_session_arn(const struct audit_session *s)
{
	return s->arn;
}

int
audit_session_timeout_ms(const struct audit_session *s)
{
	return s != NULL && s->ship != NULL ? audit_ship_timeout_ms(s->ship) : -1;
}

void
audit_session_tick(struct audit_session *s)
{
	if (s != NULL && s->ship != NULL)
		audit_ship_tick(s->ship);
}
