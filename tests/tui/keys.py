#!/usr/bin/env python3
"""keys.py - the console's keys and prompts against moto: help '?', the
quit question on home, movement, filter '/' then Enter opening the first
match, search, the palette with TAB completion (commands and loaded
names), :region and :profile, resizing below 60x15 and back, NO_COLOR /
--no-color, TERM=dumb and no TTY pointing to the commands."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import SALVAGE, Tui, check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                                    # noqa: E402

COLOR_SGR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|4[0-7]|38;5;\d+|48;5;\d+)[;m]")


def seed(m):
    s3 = m.client("s3")
    for b in ("apple-logs", "banana-data", "cherry-backups", "date-archive"):
        s3.create_bucket(Bucket=b)
    ddb = m.client("dynamodb")
    ddb.create_table(
        TableName="documents", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    # A second profile for :profile.
    env = m.env()
    with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w") as f:
        f.write("[other]\naws_access_key_id = testing\n"
                "aws_secret_access_key = testing\n")
    with open(env["AWS_CONFIG_FILE"], "w") as f:
        f.write("[profile other]\nregion = eu-central-1\n")


def footer(t):
    return t.lines()[-1]


with Moto() as m:
    seed(m)
    with start(m, width=120, height=36) as t:
        ready(t)
        with check("the header: account, region, profile, endpoint, READ-ONLY"):
            top = t.lines()[0]
            assert "account 123456789012" in top, top
            assert "region us-east-1" in top, top
            assert "profile default" in top, top
            assert "endpoint http://127.0.0.1:" in top, top
            assert top.rstrip().endswith("READ-ONLY"), top
        with check("home lists what salvage can browse, with the useful keys"):
            scr = t.screen()
            for what in ("DynamoDB tables", "RDS DB instances", "Aurora DB clusters",
                         "S3 buckets", "AWS Backup vaults", "? help", ": palette",
                         "/ filter"):
                assert what in scr, what

        t.send("?")
        with check("? shows every key of the screen and the palette commands"):
            scr = t.wait_for("Help: keys of the home screen", timeout=10)
            for what in ("quit salvage (asks first)", "open the selected row",
                         "filter rows", "times in UTC or local time", "first row",
                         "refresh", ":open URI", ":tables", ":buckets",
                         ":vaults"):
                assert what in scr, what
            # the palette commands go on below the fold
            t.send("G")
            scr = t.wait_for(":quit", timeout=10)
            for what in (":region NAME", ":profile NAME"):
                assert what in scr, what
            t.send("g")
        t.send("/")
        t.send_text("sort")
        with check("the help can be filtered"):
            t.wait_for(re.compile(r"^/sort$", re.M), timeout=10)
            scr = t.wait_gone("quit salvage", timeout=10)
            assert "sort by the next column" in scr, scr
        t.send("Enter", "q")
        with check("q closes the help"):
            t.wait_for("Home: what salvage can browse", timeout=10)

        t.send("q")
        with check("q on home asks first"):
            t.wait_for("Quit salvage? (y/n)", timeout=10)
        t.send("n")
        with check("n: still here"):
            t.wait_gone("Quit salvage?", timeout=10)
            assert t.alive()
        t.send("Escape")
        with check("Esc on home asks too"):
            t.wait_for("Quit salvage? (y/n)", timeout=10)
        t.send("x")
        t.wait_gone("Quit salvage?", timeout=10)

        # The palette: TAB lists the commands, completes a unique one.
        t.send(":")
        t.wait_for(re.compile(r"^:$", re.M), timeout=10)
        t.send("Tab")
        with check("TAB on an empty palette lists every command"):
            scr = t.wait_for("instances", timeout=10)
            for c in ("buckets", "clusters", "help", "open", "profile", "quit",
                      "region", "tables"):
                assert re.search(r"\b%s\b" % c, scr), c
        t.send_text("bu")
        t.send("Tab")
        with check("TAB completes a command (and a space after it)"):
            t.wait_for(re.compile(r"^:buckets$", re.M), timeout=10)
            tap.is_(t.cursor(), (len(":buckets "), 35), "cursor after the space")
        t.send("Enter")
        with check(":buckets lists the buckets"):
            t.wait_for("S3 buckets (4 buckets)", timeout=30)

        with check("movement: j, k, G, g, PgDn, PgUp, arrows"):
            t.send("G", "Enter")
            t.wait_for("s3://date-archive/ (", timeout=30)
            t.send("q")
            t.wait_for("S3 buckets (4 buckets)", timeout=10)
            t.send("g", "j", "j", "k", "Enter")
            t.wait_for("s3://banana-data/ (", timeout=30)
            t.send("q")
            t.wait_for("S3 buckets (4 buckets)", timeout=10)
            t.send("PageDown", "PageUp", "Down", "Down", "Enter")
            t.wait_for("s3://cherry-backups/ (", timeout=30)
            t.send("q")
            t.wait_for("S3 buckets (4 buckets)", timeout=10)

        t.send("/")
        t.wait_for(re.compile(r"^/$", re.M), timeout=10)
        t.send_text("p")
        with check("the filter applies as it is typed"):
            t.wait_for("2 of 4 buckets match /p", timeout=10)
        t.send_text("s")
        with check("... narrows"):
            t.wait_for("1 of 4 buckets match /ps", timeout=10)
            scr = t.screen()
            assert "cherry-backups" in scr and "apple-logs" not in scr, scr
        t.send("BSpace")
        with check("... and widens again"):
            t.wait_for("2 of 4 buckets match /p", timeout=10)
        t.send("Enter")
        t.wait_gone(re.compile(r"^/p", re.M), timeout=10)
        t.send("Enter")
        with check("filter, then Enter opens the first match"):
            t.wait_for("s3://apple-logs/ (", timeout=30)
        t.send("q")
        t.wait_for("2 of 4 buckets match /p", timeout=10)
        t.send("/")
        t.wait_for(re.compile(r"^/p$", re.M), timeout=10)
        t.send_text("x")
        t.wait_for("0 of 4 buckets match /px", timeout=10)
        t.send("Escape")
        with check("Esc in the filter prompt puts back the filter as it was"):
            t.wait_for("2 of 4 buckets match /p", timeout=10)
            t.wait_gone(re.compile(r"^/p", re.M), timeout=10)
        t.send("/")
        t.wait_for(re.compile(r"^/p$", re.M), timeout=10)
        t.send("C-u", "Enter")
        with check("an empty filter clears it"):
            t.wait_for("S3 buckets (4 buckets)", timeout=10)

        t.send("F3")
        t.wait_for(re.compile(r"^search:", re.M), timeout=10)
        t.send_text("cher")
        t.send("Enter")
        t.send("Enter")
        with check("F3 search selects the match without hiding rows; Enter opens it"):
            t.wait_for("s3://cherry-backups/ (", timeout=30)
        t.send("q")
        with check("the search hid nothing"):
            t.wait_for("S3 buckets (4 buckets)", timeout=10)

        palette(t, "hlep")
        with check("an unknown command says so"):
            t.wait_for("unknown command :hlep", timeout=10)
        palette(t, "help")
        with check(":help opens the help of the screen"):
            t.wait_for("Help: keys of the buckets screen", timeout=10)
            assert "cancel the load in progress; else back" in t.screen()
        t.send("Escape")
        t.wait_for("S3 buckets (4 buckets)", timeout=10)

        # Completion of names loaded so far.
        t.send(":")
        t.wait_for(re.compile(r"^:$", re.M), timeout=10)
        t.send_text("open dynamodb://doc")
        t.send("Tab")
        with check("TAB completes a loaded resource name"):
            t.wait_for(re.compile(r"^:open dynamodb://documents$", re.M), timeout=10)
        t.send("Enter")
        with check(":open dynamodb://documents"):
            t.wait_for("DynamoDB table documents", timeout=30)
        t.send(":")
        t.wait_for(re.compile(r"^:$", re.M), timeout=10)
        t.send_text("open s3://ch")
        t.send("Tab")
        with check("TAB completes a bucket (no space after a prefix)"):
            t.wait_for(re.compile(r"^:open s3://cherry-backups/$", re.M), timeout=10)
            tap.is_(t.cursor(), (len(":open s3://cherry-backups/"), 35),
                    "no space after a prefix")
        t.send("Escape")
        t.wait_gone(re.compile(r"^:open", re.M), timeout=10)

        t.send("Up")   # in a list, not the prompt: harmless
        palette(t, "region eu-west-1")
        with check(":region reconnects in the new region"):
            t.wait_for(re.compile(r"region eu-west-1 .*READ-ONLY"), timeout=30)
            ready(t)
            t.wait_for("Home: what salvage can browse", timeout=10)
        palette(t, "profile other")
        with check(":profile switches profile (and forgets the :region)"):
            t.wait_for(re.compile(r"profile other"), timeout=30)
            ready(t)
            # AWS_REGION beats the profile's region, as in the AWS CLI.
            assert "region us-east-1" in t.lines()[0], t.lines()[0]

        t.resize(40, 10)
        with check("below 60x15 a notice replaces the screen"):
            t.wait_for("terminal too small (need 60", timeout=10)
        t.resize(59, 30)
        with check("59 columns is still too small"):
            t.wait_for("now 59x30", timeout=10)
        t.resize(120, 36)
        with check("enlarged again, the screen comes back"):
            t.wait_for("Home: what salvage can browse", timeout=10)
            t.wait_gone("too small", timeout=10)
            assert t.lines()[0].rstrip().endswith("READ-ONLY")

        with check("colours are used by default"):
            assert COLOR_SGR.search(t.screen(escapes=True)), "colour escapes"

        t.send("q")
        t.wait_for("Quit salvage? (y/n)", timeout=10)
        t.send("y")
        with check("q then y on home quits with status 0"):
            tap.is_(t.wait_exit(10), 0, "exit status")

    with start(m, extra={"NO_COLOR": "1"}) as t:
        ready(t)
        with check("NO_COLOR: no colour escapes at all"):
            esc = t.screen(escapes=True)
            assert not COLOR_SGR.search(esc), repr(esc[:400])
            assert "READ-ONLY" in esc
        t.send("?")
        t.wait_for("Help: keys", timeout=10)
        with check("NO_COLOR: not in the help either"):
            assert not COLOR_SGR.search(t.screen(escapes=True))
        palette(t, "quit")
        t.wait_exit(10)

    with start(m, args=["--no-color"]) as t:
        ready(t)
        with check("--no-color: no colour escapes"):
            assert not COLOR_SGR.search(t.screen(escapes=True))
        palette(t, "quit")
        t.wait_exit(10)

    with start(m, args=["--operate"]) as t:
        ready(t)
        with check("--operate: a loud OPERATE in the header"):
            top = t.lines()[0]
            assert top.rstrip().endswith("OPERATE") and "READ-ONLY" not in top, top
        palette(t, "quit")
        t.wait_exit(10)

    with start(m, args=["tui"]) as t:
        with check("salvage tui opens the console too"):
            ready(t)
        palette(t, "quit")
        t.wait_exit(10)

    env = m.env({"TZ": "UTC"})
    with Tui([SALVAGE], env=env, term="dumb") as t:
        with check("TERM=dumb: a message pointing to the commands, status 2"):
            st = t.wait_exit(15)
            # With the history: tmux's "Pane is dead" line scrolls it.
            scr = t.tmux("capture-pane", "-p", "-J", "-S", "-50", "-t",
                         "salvage-test:0.0")
            tap.is_(st, 2, "exit status 2")
            text = " ".join(scr.split())
            assert "salvage --help" in text and "TERM is dumb" in text, scr

    with check("no TTY: salvage alone prints the usage (status 2)"):
        r = subprocess.run([SALVAGE], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30)
        tap.is_(r.returncode, 2, "status 2")
        assert b"Usage:" in r.stderr, r.stderr
    with check("no TTY: salvage tui explains and points to the commands"):
        r = subprocess.run([SALVAGE, "tui"], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30)
        tap.is_(r.returncode, 2, "status 2")
        assert b"needs a terminal" in r.stderr and b"salvage --help" in r.stderr, r.stderr
    with check("--help mentions salvage tui"):
        r = subprocess.run([SALVAGE, "--help"], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=30)
        assert b"salvage tui" in r.stdout, r.stdout

tap.done_testing()
