#!/usr/bin/env python3
"""`presign serve` end to end over real sockets: the classic flow replayed with curl exactly as
a user would (get-upload-url, a multipart `curl --form` POST of the fields plus file=@..., then
get-download-url and a GET of that URL), again after expiry (refused), every error of the
classic routes as JSON, health and readiness, the loopback-only default, --print-config
without secrets, and the precedence flags > PRESIGN_* > config file.

Usage: serve_test.py /path/to/presign. Prints 'N passed, M failed' last."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import serve_harness
from harness import Runner
from serve_harness import curl

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-serve-test-")


def Serve(*args, env=None):
    """`presign serve` on 127.0.0.1:0 (API and store) in a fresh data directory."""
    return serve_harness.Serve(PRESIGN, WORK, *args, env=env)


def post_json(api, route, body, content_type="application/json"):
    return curl("-X", "POST", f"{api}{route}", "-H", f"Content-Type: {content_type}", "-d", body)


def form_upload(answer, path):
    args = []
    for name, value in answer["fields"].items():
        args += ["--form-string", f"{name}={value}"]
    return curl(*args, "--form", f"file=@{path}", answer["url"])


SERVE = Serve("--expires", "60")
IMAGE = os.path.join(WORK, "image.jpg")
with open(IMAGE, "wb") as f:
    f.write(os.urandom(50_000))


@test
def the_classic_flow_works_with_curl_as_a_user_would():
    status, headers, body = post_json(SERVE.api, "/get-upload-url", '{"filename": "image.jpg"}')
    assert status == 200 and headers["content-type"] == "application/json", (status, body)
    answer = json.loads(body)
    assert set(answer) == {"url", "fields"} and answer["fields"]["key"] == "image.jpg", answer
    assert answer["url"] == f"{SERVE.s3}/uploads", answer["url"]
    status, _, body = form_upload(answer, IMAGE)
    assert status == 204, (status, body)
    status, _, body = post_json(SERVE.api, "/get-download-url", '{"filename": "image.jpg"}')
    assert status == 200, (status, body)
    url = json.loads(body)
    assert isinstance(url, str) and url.startswith(f"{SERVE.s3}/uploads/image.jpg?"), url
    status, _, got = curl(url)
    with open(IMAGE, "rb") as f:
        assert status == 200 and got == f.read(), status


@test
def urls_and_forms_are_refused_after_they_expire():
    short = Serve("--expires", "1")
    try:
        _, _, body = post_json(short.api, "/get-upload-url", '{"filename": "late.jpg"}')
        upload = json.loads(body)
        _, _, body = post_json(short.api, "/get-download-url", '{"filename": "image.jpg"}')
        download = json.loads(body)
        time.sleep(2.5)
        status, _, body = form_upload(upload, IMAGE)
        assert status == 403 and b"AccessDenied" in body, (status, body)
        status, _, body = curl(download)
        assert status == 403 and b"Request has expired" in body, (status, body)
    finally:
        short.stop()


def expect_error(reply, status, code):
    got_status, headers, body = reply
    assert got_status == status, (got_status, body)
    assert headers.get("content-type") == "application/json" and headers.get("x-request-id"), headers
    err = json.loads(body)["error"]
    assert err["code"] == code and err["message"], err


@test
def bad_requests_get_json_errors_never_200_null():
    expect_error(post_json(SERVE.api, "/get-upload-url", "{not json"), 400, "bad_request")
    expect_error(post_json(SERVE.api, "/get-upload-url", "{}"), 400, "bad_request")
    expect_error(post_json(SERVE.api, "/get-upload-url", '{"filename": 7}'), 400, "bad_request")
    expect_error(post_json(SERVE.api, "/get-upload-url", '{"filename": ""}'), 400, "bad_request")
    expect_error(post_json(SERVE.api, "/get-download-url", '{"filename": "a\\u0000b"}'), 400, "bad_request")
    expect_error(post_json(SERVE.api, "/get-upload-url", '{"filename": "' + "k" * 1025 + '"}'), 400, "bad_request")
    expect_error(post_json(SERVE.api, "/get-upload-url", "filename=a", "application/x-www-form-urlencoded"),
                 415, "unsupported_media_type")
    expect_error(post_json(SERVE.api, "/get-upload-url", '{"filename": "' + "x" * 20000 + '"}'),
                 413, "payload_too_large")
    expect_error(curl(f"{SERVE.api}/get-upload-url"), 405, "method_not_allowed")
    expect_error(curl(f"{SERVE.api}/nothing-here"), 404, "not_found")


@test
def health_and_readiness_answer():
    status, _, body = curl(f"{SERVE.api}/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}, body
    status, _, body = curl(f"{SERVE.api}/readyz")
    assert status == 200 and json.loads(body) == {"status": "ready"}, body


def start_failure(*args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
    full_env.update(env or {})
    p = subprocess.run([PRESIGN, "serve", "--data-dir", os.path.join(WORK, "never"), *args], capture_output=True,
                       text=True, timeout=20, env=full_env)
    return p.returncode, p.stdout + p.stderr


@test
def an_unauthenticated_api_is_refused_off_loopback_unless_allowed():
    code, out = start_failure("--api-listen", "0.0.0.0:0", "--s3-listen", "127.0.0.1:0")
    assert code == 2 and "--allow-anonymous" in out, (code, out)


@test
def print_config_shows_the_effective_settings_without_secrets():
    config = os.path.join(WORK, "presign.toml")
    with open(config, "w") as f:
        f.write('[serve]\nbucket = "from-file"\nexpires_seconds = 120\napi_listen = "127.0.0.1:1"\n'
                '[store]\naccess_key = "FILEROOTKEY"\nsecret_key = "very-secret-value"\n')
    out = subprocess.run([PRESIGN, "serve", "--config", config, "--print-config", "--api-listen", "127.0.0.1:2"],
                         capture_output=True, text=True, timeout=20, check=True,
                         env={**os.environ, "PRESIGN_EXPIRES": "30"}).stdout
    assert 'bucket = "from-file"' in out, out             # file
    assert "expires_seconds = 30" in out, out             # environment over file
    assert 'api_listen = "127.0.0.1:2"' in out, out       # flag over file
    assert "very-secret-value" not in out, out
    code, out = start_failure("--config", config, "--expires", "0")
    assert code == 2, (code, out)
    with open(config, "w") as f:
        f.write('[serve]\nbukcet = "x"\n')
    code, out = start_failure("--config", config)
    assert code == 2 and "serve.bukcet: unknown setting" in out, (code, out)


@test
def api_keys_authenticate_callers_and_keep_them_in_their_prefix():
    import hashlib
    config = os.path.join(WORK, "keys.toml")
    with open(config, "w") as f:
        f.write('[serve]\nauth = "api_key"\n'
                f'[[serve.api_keys]]\nidentity = "alice"\nsha256 = "{hashlib.sha256(b"alice-secret").hexdigest()}"\n'
                f'[[serve.api_keys]]\nidentity = "bob"\nsha256 = "{hashlib.sha256(b"bob-secret").hexdigest()}"\n')
    keyed = Serve("--config", config)
    try:
        status, headers, body = post_json(keyed.api, "/get-upload-url", '{"filename": "a.jpg"}')
        assert status == 401 and headers.get("www-authenticate") == "Bearer", (status, body)
        status, _, body = curl("-X", "POST", f"{keyed.api}/get-upload-url", "-H", "Content-Type: application/json",
                               "-H", "Authorization: Bearer wrong", "-d", '{"filename": "a.jpg"}')
        assert status == 401 and json.loads(body)["error"]["code"] == "unauthorized", body
        status, _, body = curl("-X", "POST", f"{keyed.api}/get-upload-url", "-H", "Content-Type: application/json",
                               "-H", "Authorization: Bearer alice-secret", "-d", '{"filename": "a.jpg"}')
        assert status == 200, body
        answer = json.loads(body)
        assert answer["fields"]["key"] == "alice/a.jpg", answer
        assert form_upload(answer, IMAGE)[0] == 204
        for escape in ("../bob/a.jpg", "x/../../bob/a.jpg", "/bob/a.jpg"):
            status, _, body = curl("-X", "POST", f"{keyed.api}/get-download-url", "-H",
                                   "Content-Type: application/json", "-H", "X-Api-Key: alice-secret",
                                   "-d", json.dumps({"filename": escape}))
            assert status == 400, (escape, status, body)
        # A form for one key cannot store another: the policy binds the key.
        forged = dict(answer)
        forged["fields"] = dict(answer["fields"], key="bob/a.jpg")
        status, _, body = form_upload(forged, IMAGE)
        assert status == 403 and b"AccessDenied" in body, (status, body)
        status, _, body = curl("-X", "POST", f"{keyed.api}/get-download-url", "-H", "Content-Type: application/json",
                               "-H", "X-Api-Key: bob-secret", "-d", '{"filename": "a.jpg"}')
        url = json.loads(body)
        assert "/uploads/bob/a.jpg?" in url, url
        assert curl(url)[0] == 404  # bob's own key: alice's file is not there
    finally:
        keyed.stop()
    # Keys make a non-loopback API acceptable; without them it is refused (tested above).
    code, out = start_failure("--config", config, "--api-listen", "0.0.0.0:0", "--s3-listen", "127.0.0.1:0",
                              "--print-config")
    assert code == 0 and 'auth = "api_key"' in out and "alice-secret" not in out, (code, out)


try:
    RUN.finish(SERVE)
finally:
    shutil.rmtree(WORK, ignore_errors=True)
