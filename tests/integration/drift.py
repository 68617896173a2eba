#!/usr/bin/env python3
"""drift.py - `salvage drift SRC TARGET [--check] [--apply]` end to end
against moto, through the fault proxy (its request log shows what was
sent):

  * DynamoDB: a source with TTL, a stream, PITR, tags and deletion
    protection, and its copy restored with boto3 restore_table_from_backup
    (which carries none of them): every one listed as drift side by side,
    auto scaling read on both (none: no drift); exit 0 (drift is
    information), exit 9 with --check;
  * DynamoDB auto scaling (Application Auto Scaling): a provisioned source
    with scalable targets on the table and an index and a target tracking
    policy, its restored copy without: listed as drift; --apply sends
    RegisterScalableTarget for each target, then PutScalingPolicy with the
    source's configuration, on the copy's resource ids; afterwards no drift
    and boto3 sees them; auto scaling that cannot be read (the proxy
    answers AccessDenied) is "not checked", saying why, and the rest of
    the report stands;
  * --apply without --operate: exit 3 and not a single request sent;
    with --operate but no terminal and no --yes: refused (exit 3), no
    change sent;
  * --apply --operate --yes: the plan shown, UpdateTimeToLive,
    UpdateContinuousBackups, TagResource and UpdateTable (deletion
    protection, then the stream) sent, each with its intent and result in
    the audit log after the confirmation; a second drift shows none
    (--check exits 0) and boto3 sees the settings;
  * a target better protected than its source (deletion protection, PITR)
    is reported but left alone;
  * RDS: security groups, parameter group, option group, Multi-AZ,
    deletion protection, backup retention and tags listed; --apply sends
    one ModifyDBInstance with ApplyImmediately and AddTagsToResource;
    afterwards no drift;
  * Aurora clusters: security groups, cluster parameter group, deletion
    protection, backup retention and tags listed (no option group or
    Multi-AZ: a cluster has neither); --apply sends one ModifyDBCluster
    and AddTagsToResource on the cluster's ARN; afterwards no drift and
    boto3 sees the settings;
  * a failed change is reported as failed (the proxy answers 500 to
    TagResource): exit non-zero, the others applied;
  * usage errors: a cluster against an instance, the same resource twice
    (exit 2).

moto gaps: moto applies every change at once (no UPDATING state, no
pending-reboot parameter group, no "modifying" instance), so re-applied
settings show up in the very next drift; a real account may take minutes
(and a reboot for static parameters).
"""

import glob
import json
import os
import subprocess
import sys

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import FaultProxy       # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
MUTATING = {"UpdateTimeToLive", "UpdateContinuousBackups", "TagResource",
            "UpdateTable", "ModifyDBInstance", "ModifyDBCluster",
            "AddTagsToResource", "RegisterScalableTarget", "PutScalingPolicy"}


def run(env, *args, timeout=120):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def doc_of(res):
    try:
        return json.loads(res[1])
    except ValueError:
        return {}


def setting(doc, name):
    for s in doc.get("settings", []):
        if s["name"] == name:
            return s
    return {}


def targets(p):
    return [r["target"] for r in p.requests if r["target"] is not None]


def changes(p):
    return [t for t in targets(p) if t.split(".")[-1] in MUTATING]


def records(audit_dir):
    out = []
    for path in sorted(glob.glob(os.path.join(audit_dir, "*.jsonl"))):
        with open(path, "rb") as f:
            out += [json.loads(x) for x in f.read().splitlines()]
    return out


