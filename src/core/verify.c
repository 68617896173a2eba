/* verify.c - comparing a restored copy with what it should be (see
 * verify.h): the pure parts (segment sizing, count summation, canonical
 * AttributeValues, item differences) and the asynchronous operation, a
 * small state machine over svc calls: describe both sides, then count
 * (DynamoDB, every segment, both tables at once) and sample, or compare
 * checksums or hash (S3), then finish. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/resource.h"
#include "core/verify.h"
#include "svc/ddb-scan.h"
#include "svc/dynamodb.h"
#include "svc/rds.h"
#include "svc/s3-get.h"
#include "svc/s3.h"
#include "util/log.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

/* Sampling scans the table in this many segments, from a random one. */
#define SAMPLE_SEGMENTS		16
#define SAMPLE_GETS_INFLIGHT	4

/* ---- results ---- */

void
verify_result_init(struct verify_result *r)
{
	memset(r, 0, sizeof *r);
	r->equal = true;
	r->count_a = r->count_b = -1;
	r->scanned_a = r->scanned_b = -1;
}

void
verify_result_free(struct verify_result *r)
{
	size_t	i;

	free(r->a);
	free(r->b);
	free(r->method);
	for (i = 0; i < r->nchecks; i++) {
		free(r->checks[i].name);
		free(r->checks[i].a);
		free(r->checks[i].b);
	}
	free(r->checks);
	for (i = 0; i < r->ndiffs; i++) {
		free(r->diffs[i].key);
		free(r->diffs[i].attrs);
		free(r->diffs[i].a);
		free(r->diffs[i].b);
	}
	free(r->diffs);
	verify_result_init(r);
}

void
verify_result_check_eq(struct verify_result *r, const char *name, const char *a,
    const char *b, bool equal)
{
	struct verify_check	*c;

	if (r->nchecks == r->capchecks) {
		r->capchecks = r->capchecks ? r->capchecks * 2 : 8;
		r->checks = xreallocarray(r->checks, r->capchecks, sizeof *r->checks);
	}
	c = &r->checks[r->nchecks++];
	c->name = xstrdup(name);
	c->a = xstrdup(a != NULL ? a : "-");
	c->b = xstrdup(b != NULL ? b : "-");
	c->equal = equal;
	if (!equal)
		r->equal = false;
}

void
verify_result_check(struct verify_result *r, const char *name, const char *a,
    const char *b)
{
	verify_result_check_eq(r, name, a, b,
	    strcmp(a != NULL ? a : "-", b != NULL ? b : "-") == 0);
}

void
verify_result_diff(struct verify_result *r, const cJSON *key, const cJSON *a,
    const cJSON *b)
{
	struct verify_diff	*d;

	r->sample_differ++;
	r->equal = false;
	if (r->ndiffs >= VERIFY_DIFFS_MAX)
		return;
	if (r->ndiffs == r->capdiffs) {
		r->capdiffs = r->capdiffs ? r->capdiffs * 2 : 8;
		r->diffs = xreallocarray(r->diffs, r->capdiffs, sizeof *r->diffs);
	}
	d = &r->diffs[r->ndiffs++];
	memset(d, 0, sizeof *d);
	d->key = verify_item_canonical(key);
	d->missing = b == NULL;
	d->attrs = b != NULL ? verify_item_diff(a, b) : xstrdup("");
	d->a = verify_item_canonical(a);
	d->b = b != NULL ? verify_item_canonical(b) : NULL;
}

static const char *
kind_name(enum verify_kind k)
{
	switch (k) {
	case VERIFY_DYNAMODB:
		return "dynamodb";
	case VERIFY_S3:
		return "s3";
	case VERIFY_RDS:
		return "rds";
	case VERIFY_RDS_CLUSTER:
		return "rds-cluster";
	}
	return "?";
}

