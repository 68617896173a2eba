/* parse-versions.c - benchmark (not a test): parse-only throughput of the
 * ListObjectVersions parser on pages recorded in memory. Prints versions
 * per second per core (CPU time of this process). Target: >= 500k.
 * For comparison it also times the same pages through the XML layer alone
 * (xml_parse, no-op handler) and through expat alone (xml_parse_reference).
 *
 * Usage: tests/bench/parse-versions [PAGES]   (default 200 pages of 1000) */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svc/s3.h"
#include "util/buf.h"
#include "util/xml.h"

static size_t seen;

static bool
on_page(void *arg, const struct s3_versions_page *p)
{
	(void)arg;
	seen += p->n;
	return true;
}

/* One page as S3 sends it: interleaved versions and delete markers,
 * realistic key lengths, owner blocks, 1000 entries. */
static void
make_page(struct buf *b, int page)
{
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
	    "<Name>bench-bucket</Name><Prefix>data/</Prefix><KeyMarker></KeyMarker>"
	    "<VersionIdMarker></VersionIdMarker>"
	    "<NextKeyMarker>data/k</NextKeyMarker>"
	    "<NextVersionIdMarker>3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY</NextVersionIdMarker>"
	    "<MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>");
	for (int i = 0; i < 1000; i++) {
		const char *tag = i % 10 == 9 ? "DeleteMarker" : "Version";

		buf_addf(b, "<%s><Key>data/2026/11/customer-%06d/invoice-%04d.pdf</Key>"
		    "<VersionId>3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbr%08dHY</VersionId>"
		    "<IsLatest>%s</IsLatest>"
		    "<LastModified>2026-11-%02dT%02d:%02d:%02d.000Z</LastModified>",
		    tag, page, i, page * 1000 + i, i % 7 == 0 ? "true" : "false",
		    1 + i % 28, i % 24, i % 60, (i * 7) % 60);
		if (i % 10 != 9)
			buf_addf(b, "<ETag>&quot;fba9dede5f27731c9771645a3986%04d&quot;</ETag>"
			    "<Size>%d</Size><StorageClass>STANDARD</StorageClass>",
			    i, 1000 + i * 37);
		buf_addf(b, "<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
		    "</ID><DisplayName>ops</DisplayName></Owner></%s>", tag);
	}
	buf_adds(b, "</ListVersionsResult>");
}

static double
cpu_now(void)
{
	struct timespec	t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
noop_end(void *ud, int depth, const char *path, const char *name,
    const char *text, size_t len)
{
	(void)depth; (void)path; (void)name; (void)text;
	*(size_t *)ud += len;
}

/* The XML layer alone over the same pages: versions/s/core. */
static double
xml_only(const struct buf *page, int pages, bool reference)
{
	static const struct xml_handler h = { NULL, noop_end };
	struct sv_err	err;
	size_t		sum = 0;
	double		a = cpu_now();

	sv_err_init(&err);
	for (int i = 0; i < pages; i++) {
		const struct buf *p = &page[i % 4];

		if ((reference ? xml_parse_reference : xml_parse)(p->ptr, p->len,
		    &h, &sum, &err) != SV_OK) {
			fprintf(stderr, "parse failed: %s\n", err.msg);
			exit(1);
		}
	}
	return (double)pages * 1000 / (cpu_now() - a);
}

int
main(int argc, char **argv)
{
	int		 pages = argc > 1 ? atoi(argv[1]) : 200;
	struct buf	 page[4];
	struct timespec	 a, z;
	struct sv_err	 err;
	double		 cpu, bytes = 0;

	if (pages <= 0)
		pages = 200;
	for (int i = 0; i < 4; i++) {
		buf_init(&page[i], BUF_MAX_HTTP_BODY);
		make_page(&page[i], i);
	}
	sv_err_init(&err);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (int i = 0; i < pages; i++) {
		const struct buf *p = &page[i % 4];

		if (s3_parse_versions_page(p->ptr, p->len, on_page, NULL, &err) != SV_OK) {
			fprintf(stderr, "parse failed: %s\n", err.msg);
			return 1;
		}
		bytes += (double)p->len;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &z);
	cpu = (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) / 1e9;
	printf("parse-only: %zu versions in %.3f s CPU = %.0f versions/s/core "
	    "(%.1f MB/s; target >= 500000)\n", seen, cpu, (double)seen / cpu,
	    bytes / cpu / 1e6);
	printf("  XML layer alone (no-op handler): %.0f versions/s/core\n",
	    xml_only(page, pages, false));
	printf("  expat alone (no-op handler):     %.0f versions/s/core\n",
	    xml_only(page, pages, true));
	for (int i = 0; i < 4; i++)
		buf_free(&page[i]);
	return 0;
}
