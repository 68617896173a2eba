#!/usr/bin/env python3
"""backup.py - AWS Backup browsing end to end: `salvage ls backup://` and
`salvage points backup://VAULT`, with aws-cli as the independent client
for the same answers:

  * vaults made in moto: salvage's --json equals aws-cli's
    list-backup-vaults (names, ARNs, creation times to the millisecond,
    recovery point counts, lock); the human table names them; an unknown
    vault is "not found" (exit 6);
  * recovery points: moto has no recovery points (AWS-NOTES, HACKING), so
    the fault proxy answers ListRecoveryPointsByBackupVault with two
    pages shaped as botocore's model says; salvage and aws-cli read the
    same pages through the proxy and must agree point for point; salvage
    sends the NextToken of page 1 and nothing else changes between pages;
  * what goes wrong: a 404 ResourceNotFoundException (exit 6, naming the
    vault), a body that is not JSON (exit 8), a NextToken that repeats
    (exit 8, not an endless listing), a failure on page 2 (non-zero, and
    no points printed as if the listing were complete);
  * everything is read-only: only GETs reach the proxy.
"""

import datetime
import json
import os
import re
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
ACCOUNT = "123456789012"


def run(env, *args):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=120)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def aws(env, url, *args):
    r = subprocess.run(["aws", "--endpoint-url", url, "--output", "json"] +
                       list(args), env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError("aws %s: exit %d: %s" % (
            " ".join(args), r.returncode, r.stderr.decode()))
    return json.loads(r.stdout)


is_ = tap.is_


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def js(res):
    try:
        return json.loads(res[1])
    except ValueError:
        return None


def ms(t):
    """aws-cli's epoch seconds, or salvage's ISO-8601 Z, as epoch ms."""
    if isinstance(t, (int, float)):
        return round(t * 1000)
    d = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ" if "." in t
                                   else "%Y-%m-%dT%H:%M:%SZ")
    return round(d.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)


def point(arn_tail, rtype, resource, status, created, **more):
    p = {"RecoveryPointArn": "arn:aws:backup:us-east-1:%s:recovery-point:%s"
         % (ACCOUNT, arn_tail),
         "BackupVaultName": "prod-vault",
         "BackupVaultArn": "arn:aws:backup:us-east-1:%s:backup-vault:prod-vault"
         % ACCOUNT,
         "ResourceArn": resource, "ResourceType": rtype, "Status": status,
         "CreationDate": created, "IsEncrypted": True}
    p.update(more)
    return p


PAGE1 = {"RecoveryPoints": [
    point("a1", "DynamoDB", "arn:aws:dynamodb:us-east-1:%s:table/orders" % ACCOUNT,
          "COMPLETED", 1763700000.25, CompletionDate=1763700100.5,
          BackupSizeInBytes=1048576, ResourceName="orders"),
    point("b2", "RDS", "arn:aws:rds:us-east-1:%s:db:billing" % ACCOUNT,
          "PARTIAL", 1763600000, StatusMessage="stopped before it completed")],
    "NextToken": "page-2 token/+="}
PAGE2 = {"RecoveryPoints": [
    point("c3", "S3", "arn:aws:s3:::invoices", "COMPLETED", 1763800000.125,
          BackupSizeInBytes=123456789, ResourceName="invoices")]}

RP_PATH = "/backup-vaults/prod-vault/recovery-points/"


def is_points(r):
    return r["path"].startswith(RP_PATH)


def pages(rec):
    return json.dumps(PAGE2 if "nextToken=" in rec["path"] else PAGE1).encode()


JSON_CT = {"Content-Type": "application/json"}


def test_vaults(m, p, env):
    for name in ("prod-vault", "audit_vault-2"):
        m.aws("backup", "create-backup-vault", "--backup-vault-name", name)
    want = m.aws("backup", "list-backup-vaults")["BackupVaultList"]
    res = run(env, "--json", "ls", "backup://")
    is_(res[0], 0, "ls backup:// --json: exit 0", show(res))
    got = js(res) or []
    is_(sorted(v["name"] for v in got),
            sorted(v["BackupVaultName"] for v in want),
            "... the vaults aws-cli lists")
    by = {v["BackupVaultName"]: v for v in want}
    tap.ok(all(v["arn"] == by[v["name"]]["BackupVaultArn"] and
               ms(v["created"]) == ms(by[v["name"]]["CreationDate"]) and
               v["recovery_points"] == by[v["name"]]["NumberOfRecoveryPoints"] and
               v["locked"] == by[v["name"]]["Locked"] for v in got),
           "... ARN, creation time (ms), recovery point count and lock as aws-cli",
           json.dumps([got, want], indent=1))
    res = run(env, "ls", "backup://")
    tap.ok(res[0] == 0 and "prod-vault" in res[1] and "audit_vault-2" in res[1]
           and "RECOVERY POINTS" in res[1], "ls backup://: a table of vaults",
           show(res))
    res = run(env, "--json", "ls", "backup://prod-vault")
    tap.ok(res[0] == 0 and [v["name"] for v in js(res) or []] == ["prod-vault"],
           "ls backup://VAULT: that vault", show(res))
    res = run(env, "ls", "backup://nope")
    tap.ok(res[0] == 6 and "backup://nope: no such backup vault" in res[2],
           "ls backup://nope: not found (exit 6)", show(res))


