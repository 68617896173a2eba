/* s3.c - the read operations of Amazon S3 (rest-xml): ListBuckets,
 * GetBucketVersioning, GetBucketLocation, GetObjectLockConfiguration,
 * ListObjectsV2, ListObjectVersions and HeadObject. Listing pages are
 * parsed as they stream through expat into a per-page arena and arrays
 * reused across pages; nothing is allocated per element. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "svc/s3.h"
#include "svc/svc-internal.h"
#include "util/str.h"
#include "util/xalloc.h"

#define S3_MAX_KEYS	1000

/* ---- shared helpers ---- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes S3's encoding-type=url in place ('+' is a space, as botocore's
 * unquote_plus). Returns false on a malformed escape or an encoded NUL. */
static bool
url_decode_inplace(char *s)
{
	char	*w;
	int	 hi, lo;

	if (s == NULL)
		return true;
	s += strcspn(s, "%+");	/* most keys need nothing */
	w = s;
	for (; *s != '\0'; s++) {
		if (*s == '%') {
			if ((hi = hexval(s[1])) < 0 || (lo = hexval(s[2])) < 0)
				return false;
			if (hi == 0 && lo == 0)
				return false;
			*w++ = (char)(hi << 4 | lo);
			s += 2;
		} else if (*s == '+')
			*w++ = ' ';
		else
			*w++ = *s;
	}
	*w = '\0';
	return true;
}

/* Interns the usual storage classes; copies anything else. */
static const char *
storage_class(struct svc_arena *a, const char *text, size_t len)
{
	static const char *const known[] = {
		"STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
		"GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "REDUCED_REDUNDANCY",
		"EXPRESS_ONEZONE", "OUTPOSTS", "SNOW"
	};
	size_t	i;

	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(text, known[i]) == 0)
			return known[i];
	}
	return svc_arena_strndup(a, text, len);
}

/* "s3://bucket/prefix" for messages and the audit target. */
static char *
s3_uri(const char *bucket, const char *key)
{
	return xasprintf("s3://%s/%s", bucket, key != NULL ? key : "");
}

/* ---- ListObjectVersions parsing ---- */

enum s3_in {
	S3_IN_NONE,
	S3_IN_ENTRY,		/* <Version>, <DeleteMarker>, <Contents>, <Bucket> */
	S3_IN_PREFIXES		/* <CommonPrefixes> */
};

struct s3_vparse {
	struct svc_arena	 arena;
	struct s3_version	*v;
	size_t			 n, cap;
	const char		**prefixes;
	size_t			 n_prefixes, cap_prefixes;
	enum s3_in		 in;
	bool			 truncated;
	bool			 url;
	char			*next_key;
	char			*next_vid;
	struct sv_err		 err;
};

static void
s3_vparse_reset(struct s3_vparse *p)
{
	svc_arena_reset(&p->arena);
	p->n = p->n_prefixes = 0;
	p->in = S3_IN_NONE;
	p->truncated = p->url = false;
	p->next_key = p->next_vid = NULL;
	sv_err_init(&p->err);
}

static void
s3_vparse_free(struct s3_vparse *p)
{
	svc_arena_free(&p->arena);
	free(p->v);
	free(p->prefixes);
}

static void
s3_vparse_start(void *arg, int depth, const char *name)
{
	struct s3_vparse	*p = arg;
	struct s3_version	*e;

	if (depth != 2)
		return;
	if (name[0] == 'V' && strcmp(name, "Version") == 0) {
		e = SVC_PUSH(p->v, p->n, p->cap);
		memset(e, 0, sizeof *e);
		e->last_modified = SV_TIME_NONE;
		e->size = -1;
		p->in = S3_IN_ENTRY;
	} else if (name[0] == 'D' && strcmp(name, "DeleteMarker") == 0) {
		e = SVC_PUSH(p->v, p->n, p->cap);
		memset(e, 0, sizeof *e);
		e->last_modified = SV_TIME_NONE;
		e->size = -1;
		e->delete_marker = true;
		p->in = S3_IN_ENTRY;
	} else if (strcmp(name, "CommonPrefixes") == 0)
		p->in = S3_IN_PREFIXES;
}

static void
s3_vparse_entry(struct s3_vparse *p, struct s3_version *e, const char *name,
    const char *text, size_t len)
{
	switch (name[0]) {
	case 'K':
		if (strcmp(name, "Key") == 0)
			e->key = svc_arena_strndup(&p->arena, text, len);
		break;
	case 'V':
		if (strcmp(name, "VersionId") == 0)
			e->version_id = svc_arena_strndup(&p->arena, text, len);
		break;
	case 'I':
		if (strcmp(name, "IsLatest") == 0)
			e->is_latest = svc_parse_bool(text, "IsLatest", &p->err);
		break;
	case 'L':
		if (strcmp(name, "LastModified") == 0)
			e->last_modified = svc_parse_time(text, "LastModified", &p->err);
		break;
	case 'E':
		if (strcmp(name, "ETag") == 0 && !e->delete_marker)
			e->etag = svc_arena_strndup(&p->arena, text, len);
		break;
	case 'S':
		if (strcmp(name, "Size") == 0 && !e->delete_marker)
			e->size = svc_parse_ll(text, "Size", &p->err);
		else if (strcmp(name, "StorageClass") == 0 && !e->delete_marker)
			e->storage_class = storage_class(&p->arena, text, len);
		break;
	}
}

