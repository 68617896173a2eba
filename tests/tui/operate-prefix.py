#!/usr/bin/env python3
"""operate-prefix.py - a prefix restored to a point in time from the
console's prefix browser, against moto with the fault proxy in between:

  * a versioned bucket, keys under data/ with awkward names (a space, '+',
    unicode, a deeper level); after a time T two are overwritten, one is
    deleted and one is new (moto's times are whole seconds: the rounds
    are a second boundary apart and T falls between them);
  * read-only: R in the prefix, T typed: the plan shows the right action
    for every key, the same as `salvage restore ... --dry-run --json`;
    c is refused and no mutating request reaches the proxy;
  * --operate: c, the prefix typed: every key's content is its content
    at T again (boto3), the new key is untouched, the results per key;
  * again with D (--delete-new): the new key gets a delete marker and no
    version was deleted (the full version list before and after)."""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import SALVAGE, check, palette, ready, start, tap  # noqa: E402
from moto import Moto                                          # noqa: E402
from faultproxy import FaultProxy                              # noqa: E402

BUCKET = "pit"
PREFIX = "data/"
KEYS = {                                     # key -> content at T
    "data/plain.txt": b"plain at T",
    "data/with space.txt": b"space at T",
    "data/a+b.txt": b"plus at T",
    "data/na\u00efve-\u00e9t\u00e9.txt": b"unicode at T",
    "data/keep.bin": b"\x00\x01 kept",
    "data/sub/deep.txt": b"deep at T",
}
NEW = "data/new file.txt"
WANT = {                                     # the plan's action per key
    "data/plain.txt": "restore-version",
    "data/with space.txt": "restore-version",
    "data/a+b.txt": "undelete",
    "data/na\u00efve-\u00e9t\u00e9.txt": "unchanged",
    "data/keep.bin": "unchanged",
    "data/sub/deep.txt": "unchanged",
    NEW: "leave-new",
}


def next_second(pad=0.15):
    time.sleep(1.0 - time.time() % 1.0 + pad)


def seed(m):
    s3 = m.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET,
                             VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=BUCKET, Key="outside.txt", Body=b"outside before")
    for k, b in KEYS.items():
        s3.put_object(Bucket=BUCKET, Key=k, Body=b)
    next_second()
    t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(time.time())))
    next_second()
    s3.put_object(Bucket=BUCKET, Key="data/plain.txt", Body=b"plain later")
    s3.put_object(Bucket=BUCKET, Key="data/with space.txt", Body=b"space later")
    s3.delete_object(Bucket=BUCKET, Key="data/a+b.txt")
    s3.put_object(Bucket=BUCKET, Key=NEW, Body=b"new after T")
    s3.put_object(Bucket=BUCKET, Key="outside.txt", Body=b"outside later")
    return t


def listing(m):
    """Every version and delete marker in the bucket: {(key, id, marker)}."""
    out = m.client("s3").list_object_versions(Bucket=BUCKET)
    return ({(v["Key"], v["VersionId"], False) for v in out.get("Versions", [])} |
            {(d["Key"], d["VersionId"], True) for d in out.get("DeleteMarkers", [])})


def top(m, key):
    """The latest entry of key: ("version", body) or ("marker", None)."""
    out = m.client("s3").list_object_versions(Bucket=BUCKET, Prefix=key)
    for d in out.get("DeleteMarkers", []):
        if d["Key"] == key and d["IsLatest"]:
            return ("marker", None)
    return ("version", m.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read())


def mutating(p):
    return [r for r in p.requests if r["method"] in ("PUT", "DELETE", "POST")
            and r["service"] == "s3"]


