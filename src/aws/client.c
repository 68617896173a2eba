/* client.c - the AWS client: a typed call goes in; the client enforces
 * the read-only/audit gate, builds the request for the service's protocol,
 * signs every attempt (SigV4 with the engine's clock-skew estimate),
 * sends it through the HTTP engine and classifies the answer.
 *
 * THE GATE. A mutating operation (ops.c) is refused, without touching
 * the network, unless the process runs with --operate AND the registered
 * audit gate has made an intent record durable. This is the only place
 * read-only mode is enforced; nothing above can bypass it. A refused call
 * completes through the engine like any other (from its processing, never
 * from inside aws_send): its prepare hook fails before anything is sent. */
#include <config.h>	/* the build's, not aws/config.h next to this file */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/endpoint.h"
#include "aws/errors.h"
#include "aws/sigv4.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

#define AWS_DEFAULT_REGION	"us-east-1"

struct aws_client {
	struct aws_config		 cfg;
	char				*region;
	char				*endpoint[AWS_SVC__COUNT];
	struct http_engine		*eng;
	/* Credentials are fetched (IMDS, STS, containers) on their own
	 * engine: fetching may block inside a prepare hook of this one. */
	struct http_engine		*creds_eng;
	struct aws_creds_provider	*creds;
	bool				 operate;
	bool				 has_gate;
	struct aws_gate			 gate;
};

struct aws_pending {
	struct aws_client	*cl;
	const struct aws_op	*op;
	struct aws_call		 call;		/* deep copy */
	char			*body;		/* owned: the call's body or the form */
	size_t			 body_len;
	char			 payload_hash[65];
	aws_done_fn		 done;
	void			*ud;
	struct http_handle	*h;
	struct sv_err		 refused;	/* set: never sent */
	bool			 gated;
	uint64_t		 intent_id;
	char			*region;	/* S3 bucket region learnt from a redirect */
	bool			 region_retried;
	bool			 creds_retried;
	char			 ctx[512];	/* "S3 ListObjectVersions on bucket 'x'" */
	char			*target;
};

/* ---- small containers -------------------------------------------------- */

void
aws_kvlist_add(struct aws_kvlist *l, const char *name, const char *value)
{
	if (l->n == l->cap) {
		l->cap = l->cap != 0 ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].name = xstrdup(name);
	l->v[l->n].value = value != NULL ? xstrdup(value) : NULL;
	l->n++;
}

void
aws_kvlist_addf(struct aws_kvlist *l, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	*v;

	va_start(ap, fmt);
	if (vasprintf(&v, fmt, ap) == -1)
		abort();
	va_end(ap);
	aws_kvlist_add(l, name, v);
	free(v);
}

void
aws_kvlist_free(struct aws_kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void
kvlist_copy(struct aws_kvlist *dst, const struct aws_kvlist *src)
{
	memset(dst, 0, sizeof *dst);
	for (size_t i = 0; i < src->n; i++)
		aws_kvlist_add(dst, src->v[i].name, src->v[i].value);
}

void
aws_call_init(struct aws_call *c, enum aws_op_id op)
{
	memset(c, 0, sizeof *c);
	c->op = op;
}

void
aws_call_free(struct aws_call *c)
{
	aws_kvlist_free(&c->query);
	aws_kvlist_free(&c->params);
	aws_kvlist_free(&c->headers);
}

void
aws_response_init(struct aws_response *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->body, BUF_MAX_HTTP_BODY);
	sv_err_init(&r->err);
}

void
aws_response_free(struct aws_response *r)
{
	http_headers_free(&r->headers);
	buf_free(&r->body);
	aws_response_init(r);
}

/* ---- the client -------------------------------------------------------- */

