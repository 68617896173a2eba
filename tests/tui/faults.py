#!/usr/bin/env python3
"""faults.py - the console under faults (tests/harness/faultproxy.py
between salvage and moto): keys are handled and drawn while a response is
held; Esc cancels a load; a failed listing shows its error in place and r
retries; a listing that fails part-way says it is incomplete; credentials
that cannot be resolved give a screen-level error with r to retry; SIGTERM
and SIGTSTP/SIGCONT leave the terminal sane (stty -a compared); Ctrl-C
while connecting (a credential_process that hangs) quits at once, status
130, the terminal as it was."""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import SALVAGE, Tui, check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                                    # noqa: E402
from faultproxy import FaultProxy                                        # noqa: E402

PAGED = "paged.bin"
NPAGED = 1100


def seed(m):
    s3 = m.client("s3")
    s3.create_bucket(Bucket="slow-bucket")
    s3.put_bucket_versioning(Bucket="slow-bucket",
                             VersioningConfiguration={"Status": "Enabled"})
    for k in ("a.txt", "b.txt", "c.txt"):
        s3.put_object(Bucket="slow-bucket", Key=k, Body=b"x")
    for i in range(NPAGED):
        s3.put_object(Bucket="slow-bucket", Key=PAGED, Body=b"v%d" % i)
    ddb = m.client("dynamodb")
    ddb.create_table(
        TableName="documents", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])


