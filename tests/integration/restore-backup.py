#!/usr/bin/env python3
"""restore-backup.py - `salvage restore backup://VAULT --recovery-point ARN`
end to end: an AWS Backup recovery point of a DynamoDB table and of an RDS
DB instance, restored by AWS Backup (StartRestoreJob) to a new resource.

moto has AWS Backup vaults but no recovery points and no restore jobs
(AWS-NOTES, HACKING), so the test plays AWS Backup in the fault proxy
(tests/harness/fakebackup.py): DescribeRecoveryPoint,
GetRecoveryPointRestoreMetadata, ListRecoveryPointsByResource,
StartRestoreJob and DescribeRestoreJob are answered as botocore's model
shapes them, and a restore job does what AWS Backup would: it creates the
new table (schema and items of the protected table) or DB instance in
moto, then reports RUNNING once and COMPLETED with the created resource's
ARN.  Everything else (DynamoDB, RDS, the audit log's S3) is moto.  The
product never special-cases any of it.

  * read-only: the plan (the point, its time, the data loss, the target
    chosen from the protected resource's name, StartRestoreJob with its
    Metadata, role and idempotency token) and exit 3: NO StartRestoreJob;
  * --json: kind backup-recovery-point, origin = the protected resource;
  * a restore: exactly one StartRestoreJob carrying what the plan said
    (the recorded metadata with only targetTableName changed, the point's
    role, the token = SHA-256 of point and target, computed here), the
    job waited for until COMPLETED, the new table equal to the original
    (salvage verify), the audit log verifies;
  * a dropped answer to StartRestoreJob: sent again with the same token,
    and only one job exists;
  * RDS: DBInstanceIdentifier replaced, --iam-role honoured;
  * named from the resource: dynamodb:// --backup <recovery point ARN>
    (as DynamoDB lists AWS Backup's advanced backups) and --no-wait, its
    vault found with ListRecoveryPointsByResource, never
    RestoreTableFromBackup; rds:// --recovery-point, also by the DB
    snapshot ARN AWS Backup gives RDS points; a point the table does not
    have (exit 6);
  * the built-in dynamodb-table-loss runbook, unattended, with a recovery
    point as its backup;
  * refusals before anything changes: a target that exists, a point that
    is not COMPLETED, a resource type salvage does not restore (an EC2
    snapshot ARN with a '/', encoded once), an Aurora point (the
    rds-cluster --snapshot command instead), a point of another region
    (the --region to add), an unknown recovery point (exit 6), a job that
    FAILED (its message), usage errors.
"""

import hashlib
import json
import os
import subprocess
import sys
import urllib.parse

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import Fault, FaultProxy  # noqa: E402
from fakebackup import (ACCOUNT, REGION, ROLE, RP,  # noqa: E402
                        FakeBackup)
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
VAULT = "prod-vault"

is_ = tap.is_


def run(env, *args, timeout=120):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def token(arn, target):
    return "salvage-" + hashlib.sha256(
        ("%s\n%s" % (arn, target)).encode()).hexdigest()[:32]


def starts(p):
    return [json.loads(r["body"]) for r in p.requests
            if r["method"] == "PUT" and r["path"].startswith("/restore-jobs")]


def seed(m):
    ddb = m.client("dynamodb")
    ddb.create_table(TableName="orders", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k",
                                            "AttributeType": "S"}])
    for i in range(7):
        ddb.put_item(TableName="orders", Item={"k": {"S": "item-%d" % i},
                                               "n": {"N": str(i)}})
    ddb.create_table(TableName="taken", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k",
                                            "AttributeType": "S"}])
    m.client("s3").create_bucket(Bucket="audit-ship")


