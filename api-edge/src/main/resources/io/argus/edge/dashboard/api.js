// Calls to the Argus edge. The API key lives in this tab's sessionStorage and goes in the
// X-Api-Key header of every call; it is never put in a URL.
const KEY = 'argus.apiKey';

export function hasKey() {
  return sessionStorage.getItem(KEY) !== null;
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
}

/** An answer other than 2xx: status, the edge's "error" and "detail". */
export class ApiError extends Error {
  constructor(status, error, detail) {
    super(detail ? `${error}: ${detail}` : error);
    this.status = status;
    this.error = error;
    this.detail = detail;
  }
}

/**
 * One call. options: method, json (sent as JSON), form (a FormData), text (true: the answer as text).
 * Resolves to the parsed answer; rejects with ApiError.
 */
export async function call(path, options = {}) {
  const headers = {};
  const key = sessionStorage.getItem(KEY);
  if (key) {
    headers['X-Api-Key'] = key;
  }
  let body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  const res = await fetch(path, { method: options.method || 'GET', headers, body, cache: 'no-store' });
  const text = await res.text();
  if (!res.ok) {
    let error = `HTTP ${res.status}`;
    let detail;
    try {
      const j = JSON.parse(text);
      error = j.error || error;
      detail = j.detail;
    } catch (e) {
      detail = text.slice(0, 200);
    }
    throw new ApiError(res.status, error, detail);
  }
  if (options.text) {
    return text;
  }
  return text ? JSON.parse(text) : null;
}

/** The headers of a call: the key, when there is one. */
export function keyHeaders(extra = {}) {
  const key = sessionStorage.getItem(KEY);
  return key ? { ...extra, 'X-Api-Key': key } : { ...extra };
}

/** A call whose answer is NDJSON (one JSON object a line): resolves to the objects; rejects as call does. */
export async function callLines(path, options = {}) {
  const text = await call(path, { ...options, text: true });
  return text.split('\n').filter(l => l.trim() !== '').map(l => JSON.parse(l));
}

/**
 * An image fetched with the key (an <img src> cannot send it), as a blob: URL; the caller revokes
 * it (URL.revokeObjectURL) when it is no longer shown.
 */
export async function imageUrl(url) {
  const res = await fetch(url, { headers: keyHeaders(), cache: 'no-store' });
  if (!res.ok) {
    throw new ApiError(res.status, `HTTP ${res.status}`, `for the image ${new URL(url, location.href).pathname}`);
  }
  return URL.createObjectURL(await res.blob());
}
