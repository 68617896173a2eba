#!/usr/bin/env python3
"""runbooks-aurora.py - the aurora-snapshot-restore runbook end to end on
moto, unattended with --operate: the choose-point step takes the newest
cluster snapshot before the incident, the restore step runs
RestoreDBClusterFromSnapshot (the snapshot's engine) and CreateDBInstance
for the first instance, both are waited for, and the report shows the
restore done. Without --operate the run stops at the restore step with
nothing mutating sent.

moto gaps: restored clusters and instances are available at once; moto
makes an automated cluster snapshot too, stamped "now" like the manual
one, so the incident is set after both and the newest is the one
checked against."""
import datetime
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

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
MUTATING = ("Restore", "Create", "Modify", "Delete", "AddTags")


def run(env, *args):
    return subprocess.run([SALVAGE] + list(args), env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)


with Moto() as m, FaultProxy(m.url) as p:
    rds = m.client("rds")
    rds.create_db_cluster(DBClusterIdentifier="aurora-prod", Engine="aurora-postgresql",
                          MasterUsername="admin1", MasterUserPassword="not-a-real-pw-1",
                          BackupRetentionPeriod=7)
    rds.create_db_instance(DBInstanceIdentifier="aurora-prod-a", DBInstanceClass="db.r5.large",
                           Engine="aurora-postgresql", DBClusterIdentifier="aurora-prod")
    rds.create_db_cluster_snapshot(DBClusterIdentifier="aurora-prod",
                                   DBClusterSnapshotIdentifier="aurora-nightly")
    incident = (datetime.datetime.now(datetime.timezone.utc) +
                datetime.timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    env = m.env({"AWS_ENDPOINT_URL": p.url,
                 "SALVAGE_RUNBOOK_DIR": os.path.join(SRCDIR, "runbooks")})
    args = ["run", "aurora-snapshot-restore", "--unattended",
            "--var", "cluster=aurora-prod", "--var", "incident=" + incident,
            "--var", "target=aurora-back"]

    p.clear_requests()
    r = run(env, *args)
    tap.ok(r.returncode == 3 and "aurora-back" not in
           [c["DBClusterIdentifier"] for c in rds.describe_db_clusters()["DBClusters"]],
           "without --operate: refused at the restore step (exit 3), no cluster made",
           r.stdout[-1500:] + r.stderr[-1500:])
    tap.is_([q["target"] for q in p.requests if q["target"] and
             q["target"].startswith(MUTATING)], [], "... nothing mutating sent")

    p.clear_requests()
    r = run(env, "--operate", *args)
    tap.is_(r.returncode, 0, "with --operate: the runbook completes unattended",
            r.stdout[-2500:] + r.stderr[-1500:])
    sent = [q["target"] for q in p.requests if q["target"] and
            q["target"].startswith(MUTATING)]
    tap.is_(sent, ["RestoreDBClusterFromSnapshot", "CreateDBInstance"],
            "... RestoreDBClusterFromSnapshot, then CreateDBInstance")
    c = rds.describe_db_clusters(DBClusterIdentifier="aurora-back")["DBClusters"][0]
    i = rds.describe_db_instances(DBInstanceIdentifier="aurora-back-1")["DBInstances"][0]
    tap.is_((c["Engine"], i["DBClusterIdentifier"], i["DBInstanceClass"]),
            ("aurora-postgresql", "aurora-back", "db.r5.large"),
            "... boto3 sees the cluster and its instance")
    sid = r.stdout.split()[1] if r.stdout.startswith("session: ") else ""
    rep = run(env, "report", sid, "--format", "json")
    try:
        steps = {s["id"]: s for s in json.loads(rep.stdout).get("steps", [])}
    except ValueError:
        steps = {}
    tap.is_((steps.get("snapshot", {}).get("status"),
             steps.get("restore", {}).get("status")), ("done", "done"),
            "the report: the snapshot chosen, the restore done", rep.stdout[-1500:])
tap.done_testing()
