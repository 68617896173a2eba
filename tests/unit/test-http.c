/* test-http.c - the HTTP engine: backoff, retry quota, classification and
 * header helpers without a network; then the real engine against a tiny
 * HTTP/1.1 server served from threads of this test on 127.0.0.1. */
#include <config.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/http.h"
#include "aws/retry.h"
#include "util/str.h"
#include "util/time.h"
#include "tests/unit/tap.h"

/* ---- pure parts -------------------------------------------------------- */

static void
test_backoff(void)
{
	struct retry_rng	a, b, c;
	int64_t			d, cap;
	bool			in_bounds = true, same = true, differ = false;
	double			sum = 0;

	retry_rng_seed(&a, 42);
	retry_rng_seed(&b, 42);
	retry_rng_seed(&c, 43);
	for (int attempt = 1; attempt <= 10; attempt++) {
		cap = attempt >= 6 ? 20000 : (int64_t)1000 << (attempt - 1);
		for (int i = 0; i < 200; i++) {
			d = retry_backoff_ms(&a, attempt);
			if (d < 0 || d > cap)
				in_bounds = false;
			if (d != retry_backoff_ms(&b, attempt))
				same = false;
			if (d != retry_backoff_ms(&c, attempt))
				differ = true;
			if (attempt == 1)
				sum += (double)d;
		}
	}
	ok(in_bounds, "backoff: rand(0,1) x min(2^(n-1), 20) s stays in bounds");
	ok(same, "backoff: a fixed seed gives a fixed sequence");
	ok(differ, "backoff: another seed gives another sequence");
	ok(sum / 200 > 300 && sum / 200 < 700,
	    "backoff: first delays average about 500 ms (full jitter)");
	retry_rng_seed(&a, 7);
	ok(retry_backoff_ms(&a, 30) <= RETRY_MAX_BACKOFF_MS,
	    "backoff: capped at 20 s for late attempts");
}

static void
test_quota(void)
{
	struct retry_quota	q;
	int			n = 0;

	retry_quota_init(&q, 0);
	is_int(q.avail, 500, "quota: starts at 500");
	ok(retry_quota_acquire(&q, retry_cost(HTTP_RETRY_TRANSIENT)),
	    "quota: a transient retry is allowed");
	is_int(q.avail, 495, "quota: a retry costs 5");
	retry_quota_acquire(&q, retry_cost(HTTP_RETRY_TIMEOUT));
	is_int(q.avail, 485, "quota: a retry after a timeout costs 10");
	retry_quota_acquire(&q, retry_cost(HTTP_RETRY_THROTTLE));
	is_int(q.avail, 480, "quota: a throttling retry costs 5");
	is_int(retry_cost(HTTP_RETRY_SKEW), 0, "quota: re-signing for skew is free");
	retry_quota_release(&q, RETRY_NO_RETRY_REFUND);
	is_int(q.avail, 481, "quota: a success without retry refunds 1");
	retry_quota_release(&q, 5);
	is_int(q.avail, 486, "quota: a success after a retry refunds its cost");
	retry_quota_release(&q, 1000);
	is_int(q.avail, 500, "quota: never above the maximum");
	while (retry_quota_acquire(&q, 5))
		n++;
	is_int(n, 100, "quota: 100 retries empty the bucket");
	ok(!retry_quota_acquire(&q, 5), "quota: empty means no more retries");
	retry_quota_init(&q, 12);
	ok(retry_quota_acquire(&q, 10) && !retry_quota_acquire(&q, 5),
	    "quota: a retry that would overdraw is refused");
}

