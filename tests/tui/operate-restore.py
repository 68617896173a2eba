#!/usr/bin/env python3
"""operate-restore.py - a DynamoDB restore from the console end to end,
with --operate, against moto with the fault proxy in between:

  * R on a table, End, Enter: the plan; c asks for the target's name to
    be typed; a wrong name sends nothing; the right one restores
    (RestoreTableToPointInTime reaches the proxy, aws-cli sees the new
    table with every item), the wait view shows it usable and offers
    verify and drift; v runs verify: EQUAL with the item counts; d lists
    the drift (PITR not carried over);
  * the audit log has the plan note, the confirmation, the intent and the
    result;
  * a second restore while the proxy delays every DescribeTable: the wait
    view keeps its clock running and answers keys (help opens and closes)
    while a response is pending; Esc stops waiting and says how to check
    later; the restore itself goes on (aws-cli sees the table)."""

import glob
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402
from faultproxy import FaultProxy                            # noqa: E402

TABLE = "orders"
NITEMS = 25


def seed(m):
    ddb = m.client("dynamodb")
    ddb.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    ddb.update_continuous_backups(
        TableName=TABLE,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    for i in range(NITEMS):
        ddb.put_item(TableName=TABLE, Item={"pk": {"S": "o%03d" % i},
                                            "n": {"N": str(i)}})


def sent(p, op):
    return [r for r in p.requests if (r["target"] or "").endswith("." + op)]


def count(m, table):
    out = m.aws("dynamodb", "scan", "--table-name", table, "--select", "COUNT")
    return out["Count"]


def tables(m):
    return m.aws("dynamodb", "list-tables")["TableNames"]


def plan_to_latest(t):
    palette(t, "open dynamodb://%s" % TABLE)
    t.wait_for(re.compile(r"PITR\s+ENABLED"), timeout=30)
    t.send("R")
    t.wait_for(re.compile(r"Method\s+point-in-time recovery to the latest"),
               timeout=30)
    t.send("Enter")
    scr = t.wait_for(re.compile(r"c confirms \(you type the target's name: "
                                r"(orders-restored-\d+)\)|The plan was refused"),
                     timeout=30)
    if "The plan was refused" in scr:
        return None
    return re.search(r"target's name: (orders-restored-\d+)\)", scr).group(1)


with Moto() as m, FaultProxy(m.url) as p:
    seed(m)
    audit = os.path.join(m.tmpdir, "audit")
    with start(m, args=["--operate", "--audit-dir", audit], endpoint=p.url,
               width=140, height=40) as t:
        ready(t)
        target = plan_to_latest(t)
        with check("the plan: source, point, target, the calls, the notes"):
            scr = t.screen()
            assert "Restore plan: dynamodb://orders -> dynamodb://%s (ddb-pitr)" \
                % target in title(t), title(t)
            assert "read-only" not in scr.lower(), scr
            assert "RestoreTableToPointInTime" in scr, scr
            assert "TargetTableName = %s" % target in scr, scr
            assert "not carried over" in scr, scr
        t.send("c")
        t.wait_for("type the target's name (%s) to confirm" % target, timeout=10)
        t.send_text(target + "x")
        t.send("Enter")
        with check("a wrong name: not confirmed, nothing sent"):
            t.wait_for("not confirmed: '%sx' is not '%s'" % (target, target),
                       timeout=10)
            tap.is_(len(sent(p, "RestoreTableToPointInTime")), 0, "no restore call")
        t.send("c")
        t.wait_for("type the target's name (%s) to confirm" % target, timeout=10)
        t.send_text(target)
        t.send("Enter")
        with check("confirmed: the wait view, then usable; verify and drift offered"):
            t.wait_for("Restore dynamodb://orders -> dynamodb://%s" % target,
                       timeout=30)
            scr = t.wait_for(re.compile(r"Status\s+ACTIVE: usable"), timeout=60)
            assert re.search(r"Next\s+v verify: compare", scr), scr
            assert "d drift" in scr, scr
            tap.is_(len(sent(p, "RestoreTableToPointInTime")), 1, "one restore call")
        with check("aws-cli: the new table has every item"):
            assert target in tables(m), tables(m)
            tap.is_(count(m, target), NITEMS, "items in the restored table")
        t.send("v")
        with check("v: verify runs and says EQUAL, with the item counts"):
            scr = t.wait_for(re.compile(r"Verify dynamodb://orders vs dynamodb://%s: "
                                        r"EQUAL" % target), timeout=60)
            assert re.search(r"item count\s+%d\s+%d\s+yes" % (NITEMS, NITEMS), scr), scr
            assert "Scan" in " ".join(r["target"] or "" for r in p.requests)
        t.send("q")
        t.wait_for(re.compile(r"Status\s+ACTIVE: usable"), timeout=10)
        t.send("d")
        with check("d: the drift, PITR not carried over"):
            scr = t.wait_for(re.compile(r"Drift dynamodb://orders vs "
                                        r"dynamodb://%s: settings differ" % target),
                             timeout=60)
            assert re.search(r"point-in-time recovery\s+on.*\s+off\s+NO", scr), scr
        t.send("q")
        t.send("q")
        with check("back on the plan: it says it was started"):
            t.wait_for("Confirmed and started at", timeout=10)
            t.send("c")
            t.wait_for("this plan was confirmed and started already", timeout=10)

        # ---- a second restore: the proxy delays every DescribeTable ----
        t.send("q")
        t.send("q")
        t.wait_for("DynamoDB table orders", timeout=10)
        target2 = plan_to_latest(t)
        if target2 is None:
            # The same minute: the default name is taken (and the plan
            # says so); name it ourselves.
            assert "already exists" in " ".join(t.screen().split()), t.screen()
            t.send("e")
            t.wait_for("target name", timeout=10)
            t.send("C-u")
            t.send_text("orders-second")
            t.send("Enter")
            t.wait_for("c confirms (you type the target's name: orders-second)",
                       timeout=30)
            target2 = "orders-second"
        p.delay(6, match="DescribeTable", count=None)
        t.send("c")
        t.wait_for("type the target's name (%s) to confirm" % target2, timeout=10)
        t.send_text(target2)
        t.send("Enter")
        with check("waiting while DescribeTable is delayed: the clock runs"):
            t.wait_for(re.compile(r"waiting until usable"), timeout=30)
            t.wait_for(re.compile(r"Elapsed\s+[2-5]s"), timeout=20)
        with check("keys are answered while a Describe response is pending"):
            t0 = time.monotonic()
            t.send("?")
            t.wait_for("Help: keys of the wait screen", timeout=3)
            assert time.monotonic() - t0 < 3
            scr = t.screen()
            assert "stop waiting (never the restore" in scr, scr
            t.send("q")
            t.wait_for("waiting until usable", timeout=3)
        t.send("Escape")
        with check("Esc stops waiting, not the restore, and says how to check"):
            scr = t.wait_for(lambda s: "No longer waiting; the restore goes on in "
                             "AWS. Check it later: :open dynamodb://%s" % target2
                             in " ".join(s.split()), timeout=20)
            assert "no longer waiting (the restore goes on)" in title(t), title(t)
        p.clear()
        with check("the restore went on: aws-cli sees the table"):
            assert target2 in tables(m), tables(m)
        t.send("q")
        t.wait_for("Confirmed and started at", timeout=10)
        palette(t, "quit")
        tap.is_(t.wait_exit(30), 0, ":quit exits 0")

    with check("the audit log: plan note, confirmations, intents, results"):
        logs = glob.glob(os.path.join(audit, "*.jsonl"))
        tap.is_(len(logs), 1, "one log")
        with open(logs[0]) as f:
            recs = [json.loads(l) for l in f]
        notes = [r for r in recs if r["type"] == "note"]
        assert any(n["data"].get("text", "").startswith("restore plan") for n in notes), notes
        conf = [r["data"] for r in recs if r["type"] == "confirm"]
        tap.is_([c["accepted"] for c in conf], [False, True, True], "declined, then two accepted")
        tap.is_(conf[1]["expected"], target, "the target's name was expected")
        intents = [r["data"]["operation"] for r in recs if r["type"] == "intent"]
        tap.is_(intents, ["RestoreTableToPointInTime"] * 2, "two restore intents")
        results = [r["data"]["outcome"] for r in recs if r["type"] == "result"]
        tap.is_(results, ["ok", "ok"], "two results")

tap.done_testing()
