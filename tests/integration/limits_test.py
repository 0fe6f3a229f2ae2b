#!/usr/bin/env python3
"""Every explicit limit, over real sockets, with the exact error S3 or the API answers: the
request head (headers and URL) over 16 KiB, form fields over 20 KB before `file`, a single PUT
over 5 GiB (refused from its Content-Length, before any body byte), part numbers over 10000, a
non-last part under 5 MiB, DeleteObjects over 1000 keys, an API JSON body over 16 KiB, and the
API's limit on failed authentications per client address, and the store's connection limit
([store] max_connections).

Usage: limits_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import hashlib
import http.client as http_client
import json
import os
import shutil
import socket
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from harness import ACCESS_KEY, SECRET_KEY, Runner, Store
from serve_harness import Serve, http

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-limits-test-")
STORE = Store(PRESIGN, prefix="presign-limits-store-")
S3 = STORE.client()
S3.create_bucket(Bucket="uploads")
CREDS = Credentials(ACCESS_KEY, SECRET_KEY)
HOST = STORE.url[len("http://"):]


def signed_head(method, path, headers):
    """Header-signed (SigV4, UNSIGNED-PAYLOAD) request headers for `method path`."""
    req = AWSRequest(method=method, url=STORE.url + path, headers=dict(headers))
    req.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    botocore.auth.SigV4Auth(CREDS, "s3", "us-east-1").add_auth(req)
    return dict(req.headers.items())


def raw(request_bytes, host=HOST):
    """Sends bytes as they are; returns (status, S3 error code or None, raw body)."""
    addr, port = host.rsplit(":", 1)
    with socket.create_connection((addr, int(port)), timeout=20) as s:
        s.sendall(request_bytes)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                length = [int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    break
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    code = ET.fromstring(body).findtext("Code") if body.startswith(b"<?xml") else None
    return status, code, body


def client_error(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]
    raise AssertionError("no error")


@test
def a_head_over_16_kib_is_request_header_section_too_large():
    status, code, body = raw(b"GET /uploads/a HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 17000 + b"\r\n\r\n")
    assert (status, code) == (400, "RequestHeaderSectionTooLarge"), (status, body)
    # Just under the limit the head is read, and the request refused for its missing auth.
    status, code, body = raw(b"GET /uploads/a HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 15000 + b"\r\n\r\n")
    assert status == 403 and code == "AccessDenied", (status, body)


@test
def a_url_over_16_kib_is_request_header_section_too_large():
    status, code, body = raw(b"GET /uploads/" + b"k" * 17000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (status, code) == (400, "RequestHeaderSectionTooLarge"), (status, body)


@test
def form_fields_over_20_kb_before_file_are_max_post_pre_data_length_exceeded():
    boundary = "limitsboundary"
    parts = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nbig.txt\r\n"
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"x-ignore-pad\"\r\n\r\n{'p' * 21000}\r\n"
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc\r\n"
             f"--{boundary}--\r\n").encode()
    conn = http_client.HTTPConnection(HOST, timeout=20)
    conn.request("POST", "/uploads", body=parts,
                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    assert r.status == 400 and ET.fromstring(body).findtext("Code") == "MaxPostPreDataLengthExceeded", (r.status, body)


@test
def a_put_announcing_over_5_gib_is_entity_too_large_before_any_body_byte():
    length = 5 * 1024 ** 3 + 1
    headers = signed_head("PUT", "/uploads/huge.bin", {"Content-Length": str(length)})
    head = "PUT /uploads/huge.bin HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    status, code, body = raw((head + f"Host: {HOST}\r\n\r\n").encode())  # no body sent at all
    assert (status, code) == (400, "EntityTooLarge"), (status, body)
    assert client_error(lambda: S3.head_object(Bucket="uploads", Key="huge.bin"))[0] == 404


@test
def part_number_10001_is_invalid_argument():
    upload = S3.create_multipart_upload(Bucket="uploads", Key="parts.bin")["UploadId"]
    try:
        err = client_error(lambda: S3.upload_part(Bucket="uploads", Key="parts.bin", UploadId=upload,
                                                  PartNumber=10001, Body=b"x"))
        assert err == (400, "InvalidArgument"), err
        err = client_error(lambda: S3.upload_part(Bucket="uploads", Key="parts.bin", UploadId=upload,
                                                  PartNumber=0, Body=b"x"))
        assert err == (400, "InvalidArgument"), err
        assert S3.upload_part(Bucket="uploads", Key="parts.bin", UploadId=upload, PartNumber=10000, Body=b"x")["ETag"]
    finally:
        S3.abort_multipart_upload(Bucket="uploads", Key="parts.bin", UploadId=upload)


@test
def a_non_last_part_under_5_mib_is_entity_too_small():
    upload = S3.create_multipart_upload(Bucket="uploads", Key="small.bin")["UploadId"]
    try:
        parts = []
        for n, size in ((1, 5 * 1024 * 1024 - 1), (2, 10)):
            etag = S3.upload_part(Bucket="uploads", Key="small.bin", UploadId=upload, PartNumber=n,
                                  Body=b"s" * size)["ETag"]
            parts.append({"PartNumber": n, "ETag": etag})
        err = client_error(lambda: S3.complete_multipart_upload(Bucket="uploads", Key="small.bin", UploadId=upload,
                                                                MultipartUpload={"Parts": parts}))
        assert err == (400, "EntityTooSmall"), err
    finally:
        S3.abort_multipart_upload(Bucket="uploads", Key="small.bin", UploadId=upload)


@test
def delete_objects_over_1000_keys_is_malformed_xml():
    keys = [{"Key": f"k{i}"} for i in range(1001)]
    err = client_error(lambda: S3.delete_objects(Bucket="uploads", Delete={"Objects": keys}))
    assert err == (400, "MalformedXML"), err
    answer = S3.delete_objects(Bucket="uploads", Delete={"Objects": keys[:1000], "Quiet": True})
    assert not answer.get("Errors"), answer


@test
def connections_over_max_connections_are_closed_unanswered():
    small = Store(PRESIGN, prefix="presign-limits-conns-", config="[store]\nmax_connections = 2\n")
    host = small.url[len("http://"):]
    addr, port = host.rsplit(":", 1)
    held = []
    try:
        for _ in range(2):  # answered (403: unsigned), and kept open by HTTP/1.1 keep-alive
            conn = http_client.HTTPConnection(host, timeout=10)
            conn.request("GET", "/uploads/a")
            r = conn.getresponse()
            r.read()
            assert r.status == 403, r.status
            held.append(conn)
        with socket.create_connection((addr, int(port)), timeout=10) as s:
            s.sendall(b"GET /uploads/a HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                got = s.recv(65536)
            except ConnectionResetError:
                got = b""
            assert got == b"", got
        held.pop().close()
        status = None
        for _ in range(50):  # the freed slot is taken again once the server sees the close
            time.sleep(0.05)
            try:
                status = raw(b"GET /uploads/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", host)[0]
                break
            except (ConnectionResetError, IndexError, ValueError):
                continue
        assert status == 403, status
    finally:
        for conn in held:
            conn.close()
        small.stop()


ALICE_KEY = "alice-limits-key"


def keyed_serve(*extra_settings):
    config = os.path.join(WORK, f"serve-{len(os.listdir(WORK))}.toml")
    with open(config, "w") as f:
        f.write('[serve]\nauth = "api_key"\n' + "".join(s + "\n" for s in extra_settings) +
                f'[[serve.api_keys]]\nidentity = "alice"\nsha256 = "{hashlib.sha256(ALICE_KEY.encode()).hexdigest()}"\n')
    return Serve(PRESIGN, WORK, "--config", config)


def download_url(api, key):
    return http("POST", f"{api}/get-download-url", {"filename": "a.txt"}, {"Authorization": f"Bearer {key}"})


@test
def an_api_json_body_over_16_kib_is_payload_too_large():
    serve = keyed_serve()
    try:
        big = {"filename": "a.txt", "pad": "p" * (16 * 1024)}
        for body in (big, {"filename": "a.txt", "pad": "p" * (100 * 1024)}):  # the front's, the transport's
            answer = http("POST", f"{serve.api}/get-download-url", body, {"Authorization": f"Bearer {ALICE_KEY}"})
            assert answer.status == 413 and answer.json()["error"]["code"] == "payload_too_large", answer
        assert download_url(serve.api, ALICE_KEY).status == 200
        host = serve.api[len("http://"):]
        status, _, body = raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 17000 + b"\r\n\r\n", host)
        assert status == 400 and json.loads(body)["error"]["code"] == "bad_request", (status, body)
    finally:
        serve.stop()


@test
def failed_authentications_from_one_address_get_429_until_the_window_passes():
    serve = keyed_serve("auth_failures_per_minute = 10", "auth_failure_window_seconds = 3")
    try:
        for _ in range(20):  # successes are never limited
            assert download_url(serve.api, ALICE_KEY).status == 200
        for i in range(10):
            answer = download_url(serve.api, f"guess-{i}")
            assert answer.status == 401, (i, answer)
        answer = download_url(serve.api, "guess-10")
        assert answer.status == 429 and answer.json()["error"]["code"] == "too_many_requests", answer
        wait = int(answer.headers["retry-after"])
        assert 1 <= wait <= 3, answer.headers
        # All test traffic comes from 127.0.0.1: even the right key waits, before any comparison.
        assert download_url(serve.api, ALICE_KEY).status == 429
        assert http("GET", f"{serve.api}/healthz").status == 200  # public routes take no key
        time.sleep(wait + 0.2)
        assert download_url(serve.api, ALICE_KEY).status == 200
    finally:
        serve.stop()


@test
def zero_failures_per_minute_turns_the_limit_off():
    serve = keyed_serve("auth_failures_per_minute = 0")
    try:
        for i in range(15):
            assert download_url(serve.api, f"guess-{i}").status == 401
        assert download_url(serve.api, ALICE_KEY).status == 200
    finally:
        serve.stop()


try:
    RUN.finish(STORE)
finally:
    shutil.rmtree(WORK, ignore_errors=True)
