/* test-audit.c - unit tests for src/core/audit.c: the record's canonical
 * form and hash, file and directory modes, the verifier against every kind
 * of tampering (edit, forged edit, insert, delete, reorder, truncate, bad
 * JSON, wrong genesis), secret scrubbing, the gate (durable intent before
 * it returns, the narrow exemption for the log's own upload, refusal when
 * the log cannot be written) and the scan for unfinished sessions. */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "aws/sigv4.h"
#include "core/audit.h"
#include "core/conf.h"
#include "core/ship.h"
#include "svc/s3-write.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char	tmpdir[512];
static sv_time	fake_now = 1795246200123LL;	/* 2026-11-21T07:30:00.123Z */

static sv_time
fixed_clock(void)
{
	return fake_now;
}

static char *
slurp(const char *path)
{
	struct buf	b;
	struct sv_err	err;

	buf_init(&b, BUF_MAX_AUDIT_LOG);
	sv_err_init(&err);
	if (audit_read_file(path, &b, &err) != SV_OK)
		return xstrdup("");
	return buf_detach(&b);
}

static struct audit *
open_log(const char *dir, const char *session)
{
	struct audit_opts	 o = { dir, session, fixed_clock };
	struct audit		*a;
	struct sv_err		 err;

	sv_err_init(&err);
	if (audit_open(&o, &a, &err) != SV_OK)
		diag("audit_open: %s", err.msg);
	return a;
}

/* ---- canonical form ---- */

static void
test_canonical(void)
{
	char		*dir = xasprintf("%s/canon", tmpdir), *text, want[1024];
	struct audit	*a = open_log(dir, "20261121T073000Z-0badc0de");
	struct sv_err	 err;
	const char	*canon = "{\"seq\":1,\"time\":\"2026-11-21T07:30:00.123Z\","
	    "\"session\":\"20261121T073000Z-0badc0de\",\"type\":\"note\","
	    "\"data\":{\"text\":\"hello\"},\"prev\":\"" AUDIT_GENESIS "\"}";
	/* sha256 of canon, computed independently (python hashlib). */
	const char	*hash = "0ade9f88bdedb8fbd28b9bf0eef68967216d65ae607bb3569f2d586fa5e3f65f";
	char		 h[65];

	sv_err_init(&err);
	is_int(audit_note(a, "hello", NULL, &err), SV_OK, "a note is written");
	text = slurp(audit_path(a));
	snprintf(want, sizeof want, "%.*s,\"hash\":\"%s\"}\n", (int)strlen(canon) - 1,
	    canon, hash);
	is_str(text, want, "the line is the canonical form with the hash appended last");
	sigv4_sha256_hex(canon, strlen(canon), h);
	is_str(h, hash, "hash = sha256(line without the hash member)");
	is_str(audit_head(a), hash, "the chain head is the record's hash");
	is_int(audit_count(a), 1, "one record");
	free(text);
	audit_free(a);
	free(dir);
}

/* ---- modes ---- */

