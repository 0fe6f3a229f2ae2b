#!/usr/bin/env python3
"""Bucket CORS and canned ACLs against the real `presign store` on 127.0.0.1:0: boto3's
Put/Get/DeleteBucketCors and Put/Get*Acl, a browser's CORS preflight followed by its PUT to a
presigned URL (sent byte for byte with http.client, as a browser would), the default rule of
buckets without their own, and anonymous requests (no auth at all) that only ACLs let in,
POST forms included (curl --form).

Usage: cors_acl_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import http.client
import os
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

import botocore

from harness import Runner, Store, curl_form

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
STORE = Store(PRESIGN, prefix="presign-cors-acl-test-")
S3 = STORE.client()
APP = "https://app.example.com"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
FILES = tempfile.mkdtemp(prefix="presign-cors-acl-files-")


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower())

    def code(self):
        try:
            return ET.fromstring(self.body).findtext("Code")
        except ET.ParseError:
            return None

    def __repr__(self):
        return f"Answer({self.status}, {self.headers}, {self.body[:300]!r})"


def send(method, url, headers=None, body=None):
    """One request exactly as given (no headers added but Host and Content-Length)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    target = parts.path + ("?" + parts.query if parts.query else "")
    conn.request(method, target, body=body, headers=headers or {})
    r = conn.getresponse()
    answer = Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    conn.close()
    return answer


def anonymous(method, path, headers=None, body=None):
    return send(method, STORE.url + path, headers, body)


def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("the call succeeded")


def preflight(path, origin=APP, method="PUT", request_headers=None, store=STORE):
    headers = {}
    if origin is not None:
        headers["Origin"] = origin
    if method is not None:
        headers["Access-Control-Request-Method"] = method
    if request_headers:
        headers["Access-Control-Request-Headers"] = request_headers
    return send("OPTIONS", store.url + path, headers)


def new_bucket(name, acl=None):
    if acl:
        S3.create_bucket(Bucket=name, ACL=acl)
    else:
        S3.create_bucket(Bucket=name)
    return name


APP_RULES = {"CORSRules": [{"ID": "app", "AllowedOrigins": [APP], "AllowedMethods": ["PUT", "GET"],
                            "AllowedHeaders": ["content-type"], "ExposeHeaders": ["ETag"],
                            "MaxAgeSeconds": 600}]}


@test
def boto3_put_get_delete_bucket_cors():
    bucket = new_bucket("cors-config")
    assert error_code(lambda: S3.get_bucket_cors(Bucket=bucket)) == ("NoSuchCORSConfiguration", 404)
    S3.put_bucket_cors(Bucket=bucket, CORSConfiguration=APP_RULES)
    rules = S3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rules == APP_RULES["CORSRules"], rules
    S3.delete_bucket_cors(Bucket=bucket)
    assert error_code(lambda: S3.get_bucket_cors(Bucket=bucket)) == ("NoSuchCORSConfiguration", 404)
    bad = {"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]}
    assert error_code(lambda: S3.put_bucket_cors(Bucket=bucket, CORSConfiguration=bad)) == ("InvalidRequest", 400)
    assert error_code(lambda: S3.put_bucket_cors(Bucket="no-such-bucket", CORSConfiguration=APP_RULES)) == \
        ("NoSuchBucket", 404)


@test
def browser_preflight_then_put_to_a_presigned_url():
    bucket = new_bucket("browser-upload")
    S3.put_bucket_cors(Bucket=bucket, CORSConfiguration=APP_RULES)
    pre = preflight(f"/{bucket}/photos/cat.jpg", request_headers="content-type")
    assert pre.status == 200, pre
    assert pre.header("Access-Control-Allow-Origin") == APP, pre
    assert pre.header("Access-Control-Allow-Methods") == "PUT, GET", pre
    assert pre.header("Access-Control-Allow-Headers") == "content-type", pre
    assert pre.header("Access-Control-Expose-Headers") == "ETag", pre
    assert pre.header("Access-Control-Max-Age") == "600", pre
    assert pre.header("Access-Control-Allow-Credentials") == "true", pre
    url = S3.generate_presigned_url("put_object", ExpiresIn=300,
                                    Params={"Bucket": bucket, "Key": "photos/cat.jpg", "ContentType": "image/jpeg"})
    data = os.urandom(200_000)
    put = send("PUT", url, {"Origin": APP, "Content-Type": "image/jpeg"}, data)
    assert put.status == 200, put
    assert put.header("Access-Control-Allow-Origin") == APP, put
    assert put.header("Access-Control-Expose-Headers") == "ETag", put
    assert put.header("ETag"), put
    got = S3.get_object(Bucket=bucket, Key="photos/cat.jpg")
    assert got["Body"].read() == data and got["ContentType"] == "image/jpeg"


@test
def cors_headers_come_with_error_responses_too():
    bucket = new_bucket("cors-errors")
    S3.put_bucket_cors(Bucket=bucket, CORSConfiguration=APP_RULES)
    S3.put_object(Bucket=bucket, Key="private.txt", Body=b"secret")
    denied = anonymous("GET", f"/{bucket}/private.txt", {"Origin": APP})
    assert denied.status == 403 and denied.code() == "AccessDenied", denied
    assert denied.header("Access-Control-Allow-Origin") == APP, denied
    url = S3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "missing.txt"})
    missing = send("GET", url, {"Origin": APP})
    assert missing.status == 404 and missing.code() == "NoSuchKey", missing
    assert missing.header("Access-Control-Allow-Origin") == APP, missing
    other = anonymous("GET", f"/{bucket}/private.txt", {"Origin": "https://evil.example.com"})
    assert other.status == 403 and other.header("Access-Control-Allow-Origin") is None, other


