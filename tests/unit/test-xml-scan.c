/* test-xml-scan.c - the XML fast path (util/xml-scan.c) against expat.
 *
 * xml_parse() takes the fast path only for documents xml_scan_check()
 * accepts; for those the handler must see exactly the events expat gives
 * (xml_parse_reference()). Checked on hand-written cases, on every XML
 * fixture, and on many thousands of mutated documents. Also checks that
 * what AWS really sends does take the fast path (the benchmark depends on
 * it) and that the unusual is left to expat. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tests/xml-agree.h"
#include "util/buf.h"
#include "util/xml-scan.h"
#include "util/xml.h"

static bool
fast(const char *doc)
{
	return xml_scan_check(doc, strlen(doc), XML_PATH_MAX, BUF_MAX_XML_TEXT);
}

static const struct {
	const char	*doc;
	bool		 fast;		/* the fast path takes it */
	const char	*what;
} cases[] = {
	{ "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R xmlns=\"http://s3."
	  "amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Version><Key>a b+c"
	  "</Key><VersionId>null</VersionId></Version></R>", true,
	  "an S3 listing" },
	{ "<R/>", true, "an empty root" },
	{ "<R></R>", true, "an empty root with an end tag" },
	{ "  \n<R>\n  <A>x</A>\n</R>\n\n", true, "white space around the root" },
	{ "<R><A>1</A>tail<B/>more</R>", true, "mixed content" },
	{ "<R><A >x</A ></R>", true, "spaces inside tags" },
	{ "<R a = 'x>y' ><A/></R>", true, "one single-quoted attribute" },
	{ "<R><K>&lt;&gt;&amp;&quot;&apos;</K></R>", true, "the named entities" },
	{ "<R><K>&#65;&#x42;&#x00043;&#233;&#x20AC;&#x1F600;&#9;&#13;</K></R>",
	  true, "character references" },
	{ "<R><K>a]b]]c]]]</K></R>", true, "brackets in text" },
	{ "<a:b.c-d_e><x1/></a:b.c-d_e>", true, "name characters" },
	{ "<R>\t<K>\ttab</K></R>", true, "tabs" },
	{ "<?xml version=\"1.0\"?><R/>", true, "a short declaration" },
	{ "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<R/>", true,
	  "a lower-case encoding name (moto)" },
	{ "<R><K>a]]>b</K></R>", false, "\"]]>\" in text (an error)" },
	{ "<R><!-- note --><K/></R>", false, "a comment" },
	{ "<R><K><![CDATA[<x>]]></K></R>", false, "CDATA" },
	{ "<!DOCTYPE R><R/>", false, "a DOCTYPE" },
	{ "<R><?pi x?></R>", false, "a processing instruction" },
	{ "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><R/>", false,
	  "another declared encoding" },
	{ " <?xml version=\"1.0\"?><R/>", false, "a declaration not at the start" },
	{ "<R a='\xe2\x98\x83'><K>caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80</K></R>",
	  true, "UTF-8 text and attribute" },
	{ "<R><K>\xff</K></R>", false, "a byte that is not UTF-8" },
	{ "<R><K>\xc3</K></R>", false, "a cut UTF-8 sequence" },
	{ "<R><K>\xc0\xaf</K></R>", false, "an overlong UTF-8 sequence" },
	{ "<R><K>\xe0\x80\xaf</K></R>", false, "an overlong 3-byte sequence" },
	{ "<R><K>\xed\xa0\x80</K></R>", false, "a UTF-8 surrogate" },
	{ "<R><K>\xef\xbf\xbe</K></R>", false, "U+FFFE" },
	{ "<R><K>\xf4\x90\x80\x80</K></R>", false, "past U+10FFFF" },
	{ "<R\xc3\xa9/>", false, "a UTF-8 name" },
	{ "<R a=']]>'/>", false, "\"]]>\" in an attribute" },
	{ "<R>\r\n<K>a\rb</K></R>", false, "carriage returns" },
	{ "<R><K>\x01</K></R>", false, "a control character" },
	{ "<R a='1' b='2'/>", false, "two attributes" },
	{ "<R a='1' a='2'/>", false, "a duplicate attribute" },
	{ "<R a='&amp;'/>", false, "a reference in an attribute" },
	{ "<R a='<'/>", false, "'<' in an attribute" },
	{ "<R a='1'b='2'/>", false, "attributes without space" },
	{ "<R><K>&nbsp;</K></R>", false, "an undefined entity" },
	{ "<R><K>&#0;</K></R>", false, "a reference to NUL" },
	{ "<R><K>&#xD800;</K></R>", false, "a reference to a surrogate" },
	{ "<R><K>&#x110000;</K></R>", false, "a reference past Unicode" },
	{ "<R><K>&#X41;</K></R>", false, "an upper-case X reference" },
	{ "<R><K>&#;</K></R>", false, "an empty reference" },
	{ "<R><K>&amp</K></R>", false, "an unterminated reference" },
	{ "<R><K>x</R>", false, "a missing end tag" },
	{ "<R><K>x</k></R>", false, "a mismatched end tag" },
	{ "<R></R><S/>", false, "two roots" },
	{ "<R/>junk", false, "text after the root" },
	{ "junk<R/>", false, "text before the root" },
	{ "</R>", false, "an end tag first" },
	{ "", false, "an empty document" },
	{ "<R", false, "a cut start tag" },
	{ "<R><K>abc", false, "cut text" },
	{ "< R/>", false, "a space before the name" },
	{ "<1R/>", false, "a name starting with a digit" },
	{ "<R/ >", false, "a space inside \"/>\"" },
};

