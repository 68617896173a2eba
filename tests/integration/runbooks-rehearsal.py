#!/usr/bin/env python3
"""runbooks-rehearsal.py - runbooks end to end against moto, unattended:

  * every built-in runbook validates (`salvage runbooks --check`), the
    listing shows built-in and the operator's own runbooks; malformed
    runbooks are rejected with file, line:column or field path, and reason;
  * `quarterly-dr-rehearsal --unattended` without --operate stops at the
    first change with exit 3 and creates nothing;
  * with --operate it completes: the table, the document version and the
    DB instance are restored into test copies, verified, measured, and
    cleaned up (tables and instances gone, the test key under a delete
    marker) while the originals are untouched; `salvage report` gives
    every step with its timings, the recovery times and the audit chain,
    which `salvage audit verify` accepts; `salvage sessions` lists it.

moto gaps (see AWS-NOTES): restores are instant and ignore the PITR
time; DeleteTable answers ACTIVE; a deleted DB instance disappears at
once. The checks accept the real services' intermediate states too.
"""

import json
import os
import subprocess
import sys

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
BUILTINS = ["dynamodb-accidental-deletion", "dynamodb-old-corruption",
            "dynamodb-table-loss", "s3-document-recovery",
            "s3-prefix-point-in-time", "rds-point-in-time",
            "rds-snapshot-restore", "aurora-snapshot-restore",
            "quarterly-dr-rehearsal"]
VARS = ["--var", "table=orders", "--var", "bucket=docs", "--var",
        "key=contracts/2026/acme.pdf", "--var", "instance=db1"]


def run(env, *args, timeout=240, stdin=subprocess.DEVNULL):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env, stdin=stdin,
                       capture_output=True, timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def seed(m):
    m.aws("dynamodb", "create-table", "--table-name", "orders",
          "--key-schema", "AttributeName=k,KeyType=HASH",
          "--attribute-definitions", "AttributeName=k,AttributeType=S",
          "--billing-mode", "PAY_PER_REQUEST")
    for i in range(5):
        m.aws("dynamodb", "put-item", "--table-name", "orders", "--item",
              json.dumps({"k": {"S": "order-%d" % i}, "total": {"N": str(10 * i)}}))
    m.aws("dynamodb", "update-continuous-backups", "--table-name", "orders",
          "--point-in-time-recovery-specification",
          "PointInTimeRecoveryEnabled=true")
    s3 = m.client("s3")
    s3.create_bucket(Bucket="docs")
    s3.put_bucket_versioning(Bucket="docs",
                             VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="docs", Key="contracts/2026/acme.pdf", Body=b"draft 1\n")
    s3.put_object(Bucket="docs", Key="contracts/2026/acme.pdf",
                  Body=b"signed version\n" * 50)
    m.aws("rds", "create-db-instance", "--db-instance-identifier", "db1",
          "--db-instance-class", "db.t3.micro", "--engine", "postgres",
          "--master-username", "admin1", "--master-user-password",
          "not-a-real-pw-1", "--allocated-storage", "20")
    m.aws("rds", "create-db-snapshot", "--db-instance-identifier", "db1",
          "--db-snapshot-identifier", "db1-nightly")


def versions(m, key):
    out = m.client("s3").list_object_versions(Bucket="docs", Prefix=key)
    v = [(x["VersionId"], x["IsLatest"], "version") for x in out.get("Versions", [])
         if x["Key"] == key]
    d = [(x["VersionId"], x["IsLatest"], "marker")
         for x in out.get("DeleteMarkers", []) if x["Key"] == key]
    return sorted(v + d)


def table_gone(m, name):
    try:
        t = m.client("dynamodb").describe_table(TableName=name)
        return t["Table"]["TableStatus"] == "DELETING"
    except Exception as e:  # ResourceNotFoundException
        return "ResourceNotFound" in str(e)


def instance_gone(m, name):
    try:
        out = m.client("rds").describe_db_instances(DBInstanceIdentifier=name)
        return out["DBInstances"][0]["DBInstanceStatus"] == "deleting"
    except Exception as e:  # DBInstanceNotFound
        return "NotFound" in str(e)


