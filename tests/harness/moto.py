"""A private moto_server for one test process.

    from moto import Moto          # this module, not the moto package
    with Moto() as m:
        s3 = m.client("s3")
        s3.create_bucket(Bucket="b")
        subprocess.run([salvage, "ls", "s3://"], env=m.env())
        m.reset()

NOTE: this file is named ``moto.py`` and tests put tests/harness first on
sys.path, so inside a test process ``import moto`` is this helper and the
real moto package is shadowed.  Tests never need the package in-process:
the emulator runs as a separate ``moto_server`` process.

The server is started as ``moto_server -H 127.0.0.1 -p PORT`` in its own
process group (session), on a free loopback port found by binding port 0;
if it fails to bind (another process took the port in between) another
port is tried.  It is always stopped: on context exit, at interpreter exit
(atexit), and when the test process gets SIGTERM, SIGINT or SIGHUP (the
previous handler is chained).  The whole process group is killed.  On
Linux the server also gets SIGTERM if the test process dies uncleanly
(SIGKILL): PR_SET_PDEATHSIG.

Environment knobs:
  SALVAGE_TEST_KEEP=1     keep the temp dir (moto.log, fake HOME) afterwards
  SALVAGE_MOTO_SERVER     command to run instead of ``moto_server`` (split
                          on whitespace; -H/-p are appended)

moto facts worth knowing (moto 5.x):
  * every service is served on one port; moto picks the service from the
    SigV4 credential scope, and an unsigned ``GET /`` is S3 ListBuckets;
  * account id is 123456789012; signatures are not checked (unless
    INITIAL_NO_AUTH_ACTION_COUNT is set), so the Host header does not
    matter for auth;
  * ``POST /moto-api/reset`` clears all state; ``GET /moto-api/`` is the
    dashboard, used here as the readiness probe.
"""

import atexit
import ctypes
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

__all__ = ["Moto", "MotoError", "free_port"]

HOST = "127.0.0.1"
ACCESS_KEY = "testing"
SECRET_KEY = "testing"
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"

# Variables that would steer an AWS client away from the emulator or make
# it look for real credentials.  Removed from every env() we hand out.
_SCRUB_PREFIXES = ("AWS_ENDPOINT_URL_",)
_SCRUB = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
    "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "NO_COLOR",
)

# A urllib opener that never goes through an http_proxy from the env.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class MotoError(RuntimeError):
    pass


