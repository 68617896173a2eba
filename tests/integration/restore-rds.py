#!/usr/bin/env python3
"""restore-rds.py - `salvage restore rds://...` and `rds-cluster://...` end
to end against moto, with the fault proxy in between and aws-cli as the
independent checker.

  * read-only: without --operate the plan is shown (what is dropped by
    default is said) and the command exits 3; NO mutating request reaches
    the proxy;
  * an instance to the latest restorable time carrying every setting
    (security groups, parameter group, Multi-AZ read from the source), an
    instance to a relative time, an instance from a snapshot, a cluster to
    the latest time followed by CreateDBInstance (engine and class from
    the source cluster's member), a cluster from its cluster snapshot
    (RestoreDBClusterFromSnapshot with the snapshot's engine, then
    CreateDBInstance): aws-cli sees each, and the requests carried what
    the plan said;
  * refusals before anything is sent: a time outside a cluster's window
    (the window named), an instance without automated backups, an
    existing target, an unknown snapshot or cluster snapshot, a cluster
    snapshot without --operate;
  * --json: two steps for a cluster, and the outcome;
  * waiting: the proxy answers DescribeDBInstances of the new instance with
    "creating" twice and delays one response: polled until "available";
  * audit: intents, results, confirmations; `salvage audit verify` passes.

moto's gaps (see AWS-NOTES), allowed for here and never special-cased in
the product:
  * LatestRestorableTime is always "now" and PITR restores ignore the
    time, so the request's RestoreTime is checked at the proxy instead of
    the restored data;
  * automated backups have no RestoreWindow: an instance's window start is
    unknown (the plan warns that the service decides), so the
    out-of-window refusal is shown with a cluster, whose
    EarliestRestorableTime moto does report;
  * moto keeps no subnet group for an instance created without one, so
    --carry subnet-group has nothing to carry (the plan warns);
  * restored instances and clusters are available at once, so the waiting
    is played by the proxy.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import FaultProxy       # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
MUTATING = ("Restore", "Create", "Modify", "Delete", "AddTags", "Reboot")


def run(env, *args, timeout=120, stdin=subprocess.DEVNULL):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env, stdin=stdin,
                       capture_output=True, timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


is_ = tap.is_


def records(path):
    with open(path, "rb") as f:
        return [json.loads(line) for line in f.read().splitlines()]


def logs(d):
    return sorted(os.path.join(d, x) for x in os.listdir(d) if x.endswith(".jsonl")) \
        if os.path.isdir(d) else []


def form(rec):
    return {k: v[0] for k, v in
            urllib.parse.parse_qs(rec["body"].decode(), keep_blank_values=True).items()}


def mutating(p):
    return [r["target"] for r in p.requests
            if r["target"] and r["target"].startswith(MUTATING)]


def instance(m, ident):
    try:
        return m.aws("rds", "describe-db-instances", "--db-instance-identifier",
                     ident)["DBInstances"][0]
    except Exception:
        return None


def seed(m):
    m.aws("rds", "create-db-instance", "--db-instance-identifier", "db1",
          "--db-instance-class", "db.t3.micro", "--engine", "postgres",
          "--master-username", "admin1", "--master-user-password",
          "not-a-real-pw-1", "--allocated-storage", "20",
          "--backup-retention-period", "7", "--vpc-security-group-ids", "sg-0a1b2c",
          "--multi-az")
    m.aws("rds", "create-db-instance", "--db-instance-identifier", "nobackup",
          "--db-instance-class", "db.t3.micro", "--engine", "postgres",
          "--master-username", "admin1", "--master-user-password",
          "not-a-real-pw-1", "--allocated-storage", "20",
          "--backup-retention-period", "0")
    m.aws("rds", "create-db-snapshot", "--db-instance-identifier", "db1",
          "--db-snapshot-identifier", "snap-1")
    m.aws("rds", "create-db-cluster", "--db-cluster-identifier", "cl1",
          "--engine", "aurora-postgresql", "--master-username", "admin1",
          "--master-user-password", "not-a-real-pw-1",
          "--backup-retention-period", "7")
    m.aws("rds", "create-db-instance", "--db-instance-identifier", "cl1-a",
          "--db-instance-class", "db.r5.large", "--engine", "aurora-postgresql",
          "--db-cluster-identifier", "cl1")
    m.aws("rds", "create-db-cluster-snapshot", "--db-cluster-identifier", "cl1",
          "--db-cluster-snapshot-identifier", "cl1-snap-1")


def test_readonly(m, p, env, d):
    p.clear_requests()
    res = run(env, "--audit-dir", d, "restore", "rds://db1", "--to", "latest",
              "--target", "ro-1")
    is_(res[0], 3, "without --operate: exit 3", show(res))
    tap.like(res[1], r"RestoreDBInstanceToPointInTime", "... the plan names the call")
    tap.like(res[1], r"dropped: security groups", "... says the security groups "
             "are dropped by default")
    tap.like(res[1], r"dropped: Multi-AZ", "... and Multi-AZ")
    tap.like(res[2], r"--operate", "... says how to enable changes")
    tap.ok(len(p.requests) > 0, "... the plan was made with read-only requests")
    is_(mutating(p), [], "... NO mutating request reached the proxy")
    tap.ok(instance(m, "ro-1") is None, "... no instance was created")

    p.clear_requests()
    res = run(env, "--audit-dir", d, "--json", "restore", "rds-cluster://cl1",
              "--to", "latest", "--target", "ro-c")
    is_(res[0], 3, "cluster, --json, without --operate: exit 3", show(res))
    doc = json.loads(res[1])
    plan = doc["plan"]
    is_([s["op"] for s in plan["steps"]],
        ["RestoreDBClusterToPointInTime", "CreateDBInstance"],
        "... the plan: restore the cluster, then create its instance")
    is_(plan["steps"][1]["params"], {"DBClusterIdentifier": "ro-c",
                                     "DBInstanceIdentifier": "ro-c-1",
                                     "Engine": "aurora-postgresql",
                                     "DBInstanceClass": "db.r5.large"},
        "... the instance's engine and class from the source cluster's member",
        plan["steps"])
    tap.ok(plan["carry"] == [] and plan["mutating_calls"] == 2 and
           doc["outcome"] is None, "... carry none, 2 mutating calls, no outcome")
    is_(mutating(p), [], "... nothing mutating sent")


def test_restores(m, p, env, d):
    # An instance, latest, carrying everything.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore", "rds://db1",
              "--to", "latest", "--target", "db1-latest", "--carry", "all")
    is_(res[0], 0, "instance PITR latest --carry all: exit 0", show(res))
    reqs = p.requests_matching("RestoreDBInstanceToPointInTime")
    f = form(reqs[0]) if len(reqs) == 1 else {}
    tap.ok(f.get("UseLatestRestorableTime") == "true" and
           f.get("SourceDBInstanceIdentifier") == "db1" and
           f.get("TargetDBInstanceIdentifier") == "db1-latest" and
           f.get("VpcSecurityGroupIds.member.1") == "sg-0a1b2c" and
           f.get("MultiAZ") == "true" and f.get("DBParameterGroupName"),
           "... the request carries the source's security group, parameter "
           "group and Multi-AZ", f)
    tap.like(res[1], r"carried from the source: security groups sg-0a1b2c",
             "... the plan says what is carried")
    tap.like(res[1], r"--carry subnet-group: the source's subnet group is not known",
             "... and warns about what it could not carry")
    i = instance(m, "db1-latest")
    tap.ok(i is not None and [g["VpcSecurityGroupId"] for g in
                              i.get("VpcSecurityGroups", [])] == ["sg-0a1b2c"],
           "... aws-cli sees the instance with the security group", i)
    tap.like(res[2], r"salvage verify rds://db1 rds://db1-latest", "... suggests verify")

    # An instance, a relative time (the default: nothing carried).
    p.clear_requests()
    t0 = time.time()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore", "rds://db1",
              "--to", "-2m", "--target", "db1-2m")
    is_(res[0], 0, "instance PITR -2m: exit 0", show(res))
    tap.like(res[2], r"--to -2m: \d{4}-\d\d-\d\dT[\d:.]+Z \(", "... the time is echoed "
             "in UTC and local time")
    tap.like(res[1], r"the start of the point-in-time window is not known",
             "... the plan warns that the window's start is unknown (moto)")
    reqs = p.requests_matching("RestoreDBInstanceToPointInTime")
    f = form(reqs[0]) if len(reqs) == 1 else {}
    rt = f.get("RestoreTime", "")
    ok_time = False
    if rt:
        want = t0 - 120
        got = time.mktime(time.strptime(rt[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        ok_time = abs(got - want) < 30
    tap.ok(ok_time and "UseLatestRestorableTime" not in f and
           "VpcSecurityGroupIds.member.1" not in f and "MultiAZ" not in f,
           "... RestoreTime two minutes ago, nothing carried", f)
    tap.ok(instance(m, "db1-2m") is not None, "... aws-cli sees the instance")

    # An instance from a snapshot.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore", "rds://db1",
              "--snapshot", "snap-1", "--target", "db1-snap")
    is_(res[0], 0, "from a snapshot: exit 0", show(res))
    reqs = p.requests_matching("RestoreDBInstanceFromDBSnapshot")
    f = form(reqs[0]) if len(reqs) == 1 else {}
    tap.ok(f.get("DBSnapshotIdentifier") == "snap-1" and
           f.get("DBInstanceIdentifier") == "db1-snap",
           "... RestoreDBInstanceFromDBSnapshot with the snapshot", f)
    tap.ok(instance(m, "db1-snap") is not None, "... aws-cli sees the instance")

    # A cluster, latest, then its first instance.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "--json", "restore",
              "rds-cluster://cl1", "--to", "latest", "--target", "cl1-r")
    is_(res[0], 0, "cluster PITR latest: exit 0", show(res))
    names = [r["target"] for r in p.requests if r["target"] and
             r["target"].startswith(MUTATING)]
    is_(names, ["RestoreDBClusterToPointInTime", "CreateDBInstance"],
        "... the cluster is restored, then its instance created, in that order")
    c = m.aws("rds", "describe-db-clusters", "--db-cluster-identifier",
              "cl1-r")["DBClusters"][0]
    i = instance(m, "cl1-r-1")
    tap.ok(c is not None and i is not None and i.get("DBClusterIdentifier") == "cl1-r"
           and i.get("DBInstanceClass") == "db.r5.large",
           "... aws-cli sees the cluster and its instance (class of the source's)", i)
    doc = json.loads(res[1])
    o = doc["outcome"]
    tap.ok(o["usable"] and o["ok"] == 2 and [s["result"] for s in o["steps"]] ==
           ["ok", "ok"] and o["status"] == "available",
           "... --json outcome: both steps ok, available", o)

    # A cluster from its snapshot, then its first instance.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "--json", "restore",
              "rds-cluster://cl1", "--snapshot", "cl1-snap-1", "--target", "cl1-s")
    is_(res[0], 0, "cluster from a cluster snapshot: exit 0", show(res))
    names = [r["target"] for r in p.requests if r["target"] and
             r["target"].startswith(MUTATING)]
    is_(names, ["RestoreDBClusterFromSnapshot", "CreateDBInstance"],
        "... RestoreDBClusterFromSnapshot, then CreateDBInstance, in that order")
    reqs = p.requests_matching("RestoreDBClusterFromSnapshot")
    f = form(reqs[0]) if len(reqs) == 1 else {}
    tap.ok(f.get("SnapshotIdentifier") == "cl1-snap-1" and
           f.get("DBClusterIdentifier") == "cl1-s" and
           f.get("Engine") == "aurora-postgresql",
           "... with the snapshot, the target and the snapshot's engine", f)
    c = m.aws("rds", "describe-db-clusters", "--db-cluster-identifier",
              "cl1-s")["DBClusters"][0]
    i = instance(m, "cl1-s-1")
    tap.ok(c is not None and i is not None and i.get("DBClusterIdentifier") == "cl1-s"
           and i.get("DBInstanceClass") == "db.r5.large",
           "... aws-cli sees the cluster and its instance (class of the source's)", i)
    doc = json.loads(res[1]) if res[0] == 0 else {}
    tap.ok(doc.get("plan", {}).get("kind") == "rds-cluster-snapshot" and
           doc["outcome"]["usable"] and doc["outcome"]["ok"] == 2,
           "... --json: kind rds-cluster-snapshot, both steps ok, usable",
           doc.get("outcome"))


def test_refusals(m, p, env, d):
    c = m.aws("rds", "describe-db-clusters", "--db-cluster-identifier",
              "cl1")["DBClusters"][0]
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "rds-cluster://cl1", "--to", "-2d", "--target", "cl1-old")
    is_(res[0], 2, "a cluster time outside the window: refused (exit 2)", show(res))
    earliest = c["EarliestRestorableTime"][:19]
    tap.like(res[2], r"outside the point-in-time window of rds-cluster://cl1: "
             r"earliest %s[.\dZ]*, latest " % re.escape(earliest),
             "... naming the window's earliest and latest")
    is_(mutating(p), [], "... nothing mutating sent")

    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "rds://nobackup", "--to", "latest", "--target", "nb-r")
    tap.ok(res[0] == 2 and "not enabled" in res[2],
           "an instance without automated backups: refused", show(res))
    is_(mutating(p), [], "... nothing mutating sent")

    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore", "rds://db1",
              "--to", "latest", "--target", "db1-latest")
    tap.ok(res[0] == 1 and "rds://db1-latest already exists" in res[2] and
           "choose another --target" in res[2],
           "an existing target: refused, naming it", show(res))
    is_(mutating(p), [], "... nothing mutating sent")

    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore", "rds://db1",
              "--snapshot", "nope", "--target", "db1-nope")
    tap.ok(res[0] == 6 and "no DB snapshot nope" in res[2],
           "an unknown snapshot: not found (exit 6)", show(res))

    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "rds-cluster://cl1", "--snapshot", "nope", "--target", "cl1-nope")
    tap.ok(res[0] == 6 and "no DB cluster snapshot nope" in res[2],
           "an unknown cluster snapshot: not found (exit 6)", show(res))
    is_(mutating(p), [], "... nothing mutating sent")

    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "rds-cluster://cl1", "--snapshot", "cl1-snap-1", "--target", "cl1")
    tap.ok(res[0] == 1 and "is the source itself" in res[2] and
           "choose another --target" in res[2],
           "a cluster snapshot onto the source's own name: refused", show(res))
    is_(mutating(p), [], "... nothing mutating sent")

    res = run(env, "--audit-dir", d, "--json", "restore", "rds-cluster://cl1",
              "--snapshot", "cl1-snap-1", "--target", "cl1-ro")
    is_(res[0], 3, "cluster snapshot without --operate: exit 3", show(res))
    is_(mutating(p), [], "... nothing mutating sent")

    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore", "rds://db1",
              "--to", "latest", "--carry", "security-group")
    tap.ok(res[0] == 2 and "unknown setting 'security-group'" in res[2],
           "a bad --carry word: usage error", show(res))


def test_wait(m, p, env, d):
    def after_restore(name):
        def match(rec):
            if rec["target"] != "DescribeDBInstances":
                return False
            if form(rec).get("DBInstanceIdentifier") != name:
                return False
            return any(r["target"] and r["target"].startswith("Restore") and
                       r["id"] < rec["id"] for r in p.requests)
        return match

    creating = ("<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/"
                "2014-10-31/\"><DescribeDBInstancesResult><DBInstances><DBInstance>"
                "<DBInstanceIdentifier>db1-wait</DBInstanceIdentifier>"
                "<DBInstanceStatus>creating</DBInstanceStatus><Engine>postgres</Engine>"
                "</DBInstance></DBInstances></DescribeDBInstancesResult>"
                "<ResponseMetadata><RequestId>x</RequestId></ResponseMetadata>"
                "</DescribeDBInstancesResponse>")
    p.clear()
    p.clear_requests()
    p.status(200, creating, headers={"Content-Type": "text/xml"},
             match=after_restore("db1-wait"), count=2)
    p.delay(2, match=after_restore("db1-wait"), count=1)
    t0 = time.monotonic()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore", "rds://db1",
              "--to", "latest", "--target", "db1-wait")
    took = time.monotonic() - t0
    p.clear()
    is_(res[0], 0, "an instance that is 'creating' for a while: exit 0", show(res))
    tap.like(res[2], r"waiting: DB instance db1-wait: creating", "... the status is shown")
    polls = p.requests_matching(after_restore("db1-wait"))
    tap.ok([r["fault"] for r in polls] == ["status", "status", "delay"],
           "... polled through two 'creating' and a slow answer until available",
           [r["fault"] for r in polls])
    tap.ok(took > 4, "... with a growing interval: %.1f s" % took)
    tap.like(res[2], r"restored: rds://db1-wait is available", "... available at the end")


def test_audit(m, env, d):
    ls = logs(d)
    recs = [r for x in ls for r in records(x)]
    ops = sorted(set(r["data"]["operation"] for r in recs if r["type"] == "intent"))
    is_(ops, ["CreateDBInstance", "RestoreDBClusterFromSnapshot",
              "RestoreDBClusterToPointInTime", "RestoreDBInstanceFromDBSnapshot",
              "RestoreDBInstanceToPointInTime"],
        "audit: intents of every restore call")
    is_(len([r for r in recs if r["type"] == "intent"]),
        len([r for r in recs if r["type"] == "result"]),
        "audit: every intent has a result")
    tap.ok(any(r["type"] == "confirm" and r["data"]["accepted"] and
               r["data"]["how"] == "--yes" for r in recs),
           "audit: the confirmations are recorded")
    tap.ok(any(r["type"] == "note" and r["data"].get("text") == "restore outcome" and
               r["data"]["outcome"]["usable"] for r in recs),
           "audit: the outcomes are noted")
    bad = [show(res) for res in (run(env, "audit", "verify", x) for x in ls)
           if res[0] != 0]
    is_(bad, [], "salvage audit verify passes for all %d logs" % len(ls))


def main():
    if not os.path.exists(SALVAGE):
        tap.skip_all("salvage not built at %s" % SALVAGE)
    with Moto() as m, FaultProxy(m.url) as p:
        seed(m)
        env = m.env({"AWS_ENDPOINT_URL": p.url})
        d = os.path.join(m.tmpdir, "audit")
        test_readonly(m, p, env, d)
        test_restores(m, p, env, d)
        test_refusals(m, p, env, d)
        test_wait(m, p, env, d)
        test_audit(m, env, d)
    tap.done_testing()


if __name__ == "__main__":
    main()
