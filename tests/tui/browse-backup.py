#!/usr/bin/env python3
"""browse-backup.py - the console's AWS Backup screens: home counts the
vaults, :vaults lists them (name, created, recovery points, lock), Enter
opens a vault's recovery points (resource, type, created, status, size,
ARN; ones that cannot be restored from dimmed), R on a vault says what R
does inside it, R on a point opens its restore plan (read-only here: the
plan, StartRestoreJob with the new table's name, nothing sent) and a
PARTIAL point's plan is refused with its status, Enter on a point opens
the resource it protects (a DynamoDB table here; an EBS volume is not something salvage
shows, and it says so), :open backup://VAULT goes straight there, and an
unknown vault says "not found".

moto's gap: it has vaults but no recovery points, so the fault proxy
answers ListRecoveryPointsByBackupVault with a page shaped as botocore's
model says (the same page tests/integration/backup.py checks against
aws-cli), and DescribeRecoveryPoint and GetRecoveryPointRestoreMetadata
as tests/integration/restore-backup.py does."""

import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402
from faultproxy import FaultProxy                            # noqa: E402

ACCOUNT = "123456789012"
POINTS = {"RecoveryPoints": [
    {"RecoveryPointArn": "arn:aws:backup:us-east-1:%s:recovery-point:aaa1" % ACCOUNT,
     "BackupVaultName": "prod-vault",
     "ResourceArn": "arn:aws:dynamodb:us-east-1:%s:table/orders" % ACCOUNT,
     "ResourceType": "DynamoDB", "ResourceName": "orders",
     "Status": "COMPLETED", "CreationDate": 1763700000,
     "BackupSizeInBytes": 1048576},
    {"RecoveryPointArn": "arn:aws:backup:us-east-1:%s:recovery-point:bbb2" % ACCOUNT,
     "BackupVaultName": "prod-vault",
     "ResourceArn": "arn:aws:rds:us-east-1:%s:db:billing" % ACCOUNT,
     "ResourceType": "RDS", "Status": "PARTIAL", "CreationDate": 1763600000},
    {"RecoveryPointArn": "arn:aws:ec2:us-east-1::snapshot/snap-0abc",
     "BackupVaultName": "prod-vault",
     "ResourceArn": "arn:aws:ec2:us-east-1:%s:volume/vol-0abc" % ACCOUNT,
     "ResourceType": "EBS", "Status": "COMPLETED", "CreationDate": 1763500000}]}


PREFIX = "/backup-vaults/prod-vault/recovery-points/"


def is_points(r):
    return r["path"].split("?")[0] == PREFIX


def is_point(r):
    return r["path"].startswith(PREFIX) and not is_points(r)


def point(rec):
    """DescribeRecoveryPoint and GetRecoveryPointRestoreMetadata."""
    rest = rec["path"].split("?")[0][len(PREFIX):]
    meta = rest.endswith("/restore-metadata")
    arn = urllib.parse.unquote(rest[:-len("/restore-metadata")] if meta else rest)
    rp = [x for x in POINTS["RecoveryPoints"] if x["RecoveryPointArn"] == arn][0]
    if meta:
        return json.dumps({"RecoveryPointArn": arn,
                           "ResourceType": rp["ResourceType"],
                           "RestoreMetadata": {"originalTableName": "orders"}
                           }).encode()
    return json.dumps(dict(rp, IamRoleArn="arn:aws:iam::%s:role/backup"
                           % ACCOUNT)).encode()


def is_missing(r):
    return r["path"].startswith("/backup-vaults/gone/recovery-points/")