void
verify_result_json(const struct verify_result *r, struct jsonw *j)
{
	size_t	i;

	jsonw_obj_begin(j);
	jsonw_kstr(j, "a", r->a);
	jsonw_kstr(j, "b", r->b);
	jsonw_kstr(j, "kind", kind_name(r->kind));
	jsonw_kbool(j, "equal", r->equal);
	jsonw_kstr(j, "method", r->method);
	jsonw_key(j, "checks");
	jsonw_arr_begin(j);
	for (i = 0; i < r->nchecks; i++) {
		jsonw_obj_begin(j);
		jsonw_kstr(j, "name", r->checks[i].name);
		jsonw_kstr(j, "a", r->checks[i].a);
		jsonw_kstr(j, "b", r->checks[i].b);
		jsonw_kbool(j, "equal", r->checks[i].equal);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
	if (r->kind == VERIFY_DYNAMODB) {
		jsonw_key(j, "dynamodb");
		jsonw_obj_begin(j);
		jsonw_kint(j, "segments_a", r->segments_a);
		jsonw_kint(j, "segments_b", r->segments_b);
		jsonw_kint(j, "count_a", r->count_a);
		jsonw_kint(j, "count_b", r->count_b);
		jsonw_kint(j, "scanned_a", r->scanned_a);
		jsonw_kint(j, "scanned_b", r->scanned_b);
		jsonw_kint(j, "sampled", r->sampled);
		jsonw_kint(j, "sample_differ", r->sample_differ);
		jsonw_key(j, "differences");
		jsonw_arr_begin(j);
		for (i = 0; i < r->ndiffs; i++) {
			jsonw_obj_begin(j);
			jsonw_kstr(j, "key", r->diffs[i].key);
			jsonw_kbool(j, "missing", r->diffs[i].missing);
			jsonw_kstr(j, "attributes", r->diffs[i].attrs);
			jsonw_kstr(j, "a", r->diffs[i].a);
			jsonw_kstr(j, "b", r->diffs[i].b);
			jsonw_obj_end(j);
		}
		jsonw_arr_end(j);
		jsonw_obj_end(j);
	} else if (r->kind == VERIFY_S3) {
		jsonw_key(j, "s3");
		jsonw_obj_begin(j);
		jsonw_kstr(j, "sha256_a", r->sha256_a[0] != '\0' ? r->sha256_a : NULL);
		jsonw_kstr(j, "sha256_b", r->sha256_b[0] != '\0' ? r->sha256_b : NULL);
		jsonw_kint(j, "bytes_read", r->bytes_read);
		jsonw_kint(j, "requests", r->requests);
		jsonw_obj_end(j);
	}
	jsonw_obj_end(j);
}

/* ---- pure parts ---- */

int
verify_segments_for(long long size_bytes, int concurrency)
{
	long long	n;

	if (concurrency <= 0)
		concurrency = VERIFY_CONCURRENCY;
	if (concurrency > VERIFY_MAX_SEGMENTS)
		concurrency = VERIFY_MAX_SEGMENTS;
	n = size_bytes > 0 ? (size_bytes + VERIFY_SEGMENT_BYTES - 1) /
	    VERIFY_SEGMENT_BYTES : 1;
	if (n < concurrency)
		n = concurrency;
	if (n > VERIFY_MAX_SEGMENTS)
		n = VERIFY_MAX_SEGMENTS;
	return n < 1 ? 1 : (int)n;
}

void
verify_count_init(struct verify_count *c, int segments)
{
	memset(c, 0, sizeof *c);
	c->segments = segments > 0 ? segments : 1;
	c->done = xcalloc((size_t)c->segments, sizeof *c->done);
}

bool
verify_count_add(struct verify_count *c, int segment, long long count,
    long long scanned, bool last)
{
	if (segment < 0 || segment >= c->segments || c->done[segment] || count < 0)
		return false;
	c->count += count;
	if (scanned > 0)
		c->scanned += scanned;
	c->pages++;
	if (last) {
		c->done[segment] = true;
		c->segments_done++;
	}
	return true;
}

bool
verify_count_complete(const struct verify_count *c)
{
	return c->segments_done == c->segments;
}

void
verify_count_free(struct verify_count *c)
{
	free(c->done);
	c->done = NULL;
}

bool
verify_number_canonical(const char *s, struct buf *out)
{
	struct buf	 d;
	bool		 neg = false, digits = false, ok = false;
	long		 exp = 0, frac = 0, e = 0;
	int		 esign = 1, edigits = 0;
	const char	*p = s, *ds;
	size_t		 start, len;

	if (s == NULL)
		return false;
	buf_init(&d, BUF_MAX_SMALL);
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; isdigit((unsigned char)*p); p++, digits = true)
		buf_addc(&d, *p);
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits = true, frac++)
			buf_addc(&d, *p);
	}
	if (!digits)
		goto out;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			esign = *p++ == '-' ? -1 : 1;
		for (; isdigit((unsigned char)*p); p++) {
			if (++edigits > 6)
				goto out;
			e = e * 10 + (*p - '0');
		}
		if (edigits == 0)
			goto out;
	}
	if (*p != '\0' || d.len > 4096)
		goto out;
	exp = esign * e - frac;
	/* value = digits x 10^exp: drop leading zeros, move trailing ones
	 * into the exponent. */
	ds = buf_str(&d);
	start = strspn(ds, "0");
	len = d.len - start;
	while (len > 0 && ds[start + len - 1] == '0') {
		len--;
		exp++;
	}
	ok = true;
	if (len == 0) {
		buf_adds(out, "0");
		goto out;
	}
	if (neg)
		buf_addc(out, '-');
	if (exp > 400 || exp < -400) {
		/* Not a DynamoDB number anyway; keep it finite. */
		buf_add(out, ds + start, len);
		buf_addf(out, "E%ld", exp);
	} else if (exp >= 0) {
		buf_add(out, ds + start, len);
		for (long i = 0; i < exp; i++)
			buf_addc(out, '0');
	} else {
		long	point = (long)len + exp;	/* digits before the point */

		if (point > 0) {
			buf_add(out, ds + start, (size_t)point);
			buf_addc(out, '.');
			buf_add(out, ds + start + point, len - (size_t)point);
		} else {
			buf_adds(out, "0.");
			for (long i = 0; i < -point; i++)
				buf_addc(out, '0');
			buf_add(out, ds + start, len);
		}
	}
out:
	buf_free(&d);
	return ok;
}

static void
json_string(struct buf *out, const char *s)
{
	buf_addc(out, '"');
	for (; *s != '\0'; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
		} else if (c < 0x20)
			buf_addf(out, "\\u%04x", c);
		else
			buf_addc(out, (char)c);
	}
	buf_addc(out, '"');
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Members of an object sorted by name. */
static const cJSON **
sorted_members(const cJSON *o, size_t *n)
{
	const cJSON	**v, *c;
	size_t		  i = 0;

	*n = (size_t)cJSON_GetArraySize(o);
	v = xcalloc(*n + 1, sizeof *v);
	cJSON_ArrayForEach(c, o)
		v[i++] = c;
	/* Sort by name: stable enough, names are unique in an item. */
	for (size_t a = 1; a < i; a++) {
		const cJSON	*x = v[a];
		size_t		 b = a;

		while (b > 0 && strcmp(v[b - 1]->string, x->string) > 0) {
			v[b] = v[b - 1];
			b--;
		}
		v[b] = x;
	}
	return v;
}

static sv_result	av_canon(const cJSON *, struct buf *, int, struct sv_err *);

static sv_result
map_canon(const cJSON *o, struct buf *out, int depth, struct sv_err *err)
{
	const cJSON	**m;
	size_t		  n, i;
	sv_result	  result = SV_OK;

	if (!cJSON_IsObject(o))
		return sv_err_set(err, SV_E_PARSE, "a map of attribute values is not "
		    "a JSON object");
	m = sorted_members(o, &n);
	buf_addc(out, '{');
	for (i = 0; i < n && result == SV_OK; i++) {
		if (i > 0)
			buf_addc(out, ',');
		json_string(out, m[i]->string);
		buf_addc(out, ':');
		result = av_canon(m[i], out, depth + 1, err);
	}
	buf_addc(out, '}');
	free(m);
	return result;
}

/* A set: its members canonical (numbers normalized), sorted. */
static sv_result
set_canon(const cJSON *arr, bool numbers, struct buf *out, struct sv_err *err)
{
	char		**v;
	const cJSON	 *c;
	size_t		  n = 0, i;
	sv_result	  result = SV_OK;

	if (!cJSON_IsArray(arr))
		return sv_err_set(err, SV_E_PARSE, "a set is not a JSON array");
	v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *v);
	cJSON_ArrayForEach(c, arr) {
		struct buf	b;

		if (!cJSON_IsString(c)) {
			result = sv_err_set(err, SV_E_PARSE, "a set member is not a string");
			break;
		}
		buf_init(&b, BUF_MAX_HTTP_BODY);
		if (numbers) {
			if (!verify_number_canonical(c->valuestring, &b)) {
				buf_free(&b);
				result = sv_err_set(err, SV_E_PARSE, "'%s' is not a number",
				    c->valuestring);
				break;
			}
		} else
			buf_adds(&b, c->valuestring);
		v[n++] = buf_detach(&b);
		buf_free(&b);
	}
	if (result == SV_OK) {
		qsort(v, n, sizeof *v, cmp_str);
		buf_addc(out, '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(out, ',');
			json_string(out, v[i]);
		}
		buf_addc(out, ']');
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return result;
}

