#!/usr/bin/env python3
"""Self-test of tests/harness/faultproxy.py in front of a real moto_server:
plain forwarding, keep-alive, the request log, and every fault kind,
observed with boto3 and raw http.client."""
import email.utils
import http.client
import json
import os
import sys
import threading
import time
import xml.etree.ElementTree as ET
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # never write into the source tree
sys.path.insert(0, os.path.join(HERE, "..", "harness"))

import tap  # noqa: E402
from faultproxy import FaultProxy  # noqa: E402
from moto import Moto  # noqa: E402  (the harness helper)

from botocore.auth import S3SigV4Auth, SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402


def err_code(fn, *a, **kw):
    """(error code, HTTP status) of a boto3 call that should fail."""
    try:
        fn(*a, **kw)
        return ("no error", None)
    except ClientError as e:
        return (e.response["Error"].get("Code"),
                e.response["ResponseMetadata"].get("HTTPStatusCode"))


def raises(fn, *a, **kw):
    """The exception class name a call raises, or None."""
    try:
        fn(*a, **kw)
        return None
    except (BotoCoreError, ClientError, OSError, http.client.HTTPException) as e:
        return type(e).__name__


def sigv4_headers(service, method, url, body=b"", headers=None):
    req = AWSRequest(method=method, url=url, data=body, headers=headers or {})
    SigV4Auth(Credentials("testing", "testing"), service, "us-east-1").add_auth(req)
    return dict(req.headers.items())


def s3_headers(method, url, body=b""):
    req = AWSRequest(method=method, url=url, data=body)
    S3SigV4Auth(Credentials("testing", "testing"), "s3", "us-east-1").add_auth(req)
    return dict(req.headers.items())


def raw(proxy, method, path, body=b"", sign=True, conn=None):
    """One raw request; returns (status, headers dict lower-case, body)."""
    c = conn or http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=20)
    hdrs = s3_headers(method, proxy.url + path, body) if sign else {}
    c.request(method, path, body=body or None, headers=hdrs)
    r = c.getresponse()
    data = r.read()
    if conn is None:
        c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def date_offset(headers):
    return email.utils.parsedate_to_datetime(headers["date"]).timestamp() - time.time()


