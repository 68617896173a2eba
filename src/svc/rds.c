/* rds.c - the read operations of Amazon RDS (query protocol):
 * DescribeDBInstances, DescribeDBSnapshots, DescribeDBClusters,
 * DescribeDBClusterSnapshots and DescribeDBInstanceAutomatedBackups.
 *
 * The five responses share one shape (Response/Result/List/Item, a
 * Marker), so one table-driven parser serves them: each item type is a
 * table mapping paths relative to the item element to fields of its
 * struct. Strings live in a per-page arena; lists (security groups,
 * parameter groups, tags, cluster members) go to per-page pools and are
 * pointed to once the page is complete. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "svc/rds.h"
#include "svc/svc-internal.h"
#include "util/str.h"
#include "util/xalloc.h"

#define RDS_MAX_RECORDS	"100"
#define RDS_SLOTS	4	/* lists per item */

enum rds_kind {
	RK_STR,
	RK_TIME,
	RK_LL,
	RK_BOOL,
	RK_LIST,	/* a string list: push text */
	RK_TAG_KEY,	/* .../Tag/Key into the pending tag */
	RK_TAG_VALUE,
	RK_TAG,		/* end of .../Tag: push the pending tag */
	RK_MEMBER_ID,
	RK_MEMBER_WRITER,
	RK_MEMBER	/* end of a cluster member: push it */
};

struct rds_field {
	const char	*rel;		/* path below the item element */
	enum rds_kind	 kind;
	size_t		 off;		/* the field (list: the pointer) */
	size_t		 off_n;		/* list: the count */
	int		 slot;		/* list: which of the item's lists */
};

struct rds_shape {
	const char		*op;
	const char		*root;		/* "DescribeDBInstancesResponse" */
	const char		*item_path;	/* ".../DBInstances/DBInstance" */
	const char		*marker_path;	/* ".../DescribeDBInstancesResult/Marker" */
	const char		*item_name;	/* "DBInstance" */
	const char		*id_name;	/* the required member */
	size_t			 id_off;
	size_t			 size;		/* sizeof the item struct */
	const struct rds_field	*fields;
};

#define F(type, rel, kind, member) \
	{ rel, kind, offsetof(struct type, member), 0, 0 }
