/* config.c - the AWS shared config and credentials files, and the settings
 * resolved from them as botocore (the AWS CLI) resolves them: command line,
 * then environment, then the profile. The INI dialect is Python's
 * RawConfigParser as botocore uses it: '=' or ':' delimiters, keys folded
 * to lowercase, whole-line '#'/';' comments only, indented continuation
 * lines, nested "s3 =" blocks, duplicates rejected. */
/* <config.h>, not "config.h": from this directory the quoted form would
 * find src/aws/config.h instead of autoconf's. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "aws/config.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

struct ini_kv {
	char	*key;
	char	*value;
};

struct ini_section {
	char		*name;
	int		 line;
	struct ini_kv	*kv;
	size_t		 n, cap;
};

struct aws_ini {
	char			*filename;
	struct ini_section	*s;
	size_t			 n, cap;
};

/* --- INI parsing ---------------------------------------------------------- */

static struct ini_section *
ini_find_section(const struct aws_ini *ini, const char *name)
{
	for (size_t i = 0; i < ini->n; i++) {
		if (strcmp(ini->s[i].name, name) == 0)
			return &ini->s[i];
	}
	return NULL;
}

static struct ini_kv *
ini_find_kv(const struct ini_section *sec, const char *key)
{
	for (size_t i = 0; i < sec->n; i++) {
		if (strcasecmp(sec->kv[i].key, key) == 0)
			return &sec->kv[i];
	}
	return NULL;
}

static struct ini_kv *
ini_add_kv(struct ini_section *sec, char *key, char *value)
{
	struct ini_kv	*kv;

	if (sec->n == sec->cap) {
		sec->cap = sec->cap ? sec->cap * 2 : 8;
		sec->kv = xreallocarray(sec->kv, sec->cap, sizeof *sec->kv);
	}
	kv = &sec->kv[sec->n++];
	kv->key = key;
	kv->value = value;
	return kv;
}

static void
ini_set_kv(struct ini_section *sec, const char *key, const char *value)
{
	struct ini_kv	*kv = ini_find_kv(sec, key);

	if (kv != NULL) {
		free(kv->value);
		kv->value = xstrdup(value);
		return;
	}
	ini_add_kv(sec, xstrdup(key), xstrdup(value));
}

