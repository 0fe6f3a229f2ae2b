#!/usr/bin/env python3
"""Users from the config file (`presign store --config FILE`), each limited to some actions on
some buckets and prefixes, against the real store on 127.0.0.1:0: what each may do works with
boto3, presigned URLs and POST forms; everything else is refused with AccessDenied. Also: the
config file's root pair, flags winning over the file, and invalid files failing at start-up.

Usage: users_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import botocore

from harness import ACCESS_KEY, SECRET_KEY, Runner, Store, curl_form

PRESIGN = sys.argv[1]
CONFIG = """
[store]
region = "us-east-1"

[[store.users]]
name = "uploader"
access_key = "UPLOADERKEY"
secret_key = "uploader-secret"
[[store.users.grants]]
bucket = "uploads"
prefix = "incoming/"
actions = ["put", "get"]

[[store.users]]
name = "reader"
access_key = "READERKEY"
secret_key = "reader-secret"
[[store.users.grants]]
bucket = "*"
actions = ["get", "list", "list-buckets"]

[[store.users]]
name = "cleaner"
access_key = "CLEANERKEY"
secret_key = "cleaner-secret"
[[store.users.grants]]
bucket = "uploads"
prefix = "tmp/"
actions = ["delete"]
"""
RUN = Runner()
test = RUN.test
STORE = Store(PRESIGN, prefix="presign-users-test-", config=CONFIG)
ROOT = STORE.client()
UPLOADER = STORE.client(access="UPLOADERKEY", secret="uploader-secret")
READER = STORE.client(access="READERKEY", secret="reader-secret")
CLEANER = STORE.client(access="CLEANERKEY", secret="cleaner-secret")
ROOT.create_bucket(Bucket="uploads")
ROOT.create_bucket(Bucket="private")


def denied(call, **kwargs):
    """Asserts that the boto3 call fails with AccessDenied (403)."""
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDenied", e.response["Error"]
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        return
    raise AssertionError(f"{call.__name__} {kwargs} was allowed")


def http(method, url, data=None):
    """(status, body) of a plain HTTP request."""
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@test
def uploader_puts_and_gets_inside_its_prefix():
    UPLOADER.put_object(Bucket="uploads", Key="incoming/a.txt", Body=b"hello")
    assert UPLOADER.get_object(Bucket="uploads", Key="incoming/a.txt")["Body"].read() == b"hello"
    assert UPLOADER.head_object(Bucket="uploads", Key="incoming/a.txt")["ContentLength"] == 5


@test
def uploader_is_refused_everything_else():
    denied(UPLOADER.put_object, Bucket="uploads", Key="outgoing/a.txt", Body=b"x")
    denied(UPLOADER.put_object, Bucket="private", Key="incoming/a.txt", Body=b"x")
    denied(UPLOADER.put_object, Bucket="uploads", Key="../incoming/a.txt", Body=b"x")
    denied(UPLOADER.delete_object, Bucket="uploads", Key="incoming/a.txt")
    denied(UPLOADER.list_objects_v2, Bucket="uploads", Prefix="incoming/")
    denied(UPLOADER.list_buckets)
    denied(UPLOADER.create_bucket, Bucket="mine")
    denied(UPLOADER.delete_bucket, Bucket="uploads")
    # Nothing was written or removed by the refused calls.
    keys = [o["Key"] for o in ROOT.list_objects_v2(Bucket="uploads").get("Contents", [])]
    assert "outgoing/a.txt" not in keys and "incoming/a.txt" in keys, keys
    assert ROOT.list_objects_v2(Bucket="private").get("KeyCount") == 0


@test
def uploader_presigned_urls_work_only_inside_its_prefix():
    url = UPLOADER.generate_presigned_url("put_object", Params={"Bucket": "uploads", "Key": "incoming/p.bin"},
                                          ExpiresIn=60)
    assert http("PUT", url, b"presigned")[0] == 200
    url = UPLOADER.generate_presigned_url("get_object", Params={"Bucket": "uploads", "Key": "incoming/p.bin"},
                                          ExpiresIn=60)
    assert http("GET", url) == (200, b"presigned")
    url = UPLOADER.generate_presigned_url("put_object", Params={"Bucket": "uploads", "Key": "other/p.bin"},
                                          ExpiresIn=60)
    status, body = http("PUT", url, b"nope")
    assert status == 403 and b"<Code>AccessDenied</Code>" in body, (status, body)


@test
def uploader_post_forms_store_only_inside_its_prefix():
    files = tempfile.mkdtemp(prefix="presign-users-files-")
    path = os.path.join(files, "form.txt")
    with open(path, "wb") as f:
        f.write(b"from a form")
    post = UPLOADER.generate_presigned_post("uploads", "incoming/${filename}", ExpiresIn=60)
    reply = curl_form(post["url"], list(post["fields"].items()), path)
    assert reply.status == 204, reply
    assert ROOT.get_object(Bucket="uploads", Key="incoming/form.txt")["Body"].read() == b"from a form"
    post = UPLOADER.generate_presigned_post("uploads", "elsewhere/${filename}", ExpiresIn=60)
    reply = curl_form(post["url"], list(post["fields"].items()), path)
    assert reply.status == 403 and reply.code() == "AccessDenied", reply
    try:
        ROOT.head_object(Bucket="uploads", Key="elsewhere/form.txt")
        raise AssertionError("the refused form stored its file")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "404", e.response["Error"]


@test
def reader_lists_and_gets_everywhere_but_writes_nothing():
    ROOT.put_object(Bucket="private", Key="doc.txt", Body=b"secret doc")
    assert READER.get_object(Bucket="private", Key="doc.txt")["Body"].read() == b"secret doc"
    assert [o["Key"] for o in READER.list_objects_v2(Bucket="private")["Contents"]] == ["doc.txt"]
    assert {"uploads", "private"} <= {b["Name"] for b in READER.list_buckets()["Buckets"]}
    denied(READER.put_object, Bucket="private", Key="doc.txt", Body=b"overwritten")
    denied(READER.delete_object, Bucket="private", Key="doc.txt")
    assert ROOT.get_object(Bucket="private", Key="doc.txt")["Body"].read() == b"secret doc"


@test
def delete_objects_refuses_keys_outside_the_grant_one_by_one():
    for key in ("tmp/1", "tmp/2", "keep/3"):
        ROOT.put_object(Bucket="uploads", Key=key, Body=b"x")
    result = CLEANER.delete_objects(Bucket="uploads", Delete={"Objects": [{"Key": k} for k in ("tmp/1", "keep/3", "tmp/2")]})
    assert sorted(d["Key"] for d in result.get("Deleted", [])) == ["tmp/1", "tmp/2"], result
    assert [(e["Key"], e["Code"]) for e in result.get("Errors", [])] == [("keep/3", "AccessDenied")], result
    assert ROOT.get_object(Bucket="uploads", Key="keep/3")["Body"].read() == b"x"
    denied(CLEANER.delete_objects, Bucket="private", Delete={"Objects": [{"Key": "doc.txt"}]})


@test
def a_user_signing_with_the_wrong_secret_is_refused():
    bad = STORE.client(access="UPLOADERKEY", secret="not-the-secret")
    try:
        bad.get_object(Bucket="uploads", Key="incoming/a.txt")
        raise AssertionError("accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "SignatureDoesNotMatch", e.response["Error"]


@test
def root_keys_come_from_the_config_file_without_environment():
    config = '[store]\naccess_key = "FILEROOTKEY"\nsecret_key = "file-root-secret"\n'
    store = Store(PRESIGN, prefix="presign-users-root-", config=config, root_from_env=False)
    try:
        client = store.client(access="FILEROOTKEY", secret="file-root-secret")
        client.create_bucket(Bucket="from-file")
        assert [b["Name"] for b in client.list_buckets()["Buckets"]] == ["from-file"]
        assert not os.path.exists(os.path.join(store.data, "root-credentials"))
    finally:
        store.stop()


def start_failure(config):
    """(exit code, output) of `presign store` with an invalid config file."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "presign.toml")
        with open(path, "w") as f:
            f.write(config)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
        p = subprocess.run([PRESIGN, "store", "--listen", "127.0.0.1:0", "--data-dir", os.path.join(d, "data"),
                            "--config", path], capture_output=True, text=True, timeout=20, env=env)
        return p.returncode, p.stdout + p.stderr


@test
def invalid_config_files_fail_at_start_up_with_one_clear_line():
    code, out = start_failure('[store]\nlisen = "127.0.0.1:9000"\n')
    assert code == 2 and "store.lisen: unknown setting" in out, (code, out)
    code, out = start_failure('[store]\n[[store.users]]\nname = "u"\naccess_key = "UKEY"\n'
                              'secret_key = "u-secret-1"\n[[store.users.grants]]\nbucket = "b"\nactions = ["read"]\n')
    assert code == 2 and "unknown action 'read'" in out and "u-secret-1" not in out, (code, out)
    code, out = start_failure("[store\n")
    assert code == 2 and "presign.toml:1:" in out, (code, out)


@test
def flags_win_over_the_config_file():
    # The file's listen address is unusable; the harness's --listen 127.0.0.1:0 wins.
    store = Store(PRESIGN, prefix="presign-users-flags-", config='[store]\nlisten = "no-such-host:1"\n')
    try:
        store.client().list_buckets()
    finally:
        store.stop()


RUN.finish(STORE)
