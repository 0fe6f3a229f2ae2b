#!/usr/bin/env python3
"""Differential test: one table of presigned requests, valid and invalid, presigned URLs and POST
forms, each built the same way for two servers, a real Ceph RADOS Gateway (tests/rgw/rgw-up) and
presign's embedded store, and sent to both. Both must give the same verdict: accept (2xx) or
reject (4xx). The embedded store must answer exactly what AWS S3 answers (status and code);
where RGW's answer differs from AWS's, the row says what RGW answers and why, so a change on
either side shows up here. URLs and forms are signed by `presign url` / `presign post` (the
code presign serve signs with), except the few requests that presign refuses to sign.

Usage: differential_test.py /path/to/presign. Prints the table, then 'N passed, M failed'."""
import base64
import datetime
import hashlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from rgw_harness import Rgw, Runner, Store

PRESIGN = sys.argv[1]
RUN = Runner()
WORK = tempfile.mkdtemp(prefix="presign-rgw-differential-")
BUCKET = "differential"
EXISTING = b"an object both servers hold"


@dataclass
class Target:
    """A server the table is sent to: its URL, the bucket owner's keys, and a user's keys with
    no access to the bucket."""
    name: str
    url: str
    access: str
    secret: str
    other_access: str
    other_secret: str


RGW = Rgw()
STORE = Store(PRESIGN, prefix="presign-rgw-differential-store-", config=(
    '[[store.users]]\nname = "other"\naccess_key = "OTHERUSERKEY01"\nsecret_key = "other-user-secret-01"\n'
    '[[store.users.grants]]\nbucket = "elsewhere"\nactions = ["get"]\n'))
TARGETS = [
    Target("rgw", RGW.endpoint, RGW.access_key, RGW.secret_key, RGW.other_access_key, RGW.other_secret_key),
    Target("store", STORE.url, "TESTACCESSKEY", "test/secret+key", "OTHERUSERKEY01", "other-user-secret-01"),
]
for client in (RGW.client(), STORE.client()):
    client.create_bucket(Bucket=BUCKET)
    client.put_object(Bucket=BUCKET, Key="existing.txt", Body=EXISTING, ContentType="text/plain")


def stamp(offset_seconds=0):
    """A signing time `offset_seconds` from now, as presign's --date takes it."""
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return when.strftime("%Y%m%dT%H%M%SZ")