#define L(type, rel, kind, member, slot) \
	{ rel, kind, offsetof(struct type, member), \
	    offsetof(struct type, n_##member), slot }

static const struct rds_field rds_instance_fields[] = {
	F(rds_instance, "DBInstanceIdentifier", RK_STR, id),
	F(rds_instance, "DBInstanceArn", RK_STR, arn),
	F(rds_instance, "DbiResourceId", RK_STR, resource_id),
	F(rds_instance, "Engine", RK_STR, engine),
	F(rds_instance, "EngineVersion", RK_STR, engine_version),
	F(rds_instance, "DBInstanceStatus", RK_STR, status),
	F(rds_instance, "DBInstanceClass", RK_STR, instance_class),
	F(rds_instance, "AllocatedStorage", RK_LL, allocated_storage),
	F(rds_instance, "MultiAZ", RK_BOOL, multi_az),
	F(rds_instance, "BackupRetentionPeriod", RK_LL, backup_retention),
	F(rds_instance, "LatestRestorableTime", RK_TIME, latest_restorable),
	F(rds_instance, "InstanceCreateTime", RK_TIME, created),
	F(rds_instance, "Endpoint/Address", RK_STR, endpoint_address),
	F(rds_instance, "Endpoint/Port", RK_LL, endpoint_port),
	F(rds_instance, "DBClusterIdentifier", RK_STR, cluster_id),
	F(rds_instance, "DeletionProtection", RK_BOOL, deletion_protection),
	F(rds_instance, "StorageType", RK_STR, storage_type),
	F(rds_instance, "StorageEncrypted", RK_BOOL, storage_encrypted),
	F(rds_instance, "KmsKeyId", RK_STR, kms_key_id),
	F(rds_instance, "Iops", RK_LL, iops),
	F(rds_instance, "AvailabilityZone", RK_STR, availability_zone),
	F(rds_instance, "PubliclyAccessible", RK_BOOL, publicly_accessible),
	F(rds_instance, "DBSubnetGroup/DBSubnetGroupName", RK_STR, subnet_group),
	F(rds_instance, "DBSubnetGroup/VpcId", RK_STR, vpc_id),
	F(rds_instance, "PreferredBackupWindow", RK_STR, backup_window),
	L(rds_instance, "DBParameterGroups/DBParameterGroup/DBParameterGroupName",
	    RK_LIST, parameter_groups, 0),
	L(rds_instance, "VpcSecurityGroups/VpcSecurityGroupMembership/VpcSecurityGroupId",
	    RK_LIST, vpc_security_groups, 1),
	L(rds_instance, "OptionGroupMemberships/OptionGroupMembership/OptionGroupName",
	    RK_LIST, option_groups, 2),
	L(rds_instance, "TagList/Tag/Key", RK_TAG_KEY, tags, 3),
	L(rds_instance, "TagList/Tag/Value", RK_TAG_VALUE, tags, 3),
	L(rds_instance, "TagList/Tag", RK_TAG, tags, 3),
	{ NULL, RK_STR, 0, 0, 0 }
};

static const struct rds_field rds_snapshot_fields[] = {
	F(rds_snapshot, "DBSnapshotIdentifier", RK_STR, id),
	F(rds_snapshot, "DBSnapshotArn", RK_STR, arn),
	F(rds_snapshot, "DBInstanceIdentifier", RK_STR, instance_id),
	F(rds_snapshot, "DbiResourceId", RK_STR, resource_id),
	F(rds_snapshot, "SnapshotType", RK_STR, type),
	F(rds_snapshot, "Status", RK_STR, status),
	F(rds_snapshot, "SnapshotCreateTime", RK_TIME, created),
	F(rds_snapshot, "InstanceCreateTime", RK_TIME, instance_created),
	F(rds_snapshot, "PercentProgress", RK_LL, percent_progress),
	F(rds_snapshot, "Engine", RK_STR, engine),
	F(rds_snapshot, "EngineVersion", RK_STR, engine_version),
	F(rds_snapshot, "AllocatedStorage", RK_LL, allocated_storage),
	F(rds_snapshot, "Port", RK_LL, port),
	F(rds_snapshot, "AvailabilityZone", RK_STR, availability_zone),
	F(rds_snapshot, "VpcId", RK_STR, vpc_id),
	F(rds_snapshot, "StorageType", RK_STR, storage_type),
	F(rds_snapshot, "Encrypted", RK_BOOL, encrypted),
	{ NULL, RK_STR, 0, 0, 0 }
};

static const struct rds_field rds_cluster_fields[] = {
	F(rds_cluster, "DBClusterIdentifier", RK_STR, id),
	F(rds_cluster, "DBClusterArn", RK_STR, arn),
	F(rds_cluster, "DbClusterResourceId", RK_STR, resource_id),
	F(rds_cluster, "Engine", RK_STR, engine),
	F(rds_cluster, "EngineVersion", RK_STR, engine_version),
	F(rds_cluster, "EngineMode", RK_STR, engine_mode),
	F(rds_cluster, "Status", RK_STR, status),
	F(rds_cluster, "BackupRetentionPeriod", RK_LL, backup_retention),
	F(rds_cluster, "EarliestRestorableTime", RK_TIME, earliest_restorable),
	F(rds_cluster, "LatestRestorableTime", RK_TIME, latest_restorable),
	F(rds_cluster, "ClusterCreateTime", RK_TIME, created),
	F(rds_cluster, "Endpoint", RK_STR, endpoint),
	F(rds_cluster, "ReaderEndpoint", RK_STR, reader_endpoint),
	F(rds_cluster, "Port", RK_LL, port),
	F(rds_cluster, "MultiAZ", RK_BOOL, multi_az),
	F(rds_cluster, "DeletionProtection", RK_BOOL, deletion_protection),
	F(rds_cluster, "StorageEncrypted", RK_BOOL, storage_encrypted),
	F(rds_cluster, "DBSubnetGroup", RK_STR, subnet_group),
	F(rds_cluster, "DBClusterParameterGroup", RK_STR, parameter_group),
	L(rds_cluster, "VpcSecurityGroups/VpcSecurityGroupMembership/VpcSecurityGroupId",
	    RK_LIST, vpc_security_groups, 0),
	L(rds_cluster, "DBClusterMembers/DBClusterMember/DBInstanceIdentifier",
	    RK_MEMBER_ID, members, 1),
	L(rds_cluster, "DBClusterMembers/DBClusterMember/IsClusterWriter",
	    RK_MEMBER_WRITER, members, 1),
	L(rds_cluster, "DBClusterMembers/DBClusterMember", RK_MEMBER, members, 1),
	L(rds_cluster, "TagList/Tag/Key", RK_TAG_KEY, tags, 2),
	L(rds_cluster, "TagList/Tag/Value", RK_TAG_VALUE, tags, 2),
	L(rds_cluster, "TagList/Tag", RK_TAG, tags, 2),
	{ NULL, RK_STR, 0, 0, 0 }
};

static const struct rds_field rds_cluster_snapshot_fields[] = {
	F(rds_cluster_snapshot, "DBClusterSnapshotIdentifier", RK_STR, id),
	F(rds_cluster_snapshot, "DBClusterSnapshotArn", RK_STR, arn),
	F(rds_cluster_snapshot, "DBClusterIdentifier", RK_STR, cluster_id),
	F(rds_cluster_snapshot, "SnapshotType", RK_STR, type),
	F(rds_cluster_snapshot, "Status", RK_STR, status),
	F(rds_cluster_snapshot, "SnapshotCreateTime", RK_TIME, created),
	F(rds_cluster_snapshot, "ClusterCreateTime", RK_TIME, cluster_created),
	F(rds_cluster_snapshot, "PercentProgress", RK_LL, percent_progress),
	F(rds_cluster_snapshot, "Engine", RK_STR, engine),
	F(rds_cluster_snapshot, "EngineVersion", RK_STR, engine_version),
	F(rds_cluster_snapshot, "AllocatedStorage", RK_LL, allocated_storage),
	F(rds_cluster_snapshot, "Port", RK_LL, port),
	F(rds_cluster_snapshot, "VpcId", RK_STR, vpc_id),
	F(rds_cluster_snapshot, "StorageEncrypted", RK_BOOL, encrypted),
	{ NULL, RK_STR, 0, 0, 0 }
};

static const struct rds_field rds_automated_backup_fields[] = {
	F(rds_automated_backup, "DBInstanceIdentifier", RK_STR, instance_id),
	F(rds_automated_backup, "DBInstanceAutomatedBackupsArn", RK_STR, arn),
	F(rds_automated_backup, "DBInstanceArn", RK_STR, instance_arn),
	F(rds_automated_backup, "DbiResourceId", RK_STR, resource_id),
	F(rds_automated_backup, "Region", RK_STR, region),
	F(rds_automated_backup, "Status", RK_STR, status),
	F(rds_automated_backup, "RestoreWindow/EarliestTime", RK_TIME, earliest),
	F(rds_automated_backup, "RestoreWindow/LatestTime", RK_TIME, latest),
	F(rds_automated_backup, "BackupRetentionPeriod", RK_LL, backup_retention),
	F(rds_automated_backup, "InstanceCreateTime", RK_TIME, instance_created),
	F(rds_automated_backup, "Engine", RK_STR, engine),
	F(rds_automated_backup, "EngineVersion", RK_STR, engine_version),
	F(rds_automated_backup, "AllocatedStorage", RK_LL, allocated_storage),
	F(rds_automated_backup, "Encrypted", RK_BOOL, encrypted),
	{ NULL, RK_STR, 0, 0, 0 }
};

#define SHAPE(op, list, item, type, idname, idmember, fields) {		\
	op, op "Response",						\
	"/" op "Response/" op "Result/" list "/" item,			\
	"/" op "Response/" op "Result/Marker",				\
	item, idname, offsetof(struct type, idmember),			\
	sizeof(struct type), fields }

static const struct rds_shape rds_instance_shape = SHAPE("DescribeDBInstances",
    "DBInstances", "DBInstance", rds_instance, "DBInstanceIdentifier", id,
    rds_instance_fields);
static const struct rds_shape rds_snapshot_shape = SHAPE("DescribeDBSnapshots",
    "DBSnapshots", "DBSnapshot", rds_snapshot, "DBSnapshotIdentifier", id,
    rds_snapshot_fields);
static const struct rds_shape rds_cluster_shape = SHAPE("DescribeDBClusters",
    "DBClusters", "DBCluster", rds_cluster, "DBClusterIdentifier", id,
    rds_cluster_fields);
static const struct rds_shape rds_cluster_snapshot_shape = SHAPE(
    "DescribeDBClusterSnapshots", "DBClusterSnapshots", "DBClusterSnapshot",
    rds_cluster_snapshot, "DBClusterSnapshotIdentifier", id,
    rds_cluster_snapshot_fields);
static const struct rds_shape rds_automated_backup_shape = SHAPE(
    "DescribeDBInstanceAutomatedBackups", "DBInstanceAutomatedBackups",
    "DBInstanceAutomatedBackup", rds_automated_backup, "DBInstanceIdentifier",
    instance_id, rds_automated_backup_fields);

/* ---- the parser ---- */

struct rds_parse {
	const struct rds_shape	 *shape;
	int			  item_depth;
	size_t			  item_path_len;
	struct svc_arena	  arena;
	char			 *items;	/* n items of shape->size bytes */
	size_t			  n, cap;
	size_t			 (*starts)[RDS_SLOTS];	/* per item: first pool index of each list */
	size_t			  cap_starts;
	const char		**strs;		/* string lists of the page */
	size_t			  n_strs, cap_strs;
	struct rds_tag		 *tags;
	size_t			  n_tags, cap_tags;
	struct rds_cluster_member *members;
	size_t			  n_members, cap_members;
	struct rds_tag		  tag;		/* the tag being read */
	struct rds_cluster_member member;	/* the member being read */
	bool			  in;
	const char		 *marker;
	struct sv_err		  err;
};

static void
rds_parse_init(struct rds_parse *p, const struct rds_shape *shape)
{
	const char	*s;

	memset(p, 0, sizeof *p);
	p->shape = shape;
	p->item_path_len = strlen(shape->item_path);
	for (s = shape->item_path; *s != '\0'; s++) {
		if (*s == '/')
			p->item_depth++;
	}
}

static void
rds_parse_free(struct rds_parse *p)
{
	svc_arena_free(&p->arena);
	free(p->items);
	free(p->starts);
	free(p->strs);
	free(p->tags);
	free(p->members);
}

static void
rds_parse_start(void *arg, int depth, const char *name)
{
	struct rds_parse	*p = arg;
	const struct rds_field	*f;
	char			*item;
	size_t			 need;

	if (depth != p->item_depth || strcmp(name, p->shape->item_name) != 0)
		return;
	/* The element's path is checked at its end; items only appear at
	 * this depth under the list element in the shapes we parse. */
	need = p->n + 1;
	p->items = svc_grow(p->items, &p->cap, need, p->shape->size);
	p->starts = svc_grow(p->starts, &p->cap_starts, need, sizeof *p->starts);
	item = p->items + p->n * p->shape->size;
	memset(item, 0, p->shape->size);
	for (f = p->shape->fields; f->rel != NULL; f++) {
		if (f->kind == RK_TIME)
			*(sv_time *)(item + f->off) = SV_TIME_NONE;
		else if (f->kind == RK_LL)
			*(long long *)(item + f->off) = -1;
	}
	memset(p->starts[p->n], 0, sizeof p->starts[p->n]);
	p->n++;
	p->in = true;
}

/* Counts one more element of a list of the current item. */
static void
rds_list_add(struct rds_parse *p, char *item, const struct rds_field *f,
    size_t pool_index)
{
	size_t	*count = (size_t *)(item + f->off_n);

	if (*count == 0)
		p->starts[p->n - 1][f->slot] = pool_index;
	(*count)++;
}

static void
rds_parse_field(struct rds_parse *p, char *item, const struct rds_field *f,
    const char *text, size_t len)
{
	switch (f->kind) {
	case RK_STR:
		*(const char **)(item + f->off) = svc_arena_strndup(&p->arena,
		    text, len);
		break;
	case RK_TIME:
		*(sv_time *)(item + f->off) = svc_parse_time(text, f->rel, &p->err);
		break;
	case RK_LL:
		*(long long *)(item + f->off) = svc_parse_ll(text, f->rel, &p->err);
		break;
	case RK_BOOL:
		*(bool *)(item + f->off) = svc_parse_bool(text, f->rel, &p->err);
		break;
	case RK_LIST:
		rds_list_add(p, item, f, p->n_strs);
		*SVC_PUSH(p->strs, p->n_strs, p->cap_strs) =
		    svc_arena_strndup(&p->arena, text, len);
		break;
	case RK_TAG_KEY:
		p->tag.key = svc_arena_strndup(&p->arena, text, len);
		break;
	case RK_TAG_VALUE:
		p->tag.value = svc_arena_strndup(&p->arena, text, len);
		break;
	case RK_TAG:
		if (p->tag.key == NULL)
			sv_err_set(&p->err, SV_E_PARSE, "a Tag without Key");
		rds_list_add(p, item, f, p->n_tags);
		*SVC_PUSH(p->tags, p->n_tags, p->cap_tags) = p->tag;
		memset(&p->tag, 0, sizeof p->tag);
		break;
	case RK_MEMBER_ID:
		p->member.instance_id = svc_arena_strndup(&p->arena, text, len);
		break;
	case RK_MEMBER_WRITER:
		p->member.writer = svc_parse_bool(text, f->rel, &p->err);
		break;
	case RK_MEMBER:
		if (p->member.instance_id == NULL)
			sv_err_set(&p->err, SV_E_PARSE,
			    "a DBClusterMember without DBInstanceIdentifier");
		rds_list_add(p, item, f, p->n_members);
		*SVC_PUSH(p->members, p->n_members, p->cap_members) = p->member;
		memset(&p->member, 0, sizeof p->member);
		break;
	}
}

static void
rds_parse_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct rds_parse	*p = arg;
	const struct rds_field	*f;
	const char		*rel;
	char			*item;

	if (!p->in) {
		if (depth == p->item_depth - 1 &&
		    strcmp(path, p->shape->marker_path) == 0 && len > 0)
			p->marker = svc_arena_strndup(&p->arena, text, len);
		return;
	}
	item = p->items + (p->n - 1) * p->shape->size;
	if (depth == p->item_depth) {
		if (strncmp(path, p->shape->item_path, p->item_path_len) != 0 ||
		    path[p->item_path_len] != '\0')
			sv_err_set(&p->err, SV_E_PARSE, "unexpected <%s> at %s",
			    name, path);
		if (*(const char **)(item + p->shape->id_off) == NULL)
			sv_err_set(&p->err, SV_E_PARSE, "a <%s> without %s",
			    p->shape->item_name, p->shape->id_name);
		p->in = false;
		return;
	}
	if (strlen(path) <= p->item_path_len + 1)
		return;
	rel = path + p->item_path_len + 1;
	for (f = p->shape->fields; f->rel != NULL; f++) {
		if (strcmp(rel, f->rel) == 0) {
			rds_parse_field(p, item, f, text, len);
			break;
		}
	}
}

