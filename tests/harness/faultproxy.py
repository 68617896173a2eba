"""An HTTP/1.1 fault-injecting reverse proxy for tests.

    with Moto() as m, FaultProxy(m.url) as p:
        env = m.env({"AWS_ENDPOINT_URL": p.url})
        p.throttle_json(match="DynamoDB_20120810.ListTables", count=2)
        run salvage with env ...
        assert p.requests[0]["target"] == "DynamoDB_20120810.ListTables"

It listens on a free loopback port and serves from a background thread of
the test process (ThreadingHTTPServer, keep-alive, HTTP/1.1).  Every
request is forwarded to the upstream (normally the Moto URL) with its
method, path+query, headers and body unchanged, *including Host*: the
client signed SigV4 for the proxy's host:port, and moto (with auth off, the
default) does not check signatures, so the mismatch with moto's own port
does not matter.  If a test turns moto's auth on
(INITIAL_NO_AUTH_ACTION_COUNT), signatures still verify because Host is
forwarded exactly as signed.  Only hop-by-hop headers (Connection,
Keep-Alive, Proxy-*, TE, Trailer, Upgrade) and Expect (the proxy has
already answered ``100-continue`` itself) are not passed on; a chunked
request body is de-chunked and forwarded with a Content-Length.

Request log: ``.requests`` is a list of dicts, one per request, in arrival
order:
    id        1, 2, ...
    conn      serial number of the client connection (keep-alive shows as
              several requests with the same conn)
    method    "GET", ...
    path      path with query string, as sent ("/bucket?versions")
    headers   dict, lower-case names (repeats joined with ", ")
    raw_headers  list of (name, value) as received
    body      bytes
    target    X-Amz-Target ("DynamoDB_20120810.Scan"), else the Action= of
              a form body or query ("GetCallerIdentity"), else None
    service   the SigV4 credential-scope service ("s3", "dynamodb", ...)
    time      time.time() at arrival
    fault     kind of fault applied ("delay", "status", ...) or None
    forwarded True once sent upstream
    status    status code sent back to the client (None if none was sent)

Faults are queued; each incoming request takes the FIRST queued fault that
matches it and still has uses left (one fault per request).  Every fault
method takes ``match`` (None = any request; a callable on the record; or a
substring of "METHOD path target", e.g. "ListTables" or "GET /northwind")
and ``count`` (how many matching requests it applies to, default 1;
None = every matching request until clear()).  Each returns the Fault,
whose ``.hits`` and ``.records`` tell what it applied to.

Nothing waits forever: delays and holds end when the proxy stops, a held
request is forwarded anyway after ``hold_timeout`` seconds (default 60),
upstream calls time out, and every wait_* method takes a timeout.
"""

import email.utils
import http
import http.client
import http.server
import json
import re
import socket
import sys
import threading
import time
import traceback
import urllib.parse

__all__ = ["FaultProxy", "Fault"]

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection",
              "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "trailers", "transfer-encoding", "upgrade"}

_CRED_RE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")


class Fault:
    """One queued fault.  kind is one of: delay, status, truncate, corrupt,
    drop, hold, skew_date."""

    def __init__(self, kind, match=None, count=1, **params):
        if count is not None and count < 1:
            raise ValueError("count must be >= 1 or None")
        self.kind = kind
        self.match = match
        self.remaining = count
        self.params = params
        self.hits = 0
        self.records = []

    def matches(self, rec):
        m = self.match
        if m is None:
            return True
        if callable(m):
            return bool(m(rec))
        return str(m) in _match_text(rec)

    def __repr__(self):
        return "<Fault %s match=%r remaining=%r hits=%d>" % (
            self.kind, self.match, self.remaining, self.hits)


def _match_text(rec):
    return "%s %s %s" % (rec["method"], rec["path"], rec["target"] or "")


def _protocol(rec):
    if "x-amz-target" in rec["headers"]:
        return "json"
    if rec["service"] == "backup":
        return "rest-json"
    if rec["target"]:
        return "query"
    return "rest-xml"