static char *
trim_slashes(const char *url)
{
	char	*s = xstrdup(url);
	size_t	 n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

struct aws_client *
aws_client_new(const struct aws_options *options, struct sv_err *err)
{
	struct aws_options	 none;
	struct aws_client	*cl;
	struct http_engine_opts	 eo;

	if (options == NULL) {
		memset(&none, 0, sizeof none);
		options = &none;
	}
	cl = xcalloc(1, sizeof *cl);
	if (aws_config_load(&cl->cfg, options, err) != SV_OK) {
		aws_config_free(&cl->cfg);
		free(cl);
		return NULL;
	}
	if (cl->cfg.region != NULL && *cl->cfg.region != '\0') {
		cl->region = xstrdup(cl->cfg.region);
		sv_debug("region %s (from %s)", cl->region,
		    cl->cfg.region_source != NULL ? cl->cfg.region_source : "?");
	} else {
		cl->region = xstrdup(AWS_DEFAULT_REGION);
		sv_debug("no region configured (--region, AWS_REGION, "
		    "AWS_DEFAULT_REGION or the profile's region): using %s",
		    AWS_DEFAULT_REGION);
	}
	for (int s = 0; s < AWS_SVC__COUNT; s++) {
		if (cl->cfg.endpoint[s] != NULL) {
			cl->endpoint[s] = trim_slashes(cl->cfg.endpoint[s]);
			sv_debug("%s endpoint %s (from %s)",
			    aws_service_title((enum aws_service)s), cl->endpoint[s],
			    cl->cfg.endpoint_source[s] != NULL ?
			    cl->cfg.endpoint_source[s] : "?");
		} else
			cl->endpoint[s] = aws_endpoint_default((enum aws_service)s,
			    cl->region);
	}
	if (cl->cfg.retry_mode != NULL &&
	    strcmp(cl->cfg.retry_mode, "standard") != 0)
		sv_debug("retry mode '%s' requested; salvage always uses "
		    "'standard'", cl->cfg.retry_mode);

	memset(&eo, 0, sizeof eo);
	eo.ca_bundle = cl->cfg.ca_bundle;
	eo.max_attempts = cl->cfg.max_attempts;
	if ((cl->eng = http_engine_new(&eo, err)) == NULL ||
	    (cl->creds_eng = http_engine_new(&eo, err)) == NULL) {
		aws_client_free(cl);
		return NULL;
	}
	cl->creds = aws_creds_provider_new(&cl->cfg, cl->creds_eng);
	return cl;
}

void
aws_client_free(struct aws_client *cl)
{
	if (cl == NULL)
		return;
	/* Cancels whatever is pending: their done() callbacks run now. */
	if (cl->eng != NULL)
		http_engine_free(cl->eng);
	if (cl->creds != NULL)
		aws_creds_provider_free(cl->creds);
	if (cl->creds_eng != NULL)
		http_engine_free(cl->creds_eng);
	for (int s = 0; s < AWS_SVC__COUNT; s++)
		free(cl->endpoint[s]);
	free(cl->region);
	aws_config_free(&cl->cfg);
	free(cl);
}

void
aws_client_set_operate(struct aws_client *cl, bool on)
{
	cl->operate = on;
}

bool
aws_client_operate(const struct aws_client *cl)
{
	return cl->operate;
}

void
aws_client_set_gate(struct aws_client *cl, const struct aws_gate *g)
{
	if (g == NULL || g->intent == NULL) {
		cl->has_gate = false;
		memset(&cl->gate, 0, sizeof cl->gate);
		return;
	}
	cl->gate = *g;
	cl->has_gate = true;
}

const struct aws_config *
aws_client_config(const struct aws_client *cl)
{
	return &cl->cfg;
}

struct http_engine *
aws_client_engine(struct aws_client *cl)
{
	return cl->eng;
}

sv_result
aws_client_creds(struct aws_client *cl, const struct aws_creds **out,
    struct sv_err *err)
{
	return aws_creds_get(cl->creds, out, err);
}

const char *
aws_client_region(const struct aws_client *cl)
{
	return cl->region;
}

const char *
aws_client_endpoint(struct aws_client *cl, enum aws_service svc)
{
	return cl->endpoint[svc];
}

bool
aws_client_custom_endpoint(const struct aws_client *cl, enum aws_service svc)
{
	return cl->cfg.endpoint[svc] != NULL;
}

/* ---- building a request ------------------------------------------------ */

static const char *
call_method(const struct aws_pending *p)
{
	if (p->call.method != NULL)
		return p->call.method;
	switch (aws_service_protocol(p->op->service)) {
	case AWS_PROTO_JSON:
	case AWS_PROTO_QUERY:
		return "POST";
	case AWS_PROTO_REST_XML:
	case AWS_PROTO_REST_JSON:
		break;
	}
	return "GET";
}

/* Query protocol: Action=Op&Version=V&name=value..., RFC 3986. */
static void
build_form(struct aws_pending *p)
{
	struct buf	b;
	sv_result	r;

	buf_init(&b, BUF_MAX_REQUEST_BODY);
	r = buf_addf(&b, "Action=%s&Version=%s", p->op->name,
	    aws_service_api_version(p->op->service));
	for (size_t i = 0; i < p->call.params.n && r == SV_OK; i++) {
		const struct aws_kv *kv = &p->call.params.v[i];

		r = buf_addc(&b, '&');
		if (r == SV_OK)
			r = str_uri_encode(&b, kv->name, strlen(kv->name), false);
		if (r == SV_OK)
			r = buf_addc(&b, '=');
		if (r == SV_OK && kv->value != NULL)
			r = str_uri_encode(&b, kv->value, strlen(kv->value), false);
	}
	if (r != SV_OK)
		sv_err_set(&p->refused, SV_E_TOOLARGE, "%s: the request body "
		    "is larger than %u MiB", p->ctx, BUF_MAX_REQUEST_BODY >> 20);
	p->body_len = b.len;
	p->body = buf_detach(&b);
	buf_free(&b);
}

static void
describe_call(struct aws_pending *p)
{
	const struct aws_call	*c = &p->call;
	const char		*title = aws_service_title(p->op->service);

	if (p->op->service == AWS_SVC_S3 && c->bucket != NULL &&
	    c->key != NULL && *c->key != '\0')
		snprintf(p->ctx, sizeof p->ctx, "%s %s on 's3://%s/%s'", title,
		    p->op->name, c->bucket, c->key);
	else if (p->op->service == AWS_SVC_S3 && c->bucket != NULL)
		snprintf(p->ctx, sizeof p->ctx, "%s %s on bucket '%s'", title,
		    p->op->name, c->bucket);
	else if (c->target != NULL)
		snprintf(p->ctx, sizeof p->ctx, "%s %s on '%s'", title,
		    p->op->name, c->target);
	else
		snprintf(p->ctx, sizeof p->ctx, "%s %s", title, p->op->name);

	if (c->target != NULL)
		p->target = xstrdup(c->target);
	else if (p->op->service == AWS_SVC_S3 && c->bucket != NULL)
		p->target = xasprintf("s3://%s/%s", c->bucket,
		    c->key != NULL ? c->key : "");
	else
		p->target = xasprintf("the %s account", title);
}

static void
copy_call(struct aws_pending *p, const struct aws_call *c)
{
	struct aws_call	*d = &p->call;

	aws_call_init(d, c->op);
	d->method = c->method != NULL ? xstrdup(c->method) : NULL;
	d->bucket = c->bucket != NULL ? xstrdup(c->bucket) : NULL;
	d->key = c->key != NULL ? xstrdup(c->key) : NULL;
	d->path = c->path != NULL ? xstrdup(c->path) : NULL;
	d->region = c->region != NULL ? xstrdup(c->region) : NULL;
	d->target = c->target != NULL ? xstrdup(c->target) : NULL;
	kvlist_copy(&d->query, &c->query);
	kvlist_copy(&d->params, &c->params);
	kvlist_copy(&d->headers, &c->headers);
	d->timeout_extra_ms = c->timeout_extra_ms;
}

static void
pending_free(struct aws_pending *p)
{
	struct aws_call	*c = &p->call;

	free((char *)c->method);
	free((char *)c->bucket);
	free((char *)c->key);
	free((char *)c->path);
	free((char *)c->region);
	free((char *)c->target);
	aws_call_free(c);
	free(p->body);
	free(p->region);
	free(p->target);
	free(p);
}

/* The gate: --operate, then a durable audit intent. */
static void
gate_check(struct aws_client *cl, struct aws_pending *p)
{
	struct sv_err	e;
	sv_result	r;

	/* The audit log's own upload (see aws_gate.exempt): the client
	 * accepts an exemption for PutObject only, whatever exempt() says. */
	if (cl->has_gate && cl->gate.exempt != NULL &&
	    p->op->id == OP_S3_PutObject &&
	    cl->gate.exempt(cl->gate.data, p->op, &p->call)) {
		sv_debug("%s: audit log upload, exempt from the gate", p->ctx);
		return;
	}
	if (!cl->operate) {
		sv_err_set(&p->refused, SV_E_READONLY, "refused: %s would change "
		    "%s; salvage is read-only. Re-run with --operate to allow "
		    "changes.", p->op->name, p->target);
		return;
	}
	if (!cl->has_gate) {
		sv_err_set(&p->refused, SV_E_AUDIT, "refused: %s on %s: no audit "
		    "log is open; changes are refused", p->op->name, p->target);
		return;
	}
	sv_err_init(&e);
	r = cl->gate.intent(cl->gate.data, p->op, &p->call, &p->intent_id, &e);
	if (r != SV_OK) {
		sv_err_set(&p->refused, r, "refused: %s on %s: the audit intent "
		    "could not be recorded: %s", p->op->name, p->target,
		    e.msg[0] != '\0' ? e.msg : sv_result_str(r));
		return;
	}
	p->gated = true;
}

static bool
call_has_header(const struct aws_pending *p, const char *name)
{
	for (size_t i = 0; i < p->call.headers.n; i++)
		if (str_ieq(p->call.headers.v[i].name, name))
			return true;
	return false;
}

static void
debug_lines(const char *title, const char *text)
{
	const char	*p = text, *nl;
	size_t		 n;

	sv_debug("  %s:", title);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n >= 21 && strncmp(p, "x-amz-security-token:", 21) == 0)
			sv_debug("    x-amz-security-token:<redacted>");
		else
			sv_debug("    %.*s", (int)n, p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static sv_result
client_prepare(void *ud, struct http_send *out, int attempt, int64_t skew_ms,
    struct sv_err *err)
{
	struct aws_pending	*p = ud;
	struct aws_client	*cl = p->cl;
	enum aws_service	 svc = p->op->service;
	enum aws_protocol	 proto = aws_service_protocol(svc);
	const struct aws_creds	*cr;
	struct aws_url		 u;
	struct sigv4_request	 sreq;
	struct sigv4_params	 sp;
	struct sigv4_result	 sres;
	struct sigv4_header	*sh = NULL;
	const char		*region, *base;
	char			*tmpbase = NULL, amz_date[17], target[128];
	bool			 custom = aws_client_custom_endpoint(cl, svc);
	sv_time			 now;
	sv_result		 result;

	aws_url_init(&u);
	sigv4_result_init(&sres);
	if (p->refused.code != SV_OK) {
		*err = p->refused;
		result = p->refused.code;
		goto fail;
	}
	if ((result = aws_creds_get(cl->creds, &cr, err)) != SV_OK) {
		sv_err_prefix(err, "%s", p->ctx);
		goto fail;
	}

	region = p->region != NULL ? p->region :
	    p->call.region != NULL ? p->call.region : cl->region;
	if (custom || strcmp(region, cl->region) == 0)
		base = cl->endpoint[svc];
	else
		base = tmpbase = aws_endpoint_default(svc, region);
	if ((result = aws_url_build(&u, base, custom, svc, p->op->id,
	    p->call.bucket, p->call.key, p->call.path, &p->call.query,
	    err)) != SV_OK)
		goto fail;

	now = sv_time_now() + skew_ms;
	sv_time_format_amz(now, amz_date);
	out->method = xstrdup(call_method(p));
	if ((result = buf_adds(&out->url, buf_str(&u.url))) != SV_OK) {
		sv_err_set(err, result, "%s: request URL too long", p->ctx);
		goto fail;
	}
	http_headers_add(&out->headers, "Host", u.host);
	http_headers_add(&out->headers, "X-Amz-Date", amz_date);
	if (svc == AWS_SVC_S3)
		http_headers_add(&out->headers, "x-amz-content-sha256",
		    p->payload_hash);
	if (cr->session_token != NULL && *cr->session_token != '\0')
		http_headers_add(&out->headers, "X-Amz-Security-Token",
		    cr->session_token);
	switch (proto) {
	case AWS_PROTO_JSON:
		snprintf(target, sizeof target, "%s.%s",
		    aws_service_json_target(svc), p->op->name);
		http_headers_add(&out->headers, "X-Amz-Target", target);
		if (!call_has_header(p, "Content-Type"))
			http_headers_add(&out->headers, "Content-Type",
			    aws_service_json_type(svc));
		break;
	case AWS_PROTO_QUERY:
		if (!call_has_header(p, "Content-Type"))
			http_headers_add(&out->headers, "Content-Type",
			    "application/x-www-form-urlencoded; charset=utf-8");
		break;
	case AWS_PROTO_REST_JSON:
		if (p->body_len > 0 && !call_has_header(p, "Content-Type"))
			http_headers_add(&out->headers, "Content-Type",
			    "application/json");
		break;
	case AWS_PROTO_REST_XML:
		break;
	}
	for (size_t i = 0; i < p->call.headers.n; i++)
		http_headers_add(&out->headers, p->call.headers.v[i].name,
		    p->call.headers.v[i].value != NULL ?
		    p->call.headers.v[i].value : "");

	/* Sign every header we send (curl adds only Content-Length,
	 * User-Agent and Accept, none of which need signing). */
	sh = xcalloc(out->headers.n, sizeof *sh);
	for (size_t i = 0; i < out->headers.n; i++) {
		sh[i].name = out->headers.v[i].name;
		sh[i].value = out->headers.v[i].value;
	}
	memset(&sreq, 0, sizeof sreq);
	sreq.method = out->method;
	sreq.path = buf_str(&u.path);
	sreq.query = buf_str(&u.query);
	sreq.headers = sh;
	sreq.nheaders = out->headers.n;
	sreq.body = p->body;
	sreq.body_len = p->body_len;
	sreq.payload_hash = svc == AWS_SVC_S3 ? p->payload_hash : NULL;
	memset(&sp, 0, sizeof sp);
	sp.access_key_id = cr->access_key_id;
	sp.secret_access_key = cr->secret_access_key;
	sp.session_token = cr->session_token;
	sp.region = region;
	sp.service = aws_service_name(svc);
	sp.now = now;
	sp.s3 = svc == AWS_SVC_S3;
	sp.normalize = svc != AWS_SVC_S3;
	if ((result = sigv4_sign(&sreq, &sp, &sres, err)) != SV_OK) {
		sv_err_prefix(err, "%s: signing", p->ctx);
		goto fail;
	}
	http_headers_add(&out->headers, "Authorization",
	    buf_str(&sres.authorization));

	out->body = p->body;
	out->body_len = p->body_len;
	out->idempotent = p->op->idempotent;
	out->timeout_extra_ms = p->call.timeout_extra_ms;

	if (sv_log_debug_enabled()) {
		sv_debug("%s: attempt %d: %s %s", p->ctx, attempt, out->method,
		    buf_str(&out->url));
		if (attempt == 1)
			sv_debug("  credentials from %s; region %s", cr->source,
			    region);
		if (skew_ms != 0)
			sv_debug("  signing with a clock-skew correction of %+lld ms",
			    (long long)skew_ms);
		debug_lines("canonical request", buf_str(&sres.canonical_request));
		debug_lines("string to sign", buf_str(&sres.string_to_sign));
	}
	result = SV_OK;
fail:
	free(sh);
	free(tmpbase);
	sigv4_result_free(&sres);
	aws_url_free(&u);
	return result;
}

/* ---- classifying the answer -------------------------------------------- */

static bool
is_head(const struct aws_pending *p)
{
	return strcmp(call_method(p), "HEAD") == 0;
}

static bool
s3_error_in_200(const struct aws_pending *p, const struct buf *body)
{
	return p->op->service == AWS_SVC_S3 && aws_s3_may_error_in_200(p->op->id) &&
	    aws_s3_body_is_error(body->ptr, body->len);
}

static enum http_retry
client_classify(void *ud, const struct http_response *r)
{
	struct aws_pending	*p = ud;
	struct aws_client	*cl = p->cl;
	enum aws_protocol	 proto = aws_service_protocol(p->op->service);
	struct aws_error	 e;
	const char		*cur;

	if (r->status >= 200 && r->status < 300) {
		if (s3_error_in_200(p, &r->body)) {
			aws_error_parse(proto, r->status, &r->headers, r->body.ptr,
			    r->body.len, false, &e);
			sv_debug("%s: 200 OK carrying an error: %s", p->ctx, e.code);
			/* Treated as the 5xx it stands for. */
			return aws_error_retry(500, e.code, e.message);
		}
		if (p->op->service == AWS_SVC_DYNAMODB &&
		    !aws_crc32_ok(&r->headers, r->body.ptr, r->body.len)) {
			sv_debug("%s: response body fails its x-amz-crc32 check",
			    p->ctx);
			return HTTP_RETRY_TRANSIENT;
		}
		return HTTP_NO_RETRY;
	}
	aws_error_parse(proto, r->status, &r->headers, r->body.ptr, r->body.len,
	    is_head(p), &e);
	if (aws_error_is_expired_token(e.code) && !p->creds_retried) {
		p->creds_retried = true;
		sv_debug("%s: %s: refreshing the credentials", p->ctx, e.code);
		aws_creds_invalidate(cl->creds);
		return HTTP_RETRY_RESIGN;
	}
	if (p->op->service == AWS_SVC_S3 && p->call.bucket != NULL &&
	    !p->region_retried && e.region[0] != '\0' &&
	    (r->status == 301 || (r->status == 400 &&
	    strcmp(e.code, "AuthorizationHeaderMalformed") == 0))) {
		cur = p->region != NULL ? p->region : p->call.region != NULL ?
		    p->call.region : cl->region;
		if (strcmp(cur, e.region) != 0) {
			p->region_retried = true;
			free(p->region);
			p->region = xstrdup(e.region);
			sv_warn("bucket %s is in %s; using that region",
			    p->call.bucket, e.region);
			return HTTP_RETRY_RESIGN;
		}
	}
	return aws_error_retry(r->status, e.code, e.message);
}

static void
client_done(void *ud, struct http_response *r)
{
	struct aws_pending	*p = ud;
	struct aws_client	*cl = p->cl;
	enum aws_protocol	 proto = aws_service_protocol(p->op->service);
	struct aws_response	 resp;
	struct aws_error	 e;

	aws_response_init(&resp);
	resp.status = r->status;
	resp.attempts = r->attempts;
	resp.headers = r->headers;
	memset(&r->headers, 0, sizeof r->headers);
	buf_free(&resp.body);
	resp.body = r->body;
	buf_init(&r->body, BUF_MAX_HTTP_BODY);
	memset(&e, 0, sizeof e);

	if (r->result != SV_OK) {
		/* Nothing usable came back: refused, cancelled, transport. */
		resp.result = r->result;
		resp.status = 0;
		if (p->refused.code != SV_OK || r->err.code == SV_E_CREDS ||
		    str_starts(r->err.msg, p->ctx))
			sv_err_set(&resp.err, r->result, "%s", r->err.msg);
		else
			sv_err_set(&resp.err, r->result, "%s: %s", p->ctx,
			    r->err.msg[0] != '\0' ? r->err.msg :
			    sv_result_str(r->result));
	} else if (r->status >= 200 && r->status < 300) {
		if (s3_error_in_200(p, &resp.body)) {
			aws_error_parse(proto, 500, &resp.headers, resp.body.ptr,
			    resp.body.len, false, &e);
			resp.result = aws_error_result(e.code, 500);
			aws_error_describe(&resp.err, resp.result, p->ctx, p->op,
			    &e, r->status, r->attempts);
		} else if (p->op->service == AWS_SVC_DYNAMODB &&
		    !aws_crc32_ok(&resp.headers, resp.body.ptr, resp.body.len)) {
			resp.result = sv_err_set(&resp.err, SV_E_NET, "%s: the "
			    "response body was corrupted in transit (x-amz-crc32 "
			    "mismatch) after %d attempt%s", p->ctx, r->attempts,
			    r->attempts == 1 ? "" : "s");
		} else
			resp.result = SV_OK;
	} else {
		aws_error_parse(proto, r->status, &resp.headers, resp.body.ptr,
		    resp.body.len, is_head(p), &e);
		resp.result = aws_error_result(e.code, r->status);
		aws_error_describe(&resp.err, resp.result, p->ctx, p->op, &e,
		    r->status, r->attempts);
	}
	str_lcpy(resp.aws_code, e.code, sizeof resp.aws_code);
	if ((resp.request_id = http_headers_get(&resp.headers,
	    "x-amzn-RequestId")) == NULL)
		resp.request_id = http_headers_get(&resp.headers,
		    "x-amz-request-id");

	if (p->gated && cl->gate.result != NULL)
		cl->gate.result(cl->gate.data, p->op, p->intent_id, &resp);
	p->done(p->ud, &resp);
	aws_response_free(&resp);
	pending_free(p);
}

static const struct http_request_ops client_ops = {
	client_prepare, client_classify, client_done
};

/* ---- sending ----------------------------------------------------------- */

struct aws_pending *
aws_send(struct aws_client *cl, const struct aws_call *call, aws_done_fn done,
    void *ud)
{
	struct aws_pending	*p;
	const struct aws_op	*op;
	enum aws_protocol	 proto;

	p = xcalloc(1, sizeof *p);
	p->cl = cl;
	p->done = done;
	p->ud = ud;
	sv_err_init(&p->refused);
	copy_call(p, call);
	if ((op = aws_op_get(call->op)) == NULL) {
		static const struct aws_op unknown = { OP__COUNT, "?",
		    AWS_SVC_S3, true, false };

		p->op = &unknown;
		snprintf(p->ctx, sizeof p->ctx, "operation %d", (int)call->op);
		p->target = xstrdup("?");
		sv_err_set(&p->refused, SV_E_INVALID, "refused: operation %d is "
		    "not in salvage's operation table", (int)call->op);
		p->h = http_submit(cl->eng, &client_ops, p);
		return p;
	}
	p->op = op;
	proto = aws_service_protocol(op->service);
	describe_call(p);

	if (proto == AWS_PROTO_QUERY)
		build_form(p);
	else if (proto == AWS_PROTO_JSON && (call->body == NULL ||
	    call->body_len == 0)) {
		p->body = xstrdup("{}");
		p->body_len = 2;
	} else if (call->body != NULL && call->body_len > 0) {
		p->body = xmalloc(call->body_len + 1);
		memcpy(p->body, call->body, call->body_len);
		p->body[call->body_len] = '\0';
		p->body_len = call->body_len;
	}
	if (op->service == AWS_SVC_S3)
		sigv4_sha256_hex(p->body != NULL ? p->body : "", p->body_len,
		    p->payload_hash);

	/* The gate records the call as it will be sent: the copied call
	 * borrows the owned body (copy_call did not copy it). */
	p->call.body = p->body;
	p->call.body_len = p->body_len;
	if (op->mutating && p->refused.code == SV_OK)
		gate_check(cl, p);
	if (p->refused.code != SV_OK)
		sv_debug("%s", p->refused.msg);
	p->h = http_submit(cl->eng, &client_ops, p);
	return p;
}

void
aws_cancel(struct aws_pending *p)
{
	if (p != NULL)
		http_cancel(p->h);
}

struct sync_call {
	struct aws_response	*out;
	bool			 done;
};

static void
sync_done(void *ud, struct aws_response *resp)
{
	struct sync_call	*s = ud;

	*s->out = *resp;
	aws_response_init(resp);	/* moved out */
	s->done = true;
}

sv_result
aws_call_sync(struct aws_client *cl, const struct aws_call *call,
    struct aws_response *out)
{
	struct sync_call	 s;
	struct aws_pending	*p;

	aws_response_init(out);
	s.out = out;
	s.done = false;
	p = aws_send(cl, call, sync_done, &s);
	http_engine_run_until(cl->eng, &s.done);
	if (!s.done)
		aws_cancel(p);
	return out->result;
}
