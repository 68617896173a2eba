/* cmd-audit.c - "salvage audit verify|ls|show|ship": check a log's hash
 * chain (a local file or its S3 copy, or one against the other), list the
 * sessions in the audit directory, render one session readably, and ship
 * what is left in the spool. */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/audit-session.h"
#include "core/audit.h"
#include "core/resource.h"
#include "core/ship.h"
#include "svc/s3-write.h"
#include "util/str.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_audit_entry;

/* ---- loading a log from a path or s3:// ---- */

static bool
is_s3(const char *s)
{
	return strncasecmp(s, "s3://", 5) == 0;
}

static sv_result
load(struct cli *cli, const char *src, struct buf *out, struct sv_err *err)
{
	struct resource		 res;
	struct aws_client	*client;
	sv_result		 r;

	if (!is_s3(src))
		return audit_read_file(src, out, err);
	memset(&res, 0, sizeof res);
	r = resource_parse(src, &res, err);
	if (r == SV_OK && res.kind != RES_OBJECT)
		r = sv_err_set(err, SV_E_USAGE, "%s: expected s3://BUCKET/KEY of a log "
		    "object", src);
	if (r == SV_OK && (client = cli_client(cli, err)) == NULL)
		r = err->code;
	if (r == SV_OK)
		r = s3_get_object_sync(client, res.name, res.key, out, err);
	resource_free(&res);
	return r;
}

/* ---- verify ---- */

/* Line number (1-based) of the first difference between a and b, or 0
 * when one is a prefix of the other at a line boundary (then *shorter
 * says which: -1 a, 1 b, 0 identical). */
static size_t
first_diff(const char *a, size_t alen, const char *b, size_t blen, int *shorter)
{
	size_t	i, line = 1, n = alen < blen ? alen : blen;

	*shorter = 0;
	for (i = 0; i < n; i++) {
		if (a[i] != b[i])
			return line;
		if (a[i] == '\n')
			line++;
	}
	if (alen == blen)
		return 0;
	if (i > 0 && a[i - 1] != '\n')
		return line;	/* cut inside a line */
	*shorter = alen < blen ? -1 : 1;
	return 0;
}

static void
print_verdict(const char *src, const struct audit_verify *v, sv_result r)
{
	char	*safe = out_safe(src);

	if (r == SV_OK) {
		printf("%s: intact: %llu record%s, session %s, chain head %s\n", safe,
		    (unsigned long long)v->records, v->records == 1 ? "" : "s",
		    v->session, v->head);
		if (!v->ended)
			printf("%s: note: no session-end record (the session did not end "
			    "cleanly, or its last records are missing)\n", safe);
		for (size_t i = 0; i < v->nopen; i++)
			printf("%s: note: intent seq %llu (%s on %s) has no result\n", safe,
			    (unsigned long long)v->open[i].seq, v->open[i].operation,
			    v->open[i].target);
	} else
		printf("%s: NOT intact: %s\n", safe, v->why);
	free(safe);
}

