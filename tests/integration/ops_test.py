#!/usr/bin/env python3
"""Operations of `presign serve` and `presign store` end to end over real sockets: GET /metrics
counters moving with the traffic (requests by route and status, URLs issued, rejections, store
bytes), the metrics listener settings, the JSON access log (every line parses, has its fields,
and holds no key, signature, credential or query string), and the graceful stop on SIGTERM (new
connections refused, an upload in flight finished and stored, exit status 0; a stuck upload cut
off at the drain timeout).

Usage: ops_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import boto3
from botocore.config import Config

import serve_harness
from harness import ACCESS_KEY, SECRET_KEY, Runner, Store
from serve_harness import curl

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-ops-test-")
API_KEY = "alice-very-secret-api-key"


class Serve(serve_harness.Serve):
    """`presign serve` on 127.0.0.1:0 with fixed root keys, its access log in a file of its own."""

    def __init__(self, *args, data=None, config=None):
        data = data or tempfile.mkdtemp(prefix="data-", dir=WORK)
        self.access_log = os.path.join(WORK, f"access-{os.path.basename(data)}.log")
        extra = ["--access-log", self.access_log]
        if config is not None:
            path = os.path.join(WORK, f"config-{os.path.basename(data)}.toml")
            with open(path, "w") as f:
                f.write(config)
            extra += ["--config", path]
        super().__init__(PRESIGN, WORK, *extra, *args, data=data,
                         env={"PRESIGN_ACCESS_KEY": ACCESS_KEY, "PRESIGN_SECRET_KEY": SECRET_KEY})
        self.api_port, self.s3_port = int(self.api.rsplit(":", 1)[1]), int(self.s3.rsplit(":", 1)[1])
        self.metrics_url = None
        if "--metrics" in args and args[args.index("--metrics") + 1] not in ("api", "off"):
            self.metrics_url = self.wait_output(r"metrics on (http://\S+)").group(1)

    def log_lines(self):
        with open(self.access_log) as f:
            return f.read().splitlines()


def post_json(api, route, body, key=API_KEY):
    args = ["-X", "POST", f"{api}{route}", "-H", "Content-Type: application/json", "-d", body]
    if key:
        args += ["-H", f"X-Api-Key: {key}"]
    return curl(*args)


def form_upload(answer, path):
    args = []
    for name, value in answer["fields"].items():
        args += ["--form-string", f"{name}={value}"]
    return curl(*args, "--form", f"file=@{path}", answer["url"])


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(url):
    """{(name, ((label, value), ...)): value} of a /metrics answer; checks its format."""
    status, headers, body = curl(url)
    assert status == 200, status
    assert headers["content-type"].startswith("text/plain; version=0.0.4"), headers
    samples, typed = {}, set()
    for line in body.decode().splitlines():
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
            continue
        if line.startswith("#") or not line:
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        labels = tuple(LABEL.findall(m.group(3) or ""))
        family = re.sub(r"_(bucket|sum|count)$", "", m.group(1))
        assert m.group(1) in typed or family in typed, f"no TYPE for {line!r}"
        samples[(m.group(1), labels)] = float(m.group(4))
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(labels.items())), 0.0)


KEYED_CONFIG = ('[serve]\nauth = "api_key"\n[[serve.api_keys]]\nidentity = "alice"\n'
                f'sha256 = "{hashlib.sha256(API_KEY.encode()).hexdigest()}"\nprefix = "alice/"\n')
SERVE = Serve(config=KEYED_CONFIG)
FILE = os.path.join(WORK, "upload.bin")
FILE_SIZE = 300_000
with open(FILE, "wb") as f:
    f.write(os.urandom(FILE_SIZE))
SECRETS = {API_KEY, SECRET_KEY}  # whatever the traffic below hands out is added


@test
def metrics_count_requests_by_route_and_status_and_urls_issued():
    before = scrape(f"{SERVE.api}/metrics")
    for _ in range(2):
        status, _, body = post_json(SERVE.api, "/get-upload-url", '{"filename": "m.bin"}')
        assert status == 200, body
    assert post_json(SERVE.api, "/get-download-url", '{"filename": "m.bin"}')[0] == 200
    assert post_json(SERVE.api, "/get-upload-url", "{broken")[0] == 400
    assert post_json(SERVE.api, "/get-upload-url", '{"filename": "x"}', key="wrong")[0] == 401
    assert curl(f"{SERVE.api}/healthz")[0] == 200
    assert curl(f"{SERVE.api}/no/such/route?x=1")[0] == 404
    assert curl(f"{SERVE.api}/another-made-up-path")[0] == 404
    after = scrape(f"{SERVE.api}/metrics")

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "presign_http_requests_total"
    assert moved(requests, server="api", route="/get-upload-url", status="200") == 2
    assert moved(requests, server="api", route="/get-download-url", status="200") == 1
    assert moved(requests, server="api", route="/get-upload-url", status="400") == 1
    assert moved(requests, server="api", route="/get-upload-url", status="401") == 1
    assert moved(requests, server="api", route="/healthz", status="200") == 1
    assert moved(requests, server="api", route="other", status="404") == 2  # no label per path
    assert not any("no/such" in str(k) or "made-up" in str(k) for k in after), "a raw path became a label"
    assert moved("presign_urls_issued_total", kind="upload_post") == 2
    assert moved("presign_urls_issued_total", kind="download") == 1
    assert moved("presign_rejections_total", server="api", reason="bad_request") == 1
    assert moved("presign_rejections_total", server="api", reason="unauthorized") == 1
    assert moved("presign_rejections_total", server="api", reason="not_found") == 2
    # The histogram: +Inf bucket and _count agree, and both moved with the requests.
    count = value(after, "presign_http_request_duration_seconds_count", server="api", route="/get-upload-url")
    inf = value(after, "presign_http_request_duration_seconds_bucket", server="api", route="/get-upload-url",
                le="+Inf")
    assert count == inf and count >= 4, (count, inf)
    assert value(after, "presign_open_connections", server="api") >= 1


@test
def store_bytes_count_an_upload_and_a_download():
    before = scrape(f"{SERVE.api}/metrics")
    status, _, body = post_json(SERVE.api, "/get-upload-url", '{"filename": "bytes.bin"}')
    answer = json.loads(body)
    SECRETS.update({answer["fields"]["x-amz-signature"], answer["fields"]["policy"]})
    status, _, body = form_upload(answer, FILE)
    assert status == 204, (status, body)
    _, _, body = post_json(SERVE.api, "/get-download-url", '{"filename": "bytes.bin"}')
    url = json.loads(body)
    SECRETS.update(v for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)
                   if k == "X-Amz-Signature")
    status, _, got = curl(url)
    assert status == 200 and len(got) == FILE_SIZE, status
    after = scrape(f"{SERVE.api}/metrics")
    received = value(after, "presign_store_bytes_received_total") - value(before, "presign_store_bytes_received_total")
    sent = value(after, "presign_store_bytes_sent_total") - value(before, "presign_store_bytes_sent_total")
    assert received >= FILE_SIZE, received  # the form's fields ride along with the file
    assert sent >= FILE_SIZE, sent
    assert value(after, "presign_http_requests_total", server="store", route="PostObject", status="204") >= 1
    assert value(after, "presign_http_requests_total", server="store", route="GetObject", status="200") >= 1


@test
def store_refusals_count_by_s3_error_code():
    before = scrape(f"{SERVE.api}/metrics")
    _, _, body = post_json(SERVE.api, "/get-download-url", '{"filename": "bytes.bin"}')
    tampered = json.loads(body).replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert curl(tampered)[0] == 403
    after = scrape(f"{SERVE.api}/metrics")
    assert (value(after, "presign_rejections_total", server="store", reason="SignatureDoesNotMatch")
            - value(before, "presign_rejections_total", server="store", reason="SignatureDoesNotMatch")) == 1


@test
def access_log_lines_are_json_with_their_fields_and_no_secrets():
    # Reach the store with a signed header too (boto3: Authorization with the credential).
    s3 = boto3.client("s3", endpoint_url=SERVE.s3, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                      region_name="us-east-1", config=Config(signature_version="s3v4", retries={"max_attempts": 1}))
    s3.put_object(Bucket="uploads", Key="boto/obj.txt", Body=b"hello")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "uploads", "Key": "boto/obj.txt"})
    assert curl(url)[2] == b"hello"
    SECRETS.add(url.split("X-Amz-Signature=")[1])
    time.sleep(0.5)  # the log is written out every 200 ms
    lines = SERVE.log_lines()
    assert len(lines) >= 15, len(lines)
    fields = {"time", "server", "request_id", "remote", "method", "route", "path", "status", "duration_ms",
              "bytes_in", "bytes_out", "caller"}
    servers, callers = set(), set()
    for line in lines:
        entry = json.loads(line)
        assert set(entry) == fields, entry
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"]), entry
        assert "?" not in entry["path"], entry
        servers.add(entry["server"])
        callers.add(entry["caller"])
    assert servers == {"api", "store"}, servers
    assert "alice" in callers, callers  # the API caller by identity, never by key
    text = "\n".join(lines)
    for secret in SECRETS:
        assert secret not in text, f"a secret reached the access log: {secret[:12]}..."
    for marker in ("X-Amz-Signature", "X-Amz-Credential", "Signature=", "Credential=", ACCESS_KEY, "Bearer"):
        assert marker not in text, marker
    upload = [json.loads(x) for x in lines if '"route":"PutObject"' in x]
    assert upload and upload[-1]["caller"] == "root" and upload[-1]["bytes_in"] >= 5, upload


@test
def metrics_can_move_to_a_listener_of_their_own_or_be_off():
    separate = Serve("--metrics", "127.0.0.1:0")
    off = Serve("--metrics", "off")
    try:
        assert curl(f"{separate.api}/metrics")[0] == 404
        samples = scrape(separate.metrics_url)
        assert ("presign_store_bytes_received_total", ()) in samples
        assert curl(f"{off.api}/metrics")[0] == 404
    finally:
        assert separate.stop() == 0
        assert off.stop() == 0


@test
def operations_settings_resolve_and_bad_ones_refuse_to_start():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
    out = subprocess.run([PRESIGN, "serve", "--print-config", "--drain-timeout", "5"], capture_output=True, text=True,
                         timeout=20, check=True,
                         env={**env, "PRESIGN_ACCESS_LOG": "off", "PRESIGN_METRICS": "127.0.0.1:9100"}).stdout
    assert 'access_log = "off"' in out and 'metrics = "127.0.0.1:9100"' in out, out
    assert "drain_timeout_seconds = 5" in out, out
    data = os.path.join(WORK, "never")
    for bad, needle in ((["--metrics", "nonsense"], "--metrics"), (["--access-log", "/nonexistent/dir/a.log"], "access_log"),
                        (["--drain-timeout", "4000"], "drain-timeout")):
        p = subprocess.run([PRESIGN, "serve", "--api-listen", "127.0.0.1:0", "--s3-listen", "127.0.0.1:0",
                            "--data-dir", data, *bad], capture_output=True, text=True, timeout=20, env=env)
        assert p.returncode == 2 and needle in p.stderr, (bad, p.returncode, p.stderr)


def slow_put(port, url_path, body):
    """A socket with a PUT head and half of `body` sent; the caller sends the rest."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"PUT {url_path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {len(body)}\r\n\r\n".encode())
    s.sendall(body[: len(body) // 2])
    return s


def read_reply(s):
    s.settimeout(20)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except ConnectionRefusedError:
        return True


def presigned_put(endpoint, key):
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                      region_name="us-east-1", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    url = urllib.parse.urlsplit(s3.generate_presigned_url("put_object", Params={"Bucket": "uploads", "Key": key}))
    return f"{url.path}?{url.query}"


@test
def serve_finishes_an_upload_in_flight_on_sigterm_refuses_new_connections_and_exits_0():
    serve = Serve()
    body = os.urandom(2_000_000)
    upload = slow_put(serve.s3_port, presigned_put(serve.s3, "inflight.bin"), body)
    idle = socket.create_connection(("127.0.0.1", serve.api_port))  # keep-alive, nothing asked
    time.sleep(0.3)
    serve.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert refused(serve.s3_port) and refused(serve.api_port), "new connections still accepted"
    idle.settimeout(5)
    assert idle.recv(1) == b"", "an idle connection was left open"
    assert serve.proc.poll() is None, "exited with an upload in flight"
    upload.sendall(body[len(body) // 2:])
    reply = read_reply(upload)
    assert reply.startswith("HTTP/1.1 200"), reply
    assert "Connection: close" in reply, reply
    assert serve.proc.wait(timeout=20) == 0
    # The upload is stored: a new process on the same data serves it whole.
    again = Serve(data=serve.data)
    try:
        _, _, answer = post_json(again.api, "/get-download-url", '{"filename": "inflight.bin"}', key=None)
        status, _, got = curl(json.loads(answer))
        assert status == 200 and got == body, status
    finally:
        assert again.stop() == 0


@test
def a_stuck_upload_is_cut_off_at_the_drain_timeout_and_the_exit_is_still_0():
    serve = Serve("--drain-timeout", "1")
    upload = slow_put(serve.s3_port, presigned_put(serve.s3, "stuck.bin"), os.urandom(100_000))
    time.sleep(0.3)
    began = time.monotonic()
    assert serve.stop() == 0
    took = time.monotonic() - began
    assert 0.9 <= took < 8, took
    upload.close()


@test
def presign_store_drains_on_sigterm_too():
    store = Store(PRESIGN, prefix="presign-ops-store-")
    port = int(store.url.rsplit(":", 1)[1])
    store.client().create_bucket(Bucket="uploads")
    body = os.urandom(500_000)
    upload = slow_put(port, presigned_put(store.url, "s.bin"), body)
    time.sleep(0.3)
    store.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert refused(port)
    upload.sendall(body[len(body) // 2:])
    assert read_reply(upload).startswith("HTTP/1.1 200")
    assert store.proc.wait(timeout=20) == 0
    shutil.rmtree(store.data, ignore_errors=True)


@test
def no_secret_reaches_any_log_even_from_refused_requests():
    """Last: stops SERVE, then reads everything the process wrote besides the access log."""
    guess = "mallory-guessed-this-api-key"
    assert post_json(SERVE.api, "/get-upload-url", '{"filename": "x.bin"}', key=guess)[0] == 401
    bearer = curl("-X", "POST", f"{SERVE.api}/get-upload-url", "-H", "Authorization: Bearer not.a-valid.jwt",
                  "-d", '{"filename": "x.bin"}')
    assert bearer[0] == 401, bearer
    status, _, body = post_json(SERVE.api, "/get-download-url", '{"filename": "m.bin"}')
    assert status == 200, body
    url = json.loads(body)
    forged = url.replace("X-Amz-Signature=", "X-Amz-Signature=f")
    assert curl(forged)[0] == 403
    SECRETS.update({guess, "not.a-valid.jwt", urllib.parse.parse_qs(urllib.parse.urlsplit(forged).query)
                    ["X-Amz-Signature"][0]})
    assert SERVE.stop() == 0
    output = SERVE.output()
    logs = {"the process's output": output, "the access log": "\n".join(SERVE.log_lines())}
    for where, text in logs.items():
        for secret in SECRETS:
            assert secret not in text, f"a secret reached {where}: {secret[:12]}..."


try:
    RUN.finish(SERVE)
finally:
    shutil.rmtree(WORK, ignore_errors=True)
