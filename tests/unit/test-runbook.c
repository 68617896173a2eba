/* test-runbook.c - unit tests for src/core/runbook.c, session.c and
 * report.c without AWS: every built-in runbook validates; malformed
 * runbooks are rejected with the file and a line:column or field path
 * and the reason; templates and variable types; a session of manual
 * steps answered, persisted (0600 in 0700, atomically), paused, resumed
 * in the same audit chain, run unattended (and failing fast), and its
 * report. Fixtures are read from $SALVAGE_SRCDIR (argv[1] overrides). */
#include <config.h>

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "core/audit.h"
#include "core/report.h"
#include "core/runbook.h"
#include "core/session.h"
#include "util/buf.h"
#include "util/xalloc.h"

static const char	*srcdir = ".";
static char		 tmpdir[512];
static sv_time		 fake_now = 1795246200000LL;	/* 2026-11-21T07:30:00Z */

static sv_time
fixed_clock(void)
{
	return fake_now;
}

static char *
fixture(const char *name)
{
	return xasprintf("%s/tests/fixtures/runbooks/%s", srcdir, name);
}

/* Loads a fixture that must fail; returns the message (static). */
static const char *
reject_file(const char *name)
{
	static struct sv_err	 err;
	char			*path = fixture(name);
	struct runbook		*rb;

	sv_err_init(&err);
	rb = runbook_load_file(path, &err);
	if (rb != NULL) {
		runbook_free(rb);
		free(path);
		return "(loaded)";
	}
	free(path);
	return err.msg;
}

static const char *
reject_text(const char *text)
{
	static struct sv_err	 err;
	struct runbook		*rb;

	sv_err_init(&err);
	rb = runbook_load_mem(text, strlen(text), "t.json", &err);
	if (rb != NULL) {
		runbook_free(rb);
		return "(loaded)";
	}
	return err.msg;
}

static void
like(const char *got, const char *want, const char *name)
{
	ok(got != NULL && strstr(got, want) != NULL, name);
	if (got == NULL || strstr(got, want) == NULL)
		diag("got: %s; wanted it to contain: %s", got != NULL ? got : "(null)",
		    want);
}

static void
test_builtins(void)
{
	static const char *const ids[] = {
		"dynamodb-accidental-deletion", "dynamodb-old-corruption",
		"dynamodb-table-loss", "s3-document-recovery", "s3-prefix-point-in-time",
		"rds-point-in-time", "rds-snapshot-restore", "aurora-snapshot-restore",
		"quarterly-dr-rehearsal"
	};

	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		char		*path = xasprintf("%s/runbooks/%s.json", srcdir, ids[i]);
		struct sv_err	 err;
		struct runbook	*rb;
		bool		 human = false, notify = false, postmortem = false;

		sv_err_init(&err);
		rb = runbook_load_file(path, &err);
		ok(rb != NULL, ids[i]);
		if (rb == NULL) {
			diag("%s", err.msg);
			free(path);
			continue;
		}
		is_str(rb->id, ids[i], "... its id is its file name");
		for (size_t k = 0; k < rb->nsteps; k++) {
			human |= rb->steps[k].type == RB_STEP_CHECK;
			notify |= strstr(rb->steps[k].id, "notify") != NULL ||
			    strstr(rb->steps[k].id, "announce") != NULL;
			postmortem |= strstr(rb->steps[k].id, "postmortem") != NULL ||
			    strstr(rb->steps[k].id, "report") != NULL;
		}
		ok(human && notify && postmortem, "... has human steps: notify, "
		    "post-mortem / report");
		runbook_free(rb);
		free(path);
	}
	{
		char		*path = xasprintf("%s/runbooks/quarterly-dr-rehearsal.json",
				    srcdir);
		struct sv_err	 err;
		struct runbook	*rb;

		sv_err_init(&err);
		rb = runbook_load_file(path, &err);
		ok(rb != NULL && runbook_var(rb, "table") && runbook_var(rb, "bucket") &&
		    runbook_var(rb, "key") && runbook_var(rb, "instance"),
		    "rehearsal: variables table, bucket, key, instance");
		ok(rb != NULL && rb->steps[rb->nsteps - 2].type == RB_STEP_CLEANUP,
		    "rehearsal: cleans up before filing the evidence");
		runbook_free(rb);
		free(path);
	}
}

