#!/usr/bin/env python3
"""Multipart uploads, copies and aws-chunked bodies against the real `presign store` on
127.0.0.1:0: boto3's managed transfers (upload_file / download_file with a small multipart
threshold), the multipart calls one by one with every refusal, GetObject/HeadObject by
partNumber, CopyObject and UploadPartCopy, aws-cli `s3 cp` of a 50 MiB file (multipart) and
`s3 sync`, and aws-chunked bodies signed chunk by chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)
or unsigned with a CRC32 trailer, including wrong chunk signatures and wrong trailers.

Usage: multipart_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import base64
import datetime
import hashlib
import hmac
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

import boto3.s3.transfer
import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from harness import ACCESS_KEY, SECRET_KEY, Runner, Store

PRESIGN = sys.argv[1]
MiB = 1024 * 1024
RUN = Runner()
test = RUN.test
STORE = Store(PRESIGN, prefix="presign-multipart-test-")
S3 = STORE.client()
S3.create_bucket(Bucket="mpu")
FILES = tempfile.mkdtemp(prefix="presign-multipart-files-")


def data(n, seed):
    """n pseudo-random bytes, different for every seed."""
    out = bytearray()
    block = hashlib.sha256(seed.encode()).digest()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block * 64
    return bytes(out[:n])


def code_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return None


def md5_of_md5s(parts):
    return hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest() + f"-{len(parts)}"


@test
def boto3_managed_transfer_uploads_in_parts_and_downloads_back():
    body = data(12 * MiB + 123, "managed")
    src, dst = os.path.join(FILES, "up.bin"), os.path.join(FILES, "down.bin")
    with open(src, "wb") as f:
        f.write(body)
    config = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB)
    S3.upload_file(src, "mpu", "managed.bin", Config=config)
    head = S3.head_object(Bucket="mpu", Key="managed.bin")
    parts = [body[i:i + 5 * MiB] for i in range(0, len(body), 5 * MiB)]
    assert head["ETag"].strip('"') == md5_of_md5s(parts), head["ETag"]
    assert head["ContentLength"] == len(body)
    S3.download_file("mpu", "managed.bin", dst, Config=config)
    with open(dst, "rb") as f:
        assert f.read() == body


@test
def parts_can_be_read_by_number():
    body = data(12 * MiB + 123, "managed")
    head = S3.head_object(Bucket="mpu", Key="managed.bin", PartNumber=2)
    assert head["PartsCount"] == 3 and head["ContentLength"] == 5 * MiB, head
    got = S3.get_object(Bucket="mpu", Key="managed.bin", PartNumber=3)
    assert got["Body"].read() == body[10 * MiB:], "part 3 differs"
    assert got["ContentRange"] == f"bytes {10 * MiB}-{len(body) - 1}/{len(body)}", got["ContentRange"]
    assert code_of(lambda: S3.get_object(Bucket="mpu", Key="managed.bin", PartNumber=4)) == "InvalidPartNumber"


@test
def multipart_calls_one_by_one_with_listing_and_abort():
    up = S3.create_multipart_upload(Bucket="mpu", Key="manual.bin", ContentType="application/x-test",
                                    Metadata={"owner": "alice"})
    uid = up["UploadId"]
    p1, p2 = data(5 * MiB, "p1"), data(100, "p2")
    e1 = S3.upload_part(Bucket="mpu", Key="manual.bin", UploadId=uid, PartNumber=1, Body=p1)["ETag"]
    e2 = S3.upload_part(Bucket="mpu", Key="manual.bin", UploadId=uid, PartNumber=2, Body=p2)["ETag"]
    listed = S3.list_parts(Bucket="mpu", Key="manual.bin", UploadId=uid)
    assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(1, 5 * MiB), (2, 100)], listed
    uploads = S3.list_multipart_uploads(Bucket="mpu")["Uploads"]
    assert [u["UploadId"] for u in uploads if u["Key"] == "manual.bin"] == [uid], uploads
    # Refusals: order, a wrong ETag, a small part that is not last.
    order = {"Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]}
    assert code_of(lambda: S3.complete_multipart_upload(Bucket="mpu", Key="manual.bin", UploadId=uid,
                                                        MultipartUpload=order)) == "InvalidPartOrder"
    wrong = {"Parts": [{"PartNumber": 1, "ETag": '"' + "0" * 32 + '"'}, {"PartNumber": 2, "ETag": e2}]}
    assert code_of(lambda: S3.complete_multipart_upload(Bucket="mpu", Key="manual.bin", UploadId=uid,
                                                        MultipartUpload=wrong)) == "InvalidPart"
    S3.upload_part(Bucket="mpu", Key="manual.bin", UploadId=uid, PartNumber=3, Body=b"tail")
    small = {"Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 3, "ETag": '"' + hashlib.md5(b"tail").hexdigest() + '"'}]}
    assert code_of(lambda: S3.complete_multipart_upload(Bucket="mpu", Key="manual.bin", UploadId=uid,
                                                        MultipartUpload=small)) == "EntityTooSmall"
    done = S3.complete_multipart_upload(Bucket="mpu", Key="manual.bin", UploadId=uid,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1},
                                                                   {"PartNumber": 2, "ETag": e2}]})
    assert done["ETag"].strip('"') == md5_of_md5s([p1, p2]), done
    got = S3.get_object(Bucket="mpu", Key="manual.bin")
    assert got["Body"].read() == p1 + p2
    assert got["ContentType"] == "application/x-test" and got["Metadata"] == {"owner": "alice"}, got
    assert code_of(lambda: S3.list_parts(Bucket="mpu", Key="manual.bin", UploadId=uid)) == "NoSuchUpload"
    # Abort: the upload is gone and nothing was stored.
    uid2 = S3.create_multipart_upload(Bucket="mpu", Key="aborted.bin")["UploadId"]
    S3.upload_part(Bucket="mpu", Key="aborted.bin", UploadId=uid2, PartNumber=1, Body=b"x")
    S3.abort_multipart_upload(Bucket="mpu", Key="aborted.bin", UploadId=uid2)
    assert code_of(lambda: S3.upload_part(Bucket="mpu", Key="aborted.bin", UploadId=uid2, PartNumber=2,
                                          Body=b"y")) == "NoSuchUpload"
    assert code_of(lambda: S3.head_object(Bucket="mpu", Key="aborted.bin")) == "404"
    assert code_of(lambda: S3.upload_part(Bucket="mpu", Key="x", UploadId="../../etc", PartNumber=1,
                                          Body=b"y")) == "NoSuchUpload"


@test
def copy_object_keeps_or_replaces_metadata_and_checks_conditions():
    S3.put_object(Bucket="mpu", Key="src.txt", Body=b"copy me", ContentType="text/plain", Metadata={"a": "1"})
    etag = S3.head_object(Bucket="mpu", Key="src.txt")["ETag"]
    S3.copy_object(Bucket="mpu", Key="copy.txt", CopySource={"Bucket": "mpu", "Key": "src.txt"})
    got = S3.get_object(Bucket="mpu", Key="copy.txt")
    assert got["Body"].read() == b"copy me" and got["Metadata"] == {"a": "1"} and got["ETag"] == etag, got
    S3.copy_object(Bucket="mpu", Key="copy.txt", CopySource={"Bucket": "mpu", "Key": "copy.txt"},
                   MetadataDirective="REPLACE", Metadata={"b": "2"}, ContentType="text/x-new")
    head = S3.head_object(Bucket="mpu", Key="copy.txt")
    assert head["Metadata"] == {"b": "2"} and head["ContentType"] == "text/x-new", head
    assert code_of(lambda: S3.copy_object(Bucket="mpu", Key="copy.txt",
                                          CopySource={"Bucket": "mpu", "Key": "copy.txt"})) == "InvalidRequest"
    assert code_of(lambda: S3.copy_object(Bucket="mpu", Key="c2.txt", CopySource={"Bucket": "mpu", "Key": "src.txt"},
                                          CopySourceIfMatch='"' + "0" * 32 + '"')) == "PreconditionFailed"
    assert code_of(lambda: S3.copy_object(Bucket="mpu", Key="c2.txt", CopySource={"Bucket": "mpu", "Key": "src.txt"},
                                          CopySourceIfNoneMatch=etag)) == "PreconditionFailed"
    assert code_of(lambda: S3.copy_object(Bucket="mpu", Key="c2.txt",
                                          CopySource={"Bucket": "mpu", "Key": "missing"})) == "NoSuchKey"


@test
def upload_part_copy_takes_a_range_of_an_object():
    body = data(6 * MiB, "source")
    S3.put_object(Bucket="mpu", Key="big-src.bin", Body=body)
    uid = S3.create_multipart_upload(Bucket="mpu", Key="from-copy.bin")["UploadId"]
    r1 = S3.upload_part_copy(Bucket="mpu", Key="from-copy.bin", UploadId=uid, PartNumber=1,
                             CopySource={"Bucket": "mpu", "Key": "big-src.bin"},
                             CopySourceRange=f"bytes=0-{5 * MiB - 1}")
    r2 = S3.upload_part_copy(Bucket="mpu", Key="from-copy.bin", UploadId=uid, PartNumber=2,
                             CopySource={"Bucket": "mpu", "Key": "big-src.bin"}, CopySourceRange="bytes=10-19")
    assert code_of(lambda: S3.upload_part_copy(Bucket="mpu", Key="from-copy.bin", UploadId=uid, PartNumber=3,
                                               CopySource={"Bucket": "mpu", "Key": "big-src.bin"},
                                               CopySourceRange=f"bytes=0-{6 * MiB}")) == "InvalidRange"
    S3.complete_multipart_upload(Bucket="mpu", Key="from-copy.bin", UploadId=uid, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": r1["CopyPartResult"]["ETag"]}, {"PartNumber": 2, "ETag": r2["CopyPartResult"]["ETag"]}]})
    assert S3.get_object(Bucket="mpu", Key="from-copy.bin")["Body"].read() == body[:5 * MiB] + body[10:20]


def aws(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    return subprocess.run(["aws", "--endpoint-url", STORE.url, *args], env=env, capture_output=True, text=True,
                          timeout=300, check=True).stdout


@test
def aws_cli_copies_a_50_mib_file_in_parts_and_syncs():
    body = data(50 * MiB, "cli")
    src = os.path.join(FILES, "cli50.bin")
    with open(src, "wb") as f:
        f.write(body)
    aws("s3", "cp", src, "s3://mpu/cli/cli50.bin")
    etag = S3.head_object(Bucket="mpu", Key="cli/cli50.bin")["ETag"]
    assert "-" in etag, f"not a multipart ETag: {etag}"
    back = os.path.join(FILES, "cli50.back")
    aws("s3", "cp", "s3://mpu/cli/cli50.bin", back)
    with open(back, "rb") as f:
        assert hashlib.sha256(f.read()).digest() == hashlib.sha256(body).digest()
    tree = os.path.join(FILES, "tree")
    os.makedirs(os.path.join(tree, "sub"))
    for name, content in (("a.txt", b"a"), ("sub/b.txt", b"bb")):
        with open(os.path.join(tree, name), "wb") as f:
            f.write(content)
    aws("s3", "sync", tree, "s3://mpu/synced/")
    keys = sorted(o["Key"] for o in S3.list_objects_v2(Bucket="mpu", Prefix="synced/")["Contents"])
    assert keys == ["synced/a.txt", "synced/sub/b.txt"], keys


@test
def aws_cli_s3api_multipart_calls():
    import json
    uid = json.loads(aws("s3api", "create-multipart-upload", "--bucket", "mpu", "--key", "s3api.bin"))["UploadId"]
    p1, p2 = os.path.join(FILES, "s3api-1"), os.path.join(FILES, "s3api-2")
    with open(p1, "wb") as f:
        f.write(data(5 * MiB, "s3api-1"))
    with open(p2, "wb") as f:
        f.write(b"last part")
    etags = [json.loads(aws("s3api", "upload-part", "--bucket", "mpu", "--key", "s3api.bin", "--upload-id", uid,
                            "--part-number", str(n), "--body", path))["ETag"] for n, path in ((1, p1), (2, p2))]
    listed = json.loads(aws("s3api", "list-parts", "--bucket", "mpu", "--key", "s3api.bin", "--upload-id", uid))
    assert [p["PartNumber"] for p in listed["Parts"]] == [1, 2], listed
    spec = os.path.join(FILES, "parts.json")
    with open(spec, "w") as f:
        json.dump({"Parts": [{"PartNumber": n, "ETag": e} for n, e in ((1, etags[0]), (2, etags[1]))]}, f)
    done = json.loads(aws("s3api", "complete-multipart-upload", "--bucket", "mpu", "--key", "s3api.bin",
                          "--upload-id", uid, "--multipart-upload", f"file://{spec}"))
    assert done["ETag"].strip('"').endswith("-2"), done
    assert S3.get_object(Bucket="mpu", Key="s3api.bin")["Body"].read() == data(5 * MiB, "s3api-1") + b"last part"


# aws-chunked, built here as the SDKs do (boto3 uses it only over HTTPS).
def chunked_put(key, chunks, signed, trailer_crc=None, tamper_chunk=None, declared=None):
    """PUTs `chunks` aws-chunked; returns (status, body)."""
    creds = Credentials(ACCESS_KEY, SECRET_KEY)
    decoded = sum(len(c) for c in chunks)
    mode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" if signed else "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    headers = {"x-amz-content-sha256": mode, "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(declared if declared is not None else decoded)}
    if trailer_crc is not None:
        headers["x-amz-trailer"] = "x-amz-checksum-crc32"
    req = AWSRequest(method="PUT", url=f"{STORE.url}/mpu/{key}", headers=headers)
    botocore.auth.SigV4Auth(creds, "s3", "us-east-1").add_auth(req)
    auth = req.headers["Authorization"]
    seed = auth.split("Signature=")[1]
    amz_date = req.headers["X-Amz-Date"]
    scope = f"{amz_date[:8]}/us-east-1/s3/aws4_request"
    key_bytes = ("AWS4" + SECRET_KEY).encode()
    for part in (amz_date[:8], "us-east-1", "s3", "aws4_request"):
        key_bytes = hmac.new(key_bytes, part.encode(), hashlib.sha256).digest()
    empty = hashlib.sha256(b"").hexdigest()
    body, prev = b"", seed
    for i, chunk in enumerate(chunks + [b""]):
        if signed:
            sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev, empty,
                             hashlib.sha256(chunk).hexdigest()])
            prev = hmac.new(key_bytes, sts.encode(), hashlib.sha256).hexdigest()
            sent = chunk if tamper_chunk != i else chunk[:-1] + b"?"
            body += f"{len(chunk):x};chunk-signature={prev}\r\n".encode() + sent + (b"\r\n" if chunk else b"")
        else:
            body += f"{len(chunk):x}\r\n".encode() + chunk + (b"\r\n" if chunk else b"")
    if trailer_crc is not None:
        body += f"x-amz-checksum-crc32:{trailer_crc}\r\n".encode()
    body += b"\r\n"
    conn = http.client.HTTPConnection(STORE.url[len("http://"):], timeout=30)
    sent_headers = dict(req.headers.items())
    sent_headers["Content-Length"] = str(len(body))
    conn.request("PUT", f"/mpu/{key}", body=body, headers=sent_headers)
    r = conn.getresponse()
    out = (r.status, r.read(), dict(r.getheaders()))
    conn.close()
    return out


def crc32_b64(b):
    return base64.b64encode(zlib.crc32(b).to_bytes(4, "big")).decode()


@test
def signed_aws_chunked_uploads_are_verified_chunk_by_chunk():
    chunks = [data(64 * 1024, "c1"), data(64 * 1024, "c2"), data(1000, "c3")]
    status, body, _ = chunked_put("chunked-signed.bin", chunks, signed=True)
    assert status == 200, body
    got = S3.get_object(Bucket="mpu", Key="chunked-signed.bin")
    assert got["Body"].read() == b"".join(chunks)
    assert got.get("ContentEncoding") in (None, ""), got.get("ContentEncoding")
    status, body, _ = chunked_put("chunked-tampered.bin", chunks, signed=True, tamper_chunk=1)
    assert status == 403 and b"SignatureDoesNotMatch" in body, (status, body)
    assert code_of(lambda: S3.head_object(Bucket="mpu", Key="chunked-tampered.bin")) == "404"
    status, body, _ = chunked_put("chunked-short.bin", chunks, signed=True, declared=10)
    assert status == 400 and b"IncompleteBody" in body, (status, body)


@test
def unsigned_aws_chunked_uploads_check_their_crc32_trailer():
    chunks = [data(8192, "t1"), data(10, "t2")]
    whole = b"".join(chunks)
    status, body, headers = chunked_put("chunked-trailer.bin", chunks, signed=False, trailer_crc=crc32_b64(whole))
    assert status == 200, body
    assert headers.get("x-amz-checksum-crc32") == crc32_b64(whole), headers
    assert S3.get_object(Bucket="mpu", Key="chunked-trailer.bin")["Body"].read() == whole
    got = S3.get_object(Bucket="mpu", Key="chunked-trailer.bin", ChecksumMode="ENABLED")
    assert got.get("ChecksumCRC32") == crc32_b64(whole), got.get("ChecksumCRC32")
    status, body, _ = chunked_put("chunked-badcrc.bin", chunks, signed=False, trailer_crc=crc32_b64(b"other"))
    assert status == 400 and b"BadDigest" in body, (status, body)
    assert code_of(lambda: S3.head_object(Bucket="mpu", Key="chunked-badcrc.bin")) == "404"


def reflected_crc(data, width, poly):
    mask = (1 << width) - 1
    c = mask
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
    return c ^ mask


def raw_put(key, body, headers):
    creds = Credentials(ACCESS_KEY, SECRET_KEY)
    req = AWSRequest(method="PUT", url=f"{STORE.url}/mpu/{key}", data=body, headers=dict(headers))
    req.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    botocore.auth.SigV4Auth(creds, "s3", "us-east-1").add_auth(req)
    conn = http.client.HTTPConnection(STORE.url[len("http://"):], timeout=30)
    conn.request("PUT", f"/mpu/{key}", body=body, headers=dict(req.headers.items()))
    r = conn.getresponse()
    out = (r.status, r.read())
    conn.close()
    return out


@test
def boto3_default_crc32_checksums_are_verified_stored_and_returned():
    S3.put_object(Bucket="mpu", Key="crc.txt", Body=b"checksummed")  # boto3 adds x-amz-checksum-crc32
    got = S3.get_object(Bucket="mpu", Key="crc.txt", ChecksumMode="ENABLED")
    assert got.get("ChecksumCRC32") == crc32_b64(b"checksummed"), got
    # (boto3 >= 1.36 asks for checksums on every GetObject, so without the mode: a plain GET.)
    plain = S3.generate_presigned_url("get_object", Params={"Bucket": "mpu", "Key": "crc.txt"}, ExpiresIn=60)
    import urllib.request
    with urllib.request.urlopen(plain, timeout=20) as r:
        assert r.headers.get("x-amz-checksum-crc32") is None, dict(r.headers)
    for algorithm, field in (("SHA1", "ChecksumSHA1"), ("SHA256", "ChecksumSHA256")):
        S3.put_object(Bucket="mpu", Key=f"crc-{algorithm}.txt", Body=b"abc", ChecksumAlgorithm=algorithm)
        got = S3.head_object(Bucket="mpu", Key=f"crc-{algorithm}.txt", ChecksumMode="ENABLED")
        assert got.get(field), (algorithm, got)
    # CRC32C and CRC64NVME (boto3 needs awscrt for them): computed here, bit by bit.
    for name, width, poly in (("crc32c", 32, 0x82F63B78), ("crc64nvme", 64, 0x9A6C9329AC4BC9B5)):
        value = base64.b64encode(reflected_crc(b"abc", width, poly).to_bytes(width // 8, "big")).decode()
        status, body = raw_put(f"crc-{name}.txt", b"abc", {f"x-amz-checksum-{name}": value})
        assert status == 200, (name, status, body)
        got = S3.head_object(Bucket="mpu", Key=f"crc-{name}.txt", ChecksumMode="ENABLED")
        assert got["ResponseMetadata"]["HTTPHeaders"].get(f"x-amz-checksum-{name}") == value, (name, got)
    # A checksum that does not match the body: BadDigest, nothing stored.
    status, body = raw_put("crc-bad.txt", b"body", {"x-amz-checksum-crc32": crc32_b64(b"other")})
    assert status == 400 and b"BadDigest" in body, (status, body)
    assert code_of(lambda: S3.head_object(Bucket="mpu", Key="crc-bad.txt")) == "404"


@test
def abandoned_uploads_are_removed_after_the_configured_age():
    import time
    store = Store(PRESIGN, prefix="presign-multipart-sweep-", config="[store]\nabandoned_upload_seconds = 2\n")
    try:
        client = store.client()
        client.create_bucket(Bucket="sweep")
        uid = client.create_multipart_upload(Bucket="sweep", Key="left.bin")["UploadId"]
        client.upload_part(Bucket="sweep", Key="left.bin", UploadId=uid, PartNumber=1, Body=b"x")
        assert len(client.list_multipart_uploads(Bucket="sweep").get("Uploads", [])) == 1
        deadline = time.time() + 15
        while client.list_multipart_uploads(Bucket="sweep").get("Uploads") and time.time() < deadline:
            time.sleep(0.5)
        assert not client.list_multipart_uploads(Bucket="sweep").get("Uploads"), "still listed"
        assert code_of(lambda: client.list_parts(Bucket="sweep", Key="left.bin", UploadId=uid)) == "NoSuchUpload"
    finally:
        store.stop()


try:
    RUN.finish(STORE)
finally:
    shutil.rmtree(FILES, ignore_errors=True)