static sv_result
av_canon(const cJSON *av, struct buf *out, int depth, struct sv_err *err)
{
	const cJSON	*v;
	const char	*t;
	sv_result	 result = SV_OK;

	if (depth > 64)
		return sv_err_set(err, SV_E_PARSE, "attribute values nested too deep");
	if (!cJSON_IsObject(av) || av->child == NULL || av->child->next != NULL)
		return sv_err_set(err, SV_E_PARSE, "an attribute value is not an "
		    "object with one type member");
	v = av->child;
	t = v->string;
	buf_addc(out, '{');
	json_string(out, t);
	buf_addc(out, ':');
	if (strcmp(t, "S") == 0 || strcmp(t, "B") == 0) {
		if (!cJSON_IsString(v))
			result = sv_err_set(err, SV_E_PARSE, "%s value is not a string", t);
		else
			json_string(out, v->valuestring);
	} else if (strcmp(t, "N") == 0) {
		struct buf	n;

		buf_init(&n, BUF_MAX_SMALL);
		if (!cJSON_IsString(v) || !verify_number_canonical(v->valuestring, &n))
			result = sv_err_set(err, SV_E_PARSE, "N value is not a number");
		else
			json_string(out, buf_str(&n));
		buf_free(&n);
	} else if (strcmp(t, "BOOL") == 0 || strcmp(t, "NULL") == 0) {
		if (!cJSON_IsBool(v))
			result = sv_err_set(err, SV_E_PARSE, "%s value is not a boolean", t);
		else
			buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (strcmp(t, "M") == 0)
		result = map_canon(v, out, depth, err);
	else if (strcmp(t, "L") == 0) {
		const cJSON	*c;
		bool		 first = true;

		if (!cJSON_IsArray(v))
			return sv_err_set(err, SV_E_PARSE, "L value is not an array");
		buf_addc(out, '[');
		cJSON_ArrayForEach(c, v) {
			if (!first)
				buf_addc(out, ',');
			first = false;
			if ((result = av_canon(c, out, depth + 1, err)) != SV_OK)
				break;
		}
		buf_addc(out, ']');
	} else if (strcmp(t, "SS") == 0 || strcmp(t, "BS") == 0)
		result = set_canon(v, false, out, err);
	else if (strcmp(t, "NS") == 0)
		result = set_canon(v, true, out, err);
	else
		result = sv_err_set(err, SV_E_PARSE, "unknown attribute type '%s'", t);
	buf_addc(out, '}');
	return result;
}

sv_result
verify_av_canonical(const cJSON *v, bool is_item, struct buf *out,
    struct sv_err *err)
{
	if (is_item)
		return map_canon(v, out, 0, err);
	return av_canon(v, out, 0, err);
}

char *
verify_item_canonical(const cJSON *item)
{
	struct buf	b;
	struct sv_err	err;
	char		*s;

	if (item == NULL)
		return NULL;
	buf_init(&b, BUF_MAX_HTTP_BODY);
	sv_err_init(&err);
	if (verify_av_canonical(item, true, &b, &err) != SV_OK) {
		buf_free(&b);
		return NULL;
	}
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

/* Canonical form of one attribute value, for comparing; NULL if bad. */
static char *
av_string(const cJSON *av)
{
	struct buf	b;
	struct sv_err	err;
	char		*s = NULL;

	buf_init(&b, BUF_MAX_HTTP_BODY);
	sv_err_init(&err);
	if (av_canon(av, &b, 0, &err) == SV_OK)
		s = buf_detach(&b);
	buf_free(&b);
	return s;
}

char *
verify_item_diff(const cJSON *a, const cJSON *b)
{
	const cJSON	 *c;
	char		**names;
	size_t		  n = 0, cap, i;
	struct buf	  out;

	cap = (size_t)cJSON_GetArraySize(a) + (size_t)cJSON_GetArraySize(b) + 1;
	names = xcalloc(cap, sizeof *names);
	cJSON_ArrayForEach(c, a)
		if (c->string != NULL)
			names[n++] = c->string;
	cJSON_ArrayForEach(c, b)
		if (c->string != NULL && !cJSON_HasObjectItem(a, c->string))
			names[n++] = c->string;
	qsort(names, n, sizeof *names, cmp_str);
	buf_init(&out, BUF_MAX_HTTP_BODY);
	buf_adds(&out, "");
	for (i = 0; i < n; i++) {
		const cJSON	*va = cJSON_GetObjectItemCaseSensitive(a, names[i]);
		const cJSON	*vb = cJSON_GetObjectItemCaseSensitive(b, names[i]);
		char		*sa = va != NULL ? av_string(va) : NULL;
		char		*sb = vb != NULL ? av_string(vb) : NULL;
		bool		 same = sa != NULL && sb != NULL && strcmp(sa, sb) == 0;

		if (!same) {
			if (out.len > 0)
				buf_addc(&out, ',');
			buf_adds(&out, names[i]);
		}
		free(sa);
		free(sb);
	}
	free(names);
	{
		char	*s = buf_detach(&out);

		buf_free(&out);
		return s;
	}
}

cJSON *
verify_item_key(const cJSON *item, const char *const *names, size_t n)
{
	cJSON	*key;

	if (!cJSON_IsObject(item) || n == 0)
		return NULL;
	key = cJSON_CreateObject();
	for (size_t i = 0; i < n; i++) {
		const cJSON	*v = cJSON_GetObjectItemCaseSensitive(item, names[i]);

		if (v == NULL) {
			cJSON_Delete(key);
			return NULL;
		}
		cJSON_AddItemToObject(key, names[i], cJSON_Duplicate(v, true));
	}
	return key;
}

bool
verify_etag_is_md5(const char *etag, const char *sse)
{
	size_t	len;

	if (etag == NULL)
		return false;
	if (sse != NULL && strncmp(sse, "aws:kms", 7) == 0)
		return false;
	if (*etag == '"')
		etag++;
	len = strlen(etag);
	if (len > 0 && etag[len - 1] == '"')
		len--;
	if (len != 32)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)etag[i]))
			return false;
	return true;
}

/* ---- the operation ---- */

enum call_kind {
	CALL_DDB_DESCRIBE,
	CALL_DDB_COUNT,
	CALL_DDB_SAMPLE,
	CALL_DDB_GET,
	CALL_S3_HEAD,
	CALL_S3_HASH,
	CALL_RDS_INSTANCE,
	CALL_RDS_CLUSTER
};

struct verify_op;

struct vcall {
	struct verify_op	*op;
	struct vcall		*next;
	struct svc_op		*svc;
	enum call_kind		 kind;
	int			 side;		/* 0: A, 1: B */
	int			 segment;
	bool			 starting;	/* inside the svc start function */
	bool			 finished;
	bool			 got;		/* the result callback ran */
	cJSON			*key;		/* GET: the key */
	cJSON			*item_a;	/* GET: A's item */
};

enum vphase {
	PH_DESCRIBE,
	PH_WORK,	/* count + sample, or hash */
	PH_DONE
};