with Moto() as m:
    for name in ("prod-vault", "logs-vault"):
        m.aws("backup", "create-backup-vault", "--backup-vault-name", name)
    m.aws("dynamodb", "create-table", "--table-name", "orders",
          "--key-schema", "AttributeName=k,KeyType=HASH",
          "--attribute-definitions", "AttributeName=k,AttributeType=S",
          "--billing-mode", "PAY_PER_REQUEST")
    with FaultProxy(m.url) as p:
        p.status(200, body=json.dumps(POINTS),
                 headers={"Content-Type": "application/json"},
                 match=is_points, count=None)
        p.status(200, body=point, headers={"Content-Type": "application/json"},
                 match=is_point, count=None)
        p.status(404, body=json.dumps({"Code": "ResourceNotFoundException",
                                       "Message": "Backup vault gone not found"}),
                 headers={"Content-Type": "application/json",
                          "x-amzn-ErrorType": "ResourceNotFoundException"},
                 match=is_missing, count=None)
        with start(m, endpoint=p.url, width=130, height=30) as t:
            ready(t)
            with check("home counts the AWS Backup vaults"):
                t.wait_for(re.compile(r"AWS Backup vaults\s+2 "), timeout=60)

            palette(t, "vaults")
            with check(":vaults lists the vaults"):
                scr = t.wait_for("AWS Backup vaults (2 vaults)", timeout=60)
                assert re.search(r"^logs-vault\s+\d{4}-\d\d-\d\dT\S+\s+0\s", scr,
                                 re.M), scr
                assert re.search(r"^prod-vault\s", scr, re.M), scr

            t.send("R")
            with check("R on a vault: says to open it and restore a point"):
                t.wait_for("Enter lists the vault's recovery points, and R "
                           "there restores one", timeout=10)

            t.send("/")
            t.wait_for(re.compile(r"^/", re.M), timeout=10)
            t.send_text("prod")
            t.send("Enter")
            t.wait_for("match /prod", timeout=10)
            t.send("Enter")
            with check("Enter: the vault's recovery points"):
                scr = t.wait_for("(3 recovery points)", timeout=60)
                assert "Recovery points in backup://prod-vault" in title(t), \
                    title(t)
                assert re.search(r"^orders\s+DynamoDB\s+2025-11-21T\S+\s+COMPLETED"
                                 r"\s+1\.0 MiB\s+arn:aws:backup:", scr,
                                 re.M), scr
                # no ResourceName: the id at the end of the resource ARN
                assert re.search(r"^billing\s+RDS\s+\S+\s+PARTIAL\s", scr,
                                 re.M), scr
                assert scr.index("orders") < scr.index("billing"), scr
                assert re.search(r"^vol-0abc\s+EBS\s", scr, re.M), scr

            t.send("R")
            with check("R on a point: its restore plan, read-only"):
                scr = t.wait_for("StartRestoreJob: AWS Backup creates table "
                                 "orders-restored-", timeout=30)
                assert re.search(r"Restore plan: backup://prod-vault -> "
                                 r"dynamodb://orders-restored-\d{12} "
                                 r"\(backup-recovery-point\)\s+READ-ONLY",
                                 title(t)), title(t)
            t.send("q")
            t.wait_for("(3 recovery points)", timeout=10)
            t.send("j", "R")
            with check("R on a PARTIAL point: refused, its status named, no "
                       "word of the message cut at the window's edge"):
                t.wait_for(lambda s: "is PARTIAL: only a COMPLETED recovery "
                           "point can be restored; choose another with salvage "
                           "points backup://prod-vault" in " ".join(s.split()),
                           timeout=30)
            t.send("q")
            t.wait_for("(3 recovery points)", timeout=10)
            t.send("G", "Enter")
            with check("Enter on an EBS point: salvage cannot show it, says so"):
                t.wait_for("salvage cannot show arn:aws:ec2:", timeout=10)
            t.send("g", "Enter")
            with check("Enter on a point: the DynamoDB table it protects"):
                t.wait_for(lambda s: "DynamoDB table orders" in title(t),
                           timeout=30)
            # q goes back (Esc would first cancel the table's loading)
            t.send("q")
            t.wait_for("(3 recovery points)", timeout=10)

            t.send("Escape")
            with check("Esc: back to the vaults (the filter kept)"):
                t.wait_for("AWS Backup vaults (1 of 2 vaults match /prod)",
                           timeout=10)

            palette(t, "open backup://prod-vault")
            with check(":open backup://prod-vault"):
                t.wait_for("(3 recovery points)", timeout=60)
                assert "Recovery points in backup://prod-vault" in title(t), \
                    title(t)

            palette(t, "open backup://gone")
            with check("a vault that does not exist: the error, not a blank list"):
                t.wait_for("ResourceNotFoundException", timeout=60)

            backup = [r for r in p.requests if r["service"] == "backup"]
            tap.ok(backup and all(r["method"] == "GET" for r in backup),
                   "read-only: every AWS Backup request was a GET",
                   [(r["method"], r["path"]) for r in backup])

tap.done_testing()