with Moto() as m, FaultProxy(m.url) as p:
    s3d = m.client("s3")                            # direct to moto
    s3 = m.client("s3", endpoint_url=p.url)         # through the proxy
    ddb = m.client("dynamodb", endpoint_url=p.url)
    sts = m.client("sts", endpoint_url=p.url)
    rds = m.client("rds", endpoint_url=p.url)

    def buckets():
        return {b["Name"] for b in s3d.list_buckets()["Buckets"]}

    # --- plain forwarding and the request log --------------------------------
    s3.create_bucket(Bucket="fp-plain")
    tap.ok("fp-plain" in buckets(), "plain: CreateBucket through the proxy reaches moto")
    rec = p.requests[-1]
    tap.is_((rec["method"], rec["path"], rec["service"], rec["status"], rec["fault"]),
            ("PUT", "/fp-plain", "s3", 200, None), "log: method, path, service, status")
    tap.is_(rec["headers"].get("host"), "127.0.0.1:%d" % p.port,
            "log: Host is the proxy's (forwarded unchanged)")
    tap.ok(rec["forwarded"], "log: marked forwarded")

    data = bytes(range(256)) * 4                     # 1024 bytes
    s3.put_object(Bucket="fp-plain", Key="blob.bin", Body=data)
    tap.is_(p.requests[-1]["body"], data, "log: request body recorded")
    tap.is_(s3d.get_object(Bucket="fp-plain", Key="blob.bin")["Body"].read(), data,
            "plain: body forwarded intact")
    got = s3.get_object(Bucket="fp-plain", Key="blob.bin")["Body"].read()
    tap.is_(got, data, "plain: response body passes intact")

    ddb.list_tables()
    tap.is_((p.requests[-1]["target"], p.requests[-1]["service"]),
            ("DynamoDB_20120810.ListTables", "dynamodb"), "log: X-Amz-Target decoded")
    ident = sts.get_caller_identity()
    tap.is_(ident["Account"], "123456789012", "plain: STS through the proxy")
    tap.is_(p.requests[-1]["target"], "GetCallerIdentity", "log: Action= of a form body")
    tap.like(p.requests[-1]["body"].decode(), r"Action=GetCallerIdentity",
             "log: form body recorded")

    # keep-alive: two requests on one connection
    c = http.client.HTTPConnection("127.0.0.1", p.port, timeout=20)
    st1, _, _ = raw(p, "GET", "/", conn=c)
    st2, _, _ = raw(p, "GET", "/fp-plain", conn=c)
    c.close()
    tap.is_((st1, st2), (200, 200), "keep-alive: two requests on one connection")
    tap.is_(p.requests[-1]["conn"], p.requests[-2]["conn"],
            "keep-alive: the proxy saw one connection")

    # --- delay -------------------------------------------------------------
    f = p.delay(1.0, match=lambda r: r["method"] == "GET" and r["path"] == "/")
    t0 = time.monotonic()
    s3.list_buckets()
    slow = time.monotonic() - t0
    t0 = time.monotonic()
    s3.list_buckets()
    fast = time.monotonic() - t0
    tap.ok(slow >= 1.0, "delay: the matching request took >= 1 s", "took %.3f" % slow)
    tap.ok(fast < 0.8, "delay: count=1, the next one is fast", "took %.3f" % fast)
    tap.is_(f.hits, 1, "delay: fault hits == 1")

    # --- status and presets -------------------------------------------------
    p.status(418, b"short and stout", {"X-Teapot": "yes"})
    st, hd, body = raw(p, "GET", "/")
    tap.is_((st, body, hd.get("x-teapot")), (418, b"short and stout", "yes"),
            "status: code, body and headers")
    tap.ok(not p.requests[-1]["forwarded"], "status: not forwarded")

    p.status(500, match="PUT /fp-never")
    tap.is_(err_code(s3.create_bucket, Bucket="fp-never")[1], 500,
            "status: boto3 sees the 500")
    tap.ok("fp-never" not in buckets(), "status: the request never reached moto")

    p.throttle_json(match="ListTables")
    s3.list_buckets()                                  # does not match
    tap.is_(len(p.pending()), 1, "match: a non-matching request leaves the fault queued")
    tap.is_(err_code(ddb.list_tables), ("ThrottlingException", 400),
            "throttle_json: DynamoDB ThrottlingException 400")
    tap.like(p.requests[-1]["fault"] or "", "status", "log: fault recorded")
    tap.ok("TableNames" in ddb.list_tables(), "throttle_json: next call passes")

    p.throttle_xml()
    tap.is_(err_code(s3.list_buckets), ("SlowDown", 503), "throttle_xml: S3 SlowDown 503")
    p.throttle_query(match="GetCallerIdentity")
    tap.is_(err_code(sts.get_caller_identity), ("Throttling", 400),
            "throttle_query: STS Throttling 400")
    p.throttle_query(match="DescribeDBInstances")
    tap.is_(err_code(rds.describe_db_instances), ("Throttling", 400),
            "throttle_query: RDS Throttling 400")
    p.throttle(count=3)
    tap.is_((err_code(ddb.list_tables), err_code(s3.list_buckets),
             err_code(sts.get_caller_identity)),
            (("ThrottlingException", 400), ("SlowDown", 503), ("Throttling", 400)),
            "throttle: protocol-aware for json, S3 and query")
    p.unavailable(count=2)
    tap.is_((err_code(s3.list_buckets), err_code(ddb.list_tables)),
            (("ServiceUnavailable", 503), ("ServiceUnavailable", 503)),
            "unavailable: 503 ServiceUnavailable for S3 and DynamoDB")

    # count and callable match
    p.status(503, match=lambda r: r["path"] == "/" and r["method"] == "GET", count=2)
    codes = [raw(p, "GET", "/")[0] for _ in range(3)]
    tap.is_(codes, [503, 503, 200], "count=2: two faulted, the third passes")
    p.status(409, match=lambda r: r["method"] == "DELETE")
    tap.ok("Buckets" in s3.list_buckets(), "callable match: GET not affected")
    tap.is_(err_code(s3.delete_bucket, Bucket="fp-plain")[1], 409,
            "callable match: DELETE gets 409")
    tap.ok("fp-plain" in buckets(), "callable match: the DELETE never reached moto")

    # --- truncate -------------------------------------------------------------
    p.truncate(10)
    c = http.client.HTTPConnection("127.0.0.1", p.port, timeout=20)
    c.request("GET", "/fp-plain/blob.bin",
              headers=s3_headers("GET", p.url + "/fp-plain/blob.bin"))
    r = c.getresponse()
    tap.is_((r.status, r.getheader("Content-Length")), (200, "1024"),
            "truncate: status 200 and the full Content-Length")
    try:
        r.read()
        tap.ok(False, "truncate: the body is cut short")
    except http.client.IncompleteRead as e:
        tap.is_((len(e.partial), e.partial), (10, data[:10]),
                "truncate: the body is cut short after 10 bytes")
    c.close()
    p.truncate(0.5)
    c = http.client.HTTPConnection("127.0.0.1", p.port, timeout=20)
    c.request("GET", "/fp-plain/blob.bin",
              headers=s3_headers("GET", p.url + "/fp-plain/blob.bin"))
    try:
        c.getresponse().read()
        tap.ok(False, "truncate(0.5): half the body")
    except http.client.IncompleteRead as e:
        tap.is_(len(e.partial), 512, "truncate(0.5): half the body")
    c.close()
    p.truncate(100)
    tap.ok(raises(lambda: s3.get_object(Bucket="fp-plain", Key="blob.bin")["Body"].read())
           is not None, "truncate: boto3 fails to read the object")

    # --- corrupt ------------------------------------------------------------------
    st, _, good = raw(p, "GET", "/")
    p.corrupt()
    st2, _, bad = raw(p, "GET", "/")
    tap.is_((st2, len(bad)), (200, len(good)), "corrupt: status 200, same length")
    tap.isnt(bad, good, "corrupt: body differs")
    try:
        ET.fromstring(bad)
        tap.ok(False, "corrupt: the XML no longer parses")
    except ET.ParseError:
        tap.ok(True, "corrupt: the XML no longer parses")
    hdrs = sigv4_headers("dynamodb", "POST", p.url + "/", b"{}", {
        "X-Amz-Target": "DynamoDB_20120810.ListTables",
        "Content-Type": "application/x-amz-json-1.0"})
    p.corrupt(match="ListTables")
    c = http.client.HTTPConnection("127.0.0.1", p.port, timeout=20)
    c.request("POST", "/", body=b"{}", headers=hdrs)
    r = c.getresponse()
    bad = r.read()
    c.close()
    try:
        json.loads(bad)
        tap.ok(False, "corrupt: the DynamoDB JSON no longer parses", repr(bad))
    except ValueError:
        tap.ok(r.status == 200, "corrupt: the DynamoDB JSON no longer parses")
    tap.isnt(str(zlib.crc32(bad)), r.getheader("x-amz-crc32"),
             "corrupt: the body no longer matches x-amz-crc32")
    p.corrupt()
    tap.ok(raises(s3.list_buckets) is not None, "corrupt: boto3 S3 call fails")

    # --- drop -----------------------------------------------------------------------
    p.drop()
    tap.ok(raises(raw, p, "GET", "/") is not None, "drop: raw request gets no response")
    p.drop(match="fp-dropped")
    tap.ok(raises(s3.create_bucket, Bucket="fp-dropped") is not None,
           "drop: boto3 CreateBucket fails")
    tap.ok("fp-dropped" not in buckets(), "drop: the request never reached moto")
    p.drop(match="fp-ambiguous", forward=True)
    tap.ok(raises(s3.create_bucket, Bucket="fp-ambiguous") is not None,
           "drop(forward=True): the client sees a failure")
    tap.ok("fp-ambiguous" in buckets(), "drop(forward=True): but moto made the bucket")

    # --- hold / release -------------------------------------------------------------
    p.hold(match="fp-held")
    result = {}

    def create():
        try:
            s3.create_bucket(Bucket="fp-held")
            result["ok"] = True
        except Exception as e:  # noqa: BLE001
            result["error"] = repr(e)

    th = threading.Thread(target=create, daemon=True)
    th.start()
    held = p.wait_held(10)
    tap.is_((held["method"], held["path"]), ("PUT", "/fp-held"),
            "hold: wait_held returns the held request")
    time.sleep(0.2)
    tap.ok(th.is_alive() and "fp-held" not in buckets(),
           "hold: the client waits and moto has not seen the request")
    tap.is_(p.release(), 1, "hold: release() releases one request")
    th.join(20)
    tap.ok(result.get("ok") and "fp-held" in buckets(),
           "hold: after release the request completes", repr(result))
    t0 = time.monotonic()
    try:
        p.wait_held(0.3)
        tap.ok(False, "wait_held times out when nothing is held")
    except TimeoutError:
        tap.ok(time.monotonic() - t0 < 2, "wait_held times out when nothing is held")

    # --- skew_date ------------------------------------------------------------------
    _, hd, _ = raw(p, "GET", "/")
    tap.ok(abs(date_offset(hd)) < 120, "skew_date: baseline Date is now",
           "offset %.0f" % date_offset(hd))
    p.skew_date(3600)
    st, hd, body = raw(p, "GET", "/")
    tap.ok(st == 200 and abs(date_offset(hd) - 3600) < 120,
           "skew_date(3600): Date an hour ahead", "offset %.0f" % date_offset(hd))
    p.skew_date(-7200)
    _, hd, _ = raw(p, "GET", "/")
    tap.ok(abs(date_offset(hd) + 7200) < 120, "skew_date(-7200): two hours behind",
           "offset %.0f" % date_offset(hd))

    # --- clear, wait_for_request, log summary ----------------------------------------
    p.status(500, count=None)
    p.clear()
    tap.is_((raw(p, "GET", "/")[0], p.pending()), (200, []), "clear(): faults gone")
    rec = p.wait_for_request(lambda r: r["path"] == "/fp-plain", timeout=2)
    tap.is_(rec["method"], "PUT", "wait_for_request finds the first such request")
    try:
        p.wait_for_request("GET /never-requested", timeout=0.2)
        tap.ok(False, "wait_for_request times out")
    except TimeoutError as e:
        tap.like(str(e), "seen: ", "wait_for_request times out, listing what it saw")
    tap.ok(len(p.requests_matching("ListTables")) >= 5,
           "requests_matching counts DynamoDB ListTables calls")
    kinds = {r["fault"] for r in p.requests if r["fault"]}
    tap.is_(kinds, {"delay", "status", "truncate", "corrupt", "drop", "hold",
                    "skew_date"}, "log: every fault kind was recorded")
    tap.is_(p.errors, [], "the proxy recorded no internal errors")
    port = p.port

# after stop
try:
    http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
    tap.ok(False, "the proxy port is closed after exit")
except OSError:
    tap.ok(True, "the proxy port is closed after exit")

# hold_timeout: a forgotten hold cannot hang a test
with Moto() as m, FaultProxy(m.url, hold_timeout=0.5) as p:
    p.hold()
    t0 = time.monotonic()
    st = raw(p, "GET", "/")[0]
    took = time.monotonic() - t0
    tap.ok(st == 200 and 0.5 <= took < 5,
           "hold_timeout: a held request is forwarded after the timeout",
           "status %s took %.2f" % (st, took))
    tap.ok(p.requests[-1].get("hold_timed_out"), "hold_timeout: recorded in the log")

tap.done_testing()
