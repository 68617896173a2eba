"""Drive a terminal program in a detached tmux session, as a person would.

    from tui import Tui
    with Tui([salvage], env=moto.env(), width=120, height=40) as t:
        t.wait_for("READ-ONLY")
        t.send("Down", "Enter")
        t.send_text("northwind")
        t.wait_for(re.compile(r"versions? of"))
        t.send("q")
        assert t.wait_exit(10) == 0

Each Tui has its own tmux server (``tmux -S <tmpdir>/sock -f /dev/null``),
so nothing of the user's tmux config or sessions leaks in, and the server
is always killed: on context exit, at interpreter exit and on
SIGTERM/SIGINT/SIGHUP of the test process (previous handlers chained).

The program runs with exactly the environment dict given, plus TERM
(tmux-256color when its terminfo exists, else screen-256color; override
with term=).  With env=None the test process's environment is used.

The pane runs a small Python launcher (written to the temp dir, with argv
and env in a JSON file, so a large environment cannot hit tmux's message
size limit).  It forks the program onto the pane's terminal (same process
group, so C-c reaches it), records its pid and precise exit status
(-N for a signal) in files, then keeps the pane's terminal open for a
moment before exiting the same way.  That works around two tmux 3.3a
races seen on a loaded 2-core machine:
  * tmux closes a pane as soon as it has reaped the child, even if the
    child's last output is still unread in the pty: the final lines of a
    program that prints and exits at once were sometimes lost;
  * tmux sometimes misses the SIGCHLD, the child stays a zombie and
    #{pane_dead_status} stays empty (exit_status() also nudges tmux with a
    SIGCHLD of its own).
The launcher also watches the test process: if that dies without cleaning
up (SIGKILL, a harness timeout), it ends the program and the tmux server.

Options: ``remain-on-exit on`` (exit status stays readable), ``status off``
(the pane is exactly width x height), ``window-size manual`` (resize()
sticks).  tmux 3.3a dies if ``window-size`` is set before the first
session exists, so it is set right after new-session.

Set SALVAGE_TEST_KEEP=1 to keep the temp dir (launcher, spec, socket).
"""

import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

__all__ = ["Tui", "TuiError", "default_term", "process_gone"]

SESSION = "salvage-test"

# Runs in the pane: python3 -I launch.py spec.json
_LAUNCHER = r'''# written by tests/harness/tui.py
import json, os, signal, sys, time

with open(sys.argv[1]) as f:
    spec = json.load(f)
# The launcher outlives C-c / C-\ / C-z aimed at the program.  Python-level
# handlers (not SIG_IGN) so that the exec'd program gets the defaults back.
for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
    signal.signal(s, lambda *a: None)
pid = os.fork()
if pid == 0:
    try:
        for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP,
                  signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(s, signal.SIG_DFL)  # Python ignores SIGPIPE
        os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
    except BaseException as e:
        sys.stderr.write("launch: %s: %s\n" % (spec["argv"][0], e))
        sys.stderr.flush()
    os._exit(127)
with open(spec["pidfile"] + ".tmp", "w") as f:
    f.write("%d\n" % pid)
os.rename(spec["pidfile"] + ".tmp", spec["pidfile"])


def watchdog():
    # If the test process dies without cleaning up (SIGKILL, a harness
    # timeout), end the program and this private tmux server.
    import subprocess
    owner = spec["owner"]
    while True:
        time.sleep(1)
        try:
            with open("/proc/%d/stat" % owner) as f:
                alive = f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
        except OSError:
            alive = False
        if not alive:
            try:
                os.kill(pid, signal.SIGHUP)
            except OSError:
                pass
            subprocess.run(["tmux", "-S", spec["sock"], "kill-server"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not spec["keep"]:
                import shutil
                shutil.rmtree(os.path.dirname(spec["sock"]), ignore_errors=True)
            return


if os.path.isdir("/proc/%d" % spec["owner"]):
    import threading
    threading.Thread(target=watchdog, daemon=True).start()
while True:
    try:
        _, st = os.waitpid(pid, 0)
        break
    except InterruptedError:
        continue
code = -os.WTERMSIG(st) if os.WIFSIGNALED(st) else os.WEXITSTATUS(st)
with open(spec["statusfile"] + ".tmp", "w") as f:
    f.write("%d\n" % code)
os.rename(spec["statusfile"] + ".tmp", spec["statusfile"])
# Keep the terminal open until tmux has read the program's last output.
time.sleep(spec["linger"])
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
    time.sleep(1)
os._exit(code & 0xff)
'''