@test
def buckets_without_cors_answer_with_the_default_rule():
    bucket = new_bucket("cors-default")
    pre = preflight(f"/{bucket}/upload.bin", origin="http://localhost:8080", request_headers="content-type")
    assert pre.status == 200, pre
    assert pre.header("Access-Control-Allow-Origin") == "*", pre
    assert pre.header("Access-Control-Expose-Headers") == "ETag, Location, x-amz-request-id", pre
    assert pre.header("Access-Control-Allow-Credentials") is None, pre
    url = S3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "upload.bin"})
    put = send("PUT", url, {"Origin": "http://localhost:8080"}, b"payload")
    assert put.status == 200 and put.header("Access-Control-Allow-Origin") == "*", put
    assert "ETag" in put.header("Access-Control-Expose-Headers"), put


@test
def preflights_are_refused_with_400_and_403():
    bucket = new_bucket("cors-refusals")
    S3.put_bucket_cors(Bucket=bucket, CORSConfiguration=APP_RULES)
    no_origin = preflight(f"/{bucket}/k", origin=None)
    assert no_origin.status == 400 and no_origin.code() == "BadRequest", no_origin
    no_method = preflight(f"/{bucket}/k", method=None)
    assert no_method.status == 400 and no_method.code() == "BadRequest", no_method
    for refused in (preflight(f"/{bucket}/k", origin="https://evil.example.com"),
                    preflight(f"/{bucket}/k", method="DELETE"),
                    preflight(f"/{bucket}/k", request_headers="x-amz-meta-owner")):
        assert refused.status == 403 and refused.code() == "AccessForbidden", refused
        assert refused.header("Access-Control-Allow-Origin") is None, refused
    missing = preflight("/no-such-bucket/k")
    assert missing.status == 403 and b"Bucket not found" in missing.body, missing
    # With the default rule turned off, a bucket without its own rules takes no CORS request.
    closed = Store(PRESIGN, prefix="presign-cors-off-", config="[store.cors]\nallowed_origins = []\n")
    try:
        closed.client().create_bucket(Bucket="plain")
        off = preflight("/plain/k", store=closed)
        assert off.status == 403 and off.code() == "AccessForbidden", off
        assert b"CORS is not enabled for this bucket." in off.body, off
    finally:
        closed.stop()


