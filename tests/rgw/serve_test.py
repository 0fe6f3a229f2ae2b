#!/usr/bin/env python3
"""`presign serve` in front of a real Ceph RADOS Gateway (tests/rgw/rgw-up): the API only, RGW as
the backend of [serve.backend], and every URL and form it issues used for real against RGW with
curl and urllib: the classic pair, /v1 POST and PUT uploads, downloads with
response-content-disposition, multipart through /v1 and Companion's /s3/* routes, listing and
deleting. Then RGW itself must refuse what the signatures forbid: a tampered signature, an
expired URL or form, a file over the form's content-length-range or the signed Content-Length,
a key other than the one signed, a Content-Type other than the one signed; and nothing refused
may leave an object behind.

Usage: serve_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

from botocore.exceptions import ClientError

from rgw_harness import MiB, Rgw, Runner, Serve, backend_config, finish, http, serve_on_rgw

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-rgw-serve-test-")
RGW = Rgw()
S3 = RGW.client()
S3.create_bucket(Bucket="uploads")

SERVE = serve_on_rgw(PRESIGN, WORK, RGW, backend_config(
    WORK, RGW, "uploads",
    'auth = "api_key"\n'
    f'[[serve.api_keys]]\nidentity = "alice"\nsha256 = "{hashlib.sha256(b"alice-secret").hexdigest()}"\n'
    f'[[serve.api_keys]]\nidentity = "bob"\nsha256 = "{hashlib.sha256(b"bob-secret").hexdigest()}"\n'
    '[serve.uploads]\nmax_size_bytes = 20971520\ncontent_types = ["image/*", "text/plain"]\n'
    'max_expires_seconds = 600\npart_size_bytes = 5242880\n'))
ALICE = {"Authorization": "Bearer alice-secret"}
BOB = {"X-Api-Key": "bob-secret"}


def api(method, route, body=None, who=ALICE):
    return http(method, SERVE.api + route, body, dict(who))


def ok(answer, status=200):
    assert answer.status == status, answer
    return answer.json() if answer.body else None


def form_post(offer, data, fields=None):
    """The offer's form (fields replaced or added from `fields`) with `data` as the file, sent
    by curl: (status, body)."""
    path = os.path.join(WORK, "upload.bin")
    with open(path, "wb") as f:
        f.write(data)
    args = []
    for name, value in {**offer["fields"], **(fields or {})}.items():
        args += ["--form-string", f"{name}={value}"]
    out = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "--max-time", "30", *args,
                          "--form", f"file=@{path}", offer["url"]], capture_output=True, check=True).stdout
    body, _, status = out.rpartition(b"\n")
    return int(status), body


def s3_code(body):
    """The <Code> of an S3 XML error body, or None."""
    start, end = body.find(b"<Code>"), body.find(b"</Code>")
    return body[start + 6:end].decode() if 0 <= start < end else None


def stored(key):
    """The object's bytes in RGW, or None when it does not exist."""
    try:
        return S3.get_object(Bucket="uploads", Key=key)["Body"].read()
    except ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchKey":
            return None
        raise


def download(key, who=ALICE, **extra):
    return http("GET", ok(api("POST", "/v1/downloads", {"key": key, **extra}, who))["url"])


def put_parts(urls, chunks):
    etags = []
    for n, chunk in enumerate(chunks, 1):
        r = http("PUT", urls[str(n)], chunk)
        assert r.status == 200, r
        etags.append(r.headers["etag"])
    return etags


@test
def the_api_serves_with_rgw_as_its_only_backend():
    assert SERVE.s3 == RGW.endpoint, SERVE.output()
    assert RGW.access_key not in SERVE.output() and RGW.secret_key not in SERVE.output()
    assert ok(http("GET", SERVE.api + "/readyz")) == {"status": "ready"}


@test
def the_classic_pair_uploads_a_form_and_downloads_it():
    form = ok(api("POST", "/get-upload-url", {"filename": "classic.txt"}))
    assert form["url"] == RGW.endpoint + "/uploads" and form["fields"]["key"] == "alice/classic.txt", form
    status, body = form_post(form, b"classic pair on ceph")
    assert status == 204, (status, body)
    url = ok(api("POST", "/get-download-url", {"filename": "classic.txt"}))
    assert url.startswith(RGW.endpoint + "/uploads/alice/classic.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"), url
    got = http("GET", url)
    assert got.status == 200 and got.body == b"classic pair on ceph", got