def test_dynamodb(m, p, env):
    ddb = m.client("dynamodb")
    ddb.create_table(
        TableName="orders", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True,
                             "StreamViewType": "NEW_AND_OLD_IMAGES"},
        DeletionProtectionEnabled=True,
        Tags=[{"Key": "team", "Value": "orders"}, {"Key": "env", "Value": "prod"}])
    ddb.update_time_to_live(TableName="orders", TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires_at"})
    ddb.update_continuous_backups(TableName="orders",
                                  PointInTimeRecoverySpecification={
                                      "PointInTimeRecoveryEnabled": True})
    ddb.put_item(TableName="orders", Item={"pk": {"S": "a"}})
    arn = ddb.create_backup(TableName="orders",
                            BackupName="drift-1")["BackupDetails"]["BackupArn"]
    ddb.restore_table_from_backup(TargetTableName="orders-restored",
                                  BackupArn=arn)
    src, dst = "dynamodb://orders", "dynamodb://orders-restored"

    # Listing.
    p.clear_requests()
    res = run(env, "--json", "drift", src, dst)
    doc = doc_of(res)
    tap.is_((res[0], doc.get("drift")), (0, True),
            "drift found: listed, exit 0 (information)") or tap.diag(show(res))
    want = {"TTL": ("on (expires_at)", "off"),
            "stream": ("NEW_AND_OLD_IMAGES", "off"),
            "tags": ("env=prod, team=orders", "-"),
            "deletion protection": ("on", "off")}
    for name, (a, b) in want.items():
        s = setting(doc, name)
        tap.is_((s.get("source"), s.get("target"), s.get("differs"),
                 s.get("applicable")), (a, b, True, True),
                "%s: %s vs %s, re-appliable" % (name, a, b))
    s = setting(doc, "point-in-time recovery")
    tap.ok(s.get("differs") and s.get("source", "").startswith("on") and
           s.get("target") == "off", "point-in-time recovery: on vs off")
    s = setting(doc, "auto scaling")
    tap.is_((s.get("checked"), s.get("differs"), s.get("source"), s.get("target")),
            (True, False, "-", "-"), "auto scaling: read on both, none: no drift")
    tap.is_(doc.get("differences"), 5, "5 settings differ")
    tap.is_(changes(p), [], "listing sent no change")
    tap.ok("DynamoDB_20120810.DescribeTimeToLive" in targets(p) and
           "DynamoDB_20120810.ListTagsOfResource" in targets(p) and
           "DynamoDB_20120810.DescribeContinuousBackups" in targets(p),
           "... it read TTL, tags and PITR")

    res = run(env, "drift", src, dst)
    tap.like(res[1], r"TTL\s+on \(expires_at\)\s+off\s+DRIFT",
             "human: side by side")
    tap.like(res[1], r"auto scaling\s+-\s+-", "human: auto scaling, none")
    tap.like(res[1], r"5 settings differ; 5 can be re-applied",
             "human: the summary")
    res = run(env, "drift", src, dst, "--check")
    tap.is_(res[0], 9, "--check with drift: exit 9")

    # --apply without --operate: refused before anything is sent.
    p.clear_requests()
    res = run(env, "drift", src, dst, "--apply")
    tap.is_(res[0], 3, "--apply without --operate: exit 3") or tap.diag(show(res))
    tap.like(res[2], r"--operate", "... saying how to allow changes")
    tap.is_(len(p.requests), 0, "... and no request at all was sent")

    # --operate without a terminal or --yes: refused, nothing changed.
    audit = os.path.join(m.tmpdir, "audit-ddb")
    p.clear_requests()
    res = run(env, "--audit-dir", audit, "--operate", "drift", src, dst,
              "--apply")
    tap.is_(res[0], 3, "--apply --operate, no terminal, no --yes: exit 3") or \
        tap.diag(show(res))
    tap.is_(changes(p), [], "... no change sent")

    # Applied.
    p.clear_requests()
    res = run(env, "--audit-dir", audit, "--operate", "--yes", "--json", "drift",
              src, dst, "--apply")
    tap.is_(res[0], 0, "--apply --operate --yes: exit 0") or tap.diag(show(res))
    tap.like(res[2], r"plan: re-apply 5 settings on dynamodb://orders-restored",
             "... the plan shown first")
    tap.like(res[2], r"5\. UpdateTable: enable the stream", "... the stream last")
    doc = doc_of(res)
    tap.is_(sorted(s["name"] for s in doc.get("settings", [])
                   if s.get("outcome") == "applied"),
            sorted(["TTL", "stream", "point-in-time recovery", "tags",
                    "deletion protection"]), "... each setting reported applied")
    tap.is_([t.split(".")[-1] for t in changes(p)],
            ["UpdateTimeToLive", "UpdateContinuousBackups", "TagResource",
             "UpdateTable", "UpdateTable"], "... the changes sent, in order")
    bodies = [json.loads(r["body"]) for r in p.requests
              if (r["target"] or "").endswith("UpdateTable")]
    tap.is_([b.get("DeletionProtectionEnabled") for b in bodies], [True, None],
            "... deletion protection, then")
    tap.is_(bodies[-1].get("StreamSpecification") if bodies else None,
            {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "... the stream with the source's view type")
    recs = records(audit)
    ops = [r["data"].get("operation") for r in recs if r["type"] == "intent"]
    tap.is_(ops, ["UpdateTimeToLive", "UpdateContinuousBackups", "TagResource",
                  "UpdateTable", "UpdateTable"], "audit: an intent for each")
    types = [r["type"] for r in recs]
    conf = [i for i, r in enumerate(recs) if r["type"] == "confirm" and
            r["data"].get("accepted")]
    tap.ok(conf and conf[-1] < types.index("intent"),
           "audit: the confirmation comes before the first change")
    tap.is_(sum(1 for r in recs if r["type"] == "result" and
                r["data"].get("outcome") == "ok"), 5, "audit: 5 results ok")

    res = run(env, "drift", src, dst, "--check")
    tap.is_(res[0], 0, "a second drift: none (--check exits 0)") or \
        tap.diag(show(res))
    tap.like(res[1], r"no drift", "... and says so")
    t = ddb.describe_table(TableName="orders-restored")["Table"]
    ttl = ddb.describe_time_to_live(TableName="orders-restored")
    tags = ddb.list_tags_of_resource(ResourceArn=t["TableArn"])["Tags"]
    tap.is_((ttl["TimeToLiveDescription"].get("AttributeName"),
             t.get("DeletionProtectionEnabled"),
             t.get("StreamSpecification", {}).get("StreamViewType"),
             sorted((x["Key"], x["Value"]) for x in tags)),
            ("expires_at", True, "NEW_AND_OLD_IMAGES",
             [("env", "prod"), ("team", "orders")]),
            "boto3 sees TTL, deletion protection, stream and tags on the target")

    res = run(env, "--operate", "--yes", "drift", src, dst, "--apply")
    tap.is_(res[0], 0, "--apply with nothing to re-apply: exit 0")
    tap.like(res[2], r"nothing to re-apply", "... says so")

    # Better protected than the source: reported, left alone.
    ddb.create_table(
        TableName="plain", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    p.clear_requests()
    res = run(env, "--operate", "--yes", "--json", "drift", "dynamodb://plain",
              dst, "--apply")
    doc = doc_of(res)
    for name in ("deletion protection", "point-in-time recovery"):
        s = setting(doc, name)
        tap.is_((s.get("differs"), s.get("applicable"), s.get("outcome")),
                (True, False, "not-applied"),
                "%s: the target has more: reported, not re-applied" % name)
    tap.ok(not any("DeletionProtectionEnabled" in json.loads(r["body"] or b"{}")
                   for r in p.requests
                   if (r["target"] or "").endswith("UpdateTable")),
           "... deletion protection was not turned off")
    s = setting(doc, "tags")
    tap.ok(s.get("differs") and not s.get("applicable") and
           "not removed" in (s.get("note") or ""),
           "tags only the target has: reported, not removed")

    # A change that fails is reported as failed, the others go on.
    ddb.create_table(
        TableName="orders-restored-2", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    p.clear_requests()
    p.status(400, body=json.dumps({
        "__type": "com.amazonaws.dynamodb.v20120810#ValidationException",
        "message": "Invalid tag"}).encode(),
        headers={"Content-Type": "application/x-amz-json-1.0"},
        match="DynamoDB_20120810.TagResource", count=None)
    res = run(env, "--operate", "--yes", "--json", "drift", src,
              "dynamodb://orders-restored-2", "--apply")
    p.clear()
    doc = doc_of(res)
    tap.ok(res[0] not in (0, 2, 3), "a failed change: a failure exit status "
           "(%s)" % res[0]) or tap.diag(show(res))
    tap.is_(setting(doc, "tags").get("outcome"), "failed", "... tags: failed")
    tap.like(setting(doc, "tags").get("error") or "", r"Invalid tag",
             "... with the service's message")
    tap.is_(setting(doc, "TTL").get("outcome"), "applied",
            "... the others still applied")
    tap.is_((doc.get("applied"), doc.get("failed")), (4, 1), "... 4 applied, 1 failed")


def test_autoscaling(m, p, env):
    ddb = m.client("dynamodb")
    aas = m.client("application-autoscaling")
    ddb.create_table(
        TableName="ledger", BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "day", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by-day",
            "KeySchema": [{"AttributeName": "day", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 5,
                                      "WriteCapacityUnits": 5}}])
    for rid, dim, lo, hi in (
            ("table/ledger", "dynamodb:table:ReadCapacityUnits", 5, 100),
            ("table/ledger", "dynamodb:table:WriteCapacityUnits", 5, 50),
            ("table/ledger/index/by-day", "dynamodb:index:ReadCapacityUnits",
             1, 20)):
        aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=rid,
                                     ScalableDimension=dim, MinCapacity=lo,
                                     MaxCapacity=hi)
    config = {"TargetValue": 70.0, "ScaleInCooldown": 60, "ScaleOutCooldown": 60,
              "PredefinedMetricSpecification": {
                  "PredefinedMetricType": "DynamoDBReadCapacityUtilization"}}
    aas.put_scaling_policy(PolicyName="ledger-read", ServiceNamespace="dynamodb",
                           ResourceId="table/ledger",
                           ScalableDimension="dynamodb:table:ReadCapacityUnits",
                           PolicyType="TargetTrackingScaling",
                           TargetTrackingScalingPolicyConfiguration=config)
    arn = ddb.create_backup(TableName="ledger",
                            BackupName="as-1")["BackupDetails"]["BackupArn"]
    ddb.restore_table_from_backup(TargetTableName="ledger-r", BackupArn=arn)
    src, dst = "dynamodb://ledger", "dynamodb://ledger-r"

    p.clear_requests()
    res = run(env, "--json", "drift", src, dst)
    doc = doc_of(res)
    s = setting(doc, "auto scaling")
    tap.is_((res[0], s.get("checked"), s.get("differs"), s.get("applicable"),
             s.get("target")), (0, True, True, True, "-"),
            "auto scaling: the copy has none: drift, re-appliable", show(res))
    tap.is_(s.get("source"), "index/by-day read 1..20; table read 5..100; "
            "table read policy ledger-read (TargetTrackingScaling 70); "
            "table write 5..50", "... the source's targets and policy, readable")
    tap.ok("AnyScaleFrontendService.DescribeScalableTargets" in targets(p) and
           "AnyScaleFrontendService.DescribeScalingPolicies" in targets(p),
           "... read with DescribeScalableTargets and DescribeScalingPolicies")
    tap.is_(changes(p), [], "... and nothing changed")

    audit = os.path.join(m.tmpdir, "audit-aas")
    p.clear_requests()
    res = run(env, "--audit-dir", audit, "--operate", "--yes", "drift", src, dst,
              "--apply")
    tap.is_(res[0], 0, "--apply: exit 0", show(res))
    tap.is_([t.split(".")[-1] for t in changes(p)],
            ["RegisterScalableTarget"] * 3 + ["PutScalingPolicy"],
            "... three targets registered, then the policy")
    got = {(t["ResourceId"], t["ScalableDimension"]): (t["MinCapacity"],
                                                      t["MaxCapacity"])
           for t in aas.describe_scalable_targets(
               ServiceNamespace="dynamodb")["ScalableTargets"]}
    tap.is_({k: v for k, v in got.items() if k[0].startswith("table/ledger-r")},
            {("table/ledger-r", "dynamodb:table:ReadCapacityUnits"): (5, 100),
             ("table/ledger-r", "dynamodb:table:WriteCapacityUnits"): (5, 50),
             ("table/ledger-r/index/by-day", "dynamodb:index:ReadCapacityUnits"):
             (1, 20)}, "boto3: the copy's scalable targets are the source's")
    pol = [x for x in aas.describe_scaling_policies(
        ServiceNamespace="dynamodb")["ScalingPolicies"]
        if x["ResourceId"] == "table/ledger-r"]
    tap.ok(len(pol) == 1 and pol[0]["PolicyName"] == "ledger-read" and
           pol[0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 70
           and pol[0]["TargetTrackingScalingPolicyConfiguration"][
               "PredefinedMetricSpecification"]["PredefinedMetricType"] ==
           "DynamoDBReadCapacityUtilization",
           "boto3: the policy, with the source's configuration", pol)
    ops = [r["data"].get("operation") for r in records(audit)
           if r["type"] == "intent"]
    tap.is_(ops, ["RegisterScalableTarget"] * 3 + ["PutScalingPolicy"],
            "audit: an intent for each call")
    res = run(env, "drift", src, dst, "--check")
    tap.is_(res[0], 0, "a second drift: no drift (--check exits 0)", show(res))

    # Not allowed to read it: "not checked", saying why; the rest stands.
    p.status(400, body=json.dumps({"__type": "AccessDeniedException",
                                   "message": "not authorized to perform: "
                                   "application-autoscaling:DescribeScalableTargets"}),
             headers={"Content-Type": "application/x-amz-json-1.1",
                      "x-amzn-ErrorType": "AccessDeniedException"},
             match="DescribeScalableTargets", count=None)
    res = run(env, "--json", "drift", src, dst)
    p.clear()
    doc = doc_of(res)
    s = setting(doc, "auto scaling")
    tap.ok(res[0] == 0 and s.get("checked") is False and "could not be read"
           in (s.get("note") or "") and "describe-scalable-targets" in
           (s.get("note") or "") and setting(doc, "TTL").get("checked") is True,
           "auto scaling denied: not checked, saying why; the report stands",
           show(res))


def test_rds(m, p, env):
    rds = m.client("rds")
    ec2 = m.client("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    sg = ec2.create_security_group(GroupName="db-sg", Description="db",
                                   VpcId=vpc)["GroupId"]
    rds.create_db_parameter_group(DBParameterGroupName="pg-custom",
                                  DBParameterGroupFamily="postgres13",
                                  Description="custom")
    rds.create_option_group(OptionGroupName="og-custom", EngineName="postgres",
                            MajorEngineVersion="13",
                            OptionGroupDescription="custom")
    common = dict(DBInstanceClass="db.t3.micro", Engine="postgres",
                  EngineVersion="13.4", MasterUsername="admin1",
                  MasterUserPassword="not-a-real-pw-1", AllocatedStorage=20)
    rds.create_db_instance(DBInstanceIdentifier="db-src", VpcSecurityGroupIds=[sg],
                           DBParameterGroupName="pg-custom",
                           OptionGroupName="og-custom", MultiAZ=True,
                           DeletionProtection=True, BackupRetentionPeriod=7,
                           Tags=[{"Key": "team", "Value": "db"}], **common)
    rds.create_db_instance(DBInstanceIdentifier="db-restored",
                           BackupRetentionPeriod=1, **common)
    src, dst = "rds://db-src", "rds://db-restored"

    res = run(env, "--json", "drift", src, dst)
    doc = doc_of(res)
    tap.is_(res[0], 0, "RDS drift listed: exit 0") or tap.diag(show(res))
    for name, a in (("security groups", sg), ("parameter group", "pg-custom"),
                    ("option group", "og-custom"), ("Multi-AZ", "yes"),
                    ("deletion protection", "on"), ("backup retention", "7 days"),
                    ("tags", "team=db")):
        s = setting(doc, name)
        tap.is_((s.get("source"), s.get("differs"), s.get("applicable")),
                (a, True, True), "RDS %s: %s on the source, differs" % (name, a))

    p.clear_requests()
    res = run(env, "drift", src, dst, "--apply")
    tap.is_((res[0], len(p.requests)), (3, 0),
            "RDS --apply without --operate: exit 3, nothing sent")

    p.clear_requests()
    res = run(env, "--operate", "--yes", "drift", src, dst, "--apply")
    tap.is_(res[0], 0, "RDS --apply --operate --yes: exit 0") or tap.diag(show(res))
    tap.is_(changes(p), ["ModifyDBInstance", "AddTagsToResource"],
            "... one ModifyDBInstance, then AddTagsToResource")
    mod = [r for r in p.requests if r["target"] == "ModifyDBInstance"]
    body = mod[0]["body"].decode() if mod else ""
    for part in ("ApplyImmediately=true", "DBParameterGroupName=pg-custom",
                 "OptionGroupName=og-custom", "MultiAZ=true",
                 "DeletionProtection=true", "BackupRetentionPeriod=7",
                 "VpcSecurityGroupIds.VpcSecurityGroupId.1=" + sg):
        tap.ok(part in body, "... ModifyDBInstance sends %s" % part)
    res = run(env, "drift", src, dst, "--check")
    tap.is_(res[0], 0, "RDS: a second drift shows none") or tap.diag(show(res))
    i = rds.describe_db_instances(DBInstanceIdentifier="db-restored")["DBInstances"][0]
    tap.is_((i["MultiAZ"], i["DeletionProtection"], i["BackupRetentionPeriod"],
             [g["VpcSecurityGroupId"] for g in i["VpcSecurityGroups"]]),
            (True, True, 7, [sg]), "boto3 sees the settings on the target")


def test_cluster(m, p, env):
    rds = m.client("rds")
    ec2 = m.client("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    sg = ec2.create_security_group(GroupName="aurora-sg", Description="aurora",
                                   VpcId=vpc)["GroupId"]
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="cpg-custom",
        DBParameterGroupFamily="aurora-postgresql13", Description="custom")
    common = dict(Engine="aurora-postgresql", MasterUsername="admin1",
                  MasterUserPassword="not-a-real-pw-1")
    rds.create_db_cluster(DBClusterIdentifier="au-src", VpcSecurityGroupIds=[sg],
                          DBClusterParameterGroupName="cpg-custom",
                          DeletionProtection=True, BackupRetentionPeriod=7,
                          Tags=[{"Key": "team", "Value": "db"}], **common)
    rds.create_db_cluster(DBClusterIdentifier="au-restored",
                          BackupRetentionPeriod=1, **common)
    src, dst = "rds-cluster://au-src", "rds-cluster://au-restored"

    res = run(env, "--json", "drift", src, dst)
    doc = doc_of(res)
    tap.is_(res[0], 0, "cluster drift listed: exit 0", show(res))
    tap.is_(doc.get("kind"), "rds-cluster", "... kind rds-cluster")
    for name, a in (("security groups", sg), ("cluster parameter group",
                                              "cpg-custom"),
                    ("deletion protection", "on"), ("backup retention", "7 days"),
                    ("tags", "team=db")):
        s = setting(doc, name)
        tap.is_((s.get("source"), s.get("differs"), s.get("applicable")),
                (a, True, True), "cluster %s: %s on the source, differs" %
                (name, a))
    tap.is_([s["name"] for s in doc.get("settings", [])
             if s["name"] in ("option group", "Multi-AZ")], [],
            "... no option group or Multi-AZ for a cluster")

    p.clear_requests()
    res = run(env, "--operate", "--yes", "drift", src, dst, "--apply")
    tap.is_(res[0], 0, "cluster --apply --operate --yes: exit 0", show(res))
    tap.is_(changes(p), ["ModifyDBCluster", "AddTagsToResource"],
            "... one ModifyDBCluster, then AddTagsToResource")
    mod = [r for r in p.requests if r["target"] == "ModifyDBCluster"]
    body = mod[0]["body"].decode() if mod else ""
    for part in ("DBClusterIdentifier=au-restored", "ApplyImmediately=true",
                 "DBClusterParameterGroupName=cpg-custom",
                 "DeletionProtection=true", "BackupRetentionPeriod=7",
                 "VpcSecurityGroupIds.VpcSecurityGroupId.1=" + sg):
        tap.ok(part in body, "... ModifyDBCluster sends %s" % part)
    res = run(env, "drift", src, dst, "--check")
    tap.is_(res[0], 0, "cluster: a second drift shows none", show(res))
    c = rds.describe_db_clusters(DBClusterIdentifier="au-restored")["DBClusters"][0]
    tags = rds.list_tags_for_resource(ResourceName=c["DBClusterArn"])["TagList"]
    tap.is_((c["DeletionProtection"], c["BackupRetentionPeriod"],
             c["DBClusterParameterGroup"],
             [g["VpcSecurityGroupId"] for g in c["VpcSecurityGroups"]],
             [(t["Key"], t["Value"]) for t in tags]),
            (True, 7, "cpg-custom", [sg], [("team", "db")]),
            "boto3 sees the settings on the target cluster")


def test_usage(p, env):
    p.clear_requests()
    for args, what in ((("rds-cluster://c1", "rds://db-src"), "a cluster and "
                        "an instance"),
                       (("dynamodb://orders", "dynamodb://orders"), "itself"),
                       (("dynamodb://orders", "rds://db-src"), "mixed kinds"),
                       (("dynamodb://orders",), "one resource")):
        res = run(env, "drift", *args)
        tap.is_(res[0], 2, "usage error: %s (exit 2)" % what) or \
            tap.diag(show(res))
    tap.is_(len(p.requests), 0, "... nothing sent")


def main():
    if not os.access(SALVAGE, os.X_OK):
        tap.skip_all("salvage not built at %s" % SALVAGE)
    with Moto() as m, FaultProxy(m.url) as p:
        env = m.env({"AWS_ENDPOINT_URL": p.url,
                     "XDG_STATE_HOME": os.path.join(m.tmpdir, "state")})
        test_dynamodb(m, p, env)
        test_autoscaling(m, p, env)
        test_rds(m, p, env)
        test_cluster(m, p, env)
        test_usage(p, env)
    tap.done_testing()


main()
