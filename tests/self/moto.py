#!/usr/bin/env python3
"""Self-test of tests/harness/moto.py: a private moto_server starts, serves
boto3 and aws-cli, resets, and is gone (process group and port) after
context exit, after SIGTERM of the test process, and after a failed start.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # never write into the source tree
HARNESS = os.path.join(HERE, "..", "harness")
sys.path.insert(0, HARNESS)

import tap  # noqa: E402
from moto import Moto, MotoError  # noqa: E402  (the harness helper)


def port_free(port):
    """Could a new server bind the port?  (SO_REUSEADDR, as servers do: the
    closed server's side of old connections may sit in TIME_WAIT.)"""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def live_members(pgid):
    """Processes of group pgid that are not zombies (an orphaned zombie
    waits for PID 1, which may reap lazily in a container)."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(d))
    return found


def group_gone(pgid, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        if not live_members(pgid):
            return True
        time.sleep(0.05)
    return False


def connect_refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return True


# Things the env() must scrub, set in our own environment first.
os.environ["AWS_PROFILE"] = "no-such-profile"
os.environ["AWS_ENDPOINT_URL_S3"] = "http://192.0.2.1:9"
os.environ["NO_COLOR"] = "1"

with Moto() as m:
    tap.like(m.url, r"^http://127\.0\.0\.1:\d+$", "url is a loopback http url")
    tap.is_(m.url, "http://127.0.0.1:%d" % m.port, "url and port agree")
    tap.ok(not port_free(m.port), "the port is in use while moto runs")
    tap.ok(os.path.isdir(m.tmpdir), "tmpdir exists")

    s3 = m.client("s3")
    s3.create_bucket(Bucket="selftest-bucket")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    tap.is_(names, ["selftest-bucket"], "boto3 CreateBucket + ListBuckets")

    # moto uses boto3 inside: with our bogus AWS_PROFILE leaking into the
    # server, CreateTable would fail with a 500.
    ddb = m.client("dynamodb")
    ddb.create_table(TableName="selftest-table", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
    tap.is_(ddb.list_tables()["TableNames"], ["selftest-table"],
            "DynamoDB CreateTable works despite a bogus AWS_PROFILE outside")

    out = m.aws("s3api", "list-buckets")
    tap.is_([b["Name"] for b in out["Buckets"]], ["selftest-bucket"],
            "aws s3api list-buckets through .aws() sees the bucket")

    ident = m.aws("sts", "get-caller-identity")
    tap.is_(ident.get("Account"), "123456789012", "aws sts get-caller-identity")

    try:
        m.aws("s3api", "head-bucket", "--bucket", "no-such-bucket-here")
        tap.ok(False, ".aws() raises on a failing command")
    except MotoError as e:
        tap.like(str(e), r"exit \d+", ".aws() raises on a failing command")

    e = m.env({"SALVAGE_EXTRA": "1", "LANG": None})
    tap.is_(e["AWS_ENDPOINT_URL"], m.url, "env: AWS_ENDPOINT_URL")
    tap.is_((e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"]),
            ("testing", "testing"), "env: test credentials")
    tap.is_((e["AWS_REGION"], e["AWS_DEFAULT_REGION"]),
            ("us-east-1", "us-east-1"), "env: region")
    tap.ok("AWS_PROFILE" not in e, "env: AWS_PROFILE removed")
    tap.ok("AWS_ENDPOINT_URL_S3" not in e, "env: per-service endpoint removed")
    tap.ok("NO_COLOR" not in e, "env: NO_COLOR removed")
    tap.ok("LANG" not in e and e.get("SALVAGE_EXTRA") == "1",
           "env: extra sets and unsets")
    tap.is_(e["LC_ALL"], "C.UTF-8", "env: LC_ALL")
    files_ok = all(
        e[k].startswith(m.tmpdir + os.sep) and os.path.isfile(e[k])
        and os.path.getsize(e[k]) == 0
        for k in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"))
    tap.ok(files_ok, "env: AWS config/credentials are empty files in tmpdir")
    dirs_ok = all(e[k].startswith(m.tmpdir + os.sep) and os.path.isdir(e[k])
                  for k in ("HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"))
    tap.ok(dirs_ok, "env: HOME and XDG dirs are directories in tmpdir")
    tap.is_(os.environ.get("AWS_PROFILE"), "no-such-profile",
            "env() does not modify os.environ")

    m.reset()
    tap.is_(s3.list_buckets()["Buckets"], [], "reset() clears state")

    pgid, port, tmpdir = m.pid, m.port, m.tmpdir

tap.ok(group_gone(pgid), "moto's process group is gone after exit")
tap.ok(connect_refused(port), "nothing answers on the port afterwards")
tap.ok(port_free(port), "the port can be bound afterwards")
tap.ok(not os.path.exists(tmpdir), "tmpdir removed")

# --- SIGTERM of the test process stops moto ---------------------------------
child_src = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, %r)
    from moto import Moto
    m = Moto().start()
    print(m.pid, m.port, m.tmpdir, flush=True)
    time.sleep(120)
""" % os.path.abspath(HARNESS))
child = subprocess.Popen([sys.executable, "-c", child_src],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         cwd=tempfile.gettempdir())
try:
    line = child.stdout.readline().decode()
    parts = line.split()
    if len(parts) != 3:
        child.kill()
        tap.ok(False, "child started a Moto",
               "stdout %r stderr %r" % (line, child.stderr.read().decode()))
    else:
        cpgid, cport, ctmp = int(parts[0]), int(parts[1]), parts[2]
        tap.ok(not connect_refused(cport), "child's moto answers")
        child.send_signal(signal.SIGTERM)
        rc = child.wait(timeout=30)
        tap.is_(rc, -signal.SIGTERM, "child died of SIGTERM (handler re-raised)")
        tap.ok(group_gone(cpgid), "SIGTERM: moto's process group is gone")
        tap.ok(connect_refused(cport), "SIGTERM: port no longer answers")
        tap.ok(not os.path.exists(ctmp), "SIGTERM: tmpdir removed")
finally:
    if child.poll() is None:
        child.kill()
        child.wait()

# --- SIGKILL of the test process: the parent-death signal stops moto -------
child = subprocess.Popen([sys.executable, "-c", child_src],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         cwd=tempfile.gettempdir())
try:
    parts = child.stdout.readline().decode().split()
    if len(parts) != 3:
        child.kill()
        tap.ok(False, "SIGKILL: child started a Moto", child.stderr.read().decode())
    else:
        cpgid, cport, ctmp = int(parts[0]), int(parts[1]), parts[2]
        child.kill()
        child.wait(timeout=30)
        tap.ok(group_gone(cpgid, timeout=15),
               "SIGKILL of the test process: moto's process group is gone")
        tap.ok(connect_refused(cport), "SIGKILL: port no longer answers")
        shutil.rmtree(ctmp, ignore_errors=True)   # nobody else can
finally:
    if child.poll() is None:
        child.kill()
        child.wait()

# --- a server that cannot start: the error carries moto's log ----------------
bad = [sys.executable, "-c",
       "import sys; print('selftest-boom-marker', file=sys.stderr); sys.exit(3)"]
t0 = time.monotonic()
try:
    with Moto(command=bad, start_timeout=20):
        pass
    tap.ok(False, "a failing server raises MotoError")
except MotoError as e:
    tap.like(str(e), "selftest-boom-marker",
             "a failing server raises MotoError with the captured log")
    tap.like(str(e), r"5 attempt", "it retried on other ports")
tap.ok(time.monotonic() - t0 < 15, "the failure is reported promptly")

tap.done_testing()
