/* svc.c - the machinery every service call shares: an operation sends
 * one request per page, hands each response to its service's page
 * handler, follows the pagination, and calls done() exactly once with the
 * outcome and how far it got. Also the synchronous wait for the CLI, the
 * per-page string arena and the XML page reader. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc-internal.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

struct svc_op {
	struct aws_client		*client;
	const struct svc_op_type	*type;
	void				*state;
	char				*context;
	svc_done_fn			 done;
	void				*data;
	struct aws_pending		*pending;	/* the page in flight */
	size_t				 pages;
	size_t				 items;
	bool				 finished;	/* done() has been called */
	struct svc_page_out		*in_page;	/* inside type->page: the page being delivered */
	int				 hold;		/* > 0: on the stack, do not free */
};

static void	svc_op_response(void *, struct aws_response *);

/* ---- arena ---- */

#define SVC_ARENA_BLOCK	(64u * 1024)

struct svc_arena_block {
	struct svc_arena_block	*next;
	size_t			 cap;
	size_t			 used;
	char			 data[];
};

static struct svc_arena_block *
svc_arena_block_new(size_t need)
{
	struct svc_arena_block	*b;
	size_t			 cap = need > SVC_ARENA_BLOCK ? need : SVC_ARENA_BLOCK;

	b = xmalloc(sizeof *b + cap);
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

char *
svc_arena_strndup(struct svc_arena *a, const char *s, size_t n)
{
	struct svc_arena_block	*b = a->cur;
	char			*p;

	if (b == NULL) {
		a->head = a->cur = b = svc_arena_block_new(n + 1);
	}
	while (b->cap - b->used < n + 1) {
		if (b->next == NULL || b->next->cap < n + 1) {
			struct svc_arena_block *nb = svc_arena_block_new(n + 1);

			/* Insert after the current block, keeping the rest. */
			nb->next = b->next;
			b->next = nb;
		}
		b = b->next;
		b->used = 0;
	}
	a->cur = b;
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

char *
svc_arena_strdup(struct svc_arena *a, const char *s)
{
	return svc_arena_strndup(a, s, strlen(s));
}

void
svc_arena_reset(struct svc_arena *a)
{
	a->cur = a->head;
	if (a->cur != NULL)
		a->cur->used = 0;
}

void
svc_arena_free(struct svc_arena *a)
{
	struct svc_arena_block	*b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = a->cur = NULL;
}

void *
svc_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	size_t	ncap;

	if (need <= *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	arr = xreallocarray(arr, ncap, elem);
	*cap = ncap;
	return arr;
}

/* ---- operations ---- */

static void
svc_op_maybe_free(struct svc_op *op)
{
	if (!op->finished || op->hold > 0 || op->pending != NULL)
		return;
	if (op->type->free != NULL)
		op->type->free(op->state);
	free(op->context);
	free(op);
}

/* Calls done() once, with the context and progress in the message. */
static void
svc_op_finish(struct svc_op *op, sv_result result, const struct sv_err *cause)
{
	struct sv_err	err;
	char		progress[128] = "";

	if (op->finished)
		return;
	op->finished = true;
	/* Cancelled from inside the page callback: that page was delivered. */
	if (op->in_page != NULL) {
		op->pages++;
		op->items += op->in_page->items;
	}
	sv_err_init(&err);
	if (result != SV_OK) {
		if (op->pages > 0 && op->type->noun != NULL)
			snprintf(progress, sizeof progress,
			    " (after %zu page%s, %zu %s)", op->pages,
			    op->pages == 1 ? "" : "s", op->items, op->type->noun);
		sv_err_set(&err, result, "%s%s: %s", op->context, progress,
		    cause != NULL && cause->msg[0] != '\0' ? cause->msg :
		    sv_result_str(result));
	}
	sv_debug("svc: %s: %s after %zu pages", op->context,
	    sv_result_str(result), op->pages);
	op->done(op->data, result, result == SV_OK ? NULL : &err, op->pages);
}

/* Prepares and sends the next page. */
static sv_result
svc_op_send(struct svc_op *op, struct sv_err *err)
{
	struct aws_call	call;
	sv_result	result;

	aws_call_init(&call, OP__COUNT);
	result = op->type->prepare(op->state, &call, err);
	if (result == SV_OK)
		op->pending = aws_send(op->client, &call, svc_op_response, op);
	aws_call_free(&call);
	return result;
}

static void
svc_op_response(void *arg, struct aws_response *resp)
{
	struct svc_op		*op = arg;
	struct svc_page_out	 out;
	struct sv_err		 err;
	sv_result		 result;

	op->pending = NULL;
	if (op->finished) {
		/* Cancelled while this page was in flight. */
		svc_op_maybe_free(op);
		return;
	}
	op->hold++;
	memset(&out, 0, sizeof out);
	sv_err_init(&err);
	if (resp->result == SV_E_CANCELLED)
		result = sv_err_set(&err, SV_E_CANCELLED, "%s", resp->err.msg);
	else if (resp->result != SV_OK) {
		result = resp->result;
		if (op->type->error != NULL) {
			op->in_page = &out;
			result = op->type->error(op->state, resp, &out, &err);
			op->in_page = NULL;
		}
		if (result != SV_OK && err.code == SV_OK)
			sv_err_set(&err, resp->result, "%s", resp->err.msg);
	} else {
		op->in_page = &out;
		result = op->type->page(op->state, resp, &out, &err);
		op->in_page = NULL;
	}
	if (op->finished)
		goto out;	/* cancelled from inside a callback */
	if (result == SV_OK) {
		op->pages++;
		op->items += out.items;
		if (out.more && !out.stop)
			result = svc_op_send(op, &err);
	}
	if (result != SV_OK)
		svc_op_finish(op, result, &err);
	else if (op->pending == NULL)
		svc_op_finish(op, SV_OK, NULL);
out:
	op->hold--;
	svc_op_maybe_free(op);
}

struct svc_op *
svc_op_start(struct aws_client *client, const struct svc_op_type *type,
    void *state, const char *context, svc_done_fn done, void *data)
{
	struct svc_op	*op = xcalloc(1, sizeof *op);
	struct sv_err	 err;

	op->client = client;
	op->type = type;
	op->state = state;
	op->context = xstrdup(context);
	op->done = done;
	op->data = data;
	sv_err_init(&err);
	op->hold++;
	if (svc_op_send(op, &err) != SV_OK) {
		svc_op_finish(op, err.code, &err);
		op->hold--;
		svc_op_maybe_free(op);
		return NULL;
	}
	op->hold--;
	return op;
}

struct svc_op *
svc_op_fail(const struct svc_op_type *type, void *state, svc_done_fn done,
    void *data, sv_result result, const char *fmt, ...)
{
	struct sv_err	err;
	va_list		ap;

	sv_err_init(&err);
	va_start(ap, fmt);
	sv_err_setv(&err, result, fmt, ap);
	va_end(ap);
	if (type != NULL && type->free != NULL && state != NULL)
		type->free(state);
	done(data, result, &err, 0);
	return NULL;
}

void
svc_op_cancel(struct svc_op *op)
{
	struct sv_err	err;

	if (op == NULL || op->finished)
		return;
	op->hold++;
	if (op->pending != NULL)
		aws_cancel(op->pending);	/* may call svc_op_response now */
	if (!op->finished) {
		sv_err_init(&err);
		sv_err_set(&err, SV_E_CANCELLED, "cancelled");
		svc_op_finish(op, SV_E_CANCELLED, &err);
	}
	op->hold--;
	svc_op_maybe_free(op);
}

/* ---- synchronous use ---- */

void
svc_sync_init(struct svc_sync *s)
{
	memset(s, 0, sizeof *s);
	s->result = SV_OK;
	sv_err_init(&s->err);
}

void
svc_sync_done(void *data, sv_result result, const struct sv_err *err, size_t pages)
{
	struct svc_sync	*s = data;

	s->done = true;
	s->result = result;
	s->pages = pages;
	if (err != NULL)
		s->err = *err;
	else if (result != SV_OK)
		sv_err_set(&s->err, result, "%s", sv_result_str(result));
}

sv_result
svc_sync_wait(struct aws_client *client, struct svc_sync *s)
{
	if (!s->done)
		http_engine_run_until(aws_client_engine(client), &s->done);
	if (!s->done) {
		s->result = sv_err_set(&s->err, SV_E_NET,
		    "the request engine stopped before the operation completed");
	}
	return s->result;
}

/* ---- errors ---- */

sv_result
svc_code_result(const char *code)
{
	static const struct {
		const char	*code;
		sv_result	 result;
	} exact[] = {
		{ "AccessDenied", SV_E_DENIED },
		{ "AccessDeniedException", SV_E_DENIED },
		{ "UnauthorizedOperation", SV_E_DENIED },
		{ "AllAccessDisabled", SV_E_DENIED },
		{ "InvalidAccessKeyId", SV_E_CREDS },
		{ "InvalidClientTokenId", SV_E_CREDS },
		{ "SignatureDoesNotMatch", SV_E_CREDS },
		{ "InvalidSignatureException", SV_E_CREDS },
		{ "ExpiredToken", SV_E_CREDS },
		{ "ExpiredTokenException", SV_E_CREDS },
		{ "UnrecognizedClientException", SV_E_CREDS },
		{ "MissingAuthenticationToken", SV_E_CREDS },
		{ "Throttling", SV_E_THROTTLED },
		{ "ThrottlingException", SV_E_THROTTLED },
		{ "SlowDown", SV_E_THROTTLED },
		{ "RequestLimitExceeded", SV_E_THROTTLED },
		{ "TooManyRequestsException", SV_E_THROTTLED },
		{ "ResourceNotFoundException", SV_E_NOTFOUND },
		{ "TableNotFoundException", SV_E_NOTFOUND },
	};
	size_t	i;

	if (code == NULL || *code == '\0')
		return SV_E_AWS;
	for (i = 0; i < sizeof exact / sizeof exact[0]; i++) {
		if (strcmp(code, exact[i].code) == 0)
			return exact[i].result;
	}
	if (str_starts(code, "NoSuch") || str_ends(code, "NotFound") ||
	    str_ends(code, "NotFoundFault") || str_ends(code, "NotFoundError") ||
	    str_ends(code, "NotFoundException"))
		return SV_E_NOTFOUND;
	return SV_E_AWS;
}

/* ---- XML pages ---- */

enum svc_xml_mode {
	SVC_XML_START,		/* before the root */
	SVC_XML_PAGE,		/* an expected root: forward to the handler */
	SVC_XML_ERROR,		/* <Error> / <ErrorResponse> */
	SVC_XML_OTHER		/* an unexpected root */
};

struct svc_xml_ctx {
	const struct xml_handler *h;
	void			*data;
	const char *const	*roots;
	enum svc_xml_mode	 mode;
	char			 root[64];
	char			 code[128];
	char			 message[512];
};

static void
svc_xml_start(void *arg, int depth, const char *name)
{
	struct svc_xml_ctx	*x = arg;
	size_t			 i;

	if (depth == 1) {
		str_lcpy(x->root, name, sizeof x->root);
		x->mode = SVC_XML_OTHER;
		if (strcmp(name, "Error") == 0 || strcmp(name, "ErrorResponse") == 0)
			x->mode = SVC_XML_ERROR;
		for (i = 0; x->roots[i] != NULL; i++) {
			if (strcmp(name, x->roots[i]) == 0)
				x->mode = SVC_XML_PAGE;
		}
	}
	if (x->mode == SVC_XML_PAGE && x->h->start != NULL)
		x->h->start(x->data, depth, name);
}

static void
svc_xml_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct svc_xml_ctx	*x = arg;

	switch (x->mode) {
	case SVC_XML_PAGE:
		if (x->h->end != NULL)
			x->h->end(x->data, depth, path, name, text, len);
		break;
	case SVC_XML_ERROR:
		/* <Error><Code> (S3) or <ErrorResponse><Error><Code> (query) */
		if (strcmp(name, "Code") == 0 && x->code[0] == '\0')
			str_lcpy(x->code, text, sizeof x->code);
		else if (strcmp(name, "Message") == 0 && x->message[0] == '\0')
			str_lcpy(x->message, text, sizeof x->message);
		break;
	default:
		break;
	}
}

sv_result
svc_xml_parse(const char *p, size_t n, const char *op, const char *const *roots,
    const struct xml_handler *h, void *data, struct sv_err *err)
{
	static const struct xml_handler wrap = { svc_xml_start, svc_xml_end };
	struct svc_xml_ctx	x;
	struct sv_err		xerr;
	sv_result		result;

	memset(&x, 0, sizeof x);
	x.h = h;
	x.data = data;
	x.roots = roots;
	sv_err_init(&xerr);
	result = xml_parse(p, n, &wrap, &x, &xerr);
	if (result != SV_OK)
		return sv_err_set(err, result, "%s: bad response: %s", op, xerr.msg);
	switch (x.mode) {
	case SVC_XML_PAGE:
		return SV_OK;
	case SVC_XML_ERROR:
		return sv_err_set(err, svc_code_result(x.code), "%s: %s%s%s", op,
		    x.code[0] != '\0' ? x.code : "error",
		    x.message[0] != '\0' ? ": " : "", x.message);
	case SVC_XML_START:
		return sv_err_set(err, SV_E_PARSE, "%s: bad response: empty body", op);
	default:
		return sv_err_set(err, SV_E_PARSE,
		    "%s: bad response: unexpected <%s> (expected <%s>)", op,
		    x.root, roots[0]);
	}
}

long long
svc_parse_ll(const char *text, const char *what, struct sv_err *err)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || *end != '\0' || errno != 0) {
		sv_err_set(err, SV_E_PARSE, "bad %s '%.40s': not an integer",
		    what, text);
		return -1;
	}
	return v;
}

sv_time
svc_parse_time(const char *text, const char *what, struct sv_err *err)
{
	sv_time	t;

	if (sv_time_parse_iso(text, &t) != SV_OK) {
		sv_err_set(err, SV_E_PARSE, "bad %s '%.40s': not an ISO-8601 time",
		    what, text);
		return SV_TIME_NONE;
	}
	return t;
}

bool
svc_parse_bool(const char *text, const char *what, struct sv_err *err)
{
	if (strcmp(text, "true") == 0)
		return true;
	if (strcmp(text, "false") == 0)
		return false;
	sv_err_set(err, SV_E_PARSE, "bad %s '%.40s': not true or false", what, text);
	return false;
}
