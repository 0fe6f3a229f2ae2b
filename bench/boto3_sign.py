#!/usr/bin/env python3
"""The botocore side of bench/run-signing: the signing operations presign_bench measures,
done with boto3 on the same inputs (AWS's example credentials, bucket `examplebucket`,
key `photos/2024/IMG_0001.jpg`, us-east-1, 3600 s).

Each operation is timed with timeit: the client is created once, outside the timed loop; the
loop count is calibrated so one run takes about --run-seconds, and --repeat runs give the
median, min and max time per call in microseconds (and every run's figure, runs_us). Output:
one JSON object per line, or a table with --table.

`--print-signed` instead prints what is signed, with botocore's clock fixed to the time
presign_bench uses, in the shape of `presign_bench --print-signed` (so the two can be diffed).
Timing runs use the real clock, as an application would.
"""

import argparse
import datetime
import json
import statistics
import sys
import timeit

import boto3
import botocore
from botocore.config import Config

ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
BUCKET = "examplebucket"
KEY = "photos/2024/IMG_0001.jpg"
REGION = "us-east-1"
CONTENT_TYPE = "image/jpeg"
EXPIRES = 3600
MAX_UPLOAD = 10 * 1024 * 1024
# The signing time of presign_bench (keep in step with fixed_time() in sign_bench.cpp).
FIXED_TIME = datetime.datetime(2024, 6, 1, 12, 0, 0)


def make_client(signature_version):
    return boto3.client(
        "s3",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET,
        config=Config(signature_version=signature_version),
    )


def operations():
    """name -> zero-argument callable performing one signing operation."""
    v4 = make_client("s3v4")
    v2 = make_client("s3")
    return {
        "presign_get_url": lambda: v4.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=EXPIRES
        ),
        "presign_put_url_content_type": lambda: v4.generate_presigned_url(
            "put_object",
            Params={"Bucket": BUCKET, "Key": KEY, "ContentType": CONTENT_TYPE},
            ExpiresIn=EXPIRES,
        ),
        # Same condition set as presign_bench: the length range, then the Content-Type field's
        # own condition (presign adds it with cover_fields; boto3 needs it spelled out).
        "presign_post_policy": lambda: v4.generate_presigned_post(
            BUCKET,
            KEY,
            Fields={"Content-Type": CONTENT_TYPE},
            Conditions=[
                ["content-length-range", 0, MAX_UPLOAD],
                {"Content-Type": CONTENT_TYPE},
            ],
            ExpiresIn=EXPIRES,
        ),
        "presign_get_url_sigv2": lambda: v2.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=EXPIRES
        ),
    }


def measure(fn, repeat, run_seconds):
    """Median, min and max microseconds per call over `repeat` runs of about run_seconds."""
    fn()  # warm up: endpoint resolution, model loading and other caches
    timer = timeit.Timer(fn)
    number, elapsed = timer.autorange()  # smallest 1/2/5 x 10^k loop taking >= 0.2 s
    number = max(1, int(number * run_seconds / max(elapsed, 1e-9)))
    per_call = [t / number * 1e6 for t in timer.repeat(repeat=repeat, number=number)]
    return {
        "median_us": statistics.median(per_call),
        "min_us": min(per_call),
        "max_us": max(per_call),
        "calls_per_run": number,
        "runs_us": per_call,
    }


def print_signed():
    """Signs every operation once with botocore's clock fixed to FIXED_TIME."""
    import botocore.auth
    import botocore.signers

    fixed = lambda *args, **kwargs: FIXED_TIME  # noqa: E731
    botocore.auth.get_current_datetime = fixed
    botocore.signers.get_current_datetime = fixed
    epoch = FIXED_TIME.replace(tzinfo=datetime.timezone.utc).timestamp()

    class fixed_time_module:  # SigV2 query auth reads time.time() for Expires
        @staticmethod
        def time():
            return epoch

    botocore.auth.time = fixed_time_module
    ops = operations()
    print("get_url\t" + ops["presign_get_url"]())
    print("put_url\t" + ops["presign_put_url_content_type"]())
    print("post\t" + json.dumps(ops["presign_post_policy"]()))
    print("sigv2_get_url\t" + ops["presign_get_url_sigv2"]())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per operation")
    parser.add_argument("--run-seconds", type=float, default=0.2, help="length of one run")
    parser.add_argument("--filter", default="", help="only operations containing this text")
    parser.add_argument("--table", action="store_true", help="a table instead of JSON lines")
    parser.add_argument("--print-signed", action="store_true", help="print signed output")
    args = parser.parse_args()

    if args.print_signed:
        print_signed()
        return 0

    results = []
    for name, fn in operations().items():
        if args.filter in name:
            results.append({"name": name, **measure(fn, args.repeat, args.run_seconds)})
            if not args.table:
                print(json.dumps(results[-1]), flush=True)
    if args.table:
        print(f"# boto3 {boto3.__version__}, botocore {botocore.__version__}, "
              f"Python {sys.version.split()[0]}")
        print(f"{'operation':32} {'median us':>10} {'min us':>10} {'max us':>10}")
        for r in results:
            print(f"{r['name']:32} {r['median_us']:10.2f} {r['min_us']:10.2f} {r['max_us']:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
