/* fanout.c - running many svc operations concurrently with a bound on
 * how many are in flight, for the CLI's per-item lookups. */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>

#include "aws/client.h"
#include "cli/fanout.h"
#include "util/xalloc.h"

struct fanout {
	struct aws_client	*client;
	struct cli_job		*jobs;
	size_t			 n, next, inflight, finished, max;
	cli_job_start_fn	 start;
	bool			 launching;
	bool			 all_done;
};

static void
fanout_launch(struct fanout *fo)
{
	if (fo->launching)
		return;
	fo->launching = true;
	while (fo->inflight < fo->max && fo->next < fo->n) {
		struct cli_job *job = &fo->jobs[fo->next++];

		fo->inflight++;
		/* A call invalid before sending completes inside start(). */
		fo->start(fo->client, job);
	}
	fo->launching = false;
}

void
cli_job_done(void *data, sv_result result, const struct sv_err *err, size_t pages)
{
	struct cli_job	*job = data;
	struct fanout	*fo = job->fo;

	if (fo == NULL || job->done)
		return;
	job->done = true;
	job->result = result;
	job->pages = pages;
	if (err != NULL)
		job->err = *err;
	else if (result != SV_OK)
		sv_err_set(&job->err, result, "%s", sv_result_str(result));
	fo->inflight--;
	if (++fo->finished == fo->n)
		fo->all_done = true;
	else
		fanout_launch(fo);
}

struct cli_job *
cli_fanout_run(struct aws_client *client, size_t n, size_t max_inflight,
    cli_job_start_fn start, void *data)
{
	struct fanout	fo = {
		.client = client, .n = n, .start = start,
		.max = max_inflight > 0 ? max_inflight : 1,
	};

	fo.jobs = xcalloc(n > 0 ? n : 1, sizeof *fo.jobs);
	for (size_t i = 0; i < n; i++) {
		fo.jobs[i].i = i;
		fo.jobs[i].data = data;
		fo.jobs[i].fo = &fo;
		fo.jobs[i].result = SV_OK;
		sv_err_init(&fo.jobs[i].err);
	}
	fo.all_done = n == 0;
	fanout_launch(&fo);
	if (!fo.all_done)
		http_engine_run_until(aws_client_engine(client), &fo.all_done);
	/* The engine ran dry with jobs outstanding: never report them as done. */
	for (size_t i = 0; i < n; i++)
		if (!fo.jobs[i].done)
			fo.jobs[i].result = sv_err_set(&fo.jobs[i].err, SV_E_NET,
			    "the request engine stopped before the lookup completed");
	for (size_t i = 0; i < n; i++)
		fo.jobs[i].fo = NULL;
	return fo.jobs;
}
