#!/usr/bin/env python3
"""A full disk under the embedded store: `presign store` on a 64 MiB tmpfs (a loop-mounted ext4
image where tmpfs cannot be mounted), filled with PUTs until the store refuses one. The refusal
must be a clean S3 XML error (InternalError, 500: S3 has no code for a full disk), the failed upload's temp file must be gone (usage back to what it
was), the objects already stored intact, the store still serving; a POST form and a multipart
Complete on the full disk fail the same clean way; after deletes, uploads succeed again.

Needs root (mount). Usage: disk_full_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

import botocore

from harness import Runner, Store, curl_form

PRESIGN = sys.argv[1]
BUCKET = "full"
MiB = 1024 * 1024
SIZE_MIB = 64


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def mount_small_fs(where):
    """Mounts a SIZE_MIB file system on `where`; returns what was mounted, or exits with a
    FAIL line when neither tmpfs nor a loop-mounted ext4 image can be mounted. DISK_FULL_FS=ext4
    in the environment uses the image even where tmpfs works."""
    tmpfs = run("mount", "-t", "tmpfs", "-o", f"size={SIZE_MIB}m", "tmpfs", where)
    if tmpfs.returncode == 0 and os.environ.get("DISK_FULL_FS") == "ext4":  # to try the fallback
        run("umount", where)
    elif tmpfs.returncode == 0:
        return "tmpfs"
    image = where + ".img"
    with open(image, "wb") as f:
        f.truncate(SIZE_MIB * MiB)
    atexit.register(lambda: os.path.exists(image) and os.remove(image))
    mkfs = run("mkfs.ext4", "-q", "-F", image)
    loop = run("mount", "-o", "loop", image, where) if mkfs.returncode == 0 else mkfs
    if loop.returncode == 0:
        return "ext4 image"
    print(f"FAIL  mount_small_file_system: cannot mount tmpfs ({tmpfs.stderr.strip()}) nor a loop ext4 image "
          f"({loop.stderr.strip()}); this test needs root and mount(2)")
    print("0 passed, 1 failed")
    sys.exit(1)


MOUNT = tempfile.mkdtemp(prefix="presign-disk-full-")
KIND = mount_small_fs(MOUNT)
atexit.register(lambda: (run("umount", "-l", MOUNT), shutil.rmtree(MOUNT, ignore_errors=True)))
DATA = os.path.join(MOUNT, "data")
os.mkdir(DATA)
FILES = tempfile.mkdtemp(prefix="presign-disk-full-files-")
atexit.register(shutil.rmtree, FILES, True)

RUN = Runner()
test = RUN.test
STORE = Store(PRESIGN, data_dir=DATA)
S3 = STORE.client()
S3.create_bucket(Bucket=BUCKET)
STORED = {}  # key -> SHA-256 of what the store acknowledged


def used():
    st = os.statvfs(MOUNT)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def tmp_entries():
    return sorted(os.listdir(os.path.join(DATA, "tmp")))


def put(key, n):
    """PUT n bytes; returns None on success, else the ClientError's response (a parsed S3 error).
    A dropped connection or an unparsable answer raises."""
    body = os.urandom(n)
    try:
        S3.put_object(Bucket=BUCKET, Key=key, Body=body)
    except botocore.exceptions.ClientError as e:
        return e.response
    STORED[key] = hashlib.sha256(body).hexdigest()
    return None


def assert_clean_error(response, what):
    """S3 has no code for a full disk; the store answers InternalError (500), an XML error that
    botocore parsed (a dropped connection would have raised instead)."""
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    code = response["Error"].get("Code")
    assert status == 500 and code == "InternalError", f"{what}: answered {status} {code!r}: {response['Error']}"


def fill(chunk, limit):
    """PUTs objects of `chunk` bytes until one fails; returns (its error response, usage before it)."""
    for i in range(limit):
        before = used()
        error = put(f"fill/{chunk}/{i}", chunk)
        if error is not None:
            return error, before
    raise AssertionError(f"{limit} PUTs of {chunk} bytes all succeeded on a {SIZE_MIB} MiB {KIND}")


# A multipart upload whose parts fit now; completing it needs as much again, later.
MPU_PARTS = [os.urandom(5 * MiB), os.urandom(5 * MiB)]
MPU_ID = S3.create_multipart_upload(Bucket=BUCKET, Key="mpu.bin")["UploadId"]
MPU_ETAGS = [{"PartNumber": n, "ETag": S3.upload_part(Bucket=BUCKET, Key="mpu.bin", UploadId=MPU_ID,
                                                       PartNumber=n, Body=p)["ETag"]}
             for n, p in enumerate(MPU_PARTS, 1)]


@test
def filling_the_disk_ends_in_a_clean_s3_error():
    error, before = fill(4 * MiB, 40)
    assert_clean_error(error, "PUT of 4 MiB on the full disk")
    assert tmp_entries() == [], f"temp files left after the failed PUT: {tmp_entries()}"
    assert used() <= before + 64 * 1024, f"usage {used()} bytes after the failed PUT, {before} before it"
    # Fill the rest with small objects so the next uploads cannot fit either.
    error, before = fill(128 * 1024, 400)
    assert_clean_error(error, "PUT of 128 KiB on the full disk")
    assert tmp_entries() == [], f"temp files left after the failed small PUT: {tmp_entries()}"
    assert used() <= before + 64 * 1024, f"usage {used()} bytes after the failed PUT, {before} before it"


@test
def a_post_form_on_the_full_disk_fails_cleanly():
    path = os.path.join(FILES, "form.bin")
    with open(path, "wb") as f:
        f.write(os.urandom(MiB))
    before = used()
    post = S3.generate_presigned_post(BUCKET, "form.bin", ExpiresIn=300)
    reply = curl_form(post["url"], list(post["fields"].items()), path)
    assert reply.status == 500 and reply.code() == "InternalError", reply
    assert tmp_entries() == [], f"temp files left after the failed POST: {tmp_entries()}"
    assert used() <= before + 64 * 1024, f"usage {used()} bytes after the failed POST, {before} before it"


@test
def a_multipart_complete_on_the_full_disk_fails_cleanly_and_keeps_the_upload():
    before = used()
    try:
        S3.complete_multipart_upload(Bucket=BUCKET, Key="mpu.bin", UploadId=MPU_ID,
                                     MultipartUpload={"Parts": MPU_ETAGS})
        raise AssertionError("Complete of 10 MiB succeeded on the full disk")
    except botocore.exceptions.ClientError as e:
        assert_clean_error(e.response, "CompleteMultipartUpload on the full disk")
    assert tmp_entries() == [], f"temp files left after the failed Complete: {tmp_entries()}"
    assert used() <= before + 64 * 1024, f"usage {used()} bytes after the failed Complete, {before} before it"
    parts = S3.list_parts(Bucket=BUCKET, Key="mpu.bin", UploadId=MPU_ID)["Parts"]
    assert [p["PartNumber"] for p in parts] == [1, 2], parts


@test
def stored_objects_are_intact_and_the_store_keeps_serving():
    S3.head_bucket(Bucket=BUCKET)
    bad = []
    for key, digest in STORED.items():
        got = hashlib.sha256(S3.get_object(Bucket=BUCKET, Key=key)["Body"].read()).hexdigest()
        if got != digest:
            bad.append(key)
    assert not bad, f"{len(bad)} of {len(STORED)} objects changed: {bad[:5]}"
    assert len(STORED) > 10, f"only {len(STORED)} objects stored before the disk was full"


@test
def after_deletes_uploads_succeed_again():
    fills = sorted(k for k in STORED if k.startswith(f"fill/{4 * MiB}/"))[:5]
    S3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in fills]})
    for k in fills:
        del STORED[k]
    assert put("after/4mib", 4 * MiB) is None, "PUT after deleting 20 MiB"
    done = S3.complete_multipart_upload(Bucket=BUCKET, Key="mpu.bin", UploadId=MPU_ID,
                                        MultipartUpload={"Parts": MPU_ETAGS})
    assert done["ETag"].endswith('-2"'), done
    got = S3.get_object(Bucket=BUCKET, Key="mpu.bin")["Body"].read()
    assert got == b"".join(MPU_PARTS), "the completed multipart object differs from its parts"
    post = S3.generate_presigned_post(BUCKET, "form-after.bin", ExpiresIn=300)
    path = os.path.join(FILES, "form-after.bin")
    with open(path, "wb") as f:
        f.write(b"after the disk was full")
    reply = curl_form(post["url"], list(post["fields"].items()), path)
    assert reply.status == 204, reply
    assert tmp_entries() == [], tmp_entries()


print(f"data directory on a {SIZE_MIB} MiB {KIND}")
RUN.finish(STORE)
