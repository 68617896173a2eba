/* rds-modify.c - RDS ModifyDBInstance, ModifyDBCluster,
 * ListTagsForResource and AddTagsToResource (see rds-modify.h): query protocol requests, XML
 * responses read with the streaming reader. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds-modify.h"
#include "svc/svc-internal.h"
#include "util/xalloc.h"

struct mod_state {
	enum aws_op_id		 op;
	char			*target;
	struct aws_kvlist	 params;
	rds_tags_fn		 tags_fn;
	void			*data;
};

static void
mod_state_free(void *arg)
{
	struct mod_state	*st = arg;

	free(st->target);
	aws_kvlist_free(&st->params);
	free(st);
}

static sv_result
mod_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct mod_state	*st = arg;

	(void)err;
	call->op = st->op;
	call->target = st->target;
	for (size_t i = 0; i < st->params.n; i++)
		aws_kvlist_add(&call->params, st->params.v[i].name,
		    st->params.v[i].value);
	return SV_OK;
}

/* ---- ListTagsForResource ---- */

struct tags_parse {
	struct rds_tag	*tags;
	size_t		 n, cap;
	struct svc_arena arena;
	bool		 in_tag;
	struct sv_err	 err;
};

static void
tags_start(void *arg, int depth, const char *name)
{
	struct tags_parse	*p = arg;
	struct rds_tag		*t;

	/* ListTagsForResourceResponse/ListTagsForResourceResult/TagList/Tag */
	if (depth == 4 && strcmp(name, "Tag") == 0) {
		t = SVC_PUSH(p->tags, p->n, p->cap);
		t->key = NULL;
		t->value = "";
		p->in_tag = true;
	}
}

static void
tags_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct tags_parse	*p = arg;
	struct rds_tag		*t;

	(void)path;
	if (!p->in_tag || p->n == 0)
		return;
	t = &p->tags[p->n - 1];
	if (depth == 5 && strcmp(name, "Key") == 0)
		t->key = svc_arena_strndup(&p->arena, text, len);
	else if (depth == 5 && strcmp(name, "Value") == 0)
		t->value = svc_arena_strndup(&p->arena, text, len);
	else if (depth == 4 && strcmp(name, "Tag") == 0) {
		p->in_tag = false;
		if (t->key == NULL)
			sv_err_set(&p->err, SV_E_PARSE, "a tag has no Key");
	}
}

sv_result
rds_parse_tags(const char *xml, size_t len, rds_tags_fn fn, void *data,
    struct sv_err *err)
{
	static const char *const roots[] = { "ListTagsForResourceResponse", NULL };
	static const struct xml_handler h = { tags_start, tags_end };
	struct tags_parse	 p;
	sv_result		 result;

	memset(&p, 0, sizeof p);
	sv_err_init(&p.err);
	result = svc_xml_parse(xml, len, "ListTagsForResource", roots, &h, &p, err);
	if (result == SV_OK && p.err.code != SV_OK)
		result = sv_err_set(err, p.err.code,
		    "ListTagsForResource: bad response: %s", p.err.msg);
	if (result == SV_OK)
		fn(data, p.tags, p.n);
	free(p.tags);
	svc_arena_free(&p.arena);
	return result;
}

static sv_result
mod_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct mod_state	*st = arg;

	out->items = 1;
	if (st->op == OP_RDS_ListTagsForResource)
		return rds_parse_tags(buf_str(&resp->body), resp->body.len,
		    st->tags_fn, st->data, err);
	return SV_OK;	/* a change: the 2xx is the outcome */
}

static const struct svc_op_type mod_type = {
	NULL, mod_prepare, mod_page, NULL, mod_state_free
};

static struct svc_op *
mod_start(struct aws_client *client, struct mod_state *st, const char *context,
    svc_done_fn done, void *data)
{
	return svc_op_start(client, &mod_type, st, context, done, data);
}

void
rds_modify_req_init(struct rds_modify_req *r)
{
	memset(r, 0, sizeof *r);
	r->multi_az = -1;
	r->deletion_protection = -1;
	r->backup_retention = -1;
}

