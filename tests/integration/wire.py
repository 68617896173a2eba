#!/usr/bin/env python3
"""wire.py - the AWS client and HTTP engine on the wire.

tests/aws-probe (one call through the real client: config, credentials,
SigV4, the read-only gate, the engine and its retries) against moto
directly, against a moto that verifies signatures, and through the fault
proxy (throttling, 5xx, truncated and corrupted bodies, slow answers,
dropped connections, clock skew, wrong region, expired tokens).
"""

import email.utils
import os
import subprocess
import sys
import time

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import FaultProxy       # noqa: E402
from moto import Moto                   # noqa: E402

BUILDDIR = os.environ.get("SALVAGE_BUILDDIR", os.getcwd())
PROBE = os.path.join(BUILDDIR, "tests", "aws-probe")

# A key that exercises the encoding rules: space, '+', '=', UTF-8, '//'.
ODD_KEY = "dir with space/a+b=c \u00e9t\u00e9//x ~!*'()"
BUCKET = "wirebkt"


def probe(env, *args, timeout=120):
    """Run aws-probe; return its fields (status, code, result, attempts,
    request_id, error), body, exit, stderr."""
    r = subprocess.run([PROBE] + [str(a) for a in args], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    out = r.stdout.decode("utf-8", "replace")
    head, _, body = out.partition("\n\n")
    f = {"body": body, "exit": r.returncode, "stdout": out,
         "stderr": r.stderr.decode("utf-8", "replace")}
    for line in head.splitlines():
        k, sep, v = line.partition(":")
        if sep:
            f.setdefault(k, v.strip())
    f["attempts"] = int(f.get("attempts", "-1"))
    return f


def amz_date(rec):
    return time.mktime(time.strptime(rec["headers"]["x-amz-date"],
                                     "%Y%m%dT%H%M%SZ"))


def show(f):
    return "exit %s\n%s\n--- stderr ---\n%s" % (f["exit"], f["stdout"],
                                                  f["stderr"])


if not os.access(PROBE, os.X_OK):
    tap.skip_all("tests/aws-probe is not built")


def direct(m):
    env = m.env()
    s3 = m.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="plain", Body=b"plain body")

    f = probe(env, "ListBuckets")
    tap.ok(f["exit"] == 0 and f["status"] == "200" and BUCKET in f["body"],
           "moto: ListBuckets", show(f))
    f = probe(env, "ListTables")
    tap.ok(f["exit"] == 0 and "TableNames" in f["body"],
           "moto: DynamoDB ListTables", show(f))
    f = probe(env, "GetCallerIdentity")
    tap.ok(f["exit"] == 0 and "123456789012" in f["body"],
           "moto: STS GetCallerIdentity", show(f))
    f = probe(env, "DescribeDBInstances")
    tap.ok(f["exit"] == 0 and "DescribeDBInstancesResult" in f["body"],
           "moto: RDS DescribeDBInstances", show(f))

    # The odd key round-trips, encoded once, never normalized.
    for key in (ODD_KEY, "a/../b", "./c"):
        f = probe(env, "--operate", "PutObject", "bucket=" + BUCKET,
                  "key=" + key, "body=odd")
        tap.ok(f["exit"] == 0 and "intent: PutObject" in f["stdout"],
               "PutObject %r with --operate goes through the gate" % key,
               show(f))
        f = probe(env, "HeadObject", "bucket=" + BUCKET, "key=" + key)
        tap.ok(f["exit"] == 0 and f["status"] == "200",
               "HeadObject %r finds it" % key, show(f))
        got = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        tap.is_(got, b"odd", "boto3 reads %r under exactly that key" % key)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    tap.ok(ODD_KEY in keys and "a/../b" in keys and "./c" in keys,
           "the bucket lists the keys exactly", repr(keys))

    f = probe(env, "HeadObject", "bucket=" + BUCKET, "key=nope")
    tap.ok(f["exit"] == 6 and f["code"] == "NotFound",
           "HeadObject of a missing key: exit 6, NotFound", show(f))
    f = probe(env, "ListObjectVersions", "bucket=nosuchbucket")
    tap.like(f["stderr"], r"S3 ListObjectVersions on bucket 'nosuchbucket': "
             r"NoSuchBucket: .* \(request id \S+\)",
             "NoSuchBucket message names the call and the request id")
    tap.is_(f["exit"], 6, "NoSuchBucket: exit 6")

    # --debug shows the stages, never secrets.
    denv = m.env({"AWS_SECRET_ACCESS_KEY": "sekritSEKRIT0123",
                  "AWS_SESSION_TOKEN": "TOKENtoken0123456789"})
    f = probe(denv, "--debug", "ListObjectVersions", "bucket=" + BUCKET)
    err = f["stderr"]
    tap.ok("canonical request" in err and "string to sign" in err and
           "x-amz-security-token:<redacted>" in err,
           "--debug: canonical request and string to sign", err[-2000:])
    tap.ok("sekritSEKRIT0123" not in err and "TOKENtoken0123456789" not in err
           and "Signature=" not in err,
           "--debug: no secret, token or signature", err[-2000:])
    tap.like(err, r"-> 200 OK \(request id \S+\) in [0-9.]+ s",
             "--debug: status, request id and elapsed time")