TARGET = SESSION + ":0.0"


class TuiError(RuntimeError):
    pass


def _terminfo_exists(name):
    try:
        r = subprocess.run(["infocmp", name], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=10)
        return r.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        for d in ("/usr/share/terminfo", "/lib/terminfo", "/etc/terminfo"):
            if os.path.exists(os.path.join(d, name[0], name)):
                return True
        return False


_term = None


def default_term():
    global _term
    if _term is None:
        _term = ("tmux-256color" if _terminfo_exists("tmux-256color")
                 else "screen-256color")
    return _term


def process_gone(pid):
    """True if pid is gone or a zombie (in containers PID 1 may reap
    orphaned zombies lazily, ~1.5 s later)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True


def _keep():
    return os.environ.get("SALVAGE_TEST_KEEP", "") not in ("", "0")


# --- cleanup on exit and on signals ------------------------------------------

_live = set()
_live_lock = threading.RLock()
_signals_installed = False


def _cleanup_all():
    with _live_lock:
        live = list(_live)
    for t in live:
        try:
            t.close(force=True)
        except Exception:
            pass


def _install_signal_handlers():
    global _signals_installed
    if _signals_installed:
        return
    if threading.current_thread() is not threading.main_thread():
        return
    _signals_installed = True
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        prev = signal.getsignal(sig)

        def handler(signum, frame, prev=prev):
            _cleanup_all()
            if callable(prev):
                prev(signum, frame)
            elif prev == signal.SIG_IGN:
                return
            else:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)

        signal.signal(sig, handler)


atexit.register(_cleanup_all)


class Tui:
    """Tui(argv, width=80, height=24, env=None, cwd=None, term=None,
        history=2000, linger=0.25)

    argv: a list (run as is) or a string (run by /bin/sh -c).
    env: the program's whole environment (None: os.environ); TERM is set.
    history: tmux scrollback lines; linger: seconds the pane stays open
    after the program exits so its last output is read."""

    def __init__(self, argv, width=80, height=24, env=None, cwd=None,
                 term=None, history=2000, linger=0.25):
        if isinstance(argv, str):
            argv = ["/bin/sh", "-c", argv]
        self.argv = [str(a) for a in argv]
        self.width, self.height = int(width), int(height)
        self.env = dict(os.environ if env is None else env)
        # Always a terminal type that describes tmux (a TERM copied from
        # the developer's environment would be wrong inside tmux).
        self.env["TERM"] = term or default_term()
        self.cwd = cwd
        self.history = history
        self.linger = linger
        self._pidfile = self._statusfile = None
        self.tmpdir = None
        self.sock = None
        self.server_pid = None
        self._closed = True

    # -- lifecycle

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start(self):
        tmp = os.environ.get("TMPDIR", "/tmp")
        # A unix socket path must fit in ~107 bytes.
        if len(tmp) > 60:
            tmp = "/tmp"
        self.tmpdir = tempfile.mkdtemp(prefix="salvage-tui-", dir=tmp)
        self.sock = os.path.join(self.tmpdir, "sock")
        self._closed = False
        with _live_lock:
            _live.add(self)
        _install_signal_handlers()
        launcher = os.path.join(self.tmpdir, "launch.py")
        spec = os.path.join(self.tmpdir, "spec.json")
        self._pidfile = os.path.join(self.tmpdir, "pid")
        self._statusfile = os.path.join(self.tmpdir, "status")
        with open(launcher, "w") as f:
            f.write(_LAUNCHER)
        with open(spec, "w") as f:
            json.dump({"argv": self.argv, "env": self.env,
                       "owner": os.getpid(), "sock": self.sock,
                       "keep": _keep(),
                       "pidfile": self._pidfile,
                       "statusfile": self._statusfile,
                       "linger": self.linger}, f)
        new = ["new-session", "-d", "-s", SESSION,
               "-x", str(self.width), "-y", str(self.height)]
        if self.cwd:
            new += ["-c", str(self.cwd)]
        # Several arguments: tmux execs them directly, no shell -c.
        new += ["--", sys.executable, "-I", launcher, spec]
        try:
            self.tmux("start-server", ";",
                      "set", "-g", "default-terminal", self.env["TERM"], ";",
                      "set", "-g", "remain-on-exit", "on", ";",
                      "set", "-g", "status", "off", ";",
                      "set", "-g", "history-limit", str(self.history), ";",
                      "set", "-g", "default-size",
                      "%dx%d" % (self.width, self.height), ";",
                      *new, ";",
                      "set", "-g", "window-size", "manual")
            self.server_pid = int(self.display("#{pid}"))
        except BaseException:
            self.close()
            raise
        return self

    def close(self, force=False):
        """Kill the tmux server (and so the program) and remove the temp dir."""
        if self._closed and not force:
            return
        self._closed = True
        if self.sock and os.path.exists(self.sock):
            try:
                subprocess.run(self._tmux_argv("kill-server"),
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=10,
                               env=self._client_env())
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.server_pid:
            # In case kill-server did not get through.
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                if process_gone(self.server_pid):
                    break
                time.sleep(0.02)
            else:
                try:
                    os.kill(self.server_pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        with _live_lock:
            _live.discard(self)
        if self.tmpdir:
            if _keep():
                sys.stderr.write("SALVAGE_TEST_KEEP: tui temp dir kept: %s\n"
                                 % self.tmpdir)
            else:
                shutil.rmtree(self.tmpdir, ignore_errors=True)

    # -- raw tmux

    def _client_env(self):
        e = dict(os.environ)
        e.pop("TMUX", None)
        e.pop("TMUX_PANE", None)
        return e

    def _tmux_argv(self, *args):
        return ["tmux", "-S", self.sock, "-f", "/dev/null"] + list(args)

    def tmux(self, *args, timeout=10):
        """Run a tmux command against this server; returns its stdout."""
        r = subprocess.run(self._tmux_argv(*args), capture_output=True,
                           timeout=timeout, env=self._client_env(),
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise TuiError("tmux %s: exit %d: %s"
                           % (" ".join(args), r.returncode,
                              r.stderr.decode("utf-8", "replace").strip()))
        return r.stdout.decode("utf-8", "replace")

    def display(self, fmt):
        """``tmux display -p -t PANE FMT`` (without the trailing newline)."""
        return self.tmux("display-message", "-p", "-t", TARGET, fmt).rstrip("\n")

    # -- input

    def send(self, *keys):
        """Send tmux key names (``Enter``, ``Escape``, ``Up``, ``C-c``, ``q``,
        ``F5``, ``BSpace``, ...)."""
        if keys:
            self.tmux("send-keys", "-t", TARGET, *keys)

    def send_text(self, s):
        """Send literal text (no key-name lookup)."""
        if s:
            self.tmux("send-keys", "-t", TARGET, "-l", "--", s)

    def paste(self, s):
        """Paste text as a bracketed paste if the program asked for it."""
        self.tmux("set-buffer", "-b", "salvage-test", "--", s)
        self.tmux("paste-buffer", "-p", "-d", "-b", "salvage-test", "-t", TARGET)

    # -- output

    def screen(self, escapes=False):
        """The visible pane as text, one line per row.  tmux trims trailing
        blanks of every line, so wait for "prompt$", not "prompt$ ".
        escapes=True keeps colours/attributes (-e)."""
        args = ["capture-pane", "-p", "-t", TARGET]
        if escapes:
            args.insert(2, "-e")
        return self.tmux(*args)

    def lines(self):
        """The screen as a list of exactly `height` strings."""
        rows = self.screen().split("\n")
        if rows and rows[-1] == "":
            rows.pop()
        rows += [""] * (self.size()[1] - len(rows))
        return rows

    def cursor(self):
        """(x, y) of the cursor, 0-based."""
        x, y = self.display("#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def size(self):
        """(width, height) of the window."""
        w, h = self.display("#{window_width} #{window_height}").split()
        return int(w), int(h)

    @staticmethod
    def _matches(screen, what):
        if callable(what) and not isinstance(what, re.Pattern):
            return bool(what(screen))
        if isinstance(what, re.Pattern):
            return what.search(screen) is not None
        return str(what) in screen

    def _dump(self, screen):
        w, h = self.width, self.height
        try:
            w, h = self.size()
            status = self.display("dead=#{pane_dead} status=#{pane_dead_status}"
                                  " signal=#{pane_dead_signal}")
        except TuiError as e:
            status = "(tmux: %s)" % e
        rule = "+" + "-" * w + "+"
        body = "\n".join("|%s|" % line.ljust(w)
                         for line in (screen.split("\n") + [""] * h)[:h])
        return "--- screen %dx%d, pane %s ---\n%s\n%s\n%s" % (
            w, h, status, rule, body, rule)

    def wait_for(self, what, timeout=15, interval=0.05):
        """Poll the screen until `what` (a substring, a compiled regex, or a
        callable on the screen text) matches; return the screen.  On timeout
        raise AssertionError with the full screen dump.  Lines have their
        trailing blanks trimmed (see screen())."""
        deadline = time.monotonic() + timeout
        matched, settle = None, None
        while True:
            scr = self.screen()
            if self._matches(scr, what):
                # tmux can show a frame half drawn (a new header over the
                # old body): prefer a screen seen twice in a row, for at
                # most a second (a clock may keep it moving).
                if matched is not None and (scr == matched or
                                            time.monotonic() >= settle):
                    return scr
                if matched is None:
                    settle = time.monotonic() + 1.0
                matched = scr
                time.sleep(interval)
                continue
            if matched is not None:
                return matched      # it was there and went: as before
            if time.monotonic() >= deadline:
                pat = what.pattern if isinstance(what, re.Pattern) else what
                raise AssertionError("timed out after %gs waiting for %r\n%s"
                                     % (timeout, pat, self._dump(scr)))
            time.sleep(interval)

    def wait_gone(self, what, timeout=15, interval=0.05):
        """Poll until `what` no longer matches; return the screen."""
        deadline = time.monotonic() + timeout
        while True:
            scr = self.screen()
            if not self._matches(scr, what):
                return scr
            if time.monotonic() >= deadline:
                pat = what.pattern if isinstance(what, re.Pattern) else what
                raise AssertionError("timed out after %gs waiting for %r to go"
                                     "\n%s" % (timeout, pat, self._dump(scr)))
            time.sleep(interval)

    def wait_stable(self, quiet=0.3, timeout=15):
        """Wait until the screen has not changed for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            scr = self.screen()
            if scr != last:
                last, since = scr, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return scr
        raise AssertionError("screen never settled in %gs\n%s"
                             % (timeout, self._dump(last)))

    # -- the program

    def resize(self, width, height):
        """Resize the window (the program gets SIGWINCH)."""
        self.tmux("resize-window", "-t", SESSION, "-x", str(int(width)),
                  "-y", str(int(height)))
        self.width, self.height = int(width), int(height)

    def pid(self, timeout=10):
        """The program's pid (a child of the pane's launcher process)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with open(self._pidfile) as f:
                    return int(f.read())
            except (OSError, ValueError):
                pass
            if time.monotonic() >= deadline:
                raise TuiError("the launcher never reported the program's pid"
                               "\n%s" % self._dump(self.screen()))
            time.sleep(0.02)

    def kill(self, sig=signal.SIGTERM):
        """Send a signal to the program."""
        os.kill(self.pid(), sig)

    def _status_file(self):
        try:
            with open(self._statusfile) as f:
                return int(f.read())
        except (OSError, ValueError, TypeError):
            return None

    def alive(self):
        """True while the program runs."""
        return self._status_file() is None and self.display("#{pane_dead}") != "1"

    def exit_status(self):
        """None while the program runs (or its last output may still be on
        the way); the exit code, or -N if killed by signal N, once the pane
        is dead."""
        dead, status, sig = self.display(
            "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}").split("|")
        if dead != "1":
            return None
        st = self._status_file()
        if st is not None:
            return st
        # The launcher itself died without reporting (e.g. SIGKILL/SIGHUP).
        if sig:
            return -int(sig)
        if status:
            return int(status)
        # tmux 3.3a quirk: the pty is closed (pane_dead=1) but tmux missed
        # the SIGCHLD, so the launcher stays a zombie and pane_dead_status
        # stays empty.  A SIGCHLD of our own makes tmux run waitpid().
        if self.server_pid:
            try:
                os.kill(self.server_pid, signal.SIGCHLD)
            except (ProcessLookupError, PermissionError):
                pass
        return None

    def wait_exit(self, timeout=15):
        """Wait for the program to end and the pane to close (so the screen
        holds all its output); return its exit status (-N for signal N).
        Raises AssertionError with the screen on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            st = self.exit_status()
            if st is not None:
                return st
            if time.monotonic() >= deadline:
                raise AssertionError("program still running after %gs\n%s"
                                     % (timeout, self._dump(self.screen())))
            time.sleep(0.05)

    def __repr__(self):
        return "<Tui %s %dx%d>" % (self.sock, self.width, self.height)
