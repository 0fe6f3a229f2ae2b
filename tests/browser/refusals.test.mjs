// What the rules refuse, as the page says it: a file too large, a type not allowed, an upload
// link that expired, and a caller without a valid key; then API-key mode working once the right
// key is pasted (kept in the page's memory only). Each against its own `presign serve`.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import {
  MiB, launchBrowser, makeFile, screenshot, sha256, sleep, startServe, tempDir, watchedPage,
} from './harness.mjs';

const work = tempDir('presign-browser-refusals-');
const serves = [];
let context;

before(async () => {
  context = await launchBrowser(work);
});

after(async () => {
  await context?.close();
  for (const s of serves) await s.stop();
});

async function serveAndPage(args, config) {
  const serve = await startServe(work, args, config);
  serves.push(serve);
  const watched = await watchedPage(context, [serve.api, serve.s3]);
  await watched.page.goto(`${serve.api}/`);
  return { serve, ...watched };
}

const message = (page, name) => page.locator('.upload', { has: page.locator('.name', { hasText: name }) })
  .locator('.message');

async function waitForPhase(page, name, phase) {
  await page.waitForFunction(([n, p]) => [...document.querySelectorAll('.upload')]
    .some((li) => li.querySelector('.name').textContent === n && li.dataset.phase === p),
  [name, phase], { timeout: 30000 });
}

test('too large and type not allowed are refused with clear messages, other files still go', async () => {
  const { page, problems } = await serveAndPage([],
    '[serve.uploads]\nmax_size_bytes = 10485760\ncontent_types = ["image/*", "text/plain"]\n');
  await page.getByText('No files yet.').waitFor();
  const huge = makeFile(work, 'huge.png', 11 * MiB, { zeros: true });
  const pdf = makeFile(work, 'report.pdf', 20 * 1024);
  const fine = makeFile(work, 'fine.txt', 20 * 1024);
  await page.setInputFiles('#file-input', [huge.path, pdf.path, fine.path]);
  await waitForPhase(page, 'huge.png', 'failed');
  await waitForPhase(page, 'report.pdf', 'failed');
  await waitForPhase(page, 'fine.txt', 'done');
  assert.equal(await message(page, 'huge.png').textContent(),
    '“huge.png” is too large: the limit is 10.0 MiB.');
  assert.equal(await message(page, 'report.pdf').textContent(),
    '“report.pdf” is a type of file this server does not accept (allowed: image/*, text/plain).');
  assert.equal(await message(page, 'huge.png').getAttribute('role'), 'alert');
  assert.equal(await message(page, 'fine.txt').textContent(), '');
  await page.getByRole('cell', { name: 'fine.txt', exact: true }).waitFor();
  await screenshot(page, 'refusals-rules');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an upload link that expires before the file arrives says so', async () => {
  const { serve, page } = await serveAndPage(['--expires', '1']);
  await page.getByText('No files yet.').waitFor();
  await page.route(`${serve.s3}/**`, async (route) => {
    if (route.request().method() === 'POST') await sleep(2500);  // past the form's 1 s
    await route.continue();
  });
  const late = makeFile(work, 'late.txt', 10 * 1024);
  await page.setInputFiles('#file-input', late.path);
  await waitForPhase(page, 'late.txt', 'failed');
  assert.equal(await message(page, 'late.txt').textContent(),
    'The upload link for “late.txt” expired before the file arrived. Try again.');
  await screenshot(page, 'refusals-expired');
  await page.close();
});

test('without a valid key the page says not authorised; with one, uploads land in its prefix', async () => {
  const keyHash = createHash('sha256').update('alice-secret').digest('hex');
  const { page, problems } = await serveAndPage([],
    `[serve]\nauth = "api_key"\n[[serve.api_keys]]\nidentity = "alice"\nsha256 = "${keyHash}"\n`);
  await page.getByText('Not authorised: this server needs an API key or JWT. Paste it under Access.').waitFor();

  const first = makeFile(work, 'first.txt', 10 * 1024);
  await page.setInputFiles('#file-input', first.path);
  await waitForPhase(page, 'first.txt', 'failed');
  assert.equal(await message(page, 'first.txt').textContent(),
    'Not authorised: this server needs an API key or JWT. Paste it under Access.');

  const token = page.getByLabel('API key or JWT');
  await token.fill('not-a-key');
  await token.press('Enter');
  const refused = 'Not authorised: the server does not accept this API key or token.';
  await page.locator('#access-status', { hasText: refused }).waitFor();
  assert.equal(await page.locator('#files-status').textContent(), refused);
  await screenshot(page, 'refusals-unauthorised');

  await token.fill('alice-secret');
  await page.getByRole('button', { name: 'Use', exact: true }).click();
  await page.getByText('No files yet.').waitFor();
  assert.equal(await page.locator('#access-status').textContent(), 'Using the pasted key for API calls.');
  assert.equal(await token.inputValue(), '', 'the key leaves the input once used');
  const mine = makeFile(work, 'mine.bin', 9 * MiB);  // multipart, with the key on every call
  await page.setInputFiles('#file-input', mine.path);
  await waitForPhase(page, 'mine.bin', 'done');
  const row = page.locator('#files tbody tr', { has: page.getByRole('cell', { name: 'mine.bin', exact: true }) });
  await row.waitFor();
  assert.match(await row.getAttribute('data-key'), /^alice\//);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: 'Download mine.bin' }).click(),
  ]);
  assert.equal(sha256(fs.readFileSync(await download.path())), mine.sha256);
  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    databases: (await indexedDB.databases()).length,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: '', databases: 0 });
  await screenshot(page, 'api-key-mode');
  assert.deepEqual(problems, []);
  await page.close();
});
