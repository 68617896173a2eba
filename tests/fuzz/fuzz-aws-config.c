/* fuzz-aws-config.c - libFuzzer target for the wire layer's parsers of
 * outside input that have no other target: the shared config/credentials
 * INI files, credential_process output, and AWS error bodies in each
 * protocol. The first input byte chooses the parser. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/config.h"
#include "aws/creds.h"
#include "aws/errors.h"
#include "aws/http.h"
#include "util/xalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile size_t sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_err	 err;
	const char	*p;
	size_t		 n;
	char		*copy;

	if (size < 1)
		return 0;
	p = (const char *)data + 1;
	n = size - 1;
	sv_err_init(&err);
	switch (data[0] % 6) {
	case 0: {
		struct aws_ini *ini = aws_ini_parse(p, n, "fuzz", &err);

		if (ini != NULL) {
			const char *v = aws_ini_get(ini, "default", "region");

			sink += v != NULL ? strlen(v) : 0;
			sink += aws_ini_has_section(ini, "profile x");
			aws_ini_free(ini);
		}
		break;
	}
	case 1: {
		struct aws_creds c;

		memset(&c, 0, sizeof c);
		if (aws_creds_parse_process_output(p, n, &c, &err) == SV_OK)
			sink += strlen(c.access_key_id);
		aws_creds_clear(&c);
		break;
	}
	default: {
		static const enum aws_protocol protos[] = { AWS_PROTO_REST_XML,
		    AWS_PROTO_JSON, AWS_PROTO_QUERY, AWS_PROTO_REST_JSON };
		struct http_headers h = { NULL, 0, 0 };
		struct aws_error    e;

		/* The body as the engine hands it over: NUL-terminated. */
		copy = xmalloc(n + 1);
		memcpy(copy, p, n);
		copy[n] = '\0';
		if (data[0] & 0x80)
			http_headers_add(&h, "x-amzn-ErrorType", "ThrottlingException:http://x");
		memset(&e, 0, sizeof e);
		sink += aws_error_parse(protos[data[0] % 4], 400 + data[0] % 104, &h, copy, n,
		    (data[0] & 0x40) != 0, &e);
		sink += aws_s3_body_is_error(copy, n);
		http_headers_free(&h);
		free(copy);
		break;
	}
	}
	return 0;
}
