#!/usr/bin/env python3
"""Self-test of tests/harness/tui.py: run programs in a private tmux server,
read the screen, type, resize, read exit status, and clean up."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # never write into the source tree
sys.path.insert(0, os.path.join(HERE, "..", "harness"))

import tap  # noqa: E402

if not shutil.which("tmux"):
    tap.skip_all("tmux is not installed")

from tui import Tui, process_gone  # noqa: E402


def gone(pid, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process_gone(pid):
            return True
        time.sleep(0.02)
    return False


def server_gone(sock, pid, timeout=5):
    if not gone(pid, timeout):
        return False
    r = subprocess.run(["tmux", "-S", sock, "list-sessions"],
                       capture_output=True)
    return r.returncode != 0


BASE_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}

# --- 1. the brief's script: hello, a line of input, exit 7 ----------------------
script = 'printf "hello\\n"; read x; echo "got $x"; exit 7'
with Tui(["sh", "-c", script], width=80, height=24, env=BASE_ENV) as t:
    scr = t.wait_for("hello", timeout=10)
    tap.like(scr, r"^hello$", "sees hello")
    tap.ok("got" not in scr, "nothing printed before input")
    t.send_text("salvage 1 + 1 = 2; $HOME")   # literal, no key names
    t.send("Enter")
    scr = t.wait_for(re.compile(r"^got .*$", re.M), timeout=10)
    tap.like(scr, r"^got salvage 1 \+ 1 = 2; \$HOME$",
             "sees got ... with the literal text sent")
    tap.is_(t.wait_exit(10), 7, "exit status 7")
    tap.ok(not t.alive(), "pane is dead after exit")
    tap.like(t.display("#{window_width}x#{window_height}"), r"^80x24$",
             "initial size 80x24")
    t.resize(132, 43)
    tap.is_(t.display("#{window_width}x#{window_height}"), "132x43",
            "resize-window to 132x43 is visible via display")
    try:
        t.wait_for("this text never appears", timeout=0.5)
        tap.ok(False, "wait_for times out with an AssertionError")
    except AssertionError as e:
        msg = str(e)
        tap.ok("this text never appears" in msg and "got salvage 1 + 1" in msg,
               "wait_for times out with an AssertionError containing the screen")
    sock, spid = t.sock, t.server_pid
    tmpdir = t.tmpdir
tap.ok(server_gone(sock, spid), "tmux server gone after context exit")
tap.ok(not os.path.exists(tmpdir), "tmpdir removed")

# --- 2. environment, TERM, SIGWINCH, pid and kill ---------------------------------
os.environ["SALVAGE_TUI_LEAK"] = "leaked"
os.environ["TERM"] = "dumb"
env = dict(BASE_ENV, FOO="bar baz 'q'", TERM="xterm")
probe = ('echo "TERM=$TERM FOO=$FOO LEAK=${SALVAGE_TUI_LEAK-unset}"; '
         'trap "echo WINCH \\$(stty size)" WINCH; stty size; echo ready; '
         'while :; do sleep 0.1; done')
with Tui(["sh", "-c", probe], width=100, height=30, env=env) as t:
    scr = t.wait_for("ready", timeout=10)
    m = re.search(r"TERM=(\S+) FOO=(.*) LEAK=(\S+)", scr)
    tap.ok(m is not None, "the program printed its environment", scr)
    if m:
        tap.like(m.group(1), r"^(tmux|screen)-256color$",
                 "TERM inside is tmux-256color or screen-256color")
        tap.is_(m.group(2), "bar baz 'q'", "the env dict reaches the program")
        tap.is_(m.group(3), "unset",
                "variables not in the env dict do not leak in")
    tap.like(scr, r"^30 100$", "stty size inside is 30 100")
    tap.is_(t.size(), (100, 30), "size() is (100, 30)")
    t.resize(90, 20)
    scr = t.wait_for("WINCH 20 90", timeout=10)
    tap.ok(True, "the program got SIGWINCH and sees 20 rows 90 cols")
    tap.is_(t.display("#{window_width}x#{window_height}"), "90x20",
            "display shows 90x20")
    pid = t.pid()
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        cmdline = f.read().split(b"\0")
    tap.ok(cmdline[:2] == [b"sh", b"-c"], "pid() is the program itself",
           repr(cmdline))
    tap.is_(t.exit_status(), None, "exit_status() is None while running")
    t.kill(signal.SIGTERM)
    tap.is_(t.wait_exit(10), -signal.SIGTERM, "killed by SIGTERM reads as -15")
    tap.is_(len(t.lines()), 20, "lines() has one entry per row")
del os.environ["SALVAGE_TUI_LEAK"]

# --- 3. a program left running is killed at exit; keys by name -----------------
with Tui(["sh", "-c", "stty raw -echo; while :; do "
          "c=$(dd bs=1 count=1 2>/dev/null | od -An -tx1); "
          "printf 'key[%s]\\r\\n' \"$c\"; done"],
         env=BASE_ENV) as t:
    time.sleep(0.3)
    t.send("Escape")
    t.wait_for("key[ 1b]", timeout=10)
    t.send("C-a")
    t.wait_for("key[ 01]", timeout=10)
    t.send("Enter")
    t.wait_for("key[ 0d]", timeout=10)
    tap.ok(True, "Escape, C-a and Enter arrive as 1b, 01, 0d")
    pid = t.pid()
tap.ok(gone(pid), "a still-running program is killed on close")

# --- 4. C-c reaches the program; its last output survives a quick exit ------
with Tui(["sh", "-c", "echo ready; sleep 30"], env=BASE_ENV) as t:
    t.wait_for("ready", timeout=10)
    t.send("C-c")
    tap.is_(t.wait_exit(10), -signal.SIGINT, "C-c kills the program: -2")

with Tui(["sh", "-c", "i=0; while [ $i -lt 200 ]; do echo line$i; i=$((i+1)); "
          "done; echo LAST-LINE; exit 3"], env=BASE_ENV, height=10) as t:
    st = t.wait_exit(10)
    tap.is_(st, 3, "a program that prints and exits at once: status 3")
    tap.like(t.screen(), r"(?m)^LAST-LINE$", "its last line is on the screen")

# --- 5. SIGKILL of the test process: the launcher's watchdog cleans up ------
import textwrap  # noqa: E402
child_src = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, %r)
    from tui import Tui
    t = Tui(["sh", "-c", "echo up; sleep 60"]).start()
    t.wait_for("up")
    print(t.server_pid, t.pid(), flush=True)
    time.sleep(120)
""" % os.path.join(HERE, "..", "harness"))
child = subprocess.Popen([sys.executable, "-c", child_src],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
try:
    parts = child.stdout.readline().decode().split()
    if len(parts) != 2:
        child.kill()
        tap.ok(False, "SIGKILL: child started a Tui", child.stderr.read().decode())
    else:
        spid, ppid = int(parts[0]), int(parts[1])
        child.kill()
        child.wait(timeout=10)
        tap.ok(gone(spid, timeout=10) and gone(ppid, timeout=5),
               "SIGKILL of the test process: tmux server and program end")
finally:
    if child.poll() is None:
        child.kill()
        child.wait()

tap.done_testing()
