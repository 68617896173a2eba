/* xml.h - a streaming XML reader over expat. Bytes are fed as they arrive;
 * the handler sees each element's start and, at its end, the element's
 * path ("/ListVersionsResult/Version/Key") and its own text. */
#ifndef SALVAGE_UTIL_XML_H
#define SALVAGE_UTIL_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct xml_handler {
	/* depth: 1 for the root element */
	void	(*start)(void *, int depth, const char *name);
	/* text is the element's own character data (NUL-terminated) */
	void	(*end)(void *, int depth, const char *path, const char *name,
		    const char *text, size_t len);
};

struct xml_stream;

struct xml_stream *xml_stream_new(const struct xml_handler *, void *);
/* Feeds a chunk; final=true after the last one. On error: SV_E_PARSE (or
 * SV_E_TOOLARGE) with line and column in err. */
sv_result	 xml_stream_feed(struct xml_stream *, const char *, size_t,
		    bool final, struct sv_err *);
/* Name of the root element seen so far ("" before it). */
const char	*xml_stream_root(const struct xml_stream *);
void		 xml_stream_free(struct xml_stream *);

/* Whole-document convenience: parses and calls the handler. Plain
 * documents (most of what AWS sends) go through a fast scanner
 * (xml-scan.h), everything else through expat; the handler sees the same
 * events either way. */
sv_result	 xml_parse(const char *, size_t, const struct xml_handler *,
		    void *, struct sv_err *);
/* The same through expat alone: the reference the fast path is held to. */
sv_result	 xml_parse_reference(const char *, size_t,
		    const struct xml_handler *, void *, struct sv_err *);

#endif
