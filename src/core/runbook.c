/* runbook.c - the runbook format: loading, validation with precise
 * messages, where runbooks are found, variable types and ${name}
 * expansion (see runbook.h and salvage-runbook(5)). */
#include <config.h>

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "core/resource.h"
#include "core/runbook.h"
#include "core/timespec.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/salvage"
#endif

/* ---- Names ---- */

static const char *const step_names[RB_STEP__COUNT] = {
	"info", "check", "input", "choose-point", "restore", "wait", "verify",
	"drift", "note", "cleanup"
};

static const char *const var_type_names[RB_VT__COUNT] = {
	"string", "dynamodb-table", "rds-instance", "rds-cluster", "s3-bucket",
	"s3-key", "s3-prefix", "time", "name"
};

static const char *const builtins[] = {
	"session", "suffix", "date", "account", "region", NULL
};

const char *
rb_step_type_name(enum rb_step_type t)
{
	return (unsigned)t < RB_STEP__COUNT ? step_names[t] : "?";
}

const char *
rb_var_type_name(enum rb_var_type t)
{
	return (unsigned)t < RB_VT__COUNT ? var_type_names[t] : "?";
}

bool
runbook_builtin_var(const char *name)
{
	for (int i = 0; builtins[i] != NULL; i++)
		if (strcmp(builtins[i], name) == 0)
			return true;
	return false;
}

/* ---- Step parameters ---- */

enum pkind {
	PK_TMPL,	/* a string, may hold ${...} */
	PK_URI,		/* a resource URI template */
	PK_VAR,		/* the name of a declared variable */
	PK_BOOL,
	PK_INT,		/* a non-negative integer */
	PK_ENUM,	/* one of spec->values ("a|b|c") */
	PK_URI_LIST	/* an array of URI templates */
};

struct param_spec {
	const char	*name;
	enum pkind	 kind;
	bool		 required;
	const char	*values;	/* PK_ENUM */
};

#define P_END	{ NULL, PK_TMPL, false, NULL }

static const struct param_spec p_none[] = { P_END };
static const struct param_spec p_input[] = {
	{ "var", PK_VAR, true, NULL },
	{ "prompt", PK_TMPL, false, NULL },
	P_END
};
static const struct param_spec p_choose[] = {
	{ "resource", PK_URI, true, NULL },
	{ "var", PK_VAR, true, NULL },
	/* The incident time: the point chosen is the newest at or before
	 * it, and the data loss is counted from it. */
	{ "before", PK_TMPL, false, NULL },
	{ "method", PK_ENUM, false, "any|pitr|point" },
	P_END
};
static const struct param_spec p_restore[] = {
	{ "source", PK_URI, true, NULL },
	{ "target", PK_TMPL, false, NULL },
	{ "point", PK_TMPL, false, NULL },	/* what choose-point set */
	{ "to", PK_TMPL, false, NULL },		/* a time or "latest" */
	{ "backup", PK_TMPL, false, NULL },
	{ "snapshot", PK_TMPL, false, NULL },
	{ "version", PK_TMPL, false, NULL },
	/* An AWS Backup recovery point (ARN), and the role AWS Backup acts as. */
	{ "recovery_point", PK_TMPL, false, NULL },
	{ "iam_role", PK_TMPL, false, NULL },
	{ "undelete", PK_BOOL, false, NULL },
	{ "copy_settings", PK_BOOL, false, NULL },
	{ "delete_new", PK_BOOL, false, NULL },
	{ "wait", PK_BOOL, false, NULL },
	/* The incident time: the data loss is counted to it. */
	{ "incident", PK_TMPL, false, NULL },
	/* S3 only: copy the version to this key of the same bucket instead
	 * of making it current on its own key (a rehearsal's test copy). */
	{ "target_key", PK_TMPL, false, NULL },
	P_END
};
static const struct param_spec p_wait[] = {
	{ "resource", PK_URI, true, NULL },
	{ "timeout_minutes", PK_INT, false, NULL },
	P_END
};
static const struct param_spec p_verify[] = {
	{ "source", PK_URI, true, NULL },
	{ "target", PK_URI, true, NULL },
	{ "sample", PK_INT, false, NULL },
	/* false: differences are expected (the source is the damaged one):
	 * they are recorded and the operator confirms them. */
	{ "must_equal", PK_BOOL, false, NULL },
	{ "source_version", PK_TMPL, false, NULL },	/* S3: a version of source */
	{ "target_version", PK_TMPL, false, NULL },
	P_END
};
static const struct param_spec p_drift[] = {
	{ "source", PK_URI, true, NULL },
	{ "target", PK_URI, true, NULL },
	{ "apply", PK_BOOL, false, NULL },
	P_END
};
static const struct param_spec p_note[] = {
	{ "default", PK_TMPL, false, NULL },
	P_END
};
static const struct param_spec p_cleanup[] = {
	{ "resources", PK_URI_LIST, false, NULL },
	P_END
};