@test
def v1_post_upload_then_download_with_content_disposition():
    data = os.urandom(300_000)
    offer = ok(api("POST", "/v1/uploads", {"filename": "Été photo.png", "content_type": "image/png",
                                          "size": len(data), "metadata": {"album": "summer"}}))
    assert offer["method"] == "POST" and offer["key"].startswith("alice/"), offer
    status, body = form_post(offer, data)
    assert status == 204, (status, body)
    head = S3.head_object(Bucket="uploads", Key=offer["key"])
    assert head["ContentType"] == "image/png" and head["Metadata"] == {"album": "summer"}, head
    got = download(offer["key"], filename="Été photo.png")
    assert got.status == 200 and got.body == data, got
    # RGW answers with the disposition signed into the URL's response-content-disposition.
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"_t_ photo.png\"; filename*=UTF-8''%C3%89t%C3%A9%20photo.png"), got.headers
    inline = download(offer["key"], disposition="inline")
    assert inline.status == 200 and inline.headers["content-disposition"] == "inline", inline.headers


@test
def v1_put_upload_with_the_signed_headers():
    put = ok(api("POST", "/v1/uploads", {"filename": "note.txt", "content_type": "text/plain", "size": 11,
                                        "method": "put"}))
    assert put["method"] == "PUT" and put["headers"] == {"Content-Type": "text/plain", "Content-Length": "11"}, put
    assert http("PUT", put["url"], b"hello ceph!", put["headers"]).status == 200
    assert stored(put["key"]) == b"hello ceph!"
    assert download(put["key"]).body == b"hello ceph!"


@test
def multipart_through_v1():
    chunks = [os.urandom(5 * MiB), os.urandom(MiB + 3)]
    made = ok(api("POST", "/v1/uploads", {"filename": "big.png", "content_type": "image/png", "multipart": True,
                                         "size": sum(map(len, chunks))}))
    key, route = made["key"], "/v1/multipart/" + urllib.parse.quote(made["upload_id"], safe="")
    assert made["part_count"] == 2, made
    urls = ok(api("POST", route + "/parts", {"key": key, "part_numbers": [1, 2]}))["urls"]
    etags = put_parts(urls, chunks)
    parts = ok(api("GET", route + "?key=" + urllib.parse.quote(key)))["parts"]
    assert [(p["part_number"], p["size"], p["etag"]) for p in parts] == [
        (1, 5 * MiB, etags[0]), (2, MiB + 3, etags[1])], parts
    done = ok(api("POST", route + "/complete", {"key": key}))
    assert done["etag"].endswith('-2"'), done
    assert stored(key) == b"".join(chunks)
    assert api("GET", route + "?key=" + urllib.parse.quote(key)).status == 404


@test
def multipart_through_companions_s3_routes():
    made = ok(api("POST", "/s3/multipart", {"filename": "movie.png", "type": "image/png", "metadata": {}}))
    key, upload = made["key"], made["uploadId"]
    assert made["bucket"] == "uploads" and key.startswith("alice/"), made
    q = "?key=" + urllib.parse.quote(key)
    base = "/s3/multipart/" + urllib.parse.quote(upload, safe="")
    batch = ok(api("GET", base + "/batch" + q + "&partNumbers=1,2"))["presignedUrls"]
    single = ok(api("GET", base + "/3" + q))
    chunks = [os.urandom(5 * MiB), os.urandom(5 * MiB), b"the end"]
    etags = put_parts({"1": batch["1"], "2": batch["2"], "3": single["url"]}, chunks)
    listed = ok(api("GET", base + q))
    assert [(p["PartNumber"], p["ETag"]) for p in listed] == list(zip([1, 2, 3], etags)), listed
    done = ok(api("POST", base + "/complete" + q,
                  {"parts": [{"PartNumber": n, "ETag": e} for n, e in zip([1, 2, 3], etags)]}))
    assert done["key"] == key and done["bucket"] == "uploads" and done["location"], done
    assert download(key).body == b"".join(chunks)
    other = ok(api("POST", "/s3/multipart", {"filename": "dropped.png", "type": "image/png"}))
    obase = "/s3/multipart/" + urllib.parse.quote(other["uploadId"], safe="")
    oq = "?key=" + urllib.parse.quote(other["key"])
    assert ok(api("DELETE", obase + oq)) == {}
    assert api("GET", obase + oq).status == 404
    params = ok(api("GET", "/s3/params?filename=cat.png&type=image%2Fpng"))
    status, body = form_post(params, b"meow")
    assert status == 201 and b"<Key>" + params["fields"]["key"].encode() + b"</Key>" in body, (status, body)


