"""What the integration tests share: a real `presign store` on 127.0.0.1:0 with fixed root
keys, a boto3 client for it, and the test runner that prints 'N passed, M failed' last."""
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import boto3
from botocore.config import Config

ACCESS_KEY, SECRET_KEY = "TESTACCESSKEY", "test/secret+key"


class Store:
    """`presign store --listen 127.0.0.1:0` in a temporary data directory."""

    def __init__(self, presign, prefix="presign-store-test-", config=None, root_from_env=True, data_dir=None,
                 listen="127.0.0.1:0"):
        """`config`: TOML text written to DATA/../presign.toml and passed as --config.
        `root_from_env`: set PRESIGN_ACCESS_KEY/SECRET_KEY to the fixed root keys.
        `data_dir`: a directory to use instead of a new temporary one (removed the same way); an
        earlier store's, to restart it.
        `listen`: the address to listen on (a fixed port, to restart a store where it was)."""
        self.data = data_dir or tempfile.mkdtemp(prefix=prefix)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
        if root_from_env:
            env.update(PRESIGN_ACCESS_KEY=ACCESS_KEY, PRESIGN_SECRET_KEY=SECRET_KEY)
        args = [presign, "store", "--listen", listen, "--data-dir", self.data]
        if config is not None:
            path = os.path.join(self.data, "presign.toml")
            with open(path, "w") as f:
                f.write(config)
            args += ["--config", path]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
        # Never leave a store behind, even when a test script dies during its setup.
        atexit.register(self._kill)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if not m:
            raise RuntimeError(f"store did not start: {line!r}")
        self.url = m.group(1)

    def client(self, secret=SECRET_KEY, access=ACCESS_KEY, **config):
        """A boto3 S3 client for the store: SigV4, path-style, no retries."""
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=access,
                            aws_secret_access_key=secret, region_name="us-east-1",
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                          retries={"max_attempts": 1}, **config))

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.data, ignore_errors=True)

    def stop(self, keep_data=False):
        """SIGTERM; returns the exit code. Removes the data directory unless `keep_data`."""
        self.proc.terminate()
        code = self.proc.wait(timeout=10)
        if not keep_data:
            shutil.rmtree(self.data, ignore_errors=True)
        return code


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def element(self, name):
        try:
            return ET.fromstring(self.body).findtext(name)
        except ET.ParseError:
            return None

    def code(self):
        return self.element("Code")

    def message(self):
        return self.element("Message") or ""

    def __repr__(self):
        return f"Reply({self.status}, {self.body[:300]!r})"


def curl_form(url, fields, file_path=None, file_field="file", headers=()):
    """`curl --form name=value ... --form file=@path URL`, fields in the order given, file last;
    `headers`: extra (name, value) request headers."""
    args = ["curl", "-sS", "-i", "--max-time", "20"]
    for name, value in headers:
        args += ["-H", f"{name}: {value}"]
    for name, value in fields:
        args += ["--form", f"{name}={value}"]
    if file_path:
        args += ["--form", f"{file_field}=@{file_path}"]
    out = subprocess.run(args + [url], capture_output=True, check=True).stdout
    # Skip interim responses (100 Continue), then split head and body.
    while out.startswith(b"HTTP/1.1 100"):
        out = out.split(b"\r\n\r\n", 1)[1]
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return Reply(int(lines[0].split()[1]), headers, body)


class Runner:
    """Collects results of functions decorated with @runner.test; finish() stops the store,
    prints one line per test and the closing 'N passed, M failed', and exits."""

    def __init__(self):
        self.results = []

    def test(self, fn):
        try:
            fn()
            self.results.append((fn.__name__, None))
        except Exception as exc:  # an assertion or an unexpected client error
            self.results.append((fn.__name__, f"{type(exc).__name__}: {exc}"))
        return fn

    def finish(self, store):
        try:
            code = store.stop()
            self.results.append(("store_exits_cleanly_on_sigterm", None if code in (0, -15) else f"exit code {code}"))
        finally:
            failed = [(n, e) for n, e in self.results if e]
            for name, err in self.results:
                print(("ok    " if not err else "FAIL  ") + name + ("" if not err else f": {err}"))
            print(f"{len(self.results) - len(failed)} passed, {len(failed)} failed")
            sys.exit(1 if failed else 0)
