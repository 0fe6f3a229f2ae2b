#!/usr/bin/env python3
"""Writes the request-verification vectors under tests/vectors/auth/, one directory per case.

Each case is a raw request as an S3 server receives it (method, target, headers), signed by
botocore (an independent SigV4 implementation) at a fixed time, plus how to verify it and the
expected verdict. AWS's published examples are included and checked against AWS's published
signatures here, so a botocore change cannot silently alter them. Run it again only to add
cases; the checked-in files are the contract, loaded by tests/unit/auth/vectors_test.cpp.

Each case directory holds request.json:
  method, target, headers      the request as received (headers in wire order, any case)
  verify                       region, now (YYYYMMDDTHHMMSSZ), access_key_id, secret_access_key,
                               session_token (the token the key requires, "" for none)
  expect                       {"identity", "kind", "payload", "payload_sha256"} when it
                               verifies, or {"error": "<auth::errc name>"}
"""
import datetime
import hashlib
import hmac
import json
import os
from unittest import mock
from urllib.parse import quote, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
AK = "AKIAIOSFODNN7EXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DATE = datetime.datetime(2013, 5, 24, 0, 0, 0)
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

# AWS's published signatures ("Authenticating Requests (AWS Signature Version 4)" examples).
PUBLISHED = {
    "aws-header-get-object-range": "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    "aws-header-get-bucket-lifecycle": "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
    "aws-header-list-objects": "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
    "aws-query-get-object": "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    "aws-header-put-object": "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
}

CASES = [
    dict(name="aws-header-get-object-range", mode="header", bucket="examplebucket", key="test.txt",
         headers=[["Range", "bytes=0-9"]]),
    dict(name="aws-header-get-bucket-lifecycle", mode="header", bucket="examplebucket", key="",
         query=[["lifecycle", ""]]),
    dict(name="aws-header-list-objects", mode="header", bucket="examplebucket", key="",
         query=[["max-keys", "2"], ["prefix", "J"]]),
    dict(name="aws-query-get-object", mode="query", bucket="examplebucket", key="test.txt",
         expires=86400),
    dict(name="header-put-unicode-key-body-hash", mode="header", method="PUT", bucket="examplebucket",
         key="photos/été 2024/日本 +%!*'()~=&?#.jpg", body="hello, world\n", region="eu-central-1",
         headers=[["Content-Type", "image/jpeg"], ["x-amz-meta-owner", "  Ann   Lee "]]),
    dict(name="header-list-v2-encoded-query", mode="header", bucket="examplebucket", key="",
         query=[["list-type", "2"], ["prefix", "a b/ü+"], ["delimiter", "/"],
                ["continuation-token", "1/2+3=="]]),
    dict(name="header-unsigned-payload-token-repeated", mode="header", method="PUT", bucket="uploads",
         key="notes/readme.md", unsigned=True, token="SESSIONTOKEN/+=", region="us-west-2",
         headers=[["X-Amz-Meta-A", "one"], ["x-amz-meta-a", "two"], ["Content-Type", "text/markdown"]],
         body="# readme\n"),
    dict(name="header-streaming-unsigned-trailer", mode="header", method="PUT", bucket="uploads",
         key="big.bin", trailer=True,
         headers=[["Content-Encoding", "aws-chunked"], ["x-amz-trailer", "x-amz-checksum-crc32"],
                  ["x-amz-decoded-content-length", "11"]]),
    dict(name="query-upload-part-session-token", mode="query", method="PUT", bucket="uploads",
         key="big/file.bin", query=[["partNumber", "7"], ["uploadId", "a/b+c=="]],
         token="FwoGZXIvYXdzEXAMPLE/+token==", expires=3600, region="eu-west-1"),
    dict(name="query-path-style-custom-endpoint", mode="query", bucket="my.bucket",
         key="//lead/../dots/./x", endpoint="http://127.0.0.1:9000", style="path",
         query=[["response-content-disposition", 'attachment; filename="a b.txt"']], expires=60),
    dict(name="query-put-signed-headers", mode="query", method="PUT", bucket="examplebucket",
         key="a b/c.png", headers=[["Content-Type", "image/png"], ["x-amz-acl", "private"],
                                   ["x-amz-meta-tag", "v  1"]], expires=600),
    # Refusals of otherwise valid botocore signatures.
    dict(name="reject-query-expired", mode="query", bucket="examplebucket", key="test.txt",
         expires=60, now=DATE + datetime.timedelta(seconds=61), error="expired"),
    dict(name="reject-query-not-yet-valid", mode="query", bucket="examplebucket", key="test.txt",
         expires=60, now=DATE - datetime.timedelta(minutes=16), error="not_yet_valid"),
    dict(name="reject-header-skewed", mode="header", bucket="examplebucket", key="test.txt",
         now=DATE + datetime.timedelta(minutes=16), error="request_time_too_skewed"),
    dict(name="reject-query-wrong-region", mode="query", bucket="examplebucket", key="test.txt",
         expires=60, region="eu-west-1", server_region="us-east-1",
         error="authorization_query_parameters_error"),
    dict(name="reject-header-unknown-token", mode="header", bucket="examplebucket", key="test.txt",
         token="NOT-ISSUED", principal_token="", error="invalid_token"),
]


