"""A tiny TAP (Test Anything Protocol) producer for salvage's Python tests.

Usage in a test file::

    import tap
    tap.plan(3)                 # or call tap.done_testing() at the end
    tap.ok(x == 1, "x is one")
    tap.is_(got, "expected", "the thing")
    tap.like(text, r"^hello", "greets")
    tap.done_testing()          # prints the plan if not given, exits 0/1

Output goes to stdout, which automake's tap-driver.sh reads; diagnostics
are ``# `` comment lines.  Rules this module enforces so that a broken test
can never look like a passing one:

* An uncaught exception prints a ``not ok`` line carrying the traceback as
  diagnostics, then the plan, and the process exits non-zero.
* A script that ends without ``done_testing()`` (and without a plan that
  matches the number of tests run) gets a ``not ok`` line at exit.
* ``done_testing()`` exits non-zero if any test failed or the plan was not
  met.

Test names must not contain ``#`` (TAP would read the rest as a directive);
any ``#`` is replaced by ``No.`` and newlines by spaces.
"""

import atexit
import re
import sys
import traceback

__all__ = [
    "plan", "done_testing", "ok", "is_", "isnt", "like", "unlike", "skip",
    "skip_all", "diag", "note", "bail_out", "failed", "count", "check",
]

_state = {
    "n": 0,            # tests run so far
    "failed": 0,       # of which failed
    "planned": None,   # plan given up front, or None
    "plan_printed": False,
    "done": False,     # done_testing() or skip_all() or bail_out() called
}


def _out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _clean_name(name):
    name = str(name).replace("\r", " ").replace("\n", " ")
    return name.replace("#", "No.").strip()


def _diag_lines(text):
    for line in str(text).rstrip("\n").split("\n"):
        _out(("# " + line).rstrip())


def diag(text):
    """Print a diagnostic (``# text``); multi-line text gives several lines."""
    _diag_lines(text)


note = diag


def plan(n):
    """Declare the number of tests up front (prints ``1..n``)."""
    if _state["plan_printed"]:
        raise RuntimeError("tap: plan already printed")
    _state["planned"] = int(n)
    _state["plan_printed"] = True
    _out("1..%d" % int(n))


def ok(cond, name, diag=None):
    """Record one test.  Returns bool(cond) so callers can chain."""
    _state["n"] += 1
    n = _state["n"]
    name = _clean_name(name)
    if cond:
        _out("ok %d - %s" % (n, name))
    else:
        _state["failed"] += 1
        _out("not ok %d - %s" % (n, name))
        _diag_lines("  Failed test '%s'" % name)
        if diag is not None:
            _diag_lines(diag)
    return bool(cond)


def is_(got, expected, name, diag=None):
    """Pass if ``got == expected``; on failure show both, and ``diag`` (the
    command's output, say) when given."""
    good = got == expected
    return ok(good, name, None if good else
              "         got: %r\n    expected: %r%s" % (
                  got, expected, "" if diag is None else "\n" + str(diag)))


def isnt(got, unexpected, name):
    good = got != unexpected
    return ok(good, name, None if good else
              "         got: %r\n    expected: anything else" % (got,))


def _search(text, regex):
    if isinstance(regex, re.Pattern):
        return regex.search(text)
    return re.search(regex, text, re.M)


def like(text, regex, name):
    """Pass if ``regex`` (a string or compiled pattern) is found in ``text``."""
    good = isinstance(text, str) and _search(text, regex) is not None
    pat = regex.pattern if isinstance(regex, re.Pattern) else regex
    return ok(good, name, None if good else
              "    %r\n    doesn't match %r" % (text, pat))


def unlike(text, regex, name):
    good = isinstance(text, str) and _search(text, regex) is None
    pat = regex.pattern if isinstance(regex, re.Pattern) else regex
    return ok(good, name, None if good else
              "    %r\n    matches %r" % (text, pat))


