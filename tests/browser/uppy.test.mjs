// Uppy against presign: a page bundled here with esbuild from the npm packages (@uppy/core,
// @uppy/dashboard, @uppy/aws-s3 with `endpoint` pointed at the API), served from another
// loopback origin that the API allows (cors_origins). A small file goes as one POST form, a
// large one as a multipart upload in 6 MiB parts; both must be in the store with the same bytes.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import {
  MiB, api, fetchObject, launchBrowser, makeFile, screenshot, sha256, startServe, tempDir,
  watchedPage,
} from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = tempDir('presign-browser-uppy-');
let site;
let origin;
let serve;
let context;

// The bundle: uppy/index.html beside esbuild's main.js and main.css.
async function bundle() {
  const dir = fs.mkdtempSync(path.join(work, 'site-'));
  await esbuild.build({
    entryPoints: [path.join(here, 'uppy', 'main.js')],
    bundle: true,
    format: 'esm',
    outdir: dir,
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(here, 'uppy', 'index.html'), path.join(dir, 'index.html'));
  return dir;
}

// A static file server for the bundle on 127.0.0.1:0.
function serveStatic(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1) || 'index.html';
    const file = path.join(dir, path.basename(name));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  site = await serveStatic(await bundle());
  origin = `http://127.0.0.1:${site.address().port}`;
  serve = await startServe(work, ['--cors-origin', origin]);
  context = await launchBrowser(work);
});

after(async () => {
  await context?.close();
  await serve?.stop();
  site?.close();
});

test('Uppy sends a small file in one request and a large one as a multipart upload', async () => {
  const { page, problems } = await watchedPage(context, [origin, serve.api, serve.s3]);
  const toStore = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${serve.s3}/`)) toStore.push(`${r.method()} ${new URL(r.url()).search}`);
  });
  await page.goto(`${origin}/?api=${encodeURIComponent(serve.api)}`);
  await page.locator('.uppy-Dashboard').waitFor();

  const small = makeFile(work, 'small.txt', 200 * 1024);
  const large = makeFile(work, 'large.bin', 15 * MiB);  // parts of 6, 6 and 3 MiB
  await page.locator('input.uppy-Dashboard-input').first().setInputFiles([small.path, large.path]);
  await page.getByRole('button', { name: /^Upload 2 files/ }).click();
  const result = await page.evaluate(() => window.uploadResult);
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.successful.map((f) => f.name).sort(), ['large.bin', 'small.txt']);
  await page.getByText('Complete', { exact: true }).first().waitFor();
  await screenshot(page, 'uppy-complete');

  const posts = toStore.filter((r) => r.startsWith('POST ') && !r.includes('upload'));
  const parts = toStore.filter((r) => r.startsWith('PUT ') && r.includes('partNumber='));
  assert.equal(posts.length, 1, `one POST form for the small file: ${toStore}`);
  assert.equal(parts.length, 3, `three part uploads for the large file: ${toStore}`);

  const listed = await api(serve.api, 'GET', '/v1/objects');
  assert.equal(listed.status, 200);
  for (const f of [small, large]) {
    const found = listed.body.objects.filter((o) => o.key.endsWith(`/${f.name}`));
    assert.equal(found.length, 1, `${f.name} in ${JSON.stringify(listed.body.objects)}`);
    assert.equal(found[0].size, f.size);
    assert.equal(sha256(await fetchObject(serve.api, found[0].key)), f.sha256, f.name);
    if (f === large) assert.match(found[0].etag, /-3"?$/, 'a three-part multipart ETag');
  }
  assert.deepEqual(problems, []);
});
