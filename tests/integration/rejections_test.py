#!/usr/bin/env python3
"""Every refusal of the store's authentication, over a real socket, with S3's code and status:
requests signed by botocore's own SigV4 signers at chosen times (clock skew, expiry, future
dates), with a wrong scope, tampered after signing, or with bad digests. The store runs on
127.0.0.1:0; nothing refused may leave an object behind.

Usage: rejections_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import base64
import datetime
import hashlib
import http.client
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from harness import ACCESS_KEY, SECRET_KEY, Runner, Store

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
STORE = Store(PRESIGN, prefix="presign-rejections-test-")
S3 = STORE.client()
S3.create_bucket(Bucket="uploads")
S3.put_object(Bucket="uploads", Key="existing.txt", Body=b"existing")
CREDS = Credentials(ACCESS_KEY, SECRET_KEY)
NOW = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def at(offset_seconds):
    """Makes botocore's signers see the clock `offset_seconds` away from now."""
    when = NOW + datetime.timedelta(seconds=offset_seconds)
    botocore.auth.get_current_datetime = lambda: when


def header_signed(method, path, body=b"", headers=None, offset=0, region="us-east-1", payload_hash=None):
    """(method, path, headers, body) signed with SigV4 at now + offset, x-amz-content-sha256 =
    payload_hash or the body's SHA-256."""
    at(offset)
    req = AWSRequest(method=method, url=STORE.url + path, data=body, headers=dict(headers or {}))
    req.headers["X-Amz-Content-SHA256"] = payload_hash or hashlib.sha256(body).hexdigest()
    # Plain SigV4Auth signs the x-amz-content-sha256 given (S3SigV4Auth would recompute it).
    botocore.auth.SigV4Auth(CREDS, "s3", region).add_auth(req)
    return method, path, dict(req.headers.items()), body


def presigned(method, path, expires=60, offset=0, region="us-east-1", headers=None):
    """A presigned URL path (with query) from S3SigV4QueryAuth at now + offset."""
    at(offset)
    req = AWSRequest(method=method, url=STORE.url + path, headers=dict(headers or {}))
    botocore.auth.S3SigV4QueryAuth(CREDS, "s3", region, expires=expires).add_auth(req)
    return req.url[len(STORE.url):]