static void
test_classify(void)
{
	is_int(retry_classify_status(500), HTTP_RETRY_TRANSIENT, "status 500");
	is_int(retry_classify_status(502), HTTP_RETRY_TRANSIENT, "status 502");
	is_int(retry_classify_status(503), HTTP_RETRY_TRANSIENT, "status 503");
	is_int(retry_classify_status(504), HTTP_RETRY_TRANSIENT, "status 504");
	is_int(retry_classify_status(429), HTTP_RETRY_THROTTLE, "status 429");
	is_int(retry_classify_status(501), HTTP_NO_RETRY, "status 501");
	is_int(retry_classify_status(404), HTTP_NO_RETRY, "status 404");
	is_int(retry_classify_status(200), HTTP_NO_RETRY, "status 200");
	ok(retry_safe(HTTP_RETRY_THROTTLE, false, true),
	    "non-idempotent: throttling proves nothing was applied");
	ok(retry_safe(HTTP_RETRY_SKEW, false, true),
	    "non-idempotent: a skew rejection proves nothing was applied");
	ok(!retry_safe(HTTP_RETRY_TRANSIENT, false, true),
	    "non-idempotent: never after a 5xx");
	ok(!retry_safe(HTTP_RETRY_TIMEOUT, true, true),
	    "non-idempotent: never after a timeout once sent");
	ok(!retry_safe(HTTP_RETRY_TRANSIENT, true, true),
	    "non-idempotent: never after a reset once sent");
	ok(retry_safe(HTTP_RETRY_TRANSIENT, true, false),
	    "non-idempotent: after a failure to connect");
	ok(retry_safe(HTTP_RETRY_TIMEOUT, true, false),
	    "non-idempotent: after a connect timeout");
	is_str(http_status_text(503), "Service Unavailable", "status text");
}

static void
test_headers(void)
{
	struct http_headers	h;

	memset(&h, 0, sizeof h);
	ok(http_headers_get(&h, "x") == NULL, "headers: empty list");
	http_headers_add(&h, "Content-Type", "text/xml");
	http_headers_add(&h, "x-amz-request-id", "A");
	http_headers_add(&h, "X-Amz-Request-Id", "B");
	http_headers_add(&h, "Empty", NULL);
	is_str(http_headers_get(&h, "content-type"), "text/xml",
	    "headers: case-insensitive lookup");
	is_str(http_headers_get(&h, "X-AMZ-REQUEST-ID"), "A",
	    "headers: first match wins");
	is_str(http_headers_get(&h, "empty"), "", "headers: NULL value is \"\"");
	ok(http_headers_get(&h, "nope") == NULL, "headers: absent is NULL");
	is_int(h.n, 4, "headers: count");
	http_headers_free(&h);
	is_int(h.n, 0, "headers: freed");
}

/* ---- a tiny HTTP server ------------------------------------------------ */

struct reply {
	int		 status;
	const char	*reason;
	char		 extra[512];	/* more header lines, each ending \r\n */
	const char	*body;
	size_t		 body_len;
	long		 declared;	/* Content-Length sent; -1: body_len */
	int		 delay_ms;
	bool		 close;		/* close after this response */
	bool		 huge;		/* stream 65 MiB */
};

typedef void (*script_fn)(int n, const char *head, struct reply *);

