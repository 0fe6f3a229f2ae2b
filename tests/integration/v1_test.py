#!/usr/bin/env python3
"""/v1 and Uppy Companion's /s3/* end to end: `presign serve` with API-key callers and upload
rules, and every URL it issues used for real against the embedded store (curl forms, PUTs,
multipart parts), so the store proves the rules were signed in: sizes, types, prefixes.

Usage: v1_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

from harness import ACCESS_KEY, SECRET_KEY, Runner, Store
from serve_harness import Serve, http

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-v1-test-")
MiB = 1024 * 1024

CONFIG = os.path.join(WORK, "presign.toml")
with open(CONFIG, "w") as f:
    f.write('[serve]\nauth = "api_key"\n'
            '[serve.uploads]\nmax_size_bytes = 20971520\ncontent_types = ["image/*", "text/plain"]\n'
            'max_expires_seconds = 600\npart_size_bytes = 5242880\n'
            f'[[serve.api_keys]]\nidentity = "alice"\nsha256 = "{hashlib.sha256(b"alice-secret").hexdigest()}"\n'
            f'[[serve.api_keys]]\nidentity = "bob"\nsha256 = "{hashlib.sha256(b"bob-secret").hexdigest()}"\n')
SERVE = Serve(PRESIGN, WORK, "--config", CONFIG)
ALICE = {"Authorization": "Bearer alice-secret"}
BOB = {"X-Api-Key": "bob-secret"}


def api(method, route, body=None, who=ALICE):
    return http(method, SERVE.api + route, body, dict(who))


def ok(answer, status=200):
    assert answer.status == status, answer
    return answer.json() if answer.body else None


def form_post(offer, data, filename="f.bin"):
    """curl --form with the offer's fields and the file last: (status, body)."""
    path = os.path.join(WORK, "upload-" + filename)
    with open(path, "wb") as f:
        f.write(data)
    args = []
    for name, value in offer["fields"].items():
        args += ["--form-string", f"{name}={value}"]
    out = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", *args, "--form", f"file=@{path}",
                          offer["url"]], capture_output=True, check=True).stdout
    body, _, status = out.rpartition(b"\n")
    return int(status), body


def download(key, who=ALICE, **extra):
    offer = ok(api("POST", "/v1/downloads", {"key": key, **extra}, who))
    return http("GET", offer["url"])


@test
def post_upload_and_download_with_the_original_name():
    data = os.urandom(100_000)
    offer = ok(api("POST", "/v1/uploads", {"filename": "Été photo.png", "content_type": "image/png",
                                          "size": len(data)}))
    assert offer["key"].startswith("alice/") and offer["key"].endswith("/t_photo.png"), offer["key"]
    status, body = form_post(offer, data)
    assert status == 204, (status, body)
    got = download(offer["key"], filename="Été photo.png")
    assert got.status == 200 and got.body == data, got
    assert got.headers["content-type"] == "image/png", got.headers
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"_t_ photo.png\"; filename*=UTF-8''%C3%89t%C3%A9%20photo.png"), got.headers


@test
def the_store_enforces_the_signed_size_and_type():
    offer = ok(api("POST", "/v1/uploads", {"filename": "a.png", "content_type": "image/png", "size": 1000}))
    status, body = form_post(offer, os.urandom(1001))
    assert status == 400 and b"EntityTooLarge" in body, (status, body)
    offer["fields"]["Content-Type"] = "text/html"
    status, body = form_post(offer, os.urandom(1000))
    assert status == 403 and b"AccessDenied" in body, (status, body)
    put = ok(api("POST", "/v1/uploads", {"filename": "b.txt", "content_type": "text/plain", "size": 5,
                                        "method": "put"}))
    assert http("PUT", put["url"], b"hello", put["headers"]).status == 200
    assert download(put["key"]).body == b"hello"
    wrong = http("PUT", put["url"], b"hello", {"Content-Type": "text/html"})
    assert wrong.status == 403 and b"SignatureDoesNotMatch" in wrong.body, wrong
    longer = http("PUT", put["url"], b"hello!", {"Content-Type": "text/plain"})
    assert longer.status == 403, longer


