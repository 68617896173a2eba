/* runbook.h - checklists as data: the runbook format (JSON, documented
 * in salvage-runbook(5)), its loader and validator, where runbooks are
 * found (built-in and the operator's own), and variables: their types,
 * validation and ${name} expansion.
 *
 * A runbook is validated whole when it is loaded: every field known,
 * every required field present, every ${name} declared (or built in).
 * Errors name the file and either a line:column (the JSON itself is
 * malformed) or a field path ("steps[3].type") and the reason. */
#ifndef SALVAGE_CORE_RUNBOOK_H
#define SALVAGE_CORE_RUNBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "util/err.h"
#include "util/time.h"

/* A runbook file is read whole, capped at this size. */
#define BUF_MAX_RUNBOOK		(1u * 1024 * 1024)
#define RUNBOOK_ID_MAX		64
#define RUNBOOK_STEPS_MAX	200
#define RUNBOOK_VARS_MAX	64

enum rb_var_type {
	RB_VT_STRING,		/* any non-empty text on one line */
	RB_VT_DYNAMODB_TABLE,
	RB_VT_RDS_INSTANCE,
	RB_VT_RDS_CLUSTER,
	RB_VT_S3_BUCKET,
	RB_VT_S3_KEY,
	RB_VT_S3_PREFIX,	/* ends in '/' */
	RB_VT_TIME,		/* stored as ISO-8601 UTC; input also local/relative */
	RB_VT_NAME,		/* a name for a new resource */
	RB_VT__COUNT
};

struct rb_var {
	char		*name;
	char		*prompt;
	enum rb_var_type type;
	char		*def;		/* default (may hold ${...}), or NULL */
};

enum rb_step_type {
	RB_STEP_INFO,		/* read, then confirm */
	RB_STEP_CHECK,		/* a manual action, confirmed done */
	RB_STEP_INPUT,		/* sets a variable */
	RB_STEP_CHOOSE_POINT,	/* sets a variable to a restore point */
	RB_STEP_RESTORE,
	RB_STEP_WAIT,
	RB_STEP_VERIFY,
	RB_STEP_DRIFT,
	RB_STEP_NOTE,		/* free text into the audit log */
	RB_STEP_CLEANUP,	/* deletes what this session created */
	RB_STEP__COUNT
};

struct rb_step {
	char		*id;
	enum rb_step_type type;
	char		*title;
	char		*text;		/* may hold ${...} */
	/* The step's object as written (type-specific parameters are read
	 * with runbook_param / runbook_param_bool). */
	cJSON		*params;
};

struct runbook {
	char		*path;		/* where it was loaded from ("" for memory) */
	char		*id;
	char		*title;
	char		*description;
	char		*scenario;
	int		 rto_minutes;	/* 0: no target */
	int		 rpo_minutes;	/* -1: no target (0 is a valid target) */
	struct rb_var	*vars;
	size_t		 nvars;
	struct rb_step	*steps;
	size_t		 nsteps;
	char		*text;		/* the file's text, as loaded */
	char		 sha256[65];	/* of text */
};

/* Loads and validates. On failure returns NULL and err (SV_E_PARSE) says
 * "FILE:LINE:COL: ..." or "FILE: FIELD.PATH: reason". name is what the
 * messages call the text (a path). */
struct runbook	*runbook_load_mem(const char *text, size_t len, const char *name,
		    struct sv_err *);
/* Reads path (capped at BUF_MAX_RUNBOOK; SV_E_IO if it cannot). */
struct runbook	*runbook_load_file(const char *path, struct sv_err *);
void		 runbook_free(struct runbook *);

const char	*rb_step_type_name(enum rb_step_type);
const char	*rb_var_type_name(enum rb_var_type);
/* The declared variable, or NULL. */
const struct rb_var *runbook_var(const struct runbook *, const char *name);
/* The index of the step with this id, or -1. */
int		 runbook_step_index(const struct runbook *, const char *id);
/* A string parameter of a step (unexpanded), or NULL when absent. */
const char	*runbook_param(const struct rb_step *, const char *name);
bool		 runbook_param_bool(const struct rb_step *, const char *name, bool def);
long		 runbook_param_int(const struct rb_step *, const char *name, long def);
/* True for the steps that change an account (restore, cleanup, drift
 * with apply). */
bool		 runbook_step_mutating(const struct rb_step *);

/* ---- Built-in variables ----
 * ${session} (the session id), ${suffix} (its random part, 8 hex
 * digits: unique test names), ${date} (YYYYMMDD of the session's start),
 * ${account}, ${region}. */
bool		 runbook_builtin_var(const char *name);

/* ---- Where runbooks are ---- */

/* $SALVAGE_RUNBOOK_DIR, else PKGDATADIR/runbooks. Allocated. */
char		*runbook_builtin_dir(void);
/* $XDG_CONFIG_HOME/salvage/runbooks, else ~/.config/salvage/runbooks.
 * Allocated. */
char		*runbook_user_dir(void);

struct runbook_entry {
	char	*id;		/* NULL when the file does not load */
	char	*title;
	char	*scenario;
	char	*path;
	bool	 builtin;
	char	*error;		/* why it does not load, or NULL */
	bool	 shadowed;	/* a user runbook with the same id wins */
};

/* Every *.json in the built-in and the user directory, user ones first
 * in precedence (a user runbook with a built-in's id shadows it), sorted
 * by id. */
size_t		 runbook_list(struct runbook_entry **out);
void		 runbook_list_free(struct runbook_entry *, size_t);
/* what: an id (user directory first, then built-in) or a path (contains
 * '/' or ends in ".json"). SV_E_NOTFOUND naming where it looked. */
struct runbook	*runbook_find(const char *what, struct sv_err *);

/* ---- Variables ---- */

/* Validates value for type; *norm (allocated) is the value as stored:
 * times become ISO-8601 UTC ("2026-11-21T07:30:00Z"); "latest" stays
 * "latest" when allow_latest. now is the reference for relative times
 * ("-15m"). SV_E_USAGE with the reason. */
sv_result	 runbook_var_check(enum rb_var_type, const char *value,
		    bool allow_latest, sv_time now, char **norm, struct sv_err *);

/* Looks up a variable's value: NULL when it is not set. */
typedef const char *(*runbook_lookup_fn)(void *, const char *name);

/* Expands ${name} (and $$ for a '$') in tmpl into *out (allocated).
 * A reference to an unset variable: SV_E_NOTFOUND and *missing
 * (allocated) names it, *out is NULL. */
sv_result	 runbook_expand(const char *tmpl, runbook_lookup_fn, void *,
		    char **out, char **missing, struct sv_err *);

/* Every variable name tmpl refers to, for the validator: calls fn for
 * each; returns false (and sets *bad to the offending text, allocated)
 * when the template is malformed ("${" without "}", a bad name). */
bool		 runbook_refs(const char *tmpl, void (*fn)(void *, const char *),
		    void *, char **bad);

#endif
