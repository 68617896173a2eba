#!/usr/bin/env python3
"""verify.py - `salvage verify A B` end to end against moto, through the
fault proxy (which logs every request salvage sends):

  * DynamoDB: a table of 3000 items (~1.5 KB each, so a segment's Scan
    pages) and its copy restored with boto3 restore_table_from_backup are
    equal: exit 0, counts equal to boto3's own paginated Scan count, every
    segment 0..3 of TotalSegments=4 scanned with Select=COUNT on both
    tables, some pages continued with ExclusiveStartKey; --segments 7
    gives the same count with 7 segments; throttled Scans are retried;
  * an item deleted from the copy: exit 9, "item count" named with both
    counts (human and --json);
  * --sample: a changed attribute and a missing item found by GetItem, the
    attribute named; a key schema that differs is reported;
  * S3: single-part objects compared by ETag (equal, and same size with
    different content caught), a multipart upload compared by reading
    both through SHA-256 in ranged GETs (equal and one byte changed),
    x-amz-checksum-sha256 when both have one, --hash, versions, a size
    difference, a delete marker;
  * RDS: instances equal, then a different engine version / storage;
    clusters;
  * usage errors (exit 2) send nothing.

moto gaps: DescribeTable's TableSizeBytes is always 0 (segments come from
the concurrency, 4); moto answers Select=COUNT with the items too (salvage
reads only Count); restores are complete at once.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys

SRCDIR = os.environ.get("SALVAGE_SRCDIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import tap                              # noqa: E402
from faultproxy import FaultProxy       # noqa: E402
from moto import Moto                   # noqa: E402  (the harness)

SALVAGE = os.environ.get("SALVAGE", os.path.join(SRCDIR, "build", "salvage"))
NITEMS = 3000
BUCKET = "verify-objects"
VBUCKET = "verify-versions"
MiB = 1024 * 1024


def run(env, *args, timeout=300):
    r = subprocess.run([SALVAGE] + [str(a) for a in args], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"))


def show(res):
    return "exit %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % res


def doc_of(res):
    try:
        return json.loads(res[1])
    except ValueError:
        return {}


def check(doc, name):
    for c in doc.get("checks", []):
        if c["name"] == name:
            return c
    return {}


def body_of(rec):
    try:
        return json.loads(rec["body"] or b"{}")
    except ValueError:
        return {}


def scans(p, table=None):
    out = []
    for r in p.requests:
        if r["target"] != "DynamoDB_20120810.Scan":
            continue
        b = body_of(r)
        if table is None or b.get("TableName") == table:
            out.append(b)
    return out


def boto_count(ddb, table):
    n = 0
    for page in ddb.get_paginator("scan").paginate(TableName=table,
                                                   Select="COUNT"):
        n += page["Count"]
    return n


def make_table(ddb, name, keys=(("pk", "S"),)):
    schema = [{"AttributeName": keys[0][0], "KeyType": "HASH"}]
    attrs = [{"AttributeName": keys[0][0], "AttributeType": keys[0][1]}]
    if len(keys) > 1:
        schema.append({"AttributeName": keys[1][0], "KeyType": "RANGE"})
        attrs.append({"AttributeName": keys[1][0], "AttributeType": keys[1][1]})
    ddb.create_table(TableName=name, KeySchema=schema,
                     AttributeDefinitions=attrs, BillingMode="PAY_PER_REQUEST")


def test_dynamodb(m, p, env):
    ddb = m.client("dynamodb")
    make_table(ddb, "orders")
    pad = "x" * 1500
    for start in range(0, NITEMS, 25):
        ddb.batch_write_item(RequestItems={"orders": [
            {"PutRequest": {"Item": {"pk": {"S": "order-%05d" % i},
                                     "n": {"N": str(i)}, "pad": {"S": pad}}}}
            for i in range(start, min(start + 25, NITEMS))]})
    arn = ddb.create_backup(TableName="orders",
                            BackupName="verify-1")["BackupDetails"]["BackupArn"]
    ddb.restore_table_from_backup(TargetTableName="orders-restored",
                                  BackupArn=arn)
    want = boto_count(ddb, "orders")
    tap.is_(want, NITEMS, "boto3 counts %d items in the source" % NITEMS)

    # Equal.
    p.clear_requests()
    res = run(env, "--json", "verify", "dynamodb://orders",
              "dynamodb://orders-restored")
    tap.is_(res[0], 0, "a restored copy verifies equal: exit 0") or \
        tap.diag(show(res))
    doc = doc_of(res)
    tap.ok(doc.get("equal") is True, "... \"equal\": true")
    d = doc.get("dynamodb", {})
    tap.is_((d.get("count_a"), d.get("count_b")), (want, want),
            "... both counts are boto3's count")
    tap.is_(check(doc, "item count").get("a"), str(want), "... in the checks too")
    tap.is_(doc.get("method"), "segmented-scan", "... method segmented-scan")
    for table in ("orders", "orders-restored"):
        s = scans(p, table)
        segs = sorted({b.get("Segment") for b in s})
        tap.is_(segs, [0, 1, 2, 3], "%s: segments 0..3 scanned" % table)
        tap.ok(all(b.get("TotalSegments") == 4 and b.get("Select") == "COUNT"
                   and not b.get("ConsistentRead") for b in s),
               "%s: TotalSegments=4, Select=COUNT, eventually consistent" % table)
        tap.ok(any("ExclusiveStartKey" in b for b in s),
               "%s: a segment was paged by LastEvaluatedKey (%d Scans)"
               % (table, len(s)))

    # The human table.
    res = run(env, "verify", "dynamodb://orders", "dynamodb://orders-restored")
    tap.is_(res[0], 0, "human output: exit 0")
    tap.like(res[1], r"item count\s+%d\s+%d\s+equal" % (want, want),
             "... the item count side by side")
    tap.like(res[1], r"\n\s*equal\s*$", "... and the verdict")

    # More segments.
    p.clear_requests()
    res = run(env, "--json", "verify", "dynamodb://orders",
              "dynamodb://orders-restored", "--segments", "7")
    doc = doc_of(res)
    tap.is_((res[0], doc.get("dynamodb", {}).get("count_a")), (0, want),
            "--segments 7: the same count") or tap.diag(show(res))
    tap.is_(sorted({b.get("Segment") for b in scans(p, "orders")}),
            list(range(7)), "... scanned in 7 segments")

    # Throttling: the client retries.
    p.clear_requests()
    p.throttle_json(match="DynamoDB_20120810.Scan", count=3)
    res = run(env, "--json", "verify", "dynamodb://orders",
              "dynamodb://orders-restored")
    tap.is_((res[0], doc_of(res).get("dynamodb", {}).get("count_b")), (0, want),
            "throttled Scans are retried: still equal, same count") or \
        tap.diag(show(res))
    p.clear()

    # One item less.
    ddb.delete_item(TableName="orders-restored",
                    Key={"pk": {"S": "order-01234"}})
    res = run(env, "verify", "dynamodb://orders", "dynamodb://orders-restored")
    tap.is_(res[0], 9, "an item deleted from B: exit 9") or tap.diag(show(res))
    tap.like(res[1], r"item count\s+%d\s+%d\s+DIFFERENT" % (want, want - 1),
             "... 'item count' named with both counts")
    tap.like(res[1], r"DIFFERENT \(1 of \d+ checks\): item count",
             "... in the verdict")
    res = run(env, "--json", "verify", "dynamodb://orders",
              "dynamodb://orders-restored")
    doc = doc_of(res)
    c = check(doc, "item count")
    tap.is_((res[0], doc.get("equal"), c.get("a"), c.get("b"), c.get("equal")),
            (9, False, str(want), str(want - 1), False),
            "--json: equal false, the counts in the check")

    # Sampled comparison on a small pair.
    make_table(ddb, "prices")
    make_table(ddb, "prices-copy")
    for i in range(40):
        item = {"pk": {"S": "p%02d" % i}, "price": {"N": "%d.50" % i},
                "tags": {"SS": ["a", "b", "c"]},
                "info": {"M": {"x": {"N": "1"}, "y": {"L": [{"S": "q"}]}}}}
        ddb.put_item(TableName="prices", Item=item)
        item = dict(item)
        # Same values in another form: numbers, set order, map order.
        item["price"] = {"N": "%d.5" % i}
        item["tags"] = {"SS": ["c", "a", "b"]}
        item["info"] = {"M": {"y": {"L": [{"S": "q"}]}, "x": {"N": "1.0"}}}
        ddb.put_item(TableName="prices-copy", Item=item)
    res = run(env, "--json", "verify", "dynamodb://prices",
              "dynamodb://prices-copy", "--sample", "100")
    doc = doc_of(res)
    tap.is_((res[0], doc.get("dynamodb", {}).get("sampled")), (0, 40),
            "--sample: 40 items compared, equal up to number form and order") \
        or tap.diag(show(res))
    tap.is_(doc.get("method"), "segmented-scan+sample", "... method says so")
    p.clear_requests()
    ddb.update_item(TableName="prices-copy", Key={"pk": {"S": "p07"}},
                    UpdateExpression="SET price = :p",
                    ExpressionAttributeValues={":p": {"N": "99"}})
    ddb.delete_item(TableName="prices-copy", Key={"pk": {"S": "p08"}})
    res = run(env, "--json", "verify", "dynamodb://prices",
              "dynamodb://prices-copy", "--sample", "100")
    doc = doc_of(res)
    d = doc.get("dynamodb", {})
    diffs = {x["key"]: x for x in d.get("differences", [])}
    tap.is_((res[0], d.get("sample_differ")), (9, 2),
            "--sample: a changed attribute and a missing item: exit 9") or \
        tap.diag(show(res))
    tap.is_(diffs.get('{"pk":{"S":"p07"}}', {}).get("attributes"), "price",
            "... the changed attribute named")
    tap.ok(diffs.get('{"pk":{"S":"p08"}}', {}).get("missing") is True,
           "... the missing item marked missing")
    gets = [r for r in p.requests if r["target"] == "DynamoDB_20120810.GetItem"]
    tap.is_(len(gets), 40, "... one GetItem on B per sampled item")
    tap.ok(all(body_of(r).get("TableName") == "prices-copy" and
               set(body_of(r).get("Key", {})) == {"pk"} for r in gets),
           "... each by its key, on B")
    res = run(env, "verify", "dynamodb://prices", "dynamodb://prices-copy",
              "--sample", "100")
    tap.like(res[1], r"p07.*attributes price differ", "human: the attribute")
    tap.like(res[1], r"p08.*missing in B", "human: the missing item")
    tap.like(res[1], r"sampled items\s+40 read\s+2 differ\s+DIFFERENT",
             "human: the sampled-items check")

    # Key schemas.
    make_table(ddb, "prices-other", keys=(("pk", "S"), ("sk", "N")))
    res = run(env, "--json", "verify", "dynamodb://prices",
              "dynamodb://prices-other", "--sample", "5")
    c = check(doc_of(res), "key schema")
    tap.is_((res[0], c.get("equal"), c.get("b")),
            (9, False, "pk HASH S, sk RANGE N"),
            "a different key schema: exit 9, named") or tap.diag(show(res))

    # Missing table.
    res = run(env, "verify", "dynamodb://orders", "dynamodb://no-such-table")
    tap.is_(res[0], 6, "a missing table: exit 6") or tap.diag(show(res))
    tap.like(res[2], r"no-such-table", "... named")


def put_multipart(s3, bucket, key, data, part):
    up = s3.create_multipart_upload(Bucket=bucket, Key=key)
    parts = []
    for i in range(0, len(data), part):
        r = s3.upload_part(Bucket=bucket, Key=key, UploadId=up["UploadId"],
                           PartNumber=len(parts) + 1, Body=data[i:i + part])
        parts.append({"ETag": r["ETag"], "PartNumber": len(parts) + 1})
    s3.complete_multipart_upload(Bucket=bucket, Key=key,
                                 UploadId=up["UploadId"],
                                 MultipartUpload={"Parts": parts})


def gets_of(p, key):
    return [r for r in p.requests if r["method"] == "GET" and
            r["path"].split("?")[0].endswith("/" + key)]


def test_s3(m, p, env):
    s3 = m.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    small = os.urandom(100 * 1024)
    other = bytearray(small)
    other[500] ^= 0xff
    s3.put_object(Bucket=BUCKET, Key="a/one.bin", Body=small)
    s3.put_object(Bucket=BUCKET, Key="b/one copy.bin", Body=small)
    s3.put_object(Bucket=BUCKET, Key="b/changed.bin", Body=bytes(other))
    s3.put_object(Bucket=BUCKET, Key="b/short.bin", Body=small[:-1])

    uri = "s3://%s/" % BUCKET
    p.clear_requests()
    res = run(env, "--json", "verify", uri + "a/one.bin", uri + "b/one copy.bin")
    doc = doc_of(res)
    tap.is_((res[0], doc.get("method")), (0, "etag"),
            "single-part objects, same content: equal by ETag") or \
        tap.diag(show(res))
    tap.is_(len(gets_of(p, "one.bin")), 0, "... without reading the content")
    res = run(env, "--json", "verify", uri + "a/one.bin", uri + "b/changed.bin")
    doc = doc_of(res)
    tap.is_((res[0], doc.get("method"), check(doc, "size").get("equal"),
             check(doc, "etag (md5)").get("equal")), (9, "etag", True, False),
            "same size, one byte different: caught by the ETag (exit 9)") or \
        tap.diag(show(res))
    res = run(env, "--json", "verify", uri + "a/one.bin", uri + "b/short.bin")
    doc = doc_of(res)
    tap.is_((res[0], doc.get("method"), check(doc, "size").get("b")),
            (9, "size", str(len(small) - 1)), "a different size: exit 9, "
            "content not read")

    # Multipart: the ETag says nothing about the content; read both.
    big = os.urandom(11 * MiB + 12345)
    put_multipart(s3, BUCKET, "mp/big.bin", big, 5 * MiB)
    s3.put_object(Bucket=BUCKET, Key="sp/big.bin", Body=big)
    changed = bytearray(big)
    changed[9 * MiB + 7] ^= 0x01
    put_multipart(s3, BUCKET, "mp/changed.bin", bytes(changed), 5 * MiB)
    etag = s3.head_object(Bucket=BUCKET, Key="mp/big.bin")["ETag"]
    tap.like(etag, r"-3\"$", "the multipart object has a 3-part ETag")
    sha = hashlib.sha256(big).hexdigest()
    p.clear_requests()
    res = run(env, "--json", "verify", uri + "mp/big.bin", uri + "sp/big.bin")
    doc = doc_of(res)
    s = doc.get("s3", {})
    tap.is_((res[0], doc.get("method")), (0, "sha256"),
            "multipart vs single-part, same content: equal by SHA-256") or \
        tap.diag(show(res))
    tap.is_((s.get("sha256_a"), s.get("sha256_b")), (sha, sha),
            "... both hashes are hashlib's")
    g = gets_of(p, "big.bin")
    ranges = sorted(r["headers"].get("range", "") for r in g)
    tap.is_(len(g), 4, "... 2 ranged GETs of 8 MiB per object")
    tap.ok("bytes=0-8388607" in ranges and
           "bytes=8388608-%d" % (len(big) - 1) in ranges,
           "... ranges bytes=0-8388607 and bytes=8388608-END")
    tap.ok(any(r["headers"].get("if-match") == etag for r in g),
           "... each with If-Match: the ETag seen")
    res = run(env, "--json", "verify", uri + "mp/big.bin", uri + "mp/changed.bin",
              "--part-size", MiB)
    doc = doc_of(res)
    tap.is_((res[0], doc.get("method"), check(doc, "sha256").get("equal")),
            (9, "sha256", False),
            "multipart, same size, one bit changed: caught by SHA-256") or \
        tap.diag(show(res))
    tap.is_(doc.get("s3", {}).get("requests"), 24,
            "... --part-size 1 MiB: 12 ranged GETs per object")
    res = run(env, "verify", uri + "mp/big.bin", uri + "mp/changed.bin")
    tap.like(res[1], r"method: sha256", "human: the method named")
    tap.like(res[1], r"sha256\s+[0-9a-f]{64}\s+[0-9a-f]{64}\s+DIFFERENT",
             "human: both hashes side by side")

    # --hash reads even single-part objects.
    res = run(env, "--json", "verify", uri + "a/one.bin", uri + "b/one copy.bin",
              "--hash")
    doc = doc_of(res)
    tap.is_((res[0], doc.get("method"), doc.get("s3", {}).get("sha256_a")),
            (0, "sha256", hashlib.sha256(small).hexdigest()),
            "--hash: compared by SHA-256")

    # x-amz-checksum-sha256 when both have one.
    s3.put_object(Bucket=BUCKET, Key="ck/a.bin", Body=small,
                  ChecksumAlgorithm="SHA256")
    s3.put_object(Bucket=BUCKET, Key="ck/b.bin", Body=small,
                  ChecksumAlgorithm="SHA256")
    s3.put_object(Bucket=BUCKET, Key="ck/c.bin", Body=bytes(other),
                  ChecksumAlgorithm="SHA256")
    head = s3.head_object(Bucket=BUCKET, Key="ck/a.bin", ChecksumMode="ENABLED")
    if head.get("ChecksumSHA256"):
        res = run(env, "--json", "verify", uri + "ck/a.bin", uri + "ck/b.bin")
        doc = doc_of(res)
        want = base64.b64encode(hashlib.sha256(small).digest()).decode()
        tap.is_((res[0], doc.get("method"), check(doc, "sha256 checksum").get("a")),
                (0, "checksum-sha256", want),
                "both with x-amz-checksum-sha256: compared by it") or \
            tap.diag(show(res))
        res = run(env, "--json", "verify", uri + "ck/a.bin", uri + "ck/c.bin")
        tap.is_((res[0], doc_of(res).get("method")), (9, "checksum-sha256"),
                "... and a different content caught")
    else:
        tap.skip("x-amz-checksum-sha256", "moto returns no ChecksumSHA256")
        tap.skip("x-amz-checksum-sha256 differs", "moto returns no ChecksumSHA256")

    # Versions.
    s3.create_bucket(Bucket=VBUCKET)
    s3.put_bucket_versioning(Bucket=VBUCKET,
                             VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=VBUCKET, Key="k", Body=small)["VersionId"]
    v2 = s3.put_object(Bucket=VBUCKET, Key="k", Body=bytes(other))["VersionId"]
    v3 = s3.put_object(Bucket=VBUCKET, Key="k", Body=small)["VersionId"]
    vuri = "s3://%s/k" % VBUCKET
    res = run(env, "--json", "verify", vuri, vuri, "--version-a", v1,
              "--version-b", v3)
    tap.is_((res[0], doc_of(res).get("a")), (0, "%s?versionId=%s" % (vuri, v1)),
            "two versions with the same content: equal, the version named")
    res = run(env, "verify", vuri, vuri, "--version-a", v1, "--version-b", v2)
    tap.is_(res[0], 9, "two versions with different content: exit 9")
    s3.delete_object(Bucket=VBUCKET, Key="k")
    res = run(env, "verify", vuri, uri + "a/one.bin")
    tap.is_(res[0], 6, "a delete marker on top: exit 6") or tap.diag(show(res))
    tap.like(res[2], r"delete marker", "... saying so")
    res = run(env, "verify", vuri, uri + "a/one.bin", "--version-a", v3)
    tap.is_(res[0], 0, "... its version named: compared")


def test_rds(m, env):
    rds = m.client("rds")

    def db(ident, version="13.4", storage=20):
        rds.create_db_instance(
            DBInstanceIdentifier=ident, DBInstanceClass="db.t3.micro",
            Engine="postgres", EngineVersion=version, MasterUsername="admin1",
            MasterUserPassword="not-a-real-pw-1", AllocatedStorage=storage)

    db("db-src")
    db("db-same")
    db("db-other", version="14.1", storage=50)
    res = run(env, "--json", "verify", "rds://db-src", "rds://db-same")
    doc = doc_of(res)
    tap.is_((res[0], doc.get("method")), (0, "describe"),
            "RDS instances alike: exit 0") or tap.diag(show(res))
    tap.is_(sorted(c["name"] for c in doc.get("checks", [])),
            sorted(["engine", "engine version", "instance class",
                    "allocated storage", "storage type", "storage encrypted",
                    "status"]), "... engine, version, class, storage, "
            "type, encryption, status compared")
    res = run(env, "verify", "rds://db-src", "rds://db-other")
    tap.is_(res[0], 9, "another engine version and storage: exit 9")
    tap.like(res[1], r"engine version\s+13\.4\s+14\.1\s+DIFFERENT",
             "... the versions side by side")
    tap.like(res[1], r"allocated storage\s+20 GiB\s+50 GiB\s+DIFFERENT",
             "... the storage side by side")

    for c in ("cl-src", "cl-copy"):
        rds.create_db_cluster(DBClusterIdentifier=c, Engine="aurora-postgresql",
                              MasterUsername="admin1",
                              MasterUserPassword="not-a-real-pw-1")
    rds.create_db_instance(DBInstanceIdentifier="cl-src-1",
                           DBClusterIdentifier="cl-src",
                           DBInstanceClass="db.r5.large",
                           Engine="aurora-postgresql")
    res = run(env, "--json", "verify", "rds-cluster://cl-src",
              "rds-cluster://cl-copy")
    c = check(doc_of(res), "members")
    tap.is_((res[0], c.get("a"), c.get("b")), (9, "1", "0"),
            "clusters: a missing member instance found") or tap.diag(show(res))


def test_usage(p, env):
    p.clear_requests()
    for args, what in (
            (("dynamodb://orders", "rds://db-src"), "a table and an instance"),
            (("dynamodb://orders",), "one resource"),
            (("s3://%s/a/" % BUCKET, "s3://%s/b/" % BUCKET), "two prefixes"),
            (("rds://db-src", "rds://db-same", "--sample", "3"),
             "--sample on RDS"),
            (("dynamodb://orders", "dynamodb://orders"), "a table with itself")):
        res = run(env, "verify", *args)
        tap.is_(res[0], 2, "usage error: %s (exit 2)" % what) or \
            tap.diag(show(res))
    tap.is_(len(p.requests), 0, "... nothing was sent for any of them")


def main():
    if not os.access(SALVAGE, os.X_OK):
        tap.skip_all("salvage not built at %s" % SALVAGE)
    with Moto() as m, FaultProxy(m.url) as p:
        env = m.env({"AWS_ENDPOINT_URL": p.url,
                     "XDG_STATE_HOME": os.path.join(m.tmpdir, "state")})
        test_dynamodb(m, p, env)
        test_s3(m, p, env)
        test_rds(m, env)
        test_usage(p, env)
    tap.done_testing()


main()
