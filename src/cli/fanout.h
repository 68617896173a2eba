/* fanout.h - many independent svc operations at once (a per-bucket or
 * per-table lookup), at most max in flight, waiting until all are done.
 * Each job's result callbacks get the job as data (job->data is the
 * caller's, job->i its index). */
#ifndef SALVAGE_CLI_FANOUT_H
#define SALVAGE_CLI_FANOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "svc/svc.h"

struct cli_job {
	size_t		 i;
	void		*data;		/* the caller's, as given to cli_fanout_run */
	sv_result	 result;	/* set when the job is done */
	struct sv_err	 err;
	size_t		 pages;
	bool		 done;
	void		*fo;		/* internal */
};

/* Starts job->i: must pass job as the svc call's data and cli_job_done
 * as its done callback; returns what the svc call returned. */
typedef struct svc_op *(*cli_job_start_fn)(struct aws_client *, struct cli_job *);

/* Runs n jobs, at most max_inflight at a time, until all are done.
 * Returns the jobs (the caller frees the array with free()). */
struct cli_job	*cli_fanout_run(struct aws_client *, size_t n, size_t max_inflight,
		    cli_job_start_fn, void *data);
void		 cli_job_done(void *, sv_result, const struct sv_err *, size_t pages);

#endif