/* Copy of [p, p + n) without the white space around it. */
static char *
strip_dup(const char *p, size_t n)
{
	while (n > 0 && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	return xstrndup(p, n);
}

struct aws_ini *
aws_ini_parse(const char *text, size_t len, const char *filename,
    struct sv_err *err)
{
	struct aws_ini		*ini = xcalloc(1, sizeof *ini);
	struct ini_section	*sec = NULL;
	size_t			 key = SIZE_MAX;	/* open: sec->kv[key] */
	size_t			 key_indent = 0;
	bool			 nested = false;	/* it was "key =" */
	const char		*p = text, *end = text + len;
	int			 lineno = 0;

	if (filename == NULL)
		filename = "(config)";
	ini->filename = xstrdup(filename);
	if (len > BUF_MAX_FILE) {
		sv_err_set(err, SV_E_CONFIG, "%s: larger than %u bytes",
		    filename, BUF_MAX_FILE);
		goto fail;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* UTF-8 byte order mark */

	while (p < end) {
		const char	*eol = memchr(p, '\n', (size_t)(end - p));
		const char	*next, *s, *e;
		size_t		 indent, n;

		if (eol == NULL)
			eol = end;
		next = eol < end ? eol + 1 : end;
		lineno++;
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > BUF_MAX_LINE) {
			sv_err_set(err, SV_E_CONFIG,
			    "%s:%d: line longer than %u bytes", filename,
			    lineno, BUF_MAX_LINE);
			goto fail;
		}
		if (memchr(p, '\0', n) != NULL) {
			sv_err_set(err, SV_E_CONFIG,
			    "%s:%d: NUL byte (is this a text file?)", filename,
			    lineno);
			goto fail;
		}

		/* s..e: the line without surrounding white space. */
		s = p;
		e = p + n;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		indent = (size_t)(s - p);
		p = next;

		/* Blank lines and whole-line comments, indented or not.
		 * Neither ends a multi-line value (RawConfigParser). */
		if (s == e || *s == '#' || *s == ';')
			continue;

		/* Continuation of the key above. */
		if (sec != NULL && key != SIZE_MAX && indent > key_indent) {
			struct ini_kv	*kv = &sec->kv[key];

			if (nested) {
				const char	*eq;
				char		*sub, *full, *val;

				eq = memchr(s, '=', (size_t)(e - s));
				if (eq == NULL) {
					sv_err_set(err, SV_E_CONFIG,
					    "%s:%d: expected 'name = value' in "
					    "the block under '%s'", filename,
					    lineno, kv->key);
					goto fail;
				}
				sub = strip_dup(s, (size_t)(eq - s));
				val = strip_dup(eq + 1, (size_t)(e - eq - 1));
				full = xasprintf("%s.%s", kv->key, sub);
				ini_set_kv(sec, full, val);
				free(full);
				free(sub);
				free(val);
			} else {
				char	*v = xasprintf("%s\n%.*s", kv->value,
				    (int)(e - s), s);

				free(kv->value);
				kv->value = v;
			}
			continue;
		}

		key = SIZE_MAX;
		key_indent = indent;
		if (*s == '[' && memchr(s, ']', (size_t)(e - s)) != NULL &&
		    s[1] != ']') {
			const char	*close = memchr(s, ']',
			    (size_t)(e - s));
			char		*name = xstrndup(s + 1,
			    (size_t)(close - s - 1));

			if (ini_find_section(ini, name) != NULL) {
				sv_err_set(err, SV_E_CONFIG,
				    "%s:%d: section [%s] appears twice",
				    filename, lineno, name);
				free(name);
				goto fail;
			}
			if (ini->n == ini->cap) {
				ini->cap = ini->cap ? ini->cap * 2 : 8;
				ini->s = xreallocarray(ini->s, ini->cap,
				    sizeof *ini->s);
			}
			sec = &ini->s[ini->n++];
			memset(sec, 0, sizeof *sec);
			sec->name = name;
			sec->line = lineno;
			continue;
		}
		if (sec == NULL) {
			sv_err_set(err, SV_E_CONFIG,
			    "%s:%d: a setting before the first [section] "
			    "header", filename, lineno);
			goto fail;
		}

		/* key = value or key: value, split at the first delimiter. */
		const char	*d = s;

		while (d < e && *d != '=' && *d != ':')
			d++;
		if (d == e || d == s) {
			/* Never quote the line: it may hold a secret. */
			sv_err_set(err, SV_E_CONFIG,
			    "%s:%d: not a [section] header, a 'key = value' "
			    "line or an indented continuation line", filename,
			    lineno);
			goto fail;
		}
		char	*k = strip_dup(s, (size_t)(d - s));

		for (char *c = k; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		if (ini_find_kv(sec, k) != NULL) {
			sv_err_set(err, SV_E_CONFIG,
			    "%s:%d: '%s' appears twice in section [%s]",
			    filename, lineno, k, sec->name);
			free(k);
			goto fail;
		}
		char	*v = strip_dup(d + 1, (size_t)(e - d - 1));

		nested = *v == '\0';
		ini_add_kv(sec, k, v);
		key = sec->n - 1;
	}
	return ini;

fail:
	aws_ini_free(ini);
	return NULL;
}

struct aws_ini *
aws_ini_load(const char *path, struct sv_err *err)
{
	struct aws_ini	*ini = NULL;
	struct buf	 b;

	buf_init(&b, BUF_MAX_FILE);
	switch (buf_read_file(&b, path)) {
	case SV_OK:
		break;
	case SV_E_NOTFOUND:
		return NULL;	/* a missing file is fine */
	case SV_E_TOOLARGE:
		sv_err_set(err, SV_E_CONFIG, "%s: larger than %u bytes", path,
		    BUF_MAX_FILE);
		goto out;
	default:
		sv_err_set(err, SV_E_CONFIG, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	ini = aws_ini_parse(buf_str(&b), b.len, path, err);
out:
	/* The credentials file holds secrets. */
	if (b.ptr != NULL)
		OPENSSL_cleanse(b.ptr, b.cap);
	buf_free(&b);
	return ini;
}

const char *
aws_ini_get(const struct aws_ini *ini, const char *section, const char *key)
{
	const struct ini_section *sec;
	const struct ini_kv	*kv;

	if (ini == NULL || (sec = ini_find_section(ini, section)) == NULL)
		return NULL;
	kv = ini_find_kv(sec, key);
	return kv != NULL ? kv->value : NULL;
}

bool
aws_ini_has_section(const struct aws_ini *ini, const char *section)
{
	return ini != NULL && ini_find_section(ini, section) != NULL;
}

void
aws_ini_free(struct aws_ini *ini)
{
	if (ini == NULL)
		return;
	for (size_t i = 0; i < ini->n; i++) {
		struct ini_section *sec = &ini->s[i];

		for (size_t j = 0; j < sec->n; j++) {
			free(sec->kv[j].key);
			if (sec->kv[j].value != NULL) {
				/* May be a secret. */
				OPENSSL_cleanse(sec->kv[j].value,
				    strlen(sec->kv[j].value));
				free(sec->kv[j].value);
			}
		}
		free(sec->kv);
		free(sec->name);
	}
	free(ini->s);
	free(ini->filename);
	free(ini);
}

/* --- profiles ------------------------------------------------------------- */

/* The profile a config-file section names, as botocore's build_profile_map
 * reads it: "[default]", or "profile NAME" split like a shell word list
 * ("[profile "my dev"]" names "my dev"). NULL if it is not a profile. */
static char *
section_profile(const char *name)
{
	const char	*p = name;
	struct buf	 b;
	char		 q = 0;

	if (strcmp(name, "default") == 0)
		return xstrdup(name);
	if (strncmp(p, "profile", 7) != 0 || !isspace((unsigned char)p[7]))
		return NULL;
	p += 7;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return NULL;
	buf_init(&b, BUF_MAX_SMALL);
	for (; *p != '\0'; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
			else if (q == '"' && *p == '\\' &&
			    (p[1] == '"' || p[1] == '\\'))
				buf_addc(&b, *++p);
			else
				buf_addc(&b, *p);
		} else if (*p == '"' || *p == '\'')
			q = *p;
		else if (*p == '\\' && p[1] != '\0')
			buf_addc(&b, *++p);
		else if (isspace((unsigned char)*p))
			break;		/* a third word: not a profile */
		else
			buf_addc(&b, *p);
	}
	while (isspace((unsigned char)*p))
		p++;
	if (q != 0 || *p != '\0') {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* The config-file section of a profile; when several sections name it
 * ("[default]" and "[profile default]"), the last one wins, as the later
 * one replaces the earlier in botocore's profile map. */
static const struct ini_section *
config_profile_section(const struct aws_ini *ini, const char *profile)
{
	const struct ini_section *found = NULL;

	if (ini == NULL)
		return NULL;
	for (size_t i = 0; i < ini->n; i++) {
		char	*name = section_profile(ini->s[i].name);

		if (name != NULL && strcmp(name, profile) == 0)
			found = &ini->s[i];
		free(name);
	}
	return found;
}

/* botocore's full_config: the credentials file's values for a profile
 * replace the config file's, key by key. *file: where it was found. */
static const char *
config_get_from(const struct aws_config *cfg, const char *profile,
    const char *key, const char **file)
{
	const struct ini_section *sec;
	const struct ini_kv	*kv;
	const char		*v;

	if (profile == NULL)
		profile = cfg->profile;
	if ((v = aws_ini_get(cfg->credentials_ini, profile, key)) != NULL) {
		*file = cfg->credentials_file;
		return v;
	}
	if ((sec = config_profile_section(cfg->config_ini, profile)) == NULL)
		return NULL;
	if ((kv = ini_find_kv(sec, key)) == NULL)
		return NULL;
	*file = cfg->config_file;
	return kv->value;
}

const char *
aws_config_get(const struct aws_config *cfg, const char *profile,
    const char *key)
{
	const char	*file;

	return config_get_from(cfg, profile, key, &file);
}

bool
aws_config_has_profile(const struct aws_config *cfg, const char *profile)
{
	return aws_ini_has_section(cfg->credentials_ini, profile) ||
	    config_profile_section(cfg->config_ini, profile) != NULL;
}

/* --- resolution ----------------------------------------------------------- */

static const char *
env_nonempty(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static char *
expand_home(const char *path)
{
	const char	*home;

	if (path[0] != '~' || (path[1] != '\0' && path[1] != '/'))
		return xstrdup(path);
	home = env_nonempty("HOME");
	if (home == NULL) {
		struct passwd	*pw = getpwuid(getuid());

		if (pw != NULL)
			home = pw->pw_dir;
	}
	if (home == NULL)
		return xstrdup(path);
	return xasprintf("%s%s", home, path + 1);
}

static bool
is_true(const char *v)
{
	return v != NULL && strcasecmp(v, "true") == 0;
}

static void
resolve_endpoint(struct aws_config *cfg, const struct aws_options *opt,
    enum aws_service svc)
{
	const char	*v, *services, *file;
	char		*name, *key;
	bool		 ignore;

	if (opt != NULL && opt->endpoint_url != NULL &&
	    *opt->endpoint_url != '\0') {
		cfg->endpoint[svc] = xstrdup(opt->endpoint_url);
		cfg->endpoint_source[svc] = xstrdup("--endpoint-url");
		return;
	}
	v = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (v != NULL)
		ignore = is_true(v);
	else
		ignore = is_true(aws_config_get(cfg, cfg->profile,
		    "ignore_configured_endpoint_urls"));
	if (ignore)
		return;

	/* 1. AWS_ENDPOINT_URL_<SERVICE> */
	name = xasprintf("AWS_ENDPOINT_URL_%s", aws_service_env(svc));
	if ((v = env_nonempty(name)) != NULL) {
		cfg->endpoint[svc] = xstrdup(v);
		cfg->endpoint_source[svc] = name;
		return;
	}
	free(name);

	/* 2. the profile's "services = NAME" -> [services NAME] s3 = ... */
	services = aws_config_get(cfg, cfg->profile, "services");
	if (services != NULL && cfg->config_ini != NULL) {
		char	*sec = xasprintf("services %s", services);
		char	*lower = xstrdup(aws_service_env(svc));

		for (char *c = lower; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		key = xasprintf("%s.endpoint_url", lower);
		v = aws_ini_get(cfg->config_ini, sec, key);
		if (v != NULL && *v != '\0') {
			cfg->endpoint[svc] = xstrdup(v);
			cfg->endpoint_source[svc] = xasprintf("[%s] in %s",
			    sec, cfg->config_file);
		}
		free(key);
		free(lower);
		free(sec);
		if (cfg->endpoint[svc] != NULL)
			return;
	}

	/* 3. AWS_ENDPOINT_URL */
	if ((v = env_nonempty("AWS_ENDPOINT_URL")) != NULL) {
		cfg->endpoint[svc] = xstrdup(v);
		cfg->endpoint_source[svc] = xstrdup("AWS_ENDPOINT_URL");
		return;
	}

	/* 4. the profile's endpoint_url */
	v = config_get_from(cfg, cfg->profile, "endpoint_url", &file);
	if (v != NULL && *v != '\0') {
		cfg->endpoint[svc] = xstrdup(v);
		cfg->endpoint_source[svc] = xasprintf("profile %s (%s)",
		    cfg->profile, file);
	}
}

/* Environment first, then the profile; src says which. */
static const char *
env_or_profile(const struct aws_config *cfg, const char *env,
    const char *key, char *src, size_t srcsz)
{
	const char	*v, *file;

	if ((v = env_nonempty(env)) != NULL) {
		snprintf(src, srcsz, "%s", env);
		return v;
	}
	v = config_get_from(cfg, cfg->profile, key, &file);
	if (v != NULL)
		snprintf(src, srcsz, "profile %s (%s)", cfg->profile, file);
	return v;
}

sv_result
aws_config_load(struct aws_config *cfg, const struct aws_options *opt,
    struct sv_err *err)
{
	struct sv_err	 e;
	const char	*v, *file;
	char		 src[PATH_MAX + 128];

	sv_err_init(&e);
	memset(cfg, 0, sizeof *cfg);
	cfg->max_attempts = 3;

	v = env_nonempty("AWS_CONFIG_FILE");
	cfg->config_file = expand_home(v != NULL ? v : "~/.aws/config");
	v = env_nonempty("AWS_SHARED_CREDENTIALS_FILE");
	cfg->credentials_file = expand_home(v != NULL ? v :
	    "~/.aws/credentials");

	cfg->config_ini = aws_ini_load(cfg->config_file, &e);
	if (e.code != SV_OK)
		goto fail;
	cfg->credentials_ini = aws_ini_load(cfg->credentials_file, &e);
	if (e.code != SV_OK)
		goto fail;

	/* Profile. */
	if (opt != NULL && opt->profile != NULL && *opt->profile != '\0') {
		cfg->profile = xstrdup(opt->profile);
		cfg->profile_source = xstrdup("--profile");
	} else if ((v = env_nonempty("AWS_PROFILE")) != NULL) {
		cfg->profile = xstrdup(v);
		cfg->profile_source = xstrdup("AWS_PROFILE");
	} else {
		cfg->profile = xstrdup("default");
		cfg->profile_source = xstrdup("default");
	}
	cfg->profile_explicit = strcmp(cfg->profile_source, "default") != 0;
	if (cfg->profile_explicit &&
	    !aws_config_has_profile(cfg, cfg->profile)) {
		sv_err_set(&e, SV_E_CONFIG,
		    "profile '%s' (from %s) not found in %s or %s; list the "
		    "profiles with 'aws configure list-profiles'", cfg->profile,
		    cfg->profile_source, cfg->config_file,
		    cfg->credentials_file);
		goto fail;
	}

	/* Region. */
	if (opt != NULL && opt->region != NULL && *opt->region != '\0') {
		cfg->region = xstrdup(opt->region);
		cfg->region_source = xstrdup("--region");
	} else if ((v = env_nonempty("AWS_REGION")) != NULL) {
		cfg->region = xstrdup(v);
		cfg->region_source = xstrdup("AWS_REGION");
	} else if ((v = env_nonempty("AWS_DEFAULT_REGION")) != NULL) {
		cfg->region = xstrdup(v);
		cfg->region_source = xstrdup("AWS_DEFAULT_REGION");
	} else if ((v = config_get_from(cfg, cfg->profile, "region",
	    &file)) != NULL && *v != '\0') {
		cfg->region = xstrdup(v);
		cfg->region_source = xasprintf("profile %s (%s)", cfg->profile,
		    file);
	}

	/* Endpoints. */
	for (int svc = 0; svc < AWS_SVC__COUNT; svc++)
		resolve_endpoint(cfg, opt, (enum aws_service)svc);

	/* CA bundle. */
	v = env_or_profile(cfg, "AWS_CA_BUNDLE", "ca_bundle", src, sizeof src);
	if (v != NULL && *v != '\0')
		cfg->ca_bundle = expand_home(v);

	/* Retries. */
	v = env_or_profile(cfg, "AWS_MAX_ATTEMPTS", "max_attempts", src,
	    sizeof src);
	if (v != NULL) {
		char	*end;
		long	 n;

		errno = 0;
		n = strtol(v, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (errno != 0 || end == v || *end != '\0' || n < 1 ||
		    n > 20) {
			sv_err_set(&e, SV_E_CONFIG,
			    "max_attempts '%s' (from %s) must be a whole "
			    "number from 1 to 20", v, src);
			goto fail;
		}
		cfg->max_attempts = (int)n;
	}
	v = env_or_profile(cfg, "AWS_RETRY_MODE", "retry_mode", src,
	    sizeof src);
	if (v != NULL) {
		if (strcmp(v, "standard") != 0 && strcmp(v, "legacy") != 0 &&
		    strcmp(v, "adaptive") != 0) {
			sv_err_set(&e, SV_E_CONFIG,
			    "retry_mode '%s' (from %s) must be standard, "
			    "legacy or adaptive", v, src);
			goto fail;
		}
		cfg->retry_mode = xstrdup(v);
	} else
		cfg->retry_mode = xstrdup("standard");
	return SV_OK;

fail:
	aws_config_free(cfg);
	return sv_err_set(err, e.code, "%s", e.msg);
}

void
aws_config_free(struct aws_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->profile);
	free(cfg->profile_source);
	free(cfg->region);
	free(cfg->region_source);
	for (int i = 0; i < AWS_SVC__COUNT; i++) {
		free(cfg->endpoint[i]);
		free(cfg->endpoint_source[i]);
	}
	free(cfg->ca_bundle);
	free(cfg->retry_mode);
	free(cfg->config_file);
	free(cfg->credentials_file);
	aws_ini_free(cfg->config_ini);
	aws_ini_free(cfg->credentials_ini);
	memset(cfg, 0, sizeof *cfg);
	cfg->max_attempts = 3;
}
