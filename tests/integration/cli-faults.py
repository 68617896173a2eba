#!/usr/bin/env python3
"""cli-faults.py - the read-only CLI commands when the wire misbehaves.

salvage talks to moto through tests/harness/faultproxy.py (--endpoint-url
is the proxy's URL). A key with 2,500 versions is listed in three pages:
  * the 2nd page's body is cut short every time: after its retries salvage
    exits 10 (incomplete listing), says how far it got, and the --json
    document it printed is not a valid (complete) array;
  * a page's body is malformed XML: exit 8 when nothing was delivered yet,
    exit 10 when it is the 2nd page, with a message naming the failure;
  * the 2nd page is throttled twice, then succeeds: the output is
    identical to the unfaulted run;
  * a per-table lookup of 'ls dynamodb://' is denied: the listing still
    completes, with a warning naming the table and the field left out;
  * 'points rds://' where only the automated backups (the window's start)
    are denied still answers, with a warning; denied snapshots fail it;
  * 'ls s3://' has several GetBucketVersioning lookups in flight at once.
"""

import json
import os
import re
import subprocess
import sys
import time

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import FaultProxy       # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
BUCKET = "salvage-faults"
KEY = "big/versions.bin"
NVERSIONS = 2500


def run(env, *args, timeout=300):
    r = subprocess.run([SALVAGE] + list(args), env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def is_json(text):
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def versions_requests(p):
    return [r for r in p.requests if "versions" in r["path"].split("?", 1)[-1]
            and r["method"] == "GET"]


def main():
    if not os.access(SALVAGE, os.X_OK):
        tap.skip_all("salvage not built at %s" % SALVAGE)
    with Moto() as m, FaultProxy(m.url) as p:
        s3 = m.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_versioning(Bucket=BUCKET,
                                 VersioningConfiguration={"Status": "Enabled"})
        for i in range(NVERSIONS):
            s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"%d" % i)
        env = m.env({"AWS_ENDPOINT_URL": p.url})
        uri = "s3://%s" % BUCKET

        # The unfaulted run, and the requests its pages made.
        status, base, err = run(env, "--json", "versions", uri)
        tap.is_(status, 0, "unfaulted versions exits 0")
        base_doc = json.loads(base) if is_json(base) else []
        tap.is_(len(base_doc), NVERSIONS, "unfaulted: all %d versions" % NVERSIONS)
        pages = versions_requests(p)
        tap.is_(len(pages), 3, "unfaulted: three pages of ListObjectVersions")
        if len(pages) < 2:
            tap.bail_out("no second page to fault")
        page2 = pages[1]["path"]
        tap.like(page2, r"key-marker=", "the 2nd page asks from a key marker")

        def is_page2(rec):
            return rec["path"] == page2

        # 1. The 2nd page is cut short every time.
        p.requests.clear()
        f = p.truncate(0.5, match=is_page2, count=None)
        status, out, err = run(env, "--json", "versions", uri)
        p.clear()
        tap.is_(status, 10, "truncated 2nd page: exit 10 (incomplete listing)")
        tap.like(err, r"listing stopped after 1 page \(1000 versions\)",
                 "truncated 2nd page: stderr says how far it got")
        tap.like(err, r"incomplete", "truncated 2nd page: says the output is incomplete")
        tap.ok(not is_json(out), "truncated 2nd page: stdout is not a complete JSON document")
        tap.ok(out.lstrip().startswith("[") and out.count('"version_id"') == 1000,
               "truncated 2nd page: the first page's 1000 versions were streamed")
        tap.ok(f.hits >= 2, "truncated 2nd page: it was retried (%d attempts)" % f.hits)

        p.truncate(0.5, match=is_page2, count=None)
        status, out, err = run(env, "versions", uri)
        p.clear()
        tap.is_(status, 10, "truncated 2nd page, human output: exit 10 too")
        tap.like(err, r"listing stopped after 1 page",
                 "truncated 2nd page, human output: says how far it got")

        # 2. Malformed XML.
        p.requests.clear()
        p.corrupt(match=is_page2, count=None)
        status, out, err = run(env, "--json", "versions", uri)
        p.clear()
        tap.ok(status in (8, 10), "corrupt 2nd page: exit 10 or 8 (got %d)" % status)
        tap.is_(status, 10, "corrupt 2nd page: after a delivered page it is incomplete (10)")
        tap.like(err, r"(?i)listing stopped after 1 page.*(pars|XML|malformed|bad response)",
                 "corrupt 2nd page: a clear message")
        tap.ok(not is_json(out), "corrupt 2nd page: stdout is not a complete JSON document")

        p.corrupt(match=lambda r: "versions" in r["path"] and "key-marker" not in r["path"],
                  count=None)
        status, out, err = run(env, "--json", "versions", uri)
        p.clear()
        tap.is_(status, 8, "corrupt 1st page: exit 8 (response could not be parsed)")
        tap.like(err, r"(?i)ListObjectVersions|versions", "corrupt 1st page: names what failed")
        tap.unlike(err, r"listing stopped", "corrupt 1st page: nothing was listed")

        # 3. Throttled twice, then fine: the same output as unfaulted.
        p.requests.clear()
        f = p.throttle_xml(match=is_page2, count=2)
        status, out, err = run(env, "--json", "versions", uri)
        p.clear()
        tap.is_(status, 0, "throttled then success: exit 0")
        tap.is_(f.hits, 2, "throttled then success: both throttles were hit")
        tap.ok(out == base, "throttled then success: output identical to the unfaulted run")

        status, human_base, err = run(env, "versions", uri)
        f = p.throttle_xml(match=is_page2, count=1)
        status, human, err = run(env, "versions", uri)
        p.clear()
        tap.is_(status, 0, "throttled then success (human): exit 0")
        tap.ok(human == human_base and len(human.splitlines()) == NVERSIONS + 1,
               "throttled then success (human): identical output")

        # 4. One table's PITR status is denied: warning, field left out.
        ddb = m.client("dynamodb")
        for t in ("alpha", "bravo"):
            ddb.create_table(
                TableName=t, BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        denied = json.dumps({
            "__type": "com.amazon.coral.service#AccessDeniedException",
            "message": "User is not authorized to perform: "
                       "dynamodb:DescribeContinuousBackups"}).encode()
        p.status(400, denied, {"Content-Type": "application/x-amz-json-1.0"},
                 match=lambda r: r["target"] == "DynamoDB_20120810.DescribeContinuousBackups"
                 and b'"bravo"' in r["body"], count=None)
        status, out, err = run(env, "--json", "ls", "dynamodb://")
        p.clear()
        tap.is_(status, 0, "a denied per-table lookup does not fail the listing")
        doc = json.loads(out) if is_json(out) else []
        rows = {t["name"]: t for t in doc}
        tap.is_(sorted(rows), ["alpha", "bravo"], "both tables listed")
        tap.ok("pitr" in rows.get("alpha", {}) and "pitr" not in rows.get("bravo", {}),
               "the denied field is left out, the other table keeps it")
        tap.like(err, r"warning: .*bravo.*(?i:denied|not authorized)",
                 "a warning names the table and the denial")
        tap.unlike(err, r"alpha", "no warning for the table that worked")

        # 5. The automated backups (only the window's start) are denied:
        # the points are still shown, the start is unknown, with a warning.
        rds = m.client("rds")
        rds.create_db_instance(
            DBInstanceIdentifier="db-faults", DBInstanceClass="db.t3.micro",
            Engine="postgres", MasterUsername="admin",
            MasterUserPassword="password1", AllocatedStorage=20,
            BackupRetentionPeriod=7)
        denied = (b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied"
                  b"</Code><Message>User is not authorized to perform: "
                  b"rds:DescribeDBInstanceAutomatedBackups</Message></Error>"
                  b"<RequestId>faultproxy-denied</RequestId></ErrorResponse>")
        p.status(403, denied, {"Content-Type": "text/xml"},
                 match="DescribeDBInstanceAutomatedBackups", count=None)
        status, out, err = run(env, "--json", "points", "rds://db-faults")
        p.clear()
        tap.is_(status, 0, "points with the automated backups denied: exit 0")
        doc = json.loads(out) if is_json(out) else {}
        pitr = doc.get("pitr") or {}
        tap.ok(pitr.get("status") == "ENABLED" and pitr.get("earliest") is None
               and pitr.get("latest") is not None,
               "the window is shown with its start unknown")
        tap.like(err, r"warning: the start of the point-in-time window is unknown: .*"
                 r"DescribeDBInstanceAutomatedBackups",
                 "a warning says what is unknown and why")

        p.status(403, denied.replace(b"DescribeDBInstanceAutomatedBackups",
                                     b"DescribeDBSnapshots"),
                 {"Content-Type": "text/xml"}, match="DescribeDBSnapshots",
                 count=None)
        status, out, err = run(env, "--json", "points", "rds://db-faults")
        p.clear()
        tap.is_(status, 5, "points with the snapshots denied: exit 5 (access denied)")
        tap.is_(out, "", "points with the snapshots denied: nothing printed")
        tap.like(err, r"DescribeDBSnapshots", "and the message names the IAM action")

        # 6. 'ls s3://' looks up the buckets' versioning concurrently: with
        # the first lookups held at the proxy, the others are still sent.
        for b in ("salvage-faults-b", "salvage-faults-c"):
            s3.create_bucket(Bucket=b)

        def is_versioning(rec):
            return rec["method"] == "GET" and rec["path"].endswith("?versioning")

        p.requests.clear()
        p.hold(match=is_versioning, count=3)
        proc = subprocess.Popen([SALVAGE, "--json", "ls", "s3://"], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            p.wait_for_request(match=is_versioning, n=3, timeout=20)
            deadline = time.monotonic() + 5
            while len(p.held()) < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            concurrent = len(p.held()) == 3
        except TimeoutError:
            concurrent = False
        p.release()
        out, err = proc.communicate(timeout=120)
        p.clear()
        tap.ok(concurrent, "ls s3://: three GetBucketVersioning in flight at once")
        tap.is_(proc.returncode, 0, "ls s3:// with held lookups: exit 0 once released")
        doc = json.loads(out) if is_json(out.decode()) else []
        tap.is_(sorted((b["name"], b.get("versioning")) for b in doc),
                [("salvage-faults", "Enabled"), ("salvage-faults-b", "Disabled"),
                 ("salvage-faults-c", "Disabled")],
                "ls s3:// with held lookups: every bucket's versioning")
    tap.done_testing()


main()
