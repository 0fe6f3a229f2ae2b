// One file's upload, straight to the storage with URLs the API signs:
//
//   small file: POST /v1/uploads -> a presigned POST form -> XHR POST (fields, then the file)
//   large file: POST /v1/uploads {multipart: true} -> upload id and part size
//               -> PARALLEL_PARTS parts at a time: POST /v1/multipart/{id}/parts -> XHR PUT,
//                  each part retried on its own (fresh URL, backoff) up to MAX_ATTEMPTS times
//               -> POST /v1/multipart/{id}/complete with every part's ETag
//               (cancel or failure: DELETE /v1/multipart/{id}, so no parts are left behind)
//
// Progress comes from the XHRs' upload progress events, so the bars show bytes actually sent.

import { ApiError, call, storeError } from './api.js';

/** Files above this size go as a multipart upload. */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
const PARALLEL_PARTS = 4;
const MAX_ATTEMPTS = 5;
const SPEED_WINDOW_MS = 3000;

/** Thrown by start() when the upload was cancelled. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.code = 'cancelled';
  }
}

export class Upload {
  /**
   * @param {File} file
   * @param {{onProgress?: (u: Upload) => void, onPhase?: (u: Upload) => void}} hooks
   */
  constructor(file, hooks = {}) {
    this.file = file;
    this.type = file.type || 'application/octet-stream';
    this.hooks = hooks;
    this.phase = 'waiting';  // waiting, uploading, completing, done, cancelled, failed
    this.multipart = file.size > MULTIPART_THRESHOLD;
    this.key = '';
    this.uploadId = '';
    this.retries = 0;
    this.stopping = false;  // a part failed for good: the others stop too
    this.completed = false;
    this.partCount = 0;
    this.cancelled = false;
    this.live = new Set();  // XHRs in flight
    this.partLoaded = new Map();  // part number -> bytes sent of it
    this.formLoaded = 0;
    this.samples = [];  // [time, bytes] for the speed
  }

  get total() {
    return this.file.size;
  }

  /** Bytes sent so far (a failed attempt's bytes are taken back). */
  get loaded() {
    if (!this.multipart) return this.formLoaded;
    let sum = 0;
    for (const n of this.partLoaded.values()) sum += n;
    return sum;
  }

  /** Bytes per second over the last few seconds. */
  get speed() {
    const s = this.samples;
    if (s.length < 2) return 0;
    const [t0, b0] = s[0];
    const [t1, b1] = s[s.length - 1];
    return t1 > t0 ? Math.max(0, ((b1 - b0) * 1000) / (t1 - t0)) : 0;
  }

  /** Runs the upload; resolves when the object is in the store, rejects with ApiError or Cancelled. */
  async start() {
    try {
      this.#checkCancelled();  // cancelled while waiting its turn
      this.#setPhase('uploading');
      if (this.multipart) await this.#multipart();
      else await this.#form();
      this.#setPhase('done');
    } catch (e) {
      const cancelled = this.cancelled || e instanceof Cancelled;
      this.#setPhase(cancelled ? 'cancelled' : 'failed');
      if (this.uploadId && !this.completed) this.#abortMultipart();
      throw cancelled ? new Cancelled() : e;
    }
  }

  /** Stops the upload: in-flight requests are aborted, a multipart upload too. */
  cancel() {
    if (this.phase === 'done' || this.cancelled) return;
    this.cancelled = true;
    if (this.phase === 'waiting') this.phase = 'cancelled';
    for (const xhr of this.live) xhr.abort();
  }

  #setPhase(phase) {
    this.phase = phase;
    this.hooks.onPhase?.(this);
  }

  #progressed() {
    const now = performance.now();
    this.samples.push([now, this.loaded]);
    while (this.samples.length > 2 && now - this.samples[0][0] > SPEED_WINDOW_MS) this.samples.shift();
    this.hooks.onProgress?.(this);
  }

  #checkCancelled() {
    if (this.cancelled) throw new Cancelled();
  }

  // A small file as a presigned POST form; a failed attempt asks for a fresh form.
  async #form() {
    for (let attempt = 1; ; attempt += 1) {
      this.#checkCancelled();
      try {
        const offer = await call('POST', '/v1/uploads',
          { filename: this.file.name, content_type: this.type, size: this.file.size });
        this.key = offer.key;
        const form = new FormData();
        for (const [name, value] of Object.entries(offer.fields)) form.append(name, value);
        form.append('file', this.file);  // last: the store reads the fields first
        const r = await this.#send('POST', offer.url, form, (sent, total) => {
          this.formLoaded = total ? Math.round((sent / total) * this.file.size) : sent;
          this.#progressed();
        });
        const err = storeError(r.status, r.text);
        if (!err) {
          this.formLoaded = this.file.size;
          this.#progressed();
          return;
        }
        throw err;
      } catch (e) {
        // An expired form is reported, not retried: the link's lifetime is the server's rule.
        await this.#afterFailure(e, attempt, false, () => {
          this.formLoaded = 0;
        });
      }
    }
  }

  // Rethrows `e` unless it is worth another attempt; then counts a retry and waits.
  async #afterFailure(e, attempt, retryExpired, reset) {
    if (e instanceof Cancelled || this.cancelled) throw new Cancelled();
    reset();
    this.#progressed();
    const worth = e instanceof ApiError && e.retriable && e.code !== 'aborted' &&
      (retryExpired || e.code !== 'expired');
    if (!worth || this.stopping || attempt >= MAX_ATTEMPTS) throw e;
    this.retries += 1;
    this.hooks.onProgress?.(this);
    await this.#sleep(Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2));
  }

  async #multipart() {
    const started = await call('POST', '/v1/uploads', {
      filename: this.file.name, content_type: this.type, size: this.file.size, multipart: true,
    });
    this.key = started.key;
    this.uploadId = started.upload_id;
    this.hooks.onPhase?.(this);
    this.#checkCancelled();
    const partSize = started.part_size;
    this.partCount = Math.max(1, Math.ceil(this.file.size / partSize));
    const etags = new Array(this.partCount);
    let next = 1;
    let failure = null;
    const worker = async () => {
      while (next <= this.partCount && !failure && !this.cancelled) {
        const n = next;
        next += 1;
        try {
          etags[n - 1] = await this.#part(n, partSize);
        } catch (e) {
          failure = failure || e;
          this.stopping = true;  // one part gave up: stop the others
          for (const xhr of this.live) xhr.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, this.partCount) }, worker));
    this.#checkCancelled();
    if (failure) throw failure;
    this.#setPhase('completing');
    await call('POST', `/v1/multipart/${encodeURIComponent(this.uploadId)}/complete`, {
      key: this.key,
      parts: etags.map((etag, i) => ({ part_number: i + 1, etag })),
    });
    this.completed = true;
  }

  // Part `n`: its own URL (signed just before use, so a slow upload never meets an expired
  // one), PUT with progress, retried with backoff; resolves to the part's ETag.
  async #part(n, partSize) {
    const begin = (n - 1) * partSize;
    const blob = this.file.slice(begin, Math.min(this.file.size, begin + partSize));
    for (let attempt = 1; ; attempt += 1) {
      this.#checkCancelled();
      try {
        const signed = await call('POST', `/v1/multipart/${encodeURIComponent(this.uploadId)}/parts`,
          { key: this.key, part_numbers: [n] });
        const r = await this.#send('PUT', signed.urls[String(n)], blob, (sent) => {
          this.partLoaded.set(n, sent);
          this.#progressed();
        });
        const err = storeError(r.status, r.text);
        if (err) throw err;
        if (!r.etag) throw new ApiError(r.status, 'storage', 'the storage sent no ETag (is ETag in the bucket CORS ExposeHeaders?)');
        this.partLoaded.set(n, blob.size);
        this.#progressed();
        return r.etag;
      } catch (e) {
        // An expired part URL is re-signed: the next attempt asks for a fresh one.
        await this.#afterFailure(e, attempt, true, () => this.partLoaded.set(n, 0));
      }
    }
  }

  // One XHR; resolves to {status, text, etag} (status 0: no answer), rejects with Cancelled.
  #send(method, url, body, onSent) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.live.add(xhr);
      const done = () => this.live.delete(xhr);
      xhr.open(method, url);
      xhr.upload.onprogress = (e) => onSent(e.loaded, e.lengthComputable ? e.total : 0);
      xhr.onload = () => {
        done();
        resolve({ status: xhr.status, text: xhr.responseText, etag: xhr.getResponseHeader('ETag') });
      };
      xhr.onerror = () => {
        done();
        resolve({ status: 0, text: '', etag: null });
      };
      xhr.onabort = () => {
        done();
        reject(this.cancelled ? new Cancelled() : new ApiError(0, 'aborted', 'stopped'));
      };
      xhr.send(body);
    });
  }

  // Waits `ms`, cut short by cancel().
  #sleep(ms) {
    const until = performance.now() + ms;
    return new Promise((resolve, reject) => {
      const tick = () => {
        if (this.cancelled) reject(new Cancelled());
        else if (performance.now() >= until) resolve();
        else setTimeout(tick, Math.min(100, until - performance.now()));
      };
      tick();
    });
  }

  #abortMultipart() {
    const path = `/v1/multipart/${encodeURIComponent(this.uploadId)}?key=${encodeURIComponent(this.key)}`;
    this.aborting = call('DELETE', path).then(() => true, () => false);
  }
}