struct side {
	struct resource		 res;
	char			*uri;
	bool			 described;
	/* DynamoDB */
	long long		 size_bytes;
	char			*keys_text;	/* "pk HASH S, sk RANGE N" */
	char			**key_names;	/* HASH then RANGE */
	size_t			 nkeys;
	char			*indexes;	/* "gsi: a, b; lsi: -" */
	char			*status;
	struct verify_count	 count;
	int			 next_segment;
	int			 inflight;
	/* S3 */
	bool			 delete_marker;
	long long		 size;
	char			*etag, *checksum, *sse, *version_id;
	struct s3_hash		 hash;
	bool			 hashed;
	long long		 hashed_bytes;
	/* RDS: checks as text, in order */
	char			*rds[8];
};

struct verify_op {
	struct aws_client	*client;
	struct verify_opts	 opts;
	enum verify_kind	 kind;
	struct side		 s[2];
	struct vcall		*calls;
	enum vphase		 phase;
	bool			 work_started;
	struct sv_err		 err;
	bool			 in_step, again;
	bool			 started;	/* verify_start returned */
	bool			 deferred;	/* finished inside verify_start */
	bool			 finished;
	verify_progress_fn	 progress;
	verify_done_fn		 done;
	void			*data;
	struct verify_result	 res;
	/* Sampling (DynamoDB). */
	bool			 sampling;
	int			 sample_first, sample_visited;
	bool			 sample_scan_running, sample_scan_done;
	cJSON			*queue;		/* items of A waiting for their GetItem */
	int			 gets_inflight;
	long long		 sample_taken;	/* items taken from A so far */
};

static void	step(struct verify_op *);

