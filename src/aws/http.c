/* http.c - the one asynchronous HTTP engine, over libcurl's multi
 * interface driven by its socket and timer callbacks, so that a poll()
 * loop (the TUI's, or http_engine_run_until's) can wait on its sockets.
 *
 * A request goes through these states:
 *   READY     waiting to start an attempt (a retry also waits for its
 *             backoff delay, on the engine's own timer); prepare() is
 *             called just before an attempt starts, and a request whose
 *             host already has max_per_host attempts running waits here
 *   RUNNING   its easy handle is in the multi handle
 *   FINISHED  curl is done with the attempt; the engine decides (retry
 *             or complete) on its next pass
 *   DONE      inside its done() callback; freed when that returns
 * Nothing happens inside http_submit(): every callback runs from
 * http_engine_process() (or from http_cancel()/http_engine_free()). Lists
 * are walked from the head again after every callback, so callbacks may
 * submit and cancel other requests freely; prepare() and classify() must
 * not cancel their own request, and no callback may free the engine. */
#include <config.h>	/* the build's, not aws/config.h next to this file */

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/http.h"
#include "aws/retry.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

#define HTTP_DEFAULT_PER_HOST	8
#define HTTP_DEFAULT_CONNECT_MS	10000L
#define HTTP_DEFAULT_REQUEST_MS	120000L
#define HTTP_DEFAULT_ATTEMPTS	3
#define HTTP_MAX_RESIGN		2	/* re-prepared retries per request */
#define HTTP_STALE_PREPARE_MS	60000	/* re-sign a request queued this long */
#define HTTP_LOW_SPEED_MAX_S	30L	/* a body stalled this long fails */
#define HTTP_PROCESS_ROUNDS	8
#define HTTP_USER_AGENT		"salvage/" PACKAGE_VERSION
#define HTTP_TIMEOUT_ENV	"SALVAGE_HTTP_TIMEOUT_MS"

enum http_state {
	HS_READY,
	HS_RUNNING,
	HS_FINISHED,
	HS_DONE
};

struct http_sock {
	curl_socket_t	fd;
	int		what;		/* CURL_POLL_IN/OUT/INOUT */
};

struct http_handle {
	struct http_engine		*eng;
	struct http_handle		*prev, *next;
	const struct http_request_ops	*ops;
	void				*ud;
	enum http_state			 state;

	int				 attempt;	/* attempts started (or being prepared) */
	int64_t				 due;		/* READY: not before (monotonic ms) */
	bool				 prepared;
	int64_t				 prepared_at;
	bool				 blocked;	/* its host is at max_per_host */
	char				 hostkey[300];	/* "host:port" */
	long				 timeout_ms;	/* this attempt's */
	long				 stall_s;	/* and its low-speed window */

	struct http_send		 send;
	struct http_response		 resp;

	CURL				*easy;
	struct curl_slist		*slist;
	CURLcode			 cc;
	long				 status;
	long				 request_size;
	long				 os_errno;
	curl_off_t			 got, want;
	char				 errbuf[CURL_ERROR_SIZE];
	char				 reason[64];
	size_t				 header_bytes;
	bool				 body_too_large;
	bool				 header_too_large;

	int64_t				 started;	/* first attempt (monotonic ms) */
	int64_t				 attempt_started;
	unsigned			 last_cost;	/* quota taken by the last retry */
	bool				 skew_used;
	int				 resigns;
};

struct http_engine {
	CURLM			*multi;
	char			*ca_bundle;
	int			 max_per_host;
	long			 connect_ms;
	long			 request_ms;
	long			 env_cap_ms;	/* SALVAGE_HTTP_TIMEOUT_MS, 0 if unset */
	int			 max_attempts;
	struct retry_quota	 quota;
	struct retry_rng	 rng;
	int64_t			 skew_ms;
	int64_t			 timer_due;	/* curl's timer (monotonic ms), -1: none */
	struct http_sock	*socks;
	size_t			 nsocks, socks_cap;
	struct http_handle	*head, *tail;
};

/* ---- header lists ------------------------------------------------------ */

void
http_headers_add(struct http_headers *h, const char *name, const char *value)
{
	if (h->n == h->cap) {
		h->cap = h->cap != 0 ? h->cap * 2 : 16;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	h->v[h->n].name = xstrdup(name);
	h->v[h->n].value = xstrdup(value != NULL ? value : "");
	h->n++;
}

const char *
http_headers_get(const struct http_headers *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (str_ieq(h->v[i].name, name))
			return h->v[i].value;
	return NULL;
}

void
http_headers_free(struct http_headers *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].value);
	}
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* ---- responses --------------------------------------------------------- */

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->body, BUF_MAX_HTTP_BODY);
	sv_err_init(&r->err);
	r->server_date = SV_TIME_NONE;
}