static struct {
	int		 lfd;
	int		 port;
	pthread_t	 thr;
	pthread_mutex_t	 mu;
	int		 requests;
	int		 active, max_active;
	int		 conns;
	int		 gen;		/* bumped by server_reset(): counts are per test */
	volatile bool	 stop;
	script_fn	 script;
	char		 last_head[8192];
	size_t		 last_body_len;
} srv = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void
msleep(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static bool
write_all(int fd, const void *p, size_t n)
{
	const char	*c = p;
	ssize_t		 w;

	while (n > 0) {
		w = send(fd, c, n, MSG_NOSIGNAL);
		if (w <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			return false;
		}
		c += w;
		n -= (size_t)w;
	}
	return true;
}

static void *
serve_conn(void *arg)
{
	int	 fd = (int)(intptr_t)arg;
	char	*buf = malloc(1 << 20);
	size_t	 have = 0;

	for (;;) {
		char		*end, *cl, hdr[1024];
		size_t		 head_len, body_len = 0, need;
		ssize_t		 r;
		struct reply	 rp;
		int		 n, gen;

		while ((end = memmem(buf, have, "\r\n\r\n", 4)) == NULL) {
			r = recv(fd, buf + have, (1 << 20) - have - 1, 0);
			if (r <= 0)
				goto out;
			have += (size_t)r;
		}
		head_len = (size_t)(end - buf) + 4;
		buf[head_len - 1] = '\0';
		if ((cl = strcasestr(buf, "\r\nContent-Length:")) != NULL &&
		    cl < end)
			body_len = strtoul(cl + 17, NULL, 10);
		buf[head_len - 1] = '\n';
		need = head_len + body_len;
		while (have < need) {
			r = recv(fd, buf + have, (1 << 20) - have - 1, 0);
			if (r <= 0)
				goto out;
			have += (size_t)r;
		}
		pthread_mutex_lock(&srv.mu);
		gen = srv.gen;
		n = ++srv.requests;
		if (++srv.active > srv.max_active)
			srv.max_active = srv.active;
		memcpy(srv.last_head, buf, head_len < sizeof srv.last_head ?
		    head_len : sizeof srv.last_head - 1);
		srv.last_head[head_len < sizeof srv.last_head ? head_len :
		    sizeof srv.last_head - 1] = '\0';
		srv.last_body_len = body_len;
		pthread_mutex_unlock(&srv.mu);

		memset(&rp, 0, sizeof rp);
		rp.status = 200;
		rp.reason = "OK";
		rp.body = "hello";
		rp.body_len = 5;
		rp.declared = -1;
		srv.script(n, buf, &rp);
		for (int t = 0; t < rp.delay_ms && !srv.stop; t += 10)
			msleep(10);
		if (rp.huge) {
			static char	zeros[65536];

			snprintf(hdr, sizeof hdr, "HTTP/1.1 200 OK\r\n"
			    "Content-Length: %lu\r\n\r\n", 65UL << 20);
			if (write_all(fd, hdr, strlen(hdr)))
				for (size_t i = 0; i < (65UL << 20) / sizeof zeros; i++)
					if (!write_all(fd, zeros, sizeof zeros))
						break;
			rp.close = true;
		} else {
			snprintf(hdr, sizeof hdr, "HTTP/1.1 %d %s\r\n"
			    "Content-Length: %ld\r\n%s%s\r\n", rp.status, rp.reason,
			    rp.declared >= 0 ? rp.declared : (long)rp.body_len,
			    rp.extra, rp.close ? "Connection: close\r\n" : "");
			write_all(fd, hdr, strlen(hdr));
			write_all(fd, rp.body, rp.body_len);
		}
		pthread_mutex_lock(&srv.mu);
		if (gen == srv.gen)	/* not a leftover of an earlier test */
			srv.active--;
		pthread_mutex_unlock(&srv.mu);
		if (rp.close)
			goto out;
		memmove(buf, buf + need, have - need);
		have -= need;
	}
out:
	close(fd);
	free(buf);
	return NULL;
}

static void *
serve(void *arg)
{
	struct pollfd	pfd;
	pthread_t	t;
	int		fd;

	(void)arg;
	while (!srv.stop) {
		pfd.fd = srv.lfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		if ((fd = accept(srv.lfd, NULL, NULL)) == -1)
			continue;
		pthread_mutex_lock(&srv.mu);
		srv.conns++;
		pthread_mutex_unlock(&srv.mu);
		pthread_create(&t, NULL, serve_conn, (void *)(intptr_t)fd);
		pthread_detach(t);
	}
	return NULL;
}

static int
listen_any(int *port)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    listen(fd, 64) == -1) {
		perror("test server");
		exit(1);
	}
	getsockname(fd, (struct sockaddr *)&sa, &len);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
server_start(void)
{
	srv.lfd = listen_any(&srv.port);
	srv.stop = false;
	pthread_create(&srv.thr, NULL, serve, NULL);
}

static void
server_reset(script_fn fn)
{
	pthread_mutex_lock(&srv.mu);
	srv.script = fn;
	srv.gen++;
	srv.requests = srv.active = srv.max_active = srv.conns = 0;
	srv.last_head[0] = '\0';
	pthread_mutex_unlock(&srv.mu);
}

