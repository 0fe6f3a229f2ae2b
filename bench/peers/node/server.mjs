// The classic pair of presign serve, written the usual Node way: the `http` module and the
// AWS SDK v3. The Node peer of bench/run-api.
//
//   POST /get-upload-url   {"filename": F} -> {"url": ..., "fields": {...}}   (createPresignedPost)
//   POST /get-download-url {"filename": F} -> "URL"                          (getSignedUrl, 60 s)
//
// Bad JSON or a missing filename -> 400, other paths -> 404, other methods -> 405, each with
// presign's JSON error shape. Settings come from the environment:
//   PEER_S3_ENDPOINT   the store, e.g. http://127.0.0.1:9000 (path-style URLs are issued)
//   PEER_BUCKET        the bucket (default: uploads)
//   PEER_LISTEN        host:port to listen on (default 127.0.0.1:0; the port is printed)
//   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the store's credentials
//
//   node server.mjs     one process; cluster.mjs runs several of these behind node:cluster

import http from 'node:http';
import { pathToFileURL } from 'node:url';

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

const MAX_BODY_BYTES = 16 * 1024;  // presign serve's limit for these routes
const DOWNLOAD_EXPIRES_SECONDS = 60;

function settingsFromEnv() {
  const endpoint = process.env.PEER_S3_ENDPOINT;
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    throw new Error('PEER_S3_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required');
  }
  const listen = process.env.PEER_LISTEN || '127.0.0.1:0';
  const colon = listen.lastIndexOf(':');
  return {
    endpoint,
    bucket: process.env.PEER_BUCKET || 'uploads',
    credentials: { accessKeyId, secretAccessKey },
    host: listen.slice(0, colon),
    port: Number(listen.slice(colon + 1)),
  };
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendError(res, status, code, message) {
  sendJson(res, status, { error: { code, message } });
}

// The filename of a request body, or null when the body is not a JSON object with a
// non-empty string "filename".
function filenameOf(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const { filename } = body;
  return typeof filename === 'string' && filename.length > 0 ? filename : null;
}

// The request handler for one S3 client and bucket; the SDK objects are made once.
export function makeHandler(settings) {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: settings.credentials,
    // The SDK's defaults since 3.729 add x-amz-checksum-mode=ENABLED to every presigned GET;
    // the classic pair never asked for checksums, so neither does this peer.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const issuers = {
    '/get-upload-url': (key) => createPresignedPost(client, { Bucket: settings.bucket, Key: key }),
    '/get-download-url': (key) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: settings.bucket, Key: key }), {
        expiresIn: DOWNLOAD_EXPIRES_SECONDS,
      }),
  };

  return (req, res) => {
    const issue = issuers[req.url];
    if (!issue) return sendError(res, 404, 'not_found', 'no such route');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendError(res, 405, 'method_not_allowed', 'use POST');
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', async () => {
      if (size > MAX_BODY_BYTES) {
        return sendError(res, 413, 'payload_too_large', 'the body is over 16 KiB');
      }
      const filename = filenameOf(Buffer.concat(chunks).toString('utf8'));
      if (filename === null) {
        return sendError(res, 400, 'bad_request', "'filename' (a string) is required");
      }
      try {
        sendJson(res, 200, await issue(filename));
      } catch (err) {
        console.error(`signing failed: ${err.name}`);
        sendError(res, 500, 'internal_error', 'internal error');
      }
    });
  };
}

// Starts one server; resolves to it once it listens, after printing "listening on PORT".
export function serve(settings = settingsFromEnv()) {
  const server = http.createServer(makeHandler(settings));
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      console.log(`listening on ${settings.host}:${server.address().port} (pid ${process.pid})`);
      resolve(server);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve().catch((err) => {
    console.error(`server.mjs: ${err.message}`);
    process.exit(1);
  });
}