static void
test_malformed(void)
{
	const char *m;

	m = reject_file("bad-json.json");
	like(m, "bad-json.json:5:3: invalid JSON", "bad JSON: file:line:col");
	like(m, "',' is missing", "... and why");
	m = reject_file("unknown-type.json");
	like(m, "unknown-type.json: steps[3].type: unknown step type 'restor'",
	    "unknown step type: field path and the type");
	like(m, "info, check, input", "... and the known types");
	m = reject_file("undefined-var.json");
	like(m, "steps[1].target: unknown variable ${tabel}",
	    "undefined variable: field path and the name");
	m = reject_file("missing-field.json");
	like(m, "steps[1].target: missing (required for a verify step)",
	    "missing required field");
	m = reject_file("unknown-field.json");
	like(m, "steps[0].vra: unknown field", "a misspelt field is not ignored");

	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\"}"),
	    "t.json: steps: missing", "no steps");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":[]}"),
	    "steps: a runbook has at least one step", "empty steps");
	like(reject_text("{\"id\":\"X y\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":[]}"),
	    "id: 'X y' is not a runbook id", "bad runbook id");
	like(reject_text("{\"title\":\"t\",\"scenario\":\"s\",\"steps\":[]}"),
	    "t.json: id: missing (required)", "missing id");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\","
	    "\"rto_minutes\":-5,\"steps\":[{\"id\":\"a\",\"type\":\"info\",\"title\":"
	    "\"A\",\"text\":\"x\"}]}"), "rto_minutes: must be a whole number",
	    "negative RTO");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":["
	    "{\"id\":\"a\",\"type\":\"info\",\"title\":\"A\",\"text\":\"x\"},"
	    "{\"id\":\"a\",\"type\":\"info\",\"title\":\"B\",\"text\":\"y\"}]}"),
	    "steps[1].id: step id 'a' is used twice", "duplicate step id");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":["
	    "{\"id\":\"a\",\"type\":\"restore\",\"title\":\"A\",\"source\":"
	    "\"dynamodb://t\",\"to\":\"latest\",\"backup\":\"arn\"}]}"),
	    "steps[0]: a restore step names one of", "restore from two points");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":["
	    "{\"id\":\"a\",\"type\":\"restore\",\"title\":\"A\",\"source\":"
	    "\"dynamodb://t\"}]}"), "steps[0]: a restore step names what to restore "
	    "from", "restore from nothing");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":["
	    "{\"id\":\"a\",\"type\":\"verify\",\"title\":\"A\",\"source\":"
	    "\"dynamo://t\",\"target\":\"dynamodb://u\"}]}"),
	    "steps[0].source: 'dynamo://t' is not a resource URI", "bad URI scheme");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\","
	    "\"variables\":[{\"name\":\"v\",\"type\":\"colour\"}],\"steps\":["
	    "{\"id\":\"a\",\"type\":\"info\",\"title\":\"A\",\"text\":\"x\"}]}"),
	    "variables[0].type: unknown variable type 'colour'", "unknown variable type");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\","
	    "\"variables\":[{\"name\":\"v\"},{\"name\":\"v\"}],\"steps\":["
	    "{\"id\":\"a\",\"type\":\"info\",\"title\":\"A\",\"text\":\"x\"}]}"),
	    "variables[1].name: variable 'v' is declared twice", "variable twice");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\","
	    "\"variables\":[{\"name\":\"session\"}],\"steps\":["
	    "{\"id\":\"a\",\"type\":\"info\",\"title\":\"A\",\"text\":\"x\"}]}"),
	    "'session' is a built-in variable", "built-in shadowed");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\","
	    "\"variables\":[{\"name\":\"t\",\"type\":\"dynamodb-table\"}],\"steps\":["
	    "{\"id\":\"a\",\"type\":\"choose-point\",\"title\":\"A\",\"resource\":"
	    "\"dynamodb://x\",\"var\":\"t\"}]}"),
	    "steps[0].var: variable 't' is of type dynamodb-table",
	    "a point into a table-name variable");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":["
	    "{\"id\":\"a\",\"type\":\"info\",\"title\":\"A\",\"text\":\"${oops\"}]}"),
	    "steps[0].text: '${oops': '${' without a closing '}'", "unclosed ${");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":["
	    "{\"id\":\"a\",\"type\":\"check\",\"title\":\"A\"}]}"),
	    "steps[0].text: missing", "a check without text");
	like(reject_text("{\"id\":\"x\",\"title\":\"t\",\"scenario\":\"s\",\"steps\":["
	    "{\"id\":\"a\",\"type\":\"drift\",\"title\":\"A\",\"source\":\"rds://a\","
	    "\"target\":\"rds://b\",\"apply\":\"yes\"}]}"),
	    "steps[0].apply: must be true or false, not a string", "a bool as a string");
	like(reject_text("[1,2]"), "t.json: a runbook is a JSON object, not an array",
	    "not an object");
	like(reject_text("{\"id\":\"x\"} trailing"), "t.json:1:12: invalid JSON: text "
	    "after the end", "text after the document");
	like(reject_text("{\n  \"id\": \"x\",\n  \"title\": 'single'\n}"),
	    "t.json:3:", "single quotes: the line");
	like(reject_text("{\"id\": \"x\","), "ends too early", "cut short");
}