static int
server_requests(void)
{
	int	n;

	pthread_mutex_lock(&srv.mu);
	n = srv.requests;
	pthread_mutex_unlock(&srv.mu);
	return n;
}

/* ---- scripts ----------------------------------------------------------- */

static void
script_ok(int n, const char *head, struct reply *r)
{
	(void)n;
	(void)head;
	snprintf(r->extra, sizeof r->extra, "X-Test: Value\r\n"
	    "x-amzn-RequestId: rid-%d\r\n", n);
}

static void
script_503_twice(int n, const char *head, struct reply *r)
{
	(void)head;
	if (n <= 2) {
		r->status = 503;
		r->reason = "Service Unavailable";
		r->body = "busy";
		r->body_len = 4;
	}
}

static void
script_503(int n, const char *head, struct reply *r)
{
	(void)n;
	(void)head;
	r->status = 503;
	r->reason = "Service Unavailable";
}

static void
script_slow(int n, const char *head, struct reply *r)
{
	script_ok(n, head, r);
	r->delay_ms = 150;
}

static void
script_late(int n, const char *head, struct reply *r)
{
	script_ok(n, head, r);
	r->delay_ms = 800;
}

static void
script_hang(int n, const char *head, struct reply *r)
{
	(void)n;
	(void)head;
	r->delay_ms = 3000;
}

static void
script_fast_then_hang(int n, const char *head, struct reply *r)
{
	(void)n;
	if (strstr(head, "/hang") != NULL)
		r->delay_ms = 3000;
}

static void
script_skew(int n, const char *head, struct reply *r)
{
	char		date[64];
	time_t		t = time(NULL) + 3600;
	struct tm	tm;

	(void)head;
	if (n == 1) {
		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		r->status = 403;
		r->reason = "Forbidden";
		snprintf(r->extra, sizeof r->extra, "Date: %s\r\n", date);
		r->body = "skewed";
		r->body_len = 6;
	}
}

static void
script_truncate_once(int n, const char *head, struct reply *r)
{
	(void)head;
	if (n == 1) {
		r->declared = 100;
		r->body = "0123456789";
		r->body_len = 10;
		r->close = true;
	}
}

static void
script_huge(int n, const char *head, struct reply *r)
{
	(void)n;
	(void)head;
	r->huge = true;
}

/* ---- a request under test ---------------------------------------------- */

struct treq {
	char			 url[256];
	const char		*method;
	const void		*body;
	size_t			 body_len;
	bool			 idempotent;
	bool			 skew_is_retry;	/* classify 403 as HTTP_RETRY_SKEW */
	long			 timeout_ms;
	long			 timeout_extra_ms;
	int			 nprepare;
	int64_t			 skews[8];
	int			 done_calls;
	long			 status;
	sv_result		 result;
	int			 attempts;
	char			 err[SV_ERR_MSG_MAX];
	char			 xtest[64];
	char			 body_got[64];
	bool			 finished;
	struct http_handle	*cancel_in_done;
	struct treq		*nested;	/* run to completion inside done() */
	struct http_engine	*engine;
};

static const struct http_request_ops t_ops;

static sv_result
t_prepare(void *ud, struct http_send *s, int attempt, int64_t skew_ms,
    struct sv_err *err)
{
	struct treq	*t = ud;

	(void)attempt;
	(void)err;
	if (t->nprepare < 8)
		t->skews[t->nprepare] = skew_ms;
	t->nprepare++;
	s->method = strdup(t->method != NULL ? t->method : "GET");
	buf_adds(&s->url, t->url);
	http_headers_add(&s->headers, "X-Probe", "1");
	s->body = t->body;
	s->body_len = t->body_len;
	s->idempotent = t->idempotent;
	s->timeout_ms = t->timeout_ms;
	s->timeout_extra_ms = t->timeout_extra_ms;
	return SV_OK;
}

static enum http_retry
t_classify(void *ud, const struct http_response *r)
{
	struct treq	*t = ud;

	if (t->skew_is_retry && r->status == 403)
		return HTTP_RETRY_SKEW;
	return retry_classify_status(r->status);
}