@test
def multipart_over_the_maximum_is_aborted_on_rgw():
    made = ok(api("POST", "/v1/uploads", {"filename": "huge.png", "content_type": "image/png", "multipart": True}))
    key, route = made["key"], "/v1/multipart/" + urllib.parse.quote(made["upload_id"], safe="")
    urls = ok(api("POST", route + "/parts", {"key": key, "part_numbers": [1, 2, 3, 4, 5]}))["urls"]
    put_parts(urls, [b"x" * (5 * MiB)] * 4 + [b"y"])
    refused = api("POST", route + "/complete", {"key": key})
    assert refused.status == 413 and refused.json()["error"]["code"] == "file_too_large", refused
    assert api("GET", route + "?key=" + urllib.parse.quote(key)).status == 404
    assert stored(key) is None


@test
def callers_list_and_delete_only_their_own_objects():
    put = ok(api("POST", "/v1/uploads", {"filename": "mine.txt", "content_type": "text/plain", "method": "put"}))
    assert http("PUT", put["url"], b"mine", put["headers"]).status == 200
    keys = [o["key"] for o in ok(api("GET", "/v1/objects"))["objects"]]
    assert put["key"] in keys and all(k.startswith("alice/") for k in keys), keys
    assert ok(api("GET", "/v1/objects", who=BOB))["objects"] == []
    assert api("DELETE", "/v1/objects?key=" + urllib.parse.quote(put["key"]), who=BOB).status == 403
    assert ok(api("DELETE", "/v1/objects?key=" + urllib.parse.quote(put["key"])))["deleted"] == put["key"]
    assert stored(put["key"]) is None


@test
def browser_uploads_pass_rgws_bucket_cors_as_docs_deploy_sets_it():
    # The rule docs/deploy.md gives for browser uploads: the app's origin, PUT/POST/GET, any
    # request header, and ETag exposed (multipart clients read each part's ETag).
    S3.put_bucket_cors(Bucket="uploads", CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": ["https://app.example"], "AllowedMethods": ["PUT", "POST", "GET"],
        "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]})
    put = ok(api("POST", "/v1/uploads", {"filename": "cors.txt", "content_type": "text/plain", "method": "put"}))
    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "PUT",
                 "Access-Control-Request-Headers": "content-type"}
    answer = http("OPTIONS", put["url"], None, preflight)
    assert answer.status == 200 and answer.headers["access-control-allow-origin"] == "https://app.example", answer
    assert "PUT" in answer.headers["access-control-allow-methods"], answer.headers
    uploaded = http("PUT", put["url"], b"from a page", {**put["headers"], "Origin": "https://app.example"})
    assert uploaded.status == 200 and uploaded.headers["access-control-allow-origin"] == "https://app.example"
    assert "etag" in uploaded.headers["access-control-expose-headers"].lower(), uploaded.headers
    stranger = http("OPTIONS", put["url"], None, {**preflight, "Origin": "https://evil.example"})
    assert stranger.status == 403 and "access-control-allow-origin" not in stranger.headers, stranger


def narrow_policy(bucket, object_actions, bucket_actions=()):
    """A bucket policy giving the other RGW user only these actions (docs/deploy.md's tables)."""
    statements = [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam:::user/presign-other"]},
                   "Action": list(object_actions), "Resource": [f"arn:aws:s3:::{bucket}/*"]}]
    if bucket_actions:
        statements.append({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam:::user/presign-other"]},
                           "Action": list(bucket_actions), "Resource": [f"arn:aws:s3:::{bucket}"]})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