def test_plan(p, env, d, arn):
    p.clear_requests()
    res = run(env, "--audit-dir", d, "restore", "backup://" + VAULT,
              "--recovery-point", arn)
    is_(res[0], 3, "without --operate: exit 3", show(res))
    out = res[1]
    tap.like(out, r"restore plan \(backup-recovery-point\)", "... the plan, its kind")
    tap.like(out, r"point\s+recovery-point " + arn, "... the recovery point")
    tap.like(out, r"taken\s+2025-11-21T04:40:00\.250Z",
             "... the time it was taken (CreationDate, ms kept)")
    tap.like(out, r"target\s+dynamodb://orders-restored-\d{12} \(name chosen by "
             r"salvage\)", "... a new table named after the protected one")
    tap.like(out, r"StartRestoreJob: AWS Backup creates table orders-restored-"
             r"\d{12} from recovery point \S+ of dynamodb://orders", "... the call")
    tap.like(out, r"Metadata.targetTableName=orders-restored-\d{12}",
             "... with the new name in its Metadata")
    tap.like(out, r"Metadata.encryptionType=Default",
             "... and the recorded metadata kept")
    tap.like(out, r"IamRoleArn=" + ROLE, "... the role that made the point")
    tap.like(out, r"IdempotencyToken=salvage-[0-9a-f]{32}", "... an idempotency token")
    tap.like(out, r"data loss\s+\d+d \d+h: writes after", "... the data loss")
    tap.like(res[2], r"--operate", "... the refusal says how to enable changes")
    is_(starts(p), [], "... and NO StartRestoreJob reached the proxy")

    res = run(env, "--audit-dir", d, "--json", "restore", "backup://" + VAULT,
              "--recovery-point", arn, "--target", "ro-json")
    doc = json.loads(res[1]) if res[1].startswith("{") else {}
    plan = doc.get("plan") or {}
    is_([res[0], plan.get("kind"), plan.get("source"), plan.get("origin"),
         plan.get("target")],
        [3, "backup-recovery-point", "backup://" + VAULT, "dynamodb://orders",
         "dynamodb://ro-json"],
        "--json: kind, source (the vault), origin (the table), target", show(res))
    is_([plan.get("point", {}).get("kind"), plan.get("point", {}).get("id")],
        ["recovery-point", arn], "... the point")
    st = (plan.get("steps") or [{}])[0]
    is_([st.get("op"), st.get("params", {}).get("IdempotencyToken")],
        ["StartRestoreJob", token(arn, "ro-json")],
        "... the token is SHA-256 of the point and the target")


def test_restore(m, p, env, d, arn):
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "backup://" + VAULT, "--recovery-point", arn, "--target", "orders-bk")
    is_(res[0], 0, "restore: exit 0", show(res))
    s = starts(p)
    is_(len(s), 1, "... one StartRestoreJob")
    is_(s[0] if s else None,
        {"RecoveryPointArn": arn, "ResourceType": "DynamoDB", "IamRoleArn": ROLE,
         "IdempotencyToken": token(arn, "orders-bk"),
         "Metadata": {"originalTableName": "orders", "encryptionType": "Default",
                      "targetTableName": "orders-bk"}},
        "... carrying the plan: point, type, role, token, metadata with the new name")
    polls = [r for r in p.requests if r["method"] == "GET" and
             r["path"].startswith("/restore-jobs/")]
    tap.ok(len(polls) >= 2, "... the job was polled until COMPLETED", len(polls))
    tap.like(res[2], r"restored: dynamodb://orders-bk is COMPLETED",
             "... and said so")
    tap.like(res[2], r"salvage verify dynamodb://orders dynamodb://orders-bk",
             "... next: verify against the protected table")
    is_(res[1].strip().splitlines()[-1:], ["dynamodb://orders-bk"],
        "... stdout ends with the new resource")
    v = run(env, "verify", "dynamodb://orders", "dynamodb://orders-bk")
    is_(v[0], 0, "salvage verify: the restored table equals the original", show(v))
    files = sorted(os.path.join(d, f) for f in os.listdir(d)
                   if f.endswith(".jsonl"))
    bad = [f for f in files if run(env, "audit", "verify", f)[0] != 0]
    tap.ok(files and not bad, "salvage audit verify passes for every log", bad)
    logs = "".join(open(f).read() for f in files)
    tap.ok("StartRestoreJob" in logs, "... and the log holds the StartRestoreJob")

    # The same restore again: the target exists now.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "backup://" + VAULT, "--recovery-point", arn, "--target", "orders-bk")
    tap.ok(res[0] != 0 and "dynamodb://orders-bk already exists" in res[2],
           "an existing target: refused, named", show(res))
    is_(starts(p), [], "... before any StartRestoreJob")


def test_dropped(fake, p, env, d, arn):
    p.clear_requests()
    n = len(fake.jobs)
    # The drop first: a request takes the first queued fault that matches.
    p.clear()
    p.add(Fault("drop", lambda r: r["method"] == "PUT", 1))
    p.add(Fault("status", fake.matches, None, respond=fake.respond))
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "backup://" + VAULT, "--recovery-point", arn, "--target", "orders-2")
    is_(res[0], 0, "StartRestoreJob's connection dropped once: exit 0", show(res))
    s = starts(p)
    tap.ok(len(s) == 2 and s[0] == s[1], "... sent again, identical (same token)",
           s)
    is_(len(fake.jobs) - n, 1, "... one job started")