static void
test_cases(void)
{
	size_t	i;
	char	name[160];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(name, sizeof name, "%s: %s", cases[i].what,
		    cases[i].fast ? "fast path" : "left to expat");
		ok(fast(cases[i].doc) == cases[i].fast, name);
		snprintf(name, sizeof name, "%s: same events as expat",
		    cases[i].what);
		ok(agree(cases[i].doc, strlen(cases[i].doc)), name);
	}
}

/* Every XML fixture agrees with expat; the well-formed ones of the shapes
 * AWS sends take the fast path. */
static void
test_fixtures(void)
{
	static const char *const names[] = {
		"s3/error-access-denied.xml", "s3/list-buckets.xml",
		"s3/list-objects-v2.xml", "s3/list-versions-badsize.xml",
		"s3/list-versions-basic.xml", "s3/list-versions-cut.xml",
		"s3/list-versions-malformed.xml", "s3/list-versions-page1.xml",
		"s3/list-versions-raw.xml",
		"s3/list-versions-truncated-nomarker.xml",
		"s3/list-versions-url.xml", "s3/location-empty.xml",
		"s3/location-eu.xml", "s3/location-region.xml",
		"s3/object-lock.xml", "s3/versioning-enabled.xml",
		"s3/versioning-never.xml", "s3/versioning-suspended-mfa.xml",
		"rds/automated-backups.xml",
		"rds/describe-db-cluster-snapshots.xml",
		"rds/describe-db-clusters.xml",
		"rds/describe-db-instances-noid.xml",
		"rds/describe-db-instances.xml", "rds/describe-db-snapshots.xml",
		"rds/error-not-found.xml", "sts/get-caller-identity.xml",
	};
	struct outcome	ref;
	size_t		i, len, nfast = 0, nwell = 0;
	char		*doc, name[160];

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		doc = tap_fixture(names[i], &len);
		snprintf(name, sizeof name, "%s: same events as expat", names[i]);
		ok(agree(doc, len), name);
		run(doc, len, true, &ref);
		if (ref.result == SV_OK) {
			nwell++;
			if (xml_scan_check(doc, len, XML_PATH_MAX,
			    BUF_MAX_XML_TEXT))
				nfast++;
			else
				diag("%s: left to expat", names[i]);
		}
		buf_free(&ref.events);
		free(doc);
	}
	ok(nwell > 20, "most fixtures are well formed");
	is_int(nfast, nwell, "every well-formed fixture takes the fast path");
}

/* Limits: a path or a text over xml.c's limit is an error either way. */
static void
test_limits(void)
{
	struct buf	doc;
	int		i;

	buf_init(&doc, BUF_MAX_FILE);
	for (i = 0; i < 120; i++)
		buf_addf(&doc, "<Element%03d>", i);
	for (i = 119; i >= 0; i--)
		buf_addf(&doc, "</Element%03d>", i);
	ok(fast(buf_str(&doc)), "120 levels, a path of 1,440 bytes: fast path");
	ok(agree(doc.ptr, doc.len), "120 levels: same events as expat");
	buf_reset(&doc);
	for (i = 0; i < 400; i++)
		buf_addf(&doc, "<Element%03d>", i);
	for (i = 399; i >= 0; i--)
		buf_addf(&doc, "</Element%03d>", i);
	ok(!fast(buf_str(&doc)), "400 levels: left to expat");
	ok(agree(doc.ptr, doc.len), "400 levels: both refuse the long path");
	buf_reset(&doc);
	buf_adds(&doc, "<R><K>");
	for (i = 0; i < (int)(BUF_MAX_XML_TEXT / 4); i++)
		buf_adds(&doc, "&amp;xyz");
	buf_adds(&doc, "</K></R>");
	ok(fast(buf_str(&doc)), "text exactly at the limit: fast path");
	ok(agree(doc.ptr, doc.len), "text at the limit: same events as expat");
	doc.len -= strlen("</K></R>");
	buf_adds(&doc, "x</K></R>");
	ok(!fast(buf_str(&doc)), "text one byte over the limit: left to expat");
	ok(agree(doc.ptr, doc.len), "text over the limit: both refuse it");
	buf_free(&doc);
}

