"""`presign serve` for end-to-end tests: started on 127.0.0.1:0 in a fresh data directory (or a
given one), its output kept in a file (never a pipe nobody reads), plus small HTTP helpers over
urllib and curl."""
import atexit
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Serve:
    def __init__(self, presign, work, *args, env=None, data=None):
        self.data = data or tempfile.mkdtemp(prefix="data-", dir=work)
        self.log_path = os.path.join(self.data, "serve.log")
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
        full_env.update(env or {})
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([presign, "serve", "--api-listen", "127.0.0.1:0", "--s3-listen", "127.0.0.1:0",
                                      "--data-dir", self.data, *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        atexit.register(self._kill)
        deadline = time.time() + 20
        while time.time() < deadline:
            with open(self.log_path) as f:
                text = f.read()
            m = re.search(r"API on (http://127\.0\.0\.1:\d+), (?:store on|backend) (http://[^ ]+)", text)
            if m:
                self.api, self.s3 = m.groups()  # s3: the embedded store, or the remote backend
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"serve did not start: {text!r}")

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_output(self, pattern, timeout=10):
        """The first match of `pattern` in the output, waiting for it up to `timeout` seconds."""
        deadline = time.time() + timeout
        while True:
            m = re.search(pattern, self.output())
            if m or time.time() > deadline:
                return m
            time.sleep(0.05)

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()

    def stop(self):
        self.proc.terminate()
        code = self.proc.wait(timeout=30)
        self.log.close()
        return code


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"{self.status} {self.body[:300]!r}"


def http(method, url, body=None, headers=None):
    """One request; any status comes back as an Answer (no exception for 4xx/5xx)."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return Answer(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def curl(*args):
    """(status, headers, body) of a curl call (a 100 Continue before the answer is skipped)."""
    out = subprocess.run(["curl", "-sS", "-i", "--max-time", "20", *args], capture_output=True, check=True).stdout
    while out.startswith(b"HTTP/1.1 100"):
        out = out.split(b"\r\n\r\n", 1)[1]
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body
