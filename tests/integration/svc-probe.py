#!/usr/bin/env python3
"""src/svc against moto, through tests/svc-probe (svc_sync_wait and the
real client), compared with what boto3 sees for the same data.

Seeds: a versioned bucket with one key of 1005 versions (paging), keys
with a space, '+', unicode and '//', delete markers, 'null' versions
written before versioning; a DynamoDB table with a GSI, PITR and backups;
RDS instances (with and without retention) with snapshots.
"""

import calendar
import json
import os
import subprocess
import sys
import time

SRCDIR = os.environ.get(
    "SALVAGE_SRCDIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILDDIR = os.environ.get("SALVAGE_BUILDDIR", os.getcwd())
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                      # noqa: E402
from faultproxy import FaultProxy  # noqa: E402
from moto import Moto           # noqa: E402  (the harness helper)

PROBE = os.path.join(BUILDDIR, "tests", "svc-probe")


def ms(dt):
    """Milliseconds since the epoch, sub-millisecond digits dropped (as
    sv_time_parse_iso does)."""
    if dt is None:
        return None
    return calendar.timegm(dt.utctimetuple()) * 1000 + dt.microsecond // 1000


def probe(m, *args, env=None):
    """Runs svc-probe; returns (list of page/item dicts, final dict)."""
    t0 = time.time()
    r = subprocess.run([PROBE, *args], env=env or m.env(), capture_output=True,
                       text=True, timeout=300)
    if time.time() - t0 > 5:
        tap.diag("svc-probe %s took %.1f s" % (" ".join(args), time.time() - t0))
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    if not lines or "done" not in lines[-1]:
        tap.diag("svc-probe %s: rc %d\nstdout: %s\nstderr: %s"
                 % (" ".join(args), r.returncode, r.stdout[-2000:],
                    r.stderr[-2000:]))
        return lines, {"done": False, "result": "?", "pages": 0,
                       "error": r.stderr}
    if lines[-1]["result"] != "ok":
        tap.diag("svc-probe %s: %s" % (" ".join(args), lines[-1]["error"]))
    return lines[:-1], lines[-1]


def boto_versions(s3, bucket, **kw):
    """(entries as tuples, common prefixes) from boto3's paginator."""
    out, prefixes = [], []
    for page in s3.get_paginator("list_object_versions").paginate(
            Bucket=bucket, **kw):
        for v in page.get("Versions", []):
            out.append((v["Key"], v["VersionId"], v["IsLatest"], False,
                        ms(v["LastModified"]), v["Size"], v["ETag"],
                        v.get("StorageClass")))
        for d in page.get("DeleteMarkers", []):
            out.append((d["Key"], d["VersionId"], d["IsLatest"], True,
                        ms(d["LastModified"]), -1, None, None))
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    return out, prefixes


def probe_versions(pages):
    out, prefixes = [], []
    for p in pages:
        for e in p["entries"]:
            out.append((e["key"], e["version_id"], e["is_latest"],
                        e["delete_marker"], e["last_modified"], e["size"],
                        e["etag"], e["storage_class"]))
        prefixes += p["prefixes"]
    return out, prefixes


def seed_s3(m):
    s3 = m.client("s3")
    s3.create_bucket(Bucket="vers")
    # written while versioning was never enabled: version id "null"
    s3.put_object(Bucket="vers", Key="old/plain.txt", Body=b"before")
    s3.put_bucket_versioning(Bucket="vers",
                             VersioningConfiguration={"Status": "Enabled"})
    keys = ["a b.txt", "c+d.txt", "caf\u00e9/\u2603 snow.txt", "logs//x.log",
            "q&a <1>.txt", "old/plain.txt", "dir/sub/deep.txt", "dir/top.txt"]
    for k in keys:
        for body in (b"1", b"22", b"333"):
            s3.put_object(Bucket="vers", Key=k, Body=body)
    for k in ("a b.txt", "logs//x.log", "dir/top.txt"):
        s3.delete_object(Bucket="vers", Key=k)      # delete markers
    s3.delete_object(Bucket="vers", Key="c+d.txt")
    s3.put_object(Bucket="vers", Key="c+d.txt", Body=b"back")

    # sequentially: moto loses versions written concurrently to one key
    for i in range(1005):
        s3.put_object(Bucket="vers", Key="many", Body=b"x" * (i % 7))
    s3.create_bucket(Bucket="plainbucket")
    return s3


def test_s3(m):
    s3 = seed_s3(m)

    want, _ = boto_versions(s3, "vers")
    pages, fin = probe(m, "versions", "vers")
    got, _ = probe_versions(pages)
    tap.is_(fin["result"], "ok", "versions: listing completes")
    tap.ok(sum(1 for e in want if e[0] == "many") == 1005,
           "seed: boto3 sees 1005 versions of one key")
    tap.ok(fin["pages"] >= 2 and fin["pages"] == len(pages),
           "versions: more than one page for > 1000 versions (%d)" % fin["pages"])
    tap.is_(len(got), len(want), "versions: as many entries as boto3")
    tap.is_(sorted(got, key=repr), sorted(want, key=repr),
            "versions: the same entries as boto3 (keys, ids, flags, sizes, etags, times)")
    tap.is_(len(set((e[0], e[1]) for e in got)), len(got),
            "versions: no entry twice across pages")
    tap.ok(all(len(p["entries"]) <= 1000 for p in pages), "versions: pages of at most 1000")
    # Document order is kept: boto3 splits versions from delete markers,
    # each list in the response's order; ours must agree within each.
    tap.is_([e for e in got if not e[3]], [e for e in want if not e[3]],
            "versions: versions in the response's order")
    tap.is_([e for e in got if e[3]], [e for e in want if e[3]],
            "versions: delete markers in the response's order")
    tap.ok(any(e[1] == "null" for e in got if e[0] == "old/plain.txt"),
           "versions: the version written before versioning is 'null'")
    for k in ("a b.txt", "c+d.txt", "caf\u00e9/\u2603 snow.txt", "logs//x.log",
              "q&a <1>.txt"):
        tap.ok(any(e[0] == k for e in got), "versions: key %r comes back intact" % k)
    dm = [e for e in got if e[3]]
    tap.is_(len(dm), 4, "versions: 4 delete markers")
    tap.ok(all(e[5] == -1 and e[6] is None for e in dm),
           "versions: delete markers have no size or etag")
    tap.ok(all(e[6].startswith('"') for e in got if not e[3]),
           "versions: etags keep their quotes")

    # smaller pages: the markers carry over page boundaries (moto copies
    # every version for each request, so pages of 7 would be slow)
    pages, fin = probe(m, "versions", "vers", "", "", "100")
    got100, _ = probe_versions(pages)
    tap.is_(fin["result"], "ok", "versions by 100: completes")
    tap.is_(sorted(got100, key=repr), sorted(want, key=repr),
            "versions by 100: the same entries")
    tap.ok(fin["pages"] == (len(want) + 99) // 100, "versions by 100: %d pages" % fin["pages"])
    tap.ok(all(p["truncated"] == (i < len(pages) - 1) for i, p in enumerate(pages)),
           "versions by 100: only the last page is not truncated")
    wantd, _ = boto_versions(s3, "vers", Prefix="dir/")
    pages, fin = probe(m, "versions", "vers", "dir/", "", "2")
    gotd, _ = probe_versions(pages)
    tap.ok(fin["result"] == "ok" and fin["pages"] == 4
           and sorted(gotd, key=repr) == sorted(wantd, key=repr),
           "versions dir/ by 2: 7 entries (one a delete marker) over 4 pages")

    # prefix and delimiter
    wantp, wantcp = boto_versions(s3, "vers", Prefix="dir/", Delimiter="/")
    pages, fin = probe(m, "versions", "vers", "dir/", "/")
    gotp, gotcp = probe_versions(pages)
    tap.is_(sorted(gotp, key=repr), sorted(wantp, key=repr),
            "versions dir/ with delimiter: the same entries as boto3")
    tap.is_(sorted(gotcp), sorted(wantcp), "versions dir/: the same common prefixes")
    tap.is_(gotcp, ["dir/sub/"], "versions dir/: dir/sub/ is a common prefix")

    wantu, _ = boto_versions(s3, "vers", Prefix="caf\u00e9/")
    pages, fin = probe(m, "versions", "vers", "caf\u00e9/")
    gotu, _ = probe_versions(pages)
    tap.ok(len(gotu) == 3 and sorted(gotu, key=repr) == sorted(wantu, key=repr),
           "versions: a unicode prefix is sent and matched")

    # the callback stops: done with ok after that page
    pages, fin = probe(m, "versions", "vers", "", "", "10", "2")
    tap.is_((fin["result"], fin["pages"], len(pages)), ("ok", 2, 2),
            "versions: a callback returning false stops with ok after 2 pages")
    pages, fin = probe(m, "versions-cancel", "vers", "", "", "10")
    tap.is_((fin["result"], fin["pages"]), ("cancelled", 1),
            "versions: cancelled from the callback: done says cancelled, 1 page")

    pages, fin = probe(m, "versions", "no-such-bucket")
    tap.is_(fin["result"], "not found", "versions: a missing bucket is not found")
    tap.like(fin["error"] or "", r"^listing versions of s3://no-such-bucket/: .*NoSuchBucket",
             "versions: the error says what was being listed")

    items, fin = probe(m, "versioning", "vers")
    tap.is_(items and items[0]["status"], "Enabled", "versioning: Enabled")
    items, fin = probe(m, "versioning", "plainbucket")
    tap.is_(items and items[0]["status"], "Never enabled", "versioning: never enabled")
    items, fin = probe(m, "location", "vers")
    tap.is_(items and items[0]["region"], "us-east-1", "location: us-east-1")
    items, fin = probe(m, "object-lock", "vers")
    tap.is_((fin["result"], items and items[0]["enabled"]), ("ok", False),
            "object lock: none configured is a result, not an error")

    items, fin = probe(m, "head", "vers", "a b.txt")
    tap.is_((fin["result"], items and items[0]["delete_marker"]), ("ok", True),
            "head: a key whose current version is a delete marker")
    h = s3.head_object(Bucket="vers", Key="c+d.txt")
    items, fin = probe(m, "head", "vers", "c+d.txt")
    tap.ok(fin["result"] == "ok" and items and items[0]["etag"] == h["ETag"]
           and items[0]["size"] == h["ContentLength"]
           and items[0]["version_id"] == h["VersionId"],
           "head: size, etag and version id as boto3 sees them")
    dmid = [e[1] for e in dm if e[0] == "a b.txt"][0]
    items, fin = probe(m, "head", "vers", "a b.txt", dmid)
    tap.is_((fin["result"], items and items[0]["delete_marker"]), ("ok", True),
            "head: asking for a delete marker's version (405) is a delete marker")
    items, fin = probe(m, "head", "vers", "nope")
    tap.is_(fin["result"], "not found", "head: a missing key is not found")

    items, fin = probe(m, "buckets")
    names = sorted(b["name"] for p in items for b in p["buckets"])
    tap.is_(names, sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
            "buckets: the same names as boto3")

    items, fin = probe(m, "objects", "vers")
    got = sorted(o["key"] for p in items for o in p["objects"])
    want = sorted(o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket="vers") for o in page.get("Contents", []))
    tap.is_(got, want, "objects: the same current keys as boto3")


PAGE_NO_MARKER = (b'<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult>'
                  b'<Name>vers</Name><IsTruncated>true</IsTruncated><Version><Key>k</Key>'
                  b'<VersionId>v</VersionId><IsLatest>true</IsLatest>'
                  b'<LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"e"</ETag>'
                  b'<Size>1</Size><StorageClass>STANDARD</StorageClass></Version>'
                  b'</ListVersionsResult>')
PAGE_SAME_MARKER = PAGE_NO_MARKER.replace(
    b"<IsTruncated>", b"<NextKeyMarker>k</NextKeyMarker>"
    b"<NextVersionIdMarker>v</NextVersionIdMarker><IsTruncated>")


def test_s3_faults(m):
    """A listing that fails part-way is an error that says how far it got,
    never a short listing reported as complete."""
    want, _ = boto_versions(m.client("s3"), "vers", Prefix="many")
    with FaultProxy(m.url) as p:
        env = m.env({"AWS_ENDPOINT_URL": p.url})

        p.truncate(0.5, match="key-marker", count=1)
        pages, fin = probe(m, "versions", "vers", "many", "", "100", env=env)
        got, _ = probe_versions(pages)
        tap.ok(fin["result"] == "ok" and sorted(got, key=repr) == sorted(want, key=repr),
               "a page cut in transit once is retried: the listing is whole")
        p.clear()

        p.corrupt(match="key-marker", count=None)
        pages, fin = probe(m, "versions", "vers", "many", "", "100", env=env)
        tap.is_((fin["result"], fin["pages"], len(pages)),
                ("response could not be parsed", 1, 1),
                "a corrupt second page: parse error after the first page")
        tap.like(fin["error"] or "", r"^listing versions of s3://vers/many \(after 1 page, "
                 r"100 versions\): ListObjectVersions: bad response",
                 "the error says how far the listing got")
        p.clear()

        p.status(200, b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError'
                 b'</Code><Message>We encountered an internal error.</Message></Error>',
                 {"Content-Type": "application/xml"}, match="key-marker", count=None)
        pages, fin = probe(m, "versions", "vers", "many", "", "100", env=env)
        tap.ok(fin["result"] != "ok" and fin["pages"] == 1
               and "InternalError" in (fin["error"] or ""),
               "a 200 carrying <Error> on page 2 is an error, not the end of the listing")
        p.clear()

        p.status(200, PAGE_NO_MARKER, {"Content-Type": "application/xml"},
                 match="versions", count=None)
        pages, fin = probe(m, "versions", "vers", env=env)
        tap.is_((fin["result"], len(pages)), ("response could not be parsed", 0),
                "IsTruncated without NextKeyMarker is an error (no endless loop)")
        p.clear()

        p.status(200, PAGE_SAME_MARKER, {"Content-Type": "application/xml"},
                 match="versions", count=None)
        pages, fin = probe(m, "versions", "vers", env=env)
        tap.ok(fin["result"] == "response could not be parsed" and len(pages) <= 2
               and "repeat" in (fin["error"] or ""),
               "next markers that do not move are an error (no endless loop)")
        p.clear()


def test_dynamodb(m):
    ddb = m.client("dynamodb")
    ddb.create_table(
        TableName="orders",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by-g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")
    ddb.create_table(
        TableName="other",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    for i in range(5):
        ddb.put_item(TableName="orders", Item={"pk": {"S": "p%d" % i},
                                               "sk": {"N": str(i)}})
    ddb.update_continuous_backups(
        TableName="orders",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    arns = [ddb.create_backup(TableName="orders", BackupName="bak%d" % i)
            ["BackupDetails"]["BackupArn"] for i in range(3)]
    other_arn = ddb.create_backup(TableName="other", BackupName="other1")[
        "BackupDetails"]["BackupArn"]

    t = ddb.describe_table(TableName="orders")["Table"]
    items, fin = probe(m, "table", "orders")
    tap.is_(fin["result"], "ok", "describe table: ok")
    got = items[0] if items else {}
    tap.is_(got.get("name"), t["TableName"], "describe table: name")
    tap.is_(got.get("arn"), t["TableArn"], "describe table: arn")
    tap.is_(got.get("status"), t["TableStatus"], "describe table: status")
    tap.is_(got.get("item_count"), t["ItemCount"], "describe table: item count")
    tap.is_(got.get("created"), ms(t["CreationDateTime"]), "describe table: created")
    tap.is_(got.get("billing_mode"), "PAY_PER_REQUEST", "describe table: billing mode")
    tap.is_([(k["attr"], k["key_type"], k["attr_type"]) for k in got.get("keys", [])],
            [("pk", "HASH", "S"), ("sk", "RANGE", "N")], "describe table: key schema")
    tap.is_(got.get("gsis"), [g["IndexName"] for g in t.get("GlobalSecondaryIndexes", [])],
            "describe table: GSIs")
    items, fin = probe(m, "table", "other")
    tap.ok(items and items[0]["billing_mode"] == "PROVISIONED" and items[0]["rcu"] == 3
           and items[0]["wcu"] == 4, "describe table: provisioned capacity")
    items, fin = probe(m, "table", "nope")
    tap.is_(fin["result"], "not found", "describe table: a missing table is not found")
    tap.like(fin["error"] or "", r"^describing dynamodb://nope: .*ResourceNotFoundException",
             "describe table: the error names the table")

    cb = ddb.describe_continuous_backups(TableName="orders")[
        "ContinuousBackupsDescription"]
    p = cb["PointInTimeRecoveryDescription"]
    items, fin = probe(m, "pitr", "orders")
    got = items[0] if items else {}
    tap.ok(got.get("pitr_enabled") and got.get("pitr_status") == "ENABLED",
           "pitr: enabled")
    tap.is_((got.get("earliest"), got.get("latest")),
            (ms(p.get("EarliestRestorableDateTime")), ms(p.get("LatestRestorableDateTime"))),
            "pitr: the window boto3 sees")
    items, fin = probe(m, "pitr", "other")
    tap.ok(items and not items[0]["pitr_enabled"] and items[0]["earliest"] is None,
           "pitr: disabled on the other table")

    items, fin = probe(m, "backups", "orders")
    got = [b["arn"] for p in items for b in p["backups"]]
    tap.is_(sorted(got), sorted(arns), "backups of orders: each once, every kind listed")
    tap.ok(fin["pages"] >= 3, "backups: USER, SYSTEM and AWS_BACKUP listed in turn")
    items, fin = probe(m, "backups")
    got = [b["arn"] for p in items for b in p["backups"]]
    tap.is_(sorted(got), sorted(arns + [other_arn]), "backups of every table")
    items, fin = probe(m, "backups", "orders", "USER")
    tap.is_(sorted(b["name"] for p in items for b in p["backups"]), ["bak0", "bak1", "bak2"],
            "backups: USER only")

    items, fin = probe(m, "tables")
    tap.is_(sorted(n for p in items for n in p["names"]), ["orders", "other"],
            "tables: both")


def test_rds(m):
    rds = m.client("rds")
    rds.create_db_instance(DBInstanceIdentifier="orders-db", Engine="postgres",
                           DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                           MasterUsername="admin", MasterUserPassword="secret123",
                           BackupRetentionPeriod=7)
    rds.create_db_instance(DBInstanceIdentifier="scratch", Engine="mysql",
                           DBInstanceClass="db.t3.micro", AllocatedStorage=5,
                           MasterUsername="admin", MasterUserPassword="secret123",
                           BackupRetentionPeriod=0)
    for i in range(2):
        rds.create_db_snapshot(DBInstanceIdentifier="orders-db",
                               DBSnapshotIdentifier="orders-snap-%d" % i)

    want = {d["DBInstanceIdentifier"]: d for d in rds.describe_db_instances()["DBInstances"]}
    items, fin = probe(m, "rds-instances")
    got = {d["id"]: d for p in items for d in p["instances"]}
    tap.is_(fin["result"], "ok", "rds instances: ok")
    tap.is_(sorted(got), sorted(want), "rds instances: the same ids as boto3")
    for i in sorted(want):
        g, w = got.get(i, {}), want[i]
        tap.ok(g.get("engine") == w["Engine"] and g.get("status") == w["DBInstanceStatus"]
               and g.get("backup_retention") == w["BackupRetentionPeriod"]
               and g.get("allocated_storage") == w["AllocatedStorage"]
               and g.get("arn") == w["DBInstanceArn"]
               and g.get("endpoint_port") == w.get("Endpoint", {}).get("Port", -1)
               and g.get("created") == ms(w.get("InstanceCreateTime")),
               "rds instance %s: engine, status, retention, storage, arn, port, created" % i)
        tap.is_(g.get("vpc_security_groups"),
                [s["VpcSecurityGroupId"] for s in w.get("VpcSecurityGroups", [])],
                "rds instance %s: security groups" % i)
    items, fin = probe(m, "rds-instances", "nope")
    tap.is_(fin["result"], "not found", "rds instances: a missing id is not found")
    tap.like(fin["error"] or "", r"^describing rds://nope: .*DBInstanceNotFound",
             "rds instances: the error names the instance")

    want = sorted(s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(
        DBInstanceIdentifier="orders-db")["DBSnapshots"])
    items, fin = probe(m, "rds-snapshots", "orders-db")
    got = sorted(s["id"] for p in items for s in p["snapshots"])
    tap.is_(got, want, "rds snapshots of orders-db: as boto3")
    tap.ok({"orders-snap-0", "orders-snap-1"} <= set(got), "rds snapshots: both manual ones")

    items, fin = probe(m, "rds-automated-backups")
    tap.is_(fin["result"], "ok", "rds automated backups: ok")


def test_sts(m):
    items, fin = probe(m, "whoami")
    tap.ok(fin["result"] == "ok" and items and items[0]["account"] == "123456789012",
           "whoami: the moto account")


def main():
    if not os.path.exists(PROBE):
        tap.skip_all("tests/svc-probe is not built")
    with Moto() as m:
        test_s3(m)
        test_s3_faults(m)
        test_dynamodb(m)
        test_rds(m)
        test_sts(m)
    tap.done_testing()


main()