void
http_response_free(struct http_response *r)
{
	http_headers_free(&r->headers);
	buf_free(&r->body);
	http_response_init(r);
}

/* Between attempts: forget the last response, keep nothing else. */
static void
response_reset(struct http_handle *h)
{
	http_headers_free(&h->resp.headers);
	buf_reset(&h->resp.body);
	h->resp.status = 0;
	h->resp.server_date = SV_TIME_NONE;
	h->reason[0] = '\0';
	h->header_bytes = 0;
	h->body_too_large = h->header_too_large = false;
	h->errbuf[0] = '\0';
}

static void
send_reset(struct http_send *s)
{
	free(s->method);
	s->method = NULL;
	if (s->url.max == 0)
		buf_init(&s->url, BUF_MAX_LINE);
	buf_reset(&s->url);
	http_headers_free(&s->headers);
	s->body = NULL;
	s->body_len = 0;
	s->idempotent = false;
	s->timeout_ms = 0;
	s->timeout_extra_ms = 0;
}

static void
send_free(struct http_send *s)
{
	send_reset(s);
	buf_free(&s->url);
}

static const char *
handle_reason(const struct http_handle *h)
{
	return h->reason[0] != '\0' ? h->reason : http_status_text(h->resp.status);
}

/* "30 s", "1.5 s", "300 ms" */
static void
format_timeout(long ms, char *out, size_t outsz)
{
	if (ms >= 1000 && ms % 1000 == 0)
		snprintf(out, outsz, "%ld s", ms / 1000);
	else if (ms >= 1000)
		snprintf(out, outsz, "%.1f s", (double)ms / 1000.0);
	else
		snprintf(out, outsz, "%ld ms", ms);
}

/* ---- curl callbacks ---------------------------------------------------- */

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct http_handle	*h = ud;
	size_t			 len = size * n;
	char			*line, *colon, *sp;

	h->header_bytes += len;
	if (h->header_bytes > BUF_MAX_HTTP_HEADER) {
		h->header_too_large = true;
		return 0;
	}
	line = xstrndup(p, len);
	str_trim(line);
	if (str_starts(line, "HTTP/")) {
		/* A new response block (after a 100 Continue, say). */
		http_headers_free(&h->resp.headers);
		h->reason[0] = '\0';
		if ((sp = strchr(line, ' ')) != NULL &&
		    (sp = strchr(sp + 1, ' ')) != NULL)
			str_lcpy(h->reason, str_trim(sp + 1), sizeof h->reason);
	} else if ((colon = strchr(line, ':')) != NULL && colon != line) {
		*colon = '\0';
		http_headers_add(&h->resp.headers, str_trim(line),
		    str_trim(colon + 1));
	}
	free(line);
	return len;
}

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	struct http_handle	*h = ud;
	size_t			 len = size * n;

	if (buf_add(&h->resp.body, p, len) != SV_OK) {
		h->body_too_large = true;
		return 0;
	}
	return len;
}

static int
on_socket(CURL *e, curl_socket_t fd, int what, void *ud, void *sockp)
{
	struct http_engine	*eng = ud;
	size_t			 i;

	(void)e;
	(void)sockp;
	for (i = 0; i < eng->nsocks; i++)
		if (eng->socks[i].fd == fd)
			break;
	if (what == CURL_POLL_REMOVE) {
		if (i < eng->nsocks)
			eng->socks[i] = eng->socks[--eng->nsocks];
		return 0;
	}
	if (i == eng->nsocks) {
		if (eng->nsocks == eng->socks_cap) {
			eng->socks_cap = eng->socks_cap ? eng->socks_cap * 2 : 16;
			eng->socks = xreallocarray(eng->socks, eng->socks_cap,
			    sizeof *eng->socks);
		}
		eng->socks[eng->nsocks++].fd = fd;
	}
	eng->socks[i].what = what;
	return 0;
}

/* Only records the deadline: libcurl must not be called from here. */
static int
on_timer(CURLM *m, long timeout_ms, void *ud)
{
	struct http_engine	*eng = ud;

	(void)m;
	if (timeout_ms < 0)
		eng->timer_due = -1;
	else
		eng->timer_due = sv_monotonic_ms() + timeout_ms;
	return 0;
}

/* ---- the engine -------------------------------------------------------- */

