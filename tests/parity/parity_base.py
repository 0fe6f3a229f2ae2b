"""Shared pieces: constants, helpers, botocore with a frozen clock, cases and the random draw.

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
