/* creds-probe.c - resolves AWS credentials through the real chain and
 * prints where they came from, for tests/integration/credentials.py:
 *
 *	creds-probe [--profile NAME] [--region R] [--endpoint-url URL]
 *
 * prints "source: ...", "access_key_id: ...", "secret: set",
 * "session_token: set|none", "expiration: ISO|none" and exits 0, or the
 * error on stderr and the documented exit status. Never prints a secret. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "aws/config.h"
#include "aws/creds.h"
#include "aws/http.h"
#include "util/err.h"
#include "util/log.h"
#include "util/time.h"

int
main(int argc, char **argv)
{
	struct aws_options	 opt;
	struct aws_config	 cfg;
	struct http_engine_opts	 eo;
	struct http_engine	*eng = NULL;
	struct aws_creds_provider *p = NULL;
	const struct aws_creds	*c;
	struct sv_err		 err;
	char			 iso[SV_TIME_ISO_MAX];
	sv_result		 r;

	memset(&opt, 0, sizeof opt);
	memset(&cfg, 0, sizeof cfg);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
			opt.profile = argv[++i];
		else if (strcmp(argv[i], "--region") == 0 && i + 1 < argc)
			opt.region = argv[++i];
		else if (strcmp(argv[i], "--endpoint-url") == 0 && i + 1 < argc)
			opt.endpoint_url = argv[++i];
		else if (strcmp(argv[i], "--debug") == 0)
			sv_log_set_debug(true);
		else {
			fprintf(stderr, "usage: creds-probe [--profile NAME] "
			    "[--region R] [--endpoint-url URL] [--debug]\n");
			return sv_result_exit(SV_E_USAGE);
		}
	}

	sv_err_init(&err);
	if ((r = aws_config_load(&cfg, &opt, &err)) != SV_OK)
		goto fail;
	memset(&eo, 0, sizeof eo);
	eo.ca_bundle = cfg.ca_bundle;
	eo.max_attempts = cfg.max_attempts;
	if ((eng = http_engine_new(&eo, &err)) == NULL) {
		r = err.code != SV_OK ? err.code : SV_E_NET;
		goto fail;
	}
	p = aws_creds_provider_new(&cfg, eng);
	if ((r = aws_creds_get(p, &c, &err)) != SV_OK)
		goto fail;

	printf("source: %s\n", c->source);
	printf("access_key_id: %s\n", c->access_key_id);
	printf("secret: %s\n", c->secret_access_key != NULL &&
	    *c->secret_access_key != '\0' ? "set" : "missing");
	printf("session_token: %s\n", c->session_token != NULL ? "set" :
	    "none");
	if (c->expiration != SV_TIME_NONE) {
		sv_time_format_iso(c->expiration, iso, false);
		printf("expiration: %s\n", iso);
	} else
		printf("expiration: none\n");
	printf("profile: %s\n", cfg.profile);
	printf("region: %s\n", cfg.region != NULL ? cfg.region : "none");
	aws_creds_provider_free(p);
	http_engine_free(eng);
	aws_config_free(&cfg);
	return 0;

fail:
	fprintf(stderr, "creds-probe: %s\n", err.msg[0] != '\0' ? err.msg :
	    sv_result_str(r));
	aws_creds_provider_free(p);
	if (eng != NULL)
		http_engine_free(eng);
	aws_config_free(&cfg);
	return sv_result_exit(r);
}