struct http_engine *
http_engine_new(const struct http_engine_opts *opts, struct sv_err *err)
{
	static bool		 curl_ready;
	struct http_engine_opts	 none;
	struct http_engine	*eng;
	const char		*env;
	char			*end;
	long			 v;

	if (opts == NULL) {
		memset(&none, 0, sizeof none);
		opts = &none;
	}
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			sv_err_set(err, SV_E_NET, "libcurl could not be initialised");
			return NULL;
		}
		curl_ready = true;
	}
	eng = xcalloc(1, sizeof *eng);
	eng->multi = curl_multi_init();
	if (eng->multi == NULL) {
		free(eng);
		sv_err_set(err, SV_E_NET, "libcurl could not create a multi handle");
		return NULL;
	}
	if (opts->ca_bundle != NULL && *opts->ca_bundle != '\0')
		eng->ca_bundle = xstrdup(opts->ca_bundle);
	eng->max_per_host = opts->max_per_host > 0 ? opts->max_per_host :
	    HTTP_DEFAULT_PER_HOST;
	eng->connect_ms = opts->connect_timeout_ms > 0 ?
	    opts->connect_timeout_ms : HTTP_DEFAULT_CONNECT_MS;
	eng->request_ms = opts->request_timeout_ms > 0 ?
	    opts->request_timeout_ms : HTTP_DEFAULT_REQUEST_MS;
	eng->max_attempts = opts->max_attempts > 0 ? opts->max_attempts :
	    HTTP_DEFAULT_ATTEMPTS;
	retry_quota_init(&eng->quota, opts->retry_quota);
	retry_rng_seed(&eng->rng, opts->jitter_seed);
	eng->timer_due = -1;

	/* A cap on every attempt, for slow links and for tests. */
	if ((env = getenv(HTTP_TIMEOUT_ENV)) != NULL && *env != '\0') {
		errno = 0;
		v = strtol(env, &end, 10);
		if (errno != 0 || *end != '\0' || v <= 0)
			sv_warn("ignoring %s=%s: not a positive number of "
			    "milliseconds", HTTP_TIMEOUT_ENV, env);
		else
			eng->env_cap_ms = v;
	}

	curl_multi_setopt(eng->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(eng->multi, CURLMOPT_SOCKETDATA, eng);
	curl_multi_setopt(eng->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(eng->multi, CURLMOPT_TIMERDATA, eng);
	/* Our own queue enforces the per-host limit; this is a backstop. */
	curl_multi_setopt(eng->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)eng->max_per_host);
	return eng;
}

static void
handle_unlink(struct http_handle *h)
{
	struct http_engine	*eng = h->eng;

	if (h->prev != NULL)
		h->prev->next = h->next;
	else
		eng->head = h->next;
	if (h->next != NULL)
		h->next->prev = h->prev;
	else
		eng->tail = h->prev;
	h->prev = h->next = NULL;
}

static void
handle_drop_easy(struct http_handle *h)
{
	if (h->easy != NULL) {
		if (h->state == HS_RUNNING)
			curl_multi_remove_handle(h->eng->multi, h->easy);
		curl_easy_cleanup(h->easy);
		h->easy = NULL;
	}
	curl_slist_free_all(h->slist);
	h->slist = NULL;
}

static void
handle_free(struct http_handle *h)
{
	handle_drop_easy(h);
	send_free(&h->send);
	http_headers_free(&h->resp.headers);
	buf_free(&h->resp.body);
	free(h);
}

static void
unblock_all(struct http_engine *eng)
{
	for (struct http_handle *h = eng->head; h != NULL; h = h->next)
		h->blocked = false;
}

/* Calls done() and frees the request. */
static void
complete(struct http_handle *h)
{
	h->state = HS_DONE;
	h->resp.attempts = h->attempt;
	if (h->started != 0)
		h->resp.elapsed = (double)(sv_monotonic_ms() - h->started) / 1000.0;
	h->ops->done(h->ud, &h->resp);
	handle_unlink(h);
	handle_free(h);
}

void
http_engine_free(struct http_engine *eng)
{
	struct http_handle	*h;

	if (eng == NULL)
		return;
	/* Cancelling calls done(), which may submit more: loop to empty. */
	for (;;) {
		for (h = eng->head; h != NULL; h = h->next)
			if (h->state != HS_DONE)
				break;
		if (h == NULL)
			break;
		http_cancel(h);
	}
	curl_multi_cleanup(eng->multi);
	free(eng->socks);
	free(eng->ca_bundle);
	free(eng);
}

