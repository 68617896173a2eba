#!/usr/bin/env python3
"""operate-timeline.py - choosing a restore point in the console (R), in
READ-ONLY mode, against moto with the fault proxy in between:

  * the timeline of a table without PITR: the cursor moves between the
    backups ([ and ]) and the method and data-loss lines follow;
  * a typed time (T): echoed in UTC and in local time with the zone;
    relative times; DST-ambiguous and missing local times refused with
    the reason; a time outside the PITR window refused naming the window;
  * an incident time (i): the data loss is measured to it, and a restored
    state after it is called out;
  * Enter: the plan, with a READ-ONLY banner; c refuses (no prompt, no
    restore request at the proxy); e with an existing table's name: the
    plan is refused naming it.

moto gaps: its PITR window is a single instant (earliest = latest) and
backups are AVAILABLE at once."""

import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402
from faultproxy import FaultProxy                            # noqa: E402

READONLY = "read-only: nothing will be sent; start with --operate to restore"


def seed(m):
    ddb = m.client("dynamodb")
    for name in ("docs", "ledger"):
        ddb.create_table(
            TableName=name, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        ddb.put_item(TableName=name, Item={"pk": {"S": "x"}})
    ddb.update_continuous_backups(
        TableName="docs",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    ddb.create_backup(TableName="ledger", BackupName="b-old")
    time.sleep(2.1)
    ddb.create_backup(TableName="ledger", BackupName="b-new")
    time.sleep(1.1)


def line(t, label):
    """The text after a label ("Method", "Data loss") in the timeline."""
    for l in t.lines():
        m = re.match(r"^ %s\s+(.*)$" % re.escape(label), l)
        if m:
            return m.group(1).strip()
    return None


def typed(t, key, text):
    t.send(key)
    t.wait_for(re.compile(r"^(restore to|incident time)", re.M), timeout=10)
    t.send_text(text)
    t.send("Enter")


def restores(p):
    return [r for r in p.requests if "Restore" in (r["target"] or "")]


with Moto() as m, FaultProxy(m.url) as p:
    seed(m)
    with start(m, endpoint=p.url, width=140, height=40) as t:
        ready(t)

        # ---- a table without PITR: the backups are the points ----
        palette(t, "open dynamodb://ledger")
        t.wait_for("(2 backups, newest first)", timeout=30)
        t.send("R")
        with check("R opens the timeline of the table"):
            t.wait_for("Restore dynamodb://ledger: choose the point", timeout=30)
            t.wait_for(re.compile(r"Method\s+from backup 'b-new'"), timeout=30)
            assert "PITR DISABLED" in t.screen(), t.screen()
        method1, loss1 = line(t, "Method"), line(t, "Data loss")
        t.send("[")
        with check("[: the previous backup; method and data loss follow"):
            t.wait_for(re.compile(r"Method\s+from backup 'b-old'"), timeout=10)
            method2, loss2 = line(t, "Method"), line(t, "Data loss")
            assert method2 != method1, (method1, method2)
            assert loss2 != loss1, (loss1, loss2)
            assert re.match(r"\d+s of writes: from \S+Z to now", loss2), loss2
        t.send("]")
        with check("]: the next one again"):
            t.wait_for(re.compile(r"Method\s+from backup 'b-new'"), timeout=10)
        t.send("Left")
        with check("Left from a backup: before it, the older backup applies"):
            t.wait_for(re.compile(r"Method\s+from backup 'b-old'"), timeout=10)
        t.send("End")
        t.wait_for(re.compile(r"Method\s+from backup 'b-new'"), timeout=10)

        # ---- typed times ----
        when = datetime.datetime.now(datetime.timezone.utc) - \
            datetime.timedelta(seconds=1)
        iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        typed(t, "T", iso)
        with check("T: an ISO time is echoed in UTC and local time with the zone"):
            scr = t.wait_for("time: %s (" % iso, timeout=10)
            assert re.search(r"time: %s \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T "
                             r"\(\+0[12]:00\)\)" % re.escape(iso), scr), scr
            assert iso in line(t, "Cursor"), line(t, "Cursor")
        offset = when.astimezone(datetime.timezone(datetime.timedelta(hours=5)))
        typed(t, "T", offset.strftime("%Y-%m-%dT%H:%M:%S+05:00"))
        with check("T: the same instant with an offset is the same time"):
            t.wait_for("time: %s (" % iso, timeout=10)
        typed(t, "T", "-1s")
        with check("T: a relative time"):
            t.wait_for(re.compile(r"time: \S+Z \("), timeout=10)
        typed(t, "T", "2026-10-25 02:30")
        with check("T: an ambiguous local time (DST fall-back) is refused"):
            t.wait_for(lambda s: "2026-10-25 02:30" in s and "ambiguous" in s,
                       timeout=10)
        typed(t, "T", "2026-03-29 02:30")
        with check("T: a local time that does not exist (DST gap) is refused"):
            t.wait_for(lambda s: "2026-03-29 02:30" in s and "does not exist" in s,
                       timeout=10)
        typed(t, "T", "-30d")
        with check("T: before the oldest backup (no PITR): refused, saying why"):
            t.wait_for(lambda s: "refused: nothing to restore dynamodb://ledger "
                       "from at or before" in " ".join(s.split()), timeout=10)
        typed(t, "T", "yesterday-ish")
        with check("T: not a time: the forms are named"):
            t.wait_for("'yesterday-ish' is not a time", timeout=10)

        # ---- the incident time ----
        t.send("]")
        t.send("End")
        t.wait_for(re.compile(r"Method\s+from backup 'b-new'"), timeout=10)
        # Between the two backups.
        bk = {b["BackupName"]: b["BackupCreationDateTime"] for b in
              m.client("dynamodb").list_backups(TableName="ledger")["BackupSummaries"]}
        inc = bk["b-new"] - datetime.timedelta(milliseconds=700)
        typed(t, "i", inc.astimezone(datetime.timezone.utc)
              .strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")
        with check("i: data loss to the incident; a state after it is called out"):
            t.wait_for(re.compile(r"incident: \S+Z \("), timeout=10)
            t.wait_for(re.compile(r"Incident\s+\S+Z\s+\(data loss is measured to it"),
                       timeout=10)
            t.send("[")
            scr = t.wait_for(re.compile(r"Method\s+from backup 'b-old'"), timeout=10)
            assert "of writes: from" in line(t, "Data loss"), line(t, "Data loss")
            assert "(the incident)" in line(t, "Data loss"), line(t, "Data loss")
            t.send("]")
            t.wait_for(re.compile(r"Method\s+from backup 'b-new'"), timeout=10)
            assert "AFTER the incident" in line(t, "Data loss"), \
                line(t, "Data loss")
        typed(t, "i", "")
        t.wait_for("no incident time: data loss is measured to now", timeout=10)

        # ---- the plan in READ-ONLY ----
        t.send("Enter")
        with check("Enter: the plan, with the read-only banner"):
            scr = t.wait_for(re.compile(r"Restore plan: dynamodb://ledger -> "
                                        r"dynamodb://ledger-restored-\d+"), timeout=30)
            assert READONLY in scr, scr
            assert "READ-ONLY: nothing will be sent" in title(t), title(t)
            assert "RestoreTableFromBackup" in scr, scr
            assert re.search(r"BackupArn = arn:aws:dynamodb:\S+/backup/", scr), scr
            assert "Notes: what the restored resource will not have" in scr, scr
        t.send("c")
        with check("read-only: c refuses to confirm; nothing is sent"):
            scr = t.wait_for(lambda s: READONLY in s.split("\n")[-2] or
                             READONLY in s.split("\n")[-1], timeout=10)
            assert "to confirm" not in scr, scr
            tap.is_(len(restores(p)), 0, "no Restore* request reached the proxy")
        t.send("e")
        t.wait_for("target name (empty: salvage chooses):", timeout=10)
        t.send("C-u")
        t.send_text("docs")
        t.send("Enter")
        with check("e: an existing table as the target is refused, named"):
            scr = t.wait_for("The plan was refused:", timeout=30)
            assert "docs" in scr and re.search(r"(?i)exists", scr), scr
        t.send("e")
        t.wait_for("target name (empty: salvage chooses):", timeout=10)
        t.send("C-u")
        t.send_text("ledger-copy")
        t.send("Enter")
        with check("e: a free name is planned"):
            t.wait_for("Restore plan: dynamodb://ledger -> dynamodb://ledger-copy",
                       timeout=30)
        t.send("q")
        t.send("q")
        t.wait_for("DynamoDB table ledger", timeout=10)

        # ---- a table with PITR: the window ----
        palette(t, "open dynamodb://docs")
        t.wait_for(re.compile(r"PITR\s+ENABLED"), timeout=30)
        t.send("R")
        with check("the timeline of a PITR table starts at the latest time"):
            t.wait_for(re.compile(r"Method\s+point-in-time recovery to the latest "
                                  r"restorable time"), timeout=30)
            assert "(latest)" in line(t, "Cursor"), line(t, "Cursor")
            assert "RestoreTableToPointInTime" in line(t, "Method")
        win = re.search(r"earliest (\S+Z)\s+latest (\S+Z)", t.screen())
        typed(t, "T", "-1d")
        with check("T: outside the window: refused, the window named"):
            t.wait_for(lambda s: ("is outside the PITR window of dynamodb://docs: "
                                  "earliest %s, latest %s" % win.groups())
                       in " ".join(s.split()), timeout=10)
            assert "(latest)" in line(t, "Cursor"), "the cursor did not move"
        typed(t, "T", "latest")
        with check("T latest"):
            t.wait_for("time: latest restorable", timeout=10)
        t.send("Enter")
        with check("a PITR plan: UseLatestRestorableTime, read-only banner"):
            scr = t.wait_for(re.compile(r"Restore plan: dynamodb://docs -> "), timeout=30)
            assert "UseLatestRestorableTime = true" in scr, scr
            assert READONLY in scr, scr
        with check("still nothing sent that restores"):
            tap.is_(len(restores(p)), 0, "no Restore* request")

        palette(t, "quit")
        tap.is_(t.wait_exit(20), 0, ":quit exits 0")

tap.done_testing()
