/* svc-json.c - reading members of JSON responses (cJSON) for the JSON
 * services (DynamoDB, AWS Backup): a wrong type is SV_E_PARSE naming the
 * member; an absent or null member is NULL / false / -1 / SV_TIME_NONE. */
#include <config.h>

#include <cJSON.h>
#include <math.h>

#include "svc/svc-internal.h"

const cJSON *
svc_jget(const cJSON *o, const char *name)
{
	if (o == NULL || !cJSON_IsObject(o))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(o, name);
}

const cJSON *
svc_jobj(const cJSON *o, const char *name, struct sv_err *err)
{
	const cJSON	*v = svc_jget(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsObject(v)) {
		sv_err_set(err, SV_E_PARSE, "%s is not an object", name);
		return NULL;
	}
	return v;
}

const cJSON *
svc_jarr(const cJSON *o, const char *name, struct sv_err *err)
{
	const cJSON	*v = svc_jget(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsArray(v)) {
		sv_err_set(err, SV_E_PARSE, "%s is not an array", name);
		return NULL;
	}
	return v;
}

const char *
svc_jstr(const cJSON *o, const char *name, struct sv_err *err)
{
	const cJSON	*v = svc_jget(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsString(v) || v->valuestring == NULL) {
		sv_err_set(err, SV_E_PARSE, "%s is not a string", name);
		return NULL;
	}
	return v->valuestring;
}

bool
svc_jnum(const cJSON *o, const char *name, double *out, struct sv_err *err)
{
	const cJSON	*v = svc_jget(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return false;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
		sv_err_set(err, SV_E_PARSE, "%s is not a number", name);
		return false;
	}
	*out = v->valuedouble;
	return true;
}

long long
svc_jll(const cJSON *o, const char *name, struct sv_err *err)
{
	double	d;

	if (!svc_jnum(o, name, &d, err))
		return -1;
	if (d < -9.2e18 || d > 9.2e18) {
		sv_err_set(err, SV_E_PARSE, "%s is out of range", name);
		return -1;
	}
	return (long long)d;
}

sv_time
svc_jtime(const cJSON *o, const char *name, struct sv_err *err)
{
	double	d;

	if (!svc_jnum(o, name, &d, err))
		return SV_TIME_NONE;
	/* Years 0..9999 are plenty; anything else is garbage. */
	if (d < -62135596800.0 || d > 253402300799.0) {
		sv_err_set(err, SV_E_PARSE, "%s is out of range", name);
		return SV_TIME_NONE;
	}
	return sv_time_from_epoch(d);
}

bool
svc_jbool(const cJSON *o, const char *name, struct sv_err *err)
{
	const cJSON	*v = svc_jget(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return false;
	if (!cJSON_IsBool(v)) {
		sv_err_set(err, SV_E_PARSE, "%s is not a boolean", name);
		return false;
	}
	return cJSON_IsTrue(v);
}

