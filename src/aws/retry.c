/* retry.c - backoff, retry quota and default classification for the HTTP
 * engine (the AWS SDKs' "standard" retry mode, as botocore implements it
 * in botocore/retries/standard.py and quota.py). */
#include <config.h>	/* the build's, not aws/config.h next to this file */

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "aws/retry.h"
#include "util/time.h"

void
retry_rng_seed(struct retry_rng *r, uint64_t seed)
{
	int	fd;

	if (seed == 0) {
		fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		if (fd != -1) {
			if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed)
				seed = 0;
			close(fd);
		}
		if (seed == 0)
			seed = (uint64_t)sv_monotonic_ms() ^
			    ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL);
	}
	r->state = seed;
}

uint64_t
retry_rng_next(struct retry_rng *r)
{
	uint64_t	z;

	z = (r->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double
retry_rng_unit(struct retry_rng *r)
{
	/* 53 random bits: uniform in [0, 1). */
	return (double)(retry_rng_next(r) >> 11) / 9007199254740992.0;
}

int64_t
retry_backoff_ms(struct retry_rng *r, int attempt)
{
	int64_t	cap_ms;

	if (attempt < 1)
		attempt = 1;
	/* 2^(attempt-1) s reaches the 20 s cap at attempt 6. */
	if (attempt > 6)
		cap_ms = RETRY_MAX_BACKOFF_MS;
	else
		cap_ms = (int64_t)1000 << (attempt - 1);
	if (cap_ms > RETRY_MAX_BACKOFF_MS)
		cap_ms = RETRY_MAX_BACKOFF_MS;
	return (int64_t)(retry_rng_unit(r) * (double)cap_ms);
}

void
retry_quota_init(struct retry_quota *q, unsigned max)
{
	q->max = q->avail = max != 0 ? max : RETRY_QUOTA_DEFAULT;
}

bool
retry_quota_acquire(struct retry_quota *q, unsigned cost)
{
	if (cost > q->avail)
		return false;
	q->avail -= cost;
	return true;
}

void
retry_quota_release(struct retry_quota *q, unsigned amount)
{
	if (amount > q->max - q->avail)
		amount = q->max - q->avail;
	q->avail += amount;
}

unsigned
retry_cost(enum http_retry kind)
{
	switch (kind) {
	case HTTP_RETRY_TRANSIENT:
	case HTTP_RETRY_THROTTLE:
		return RETRY_COST;
	case HTTP_RETRY_TIMEOUT:
		return RETRY_COST_TIMEOUT;
	case HTTP_NO_RETRY:
	case HTTP_RETRY_SKEW:
	case HTTP_RETRY_RESIGN:
		break;
	}
	return 0;
}

enum http_retry
retry_classify_status(long status)
{
	switch (status) {
	case 500:
	case 502:
	case 503:
	case 504:
		return HTTP_RETRY_TRANSIENT;
	case 429:
		return HTTP_RETRY_THROTTLE;
	}
	return HTTP_NO_RETRY;
}

bool
retry_safe(enum http_retry kind, bool transport_failure, bool request_sent)
{
	switch (kind) {
	case HTTP_RETRY_THROTTLE:
	case HTTP_RETRY_SKEW:
	case HTTP_RETRY_RESIGN:
		/* The service answered that it did not act on it. */
		return true;
	case HTTP_RETRY_TRANSIENT:
	case HTTP_RETRY_TIMEOUT:
		/* A 5xx or a timeout after sending may have been applied. */
		return transport_failure && !request_sent;
	case HTTP_NO_RETRY:
		break;
	}
	return false;
}

const char *
retry_kind_name(enum http_retry kind)
{
	switch (kind) {
	case HTTP_NO_RETRY:
		return "final";
	case HTTP_RETRY_TRANSIENT:
		return "transient";
	case HTTP_RETRY_THROTTLE:
		return "throttled";
	case HTTP_RETRY_TIMEOUT:
		return "timeout";
	case HTTP_RETRY_SKEW:
		return "clock skew";
	case HTTP_RETRY_RESIGN:
		return "re-sign";
	}
	return "?";
}

const char *
http_status_text(long status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "";
}
