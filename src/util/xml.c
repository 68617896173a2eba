/* xml.c - streaming XML over expat, and whole documents through the
 * fast path in xml-scan.c when it accepts them (expat otherwise). */
#include <config.h>

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/str.h"
#include "util/xml-scan.h"
#include "util/xml.h"

#define XML_MAX_PATH	4096

struct xml_stream {
	XML_Parser		  parser;
	const struct xml_handler *handler;
	void			 *data;
	struct buf		  path;		/* "/A/B/C" */
	size_t			 *marks;	/* path length before each level */
	int			  depth, marks_cap;
	struct buf		  text;
	bool			  overflow;
	char			  root[128];
};

/* The element bookkeeping both parsers feed: push a name, add text, pop.
 * Each returns false when a limit is hit. */
static bool
xs_start(void *ud, const char *name, size_t len)
{
	struct xml_stream *xs = ud;

	if (xs->depth >= xs->marks_cap) {
		xs->marks_cap = xs->marks_cap ? xs->marks_cap * 2 : 16;
		xs->marks = xreallocarray(xs->marks, (size_t)xs->marks_cap,
		    sizeof *xs->marks);
	}
	xs->marks[xs->depth++] = xs->path.len;
	if (buf_addc(&xs->path, '/') != SV_OK ||
	    buf_add(&xs->path, name, len) != SV_OK) {
		xs->overflow = true;
		return false;
	}
	name = xs->path.ptr + xs->marks[xs->depth - 1] + 1;
	if (xs->depth == 1)
		str_lcpy(xs->root, name, sizeof xs->root);
	buf_reset(&xs->text);
	if (xs->handler->start != NULL)
		xs->handler->start(xs->data, xs->depth, name);
	return true;
}

static bool
xs_text(void *ud, const char *s, size_t len)
{
	struct xml_stream *xs = ud;

	if (buf_add(&xs->text, s, len) != SV_OK) {
		xs->overflow = true;
		return false;
	}
	return true;
}

static bool
xs_end(void *ud)
{
	struct xml_stream *xs = ud;
	size_t		   mark = xs->marks[--xs->depth];

	if (xs->handler->end != NULL)
		xs->handler->end(xs->data, xs->depth + 1, buf_str(&xs->path),
		    xs->path.ptr + mark + 1, buf_str(&xs->text), xs->text.len);
	buf_reset(&xs->text);
	xs->path.len = mark;
	xs->path.ptr[mark] = '\0';
	return true;
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_stream *xs = ud;

	(void)attrs;
	if (!xs_start(xs, name, strlen(name)))
		XML_StopParser(xs->parser, XML_FALSE);
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	(void)name;
	xs_end(ud);
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_stream *xs = ud;

	if (!xs_text(xs, s, (size_t)len))
		XML_StopParser(xs->parser, XML_FALSE);
}

static void
xs_init(struct xml_stream *xs, const struct xml_handler *h, void *data)
{
	memset(xs, 0, sizeof *xs);
	xs->handler = h;
	xs->data = data;
	buf_init(&xs->path, XML_MAX_PATH);
	buf_init(&xs->text, BUF_MAX_XML_TEXT);
}

static void
xs_clean(struct xml_stream *xs)
{
	if (xs->parser != NULL)
		XML_ParserFree(xs->parser);
	buf_free(&xs->path);
	buf_free(&xs->text);
	free(xs->marks);
}

struct xml_stream *
xml_stream_new(const struct xml_handler *h, void *data)
{
	struct xml_stream *xs = xmalloc(sizeof *xs);

	xs_init(xs, h, data);
	xs->parser = XML_ParserCreate("UTF-8");
	if (xs->parser == NULL)
		abort();
	XML_SetUserData(xs->parser, xs);
	XML_SetElementHandler(xs->parser, on_start, on_end);
	XML_SetCharacterDataHandler(xs->parser, on_text);
	return xs;
}

sv_result
xml_stream_feed(struct xml_stream *xs, const char *p, size_t n, bool final,
    struct sv_err *err)
{
	while (n > 0 || final) {
		int	chunk = n > (1u << 30) ? 1 << 30 : (int)n;

		n -= (size_t)chunk;
		if (XML_Parse(xs->parser, p, chunk, final && n == 0) ==
		    XML_STATUS_ERROR) {
			if (xs->overflow)
				return sv_err_set(err, SV_E_TOOLARGE,
				    "XML element too large");
			return sv_err_set(err, SV_E_PARSE,
			    "malformed XML at line %lu column %lu: %s",
			    (unsigned long)XML_GetCurrentLineNumber(xs->parser),
			    (unsigned long)XML_GetCurrentColumnNumber(xs->parser),
			    XML_ErrorString(XML_GetErrorCode(xs->parser)));
		}
		p += chunk;
		if (n == 0)
			break;
	}
	return SV_OK;
}

const char *
xml_stream_root(const struct xml_stream *xs)
{
	return xs->root;
}

void
xml_stream_free(struct xml_stream *xs)
{
	if (xs == NULL)
		return;
	xs_clean(xs);
	free(xs);
}

sv_result
xml_parse_reference(const char *p, size_t n, const struct xml_handler *h,
    void *data, struct sv_err *err)
{
	struct xml_stream *xs = xml_stream_new(h, data);
	sv_result result = xml_stream_feed(xs, p, n, true, err);

	xml_stream_free(xs);
	return result;
}

sv_result
xml_parse(const char *p, size_t n, const struct xml_handler *h, void *data,
    struct sv_err *err)
{
	static const struct xml_scan_sink sink = { xs_start, xs_text, xs_end };
	struct xml_stream xs;
	bool		  done;

	if (!xml_scan_check(p, n, XML_MAX_PATH, BUF_MAX_XML_TEXT))
		return xml_parse_reference(p, n, h, data, err);
	xs_init(&xs, h, data);
	done = xml_scan_run(p, n, &sink, &xs);
	xs_clean(&xs);
	/* xml_scan_check() saw the limits; this is not expected */
	if (!done)
		return sv_err_set(err, SV_E_TOOLARGE, "XML element too large");
	return SV_OK;
}
