"""Checks, once before bench/run-api measures anything, that every API server does the job.

    python3 bench/api_check.py presign=http://127.0.0.1:P1 flask=http://127.0.0.1:P2 ...

For each server, in turn and with one filename: POST /get-upload-url, then upload a small body to the store with the form it
returned (multipart/form-data, fields first, the file last) and expect a 2xx; POST
/get-download-url for the same filename, GET that URL and expect the same bytes back; a body
that is not JSON must get a 400. Then compares the shapes of the answers: the URL without its
query, the query parameter names and the form field names (names compared case-insensitively).
The first server is the reference; a server whose shape differs is listed with the differences.

Prints one line per server and per difference. Exit status 1 if any server failed a check, or
if a server named in --same-shape (default: flask) differs from the reference.
"""

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


def post_json(base, route, body):
    req = urllib.request.Request(base + route, data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def multipart(fields, filename, content):
    """A multipart/form-data body: every field, then the file last, as S3 requires."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def fetch(url, data=None, content_type=None):
    headers = {"Content-Type": content_type} if content_type else {}
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def check(name, base, key):
    """(shape, problems) for one server; the shape is None when the answers were unusable."""
    problems = []
    body = json.dumps({"filename": key}).encode()
    status, raw = post_json(base, "/get-upload-url", body)
    try:
        upload = json.loads(raw) if status == 200 else None
        form_url, fields = upload["url"], upload["fields"]
    except (ValueError, TypeError, KeyError):
        return None, [f"/get-upload-url: status {status}, body {raw[:200]!r}"]
    content = f"uploaded through {name}'s form\n".encode()
    form, content_type = multipart(fields, key.rsplit("/", 1)[-1], content)
    status, raw = fetch(form_url, form, content_type)
    if not 200 <= status < 300:
        problems.append(f"upload with the form: status {status}, {raw[:300]!r}")

    status, raw = post_json(base, "/get-download-url", body)
    try:
        download = json.loads(raw) if status == 200 else None
        assert isinstance(download, str)
    except (ValueError, AssertionError):
        return None, problems + [f"/get-download-url: status {status}, body {raw[:200]!r}"]
    status, raw = fetch(download)
    if status != 200 or raw != content:
        problems.append(f"GET of the download URL: status {status}, {len(raw)} bytes, "
                        f"{'the uploaded bytes' if raw == content else 'not the uploaded bytes'}")

    status, _ = post_json(base, "/get-download-url", b'{"filename": ')
    if status != 400:
        problems.append(f"bad JSON: status {status}, expected 400")

    parsed = urllib.parse.urlsplit(download)
    shape = {
        "upload URL": form_url,
        "form fields": sorted(f.lower() for f in fields),
        "download URL without query": urllib.parse.urlunsplit(parsed._replace(query="")),
        "download query names": sorted(n.lower() for n, _ in
                                       urllib.parse.parse_qsl(parsed.query)),
    }
    return shape, problems


def describe(ref, other):
    """Lines naming how `other` differs from `ref`."""
    lines = []
    for item, want in ref.items():
        got = other[item]
        if got == want:
            continue
        if isinstance(want, list):
            extra = sorted(set(got) - set(want))
            missing = sorted(set(want) - set(got))
            lines.append(f"{item}: extra {extra or 'none'}, missing {missing or 'none'}")
        else:
            lines.append(f"{item}: {got} (reference: {want})")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("servers", nargs="+", help="NAME=BASE_URL; the first is the reference")
    parser.add_argument("--same-shape", default="flask",
                        help="comma-separated servers that must match the reference exactly")
    args = parser.parse_args()
    must_match = set(filter(None, args.same_shape.split(",")))

    failed = False
    reference = None
    key = f"check/{uuid.uuid4().hex[:12]}.txt"  # one key for all: each server overwrites it
    for spec in args.servers:
        name, _, base = spec.partition("=")
        shape, problems = check(name, base.rstrip("/"), key)
        for p in problems:
            print(f"{name}: FAILED: {p}")
        failed |= bool(problems) or shape is None
        if shape is None:
            continue
        if reference is None:
            reference = (name, shape)
            print(f"{name}: ok (upload form, download, 400 on bad JSON); reference shape: "
                  f"form fields {shape['form fields']}, "
                  f"query {shape['download query names']}")
            continue
        differences = describe(reference[1], shape)
        verdict = "same shape as" if not differences else "shape differs from"
        print(f"{name}: {'ok' if not problems else 'checks failed'}; {verdict} {reference[0]}")
        for line in differences:
            print(f"    {line}")
        if differences and name in must_match:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
