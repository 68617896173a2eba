/* report.c - the evidence report of a runbook session, as JSON and as
 * Markdown (see report.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/report.h"
#include "util/time.h"
#include "util/xalloc.h"

static const cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON	*c = get(o, k);

	return cJSON_IsString(c) ? c->valuestring : NULL;
}

static double
num(const cJSON *o, const char *k, double def)
{
	const cJSON	*c = get(o, k);

	return cJSON_IsNumber(c) ? c->valuedouble : def;
}

/* Copies member k of from into to (null when absent). */
static void
copy(cJSON *to, const cJSON *from, const char *k, const char *as)
{
	const cJSON	*c = get(from, k);

	cJSON_AddItemToObject(to, as != NULL ? as : k, c != NULL ?
	    cJSON_Duplicate(c, true) : cJSON_CreateNull());
}

static sv_time
tm(const cJSON *o, const char *k)
{
	const char	*v = str(o, k);
	sv_time		 t;

	if (v == NULL || sv_time_parse_iso(v, &t) != SV_OK)
		return SV_TIME_NONE;
	return t;
}

static void
audit_part(cJSON *r, const cJSON *st)
{
	const cJSON		*a = get(st, "audit");
	cJSON			*o = cJSON_AddObjectToObject(r, "audit");
	const char		*path = str(a, "path");
	struct audit_verify	 v;
	struct sv_err		 err;

	copy(o, a, "session", NULL);
	copy(o, a, "path", NULL);
	copy(o, a, "s3", NULL);
	if (path == NULL) {
		cJSON_AddNullToObject(o, "records");
		cJSON_AddNullToObject(o, "head");
		cJSON_AddBoolToObject(o, "verified", false);
		cJSON_AddStringToObject(o, "problem", "the session has no audit log");
		return;
	}
	sv_err_init(&err);
	memset(&v, 0, sizeof v);
	if (audit_verify_file(path, &v, &err) == SV_OK) {
		cJSON_AddNumberToObject(o, "records", (double)v.records);
		cJSON_AddStringToObject(o, "head", v.head);
		cJSON_AddBoolToObject(o, "verified", true);
		cJSON_AddBoolToObject(o, "ended", v.ended);
		cJSON_AddNullToObject(o, "problem");
	} else {
		/* The local copy is gone or damaged: what the session saw last. */
		copy(o, a, "records", NULL);
		copy(o, a, "head", NULL);
		cJSON_AddBoolToObject(o, "verified", false);
		cJSON_AddStringToObject(o, "problem", err.msg[0] != '\0' ? err.msg : v.why);
	}
	audit_verify_free(&v);
}