/* Parses one page; on success items, lists and marker are complete. */
static sv_result
rds_parse_run(struct rds_parse *p, const char *xml, size_t len,
    struct sv_err *err)
{
	static const struct xml_handler h = { rds_parse_start, rds_parse_end };
	const char		*roots[2] = { p->shape->root, NULL };
	const struct rds_field	*f;
	size_t			 i;
	char			*item;

	svc_arena_reset(&p->arena);
	p->n = p->n_strs = p->n_tags = p->n_members = 0;
	memset(&p->tag, 0, sizeof p->tag);
	memset(&p->member, 0, sizeof p->member);
	p->in = false;
	p->marker = NULL;
	sv_err_init(&p->err);
	if (svc_xml_parse(xml, len, p->shape->op, roots, &h, p, err) != SV_OK)
		return err->code;
	if (p->err.code != SV_OK)
		return sv_err_set(err, p->err.code, "%s: bad response: %s",
		    p->shape->op, p->err.msg);
	/* Point the lists into the pools, now that they stopped moving. */
	for (i = 0; i < p->n; i++) {
		item = p->items + i * p->shape->size;
		for (f = p->shape->fields; f->rel != NULL; f++) {
			size_t	start = p->starts[i][f->slot];
			size_t	count;

			if (f->kind == RK_LIST)
				*(const char *const **)(item + f->off) =
				    *(size_t *)(item + f->off_n) ? p->strs + start : NULL;
			else if (f->kind == RK_TAG) {
				count = *(size_t *)(item + f->off_n);
				*(const struct rds_tag **)(item + f->off) =
				    count ? p->tags + start : NULL;
			} else if (f->kind == RK_MEMBER) {
				count = *(size_t *)(item + f->off_n);
				*(const struct rds_cluster_member **)(item + f->off) =
				    count ? p->members + start : NULL;
			}
		}
	}
	return SV_OK;
}