def url_of(c):
    region = c.get("region", "us-east-1")
    endpoint = c.get("endpoint")
    if endpoint:
        scheme, host = endpoint.split("://")
    else:
        scheme = "https"
        host = "s3.amazonaws.com" if region == "us-east-1" else f"s3.{region}.amazonaws.com"
    path = "/" + quote(c["key"], safe="/~")
    if c.get("style", "virtual") == "virtual":
        url = f"{scheme}://{c['bucket']}.{host}{path}"
    else:
        url = f"{scheme}://{host}/{c['bucket']}{path}"
    query = c.get("query", [])
    if query:
        url += "?" + "&".join(quote(n, safe="-_.~") + ("=" + quote(v, safe="-_.~") if v or c["mode"] == "query" else "")
                              for n, v in query)
    return url


def host_of(url):
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}[parts.scheme]
    return parts.hostname if parts.port in (None, default) else f"{parts.hostname}:{parts.port}"


def sign(c):
    region = c.get("region", "us-east-1")
    creds = Credentials(AK, SK, c.get("token"))
    body = c.get("body", "").encode()
    request = AWSRequest(method=c.get("method", "GET"), url=url_of(c), data=body)
    for name, value in c.get("headers", []):
        request.headers.add_header(name, value)
    if c["mode"] == "header":
        if c.get("unsigned"):
            request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        if c.get("trailer"):
            request.context["checksum"] = {"request_algorithm": {"in": "trailer",
                                                                 "name": "x-amz-checksum-crc32"}}
        auth = botocore.auth.S3SigV4Auth(creds, "s3", region)
    else:
        auth = botocore.auth.S3SigV4QueryAuth(creds, "s3", region, expires=c["expires"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=DATE):
        auth.add_auth(request)
    parts = urlsplit(request.url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    # The wire: Host first as HTTP clients send it, the signed headers, then what the HTTP
    # layer adds after signing (never signed).
    headers = [["Host", host_of(request.url)]]
    headers += [[k, v] for k, v in request.headers.items()]
    headers.append(["User-Agent", "Boto3/1.43 botocore/1.43"])
    if body:
        headers.append(["Content-Length", str(len(body))])
    if c["mode"] == "header":
        signature = request.headers["Authorization"].rsplit("Signature=", 1)[1]
    else:
        signature = request.url.rsplit("X-Amz-Signature=", 1)[1]
    return request.method, target, headers, signature


def published_put():
    """AWS's published PUT example (botocore replaces its Date header, so it is built from the
    published formulas and checked against the published signature)."""
    payload = hashlib.sha256(b"Welcome to Amazon S3.").hexdigest()
    headers = [["Host", "examplebucket.s3.amazonaws.com"], ["Date", "Fri, 24 May 2013 00:00:00 GMT"],
               ["x-amz-date", "20130524T000000Z"], ["x-amz-storage-class", "REDUCED_REDUNDANCY"],
               ["x-amz-content-sha256", payload]]
    signed = "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class"
    canonical = "\n".join(["PUT", "/test%24file.text", ""] +
                          [f"{n.lower()}:{v}" for n, v in sorted(headers, key=lambda h: h[0].lower())] +
                          ["", signed, payload])
    scope = "20130524/us-east-1/s3/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", "20130524T000000Z", scope,
                     hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + SK).encode()
    for part in ("20130524", "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    headers.append(["Authorization", f"AWS4-HMAC-SHA256 Credential={AK}/{scope}, "
                                     f"SignedHeaders={signed}, Signature={signature}"])
    headers.append(["Content-Length", "21"])
    return "PUT", "/test$file.text", headers, signature, payload


def write(name, method, target, headers, verify, expect):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "request.json"), "w") as f:
        json.dump({"method": method, "target": target, "headers": headers, "verify": verify,
                   "expect": expect}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(name)


def verify_block(c, now=DATE):
    return {"region": c.get("server_region", c.get("region", "us-east-1")),
            "now": now.strftime("%Y%m%dT%H%M%SZ"), "access_key_id": AK, "secret_access_key": SK,
            "session_token": c.get("principal_token", c.get("token") or "")}


def expectation(c, headers):
    if "error" in c:
        return {"error": c["error"]}
    if c["mode"] == "query":
        return {"identity": "vector-user", "kind": "query", "payload": "unsigned_payload",
                "payload_sha256": ""}
    sent = dict((k.lower(), v) for k, v in headers)["x-amz-content-sha256"]
    payload = {"UNSIGNED-PAYLOAD": "unsigned_payload",
               "STREAMING-UNSIGNED-PAYLOAD-TRAILER": "streaming_unsigned_trailer"}.get(sent, "signed_hash")
    return {"identity": "vector-user", "kind": "header", "payload": payload,
            "payload_sha256": sent if payload == "signed_hash" else ""}


def main():
    for c in CASES:
        method, target, headers, signature = sign(c)
        if c["name"] in PUBLISHED:
            assert signature == PUBLISHED[c["name"]], (c["name"], signature)
        write(c["name"], method, target, headers, verify_block(c, c.get("now", DATE)),
              expectation(c, headers))
    method, target, headers, signature, payload = published_put()
    assert signature == PUBLISHED["aws-header-put-object"], signature
    write("aws-header-put-object", method, target, headers, verify_block({}),
          {"identity": "vector-user", "kind": "header", "payload": "signed_hash",
           "payload_sha256": payload})


if __name__ == "__main__":
    main()
