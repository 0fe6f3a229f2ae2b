// The Node side of bench/run-signing: presigned GET URLs and a presigned POST form made with
// the usual Node libraries, on the inputs of presign_bench and bench/boto3_sign.py (AWS's
// example credentials, bucket `examplebucket`, key `photos/2024/IMG_0001.jpg`, us-east-1,
// 3600 s).
//
//   node sign.mjs [--repeat N] [--run-seconds S]   one JSON line per operation:
//       {"name", "median_us", "min_us", "max_us", "calls_per_run", "runs_us"}
//   node sign.mjs --print-signed                   what is signed, clock fixed at presign's time
//
// Operations:
//   sdk_presign_get_url      @aws-sdk/s3-request-presigner getSignedUrl(GetObjectCommand)
//   sdk_presign_post_policy  @aws-sdk/s3-presigned-post createPresignedPost, the same
//                            conditions as the other sides (length range 0..10 MiB, Content-Type)
//   aws4_presign_get_url     aws4.sign({..., signQuery: true}), the URL put together from its
//                            host and signed path
// Clients are created once, outside the timed loops. A run's loop count is calibrated so that
// it lasts about --run-seconds; every call is awaited before the next starts.

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import aws4 from 'aws4';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const BUCKET = 'examplebucket';
const KEY = 'photos/2024/IMG_0001.jpg';
const REGION = 'us-east-1';
const CONTENT_TYPE = 'image/jpeg';
const EXPIRES = 3600;
const MAX_UPLOAD = 10 * 1024 * 1024;
// presign_bench's signing time (fixed_time() in sign_bench.cpp), for --print-signed.
const FIXED_TIME_MS = Date.UTC(2024, 5, 1, 12, 0, 0);

const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };

function operations() {
  const client = new S3Client({
    region: REGION,
    credentials,
    // The SDK's defaults add checksum parameters to presigned GETs; the other sides sign none.
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const host = `${BUCKET}.s3.amazonaws.com`;
  return {
    sdk_presign_get_url: () =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: KEY }), {
        expiresIn: EXPIRES,
      }),
    sdk_presign_post_policy: () =>
      createPresignedPost(client, {
        Bucket: BUCKET,
        Key: KEY,
        Fields: { 'Content-Type': CONTENT_TYPE },
        Conditions: [['content-length-range', 0, MAX_UPLOAD], { 'Content-Type': CONTENT_TYPE }],
        Expires: EXPIRES,
      }),
    aws4_presign_get_url: async () => {
      const signed = aws4.sign(
        {
          host,
          path: `/${KEY}?X-Amz-Expires=${EXPIRES}`,
          service: 's3',
          region: REGION,
          signQuery: true,
        },
        credentials,
      );
      return `https://${signed.host}${signed.path}`;
    },
  };
}

async function timeRun(fn, calls) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / calls;  // µs per call
}

async function measure(fn, repeat, runSeconds) {
  for (let i = 0; i < 100; i++) await fn();  // warm up: JIT, endpoint resolution, caches
  let calls = 1;
  let perCall = await timeRun(fn, calls);
  while (perCall * calls < 50e3) {  // grow until a run lasts at least 50 ms
    calls *= 2;
    perCall = await timeRun(fn, calls);
  }
  calls = Math.max(1, Math.round((runSeconds * 1e6) / perCall));
  const runs = [];
  for (let r = 0; r < repeat; r++) runs.push(await timeRun(fn, calls));
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    median_us: median,
    min_us: sorted[0],
    max_us: sorted[sorted.length - 1],
    calls_per_run: calls,
    runs_us: runs,
  };
}

// Every `new Date()` and Date.now() answers presign_bench's signing time.
function fixClock() {
  const RealDate = Date;
  class FixedDate extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [FIXED_TIME_MS]));
    }
    static now() {
      return FIXED_TIME_MS;
    }
  }
  globalThis.Date = FixedDate;
}

async function printSigned() {
  fixClock();
  const ops = operations();
  console.log(`get_url\t${await ops.sdk_presign_get_url()}`);
  console.log(`post\t${JSON.stringify(await ops.sdk_presign_post_policy())}`);
  console.log(`aws4_get_url\t${await ops.aws4_presign_get_url()}`);
}

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main() {
  if (process.argv.includes('--print-signed')) {
    await printSigned();
    return;
  }
  const repeat = option('--repeat', 10);
  const runSeconds = option('--run-seconds', 0.2);
  for (const [name, fn] of Object.entries(operations())) {
    console.log(JSON.stringify({ name, ...(await measure(fn, repeat, runSeconds)) }));
  }
}

await main();