def test_rds(m, fake, p, env, d):
    arn = fake.add("rds-1", "RDS", "arn:aws:rds:%s:%s:db:billing" % (REGION, ACCOUNT),
                   metadata={"DBInstanceIdentifier": "billing",
                             "DBInstanceClass": "db.t3.micro",
                             "Engine": "postgres", "MultiAZ": "false"})
    other = "arn:aws:iam::%s:role/restore-operator" % ACCOUNT
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "backup://" + VAULT, "--recovery-point", arn, "--target", "billing-bk",
              "--iam-role", other)
    is_(res[0], 0, "RDS: exit 0", show(res))
    s = starts(p)
    tap.ok(len(s) == 1 and s[0]["Metadata"]["DBInstanceIdentifier"] == "billing-bk"
           and s[0]["Metadata"]["DBInstanceClass"] == "db.t3.micro" and
           s[0]["IamRoleArn"] == other and s[0]["ResourceType"] == "RDS",
           "... DBInstanceIdentifier replaced, the rest kept, --iam-role sent", s)
    ids = [i["DBInstanceIdentifier"] for i in
           m.client("rds").describe_db_instances()["DBInstances"]]
    tap.ok("billing-bk" in ids, "... the instance exists (aws-side)", ids)
    tap.like(res[2], r"salvage verify rds://billing rds://billing-bk",
             "... next: verify against the protected instance")


def test_refusals(fake, p, env, d):
    partial = fake.add("ddb-partial", "DynamoDB",
                       "arn:aws:dynamodb:%s:%s:table/orders" % (REGION, ACCOUNT),
                       status="PARTIAL", StatusMessage="stopped early")
    # EBS recovery points are EC2 snapshot ARNs, with a '/': encoded once
    # in the path, as every label of a rest-json path.
    ebs = fake.add("arn:aws:ec2:%s::snapshot/snap-0abc" % REGION, "EBS",
                   "arn:aws:ec2:%s:%s:volume/vol-1" % (REGION, ACCOUNT))
    norole = fake.add("ddb-norole", "DynamoDB",
                      "arn:aws:dynamodb:%s:%s:table/orders" % (REGION, ACCOUNT),
                      role=None)
    p.clear_requests()
    res = run(env, "--audit-dir", d, "restore", "backup://" + VAULT,
              "--recovery-point", partial)
    tap.ok(res[0] == 2 and "is PARTIAL (stopped early)" in res[2] and
           "only a COMPLETED" in res[2], "a PARTIAL point: refused (exit 2), "
           "its status and message named", show(res))
    res = run(env, "--audit-dir", d, "restore", "backup://" + VAULT,
              "--recovery-point", ebs)
    tap.ok(res[0] == 2 and "EBS" in res[2] and "aws backup start-restore-job"
           in res[2], "an EBS point: refused, saying what to use", show(res))
    tap.ok(any(r["path"].endswith("recovery-points/arn%3Aaws%3Aec2%3Aus-east-1%3A"
                                  "%3Asnapshot%2Fsnap-0abc") for r in p.requests),
           "... its ARN, '/' included, encoded once in the path",
           [r["path"] for r in p.requests])
    res = run(env, "--audit-dir", d, "restore", "backup://" + VAULT,
              "--recovery-point", norole)
    tap.ok(res[0] == 2 and "--iam-role" in res[2],
           "a point that names no role: asks for --iam-role (exit 2)", show(res))
    res = run(env, "--audit-dir", d, "restore", "backup://" + VAULT,
              "--recovery-point", RP.replace(REGION, "eu-west-1") + "x")
    tap.ok(res[0] == 2 and "is in eu-west-1, not in us-east-1: add --region "
           "eu-west-1" in res[2], "a point of another region: says which "
           "--region (exit 2)", show(res))
    res = run(env, "--audit-dir", d, "restore", "backup://" + VAULT,
              "--recovery-point", RP + "nope")
    tap.ok(res[0] == 6 and "salvage points backup://" + VAULT in res[2],
           "an unknown recovery point: exit 6, how to list them", show(res))
    res = run(env, "--audit-dir", d, "restore", "backup://" + VAULT,
              "--recovery-point", RP + "ddb-1", "--target", "taken")
    tap.ok(res[0] == 1 and "dynamodb://taken already exists" in res[2],
           "a target that exists: refused", show(res))
    is_(starts(p), [], "... none of them sent StartRestoreJob")

    for args, want in (
            (["rds-cluster://orders", "--recovery-point", RP + "ddb-1"],
             "of a table or DB instance"),
            (["backup://" + VAULT, "--to", "latest"], "--recovery-point ARN"),
            (["dynamodb://orders", "--to", "latest", "--iam-role", ROLE],
             "--iam-role applies"),
            (["backup://" + VAULT, "--recovery-point", RP + "ddb-1",
              "--overwrite"], "cannot restore onto an existing")):
        res = run(env, "restore", *args)
        tap.ok(res[0] == 2 and want in res[2], "usage: %s" % " ".join(args),
               show(res))

    fake.fail_next = "Access denied to role restore-operator"
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "backup://" + VAULT, "--recovery-point", RP + "ddb-1", "--target",
              "orders-fails")
    tap.ok(res[0] != 0 and "FAILED: Access denied to role restore-operator"
           in res[2], "a job that FAILED: non-zero, with AWS Backup's reason",
           show(res))


