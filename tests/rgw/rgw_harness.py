"""What the Ceph RGW tests share: a throwaway RADOS Gateway on loopback (tests/rgw/rgw-up, stopped
with rgw-down when the test exits, however it exits), boto3 clients for it, and `presign serve`
with it as the backend. The integration tests' harnesses (Runner, Serve, http, ...) are
re-exported so a test imports from one place.

A test that cannot start RGW fails: these tests run in CI, and a missing cluster is an error."""
import atexit
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from harness import Runner, Store, curl_form  # noqa: E402,F401
from serve_harness import Answer, Serve, http  # noqa: E402,F401

MiB = 1024 * 1024


class Rgw:
    """One cluster from tests/rgw/rgw-up: `endpoint`, the test user's `access_key`/`secret_key`,
    `other_access_key`/`other_secret_key` (a user who owns nothing). Stopped at exit."""

    def __init__(self):
        # A second attempt covers what no start-up can rule out (a port taken between being
        # picked and being bound); each failed attempt prints its logs.
        for attempt in (1, 2):
            started = time.monotonic()
            # --owner: rgw-up's watchdog stops the cluster if this process dies without atexit.
            proc = subprocess.run([os.path.join(HERE, "rgw-up"), "--owner", str(os.getpid())],
                                  capture_output=True, text=True, timeout=300)
            sys.stderr.write(proc.stderr)
            if proc.returncode == 0:
                break
            sys.stderr.write(f"rgw-up failed (exit {proc.returncode}, attempt {attempt} of 2)\n")
        else:
            raise SystemExit("FAIL: the Ceph RGW test cluster did not start; rgw-up's logs are above")
        self.startup_seconds = time.monotonic() - started
        env = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
        self.dir = env["RGW_DIR"]
        self.endpoint = env["RGW_ENDPOINT"]
        self.access_key, self.secret_key = env["RGW_ACCESS_KEY"], env["RGW_SECRET_KEY"]
        self.other_access_key, self.other_secret_key = env["RGW_OTHER_ACCESS_KEY"], env["RGW_OTHER_SECRET_KEY"]
        atexit.register(self.down)

    def client(self, other=False):
        """boto3 S3 client for the test user (or the other one): SigV4, path-style, no retries."""
        access, secret = ((self.other_access_key, self.other_secret_key) if other
                          else (self.access_key, self.secret_key))
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=access,
                            aws_secret_access_key=secret, region_name="us-east-1",
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                          retries={"max_attempts": 1}))

    def aws_env(self):
        """The AWS credential chain's variables for the test user."""
        return {"AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key}

    def down(self):
        """Stops the daemons (rgw-down); safe to call twice."""
        if os.path.isdir(self.dir):
            subprocess.run([os.path.join(HERE, "rgw-down"), self.dir], timeout=120)


def backend_config(work, rgw, bucket, extra=""):
    """A presign.toml with [serve.backend] pointing at RGW; `extra`: more TOML for [serve] and
    below (written before [serve.backend])."""
    path = os.path.join(work, f"rgw-{bucket}-{len(os.listdir(work))}.toml")
    with open(path, "w") as f:
        f.write(f'[serve]\nbucket = "{bucket}"\n{extra}\n'
                f'[serve.backend]\nendpoint_url = "{rgw.endpoint}"\nregion = "us-east-1"\n')
    return path


def serve_on_rgw(presign, work, rgw, config, *args):
    """`presign serve --config CONFIG` with RGW as its backend (API only), credentials from the
    AWS_* environment, HOME in `work` so no ~/.aws of the machine is read."""
    return Serve(presign, work, "--config", config, *args, env={**rgw.aws_env(), "HOME": work})


def finish(runner, serves):
    """Stops every `presign serve` (each must exit 0 on SIGTERM), then prints the results."""

    class _All:
        def stop(self):
            codes = [s.stop() for s in serves]
            return 0 if all(c == 0 for c in codes) else codes

    runner.finish(_All())