/* The five page structs share one layout: { const T *v; size_t n; const
 * char *marker; }. Each parse-from-memory function fills its own. */
#define RDS_PARSE_FN(fname, shape, ptype, itype, fntype)		\
sv_result								\
fname(const char *xml, size_t len, fntype fn, void *data,		\
    struct sv_err *err)							\
{									\
	struct rds_parse	p;					\
	struct ptype		page;					\
	sv_result		result;					\
									\
	rds_parse_init(&p, &shape);					\
	result = rds_parse_run(&p, xml, len, err);			\
	if (result == SV_OK) {						\
		page.v = (const struct itype *)(void *)p.items;		\
		page.n = p.n;						\
		page.marker = p.marker;					\
		fn(data, &page);					\
	}								\
	rds_parse_free(&p);						\
	return result;							\
}

RDS_PARSE_FN(rds_parse_instances_page, rds_instance_shape, rds_instances_page,
    rds_instance, rds_instances_page_fn)
RDS_PARSE_FN(rds_parse_snapshots_page, rds_snapshot_shape, rds_snapshots_page,
    rds_snapshot, rds_snapshots_page_fn)
RDS_PARSE_FN(rds_parse_clusters_page, rds_cluster_shape, rds_clusters_page,
    rds_cluster, rds_clusters_page_fn)
