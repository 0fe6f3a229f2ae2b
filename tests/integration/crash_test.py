#!/usr/bin/env python3
"""Crash consistency of the embedded store: `presign store` on one data directory, killed with
SIGKILL at random moments (and a few times during start-up) while threads upload (single PUTs of 0..2 MiB, presigned POST forms,
multipart uploads of 2-3 parts), and restarted on the same directory each time (a new port;
the clients reconnect). After the last restart:

- every upload the store acknowledged (a 2xx reached the client) is there, byte for byte;
- every visible key holds one of the versions a client sent for it, whole (no partial object);
- tmp/ and quarantine/ are empty and the tree holds only the layout's names (docs/storage.md);
- the objects written before the first kill are intact.

A SIGKILL ends the process, not the machine: the page cache survives, so this shows that the
store's protocol (temp file, rename, recovery at open) leaves no partial state, not that fsync
reaches the disk.

Usage: crash_test.py /path/to/presign [KILLS]. Prints 'N passed, M failed' last."""
import atexit
import hashlib
import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

import boto3
from botocore.config import Config

from harness import ACCESS_KEY, SECRET_KEY

PRESIGN = sys.argv[1]
KILLS = int(sys.argv[2]) if len(sys.argv) > 2 else 24
BUCKET = "crash"
MiB = 1024 * 1024
WORKERS = 4
SHARED_KEYS = [f"shared/{i}" for i in range(4)]  # overwritten by several threads
SEED = int(os.environ.get("CRASH_SEED", time.time_ns() % 1_000_000))
RNG = random.Random(SEED)


class KillableStore:
    """`presign store` on a fixed data directory, restartable on a new port."""

    def __init__(self, data):
        self.data, self.proc, self.url, self.output = data, None, None, []
        atexit.register(self.kill)

    def _spawn(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
        env.update(PRESIGN_ACCESS_KEY=ACCESS_KEY, PRESIGN_SECRET_KEY=SECRET_KEY)
        self.proc = subprocess.Popen([PRESIGN, "store", "--listen", "127.0.0.1:0", "--data-dir", self.data],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)

    def start_and_kill(self, delay):
        """Starts the store and kills it `delay` seconds later, likely inside open()'s recovery."""
        self._spawn()
        time.sleep(delay)
        self.kill()
        self.proc.stdout.close()

    def start(self):
        self._spawn()
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if not m:
            rest = self.proc.stdout.read() if self.proc.poll() is not None else ""
            raise RuntimeError(f"store did not restart on {self.data}: {line!r} {rest!r}")
        self.url = m.group(1)
        proc = self.proc
        threading.Thread(target=lambda: self.output.extend(proc.stdout), daemon=True).start()

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


def client(url):
    return boto3.client("s3", endpoint_url=url, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        region_name="us-east-1",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                      retries={"max_attempts": 1}, connect_timeout=5, read_timeout=20))


def sha(b):
    return hashlib.sha256(b).hexdigest()


