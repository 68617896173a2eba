#!/usr/bin/env python3
"""credentials.py - the credential chain end to end, through tests/creds-probe
(real config loading, real HTTP engine, real SigV4):

  environment; --profile (which skips the environment) and AWS_PROFILE
  (which does not); a config-file-only profile; credential_process (with
  and without Expiration, failing with stderr, printing garbage, argv
  split without a shell); AssumeRole against moto's STS, also chained;
  container credentials and IMDSv2 against small fake servers on loopback;
  IAM Identity Center (SSO) profiles, new sso-session and legacy form,
  against a fake portal (AWS_ENDPOINT_URL_SSO) with the token cache that
  `aws sso login` leaves: valid, expired, missing, refused, and an
  sso-session token refreshed through a fake SSO OIDC (the cache file
  rewritten, 0600, and used as is next time); and no
  credentials at all (exit 4, naming every place it looked).

Every probe runs with a scrubbed environment: only PATH, a private HOME
and the variables each case sets.
"""

import datetime
import http.server
import json
import os
import shlex
import shutil
import socket
import sys
import tempfile
import threading
import time

SRCDIR = os.environ.get("SALVAGE_SRCDIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
BUILDDIR = os.environ.get("SALVAGE_BUILDDIR") or os.getcwd()
sys.path.insert(0, os.path.join(SRCDIR, "tests", "harness"))

import subprocess  # noqa: E402

import tap  # noqa: E402
from moto import Moto, free_port  # noqa: E402

PROBE = os.path.join(BUILDDIR, "tests", "creds-probe")
SECRETS = ("envsecret-XYZ", "devsecret-XYZ", "cfgsecret-XYZ", "procsecret-XYZ",
           "imdssecret-XYZ", "ecssecret-XYZ", "ssosecret-XYZ",
           "sso-access-token-XYZ", "sso-refreshed-token-XYZ",
           "sso-refresh-1-XYZ", "sso-client-secret-XYZ")

tmp = tempfile.mkdtemp(prefix="salvage-creds-")
home = os.path.join(tmp, "home")
os.makedirs(home)
config = os.path.join(tmp, "config")
credentials = os.path.join(tmp, "credentials")


def write(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def base_env(**extra):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "LC_ALL": "C.UTF-8",
        "AWS_CONFIG_FILE": config,
        "AWS_SHARED_CREDENTIALS_FILE": credentials,
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = str(v)
    return env


class Result:
    def __init__(self, rc, out, err, elapsed):
        self.rc, self.out, self.err, self.elapsed = rc, out, err, elapsed
        self.kv = {}
        for line in out.splitlines():
            if ": " in line:
                k, v = line.split(": ", 1)
                self.kv[k] = v

    def __getitem__(self, k):
        return self.kv.get(k)


def probe(*args, env=None, timeout=90):
    start = time.monotonic()
    r = subprocess.run([PROBE] + list(args), env=env or base_env(),
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    res = Result(r.returncode, r.stdout.decode("utf-8", "replace"),
                 r.stderr.decode("utf-8", "replace"),
                 time.monotonic() - start)
    for s in SECRETS:
        if s in res.out or s in res.err:
            tap.ok(False, "a secret leaked into the probe's output: " + s)
    if res.rc != 0:
        tap.diag("probe %s: rc %d: %s" % (" ".join(args), res.rc,
                                          res.err.strip()))
    return res


# --- files -------------------------------------------------------------------

def helper(name, body):
    """A credential_process helper run by this Python."""
    path = write(os.path.join(tmp, name), body, 0o700)
    return "%s %s" % (shlex.quote(sys.executable), shlex.quote(path))


in_hour = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) \
    + datetime.timedelta(hours=1)

proc_plain = helper("plain.py", """
import json
print(json.dumps({"Version": 1, "AccessKeyId": "AKIDPROC1",
                  "SecretAccessKey": "procsecret-XYZ"}))
""")
proc_exp = helper("exp.py", """
import json
print(json.dumps({"Version": 1, "AccessKeyId": "ASIAPROC2",
                  "SecretAccessKey": "procsecret-XYZ",
                  "SessionToken": "proctoken",
                  "Expiration": "%s"}))
""" % iso(in_hour))
proc_fail = helper("fail.py", """
import sys
sys.stderr.write("sso session expired, run aws sso login\\n")
sys.exit(1)
""")
proc_junk = helper("junk.py", """
print("this is not json procsecret-XYZ")
""")
argv_file = os.path.join(tmp, "argv.json")
proc_argv = helper("argv.py", """
import json, sys
with open(%r, "w") as f:
    json.dump(sys.argv[1:], f)
print(json.dumps({"Version": 1, "AccessKeyId": "AKIDARGV",
                  "SecretAccessKey": "procsecret-XYZ"}))
""" % argv_file)

write(config, """\
# salvage integration test config
[default]
region = eu-west-1

[profile cfgonly]
aws_access_key_id = AKIDCFG
aws_secret_access_key = cfgsecret-XYZ

[profile proc]
credential_process = %s

[profile procexp]
credential_process = %s

[profile procfail]
credential_process = %s

[profile procjunk]
credential_process = %s

[profile procargv]
credential_process = %s 'two words' "double quoted" '$HOME;echo' plain

[profile role1]
role_arn = arn:aws:iam::123456789012:role/first-role
source_profile = base
role_session_name = salvage-test

[profile role2]
role_arn = arn:aws:iam::123456789012:role/second-role
source_profile = role1
""" % (proc_plain, proc_exp, proc_fail, proc_junk, proc_argv))
write(credentials, """\
[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = devsecret-XYZ

[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = testing
""")

ENV_CREDS = {"AWS_ACCESS_KEY_ID": "AKIDENV",
             "AWS_SECRET_ACCESS_KEY": "envsecret-XYZ"}

# --- environment and profiles -----------------------------------------------

r = probe(env=base_env(**ENV_CREDS))
tap.is_(r.rc, 0, "environment credentials")
tap.is_(r["source"], "environment", "... source environment")
tap.is_(r["access_key_id"], "AKIDENV", "... the access key")
tap.is_(r["secret"], "set", "... the secret is there but not printed")
tap.is_(r["expiration"], "none", "... no expiration")

r = probe("--profile", "dev", env=base_env(**ENV_CREDS))
tap.is_(r.rc, 0, "--profile dev")
tap.is_(r["access_key_id"], "AKIDDEV", "--profile skips the environment")
tap.like(r["source"] or "", r"^profile dev \(.*credentials\)$",
         "... source names the profile and the credentials file")

r = probe(env=base_env(AWS_PROFILE="dev"))
tap.is_(r["access_key_id"], "AKIDDEV", "AWS_PROFILE selects the profile")
r = probe(env=base_env(AWS_PROFILE="dev", **ENV_CREDS))
tap.is_(r["source"], "environment",
        "AWS_PROFILE does not skip environment credentials (botocore)")

r = probe("--profile", "cfgonly")
tap.is_(r["access_key_id"], "AKIDCFG", "a config-file-only profile")
tap.like(r["source"] or "", r"^profile cfgonly \(.*config\)$",
         "... source names the config file")

r = probe("--profile", "nope")
tap.is_(r.rc, 1, "an unknown --profile fails (configuration error)")
tap.like(r.err, r"profile 'nope' .*not found in .*config or .*credentials",
         "... naming the profile and both files")

r = probe(env=base_env(AWS_ACCESS_KEY_ID="AKIDONLY"))
tap.is_(r.rc, 4, "AWS_ACCESS_KEY_ID without the secret: exit 4")
tap.like(r.err, r"AWS_SECRET_ACCESS_KEY is not", "... naming the missing one")

# --- credential_process -----------------------------------------------------

r = probe("--profile", "proc")
tap.is_(r.rc, 0, "credential_process")
tap.is_(r["access_key_id"], "AKIDPROC1", "... its access key")
tap.is_(r["source"], "credential_process (profile proc)", "... source")
tap.is_(r["expiration"], "none", "... no Expiration: none")
tap.is_(r["session_token"], "none", "... no SessionToken: none")

r = probe("--profile", "procexp")
tap.is_(r["access_key_id"], "ASIAPROC2", "credential_process with Expiration")
tap.is_(r["expiration"], iso(in_hour), "... the expiration, one hour ahead")
tap.is_(r["session_token"], "set", "... with a session token")

r = probe("--profile", "procfail")
tap.is_(r.rc, 4, "a credential_process exiting 1: exit 4")
tap.like(r.err, r"profile 'procfail'", "... names the profile")
tap.like(r.err, r"status 1", "... and the exit status")
tap.like(r.err, r"sso session expired, run aws sso login",
         "... and shows its stderr")

r = probe("--profile", "procjunk")
tap.is_(r.rc, 4, "a credential_process printing junk: exit 4")
tap.like(r.err, r"procjunk.*not a JSON object", "... says it is not JSON")

if os.path.exists(argv_file):
    os.unlink(argv_file)
r = probe("--profile", "procargv")
tap.is_(r["access_key_id"], "AKIDARGV", "credential_process with quoted args")
try:
    with open(argv_file) as f:
        got = json.load(f)
except (OSError, ValueError) as e:
    got = repr(e)
tap.is_(got, ["two words", "double quoted", "$HOME;echo", "plain"],
        "... argv split like shlex, no shell ($HOME and ; stay literal)")

# --- AssumeRole against moto --------------------------------------------------

with Moto() as m:
    sts_env = base_env(AWS_ENDPOINT_URL_STS=m.url, AWS_REGION="us-east-1")
    r = probe("--profile", "role1", env=sts_env)
    tap.is_(r.rc, 0, "assume-role through moto's STS")
    tap.is_(r["source"],
            "assume-role arn:aws:iam::123456789012:role/first-role via "
            "profile base", "... source says assume-role and the source")
    tap.ok(r["access_key_id"] not in (None, "AKIDBASE"),
           "... the access key is the role's, not the source's")
    tap.is_(r["session_token"], "set", "... with a session token")
    tap.like(r["expiration"] or "", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$",
             "... and an expiration")
    first_key = r["access_key_id"]

    r = probe("--profile", "role2", env=sts_env)
    tap.is_(r.rc, 0, "a chain of two roles")
    tap.like(r["source"] or "", r"second-role via profile role1$",
             "... source names the last role and its source profile")
    tap.ok(r["access_key_id"] not in (None, "AKIDBASE", first_key),
           "... new credentials again")

# --- no credentials at all ----------------------------------------------------

write(config, "")
write(credentials, "")
closed = free_port()
r = probe(env=base_env(AWS_EC2_METADATA_DISABLED=None,
                       AWS_EC2_METADATA_SERVICE_ENDPOINT=(
                           "http://127.0.0.1:%d" % closed)))
tap.is_(r.rc, 4, "no credentials anywhere: exit 4")
tap.like(r.err, r"no AWS credentials found", "... says so")
for what, where in (
        ("the environment", r"the environment \(AWS_ACCESS_KEY_ID\)"),
        ("the profile and both files",
         r"profile 'default' in \S+/credentials and \S+/config"),
        ("container credentials", r"container credentials"),
        ("IMDS and why it failed",
         r"EC2 instance metadata \(no answer from http://127\.0\.0\.1")):
    tap.like(r.err, where, "... names " + what)
tap.ok(r.elapsed < 15, "... and fails fast without IMDS (%.1f s)" % r.elapsed)

# --- fake metadata servers -----------------------------------------------------


class Fake(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(handler):
    srv = Fake(("127.0.0.1", 0), handler)
    srv.log = []
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv, "http://127.0.0.1:%d" % srv.server_address[1]


IMDS_TOKEN = "fake-imds-token-123"
imds_exp = in_hour + datetime.timedelta(hours=5)


class Imds(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        self.server.log.append(("PUT", self.path, ttl))
        if self.path != "/latest/api/token" or not ttl:
            return self.reply(400, "bad token request")
        self.reply(200, IMDS_TOKEN)

    def do_GET(self):
        tok = self.headers.get("X-aws-ec2-metadata-token")
        self.server.log.append(("GET", self.path, tok))
        if tok != IMDS_TOKEN:
            return self.reply(401, "")
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == base:
            return self.reply(200, "fake-role")
        if self.path == base + "fake-role":
            return self.reply(200, json.dumps({
                "Code": "Success", "Type": "AWS-HMAC",
                "LastUpdated": iso(in_hour),
                "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "imdssecret-XYZ",
                "Token": "imdstoken", "Expiration": iso(imds_exp)}))
        self.reply(404, "")


srv, url = serve(Imds)
try:
    r = probe(env=base_env(AWS_EC2_METADATA_DISABLED=None,
                           AWS_EC2_METADATA_SERVICE_ENDPOINT=url))
    tap.is_(r.rc, 0, "IMDSv2 credentials from a fake IMDS")
    tap.is_(r["source"], "IMDSv2 (role fake-role)", "... source IMDSv2")
    tap.is_(r["access_key_id"], "ASIAIMDS", "... its access key")
    tap.is_(r["expiration"], iso(imds_exp), "... its expiration")
    tap.is_([e[:2] for e in srv.log],
            [("PUT", "/latest/api/token"),
             ("GET", "/latest/meta-data/iam/security-credentials/"),
             ("GET", "/latest/meta-data/iam/security-credentials/fake-role")],
            "... token PUT, then the role, then its credentials")
    tap.is_(srv.log[0][2] if srv.log else None, "21600",
            "... asking for a 6-hour token")
    tap.ok(all(e[2] == IMDS_TOKEN for e in srv.log[1:]) and len(srv.log) > 1,
           "... and sending the token with every GET")

    r = probe(env=base_env(AWS_EC2_METADATA_SERVICE_ENDPOINT=url))
    tap.is_(r.rc, 4, "AWS_EC2_METADATA_DISABLED=true skips IMDS")
    tap.like(r.err, r"disabled by AWS_EC2_METADATA_DISABLED", "... and says so")
finally:
    srv.shutdown()


class Ecs(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        self.server.log.append((self.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != "Bearer ecs-token":
            body, status = b"{}", 401
        else:
            body, status = json.dumps({
                "AccessKeyId": "ASIAECS", "SecretAccessKey": "ecssecret-XYZ",
                "Token": "ecstoken", "Expiration": iso(in_hour)}).encode(), 200
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


srv, url = serve(Ecs)
try:
    r = probe(env=base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=url + "/creds",
                           AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer ecs-token"))
    tap.is_(r.rc, 0, "container credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI")
    tap.is_(r["source"], "container credentials", "... source")
    tap.is_(r["access_key_id"], "ASIAECS", "... its access key")
    tap.is_(srv.log[:1], [("/creds", "Bearer ecs-token")],
            "... sending the authorization token")
    r = probe(env=base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=url + "/creds"))
    tap.is_(r.rc, 4, "container endpoint refusing: exit 4, no fallback")
    tap.like(r.err, r"container credentials: .* answered HTTP 401",
             "... saying what the endpoint answered")
finally:
    srv.shutdown()

# --- IAM Identity Center (SSO) ---------------------------------------------------

SSO_TOKEN = "sso-access-token-XYZ"
SSO_TOKEN2 = "sso-refreshed-token-XYZ"


class Portal(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        tok = self.headers.get("x-amz-sso_bearer_token")
        self.server.log.append((self.path, tok))
        if tok not in (SSO_TOKEN, SSO_TOKEN2) or not self.path.startswith(
                "/federation/credentials?"):
            body, status = json.dumps({"message": "Session token not found or "
                                       "invalid"}).encode(), 401
        else:
            body, status = json.dumps({"roleCredentials": {
                "accessKeyId": "ASIASSO", "secretAccessKey": "ssosecret-XYZ",
                "sessionToken": "ssotoken",
                "expiration": int(in_hour.timestamp() * 1000)}}).encode(), 200
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def sso_cache(key, expires, token=SSO_TOKEN, **more):
    """The file `aws sso login` leaves for key (session name or start URL)."""
    import hashlib
    d = os.path.join(home, ".aws", "sso", "cache")
    os.makedirs(d, exist_ok=True)
    doc = {"startUrl": "https://example.awsapps.com/start",
           "region": "eu-west-1", "accessToken": token, "expiresAt": expires}
    doc.update(more)
    return write(os.path.join(d, hashlib.sha1(key.encode()).hexdigest() +
                              ".json"), json.dumps(doc))


sso_config = write(os.path.join(tmp, "sso-config"), """\
[profile ops]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Recovery Operator
region = eu-west-1

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile broken]
sso_session = nowhere
sso_account_id = 1
sso_role_name = r
""")

srv, url = serve(Portal)
try:
    env = base_env(AWS_CONFIG_FILE=sso_config, AWS_ENDPOINT_URL_SSO=url)
    r = probe("--profile", "ops", env=env)
    tap.is_(r.rc, 4, "SSO without a sign-in: exit 4")
    tap.like(r.err, r"aws sso login --profile ops",
             "... saying to run aws sso login")

    cache = sso_cache("corp", iso(in_hour))
    srv.log.clear()
    r = probe("--profile", "ops", "--debug", env=env)
    tap.is_(r.rc, 0, "SSO (sso-session) credentials from the portal")
    tap.is_(r["access_key_id"], "ASIASSO", "... its access key")
    tap.is_(r["expiration"], iso(in_hour), "... its expiration")
    tap.like(r["source"] or "", r"IAM Identity Center \(SSO\), profile ops "
             r"\(account 111122223333, role Recovery Operator\)", "... source")
    tap.is_(srv.log, [("/federation/credentials?account_id=111122223333"
                       "&role_name=Recovery%20Operator", SSO_TOKEN)],
            "... GetRoleCredentials with the cached token, the role encoded")

    write(cache, json.dumps({"accessToken": SSO_TOKEN,
                             "expiresAt": "2020-01-01T00:00:00UTC"}))
    srv.log.clear()
    r = probe("--profile", "ops", env=env)
    tap.is_((r.rc, srv.log), (4, []), "an expired sign-in: exit 4, the portal "
            "is not asked")
    tap.like(r.err, r"has expired .*aws sso login --profile ops",
             "... saying it expired and what to run")

    sso_cache("corp", iso(in_hour), token="some-other-token")
    r = probe("--profile", "ops", env=env)
    tap.is_(r.rc, 4, "a token the portal refuses: exit 4")
    tap.like(r.err, r"refused the sign-in of profile 'ops' \(HTTP 401\)",
             "... saying so")

    sso_cache("https://legacy.awsapps.com/start", iso(in_hour))
    r = probe("--profile", "legacy", env=env)
    tap.is_((r.rc, r["access_key_id"]), (0, "ASIASSO"),
            "legacy SSO profile (sso_start_url): the cache by the start URL")

    r = probe("--profile", "broken", env=env)
    tap.like(r.err, r"names sso_session nowhere, but \S+ has no "
             r"\[sso-session nowhere\] section",
             "an sso_session without its section: said so")
finally:
    srv.shutdown()


class Oidc(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        req = json.loads(self.rfile.read(n) or b"{}")
        self.server.log.append((self.path, req))
        if getattr(self.server, "refuse", False) or req != {
                "grantType": "refresh_token", "clientId": "client-1",
                "clientSecret": "sso-client-secret-XYZ",
                "refreshToken": "sso-refresh-1-XYZ"}:
            body, status = json.dumps({"error": "invalid_grant"}).encode(), 400
        else:
            body, status = json.dumps({"accessToken": SSO_TOKEN2,
                                       "tokenType": "Bearer", "expiresIn": 3600,
                                       "refreshToken": "sso-refresh-2"}).encode(), 200
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


srv, url = serve(Portal)
osrv, ourl = serve(Oidc)
try:
    env = base_env(AWS_CONFIG_FILE=sso_config, AWS_ENDPOINT_URL_SSO=url,
                   AWS_ENDPOINT_URL_SSO_OIDC=ourl)
    future = iso(in_hour + datetime.timedelta(days=30))

    def stale_cache():
        return sso_cache("corp", iso(in_hour - datetime.timedelta(hours=2)),
                         token="sso-stale-token", clientId="client-1",
                         clientSecret="sso-client-secret-XYZ",
                         registrationExpiresAt=future,
                         refreshToken="sso-refresh-1-XYZ")

    cache = stale_cache()
    r = probe("--profile", "ops", env=env)
    tap.is_((r.rc, r["access_key_id"]), (0, "ASIASSO"),
            "an expired sso-session sign-in is refreshed (SSO OIDC), then used")
    tap.is_([e[0] for e in osrv.log], ["/token"], "... one CreateToken")
    tap.is_(srv.log[-1][1] if srv.log else None, SSO_TOKEN2,
            "... the portal gets the new token")
    with open(cache) as f:
        c = json.load(f)
    tap.ok(c["accessToken"] == SSO_TOKEN2 and c["refreshToken"] == "sso-refresh-2"
           and c["clientId"] == "client-1" and c["expiresAt"] > iso(in_hour),
           "... the cache file holds the new token, refresh token and expiry",
           {k: v for k, v in c.items() if "ecret" not in k})
    tap.is_(oct(os.stat(cache).st_mode & 0o777), "0o600", "... and stays 0600")
    osrv.log.clear()
    r = probe("--profile", "ops", env=env)
    tap.is_((r.rc, osrv.log), (0, []), "the next run uses it without refreshing")

    cache = stale_cache()
    osrv.refuse = True
    r = probe("--profile", "ops", env=env)
    tap.is_(r.rc, 4, "a refresh the service refuses: exit 4")
    tap.like(r.err, r"has expired .*refreshing it was refused \(HTTP 400\).*"
             r"aws sso login --profile ops", "... saying why and what to run")
finally:
    srv.shutdown()
    osrv.shutdown()

shutil.rmtree(tmp, ignore_errors=True)
tap.done_testing()
