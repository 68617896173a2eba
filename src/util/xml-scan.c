/* xml-scan.c - the fast path behind xml_parse(): see xml-scan.h.
 *
 * One function does both jobs: with no sink it only checks, with a sink
 * it also reports. A document is checked completely before its first
 * event is reported, so a caller never sees half of a document that expat
 * then has to parse again. */
#include <config.h>

#include <string.h>

#include "util/xml-scan.h"

/* Content bytes: 0 text, 1 '<', 2 '&', 3 ']' (for "]]>"), 4 anything the
 * scanner leaves to expat (controls but TAB and LF, CR, DEL, bytes that
 * cannot start UTF-8), 5 the first byte of a UTF-8 sequence. */
enum { X_TEXT, X_LT, X_AMP, X_RSQB, X_OTHER, X_UTF8 };

static const unsigned char content_class[256] = {
	4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 4, 4, 4, 4, 4, /* 00 */
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 10 */
	0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, /* 50 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, /* 70 */
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 80 */
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 90 */
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* a0 */
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* b0 */
	4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, /* c0 */
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, /* d0 */
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, /* e0 */
	5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* f0 */
};

/* Name bytes: 1 may appear in a name, 2 may start one (ASCII only). */
#define N_CHAR	1
#define N_START	2

static const unsigned char name_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, /* 20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 0, 0, 0, 0, 0, /* 30 */
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 40 */
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 3, /* 50 */
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 60 */
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, /* 70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* a0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* b0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* c0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* d0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* e0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* f0 */
};

/* The declarations AWS (and moto: lower-case "utf-8") send. */
static const char *const decls[] = {
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>",
	"<?xml version=\"1.0\"?>",
	NULL
};

#define IS_WS(c)	((c) == ' ' || (c) == '\n' || (c) == '\t')

static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && IS_WS(*p))
		p++;
	return p;
}

/* End of the name at p, or p if there is none. */
static const char *
scan_name(const char *p, const char *e)
{
	const char	*q = p;

	if (q == e || !(name_class[(unsigned char)*q] & N_START))
		return p;
	q++;
	while (q < e && (name_class[(unsigned char)*q] & N_CHAR))
		q++;
	return q;
}

/* Length of the UTF-8 sequence at s if it is one XML allows (no overlong
 * forms, surrogates, U+FFFE, U+FFFF or beyond U+10FFFF), else 0. */
static size_t
utf8_len(const char *s, const char *e)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 avail = (size_t)(e - s);

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[0] == 0xE0 && p[1] < 0xA0) ||
		    (p[0] == 0xED && p[1] >= 0xA0) ||
		    (p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE))
			return 0;
		return 3;
	}
	if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80 || (p[0] == 0xF0 && p[1] < 0x90) ||
		    (p[0] == 0xF4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* Runs p over character data up to the next '<' or '&' (or the end);
 * NULL if the data is not allowed (a "]]>", a byte or sequence the
 * scanner leaves to expat). */
static const char *
scan_chars(const char *p, const char *e)
{
	size_t	k;

	for (;;) {
		while (p < e && content_class[(unsigned char)*p] == X_TEXT)
			p++;
		if (p == e)
			return p;
		switch (content_class[(unsigned char)*p]) {
		case X_RSQB:
			if (e - p >= 3 && p[1] == ']' && p[2] == '>')
				return NULL;
			p++;
			break;
		case X_UTF8:
			if ((k = utf8_len(p, e)) == 0)
				return NULL;
			p += k;
			break;
		case X_OTHER:
			return NULL;
		default:
			return p;
		}
	}
}

/* An attribute value up to its closing quote; NULL if it holds anything
 * but plain text and UTF-8 ('<', '&' and "]]>" are left to expat). */
static const char *
scan_value(const char *p, const char *e, char quote)
{
	size_t	k;

	while (p < e && *p != quote) {
		switch (content_class[(unsigned char)*p]) {
		case X_TEXT:
			p++;
			break;
		case X_RSQB:
			if (e - p >= 3 && p[1] == ']' && p[2] == '>')
				return NULL;
			p++;
			break;
		case X_UTF8:
			if ((k = utf8_len(p, e)) == 0)
				return NULL;
			p += k;
			break;
		default:
			return NULL;
		}
	}
	return p < e ? p : NULL;
}

/* A reference after '&' at p: its UTF-8 in out, its length in *outlen.
 * Returns the byte after ';', or NULL. */
static const char *
scan_ref(const char *p, const char *e, char *out, size_t *outlen)
{
	static const struct {
		const char	*name;
		size_t		 len;
		char		 c;
	} named[] = {
		{ "lt;", 3, '<' }, { "gt;", 3, '>' }, { "amp;", 4, '&' },
		{ "quot;", 5, '"' }, { "apos;", 5, '\'' }
	};
	unsigned long	 v = 0;
	int		 digits = 0;
	size_t		 i;

	if (p < e && *p == '#') {
		bool	hex = ++p < e && *p == 'x';

		if (hex)
			p++;
		for (; p < e && *p != ';'; p++, digits++) {
			int	d;

			if (*p >= '0' && *p <= '9')
				d = *p - '0';
			else if (hex && *p >= 'a' && *p <= 'f')
				d = *p - 'a' + 10;
			else if (hex && *p >= 'A' && *p <= 'F')
				d = *p - 'A' + 10;
			else
				return NULL;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
			if (v > 0x10FFFF)
				return NULL;
		}
		if (p == e || digits == 0)
			return NULL;
		/* XML 1.0 Char */
		if (!(v == 0x9 || v == 0xA || v == 0xD ||
		    (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) ||
		    v >= 0x10000))
			return NULL;
		if (v < 0x80) {
			out[0] = (char)v;
			*outlen = 1;
		} else if (v < 0x800) {
			out[0] = (char)(0xC0 | (v >> 6));
			out[1] = (char)(0x80 | (v & 0x3F));
			*outlen = 2;
		} else if (v < 0x10000) {
			out[0] = (char)(0xE0 | (v >> 12));
			out[1] = (char)(0x80 | ((v >> 6) & 0x3F));
			out[2] = (char)(0x80 | (v & 0x3F));
			*outlen = 3;
		} else {
			out[0] = (char)(0xF0 | (v >> 18));
			out[1] = (char)(0x80 | ((v >> 12) & 0x3F));
			out[2] = (char)(0x80 | ((v >> 6) & 0x3F));
			out[3] = (char)(0x80 | (v & 0x3F));
			*outlen = 4;
		}
		return p + 1;
	}
	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if ((size_t)(e - p) >= named[i].len &&
		    memcmp(p, named[i].name, named[i].len) == 0) {
			out[0] = named[i].c;
			*outlen = 1;
			return p + named[i].len;
		}
	}
	return NULL;
}

