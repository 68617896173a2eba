#!/usr/bin/env python3
"""runbook-checklist.py - a runbook session in the console, from
:runbooks to finished steps, against moto:

  * :runbooks lists the built-in runbooks and the operator's own (from
    $XDG_CONFIG_HOME/salvage/runbooks), with their source;
  * Enter on one asks for its variables on the prompt (the default
    shown; a bad value is refused by the engine's type check), then opens
    the checklist with "session: ID" in the header;
  * Enter confirms an info step: it is marked done, the next one current;
  * s skips the current step with a reason: marked skipped, the reason in
    the session file and in `salvage report ID --format json`;
  * an input step takes a value through the prompt, checked by its type;
  * leaving the checklist pauses the session (resumable), and the audit
    log of the console is the session's log."""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import SALVAGE, SRCDIR, check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                                # noqa: E402

FIXTURE = os.path.join(SRCDIR, "tests", "fixtures", "runbooks", "manual.json")


def row(scr, name):
    """The checklist row of a step (its mark and title)."""
    for line in scr.splitlines():
        if re.search(r"\[.\]\s+\d+\s+" + re.escape(name) + r"\b", line):
            return line
    return ""


with Moto() as m:
    extra = {"SALVAGE_RUNBOOK_DIR": os.path.join(SRCDIR, "runbooks")}
    env = m.env(extra)
    rbdir = os.path.join(env["XDG_CONFIG_HOME"], "salvage", "runbooks")
    os.makedirs(rbdir)
    shutil.copy(FIXTURE, rbdir)
    sid = None

    with start(m, args=["--operate"], extra=extra) as t:
        ready(t)
        palette(t, "runbooks")
        with check(":runbooks lists the built-in runbooks and the operator's"):
            scr = t.wait_for(re.compile(r"Runbooks \(\d+ runbooks\)"), timeout=15)
            assert re.search(r"s3-document-recovery\s.*built-in", scr), scr
            assert re.search(r"manual\s+Manual steps only\s+test\s+yours", scr), scr
        t.send("/")
        t.send_text("manual")
        t.send("Enter")
        t.send("Enter")
        with check("Enter asks for the variables, a bad value is refused"):
            t.wait_for("Affected service (service, string):", timeout=10)
            t.send_text("billing")
            t.send("Enter")
            scr = t.wait_for("Ticket (ticket, name) [INC-${date}]:", timeout=10)
            # A name with a space is not a name: asked again.
            t.send_text("bad name")
            t.send("Enter")
            t.wait_for("ticket: 'bad name': a name has only letters",
                       timeout=10)
            t.wait_for("Ticket (ticket, name) [INC-${date}]:", timeout=10)
            t.send("Enter")         # the default
        with check("the checklist opens at the first step, session: ID in the header"):
            scr = t.wait_for("Runbook manual: Manual steps only (step 1 of 5",
                             timeout=15)
            mt = re.search(r"session: (\S+)", t.lines()[0])
            assert mt, t.lines()[0]
            sid = mt.group(1)
            assert "[>]" in row(scr, "Scope"), row(scr, "Scope")
            assert "[ ]" in row(scr, "Notify"), row(scr, "Notify")
            assert "Recovery of billing." in scr, scr
            assert "Read, then confirm" in scr, scr
            assert re.search(r"Elapsed \d\d:\d\d of RTO target 30 min", scr), scr
        t.send("Enter")
        with check("Enter confirms the info step: done, the next one current"):
            scr = t.wait_for("(step 2 of 5", timeout=10)
            assert "[x]" in row(scr, "Scope"), row(scr, "Scope")
            assert "[>]" in row(scr, "Notify"), row(scr, "Notify")
            assert "Tell the owners of billing (ticket INC-" in scr, scr
        t.send("s")
        t.wait_for("skip this step: the reason", timeout=10)
        t.send_text("owners already paged")
        t.send("Enter")
        with check("s skips with a reason: marked skipped"):
            scr = t.wait_for("(step 3 of 5", timeout=10)
            assert "[-]" in row(scr, "Notify"), row(scr, "Notify")
        t.send("Enter")
        with check("an input step: the value is checked by its type"):
            t.wait_for("When did it start", timeout=10)
            t.send_text("not a time")
            t.send("Enter")
            scr = t.wait_for("(step 3 of 5", timeout=10)
            t.send("y")
            t.wait_for("When did it start", timeout=10)
            t.send_text("2026-01-02T03:04:05Z")
            t.send("Enter")
            scr = t.wait_for("(step 4 of 5", timeout=10)
            assert "[x]" in row(scr, "Time of the damage"), scr
        t.send("q")
        with check("leaving the checklist pauses the session"):
            t.wait_for("paused at step 4", timeout=10)
        palette(t, "quit")
        tap.is_(t.wait_exit(20), 0, "the console exits 0")

    with check("the session file: done, skipped with the reason, paused"):
        path = os.path.join(env["XDG_STATE_HOME"], "salvage", "sessions",
                            sid + ".json")
        with open(path) as f:
            st = json.load(f)
        steps = st["steps"]
        tap.is_(steps[0]["status"], "done", "scope: done")
        tap.is_(steps[1]["status"], "skipped", "notify: skipped")
        tap.is_(steps[1].get("reason"), "owners already paged", "the reason")
        tap.is_(steps[2]["status"], "done", "when: done")
        tap.is_(st["state"], "paused", "paused")
    with check("salvage report ID --format json has the skip and its reason"):
        r = subprocess.run([SALVAGE, "report", sid, "--format", "json"],
                           capture_output=True, env=env, timeout=60)
        tap.is_(r.returncode, 0, "report: exit 0")
        rep = json.loads(r.stdout)
        notify = [s for s in rep["steps"] if s["id"] == "notify"][0]
        tap.is_(notify["outcome"], "skipped: owners already paged", "outcome")
    with check("the console's audit log is the session's"):
        log = os.path.join(env["XDG_STATE_HOME"], "salvage", "audit",
                           sid + ".jsonl")
        with open(log) as f:
            recs = [json.loads(x) for x in f]
        types = [r["type"] for r in recs]
        assert types[0] == "session-start", types
        assert recs[0]["data"]["frontend"] == "tui", recs[0]
        assert "runbook-start" in types, types
        assert "session-end" not in types, "left open for the resume"

tap.done_testing()