static void
s3_vparse_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3_vparse	*p = arg;

	if (depth == 3) {
		if (p->in == S3_IN_ENTRY)
			s3_vparse_entry(p, &p->v[p->n - 1], name, text, len);
		else if (p->in == S3_IN_PREFIXES && strcmp(name, "Prefix") == 0) {
			const char **pp = SVC_PUSH(p->prefixes, p->n_prefixes,
			    p->cap_prefixes);

			*pp = svc_arena_strndup(&p->arena, text, len);
		}
	} else if (depth == 4) {
		if (p->in == S3_IN_ENTRY && name[0] == 'I' &&
		    strcmp(name, "ID") == 0 && str_ends(path, "/Owner/ID"))
			p->v[p->n - 1].owner_id = svc_arena_strndup(&p->arena,
			    text, len);
	} else if (depth == 2) {
		if (p->in != S3_IN_NONE) {
			if (p->in == S3_IN_ENTRY) {
				struct s3_version *e = &p->v[p->n - 1];

				if (e->key == NULL || e->version_id == NULL)
					sv_err_set(&p->err, SV_E_PARSE,
					    "a <%s> without Key or VersionId", name);
			}
			p->in = S3_IN_NONE;
		} else if (strcmp(name, "IsTruncated") == 0)
			p->truncated = svc_parse_bool(text, "IsTruncated", &p->err);
		else if (strcmp(name, "NextKeyMarker") == 0)
			p->next_key = svc_arena_strndup(&p->arena, text, len);
		else if (strcmp(name, "NextVersionIdMarker") == 0)
			p->next_vid = svc_arena_strndup(&p->arena, text, len);
		else if (strcmp(name, "EncodingType") == 0)
			p->url = strcmp(text, "url") == 0;
	}
}

/* Parses one page into p (reset first), decodes, validates. */
static sv_result
s3_vparse_run(struct s3_vparse *p, const char *xml, size_t len,
    struct s3_versions_page *page, struct sv_err *err)
{
	static const struct xml_handler h = { s3_vparse_start, s3_vparse_end };
	static const char *const roots[] = { "ListVersionsResult", NULL };
	size_t	 i;
	bool	 good = true;

	s3_vparse_reset(p);
	if (svc_xml_parse(xml, len, "ListObjectVersions", roots, &h, p, err) != SV_OK)
		return err->code;
	if (p->err.code != SV_OK)
		return sv_err_set(err, p->err.code,
		    "ListObjectVersions: bad response: %s", p->err.msg);
	if (p->url) {
		for (i = 0; i < p->n; i++)
			good = good && url_decode_inplace((char *)p->v[i].key);
		for (i = 0; i < p->n_prefixes; i++)
			good = good && url_decode_inplace((char *)p->prefixes[i]);
		good = good && url_decode_inplace(p->next_key);
		if (!good)
			return sv_err_set(err, SV_E_PARSE,
			    "ListObjectVersions: bad response: a malformed "
			    "url-encoded key");
	}
	if (p->truncated && (p->next_key == NULL || p->next_key[0] == '\0'))
		return sv_err_set(err, SV_E_PARSE,
		    "ListObjectVersions: bad response: IsTruncated without "
		    "NextKeyMarker (the listing cannot continue)");
	memset(page, 0, sizeof *page);
	page->entries = p->v;
	page->n = p->n;
	page->prefixes = p->prefixes;
	page->n_prefixes = p->n_prefixes;
	page->truncated = p->truncated;
	page->next_key_marker = p->next_key;
	page->next_version_id_marker = p->next_vid;
	page->url_encoded = p->url;
	return SV_OK;
}

sv_result
s3_parse_versions_page(const char *xml, size_t len, s3_versions_page_fn fn,
    void *data, struct sv_err *err)
{
	struct s3_vparse	p;
	struct s3_versions_page	page;
	sv_result		result;

	memset(&p, 0, sizeof p);
	result = s3_vparse_run(&p, xml, len, &page, err);
	if (result == SV_OK)
		fn(data, &page);
	s3_vparse_free(&p);
	return result;
}

/* ---- ListObjectsV2 parsing ---- */

struct s3_oparse {
	struct svc_arena	 arena;
	struct s3_object	*v;
	size_t			 n, cap;
	const char		**prefixes;
	size_t			 n_prefixes, cap_prefixes;
	enum s3_in		 in;
	bool			 truncated;
	bool			 url;
	char			*next_token;
	struct sv_err		 err;
};

