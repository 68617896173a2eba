#!/usr/bin/env python3
"""runbooks-resume.py - a session killed with SIGKILL loses nothing.

A `quarterly-dr-rehearsal` is run in plain mode through a pipe, on moto,
until the test table has been restored and verified; at the next prompt
the process is killed with kill -9 (as a dropped SSH connection would
leave it). Then:

  * `salvage sessions` lists it, still active, at the step where it
    stood; the state file holds the table the dead process created;
  * `salvage resume ID --unattended --operate` continues at that step (not
    before: the table is not restored twice) and finishes, cleaning up the
    table the first process created as well as its own copies;
  * the audit log is one hash chain across both processes (one
    session-start, one "resumed" record, records of both pids) and
    `salvage audit verify` accepts it; the report has every step once.

A second session is killed while its RestoreTableToPointInTime is in
flight (the fault proxy holds the request, then lets it through after the
kill, as AWS would have received it). The resume does not restore again:
it waits for the target the dead process asked for, records it as the
session's, and cleans it up at the end.
"""

import json
import os
import select
import signal
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
VARS = ["--var", "table=orders", "--var", "bucket=docs", "--var", "key=a.txt",
        "--var", "instance=db1"]


def run(env, *args, timeout=240):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def seed(m):
    m.aws("dynamodb", "create-table", "--table-name", "orders",
          "--key-schema", "AttributeName=k,KeyType=HASH",
          "--attribute-definitions", "AttributeName=k,AttributeType=S",
          "--billing-mode", "PAY_PER_REQUEST")
    m.aws("dynamodb", "put-item", "--table-name", "orders", "--item",
          json.dumps({"k": {"S": "o-1"}}))
    m.aws("dynamodb", "update-continuous-backups", "--table-name", "orders",
          "--point-in-time-recovery-specification",
          "PointInTimeRecoveryEnabled=true")
    s3 = m.client("s3")
    s3.create_bucket(Bucket="docs")
    s3.put_bucket_versioning(Bucket="docs",
                             VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="docs", Key="a.txt", Body=b"hello\n")
    m.aws("rds", "create-db-instance", "--db-instance-identifier", "db1",
          "--db-instance-class", "db.t3.micro", "--engine", "postgres",
          "--master-username", "admin1", "--master-user-password",
          "not-a-real-pw-1", "--allocated-storage", "20")
    m.aws("rds", "create-db-snapshot", "--db-instance-identifier", "db1",
          "--db-snapshot-identifier", "db1-s1")


