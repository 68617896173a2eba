#!/usr/bin/env python3
"""browse-ddb.py - the console's DynamoDB screens against moto: the tables
list, a table's detail (status, key schema, billing, the PITR window,
backups newest first, the timeline), a table without PITR, :open of a
table and of a missing one, and 't' switching times between UTC and
local time."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402


def seed(m):
    ddb = m.client("dynamodb")
    ddb.create_table(
        TableName="documents", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"}])
    ddb.create_table(
        TableName="ledger", BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    ddb.update_continuous_backups(
        TableName="documents",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    for i in range(3):
        ddb.put_item(TableName="documents",
                     Item={"pk": {"S": "d%d" % i}, "sk": {"N": str(i)}})
    ddb.create_backup(TableName="documents", BackupName="nightly-older")
    ddb.create_backup(TableName="documents", BackupName="nightly-newer")


with Moto() as m:
    seed(m)
    with start(m, width=130, height=36) as t:
        ready(t)
        with check("home counts the DynamoDB tables"):
            t.wait_for(re.compile(r"DynamoDB tables\s+2 "), timeout=30)

        # Home: the first line is DynamoDB tables; Enter opens it.
        t.send("g", "Enter")
        with check("the tables list"):
            scr = t.wait_for("DynamoDB tables (2 tables)", timeout=30)
            assert re.search(r"^documents\s+dynamodb://documents", scr, re.M), scr
            assert re.search(r"^ledger\s+dynamodb://ledger", scr, re.M), scr

        t.send("Enter")
        with check("a table's detail: status, keys, billing"):
            scr = t.wait_for("status ACTIVE", timeout=30)
            assert "DynamoDB table documents" in title(t), title(t)
            assert "pk HASH (S), sk RANGE (N)" in scr, scr
            assert "PAY_PER_REQUEST" in scr, scr
        with check("the PITR window, in UTC"):
            scr = t.wait_for(re.compile(r"PITR\s+ENABLED\s+earliest \S+Z\s+latest \S+Z"),
                             timeout=30)
        with check("backups newest first"):
            scr = t.wait_for("(2 backups, newest first)", timeout=30)
            newer = scr.index("nightly-newer")
            older = scr.index("nightly-older")
            assert newer < older, "nightly-newer is listed first"
            assert re.search(r"backup\s+USER\s+nightly-newer\s+AVAILABLE", scr), scr
        with check("the timeline: the window and the backups as marks"):
            # moto's PITR window is one instant (earliest == latest == when
            # PITR was enabled; AWS keeps latest near now), so it takes one
            # cell, the first.  The backups come milliseconds later: on a
            # slow machine, against a bar that reaches now, they land in
            # that same cell, and a mark is drawn over the window.  So the
            # window is the first cell, drawn as '=' or as a mark on it.
            def timeline(scr):
                for l in scr.split("\n"):
                    m = re.search(r"Timeline\s+\[([-=*#]+)\]", l)
                    if m:
                        return m.group(1)
                return None
            bar = timeline(t.wait_for(timeline, timeout=10))
            assert re.search(r"[*#]", bar), bar
            assert bar[0] in "=*#", bar
            assert "=" not in bar.lstrip("=*#"), \
                "the window is one instant: nothing after it is '=': " + bar

        t.send("t")
        with check("t: local time with the zone and its offset"):
            # One condition over the whole screen: the window in local time,
            # the footer naming the zone, and no UTC time left anywhere.
            def local_everywhere(scr):
                return (re.search(r"earliest \d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
                                  r"CES?T \(\+0[12]:00\)", scr) is not None and
                        re.search(r"times in local time: CES?T \(\+0[12]:00\)", scr)
                        is not None and
                        re.search(r"\d\d:\d\dZ", scr) is None)
            t.wait_for(local_everywhere, timeout=10)
        t.send("t")
        with check("t again: back to UTC"):
            t.wait_for(re.compile(r"earliest \S+Z\s+latest \S+Z"), timeout=10)
            t.wait_for("times in UTC", timeout=10)

        t.send("q")
        t.wait_for("DynamoDB tables (2 tables)", timeout=10)
        t.send("j", "Enter")
        with check("a table without PITR says so"):
            scr = t.wait_for(re.compile(r"PITR\s+DISABLED"), timeout=30)
            assert "DynamoDB table ledger" in title(t), title(t)
            assert "PROVISIONED (5 RCU, 3 WCU)" in scr, scr
            t.wait_for("(0 backups, newest first)", timeout=30)
            t.wait_for("no backups", timeout=10)

        palette(t, "open dynamodb://documents")
        with check(":open dynamodb://documents opens the table"):
            t.wait_for(re.compile(r"PITR\s+ENABLED"), timeout=30)
            assert "DynamoDB table documents" in title(t), title(t)
        t.send("q")
        with check("q goes back to where :open was typed"):
            t.wait_for(re.compile(r"PITR\s+DISABLED"), timeout=10)

        palette(t, "open dynamodb://no-such-table")
        with check("a missing table: the error in place, not a crash"):
            scr = t.wait_for("Press r to retry", timeout=30)
            assert re.search(r"(?i)not found|ResourceNotFound|does not exist", scr), scr
            assert t.alive()

        palette(t, "open nosuch://x")
        with check("a bad URI: a message, nothing opened"):
            scr = t.wait_for("unknown resource type", timeout=10)
            assert "no-such-table" in title(t), title(t)

        palette(t, "quit")
        tap.is_(t.wait_exit(10), 0, ":quit exits 0")

tap.done_testing()
