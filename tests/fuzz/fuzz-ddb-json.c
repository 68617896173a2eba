/* fuzz-ddb-json.c - libFuzzer target for the JSON response parsers:
 * DynamoDB (DescribeTable, ListBackups, ListTables,
 * DescribeContinuousBackups), AWS Backup (ListBackupVaults,
 * ListRecoveryPointsByBackupVault, the restore calls' answers) and
 * Application Auto Scaling (DescribeScalableTargets,
 * DescribeScalingPolicies). The callbacks read every string they are
 * given. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "svc/autoscaling.h"
#include "svc/backup.h"
#include "svc/backup-restore.h"
#include "svc/dynamodb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile size_t sink;

static void
touch(const char *s)
{
	if (s != NULL)
		sink += strlen(s);
}

static bool
on_table(void *arg, const struct ddb_table *t)
{
	size_t	i;

	touch(t->name);
	touch(t->arn);
	touch(t->id);
	touch(t->status);
	touch(t->billing_mode);
	for (i = 0; i < t->n_keys; i++) {
		touch(t->keys[i].attr);
		touch(t->keys[i].key_type);
		touch(t->keys[i].attr_type);
	}
	for (i = 0; i < t->n_gsis; i++)
		touch(t->gsis[i]);
	for (i = 0; i < t->n_lsis; i++)
		touch(t->lsis[i]);
	touch(t->stream_view_type);
	touch(t->stream_arn);
	touch(t->sse_status);
	touch(t->sse_type);
	touch(t->sse_kms_key_arn);
	touch(t->table_class);
	touch(t->restore_source_backup_arn);
	touch(t->restore_source_table_arn);
	return true;
}

static bool
on_backups(void *arg, const struct ddb_backups_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		touch(p->backups[i].arn);
		touch(p->backups[i].name);
		touch(p->backups[i].table_name);
		touch(p->backups[i].table_arn);
		touch(p->backups[i].table_id);
		touch(p->backups[i].status);
		touch(p->backups[i].type);
	}
	touch(p->last_evaluated);
	return true;
}

static bool
on_tables(void *arg, const struct ddb_tables_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		touch(p->names[i]);
	touch(p->last_evaluated);
	return true;
}

static bool
on_cb(void *arg, const struct ddb_continuous_backups *c)
{
	touch(c->status);
	touch(c->pitr_status);
	return true;
}

static bool
on_vaults(void *arg, const struct backup_vaults_page *p)
{
	(void)arg;
	for (size_t i = 0; i < p->n; i++) {
		touch(p->v[i].name);
		touch(p->v[i].arn);
		touch(p->v[i].type);
		sink += (size_t)p->v[i].created + (size_t)p->v[i].recovery_points;
	}
	touch(p->next_token);
	return true;
}

static bool
on_rpoints(void *arg, const struct backup_points_page *p)
{
	(void)arg;
	for (size_t i = 0; i < p->n; i++) {
		const struct backup_recovery_point *r = &p->v[i];

		touch(r->arn);
		touch(r->vault);
		touch(r->resource_arn);
		touch(r->resource_type);
		touch(r->resource_name);
		touch(r->status);
		touch(r->status_message);
		sink += (size_t)r->created + (size_t)r->completed + (size_t)r->size;
	}
	touch(p->next_token);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	struct sv_err	 err;

	sv_err_init(&err);
	ddb_parse_table(p, size, on_table, NULL, &err);
	sv_err_init(&err);
	ddb_parse_backups_page(p, size, on_backups, NULL, &err);
	sv_err_init(&err);
	ddb_parse_tables_page(p, size, on_tables, NULL, &err);
	sv_err_init(&err);
	ddb_parse_continuous_backups(p, size, on_cb, NULL, &err);
	sv_err_init(&err);
	backup_parse_vaults_page(p, size, on_vaults, NULL, &err);
	sv_err_init(&err);
	backup_parse_points_page(p, size, on_rpoints, NULL, &err);
	{
		static const enum aws_op_id ops[] = {
			OP_BACKUP_DescribeRecoveryPoint,
			OP_BACKUP_GetRecoveryPointRestoreMetadata,
			OP_BACKUP_StartRestoreJob, OP_BACKUP_DescribeRestoreJob
		};
		struct backup_answer a;

		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
			sv_err_init(&err);
			if (backup_parse_answer(ops[i], p, size, &a, &err) == SV_OK) {
				touch(a.rp.arn);
				touch(a.rp.status);
				touch(a.job.id);
				touch(a.job.status);
				for (size_t k = 0; k < a.metadata.n; k++) {
					touch(a.metadata.v[k].name);
					touch(a.metadata.v[k].value);
				}
				backup_answer_free(&a);
			}
		}
	}
	{
		struct aas_set	 set;
		char		*next = NULL;

		memset(&set, 0, sizeof set);
		sv_err_init(&err);
		(void)aas_parse_target_page("t", p, size, &set, &next, &err);
		free(next);
		next = NULL;
		sv_err_init(&err);
		(void)aas_parse_policy_page("t", p, size, &set, &next, &err);
		free(next);
		for (size_t i = 0; i < set.npolicies; i++)
			touch(set.policies[i].config);
		aas_set_free(&set);
	}
	return 0;
}
