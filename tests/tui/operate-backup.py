#!/usr/bin/env python3
"""operate-backup.py - changes from the console, the backup key (b) and
the audit log (:audit), against moto with the fault proxy in between:

  * READ-ONLY: b on a table (detail and list) says why not and sends
    nothing (no CreateBackup reaches the proxy); :audit shows the
    session's records;
  * OPERATE: b asks for the name (default <table>-manual-YYYYMMDD-HHMM),
    shows the plan line, asks for the name to be typed; a wrong name sends
    nothing; the right one creates the backup (aws-cli sees it) and the
    view shows it available; :audit lists confirm, intent and result
    live; the log on disk has them (and verifies);
  * the header's "audit: N pending" while the audit bucket is missing,
    gone once it exists (the loop drives the shipper's retries)."""

import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import SALVAGE, check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                                # noqa: E402
from faultproxy import FaultProxy                                    # noqa: E402

TABLE = "orders"
READONLY_MSG = "read-only: start salvage with --operate to create backups"


def seed(m):
    ddb = m.client("dynamodb")
    ddb.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    for i in range(3):
        ddb.put_item(TableName=TABLE, Item={"pk": {"S": "o%d" % i}})


def create_backups(p):
    return [r for r in p.requests
            if (r["target"] or "").endswith(".CreateBackup")]


def backup_names(m):
    out = m.aws("dynamodb", "list-backups", "--table-name", TABLE)
    return [b["BackupName"] for b in out["BackupSummaries"]]


def records(path):
    with open(path, "rb") as f:
        return [json.loads(line) for line in f.read().splitlines()]


def open_table(t):
    palette(t, "open dynamodb://%s" % TABLE)
    t.wait_for(re.compile(r"\(\d+ backups?, newest first\)"), timeout=30)