static void
test_modes(void)
{
	char		*dir = xasprintf("%s/m1/deep/audit", tmpdir), *p;
	struct audit	*a = open_log(dir, NULL);
	struct stat	 st;
	struct sv_err	 err;
	sv_result	 r;

	ok(audit_broken(a) == NULL, "a log opens in a new nested directory");
	ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700, "the audit dir is 0700");
	p = xasprintf("%s/m1/deep", tmpdir);
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0700, "created parents are 0700");
	free(p);
	ok(stat(audit_path(a), &st) == 0 && (st.st_mode & 0777) == 0600,
	    "the log file is 0600");
	ok(strlen(audit_session(a)) == 25 && audit_session(a)[15] == 'Z' &&
	    audit_session(a)[16] == '-', "the session id is YYYYMMDDTHHMMSSZ-xxxxxxxx");
	audit_free(a);

	/* A group-writable directory is refused, and the log is broken:
	 * every append fails with SV_E_AUDIT. */
	chmod(dir, 0770);
	sv_err_init(&err);
	{
		struct audit_opts o = { dir, NULL, fixed_clock };

		r = audit_open(&o, &a, &err);
	}
	is_int(r, SV_E_AUDIT, "a group-writable audit dir is refused");
	ok(strstr(err.msg, "writable") != NULL && strstr(err.msg, "chmod 700") != NULL,
	    "the message says why and how to fix it");
	ok(audit_broken(a) != NULL, "the log is marked broken");
	sv_err_init(&err);
	is_int(audit_note(a, "x", NULL, &err), SV_E_AUDIT, "appending to a broken log fails");
	audit_free(a);
	chmod(dir, 0700);

	if (geteuid() == 0) {
		char *other = xasprintf("%s/notmine", tmpdir);

		mkdir(other, 0700);
		if (chown(other, 65534, 65534) == 0) {
			sv_err_init(&err);
			is_int(audit_dir_prepare(other, &err), SV_E_AUDIT,
			    "a directory owned by someone else is refused");
			ok(strstr(err.msg, "owned by") != NULL, "the message says whose it is");
		} else {
			ok(1, "# SKIP chown failed");
			ok(1, "# SKIP chown failed");
		}
		free(other);
	} else {
		ok(1, "# SKIP not root: cannot make a directory owned by someone else");
		ok(1, "# SKIP not root");
	}
	free(dir);
}

/* ---- a complete session log to tamper with ---- */

static char *
make_log(const char *name, bool end)
{
	char		*dir = xasprintf("%s/%s", tmpdir, name), *text;
	struct audit	*a = open_log(dir, "20261121T073000Z-00000001");
	struct sv_err	 err;
	cJSON		*d;
	uint64_t	 seq;

	sv_err_init(&err);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "mode", "operate");
	audit_append(a, AUDIT_T_START, d, NULL, &err);			/* 1 */
	fake_now += 1000;
	audit_confirm(a, "create backup b1 of dynamodb://t", "b1", "b1", "tty",
	    true, &err);						/* 2 */
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "operation", "CreateBackup");
	cJSON_AddStringToObject(d, "target", "dynamodb://t");
	audit_append(a, AUDIT_T_INTENT, d, &seq, &err);			/* 3 */
	d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "intent", (double)seq);
	cJSON_AddStringToObject(d, "outcome", "ok");
	audit_append(a, AUDIT_T_RESULT, d, NULL, &err);			/* 4 */
	audit_note(a, "waiting", NULL, &err);				/* 5 */
	if (end)
		audit_end(a, 0, &err);					/* 6 */
	if (err.code != SV_OK)
		diag("make_log: %s", err.msg);
	text = slurp(audit_path(a));
	audit_free(a);
	free(dir);
	return text;
}

/* Splits text into lines (each without its newline). */
static int
split(const char *text, char *lines[16])
{
	int		 n = 0;
	const char	*p = text, *nl;

	while (*p != '\0' && n < 16 && (nl = strchr(p, '\n')) != NULL) {
		lines[n++] = xstrndup(p, (size_t)(nl - p));
		p = nl + 1;
	}
	return n;
}

