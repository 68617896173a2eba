#!/usr/bin/env python3
"""audit.py - the audit log and the first changes, end to end against moto,
with the fault proxy in between and aws-cli as the independent checker.

  * backup / snapshot: refused without --operate (exit 3, nothing sent),
    refused with no terminal and no --yes, created with --operate --yes,
    a name already taken refused before anything is sent;
  * a typed confirmation on a terminal (a pty); waiting with a growing
    poll interval, and Ctrl-C that stops the waiting, not the backup (the
    proxy plays a backup that stays CREATING);
  * write-ahead: the intent is on disk before the request reaches moto
    (the proxy holds CreateBackup while the log is read);
  * kill -9 between intent and result: the chain verifies, the intent has
    no result, and the next session's session-start notes it;
  * shipping to a versioned bucket and to an Object Lock bucket: object key
    PREFIX/ACCOUNT/YYYY/MM/DD/SESSION.jsonl, byte-identical to the local
    log, checksum and retention headers on the wire, retention on the copy;
    a read-only session ships too;
  * outage: the bucket is missing -> warning, spooled; created later ->
    `salvage audit ship` delivers a byte-identical copy, idempotently;
  * secrets: known fake secrets never appear in anything salvage wrote;
  * a log that cannot be written (unsafe directory) means no change;
  * `audit verify` of a tampered copy exits 9 naming the seq.

moto gaps (see AWS-NOTES): backups and snapshots are available at once;
moto 5 has no GetObjectRetention, so the retention on the Object Lock copy
is read with HeadObject (x-amz-object-lock-* headers) when
get-object-retention does not answer.
"""

import base64
import datetime
import glob
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import FaultProxy       # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
ACCOUNT = "123456789012"
TABLE = "orders"

FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz0123"
FAKE_TOKEN = "IQoJb3JpZ2luX2VjEOzzTOKENzzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def run(env, *args, timeout=120, stdin=subprocess.DEVNULL):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env, stdin=stdin,
                       capture_output=True, timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def logs(audit_dir):
    return sorted(glob.glob(os.path.join(audit_dir, "*.jsonl")))


def newest(audit_dir):
    """The log of the session that started last (ids in one second sort
    by their random part, so go by the first record's time)."""
    return max(logs(audit_dir), key=lambda x: records(x)[0]["time"])


def records(path):
    with open(path, "rb") as f:
        return [json.loads(line) for line in f.read().splitlines()]


def session_of(path):
    return os.path.basename(path)[:-len(".jsonl")]


def new_dir(m, name):
    d = os.path.join(m.tmpdir, "audit-" + name)
    return d


def backup_names(m):
    out = m.aws("dynamodb", "list-backups", "--table-name", TABLE)
    return [b["BackupName"] for b in out["BackupSummaries"]]


def object_key(prefix, session):
    return "%s%s/%s/%s/%s/%s.jsonl" % (prefix, ACCOUNT, session[0:4],
                                       session[4:6], session[6:8], session)


def get_object(m, bucket, key):
    dst = os.path.join(m.tmpdir, "download")
    m.aws("s3api", "get-object", "--bucket", bucket, "--key", key, dst)
    with open(dst, "rb") as f:
        return f.read()


def local_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def seed(m):
    m.aws("dynamodb", "create-table", "--table-name", TABLE,
          "--key-schema", "AttributeName=k,KeyType=HASH",
          "--attribute-definitions", "AttributeName=k,AttributeType=S",
          "--billing-mode", "PAY_PER_REQUEST")
    m.aws("rds", "create-db-instance", "--db-instance-identifier", "db1",
          "--db-instance-class", "db.t3.micro", "--engine", "postgres",
          "--master-username", "admin1", "--master-user-password",
          "not-a-real-pw-1", "--allocated-storage", "20")
    m.aws("rds", "create-db-cluster", "--db-cluster-identifier", "cl1",
          "--engine", "aurora-postgresql", "--master-username", "admin1",
          "--master-user-password", "not-a-real-pw-1")