static void
s3_oparse_start(void *arg, int depth, const char *name)
{
	struct s3_oparse	*p = arg;
	struct s3_object	*o;

	if (depth != 2)
		return;
	if (strcmp(name, "Contents") == 0) {
		o = SVC_PUSH(p->v, p->n, p->cap);
		memset(o, 0, sizeof *o);
		o->size = -1;
		o->last_modified = SV_TIME_NONE;
		p->in = S3_IN_ENTRY;
	} else if (strcmp(name, "CommonPrefixes") == 0)
		p->in = S3_IN_PREFIXES;
}

static void
s3_oparse_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3_oparse	*p = arg;
	struct s3_object	*o;

	if (depth == 3 && p->in == S3_IN_ENTRY) {
		o = &p->v[p->n - 1];
		if (strcmp(name, "Key") == 0)
			o->key = svc_arena_strndup(&p->arena, text, len);
		else if (strcmp(name, "Size") == 0)
			o->size = svc_parse_ll(text, "Size", &p->err);
		else if (strcmp(name, "ETag") == 0)
			o->etag = svc_arena_strndup(&p->arena, text, len);
		else if (strcmp(name, "LastModified") == 0)
			o->last_modified = svc_parse_time(text, "LastModified", &p->err);
		else if (strcmp(name, "StorageClass") == 0)
			o->storage_class = storage_class(&p->arena, text, len);
	} else if (depth == 3 && p->in == S3_IN_PREFIXES) {
		if (strcmp(name, "Prefix") == 0) {
			const char **pp = SVC_PUSH(p->prefixes, p->n_prefixes,
			    p->cap_prefixes);

			*pp = svc_arena_strndup(&p->arena, text, len);
		}
	} else if (depth == 2) {
		if (p->in != S3_IN_NONE) {
			if (p->in == S3_IN_ENTRY && p->v[p->n - 1].key == NULL)
				sv_err_set(&p->err, SV_E_PARSE,
				    "a <Contents> without Key");
			p->in = S3_IN_NONE;
		} else if (strcmp(name, "IsTruncated") == 0)
			p->truncated = svc_parse_bool(text, "IsTruncated", &p->err);
		else if (strcmp(name, "NextContinuationToken") == 0)
			p->next_token = svc_arena_strndup(&p->arena, text, len);
		else if (strcmp(name, "EncodingType") == 0)
			p->url = strcmp(text, "url") == 0;
	}
}

static sv_result
s3_oparse_run(struct s3_oparse *p, const char *xml, size_t len,
    struct s3_objects_page *page, struct sv_err *err)
{
	static const struct xml_handler h = { s3_oparse_start, s3_oparse_end };
	static const char *const roots[] = { "ListBucketResult", NULL };
	size_t	 i;
	bool	 good = true;

	svc_arena_reset(&p->arena);
	p->n = p->n_prefixes = 0;
	p->in = S3_IN_NONE;
	p->truncated = p->url = false;
	p->next_token = NULL;
	sv_err_init(&p->err);
	if (svc_xml_parse(xml, len, "ListObjectsV2", roots, &h, p, err) != SV_OK)
		return err->code;
	if (p->err.code != SV_OK)
		return sv_err_set(err, p->err.code,
		    "ListObjectsV2: bad response: %s", p->err.msg);
	if (p->url) {
		for (i = 0; i < p->n; i++)
			good = good && url_decode_inplace((char *)p->v[i].key);
		for (i = 0; i < p->n_prefixes; i++)
			good = good && url_decode_inplace((char *)p->prefixes[i]);
		if (!good)
			return sv_err_set(err, SV_E_PARSE,
			    "ListObjectsV2: bad response: a malformed url-encoded key");
	}
	if (p->truncated && (p->next_token == NULL || p->next_token[0] == '\0'))
		return sv_err_set(err, SV_E_PARSE,
		    "ListObjectsV2: bad response: IsTruncated without "
		    "NextContinuationToken (the listing cannot continue)");
	memset(page, 0, sizeof *page);
	page->objects = p->v;
	page->n = p->n;
	page->prefixes = p->prefixes;
	page->n_prefixes = p->n_prefixes;
	page->truncated = p->truncated;
	page->next_token = p->next_token;
	return SV_OK;
}

static void
s3_oparse_free(struct s3_oparse *p)
{
	svc_arena_free(&p->arena);
	free(p->v);
	free(p->prefixes);
}

sv_result
s3_parse_objects_page(const char *xml, size_t len, s3_objects_page_fn fn,
    void *data, struct sv_err *err)
{
	struct s3_oparse	p;
	struct s3_objects_page	page;
	sv_result		result;

	memset(&p, 0, sizeof p);
	result = s3_oparse_run(&p, xml, len, &page, err);
	if (result == SV_OK)
		fn(data, &page);
	s3_oparse_free(&p);
	return result;
}

/* ---- ListBuckets parsing ---- */

struct s3_bparse {
	struct svc_arena	 arena;
	struct s3_bucket	*v;
	size_t			 n, cap;
	bool			 in;
	char			*owner_id;
	char			*token;
	struct sv_err		 err;
};

