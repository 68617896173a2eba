#!/usr/bin/env bash
# versions-vs-awscli.sh - benchmark (not a test): `salvage versions --json`
# against `aws s3api list-object-versions` on the same moto bucket of 12k+
# versions, in one run. Prints client CPU (user+sys) and peak RSS of each,
# and their ratio. Targets: salvage CPU <= 1/20 of aws-cli's, peak RSS
# <= 24 MiB. Then the parse-only figure (tests/bench/parse-versions).
#
# Usage: tests/bench/versions-vs-awscli.sh [BUILDDIR] [VERSIONS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-$top/build}
n=${2:-12500}
salvage=$build/salvage
[ -x "$salvage" ] || { echo "no salvage binary at $salvage (build first)" >&2; exit 1; }
make -C "$build" -s tests/bench/peak-rss tests/bench/parse-versions

exec python3 - "$salvage" "$n" "$top" "$build" <<'PY'
import os, resource, subprocess, sys, time
salvage, n, top, build = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
sys.path.insert(0, os.path.join(top, "tests", "harness"))
from moto import Moto

PEAK = os.path.join(build, "tests", "bench", "peak-rss")

def measure(argv, env):
    """Run argv under peak-rss; return (user+sys CPU s, peak RSS MiB, wall s)."""
    t0 = time.monotonic()
    r = subprocess.run([PEAK] + argv, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    line = [l for l in r.stderr.splitlines() if l.startswith("peak-rss:")][-1]
    f = dict(kv.split("=") for kv in line.split()[1:] if "=" in kv)
    if r.returncode != 0:
        raise SystemExit("%s exited %d: %s" % (argv[0], r.returncode, r.stderr[-500:]))
    return float(f["user+sys"]), float(f["maxrss"]), wall

with Moto() as m:
    s3 = m.client("s3")
    s3.create_bucket(Bucket="bench")
    s3.put_bucket_versioning(Bucket="bench", VersioningConfiguration={"Status": "Enabled"})
    t0 = time.monotonic()
    keys = 50
    for i in range(n):
        s3.put_object(Bucket="bench", Key="data/k%03d.txt" % (i % keys), Body=b"v%d" % i)
    print("seeded %d versions of %d keys in %.1f s" % (n, keys, time.monotonic() - t0))
    env = m.env()
    env["AWS_PAGER"] = ""
    runs = {}
    for name, argv in (
        ("salvage", [salvage, "versions", "s3://bench", "--json"]),
        ("aws-cli", ["aws", "--endpoint-url", m.url, "s3api", "list-object-versions",
                     "--bucket", "bench", "--output", "json"]),
    ):
        best = None
        for _ in range(3):
            r = measure(argv, env)
            best = r if best is None or r[0] < best[0] else best
        runs[name] = best
        print("%-8s CPU %.3f s  peak RSS %.1f MiB  wall %.2f s" % ((name,) + best))
    ratio = runs["aws-cli"][0] / max(runs["salvage"][0], 1e-6)
    print("CPU ratio aws-cli/salvage: %.1fx (target >= 20x); salvage peak RSS %.1f MiB (target <= 24)"
          % (ratio, runs["salvage"][1]))
    print("note: wall time is dominated by moto serving %d pages; CPU is the client's own."
          % ((n + 999) // 1000))
subprocess.run([os.path.join(build, "tests", "bench", "parse-versions")], check=True)
PY
