/* autoscaling.c - Application Auto Scaling for DynamoDB tables (see
 * autoscaling.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "svc/autoscaling.h"
#include "svc/svc-internal.h"
#include "util/str.h"
#include "util/xalloc.h"

#define AAS_NAMESPACE	"dynamodb"

void
aas_set_free(struct aas_set *s)
{
	for (size_t i = 0; i < s->ntargets; i++) {
		free(s->targets[i].resource);
		free(s->targets[i].dimension);
	}
	for (size_t i = 0; i < s->npolicies; i++) {
		free(s->policies[i].name);
		free(s->policies[i].resource);
		free(s->policies[i].dimension);
		free(s->policies[i].type);
		free(s->policies[i].config);
	}
	free(s->targets);
	free(s->policies);
	memset(s, 0, sizeof *s);
}

void
aas_set_copy(struct aas_set *dst, const struct aas_set *src)
{
	for (size_t i = 0; i < src->ntargets; i++) {
		struct aas_target *t = SVC_PUSH(dst->targets, dst->ntargets,
		    dst->captargets);

		t->resource = xstrdup(src->targets[i].resource);
		t->dimension = xstrdup(src->targets[i].dimension);
		t->min = src->targets[i].min;
		t->max = src->targets[i].max;
	}
	for (size_t i = 0; i < src->npolicies; i++) {
		const struct aas_policy *q = &src->policies[i];
		struct aas_policy *p = SVC_PUSH(dst->policies, dst->npolicies,
		    dst->cappolicies);

		p->name = xstrdup(q->name);
		p->resource = xstrdup(q->resource);
		p->dimension = xstrdup(q->dimension);
		p->type = xstrdup(q->type);
		p->config = xstrdup(q->config);
		p->target_value = q->target_value;
	}
}

/* "table/T" -> "", "table/T/index/I" -> "index/I", anything else NULL. */
static const char *
relative(const char *table, const char *id)
{
	size_t	n = strlen(table);

	if (id == NULL || strncmp(id, "table/", 6) != 0 ||
	    strncmp(id + 6, table, n) != 0)
		return NULL;
	id += 6 + n;
	if (*id == '\0')
		return id;
	return str_starts(id, "/index/") && id[7] != '\0' ? id + 1 : NULL;
}

static char *
absolute(const char *table, const char *resource)
{
	return xasprintf("table/%s%s%s", table, *resource != '\0' ? "/" : "",
	    resource);
}

/* The document, its list member and NextToken. */
static cJSON *
page_doc(const char *json, size_t len, const char *op, const char *list,
    const cJSON **arr, char **next, struct sv_err *err)
{
	cJSON		*doc = cJSON_ParseWithLength(json, len);
	const char	*tok;
	struct sv_err	 perr;

	*next = NULL;
	if (doc == NULL || !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		sv_err_set(err, SV_E_PARSE, "%s: bad response: not a JSON object", op);
		return NULL;
	}
	sv_err_init(&perr);
	*arr = svc_jarr(doc, list, &perr);
	tok = svc_jstr(doc, "NextToken", &perr);
	if (perr.code != SV_OK) {
		cJSON_Delete(doc);
		sv_err_set(err, SV_E_PARSE, "%s: bad response: %s", op, perr.msg);
		return NULL;
	}
	if (tok != NULL && *tok != '\0')
		*next = xstrdup(tok);
	return doc;
}

sv_result
aas_parse_target_page(const char *table, const char *json, size_t len,
    struct aas_set *out, char **next, struct sv_err *err)
{
	const cJSON	*arr = NULL, *it;
	cJSON		*doc;
	struct sv_err	 perr;

	if ((doc = page_doc(json, len, "DescribeScalableTargets", "ScalableTargets",
	    &arr, next, err)) == NULL)
		return err->code;
	sv_err_init(&perr);
	cJSON_ArrayForEach(it, arr) {
		const char	*rel = relative(table, svc_jstr(it, "ResourceId", &perr));
		const char	*dim = svc_jstr(it, "ScalableDimension", &perr);
		long long	 min = svc_jll(it, "MinCapacity", &perr);
		long long	 max = svc_jll(it, "MaxCapacity", &perr);
		struct aas_target *t;

		if (perr.code != SV_OK)
			break;
		if (rel == NULL || dim == NULL)
			continue;
		t = SVC_PUSH(out->targets, out->ntargets, out->captargets);
		t->resource = xstrdup(rel);
		t->dimension = xstrdup(dim);
		t->min = min;
		t->max = max;
	}
	cJSON_Delete(doc);
	if (perr.code != SV_OK) {
		free(*next);
		*next = NULL;
		return sv_err_set(err, SV_E_PARSE, "DescribeScalableTargets: bad "
		    "response: %s", perr.msg);
	}
	return SV_OK;
}