@test
def rules_refuse_before_anything_is_signed():
    assert api("POST", "/v1/uploads", {"filename": "a.html", "content_type": "text/html"}).status == 415
    big = api("POST", "/v1/uploads", {"filename": "a.png", "content_type": "image/png", "size": 20 * MiB + 1})
    assert big.status == 413 and big.json()["error"]["code"] == "file_too_large", big
    assert api("POST", "/v1/uploads", {"filename": "a.png", "content_type": "image/png",
                                       "expires_in": 601}).status == 400
    assert api("POST", "/v1/uploads", {"filename": "a.png"}, {}).status == 401


def put_parts(urls, chunks):
    etags = []
    for n, chunk in enumerate(chunks, 1):
        r = http("PUT", urls[str(n)], chunk)
        assert r.status == 200, r
        etags.append(r.headers["etag"])
    return etags


@test
def multipart_through_v1():
    chunks = [os.urandom(5 * MiB), os.urandom(2 * MiB + 7)]
    made = ok(api("POST", "/v1/uploads", {"filename": "big.png", "content_type": "image/png", "multipart": True,
                                         "size": sum(map(len, chunks))}))
    key, upload = made["key"], made["upload_id"]
    assert made["part_count"] == 2 and made["part_size"] == 5 * MiB, made
    route = "/v1/multipart/" + urllib.parse.quote(upload, safe="")
    urls = ok(api("POST", route + "/parts", {"key": key, "part_numbers": [1, 2]}))["urls"]
    etags = put_parts(urls, chunks)
    parts = ok(api("GET", route + "?key=" + urllib.parse.quote(key)))["parts"]
    assert [(p["part_number"], p["size"], p["etag"]) for p in parts] == [
        (1, 5 * MiB, etags[0]), (2, 2 * MiB + 7, etags[1])], parts
    done = ok(api("POST", route + "/complete", {"key": key}))
    assert done["etag"].endswith('-2"'), done
    got = download(key)
    assert got.body == b"".join(chunks)
    assert api("GET", route + "?key=" + urllib.parse.quote(key)).status == 404


@test
def multipart_over_the_maximum_is_aborted():
    made = ok(api("POST", "/v1/uploads", {"filename": "huge.png", "content_type": "image/png", "multipart": True}))
    key, upload = made["key"], made["upload_id"]
    route = "/v1/multipart/" + urllib.parse.quote(upload, safe="")
    urls = ok(api("POST", route + "/parts", {"key": key, "part_numbers": [1, 2, 3, 4, 5]}))["urls"]
    put_parts(urls, [b"x" * (5 * MiB)] * 4 + [b"y"])
    refused = api("POST", route + "/complete", {"key": key})
    assert refused.status == 413, refused
    assert api("GET", route + "?key=" + urllib.parse.quote(key)).status == 404
    assert download(key).status == 404


@test
def companion_routes_work_as_uppy_calls_them():
    params = ok(api("GET", "/s3/params?filename=cat.png&type=image%2Fpng&metadata%5Bname%5D=cat.png"))
    assert params["method"] == "POST" and params["expires"] == 60
    status, body = form_post(params, b"meow" * 100)
    assert status == 201 and b"<Key>" + params["fields"]["key"].encode() + b"</Key>" in body, (status, body)
    made = ok(api("POST", "/s3/multipart", {"filename": "v.png", "type": "image/png", "metadata": {}}))
    key, upload = made["key"], made["uploadId"]
    q = "?key=" + urllib.parse.quote(key)
    base = "/s3/multipart/" + urllib.parse.quote(upload, safe="")
    batch = ok(api("GET", base + "/batch" + q + "&partNumbers=1"))["presignedUrls"]
    single = ok(api("GET", base + "/2" + q))
    chunks = [os.urandom(5 * MiB), b"tail"]
    etags = put_parts({"1": batch["1"], "2": single["url"]}, chunks)
    listed = ok(api("GET", base + q))
    assert [p["PartNumber"] for p in listed] == [1, 2] and listed[0]["ETag"] == etags[0], listed
    done = ok(api("POST", base + "/complete" + q,
                  {"parts": [{"PartNumber": 1, "ETag": etags[0]}, {"PartNumber": 2, "ETag": etags[1]}]}))
    assert done["key"] == key and done["bucket"] == "uploads" and done["location"], done
    assert download(key).body == b"".join(chunks)
    other = ok(api("POST", "/s3/multipart", {"filename": "w.png", "type": "image/png"}))
    obase = "/s3/multipart/" + urllib.parse.quote(other["uploadId"], safe="")
    oq = "?key=" + urllib.parse.quote(other["key"])
    assert ok(api("DELETE", obase + oq)) == {}
    assert api("GET", obase + oq).status == 404