struct http_handle *
http_submit(struct http_engine *eng, const struct http_request_ops *ops,
    void *ud)
{
	struct http_handle	*h;

	h = xcalloc(1, sizeof *h);
	h->eng = eng;
	h->ops = ops;
	h->ud = ud;
	h->state = HS_READY;
	buf_init(&h->send.url, BUF_MAX_LINE);
	http_response_init(&h->resp);
	h->prev = eng->tail;
	if (eng->tail != NULL)
		eng->tail->next = h;
	else
		eng->head = h;
	eng->tail = h;
	return h;
}

void
http_cancel(struct http_handle *h)
{
	bool	was_running;

	if (h == NULL || h->state == HS_DONE)
		return;
	was_running = h->state == HS_RUNNING;
	handle_drop_easy(h);
	if (was_running)
		unblock_all(h->eng);
	h->resp.status = 0;
	h->resp.result = SV_E_CANCELLED;
	sv_err_init(&h->resp.err);
	sv_err_set(&h->resp.err, SV_E_CANCELLED, "cancelled");
	complete(h);
}

bool
http_engine_busy(const struct http_engine *eng)
{
	for (const struct http_handle *h = eng->head; h != NULL; h = h->next)
		if (h->state != HS_DONE)
			return true;
	return false;
}

int64_t
http_engine_skew_ms(const struct http_engine *eng)
{
	return eng->skew_ms;
}

/* ---- starting an attempt ----------------------------------------------- */

/* "host:port" of an absolute URL, for the per-host limit and messages. */
static sv_result
url_hostkey(const char *url, char *out, size_t outsz, struct sv_err *err)
{
	CURLU		*u;
	char		*host = NULL, *port = NULL;
	sv_result	 result = SV_OK;

	u = curl_url();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK) {
		result = sv_err_set(err, SV_E_INVALID, "bad request URL '%s'",
		    url);
		goto fail;
	}
	snprintf(out, outsz, "%s:%s", host, port);
fail:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return result;
}

static int
host_running(const struct http_engine *eng, const char *hostkey)
{
	int	n = 0;

	for (const struct http_handle *h = eng->head; h != NULL; h = h->next)
		if (h->state == HS_RUNNING && strcmp(h->hostkey, hostkey) == 0)
			n++;
	return n;
}

static sv_result
prepare(struct http_handle *h, struct sv_err *err)
{
	sv_result	result;

	send_reset(&h->send);
	result = h->ops->prepare(h->ud, &h->send, h->attempt,
	    h->eng->skew_ms, err);
	if (result != SV_OK) {
		if (err->code == SV_OK)
			sv_err_set(err, result, "the request could not be prepared");
		return result;
	}
	if (h->send.method == NULL)
		h->send.method = xstrdup("GET");
	if ((result = url_hostkey(buf_str(&h->send.url), h->hostkey,
	    sizeof h->hostkey, err)) != SV_OK)
		return result;
	h->prepared = true;
	h->prepared_at = sv_monotonic_ms();
	return SV_OK;
}

static void
set_method(struct http_handle *h, CURL *e)
{
	const char	*m = h->send.method;

	if (strcmp(m, "GET") == 0 && h->send.body_len == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(m, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		return;
	}
	if (h->send.body_len > 0 || strcmp(m, "POST") == 0 ||
	    strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0) {
		/* The body is borrowed from the caller: no copy. */
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)h->send.body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS,
		    h->send.body != NULL ? h->send.body : "");
		/* curl would add a form Content-Type to a POST. */
		if (http_headers_get(&h->send.headers, "Content-Type") == NULL)
			h->slist = curl_slist_append(h->slist, "Content-Type:");
	}
	if (strcmp(m, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
}

static sv_result
start_attempt(struct http_handle *h, struct sv_err *err)
{
	struct http_engine	*eng = h->eng;
	CURL			*e;
	long			 t, speed_s;
	char			*line;

	response_reset(h);
	if ((e = curl_easy_init()) == NULL)
		return sv_err_set(err, SV_E_NET, "libcurl could not create a handle");
	h->easy = e;

	t = h->send.timeout_ms > 0 ? h->send.timeout_ms : eng->request_ms;
	if (eng->env_cap_ms > 0 && t > eng->env_cap_ms)
		t = eng->env_cap_ms;
	if (h->send.timeout_extra_ms > 0)
		t += h->send.timeout_extra_ms;
	h->timeout_ms = t;
	/* A body stalled for HTTP_LOW_SPEED_MAX_S fails early, unless the
	 * server was given extra time: then only the timeout applies. */
	speed_s = (t + 999) / 1000;
	if (speed_s > HTTP_LOW_SPEED_MAX_S && h->send.timeout_extra_ms <= 0)
		speed_s = HTTP_LOW_SPEED_MAX_S;
	h->stall_s = speed_s;

	curl_easy_setopt(e, CURLOPT_URL, buf_str(&h->send.url));
	curl_easy_setopt(e, CURLOPT_PRIVATE, h);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (eng->ca_bundle != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, eng->ca_bundle);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    eng->connect_ms < t ? eng->connect_ms : t);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, t);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, speed_s);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, h);

	curl_slist_free_all(h->slist);
	h->slist = NULL;
	for (size_t i = 0; i < h->send.headers.n; i++) {
		const struct http_header *hd = &h->send.headers.v[i];

		/* "Name;" is curl's way to send a header with no value. */
		if (*hd->value == '\0')
			line = xasprintf("%s;", hd->name);
		else
			line = xasprintf("%s: %s", hd->name, hd->value);
		h->slist = curl_slist_append(h->slist, line);
		free(line);
	}
	/* Never wait for a 100 Continue. */
	h->slist = curl_slist_append(h->slist, "Expect:");
	set_method(h, e);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->slist);

	if (curl_multi_add_handle(eng->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		h->easy = NULL;
		return sv_err_set(err, SV_E_NET, "libcurl refused the request");
	}
	h->state = HS_RUNNING;
	h->attempt_started = sv_monotonic_ms();
	if (h->started == 0)
		h->started = h->attempt_started;
	return SV_OK;
}

