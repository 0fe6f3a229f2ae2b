"""The classic pair of presign serve as the Chalice + boto3 original wrote it, on Flask.

The Flask peer of bench/run-api:

    POST /get-upload-url   {"filename": F} -> {"url": ..., "fields": {...}}
                           boto3 generate_presigned_post(Bucket, Key)  (its default 3600 s)
    POST /get-download-url {"filename": F} -> "URL"
                           boto3 generate_presigned_url('get_object', Params={Bucket, Key},
                           ExpiresIn=60)

Bodies are written with json.dumps's default separators and boto3's key order: the byte layout
of presign's answers. Bad JSON or a missing filename is a
400 with presign's JSON error shape. Settings come from the environment:

    PEER_S3_ENDPOINT  the store, e.g. http://127.0.0.1:9000 (path-style URLs, us-east-1)
    PEER_BUCKET       the bucket (default: uploads)
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the store's credentials

Served by gunicorn (`gunicorn -w 2 -k sync flask_app:app`, with Debian's python3), or by
Flask's development server as a fallback: `PEER_LISTEN=127.0.0.1:0 python3 flask_app.py`.
"""

import json
import os

import boto3
from botocore.config import Config
from flask import Flask, Response, request

BUCKET = os.environ.get("PEER_BUCKET", "uploads")

# One client per process, made at import (gunicorn imports the app in each worker).
s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["PEER_S3_ENDPOINT"],
    region_name="us-east-1",
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
)

app = Flask(__name__)


def json_response(value, status=200):
    return Response(json.dumps(value), status=status, mimetype="application/json",
                    headers={"Cache-Control": "no-store"})


def error(status, code, message):
    return json_response({"error": {"code": code, "message": message}}, status)


def requested_filename():
    """The request's filename, or None when the body is not a JSON object with a non-empty
    string "filename"."""
    try:
        body = json.loads(request.get_data())
    except ValueError:  # bad JSON, or bytes that are not UTF-8
        return None
    filename = body.get("filename") if isinstance(body, dict) else None
    return filename if isinstance(filename, str) and filename else None


@app.route("/get-upload-url", methods=["POST"])
def get_upload_url():
    filename = requested_filename()
    if filename is None:
        return error(400, "bad_request", "'filename' (a string) is required")
    return json_response(s3.generate_presigned_post(Bucket=BUCKET, Key=filename))


@app.route("/get-download-url", methods=["POST"])
def get_download_url():
    filename = requested_filename()
    if filename is None:
        return error(400, "bad_request", "'filename' (a string) is required")
    return json_response(s3.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": filename}, ExpiresIn=60))


if __name__ == "__main__":
    host, _, port = os.environ.get("PEER_LISTEN", "127.0.0.1:0").rpartition(":")
    app.run(host=host, port=int(port), threaded=True)
