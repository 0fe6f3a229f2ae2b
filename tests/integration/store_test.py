#!/usr/bin/env python3
"""The embedded store over real sockets with real clients: `presign store` on 127.0.0.1:0,
driven by boto3 (SigV4, path-style), aws-cli, and plain HTTP for presigned URLs.

Usage: store_test.py /path/to/presign. Prints 'N passed, M failed'.
What is not built yet (POST forms, DeleteObjects, aws-chunked uploads, multipart) is not
tested here."""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import boto3
import botocore
from botocore.config import Config

from harness import Store, Runner

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test


def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("the call succeeded")


def http_get(url, method="GET", data=None, headers=None):
    req = urllib.request.Request(url, method=method, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


STORE = Store(PRESIGN)
S3 = STORE.client()
S3.create_bucket(Bucket="uploads")


@test
def buckets_create_list_head_delete():
    S3.create_bucket(Bucket="scratch-bucket")
    names = [b["Name"] for b in S3.list_buckets()["Buckets"]]
    assert "scratch-bucket" in names and "uploads" in names, names
    S3.head_bucket(Bucket="scratch-bucket")
    assert error_code(lambda: S3.create_bucket(Bucket="scratch-bucket")) == ("BucketAlreadyOwnedByYou", 409)
    S3.put_object(Bucket="scratch-bucket", Key="k", Body=b"x")
    assert error_code(lambda: S3.delete_bucket(Bucket="scratch-bucket")) == ("BucketNotEmpty", 409)
    S3.delete_object(Bucket="scratch-bucket", Key="k")
    S3.delete_bucket(Bucket="scratch-bucket")
    assert error_code(lambda: S3.head_bucket(Bucket="scratch-bucket"))[1] == 404
    assert error_code(lambda: S3.create_bucket(Bucket="Bad_Name")) == ("InvalidBucketName", 400)
    assert error_code(lambda: S3.list_objects_v2(Bucket="missing-bucket")) == ("NoSuchBucket", 404)


@test
def objects_round_trip_with_metadata_and_etag():
    body = os.urandom(3 * 1024 * 1024 + 11)
    put = S3.put_object(Bucket="uploads", Key="dir/über file+1.bin", Body=body, ContentType="application/x-test",
                        Metadata={"owner": "ann"}, CacheControl="max-age=60", ContentDisposition="inline")
    assert put["ETag"] == '"' + hashlib.md5(body).hexdigest() + '"', put["ETag"]
    got = S3.get_object(Bucket="uploads", Key="dir/über file+1.bin")
    assert got["Body"].read() == body
    assert got["ContentType"] == "application/x-test" and got["Metadata"] == {"owner": "ann"}
    assert got["CacheControl"] == "max-age=60" and got["ContentDisposition"] == "inline"
    head = S3.head_object(Bucket="uploads", Key="dir/über file+1.bin")
    assert head["ContentLength"] == len(body)


@test
def keys_are_kept_exactly():
    keys = ["../escape", "a//b", "./dot", "trailing/", "ünïcödé/日本", "sp ace", "plus+sign", "pct%41", "q?x#y"]
    for i, k in enumerate(keys):
        S3.put_object(Bucket="uploads", Key="keys/" + k, Body=str(i).encode())
    for i, k in enumerate(keys):
        assert S3.get_object(Bucket="uploads", Key="keys/" + k)["Body"].read() == str(i).encode(), k
    listed = [o["Key"] for o in S3.list_objects_v2(Bucket="uploads", Prefix="keys/")["Contents"]]
    assert sorted(listed) == sorted("keys/" + k for k in keys), listed


@test
def ranges_and_conditions():
    S3.put_object(Bucket="uploads", Key="range.txt", Body=b"0123456789")
    assert S3.get_object(Bucket="uploads", Key="range.txt", Range="bytes=2-4")["Body"].read() == b"234"
    assert S3.get_object(Bucket="uploads", Key="range.txt", Range="bytes=7-")["Body"].read() == b"789"
    assert S3.get_object(Bucket="uploads", Key="range.txt", Range="bytes=-3")["Body"].read() == b"789"
    assert error_code(lambda: S3.get_object(Bucket="uploads", Key="range.txt", Range="bytes=10-")) == ("InvalidRange", 416)
    etag = S3.head_object(Bucket="uploads", Key="range.txt")["ETag"]
    assert error_code(lambda: S3.get_object(Bucket="uploads", Key="range.txt", IfMatch='"nope"')) == ("PreconditionFailed", 412)
    assert error_code(lambda: S3.get_object(Bucket="uploads", Key="range.txt", IfNoneMatch=etag))[1] == 304
    assert S3.get_object(Bucket="uploads", Key="range.txt", IfMatch=etag)["Body"].read() == b"0123456789"
    assert error_code(lambda: S3.put_object(Bucket="uploads", Key="range.txt", Body=b"x", IfNoneMatch="*")) == ("PreconditionFailed", 412)


@test
def listing_paginates_in_key_order_with_prefixes():
    keys = sorted(f"list/{d}/{i:04d}" for d in ("a", "b", "c") for i in range(350))
    for k in keys:
        S3.put_object(Bucket="uploads", Key=k, Body=b"")
    seen, token = [], None
    while True:
        kw = {"Bucket": "uploads", "Prefix": "list/", "MaxKeys": 400}
        if token:
            kw["ContinuationToken"] = token
        page = S3.list_objects_v2(**kw)
        seen += [o["Key"] for o in page.get("Contents", [])]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert seen == keys, (len(seen), seen[:3])
    grouped = S3.list_objects_v2(Bucket="uploads", Prefix="list/", Delimiter="/")
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["list/a/", "list/b/", "list/c/"]
    v1 = S3.list_objects(Bucket="uploads", Prefix="list/b/", Marker="list/b/0100", MaxKeys=5)
    assert [o["Key"] for o in v1["Contents"]] == [f"list/b/{i:04d}" for i in range(101, 106)]


@test
def presigned_urls_generated_by_boto3_work_and_expire():
    url = S3.generate_presigned_url("put_object", Params={"Bucket": "uploads", "Key": "presigned.txt"}, ExpiresIn=60)
    assert http_get(url, "PUT", b"via presigned put")[0] == 200
    get = S3.generate_presigned_url("get_object", Params={"Bucket": "uploads", "Key": "presigned.txt"}, ExpiresIn=60)
    assert http_get(get) == (200, b"via presigned put")
    tampered = get[:-1] + ("0" if get[-1] != "0" else "1")
    status, body = http_get(tampered)
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body, body
    expired = S3.generate_presigned_url("get_object", Params={"Bucket": "uploads", "Key": "presigned.txt"}, ExpiresIn=1)
    time.sleep(2.2)
    status, body = http_get(expired)
    assert status == 403 and b"<Message>Request has expired</Message>" in body, body


@test
def presigned_urls_from_presign_itself_work():
    env = dict(os.environ, AWS_ACCESS_KEY_ID="TESTACCESSKEY", AWS_SECRET_ACCESS_KEY="test/secret+key")
    for k in [k for k in env if k.startswith("AWS_") and k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")]:
        del env[k]
    sign = lambda *a: subprocess.run([PRESIGN, "url", *a, "--endpoint", STORE.url], env=env, capture_output=True,
                                     text=True, check=True).stdout.strip()
    put = sign("s3://uploads/from presign.txt", "-X", "PUT", "-H", "Content-Type: text/plain", "--expires", "60")
    assert http_get(put, "PUT", b"signed offline", {"Content-Type": "text/plain"})[0] == 200
    assert http_get(put, "PUT", b"other type", {"Content-Type": "text/html"})[0] == 403
    assert http_get(sign("s3://uploads/from presign.txt"))[1] == b"signed offline"


@test
def authentication_failures_use_s3_codes():
    assert error_code(lambda: STORE.client(secret="wrong").list_buckets()) == ("SignatureDoesNotMatch", 403)
    other = boto3.client("s3", endpoint_url=STORE.url, aws_access_key_id="UNKNOWNKEY", aws_secret_access_key="x",
                         region_name="us-east-1", config=Config(signature_version="s3v4"))
    assert error_code(lambda: other.list_buckets()) == ("InvalidAccessKeyId", 403)
    status, body = http_get(STORE.url + "/uploads/presigned.txt")
    assert status == 403 and b"<Code>AccessDenied</Code>" in body, body


@test
def payload_hash_and_content_md5_are_checked_before_anything_is_visible():
    import base64
    bad_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    assert error_code(lambda: S3.put_object(Bucket="uploads", Key="digest.txt", Body=b"data", ContentMD5=bad_md5)) == ("BadDigest", 400)
    assert error_code(lambda: S3.head_object(Bucket="uploads", Key="digest.txt"))[1] == 404


@test
def aws_cli_copies_lists_syncs_and_removes():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="TESTACCESSKEY", AWS_SECRET_ACCESS_KEY="test/secret+key",
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    aws = lambda *a: subprocess.run(["aws", "--endpoint-url", STORE.url, *a], env=env, capture_output=True,
                                    text=True, timeout=60)
    work = tempfile.mkdtemp(prefix="presign-cli-")
    try:
        os.makedirs(os.path.join(work, "tree", "sub"))
        files = {"tree/a.txt": b"hello\n", "tree/sub/b.bin": os.urandom(200_000)}
        for rel, data in files.items():
            with open(os.path.join(work, rel), "wb") as f:
                f.write(data)
        r = aws("s3", "cp", os.path.join(work, "tree/a.txt"), "s3://uploads/cli/a.txt")
        assert r.returncode == 0, r.stderr
        r = aws("s3", "sync", os.path.join(work, "tree"), "s3://uploads/cli/sync/")
        assert r.returncode == 0, r.stderr
        r = aws("s3", "ls", "--recursive", "s3://uploads/cli/")
        assert r.returncode == 0 and "cli/sync/sub/b.bin" in r.stdout and "cli/a.txt" in r.stdout, r.stdout
        r = aws("s3", "cp", "s3://uploads/cli/sync/sub/b.bin", os.path.join(work, "b.out"))
        assert r.returncode == 0, r.stderr
        with open(os.path.join(work, "b.out"), "rb") as f:
            assert f.read() == files["tree/sub/b.bin"]
        r = aws("s3", "rm", "--recursive", "s3://uploads/cli/")
        assert r.returncode == 0, r.stderr
        assert "Contents" not in S3.list_objects_v2(Bucket="uploads", Prefix="cli/")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@test
def unimplemented_features_say_so():
    assert error_code(lambda: S3.get_bucket_versioning(Bucket="uploads"))[0] == "NotImplemented"


if __name__ == "__main__":
    RUN.finish(STORE)