static void
json_verdict(struct jsonw *j, const char *src, const struct audit_verify *v,
    sv_result r)
{
	jsonw_kstr(j, "source", src);
	jsonw_kbool(j, "intact", r == SV_OK);
	jsonw_kint(j, "records", (long long)v->records);
	jsonw_kstr(j, "session", v->session);
	jsonw_kstr(j, "head", v->head);
	jsonw_kbool(j, "ended", v->ended);
	if (r != SV_OK) {
		jsonw_key(j, "bad");
		jsonw_obj_begin(j);
		jsonw_kint(j, "seq", (long long)v->bad_seq);
		jsonw_kint(j, "line", (long long)v->bad_line);
		jsonw_kstr(j, "reason", audit_bad_str(v->bad));
		jsonw_kstr(j, "message", v->why);
		jsonw_obj_end(j);
	}
	jsonw_key(j, "open_intents");
	jsonw_arr_begin(j);
	for (size_t i = 0; i < v->nopen; i++) {
		jsonw_obj_begin(j);
		jsonw_kint(j, "seq", (long long)v->open[i].seq);
		jsonw_kstr(j, "operation", v->open[i].operation);
		jsonw_kstr(j, "target", v->open[i].target);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
}

static int
audit_verify_cmd(struct cli *cli, int argc, char **argv)
{
	const char		*src = NULL, *against = NULL;
	struct buf		 a, b;
	struct audit_verify	 va, vb;
	struct sv_err		 err;
	sv_result		 ra, rb = SV_OK;
	int			 status = SV_EXIT_OK, shorter = 0;
	size_t			 dline = 0;
	char			 cmp[512] = "";

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--against") == 0 && i + 1 < argc)
			against = argv[++i];
		else if (strncmp(argv[i], "--against=", 10) == 0)
			against = argv[i] + 10;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, &cmd_audit_entry, "audit verify: unknown "
			    "option '%s'", argv[i]);
		else if (src == NULL)
			src = argv[i];
		else
			return cli_usage(cli, &cmd_audit_entry, "audit verify: unexpected "
			    "argument '%s'", argv[i]);
	}
	if (src == NULL)
		return cli_usage(cli, &cmd_audit_entry, "audit verify: which log? "
		    "(a file or s3://BUCKET/KEY)");
	if (against != NULL && !is_s3(against))
		return cli_usage(cli, &cmd_audit_entry, "audit verify: --against takes "
		    "the S3 copy: s3://BUCKET/KEY");

	memset(&va, 0, sizeof va);
	memset(&vb, 0, sizeof vb);
	buf_init(&a, BUF_MAX_AUDIT_LOG);
	buf_init(&b, BUF_MAX_AUDIT_LOG);
	sv_err_init(&err);
	if (load(cli, src, &a, &err) != SV_OK) {
		status = cli_fail(cli, &err);
		goto out;
	}
	ra = audit_verify_mem(buf_str(&a), a.len, &va);
	if (ra != SV_OK)
		status = SV_EXIT_MISMATCH;
	if (against != NULL) {
		if (load(cli, against, &b, &err) != SV_OK) {
			status = cli_fail(cli, &err);
			goto out;
		}
		rb = audit_verify_mem(buf_str(&b), b.len, &vb);
		if (rb != SV_OK)
			status = SV_EXIT_MISMATCH;
		dline = first_diff(buf_str(&a), a.len, buf_str(&b), b.len, &shorter);
		if (dline != 0) {
			snprintf(cmp, sizeof cmp, "the local log and the S3 copy differ "
			    "from line %zu (seq %zu)", dline, dline);
			status = SV_EXIT_MISMATCH;
		} else if (shorter == 0)
			snprintf(cmp, sizeof cmp, "the S3 copy is identical");
		else if (shorter > 0)
			snprintf(cmp, sizeof cmp, "the S3 copy has %llu of %llu records "
			    "(the rest is not shipped yet)", (unsigned long long)vb.records,
			    (unsigned long long)va.records);
		else {
			snprintf(cmp, sizeof cmp, "the local log lacks records from seq "
			    "%llu that are in the S3 copy: it was cut",
			    (unsigned long long)va.records + 1);
			status = SV_EXIT_MISMATCH;
		}
	}

	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_obj_begin(&j);
		json_verdict(&j, src, &va, ra);
		if (against != NULL) {
			jsonw_key(&j, "against");
			jsonw_obj_begin(&j);
			json_verdict(&j, against, &vb, rb);
			jsonw_kbool(&j, "same", dline == 0 && shorter == 0);
			jsonw_kstr(&j, "comparison", cmp);
			jsonw_obj_end(&j);
		}
		jsonw_obj_end(&j);
		jsonw_finish(&j);
	} else {
		print_verdict(src, &va, ra);
		if (against != NULL) {
			print_verdict(against, &vb, rb);
			printf("%s\n", cmp);
		}
	}
out:
	audit_verify_free(&va);
	audit_verify_free(&vb);
	buf_free(&a);
	buf_free(&b);
	return status;
}

