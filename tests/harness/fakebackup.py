"""fakebackup.py - AWS Backup's restore calls, played in the fault proxy.

moto has AWS Backup vaults but no recovery points and no restore jobs
(HACKING: moto's gaps), so tests that restore a recovery point answer
AWS Backup's calls here, shaped as botocore's model says:

    fake = FakeBackup(m, vault="prod-vault")
    p.add(Fault("status", fake.matches, None, respond=fake.respond))
    arn = fake.add("ddb-1", "DynamoDB", table_arn, metadata={...})

DescribeRecoveryPoint, GetRecoveryPointRestoreMetadata,
ListRecoveryPointsByResource, StartRestoreJob (the same IdempotencyToken
gives the same job, as AWS does) and DescribeRestoreJob (RUNNING once,
then COMPLETED).  A job does what AWS Backup would: it creates the new
table (the protected table's schema and items) or DB instance in moto.
Everything else is moto's.  fail_next makes the next job FAIL with that
message.
"""

import json
import urllib.parse

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = "arn:aws:iam::%s:role/service-role/AWSBackupDefaultServiceRole" % ACCOUNT
RP = "arn:aws:backup:%s:%s:recovery-point:" % (REGION, ACCOUNT)
JSON_CT = {"Content-Type": "application/json"}

class FakeBackup:
    """AWS Backup's restore calls, played in the fault proxy."""

    def __init__(self, m, vault="prod-vault"):
        self.m = m
        self.vault = vault
        self.points = {}        # ARN -> DescribeRecoveryPoint answer
        self.metadata = {}      # ARN -> RestoreMetadata
        self.jobs = {}          # id -> job
        self.tokens = {}        # IdempotencyToken -> job id
        self.fail_next = None   # a StatusMessage: the next job FAILS

    def add(self, tail, rtype, resource_arn, status="COMPLETED", role=ROLE,
            metadata=None, **more):
        arn = tail if tail.startswith("arn:") else RP + tail
        p = {"RecoveryPointArn": arn, "BackupVaultName": self.vault,
             "BackupVaultArn": "arn:aws:backup:%s:%s:backup-vault:%s"
             % (REGION, ACCOUNT, self.vault),
             "ResourceArn": resource_arn, "ResourceType": rtype,
             "Status": status, "CreationDate": 1763700000.25,
             "CompletionDate": 1763700100.5, "BackupSizeInBytes": 4096,
             "IsEncrypted": True}
        if role is not None:
            p["IamRoleArn"] = role
        p.update(more)
        self.points[arn] = p
        self.metadata[arn] = metadata or {}
        return arn

    def matches(self, rec):
        return (rec["path"].startswith("/backup-vaults/%s/recovery-points/"
                                       % self.vault) or
                rec["path"].startswith("/restore-jobs") or
                rec["path"].startswith("/resources/"))

    def error(self, status, code, msg):
        return (status, json.dumps({"Code": code, "Message": msg}).encode(),
                dict(JSON_CT, **{"x-amzn-ErrorType": code}))

    def respond(self, rec):
        path = rec["path"].split("?")[0]
        if path.startswith("/resources/"):       # ListRecoveryPointsByResource
            res = urllib.parse.unquote(path.split("/")[2])
            pts = [{k: v for k, v in x.items() if k not in ("ResourceArn",
                                                            "ResourceType")}
                   for x in self.points.values() if x["ResourceArn"] == res]
            return 200, json.dumps({"RecoveryPoints": pts}).encode(), JSON_CT
        if path.startswith("/restore-jobs"):
            if rec["method"] == "PUT":
                return self.start(json.loads(rec["body"]))
            job = self.jobs.get(urllib.parse.unquote(path.split("/")[-1]))
            if job is None:
                return self.error(404, "ResourceNotFoundException", "no job")
            job["polls"] += 1
            if job["polls"] == 1:
                ans = {"RestoreJobId": job["id"], "Status": "RUNNING",
                       "PercentDone": "50.00%"}
            else:
                ans = {k: v for k, v in job.items() if k != "polls"}
            return 200, json.dumps(ans).encode(), JSON_CT
        rest = path[len("/backup-vaults/%s/recovery-points/" % self.vault):]
        meta = rest.endswith("/restore-metadata")
        arn = urllib.parse.unquote(rest[:-len("/restore-metadata")] if meta
                                   else rest)
        if arn not in self.points:
            return self.error(404, "ResourceNotFoundException",
                              "Recovery point %s not found" % arn)
        if meta:
            ans = {"BackupVaultArn": self.points[arn]["BackupVaultArn"],
                   "RecoveryPointArn": arn,
                   "ResourceType": self.points[arn]["ResourceType"],
                   "RestoreMetadata": self.metadata[arn]}
        else:
            ans = self.points[arn]
        return 200, json.dumps(ans).encode(), JSON_CT

    def start(self, req):
        tok = req.get("IdempotencyToken")
        if tok in self.tokens:          # as AWS: the same job, no new action
            return (200, json.dumps({"RestoreJobId": self.tokens[tok]}).encode(),
                    JSON_CT)
        jid = "job-%d" % (len(self.jobs) + 1)
        job = {"RestoreJobId": jid, "Status": "COMPLETED", "polls": 0,
               "PercentDone": "100.00%", "CreationDate": 1763800000,
               "CompletionDate": 1763800060}
        if self.fail_next is not None:
            job.update(Status="FAILED", StatusMessage=self.fail_next)
            del job["PercentDone"]
            self.fail_next = None
        else:
            job["CreatedResourceArn"] = self.create(req)
        self.jobs[jid] = job
        if tok:
            self.tokens[tok] = jid
        return 200, json.dumps({"RestoreJobId": jid}).encode(), JSON_CT

    def create(self, req):
        """What AWS Backup does: a new resource from the protected one."""
        point = self.points[req["RecoveryPointArn"]]
        md = req["Metadata"]
        if point["ResourceType"] == "DynamoDB":
            src = point["ResourceArn"].split("/")[-1]
            ddb = self.m.client("dynamodb")
            t = ddb.describe_table(TableName=src)["Table"]
            ddb.create_table(TableName=md["targetTableName"],
                             KeySchema=t["KeySchema"],
                             AttributeDefinitions=t["AttributeDefinitions"],
                             BillingMode="PAY_PER_REQUEST")
            for it in ddb.scan(TableName=src)["Items"]:
                ddb.put_item(TableName=md["targetTableName"], Item=it)
            return "arn:aws:dynamodb:%s:%s:table/%s" % (REGION, ACCOUNT,
                                                        md["targetTableName"])
        rds = self.m.client("rds")
        d = rds.create_db_instance(DBInstanceIdentifier=md["DBInstanceIdentifier"],
                                   DBInstanceClass=md["DBInstanceClass"],
                                   Engine=md["Engine"], AllocatedStorage=20,
                                   MasterUsername="admin",
                                   MasterUserPassword="not-a-secret-1")
        return d["DBInstance"]["DBInstanceArn"]
