"""Shared helpers of the console's tmux tests (tests/tui/*.py): where the
binary is, how to start it against a moto, small seeding helpers and a
check() that turns a failed wait into a failed TAP test with the screen.

Every wait is on text (Tui.wait_for), never a fixed sleep."""

import os
import re
import shutil
import sys

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                      # noqa: E402

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))

if not shutil.which("tmux"):
    tap.skip_all("tmux is not installed")

from tui import Tui             # noqa: E402

# A fixed zone for the 't' tests, without needing tzdata installed.
TZ = "CET-1CEST,M3.5.0,M10.5.0/3"


def start(m, args=(), extra=None, width=120, height=36, endpoint=None):
    """salvage (the console) in a private tmux against moto m."""
    env = m.env(extra or {})
    if endpoint is not None:
        env["AWS_ENDPOINT_URL"] = endpoint
    env.setdefault("TZ", TZ)
    return Tui([SALVAGE] + list(args), env=env, width=width, height=height)


def ready(t, timeout=30):
    """Home is up and we know who we are."""
    return t.wait_for("Signed in as", timeout=timeout)


def check(name):
    """with check("..."): a block as one test; a failed wait fails it
    (with the screen in the diagnostics) and the file goes on."""
    return tap.check(name)


def palette(t, line):
    t.send(":")
    t.wait_for(re.compile(r"^:", re.M), timeout=10)
    t.send_text(line)
    t.send("Enter")


def title(t):
    """The title line (second line of the screen)."""
    return t.lines()[1]
