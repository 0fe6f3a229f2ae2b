#!/usr/bin/env python3
"""Legacy SigV2 against the real `presign store` on 127.0.0.1:0: boto3 with
signature_version='s3' (header auth for every call, presigned URLs, presigned POST forms sent
with curl), and the refusals (wrong secret, tampering, expiry).

Usage: sigv2_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request

import boto3
import botocore
from botocore.config import Config

from harness import ACCESS_KEY, SECRET_KEY, Runner, Store, curl_form

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
STORE = Store(PRESIGN, prefix="presign-sigv2-test-")


def v2_client(secret=SECRET_KEY):
    return boto3.client("s3", endpoint_url=STORE.url, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=secret,
                        region_name="us-east-1",
                        config=Config(signature_version="s3", s3={"addressing_style": "path"},
                                      retries={"max_attempts": 1}))


S3 = v2_client()
S3.create_bucket(Bucket="legacy")


def http(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def code_of(body):
    start = body.find(b"<Code>")
    return body[start + 6:body.find(b"</Code>")].decode() if start >= 0 else None


@test
def boto3_with_sigv2_puts_gets_lists_and_deletes():
    S3.put_object(Bucket="legacy", Key="dir/a b+c.txt", Body=b"v2 body", ContentType="text/plain",
                  Metadata={"owner": "alice"})
    got = S3.get_object(Bucket="legacy", Key="dir/a b+c.txt")
    assert got["Body"].read() == b"v2 body" and got["Metadata"] == {"owner": "alice"}, got
    assert [o["Key"] for o in S3.list_objects(Bucket="legacy", Prefix="dir/")["Contents"]] == ["dir/a b+c.txt"]
    assert S3.get_object(Bucket="legacy", Key="dir/a b+c.txt", Range="bytes=3-")["Body"].read() == b"body"
    S3.delete_object(Bucket="legacy", Key="dir/a b+c.txt")
    assert S3.list_objects(Bucket="legacy").get("Contents") is None


@test
def a_wrong_secret_is_signature_does_not_match():
    try:
        v2_client("wrong-secret").list_buckets()
        raise AssertionError("accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "SignatureDoesNotMatch", e.response["Error"]


@test
def presigned_sigv2_urls_work_and_bind_their_headers():
    put = S3.generate_presigned_url("put_object", Params={"Bucket": "legacy", "Key": "url.txt",
                                                          "ContentType": "text/plain"}, ExpiresIn=60)
    assert "AWSAccessKeyId=" in put and "Signature=" in put, put
    assert http("PUT", put, b"by url", {"Content-Type": "text/plain"})[0] == 200
    get = S3.generate_presigned_url("get_object", Params={"Bucket": "legacy", "Key": "url.txt"}, ExpiresIn=60)
    assert http("GET", get) == (200, b"by url")
    status, body = http("DELETE", get)
    assert status == 403 and code_of(body) == "SignatureDoesNotMatch", (status, body)
    status, body = http("GET", get.replace("url.txt", "other.txt"))
    assert status == 403 and code_of(body) == "SignatureDoesNotMatch", (status, body)


@test
def presigned_sigv2_urls_expire_with_s3s_message():
    url = S3.generate_presigned_url("get_object", Params={"Bucket": "legacy", "Key": "url.txt"}, ExpiresIn=1)
    time.sleep(2.2)
    status, body = http("GET", url)
    assert status == 403 and code_of(body) == "AccessDenied" and b"Request has expired" in body, body


@test
def sigv2_post_forms_upload_with_curl_and_stay_strict():
    files = tempfile.mkdtemp(prefix="presign-sigv2-files-")
    path = os.path.join(files, "form.txt")
    with open(path, "wb") as f:
        f.write(b"posted with v2")
    post = S3.generate_presigned_post("legacy", "forms/${filename}", Conditions=[["content-length-range", 1, 100]],
                                      ExpiresIn=60)
    assert "AWSAccessKeyId" in post["fields"] and "signature" in post["fields"], post["fields"]
    reply = curl_form(post["url"], list(post["fields"].items()), path)
    assert reply.status == 204, reply
    assert S3.get_object(Bucket="legacy", Key="forms/form.txt")["Body"].read() == b"posted with v2"
    # A field the policy does not cover, and a forged signature.
    reply = curl_form(post["url"], list(post["fields"].items()) + [("x-amz-meta-extra", "1")], path)
    assert reply.status == 403 and reply.code() == "AccessDenied", reply
    forged = [(k, ("A" * 27 + "=") if k == "signature" else v) for k, v in post["fields"].items()]
    reply = curl_form(post["url"], forged, path)
    assert reply.status == 403 and reply.code() == "SignatureDoesNotMatch", reply


RUN.finish(STORE)
