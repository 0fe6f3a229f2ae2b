#!/usr/bin/env python3
"""Parity of the `presign` CLI with botocore, on deterministic random cases.

Usage: botocore_parity.py PATH/TO/presign [--seed N] [--only KIND] [--verbose]

Each case is drawn from a seeded RNG. botocore, with its clock frozen at the case's signing
time, produces the expected URL or POST form; `presign` runs as a subprocess with the
equivalent flags; the two are compared:

  v4-url    scheme, host and path; the decoded query parameters as a set; X-Amz-Signature;
            and the whole URL string (presign promises botocore's exact output)
  v4-post   the policy document byte for byte; x-amz-signature against an HMAC computed here
            and against boto3's; url; fields
  v2-url    scheme, host and path; the decoded query parameters (Signature, Expires, ...)
  v2-post   policy byte for byte; signature against an HMAC-SHA1 computed here; url; fields
  negative  out-of-range expiries exit with status 2 and one line on stderr

Addressing: presign's default on AWS is virtual-hosted with a path-style fallback, which is
botocore's addressing_style 'virtual' (botocore's 'auto' keeps the legacy global host); on a
custom endpoint presign's default is botocore's 'auto' (path-style).

The last line printed is "N passed, M failed"; the exit status is 0 only when nothing failed.
"""
import argparse
import base64
import calendar
import concurrent.futures
import contextlib
import dataclasses
import datetime
import email.utils
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from typing import Callable, Optional
from unittest import mock
from urllib.parse import quote, unquote, urlsplit

MAX_EXPIRES = 604800
AWS_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-3",
               "eu-central-1", "eu-north-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1",
               "sa-east-1", "ca-central-1", "af-south-1", "me-south-1", "il-central-1",
               "cn-north-1", "cn-northwest-1", "us-gov-west-1"]
# Endpoints that can take a bucket label in front of the host (virtual-hosted).
NAMED_ENDPOINTS = ["http://localhost:9000", "https://s3.example.com:8443", "https://minio.local",
                   "http://rgw.internal:7480", "https://storage.example.org/"]
IP_ENDPOINTS = ["http://127.0.0.1:9000", "http://10.0.0.5", "https://192.168.1.20:9443"]
KEY_PIECES = ["photos", "2024", "a b", "x  y", "x+y", "100%", "%41", "wow!", "star*", "it's",
              "(1)", "~tilde", "a=b", "q&a", "why?", "#hash", "a,b", "semi;colon", "c:d",
              "user@host", "$dollar", "café", "é", "日本", "日本語のファイル.txt", "😀", "Ωmega",
              "naïve résumé.pdf", "..", ".", "", "UPPER.TXT", "-_.", "[br]", "{br}", "^caret",
              "`tick`", "|pipe", "back\\slash", '"quote"', "<lt>", "file.tar.gz", "ü/ö"]
TRICKY = ["abc", "a b", "a  b", "x/y+z=", "é日本😀", "!*'()~", "%20", "&=?#", "a,b;c:d@e$f",
          "plain-value_1.2", "<xml>&amp;", "[1]{2}|^`"]


def utc_epoch(when: datetime.datetime) -> int:
    return calendar.timegm(when.timetuple())


def rfc822(when: datetime.datetime) -> str:
    return email.utils.formatdate(utc_epoch(when), usegmt=True)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def split_query(query: str) -> list:
    """name=value pairs percent-decoded (not '+' to space: S3 URLs encode spaces as %20)."""
    if not query:
        return []
    pairs = []
    for part in query.split("&"):
        name, _, value = part.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