def free_port(host=HOST):
    """A port that was free a moment ago (bind to 0, read, close)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _parent_death_signal():
    """preexec_fn for Linux: the server gets SIGTERM if the test process
    dies without cleaning up (SIGKILL, a harness timeout).  Only used when
    starting from the main thread (PR_SET_PDEATHSIG follows the thread)."""
    if not sys.platform.startswith("linux"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    sig = int(signal.SIGTERM)

    def fn():
        prctl(1, sig)  # PR_SET_PDEATHSIG

    return fn


def _keep():
    return os.environ.get("SALVAGE_TEST_KEEP", "") not in ("", "0")


# --- cleanup on exit and on signals ------------------------------------------

_live = set()
_live_lock = threading.RLock()   # RLock: a signal handler may run inside
_signals_installed = False


def _cleanup_all():
    with _live_lock:
        live = list(_live)
    for m in live:
        try:
            m.stop(force=True)
        except Exception:
            pass


def _install_signal_handlers():
    global _signals_installed
    if _signals_installed:
        return
    if threading.current_thread() is not threading.main_thread():
        return  # signal.signal only works in the main thread
    _signals_installed = True
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        prev = signal.getsignal(sig)

        def handler(signum, frame, prev=prev):
            _cleanup_all()
            if callable(prev):
                prev(signum, frame)       # e.g. KeyboardInterrupt, or Tui's
            elif prev == signal.SIG_IGN:
                return
            else:                         # SIG_DFL: die of the signal
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)

        signal.signal(sig, handler)


atexit.register(_cleanup_all)


# --- the server -----------------------------------------------------------------

class Moto:
    """A moto_server on a private loopback port, with a private temp dir.

    Moto(start_timeout=60, command=None, env=None)
      command: argv prefix of the server (default: $SALVAGE_MOTO_SERVER or
               ``moto_server``, else ``python -m moto.server``); ``-H HOST
               -p PORT`` is appended.
      env:     extra environment for the moto_server process itself (e.g.
               {"INITIAL_NO_AUTH_ACTION_COUNT": "3"}).
    Attributes: url, port, tmpdir, log_path, pid.
    """

    def __init__(self, start_timeout=60, command=None, env=None):
        self.start_timeout = start_timeout
        self.command = list(command) if command else self._default_command()
        self.server_env = dict(env or {})
        self.port = None
        self.url = None
        self.proc = None
        self.pid = None
        self.tmpdir = None
        self.log_path = None
        self._log = None
        self._stopped = True

    @staticmethod
    def _default_command():
        cmd = os.environ.get("SALVAGE_MOTO_SERVER")
        if cmd:
            return shlex.split(cmd)
        exe = shutil.which("moto_server")
        if exe:
            return [exe]
        return [sys.executable, "-m", "moto.server"]

    # -- lifecycle

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        if self.proc is not None:
            raise MotoError("Moto already started")
        self.tmpdir = tempfile.mkdtemp(prefix="salvage-moto-")
        self._make_home()
        self.log_path = os.path.join(self.tmpdir, "moto.log")
        self._log = open(self.log_path, "ab")
        self._stopped = False
        with _live_lock:
            _live.add(self)
        _install_signal_handlers()
        deadline = time.monotonic() + self.start_timeout
        attempts = 0
        try:
            while True:
                attempts += 1
                port = free_port()
                if self._try_start(port, deadline):
                    return self
                if attempts >= 5 or time.monotonic() >= deadline:
                    raise MotoError(
                        "moto_server did not start (%d attempt(s), command %s)"
                        "\n--- moto log (%s) ---\n%s"
                        % (attempts, " ".join(self.command), self.log_path,
                           self.log_text()))
        except BaseException:
            self.stop()
            raise

    def _make_home(self):
        t = self.tmpdir
        for d in ("home", "config", "state", "aws"):
            os.makedirs(os.path.join(t, d), mode=0o700, exist_ok=True)
        for f in ("config", "credentials"):
            open(os.path.join(t, "aws", f), "w").close()

    def _try_start(self, port, deadline):
        """Start on port; True when it answers, False if it died early."""
        self._log.write(("--- starting %s on port %d\n"
                         % (" ".join(self.command), port)).encode())
        self._log.flush()
        # moto uses boto3 internally: a caller's AWS_PROFILE naming a
        # profile that does not exist makes e.g. DynamoDB CreateTable fail
        # with a 500.  Give the server the same clean AWS environment.
        env = self._clean_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env.update(self.server_env)
        env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen(
            self.command + ["-H", HOST, "-p", str(port)],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
            cwd=self.tmpdir, env=env, start_new_session=True,
            preexec_fn=_parent_death_signal())
        self.pid = self.proc.pid
        url = "http://%s:%d" % (HOST, port)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                # Died (most likely: port taken).  Let the caller retry.
                self._log.write(("--- exited with status %d\n"
                                 % self.proc.returncode).encode())
                self._log.flush()
                self._kill_group()
                self.proc = None
                return False
            try:
                with _opener.open(url + "/moto-api/", timeout=2) as r:
                    if r.status == 200:
                        self.port, self.url = port, url
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        return False

    def stop(self, force=False):
        """Kill the server's process group and remove the temp dir.

        Idempotent.  force=True (used by the signal handler, which may
        interrupt a stop() in progress) kills again even if stopping."""
        if self._stopped and not force:
            return
        self._stopped = True
        self._kill_group()
        with _live_lock:
            _live.discard(self)
        self.proc = None
        if self._log:
            try:
                self._log.close()
            except Exception:
                pass
            self._log = None
        if self.tmpdir:
            if _keep():
                sys.stderr.write("SALVAGE_TEST_KEEP: moto temp dir kept: %s\n"
                                 % self.tmpdir)
            else:
                shutil.rmtree(self.tmpdir, ignore_errors=True)

    def _kill_group(self):
        p = self.proc
        if p is None:
            return
        pgid = p.pid  # start_new_session: the server leads its own group
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except (ProcessLookupError, PermissionError):
                break
            try:
                p.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The leader is gone; make sure nothing else in the group lives.
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            break
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def log_text(self, limit=20000):
        """The tail of moto's captured stdout/stderr."""
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
        except (OSError, TypeError):
            return "(no log)"
        return data[-limit:].decode("utf-8", "replace")

    # -- talking to it

    def env(self, extra=None):
        """A copy of os.environ pointing AWS clients at this server.

        extra: dict merged last; a value of None removes the variable."""
        self._need_running()
        e = self._clean_env()
        for k, v in (extra or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = str(v)
        return e

    def _clean_env(self):
        t = self.tmpdir
        e = dict(os.environ)
        for k in list(e):
            if k in _SCRUB or k.startswith(_SCRUB_PREFIXES):
                del e[k]
        e.update({
            "AWS_ENDPOINT_URL": self.url or "",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": os.path.join(t, "aws", "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(t, "aws", "credentials"),
            # Never wait for an instance metadata service that is not there.
            "AWS_EC2_METADATA_DISABLED": "true",
            "HOME": os.path.join(t, "home"),
            "XDG_CONFIG_HOME": os.path.join(t, "config"),
            "XDG_STATE_HOME": os.path.join(t, "state"),
            "LC_ALL": "C.UTF-8",
        })
        # libcurl and aws-cli honour http_proxy: keep loopback direct.
        for k in ("NO_PROXY", "no_proxy"):
            cur = e.get(k, "")
            e[k] = ",".join(x for x in (cur, "127.0.0.1,localhost") if x)
        return e

    def session(self):
        """A boto3 Session with the test credentials, immune to the
        caller's AWS_PROFILE / config files."""
        self._need_running()
        import boto3
        import botocore.session
        bc = botocore.session.Session(
            session_vars={"profile": (None, None, None, None)})
        bc.set_config_variable("config_file",
                               os.path.join(self.tmpdir, "aws", "config"))
        bc.set_config_variable("credentials_file",
                               os.path.join(self.tmpdir, "aws", "credentials"))
        return boto3.session.Session(
            botocore_session=bc, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, region_name=REGION)

    def client(self, service, endpoint_url=None, **config):
        """A boto3 client for this server (or endpoint_url, e.g. a
        FaultProxy in front of it).  config: botocore Config kwargs; the
        default is a single attempt (no retries) and short timeouts."""
        from botocore.config import Config
        cfg = {"retries": {"total_max_attempts": 1, "mode": "standard"},
               "connect_timeout": 10, "read_timeout": 60,
               "s3": {"addressing_style": "path"}}
        cfg.update(config)
        return self.session().client(
            service, endpoint_url=endpoint_url or self.url,
            config=Config(**cfg))

    def aws(self, *args, timeout=120):
        """Run ``aws --endpoint-url URL --output json ARGS`` with env().

        Returns the parsed JSON (None for empty output, the raw text if it
        is not JSON).  Raises MotoError with stderr on a non-zero exit."""
        self._need_running()
        argv = ["aws", "--endpoint-url", self.url, "--output", "json"]
        argv += [str(a) for a in args]
        r = subprocess.run(argv, env=self.env(), stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=timeout)
        out = r.stdout.decode("utf-8", "replace")
        if r.returncode != 0:
            raise MotoError("%s: exit %d\n--- stderr ---\n%s\n--- stdout ---\n%s"
                            % (" ".join(argv), r.returncode,
                               r.stderr.decode("utf-8", "replace"), out))
        if not out.strip():
            return None
        try:
            return json.loads(out)
        except ValueError:
            return out

    def reset(self):
        """Clear every service's state (POST /moto-api/reset)."""
        self._need_running()
        req = urllib.request.Request(self.url + "/moto-api/reset",
                                     data=b"", method="POST")
        with _opener.open(req, timeout=30) as r:
            if r.status != 200:
                raise MotoError("moto reset: HTTP %d" % r.status)

    def _need_running(self):
        if self.url is None or self._stopped:
            raise MotoError("Moto is not running")

    def __repr__(self):
        return "<Moto %s pid=%s>" % (self.url, self.pid)
