#!/usr/bin/env python3
"""operate-backup-restore.py - restoring an AWS Backup recovery point from
the console, with --operate, through every screen: the table's backups
list it (DynamoDB's ListBackups shows AWS Backup's advanced backups with
their recovery point ARNs), Enter opens the timeline on it, Enter the
plan (StartRestoreJob through AWS Backup, its vault looked up, never
RestoreTableFromBackup), e renames the target, c and the typed name
start it, the wait screen follows the restore job until COMPLETED, and v
verifies the new table against the table the point protects.

moto has no recovery points, restore jobs or AWS_BACKUP backups:
tests/harness/fakebackup.py plays AWS Backup in the fault proxy (a job
creates the table in moto, as AWS Backup would), and the proxy answers
ListBackups(BackupType AWS_BACKUP) with the recovery point."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402
from faultproxy import Fault, FaultProxy                     # noqa: E402
from fakebackup import ACCOUNT, REGION, RP, FakeBackup       # noqa: E402

TARN = "arn:aws:dynamodb:%s:%s:table/orders" % (REGION, ACCOUNT)


def aws_backup_listing(rec):
    return (rec["target"] == "DynamoDB_20120810.ListBackups" and
            json.loads(rec["body"]).get("BackupType") == "AWS_BACKUP")


with Moto() as m, FaultProxy(m.url) as p:
    ddb = m.client("dynamodb")
    ddb.create_table(TableName="orders", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k",
                                            "AttributeType": "S"}])
    for i in range(9):
        ddb.put_item(TableName="orders", Item={"k": {"S": "o%d" % i}})
    m.aws("backup", "create-backup-vault", "--backup-vault-name", "prod-vault")
    fake = FakeBackup(m)
    p.add(Fault("status", fake.matches, None, respond=fake.respond))
    arn = fake.add("ddb-tui", "DynamoDB", TARN, ResourceName="orders",
                   metadata={"originalTableName": "orders"})
    p.status(200, body=json.dumps({"BackupSummaries": [{
        "TableName": "orders", "TableArn": TARN, "TableId": "t-1",
        "BackupArn": arn, "BackupName": "awsbackup-nightly",
        "BackupCreationDateTime": 1763700000, "BackupStatus": "AVAILABLE",
        "BackupType": "AWS_BACKUP", "BackupSizeBytes": 4096}]}),
        headers={"Content-Type": "application/x-amz-json-1.0"},
        match=aws_backup_listing, count=None)
    audit = os.path.join(m.tmpdir, "audit")
    with start(m, args=["--operate", "--audit-dir", audit], endpoint=p.url,
               width=140, height=40) as t:
        ready(t)
        palette(t, "open dynamodb://orders")
        with check("the table lists the AWS Backup recovery point as a backup"):
            scr = t.wait_for("(1 backup, newest first)", timeout=30)
            assert re.search(r"AWS_BACKUP\s+awsbackup-nightly\s+AVAILABLE", scr), scr

        t.send("Enter")
        t.wait_for(re.compile(r"Method\s+from backup 'awsbackup-nightly'"),
                   timeout=30)
        t.send("Enter")
        with check("the plan: AWS Backup's StartRestoreJob, its vault found"):
            scr = t.wait_for(lambda s: "StartRestoreJob: AWS Backup creates table "
                             "orders-restored-" in " ".join(s.split()),
                             timeout=30)
            assert re.search(r"Restore plan: dynamodb://orders -> dynamodb://"
                             r"orders-restored-\d{12} \(backup-recovery-point\)",
                             title(t)), title(t)
            assert "READ-ONLY" not in title(t), title(t)

        t.send("e")
        t.wait_for("target name", timeout=10)
        t.send("C-u")
        t.send_text("orders-tui")
        t.send("Enter")
        t.wait_for("c confirms (you type the target's name: orders-tui)",
                   timeout=30)
        t.send("c")
        t.wait_for("type the target's name (orders-tui) to confirm", timeout=10)
        t.send_text("orders-tui")
        t.send("Enter")
        with check("the wait screen follows the restore job until COMPLETED"):
            t.wait_for("Restore dynamodb://orders -> dynamodb://orders-tui",
                       timeout=30)
            t.wait_for(re.compile(r"Status\s+COMPLETED: usable"), timeout=60)
        starts = [json.loads(r["body"]) for r in p.requests
                  if r["method"] == "PUT" and r["path"] == "/restore-jobs"]
        tap.ok(len(starts) == 1 and starts[0]["RecoveryPointArn"] == arn and
               starts[0]["Metadata"]["targetTableName"] == "orders-tui",
               "one StartRestoreJob, of that point, to the name typed", starts)
        tap.ok(not [r for r in p.requests if (r["target"] or "").endswith(
            "RestoreTableFromBackup")], "... never RestoreTableFromBackup")

        t.send("v")
        with check("v: the new table verified against the one the point protects"):
            scr = t.wait_for(re.compile(r"Verify dynamodb://orders vs "
                                        r"dynamodb://orders-tui: EQUAL"), timeout=60)
            assert re.search(r"item count\s+9\s+9\s+yes", scr), scr
        t.send("q")

tap.done_testing()