RDS_PARSE_FN(rds_parse_cluster_snapshots_page, rds_cluster_snapshot_shape,
    rds_cluster_snapshots_page, rds_cluster_snapshot, rds_cluster_snapshots_page_fn)
RDS_PARSE_FN(rds_parse_automated_backups_page, rds_automated_backup_shape,
    rds_automated_backups_page, rds_automated_backup, rds_automated_backups_page_fn)

/* ---- operations ---- */

struct rds_state {
	enum aws_op_id		 op;
	struct aws_kvlist	 filters;	/* request parameters besides Marker */
	char			*marker;
	char			*target;
	union {
		rds_instances_page_fn		instances;
		rds_snapshots_page_fn		snapshots;
		rds_clusters_page_fn		clusters;
		rds_cluster_snapshots_page_fn	cluster_snapshots;
		rds_automated_backups_page_fn	automated_backups;
	} fn;
	void			*data;
	struct rds_parse	 parse;
};

static void
rds_state_free(void *arg)
{
	struct rds_state	*st = arg;

	aws_kvlist_free(&st->filters);
	free(st->marker);
	free(st->target);
	rds_parse_free(&st->parse);
	free(st);
}

static sv_result
rds_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct rds_state	*st = arg;
	size_t			 i;

	call->op = st->op;
	call->target = st->target;
	for (i = 0; i < st->filters.n; i++)
		aws_kvlist_add(&call->params, st->filters.v[i].name,
		    st->filters.v[i].value);
	aws_kvlist_add(&call->params, "MaxRecords", RDS_MAX_RECORDS);
	if (st->marker != NULL)
		aws_kvlist_add(&call->params, "Marker", st->marker);
	return SV_OK;
}

