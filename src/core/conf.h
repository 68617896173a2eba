/* conf.h - salvage's own configuration file, $XDG_CONFIG_HOME/salvage/config
 * (default ~/.config/salvage/config): "key = value" lines, '#' comments,
 * blank lines ignored; the last value of a key wins. Keys in use:
 *
 *	audit_s3 = s3://BUCKET/PREFIX/	where the audit log is shipped
 *	audit_lock_mode = GOVERNANCE	Object Lock mode (or COMPLIANCE)
 *	audit_lock_days = 365		Object Lock retention in days
 *
 * Unknown keys are kept (other parts of salvage read their own). */
#ifndef SALVAGE_CORE_CONF_H
#define SALVAGE_CORE_CONF_H

#include <stddef.h>

#include "util/err.h"

struct conf_item {
	char	*key;
	char	*value;
	int	 line;
};

struct conf {
	char			*path;		/* the file read (may not exist) */
	struct conf_item	*v;
	size_t			 n;
};

/* The path: $XDG_CONFIG_HOME/salvage/config or ~/.config/salvage/config
 * (SALVAGE_CONFIG overrides it). Allocated. */
char		*conf_path(void);
/* Loads the file; a missing file is an empty configuration (SV_OK). */
sv_result	 conf_load(struct conf *, const char *path, struct sv_err *);
/* Parses text (name is used in messages). SV_E_CONFIG names the line. */
sv_result	 conf_parse(struct conf *, const char *text, size_t len,
		    const char *name, struct sv_err *);
const char	*conf_get(const struct conf *, const char *key);
/* Integer value in [min, max]; def if absent; SV_E_CONFIG if malformed. */
sv_result	 conf_get_int(const struct conf *, const char *key, long min,
		    long max, long def, long *out, struct sv_err *);
void		 conf_free(struct conf *);

#endif