static void
t_done(void *ud, struct http_response *r)
{
	struct treq	*t = ud;
	const char	*v;

	t->done_calls++;
	t->status = r->status;
	t->result = r->result;
	t->attempts = r->attempts;
	snprintf(t->err, sizeof t->err, "%s", r->err.msg);
	if ((v = http_headers_get(&r->headers, "x-test")) != NULL)
		snprintf(t->xtest, sizeof t->xtest, "%s", v);
	snprintf(t->body_got, sizeof t->body_got, "%.*s",
	    (int)(r->body.len < 63 ? r->body.len : 63), buf_str(&r->body));
	t->finished = true;
	if (t->cancel_in_done != NULL)
		http_cancel(t->cancel_in_done);
	if (t->nested != NULL) {
		http_submit(t->engine, &t_ops, t->nested);
		http_engine_run_until(t->engine, &t->nested->finished);
	}
}

static const struct http_request_ops t_ops = {
	t_prepare, t_classify, t_done
};

static void
treq_init(struct treq *t, const char *path)
{
	memset(t, 0, sizeof *t);
	snprintf(t->url, sizeof t->url, "http://127.0.0.1:%d%s", srv.port, path);
	t->idempotent = true;
}

static struct http_engine *
engine(int max_attempts, int per_host, long timeout_ms)
{
	struct http_engine_opts	o;
	struct sv_err		err;
	struct http_engine	*e;

	memset(&o, 0, sizeof o);
	o.max_attempts = max_attempts;
	o.max_per_host = per_host;
	o.request_timeout_ms = timeout_ms;
	o.jitter_seed = 1234;
	sv_err_init(&err);
	e = http_engine_new(&o, &err);
	if (e == NULL) {
		printf("Bail out! engine: %s\n", err.msg);
		exit(1);
	}
	return e;
}

/* ---- engine tests ------------------------------------------------------ */

static void
test_retry_then_ok(void)
{
	struct http_engine	*e = engine(3, 0, 0);
	struct treq		 t;

	server_reset(script_503_twice);
	treq_init(&t, "/x");
	http_submit(e, &t_ops, &t);
	ok(t.nprepare == 0, "submit: nothing happens inside http_submit");
	http_engine_run_until(e, &t.finished);
	is_int(t.done_calls, 1, "503, 503, 200: done called once");
	is_int(t.status, 200, "503, 503, 200: status 200");
	is_int(t.attempts, 3, "503, 503, 200: three attempts");
	is_int(t.result, SV_OK, "503, 503, 200: result OK");
	is_str(t.body_got, "hello", "503, 503, 200: body of the last attempt");
	ok(!http_engine_busy(e), "engine idle afterwards");
	http_engine_free(e);
}

static void
test_exhausted(void)
{
	struct http_engine	*e = engine(3, 0, 0);
	struct treq		 t, u;

	server_reset(script_503);
	treq_init(&t, "/x");
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	is_int(t.status, 503, "503 forever: last status");
	is_int(t.attempts, 3, "503 forever: three attempts");
	is_int(t.result, SV_OK, "503 forever: result OK (an HTTP response)");
	is_str(t.err, "gave up after 3 attempts: 503 Service Unavailable",
	    "503 forever: err says what happened");

	server_reset(script_503);
	treq_init(&u, "/x");
	u.idempotent = false;
	http_submit(e, &t_ops, &u);
	http_engine_run_until(e, &u.finished);
	is_int(u.attempts, 1, "non-idempotent 503: not retried");
	ok(strstr(u.err, "not idempotent") != NULL,
	    "non-idempotent 503: err says why");
	diag("%s", u.err);
	http_engine_free(e);
}

