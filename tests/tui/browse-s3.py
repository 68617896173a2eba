#!/usr/bin/env python3
"""browse-s3.py - the console's S3 screens against moto: buckets with
their versioning state, the prefix browser (folders, objects with their
latest state, a deleted object marked), and a key's versions (a key with
more than 1000 versions, awkward keys: space, '+', unicode, '//')."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402

BUCKET = "tui-versions"
PLAIN = "tui-plain"
AWKWARD = ["with space.txt", "a+b=c~d.txt", "caf\u00e9/\u65e5\u672c.txt",
           "dir//double", "dir/sub/deep.txt", "dir/file.txt", "top.txt",
           "gone.txt"]
MANY = "many/versions.bin"
NMANY = 1205


def seed(m):
    s3 = m.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET,
                             VersioningConfiguration={"Status": "Enabled"})
    for k in AWKWARD:
        s3.put_object(Bucket=BUCKET, Key=k, Body=b"first " + k.encode())
        s3.put_object(Bucket=BUCKET, Key=k, Body=b"second version of " + k.encode())
    s3.delete_object(Bucket=BUCKET, Key="gone.txt")      # delete marker on top
    for i in range(NMANY):
        s3.put_object(Bucket=BUCKET, Key=MANY, Body=b"v%d" % i)
    s3.create_bucket(Bucket=PLAIN)
    s3.put_object(Bucket=PLAIN, Key="only.txt", Body=b"unversioned")


def open_filtered(t, text):
    """/ text, Enter (keep the filter), Enter (open the first match)."""
    t.send("/")
    t.wait_for(re.compile(r"^/", re.M), timeout=10)
    t.send("C-u")           # the prompt starts with the filter in force
    t.send_text(text)
    t.send("Enter")
    t.wait_for(re.compile(r"match /%s" % re.escape(text)), timeout=10)
    t.send("Enter")


with Moto() as m:
    seed(m)
    with start(m, width=130, height=40) as t:
        ready(t)
        with check("home counts the S3 buckets"):
            t.wait_for(re.compile(r"S3 buckets\s+2 "), timeout=30)

        palette(t, "buckets")
        with check("buckets list: both buckets with their versioning state"):
            scr = t.wait_for(re.compile(r"S3 buckets \(2 buckets\)"), timeout=30)
            t.wait_for(re.compile(r"tui-plain\s+Never enabled"), timeout=30)
            t.wait_for(re.compile(r"tui-versions\s+Enabled"), timeout=30)

        open_filtered(t, "tui-versions")
        with check("prefix browser: folders and objects of the top level"):
            scr = t.wait_for(re.compile(r"s3://tui-versions/ \(\d+ folders, \d+ objects"),
                             timeout=30)
            scr = t.wait_gone("loading", timeout=30)
            for name in ("dir/", "many/", "caf\u00e9/"):
                assert re.search(r"^%s\s+folder" % re.escape(name), scr, re.M), name
            for name in ("top.txt", "with space.txt", "a+b=c~d.txt"):
                assert re.search(r"^%s\s+2\s" % re.escape(name), scr, re.M), name
        with check("the deleted object is marked DELETED"):
            assert re.search(r"^gone\.txt\s+DELETED\s+3\s+-", scr, re.M), scr
            assert "1 deleted" in title(t), title(t)
        with check("title counts 3 folders and 4 objects"):
            assert "(3 folders, 4 objects, 1 deleted)" in title(t), title(t)

        open_filtered(t, "with space")
        with check("a key with a space: its versions"):
            scr = t.wait_for("s3://tui-versions/with space.txt: 2 versions", timeout=30)
            rows = t.lines()
            assert rows[3].startswith("latest version "), rows[3]
            assert re.search(r"^\s+version\s", rows[4]), rows[4]
            assert re.search(r'"[0-9a-f]{16}', scr), "ETag shown"
            assert re.search(r"\d+ B ", scr), "sizes shown"
        t.send("q")
        with check("q goes back to the prefix, its filter kept"):
            t.wait_for("s3://tui-versions/ (", timeout=10)
            t.wait_for("match /with space", timeout=10)

        open_filtered(t, "gone")
        with check("the deleted object's versions: the delete marker is latest"):
            t.wait_for("s3://tui-versions/gone.txt: 2 versions, 1 delete marker",
                       timeout=30)
            rows = t.lines()
            assert re.match(r"latest delete marker\s", rows[3]), rows[3]
        t.send("q")
        t.wait_for("s3://tui-versions/ (", timeout=10)

        open_filtered(t, "a+b")
        with check("a key with '+' and '=': its versions"):
            t.wait_for("s3://tui-versions/a+b=c~d.txt: 2 versions", timeout=30)
        t.send("q")

        # Clearing the filter: '/', then an empty line.
        t.send("/")
        t.wait_for(re.compile(r"^/", re.M), timeout=10)
        t.send("C-u", "Enter")
        with check("an empty filter shows every row again"):
            t.wait_for("(3 folders, 4 objects, 1 deleted)", timeout=10)

        open_filtered(t, "caf")
        with check("a unicode prefix and key"):
            scr = t.wait_for("s3://tui-versions/caf\u00e9/ (0 folders, 1 object)",
                             timeout=30)
            assert "\u65e5\u672c.txt" in scr, scr
        t.send("Enter")
        with check("the unicode key's versions"):
            t.wait_for("s3://tui-versions/caf\u00e9/\u65e5\u672c.txt: 2 versions",
                       timeout=30)
        t.send("q")
        t.wait_for("s3://tui-versions/caf\u00e9/ (", timeout=10)
        t.send("q")
        t.wait_for("s3://tui-versions/ (", timeout=10)

        open_filtered(t, "dir/")
        with check("a folder: its sub-folders, the // one included"):
            scr = t.wait_for("s3://tui-versions/dir/ (2 folders, 1 object)",
                             timeout=30)
            assert re.search(r"^/\s+folder", scr, re.M), scr
            assert re.search(r"^sub/\s+folder", scr, re.M), scr
            assert re.search(r"^file\.txt\s+2", scr, re.M), scr
        # Sorted by name, "/" is first: Enter opens it.
        t.send("g", "Enter")
        with check("the dir// prefix"):
            t.wait_for("s3://tui-versions/dir// (0 folders, 1 object)", timeout=30)
        t.send("Enter")
        with check("the key dir//double: its versions"):
            t.wait_for("s3://tui-versions/dir//double: 2 versions", timeout=30)

        palette(t, "open s3://%s/%s" % (BUCKET, MANY))
        with check("a key with more than 1000 versions: every one, counted"):
            t.wait_for("s3://tui-versions/many/versions.bin: %d versions" % NMANY,
                       timeout=60)
            t.wait_gone("so far", timeout=60)
            rows = t.lines()
            assert rows[3].startswith("latest version "), rows[3]
        t.send("G")
        with check("G goes to the last of them"):
            scr = t.wait_for(lambda s: not s.split("\n")[3].startswith("latest"),
                             timeout=10)
        t.send("g")
        with check("g back to the first (the latest)"):
            t.wait_for(lambda s: s.split("\n")[3].startswith("latest"), timeout=10)

        palette(t, "open s3://%s/" % PLAIN)
        with check("an unversioned bucket: its object"):
            scr = t.wait_for("s3://tui-plain/ (0 folders, 1 object)", timeout=30)
            assert re.search(r"^only\.txt\s+1\s", scr, re.M), scr
        t.send("Enter")
        with check("an unversioned object: one version, id null"):
            scr = t.wait_for("s3://tui-plain/only.txt: 1 version", timeout=30)
            assert re.search(r"latest version .* null ", scr), scr

        palette(t, "quit")
        with check(":quit quits at once with status 0"):
            tap.is_(t.wait_exit(10), 0, "exit status")

tap.done_testing()
