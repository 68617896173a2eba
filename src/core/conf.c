/* conf.c - the "key = value" configuration file (see conf.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

char *
conf_path(void)
{
	const char	*x = getenv("SALVAGE_CONFIG"), *home;

	if (x != NULL && *x != '\0')
		return xstrdup(x);
	x = getenv("XDG_CONFIG_HOME");
	if (x != NULL && x[0] == '/')
		return xasprintf("%s/salvage/config", x);
	home = getenv("HOME");
	return xasprintf("%s/.config/salvage/config",
	    home != NULL && *home != '\0' ? home : ".");
}

static void
conf_set(struct conf *c, const char *key, size_t klen, const char *value,
    size_t vlen, int line)
{
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	c->v[c->n].key = xstrndup(key, klen);
	c->v[c->n].value = xstrndup(value, vlen);
	c->v[c->n].line = line;
	c->n++;
}

sv_result
conf_parse(struct conf *c, const char *text, size_t len, const char *name,
    struct sv_err *err)
{
	size_t	i = 0;
	int	lineno = 0;

	while (i < len) {
		const char	*p = text + i, *end, *eq, *k0, *k1, *v0, *v1;
		size_t		 n;

		lineno++;
		end = memchr(p, '\n', len - i);
		n = end != NULL ? (size_t)(end - p) : len - i;
		i += n + 1;
		if (n > BUF_MAX_LINE)
			return sv_err_set(err, SV_E_CONFIG, "%s:%d: line too long", name,
			    lineno);
		k0 = p;
		v1 = p + n;
		while (k0 < v1 && (*k0 == ' ' || *k0 == '\t' || *k0 == '\r'))
			k0++;
		while (v1 > k0 && (v1[-1] == ' ' || v1[-1] == '\t' || v1[-1] == '\r'))
			v1--;
		if (k0 == v1 || *k0 == '#' || *k0 == ';')
			continue;
		eq = memchr(k0, '=', (size_t)(v1 - k0));
		if (eq == NULL)
			return sv_err_set(err, SV_E_CONFIG,
			    "%s:%d: expected \"key = value\"", name, lineno);
		k1 = eq;
		while (k1 > k0 && (k1[-1] == ' ' || k1[-1] == '\t'))
			k1--;
		if (k1 == k0)
			return sv_err_set(err, SV_E_CONFIG, "%s:%d: missing key before '='",
			    name, lineno);
		for (const char *q = k0; q < k1; q++)
			if (!(*q == '_' || *q == '-' || *q == '.' ||
			    (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			    (*q >= '0' && *q <= '9')))
				return sv_err_set(err, SV_E_CONFIG,
				    "%s:%d: bad character in key", name, lineno);
		v0 = eq + 1;
		while (v0 < v1 && (*v0 == ' ' || *v0 == '\t'))
			v0++;
		conf_set(c, k0, (size_t)(k1 - k0), v0, (size_t)(v1 - v0), lineno);
	}
	return SV_OK;
}

sv_result
conf_load(struct conf *c, const char *path, struct sv_err *err)
{
	struct buf	 b;
	sv_result	 result = SV_OK;

	memset(c, 0, sizeof *c);
	c->path = path != NULL ? xstrdup(path) : conf_path();
	buf_init(&b, BUF_MAX_SMALL * 32);
	switch (buf_read_file(&b, c->path)) {
	case SV_OK:
		result = conf_parse(c, buf_str(&b), b.len, c->path, err);
		break;
	case SV_E_NOTFOUND:
		break;
	case SV_E_TOOLARGE:
		result = sv_err_set(err, SV_E_CONFIG, "%s is too large", c->path);
		break;
	default:
		result = sv_err_set(err, SV_E_CONFIG, "cannot read %s: %s", c->path,
		    strerror(errno));
		break;
	}
	buf_free(&b);
	return result;
}

const char *
conf_get(const struct conf *c, const char *key)
{
	for (size_t i = c->n; i > 0; i--)
		if (strcmp(c->v[i - 1].key, key) == 0)
			return c->v[i - 1].value;
	return NULL;
}

sv_result
conf_get_int(const struct conf *c, const char *key, long min, long max, long def,
    long *out, struct sv_err *err)
{
	const char	*s = conf_get(c, key);
	char		*end;
	long		 v;

	*out = def;
	if (s == NULL)
		return SV_OK;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return sv_err_set(err, SV_E_CONFIG, "%s: %s = %s: expected a number "
		    "from %ld to %ld", c->path != NULL ? c->path : "config", key, s,
		    min, max);
	*out = v;
	return SV_OK;
}

void
conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c->path);
	memset(c, 0, sizeof *c);
}
