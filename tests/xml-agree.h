/* xml-agree.h - holds xml_parse() (the fast path when it takes a
 * document) to xml_parse_reference() (expat): both fail, or both succeed
 * with the same events. Shared by tests/unit/test-xml-scan and the fuzz
 * target tests/fuzz/fuzz-xml. Header-only, for tests. */
#ifndef SALVAGE_TESTS_XML_AGREE_H
#define SALVAGE_TESTS_XML_AGREE_H

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/xml.h"

#define XML_PATH_MAX	4096	/* xml.c's limit on "/A/B/C" */

#define XML_AGREE_DIAG(...) do {					\
	printf("# "); printf(__VA_ARGS__); printf("\n");		\
} while (0)

/* Every event as one line: "S depth name" and "E depth path name len:text". */
static void
rec_start(void *ud, int depth, const char *name)
{
	buf_addf(ud, "S%d %s\n", depth, name);
}

static void
rec_end(void *ud, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct buf *b = ud;

	buf_addf(b, "E%d %s %s %zu:", depth, path, name, len);
	buf_add(b, text, len);
	buf_addc(b, '\n');
}

static const struct xml_handler rec = { rec_start, rec_end };

struct outcome {
	sv_result	result;
	struct buf	events;
};

static void
run(const char *doc, size_t n, bool reference, struct outcome *o)
{
	struct sv_err	err;

	sv_err_init(&err);
	buf_init(&o->events, BUF_MAX_FILE);
	o->result = reference ? xml_parse_reference(doc, n, &rec, &o->events,
	    &err) : xml_parse(doc, n, &rec, &o->events, &err);
}

/* True if xml_parse() and expat agree on doc: both fail, or both succeed
 * with the same events. */
static bool
agree(const char *doc, size_t n)
{
	struct outcome	fast, ref;
	bool		same;

	run(doc, n, false, &fast);
	run(doc, n, true, &ref);
	if (fast.result != SV_OK || ref.result != SV_OK)
		same = fast.result != SV_OK && ref.result != SV_OK;
	else
		same = fast.events.len == ref.events.len &&
		    memcmp(fast.events.ptr, ref.events.ptr, ref.events.len) == 0;
	if (!same) {
		XML_AGREE_DIAG("fast %d, expat %d on: %.*s", fast.result, ref.result,
		    (int)(n > 300 ? 300 : n), doc);
		XML_AGREE_DIAG("fast events:\n%.*s", (int)(fast.events.len > 600 ? 600 :
		    fast.events.len), buf_str(&fast.events));
		XML_AGREE_DIAG("expat events:\n%.*s", (int)(ref.events.len > 600 ? 600 :
		    ref.events.len), buf_str(&ref.events));
	}
	buf_free(&fast.events);
	buf_free(&ref.events);
	return same;
}

#endif
