/* http.h - the one asynchronous HTTP engine, over libcurl's multi
 * interface. It owns connection reuse, a per-host concurrency limit,
 * timeouts, cancellation, the retry policy (the SDKs' "standard" mode:
 * retryable classes, full-jitter exponential backoff, a retry quota) and
 * clock-skew tracking from the Date header. It never blocks: the TUI
 * drives it from its poll() loop; the CLI uses http_engine_run_until(). */
#ifndef SALVAGE_AWS_HTTP_H
#define SALVAGE_AWS_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/time.h"

struct http_header {
	char	*name;
	char	*value;
};

struct http_headers {
	struct http_header	*v;
	size_t			 n, cap;
};

void		 http_headers_add(struct http_headers *, const char *name,
		    const char *value);
/* Case-insensitive; first match; NULL if absent. */
const char	*http_headers_get(const struct http_headers *, const char *name);
void		 http_headers_free(struct http_headers *);

struct http_engine_opts {
	const char	*ca_bundle;		/* NULL: system store */
	int		 max_per_host;		/* 0: default 8 */
	long		 connect_timeout_ms;	/* 0: default 10 s */
	long		 request_timeout_ms;	/* 0: default 120 s per attempt */
	int		 max_attempts;		/* 0: default 3 (attempts in total) */
	unsigned	 retry_quota;		/* 0: default 500 */
	uint64_t	 jitter_seed;		/* 0: random; tests fix it */
};

/* What one attempt sends; filled by the request's prepare hook. */
struct http_send {
	char			*method;
	struct buf		 url;		/* absolute URL, already encoded */
	struct http_headers	 headers;
	const void		*body;		/* borrowed from the caller */
	size_t			 body_len;
	bool			 idempotent;	/* false: never retried once it may have been sent */
	long			 timeout_ms;	/* 0: engine default */
	/* Added to the attempt's timeout after SALVAGE_HTTP_TIMEOUT_MS caps
	 * it, for work the server does before it answers (a server-side
	 * copy); such an attempt is not failed as stalled before then. */
	long			 timeout_extra_ms;
};

struct http_response {
	long			 status;	/* 0: no HTTP response */
	struct http_headers	 headers;
	struct buf		 body;		/* capped at BUF_MAX_HTTP_BODY */
	sv_result		 result;	/* SV_OK: an HTTP response (any status) */
	struct sv_err		 err;		/* transport / cancel / retry-exhausted message */
	int			 attempts;
	sv_time			 server_date;	/* Date header, SV_TIME_NONE if absent */
	double			 elapsed;	/* seconds, all attempts */
};

enum http_retry {
	HTTP_NO_RETRY,
	HTTP_RETRY_TRANSIENT,	/* 5xx, RequestTimeout, connection reset: costs 5 */
	HTTP_RETRY_THROTTLE,	/* throttling codes, 429: costs 5 */
	HTTP_RETRY_TIMEOUT,	/* timed out: costs 10 */
	HTTP_RETRY_SKEW,	/* clock skew: re-sign with the Date offset, once */
	HTTP_RETRY_RESIGN	/* rejected before being applied (expired token,
				   wrong S3 region): re-prepare and send again
				   at once, free; the caller limits how often */
};

struct http_request_ops {
	/* Before each attempt (1-based): fill *out (method, url, headers,
	 * body) and sign it. skew_ms is the engine's current estimate of
	 * (server time - local time). */
	sv_result	(*prepare)(void *, struct http_send *out, int attempt,
			    int64_t skew_ms, struct sv_err *);
	/* After each attempt that got an HTTP response (any status): retry
	 * or not. NULL: 500/502/503/504 and 429 are retried. Transport
	 * failures (no response) are classified by the engine: retried when
	 * idempotent, or when nothing of the request was sent. */
	enum http_retry	(*classify)(void *, const struct http_response *);
	/* Once, at the end: success, final failure, or cancellation. The
	 * response belongs to the engine and is valid during the call; the
	 * callee may move headers and body out (leaving them zeroed). */
	void		(*done)(void *, struct http_response *);
};

struct http_engine;
struct http_handle;

struct http_engine	*http_engine_new(const struct http_engine_opts *, struct sv_err *);
void			 http_engine_free(struct http_engine *);
struct http_handle	*http_submit(struct http_engine *, const struct http_request_ops *,
			    void *);
/* done() is called with result SV_E_CANCELLED (immediately, from inside
 * http_cancel). The handle is invalid after done(). */
void			 http_cancel(struct http_handle *);

/* poll() loop integration. */
int			 http_engine_fds(struct http_engine *, struct pollfd *, int max);
int			 http_engine_timeout_ms(struct http_engine *);	/* -1: none */
void			 http_engine_process(struct http_engine *, const struct pollfd *, int n);
bool			 http_engine_busy(const struct http_engine *);
/* One pass of a blocking loop: waits on the engine's sockets at most
 * max_ms (-1: until the engine's own next timer) and processes what is
 * ready. For loops that also run timers of their own (restore, verify,
 * runbook sessions). Returns -1 if poll() failed, else 0. */
int			 http_engine_poll(struct http_engine *, int max_ms);
/* Runs the engine (blocking) until *flag becomes true or nothing is left. */
void			 http_engine_run_until(struct http_engine *, const bool *flag);
int64_t			 http_engine_skew_ms(const struct http_engine *);

/* Blocking convenience for one plain request (IMDS, credential fetching):
 * no signing; retries per the engine's policy. */
sv_result		 http_simple(struct http_engine *, const char *method,
			    const char *url, const struct http_headers *,
			    const void *body, size_t body_len, long timeout_ms,
			    struct http_response *out, struct sv_err *);
void			 http_response_init(struct http_response *);
void			 http_response_free(struct http_response *);

#endif