class Session:
    """salvage run in plain mode with a pipe we answer as we read."""

    def __init__(self, env, args):
        self.p = subprocess.Popen([SALVAGE] + args, env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.out = b""

    def until_prompt(self, timeout=60):
        """Reads until the output ends in a prompt ("> "); returns it."""
        end = time.time() + timeout
        while not self.out.endswith(b"> "):
            left = end - time.time()
            if left <= 0 or self.p.poll() is not None:
                raise RuntimeError("no prompt; output so far:\n" +
                                   self.out.decode("utf-8", "replace"))
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    continue
                self.out += chunk
        return self.out.decode("utf-8", "replace").splitlines()[-1]

    def answer(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()
        self.out += b"\n"   # the prompt is no longer the end of the output


def test_in_flight(m):
    with FaultProxy(m.url) as p:
        env = m.env({"SALVAGE_RUNBOOK_DIR": os.path.join(SRCDIR, "runbooks"),
                     "AWS_ENDPOINT_URL": p.url})
        s = Session(env, ["--operate", "run", "quarterly-dr-rehearsal", "--plain"] +
                    VARS)
        try:
            s.until_prompt()
            sid = s.out.decode().splitlines()[0].split()[1]
            suffix = sid.split("-")[-1]
            s.answer("yes")
            s.until_prompt()
            s.answer("done")
            s.until_prompt()
            s.answer("latest")
            s.until_prompt()
            p.hold(match="RestoreTableToPointInTime")
            s.answer("orders-drtest-" + suffix)
            p.wait_held(timeout=30)
        except Exception as e:  # noqa: BLE001
            tap.ok(False, "driving the second process", str(e))
            s.p.kill()
            return
        os.kill(s.p.pid, signal.SIGKILL)
        s.p.wait()
        p.release()             # AWS got the request; the client never heard
        target = "orders-drtest-" + suffix
        for _ in range(50):
            if target in m.client("dynamodb").list_tables()["TableNames"]:
                break
            time.sleep(0.2)
        tap.ok(target in m.client("dynamodb").list_tables()["TableNames"],
               "killed with the restore in flight: the table was made anyway")
        state = os.path.join(env["XDG_STATE_HOME"], "salvage", "sessions",
                             sid + ".json")
        with open(state) as f:
            st = json.load(f)
        tap.ok(st["acting"] is True and st["current"] == "restore-table",
               "the state says the restore may have been sent")

        res = run(env, "--operate", "resume", sid, "--unattended")
        tap.is_(res[0], 0, "resume after a kill during the restore: exit 0")
        if res[0] != 0:
            tap.diag(show(res))
        tap.like(res[1], r"stopped while this restore was being sent: waiting\s+"
                 r"for\s+dynamodb://" + target, "... waits for the target instead "
                 "of restoring again")
        tap.is_(len(p.requests_matching("RestoreTableToPointInTime")), 1,
                "... exactly one RestoreTableToPointInTime in both processes")
        tap.like(res[1], r"cleaned up: dynamodb://%s" % target,
                 "... and cleans up the table the dead process asked for")
        tap.is_(m.client("dynamodb").list_tables()["TableNames"], ["orders"],
                "only the original table is left")
        path = os.path.join(env["XDG_STATE_HOME"], "salvage", "audit",
                            sid + ".jsonl")
        res = run(env, "audit", "verify", path)
        tap.is_(res[0], 0, "the audit chain verifies (an intent without a result "
                "from the dead process included)")


def main():
    with Moto() as m:
        env = m.env({"SALVAGE_RUNBOOK_DIR": os.path.join(SRCDIR, "runbooks")})
        seed(m)
        s = Session(env, ["--operate", "run", "quarterly-dr-rehearsal", "--plain"] +
                    VARS)
        try:
            s.until_prompt()                        # scope
            text = s.out.decode()
            sid = text.splitlines()[0].split()[1]
            suffix = sid.split("-")[-1]
            s.answer("yes")
            s.until_prompt()                        # announce
            s.answer("done")
            s.until_prompt()                        # table-point
            s.answer("latest")
            prompt = s.until_prompt()               # restore-table: the name
            tap.like(prompt, r"Type orders-drtest-%s to restore" % suffix,
                     "the restore asks for the test table's name")
            s.answer("orders-drtest-" + suffix)
            prompt = s.until_prompt()               # drift-table
            tap.like(s.out.decode(), r"verified: dynamodb://orders-drtest-",
                     "the first process restored and verified the table")
        except Exception as e:  # noqa: BLE001
            tap.ok(False, "driving the first process", str(e))
            s.p.kill()
            tap.done_testing()
            return
        os.kill(s.p.pid, signal.SIGKILL)
        s.p.wait()
        tap.is_(s.p.returncode, -signal.SIGKILL, "killed with SIGKILL at a prompt")

        res = run(env, "--json", "sessions")
        ses = {x["session"]: x for x in json.loads(res[1])} if res[0] == 0 else {}
        tap.ok(ses.get(sid, {}).get("state") == "active" and
               ses[sid].get("step") == "drift-table",
               "sessions: listed, active, at the step where it stood", ses.get(sid))
        state_path = os.path.join(env["XDG_STATE_HOME"], "salvage", "sessions",
                                  sid + ".json")
        with open(state_path) as f:
            st = json.load(f)
        tap.is_([c["uri"] for c in st["created"]],
                ["dynamodb://orders-drtest-" + suffix],
                "the state holds the table the dead process created")

        res = run(env, "--operate", "resume", sid, "--unattended")
        tap.is_(res[0], 0, "resume --unattended --operate: exit 0")
        if res[0] != 0:
            tap.diag(show(res))
        tap.like(res[1].splitlines()[0] if res[1] else "", r"^session: %s$" % sid,
                 "... the first line is the session id")
        tap.like(res[1], r"resuming at step 6/15 \(drift-table\)",
                 "... continues at the step where it stood")
        tap.unlike(res[1], r"\[4/15\]", "... the restore is not made again")
        tap.like(res[1], r"cleaned up: dynamodb://orders-drtest-%s" % suffix,
                 "... and cleans up the table the first process created")
        tap.is_(m.client("dynamodb").list_tables()["TableNames"], ["orders"],
                "only the original table is left")

        path = os.path.join(env["XDG_STATE_HOME"], "salvage", "audit", sid + ".jsonl")
        res = run(env, "audit", "verify", path)
        tap.is_(res[0], 0, "audit verify across both processes: intact")
        tap.like(res[1], r"intact", "... says intact")
        with open(path) as f:
            recs = [json.loads(x) for x in f]
        types = [r["type"] for r in recs]
        tap.is_(types.count("session-start"), 1, "one session-start")
        tap.is_(types.count("resumed"), 1, "one resumed record")
        tap.is_(types[-1], "session-end", "the chain ends with session-end")
        pids = {r["data"]["pid"] for r in recs if r["type"] in
                ("session-start", "resumed")}
        tap.is_(len(pids), 2, "records of two processes")
        starts = [r["data"]["step"] for r in recs if r["type"] == "step-start"]
        tap.is_(starts.count("restore-table"), 1, "restore-table started once")
        tap.is_(starts.count("drift-table"), 2, "drift-table started in both")

        res = run(env, "report", sid, "--format", "json")
        rep = json.loads(res[1]) if res[0] == 0 else {}
        tap.is_(rep.get("state"), "finished", "report: finished")
        tap.is_(len(rep.get("processes", [])), 2, "... two processes")
        tap.ok(all(x["status"] == "done" for x in rep.get("steps", [])),
               "... every step done")
        byid = {x["id"]: x for x in rep.get("steps", [])}
        tap.is_(byid.get("restore-table", {}).get("how"), "pipe",
                "... the restore confirmed through the pipe by the first process")
        tap.is_(byid.get("cleanup", {}).get("how"), "unattended",
                "... the cleanup by the unattended resume")
        tap.ok(rep.get("audit", {}).get("verified") is True, "... chain verified")
        test_in_flight(m)
    tap.done_testing()


if __name__ == "__main__":
    main()
