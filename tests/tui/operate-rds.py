#!/usr/bin/env python3
"""operate-rds.py - an RDS instance restored from the console end to end,
with --operate, against moto with the fault proxy in between: the
instances list, R (the timeline), Enter on the latest time (the plan:
RestoreDBInstanceToPointInTime to a new instance, what is not carried
over), c and the target's name typed, the wait view until the instance
is available; boto3 then sees the target instance.

moto's gaps: LatestRestorableTime is always now and PITR restores ignore
the time, so only the latest time is restored here."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402
from faultproxy import FaultProxy                            # noqa: E402

SOURCE = "db-prod"


def seed(m):
    m.client("rds").create_db_instance(
        DBInstanceIdentifier=SOURCE, DBInstanceClass="db.t3.micro",
        Engine="postgres", MasterUsername="admin",
        MasterUserPassword="password1", AllocatedStorage=20,
        BackupRetentionPeriod=7)


def instances(m):
    out = m.client("rds").describe_db_instances()["DBInstances"]
    return {i["DBInstanceIdentifier"]: i for i in out}


with Moto() as m, FaultProxy(m.url) as p:
    seed(m)
    with start(m, args=["--operate"], endpoint=p.url, width=150, height=40) as t:
        ready(t)
        palette(t, "instances")
        t.wait_for("RDS DB instances (1 instance)", timeout=60)
        t.send("g")
        t.send("R")
        with check("R on the instance: its timeline, at the latest time"):
            t.wait_for(re.compile(r"Method\s+point-in-time recovery to the latest"),
                       timeout=60)
        t.send("Enter")
        with check("Enter: the plan (a new instance, the calls, the notes)"):
            scr = t.wait_for(re.compile(r"c confirms \(you type the target's name: "
                                        r"(db-prod-restored-\d+)\)"), timeout=60)
            target = re.search(r"target's name: (db-prod-restored-\d+)\)",
                               scr).group(1)
            assert ("Restore plan: rds://%s -> rds://%s (rds-pitr)" % (SOURCE, target)
                    in title(t)), title(t)
            assert "RestoreDBInstanceToPointInTime" in scr, scr
            assert "read-only" not in scr.lower(), scr
            assert target not in instances(m), "nothing was created yet"
        t.send("c")
        t.wait_for("type the target's name (%s) to confirm" % target, timeout=10)
        t.send_text(target)
        t.send("Enter")
        with check("confirmed: the wait view, then available"):
            t.wait_for("Restore rds://%s -> rds://%s" % (SOURCE, target), timeout=30)
            scr = t.wait_for(re.compile(r"Status\s+available: usable"), timeout=120)
            assert re.search(r"Next\s+v verify: compare", scr), scr
        with check("boto3: the target instance exists, from the source's engine"):
            got = instances(m)
            assert target in got, sorted(got)
            tap.is_(got[target]["Engine"], "postgres", "engine")
            tap.is_(got[target]["DBInstanceStatus"], "available", "status")
            assert SOURCE in got, "the source is still there"
        palette(t, "quit")
        tap.is_(t.wait_exit(30), 0, ":quit exits 0")

tap.done_testing()
