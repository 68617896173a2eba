#!/usr/bin/env python3
"""The README's scripts/demo: it seeds the Northwind estate into a private
moto, shows it (the guided tour, and the console in a terminal), and
stops moto however it ends. Runs the demo with SALVAGE_BIN set to the
built binary so nothing is built into the (possibly read-only) source
tree."""
import os
import re
import socket
import subprocess
import sys

SRCDIR = os.environ.get("SALVAGE_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))
import tap  # noqa: E402
from tui import Tui  # noqa: E402

SALVAGE = os.environ["SALVAGE"]
DEMO = os.path.join(SRCDIR, "scripts", "demo")


def demo_env():
    env = dict(os.environ)
    env["SALVAGE_BIN"] = SALVAGE
    env["NO_COLOR"] = "1"
    for k in list(env):
        if k.startswith("AWS_"):
            del env[k]
    return env


def port_closed(url):
    m = re.match(r"http://127\.0\.0\.1:(\d+)", url)
    if not m:
        return False
    s = socket.socket()
    try:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", int(m.group(1)))) != 0
    finally:
        s.close()


# --- the tour (--no-shell) ---------------------------------------------------
r = subprocess.run(["bash", DEMO, "--no-shell"], env=demo_env(), stdin=subprocess.DEVNULL,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
out = r.stdout
tap.is_(r.returncode, 0, "scripts/demo --no-shell exits 0")
if r.returncode != 0:
    tap.diag(out[-3000:])
url = re.search(r"moto is listening on (http://\S+)", out)
tap.ok(url is not None, "the demo says where moto listens")
tap.like(out, r"northwind-documents", "the tour lists the document bucket")
tap.like(out, r"northwind-audit", "the tour lists the Object Lock audit bucket")
for table in ("documents", "tasks", "audit-logs"):
    tap.like(out, r"(?m)^\S*\s*%s\b" % re.escape(table), "the tour lists table %s" % table)
tap.like(out, r"northwind-db", "the tour lists the RDS instance")
tap.like(out, r"contracts/", "the tour shows versions under contracts/")
tap.like(out, r"(?i)enabled", "points shows the PITR window of a table")
tap.unlike(out, r"exited with status", "no tour command failed")
tap.ok(url is not None and port_closed(url.group(1)), "moto is stopped after the tour")

# --- the console on a terminal ---------------------------------------------
env = demo_env()
with Tui(["bash", DEMO], width=120, height=35, env=env) as t:
    try:
        t.wait_for("READ-ONLY", timeout=240)
        tap.ok(True, "the demo opens the console, read-only")
        t.wait_for(re.compile(r"(?i)tables"), timeout=30)
        t.send_text(":tables")
        t.send("Enter")
        t.wait_for("audit-logs", timeout=30)
        tap.ok(True, "the console lists the estate's tables")
        t.send("q")
        t.send("q")
        t.wait_for(re.compile(r"Quit salvage\?"), timeout=15)
        t.send("y")
        status = t.wait_exit(timeout=60)
        tap.is_(status, 0, "quitting the console ends the demo with status 0")
    except AssertionError as e:
        tap.ok(False, "console demo: %s" % str(e).splitlines()[0])
        tap.diag(str(e)[-2000:])
tap.done_testing()
