#!/usr/bin/env python3
"""Parity of the `presign` CLI with botocore, on deterministic random cases.

Usage: botocore_parity.py PATH/TO/presign [--seed N] [--only KIND] [--verbose]

Each case is drawn from a seeded RNG. botocore, with its clock frozen at the case's signing
time, produces the expected URL or POST form; `presign` runs as a subprocess with the
equivalent flags; the two are compared:

  v4-url    scheme, host and path; the decoded query parameters as a set; X-Amz-Signature;
            and the whole URL string (presign promises botocore's exact output)
  v4-post   the policy document byte for byte; x-amz-signature against an HMAC computed here
            and against boto3's; url; fields
  v2-url    scheme, host and path; the decoded query parameters (Signature, Expires, ...)
  v2-post   policy byte for byte; signature against an HMAC-SHA1 computed here; url; fields
  negative  out-of-range expiries exit with status 2 and one line on stderr

Addressing: presign's default on AWS is virtual-hosted with a path-style fallback, which is
botocore's addressing_style 'virtual' (botocore's 'auto' keeps the legacy global host); on a
custom endpoint presign's default is botocore's 'auto' (path-style).

The last line printed is "N passed, M failed"; the exit status is 0 only when nothing failed.
"""
import argparse
import base64
import calendar
import concurrent.futures
import contextlib
import dataclasses
import datetime
import email.utils
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from typing import Callable, Optional
from unittest import mock
from urllib.parse import quote, unquote, urlsplit

from parity_base import *  # noqa: F401,F403
from parity_cases import *  # noqa: F401,F403


# --------------------------------------------------------------------------------------------
# Running


COUNTS = {"v4-url": 340, "v4-post": 60, "v2-url": 40, "v2-post": 15}


def build_cases(seed: int, bc: Botocore, only: Optional[str]) -> list:
    d = Draw(seed)
    makers = {"v4-url": lambda i: url_case(d, bc, i, sigv2=False),
              "v2-url": lambda i: url_case(d, bc, i, sigv2=True),
              "v4-post": lambda i: post_case(d, bc, i, sigv2=False),
              "v2-post": lambda i: post_case(d, bc, i, sigv2=True)}
    cases = []
    for kind, count in COUNTS.items():
        for i in range(count):
            try:
                case = makers[kind](i)
            except Exception as e:  # botocore refused the inputs: a bug in this script
                case = Case(kind, f"{kind}#{i}", [], {},
                            lambda c, p, e=e: [f"botocore raised {e!r}"])
            if only in (None, kind):
                cases.append(case)
    cases += [c for c in edge_url_cases(d, bc) if only in (None, c.kind)]
    if only in (None, "negative"):
        cases += negative_cases(d)
    return cases


def run_case(binary: str, case: Case) -> list:
    if not case.argv:
        return case.check(case, None)
    env = dict(os.environ, **case.env)
    try:
        proc = subprocess.run([binary] + case.argv, env=env, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return ["presign timed out"]
    proc.stdout = proc.stdout.decode("utf-8", "replace")
    proc.stderr = proc.stderr.decode("utf-8", "replace")
    return case.check(case, proc)


def isolate_environment(home: str) -> None:
    """Neither botocore nor presign may pick up the caller's AWS settings or files."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    os.environ["HOME"] = home
    os.environ["AWS_CONFIG_FILE"] = os.path.join(home, "missing-config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(home, "missing-credentials")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def report_failure(case: Case, problems: list) -> None:
    import shlex
    print(f"FAIL {case.name}")
    if case.env:
        print("  env:", " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(case.env.items())))
    if case.argv:
        print("  cmd: presign", shlex.join(case.argv))
    for name in ("params", "region", "endpoint", "style"):
        if name in case.info:
            print(f"  {name}: {case.info[name]!r}")
    if case.expect is not None:
        print(f"  botocore: {case.expect}")
    if "presign" in case.info:
        print(f"  presign:  {case.info['presign']}")
    for p in problems:
        print(f"  - {p}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presign", help="path to the presign binary")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--only", choices=list(COUNTS) + ["negative"])
    parser.add_argument("--verbose", action="store_true", help="print every case")
    args = parser.parse_args()
    binary = os.path.abspath(args.presign)
    if not os.access(binary, os.X_OK):
        print(f"not an executable: {binary}")
        print("0 passed, 1 failed")
        return 1

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="presign-parity-") as home:
        isolate_environment(home)
        cases = build_cases(args.seed, Botocore(), args.only)
        generated = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 4)) as pool:
            results = list(pool.map(lambda c: run_case(binary, c), cases))

    tally = {}
    for case, problems in zip(cases, results):
        ok = not problems
        tally.setdefault(case.kind, [0, 0])[0 if ok else 1] += 1
        if not ok:
            report_failure(case, problems)
        elif args.verbose:
            print(f"ok   {case.name}")
    for kind, (good, bad) in tally.items():
        print(f"{kind:9} {good:4} passed {bad:4} failed")
    print(f"botocore {generated - started:.1f}s, presign {time.monotonic() - generated:.1f}s, "
          f"seed {args.seed}")
    passed = sum(t[0] for t in tally.values())
    failed = sum(t[1] for t in tally.values())
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
