#!/usr/bin/env python3
"""operate-rds.py - an RDS instance restored from the console end to end,
with --operate, against moto with the fault proxy in between: the
instances list, R (the timeline), Enter on the latest time (the plan:
RestoreDBInstanceToPointInTime to a new instance, what is not carried
over), c and the target's name typed, the wait view until the instance
is available; boto3 then sees the target instance. Then an Aurora
cluster from its cluster snapshot: R on the cluster, a snapshot chosen,
Enter (the plan: RestoreDBClusterFromSnapshot, then CreateDBInstance),
c and the name; boto3 sees the cluster and its first instance.

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
    rds = m.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier=SOURCE, DBInstanceClass="db.t3.micro",
        Engine="postgres", MasterUsername="admin",
        MasterUserPassword="password1", AllocatedStorage=20,
        BackupRetentionPeriod=7)


def seed_cluster(m):
    rds = m.client("rds")
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-prod", Engine="aurora-postgresql",
        MasterUsername="admin", MasterUserPassword="password1",
        BackupRetentionPeriod=5)
    rds.create_db_instance(
        DBInstanceIdentifier="aurora-prod-a", DBInstanceClass="db.r5.large",
        Engine="aurora-postgresql", DBClusterIdentifier="aurora-prod")
    rds.create_db_cluster_snapshot(DBClusterIdentifier="aurora-prod",
                                   DBClusterSnapshotIdentifier="aurora-nightly")


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

        seed_cluster(m)
        palette(t, "open rds-cluster://aurora-prod")
        t.wait_for("Aurora DB cluster aurora-prod", timeout=60)
        t.wait_for("aurora-nightly", timeout=60)
        t.send("R")
        t.wait_for(re.compile(r"Method\s+point-in-time recovery to the latest"),
                   timeout=60)
        # moto stamps everything "now": the snapshots share the window's
        # one instant, so they are chosen in the list below the bar.
        t.send("Down")
        t.send("Up")
        with check("a snapshot in the cluster's timeline: the method says so"):
            scr = t.wait_for(re.compile(r"Method\s+from cluster snapshot (\S+) of "
                                        r".*RestoreDBClusterFromSnapshot"),
                             timeout=10)
            snap = re.search(r"from cluster snapshot (\S+) of", scr).group(1)
        t.send("Enter")
        with check("Enter: the plan (a new cluster from the snapshot, its instance)"):
            scr = t.wait_for(re.compile(r"c confirms \(you type the target's name: "
                                        r"(aurora-prod-restored-\d+)\)"), timeout=60)
            ctarget = re.search(r"target's name: (aurora-prod-restored-\d+)\)",
                                scr).group(1)
            assert "(rds-cluster-snapshot)" in title(t), title(t)
            assert "RestoreDBClusterFromSnapshot" in scr, scr
            assert snap in scr, scr
            assert "CreateDBInstance" in scr, scr
        t.send("c")
        t.wait_for("type the target's name (%s) to confirm" % ctarget, timeout=10)
        t.send_text(ctarget)
        t.send("Enter")
        with check("confirmed: waited for the cluster and its instance"):
            t.wait_for(re.compile(r"Status\s+available: usable"), timeout=120)
            rds = m.client("rds")
            c = rds.describe_db_clusters(DBClusterIdentifier=ctarget)["DBClusters"][0]
            tap.is_(c["Engine"], "aurora-postgresql", "the cluster's engine")
            i = instances(m).get(ctarget + "-1")
            assert i is not None and i.get("DBClusterIdentifier") == ctarget, i
            tap.is_(i["DBInstanceClass"], "db.r5.large", "its instance's class")
        palette(t, "quit")
        tap.is_(t.wait_exit(30), 0, ":quit exits 0")

tap.done_testing()
