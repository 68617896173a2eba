#!/usr/bin/env python3
"""restore-s3.py - S3 restores end to end against moto, through the CLI,
with the fault proxy in between and aws-cli (or boto3 straight to moto)
as the independent checker:

  * version restore: a new current version with the old content, the
    history one longer and every earlier version kept; a version that is
    already current plans nothing; a delete marker's id, an unknown id
    and a bucket that was never versioned are refused before any change;
  * the multipart path, forced by SALVAGE_S3_MULTIPART_THRESHOLD and
    SALVAGE_S3_PART_SIZE: CreateMultipartUpload, UploadPartCopy with the
    byte ranges, CompleteMultipartUpload, identical content; a part that
    keeps failing aborts the upload and leaves the key as it was;
  * undelete: the marker(s) gone, the previous version current again, no
    data version deleted (full version lists compared); a key that is not
    deleted is refused with nothing sent; a HeadObject that says the
    "marker" is a data version stops the DeleteObject;
  * prefix to a point in time: the real run's --json plan equals the dry
    run's key for key, and afterwards every key holds its content at T as
    computed independently from boto3's version listing; --delete-new adds
    delete markers and never removes a version; a bucket changed between
    plan and execution stops the run before any change; one key failing
    does not stop the others (exit 10);
  * a slow server-side copy: time for its size on top of the per-attempt
    timeout, so a large copy is not failed by a timeout meant for reads;
  * read-only: without --operate no mutating S3 request reaches the proxy;
  * awkward keys (space, '+', unicode, '//', '%', '~', '=') in all of it.

moto gaps (see AWS-NOTES): LastModified has whole seconds, so changes are
made in rounds a second apart and T is a whole second between rounds;
moto lists <Version>s before <DeleteMarker>s; DeleteObject of a marker
by version id does not echo x-amz-delete-marker; CompleteMultipartUpload
answers with a <CompleteMultipartUploadResponse> root.
"""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import time

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import FaultProxy       # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))

AWKWARD = ["a b", "x+y", "\u00fcn\u00ef \u00e7\u00f8d\u00e9", "dir//double",
           "pct%20lit~t=1"]


def run(env, *args, timeout=120):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


is_ = tap.is_


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def js(res):
    try:
        return json.loads(res[1])
    except ValueError:
        return None


def mutating(p):
    """S3 requests that change something (STS's POST is a read)."""
    return [r for r in p.requests if r["service"] == "s3" and
            r["method"] in ("PUT", "POST", "DELETE")]


def is_listing(r):
    """A ListObjectVersions request (not GetBucketVersioning)."""
    q = r["path"].split("?", 1)[1] if "?" in r["path"] else ""
    return r["method"] == "GET" and "versions" in [x.split("=")[0]
                                                   for x in q.split("&")]


def versions(m, bucket, prefix=""):
    """Every version and delete marker, via aws-cli: (key, id, marker,
    latest, etag)."""
    args = ["s3api", "list-object-versions", "--bucket", bucket]
    if prefix:
        args += ["--prefix", prefix]
    out = m.aws(*args) or {}
    v = [(x["Key"], x["VersionId"], False, x["IsLatest"], x.get("ETag"))
         for x in out.get("Versions", [])]
    v += [(x["Key"], x["VersionId"], True, x["IsLatest"], None)
          for x in out.get("DeleteMarkers", [])]
    return v


def data_versions(vs):
    return sorted((k, i) for k, i, mk, _, _ in vs if not mk)


def markers(vs):
    return sorted((k, i) for k, i, mk, _, _ in vs if mk)


def get(m, bucket, key, version=None):
    """The object's content via aws-cli, or None when it is deleted/absent."""
    dst = os.path.join(m.tmpdir, "get.out")
    args = ["s3api", "get-object", "--bucket", bucket, "--key", key]
    if version:
        args += ["--version-id", version]
    try:
        m.aws(*(args + [dst]))
    except Exception:
        return None
    with open(dst, "rb") as f:
        return f.read()


def versioned_bucket(s3, name):
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name,
                             VersioningConfiguration={"Status": "Enabled"})


def next_round():
    """Sleeps into the next whole second and a bit: moto's LastModified
    has whole seconds, so entries of different rounds never tie."""
    t = time.time()
    time.sleep(int(t) + 1 - t + 0.05)


