/* fuzz-s3-versions.c - libFuzzer target for the S3 listing parsers:
 * ListObjectVersions first (the one that streams millions of entries),
 * then ListObjectsV2, ListBuckets and the small bucket documents. The
 * callbacks read every string they are given so that ASan sees any
 * pointer that outlives its page. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "svc/s3.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile size_t sink;

static void
touch(const char *s)
{
	if (s != NULL)
		sink += strlen(s);
}

static bool
on_versions(void *arg, const struct s3_versions_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		touch(p->entries[i].key);
		touch(p->entries[i].version_id);
		touch(p->entries[i].etag);
		touch(p->entries[i].storage_class);
		touch(p->entries[i].owner_id);
		sink += (size_t)p->entries[i].size + (size_t)p->entries[i].last_modified;
	}
	for (i = 0; i < p->n_prefixes; i++)
		touch(p->prefixes[i]);
	touch(p->next_key_marker);
	touch(p->next_version_id_marker);
	return true;
}

static bool
on_objects(void *arg, const struct s3_objects_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		touch(p->objects[i].key);
		touch(p->objects[i].etag);
		touch(p->objects[i].storage_class);
	}
	for (i = 0; i < p->n_prefixes; i++)
		touch(p->prefixes[i]);
	touch(p->next_token);
	return true;
}

static bool
on_buckets(void *arg, const struct s3_buckets_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		touch(p->buckets[i].name);
		touch(p->buckets[i].region);
	}
	touch(p->owner_id);
	touch(p->continuation_token);
	return true;
}

static bool
on_versioning(void *arg, const struct s3_versioning *v)
{
	sink += (size_t)v->status + v->mfa_delete;
	return true;
}

static bool
on_location(void *arg, const struct s3_location *l)
{
	touch(l->region);
	return true;
}

static bool
on_lock(void *arg, const struct s3_object_lock *l)
{
	touch(l->mode);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	struct sv_err	 err;

	sv_err_init(&err);
	s3_parse_versions_page(p, size, on_versions, NULL, &err);
	sv_err_init(&err);
	s3_parse_objects_page(p, size, on_objects, NULL, &err);
	sv_err_init(&err);
	s3_parse_buckets_page(p, size, on_buckets, NULL, &err);
	sv_err_init(&err);
	s3_parse_versioning(p, size, on_versioning, NULL, &err);
	sv_err_init(&err);
	s3_parse_location(p, size, on_location, NULL, &err);
	sv_err_init(&err);
	s3_parse_object_lock(p, size, on_lock, NULL, &err);
	return 0;
}
