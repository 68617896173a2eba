/* jsonw.h - a streaming JSON writer for --json output: values go straight
 * to the stream, so a listing of millions of rows needs no memory. */
#ifndef SALVAGE_UTIL_JSONW_H
#define SALVAGE_UTIL_JSONW_H

#include <stdbool.h>
#include <stdio.h>

#include "util/time.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
	FILE	*f;
	int	 depth;
	bool	 pretty;
	bool	 first[JSONW_MAX_DEPTH];
	bool	 after_key;
};

void	jsonw_init(struct jsonw *, FILE *, bool pretty);
void	jsonw_obj_begin(struct jsonw *);
void	jsonw_obj_end(struct jsonw *);
void	jsonw_arr_begin(struct jsonw *);
void	jsonw_arr_end(struct jsonw *);
void	jsonw_key(struct jsonw *, const char *);
void	jsonw_str(struct jsonw *, const char *);	/* NULL writes null */
void	jsonw_strn(struct jsonw *, const char *, size_t);
void	jsonw_int(struct jsonw *, long long);
void	jsonw_double(struct jsonw *, double);
void	jsonw_bool(struct jsonw *, bool);
void	jsonw_null(struct jsonw *);
void	jsonw_time(struct jsonw *, sv_time);	/* ISO-8601 Z, or null */
/* Key + value shorthands. */
void	jsonw_kstr(struct jsonw *, const char *, const char *);
void	jsonw_kint(struct jsonw *, const char *, long long);
void	jsonw_kbool(struct jsonw *, const char *, bool);
void	jsonw_ktime(struct jsonw *, const char *, sv_time);
/* Ends the document with a newline and flushes. */
void	jsonw_finish(struct jsonw *);

/* For callers that keep a JSON value (session files, reports): renders
 * what write(a, b, w) writes into memory and parses it into a cJSON
 * tree. NULL if it does not parse. */
struct cJSON;
typedef void (*jsonw_write_fn)(const void *a, const void *b, struct jsonw *);
struct cJSON *jsonw_to_cjson(jsonw_write_fn, const void *a, const void *b);

#endif