def boundary():
    """A whole second T with everything before this call <= T - 1 s and
    everything after the return >= T + 1 s (as moto rounds down)."""
    t = time.time()
    s = int(t) + 1
    time.sleep(s + 1 - t + 0.05)
    return s


def iso(s):
    return datetime.datetime.fromtimestamp(s, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


# ---- s3-version ----------------------------------------------------------

def test_version(m, p, env, s3):
    b = "ver"
    versioned_bucket(s3, b)
    old = {}
    t0 = int(time.time()) - 1
    for k in AWKWARD + ["by time"]:
        old[k] = s3.put_object(Bucket=b, Key=k, Body=b"one " + k.encode())["VersionId"]
    T = boundary()
    for k in AWKWARD + ["by time"]:
        s3.put_object(Bucket=b, Key=k, Body=b"two " + k.encode())
    before = versions(m, b)

    k = AWKWARD[0]
    p.clear_requests()
    res = run(env, "restore", "s3://%s/%s" % (b, k), "--version", old[k])
    is_(res[0], 3, "version restore without --operate: exit 3")
    tap.like(res[2], r"--operate", "... says how to allow changes")
    tap.like(res[1], r"CopyObject", "... after showing the plan with its CopyObject")
    is_(len(mutating(p)), 0, "... and no mutating request reached the proxy")

    for k in AWKWARD:
        p.clear_requests()
        res = run(env, "--operate", "--yes", "--json", "restore",
                  "s3://%s/%s" % (b, k), "--version", old[k])
        doc = js(res)
        is_(res[0], 0, "restore %r --version: exit 0" % k)
        is_(get(m, b, k), b"one " + k.encode(),
                "... the current content is the old version's (aws-cli)")
        after = versions(m, b, k)
        mine = [v for v in before if v[0] == k]
        is_(len([v for v in after if v[0] == k]), len(mine) + 1,
                "... the history is one version longer", show(res))
        tap.ok(set(data_versions(mine)) <= set(data_versions(after)),
               "... every earlier version is still there")
        cps = [r for r in mutating(p) if "x-amz-copy-source" in r["headers"]]
        is_(len(cps), 1, "... exactly one CopyObject")
        if cps:
            is_(cps[0]["headers"].get("x-amz-metadata-directive"), "COPY",
                    "... with metadata directive COPY")
        tap.ok(doc is not None and doc["plan"]["kind"] == "s3-version" and
               doc["outcome"]["result"] == "ok",
               "... --json: the plan and an ok outcome", show(res))

    # --to TIME on an object: the version current then.
    k = "by time"
    res = run(env, "--operate", "--yes", "--json", "restore", "s3://%s/%s" % (b, k),
              "--to", iso(T))
    doc = js(res)
    tap.ok(res[0] == 0 and doc is not None and
           doc["plan"]["point"]["id"] == old[k], "restore KEY --to TIME: the "
           "version current then is chosen", show(res))
    is_(get(m, b, k), b"one by time", "... and its content is current again")
    p.clear_requests()
    res = run(env, "--operate", "--yes", "restore", "s3://%s/%s" % (b, k),
              "--to", iso(t0 - 60))
    tap.ok(res[0] == 2 and "did not exist" in res[2],
           "... a time before the key existed is refused", show(res))
    is_(len(mutating(p)), 0, "... nothing sent")

    # The copy source on the wire: the key encoded once, '/' kept.
    k = "dir//double"
    p.clear_requests()
    s3.put_object(Bucket=b, Key=k, Body=b"three")
    res = run(env, "--operate", "--yes", "restore", "s3://%s/%s" % (b, k),
              "--version", old[k])
    cps = [r for r in mutating(p) if "x-amz-copy-source" in r["headers"]]
    tap.ok(res[0] == 0 and cps and cps[0]["headers"]["x-amz-copy-source"] ==
           "%s/dir//double?versionId=%s" % (b, old[k]),
           "copy source keeps '//' unencoded", show(res))
    k = "pct%20lit~t=1"
    p.clear_requests()
    s3.put_object(Bucket=b, Key=k, Body=b"three")
    res = run(env, "--operate", "--yes", "restore", "s3://%s/%s" % (b, k),
              "--version", old[k])
    cps = [r for r in mutating(p) if "x-amz-copy-source" in r["headers"]]
    tap.ok(res[0] == 0 and cps and cps[0]["headers"]["x-amz-copy-source"] ==
           "%s/pct%%2520lit~t%%3D1?versionId=%s" % (b, old[k]),
           "copy source of a key with a literal '%' is encoded exactly once",
           cps[0]["headers"] if cps else show(res))
    is_(get(m, b, k), b"one " + k.encode(), "... and the right content is back")

    # A 200 OK whose body is an <Error> (S3 does this during a long copy)
    # is a failure, not a copy.
    k = AWKWARD[2]
    s3.put_object(Bucket=b, Key=k, Body=b"four")
    n = len(versions(m, b, k))
    p.clear_requests()
    f = p.status(200, body=b'<?xml version="1.0" encoding="UTF-8"?>\n\n<Error>'
                 b"<Code>InternalError</Code><Message>We encountered an internal "
                 b"error.</Message></Error>",
                 match=lambda r: r["method"] == "PUT" and
                 "x-amz-copy-source" in r["headers"], count=None)
    res = run(env, "--operate", "--yes", "restore", "s3://%s/%s" % (b, k),
              "--version", old[k])
    p.clear()
    tap.ok(res[0] != 0 and "InternalError" in res[2] and f.hits >= 1,
           "a 200 carrying <Error> to CopyObject: the restore fails, naming it",
           show(res))
    is_(get(m, b, k), b"four", "... the key is unchanged")
    is_(len(versions(m, b, k)), n, "... no version added")

    # Already current: nothing planned, nothing sent.
    k = AWKWARD[1]
    cur = [v for v in versions(m, b, k) if v[0] == k and v[3]][0][1]
    p.clear_requests()
    res = run(env, "--operate", "--yes", "restore", "s3://%s/%s" % (b, k),
              "--version", cur)
    is_(res[0], 0, "restoring the current version: exit 0")
    tap.like(res[1], r"already the current version", "... says it is current")
    is_(len(mutating(p)), 0, "... and sends nothing")

    # A delete marker's id; an unknown id.
    s3.delete_object(Bucket=b, Key=k)
    dm = [v for v in versions(m, b, k) if v[0] == k and v[2]][0][1]
    p.clear_requests()
    res = run(env, "--operate", "--yes", "restore", "s3://%s/%s" % (b, k),
              "--version", dm)
    tap.ok(res[0] == 2 and "delete marker" in res[2],
           "restoring a delete marker's id is refused (exit 2)", show(res))
    is_(len(mutating(p)), 0, "... nothing sent")
    res = run(env, "--operate", "--yes", "restore", "s3://%s/%s" % (b, k),
              "--version", "no-such-version")
    tap.ok(res[0] == 6 and "no-such-version" in res[2],
           "an unknown version id: exit 6 naming it", show(res))
    is_(len(mutating(p)), 0, "... nothing sent")

    # Never versioned.
    s3.create_bucket(Bucket="plain")
    s3.put_object(Bucket="plain", Key="k", Body=b"x")
    p.clear_requests()
    res = run(env, "--operate", "--yes", "restore", "s3://plain/k", "--version", "null")
    tap.ok(res[0] != 0 and "never been enabled" in res[2],
           "a bucket that was never versioned is refused", show(res))
    is_(len(mutating(p)), 0, "... nothing sent")


# ---- multipart -----------------------------------------------------------

def test_multipart(m, p, env, s3):
    b = "big"
    versioned_bucket(s3, b)
    key = "big file+\u00e9"
    body = os.urandom(12 * 1024 * 1024)
    v1 = s3.put_object(Bucket=b, Key=key, Body=body)["VersionId"]
    s3.put_object(Bucket=b, Key=key, Body=b"small")
    before = versions(m, b)
    env2 = dict(env, SALVAGE_S3_MULTIPART_THRESHOLD="5M",
                SALVAGE_S3_PART_SIZE="5MiB")

    p.clear_requests()
    res = run(env2, "--operate", "--yes", "--json", "restore",
              "s3://%s/%s" % (b, key), "--version", v1)
    is_(res[0], 0, "multipart restore (threshold 5 MiB, 12 MiB object): exit 0")
    got = get(m, b, key) or b""
    tap.ok(hashlib.sha256(got).digest() == hashlib.sha256(body).digest(),
           "... the content is identical (sha256, aws-cli)", "%d bytes" % len(got))
    muts = mutating(p)
    create = [r for r in muts if r["method"] == "POST" and "uploads" in r["path"]]
    parts = [r for r in muts if r["method"] == "PUT" and "partNumber=" in r["path"]]
    complete = [r for r in muts if r["method"] == "POST" and "uploadId=" in r["path"]]
    single = [r for r in muts if r["method"] == "PUT" and "partNumber=" not in r["path"]]
    is_(len(create), 1, "... one CreateMultipartUpload")
    is_(sorted(r["headers"].get("x-amz-copy-source-range") for r in parts),
            ["bytes=0-5242879", "bytes=10485760-12582911", "bytes=5242880-10485759"],
            "... three UploadPartCopy with the byte ranges")
    tap.ok(all(r["headers"].get("x-amz-copy-source") ==
               "%s/big%%20file%%2B%%C3%%A9?versionId=%s" % (b, v1) for r in parts),
           "... each copying from the version, the key encoded once")
    is_(len(complete), 1, "... one CompleteMultipartUpload")
    tap.ok(complete and b"<PartNumber>3</PartNumber>" in complete[0]["body"],
           "... naming the three parts")
    is_(len(single), 0, "... and no single CopyObject")
    is_(len(versions(m, b)), len(before) + 1, "... the history is one longer")
    doc = js(res)
    tap.ok(doc is not None and [s["op"] for s in doc["plan"]["steps"]] ==
           ["CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload"],
           "... the plan lists the multipart calls", show(res))

    # A part that keeps failing: the upload is aborted, the key unchanged.
    s3.put_object(Bucket=b, Key=key, Body=b"latest")
    n = len(versions(m, b))
    p.clear_requests()
    f = p.status(500, match=lambda r: r["method"] == "PUT" and
                 "partNumber=2" in r["path"], count=None)
    res = run(env2, "--operate", "--yes", "restore", "s3://%s/%s" % (b, key),
              "--version", v1)
    p.clear()
    tap.ok(res[0] != 0, "a failing part: the restore fails", show(res))
    tap.ok(f.hits >= 1, "... (the part was failed %d times)" % f.hits)
    aborts = [r for r in mutating(p) if r["method"] == "DELETE" and
              "uploadId=" in r["path"]]
    is_(len(aborts), 1, "... AbortMultipartUpload was sent")
    is_(len([r for r in mutating(p) if r["method"] == "POST" and
                 "uploadId=" in r["path"]]), 0, "... no CompleteMultipartUpload")
    is_(get(m, b, key), b"latest", "... the key is as it was")
    is_(len(versions(m, b)), n, "... and has no new version")
    ups = m.aws("s3api", "list-multipart-uploads", "--bucket", b) or {}
    is_(len(ups.get("Uploads", [])), 0, "... no upload left open")


def test_slow_copy(m, p, env, s3):
    """A server-side copy gets time for its size on top of the per-attempt
    timeout (here capped at 1 s by SALVAGE_HTTP_TIMEOUT_MS): a 25 MiB copy
    that S3 answers after 2 s succeeds; a 10-byte one does not."""
    b = "slow"
    versioned_bucket(s3, b)
    body = os.urandom(25 * 1024 * 1024)
    v1 = s3.put_object(Bucket=b, Key="large one", Body=body)["VersionId"]
    s3.put_object(Bucket=b, Key="large one", Body=b"newer")
    t1 = s3.put_object(Bucket=b, Key="tiny", Body=b"ten bytes!")["VersionId"]
    s3.put_object(Bucket=b, Key="tiny", Body=b"newer")
    env3 = dict(env, SALVAGE_HTTP_TIMEOUT_MS="1000")

    def is_copy(r):
        return (r["method"] == "PUT" and "partNumber=" not in r["path"] and
                "x-amz-copy-source" in r["headers"])

    p.clear_requests()
    f = p.delay(2, match=is_copy, count=None)
    res = run(env3, "--operate", "--yes", "restore", "s3://%s/large one" % b,
              "--version", v1)
    p.clear()
    is_(res[0], 0, "25 MiB copy answered after 2 s, attempts capped at 1 s: "
        "exit 0", show(res))
    is_(f.hits, 1, "... one CopyObject, not retried")
    got = get(m, b, "large one") or b""
    tap.ok(hashlib.sha256(got).digest() == hashlib.sha256(body).digest(),
           "... the content is identical", "%d bytes" % len(got))

    f = p.delay(2.5, match=is_copy, count=None)
    res = run(env3, "--operate", "--yes", "restore", "s3://%s/tiny" % b,
              "--version", t1)
    p.clear()
    tap.ok(res[0] == 7 and "timed out" in res[2],
           "a 10-byte copy answered after 2.5 s: timed out (exit 7)", show(res))
    tap.ok("may have reached" in res[2],
           "... and says the copy may still have reached S3", res[2])


# ---- undelete ------------------------------------------------------------

def test_undelete(m, p, env, s3):
    b = "undel"
    versioned_bucket(s3, b)
    keys = AWKWARD + ["multi"]
    for k in keys:
        s3.put_object(Bucket=b, Key=k, Body=b"old " + k.encode())
    next_round()
    for k in keys:
        s3.put_object(Bucket=b, Key=k, Body=b"keep " + k.encode())
    next_round()
    for k in keys:
        s3.delete_object(Bucket=b, Key=k)
    next_round()
    s3.delete_object(Bucket=b, Key="multi")        # a second marker on top
    s3.put_object(Bucket=b, Key="alive", Body=b"alive")
    # A delete marker with no data under it (moto adds no marker for a
    # key that does not exist: make one, then remove the data directly).
    v = s3.put_object(Bucket=b, Key="only-markers", Body=b"x")["VersionId"]
    s3.delete_object(Bucket=b, Key="only-markers")
    s3.delete_object(Bucket=b, Key="only-markers", VersionId=v)

    k = AWKWARD[0]
    p.clear_requests()
    res = run(env, "undelete", "s3://%s/%s" % (b, k))
    is_(res[0], 3, "undelete without --operate: exit 3")
    tap.like(res[1], r"DeleteObject", "... after showing the plan")
    is_(len(mutating(p)), 0, "... no mutating request reached the proxy")

    for k in keys:
        before = versions(m, b, k)
        before = [v for v in before if v[0] == k]
        top = [v for v in before if v[3]][0]
        p.clear_requests()
        res = run(env, "--operate", "--yes", "--json", "undelete", "s3://%s/%s" % (b, k))
        is_(res[0], 0, "undelete %r: exit 0" % k, show(res))
        is_(get(m, b, k), b"keep " + k.encode(),
                "... the previous version is current again (aws-cli)")
        after = [v for v in versions(m, b, k) if v[0] == k]
        is_(data_versions(after), data_versions(before),
                "... no data version deleted (full lists compared)")
        gone = set(markers(before)) - set(markers(after))
        want = 2 if k == "multi" else 1
        tap.ok(len(gone) == want and top[1] in [g[1] for g in gone] and
               set(markers(after)) <= set(markers(before)),
               "... exactly the %d marker(s) on top removed" % want)
        dels = [r for r in mutating(p) if r["method"] == "DELETE"]
        tap.ok(len(dels) == want and all("versionId=" in r["path"] for r in dels),
               "... DeleteObject with versionId, %d time(s)" % want)
        heads = [r for r in p.requests if r["method"] == "HEAD" and
                 "versionId=" in r["path"]]
        tap.ok(len(heads) >= want, "... each marker checked first (HeadObject "
               "with its versionId)")
        doc = js(res)
        tap.ok(doc is not None and doc["plan"]["kind"] == "s3-undelete" and
               doc["outcome"]["result"] == "ok", "... --json plan and outcome")

    # Not deleted: refused, nothing sent.
    p.clear_requests()
    res = run(env, "--operate", "--yes", "undelete", "s3://%s/alive" % b)
    tap.ok(res[0] == 2 and "not deleted" in res[2],
           "undelete of a key that is not deleted: refused (exit 2)", show(res))
    is_(len(mutating(p)), 0, "... nothing sent")
    res = run(env, "--operate", "--yes", "undelete", "s3://%s/only-markers" % b)
    tap.ok(res[0] == 2 and "only delete markers" in res[2],
           "a key with only delete markers: refused", show(res))
    res = run(env, "--operate", "--yes", "undelete", "s3://%s/nope" % b)
    is_(res[0], 6, "a key that never existed: exit 6")
    is_(len(mutating(p)), 0, "... nothing sent")

    # The HeadObject before the DeleteObject says "data version": no delete.
    s3.delete_object(Bucket=b, Key="alive")
    before = versions(m, b, "alive")
    p.clear_requests()
    p.status(200, headers={"x-amz-version-id": "x"},
             match=lambda r: r["method"] == "HEAD" and "versionId=" in r["path"],
             count=None)
    res = run(env, "--operate", "--yes", "undelete", "s3://%s/alive" % b)
    p.clear()
    tap.ok(res[0] != 0 and "refusing to delete a data version" in res[2],
           "a 'marker' that HeadObject shows to be data: refused", show(res))
    is_(len([r for r in mutating(p) if r["method"] == "DELETE"]), 0,
            "... no DeleteObject sent")
    is_(versions(m, b, "alive"), before, "... the versions are untouched")


# ---- prefix --------------------------------------------------------------

def state_at(s3, bucket, prefix, t):
    """key -> content at time t (None: absent or deleted), independently
    from boto3's listing: the newest entry with LastModified <= t."""
    out = {}
    entries = {}
    pag = s3.get_paginator("list_object_versions")
    for page in pag.paginate(Bucket=bucket, Prefix=prefix):
        for v in page.get("Versions", []):
            entries.setdefault(v["Key"], []).append(
                (v["LastModified"].timestamp(), v["IsLatest"], False, v["VersionId"]))
        for d in page.get("DeleteMarkers", []):
            entries.setdefault(d["Key"], []).append(
                (d["LastModified"].timestamp(), d["IsLatest"], True, d["VersionId"]))
    for k, es in entries.items():
        es = [e for e in es if e[0] <= t]
        if not es:
            out[k] = None
            continue
        e = max(es, key=lambda e: e[0])
        out[k] = None if e[2] else s3.get_object(
            Bucket=bucket, Key=k, VersionId=e[3])["Body"].read()
    return out


def current(m, bucket, keys):
    return {k: get(m, bucket, k) for k in keys}


def steps_of(doc):
    return [{x: s.get(x) for x in ("op", "action", "key", "version_id", "target",
                                   "summary", "params", "mutating")}
            for s in doc["plan"]["steps"]]


def test_prefix(m, p, env, s3):
    b = "pit"
    versioned_bucket(s3, b)
    P = "data/"
    K = {n: P + n for n in ("changed", "deleted", "recreated-deleted", "new",
                            "same", "gone-before", "twice-deleted")}
    K.update({"awk%d" % i: P + k for i, k in enumerate(AWKWARD)})
    s3.put_object(Bucket=b, Key="outside", Body=b"not under the prefix")
    for n, k in K.items():
        if n != "new":
            s3.put_object(Bucket=b, Key=k, Body=b"at T " + k.encode())
    next_round()
    s3.delete_object(Bucket=b, Key=K["gone-before"])
    T = boundary()
    # After T.
    s3.put_object(Bucket=b, Key=K["changed"], Body=b"after T")
    s3.delete_object(Bucket=b, Key=K["deleted"])
    s3.put_object(Bucket=b, Key=K["recreated-deleted"], Body=b"after T")
    s3.put_object(Bucket=b, Key=K["new"], Body=b"new after T")
    s3.put_object(Bucket=b, Key=K["gone-before"], Body=b"back after T")
    s3.delete_object(Bucket=b, Key=K["twice-deleted"])
    for i in range(len(AWKWARD)):
        k = K["awk%d" % i]
        if i % 2 == 0:
            s3.put_object(Bucket=b, Key=k, Body=b"after T")
        else:
            s3.delete_object(Bucket=b, Key=k)
    next_round()
    s3.delete_object(Bucket=b, Key=K["recreated-deleted"])
    s3.delete_object(Bucket=b, Key=K["twice-deleted"])
    s3.put_object(Bucket=b, Key="outside", Body=b"changed, not under the prefix")

    expect = state_at(s3, b, P, T)
    is_(len(expect), len(K), "independent state at T computed for %d keys" % len(K))
    want_actions = {
        K["changed"]: "restore-version", K["deleted"]: "undelete",
        K["recreated-deleted"]: "restore-version", K["new"]: "leave-new",
        K["same"]: "unchanged", K["gone-before"]: "leave-new",
        K["twice-deleted"]: "undelete",
    }
    for i in range(len(AWKWARD)):
        want_actions[K["awk%d" % i]] = "restore-version" if i % 2 == 0 else "undelete"
    all_before = versions(m, b)

    # Dry run: needs no --operate, changes nothing.
    p.clear_requests()
    dry = run(env, "--json", "restore", "s3://%s/%s" % (b, P), "--to", iso(T), "--dry-run")
    ddoc = js(dry)
    is_(dry[0], 0, "prefix --dry-run without --operate: exit 0", show(dry))
    is_(len(mutating(p)), 0, "... no mutating request")
    tap.ok(ddoc is not None and ddoc["plan"]["dry_run"] and
           ddoc["plan"]["mutating_calls"] == 0, "... a dry-run plan")
    got_actions = {s["key"]: s["action"] for s in ddoc["plan"]["steps"]} if ddoc else {}
    is_(got_actions, want_actions, "... the per-key actions", show(dry))
    human = run(env, "restore", "s3://%s/%s" % (b, P), "--to", iso(T), "--dry-run")
    tap.ok(all(k in human[1] for k in K.values()),
           "... the human plan names every key", show(human))

    # Read-only refusal of the real run.
    p.clear_requests()
    res = run(env, "restore", "s3://%s/%s" % (b, P), "--to", iso(T))
    is_(res[0], 3, "prefix restore without --operate: exit 3")
    is_(len(mutating(p)), 0, "... no mutating request reached the proxy")

    # The bucket changes between the plan and the execution: stop.
    p.clear_requests()
    p.delay(0, match=is_listing, count=1)    # the plan's listing
    p.hold(match=is_listing, count=1)        # the re-check's
    proc = subprocess.Popen([SALVAGE, "--operate", "--yes", "restore",
                             "s3://%s/%s" % (b, P), "--to", iso(T)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        p.wait_held(timeout=30)
        extra = s3.put_object(Bucket=b, Key=K["same"], Body=b"changed meanwhile")
    finally:
        p.release()
    out, err = proc.communicate(timeout=60)
    err = err.decode("utf-8", "replace")
    p.clear()
    tap.ok(proc.returncode == 9 and "changed" in err and K["same"] in err,
           "bucket changed between plan and execution: stopped (exit 9) naming "
           "the key", err)
    is_(len([r for r in mutating(p) if "/%s/" % b in r["path"]]), 0,
            "... nothing was changed")
    s3.delete_object(Bucket=b, Key=K["same"], VersionId=extra["VersionId"])

    # The real run: the same plan, key for key; the state at T after.
    p.clear_requests()
    res = run(env, "--operate", "--yes", "--json", "restore", "s3://%s/%s" % (b, P),
              "--to", iso(T))
    rdoc = js(res)
    is_(res[0], 0, "prefix restore --operate --yes: exit 0", show(res))
    tap.ok(rdoc is not None and ddoc is not None and
           steps_of(rdoc) == steps_of(ddoc),
           "... its plan equals the dry run's, key for key")
    tap.ok(rdoc is not None and rdoc["outcome"]["result"] == "ok" and
           rdoc["outcome"]["failed"] == 0 and rdoc["outcome"]["status"] == "verified",
           "... every key ok, verified by a second listing",
           rdoc["outcome"] if rdoc else None)
    now = current(m, b, K.values())
    for k in sorted(K.values()):
        if want_actions[k] == "leave-new":
            continue
        is_(now[k], expect[k], "... %r has its content at T" % k)
    is_(now[K["new"]], b"new after T", "... the new key is left alone")
    is_(now[K["gone-before"]], b"back after T",
            "... the key deleted at T and back now is left alone")
    is_(get(m, b, "outside"), b"changed, not under the prefix",
            "... a key outside the prefix is untouched")
    all_after = versions(m, b)
    tap.ok(set(data_versions(all_before)) <= set(data_versions(all_after)),
           "... no data version was removed")
    is_(len([r for r in mutating(p) if r["method"] == "DELETE" and
                 "versionId=" not in r["path"]]), 0,
            "... no plain DeleteObject without --delete-new")
    res = run(env, "--json", "restore", "s3://%s/%s" % (b, P), "--to", iso(T), "--dry-run")
    doc = js(res)
    tap.ok(doc is not None and doc["plan"]["mutating_calls"] == 0 and
           all(s["action"] in ("unchanged", "leave-new") for s in doc["plan"]["steps"]),
           "... a new plan for T has nothing left to do", show(res))

    # --delete-new: delete markers on the keys new since T, no version removed.
    next_round()
    s3.put_object(Bucket=b, Key=P + "newer \u00e9+", Body=b"newer")
    before = versions(m, b)
    p.clear_requests()
    res = run(env, "--operate", "--yes", "--json", "restore", "s3://%s/%s" % (b, P),
              "--to", iso(T), "--delete-new")
    doc = js(res)
    is_(res[0], 0, "--delete-new: exit 0", show(res))
    acts = {s["key"]: s["action"] for s in doc["plan"]["steps"]} if doc else {}
    is_(sorted(k for k, a in acts.items() if a == "delete-new"),
            sorted([K["new"], K["gone-before"], P + "newer \u00e9+"]),
            "... delete-new planned for the keys new (or back) since T")
    after = versions(m, b)
    tap.ok(set(data_versions(before)) == set(data_versions(after)),
           "... no data version removed")
    is_(len(markers(after)) - len(markers(before)), 3, "... three delete markers added")
    for k in (K["new"], K["gone-before"], P + "newer \u00e9+"):
        is_(get(m, b, k), None, "... %r is deleted (behind a marker)" % k)
    dels = [r for r in mutating(p) if r["method"] == "DELETE"]
    tap.ok(len(dels) == 3 and all("versionId=" not in r["path"] for r in dels),
           "... by three DeleteObject without a version id")

    # One key failing does not stop the others.
    next_round()
    for i in (0, 2, 4):
        s3.put_object(Bucket=b, Key=K["awk%d" % i], Body=b"again after T")
    s3.put_object(Bucket=b, Key=K["changed"], Body=b"again after T")
    p.clear_requests()
    p.status(403, match=lambda r: r["method"] == "PUT" and
             r["path"].endswith("/data/changed"), count=None)
    res = run(env, "--operate", "--yes", "--json", "restore", "s3://%s/%s" % (b, P),
              "--to", iso(T))
    p.clear()
    doc = js(res)
    is_(res[0], 10, "one key failing: exit 10 (some failed)", show(res))
    tap.ok(doc is not None and doc["outcome"]["failed"] == 1 and
           doc["outcome"]["ok"] == 3, "... one failed, three ok",
           doc["outcome"] if doc else None)
    is_(get(m, b, K["changed"]), b"again after T", "... the failed key is unchanged")
    tap.ok(all(get(m, b, K["awk%d" % i]) == expect[K["awk%d" % i]] for i in (0, 2, 4)),
           "... the others are back to T")


def test_versioning_states(m, p, env, s3):
    s3.create_bucket(Bucket="never")
    s3.put_object(Bucket="never", Key="d/k", Body=b"x")
    res = run(env, "restore", "s3://never/d/", "--to", "-1m", "--dry-run")
    tap.ok(res[0] == 2 and "never been enabled" in res[2],
           "prefix restore on a never-versioned bucket: refused", show(res))
    versioned_bucket(s3, "susp")
    s3.put_object(Bucket="susp", Key="d/k", Body=b"x")
    s3.put_bucket_versioning(Bucket="susp",
                             VersioningConfiguration={"Status": "Suspended"})
    res = run(env, "--json", "restore", "s3://susp/d/", "--to", "-1m", "--dry-run")
    doc = js(res)
    tap.ok(res[0] == 0 and doc is not None and
           any("Suspended" in w for w in doc["plan"]["warnings"]),
           "Suspended: the plan warns", show(res))
    res = run(env, "--operate", "--yes", "restore", "s3://susp/d/", "--to", "-1m",
              "--delete-new")
    tap.ok(res[0] == 2 and "Enabled" in res[2],
           "Suspended: --delete-new refused", show(res))
    res = run(env, "--json", "restore", "s3://never/", "--to", "-1m", "--dry-run")
    tap.ok(res[0] == 2, "a whole never-versioned bucket: refused too")
    versioned_bucket(s3, "empty")
    res = run(env, "--json", "restore", "s3://empty/nothing/", "--to", "-1m",
              "--dry-run")
    doc = js(res)
    tap.ok(res[0] == 0 and doc is not None and doc["plan"]["steps"] == [],
           "an empty prefix: an empty plan", show(res))


def main():
    if not os.access(SALVAGE, os.X_OK):
        tap.skip_all("salvage is not built: %s" % SALVAGE)
    with Moto() as m:
        s3 = m.client("s3")
        with FaultProxy(m.url) as p:
            env = m.env({"AWS_ENDPOINT_URL": p.url,
                         "XDG_STATE_HOME": os.path.join(m.tmpdir, "state")})
            with tap.check("version restore"):
                test_version(m, p, env, s3)
            with tap.check("multipart"):
                test_multipart(m, p, env, s3)
            with tap.check("slow copy"):
                test_slow_copy(m, p, env, s3)
            with tap.check("undelete"):
                test_undelete(m, p, env, s3)
            with tap.check("prefix"):
                test_prefix(m, p, env, s3)
            with tap.check("versioning states"):
                test_versioning_states(m, p, env, s3)
    tap.done_testing()


if __name__ == "__main__":
    main()