sv_result
aas_parse_policy_page(const char *table, const char *json, size_t len,
    struct aas_set *out, char **next, struct sv_err *err)
{
	const cJSON	*arr = NULL, *it;
	cJSON		*doc;
	struct sv_err	 perr;

	if ((doc = page_doc(json, len, "DescribeScalingPolicies", "ScalingPolicies",
	    &arr, next, err)) == NULL)
		return err->code;
	sv_err_init(&perr);
	cJSON_ArrayForEach(it, arr) {
		const char	*rel = relative(table, svc_jstr(it, "ResourceId", &perr));
		const char	*name = svc_jstr(it, "PolicyName", &perr);
		const char	*dim = svc_jstr(it, "ScalableDimension", &perr);
		const char	*type = svc_jstr(it, "PolicyType", &perr);
		const cJSON	*tt = svc_jobj(it,
				    "TargetTrackingScalingPolicyConfiguration", &perr);
		const cJSON	*ss = svc_jobj(it, "StepScalingPolicyConfiguration",
				    &perr);
		struct aas_policy *p;
		char		*cfg;
		double		 tv = -1;

		if (perr.code != SV_OK)
			break;
		if (rel == NULL || name == NULL || dim == NULL || type == NULL ||
		    (tt == NULL && ss == NULL))
			continue;
		if (tt != NULL && !svc_jnum(tt, "TargetValue", &tv, &perr))
			tv = -1;
		if ((cfg = cJSON_PrintUnformatted(tt != NULL ? tt : ss)) == NULL)
			abort();
		p = SVC_PUSH(out->policies, out->npolicies, out->cappolicies);
		p->name = xstrdup(name);
		p->resource = xstrdup(rel);
		p->dimension = xstrdup(dim);
		p->type = xstrdup(type);
		p->config = cfg;
		p->target_value = tv;
	}
	cJSON_Delete(doc);
	if (perr.code != SV_OK) {
		free(*next);
		*next = NULL;
		return sv_err_set(err, SV_E_PARSE, "DescribeScalingPolicies: bad "
		    "response: %s", perr.msg);
	}
	return SV_OK;
}

/* ---- the operations ---- */

struct aas_state {
	char		*table;
	char		*target;	/* audit target: dynamodb://T */
	char		*body;
	char		*next;		/* NextToken */
	bool		 policies;	/* describe: on the second listing */
	size_t		 i;		/* copy: the next call */
	struct aas_set	 set;
	aas_set_fn	 fn;
	void		*data;
};

static void
aas_state_free(void *arg)
{
	struct aas_state	*st = arg;

	free(st->table);
	free(st->target);
	free(st->body);
	free(st->next);
	aas_set_free(&st->set);
	free(st);
}

static void
set_body(struct aas_state *st, struct aws_call *call, enum aws_op_id op,
    cJSON *req)
{
	free(st->body);
	st->body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	if (st->body == NULL)
		abort();
	call->op = op;
	call->body = st->body;
	call->body_len = strlen(st->body);
	call->target = st->target;
}

static sv_result
describe_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct aas_state	*st = arg;
	cJSON			*req = cJSON_CreateObject();

	(void)err;
	cJSON_AddStringToObject(req, "ServiceNamespace", AAS_NAMESPACE);
	if (st->next != NULL)
		cJSON_AddStringToObject(req, "NextToken", st->next);
	set_body(st, call, st->policies ? OP_AAS_DescribeScalingPolicies :
	    OP_AAS_DescribeScalableTargets, req);
	return SV_OK;
}

static sv_result
describe_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct aas_state	*st = arg;
	const char		*body = resp->body.ptr != NULL ? resp->body.ptr : "";
	char			*next = NULL;
	size_t			 before = st->policies ? st->set.npolicies :
				    st->set.ntargets;
	sv_result		 r;

	r = st->policies ?
	    aas_parse_policy_page(st->table, body, resp->body.len, &st->set, &next, err) :
	    aas_parse_target_page(st->table, body, resp->body.len, &st->set, &next, err);
	if (r != SV_OK)
		return r;
	out->items = (st->policies ? st->set.npolicies : st->set.ntargets) - before;
	if (next != NULL && st->next != NULL && strcmp(next, st->next) == 0) {
		free(next);
		return sv_err_set(err, SV_E_PARSE, "bad response: NextToken repeats "
		    "the previous one");
	}
	free(st->next);
	st->next = next;
	if (next == NULL && !st->policies) {
		st->policies = true;	/* the targets are complete: the policies */
		out->more = true;
	} else if (next == NULL) {
		st->fn(st->data, &st->set);
	} else
		out->more = true;
	return SV_OK;
}

