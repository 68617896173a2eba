#!/usr/bin/env python3
"""Seed the demo estate of "Northwind Paper Co." into a moto endpoint.

    scripts/seed-demo.py --endpoint-url http://127.0.0.1:PORT

A small paper company that does backups the way many real teams do:

S3
  northwind-documents  versioned; ~40 documents under contracts/,
                       invoices/2025|2026/, hr/policies/, finance/, ...;
                       some overwritten 3-6 times, some deleted (a delete
                       marker on top), one deleted, re-created and deleted
                       again, two written before versioning was enabled
                       (version id "null"), and awkward keys:
                       "reports/Q3 summary.pdf", "scans/a+b=c.pdf",
                       "intl/résumé-ünïcode.txt", "legacy//double-slash.txt"
  northwind-audit      Object Lock enabled (so versioned), default
                       retention GOVERNANCE 30 days, empty: where salvage
                       ships its audit logs
  northwind-website    plain, never versioned
DynamoDB (PAY_PER_REQUEST)
  documents            PITR on; backups pre-migration-2026-11-02 and
                       nightly-2026-11-20
  tasks                PITR on; backup nightly-2026-11-20
  audit-logs           PITR OFF; backup nightly-2026-11-20
  After the backups "the incident" happens: five tasks are deleted and
  three documents are marked archived by mistake.
RDS
  northwind-db         postgres, db.t3.micro, BackupRetentionPeriod 7;
                       manual snapshots northwind-db-pre-migration and
                       northwind-db-weekly-2026-11-16
  northwind-reporting  postgres, BackupRetentionPeriod 0 (no PITR)

Region us-east-1, credentials testing/testing (ignores AWS_PROFILE and the
user's config files).  Run once on a fresh moto; if the estate is already
there it says so and exits 0.

moto gaps that shape the demo (moto 5.x):
  * every version, backup and snapshot is stamped "now": the dates live in
    the names only; S3 version times have whole-second resolution, so each
    round of edits starts in a new second (--no-spacing skips that);
  * RDS makes an automated snapshot even with BackupRetentionPeriod 0; the
    seed deletes the one of northwind-reporting;
  * DynamoDB backups are AVAILABLE at once; restores ignore the PITR time.
"""

import argparse
import os
import sys
import time

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"
DOCS = "northwind-documents"
AUDIT = "northwind-audit"
WEB = "northwind-website"


def session():
    # Explicit credentials; never read the caller's profile or config.
    bc = botocore.session.Session(
        session_vars={"profile": (None, None, None, None)})
    bc.set_config_variable("config_file", os.devnull)
    bc.set_config_variable("credentials_file", os.devnull)
    return boto3.session.Session(botocore_session=bc,
                                 aws_access_key_id="testing",
                                 aws_secret_access_key="testing",
                                 region_name=REGION)


def body(title, rev, kind):
    text = ("Northwind Paper Co.\n%s\nRevision %d\n\n"
            "Prepared by the Northwind office, 14 Mill Lane, Riverside.\n"
            % (title, rev))
    if kind == "pdf":
        return b"%PDF-1.4\n% fictional demo document\n" + text.encode() + b"%%EOF\n"
    return text.encode("utf-8")


def kind_of(key):
    return "pdf" if key.endswith(".pdf") else "text"


