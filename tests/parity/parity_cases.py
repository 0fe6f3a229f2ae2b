"""The case kinds: SigV4/SigV2 URLs, POST forms, usage errors, and how each is checked.

Part of the botocore parity test; see botocore_parity.py.
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
from parity_base import *  # noqa: F401,F403 (one test, split by topic)
from parity_operations import *  # noqa: F401,F403 (one test, split by topic)


# --------------------------------------------------------------------------------------------
# URL cases


def compare_urls(expected: str, actual: str, sig_param: str, exact: bool) -> list:
    problems = []
    e, a = urlsplit(expected), urlsplit(actual)
    for part in ("scheme", "netloc", "path"):
        if getattr(e, part) != getattr(a, part):
            problems.append(f"{part}: botocore {getattr(e, part)!r} presign {getattr(a, part)!r}")
    eq, aq = split_query(e.query), split_query(a.query)
    if len(dict(aq)) != len(aq):
        problems.append("presign repeats a query parameter")
    ed, ad = dict(eq), dict(aq)
    if ed.get(sig_param) != ad.get(sig_param):
        problems.append(f"{sig_param}: botocore {ed.get(sig_param)} presign {ad.get(sig_param)}")
    for name in sorted(set(ed) | set(ad)):
        if name != sig_param and ed.get(name) != ad.get(name):
            problems.append(f"query {name}: botocore {ed.get(name)!r} presign {ad.get(name)!r}")
    if exact and not problems and expected != actual:
        problems.append("same parameters, different URL text")
    return problems


def check_url(case: Case, proc) -> list:
    if proc.returncode != 0:
        return [f"exit {proc.returncode}: {proc.stderr.strip()}"]
    actual = proc.stdout.strip()
    case.info["presign"] = actual
    sig = "Signature" if case.kind == "v2-url" else "X-Amz-Signature"
    return compare_urls(case.expect, actual, sig, exact=case.kind == "v4-url")


def url_case(d: Draw, bc: Botocore, index: int, sigv2: bool) -> Case:
    op = d.pick([o for o in OPS for _ in range(o.weight) if not sigv2 or o.name in V2_OPS])
    s = d.signing(sigv2=sigv2)
    bucket = d.bucket(virtual_ok_only=s.style == "virtual" or s.endpoint is not None and
                      s.style == "auto" and d.r.random() < 0.5)
    key = d.key() if op.has_key else ""
    params = draw_operation(d, op)
    if sigv2 and "Metadata" in params:  # botocore's SigV2 query carries header values untrimmed
        params["Metadata"] = {k: v.strip() for k, v in params["Metadata"].items()}
    return make_url_case(bc, f"#{index}", op, s, bucket, key, params)


def make_url_case(bc: Botocore, label: str, op: Op, s: Signing, bucket: str, key: str,
                  params: dict) -> Case:
    call = dict(params, Bucket=bucket, **({"Key": key} if op.has_key else {}))
    expect = bc.presigned_url(s, op.name, call)
    query, headers = translate(op, params)
    args, env = s.presign_args()
    argv = ["url", f"s3://{bucket}/{key}", "-X", op.method] + args
    for name, value in order_like(query, expect):
        argv += ["-q", f"{name}={value}"]
    for name, value in headers:
        argv += ["-H", f"{name}: {value}"]
    kind = "v2-url" if s.sigv2 else "v4-url"
    return Case(kind, f"{kind}{label} {op.name}", argv, env, check_url, expect,
                {"params": call, "style": s.botocore_style(), "region": s.region,
                 "endpoint": s.endpoint})


def edge_url_cases(d: Draw, bc: Botocore) -> list:
    """Hand-picked: AWS's published query-auth example, endpoints written with their default
    port (botocore keeps the port in the URL and drops it from the Host header), and
    bucket-level calls in each style."""
    ops = {o.name: o for o in OPS}
    aws = Signing(d.creds[0], "us-east-1", datetime.datetime(2013, 5, 24), 86400)
    picks = [
        ("get_object", aws, "examplebucket", "test.txt", {}),
        ("get_object", dataclasses.replace(aws, endpoint="https://s3.example.com:443"), "bkt", "k",
         {}),
        ("put_object", dataclasses.replace(aws, endpoint="http://localhost:80"), "bkt", "a b", {}),
        ("list_objects_v2", dataclasses.replace(aws, style="path"), "bkt", "", {}),
        ("list_objects_v2", aws, "bkt", "", {}),
        ("list_objects_v2", dataclasses.replace(aws, sigv2=True), "bkt", "", {}),
        ("head_bucket", dataclasses.replace(aws, endpoint="http://127.0.0.1:9000"), "bkt", "", {}),
    ]
    return [make_url_case(bc, f"-edge#{i}", ops[op], s, bucket, key, params)
            for i, (op, s, bucket, key, params) in enumerate(picks)]


# --------------------------------------------------------------------------------------------
# POST cases

POST_FIELDS = ["acl", "success_action_status", "success_action_redirect", "Cache-Control",
               "Content-Disposition", "x-amz-meta-user", "x-amz-meta-Tag", "x-amz-storage-class",
               "x-amz-server-side-encryption", "tagging", "Expires", "x-amz-meta-note"]
POST_VALUES = ["public-read", "201", "https://example.com/done?x=1&y=2", "max-age=60",
               'attachment; filename="é.txt"', "日本", "😀 emoji", 'quote " and \\ backslash',
               "line\nbreak\ttab", "ctl\x01\x1f\x7f", "/slash/", "${filename}", "", "plain",
               "  padded  ", "<script>&amp;</script>"]
MAX_POST_BYTES = 5 * 1024**3  # presign's upper bound when only --min-size is given


def condition_name(cond) -> str:
    """The form field a condition constrains ('' for content-length-range)."""
    if isinstance(cond, dict):
        return next(iter(cond))
    return cond[1][1:] if cond[0] != "content-length-range" else ""


def draw_condition(d: Draw, fields: list):
    names = [n for n, _ in fields] + ["x-amz-meta-other", "Content-Type", "acl"]
    name = d.pick(names)
    if d.r.random() < 0.2:  # differently cased name: still names the field
        name = name.swapcase()
    roll = d.r.random()
    if roll < 0.4:
        return {name: d.pick(POST_VALUES)}
    if roll < 0.7:
        return ["starts-with", "$" + name, d.pick(POST_VALUES)]
    if roll < 0.85:
        return ["eq", "$" + name, d.pick(POST_VALUES)]
    if roll < 0.93:
        return ["starts-with", "$key", d.pick(["uploads/", "", "日本/"])]
    low = d.r.randint(0, 1000)
    return ["content-length-range", low, low + d.r.randint(0, 10**10)]


def condition_text(d: Draw, cond) -> str:
    compact = d.r.random() < 0.3
    return json.dumps(cond, ensure_ascii=d.r.random() < 0.5,
                      separators=(",", ":") if compact else (", ", ": "))


def post_case(d: Draw, bc: Botocore, index: int, sigv2: bool) -> Case:
    s = d.signing(sigv2=sigv2)
    bucket = d.bucket(virtual_ok_only=s.style == "virtual")
    key = d.key() + d.pick(["", "", "${filename}", "/${filename}"])
    fields = []
    for name in d.r.sample(POST_FIELDS, d.r.randint(0, 4)):
        fields.append((name, d.pick(POST_VALUES)))
    content_type = d.pick([None, None, "image/png", "text/plain; charset=utf-8"])
    conditions = [draw_condition(d, fields) for _ in range(d.r.randint(0, 3))]
    sizes = d.pick([None, None, (0, 1048576), (1, None), (None, 10), (5, 5)])

    args, env = s.presign_args()
    argv = ["post", f"s3://{bucket}/{key}"] + args
    policy_conditions = []
    if sizes:
        low, high = sizes
        policy_conditions.append(["content-length-range", low or 0,
                                  MAX_POST_BYTES if high is None else high])
        argv += (["--min-size", str(low)] if low is not None else [])
        argv += (["--max-size", str(high)] if high is not None else [])
    for cond in conditions:
        policy_conditions.append(cond)
        argv += ["--condition", condition_text(d, cond)]
    all_fields = ([("Content-Type", content_type)] if content_type else []) + fields
    named = {condition_name(c).lower() for c in conditions}
    policy_conditions += [{n: v} for n, v in all_fields if n.lower() not in named]
    if content_type:
        argv += ["--content-type", content_type]
    for name, value in fields:
        argv += ["--field", f"{name}={value}"]
    expect = bc.presigned_post(s, bucket, key, all_fields, policy_conditions)
    kind = "v2-post" if sigv2 else "v4-post"
    return Case(kind, f"{kind}#{index}", argv, env, check_post, expect,
                {"signing": s})


def check_post(case: Case, proc) -> list:
    if proc.returncode != 0:
        return [f"exit {proc.returncode}: {proc.stderr.strip()}"]
    problems = []
    try:
        actual = json.loads(proc.stdout, object_pairs_hook=_no_duplicates)
    except ValueError as e:
        return [f"output is not JSON ({e}): {proc.stdout!r}"]
    case.info["presign"] = actual
    expect, s = case.expect, case.info["signing"]
    ours, theirs = actual.get("fields", {}), expect["fields"]
    if actual.get("url") != expect["url"]:
        problems.append(f"url: botocore {expect['url']!r} presign {actual.get('url')!r}")
    ours_policy = base64.b64decode(ours.get("policy", ""))
    theirs_policy = base64.b64decode(theirs["policy"])
    if ours_policy != theirs_policy:
        problems.append(f"policy document differs:\n    botocore {theirs_policy!r}\n"
                        f"    presign  {ours_policy!r}")
    policy_b64 = ours.get("policy", "").encode()
    if s.sigv2:
        want = b64(hmac.new(s.creds.secret_key.encode(), policy_b64, hashlib.sha1).digest())
        sig_field = "signature"
    else:
        signing_key = sigv4_signing_key(s.creds.secret_key, s.when.strftime("%Y%m%d"), s.region)
        want = hmac.new(signing_key, policy_b64, hashlib.sha256).hexdigest()
        sig_field = "x-amz-signature"
    if ours.get(sig_field) != want:
        problems.append(f"{sig_field} {ours.get(sig_field)} != HMAC of its policy {want}")
    if ours_policy == theirs_policy and ours.get(sig_field) != theirs[sig_field]:
        problems.append(f"{sig_field}: botocore {theirs[sig_field]} presign {ours.get(sig_field)}")
    for name in sorted(set(ours) | set(theirs)):
        if name != "policy" and ours.get(name) != theirs.get(name):
            problems.append(f"field {name}: botocore {theirs.get(name)!r} "
                            f"presign {ours.get(name)!r}")
    return problems


def _no_duplicates(pairs):
    names = [n for n, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate member in {names}")
    return dict(pairs)


# --------------------------------------------------------------------------------------------
# Negative cases


def check_usage_error(case: Case, proc) -> list:
    problems = []
    if proc.returncode != 2:
        problems.append(f"exit {proc.returncode}, want 2")
    if proc.stdout:
        problems.append(f"stdout not empty: {proc.stdout!r}")
    if proc.stderr.count("\n") != 1 or not proc.stderr.endswith("\n"):
        problems.append(f"stderr is not one line: {proc.stderr!r}")
    return problems


def negative_cases(d: Draw) -> list:
    creds = d.creds[0]
    env = {"AWS_ACCESS_KEY_ID": creds.access_key, "AWS_SECRET_ACCESS_KEY": creds.secret_key}
    cases = []
    for command in ("url", "post"):
        for sigv2 in (False, True):
            for expires in ("0", "604801"):
                argv = [command, "s3://examplebucket/k", "--expires", expires,
                        "--date", "20130524T000000Z"] + (["--sigv2"] if sigv2 else [])
                name = f"negative {command}{' sigv2' if sigv2 else ''} --expires {expires}"
                cases.append(Case("negative", name, argv, env, check_usage_error))
    return cases