@test
def the_narrowest_permissions_of_docs_deploy_are_enough():
    # A bucket owned by the test user; presign signs as the other user, who gets only what
    # docs/deploy.md says each route needs, through a bucket policy.
    S3.create_bucket(Bucket="narrow")
    S3.put_bucket_policy(Bucket="narrow", Policy=narrow_policy("narrow", ["s3:PutObject", "s3:GetObject"]))
    serve = Serve(PRESIGN, WORK, "--config", backend_config(WORK, RGW, "narrow"),
                  env={"AWS_ACCESS_KEY_ID": RGW.other_access_key, "AWS_SECRET_ACCESS_KEY": RGW.other_secret_key,
                       "HOME": WORK})

    def call(method, route, body=None):
        return http(method, serve.api + route, body)

    def multipart(filename):
        made = ok(call("POST", "/v1/uploads", {"filename": filename, "multipart": True}))
        return made["key"], "/v1/multipart/" + urllib.parse.quote(made["upload_id"], safe="")

    try:
        # The classic pair: s3:PutObject and s3:GetObject, nothing else.
        form = ok(call("POST", "/get-upload-url", {"filename": "narrow.txt"}))
        status, body = form_post(form, b"narrow permissions")
        assert status == 204, (status, body)
        got = http("GET", ok(call("POST", "/get-download-url", {"filename": "narrow.txt"})))
        assert got.status == 200 and got.body == b"narrow permissions", got
        # ... and nothing more is allowed: readiness (HeadBucket) and listing need
        # s3:ListBucket, aborting s3:AbortMultipartUpload, deleting s3:DeleteObject.
        for method, route, status in [("GET", "/readyz", 503), ("GET", "/v1/objects", 502),
                                      ("DELETE", "/v1/objects?key=narrow.txt", 502)]:
            answer = call(method, route)
            assert answer.status == status, (route, answer)
        key, route = multipart("dropped.bin")
        refused = call("DELETE", route + "?key=" + urllib.parse.quote(key))
        assert refused.status == 502 and "AccessDenied" in refused.json()["error"]["message"], refused
        # Multipart with the multipart actions added (RGW lets the upload's initiator list its
        # parts without s3:ListMultipartUploadParts; AWS does not).
        S3.put_bucket_policy(Bucket="narrow", Policy=narrow_policy(
            "narrow", ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]))
        assert ok(call("DELETE", route + "?key=" + urllib.parse.quote(key)))["aborted"] is True
        key, route = multipart("kept.bin")
        urls = ok(call("POST", route + "/parts", {"key": key, "part_numbers": [1]}))["urls"]
        put_parts(urls, [b"one part"])
        assert len(ok(call("GET", route + "?key=" + urllib.parse.quote(key)))["parts"]) == 1
        done = ok(call("POST", route + "/complete", {"key": key}))
        assert done["etag"].endswith('-1"'), done  # the ETag RGW left out, from HeadObject
        # Listing, readiness and deletes.
        S3.put_bucket_policy(Bucket="narrow", Policy=narrow_policy(
            "narrow", ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload",
                       "s3:DeleteObject"], ["s3:ListBucket"]))
        assert ok(call("GET", "/readyz"))["status"] == "ready"
        keys = [o["key"] for o in ok(call("GET", "/v1/objects"))["objects"]]
        assert sorted(keys) == sorted(["narrow.txt", key]), keys
        assert ok(call("DELETE", "/v1/objects?key=narrow.txt"))["deleted"] == "narrow.txt"
    finally:
        assert serve.stop() == 0


# --- RGW refuses what the signatures forbid ---------------------------------------------------

def post_offer(size=None, content_type="image/png", **extra):
    body = {"filename": "r.png", "content_type": content_type, **extra}
    if size is not None:
        body["size"] = size
    return ok(api("POST", "/v1/uploads", body))


def flip_last_hex_digit(text):
    """`text` with its last character (a signature's last hex digit) changed."""
    return text[:-1] + ("0" if text[-1] != "0" else "1")