static void
test_refused(void)
{
	struct http_engine	*e = engine(3, 0, 0);
	struct treq		 t;
	char			 want[128];
	int			 port, fd;

	fd = listen_any(&port);
	close(fd);	/* nothing listens there now */
	memset(&t, 0, sizeof t);
	snprintf(t.url, sizeof t.url, "http://127.0.0.1:%d/", port);
	t.idempotent = false;	/* never sent: retried anyway */
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	is_int(t.result, SV_E_NET, "refused: SV_E_NET");
	is_int(t.status, 0, "refused: no status");
	is_int(t.attempts, 3, "refused: retried (nothing was sent)");
	snprintf(want, sizeof want, "connection refused by 127.0.0.1:%d "
	    "(3 attempts)", port);
	is_str(t.err, want, "refused: message");
	http_engine_free(e);
}

static void
test_timeout(void)
{
	struct http_engine	*e = engine(2, 0, 300);
	struct treq		 t;
	int64_t			 t0;

	server_reset(script_hang);
	treq_init(&t, "/slow");
	t0 = sv_monotonic_ms();
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	is_int(t.result, SV_E_TIMEOUT, "timeout: SV_E_TIMEOUT");
	is_int(t.attempts, 2, "timeout: retried up to max attempts");
	ok(strstr(t.err, "timed out after 300 ms") != NULL &&
	    strstr(t.err, "(2 attempts)") != NULL, "timeout: message");
	diag("%s", t.err);
	ok(sv_monotonic_ms() - t0 < 2900, "timeout: did not wait for the server");
	http_engine_free(e);

	setenv("SALVAGE_HTTP_TIMEOUT_MS", "200", 1);
	e = engine(1, 0, 10000);
	unsetenv("SALVAGE_HTTP_TIMEOUT_MS");
	server_reset(script_hang);
	treq_init(&t, "/slow");
	t0 = sv_monotonic_ms();
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	is_int(t.result, SV_E_TIMEOUT, "SALVAGE_HTTP_TIMEOUT_MS caps attempts");
	ok(sv_monotonic_ms() - t0 < 1500, "SALVAGE_HTTP_TIMEOUT_MS: quick");
	http_engine_free(e);
}

/* Server-side work (a copy) gets its extra time on top of the per-attempt
 * timeout, even under SALVAGE_HTTP_TIMEOUT_MS; other requests do not. */
static void
test_timeout_extra(void)
{
	struct http_engine	*e;
	struct treq		 t;

	setenv("SALVAGE_HTTP_TIMEOUT_MS", "300", 1);
	e = engine(1, 0, 0);
	unsetenv("SALVAGE_HTTP_TIMEOUT_MS");
	server_reset(script_late);
	treq_init(&t, "/copy");
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	is_int(t.result, SV_E_TIMEOUT, "an 800 ms answer: over a 300 ms attempt");

	treq_init(&t, "/copy");
	t.timeout_extra_ms = 3000;
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	ok(t.result == SV_OK && t.status == 200,
	    "an 800 ms answer: within 300 ms + 3 s extra");
	http_engine_free(e);

	/* The extra time also holds off the stall check (no byte for 1 s). */
	e = engine(1, 0, 300);
	server_reset(script_hang);
	treq_init(&t, "/copy");
	t.timeout_extra_ms = 1500;
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	ok(t.result == SV_E_TIMEOUT && strstr(t.err, "timed out after") != NULL,
	    "a hung copy still times out, after its extra time");
	diag("%s", t.err);
	http_engine_free(e);
}

