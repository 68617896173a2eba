/* sts.c - AWS STS GetCallerIdentity (query protocol). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "svc/sts.h"
#include "svc/svc-internal.h"
#include "util/str.h"
#include "util/xalloc.h"

#define STS_FIELD_MAX	2048

struct sts_parse {
	char	account[64];
	char	arn[STS_FIELD_MAX];
	char	user_id[STS_FIELD_MAX];
	bool	has_account, has_arn, has_user_id;
};

static void
sts_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct sts_parse	*p = arg;

	if (depth != 3)
		return;
	if (strcmp(path, "/GetCallerIdentityResponse/GetCallerIdentityResult/Account") == 0) {
		str_lcpy(p->account, text, sizeof p->account);
		p->has_account = true;
	} else if (strcmp(path, "/GetCallerIdentityResponse/GetCallerIdentityResult/Arn") == 0) {
		str_lcpy(p->arn, text, sizeof p->arn);
		p->has_arn = true;
	} else if (strcmp(path, "/GetCallerIdentityResponse/GetCallerIdentityResult/UserId") == 0) {
		str_lcpy(p->user_id, text, sizeof p->user_id);
		p->has_user_id = true;
	}
}

sv_result
sts_parse_caller_identity(const char *xml, size_t len, sts_identity_fn fn,
    void *data, struct sv_err *err)
{
	static const struct xml_handler h = { NULL, sts_end };
	static const char *const roots[] = { "GetCallerIdentityResponse", NULL };
	struct sts_parse	*p = xcalloc(1, sizeof *p);
	struct sts_identity	 id;
	sv_result		 result;

	result = svc_xml_parse(xml, len, "GetCallerIdentity", roots, &h, p, err);
	if (result != SV_OK)
		goto out;
	if (!p->has_account || !p->has_arn) {
		result = sv_err_set(err, SV_E_PARSE,
		    "GetCallerIdentity: bad response: no Account or Arn");
		goto out;
	}
	id.account = p->account;
	id.arn = p->arn;
	id.user_id = p->has_user_id ? p->user_id : NULL;
	fn(data, &id);
out:
	free(p);
	return result;
}

struct sts_state {
	sts_identity_fn	 fn;
	void		*data;
};

static sv_result
sts_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	call->op = OP_STS_GetCallerIdentity;
	call->target = "sts:";
	return SV_OK;
}

static sv_result
sts_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct sts_state	*st = arg;

	out->items = 1;
	return sts_parse_caller_identity(buf_str(&resp->body), resp->body.len,
	    st->fn, st->data, err);
}

static const struct svc_op_type sts_identity_type = {
	NULL, sts_prepare, sts_page, NULL, free
};

struct svc_op *
sts_get_caller_identity(struct aws_client *client, sts_identity_fn fn,
    svc_done_fn done, void *data)
{
	struct sts_state	*st = xcalloc(1, sizeof *st);

	st->fn = fn;
	st->data = data;
	return svc_op_start(client, &sts_identity_type, st,
	    "finding who the credentials belong to", done, data);
}