def test_validation(env):
    for rb in BUILTINS:
        path = os.path.join(SRCDIR, "runbooks", rb + ".json")
        res = run(env, "runbooks", "--check", path)
        tap.ok(res[0] == 0 and ("runbook %s" % rb) in res[1],
               "runbooks --check %s: valid" % rb, show(res))

    user = os.path.join(env["XDG_CONFIG_HOME"], "salvage", "runbooks")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(SRCDIR, "tests", "fixtures", "runbooks",
                           "manual.json")) as f:
        text = f.read()
    with open(os.path.join(user, "my-manual.json"), "w") as f:
        f.write(text)
    res = run(env, "--json", "runbooks")
    tap.is_(res[0], 0, "runbooks --json: exit 0")
    listed = json.loads(res[1])
    ids = {x["id"]: x for x in listed}
    tap.ok(all(b in ids and ids[b]["source"] == "built-in" for b in BUILTINS),
           "... every built-in is listed as built-in", sorted(ids))
    tap.ok("manual" in ids and ids["manual"]["source"] == "user" and
           ids["manual"]["path"].startswith(user),
           "... the operator's own runbook is listed with its path")
    tap.ok(all(ids[b]["title"] and ids[b]["scenario"] for b in BUILTINS),
           "... with title and scenario")
    res = run(env, "runbooks")
    tap.like(res[1], r"(?m)^ID\s+TITLE\s+SCENARIO\s+SOURCE\s+PATH",
             "runbooks: a table with id, title, scenario, source, path")

    fx = os.path.join(SRCDIR, "tests", "fixtures", "runbooks")
    cases = [
        ("bad-json.json", r"bad-json\.json:5:3: invalid JSON: a ',' is missing"),
        ("unknown-type.json", r"unknown-type\.json: steps\[3\]\.type: unknown "
         r"step type 'restor'"),
        ("undefined-var.json", r"undefined-var\.json: steps\[1\]\.target: "
         r"unknown variable \$\{tabel\}"),
        ("missing-field.json", r"missing-field\.json: steps\[1\]\.target: "
         r"missing \(required for a verify step\)"),
    ]
    for name, want in cases:
        res = run(env, "runbooks", "--check", os.path.join(fx, name))
        tap.is_(res[0], 1, "runbooks --check %s: exit 1" % name)
        tap.like(res[2], want, "... names the place and the reason")
    res = run(env, "run", os.path.join(fx, "unknown-type.json"), "--unattended")
    tap.ok(res[0] != 0 and "steps[3].type" in res[2] and "session:" not in res[1],
           "run of a malformed runbook: refused before any session", show(res))


def test_readonly(m, env):
    res = run(env, "run", "quarterly-dr-rehearsal", "--unattended", *VARS)
    tap.is_(res[0], 3, "rehearsal without --operate: exit 3 (read-only)")
    tap.like(res[1].splitlines()[0] if res[1] else "", r"^session: \d{8}T\d{6}Z-[0-9a-f]{8}$",
             "... the first line is the session id")
    tap.like(res[1], r"--operate", "... the step says how to allow changes")
    tables = m.client("dynamodb").list_tables()["TableNames"]
    tap.is_(tables, ["orders"], "... no table was created")