def child_pid(pid, timeout=10):
    """The first child of pid (salvage under the wrapper shell)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("no child of %d" % pid)


def stty(tty):
    return subprocess.run(["stty", "-a", "-F", tty], capture_output=True,
                          text=True, timeout=10).stdout


with Moto() as m, FaultProxy(m.url) as p:
    seed(m)
    with start(m, endpoint=p.url, width=120, height=36) as t:
        ready(t)

        # ---- responsiveness while a response is held ----
        p.hold(match="GET /slow-bucket?versions")
        palette(t, "open s3://slow-bucket/")
        p.wait_held(timeout=20)
        with check("a held listing shows as loading"):
            t.wait_for("s3://slow-bucket/ (0 folders, 0 objects so far, loading",
                       timeout=10)
        with check("the spinner turns on the loop's own timer"):
            first = title(t)
            t.wait_for(lambda s: s.split("\n")[1] != first and "loading" in s,
                       timeout=5)
        t0 = time.monotonic()
        t.send("?")
        with check("? is handled and drawn while the response is pending"):
            t.wait_for("Help: keys of the prefix screen", timeout=5)
            assert time.monotonic() - t0 < 5
            t.send("j", "j", "k", "G")
            t.send("q")
            t.wait_for("s3://slow-bucket/ (0 folders, 0 objects so far, loading",
                       timeout=5)
            assert len(p.held()) == 1, "still held"
        t.send("Escape")
        with check("Esc cancels the load; the title says incomplete"):
            t.wait_for("s3://slow-bucket/ (0 folders, 0 objects; incomplete: cancelled)",
                       timeout=10)
            t.wait_for("Loading was cancelled", timeout=5)
        p.release()
        t.send("r")
        with check("r loads again"):
            t.wait_for("s3://slow-bucket/ (0 folders, 4 objects)", timeout=30)
        t.send("Escape")
        with check("Esc with nothing loading goes back"):
            t.wait_for("Home: what salvage can browse", timeout=10)

        # ---- a failed listing: the error in place, r retries ----
        p.unavailable(match="ListTables", count=None)
        palette(t, "tables")
        with check("a failed listing shows its error in place"):
            scr = t.wait_for("Press r to retry", timeout=60)
            assert re.search(r"Error: .*(?i:unavailable|503)", " ".join(scr.split())), scr
            assert "incomplete" in title(t), title(t)
            assert t.alive()
        p.clear()
        t.send("r")
        with check("r retries, and it works"):
            t.wait_for("DynamoDB tables (1 table)", timeout=30)
        t.send("q")

        # ---- a listing that fails part-way is never shown as complete ----
        p.unavailable(match=lambda rec: "versions" in rec["path"] and
                      "key-marker" in rec["path"], count=None)
        palette(t, "open s3://slow-bucket/%s" % PAGED)
        with check("a listing that failed after a page: incomplete, rows kept"):
            scr = t.wait_for(re.compile(r"paged\.bin: 1000 versions \(incomplete: "),
                             timeout=60)
            assert "latest" in scr, "the rows loaded are shown"
        p.clear()
        t.send("r")
        with check("r loads all of it"):
            t.wait_for("paged.bin: %d versions" % NPAGED, timeout=60)
            t.wait_gone("so far", timeout=60)
            assert "incomplete" not in title(t), title(t)

        palette(t, "quit")
        tap.is_(t.wait_exit(10), 0, ":quit exits 0")

    # ---- no credentials: a screen-level error, r retries ----
    with start(m, extra={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None,
                         "AWS_SESSION_TOKEN": None}) as t:
        with check("no credentials: a clear error on the home screen"):
            scr = t.wait_for("Cannot connect to AWS", timeout=30)
            assert "r retries" in scr, scr
            assert "account ?" in t.lines()[0], t.lines()[0]
        t.send("r")
        with check("r retries (connecting again), still a clear error"):
            t.wait_for("Cannot connect to AWS", timeout=30)
            assert t.alive()
        t.send("q")
        t.wait_for("Quit salvage? (y/n)", timeout=10)
        t.send("y")
        tap.is_(t.wait_exit(10), 0, "q y quits with 0")

    # ---- the terminal is left sane: Ctrl-Z / fg under a job-control shell ----
    tmp = tempfile.mkdtemp(prefix="salvage-stty-")
    env = m.env({"TZ": "UTC", "PS1": "job$ ", "HISTFILE": "/dev/null"})
    with Tui(["bash", "--norc", "--noprofile", "-i"], env=env, width=100,
             height=30) as t:
        t.wait_for("job$", timeout=10)
        t.send_text("stty -a > %s/before" % tmp)
        t.send("Enter")
        t.send_text(SALVAGE)
        t.send("Enter")
        ready(t)
        t.send("C-z")
        with check("Ctrl-Z: salvage stops and gives the terminal back"):
            t.wait_for(re.compile(r"Stopped"), timeout=10)
            t.wait_for(re.compile(r"^job\$\s*$", re.M), timeout=10)
        t.send_text("stty -a > %s/during; echo STTY-TAKEN-$((40+2))" % tmp)
        t.send("Enter")
        t.wait_for("STTY-TAKEN-42", timeout=10)
        with check("while stopped, stty -a is what it was before"):
            with open("%s/before" % tmp) as f:
                before = f.read()
            with open("%s/during" % tmp) as f:
                during = f.read()
            tap.is_(during, before, "stty -a while stopped")
        t.send_text("fg")
        t.send("Enter")
        with check("fg: the console is redrawn and answers keys"):
            t.wait_for("Home: what salvage can browse", timeout=10)
            t.send("?")
            t.wait_for("Help: keys", timeout=10)
            t.send("q")
            t.wait_for("Home: what salvage can browse", timeout=10)
        palette(t, "quit")
        t.wait_for(re.compile(r"^job\$\s*$", re.M), timeout=15)
        t.send_text("echo EXIT-$?; stty -a > %s/after; echo AFTER-TAKEN-$((40+2))" % tmp)
        t.send("Enter")
        with check(":quit after a suspend: status 0, stty -a as before"):
            t.wait_for("AFTER-TAKEN-42", timeout=15)
            assert "EXIT-0" in t.screen(), t.screen()
            with open("%s/after" % tmp) as f:
                after = f.read()
            tap.is_(after, before, "stty -a after")

    # ---- the terminal is left sane after SIGTERM ----
    wrapper = ('stty -a > %s/before2; "$0"; echo "salvage exit=$?"; '
               'stty -a > %s/after2; echo WRAPPER-DONE; exec sleep 600'
               % (tmp, tmp))
    env = m.env({"TZ": "UTC"})
    with Tui(["/bin/sh", "-c", wrapper, SALVAGE], env=env, width=100,
             height=30) as t:
        ready(t)
        spid = child_pid(t.pid())
        tty = t.display("#{pane_tty}")
        with check("while running, the terminal is in the console's mode"):
            during = stty(tty)
            assert re.search(r"(?<![-\w])-echo\b", during), during
        os.kill(spid, signal.SIGTSTP)
        with check("SIGTSTP without job control (orphaned group): carries on"):
            t.send("?")
            t.wait_for("Help: keys", timeout=10)
            t.send("q")
            t.wait_for("Home: what salvage can browse", timeout=10)
        os.kill(spid, signal.SIGTERM)
        with check("SIGTERM: a clean exit, status 128+15"):
            scr = t.wait_for("WRAPPER-DONE", timeout=15)
            assert "salvage exit=143" in scr, scr
            assert "READ-ONLY" not in scr, "the console's screen is gone"
        with check("SIGTERM: stty -a after equals before"):
            with open("%s/before2" % tmp) as f:
                before = f.read()
            with open("%s/after2" % tmp) as f:
                after = f.read()
            tap.is_(after, before, "stty -a unchanged")

    # ---- Ctrl-C while connecting (a credential_process that hangs) ----
    cfg = os.path.join(tmp, "config")
    with open(cfg, "w") as f:
        f.write("[default]\nregion = us-east-1\n"
                "credential_process = /bin/sleep 300\n")
    env = m.env({"TZ": "UTC", "AWS_CONFIG_FILE": cfg,
                 "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "none")})
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
              "AWS_PROFILE"):
        env.pop(k, None)
    # The shell traps SIGINT (Ctrl-C goes to the whole foreground group)
    # so it outlives salvage and reports; its children get the default.
    wrapper = ('trap "echo shell-got-INT" INT; stty -a > %s/before3; "$0"; '
               'echo "salvage exit=$?"; stty -a > %s/after3; '
               'echo WRAPPER-DONE; exec sleep 600' % (tmp, tmp))
    with Tui(["/bin/sh", "-c", wrapper, SALVAGE], env=env, width=100,
             height=30) as t:
        with check("a hanging credential_process: connecting, Ctrl-C quits"):
            t.wait_for("connecting", timeout=15)
            t0 = time.monotonic()
            t.send("C-c")
            scr = t.wait_for("WRAPPER-DONE", timeout=15)
            assert "salvage exit=130" in scr, scr
            assert time.monotonic() - t0 < 10, "at once, not after the timeout"
        with check("Ctrl-C while connecting: stty -a after equals before"):
            with open("%s/before3" % tmp) as f:
                before = f.read()
            with open("%s/after3" % tmp) as f:
                after = f.read()
            tap.is_(after, before, "stty -a unchanged")

tap.done_testing()