static const struct svc_op_type describe_type = {
	"auto scaling settings", describe_prepare, describe_page, NULL,
	aas_state_free
};

struct svc_op *
aas_describe_table(struct aws_client *client, const char *table, aas_set_fn fn,
    svc_done_fn done, void *data)
{
	struct aas_state	*st = xcalloc(1, sizeof *st);
	char			*context;
	struct svc_op		*o;

	st->fn = fn;
	st->data = data;
	if (table == NULL || *table == '\0')
		return svc_op_fail(&describe_type, st, done, data, SV_E_USAGE,
		    "reading auto scaling: no table given");
	st->table = xstrdup(table);
	st->target = xasprintf("dynamodb://%s", table);
	context = xasprintf("reading the auto scaling of %s", st->target);
	o = svc_op_start(client, &describe_type, st, context, done, data);
	free(context);
	return o;
}

/* Copying: the targets, then the policies, one call each. */
static sv_result
copy_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct aas_state	*st = arg;
	cJSON			*req = cJSON_CreateObject(), *cfg;
	char			*id;

	cJSON_AddStringToObject(req, "ServiceNamespace", AAS_NAMESPACE);
	if (st->i < st->set.ntargets) {
		const struct aas_target *t = &st->set.targets[st->i];

		id = absolute(st->table, t->resource);
		cJSON_AddStringToObject(req, "ResourceId", id);
		cJSON_AddStringToObject(req, "ScalableDimension", t->dimension);
		cJSON_AddNumberToObject(req, "MinCapacity", (double)t->min);
		cJSON_AddNumberToObject(req, "MaxCapacity", (double)t->max);
		free(id);
		set_body(st, call, OP_AAS_RegisterScalableTarget, req);
		return SV_OK;
	}
	{
		const struct aas_policy *p = &st->set.policies[st->i - st->set.ntargets];

		if ((cfg = cJSON_Parse(p->config)) == NULL) {
			cJSON_Delete(req);
			return sv_err_set(err, SV_E_PARSE, "policy %s: its "
			    "configuration is not JSON", p->name);
		}
		id = absolute(st->table, p->resource);
		cJSON_AddStringToObject(req, "PolicyName", p->name);
		cJSON_AddStringToObject(req, "ResourceId", id);
		cJSON_AddStringToObject(req, "ScalableDimension", p->dimension);
		cJSON_AddStringToObject(req, "PolicyType", p->type);
		cJSON_AddItemToObject(req, strcmp(p->type, "StepScaling") == 0 ?
		    "StepScalingPolicyConfiguration" :
		    "TargetTrackingScalingPolicyConfiguration", cfg);
		free(id);
		set_body(st, call, OP_AAS_PutScalingPolicy, req);
	}
	return SV_OK;
}

static sv_result
copy_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct aas_state	*st = arg;

	(void)resp;
	(void)err;
	out->items = 1;
	st->i++;
	out->more = st->i < st->set.ntargets + st->set.npolicies;
	return SV_OK;
}

static const struct svc_op_type copy_type = {
	NULL, copy_prepare, copy_page, NULL, aas_state_free
};

struct svc_op *
aas_copy_to_table(struct aws_client *client, const char *table,
    const struct aas_set *set, svc_done_fn done, void *data)
{
	struct aas_state	*st = xcalloc(1, sizeof *st);
	char			*context;
	struct svc_op		*o;

	st->data = data;
	if (table == NULL || *table == '\0' || set->ntargets + set->npolicies == 0)
		return svc_op_fail(&copy_type, st, done, data, SV_E_USAGE,
		    "copying auto scaling: no table, or nothing to copy");
	st->table = xstrdup(table);
	st->target = xasprintf("dynamodb://%s", table);
	aas_set_copy(&st->set, set);
	context = xasprintf("copying auto scaling to %s", st->target);
	o = svc_op_start(client, &copy_type, st, context, done, data);
	free(context);
	return o;
}