static const char *
lk(void *data, const char *name)
{
	(void)data;
	if (strcmp(name, "table") == 0)
		return "orders";
	if (strcmp(name, "n") == 0)
		return "7";
	return NULL;
}

static void
test_templates(void)
{
	struct sv_err	 err;
	char		*out, *missing, *norm;

	sv_err_init(&err);
	ok(runbook_expand("dynamodb://${table}-${n}", lk, NULL, &out, &missing, &err) ==
	    SV_OK, "expand");
	is_str(out, "dynamodb://orders-7", "... both variables");
	free(out);
	sv_err_init(&err);
	runbook_expand("cost $$5 for ${table}", lk, NULL, &out, &missing, &err);
	is_str(out, "cost $5 for orders", "$$ is a dollar");
	free(out);
	sv_err_init(&err);
	ok(runbook_expand("a ${nope} b", lk, NULL, &out, &missing, &err) ==
	    SV_E_NOTFOUND && out == NULL, "an unset variable: not found");
	is_str(missing, "nope", "... names it");
	free(missing);

	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_DYNAMODB_TABLE, "orders", false, fake_now, &norm,
	    &err) == SV_OK, "table name ok");
	free(norm);
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_DYNAMODB_TABLE, "a b", false, fake_now, &norm,
	    &err) == SV_E_USAGE, "table name with a space refused");
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_RDS_INSTANCE, "db--1", false, fake_now, &norm,
	    &err) == SV_E_USAGE, "RDS id with -- refused");
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_S3_PREFIX, "logs", false, fake_now, &norm, &err) ==
	    SV_E_USAGE, "a prefix without '/' refused");
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_S3_KEY, "a/b.pdf", false, fake_now, &norm, &err) ==
	    SV_OK, "a key");
	free(norm);
	sv_err_init(&err);
	runbook_var_check(RB_VT_TIME, "2026-11-21T08:30:00+01:00", false, fake_now,
	    &norm, &err);
	is_str(norm, "2026-11-21T07:30:00Z", "a time with an offset is stored in UTC");
	free(norm);
	sv_err_init(&err);
	runbook_var_check(RB_VT_TIME, "-15m", false, fake_now, &norm, &err);
	is_str(norm, "2026-11-21T07:15:00Z", "a relative time is made absolute");
	free(norm);
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_TIME, "yesterday", false, fake_now, &norm, &err) ==
	    SV_E_USAGE, "not a time: refused");
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_TIME, "latest", false, fake_now, &norm, &err) ==
	    SV_E_USAGE, "latest refused where a time is needed");
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_NAME, "INC-42_b.c", false, fake_now, &norm, &err) ==
	    SV_OK, "a name");
	free(norm);
	sv_err_init(&err);
	ok(runbook_var_check(RB_VT_STRING, "two\nlines", false, fake_now, &norm,
	    &err) == SV_E_USAGE, "a control character refused");
}

/* ---- sessions ---- */

static struct runbook *
manual(void)
{
	char		*path = fixture("manual.json");
	struct sv_err	 err;
	struct runbook	*rb;

	sv_err_init(&err);
	rb = runbook_load_file(path, &err);
	if (rb == NULL)
		diag("%s", err.msg);
	free(path);
	return rb;
}