def dry_run(m, t):
    r = subprocess.run([SALVAGE, "--json", "restore", "s3://%s/%s" % (BUCKET, PREFIX),
                        "--to", t, "--dry-run"], env=m.env(), capture_output=True,
                       timeout=60)
    if r.returncode != 0:
        r = subprocess.run([SALVAGE, "restore", "s3://%s/%s" % (BUCKET, PREFIX),
                            "--to", t, "--dry-run", "--json"], env=m.env(),
                           capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    doc = json.loads(r.stdout)
    plan = doc.get("plan", doc)
    return {s["key"]: s["action"] for s in plan["steps"]}


def key_row(action, key):
    return re.compile(r"^\s+%s\s+%s\s" % (re.escape(action), re.escape(key)), re.M)


def plan_prefix(t, when):
    palette(t, "open s3://%s/%s" % (BUCKET, PREFIX))
    t.wait_for(re.compile(r"s3://pit/data/ \(1 folder, 6 objects(, 1 deleted)?\)"),
               timeout=30)
    t.send("R")
    t.wait_for("restore every key under s3://pit/data/ to", timeout=10)
    t.send_text(when)
    t.send("Enter")
    return t.wait_for(re.compile(r"Per-key plan|The plan was refused"), timeout=30)


with Moto() as m, FaultProxy(m.url) as p:
    T = seed(m)
    at_t = {k: ("version", b) for k, b in KEYS.items()}
    with check("the CLI's dry run: the action per key"):
        cli = dry_run(m, T)
        tap.is_(cli, WANT, "dry run: restore-version x2, undelete, leave-new, "
                "unchanged x3")

    # ---- read-only: the plan is the dry run; nothing is sent ----
    with start(m, endpoint=p.url, width=170, height=45) as t:
        ready(t)
        scr = plan_prefix(t, T)
        with check("read-only: the per-key plan, one row per key as the CLI's"):
            assert "Per-key plan" in scr, scr
            scr = t.wait_for("READ-ONLY: nothing will be sent", timeout=10)
            assert re.search(r"Keys\s+7: 2 restore-version, 1 undelete, 0 "
                             r"delete-new, 1 leave-new, 3 unchanged", scr), scr
            for k, a in cli.items():
                assert key_row(a, k).search(scr), (k, a, scr)
            assert re.search(r"Delete new\s+off", scr), scr
        t.send("c")
        with check("read-only: c is refused, no mutating request was sent"):
            t.wait_for("read-only: nothing will be sent; start with --operate",
                       timeout=10)
            tap.is_(mutating(p), [], "no PUT/DELETE/POST reached the proxy")
        t.send("D")
        with check("D: the plan again with --delete-new, still nothing sent"):
            scr = t.wait_for(re.compile(r"Delete new\s+ON"), timeout=30)
            scr = t.wait_for(key_row("delete-new", NEW), timeout=30)
            assert "no version is ever destroyed" in scr, scr
            tap.is_(mutating(p), [], "no mutating request")
        t.send("q")
        t.send("R")
        t.wait_for("restore every key under", timeout=10)
        t.send_text("latest")
        t.send("Enter")
        with check("latest is refused for a prefix, with the reason"):
            t.wait_for("refused: a prefix goes back to a time in the past",
                       timeout=10)
        palette(t, "quit")
        tap.is_(t.wait_exit(30), 0, ":quit exits 0")

    # ---- --operate: confirmed and executed ----
    with start(m, args=["--operate"], endpoint=p.url, width=170, height=45) as t:
        ready(t)
        scr = plan_prefix(t, T)
        n0 = len(mutating(p))
        t.send("c")
        t.wait_for("type the prefix (data/) to confirm", timeout=10)
        t.send_text("data/")
        t.send("Enter")
        with check("confirmed: done, every key verified, per-key results"):
            scr = t.wait_for(re.compile(r"every key under s3://pit/data/ is as it "
                                        r"was at"), timeout=60)
            assert re.search(r"Keys\s+3 of 3 done, 0 failed", scr), scr
            assert re.search(r"ok\s+restore-version\s+data/with space.txt", scr), scr
            assert re.search(r"ok\s+undelete\s+data/a\+b.txt", scr), scr
            assert re.search(r"skip\s+leave-new\s+data/new file.txt", scr), scr
        with check("boto3: every key's content is its content at T"):
            for k in KEYS:
                tap.is_(top(m, k), at_t[k], "%s as at T" % k)
            tap.is_(top(m, NEW), ("version", b"new after T"), "the new key is untouched")
            tap.is_(top(m, "outside.txt"), ("version", b"outside later"),
                    "a key outside the prefix is untouched")
            assert len(mutating(p)) - n0 == 3, mutating(p)[n0:]

        # ---- again, with D: the new key gets a delete marker ----
        t.send("q")
        t.send("q")
        t.send("q")
        before = listing(m)
        scr = plan_prefix(t, T)
        t.send("D")
        t.wait_for(key_row("delete-new", NEW), timeout=30)
        scr = t.wait_for("c confirms (you type the prefix: data/)", timeout=10)
        with check("D: only the new key changes; the others are as at T"):
            for k in KEYS:
                assert key_row("unchanged", k).search(scr), (k, scr)
        t.send("c")
        t.wait_for("type the prefix (data/) to confirm", timeout=10)
        t.send_text("data/")
        t.send("Enter")
        with check("--delete-new: a delete marker on the new key, no version deleted"):
            scr = t.wait_for(re.compile(r"every key under s3://pit/data/ is as it "
                                        r"was at"), timeout=60)
            assert re.search(r"ok\s+delete-new\s+data/new file.txt", scr), scr
            after = listing(m)
            tap.is_(sorted(before - after), [], "no version or marker removed")
            added = sorted(after - before)
            tap.is_(len(added), 1, "one entry added")
            tap.is_((added[0][0], added[0][2]), (NEW, True),
                    "a delete marker on the new key")
            tap.is_(top(m, NEW), ("marker", None), "the new key is hidden")
            for k in KEYS:
                tap.is_(top(m, k), at_t[k], "%s still as at T" % k)
        palette(t, "quit")
        tap.is_(t.wait_exit(30), 0, ":quit exits 0")

tap.done_testing()
