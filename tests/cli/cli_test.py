#!/usr/bin/env python3
"""End-to-end tests of the presign command line: output shape, exit codes, error lines,
credential sources. Usage: cli_test.py /path/to/presign. Prints 'N passed, M failed'."""
import base64
import json
import os
import subprocess
import sys
import tempfile

PRESIGN = sys.argv[1]
AK = "AKIAIOSFODNN7EXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
HOME = tempfile.mkdtemp(prefix="presign-cli-home-")
BASE_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": HOME}
KEYS = {"AWS_ACCESS_KEY_ID": AK, "AWS_SECRET_ACCESS_KEY": SK}
results = []


def run(*args, env=None):
    e = dict(BASE_ENV)
    e.update(KEYS if env is None else env)
    return subprocess.run([PRESIGN, *args], env=e, capture_output=True, text=True, timeout=30)


def test(fn):
    try:
        fn()
        results.append((fn.__name__, None))
    except AssertionError as exc:
        results.append((fn.__name__, str(exc) or "assertion failed"))
    return fn


def expect_usage_error(p, *needles):
    assert p.returncode == 2, f"exit {p.returncode}, stderr {p.stderr!r}"
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {p.stderr!r}"
    assert p.stdout == "", p.stdout
    for n in needles:
        assert n in p.stderr, f"{n!r} not in {p.stderr!r}"
    assert SK not in p.stderr


@test
def help_exits_zero_everywhere():
    for args in ([], ["url"], ["post"]):
        p = run(*args, "--help")
        assert p.returncode == 0, (args, p.returncode, p.stderr)
        assert "Usage" in p.stdout or "usage" in p.stdout.lower(), p.stdout


@test
def url_prints_the_published_aws_example():
    p = run("url", "s3://examplebucket/test.txt", "--expires", "86400", "--date", "20130524T000000Z")
    assert p.returncode == 0, p.stderr
    assert p.stdout.endswith("\n") and p.stdout.count("\n") == 1
    assert p.stdout.strip().endswith(
        "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"), p.stdout


@test
def url_takes_method_headers_query_endpoint_and_style():
    p = run("url", "s3://uploads/a b.txt", "-X", "put", "-H", "Content-Type: image/png",
            "-q", "partNumber=2", "-q", "uploadId=xyz", "--endpoint", "http://127.0.0.1:9000",
            "--region", "eu-west-1", "--date", "20240101T000000Z", "--expires", "60")
    assert p.returncode == 0, p.stderr
    url = p.stdout.strip()
    assert url.startswith("http://127.0.0.1:9000/uploads/a%20b.txt?partNumber=2&uploadId=xyz&"), url
    assert "X-Amz-SignedHeaders=content-type%3Bhost" in url
    assert "%2Feu-west-1%2Fs3%2F" in url
    v = run("url", "s3://uploads/k", "--endpoint", "http://localhost:9000", "--virtual-hosted",
            "--date", "20240101T000000Z")
    assert v.stdout.startswith("http://uploads.localhost:9000/k?"), v.stdout


@test
def url_is_reproducible_with_date():
    a = run("url", "s3://b-bucket/k", "--date", "20240101T000000Z").stdout
    b = run("url", "s3://b-bucket/k", "--date", "20240101T000000Z").stdout
    assert a == b and a


@test
def sigv2_url_and_post():
    p = run("url", "s3://examplebucket/k", "--sigv2", "--date", "20240101T000000Z", "--expires", "60")
    assert p.returncode == 0, p.stderr
    assert "AWSAccessKeyId=" + AK in p.stdout and "Expires=1704067260" in p.stdout, p.stdout
    q = run("post", "s3://examplebucket/k", "--sigv2", "--date", "20240101T000000Z")
    fields = json.loads(q.stdout)["fields"]
    assert set(fields) == {"key", "policy", "AWSAccessKeyId", "signature"}, fields