with Moto() as m, FaultProxy(m.url) as p:
    seed(m)

    # ---- READ-ONLY: b is refused, nothing is sent ----
    audit_ro = os.path.join(m.tmpdir, "audit-ro")
    with start(m, args=["--audit-dir", audit_ro], endpoint=p.url) as t:
        ready(t)
        open_table(t)
        t.send("b")
        with check("read-only: b on a table says why not"):
            scr = t.wait_for(READONLY_MSG, timeout=10)
            assert "backup name:" not in scr, "no name prompt"
            assert "READ-ONLY" in t.lines()[0], t.lines()[0]
        t.send("q")
        palette(t, "tables")
        t.wait_for("DynamoDB tables (1 table)", timeout=30)
        t.send("b")
        with check("read-only: b on the tables list says why not"):
            t.wait_for(READONLY_MSG, timeout=10)
        with check("read-only: no CreateBackup reached the proxy"):
            tap.is_(len(create_backups(p)), 0, "CreateBackup requests")
            tap.is_(backup_names(m), [], "no backup was made")
        palette(t, "audit")
        with check(":audit in read-only: the session's start, its mode"):
            scr = t.wait_for("Audit log of this session", timeout=10)
            assert re.search(r"\b1 \S+Z session-start\s+read-only, tui", scr), scr
            assert audit_ro in scr, "the local file is named"
            assert "not shipped: no audit bucket configured" in scr, scr
        palette(t, "quit")
        tap.is_(t.wait_exit(20), 0, "read-only session: exit 0")
    with check("read-only: the session's log ends with session-end"):
        logs = glob.glob(os.path.join(audit_ro, "*.jsonl"))
        tap.is_(len(logs), 1, "one log")
        recs = records(logs[0])
        tap.is_([r["type"] for r in recs], ["session-start", "session-end"],
                "start and end only")
        tap.is_(recs[0]["data"]["frontend"], "tui", "frontend tui")

    # ---- OPERATE: b plans, asks for the typed name, creates ----
    audit_op = os.path.join(m.tmpdir, "audit-op")
    p.clear_requests()
    with start(m, args=["--operate", "--audit-dir", audit_op],
               endpoint=p.url) as t:
        ready(t)
        open_table(t)
        t.send("b")
        with check("b asks for the name, <table>-manual-YYYYMMDD-HHMM by default"):
            scr = t.wait_for(re.compile(r"backup name: orders-manual-\d{8}-\d{4}"),
                             timeout=10)
            default = re.search(r"backup name: (orders-manual-\d{8}-\d{4})",
                                scr).group(1)
        # A name of our own (the default is kept apart for a second run).
        t.send("C-u")
        t.send_text("orders-tui-1")
        t.send("Enter")
        with check("the plan line, then the typed confirmation"):
            scr = t.wait_for("type the backup name (orders-tui-1) to confirm",
                             timeout=30)
            assert ("create DynamoDB backup 'orders-tui-1' of table orders "
                    "(dynamodb://orders) with CreateBackup") in scr, scr
            assert "Backup of dynamodb://orders: orders-tui-1" in title(t), title(t)
        t.send_text("orders-tui-2")
        t.send("Enter")
        with check("a wrong name: not confirmed, nothing sent"):
            t.wait_for("not confirmed: 'orders-tui-2' is not 'orders-tui-1'",
                       timeout=10)
            t.wait_for("nothing was sent. r asks again", timeout=10)
            tap.is_(len(create_backups(p)), 0, "no CreateBackup yet")
        t.send("r")
        t.wait_for("type the backup name (orders-tui-1) to confirm", timeout=10)
        t.send_text("orders-tui-1")
        t.send("Enter")
        with check("the right name: created, shown available"):
            scr = t.wait_for(re.compile(r"Status\s+AVAILABLE: done"), timeout=30)
            assert re.search(r"ID\s+arn:aws:dynamodb:\S+:table/orders/backup/", scr), scr
            tap.is_(len(create_backups(p)), 1, "one CreateBackup")
            assert "orders-tui-1" in backup_names(m), backup_names(m)

        palette(t, "audit")
        with check(":audit shows confirm (declined, then accepted), intent, result"):
            scr = t.wait_for(re.compile(r"result\s+CreateBackup of intent"),
                             timeout=10)
            assert re.search(r"session-start\s+operate, tui", scr), scr
            assert re.search(r"confirm\s+NOT confirmed: create DynamoDB backup "
                             r"'orders-tui-1'", scr), scr
            assert re.search(r"confirm\s+CONFIRMED: create DynamoDB backup "
                             r"'orders-tui-1'", scr), scr
            assert re.search(r"intent\s+CreateBackup dynamodb://orders", scr), scr
            assert re.search(r"CreateBackup of intent \d+: ok \(HTTP 200\)", scr), scr
        with check(":audit: the selected record in full below the list"):
            scr = t.screen()
            assert '"type":"result"' in scr.replace("\n ", ""), scr
        t.send("q")
        t.wait_for("Backup of dynamodb://orders", timeout=10)
        t.send("q")
        t.wait_for(re.compile(r"DynamoDB table orders \("), timeout=10)
        t.send("r")
        with check("back on the table, r shows the new backup"):
            scr = t.wait_for(re.compile(r"\(1 backup, newest first\)"), timeout=30)
            assert "orders-tui-1" in scr, scr

        # The list of tables: b on the selected row.
        palette(t, "tables")
        t.wait_for("DynamoDB tables (1 table)", timeout=30)
        t.send("b")
        t.wait_for("backup name: %s" % default[:len("orders-manual-")], timeout=10)
        t.send("Escape")
        with check("Esc at the name prompt: nothing is sent"):
            t.wait_for("backup cancelled: nothing was sent", timeout=10)
            tap.is_(len(create_backups(p)), 1, "still one CreateBackup")
        palette(t, "quit")
        tap.is_(t.wait_exit(20), 0, "operate session: exit 0")

    with check("the log on disk: confirm, intent, result, in that order"):
        logs = glob.glob(os.path.join(audit_op, "*.jsonl"))
        tap.is_(len(logs), 1, "one log")
        recs = records(logs[0])
        types = [r["type"] for r in recs]
        conf = [r for r in recs if r["type"] == "confirm"]
        tap.is_(len(conf), 2, "two confirmations")
        tap.is_(conf[0]["data"]["accepted"], False, "the wrong name: declined")
        tap.is_(conf[0]["data"]["typed"], "orders-tui-2", "what was typed")
        tap.is_(conf[1]["data"]["accepted"], True, "then accepted")
        tap.is_(conf[1]["data"]["how"], "tty", "how: tty")
        tap.is_(conf[1]["data"]["expected"], "orders-tui-1", "expected the name")
        intent = [r for r in recs if r["type"] == "intent"]
        tap.is_(len(intent), 1, "one intent")
        tap.is_(intent[0]["data"]["operation"], "CreateBackup", "intent: CreateBackup")
        result = [r for r in recs if r["type"] == "result"]
        tap.is_(result[0]["data"]["outcome"], "ok", "result: ok")
        assert recs.index(conf[1]) < recs.index(intent[0]) < recs.index(result[0])
        tap.is_(types[-1], "session-end", "ends with session-end")
        r = subprocess.run([SALVAGE, "audit", "verify", logs[0]],
                           capture_output=True, env=m.env(), timeout=60)
        tap.is_(r.returncode, 0, "salvage audit verify: the chain is intact")

    # ---- the header: audit records pending while the bucket is missing ----
    audit_sh = os.path.join(m.tmpdir, "audit-ship")
    with start(m, args=["--audit-dir", audit_sh, "--audit-s3",
                        "s3://audit-later/logs/"], endpoint=p.url) as t:
        ready(t)
        with check("the header says what is not shipped yet"):
            t.wait_for(lambda s: re.search(r"audit: \d+ pending",
                                           s.split("\n")[0]), timeout=30)
        palette(t, "audit")
        with check(":audit names the destination and the last error"):
            scr = t.wait_for(lambda s: "pending; last error:" in
                             " ".join(s.split()), timeout=20)
            assert "s3://audit-later/logs/123456789012/" in scr, scr
            assert re.search(r"(?i)NoSuchBucket|does not exist",
                             " ".join(scr.split())), scr
        m.client("s3").create_bucket(Bucket="audit-later")
        with check("once the bucket exists, the loop's retries ship it"):
            t.wait_for(lambda s: "audit: " not in s.split("\n")[0] and
                       "up to date" in s, timeout=90)
        palette(t, "quit")
        tap.is_(t.wait_exit(30), 0, "exit 0 after shipping")

tap.done_testing()