@test
def rgw_refuses_a_tampered_signature():
    offer = post_offer(4)
    sig = offer["fields"]["x-amz-signature"]
    status, body = form_post(offer, b"fake", {"x-amz-signature": flip_last_hex_digit(sig)})
    # AWS says SignatureDoesNotMatch; RGW says AccessDenied for forms (differential_test.py).
    assert status == 403 and s3_code(body) == "AccessDenied", (status, body)
    assert stored(offer["key"]) is None
    put = ok(api("POST", "/v1/uploads", {"filename": "t.txt", "content_type": "text/plain", "method": "put"}))
    r = http("PUT", flip_last_hex_digit(put["url"]), b"fake", put["headers"])
    assert r.status == 403 and s3_code(r.body) == "SignatureDoesNotMatch", r
    assert stored(put["key"]) is None


@test
def rgw_refuses_expired_urls_and_forms():
    form = post_offer(4, expires_in=1)
    put = ok(api("POST", "/v1/uploads", {"filename": "late.txt", "content_type": "text/plain", "method": "put",
                                        "expires_in": 1}))
    assert http("PUT", put["url"], b"on time", put["headers"]).status == 200
    get = ok(api("POST", "/v1/downloads", {"key": put["key"], "expires_in": 1}))["url"]
    time.sleep(2.2)
    status, body = form_post(form, b"late")
    assert status == 403 and s3_code(body) == "AccessDenied", (status, body)
    assert stored(form["key"]) is None
    late = http("PUT", put["url"], b"too late", put["headers"])
    assert late.status == 403 and s3_code(late.body) == "AccessDenied", late
    got = http("GET", get)
    assert got.status == 403 and s3_code(got.body) == "AccessDenied", got
    assert stored(put["key"]) == b"on time"


@test
def rgw_refuses_a_file_over_the_signed_size():
    offer = post_offer(1000)
    status, body = form_post(offer, os.urandom(1001))
    assert status == 400 and s3_code(body) == "EntityTooLarge", (status, body)
    status, body = form_post(offer, os.urandom(999))
    assert status == 400 and s3_code(body) == "EntityTooSmall", (status, body)
    assert stored(offer["key"]) is None
    put = ok(api("POST", "/v1/uploads", {"filename": "s.txt", "content_type": "text/plain", "size": 5,
                                        "method": "put"}))
    longer = http("PUT", put["url"], b"hello!", {"Content-Type": "text/plain"})
    assert longer.status == 403 and s3_code(longer.body) == "SignatureDoesNotMatch", longer
    assert stored(put["key"]) is None


@test
def rgw_refuses_a_key_other_than_the_signed_one():
    offer = post_offer(4)
    for key in ["bob/" + offer["key"].split("/", 1)[1], offer["key"] + ".html", "alice/other.png"]:
        status, body = form_post(offer, b"evil", {"key": key})
        assert status == 403 and s3_code(body) == "AccessDenied", (key, status, body)
        assert stored(key) is None
    url = ok(api("POST", "/v1/downloads", {"key": offer["key"]}))["url"]
    elsewhere = url.replace("/uploads/alice/", "/uploads/bob/", 1)
    r = http("GET", elsewhere)
    assert r.status == 403 and s3_code(r.body) == "SignatureDoesNotMatch", r


@test
def rgw_refuses_a_content_type_other_than_the_signed_one():
    offer = post_offer(9)
    status, body = form_post(offer, b"<script>", {"Content-Type": "text/html"})
    assert status == 403 and s3_code(body) == "AccessDenied", (status, body)
    assert stored(offer["key"]) is None
    put = ok(api("POST", "/v1/uploads", {"filename": "x.txt", "content_type": "text/plain", "method": "put"}))
    r = http("PUT", put["url"], b"<script>", {"Content-Type": "text/html"})
    assert r.status == 403 and s3_code(r.body) == "SignatureDoesNotMatch", r
    assert stored(put["key"]) is None


@test
def rgw_refuses_another_users_keys_on_this_bucket():
    other = RGW.client(other=True)
    try:
        other.put_object(Bucket="uploads", Key="alice/intruder.txt", Body=b"x")
        raise AssertionError("the other user wrote into the bucket")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDenied", e.response
    assert stored("alice/intruder.txt") is None


@test
def the_api_reports_rgw_going_away():
    RGW.down()
    r = http("GET", SERVE.api + "/readyz")
    assert r.status == 503, r
    down = api("GET", "/v1/objects")
    assert down.status == 503 and down.json()["error"]["code"] == "backend_unavailable", down


print(f"rgw-up took {RGW.startup_seconds:.1f} s")
finish(RUN, [SERVE])