/* A request that cannot start completes with err. */
static void
fail_now(struct http_handle *h, const struct sv_err *err)
{
	handle_drop_easy(h);
	h->resp.status = 0;
	h->resp.result = err->code != SV_OK ? err->code : SV_E_INVALID;
	h->resp.err = *err;
	/* The attempt that failed to start was not made. */
	if (h->attempt > 0)
		h->attempt--;
	complete(h);
}

/* Starts every READY request that is due and whose host has room. */
static void
pump(struct http_engine *eng)
{
	struct http_handle	*h;
	struct sv_err		 err;
	int64_t			 now;

again:
	now = sv_monotonic_ms();
	for (h = eng->head; h != NULL; h = h->next) {
		if (h->state != HS_READY || h->blocked || h->due > now)
			continue;
		sv_err_init(&err);
		if (!h->prepared) {
			h->attempt++;
			if (prepare(h, &err) != SV_OK) {
				fail_now(h, &err);
				goto again;
			}
		} else if (now - h->prepared_at > HTTP_STALE_PREPARE_MS) {
			/* Queued so long its signature may have expired. */
			if (prepare(h, &err) != SV_OK) {
				fail_now(h, &err);
				goto again;
			}
		}
		if (host_running(eng, h->hostkey) >= eng->max_per_host) {
			h->blocked = true;
			continue;
		}
		if (start_attempt(h, &err) != SV_OK) {
			fail_now(h, &err);
			goto again;
		}
	}
}

/* ---- finishing an attempt ---------------------------------------------- */

static void
read_messages(struct http_engine *eng)
{
	struct http_handle	*h;
	CURLMsg			*m;
	CURL			*e;
	CURLcode		 cc;
	int			 left;

	while ((m = curl_multi_info_read(eng->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		e = m->easy_handle;
		cc = m->data.result;
		h = NULL;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&h);
		if (h == NULL)
			continue;
		h->cc = cc;
		h->status = 0;
		h->request_size = 0;
		h->got = 0;
		h->want = -1;
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &h->status);
		curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &h->request_size);
		h->os_errno = 0;
		curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &h->os_errno);
		curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &h->got);
		curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &h->want);
		curl_multi_remove_handle(eng->multi, e);
		h->state = HS_FINISHED;
		unblock_all(eng);
	}
}

