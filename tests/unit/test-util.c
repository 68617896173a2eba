/* test-util.c - unit tests for src/util: buffers, encoding, time, XML
 * streaming, the JSON writer and the error convention. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "tap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsonw.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"
#include "util/xml.h"

static void
test_buf(void)
{
	struct buf b;

	buf_init(&b, 8);
	is_str(buf_str(&b), "", "empty buffer reads as empty string");
	ok(buf_adds(&b, "abcd") == SV_OK, "add within cap");
	ok(buf_addf(&b, "%d", 123) == SV_OK, "addf within cap");
	is_str(buf_str(&b), "abcd123", "content is concatenated and terminated");
	ok(buf_adds(&b, "xy") == SV_E_TOOLARGE, "add past the cap fails");
	is_str(buf_str(&b), "abcd123", "failed add leaves content unchanged");
	ok(buf_addc(&b, 'z') == SV_OK, "add exactly to the cap");
	is_int(b.len, 8, "length equals the cap");
	buf_free(&b);

	buf_init(&b, BUF_MAX_SMALL);
	for (int i = 0; i < 1000; i++)
		buf_addc(&b, 'x');
	is_int(b.len, 1000, "buffer grows");
	char *p = buf_detach(&b);
	is_int(strlen(p), 1000, "detach hands over the content");
	ok(b.ptr == NULL && b.len == 0, "detach leaves the buffer empty");
	free(p);
}

static void
test_encode(void)
{
	struct buf b;

	buf_init(&b, BUF_MAX_SMALL);
	str_uri_encode(&b, "a b+c=d~e/f", 11, true);
	is_str(buf_str(&b), "a%20b%2Bc%3Dd~e/f", "RFC 3986 encode keeping '/'");
	buf_reset(&b);
	str_uri_encode(&b, "a/b", 3, false);
	is_str(buf_str(&b), "a%2Fb", "encode '/' when asked");
	buf_reset(&b);
	str_uri_encode(&b, "\xc3\xa9", 2, true);
	is_str(buf_str(&b), "%C3%A9", "UTF-8 bytes are encoded uppercase");
	buf_reset(&b);
	ok(str_uri_decode(&b, "a%20b+c", 7, true) == SV_OK, "decode ok");
	is_str(buf_str(&b), "a b c", "decode with plus as space");
	buf_reset(&b);
	str_uri_decode(&b, "a+b", 3, false);
	is_str(buf_str(&b), "a+b", "plus kept without plus_is_space");
	buf_reset(&b);
	ok(str_uri_decode(&b, "a%2", 3, false) == SV_E_PARSE, "truncated escape rejected");
	ok(str_uri_decode(&b, "%zz", 3, false) == SV_E_PARSE, "bad hex rejected");
	buf_free(&b);
	ok(str_valid_utf8("r\xc3\xa9sum\xc3\xa9", 8), "valid UTF-8 accepted");
	ok(!str_valid_utf8("\xc3", 1), "truncated UTF-8 rejected");
	ok(!str_valid_utf8("\xc0\xaf", 2), "overlong UTF-8 rejected");
}

static void
test_time(void)
{
	sv_time t;
	char	s[SV_TIME_ISO_MAX];

	ok(sv_time_parse_iso("2015-08-30T12:36:00Z", &t) == SV_OK, "parse Z time");
	is_int(t, 1440938160000LL, "epoch ms of 2015-08-30T12:36:00Z");
	sv_time_format_amz(t, s);
	is_str(s, "20150830T123600Z", "amz date stamp");
	ok(sv_time_parse_iso("2015-08-30T14:36:00+02:00", &t) == SV_OK, "parse offset");
	is_int(t, 1440938160000LL, "offset applied");
	ok(sv_time_parse_iso("2024-02-29T00:00:00.250Z", &t) == SV_OK, "leap day with ms");
	sv_time_format_iso(t, s, true);
	is_str(s, "2024-02-29T00:00:00.250Z", "format with ms");
	ok(sv_time_parse_iso("2023-02-29T00:00:00Z", &t) == SV_E_PARSE, "no Feb 29 in 2023");
	ok(sv_time_parse_iso("2023-01-01T00:00:00", &t) == SV_E_PARSE, "no zone refused");
	ok(sv_time_parse_http("Sun, 06 Nov 1994 08:49:37 GMT", &t) == SV_OK, "parse HTTP date");
	sv_time_format_iso(t, s, false);
	is_str(s, "1994-11-06T08:49:37Z", "HTTP date value");
	is_int(sv_time_from_epoch(1700000000.123), 1700000000123LL, "fractional epoch seconds");
	sv_time_format_iso(-1, s, true);
	is_str(s, "1969-12-31T23:59:59.999Z", "negative times format correctly");
	sv_duration_format(3723000, s, sizeof s);
	is_str(s, "1h 02m", "duration");
}

struct xml_seen {
	char	keys[8][64];
	int	n;
	int	versions;
};

static void
xml_end(void *ud, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	struct xml_seen *seen = ud;

	if (strcmp(path, "/R/Version/Key") == 0 && seen->n < 8)
		snprintf(seen->keys[seen->n++], 64, "%s", text);
	if (strcmp(name, "Version") == 0 && depth == 2)
		seen->versions++;
}

static void
test_xml(void)
{
	static const struct xml_handler h = { NULL, xml_end };
	const char *doc = "<?xml version=\"1.0\"?><R xmlns=\"http://x\"><Version>"
	    "<Key>a &amp; b</Key></Version><DeleteMarker><Key>no</Key></DeleteMarker>"
	    "<Version><Key>c</Key></Version></R>";
	struct xml_seen seen = { 0 };
	struct xml_stream *xs;
	struct sv_err err;
	size_t	i, n = strlen(doc);

	sv_err_init(&err);
	xs = xml_stream_new(&h, &seen);
	for (i = 0; i < n; i += 7)	/* feed in awkward chunks */
		xml_stream_feed(xs, doc + i, n - i < 7 ? n - i : 7, false, &err);
	ok(xml_stream_feed(xs, "", 0, true, &err) == SV_OK, "chunked XML parses");
	xml_stream_free(xs);
	is_int(seen.n, 2, "two Version keys seen by path");
	is_str(seen.keys[0], "a & b", "entities decoded");
	is_int(seen.versions, 2, "element ends at depth");

	sv_err_init(&err);
	memset(&seen, 0, sizeof seen);
	ok(xml_parse("<R><Version><Key>x</R>", 22, &h, &seen, &err) == SV_E_PARSE,
	    "malformed XML is an error");
	ok(strstr(err.msg, "line 1") != NULL, "error names the line");
}