def authenticated():
    """moto verifying SigV4 (INITIAL_NO_AUTH_ACTION_COUNT)."""
    with Moto(env={"INITIAL_NO_AUTH_ACTION_COUNT": "4"}) as m:
        iam = m.client("iam")
        iam.create_user(UserName="operator")
        k = iam.create_access_key(UserName="operator")["AccessKey"]
        iam.put_user_policy(
            UserName="operator", PolicyName="all",
            PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":'
                           '"Allow","Action":"*","Resource":"*"}]}')
        m.client("s3").create_bucket(Bucket="authbkt")
        env = m.env({"AWS_ACCESS_KEY_ID": k["AccessKeyId"],
                     "AWS_SECRET_ACCESS_KEY": k["SecretAccessKey"]})
        for args in (["ListBuckets"], ["ListTables"], ["GetCallerIdentity"],
                     ["DescribeDBInstances"],
                     ["ListObjectVersions", "bucket=authbkt", "prefix=a b+c"]):
            f = probe(env, *args)
            tap.ok(f["exit"] == 0, "signature verified by moto: %s"
                   % " ".join(args), show(f))
        # moto's own verifier rejects '+', '=', '!' ... in keys and '/' in
        # query values even from boto3, so the signed checks keep to what
        # moto gets right.
        key = "dir with space/x//y/../z~"
        f = probe(env, "--operate", "PutObject", "bucket=authbkt",
                  "key=" + key, "body=signed")
        g = probe(env, "HeadObject", "bucket=authbkt", "key=" + key)
        tap.ok(f["exit"] == 0 and g["exit"] == 0,
               "signature verified by moto: PutObject/HeadObject %r" % key,
               show(f) + show(g))
        bad = dict(env, AWS_SECRET_ACCESS_KEY="wrong-secret")
        f = probe(bad, "ListBuckets")
        tap.ok(f["exit"] == 4 and f["code"] == "SignatureDoesNotMatch",
               "a wrong secret: SignatureDoesNotMatch, exit 4", show(f))