def cli(target, *args, other=False):
    """`presign ARGS --endpoint TARGET` with the owner's (or the other user's) keys; stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRESIGN_"))}
    env.update(HOME=WORK, AWS_ACCESS_KEY_ID=target.other_access if other else target.access,
               AWS_SECRET_ACCESS_KEY=target.other_secret if other else target.secret)
    return subprocess.run([PRESIGN, *args, "--endpoint", target.url], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def url(target, key, method="GET", *extra, other=False):
    return cli(target, "url", f"s3://{BUCKET}/{key}", "-X", method, "--expires", "300", *extra, other=other)


def form(target, key, *extra):
    return json.loads(cli(target, "post", f"s3://{BUCKET}/{key}", "--expires", "300", *extra))


# --- requests: what a case builds, and how it is sent -----------------------------------------

@dataclass
class Request:
    method: str
    url: str
    headers: dict
    body: bytes = b""


@dataclass
class Form:
    url: str
    fields: dict
    file: bytes


def send(request):
    """(status, S3 error code or None, body)."""
    if isinstance(request, Form):
        path = os.path.join(WORK, "form-file")
        with open(path, "wb") as f:
            f.write(request.file)
        args = []
        for name, value in request.fields.items():
            args += ["--form-string", f"{name}={value}"]
        out = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "--max-time", "30", *args,
                              "--form", f"file=@{path}", request.url], capture_output=True, check=True).stdout
        body, _, status = out.rpartition(b"\n")
        status = int(status)
    else:
        parts = urllib.parse.urlsplit(request.url)
        conn = http.client.HTTPConnection(parts.netloc, timeout=30)
        try:
            conn.request(request.method, parts.path + ("?" + parts.query if parts.query else ""),
                         body=request.body, headers=request.headers)
            reply = conn.getresponse()
            status, body = reply.status, reply.read()
        finally:
            conn.close()
    start, end = body.find(b"<Code>"), body.find(b"</Code>")
    return status, (body[start + 6:end].decode() if 0 <= start < end else None), body


def with_query(u, **changes):
    """`u` with query parameters replaced or added (values given unencoded)."""
    parts = urllib.parse.urlsplit(u)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    query.update(changes)
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, quote_via=urllib.parse.quote)))


def flip(text):
    """`text` with its last character changed (a signature's last hex digit)."""
    return text[:-1] + ("0" if text[-1] != "0" else "1")


def botocore_url(target, key, expires):
    """A presigned GET signed by botocore (presign itself refuses expiries over 7 days)."""
    req = AWSRequest(method="GET", url=f"{target.url}/{BUCKET}/{key}")
    botocore.auth.S3SigV4QueryAuth(Credentials(target.access, target.secret), "s3", "us-east-1",
                                   expires=expires).add_auth(req)
    return req.url


def header_signed_without_payload_hash(target, key):
    """GET with SigV4 header auth but no x-amz-content-sha256 header (plain SigV4, not S3's)."""
    req = AWSRequest(method="GET", url=f"{target.url}/{BUCKET}/{key}")
    botocore.auth.SigV4Auth(Credentials(target.access, target.secret), "s3", "us-east-1").add_auth(req)
    return Request("GET", req.url, dict(req.headers.items()))


# --- the table --------------------------------------------------------------------------------

@dataclass
class Case:
    """`build(target)` makes the request. `aws`: AWS S3's answer (status, code; code None for a
    success), which the embedded store must give. `rgw`: RGW's answer where it differs from
    AWS's, with `why`. `same_verdict` False marks RGW accepting what AWS refuses (or the
    reverse): a known divergence, documented in docs/deploy.md."""
    name: str
    build: object
    aws: tuple
    rgw: tuple = None
    why: str = ""
    same_verdict: bool = True


def key_of(target, case_name):
    return f"{case_name}-{target.name}.bin"


CASES = [
    # Presigned URLs
    Case("get", lambda t: Request("GET", url(t, "existing.txt"), {}), (200, None)),
    Case("get_missing_key", lambda t: Request("GET", url(t, "missing.txt"), {}), (404, "NoSuchKey")),
    Case("put_with_signed_content_type", lambda t: Request(
        "PUT", url(t, "put.txt", "PUT", "-H", "Content-Type: text/plain"), {"Content-Type": "text/plain"}, b"put"),
        (200, None)),
    Case("delete", lambda t: Request("DELETE", url(t, "to-delete.txt", "DELETE"), {}), (204, None)),
    Case("get_with_response_content_disposition", lambda t: Request(
        "GET", url(t, "existing.txt", "GET", "-q", 'response-content-disposition=attachment; filename="x.txt"'), {}),
        (200, None)),
    Case("get_sigv2", lambda t: Request("GET", url(t, "existing.txt", "GET", "--sigv2"), {}), (200, None)),
    Case("get_tampered_signature", lambda t: Request("GET", flip(url(t, "existing.txt")), {}),
         (403, "SignatureDoesNotMatch")),
    Case("get_expired", lambda t: Request("GET", url(t, "existing.txt", "GET", "--date", stamp(-3600)), {}),
         (403, "AccessDenied")),
    Case("get_signed_in_the_future", lambda t: Request(
        "GET", url(t, "existing.txt", "GET", "--date", stamp(3600)), {}), (403, "AccessDenied"),
        rgw=(200, None), same_verdict=False,
        why="RGW checks only the end of a URL's validity, so a URL dated an hour ahead works at "
            "once; AWS answers AccessDenied 'Request is not valid yet'"),
    Case("get_expires_over_seven_days", lambda t: Request("GET", botocore_url(t, "existing.txt", 604801), {}),
         (400, "AuthorizationQueryParametersError"), rgw=(403, "AccessDenied"),
         why="RGW refuses an X-Amz-Expires over 604800 as AccessDenied; AWS as a malformed query (400)"),
    Case("get_signed_for_another_region", lambda t: Request(
        "GET", url(t, "existing.txt", "GET", "--region", "eu-west-1"), {}),
        (400, "AuthorizationQueryParametersError"), rgw=(200, None), same_verdict=False,
        why="RGW does not check the region in the credential scope (it verifies the signature over "
            "the scope the client sent); AWS refuses a scope naming another region"),
    Case("put_to_a_get_url", lambda t: Request("PUT", url(t, "method.txt"), {}, b"smuggled"),
         (403, "SignatureDoesNotMatch")),
    Case("put_with_another_content_type", lambda t: Request(
        "PUT", url(t, "typed.txt", "PUT", "-H", "Content-Type: text/plain"), {"Content-Type": "text/html"},
        b"<script>"), (403, "SignatureDoesNotMatch")),
    Case("put_longer_than_the_signed_content_length", lambda t: Request(
        "PUT", url(t, "sized.txt", "PUT", "-H", "Content-Length: 5"), {}, b"hello!"),
        (403, "SignatureDoesNotMatch")),
    Case("get_with_an_added_query_parameter", lambda t: Request(
        "GET", url(t, "existing.txt") + "&x-added=1", {}), (403, "SignatureDoesNotMatch")),
    Case("get_with_a_changed_response_override", lambda t: Request(
        "GET", with_query(url(t, "existing.txt", "GET", "-q", "response-content-type=text/plain"),
                          **{"response-content-type": "text/html"}), {}), (403, "SignatureDoesNotMatch")),
    Case("get_with_an_unknown_access_key", lambda t: Request(
        "GET", url(t, "existing.txt").replace(t.access, "NOSUCHACCESSKEY0"), {}), (403, "InvalidAccessKeyId")),
    Case("get_by_a_user_without_access", lambda t: Request("GET", url(t, "existing.txt", other=True), {}),
         (403, "AccessDenied")),
    Case("put_part_of_an_unknown_upload", lambda t: Request(
        "PUT", url(t, "parts.bin", "PUT", "-q", "partNumber=1", "-q", "uploadId=no-such-upload"), {}, b"part"),
        (404, "NoSuchUpload")),
    Case("header_auth_without_x_amz_content_sha256", lambda t: header_signed_without_payload_hash(t, "existing.txt"),
         (400, "InvalidRequest"), rgw=(403, "SignatureDoesNotMatch"),
         why="RGW requires x-amz-content-sha256 of header-signed requests but reports its absence as a "
             "signature mismatch; AWS names the missing header"),
    # POST forms
    Case("form", lambda t: Form(**form(t, "uploads/form.txt"), file=b"form"), (204, None)),
    Case("form_with_success_action_status_201", lambda t: Form(
        **form(t, "uploads/created.txt", "--field", "success_action_status=201"), file=b"created"), (201, None)),
    Case("form_with_a_key_under_the_signed_prefix", lambda t: Form(
        **patched(form(t, "uploads/${filename}"), key="uploads/chosen.txt"), file=b"x"), (204, None)),
    Case("form_with_a_key_outside_the_signed_prefix", lambda t: Form(
        **patched(form(t, "uploads/${filename}"), key="elsewhere/chosen.txt"), file=b"x"), (403, "AccessDenied")),
    Case("form_over_the_content_length_range", lambda t: Form(
        **form(t, "uploads/big.bin", "--max-size", "10"), file=b"x" * 11), (400, "EntityTooLarge")),
    Case("form_under_the_content_length_range", lambda t: Form(
        **form(t, "uploads/small.bin", "--min-size", "5", "--max-size", "10"), file=b"x" * 4), (400, "EntityTooSmall")),
    Case("form_with_a_content_type_not_allowed", lambda t: Form(
        **patched(form(t, "uploads/typed.png", "--content-type", "image/png"), **{"Content-Type": "text/html"}),
        file=b"<script>"), (403, "AccessDenied")),
    Case("form_with_an_acl_other_than_the_signed_one", lambda t: Form(
        **patched(form(t, "uploads/acl.txt", "--field", "acl=private"), acl="public-read"), file=b"x"),
        (403, "AccessDenied")),
    Case("form_expired", lambda t: Form(**form(t, "uploads/late.txt", "--date", stamp(-3600)), file=b"late"),
         (403, "AccessDenied")),
    Case("form_with_a_tampered_signature", lambda t: Form(
        **patched(f := form(t, "uploads/sig.txt"), **{"x-amz-signature": flip(f["fields"]["x-amz-signature"])}),
        file=b"x"), (403, "SignatureDoesNotMatch"), rgw=(403, "AccessDenied"),
        why="RGW reports every failed form check, the signature included, as AccessDenied"),
    Case("form_with_a_tampered_policy", lambda t: Form(**tampered_policy(form(t, "uploads/policy.bin",
                                                                              "--max-size", "10")),
                                                       file=b"x" * 100), (403, "SignatureDoesNotMatch"),
         rgw=(403, "AccessDenied"), why="as above: RGW answers AccessDenied for a form whose signature fails"),
    Case("form_with_a_field_the_policy_does_not_cover", lambda t: Form(
        **patched(form(t, "uploads/extra.txt"), **{"x-amz-meta-extra": "not in the policy"}), file=b"x"),
        (403, "AccessDenied")),
    Case("form_without_policy_or_signature", lambda t: Form(
        f"{t.url}/{BUCKET}", {"key": "uploads/anonymous.txt"}, b"x"), (403, "AccessDenied")),
]


def patched(offer, **fields):
    """An offer with form fields replaced or added."""
    return {"url": offer["url"], "fields": {**offer["fields"], **fields}}


def tampered_policy(offer):
    """The offer with its policy's content-length-range widened, the signature left as it was."""
    doc = json.loads(base64.b64decode(offer["fields"]["policy"]))
    doc["conditions"] = [["content-length-range", 0, 1000] if isinstance(c, list) and c[0] == "content-length-range"
                         else c for c in doc["conditions"]]
    return patched(offer, policy=base64.b64encode(json.dumps(doc).encode()).decode())


def verdict(status):
    return "accept" if 200 <= status < 300 else "reject" if 400 <= status < 500 else f"unexpected {status}"


ROWS = []


def run_case(case):
    def check():
        answers = {}
        for target in TARGETS:
            status, code, body = send(case.build(target))
            answers[target.name] = (status, code)
            if status >= 500:
                raise AssertionError(f"{target.name}: {status} {body[:300]!r}")
        ROWS.append((case, answers))
        store, rgw = answers["store"], answers["rgw"]
        assert store == case.aws, f"the embedded store answered {store}, AWS answers {case.aws}"
        assert rgw == (case.rgw or case.aws), f"RGW answered {rgw}, the table says {case.rgw or case.aws}"
        same = verdict(store[0]) == verdict(rgw[0])
        assert same == case.same_verdict, f"verdicts: store {verdict(store[0])}, RGW {verdict(rgw[0])}"
        assert (case.rgw is None) == (not case.why), "a row where RGW differs needs its reason"
    check.__name__ = case.name
    RUN.test(check)


for case in CASES:
    run_case(case)


@RUN.test
def every_refused_upload_left_nothing_behind():
    for client in (RGW.client(), STORE.client()):
        keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))
        assert keys == ["existing.txt", "put.txt", "uploads/chosen.txt", "uploads/created.txt", "uploads/form.txt"], keys


def fmt(answer):
    return f"{answer[0]} {answer[1] or ''}".strip()


print(f"{'case':48} {'AWS (and the store)':36} RGW")
for case, answers in ROWS:
    note = "" if case.rgw is None else ("  <- differs" + ("; other verdict" if not case.same_verdict else ""))
    print(f"{case.name:48} {fmt(answers['store']):36} {fmt(answers['rgw'])}{note}")
print(f"rgw-up took {RGW.startup_seconds:.1f} s")
RUN.finish(STORE)