/* After the name of a start tag: at most one attribute, then '>' or "/>".
 * Returns the byte after the tag, or NULL; *empty for "/>". */
static const char *
scan_attrs(const char *p, const char *e, bool *empty)
{
	const char	*q;
	int		 n = 0;
	char		 quote;

	for (;;) {
		q = skip_ws(p, e);
		if (q == e)
			return NULL;
		if (*q == '>') {
			*empty = false;
			return q + 1;
		}
		if (*q == '/') {
			if (q + 1 == e || q[1] != '>')
				return NULL;
			*empty = true;
			return q + 2;
		}
		/* an attribute needs white space before it; a second one is
		 * left to expat (it checks duplicates) */
		if (q == p || n++ > 0)
			return NULL;
		p = scan_name(q, e);
		if (p == q)
			return NULL;
		p = skip_ws(p, e);
		if (p == e || *p++ != '=')
			return NULL;
		p = skip_ws(p, e);
		if (p == e || (*p != '"' && *p != '\''))
			return NULL;
		quote = *p++;
		if ((p = scan_value(p, e, quote)) == NULL)
			return NULL;
		p++;
	}
}

#define EMIT(call) do {							\
	if (sink != NULL && !(call))					\
		return false;						\
} while (0)

static bool
scan(const char *doc, size_t n, size_t max_path, size_t max_text,
    const struct xml_scan_sink *sink, void *arg)
{
	const char	*p = doc, *e = doc + n, *q;
	const char	*names[XML_SCAN_MAX_DEPTH];
	size_t		 lens[XML_SCAN_MAX_DEPTH];
	size_t		 path = 0, text = 0, len, i;
	int		 depth = 0;
	bool		 empty;
	char		 ref[4];

	if (n >= 5 && memcmp(p, "<?xml", 5) == 0) {
		for (i = 0; decls[i] != NULL; i++) {
			len = strlen(decls[i]);
			if (n >= len && memcmp(p, decls[i], len) == 0)
				break;
		}
		if (decls[i] == NULL)
			return false;
		p += len;
	}
	p = skip_ws(p, e);
	if (p == e || *p != '<')
		return false;
	for (;;) {
		/* at '<' */
		p++;
		if (p < e && *p == '/') {
			if (depth == 0)
				return false;
			q = p + 1;
			p = scan_name(q, e);
			len = (size_t)(p - q);
			if (len != lens[depth - 1])
				return false;
			for (i = 0; i < len; i++)
				if (q[i] != names[depth - 1][i])
					return false;
			p = skip_ws(p, e);
			if (p == e || *p++ != '>')
				return false;
			EMIT(sink->end(arg));
			path -= 1 + len;
			if (--depth == 0)
				break;
		} else {
			q = p;
			p = scan_name(q, e);
			len = (size_t)(p - q);
			if (len == 0 || depth == XML_SCAN_MAX_DEPTH ||
			    path + 1 + len > max_path)
				return false;
			if ((p = scan_attrs(p, e, &empty)) == NULL)
				return false;
			EMIT(sink->start(arg, q, len));
			if (empty) {
				EMIT(sink->end(arg));
				if (depth == 0)
					break;
			} else {
				names[depth] = q;
				lens[depth++] = len;
				path += 1 + len;
			}
		}
		/* character data up to the next tag */
		text = 0;
		for (;;) {
			q = p;
			if ((p = scan_chars(p, e)) == NULL)
				return false;
			if (p > q) {
				text += (size_t)(p - q);
				EMIT(sink->text(arg, q, (size_t)(p - q)));
			}
			if (p == e)
				return false;
			if (*p == '<')
				break;
			if (*p != '&')
				return false;
			if ((p = scan_ref(p + 1, e, ref, &len)) == NULL)
				return false;
			text += len;
			EMIT(sink->text(arg, ref, len));
		}
		if (text > max_text)
			return false;
	}
	return skip_ws(p, e) == e;
}

bool
xml_scan_check(const char *doc, size_t n, size_t max_path, size_t max_text)
{
	return scan(doc, n, max_path, max_text, NULL, NULL);
}

bool
xml_scan_run(const char *doc, size_t n, const struct xml_scan_sink *sink,
    void *arg)
{
	return scan(doc, n, (size_t)-1, (size_t)-1, sink, arg);
}
