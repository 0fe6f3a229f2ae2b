"""S3 operations: botocore parameters and the presign flags that express them.

Part of the botocore parity test; see botocore_parity.py.
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
from parity_base import *  # noqa: F401,F403 (one test, split by topic)


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
