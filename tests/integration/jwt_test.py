#!/usr/bin/env python3
"""`presign serve --auth jwt` end to end over real sockets: tokens made here (HS256 with hmac,
RS256 and ES256 with the `cryptography` package, keys generated for the run and published to
the server in a JWKS file) get upload forms and download URLs under `<sub>/`, the files go up
and come back with curl; expired tokens, another audience or issuer, alg none, a forged
signature, a key confusion and no token at all get 401; an identity that would leave its
prefix gets 403; bad key files stop the start; --print-config shows no secret.

Usage: jwt_test.py /path/to/presign. Prints 'N passed, M failed' last."""
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

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

import serve_harness
from harness import Runner
from serve_harness import curl

PRESIGN = sys.argv[1]
RUN = Runner()
test = RUN.test
WORK = tempfile.mkdtemp(prefix="presign-jwt-test-")
ISSUER, AUDIENCE = "https://id.example/", "presign"
SECRET = os.urandom(32).hex().encode()  # 64 bytes, written with a trailing newline

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def uint(n, size=None):
    return n.to_bytes(size or (n.bit_length() + 7) // 8, "big")


def jwks():
    rsa_nums = RSA_KEY.public_key().public_numbers()
    ec_nums = EC_KEY.public_key().public_numbers()
    return {"keys": [
        {"kty": "RSA", "kid": "rsa-1", "alg": "RS256", "use": "sig", "n": b64(uint(rsa_nums.n)),
         "e": b64(uint(rsa_nums.e))},
        {"kty": "EC", "kid": "ec-1", "crv": "P-256", "x": b64(uint(ec_nums.x, 32)), "y": b64(uint(ec_nums.y, 32))},
    ]}


def sign(alg, key, data):
    if alg == "HS256":
        return hmac.new(key, data, hashlib.sha256).digest()
    if alg == "RS256":
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return uint(r, 32) + uint(s, 32)


def token(sub="alice", alg="HS256", key=SECRET, kid=None, **claims):
    """A compact JWS valid for five minutes; `claims` add to or replace the defaults (None
    removes one)."""
    header = {"alg": alg, "typ": "JWT"}
    if kid:
        header["kid"] = kid
    body = {"sub": sub, "iss": ISSUER, "aud": AUDIENCE, "iat": int(time.time()), "exp": int(time.time()) + 300}
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    signing_input = f"{b64(json.dumps(header))}.{b64(json.dumps(body))}"
    return f"{signing_input}.{b64(sign(alg, key, signing_input.encode()))}"


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    return path


SECRET_FILE = write("jwt-secret", SECRET.decode() + "\n")
JWKS_FILE = write("jwks.json", json.dumps(jwks()))
# Every refused token below comes from 127.0.0.1: the limit on failures per address is off here
# (limits_test.py tests it).
CONFIG = write("presign.toml", '[serve]\nauth_failures_per_minute = 0\n'
                               f'[serve.jwt]\nhs256_secret_file = "{SECRET_FILE}"\njwks_file = "{JWKS_FILE}"\n'
                               f'issuer = "{ISSUER}"\naudience = "{AUDIENCE}"\nleeway_seconds = 30\n')


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
    env.update(extra or {})
    return env


def Serve(*args, env=None):
    """`presign serve` on 127.0.0.1:0 (API and store) in a fresh data directory."""
    return serve_harness.Serve(PRESIGN, WORK, *args, env=env)


def ask(route, filename, bearer=None):
    args = ["-X", "POST", f"{SERVE.api}{route}", "-H", "Content-Type: application/json",
            "-d", json.dumps({"filename": filename})]
    if bearer is not None:
        args += ["-H", f"Authorization: Bearer {bearer}"]
    return curl(*args)


def form_upload(answer, path):
    args = []
    for name, value in answer["fields"].items():
        args += ["--form-string", f"{name}={value}"]
    return curl(*args, "--form", f"file=@{path}", answer["url"])


def expect_error(reply, status, code):
    got, headers, body = reply
    assert got == status, (got, body)
    err = json.loads(body)["error"]
    assert err["code"] == code and err["message"], err
    if status == 401:
        assert headers.get("www-authenticate") == "Bearer", headers
    return err["message"]


SERVE = Serve("--config", CONFIG, env={"PRESIGN_AUTH": "jwt"})
IMAGE = os.path.join(WORK, "image.jpg")
with open(IMAGE, "wb") as f:
    f.write(os.urandom(30_000))


@test
def a_valid_token_gets_a_form_and_a_url_under_its_subject():
    status, _, body = ask("/get-upload-url", "a.jpg", token("alice"))
    assert status == 200, (status, body)
    answer = json.loads(body)
    assert answer["fields"]["key"] == "alice/a.jpg", answer
    assert form_upload(answer, IMAGE)[0] == 204
    status, _, body = ask("/get-download-url", "a.jpg", token("alice", "RS256", RSA_KEY, kid="rsa-1"))
    assert status == 200, (status, body)
    url = json.loads(body)
    assert url.startswith(f"{SERVE.s3}/uploads/alice/a.jpg?"), url
    status, _, got = curl(url)
    with open(IMAGE, "rb") as f:
        assert status == 200 and got == f.read(), status


@test
def each_algorithm_and_subject_gets_its_own_prefix():
    for alg, key, kid in (("RS256", RSA_KEY, None), ("ES256", EC_KEY, "ec-1"), ("ES256", EC_KEY, None)):
        status, _, body = ask("/get-download-url", "a.jpg", token("bob", alg, key, kid))
        assert status == 200, (alg, kid, status, body)
        url = json.loads(body)
        assert "/uploads/bob/a.jpg?" in url, url
        assert curl(url)[0] == 404  # bob's key: alice's file is not there
    status, _, body = ask("/get-upload-url", "x.jpg", token("carol", aud=["other", AUDIENCE]))
    assert status == 200 and json.loads(body)["fields"]["key"] == "carol/x.jpg", body


@test
def refused_tokens_get_401():
    now = int(time.time())
    expect_error(ask("/get-upload-url", "a.jpg"), 401, "unauthorized")
    assert "(expired)" in expect_error(ask("/get-upload-url", "a.jpg", token(exp=now - 120)), 401, "unauthorized")
    assert "(wrong_audience)" in expect_error(ask("/get-upload-url", "a.jpg", token(aud="someone-else")),
                                              401, "unauthorized")
    expect_error(ask("/get-upload-url", "a.jpg", token(iss="https://evil.example/")), 401, "unauthorized")
    expect_error(ask("/get-upload-url", "a.jpg", token(exp=None)), 401, "unauthorized")
    expect_error(ask("/get-upload-url", "a.jpg", token(nbf=now + 600)), 401, "unauthorized")
    unsigned = token().rsplit(".", 1)[0].split(".")
    unsigned[0] = b64(json.dumps({"alg": "none", "typ": "JWT"}))
    assert "(alg_none)" in expect_error(ask("/get-upload-url", "a.jpg", ".".join(unsigned) + "."), 401,
                                        "unauthorized")
    forged = token("alice").split(".")
    forged[1] = b64(json.dumps({"sub": "bob", "aud": AUDIENCE, "iss": ISSUER, "exp": now + 300}))
    expect_error(ask("/get-upload-url", "a.jpg", ".".join(forged)), 401, "unauthorized")
    # The RSA key's public PEM as an HMAC secret must not pass for a token of that key.
    pem = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    expect_error(ask("/get-upload-url", "a.jpg", token(alg="HS256", key=pem, kid="rsa-1")), 401, "unauthorized")
    expect_error(ask("/get-upload-url", "a.jpg", token(alg="HS256", key=pem)), 401, "unauthorized")
    expect_error(ask("/get-upload-url", "a.jpg", token("alice", "RS256", RSA_KEY, kid="rsa-2")), 401, "unauthorized")
    expect_error(ask("/get-upload-url", "a.jpg", "x" * 9000), 401, "unauthorized")


@test
def no_token_reaches_outside_its_prefix():
    for sub in ("../bob", "a/b", "..", ".", ""):
        expect_error(ask("/get-upload-url", "a.jpg", token(sub)), 403, "forbidden")
    for escape in ("../bob/a.jpg", "x/../../bob/a.jpg", "/bob/a.jpg", "a\\..\\b"):
        expect_error(ask("/get-download-url", escape, token("alice")), 400, "bad_request")


def start_failure(*args, env=None):
    p = subprocess.run([PRESIGN, "serve", "--data-dir", os.path.join(WORK, "never"), "--api-listen", "127.0.0.1:0",
                        "--s3-listen", "127.0.0.1:0", *args], capture_output=True, text=True, timeout=20,
                       env=clean_env(env))
    return p.returncode, p.stdout + p.stderr


@test
def bad_key_files_and_missing_keys_stop_the_start():
    code, out = start_failure("--auth", "jwt")
    assert code == 2 and "needs [serve.jwt]" in out, (code, out)
    bad_jwks = write("bad-jwks.json", json.dumps({"keys": [jwks()["keys"][0], {"kty": "OKP", "crv": "Ed25519"}]}))
    code, out = start_failure("--auth", "jwt", "--config", write("bad.toml", f'[serve.jwt]\njwks_file = "{bad_jwks}"\n'))
    assert code == 2 and "keys[1]" in out and "OKP" in out, (code, out)
    short = write("short-secret", "too-short\n")
    code, out = start_failure("--auth", "jwt", "--config", write("short.toml", f'[serve.jwt]\nhs256_secret_file = "{short}"\n'))
    assert code == 2 and "at least 32 bytes" in out and "too-short" not in out, (code, out)
    code, out = start_failure("--config", write("typo.toml", '[serve.jwt]\nhs256_secret = "inline"\n'))
    assert code == 2 and "serve.jwt.hs256_secret: unknown setting" in out, (code, out)


@test
def print_config_shows_the_jwt_settings_without_the_secret():
    out = subprocess.run([PRESIGN, "serve", "--config", CONFIG, "--auth", "jwt", "--print-config"],
                         capture_output=True, text=True, timeout=20, check=True, env=clean_env()).stdout
    assert 'auth = "jwt"' in out and JWKS_FILE in out and f'audience "{AUDIENCE}"' in out, out
    assert SECRET.decode() not in out, out


try:
    RUN.finish(SERVE)
finally:
    shutil.rmtree(WORK, ignore_errors=True)
