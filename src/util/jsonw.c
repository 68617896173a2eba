/* jsonw.c - streaming JSON writer. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "util/jsonw.h"

void
jsonw_init(struct jsonw *w, FILE *f, bool pretty)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->pretty = pretty;
	w->first[0] = true;
}

static void
indent(struct jsonw *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Before any value: a comma and indent unless it follows a key. */
static void
before_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	indent(w);
}

static void
open_(struct jsonw *w, char c)
{
	before_value(w);
	fputc(c, w->f);
	if (w->depth < JSONW_MAX_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

static void
close_(struct jsonw *w, char c)
{
	bool	empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->f);
}

void jsonw_obj_begin(struct jsonw *w) { open_(w, '{'); }
void jsonw_obj_end(struct jsonw *w) { close_(w, '}'); }
void jsonw_arr_begin(struct jsonw *w) { open_(w, '['); }
void jsonw_arr_end(struct jsonw *w) { close_(w, ']'); }

static void
put_string(FILE *f, const char *s, size_t n)
{
	size_t	run = 0;

	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* plain bytes go out in runs: one stdio call, not one each */
		if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\') {
			run++;
			continue;
		}
		if (run > 0)
			fwrite(s + i - run, 1, run, f);
		run = 0;
		switch (c) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:	/* the other controls and DEL */
			fprintf(f, "\\u%04x", c);
		}
	}
	if (run > 0)
		fwrite(s + n - run, 1, run, f);
	fputc('"', f);
}

void
jsonw_key(struct jsonw *w, const char *k)
{
	before_value(w);
	put_string(w->f, k, strlen(k));
	fputs(w->pretty ? ": " : ":", w->f);
	w->after_key = true;
}

void
jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
	before_value(w);
	put_string(w->f, s, n);
}

void
jsonw_str(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_strn(w, s, strlen(s));
}

void
jsonw_int(struct jsonw *w, long long v)
{
	before_value(w);
	fprintf(w->f, "%lld", v);
}

void
jsonw_double(struct jsonw *w, double v)
{
	before_value(w);
	if (!isfinite(v))
		fputs("null", w->f);
	else
		fprintf(w->f, "%.17g", v);
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->f);
}

void
jsonw_null(struct jsonw *w)
{
	before_value(w);
	fputs("null", w->f);
}

void
jsonw_time(struct jsonw *w, sv_time t)
{
	char	iso[SV_TIME_ISO_MAX];

	if (t == SV_TIME_NONE) {
		jsonw_null(w);
		return;
	}
	sv_time_format_iso(t, iso, t % 1000 != 0);
	jsonw_str(w, iso);
}

void jsonw_kstr(struct jsonw *w, const char *k, const char *v) { jsonw_key(w, k); jsonw_str(w, v); }
void jsonw_kint(struct jsonw *w, const char *k, long long v) { jsonw_key(w, k); jsonw_int(w, v); }
void jsonw_kbool(struct jsonw *w, const char *k, bool v) { jsonw_key(w, k); jsonw_bool(w, v); }
void jsonw_ktime(struct jsonw *w, const char *k, sv_time v) { jsonw_key(w, k); jsonw_time(w, v); }

void
jsonw_finish(struct jsonw *w)
{
	fputc('\n', w->f);
	fflush(w->f);
}

struct cJSON *
jsonw_to_cjson(jsonw_write_fn write, const void *a, const void *b)
{
	char		*mem = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&mem, &len);
	struct jsonw	 w;
	cJSON		*c;

	if (f == NULL)
		abort();	/* out of memory, as xmalloc would */
	jsonw_init(&w, f, false);
	write(a, b, &w);
	jsonw_finish(&w);
	fclose(f);
	c = cJSON_ParseWithLength(mem, len);
	free(mem);
	return c;
}