/* What went wrong at the transport level: kind, result and a message. */
static enum http_retry
transport_failure(struct http_handle *h, sv_result *result, char *what,
    size_t whatsz)
{
	const char	*detail = h->errbuf[0] != '\0' ? h->errbuf :
			    curl_easy_strerror(h->cc);
	char		 host[sizeof h->hostkey], tbuf[32], *colon;

	str_lcpy(host, h->hostkey, sizeof host);
	*result = SV_E_NET;
	switch (h->cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		if ((colon = strrchr(host, ':')) != NULL)
			*colon = '\0';
		snprintf(what, whatsz, "could not resolve host %s", host);
		return HTTP_RETRY_TRANSIENT;
	case CURLE_COULDNT_CONNECT:
		if (h->os_errno == ECONNREFUSED || strstr(detail, "refused") != NULL)
			snprintf(what, whatsz, "connection refused by %s", host);
		else
			snprintf(what, whatsz, "could not connect to %s: %s",
			    host, detail);
		return HTTP_RETRY_TRANSIENT;
	case CURLE_OPERATION_TIMEDOUT:
		*result = SV_E_TIMEOUT;
		format_timeout(h->timeout_ms, tbuf, sizeof tbuf);
		if (strstr(detail, "too slow") != NULL)
			snprintf(what, whatsz, "%s stalled: no data for %ld s",
			    host, h->stall_s);
		else if (h->request_size == 0)
			snprintf(what, whatsz, "timed out connecting to %s after %s",
			    host, tbuf);
		else
			snprintf(what, whatsz, "timed out after %s waiting for %s",
			    tbuf, host);
		return HTTP_RETRY_TIMEOUT;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		snprintf(what, whatsz, "connection to %s dropped: %s", host,
		    detail);
		return HTTP_RETRY_TRANSIENT;
	case CURLE_PARTIAL_FILE:
		if (h->want >= 0)
			snprintf(what, whatsz, "response from %s truncated: got %"
			    PRId64 " of %" PRId64 " bytes", host, (int64_t)h->got,
			    (int64_t)h->want);
		else
			snprintf(what, whatsz, "response from %s truncated: %s",
			    host, detail);
		return HTTP_RETRY_TRANSIENT;
	case CURLE_WRITE_ERROR:
		if (h->body_too_large || h->header_too_large) {
			*result = SV_E_TOOLARGE;
			if (h->body_too_large)
				snprintf(what, whatsz, "response from %s is larger "
				    "than %u MiB", host, BUF_MAX_HTTP_BODY >> 20);
			else
				snprintf(what, whatsz, "response headers from %s "
				    "are larger than %u KiB", host,
				    BUF_MAX_HTTP_HEADER >> 10);
			return HTTP_NO_RETRY;
		}
		break;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(what, whatsz, "TLS handshake with %s failed: %s", host,
		    detail);
		return HTTP_RETRY_TRANSIENT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
		snprintf(what, whatsz, "the TLS certificate of %s could not be "
		    "verified: %s (for a private CA, set AWS_CA_BUNDLE)", host,
		    detail);
		return HTTP_NO_RETRY;
	default:
		break;
	}
	snprintf(what, whatsz, "request to %s failed: %s", host, detail);
	return HTTP_NO_RETRY;
}

static const char *
request_id(const struct http_response *r)
{
	const char	*id;

	if ((id = http_headers_get(&r->headers, "x-amzn-RequestId")) != NULL ||
	    (id = http_headers_get(&r->headers, "x-amz-request-id")) != NULL)
		return id;
	return "-";
}