cJSON *
report_build(const struct session *s)
{
	cJSON		*st = session_to_json(s), *r = cJSON_CreateObject(), *o, *a;
	const cJSON	*rb = get(st, "runbook"), *e;
	double		 rto = num(rb, "rto_minutes", 0), rpo = num(rb, "rpo_minutes", -1);
	sv_time		 started = tm(st, "started"), finished = tm(st, "finished");
	sv_time		 recovered = SV_TIME_NONE;

	copy(r, st, "session", NULL);
	o = cJSON_AddObjectToObject(r, "runbook");
	copy(o, rb, "id", NULL);
	copy(o, rb, "title", NULL);
	copy(o, rb, "scenario", NULL);
	copy(o, rb, "path", NULL);
	copy(o, rb, "sha256", NULL);
	copy(r, st, "state", NULL);
	copy(r, st, "operator", NULL);
	copy(r, st, "region", NULL);
	copy(r, st, "started", NULL);
	copy(r, st, "finished", NULL);
	if (started != SV_TIME_NONE && finished != SV_TIME_NONE)
		cJSON_AddNumberToObject(r, "elapsed_ms", (double)(finished - started));
	else
		cJSON_AddNullToObject(r, "elapsed_ms");
	o = cJSON_AddObjectToObject(r, "targets");
	if (rto > 0)
		cJSON_AddNumberToObject(o, "rto_minutes", rto);
	else
		cJSON_AddNullToObject(o, "rto_minutes");
	if (rpo >= 0)
		cJSON_AddNumberToObject(o, "rpo_minutes", rpo);
	else
		cJSON_AddNullToObject(o, "rpo_minutes");
	copy(r, st, "error", NULL);

	a = cJSON_AddArrayToObject(r, "steps");
	cJSON_ArrayForEach(e, get(st, "steps")) {
		static const char *const keys[] = {
			"id", "type", "title", "status", "started", "finished",
			"duration_ms", "outcome", "confirmed_by", "how", "reason", "runs",
			NULL
		};

		o = cJSON_CreateObject();
		for (int i = 0; keys[i] != NULL; i++)
			copy(o, e, keys[i], NULL);
		cJSON_AddItemToArray(a, o);
	}

	a = cJSON_AddArrayToObject(r, "points");
	cJSON_ArrayForEach(e, get(st, "points")) {
		double	loss = num(e, "loss_ms", -1);

		o = cJSON_CreateObject();
		copy(o, e, "var", NULL);
		copy(o, e, "resource", NULL);
		copy(o, e, "method", NULL);
		copy(o, e, "value", NULL);
		copy(o, e, "time", NULL);
		copy(o, e, "reference", NULL);
		copy(o, e, "loss_ms", "data_loss_ms");
		if (loss >= 0 && rpo >= 0)
			cJSON_AddBoolToObject(o, "rpo_met", loss <= rpo * 60000.0);
		else
			cJSON_AddNullToObject(o, "rpo_met");
		cJSON_AddItemToArray(a, o);
	}

	/* Recovery: each restore's own time, and the session's: from its
	 * start until the last restore, wait or verify step was done. */
	o = cJSON_AddObjectToObject(r, "recovery");
	a = cJSON_CreateArray();
	cJSON_ArrayForEach(e, get(st, "steps")) {
		const char	*type = str(e, "type"), *status = str(e, "status");
		const cJSON	*res = get(e, "result"), *rec = get(res, "recovery");
		cJSON		*x;

		if (type == NULL || status == NULL || strcmp(status, "done") != 0)
			continue;
		if (strcmp(type, "restore") == 0 || strcmp(type, "wait") == 0 ||
		    strcmp(type, "verify") == 0)
			recovered = tm(e, "finished");
		if (strcmp(type, "restore") != 0 || rec == NULL)
			continue;
		x = cJSON_CreateObject();
		copy(x, e, "id", "step");
		if (str(get(res, "plan"), "target") != NULL)
			cJSON_AddStringToObject(x, "target", str(get(res, "plan"), "target"));
		else if (str(get(res, "request"), "target_key") != NULL) {
			char *u = xasprintf("%s -> %s", str(get(res, "request"), "uri"),
			    str(get(res, "request"), "target_key"));

			cJSON_AddStringToObject(x, "target", u);
			free(u);
		} else
			cJSON_AddNullToObject(x, "target");
		copy(x, rec, "ms", NULL);
		if (rto > 0)
			cJSON_AddBoolToObject(x, "rto_met", num(rec, "ms", 0) <= rto * 60000.0);
		else
			cJSON_AddNullToObject(x, "rto_met");
		cJSON_AddItemToArray(a, x);
	}
	if (recovered != SV_TIME_NONE && started != SV_TIME_NONE)
		cJSON_AddNumberToObject(o, "measured_ms", (double)(recovered - started));
	else
		cJSON_AddNullToObject(o, "measured_ms");
	if (rto > 0) {
		cJSON_AddNumberToObject(o, "rto_target_ms", rto * 60000.0);
		if (recovered != SV_TIME_NONE && started != SV_TIME_NONE)
			cJSON_AddBoolToObject(o, "rto_met",
			    (double)(recovered - started) <= rto * 60000.0);
		else
			cJSON_AddNullToObject(o, "rto_met");
	} else {
		cJSON_AddNullToObject(o, "rto_target_ms");
		cJSON_AddNullToObject(o, "rto_met");
	}
	cJSON_AddItemToObject(o, "restores", a);

	a = cJSON_AddArrayToObject(r, "verification");
	cJSON_ArrayForEach(e, get(st, "steps")) {
		const cJSON *v = get(get(e, "result"), "verify");

		if (!cJSON_IsObject(v))
			continue;
		o = cJSON_CreateObject();
		copy(o, e, "id", "step");
		copy(o, v, "a", "source");
		copy(o, v, "b", "target");
		copy(o, v, "equal", NULL);
		copy(o, v, "method", NULL);
		copy(o, v, "checks", NULL);
		cJSON_AddItemToArray(a, o);
	}
	a = cJSON_AddArrayToObject(r, "drift");
	cJSON_ArrayForEach(e, get(st, "steps")) {
		const cJSON *d = get(get(e, "result"), "drift");

		if (!cJSON_IsObject(d))
			continue;
		o = cJSON_CreateObject();
		copy(o, e, "id", "step");
		copy(o, d, "source", NULL);
		copy(o, d, "target", NULL);
		copy(o, d, "differences", NULL);
		copy(o, d, "applicable", NULL);
		copy(o, d, "applied", NULL);
		copy(o, d, "failed", NULL);
		copy(o, d, "settings", NULL);
		cJSON_AddItemToArray(a, o);
	}
	copy(r, st, "created", NULL);
	audit_part(r, st);
	copy(r, st, "processes", NULL);
	cJSON_Delete(st);
	return r;
}