def test_backup_gate(m, p, env):
    d = new_dir(m, "gate")

    # Without --operate: refused before any request.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "backup", "dynamodb://" + TABLE,
              "--name", "nightly-1")
    tap.is_(res[0], 3, "backup without --operate: exit 3")
    tap.like(res[2], r"--operate", "... the message says how to allow changes")
    tap.is_(len(p.requests), 0, "... and no request at all was sent")
    tap.is_(len(p.requests_matching("CreateBackup")), 0, "... no CreateBackup")

    res = run(env, "--audit-dir", d, "snapshot", "rds://db1", "--name", "snap-1")
    tap.is_(res[0], 3, "snapshot without --operate: exit 3")
    tap.is_(len(p.requests), 0, "... nothing sent")

    # --operate without a terminal and without --yes: refused, recorded.
    res = run(env, "--audit-dir", d, "--operate", "backup", "dynamodb://" + TABLE,
              "--name", "nightly-1")
    tap.is_(res[0], 3, "--operate, no terminal, no --yes: refused with exit 3")
    tap.like(res[2], r"--yes", "... the message names --yes")
    tap.is_(len(p.requests_matching("CreateBackup")), 0, "... no CreateBackup sent")
    conf = [r for path in logs(d) for r in records(path) if r["type"] == "confirm"]
    tap.ok(len(conf) == 1 and conf[0]["data"]["how"] == "unattended" and
           conf[0]["data"]["accepted"] is False,
           "... the refused confirmation is in the audit log", conf)

    # --operate --yes: created.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "backup",
              "dynamodb://" + TABLE, "--name", "nightly-1")
    tap.is_(res[0], 0, "backup --operate --yes: exit 0")
    tap.ok("nightly-1" in backup_names(m), "... aws-cli sees the backup", show(res))
    tap.is_(len(p.requests_matching("CreateBackup")), 1, "... exactly one CreateBackup")
    path = [x for x in logs(d) if any(r["type"] == "intent" for r in records(x))][-1]
    recs = records(path)
    types = [r["type"] for r in recs]
    tap.is_(types, ["session-start", "confirm", "intent", "result", "session-end"],
            "... its log: session-start, confirm, intent, result, session-end")
    intent = recs[2]["data"]
    result = recs[3]["data"]
    tap.ok(intent["operation"] == "CreateBackup" and
           intent["target"] == "dynamodb://" + TABLE, "... the intent names it")
    tap.ok(result["intent"] == 3 and result["outcome"] == "ok" and
           result["request_id"], "... the result names the intent and request id",
           result)
    op = recs[0]["data"]["operator"]
    tap.ok(op.get("account") == ACCOUNT and op.get("arn", "").startswith("arn:"),
           "... session-start has the STS identity", op)
    tap.is_(recs[0]["data"]["mode"], "operate", "... and the mode")
    st = os.stat(path)
    tap.is_(stat.S_IMODE(st.st_mode), 0o600, "log file is 0600")
    tap.is_(stat.S_IMODE(os.stat(d).st_mode), 0o700, "audit dir is 0700")
    res = run(env, "audit", "verify", path)
    tap.is_(res[0], 0, "audit verify of the log: exit 0")

    # A name already taken: refused before sending.
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "backup",
              "dynamodb://" + TABLE, "--name", "nightly-1")
    tap.ok(res[0] != 0 and "already" in res[2], "a taken backup name is refused",
           show(res))
    tap.is_(len(p.requests_matching("CreateBackup")), 0, "... before sending")
    tap.is_(backup_names(m).count("nightly-1"), 1, "... still one backup of that name")

    # Snapshots.
    res = run(env, "--audit-dir", d, "--operate", "--yes", "snapshot", "rds://db1",
              "--name", "snap-1")
    tap.is_(res[0], 0, "snapshot rds://db1 --operate --yes: exit 0")
    snaps = m.aws("rds", "describe-db-snapshots", "--db-snapshot-identifier",
                  "snap-1")["DBSnapshots"]
    tap.ok(len(snaps) == 1 and snaps[0]["DBInstanceIdentifier"] == "db1",
           "... aws-cli sees the snapshot", show(res))
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "snapshot", "rds://db1",
              "--name", "snap-1")
    tap.ok(res[0] != 0 and "already exists" in res[2], "a taken snapshot name "
           "is refused", show(res))
    tap.is_(len(p.requests_matching("CreateDBSnapshot")), 0, "... before sending")
    res = run(env, "--audit-dir", d, "--operate", "--yes", "snapshot",
              "rds-cluster://cl1", "--name", "csnap-1")
    tap.is_(res[0], 0, "snapshot rds-cluster://cl1: exit 0")
    snaps = m.aws("rds", "describe-db-cluster-snapshots",
                  "--db-cluster-snapshot-identifier", "csnap-1")["DBClusterSnapshots"]
    tap.is_(len(snaps), 1, "... aws-cli sees the cluster snapshot")