static sv_result
rds_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct rds_state	*st = arg;
	const void		*v;
	bool			 keep = true;
	sv_result		 result;

	result = rds_parse_run(&st->parse, buf_str(&resp->body), resp->body.len, err);
	if (result != SV_OK)
		return result;
	v = st->parse.items;
	out->items = st->parse.n;
	switch (st->op) {
	case OP_RDS_DescribeDBInstances: {
		struct rds_instances_page page = { v, st->parse.n, st->parse.marker };

		keep = st->fn.instances(st->data, &page);
		break;
	}
	case OP_RDS_DescribeDBSnapshots: {
		struct rds_snapshots_page page = { v, st->parse.n, st->parse.marker };

		keep = st->fn.snapshots(st->data, &page);
		break;
	}
	case OP_RDS_DescribeDBClusters: {
		struct rds_clusters_page page = { v, st->parse.n, st->parse.marker };

		keep = st->fn.clusters(st->data, &page);
		break;
	}
	case OP_RDS_DescribeDBClusterSnapshots: {
		struct rds_cluster_snapshots_page page = { v, st->parse.n,
		    st->parse.marker };

		keep = st->fn.cluster_snapshots(st->data, &page);
		break;
	}
	case OP_RDS_DescribeDBInstanceAutomatedBackups: {
		struct rds_automated_backups_page page = { v, st->parse.n,
		    st->parse.marker };

		keep = st->fn.automated_backups(st->data, &page);
		break;
	}
	default:
		return sv_err_set(err, SV_E_INVALID, "rds: operation not handled");
	}
	out->stop = !keep;
	if (st->parse.marker != NULL && !out->stop) {
		if (st->marker != NULL && strcmp(st->marker, st->parse.marker) == 0)
			return sv_err_set(err, SV_E_PARSE,
			    "%s: bad response: the Marker repeats the previous one",
			    st->parse.shape->op);
		free(st->marker);
		st->marker = xstrdup(st->parse.marker);
		out->more = true;
	}
	return SV_OK;
}

