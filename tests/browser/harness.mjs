// What the browser tests share: `presign serve` on 127.0.0.1:0 in a fresh data directory (its
// output kept in a file, never a pipe nobody reads), Debian's Chromium driven by playwright-core
// with a fresh profile, screenshots saved as artifacts, and small helpers.
//
// Environment: PRESIGN_BIN (the presign executable; default build/presign) and
// PRESIGN_BROWSER_ARTIFACTS (where screenshots go; default build/browser-artifacts).

import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

export const PRESIGN = process.env.PRESIGN_BIN || path.join(root, 'build', 'presign');
export const ARTIFACTS = process.env.PRESIGN_BROWSER_ARTIFACTS || path.join(root, 'build', 'browser-artifacts');
export const CHROMIUM = '/usr/bin/chromium';
export const MiB = 1024 * 1024;

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment without PRESIGN_* and AWS_* settings, plus `extra`. */
export function cleanEnv(extra = {}) {
  return {
    ...Object.fromEntries(Object.entries(process.env)
      .filter(([k]) => !k.startsWith('PRESIGN_') && !k.startsWith('AWS_'))),
    ...extra,
  };
}

// Runs `presign <args>` in `work` with its output in a file, until `pattern` shows in it;
// resolves to {match, dataDir, output(), stop()}.
async function startPresign(work, command, args, config, env, pattern) {
  const dataDir = fs.mkdtempSync(path.join(work, 'data-'));
  const logPath = path.join(dataDir, `${command}.log`);
  const log = fs.openSync(logPath, 'w');
  if (config) {
    fs.writeFileSync(path.join(dataDir, 'presign.toml'), config);
    args = ['--config', path.join(dataDir, 'presign.toml'), ...args];
  }
  const proc = spawn(PRESIGN, [command, '--data-dir', dataDir, ...args],
    { stdio: ['ignore', log, log], env: cleanEnv(env) });
  fs.closeSync(log);
  const kill = () => proc.exitCode === null && proc.kill('SIGKILL');
  process.on('exit', kill);
  const output = () => fs.readFileSync(logPath, 'utf8');
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const match = pattern.exec(output());
    if (match) {
      return {
        match, dataDir, output,
        stop: () => new Promise((resolve) => {
          if (proc.exitCode !== null) return resolve(proc.exitCode);
          proc.once('exit', (code) => resolve(code));
          proc.kill('SIGTERM');
        }),
      };
    }
    if (proc.exitCode !== null) break;
    await sleep(50);
  }
  kill();
  throw new Error(`presign ${command} did not start: ${output()}`);
}

/** A running `presign serve`: {api, s3 (the store or the remote backend), output(), stop()}. */
export async function startServe(work, args = [], config = '', env = {}) {
  const s = await startPresign(work, 'serve',
    ['--api-listen', '127.0.0.1:0', '--s3-listen', '127.0.0.1:0', ...args], config, env,
    /API on (http:\/\/127\.0\.0\.1:\d+), (?:store on|backend) (http:\/\/[^ ]+)/);
  return { ...s, api: s.match[1], s3: s.match[2] };
}

/** A running `presign store` (a stand-in for a remote S3) with root keys `keys`: {url, stop()}. */
export async function startStore(work, keys, config = '') {
  const s = await startPresign(work, 'store', ['--listen', '127.0.0.1:0'], config,
    { PRESIGN_ACCESS_KEY: keys.access, PRESIGN_SECRET_KEY: keys.secret },
    /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { ...s, url: s.match[1] };
}

/** `presign url` with `args` and the credentials `keys`: a presigned URL. */
export function presignedUrl(keys, ...args) {
  return execFileSync(PRESIGN, ['url', ...args], {
    env: cleanEnv({ AWS_ACCESS_KEY_ID: keys.access, AWS_SECRET_ACCESS_KEY: keys.secret }),
    encoding: 'utf8',
  }).trim();
}

/**
 * Chromium with a fresh profile: a persistent context in a new user data dir, downloads
 * accepted. The flags keep it quiet: no sandbox (tests run as root), no GPU, no background
 * traffic, no component updates, no sync, no first-run UI.
 */
export async function launchBrowser(work) {
  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A page that records what goes wrong in it: `problems` collects page errors, console errors
 * (CSP refusals among them) and requests to any origin but `allowed`.
 */
export async function watchedPage(context, allowed) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!allowed.some((origin) => url.startsWith(`${origin}/`)) && !url.startsWith('data:')) {
      problems.push(`request to ${url}`);
    }
  });
  return { page, problems };
}

/** Saves a full-page screenshot as ARTIFACTS/name.png; returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Limits the page's upload speed (bytes/s) through the DevTools protocol; 0 lifts the limit. */
export async function throttleUploads(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond || -1,
  });
  return cdp;
}

/** Writes `size` random bytes (or zeros) to dir/name; returns {path, name, size, sha256}. */
export function makeFile(dir, name, size, { zeros = false } = {}) {
  const file = path.join(dir, name);
  if (zeros) {
    fs.writeFileSync(file, '');
    fs.truncateSync(file, size);
  } else {
    fs.writeFileSync(file, randomBytes(size));
  }
  return { path: file, name, size, sha256: zeros ? '' : sha256(fs.readFileSync(file)) };
}

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One JSON API call from the test itself: {status, body}. */
export async function api(base, method, route, body, headers = {}) {
  const res = await fetch(base + route, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The bytes of `key` as the store serves them, through a presigned GET from the API. */
export async function fetchObject(base, key, headers = {}) {
  const offer = await api(base, 'POST', '/v1/downloads', { key }, headers);
  if (offer.status !== 200) throw new Error(`download URL for ${key}: ${JSON.stringify(offer)}`);
  const res = await fetch(offer.body.url);
  if (res.status !== 200) throw new Error(`GET ${key}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Records every value each <progress> of the page takes, as fractions, by its aria-label. */
export async function recordProgress(page) {
  await page.evaluate(() => {
    window.progressSeen = {};
    new MutationObserver((changes) => {
      for (const c of changes) {
        const bar = c.target;
        if (bar.tagName !== 'PROGRESS') continue;
        const label = bar.getAttribute('aria-label');
        (window.progressSeen[label] ||= []).push(bar.value / bar.max);
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['value'] });
  });
}