def _error_body(rec, status, code, message):
    """(body, headers) of an AWS error in the request's protocol."""
    proto = _protocol(rec)
    rid = "faultproxy-%d" % rec["id"]
    if proto == "json":
        body = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#" + code,
                           "message": message}).encode()
        return body, {"Content-Type": "application/x-amz-json-1.0",
                      "x-amzn-ErrorType": code, "x-amzn-RequestId": rid}
    if proto == "rest-json":
        body = json.dumps({"Message": message, "Code": code}).encode()
        return body, {"Content-Type": "application/json",
                      "x-amzn-ErrorType": code, "x-amzn-RequestId": rid}
    if proto == "query":
        body = ("<ErrorResponse><Error><Type>%s</Type><Code>%s</Code>"
                "<Message>%s</Message></Error><RequestId>%s</RequestId>"
                "</ErrorResponse>" % ("Receiver" if status >= 500 else "Sender",
                                      code, message, rid)).encode()
        return body, {"Content-Type": "text/xml", "x-amzn-RequestId": rid}
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code>'
            "<Message>%s</Message><RequestId>%s</RequestId>"
            "<HostId>faultproxy</HostId></Error>" % (code, message, rid)).encode()
    return body, {"Content-Type": "application/xml", "x-amz-request-id": rid}