/* ---- ls ---- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
list_sessions(const char *dir, size_t *n)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	char		**v = NULL;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t	l = strlen(de->d_name);

		if (l <= 6 || !str_ends(de->d_name, ".jsonl") || de->d_name[0] == '.')
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrndup(de->d_name, l - 6);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

static const char *
chain_state(const struct audit_verify *v, sv_result r)
{
	if (r != SV_OK)
		return "BROKEN";
	if (!v->ended && v->nopen > 0)
		return "unfinished";
	if (!v->ended)
		return "no end";
	return "intact";
}

static const char *
ship_state(const char *dir, const char *session, const struct audit_verify *v)
{
	if (audit_spool_pending(dir, session))
		return "pending";
	if (v->audit_s3[0] != '\0')
		return "shipped";
	return "local";
}

static int
audit_ls_cmd(struct cli *cli, int argc, char **argv)
{
	char		*dir = audit_dir_path(cli->audit_dir), **names;
	size_t		 n;
	struct out_table t;
	static const struct out_col cols[] = {
		{ "SESSION", OUT_LEFT, false }, { "STARTED", OUT_LEFT, false },
		{ "OPERATOR", OUT_LEFT, false }, { "MODE", OUT_LEFT, false },
		{ "RECORDS", OUT_RIGHT, false }, { "CHAIN", OUT_LEFT, false },
		{ "SHIPPED", OUT_LEFT, false },
	};
	struct jsonw	 j;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, &cmd_audit_entry, "audit ls takes no arguments");
	names = list_sessions(dir, &n);
	if (cli->json) {
		out_json_init(&j);
		jsonw_arr_begin(&j);
	} else
		out_table_init(&t, 7, cols);
	for (size_t i = 0; i < n; i++) {
		char			*path = xasprintf("%s/%s.jsonl", dir, names[i]);
		char			 tb[SV_TIME_ISO_MAX], cnt[32], op[700];
		struct audit_verify	 v;
		struct sv_err		 err;
		sv_result		 r;

		sv_err_init(&err);
		r = audit_verify_file(path, &v, &err);
		if (v.operator_arn[0] != '\0')
			snprintf(op, sizeof op, "%s", v.operator_arn);
		else if (v.local_user[0] != '\0')
			snprintf(op, sizeof op, "%s@%s", v.local_user, v.host);
		else
			snprintf(op, sizeof op, "?");
		if (cli->json) {
			jsonw_obj_begin(&j);
			jsonw_kstr(&j, "session", names[i]);
			jsonw_kstr(&j, "path", path);
			jsonw_ktime(&j, "started", v.first_time);
			jsonw_ktime(&j, "last", v.last_time);
			jsonw_kstr(&j, "account", v.account[0] ? v.account : NULL);
			jsonw_kstr(&j, "operator", v.operator_arn[0] ? v.operator_arn : NULL);
			jsonw_kstr(&j, "local_user", v.local_user[0] ? v.local_user : NULL);
			jsonw_kstr(&j, "mode", v.mode[0] ? v.mode : NULL);
			jsonw_kint(&j, "records", (long long)v.records);
			jsonw_kstr(&j, "chain", chain_state(&v, r));
			if (r != SV_OK)
				jsonw_kstr(&j, "problem", r == SV_E_MISMATCH ? v.why : err.msg);
			jsonw_kstr(&j, "shipping", ship_state(dir, names[i], &v));
			jsonw_kstr(&j, "destination", v.audit_s3[0] ? v.audit_s3 : NULL);
			jsonw_obj_end(&j);
		} else {
			const char *row[7] = {
				names[i], out_time(v.first_time, tb), op,
				v.mode[0] ? v.mode : "-", out_count((long long)v.records, cnt,
				sizeof cnt), chain_state(&v, r), ship_state(dir, names[i], &v)
			};

			out_table_row(&t, row);
		}
		audit_verify_free(&v);
		free(path);
		free(names[i]);
	}
	free(names);
	if (cli->json) {
		jsonw_arr_end(&j);
		jsonw_finish(&j);
	} else {
		if (n == 0)
			fprintf(stderr, "no audit sessions in %s\n", dir);
		else
			out_table_print(&t, stdout);
		out_table_free(&t);
	}
	free(dir);
	return SV_EXIT_OK;
}

/* ---- show ---- */

static const char *
js(const cJSON *o, const char *name)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(c) ? c->valuestring : NULL;
}

static long long
jn(const cJSON *o, const char *name, long long def)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(c) ? (long long)c->valuedouble : def;
}

static void
show_safe(const char *s)
{
	char	*safe = out_safe(s != NULL ? s : "-");

	fputs(safe, stdout);
	free(safe);
}