# key -> (number of versions, deleted?)  versions are written in rounds so
# that histories interleave the way real edits do.
DOCUMENTS = {
    "contracts/2024/acme-pulp-supply-agreement.pdf": (3, False),
    "contracts/2025/paper-mill-master-services.pdf": (5, False),
    "contracts/2025/logistics-sla.pdf": (1, False),
    "contracts/2025/forklift-lease.pdf": (2, True),
    "contracts/2026/office-lease-renewal.pdf": (4, False),
    "contracts/2026/recycling-partnership-draft.docx": (3, True),
    "contracts/templates/nda-template.docx": (6, False),
    "invoices/2025/INV-2025-0412.pdf": (1, False),
    "invoices/2025/INV-2025-0413.pdf": (1, False),
    "invoices/2025/INV-2025-0419.pdf": (2, False),
    "invoices/2026/INV-2026-0001.pdf": (1, False),
    "invoices/2026/INV-2026-0002.pdf": (1, False),
    "invoices/2026/INV-2026-0003.pdf": (3, False),
    "invoices/2026/INV-2026-0004.pdf": (1, True),
    "invoices/2026/INV-2026-0005.pdf": (1, False),
    "invoices/2026/INV-2026-0006.pdf": (2, False),
    "invoices/2026/INV-2026-0007.pdf": (1, False),
    "invoices/2026/INV-2026-0008.pdf": (1, True),
    "invoices/2026/INV-2026-0009.pdf": (1, False),
    "invoices/2026/INV-2026-0010.pdf": (4, False),
    "invoices/2026/INV-2026-0011.pdf": (1, False),
    "invoices/2026/INV-2026-0012.pdf": (1, False),
    "hr/policies/remote-work-policy.md": (4, False),
    "hr/policies/code-of-conduct.pdf": (2, False),
    "hr/policies/leave-policy.md": (3, False),
    "hr/policies/onboarding-checklist.md": (1, False),
    "hr/policies/travel-policy.md": (3, True),
    "finance/budget-2026.xlsx": (6, False),
    "finance/forecast-q4-2026.xlsx": (3, True),
    "finance/bank-details.txt": (1, False),
    "customers/customer-list.csv": (5, False),
    "ops/runbooks/restore-procedure.md": (3, False),
    "ops/runbooks/dr-rehearsal-2026-q3.md": (1, False),
    "reports/Q3 summary.pdf": (3, False),
    "reports/annual-2025.pdf": (1, False),
    "scans/a+b=c.pdf": (2, False),
    "intl/résumé-ünïcode.txt": (2, False),
    "legacy//double-slash.txt": (1, False),
}
# deleted, re-created, deleted again
TWICE_DELETED = "hr/policies/expense-policy.md"
# written before versioning was turned on: version id "null"
PRE_VERSIONING = ["legacy/readme-before-versioning.txt",
                  "finance/bank-details.txt"]

WEBSITE = {
    "index.html": b"<!doctype html><title>Northwind Paper Co.</title>"
                  b"<h1>Northwind Paper Co.</h1><p>Paper since 1962.</p>\n",
    "about.html": b"<!doctype html><title>About</title><p>Family owned.</p>\n",
    "css/site.css": b"body { font-family: serif; color: #222; }\n",
    "img/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                    b'height="10"><rect width="10" height="10"/></svg>\n',
}


def next_second(spaced):
    """moto stamps versions with whole seconds: start each round of edits
    in a new second so that versions have distinct, ordered times."""
    if spaced:
        time.sleep(1.02 - time.time() % 1.0)


def seed_s3(s3, stats, spaced=True):
    s3.create_bucket(Bucket=DOCS)
    # Objects from the days before versioning: version id "null".
    for key in PRE_VERSIONING:
        s3.put_object(Bucket=DOCS, Key=key, Body=body(key, 0, kind_of(key)))
    s3.put_bucket_versioning(Bucket=DOCS,
                             VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_tagging(Bucket=DOCS, Tagging={"TagSet": [
        {"Key": "owner", "Value": "office"},
        {"Key": "backup", "Value": "versioning"}]})
    # Overwrite the legacy readme once, so it has a null and a real version.
    s3.put_object(Bucket=DOCS, Key=PRE_VERSIONING[0],
                  Body=body(PRE_VERSIONING[0], 1, "text"))
    rounds = max(n for n, _ in DOCUMENTS.values())
    twice = {1: "put", 2: "put", 3: "delete", 4: "put", 5: "delete"}
    for rnd in range(1, rounds + 1):
        next_second(spaced)
        for key, (n, _) in DOCUMENTS.items():
            if rnd <= n:
                s3.put_object(Bucket=DOCS, Key=key, Body=body(key, rnd, kind_of(key)),
                              ContentType="application/pdf"
                              if key.endswith(".pdf") else "text/plain")
        k = TWICE_DELETED
        if twice.get(rnd) == "put":
            s3.put_object(Bucket=DOCS, Key=k, Body=body(k, rnd, "text"))
        elif twice.get(rnd) == "delete":
            s3.delete_object(Bucket=DOCS, Key=k)
    next_second(spaced)
    for key, (_, deleted) in DOCUMENTS.items():
        if deleted:
            s3.delete_object(Bucket=DOCS, Key=key)
    keys = set()
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=DOCS):
        for v in page.get("Versions", []):
            keys.add(v["Key"])
            stats["versions"] += 1
        for d in page.get("DeleteMarkers", []):
            keys.add(d["Key"])
            stats["markers"] += 1
    stats["keys"] = len(keys)

    # The audit bucket: Object Lock (implies versioning), default retention.
    s3.create_bucket(Bucket=AUDIT, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(Bucket=AUDIT, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}})

    s3.create_bucket(Bucket=WEB)
    for key, data in WEBSITE.items():
        s3.put_object(Bucket=WEB, Key=key, Body=data,
                      ContentType="text/html" if key.endswith(".html") else
                      "text/css" if key.endswith(".css") else "image/svg+xml")


