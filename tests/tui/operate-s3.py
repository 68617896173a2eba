#!/usr/bin/env python3
"""operate-s3.py - S3 restores from an object's versions view, with
--operate, against moto with the fault proxy in between:

  * R on an older version: the plan (s3-version: CopyObject onto the same
    key), c and the key typed: the version becomes current again, history
    kept (aws-cli: the content and one more version);
  * u on a deleted key (a delete marker on top): the plan (s3-undelete:
    DeleteObject of the marker only), confirmed: the key is back (aws-cli),
    its data versions untouched;
  * u on a key that is not deleted, R on a delete marker and on the
    current version: refused with the reason, nothing sent;
  * Enter on a version opens the key's timeline there."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import check, palette, ready, start, tap, title  # noqa: E402
from moto import Moto                                        # noqa: E402
from faultproxy import FaultProxy                            # noqa: E402

BUCKET = "docs"


def seed(m):
    s3 = m.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET,
                             VersioningConfiguration={"Status": "Enabled"})
    for body in (b"one", b"two", b"three"):
        s3.put_object(Bucket=BUCKET, Key="report.txt", Body=body)
    s3.put_object(Bucket=BUCKET, Key="gone.txt", Body=b"still here")
    s3.delete_object(Bucket=BUCKET, Key="gone.txt")


def body(m, key):
    return m.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()


def versions(m, key):
    out = m.aws("s3api", "list-object-versions", "--bucket", BUCKET,
                "--prefix", key)
    return ([v for v in out.get("Versions", []) if v["Key"] == key],
            [d for d in out.get("DeleteMarkers", []) if d["Key"] == key])


def mutating(p):
    return [r for r in p.requests if r["method"] in ("PUT", "DELETE", "POST")
            and r["service"] == "s3"]


with Moto() as m, FaultProxy(m.url) as p:
    seed(m)
    vs, _ = versions(m, "report.txt")
    oldest = [v for v in vs if not v["IsLatest"]][-1]
    first_vid = oldest["VersionId"]  # S3 lists newest first
    with start(m, args=["--operate"], endpoint=p.url, width=150, height=40) as t:
        ready(t)

        # ---- a version restore ----
        palette(t, "open s3://%s/report.txt" % BUCKET)
        t.wait_for("s3://docs/report.txt: 3 versions", timeout=30)
        t.send("g")
        t.send("R")
        with check("R on the current version: refused, nothing planned"):
            t.wait_for("this version is already the current one", timeout=10)
        t.send("G")
        t.send("Enter")
        with check("Enter on a version: the key's timeline, on that version"):
            t.wait_for("Restore s3://docs/report.txt: choose the point", timeout=30)
            t.wait_for(re.compile(r"Method\s+version %s of \S+ becomes the current "
                                  r"version again" % re.escape(first_vid)),
                       timeout=10)
        t.send("q")
        t.wait_for("s3://docs/report.txt: 3 versions", timeout=10)
        t.send("G")
        t.send("R")
        with check("R on the oldest version: its plan (CopyObject onto the key)"):
            scr = t.wait_for(re.compile(r"Restore plan: s3://docs/report.txt -> "
                                        r"s3://docs/report.txt \(s3-version\)"),
                             timeout=30)
            assert first_vid in scr, scr
            assert "CopyObject" in scr, scr
        n0 = len(mutating(p))
        t.send("c")
        t.wait_for("type the target's name (report.txt) to confirm", timeout=10)
        t.send_text("report.txt")
        t.send("Enter")
        with check("confirmed: restored; the oldest content is current again"):
            t.wait_for(re.compile(r"s3://docs/report.txt: usable"), timeout=60)
            tap.is_(body(m, "report.txt"), b"one", "the content is the first version's")
            vs2, _ = versions(m, "report.txt")
            tap.is_(len(vs2), 4, "history kept: one more version")
            assert any(r["method"] == "PUT" for r in mutating(p)[n0:]), \
                "a PUT (copy) was sent"
        t.send("q")
        t.send("q")
        t.wait_for("s3://docs/report.txt: 3 versions", timeout=10)
        t.send("r")
        t.wait_for("s3://docs/report.txt: 4 versions", timeout=30)
        t.send("u")
        with check("u on a key that is not deleted: refused"):
            t.wait_for("s3://docs/report.txt is not deleted", timeout=10)

        # ---- an undelete ----
        palette(t, "open s3://%s/gone.txt" % BUCKET)
        t.wait_for("s3://docs/gone.txt: 1 version, 1 delete marker", timeout=30)
        t.send("g")
        t.send("R")
        with check("R on a delete marker: refused with the reason"):
            t.wait_for("a delete marker cannot be restored", timeout=10)
        n0 = len(mutating(p))
        t.send("u")
        with check("u: the undelete plan (remove the delete marker on top)"):
            scr = t.wait_for(re.compile(r"Restore plan: s3://docs/gone.txt -> "
                                        r"s3://docs/gone.txt \(s3-undelete\)"),
                             timeout=30)
            assert "DeleteObject" in scr, scr
            tap.is_(len(mutating(p)), n0, "nothing sent while planning")
        t.send("c")
        t.wait_for("type the target's name (gone.txt) to confirm", timeout=10)
        t.send_text("gone.txt")
        t.send("Enter")
        with check("confirmed: the key is back, its data version untouched"):
            t.wait_for(re.compile(r"s3://docs/gone.txt: usable"), timeout=60)
            tap.is_(body(m, "gone.txt"), b"still here", "content back")
            vs3, dms = versions(m, "gone.txt")
            tap.is_(len(dms), 0, "the delete marker is gone")
            tap.is_(len(vs3), 1, "the data version is still there")
            dels = [r for r in mutating(p)[n0:] if r["method"] == "DELETE"]
            tap.is_(len(dels), 1, "one DELETE")
            assert "versionId=" in dels[0]["path"], dels[0]["path"]
        palette(t, "quit")
        tap.is_(t.wait_exit(30), 0, ":quit exits 0")

tap.done_testing()