def test_rehearsal(m, env):
    before = versions(m, "contracts/2026/acme.pdf")
    res = run(env, "--operate", "run", "quarterly-dr-rehearsal", "--unattended",
              *VARS)
    tap.is_(res[0], 0, "rehearsal --unattended --operate: exit 0")
    if res[0] != 0:
        tap.diag(show(res))
    first = res[1].splitlines()[0] if res[1] else ""
    tap.like(first, r"^session: \d{8}T\d{6}Z-[0-9a-f]{8}$",
             "... the first line of output is the session id")
    sid = first.split()[1] if first.startswith("session: ") else "none"
    suffix = sid.split("-")[-1]
    tap.like(res[1], r"finished: 15 step\(s\) done, 0 skipped",
             "... every step done")

    # The copies were made and are gone again; the originals are untouched.
    test_table = "orders-drtest-" + suffix
    test_inst = "db1-drtest-" + suffix
    test_key = "contracts/2026/acme.pdf.drtest-" + suffix
    tap.ok(table_gone(m, test_table), "the test table is gone: " + test_table)
    tap.ok(instance_gone(m, test_inst), "the test DB instance is gone: " + test_inst)
    tv = versions(m, test_key)
    tap.ok(len(tv) == 2 and [x for x in tv if x[1]][0][2] == "marker",
           "the test key has its copy and a delete marker on top", tv)
    items = m.client("dynamodb").scan(TableName="orders", Select="COUNT")["Count"]
    tap.is_(items, 5, "orders still has its 5 items")
    tap.is_(m.client("dynamodb").list_tables()["TableNames"], ["orders"],
            "orders is the only table")
    tap.is_(versions(m, "contracts/2026/acme.pdf"), before,
            "the document's versions are exactly as before")
    dbs = m.client("rds").describe_db_instances()["DBInstances"]
    tap.is_([(d["DBInstanceIdentifier"], d["DBInstanceStatus"]) for d in dbs
             if not d["DBInstanceIdentifier"].endswith(suffix)],
            [("db1", "available")], "db1 is untouched")
    snaps = m.client("rds").describe_db_snapshots(
        DBInstanceIdentifier="db1")["DBSnapshots"]
    tap.ok(any(s["DBSnapshotIdentifier"] == "db1-nightly" for s in snaps),
           "its snapshot is still there")

    # The report.
    res = run(env, "report", sid, "--format", "json")
    tap.is_(res[0], 0, "report --format json: exit 0")
    rep = json.loads(res[1]) if res[0] == 0 else {}
    tap.is_(rep.get("session"), sid, "... names the session")
    tap.is_(rep.get("runbook", {}).get("id"), "quarterly-dr-rehearsal",
            "... and the runbook")
    steps = rep.get("steps", [])
    tap.is_(len(steps), 15, "... every step")
    tap.ok(all(s["started"] and s["finished"] and s["outcome"] and
               s["duration_ms"] is not None and s["status"] == "done"
               for s in steps), "... each with started, finished, duration, outcome")
    tap.ok(all(s["how"] == "unattended" for s in steps
               if s["type"] in ("info", "check", "restore", "cleanup")),
           "... confirmations recorded as unattended")
    rec = rep.get("recovery", {})
    tap.is_(len(rec.get("restores", [])), 3, "... three recovery times measured")
    tap.ok(all(isinstance(r["ms"], (int, float)) and r["rto_met"] is True
               for r in rec.get("restores", [])), "... each against the RTO target")
    tap.ok(isinstance(rec.get("measured_ms"), (int, float)) and
           rec.get("rto_met") is True, "... and the session's recovery time")
    tap.is_(len(rep.get("verification", [])), 3, "... three verifications")
    tap.ok(all(v["equal"] is True for v in rep.get("verification", [])),
           "... all equal")
    tap.is_(len(rep.get("points", [])), 3, "... three restore points with data loss")
    tap.ok(all(p["data_loss_ms"] is not None for p in rep.get("points", [])),
           "... each with its data loss")
    tap.ok(len(rep.get("drift", [])) == 1, "... the drift of the table")
    created = rep.get("created", [])
    tap.ok(len(created) == 3 and all(c["cleaned"] for c in created),
           "... three resources created, all cleaned up", created)
    audit = rep.get("audit", {})
    tap.ok(audit.get("verified") is True and audit.get("records", 0) > 40 and
           len(audit.get("head") or "") == 64, "... the audit chain, verified")
    res = run(env, "report", sid)
    tap.like(res[1], r"(?m)^## Steps", "report (markdown): steps")
    tap.like(res[1], r"\| 4 \| restore-table \| restore \|", "... a row per step")
    tap.like(res[1], r"## Recovery time \(RTO\)", "... the recovery time")

    res = run(env, "audit", "verify", audit.get("path", "none"))
    tap.is_(res[0], 0, "salvage audit verify of the session's log: intact")
    with open(audit.get("path", os.devnull)) as f:
        recs = [json.loads(x) for x in f]
    types = [r["type"] for r in recs]
    tap.ok(types.count("step-start") == 15 and types.count("step-end") == 15,
           "... a start and an end record per step")
    tap.ok(types.count("intent") == types.count("result") >= 6,
           "... every change with an intent and a result")
    unat = [r for r in recs if r["type"] == "confirm"]
    tap.ok(unat and all(r["data"]["how"] == "unattended" for r in unat),
           "... every confirmation recorded as unattended")

    res = run(env, "--json", "sessions")
    ses = json.loads(res[1]) if res[0] == 0 else []
    tap.ok(any(s["session"] == sid and s["state"] == "finished" for s in ses),
           "sessions lists it as finished")
    res = run(env, "resume", sid, "--plain")
    tap.ok(res[0] != 0 and "finished" in res[2], "a finished session is not "
           "resumed", show(res))


def main():
    with Moto() as m:
        env = m.env({"SALVAGE_RUNBOOK_DIR": os.path.join(SRCDIR, "runbooks")})
        seed(m)
        test_validation(env)
        test_readonly(m, env)
        test_rehearsal(m, env)
    tap.done_testing()


if __name__ == "__main__":
    main()
