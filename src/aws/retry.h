/* retry.h - the pure parts of the retry policy (the SDKs' "standard"
 * mode), kept apart from the engine so they can be tested without a
 * network: full-jitter exponential backoff from a seedable generator, the
 * retry quota (a token bucket) and the default classification of an HTTP
 * status or a transport failure. */
#ifndef SALVAGE_AWS_RETRY_H
#define SALVAGE_AWS_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "aws/http.h"

#define RETRY_MAX_BACKOFF_MS	20000	/* the cap on one delay */
#define RETRY_QUOTA_DEFAULT	500	/* tokens in a new bucket */
#define RETRY_COST		5	/* a retry after a transient error or throttling */
#define RETRY_COST_TIMEOUT	10	/* a retry after a timeout */
#define RETRY_NO_RETRY_REFUND	1	/* what a first-attempt success gives back */

/* A small deterministic generator (splitmix64). A seed of 0 is replaced
 * by a random one. */
struct retry_rng {
	uint64_t	state;
};

void		retry_rng_seed(struct retry_rng *, uint64_t seed);
uint64_t	retry_rng_next(struct retry_rng *);
double		retry_rng_unit(struct retry_rng *);	/* [0, 1) */

/* Delay before the attempt after `attempt` (1-based: the one that just
 * failed): rand(0,1) * min(2^(attempt-1), 20) s, in milliseconds. */
int64_t		retry_backoff_ms(struct retry_rng *, int attempt);

/* The retry quota as botocore keeps it: acquiring fails when it would go
 * below zero; a success refunds what the last retry cost (or 1 when the
 * call needed no retry), never above the maximum. */
struct retry_quota {
	unsigned	max;
	unsigned	avail;
};

void		retry_quota_init(struct retry_quota *, unsigned max);
bool		retry_quota_acquire(struct retry_quota *, unsigned cost);
void		retry_quota_release(struct retry_quota *, unsigned amount);
/* What a retry of this kind costs (0: a re-signing retry is free). */
unsigned	retry_cost(enum http_retry);

/* Default classification of a response by status alone: 500, 502, 503,
 * 504 are transient, 429 is throttling, anything else is final. */
enum http_retry	retry_classify_status(long status);
/* May a retry of this kind be sent for a request that is not idempotent?
 * Only when the failure proves the request was not applied: throttling,
 * clock skew or re-signing responses, or a transport failure before any
 * byte of the request was sent. */
bool		retry_safe(enum http_retry, bool transport_failure,
		    bool request_sent);
const char	*retry_kind_name(enum http_retry);
/* The standard reason phrase of a status ("Service Unavailable"), "" if
 * unknown: for messages when the server sent none (HTTP/2). */
const char	*http_status_text(long status);

#endif