static void
s3_bparse_start(void *arg, int depth, const char *name)
{
	struct s3_bparse	*p = arg;
	struct s3_bucket	*b;

	if (depth == 3 && strcmp(name, "Bucket") == 0) {
		b = SVC_PUSH(p->v, p->n, p->cap);
		memset(b, 0, sizeof *b);
		b->created = SV_TIME_NONE;
		p->in = true;
	}
}

static void
s3_bparse_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3_bparse	*p = arg;
	struct s3_bucket	*b;

	if (depth == 4 && p->in) {
		b = &p->v[p->n - 1];
		if (strcmp(name, "Name") == 0)
			b->name = svc_arena_strndup(&p->arena, text, len);
		else if (strcmp(name, "CreationDate") == 0)
			b->created = svc_parse_time(text, "CreationDate", &p->err);
		else if (strcmp(name, "BucketRegion") == 0)
			b->region = svc_arena_strndup(&p->arena, text, len);
	} else if (depth == 3 && p->in) {
		if (p->v[p->n - 1].name == NULL)
			sv_err_set(&p->err, SV_E_PARSE, "a <Bucket> without Name");
		p->in = false;
	} else if (depth == 3 && strcmp(path, "/ListAllMyBucketsResult/Owner/ID") == 0)
		p->owner_id = svc_arena_strndup(&p->arena, text, len);
	else if (depth == 2 && strcmp(name, "ContinuationToken") == 0 && len > 0)
		p->token = svc_arena_strndup(&p->arena, text, len);
}

static sv_result
s3_bparse_run(struct s3_bparse *p, const char *xml, size_t len,
    struct s3_buckets_page *page, struct sv_err *err)
{
	static const struct xml_handler h = { s3_bparse_start, s3_bparse_end };
	static const char *const roots[] = { "ListAllMyBucketsResult", NULL };

	svc_arena_reset(&p->arena);
	p->n = 0;
	p->in = false;
	p->owner_id = p->token = NULL;
	sv_err_init(&p->err);
	if (svc_xml_parse(xml, len, "ListBuckets", roots, &h, p, err) != SV_OK)
		return err->code;
	if (p->err.code != SV_OK)
		return sv_err_set(err, p->err.code, "ListBuckets: bad response: %s",
		    p->err.msg);
	memset(page, 0, sizeof *page);
	page->buckets = p->v;
	page->n = p->n;
	page->owner_id = p->owner_id;
	page->continuation_token = p->token;
	return SV_OK;
}

static void
s3_bparse_free(struct s3_bparse *p)
{
	svc_arena_free(&p->arena);
	free(p->v);
}

sv_result
s3_parse_buckets_page(const char *xml, size_t len, s3_buckets_page_fn fn,
    void *data, struct sv_err *err)
{
	struct s3_bparse	p;
	struct s3_buckets_page	page;
	sv_result		result;

	memset(&p, 0, sizeof p);
	result = s3_bparse_run(&p, xml, len, &page, err);
	if (result == SV_OK)
		fn(data, &page);
	s3_bparse_free(&p);
	return result;
}

/* ---- small documents: versioning, location, Object Lock ---- */

struct s3_small {
	struct s3_versioning	versioning;
	char			status[32];
	char			region[64];
	struct s3_object_lock	lock;
	char			mode[32];
	struct sv_err		err;
};

static void
s3_versioning_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3_small	*s = arg;

	if (depth != 2)
		return;
	if (strcmp(name, "Status") == 0) {
		if (strcmp(text, "Enabled") == 0)
			s->versioning.status = S3_VERSIONING_ENABLED;
		else if (strcmp(text, "Suspended") == 0)
			s->versioning.status = S3_VERSIONING_SUSPENDED;
		else
			sv_err_set(&s->err, SV_E_PARSE,
			    "bad Status '%.40s': not Enabled or Suspended", text);
	} else if (strcmp(name, "MfaDelete") == 0 || strcmp(name, "MFADelete") == 0)
		s->versioning.mfa_delete = strcmp(text, "Enabled") == 0;
}

sv_result
s3_parse_versioning(const char *xml, size_t len, s3_versioning_fn fn,
    void *data, struct sv_err *err)
{
	static const struct xml_handler h = { NULL, s3_versioning_end };
	/* moto answers <GetBucketVersioningResponse>; the SDKs ignore the
	 * root of a rest-xml payload, so accept both. */
	static const char *const roots[] = { "VersioningConfiguration",
	    "GetBucketVersioningResponse", NULL };
	struct s3_small	s;

	memset(&s, 0, sizeof s);
	s.versioning.status = S3_VERSIONING_NEVER;
	if (svc_xml_parse(xml, len, "GetBucketVersioning", roots, &h, &s, err) != SV_OK)
		return err->code;
	if (s.err.code != SV_OK)
		return sv_err_set(err, s.err.code,
		    "GetBucketVersioning: bad response: %s", s.err.msg);
	fn(data, &s.versioning);
	return SV_OK;
}