/* Retry or complete a FINISHED request. */
static void
evaluate(struct http_handle *h)
{
	struct http_engine	*eng = h->eng;
	struct http_response	*r = &h->resp;
	enum http_retry		 kind;
	sv_result		 fail = SV_OK;
	const char		*date, *why_not = NULL;
	char			 what[640];
	bool			 transport, retry = false;
	int64_t			 delay = 0;
	double			 took;

	handle_drop_easy(h);
	took = (double)(sv_monotonic_ms() - h->attempt_started) / 1000.0;
	if ((date = http_headers_get(&r->headers, "Date")) == NULL ||
	    sv_time_parse_http(date, &r->server_date) != SV_OK)
		r->server_date = SV_TIME_NONE;

	transport = h->cc != CURLE_OK;
	if (!transport) {
		r->status = h->status;
		r->result = SV_OK;
		kind = h->ops->classify != NULL ? h->ops->classify(h->ud, r) :
		    retry_classify_status(r->status);
		sv_debug("http: %s %s -> %ld %s (request id %s) in %.3f s, "
		    "attempt %d, %s", h->send.method, buf_str(&h->send.url),
		    r->status, handle_reason(h), request_id(r), took, h->attempt,
		    retry_kind_name(kind));
	} else {
		kind = transport_failure(h, &fail, what, sizeof what);
		r->status = 0;
		sv_debug("http: %s %s -> %s in %.3f s, attempt %d, %s",
		    h->send.method, buf_str(&h->send.url), what, took,
		    h->attempt, retry_kind_name(kind));
	}

	if (kind == HTTP_RETRY_SKEW && r->server_date != SV_TIME_NONE) {
		eng->skew_ms = r->server_date - sv_time_now();
		sv_debug("http: clock skew: the server's clock is %+" PRId64
		    " ms from ours", eng->skew_ms);
	}

	switch (kind) {
	case HTTP_NO_RETRY:
		break;
	case HTTP_RETRY_SKEW:
		if (!h->skew_used) {
			h->skew_used = true;
			retry = true;
		} else
			why_not = "the clock skew persisted after re-signing";
		break;
	case HTTP_RETRY_RESIGN:
		if (h->resigns < HTTP_MAX_RESIGN) {
			h->resigns++;
			retry = true;
		}
		break;
	case HTTP_RETRY_TRANSIENT:
	case HTTP_RETRY_THROTTLE:
	case HTTP_RETRY_TIMEOUT:
		if (h->attempt >= eng->max_attempts)
			break;
		if (!h->send.idempotent &&
		    !retry_safe(kind, transport, h->request_size > 0)) {
			why_not = "not retried: the request is not idempotent "
			    "and may have reached the server";
			break;
		}
		if (!retry_quota_acquire(&eng->quota, retry_cost(kind))) {
			why_not = "not retried: the retry quota is used up "
			    "(too many failures recently)";
			break;
		}
		h->last_cost = retry_cost(kind);
		delay = retry_backoff_ms(&eng->rng, h->attempt);
		retry = true;
		break;
	}

	if (retry) {
		sv_debug("http: retrying in %" PRId64 " ms", delay);
		response_reset(h);
		h->state = HS_READY;
		h->prepared = false;
		h->due = sv_monotonic_ms() + delay;
		return;
	}

	sv_err_init(&r->err);
	if (transport) {
		r->result = fail;
		sv_err_set(&r->err, fail, "%s (%d attempt%s%s%s)", what,
		    h->attempt, h->attempt == 1 ? "" : "s",
		    why_not != NULL ? "; " : "", why_not != NULL ? why_not : "");
	} else if (kind != HTTP_NO_RETRY) {
		/* An HTTP response that would have been retried. */
		sv_result code = kind == HTTP_RETRY_THROTTLE ? SV_E_THROTTLED :
		    SV_E_NET;

		if (why_not != NULL)
			sv_err_set(&r->err, code, "%ld %s after %d attempt%s; %s",
			    r->status, handle_reason(h), h->attempt,
			    h->attempt == 1 ? "" : "s", why_not);
		else
			sv_err_set(&r->err, code, "gave up after %d attempt%s: "
			    "%ld %s", h->attempt, h->attempt == 1 ? "" : "s",
			    r->status, handle_reason(h));
	}
	if (!transport && r->status >= 200 && r->status < 300)
		retry_quota_release(&eng->quota, h->last_cost != 0 ?
		    h->last_cost : RETRY_NO_RETRY_REFUND);
	complete(h);
}

static void
evaluate_finished(struct http_engine *eng)
{
	struct http_handle	*h;

	for (;;) {
		for (h = eng->head; h != NULL; h = h->next)
			if (h->state == HS_FINISHED)
				break;
		if (h == NULL)
			return;
		evaluate(h);
	}
}

/* ---- poll() integration ------------------------------------------------ */

int
http_engine_fds(struct http_engine *eng, struct pollfd *pfd, int max)
{
	int	n = 0;

	for (size_t i = 0; i < eng->nsocks && n < max; i++) {
		pfd[n].fd = eng->socks[i].fd;
		pfd[n].events = 0;
		pfd[n].revents = 0;
		if (eng->socks[i].what & CURL_POLL_IN)
			pfd[n].events |= POLLIN;
		if (eng->socks[i].what & CURL_POLL_OUT)
			pfd[n].events |= POLLOUT;
		n++;
	}
	return n;
}

int
http_engine_timeout_ms(struct http_engine *eng)
{
	int64_t	now = sv_monotonic_ms(), best = -1, t;

	if (eng->timer_due >= 0)
		best = eng->timer_due > now ? eng->timer_due - now : 0;
	for (struct http_handle *h = eng->head; h != NULL; h = h->next) {
		if (h->state == HS_FINISHED)
			t = 0;
		else if (h->state == HS_READY && !h->blocked)
			t = h->due > now ? h->due - now : 0;
		else
			continue;
		if (best < 0 || t < best)
			best = t;
	}
	if (best > INT32_MAX)
		best = INT32_MAX;
	return (int)best;
}