static struct audit *
new_log(const char *session, bool reopen)
{
	struct audit_opts	 ao;
	struct audit		*a;
	struct sv_err		 err;
	char			*dir = xasprintf("%s/audit", tmpdir);

	memset(&ao, 0, sizeof ao);
	ao.dir = dir;
	ao.session = session;
	ao.now = fixed_clock;
	sv_err_init(&err);
	if ((reopen ? audit_reopen(&ao, &a, &err) : audit_open(&ao, &a, &err)) != SV_OK)
		diag("audit: %s", err.msg);
	free(dir);
	return a;
}

static void
opts_init(struct session_opts *o, struct audit *log, enum session_mode mode)
{
	static char	dir[600];

	snprintf(dir, sizeof dir, "%s/sessions", tmpdir);
	memset(o, 0, sizeof *o);
	o->mode = mode;
	o->log = log;
	o->dir = dir;
	o->how = "pipe";
	o->now = fixed_clock;
}

static enum session_ask
ask(struct session *s)
{
	struct session_prompt	p;

	session_prompt(s, &p);
	return p.kind;
}

static sv_result
say(struct session *s, const char *line)
{
	struct sv_err	err;
	sv_result	r;

	sv_err_init(&err);
	r = session_answer(s, line, &err);
	if (r != SV_OK)
		diag("answer '%s': %s", line, err.msg);
	return r;
}

static size_t
count_type(const char *path, const char *type)
{
	FILE	*f = fopen(path, "r");
	char	 line[65536], pat[64];
	size_t	 n = 0;

	if (f == NULL)
		return 0;
	snprintf(pat, sizeof pat, "\",\"type\":\"%s\",\"data\":", type);
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, pat) != NULL)
			n++;
	fclose(f);
	return n;
}

static void
test_session(void)
{
	struct session_opts	 o;
	struct session		*s, *l;
	struct audit		*log = new_log("20261121T073000Z-0000000a", false);
	struct audit_verify	 v;
	struct sv_err		 err;
	struct stat		 st;
	char			*vars[] = { "service=checkout-api" };
	char			*path;
	cJSON			*r;
	const cJSON		*steps;
	FILE			*mf;
	char			*md = NULL;
	size_t			 mdlen = 0;

	opts_init(&o, log, SESSION_MODE_PLAIN);
	sv_err_init(&err);
	ok(session_start(manual(), &o, vars, 1, &s, &err) == SV_OK, "session started");
	is_str(session_id(s), "20261121T073000Z-0000000a", "... its id is the audit "
	    "session's");
	session_pump(s);
	is_int(session_current(s), 0, "at the first step");
	is_int(ask(s), SESSION_ASK_CONFIRM, "info asks for a confirmation");
	sv_err_init(&err);
	ok(session_answer(s, "maybe", &err) == SV_E_USAGE, "'maybe' is not an answer");
	like(err.msg, "answer yes", "... the message says what is");
	ok(say(s, "note looked at the dashboards") == SV_OK && session_current(s) == 0,
	    "note TEXT keeps the step");
	ok(say(s, "yes") == SV_OK && session_current(s) == 1, "yes: next step");
	is_str(session_var(s, "ticket"), "INC-20261121", "a default is filled from "
	    "built-ins when the text needs it");
	sv_err_init(&err);
	ok(session_answer(s, "skip", &err) == SV_E_USAGE, "skip needs a reason");
	ok(say(s, "skip the owners are on the call") == SV_OK, "skip REASON");
	is_int(session_step(s, 1)->status, SSTEP_SKIPPED, "... the step is skipped");
	is_str(session_step(s, 1)->reason, "the owners are on the call", "... with "
	    "the reason");
	is_int(ask(s), SESSION_ASK_VALUE, "input asks for a value");
	sv_err_init(&err);
	ok(session_answer(s, "soon", &err) == SV_E_USAGE, "a value of the wrong type "
	    "is refused");
	ok(say(s, "-15m") == SV_OK, "a relative time");
	is_str(session_var(s, "when"), "2026-11-21T07:15:00Z", "... stored absolute, UTC");
	is_int(ask(s), SESSION_ASK_NOTE, "note asks for text");
	ok(say(s, "") == SV_OK, "an empty note takes the default");
	ok(say(s, "done") == SV_OK, "done");
	is_int(session_get_state(s), SESSION_FINISHED, "the session is finished");
	is_int(session_exit_status(s), 0, "... exit status 0");

	path = xstrdup(session_path(s));
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "state file is 0600");
	{
		char *dir = xasprintf("%s/sessions", tmpdir);

		ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700,
		    "sessions directory is 0700");
		free(dir);
	}
	{
		char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());

		ok(access(tmp, F_OK) != 0, "no temporary file is left");
		free(tmp);
	}
	session_free(s);
	audit_free(log);

	sv_err_init(&err);
	ok(session_load(o.dir, "20261121T073000Z-0000000a", &l, &err) == SV_OK,
	    "the state loads");
	is_int(session_get_state(l), SESSION_FINISHED, "... finished");
	is_int(session_step(l, 1)->status, SSTEP_SKIPPED, "... step 2 skipped");
	is_str(session_step(l, 4)->how, "pipe", "... how it was confirmed");
	is_str(session_var(l, "when"), "2026-11-21T07:15:00Z", "... the variables");

	r = report_build(l);
	steps = cJSON_GetObjectItemCaseSensitive(r, "steps");
	is_int(cJSON_GetArraySize(steps), 5, "report: every step");
	ok(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(steps, 0),
	    "started")) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(steps, 0), "finished")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(steps,
	    0), "outcome")), "... with started, finished, outcome");
	ok(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(r, "audit"), "verified")),
	    "... the audit chain verified");
	mf = open_memstream(&md, &mdlen);
	report_markdown(r, mf);
	fclose(mf);
	like(md, "| 2 | notify | check |", "markdown: the steps table");
	like(md, "skipped", "markdown: the skip");
	free(md);
	cJSON_Delete(r);
	session_free(l);

	{
		char *lp = xasprintf("%s/audit/20261121T073000Z-0000000a.jsonl", tmpdir);

		sv_err_init(&err);
		ok(audit_verify_file(lp, &v, &err) == SV_OK, "the audit log verifies");
		audit_verify_free(&v);
		is_int(count_type(lp, "step-start"), 5, "... a step-start per step");
		is_int(count_type(lp, "step-end"), 5, "... a step-end per step");
		ok(count_type(lp, "confirm") >= 4, "... the confirmations");
		is_int(count_type(lp, "note"), 2, "... the notes");
		free(lp);
	}
	free(path);
}