const char *
s3_versioning_status_str(enum s3_versioning_status st)
{
	switch (st) {
	case S3_VERSIONING_ENABLED:
		return "Enabled";
	case S3_VERSIONING_SUSPENDED:
		return "Suspended";
	default:
		return "Never enabled";
	}
}

static void
s3_location_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3_small	*s = arg;

	if (depth == 1)
		str_lcpy(s->region, text, sizeof s->region);
}

sv_result
s3_parse_location(const char *xml, size_t len, s3_location_fn fn, void *data,
    struct sv_err *err)
{
	static const struct xml_handler h = { NULL, s3_location_end };
	static const char *const roots[] = { "LocationConstraint", NULL };
	struct s3_small		s;
	struct s3_location	loc;

	memset(&s, 0, sizeof s);
	if (svc_xml_parse(xml, len, "GetBucketLocation", roots, &h, &s, err) != SV_OK)
		return err->code;
	str_trim(s.region);
	if (s.region[0] == '\0')
		loc.region = "us-east-1";
	else if (strcmp(s.region, "EU") == 0)
		loc.region = "eu-west-1";
	else
		loc.region = s.region;
	fn(data, &loc);
	return SV_OK;
}

static void
s3_lock_end(void *arg, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct s3_small	*s = arg;

	if (depth == 2 && strcmp(name, "ObjectLockEnabled") == 0)
		s->lock.enabled = strcmp(text, "Enabled") == 0;
	else if (depth == 4 && str_ends(path, "/Rule/DefaultRetention/Mode")) {
		str_lcpy(s->mode, text, sizeof s->mode);
		s->lock.mode = s->mode;
	} else if (depth == 4 && str_ends(path, "/Rule/DefaultRetention/Days"))
		s->lock.days = svc_parse_ll(text, "Days", &s->err);
	else if (depth == 4 && str_ends(path, "/Rule/DefaultRetention/Years"))
		s->lock.years = svc_parse_ll(text, "Years", &s->err);
}

sv_result
s3_parse_object_lock(const char *xml, size_t len, s3_object_lock_fn fn,
    void *data, struct sv_err *err)
{
	static const struct xml_handler h = { NULL, s3_lock_end };
	static const char *const roots[] = { "ObjectLockConfiguration", NULL };
	struct s3_small	s;

	memset(&s, 0, sizeof s);
	s.lock.days = s.lock.years = -1;
	if (svc_xml_parse(xml, len, "GetObjectLockConfiguration", roots, &h, &s,
	    err) != SV_OK)
		return err->code;
	if (s.err.code != SV_OK)
		return sv_err_set(err, s.err.code,
		    "GetObjectLockConfiguration: bad response: %s", s.err.msg);
	fn(data, &s.lock);
	return SV_OK;
}

/* ---- operations ---- */

struct s3_state {
	enum aws_op_id	 op;
	char		*bucket;
	char		*key;
	char		*prefix;
	char		*delimiter;
	char		*start_after;
	char		*version_id;
	char		*filter_region;	/* ListBuckets bucket-region */
	long long	 max_keys;
	char		*target;
	/* pagination */
	char		*token;		/* continuation token / key marker */
	char		*vid_marker;
	union {
		s3_buckets_page_fn	buckets;
		s3_versioning_fn	versioning;
		s3_location_fn		location;
		s3_object_lock_fn	lock;
		s3_objects_page_fn	objects;
		s3_versions_page_fn	versions;
		s3_head_fn		head;
	} fn;
	void		*data;
	struct s3_vparse vparse;
	struct s3_oparse oparse;
	struct s3_bparse bparse;
};

static struct s3_state *
s3_state_new(enum aws_op_id op, const char *bucket, void *data)
{
	struct s3_state	*st = xcalloc(1, sizeof *st);

	st->op = op;
	st->bucket = bucket != NULL ? xstrdup(bucket) : NULL;
	st->data = data;
	return st;
}