def _corrupt(body):
    """Same length, malformed: swap < > with { } so neither XML nor JSON
    parses; a body with none of those becomes 0xff bytes."""
    out = body.translate(bytes.maketrans(b"<>{}", b"{}<>"))
    if out == body and body:
        out = b"\xff" * len(body)
    return out


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultproxy"

    def setup(self):
        super().setup()
        self.proxy = self.server.proxy
        self.conn_id = self.proxy._register_conn(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.proxy._unregister_conn(self.connection)

    def log_message(self, fmt, *args):
        pass

    # every method goes through _proxy
    def do_GET(self):
        self._proxy()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    # -- request

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks), True
        n = int(self.headers.get("Content-Length") or 0)
        return (self.rfile.read(n) if n > 0 else b""), False

    def _record(self):
        body, chunked = self._read_body()
        raw = list(self.headers.items())
        hdrs = {}
        for k, v in raw:
            lk = k.lower()
            hdrs[lk] = hdrs[lk] + ", " + v if lk in hdrs else v
        target = hdrs.get("x-amz-target")
        if not target:
            q = urllib.parse.urlsplit(self.path).query
            form = ""
            if "x-www-form-urlencoded" in hdrs.get("content-type", ""):
                form = body.decode("utf-8", "replace")
            for src in (form, q):
                a = urllib.parse.parse_qs(src).get("Action")
                if a:
                    target = a[0]
                    break
        m = _CRED_RE.search(hdrs.get("authorization", "")) or _CRED_RE.search(
            "Credential=" + urllib.parse.unquote(
                (urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                 .get("X-Amz-Credential") or [""])[0]))
        return {
            "id": None, "conn": self.conn_id, "method": self.command,
            "path": self.path, "headers": hdrs, "raw_headers": raw,
            "body": body, "chunked": chunked, "target": target,
            "service": m.group(1) if m else None, "time": time.time(),
            "fault": None, "forwarded": False, "status": None,
        }

    # -- response

    def _send(self, code, headers, body, send_body=True, partial=None):
        """headers: list of (name, value).  Content-Length must be in it
        when there is a body.  partial: send only that many body bytes,
        then close."""
        try:
            reason = http.HTTPStatus(code).phrase
        except ValueError:
            reason = "Fault"
        self.send_response_only(code, reason)
        for k, v in headers:
            self.send_header(k, v)
        if self.close_connection or partial is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if send_body and body:
            self.wfile.write(body if partial is None else body[:partial])
        self.wfile.flush()

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _proxy(self):
        p = self.proxy
        rec = self._record()
        fault = p._admit(rec)
        kind = fault.kind if fault else None
        params = fault.params if fault else {}

        if kind == "delay":
            p._stopping.wait(params["seconds"])
        elif kind == "hold":
            p._hold(rec)
        elif kind == "drop" and not params.get("forward"):
            self._drop()
            return
        elif kind == "status":
            if params.get("respond"):
                code, body, extra = params["respond"](rec)
            else:
                code, body, extra = params["code"], params["body"], params["headers"]
                if callable(body):
                    body = body(rec)
                if callable(extra):
                    extra = extra(rec)
            hdrs = {"Content-Type": "application/xml" if body[:1] == b"<" else
                    "application/x-amz-json-1.0" if body[:1] == b"{" else
                    "text/plain",
                    "Date": email.utils.formatdate(usegmt=True),
                    "x-amzn-RequestId": "faultproxy-%d" % rec["id"]}
            for k, v in (extra or {}).items():
                for old in [h for h in hdrs if h.lower() == k.lower()]:
                    del hdrs[old]
                hdrs[k] = v
            hdrs["Content-Length"] = str(len(body))
            rec["status"] = code
            self._send(code, list(hdrs.items()), body,
                       send_body=self.command != "HEAD")
            return

        if p._stopping.is_set():
            self._drop()
            return
        try:
            code, headers, body = p._forward(rec)
        except Exception as e:
            p.errors.append("upstream: %s %s: %r" % (rec["method"], rec["path"], e))
            msg = ("faultproxy: upstream error: %r" % e).encode()
            rec["status"] = 502
            self._send(502, [("Content-Type", "text/plain"),
                             ("Content-Length", str(len(msg)))], msg)
            return

        if kind == "drop":  # forward=True: upstream acted, client never hears
            self._drop()
            return
        head = self.command == "HEAD" or code in (204, 304) or code < 200
        if not head:
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        partial = None
        if kind == "truncate":
            amount = params["amount"]
            if isinstance(amount, float) and 0 <= amount < 1:
                partial = int(len(body) * amount)
            else:
                partial = min(int(amount), max(len(body) - 1, 0))
        elif kind == "corrupt":
            body = _corrupt(body)
        elif kind == "skew_date":
            old = [v for k, v in headers if k.lower() == "date"]
            try:
                base = email.utils.parsedate_to_datetime(old[0]).timestamp()
            except (IndexError, TypeError, ValueError):
                base = time.time()
            headers = [(k, v) for k, v in headers if k.lower() != "date"]
            headers.append(("Date", email.utils.formatdate(
                base + params["seconds"], usegmt=True)))
        rec["status"] = code
        self._send(code, headers, body, send_body=not head, partial=partial)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the client went away (or we dropped it): not our bug
        self.proxy.errors.append(traceback.format_exc())


