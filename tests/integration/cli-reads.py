#!/usr/bin/env python3
"""cli-reads.py - the read-only CLI commands (whoami, ls, versions, points)
against moto, compared with what aws-cli reports for the same state.

Seeds moto with boto3: a versioned bucket with awkward keys (spaces, '+',
'=', '~', unicode, '//'), one key with more than 1,000 versions (so the
listing pages), delete markers, an unversioned bucket; DynamoDB tables with
PITR on and off and backups; RDS instances with retention 7 and 0 and a
manual snapshot; an Aurora cluster with a manual cluster snapshot.

moto's known gaps (see AWS-NOTES), which the comparisons allow for here and
the product never special-cases:
  * ListObjectVersions ignores encoding-type=url: keys come back raw, so
    salvage's decode-only-when-echoed rule is what keeps them intact;
  * S3 LastModified has one-second resolution: many versions share a time,
    so versions are compared as sets and by S3's document order of keys;
  * DynamoDB's PITR window is frozen at the moment PITR was enabled;
  * RDS automated backups carry no RestoreWindow: the window's earliest
    edge is unknown (null), and LatestRestorableTime is always "now", so
    it is compared with a tolerance;
  * RDS times carry microseconds; salvage keeps milliseconds, so instants
    are compared truncated to the millisecond.
"""

import datetime
import json
import os
import re
import subprocess
import sys

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                      # noqa: E402
from moto import Moto           # noqa: E402  (the harness, not the package)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))

BUCKET = "salvage-reads"
PLAIN = "salvage-plain"
AWKWARD = ["with space.txt", "a+b=c~d.txt", "caf\u00e9/\u65e5\u672c.txt",
           "dir//double", "dir/sub/deep.txt", "dir/file.txt", "top.txt",
           "gone.txt", "tilde~/x=1+2"]
MANY = "many/versions.bin"
NMANY = 1100