static void
show_record(const cJSON *rec)
{
	const cJSON	*d = cJSON_GetObjectItemCaseSensitive(rec, "data"), *c;
	const char	*type = js(rec, "type");
	char		*compact;

	printf("%5lld  %s  %-13s  ", jn(rec, "seq", 0), js(rec, "time"), type);
	if (strcmp(type, AUDIT_T_START) == 0) {
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(d, "operator");

		printf("operator ");
		show_safe(js(op, "arn") != NULL ? js(op, "arn") : js(op, "error"));
		printf(", local user ");
		show_safe(js(d, "local_user"));
		printf("@");
		show_safe(js(d, "host"));
		printf(", %s, region ", js(d, "mode") ? js(d, "mode") : "?");
		show_safe(js(d, "region"));
		printf(", salvage ");
		show_safe(js(d, "version"));
		c = cJSON_GetObjectItemCaseSensitive(d, "command");
		if (cJSON_IsArray(c)) {
			printf("\n%*scommand:", 45, "");
			for (c = c->child; c != NULL; c = c->next) {
				printf(" ");
				show_safe(cJSON_IsString(c) ? c->valuestring : "?");
			}
		}
		c = cJSON_GetObjectItemCaseSensitive(d, "unfinished");
		for (c = cJSON_IsArray(c) ? c->child : NULL; c != NULL; c = c->next) {
			printf("\n%*sunfinished: session ", 45, "");
			show_safe(js(c, "session"));
			printf(" seq %lld ", jn(c, "seq", 0));
			show_safe(js(c, "operation"));
			printf(" on ");
			show_safe(js(c, "target"));
		}
	} else if (strcmp(type, AUDIT_T_CONFIRM) == 0) {
		show_safe(js(d, "asked"));
		printf(" -> %s (", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d,
		    "accepted")) ? "confirmed" : "NOT confirmed");
		show_safe(js(d, "how"));
		if (js(d, "typed") != NULL) {
			printf(", typed \"");
			show_safe(js(d, "typed"));
			printf("\"");
		}
		printf(")");
	} else if (strcmp(type, AUDIT_T_INTENT) == 0) {
		show_safe(js(d, "operation"));
		printf(" on ");
		show_safe(js(d, "target"));
		c = cJSON_GetObjectItemCaseSensitive(d, "parameters");
		if (c != NULL && (compact = cJSON_PrintUnformatted(c)) != NULL) {
			printf("\n%*s", 45, "");
			show_safe(compact);
			free(compact);
		}
	} else if (strcmp(type, AUDIT_T_RESULT) == 0) {
		printf("seq %lld ", jn(d, "intent", 0));
		show_safe(js(d, "operation"));
		printf(": %s (HTTP %lld, request id ", js(d, "outcome") ? js(d, "outcome") : "?",
		    jn(d, "status", 0));
		show_safe(js(d, "request_id"));
		printf(")");
		if (js(d, "error_message") != NULL) {
			printf(": ");
			if (js(d, "error_code") != NULL) {
				show_safe(js(d, "error_code"));
				printf(": ");
			}
			show_safe(js(d, "error_message"));
		}
	} else if (strcmp(type, AUDIT_T_NOTE) == 0)
		show_safe(js(d, "text"));
	else if (strcmp(type, AUDIT_T_END) == 0) {
		printf("%lld records", jn(d, "records", 0));
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "status")))
			printf(", exit status %lld", jn(d, "status", 0));
	} else if ((compact = cJSON_PrintUnformatted(d)) != NULL) {
		show_safe(compact);
		free(compact);
	}
	printf("\n");
}