def test_tty_and_wait(m, p, env):
    import pty
    d = new_dir(m, "tty")

    # On a terminal the name must be typed; a wrong one changes nothing.
    for typed, want in (("wrong-name", 3), ("typed-1", 0)):
        master, slave = pty.openpty()
        p.clear_requests()
        proc = subprocess.Popen([SALVAGE, "--audit-dir", d, "--operate", "backup",
                                 "dynamodb://" + TABLE, "--name", "typed-1"],
                                env=env, stdin=slave, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        os.close(slave)
        os.write(master, typed.encode() + b"\n")
        out, err = proc.communicate(timeout=60)
        os.close(master)
        tap.is_(proc.returncode, want, "typed '%s' on a terminal: exit %d"
                % (typed, want))
        tap.is_(len(p.requests_matching("CreateBackup")), 1 if want == 0 else 0,
                "... %s CreateBackup" % ("one" if want == 0 else "no"))
    tap.ok("typed-1" in backup_names(m), "the typed confirmation made the backup")
    conf = sorted(([r["data"]["typed"], r["data"]["accepted"], r["data"]["how"]]
                   for x in logs(d) for r in records(x) if r["type"] == "confirm"))
    tap.is_(conf, [["typed-1", True, "tty"], ["wrong-name", False, "tty"]],
            "both confirmations are in the audit log, with what was typed")

    # Waiting: the proxy plays a backup that takes two polls.
    arn = ("arn:aws:dynamodb:us-east-1:%s:table/%s/backup/01700000000000-slow0001"
           % (ACCOUNT, TABLE))
    hdr = {"Content-Type": "application/x-amz-json-1.0"}

    def details(name, st):
        return {"BackupArn": arn, "BackupName": name, "BackupStatus": st,
                "BackupType": "USER", "BackupCreationDateTime": 1795246200.0}

    def create(name):
        return json.dumps({"BackupDetails": details(name, "CREATING")})

    def describe(name, st):
        return json.dumps({"BackupDescription": {
            "BackupDetails": details(name, st),
            "SourceTableDetails": {"TableName": TABLE}}})

    p.clear_requests()
    p.status(200, create("slow-1"), headers=hdr, match="CreateBackup")
    p.status(200, describe("slow-1", "CREATING"), headers=hdr, match="DescribeBackup")
    p.status(200, describe("slow-1", "AVAILABLE"), headers=hdr, match="DescribeBackup")
    t0 = time.monotonic()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "backup",
              "dynamodb://" + TABLE, "--name", "slow-1")
    took = time.monotonic() - t0
    tap.ok(res[0] == 0 and "waiting: CREATING" in res[2] and "available:" in res[2],
           "a slow backup is waited for, with its status", show(res))
    tap.is_(len(p.requests_matching("DescribeBackup")), 2, "... polled twice")
    tap.ok(5 < took < 30, "... with a growing interval (2 s, 4 s): %.1f s" % took)
    recs = records(newest(d))
    tap.ok([r["type"] for r in recs][-3:] == ["intent", "result", "session-end"] and
           recs[-2]["data"]["outcome"] == "ok", "... its result is in the log")

    # Ctrl-C stops the waiting, not the backup.
    p.clear()
    p.clear_requests()
    p.status(200, create("slow-2"), headers=hdr, match="CreateBackup")
    p.status(200, describe("slow-2", "CREATING"), headers=hdr, match="DescribeBackup",
             count=None)
    proc = subprocess.Popen([SALVAGE, "--audit-dir", d, "--operate", "--yes",
                             "backup", "dynamodb://" + TABLE, "--name", "slow-2"],
                            env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        p.wait_for_request("DescribeBackup", timeout=30)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        p.clear()
    err = err.decode("utf-8", "replace")
    tap.ok(proc.returncode == 130 and "stopped waiting" in err and arn in err,
           "Ctrl-C while waiting: exit 130, the backup continues", err)
    recs = records(newest(d))
    tap.ok([r["type"] for r in recs][-3:] == ["intent", "result", "session-end"],
           "... and the session still ends cleanly in the log")


def test_write_ahead(m, p, env):
    d = new_dir(m, "wal")
    p.clear_requests()
    p.hold(match="CreateBackup")
    proc = subprocess.Popen([SALVAGE, "--audit-dir", d, "--operate", "--yes",
                             "backup", "dynamodb://" + TABLE, "--name", "held-1"],
                            env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        p.wait_held(timeout=30)
        tap.ok(True, "CreateBackup is held at the proxy")
        tap.ok("held-1" not in backup_names(m), "... moto has not received it")
        ls = logs(d)
        recs = records(ls[-1]) if ls else []
        tap.ok(recs and recs[-1]["type"] == "intent" and
               recs[-1]["data"]["operation"] == "CreateBackup",
               "the intent record is on disk before the request was sent",
               recs[-1:] if recs else "no log")
    finally:
        p.release()
    out, err = proc.communicate(timeout=60)
    tap.is_(proc.returncode, 0, "released: the backup completes")
    recs = records(logs(d)[-1])
    tap.ok([r["type"] for r in recs][-3:] == ["intent", "result", "session-end"],
           "... and the result follows the intent")

    # kill -9 between intent and result.
    d = new_dir(m, "kill")
    p.hold(match="CreateBackup")
    proc = subprocess.Popen([SALVAGE, "--audit-dir", d, "--operate", "--yes",
                             "backup", "dynamodb://" + TABLE, "--name", "killed-1"],
                            env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        p.wait_held(timeout=30)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        p.release()
    killed = logs(d)[-1]
    res = run(env, "--json", "audit", "verify", killed)
    v = json.loads(res[1]) if res[1].strip() else {}
    tap.is_(res[0], 0, "after kill -9: audit verify says the chain is intact")
    tap.ok(v.get("ended") is False and len(v.get("open_intents", [])) == 1 and
           v["open_intents"][0]["operation"] == "CreateBackup",
           "... no session-end, and the last intent has no result", v)
    res = run(env, "--audit-dir", d, "whoami")
    tap.is_(res[0], 0, "the next session runs")
    tap.like(res[2], r"without the result of CreateBackup", "... and warns about it")
    nxt = [x for x in logs(d) if x != killed][-1]
    start = records(nxt)[0]["data"]
    unf = start.get("unfinished", [])
    tap.ok(len(unf) == 1 and unf[0]["session"] == session_of(killed) and
           unf[0]["operation"] == "CreateBackup" and
           unf[0]["target"] == "dynamodb://" + TABLE and
           unf[0]["seq"] == v["open_intents"][0]["seq"],
           "its session-start notes the unfinished intent", start)


def wire_checks(p, bucket, key, body):
    puts = [r for r in p.requests_matching("PUT /%s/%s" % (bucket, key))]
    tap.ok(len(puts) >= 2, "the log was uploaded after each record (%d PUTs)"
           % len(puts))
    last = puts[-1]
    want = base64.b64encode(hashlib.sha256(last["body"]).digest()).decode()
    tap.ok(last["headers"].get("x-amz-checksum-sha256") == want and
           last["headers"].get("x-amz-sdk-checksum-algorithm") == "SHA256",
           "uploads carry x-amz-checksum-sha256 of the body", last["headers"])
    tap.ok(last["body"] == body, "the last upload is the final log")
    return puts


def test_shipping(m, p, env):
    m.aws("s3api", "create-bucket", "--bucket", "audit-v")
    m.aws("s3api", "put-bucket-versioning", "--bucket", "audit-v",
          "--versioning-configuration", "Status=Enabled")
    d = new_dir(m, "ship-v")
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--audit-s3", "s3://audit-v/logs",
              "--operate", "--yes", "backup", "dynamodb://" + TABLE,
              "--name", "shipped-1")
    tap.is_(res[0], 0, "backup with --audit-s3 to a versioned bucket: exit 0")
    tap.unlike(res[2], r"audit:", "... no audit warning")
    path = logs(d)[-1]
    sess = session_of(path)
    key = object_key("logs/", sess)
    body = local_bytes(path)
    tap.ok(get_object(m, "audit-v", key) == body,
           "the S3 copy at PREFIX/ACCOUNT/YYYY/MM/DD/SESSION.jsonl is "
           "byte-identical to the local log")
    vers = m.aws("s3api", "list-object-versions", "--bucket", "audit-v",
                 "--prefix", key)["Versions"]
    tap.ok(len(vers) >= 2, "versioning keeps each rewrite (%d versions)" % len(vers))
    wire_checks(p, "audit-v", key, body)
    dig = json.loads(get_object(m, "audit-v", key[:-len(".jsonl")] + ".digest.json"))
    res = run(env, "--json", "audit", "verify", path)
    v = json.loads(res[1])
    tap.ok(dig["records"] == v["records"] and dig["head"] == v["head"] and
           dig["ended"] is True and
           dig["log_sha256"] == hashlib.sha256(body).hexdigest(),
           "the digest object has the chain head and the record count", dig)
    tap.ok(not glob.glob(os.path.join(d, "spool", "*.json")),
           "nothing left in the spool")
    res = run(env, "audit", "verify", path, "--against",
              "s3://audit-v/" + key)
    tap.is_(res[0], 0, "audit verify --against the S3 copy: exit 0")
    tap.like(res[1], r"identical", "... identical")
    res = run(env, "audit", "verify", "s3://audit-v/" + key)
    tap.is_(res[0], 0, "audit verify s3://...: exit 0")

    # A read-only session ships its log too.
    d = new_dir(m, "ship-ro")
    res = run(env, "--audit-dir", d, "--audit-s3", "s3://audit-v/ro/", "whoami")
    tap.is_(res[0], 0, "a read-only command with --audit-s3: exit 0")
    path = logs(d)[-1]
    try:
        same = get_object(m, "audit-v", object_key("ro/", session_of(path))) == \
            local_bytes(path)
    except Exception as e:
        same = False
        tap.diag(str(e))
    tap.ok(same, "... its log is shipped (read-only mode)", show(res))

    # Object Lock: destination and retention from the config file.
    m.aws("s3api", "create-bucket", "--bucket", "audit-lock",
          "--object-lock-enabled-for-bucket")
    cfgdir = os.path.join(m.tmpdir, "config", "salvage")
    os.makedirs(cfgdir, exist_ok=True)
    with open(os.path.join(cfgdir, "config"), "w") as f:
        f.write("# salvage\naudit_s3 = s3://audit-lock/trail/\n"
                "audit_lock_mode = GOVERNANCE\naudit_lock_days = 30\n")
    d = new_dir(m, "ship-lock")
    p.clear_requests()
    t0 = datetime.datetime.now(datetime.timezone.utc)
    try:
        res = run(env, "--audit-dir", d, "--operate", "--yes", "backup",
                  "dynamodb://" + TABLE, "--name", "locked-1")
    finally:
        os.unlink(os.path.join(cfgdir, "config"))
    tap.is_(res[0], 0, "backup shipping to an Object Lock bucket: exit 0")
    tap.unlike(res[2], r"audit:", "... no audit warning")
    path = logs(d)[-1]
    key = object_key("trail/", session_of(path))
    body = local_bytes(path)
    tap.ok(get_object(m, "audit-lock", key) == body,
           "the Object Lock copy is byte-identical to the local log")
    puts = wire_checks(p, "audit-lock", key, body)
    h = puts[-1]["headers"]
    until = h.get("x-amz-object-lock-retain-until-date", "")
    tap.ok(h.get("x-amz-object-lock-mode") == "GOVERNANCE" and until,
           "uploads carry x-amz-object-lock-mode and -retain-until-date", h)
    try:
        ret = m.aws("s3api", "get-object-retention", "--bucket", "audit-lock",
                    "--key", key)["Retention"]
        mode, date = ret["Mode"], ret["RetainUntilDate"]
        how = "get-object-retention"
    except Exception:
        # moto 5 has no GetObjectRetention: HeadObject shows the same.
        head = m.aws("s3api", "head-object", "--bucket", "audit-lock", "--key", key)
        mode, date = head.get("ObjectLockMode"), head.get("ObjectLockRetainUntilDate")
        how = "head-object (moto lacks get-object-retention)"
    ok_date = False
    try:
        dt = datetime.datetime.fromisoformat(str(date).replace("Z", "+00:00"))
        days = (dt - t0).total_seconds() / 86400
        ok_date = 29.9 < days < 30.1
    except ValueError:
        pass
    tap.ok(mode == "GOVERNANCE" and ok_date,
           "the copy is retained in GOVERNANCE mode for 30 days (%s)" % how,
           "%r %r" % (mode, date))

    # A bucket that rejects the retention headers: never dropped, spooled.
    d = new_dir(m, "ship-lock-rejected")
    bad = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRequest'
           '</Code><Message>Object Lock retention is not allowed here</Message>'
           '<RequestId>R1</RequestId></Error>')
    p.clear_requests()
    p.status(400, bad, headers={"Content-Type": "application/xml"},
             match="PUT /audit-lock/", count=None)
    try:
        res = run(env, "--audit-dir", d, "--audit-s3", "s3://audit-lock/trail/",
                  "--operate", "--yes", "backup", "dynamodb://" + TABLE,
                  "--name", "locked-2")
    finally:
        p.clear()
    tap.is_(res[0], 0, "retention rejected: the backup still succeeds")
    tap.like(res[2], r"Object Lock retention.*never dropped",
             "... a clear warning: retention is never dropped")
    puts = p.requests_matching("PUT /audit-lock/")
    tap.ok(puts and all("x-amz-object-lock-mode" in r["headers"] for r in puts),
           "... no upload was retried without retention (%d PUTs)" % len(puts))
    path = logs(d)[-1]
    tap.ok(os.path.exists(os.path.join(d, "spool", session_of(path) + ".json")),
           "... the log is kept in the spool")
    res = run(env, "--audit-dir", d, "audit", "ship")
    key = object_key("trail/", session_of(path))
    tap.ok(res[0] == 0 and get_object(m, "audit-lock", key) == local_bytes(path),
           "... and audit ship delivers it once the bucket accepts", show(res))


def test_outage(m, p, env):
    d = new_dir(m, "outage")
    res = run(env, "--audit-dir", d, "--audit-s3", "s3://audit-later/logs/",
              "--operate", "--yes", "backup", "dynamodb://" + TABLE,
              "--name", "outage-1")
    tap.is_(res[0], 0, "audit bucket missing: the backup still succeeds")
    tap.ok("outage-1" in backup_names(m), "... and was made")
    tap.like(res[2], r"audit: \d+ records? not yet shipped to s3://audit-later/logs/.*"
             r"run salvage audit ship", "... the exit warning says what is pending",
             )
    path = logs(d)[-1]
    sess = session_of(path)
    tap.ok(os.path.exists(os.path.join(d, "spool", sess + ".json")),
           "... the session is in the spool")
    res = run(env, "--audit-dir", d, "audit", "ls")
    tap.like(res[1], sess + r".*pending", "audit ls shows it pending")

    m.aws("s3api", "create-bucket", "--bucket", "audit-later")
    res = run(env, "--audit-dir", d, "audit", "ship")
    tap.is_(res[0], 0, "audit ship: exit 0")
    key = object_key("logs/", sess)
    tap.ok(get_object(m, "audit-later", key) == local_bytes(path),
           "audit ship delivered a byte-identical copy", show(res))
    tap.ok(not os.path.exists(os.path.join(d, "spool", sess + ".json")),
           "... the spool marker is gone")
    res = run(env, "--audit-dir", d, "audit", "ship")
    tap.ok(res[0] == 0 and "nothing to ship" in res[1],
           "audit ship again: nothing to ship", show(res))
    res = run(env, "--audit-dir", d, "audit", "ls")
    tap.like(res[1], sess + r".*shipped", "audit ls shows it shipped")


def test_unsafe_dir(m, p, env):
    d = new_dir(m, "unsafe")
    os.makedirs(d)
    os.chmod(d, 0o777)
    p.clear_requests()
    res = run(env, "--audit-dir", d, "--operate", "--yes", "backup",
              "dynamodb://" + TABLE, "--name", "unsafe-1")
    tap.ok(res[0] != 0 and "writable" in res[2],
           "a world-writable audit dir: refused, with the reason", show(res))
    tap.is_(len(p.requests_matching("CreateBackup")), 0, "... no CreateBackup sent")
    tap.ok("unsafe-1" not in backup_names(m), "... no backup made")
    os.chmod(d, 0o700)


def test_tamper(m, env):
    d = new_dir(m, "gate")
    path = [x for x in logs(d) if any(r["type"] == "intent" for r in records(x))][0]
    lines = local_bytes(path).split(b"\n")
    lines[2] = lines[2].replace(b"CreateBackup", b"DeleteTable!", 1)
    copy = os.path.join(m.tmpdir, "tampered.jsonl")
    with open(copy, "wb") as f:
        f.write(b"\n".join(lines))
    res = run(env, "audit", "verify", copy)
    tap.is_(res[0], 9, "audit verify of a tampered copy: exit 9")
    tap.like(res[1], r"seq 3 .*hash mismatch", "... naming seq 3 and why")
    lines = local_bytes(path).split(b"\n")
    del lines[1]
    with open(copy, "wb") as f:
        f.write(b"\n".join(lines))
    res = run(env, "audit", "verify", copy)
    tap.ok(res[0] == 9 and "seq 2" in res[1] and "gap" in res[1],
           "a removed record: exit 9, seq 2, gap", show(res))


def test_secrets(m):
    d = new_dir(m, "secrets")
    m.aws("s3api", "create-bucket", "--bucket", "audit-sec")
    env = m.env({"AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
                 "AWS_SESSION_TOKEN": FAKE_TOKEN})
    outs = []
    for args in (["whoami"],
                 ["--operate", "--yes", "backup", "dynamodb://" + TABLE,
                  "--name", "secret-1"],
                 ["--operate", "--yes", "snapshot", "rds://db1", "--name",
                  "secret-snap-1"],
                 ["audit", "ls"], ["audit", "ship"]):
        res = run(env, "--debug", "--audit-dir", d, "--audit-s3",
                  "s3://audit-sec/x/", *args)
        outs.append(res[1] + res[2])
    tap.ok("secret-1" in backup_names(m), "the runs with fake secrets worked",
           outs[1][-2000:])
    tap.ok(any("debug" in o for o in outs), "--debug traced requests")
    files = []
    for root in (d, os.path.join(m.tmpdir, "state"), os.path.join(m.tmpdir, "config"),
                 os.path.join(m.tmpdir, "home")):
        for dp, _, fs in os.walk(root):
            files += [os.path.join(dp, f) for f in fs]
    leaks = []
    for f in files:
        data = local_bytes(f)
        for s in (FAKE_SECRET, FAKE_TOKEN):
            if s.encode() in data:
                leaks.append(f)
    for o in outs:
        for s in (FAKE_SECRET, FAKE_TOKEN):
            if s in o:
                leaks.append("stdout/stderr")
    tap.ok(len(files) >= 3, "salvage wrote files to look at (%d)" % len(files))
    tap.ok(not leaks, "no secret in any file salvage wrote or in its output",
           leaks)
    for path in logs(d):
        key = object_key("x/", session_of(path))
        try:
            data = get_object(m, "audit-sec", key)
        except Exception:
            continue
        tap.ok(FAKE_SECRET.encode() not in data and FAKE_TOKEN.encode() not in data,
               "no secret in the S3 copy of " + session_of(path))
        break


def main():
    if not os.access(SALVAGE, os.X_OK):
        tap.skip_all("salvage is not built: %s" % SALVAGE)
    with Moto() as m:
        seed(m)
        with FaultProxy(m.url) as p:
            env = m.env({"AWS_ENDPOINT_URL": p.url})
            with tap.check("backup and snapshot gate"):
                test_backup_gate(m, p, env)
            with tap.check("typed confirmation and waiting"):
                test_tty_and_wait(m, p, env)
            with tap.check("write-ahead and kill -9"):
                test_write_ahead(m, p, env)
            with tap.check("shipping"):
                test_shipping(m, p, env)
            with tap.check("outage and audit ship"):
                test_outage(m, p, env)
            with tap.check("unsafe audit directory"):
                test_unsafe_dir(m, p, env)
            with tap.check("tampered copy"):
                test_tamper(m, env)
        with tap.check("secrets"):
            test_secrets(m)
    tap.done_testing()


if __name__ == "__main__":
    main()