def send(method, path, headers=None, body=b""):
    """(status, S3 error code or None, message, raw body) over a fresh connection."""
    conn = http.client.HTTPConnection(STORE.url[len("http://"):], timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
    finally:
        conn.close()
    code = message = None
    if data.startswith(b"<?xml") and b"<Error>" in data:
        root = ET.fromstring(data)
        code, message = root.findtext("Code"), root.findtext("Message")
    return r.status, code, message or "", data


def expect(reply, status, code, message=None):
    assert reply[0] == status and reply[1] == code, reply
    if message is not None:
        assert message in reply[2], (message, reply[2])


def absent(key):
    status = send("HEAD", presigned("HEAD", "/uploads/" + urllib.parse.quote(key)))[0]
    assert status == 404, f"{key} exists ({status})"


@test
def header_auth_inside_the_skew_window_is_accepted():
    expect(send(*header_signed("GET", "/uploads/existing.txt", offset=-14 * 60))[:2] + ("",), 200, None)
    expect(send(*header_signed("GET", "/uploads/existing.txt", offset=14 * 60))[:2] + ("",), 200, None)


@test
def header_auth_past_the_skew_window_is_request_time_too_skewed():
    expect(send(*header_signed("PUT", "/uploads/skewed-past.txt", b"x", offset=-16 * 60)), 403, "RequestTimeTooSkewed")
    expect(send(*header_signed("PUT", "/uploads/skewed-future.txt", b"x", offset=16 * 60)), 403, "RequestTimeTooSkewed")
    absent("skewed-past.txt")
    absent("skewed-future.txt")


@test
def presigned_urls_expire_with_s3s_exact_message():
    url = presigned("GET", "/uploads/existing.txt", expires=60, offset=-61)
    expect(send("GET", url), 403, "AccessDenied", "Request has expired")
    url = presigned("PUT", "/uploads/expired-put.txt", expires=60, offset=-61)
    expect(send("PUT", url, body=b"late"), 403, "AccessDenied", "Request has expired")
    absent("expired-put.txt")
    assert send("GET", presigned("GET", "/uploads/existing.txt", expires=60, offset=-50))[0] == 200


@test
def future_dated_presigned_urls_are_refused():
    url = presigned("GET", "/uploads/existing.txt", expires=3600, offset=20 * 60)
    expect(send("GET", url), 403, "AccessDenied", "Request is not valid yet")


@test
def expiry_outside_one_second_to_seven_days_is_a_query_parameters_error():
    expect(send("GET", presigned("GET", "/uploads/existing.txt", expires=604801)), 400, "AuthorizationQueryParametersError")
    expect(send("GET", presigned("GET", "/uploads/existing.txt", expires=0)), 400, "AuthorizationQueryParametersError")
    assert send("GET", presigned("GET", "/uploads/existing.txt", expires=604800))[0] == 200


@test
def a_credential_scope_for_another_region_is_refused():
    expect(send(*header_signed("GET", "/uploads/existing.txt", region="eu-west-1")), 400, "AuthorizationHeaderMalformed")
    expect(send("GET", presigned("GET", "/uploads/existing.txt", region="eu-west-1")), 400, "AuthorizationQueryParametersError")


@test
def a_scope_date_other_than_the_signing_date_is_refused():
    url = presigned("GET", "/uploads/existing.txt")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    day = query["X-Amz-Date"][0][:8]
    other_day = (datetime.datetime.strptime(day, "%Y%m%d") - datetime.timedelta(days=1)).strftime("%Y%m%d")
    tampered = url.replace("%2F" + day + "%2F", "%2F" + other_day + "%2F")
    assert tampered != url
    reply = send("GET", tampered)
    assert reply[0] in (400, 403) and reply[1] in ("AuthorizationQueryParametersError", "SignatureDoesNotMatch"), reply


@test
def the_method_is_bound_by_the_signature():
    url = presigned("GET", "/uploads/method.txt")
    expect(send("PUT", url, body=b"smuggled"), 403, "SignatureDoesNotMatch")
    absent("method.txt")


@test
def a_url_replayed_for_another_key_or_bucket_is_refused():
    S3.create_bucket(Bucket="other")
    S3.put_object(Bucket="other", Key="existing.txt", Body=b"someone else's")
    get = presigned("GET", "/uploads/existing.txt")
    assert send("GET", get)[3] == b"existing"
    expect(send("GET", get.replace("/uploads/existing.txt", "/uploads/secret.txt", 1)), 403, "SignatureDoesNotMatch")
    expect(send("GET", get.replace("/uploads/", "/other/", 1)), 403, "SignatureDoesNotMatch")
    put = presigned("PUT", "/uploads/mine.txt")
    expect(send("PUT", put.replace("/uploads/mine.txt", "/uploads/yours.txt", 1), body=b"x"), 403,
           "SignatureDoesNotMatch")
    expect(send("PUT", put.replace("/uploads/", "/other/", 1), body=b"x"), 403, "SignatureDoesNotMatch")
    absent("mine.txt")
    absent("yours.txt")
    assert S3.get_object(Bucket="other", Key="existing.txt")["Body"].read() == b"someone else's"
    assert [o["Key"] for o in S3.list_objects_v2(Bucket="other")["Contents"]] == ["existing.txt"]


@test
def a_tampered_signature_or_a_dropped_signed_header_is_refused():
    get = presigned("GET", "/uploads/existing.txt")
    signature = urllib.parse.parse_qs(urllib.parse.urlsplit(get).query)["X-Amz-Signature"][0]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    expect(send("GET", get.replace(signature, flipped)), 403, "SignatureDoesNotMatch")
    put = presigned("PUT", "/uploads/dropped.txt", headers={"Content-Type": "text/plain"})
    expect(send("PUT", put, {}, b"no type"), 403, "SignatureDoesNotMatch")
    method, path, headers, body = header_signed("PUT", "/uploads/dropped.txt", b"abc", {"x-amz-meta-owner": "alice"})
    del headers["x-amz-meta-owner"]
    expect(send(method, path, headers, body), 403, "SignatureDoesNotMatch")
    absent("dropped.txt")


@test
def signed_headers_and_query_parameters_are_bound():
    url = presigned("PUT", "/uploads/bound.txt", headers={"Content-Type": "text/plain"})
    expect(send("PUT", url, {"Content-Type": "text/html"}, b"<script>"), 403, "SignatureDoesNotMatch")
    expect(send("PUT", url + "&x-extra=1", {"Content-Type": "text/plain"}, b"a"), 403, "SignatureDoesNotMatch")
    get = presigned("GET", "/uploads/existing.txt?response-content-type=text%2Fplain")
    expect(send("GET", get.replace("text%2Fplain", "text%2Fhtml")), 403, "SignatureDoesNotMatch")
    absent("bound.txt")
    method, path, headers, body = header_signed("PUT", "/uploads/bound.txt", b"abc", {"x-amz-meta-owner": "alice"})
    headers["x-amz-meta-owner"] = "mallory"
    expect(send(method, path, headers, body), 403, "SignatureDoesNotMatch")
    absent("bound.txt")


@test
def an_unsigned_amz_header_is_refused():
    method, path, headers, body = header_signed("PUT", "/uploads/unsigned-header.txt", b"abc")
    headers["x-amz-meta-added"] = "later"
    reply = send(method, path, headers, body)
    assert reply[0] == 403 and reply[1] in ("AccessDenied", "SignatureDoesNotMatch"), reply
    absent("unsigned-header.txt")


@test
def a_signed_payload_hash_that_does_not_match_the_body_stores_nothing():
    other = hashlib.sha256(b"something else").hexdigest()
    expect(send(*header_signed("PUT", "/uploads/sha-mismatch.txt", b"the body", payload_hash=other)),
           400, "XAmzContentSHA256Mismatch")
    absent("sha-mismatch.txt")


@test
def a_malformed_payload_hash_is_invalid_argument():
    expect(send(*header_signed("PUT", "/uploads/bad-sha.txt", b"x", payload_hash="not-a-hash")), 400, "InvalidArgument")
    absent("bad-sha.txt")


@test
def header_auth_without_a_payload_hash_is_invalid_request():
    at(0)
    req = AWSRequest(method="GET", url=STORE.url + "/uploads/existing.txt")
    botocore.auth.SigV4Auth(CREDS, "s3", "us-east-1").add_auth(req)  # plain SigV4: no x-amz-content-sha256
    expect(send("GET", "/uploads/existing.txt", dict(req.headers.items())), 400, "InvalidRequest")


@test
def content_md5_must_be_a_base64_md5_and_match():
    expect(send(*header_signed("PUT", "/uploads/md5.txt", b"data", {"Content-MD5": "not base64!"})), 400, "InvalidDigest")
    short = base64.b64encode(b"0123").decode()
    expect(send(*header_signed("PUT", "/uploads/md5.txt", b"data", {"Content-MD5": short})), 400, "InvalidDigest")
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    expect(send(*header_signed("PUT", "/uploads/md5.txt", b"data", {"Content-MD5": wrong})), 400, "BadDigest")
    absent("md5.txt")
    right = base64.b64encode(hashlib.md5(b"data").digest()).decode()
    assert send(*header_signed("PUT", "/uploads/md5.txt", b"data", {"Content-MD5": right}))[0] == 200


@test
def keys_over_1024_bytes_are_refused():
    key = "k" * 1025
    expect(send(*header_signed("PUT", "/uploads/" + key, b"x")), 400, "KeyTooLongError")


@test
def unknown_keys_and_anonymous_requests_are_refused():
    expect(send("GET", "/uploads/existing.txt"), 403, "AccessDenied")
    url = presigned("GET", "/uploads/existing.txt").replace(ACCESS_KEY, "NOSUCHKEY0000")
    expect(send("GET", url), 403, "InvalidAccessKeyId")


@test
def post_bodies_that_are_not_a_form_with_a_file_are_refused():
    reply = send("POST", "/uploads", {"Content-Type": "application/x-www-form-urlencoded"}, b"key=a&file=b")
    assert reply[0] in (400, 412) and reply[1] in ("MalformedPOSTRequest", "PreconditionFailed"), reply
    # S3's answer to a form without a file part.
    reply = send("POST", "/uploads", {"Content-Type": "multipart/form-data; boundary=XYZ"},
                 b"--XYZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\na\r\n--XYZ--\r\n")
    expect(reply, 400, "InvalidArgument", "POST requires exactly one file upload per request.")
    # A part without a Content-Disposition, and a body that never reaches its boundary.
    reply = send("POST", "/uploads", {"Content-Type": "multipart/form-data; boundary=XYZ"},
                 b"--XYZ\r\nX-Other: 1\r\n\r\na\r\n--XYZ--\r\n")
    expect(reply, 400, "MalformedPOSTRequest")
    reply = send("POST", "/uploads", {"Content-Type": "multipart/form-data; boundary=XYZ"}, b"no boundary here")
    expect(reply, 400, "MalformedPOSTRequest")
    absent("a")


RUN.finish(STORE)