def skip(name, why):
    """Record a skipped test (counts as passing)."""
    _state["n"] += 1
    _out("ok %d - %s # SKIP %s" % (_state["n"], _clean_name(name),
                                    _clean_name(why)))
    return True


def skip_all(why):
    """Skip the whole file: prints ``1..0 # SKIP why`` and exits 0.

    Only valid before any test has run."""
    if _state["n"] or _state["plan_printed"]:
        raise RuntimeError("tap: skip_all after tests ran")
    _state["done"] = True
    _state["plan_printed"] = True
    _out("1..0 # SKIP %s" % _clean_name(why))
    sys.exit(0)


def bail_out(why):
    """Abort the whole run: prints ``Bail out! why`` and exits 255."""
    _state["done"] = True
    _out("Bail out! %s" % _clean_name(why))
    sys.exit(255)


def failed():
    """Number of failed tests so far."""
    return _state["failed"]


def count():
    """Number of tests run so far."""
    return _state["n"]


class check:
    """Context manager: run a block as one test; an exception fails it.

        with tap.check("bucket listing works"):
            assert "b" in names

    The exception does not propagate (the rest of the file still runs);
    its traceback becomes the diagnostics."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, etype, value, tb):
        if etype is None:
            ok(True, self.name)
            return False
        if issubclass(etype, (KeyboardInterrupt, SystemExit)):
            return False
        ok(False, self.name,
           "".join(traceback.format_exception(etype, value, tb)))
        return True


def done_testing(n=None):
    """Finish: print the plan if not printed, exit 0 if all passed, else 1."""
    if n is not None and _state["planned"] is None:
        _state["planned"] = int(n)
    _state["done"] = True
    if not _state["plan_printed"]:
        _state["plan_printed"] = True
        _out("1..%d" % (n if n is not None else _state["n"]))
    bad = _state["failed"] > 0
    if _state["planned"] is not None and _state["planned"] != _state["n"]:
        _diag_lines("Looks like you planned %d tests but ran %d."
                    % (_state["planned"], _state["n"]))
        bad = True
    if _state["failed"]:
        _diag_lines("Looks like you failed %d test(s) of %d."
                    % (_state["failed"], _state["n"]))
    sys.stdout.flush()
    sys.exit(1 if bad else 0)


# --- never let a broken test file look green --------------------------------

_prev_excepthook = sys.excepthook


def _excepthook(etype, value, tb):
    if _state["done"]:
        _prev_excepthook(etype, value, tb)
        return
    text = "".join(traceback.format_exception(etype, value, tb))
    _state["n"] += 1
    _state["failed"] += 1
    _state["done"] = True
    try:
        _out("not ok %d - uncaught exception: %s"
             % (_state["n"], _clean_name(etype.__name__)))
        _diag_lines(text)
        if not _state["plan_printed"]:
            _state["plan_printed"] = True
            _out("1..%d" % _state["n"])
    finally:
        # Also to stderr so the log shows it even if stdout is lost.
        sys.stderr.write(text)
        sys.stderr.flush()
    # The interpreter exits with status 1 after an uncaught exception.


sys.excepthook = _excepthook


def _at_exit():
    if _state["done"]:
        return
    # The script ended (sys.exit, or fell off the end) without done_testing.
    if _state["planned"] is not None and _state["planned"] == _state["n"]:
        return  # a complete up-front plan: the driver judges the result
    _state["n"] += 1
    _state["failed"] += 1
    try:
        _out("not ok %d - test script ended without done_testing()"
             % _state["n"])
        if not _state["plan_printed"]:
            _out("1..%d" % _state["n"])
    except Exception:
        pass


# Registered at import: atexit runs handlers last-registered-first, so this
# runs after the cleanups of helpers imported later (Moto, Tui, ...).
atexit.register(_at_exit)

try:
    sys.stdout.reconfigure(line_buffering=True)
except Exception:
    pass