def payload(n):
    """n random-looking bytes, cheap: a random 64 KiB block repeated, with a random prefix so two
    payloads of one size never share a digest."""
    block = os.urandom(min(n, 64 * 1024)) or b""
    return (block * (n // max(len(block), 1) + 1))[:n] if n else b""


class Ledger:
    """What the clients sent and what the store acknowledged, by key."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {}   # key -> set of SHA-256 of every body sent for it
        self.acked = {}  # key -> list of (SHA-256, kind) acknowledged, in order
        self.failed = 0

    def send(self, key, digest):
        with self.lock:
            self.sent.setdefault(key, set()).add(digest)

    def ack(self, key, digest, kind):
        with self.lock:
            self.acked.setdefault(key, []).append((digest, kind))

    def fail(self):
        with self.lock:
            self.failed += 1


class Cluster:
    """The current store URL and a generation number the workers watch to reconnect."""

    def __init__(self, store):
        self.store, self.generation, self.cond = store, 0, threading.Condition()
        self.stopping = False

    def current(self):
        with self.cond:
            return self.generation, self.store.url

    def restarted(self):
        with self.cond:
            self.generation += 1
            self.cond.notify_all()


def put_single(s3, url, key, ledger):
    body = payload(RNG.randint(0, 2 * MiB))
    ledger.send(key, sha(body))
    s3.put_object(Bucket=BUCKET, Key=key, Body=body)  # raises on anything but 2xx
    ledger.ack(key, sha(body), "put")


def post_form(s3, url, key, ledger):
    body = payload(RNG.randint(0, 2 * MiB))
    post = s3.generate_presigned_post(BUCKET, key, ExpiresIn=300)
    boundary = uuid.uuid4().hex
    head = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode()
                    for n, v in post["fields"].items())
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\n'
             f"Content-Type: application/octet-stream\r\n\r\n").encode()
    form = head + body + f"\r\n--{boundary}--\r\n".encode()
    target = urllib.parse.urlsplit(post["url"])
    ledger.send(key, sha(body))
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=20)
    try:
        conn.request("POST", target.path, body=form,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        reply = conn.getresponse()
        reply.read()
    finally:
        conn.close()
    if not 200 <= reply.status < 300:
        raise RuntimeError(f"POST form answered {reply.status}")
    ledger.ack(key, sha(body), "post")


def multipart(s3, url, key, ledger):
    parts = [payload(5 * MiB + RNG.randint(0, 64 * 1024)) for _ in range(RNG.randint(1, 2))]
    parts.append(payload(RNG.randint(1, MiB)))
    whole = b"".join(parts)
    ledger.send(key, sha(whole))
    uid = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    done = []
    for n, part in enumerate(parts, 1):
        etag = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=uid, PartNumber=n, Body=part)["ETag"]
        done.append({"PartNumber": n, "ETag": etag})
    s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=uid, MultipartUpload={"Parts": done})
    ledger.ack(key, sha(whole), "multipart")


def worker(cluster, ledger, index):
    rng = random.Random(SEED * 100 + index)
    generation, url = cluster.current()
    s3 = client(url)
    n = 0
    while not cluster.stopping:
        op = rng.choices([put_single, post_form, multipart], weights=[5, 3, 1])[0]
        key = rng.choice(SHARED_KEYS) if rng.random() < 0.15 else f"w{index}/{op.__name__}/{n}"
        n += 1
        try:
            op(s3, url, key, ledger)
        except Exception:
            ledger.fail()
            # The store may be gone: wait for the next generation, then reconnect.
            with cluster.cond:
                cluster.cond.wait_for(lambda: cluster.generation != generation or cluster.stopping, timeout=10)
        now, now_url = cluster.current()
        if now != generation:
            generation, url, s3 = now, now_url, client(now_url)


HEX64 = re.compile(r"^[0-9a-f]{64}$")
HEX48 = re.compile(r"^[0-9a-f]{48}$")
PART = re.compile(r"^\d{5}\.part$")


def unexpected_paths(root):
    """Every path under the data root the layout does not name (docs/storage.md), plus anything
    left in tmp/ or quarantine/."""
    odd = []
    for top in sorted(os.listdir(root)):
        if top not in ("format", "lock", "tmp", "quarantine", "buckets"):
            odd.append(top)
    for sub in ("tmp", "quarantine"):
        odd += [f"{sub}/{name}" for name in sorted(os.listdir(os.path.join(root, sub)))]
    for bucket in os.listdir(os.path.join(root, "buckets")):
        base = os.path.join(root, "buckets", bucket)
        for name in os.listdir(base):
            if name not in ("bucket", "settings", "objects", "uploads"):
                odd.append(f"buckets/{bucket}/{name}")
        for fan in os.listdir(os.path.join(base, "objects")):
            for name in os.listdir(os.path.join(base, "objects", fan)):
                if not HEX64.match(name) or name[:2] != fan:
                    odd.append(f"buckets/{bucket}/objects/{fan}/{name}")
        for up in os.listdir(os.path.join(base, "uploads")):
            if not HEX48.match(up):
                odd.append(f"buckets/{bucket}/uploads/{up}")
                continue
            for name in os.listdir(os.path.join(base, "uploads", up)):
                if name != "upload" and not PART.match(name):
                    odd.append(f"buckets/{bucket}/uploads/{up}/{name}")
    return odd


def main():
    started = time.monotonic()
    data = tempfile.mkdtemp(prefix="presign-crash-test-")
    atexit.register(shutil.rmtree, data, True)
    store = KillableStore(data)
    store.start()
    s3 = client(store.url)
    s3.create_bucket(Bucket=BUCKET)
    ledger = Ledger()
    before = {}
    for i in range(20):
        body = payload(RNG.randint(0, 256 * 1024))
        s3.put_object(Bucket=BUCKET, Key=f"before/{i}", Body=body)
        before[f"before/{i}"] = sha(body)

    cluster = Cluster(store)
    threads = [threading.Thread(target=worker, args=(cluster, ledger, i), daemon=True) for i in range(WORKERS)]
    for t in threads:
        t.start()
    restart_times, leftovers, startup_kills = [], 0, 0
    for kill in range(KILLS):
        time.sleep(RNG.uniform(0.3, 2.0))
        if kill == KILLS - 1:
            cluster.stopping = True  # the last kill cuts the uploads in flight, then nothing more
        store.kill()
        leftovers += len(os.listdir(os.path.join(data, "tmp")))
        if kill % 6 == 5:  # one kill in six also cuts the next start-up short
            store.start_and_kill(RNG.uniform(0, 0.03))
            startup_kills += 1
        t0 = time.monotonic()
        store.start()
        restart_times.append(time.monotonic() - t0)
        cluster.restarted()
    for t in threads:
        t.join(timeout=60)
    stuck = [t.name for t in threads if t.is_alive()]

    # The tree right after the last start-up, before any request.
    odd = unexpected_paths(data)

    results = []

    def check(name, problems):
        results.append((name, problems))

    check("workers_finish", [f"{n} still running 60 s after the last kill" for n in stuck])
    check("no_leftover_or_quarantined_files_after_startup", odd)

    s3 = client(store.url)
    visible = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        visible.update(o["Key"] for o in page.get("Contents", []))

    def content(key):
        try:
            return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            return None

    problems = []
    for key, digest in before.items():
        got = content(key)
        if got is None or sha(got) != digest:
            problems.append(f"{key}: " + ("missing" if got is None else f"SHA-256 {sha(got)} != {digest}"))
    check("objects_from_before_the_first_kill_are_intact", problems)

    lost, partial, counts = [], [], {"put": 0, "post": 0, "multipart": 0}
    for key in sorted(visible | set(ledger.acked)):
        got = content(key)
        acks = ledger.acked.get(key, [])
        for _, kind in acks:
            counts[kind] += 1
        if key in before:
            continue
        if got is None:
            if acks:
                lost.append(f"{key}: acknowledged ({', '.join(k for _, k in acks)}) but missing (listed: "
                            f"{key in visible})")
            continue
        digest = sha(got)
        if digest not in ledger.sent.get(key, set()):
            partial.append(f"{key}: {len(got)} bytes, SHA-256 {digest} matches no version sent")
        elif key not in SHARED_KEYS and acks and digest != acks[-1][0]:
            lost.append(f"{key}: holds an older version than the acknowledged one")
    check("every_acknowledged_upload_is_there_byte_for_byte", lost)
    check("no_visible_object_is_partial", partial)
    total = sum(counts.values())
    check("enough_uploads_were_acknowledged",
          [] if total >= 3 * KILLS and all(counts.values()) else [f"only {counts} acknowledged"])

    store.kill()
    elapsed = time.monotonic() - started
    failed = [(n, p) for n, p in results if p]
    for name, p in results:
        print(("ok    " if not p else "FAIL  ") + name)
        for line in p[:20]:
            print("      " + line)
        if len(p) > 20:
            print(f"      ... and {len(p) - 20} more")
    print(f"seed {SEED}: {KILLS} kills during uploads and {startup_kills} during start-up, acknowledged {counts} ({total}), {ledger.failed} uploads cut off, "
          f"{len(visible)} keys visible, {leftovers} temp entries found after kills, restarts {min(restart_times):.2f}-{max(restart_times):.2f} s, "
          f"{elapsed:.1f} s")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