static const struct svc_op_type rds_instances_type = {
	"instances", rds_prepare, rds_page, NULL, rds_state_free
};
static const struct svc_op_type rds_snapshots_type = {
	"snapshots", rds_prepare, rds_page, NULL, rds_state_free
};
static const struct svc_op_type rds_clusters_type = {
	"clusters", rds_prepare, rds_page, NULL, rds_state_free
};
static const struct svc_op_type rds_backups_type = {
	"automated backups", rds_prepare, rds_page, NULL, rds_state_free
};

static struct rds_state *
rds_state_new(enum aws_op_id op, const struct rds_shape *shape, void *data)
{
	struct rds_state	*st = xcalloc(1, sizeof *st);

	st->op = op;
	st->data = data;
	rds_parse_init(&st->parse, shape);
	return st;
}

static void
rds_filter(struct rds_state *st, const char *name, const char *value)
{
	if (value != NULL && *value != '\0')
		aws_kvlist_add(&st->filters, name, value);
}

/* Starts with context "<what> <scheme>://<id>" or "<what>s" when no id. */
static struct svc_op *
rds_start(struct aws_client *client, const struct svc_op_type *type,
    struct rds_state *st, const char *context, const char *scheme,
    const char *id, svc_done_fn done, void *data)
{
	struct svc_op	*o;
	char		*ctx;

	if (id != NULL && *id != '\0') {
		st->target = xasprintf("%s://%s", scheme, id);
		ctx = xasprintf("%s %s", context, st->target);
	} else {
		st->target = xasprintf("%s://", scheme);
		ctx = xasprintf("%s", context);
	}
	o = svc_op_start(client, type, st, ctx, done, data);
	free(ctx);
	return o;
}