def faults(m):
    ddb = m.client("dynamodb")
    ddb.create_table(TableName="wiretable",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k",
                                            "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    with FaultProxy(m.url) as p:
        env = m.env({"AWS_ENDPOINT_URL": p.url})

        # The gate: nothing reaches the network without --operate.
        p.clear_requests()
        for args in (["PutObject", "bucket=" + BUCKET, "key=k", "body=x"],
                     ["DeleteObject", "bucket=" + BUCKET, "key=plain"],
                     ["CreateBackup", "TableName=wiretable", "BackupName=b"]):
            f = probe(env, *args)
            tap.ok(f["exit"] == 3 and "Re-run with --operate" in f["stderr"]
                   and "intent:" not in f["stdout"],
                   "%s without --operate: refused, exit 3" % args[0], show(f))
        f = probe(env, "--operate", "--no-gate", "PutObject",
                  "bucket=" + BUCKET, "key=k", "body=x")
        tap.ok(f["exit"] == 1 and "no audit log is open" in f["stderr"],
               "--operate without an audit gate: refused", show(f))
        f = probe(env, "--operate", "--gate-refuse", "PutObject",
                  "bucket=" + BUCKET, "key=k", "body=x")
        tap.ok(f["exit"] == 1 and "audit log is not writable" in f["stderr"],
               "--operate, the intent cannot be recorded: refused", show(f))
        f = probe(env, "--gate-exempt", "DeleteObject", "bucket=" + BUCKET,
                  "key=plain")
        tap.ok(f["exit"] == 3, "an exemption is honoured for PutObject only",
               show(f))
        tap.is_(len(p.requests), 0, "refused calls sent nothing")
        f = probe(env, "--gate-exempt", "PutObject", "bucket=" + BUCKET,
                  "key=audit/log.jsonl", "body={}")
        tap.ok(f["exit"] == 0 and "intent:" not in f["stdout"] and
               len(p.requests) == 1, "an exempt PutObject (the audit log "
               "upload) is sent without --operate or intent", show(f))

        p.throttle_json(match="ListTables", count=2)
        f = probe(env, "ListTables")
        tap.ok(f["exit"] == 0 and f["attempts"] == 3,
               "DynamoDB throttled twice, then OK: 3 attempts", show(f))
        p.throttle_xml(match="GET / ", count=2)
        f = probe(env, "ListBuckets")
        tap.ok(f["exit"] == 0 and f["attempts"] == 3,
               "S3 SlowDown twice, then OK: 3 attempts", show(f))

        p.clear()
        p.unavailable(match="GET / ", count=None)
        f = probe(env, "ListBuckets")
        tap.ok(f["exit"] == 7 and f["attempts"] == 3 and
               "3 attempts" in f["stderr"],
               "503 beyond the budget: exit 7, says 3 attempts", show(f))
        f = probe(m.env({"AWS_ENDPOINT_URL": p.url, "AWS_MAX_ATTEMPTS": "2"}),
                  "ListBuckets")
        tap.is_(f["attempts"], 2, "AWS_MAX_ATTEMPTS=2 is honoured")
        p.clear()

        p.truncate(0.5, match="GET / ", count=None)
        f = probe(env, "ListBuckets")
        tap.ok(f["exit"] == 7 and "truncated" in f["stderr"],
               "truncated body every time: an error, not success", show(f))
        p.clear()
        p.truncate(0.5, match="GET / ", count=1)
        f = probe(env, "ListBuckets")
        tap.ok(f["exit"] == 0 and f["attempts"] == 2,
               "truncated body once: retried", show(f))

        p.corrupt(match="ListTables", count=None)
        f = probe(env, "ListTables")
        tap.ok(f["exit"] == 7 and "x-amz-crc32" in f["stderr"],
               "corrupted DynamoDB body: CRC32 mismatch, retried, exit 7",
               show(f))
        p.clear()
        p.corrupt(match="GET / ", count=None)
        f = probe(env, "ListBuckets")
        tap.ok(f["exit"] == 8 and "XML" in f["stderr"],
               "malformed XML in a 200: exit 8", show(f))
        p.clear()
        p.corrupt(match="GetCallerIdentity", count=None)
        f = probe(env, "GetCallerIdentity")
        tap.is_(f["exit"], 8, "malformed query-protocol 200: exit 8")
        p.clear()

        p.delay(3, match="ListTables", count=None)
        t0 = time.monotonic()
        f = probe(m.env({"AWS_ENDPOINT_URL": p.url,
                         "SALVAGE_HTTP_TIMEOUT_MS": "500"}), "ListTables")
        took = time.monotonic() - t0
        tap.ok(f["exit"] == 7 and f["attempts"] == 3 and
               "timed out after 500 ms" in f["stderr"],
               "slow server, SALVAGE_HTTP_TIMEOUT_MS=500: timed out, exit 7",
               show(f))
        tap.ok(took < 9, "slow server: gave up in %.1f s" % took)
        p.clear()

        p.drop(match="ListTables", count=1)
        f = probe(env, "ListTables")
        tap.ok(f["exit"] == 0 and f["attempts"] == 2,
               "dropped connection: idempotent call retried", show(f))

        p.drop(match="CreateBackup", count=None, forward=True)
        f = probe(env, "--operate", "CreateBackup", "TableName=wiretable",
                  "BackupName=once")
        backups = ddb.list_backups(TableName="wiretable")["BackupSummaries"]
        tap.ok(f["exit"] == 7 and f["attempts"] == 1 and
               "not idempotent" in f["stderr"],
               "dropped after sending: CreateBackup is not retried", show(f))
        tap.is_(len(backups), 1, "... and it was applied exactly once")
        p.clear()

        # Clock skew: a 403 with a Date one hour ahead, then success.
        p.clear_requests()
        body = ("<Error><Code>RequestTimeTooSkewed</Code><Message>The "
                "difference between the request time and the current time "
                "is too large.</Message><RequestId>SKEW1</RequestId></Error>")
        p.status(403, body, headers={"Date": email.utils.formatdate(
            time.time() + 3600, usegmt=True)}, match="GET / ", count=1)
        f = probe(env, "ListBuckets")
        reqs = p.requests_matching("GET / ")
        tap.ok(f["exit"] == 0 and f["attempts"] == 2 and len(reqs) == 2,
               "clock skew: re-signed and succeeded", show(f))
        if len(reqs) == 2:
            d = amz_date(reqs[1]) - amz_date(reqs[0])
            tap.ok(3590 < d < 3610, "clock skew: the second X-Amz-Date is "
                   "%+d s from the first" % d)
        else:
            tap.ok(False, "clock skew: two requests logged")

        # Wrong region: 301 PermanentRedirect naming the bucket's region.
        p.clear_requests()
        body = ("<Error><Code>PermanentRedirect</Code><Message>The bucket you "
                "are attempting to access must be addressed using the "
                "specified endpoint.</Message><Bucket>%s</Bucket></Error>"
                % BUCKET)
        p.status(301, body, headers={"x-amz-bucket-region": "eu-west-1"},
                 match="GET /%s" % BUCKET, count=1)
        f = probe(env, "ListObjectVersions", "bucket=" + BUCKET)
        reqs = p.requests_matching("GET /%s" % BUCKET)
        tap.ok(f["exit"] == 0 and f["attempts"] == 2 and
               "bucket %s is in eu-west-1; using that region" % BUCKET
               in f["stderr"], "wrong region: retried in eu-west-1, warned",
               show(f))
        tap.ok(len(reqs) == 2 and "/eu-west-1/s3/" in
               reqs[1]["headers"].get("authorization", ""),
               "wrong region: the retry is signed for eu-west-1")

        # Expired token: credentials refreshed, one retry.
        p.status(400, "<Error><Code>ExpiredToken</Code><Message>The provided "
                 "token has expired.</Message></Error>", match="GET / ",
                 count=1)
        f = probe(env, "ListBuckets")
        tap.ok(f["exit"] == 0 and f["attempts"] == 2,
               "ExpiredToken: fresh credentials, retried once", show(f))
        p.status(400, "<Error><Code>ExpiredToken</Code><Message>The provided "
                 "token has expired.</Message></Error>", match="GET / ",
                 count=None)
        f = probe(env, "ListBuckets")
        tap.ok(f["exit"] == 4 and f["attempts"] == 2,
               "ExpiredToken again: exit 4 after one refresh", show(f))
        p.clear()

        p.status(403, "<Error><Code>AccessDenied</Code><Message>Access "
                 "Denied</Message><RequestId>D1</RequestId></Error>",
                 match="versions", count=1)
        f = probe(env, "ListObjectVersions", "bucket=" + BUCKET)
        tap.ok(f["exit"] == 5 and "access denied: s3:ListBucketVersions"
               in f["stderr"], "AccessDenied names the IAM action, exit 5",
               show(f))

        # S3 CopyObject answering 200 with an <Error> body.
        p.status(200, '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>'
                 "InternalError</Code><Message>We encountered an internal "
                 "error. Please try again.</Message><RequestId>C1</RequestId>"
                 "</Error>", match="PUT /%s/copy-dst" % BUCKET, count=None)
        f = probe(env, "--operate", "CopyObject", "bucket=" + BUCKET,
                  "key=copy-dst", "source=%s/plain" % BUCKET)
        tap.ok(f["exit"] != 0 and f["code"] == "InternalError" and
               f["attempts"] == 1,
               "CopyObject 200 with <Error>: an error, not retried", show(f))
        p.clear()
        f = probe(env, "--operate", "CopyObject", "bucket=" + BUCKET,
                  "key=copy-dst", "source=%s/plain" % BUCKET)
        tap.ok(f["exit"] == 0 and "CopyObjectResult" in f["body"],
               "CopyObject without the fault copies", show(f))
        # A client that gave up (timeouts, drops) leaves the proxy writing
        # into a closed socket: that is expected, anything else is not.
        errs = [e for e in p.errors if "BrokenPipeError" not in e and
                "ConnectionResetError" not in e]
        tap.is_(errs, [], "the proxy saw no unexpected errors")


def refused_connection():
    with Moto() as m:
        url = m.url
        env = m.env({"AWS_ENDPOINT_URL": url})
    # moto is gone: nothing listens on its port now.
    port = url.rsplit(":", 1)[1]
    f = probe(env, "ListBuckets")
    tap.ok(f["exit"] == 7 and "connection refused by 127.0.0.1:%s "
           "(3 attempts)" % port in f["stderr"],
           "connection refused: exit 7, says where and how often", show(f))


with Moto() as m:
    direct(m)
    faults(m)
authenticated()
refused_connection()
tap.done_testing()
