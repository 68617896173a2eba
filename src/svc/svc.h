/* svc.h - what every service module shares. A service call is an
 * asynchronous operation that may span many pages: results are delivered
 * page by page to a callback (so a bucket with millions of versions never
 * sits in memory at once), then done() is called exactly once with the
 * outcome and how many pages were delivered. The TUI drives the engine
 * from its poll() loop; the CLI waits with svc_sync_wait(). */
#ifndef SALVAGE_SVC_SVC_H
#define SALVAGE_SVC_SVC_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "util/err.h"

/* Called once at the end. result SV_OK: every page was delivered (or the
 * page callback asked to stop). Otherwise err says what failed and, for a
 * listing, the message includes how far it got ("after 3 pages, 2871
 * versions"): a partial listing is never reported as complete. */
typedef void (*svc_done_fn)(void *, sv_result, const struct sv_err *, size_t pages);

struct svc_op;

/* Cancels an operation in flight; done() is called with SV_E_CANCELLED
 * before this returns. The op is invalid after done(). */
void		 svc_op_cancel(struct svc_op *);

/* The synchronous pattern for the CLI: put a struct svc_sync FIRST in
 * the struct passed as the callbacks' data, pass svc_sync_done as the
 * done callback, then svc_sync_wait(). */
struct svc_sync {
	bool		 done;
	sv_result	 result;
	struct sv_err	 err;
	size_t		 pages;
};

void		 svc_sync_init(struct svc_sync *);
void		 svc_sync_done(void *, sv_result, const struct sv_err *, size_t);
sv_result	 svc_sync_wait(struct aws_client *, struct svc_sync *);

#endif