def test_points(m, p, env):
    url = p.url
    p.clear_requests()
    f = p.status(200, body=pages, headers=JSON_CT, match=is_points, count=None)
    res = run(env, "--json", "points", "backup://prod-vault")
    is_(res[0], 0, "points backup://prod-vault --json: exit 0", show(res))
    doc = js(res) or {}
    rp = [r for r in p.requests if is_points(r)]
    is_(len(rp), 2, "... two pages asked for")
    tap.ok(len(rp) == 2 and "nextToken=page-2%20token%2F%2B%3D" in rp[1]["path"],
           "... the second with page 1's NextToken, encoded once",
           [r["path"] for r in rp])
    cli = aws(env, url, "backup", "list-recovery-points-by-backup-vault",
              "--backup-vault-name", "prod-vault")["RecoveryPoints"]
    p.clear()
    is_(f.hits, 4, "... (aws-cli read the same two pages)")
    pts = doc.get("points", [])
    is_(doc.get("resource"), "backup://prod-vault", "... the resource")
    is_(doc.get("pitr"), None, "... no point-in-time window for a vault")
    is_([x["kind"] for x in pts], ["recovery-point"] * 3,
            "... three recovery points")
    is_([x["id"] for x in pts],
            [c["RecoveryPointArn"] for c in
             sorted(cli, key=lambda c: c["CreationDate"])],
            "... the ARNs aws-cli read, oldest first")
    by = {c["RecoveryPointArn"]: c for c in cli}
    tap.ok(all(ms(x["time"]) == ms(by[x["id"]]["CreationDate"]) and
               x["type"] == by[x["id"]]["ResourceType"] and
               x["status"] == by[x["id"]]["Status"] and
               x["resource_arn"] == by[x["id"]]["ResourceArn"] and
               x.get("size") == by[x["id"]].get("BackupSizeInBytes") and
               x.get("name") == by[x["id"]].get("ResourceName") for x in pts),
           "... time, resource type and ARN, status, size and name as aws-cli",
           json.dumps([pts, cli], indent=1, default=str))

    p.status(200, body=pages, headers=JSON_CT, match=is_points, count=None)
    res = run(env, "points", "backup://prod-vault")
    p.clear()
    lines = res[1].splitlines()
    tap.ok(res[0] == 0 and any(re.match(r"points\s+3$", ln) for ln in lines)
           and any("PARTIAL" in ln and "db:billing" in ln for ln in lines),
           "human: three points; one without a name shows its resource ARN",
           show(res))
    tap.ok(res[1].find(":c3") < res[1].find(":a1") < res[1].find(":b2"),
           "... newest first", show(res))


def test_faults(m, p, env):
    p.status(404, body=json.dumps({"Code": "ResourceNotFoundException",
                                   "Message": "Backup vault gone not found"}),
             headers=dict(JSON_CT, **{"x-amzn-ErrorType":
                                      "ResourceNotFoundException"}),
             match=lambda r: r["path"].startswith("/backup-vaults/gone/"))
    res = run(env, "points", "backup://gone")
    p.clear()
    tap.ok(res[0] == 6 and "backup://gone" in res[2] and
           "ResourceNotFoundException" in res[2],
           "a vault that does not exist: exit 6, naming it", show(res))

    p.status(200, body=b"<html>not json</html>", headers=JSON_CT,
             match=is_points)
    res = run(env, "points", "backup://prod-vault")
    p.clear()
    tap.ok(res[0] == 8 and "not a JSON object" in res[2] and res[1] == "",
           "a body that is not JSON: exit 8, nothing printed", show(res))

    loop = json.dumps(dict(PAGE1, NextToken="same")).encode()
    f = p.status(200, body=loop, headers=JSON_CT, match=is_points, count=None)
    res = run(env, "points", "backup://prod-vault")
    p.clear()
    tap.ok(res[0] == 8 and "NextToken repeats" in res[2] and f.hits == 2,
           "a NextToken that repeats: exit 8 after two pages, not a loop",
           show(res))

    p.status(200, body=json.dumps(PAGE1), headers=JSON_CT,
             match=lambda r: is_points(r) and "nextToken=" not in r["path"])
    p.status(500, body=b"", headers=JSON_CT,
             match=lambda r: is_points(r) and "nextToken=" in r["path"],
             count=None)
    res = run(env, "--json", "points", "backup://prod-vault")
    p.clear()
    tap.ok(res[0] != 0 and res[1] == "" and "after 1 page" in res[2],
           "page 2 fails: non-zero, nothing printed, says how far it got",
           show(res))

    other = [r for r in p.requests if r["method"] != "GET" and
             "GetCallerIdentity" not in (r["target"] or "")]
    is_(other, [], "read-only: only GETs (and STS GetCallerIdentity) reached "
        "the proxy")


def main():
    if not os.access(SALVAGE, os.X_OK):
        tap.skip_all("salvage is not built: %s" % SALVAGE)
    with Moto() as m:
        with FaultProxy(m.url) as p:
            env = m.env({"AWS_ENDPOINT_URL": p.url,
                         "XDG_STATE_HOME": os.path.join(m.tmpdir, "state")})
            with tap.check("vaults"):
                test_vaults(m, p, env)
            with tap.check("recovery points"):
                test_points(m, p, env)
            with tap.check("faults"):
                test_faults(m, p, env)
    tap.done_testing()


if __name__ == "__main__":
    main()
