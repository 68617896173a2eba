/* cmd-verify.c - "salvage verify A B": is the restored copy B what A is?
 * DynamoDB tables by item counts (parallel segmented Scan) and optionally
 * sampled items, S3 objects by size and content, RDS instances and
 * clusters by engine, version and storage (core/verify.h). Read-only.
 * Exit 0 when equal, 9 with the differences listed. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/confirm.h"
#include "cli/output.h"
#include "core/verify.h"
#include "util/xalloc.h"

extern const struct cmd_entry cmd_verify_entry;

struct vstate {
	bool	tty;
	bool	shown;
};

static void
show_progress(void *arg, const struct verify_progress *p)
{
	struct vstate	*vs = arg;
	char		 a[32], b[32];

	if (!vs->tty)
		return;
	if (strcmp(p->phase, "count") == 0 || strcmp(p->phase, "sample") == 0) {
		fprintf(stderr, "\rcounting: %s and %s items, %d of %d segments",
		    out_count(p->count_a, a, sizeof a), out_count(p->count_b, b,
		    sizeof b), p->segments_done, p->segments);
		if (p->sampled > 0)
			fprintf(stderr, ", %lld sampled", p->sampled);
	} else if (strcmp(p->phase, "hash") == 0)
		fprintf(stderr, "\rreading: %s of %s", out_size(p->bytes, a, sizeof a),
		    out_size(p->total, b, sizeof b));
	else
		return;
	fprintf(stderr, "   ");
	fflush(stderr);
	vs->shown = true;
}

static bool
parse_num(const char *s, long long min, long long max, long long *out)
{
	char	*end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && *out >= min && *out <= max;
}

static void
print_human(const struct verify_result *r)
{
	static const struct out_col cols[] = {
		{ "CHECK", OUT_LEFT, false },
		{ "A", OUT_LEFT, false },
		{ "B", OUT_LEFT, false },
		{ "RESULT", OUT_LEFT, false },
	};
	struct out_table	 t;
	size_t			 i, ndiff = 0;

	printf("A: %s\nB: %s\n", r->a, r->b);
	printf("method: %s", r->method != NULL ? r->method : "-");
	if (r->kind == VERIFY_DYNAMODB)
		printf(" (%d + %d segments)", r->segments_a, r->segments_b);
	else if (r->kind == VERIFY_S3 && r->requests > 0)
		printf(" (%d ranged GETs)", r->requests);
	printf("\n\n");
	out_table_init(&t, 4, cols);
	for (i = 0; i < r->nchecks; i++) {
		const struct verify_check *c = &r->checks[i];

		out_table_row(&t, (const char *[]){ c->name, c->a, c->b,
		    c->equal ? "equal" : "DIFFERENT" });
		if (!c->equal)
			ndiff++;
	}
	out_table_print(&t, stdout);
	out_table_free(&t);
	if (r->ndiffs > 0) {
		printf("\nsampled items that differ (%lld of %lld read", r->sample_differ,
		    r->sampled);
		if ((long long)r->ndiffs < r->sample_differ)
			printf(", the first %zu shown", r->ndiffs);
		printf("):\n");
		for (i = 0; i < r->ndiffs; i++) {
			const struct verify_diff *d = &r->diffs[i];
			char	*key = out_safe(d->key != NULL ? d->key : "?");

			if (d->missing)
				printf("  %s: missing in B\n", key);
			else {
				char	*attrs = out_safe(d->attrs);
				char	*a = out_safe(d->a != NULL ? d->a : "?");
				char	*b = out_safe(d->b != NULL ? d->b : "?");

				printf("  %s: attributes %s differ\n    A %s\n    B %s\n",
				    key, attrs, a, b);
				free(attrs);
				free(a);
				free(b);
			}
			free(key);
		}
	}
	if (r->equal)
		printf("\nequal\n");
	else {
		printf("\nDIFFERENT (%zu of %zu checks):", ndiff, r->nchecks);
		for (i = 0; i < r->nchecks; i++)
			if (!r->checks[i].equal)
				printf(" %s%s", r->checks[i].name, --ndiff > 0 ? "," : "");
		printf("\n");
	}
}

static int
cmd_verify_exec(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*cmd = &cmd_verify_entry;
	struct verify_opts	 o;
	struct verify_result	 r;
	struct aws_client	*client;
	struct sv_err		 err;
	struct vstate		 vs;
	const char		*uri[2] = { NULL, NULL };
	long long		 n;
	int			 nuri = 0, status;
	sv_result		 result;

	memset(&o, 0, sizeof o);
	sv_err_init(&err);
	for (int i = 1; i < argc; i++) {
		const char	*a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--sample") == 0 && v != NULL) {
			if (!parse_num(v, 1, VERIFY_SAMPLE_MAX, &n))
				return cli_usage(cli, cmd, "--sample takes 1..%d items",
				    VERIFY_SAMPLE_MAX);
			o.sample = n;
			i++;
		} else if (strcmp(a, "--segments") == 0 && v != NULL) {
			if (!parse_num(v, 1, VERIFY_MAX_SEGMENTS * 16, &n))
				return cli_usage(cli, cmd, "--segments takes 1..%d",
				    VERIFY_MAX_SEGMENTS * 16);
			o.segments = (int)n;
			i++;
		} else if (strcmp(a, "--concurrency") == 0 && v != NULL) {
			if (!parse_num(v, 1, VERIFY_MAX_SEGMENTS, &n))
				return cli_usage(cli, cmd, "--concurrency takes 1..%d",
				    VERIFY_MAX_SEGMENTS);
			o.concurrency = (int)n;
			i++;
		} else if (strcmp(a, "--part-size") == 0 && v != NULL) {
			if (!parse_num(v, 1024, 64LL * 1024 * 1024, &n))
				return cli_usage(cli, cmd, "--part-size takes 1024..%lld "
				    "bytes", 64LL * 1024 * 1024);
			o.part_size = n;
			i++;
		} else if (strcmp(a, "--version-a") == 0 && v != NULL) {
			o.version_a = v;
			i++;
		} else if (strcmp(a, "--version-b") == 0 && v != NULL) {
			o.version_b = v;
			i++;
		} else if (strcmp(a, "--hash") == 0)
			o.hash = true;
		else if (a[0] == '-' && a[1] != '\0')
			return cli_usage(cli, cmd, "unknown option '%s'%s", a,
			    v == NULL && strncmp(a, "--", 2) == 0 ? " (or its value "
			    "is missing)" : "");
		else if (nuri < 2)
			uri[nuri++] = a;
		else
			return cli_usage(cli, cmd, "unexpected argument '%s'", a);
	}
	if (nuri < 2)
		return cli_usage(cli, cmd, "verify needs two resources: the original "
		    "A and the restored copy B");
	/* Usage errors before any request (and before credentials). */
	if (verify_validate(uri[0], uri[1], &o, &err) != SV_OK)
		return cli_usage(cli, cmd, "%s", err.msg);

	if ((client = cli_client(cli, &err)) == NULL)
		return cli_fail(cli, &err);
	vs.tty = !cli->json && isatty(STDERR_FILENO);
	vs.shown = false;
	/* Ctrl-C stops verifying (nothing to undo: it only reads). */
	cli_wait_begin();
	result = verify_sync(client, uri[0], uri[1], &o, show_progress, &vs,
	    cli_interrupt_flag(), &r, &err);
	cli_wait_end();
	if (vs.shown)
		fprintf(stderr, "\r\033[K");
	if (result != SV_OK) {
		if (result == SV_E_CANCELLED) {
			fprintf(stderr, "%s: verification stopped\n", cli->progname);
			return SV_EXIT_INTERRUPTED;
		}
		return cli_fail(cli, &err);
	}
	if (cli->json) {
		struct jsonw	j;

		out_json_init(&j);
		verify_result_json(&r, &j);
		jsonw_finish(&j);
	} else
		print_human(&r);
	status = r.equal ? SV_EXIT_OK : sv_result_exit(SV_E_MISMATCH);
	verify_result_free(&r);
	return status;
}

const struct cmd_entry cmd_verify_entry = {
	"verify", "A B [--sample N] [--hash] [...]",
	"compare a restored copy B with A: item counts, content, engine",
	cmd_verify_exec
};
