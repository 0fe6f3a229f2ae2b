#!/usr/bin/env python3
"""Writes the SigV4 test vectors under tests/vectors/sigv4/, one directory per case.

Expected artifacts come from botocore's own signer (an independent implementation), captured
stage by stage. Cases are AWS's published S3 examples plus chosen inputs. Run it again only to
add cases; the checked-in files are the contract, and tests/vectors/sigv4_vectors_test.cpp
checks presign against them at every stage.

Each case directory holds:
  case.json                 inputs: mode (header|query), method, bucket, key, query, headers,
                            payload_hash, expires, date, region, endpoint, style, credentials
  canonical-request.txt     botocore's canonical request
  string-to-sign.txt        botocore's string to sign
  signature.txt             hex signature
  signed.txt                query: the full URL; header: the Authorization header value
"""
import datetime
import hashlib
import hmac
import json
import os
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "sigv4")
AK = "AKIAIOSFODNN7EXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

CASES = [
    # AWS "Authenticating Requests: Using Query Parameters" example.
    dict(name="aws-query-get-object", mode="query", method="GET", bucket="examplebucket",
         key="test.txt", expires=86400),
    # AWS "Authenticating Requests: Using the Authorization Header" examples.
    dict(name="aws-header-get-object-range", mode="header", method="GET", bucket="examplebucket",
         key="test.txt", headers=[["Range", "bytes=0-9"]],
         payload_hash="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    # botocore replaces a Date header with its own, so this example's artifacts are AWS's
    # published ones, checked here against AWS's published signature.
    dict(name="aws-header-put-object", mode="header", method="PUT", bucket="examplebucket",
         key="test$file.text",
         headers=[["Date", "Fri, 24 May 2013 00:00:00 GMT"],
                  ["x-amz-storage-class", "REDUCED_REDUNDANCY"]],
         body="Welcome to Amazon S3.",
         published_signature="98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
    dict(name="aws-header-get-bucket-lifecycle", mode="header", method="GET",
         bucket="examplebucket", key="", query=[["lifecycle", ""]],
         payload_hash="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    dict(name="aws-header-list-objects", mode="header", method="GET", bucket="examplebucket",
         key="", query=[["max-keys", "2"], ["prefix", "J"]],
         payload_hash="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    # Chosen inputs.
    dict(name="query-put-unicode-key-signed-headers", mode="query", method="PUT",
         bucket="examplebucket", key="photos/été 2024/日本 +%!*'()~=&?#.jpg",
         headers=[["Content-Type", "image/jpeg"], ["x-amz-meta-owner", "  Ann   Lee "],
                  ["x-amz-acl", "private"]], expires=600),
    dict(name="query-upload-part-session-token", mode="query", method="PUT",
         bucket="uploads", key="big/file.bin", query=[["partNumber", "7"], ["uploadId", "a/b+c=="]],
         token="FwoGZXIvYXdzEXAMPLE/+token==", expires=3600, region="eu-west-1"),
    dict(name="query-path-style-custom-endpoint", mode="query", method="GET", bucket="my.bucket",
         key="//lead/../dots/./x", endpoint="http://127.0.0.1:9000", style="path",
         query=[["response-content-disposition", 'attachment; filename="a b.txt"']],
         expires=60),
    dict(name="query-virtual-custom-endpoint-port", mode="query", method="DELETE", bucket="media",
         key="a/b/c", endpoint="https://s3.example.com:8443", style="virtual", expires=604800,
         region="ap-southeast-2"),
    dict(name="header-unsigned-payload-token", mode="header", method="PUT", bucket="uploads",
         key="notes/readme.md", headers=[["Content-Type", "text/markdown"]],
         unsigned=True, token="SESSIONTOKEN/+=", region="us-west-2"),
    dict(name="header-put-body-hash", mode="header", method="PUT", bucket="examplebucket",
         key="docs/hello world.txt", headers=[["Content-Type", "text/plain"]],
         body="hello, world\n", region="eu-central-1"),
    dict(name="header-repeated-and-folded-headers", mode="header", method="GET", bucket="examplebucket",
         key="k", headers=[["X-Amz-Meta-A", "one"], ["x-amz-meta-a", "two"],
                           ["x-amz-meta-b", "\tsp  aced\t value "]],
         payload_hash="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
]

DATE = datetime.datetime(2013, 5, 24, 0, 0, 0)


def base_url(c):
    region = c.get("region", "us-east-1")
    endpoint = c.get("endpoint")
    style = c.get("style", "virtual")
    if endpoint:
        scheme, host = endpoint.split("://")
    else:
        scheme = "https"
        host = "s3.amazonaws.com" if region == "us-east-1" else f"s3.{region}.amazonaws.com"
    path = "/" + quote(c["key"], safe="/~")
    if style == "virtual":
        return f"{scheme}://{c['bucket']}.{host}{path}"
    return f"{scheme}://{host}/{c['bucket']}{path}"


def published(c):
    """AWS's documented PUT example, built by the published formulas and checked against the
    published signature (so a wrong canonical request here cannot go unnoticed)."""
    c["payload_hash"] = hashlib.sha256(c["body"].encode()).hexdigest()
    canonical = "\n".join([
        "PUT", "/test%24file.text", "",
        "date:Fri, 24 May 2013 00:00:00 GMT",
        "host:examplebucket.s3.amazonaws.com",
        "x-amz-content-sha256:" + c["payload_hash"],
        "x-amz-date:20130524T000000Z",
        "x-amz-storage-class:REDUCED_REDUNDANCY", "",
        "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
        c["payload_hash"]])
    scope = "20130524/us-east-1/s3/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", "20130524T000000Z", scope,
                     hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + SK).encode()
    for part in ("20130524", "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    assert signature == c["published_signature"], signature
    authorization = (f"AWS4-HMAC-SHA256 Credential={AK}/{scope}, SignedHeaders="
                     "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                     f"Signature={signature}")
    return {"canonical": canonical, "sts": sts, "signature": signature,
            "authorization": authorization}


def generate(c):
    region = c.get("region", "us-east-1")
    creds = Credentials(AK, SK, c.get("token"))
    query = c.get("query", [])
    url = base_url(c)
    if query:
        url += "?" + "&".join(quote(n, safe="-_.~") + ("=" + quote(v, safe="-_.~") if v or c["mode"] == "query" else "")
                              for n, v in query)
    request = AWSRequest(method=c["method"], url=url, data=c.get("body", "").encode())
    for name, value in c.get("headers", []):
        request.headers.add_header(name, value)
    if c["mode"] == "header":
        if c.get("unsigned"):
            c["payload_hash"] = "UNSIGNED-PAYLOAD"
            request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        else:
            c["payload_hash"] = hashlib.sha256(c.get("body", "").encode()).hexdigest()
        auth = botocore.auth.S3SigV4Auth(creds, "s3", region)
    else:
        auth = botocore.auth.S3SigV4QueryAuth(creds, "s3", region, expires=c["expires"])
    captured = {}
    real_cr, real_sts = auth.canonical_request, auth.string_to_sign

    def cr(req):
        captured["canonical"] = real_cr(req)
        return captured["canonical"]

    def sts(req, canonical):
        captured["sts"] = real_sts(req, canonical)
        return captured["sts"]

    auth.canonical_request, auth.string_to_sign = cr, sts
    with mock.patch("botocore.auth.get_current_datetime", return_value=DATE):
        auth.add_auth(request)
    if "published_signature" in c:
        captured, request = published(c), None
    d = os.path.join(OUT, c["name"])
    os.makedirs(d, exist_ok=True)
    inputs = {k: v for k, v in c.items() if k not in ("name", "published_signature", "unsigned")}
    inputs.setdefault("region", region)
    inputs.setdefault("query", [])
    inputs.setdefault("headers", [])
    inputs["date"] = DATE.strftime("%Y%m%dT%H%M%SZ")
    inputs["access_key_id"] = AK
    inputs["secret_access_key"] = SK
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(inputs, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(d, "canonical-request.txt"), "w") as f:
        f.write(captured["canonical"])
    with open(os.path.join(d, "string-to-sign.txt"), "w") as f:
        f.write(captured["sts"])
    if request is None:
        signed = captured["authorization"]
        signature = captured["signature"]
    elif c["mode"] == "query":
        signed = request.url
        signature = signed.rsplit("X-Amz-Signature=", 1)[1]
    else:
        signed = request.headers["Authorization"]
        signature = signed.rsplit("Signature=", 1)[1]
    with open(os.path.join(d, "signature.txt"), "w") as f:
        f.write(signature + "\n")
    with open(os.path.join(d, "signed.txt"), "w") as f:
        f.write(signed + "\n")
    print(c["name"], signature)


if __name__ == "__main__":
    for case in CASES:
        generate(case)
    sys.exit(0)