static char *
join(char **lines, int n)
{
	struct buf	b;

	buf_init(&b, BUF_MAX_AUDIT_LOG);
	for (int i = 0; i < n; i++) {
		buf_adds(&b, lines[i]);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

/* Rebuilds a line's hash after its canonical part was changed: what a
 * forger with a text editor and sha256sum would do. */
static char *
rehash(const char *canon)
{
	char	h[65];

	sigv4_sha256_hex(canon, strlen(canon), h);
	return xasprintf("%.*s,\"hash\":\"%s\"}", (int)strlen(canon) - 1, canon, h);
}

static char *
canon_of(const char *line)
{
	/* strip ,"hash":"<64>"} and close the object */
	size_t	n = strlen(line) - 75;

	return xasprintf("%.*s}", (int)n, line);
}

static void
expect_bad(const char *label, const char *text, size_t len, enum audit_bad want,
    uint64_t seq)
{
	struct audit_verify	v;
	char			l[256];
	sv_result		r;

	r = audit_verify_mem(text, len, &v);
	snprintf(l, sizeof l, "%s: detected", label);
	is_int(r, SV_E_MISMATCH, l);
	snprintf(l, sizeof l, "%s: reason is %s", label, audit_bad_str(want));
	if (!tap_ok(v.bad == want, __FILE__, __LINE__, l))
		diag("got %s: %s", audit_bad_str(v.bad), v.why);
	snprintf(l, sizeof l, "%s: first bad seq is %llu", label, (unsigned long long)seq);
	is_int(v.bad_seq, seq, l);
	snprintf(l, sizeof l, "%s: the message names seq %llu", label,
	    (unsigned long long)seq);
	{
		char	s[32];

		snprintf(s, sizeof s, "seq %llu ", (unsigned long long)seq);
		ok(strncmp(v.why, s, strlen(s)) == 0, l);
	}
	audit_verify_free(&v);
}

static void
test_verify(void)
{
	char			*text = make_log("chain", true), *lines[16], *t, *c, *save;
	int			 n = split(text, lines);
	struct audit_verify	 v;

	is_int(n, 6, "the session log has 6 records");
	is_int(audit_verify_mem(text, strlen(text), &v), SV_OK, "an intact chain verifies");
	is_int(v.records, 6, "6 records counted");
	ok(v.ended, "session-end seen");
	is_int(v.nopen, 0, "every intent has its result");
	is_str(v.session, "20261121T073000Z-00000001", "the session id is read");
	audit_verify_free(&v);

	/* edit: a byte of record 3's data changes */
	t = xstrdup(text);
	c = strstr(t, "CreateBackup");
	c[0] = 'D';
	expect_bad("edit", t, strlen(t), AUDIT_BAD_HASH, 3);
	free(t);

	/* forged edit: record 3 changed and rehashed -> record 4 no longer links */
	save = lines[2];
	c = canon_of(save);
	{
		char *p = strstr(c, "dynamodb://t");

		p[11] = 'X';
	}
	lines[2] = rehash(c);
	free(c);
	t = join(lines, n);
	expect_bad("forged edit", t, strlen(t), AUDIT_BAD_LINK, 4);
	free(t);
	free(lines[2]);
	lines[2] = save;

	/* insert: a well-formed record 3 linked to record 2, before the real 3 */
	{
		char	*ins[16], *fake;
		int	 k = 0;

		c = canon_of(lines[2]);
		{
			/* change its data so it is a different record */
			char *p = strstr(c, "CreateBackup");

			memcpy(p, "DeleteTable!", 12);
		}
		fake = rehash(c);
		free(c);
		for (int i = 0; i < n; i++) {
			if (i == 2)
				ins[k++] = fake;
			ins[k++] = lines[i];
		}
		t = join(ins, k);
		expect_bad("insert", t, strlen(t), AUDIT_BAD_DUPLICATE, 3);
		free(t);
		free(fake);
	}

	/* delete record 3 */
	{
		char	*del[16];
		int	 k = 0;

		for (int i = 0; i < n; i++)
			if (i != 2)
				del[k++] = lines[i];
		t = join(del, k);
		expect_bad("delete", t, strlen(t), AUDIT_BAD_GAP, 3);
		free(t);
		t = join(lines + 1, n - 1);
		expect_bad("delete the first record", t, strlen(t), AUDIT_BAD_GAP, 1);
		free(t);
	}

	/* reorder records 3 and 4 */
	{
		char	*ro[16];

		memcpy(ro, lines, sizeof(char *) * (size_t)n);
		ro[2] = lines[3];
		ro[3] = lines[2];
		t = join(ro, n);
		expect_bad("reorder", t, strlen(t), AUDIT_BAD_REORDER, 3);
		free(t);
	}

	/* truncated: the last line cut in the middle, or its newline lost */
	expect_bad("truncated mid-line", text, strlen(text) - 40, AUDIT_BAD_TRUNCATED, 6);
	expect_bad("truncated newline", text, strlen(text) - 1, AUDIT_BAD_TRUNCATED, 6);

	/* bad JSON in record 2 */
	save = lines[1];
	lines[1] = xstrdup("{\"seq\":2,\"time\":");
	t = join(lines, n);
	expect_bad("bad JSON", t, strlen(t), AUDIT_BAD_JSON, 2);
	free(t);
	free(lines[1]);
	lines[1] = xstrdup("");
	t = join(lines, n);
	expect_bad("empty line", t, strlen(t), AUDIT_BAD_JSON, 2);
	free(t);
	free(lines[1]);
	lines[1] = xstrdup("[1,2,3]");
	t = join(lines, n);
	expect_bad("not an object", t, strlen(t), AUDIT_BAD_JSON, 2);
	free(t);
	free(lines[1]);
	lines[1] = save;

	/* a record with an extra member, rehashed */
	save = lines[1];
	c = canon_of(save);
	{
		char *x = xasprintf("%.*s,\"extra\":1}", (int)strlen(c) - 1, c);

		lines[1] = rehash(x);
		free(x);
	}
	free(c);
	t = join(lines, n);
	expect_bad("extra member", t, strlen(t), AUDIT_BAD_RECORD, 2);
	free(t);
	free(lines[1]);
	lines[1] = save;

	/* wrong genesis: record 1 relinked to a made-up predecessor */
	save = lines[0];
	c = canon_of(save);
	{
		char *p = strstr(c, "\"prev\":\"") + 8;

		memset(p, 'a', 64);
	}
	lines[0] = rehash(c);
	free(c);
	t = join(lines, n);
	expect_bad("wrong genesis", t, strlen(t), AUDIT_BAD_GENESIS, 1);
	free(t);
	free(lines[0]);
	lines[0] = save;

	/* a record after session-end: the log of another run appended */
	{
		char	*more[16];

		memcpy(more, lines, sizeof(char *) * (size_t)n);
		c = xasprintf("{\"seq\":7,\"time\":\"2026-11-21T07:31:00.000Z\","
		    "\"session\":\"20261121T073000Z-00000001\",\"type\":\"note\","
		    "\"data\":{},\"prev\":\"%s\"}", strstr(lines[5], "\"hash\":\"") + 8);
		/* the prev member above got the hash plus "}: cut it to 64 */
		{
			char *p = strstr(c, "\"prev\":\"") + 8;

			memcpy(p + 64, "\"}", 3);
		}
		more[n] = rehash(c);
		free(c);
		t = join(more, n + 1);
		expect_bad("after session-end", t, strlen(t), AUDIT_BAD_AFTER_END, 7);
		free(t);
		free(more[n]);
	}

	expect_bad("empty file", "", 0, AUDIT_BAD_EMPTY, 1);

	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(text);

	/* A session killed after its intent: intact, with an open intent. */
	text = make_log("open", false);
	n = split(text, lines);
	t = join(lines, 3);
	is_int(audit_verify_mem(t, strlen(t), &v), SV_OK,
	    "a log that stops after an intent is intact");
	ok(!v.ended, "it has no session-end");
	is_int(v.nopen, 1, "one intent without a result");
	if (v.nopen == 1) {
		is_int(v.open[0].seq, 3, "the open intent is seq 3");
		is_str(v.open[0].operation, "CreateBackup", "its operation");
		is_str(v.open[0].target, "dynamodb://t", "its target");
	}
	audit_verify_free(&v);
	free(t);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(text);
}

/* ---- scrubbing ---- */

static void
test_scrub(void)
{
	cJSON	*j;
	char	*s, **argv;
	const char *secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

	ok(audit_secret_name("SecretAccessKey"), "SecretAccessKey is a secret name");
	ok(audit_secret_name("aws_session_token"), "aws_session_token is");
	ok(audit_secret_name("X-Amz-Security-Token"), "X-Amz-Security-Token is");
	ok(audit_secret_name("Authorization"), "Authorization is");
	ok(audit_secret_name("MasterUserPassword"), "MasterUserPassword is");
	ok(audit_secret_name("x-amz-server-side-encryption-customer-key"),
	    "the SSE-C key header is");
	ok(!audit_secret_name("TableName"), "TableName is not");
	ok(!audit_secret_name("Key"), "Key is not");
	ok(audit_secret_value("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
	    "&X-Amz-Credential=AKIA%2F&X-Amz-Signature=abcd"), "a presigned URL is secret");
	ok(audit_secret_value("AWS4-HMAC-SHA256 Credential=AKIA/20261121/us-east-1/s3/aws4_request, "
	    "SignedHeaders=host, Signature=abc"), "an Authorization value is secret");
	ok(!audit_secret_value("dynamodb://orders"), "a resource URI is not");

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "SecretAccessKey", secret);
	cJSON_AddStringToObject(j, "TableName", "orders");
	{
		cJSON *h = cJSON_AddObjectToObject(j, "headers");

		cJSON_AddStringToObject(h, "X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLETOKEN");
		cJSON_AddStringToObject(h, "Authorization",
		    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature=deadbeef");
		cJSON_AddStringToObject(h, "Content-Type", "application/json");
	}
	{
		cJSON *a = cJSON_AddArrayToObject(j, "urls");

		cJSON_AddItemToArray(a, cJSON_CreateString(
		    "https://b/k?X-Amz-Signature=feedface"));
		cJSON_AddItemToArray(a, cJSON_CreateString("plain"));
	}
	{
		cJSON *n = cJSON_AddObjectToObject(j, "nested");

		cJSON_AddItemToObject(n, "db_password", cJSON_CreateObject());
		cJSON_AddStringToObject(n, "ClientToken", "tok-123");
	}
	cJSON_AddStringToObject(j, "bad\xff" "utf8", "a\xc3(b");
	audit_scrub(j);
	s = cJSON_PrintUnformatted(j);
	ok(strstr(s, secret) == NULL, "the secret key is gone");
	ok(strstr(s, "EXAMPLETOKEN") == NULL, "the session token is gone");
	ok(strstr(s, "deadbeef") == NULL, "the Authorization header is gone");
	ok(strstr(s, "feedface") == NULL, "the presigned URL is gone");
	ok(strstr(s, "tok-123") == NULL, "anything named *token* is gone");
	ok(strstr(s, "\"db_password\":\"" AUDIT_REDACTED "\"") != NULL,
	    "a secret-named object is replaced whole");
	ok(strstr(s, "\"SecretAccessKey\":\"" AUDIT_REDACTED "\"") != NULL,
	    "a secret is replaced under its own name");
	ok(strstr(s, "\"TableName\":\"orders\"") != NULL, "ordinary values stay");
	ok(strstr(s, "application/json") != NULL, "ordinary headers stay");
	ok(strstr(s, "\"plain\"") != NULL, "ordinary array members stay");
	ok(strstr(s, "\xff") == NULL && strstr(s, "\xc3(") == NULL,
	    "invalid UTF-8 is replaced");
	free(s);
	cJSON_Delete(j);

	{
		char *av[] = { "salvage", "--token", "abc123", "--password=hunter2",
		    "https://x/y?X-Amz-Signature=zz", "backup", "dynamodb://t", NULL };

		argv = av;
		j = audit_argv_json(7, argv);
		s = cJSON_PrintUnformatted(j);
		ok(strstr(s, "abc123") == NULL && strstr(s, "hunter2") == NULL &&
		    strstr(s, "X-Amz-Signature") == NULL, "secrets on the command line are gone");
		ok(strstr(s, "\"--password=" AUDIT_REDACTED "\"") != NULL &&
		    strstr(s, "\"dynamodb://t\"") != NULL, "the rest of the command line stays");
		free(s);
		cJSON_Delete(j);
	}
}

/* ---- the gate ---- */

static void
test_gate(void)
{
	char		*dir = xasprintf("%s/gate", tmpdir), *text;
	struct audit	*a = open_log(dir, "20261121T073000Z-0000ga7e");
	struct aws_gate	 g;
	struct aws_call	 call;
	struct aws_kv	 hv[2] = {
		{ "X-Amz-Security-Token", "FQoGZXIvYXdzSESSIONTOKEN" },
		{ "Content-Type", "application/x-amz-json-1.0" },
	};
	struct aws_response resp;
	struct sv_err	 err;
	uint64_t	 id = 99;
	const char	*body = "{\"TableName\":\"orders\",\"BackupName\":\"b1\","
	    "\"SecretKey\":\"s3cr3tvalue\"}";

	audit_gate(a, &g);
	memset(&call, 0, sizeof call);
	call.op = OP_DDB_CreateBackup;
	call.headers.v = hv;
	call.headers.n = 2;
	call.body = body;
	call.body_len = strlen(body);
	call.target = "dynamodb://orders";
	sv_err_init(&err);
	is_int(g.intent(g.data, aws_op_get(OP_DDB_CreateBackup), &call, &id, &err), SV_OK,
	    "intent() succeeds");
	is_int(id, 1, "the intent id is its seq");
	/* Durable on return: it is in the file already. */
	text = slurp(audit_path(a));
	ok(strstr(text, "\"type\":\"intent\"") != NULL &&
	    strstr(text, "\"operation\":\"CreateBackup\"") != NULL &&
	    strstr(text, "\"target\":\"dynamodb://orders\"") != NULL,
	    "the intent record is in the file when intent() returns");
	ok(strstr(text, "\"BackupName\":\"b1\"") != NULL, "the parameters are recorded");
	ok(strstr(text, "SESSIONTOKEN") == NULL && strstr(text, "s3cr3tvalue") == NULL,
	    "no secret is recorded");
	free(text);

	memset(&resp, 0, sizeof resp);
	resp.result = SV_OK;
	resp.status = 200;
	resp.request_id = "REQ-1";
	resp.attempts = 1;
	g.result(g.data, aws_op_get(OP_DDB_CreateBackup), id, &resp);
	text = slurp(audit_path(a));
	ok(strstr(text, "\"type\":\"result\",\"data\":{\"intent\":1,") != NULL &&
	    strstr(text, "\"request_id\":\"REQ-1\"") != NULL,
	    "the result names the intent and the request id");
	free(text);

	/* The exemption for the log's own upload is narrow. */
	audit_add_own_dest(a, "audit-bucket", "logs/");
	memset(&call, 0, sizeof call);
	call.op = OP_S3_PutObject;
	call.method = "PUT";
	call.bucket = "audit-bucket";
	call.key = "logs/123456789012/2026/11/21/20261121T073000Z-0000ga7e.jsonl";
	ok(g.exempt(g.data, aws_op_get(OP_S3_PutObject), &call),
	    "PutObject of the log under the audit prefix is exempt");
	id = 99;
	is_int(g.intent(g.data, aws_op_get(OP_S3_PutObject), &call, &id, &err), SV_OK,
	    "intent() lets the own upload pass");
	is_int(id, 0, "without writing an intent");
	is_int(audit_count(a), 2, "no record was added");
	call.bucket = "other-bucket";
	ok(!g.exempt(g.data, aws_op_get(OP_S3_PutObject), &call), "another bucket is not");
	call.bucket = "audit-bucket";
	call.key = "data/x.jsonl";
	ok(!g.exempt(g.data, aws_op_get(OP_S3_PutObject), &call), "a key outside the prefix is not");
	call.key = "logs/../data/x.jsonl";
	ok(!g.exempt(g.data, aws_op_get(OP_S3_PutObject), &call), "a dot-dot key is not");
	call.key = "logs/123456789012/2026/11/21/x.csv";
	ok(!g.exempt(g.data, aws_op_get(OP_S3_PutObject), &call), "another file name is not");
	call.key = "logs/123456789012/2026/11/21/x.jsonl";
	{
		struct aws_kv acl[1] = { { "x-amz-acl", "public-read" } };

		call.headers.v = acl;
		call.headers.n = 1;
		ok(!g.exempt(g.data, aws_op_get(OP_S3_PutObject), &call),
		    "an upload with an ACL header is not");
		call.headers.n = 0;
	}
	ok(!g.exempt(g.data, aws_op_get(OP_S3_DeleteObject), &call),
	    "DeleteObject under the prefix is not");
	ok(!g.exempt(g.data, aws_op_get(OP_S3_CopyObject), &call), "CopyObject is not");


	/* When the log cannot be written, intent() refuses. */
	{
		struct rlimit	 old, rl;
		char		 big[8192];

		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		signal(SIGXFSZ, SIG_IGN);
		getrlimit(RLIMIT_FSIZE, &old);
		rl = old;
		rl.rlim_cur = 4096;
		setrlimit(RLIMIT_FSIZE, &rl);
		memset(&call, 0, sizeof call);
		call.op = OP_DDB_CreateBackup;
		call.body = "{}";
		call.body_len = 2;
		call.target = big;
		sv_err_init(&err);
		is_int(g.intent(g.data, aws_op_get(OP_DDB_CreateBackup), &call, &id, &err),
		    SV_E_AUDIT, "intent() fails with SV_E_AUDIT when the write fails");
		ok(strstr(err.msg, "no change is made") != NULL, "and says no change is made");
		setrlimit(RLIMIT_FSIZE, &old);
	}
	text = slurp(audit_path(a));
	{
		struct audit_verify v;

		is_int(audit_verify_mem(text, strlen(text), &v), SV_OK,
		    "the failed write left no partial record behind");
		audit_verify_free(&v);
	}
	free(text);
	audit_free(a);
	free(dir);
}

/* ---- unfinished sessions ---- */

static void
test_unfinished(void)
{
	char		*dir = xasprintf("%s/unf", tmpdir), *s;
	struct audit	*a, *b;
	struct sv_err	 err;
	cJSON		*d, *u;

	sv_err_init(&err);
	a = open_log(dir, "20261121T070000Z-0000dead");
	audit_note(a, "start", NULL, &err);
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "operation", "CreateBackup");
	cJSON_AddStringToObject(d, "target", "dynamodb://orders");
	audit_append(a, AUDIT_T_INTENT, d, NULL, &err);

	b = open_log(dir, "20261121T080000Z-0000beef");
	u = audit_scan_unfinished(dir, audit_session(b));
	is_int(cJSON_GetArraySize(u), 0, "a live session (log locked) is not unfinished");
	cJSON_Delete(u);
	audit_free(a);	/* as if killed: the lock goes away */

	u = audit_scan_unfinished(dir, audit_session(b));
	s = cJSON_PrintUnformatted(u);
	is_str(s, "[{\"session\":\"20261121T070000Z-0000dead\",\"seq\":2,"
	    "\"operation\":\"CreateBackup\",\"target\":\"dynamodb://orders\"}]",
	    "a dead session's intent without result is found");
	free(s);
	cJSON_Delete(u);
	u = audit_scan_unfinished(dir, audit_session(b));
	is_int(cJSON_GetArraySize(u), 0, "and noted only once");
	cJSON_Delete(u);
	audit_free(b);
	free(dir);
}

/* ---- config file ---- */

static void
test_conf(void)
{
	struct conf	 c;
	struct sv_err	 err;
	const char	*t = "# salvage\n\naudit_s3 = s3://audit/logs/ \n"
	    "audit_lock_mode=COMPLIANCE\n  audit_lock_days = 30\n";
	long		 days;

	memset(&c, 0, sizeof c);
	sv_err_init(&err);
	is_int(conf_parse(&c, t, strlen(t), "config", &err), SV_OK, "config parses");
	is_str(conf_get(&c, "audit_s3"), "s3://audit/logs/", "audit_s3 (trimmed)");
	is_str(conf_get(&c, "audit_lock_mode"), "COMPLIANCE", "audit_lock_mode");
	is_int(conf_get_int(&c, "audit_lock_days", 1, 36500, 365, &days, &err), SV_OK,
	    "audit_lock_days is a number");
	is_int(days, 30, "audit_lock_days");
	ok(conf_get(&c, "nope") == NULL, "absent key");
	conf_free(&c);
	memset(&c, 0, sizeof c);
	is_int(conf_parse(&c, "audit_s3\n", 9, "config", &err), SV_E_CONFIG,
	    "a line without '=' is an error");
	ok(strstr(err.msg, "config:1") != NULL, "naming the line");
	conf_free(&c);
}

/* ---- shipping destination, object key, checksum ---- */

static void
test_dest(void)
{
	struct audit_dest	 d;
	struct sv_err		 err;
	struct conf		 c;
	bool			 found;
	char			*k, sum[S3W_CHECKSUM_LEN];
	const char		*cf = "audit_s3 = s3://cfg-bucket/trail\n"
	    "audit_lock_mode = compliance\naudit_lock_days = 7\n";

	sv_err_init(&err);
	is_int(audit_dest_parse("s3://audit/logs", &d, &err), SV_OK, "s3://audit/logs parses");
	is_str(d.bucket, "audit", "bucket");
	is_str(d.prefix, "logs/", "the prefix gets a trailing slash");
	is_str(d.lock_mode, "GOVERNANCE", "default lock mode");
	is_int(d.lock_days, 365, "default lock days");
	k = audit_object_key(&d, "123456789012", "20261121T073000Z-0badc0de", ".jsonl");
	is_str(k, "logs/123456789012/2026/11/21/20261121T073000Z-0badc0de.jsonl",
	    "object key PREFIX/ACCOUNT/YYYY/MM/DD/SESSION.jsonl");
	free(k);
	audit_dest_free(&d);
	is_int(audit_dest_parse("s3://audit", &d, &err), SV_OK, "a bucket without prefix");
	is_str(d.prefix, "", "... has an empty prefix");
	audit_dest_free(&d);
	sv_err_init(&err);
	is_int(audit_dest_parse("https://x/y", &d, &err), SV_E_USAGE, "not s3:// is refused");
	sv_err_init(&err);
	is_int(audit_dest_parse("s3://b/a/../c/", &d, &err), SV_E_USAGE, "'..' is refused");

	memset(&c, 0, sizeof c);
	sv_err_init(&err);
	conf_parse(&c, cf, strlen(cf), "config", &err);
	unsetenv("SALVAGE_AUDIT_S3");
	is_int(audit_dest_resolve(NULL, &c, &d, &found, &err), SV_OK, "resolve from config");
	ok(found && strcmp(d.uri, "s3://cfg-bucket/trail/") == 0, "config audit_s3 is used");
	is_str(d.lock_mode, "COMPLIANCE", "lock mode from config (uppercased)");
	is_int(d.lock_days, 7, "lock days from config");
	audit_dest_free(&d);
	setenv("SALVAGE_AUDIT_S3", "s3://env-bucket/", 1);
	audit_dest_resolve(NULL, &c, &d, &found, &err);
	is_str(d.bucket, "env-bucket", "SALVAGE_AUDIT_S3 beats the config");
	audit_dest_free(&d);
	audit_dest_resolve("s3://cli-bucket/p/", &c, &d, &found, &err);
	is_str(d.bucket, "cli-bucket", "--audit-s3 beats both");
	audit_dest_free(&d);
	unsetenv("SALVAGE_AUDIT_S3");
	conf_free(&c);
	memset(&c, 0, sizeof c);
	audit_dest_resolve(NULL, &c, &d, &found, &err);
	ok(!found, "no destination configured: none");

	s3w_checksum_sha256("", 0, sum);
	is_str(sum, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
	    "x-amz-checksum-sha256 of the empty body");
	s3w_checksum_sha256("abc", 3, sum);
	is_str(sum, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
	    "x-amz-checksum-sha256 of 'abc'");
}

int
main(void)
{
	const char	*base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test-audit.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	umask(022);
	test_canonical();
	test_modes();
	test_verify();
	test_scrub();
	test_gate();
	test_unfinished();
	test_conf();
	test_dest();
	if (getenv("SALVAGE_TEST_KEEP") == NULL) {
		char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		if (system(cmd) != 0)
			diag("could not remove %s", tmpdir);
		free(cmd);
	}
	return done_testing();
}
