#!/usr/bin/env python3
"""runbooks-plain.py - a runbook session in plain mode, answered through a
pipe, against moto: `s3-document-recovery` brings back the version of a
document from before it was overwritten.

  * the first line is "session: ID"; every prompt ends in "> " and the
    piped answer is echoed after it, line by line;
  * answers: yes/done, skip REASON, note TEXT, a value, the default (an
    empty line), the target's name before the change (a wrong name is
    refused, recorded, and changes nothing), abort;
  * the document is current again at the old content (a new version: the
    history is kept), verified equal to the version chosen;
  * end of input pauses the session (exit 130, resumable); `resume`
    continues it in the same audit chain;
  * read-only (no --operate): the change is refused at its step; the
    operator can skip it with a reason.
"""

import json
import os
import subprocess
import sys
import time

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
KEY = "reports/q3 summary.txt"


def run(env, *args, answers=None, timeout=120):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env,
                       input=("\n".join(answers) + "\n").encode() if answers
                       is not None else b"", capture_output=True, timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def records(path):
    with open(path) as f:
        return [json.loads(x) for x in f]


def seed(m):
    s3 = m.client("s3")
    s3.create_bucket(Bucket="docs")
    s3.put_bucket_versioning(Bucket="docs",
                             VersioningConfiguration={"Status": "Enabled"})
    good = s3.put_object(Bucket="docs", Key=KEY, Body=b"revenue: 1200\n")
    time.sleep(1.5)
    s3.put_object(Bucket="docs", Key=KEY, Body=b"revenue: ???\n")
    out = s3.list_object_versions(Bucket="docs", Prefix=KEY)
    bad = [v for v in out["Versions"] if v["IsLatest"]][0]
    return good["VersionId"], bad["LastModified"].strftime("%Y-%m-%dT%H:%M:%SZ")


def body(m):
    return m.client("s3").get_object(Bucket="docs", Key=KEY)["Body"].read()


def test_pipe(m, env, good, incident):
    answers = [
        "maybe",                        # not an answer: asked again
        "yes",                          # identify
        "skip the owner reported it",   # notify
        incident,                       # time of the damage
        "",                             # the default point: just before it
        "q3.txt",                       # wrong name: refused
        KEY,                            # the change, confirmed by its name
        "note CDN cache invalidated",   # consumers: a note first
        "done",
        "restored the version from before the bad upload",
        "done",
    ]
    res = run(env, "--operate", "run", "s3-document-recovery", "--plain",
              "--var", "bucket=docs", "--var", "key=" + KEY, answers=answers)
    out = res[1]
    tap.is_(res[0], 0, "plain session through a pipe: exit 0")
    if res[0] != 0:
        tap.diag(show(res))
    lines = out.splitlines()
    tap.like(lines[0] if lines else "", r"^session: \d{8}T\d{6}Z-[0-9a-f]{8}$",
             "the first line is the session id")
    sid = lines[0].split()[1] if lines else "none"
    prompts = [x for x in lines if "> " in x and not x.startswith("  ")]
    tap.ok(len(prompts) >= len(answers) - 1, "a prompt per answer", prompts)
    tap.ok(any(x.endswith("> maybe") for x in prompts) and
           any(x.endswith("> yes") for x in prompts) and
           any(x.endswith("> " + KEY) for x in prompts),
           "... each ends in '> ' followed by the echoed answer")
    tap.like(out, r"! answer yes \(or done\), skip REASON, note TEXT or abort",
             "an answer that does not fit is explained")
    tap.like(out, r"! 'q3\.txt' is not '%s': nothing was changed" % KEY,
             "a wrong name is refused")
    tap.like(out, r"=> skipped: the owner reported it",
             "skip REASON skips the step")
    tap.like(out, r"version = %s" % good, "the point: the version before the "
             "damage (the default)")
    tap.like(out, r"verified: s3://docs/%s equals" % KEY, "verified equal")
    tap.is_(body(m), b"revenue: 1200\n", "the document is back")
    vs = m.client("s3").list_object_versions(Bucket="docs", Prefix=KEY)["Versions"]
    tap.is_(len(vs), 3, "... as a new version: the history is kept")

    res2 = run(env, "report", sid, "--format", "json")
    rep = json.loads(res2[1]) if res2[0] == 0 else {}
    st = {s["id"]: s for s in rep.get("steps", [])}
    tap.is_(st.get("notify", {}).get("status"), "skipped", "report: the skip")
    tap.is_(st.get("notify", {}).get("reason"), "the owner reported it",
            "... with its reason")
    tap.is_(st.get("restore", {}).get("how"), "pipe",
            "... the change confirmed through the pipe")
    tap.ok(st.get("restore", {}).get("confirmed_by", "").startswith("arn:"),
           "... by the operator's identity")
    pts = rep.get("points", [])
    tap.ok(len(pts) == 1 and pts[0]["value"] == good and
           pts[0]["data_loss_ms"] == 0, "... the point chosen, no data lost", pts)

    recs = records(rep.get("audit", {}).get("path", os.devnull))
    conf = [r["data"] for r in recs if r["type"] == "confirm"]
    tap.ok(any(c.get("typed") == "q3.txt" and c["accepted"] is False for c in conf),
           "audit: the refused name is recorded")
    tap.ok(any(c.get("typed") == KEY and c["accepted"] is True and
               c["how"] == "pipe" for c in conf), "audit: the accepted one too")
    notes = [r["data"]["text"] for r in recs if r["type"] == "note"]
    tap.ok("CDN cache invalidated" in notes, "audit: note TEXT")
    tap.ok("restored the version from before the bad upload" in notes,
           "audit: the note step")
    ends = [r["data"] for r in recs if r["type"] == "step-end"]
    tap.ok(len(ends) == 9 and all("duration_ms" in e for e in ends),
           "audit: every step's outcome and duration")


