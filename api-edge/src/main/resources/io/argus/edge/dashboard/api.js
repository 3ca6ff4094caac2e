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
