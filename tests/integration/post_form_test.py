#!/usr/bin/env python3
"""Browser POST uploads (S3 PostObject) and DeleteObjects against the real `presign store` on
127.0.0.1:0: forms presigned by boto3 (generate_presigned_post, SigV4) and by `presign post`,
sent with `curl --form` exactly as a user would (fields, then file=@path), and every refusal.
DeleteObjects is driven by boto3's delete_objects.

Usage: post_form_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import base64
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import botocore

from harness import ACCESS_KEY, SECRET_KEY, Runner, Store, curl_form

PRESIGN = sys.argv[1]
BUCKET = "uploads"
RUN = Runner()
test = RUN.test
STORE = Store(PRESIGN, prefix="presign-post-test-")
S3 = STORE.client()
S3.create_bucket(Bucket=BUCKET)
FILES = tempfile.mkdtemp(prefix="presign-post-files-")


def write_file(name, data):
    path = os.path.join(FILES, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def presigned(key, fields=None, conditions=None, expires=300):
    post = S3.generate_presigned_post(BUCKET, key, Fields=fields, Conditions=conditions, ExpiresIn=expires)
    return post["url"], list(post["fields"].items())


def stored(key):
    try:
        return S3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchKey":
            return None
        raise


def sign_policy(policy_b64, credential):
    """The SigV4 POST signature of `policy_b64` for the credential's date, with the test secret."""
    date = credential.split("/")[1]
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (date, "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, policy_b64.encode(), hashlib.sha256).hexdigest()


def replace_field(fields, name, value):
    return [(n, value if n == name else v) for n, v in fields]


def expect(reply, status, code, message=None):
    assert reply.status == status and reply.code() == code, reply
    if message is not None:
        assert message in reply.message(), (message, reply.message())


@test
def boto3_presigned_post_with_curl_form_uploads_the_file():
    data = os.urandom(300_000)
    url, fields = presigned("boto3/photo.bin", fields={"Content-Type": "image/png", "x-amz-meta-owner": "ann"},
                            conditions=[{"Content-Type": "image/png"}, {"x-amz-meta-owner": "ann"},
                                        ["content-length-range", 1, 1_000_000]])
    reply = curl_form(url, fields, write_file("photo.bin", data))
    assert reply.status == 204, reply
    assert reply.headers["etag"] == '"' + hashlib.md5(data).hexdigest() + '"', reply.headers
    assert reply.headers["location"].endswith("/uploads/boto3/photo.bin"), reply.headers
    got = S3.get_object(Bucket=BUCKET, Key="boto3/photo.bin")
    assert got["Body"].read() == data
    assert got["ContentType"] == "image/png" and got["Metadata"] == {"owner": "ann"}, got


@test
def filename_placeholder_takes_the_files_name():
    url, fields = presigned("named/${filename}")
    reply = curl_form(url, fields, write_file("report 2024.txt", b"quarterly"))
    assert reply.status == 204, reply
    assert stored("named/report 2024.txt") == b"quarterly"


@test
def presign_post_output_works_with_curl():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    out = subprocess.run([PRESIGN, "post", "s3://uploads/cli/${filename}", "--endpoint", STORE.url,
                          "--max-size", "1000", "--content-type", "text/plain", "--expires", "120"],
                         env=env, capture_output=True, text=True, check=True).stdout
    post = json.loads(out)
    reply = curl_form(post["url"], list(post["fields"].items()), write_file("note.txt", b"from presign post"))
    assert reply.status == 204, (post, reply)
    head = S3.head_object(Bucket=BUCKET, Key="cli/note.txt")
    assert head["ContentType"] == "text/plain" and head["ContentLength"] == 17
    too_big = curl_form(post["url"], list(post["fields"].items()), write_file("big.txt", b"x" * 1001))
    expect(too_big, 400, "EntityTooLarge")


@test
def success_action_status_201_returns_the_post_response_xml():
    url, fields = presigned("xml/result.txt", fields={"success_action_status": "201"},
                            conditions=[{"success_action_status": "201"}])
    reply = curl_form(url, fields, write_file("result.txt", b"created"))
    assert reply.status == 201, reply
    doc = ET.fromstring(reply.body)
    assert doc.tag == "PostResponse", reply.body
    assert doc.findtext("Bucket") == BUCKET and doc.findtext("Key") == "xml/result.txt"
    assert doc.findtext("ETag") == '"' + hashlib.md5(b"created").hexdigest() + '"'
    assert doc.findtext("Location") == STORE.url + "/uploads/xml/result.txt", reply.body


@test
def success_action_redirect_answers_303_with_bucket_key_and_etag():
    target = "https://app.example/uploaded?from=form"
    url, fields = presigned("redirect/a.txt", fields={"success_action_redirect": target},
                            conditions=[{"success_action_redirect": target}])
    reply = curl_form(url, fields, write_file("a.txt", b"redirected"))
    assert reply.status == 303, reply
    etag = hashlib.md5(b"redirected").hexdigest()
    assert reply.headers["location"] == f"{target}&bucket=uploads&key=redirect%2Fa.txt&etag=%22{etag}%22", reply.headers
    assert stored("redirect/a.txt") == b"redirected"


@test
def a_policy_edited_after_signing_does_not_match():
    url, fields = presigned("edit/a.txt", conditions=[["content-length-range", 0, 10]])
    policy = json.loads(base64.b64decode(dict(fields)["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if not (isinstance(c, list) and c[0] == "content-length-range")]
    edited = base64.b64encode(json.dumps(policy).encode()).decode()
    reply = curl_form(url, replace_field(fields, "policy", edited), write_file("edit.txt", b"x" * 100))
    expect(reply, 403, "SignatureDoesNotMatch")
    assert stored("edit/a.txt") is None


@test
def a_wrong_signature_is_refused():
    url, fields = presigned("wrong/a.txt")
    sig = dict(fields)["x-amz-signature"]
    reply = curl_form(url, replace_field(fields, "x-amz-signature", ("0" if sig[0] != "0" else "1") + sig[1:]),
                      write_file("wrong.txt", b"x"))
    expect(reply, 403, "SignatureDoesNotMatch")
    assert stored("wrong/a.txt") is None


@test
def an_expired_policy_is_access_denied():
    url, fields = presigned("expired/a.txt", expires=1)
    time.sleep(2.2)
    reply = curl_form(url, fields, write_file("expired.txt", b"late"))
    expect(reply, 403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    assert stored("expired/a.txt") is None


@test
def a_key_outside_the_starts_with_prefix_is_refused():
    url, fields = presigned("inbox/${filename}")
    reply = curl_form(url, replace_field(fields, "key", "outbox/${filename}"), write_file("k.txt", b"k"))
    expect(reply, 403, "AccessDenied", 'Policy Condition failed: ["starts-with", "$key", "inbox/"]')
    assert stored("outbox/k.txt") is None


@test
def a_content_type_the_policy_does_not_allow_is_refused():
    url, fields = presigned("typed/a.png", fields={"Content-Type": "image/png"},
                            conditions=[["starts-with", "$Content-Type", "image/"]])
    ok = curl_form(url, replace_field(fields, "Content-Type", "image/jpeg"), write_file("t.png", b"png"))
    assert ok.status == 204, ok
    reply = curl_form(url, replace_field(fields, "Content-Type", "text/html"), write_file("t.png", b"<html>"))
    expect(reply, 403, "AccessDenied", "Policy Condition failed")
    assert stored("typed/a.png") == b"png"


@test
def a_file_over_the_content_length_range_is_not_stored():
    url, fields = presigned("sized/a.bin", conditions=[["content-length-range", 10, 1000]])
    expect(curl_form(url, fields, write_file("over.bin", b"x" * 1001)), 400, "EntityTooLarge")
    assert stored("sized/a.bin") is None
    # Far over: the store stops reading at the first chunk past the limit.
    try:
        reply = curl_form(url, fields, write_file("huge.bin", b"x" * 8_000_000))
        expect(reply, 400, "EntityTooLarge")
    except subprocess.CalledProcessError as e:  # curl may see the close before the answer
        assert e.returncode in (55, 56), e
    assert stored("sized/a.bin") is None
    expect(curl_form(url, fields, write_file("under.bin", b"x" * 9)), 400, "EntityTooSmall")
    assert stored("sized/a.bin") is None
    assert curl_form(url, fields, write_file("exact.bin", b"x" * 1000)).status == 204
    assert stored("sized/a.bin") == b"x" * 1000


@test
def a_field_the_policy_does_not_cover_is_refused():
    url, fields = presigned("extra/a.txt")
    reply = curl_form(url, fields + [("x-amz-meta-extra", "1")], write_file("e.txt", b"e"))
    expect(reply, 403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-extra")
    assert stored("extra/a.txt") is None
    # x-ignore-* fields need no condition.
    assert curl_form(url, fields + [("x-ignore-submit", "Upload")], write_file("e.txt", b"e")).status == 204


@test
def bucket_and_metadata_conditions_hold_and_fields_after_the_file_are_ignored():
    S3.create_bucket(Bucket="elsewhere")
    url, fields = presigned("meta/a.txt", fields={"x-amz-meta-owner": "ann"}, conditions=[{"x-amz-meta-owner": "ann"}])
    reply = curl_form(url, replace_field(fields, "x-amz-meta-owner", "mallory"), write_file("m.txt", b"m"))
    expect(reply, 403, "AccessDenied", 'Policy Condition failed: ["eq", "$x-amz-meta-owner", "ann"]')
    assert url.endswith("/" + BUCKET), url
    reply = curl_form(url[: -len(BUCKET)] + "elsewhere", fields, write_file("m.txt", b"m"))
    expect(reply, 403, "AccessDenied", 'Policy Condition failed: ["eq", "$bucket", "uploads"]')
    assert stored("meta/a.txt") is None and "Contents" not in S3.list_objects_v2(Bucket="elsewhere")
    # S3: the file is the last field; what follows it is ignored (neither checked nor applied).
    url, fields = presigned("late/a.png", fields={"Content-Type": "image/png"}, conditions=[{"Content-Type": "image/png"}])
    late = [("file", "@" + write_file("l.png", b"png")), ("Content-Type", "text/html"), ("x-amz-meta-late", "1")]
    assert curl_form(url, fields + late).status == 204
    head = S3.head_object(Bucket=BUCKET, Key="late/a.png")
    assert head["ContentType"] == "image/png" and head["Metadata"] == {}, head


@test
def duplicate_json_keys_are_an_invalid_policy_document():
    url, fields = presigned("dup/a.txt")
    f = dict(fields)
    text = base64.b64decode(f["policy"]).decode()
    duplicated = text.replace('"conditions": [', '"conditions": [{"key": "other.txt", "key": "dup/a.txt"}, ', 1)
    assert duplicated != text
    policy_b64 = base64.b64encode(duplicated.encode()).decode()
    resigned = replace_field(replace_field(fields, "policy", policy_b64), "x-amz-signature",
                             sign_policy(policy_b64, f["x-amz-credential"]))
    reply = curl_form(url, resigned, write_file("dup.txt", b"d"))
    expect(reply, 400, "InvalidPolicyDocument", "duplicate key")
    assert stored("dup/a.txt") is None


@test
def a_form_without_a_file_is_refused():
    url, fields = presigned("nofile/a.txt")
    reply = curl_form(url, fields)
    expect(reply, 400, "InvalidArgument", "POST requires exactly one file upload per request.")


@test
def fields_before_the_file_are_bounded_to_20_kb():
    url, fields = presigned("big-fields/a.txt")
    reply = curl_form(url, fields + [("x-ignore-pad", "p" * 21_000)], write_file("f.txt", b"f"))
    expect(reply, 400, "MaxPostPreDataLengthExceeded")


@test
def presign_post_sigv2_forms_upload():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    out = subprocess.run([PRESIGN, "post", "s3://uploads/v2.txt", "--endpoint", STORE.url, "--sigv2"],
                         env=env, capture_output=True, text=True, check=True).stdout
    post = json.loads(out)
    assert "AWSAccessKeyId" in post["fields"], post
    reply = curl_form(post["url"], list(post["fields"].items()), write_file("v2.txt", b"v2"))
    assert reply.status == 204, reply
    assert stored("v2.txt") == b"v2"


@test
def delete_objects_reports_every_key():
    for k in ("del/a", "del/b", "del/c d"):
        S3.put_object(Bucket=BUCKET, Key=k, Body=b"x")
    out = S3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "del/a"}, {"Key": "del/c d"},
                                                              {"Key": "del/missing"}]})
    assert sorted(d["Key"] for d in out["Deleted"]) == ["del/a", "del/c d", "del/missing"], out
    assert "Errors" not in out, out
    left = [o["Key"] for o in S3.list_objects_v2(Bucket=BUCKET, Prefix="del/").get("Contents", [])]
    assert left == ["del/b"], left


@test
def delete_objects_quiet_lists_only_errors():
    keys = [f"quiet/{i}" for i in range(25)]
    for k in keys:
        S3.put_object(Bucket=BUCKET, Key=k, Body=b"q")
    out = S3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys] +
                                                   [{"Key": "quiet/v", "VersionId": "3HL4kqtJlcpXroDTDmJ"}],
                                                   "Quiet": True})
    assert "Deleted" not in out, out
    assert [(e["Key"], e["Code"]) for e in out["Errors"]] == [("quiet/v", "InvalidArgument")], out
    assert "Contents" not in S3.list_objects_v2(Bucket=BUCKET, Prefix="quiet/")


@test
def delete_objects_refuses_more_than_1000_keys_and_missing_buckets():
    try:
        S3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": f"k{i}"} for i in range(1001)]})
        raise AssertionError("1001 keys were accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "MalformedXML", e.response
    try:
        S3.delete_objects(Bucket="no-such-bucket", Delete={"Objects": [{"Key": "k"}]})
        raise AssertionError("a missing bucket was accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchBucket", e.response


if __name__ == "__main__":
    shutil.rmtree(FILES, ignore_errors=True)
    RUN.finish(STORE)