static void
test_cancel(void)
{
	struct http_engine	*e = engine(3, 0, 0);
	struct http_handle	*h, *h2;
	struct treq		 t, a, b;
	int64_t			 deadline;

	server_reset(script_hang);
	treq_init(&t, "/hang");
	h = http_submit(e, &t_ops, &t);
	deadline = sv_monotonic_ms() + 2000;
	while (server_requests() == 0 && sv_monotonic_ms() < deadline) {
		struct pollfd	pfd[16];
		int		n = http_engine_fds(e, pfd, 16);
		int		to = http_engine_timeout_ms(e);

		poll(pfd, (nfds_t)n, to < 0 || to > 20 ? 20 : to);
		http_engine_process(e, pfd, n);
	}
	ok(server_requests() == 1 && !t.finished, "cancel: request in flight");
	http_cancel(h);
	is_int(t.done_calls, 1, "cancel: done called from inside http_cancel");
	is_int(t.result, SV_E_CANCELLED, "cancel: SV_E_CANCELLED");
	ok(!http_engine_busy(e), "cancel: engine idle");

	/* Cancelled before it ever started. */
	treq_init(&t, "/hang");
	h = http_submit(e, &t_ops, &t);
	http_cancel(h);
	ok(t.done_calls == 1 && t.result == SV_E_CANCELLED && t.attempts == 0 &&
	    t.nprepare == 0, "cancel: a queued request never prepared");

	/* Cancelling another request from inside a done callback. */
	server_reset(script_fast_then_hang);
	treq_init(&a, "/fast");
	treq_init(&b, "/hang");
	http_submit(e, &t_ops, &a);
	h2 = http_submit(e, &t_ops, &b);
	a.cancel_in_done = h2;
	http_engine_run_until(e, NULL);
	ok(a.result == SV_OK && a.status == 200, "cancel in done: first OK");
	ok(b.done_calls == 1 && b.result == SV_E_CANCELLED,
	    "cancel in done: second cancelled once");

	/* A blocking run of the engine from inside a done callback. */
	server_reset(script_ok);
	treq_init(&a, "/outer");
	treq_init(&b, "/inner");
	a.nested = &b;
	a.engine = e;
	http_submit(e, &t_ops, &a);
	http_engine_run_until(e, &a.finished);
	ok(a.status == 200 && b.status == 200 && b.done_calls == 1 &&
	    !http_engine_busy(e), "nested run_until inside done");

	/* Freeing the engine cancels everything. */
	server_reset(script_hang);
	treq_init(&t, "/hang");
	http_submit(e, &t_ops, &t);
	http_engine_free(e);
	ok(t.done_calls == 1 && t.result == SV_E_CANCELLED,
	    "free: pending requests are cancelled");
}

static void
test_per_host(void)
{
	struct http_engine	*e = engine(3, 2, 0);
	struct treq		 t[6];
	bool			 all = true;

	server_reset(script_slow);
	for (int i = 0; i < 6; i++) {
		treq_init(&t[i], "/p");
		http_submit(e, &t_ops, &t[i]);
	}
	http_engine_run_until(e, NULL);
	for (int i = 0; i < 6; i++)
		if (t[i].status != 200 || t[i].done_calls != 1)
			all = false;
	ok(all, "per-host: all six requests done");
	is_int(srv.max_active, 2, "per-host: at most 2 at a time (and 2 in parallel)");
	ok(srv.conns <= 2, "per-host: connections reused");
	diag("server saw %d connections for 6 requests", srv.conns);
	http_engine_free(e);
}

static void
test_external_poll(void)
{
	struct http_engine	*e = engine(3, 0, 0);
	struct treq		 t;
	struct pollfd		 pfd[17];
	int			 p[2], n, to, max_fds = 0, loops = 0;
	char			 c;

	server_reset(script_slow);
	if (pipe(p) == -1)
		abort();
	treq_init(&t, "/poll");
	http_submit(e, &t_ops, &t);
	while (!t.finished && loops++ < 1000) {
		pfd[0].fd = p[0];
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		n = http_engine_fds(e, pfd + 1, 16);
		if (n > max_fds)
			max_fds = n;
		to = http_engine_timeout_ms(e);
		poll(pfd, (nfds_t)n + 1, to);
		if (pfd[0].revents & POLLIN)
			(void)read(p[0], &c, 1);
		/* The engine is handed the whole array, the pipe included. */
		http_engine_process(e, pfd, n + 1);
	}
	ok(t.finished && t.status == 200, "poll loop: request done");
	ok(max_fds >= 1, "poll loop: engine exposed its socket");
	is_str(t.xtest, "Value", "poll loop: response headers collected");
	close(p[0]);
	close(p[1]);
	http_engine_free(e);
}