@test
def callers_list_and_delete_only_their_own_objects():
    put = ok(api("POST", "/v1/uploads", {"filename": "mine.txt", "content_type": "text/plain", "method": "put"}))
    assert http("PUT", put["url"], b"mine", put["headers"]).status == 200
    keys = [o["key"] for o in ok(api("GET", "/v1/objects"))["objects"]]
    assert put["key"] in keys and all(k.startswith("alice/") for k in keys), keys
    assert ok(api("GET", "/v1/objects", who=BOB))["objects"] == []
    assert api("DELETE", "/v1/objects?key=" + urllib.parse.quote(put["key"]), who=BOB).status == 403
    assert download(put["key"]).status == 200
    assert ok(api("DELETE", "/v1/objects?key=" + urllib.parse.quote(put["key"])))["deleted"] == put["key"]
    assert download(put["key"]).status == 404


@test
def no_key_outside_the_prefix_is_ever_signed():
    for key in ["bob/x.txt", "alice/../bob/x.txt", "alice/%2e%2e/bob/x.txt", "alice/..%2Fbob", "/alice/x",
                "alice\\..\\bob", "alice/\uff0e\uff0e/bob"]:
        r = api("POST", "/v1/downloads", {"key": key})
        assert r.status in (400, 403) and "url" not in r.json(), (key, r)
    r = api("GET", "/s3/multipart/u/1?key=" + urllib.parse.quote("bob/x"))
    assert r.status == 403, r
    offer = ok(api("POST", "/v1/uploads", {"filename": "../../bob/evil.png", "content_type": "image/png"}))
    assert offer["key"].startswith("alice/") and "/../" not in offer["key"], offer


@test
def readiness_and_routes():
    assert ok(http("GET", SERVE.api + "/readyz")) == {"status": "ready"}
    out = subprocess.run([PRESIGN, "serve", "--print-routes"], capture_output=True, text=True, check=True).stdout
    assert "POST /v1/uploads" in out and "GET /s3/multipart/{uploadId}/{partNumber}" in out, out


@test
def upload_rules_also_come_from_the_environment():
    config = os.path.join(WORK, "env.toml")
    with open(config, "w") as f:
        f.write('[serve.uploads]\nmax_size_bytes = 999999\ncontent_types = ["image/*"]\n')
    env = {"PRESIGN_MAX_SIZE_BYTES": "1000", "PRESIGN_CONTENT_TYPES": "text/plain, text/csv",
           "PRESIGN_KEY_TEMPLATE": "env/{id}-{filename}"}
    shown = subprocess.run([PRESIGN, "serve", "--config", config, "--print-config"], capture_output=True,
                           text=True, env={**os.environ, **env}).stdout
    assert 'max_size_bytes = 1000' in shown and '"text/plain", "text/csv"' in shown, shown
    served = Serve(PRESIGN, WORK, "--config", config, env=env)
    try:
        big = http("POST", served.api + "/v1/uploads", {"filename": "a.txt", "content_type": "text/plain",
                                                       "size": 1001})
        assert big.status == 413, big
        assert http("POST", served.api + "/v1/uploads", {"filename": "a.png",
                                                        "content_type": "image/png"}).status == 415
        ok_offer = ok(http("POST", served.api + "/v1/uploads", {"filename": "a.csv", "content_type": "text/csv"}))
        assert ok_offer["key"].startswith("env/") and ok_offer["key"].endswith("-a.csv"), ok_offer
    finally:
        assert served.stop() == 0
    bad = subprocess.run([PRESIGN, "serve", "--print-config"], capture_output=True, text=True,
                         env={**os.environ, "PRESIGN_MAX_SIZE_BYTES": "lots"})
    assert bad.returncode == 2 and "PRESIGN_MAX_SIZE_BYTES" in bad.stderr, (bad.returncode, bad.stderr)


