"""What the integration tests share: a real `presign store` on 127.0.0.1:0 with fixed root
keys, a boto3 client for it, and the test runner that prints 'N passed, M failed' last."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import boto3
from botocore.config import Config

ACCESS_KEY, SECRET_KEY = "TESTACCESSKEY", "test/secret+key"


class Store:
    """`presign store --listen 127.0.0.1:0` in a temporary data directory."""

    def __init__(self, presign, prefix="presign-store-test-"):
        self.data = tempfile.mkdtemp(prefix=prefix)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
        env.update(PRESIGN_ACCESS_KEY=ACCESS_KEY, PRESIGN_SECRET_KEY=SECRET_KEY)
        self.proc = subprocess.Popen([presign, "store", "--listen", "127.0.0.1:0", "--data-dir", self.data],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if not m:
            raise RuntimeError(f"store did not start: {line!r}")
        self.url = m.group(1)

    def client(self, secret=SECRET_KEY, **config):
        """A boto3 S3 client for the store: SigV4, path-style, no retries."""
        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=secret, region_name="us-east-1",
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                          retries={"max_attempts": 1}, **config))

    def stop(self):
        """SIGTERM; returns the exit code. Removes the data directory."""
        self.proc.terminate()
        code = self.proc.wait(timeout=10)
        shutil.rmtree(self.data, ignore_errors=True)
        return code


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
