// The upload page against a remote S3 backend: `presign serve` with [serve.backend] pointing at a
// separate S3 endpoint (a `presign store` with its default CORS rule turned off, so only the
// bucket's own CORS counts), the bucket configured with exactly the CORS rule docs/web.md gives.
// A page whose origin the rule names uploads (form and multipart) and downloads; a page from
// another origin is refused by the storage and says so.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import {
  MiB, launchBrowser, makeFile, presignedUrl, screenshot, sha256, startServe, startStore,
  tempDir, watchedPage,
} from './harness.mjs';

const work = tempDir('presign-browser-remote-');
const keys = { access: 'REMOTEACCESSKEY1', secret: 'remote-secret-key-for-the-browser-test' };
let store;
let serve;
let other;
let context;

// docs/web.md: AllowedOrigin the page's origin, GET PUT POST, any header, ETag exposed.
function corsRule(origin) {
  return '<CORSConfiguration><CORSRule>' +
    `<AllowedOrigin>${origin}</AllowedOrigin>` +
    '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod>' +
    '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>' +
    '</CORSRule></CORSConfiguration>';
}

async function s3(method, url, body, headers = {}) {
  const res = await fetch(url, { method, body, headers });
  assert.ok(res.ok, `${method} ${new URL(url).pathname}: ${res.status} ${await res.text()}`);
}

before(async () => {
  store = await startStore(work, keys, '[store.cors]\nallowed_origins = []\n');
  const config = `[serve]\nbucket = "remote"\n[serve.backend]\nendpoint_url = "${store.url}"\nregion = "us-east-1"\n`;
  const credentials = { AWS_ACCESS_KEY_ID: keys.access, AWS_SECRET_ACCESS_KEY: keys.secret, HOME: work };
  serve = await startServe(work, [], config, credentials);
  other = await startServe(work, [], config, credentials);  // same backend, an origin not allowed
  assert.equal(serve.s3, store.url);

  await s3('PUT', presignedUrl(keys, 's3://remote', '-X', 'PUT', '--endpoint', store.url));
  const xml = corsRule(serve.api);
  const md5 = createHash('md5').update(xml).digest('base64');
  await s3('PUT', presignedUrl(keys, 's3://remote', '-X', 'PUT', '-q', 'cors=', '-H', `Content-MD5: ${md5}`,
    '--endpoint', store.url), xml, { 'Content-MD5': md5 });
  context = await launchBrowser(work);
});

after(async () => {
  await context?.close();
  for (const s of [serve, other, store]) await s?.stop();
});

async function waitForPhase(page, name, phase) {
  await page.waitForFunction(([n, p]) => [...document.querySelectorAll('.upload')]
    .some((li) => li.querySelector('.name').textContent === n && li.dataset.phase === p),
  [name, phase], { timeout: 60000 });
}

test('with the documented bucket CORS the page uploads and downloads through a remote S3', async () => {
  const { page, problems } = await watchedPage(context, [serve.api, store.url]);
  await page.goto(`${serve.api}/`);
  await page.getByText('No files yet.').waitFor();
  const small = makeFile(work, 'remote-small.txt', 64 * 1024);
  const large = makeFile(work, 'remote-large.bin', 12 * MiB);  // 2 parts of 8 MiB (the default)
  await page.setInputFiles('#file-input', [small.path, large.path]);
  await waitForPhase(page, 'remote-small.txt', 'done');
  await waitForPhase(page, 'remote-large.bin', 'done');
  for (const f of [small, large]) {
    const row = page.locator('#files tbody tr', { has: page.getByRole('cell', { name: f.name, exact: true }) });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: `Download ${f.name}` }).click(),
    ]);
    assert.equal(sha256(fs.readFileSync(await download.path())), f.sha256, f.name);
  }
  await screenshot(page, 'remote-backend');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a page from an origin the bucket CORS does not name is refused by the storage', async () => {
  const { page } = await watchedPage(context, [other.api, store.url]);
  await page.goto(`${other.api}/`);
  await page.getByText(/^(\d+ files?|No files yet\.)$/).waitFor();  // the API answers
  const f = makeFile(work, 'elsewhere.txt', 1024);
  await page.setInputFiles('#file-input', f.path);
  await waitForPhase(page, 'elsewhere.txt', 'failed');
  const text = await page.locator('.upload .message').textContent();
  assert.match(text, /a storage without CORS for this page/);
  await screenshot(page, 'remote-backend-no-cors');
  await page.close();
});