@test
def post_prints_url_and_fields_json_with_64_bit_sizes():
    p = run("post", "s3://examplebucket/uploads/${filename}", "--max-size", "5368709120",
            "--min-size", "1", "--content-type", "image/jpeg", "--field", "acl=private",
            "--condition", '["starts-with", "$x-amz-meta-tag", ""]', "--date", "20240101T000000Z",
            "--expires", "60")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["url"] == "https://examplebucket.s3.amazonaws.com/", out["url"]
    f = out["fields"]
    assert f["key"] == "uploads/${filename}" and f["Content-Type"] == "image/jpeg" and f["acl"] == "private"
    policy = json.loads(base64.b64decode(f["policy"]))
    assert policy["expiration"] == "2024-01-01T00:01:00Z", policy
    c = policy["conditions"]
    assert c[0] == ["content-length-range", 1, 5368709120], c
    assert ["starts-with", "$x-amz-meta-tag", ""] in c
    assert {"Content-Type": "image/jpeg"} in c and {"acl": "private"} in c
    assert ["starts-with", "$key", "uploads/"] in c and {"bucket": "examplebucket"} in c


@test
def bad_expiry_is_one_line_and_exit_two():
    for e in ("0", "604801", "-5"):
        expect_usage_error(run("url", "s3://b/k", "--expires", e), "expir")
    expect_usage_error(run("post", "s3://b/k", "--expires", "604801"), "expir")


@test
def bad_inputs_are_one_line_and_exit_two():
    expect_usage_error(run("url", "https://bucket/key"), "s3://")
    expect_usage_error(run("url", "s3:///key"), "bucket")
    expect_usage_error(run("url", "s3://b/k", "--endpoint", "localhost:9000"), "endpoint")
    expect_usage_error(run("url", "s3://b/k", "--date", "2024-01-01"), "--date")
    expect_usage_error(run("url", "s3://b/k", "-H", "NoColon"), "header")
    expect_usage_error(run("url", "s3://b/k", "-H", "Host: evil"), "Host")
    expect_usage_error(run("url", "s3://b/k", "--region", "Bad Region"), "region")
    expect_usage_error(run("post", "s3://b/k", "--condition", '{"acl": '), "condition")
    expect_usage_error(run("post", "s3://b/k", "--condition", '{"a": "1", "a": "2"}'), "duplicate")
    expect_usage_error(run("post", "s3://b/k", "--min-size", "10", "--max-size", "1"), "size")
    expect_usage_error(run("post", "s3://b"), "KEY")
    expect_usage_error(run("url", "s3://b/k", "--no-such-flag"))
    expect_usage_error(run("frobnicate"))


@test
def missing_credentials_say_what_to_set():
    expect_usage_error(run("url", "s3://b/k", env={}), "AWS_ACCESS_KEY_ID")


@test
def profiles_from_aws_files():
    aws = os.path.join(HOME, ".aws")
    os.makedirs(aws, exist_ok=True)
    with open(os.path.join(aws, "credentials"), "w") as f:
        f.write("[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = devsecret\n")
    with open(os.path.join(aws, "config"), "w") as f:
        f.write("[profile dev]\nregion = ap-south-1\ns3 =\n  addressing_style = path\n")
    p = run("url", "s3://bucket/k", "--profile", "dev", "--date", "20240101T000000Z")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("https://s3.ap-south-1.amazonaws.com/bucket/k?"), p.stdout
    assert "X-Amz-Credential=DEVKEY%2F20240101%2Fap-south-1" in p.stdout, p.stdout
    expect_usage_error(run("url", "s3://bucket/k", "--profile", "nope"), "nope")


@test
def secrets_never_printed():
    for args in (["url", "s3://b/k"], ["post", "s3://b/k"], ["url", "s3://b/k", "--expires", "0"]):
        p = run(*args)
        assert SK not in p.stdout and SK not in p.stderr, args


if __name__ == "__main__":
    failed = [(n, e) for n, e in results if e]
    for name, err in results:
        print(("ok    " if not err else "FAIL  ") + name + ("" if not err else f": {err}"))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)