def test_by_resource(m, fake, p, env, d):
    """A recovery point named by the resource it protects: its vault is
    looked up (ListRecoveryPointsByResource) before anything else."""
    tarn = "arn:aws:dynamodb:%s:%s:table/orders" % (REGION, ACCOUNT)
    # DynamoDB lists AWS Backup's advanced backups with recovery point ARNs:
    # such a --backup is restored by AWS Backup, not RestoreTableFromBackup.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "restore",
              "dynamodb://orders", "--backup", RP + "ddb-1", "--target", "o-3",
              "--no-wait")
    is_(res[0], 0, "dynamodb://orders --backup <recovery point ARN>: exit 0",
        show(res))
    look = [r["path"] for r in p.requests if r["path"].startswith("/resources/")]
    is_(look, ["/resources/%s/recovery-points/" % urllib.parse.quote(tarn, safe="")],
        "... its vault found from the table's ARN (encoded once)")
    s = starts(p)
    tap.ok(len(s) == 1 and s[0]["Metadata"]["targetTableName"] == "o-3" and
           s[0]["RecoveryPointArn"] == RP + "ddb-1",
           "... restored by StartRestoreJob", s)
    tap.ok(not [r for r in p.requests if r["target"] and "RestoreTable" in
                r["target"]], "... never RestoreTableFromBackup")
    tap.like(res[2], r"not waiting: restore job job-\d+ is PENDING; check it "
             r"with aws backup describe-restore-job --restore-job-id job-\d+",
             "... --no-wait: says which job to check, and how")
    v = run(env, "verify", "dynamodb://orders", "dynamodb://o-3")
    is_(v[0], 0, "... the new table equals the original", show(v))

    res = run(env, "--audit-dir", d, "restore", "dynamodb://orders",
              "--recovery-point", RP + "gone")
    tap.ok(res[0] == 6 and "not a recovery point of dynamodb://orders in any "
           "AWS Backup vault" in res[2], "a point the table does not have: "
           "exit 6, said so", show(res))
    res = run(env, "--audit-dir", d, "--json", "restore", "rds://billing",
              "--recovery-point", RP + "rds-1", "--target", "billing-3")
    doc = json.loads(res[1]) if res[1].startswith("{") else {}
    st = ((doc.get("plan") or {}).get("steps") or [{}])[0]
    tap.ok(res[0] == 3 and
           st.get("params", {}).get("Metadata.DBInstanceIdentifier") == "billing-3"
           and st["params"].get("Metadata.DBInstanceClass") == "db.t3.micro",
           "rds://billing --recovery-point: the plan (read-only, exit 3)",
           show(res))
    is_(len(starts(p)), 1, "... and nothing more was started")

    # AWS Backup's RDS recovery points are DB snapshots: their ARNs are RDS
    # snapshot ARNs, not arn:aws:backup:... ones.
    snap = fake.add("arn:aws:rds:%s:%s:snapshot:awsbackup:job-77" % (REGION, ACCOUNT),
                    "RDS", "arn:aws:rds:%s:%s:db:billing" % (REGION, ACCOUNT),
                    metadata={"DBInstanceIdentifier": "billing",
                              "DBInstanceClass": "db.t3.micro", "Engine": "postgres"})
    res = run(env, "--audit-dir", d, "--json", "restore", "rds://billing",
              "--recovery-point", snap, "--target", "billing-4")
    doc = json.loads(res[1]) if res[1].startswith("{") else {}
    st = ((doc.get("plan") or {}).get("steps") or [{}])[0]
    tap.ok(res[0] == 3 and st.get("params", {}).get("RecoveryPointArn") == snap
           and st["params"].get("Metadata.DBInstanceIdentifier") == "billing-4",
           "an RDS snapshot ARN as the recovery point: planned (read-only)",
           show(res))

    # Aurora: a DB cluster snapshot, which the cluster kind restores.
    aur = fake.add("arn:aws:rds:%s:%s:cluster-snapshot:awsbackup:job-88"
                   % (REGION, ACCOUNT), "Aurora",
                   "arn:aws:rds:%s:%s:cluster:aurora-prod" % (REGION, ACCOUNT))
    res = run(env, "restore", "backup://" + VAULT, "--recovery-point", aur)
    tap.ok(res[0] == 2 and "salvage restore rds-cluster://aurora-prod --snapshot "
           "awsbackup:job-88" in res[2], "an Aurora recovery point: the cluster "
           "snapshot restore to use instead (exit 2)", show(res))


