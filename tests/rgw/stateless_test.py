#!/usr/bin/env python3
"""Stateless API instances: two `presign serve` processes (API only, one shared config, a real
Ceph RGW as their backend) behind nginx on loopback, set up as docs/deploy.md says: nginx
terminates TLS for the API (round-robin over the two instances) and for the S3 endpoint (RGW,
the Host header passed through so signatures hold), and issued URLs point at nginx.
A multipart upload created through one instance is signed, listed and completed through the
other; then one instance is killed (SIGKILL) in the middle of a run of concurrent uploads, and
every upload the API acknowledged, before or after, is in RGW byte for byte.

Usage: stateless_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import hashlib
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from rgw_harness import Answer, Rgw, Runner, backend_config, finish, serve_on_rgw

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-rgw-stateless-")
RGW = Rgw()
S3 = RGW.client()
S3.create_bucket(Bucket="uploads")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# nginx's two TLS ports first: the instances issue URLs for the S3 one.
API_PORT, S3_PORT = free_port(), free_port()
CERT, KEY = os.path.join(WORK, "cert.pem"), os.path.join(WORK, "key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", KEY, "-out", CERT, "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
TLS = ssl.create_default_context(cafile=CERT)

# One config for both instances: the same callers (key hashes), rules, backend and public URL.
CONFIG = backend_config(WORK, RGW, "uploads", (
    f'public_s3_url = "https://127.0.0.1:{S3_PORT}"\nauth = "api_key"\n'
    f'[[serve.api_keys]]\nidentity = "alice"\nsha256 = "{hashlib.sha256(b"alice-secret").hexdigest()}"\n'
    '[serve.uploads]\npart_size_bytes = 5242880\n'))
INSTANCES = [serve_on_rgw(PRESIGN, WORK, RGW, CONFIG) for _ in range(2)]
ADDRESSES = [i.api[len("http://"):] for i in INSTANCES]
ALICE = {"Authorization": "Bearer alice-secret"}


def request(method, url, body=None, headers=None):
    """One request over HTTP or HTTPS (trusting the test certificate); any status is an Answer."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30, context=TLS if url.startswith("https:") else None) as r:
            return Answer(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


class Nginx:
    """nginx in the foreground with its own prefix, config and logs under `work`: TLS on
    `api_port` round-robin over `upstreams` (naming the instance that answered in X-Upstream),
    and TLS on `s3_port` in front of `s3_backend`."""

    def __init__(self, work, api_port, upstreams, s3_port, s3_backend):
        self.dir = os.path.join(work, "nginx")
        os.makedirs(os.path.join(self.dir, "logs"))
        servers = "".join(f"        server {u} max_fails=1 fail_timeout=60s;\n" for u in upstreams)
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            # As root, the worker stays root: it writes its temporary files under `work`.
            f.write(("user root;\n" if os.getuid() == 0 else "") + f"""worker_processes 1;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$server_port $request_method $uri $status $upstream_addr $upstream_status';
    access_log {self.dir}/logs/access.log upstream;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    ssl_certificate {CERT};
    ssl_certificate_key {KEY};
    ssl_protocols TLSv1.2 TLSv1.3;

    upstream presign_api {{
{servers}        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{api_port} ssl;
        location / {{
            proxy_pass http://presign_api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A refused connection is tried on the next instance; a POST an instance took and
            # then lost is not replayed (it may have taken effect): the client retries.
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
    server {{
        listen 127.0.0.1:{s3_port} ssl;
        client_max_body_size 0;
        location / {{
            proxy_pass {s3_backend};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # SigV4 signs the Host the client used: pass it on unchanged.
            proxy_set_header Host $http_host;
            proxy_request_buffering off;
            proxy_buffering off;
        }}
    }}
}}
""")
        self.log = open(os.path.join(self.dir, "nginx.out"), "w")
        self.proc = subprocess.Popen(["nginx", "-p", self.dir + "/", "-c", conf, "-e", f"{self.dir}/logs/error.log"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"https://127.0.0.1:{api_port}"
        deadline = time.time() + 10
        while True:
            try:
                if request("GET", self.url + "/healthz").status == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"FAIL: nginx did not start: {self.logs()}")
            time.sleep(0.05)

    def logs(self):
        out = []
        for name in ("nginx.out", "logs/error.log"):
            path = os.path.join(self.dir, name)
            if os.path.exists(path):
                with open(path) as f:
                    out.append(f.read()[-2000:])
        return "\n".join(out)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: fast shutdown
            self.proc.wait(timeout=10)
        self.log.close()


NGINX = Nginx(WORK, API_PORT, ADDRESSES, S3_PORT, RGW.endpoint)


def api(method, route, body=None):
    return request(method, NGINX.url + route, body, dict(ALICE))


def ok(answer, status=200):
    assert answer.status == status, answer
    return answer.json() if answer.body else None


def upstream(answer):
    return answer.headers.get("x-upstream")


@test
def nginx_alternates_between_the_two_instances():
    seen = [upstream(api("GET", "/readyz")) for _ in range(4)]
    assert set(seen) == set(ADDRESSES) and seen[0] != seen[1] and seen[1] != seen[2], seen


@test
def a_multipart_upload_created_through_one_instance_completes_through_the_other():
    chunks = [os.urandom(5 * 1024 * 1024), os.urandom(1234)]
    made = api("POST", "/v1/uploads", {"filename": "across.bin", "multipart": True})
    key, upload = ok(made)["key"], made.json()["upload_id"]
    route = "/v1/multipart/" + urllib.parse.quote(upload, safe="")
    signed = api("POST", route + "/parts", {"key": key, "part_numbers": [1, 2]})
    for n, chunk in enumerate(chunks, 1):
        part_url = ok(signed)["urls"][str(n)]
        assert part_url.startswith(f"https://127.0.0.1:{S3_PORT}/uploads/"), part_url
        assert request("PUT", part_url, chunk).status == 200
    listed = api("GET", route + "?key=" + urllib.parse.quote(key))
    assert len(ok(listed)["parts"]) == 2
    done = api("POST", route + "/complete", {"key": key})
    assert ok(done)["etag"].endswith('-2"'), done
    assert upstream(made) != upstream(done) and upstream(signed) != upstream(listed), [
        upstream(a) for a in (made, signed, listed, done)]
    assert S3.get_object(Bucket="uploads", Key=key)["Body"].read() == b"".join(chunks)


@test
def companion_multipart_across_instances_called_directly():
    first, second = (i.api for i in INSTANCES)
    made = ok(request("POST", first + "/s3/multipart", {"filename": "c.bin", "type": "application/octet-stream"},
                   dict(ALICE)))
    base = "/s3/multipart/" + urllib.parse.quote(made["uploadId"], safe="")
    q = "?key=" + urllib.parse.quote(made["key"])
    part = ok(request("GET", second + base + "/1" + q, headers=dict(ALICE)))
    etag = request("PUT", part["url"], b"companion").headers["etag"]
    assert [p["ETag"] for p in ok(request("GET", first + base + q, headers=dict(ALICE)))] == [etag]
    done = ok(request("POST", second + base + "/complete" + q, {"parts": [{"PartNumber": 1, "ETag": etag}]},
                   dict(ALICE)))
    assert done["key"] == made["key"]
    assert S3.get_object(Bucket="uploads", Key=made["key"])["Body"].read() == b"companion"


# --- one instance killed in the middle of a run -------------------------------------------------

UPLOADS, THREADS, KILL_AFTER = 36, 3, 9
RETRYABLE = (502, 503, 504)


class Uploader:
    """Uploads through nginx as a careful client does: a step answered 502/503/504 or not at
    all is retried; an upload whose completion was lost (404 on retry) starts again. Only a
    200 from complete counts as acknowledged."""

    def __init__(self):
        self.acknowledged = {}  # key -> bytes
        self.lock = threading.Lock()
        self.retries = 0
        self.completed = threading.Semaphore(0)
        self.errors = []

    def step(self, method, route, body=None):
        for _ in range(10):
            try:
                answer = api(method, route, body)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                answer = None
            if answer is not None and answer.status not in RETRYABLE:
                return answer
            with self.lock:
                self.retries += 1
            time.sleep(0.1)
        raise AssertionError(f"{method} {route}: no answer after 10 tries")

    def upload_once(self, data, name):
        made = self.step("POST", "/v1/uploads", {"filename": name, "multipart": True})
        key, upload = ok(made)["key"], made.json()["upload_id"]
        route = "/v1/multipart/" + urllib.parse.quote(upload, safe="")
        url = ok(self.step("POST", route + "/parts", {"key": key, "part_numbers": [1]}))["urls"]["1"]
        assert request("PUT", url, data).status == 200  # to RGW through nginx, not through the API
        done = self.step("POST", route + "/complete", {"key": key})
        if done.status == 404:  # the completion went through on the lost instance, or not at all
            return None
        ok(done)
        return key

    def run(self, index):
        try:
            for n in range(index, UPLOADS, THREADS):
                data = os.urandom(64 * 1024 + n)
                for _ in range(3):
                    key = self.upload_once(data, f"run-{n}.bin")
                    if key:
                        break
                else:
                    raise AssertionError(f"upload {n} never acknowledged")
                with self.lock:
                    self.acknowledged[key] = data
                self.completed.release()
        except Exception as exc:  # reported by the test
            self.errors.append(f"{type(exc).__name__}: {exc}")
            self.completed.release()


@test
def killing_one_instance_mid_run_loses_nothing_acknowledged():
    uploader = Uploader()
    threads = [threading.Thread(target=uploader.run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for _ in range(KILL_AFTER):
        assert uploader.completed.acquire(timeout=60), "uploads stalled before the kill"
    victim = INSTANCES[0]
    victim.proc.kill()
    killed_at = len(uploader.acknowledged)
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "uploads did not finish"
    assert not uploader.errors, uploader.errors
    assert victim.proc.wait(timeout=10) == -9
    assert len(uploader.acknowledged) == UPLOADS, (len(uploader.acknowledged), UPLOADS)
    assert KILL_AFTER <= killed_at < UPLOADS, killed_at
    for key, data in uploader.acknowledged.items():
        assert S3.get_object(Bucket="uploads", Key=key)["Body"].read() == data, key
    listed = set()
    token = None
    while True:
        page = ok(api("GET", "/v1/objects" + (f"?continuation_token={urllib.parse.quote(token)}" if token else "")))
        listed.update(o["key"] for o in page["objects"])
        token = page.get("next_continuation_token")
        if not token:
            break
    assert set(uploader.acknowledged) <= listed
    # After the kill nginx sends everything to the survivor.
    assert {upstream(api("GET", "/readyz")) for _ in range(4)} == {ADDRESSES[1]}
    print(f"killed after {killed_at} of {UPLOADS} acknowledged uploads; {uploader.retries} retried steps")


NGINX.stop()
print(f"rgw-up took {RGW.startup_seconds:.1f} s")
finish(RUN, INSTANCES[1:])