def sigv4_signing_key(secret: str, date: str, region: str) -> bytes:
    """kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), "s3"), "aws4_request")."""
    key = ("AWS4" + secret).encode()
    for part in (date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


# --------------------------------------------------------------------------------------------
# Signing settings shared by every kind of case


@dataclasses.dataclass(frozen=True)
class Creds:
    access_key: str
    secret_key: str
    token: Optional[str] = None


@dataclasses.dataclass
class Signing:
    creds: Creds
    region: str
    when: datetime.datetime  # naive UTC
    expires: int
    endpoint: Optional[str] = None
    style: str = "auto"  # presign's: auto, path, virtual
    sigv2: bool = False
    creds_from_env: bool = True
    region_env: Optional[str] = None  # AWS_REGION or AWS_DEFAULT_REGION instead of --region

    def presign_args(self) -> tuple:
        args = ["--date", self.when.strftime("%Y%m%dT%H%M%SZ"), "--expires", str(self.expires)]
        env = {}
        if self.region_env:
            env[self.region_env] = self.region
        else:
            args += ["--region", self.region]
        if self.endpoint:
            args += ["--endpoint", self.endpoint]
        if self.style == "path":
            args.append("--path-style")
        elif self.style == "virtual":
            args.append("--virtual-hosted")
        if self.sigv2:
            args.append("--sigv2")
        c = self.creds
        if self.creds_from_env:
            env.update(AWS_ACCESS_KEY_ID=c.access_key, AWS_SECRET_ACCESS_KEY=c.secret_key)
            if c.token:
                env["AWS_SESSION_TOKEN"] = c.token
        else:
            args += ["--access-key", c.access_key, "--secret-key", c.secret_key]
            if c.token:
                args += ["--session-token", c.token]
        return args, env

    def botocore_style(self) -> str:
        if self.style != "auto":
            return self.style
        return "auto" if self.endpoint else "virtual"


class Botocore:
    """botocore clients (cached per configuration) and a clock frozen per call."""

    def __init__(self):
        import boto3
        from botocore.config import Config
        self._session = boto3.session.Session()
        self._config = Config
        self._clients = {}

    def client(self, s: Signing):
        key = (s.region, s.endpoint, s.botocore_style(), s.sigv2, s.creds)
        if key not in self._clients:
            config = self._config(signature_version="s3" if s.sigv2 else "s3v4",
                                  s3={"addressing_style": s.botocore_style()})
            self._clients[key] = self._session.client(
                "s3", region_name=s.region, endpoint_url=s.endpoint, config=config,
                aws_access_key_id=s.creds.access_key, aws_secret_access_key=s.creds.secret_key,
                aws_session_token=s.creds.token)
        return self._clients[key]

    @staticmethod
    @contextlib.contextmanager
    def frozen(when: datetime.datetime):
        """SigV4 reads get_current_datetime(); SigV2 query auth reads time.time()."""
        now = lambda *args, **kwargs: when  # noqa: E731
        with mock.patch("botocore.auth.get_current_datetime", now), \
                mock.patch("botocore.signers.get_current_datetime", now), \
                mock.patch("botocore.auth.time.time", lambda: float(utc_epoch(when))):
            yield

    def presigned_url(self, s: Signing, op: str, params: dict) -> str:
        client = self.client(s)
        with self.frozen(s.when):
            return client.generate_presigned_url(op, Params=params, ExpiresIn=s.expires)

    def presigned_post(self, s: Signing, bucket, key, fields, conditions) -> dict:
        client = self.client(s)
        with self.frozen(s.when):
            return client.generate_presigned_post(bucket, key, Fields=dict(fields),
                                                  Conditions=list(conditions),
                                                  ExpiresIn=s.expires)


@dataclasses.dataclass
class Case:
    kind: str
    name: str
    argv: list
    env: dict
    check: Callable  # (case, completed_process) -> list of problems
    expect: object = None
    info: dict = dataclasses.field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Random inputs


class Draw:
    """Deterministic random inputs."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.creds = self._credential_pool()

    def _credential_pool(self) -> list:
        r = self.r
        pool = [Creds("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
        for i in range(7):
            ak = ("ASIA" if i % 2 else "AKIA") + "".join(
                r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
            sk = b64(r.randbytes(30))
            token = b64(r.randbytes(r.randint(40, 300))) if i % 2 else None
            pool.append(Creds(ak, sk, token))
        return pool

    def when(self) -> datetime.datetime:
        fixed = [datetime.datetime(2013, 5, 24), datetime.datetime(2024, 2, 29, 23, 59, 59),
                 datetime.datetime(1999, 12, 31, 23, 30), datetime.datetime(2038, 1, 19, 3, 14, 8)]
        if self.r.random() < 0.15:
            return self.r.choice(fixed)
        start = utc_epoch(datetime.datetime(1995, 1, 1))
        end = utc_epoch(datetime.datetime(2099, 12, 1))
        seconds = self.r.randint(start, end)
        return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)

    def expires(self) -> int:
        if self.r.random() < 0.5:
            return self.r.choice([1, 2, 59, 60, 900, 3600, 86399, 86400, 604799, MAX_EXPIRES])
        return self.r.randint(1, MAX_EXPIRES)

    def dns_bucket(self) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        n = self.r.choice([3, 4, 8, 12, 20, 63])
        inner = "".join(self.r.choice(alphabet + "-") for _ in range(n - 2))
        return self.r.choice(alphabet) + inner + self.r.choice(alphabet)

    def bucket(self, virtual_ok_only: bool) -> str:
        if virtual_ok_only or self.r.random() < 0.6:
            return self.r.choice(["examplebucket", "my-bucket", "b00", self.dns_bucket()])
        return self.r.choice(["my.bucket", "logs.example.com", "My-Bucket", "under_score", "ab",
                              "bucket-", "192.168.1.1", "a" * 64, "UPPER", "x..y"])

    def key(self) -> str:
        r = self.r
        parts = [r.choice(KEY_PIECES) for _ in range(r.randint(1, 4))]
        key = "/".join(parts)
        key = r.choice(["", "", "", "/", "//", "../", "./"]) + key
        if r.random() < 0.1:
            key += "/"
        return key if key.strip("/.") else "k" + key

    def signing(self, sigv2=False, allow_endpoint=True) -> Signing:
        r = self.r
        s = Signing(creds=r.choice(self.creds), region=r.choice(AWS_REGIONS), when=self.when(),
                    expires=self.expires(), sigv2=sigv2, creds_from_env=r.random() < 0.6,
                    region_env=r.choice([None] * 10 + ["AWS_REGION", "AWS_DEFAULT_REGION"]))
        roll = r.random()
        if allow_endpoint and roll < 0.3:
            s.endpoint = r.choice(NAMED_ENDPOINTS + IP_ENDPOINTS)
            s.region = r.choice(["us-east-1", "eu-west-1", "garage", "us-west-2"])
            s.style = r.choice(["auto", "auto", "path", "virtual"])
            if s.endpoint in IP_ENDPOINTS and s.style == "virtual":
                s.style = "path"
        else:
            s.style = r.choice(["auto", "auto", "auto", "path", "virtual"])
        return s

    def pick(self, items):
        return self.r.choice(items)


# --------------------------------------------------------------------------------------------
# botocore operations: parameters, and the wire form each one takes


def iso8601(when: datetime.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def wire(param: str, value, placement=None) -> list:
    """(where, name, value) triples botocore sends for one operation parameter."""
    if param == "Metadata":
        return [("h", "x-amz-meta-" + k, v) for k, v in value.items()]
    if param == "SSECustomerKey":
        raw = value.encode()
        return [("h", "x-amz-server-side-encryption-customer-key", b64(raw)),
                ("h", "x-amz-server-side-encryption-customer-key-MD5",
                 b64(hashlib.md5(raw).digest()))]
    if param == "CopySource":
        text = quote(f"{value['Bucket']}/{value['Key']}", safe="-._~/")
        if "VersionId" in value:
            text += "?versionId=" + value["VersionId"]
        return [("h", "x-amz-copy-source", text)]
    where, name = (placement or {}).get(param, PARAMS[param][:2])
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime.datetime):
        text = iso8601(value) if param == "ObjectLockRetainUntilDate" else rfc822(value)
    elif isinstance(value, list):
        text = ",".join(value)
    else:
        text = str(value)
    return [(where, name, text)]


def _date(d):
    return d.when().replace(microsecond=0)


# param -> (where, wire name, generator(draw))
PARAMS = {
    "VersionId": ("q", "versionId", lambda d: d.pick(
        ["null", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo", "v1.2_3-x",
         b64(d.r.randbytes(24))])),
    "PartNumber": ("q", "partNumber", lambda d: d.r.randint(1, 10000)),
    "UploadId": ("q", "uploadId", lambda d: b64(d.r.randbytes(d.r.randint(8, 60)))),
    "ResponseCacheControl": ("q", "response-cache-control", lambda d: d.pick(
        ["no-cache", "max-age=60, public", "private,  max-age=0"])),
    "ResponseContentDisposition": ("q", "response-content-disposition", lambda d: d.pick(
        ['attachment; filename="x y.txt"', "inline", "attachment; filename*=UTF-8''%E6%97%A5.txt",
         'attachment; filename="日本.txt"', "attachment; filename=a+b&c=d.txt"])),
    "ResponseContentEncoding": ("q", "response-content-encoding", lambda d: d.pick(["gzip", "br"])),
    "ResponseContentLanguage": ("q", "response-content-language",
                                lambda d: d.pick(["en-US", "de"])),
    "ResponseContentType": ("q", "response-content-type", lambda d: d.pick(
        ["text/plain; charset=utf-8", "image/png", "application/octet-stream"])),
    "ResponseExpires": ("q", "response-expires", _date),
    "Prefix": ("q", "prefix", lambda d: d.pick(TRICKY + ["photos/2024/", ""])),
    "Delimiter": ("q", "delimiter", lambda d: d.pick(["/", "|", "%"])),
    "MaxKeys": ("q", "max-keys", lambda d: d.r.randint(0, 1000)),
    "MaxParts": ("q", "max-parts", lambda d: d.r.randint(1, 1000)),
    "MaxUploads": ("q", "max-uploads", lambda d: d.r.randint(1, 1000)),
    "PartNumberMarker": ("q", "part-number-marker", lambda d: d.r.randint(0, 10000)),
    "ContinuationToken": ("q", "continuation-token", lambda d: b64(d.r.randbytes(33))),
    "StartAfter": ("q", "start-after", lambda d: d.key()),
    "Marker": ("q", "marker", lambda d: d.key()),
    "KeyMarker": ("q", "key-marker", lambda d: d.key()),
    "FetchOwner": ("q", "fetch-owner", lambda d: d.pick([True, False])),
    "EncodingType": ("q", "encoding-type", lambda d: "url"),
    "Range": ("h", "Range", lambda d: d.pick(["bytes=0-99", "bytes=100-", "bytes=-500"])),
    "IfMatch": ("h", "If-Match", lambda d: d.pick(['"0123456789abcdef"', 'W/"abc"', "*"])),
    "IfNoneMatch": ("h", "If-None-Match", lambda d: d.pick(['"0123456789abcdef"', "*"])),
    "IfModifiedSince": ("h", "If-Modified-Since", _date),
    "IfUnmodifiedSince": ("h", "If-Unmodified-Since", _date),
    "RequestPayer": ("h", "x-amz-request-payer", lambda d: "requester"),
    "ExpectedBucketOwner": ("h", "x-amz-expected-bucket-owner",
                            lambda d: str(d.r.randint(10**11, 10**12 - 1))),
    "SSECustomerAlgorithm": ("h", "x-amz-server-side-encryption-customer-algorithm",
                             lambda d: "AES256"),
    "SSECustomerKey": ("h", None,
                       lambda d: "".join(d.r.choice("abcdefXYZ0123") for _ in range(32))),
    "ACL": ("h", "x-amz-acl",
            lambda d: d.pick(["private", "public-read", "bucket-owner-full-control"])),
    "CacheControl": ("h", "Cache-Control",
                     lambda d: d.pick(["max-age=3600", "no-cache,  no-store"])),
    "ContentDisposition": ("h", "Content-Disposition", lambda d: d.pick(
        ['attachment; filename="a  b.txt"', "inline", "  attachment ;  x=1  "])),
    "ContentEncoding": ("h", "Content-Encoding", lambda d: d.pick(["gzip", "identity"])),
    "ContentLanguage": ("h", "Content-Language", lambda d: d.pick(["de-DE", "en, fr"])),
    "ContentLength": ("h", "Content-Length", lambda d: d.r.randint(0, 5 * 1024**3)),
    "ContentMD5": ("h", "Content-MD5", lambda d: b64(hashlib.md5(d.r.randbytes(9)).digest())),
    "ContentType": ("h", "Content-Type", lambda d: d.pick(
        ["image/png", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
         "multipart/form-data;  boundary=abc"])),
    "Expires": ("h", "Expires", _date),
    "Metadata": ("h", None, lambda d: {
        d.pick(["foo", "My-Key", "x_y", "a1", "Camel"]) + str(i): d.pick(
            ["bar", "  spaced   value ", "a,b", "tab\tvalue", "quote\"d", "x/y+z=", "1"])
        for i in range(d.r.randint(1, 3))}),
    "ServerSideEncryption": ("h", "x-amz-server-side-encryption",
                             lambda d: d.pick(["AES256", "aws:kms"])),
    "SSEKMSKeyId": ("h", "x-amz-server-side-encryption-aws-kms-key-id", lambda d: (
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")),
    "BucketKeyEnabled": ("h", "x-amz-server-side-encryption-bucket-key-enabled",
                         lambda d: d.pick([True, False])),
    "StorageClass": ("h", "x-amz-storage-class", lambda d: d.pick(["STANDARD_IA", "GLACIER_IR"])),
    "Tagging": ("h", "x-amz-tagging", lambda d: d.pick(["a=b&c=d", "project=x%20y", "k="])),
    "WebsiteRedirectLocation": ("h", "x-amz-website-redirect-location",
                                lambda d: d.pick(["/other/page.html",
                                                  "https://example.com/x?y=1"])),
    "GrantRead": ("h", "x-amz-grant-read", lambda d: d.pick(
        ['id="abc123"', 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'])),
    "GrantFullControl": ("h", "x-amz-grant-full-control", lambda d: 'emailAddress="x@example.com"'),
    "ObjectLockMode": ("h", "x-amz-object-lock-mode",
                       lambda d: d.pick(["GOVERNANCE", "COMPLIANCE"])),
    "ObjectLockRetainUntilDate": ("h", "x-amz-object-lock-retain-until-date", _date),
    "ObjectLockLegalHoldStatus": ("h", "x-amz-object-lock-legal-hold",
                                  lambda d: d.pick(["ON", "OFF"])),
    "MFA": ("h", "x-amz-mfa", lambda d: "arn:aws:iam::123456789012:mfa/user 123456"),
    "BypassGovernanceRetention": ("h", "x-amz-bypass-governance-retention", lambda d: True),
    "MetadataDirective": ("h", "x-amz-metadata-directive", lambda d: d.pick(["COPY", "REPLACE"])),
    "CopySourceIfMatch": ("h", "x-amz-copy-source-if-match", lambda d: '"etag"'),
    "CopySourceIfModifiedSince": ("h", "x-amz-copy-source-if-modified-since", _date),
    "CopySourceRange": ("h", "x-amz-copy-source-range", lambda d: "bytes=0-1048575"),
    "CopySource": ("h", None, lambda d: dict(
        {"Bucket": d.pick(["src-bucket", "src.bucket"]), "Key": d.key()},
        **({"VersionId": "v1"} if d.r.random() < 0.3 else {}))),
    "ObjectAttributes": ("h", "x-amz-object-attributes", lambda d: d.r.sample(
        ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"], d.r.randint(1, 3))),
}

GET_PARAMS = ["VersionId", "PartNumber", "ResponseCacheControl", "ResponseContentDisposition",
              "ResponseContentEncoding", "ResponseContentLanguage", "ResponseContentType",
              "ResponseExpires", "Range", "IfMatch", "IfNoneMatch", "IfModifiedSince",
              "IfUnmodifiedSince", "SSECustomerKey", "RequestPayer", "ExpectedBucketOwner"]
WRITE_PARAMS = ["ACL", "CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage",
                "ContentType", "Expires", "Metadata", "ServerSideEncryption", "SSEKMSKeyId",
                "BucketKeyEnabled", "StorageClass", "Tagging", "WebsiteRedirectLocation",
                "GrantRead", "GrantFullControl", "ObjectLockMode", "ObjectLockRetainUntilDate",
                "ObjectLockLegalHoldStatus", "SSECustomerKey", "RequestPayer",
                "ExpectedBucketOwner"]


@dataclasses.dataclass
class Op:
    name: str
    method: str
    params: list
    required: tuple = ()
    static_query: tuple = ()  # from the operation's request URI, e.g. ?uploads
    has_key: bool = True
    auto_encoding: bool = False  # botocore adds encoding-type=url unless given
    weight: int = 1
    placement: dict = dataclasses.field(default_factory=dict)  # param -> (where, name) here


OPS = [
    Op("get_object", "GET", GET_PARAMS, weight=6),
    Op("head_object", "HEAD", ["VersionId", "PartNumber", "Range", "IfMatch", "IfNoneMatch",
                               "IfModifiedSince", "SSECustomerKey", "RequestPayer"], weight=2),
    Op("put_object", "PUT", WRITE_PARAMS + ["ContentLength", "ContentMD5", "IfNoneMatch",
                                            "IfMatch"], weight=6),
    Op("delete_object", "DELETE", ["VersionId", "MFA", "RequestPayer", "BypassGovernanceRetention",
                                   "ExpectedBucketOwner", "IfMatch"], weight=2),
    Op("upload_part", "PUT", ["ContentLength", "ContentMD5", "SSECustomerKey", "RequestPayer"],
       required=("UploadId", "PartNumber"), weight=3),
    Op("create_multipart_upload", "POST", WRITE_PARAMS, static_query=(("uploads", ""),), weight=2),
    Op("complete_multipart_upload", "POST", ["RequestPayer", "ExpectedBucketOwner", "IfNoneMatch"],
       required=("UploadId",), weight=2),
    Op("abort_multipart_upload", "DELETE", ["RequestPayer", "ExpectedBucketOwner"],
       required=("UploadId",)),
    Op("list_parts", "GET", ["MaxParts", "PartNumberMarker", "RequestPayer"],
       required=("UploadId",)),
    Op("copy_object", "PUT", ["MetadataDirective", "CopySourceIfMatch", "CopySourceIfModifiedSince",
                              "ACL", "ContentType", "Metadata", "StorageClass"],
       required=("CopySource",)),
    Op("upload_part_copy", "PUT", ["CopySourceRange", "CopySourceIfMatch"],
       required=("CopySource", "UploadId", "PartNumber")),
    Op("get_object_tagging", "GET", ["VersionId", "ExpectedBucketOwner"],
       static_query=(("tagging", ""),)),
    Op("delete_object_tagging", "DELETE", ["VersionId"], static_query=(("tagging", ""),)),
    Op("get_object_acl", "GET", ["VersionId", "RequestPayer"], static_query=(("acl", ""),)),
    Op("get_object_attributes", "GET", ["VersionId", "MaxParts"], required=("ObjectAttributes",),
       static_query=(("attributes", ""),), placement={"MaxParts": ("h", "x-amz-max-parts")}),
    Op("list_objects_v2", "GET", ["Prefix", "Delimiter", "MaxKeys", "ContinuationToken",
                                  "StartAfter", "FetchOwner", "EncodingType", "RequestPayer"],
       static_query=(("list-type", "2"),), has_key=False, auto_encoding=True, weight=3),
    Op("list_objects", "GET", ["Prefix", "Delimiter", "MaxKeys", "Marker", "EncodingType"],
       has_key=False, auto_encoding=True),
    Op("list_object_versions", "GET", ["Prefix", "Delimiter", "MaxKeys", "KeyMarker"],
       static_query=(("versions", ""),), has_key=False, auto_encoding=True),
    Op("list_multipart_uploads", "GET", ["Prefix", "Delimiter", "MaxUploads", "KeyMarker"],
       static_query=(("uploads", ""),), has_key=False),
    Op("head_bucket", "HEAD", ["ExpectedBucketOwner"], has_key=False),
]

# SigV2 cases use the object operations whose parameters SigV2 signs or carries as-is.
V2_OPS = ["get_object", "head_object", "put_object", "delete_object", "upload_part",
          "create_multipart_upload", "complete_multipart_upload", "get_object_tagging",
          "get_object_acl", "list_objects_v2", "list_objects"]


def draw_operation(d: Draw, op: Op) -> dict:
    """Random botocore Params (without Bucket/Key) for `op`."""
    params = {}
    names = list(op.required) + [p for p in op.params if d.r.random() < 0.3]
    for name in names:
        if name == "SSECustomerKey":
            params["SSECustomerAlgorithm"] = "AES256"
        if name == "ObjectLockMode":
            params["ObjectLockRetainUntilDate"] = _date(d)
        params[name] = PARAMS[name][2](d)
    return params


def translate(op: Op, params: dict) -> tuple:
    """presign's -q and -H lists for a botocore operation call."""
    query = list(op.static_query)
    headers = []
    for name, value in params.items():
        for where, wname, text in wire(name, value, op.placement):
            (query if where == "q" else headers).append((wname, text))
    if op.auto_encoding and "EncodingType" not in params:
        query.append(("encoding-type", "url"))
    return query, headers


def order_like(query: list, url: str) -> list:
    """`query` in the order botocore put the same names into `url` (unknown names last)."""
    names = [n for n, _ in split_query(urlsplit(url).query)]
    return sorted(query, key=lambda q: names.index(q[0]) if q[0] in names else len(names))


# --------------------------------------------------------------------------------------------
# URL cases


def compare_urls(expected: str, actual: str, sig_param: str, exact: bool) -> list:
    problems = []
    e, a = urlsplit(expected), urlsplit(actual)
    for part in ("scheme", "netloc", "path"):
        if getattr(e, part) != getattr(a, part):
            problems.append(f"{part}: botocore {getattr(e, part)!r} presign {getattr(a, part)!r}")
    eq, aq = split_query(e.query), split_query(a.query)
    if len(dict(aq)) != len(aq):
        problems.append("presign repeats a query parameter")
    ed, ad = dict(eq), dict(aq)
    if ed.get(sig_param) != ad.get(sig_param):
        problems.append(f"{sig_param}: botocore {ed.get(sig_param)} presign {ad.get(sig_param)}")
    for name in sorted(set(ed) | set(ad)):
        if name != sig_param and ed.get(name) != ad.get(name):
            problems.append(f"query {name}: botocore {ed.get(name)!r} presign {ad.get(name)!r}")
    if exact and not problems and expected != actual:
        problems.append("same parameters, different URL text")
    return problems


def check_url(case: Case, proc) -> list:
    if proc.returncode != 0:
        return [f"exit {proc.returncode}: {proc.stderr.strip()}"]
    actual = proc.stdout.strip()
    case.info["presign"] = actual
    sig = "Signature" if case.kind == "v2-url" else "X-Amz-Signature"
    return compare_urls(case.expect, actual, sig, exact=case.kind == "v4-url")


def url_case(d: Draw, bc: Botocore, index: int, sigv2: bool) -> Case:
    op = d.pick([o for o in OPS for _ in range(o.weight) if not sigv2 or o.name in V2_OPS])
    s = d.signing(sigv2=sigv2)
    bucket = d.bucket(virtual_ok_only=s.style == "virtual" or s.endpoint is not None and
                      s.style == "auto" and d.r.random() < 0.5)
    key = d.key() if op.has_key else ""
    params = draw_operation(d, op)
    if sigv2 and "Metadata" in params:  # botocore's SigV2 query carries header values untrimmed
        params["Metadata"] = {k: v.strip() for k, v in params["Metadata"].items()}
    return make_url_case(bc, f"#{index}", op, s, bucket, key, params)


def make_url_case(bc: Botocore, label: str, op: Op, s: Signing, bucket: str, key: str,
                  params: dict) -> Case:
    call = dict(params, Bucket=bucket, **({"Key": key} if op.has_key else {}))
    expect = bc.presigned_url(s, op.name, call)
    query, headers = translate(op, params)
    args, env = s.presign_args()
    argv = ["url", f"s3://{bucket}/{key}", "-X", op.method] + args
    for name, value in order_like(query, expect):
        argv += ["-q", f"{name}={value}"]
    for name, value in headers:
        argv += ["-H", f"{name}: {value}"]
    kind = "v2-url" if s.sigv2 else "v4-url"
    return Case(kind, f"{kind}{label} {op.name}", argv, env, check_url, expect,
                {"params": call, "style": s.botocore_style(), "region": s.region,
                 "endpoint": s.endpoint})


def edge_url_cases(d: Draw, bc: Botocore) -> list:
    """Hand-picked: AWS's published query-auth example, endpoints written with their default
    port (botocore keeps the port in the URL and drops it from the Host header), and
    bucket-level calls in each style."""
    ops = {o.name: o for o in OPS}
    aws = Signing(d.creds[0], "us-east-1", datetime.datetime(2013, 5, 24), 86400)
    picks = [
        ("get_object", aws, "examplebucket", "test.txt", {}),
        ("get_object", dataclasses.replace(aws, endpoint="https://s3.example.com:443"), "bkt", "k",
         {}),
        ("put_object", dataclasses.replace(aws, endpoint="http://localhost:80"), "bkt", "a b", {}),
        ("list_objects_v2", dataclasses.replace(aws, style="path"), "bkt", "", {}),
        ("list_objects_v2", aws, "bkt", "", {}),
        ("list_objects_v2", dataclasses.replace(aws, sigv2=True), "bkt", "", {}),
        ("head_bucket", dataclasses.replace(aws, endpoint="http://127.0.0.1:9000"), "bkt", "", {}),
    ]
    return [make_url_case(bc, f"-edge#{i}", ops[op], s, bucket, key, params)
            for i, (op, s, bucket, key, params) in enumerate(picks)]


# --------------------------------------------------------------------------------------------
# POST cases

POST_FIELDS = ["acl", "success_action_status", "success_action_redirect", "Cache-Control",
               "Content-Disposition", "x-amz-meta-user", "x-amz-meta-Tag", "x-amz-storage-class",
               "x-amz-server-side-encryption", "tagging", "Expires", "x-amz-meta-note"]
POST_VALUES = ["public-read", "201", "https://example.com/done?x=1&y=2", "max-age=60",
               'attachment; filename="é.txt"', "日本", "😀 emoji", 'quote " and \\ backslash',
               "line\nbreak\ttab", "ctl\x01\x1f\x7f", "/slash/", "${filename}", "", "plain",
               "  padded  ", "<script>&amp;</script>"]
MAX_POST_BYTES = 5 * 1024**3  # presign's upper bound when only --min-size is given


def condition_name(cond) -> str:
    """The form field a condition constrains ('' for content-length-range)."""
    if isinstance(cond, dict):
        return next(iter(cond))
    return cond[1][1:] if cond[0] != "content-length-range" else ""


def draw_condition(d: Draw, fields: list):
    names = [n for n, _ in fields] + ["x-amz-meta-other", "Content-Type", "acl"]
    name = d.pick(names)
    if d.r.random() < 0.2:  # differently cased name: still names the field
        name = name.swapcase()
    roll = d.r.random()
    if roll < 0.4:
        return {name: d.pick(POST_VALUES)}
    if roll < 0.7:
        return ["starts-with", "$" + name, d.pick(POST_VALUES)]
    if roll < 0.85:
        return ["eq", "$" + name, d.pick(POST_VALUES)]
    if roll < 0.93:
        return ["starts-with", "$key", d.pick(["uploads/", "", "日本/"])]
    low = d.r.randint(0, 1000)
    return ["content-length-range", low, low + d.r.randint(0, 10**10)]


def condition_text(d: Draw, cond) -> str:
    compact = d.r.random() < 0.3
    return json.dumps(cond, ensure_ascii=d.r.random() < 0.5,
                      separators=(",", ":") if compact else (", ", ": "))


def post_case(d: Draw, bc: Botocore, index: int, sigv2: bool) -> Case:
    s = d.signing(sigv2=sigv2)
    bucket = d.bucket(virtual_ok_only=s.style == "virtual")
    key = d.key() + d.pick(["", "", "${filename}", "/${filename}"])
    fields = []
    for name in d.r.sample(POST_FIELDS, d.r.randint(0, 4)):
        fields.append((name, d.pick(POST_VALUES)))
    content_type = d.pick([None, None, "image/png", "text/plain; charset=utf-8"])
    conditions = [draw_condition(d, fields) for _ in range(d.r.randint(0, 3))]
    sizes = d.pick([None, None, (0, 1048576), (1, None), (None, 10), (5, 5)])

    args, env = s.presign_args()
    argv = ["post", f"s3://{bucket}/{key}"] + args
    policy_conditions = []
    if sizes:
        low, high = sizes
        policy_conditions.append(["content-length-range", low or 0,
                                  MAX_POST_BYTES if high is None else high])
        argv += (["--min-size", str(low)] if low is not None else [])
        argv += (["--max-size", str(high)] if high is not None else [])
    for cond in conditions:
        policy_conditions.append(cond)
        argv += ["--condition", condition_text(d, cond)]
    all_fields = ([("Content-Type", content_type)] if content_type else []) + fields
    named = {condition_name(c).lower() for c in conditions}
    policy_conditions += [{n: v} for n, v in all_fields if n.lower() not in named]
    if content_type:
        argv += ["--content-type", content_type]
    for name, value in fields:
        argv += ["--field", f"{name}={value}"]
    expect = bc.presigned_post(s, bucket, key, all_fields, policy_conditions)
    kind = "v2-post" if sigv2 else "v4-post"
    return Case(kind, f"{kind}#{index}", argv, env, check_post, expect,
                {"signing": s})


def check_post(case: Case, proc) -> list:
    if proc.returncode != 0:
        return [f"exit {proc.returncode}: {proc.stderr.strip()}"]
    problems = []
    try:
        actual = json.loads(proc.stdout, object_pairs_hook=_no_duplicates)
    except ValueError as e:
        return [f"output is not JSON ({e}): {proc.stdout!r}"]
    case.info["presign"] = actual
    expect, s = case.expect, case.info["signing"]
    ours, theirs = actual.get("fields", {}), expect["fields"]
    if actual.get("url") != expect["url"]:
        problems.append(f"url: botocore {expect['url']!r} presign {actual.get('url')!r}")
    ours_policy = base64.b64decode(ours.get("policy", ""))
    theirs_policy = base64.b64decode(theirs["policy"])
    if ours_policy != theirs_policy:
        problems.append(f"policy document differs:\n    botocore {theirs_policy!r}\n"
                        f"    presign  {ours_policy!r}")
    policy_b64 = ours.get("policy", "").encode()
    if s.sigv2:
        want = b64(hmac.new(s.creds.secret_key.encode(), policy_b64, hashlib.sha1).digest())
        sig_field = "signature"
    else:
        signing_key = sigv4_signing_key(s.creds.secret_key, s.when.strftime("%Y%m%d"), s.region)
        want = hmac.new(signing_key, policy_b64, hashlib.sha256).hexdigest()
        sig_field = "x-amz-signature"
    if ours.get(sig_field) != want:
        problems.append(f"{sig_field} {ours.get(sig_field)} != HMAC of its policy {want}")
    if ours_policy == theirs_policy and ours.get(sig_field) != theirs[sig_field]:
        problems.append(f"{sig_field}: botocore {theirs[sig_field]} presign {ours.get(sig_field)}")
    for name in sorted(set(ours) | set(theirs)):
        if name != "policy" and ours.get(name) != theirs.get(name):
            problems.append(f"field {name}: botocore {theirs.get(name)!r} "
                            f"presign {ours.get(name)!r}")
    return problems


def _no_duplicates(pairs):
    names = [n for n, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate member in {names}")
    return dict(pairs)


# --------------------------------------------------------------------------------------------
# Negative cases


def check_usage_error(case: Case, proc) -> list:
    problems = []
    if proc.returncode != 2:
        problems.append(f"exit {proc.returncode}, want 2")
    if proc.stdout:
        problems.append(f"stdout not empty: {proc.stdout!r}")
    if proc.stderr.count("\n") != 1 or not proc.stderr.endswith("\n"):
        problems.append(f"stderr is not one line: {proc.stderr!r}")
    return problems


def negative_cases(d: Draw) -> list:
    creds = d.creds[0]
    env = {"AWS_ACCESS_KEY_ID": creds.access_key, "AWS_SECRET_ACCESS_KEY": creds.secret_key}
    cases = []
    for command in ("url", "post"):
        for sigv2 in (False, True):
            for expires in ("0", "604801"):
                argv = [command, "s3://examplebucket/k", "--expires", expires,
                        "--date", "20130524T000000Z"] + (["--sigv2"] if sigv2 else [])
                name = f"negative {command}{' sigv2' if sigv2 else ''} --expires {expires}"
                cases.append(Case("negative", name, argv, env, check_usage_error))
    return cases


# --------------------------------------------------------------------------------------------
# Running


COUNTS = {"v4-url": 340, "v4-post": 60, "v2-url": 40, "v2-post": 15}


def build_cases(seed: int, bc: Botocore, only: Optional[str]) -> list:
    d = Draw(seed)
    makers = {"v4-url": lambda i: url_case(d, bc, i, sigv2=False),
              "v2-url": lambda i: url_case(d, bc, i, sigv2=True),
              "v4-post": lambda i: post_case(d, bc, i, sigv2=False),
              "v2-post": lambda i: post_case(d, bc, i, sigv2=True)}
    cases = []
    for kind, count in COUNTS.items():
        for i in range(count):
            try:
                case = makers[kind](i)
            except Exception as e:  # botocore refused the inputs: a bug in this script
                case = Case(kind, f"{kind}#{i}", [], {},
                            lambda c, p, e=e: [f"botocore raised {e!r}"])
            if only in (None, kind):
                cases.append(case)
    cases += [c for c in edge_url_cases(d, bc) if only in (None, c.kind)]
    if only in (None, "negative"):
        cases += negative_cases(d)
    return cases


def run_case(binary: str, case: Case) -> list:
    if not case.argv:
        return case.check(case, None)
    env = dict(os.environ, **case.env)
    try:
        proc = subprocess.run([binary] + case.argv, env=env, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return ["presign timed out"]
    proc.stdout = proc.stdout.decode("utf-8", "replace")
    proc.stderr = proc.stderr.decode("utf-8", "replace")
    return case.check(case, proc)


def isolate_environment(home: str) -> None:
    """Neither botocore nor presign may pick up the caller's AWS settings or files."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    os.environ["HOME"] = home
    os.environ["AWS_CONFIG_FILE"] = os.path.join(home, "missing-config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(home, "missing-credentials")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def report_failure(case: Case, problems: list) -> None:
    import shlex
    print(f"FAIL {case.name}")
    if case.env:
        print("  env:", " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(case.env.items())))
    if case.argv:
        print("  cmd: presign", shlex.join(case.argv))
    for name in ("params", "region", "endpoint", "style"):
        if name in case.info:
            print(f"  {name}: {case.info[name]!r}")
    if case.expect is not None:
        print(f"  botocore: {case.expect}")
    if "presign" in case.info:
        print(f"  presign:  {case.info['presign']}")
    for p in problems:
        print(f"  - {p}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presign", help="path to the presign binary")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--only", choices=list(COUNTS) + ["negative"])
    parser.add_argument("--verbose", action="store_true", help="print every case")
    args = parser.parse_args()
    binary = os.path.abspath(args.presign)
    if not os.access(binary, os.X_OK):
        print(f"not an executable: {binary}")
        print("0 passed, 1 failed")
        return 1

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="presign-parity-") as home:
        isolate_environment(home)
        cases = build_cases(args.seed, Botocore(), args.only)
        generated = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 4)) as pool:
            results = list(pool.map(lambda c: run_case(binary, c), cases))

    tally = {}
    for case, problems in zip(cases, results):
        ok = not problems
        tally.setdefault(case.kind, [0, 0])[0 if ok else 1] += 1
        if not ok:
            report_failure(case, problems)
        elif args.verbose:
            print(f"ok   {case.name}")
    for kind, (good, bad) in tally.items():
        print(f"{kind:9} {good:4} passed {bad:4} failed")
    print(f"botocore {generated - started:.1f}s, presign {time.monotonic() - generated:.1f}s, "
          f"seed {args.seed}")
    passed = sum(t[0] for t in tally.values())
    failed = sum(t[1] for t in tally.values())
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