def test_eof_abort(m, env, incident):
    res = run(env, "run", "s3-document-recovery", "--plain", "--var", "bucket=docs",
              "--var", "key=" + KEY, answers=["yes"])
    tap.is_(res[0], 130, "end of input: exit 130")
    tap.like(res[1], r"paused \(end of input\): salvage resume", "... paused, "
             "resumable")
    sid = res[1].splitlines()[0].split()[1]
    res = run(env, "--json", "sessions")
    ses = {s["session"]: s for s in json.loads(res[1])}
    tap.ok(ses.get(sid, {}).get("state") == "paused" and
           ses[sid]["step"] == "notify", "sessions: paused at notify")

    # Resumed read-only: the restore is refused at its step, then skipped.
    res = run(env, "resume", sid, "--plain", answers=[
        "done", incident, "", "skip read-only drill", "abort"])
    tap.like(res[1].splitlines()[0] if res[1] else "", r"^session: " + sid + "$",
             "resume: the first line is the same session id")
    tap.like(res[1], r"resuming at step 2/9 \(notify\)", "... at the step where "
             "it stood")
    tap.like(res[1], r"read-only: resume the session with --operate",
             "... read-only: the change is refused at its step")
    tap.like(res[1], r"=> skipped: read-only drill",
             "... and can be skipped with a reason")
    tap.is_(res[0], 130, "abort: exit 130, resumable")
    tap.is_(body(m), b"revenue: 1200\n", "nothing was changed")
    path = os.path.join(env["XDG_STATE_HOME"], "salvage", "audit", sid + ".jsonl")
    res = run(env, "audit", "verify", path)
    tap.is_(res[0], 0, "the audit chain of both processes verifies")
    types = [r["type"] for r in records(path)]
    tap.is_(types.count("session-start"), 1, "... one session-start")
    tap.is_(types.count("resumed"), 1, "... one resumed record")
    tap.is_(types.count("runbook-paused"), 2, "... both pauses recorded")
    tap.is_(types.count("session-end"), 0, "... and no session-end: resumable")


def main():
    with Moto() as m:
        env = m.env({"SALVAGE_RUNBOOK_DIR": os.path.join(SRCDIR, "runbooks")})
        good, incident = seed(m)
        test_pipe(m, env, good, incident)
        test_eof_abort(m, env, incident)
    tap.done_testing()


if __name__ == "__main__":
    main()