static int
audit_show_cmd(struct cli *cli, int argc, char **argv)
{
	char			*path, *dir;
	struct buf		 b;
	struct audit_verify	 v;
	struct sv_err		 err;
	sv_result		 r;
	int			 status = SV_EXIT_OK;
	const char		*p, *end, *nl;
	bool			 first = true;

	if (argc != 2)
		return cli_usage(cli, &cmd_audit_entry, "audit show: which session? "
		    "(a session id from 'salvage audit ls', or a log file)");
	dir = audit_dir_path(cli->audit_dir);
	if (strchr(argv[1], '/') != NULL || str_ends(argv[1], ".jsonl"))
		path = xstrdup(argv[1]);
	else
		path = xasprintf("%s/%s.jsonl", dir, argv[1]);
	buf_init(&b, BUF_MAX_AUDIT_LOG);
	sv_err_init(&err);
	memset(&v, 0, sizeof v);
	if (audit_read_file(path, &b, &err) != SV_OK) {
		status = cli_fail(cli, &err);
		goto out;
	}
	r = audit_verify_mem(buf_str(&b), b.len, &v);
	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_obj_begin(&j);
		json_verdict(&j, path, &v, r);
		jsonw_key(&j, "records");
		jsonw_arr_begin(&j);
	}
	for (p = buf_str(&b), end = p + b.len; p < end; p = nl + 1) {
		cJSON	*rec;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		rec = cJSON_ParseWithLength(p, (size_t)(nl - p));
		if (!cJSON_IsObject(rec) || js(rec, "type") == NULL || js(rec, "time") == NULL) {
			if (!cli->json)
				printf("%5s  (a line that is not a record)\n", "?");
		} else if (!cli->json)
			show_record(rec);
		else {
			/* JSON: the records as they are. */
			char *s = cJSON_PrintUnformatted(rec);

			if (s != NULL) {
				fputs(first ? "" : ",", stdout);
				fputs(s, stdout);
				free(s);
				first = false;
			}
		}
		cJSON_Delete(rec);
	}
	if (cli->json) {
		printf("]}\n");
		fflush(stdout);
	} else {
		printf("chain: ");
		if (r == SV_OK)
			printf("intact, %llu records, head %s%s\n",
			    (unsigned long long)v.records, v.head,
			    v.ended ? "" : " (no session-end)");
		else
			printf("NOT intact: %s\n", v.why);
		printf("shipping: %s%s%s\n", ship_state(dir, v.session, &v),
		    v.audit_s3[0] ? " to " : "", v.audit_s3);
	}
	if (r != SV_OK)
		status = SV_EXIT_MISMATCH;
out:
	audit_verify_free(&v);
	buf_free(&b);
	free(path);
	free(dir);
	return status;
}

/* ---- ship ---- */

static int
audit_ship_cmd(struct cli *cli, int argc, char **argv)
{
	struct aws_client		*client;
	struct audit_spool_report	 rep;
	struct sv_err			 err;
	char				*dir;
	sv_result			 r;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, &cmd_audit_entry, "audit ship takes no arguments");
	sv_err_init(&err);
	if ((client = cli_client(cli, &err)) == NULL)
		return cli_fail(cli, &err);
	dir = audit_dir_path(cli->audit_dir);
	r = audit_spool_ship(client, audit_session_log(cli->audit), dir,
	    cli->json ? NULL : stdout, &rep, &err);
	free(dir);
	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		jsonw_obj_begin(&j);
		jsonw_kint(&j, "sessions", (long long)rep.sessions);
		jsonw_kint(&j, "shipped", (long long)rep.shipped);
		jsonw_kint(&j, "skipped", (long long)rep.skipped);
		jsonw_kint(&j, "failed", (long long)rep.failed);
		jsonw_obj_end(&j);
		jsonw_finish(&j);
	} else if (rep.sessions == 0)
		printf("nothing to ship\n");
	else
		printf("shipped %zu of %zu session%s%s\n", rep.shipped, rep.sessions,
		    rep.sessions == 1 ? "" : "s", rep.skipped ? " (some in use by a "
		    "running salvage)" : "");
	if (r != SV_OK)
		return cli_fail(cli, &err);
	return SV_EXIT_OK;
}

static int
cmd_audit_exec(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, &cmd_audit_entry, "audit: which action? "
		    "verify, ls, show or ship");
	if (strcmp(argv[1], "verify") == 0)
		return audit_verify_cmd(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "ls") == 0)
		return audit_ls_cmd(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return audit_show_cmd(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "ship") == 0)
		return audit_ship_cmd(cli, argc - 1, argv + 1);
	return cli_usage(cli, &cmd_audit_entry, "audit: unknown action '%s' "
	    "(verify, ls, show or ship)", argv[1]);
}

const struct cmd_entry cmd_audit_entry = {
	"audit", "verify|ls|show|ship ...",
	"check, list, show and ship audit logs",
	cmd_audit_exec
};