static void
progress(struct verify_op *op, const char *phase)
{
	struct verify_progress	p;

	if (op->progress == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.phase = phase;
	p.count_a = op->s[0].count.count;
	p.count_b = op->s[1].count.count;
	p.segments = op->s[0].count.segments + op->s[1].count.segments;
	p.segments_done = op->s[0].count.segments_done + op->s[1].count.segments_done;
	p.sampled = op->res.sampled;
	p.bytes = op->s[0].hashed_bytes + op->s[1].hashed_bytes;
	p.total = op->s[0].size + op->s[1].size;
	op->progress(op->data, &p);
}

static void
fail(struct verify_op *op, sv_result r, const struct sv_err *e)
{
	if (op->err.code != SV_OK)
		return;
	sv_err_set(&op->err, r, "%s", e != NULL && e->msg[0] != '\0' ? e->msg :
	    sv_result_str(r));
}

static struct vcall *
call_new(struct verify_op *op, enum call_kind kind, int side)
{
	struct vcall	*c = xcalloc(1, sizeof *c);

	c->op = op;
	c->kind = kind;
	c->side = side;
	c->starting = true;
	c->next = op->calls;
	op->calls = c;
	return c;
}

static void
call_free(struct vcall *c)
{
	cJSON_Delete(c->key);
	cJSON_Delete(c->item_a);
	free(c);
}

static void
call_unlink(struct vcall *c)
{
	struct vcall	**pp;

	for (pp = &c->op->calls; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
}

/* After the svc start function returned. */
static void
call_started(struct vcall *c, struct svc_op *svc)
{
	c->starting = false;
	if (c->finished)
		call_free(c);
	else
		c->svc = svc;
}

/* The svc done callback of every call. */
static void
call_done(void *arg, sv_result r, const struct sv_err *e, size_t pages)
{
	struct vcall		*c = arg;
	struct verify_op	*op = c->op;

	(void)pages;
	c->finished = true;
	c->svc = NULL;
	call_unlink(c);
	if (r != SV_OK)
		fail(op, r, e);
	else {
		struct side	*s = &op->s[c->side];

		switch (c->kind) {
		case CALL_DDB_COUNT:
			s->inflight--;
			if (!s->count.done[c->segment]) {
				struct sv_err	ne;

				sv_err_init(&ne);
				sv_err_set(&ne, SV_E_PARSE, "counting the items of %s "
				    "stopped before the last page of segment %d",
				    s->uri, c->segment);
				fail(op, SV_E_PARSE, &ne);
			}
			break;
		case CALL_DDB_SAMPLE:
			op->sample_scan_running = false;
			break;
		case CALL_DDB_GET:
			op->gets_inflight--;
			if (!c->got)
				fail(op, SV_E_PARSE, NULL);
			break;
		case CALL_DDB_DESCRIBE:
		case CALL_S3_HEAD:
		case CALL_RDS_INSTANCE:
		case CALL_RDS_CLUSTER:
			if (!c->got) {
				struct sv_err	ne;

				sv_err_init(&ne);
				sv_err_set(&ne, SV_E_NOTFOUND, "%s was not found",
				    s->uri);
				fail(op, SV_E_NOTFOUND, &ne);
			}
			break;
		case CALL_S3_HASH:
			if (!c->got)
				fail(op, SV_E_PARSE, NULL);
			break;
		}
	}
	if (r != SV_OK) {
		/* Keep the bookkeeping right for what is cancelled. */
		if (c->kind == CALL_DDB_COUNT)
			op->s[c->side].inflight--;
		else if (c->kind == CALL_DDB_SAMPLE)
			op->sample_scan_running = false;
		else if (c->kind == CALL_DDB_GET)
			op->gets_inflight--;
	}
	if (!c->starting)
		call_free(c);
	step(op);
}

/* ---- DynamoDB ---- */

static bool
ddb_described(void *arg, const struct ddb_table *t)
{
	struct vcall	*c = arg;
	struct side	*s = &c->op->s[c->side];
	struct buf	 b;
	size_t		 i;

	c->got = true;
	s->described = true;
	s->size_bytes = t->size_bytes;
	s->status = xstrdup(t->status != NULL ? t->status : "-");
	buf_init(&b, BUF_MAX_SMALL);
	s->key_names = xcalloc(t->n_keys + 1, sizeof *s->key_names);
	for (i = 0; i < t->n_keys; i++) {
		buf_addf(&b, "%s%s %s %s", i > 0 ? ", " : "", t->keys[i].attr,
		    t->keys[i].key_type != NULL ? t->keys[i].key_type : "?",
		    t->keys[i].attr_type != NULL ? t->keys[i].attr_type : "?");
		s->key_names[s->nkeys++] = xstrdup(t->keys[i].attr);
	}
	s->keys_text = buf_detach(&b);
	buf_adds(&b, "gsi: ");
	for (i = 0; i < t->n_gsis; i++)
		buf_addf(&b, "%s%s", i > 0 ? ", " : "", t->gsis[i]);
	if (t->n_gsis == 0)
		buf_adds(&b, "-");
	buf_adds(&b, "; lsi: ");
	for (i = 0; i < t->n_lsis; i++)
		buf_addf(&b, "%s%s", i > 0 ? ", " : "", t->lsis[i]);
	if (t->n_lsis == 0)
		buf_adds(&b, "-");
	s->indexes = buf_detach(&b);
	buf_free(&b);
	return true;
}

static bool
ddb_counted(void *arg, const struct ddb_count_page *p)
{
	struct vcall		*c = arg;
	struct verify_op	*op = c->op;

	if (!verify_count_add(&op->s[c->side].count, c->segment, p->count,
	    p->scanned, p->last))
		return false;
	progress(op, "count");
	return true;
}

static void
ddb_start_segments(struct verify_op *op, int side)
{
	struct side		*s = &op->s[side];
	int			 conc = op->opts.concurrency > 0 ?
				    op->opts.concurrency : VERIFY_CONCURRENCY;

	while (op->err.code == SV_OK && s->inflight < conc &&
	    s->next_segment < s->count.segments) {
		struct ddb_count_req	 req;
		struct vcall		*c = call_new(op, CALL_DDB_COUNT, side);

		c->segment = s->next_segment++;
		memset(&req, 0, sizeof req);
		req.table = s->res.name;
		req.segment = c->segment;
		req.total_segments = s->count.segments;
		s->inflight++;
		call_started(c, ddb_scan_count(op->client, &req, ddb_counted, call_done, c));
	}
}

static bool
ddb_sampled(void *arg, const struct ddb_items_page *p)
{
	struct vcall		*c = arg;
	struct verify_op	*op = c->op;
	const cJSON		*item;
	size_t			 i = 0;

	cJSON_ArrayForEach(item, p->items) {
		if (i++ >= p->n || op->sample_taken >= op->opts.sample)
			break;
		cJSON_AddItemToArray(op->queue, cJSON_Duplicate(item, true));
		op->sample_taken++;
	}
	/* The GetItems start when the scan call is done (never from inside
	 * a page callback: a failure there could end the op under it). */
	return op->sample_taken < op->opts.sample && op->err.code == SV_OK;
}

static bool
ddb_got(void *arg, const cJSON *item)
{
	struct vcall		*c = arg;
	struct verify_op	*op = c->op;
	char			*ca, *cb;

	c->got = true;
	op->res.sampled++;
	if (item == NULL)
		verify_result_diff(&op->res, c->key, c->item_a, NULL);
	else {
		ca = verify_item_canonical(c->item_a);
		cb = verify_item_canonical(item);
		if (ca == NULL || cb == NULL || strcmp(ca, cb) != 0)
			verify_result_diff(&op->res, c->key, c->item_a, item);
		free(ca);
		free(cb);
	}
	progress(op, "sample");
	return true;
}

static void
ddb_sample_step(struct verify_op *op)
{
	struct side	*a = &op->s[0], *b = &op->s[1];

	/* The scan of A: one segment after another until enough items. */
	if (!op->sample_scan_running && !op->sample_scan_done) {
		if (op->sample_taken >= op->opts.sample ||
		    op->sample_visited >= SAMPLE_SEGMENTS)
			op->sample_scan_done = true;
		else {
			struct ddb_scan_req	 req;
			struct vcall		*c = call_new(op, CALL_DDB_SAMPLE, 0);

			memset(&req, 0, sizeof req);
			req.table = a->res.name;
			req.total_segments = SAMPLE_SEGMENTS;
			req.segment = (op->sample_first + op->sample_visited++) %
			    SAMPLE_SEGMENTS;
			req.max_items = op->opts.sample - op->sample_taken;
			op->sample_scan_running = true;
			call_started(c, ddb_scan_items(op->client, &req, ddb_sampled,
			    call_done, c));
		}
	}
	/* GetItem on B for what was read. */
	while (op->err.code == SV_OK && op->gets_inflight < SAMPLE_GETS_INFLIGHT &&
	    cJSON_GetArraySize(op->queue) > 0) {
		cJSON		*item = cJSON_DetachItemFromArray(op->queue, 0);
		struct vcall	*c = call_new(op, CALL_DDB_GET, 1);

		c->item_a = item;
		c->key = verify_item_key(item, (const char *const *)a->key_names,
		    a->nkeys);
		op->gets_inflight++;
		if (c->key == NULL) {
			/* An item without its key: cannot happen in DynamoDB. */
			struct sv_err	e;

			sv_err_init(&e);
			sv_err_set(&e, SV_E_PARSE, "an item of %s lacks its key", a->uri);
			call_done(c, SV_E_PARSE, &e, 0);
			call_started(c, NULL);
			continue;
		}
		call_started(c, ddb_get_item(op->client, b->res.name, c->key, false,
		    ddb_got, call_done, c));
	}
}

static bool
ddb_sample_complete(const struct verify_op *op)
{
	return !op->sampling || (op->sample_scan_done && !op->sample_scan_running &&
	    op->gets_inflight == 0 && cJSON_GetArraySize(op->queue) == 0);
}

static void
ddb_work(struct verify_op *op)
{
	struct side	*a = &op->s[0], *b = &op->s[1];

	if (!op->work_started) {
		op->work_started = true;
		for (int i = 0; i < 2; i++) {
			const char	*st = op->s[i].status;

			if (strcmp(st, "ACTIVE") != 0 && strcmp(st, "UPDATING") != 0) {
				struct sv_err	e;

				sv_err_init(&e);
				sv_err_set(&e, SV_E_INVALID, "%s is %s: its items can be "
				    "counted once it is ACTIVE (salvage restore waits for "
				    "that)", op->s[i].uri, st);
				fail(op, SV_E_INVALID, &e);
				return;
			}
		}
		for (int i = 0; i < 2; i++) {
			int	n = op->opts.segments > 0 ? op->opts.segments :
				    verify_segments_for(op->s[i].size_bytes,
				    op->opts.concurrency);

			verify_count_init(&op->s[i].count, n);
		}
		op->res.segments_a = a->count.segments;
		op->res.segments_b = b->count.segments;
		/* Sampling needs the same key on both sides. */
		op->sampling = op->opts.sample > 0 &&
		    strcmp(a->keys_text, b->keys_text) == 0;
		if (op->sampling) {
			op->queue = cJSON_CreateArray();
			op->sample_first = (int)((sv_monotonic_ms() ^ getpid()) %
			    SAMPLE_SEGMENTS);
		}
		progress(op, "count");
	}
	ddb_start_segments(op, 0);
	ddb_start_segments(op, 1);
	if (op->sampling)
		ddb_sample_step(op);
	if (verify_count_complete(&a->count) && verify_count_complete(&b->count) &&
	    ddb_sample_complete(op) && op->calls == NULL) {
		char	ca[32], cb[32];

		op->res.count_a = a->count.count;
		op->res.count_b = b->count.count;
		op->res.scanned_a = a->count.scanned;
		op->res.scanned_b = b->count.scanned;
		snprintf(ca, sizeof ca, "%lld", a->count.count);
		snprintf(cb, sizeof cb, "%lld", b->count.count);
		verify_result_check(&op->res, "item count", ca, cb);
		verify_result_check(&op->res, "key schema", a->keys_text, b->keys_text);
		verify_result_check(&op->res, "indexes", a->indexes, b->indexes);
		if (op->sampling) {
			char	sa[64], sb[64];

			snprintf(sa, sizeof sa, "%lld read", op->res.sampled);
			if (op->res.sample_differ == 0)
				snprintf(sb, sizeof sb, "%lld equal", op->res.sampled);
			else
				snprintf(sb, sizeof sb, "%lld differ", op->res.sample_differ);
			verify_result_check_eq(&op->res, "sampled items", sa, sb,
			    op->res.sample_differ == 0);
		}
		op->res.method = xstrdup(op->sampling ? "segmented-scan+sample" :
		    "segmented-scan");
		op->phase = PH_DONE;
	}
}

/* ---- S3 ---- */

static bool
s3_headed(void *arg, const struct s3_head *h)
{
	struct vcall	*c = arg;
	struct side	*s = &c->op->s[c->side];

	c->got = true;
	s->described = true;
	s->delete_marker = h->delete_marker;
	s->size = h->size;
	s->etag = h->etag != NULL ? xstrdup(h->etag) : NULL;
	s->checksum = h->checksum_sha256 != NULL ? xstrdup(h->checksum_sha256) : NULL;
	s->sse = h->sse != NULL ? xstrdup(h->sse) : NULL;
	s->version_id = h->version_id != NULL ? xstrdup(h->version_id) : NULL;
	return true;
}

static void
s3_hash_progress(void *arg, long long done, long long size)
{
	struct vcall	*c = arg;

	(void)size;
	c->op->s[c->side].hashed_bytes = done;
	progress(c->op, "hash");
}

static void
s3_hashed(void *arg, const struct s3_hash *h)
{
	struct vcall	*c = arg;
	struct side	*s = &c->op->s[c->side];

	c->got = true;
	s->hash = *h;
	s->hashed = true;
}

static bool
full_checksum(const char *c)
{
	/* A composite (multipart) checksum ends in "-PARTS". */
	return c != NULL && *c != '\0' && strchr(c, '-') == NULL;
}

static void
s3_work(struct verify_op *op)
{
	struct side	*a = &op->s[0], *b = &op->s[1];
	char		 sa[32], sb[32];

	if (!op->work_started) {
		op->work_started = true;
		for (int i = 0; i < 2; i++) {
			if (op->s[i].delete_marker) {
				struct sv_err	e;

				sv_err_init(&e);
				sv_err_set(&e, SV_E_NOTFOUND, "%s: %s is a delete marker: "
				    "there is no content to compare (name a version with "
				    "--version-%c)", i == 0 ? op->res.a : op->res.b,
				    (i == 0 ? op->opts.version_a : op->opts.version_b) ==
				    NULL ? "the current version" : "that version",
				    i == 0 ? 'a' : 'b');
				fail(op, SV_E_NOTFOUND, &e);
				return;
			}
		}
		snprintf(sa, sizeof sa, "%lld", a->size);
		snprintf(sb, sizeof sb, "%lld", b->size);
		verify_result_check(&op->res, "size", sa, sb);
		if (a->size != b->size) {
			op->res.method = xstrdup("size");
			op->phase = PH_DONE;
			return;
		}
		if (!op->opts.hash && full_checksum(a->checksum) &&
		    full_checksum(b->checksum)) {
			op->res.method = xstrdup("checksum-sha256");
			verify_result_check(&op->res, "sha256 checksum", a->checksum,
			    b->checksum);
			op->phase = PH_DONE;
			return;
		}
		if (!op->opts.hash && verify_etag_is_md5(a->etag, a->sse) &&
		    verify_etag_is_md5(b->etag, b->sse)) {
			op->res.method = xstrdup("etag");
			verify_result_check_eq(&op->res, "etag (md5)", a->etag, b->etag,
			    strcasecmp(a->etag, b->etag) == 0);
			op->phase = PH_DONE;
			return;
		}
		op->res.method = xstrdup("sha256");
		for (int i = 0; i < 2; i++) {
			struct s3_get_req	 req;
			struct side		*s = &op->s[i];
			struct vcall		*c = call_new(op, CALL_S3_HASH, i);

			memset(&req, 0, sizeof req);
			req.bucket = s->res.name;
			req.key = s->res.key;
			req.version_id = i == 0 ? op->opts.version_a : op->opts.version_b;
			req.if_match = req.version_id == NULL ? s->etag : NULL;
			req.size = s->size;
			req.part_size = op->opts.part_size;
			call_started(c, s3_hash_object(op->client, &req, s3_hash_progress,
			    s3_hashed, call_done, c));
		}
		progress(op, "hash");
		return;
	}
	if (op->calls == NULL && a->hashed && b->hashed) {
		str_lcpy(op->res.sha256_a, a->hash.hex, sizeof op->res.sha256_a);
		str_lcpy(op->res.sha256_b, b->hash.hex, sizeof op->res.sha256_b);
		op->res.bytes_read = a->hash.bytes + b->hash.bytes;
		op->res.requests = a->hash.requests + b->hash.requests;
		verify_result_check(&op->res, "sha256", a->hash.hex, b->hash.hex);
		op->phase = PH_DONE;
	}
}

/* ---- RDS ---- */

static const char *const rds_instance_checks[] = {
	"engine", "engine version", "instance class", "allocated storage",
	"storage type", "storage encrypted", "status", NULL
};
static const char *const rds_cluster_checks[] = {
	"engine", "engine version", "engine mode", "members",
	"storage encrypted", "status", NULL
};

static char *
opt(const char *s)
{
	return xstrdup(s != NULL && *s != '\0' ? s : "-");
}

static bool
rds_instances(void *arg, const struct rds_instances_page *p)
{
	struct vcall	*c = arg;
	struct side	*s = &c->op->s[c->side];

	for (size_t i = 0; i < p->n; i++) {
		const struct rds_instance *in = &p->v[i];

		if (in->id == NULL || strcasecmp(in->id, s->res.name) != 0)
			continue;
		c->got = true;
		s->described = true;
		s->rds[0] = opt(in->engine);
		s->rds[1] = opt(in->engine_version);
		s->rds[2] = opt(in->instance_class);
		s->rds[3] = in->allocated_storage >= 0 ?
		    xasprintf("%lld GiB", in->allocated_storage) : xstrdup("-");
		s->rds[4] = opt(in->storage_type);
		s->rds[5] = xstrdup(in->storage_encrypted ? "yes" : "no");
		s->rds[6] = opt(in->status);
		return false;
	}
	return true;
}

static bool
rds_clusters(void *arg, const struct rds_clusters_page *p)
{
	struct vcall	*c = arg;
	struct side	*s = &c->op->s[c->side];

	for (size_t i = 0; i < p->n; i++) {
		const struct rds_cluster *cl = &p->v[i];

		if (cl->id == NULL || strcasecmp(cl->id, s->res.name) != 0)
			continue;
		c->got = true;
		s->described = true;
		s->rds[0] = opt(cl->engine);
		s->rds[1] = opt(cl->engine_version);
		s->rds[2] = opt(cl->engine_mode);
		s->rds[3] = xasprintf("%zu", cl->n_members);
		s->rds[4] = xstrdup(cl->storage_encrypted ? "yes" : "no");
		s->rds[5] = opt(cl->status);
		return false;
	}
	return true;
}

static void
rds_work(struct verify_op *op)
{
	const char *const	*names = op->kind == VERIFY_RDS ? rds_instance_checks :
				    rds_cluster_checks;

	for (size_t i = 0; names[i] != NULL; i++)
		verify_result_check(&op->res, names[i], op->s[0].rds[i], op->s[1].rds[i]);
	op->res.method = xstrdup("describe");
	op->phase = PH_DONE;
}

/* ---- the machine ---- */

static void
describe(struct verify_op *op)
{
	for (int i = 0; i < 2; i++) {
		struct side	*s = &op->s[i];
		struct vcall	*c;

		switch (op->kind) {
		case VERIFY_DYNAMODB:
			c = call_new(op, CALL_DDB_DESCRIBE, i);
			call_started(c, ddb_describe_table(op->client, s->res.name,
			    ddb_described, call_done, c));
			break;
		case VERIFY_S3: {
			struct s3_head_req	req;

			memset(&req, 0, sizeof req);
			req.bucket = s->res.name;
			req.key = s->res.key;
			req.version_id = i == 0 ? op->opts.version_a : op->opts.version_b;
			c = call_new(op, CALL_S3_HEAD, i);
			call_started(c, s3_head_object(op->client, &req, s3_headed,
			    call_done, c));
			break;
		}
		case VERIFY_RDS: {
			struct rds_instances_req	req = { s->res.name };

			c = call_new(op, CALL_RDS_INSTANCE, i);
			call_started(c, rds_describe_db_instances(op->client, &req,
			    rds_instances, call_done, c));
			break;
		}
		case VERIFY_RDS_CLUSTER: {
			struct rds_clusters_req	req = { s->res.name };

			c = call_new(op, CALL_RDS_CLUSTER, i);
			call_started(c, rds_describe_db_clusters(op->client, &req,
			    rds_clusters, call_done, c));
			break;
		}
		}
	}
	progress(op, "describe");
}

static void
cancel_calls(struct verify_op *op)
{
	struct vcall	*c;

	for (;;) {
		for (c = op->calls; c != NULL; c = c->next)
			if (c->svc != NULL)
				break;
		if (c == NULL)
			break;
		svc_op_cancel(c->svc);	/* call_done unlinks it */
	}
}

static void
side_free(struct side *s)
{
	resource_free(&s->res);
	free(s->uri);
	free(s->keys_text);
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->key_names[i]);
	free(s->key_names);
	free(s->indexes);
	free(s->status);
	verify_count_free(&s->count);
	free(s->etag);
	free(s->checksum);
	free(s->sse);
	free(s->version_id);
	for (size_t i = 0; i < sizeof s->rds / sizeof s->rds[0]; i++)
		free(s->rds[i]);
}

static void
op_free(struct verify_op *op)
{
	side_free(&op->s[0]);
	side_free(&op->s[1]);
	cJSON_Delete(op->queue);
	verify_result_free(&op->res);
	free(op);
}

/* Calls done once and frees the op. */
static void
finish(struct verify_op *op)
{
	if (op->finished)
		return;
	op->finished = true;
	if (op->err.code != SV_OK)
		op->done(op->data, op->err.code, &op->err, NULL);
	else
		op->done(op->data, SV_OK, NULL, &op->res);
	op_free(op);
}

static void
advance(struct verify_op *op)
{
	if (op->err.code != SV_OK) {
		cancel_calls(op);
		return;
	}
	switch (op->phase) {
	case PH_DESCRIBE:
		if (op->calls != NULL)
			return;
		op->phase = PH_WORK;
		/* FALLTHROUGH */
	case PH_WORK:
		if (op->kind == VERIFY_DYNAMODB)
			ddb_work(op);
		else if (op->kind == VERIFY_S3)
			s3_work(op);
		else
			rds_work(op);
		break;
	case PH_DONE:
		break;
	}
}

static void
step(struct verify_op *op)
{
	if (op->in_step) {
		op->again = true;
		return;
	}
	op->in_step = true;
	do {
		op->again = false;
		advance(op);
	} while (op->again);
	op->in_step = false;
	if ((op->phase == PH_DONE || op->err.code != SV_OK) && op->calls == NULL) {
		if (!op->started)
			op->deferred = true;	/* never from inside verify_start */
		else
			finish(op);
	}
}

static sv_result
parse_side(struct side *s, const char *uri, struct sv_err *err)
{
	if (resource_parse(uri, &s->res, err) != SV_OK)
		return err->code;
	s->uri = resource_uri(&s->res);
	s->size = -1;
	return SV_OK;
}

static sv_result
check_args(struct verify_op *op, const struct verify_opts *o, struct sv_err *err)
{
	struct resource	*a = &op->s[0].res, *b = &op->s[1].res;

	if (a->scheme != b->scheme || a->kind != b->kind)
		return sv_err_set(err, SV_E_USAGE, "%s and %s are not the same kind of "
		    "resource: verify compares two tables, two objects, two DB "
		    "instances or two DB clusters", op->s[0].uri, op->s[1].uri);
	switch (a->kind) {
	case RES_TABLE:
		op->kind = VERIFY_DYNAMODB;
		break;
	case RES_OBJECT:
		op->kind = VERIFY_S3;
		break;
	case RES_INSTANCE:
		op->kind = VERIFY_RDS;
		break;
	case RES_CLUSTER:
		op->kind = VERIFY_RDS_CLUSTER;
		break;
	default:
		return sv_err_set(err, SV_E_USAGE, "verify compares one table, object, "
		    "DB instance or DB cluster with another, not %s (%s)",
		    resource_kind_name(a->kind), op->s[0].uri);
	}
	if (o->sample < 0 || o->sample > VERIFY_SAMPLE_MAX)
		return sv_err_set(err, SV_E_USAGE, "--sample must be 0..%d",
		    VERIFY_SAMPLE_MAX);
	if (o->segments < 0 || o->segments > VERIFY_MAX_SEGMENTS * 16)
		return sv_err_set(err, SV_E_USAGE, "--segments must be 1..%d",
		    VERIFY_MAX_SEGMENTS * 16);
	if (o->concurrency < 0 || o->concurrency > VERIFY_MAX_SEGMENTS)
		return sv_err_set(err, SV_E_USAGE, "--concurrency must be 1..%d",
		    VERIFY_MAX_SEGMENTS);
	if (o->sample > 0 && op->kind != VERIFY_DYNAMODB)
		return sv_err_set(err, SV_E_USAGE, "--sample compares DynamoDB items; "
		    "%s is not a table", op->s[0].uri);
	if ((o->version_a != NULL || o->version_b != NULL || o->hash) &&
	    op->kind != VERIFY_S3)
		return sv_err_set(err, SV_E_USAGE, "--version-a, --version-b and "
		    "--hash are for S3 objects");
	if (op->kind == VERIFY_S3 && o->part_size != 0 &&
	    (o->part_size < 1024 || o->part_size > 64LL * 1024 * 1024))
		return sv_err_set(err, SV_E_USAGE, "the part size must be 1 KiB..64 MiB");
	if (strcmp(op->s[0].uri, op->s[1].uri) == 0 &&
	    (o->version_a == NULL) == (o->version_b == NULL) &&
	    (o->version_a == NULL || strcmp(o->version_a, o->version_b) == 0))
		return sv_err_set(err, SV_E_USAGE, "%s is compared with itself: name "
		    "the restored copy as the second resource", op->s[0].uri);
	return SV_OK;
}

sv_result
verify_validate(const char *uri_a, const char *uri_b, const struct verify_opts *o,
    struct sv_err *err)
{
	struct verify_op	*op = xcalloc(1, sizeof *op);
	struct verify_opts	 none;
	sv_result		 result = SV_OK;

	memset(&none, 0, sizeof none);
	verify_result_init(&op->res);
	if (uri_a == NULL || uri_b == NULL)
		result = sv_err_set(err, SV_E_USAGE, "verify needs two resources: "
		    "A and B");
	else if (parse_side(&op->s[0], uri_a, err) != SV_OK ||
	    parse_side(&op->s[1], uri_b, err) != SV_OK ||
	    check_args(op, o != NULL ? o : &none, err) != SV_OK)
		result = err->code;
	op_free(op);
	return result;
}

struct verify_op *
verify_start(struct aws_client *client, const char *uri_a, const char *uri_b,
    const struct verify_opts *opts, verify_progress_fn prog, verify_done_fn done,
    void *data, struct sv_err *err)
{
	struct verify_op	*op = xcalloc(1, sizeof *op);
	struct verify_opts	 none;

	memset(&none, 0, sizeof none);
	op->client = client;
	op->opts = opts != NULL ? *opts : none;
	op->progress = prog;
	op->done = done;
	op->data = data;
	sv_err_init(&op->err);
	verify_result_init(&op->res);
	if (uri_a == NULL || uri_b == NULL) {
		sv_err_set(err, SV_E_USAGE, "verify needs two resources: A and B");
		goto fail;
	}
	if (parse_side(&op->s[0], uri_a, err) != SV_OK ||
	    parse_side(&op->s[1], uri_b, err) != SV_OK ||
	    check_args(op, &op->opts, err) != SV_OK)
		goto fail;
	op->res.kind = op->kind;
	op->res.a = xstrdup(op->s[0].uri);
	op->res.b = xstrdup(op->s[1].uri);
	if (op->kind == VERIFY_S3) {
		if (op->opts.version_a != NULL) {
			free(op->res.a);
			op->res.a = xasprintf("%s?versionId=%s", op->s[0].uri,
			    op->opts.version_a);
		}
		if (op->opts.version_b != NULL) {
			free(op->res.b);
			op->res.b = xasprintf("%s?versionId=%s", op->s[1].uri,
			    op->opts.version_b);
		}
	}
	op->phase = PH_DESCRIBE;
	op->in_step = true;
	describe(op);
	op->in_step = false;
	step(op);
	op->started = true;
	return op;
fail:
	op_free(op);
	return NULL;
}

void
verify_cancel(struct verify_op *op)
{
	struct sv_err	e;

	if (op == NULL || op->finished)
		return;
	sv_err_init(&e);
	sv_err_set(&e, SV_E_CANCELLED, "verification cancelled");
	if (op->err.code == SV_OK)
		fail(op, SV_E_CANCELLED, &e);
	op->in_step = true;
	cancel_calls(op);
	op->in_step = false;
	finish(op);
}

int
verify_timeout_ms(const struct verify_op *op)
{
	return op != NULL && op->deferred && !op->finished ? 0 : -1;
}

void
verify_tick(struct verify_op *op)
{
	if (op != NULL && op->deferred)
		finish(op);
}

/* ---- synchronous ---- */

struct vsync {
	bool			 done;
	sv_result		 result;
	struct sv_err		*err;
	struct verify_result	*out;
	verify_progress_fn	 prog;
	void			*data;
};

static void
sync_progress(void *arg, const struct verify_progress *p)
{
	struct vsync	*s = arg;

	s->prog(s->data, p);
}

static void
sync_done(void *arg, sv_result r, const struct sv_err *e,
    const struct verify_result *res)
{
	struct vsync	*s = arg;

	s->done = true;
	s->result = r;
	if (r != SV_OK)
		sv_err_set(s->err, r, "%s", e != NULL ? e->msg : sv_result_str(r));
	else {
		/* Take the result over; the op frees an empty one. */
		*s->out = *res;
		verify_result_init((struct verify_result *)res);
	}
}

sv_result
verify_sync(struct aws_client *client, const char *uri_a, const char *uri_b,
    const struct verify_opts *opts, verify_progress_fn prog, void *data,
    const volatile sig_atomic_t *stop, struct verify_result *out,
    struct sv_err *err)
{
	struct vsync		 s = { false, SV_OK, err, out, prog, data };
	struct verify_op	*op;
	struct http_engine	*eng = aws_client_engine(client);

	verify_result_init(out);
	op = verify_start(client, uri_a, uri_b, opts, prog != NULL ? sync_progress :
	    NULL, sync_done, &s, err);
	if (op == NULL)
		return err->code;
	while (!s.done) {
		if (stop != NULL && *stop) {
			verify_cancel(op);
			break;
		}
		if (verify_timeout_ms(op) == 0) {
			verify_tick(op);
			break;
		}
		if (!http_engine_busy(eng)) {
			/* Nothing in flight and not done: should not happen. */
			verify_cancel(op);
			sv_err_init(err);
			return sv_err_set(err, SV_E_NET, "the request engine stopped "
			    "before verification completed");
		}
		http_engine_poll(eng, 200);
	}
	return s.result;
}
