#!/usr/bin/env python3
"""browse-rds.py - the console's RDS screens against moto: DB instances
(one with backup retention, one without), an instance's detail (engine,
status, retention, the PITR window, snapshots manual and automated newest
first, the timeline), Aurora clusters and a cluster's detail.

moto's gaps: automated backups carry no RestoreWindow, so the window's
earliest edge is unknown ("-"), and LatestRestorableTime is "now"."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402


def seed(m):
    rds = m.client("rds")
    for ident, keep in (("db-keep", 7), ("db-none", 0)):
        rds.create_db_instance(
            DBInstanceIdentifier=ident, DBInstanceClass="db.t3.micro",
            Engine="postgres", MasterUsername="admin",
            MasterUserPassword="password1", AllocatedStorage=20,
            BackupRetentionPeriod=keep)
    rds.create_db_snapshot(DBInstanceIdentifier="db-keep",
                           DBSnapshotIdentifier="keep-manual-1")
    rds.create_db_snapshot(DBInstanceIdentifier="db-keep",
                           DBSnapshotIdentifier="keep-manual-2")
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-prod", Engine="aurora-postgresql",
        MasterUsername="admin", MasterUserPassword="password1",
        BackupRetentionPeriod=5)
    rds.create_db_cluster_snapshot(DBClusterIdentifier="aurora-prod",
                                   DBClusterSnapshotIdentifier="aurora-manual-1")


with Moto() as m:
    seed(m)
    with start(m, width=130, height=36) as t:
        ready(t)
        with check("home counts instances and clusters"):
            t.wait_for(re.compile(r"RDS DB instances\s+2 "), timeout=60)
            t.wait_for(re.compile(r"Aurora DB clusters\s+1 "), timeout=60)

        palette(t, "instances")
        with check("the instances list, with retention"):
            scr = t.wait_for("RDS DB instances (2 instances)", timeout=60)
            assert re.search(r"^db-keep\s+postgres\s+\S+\s+db\.t3\.micro\s+7\s", scr,
                             re.M), scr
            assert re.search(r"^db-none\s+postgres\s+\S+\s+db\.t3\.micro\s+0\s", scr,
                             re.M), scr

        t.send("g", "Enter")
        with check("an instance's detail: engine, status, retention"):
            scr = t.wait_for("Retention   7 days", timeout=60)
            assert "RDS DB instance db-keep" in title(t), title(t)
            assert re.search(r"Engine\s+postgres", scr), scr
            assert re.search(r"status \S+", scr), scr
        with check("its PITR window and snapshots newest first"):
            scr = t.wait_for(re.compile(r"PITR\s+ENABLED\s+earliest \S+\s+latest \S+Z"),
                             timeout=60)
            scr = t.wait_for(re.compile(r"\(\d+ snapshots, newest first\)"), timeout=60)
            assert re.search(r"snapshot\s+manual\s+keep-manual-2", scr), scr
            assert scr.index("keep-manual-2") < scr.index("keep-manual-1"), \
                "newest first"
            t.wait_for(re.compile(r"Timeline\s+\[[-=]*[*#][-=*#]*\]"), timeout=10)

        t.send("Escape")
        t.wait_for("RDS DB instances (2 instances)", timeout=10)
        with check("Esc went back to the list"):
            assert "RDS DB instances" in title(t)
        t.send("G", "Enter")
        with check("an instance without retention: no PITR, said loudly"):
            scr = t.wait_for("automated backups are OFF", timeout=60)
            assert "RDS DB instance db-none" in title(t), title(t)
            t.wait_for(re.compile(r"PITR\s+DISABLED"), timeout=60)

        palette(t, "clusters")
        with check("the clusters list"):
            scr = t.wait_for("Aurora DB clusters (1 cluster)", timeout=60)
            assert re.search(r"^aurora-prod\s+aurora-postgresql\s+\S+\s+5\s", scr,
                             re.M), scr
        t.send("Enter")
        with check("a cluster's detail: engine, retention, window, snapshots"):
            scr = t.wait_for("Aurora DB cluster aurora-prod", timeout=60)
            scr = t.wait_for(re.compile(r"Retention\s+5 days"), timeout=60)
            assert re.search(r"Engine\s+aurora-postgresql", scr), scr
            scr = t.wait_for("aurora-manual-1", timeout=60)
            assert re.search(r"snapshot\s+manual\s+aurora-manual-1", scr), scr
            t.wait_for(re.compile(r"PITR\s+ENABLED"), timeout=60)

        palette(t, "open rds://db-keep")
        with check(":open rds://db-keep"):
            t.wait_for("Retention   7 days", timeout=60)
            assert "RDS DB instance db-keep" in title(t), title(t)
        palette(t, "open rds-cluster://aurora-prod")
        with check(":open rds-cluster://aurora-prod"):
            t.wait_for(re.compile(r"Retention\s+5 days"), timeout=60)
            assert "Aurora DB cluster aurora-prod" in title(t), title(t)

        palette(t, "quit")
        tap.is_(t.wait_exit(10), 0, ":quit exits 0")

tap.done_testing()