static const struct param_spec *const step_params[RB_STEP__COUNT] = {
	p_none, p_none, p_input, p_choose, p_restore, p_wait, p_verify, p_drift,
	p_note, p_cleanup
};

const char *
runbook_param(const struct rb_step *st, const char *name)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(st->params, name);

	return cJSON_IsString(c) ? c->valuestring : NULL;
}

bool
runbook_param_bool(const struct rb_step *st, const char *name, bool def)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(st->params, name);

	return cJSON_IsBool(c) ? cJSON_IsTrue(c) : def;
}

long
runbook_param_int(const struct rb_step *st, const char *name, long def)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(st->params, name);

	return cJSON_IsNumber(c) ? (long)c->valuedouble : def;
}

bool
runbook_step_mutating(const struct rb_step *st)
{
	return st->type == RB_STEP_RESTORE || st->type == RB_STEP_CLEANUP ||
	    (st->type == RB_STEP_DRIFT && runbook_param_bool(st, "apply", false));
}

const struct rb_var *
runbook_var(const struct runbook *rb, const char *name)
{
	for (size_t i = 0; i < rb->nvars; i++)
		if (strcmp(rb->vars[i].name, name) == 0)
			return &rb->vars[i];
	return NULL;
}

int
runbook_step_index(const struct runbook *rb, const char *id)
{
	for (size_t i = 0; i < rb->nsteps; i++)
		if (strcmp(rb->steps[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* ---- Templates ---- */

static bool
valid_var_name(const char *s, size_t n)
{
	if (n == 0 || n > 64 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

bool
runbook_refs(const char *t, void (*fn)(void *, const char *), void *data,
    char **bad)
{
	for (const char *p = t; *p != '\0'; p++) {
		const char	*end;
		char		*name;

		if (*p != '$')
			continue;
		if (p[1] == '$') {
			p++;
			continue;
		}
		if (p[1] != '{')
			continue;
		end = strchr(p + 2, '}');
		if (end == NULL) {
			*bad = xasprintf("'%s': '${' without a closing '}'", p);
			return false;
		}
		if (!valid_var_name(p + 2, (size_t)(end - p - 2))) {
			*bad = xasprintf("'%.*s' is not a variable name (letters, "
			    "digits and '_', starting with a letter)",
			    (int)(end - p + 1), p);
			return false;
		}
		name = xstrndup(p + 2, (size_t)(end - p - 2));
		if (fn != NULL)
			fn(data, name);
		free(name);
		p = end;
	}
	return true;
}

sv_result
runbook_expand(const char *t, runbook_lookup_fn lookup, void *data, char **out,
    char **missing, struct sv_err *err)
{
	struct buf	b;
	sv_result	result = SV_OK;

	*out = NULL;
	if (missing != NULL)
		*missing = NULL;
	buf_init(&b, BUF_MAX_SMALL);
	for (const char *p = t; *p != '\0'; p++) {
		const char	*end, *val;
		char		*name;

		if (*p == '$' && p[1] == '$') {
			result = buf_addc(&b, '$');
			p++;
		} else if (*p == '$' && p[1] == '{' &&
		    (end = strchr(p + 2, '}')) != NULL &&
		    valid_var_name(p + 2, (size_t)(end - p - 2))) {
			name = xstrndup(p + 2, (size_t)(end - p - 2));
			val = lookup(data, name);
			if (val == NULL) {
				result = sv_err_set(err, SV_E_NOTFOUND,
				    "variable ${%s} is not set", name);
				if (missing != NULL)
					*missing = name;
				else
					free(name);
				goto fail;
			}
			free(name);
			result = buf_adds(&b, val);
			p = end;
		} else
			result = buf_addc(&b, *p);
		if (result != SV_OK) {
			result = sv_err_set(err, SV_E_TOOLARGE,
			    "'%.40s...' expands to more than %u bytes", t, BUF_MAX_SMALL);
			goto fail;
		}
	}
	*out = buf_detach(&b);
fail:
	buf_free(&b);
	return result;
}

/* ---- Variable values ---- */

/* Any form timespec_parse takes but "latest" (handled by the caller). */
static sv_result
parse_time(const char *s, sv_time now, sv_time *out, struct sv_err *err)
{
	struct timespec_value	tv;

	if (timespec_parse(s, now, &tv, err) != SV_OK)
		return SV_E_USAGE;
	if (tv.form == TIMESPEC_LATEST)
		return sv_err_set(err, SV_E_USAGE, "'latest' is not a time here: give "
		    "the time itself");
	*out = tv.t;
	/* Relative times and "now" are kept to the second. */
	if (tv.form == TIMESPEC_RELATIVE || tv.form == TIMESPEC_NOW)
		*out -= ((*out % 1000) + 1000) % 1000;
	return SV_OK;
}

static bool
one_line(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

sv_result
runbook_var_check(enum rb_var_type type, const char *value, bool allow_latest,
    sv_time now, char **norm, struct sv_err *err)
{
	size_t	n = strlen(value);
	sv_time	t = SV_TIME_NONE;

	*norm = NULL;
	if (n == 0)
		return sv_err_set(err, SV_E_USAGE, "an empty value is not a %s",
		    rb_var_type_name(type));
	if (!one_line(value) || !str_valid_utf8(value, n))
		return sv_err_set(err, SV_E_USAGE, "the value has control characters "
		    "or is not UTF-8");
	switch (type) {
	case RB_VT_STRING:
		break;
	case RB_VT_DYNAMODB_TABLE:
		if (!resource_valid_table(value, err))
			return SV_E_USAGE;
		break;
	case RB_VT_RDS_INSTANCE:
		if (!resource_valid_rds_id(value, "DB instance identifier", err))
			return SV_E_USAGE;
		break;
	case RB_VT_RDS_CLUSTER:
		if (!resource_valid_rds_id(value, "DB cluster identifier", err))
			return SV_E_USAGE;
		break;
	case RB_VT_S3_BUCKET:
		if (!resource_valid_bucket(value, err))
			return SV_E_USAGE;
		break;
	case RB_VT_S3_KEY:
		if (n > RESOURCE_KEY_MAX)
			return sv_err_set(err, SV_E_USAGE, "an S3 key is at most %d bytes",
			    RESOURCE_KEY_MAX);
		if (value[n - 1] == '/')
			return sv_err_set(err, SV_E_USAGE, "'%s' ends in '/': that is a "
			    "prefix, not a key", value);
		break;
	case RB_VT_S3_PREFIX:
		if (n > RESOURCE_KEY_MAX)
			return sv_err_set(err, SV_E_USAGE, "an S3 prefix is at most %d bytes",
			    RESOURCE_KEY_MAX);
		if (value[n - 1] != '/')
			return sv_err_set(err, SV_E_USAGE, "a prefix ends in '/' "
			    "(\"%s/\")", value);
		break;
	case RB_VT_TIME: {
		char	iso[SV_TIME_ISO_MAX];

		if (allow_latest && strcmp(value, "latest") == 0)
			break;
		if (parse_time(value, now, &t, err) != SV_OK)
			return SV_E_USAGE;
		sv_time_format_iso(t, iso, t % 1000 != 0);
		*norm = xstrdup(iso);
		return SV_OK;
	}
	case RB_VT_NAME:
		if (n > 255)
			return sv_err_set(err, SV_E_USAGE, "a name is at most 255 characters");
		if (!isalnum((unsigned char)value[0]))
			return sv_err_set(err, SV_E_USAGE, "'%s': a name starts with a "
			    "letter or a digit", value);
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)value[i]) && strchr("._-", value[i]) == NULL)
				return sv_err_set(err, SV_E_USAGE, "'%s': a name has only "
				    "letters, digits, '.', '_' and '-'", value);
		break;
	default:
		return sv_err_set(err, SV_E_USAGE, "unknown variable type");
	}
	*norm = xstrdup(value);
	return SV_OK;
}

/* ---- Loading ---- */

struct loader {
	const char	*name;		/* file name for messages */
	struct runbook	*rb;
	struct sv_err	*err;
	sv_result	 result;
	const char	*path;		/* the field being checked, for ref errors */
};

static sv_result
fail_at(struct loader *l, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static sv_result
fail_at(struct loader *l, const char *field, const char *fmt, ...)
{
	char	msg[SV_ERR_MSG_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (l->result == SV_OK)
		l->result = sv_err_set(l->err, SV_E_PARSE, "%s: %s%s%s", l->name,
		    field != NULL ? field : "", field != NULL ? ": " : "", msg);
	return l->result;
}

/* Line and column (1-based, columns in bytes) of offset in text. */
static void
line_col(const char *text, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static const char *
json_type(const cJSON *j)
{
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsArray(j))
		return "an array";
	if (cJSON_IsObject(j))
		return "an object";
	return "something else";
}

/* A string field: *out = xstrdup, or NULL when absent and optional. */
static sv_result
get_str(struct loader *l, const cJSON *obj, const char *path, const char *key,
    bool required, bool nonempty, char **out)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(obj, key);
	char		 field[128];

	*out = NULL;
	snprintf(field, sizeof field, "%s%s%s", path, *path != '\0' ? "." : "", key);
	if (c == NULL) {
		if (required)
			return fail_at(l, field, "missing (required)");
		return SV_OK;
	}
	if (!cJSON_IsString(c))
		return fail_at(l, field, "must be a string, not %s", json_type(c));
	if (nonempty && c->valuestring[0] == '\0')
		return fail_at(l, field, "must not be empty");
	if (!str_valid_utf8(c->valuestring, strlen(c->valuestring)))
		return fail_at(l, field, "is not valid UTF-8");
	*out = xstrdup(c->valuestring);
	return SV_OK;
}

static bool
valid_id(const char *s)
{
	size_t	n = strlen(s);

	if (n == 0 || n > RUNBOOK_ID_MAX ||
	    !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* Fields of obj not in allowed (NULL-terminated) are errors: a typo
 * ("vra") must not be silently ignored. */
static sv_result
check_keys(struct loader *l, const cJSON *obj, const char *path,
    const char *const *allowed, const struct param_spec *extra)
{
	const cJSON	*c;

	cJSON_ArrayForEach(c, obj) {
		bool	ok = false;
		char	field[128];

		for (int i = 0; allowed[i] != NULL && !ok; i++)
			ok = strcmp(c->string, allowed[i]) == 0;
		for (int i = 0; extra != NULL && extra[i].name != NULL && !ok; i++)
			ok = strcmp(c->string, extra[i].name) == 0;
		if (!ok) {
			snprintf(field, sizeof field, "%s%s%s", path,
			    *path != '\0' ? "." : "", c->string);
			return fail_at(l, field, "unknown field");
		}
		for (const cJSON *d = c->next; d != NULL; d = d->next)
			if (strcmp(d->string, c->string) == 0) {
				snprintf(field, sizeof field, "%s%s%s", path,
				    *path != '\0' ? "." : "", c->string);
				return fail_at(l, field, "appears twice");
			}
	}
	return SV_OK;
}

static void
ref_check(void *data, const char *name)
{
	struct loader	*l = data;

	if (runbook_var(l->rb, name) == NULL && !runbook_builtin_var(name))
		fail_at(l, l->path, "unknown variable ${%s} (declare it under "
		    "\"variables\"; built in: ${session}, ${suffix}, ${date}, "
		    "${account}, ${region})", name);
}

static sv_result
check_refs(struct loader *l, const char *field, const char *t)
{
	char	*bad = NULL;

	if (t == NULL)
		return SV_OK;
	l->path = field;
	if (!runbook_refs(t, ref_check, l, &bad)) {
		fail_at(l, field, "%s", bad);
		free(bad);
	}
	return l->result;
}

/* A URI template: what is fixed must look like a resource URI. */
static sv_result
check_uri(struct loader *l, const char *field, const char *t)
{
	static const char *const schemes[] = {
		"s3://", "dynamodb://", "rds://", "rds-cluster://", NULL
	};
	bool	ok = strncmp(t, "${", 2) == 0;

	for (int i = 0; schemes[i] != NULL && !ok; i++)
		ok = strncmp(t, schemes[i], strlen(schemes[i])) == 0;
	if (!ok)
		return fail_at(l, field, "'%s' is not a resource URI (s3://BUCKET/KEY, "
		    "dynamodb://TABLE, rds://INSTANCE, rds-cluster://CLUSTER)", t);
	return check_refs(l, field, t);
}

static sv_result
load_vars(struct loader *l, const cJSON *arr)
{
	static const char *const keys[] = { "name", "prompt", "type", "default", NULL };
	struct runbook	*rb = l->rb;
	const cJSON	*v;
	size_t		 i = 0;

	if (arr == NULL)
		return SV_OK;
	if (!cJSON_IsArray(arr))
		return fail_at(l, "variables", "must be an array, not %s", json_type(arr));
	if (cJSON_GetArraySize(arr) > RUNBOOK_VARS_MAX)
		return fail_at(l, "variables", "more than %d variables", RUNBOOK_VARS_MAX);
	rb->vars = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *rb->vars);
	cJSON_ArrayForEach(v, arr) {
		struct rb_var	*var = &rb->vars[i];
		char		 path[64], field[96], *type = NULL;
		int		 t;

		snprintf(path, sizeof path, "variables[%zu]", i);
		if (!cJSON_IsObject(v))
			return fail_at(l, path, "must be an object, not %s", json_type(v));
		if (check_keys(l, v, path, keys, NULL) != SV_OK)
			return l->result;
		rb->nvars = ++i;
		if (get_str(l, v, path, "name", true, true, &var->name) != SV_OK ||
		    get_str(l, v, path, "prompt", false, false, &var->prompt) != SV_OK ||
		    get_str(l, v, path, "type", false, true, &type) != SV_OK ||
		    get_str(l, v, path, "default", false, false, &var->def) != SV_OK) {
			free(type);
			return l->result;
		}
		snprintf(field, sizeof field, "%s.name", path);
		if (!valid_var_name(var->name, strlen(var->name)))
			fail_at(l, field, "'%s' is not a variable name (letters, "
			    "digits and '_', starting with a letter)", var->name);
		else if (runbook_builtin_var(var->name))
			fail_at(l, field, "'%s' is a built-in variable", var->name);
		for (size_t k = 0; k + 1 < i && l->result == SV_OK; k++)
			if (strcmp(rb->vars[k].name, var->name) == 0)
				fail_at(l, field, "variable '%s' is declared twice",
				    var->name);
		if (l->result != SV_OK) {
			free(type);
			return l->result;
		}
		var->type = RB_VT_STRING;
		if (type != NULL) {
			for (t = 0; t < RB_VT__COUNT; t++)
				if (strcmp(type, var_type_names[t]) == 0)
					break;
			if (t == RB_VT__COUNT) {
				snprintf(field, sizeof field, "%s.type", path);
				fail_at(l, field, "unknown variable type '%s' (one of: string, "
				    "dynamodb-table, rds-instance, rds-cluster, s3-bucket, "
				    "s3-key, s3-prefix, time, name)", type);
				free(type);
				return l->result;
			}
			var->type = (enum rb_var_type)t;
			free(type);
		}
	}
	/* Defaults may refer to other variables: checked once all are known. */
	for (i = 0; i < rb->nvars; i++) {
		char	field[96];

		snprintf(field, sizeof field, "variables[%zu].default", i);
		if (check_refs(l, field, rb->vars[i].def) != SV_OK)
			return l->result;
	}
	return SV_OK;
}

static sv_result
load_param(struct loader *l, const struct rb_step *st, const char *path,
    const struct param_spec *ps)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(st->params, ps->name);
	char		 field[128];

	snprintf(field, sizeof field, "%s.%s", path, ps->name);
	if (c == NULL) {
		if (ps->required)
			return fail_at(l, field, "missing (required for a %s step)",
			    rb_step_type_name(st->type));
		return SV_OK;
	}
	switch (ps->kind) {
	case PK_BOOL:
		if (!cJSON_IsBool(c))
			return fail_at(l, field, "must be true or false, not %s",
			    json_type(c));
		return SV_OK;
	case PK_INT:
		if (!cJSON_IsNumber(c) || c->valuedouble < 0 ||
		    c->valuedouble > 1e6 || c->valuedouble != (double)(long)c->valuedouble)
			return fail_at(l, field, "must be a whole number from 0 to 1000000");
		return SV_OK;
	case PK_URI_LIST: {
		const cJSON	*e;
		int		 k = 0;

		if (!cJSON_IsArray(c))
			return fail_at(l, field, "must be an array of URIs, not %s",
			    json_type(c));
		cJSON_ArrayForEach(e, c) {
			char	ef[160];

			snprintf(ef, sizeof ef, "%s[%d]", field, k++);
			if (!cJSON_IsString(e))
				return fail_at(l, ef, "must be a string, not %s", json_type(e));
			if (check_uri(l, ef, e->valuestring) != SV_OK)
				return l->result;
		}
		return SV_OK;
	}
	default:
		break;
	}
	if (!cJSON_IsString(c))
		return fail_at(l, field, "must be a string, not %s", json_type(c));
	if (c->valuestring[0] == '\0')
		return fail_at(l, field, "must not be empty");
	if (!str_valid_utf8(c->valuestring, strlen(c->valuestring)))
		return fail_at(l, field, "is not valid UTF-8");
	switch (ps->kind) {
	case PK_TMPL:
		return check_refs(l, field, c->valuestring);
	case PK_URI:
		return check_uri(l, field, c->valuestring);
	case PK_VAR: {
		const struct rb_var *v = runbook_var(l->rb, c->valuestring);

		if (v == NULL)
			return fail_at(l, field, "'%s' is not a declared variable (declare "
			    "it under \"variables\")", c->valuestring);
		if (st->type == RB_STEP_CHOOSE_POINT && v->type != RB_VT_STRING &&
		    v->type != RB_VT_TIME)
			return fail_at(l, field, "variable '%s' is of type %s: a restore "
			    "point is stored in a string or time variable", v->name,
			    rb_var_type_name(v->type));
		return SV_OK;
	}
	case PK_ENUM: {
		const char	*p = ps->values;
		size_t		 n = strlen(c->valuestring);

		while (p != NULL && *p != '\0') {
			const char *bar = strchr(p, '|');
			size_t	    len = bar != NULL ? (size_t)(bar - p) : strlen(p);

			if (len == n && strncmp(p, c->valuestring, n) == 0)
				return SV_OK;
			p = bar != NULL ? bar + 1 : NULL;
		}
		return fail_at(l, field, "'%s' is not one of: %s", c->valuestring,
		    ps->values);
	}
	default:
		return SV_OK;
	}
}

static sv_result
check_restore(struct loader *l, const struct rb_step *st, const char *path)
{
	static const char *const how[] = {
		"point", "to", "backup", "snapshot", "version", "recovery_point", NULL
	};
	int	n = 0;
	char	field[96];

	for (int i = 0; how[i] != NULL; i++)
		if (runbook_param(st, how[i]) != NULL)
			n++;
	if (runbook_param_bool(st, "undelete", false))
		n++;
	snprintf(field, sizeof field, "%s", path);
	if (n == 0)
		return fail_at(l, field, "a restore step names what to restore from: "
		    "one of point, to, backup, snapshot, version, recovery_point or "
		    "undelete");
	if (n > 1)
		return fail_at(l, field, "a restore step names one of point, to, "
		    "backup, snapshot, version, recovery_point or undelete, not "
		    "several");
	return SV_OK;
}

static sv_result
load_steps(struct loader *l, const cJSON *arr)
{
	static const char *const keys[] = { "id", "type", "title", "text", NULL };
	struct runbook	*rb = l->rb;
	const cJSON	*s;
	size_t		 i = 0;

	if (arr == NULL)
		return fail_at(l, "steps", "missing (required)");
	if (!cJSON_IsArray(arr))
		return fail_at(l, "steps", "must be an array, not %s", json_type(arr));
	if (cJSON_GetArraySize(arr) == 0)
		return fail_at(l, "steps", "a runbook has at least one step");
	if (cJSON_GetArraySize(arr) > RUNBOOK_STEPS_MAX)
		return fail_at(l, "steps", "more than %d steps", RUNBOOK_STEPS_MAX);
	rb->steps = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof *rb->steps);
	cJSON_ArrayForEach(s, arr) {
		struct rb_step	*st = &rb->steps[i];
		char		 path[64], field[96], *type = NULL;
		int		 t;

		snprintf(path, sizeof path, "steps[%zu]", i);
		if (!cJSON_IsObject(s))
			return fail_at(l, path, "must be an object, not %s", json_type(s));
		rb->nsteps = ++i;
		st->params = cJSON_Duplicate(s, true);
		if (get_str(l, s, path, "type", true, true, &type) != SV_OK)
			return l->result;
		for (t = 0; t < RB_STEP__COUNT; t++)
			if (strcmp(type, step_names[t]) == 0)
				break;
		if (t == RB_STEP__COUNT) {
			snprintf(field, sizeof field, "%s.type", path);
			fail_at(l, field, "unknown step type '%s' (one of: info, check, "
			    "input, choose-point, restore, wait, verify, drift, note, "
			    "cleanup)", type);
			free(type);
			return l->result;
		}
		free(type);
		st->type = (enum rb_step_type)t;
		if (get_str(l, s, path, "id", true, true, &st->id) != SV_OK)
			return l->result;
		snprintf(field, sizeof field, "%s.id", path);
		if (!valid_id(st->id))
			return fail_at(l, field, "'%s' is not a step id (lowercase letters, "
			    "digits, '-' and '_', at most %d)", st->id, RUNBOOK_ID_MAX);
		for (size_t k = 0; k + 1 < i; k++)
			if (strcmp(rb->steps[k].id, st->id) == 0)
				return fail_at(l, field, "step id '%s' is used twice (also "
				    "steps[%zu])", st->id, k);
		if (check_keys(l, s, path, keys, step_params[t]) != SV_OK ||
		    get_str(l, s, path, "title", true, true, &st->title) != SV_OK ||
		    get_str(l, s, path, "text", st->type == RB_STEP_INFO ||
		    st->type == RB_STEP_CHECK || st->type == RB_STEP_NOTE, true,
		    &st->text) != SV_OK)
			return l->result;
		snprintf(field, sizeof field, "%s.title", path);
		if (check_refs(l, field, st->title) != SV_OK)
			return l->result;
		snprintf(field, sizeof field, "%s.text", path);
		if (check_refs(l, field, st->text) != SV_OK)
			return l->result;
		for (const struct param_spec *ps = step_params[t]; ps->name != NULL; ps++)
			if (load_param(l, st, path, ps) != SV_OK)
				return l->result;
		if (st->type == RB_STEP_RESTORE && check_restore(l, st, path) != SV_OK)
			return l->result;
	}
	return SV_OK;
}

static sv_result
load_target(struct loader *l, const cJSON *root, const char *key, int *out,
    int none)
{
	const cJSON	*c = cJSON_GetObjectItemCaseSensitive(root, key);

	*out = none;
	if (c == NULL || cJSON_IsNull(c))
		return SV_OK;
	if (!cJSON_IsNumber(c) || c->valuedouble < 0 || c->valuedouble > 525600 ||
	    c->valuedouble != (double)(int)c->valuedouble)
		return fail_at(l, key, "must be a whole number of minutes from 0 to "
		    "525600");
	*out = (int)c->valuedouble;
	return SV_OK;
}

/* Why cJSON stopped at off, as far as can be told from the text around
 * it. */
static const char *
json_hint(const char *text, size_t len, size_t off)
{
	static char	 buf[96];
	size_t		 p = off;
	char		 c, prev = '\0';

	if (off >= len)
		return "the text ends too early (a missing '}', ']' or '\"'?)";
	c = text[off];
	/* Nothing after the last token: the document is cut short. */
	for (p = off; p < len && !isspace((unsigned char)text[p]); p++)
		;
	while (p < len && isspace((unsigned char)text[p]))
		p++;
	if (p >= len && c != '}' && c != ']')
		return "the text ends too early (a missing '}', ']' or '\"'?)";
	p = off;
	while (p > 0) {
		p--;
		if (!isspace((unsigned char)text[p])) {
			prev = text[p];
			break;
		}
	}
	if (c == '"' && prev != '\0' && strchr("\"0123456789}]el", prev) != NULL)
		return "a ',' is missing before this";
	if ((c == '}' || c == ']') && prev == ',')
		return "a ',' before a closing bracket (trailing commas are not JSON)";
	if (c == '\'')
		return "strings are in double quotes, not single quotes";
	if (isprint((unsigned char)c))
		snprintf(buf, sizeof buf, "unexpected '%c' here", c);
	else
		snprintf(buf, sizeof buf, "unexpected byte 0x%02x here", (unsigned char)c);
	return buf;
}

struct runbook *
runbook_load_mem(const char *text, size_t len, const char *name, struct sv_err *err)
{
	static const char *const keys[] = {
		"id", "title", "description", "scenario", "rto_minutes",
		"rpo_minutes", "variables", "steps", NULL
	};
	struct loader	 l;
	struct runbook	*rb = xcalloc(1, sizeof *rb);
	cJSON		*root = NULL;
	const char	*end = NULL;

	memset(&l, 0, sizeof l);
	l.name = name != NULL ? name : "runbook";
	l.rb = rb;
	l.err = err;
	rb->path = xstrdup(name != NULL ? name : "");
	rb->rpo_minutes = -1;
	rb->text = xstrndup(text, len);
	sigv4_sha256_hex(text, len, rb->sha256);

	if (len > BUF_MAX_RUNBOOK) {
		fail_at(&l, NULL, "larger than %u bytes", BUF_MAX_RUNBOOK);
		goto fail;
	}
	if (memchr(text, '\0', len) != NULL) {
		size_t line, col;

		line_col(text, (size_t)((const char *)memchr(text, '\0', len) - text),
		    &line, &col);
		l.result = sv_err_set(err, SV_E_PARSE, "%s:%zu:%zu: a NUL byte: this "
		    "is not a JSON text file", l.name, line, col);
		goto fail;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (root == NULL) {
		size_t off = end != NULL && end >= text && end <= text + len ?
		    (size_t)(end - text) : len, line, col;

		line_col(text, off, &line, &col);
		l.result = sv_err_set(err, SV_E_PARSE, "%s:%zu:%zu: invalid JSON: %s",
		    l.name, line, col, json_hint(text, len, off));
		goto fail;
	}
	/* Only white space may follow the document. */
	if (end != NULL) {
		const char *p = end;

		while (p < text + len && isspace((unsigned char)*p))
			p++;
		if (p < text + len) {
			size_t line, col;

			line_col(text, (size_t)(p - text), &line, &col);
			l.result = sv_err_set(err, SV_E_PARSE, "%s:%zu:%zu: invalid JSON: "
			    "text after the end of the runbook object", l.name, line, col);
			goto fail;
		}
	}
	if (!cJSON_IsObject(root)) {
		fail_at(&l, NULL, "a runbook is a JSON object, not %s", json_type(root));
		goto fail;
	}
	if (check_keys(&l, root, "", keys, NULL) != SV_OK ||
	    get_str(&l, root, "", "id", true, true, &rb->id) != SV_OK)
		goto fail;
	if (!valid_id(rb->id)) {
		fail_at(&l, "id", "'%s' is not a runbook id (lowercase letters, digits, "
		    "'-' and '_', at most %d)", rb->id, RUNBOOK_ID_MAX);
		goto fail;
	}
	if (get_str(&l, root, "", "title", true, true, &rb->title) != SV_OK ||
	    get_str(&l, root, "", "description", false, false, &rb->description) != SV_OK ||
	    get_str(&l, root, "", "scenario", true, true, &rb->scenario) != SV_OK ||
	    load_target(&l, root, "rto_minutes", &rb->rto_minutes, 0) != SV_OK ||
	    load_target(&l, root, "rpo_minutes", &rb->rpo_minutes, -1) != SV_OK ||
	    load_vars(&l, cJSON_GetObjectItemCaseSensitive(root, "variables")) != SV_OK ||
	    check_refs(&l, "title", rb->title) != SV_OK ||
	    check_refs(&l, "description", rb->description) != SV_OK ||
	    load_steps(&l, cJSON_GetObjectItemCaseSensitive(root, "steps")) != SV_OK)
		goto fail;
	cJSON_Delete(root);
	return rb;
fail:
	cJSON_Delete(root);
	runbook_free(rb);
	return NULL;
}

struct runbook *
runbook_load_file(const char *path, struct sv_err *err)
{
	struct runbook	*rb;
	struct buf	 b;
	sv_result	 r;

	buf_init(&b, BUF_MAX_RUNBOOK);
	switch (r = buf_read_file(&b, path)) {
	case SV_OK:
		break;
	case SV_E_TOOLARGE:
		sv_err_set(err, r, "%s: larger than %u bytes: not a runbook", path,
		    BUF_MAX_RUNBOOK);
		buf_free(&b);
		return NULL;
	default:
		sv_err_set(err, r, "cannot read runbook %s: %s", path,
		    strerror(errno));
		buf_free(&b);
		return NULL;
	}
	rb = runbook_load_mem(buf_str(&b), b.len, path, err);
	buf_free(&b);
	return rb;
}

void
runbook_free(struct runbook *rb)
{
	if (rb == NULL)
		return;
	for (size_t i = 0; i < rb->nvars; i++) {
		free(rb->vars[i].name);
		free(rb->vars[i].prompt);
		free(rb->vars[i].def);
	}
	free(rb->vars);
	for (size_t i = 0; i < rb->nsteps; i++) {
		free(rb->steps[i].id);
		free(rb->steps[i].title);
		free(rb->steps[i].text);
		cJSON_Delete(rb->steps[i].params);
	}
	free(rb->steps);
	free(rb->path);
	free(rb->id);
	free(rb->title);
	free(rb->description);
	free(rb->scenario);
	free(rb->text);
	free(rb);
}

/* ---- Where runbooks are ---- */

char *
runbook_builtin_dir(void)
{
	const char	*d = getenv("SALVAGE_RUNBOOK_DIR");

	if (d != NULL && *d != '\0')
		return xstrdup(d);
	return xstrdup(PKGDATADIR "/runbooks");
}

char *
runbook_user_dir(void)
{
	const char	*x = getenv("XDG_CONFIG_HOME"), *home;

	if (x != NULL && x[0] == '/')
		return xasprintf("%s/salvage/runbooks", x);
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/.config/salvage/runbooks", home);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct runbook_entry *x = a, *y = b;
	int	c;

	c = strcmp(x->id != NULL ? x->id : "", y->id != NULL ? y->id : "");
	if (c != 0)
		return c;
	if (x->builtin != y->builtin)
		return x->builtin ? 1 : -1;
	return strcmp(x->path, y->path);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
scan_dir(const char *dir, bool builtin, struct runbook_entry **v, size_t *n,
    size_t *cap)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	char		**names = NULL;
	size_t		 nn = 0;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !str_ends(de->d_name, ".json"))
			continue;
		names = xreallocarray(names, nn + 1, sizeof *names);
		names[nn++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof *names, name_cmp);
	for (size_t i = 0; i < nn; i++) {
		struct runbook_entry	*e;
		struct runbook		*rb;
		struct sv_err		 err;

		if (*n == *cap) {
			*cap = *cap != 0 ? *cap * 2 : 16;
			*v = xreallocarray(*v, *cap, sizeof **v);
		}
		e = &(*v)[(*n)++];
		memset(e, 0, sizeof *e);
		e->path = names[i];
		e->builtin = builtin;
		sv_err_init(&err);
		rb = runbook_load_file(names[i], &err);
		if (rb == NULL)
			e->error = xstrdup(err.msg);
		else {
			e->id = xstrdup(rb->id);
			e->title = xstrdup(rb->title);
			e->scenario = xstrdup(rb->scenario);
			runbook_free(rb);
		}
	}
	free(names);
}

size_t
runbook_list(struct runbook_entry **out)
{
	struct runbook_entry	*v = NULL;
	size_t			 n = 0, cap = 0;
	char			*user = runbook_user_dir(), *builtin = runbook_builtin_dir();

	scan_dir(user, false, &v, &n, &cap);
	scan_dir(builtin, true, &v, &n, &cap);
	free(user);
	free(builtin);
	if (n > 0)
		qsort(v, n, sizeof *v, entry_cmp);
	/* Sorted user first within an id: later ones of the same id are
	 * shadowed. */
	for (size_t i = 1; i < n; i++)
		if (v[i].id != NULL && v[i - 1].id != NULL &&
		    strcmp(v[i].id, v[i - 1].id) == 0)
			v[i].shadowed = true;
	*out = v;
	return n;
}

void
runbook_list_free(struct runbook_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].title);
		free(v[i].scenario);
		free(v[i].path);
		free(v[i].error);
	}
	free(v);
}

struct runbook *
runbook_find(const char *what, struct sv_err *err)
{
	struct runbook_entry	*v;
	struct runbook		*rb = NULL;
	size_t			 n;
	char			*user, *builtin;

	if (strchr(what, '/') != NULL || str_ends(what, ".json"))
		return runbook_load_file(what, err);
	n = runbook_list(&v);
	for (size_t i = 0; i < n; i++) {
		if (v[i].id == NULL || v[i].shadowed || strcmp(v[i].id, what) != 0)
			continue;
		rb = runbook_load_file(v[i].path, err);
		runbook_list_free(v, n);
		return rb;
	}
	/* A file named after the id that does not load says why. */
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(v[i].path, '/');

		base = base != NULL ? base + 1 : v[i].path;
		if (v[i].error != NULL && strncmp(base, what, strlen(what)) == 0 &&
		    strcmp(base + strlen(what), ".json") == 0) {
			sv_err_set(err, SV_E_PARSE, "%s", v[i].error);
			runbook_list_free(v, n);
			return NULL;
		}
	}
	runbook_list_free(v, n);
	user = runbook_user_dir();
	builtin = runbook_builtin_dir();
	sv_err_set(err, SV_E_NOTFOUND, "no runbook '%s' in %s or %s; 'salvage "
	    "runbooks' lists them", what, user, builtin);
	free(user);
	free(builtin);
	return NULL;
}