/* xorshift64*: fixed seed, so a failure is reproducible */
static uint64_t	rng = 0x9E3779B97F4A7C15ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 33) % n;
}

static void
mutate(struct buf *d)
{
	static const char bytes[] = "<>/&;#x]\"'= \n\r\taZ0:-.?!\x01\x7f\x80\xc3\xa9";
	static const char *const tokens[] = {
		"&amp;", "&lt;", "&#65;", "&#x41;", "&#0;", "&#xD800;",
		"&#1114111;", "&#1114112;", "&#X41;", "&bogus;", "]]>", "]]",
		"<!-- c -->", "<![CDATA[x]]>", "<?p x?>", "<a/>", "</a>",
		"<a>", "<b x='1'>", " y=\"2\"", " y='<'", "<R>", "</R>",
		"<?xml version=\"1.0\"?>", "\r\n", "caf\xc3\xa9", "<a:b/>",
		"<_/>", "<1/>", "\xe2\x98\x83", "\xf0\x9f\x98\x80",
		"\xed\xa0\x80", "\xef\xbf\xbe", "\xef\xbf\xbd", "\xf4\x90\x80\x80",
		"\xe0\x80\x80", "\xc0\xaf", "\xc3",
	};
	size_t		at = d->len ? rnd((uint32_t)d->len) : 0, n, k;
	struct buf	out;

	switch (rnd(5)) {
	case 0:		/* replace a byte */
		if (d->len > 0)
			d->ptr[at] = bytes[rnd(sizeof bytes - 1)];
		break;
	case 1:		/* delete a few bytes */
		n = 1 + rnd(8);
		if (at + n > d->len)
			n = d->len - at;
		memmove(d->ptr + at, d->ptr + at + n, d->len - at - n);
		d->len -= n;
		break;
	case 2:		/* insert a token */
	case 3:
		k = rnd(sizeof tokens / sizeof tokens[0]);
		buf_init(&out, BUF_MAX_FILE);
		buf_add(&out, d->ptr, at);
		buf_adds(&out, tokens[k]);
		buf_add(&out, d->ptr + at, d->len - at);
		buf_reset(d);
		buf_add(d, out.ptr, out.len);
		buf_free(&out);
		break;
	default:	/* cut the end */
		d->len = at;
		break;
	}
	d->ptr[d->len] = '\0';
}

/* Mutated documents: wherever the fast path takes one, expat must take it
 * too and report the same events. */
static void
test_mutations(void)
{
	static const char *const seeds[] = {
		"s3/list-versions-basic.xml", "s3/list-versions-url.xml",
		"s3/error-access-denied.xml", "rds/describe-db-instances.xml",
		"sts/get-caller-identity.xml",
	};
	struct buf	d;
	char		*seed;
	size_t		len;
	int		round, k, nfast = 0, nslow = 0, bad = 0;

	buf_init(&d, BUF_MAX_FILE);
	for (round = 0; round < 30000; round++) {
		seed = tap_fixture(seeds[round % 5], &len);
		buf_reset(&d);
		buf_add(&d, seed, len);
		free(seed);
		for (k = 1 + (int)rnd(2); k > 0; k--)
			mutate(&d);
		if (xml_scan_check(d.ptr, d.len, XML_PATH_MAX, BUF_MAX_XML_TEXT))
			nfast++;
		else
			nslow++;
		if (!agree(d.ptr, d.len) && ++bad >= 5)
			break;
	}
	is_int(bad, 0, "30,000 mutated documents: the fast path agrees with expat");
	diag("fast path %d, expat %d", nfast, nslow);
	ok(nfast > 2000 && nslow > 2000, "the mutations exercise both paths");
	buf_free(&d);
}

int
main(void)
{
	test_cases();
	test_fixtures();
	test_limits();
	test_mutations();
	return done_testing();
}