@test
def boto3_canned_acls_on_buckets_and_objects():
    bucket = new_bucket("acl-boto3", acl="public-read")
    grants = S3.get_bucket_acl(Bucket=bucket)["Grants"]
    assert {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"} in grants, grants
    S3.put_bucket_acl(Bucket=bucket, ACL="private")
    assert [g["Permission"] for g in S3.get_bucket_acl(Bucket=bucket)["Grants"]] == ["FULL_CONTROL"]
    # An AccessControlPolicy body that spells a canned ACL is that ACL.
    policy = S3.get_bucket_acl(Bucket=bucket)
    policy = {"Owner": policy["Owner"], "Grants": policy["Grants"] + [
        {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"},
        {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "WRITE"}]}
    S3.put_bucket_acl(Bucket=bucket, AccessControlPolicy=policy)
    perms = sorted(g["Permission"] for g in S3.get_bucket_acl(Bucket=bucket)["Grants"])
    assert perms == ["FULL_CONTROL", "READ", "WRITE"], perms
    S3.put_object(Bucket=bucket, Key="doc.txt", Body=b"doc")
    assert [g["Permission"] for g in S3.get_object_acl(Bucket=bucket, Key="doc.txt")["Grants"]] == ["FULL_CONTROL"]
    S3.put_object_acl(Bucket=bucket, Key="doc.txt", ACL="authenticated-read")
    grants = S3.get_object_acl(Bucket=bucket, Key="doc.txt")["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("AuthenticatedUsers") for g in grants), grants
    assert error_code(lambda: S3.put_object_acl(Bucket=bucket, Key="doc.txt", ACL="everyone")) == \
        ("InvalidArgument", 400)
    assert error_code(lambda: S3.put_object_acl(Bucket=bucket, Key="nope.txt", ACL="private")) == ("NoSuchKey", 404)


@test
def x_amz_acl_on_put_object_makes_it_public():
    bucket = new_bucket("acl-put")
    S3.put_object(Bucket=bucket, Key="open.txt", Body=b"for everyone", ACL="public-read")
    grants = S3.get_object_acl(Bucket=bucket, Key="open.txt")["Grants"]
    assert {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"} in grants, grants
    got = anonymous("GET", f"/{bucket}/open.txt")
    assert got.status == 200 and got.body == b"for everyone", got
    etag = S3.head_object(Bucket=bucket, Key="open.txt")["ETag"]
    S3.put_object_acl(Bucket=bucket, Key="open.txt", ACL="private")
    assert S3.head_object(Bucket=bucket, Key="open.txt")["ETag"] == etag  # the data is untouched
    closed = anonymous("GET", f"/{bucket}/open.txt")
    assert closed.status == 403 and closed.code() == "AccessDenied", closed


@test
def anonymous_get_follows_the_object_acl():
    bucket = new_bucket("acl-anonymous-get")
    S3.put_object(Bucket=bucket, Key="public.txt", Body=b"hello", ACL="public-read")
    S3.put_object(Bucket=bucket, Key="private.txt", Body=b"secret")
    ok = anonymous("GET", f"/{bucket}/public.txt", {"Origin": APP})
    assert ok.status == 200 and ok.body == b"hello", ok
    # A streamed (sendfile) body gets its CORS headers too.
    assert ok.header("Access-Control-Allow-Origin") == "*", ok
    head = anonymous("HEAD", f"/{bucket}/public.txt")
    assert head.status == 200 and head.header("Content-Length") == "5", head
    denied = anonymous("GET", f"/{bucket}/private.txt")
    assert denied.status == 403 and denied.code() == "AccessDenied", denied
    assert anonymous("HEAD", f"/{bucket}/private.txt").status == 403
    # The object's ACL is not readable, nor writable, by anyone but the owner.
    acl = anonymous("GET", f"/{bucket}/public.txt?acl")
    assert acl.status == 403 and acl.code() == "AccessDenied", acl


@test
def anonymous_listing_needs_a_public_read_bucket():
    public = new_bucket("acl-list-public", acl="public-read")
    private = new_bucket("acl-list-private")
    for bucket in (public, private):
        S3.put_object(Bucket=bucket, Key="a/one.txt", Body=b"1")
    listed = anonymous("GET", f"/{public}?list-type=2")
    assert listed.status == 200 and b"<Key>a/one.txt</Key>" in listed.body, listed
    refused = anonymous("GET", f"/{private}?list-type=2")
    assert refused.status == 403 and refused.code() == "AccessDenied", refused
    # A public bucket does not open its objects: those have ACLs of their own.
    assert anonymous("GET", f"/{public}/a/one.txt").status == 403
    assert anonymous("GET", f"/{public}/missing.txt").code() == "NoSuchKey"
    assert anonymous("GET", f"/{private}/missing.txt").code() == "AccessDenied"


def write_file(name, data):
    path = os.path.join(FILES, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


@test
def anonymous_post_forms_work_only_into_public_read_write_buckets():
    open_bucket = new_bucket("acl-post-open", acl="public-read-write")
    read_only = new_bucket("acl-post-read-only", acl="public-read")
    path = write_file("note.txt", b"dropped anonymously")
    fields = [("key", "drop/${filename}"), ("acl", "public-read"), ("Content-Type", "text/plain")]
    ok = curl_form(f"{STORE.url}/{open_bucket}", fields, path, headers=[("Origin", APP)])
    assert ok.status == 204, ok
    assert ok.headers.get("access-control-allow-origin") == "*", ok.headers  # the default rule
    got = S3.get_object(Bucket=open_bucket, Key="drop/note.txt")
    assert got["Body"].read() == b"dropped anonymously" and got["ContentType"] == "text/plain"
    assert anonymous("GET", f"/{open_bucket}/drop/note.txt").status == 200  # the form's acl field
    refused = curl_form(f"{STORE.url}/{read_only}", fields, path, headers=[("Origin", APP)])
    assert refused.status == 403 and refused.code() == "AccessDenied", refused
    assert refused.headers.get("access-control-allow-origin") == "*", refused.headers
    assert error_code(lambda: S3.head_object(Bucket=read_only, Key="drop/note.txt"))[1] == 404
    # Anonymous PUT and DELETE into the public-read-write bucket, and only there.
    assert anonymous("PUT", f"/{open_bucket}/put.txt", {}, b"x").status == 200
    assert anonymous("DELETE", f"/{open_bucket}/put.txt").status == 204
    assert anonymous("PUT", f"/{read_only}/put.txt", {}, b"x").status == 403


RUN.finish(STORE)
