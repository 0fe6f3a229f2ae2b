#!/usr/bin/env python3
"""Slow and stalled clients against the transport's timeouts ([store] and [serve]
header_timeout_seconds, body_idle_timeout_seconds, keep_alive_timeout_seconds, set to 2 s here):
a request head trickled byte by byte is cut off (closed, nothing sent: the head never became a
request); a presigned PUT or POST form whose body stalls gets S3's 400 RequestTimeout, the
connection is closed and nothing is stored (no object, no temp file); the API answers a stalled
JSON body with 408 `request_timeout`; an idle keep-alive connection is closed; and while 240 slow
clients hold connections, ordinary requests from other clients succeed.

The assertions are about what happens, never how fast: every wait is bounded generously (a
loaded machine may take several times the timeout to cut a client off).

Usage: slow_clients_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import os
import select
import shutil
import socket
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

from harness import Runner, Store
from serve_harness import Serve, http

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-slow-test-")
TIMEOUTS = "header_timeout_seconds = 2\nbody_idle_timeout_seconds = 2\nkeep_alive_timeout_seconds = 2\n"
STORE = Store(PRESIGN, prefix="presign-slow-store-", config="[store]\n" + TIMEOUTS)
S3 = STORE.client()
S3.create_bucket(Bucket="uploads")
GIVE_UP = 40  # seconds: far past every 2 s timeout, even on a busy machine


def host_port(url):
    host, port = url[len("http://"):].split("/", 1)[0].rsplit(":", 1)
    return host, int(port)


def connect(url):
    s = socket.create_connection(host_port(url), timeout=GIVE_UP)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_until_closed(s, limit=GIVE_UP):
    """Everything the server sends until it closes the connection; None if it is still open after
    `limit` seconds."""
    data, deadline = b"", time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([s], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk
    return None


def trickle_head(url):
    """Sends a request head one byte every 0.2 s, never finishing it; returns (bytes sent before
    the server closed the connection, what it sent back), or None if it never closed it."""
    head = b"GET /uploads/slow HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"p" * 4000
    s = connect(url)
    try:
        deadline = time.monotonic() + GIVE_UP
        for i, byte in enumerate(head):
            if time.monotonic() > deadline:
                return None
            try:
                s.send(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                return i, b""
            ready, _, _ = select.select([s], [], [], 0.2)
            if ready:
                return i, read_until_closed(s)
        return None
    finally:
        s.close()


def status_of(reply):
    head = reply.split(b"\r\n\r\n", 1)[0]
    return int(head.split(b" ", 2)[1])


def s3_code(reply):
    body = reply.split(b"\r\n\r\n", 1)[1]
    return ET.fromstring(body).findtext("Code")


def stall_body(url, head, body_start):
    """Sends `head`, then the first body bytes, then nothing; returns what the server sends before
    it closes the connection (None: it kept it open)."""
    s = connect(url)
    try:
        s.sendall(head + body_start)
        return read_until_closed(s)
    finally:
        s.close()


def tmp_entries(data_dir):
    return os.listdir(os.path.join(data_dir, "tmp"))


def check_request_timeout(reply):
    assert reply is not None, "the connection was never closed"
    assert status_of(reply) == 400 and s3_code(reply) == "RequestTimeout", reply
    assert b"not read from or written to within the timeout period" in reply, reply
    assert b"connection: close" in reply.lower(), reply


@test
def a_head_trickled_byte_by_byte_is_cut_off_unanswered():
    got = trickle_head(STORE.url)
    assert got is not None, "the server let the head trickle on"
    sent, reply = got
    assert sent < 4000, sent  # cut off before the head could grow to the padding's end
    assert reply == b"", reply  # no request was read, so nothing is answered


@test
def a_presigned_put_whose_body_stalls_gets_request_timeout_and_stores_nothing():
    url = S3.generate_presigned_url("put_object", Params={"Bucket": "uploads", "Key": "stalled.bin"}, ExpiresIn=600)
    path = url[url.index("/", len("http://")):]
    head = (f"PUT {path} HTTP/1.1\r\nHost: {url.split('/')[2]}\r\nContent-Length: 1048576\r\n\r\n").encode()
    check_request_timeout(stall_body(STORE.url, head, b"x" * 70000))
    assert "stalled.bin" not in [o["Key"] for o in S3.list_objects_v2(Bucket="uploads").get("Contents", [])]
    assert tmp_entries(STORE.data) == [], tmp_entries(STORE.data)


@test
def a_body_trickled_with_pauses_over_the_idle_timeout_is_cut_off():
    url = S3.generate_presigned_url("put_object", Params={"Bucket": "uploads", "Key": "trickled.bin"}, ExpiresIn=600)
    path = url[url.index("/", len("http://")):]
    s = connect(STORE.url)
    try:
        s.sendall(f"PUT {path} HTTP/1.1\r\nHost: {url.split('/')[2]}\r\nContent-Length: 100\r\n\r\n".encode())
        reply = None
        for _ in range(100):  # a byte, then a pause longer than the idle timeout
            try:
                s.send(b"y")
            except (BrokenPipeError, ConnectionResetError):
                break
            ready, _, _ = select.select([s], [], [], 4)
            if ready:
                reply = read_until_closed(s)
                break
        check_request_timeout(reply)
    finally:
        s.close()
    assert "trickled.bin" not in [o["Key"] for o in S3.list_objects_v2(Bucket="uploads").get("Contents", [])]
    assert tmp_entries(STORE.data) == [], tmp_entries(STORE.data)


@test
def a_post_form_whose_file_stalls_gets_request_timeout_and_stores_nothing():
    post = S3.generate_presigned_post("uploads", "form-stalled.bin", ExpiresIn=600)
    boundary = "slowboundary"
    fields = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                     for k, v in post["fields"].items())
    start = (fields + f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n").encode()
    total = len(start) + 500000 + len(f"\r\n--{boundary}--\r\n")
    head = (f"POST /uploads HTTP/1.1\r\nHost: x\r\nContent-Length: {total}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n").encode()
    check_request_timeout(stall_body(STORE.url, head, start + b"z" * 100000))
    assert "form-stalled.bin" not in [o["Key"] for o in S3.list_objects_v2(Bucket="uploads").get("Contents", [])]
    assert tmp_entries(STORE.data) == [], tmp_entries(STORE.data)


@test
def an_idle_keep_alive_connection_is_closed():
    s = connect(STORE.url)
    try:
        s.sendall(b"GET /uploads/none HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while b"</Error>" not in first:
            chunk = s.recv(65536)
            assert chunk, first
            first += chunk
        assert status_of(first) == 403 and b"connection: close" not in first.lower(), first
        assert read_until_closed(s) == b""  # then nothing more, and the server closes
    finally:
        s.close()


def serve_with_short_timeouts():
    config = os.path.join(WORK, "serve.toml")
    with open(config, "w") as f:
        f.write("[serve]\n" + TIMEOUTS + "[store]\n" + TIMEOUTS)
    return Serve(PRESIGN, WORK, "--config", config, "--access-log", "off")


@test
def the_api_cuts_off_slow_heads_stalled_bodies_and_idle_connections():
    serve = serve_with_short_timeouts()
    try:
        got = trickle_head(serve.api)
        assert got is not None and got[1] == b"", got
        head = b"POST /get-upload-url HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
        reply = stall_body(serve.api, head, b'{"filename": ')
        assert reply is not None and status_of(reply) == 408, reply
        assert b'"code":"request_timeout"' in reply.replace(b" ", b""), reply
        s = connect(serve.api)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            first = s.recv(65536)
            assert status_of(first) == 200, first
            assert read_until_closed(s) == b""
        finally:
            s.close()
        assert http("GET", serve.api + "/healthz").status == 200
    finally:
        serve.stop()


@test
def the_store_of_serve_takes_its_timeouts_from_the_store_table():
    serve = serve_with_short_timeouts()
    try:
        answer = http("POST", serve.api + "/get-upload-url", {"filename": "late.bin"})
        assert answer.status == 200, answer
        form = answer.json()
        boundary = "b0undary"
        fields = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                         for k, v in form["fields"].items())
        start = (fields + f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"late.bin\"\r\n\r\n").encode()
        path = "/" + form["url"].split("/", 3)[3]
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(start) + 300000}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n").encode()
        check_request_timeout(stall_body(serve.s3, head, start + b"q" * 1000))
        assert tmp_entries(serve.data) == [], tmp_entries(serve.data)
        assert http("POST", serve.api + "/get-download-url", {"filename": "late.bin"}).status == 200
        assert http("GET", serve.s3 + "/healthz").status in (400, 403, 404)  # still serving
    finally:
        serve.stop()


@test
def ordinary_requests_succeed_while_240_slow_clients_hold_connections():
    # Timeouts far longer than this test: every slow client stays connected throughout.
    patient = Store(PRESIGN, prefix="presign-slow-many-",
                    config="[store]\nheader_timeout_seconds = 600\nbody_idle_timeout_seconds = 600\n")
    slow, stop = [], threading.Event()
    try:
        s3 = patient.client()
        s3.create_bucket(Bucket="busy")
        url = s3.generate_presigned_url("put_object", Params={"Bucket": "busy", "Key": "never"}, ExpiresIn=600)
        path = url[url.index("/", len("http://")):]
        for i in range(240):
            s = connect(patient.url)
            if i % 3 == 0:  # a partial head
                s.sendall(b"GET /busy/x HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            elif i % 3 == 1:  # a PUT body that stalls after its first bytes
                s.sendall(f"PUT {path} HTTP/1.1\r\nHost: {url.split('/')[2]}\r\nContent-Length: 1000000\r\n\r\n"
                          .encode() + b"s" * 1000)
            slow.append(s)  # the rest: connected, nothing sent

        def trickle():  # keep the partial heads growing, a byte per client at a time
            while not stop.wait(0.5):
                for s in slow[::3]:
                    try:
                        s.send(b"a")
                    except OSError:
                        pass

        feeder = threading.Thread(target=trickle, daemon=True)
        feeder.start()
        try:
            for i in range(30):
                body = os.urandom(1000 + 997 * i)
                s3.put_object(Bucket="busy", Key=f"k{i}", Body=body)
                assert s3.get_object(Bucket="busy", Key=f"k{i}")["Body"].read() == body
            keys = [o["Key"] for o in s3.list_objects_v2(Bucket="busy")["Contents"]]
            assert sorted(keys) == sorted(f"k{i}" for i in range(30)), keys
        finally:
            stop.set()
            feeder.join()
        # The slow clients were held, not dropped: each connection is still open, unanswered.
        still_open = sum(1 for s in slow if not select.select([s], [], [], 0)[0])
        assert still_open == len(slow), f"{len(slow) - still_open} slow clients were answered or cut off"
    finally:
        for s in slow:
            s.close()
        patient.stop()


try:
    RUN.finish(STORE)
finally:
    shutil.rmtree(WORK, ignore_errors=True)