static void
test_jsonw(void)
{
	struct jsonw w;
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&out, &len);

	jsonw_init(&w, f, false);
	jsonw_arr_begin(&w);
	jsonw_obj_begin(&w);
	jsonw_kstr(&w, "key", "a\"b\\c\n\x01");
	jsonw_kint(&w, "size", 42);
	jsonw_ktime(&w, "t", SV_TIME_NONE);
	jsonw_kbool(&w, "latest", true);
	jsonw_kstr(&w, "k2", "runs \xc3\xa9\x7f then\ttab end");
	jsonw_obj_end(&w);
	jsonw_obj_begin(&w);
	jsonw_obj_end(&w);
	jsonw_arr_end(&w);
	fclose(f);
	is_str(out, "[{\"key\":\"a\\\"b\\\\c\\n\\u0001\",\"size\":42,\"t\":null,\"latest\":true,"
	    "\"k2\":\"runs \xc3\xa9\\u007f then\\ttab end\"},{}]",
	    "JSON writer escapes and separates");
	free(out);
}

static void
write_pair(const void *a, const void *b, struct jsonw *w)
{
	jsonw_obj_begin(w);
	jsonw_kstr(w, "name", a);
	jsonw_kint(w, "n", *(const int *)b);
	jsonw_obj_end(w);
}

static void
write_broken(const void *a, const void *b, struct jsonw *w)
{
	(void)a;
	(void)b;
	jsonw_obj_begin(w);	/* never closed: not a document */
	jsonw_kstr(w, "x", "y");
}

static void
test_jsonw_cjson(void)
{
	int	 n = 42;
	cJSON	*c = jsonw_to_cjson(write_pair, "t\"ab\xc3\xa9", &n);

	ok(c != NULL, "jsonw_to_cjson parses what the writer wrote");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")), "t\"ab\xc3\xa9",
	    "... strings survive escaping and UTF-8");
	is_int(cJSON_GetNumberValue(cJSON_GetObjectItem(c, "n")), 42, "... numbers too");
	cJSON_Delete(c);
	ok(jsonw_to_cjson(write_broken, NULL, NULL) == NULL,
	    "an unfinished document gives NULL, not a partial tree");
}

static void
test_err(void)
{
	struct sv_err e;

	sv_err_init(&e);
	sv_err_set(&e, SV_E_NOTFOUND, "first %d", 1);
	sv_err_set(&e, SV_E_NET, "second");
	is_int(e.code, SV_E_NOTFOUND, "first error wins (code)");
	is_str(e.msg, "first 1", "first error wins (message)");
	sv_err_prefix(&e, "listing %s", "b");
	is_str(e.msg, "listing b: first 1", "prefix adds context");
	is_int(sv_result_exit(SV_E_READONLY), 3, "read-only refusal exits 3");
	is_int(sv_result_exit(SV_E_USAGE), 2, "usage exits 2");
	is_int(sv_result_exit(SV_OK), 0, "ok exits 0");
	for (int r = 0; r < SV_E__COUNT; r++)
		if (sv_result_str((sv_result)r) == NULL || *sv_result_str((sv_result)r) == '\0')
			ok(0, "every result has a message");
}

static void
test_read_file(void)
{
	char		 dir[] = "/tmp/test-util-XXXXXX", path[64];
	struct buf	 b;
	FILE		*f;
	size_t		 want = 1;

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/f", dir);
	f = fopen(path, "w");
	for (int i = 0; i < 3000; i++)
		want += (size_t)fprintf(f, "line %d\n", i);
	fclose(f);
	buf_init(&b, 64 * 1024);
	buf_adds(&b, ">");
	is_int(buf_read_file(&b, path), SV_OK, "read_file: a file");
	ok(b.len == want && strncmp(b.ptr, ">line 0\nline 1\n", 15) == 0 &&
	    strcmp(b.ptr + b.len - 10, "line 2999\n") == 0,
	    "read_file: appended whole, after what was there");
	buf_free(&b);
	buf_init(&b, 100);
	is_int(buf_read_file(&b, path), SV_E_TOOLARGE, "read_file: over the max");
	buf_free(&b);
	buf_init(&b, 100);
	snprintf(path, sizeof path, "%s/none", dir);
	is_int(buf_read_file(&b, path), SV_E_NOTFOUND, "read_file: missing");
	is_int(buf_read_file(&b, dir), SV_E_IO, "read_file: a directory");
	buf_free(&b);
	snprintf(path, sizeof path, "%s/f", dir);
	remove(path);
	rmdir(dir);
}

int
main(void)
{
	test_buf();
	test_encode();
	test_time();
	test_xml();
	test_jsonw();
	test_jsonw_cjson();
	test_err();
	test_read_file();
	return done_testing();
}