class FaultProxy:
    """FaultProxy(upstream, host="127.0.0.1", port=0, hold_timeout=60,
    upstream_timeout=60).  Attributes: url, port, upstream, requests,
    errors (tracebacks/upstream failures seen inside the proxy)."""

    def __init__(self, upstream, host="127.0.0.1", port=0, hold_timeout=60,
                 upstream_timeout=60):
        u = urllib.parse.urlsplit(upstream)
        if u.scheme != "http":
            raise ValueError("upstream must be http://host:port")
        self.upstream = upstream.rstrip("/")
        self._up_host = u.hostname
        self._up_port = u.port or 80
        self.host = host
        self.port = port
        self.url = None
        self.hold_timeout = hold_timeout
        self.upstream_timeout = upstream_timeout
        self.requests = []
        self.errors = []
        self._faults = []
        self._held = []              # [rec, Event] not yet released
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._conns = {}
        self._conn_serial = 0
        self._req_serial = 0
        self._server = None
        self._thread = None

    # -- lifecycle

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self._server = _Server((self.host, self.port), _Handler)
        self._server.proxy = self
        self.port = self._server.server_address[1]
        self.url = "http://%s:%d" % (self.host, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="faultproxy", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self._stopping.set()
        self.release()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            conns = list(self._conns.values())
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(5)
        self._server = None

    # -- internals used by the handler

    def _register_conn(self, sock):
        with self._lock:
            self._conn_serial += 1
            self._conns[id(sock)] = sock
            return self._conn_serial

    def _unregister_conn(self, sock):
        with self._lock:
            self._conns.pop(id(sock), None)

    def _admit(self, rec):
        """Log the request and take the first matching fault."""
        with self._cond:
            self._req_serial += 1
            rec["id"] = self._req_serial
            self.requests.append(rec)
            chosen = None
            for f in self._faults:
                try:
                    hit = f.matches(rec)
                except Exception:
                    self.errors.append("match: " + traceback.format_exc())
                    hit = False
                if hit:
                    chosen = f
                    break
            if chosen:
                chosen.hits += 1
                chosen.records.append(rec)
                if chosen.remaining is not None:
                    chosen.remaining -= 1
                    if chosen.remaining == 0:
                        self._faults.remove(chosen)
                rec["fault"] = chosen.kind
            self._cond.notify_all()
            return chosen

    def _hold(self, rec):
        ev = threading.Event()
        with self._cond:
            self._held.append([rec, ev])
            rec["held"] = True
            self._cond.notify_all()
        deadline = time.monotonic() + self.hold_timeout
        while not ev.is_set() and not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                rec["hold_timed_out"] = True
                break
            ev.wait(min(left, 0.1))
        with self._cond:
            self._held = [h for h in self._held if h[1] is not ev]
            self._cond.notify_all()

    def _forward(self, rec):
        conn = http.client.HTTPConnection(self._up_host, self._up_port,
                                          timeout=self.upstream_timeout)
        try:
            conn.putrequest(rec["method"], rec["path"], skip_host=True,
                            skip_accept_encoding=True)
            for k, v in rec["raw_headers"]:
                lk = k.lower()
                if lk in HOP_BY_HOP or lk in ("expect", "content-length"):
                    continue
                conn.putheader(k, v)
            body = rec["body"]
            if body or "content-length" in rec["headers"] or rec["chunked"]:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body if body else None)
            rec["forwarded"] = True
            resp = conn.getresponse()
            data = resp.read()
            headers = [(k, v) for k, v in resp.getheaders()
                       if k.lower() not in HOP_BY_HOP]
            return resp.status, headers, data
        finally:
            conn.close()

    # -- queueing faults

    def add(self, fault):
        with self._cond:
            self._faults.append(fault)
        return fault

    def delay(self, seconds, match=None, count=1):
        """Wait `seconds`, then forward normally."""
        return self.add(Fault("delay", match, count, seconds=float(seconds)))

    def status(self, code, body=b"", headers=None, match=None, count=1):
        """Answer with `code` without forwarding (the request never reaches
        the upstream).  body/headers may be callables on the record."""
        if isinstance(body, str):
            body = body.encode()
        return self.add(Fault("status", match, count, code=int(code),
                              body=body, headers=headers))

    def throttle_json(self, match=None, count=1):
        """DynamoDB-style 400 ThrottlingException (json 1.0)."""
        body = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#"
                                     "ThrottlingException",
                           "message": "Rate exceeded"}).encode()
        return self.status(400, body, {"Content-Type": "application/x-amz-json-1.0",
                                       "x-amzn-ErrorType": "ThrottlingException"},
                           match, count)

    def throttle_xml(self, match=None, count=1):
        """S3-style 503 SlowDown."""
        body = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown'
                b"</Code><Message>Please reduce your request rate.</Message>"
                b"<RequestId>FAULTPROXYSLOWDOWN</RequestId>"
                b"<HostId>faultproxy</HostId></Error>")
        return self.status(503, body, {"Content-Type": "application/xml"},
                           match, count)

    def throttle_query(self, match=None, count=1):
        """Query-protocol (RDS, STS) 400 Throttling."""
        body = (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling"
                b"</Code><Message>Rate exceeded</Message></Error>"
                b"<RequestId>faultproxy-throttle</RequestId></ErrorResponse>")
        return self.status(400, body, {"Content-Type": "text/xml"}, match, count)

    def throttle(self, match=None, count=1):
        """Throttling in whatever protocol the request speaks: json 400
        ThrottlingException, query 400 Throttling, S3 503 SlowDown."""
        def respond(rec):
            proto = _protocol(rec)
            if proto == "rest-xml":
                return (503,) + _error_body(rec, 503, "SlowDown",
                                            "Please reduce your request rate.")
            code = "Throttling" if proto == "query" else "ThrottlingException"
            return (400,) + _error_body(rec, 400, code, "Rate exceeded")
        return self.add(Fault("status", match, count, respond=respond))

    def unavailable(self, match=None, count=1):
        """503 ServiceUnavailable, the body in the request's protocol."""
        def respond(rec):
            return (503,) + _error_body(rec, 503, "ServiceUnavailable",
                                        "Service Unavailable")
        return self.add(Fault("status", match, count, respond=respond))

    def truncate(self, amount, match=None, count=1):
        """Forward; send the full Content-Length but only `amount` bytes of
        the body (an int, or a float fraction in [0,1)), then close."""
        return self.add(Fault("truncate", match, count, amount=amount))

    def corrupt(self, match=None, count=1):
        """Forward; replace the body with same-length garbage (< > and { }
        swapped), status and headers unchanged."""
        return self.add(Fault("corrupt", match, count))

    def drop(self, match=None, count=1, forward=False):
        """Close the connection without a response.  forward=True sends the
        request upstream first (the ambiguous failure: the change happened
        but the client never heard)."""
        return self.add(Fault("drop", match, count, forward=forward))

    def hold(self, match=None, count=1):
        """Do not forward until release() (or hold_timeout)."""
        return self.add(Fault("hold", match, count))

    def skew_date(self, seconds, match=None, count=1):
        """Forward; shift the response Date header by `seconds`."""
        return self.add(Fault("skew_date", match, count, seconds=float(seconds)))

    def clear(self):
        """Drop all queued faults and release held requests."""
        with self._cond:
            self._faults = []
        self.release()

    def pending(self):
        """Queued faults that still have uses left."""
        with self._lock:
            return list(self._faults)

    # -- held requests

    def release(self, n=None):
        """Release held requests (all, or the oldest n); returns how many."""
        with self._cond:
            held = self._held if n is None else self._held[:n]
            for _, ev in held:
                ev.set()
            self._held = [h for h in self._held if not h[1].is_set()]
            self._cond.notify_all()
            return len(held)

    def held(self):
        with self._lock:
            return [h[0] for h in self._held]

    def wait_held(self, timeout=10):
        """Return the record of a request being held; TimeoutError if none
        is held within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._held:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no request held within %gs; seen: %s"
                                       % (timeout, self._summary()))
                self._cond.wait(left)
            return self._held[0][0]

    # -- the request log

    def _summary(self):
        return ", ".join(_match_text(r).strip() for r in self.requests) or "none"

    def requests_matching(self, match):
        """Logged requests matching (a substring of "METHOD path target" or
        a callable on the record)."""
        f = Fault("x", match)
        with self._lock:
            return [r for r in self.requests if f.matches(r)]

    def wait_for_request(self, match=None, timeout=10, n=1):
        """Wait until n requests matching have been seen; return the n-th."""
        f = Fault("x", match)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [r for r in self.requests if f.matches(r)]
                if len(got) >= n:
                    return got[n - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("%d request(s) matching %r not seen "
                                       "within %gs; seen: %s"
                                       % (n, match, timeout, self._summary()))
                self._cond.wait(left)

    def clear_requests(self):
        with self._lock:
            self.requests = []

    def __repr__(self):
        return "<FaultProxy %s -> %s>" % (self.url, self.upstream)