def test_runbook(m, p, env, d):
    """The built-in dynamodb-table-loss runbook, given an AWS Backup
    recovery point as its backup: the restore step goes through AWS Backup
    and the wait step (no job at hand) waits for the table itself."""
    env = dict(env, SALVAGE_RUNBOOK_DIR=os.path.join(SRCDIR, "runbooks"))
    # DynamoDB's ListBackups (BackupType AWS_BACKUP) shows the advanced
    # backups AWS Backup made, with their recovery point ARNs (moto has
    # none): the runbook's choose-point step finds the one named there.
    tarn = "arn:aws:dynamodb:%s:%s:table/orders" % (REGION, ACCOUNT)
    listed = {"BackupSummaries": [{
        "TableName": "orders", "TableArn": tarn, "TableId": "t-1",
        "BackupArn": RP + "ddb-1", "BackupName": "awsbackup-ddb-1",
        "BackupCreationDateTime": 1763700000.25, "BackupStatus": "AVAILABLE",
        "BackupType": "AWS_BACKUP", "BackupSizeBytes": 4096}]}

    def aws_backup_listing(rec):
        return (rec["target"] == "DynamoDB_20120810.ListBackups" and
                json.loads(rec["body"]).get("BackupType") == "AWS_BACKUP")
    p.status(200, body=json.dumps(listed),
             headers={"Content-Type": "application/x-amz-json-1.0"},
             match=aws_backup_listing, count=None)
    p.clear_requests()
    r = subprocess.run([SALVAGE, "--audit-dir", d, "--operate", "run",
                        "dynamodb-table-loss", "--unattended", "--var",
                        "table=orders", "--var", "backup=" + RP + "ddb-1",
                        "--var", "target=orders-tl"], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    out = r.stdout.decode() + r.stderr.decode()
    is_(r.returncode, 0, "runbook dynamodb-table-loss with a recovery point: "
        "completes unattended", out[-3000:])
    s = starts(p)
    tap.ok(len(s) == 1 and s[0]["Metadata"]["targetTableName"] == "orders-tl",
           "... one StartRestoreJob, to the runbook's target", s)
    tables = m.client("dynamodb").list_tables()["TableNames"]
    tap.ok("orders-tl" in tables, "... the table exists", tables)


def main():
    with Moto() as m, FaultProxy(m.url) as p:
        seed(m)
        m.aws("backup", "create-backup-vault", "--backup-vault-name", VAULT)
        fake = FakeBackup(m)
        p.add(Fault("status", fake.matches, None, respond=fake.respond))
        arn = fake.add("ddb-1", "DynamoDB",
                       "arn:aws:dynamodb:%s:%s:table/orders" % (REGION, ACCOUNT),
                       ResourceName="orders",
                       metadata={"originalTableName": "orders",
                                 "encryptionType": "Default"})
        env = m.env({"AWS_ENDPOINT_URL": p.url})
        d = os.path.join(m.tmpdir, "audit")
        test_plan(p, env, d, arn)
        test_restore(m, p, env, d, arn)
        test_dropped(fake, p, env, d, arn)
        test_rds(m, fake, p, env, d)
        test_by_resource(m, fake, p, env, d)
        test_runbook(m, p, env, d)
        test_refusals(fake, p, env, d)
    tap.done_testing()


if __name__ == "__main__":
    main()