@test
def a_remote_s3_backend_serves_the_same_routes_and_is_recovered_after_an_outage():
    store = Store(PRESIGN, prefix="presign-remote-")
    store.client().create_bucket(Bucket="remote")
    config = os.path.join(WORK, "remote.toml")
    with open(config, "w") as f:
        f.write(f'[serve]\nbucket = "remote"\n[serve.backend]\nendpoint_url = "{store.url}"\nregion = "us-east-1"\n')
    remote = Serve(PRESIGN, WORK, "--config", config,
                   env={"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "HOME": WORK})
    try:
        assert remote.s3 == store.url, remote.output()
        assert "TESTACCESSKEY" not in remote.output() and SECRET_KEY not in remote.output()
        form = ok(http("POST", remote.api + "/get-upload-url", {"filename": "remote.txt"}))
        assert form["url"] == store.url + "/remote", form
        status, body = form_post(form, b"over there")
        assert status == 204, (status, body)
        url = ok(http("POST", remote.api + "/get-download-url", {"filename": "remote.txt"}))
        assert http("GET", url).body == b"over there"
        made = ok(http("POST", remote.api + "/v1/uploads", {"filename": "m.bin", "multipart": True}))
        route = remote.api + "/v1/multipart/" + urllib.parse.quote(made["upload_id"], safe="")
        urls = ok(http("POST", route + "/parts", {"key": made["key"], "part_numbers": [1, 2]}))["urls"]
        put_parts(urls, [b"a" * (5 * MiB), b"b"])
        ok(http("POST", route + "/complete", {"key": made["key"]}))
        got = store.client().get_object(Bucket="remote", Key=made["key"])["Body"].read()
        assert got == b"a" * (5 * MiB) + b"b"
        keys = [o["key"] for o in ok(http("GET", remote.api + "/v1/objects"))["objects"]]
        assert sorted(keys) == sorted(["remote.txt", made["key"]]), keys
        assert ok(http("GET", remote.api + "/readyz"))["status"] == "ready"
        # The backend goes away: not ready, and 503 on the routes that need it; signing-only
        # routes keep working.
        address = store.url.removeprefix("http://")
        assert store.stop(keep_data=True) == 0
        assert http("GET", remote.api + "/readyz").status == 503
        down = http("GET", remote.api + "/v1/objects")
        assert down.status == 503 and down.json()["error"]["code"] == "backend_unavailable", down
        assert http("POST", remote.api + "/v1/uploads", {"filename": "m2.bin", "multipart": True}).status == 503
        assert http("POST", remote.api + "/get-download-url", {"filename": "remote.txt"}).status == 200
        # It comes back where it was, with its data: the same presign process recovers by itself
        # (its pooled connections to the old process are dead and must not be reused blindly).
        store = Store(PRESIGN, data_dir=store.data, listen=address)
        deadline = time.monotonic() + 20
        while http("GET", remote.api + "/readyz").status != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ok(http("GET", remote.api + "/readyz"))["status"] == "ready"
        keys = [o["key"] for o in ok(http("GET", remote.api + "/v1/objects"))["objects"]]
        assert sorted(keys) == sorted(["remote.txt", made["key"]]), keys
        again = ok(http("POST", remote.api + "/v1/uploads", {"filename": "m2.bin", "multipart": True}))
        route = remote.api + "/v1/multipart/" + urllib.parse.quote(again["upload_id"], safe="")
        urls = ok(http("POST", route + "/parts", {"key": again["key"], "part_numbers": [1]}))["urls"]
        put_parts(urls, [b"back"])
        ok(http("POST", route + "/complete", {"key": again["key"]}))
        assert store.client().get_object(Bucket="remote", Key=again["key"])["Body"].read() == b"back"
    finally:
        assert remote.stop() == 0
        store.stop()


RUN.finish(SERVE)