void
rds_modify_params(const struct rds_modify_req *r, struct aws_kvlist *out)
{
	bool	cluster = r->cluster_id != NULL;

	if (cluster)
		aws_kvlist_add(out, "DBClusterIdentifier", r->cluster_id);
	else
		aws_kvlist_add(out, "DBInstanceIdentifier", r->instance_id);
	for (size_t i = 0; i < r->n_vpc_security_groups; i++) {
		char	name[64];

		snprintf(name, sizeof name, "VpcSecurityGroupIds.VpcSecurityGroupId.%zu",
		    i + 1);
		aws_kvlist_add(out, name, r->vpc_security_groups[i]);
	}
	if (r->parameter_group != NULL)
		aws_kvlist_add(out, cluster ? "DBClusterParameterGroupName" :
		    "DBParameterGroupName", r->parameter_group);
	if (r->option_group != NULL && !cluster)
		aws_kvlist_add(out, "OptionGroupName", r->option_group);
	if (r->multi_az >= 0 && !cluster)
		aws_kvlist_add(out, "MultiAZ", r->multi_az ? "true" : "false");
	if (r->deletion_protection >= 0)
		aws_kvlist_add(out, "DeletionProtection",
		    r->deletion_protection ? "true" : "false");
	if (r->backup_retention >= 0)
		aws_kvlist_addf(out, "BackupRetentionPeriod", "%lld",
		    r->backup_retention);
	if (r->apply_immediately)
		aws_kvlist_add(out, "ApplyImmediately", "true");
}

struct svc_op *
rds_modify(struct aws_client *client, const struct rds_modify_req *r,
    svc_done_fn done, void *data)
{
	struct mod_state	*st;
	struct svc_op		*o;
	char			*context;

	const char		*id = r != NULL ? (r->cluster_id != NULL ?
				    r->cluster_id : r->instance_id) : NULL;

	if (id == NULL || *id == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "modifying a DB instance or cluster: none given");
	st = xcalloc(1, sizeof *st);
	st->op = r->cluster_id != NULL ? OP_RDS_ModifyDBCluster :
	    OP_RDS_ModifyDBInstance;
	st->target = xasprintf("%s://%s", r->cluster_id != NULL ? "rds-cluster" :
	    "rds", id);
	st->data = data;
	rds_modify_params(r, &st->params);
	context = xasprintf("modifying %s", st->target);
	o = mod_start(client, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
rds_list_tags(struct aws_client *client, const char *arn, rds_tags_fn fn,
    svc_done_fn done, void *data)
{
	struct mod_state	*st;
	struct svc_op		*o;
	char			*context;

	if (arn == NULL || *arn == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "listing tags: no ARN given");
	st = xcalloc(1, sizeof *st);
	st->op = OP_RDS_ListTagsForResource;
	st->target = xstrdup(arn);
	st->tags_fn = fn;
	st->data = data;
	aws_kvlist_add(&st->params, "ResourceName", arn);
	context = xasprintf("listing the tags of %s", arn);
	o = mod_start(client, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
rds_add_tags(struct aws_client *client, const char *arn, const char *target,
    const struct rds_tag *tags, size_t n, svc_done_fn done, void *data)
{
	struct mod_state	*st;
	struct svc_op		*o;
	char			*context;

	if (arn == NULL || *arn == '\0' || n == 0)
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "tagging: no ARN or no tags given");
	st = xcalloc(1, sizeof *st);
	st->op = OP_RDS_AddTagsToResource;
	st->target = xstrdup(target != NULL ? target : arn);
	st->data = data;
	aws_kvlist_add(&st->params, "ResourceName", arn);
	for (size_t i = 0; i < n; i++) {
		char	name[64];

		snprintf(name, sizeof name, "Tags.Tag.%zu.Key", i + 1);
		aws_kvlist_add(&st->params, name, tags[i].key);
		snprintf(name, sizeof name, "Tags.Tag.%zu.Value", i + 1);
		aws_kvlist_add(&st->params, name,
		    tags[i].value != NULL ? tags[i].value : "");
	}
	context = xasprintf("tagging %s", st->target);
	o = mod_start(client, st, context, done, data);
	free(context);
	return o;
}
