/* xml.c - streaming XML over expat. */
#include <config.h>

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
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

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_stream *xs = ud;

	(void)attrs;
	if (xs->depth >= xs->marks_cap) {
		xs->marks_cap = xs->marks_cap ? xs->marks_cap * 2 : 16;
		xs->marks = xreallocarray(xs->marks, (size_t)xs->marks_cap,
		    sizeof *xs->marks);
	}
	xs->marks[xs->depth++] = xs->path.len;
	if (xs->depth == 1)
		strncpy(xs->root, name, sizeof xs->root - 1);
	if (buf_addc(&xs->path, '/') != SV_OK || buf_adds(&xs->path, name) != SV_OK) {
		xs->overflow = true;
		XML_StopParser(xs->parser, XML_FALSE);
		return;
	}
	buf_reset(&xs->text);
	if (xs->handler->start != NULL)
		xs->handler->start(xs->data, xs->depth, name);
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct xml_stream *xs = ud;

	if (xs->handler->end != NULL)
		xs->handler->end(xs->data, xs->depth, buf_str(&xs->path), name,
		    buf_str(&xs->text), xs->text.len);
	buf_reset(&xs->text);
	xs->path.len = xs->marks[--xs->depth];
	xs->path.ptr[xs->path.len] = '\0';
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_stream *xs = ud;

	if (buf_add(&xs->text, s, (size_t)len) != SV_OK) {
		xs->overflow = true;
		XML_StopParser(xs->parser, XML_FALSE);
	}
}

struct xml_stream *
xml_stream_new(const struct xml_handler *h, void *data)
{
	struct xml_stream *xs = xcalloc(1, sizeof *xs);

	xs->parser = XML_ParserCreate("UTF-8");
	if (xs->parser == NULL)
		abort();
	xs->handler = h;
	xs->data = data;
	buf_init(&xs->path, XML_MAX_PATH);
	buf_init(&xs->text, BUF_MAX_XML_TEXT);
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
	XML_ParserFree(xs->parser);
	buf_free(&xs->path);
	buf_free(&xs->text);
	free(xs->marks);
	free(xs);
}

sv_result
xml_parse(const char *p, size_t n, const struct xml_handler *h, void *data,
    struct sv_err *err)
{
	struct xml_stream *xs = xml_stream_new(h, data);
	sv_result result = xml_stream_feed(xs, p, n, true, err);

	xml_stream_free(xs);
	return result;
}