void
http_engine_process(struct http_engine *eng, const struct pollfd *pfd, int n)
{
	int	running, ev;
	int64_t	now;

	for (int i = 0; i < n; i++) {
		if (pfd[i].revents == 0 || (pfd[i].revents & POLLNVAL))
			continue;
		size_t j;
		for (j = 0; j < eng->nsocks; j++)
			if (eng->socks[j].fd == pfd[i].fd)
				break;
		if (j == eng->nsocks)
			continue;	/* not ours, or closed meanwhile */
		ev = 0;
		if (pfd[i].revents & (POLLIN | POLLHUP))
			ev |= CURL_CSELECT_IN;
		if (pfd[i].revents & POLLOUT)
			ev |= CURL_CSELECT_OUT;
		if (pfd[i].revents & POLLERR)
			ev |= CURL_CSELECT_ERR;
		curl_multi_socket_action(eng->multi, pfd[i].fd, ev, &running);
	}
	for (int round = 0; round < HTTP_PROCESS_ROUNDS; round++) {
		now = sv_monotonic_ms();
		if (eng->timer_due >= 0 && eng->timer_due <= now) {
			eng->timer_due = -1;
			curl_multi_socket_action(eng->multi, CURL_SOCKET_TIMEOUT,
			    0, &running);
		}
		read_messages(eng);
		evaluate_finished(eng);
		pump(eng);
		/* Starting a transfer asks for an immediate timeout. */
		if (eng->timer_due < 0 || eng->timer_due > sv_monotonic_ms())
			break;
	}
}

void
http_engine_run_until(struct http_engine *eng, const bool *flag)
{
	while ((flag == NULL || !*flag) && http_engine_busy(eng))
		if (http_engine_poll(eng, 1000) != 0)	/* a safety tick */
			break;
}

int
http_engine_poll(struct http_engine *eng, int max_ms)
{
	struct pollfd	 small[16], *pfd = small;
	int		 n, t, result = 0;

	if (eng->nsocks + 1 > sizeof small / sizeof small[0])
		pfd = xreallocarray(NULL, eng->nsocks + 1, sizeof *pfd);
	n = http_engine_fds(eng, pfd, (int)(eng->nsocks + 1));
	t = http_engine_timeout_ms(eng);
	if (t < 0 || (max_ms >= 0 && t > max_ms))
		t = max_ms;
	if (poll(pfd, (nfds_t)n, t) == -1) {
		if (errno != EINTR)
			result = -1;
		n = 0;
	}
	http_engine_process(eng, pfd, n);
	if (pfd != small)
		free(pfd);
	return result;
}

/* ---- one blocking request ---------------------------------------------- */

struct http_simple_req {
	const char			*method;
	const char			*url;
	const struct http_headers	*headers;
	const void			*body;
	size_t				 body_len;
	long				 timeout_ms;
	struct http_response		*out;
	bool				 done;
};

static sv_result
simple_prepare(void *ud, struct http_send *s, int attempt, int64_t skew_ms,
    struct sv_err *err)
{
	struct http_simple_req	*r = ud;

	(void)attempt;
	(void)skew_ms;
	s->method = xstrdup(r->method != NULL ? r->method : "GET");
	if (buf_adds(&s->url, r->url) != SV_OK)
		return sv_err_set(err, SV_E_TOOLARGE, "URL too long");
	if (r->headers != NULL)
		for (size_t i = 0; i < r->headers->n; i++)
			http_headers_add(&s->headers, r->headers->v[i].name,
			    r->headers->v[i].value);
	s->body = r->body;
	s->body_len = r->body_len;
	/* Credential fetches change nothing: safe to repeat. */
	s->idempotent = true;
	s->timeout_ms = r->timeout_ms;
	return SV_OK;
}

static void
simple_done(void *ud, struct http_response *resp)
{
	struct http_simple_req	*r = ud;

	http_response_free(r->out);
	*r->out = *resp;
	/* Moved: leave the engine's copy empty. */
	memset(&resp->headers, 0, sizeof resp->headers);
	buf_init(&resp->body, BUF_MAX_HTTP_BODY);
	r->done = true;
}

static const struct http_request_ops simple_ops = {
	simple_prepare, NULL, simple_done
};

sv_result
http_simple(struct http_engine *eng, const char *method, const char *url,
    const struct http_headers *headers, const void *body, size_t body_len,
    long timeout_ms, struct http_response *out, struct sv_err *err)
{
	struct http_simple_req	 r;
	struct http_handle	*h;

	http_response_init(out);
	memset(&r, 0, sizeof r);
	r.method = method;
	r.url = url;
	r.headers = headers;
	r.body = body;
	r.body_len = body_len;
	r.timeout_ms = timeout_ms;
	r.out = out;
	h = http_submit(eng, &simple_ops, &r);
	http_engine_run_until(eng, &r.done);
	if (!r.done)
		http_cancel(h);
	if (out->result != SV_OK && err != NULL)
		sv_err_set(err, out->result, "%s", out->err.msg);
	return out->result;
}
