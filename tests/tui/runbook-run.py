#!/usr/bin/env python3
"""runbook-run.py - `salvage run RUNBOOK` and `salvage resume ID` on a
terminal open the console on the session's checklist, against moto:

  * run with --var: the checklist at the first step, "session: ID" in the
    header, the variable given used in the step's text;
  * quitting the console mid-session pauses it (exit 130, resumable);
  * resume ID opens the checklist at the same step (the steps before it
    done), and the session is finished from there: the input step's value
    through the prompt, the note step's default, a check with y;
  * the audit log is one chain across both processes and verifies;
  * without a terminal (a pipe), run keeps the plain mode;
  * a choose-point step opens the resource's timeline; Enter there sets
    the variable (latest by default) and the next step is current."""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import SALVAGE, SRCDIR, check, ready, start, tap, title  # noqa: E402
from moto import Moto                                                # noqa: E402

FIXTURE = os.path.join(SRCDIR, "tests", "fixtures", "runbooks", "manual.json")
CHOOSE = {
    "id": "choose", "title": "Choose a point", "description": "choose-point",
    "scenario": "test", "rto_minutes": 30,
    "variables": [
        {"name": "table", "prompt": "Table", "type": "dynamodb-table"},
        {"name": "point", "prompt": "Point", "type": "string"}],
    "steps": [
        {"id": "point", "type": "choose-point", "title": "Choose the point",
         "text": "Pick one.", "resource": "dynamodb://${table}", "var": "point"},
        {"id": "after", "type": "info", "title": "After", "text": "Point: ${point}."}],
}


def row(scr, name):
    for line in scr.splitlines():
        if re.search(r"\[.\]\s+\d+\s+" + re.escape(name) + r"\b", line):
            return line
    return ""


with Moto() as m:
    env = m.env()
    rbdir = os.path.join(env["XDG_CONFIG_HOME"], "salvage", "runbooks")
    os.makedirs(rbdir)
    shutil.copy(FIXTURE, rbdir)
    sid = None

    with start(m, args=["run", "manual", "--var", "service=payments",
                        "--var", "ticket=INC-42"]) as t:
        with check("run on a terminal opens the checklist, session: ID in the header"):
            scr = t.wait_for("Runbook manual: Manual steps only (step 1 of 5",
                             timeout=30)
            mt = re.search(r"session: (\S+)", t.lines()[0])
            assert mt, t.lines()[0]
            sid = mt.group(1)
            assert "Recovery of payments." in scr, scr
            assert "[>]" in row(scr, "Scope"), scr
        t.send("Enter")
        with check("Enter confirms; the next step is current"):
            scr = t.wait_for("(step 2 of 5", timeout=10)
            assert "[x]" in row(scr, "Scope"), scr
            assert "Tell the owners of payments (ticket INC-42)." in scr, scr
        t.send("q")
        with check("q asks before quitting"):
            t.wait_for("Quit salvage? (y/n)", timeout=10)
        t.send("y")
        tap.is_(t.wait_exit(20), 130, "quit mid-session: exit 130 (paused)")

    path = os.path.join(env["XDG_STATE_HOME"], "salvage", "sessions",
                        sid + ".json")
    with check("the session is paused at step 2"):
        with open(path) as f:
            st = json.load(f)
        tap.is_(st["state"], "paused", "paused")
        tap.is_(st["steps"][0]["status"], "done", "scope: done")
        tap.ok(st["steps"][1]["status"] in ("running", "pending"),
               "notify: not done (%s)" % st["steps"][1]["status"])

    with start(m, args=["resume", sid]) as t:
        with check("resume ID opens the checklist at the same step"):
            scr = t.wait_for("Runbook manual: Manual steps only (step 2 of 5",
                             timeout=30)
            assert "session: %s" % sid in t.lines()[0], t.lines()[0]
            assert "[x]" in row(scr, "Scope"), scr
            assert "[>]" in row(scr, "Notify"), scr
        t.send("y")
        t.wait_for("(step 3 of 5", timeout=10)
        t.send("Enter")
        t.wait_for("When did it start", timeout=10)
        t.send_text("-1h")
        t.send("Enter")
        with check("the input step's value, then the note step's default"):
            t.wait_for("(step 4 of 5", timeout=10)
            t.send("Enter")
            t.wait_for("[nothing unusual]:", timeout=10)
            t.send("Enter")
            t.wait_for("(step 5 of 5", timeout=10)
        t.send("y")
        with check("the last check: the session is finished"):
            scr = t.wait_for("Runbook manual: Manual steps only (5 steps, finished)",
                             timeout=10)
            for name in ("Scope", "Notify", "Time of the damage", "Record", "Close"):
                assert "[x]" in row(scr, name), scr
        t.send("q")
        t.wait_for("Quit salvage? (y/n)", timeout=10)
        t.send("y")
        tap.is_(t.wait_exit(20), 0, "a finished session: exit 0")

    with check("the state file: finished, the variables set"):
        with open(path) as f:
            st = json.load(f)
        tap.is_(st["state"], "finished", "finished")
        tap.is_([s["status"] for s in st["steps"]], ["done"] * 5, "every step done")
    with check("one audit chain across both processes, and it verifies"):
        log = os.path.join(env["XDG_STATE_HOME"], "salvage", "audit",
                           sid + ".jsonl")
        with open(log) as f:
            types = [json.loads(x)["type"] for x in f]
        tap.is_(types.count("session-start"), 1, "one session-start")
        assert "runbook-resumed" in types, types
        r = subprocess.run([SALVAGE, "audit", "verify", log],
                           capture_output=True, env=env, timeout=60)
        tap.is_(r.returncode, 0, "salvage audit verify")

    with check("without a terminal, run keeps the plain mode"):
        r = subprocess.run([SALVAGE, "run", "manual", "--var", "service=x"],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           env=env, timeout=60)
        out = r.stdout.decode()
        assert out.startswith("session: "), out
        assert "[1/5] Scope (info)" in out, out
        tap.is_(r.returncode, 130, "end of input: paused")

    m.aws("dynamodb", "create-table", "--table-name", "orders",
          "--key-schema", "AttributeName=k,KeyType=HASH",
          "--attribute-definitions", "AttributeName=k,AttributeType=S",
          "--billing-mode", "PAY_PER_REQUEST")
    m.aws("dynamodb", "update-continuous-backups", "--table-name", "orders",
          "--point-in-time-recovery-specification",
          "PointInTimeRecoveryEnabled=true")
    with open(os.path.join(rbdir, "choose.json"), "w") as f:
        json.dump(CHOOSE, f)
    with start(m, args=["run", "choose", "--var", "table=orders"]) as t:
        t.wait_for("Runbook choose: Choose a point (step 1 of 2", timeout=30)
        # Once the points are listed, the step asks.
        t.wait_for("Enter: the timeline (Enter there takes the point)", timeout=30)
        t.send("Enter")
        with check("choose-point: Enter opens the resource's timeline"):
            t.wait_for("Restore dynamodb://orders: choose the point (Enter takes "
                       "it for the runbook)", timeout=30)
        t.send("Enter")
        with check("Enter on the timeline sets the variable (latest)"):
            # Wait for the checklist itself: the header can reach the
            # terminal a frame before the body that replaces the timeline.
            scr = t.wait_for("Point: latest.", timeout=30)
            assert "(step 2 of 2" in scr, scr
            assert "[x]" in row(scr, "Choose the point"), scr
        t.send("q")
        t.wait_for("Quit salvage? (y/n)", timeout=10)
        t.send("y")
        tap.is_(t.wait_exit(20), 130, "paused: exit 130")

tap.done_testing()