static char *
dup_opt(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
s3_state_free(void *arg)
{
	struct s3_state	*st = arg;

	free(st->bucket);
	free(st->key);
	free(st->prefix);
	free(st->delimiter);
	free(st->start_after);
	free(st->version_id);
	free(st->filter_region);
	free(st->target);
	free(st->token);
	free(st->vid_marker);
	s3_vparse_free(&st->vparse);
	s3_oparse_free(&st->oparse);
	s3_bparse_free(&st->bparse);
	free(st);
}

/* Replaces *slot with a copy of s; true if the value changed. */
static bool
set_marker(char **slot, const char *s)
{
	bool	changed = (*slot == NULL) != (s == NULL) ||
		    (s != NULL && strcmp(*slot, s) != 0);

	free(*slot);
	*slot = dup_opt(s);
	return changed;
}

static sv_result
s3_prepare(void *arg, struct aws_call *call, struct sv_err *err)
{
	struct s3_state	*st = arg;

	call->op = st->op;
	call->bucket = st->bucket;
	call->target = st->target;
	switch (st->op) {
	case OP_S3_ListBuckets:
		if (st->prefix != NULL)
			aws_kvlist_add(&call->query, "prefix", st->prefix);
		if (st->filter_region != NULL)
			aws_kvlist_add(&call->query, "bucket-region", st->filter_region);
		if (st->token != NULL)
			aws_kvlist_add(&call->query, "continuation-token", st->token);
		break;
	case OP_S3_GetBucketVersioning:
		aws_kvlist_add(&call->query, "versioning", NULL);
		break;
	case OP_S3_GetBucketLocation:
		aws_kvlist_add(&call->query, "location", NULL);
		break;
	case OP_S3_GetObjectLockConfiguration:
		aws_kvlist_add(&call->query, "object-lock", NULL);
		break;
	case OP_S3_ListObjectsV2:
		aws_kvlist_add(&call->query, "list-type", "2");
		aws_kvlist_add(&call->query, "encoding-type", "url");
		aws_kvlist_addf(&call->query, "max-keys", "%lld", st->max_keys);
		if (st->prefix != NULL)
			aws_kvlist_add(&call->query, "prefix", st->prefix);
		if (st->delimiter != NULL)
			aws_kvlist_add(&call->query, "delimiter", st->delimiter);
		if (st->start_after != NULL && st->token == NULL)
			aws_kvlist_add(&call->query, "start-after", st->start_after);
		if (st->token != NULL)
			aws_kvlist_add(&call->query, "continuation-token", st->token);
		break;
	case OP_S3_ListObjectVersions:
		aws_kvlist_add(&call->query, "versions", NULL);
		aws_kvlist_add(&call->query, "encoding-type", "url");
		aws_kvlist_addf(&call->query, "max-keys", "%lld", st->max_keys);
		if (st->prefix != NULL)
			aws_kvlist_add(&call->query, "prefix", st->prefix);
		if (st->delimiter != NULL)
			aws_kvlist_add(&call->query, "delimiter", st->delimiter);
		if (st->token != NULL)
			aws_kvlist_add(&call->query, "key-marker", st->token);
		if (st->token != NULL && st->vid_marker != NULL)
			aws_kvlist_add(&call->query, "version-id-marker",
			    st->vid_marker);
		break;
	case OP_S3_HeadObject:
		call->method = "HEAD";
		call->key = st->key;
		if (st->version_id != NULL)
			aws_kvlist_add(&call->query, "versionId", st->version_id);
		aws_kvlist_add(&call->headers, "x-amz-checksum-mode", "ENABLED");
		break;
	default:
		return sv_err_set(err, SV_E_INVALID, "s3: operation %d not handled",
		    (int)st->op);
	}
	return SV_OK;
}

static sv_result
s3_page(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct s3_state		*st = arg;
	const char		*body = buf_str(&resp->body);
	size_t			 len = resp->body.len;
	sv_result		 result = SV_OK;

	switch (st->op) {
	case OP_S3_ListObjectVersions: {
		struct s3_versions_page page;

		if ((result = s3_vparse_run(&st->vparse, body, len, &page, err)) != SV_OK)
			break;
		out->items = page.n;
		out->stop = !st->fn.versions(st->data, &page);
		if (page.truncated && !out->stop) {
			bool moved = set_marker(&st->token, page.next_key_marker);

			moved = set_marker(&st->vid_marker,
			    page.next_version_id_marker) || moved;
			if (!moved)
				return sv_err_set(err, SV_E_PARSE,
				    "ListObjectVersions: bad response: the next "
				    "page markers repeat the previous ones");
			out->more = true;
		}
		break;
	}
	case OP_S3_ListObjectsV2: {
		struct s3_objects_page page;

		if ((result = s3_oparse_run(&st->oparse, body, len, &page, err)) != SV_OK)
			break;
		out->items = page.n;
		out->stop = !st->fn.objects(st->data, &page);
		if (page.truncated && !out->stop) {
			if (!set_marker(&st->token, page.next_token))
				return sv_err_set(err, SV_E_PARSE,
				    "ListObjectsV2: bad response: the continuation "
				    "token repeats the previous one");
			out->more = true;
		}
		break;
	}
	case OP_S3_ListBuckets: {
		struct s3_buckets_page page;

		if ((result = s3_bparse_run(&st->bparse, body, len, &page, err)) != SV_OK)
			break;
		out->items = page.n;
		out->stop = !st->fn.buckets(st->data, &page);
		if (page.continuation_token != NULL && !out->stop) {
			if (!set_marker(&st->token, page.continuation_token))
				return sv_err_set(err, SV_E_PARSE,
				    "ListBuckets: bad response: the continuation "
				    "token repeats the previous one");
			out->more = true;
		}
		break;
	}
	case OP_S3_GetBucketVersioning:
		result = s3_parse_versioning(body, len, st->fn.versioning, st->data, err);
		break;
	case OP_S3_GetBucketLocation:
		result = s3_parse_location(body, len, st->fn.location, st->data, err);
		break;
	case OP_S3_GetObjectLockConfiguration:
		result = s3_parse_object_lock(body, len, st->fn.lock, st->data, err);
		break;
	case OP_S3_HeadObject: {
		struct s3_head		 h;
		const struct http_headers *hd = &resp->headers;
		const char		*v;

		memset(&h, 0, sizeof h);
		h.size = -1;
		h.last_modified = h.object_lock_retain_until = SV_TIME_NONE;
		if ((v = http_headers_get(hd, "content-length")) != NULL)
			h.size = svc_parse_ll(v, "Content-Length", err);
		h.etag = http_headers_get(hd, "etag");
		if ((v = http_headers_get(hd, "last-modified")) != NULL &&
		    sv_time_parse_http(v, &h.last_modified) != SV_OK)
			sv_err_set(err, SV_E_PARSE,
			    "HeadObject: bad Last-Modified '%.40s'", v);
		h.version_id = http_headers_get(hd, "x-amz-version-id");
		h.storage_class = http_headers_get(hd, "x-amz-storage-class");
		h.content_type = http_headers_get(hd, "content-type");
		h.checksum_sha256 = http_headers_get(hd, "x-amz-checksum-sha256");
		h.sse = http_headers_get(hd, "x-amz-server-side-encryption");
		h.object_lock_mode = http_headers_get(hd, "x-amz-object-lock-mode");
		if ((v = http_headers_get(hd, "x-amz-object-lock-retain-until-date")) != NULL)
			h.object_lock_retain_until = svc_parse_time(v,
			    "x-amz-object-lock-retain-until-date", err);
		if ((v = http_headers_get(hd, "x-amz-object-lock-legal-hold")) != NULL)
			h.object_lock_legal_hold = strcmp(v, "ON") == 0;
		if ((v = http_headers_get(hd, "x-amz-delete-marker")) != NULL)
			h.delete_marker = strcmp(v, "true") == 0;
		if (err->code != SV_OK)
			return err->code;
		out->items = 1;
		st->fn.head(st->data, &h);
		break;
	}
	default:
		result = sv_err_set(err, SV_E_INVALID, "s3: operation not handled");
		break;
	}
	return result;
}

static sv_result
s3_error(void *arg, struct aws_response *resp, struct svc_page_out *out,
    struct sv_err *err)
{
	struct s3_state	*st = arg;
	const char	*dm;

	switch (st->op) {
	case OP_S3_GetObjectLockConfiguration:
		if (strcmp(resp->aws_code, "ObjectLockConfigurationNotFoundError") == 0) {
			struct s3_object_lock lock = { false, NULL, -1, -1 };

			out->items = 1;
			st->fn.lock(st->data, &lock);
			return SV_OK;
		}
		break;
	case OP_S3_HeadObject:
		dm = http_headers_get(&resp->headers, "x-amz-delete-marker");
		if ((resp->status == 404 && dm != NULL && strcmp(dm, "true") == 0) ||
		    resp->status == 405) {
			struct s3_head	h;
			const char	*v;

			memset(&h, 0, sizeof h);
			h.delete_marker = true;
			h.size = -1;
			h.last_modified = h.object_lock_retain_until = SV_TIME_NONE;
			h.version_id = http_headers_get(&resp->headers,
			    "x-amz-version-id");
			if ((v = http_headers_get(&resp->headers, "last-modified")) != NULL &&
			    sv_time_parse_http(v, &h.last_modified) != SV_OK)
				h.last_modified = SV_TIME_NONE;
			out->items = 1;
			st->fn.head(st->data, &h);
			return SV_OK;
		}
		break;
	default:
		break;
	}
	return resp->result;
}

static const struct svc_op_type s3_versions_type = {
	"versions", s3_prepare, s3_page, s3_error, s3_state_free
};
static const struct svc_op_type s3_objects_type = {
	"objects", s3_prepare, s3_page, s3_error, s3_state_free
};
static const struct svc_op_type s3_buckets_type = {
	"buckets", s3_prepare, s3_page, s3_error, s3_state_free
};
static const struct svc_op_type s3_single_type = {
	NULL, s3_prepare, s3_page, s3_error, s3_state_free
};

static struct svc_op *
s3_start(struct aws_client *client, const struct svc_op_type *type,
    struct s3_state *st, const char *context, svc_done_fn done, void *data)
{
	struct svc_op	*op;

	op = svc_op_start(client, type, st, context, done, data);
	return op;
}

struct svc_op *
s3_list_buckets(struct aws_client *client, const struct s3_list_buckets_req *req,
    s3_buckets_page_fn fn, svc_done_fn done, void *data)
{
	struct s3_state	*st = s3_state_new(OP_S3_ListBuckets, NULL, data);

	st->fn.buckets = fn;
	if (req != NULL) {
		st->prefix = dup_opt(req->prefix);
		st->filter_region = dup_opt(req->bucket_region);
	}
	st->target = xstrdup("s3://");
	return s3_start(client, &s3_buckets_type, st, "listing buckets", done, data);
}

/* A single-result bucket call. */
static struct svc_op *
s3_bucket_call(struct aws_client *client, enum aws_op_id op, const char *bucket,
    const char *what, void (*fn)(void), svc_done_fn done, void *data)
{
	struct s3_state	*st;
	struct svc_op	*o;
	char		*context;

	if (bucket == NULL || *bucket == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "%s: no bucket given", what);
	st = s3_state_new(op, bucket, data);
	switch (op) {
	case OP_S3_GetBucketVersioning:
		st->fn.versioning = (s3_versioning_fn)fn;
		break;
	case OP_S3_GetBucketLocation:
		st->fn.location = (s3_location_fn)fn;
		break;
	default:
		st->fn.lock = (s3_object_lock_fn)fn;
		break;
	}
	st->target = s3_uri(bucket, NULL);
	context = xasprintf("%s %s", what, st->target);
	o = s3_start(client, &s3_single_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
s3_get_bucket_versioning(struct aws_client *client, const char *bucket,
    s3_versioning_fn fn, svc_done_fn done, void *data)
{
	return s3_bucket_call(client, OP_S3_GetBucketVersioning, bucket,
	    "reading the versioning of", (void (*)(void))fn, done, data);
}

struct svc_op *
s3_get_bucket_location(struct aws_client *client, const char *bucket,
    s3_location_fn fn, svc_done_fn done, void *data)
{
	return s3_bucket_call(client, OP_S3_GetBucketLocation, bucket,
	    "finding the region of", (void (*)(void))fn, done, data);
}

struct svc_op *
s3_get_object_lock_configuration(struct aws_client *client, const char *bucket,
    s3_object_lock_fn fn, svc_done_fn done, void *data)
{
	return s3_bucket_call(client, OP_S3_GetObjectLockConfiguration, bucket,
	    "reading the Object Lock configuration of", (void (*)(void))fn, done, data);
}

static long long
clamp_max_keys(long long n)
{
	return n <= 0 || n > S3_MAX_KEYS ? S3_MAX_KEYS : n;
}

struct svc_op *
s3_list_objects_v2(struct aws_client *client, const struct s3_list_objects_req *req,
    s3_objects_page_fn fn, svc_done_fn done, void *data)
{
	struct s3_state	*st;
	struct svc_op	*o;
	char		*context;

	if (req == NULL || req->bucket == NULL || *req->bucket == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "listing objects: no bucket given");
	st = s3_state_new(OP_S3_ListObjectsV2, req->bucket, data);
	st->fn.objects = fn;
	st->prefix = dup_opt(req->prefix);
	st->delimiter = dup_opt(req->delimiter);
	st->start_after = dup_opt(req->start_after);
	st->max_keys = clamp_max_keys(req->max_keys);
	st->target = s3_uri(req->bucket, req->prefix);
	context = xasprintf("listing objects in %s", st->target);
	o = s3_start(client, &s3_objects_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
s3_list_object_versions(struct aws_client *client,
    const struct s3_list_versions_req *req, s3_versions_page_fn fn,
    svc_done_fn done, void *data)
{
	struct s3_state	*st;
	struct svc_op	*o;
	char		*context;

	if (req == NULL || req->bucket == NULL || *req->bucket == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "listing versions: no bucket given");
	st = s3_state_new(OP_S3_ListObjectVersions, req->bucket, data);
	st->fn.versions = fn;
	st->prefix = dup_opt(req->prefix);
	st->delimiter = dup_opt(req->delimiter);
	st->max_keys = clamp_max_keys(req->max_keys);
	st->token = dup_opt(req->key_marker);
	st->vid_marker = dup_opt(req->version_id_marker);
	st->target = s3_uri(req->bucket, req->prefix);
	context = xasprintf("listing versions of %s", st->target);
	o = s3_start(client, &s3_versions_type, st, context, done, data);
	free(context);
	return o;
}

struct svc_op *
s3_head_object(struct aws_client *client, const struct s3_head_req *req,
    s3_head_fn fn, svc_done_fn done, void *data)
{
	struct s3_state	*st;
	struct svc_op	*o;
	char		*context;

	if (req == NULL || req->bucket == NULL || *req->bucket == '\0' ||
	    req->key == NULL || *req->key == '\0')
		return svc_op_fail(NULL, NULL, done, data, SV_E_INVALID,
		    "reading an object: no bucket or key given");
	st = s3_state_new(OP_S3_HeadObject, req->bucket, data);
	st->fn.head = fn;
	st->key = xstrdup(req->key);
	st->version_id = dup_opt(req->version_id);
	st->target = s3_uri(req->bucket, req->key);
	if (req->version_id != NULL)
		context = xasprintf("reading %s (version %s)", st->target,
		    req->version_id);
	else
		context = xasprintf("reading %s", st->target);
	o = s3_start(client, &s3_single_type, st, context, done, data);
	free(context);
	return o;
}