static void
test_skew(void)
{
	struct http_engine	*e = engine(3, 0, 0);
	struct treq		 t;
	int64_t			 s;

	server_reset(script_skew);
	treq_init(&t, "/skew");
	t.skew_is_retry = true;
	t.idempotent = false;	/* a skew rejection is safe to retry */
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	is_int(t.status, 200, "skew: succeeds after re-signing");
	is_int(t.attempts, 2, "skew: two attempts");
	is_int(t.skews[0], 0, "skew: first attempt without correction");
	s = t.skews[1];
	ok(s > 3597000 && s < 3602000, "skew: second attempt corrected by ~1 h");
	diag("skew passed to prepare: %lld ms", (long long)s);
	ok(http_engine_skew_ms(e) == s, "skew: http_engine_skew_ms");
	http_engine_free(e);
}

static void
test_misc(void)
{
	struct http_engine	*e = engine(3, 0, 0);
	struct http_response	 r;
	struct http_headers	 h;
	struct treq		 t;
	struct sv_err		 err;
	char			 url[128], *big;

	/* Truncated body: retried. */
	server_reset(script_truncate_once);
	treq_init(&t, "/trunc");
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	ok(t.status == 200 && t.attempts == 2, "truncated body: retried");

	/* What goes on the wire. */
	server_reset(script_ok);
	treq_init(&t, "/a/../b//c%20d");
	big = malloc(4096);
	memset(big, 'x', 4096);
	t.method = "POST";
	t.body = big;
	t.body_len = 4096;
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	diag("request seen: %.60s", srv.last_head);
	ok(str_starts(srv.last_head, "POST /a/../b//c%20d HTTP/1.1\r\n"),
	    "wire: path sent as is (CURLOPT_PATH_AS_IS)");
	ok(strcasestr(srv.last_head, "\r\nExpect:") == NULL,
	    "wire: no Expect: 100-continue");
	ok(strcasestr(srv.last_head, "\r\nContent-Type:") == NULL,
	    "wire: no form Content-Type added by curl");
	ok(strcasestr(srv.last_head, "\r\nAccept-Encoding:") == NULL,
	    "wire: no Accept-Encoding");
	ok(strstr(srv.last_head, "\r\nUser-Agent: salvage/") != NULL,
	    "wire: User-Agent salvage/VERSION");
	ok(strstr(srv.last_head, "\r\nX-Probe: 1\r\n") != NULL,
	    "wire: prepared headers sent");
	is_int(srv.last_body_len, 4096, "wire: the whole body sent");
	ok(t.status == 200 && strcmp(t.xtest, "Value") == 0,
	    "wire: response and its headers");
	free(big);

	/* http_simple */
	memset(&h, 0, sizeof h);
	http_headers_add(&h, "X-Simple", "yes");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/simple", srv.port);
	sv_err_init(&err);
	server_reset(script_503_twice);
	is_int(http_simple(e, "GET", url, &h, NULL, 0, 0, &r, &err), SV_OK,
	    "http_simple: OK");
	ok(r.status == 200 && r.attempts == 3 &&
	    strcmp(buf_str(&r.body), "hello") == 0,
	    "http_simple: retried to a 200 with the body");
	ok(strstr(srv.last_head, "X-Simple: yes") != NULL,
	    "http_simple: headers sent");
	http_response_free(&r);
	http_headers_free(&h);

	/* Body cap. */
	server_reset(script_huge);
	treq_init(&t, "/huge");
	http_submit(e, &t_ops, &t);
	http_engine_run_until(e, &t.finished);
	is_int(t.result, SV_E_TOOLARGE, "body over BUF_MAX_HTTP_BODY: TOOLARGE");
	is_int(t.attempts, 1, "body over the cap: not retried");
	http_engine_free(e);
}

int
main(void)
{
	test_backoff();
	test_quota();
	test_classify();
	test_headers();

	server_start();
	test_retry_then_ok();
	test_exhausted();
	test_refused();
	test_timeout();
	test_timeout_extra();
	test_cancel();
	test_per_host();
	test_external_poll();
	test_skew();
	test_misc();
	srv.stop = true;
	pthread_join(srv.thr, NULL);
	close(srv.lfd);
	return done_testing();
}
