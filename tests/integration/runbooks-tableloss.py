#!/usr/bin/env python3
"""runbooks-tableloss.py - the dynamodb-table-loss runbook end to end on
moto: the table is gone, only its backup is left; an unattended run with
--operate restores it under its ORIGINAL name from the backup, with every
item, and the plan warns that the target has the source's name. While the
table still exists, the same restore under its own name is refused
before anything is sent.

moto gap: restores are ACTIVE at once (AWS takes minutes)."""
import json
import os
import subprocess
import sys

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))
import tap                              # noqa: E402
from moto import Moto                   # noqa: E402
from faultproxy import FaultProxy       # noqa: E402

SALVAGE = os.environ["SALVAGE"]


def make_table(ddb, name, n):
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    for i in range(n):
        ddb.put_item(TableName=name, Item={"id": {"S": "item-%03d" % i}, "n": {"N": str(i)}})


with Moto() as m:
    ddb = m.client("dynamodb")
    make_table(ddb, "orders", 37)
    arn = ddb.create_backup(TableName="orders", BackupName="nightly")["BackupDetails"]["BackupArn"]
    env = m.env({"SALVAGE_RUNBOOK_DIR": os.path.join(SRCDIR, "runbooks")})

    # The table still exists: restoring onto its own name is refused, and
    # nothing mutating reaches AWS.
    with FaultProxy(m.url) as p:
        e2 = dict(env, AWS_ENDPOINT_URL=p.url)
        r = subprocess.run([SALVAGE, "restore", "dynamodb://orders", "--backup", arn,
                            "--target", "orders", "--operate", "--yes"],
                           env=e2, capture_output=True, text=True, timeout=120)
        tap.isnt(r.returncode, 0, "restore onto the existing source's name is refused")
        tap.like(r.stderr, r"is the source itself", "... saying the target is the source")
        sent = [q["target"] for q in p.requests if q["target"]]
        tap.ok(not any("Restore" in t for t in sent), "... and no restore request was sent")

    ddb.delete_table(TableName="orders")
    tap.ok("orders" not in ddb.list_tables()["TableNames"], "the table is gone")

    r = subprocess.run([SALVAGE, "run", "dynamodb-table-loss", "--unattended", "--operate",
                        "--var", "table=orders"], env=env, capture_output=True, text=True,
                       timeout=300)
    tap.is_(r.returncode, 0, "the table-loss runbook completes unattended")
    if r.returncode != 0:
        tap.diag((r.stdout + r.stderr)[-2500:])
    tap.like(r.stdout.splitlines()[0] if r.stdout else "", r"^session: \S+",
             "its first line names the session")
    tap.like(r.stdout, r"own name: allowed because\s+dynamodb://orders no longer exists",
             "the plan warns that the target has the source's name")
    tap.ok("orders" in ddb.list_tables()["TableNames"], "the table is back under its name")
    count = ddb.scan(TableName="orders", Select="COUNT")["Count"]
    tap.is_(count, 37, "every item of the backup is in the restored table")
    sid = r.stdout.splitlines()[0].split()[1] if r.stdout else ""
    rep = subprocess.run([SALVAGE, "report", sid, "--format", "json"], env=env,
                         capture_output=True, text=True, timeout=60)
    tap.is_(rep.returncode, 0, "the session's report is available")
    try:
        doc = json.loads(rep.stdout)
        steps = {s["id"]: s for s in doc.get("steps", [])}
        tap.is_(steps.get("restore", {}).get("status"), "done",
                "the report shows the restore step done")
        tap.like(steps.get("restore", {}).get("outcome") or "", r"restored dynamodb://orders",
                 "... with its outcome""")
    except ValueError:
        tap.ok(False, "the report is JSON")
tap.done_testing()
