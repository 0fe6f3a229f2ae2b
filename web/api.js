// Calls to the presign API (same origin as the page). The API key or JWT the user pastes lives
// in this module's memory only: never in localStorage, sessionStorage or a cookie.

let token = '';

/** Uses `value` (an API key or a JWT) for the next calls; '' to call without one. */
export function setToken(value) {
  token = value.trim();
}

export function hasToken() {
  return token !== '';
}

/** A refusal or failure, with the API's error code ("file_too_large", ...) or one of the
 * page's own: "network" (no answer), "expired", "storage" (the store refused). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** Worth trying again: no answer, a server-side failure, or an expired URL (re-signed). */
  get retriable() {
    return this.status === 0 || this.status >= 500 || this.status === 408 || this.status === 429 ||
      this.code === 'expired';
  }
}

/** `method path` with an optional JSON body; resolves to the JSON answer, rejects with ApiError. */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network', 'the API did not answer');
  }
  const text = await res.text();
  let doc = null;
  try {
    doc = text ? JSON.parse(text) : null;
  } catch {
    doc = null;
  }
  if (!res.ok) {
    const e = doc && doc.error;
    throw new ApiError(res.status, (e && e.code) || `http_${res.status}`,
      (e && e.message) || res.statusText || `HTTP ${res.status}`);
  }
  return doc;
}

/** The ApiError for a store's answer to an upload (S3's XML error body), or null for success. */
export function storeError(status, body) {
  if (status >= 200 && status < 300) return null;
  if (status === 0) return new ApiError(0, 'network', 'the storage did not answer');
  const code = (/<Code>([^<]*)<\/Code>/.exec(body || '') || [])[1] || '';
  const message = (/<Message>([^<]*)<\/Message>/.exec(body || '') || [])[1] || `HTTP ${status}`;
  if (/expired/i.test(message)) return new ApiError(status, 'expired', message);
  if (code === 'EntityTooLarge') return new ApiError(status, 'file_too_large', message);
  return new ApiError(status, 'storage', `${code || 'error'}: ${message}`);
}
