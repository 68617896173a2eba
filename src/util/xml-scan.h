/* xml-scan.h - the fast path behind xml_parse(): a scanner for the plain
 * XML that AWS sends (elements, at most one attribute each, text, the five
 * predefined entities and character references, printable ASCII).
 *
 * It first checks a whole document without telling anyone; only a
 * document it accepts completely is then run through the sink. Anything
 * else - comments, CDATA, a DOCTYPE, processing instructions, non-ASCII
 * bytes, carriage returns, an error of any kind, a path or text over its
 * limit - is left to expat, which stays the reference: the fuzz target and
 * the unit tests hold the two to the same events. */
#ifndef SALVAGE_UTIL_XML_SCAN_H
#define SALVAGE_UTIL_XML_SCAN_H

#include <stdbool.h>
#include <stddef.h>

struct xml_scan_sink {
	/* name is not NUL-terminated */
	bool	(*start)(void *, const char *name, size_t len);
	/* decoded character data, delivered in pieces */
	bool	(*text)(void *, const char *, size_t);
	bool	(*end)(void *);
};

/* Deepest element the scanner takes; deeper documents go to expat. */
#define XML_SCAN_MAX_DEPTH	256

/* True if the whole document is in the scanner's subset, well formed,
 * and within the limits: path ("/A/B") at most max_path bytes, character
 * data of one element (between two tags) at most max_text bytes. */
bool	xml_scan_check(const char *, size_t, size_t max_path,
	    size_t max_text);
/* Runs a document xml_scan_check() accepted through the sink. Returns
 * false if the sink refused an event (the run stops there). */
bool	xml_scan_run(const char *, size_t, const struct xml_scan_sink *,
	    void *);

#endif