static void
test_pause_resume(void)
{
	struct session_opts	 o;
	struct session		*s;
	struct audit		*log = new_log("20261121T073000Z-0000000b", false);
	struct audit_verify	 v;
	struct sv_err		 err;
	char			*vars[] = { "service=search" };
	char			*lp = xasprintf("%s/audit/20261121T073000Z-0000000b.jsonl",
				    tmpdir);

	opts_init(&o, log, SESSION_MODE_PLAIN);
	sv_err_init(&err);
	session_start(manual(), &o, vars, 1, &s, &err);
	session_pump(s);
	say(s, "yes");
	session_pause(s, "end of input");
	is_int(session_get_state(s), SESSION_PAUSED, "paused");
	is_int(session_exit_status(s), 130, "... exit status 130");
	session_free(s);
	audit_free(log);

	sv_err_init(&err);
	log = new_log("20261121T073000Z-0000000b", false);
	ok(audit_broken(log) != NULL, "a second new log of the same session is refused");
	audit_free(log);
	log = new_log("20261121T073000Z-0000000b", true);
	ok(audit_broken(log) == NULL, "the log is reopened");
	sv_err_init(&err);
	ok(session_load(o.dir, "20261121T073000Z-0000000b", &s, &err) == SV_OK,
	    "the paused session loads");
	is_int(session_current(s), 1, "... at step 2");
	opts_init(&o, log, SESSION_MODE_PLAIN);
	sv_err_init(&err);
	ok(session_resume(s, &o, NULL, 0, &err) == SV_OK, "resumed");
	session_pump(s);
	is_int(ask(s), SESSION_ASK_CONFIRM, "... asks step 2 again");
	say(s, "done");
	say(s, "2026-11-21T06:00:00Z");
	say(s, "it was the cache");
	say(s, "done");
	is_int(session_get_state(s), SESSION_FINISHED, "... and finishes");
	session_free(s);
	sv_err_init(&err);
	ok(audit_end(log, 0, &err) == SV_OK, "session-end");
	audit_free(log);
	sv_err_init(&err);
	ok(audit_verify_file(lp, &v, &err) == SV_OK && v.ended, "one chain across "
	    "both processes verifies");
	if (v.bad != AUDIT_OK)
		diag("%s", v.why);
	audit_verify_free(&v);
	is_int(count_type(lp, "runbook-resumed"), 1, "... with a runbook-resumed record");
	is_int(count_type(lp, "runbook-paused"), 1, "... and the pause");

	/* Reopening an ended log is refused. */
	log = new_log("20261121T073000Z-0000000b", true);
	ok(audit_broken(log) != NULL && strstr(audit_broken(log), "ended") != NULL,
	    "an ended log cannot be continued");
	audit_free(log);
	sv_err_init(&err);
	ok(session_load(o.dir, "20261121T073000Z-0000000b", &s, &err) == SV_OK &&
	    session_resume(s, &o, NULL, 0, &err) == SV_E_INVALID,
	    "a finished session is not resumed");
	session_free(s);
	free(lp);
}