def run(m, *args, env=None, timeout=120):
    """Runs salvage; returns (status, stdout, stderr)."""
    r = subprocess.run([SALVAGE] + list(args), env=env or m.env(),
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def run_json(m, *args, **kw):
    status, out, err = run(m, "--json", *args, **kw)
    try:
        doc = json.loads(out)
    except ValueError as e:
        doc = None
        tap.diag("salvage %s: not JSON (%s)\n--- stdout ---\n%s\n--- stderr ---\n%s"
                 % (" ".join(args), e, out[:2000], err))
    return status, doc, err


def ms(value):
    """An instant as integer milliseconds since the epoch (truncated):
    ISO-8601 strings (any precision, Z or offset), epoch seconds (DynamoDB),
    or None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return int(round(value * 1000))
    s = value.replace("Z", "+00:00")
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d:\d\d)$", s)
    if not m:
        raise ValueError("not an ISO-8601 time: %r" % value)
    frac = (m.group(2) or ".0")[1:]
    base = datetime.datetime.fromisoformat(m.group(1) + m.group(3))
    return int(base.timestamp()) * 1000 + int((frac + "000")[:3])


def iso_ok(value):
    return isinstance(value, str) and re.match(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$", value) is not None


# --- seeding ------------------------------------------------------------------

def seed(m):
    s3 = m.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET,
                             VersioningConfiguration={"Status": "Enabled"})
    for k in AWKWARD:
        s3.put_object(Bucket=BUCKET, Key=k, Body=b"first " + k.encode())
        s3.put_object(Bucket=BUCKET, Key=k, Body=b"second version of " + k.encode())
    s3.delete_object(Bucket=BUCKET, Key="gone.txt")          # a delete marker
    s3.delete_object(Bucket=BUCKET, Key="dir/file.txt")      # another one
    s3.put_object(Bucket=BUCKET, Key="dir/file.txt", Body=b"back again")
    for i in range(NMANY):
        s3.put_object(Bucket=BUCKET, Key=MANY, Body=b"v%d" % i)
    s3.create_bucket(Bucket=PLAIN)
    s3.put_object(Bucket=PLAIN, Key="only.txt", Body=b"unversioned")

    ddb = m.client("dynamodb")
    for t in ("orders", "events"):
        ddb.create_table(
            TableName=t, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    ddb.update_continuous_backups(
        TableName="orders",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    for i in range(3):
        ddb.put_item(TableName="orders", Item={"pk": {"S": "o%d" % i}})
    ddb.create_backup(TableName="orders", BackupName="nightly-1")
    ddb.create_backup(TableName="orders", BackupName="nightly-2")
    ddb.create_backup(TableName="events", BackupName="events-only")

    rds = m.client("rds")
    for ident, keep in (("db-keep", 7), ("db-none", 0)):
        rds.create_db_instance(
            DBInstanceIdentifier=ident, DBInstanceClass="db.t3.micro",
            Engine="postgres", MasterUsername="admin",
            MasterUserPassword="password1", AllocatedStorage=20,
            BackupRetentionPeriod=keep)
    rds.create_db_snapshot(DBInstanceIdentifier="db-keep",
                           DBSnapshotIdentifier="keep-manual-1")
    rds.create_db_cluster(DBClusterIdentifier="aurora-main",
                          Engine="aurora-postgresql", MasterUsername="admin",
                          MasterUserPassword="password1",
                          BackupRetentionPeriod=7)
    rds.create_db_cluster_snapshot(DBClusterIdentifier="aurora-main",
                                   DBClusterSnapshotIdentifier="aurora-manual-1")


# --- comparisons --------------------------------------------------------------

def aws_versions(m, prefix=None):
    args = ["s3api", "list-object-versions", "--bucket", BUCKET]
    if prefix is not None:
        args += ["--prefix", prefix]
    doc = m.aws(*args) or {}
    rows = []
    for v in doc.get("Versions") or []:
        rows.append((v["Key"], v["VersionId"], v["IsLatest"], False,
                     ms(v["LastModified"]), v["Size"], v["ETag"],
                     v.get("StorageClass")))
    for d in doc.get("DeleteMarkers") or []:
        rows.append((d["Key"], d["VersionId"], d["IsLatest"], True,
                     ms(d["LastModified"]), None, None, None))
    return sorted(rows)


def salvage_versions_rows(doc):
    return sorted((v["key"], v["version_id"], v["latest"], v["delete_marker"],
                   ms(v["last_modified"]), v["size"], v["etag"],
                   v["storage_class"]) for v in doc)


def test_whoami(m):
    status, doc, err = run_json(m, "whoami")
    tap.is_(status, 0, "whoami exits 0")
    doc = doc or {}
    tap.is_(doc.get("account"), "123456789012", "whoami: moto's account")
    ident = m.aws("sts", "get-caller-identity")
    tap.is_(doc.get("arn"), ident["Arn"], "whoami: ARN as aws sts get-caller-identity")
    tap.is_(doc.get("user_id"), ident["UserId"], "whoami: user id as aws-cli")
    tap.is_(doc.get("region"), "us-east-1", "whoami: region from AWS_REGION")
    tap.is_(doc.get("endpoint"), m.url, "whoami: the custom endpoint")
    tap.is_(doc.get("custom_endpoint"), True, "whoami: says the endpoint is custom")
    tap.like(doc.get("credentials") or "", r"(?i)environment",
             "whoami: credentials came from the environment")
    tap.is_(doc.get("profile"), "default", "whoami: the default profile")

    status, out, err = run(m, "whoami")
    tap.is_(status, 0, "whoami (human) exits 0")
    tap.like(out, r"(?m)^account\s+123456789012$", "whoami human: account line")
    tap.like(out, r"(?m)^endpoint\s+" + re.escape(m.url) + r" \(custom\)$",
             "whoami human: endpoint line")


def test_ls_buckets(m):
    status, doc, err = run_json(m, "ls", "s3://")
    tap.is_(status, 0, "ls s3:// exits 0")
    tap.is_(err, "", "ls s3:// prints no warnings")
    doc = doc or []
    aws = m.aws("s3api", "list-buckets")["Buckets"]
    tap.is_([b["name"] for b in doc], [b["Name"] for b in aws],
            "ls s3://: the same buckets as aws s3api list-buckets")
    tap.is_([ms(b["created"]) for b in doc], [ms(b["CreationDate"]) for b in aws],
            "ls s3://: the same creation times")
    tap.ok(all(iso_ok(b["created"]) for b in doc), "ls s3://: times are ISO-8601 UTC with Z")
    want = {}
    for b in aws:
        v = m.aws("s3api", "get-bucket-versioning", "--bucket", b["Name"]) or {}
        want[b["Name"]] = v.get("Status", "Disabled")
    tap.is_({b["name"]: b.get("versioning") for b in doc}, want,
            "ls s3://: versioning as get-bucket-versioning (never enabled: Disabled)")
    regions = {}
    for b in aws:
        loc = m.aws("s3api", "get-bucket-location", "--bucket", b["Name"]) or {}
        regions[b["Name"]] = loc.get("LocationConstraint") or "us-east-1"
    tap.is_({b["name"]: b.get("region") for b in doc}, regions,
            "ls s3://: regions as get-bucket-location")

    status, out, err = run(m, "ls", "s3://")
    tap.is_(status, 0, "ls s3:// (human) exits 0")
    tap.like(out, r"(?m)^CREATED\s+REGION\s+VERSIONING\s+NAME$", "ls s3:// human: header")
    tap.like(out, r"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+us-east-1\s+Enabled\s+"
             + BUCKET + "$", "ls s3:// human: the versioned bucket's row")
    tap.like(out, r"(?m)\s+Disabled\s+" + PLAIN + "$",
             "ls s3:// human: the unversioned bucket's row")


def test_ls_objects(m):
    for prefix in ("", "dir/", "caf\u00e9/", "dir/f"):
        uri = "s3://%s/%s" % (BUCKET, prefix)
        status, doc, err = run_json(m, "ls", uri)
        tap.is_(status, 0, "ls %s exits 0" % uri)
        doc = doc or {}
        args = ["s3api", "list-objects-v2", "--bucket", BUCKET, "--delimiter", "/"]
        if prefix:
            args += ["--prefix", prefix]
        aws = m.aws(*args) or {}
        tap.is_(sorted(doc.get("prefixes") or []),
                sorted(p["Prefix"] for p in aws.get("CommonPrefixes") or []),
                "ls %s: common prefixes as list-objects-v2 --delimiter /" % uri)
        tap.is_([(o["key"], o["size"], o["etag"], ms(o["last_modified"]),
                  o["storage_class"]) for o in doc.get("objects") or []],
                [(o["Key"], o["Size"], o["ETag"], ms(o["LastModified"]),
                  o.get("StorageClass")) for o in aws.get("Contents") or []],
                "ls %s: objects as list-objects-v2, in the same order" % uri)

    status, out, err = run(m, "ls", "s3://%s/dir/" % BUCKET)
    tap.is_(status, 0, "ls s3://B/dir/ (human) exits 0")
    tap.like(out, r"(?m)^ {27}PRE sub/$", "ls human: a prefix line as aws s3 ls prints it")
    tap.like(out, r"(?m)^ {27}PRE /$", "ls human: the '//' prefix shows as '/'")
    tap.like(out, r"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +10 file\.txt$",
             "ls human: an object line with time, size and name")


def test_versions(m):
    status, doc, err = run_json(m, "versions", "s3://%s" % BUCKET)
    tap.is_(status, 0, "versions s3://B exits 0")
    doc = doc if isinstance(doc, list) else []
    want = aws_versions(m)
    got = salvage_versions_rows(doc)
    tap.is_(len(doc), len(want), "versions: as many entries as aws-cli (%d)" % len(want))
    tap.ok(len(want) > 1000 + 2 * len(AWKWARD), "versions: the listing needed paging")
    tap.ok(got == want, "versions: every version and delete marker as "
           "aws s3api list-object-versions")
    if got != want:
        tap.diag("only salvage: %r" % sorted(set(got) - set(want))[:5])
        tap.diag("only aws: %r" % sorted(set(want) - set(got))[:5])
    # S3 interleaves versions and delete markers in key order; moto lists
    # each page's delete markers after its versions, so check the versions.
    keys = [v["key"] for v in doc if not v["delete_marker"]]
    tap.ok(keys == sorted(keys, key=lambda k: k.encode()),
           "versions: streamed in S3's key order, pages in sequence")
    tap.is_(sum(1 for v in doc if v["key"] == MANY), NMANY,
            "versions: all %d versions of the many-version key" % NMANY)
    tap.ok(all(iso_ok(v["last_modified"]) for v in doc),
           "versions: last_modified is ISO-8601 UTC ending in Z")
    dm = [v for v in doc if v["delete_marker"]]
    tap.ok(len(dm) == 2 and all(v["size"] is None and v["etag"] is None for v in dm),
           "versions: two delete markers, size and etag null")
    for k in AWKWARD:
        tap.ok(sum(1 for v in doc if v["key"] == k) >= 2,
               "versions: awkward key %r intact" % k)

    status, doc, err = run_json(m, "versions", "s3://%s/dir/" % BUCKET)
    tap.is_(status, 0, "versions s3://B/dir/ exits 0")
    tap.ok(salvage_versions_rows(doc or []) == aws_versions(m, "dir/"),
           "versions with a prefix: as list-object-versions --prefix dir/ (recursive)")

    status, out, err = run(m, "versions", "s3://%s/gone" % BUCKET)
    tap.is_(status, 0, "versions (human) exits 0")
    tap.like(out, r"(?m)^LAST MODIFIED\s+SIZE\s+LATEST\s+VERSION ID\s+KEY$",
             "versions human: header")
    tap.like(out, r"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+\(deleted\)\s+latest\s+\S+\s+gone\.txt$",
             "versions human: the delete marker is the latest entry of gone.txt")
    tap.like(out, r"(?m)^\S+Z\s+14\s+\S+\s+gone\.txt$",
             "versions human: an older version with its size")


def test_points_s3(m):
    for key in ("gone.txt", "with space.txt", "caf\u00e9/\u65e5\u672c.txt", MANY):
        uri = "s3://%s/%s" % (BUCKET, key)
        status, doc, err = run_json(m, "points", uri)
        tap.is_(status, 0, "points %s exits 0" % uri)
        doc = doc or {}
        tap.is_(doc.get("resource"), uri, "points %s: resource echoed" % key)
        tap.ok("pitr" in doc and doc["pitr"] is None, "points %s: no PITR for S3" % key)
        pts = doc.get("points") or []
        want = [r for r in aws_versions(m, key) if r[0] == key]
        got = sorted((key, p["id"], p["latest"], p["kind"] == "delete-marker",
                      ms(p["time"]), p["size"], p["etag"]) for p in pts)
        tap.ok(got == [r[:7] for r in want],
               "points %s: exactly that key's versions, as aws-cli lists them" % key)
        times = [ms(p["time"]) for p in pts]
        tap.ok(times == sorted(times), "points %s: oldest first" % key)
    status, doc, err = run_json(m, "points", "s3://%s/gone.txt" % BUCKET)
    kinds = [p["kind"] for p in (doc or {}).get("points", [])]
    tap.is_(sorted(kinds), ["delete-marker", "version", "version"],
            "points gone.txt: two versions and a delete marker")
    status, out, err = run(m, "points", "s3://%s/gone.txt" % BUCKET)
    tap.like(out, r"(?m)^resource\s+s3://%s/gone\.txt$" % BUCKET, "points human: resource line")
    tap.like(out, r"(?m)^\S+Z\s+delete-marker\s+latest\s+\S+$",
             "points human: the delete marker row, latest")
    lines = [l for l in out.splitlines() if re.match(r"^\d{4}-", l)]
    tap.ok(len(lines) == 3 and "delete-marker" in lines[0],
           "points human: newest first")


def test_ls_tables(m):
    status, doc, err = run_json(m, "ls", "dynamodb://")
    tap.is_(status, 0, "ls dynamodb:// exits 0")
    doc = doc or []
    names = m.aws("dynamodb", "list-tables")["TableNames"]
    tap.is_([t["name"] for t in doc], names, "ls dynamodb://: tables as aws dynamodb list-tables")
    for t in doc:
        cb = m.aws("dynamodb", "describe-continuous-backups", "--table-name", t["name"])
        d = cb["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        tap.is_(t.get("pitr"), d["PointInTimeRecoveryStatus"],
                "ls dynamodb://: %s pitr as describe-continuous-backups" % t["name"])
        desc = m.aws("dynamodb", "describe-table", "--table-name", t["name"])["Table"]
        tap.is_((t.get("status"), t.get("items"), t.get("billing")),
                (desc["TableStatus"], desc.get("ItemCount"),
                 desc.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")),
                "ls dynamodb://: %s status, items, billing as describe-table" % t["name"])
    status, out, err = run(m, "ls", "dynamodb://")
    tap.like(out, r"(?m)^NAME\s+STATUS\s+PITR\s+ITEMS\s+SIZE\s+BILLING$", "ls dynamodb:// human: header")
    tap.like(out, r"(?m)^orders\s+ACTIVE\s+ENABLED\s+3\s+.*PAY_PER_REQUEST$",
             "ls dynamodb:// human: orders row")
    tap.like(out, r"(?m)^events\s+ACTIVE\s+DISABLED\s+0\s", "ls dynamodb:// human: events row")
    status, doc, err = run_json(m, "ls", "dynamodb://orders")
    tap.is_([t["name"] for t in doc or []], ["orders"], "ls dynamodb://TABLE: that table only")


def test_points_table(m):
    status, doc, err = run_json(m, "points", "dynamodb://orders")
    tap.is_(status, 0, "points dynamodb://orders exits 0")
    doc = doc or {}
    d = m.aws("dynamodb", "describe-continuous-backups", "--table-name", "orders")
    d = d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    pitr = doc.get("pitr") or {}
    tap.is_(pitr.get("status"), "ENABLED", "points table: PITR enabled")
    # moto freezes the window when PITR is enabled; compare, don't assume width.
    tap.is_(ms(pitr.get("earliest")), ms(d["EarliestRestorableDateTime"]),
            "points table: earliest as describe-continuous-backups")
    tap.is_(ms(pitr.get("latest")), ms(d["LatestRestorableDateTime"]),
            "points table: latest as describe-continuous-backups")
    backups = m.aws("dynamodb", "list-backups", "--table-name", "orders")["BackupSummaries"]
    # moto's ListBackups ignores the table filter: aws-cli shows them all,
    # salvage keeps only this table's.
    backups = [b for b in backups if b["TableName"] == "orders"]
    got = sorted((p["id"], p["name"], p["type"], p["status"], ms(p["time"]))
                 for p in doc.get("points") or [])
    want = sorted((b["BackupArn"], b["BackupName"], b["BackupType"],
                   b["BackupStatus"], ms(b["BackupCreationDateTime"])) for b in backups)
    tap.is_(got, want, "points table: backups as aws dynamodb list-backups")
    tap.ok(all(p["kind"] == "backup" for p in doc.get("points") or []), "points table: kind backup")

    status, doc, err = run_json(m, "points", "dynamodb://events")
    tap.is_((doc or {}).get("pitr", {}).get("status"), "DISABLED", "points table without PITR: DISABLED")
    status, out, err = run(m, "points", "dynamodb://orders")
    tap.like(out, r"(?m)^pitr\s+ENABLED, \S+Z \.\. \S+Z", "points table human: window line")
    tap.like(out, r"(?m)^\S+Z\s+backup\s+USER\s+AVAILABLE\s+.*nightly-2\s+arn:aws:dynamodb:\S+$",
             "points table human: a backup row")


def test_rds(m):
    status, doc, err = run_json(m, "ls", "rds://")
    tap.is_(status, 0, "ls rds:// exits 0")
    doc = doc or []
    aws = m.aws("rds", "describe-db-instances")["DBInstances"]
    tap.is_([(i["id"], i["engine"], i["status"], i["retention_days"]) for i in doc],
            [(i["DBInstanceIdentifier"], i["Engine"], i["DBInstanceStatus"],
              i["BackupRetentionPeriod"]) for i in aws],
            "ls rds://: instances as aws rds describe-db-instances")
    # moto's LatestRestorableTime is always "now": compare within a minute.
    for i, a in zip(doc, aws):
        tap.ok(i.get("latest_restorable") is not None and
               abs(ms(i["latest_restorable"]) - ms(a["LatestRestorableTime"])) < 60000,
               "ls rds://: %s latest restorable time" % i["id"])
    status, out, err = run(m, "ls", "rds://")
    tap.like(out, r"(?m)^db-keep\s+postgres \S+\s+available\s+db\.t3\.micro\s+7d\s+\S+Z$",
             "ls rds:// human: retention 7 row")
    tap.like(out, r"(?m)^db-none\s+postgres \S+\s+available\s+db\.t3\.micro\s+0d\s+- \(no automated backups\)$",
             "ls rds:// human: retention 0 row")

    status, doc, err = run_json(m, "points", "rds://db-keep")
    tap.is_(status, 0, "points rds://db-keep exits 0")
    doc = doc or {}
    pitr = doc.get("pitr") or {}
    tap.is_(pitr.get("status"), "ENABLED", "points rds: retention 7 is PITR ENABLED")
    # moto's automated backups have no RestoreWindow: the earliest edge is
    # unknown and salvage says so with null rather than guessing.
    tap.ok("earliest" in pitr and pitr["earliest"] is None,
           "points rds: earliest unknown without a RestoreWindow")
    tap.is_(pitr.get("retention_days"), 7, "points rds: retention days")
    snaps = m.aws("rds", "describe-db-snapshots", "--db-instance-identifier",
                  "db-keep")["DBSnapshots"]
    got = sorted((p["id"], p["type"], p["status"], ms(p["time"]))
                 for p in doc.get("points") or [])
    want = sorted((s["DBSnapshotIdentifier"], s["SnapshotType"], s["Status"],
                   ms(s["SnapshotCreateTime"])) for s in snaps)
    tap.is_(got, want, "points rds: snapshots as aws rds describe-db-snapshots")
    tap.ok(any(p["type"] == "manual" and p["id"] == "keep-manual-1"
               for p in doc.get("points") or []), "points rds: the manual snapshot")

    status, doc, err = run_json(m, "points", "rds://db-none")
    tap.is_(status, 0, "points rds://db-none exits 0")
    tap.is_(((doc or {}).get("pitr") or {}).get("status"), "DISABLED",
            "points rds: retention 0 is PITR DISABLED")
    status, out, err = run(m, "points", "rds://db-keep")
    tap.like(out, r"(?m)^pitr\s+ENABLED, \(earliest not reported by the service\) \.\. \S+Z, 7 days$",
             "points rds human: says the earliest edge is unknown")
    tap.like(out, r"(?m)^\S+Z\s+snapshot\s+manual\s+available\s+keep-manual-1$",
             "points rds human: the manual snapshot row")


def test_rds_cluster(m):
    status, doc, err = run_json(m, "ls", "rds-cluster://")
    tap.is_(status, 0, "ls rds-cluster:// exits 0")
    aws = m.aws("rds", "describe-db-clusters")["DBClusters"]
    tap.is_([(c["id"], c["engine"], c["engine_version"], c["status"],
              c["retention_days"], ms(c["earliest_restorable"]))
             for c in doc or []],
            [(c["DBClusterIdentifier"], c["Engine"], c["EngineVersion"],
              c["Status"], c["BackupRetentionPeriod"],
              ms(c["EarliestRestorableTime"])) for c in aws],
            "ls rds-cluster://: clusters as aws rds describe-db-clusters")
    status, out, err = run(m, "ls", "rds-cluster://")
    tap.like(out, r"(?m)^aurora-main\s+aurora-postgresql \S+\s+available\s+0\s+7d\s+\S+Z\s+\S+Z$",
             "ls rds-cluster:// human: the cluster's row")

    status, doc, err = run_json(m, "points", "rds-cluster://aurora-main")
    tap.is_(status, 0, "points rds-cluster:// exits 0")
    doc = doc or {}
    pitr = doc.get("pitr") or {}
    tap.is_((pitr.get("status"), ms(pitr.get("earliest"))),
            ("ENABLED", ms(aws[0]["EarliestRestorableTime"])),
            "points cluster: window from describe-db-clusters")
    snaps = m.aws("rds", "describe-db-cluster-snapshots", "--db-cluster-identifier",
                  "aurora-main")["DBClusterSnapshots"]
    tap.is_(sorted((p["id"], p["type"], p["status"], ms(p["time"]))
                   for p in doc.get("points") or []),
            sorted((s["DBClusterSnapshotIdentifier"], s["SnapshotType"],
                    s["Status"], ms(s["SnapshotCreateTime"])) for s in snaps),
            "points cluster: snapshots as describe-db-cluster-snapshots")
    status, out, err = run(m, "points", "rds-cluster://no-such-cluster")
    tap.is_(status, 6, "points of a missing DB cluster exits 6")


def test_errors(m):
    status, out, err = run(m, "ls", "s3://no-such-bucket-here/")
    tap.is_(status, 6, "ls of a missing bucket exits 6")
    tap.like(err, r"no-such-bucket-here", "and the message names the bucket")
    tap.is_(out, "", "and prints nothing on stdout")
    status, out, err = run(m, "--json", "versions", "s3://no-such-bucket-here")
    tap.is_(status, 6, "versions of a missing bucket exits 6")
    tap.like(err, r"no-such-bucket-here", "versions: the message names the bucket")
    status, out, err = run(m, "points", "dynamodb://no-such-table")
    tap.is_(status, 6, "points of a missing table exits 6")
    tap.like(err, r"no-such-table", "points: the message names the table")
    status, out, err = run(m, "ls", "dynamodb://no-such-table")
    tap.is_(status, 6, "ls of a missing table exits 6")
    status, out, err = run(m, "points", "rds://no-such-db")
    tap.is_(status, 6, "points of a missing DB instance exits 6")
    status, out, err = run(m, "points", "s3://%s/no/such/key" % BUCKET)
    tap.is_(status, 6, "points of a key without versions exits 6")
    tap.like(err, r"no such key", "and says there is no such key")

    # No credentials anywhere: empty env and files, no IMDS.
    env = m.env({"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None,
                 "AWS_EC2_METADATA_DISABLED": "true"})
    status, out, err = run(m, "ls", "s3://", env=env)
    tap.is_(status, 4, "no credentials: exit 4")
    tap.like(err, r"AWS_ACCESS_KEY_ID", "no credentials: says it looked in the environment")
    tap.like(err, re.escape(env["AWS_SHARED_CREDENTIALS_FILE"]),
             "no credentials: names the credentials file it read")

    for args, why in ((["ls"], "ls without a URI"),
                      (["ls", "s3://", "extra"], "ls with two arguments"),
                      (["ls", "ftp://x"], "an unknown scheme"),
                      (["ls", "s3://Bad_Bucket/"], "a bad bucket name"),
                      (["versions", "dynamodb://orders"], "versions of a table"),
                      (["points", "s3://%s/dir/" % BUCKET], "points of a prefix"),
                      (["points", "dynamodb://"], "points of a whole service"),
                      (["whoami", "extra"], "whoami with an argument"),
                      (["no-such-command"], "an unknown command")):
        status, out, err = run(m, *args)
        tap.is_(status, 2, "usage error exits 2: %s" % why)
        tap.ok(err.startswith("salvage: "), "usage error message on stderr: %s" % why)
    status, out, err = run(m, "ls", "s3://Bad_Bucket/")
    tap.like(err, r"not a valid S3 bucket name", "a bad bucket name is explained")


def test_command_help(m):
    """Every command listed by --help answers CMD --help (and help CMD) with
    its usage on stdout, exit 0, before anything is sent."""
    status, out, _ = run(m, "--help")
    cmds = re.findall(r"^  ([a-z]+) ", out.split("Commands:")[1].split(
        "Global options")[0], re.M)
    tap.ok(len(cmds) >= 15 and "restore" in cmds, "--help lists the commands",
           cmds)
    bad = []
    for c in cmds:
        for args in ((c, "--help"), ("--json", c, "-h"), ("help", c)):
            status, out, err = run(m, *args)
            if status != 0 or not out.startswith("usage: salvage %s " % c) or err:
                bad.append((args, status, out[:80], err[:200]))
    tap.is_(bad, [], "CMD --help, CMD -h and help CMD: its usage, exit 0")
    status, out, err = run(m, "restore", "dynamodb://orders", "--", "--help")
    tap.ok(status == 2 and "usage: salvage restore" in err,
           "after --, --help is the command's argument", (status, err))


def main():
    if not os.access(SALVAGE, os.X_OK):
        tap.skip_all("salvage not built at %s" % SALVAGE)
    with Moto() as m:
        seed(m)
        test_whoami(m)
        test_ls_buckets(m)
        test_ls_objects(m)
        test_versions(m)
        test_points_s3(m)
        test_ls_tables(m)
        test_points_table(m)
        test_rds(m)
        test_rds_cluster(m)
        test_errors(m)
        test_command_help(m)
    tap.done_testing()


main()