def batch_put(ddb, table, items):
    for i in range(0, len(items), 25):
        req = {table: [{"PutRequest": {"Item": it}} for it in items[i:i + 25]]}
        while req:
            r = ddb.batch_write_item(RequestItems=req)
            req = r.get("UnprocessedItems") or None


def S(v):
    return {"S": str(v)}


def N(v):
    return {"N": str(v)}


def seed_dynamodb(ddb, stats):
    ddb.create_table(
        TableName="documents", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "doc_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "doc_id", "KeyType": "HASH"}],
        Tags=[{"Key": "owner", "Value": "office"}])
    ddb.create_table(
        TableName="tasks", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "project", "AttributeType": "S"},
                              {"AttributeName": "task_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "project", "KeyType": "HASH"},
                   {"AttributeName": "task_id", "KeyType": "RANGE"}])
    ddb.create_table(
        TableName="audit-logs", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "stream", "AttributeType": "S"},
                              {"AttributeName": "ts", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "stream", "KeyType": "HASH"},
                   {"AttributeName": "ts", "KeyType": "RANGE"}])

    owners = ["maria.lopez", "tom.becker", "aiko.tanaka", "sam.okafor", "lena.novak"]
    docs = []
    for i, (key, (n, deleted)) in enumerate(sorted(DOCUMENTS.items())):
        docs.append({"doc_id": S("DOC-%04d" % (i + 1)),
                     "title": S(key.rsplit("/", 1)[-1]),
                     "s3_key": S("s3://%s/%s" % (DOCS, key)),
                     "owner": S(owners[i % len(owners)]),
                     "revision": N(n),
                     "status": S("deleted" if deleted else "current"),
                     "updated_at": S("2026-11-%02dT%02d:15:00Z" % (1 + i % 19, 8 + i % 9))})
    batch_put(ddb, "documents", docs)

    projects = {"warehouse-move": 10, "q4-close": 9, "erp-migration": 11,
                "dr-rehearsal": 6}
    tasks = []
    states = ["todo", "doing", "done", "blocked"]
    for p, n in projects.items():
        for j in range(1, n + 1):
            tasks.append({"project": S(p), "task_id": S("T-%03d" % j),
                          "title": S("%s step %d" % (p.replace("-", " "), j)),
                          "assignee": S(owners[(j + len(p)) % len(owners)]),
                          "state": S(states[(j * 7 + len(p)) % len(states)]),
                          "due": S("2026-12-%02d" % (1 + (j * 3) % 28))})
    batch_put(ddb, "tasks", tasks)

    logs = []
    actions = ["login", "download", "upload", "share", "delete", "logout"]
    for k in range(40):
        logs.append({"stream": S("office-portal" if k % 3 else "warehouse-scanner"),
                     "ts": S("2026-11-%02dT%02d:%02d:00Z" % (10 + k % 10, 7 + k % 11, (k * 7) % 60)),
                     "actor": S(owners[k % len(owners)]),
                     "action": S(actions[k % len(actions)]),
                     "bytes": N(1024 * (k + 1))})
    batch_put(ddb, "audit-logs", logs)
    stats["items"] = len(docs) + len(tasks) + len(logs)

    for t in ("documents", "tasks"):
        ddb.update_continuous_backups(
            TableName=t,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    for t, name in (("documents", "pre-migration-2026-11-02"),
                    ("documents", "nightly-2026-11-20"),
                    ("tasks", "nightly-2026-11-20"),
                    ("audit-logs", "nightly-2026-11-20")):
        ddb.create_backup(TableName=t, BackupName=name)
        stats["backups"] += 1

    # The incident, after the nightly backups: tasks deleted, documents
    # archived by a bad script.
    for p, tid in (("erp-migration", "T-003"), ("erp-migration", "T-004"),
                   ("erp-migration", "T-005"), ("q4-close", "T-001"),
                   ("q4-close", "T-002")):
        ddb.delete_item(TableName="tasks", Key={"project": S(p), "task_id": S(tid)})
    for d in ("DOC-0001", "DOC-0002", "DOC-0003"):
        ddb.update_item(TableName="documents", Key={"doc_id": S(d)},
                        UpdateExpression="SET #s = :a",
                        ExpressionAttributeNames={"#s": "status"},
                        ExpressionAttributeValues={":a": S("archived")})
    stats["items"] -= 5


def seed_rds(rds, stats):
    common = dict(Engine="postgres", EngineVersion="16.3",
                  DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                  MasterUsername="northwind",
                  MasterUserPassword="demo-only-not-a-secret",
                  StorageEncrypted=True)
    rds.create_db_instance(DBInstanceIdentifier="northwind-db", DBName="northwind",
                           BackupRetentionPeriod=7,
                           PreferredBackupWindow="02:00-02:30",
                           Tags=[{"Key": "owner", "Value": "office"}], **common)
    rds.create_db_instance(DBInstanceIdentifier="northwind-reporting",
                           DBName="reporting", BackupRetentionPeriod=0, **common)
    for snap in ("northwind-db-pre-migration", "northwind-db-weekly-2026-11-16"):
        rds.create_db_snapshot(DBInstanceIdentifier="northwind-db",
                               DBSnapshotIdentifier=snap)
        stats["snapshots"] += 1
    # moto gap: it makes an automated snapshot ("rds:<id>-<date>") for every
    # new instance, even with BackupRetentionPeriod 0, where AWS makes none.
    # Remove it so northwind-reporting really has nothing to restore from.
    for snap in rds.describe_db_snapshots(
            DBInstanceIdentifier="northwind-reporting",
            SnapshotType="automated")["DBSnapshots"]:
        rds.delete_db_snapshot(DBSnapshotIdentifier=snap["DBSnapshotIdentifier"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint-url", required=True,
                    help="the moto endpoint, e.g. http://127.0.0.1:5000")
    ap.add_argument("--no-spacing", action="store_true",
                    help="do not wait for a new second between rounds of "
                         "edits (faster; versions may share timestamps)")
    args = ap.parse_args()
    sess = session()
    cfg = Config(retries={"total_max_attempts": 3, "mode": "standard"},
                 s3={"addressing_style": "path"})

    def client(svc):
        return sess.client(svc, endpoint_url=args.endpoint_url, config=cfg)

    s3, ddb, rds = client("s3"), client("dynamodb"), client("rds")
    try:
        s3.head_bucket(Bucket=DOCS)
        print("seed-demo: Northwind estate already present at %s; nothing to do"
              % args.endpoint_url)
        return 0
    except ClientError:
        pass

    stats = {"versions": 0, "markers": 0, "keys": 0, "items": 0,
             "backups": 0, "snapshots": 0}
    seed_s3(s3, stats, spaced=not args.no_spacing)
    seed_dynamodb(ddb, stats)
    seed_rds(rds, stats)
    print("seed-demo: Northwind Paper Co. at %s: 3 buckets (%s: %d keys, %d "
          "versions, %d delete markers; %s with Object Lock; %s), 3 tables "
          "(%d items, %d backups, PITR on documents+tasks), 2 RDS instances "
          "(northwind-db with %d snapshots, northwind-reporting without PITR)"
          % (args.endpoint_url, DOCS, stats["keys"], stats["versions"],
             stats["markers"], AUDIT, WEB, stats["items"], stats["backups"],
             stats["snapshots"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