static void
test_unattended(void)
{
	struct session_opts	 o;
	struct session		*s;
	struct audit		*log = new_log("20261121T073000Z-0000000c", false);
	struct sv_err		 err;
	char			*vars[] = { "service=billing" };
	char			*vars2[] = { "service=billing", "when=-1h" };
	char			*bad[] = { "nosuch=1" };

	opts_init(&o, log, SESSION_MODE_UNATTENDED);
	sv_err_init(&err);
	session_start(manual(), &o, vars, 1, &s, &err);
	session_pump(s);
	is_int(session_get_state(s), SESSION_FAILED, "unattended without a value for "
	    "an input: fails fast");
	is_int(session_current(s), 2, "... at that step");
	like(session_step(s, 2)->reason, "--var when=VALUE", "... saying how to give it");
	ok(session_exit_status(s) != 0, "... exit status not 0");
	session_free(s);
	audit_free(log);

	log = new_log("20261121T073000Z-0000000d", false);
	opts_init(&o, log, SESSION_MODE_UNATTENDED);
	sv_err_init(&err);
	session_start(manual(), &o, vars2, 2, &s, &err);
	session_pump(s);
	is_int(session_get_state(s), SESSION_FINISHED, "unattended with --var: finished");
	is_str(session_step(s, 0)->how, "unattended", "... confirmations are recorded "
	    "as unattended");
	is_str(session_step(s, 2)->outcome, "when = 2026-11-21T06:30:00Z",
	    "... the input takes the --var value");
	session_free(s);
	audit_free(log);

	log = new_log("20261121T073000Z-0000000e", false);
	opts_init(&o, log, SESSION_MODE_PLAIN);
	sv_err_init(&err);
	ok(session_start(manual(), &o, bad, 1, &s, &err) == SV_E_USAGE &&
	    strstr(err.msg, "no variable 'nosuch'") != NULL, "--var of an unknown "
	    "variable is refused");
	audit_free(log);
}

static void
test_list(void)
{
	struct session_entry	*v;
	char			*dir = xasprintf("%s/sessions", tmpdir);
	size_t			 n = session_list(dir, &v);
	bool			 paused = false;

	is_int(n, 4, "sessions: all four listed");
	for (size_t i = 0; i < n; i++)
		paused |= v[i].state != NULL && strcmp(v[i].state, "failed") == 0 &&
		    v[i].step != NULL && strcmp(v[i].step, "when") == 0;
	ok(paused, "... with state and current step");
	session_list_free(v, n);
	free(dir);
}

static void
rm_rf(const char *dir)
{
	char	*cmd = xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	free(cmd);
}

int
main(int argc, char **argv)
{
	const char	*base = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";

	if (argc > 1)
		srcdir = argv[1];
	else if (getenv("SALVAGE_SRCDIR") != NULL)
		srcdir = getenv("SALVAGE_SRCDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/test-runbook-XXXXXX", base);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	test_builtins();
	test_malformed();
	test_templates();
	test_session();
	test_pause_resume();
	test_unattended();
	test_list();
	if (getenv("SALVAGE_TEST_KEEP") == NULL)
		rm_rf(tmpdir);
	return done_testing();
}