struct svc_op *
rds_describe_db_instances(struct aws_client *client,
    const struct rds_instances_req *req, rds_instances_page_fn fn,
    svc_done_fn done, void *data)
{
	struct rds_state	*st = rds_state_new(OP_RDS_DescribeDBInstances,
				    &rds_instance_shape, data);
	const char		*id = req != NULL ? req->instance_id : NULL;

	st->fn.instances = fn;
	rds_filter(st, "DBInstanceIdentifier", id);
	return rds_start(client, &rds_instances_type, st,
	    id != NULL && *id != '\0' ? "describing" : "listing RDS instances",
	    "rds", id, done, data);
}

struct svc_op *
rds_describe_db_snapshots(struct aws_client *client,
    const struct rds_snapshots_req *req, rds_snapshots_page_fn fn,
    svc_done_fn done, void *data)
{
	struct rds_state	*st = rds_state_new(OP_RDS_DescribeDBSnapshots,
				    &rds_snapshot_shape, data);
	const char		*id = NULL;

	st->fn.snapshots = fn;
	if (req != NULL) {
		rds_filter(st, "DBInstanceIdentifier", req->instance_id);
		rds_filter(st, "DBSnapshotIdentifier", req->snapshot_id);
		rds_filter(st, "SnapshotType", req->snapshot_type);
		rds_filter(st, "DbiResourceId", req->resource_id);
		id = req->instance_id;
	}
	return rds_start(client, &rds_snapshots_type, st,
	    id != NULL && *id != '\0' ? "listing snapshots of" :
	    "listing RDS snapshots", "rds", id, done, data);
}

struct svc_op *
rds_describe_db_clusters(struct aws_client *client,
    const struct rds_clusters_req *req, rds_clusters_page_fn fn,
    svc_done_fn done, void *data)
{
	struct rds_state	*st = rds_state_new(OP_RDS_DescribeDBClusters,
				    &rds_cluster_shape, data);
	const char		*id = req != NULL ? req->cluster_id : NULL;

	st->fn.clusters = fn;
	rds_filter(st, "DBClusterIdentifier", id);
	return rds_start(client, &rds_clusters_type, st,
	    id != NULL && *id != '\0' ? "describing" : "listing RDS clusters",
	    "rds-cluster", id, done, data);
}

struct svc_op *
rds_describe_db_cluster_snapshots(struct aws_client *client,
    const struct rds_cluster_snapshots_req *req,
    rds_cluster_snapshots_page_fn fn, svc_done_fn done, void *data)
{
	struct rds_state	*st = rds_state_new(OP_RDS_DescribeDBClusterSnapshots,
				    &rds_cluster_snapshot_shape, data);
	const char		*id = NULL;

	st->fn.cluster_snapshots = fn;
	if (req != NULL) {
		rds_filter(st, "DBClusterIdentifier", req->cluster_id);
		rds_filter(st, "DBClusterSnapshotIdentifier", req->snapshot_id);
		rds_filter(st, "SnapshotType", req->snapshot_type);
		id = req->cluster_id;
	}
	return rds_start(client, &rds_snapshots_type, st,
	    id != NULL && *id != '\0' ? "listing snapshots of" :
	    "listing RDS cluster snapshots", "rds-cluster", id, done, data);
}

struct svc_op *
rds_describe_db_instance_automated_backups(struct aws_client *client,
    const struct rds_automated_backups_req *req,
    rds_automated_backups_page_fn fn, svc_done_fn done, void *data)
{
	struct rds_state	*st = rds_state_new(
				    OP_RDS_DescribeDBInstanceAutomatedBackups,
				    &rds_automated_backup_shape, data);
	const char		*id = NULL;

	st->fn.automated_backups = fn;
	if (req != NULL) {
		rds_filter(st, "DBInstanceIdentifier", req->instance_id);
		rds_filter(st, "DbiResourceId", req->resource_id);
		id = req->instance_id;
	}
	return rds_start(client, &rds_backups_type, st,
	    id != NULL && *id != '\0' ? "listing automated backups of" :
	    "listing RDS automated backups", "rds", id, done, data);
}