/* ---- Markdown ---- */

/* A table cell: no newlines, '|' escaped. */
static void
cell(FILE *f, const char *s)
{
	fputs(" ", f);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputs(" |", f);
}

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

/* Durations under a minute to the tenth of a second (rehearsals of
 * small resources are quick); longer ones as "4m 10s". */
static void
dur(double ms, char *out, size_t outsz)
{
	if (ms < 0)
		snprintf(out, outsz, "-");
	else if (ms < 60000)
		snprintf(out, outsz, "%.1fs", ms / 1000.0);
	else
		sv_duration_format((int64_t)ms, out, outsz);
}

static const char *
met(const cJSON *o, const char *k)
{
	const cJSON	*c = get(o, k);

	if (cJSON_IsTrue(c))
		return "met";
	if (cJSON_IsFalse(c))
		return "MISSED";
	return "no target";
}

void
report_markdown(const cJSON *r, FILE *f)
{
	const cJSON	*rb = get(r, "runbook"), *op = get(r, "operator"), *e;
	const cJSON	*tg = get(r, "targets"), *rec = get(r, "recovery");
	const cJSON	*au = get(r, "audit");
	char		 d[32];
	int		 i;

	fprintf(f, "# Recovery session %s\n\n", or_dash(str(r, "session")));
	fprintf(f, "- Runbook: %s (%s), scenario: %s\n", or_dash(str(rb, "id")),
	    or_dash(str(rb, "title")), or_dash(str(rb, "scenario")));
	fprintf(f, "- Runbook file: %s (sha256 %s)\n", or_dash(str(rb, "path")),
	    or_dash(str(rb, "sha256")));
	fprintf(f, "- State: %s\n", or_dash(str(r, "state")));
	fprintf(f, "- Operator: %s (account %s), local user %s on %s\n",
	    or_dash(str(op, "arn")), or_dash(str(op, "account")),
	    or_dash(str(op, "local_user")), or_dash(str(op, "host")));
	fprintf(f, "- Region: %s\n", or_dash(str(r, "region")));
	dur(num(r, "elapsed_ms", -1), d, sizeof d);
	fprintf(f, "- Started: %s; finished: %s; elapsed: %s\n",
	    or_dash(str(r, "started")), or_dash(str(r, "finished")), d);
	if (str(get(r, "error"), "message") != NULL)
		fprintf(f, "- Stopped by: %s\n", str(get(r, "error"), "message"));

	fprintf(f, "\n## Steps\n\n| # | Step | Type | Started | Finished | Duration "
	    "| Outcome | Confirmed by | How |\n|---|---|---|---|---|---|---|---|---|\n");
	i = 0;
	cJSON_ArrayForEach(e, get(r, "steps")) {
		fprintf(f, "| %d |", ++i);
		cell(f, str(e, "id"));
		cell(f, str(e, "type"));
		cell(f, or_dash(str(e, "started")));
		cell(f, or_dash(str(e, "finished")));
		dur(num(e, "duration_ms", -1), d, sizeof d);
		cell(f, d);
		cell(f, str(e, "outcome") != NULL ? str(e, "outcome") : str(e, "status"));
		cell(f, or_dash(str(e, "confirmed_by")));
		cell(f, or_dash(str(e, "how")));
		fputc('\n', f);
	}

	fprintf(f, "\n## Restore points and data loss (RPO)\n\n");
	if (cJSON_GetArraySize(get(r, "points")) == 0)
		fprintf(f, "No restore point was chosen.\n");
	else {
		double rpo = num(tg, "rpo_minutes", -1);

		if (rpo >= 0)
			fprintf(f, "RPO target: %.0f min.\n\n", rpo);
		fprintf(f, "| Variable | Resource | Method | Point | State of | Data loss "
		    "| RPO |\n|---|---|---|---|---|---|---|\n");
		cJSON_ArrayForEach(e, get(r, "points")) {
			fputc('|', f);
			cell(f, str(e, "var"));
			cell(f, or_dash(str(e, "resource")));
			cell(f, or_dash(str(e, "method")));
			cell(f, or_dash(str(e, "value")));
			cell(f, or_dash(str(e, "time")));
			dur(num(e, "data_loss_ms", -1), d, sizeof d);
			cell(f, d);
			cell(f, met(e, "rpo_met"));
			fputc('\n', f);
		}
	}

	fprintf(f, "\n## Recovery time (RTO)\n\n");
	dur(num(rec, "measured_ms", -1), d, sizeof d);
	if (!cJSON_IsNumber(get(rec, "measured_ms")))
		fprintf(f, "Not measured: no restore, wait or verification step was "
		    "done.\n");
	else if (num(tg, "rto_minutes", 0) > 0)
		fprintf(f, "Measured from the session's start until the last restore, "
		    "wait or verification was done: %s against a target of %.0f min (%s).\n",
		    d, num(tg, "rto_minutes", 0), met(rec, "rto_met"));
	else
		fprintf(f, "Measured from the session's start until the last restore, "
		    "wait or verification was done: %s (no RTO target).\n", d);
	if (cJSON_GetArraySize(get(rec, "restores")) > 0) {
		fprintf(f, "\n| Step | Restored | Time | RTO |\n|---|---|---|---|\n");
		cJSON_ArrayForEach(e, get(rec, "restores")) {
			fputc('|', f);
			cell(f, str(e, "step"));
			cell(f, or_dash(str(e, "target")));
			dur(num(e, "ms", -1), d, sizeof d);
			cell(f, d);
			cell(f, met(e, "rto_met"));
			fputc('\n', f);
		}
	}

	fprintf(f, "\n## Verification\n\n");
	if (cJSON_GetArraySize(get(r, "verification")) == 0)
		fprintf(f, "No verification was made.\n");
	cJSON_ArrayForEach(e, get(r, "verification")) {
		const cJSON *c;

		fprintf(f, "- %s: %s against %s: %s (%s)\n", or_dash(str(e, "step")),
		    or_dash(str(e, "target")), or_dash(str(e, "source")),
		    cJSON_IsTrue(get(e, "equal")) ? "equal" : "DIFFERENT",
		    or_dash(str(e, "method")));
		cJSON_ArrayForEach(c, get(e, "checks"))
			fprintf(f, "  - %s: %s %s %s\n", or_dash(str(c, "name")),
			    or_dash(str(c, "a")), cJSON_IsTrue(get(c, "equal")) ? "=" : "≠",
			    or_dash(str(c, "b")));
	}

	fprintf(f, "\n## Drift\n\n");
	if (cJSON_GetArraySize(get(r, "drift")) == 0)
		fprintf(f, "No drift check was made.\n");
	cJSON_ArrayForEach(e, get(r, "drift")) {
		const cJSON *c;

		fprintf(f, "- %s: %s against %s: %.0f difference(s), %.0f re-applied, "
		    "%.0f failed\n", or_dash(str(e, "step")), or_dash(str(e, "target")),
		    or_dash(str(e, "source")), num(e, "differences", 0),
		    num(e, "applied", 0), num(e, "failed", 0));
		cJSON_ArrayForEach(c, get(e, "settings"))
			if (cJSON_IsTrue(get(c, "differs")))
				fprintf(f, "  - %s: source %s, target %s (%s)\n",
				    or_dash(str(c, "name")), or_dash(str(c, "source")),
				    or_dash(str(c, "target")), or_dash(str(c, "outcome")));
	}

	fprintf(f, "\n## Resources created by the session\n\n");
	if (cJSON_GetArraySize(get(r, "created")) == 0)
		fprintf(f, "None.\n");
	cJSON_ArrayForEach(e, get(r, "created"))
		fprintf(f, "- %s (step %s, %s): %s\n", or_dash(str(e, "uri")),
		    or_dash(str(e, "step")), or_dash(str(e, "at")),
		    cJSON_IsTrue(get(e, "cleaned")) ? or_dash(str(e, "cleanup")) :
		    "NOT cleaned up");

	fprintf(f, "\n## Audit log\n\n");
	fprintf(f, "- Session: %s\n", or_dash(str(au, "session")));
	fprintf(f, "- Local log: %s\n", or_dash(str(au, "path")));
	fprintf(f, "- S3 copy: %s\n", or_dash(str(au, "s3")));
	fprintf(f, "- Records: %.0f; chain head: %s\n", num(au, "records", 0),
	    or_dash(str(au, "head")));
	if (cJSON_IsTrue(get(au, "verified")))
		fprintf(f, "- Chain verified when this report was made.\n");
	else
		fprintf(f, "- Chain NOT verified: %s\n", or_dash(str(au, "problem")));
}
